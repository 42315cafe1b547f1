//! A figure's sign: "minus five percent", "-15€" and "$-99.99" are negative. Each reading
//! is a named rule with its examples; [`explain_sign`] applies the table ([`RULES`]) in
//! order.

use super::super::tokens::Tok;
use super::rules::decide;
use super::{is_w, p};

/// A claim being read: its first token, and the token its number starts at.
pub(super) struct Signed<'a> {
    toks: &'a [Tok],
    text: &'a str,
    /// The claim's first token (its currency, if written before the amount).
    i: usize,
    /// The number's first token.
    ni: usize,
    /// A currency is written before the amount.
    currency: bool,
}

/// A rule that says a figure is negative; its examples are sentences with the figure
/// (quoted second, as its claim's text).
pub(super) type Rule = super::rules::Rule<fn(&Signed) -> bool, ()>;

/// Whether the claim at `i` (its number at `ni`, a currency `cur` before it) is negative.
pub(super) fn is_negative(toks: &[Tok], text: &str, i: usize, ni: usize, cur: Option<&str>) -> bool {
    explain_sign(toks, text, i, ni, cur).is_some()
}

/// [`is_negative`], by the name of the rule that read the sign.
pub(super) fn explain_sign(toks: &[Tok], text: &str, i: usize, ni: usize, cur: Option<&str>) -> Option<&'static str> {
    let signed = Signed {
        toks,
        text,
        i,
        ni,
        currency: cur.is_some(),
    };
    decide(RULES, &signed).map(|((), name)| name)
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "minus word",
        examples: &[
            ("Growth was minus five percent.", "five percent", ()),
            ("It fell to minus 2% in May.", "2%", ()),
        ],
        negatives: &[("The error is plus or minus 2%.", "2%")],
        applies: minus_word,
    },
    Rule {
        name: "minus sign glued",
        examples: &[("Margins were -15% last year.", "15%", ())],
        negatives: &[
            ("Margins were - 15% last year.", "15%"),
            ("It rose 10-15% in May.", "10-15%"),
        ],
        applies: minus_sign_glued,
    },
    Rule {
        name: "minus after the currency",
        examples: &[("The fee fell to $-99.99 at once.", "$-99.99", ())],
        negatives: &[("The fee fell to -$99.99 at once.", "$99.99")],
        applies: minus_after_currency,
    },
];

/// "minus five percent": the word "minus" before the claim; "plus or minus 2%" is a
/// tolerance, not a negative figure.
fn minus_word(c: &Signed) -> bool {
    let (toks, text, i) = (c.toks, c.text, c.i);
    let tolerance = i > 2 && is_w(toks, text, i - 2, "or") && is_w(toks, text, i - 3, "plus");
    i > 0 && is_w(toks, text, i - 1, "minus") && !tolerance
}

/// "-15%", " -15€": a minus sign glued to the claim, with a space before it (not a range's
/// dash, "10-15%").
fn minus_sign_glued(c: &Signed) -> bool {
    let (toks, i) = (c.toks, c.i);
    i > 0 && p(toks, c.text, i - 1) == Some("-") && toks[i - 1].space_before && !toks[i].space_before
}

/// "$-99.99": a minus sign between the currency and the number.
fn minus_after_currency(c: &Signed) -> bool {
    c.currency && c.ni > 0 && p(c.toks, c.text, c.ni - 1) == Some("-")
}

#[cfg(test)]
mod tests {
    use super::super::currency::currency_prefix;
    use super::super::rules::corpus::{claim_at, covered};
    use super::*;

    /// The claim `figure` of `s`, and the rule that read its sign.
    fn sign_of(s: &str, figure: &str) -> (f64, Option<&'static str>) {
        let (toks, c) = claim_at(s, figure);
        let (cur, ni) = match currency_prefix(&toks, s, c.first) {
            Some((code, n)) => (Some(code), n),
            None => (None, c.first),
        };
        (c.value, explain_sign(&toks, s, c.first, ni, cur))
    }

    /// Every rule decides each of its examples (whose claim is negative), and decides none
    /// of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            covered(r);
            for &(s, figure, ()) in r.examples {
                let (value, got) = sign_of(s, figure);
                assert_eq!(got, Some(r.name), "{s:?} {figure:?}");
                assert!(value < 0.0, "{s:?} {figure:?}: {value}");
            }
            for &(s, figure) in r.negatives {
                let (_, got) = sign_of(s, figure);
                assert_ne!(got, Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
