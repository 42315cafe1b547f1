//! Ranges: two figures joined into one claim with a low and a high value. A range's end is
//! read right after its first number ("30-40%", "$10-13 billion", "30 to 40 percent",
//! "between 6,000 and 7,000"), table [`OPEN`], or after its unit when the unit is written
//! twice ("30% to 40%", "10 euros to 20 euros"), table [`TWICE`]; a figure of the years
//! ("from 2019 to 2025") or a change between two figures ("rose from 5% to 7%") is none.
//! The words are `data/words/range-words.txt`.

use std::sync::LazyLock;

use super::super::numbers::{Number, parse_number};
use super::super::period::year_of;
use super::super::tokens::{Lower, Tok, TokKind, WordSet};
use super::currency::{currency_prefix, symbol_code};
use super::direction::changes_level;
use super::rules::decide;
use super::{Reading, is_w, unit_after, w};
use crate::model::Kind;
use crate::words;

/// A range a rule reads: its low and high values (before the unit's factor), and its
/// last token, counted on from the last token of what it extends (the first number, or
/// its unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Range {
    low: f64,
    high: f64,
    more: usize,
}

const fn range(low: f64, high: f64, more: usize) -> Option<Range> {
    Some(Range { low, high, more })
}

/// A rule that reads the end of a range: `Some(range)`, or `None` when the words rule a
/// range out. Its examples are sentences with the figure (quoted second, as its claim's
/// text) and the range it gives.
type Rule<F> = super::rules::Rule<F, Option<Range>>;

/// A rule of [`OPEN`], read at the token after the first number.
pub(super) type OpenRule = Rule<fn(&Opened) -> Option<Option<Range>>>;

/// A rule of [`TWICE`], read at the token after the first figure's unit.
pub(super) type TwiceRule = Rule<fn(&Written) -> Option<Option<Range>>>;

/// Words before "from X to Y" that make it a range of one figure, not a change between two.
static RANGE_WORDS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::RANGE_WORDS));

/// Whether the connector at `c` is `word` (any case).
fn word_at(toks: &[Tok], text: &str, c: usize, word: &str) -> bool {
    toks.get(c)
        .is_some_and(|t| t.kind == TokKind::Word && t.text(text).eq_ignore_ascii_case(word))
}

/// Whether "X to Y" with X's first token at `opens` names two figures, a change between
/// them ("rose from 5% to 7%", "the bill from £1,971 to £3,549" with its unit written
/// twice, "an increase of £59 to £3,608", "up by £215 to £3,764"), not one range ("from 50
/// to 80%", "prices ranging from £19 to £29").
pub(super) fn two_figures(toks: &[Tok], text: &str, opens: usize, twice: bool) -> bool {
    let word_before = |f: usize, words: &dyn Fn(&str) -> bool| {
        (f.saturating_sub(4)..f).any(|k| w(toks, text, k).is_some_and(|x| words(Lower::new(x).as_str())))
    };
    let changes = |l: &str| changes_level(l) || l == "cut" || l == "change";
    let before = |k: usize, word: &str| k >= 1 && is_w(toks, text, k - 1, word);
    if before(opens, "from") {
        return word_before(opens - 1, &changes) || twice && !word_before(opens - 1, &|l| RANGE_WORDS.contains(l));
    }
    twice && (before(opens, "by") || before(opens, "of") && word_before(opens - 1, &changes))
}

/// A number that may open a range, and the token after it.
pub(super) struct Opened<'a> {
    toks: &'a [Tok],
    text: &'a str,
    n: &'a Number,
    /// The currency written before the number.
    cur: Option<&'static str>,
    skip: &'a [bool],
    /// The token after the number, where a connector stands.
    c: usize,
}

impl Opened<'_> {
    /// A dash right after the number ("30-40", "30 – 40" in tokenised text).
    fn dash(&self) -> bool {
        let conn = &self.toks[self.c];
        conn.kind == TokKind::Punct && matches!(conn.text(self.text), "-" | "–" | "—")
    }

    /// "between" before the number, or before its currency symbol ("between $5 and $7").
    fn between(&self) -> bool {
        let (toks, text, f) = (self.toks, self.text, self.n.first);
        f >= 1 && is_w(toks, text, f - 1, "between")
            || f >= 2 && is_w(toks, text, f - 2, "between") && symbol_code(toks[f - 1].text(text)).is_some()
    }

    /// A connector of a range: a dash, "to", or "and" after "between".
    fn connects(&self) -> bool {
        let and = word_at(self.toks, self.text, self.c, "and") && self.between();
        self.dash() || word_at(self.toks, self.text, self.c, "to") || and
    }

    /// The range up to the number after the connector (its currency written again or not),
    /// when that number is written as the first is (digits or words) and is higher. A
    /// scale written only after the second number is the first's too ("$10-13 billion").
    fn end(&self) -> Option<Range> {
        let mut j = self.c + 1;
        if let Some(code) = self.cur
            && let Some((_, n)) = currency_prefix(self.toks, self.text, j).filter(|&(c2, _)| c2 == code)
        {
            j = n;
        }
        if self.skip.get(j).copied().unwrap_or(false) {
            return None;
        }
        let (n, n2) = (self.n, parse_number(self.toks, self.text, j, self.cur.is_some())?);
        if n2.words != n.words {
            return None;
        }
        let low = if !n.scaled && n2.scaled {
            n.value * n2.scale
        } else {
            n.value
        };
        (n2.value > low).then_some(Range {
            low,
            high: n2.value,
            more: n2.last - n.last,
        })
    }
}

