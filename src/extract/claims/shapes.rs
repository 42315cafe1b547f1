//! Claims read whole by a shape of their own, at the word they open with: a multiple
//! written as one word ("threefold", "doubled"), a duration without a number ("half an
//! hour"), a currency code glued to the amount ("USD115") or meaning millions ("MUSD 30"),
//! and the unit written first ("percent of 10"). Each is a named rule with its examples;
//! [`explain_shape`] applies the table ([`RULES`]) in order.

use super::super::numbers::{parse_number, small_word};
use super::super::tokens::{Lower, Tok, TokKind, WordSet};
use super::direction::direction_of;
use super::qualifier::{DEFAULT_EXACT, qualifier_before};
use super::rules::decide;
use super::units::{duration_unit, iso_code};
use super::{RawClaim, Rules, glued, is_w, p, w};
use crate::model::{Direction, Kind, Qualifier};
use crate::words;
use std::sync::LazyLock;

/// A claim a rule reads at the word it opens with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Shape {
    kind: Kind,
    unit: &'static str,
    value: f64,
    /// The claim's last token, counted on from its first.
    more: usize,
    /// Whether a qualifier written before it is read ("percent of 10" takes none).
    qualified: bool,
    /// A verb of change ("doubled"): a rise.
    verb: bool,
}

const fn multiple(value: f64, verb: bool) -> Option<Shape> {
    Some(Shape {
        kind: Kind::Multiple,
        unit: "x",
        value,
        more: 0,
        qualified: true,
        verb,
    })
}

const fn money(code: &'static str, value: f64, more: usize) -> Option<Shape> {
    Some(Shape {
        kind: Kind::Money,
        unit: code,
        value,
        more,
        qualified: true,
        verb: false,
    })
}

/// The word a shaped claim may open with.
pub(super) struct At<'a> {
    toks: &'a [Tok],
    text: &'a str,
    i: usize,
    word: &'a str,
    l: Lower<'a>,
}

impl<'a> At<'a> {
    /// Whether the word `j` tokens on is `word` (any case).
    fn word_is(&self, j: usize, word: &str) -> bool {
        is_w(self.toks, self.text, self.i + j, word)
    }

    /// The word before this one, lower case.
    fn previous(&self) -> Option<Lower<'a>> {
        self.i
            .checked_sub(1)
            .and_then(|k| w(self.toks, self.text, k))
            .map(Lower::new)
    }
}

/// A rule that reads a claim at the word it opens with: `Some(shape)`, or `None` when the
/// word is no figure (and nothing else is read there). Its examples are sentences with the
/// figure (quoted second, as its claim's text) and what the rule gives.
pub(super) type Rule = super::rules::Rule<fn(&At) -> Option<Option<Shape>>, Option<Shape>>;

/// What the rules read at token `i`, and the name of the rule that decided: none when no
/// rule did (the token is no word, or no shape of these).
pub(super) fn explain_shape(toks: &[Tok], text: &str, i: usize) -> Option<(Option<Shape>, &'static str)> {
    let t = toks.get(i).filter(|t| t.kind == TokKind::Word)?;
    let word = t.text(text);
    let at = At {
        toks,
        text,
        i,
        word,
        l: Lower::new(word),
    };
    decide(RULES, &at)
}

