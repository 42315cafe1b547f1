//! segment: the cleaned text cut into units — sentences, headings and list items —
//! each with its byte span and 1-based line.
//!
//! Sentence ends are found by a byte-level scan (`.`, `!`, `?` followed by space and
//! a sentence start), repaired for abbreviations, initials, decimals and tickers, so
//! that "$281.3 billion", "U.S.", "Inc.", "e.g." and "$MSFT" never split a sentence.
//! Paragraphs with non-ASCII sentence marks (`。`, `！`, `？`) go through
//! `unicode-segmentation` and the same repairs.

use std::sync::LazyLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::clean::{Block, BlockKind, Cleaned};
use crate::lines::{LineIndex, line_breaks};
use crate::words::{self, WordSet};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Sentence,
    Heading,
    ListItem,
}

/// One unit of text: `text[start..end]`, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub kind: UnitKind,
    /// Index of the paragraph (or heading / list item) the unit belongs to.
    pub para: usize,
}

/// Abbreviations after which a period does not end a sentence (lower case, no period), from
/// `data/words/abbreviations.txt`.
static ABBREVIATIONS: LazyLock<WordSet> = LazyLock::new(|| words::set(include_str!("../data/words/abbreviations.txt")));

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    let b = t.as_bytes();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("• ") || t.starts_with("– ") || t.starts_with("+ ")
    {
        return true;
    }
    // "1. ", "12) "
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && digits <= 3 && matches!(b.get(digits), Some(b'.') | Some(b')')) && b.get(digits + 1) == Some(&b' ')
}

fn ends_sentence(line: &str) -> bool {
    let t = line
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_']);
    t.ends_with(['.', '!', '?', ':', ';', '…'])
}

/// A line that stands alone (a title, a label, a byline): short, no closing mark.
fn looks_standalone(line: &str) -> bool {
    let t = line.trim();
    t.len() < 100 && !ends_sentence(t)
}

/// The column a plain-text file is hard-wrapped at, if it is: its longest line is at
/// most 100 characters and at least three lines come close to it.
fn wrap_width(text: &str, blocks: &[Block]) -> Option<usize> {
    let lines = || {
        blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Line)
            .map(|b| text[b.range.clone()].trim_end().chars().count())
    };
    let max = lines().max()?;
    let near = lines().filter(|&n| n * 4 >= max * 3).count();
    ((40..=100).contains(&max) && near >= 3).then_some(max)
}

/// Whether `last` was cut by hard wrapping at `width`: long, and the first word of the
/// next line would not have fitted after it ("... the neocloud that had earlier handed"
/// / "Microsoft ...").
fn wraps(last: &str, next: &str, width: usize) -> bool {
    let len = last.trim_end().chars().count();
    let word = next.split_whitespace().next().map_or(0, |w| w.chars().count());
    len * 3 >= width * 2 && len + 1 + word > width
}

/// Units, and how many sentences were longer than [`MAX_UNIT_BYTES`] and cut.
#[derive(Debug, Default)]
pub struct Segmented {
    pub units: Vec<Unit>,
    pub cut: usize,
    /// The text ran past [`MAX_UNITS`]; the rest of it was not segmented.
    pub capped: bool,
}

/// Cuts a cleaned article into units.
pub fn segment(c: &Cleaned) -> Vec<Unit> {
    segment_counted(c).units
}

/// Cuts a cleaned article into units, counting the sentences cut for their length.
pub fn segment_counted(c: &Cleaned) -> Segmented {
    let idx = LineIndex::new(&c.text);
    let text = c.text.as_str();
    let mut out = Segmented::default();
    let mut para = 0usize;
    let mut i = 0;
    let blocks = &c.blocks;
    let width = wrap_width(text, blocks);
    while i < blocks.len() {
        let b = &blocks[i];
        let s = &text[b.range.clone()];
        let kind = match b.kind {
            BlockKind::Heading => Some(UnitKind::Heading),
            BlockKind::ListItem => Some(UnitKind::ListItem),
            BlockKind::Line if s.trim_start().starts_with('#') => Some(UnitKind::Heading),
            BlockKind::Line if is_bullet(s) => Some(UnitKind::ListItem),
            _ => None,
        };
        // Headings are one unit; list items and paragraphs are split into sentences.
        let (start, mut end) = (b.range.start, b.range.end);
        let mut j = i + 1;
        if b.kind == BlockKind::Line && kind.is_none() {
            // Join following lines of the same paragraph (no blank line between).
            let mut last = s;
            while j < blocks.len() {
                let nb = &blocks[j];
                let gap = &text[end..nb.range.start];
                let ns = &text[nb.range.clone()];
                let joined = line_breaks(gap) <= 1
                    && !ns.trim_start().starts_with('#')
                    && !is_bullet(ns)
                    && (!looks_standalone(last)
                        || ns.trim_start().starts_with(char::is_lowercase)
                        || width.is_some_and(|w| wraps(last, ns, w)));
                if !joined {
                    break;
                }
                end = nb.range.end;
                last = ns;
                j += 1;
            }
        }
        let block = |kind| Units {
            text,
            idx: &idx,
            kind,
            para,
        };
        match kind {
            Some(UnitKind::Heading) => push_unit(&mut out, &block(UnitKind::Heading), start, end),
            Some(k) => split_sentences(&mut out, &block(k), start, end),
            None => split_sentences(&mut out, &block(UnitKind::Sentence), start, end),
        }
        para += 1;
        i = j;
        if out.capped {
            break;
        }
    }
    out
}

