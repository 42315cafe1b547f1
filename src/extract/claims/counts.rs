//! A figure with no unit: a count of the noun after it ("1,500 customers", "five million
//! business users"), a duration with a word between number and unit ("two trading days"),
//! or no figure at all (a year, a day of a month, a time of day, a number that is no
//! figure). Each reading is a named rule with its examples; [`explain_count`] applies the
//! table ([`RULES`]) in order. The words are `data/words/noun-stops.txt` and
//! `data/words/clock-words.txt`.

use std::cell::OnceCell;
use std::sync::LazyLock;

use super::super::numbers::Number;
use super::super::period::year_of;
use super::super::tokens::{Lower, Tok, TokKind, WordSet};
use super::not_a_figure::not_a_figure;
use super::rules::decide;
use super::units::duration_unit;
use super::{glued, is_month, is_w, p, w};
use crate::words;

/// Words that never start a count's noun.
static NOUN_STOPS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::NOUN_STOPS));

/// Words after a number that make it a time of day ("10 am", "9 GMT").
static CLOCK_WORDS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::CLOCK_WORDS));

/// Whether `word` never starts a count's noun (any case).
fn noun_stop(word: &str) -> bool {
    NOUN_STOPS.contains(Lower::new(word).as_str())
}

/// What a figure with no unit is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Reads {
    /// A count of the noun after it (if any).
    Count,
    /// A duration, in units of this many years.
    Duration(f64),
}

/// A figure with no unit, read up to `last` (the end of its range, if it has one).
pub(super) struct Unitless<'a> {
    toks: &'a [Tok],
    text: &'a str,
    n: &'a Number,
    last: usize,
    /// The figure is a range.
    ranged: bool,
    /// The sentence opens a list item.
    list_item: bool,
    /// The counted noun after the figure, read when a rule first asks for it.
    noun: OnceCell<Option<String>>,
}

impl Unitless<'_> {
    /// The counted noun after the figure.
    fn noun(&self) -> Option<&str> {
        self.noun
            .get_or_init(|| count_noun(self.toks, self.text, self.last + 1))
            .as_deref()
    }

    /// A figure in digits that is one figure, not a range: what a year or a day may be.
    fn lone_digits(&self) -> bool {
        !self.n.words && !self.ranged
    }
}

/// A rule that reads a figure with no unit: `Some(reading)`, or `None` when it is no
/// figure. Its examples are sentences with the figure (quoted second, as its claim's
/// text, or the number when there is no claim) and what the rule gives.
pub(super) type Rule = super::rules::Rule<fn(&Unitless) -> Option<Option<Reads>>, Option<Reads>>;

/// What the figure `n` with no unit (read up to `last`; `ranged` when it is a range) is,
/// the noun it counts, and the rule that decided.
pub(super) fn explain_count(
    toks: &[Tok],
    text: &str,
    n: &Number,
    (last, ranged): (usize, bool),
    list_item: bool,
) -> Option<(Option<Reads>, Option<String>, &'static str)> {
    let u = Unitless {
        toks,
        text,
        n,
        last,
        ranged,
        list_item,
        noun: OnceCell::new(),
    };
    let (reads, name) = decide(RULES, &u)?;
    Some((reads, u.noun.into_inner().flatten(), name))
}

/// Every rule, in the order they are tried: the readings that rule a figure out first.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "number word below two",
        examples: &[("It had zero debt.", "zero", None)],
        negatives: &[("It made two deals.", "two")],
        applies: number_word_below_two,
    },
    Rule {
        name: "not a figure",
        examples: &[
            ("GPT-4 was trained.", "4", None),
            ("Microsoft shipped Windows 11 today.", "11", None),
        ],
        negatives: &[("It hired 1,500 staff.", "1,500")],
        applies: no_figure,
    },
    Rule {
        name: "year",
        examples: &[("It happened in 2019.", "2019", None)],
        negatives: &[("It has 900 staff.", "900")],
        applies: year,
    },
    Rule {
        name: "day of a month",
        examples: &[
            ("On 11 May it closed.", "11", None),
            ("It closed on May 11 at last.", "11", None),
        ],
        negatives: &[("It hired 12 staff in May.", "12")],
        applies: day_of_month,
    },
    Rule {
        name: "time of day",
        examples: &[("It opens at 9 am daily.", "9", None)],
        negatives: &[("It hired 10 staff.", "10")],
        applies: time_of_day,
    },
    Rule {
        name: "number word without a noun",
        examples: &[("The firm has three.", "three", None)],
        negatives: &[("The firm has three plants.", "three")],
        applies: number_word_without_noun,
    },
    Rule {
        name: "duration noun",
        examples: &[(
            "Shares fell for two trading days.",
            "two",
            Some(Reads::Duration(1.0 / 365.0)),
        )],
        negatives: &[("It sold two trading apps.", "two")],
        applies: duration_noun,
    },
    Rule {
        name: "counted",
        examples: &[
            ("It hired 1,500 staff.", "1,500", Some(Reads::Count)),
            (
                "It has five million business users.",
                "five million",
                Some(Reads::Count),
            ),
            ("It bought 10 737-800 planes.", "10", Some(Reads::Count)),
        ],
        negatives: &[("It happened in 2019.", "2019")],
        applies: counted,
    },
];