/// The rules for the token right after a range's first number, in the order they are
/// tried: the readings that rule a range out first.
pub(super) static OPEN: &[OpenRule] = &[
    Rule {
        name: "span of years",
        examples: &[
            ("The plan ran from 2019 to 2025.", "2019", None),
            ("Sales grew over 2019-2023 at last.", "2019", None),
        ],
        negatives: &[("It hired 1,500 to 2,000 staff.", "1,500")],
        applies: span_of_years,
    },
    Rule {
        name: "change between two figures",
        examples: &[
            ("The bill went from £1,971 to £3,549.", "£1,971", None),
            ("Sales rose from 50 to 80 units.", "50", None),
        ],
        negatives: &[("Prices range from £19 to £29.", "£19")],
        applies: change_between_two_figures,
    },
    Rule {
        name: "dash",
        examples: &[
            ("Margins of 30-40% are common.", "30-40%", range(30.0, 40.0, 2)),
            ("It will cost $10-13 billion.", "$10-13 billion", range(1e10, 1.3e10, 3)),
        ],
        negatives: &[("The team won 3-1 at home.", "3")],
        applies: dash,
    },
    Rule {
        name: "to",
        examples: &[
            (
                "Fees of 30 to 40 percent apply.",
                "30 to 40 percent",
                range(30.0, 40.0, 2),
            ),
            ("Prices range from £19 to £29.", "£19 to £29", range(19.0, 29.0, 3)),
            (
                "It will cost $10 billion to $13 billion.",
                "$10 billion to $13 billion",
                range(1e10, 1.3e10, 4),
            ),
        ],
        negatives: &[("The bill went from £1,971 to £3,549.", "£1,971")],
        applies: to,
    },
    Rule {
        name: "between and",
        examples: &[
            (
                "It will hire between 6,000 and 7,000 staff.",
                "6,000 and 7,000",
                range(6e3, 7e3, 2),
            ),
            (
                "It costs between $5 and $7 billion.",
                "$5 and $7 billion",
                range(5e9, 7e9, 4),
            ),
        ],
        negatives: &[("It hired 6,000 and 7,000 more.", "6,000")],
        applies: between_and,
    },
];

/// "from 2019 to 2025", "2019-2023": a year with a connector is a span of years, not a
/// range of figures.
fn span_of_years(c: &Opened) -> Option<Option<Range>> {
    let year = c.cur.is_none() && c.n.plain_int && year_of(&c.toks[c.n.first], c.text).is_some();
    (year && c.connects()).then_some(None)
}

/// "the bill from £1,971 to £3,549", "rose from 50 to 80": "to" between two figures of a
/// change (see [`two_figures`]) makes no range.
fn change_between_two_figures(c: &Opened) -> Option<Option<Range>> {
    if !word_at(c.toks, c.text, c.c, "to") {
        return None;
    }
    let twice = c
        .cur
        .is_some_and(|code| currency_prefix(c.toks, c.text, c.c + 1).is_some_and(|(c2, _)| c2 == code));
    let opens = if c.cur.is_some() && c.n.first >= 1 {
        c.n.first - 1
    } else {
        c.n.first
    };
    two_figures(c.toks, c.text, opens, twice).then_some(None)
}

/// "30-40%", "$10-13 billion": a dash between digits (never between number words).
fn dash(c: &Opened) -> Option<Option<Range>> {
    (c.dash() && !c.n.words).then(|| c.end()).flatten().map(Some)
}

/// "30 to 40 percent", "from £19 to £29": "to" between two numbers.
fn to(c: &Opened) -> Option<Option<Range>> {
    word_at(c.toks, c.text, c.c, "to").then(|| c.end()).flatten().map(Some)
}