/// Most units taken from one article: a long book has some tens of thousands of
/// sentences, while a 16 MB file of "Acme rose 5%." has over a million, and their list
/// alone (40 bytes a unit, twice that while it grows) would take most of a run's memory.
pub const MAX_UNITS: usize = 200_000;

/// Longest unit, in bytes: a longer sentence is cut into pieces no longer than this
/// (at a space where one is near), so that what a figure carries of its sentence, and
/// the work done per figure, stay bounded however long a "sentence" runs. Articles'
/// sentences stay far below it (the longest in the sample corpus and BBC set: 372 bytes).
pub const MAX_UNIT_BYTES: usize = 2000;

/// A heading, list item or paragraph of the article, whose units are being taken: each
/// unit has its kind and paragraph.
struct Units<'a> {
    text: &'a str,
    idx: &'a LineIndex,
    kind: UnitKind,
    para: usize,
}

fn push_unit(out: &mut Segmented, block: &Units, start: usize, end: usize) {
    if full(out) {
        return;
    }
    let text = block.text;
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let (mut a, b) = (start + lead, end - trail);
    if b.saturating_sub(a) > MAX_UNIT_BYTES {
        out.cut += 1;
    }
    while b.saturating_sub(a) > MAX_UNIT_BYTES {
        if full(out) {
            return;
        }
        let cut = cut_before(text, a, a + MAX_UNIT_BYTES);
        push_trimmed(&mut out.units, block, a, cut);
        a = cut;
    }
    if !full(out) {
        push_trimmed(&mut out.units, block, a, b);
    }
}

/// Whether `out` holds [`MAX_UNITS`] units (and so is marked capped).
fn full(out: &mut Segmented) -> bool {
    out.capped |= out.units.len() >= MAX_UNITS;
    out.capped
}

/// Where to cut `text[a..]` at or before `limit`: after the last space in the second
/// half of the span, else at the char boundary nearest below `limit`.
fn cut_before(text: &str, a: usize, limit: usize) -> usize {
    let mut at = limit;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let half = a + (at - a) / 2;
    match text.as_bytes()[half..at].iter().rposition(|b| b.is_ascii_whitespace()) {
        Some(k) => half + k + 1,
        None => at,
    }
}

fn push_trimmed(out: &mut Vec<Unit>, block: &Units, start: usize, end: usize) {
    let s = &block.text[start..end];
    let (a, b) = (
        start + (s.len() - s.trim_start().len()),
        end - (s.len() - s.trim_end().len()),
    );
    if a < b {
        out.push(Unit {
            start: a,
            end: b,
            line: block.idx.line(a),
            kind: block.kind,
            para: block.para,
        });
    }
}

/// The word before byte `dot` (the period), lower-cased, without a leading bracket.
fn word_before(s: &str, dot: usize) -> &str {
    let head = &s[..dot];
    let from = head
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |i| i + 1);
    // The opener may be multi-byte; step past it.
    let from = (from..=dot).find(|&k| head.is_char_boundary(k)).unwrap_or(dot);
    &head[from..]
}

/// Whether the period at `dot` is part of the word before it (an abbreviation or an initial).
fn period_is_abbreviation(s: &str, dot: usize) -> bool {
    let w = word_before(s, dot);
    if w.is_empty() {
        return false;
    }
    let lw = w.to_ascii_lowercase();
    // Initials ("P." in "Alfred P. Sloan") and dotted acronyms ("U.S", "e.g").
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && w.chars().all(|c| c.is_alphabetic()) && w.chars().all(char::is_uppercase) {
        return true;
    }
    if w.contains('.')
        && w.split('.')
            .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic))
    {
        return true;
    }
    ABBREVIATIONS.contains(lw.as_str())
}

