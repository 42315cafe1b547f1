//! Text assembly: the kept text laid out block by block (paragraphs, headings, list
//! items), whitespace collapsed, with the file line of each block's words.

use crate::clean::BlockKind;
use crate::lines::line_breaks;

use super::analyse::Analysis;
use super::arena::{Arena, Ev, Tag};
use super::words::is_gap;

fn block_kind(tag: Tag) -> Option<BlockKind> {
    match tag {
        Tag::H1 | Tag::H(_) => Some(BlockKind::Heading),
        Tag::Li => Some(BlockKind::ListItem),
        _ => None,
    }
}

/// One block of body text, with the file line of its words where they change: `(offset
/// in text, line)`, offsets ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    pub(super) text: String,
    pub(super) kind: BlockKind,
    pub(super) lines: Vec<(usize, usize)>,
}

/// Writes blocks as [`layout`] finds their text: whitespace collapsed as the pieces come
/// (exactly as [`collapse`](super::words::collapse) would collapse them joined), and the file line of every word
/// that opens on a line other than the block's last anchor's.
struct Writer {
    text: String,
    /// Whitespace since the last word: a space goes before the next one.
    space: bool,
    /// The file line the text has reached (carried from block to block).
    line: usize,
    lines: Vec<(usize, usize)>,
}

impl Writer {
    /// A writer at line 1, before any block.
    fn new() -> Self {
        Writer {
            text: String::new(),
            space: false,
            line: 1,
            lines: Vec::new(),
        }
    }

    /// Adds a text node's text; `line` is the file line of its first byte, when known
    /// (otherwise the line reached so far goes on).
    fn push(&mut self, piece: &str, line: Option<usize>) {
        if let Some(l) = line {
            self.line = l;
        }
        let mut rest = piece;
        while !rest.is_empty() {
            let word = rest.find(|c| !is_gap(c)).unwrap_or(rest.len());
            if word > 0 {
                self.line += line_breaks(rest.get(..word).unwrap_or(""));
                self.space = true;
            }
            rest = rest.get(word..).unwrap_or("");
            let end = rest.find(is_gap).unwrap_or(rest.len());
            self.word(rest.get(..end).unwrap_or(""));
            rest = rest.get(end..).unwrap_or("");
        }
    }

    /// Adds a word (or the rest of one that a tag cut), anchoring its line when it opens.
    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        let opens = self.space || self.text.is_empty();
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        if opens && self.lines.last().is_none_or(|&(_, l)| l != self.line) {
            self.lines.push((self.text.len(), self.line));
        }
        self.text.push_str(w);
    }

    /// A break between words (table cells).
    fn gap(&mut self) {
        self.space = true;
    }

    /// Ends the block: it joins `out` unless it is empty.
    fn flush(&mut self, kind: BlockKind, out: &mut Vec<Part>) {
        self.space = false;
        let lines = std::mem::take(&mut self.lines);
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text);
            out.push(Part { text, kind, lines });
        }
    }
}

/// Lays out the kept text, block by block.
pub(super) fn layout(a: &Arena, an: &Analysis, roots: &[usize], drop: &[bool]) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let mut w = Writer::new();
    let mut kinds: Vec<BlockKind> = Vec::new();
    for &r in roots {
        let el = &a.els[r];
        let mut k = el.start;
        while k < el.end {
            match a.evs.get(k) {
                Some(Ev::Open(i)) => {
                    let i = *i;
                    let e = &a.els[i];
                    if an.dead[i] || drop[i] {
                        k = e.end;
                        continue;
                    }
                    if e.tag.is_block() {
                        let kind = kinds.last().copied().unwrap_or(BlockKind::Paragraph);
                        w.flush(kind, &mut out);
                        let inner = block_kind(e.tag).unwrap_or(match kind {
                            BlockKind::ListItem => BlockKind::ListItem,
                            _ => BlockKind::Paragraph,
                        });
                        kinds.push(inner);
                    } else if matches!(e.tag, Tag::Td | Tag::Th) {
                        w.gap();
                    }
                }
                Some(Ev::Close(i)) => {
                    let e = &a.els[*i];
                    if e.tag.is_block() {
                        let kind = kinds.pop().unwrap_or(BlockKind::Paragraph);
                        w.flush(kind, &mut out);
                    } else if matches!(e.tag, Tag::Td | Tag::Th) {
                        w.gap();
                    }
                }
                Some(Ev::Text(_, s, e, line)) => {
                    let line = line.and_then(|l| usize::try_from(l.get()).ok());
                    w.push(a.text.get(*s..*e).unwrap_or(""), line);
                }
                None => break,
            }
            k += 1;
        }
        w.flush(BlockKind::Paragraph, &mut out);
        kinds.clear();
    }
    out
}