/// The claim of a shape at token `i`: `Some(None)` when a rule says there is none, `None`
/// when no rule decided.
pub(super) fn shaped_claim(toks: &[Tok], text: &str, i: usize) -> Option<Option<RawClaim>> {
    let (shape, name) = explain_shape(toks, text, i)?;
    let Some(s) = shape else {
        return Some(None);
    };
    let (qualifier, qualifier_rule) = if s.qualified {
        qualifier_before(toks, text, i, s.kind)
    } else {
        (Qualifier::Exact, DEFAULT_EXACT)
    };
    let direction = match s.kind {
        Kind::Multiple if s.verb => Some((Direction::Up, "multiple_verb")),
        Kind::Multiple => direction_of(toks, text, i, i + s.more, s.kind),
        _ => None,
    };
    Some(Some(RawClaim {
        kind: s.kind,
        unit: s.unit,
        value: s.value,
        value_max: None,
        qualifier,
        direction: direction.map(|(d, _)| d),
        first: i,
        last: i + s.more,
        noun: None,
        rules: Rules {
            unit: name,
            qualifier: qualifier_rule,
            direction: direction.map(|(_, rule)| rule),
        },
    }))
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "double as an adjective",
        examples: &[
            ("A double blow hit the firm.", "double", None),
            ("It posted double-digit growth.", "double", None),
        ],
        negatives: &[("Sales will double this year.", "double")],
        applies: double_as_adjective,
    },
    Rule {
        name: "multiple word",
        examples: &[
            ("Sales doubled in May.", "doubled", multiple(2.0, true)),
            ("Demand rose threefold.", "threefold", multiple(3.0, false)),
            ("Output will triple by 2030.", "triple", multiple(3.0, false)),
            ("Usage grew hundredfold.", "hundredfold", multiple(100.0, false)),
        ],
        negatives: &[
            ("A double blow hit the firm.", "double"),
            ("Its uses are manifold.", "manifold"),
        ],
        applies: multiple_word,
    },
    Rule {
        name: "duration phrase",
        examples: &[
            (
                "The plant opens within a year.",
                "a year",
                Some(Shape {
                    kind: Kind::Duration,
                    unit: "year",
                    value: 1.0,
                    more: 1,
                    qualified: true,
                    verb: false,
                }),
            ),
            (
                "The fix took half a year.",
                "half a year",
                Some(Shape {
                    kind: Kind::Duration,
                    unit: "year",
                    value: 0.5,
                    more: 2,
                    qualified: true,
                    verb: false,
                }),
            ),
        ],
        negatives: &[
            ("It earns $5bn a year.", "$5bn"),
            ("It took nearly a few years.", "a few"),
        ],
        applies: duration_phrase,
    },
    Rule {
        name: "glued code amount",
        examples: &[
            ("It priced the notes at USD115.", "USD115", money("USD", 115.0, 0)),
            (
                "The bonds traded at EUR99.5 on Monday.",
                "EUR99.5",
                money("EUR", 99.5, 2),
            ),
        ],
        negatives: &[("The USD 115 fee is due.", "USD")],
        applies: glued_code_amount,
    },
    Rule {
        name: "million code amount",
        examples: &[("Sales reached MUSD 30 in 2024.", "MUSD 30", money("USD", 3e7, 1))],
        negatives: &[("Sales reached MUSD 3 million in 2024.", "MUSD")],
        applies: million_code_amount,
    },
    Rule {
        name: "percent of",
        examples: &[(
            "The levy is per cent of twenty-two.",
            "per cent of twenty-two",
            Some(Shape {
                kind: Kind::Percent,
                unit: "%",
                value: 22.0,
                more: 5,
                qualified: false,
                verb: false,
            }),
        )],
        negatives: &[("It holds 10 percent of the market.", "percent")],
        applies: percent_of,
    },
];

/// `threefold`, `doubled`, `tripled` (lower case): (value, a verb of change).
fn multiple_of(l: &str) -> Option<(f64, bool)> {
    if let Some(n) = l.strip_suffix("fold") {
        let v = match n {
            "two" => 2.0,
            "hundred" => 100.0,
            "thousand" => 1000.0,
            _ => small_word(n)?,
        };
        return Some((v, false));
    }
    Some(match l {
        "doubled" | "doubles" | "doubling" => (2.0, true),
        "tripled" | "triples" | "tripling" | "trebled" | "trebles" => (3.0, true),
        "quadrupled" | "quadruples" | "quadrupling" => (4.0, true),
        "double" => (2.0, false),
        "triple" | "treble" => (3.0, false),
        "quadruple" => (4.0, false),
        _ => return None,
    })
}

/// Words right after "double", "triple" that make it a verb: its object or a preposition
/// ("will double its capacity", "doubled from").
static OBJECTS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::MULTIPLE_OBJECTS));

/// Words right before "double", "triple" that make it a verb ("expected to double").
static VERB_BEFORE: LazyLock<WordSet> = LazyLock::new(|| words::set(words::MULTIPLE_VERB_BEFORE));

/// "double-digit", "a double blow": "double", "triple" as an adjective, no figure. It is
/// a multiple only with a word of a verb before it and its object (or nothing) after it.
fn double_as_adjective(c: &At) -> Option<Option<Shape>> {
    if !matches!(c.l.as_str(), "double" | "triple" | "treble" | "quadruple") {
        return None;
    }
    let hyphen = p(c.toks, c.text, c.i + 1) == Some("-");
    let object = match w(c.toks, c.text, c.i + 1).map(Lower::new) {
        None => c.toks.get(c.i + 1).is_none_or(|t| t.kind == TokKind::Punct),
        Some(n) => OBJECTS.contains(n.as_str()),
    };
    let verb = c.previous().is_some_and(|v| VERB_BEFORE.contains(v.as_str()));
    (hyphen || !object || !verb).then_some(None)
}

/// "doubled", "threefold", "will triple": a multiple written as one word.
fn multiple_word(c: &At) -> Option<Option<Shape>> {
    let (v, verb) = multiple_of(c.l.as_str())?;
    Some(multiple(v, verb))
}

/// Words before "a" that make "a year" a duration ("within a year", "up to a week").
static BOUNDING: LazyLock<WordSet> = LazyLock::new(|| words::set(words::DURATION_BOUNDS));

