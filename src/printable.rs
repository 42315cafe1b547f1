//! Nothing from an article or a file name reaches a terminal as control.
//!
//! On the way in, [`blank_controls`] turns every terminal escape sequence (CSI colours,
//! OSC hyperlinks and window titles, two-byte `ESC x`) and every other C0/C1 control
//! into spaces of the same byte length, so their digits never form figures and every
//! byte offset stays true. On the way out, [`escape`] shows any control left (in a file
//! name, an old index) as `\x1b` or `\u{9b}` in terminal output, reports and messages.

use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter, Serializer};

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// C1 forms of CSI, OSC and the string terminator.
const CSI8: char = '\u{9b}';
const OSC8: char = '\u{9d}';
const ST8: char = '\u{9c}';

/// A control that is neither a line end nor a tab.
fn is_bad_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// Blanks escape sequences and controls (tab and line ends are kept) in place, each byte
/// becoming a space; returns how many sequences or controls were blanked.
pub fn blank_controls(text: &mut String) -> usize {
    // Controls are the bytes below 0x20 and 0x7F, and U+0080..=U+009F, which start with the
    // byte 0xC2: a text with none of those bytes (but tab and line ends) has none.
    let maybe = |b: &u8| (*b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || matches!(b, 0x7f | 0xc2);
    if !text.as_bytes().iter().any(maybe) || !text.chars().any(is_bad_control) {
        return 0; // the common case: nothing to do, no copy
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_bad_control(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        let kind = match (c, it.peek().map(|&(_, n)| n)) {
            (ESC, Some('[')) | (CSI8, _) => Some(false),
            (ESC, Some(']' | 'P' | '_' | '^' | 'X')) | (OSC8, _) => Some(true),
            _ => None,
        };
        if c == ESC
            && let Some(&(j, n)) = it.peek()
            && n != '\n'
            && n != '\r'
        {
            end = j + n.len_utf8();
            it.next();
        }
        match kind {
            // CSI: parameters and intermediates up to a final byte in @..~.
            Some(false) => {
                while let Some(&(j, n)) = it.peek() {
                    end = j + n.len_utf8();
                    it.next();
                    if ('@'..='~').contains(&n) || n == '\n' {
                        break;
                    }
                }
            }
            // OSC and other strings: up to BEL, ST or ESC \ (at most one line).
            Some(true) => {
                while let Some(&(j, n)) = it.peek() {
                    if n == '\n' {
                        break;
                    }
                    end = j + n.len_utf8();
                    it.next();
                    if n == BEL || n == ST8 {
                        break;
                    }
                    if n == ESC {
                        if let Some(&(k, '\\')) = it.peek() {
                            end = k + 1;
                            it.next();
                        }
                        break;
                    }
                }
            }
            None => {}
        }
        spans.push((i, end));
    }
    // Whole characters become as many (ASCII) spaces as they have bytes: the string
    // stays UTF-8 and every offset stays in place.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(a, b) in &spans {
        out.push_str(&text[at..a]);
        out.extend(std::iter::repeat_n(' ', b - a));
        at = b;
    }
    out.push_str(&text[at..]);
    *text = out;
    spans.len()
}

/// `s` with every control but tab and line ends shown escaped: `\x1b`, `\u{9b}`.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, is_bad_control)
}

/// `s` on one line: every control shown escaped, line ends and tabs too (`\n`, `\t`).
pub fn escape_line(s: &str) -> Cow<'_, str> {
    escape_where(s, char::is_control)
}

fn escape_where(s: &str, bad: fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' if bad(c) => out.push_str("\\n"),
            '\r' if bad(c) => out.push_str("\\r"),
            '\t' if bad(c) => out.push_str("\\t"),
            c if bad(c) && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if bad(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// serde_json's output with DEL and the C1 controls (U+007F..U+009F) escaped too.
///
/// serde_json escapes C0 controls (`\u001b`) but writes DEL and C1 as they are, and
/// some terminals obey C1 (U+009B is CSI): in a file name (not blanked on the way in)
/// they would reach the terminal through `--json` output. Escaped as `\u009b`, the JSON
/// value is the same and the bytes are inert.
struct SafeJson<F>(F);

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(fn $name<W: ?Sized + io::Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            self.0.$name(w $(, $arg)*)
        })*
    };
}

