//! The currency written before an amount: a symbol ("$5bn"), a prefix to the dollar sign
//! ("US$", "C$"), an ISO code ("USD 5m"), a word ("dollar 22.5 million") or "Rs.". Each
//! reading is a named rule with its examples; [`explain_currency_prefix`] applies the
//! table ([`RULES`]) in order.

use super::super::tokens::{Lower, Tok, TokKind};
use super::rules::decide;
use super::units::iso_written;
use super::{glued, p};

/// Currency symbols before the amount.
pub(super) fn symbol_code(s: &str) -> Option<&'static str> {
    Some(match s {
        "$" => "USD",
        "£" => "GBP",
        "€" => "EUR",
        "¥" => "JPY",
        "₹" => "INR",
        "₩" => "KRW",
        "₽" => "RUB",
        "₺" => "TRY",
        "₪" => "ILS",
        "฿" => "THB",
        "₡" => "CRC",
        "₾" => "GEL",
        "₭" => "LAK",
        "₿" => "BTC",
        "元" => "CNY",
        "₱" => "PHP",
        "₦" => "NGN",
        "₫" => "VND",
        "₴" => "UAH",
        _ => return None,
    })
}

/// Words glued (or, in tokenised text, spaced) before `$`: `US$`, `C$`, `HK$`.
fn dollar_code(word: &str) -> Option<&'static str> {
    let l = Lower::new(word);
    Some(match l.as_str() {
        "us" | "u.s" => "USD",
        "c" | "ca" | "can" => "CAD",
        "a" | "au" | "aus" => "AUD",
        "hk" => "HKD",
        "nz" => "NZD",
        "s" | "sg" => "SGD",
        "r" => "BRL",
        "nt" => "TWD",
        "mx" | "mxn" | "mex" => "MXN",
        "usd" => "USD",
        "aud" => "AUD",
        "cad" => "CAD",
        "nzd" => "NZD",
        "hkd" => "HKD",
        "sgd" => "SGD",
        _ => return None,
    })
}

/// The token where a currency may open an amount.
pub(super) struct Opening<'a> {
    toks: &'a [Tok],
    text: &'a str,
    i: usize,
    t: &'a Tok,
}

impl<'a> Opening<'a> {
    /// The token's text if it is a word.
    fn word(&self) -> Option<&'a str> {
        (self.t.kind == TokKind::Word).then(|| self.t.text(self.text))
    }

    /// Whether the token `j` on is a number.
    fn number_at(&self, j: usize) -> bool {
        self.toks.get(self.i + j).is_some_and(|n| n.kind == TokKind::Num)
    }
}

/// A currency read before an amount: its code, and how many tokens on its number starts.
pub(super) type Currency = (&'static str, usize);

/// A rule that reads the currency written before an amount; its examples are sentences
/// with the figure (quoted second, as its claim's text) and the currency it gives.
pub(super) type Rule = super::rules::Rule<fn(&Opening) -> Option<Currency>, Currency>;

/// The currency before an amount at `i`: (code, index of the number).
pub(super) fn currency_prefix(toks: &[Tok], text: &str, i: usize) -> Option<(&'static str, usize)> {
    explain_currency_prefix(toks, text, i).map(|(code, n, _)| (code, n))
}

/// [`currency_prefix`], with the name of the rule that read the currency.
pub(super) fn explain_currency_prefix(
    toks: &[Tok],
    text: &str,
    i: usize,
) -> Option<(&'static str, usize, &'static str)> {
    let t = toks.get(i)?;
    // Most tokens tried are numbers, which no rule reads.
    if !matches!(t.kind, TokKind::Punct | TokKind::Word) {
        return None;
    }
    let ((code, more), name) = decide(RULES, &Opening { toks, text, i, t })?;
    Some((code, i + more, name))
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "currency symbol before",
        examples: &[
            ("It paid $10 billion for it.", "$10 billion", ("USD", 1)),
            ("It holds £350m in cash.", "£350m", ("GBP", 1)),
            ("The fee fell to $-99.99 at once.", "$-99.99", ("USD", 2)),
        ],
        negatives: &[
            ("Shares of $MSFT rose 3%.", "3%"),
            ("It paid 10 $ at the door.", "10 $"),
        ],
        applies: currency_symbol_before,
    },
    Rule {
        name: "dollar prefix",
        examples: &[
            ("A US$3.5bn loan was signed.", "US$3.5bn", ("USD", 2)),
            ("It won a c $ 300 million deal.", "c $ 300 million", ("CAD", 2)),
            ("The HK$2bn bond sold out.", "HK$2bn", ("HKD", 2)),
        ],
        negatives: &[("The firm paid C $ 300 million for it.", "$ 300 million")],
        applies: dollar_prefix,
    },
    Rule {
        name: "ISO code before",
        examples: &[
            ("USD 4.2m was raised in May.", "USD 4.2m", ("USD", 1)),
            ("The bid was EUR 30 million.", "EUR 30 million", ("EUR", 1)),
        ],
        negatives: &[("The bid was Eur 30 million.", "30 million")],
        applies: iso_code_before,
    },
    Rule {
        name: "currency word before",
        examples: &[
            ("It raised dollar 22.5 million.", "dollar 22.5 million", ("USD", 1)),
            ("Its debt is euro 5bn.", "euro 5bn", ("EUR", 1)),
        ],
        negatives: &[("The dollar rose 2% on Monday.", "2%")],
        applies: currency_word_before,
    },
    Rule {
        name: "rupees before",
        examples: &[("Tickets cost Rs. 500 each.", "Rs. 500", ("INR", 2))],
        negatives: &[("Tickets cost rs 500 each.", "500")],
        applies: rupees_before,
    },
];

