//! Numbers written in words that state no figure: a name ("Six Feet Under"), a ratio ("one
//! in five"), a reference ("the two companies", "their three children") or a vague "one"
//! ("one of them"). Each is a named rule with its examples; [`explain_word_number`]
//! applies the table ([`RULES`]) to a number in words with no currency before it.

use super::super::numbers::Number;
use super::super::tokens::{Lower, Tok, TokKind};
use super::rules::decide;
use super::{is_w, p, unit_after, w};
use crate::model::Kind;

/// A number written (at least partly) in words, with the tokens around it.
pub(super) struct InWords<'a> {
    toks: &'a [Tok],
    text: &'a str,
    n: &'a Number,
    /// The number's first word ("" if its first token is no word).
    first: &'a str,
}

impl<'a> InWords<'a> {
    /// The word right before the number, lower case.
    fn word_before(&self) -> Option<Lower<'a>> {
        self.n
            .first
            .checked_sub(1)
            .and_then(|k| w(self.toks, self.text, k))
            .map(Lower::new)
    }
}

/// A rule that says a number in words is no figure; its examples are sentences with the
/// number (quoted second, as written).
pub(super) type Rule = super::rules::Rule<fn(&InWords) -> bool, ()>;

/// A number in words is a claim only with a unit or a counted noun after it.
pub(super) fn word_number_ok(toks: &[Tok], text: &str, n: &Number) -> bool {
    explain_word_number(toks, text, n).is_none()
}

/// The rule that says the number in words `n` is no figure, by name.
pub(super) fn explain_word_number(toks: &[Tok], text: &str, n: &Number) -> Option<&'static str> {
    let first = w(toks, text, n.first).unwrap_or("");
    decide(RULES, &InWords { toks, text, n, first }).map(|((), name)| name)
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "capitalised inside a sentence",
        examples: &[
            ("He watched Six Feet Under again.", "Six", ()),
            ("She met the Seven Sisters there.", "Seven", ()),
        ],
        negatives: &[
            ("Six firms left in May.", "Six"),
            ("He said: \"Six firms left.\"", "Six"),
        ],
        applies: capitalised_inside_sentence,
    },
    Rule {
        name: "one in",
        examples: &[("About one in five loans failed.", "five", ())],
        negatives: &[("About five loans failed.", "five")],
        applies: one_in,
    },
    Rule {
        name: "after a possessive",
        examples: &[("It sold its two plants.", "two", ())],
        negatives: &[
            ("It sold two plants.", "two"),
            ("It sold its two million shares.", "two million"),
        ],
        applies: after_possessive,
    },
    Rule {
        name: "after an article",
        examples: &[
            ("The deal joins the two companies.", "two", ()),
            ("Both of those three figures fell.", "three", ()),
        ],
        negatives: &[("The deal joins the five companies.", "five")],
        applies: after_article,
    },
    Rule {
        name: "vague one",
        examples: &[
            ("It was one of them.", "one", ()),
            ("It was a one-off gain.", "one", ()),
        ],
        negatives: &[
            ("It has one billion users.", "one billion"),
            ("It fell one percentage point.", "one"),
            ("It rose one percent.", "one"),
        ],
        applies: vague_one,
    },
];

/// "Six Feet Under", "Seven Sisters": a capitalised number word inside a sentence (not
/// after a colon, a quote, a bracket or a dash) is a name.
fn capitalised_inside_sentence(c: &InWords) -> bool {
    let (toks, i) = (c.toks, c.n.first);
    c.first.starts_with(|ch: char| ch.is_ascii_uppercase())
        && i > 0
        && !toks[..i].iter().all(|t| t.kind == TokKind::Punct)
        && !matches!(p(toks, c.text, i - 1), Some(":" | "\"" | "“" | "(" | "-" | "–" | "—"))
}

/// "one in five loans": a ratio, not a count.
fn one_in(c: &InWords) -> bool {
    let i = c.n.first;
    i >= 2 && is_w(c.toks, c.text, i - 1, "in") && is_w(c.toks, c.text, i - 2, "one")
}

/// "its two plants", "their three children": an unscaled number after a possessive is a
/// reference, not a figure.
fn after_possessive(c: &InWords) -> bool {
    let d = c.word_before();
    !c.n.scaled
        && matches!(
            d.as_deref(),
            Some("its" | "their" | "his" | "her" | "our" | "my" | "your")
        )
}

/// "the two companies", "those two figures": a small unscaled number (four at most) after
/// an article is a reference, not a figure.
fn after_article(c: &InWords) -> bool {
    let d = c.word_before();
    let article = matches!(d.as_deref(), Some("the" | "those" | "these" | "both" | "all" | "of"));
    !c.n.scaled && article && c.n.value <= 4.0
}

/// "one of", "one-off", "no one": an unscaled "one" is too vague, unless a unit of money,
/// percent, power or energy follows ("one percentage point", "one megawatt hour").
fn vague_one(c: &InWords) -> bool {
    if !c.first.eq_ignore_ascii_case("one") || c.n.scaled {
        return false;
    }
    let after = c.n.last + 1;
    let measured = unit_after(c.toks, c.text, after)
        .is_some_and(|(k, ..)| !matches!(k, Kind::Count | Kind::Multiple | Kind::Duration))
        || is_w(c.toks, c.text, after, "percentage");
    !measured
}

#[cfg(test)]
mod tests {
    use super::super::rules::corpus::{claim_starts, covered, number_at};
    use super::*;

    /// Every rule holds for each of its examples, and no claim starts at its number; and
    /// none holds for any of its negatives, where a claim starts at the number.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            covered(r);
            for &(s, figure, ()) in r.examples {
                let (toks, n) = number_at(s, figure);
                assert!(n.words, "{s:?} {figure:?}");
                assert_eq!(explain_word_number(&toks, s, &n), Some(r.name), "{s:?} {figure:?}");
                assert!(!claim_starts(&toks, s, n.first), "{}: {s:?}", r.name);
            }
            for &(s, figure) in r.negatives {
                let (toks, n) = number_at(s, figure);
                let got = explain_word_number(&toks, s, &n);
                assert_ne!(got, Some(r.name), "{}: {s:?} {figure:?}", r.name);
                assert!(claim_starts(&toks, s, n.first), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