/// "zero debt", "one in three": a number word for less than two is no figure, unless
/// scaled ("one million").
fn number_word_below_two(c: &Unitless) -> Option<Option<Reads>> {
    (c.n.words && !c.n.scaled && c.n.value < 2.0).then_some(None)
}

/// "GPT-4", "Windows 11": digits that are no figure (the table of `not_a_figure.rs`).
fn no_figure(c: &Unitless) -> Option<Option<Reads>> {
    (!c.n.words && not_a_figure(c.toks, c.text, c.n, c.list_item)).then_some(None)
}

/// "in 2019": a year.
fn year(c: &Unitless) -> Option<Option<Reads>> {
    let year = c.n.plain_int && year_of(&c.toks[c.n.first], c.text).is_some();
    (c.lone_digits() && year).then_some(None)
}

/// "11 May", "May 11": a day next to a month's name.
fn day_of_month(c: &Unitless) -> Option<Option<Reads>> {
    let prev = c.n.first.checked_sub(1).and_then(|k| w(c.toks, c.text, k));
    let next = w(c.toks, c.text, c.n.last + 1);
    let month = prev.is_some_and(is_month) || next.is_some_and(is_month);
    (c.lone_digits() && c.n.plain_int && month).then_some(None)
}

/// "9 am", "10 GMT": a time of day.
fn time_of_day(c: &Unitless) -> Option<Option<Reads>> {
    let next = w(c.toks, c.text, c.n.last + 1);
    let clock = next.is_some_and(|x| CLOCK_WORDS.contains(Lower::new(x).as_str()));
    (c.lone_digits() && clock).then_some(None)
}

/// "the firm has three": a number word counts only a noun after it, unless scaled ("five
/// million" alone is a count).
fn number_word_without_noun(c: &Unitless) -> Option<Option<Reads>> {
    (c.n.words && !c.n.scaled && c.noun().is_none()).then_some(None)
}

/// "two trading days": a duration with a word between number and unit (a counted noun of
/// two words, the second a unit of time).
fn duration_noun(c: &Unitless) -> Option<Option<Reads>> {
    let noun = c.noun().filter(|n| n.split(' ').count() == 2)?;
    let f = noun.rsplit(' ').next().and_then(duration_unit)?;
    Some(Some(Reads::Duration(f)))
}

/// "1,500 customers", "five million business users": a count of the noun after it (or of
/// nothing named).
fn counted(_: &Unitless) -> Option<Option<Reads>> {
    Some(Some(Reads::Count))
}

