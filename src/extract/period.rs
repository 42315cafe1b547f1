//! The time a figure refers to, as rules: each rule is a small named function with its
//! examples, tried in table order at every token by one engine ([`periods`]), the first
//! that matches winning (Duckling style).
//!
//! Every value a rule writes is a form [`crate::normalise::Period::parse`] reads (a test
//! holds the two in step): `2023`, `2023-01`, `2023-01-15`, `2025-Q3`, `2005-H1`, `FY2026`,
//! `FY2026-Q2`, `FY2026-H1`, a bare `Q3` / `H2` when the text names no year, and the
//! relative forms `prior-year`, `prior-quarter`, `last-quarter`, `next-year`,
//! `next-quarter`, which the article loop resolves against the article's reporting period
//! ([`Reporting`], [`resolve`]).

use std::sync::LazyLock;

use regex::Regex;

use super::tokens::{Lower, Tok, TokKind};
use crate::clean::meta::month_number;
use crate::normalise::{Part, Period as Span, Relative};
use crate::words;

/// A period expression: tokens `first..=last` and its written form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub first: usize,
    pub last: usize,
    pub value: String,
    /// The rule that found it.
    pub rule: &'static str,
}

/// What a sentence's periods are read against: the article's publication year and month,
/// and whether the sentence speaks of the future (a bare month then means its next one).
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub year: Option<u32>,
    pub month: Option<u32>,
    pub future: bool,
}

/// A calendar year token (`2019`): 1900-2100, four plain digits.
pub fn year_of(t: &Tok, text: &str) -> Option<u32> {
    let s = t.text(text);
    if t.kind != TokKind::Num || s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u32 = s.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

/// One sentence under the rules.
struct Cur<'a> {
    toks: &'a [Tok],
    text: &'a str,
    cx: Context,
    /// Each token lower-cased once, `None` for a number or punctuation: every rule is
    /// tried at every token and reads the words around it.
    lower: Vec<Option<Lower<'a>>>,
    /// Each token's month number when it is a capitalised month name (`January`, `Jan`).
    months: Vec<Option<u32>>,
}

impl<'a> Cur<'a> {
    fn new(toks: &'a [Tok], text: &'a str, cx: Context) -> Cur<'a> {
        let lower = toks
            .iter()
            .map(|t| (t.kind == TokKind::Word).then(|| Lower::new(t.text(text))))
            .collect();
        let months = toks.iter().map(|t| month_name(t.text(text))).collect();
        Cur {
            toks,
            text,
            cx,
            lower,
            months,
        }
    }

    fn word(&self, i: usize) -> Option<Lower<'a>> {
        self.lower.get(i).copied().flatten()
    }

    /// The word at `i` is one of `ws` (lower case).
    fn is(&self, i: usize, ws: &[&str]) -> bool {
        self.word(i).is_some_and(|w| ws.contains(&w.as_str()))
    }

    fn raw(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }

    fn year(&self, i: usize) -> Option<u32> {
        self.toks.get(i).and_then(|t| year_of(t, self.text))
    }

    /// A hyphen or dash joining two words ("third-quarter", "October-to-December").
    fn dash(&self, i: usize) -> bool {
        matches!(self.raw(i), "-" | "‑" | "–" | "—")
    }

    /// A capitalised month name (`January`, `Jan.`): its number and its last token.
    fn month(&self, i: usize) -> Option<(u32, usize)> {
        let m = self.months.get(i).copied().flatten()?;
        Some(if self.raw(i + 1) == "." { (m, i + 1) } else { (m, i) })
    }

    /// A day of the month (`1`, `31`).
    fn day(&self, i: usize) -> Option<u32> {
        let t = self
            .toks
            .get(i)
            .filter(|t| t.kind == TokKind::Num && t.end - t.start <= 2)?;
        t.text(self.text).parse().ok().filter(|d| (1..=31).contains(d))
    }

    /// `of 2026`, `of fiscal 2026`, `of fiscal year 2026`, `of its 2026 fiscal year`, `of
    /// last year`, `of the year` after token `i - 1`: the year, whether fiscal, and the last
    /// token.
    fn of_year(&self, i: usize) -> Option<(u32, bool, usize)> {
        let mut j = if self.is(i, &["of", "in"]) { i + 1 } else { i };
        if self.is(j, &["its", "their"]) {
            j += 1;
        }
        if let Some(y) = self.year(j)
            && self.is(j + 1, &["fiscal"])
            && self.is(j + 2, &["year"])
        {
            return Some((y, true, j + 2));
        }
        if self.is(j, &["last"]) && self.is(j + 1, &["year"]) {
            return Some((self.cx.year? - 1, false, j + 1));
        }
        if self.is(j, &["the", "this"]) && self.is(j + 1, &["year"]) {
            return Some((self.cx.year?, false, j + 1));
        }
        let fiscal = self.is(j, &["fiscal"]);
        let mut k = if fiscal { j + 1 } else { j };
        if fiscal && self.is(k, &["year"]) {
            k += 1;
        }
        if let Some((y, last)) = fiscal_code(self, k).filter(|_| !fiscal) {
            return Some((y, true, last));
        }
        Some((self.year(k)?, fiscal, k))
    }

    /// A month named without its year, resolved against the publication date: the nearest
    /// one (ties to the past), or the next one in a sentence about the future.
    fn month_year(&self, m: u32) -> Option<u32> {
        let (y, pm) = (self.cx.year?, self.cx.month?);
        Some(if self.cx.future {
            if m >= pm { y } else { y + 1 }
        } else if m <= pm {
            if pm - m <= 6 { y } else { y + 1 }
        } else if m - pm < 6 {
            y
        } else {
            y - 1
        })
    }
}

/// `FY2026`, `FY26`, `FY 2026` (with the next token): the fiscal year and its last token.
fn fiscal_code(c: &Cur, i: usize) -> Option<(u32, usize)> {
    let t = c.toks.get(i).filter(|t| t.kind == TokKind::Word)?;
    let w = t.text(c.text);
    let digits = w.strip_prefix("FY").or_else(|| w.strip_prefix("fy"))?;
    if digits.is_empty() {
        return c.year(i + 1).map(|y| (y, i + 1));
    }
    let y = digits.parse::<u32>().ok()?;
    let y = match digits.len() {
        2 => 2000 + y,
        4 if (1900..=2100).contains(&y) => y,
        _ => return None,
    };
    Some((y, i))
}