/// "$10 billion", "£350m", "$-99.99": a currency symbol, then the number (a minus sign
/// glued between them). "$MSFT" is a ticker, not money.
fn currency_symbol_before(c: &Opening) -> Option<Currency> {
    if c.t.kind != TokKind::Punct {
        return None;
    }
    let code = symbol_code(c.t.text(c.text))?;
    let next = c.toks.get(c.i + 1)?;
    let glued_number = |j: usize| {
        c.toks
            .get(c.i + j)
            .is_some_and(|n| n.kind == TokKind::Num && !n.space_before)
    };
    if next.kind == TokKind::Punct && next.text(c.text) == "-" && !next.space_before && glued_number(2) {
        return Some((code, 2));
    }
    (next.kind == TokKind::Num).then_some((code, 1))
}

/// "US$3.5bn", "HK$2bn" glued; "us $ 75 million", "c $ 300 million" in tokenised text (a
/// word of lower-case letters, of two or more, or "c").
fn dollar_prefix(c: &Opening) -> Option<Currency> {
    let word = c.word()?;
    if p(c.toks, c.text, c.i + 1) != Some("$") || !c.number_at(2) {
        return None;
    }
    let glued_sign = glued(c.toks, c.i + 1);
    let spaced_ok = word.chars().all(|ch| ch.is_ascii_lowercase()) && (word.len() >= 2 || word == "c");
    if !glued_sign && !spaced_ok {
        return None;
    }
    dollar_code(word).map(|code| (code, 2))
}

/// "USD 4.2m", "EUR 30 million": an ISO code as written (upper case, or lower case for
/// the unambiguous ones), then the number.
fn iso_code_before(c: &Opening) -> Option<Currency> {
    let code = iso_written(c.word()?)?;
    c.number_at(1).then_some((code, 1))
}

/// "dollar 22.5 million", "euro 5bn": the currency's word, then the number.
fn currency_word_before(c: &Opening) -> Option<Currency> {
    let code = match c.word()? {
        "dollar" | "Dollar" => "USD",
        "euro" | "Euro" => "EUR",
        _ => return None,
    };
    c.number_at(1).then_some((code, 1))
}

/// "Rs. 500": rupees, abbreviated with a full stop.
fn rupees_before(c: &Opening) -> Option<Currency> {
    let rs = matches!(c.word()?, "Rs" | "rs");
    (rs && p(c.toks, c.text, c.i + 1) == Some(".") && c.number_at(2)).then_some(("INR", 2))
}

#[cfg(test)]
mod tests {
    use super::super::super::tokens::tokenize;
    use super::super::rules::corpus::claim_at;
    use super::*;
    use crate::model::Kind;

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the claim's unit, the claim starting at the currency and the number where the
    /// example says), and decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            super::super::rules::corpus::covered(r);
            for &(s, figure, (code, more)) in r.examples {
                let (toks, c) = claim_at(s, figure);
                let got = explain_currency_prefix(&toks, s, c.first);
                assert_eq!(got, Some((code, c.first + more, r.name)), "{s:?} {figure:?}");
                assert_eq!((c.kind, c.unit, c.rules.unit), (Kind::Money, code, r.name), "{s:?}");
            }
            for &(s, figure) in r.negatives {
                let mut toks = Vec::new();
                tokenize(s, 0, s.len(), &mut toks);
                for k in 0..toks.len() {
                    let got = explain_currency_prefix(&toks, s, k).map(|(.., name)| name);
                    assert_ne!(got, Some(r.name), "{}: {s:?} at token {k}", r.name);
                }
                let (_, c) = claim_at(s, figure);
                assert_ne!(c.rules.unit, r.name, "{s:?} {figure:?}");
            }
        }
    }
}
