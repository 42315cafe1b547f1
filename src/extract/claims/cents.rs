//! The cents written after an amount's currency word: "3 dollars 50 cents", "thirteen
//! dollars and forty-five cents", "15 dollars 50". Each reading is a named rule with its
//! examples; [`explain_cents`] applies the table ([`RULES`]) in order.

use super::super::numbers::{Number, parse_number};
use super::super::tokens::{Tok, TokKind};
use super::rules::decide;
use super::units::currency_word;
use super::{Reading, is_w, w};

/// A whole number below a hundred after the currency word at `unit_last` ("and" may come
/// between), which may be the amount's cents.
pub(super) struct After<'a> {
    toks: &'a [Tok],
    text: &'a str,
    unit_last: usize,
    cents: Number,
}

/// A rule that reads cents after a currency word: it gives how many tokens after the
/// cents' number the amount ends (its examples: sentences with the amount, quoted second
/// as its claim's text).
pub(super) type Rule = super::rules::Rule<fn(&After) -> Option<usize>, usize>;

/// "15 dollars 50", "3 dollars 50 cents", "thirteen dollars and forty-five cents": adds the
/// cents written after the currency word of `r`.
pub(super) fn add_cents(toks: &[Tok], text: &str, r: &mut Reading) {
    if let Some((cents, last, _)) = explain_cents(toks, text, r.unit_last) {
        r.value += cents / 100.0;
        r.unit_last = last;
    }
}

/// The cents after the currency word at `unit_last`: their number, the amount's new last
/// token, and the name of the rule that read them.
pub(super) fn explain_cents(toks: &[Tok], text: &str, unit_last: usize) -> Option<(f64, usize, &'static str)> {
    let mut j = unit_last + 1;
    if is_w(toks, text, j, "and") {
        j += 1;
    }
    let cents =
        parse_number(toks, text, j, false).filter(|c| !c.scaled && c.value < 100.0 && c.value.fract() == 0.0)?;
    let after = After {
        toks,
        text,
        unit_last,
        cents,
    };
    let (more, name) = decide(RULES, &after)?;
    Some((after.cents.value, after.cents.last + more, name))
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "cents word",
        examples: &[
            ("It cost 3 dollars 50 cents in all.", "3 dollars 50 cents", 1),
            (
                "It cost thirteen dollars and forty-five cents.",
                "thirteen dollars and forty-five cents",
                1,
            ),
        ],
        negatives: &[
            ("It cost 3 dollars 50.", "3 dollars 50"),
            ("It cost 3 dollars 50 euros.", "3 dollars"),
        ],
        applies: cents_word,
    },
    Rule {
        name: "cents ending the amount",
        examples: &[("It cost 15 dollars 50.", "15 dollars 50", 0)],
        negatives: &[
            ("It cost 15 dollars 50 more.", "15 dollars"),
            ("It cost 10 $ 30.", "10 $"),
        ],
        applies: cents_ending_amount,
    },
];

/// "3 dollars 50 cents": the number, then a word for cents.
fn cents_word(c: &After) -> Option<usize> {
    let word = w(c.toks, c.text, c.cents.last + 1)?;
    currency_word(word, None).filter(|&(_, f)| f == 0.01).map(|_| 1)
}

/// "15 dollars 50": the number ends the sentence or a clause, after a currency word (after
/// a symbol, "10 $ 30 $", only an explicit "cents" joins the amounts).
fn cents_ending_amount(c: &After) -> Option<usize> {
    let ends = c.toks.get(c.cents.last + 1).is_none_or(|t| t.kind == TokKind::Punct);
    let word_unit = c.toks[c.unit_last].kind == TokKind::Word;
    (ends && word_unit).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::super::rules::corpus::{claim_at, covered, reading_at};
    use super::*;

    /// Every rule decides each of its examples, giving what the example says (where the
    /// claim ends, its value the amount with the cents), and decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            covered(r);
            for &(s, figure, more) in r.examples {
                let (toks, c) = claim_at(s, figure);
                let (_, reading) = reading_at(&toks, s, c.first);
                let got = explain_cents(&toks, s, reading.unit_last);
                let (cents, last, name) = got.unwrap_or_else(|| panic!("{s:?}"));
                assert_eq!((name, last), (r.name, c.last), "{s:?}");
                assert_eq!(c.value, reading.value + cents / 100.0, "{s:?}");
                assert!(
                    last - more > reading.unit_last,
                    "{s:?}: the cents end {more} before the claim"
                );
            }
            for &(s, figure) in r.negatives {
                let (toks, c) = claim_at(s, figure);
                let (_, reading) = reading_at(&toks, s, c.first);
                let got = explain_cents(&toks, s, reading.unit_last).map(|(.., name)| name);
                assert_ne!(got, Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
