//! Numeric claims in one tokenized sentence: money, percent, power, energy, count,
//! duration and multiple, with ranges, qualifier and direction; and the digit runs that
//! are not claims (years, dates, times, names, phone and version numbers, list numbers).
//!
//! Each reading is a table of named rules with their examples, applied by one engine
//! (`rules.rs`) that says which rule decided: a claim of a shape of its own (`shapes.rs`),
//! the currency before an amount (`currency.rs`), the unit after it (`units.rs`), the end
//! of a range (`ranges.rs`), a figure with no unit (`counts.rs`) and the digit runs that
//! are no figure (`not_a_figure.rs`), numbers in words that state no figure
//! (`word_numbers.rs`), durations that name a span (`spans.rs`), the cents after a currency
//! word (`cents.rs`), the sign (`sign.rs`), the qualifier (`qualifier.rs`), an "under" or
//! "over" that is a preposition, not a bound (`preposition.rs`), and the direction
//! (`direction.rs`). This file reads a sentence token by token and tries them in turn.

mod cents;
mod counts;
mod currency;
mod direction;
mod not_a_figure;
mod preposition;
mod qualifier;
mod ranges;
mod rules;
mod shapes;
mod sign;
mod spans;
mod units;
mod word_numbers;

use std::sync::LazyLock;

use super::numbers::{Number, parse_number};
use super::tokens::{Lower, Tok, TokKind, WordSet};
use crate::clean::meta::MONTH_WORDS;
use crate::model::{Direction, Kind, Qualifier};
use crate::words;
use cents::add_cents;
use counts::{Reads, explain_count};
use currency::{explain_currency_prefix, symbol_code};
use direction::direction_of;
use preposition::preposition_before;
use qualifier::qualifier_before;
use ranges::{range_of, unit_written_twice};
use shapes::shaped_claim;
use sign::is_negative;
use spans::names_a_span;
use units::{currency_word, duration_unit, explain_unit, iso_written};
use word_numbers::word_number_ok;

/// A claim found in a sentence, before it is placed in its document.
#[derive(Debug, Clone, PartialEq)]
pub struct RawClaim {
    pub kind: Kind,
    pub unit: &'static str,
    pub value: f64,
    pub value_max: Option<f64>,
    pub qualifier: Qualifier,
    pub direction: Option<Direction>,
    /// Tokens `first..=last` are the claim's text.
    pub first: usize,
    pub last: usize,
    pub noun: Option<String>,
    /// The rules that read it (`extract --explain`).
    pub rules: Rules,
}

/// The names of the rules behind a raw claim: a rule table's name, or the name of the
/// code path that decided (`extract --explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// What read the unit, and with it the kind.
    pub unit: &'static str,
    pub qualifier: &'static str,
    /// What read the direction, when there is one.
    pub direction: Option<&'static str>,
}

fn w<'a>(toks: &[Tok], text: &'a str, i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| t.kind == TokKind::Word).map(|t| t.text(text))
}

fn p<'a>(toks: &[Tok], text: &'a str, i: usize) -> Option<&'a str> {
    toks.get(i).filter(|t| t.kind == TokKind::Punct).map(|t| t.text(text))
}

fn is_w(toks: &[Tok], text: &str, i: usize, word: &str) -> bool {
    w(toks, text, i).is_some_and(|x| x.eq_ignore_ascii_case(word))
}

fn glued(toks: &[Tok], i: usize) -> bool {
    toks.get(i).is_some_and(|t| !t.space_before)
}

/// Units of measure that are not a claim kind (length, weight, area, volume, data), from
/// `data/words/measure-units.txt` (lower case).
static MEASURES: LazyLock<WordSet> =
    LazyLock::new(|| words::set(include_str!("../../../data/words/measure-units.txt")));

/// Whether `word` is a unit of measure that is not a claim kind, in any ASCII case.
fn is_measure(word: &str) -> bool {
    MEASURES.contains(Lower::new(word).as_str())
}

/// Capitalised words that do not make the number after them part of a name.
static NOT_NAME: LazyLock<WordSet> = LazyLock::new(|| words::set(words::NOT_NAME));

