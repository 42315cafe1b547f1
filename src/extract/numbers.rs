//! Numbers in digits and in words, with scale words: `1,500`, `281.3`, `$10B`, `4.2m`,
//! `five million`, `twenty-one`, `a dozen`, `half a billion`, `two and a half`.

use std::sync::LazyLock;

use super::tokens::{Lower, Tok, TokKind};
use crate::words;

/// A number read from tokens `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    pub first: usize,
    pub last: usize,
    /// Written (at least partly) in words.
    pub words: bool,
    /// A scale word or suffix was applied (`million`, `bn`, `k`).
    pub scaled: bool,
    /// Digits only, no separator, no decimal, no scale (a candidate year, marker or name).
    pub plain_int: bool,
    /// Has a decimal part.
    pub decimal: bool,
    /// The scale applied (1 when none).
    pub scale: f64,
}

/// The number words below a hundred with their values, from `data/words/number-words.txt`.
static SMALL: LazyLock<Vec<(&str, f64)>> = LazyLock::new(|| {
    words::headed(words::NUMBER_WORDS)
        .filter_map(|(word, value)| Some((word, value.first()?.parse().ok()?)))
        .collect()
});

/// The number words below a hundred, lower case, zero first.
pub static SMALL_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| SMALL.iter().map(|&(word, _)| word).collect());

/// The value of a number word below a hundred (`seven`, `Twenty`).
pub fn small_word(w: &str) -> Option<f64> {
    if w.len() < 3 || w.len() > 9 {
        return None;
    }
    let l = Lower::new(w);
    let l = l.as_str();
    SMALL.iter().find(|(n, _)| *n == l).map(|&(_, v)| v)
}

fn is_fraction(w: &str) -> bool {
    fraction_value(w).is_some()
}

/// `half` 1/2, `quarter(s)` 1/4, `third(s)` 1/3.
fn fraction_value(w: &str) -> Option<f64> {
    let l = Lower::new(w);
    Some(match l.as_str() {
        "half" => 0.5,
        "quarter" | "quarters" => 0.25,
        "third" | "thirds" => 1.0 / 3.0,
        _ => return None,
    })
}

/// A scale word written out or abbreviated after a space: `million`, `bn`, `crore`.
pub fn scale_word(w: &str) -> Option<f64> {
    let l = Lower::new(w);
    Some(match l.as_str() {
        "thousand" => 1e3,
        "million" | "mn" | "mln" | "mil" => 1e6,
        "billion" | "bn" | "bln" | "bil" => 1e9,
        "trillion" | "tn" | "trn" | "tln" => 1e12,
        "crore" | "crores" => 1e7,
        "lakh" | "lakhs" => 1e5,
        _ => return None,
    })
}

/// A scale written straight after the digits (`10bn`, `$10B`, `4.2m`, `50k`).
pub fn glued_scale(w: &str) -> Option<f64> {
    match w {
        "k" | "K" => Some(1e3),
        "m" | "M" | "mm" | "MM" => Some(1e6),
        "b" | "B" => Some(1e9),
        "t" | "T" => Some(1e12),
        _ => scale_word(w),
    }
}

fn word<'a>(toks: &[Tok], text: &'a str, i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| t.kind == TokKind::Word).map(|t| t.text(text))
}

fn is_punct(toks: &[Tok], text: &str, i: usize, p: &str) -> bool {
    toks.get(i)
        .is_some_and(|t| t.kind == TokKind::Punct && t.text(text) == p)
}

/// Longest digit token read as a number: no figure in prose has more digits; longer
/// runs are identifiers, hashes or noise (and would overflow to infinity).
const MAX_NUMBER_LEN: usize = 24;

/// Parses the digits of a number token (`1,500.25`).
pub fn digits_value(s: &str) -> Option<f64> {
    if s.len() > MAX_NUMBER_LEN {
        return None;
    }
    let v: f64 = if s.contains(',') {
        s.replace(',', "").parse().ok()?
    } else {
        s.parse().ok()?
    };
    v.is_finite().then_some(v)
}

