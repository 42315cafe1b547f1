//! Digit runs that are never figures, whatever follows: parts of names, dates, times,
//! phone and version numbers, list numbering. Each is a named [`Rule`] with the sentences
//! it covers; [`not_a_figure`] applies the table ([`RULES`]) in order.

use super::super::numbers::Number;
use super::super::period::year_of;
use super::super::tokens::{Lower, Tok, TokKind};
use super::{NOT_NAME, duration_unit, glued, is_measure, is_month, is_w, p, w};

/// A digit run being judged, with the tokens around it.
pub(super) struct Figure<'a> {
    toks: &'a [Tok],
    text: &'a str,
    n: &'a Number,
    /// The sentence opens a list item (its leading number is list numbering).
    list_item: bool,
    /// The number's first token and its index.
    i: usize,
    t: &'a Tok,
    /// The tokens right before the number and right after it.
    prev: Option<&'a Tok>,
    next: Option<&'a Tok>,
}

impl<'a> Figure<'a> {
    /// The number `n` of the sentence `toks`, with its neighbours.
    fn new(toks: &'a [Tok], text: &'a str, n: &'a Number, list_item: bool) -> Self {
        let i = n.first;
        Figure {
            toks,
            text,
            n,
            list_item,
            i,
            t: &toks[i],
            prev: i.checked_sub(1).map(|k| &toks[k]),
            next: toks.get(n.last + 1),
        }
    }

    /// The word at `k`, if that token is a word.
    fn w(&self, k: usize) -> Option<&'a str> {
        w(self.toks, self.text, k)
    }

    /// The punctuation at `k`, if that token is punctuation.
    fn p(&self, k: usize) -> Option<&'a str> {
        p(self.toks, self.text, k)
    }

    /// The word right before the number, written apart from it ("Windows 11").
    fn word_before(&self) -> Option<&'a Tok> {
        self.prev.filter(|pv| pv.kind == TokKind::Word && self.t.space_before)
    }
}

/// A rule that says a digit run is no figure; its examples are sentences with the digit
/// run (quoted second) it marks.
pub(super) type Rule = super::rules::Rule<fn(&Figure) -> bool, ()>;

/// Whether the digit run `n` is no figure at all: a part of a name, a date, a time, a
/// phone or version number, list numbering. `list_item` says the sentence opens a list item.
pub(super) fn not_a_figure(toks: &[Tok], text: &str, n: &Number, list_item: bool) -> bool {
    rule_of(&Figure::new(toks, text, n, list_item)).is_some()
}

/// The first rule that says the figure is no figure, by name.
fn rule_of(fig: &Figure) -> Option<&'static str> {
    super::rules::decide(RULES, fig).map(|((), name)| name)
}