/// A month's name or its abbreviation, capitalised ("May", "Sept").
fn is_month(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && MONTH_WORDS.iter().any(|m| m.eq_ignore_ascii_case(word))
}

/// Most figures taken from one sentence: the work per figure grows with the figures
/// around it, so a sentence of nothing but numbers ("$1,1,1,...") would cost the square
/// of its length. Articles stay far below it (at most 7 in a sentence of the sample
/// corpus and the BBC set); the pipeline warns when a sentence reaches it.
pub const MAX_FIGURES_PER_SENTENCE: usize = 32;

/// Finds the claims of one sentence (at most [`MAX_FIGURES_PER_SENTENCE`]). `skip[i]`
/// marks tokens that are footnote markers; `list_item` says the sentence opens a list
/// item (its leading number is list numbering).
pub fn find_claims(toks: &[Tok], text: &str, skip: &[bool], list_item: bool) -> Vec<RawClaim> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() && out.len() < MAX_FIGURES_PER_SENTENCE {
        if skip.get(i).copied().unwrap_or(false) || !may_start_claim(toks, text, i) {
            i += 1;
            continue;
        }
        match claim_at(toks, text, i, skip, list_item) {
            Some(mut c) => {
                if let Some(rule) = preposition_before(toks, text, &c) {
                    c.qualifier = Qualifier::Exact;
                    c.rules.qualifier = rule;
                }
                i = c.last + 1;
                out.push(c);
            }
            None => i += 1,
        }
    }
    out
}

/// Lower-case words that can open a claim written in words (number words, multiples,
/// unit-first percentages, currency words before the amount), as one set.
static TRIGGERS: LazyLock<WordSet> = LazyLock::new(|| {
    let mut set: WordSet = super::numbers::SMALL_WORDS.iter().copied().collect();
    set.extend([
        "a",
        "an",
        "half",
        "quarter",
        "dozen",
        "rs",
        "hundred",
        "percent",
        "percents",
        "per",
        "dollar",
        "euro",
        "doubled",
        "doubles",
        "doubling",
        "tripled",
        "triples",
        "tripling",
        "trebled",
        "trebles",
        "quadrupled",
        "quadruples",
        "quadrupling",
        "double",
        "triple",
        "treble",
        "quadruple",
    ]);
    set
});

/// A cheap test: can a claim start at token `i`? (Most words cannot.)
fn may_start_claim(toks: &[Tok], text: &str, i: usize) -> bool {
    let t = &toks[i];
    match t.kind {
        TokKind::Num => true,
        TokKind::Punct => symbol_code(t.text(text)).is_some(),
        TokKind::Word => {
            let word = t.text(text);
            if word.len() > 12 {
                return false;
            }
            let l = Lower::new(word);
            if TRIGGERS.contains(l.as_str()) {
                return true;
            }
            (l.len() > 4 && l.ends_with("fold"))
                || (word.len() >= 4 && word.as_bytes()[0].is_ascii_uppercase() && word.as_bytes()[3].is_ascii_digit())
                || (word.len() == 4 && word.starts_with('M'))
                || p(toks, text, i + 1) == Some("$")
                || (word.len() == 3 && iso_written(word).is_some())
        }
        _ => false,
    }
}