/// Reads a number starting at token `i`. `money` lets a spaced single-letter scale
/// (`$ 4.2 m`) count.
pub fn parse_number(toks: &[Tok], text: &str, i: usize, money: bool) -> Option<Number> {
    let t = toks.get(i)?;
    match t.kind {
        TokKind::Num => parse_digits(toks, text, i, money),
        TokKind::Word => parse_words(toks, text, i),
        _ => None,
    }
}

/// "1,500", "10 000", "1.5 million", "10bn": the number token at `i` with its scale.
fn parse_digits(toks: &[Tok], text: &str, i: usize, money: bool) -> Option<Number> {
    let t = &toks[i];
    let s = t.text(text);
    let mut value = digits_value(s)?;
    let mut last = i;
    if let Some(g) = thousands_group(toks, text, i, s) {
        value = value * 1000.0 + digits_value(g.text(text))?;
        last += 1;
    }
    let mut n = Number {
        value,
        first: i,
        last,
        words: false,
        scaled: false,
        plain_int: !s.contains(['.', ',']),
        decimal: s.contains('.'),
        scale: 1.0,
    };
    // "1.5 million", "10bn", "$4.2 m"
    if let Some(next) = toks.get(last + 1).filter(|n| n.kind == TokKind::Word) {
        apply_scale(toks, text, &mut n, next, money);
        // "3 million and a half"
        if n.scaled {
            and_a_fraction(toks, text, &mut n);
        }
    }
    Some(n)
}

/// "10 000": the three-digit group after the digits `s` at `i` when a space is the
/// thousands separator (not when more digits or a tight separator follow).
fn thousands_group<'t>(toks: &'t [Tok], text: &str, i: usize, s: &str) -> Option<&'t Tok> {
    if s.len() > 3 || s.contains('.') {
        return None;
    }
    let g = toks.get(i + 1).filter(|g| g.kind == TokKind::Num && g.space_before)?;
    let more = toks.get(i + 2).is_some_and(|a| {
        a.kind == TokKind::Num
            || (!a.space_before && a.kind == TokKind::Punct && matches!(a.text(text), "-" | "/" | "." | ":"))
    });
    (g.end - g.start == 3 && !more).then_some(g)
}

/// "1.5 million", "10bn", "5 hundred million": applies the scale word `next` after the
/// digits of `n` to it.
fn apply_scale(toks: &[Tok], text: &str, n: &mut Number, next: &Tok, money: bool) {
    let i = n.last;
    let w = next.text(text);
    if let Some(sc) = scale_after(toks, text, i, next, money) {
        n.value *= sc;
        n.scale = sc;
        n.last = i + 1;
        n.scaled = true;
        n.plain_int = false;
        // "1.2 billion" then "trillion" never stack; "5 hundred million" is rare.
    } else if w.eq_ignore_ascii_case("hundred") && next.space_before {
        n.value *= 100.0;
        n.scale = 100.0;
        n.last = i + 1;
        n.scaled = true;
        n.plain_int = false;
        if let Some(sc) = word(toks, text, i + 2).and_then(scale_word) {
            n.value *= sc;
            n.scale *= sc;
            n.last = i + 2;
        }
    }
}

/// "10bn", "1.5 million", "$4.2 m": the scale of the word `next` after the digits at `i`;
/// `money` admits any glued or spaced scale letter.
fn scale_after(toks: &[Tok], text: &str, i: usize, next: &Tok, money: bool) -> Option<f64> {
    let w = next.text(text);
    let at_end = toks.get(i + 2).is_none_or(|t| t.kind == TokKind::Punct);
    if next.space_before {
        scale_word(w).or_else(|| {
            if money || (at_end && matches!(w, "k" | "K" | "M")) {
                glued_scale(w)
            } else {
                None
            }
        })
    } else if money {
        glued_scale(w)
    } else {
        // Without a currency only unambiguous suffixes: "100m users", "10bn", "50k",
        // "10M", "24million".
        matches!(
            w,
            "m" | "M"
                | "k"
                | "K"
                | "b"
                | "B"
                | "bn"
                | "mn"
                | "tn"
                | "bln"
                | "mln"
                | "thousand"
                | "million"
                | "billion"
                | "trillion"
        )
        .then(|| glued_scale(w))
        .flatten()
    }
}

