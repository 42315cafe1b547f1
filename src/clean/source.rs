//! Where the text of a parsed HTML page stands in its source: the file line of each text
//! node, so that a claim's `line` is a line of the page, not of the body built from it.
//!
//! html5ever reports no source positions, but the tree it builds keeps the page's text in
//! order: its text nodes, in document order, are the runs of text between the source's
//! tags, comments and script or style elements, in source order (a run's entities decoded,
//! CR LF as LF). So a cheap scan (no parser) finds the runs, and each text node is matched
//! with the next run whose first letters and digits are its own; the node starts on the line
//! of that run. A node that the next run does not match is looked for a few runs ahead, as
//! far as a budget of steps per run allows; one found nowhere gets no line, and the caller
//! carries the last one on. Nothing here panics on any input: every slice is checked.

use std::collections::VecDeque;
use std::ops::Range;

use crate::lines::line_breaks;

/// Bytes of a text node that, found as they are at the start of a run, make it its run.
const SAME_BYTES: usize = 16;
/// Letters and digits compared between a text node and a run.
const SKELETON: usize = 24;
/// Bytes of text read for them.
const SKELETON_BYTES: usize = 256;
/// Runs looked ahead for a text node that the next run does not match.
const LOOK_AHEAD: usize = 64;
/// Look-ahead steps per run of the page (and a few more): a page whose text the runs do not
/// follow costs at most this many comparisons per run.
const STEPS_PER_RUN: usize = 8;

/// For an element whose content is raw text up to its end tag (`name` in lower case): its
/// name and whether that content is text of the page (`false`: script, style and template
/// content, which the cleaner never reads; `<plaintext>` has no end tag).
fn raw_text(name: &[u8]) -> Option<(&'static str, bool)> {
    let raw = match name {
        b"script" => ("script", false),
        b"style" => ("style", false),
        b"template" => ("template", false),
        b"title" => ("title", true),
        b"textarea" => ("textarea", true),
        b"xmp" => ("xmp", true),
        b"iframe" => ("iframe", true),
        b"noembed" => ("noembed", true),
        b"noframes" => ("noframes", true),
        b"noscript" => ("noscript", true),
        b"plaintext" => ("plaintext", true),
        _ => return None,
    };
    Some(raw)
}

/// Named entities that stand for no letter or digit: skipped when runs are compared. Any
/// other named entity may be a letter (`&eacute;`), and ends the comparison.
const NOT_LETTERS: &[&str] = &[
    "amp", "lt", "gt", "quot", "apos", "nbsp", "ensp", "emsp", "thinsp", "zwnj", "zwj", "lrm", "rlm", "shy", "ndash",
    "mdash", "hyphen", "lsquo", "rsquo", "sbquo", "ldquo", "rdquo", "bdquo", "laquo", "raquo", "lsaquo", "rsaquo",
    "hellip", "bull", "middot", "copy", "reg", "trade", "deg", "plusmn", "times", "divide", "sect", "para", "dagger",
    "Dagger", "prime", "Prime", "euro", "pound", "yen", "cent", "dollar", "percnt", "comma", "period", "colon", "semi",
    "excl", "quest", "num", "lpar", "rpar", "sol", "verbar", "vert", "brvbar",
];

/// The text runs of an HTML source, matched in order with the parsed page's text nodes.
/// The runs are scanned as the matching needs them, so that only those it may still look
/// ahead at are kept.
pub(super) struct SourceText<'a> {
    src: &'a str,
    runs: Runs<'a>,
    /// Runs scanned and not yet matched: the first is the next to match.
    ahead: VecDeque<Range<usize>>,
    /// A byte of the source and its line: runs are matched in order, so lines are counted
    /// forward from the last one matched.
    at: (usize, usize),
    /// Look-ahead steps left ([`STEPS_PER_RUN`] for each run scanned).
    budget: usize,
}

/// How well a text node and a run agree on their first letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Different letters: not this run.
    No,
    /// Too few letters to tell (punctuation, an entity first): this run, when it is next.
    Maybe,
    /// The same letters, enough of them.
    Sure,
}

/// Up to [`SKELETON`] letters and digits of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Skeleton {
    chars: [char; SKELETON],
    len: usize,
}

impl Skeleton {
    fn new() -> Self {
        Skeleton {
            chars: ['\0'; SKELETON],
            len: 0,
        }
    }