/// "between 6,000 and 7,000", "between $5 and $7 billion": "and" after "between".
fn between_and(c: &Opened) -> Option<Option<Range>> {
    let and = word_at(c.toks, c.text, c.c, "and") && c.between();
    and.then(|| c.end()).flatten().map(Some)
}

/// The range read right after the number `n` (its currency `cur`), and the rule that
/// decided: none when no rule did.
pub(super) fn explain_open(
    toks: &[Tok],
    text: &str,
    n: &Number,
    cur: Option<&'static str>,
    skip: &[bool],
) -> Option<(Option<Range>, &'static str)> {
    let c = n.last + 1;
    toks.get(c)?;
    decide(
        OPEN,
        &Opened {
            toks,
            text,
            n,
            cur,
            skip,
            c,
        },
    )
}

/// A range: "30-40%", "$10-13 billion", "30 to 40 percent", "between 6,000 and 7,000". The
/// figure `n` as (value, value_max, last token), with the end of its range if it has one.
pub(super) fn range_of(
    toks: &[Tok],
    text: &str,
    n: &Number,
    cur: Option<&'static str>,
    skip: &[bool],
) -> (f64, Option<f64>, usize) {
    match explain_open(toks, text, n, cur, skip) {
        Some((Some(r), _)) => (r.low, Some(r.high), n.last + r.more),
        _ => (n.value, None, n.last),
    }
}

/// A percent or money figure read up to its unit, opened at `i`, and the token after its
/// unit.
pub(super) struct Written<'a> {
    toks: &'a [Tok],
    text: &'a str,
    i: usize,
    cur: Option<&'static str>,
    r: &'a Reading,
    c: usize,
}

impl Written<'_> {
    /// The range up to the second figure after the connector, its unit written again and
    /// the same as the first's, when it is higher.
    fn end(&self) -> Option<Range> {
        let (toks, text, r) = (self.toks, self.text, self.r);
        let j = match self.cur {
            Some(code) => currency_prefix(toks, text, self.c + 1).filter(|&(c2, _)| c2 == code)?.1,
            None => self.c + 1,
        };
        let n2 = parse_number(toks, text, j, self.cur.is_some())?;
        let (k2, u2, f2, l2) = match self.cur {
            Some(_) => (Kind::Money, r.unit, 1.0, n2.last),
            None => unit_after(toks, text, n2.last + 1)?,
        };
        let same = k2 == r.kind && u2 == r.unit && f2 == r.factor;
        (same && n2.value > r.value).then_some(Range {
            low: r.value,
            high: n2.value,
            more: l2 - r.unit_last,
        })
    }
}

/// The rules for the token after a percent or money figure's unit, in the order they are
/// tried.
pub(super) static TWICE: &[TwiceRule] = &[
    Rule {
        name: "two figures with their units",
        examples: &[("Its share rose from 30% to 40%.", "30%", None)],
        negatives: &[("Fares range from 30% to 40%.", "30%")],
        applies: two_figures_with_units,
    },
    Rule {
        name: "unit twice with to",
        examples: &[
            ("Analysts see 30% to 40% growth.", "30% to 40%", range(30.0, 40.0, 3)),
            (
                "Tickets cost 10 euros to 20 euros.",
                "10 euros to 20 euros",
                range(10.0, 20.0, 3),
            ),
        ],
        negatives: &[("Its share rose from 30% to 40%.", "30%")],
        applies: unit_twice_to,
    },
    Rule {
        name: "unit twice between and",
        examples: &[(
            "It expects between 30% and 40% growth.",
            "30% and 40%",
            range(30.0, 40.0, 3),
        )],
        negatives: &[("It holds 30% and 40% of two firms.", "30%")],
        applies: unit_twice_between,
    },
    Rule {
        name: "unit twice with a dash",
        examples: &[("Margins of 30%-40% are common.", "30%-40%", range(30.0, 40.0, 3))],
        negatives: &[("Margins of 30% fell.", "30%")],
        applies: unit_twice_dash,
    },
];

/// "rose from 30% to 40%": "to" between two figures of a change makes no range.
fn two_figures_with_units(c: &Written) -> Option<Option<Range>> {
    let to = word_at(c.toks, c.text, c.c, "to");
    (to && two_figures(c.toks, c.text, c.i, true)).then_some(None)
}

/// "30% to 40%", "10 euros to 20 euros".
fn unit_twice_to(c: &Written) -> Option<Option<Range>> {
    word_at(c.toks, c.text, c.c, "to").then(|| c.end()).flatten().map(Some)
}

