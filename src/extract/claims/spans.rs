//! Durations that name a span of time and state no figure: "the three months ended 31
//! December", "the first three months of 2024", "the previous three-month period". Each is
//! a named rule with its examples; [`explain_span`] applies the table ([`RULES`]) in order.

use super::super::tokens::Tok;
use super::is_w;
use super::rules::decide;

/// Words before the number in "the first three months of", "the same six-month period".
const ORDINALS: &[&str] = &[
    "first",
    "last",
    "final",
    "opening",
    "previous",
    "prior",
    "preceding",
    "same",
];

/// A duration read from token `i` to its unit at `last`.
pub(super) struct Duration<'a> {
    toks: &'a [Tok],
    text: &'a str,
    i: usize,
    last: usize,
}

impl Duration<'_> {
    /// Whether the word right after the unit is one of `words`.
    fn followed_by(&self, words: &[&str]) -> bool {
        words.iter().any(|x| is_w(self.toks, self.text, self.last + 1, x))
    }

    /// Whether the word at `k` (before the number) is "the".
    fn the_at(&self, k: Option<usize>) -> bool {
        k.is_some_and(|k| is_w(self.toks, self.text, k, "the"))
    }
}

/// A rule that says a duration names a span of time; its examples are sentences with the
/// duration (quoted second, as its number and unit read).
pub(super) type Rule = super::rules::Rule<fn(&Duration) -> bool, ()>;

/// Whether the duration from `i` to `last` names a span of time, stating no figure.
pub(super) fn names_a_span(toks: &[Tok], text: &str, i: usize, last: usize) -> bool {
    explain_span(toks, text, i, last).is_some()
}

/// [`names_a_span`], by the name of the rule that said so.
pub(super) fn explain_span(toks: &[Tok], text: &str, i: usize, last: usize) -> Option<&'static str> {
    decide(RULES, &Duration { toks, text, i, last }).map(|((), name)| name)
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "the span ended",
        examples: &[
            ("Sales in the three months ended 31 December rose.", "three months", ()),
            ("It counts the 12 months to June.", "12 months", ()),
        ],
        negatives: &[
            ("It took three months to build.", "three months"),
            ("In the three months of talks it fell.", "three months"),
        ],
        applies: the_span_ended,
    },
    Rule {
        name: "an ordinal span",
        examples: &[
            ("Sales in the first three months of 2024 rose.", "three months", ()),
            ("It beat the previous three-month period.", "three-month", ()),
        ],
        negatives: &[
            ("In the first three months it fell.", "three months"),
            ("In a previous three-month period it fell.", "three-month"),
        ],
        applies: ordinal_span,
    },
];

/// "the three months ended 31 December", "the 12 months to June": "the", the duration,
/// then the word that closes the span.
fn the_span_ended(c: &Duration) -> bool {
    c.the_at(c.i.checked_sub(1)) && c.followed_by(&["ended", "ending", "to", "through", "till"])
}

/// "the first three months of 2024", "the previous three-month period": "the" and an
/// ordinal before the duration, then a word that makes it a span.
fn ordinal_span(c: &Duration) -> bool {
    let ordinal = c.i >= 2 && c.the_at(Some(c.i - 2)) && ORDINALS.iter().any(|x| is_w(c.toks, c.text, c.i - 1, x));
    ordinal && c.followed_by(&["of", "period", "periods", "ended", "ending", "to", "through"])
}

#[cfg(test)]
mod tests {
    use super::super::rules::corpus::{claim_starts, covered, number_at, reading_at};
    use super::*;
    use crate::model::Kind;

    /// The tokens of `s`, and the number and unit of the duration `figure` (the first
    /// token and the unit's last).
    fn duration_at(s: &str, figure: &str) -> (Vec<Tok>, usize, usize) {
        let (toks, n) = number_at(s, figure.split(['-', ' ']).next().unwrap_or(figure));
        let (_, r) = reading_at(&toks, s, n.first);
        assert_eq!(r.kind, Kind::Duration, "{s:?} {figure:?}");
        assert_eq!(&s[toks[n.first].start..toks[r.unit_last].end], figure, "{s:?}");
        (toks, n.first, r.unit_last)
    }

    /// Every rule decides each of its examples, where no claim starts; and decides none of
    /// its negatives, where a claim starts at the number.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            covered(r);
            for &(s, figure, ()) in r.examples {
                let (toks, i, last) = duration_at(s, figure);
                assert_eq!(explain_span(&toks, s, i, last), Some(r.name), "{s:?} {figure:?}");
                assert!(!claim_starts(&toks, s, i), "{}: {s:?}", r.name);
            }
            for &(s, figure) in r.negatives {
                let (toks, i, last) = duration_at(s, figure);
                assert_ne!(explain_span(&toks, s, i, last), Some(r.name), "{}: {s:?}", r.name);
            }
        }
    }
}