/// Whether a sentence can start at `s[at..]`.
fn starts_sentence(s: &str, at: usize) -> bool {
    match s[at..].chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    '"' | '“' | '‘' | '\'' | '(' | '[' | '$' | '£' | '€' | '¥' | '*' | '_' | '¿' | '¡'
                )
                || (!c.is_alphabetic() && !c.is_ascii_punctuation() && !c.is_whitespace())
        }
        None => false,
    }
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];

/// Splits `text[start..end]` into sentences.
fn split_sentences(out: &mut Segmented, block: &Units, start: usize, end: usize) {
    let s = &block.text[start..end];
    let mut cuts: Vec<usize> = Vec::new();
    if s.contains(['。', '！', '？']) {
        // Hard case: Unicode's rules find the candidates, the repairs below vet them.
        let mut pos = 0;
        for piece in s.split_sentence_bounds() {
            if cuts.len() > MAX_UNITS {
                break;
            }
            pos += piece.len();
            if pos < s.len() && is_real_cut(s, pos) {
                cuts.push(pos);
            }
        }
    } else {
        let bytes = s.as_bytes();
        let mut from = 0;
        while let Some(off) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) {
            if cuts.len() > MAX_UNITS {
                break;
            }
            let at = from + off;
            from = at + 1;
            // Past closing quotes and brackets, and footnote markers glued to the stop
            // ("1996.[1] Next", "lab.[^3] Next", "it.¹⁶ Next").
            let mut e = at + 1;
            while let Some(c) = s[e..].chars().next() {
                if CLOSERS.contains(&c) || (c == '.' && e == at + 1) {
                    e += c.len_utf8();
                } else if let Some(len) = marker_len(&s[e..]) {
                    e += len;
                } else {
                    break;
                }
            }
            let ws = s[e..].len() - s[e..].trim_start().len();
            if ws == 0 || e + ws >= s.len() {
                continue;
            }
            if bytes[at] == b'.' && period_is_abbreviation(s, at) {
                continue;
            }
            if starts_sentence(s, e + ws) {
                cuts.push(e + ws);
            }
        }
    }
    let mut a = 0;
    for c in cuts {
        push_unit(out, block, start + a, start + c);
        a = c;
    }
    push_unit(out, block, start + a, end);
}

/// Length of a footnote marker at the start of `s`: `[1]`, `[^3]`, `[3, 4]`, superscripts.
fn marker_len(s: &str) -> Option<usize> {
    let sup = s
        .chars()
        .take_while(|c| matches!(c, '⁰' | '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹'))
        .map(char::len_utf8)
        .sum::<usize>();
    if sup > 0 {
        return Some(sup);
    }
    let inner = s.strip_prefix('[')?;
    let close = inner.find(']')?;
    let body = inner[..close].trim_start_matches('^');
    let ok = !body.is_empty()
        && close <= 16
        && body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b',' | b' ' | b'-'));
    ok.then_some(close + 2)
}

