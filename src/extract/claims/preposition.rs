//! A bare "under" or "over" before a figure that is a preposition, not a bound: "under $50
//! billion pact" states the pact's terms, "row over £2bn cloud contract" the contract's
//! size. Each reading is a named rule with its examples; [`explain_preposition`] applies
//! the table ([`RULES`]) in order, to a figure the qualifier table read as a bound.

use std::sync::LazyLock;

use super::super::tokens::{Lower, Tok, WordSet};
use super::rules::decide;
use super::{RawClaim, w};
use crate::model::Qualifier;
use crate::words;

/// Nouns of an agreement or a scheme ("under $50 billion pact" is the pact's terms, not a
/// bound), lower case, from `data/words/agreement-nouns.txt`.
static AGREEMENT_NOUNS: LazyLock<WordSet> =
    LazyLock::new(|| words::set(include_str!("../../../data/words/agreement-nouns.txt")));

/// A figure read as a bound after a bare "under" or "over" (at `first - 1`).
pub(super) struct Bound<'a> {
    toks: &'a [Tok],
    text: &'a str,
    /// The figure's first and last tokens.
    first: usize,
    last: usize,
}

impl Bound<'_> {
    /// Whether the word at `k` is an agreement noun, in any ASCII case.
    fn agreement_at(&self, k: usize) -> bool {
        w(self.toks, self.text, k).is_some_and(|x| AGREEMENT_NOUNS.contains(Lower::new(x).as_str()))
    }
}

/// A rule that reads "under" / "over" before a figure: it gives whether the word is a
/// preposition (the figure no bound); its examples are sentences with the figure (quoted
/// second, as its claim's text).
pub(super) type Rule = super::rules::Rule<fn(&Bound) -> Option<bool>, bool>;

/// Whether a bare `under` / `over` before the claim `c` is a preposition rather than a
/// bound, with the name of the rule that said so.
pub(super) fn preposition_before(toks: &[Tok], text: &str, c: &RawClaim) -> Option<&'static str> {
    explain_preposition(toks, text, c).and_then(|(preposition, name)| preposition.then_some(name))
}

/// The rule that decides whether "under" / "over" before the claim `c` is a preposition
/// (`true`) or a bound (`false`), and its name; none when no rule decides (a bound) or the
/// claim is no bound after a bare "under" / "over".
pub(super) fn explain_preposition(toks: &[Tok], text: &str, c: &RawClaim) -> Option<(bool, &'static str)> {
    if !matches!(c.qualifier, Qualifier::LessThan | Qualifier::MoreThan) {
        return None;
    }
    let prev = c.first.checked_sub(1).and_then(|k| w(toks, text, k))?;
    if !(prev.eq_ignore_ascii_case("under") || prev.eq_ignore_ascii_case("over")) {
        return None;
    }
    let bound = Bound {
        toks,
        text,
        first: c.first,
        last: c.last,
    };
    decide(RULES, &bound)
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "hedged bound",
        examples: &[
            ("It sold just under $50 billion deal.", "$50 billion", false),
            ("They signed well over £2bn contracts.", "£2bn", false),
        ],
        negatives: &[("The firms signed under $50 billion pact.", "$50 billion")],
        applies: hedged_bound,
    },
    Rule {
        name: "agreement noun after",
        examples: &[
            (
                "The firms signed an agreement under $50 billion pact.",
                "$50 billion",
                true,
            ),
            ("It won a row over £2bn contract.", "£2bn", true),
        ],
        negatives: &[
            ("Sales fell under $50 billion last year.", "$50 billion"),
            ("The firms signed under $50 billion cloud pact.", "$50 billion"),
        ],
        applies: agreement_noun_after,
    },
    Rule {
        name: "agreement noun after a modifier",
        examples: &[("It won a row over £2bn cloud contract.", "£2bn", true)],
        negatives: &[
            ("It won a row over £2bn, a contract.", "£2bn"),
            ("It spent over £2bn on cloud.", "£2bn"),
        ],
        applies: agreement_noun_after_modifier,
    },
];

/// "just under $50 billion deal", "well over £2bn contracts": a hedge before the word
/// keeps the bound, whatever follows.
fn hedged_bound(c: &Bound) -> Option<bool> {
    let hedge = c.first >= 2
        && w(c.toks, c.text, c.first - 2)
            .is_some_and(|x| x.eq_ignore_ascii_case("just") || x.eq_ignore_ascii_case("well"));
    hedge.then_some(false)
}

/// "under $50 billion pact", "over £2bn contract": an agreement noun right after the
/// figure, whose size the figure is.
fn agreement_noun_after(c: &Bound) -> Option<bool> {
    c.agreement_at(c.last + 1).then_some(true)
}

/// "over £2bn cloud contract": an agreement noun after one word that modifies it.
fn agreement_noun_after_modifier(c: &Bound) -> Option<bool> {
    let modifier = w(c.toks, c.text, c.last + 1).is_some();
    (modifier && c.agreement_at(c.last + 2)).then_some(true)
}

#[cfg(test)]
mod tests {
    use super::super::rules::corpus::{claim_at, covered};
    use super::*;

    /// The claim `figure` of `s` as read before this table decides (its qualifier a bound,
    /// if the qualifier table read one).
    fn bound_at(s: &str, figure: &str) -> (Vec<Tok>, RawClaim, RawClaim) {
        let (toks, c) = claim_at(s, figure);
        let skip = vec![false; toks.len()];
        let raw = super::super::claim_at(&toks, s, c.first, &skip, false).unwrap_or_else(|| panic!("{s:?}"));
        (toks, c, raw)
    }

    /// Every rule decides each of its examples, giving what the example says (a
    /// preposition makes the claim exact and names the rule as its qualifier's), and
    /// decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            covered(r);
            for &(s, figure, preposition) in r.examples {
                let (toks, c, raw) = bound_at(s, figure);
                assert_eq!(
                    explain_preposition(&toks, s, &raw),
                    Some((preposition, r.name)),
                    "{s:?}"
                );
                if preposition {
                    assert_eq!((c.qualifier, c.rules.qualifier), (Qualifier::Exact, r.name), "{s:?}");
                } else {
                    assert_eq!(
                        (c.qualifier, c.rules.qualifier),
                        (raw.qualifier, raw.rules.qualifier),
                        "{s:?}"
                    );
                }
            }
            for &(s, figure) in r.negatives {
                let (toks, c, raw) = bound_at(s, figure);
                let got = explain_preposition(&toks, s, &raw).map(|(_, name)| name);
                assert_ne!(got, Some(r.name), "{}: {s:?} {figure:?}", r.name);
                assert_ne!(c.rules.qualifier, r.name, "{s:?}");
            }
        }
    }

    /// The agreement nouns are written in lower case, so the lookup of a lower-cased word
    /// finds them in any ASCII case.
    #[test]
    fn agreement_nouns_are_lower_case_and_found_in_any_case() {
        assert!(AGREEMENT_NOUNS.len() > 10);
        assert!(
            AGREEMENT_NOUNS
                .iter()
                .all(|n| !n.is_empty() && *n == n.to_ascii_lowercase())
        );
        let (toks, c) = super::super::rules::corpus::claim_at("under a $5bn PACT", "$5bn");
        let b = Bound {
            toks: &toks,
            text: "under a $5bn PACT",
            first: c.first,
            last: c.last,
        };
        assert!(b.agreement_at(c.last + 1));
    }
}
