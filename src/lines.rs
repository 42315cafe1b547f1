//! Byte offsets to 1-based line numbers: of a text itself ([`LineIndex`]), or of the file a
//! text was built from ([`SourceLines`], an HTML page's body), behind one lookup
//! ([`FileLines`]).

/// The start offset of every line of a text, for offset -> line lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        // A line ends at LF, at CRLF (counted once) and at a lone CR.
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', b)
                .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Number of lines (a trailing newline does not open a new line).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

/// File lines of a text built from a file (an HTML page's body, whose words come from
/// lines of the page's source): a table of anchors, each saying that the text from its
/// byte offset on comes from its 1-based line of the file, up to the next anchor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLines {
    /// `(offset, line)`, offsets ascending, no two neighbours with the same line.
    anchors: Vec<(usize, usize)>,
}

impl SourceLines {
    /// Says that the text from byte `offset` on comes from file line `line`. Offsets come
    /// in ascending order; one at or before the last anchor's replaces that anchor.
    pub fn push(&mut self, offset: usize, line: usize) {
        while self.anchors.last().is_some_and(|&(o, _)| o >= offset) {
            self.anchors.pop();
        }
        if self.anchors.last().is_none_or(|&(_, l)| l != line) {
            self.anchors.push((offset, line));
        }
    }

    /// The file line of byte `offset` of the text (1 before the first anchor, or with none).
    pub fn line(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|&(o, _)| o <= offset);
        i.checked_sub(1)
            .and_then(|i| self.anchors.get(i))
            .map_or(1, |&(_, l)| l)
    }
}

/// Byte offsets of an article's text to 1-based lines of its file.
#[derive(Debug, Clone)]
pub enum FileLines<'a> {
    /// The text is the file's own (plain text, Markdown): its lines are the file's.
    Own(LineIndex),
    /// The text was built from the file: a table says where each part came from.
    Source(&'a SourceLines),
}

impl FileLines<'_> {
    /// The file line of byte `offset` of the text.
    pub fn line(&self, offset: usize) -> usize {
        match self {
            FileLines::Own(idx) => idx.line(offset),
            FileLines::Source(table) => table.line(offset),
        }
    }
}

/// Line breaks in `s`: LF, CRLF and a lone CR each count once.
pub fn line_breaks(s: &str) -> usize {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', b)
        .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
        .count()
}

/// Whether byte `at` of `text` opens a line.
pub fn starts_line(text: &str, at: usize) -> bool {
    at == 0 || text[..at].ends_with(['\n', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(6), 3);
        assert_eq!(idx.line(7), 4);
    }

    #[test]
    fn every_line_end_counts_once() {
        for text in ["ab\ncd\n\nef", "ab\r\ncd\r\n\r\nef", "ab\rcd\r\ref"] {
            let idx = LineIndex::new(text);
            let ef = text.find("ef").unwrap();
            assert_eq!(
                (idx.line(0), idx.line(text.find("cd").unwrap()), idx.line(ef)),
                (1, 2, 4),
                "{text:?}"
            );
            assert_eq!(line_breaks(text), 3, "{text:?}");
            assert!(starts_line(text, ef) && !starts_line(text, 1));
        }
    }

    #[test]
    fn source_lines_answer_from_the_anchor_before() {
        let mut t = SourceLines::default();
        assert_eq!(t.line(5), 1, "no anchor: line 1");
        t.push(0, 7);
        t.push(4, 7);
        t.push(10, 9);
        t.push(10, 8);
        t.push(20, 12);
        assert_eq!(t.anchors, vec![(0, 7), (10, 8), (20, 12)]);
        assert_eq!(
            [0, 9, 10, 19, 20, 99].map(|o| FileLines::Source(&t).line(o)),
            [7, 7, 8, 8, 12, 12]
        );
        assert_eq!(FileLines::Own(LineIndex::new("a\nb")).line(2), 2);
    }
}