/// For a Unicode-rule boundary at `pos`: keep it unless it falls after an
/// abbreviation or before a lower-case word.
fn is_real_cut(s: &str, pos: usize) -> bool {
    let before = s[..pos].trim_end();
    if before.ends_with('.') && period_is_abbreviation(s, before.len() - 1) {
        return false;
    }
    starts_sentence(s, pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{Format, clean};

    fn sentences(text: &str) -> Vec<String> {
        let c = clean(text.to_string(), Format::Text);
        segment(&c).iter().map(|u| text[u.start..u.end].to_string()).collect()
    }

    #[test]
    fn an_article_gives_at_most_max_units_and_says_so() {
        let text = "Acme rose 5%. ".repeat(MAX_UNITS + 10);
        let got = segment_counted(&clean(text.clone(), Format::Text));
        assert_eq!((got.units.len(), got.capped), (MAX_UNITS, true));
        let text = "Acme rose 5%. ".repeat(1000);
        let got = segment_counted(&clean(text, Format::Text));
        assert_eq!((got.units.len(), got.capped), (1000, false));
    }

    #[test]
    fn tricky_cases_do_not_split() {
        let got = sentences(
            "Microsoft's backlog hit $281.3 billion. The U.S. regulator looked at Nvidia Inc. and others, e.g. Amazon. \
             $MSFT fell 20% in Q2 FY2026. Alfred P. Sloan wrote it! Did it work? \"Yes.\" It did.",
        );
        assert_eq!(
            got,
            [
                "Microsoft's backlog hit $281.3 billion.",
                "The U.S. regulator looked at Nvidia Inc. and others, e.g. Amazon.",
                "$MSFT fell 20% in Q2 FY2026.",
                "Alfred P. Sloan wrote it!",
                "Did it work?",
                "\"Yes.\"",
                "It did.",
            ]
        );
    }

    #[test]
    fn footnote_numbers_end_sentences() {
        let got = sentences("The backlog grew 6. Capacity rose 16,17. Deals followed 1,15,22.");
        assert_eq!(
            got,
            ["The backlog grew 6.", "Capacity rose 16,17.", "Deals followed 1,15,22."]
        );
    }

    #[test]
    fn headings_and_items_are_units() {
        let text = "Key Takeaways\n- OpenAI has five million users.\n- AWS holds 32%. It leads.\n\n## What next?\nWrapped line of\ntext goes on. End.\n";
        let c = clean(text.to_string(), Format::Markdown);
        let units = segment(&c);
        let got: Vec<(&str, UnitKind, usize)> = units.iter().map(|u| (&text[u.start..u.end], u.kind, u.line)).collect();
        assert_eq!(
            got,
            [
                ("Key Takeaways", UnitKind::Sentence, 1),
                ("- OpenAI has five million users.", UnitKind::ListItem, 2),
                ("- AWS holds 32%.", UnitKind::ListItem, 3),
                ("It leads.", UnitKind::ListItem, 3),
                ("## What next?", UnitKind::Heading, 5),
                ("Wrapped line of\ntext goes on.", UnitKind::Sentence, 6),
                ("End.", UnitKind::Sentence, 7),
            ]
        );
    }

    #[test]
    fn markers_glued_to_the_stop_end_the_sentence() {
        let got = sentences("It was floated in 1996.[1] Robert left.[^2][3] He said so.¹⁶ The end.");
        assert_eq!(
            got,
            [
                "It was floated in 1996.[1]",
                "Robert left.[^2][3]",
                "He said so.¹⁶",
                "The end."
            ]
        );
    }

    /// Issue 18: CRLF, LF and CR line ends are the same to the segmenter, on text
    /// hard-wrapped inside sentences and on one line per paragraph.
    #[test]
    fn line_end_styles_segment_alike() {
        // Wrapped at 60 columns, one break right before a name ("to\nNorthwind").
        let wrapped = "Harbour Grid said its order book rose to $41 billion by the\n\
                       end of the spring, and that utilities placed about 38% of\n\
                       it. Its rival agreed to deliver 900 megawatts of turbines to\n\
                       Northwind Energy over six years.\n\
                       \n\
                       The two firms, which share a supplier in Rotterdam, declined\n\
                       to comment further on the figures or on Northwind.\n";
        let unwrapped = "Harbour Grid said its order book rose to $41 billion by the end of the spring, \
                         and that utilities placed about 38% of it. Its rival agreed to deliver 900 \
                         megawatts of turbines to Northwind Energy over six years.\n\n\
                         The two firms, which share a supplier in Rotterdam, declined to comment further \
                         on the figures or on Northwind.\n";
        let flat = |v: Vec<String>| -> Vec<String> {
            v.iter()
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        };
        for text in [wrapped, unwrapped] {
            let lf = flat(sentences(text));
            assert_eq!(lf.len(), 3, "{lf:#?}");
            assert!(lf[1].starts_with("Its rival agreed") && lf[1].ends_with("over six years."));
            assert!(lf[2].ends_with("on Northwind."));
            for eol in ["\r\n", "\r"] {
                let other = text.replace('\n', eol);
                assert_eq!(flat(sentences(&other)), lf, "line ends {eol:?}");
                let c = clean(other.clone(), Format::Text);
                let lines: Vec<usize> = segment(&c).iter().map(|u| u.line).collect();
                let want: Vec<usize> = segment(&clean(text.to_string(), Format::Text))
                    .iter()
                    .map(|u| u.line)
                    .collect();
                assert_eq!(lines, want, "line numbers with {eol:?}");
            }
        }
    }

    #[test]
    fn unicode_marks() {
        let got = sentences("微软投资了。OpenAI 增长了！The U.S. Army grew.");
        assert_eq!(got, ["微软投资了。", "OpenAI 增长了！", "The U.S. Army grew."]);
    }

    /// The abbreviations are written in lower case, as the word they are matched against.
    #[test]
    fn abbreviations_are_lower_case() {
        assert!(ABBREVIATIONS.contains("e.g") && ABBREVIATIONS.contains("blvd"));
        assert!(
            ABBREVIATIONS
                .iter()
                .all(|a| !a.is_empty() && *a == a.to_ascii_lowercase())
        );
    }
}
