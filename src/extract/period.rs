//! The time a figure refers to: `in January 2023` -> `2023-01`, `by 2023` -> `2023`,
//! `Q2 FY2026` -> `FY2026-Q2`, `fiscal 2026` -> `FY2026`, `so far this year` -> the
//! article's year.

use super::tokens::{Tok, TokKind};
use crate::clean::meta::month_number;

/// A period expression: tokens `first..=last` and its normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub first: usize,
    pub last: usize,
    pub value: String,
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

/// `FY2026`, `FY26`, `FY 2026` (with the next token): the fiscal year.
fn fiscal(toks: &[Tok], text: &str, i: usize) -> Option<(u32, usize)> {
    let w = toks.get(i).filter(|t| t.kind == TokKind::Word)?.text(text);
    let digits = w.strip_prefix("FY").or_else(|| w.strip_prefix("fy"))?;
    let y = if digits.is_empty() {
        return toks.get(i + 1).and_then(|t| year_of(t, text)).map(|y| (y, i + 1));
    } else {
        digits.parse::<u32>().ok()?
    };
    let y = match digits.len() {
        2 => 2000 + y,
        4 if (1900..=2100).contains(&y) => y,
        _ => return None,
    };
    Some((y, i))
}

/// `Q2`, `H1`: the quarter or half.
fn quarter(w: &str) -> Option<String> {
    let b = w.as_bytes();
    if b.len() == 2 && matches!(b[0], b'Q' | b'q') && (b'1'..=b'4').contains(&b[1]) {
        return Some(format!("Q{}", b[1] as char));
    }
    if b.len() == 2 && matches!(b[0], b'H' | b'h') && (b'1'..=b'2').contains(&b[1]) {
        return Some(format!("H{}", b[1] as char));
    }
    None
}

const ORDINAL_QUARTERS: &[(&str, &str)] = &[("first", "Q1"), ("second", "Q2"), ("third", "Q3"), ("fourth", "Q4")];

fn word_at<'a>(toks: &[Tok], text: &'a str, i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| t.kind == TokKind::Word).map(|t| t.text(text))
}

fn is_word(toks: &[Tok], text: &str, i: usize, w: &str) -> bool {
    word_at(toks, text, i).is_some_and(|x| x.eq_ignore_ascii_case(w))
}