/// The counted thing after a count: up to four words (`business users`, `data-centre sites`).
fn count_noun(toks: &[Tok], text: &str, mut k: usize) -> Option<String> {
    // "80-odd resorts"
    if p(toks, text, k) == Some("-") && is_w(toks, text, k + 1, "odd") {
        k += 2;
    }
    // "10 of the former directors"
    if is_w(toks, text, k, "of") && (is_w(toks, text, k + 1, "the") || is_w(toks, text, k + 1, "its")) {
        k += 2;
    }
    let mut r = NounRead {
        words: 0,
        start: None,
        end: 0,
        j: k,
        hyphened: false,
    };
    while r.words < 4 {
        let Some(t) = toks.get(r.j) else { break };
        let more = match t.kind {
            TokKind::Word => r.take_word(toks, text, t),
            TokKind::Num if r.words > 0 || p(toks, text, r.j + 1) == Some("-") => {
                r.take_model(toks, text, t);
                true
            }
            _ => false,
        };
        if !more {
            break;
        }
    }
    let s = r.start?;
    if r.words == 0 {
        return None;
    }
    let noun = text[s..r.end].trim();
    // The noun as written, its runs of white space (a line break inside it) made one space.
    Some(noun.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What [`count_noun`] has read of a counted noun so far.
struct NounRead {
    /// The words read.
    words: usize,
    /// The byte span of the noun in the text.
    start: Option<usize>,
    end: usize,
    /// The next token.
    j: usize,
    /// After a hyphen the word is part of the noun whatever it is ("plug-in hybrids").
    hyphened: bool,
}

impl NounRead {
    /// "business users", "data-centre sites": adds the word `t` to the noun; false when the
    /// noun ends before it or with it.
    fn take_word(&mut self, toks: &[Tok], text: &str, t: &Tok) -> bool {
        let s = t.text(text);
        if !self.hyphened && noun_stop(s) {
            return false;
        }
        self.hyphened = false;
        let cap = s.chars().next().is_some_and(char::is_uppercase);
        if cap
            && self.words == 0
            && !w(toks, text, self.j + 1).is_some_and(|n| {
                n.chars().next().is_some_and(char::is_lowercase) || n.chars().next().is_some_and(char::is_uppercase)
            })
        {
            // A lone capitalised word ("in 2004 Acme") is not a counted noun.
            if !s.ends_with('s') {
                return false;
            }
        }
        if self.start.is_none() {
            self.start = Some(t.start);
        }
        self.end = t.end;
        self.words += 1;
        self.j += 1;
        let j = self.j;
        // Hyphenated: data-centre
        if p(toks, text, j) == Some("-") && glued(toks, j) && w(toks, text, j + 1).is_some() && glued(toks, j + 1) {
            self.j += 1;
            self.hyphened = true;
            return true;
        }
        // A plural noun ends the phrase unless another word continues it tightly.
        let plural = s.ends_with('s') && !s.ends_with("ss");
        !plural || w(toks, text, j).is_some_and(|n| n.ends_with('s') && !noun_stop(n))
    }

    /// "737-800 planes": adds the model number `t` (and a hyphen after it) to the noun.
    fn take_model(&mut self, toks: &[Tok], text: &str, t: &Tok) {
        if self.start.is_none() {
            self.start = Some(t.start);
        }
        self.end = t.end;
        self.j += 1;
        if p(toks, text, self.j) == Some("-") {
            self.j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::numbers::parse_number;
    use super::super::super::tokens::tokenize;
    use super::super::find_claims;
    use super::super::ranges::range_of;
    use super::*;
    use crate::model::Kind;

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the claim's kind and rule, or no claim), and decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            super::super::rules::corpus::covered(r);
            for &(s, figure, want) in r.examples {
                let (toks, i, got) = decided(s, figure);
                assert_eq!(got, Some((want, r.name)), "{s:?} {figure:?}");
                let skip = vec![false; toks.len()];
                let c = find_claims(&toks, s, &skip, false).into_iter().find(|c| c.first == i);
                let Some(want) = want else {
                    assert!(c.is_none(), "{}: a claim at {figure:?} in {s:?}", r.name);
                    continue;
                };
                let c = c.unwrap_or_else(|| panic!("{}: no claim {figure:?} in {s:?}", r.name));
                let kind = if want == Reads::Count {
                    Kind::Count
                } else {
                    Kind::Duration
                };
                assert_eq!(&s[toks[c.first].start..toks[c.last].end], figure, "{s:?}");
                assert_eq!((c.kind, c.rules.unit), (kind, r.name), "{s:?} {figure:?}");
            }
            for &(s, figure) in r.negatives {
                let (.., got) = decided(s, figure);
                assert_ne!(got.map(|(_, name)| name), Some(r.name), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }

    /// What the table decides, and the name of the rule that decided.
    type Decided = Option<(Option<Reads>, &'static str)>;

    /// The tokens of `s`, the token that opens `figure`, and what the table decides there.
    fn decided(s: &str, figure: &str) -> (Vec<Tok>, usize, Decided) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let at = s.find(figure).unwrap_or_else(|| panic!("no {figure:?} in {s:?}"));
        let i = toks
            .iter()
            .position(|t| t.start == at)
            .unwrap_or_else(|| panic!("no token at {figure:?} in {s:?}"));
        let n = parse_number(&toks, s, i, false).unwrap_or_else(|| panic!("no number at {figure:?}"));
        let skip = vec![false; toks.len()];
        let (_, max, last) = range_of(&toks, s, &n, None, &skip);
        let got = explain_count(&toks, s, &n, (last, max.is_some()), false).map(|(reads, _, name)| (reads, name));
        (toks, i, got)
    }
}