impl<F: Formatter> Formatter for SafeJson<F> {
    delegate!(
        begin_array(),
        end_array(),
        begin_array_value(first: bool),
        end_array_value(),
        begin_object(),
        end_object(),
        begin_object_key(first: bool),
        end_object_key(),
        begin_object_value(),
        end_object_value(),
    );

    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        // U+007F is the byte 0x7F and U+0080..=U+009F start with the byte 0xC2: a fragment
        // with neither (nearly every one) is written as it is, with no walk over its chars.
        if !fragment.bytes().any(|b| b == 0x7f || b == 0xc2) {
            return w.write_all(fragment.as_bytes());
        }
        let mut from = 0;
        for (i, c) in fragment.char_indices() {
            if ('\u{7f}'..='\u{9f}').contains(&c) {
                w.write_all(&fragment.as_bytes()[from..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                from = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[from..])
    }
}

/// Writes `value` as JSON (pretty or compact), every control escaped (see [`SafeJson`]).
pub fn write_json<W: io::Write, T: Serialize + ?Sized>(w: W, value: &T, pretty: bool) -> serde_json::Result<()> {
    if pretty {
        value.serialize(&mut Serializer::with_formatter(w, SafeJson(PrettyFormatter::new())))
    } else {
        value.serialize(&mut Serializer::with_formatter(w, SafeJson(CompactFormatter)))
    }
}

/// `value` as one line of JSON, every control escaped (see [`SafeJson`]).
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    write_json(&mut out, value, false)?;
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(serde::ser::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_escapes_del_and_c1_and_means_the_same() {
        let v = serde_json::json!({"path": "a\u{9b}31m\u{1b}]0;x\u{7}b\u{7f}\u{85}é€", "n": [1, 2]});
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_json(&mut out, &v, pretty).unwrap();
            assert!(out.iter().all(|&b| b >= 0x20 || b == b'\n' || b == b' '), "{out:?}");
            assert!(
                !String::from_utf8_lossy(&out)
                    .chars()
                    .any(|c| c.is_control() && c != '\n')
            );
            assert!(String::from_utf8_lossy(&out).contains("\\u009b31m"));
            let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, v);
        }
        let plain = serde_json::json!({"a": "b", "c": [1.5, null]});
        assert_eq!(json_line(&plain).unwrap(), serde_json::to_string(&plain).unwrap());
        let mut pretty = Vec::new();
        write_json(&mut pretty, &plain, true).unwrap();
        assert_eq!(pretty, serde_json::to_vec_pretty(&plain).unwrap());
    }

    #[test]
    fn sequences_become_spaces_of_the_same_length() {
        let cases = [
            "a \u{1b}]8;;http://x.test/\u{1b}\\link\u{1b}]8;;\u{1b}\\ b",
            "title \u{1b}]0;evil 42\u{7} rest",
            "red \u{1b}[31;1m$5\u{1b}[0m billion",
            "c1 \u{9b}31m and \u{9d}0;t\u{9c} and \u{85} next",
            "bare \u{1b} esc and \u{7f} del \u{1b}",
        ];
        for case in cases {
            let mut t = case.to_string();
            assert!(blank_controls(&mut t) > 0, "{case:?}");
            assert_eq!(t.len(), case.len(), "{case:?}");
            assert!(!t.chars().any(is_bad_control), "{t:?}");
        }
        let mut t = cases[1].to_string();
        blank_controls(&mut t);
        assert!(!t.contains("42"), "OSC text is blanked: {t:?}");
        let mut t = cases[2].to_string();
        blank_controls(&mut t);
        assert_eq!(t.split_whitespace().collect::<Vec<_>>(), ["red", "$5", "billion"]);
        let mut plain = "line\n\ttab\r\n".to_string();
        assert_eq!(blank_controls(&mut plain), 0);
        assert_eq!(plain, "line\n\ttab\r\n");
    }

    #[test]
    fn controls_are_shown_escaped() {
        assert_eq!(escape("a\u{1b}[31mb\u{9b}c\nd"), "a\\x1b[31mb\\u{9b}c\nd");
        assert_eq!(escape_line("a\nb\u{7}"), "a\\nb\\x07");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }
}