/// "half an hour", "within a year", "up to a week": a duration without a number, in a
/// singular unit ("$5bn a year" is a rate, not a duration).
fn duration_phrase(c: &At) -> Option<Option<Shape>> {
    let half = c.l == "half" && matches!(w(c.toks, c.text, c.i + 1).map(Lower::new).as_deref(), Some("a" | "an"));
    let bounded = matches!(c.l.as_str(), "a" | "an") && c.previous().is_some_and(|l| BOUNDING.contains(l.as_str()));
    let (value, more) = match (half, bounded) {
        (true, _) => (0.5, 2),
        (_, true) => (1.0, 1),
        _ => return None,
    };
    let unit = w(c.toks, c.text, c.i + more)?;
    let f = duration_unit(unit)?;
    let shape = Shape {
        kind: Kind::Duration,
        unit: "year",
        value: value * f,
        more,
        qualified: true,
        verb: false,
    };
    (!unit.ends_with('s')).then_some(Some(shape))
}

/// "USD115", "EUR99.5": a currency code glued to the amount (one word token, and its
/// decimals after a glued full stop).
fn glued_code_amount(c: &At) -> Option<Option<Shape>> {
    let word = c.word;
    if word.len() < 4 || !word.is_char_boundary(3) {
        return None;
    }
    let (code, digits) = word.split_at(3);
    if !code.chars().all(|ch| ch.is_ascii_uppercase()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = iso_code(code)?;
    let decimals = (p(c.toks, c.text, c.i + 1) == Some(".") && glued(c.toks, c.i + 1))
        .then(|| c.toks.get(c.i + 2))
        .flatten()
        .filter(|d| d.kind == TokKind::Num && !d.space_before);
    let (value, more) = match decimals {
        Some(d) => (format!("{digits}.{}", d.text(c.text)).parse().ok()?, 2),
        None => (digits.parse().ok()?, 0),
    };
    Some(money(code, value, more))
}

/// "MUSD 30", "MAUD 60": millions of a currency, the code before an amount with no scale.
fn million_code_amount(c: &At) -> Option<Option<Shape>> {
    let word = c.word;
    if word.len() != 4 || !word.starts_with('M') || !word.chars().all(|ch| ch.is_ascii_uppercase()) {
        return None;
    }
    let code = iso_code(&word[1..])?;
    let n = parse_number(c.toks, c.text, c.i + 1, true).filter(|n| !n.scaled)?;
    Some(money(code, n.value * 1e6, n.last - c.i))
}

/// "percent of 10", "per cent of twenty-two": the unit written first, where no figure
/// stands before it ("10 percent of 20" is 10%), and a number with no scale after "of".
fn percent_of(c: &At) -> Option<Option<Shape>> {
    let of = match c.l.as_str() {
        "percent" | "percents" => 1,
        "per" if c.word_is(1, "cent") => 2,
        _ => return None,
    };
    if c.i > 0 && c.toks[c.i - 1].kind == TokKind::Num || !c.word_is(of, "of") {
        return None;
    }
    let n = parse_number(c.toks, c.text, c.i + of + 1, false).filter(|n| !n.scaled)?;
    Some(Some(Shape {
        kind: Kind::Percent,
        unit: "%",
        value: n.value,
        more: n.last - c.i,
        qualified: false,
        verb: false,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::super::tokens::tokenize;
    use super::super::find_claims;
    use super::*;

    /// The tokens of `s`, the index of the token that opens `figure` in it, and the claim
    /// found there, if any.
    fn opening(s: &str, figure: &str) -> (Vec<Tok>, usize, Option<RawClaim>) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let at = s.find(figure).unwrap_or_else(|| panic!("no {figure:?} in {s:?}"));
        let i = toks
            .iter()
            .position(|t| t.start == at)
            .unwrap_or_else(|| panic!("no token at {figure:?} in {s:?}"));
        let skip = vec![false; toks.len()];
        let c = find_claims(&toks, s, &skip, false).into_iter().find(|c| c.first == i);
        (toks, i, c)
    }

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the claim's kind, unit, value and text, or no claim), and decides none of its
    /// negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            super::super::rules::corpus::covered(r);
            for &(s, figure, shape) in r.examples {
                let (toks, i, c) = opening(s, figure);
                assert_eq!(explain_shape(&toks, s, i), Some((shape, r.name)), "{s:?} {figure:?}");
                let Some(want) = shape else {
                    assert!(c.is_none(), "{}: a claim at {figure:?} in {s:?}", r.name);
                    continue;
                };
                let c = c.unwrap_or_else(|| panic!("{}: no claim {figure:?} in {s:?}", r.name));
                assert_eq!(&s[toks[c.first].start..toks[c.last].end], figure, "{s:?}");
                let got = (c.kind, c.unit, c.value, c.rules.unit);
                assert_eq!(got, (want.kind, want.unit, want.value, r.name), "{s:?}");
            }
            for &(s, figure) in r.negatives {
                let (toks, i, _) = opening(s, figure);
                let got = explain_shape(&toks, s, i).map(|(_, name)| name);
                assert_ne!(got, Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