    /// Adds `c` when it is a letter or digit; false once full.
    fn push(&mut self, c: char) -> bool {
        if c.is_alphanumeric()
            && let Some(slot) = self.chars.get_mut(self.len)
        {
            *slot = c;
            self.len += 1;
        }
        self.len < SKELETON
    }

    fn as_slice(&self) -> &[char] {
        self.chars.get(..self.len).unwrap_or(&[])
    }

    /// Of a text node's text.
    fn of_node(text: &str) -> Self {
        let mut sk = Skeleton::new();
        for (_, c) in text.char_indices().take_while(|&(i, _)| i < SKELETON_BYTES) {
            if !sk.push(c) {
                break;
            }
        }
        sk
    }

    /// Of a run of source text: numeric entities decoded, named ones that are no letter
    /// skipped; the skeleton ends at any other named entity.
    fn of_run(run: &str) -> Self {
        let mut sk = Skeleton::new();
        let mut i = 0;
        while i < run.len().min(SKELETON_BYTES) {
            let Some(c) = run.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            let mut step = c.len_utf8();
            let mut decoded = c;
            if c == '&' {
                match entity(run.get(i..).unwrap_or("")) {
                    Some((len, Some(d))) => (step, decoded) = (len, d),
                    Some((_, None)) => break,
                    None => {}
                }
            }
            if !sk.push(decoded) {
                break;
            }
            i += step;
        }
        sk
    }
}

/// The character reference opening `s` (which starts with `&`): its length and the
/// character it stands for (a space for a named one that is no letter; `None` for any other
/// named one). `None` when `s` opens no reference.
fn entity(s: &str) -> Option<(usize, Option<char>)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let from = if hex { 3 } else { 2 };
        let digits = b
            .get(from..)?
            .iter()
            .take(8)
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        let n = u32::from_str_radix(s.get(from..from + digits)?, if hex { 16 } else { 10 }).ok()?;
        let len = from + digits + usize::from(b.get(from + digits) == Some(&b';'));
        return Some((len, Some(char::from_u32(n).unwrap_or(' '))));
    }
    let name = b
        .get(1..)?
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name == 0 || b.get(1 + name) != Some(&b';') {
        return None;
    }
    let known = NOT_LETTERS.contains(&s.get(1..1 + name)?);
    Some((name + 2, known.then_some(' ')))
}

/// How a node's skeleton and a run's agree: the shorter must open the longer, and three
/// letters or a whole equal skeleton make it sure.
fn fit(node: &Skeleton, run: &Skeleton) -> Fit {
    let (n, r) = (node.as_slice(), run.as_slice());
    if n.is_empty() || r.is_empty() {
        return Fit::Maybe;
    }
    let common = n.len().min(r.len());
    if n.get(..common) != r.get(..common) {
        Fit::No
    } else if common >= 3 || n.len() == r.len() {
        Fit::Sure
    } else {
        Fit::Maybe
    }
}

impl<'a> SourceText<'a> {
    /// Text runs of `src`, the source the page was parsed from.
    pub(super) fn new(src: &'a str) -> Self {
        SourceText {
            src,
            runs: Runs::new(src),
            ahead: VecDeque::new(),
            at: (0, 1),
            budget: LOOK_AHEAD,
        }
    }

    /// The file line of the first byte of a text node's `text` (text nodes asked for in
    /// document order), or `None` when it is blank or matches no run near the last one.
    pub(super) fn line_of(&mut self, text: &str) -> Option<usize> {
        let body = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if body.is_empty() {
            return None;
        }
        let found = match self.fit(body, 0)? {
            Fit::No => self.look_ahead(body)?,
            Fit::Maybe | Fit::Sure => 0,
        };
        let start = self.ahead.get(found)?.start;
        self.ahead.drain(..=found);
        let (at, line) = self.at;
        let line = line + line_breaks(self.src.get(at..start).unwrap_or(""));
        self.at = (start, line);
        let lead = text.len() - body.len();
        Some(line.saturating_sub(line_breaks(text.get(..lead).unwrap_or(""))).max(1))
    }

    /// Run `i` after the last one matched (0: the next), scanned when first asked for.
    fn run(&mut self, i: usize) -> Option<Range<usize>> {
        while self.ahead.len() <= i {
            let r = self.runs.next()?;
            self.budget = self.budget.saturating_add(STEPS_PER_RUN);
            self.ahead.push_back(r);
        }
        self.ahead.get(i).cloned()
    }