/// The claim whose figure starts at token `i`, if any: a claim of a shape of its own
/// ("threefold", "USD115", "half an hour"), or a number with its currency, range and unit.
fn claim_at(toks: &[Tok], text: &str, i: usize, skip: &[bool], list_item: bool) -> Option<RawClaim> {
    // "threefold", "USD115", "half an hour": a claim read whole (or no claim, "a double blow").
    if let Some(c) = shaped_claim(toks, text, i) {
        return c;
    }
    let (cur, ni, cur_rule) = match explain_currency_prefix(toks, text, i) {
        Some((c, n, rule)) => (Some(c), n, Some(rule)),
        None => (None, i, None),
    };
    if skip.get(ni).copied().unwrap_or(false) {
        return None;
    }
    let n = parse_number(toks, text, ni, cur.is_some())?;
    if n.words && cur.is_none() && !word_number_ok(toks, text, &n) {
        return None;
    }
    let mut r = read_unit(toks, text, &n, cur, skip, list_item)?;
    if let Some(rule) = cur_rule {
        r.rule = rule;
    }
    // "30% to 40%", "10 euros to 20 euros": a range with the unit written twice.
    if r.value_max.is_none() && matches!(r.kind, Kind::Percent | Kind::Money) {
        unit_written_twice(toks, text, i, cur, &mut r);
    }
    if r.kind == Kind::Duration && names_a_span(toks, text, i, r.unit_last) {
        return None;
    }
    // "15 dollars 50", "3 dollars 50 cents", "thirteen dollars and forty-five cents"
    if r.kind == Kind::Money && cur.is_none() && r.value_max.is_none() && r.factor == 1.0 && r.unit_last > r.last {
        add_cents(toks, text, &mut r);
    }
    if is_negative(toks, text, i, ni, cur) {
        r.value = -r.value;
    }
    finish_claim(toks, text, i, r)
}

/// A claim being read by [`claim_at`]: its figure and unit so far.
struct Reading {
    kind: Kind,
    unit: &'static str,
    /// What the value is multiplied by in the unit ("12-cent": 0.01).
    factor: f64,
    value: f64,
    value_max: Option<f64>,
    /// The last token of the number (of the range's end), and of the unit.
    last: usize,
    unit_last: usize,
    noun: Option<String>,
    /// The rule that read the unit and the kind.
    rule: &'static str,
}

/// "$5 billion dollars", "45%", "10 employees": the figure `n` with its range and its unit,
/// the currency `cur` before it, a unit word after it, or else a count of a noun.
fn read_unit(
    toks: &[Tok],
    text: &str,
    n: &Number,
    cur: Option<&'static str>,
    skip: &[bool],
    list_item: bool,
) -> Option<Reading> {
    let (value, value_max, last) = range_of(toks, text, n, cur, skip);
    let after = last + 1;
    let mut r = Reading {
        kind: Kind::Count,
        unit: "count",
        factor: 1.0,
        value,
        value_max,
        last,
        unit_last: last,
        noun: None,
        rule: "counted",
    };
    if let Some(code) = cur {
        r.kind = Kind::Money;
        r.unit = code;
        // "$5 billion dollars": swallow a trailing currency word.
        if w(toks, text, after).is_some_and(|x| currency_word(x, None).is_some_and(|(c, f)| c == code && f == 1.0)) {
            r.unit_last = after;
        }
    } else if let (Some((k, u, f, ul)), Some(rule)) = explain_unit(toks, text, after) {
        r.kind = k;
        r.unit = u;
        r.factor = f;
        r.unit_last = ul;
        r.rule = rule;
    } else {
        return counted(toks, text, n, r, list_item);
    }
    Some(r)
}

/// "10 employees", "two trading days": a figure with no unit is a count of the noun after
/// it (or a duration), unless the number is not a figure at all.
fn counted(toks: &[Tok], text: &str, n: &Number, mut r: Reading, list_item: bool) -> Option<Reading> {
    let range = (r.last, r.value_max.is_some());
    let (reads, noun, rule) = explain_count(toks, text, n, range, list_item)?;
    match reads? {
        Reads::Count => r.noun = noun,
        Reads::Duration(f) => {
            r.kind = Kind::Duration;
            r.unit = "year";
            r.factor = f;
        }
    }
    r.rule = rule;
    Some(r)
}

/// The claim read at `first` (its currency, if written before the amount, or its number):
/// its value in the unit, its qualifier and its direction; none when the value is no finite
/// figure or its range is empty.
fn finish_claim(toks: &[Tok], text: &str, first: usize, r: Reading) -> Option<RawClaim> {
    let (value, value_max) = (r.value * r.factor, r.value_max.map(|v| v * r.factor));
    // Digit runs too long for a float are no figure anyone states.
    if !value.is_finite() || value_max.is_some_and(|m| !m.is_finite() || m <= value) {
        return None;
    }
    let (qualifier, qualifier_rule) = qualifier_before(toks, text, first, r.kind);
    let direction = match r.kind {
        Kind::Money | Kind::Percent | Kind::Multiple => direction_of(toks, text, first, r.unit_last, r.kind),
        _ => None,
    };
    Some(RawClaim {
        kind: r.kind,
        unit: r.unit,
        value,
        value_max,
        qualifier,
        direction: direction.map(|(d, _)| d),
        first,
        last: if r.kind == Kind::Count { r.last } else { r.unit_last },
        noun: r.noun,
        rules: Rules {
            unit: r.rule,
            qualifier: qualifier_rule,
            direction: direction.map(|(_, rule)| rule),
        },
    })
}

