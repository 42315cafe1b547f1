//! The direction of a figure that is a change: a word of change before it ("rose 5%",
//! "down by about 6%"), read walking back over a few skippable words, or a noun of change
//! right after it ("a 5% rise"). Each reading is a named rule with its examples;
//! [`explain_direction`] applies the tables ([`BEFORE`], then [`AFTER`]) in order. The
//! words are `data/directions.txt`.

use std::sync::LazyLock;

use super::super::tokens::{Lower, Tok, WordSet};
use super::rules::{decide, word_set};
use super::w;
use crate::model::{Direction, Kind};

const DIRECTION_WORDS: &str = include_str!("../../../data/directions.txt");

/// The words of `data/directions.txt`, by tag.
struct Words {
    rise: WordSet,
    fall: WordSet,
    rise_noun: WordSet,
    fall_noun: WordSet,
    money_moved: WordSet,
    composes: WordSet,
    skip: WordSet,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| Words {
    rise: word_set(DIRECTION_WORDS, "rise"),
    fall: word_set(DIRECTION_WORDS, "fall"),
    rise_noun: word_set(DIRECTION_WORDS, "rise_noun"),
    fall_noun: word_set(DIRECTION_WORDS, "fall_noun"),
    money_moved: word_set(DIRECTION_WORDS, "money_moved"),
    composes: word_set(DIRECTION_WORDS, "composes"),
    skip: word_set(DIRECTION_WORDS, "skip"),
});

/// A word near a figure of kind `kind`: the token at `k`, lower case.
pub(super) struct Word<'a> {
    toks: &'a [Tok],
    text: &'a str,
    k: usize,
    l: Lower<'a>,
    kind: Kind,
}

impl<'a> Word<'a> {
    /// The word at `k` (lower case), if that token is a word.
    fn at(toks: &'a [Tok], text: &'a str, k: usize, kind: Kind) -> Option<Self> {
        let word = w(toks, text, k)?;
        Some(Word {
            toks,
            text,
            k,
            l: Lower::new(word),
            kind,
        })
    }

    /// The word before this one, lower case, if that token is a word.
    fn previous(&self) -> Option<Lower<'a>> {
        self.k
            .checked_sub(1)
            .and_then(|j| w(self.toks, self.text, j))
            .map(Lower::new)
    }
}

/// A rule that reads the direction of a figure off a word near it: `Some(direction)`, or
/// `None` when the word rules a change out. Its examples are sentences with the figure
/// (quoted second, as its claim's text) and the direction it gives.
pub(super) type Rule = super::rules::Rule<fn(&Word) -> Option<Option<Direction>>, Option<Direction>>;

/// Whether the lower-case word `l` is a word of change before a figure ("rose", "fell").
pub(super) fn changes_level(l: &str) -> bool {
    WORDS.rise.contains(l) || WORDS.fall.contains(l)
}

/// The direction of a change figure (tokens `first..=last`, of kind `kind`), and the rule
/// that read it: none when no word near the figure says (which is no change).
pub(crate) fn explain_direction(
    toks: &[Tok],
    text: &str,
    first: usize,
    last: usize,
    kind: Kind,
) -> (Option<Direction>, Option<&'static str>) {
    let mut k = first;
    let mut steps = 0;
    while k > 0 && steps < 4 {
        k -= 1;
        let Some(word) = Word::at(toks, text, k, kind) else {
            break;
        };
        if let Some((d, name)) = decide(BEFORE, &word) {
            return (d, Some(name));
        }
        if !WORDS.skip.contains(word.l.as_str()) {
            break;
        }
        steps += 1;
    }
    let after = Word::at(toks, text, last + 1, kind).and_then(|word| decide(AFTER, &word));
    after.map_or((None, None), |(d, name)| (d, Some(name)))
}

/// The direction of a change figure (tokens `first..=last`, of kind `kind`), with the rule
/// that read it.
pub(super) fn direction_of(
    toks: &[Tok],
    text: &str,
    first: usize,
    last: usize,
    kind: Kind,
) -> Option<(Direction, &'static str)> {
    match explain_direction(toks, text, first, last, kind) {
        (Some(d), Some(rule)) => Some((d, rule)),
        _ => None,
    }
}