/// "3 million and a half": adds the half or quarter of the scale after a scaled number.
fn and_a_fraction(toks: &[Tok], text: &str, n: &mut Number) {
    let l = n.last;
    if word(toks, text, l + 1).is_some_and(|a| a.eq_ignore_ascii_case("and"))
        && word(toks, text, l + 2).is_some_and(|a| a.eq_ignore_ascii_case("a"))
    {
        let frac = match word(toks, text, l + 3).map(Lower::new).as_deref() {
            Some("half") => 0.5,
            Some("quarter") => 0.25,
            _ => 0.0,
        };
        if frac > 0.0 {
            n.value += frac * n.scale;
            n.last = l + 3;
        }
    }
}

/// A number in words from token `first` to `last`, of scale 1.
fn in_words(value: f64, first: usize, last: usize, scaled: bool) -> Number {
    Number {
        value,
        first,
        last,
        words: true,
        scaled,
        plain_int: false,
        decimal: false,
        scale: 1.0,
    }
}

/// Numbers in words: `five`, `twenty-one`, `one hundred and fifty`, `five million`,
/// `a dozen`, `half a billion`, `two and a half`, `a billion`.
fn parse_words(toks: &[Tok], text: &str, i: usize) -> Option<Number> {
    let w0 = word(toks, text, i)?;
    // "a dozen", "a billion", "half a billion", "a half"
    if w0.eq_ignore_ascii_case("a") || w0.eq_ignore_ascii_case("an") {
        return article_number(toks, text, i);
    }
    if w0.eq_ignore_ascii_case("hundred")
        && let Some(sc) = word(toks, text, i + 1).and_then(scale_word)
    {
        return Some(Number {
            scale: sc,
            ..in_words(100.0 * sc, i, i + 1, true)
        });
    }
    if w0.eq_ignore_ascii_case("dozen") {
        return Some(in_words(12.0, i, i, false));
    }
    if w0.eq_ignore_ascii_case("half") || w0.eq_ignore_ascii_case("quarter") {
        return fraction_number(toks, text, i, w0);
    }
    if let Some(n) = fraction_of_scale(toks, text, i, w0) {
        return Some(n);
    }
    counted_words(toks, text, i, w0)
}

/// "a dozen", "a billion", "a quarter million": a number opened by an article at `i`.
fn article_number(toks: &[Tok], text: &str, i: usize) -> Option<Number> {
    let w1 = word(toks, text, i + 1)?;
    if w1.eq_ignore_ascii_case("dozen") {
        return Some(in_words(12.0, i, i + 1, false));
    }
    if let Some(sc) = scale_word(w1).filter(|&s| s >= 1e6) {
        let mut n = in_words(sc, i, i + 1, true);
        n.scale = sc;
        return Some(n);
    }
    if w1.eq_ignore_ascii_case("quarter") || w1.eq_ignore_ascii_case("half") {
        let f = if w1.eq_ignore_ascii_case("half") { 0.5 } else { 0.25 };
        let sc = word(toks, text, i + 2).and_then(scale_word).filter(|&s| s >= 1e6)?;
        return Some(Number {
            scale: sc,
            ..in_words(f * sc, i, i + 2, true)
        });
    }
    None
}

/// "half million", "half a billion", "quarter million": the fraction `w0` at `i` of a scale.
fn fraction_number(toks: &[Tok], text: &str, i: usize, w0: &str) -> Option<Number> {
    let f = if w0.eq_ignore_ascii_case("half") { 0.5 } else { 0.25 };
    // "half million", "quarter million"
    if let Some(sc) = word(toks, text, i + 1).and_then(scale_word).filter(|&s| s >= 1e3) {
        return Some(Number {
            scale: sc,
            ..in_words(f * sc, i, i + 1, true)
        });
    }
    let a = word(toks, text, i + 1)?;
    let sc = word(toks, text, i + 2).and_then(scale_word)?;
    (a.eq_ignore_ascii_case("a") && sc >= 1e6).then(|| Number {
        scale: sc,
        ..in_words(f * sc, i, i + 2, true)
    })
}