/// A unit found after an amount: (kind, unit, factor, last token).
type UnitHit = (Kind, &'static str, f64, usize);

/// The unit after an amount without currency prefix: (kind, unit, factor, last token).
fn unit_after(toks: &[Tok], text: &str, k: usize) -> Option<UnitHit> {
    explain_unit(toks, text, k).0
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[allow(clippy::type_complexity)]
    fn claims(
        s: &str,
    ) -> Vec<(
        String,
        Kind,
        &'static str,
        f64,
        Option<f64>,
        Qualifier,
        Option<Direction>,
    )> {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let skip = vec![false; toks.len()];
        find_claims(&toks, s, &skip, false)
            .into_iter()
            .map(|c| {
                (
                    s[toks[c.first].start..toks[c.last].end].to_string(),
                    c.kind,
                    c.unit,
                    c.value,
                    c.value_max,
                    c.qualifier,
                    c.direction,
                )
            })
            .collect()
    }

    fn one(s: &str) -> (String, Kind, &'static str, f64, Option<f64>) {
        let c = claims(s);
        assert_eq!(c.len(), 1, "{s}: {c:?}");
        (c[0].0.clone(), c[0].1, c[0].2, c[0].3, c[0].4)
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn positive_table() {
        use Kind::*;
        let table: &[(&str, &str, Kind, &str, f64, Option<f64>)] = &[
            ("It paid $10 billion.", "$10 billion", Money, "USD", 1e10, None),
            ("It paid $10B.", "$10B", Money, "USD", 1e10, None),
            ("A US$3.5bn loan", "US$3.5bn", Money, "USD", 3.5e9, None),
            ("USD 4.2m was raised", "USD 4.2m", Money, "USD", 4.2e6, None),
            ("£350m in all", "£350m", Money, "GBP", 3.5e8, None),
            ("€1.2 trillion of debt", "€1.2 trillion", Money, "EUR", 1.2e12, None),
            ("¥500 million in aid", "¥500 million", Money, "JPY", 5e8, None),
            (
                "some 10 billion dollars",
                "10 billion dollars",
                Money,
                "USD",
                1e10,
                None,
            ),
            ("won a $ 75 million contract", "$ 75 million", Money, "USD", 7.5e7, None),
            ("a c $ 300 million deal", "c $ 300 million", Money, "CAD", 3e8, None),
            ("540bn yen in aid", "540bn yen", Money, "JPY", 5.4e11, None),
            ("$10-13 billion", "$10-13 billion", Money, "USD", 1e10, Some(1.3e10)),
            ("It holds 45% of it", "45%", Percent, "%", 45.0, None),
            ("28.8 percent", "28.8 percent", Percent, "%", 28.8, None),
            ("12 per cent", "12 per cent", Percent, "%", 12.0, None),
            ("3 percentage points", "3 percentage points", Percent, "pp", 3.0, None),
            ("30-40% of the market", "30-40%", Percent, "%", 30.0, Some(40.0)),
            (
                "between 30 and 40 percent",
                "30 and 40 percent",
                Percent,
                "%",
                30.0,
                Some(40.0),
            ),
            ("2 gigawatts of capacity", "2 gigawatts", Power, "W", 2e9, None),
            ("3.5 GW of power", "3.5 GW", Power, "W", 3.5e9, None),
            ("500 MW plant", "500 MW", Power, "W", 5e8, None),
            ("1.2 TWh a year", "1.2 TWh", Energy, "Wh", 1.2e12, None),
            // Energy in every spelling (issue 18: words were read as power).
            (
                "used 10 kilowatt hours a day",
                "10 kilowatt hours",
                Energy,
                "Wh",
                1e4,
                None,
            ),
            (
                "about 12 kilowatt-hours each",
                "12 kilowatt-hours",
                Energy,
                "Wh",
                1.2e4,
                None,
            ),
            (
                "one megawatt hour of storage",
                "one megawatt hour",
                Energy,
                "Wh",
                1e6,
                None,
            ),
            ("stores 40 MWh on site", "40 MWh", Energy, "Wh", 4e7, None),
            ("made 7 GWh in June", "7 GWh", Energy, "Wh", 7e9, None),
            (
                "some 3 terawatt-hours of demand",
                "3 terawatt-hours",
                Energy,
                "Wh",
                3e12,
                None,
            ),
            ("a 5 watt-hours cell", "5 watt-hours", Energy, "Wh", 5.0, None),
            ("a 2,700 kWh battery", "2,700 kWh", Energy, "Wh", 2.7e6, None),
            ("a 10 kilowatt heater", "10 kilowatt", Power, "W", 1e4, None),
            ("a seven-year deal", "seven-year", Duration, "year", 7.0, None),
            ("lasting 18 months", "18 months", Duration, "year", 1.5, None),
            ("a 3x increase", "3x", Multiple, "x", 3.0, None),
            ("rose threefold", "threefold", Multiple, "x", 3.0, None),
            ("sales doubled", "doubled", Multiple, "x", 2.0, None),
            ("1,500 customers", "1,500", Count, "count", 1500.0, None),
            ("five million business users", "five million", Count, "count", 5e6, None),
            ("a dozen sites", "a dozen", Count, "count", 12.0, None),
            ("2.5 million GPUs", "2.5 million", Count, "count", 2.5e6, None),
        ];
        for (s, text, kind, unit, value, max) in table {
            assert_eq!(one(s), (text.to_string(), *kind, *unit, *value, *max), "{s}");
        }
    }

    #[test]
    fn negative_table() {
        for s in [
            "It happened in 2019.",
            "On 11 May 2026 it closed.",
            "Results for Q2 FY2026 came.",
            "GPT-4 was trained.",
            "Windows 11 shipped.",
            "Alfred P. Sloan spoke.",
            "Call 555-0100 now.",
            "Call +44 20 7946 0000.",
            "Version 2.1 is out.",
            "It is the 2nd largest.",
            "We open 24/7.",
            "At 10:30 it began.",
            "The 1990s were good.",
            "One of them said so.",
            "A double-digit rise.",
            "Visit https://example.com/2026/04/13 now.",
            "He is a 45-year-old man.",
            "It came on 2026-04-13.",
        ] {
            assert!(claims(s).is_empty(), "{s}: {:?}", claims(s));
        }
    }

    #[test]
    fn qualifiers_and_directions() {
        let c = claims("revenue was up 28.8% and it paid up to $10 billion, about 45%, more than 1,500 users");
        let got: Vec<(Qualifier, Option<Direction>)> = c.iter().map(|c| (c.5, c.6)).collect();
        assert_eq!(
            got,
            [
                (Qualifier::Exact, Some(Direction::Up)),
                (Qualifier::UpTo, None),
                (Qualifier::Approx, None),
                (Qualifier::MoreThan, None),
            ]
        );
        let c = claims("bills will go up to £3,608 and may climb up to £4,000, up to £5,000 at most");
        let got: Vec<Qualifier> = c.iter().map(|c| c.5).collect();
        assert_eq!(got, [Qualifier::Exact, Qualifier::Exact, Qualifier::UpTo]);
        let c = claims("shares fell 10% and rose to $5bn");
        assert_eq!(c[0].6, Some(Direction::Down));
        assert_eq!(c[1].6, None);
    }

    /// The units of measure are written in lower case and found in any ASCII case.
    #[test]
    fn measures_are_lower_case_and_found_in_any_case() {
        assert!(MEASURES.iter().all(|m| !m.is_empty() && *m == m.to_ascii_lowercase()));
        assert!(is_measure("nanometre") && is_measure("KM") && is_measure("Inch"));
        assert!(!is_measure("percent") && !is_measure(""));
    }
}