/// Every rule, in the order they are tried.
pub(super) static RULES: &[Rule] = &[
    Rule {
        name: "glued to letters",
        examples: &[
            ("It is the 2nd largest.", "2", ()),
            ("A 35mm print.", "35", ()),
            ("The 1990s were good.", "1990", ()),
        ],
        negatives: &[("It hired 35 staff.", "35")],
        applies: glued_to_letters,
    },
    Rule {
        name: "measure of no kind",
        examples: &[("A 3-nanometre process.", "3", ()), ("A 5-inch screen.", "5", ())],
        negatives: &[("It signed a 3-year deal.", "3")],
        applies: measure_of_no_kind,
    },
    Rule {
        name: "model after a count",
        examples: &[("It bought 10 737-800 planes.", "737", ())],
        negatives: &[("It sold 10 units in 2024.", "10")],
        applies: model_after_count,
    },
    Rule {
        name: "age",
        examples: &[("He is a 45-year-old man.", "45", ())],
        negatives: &[("It signed a 45-year lease.", "45")],
        applies: age,
    },
    Rule {
        name: "after a joiner",
        examples: &[
            ("GPT-4 was trained.", "4", ()),
            ("The F-35 flew.", "35", ()),
            ("It was #1 again.", "1", ()),
        ],
        negatives: &[("GPT 4 was trained.", "4")],
        applies: after_joiner,
    },
    Rule {
        name: "joined to digits",
        examples: &[("We open 24/7.", "24", ()), ("At 10:30 it began.", "10", ())],
        negatives: &[("It fell 24% in May.", "24")],
        applies: joined_to_digits,
    },
    Rule {
        name: "date or phone number with dashes",
        examples: &[
            ("It came on 2026-04-13.", "2026", ()),
            ("Call 555-0100 now.", "555", ()),
        ],
        negatives: &[("Margins of 30-40% held.", "30")],
        applies: dashed_date_or_phone,
    },
    Rule {
        name: "area code",
        examples: &[("Call (555) 123-4567 today.", "555", ())],
        negatives: &[("Sales (555 units) rose.", "555")],
        applies: area_code,
    },
    Rule {
        name: "title at the start",
        examples: &[("Doom 3 was developed by id.", "3", ())],
        negatives: &[("About 3 firms were sold.", "3")],
        applies: title_at_start,
    },
    Rule {
        name: "model before a name",
        examples: &[("It flew the 787 Dreamliner.", "787", ())],
        negatives: &[("It sold the 787 planes in May.", "787")],
        applies: model_before_name,
    },
    Rule {
        name: "inside a name",
        examples: &[
            ("Microsoft shipped Windows 11 today.", "11", ()),
            ("The FTSE 100 fell.", "100", ()),
        ],
        negatives: &[("In May 12 firms left.", "12")],
        applies: inside_name,
    },
    Rule {
        name: "numbered thing",
        examples: &[
            ("See page 12 for more.", "12", ()),
            ("It passed stage 3 trials.", "3", ()),
        ],
        negatives: &[("It printed 12 pages.", "12")],
        applies: numbered_thing,
    },
    Rule {
        name: "digit groups",
        examples: &[
            ("Call +44 20 7946 0000.", "20", ()),
            ("Dial 020 7946 0000 now.", "020", ()),
        ],
        negatives: &[("It sold 20 units.", "20")],
        applies: digit_groups,
    },
    Rule {
        name: "section heading",
        examples: &[("4 Market context", "4", ())],
        negatives: &[("4 Firms rose sharply.", "4")],
        applies: section_heading,
    },
    Rule {
        name: "list number",
        examples: &[("1. Revenue rose", "1", ()), ("2) Costs fell", "2", ())],
        negatives: &[("12 staff left.", "12")],
        applies: list_number,
    },
    Rule {
        name: "enumeration",
        examples: &[("It has two aims: (1) growth and (2) margin.", "1", ())],
        negatives: &[("It has two aims (100 of them).", "100")],
        applies: enumeration,
    },
];

/// "2nd", "3pm", "35mm", "1990s", "4G": digits glued to letters after them.
fn glued_to_letters(f: &Figure) -> bool {
    f.next.is_some_and(|nx| !nx.space_before && nx.kind == TokKind::Word)
}

/// "3-nanometre process", "a 35-mm print", "5-inch": a measure that is no claim kind.
fn measure_of_no_kind(f: &Figure) -> bool {
    let last = f.n.last;
    f.p(last + 1) == Some("-") && glued(f.toks, last + 1) && f.w(last + 2).is_some_and(is_measure)
}

/// "10 737-800 planes": a number right after a count is a model or code.
fn model_after_count(f: &Figure) -> bool {
    let i = f.i;
    f.prev
        .is_some_and(|pv| pv.kind == TokKind::Num && f.t.space_before && pv.end - pv.start <= 3)
        && i >= 1
        && f.toks.get(i.wrapping_sub(2)).is_none_or(|pp| pp.text(f.text) != "+")
        && f.p(f.n.last + 1) == Some("-")
}

/// "45-year-old": an age.
fn age(f: &Figure) -> bool {
    let (toks, text, last) = (f.toks, f.text, f.n.last);
    f.p(last + 1) == Some("-")
        && f.w(last + 2).is_some_and(|x| duration_unit(x).is_some())
        && (is_w(toks, text, last + 4, "old") || is_w(toks, text, last + 3, "old"))
}