    /// How run `i` fits a node's text (without its leading blanks), if there is such a run.
    /// The run is most often the node's text as it is: that is sure at once; else their
    /// letters and digits are compared.
    fn fit(&mut self, body: &str, i: usize) -> Option<Fit> {
        let range = self.run(i)?;
        let run = self.src.get(range).unwrap_or("");
        let mut n = body.len().min(SAME_BYTES);
        while !body.is_char_boundary(n) {
            n -= 1;
        }
        let head = body.get(..n).unwrap_or("");
        if run.starts_with(head) && (n == SAME_BYTES || n == run.len()) {
            return Some(Fit::Sure);
        }
        Some(fit(&Skeleton::of_node(body), &Skeleton::of_run(run)))
    }

    /// The first run after the next one that surely fits `body`, within the budget.
    fn look_ahead(&mut self, body: &str) -> Option<usize> {
        for i in 1..=LOOK_AHEAD {
            self.budget = self.budget.checked_sub(1)?;
            if self.fit(body, i)? == Fit::Sure {
                return Some(i);
            }
        }
        None
    }
}

/// The runs of text of an HTML source, in order: what lies between tags, comments,
/// doctypes and the content of script-like elements; text-like raw content (`<title>`,
/// `<textarea>`, `<noscript>`) is a run of its own. Each run starts at its first non-blank
/// byte; blank runs are left out.
struct Runs<'a> {
    b: &'a [u8],
    /// Where the current run of text started.
    text: usize,
    /// Where to look for the next `<`; past the end once the last run is out.
    at: usize,
}

impl<'a> Runs<'a> {
    fn new(src: &'a str) -> Self {
        Runs {
            b: src.as_bytes(),
            text: 0,
            at: 0,
        }
    }

    /// `start..end` from its first non-blank byte, unless it is blank.
    fn trimmed(&self, start: usize, end: usize) -> Option<Range<usize>> {
        let lead = self
            .b
            .get(start..end)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_whitespace()).count());
        (start + lead < end).then_some(start + lead..end)
    }
}

impl Iterator for Runs<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let b = self.b;
        while self.at <= b.len() {
            let Some(lt) = b
                .get(self.at..)
                .and_then(|r| memchr::memchr(b'<', r))
                .map(|i| self.at + i)
            else {
                self.at = b.len() + 1;
                return self.trimmed(self.text, b.len());
            };
            let Some((end, raw)) = markup(b, lt) else {
                self.at = lt + 1;
                continue;
            };
            let run = self.trimmed(self.text, lt);
            (self.text, self.at) = (end, end);
            // Raw content runs to its end tag: a run for text-like elements, else skipped.
            if let Some((name, is_text)) = raw {
                let close = match name {
                    "plaintext" => b.len(),
                    _ => end_tag(b, end, name).unwrap_or(b.len()),
                };
                self.at = close;
                if !is_text {
                    self.text = close;
                }
            }
            if run.is_some() {
                return run;
            }
        }
        None
    }
}

/// The markup that `<` at `lt` opens: where it ends, and for a raw-text element its name
/// and whether its content is page text. `None` when the `<` is text (`a < b`).
fn markup(b: &[u8], lt: usize) -> Option<(usize, Option<(&'static str, bool)>)> {
    let rest = b.get(lt + 1..)?;
    let upto = |from: usize, pat: &[u8]| {
        b.get(from..)
            .and_then(|r| memchr::memmem::find(r, pat))
            .map_or(b.len(), |i| from + i + pat.len())
    };
    match *rest.first()? {
        b'!' if rest.starts_with(b"!-->") => Some((lt + 5, None)),
        b'!' if rest.starts_with(b"!--->") => Some((lt + 6, None)),
        b'!' if rest.starts_with(b"!--") => Some((upto(lt + 4, b"-->"), None)),
        b'!' | b'?' => Some((upto(lt + 1, b">"), None)),
        b'/' => match rest.get(1) {
            Some(c) if c.is_ascii_alphabetic() => Some((tag_end(b, lt + 2), None)),
            Some(b'>') => Some((lt + 3, None)),
            Some(_) => Some((upto(lt + 2, b">"), None)),
            None => None,
        },
        c if c.is_ascii_alphabetic() => {
            let len = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            let raw = match rest.get(len) {
                // `<script-x>` is no script: the name ends at a blank, `/` or `>`.
                Some(c) if !(c.is_ascii_whitespace() || matches!(c, b'/' | b'>')) => None,
                _ if len > 9 => None,
                _ => {
                    let mut name = [0u8; 9];
                    name.iter_mut().zip(rest).for_each(|(n, c)| *n = c.to_ascii_lowercase());
                    raw_text(name.get(..len).unwrap_or(&[]))
                }
            };
            Some((tag_end(b, lt + 1), raw))
        }
        _ => None,
    }
}

/// One past the `>` that ends the tag whose name starts at `from`, past quoted attribute
/// values; the end of the source when the tag never ends.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(j) = b.get(i..).and_then(|r| memchr::memchr2(b'>', b'=', r)) {
        i += j;
        if b.get(i) == Some(&b'>') {
            return i + 1;
        }
        // `=`: a quoted value may hold `>`.
        i += 1 + b
            .get(i + 1..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_whitespace()).count());
        if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
            match b.get(i + 1..).and_then(|r| memchr::memchr(q, r)) {
                Some(j) => i += j + 2,
                None => return b.len(),
            }
        }
    }
    b.len()
}