/// "three quarters billion", "two thirds of a million": a count of fractions of a scale.
fn fraction_of_scale(toks: &[Tok], text: &str, i: usize, w0: &str) -> Option<Number> {
    let c = small_word(w0).filter(|&c| c < 10.0)?;
    let f = word(toks, text, i + 1).and_then(fraction_value)?;
    let (sc, end) = if let Some(sc) = word(toks, text, i + 2).and_then(scale_word) {
        (sc, i + 2)
    } else if word(toks, text, i + 2).is_some_and(|x| x.eq_ignore_ascii_case("of"))
        && word(toks, text, i + 3).is_some_and(|x| x.eq_ignore_ascii_case("a"))
        && let Some(sc) = word(toks, text, i + 4).and_then(scale_word)
    {
        (sc, i + 4)
    } else {
        return None;
    };
    Some(Number {
        scale: sc,
        ..in_words(c * f * sc, i, end, true)
    })
}

/// "twenty-one", "one hundred and fifty", "five million", "two and a half million": number
/// words read one by one from `i`, joined by hyphens and "and".
fn counted_words(toks: &[Tok], text: &str, i: usize, w0: &str) -> Option<Number> {
    let mut r = WordsRead {
        total: 0.0,
        current: None,
        last: i,
        scaled: false,
        last_scale: 1.0,
    };
    let mut j = i;
    while let Some(w) = word(toks, text, j) {
        if !r.take(w, j) {
            break;
        }
        match r.link(toks, text, j) {
            Some(next) => j = next,
            None => break,
        }
    }
    let value = r.total + r.current.unwrap_or(0.0);
    if r.last == i && small_word(w0).is_none() {
        return None;
    }
    let mut n = in_words(value, i, r.last, r.scaled);
    n.scale = r.last_scale;
    Some(n)
}

/// What [`counted_words`] has read so far.
struct WordsRead {
    /// The sum of the parts closed by a scale ("five million" of "five million and ten").
    total: f64,
    /// The part below a scale being read ("one hundred and fifty").
    current: Option<f64>,
    /// The last token of the number.
    last: usize,
    scaled: bool,
    last_scale: f64,
}

impl WordsRead {
    /// "twenty", "hundred", "million": adds the word `w` at `j` to the number; false when
    /// it does not continue it ("twenty" after "five").
    fn take(&mut self, w: &str, j: usize) -> bool {
        if let Some(v) = small_word(w) {
            match self.current {
                // "twenty-one", "twenty one"
                Some(c) if c >= 20.0 && c % 100.0 != 0.0 && (c % 10.0) == 0.0 && v < 10.0 => self.current = Some(c + v),
                Some(c) if c >= 100.0 && c % 100.0 == 0.0 && v < 100.0 => self.current = Some(c + v),
                Some(_) => return false,
                None => self.current = Some(v),
            }
            self.last = j;
        } else if w.eq_ignore_ascii_case("hundred") && self.current.is_some() {
            self.current = self.current.map(|c| c * 100.0);
            self.last = j;
        } else if let Some(sc) = scale_word(w).filter(|_| self.current.is_some() || self.total > 0.0) {
            self.total += self.current.take().unwrap_or(1.0) * sc;
            self.scaled = true;
            self.last_scale = sc;
            self.last = j;
            // "two and a half million" is handled below; a bigger scale ends the number.
        } else {
            return false;
        }
        true
    }

    /// "twenty-one", "hundred and fifty": the token of the next part after the word at `j`,
    /// or None when the number ends there.
    fn link(&mut self, toks: &[Tok], text: &str, j: usize) -> Option<usize> {
        // Link to the next part: "-" (glued), "and" (after hundred or before "a half").
        if is_punct(toks, text, j + 1, "-") && toks.get(j + 1).is_some_and(|t| !t.space_before) {
            let glued_word = word(toks, text, j + 2).and_then(small_word).is_some()
                && toks.get(j + 2).is_some_and(|t| !t.space_before);
            return glued_word.then_some(j + 2);
        }
        if word(toks, text, j + 1).is_some_and(|a| a.eq_ignore_ascii_case("and")) {
            return self.link_and(toks, text, j);
        }
        Some(j + 1)
    }