/// "GPT-4", "F-35", "COVID-19", "737-800" after a word, "2004/05", "v2.1.3", "#1": digits
/// glued after a joining mark.
fn after_joiner(f: &Figure) -> bool {
    f.prev
        .is_some_and(|pv| !f.t.space_before && matches!(pv.text(f.text), "-" | "/" | "." | "#" | "№" | ":" | "+" | "–"))
}

/// "24/7", "10:30", "1.2.3": digits joined tight to more digits by "/", ":" or ".".
fn joined_to_digits(f: &Figure) -> bool {
    f.next
        .is_some_and(|nx| !nx.space_before && nx.kind == TokKind::Punct && matches!(nx.text(f.text), "/" | ":" | "."))
        && f.toks
            .get(f.n.last + 2)
            .is_some_and(|a| a.kind == TokKind::Num && !a.space_before)
}

/// Dates and phone numbers joined by dashes: "2026-04-13", "555-0100".
fn dashed_date_or_phone(f: &Figure) -> bool {
    let (toks, text, t, last) = (f.toks, f.text, f.t, f.n.last);
    if let Some(nx) = f.next
        && !nx.space_before
        && matches!(nx.text(text), "-" | "–")
        && let Some(a) = toks.get(last + 2).filter(|a| a.kind == TokKind::Num && !a.space_before)
    {
        let (l1, l2) = (t.end - t.start, a.end - a.start);
        let third = p(toks, text, last + 3).is_some_and(|x| x == "-") && glued(toks, last + 3);
        let leading_zero = a.text(text).starts_with('0');
        return third || leading_zero || (l1 == 3 && l2 == 4) || (l1 == 4 && l2 == 4) || year_of(t, text).is_some();
    }
    false
}

/// "(555) 123-4567": an area code in brackets before more digits.
fn area_code(f: &Figure) -> bool {
    f.prev.is_some_and(|pv| pv.text(f.text) == "(")
        && f.next.is_some_and(|nx| nx.text(f.text) == ")")
        && f.toks.get(f.n.last + 2).is_some_and(|a| a.kind == TokKind::Num)
}

/// "Doom 3 was developed": a title at the start of a sentence.
fn title_at_start(f: &Figure) -> bool {
    let (toks, text) = (f.toks, f.text);
    f.n.plain_int
        && f.i == 1
        && toks[0].kind == TokKind::Word
        && toks[0].text(text).starts_with(|c: char| c.is_uppercase())
        && !NOT_NAME.contains(toks[0].text(text))
        && f.w(f.i + 1).is_some_and(|x| {
            matches!(
                x,
                "was" | "is" | "has" | "had" | "will" | "would" | "can" | "could" | "and" | "sold"
            )
        })
}

/// "the 787 Dreamliner": a model number before a name.
fn model_before_name(f: &Figure) -> bool {
    f.n.plain_int
        && f.w(f.n.last + 1)
            .is_some_and(|x| x.starts_with(|c: char| c.is_uppercase()) && !is_month(x))
        && f.prev
            .is_some_and(|pv| matches!(pv.text(f.text), "the" | "a" | "an" | "its" | "their"))
}

/// Inside a name: "Windows 11", "Doom 3", "FTSE 100", "Section 230".
fn inside_name(f: &Figure) -> bool {
    if !f.n.plain_int {
        return false;
    }
    f.word_before().is_some_and(|pv| {
        let ps = pv.text(f.text);
        let cap = ps.chars().next().is_some_and(char::is_uppercase);
        let sentence_start = f.i == 1;
        cap && !NOT_NAME.contains(ps) && !is_month(ps) && !sentence_start
    })
}

/// Words before a number that numbers a thing ("version 2", "page 12", "stage 3"), lower case.
const NUMBERED: &[&str] = &[
    "version", "v", "release", "no", "number", "page", "pages", "p", "pp", "chapter", "section", "article", "aged",
    "age", "ages", "room", "route", "platform", "gate", "rule", "item", "step", "stage", "phase", "level", "grade",
    "tier", "ranked", "rank", "no.", "ext", "tel", "phone", "fax", "flight", "line", "season", "episode", "part",
    "vol", "volume", "figure", "fig", "table", "apollo", "windows", "iphone", "ios", "android", "gpt",
];