/// The rules for a word before the figure, in the order they are tried: the words that
/// rule a change out first.
pub(super) static BEFORE: &[Rule] = &[
    Rule {
        name: "money moved",
        examples: &[
            ("The startup raised $5bn last year.", "$5bn", None),
            ("The bank cut $2bn of costs.", "$2bn", None),
        ],
        negatives: &[("Revenue rose $5bn last year.", "$5bn")],
        applies: money_moved,
    },
    Rule {
        name: "makes up",
        examples: &[("Cloud makes up 45% of sales.", "45%", None)],
        negatives: &[("Cloud sales were up 45% in May.", "45%")],
        applies: makes_up,
    },
    Rule {
        name: "rise word",
        examples: &[
            ("Sales rose 12% in March.", "12%", Some(Direction::Up)),
            ("Profit was up by about 8% on the year.", "8%", Some(Direction::Up)),
        ],
        negatives: &[("The firm raised $5bn in March.", "$5bn")],
        applies: rise_word,
    },
    Rule {
        name: "fall word",
        examples: &[
            ("Shares fell 6% on Monday.", "6%", Some(Direction::Down)),
            ("Output has slumped by nearly 20%.", "20%", Some(Direction::Down)),
        ],
        negatives: &[("The bank cut $2bn of costs.", "$2bn")],
        applies: fall_word,
    },
    Rule {
        name: "change of",
        examples: &[
            (
                "It reported an increase of 28.8% in sales.",
                "28.8%",
                Some(Direction::Up),
            ),
            ("A drop of 20% followed the news.", "20%", Some(Direction::Down)),
        ],
        negatives: &[("A share of 20% is held by staff.", "20%")],
        applies: change_of,
    },
];

/// The rules for the word right after the figure, tried when no word before it decides.
pub(super) static AFTER: &[Rule] = &[
    Rule {
        name: "rise after",
        examples: &[
            ("It posted a 5% rise in profit.", "5%", Some(Direction::Up)),
            ("Prices were 3% higher in June.", "3%", Some(Direction::Up)),
        ],
        negatives: &[("It needs 5% more staff.", "5%")],
        applies: rise_after,
    },
    Rule {
        name: "fall after",
        examples: &[("It forecast a 10% drop in demand.", "10%", Some(Direction::Down))],
        negatives: &[("It used 10% less power.", "10%")],
        applies: fall_after,
    },
];

/// "raised $5bn", "lost $2bn", "cut $2bn of costs": money that is raised, lost or cut is
/// an amount moved, not a change of a level.
fn money_moved(c: &Word) -> Option<Option<Direction>> {
    (c.kind == Kind::Money && WORDS.money_moved.contains(c.l.as_str())).then_some(None)
}

/// "makes up about 45%", "made up 10%": a phrasal verb of composition, no change.
fn makes_up(c: &Word) -> Option<Option<Direction>> {
    let composes = c.previous().is_some_and(|v| WORDS.composes.contains(v.as_str()));
    (c.l == "up" && composes).then_some(None)
}

/// "rose 12%", "up by about 8%": a word of rise before the figure.
fn rise_word(c: &Word) -> Option<Option<Direction>> {
    WORDS.rise.contains(c.l.as_str()).then_some(Some(Direction::Up))
}

/// "fell 6%", "slumped by nearly 20%": a word of fall before the figure.
fn fall_word(c: &Word) -> Option<Option<Direction>> {
    WORDS.fall.contains(c.l.as_str()).then_some(Some(Direction::Down))
}

/// "an increase of 28.8%", "a drop of 20%": a noun of change, then "of".
fn change_of(c: &Word) -> Option<Option<Direction>> {
    if c.l != "of" {
        return None;
    }
    let noun = c.previous()?;
    change_noun(noun.as_str()).map(Some)
}

/// "a 5% rise", "3% higher": a noun or adjective of rise right after the figure.
fn rise_after(c: &Word) -> Option<Option<Direction>> {
    WORDS.rise_noun.contains(c.l.as_str()).then_some(Some(Direction::Up))
}

/// "a 10% drop": a noun or adjective of fall right after the figure.
fn fall_after(c: &Word) -> Option<Option<Direction>> {
    WORDS.fall_noun.contains(c.l.as_str()).then_some(Some(Direction::Down))
}

/// "increase", "drop": the direction of a noun of change (lower case).
fn change_noun(n: &str) -> Option<Direction> {
    if WORDS.rise_noun.contains(n) {
        return Some(Direction::Up);
    }
    WORDS.fall_noun.contains(n).then_some(Direction::Down)
}

#[cfg(test)]
mod tests {
    use super::super::rules::corpus::{claim_at, tags_known};
    use super::*;

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the claim's direction), and decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        let tags = [
            "rise",
            "fall",
            "rise_noun",
            "fall_noun",
            "money_moved",
            "composes",
            "skip",
        ];
        tags_known(DIRECTION_WORDS, &tags);
        for r in BEFORE.iter().chain(AFTER) {
            super::super::rules::corpus::covered(r);
            for &(s, figure, d) in r.examples {
                let (toks, c) = claim_at(s, figure);
                let got = explain_direction(&toks, s, c.first, c.last, c.kind);
                assert_eq!(got, (d, Some(r.name)), "{s:?} {figure:?}");
                assert_eq!(c.direction, d, "{s:?} {figure:?}");
            }
            for &(s, figure) in r.negatives {
                let (toks, c) = claim_at(s, figure);
                let got = explain_direction(&toks, s, c.first, c.last, c.kind);
                assert_ne!(got.1, Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