/// "between 30% and 40%".
fn unit_twice_between(c: &Written) -> Option<Option<Range>> {
    let between = c.i > 0 && is_w(c.toks, c.text, c.i - 1, "between");
    (between && word_at(c.toks, c.text, c.c, "and"))
        .then(|| c.end())
        .flatten()
        .map(Some)
}

/// "30%-40%".
fn unit_twice_dash(c: &Written) -> Option<Option<Range>> {
    let conn = c.toks.get(c.c).filter(|t| t.kind == TokKind::Punct);
    conn.is_some_and(|t| matches!(t.text(c.text), "-" | "–"))
        .then(|| c.end())
        .flatten()
        .map(Some)
}

/// The range read after the unit of the figure `r` opened at `i` (its currency `cur`),
/// and the rule that decided: none when no rule did.
pub(super) fn explain_twice(
    toks: &[Tok],
    text: &str,
    i: usize,
    cur: Option<&'static str>,
    r: &Reading,
) -> Option<(Option<Range>, &'static str)> {
    let c = r.unit_last + 1;
    toks.get(c)?;
    decide(
        TWICE,
        &Written {
            toks,
            text,
            i,
            cur,
            r,
            c,
        },
    )
}

/// "30% to 40%", "10 euros to 20 euros": extends the percent or money claim `r` opened at
/// `i` to the end of a range written with its unit twice.
pub(super) fn unit_written_twice(toks: &[Tok], text: &str, i: usize, cur: Option<&'static str>, r: &mut Reading) {
    if let Some((Some(range), _)) = explain_twice(toks, text, i, cur, r) {
        r.value_max = Some(range.high);
        r.unit_last += range.more;
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tokens::tokenize;
    use super::super::{find_claims, read_unit};
    use super::*;

    /// The tokens of `s`, the token that opens `figure`, the currency before its number,
    /// and the number.
    fn opening(s: &str, figure: &str) -> (Vec<Tok>, usize, Option<&'static str>, Number) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let at = s.find(figure).unwrap_or_else(|| panic!("no {figure:?} in {s:?}"));
        let i = toks
            .iter()
            .position(|t| t.start == at)
            .unwrap_or_else(|| panic!("no token at {figure:?} in {s:?}"));
        let (cur, ni) = currency_prefix(&toks, s, i).map_or((None, i), |(c, n)| (Some(c), n));
        let n = parse_number(&toks, s, ni, cur.is_some()).unwrap_or_else(|| panic!("no number in {figure:?}"));
        (toks, i, cur, n)
    }

    /// What the table decides at `figure` in `s`, by the context `explain` reads.
    type Explain = fn(&[Tok], &str, usize, Option<&'static str>, &Number) -> Option<(Option<Range>, &'static str)>;

    fn open(
        toks: &[Tok],
        s: &str,
        _: usize,
        cur: Option<&'static str>,
        n: &Number,
    ) -> Option<(Option<Range>, &'static str)> {
        explain_open(toks, s, n, cur, &vec![false; toks.len()])
    }

    fn twice(
        toks: &[Tok],
        s: &str,
        i: usize,
        cur: Option<&'static str>,
        n: &Number,
    ) -> Option<(Option<Range>, &'static str)> {
        let skip = vec![false; toks.len()];
        let r = read_unit(toks, s, n, cur, &skip, false)?;
        explain_twice(toks, s, i, cur, &r)
    }

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the claim's value, its range's end and its text, or a claim with no range), and
    /// decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        check(OPEN, open);
        check(TWICE, twice);
    }

    fn check<F>(table: &[Rule<F>], explain: Explain) {
        for r in table {
            super::super::rules::corpus::covered(r);
            for &(s, figure, want) in r.examples {
                let (toks, i, cur, n) = opening(s, figure);
                assert_eq!(explain(&toks, s, i, cur, &n), Some((want, r.name)), "{s:?} {figure:?}");
                let skip = vec![false; toks.len()];
                let claims = find_claims(&toks, s, &skip, false);
                let c = claims.iter().find(|c| c.first == i);
                let Some(want) = want else {
                    assert!(c.is_none_or(|c| c.value_max.is_none()), "{}: {s:?} {figure:?}", r.name);
                    continue;
                };
                let c = c.unwrap_or_else(|| panic!("{}: no claim {figure:?} in {s:?}", r.name));
                assert_eq!(&s[toks[c.first].start..toks[c.last].end], figure, "{s:?}");
                assert_eq!((c.value, c.value_max), (want.low, Some(want.high)), "{s:?}");
            }
            for &(s, figure) in r.negatives {
                let (toks, i, cur, n) = opening(s, figure);
                let got = explain(&toks, s, i, cur, &n).map(|(_, name)| name);
                assert_ne!(got, Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
