//! A byte-level tokenizer for one sentence: words, numbers, punctuation, with spans.
//!
//! Only sentences that hold a numeric anchor are tokenized; nothing here allocates per
//! character (one `Vec<Tok>` per sentence).

pub use crate::words::{FastMap, FastSet, Fnv, WordSet};

/// A word lower-cased without an allocation (ASCII letters only), for keyword
/// matching: the word itself when it has no upper-case ASCII letter, else a copy on
/// the stack. Words longer than 24 bytes become the empty string: no keyword is that
/// long.
#[derive(Clone, Copy)]
pub enum Lower<'a> {
    Same(&'a str),
    Copy([u8; 24], u8),
}

impl<'a> Lower<'a> {
    pub fn new(s: &'a str) -> Lower<'a> {
        let b = s.as_bytes();
        if !b.iter().any(u8::is_ascii_uppercase) {
            return Lower::Same(s);
        }
        let mut buf = [0u8; 24];
        if b.len() > buf.len() {
            return Lower::Same("");
        }
        for (d, &c) in buf.iter_mut().zip(b) {
            *d = c.to_ascii_lowercase();
        }
        Lower::Copy(buf, b.len() as u8)
    }

    /// The lower-cased bytes: what comparing needs, with no UTF-8 check.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Lower::Same(s) => s.as_bytes(),
            Lower::Copy(buf, len) => &buf[..*len as usize],
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Lower::Same(s) => s,
            // ASCII lower-casing keeps UTF-8 valid; the fallback is never taken.
            Lower::Copy(buf, len) => std::str::from_utf8(&buf[..*len as usize]).unwrap_or(""),
        }
    }
}

impl std::ops::Deref for Lower<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<&str> for Lower<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, possibly with digits after them (`Q2`, `FY2026`, `GPT4`).
    Word,
    /// A digit run with thousands separators and a decimal part (`1,500`, `281.3`).
    Num,
    /// Superscript digits (`¹⁶`).
    Sup,
    /// One punctuation or symbol character.
    Punct,
    /// A URL or e-mail address, kept whole so its digits are never read.
    Url,
}

/// One token: `text[start..end]` (absolute byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// Whitespace (or the sentence start) comes right before the token.
    pub space_before: bool,
}

impl Tok {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

fn is_superscript(c: char) -> bool {
    matches!(c, '⁰' | '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹')
}

/// The value of a superscript digit.
pub fn superscript_value(c: char) -> Option<u32> {
    Some(match c {
        '⁰' => 0,
        '¹' => 1,
        '²' => 2,
        '³' => 3,
        '⁴' => 4,
        '⁵' => 5,
        '⁶' => 6,
        '⁷' => 7,
        '⁸' => 8,
        '⁹' => 9,
        _ => return None,
    })
}

/// Tokenizes `text[start..end]`, appending to `out` (cleared first).
pub fn tokenize(text: &str, start: usize, end: usize, out: &mut Vec<Tok>) {
    out.clear();
    let s = &text[start..end];
    let b = s.as_bytes();
    let mut i = 0;
    let mut space = true;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let from = i;
        let kind;
        if c.is_ascii_digit() {
            i = scan_number(b, i);
            kind = TokKind::Num;
        } else if c.is_ascii_alphabetic() || c >= 0x80 {
            let ch = s[i..].chars().next().unwrap_or(' ');
            if ch.is_whitespace() {
                space = true;
                i += ch.len_utf8();
                continue;
            }
            if is_superscript(ch) {
                while let Some(ch) = s[i..].chars().next().filter(|&c| is_superscript(c)) {
                    i += ch.len_utf8();
                }
                kind = TokKind::Sup;
            } else if ch.is_alphabetic() {
                // Only "http://", "https://" and "www." open a URL.
                if matches!(c, b'h' | b'w')
                    && let Some(e) = url_end(s, i)
                {
                    i = e;
                    kind = TokKind::Url;
                } else {
                    // ASCII letters and digits a byte at a time, then any other letters.
                    while b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                        i += 1;
                    }
                    while let Some(ch) = s[i..].chars().next() {
                        if ch.is_alphabetic() || ch.is_ascii_digit() {
                            i += ch.len_utf8();
                        } else {
                            break;
                        }
                    }
                    kind = TokKind::Word;
                }
            } else {
                i += ch.len_utf8();
                kind = TokKind::Punct;
            }
        } else {
            i += 1;
            kind = TokKind::Punct;
        }
        out.push(Tok {
            kind,
            start: start + from,
            end: start + i,
            space_before: space,
        });
        space = false;
    }
}

/// End of a digit run at `i`: `1,500`, `281.3`, `1,500.25`; commas only before groups of three.
fn scan_number(b: &[u8], mut i: usize) -> usize {
    let digits = |b: &[u8], i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let first = digits(b, i);
    i += first;
    if first <= 3 {
        while b.get(i) == Some(&b',') && digits(b, i + 1) == 3 && !b.get(i + 4).is_some_and(|c| c.is_ascii_digit()) {
            i += 4;
        }
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        i += 1 + digits(b, i + 1);
    }
    i
}

/// A URL or address starting at `i` ("http://", "https://", "www."): its end.
fn url_end(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i..];
    let is_url = rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.");
    if !is_url {
        return None;
    }
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let url = rest[..len].trim_end_matches(['.', ',', ')', ';', ':', '"', '\'']);
    Some(i + url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(TokKind, &str, bool)> {
        let mut out = Vec::new();
        tokenize(s, 0, s.len(), &mut out);
        out.iter().map(|t| (t.kind, t.text(s), t.space_before)).collect()
    }

    #[test]
    fn numbers_words_and_symbols() {
        use TokKind::*;
        assert_eq!(
            toks("$281.3bn, 1,500 Q2 16,17 GPT-4 ¹⁶"),
            [
                (Punct, "$", true),
                (Num, "281.3", false),
                (Word, "bn", false),
                (Punct, ",", false),
                (Num, "1,500", true),
                (Word, "Q2", true),
                (Num, "16", true),
                (Punct, ",", false),
                (Num, "17", false),
                (Word, "GPT", true),
                (Punct, "-", false),
                (Num, "4", false),
                (Sup, "¹⁶", true),
            ]
        );
    }

    #[test]
    fn urls_are_one_token() {
        let t = toks("see https://example.com/a/2026/04 now");
        assert_eq!(t[1], (TokKind::Url, "https://example.com/a/2026/04", true));
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn bad_thousands_groups_split() {
        let t = toks("1,15,22 1,5000");
        let nums: Vec<&str> = t.iter().filter(|t| t.0 == TokKind::Num).map(|t| t.1).collect();
        assert_eq!(nums, ["1", "15", "22", "1", "5000"]);
    }
}
