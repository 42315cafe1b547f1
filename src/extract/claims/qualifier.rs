//! The qualifier of a figure: a bound ("up to", "more than", "at least") or an
//! approximation ("about", "c.") written right before it. Each reading is a named rule
//! with its examples; [`explain_qualifier`] applies the table ([`RULES`]) in order. The
//! phrases are `data/qualifiers.txt`.

use std::sync::LazyLock;

use super::super::tokens::{Lower, Tok, WordSet};
use super::rules::{decide, tagged, word_set};
use super::{p, w};
use crate::model::{Kind, Qualifier};

const QUALIFIER_WORDS: &str = include_str!("../../../data/qualifiers.txt");

/// A phrase of `data/qualifiers.txt`, word by word.
type Phrase = Box<[&'static str]>;

/// The phrases of `data/qualifiers.txt`, by tag.
struct Words {
    up_to: Vec<Phrase>,
    at_least: Vec<Phrase>,
    more_than: Vec<Phrase>,
    less_than: Vec<Phrase>,
    approx: Vec<Phrase>,
    circa: Vec<Phrase>,
    /// Verbs of motion before "up to".
    moving: WordSet,
    /// The last word of every phrase: a figure after any other word has no qualifier.
    last: WordSet,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let phrases = |tag: &str| -> Vec<Phrase> {
        tagged(QUALIFIER_WORDS)
            .filter(|(t, _)| *t == tag)
            .map(|(_, words)| words.split_whitespace().collect())
            .collect()
    };
    let mut words = Words {
        up_to: phrases("up_to"),
        at_least: phrases("at_least"),
        more_than: phrases("more_than"),
        less_than: phrases("less_than"),
        approx: phrases("approx"),
        circa: phrases("circa"),
        moving: word_set(QUALIFIER_WORDS, "moving"),
        last: WordSet::default(),
    };
    let all = [
        &words.up_to,
        &words.at_least,
        &words.more_than,
        &words.less_than,
        &words.approx,
        &words.circa,
    ];
    let last = all.into_iter().flatten().filter_map(|ph| ph.last().copied()).collect();
    words.last = last;
    words
});

/// A figure being qualified: its first token `first` and its kind.
pub(super) struct Before<'a> {
    toks: &'a [Tok],
    text: &'a str,
    first: usize,
    kind: Kind,
}

impl Before<'_> {
    /// Whether `phrase` is written right before the figure.
    fn reads(&self, phrase: &[&str]) -> bool {
        let n = phrase.len();
        self.first >= n
            && phrase.iter().enumerate().all(|(k, word)| {
                w(self.toks, self.text, self.first - n + k).is_some_and(|x| x.eq_ignore_ascii_case(word))
            })
    }

    /// Whether one of `phrases` is written right before the figure.
    fn reads_any(&self, phrases: &[Phrase]) -> bool {
        phrases.iter().any(|ph| self.reads(ph))
    }
}

/// A rule that reads the qualifier before a figure; its examples are sentences with the
/// figure (quoted second, as its claim's text) and the qualifier it gives.
pub(super) type Rule = super::rules::Rule<fn(&Before) -> Option<Qualifier>, Qualifier>;

/// The qualifier written before the claim's first token `first`, and the rule that read
/// it: none for a figure with no qualifier word before it (which is exact).
pub(crate) fn explain_qualifier(
    toks: &[Tok],
    text: &str,
    first: usize,
    kind: Kind,
) -> (Qualifier, Option<&'static str>) {
    // Every qualifier phrase ends with one of these words; most figures have none.
    let Some(prev) = first.checked_sub(1).and_then(|k| w(toks, text, k)) else {
        return (Qualifier::Exact, None);
    };
    if !WORDS.last.contains(Lower::new(prev).as_str()) {
        return (Qualifier::Exact, None);
    }
    match decide(
        RULES,
        &Before {
            toks,
            text,
            first,
            kind,
        },
    ) {
        Some((q, name)) => (q, Some(name)),
        None => (Qualifier::Exact, None),
    }
}

/// The name given when no rule reads a qualifier: the figure is exact.
pub(super) const DEFAULT_EXACT: &str = "default_exact";

/// The qualifier written before the claim's first token `first`, and the rule that read
/// it ([`DEFAULT_EXACT`] when none did).
pub(super) fn qualifier_before(toks: &[Tok], text: &str, first: usize, kind: Kind) -> (Qualifier, &'static str) {
    let (q, rule) = explain_qualifier(toks, text, first, kind);
    (q, rule.unwrap_or(DEFAULT_EXACT))
}