    /// "hundred and fifty", "two and a half", "one million and a half": reads what "and"
    /// after the word at `j` joins; the token of the next part, or None at the end.
    fn link_and(&mut self, toks: &[Tok], text: &str, j: usize) -> Option<usize> {
        // "two and a half (million)"
        if word(toks, text, j + 2).is_some_and(|a| a.eq_ignore_ascii_case("a"))
            && word(toks, text, j + 3).is_some_and(|h| h.eq_ignore_ascii_case("half"))
            && self.current.is_some()
        {
            self.and_a_half(toks, text, j);
            return None;
        }
        if (self.current.is_some_and(|c| c >= 100.0) || (self.current.is_none() && self.scaled))
            && word(toks, text, j + 2).and_then(small_word).is_some()
            && !word(toks, text, j + 3).is_some_and(is_fraction)
        {
            return Some(j + 2);
        }
        // "one million and a half", "five billion and three quarters",
        // "one billion and a quarter million", "six million and two thirds"
        if self.current.is_none() && self.scaled {
            self.and_fraction(toks, text, j);
        }
        None
    }

    /// "two and a half (million)": adds the half after the word at `j` and a scale after it.
    fn and_a_half(&mut self, toks: &[Tok], text: &str, j: usize) {
        self.current = self.current.map(|c| c + 0.5);
        self.last = j + 3;
        let j = j + 4;
        if let Some(sc) = word(toks, text, j).and_then(scale_word) {
            self.total += self.current.take().unwrap_or(0.0) * sc;
            self.scaled = true;
            self.last_scale = sc;
            self.last = j;
        }
    }

    /// "one million and a half", "six million and two thirds": adds the fraction of the
    /// last scale (or of a scale of its own) written after "and" at `j + 1`.
    fn and_fraction(&mut self, toks: &[Tok], text: &str, j: usize) {
        let count = word(toks, text, j + 2).and_then(|x| {
            if x.eq_ignore_ascii_case("a") {
                Some(1.0)
            } else {
                small_word(x)
            }
        });
        if let Some(c) = count
            && let Some(f) = word(toks, text, j + 3).and_then(fraction_value)
        {
            let (scale, end) = match word(toks, text, j + 4).and_then(scale_word) {
                Some(sc) => (sc, j + 4),
                None => (self.last_scale, j + 3),
            };
            self.total += c * f * scale;
            self.last = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn every_number_word_has_its_value() {
        assert_eq!(SMALL.len(), 28);
        assert_eq!(SMALL_WORDS.len(), 28);
        assert_eq!(SMALL[0], ("zero", 0.0));
        assert_eq!(small_word("Nineteen"), Some(19.0));
        assert_eq!(small_word("ninety"), Some(90.0));
    }

    fn num(s: &str) -> Option<(f64, String)> {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let n = parse_number(&toks, s, 0, false)?;
        Some((n.value, s[toks[n.first].start..toks[n.last].end].to_string()))
    }

    #[test]
    fn positives() {
        let table: &[(&str, f64, &str)] = &[
            ("1,500 customers", 1500.0, "1,500"),
            ("281.3 billion", 281.3e9, "281.3 billion"),
            ("10bn", 1e10, "10bn"),
            ("4.2m", 4.2e6, "4.2m"),
            ("50k", 5e4, "50k"),
            ("five million users", 5e6, "five million"),
            ("twenty-one firms", 21.0, "twenty-one"),
            ("Twenty one", 21.0, "Twenty one"),
            ("one hundred and fifty", 150.0, "one hundred and fifty"),
            ("a dozen sites", 12.0, "a dozen"),
            ("half a billion", 5e8, "half a billion"),
            ("two and a half years", 2.5, "two and a half"),
            ("two and a half million", 2.5e6, "two and a half million"),
            ("a billion dollars", 1e9, "a billion"),
            ("5 crore", 5e7, "5 crore"),
            ("seven-year", 7.0, "seven"),
            ("3 hundred million", 3e8, "3 hundred million"),
        ];
        for (s, v, t) in table {
            let got = num(s);
            assert_eq!(got, Some((*v, t.to_string())), "{s}");
        }
    }

    #[test]
    fn negatives() {
        for s in ["a new deal", "half the market", "and", "hundred", "a thousand"] {
            assert_eq!(num(s), None, "{s}");
        }
    }
}