/// Where the end tag `</name` (any case, then a blank, `/` or `>`) starts at or after `from`.
fn end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(off) = b.get(at..).and_then(|r| memchr::memchr(b'<', r)) {
        let lt = at + off;
        let after = lt + 2 + name.len();
        if b.get(lt + 1) == Some(&b'/')
            && b.get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(after)
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
        {
            return Some(lt);
        }
        at = lt + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(src: &str) -> Vec<&str> {
        Runs::new(src).map(|r| &src[r]).collect()
    }

    #[test]
    fn runs_are_the_text_between_markup() {
        let src = "<!DOCTYPE html>\n<html><head><title>A &amp; B</title>\n<script>if (a<b) x = '</p>';</script>\
                   <style>p > b {}</style></head>\n<body><!-- a <p>comment</p> --><p class=\"x>y\" data-n=a>One <b>two</b>\
                   </p>\n<p>3 < 4 and 5 > 4</p><template><p>never</p></template><textarea>T <b></textarea>";
        assert_eq!(runs(src), ["A &amp; B", "One ", "two", "3 < 4 and 5 > 4", "T <b>"]);
        for odd in [
            "",
            "<",
            "</",
            "<!--",
            "<a href=\"x",
            "<script>x",
            "a<",
            "<p>x</p",
            "<!-->y",
            "</>z",
            "<plaintext><p>",
        ] {
            let _ = runs(odd);
        }
        assert_eq!(runs("<!-->y</>z<plaintext><p>"), ["y", "z", "<p>"]);
        assert_eq!(runs("<Script-x>a</Script-x><SCRIPT\n>b</script >c"), ["a", "c"]);
    }

    #[test]
    fn entities_decode_as_far_as_letters_need() {
        let sk = |s: &str| Skeleton::of_run(s).as_slice().iter().collect::<String>();
        assert_eq!(
            sk("AT&amp;T&nbsp;&#8217;s &#65;&#x42; caf&eacute; au lait"),
            "ATTsABcaf"
        );
        assert_eq!(sk("a &foo bar &#; &#xZ;"), "afoobarxZ");
        assert_eq!(Skeleton::of_node("AT&T’s AB café").as_slice().len(), 10);
        let node = Skeleton::of_node("café au lait");
        assert_eq!(fit(&node, &Skeleton::of_run("caf&eacute; au lait")), Fit::Sure);
        assert_eq!(fit(&node, &Skeleton::of_run("tea")), Fit::No);
        assert_eq!(fit(&node, &Skeleton::of_run("&ldquo;")), Fit::Maybe);
    }

    #[test]
    fn text_nodes_find_their_lines_and_skip_what_is_not_in_the_tree() {
        let src = "<html>\n<head><title>T</title></head>\n<body>\n<p>\n  First words\n  go on</p>\n\
                   <template>hidden</template><div>Second</div>\n<p>&ldquo;Quoted&rdquo;</p>";
        let mut s = SourceText::new(src);
        assert_eq!(s.line_of("T"), Some(2));
        assert_eq!(s.line_of("\n"), None, "blank");
        assert_eq!(
            s.line_of("\n  First words\n  go on"),
            Some(4),
            "the line the node starts on"
        );
        assert_eq!(s.line_of("not in the source at all"), None);
        assert_eq!(s.line_of("Second"), Some(7));
        assert_eq!(s.line_of("“Quoted”"), Some(8));
        assert_eq!(s.line_of("more"), None, "no run left");
    }
}
