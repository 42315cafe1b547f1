//! The depth limit: absurdly deep markup flattened before parsing, by a cheap tag scan
//! (html5ever's tree builder is quadratic in nesting depth).

use super::tuning::TUNING;

/// Where `needle` first occurs in `hay`, ASCII case ignored (`memchr` finds the candidates).
pub(super) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut at = 0;
    while let Some(i) = hay.get(at..).and_then(|h| memchr::memchr2(lower, upper, h)) {
        let p = at + i;
        if hay
            .get(p + 1..p + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
        {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

/// The `>` that ends a tag whose attributes start at `from`, past quoted text (either
/// quote, wherever it opens); `None` when the source ends first.
pub(super) fn tag_close(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        j += memchr::memchr3(b'"', b'\'', b'>', b.get(j..)?)?;
        match *b.get(j)? {
            b'>' => return Some(j),
            q => j += 2 + memchr::memchr(q, b.get(j + 1..)?)?,
        }
    }
}

/// Elements whose content is raw text, skipped whole by the depth scan.
const RAW_TEXT_TAGS: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "noscript"];

/// Elements the depth scan does not count: void elements, elements that close
/// themselves (`p`, `li`, `td`, ...) and the document's frame.
const FLAT_TAGS: [&str; 25] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dt", "dd", "tr", "td", "th", "option", "html", "head", "body",
];

/// The source with start and end tags nested deeper than `TUNING.depth.max_nesting`
/// removed (their text and their line breaks stay, so that lines of the source stay
/// lines), or `None` when the page is not that deep. A cheap tag scan, not a parser: void elements, self-closing tags and
/// elements that close themselves (`p`, `li`, `td`, ...) do not count; comments and
/// raw-text elements are skipped.
pub(super) fn limit_depth(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut depth = Depth::default();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', b.get(i..)?) {
        let s = i + off;
        match scan_tag(src, s) {
            Some(Scan::Skip(next)) => i = next,
            Some(Scan::Nest { end, closing }) => {
                i = end;
                depth.tag(s, end, closing);
            }
            None => break,
        }
    }
    if depth.cuts.is_empty() {
        return None;
    }
    Some(cut_tags(src, &depth.cuts))
}

/// What the depth scan makes of a `<` in the source.
enum Scan {
    /// Not a counted tag (a comment, a raw-text element, a void or self-closing tag, a
    /// stray `<`): go on scanning here.
    Skip(usize),
    /// A start or end tag that nests, ending before `end`.
    Nest { end: usize, closing: bool },
}

/// Reads the tag at `s` (a `<`); `None` when the source ends inside it (the scan stops).
fn scan_tag(src: &str, s: usize) -> Option<Scan> {
    let b = src.as_bytes();
    let rest = b.get(s + 1..).unwrap_or(&[]);
    if rest.starts_with(b"!--") {
        return find_ci(&rest[3..], b"-->").map(|e| Scan::Skip(s + 4 + e + 3));
    }
    let closing = rest.first() == Some(&b'/');
    let name_start = s + 1 + usize::from(closing);
    let name_len = b
        .get(name_start..)
        .unwrap_or(&[])
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return Some(Scan::Skip(s + 1));
    }
    let name = src.get(name_start..name_start + name_len).unwrap_or("");
    let is = |names: &[&str]| names.iter().any(|n| name.eq_ignore_ascii_case(n));
    // The end of the tag, past quoted attribute values.
    let j = tag_close(b, name_start + name_len)?;
    let end = j + 1;
    if !closing && is(&RAW_TEXT_TAGS) {
        let close = format!("</{name}");
        return find_ci(&b[end..], close.as_bytes()).map(|e| Scan::Skip(end + e));
    }
    let self_closing = b.get(j.wrapping_sub(1)) == Some(&b'/');
    if is(&FLAT_TAGS) || (self_closing && !closing) {
        return Some(Scan::Skip(end));
    }
    Some(Scan::Nest { end, closing })
}

/// The nesting the depth scan has reached, and the tags it cuts.
#[derive(Default)]
struct Depth {
    depth: usize,
    /// Start tags cut and not yet closed: their end tags are cut too.
    skipped: usize,
    /// Byte ranges of the tags to cut, ascending.
    cuts: Vec<(usize, usize)>,
}

impl Depth {
    /// Counts the tag at `s..end`: a start tag nested deeper than
    /// `TUNING.depth.max_nesting` is cut, and so is the end tag that closes it.
    fn tag(&mut self, s: usize, end: usize, closing: bool) {
        if closing {
            if self.skipped > 0 {
                self.skipped -= 1;
                self.cuts.push((s, end));
            } else {
                self.depth = self.depth.saturating_sub(1);
            }
        } else if self.depth >= TUNING.depth.max_nesting {
            self.skipped += 1;
            self.cuts.push((s, end));
        } else {
            self.depth += 1;
        }
    }
}

/// The source without the `cuts` (ascending byte ranges); a cut tag leaves its line breaks.
fn cut_tags(src: &str, cuts: &[(usize, usize)]) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for &(s, e) in cuts {
        out.push_str(src.get(at..s).unwrap_or(""));
        // A cut tag leaves its line breaks.
        out.extend(
            b.get(s..e)
                .unwrap_or(&[])
                .iter()
                .filter(|&&c| c == b'\n' || c == b'\r')
                .map(|&c| char::from(c)),
        );
        at = e;
    }
    out.push_str(src.get(at..).unwrap_or(""));
    out
}