/// "version 2", "page 12", "stage 3": an unscaled number after a word that numbers things.
fn numbered_thing(f: &Figure) -> bool {
    !f.n.scaled
        && f.word_before()
            .is_some_and(|pv| NUMBERED.contains(&Lower::new(pv.text(f.text)).as_str()))
}

/// A phone number written in groups: three or more digit runs in a row, or after "+".
fn digit_groups(f: &Figure) -> bool {
    if !f.n.plain_int {
        return false;
    }
    let toks = f.toks;
    let mut groups = 1;
    let mut k = f.n.last + 1;
    while toks
        .get(k)
        .is_some_and(|a| a.kind == TokKind::Num && a.end - a.start >= 2)
    {
        groups += 1;
        k += 1;
    }
    let mut k = f.i;
    while k > 0 && toks[k - 1].kind == TokKind::Num && toks[k - 1].end - toks[k - 1].start >= 2 {
        groups += 1;
        k -= 1;
    }
    let plus = k > 0 && toks[k - 1].text(f.text) == "+";
    groups >= 3 || plus
}

/// Section numbering in a contents list or heading: "1 Microsoft", "4 Market context".
fn section_heading(f: &Figure) -> bool {
    f.n.plain_int
        && f.i == 0
        && f.list_item
        && f.w(f.n.last + 1)
            .is_some_and(|x| x.starts_with(|c: char| c.is_uppercase()))
        && !f
            .toks
            .last()
            .is_some_and(|t| t.kind == TokKind::Punct && matches!(t.text(f.text), "." | "!" | "?"))
}

/// List numbering: "1." or "2)" opening a list item or a line.
fn list_number(f: &Figure) -> bool {
    f.n.plain_int
        && (f.list_item || f.i == 0)
        && f.i <= 1
        && f.next
            .is_some_and(|nx| matches!(nx.text(f.text), "." | ")") && !nx.space_before)
}

/// "(1)", "(iv)" style enumeration.
fn enumeration(f: &Figure) -> bool {
    f.n.plain_int
        && f.prev.is_some_and(|pv| pv.text(f.text) == "(")
        && f.next.is_some_and(|nx| nx.text(f.text) == ")")
        && f.t.end - f.t.start <= 2
}

#[cfg(test)]
mod tests {
    use super::super::super::numbers::parse_number;
    use super::super::super::tokens::tokenize;
    use super::*;

    /// The tokens of `s` and its number whose first token reads `figure`.
    fn number_at(s: &str, figure: &str) -> (Vec<Tok>, Number) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let k = toks
            .iter()
            .position(|t| t.kind == TokKind::Num && t.text(s) == figure)
            .unwrap_or_else(|| panic!("no {figure:?} in {s:?}"));
        let n = parse_number(&toks, s, k, false).unwrap_or_else(|| panic!("no number at {figure:?} in {s:?}"));
        (toks, n)
    }

    /// Every rule holds for each of its examples (read as list items, so that the
    /// numbering rules can fire), and its figure yields no claim; and none holds for any of
    /// its negatives (read as list items too).
    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            super::super::rules::corpus::covered(r);
            for &(s, figure, ()) in r.examples {
                let (toks, n) = number_at(s, figure);
                assert!(
                    (r.applies)(&Figure::new(&toks, s, &n, true)),
                    "{}: {s:?} {figure:?}",
                    r.name
                );
                assert!(not_a_figure(&toks, s, &n, true), "{}: {s:?}", r.name);
            }
            for &(s, figure) in r.negatives {
                let (toks, n) = number_at(s, figure);
                let fig = Figure::new(&toks, s, &n, true);
                assert!(!(r.applies)(&fig), "{}: {s:?} {figure:?}", r.name);
            }
        }
    }
}