/// Every period expression in a tokenized sentence, in order. `year` is the article's
/// publication year, for "this year" and "year to date".
pub fn periods(toks: &[Tok], text: &str, year: Option<u32>) -> Vec<Period> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let push = |out: &mut Vec<Period>, first: usize, last: usize, value: String| {
            out.push(Period { first, last, value });
        };
        if t.kind == TokKind::Word {
            let w = t.text(text);
            // Q2 FY2026, Q2 2026
            if let Some(q) = quarter(w) {
                if let Some((y, last)) = fiscal(toks, text, i + 1) {
                    push(&mut out, i, last, format!("FY{y}-{q}"));
                    i = last + 1;
                    continue;
                }
                if let Some(y) = toks.get(i + 1).and_then(|t| year_of(t, text)) {
                    push(&mut out, i, i + 1, format!("{y}-{q}"));
                    i += 2;
                    continue;
                }
                push(&mut out, i, i, q);
                i += 1;
                continue;
            }
            // FY2026 Q2, FY2026
            if let Some((y, last)) = fiscal(toks, text, i) {
                if let Some(q) = word_at(toks, text, last + 1).and_then(quarter) {
                    push(&mut out, i, last + 1, format!("FY{y}-{q}"));
                    i = last + 2;
                } else {
                    push(&mut out, i, last, format!("FY{y}"));
                    i = last + 1;
                }
                continue;
            }
            // second quarter of fiscal 2026 / of 2026
            if let Some(&(_, q)) = ORDINAL_QUARTERS.iter().find(|(o, _)| o.eq_ignore_ascii_case(w))
                && is_word(toks, text, i + 1, "quarter")
            {
                let mut j = i + 2;
                if is_word(toks, text, j, "of") {
                    j += 1;
                }
                let fy = is_word(toks, text, j, "fiscal");
                if fy {
                    j += 1;
                    if is_word(toks, text, j, "year") {
                        j += 1;
                    }
                }
                if let Some(y) = toks.get(j).and_then(|t| year_of(t, text)) {
                    let v = if fy { format!("FY{y}-{q}") } else { format!("{y}-{q}") };
                    push(&mut out, i, j, v);
                    i = j + 1;
                    continue;
                }
            }
            // fiscal 2026, fiscal year 2026
            if w.eq_ignore_ascii_case("fiscal") {
                let j = if is_word(toks, text, i + 1, "year") {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(y) = toks.get(j).and_then(|t| year_of(t, text)) {
                    push(&mut out, i, j, format!("FY{y}"));
                    i = j + 1;
                    continue;
                }
            }
            // January 2023, Jan. 2023, March 3, 2026
            if (3..=9).contains(&w.len())
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && let Some(m) = month_number(w)
            {
                let mut j = i + 1;
                if toks.get(j).is_some_and(|t| t.text(text) == ".") {
                    j += 1;
                }
                let mut day = None;
                if let Some(d) = toks.get(j).filter(|t| t.kind == TokKind::Num && t.end - t.start <= 2) {
                    day = d.text(text).parse::<u32>().ok().filter(|d| (1..=31).contains(d));
                    if day.is_some() {
                        j += 1;
                        if toks.get(j).is_some_and(|t| t.text(text) == ",") {
                            j += 1;
                        }
                    }
                }
                if let Some(y) = toks.get(j).and_then(|t| year_of(t, text)) {
                    let v = match day {
                        Some(d) => format!("{y}-{m:02}-{d:02}"),
                        None => format!("{y}-{m:02}"),
                    };
                    push(&mut out, i, j, v);
                    i = j + 1;
                    continue;
                }
            }
            // so far this year, year to date, year-to-date, this year
            if let Some(y) = year {
                let ytd = w.eq_ignore_ascii_case("year")
                    && (is_word(toks, text, i + 1, "to") || toks.get(i + 1).is_some_and(|t| t.text(text) == "-"))
                    && (is_word(toks, text, i + 2, "date") || is_word(toks, text, i + 3, "date"));
                let this_year = w.eq_ignore_ascii_case("this") && is_word(toks, text, i + 1, "year");
                if ytd || this_year {
                    let last = if ytd { i + 2 } else { i + 1 };
                    push(&mut out, i, last, y.to_string());
                    i = last + 1;
                    continue;
                }
            }
        }
        // 11 May 2026
        if t.kind == TokKind::Num
            && t.end - t.start <= 2
            && let Some(m) = word_at(toks, text, i + 1)
                .filter(|w| (3..=9).contains(&w.len()))
                .and_then(month_number)
            && let Some(y) = toks.get(i + 2).and_then(|t| year_of(t, text))
            && let Ok(d) = t.text(text).parse::<u32>()
            && (1..=31).contains(&d)
        {
            push(&mut out, i, i + 2, format!("{y}-{m:02}-{d:02}"));
            i += 3;
            continue;
        }
        if let Some(y) = year_of(t, text) {
            push(&mut out, i, i, y.to_string());
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn ps(s: &str) -> Vec<String> {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        periods(&toks, s, Some(2026)).into_iter().map(|p| p.value).collect()
    }

    #[test]
    fn positives() {
        let table: &[(&str, &[&str])] = &[
            ("in January 2023 it paid", &["2023-01"]),
            ("by 2023 and in 2019", &["2023", "2019"]),
            ("in Q2 FY2026", &["FY2026-Q2"]),
            ("in FY26", &["FY2026"]),
            ("FY2026 Q1 results", &["FY2026-Q1"]),
            ("the second quarter of fiscal 2026", &["FY2026-Q2"]),
            ("Q3 2025", &["2025-Q3"]),
            ("on 11 May 2026", &["2026-05-11"]),
            ("March 3, 2026", &["2026-03-03"]),
            ("up 7% so far this year", &["2026"]),
            ("Year to date, shares", &["2026"]),
        ];
        for (s, want) in table {
            assert_eq!(ps(s), want.iter().map(|w| w.to_string()).collect::<Vec<_>>(), "{s}");
        }
    }

    #[test]
    fn negatives() {
        for s in [
            "1,500 customers",
            "in May it said",
            "a 3000 MW plant",
            "2.5 billion",
            "March of the penguins",
        ] {
            assert!(ps(s).is_empty(), "{s}: {:?}", ps(s));
        }
    }
}
