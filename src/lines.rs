//! Byte offsets to 1-based line numbers.

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
}