/// `Q2`, `H1`: the quarter or half.
fn part_code(w: &str) -> Option<Part> {
    let b = w.as_bytes();
    match b {
        [b'Q' | b'q', d @ b'1'..=b'4'] => Some(Part::Quarter(d - b'0')),
        [b'H' | b'h', d @ b'1'..=b'2'] => Some(Part::Half(d - b'0')),
        _ => None,
    }
}

/// The written form of a part of a year: fiscal, calendar or of unknown year.
fn part_value(part: Part, year: Option<(u32, bool)>) -> String {
    match year {
        Some((y, true)) => format!("FY{y}-{part}"),
        Some((y, false)) => format!("{y}-{part}"),
        None => part.to_string(),
    }
}

type Found = Option<(usize, String)>;

/// A rule: its name, its examples (a sentence and the values found in it), its negatives
/// (a sentence and a piece of it that looks like a period the rule reads but is not one)
/// and its production, which reads a period at a token of the sentence.
type Rule = super::rules::Rule<fn(&Cur, usize) -> Found, (&'static str, &'static [&'static str])>;

/// `Q2 FY2026`, `Q3 2025`, `Q3`.
fn quarter_code(c: &Cur, i: usize) -> Found {
    let part = part_code(c.raw(i)).filter(|_| c.toks[i].kind == TokKind::Word)?;
    if let Some((y, last)) = fiscal_code(c, i + 1) {
        return Some((last, part_value(part, Some((y, true)))));
    }
    if let Some(y) = c.year(i + 1) {
        return Some((i + 1, part_value(part, Some((y, false)))));
    }
    Some((i, part.to_string()))
}

/// `FY2026 Q2`, `FY2026`.
fn fiscal_year_code(c: &Cur, i: usize) -> Found {
    let (y, last) = fiscal_code(c, i)?;
    match c.word(last + 1).and_then(|w| part_code(&w)) {
        Some(part) => Some((last + 1, part_value(part, Some((y, true))))),
        None => Some((last, format!("FY{y}"))),
    }
}

/// `fiscal Q3 2026`, `fiscal Q4`, `fiscal 2026`, `fiscal year 2026`.
fn fiscal_word(c: &Cur, i: usize) -> Found {
    if !c.is(i, &["fiscal"]) {
        return None;
    }
    if let Some(part) = c.word(i + 1).and_then(|w| part_code(&w)) {
        let year = c.year(i + 2).map(|y| (y, true));
        return Some((if year.is_some() { i + 2 } else { i + 1 }, part_value(part, year)));
    }
    let j = if c.is(i + 1, &["year"]) { i + 2 } else { i + 1 };
    c.year(j).map(|y| (j, format!("FY{y}")))
}

const ORDINALS: &[(&str, u8)] = &[("first", 1), ("second", 2), ("third", 3), ("fourth", 4)];

/// `the third quarter of fiscal 2026`, `third-quarter revenue`, `the third fiscal quarter`,
/// `fiscal fourth-quarter`, `the first half of 2024`, `the last quarter of 2004`.
fn ordinal_part(c: &Cur, i: usize) -> Found {
    let w = c.word(i)?;
    let w = w.as_str();
    let n = ORDINALS.iter().find(|(o, _)| *o == w).map(|&(_, n)| n);
    let n = n.or_else(|| matches!(w, "last" | "final").then_some(0))?;
    let mut j = i + 1;
    if c.dash(j) {
        j += 1;
    }
    let fiscal = c.is(j, &["fiscal"]) || (i > 0 && c.is(i - 1, &["fiscal"]));
    if c.is(j, &["fiscal"]) {
        j += 1;
    }
    let part = match (c.word(j)?.as_str(), n) {
        ("quarter", 0) => Part::Quarter(4),
        ("half", 0) => Part::Half(2),
        ("quarter", n) => Part::Quarter(n),
        ("half", 1 | 2) => Part::Half(n),
        _ => return None,
    };
    match c.of_year(j + 1) {
        Some((y, fy, last)) => Some((last, part_value(part, Some((y, fy || fiscal))))),
        // "last quarter" alone is relative (see `relative`).
        None if n == 0 => None,
        None => Some((j, part.to_string())),
    }
}

/// `the December quarter`, `the March quarter of 2024`: the calendar quarter ending in that
/// month, its year written or resolved by the publication date.
fn month_quarter(c: &Cur, i: usize) -> Found {
    let (m, j) = c.month(i)?;
    if m % 3 != 0 || !c.is(j + 1, &["quarter"]) || !(i > 0 && c.is(i - 1, &["the"])) {
        return None;
    }
    let part = Part::Quarter((m / 3) as u8);
    let (y, last) = match c.of_year(j + 2) {
        Some((y, false, last)) => (Some(y), last),
        _ => (c.month_year(m), j + 1),
    };
    Some((last, part_value(part, y.map(|y| (y, false)))))
}

/// `the first three months of 2024`, `the last three months of 2023`, `the first six months
/// of the year`.
fn months_of_year(c: &Cur, i: usize) -> Found {
    let first = match c.word(i)?.as_str() {
        "first" => true,
        "last" | "final" => false,
        _ => return None,
    };
    let len = match c.word(i + 1)?.as_str() {
        "three" | "3" => 3,
        "six" | "6" => 6,
        _ => return None,
    };
    if !c.is(i + 2, &["months"]) {
        return None;
    }
    let (y, fiscal, last) = c.of_year(i + 3)?;
    let part = match (len, first) {
        (3, true) => Part::Quarter(1),
        (3, false) => Part::Quarter(4),
        (_, true) => Part::Half(1),
        (_, false) => Part::Half(2),
    };
    Some((last, part_value(part, Some((y, fiscal)))))
}

/// `the three months to March 31`, `the six months ended June 30, 2024`, `the three months
/// to 31 December`: a calendar quarter or half by its last month.
fn months_to(c: &Cur, i: usize) -> Found {
    let len = match c.word(i)?.as_str() {
        "three" => 3,
        "six" => 6,
        _ => return None,
    };
    if !c.is(i + 1, &["months"]) || !c.is(i + 2, &["to", "ended", "ending", "through"]) {
        return None;
    }
    let mut j = i + 3;
    if c.day(j).is_some() {
        j += 1;
    }
    let (m, mut last) = c.month(j)?;
    if c.day(last + 1).is_some() {
        last += 1;
    }
    let part = match (len, m) {
        (3, 3 | 6 | 9 | 12) => Part::Quarter((m / 3) as u8),
        (6, 6 | 12) => Part::Half((m / 6) as u8),
        _ => return None,
    };
    let comma = usize::from(c.raw(last + 1) == ",");
    if let Some(y) = c.year(last + 1 + comma) {
        return Some((last + 1 + comma, part_value(part, Some((y, false)))));
    }
    // Results are reported after the span ends: its latest end by the publication date
    // (with none, the part of a year not stated).
    let year =
        c.cx.year
            .zip(c.cx.month)
            .map(|(y, pm)| (if m <= pm { y } else { y - 1 }, false));
    Some((last, part_value(part, year)))
}

/// `between January and March`, `from 1 January to 31 March`, `the October-to-December
/// period`, `July–September`: a calendar quarter or half by its months.
fn month_range(c: &Cur, i: usize) -> Found {
    let mut j = i;
    if c.day(j).is_some() {
        j += 1;
    }
    let (a, end_a) = c.month(j)?;
    // "-", "to", "and", "through", "-to-": one to three joining tokens.
    let joins = (end_a + 1..end_a + 4)
        .take_while(|&k| c.dash(k) || c.is(k, &["to", "and", "through"]))
        .count();
    if joins == 0 {
        return None;
    }
    let mut k = end_a + 1 + joins;
    if c.day(k).is_some() {
        k += 1;
    }
    let (b, mut last) = c.month(k)?;
    if c.day(last + 1).is_some() {
        last += 1;
    }
    let part = match (a, b) {
        (1 | 4 | 7 | 10, b) if b == a + 2 => Part::Quarter(a.div_ceil(3) as u8),
        (1 | 7, b) if b == a + 5 => Part::Half(a.div_ceil(6) as u8),
        _ => return None,
    };
    let comma = usize::from(c.raw(last + 1) == ",");
    let y = match c.year(last + 1 + comma) {
        Some(y) => {
            last += 1 + comma;
            Some(y)
        }
        None => c.month_year(b),
    };
    Some((last, part_value(part, y.map(|y| (y, false)))))
}

/// `January 2023`, `Jan. 2023`, `March 3, 2026`; without a year, after a preposition (`in
/// October`, `from October 1`, `last October`), resolved by the publication date.
fn month_date(c: &Cur, i: usize) -> Found {
    let (m, mut j) = c.month(i)?;
    let day = c.day(j + 1);
    if day.is_some() {
        j += 1;
    }
    let comma = usize::from(c.raw(j + 1) == ",");
    let fmt = |y: u32| match day {
        Some(d) => format!("{y}-{m:02}-{d:02}"),
        None => format!("{y}-{m:02}"),
    };
    if let Some(y) = c.year(j + 1 + comma) {
        return Some((j + 1 + comma, fmt(y)));
    }
    // "May" opens sentences as a verb: a month without its year needs a word that times it.
    let before = i.checked_sub(1).and_then(|k| c.word(k))?;
    let y = match before.as_str() {
        "last" => match c.cx.year.zip(c.cx.month) {
            Some((y, pm)) => y - u32::from(m >= pm),
            None => return Some((j, format!("last--{m:02}"))),
        },
        "in" | "from" | "on" | "by" | "until" | "through" | "during" | "since" | "early" | "late" | "mid" | "of" => {
            match c.month_year(m) {
                Some(y) => y,
                None => return Some((j, format!("--{m:02}"))),
            }
        }
        _ => return None,
    };
    Some((j, fmt(y)))
}

/// `11 May 2026`, `1 October`.
fn day_month(c: &Cur, i: usize) -> Found {
    let d = c.day(i)?;
    let (m, last) = c.month(i + 1)?;
    match c.year(last + 1) {
        Some(y) => Some((last + 1, format!("{y}-{m:02}-{d:02}"))),
        None if i > 0 && c.is(i - 1, &["on", "from", "by", "until", "since"]) => Some((
            last,
            match c.month_year(m) {
                Some(y) => format!("{y}-{m:02}-{d:02}"),
                None => format!("--{m:02}"),
            },
        )),
        None => None,
    }
}

/// `so far this year`, `year to date`, `this month`, `last month`: the publication's.
fn this_year(c: &Cur, i: usize) -> Found {
    let (y, w) = (c.cx.year?, c.word(i)?);
    let ytd =
        w == "year" && (c.is(i + 1, &["to"]) || c.dash(i + 1)) && (c.is(i + 2, &["date"]) || c.is(i + 3, &["date"]));
    if ytd {
        return Some((if c.is(i + 2, &["date"]) { i + 2 } else { i + 3 }, y.to_string()));
    }
    match (w.as_str(), c.word(i + 1)?.as_str()) {
        ("this", "year") => Some((i + 1, y.to_string())),
        ("this", "month") => Some((i + 1, format!("{y}-{:02}", c.cx.month?))),
        ("last", "month") => {
            let m = c.cx.month?;
            Some((
                i + 1,
                if m == 1 {
                    format!("{}-12", y - 1)
                } else {
                    format!("{y}-{:02}", m - 1)
                },
            ))
        }
        _ => None,
    }
}

/// `current`, `currently`, `at present`: the month the article was written in ("up from
/// £1,971 at present", "the current cap of £1,971"), or `present` when it gives no date. "The current quarter" or "year" is
/// left alone: the article's reporting period says which one that is.
fn at_present(c: &Cur, i: usize) -> Found {
    const SPANS: &[&str] = &["quarter", "year", "fiscal", "financial", "month", "period", "half"];
    let w = c.word(i)?;
    let last = match w.as_str() {
        "currently" | "presently" => i,
        "current" if !c.is(i + 1, SPANS) => i,
        "at" if c.is(i + 1, &["present"]) => i + 1,
        _ => return None,
    };
    let now = match (c.cx.year, c.cx.month) {
        (Some(y), Some(m)) => format!("{y}-{m:02}"),
        _ => Span::Relative(Relative::Present).to_string(),
    };
    Some((last, now))
}

/// Relative periods: `a year earlier`, `a year ago`, `the year-ago quarter`, `the same
/// period last year`, `the same quarter of the previous fiscal year`, `the previous
/// quarter`, `last quarter`, `last year`, `next year`, `next quarter`.
fn relative(c: &Cur, i: usize) -> Found {
    let w = c.word(i)?;
    let rel = |last: usize, r: Relative| Some((last, Span::Relative(r).to_string()));
    match w.as_str() {
        "a" | "one" if c.is(i + 1, &["year"]) && c.is(i + 2, &["earlier", "ago", "before"]) => {
            rel(i + 2, Relative::PriorYear)
        }
        "year" if c.dash(i + 1) && c.is(i + 2, &["ago", "earlier"]) => {
            let last = if c.is(i + 3, &["quarter", "period", "month"]) {
                i + 3
            } else {
                i + 2
            };
            rel(last, Relative::PriorYear)
        }
        "same" => same_span_a_year_before(c, i),
        "previous" | "prior" | "preceding" => {
            let j = if c.is(i + 1, &["fiscal"]) { i + 2 } else { i + 1 };
            match c.word(j)?.as_str() {
                "quarter" => rel(j, Relative::PriorQuarter),
                "year" => rel(j, Relative::PriorYear),
                _ => None,
            }
        }
        // "in the last year": the twelve months to now, not the year before.
        "last" | "next" if i > 0 && c.is(i - 1, &["the"]) && c.is(i + 1, &["year"]) => None,
        "last" | "next" => {
            let next = w == "next";
            let fiscal = c.is(i + 1, &["fiscal"]);
            let j = if fiscal { i + 2 } else { i + 1 };
            match (c.word(j)?.as_str(), next) {
                ("quarter", true) => rel(j, Relative::NextQuarter),
                ("quarter", false) => rel(j, Relative::LastQuarter),
                ("year", _) => match c.cx.year.filter(|_| !fiscal) {
                    Some(y) => Some((j, if next { y + 1 } else { y - 1 }.to_string())),
                    None => rel(j, if next { Relative::NextYear } else { Relative::PriorYear }),
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// `the same period last year`, `the same quarter a year earlier`, `the same period of the
/// previous fiscal year`: the reporting span a year before.
fn same_span_a_year_before(c: &Cur, i: usize) -> Found {
    if !c.is(i + 1, &["period", "quarter", "month", "time", "three", "six"]) {
        return None;
    }
    let window = i + 2..(i + 9).min(c.toks.len());
    let last = window.clone().find(|&k| {
        (c.is(k, &["last", "previous", "prior"]) && c.is(k + 1, &["year"]))
            || (c.is(k, &["previous", "prior"]) && c.is(k + 1, &["fiscal"]) && c.is(k + 2, &["year"]))
            || (c.is(k, &["year"]) && c.is(k + 1, &["earlier", "ago", "before"]))
    })?;
    let end = (last..last + 3).find(|&k| {
        c.is(k, &["year", "earlier", "ago", "before"]) && !c.is(k + 1, &["earlier", "ago", "before", "year"])
    })?;
    Some((end, Span::Relative(Relative::PriorYear).to_string()))
}

/// `2019`: a year on its own.
fn plain_year(c: &Cur, i: usize) -> Found {
    c.year(i).map(|y| (i, y.to_string()))
}

/// The month a capitalised token names (`January`, `Jan`), read once per token by
/// [`Cur::new`].
fn month_name(w: &str) -> Option<u32> {
    if !(3..=9).contains(&w.len()) || !w.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    month_number(w)
}

/// Every rule, in the order they are tried at a token.
const RULES: &[Rule] = &[
    Rule {
        name: "quarter code",
        examples: &[
            ("in Q2 FY2026", &["FY2026-Q2"]),
            ("Q3 2025 sales", &["2025-Q3"]),
            ("H1 profit", &["H1"]),
        ],
        negatives: &[
            ("The Q7 sedan sold 4,000 units.", "Q7"),
            ("Its H3 trucks were dropped in 2010.", "H3"),
            ("Sales of Q-tips rose 5%.", "Q-tips"),
        ],
        applies: quarter_code,
    },
    Rule {
        name: "fiscal year code",
        examples: &[("in FY26", &["FY2026"]), ("FY2026 Q1 results", &["FY2026-Q1"])],
        negatives: &[
            ("Form FY123 was filed late.", "FY123"),
            ("The FY9000 drone costs $400.", "FY9000"),
            ("FYI, 2,000 seats sold out.", "FYI"),
        ],
        applies: fiscal_year_code,
    },
    Rule {
        name: "fiscal word",
        examples: &[
            ("in fiscal 2026", &["FY2026"]),
            ("for fiscal Q3 2026", &["FY2026-Q3"]),
            ("its fiscal Q4 outlook", &["Q4"]),
        ],
        negatives: &[
            ("The fiscal Q5 target was a typo.", "fiscal Q5"),
            ("The council's fiscal year begins in April.", "fiscal year"),
        ],
        applies: fiscal_word,
    },
    Rule {
        name: "ordinal part",
        examples: &[
            ("the second quarter of fiscal 2026", &["FY2026-Q2"]),
            ("the first quarter of 2024", &["2024-Q1"]),
            ("third-quarter sales rose", &["Q3"]),
            ("in the third fiscal quarter", &["Q3"]),
            ("its fiscal fourth‑quarter forecast", &["Q4"]),
            ("the fourth quarter of last year", &["2025-Q4"]),
            ("the last quarter of 2004", &["2004-Q4"]),
            ("in the first half of 2024", &["2024-H1"]),
            ("in the second quarter of its 2026 fiscal year", &["FY2026-Q2"]),
        ],
        negatives: &[
            ("He was the first quarterback to earn $50 million.", "first quarterback"),
            ("It paid its fourth quarterly dividend of 2024.", "fourth quarterly"),
            // Alone, "last quarter" is relative (the rule below).
            ("Sales fell 3% in the last quarter.", "last quarter"),
        ],
        applies: ordinal_part,
    },
    Rule {
        name: "quarter named by its last month",
        examples: &[
            ("revenue in the December quarter", &["2025-Q4"]),
            ("the March quarter of 2024", &["2024-Q1"]),
            ("the May quarter", &[]),
        ],
        negatives: &[
            ("Sales in the August quarter rose 4%.", "August quarter"),
            ("Every December quarter brings a 10% dip.", "December quarter"),
        ],
        applies: month_quarter,
    },
    Rule {
        name: "months of a year",
        examples: &[
            ("the first three months of 2024", &["2024-Q1"]),
            ("the final three months of 2004", &["2004-Q4"]),
            ("the first six months of the year", &["2026-H1"]),
        ],
        negatives: &[
            ("Sales rose in the first four months of 2024.", "first four months"),
            ("In the first three months, sales rose 8%.", "first three months"),
            ("It lost 2% in the last six months of talks.", "last six months"),
        ],
        applies: months_of_year,
    },
    Rule {
        name: "months to",
        examples: &[
            ("in the three months to March 31", &["2026-Q1"]),
            ("the three months to 31 December", &["2025-Q4"]),
            ("six months ended June 30, 2024", &["2024-H1"]),
        ],
        negatives: &[
            ("It sold 400 in the three months to May 31.", "three months to May 31"),
            ("It sold 400 cars in the two months to March.", "two months to March"),
            ("Profit fell in the six months to September.", "six months to September"),
        ],
        applies: months_to,
    },
    Rule {
        name: "month range",
        examples: &[
            ("between January and March", &["2026-Q1"]),
            ("in the October-to-December period", &["2025-Q4"]),
            ("From 1 January to 31 March", &["2026-Q1"]),
        ],
        negatives: &[
            ("Sales rose 3% between February and April.", "February and April"),
            ("Bookings in July and August rose 12%.", "July and August"),
        ],
        applies: month_range,
    },
    Rule {
        name: "month date",
        examples: &[
            ("in January 2023 it paid", &["2023-01"]),
            ("March 3, 2026", &["2026-03-03"]),
            ("prices rise in October", &["2025-10"]),
            ("a cap that applies from October 1", &["2025-10-01"]),
            ("last April the cap was", &["2025-04"]),
            ("sales in March", &["2026-03"]),
        ],
        negatives: &[
            ("May said the deal would cost £2bn.", "May"),
            ("Analysts at March Capital cut 300 jobs.", "March"),
            ("Sue May, 45, paid £900.", "May"),
        ],
        applies: month_date,
    },
    Rule {
        name: "day month",
        examples: &[
            ("on 11 May 2026", &["2026-05-11"]),
            ("took effect on 1 April", &["2026-04-01"]),
        ],
        negatives: &[
            ("Of its 30 April recruits, 12 left.", "30 April"),
            ("After 11 March protests, 400 were held.", "11 March"),
        ],
        applies: day_month,
    },
    Rule {
        name: "this year",
        examples: &[
            ("up 7% so far this year", &["2026"]),
            ("Year to date, shares", &["2026"]),
            ("fell 3% this month", &["2026-04"]),
            ("rose 2% last month", &["2026-03"]),
        ],
        negatives: &[
            ("Sales rose 4% in the year to June.", "year to June"),
            ("Shares fell 3% this week.", "this week"),
        ],
        applies: this_year,
    },
    Rule {
        name: "at present",
        examples: &[
            ("up from £1,971 at present", &["2026-04"]),
            ("the current cap of £1,971", &["2026-04"]),
            ("it currently covers 24 million homes", &["2026-04"]),
            ("sales in the current quarter", &[]),
        ],
        negatives: &[
            ("Costs in the current fiscal year rose 5%.", "current"),
            ("The present owners paid £1,971 for it.", "present"),
        ],
        applies: at_present,
    },
    Rule {
        name: "relative",
        examples: &[
            ("from a year earlier", &["prior-year"]),
            ("the year-ago quarter", &["prior-year"]),
            ("the same period last year", &["prior-year"]),
            ("the same quarter a year earlier", &["prior-year"]),
            ("the same quarter of the previous fiscal year", &["prior-year"]),
            ("versus the prior quarter", &["prior-quarter"]),
            ("than last quarter", &["last-quarter"]),
            ("profit last year", &["2025"]),
            ("sales next year", &["2027"]),
            ("in the next quarter", &["next-quarter"]),
            ("the previous fiscal year", &["prior-year"]),
        ],
        negatives: &[
            ("Sales grew 150% in the last year.", "last year"),
            ("A year-long dispute cost £3m.", "year-long"),
            ("Profit was 20% lower two years earlier.", "two years earlier"),
            ("Sales will double over the next five years.", "next five years"),
        ],
        applies: relative,
    },
    Rule {
        name: "plain year",
        examples: &[("by 2023 and in 2019", &["2023", "2019"])],
        negatives: &[
            ("The plant cut 2,025 jobs.", "2,025"),
            ("The A2030 chip sells for $99.", "A2030"),
            ("It built a 3000 MW plant.", "3000"),
        ],
        applies: plain_year,
    },
];

/// Every period expression in a tokenized sentence, in order, read in `cx`.
pub fn periods(toks: &[Tok], text: &str, cx: Context) -> Vec<Period> {
    let c = Cur::new(toks, text, cx);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match RULES
            .iter()
            .find_map(|r| (r.applies)(&c, i).map(|(last, value)| (r.name, last, value)))
        {
            Some((rule, last, value)) => {
                out.push(Period {
                    first: i,
                    last,
                    value,
                    rule,
                });
                i = last.max(i) + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Words that put a sentence in the future: its figures are forecasts or guidance, not
/// results of the span the article reports.
static FUTURE_WORDS: LazyLock<super::tokens::WordSet> = LazyLock::new(|| words::set(words::FUTURE_WORDS));

/// Whether the sentence speaks of the future (`will`, `expects`, `guidance`, `next`).
pub fn is_future(toks: &[Tok], text: &str) -> bool {
    toks.iter()
        .filter(|t| t.kind == TokKind::Word)
        .any(|t| FUTURE_WORDS.contains(Lower::new(t.text(text)).as_str()) || t.text(text).ends_with("'ll"))
}

/// The article's reporting period: the quarter or half its figures most often state as
/// their own (a bare `Q1` counting for `2024-Q1` too; ties to a year stated, then to the
/// first seen), else a fiscal year, else a calendar year stated by two figures or more and
/// more often than any other. A figure's own period weighs [`FIGURE_WEIGHT`], a span that a
/// sentence without figures names weighs 1 ("the last time sales fell was in the second
/// quarter of 2020"), and a span counts once per sentence.
#[derive(Debug, Default, Clone)]
pub struct Reporting {
    /// (period, weight, rank): rank 3 quarter or half of a known year, 2 fiscal year, 1 bare
    /// quarter or half, 0 calendar year.
    seen: Vec<(Span, usize, u8)>,
    /// The sentence last noted (its start) and the spans noted in it.
    sentence: Option<usize>,
    in_sentence: Vec<Span>,
}

/// How much a figure's own period weighs towards the reporting period, against 1 for a span
/// named in a sentence without figures.
pub const FIGURE_WEIGHT: usize = 2;

impl Reporting {
    /// Counts a period stated in the sentence starting at `sentence`: a figure's own (not
    /// one stated as the base of a change, and not one of a sentence about the future) when
    /// `figure`, else one a sentence without figures names.
    pub fn note(&mut self, value: &str, sentence: usize, figure: bool) {
        let Some(p) = Span::parse(value) else { return };
        let rank = match &p {
            Span::CalendarPart(..) | Span::Fiscal(_, Some(_)) => 3,
            Span::Fiscal(_, None) => 2,
            Span::Bare(Part::Quarter(_)) => 1,
            Span::Calendar(v) if v.len() == 1 => 0,
            _ => return,
        };
        if self.sentence != Some(sentence) {
            self.sentence = Some(sentence);
            self.in_sentence.clear();
        }
        if self.in_sentence.contains(&p) {
            return;
        }
        self.in_sentence.push(p.clone());
        let weight = if figure { FIGURE_WEIGHT } else { 1 };
        match self.seen.iter_mut().find(|(q, _, _)| *q == p) {
            Some(e) => e.1 += weight,
            None => self.seen.push((p, weight, rank)),
        }
    }

    /// A period's weight with that of the bare quarters it holds (`Q1` for `2024-Q1`).
    fn support(&self, p: &Span, weight: usize, rank: u8) -> usize {
        let bare = |q: &Span| matches!(q, Span::Bare(_)) && q.same(p) == Some(true);
        weight
            + if rank == 3 {
                self.seen.iter().filter(|(q, ..)| bare(q)).map(|e| e.1).sum()
            } else {
                0
            }
    }

    /// The reporting period, if the article has one.
    pub fn period(&self) -> Option<Span> {
        let tier = |rank: u8| match rank {
            3 | 1 => 2,
            2 => 1,
            _ => 0,
        };
        let best =
            self.seen.iter().enumerate().max_by_key(|(i, (p, w, rank))| {
                (tier(*rank), self.support(p, *w, *rank), *rank, std::cmp::Reverse(*i))
            })?;
        let (p, n, rank) = &best.1;
        if *rank == 0 {
            let rival = self.seen.iter().any(|(q, m, r)| *r == 0 && q != p && m >= n);
            if *n < 2 * FIGURE_WEIGHT || rival {
                return None;
            }
        }
        Some(p.clone())
    }
}

/// The quarter of a period written as one (`2024-Q1`, `Q1`, `FY2026-Q3`).
pub fn quarter_of(value: &str) -> Option<u8> {
    match Span::parse(value)? {
        Span::CalendarPart(_, Part::Quarter(q))
        | Span::Fiscal(_, Some(Part::Quarter(q)))
        | Span::Bare(Part::Quarter(q)) => Some(q),
        _ => None,
    }
}

/// A figure's period in its article: its own period resolved against the reporting period
/// (`prior-year` of `FY2026-Q3` is `FY2025-Q3`; a bare `Q4` beside `FY2026-Q3` is
/// `FY2026-Q4`), or, for a figure that states none, the reporting period itself unless the
/// figure is a duration or its sentence speaks of the future.
pub fn resolve(own: Option<&str>, reporting: Option<&Span>, inherit: bool, future: bool) -> Option<String> {
    let Some(own) = own else {
        return reporting.filter(|_| inherit && !future).map(Span::to_string);
    };
    let (Some(p), Some(r)) = (Span::parse(own), reporting) else {
        return Some(own.to_string());
    };
    let resolved = match p {
        Span::Relative(Relative::PriorYear) => r.shifted(-1, 0),
        Span::Relative(Relative::NextYear) => r.shifted(1, 0),
        Span::Relative(Relative::PriorQuarter) => r.shifted(0, -1),
        Span::Relative(Relative::NextQuarter) => r.shifted(0, 1),
        // News published after a quarter closes calls the quarter it reports "last quarter".
        Span::Relative(Relative::LastQuarter) => r.shifted(0, 0),
        Span::Bare(Part::Quarter(q)) => nearest_quarter(r, q, future),
        _ => None,
    };
    Some(resolved.map_or_else(|| own.to_string(), |p| p.to_string()))
}

/// The quarter `q` nearest the reporting quarter (or inside the reporting year); two
/// quarters away either side goes forward in a sentence about the future, else back.
fn nearest_quarter(r: &Span, q: u8, future: bool) -> Option<Span> {
    let (y, rq, fiscal) = match *r {
        Span::CalendarPart(y, Part::Quarter(rq)) => (y, rq, false),
        Span::Fiscal(y, Some(Part::Quarter(rq))) => (y, rq, true),
        Span::Fiscal(y, None) => return Some(Span::Fiscal(y, Some(Part::Quarter(q)))),
        Span::Calendar(ref v) if v.len() == 1 => return Some(Span::CalendarPart(v[0], Part::Quarter(q))),
        _ => return None,
    };
    let d = i32::from(q) - i32::from(rq);
    let d = match d {
        3 => -1,
        -3 => 1,
        2 | -2 if future => 2,
        2 | -2 => -2,
        d => d,
    };
    let p = if fiscal {
        Span::Fiscal(y, Some(Part::Quarter(rq)))
    } else {
        Span::CalendarPart(y, Part::Quarter(rq))
    };
    p.shifted(0, d)
}

/// Full dates written in an article: `2022-08-26`, `March 14, 2024`, `14 March 2024`.
/// Its word boundaries are ASCII so that the fast engine scans a whole article;
/// [`word_bounded`] then asks the Unicode question of each match's two ends.
static FULL_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:((?:19|20)\d\d)-(\d\d)-\d\d|([A-Z][a-z]{2,8})\.? \d{1,2}(?:st|nd|rd|th)?, ((?:19|20)\d\d)|\d{1,2} ([A-Z][a-z]{2,8}) ((?:19|20)\d\d))(?-u:\b)",
    )
    .ok()
});

/// The date an article without a publication date is read against: the latest full date
/// (day, month and year) it states, as (year, month). News is written about days just
/// past, so a month named without its year ("from October") and a quarter without one
/// ("the first quarter") take their year from it.
pub fn reference_date(text: &str) -> Option<(u32, u32)> {
    let re = FULL_DATE.as_ref()?;
    re.find_iter(text)
        .filter(|m| word_bounded(text, m.start(), m.end()))
        .filter_map(|m| {
            let c = re.captures(m.as_str())?;
            let (y, m) = match (c.get(1), c.get(3), c.get(5)) {
                (Some(y), _, _) => (y.as_str(), c.get(2)?.as_str().parse().ok()?),
                (_, Some(m), _) => (c.get(4)?.as_str(), month_number(m.as_str())?),
                (_, _, Some(m)) => (c.get(6)?.as_str(), month_number(m.as_str())?),
                _ => return None,
            };
            Some((y.parse().ok()?, m))
        })
        .filter(|(_, m)| (1..=12).contains(m))
        .max()
}

/// Whether `text[start..end]`, which opens and ends on a word character, has no letter,
/// digit, underscore or joiner of any script glued to either end (the Unicode `\b`
/// question, marks aside).
fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || matches!(c, '\u{200c}' | '\u{200d}');
    !text[..start].chars().next_back().is_some_and(word) && !text[end..].chars().next().is_some_and(word)
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    /// Read as if published in April 2026.
    fn ps_in(s: &str, cx: Context) -> Vec<String> {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        periods(&toks, s, cx).into_iter().map(|p| p.value).collect()
    }

    fn ps(s: &str) -> Vec<String> {
        ps_in(
            s,
            Context {
                year: Some(2026),
                month: Some(4),
                future: false,
            },
        )
    }

    #[test]
    fn the_reference_date_is_the_latest_full_date_standing_as_a_word() {
        let text = "On 3 March 2024 it said so; by July 9, 2025 more. Filed 2023-11-02.";
        assert_eq!(reference_date(text), Some((2025, 7)));
        assert_eq!(reference_date("Filed 2023-11-02, revised 2024-01-15."), Some((2024, 1)));
        // Glued to a letter or digit of any script, a date is part of another word.
        assert_eq!(reference_date("code é2023-11-02 and x3 March 2024"), None);
        assert_eq!(reference_date("ref 2023-11-02é, 12 March 2024ß"), None);
        assert_eq!(reference_date("« 2023-11-02 » and “3 March 2024”"), Some((2024, 3)));
        assert_eq!(reference_date("no date in 2024, nor in March"), None);
    }

    #[test]
    fn without_a_date_months_and_spans_keep_no_year() {
        let none = |s: &str| ps_in(s, Context::default());
        assert_eq!(none("The cap will rise to £3,549 in October."), ["--10"]);
        assert_eq!(none("The cap will rise on 1 October."), ["--10"]);
        assert_eq!(none("Last October the cap stood at £1,277."), ["last--10"]);
        assert_eq!(none("It sold 386,000 cars from January to March."), ["Q1"]);
        assert_eq!(none("It sold 386,810 cars in the three months to March 31."), ["Q1"]);
        assert_eq!(none("Sales in the December quarter rose."), ["Q4"]);
    }

    #[test]
    fn every_rule_finds_its_examples() {
        for r in RULES {
            for (s, want) in r.examples {
                assert_eq!(
                    ps(s),
                    want.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
                    "{}: {s}",
                    r.name
                );
            }
        }
    }

    /// The tokens `first..=last` of `s` that `text` (its first occurrence) covers.
    fn tokens_of(toks: &[Tok], s: &str, text: &str) -> (usize, usize) {
        let start = s.find(text).unwrap_or_else(|| panic!("{text:?} is not in {s:?}"));
        let end = start + text.len();
        let mut inside = (0..toks.len()).filter(|&k| toks[k].start < end && toks[k].end > start);
        let first = inside
            .next()
            .unwrap_or_else(|| panic!("{text:?} covers no token of {s:?}"));
        (first, inside.next_back().unwrap_or(first))
    }

    /// No rule reads its negatives as a period: neither in the scan of the sentence (dated
    /// or not) nor tried on its own at any token. Every rule has examples and negatives.
    #[test]
    fn no_rule_reads_its_negatives() {
        let dated = Context {
            year: Some(2026),
            month: Some(4),
            future: false,
        };
        for r in RULES {
            assert!(!r.examples.is_empty(), "{}: no example", r.name);
            assert!(!r.negatives.is_empty(), "{}: no negative", r.name);
            for &(s, text) in r.negatives {
                let mut toks = Vec::new();
                tokenize(s, 0, s.len(), &mut toks);
                let (first, last) = tokens_of(&toks, s, text);
                let overlaps = |a: usize, b: usize| a <= last && b >= first;
                for cx in [dated, Context::default()] {
                    let found = periods(&toks, s, cx);
                    let hit = found.iter().find(|p| p.rule == r.name && overlaps(p.first, p.last));
                    assert!(hit.is_none(), "{}: {s:?} reads {text:?}: {hit:?}", r.name);
                    let c = Cur::new(&toks, s, cx);
                    let alone = (0..toks.len()).find_map(|k| (r.applies)(&c, k).filter(|&(b, _)| overlaps(k, b)));
                    assert!(alone.is_none(), "{}: {s:?} reads {text:?} alone: {alone:?}", r.name);
                }
            }
        }
    }

    /// The extractor and normalise stay in step: every value a rule writes parses.
    #[test]
    fn every_value_written_parses() {
        for r in RULES {
            for (s, _) in r.examples {
                for v in ps(s).into_iter().chain(ps_in(s, Context::default())) {
                    assert!(Span::parse(&v).is_some(), "{}: {s} -> {v} does not parse", r.name);
                }
            }
        }
    }

    #[test]
    fn a_sentence_about_the_future_reads_a_month_forward() {
        let cx = |future| Context {
            year: Some(2022),
            month: Some(8),
            future,
        };
        // (sentence, future, want)
        let table: &[(&str, bool, &str)] = &[
            ("bills could reach £6,000 in April", true, "2023-04"),
            ("the rise came into effect in April", false, "2022-04"),
            ("bills rise in January", false, "2023-01"),
            ("the cap rises in October", false, "2022-10"),
            ("last October the cap stood at", false, "2021-10"),
        ];
        for &(s, future, want) in table {
            assert_eq!(ps_in(s, cx(future)), [want], "{s}");
        }
    }

    #[test]
    fn negatives() {
        for s in [
            "1,500 customers",
            "it may rise",
            "May said the plan was fine",
            "a 3000 MW plant",
            "2.5 billion",
            "March of the penguins",
            "year over year",
            "the first time since",
            "first quarterback",
            "in the quarter",
            "the last three years",
            "grew 150% in the last year",
        ] {
            assert!(ps(s).is_empty(), "{s}: {:?}", ps(s));
        }
    }

    #[test]
    fn future_sentences() {
        let fut = |s: &str| {
            let mut toks = Vec::new();
            tokenize(s, 0, s.len(), &mut toks);
            is_future(&toks, s)
        };
        assert!(fut("The firm expects revenue of $65 billion"));
        assert!(fut("Sales will rise 5% next quarter"));
        assert!(!fut("Analysts expected $55 billion"));
        assert!(!fut("Revenue rose 62%"));
    }

    /// (own period, reporting period, future, want)
    type Row = (Option<&'static str>, Option<&'static str>, bool, Option<&'static str>);

    const RESOLUTION: &[Row] = &[
        (Some("prior-year"), Some("FY2026-Q3"), false, Some("FY2025-Q3")),
        (Some("prior-quarter"), Some("2024-Q1"), false, Some("2023-Q4")),
        (Some("last-quarter"), Some("2024-Q1"), false, Some("2024-Q1")),
        (Some("next-quarter"), Some("FY2026-Q3"), true, Some("FY2026-Q4")),
        (Some("prior-year"), None, false, Some("prior-year")),
        (Some("Q4"), Some("FY2026-Q3"), true, Some("FY2026-Q4")),
        (Some("Q4"), Some("2024-Q1"), false, Some("2023-Q4")),
        (Some("Q1"), Some("FY2026-Q3"), true, Some("FY2027-Q1")),
        (Some("Q3"), Some("FY2026"), false, Some("FY2026-Q3")),
        (Some("Q3"), Some("Q3"), false, Some("Q3")),
        (Some("2019"), Some("2024-Q1"), false, Some("2019")),
        (None, Some("2024-Q1"), false, Some("2024-Q1")),
        (None, Some("2024-Q1"), true, None),
        (None, None, false, None),
    ];

    #[test]
    fn periods_resolve_against_the_reporting_period() {
        for &(own, rep, future, want) in RESOLUTION {
            let rep = rep.and_then(Span::parse);
            assert_eq!(
                resolve(own, rep.as_ref(), true, future).as_deref(),
                want,
                "{own:?} in {rep:?}"
            );
        }
        let q = Span::parse("2024-Q1");
        assert_eq!(
            resolve(None, q.as_ref(), false, false),
            None,
            "a duration inherits nothing"
        );
    }

    #[test]
    fn a_span_counts_once_per_sentence_and_less_without_figures() {
        let mut r = Reporting::default();
        r.note("2020-Q2", 0, false);
        r.note("Q1", 10, true);
        assert_eq!(r.period().map(|p| p.to_string()).as_deref(), Some("Q1"));
        let mut r = Reporting::default();
        r.note("2023-Q4", 0, true);
        r.note("2023-Q4", 0, true);
        r.note("Q1", 5, true);
        r.note("2024-Q1", 10, true);
        assert_eq!(r.period().map(|p| p.to_string()).as_deref(), Some("2024-Q1"));
    }

    #[test]
    fn the_reporting_period_is_the_most_stated_span() {
        // (own periods of the figures, want)
        let table: &[(&[&str], Option<&str>)] = &[
            (&["FY2026-Q3", "FY2026-Q4", "FY2026-Q3"], Some("FY2026-Q3")),
            (&["2024", "2024", "2024-Q1"], Some("2024-Q1")),
            (&["2024-Q1", "2023-Q4"], Some("2024-Q1")),
            (&["Q3", "Q3", "2025"], Some("Q3")),
            (&["2004", "2004", "2003"], Some("2004")),
            (&["2004", "2003"], None),
            (&["2023-01", "prior-year"], None),
            (&[], None),
            // A bare quarter counts for the quarter of a year it may be.
            (&["2023-Q4", "Q1", "2024-Q1"], Some("2024-Q1")),
        ];
        for (seen, want) in table {
            let mut r = Reporting::default();
            seen.iter().enumerate().for_each(|(i, v)| r.note(v, i, true));
            assert_eq!(r.period().map(|p| p.to_string()).as_deref(), *want, "{seen:?}");
        }
    }
}