/// Every rule, in the order they are tried: the readings that make a bound word exact
/// first, then the bounds ("no less than" before "less than"), then the approximations.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "length of a period",
        examples: &[
            ("The loan is repaid over ten years.", "ten years", Qualifier::Exact),
            ("Prices rose just over six months ago.", "six months", Qualifier::Exact),
        ],
        negatives: &[("The work took more than ten years.", "ten years")],
        applies: period_length,
    },
    Rule {
        name: "up to where a level moves",
        examples: &[
            ("Fares will go up to £48 in May.", "£48", Qualifier::Exact),
            (
                "The cap was pushed up to $7,200 this winter.",
                "$7,200",
                Qualifier::Exact,
            ),
        ],
        negatives: &[("Fares may rise by up to £48 in May.", "£48")],
        applies: moving_up_to,
    },
    Rule {
        name: "up to",
        examples: &[
            ("The fund may invest up to $40 billion.", "$40 billion", Qualifier::UpTo),
            ("Shares could drop as much as 30%.", "30%", Qualifier::UpTo),
            ("It may hire a maximum of 200 staff.", "200", Qualifier::UpTo),
        ],
        negatives: &[("The fund will invest $40 billion.", "$40 billion")],
        applies: bound_up_to,
    },
    Rule {
        name: "at least",
        examples: &[
            (
                "The site needs at least 2 gigawatts.",
                "2 gigawatts",
                Qualifier::AtLeast,
            ),
            ("It will cost no less than £900m.", "£900m", Qualifier::AtLeast),
        ],
        negatives: &[("It will cost less than £900m.", "£900m")],
        applies: at_least,
    },
    Rule {
        name: "more than",
        examples: &[
            ("The chain has more than 4,000 stores.", "4,000", Qualifier::MoreThan),
            (
                "Its market value is over $3 trillion.",
                "$3 trillion",
                Qualifier::MoreThan,
            ),
            ("Demand rose in excess of 12%.", "12%", Qualifier::MoreThan),
        ],
        negatives: &[("The chain has 4,000 stores.", "4,000")],
        applies: more_than,
    },
    Rule {
        name: "less than",
        examples: &[
            (
                "The unit earned less than $50 million.",
                "$50 million",
                Qualifier::LessThan,
            ),
            ("Turnout was under 40%.", "40%", Qualifier::LessThan),
        ],
        negatives: &[("The unit earned no fewer than 300 orders.", "300")],
        applies: less_than,
    },
    Rule {
        name: "approximately",
        examples: &[
            ("The deal is worth about $2.4bn.", "$2.4bn", Qualifier::Approx),
            ("Nearly 15% of homes are empty.", "15%", Qualifier::Approx),
            ("It employs an estimated 9,000 people.", "9,000", Qualifier::Approx),
        ],
        negatives: &[("The deal is worth $2.4bn.", "$2.4bn")],
        applies: approximately,
    },
    Rule {
        name: "circa",
        examples: &[(
            "The firm paid C $ 300 million for it.",
            "$ 300 million",
            Qualifier::Approx,
        )],
        negatives: &[("They sold ca 300 homes.", "300")],
        applies: circa,
    },
];

/// "over ten years": a one-word lower bound before a duration is the length of the period,
/// not a bound on it ("more than ten years" is one).
fn period_length(c: &Before) -> Option<Qualifier> {
    let one_word = |ph: &Phrase| ph.len() == 1 && c.reads(ph);
    (c.kind == Kind::Duration && WORDS.more_than.iter().any(one_word)).then_some(Qualifier::Exact)
}

/// "bills will go up to £3,608": "up to" after a verb of motion is where a level moves
/// to, not a bound.
fn moving_up_to(c: &Before) -> Option<Qualifier> {
    let verb = |k: usize| w(c.toks, c.text, k).is_some_and(|x| WORDS.moving.contains(Lower::new(x).as_str()));
    (c.reads(&["up", "to"]) && c.first >= 3 && verb(c.first - 3)).then_some(Qualifier::Exact)
}

/// "up to $40 billion", "as much as 30%": an upper bound.
fn bound_up_to(c: &Before) -> Option<Qualifier> {
    c.reads_any(&WORDS.up_to).then_some(Qualifier::UpTo)
}

/// "at least 2 gigawatts", "no less than £900m": a lower bound, the figure included.
fn at_least(c: &Before) -> Option<Qualifier> {
    c.reads_any(&WORDS.at_least).then_some(Qualifier::AtLeast)
}

/// "more than 4,000", "over $3 trillion": a lower bound, the figure excluded.
fn more_than(c: &Before) -> Option<Qualifier> {
    c.reads_any(&WORDS.more_than).then_some(Qualifier::MoreThan)
}

/// "less than $50 million", "under 40%": an upper bound, the figure excluded.
fn less_than(c: &Before) -> Option<Qualifier> {
    c.reads_any(&WORDS.less_than).then_some(Qualifier::LessThan)
}

/// "about $2.4bn", "nearly 15%", "an estimated 9,000": an approximation.
fn approximately(c: &Before) -> Option<Qualifier> {
    c.reads_any(&WORDS.approx).then_some(Qualifier::Approx)
}

/// "C $ 300 million": "c" or "ca" is "circa" only as an abbreviation, before a currency
/// symbol or a full stop ("ca 300 homes" is none). A lower-case "c $" is Canadian dollars
/// (the claim starts at the "c").
fn circa(c: &Before) -> Option<Qualifier> {
    let abbreviated = p(c.toks, c.text, c.first) == Some(".") || c.toks[c.first].text(c.text) == "$";
    (abbreviated && c.reads_any(&WORDS.circa)).then_some(Qualifier::Approx)
}

#[cfg(test)]
mod tests {
    use super::super::rules::corpus::{claim_at, tags_known};
    use super::*;

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the claim's qualifier), and decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        tags_known(
            QUALIFIER_WORDS,
            &[
                "up_to",
                "at_least",
                "more_than",
                "less_than",
                "approx",
                "circa",
                "moving",
            ],
        );
        for r in RULES {
            super::super::rules::corpus::covered(r);
            for &(s, figure, q) in r.examples {
                let (toks, c) = claim_at(s, figure);
                let got = explain_qualifier(&toks, s, c.first, c.kind);
                assert_eq!(got, (q, Some(r.name)), "{s:?} {figure:?}");
                assert_eq!(c.qualifier, q, "{s:?} {figure:?}");
            }
            for &(s, figure) in r.negatives {
                let (toks, c) = claim_at(s, figure);
                let got = explain_qualifier(&toks, s, c.first, c.kind);
                assert_ne!(got.1, Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
