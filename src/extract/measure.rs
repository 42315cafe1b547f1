//! measure: what a figure quantifies, read from the words around it ([`Measure`]).
//!
//! - **head**: the first of the named rules of [`HEAD_RULES`] that gives one: the nearest
//!   term of the head table (`data/measures.txt`) in the figure's clause ("third-quarter
//!   revenue of $57 billion", "$57 billion in revenue"), else in its sentence; the head
//!   carried to a figure for another group of people; for a count, the counted noun
//!   ("1,200 engineers"); the metric's label; the label opening the line.
//! - **scope**: the words before the head that narrow it ("data center", "prepayment"),
//!   without the words of time and praise that do not ("record quarterly"); else a part or
//!   segment named before the figure; else what its neighbours lend it. Two tables of
//!   named rules ([`OWN_SCOPE`], [`LENT_SCOPE`]), the group of people a figure is for
//!   between them.
//! - **change**, **per**, **status** and **by**: small named rules ([`CHANGE_RULES`],
//!   [`PER_RULES`], [`STATUS_RULES`]), each with the examples a test runs.
//!
//! Everything works on [`Words`]: the sentence's tokens, lower-cased once, with hyphens
//! dropped so that "year-over-year" reads as "year over year".

use std::borrow::Cow;
use std::sync::{LazyLock, OnceLock};

use super::rules::{self, Example, decide};
use super::tokens::{FastMap, Tok, TokKind, WordSet};
use crate::model::{Change, Direction, Kind, Measure, Status};
use crate::words;

const BUILTIN_HEADS: &str = include_str!("../../data/measures.txt");

/// One head of the table: its name and the kinds of figure it can be the head of.
#[derive(Debug)]
struct Head {
    name: String,
    kinds: Vec<Kind>,
    /// A line of its own in any account: never one fact with another item.
    item: bool,
    /// A figure of an economy (inflation, a base rate), which no company guides to.
    economy: bool,
    /// Named only by the figure's own noun ("11 estimates"), never by a term further away
    /// ("analysts' estimates of 449,080 units").
    own: bool,
}

/// The head table: heads, and their terms as word lists, longest first, found by their
/// first word.
#[derive(Debug)]
pub struct Heads {
    heads: Vec<Head>,
    terms: Vec<Term>,
    by_first: FastMap<String, Vec<usize>>,
}

/// A term of the table: its words, its head, and whether it is a verb.
#[derive(Debug)]
struct Term {
    words: Vec<String>,
    head: usize,
    verb: bool,
}

impl Term {
    /// Whether the term's words start at word `i` (its first word already matched).
    fn starts_at(&self, ws: &Words, i: usize) -> bool {
        self.words.iter().enumerate().skip(1).all(|(k, w)| ws.lower(i + k) == w)
    }
}

static HEADS: LazyLock<Heads> = LazyLock::new(|| Heads::parse(BUILTIN_HEADS).unwrap_or_else(|_| Heads::empty()));

/// Splits a term into the words [`Words`] holds: lower case, hyphens as spaces.
fn term_words(term: &str) -> Vec<String> {
    term.to_lowercase()
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl Heads {
    fn empty() -> Heads {
        Heads {
            heads: Vec::new(),
            terms: Vec::new(),
            by_first: FastMap::default(),
        }
    }

    /// Parses the table; `Err(line)` names the first malformed line.
    pub fn parse(text: &str) -> Result<Heads, usize> {
        let mut t = Heads::empty();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (label, terms) = line.split_once(':').ok_or(n + 1)?;
            let (name, marks) = label.split_once('[').unwrap_or((label, ""));
            let marks: Vec<&str> = marks.trim_end_matches(']').split(',').map(str::trim).collect();
            let item = marks.contains(&"item");
            let economy = marks.contains(&"economy");
            let own = marks.contains(&"own");
            let kinds: Option<Vec<Kind>> = marks
                .iter()
                .filter(|k| !k.is_empty() && !matches!(**k, "item" | "economy" | "own"))
                .map(|k| Kind::named(k))
                .collect();
            let id = t.heads.len();
            t.heads.push(Head {
                name: name.trim().to_string(),
                kinds: kinds.ok_or(n + 1)?,
                item,
                economy,
                own,
            });
            t.terms
                .extend(terms.split(',').map(str::trim).filter(|w| !w.is_empty()).map(|w| Term {
                    words: term_words(w.trim_start_matches('~')),
                    head: id,
                    verb: w.starts_with('~'),
                }));
        }
        t.terms.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
        for (k, term) in t.terms.iter().enumerate() {
            if let Some(first) = term.words.first() {
                t.by_first.entry(first.clone()).or_default().push(k);
            }
        }
        Ok(t)
    }

    /// The longest term starting at word `i`.
    fn term_at(&self, ws: &Words, i: usize) -> Option<&Term> {
        let candidates = self.by_first.get(ws.lower(i))?;
        candidates.iter().map(|&k| &self.terms[k]).find(|t| t.starts_at(ws, i))
    }

    /// The term at word `i` for the figure at `site`: where the word names more than one
    /// head of the figure's kind ("sales": revenue or units sold), the head the sentence's
    /// previous figure, else the sentence before, was measured by ("526,409 units sold ...,
    /// though sales rose 36%"), else the table's first.
    fn term_for(&self, site: &Site, i: usize) -> Option<&Term> {
        let candidates = self.by_first.get(site.ws.lower(i))?;
        // The longest term written here is the phrase: "a cost of living payment" names no
        // cost, even where "cost of living" cannot head a sum of money.
        let longest = (candidates.iter().map(|&k| &self.terms[k])).find(|t| t.starts_at(site.ws, i))?;
        let mut fitting = (candidates.iter().map(|&k| &self.terms[k]))
            .filter(|t| t.words.len() == longest.words.len())
            .filter(|t| t.starts_at(site.ws, i) && self.allows(t.head, site.kind));
        let first = fitting.next()?;
        let told = [site.before.map(|b| b.1), site.carried]
            .into_iter()
            .flatten()
            .find_map(|m| m.head.as_deref());
        let same_words = |t: &&Term| t.words == first.words;
        let chosen = told.and_then(|h| {
            std::iter::once(first)
                .chain(fitting.take_while(same_words))
                .find(|t| self.heads[t.head].name == h)
        });
        Some(chosen.unwrap_or(first))
    }

    /// Whether a company may guide to figures of this head: an item of its account, not a
    /// figure of an economy (or a head unknown).
    fn guided(&self, head: Option<&str>) -> bool {
        head.is_none_or(|h| self.heads.iter().any(|x| x.name == h && x.item && !x.economy))
    }

    fn allows(&self, head: usize, kind: Kind) -> bool {
        self.heads[head].kinds.is_empty() || self.heads[head].kinds.contains(&kind)
    }
}

/// A short label before a colon at the start of a line: the head it names and, for an
/// item of a bulleted list, the part it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineLabel {
    /// "Gross margin: The adjusted gross margin was 73.6%. Analysts expected 73.7%": the
    /// head the label names (its longest term), the head of the paragraph's figures that
    /// name none themselves.
    pub head: Option<&'static str>,
    /// "• Prepayment: up 79% (from £2,017 to £3,608)", "• On receipt of bill: up 79%": a
    /// bullet's label words besides its head (less words of time and joining) name the part
    /// its figures are about.
    pub scope: Option<String>,
}

/// Characters that open an item of a list.
pub const BULLETS: &[char] = &[
    '\u{2022}', '\u{2023}', '\u{25aa}', '\u{25cf}', '\u{2013}', '-', '*', '\u{b7}',
];

/// The label opening a line ([`LineLabel`]); none without a colon in its first 40 bytes,
/// or where the label is more than four plain words.
pub fn line_label(line_start: &str) -> Option<LineLabel> {
    let (label, _) = line_start.get(..line_start.len().min(40))?.split_once(':')?;
    let trimmed = label.trim_start();
    let unbulleted = trimmed.trim_start_matches(BULLETS);
    let bullet = unbulleted.len() < trimmed.len();
    let plain = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '&' | '/' | '\'');
    if unbulleted.trim().is_empty() || !unbulleted.chars().all(plain) || unbulleted.split_whitespace().count() > 4 {
        return None;
    }
    let words = term_words(unbulleted);
    let term = longest_term(&words);
    let head = term.map(|(_, t)| HEADS.heads[t.head].name.as_str());
    let scope = bullet
        .then(|| label_scope(&words, term.map(|(i, t)| i..i + t.words.len())))
        .flatten();
    (head.is_some() || scope.is_some()).then_some(LineLabel { head, scope })
}

/// The longest head term among some words, and where it starts.
fn longest_term(words: &[String]) -> Option<(usize, &'static Term)> {
    let heads = &*HEADS;
    let matches_at = |i: usize, t: &Term| t.words.iter().enumerate().all(|(k, w)| words.get(i + k) == Some(w));
    (0..words.len())
        .flat_map(|i| {
            let terms = heads.by_first.get(&words[i]).map_or(&[][..], Vec::as_slice);
            terms
                .iter()
                .map(|&k| &heads.terms[k])
                .filter(move |t| !t.verb && matches_at(i, t))
                .map(move |t| (i, t))
        })
        .max_by_key(|(_, t)| t.words.len())
}

/// A bullet label's words outside its head term that narrow it, as one scope phrase.
fn label_scope(words: &[String], term: Option<std::ops::Range<usize>>) -> Option<String> {
    let kept: Vec<&str> = (words.iter().enumerate())
        .filter(|(i, w)| !term.as_ref().is_some_and(|t| t.contains(i)) && !not_scope(w))
        .map(|(_, w)| spelling(w))
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// The names of the item heads, read once (reconcile asks for every figure it clusters).
static ITEMS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| HEADS.heads.iter().filter(|h| h.item).map(|h| h.name.as_str()).collect());

/// The item head (see `data/measures.txt`) a measure label names, if any: "revenue" for
/// "revenue" and "revenue per share", none for "bill".
pub fn item_of(label: &str) -> Option<&'static str> {
    ITEMS
        .iter()
        .copied()
        .filter(|n| {
            label
                .strip_prefix(n)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
        .max_by_key(|n| n.len())
}

/// One token of the sentence as the rules read it.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    /// The token lower-cased (borrowed when it has no capital).
    lower: Cow<'a, str>,
    raw: &'a str,
    /// The token's first letter is a capital.
    cap: bool,
    /// A word or number (not punctuation).
    wordlike: bool,
    /// A word (not a number).
    alpha: bool,
    clause: usize,
    tok: usize,
}

fn lowercase(s: &str) -> bool {
    s.starts_with(char::is_lowercase)
}

/// The tokens of one sentence, lower-cased once.
#[derive(Debug, Default)]
pub struct Words<'a> {
    w: Vec<Word<'a>>,
    /// Per word, which of [`LISTS`] has a phrase that starts there (bit `k` for list `k`).
    marks: Vec<u16>,
}

impl<'a> Words<'a> {
    /// The words of a tokenized sentence; `clauses` gives each token's clause.
    pub fn new(toks: &[Tok], text: &'a str, clauses: &[usize]) -> Words<'a> {
        let mut w = Vec::with_capacity(toks.len());
        for (i, t) in toks.iter().enumerate() {
            let s = t.text(text);
            let hyphen = t.kind == TokKind::Punct && matches!(s, "-" | "\u{2011}" | "\u{2010}");
            // "year-over-year" reads as "year over year", and so does a word broken at a
            // hyphen by a line end ("cost-of- living").
            let next = toks.get(i + 1);
            let after_word = i > 0 && toks[i - 1].kind == TokKind::Word;
            let broken = after_word && next.is_some_and(|n| n.kind == TokKind::Word && lowercase(n.text(text)));
            let joins = next.is_some_and(|n| !n.space_before) || broken;
            if hyphen && joins && !t.space_before {
                continue;
            }
            w.push(Word {
                lower: if s.chars().any(char::is_uppercase) {
                    Cow::Owned(s.to_lowercase())
                } else {
                    Cow::Borrowed(s)
                },
                raw: s,
                cap: s.starts_with(|c: char| c.is_uppercase()),
                wordlike: matches!(t.kind, TokKind::Word | TokKind::Num),
                alpha: t.kind == TokKind::Word,
                clause: clauses.get(i).copied().unwrap_or(0),
                tok: i,
            });
        }
        let mut words = Words { w, marks: Vec::new() };
        words.marks = (0..words.len()).map(|i| words.mark(i)).collect();
        words
    }

    /// The bits of the lists with a phrase that starts at word `i`.
    fn mark(&self, i: usize) -> u16 {
        let Some(openings) = OPENINGS.get(self.lower(i)) else {
            return 0;
        };
        openings
            .iter()
            .filter(|(_, p)| self.phrase_at(i, p))
            .fold(0, |m, (bit, _)| m | bit)
    }

    fn lower(&self, i: usize) -> &str {
        self.w.get(i).map_or("", |w| &*w.lower)
    }

    fn len(&self) -> usize {
        self.w.len()
    }

    /// The word index of token `tok` (or of the first word after it).
    pub fn at_tok(&self, tok: usize) -> usize {
        self.w.partition_point(|w| w.tok < tok)
    }

    /// Whether the words from `i` spell `phrase` (space-separated, lower case).
    fn phrase_at(&self, i: usize, phrase: &str) -> bool {
        let first = self.lower(i);
        let opens = phrase
            .strip_prefix(first)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
        opens
            && phrase
                .split(' ')
                .enumerate()
                .skip(1)
                .all(|(k, p)| self.lower(i + k) == p)
    }

    /// The first index in `from..to` where one of `phrases` starts, read off the marks.
    fn find_any(&self, from: usize, to: usize, phrases: &Phrases) -> Option<usize> {
        let bit = phrases.bit();
        (from..to.min(self.len()))
            .filter(|&i| !self.is_month_may(i))
            .find(|&i| self.marks[i] & bit != 0)
    }

    /// "in May": the month, written with its capital inside a sentence, not the verb.
    fn is_month_may(&self, i: usize) -> bool {
        i > 0 && self.w.get(i).is_some_and(|w| w.raw == "May")
    }
}

/// A list of phrases (lower case, words separated by one space), indexed by first word
/// on first use so that a scan looks each word up once instead of trying every phrase.
pub struct Phrases {
    /// Its list's name in `data/words/measure-phrases.txt`.
    tag: &'static str,
    list: OnceLock<Vec<&'static str>>,
    by_first: OnceLock<FastMap<&'static str, Vec<&'static str>>>,
}

impl Phrases {
    pub const fn new(tag: &'static str) -> Phrases {
        Phrases {
            tag,
            list: OnceLock::new(),
            by_first: OnceLock::new(),
        }
    }

    /// The list's phrases, in file order.
    fn list(&self) -> &[&'static str] {
        self.list.get_or_init(|| {
            let tagged = words::tagged(words::MEASURE_PHRASES);
            tagged.filter(|(t, _)| *t == self.tag).map(|(_, p)| p).collect()
        })
    }

    /// The list's bit in [`Words`]' marks (none for a list missing from [`LISTS`], which a
    /// test rules out).
    fn bit(&self) -> u16 {
        LISTS.iter().position(|l| std::ptr::eq(*l, self)).map_or(0, |k| 1 << k)
    }

    /// The phrases whose first word is `word`.
    fn opening(&self, word: &str) -> &[&'static str] {
        let index = self.by_first.get_or_init(|| {
            let mut map: FastMap<&str, Vec<&str>> = FastMap::default();
            for p in self.list() {
                map.entry(p.split(' ').next().unwrap_or(p)).or_default().push(p);
            }
            map
        });
        index.get(word).map_or(&[], Vec::as_slice)
    }
}

/// Every phrase list the rules look for: [`Words::new`] marks where each matches in one
/// pass over the sentence, so that a rule's search reads bits instead of looking words up.
static LISTS: [&Phrases; 15] = [
    &YOY,
    &SEQUENTIAL,
    &LAST_SPAN,
    &PER,
    &ESTIMATE_CUES,
    &GUIDANCE_CUES,
    &FORECAST_CUES,
    &SELF_CUES,
    &TARGET_CUES,
    &RUN_ON,
    &POLLED_BY,
    &FORECASTER,
    &PREDICTS,
    &BEATEN,
    &PAST,
];

/// Every phrase of [`LISTS`] by its first word, with its list's bit.
static OPENINGS: LazyLock<FastMap<&'static str, Vec<(u16, &'static str)>>> = LazyLock::new(|| {
    let mut map: FastMap<&'static str, Vec<(u16, &'static str)>> = FastMap::default();
    for (k, list) in LISTS.iter().enumerate() {
        for p in list.list() {
            map.entry(p.split(' ').next().unwrap_or(p))
                .or_default()
                .push((1 << k, p));
        }
    }
    map
});

/// A figure as the rules see it: its words, kind and the sentence's other figures.
pub struct Site<'a> {
    pub ws: &'a Words<'a>,
    /// Word indices `first..=last` of the figure.
    pub first: usize,
    pub last: usize,
    pub kind: Kind,
    pub direction: Option<Direction>,
    pub noun: Option<&'a str>,
    /// The sentence's subject for this figure, if any.
    pub subject: Option<&'a str>,
    /// Word ranges of every figure of the sentence, in order (this one included).
    pub figures: &'a [(usize, usize)],
    /// The sentence's previous figure: its last word and its measure.
    pub before: Option<(usize, &'a Measure)>,
    /// The label at the start of the figure's line ([`line_label`]).
    pub label: Option<&'a LineLabel>,
    /// The measure of the previous sentence's last headed figure of this kind, where that
    /// sentence comes right before this one.
    pub carried: Option<&'a Measure>,
    /// The part of a business the sentence before named last ([`named_part`]).
    pub part_before: Option<&'a str>,
}

impl Site<'_> {
    /// The word range `(from, to)` (exclusive end) of the figure's clause.
    fn clause(&self) -> (usize, usize) {
        let ws = &self.ws.w;
        let c = ws.get(self.first).map_or(0, |w| w.clause);
        let from = (0..self.first)
            .rev()
            .take_while(|&i| ws[i].clause == c)
            .last()
            .unwrap_or(self.first);
        let to = (self.last + 1..ws.len())
            .find(|&i| ws[i].clause != c)
            .unwrap_or(ws.len());
        (from, to)
    }

    /// The words a cue for this figure may sit in: back to the previous figure (or the
    /// clause start) and on to the next figure (or the clause end).
    fn slot(&self) -> (usize, usize) {
        let (from, to) = self.clause();
        let prev = self.figures.iter().filter(|f| f.1 < self.first).map(|f| f.1 + 1).max();
        let next = self.figures.iter().filter(|f| f.0 > self.last).map(|f| f.0).min();
        (prev.map_or(from, |p| p.max(from)), next.map_or(to, |n| n.min(to)))
    }

    /// Words just before and after the figure (`before` back, `after` on), in its clause.
    fn near(&self, before: usize, after: usize) -> (usize, usize) {
        let (from, to) = self.clause();
        (
            self.first.saturating_sub(before).max(from),
            (self.last + 1 + after).min(to),
        )
    }
}

/// A named rule of the measure's change, per and status: its examples (an article, a
/// figure of it and the value as `extract --explain` writes it) and its function.
pub type Rule<T> = rules::Rule<fn(&Site) -> Option<T>, Example<&'static str>>;

/// The head of the figure at `site` and the scope read with it, as [`read_head`] reads them.
struct HeadRead {
    head: Option<String>,
    scope: Vec<String>,
    /// The head term found in the sentence, when it gave the head.
    hit: Option<Hit>,
    /// The group of people the figure is for ("those paying by prepayment meter").
    group: Option<String>,
    /// The name of the way the head was read (`extract --explain`).
    rule: &'static str,
}

/// The head of the figure at `site`: the nearest head term, the measure just told for a
/// figure for another group, the count's noun or the display label `metric`, else the
/// label opening the line.
fn read_head(heads: &Heads, site: &Site, metric: Option<&str>) -> HeadRead {
    // A count's own noun ("18 analysts") beats a head term further away.
    let hit = head_hit(heads, site).filter(|h| site.kind != Kind::Count || site.noun.is_none() || h.dist <= 2);
    // "For those paying by prepayment meter, there is a bigger jump to £3,608": the group
    // of people a figure is for.
    let group = population_scope(site).or_else(|| site.label.and_then(|l| l.scope.clone()));
    let cx = HeadCx {
        heads,
        site,
        metric,
        hit,
        group: group.as_deref(),
    };
    let ((head, scope), rule) = match decide(HEAD_RULES, &cx) {
        Some(((head, scope), rule)) => ((Some(head), scope), rule),
        None => ((None, Vec::new()), ""),
    };
    HeadRead {
        head,
        scope,
        hit,
        group,
        rule,
    }
}

/// What the head rules read: the figure's site and display label, the head term nearest
/// it ([`head_hit`]) and the group of people it is for.
struct HeadCx<'c> {
    heads: &'c Heads,
    site: &'c Site<'c>,
    metric: Option<&'c str>,
    hit: Option<Hit>,
    group: Option<&'c str>,
}

/// A rule for a figure's head: its name (as `extract --explain` gives it), its examples
/// (an article, a figure of it and the head) and its function, which gives the head and
/// the scope read with it.
type HeadRule = rules::Rule<fn(&HeadCx) -> Option<HeadAndScope>, Example<&'static str>>;

/// A head and the scope words read with it.
type HeadAndScope = (String, Vec<String>);

/// Every head rule, in the order they are tried.
static HEAD_RULES: &[HeadRule] = &[
    HeadRule {
        name: "head_term",
        examples: &[
            (
                "Globex said revenue rose 28.8% to $32.91 billion in 2025.",
                "$32.91 billion",
                "revenue",
            ),
            (
                "Microsoft's $1 billion investment paid off.",
                "$1 billion",
                "investment",
            ),
        ],
        negatives: &[("Revenue was flat; the company set aside $2 billion.", "$2 billion")],
        applies: |cx| cx.hit.filter(|h| h.rule == "head_term").map(|h| head_of_hit(cx, h)),
    },
    HeadRule {
        name: "head_term_in_sentence",
        examples: &[("Results\n\nGross margin: 75%", "75%", "gross margin")],
        negatives: &[("It reported 75%, helped by gross margin gains.", "75%")],
        applies: |cx| (cx.hit.filter(|h| h.rule == "head_term_in_sentence")).map(|h| head_of_hit(cx, h)),
    },
    HeadRule {
        // "For those paying by prepayment meter, there is a bigger jump to £3,608": a
        // figure for another group of people, naming no head, is of the measure just told.
        name: "carried_for_group",
        examples: &[(
            "The typical bill will rise to £3,549 a year. For those paying by prepayment meter, there is a bigger jump to £3,608.",
            "£3,608",
            "bill",
        )],
        negatives: &[(
            "The typical bill will rise to £3,549 a year.\n\nPrices are set by the regulator each quarter.\n\nFor those paying by prepayment meter, there is a bigger jump to £3,608.",
            "£3,608",
        )],
        applies: |cx| {
            let carried = cx.site.carried.and_then(|m| m.head.clone());
            (cx.site.noun.is_none() && cx.group.is_some())
                .then_some(carried)?
                .map(|h| (h, Vec::new()))
        },
    },
    HeadRule {
        name: "counted_noun",
        examples: &[("The company hired 1,200 engineers in Texas.", "1,200", "engineers")],
        negatives: &[("The company hired 1,200 in Texas.", "1,200")],
        applies: |cx| counted_noun(cx.site),
    },
    HeadRule {
        name: "metric_label",
        examples: &[(
            "In January 2023, Microsoft committed up to $10 billion to OpenAI.",
            "$10 billion",
            "investment",
        )],
        negatives: &[(
            "In January 2023, Microsoft said $10 billion was at stake.",
            "$10 billion",
        )],
        applies: |cx| {
            cx.metric
                .map(|m| (m.trim_end_matches(" growth").to_string(), Vec::new()))
        },
    },
    HeadRule {
        name: "line_label",
        examples: &[(
            "Operating margin: Contoso's operating margin was 21.5% in the quarter. Analysts had expected 20.9%.",
            "20.9%",
            "operating margin",
        )],
        negatives: &[(
            "Operating margin: Contoso's operating margin was 21.5% in the quarter.\nAnalysts had expected 20.9%.",
            "20.9%",
        )],
        applies: |cx| {
            let allowed = |l: &&str| {
                (cx.heads.heads.iter())
                    .position(|h| h.name == *l)
                    .is_some_and(|h| cx.heads.allows(h, cx.site.kind))
            };
            let label = cx.site.label.and_then(|l| l.head).filter(allowed);
            label.map(|h| (h.to_string(), Vec::new()))
        },
    },
];

/// The head a head term names and the scope read with it: the words before a noun
/// ("data center revenue"), or what a verb's object says.
fn head_of_hit(cx: &HeadCx, h: Hit) -> HeadAndScope {
    let site = cx.site;
    let scope = if h.verb {
        verb_scope(site)
    } else {
        scope_before(site.ws, h.start, &site.subject.map(term_words).unwrap_or_default())
    };
    (cx.heads.heads[h.head].name.clone(), scope)
}

/// The measure of the figure at `site`; `metric` is its display label, the fallback head.
/// With it, the name of the way its head was read, when it has one (`extract --explain`).
pub fn measure(site: &Site, metric: Option<&str>) -> (Measure, Option<&'static str>) {
    let heads = &*HEADS;
    let HeadRead {
        mut head,
        scope,
        hit,
        group,
        mut rule,
    } = read_head(heads, site, metric);
    let per = first_rule(PER_RULES, site);
    if per.as_deref() == Some("share") && head.as_deref() == Some("net income") {
        head = Some("earnings per share".into());
        rule = "earnings_per_share";
    }
    let (status, by) = first_rule(STATUS_RULES, site)
        .or_else(|| carried_status(site))
        .unwrap_or((Status::Actual, None));
    // "Cornwall Insight said it expects bills to be just below £6,000": a prediction its
    // maker states of something not its own account's is a forecast, not guidance.
    let (status, by) = if status == Status::Guidance && !heads.guided(head.as_deref()) && !cue(site, &GUIDANCE_CUES) {
        (Status::Forecast, by_of(site))
    } else {
        (status, by)
    };
    let change = change_of(site, head.as_deref());
    let cx = ScopeCx {
        heads,
        site,
        head: head.as_deref(),
        head_at: hit.map(|h| h.start),
        read: &scope,
        change,
        expected: status == Status::Estimate,
    };
    let scope = scope_of(&cx, group);
    let rule = head.is_some().then_some(rule);
    let m = Measure {
        change,
        head,
        scope,
        per,
        status,
        by,
    };
    (m, rule)
}

/// What the scope rules read: the figure's site, its head (and where the head term
/// stands), the scope read with the head, its change and whether it is an expectation.
struct ScopeCx<'c> {
    heads: &'c Heads,
    site: &'c Site<'c>,
    head: Option<&'c str>,
    head_at: Option<usize>,
    read: &'c [String],
    change: Option<Change>,
    expected: bool,
}

/// A scope rule: its name, its examples (an article, a figure of it and the scope, its
/// phrases joined by "; ") and its function, which gives no phrase when it does not fire.
type ScopeRule = rules::Rule<fn(&ScopeCx) -> Vec<String>, Example<&'static str>>;

/// The scope the figure's own words give, the first rule that gives one.
static OWN_SCOPE: &[ScopeRule] = &[
    ScopeRule {
        name: "part_before_figure",
        examples: &[("Hybrids accounted for 40% of all car sales.", "40%", "hybrids")],
        negatives: &[(
            "Hybrids, which accounted for most growth, took 40% of all car sales.",
            "40%",
        )],
        applies: |cx| part_scope(cx.site).into_iter().collect(),
    },
    ScopeRule {
        // The words before a head noun ("data center revenue"), or the names after a
        // head verb ("delivered 369,783 Model 3 and Model Y").
        name: "read_with_head",
        examples: &[(
            "Data center revenue rose to $51.2 billion.",
            "$51.2 billion",
            "data center",
        )],
        negatives: &[("Globex said revenue rose to $51.2 billion.", "$51.2 billion")],
        applies: |cx| cx.read.to_vec(),
    },
    ScopeRule {
        name: "segment_named",
        examples: &[(
            "Its data center segment generated $51.2 billion.",
            "$51.2 billion",
            "data center",
        )],
        negatives: &[(
            "It generated $51.2 billion from its data center segment.",
            "$51.2 billion",
        )],
        applies: |cx| segment_scope(cx.site),
    },
];

/// The scope a figure whose own words give none (nor a group of people) takes from its
/// neighbours, the first rule that gives one.
static LENT_SCOPE: &[ScopeRule] = &[
    ScopeRule {
        // "Its data center segment generated $51.2 billion, up 66%": a change or an
        // expectation of the figure just told is of its scope.
        name: "carried_from_figure_before",
        examples: &[(
            "Its data center segment generated $51.2 billion, up 66% from a year earlier.",
            "66%",
            "data center",
        )],
        negatives: &[(
            "Its data center segment generated $51.2 billion, with 66% of it from cloud clients.",
            "66%",
        )],
        applies: |cx| {
            let carries = cx.change.is_some() || cx.expected;
            if carries {
                carried_scope(cx.heads, cx.site, cx.head, cx.head_at)
            } else {
                Vec::new()
            }
        },
    },
    ScopeRule {
        name: "expectation_of_figure_told",
        examples: &[(
            "Data center revenue came to $51.2 billion. Analysts had expected revenue of $49.3 billion.",
            "$49.3 billion",
            "data center",
        )],
        negatives: &[(
            "Cloud sales came to $7.4 billion. Analysts had expected operating profit of $2.2 billion.",
            "$2.2 billion",
        )],
        applies: |cx| {
            let first = cx.expected && cx.site.before.is_none();
            let told = (cx.site.carried.filter(|m| first && m.head.as_deref() == cx.head))
                .filter(|m| m.status == Status::Actual);
            told.map(|m| m.scope.clone()).unwrap_or_default()
        },
    },
    ScopeRule {
        name: "names_after_count",
        examples: &[(
            "There were 369,783 Model 3 and Model Y on the road.",
            "369,783",
            "model 3 and model y",
        )],
        negatives: &[("There were 369,783 cars on the road.", "369,783")],
        applies: |cx| {
            if cx.site.kind == Kind::Count {
                names_after(cx.site)
            } else {
                Vec::new()
            }
        },
    },
    ScopeRule {
        name: "part_referred_to",
        examples: &[(
            "Most growth came from the Cloud Services segment. That business earned $9 billion in revenue.",
            "$9 billion",
            "cloud services",
        )],
        negatives: &[(
            "Most growth came from the Cloud Services segment. Rivals in that business earned $9 billion.",
            "$9 billion",
        )],
        applies: |cx| referred_part(cx.site).into_iter().collect(),
    },
    ScopeRule {
        name: "elided",
        examples: &[(
            "It produced 412,376 electric vehicles and delivered 369,783.",
            "369,783",
            "electric",
        )],
        negatives: &[(
            "It produced 412,376 electric vehicles and delivered 369,783 trucks.",
            "369,783",
        )],
        applies: |cx| elided_scope(cx.site),
    },
];

/// The figure's scope: the first its own words give ([`OWN_SCOPE`]), with the group of
/// people it is for; with neither, the first its neighbours lend it ([`LENT_SCOPE`]).
fn scope_of(cx: &ScopeCx, group: Option<String>) -> Vec<String> {
    let mut scope = first_scope(OWN_SCOPE, cx);
    if let Some(g) = group.filter(|g| !scope.contains(g)) {
        scope.push(g);
    }
    if scope.is_empty() {
        scope = first_scope(LENT_SCOPE, cx);
    }
    scope
}

fn first_scope(rules: &[ScopeRule], cx: &ScopeCx) -> Vec<String> {
    decide(rules, cx).map(|(scope, _)| scope).unwrap_or_default()
}

/// Whether the figure at words `first..` is the base of the change the sentence's previous
/// figure (ending at word `before`, with measure `told`) states: "fell 43% from its record
/// high of 526,409 units in Q4", "up 8% from 422,875 a year ago". Its time is a past one,
/// not what the article reports.
pub fn is_base_of_change(ws: &Words, before: usize, told: &Measure, first: usize) -> bool {
    told.change.is_some()
        && first > before
        && first - before <= 8
        && (before + 1..first).any(|i| BASE_OPENERS.contains(ws.lower(i)))
}

/// Whether a head is a figure of an economy (inflation, a base rate), about a place.
pub fn is_economy(head: Option<&str>) -> bool {
    head.is_some_and(|h| HEADS.heads.iter().any(|x| x.name == h && x.economy))
}

/// Amounts no share trades at: a "share price" this large is a company's value.
const MARKET_VALUE_FLOOR: f64 = 1e7;

/// What the figure's value and its sentence's tense settle once its measure is read:
/// "Analysts are predicting the cap could hit £5,387 in January", an expectation told of
/// what is to come, is a forecast (an estimate is of a figure the article reports, "analysts
/// had expected 449,080"); "a sell-off that cut its value by $230 billion" is no share price
/// but a market value, and "$350 million of its own shares" no share price at all.
/// Returns whether it read the head again.
pub fn settle(m: &mut Measure, value: f64, future: bool, sentence: &str) -> bool {
    if future && m.status == Status::Estimate {
        m.status = Status::Forecast;
    }
    if m.head.as_deref() == Some("share price") && value.abs() >= MARKET_VALUE_FLOOR {
        let valued = VALUE_WORDS.iter().any(|w| sentence.contains(w));
        m.head = valued.then(|| "market value".into());
        return true;
    }
    false
}

/// Words that say an amount is what a company is worth.
const VALUE_WORDS: &[&str] = &["value", "valuation", "worth", "market cap"];

fn first_rule<T>(rules: &[Rule<T>], site: &Site) -> Option<T> {
    decide(rules, site).map(|(value, _)| value)
}

/// A head term found in the sentence.
#[derive(Debug, Clone, Copy)]
struct Hit {
    head: usize,
    /// Its first word.
    start: usize,
    verb: bool,
    /// Words between it and the figure (0 for "$5bn in revenue").
    dist: usize,
    /// Where it was found: "head_term" in the figure's clause, "head_term_in_sentence"
    /// before the figure elsewhere in its sentence (`extract --explain`).
    rule: &'static str,
}

/// The head term nearest the figure: (head, first word, last word + 1). A term after the
/// figure joined by "in"/"of"/"from" ("$57 billion in revenue") is nearest of all; one in
/// the clause before the figure beats one further after it. With none in its clause, the
/// nearest term before the figure in the sentence ("net profit of $2bn, or $1 a share").
fn head_hit(heads: &Heads, site: &Site) -> Option<Hit> {
    let (from, to) = site.clause();
    nearest_term(heads, site, from, to).or_else(|| {
        let h = nearest_term(heads, site, 0, site.first)?;
        Some(Hit {
            rule: "head_term_in_sentence",
            ..h
        })
    })
}

/// The nearest head term in words `from..to` (see [`head_hit`]). A verb followed by "by"
/// or "for" says how or what for, not how much ("those paying by direct debit", "struggling
/// to pay for their energy"): it names no head.
fn nearest_term(heads: &Heads, site: &Site, from: usize, to: usize) -> Option<Hit> {
    let mut best: Option<(usize, Hit)> = None;
    let mut i = from;
    while i < to {
        // "$2.15 a share": a denominator after the figure; "a gross margin of 75%" is a head.
        let denominator = i > site.last && matches!(site.ws.lower(i - 1), "per" | "a" | "an" | "each")
            || i > 0 && site.ws.lower(i - 1) == "per";
        // "the gap between production and deliveries": the ends of a difference, not its head.
        let between = (i.saturating_sub(3)..i).any(|k| site.ws.lower(k) == "between");
        let hit = heads
            .term_for(site, i)
            .filter(|t| i == site.last + 1 || !heads.heads[t.head].own)
            .filter(|t| !t.verb || !matches!(site.ws.lower(i + t.words.len()), "by" | "for"));
        let Some(term) = hit.filter(|_| !denominator && !between && !(site.first..=site.last).contains(&i)) else {
            i += 1;
            continue;
        };
        let d = if i > site.last {
            // "$57 billion in revenue", "$500 billion in chip bookings": the head after a
            // preposition, past at most two words that narrow it.
            let joined = (site.last + 2..=site.last + 4).contains(&i)
                && matches!(site.ws.lower(site.last + 1), "in" | "of" | "from")
                && (site.last + 2..i).all(|k| site.ws.w[k].alpha);
            // "526,409 BEV units sold": a verb right after the counted noun tells what was
            // done to it.
            let reduced = term.verb && i <= site.last + 4 && (site.last + 1..i).all(|k| site.ws.w[k].alpha);
            if i == site.last + 1 || joined {
                0
            } else if reduced {
                1
            } else {
                2 * (i - site.last)
            }
        } else {
            site.first.saturating_sub(i + term.words.len())
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((
                d,
                Hit {
                    head: term.head,
                    start: i,
                    verb: term.verb,
                    dist: d,
                    rule: "head_term",
                },
            ));
        }
        i += term.words.len();
    }
    best.map(|(_, hit)| hit)
}

/// Words of time, size and praise that come before a head without narrowing it.
static NOT_SCOPE: LazyLock<WordSet> = LazyLock::new(|| words::set(words::NOT_SCOPE));

/// Words before a head that say a figure is of the whole ("total revenue").
static WHOLE: LazyLock<WordSet> = LazyLock::new(|| words::set(words::WHOLE));

/// The scope of a figure said to be of the whole: no part, and never one by vote.
pub const TOTAL: &str = "total";

/// A word that never narrows a head: one of [`NOT_SCOPE`] or a number word ("three
/// customers").
fn not_scope(w: &str) -> bool {
    NOT_SCOPE.contains(w) || super::numbers::SMALL_WORDS.contains(&w)
}

/// Scope words: up to three words before the head at `start` that narrow it, walking
/// left over modifiers ("prepayment", "data center", "non gaap") and across "and".
fn scope_before(ws: &Words, start: usize, subject: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let c = ws.w.get(start).map_or(0, |w| w.clause);
    let mut i = start;
    while i > 0 && out.len() < 3 {
        i -= 1;
        let w = &ws.w[i];
        let l = &*w.lower;
        if w.clause != c || !w.alpha {
            break;
        }
        if l == "and" && !cur.is_empty() {
            out.push(join_scope(&cur));
            cur.clear();
            continue;
        }
        let possessive = l == "s" || l.ends_with("'s") || l.ends_with("\u{2019}s");
        // "Total revenue": the whole, said so, against any part another figure names.
        if WHOLE.contains(l) && cur.is_empty() && out.is_empty() {
            out.push(TOTAL.to_string());
            break;
        }
        // "Globex said revenue rose": a verb before the head ends its modifiers.
        let verb = super::subject::VERBISH.contains(l);
        if not_scope(l) || verb || possessive || l.ends_with("ly") || subject.iter().any(|s| *s == *w.lower) {
            break;
        }
        cur.push(l);
        if cur.len() == 3 {
            break;
        }
    }
    if !cur.is_empty() {
        out.push(join_scope(&cur));
    }
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// Words collected right to left, as one scope phrase in reading order.
fn join_scope(rev: &[&str]) -> String {
    let words: Vec<&str> = rev.iter().rev().map(|w| spelling(w)).collect();
    words.join(" ")
}

/// One spelling for words with two, and the kind a vehicle acronym names ("BEV sales",
/// "passenger BEVs" and "electric vehicles" are all of electric ones).
fn spelling(w: &str) -> &str {
    match w {
        "centre" | "centres" | "centers" => "center",
        "programme" => "program",
        "bev" | "bevs" | "ev" | "evs" => "electric",
        "phev" | "phevs" => "plug in hybrid",
        _ => w,
    }
}

/// A count's head from its noun ("4.5 million prepayment customers" -> customers, scope
/// prepayment).
fn counted_noun(site: &Site) -> Option<HeadAndScope> {
    let words: Vec<String> = (site.noun?.split([' ', '-']))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let (last, rest) = words.split_last()?;
    let scope: Vec<&str> = rest.iter().map(String::as_str).filter(|w| !not_scope(w)).collect();
    let scope = if scope.is_empty() {
        Vec::new()
    } else {
        vec![scope.iter().map(|w| spelling(w)).collect::<Vec<_>>().join(" ")]
    };
    Some((last.clone(), scope))
}

/// The scope of a figure whose head is the verb before it: the names after it ("delivered
/// 369,783 Model 3 and Model Y"), "other", or the words that narrow its noun.
fn verb_scope(site: &Site) -> Vec<String> {
    let mut scope: Vec<String> = names_after(site).into_iter().chain(remainder(site)).collect();
    if scope.is_empty() {
        scope.extend(modifiers(site));
    }
    scope
}

/// The words that narrow a count's noun ("sold 324,000 plug-in hybrid vehicles": "plug in
/// hybrid"), leaving out words of size and time.
fn modifiers(site: &Site) -> Option<String> {
    let noun = site.noun?;
    let words: Vec<String> = noun.split(' ').map(|w| w.to_lowercase().replace('-', " ")).collect();
    let (last, mods) = words.split_last()?;
    let mut kept: Vec<&str> = mods
        .iter()
        .map(String::as_str)
        .filter(|w| !w.is_empty() && !not_scope(w) && *w != "other")
        .collect();
    // "300,114 passenger BEVs": an acronym for a kind of vehicle narrows like a modifier.
    let kind = spelling(last);
    if kind != last.as_str() {
        kept.push(kind);
    }
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// "delivered 17,027 other vehicles": a count of what is left besides the figures named.
fn remainder(site: &Site) -> Option<String> {
    let noun = site.noun?;
    noun.split(' ')
        .next()
        .filter(|w| w.eq_ignore_ascii_case("other"))
        .map(|_| "other".to_string())
}

/// Words that join a count whose noun is left out to the count before it.
static ELIDING: LazyLock<WordSet> = LazyLock::new(|| words::set(words::ELIDING));

/// "produced 412,376 Model 3/Y vehicles and delivered 369,783", "20,995 other models
/// produced and 17,027 delivered": a count whose noun is left out counts the things the
/// sentence's previous count named, so it takes that count's scope.
fn elided_scope(site: &Site) -> Vec<String> {
    let Some((last, m)) = site.before else {
        return Vec::new();
    };
    let ws = site.ws;
    // "17,027 delivered": a participle read as the noun is no noun.
    let bare = site.kind == Kind::Count && site.noun.is_none_or(|n| !n.contains(' ') && n.ends_with("ed"));
    let ends =
        ws.w.get(site.last + 1)
            .is_none_or(|w| !w.alpha || ws.lower(site.last + 1).ends_with("ed"));
    let near = last < site.first && site.first - last <= 8;
    let joined = near && (last + 1..site.first).any(|i| ELIDING.contains(ws.lower(i)));
    if bare && ends && joined {
        m.scope.clone()
    } else {
        Vec::new()
    }
}

/// Nouns a business names its parts by ("the Data Center segment", "its Gaming unit").
static PART_NOUNS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::PART_NOUNS));

/// The part of a business a sentence names last: the capitalised words right before a
/// part noun ("lives in the Data Center segment": "data center"), lower-cased. None when
/// the sentence names none.
pub fn named_part(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let at = words.iter().rposition(|w| {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        PART_NOUNS.contains(w)
    })?;
    let name: Vec<&str> = words[..at]
        .iter()
        .rev()
        .take_while(|w| w.starts_with(char::is_uppercase) && w.chars().all(|c| c.is_alphanumeric() || c == '-'))
        .take(3)
        .copied()
        .collect();
    // "That business" opening a sentence names no part.
    let determiner = |w: &str| {
        matches!(
            w,
            "The" | "That" | "This" | "These" | "Those" | "Its" | "Their" | "Our" | "A" | "An"
        )
    };
    let name: Vec<&str> = name.into_iter().rev().filter(|w| !determiner(w)).collect();
    (!name.is_empty()).then(|| name.join(" ").to_lowercase())
}

/// "That business generated $51.2 billion, 66% more than a year ago": a figure whose
/// clause, or sentence, opens with "that", "this" or "the" and a part noun is of the part
/// the sentence before named.
fn referred_part(site: &Site) -> Option<String> {
    let part = site.part_before?;
    let ws = site.ws;
    let opens_at = |at: usize| {
        at + 1 < site.first && matches!(ws.lower(at), "that" | "this" | "the") && PART_NOUNS.contains(ws.lower(at + 1))
    };
    (opens_at(site.clause().0) || opens_at(0)).then(|| part.to_string())
}

/// Capitalised names right after a counted figure ("delivered 369,783 Model 3 and Model
/// Y"): what was counted, when the text names it rather than a common noun.
fn names_after(site: &Site) -> Vec<String> {
    let ws = &site.ws.w;
    let mut words = Vec::new();
    let mut i = site.last + 1;
    while let Some(w) = ws.get(i) {
        let connective = matches!(&*w.lower, "and" | "/" | "&");
        if !(name_part(w, !words.is_empty()) || connective && !words.is_empty()) || words.len() >= 6 {
            // "369,784 Model 3 compact cars and Model Y SUVs": each name's noun is passed over
            // when another name follows.
            match nouns_then_name(ws, i).filter(|_| !words.is_empty()) {
                Some(next) => {
                    i = next;
                    continue;
                }
                None => break,
            }
        }
        words.push(&*w.lower);
        i += 1;
    }
    while words.last().is_some_and(|w| matches!(*w, "and" | "/" | "&")) {
        words.pop();
    }
    if words.is_empty() {
        Vec::new()
    } else {
        vec![words.join(" ")]
    }
}

/// A word of a name: capitalised (not a plural acronym such as "EVs"), or after its first
/// word a short piece ("Model 3/Y", "Model S"), not a short lower-case word like "in".
fn name_part(w: &Word, inside: bool) -> bool {
    let piece = w.wordlike && w.lower.len() <= 2 && !(w.alpha && w.raw == &*w.lower);
    (w.cap && !super::plural_acronym(w.raw)) || (piece && inside)
}

/// Words that end a noun phrase: a name after them is not joined to the one before.
static PHRASE_ENDS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::PHRASE_ENDS));

/// After a name, up to two lower-case nouns then "and" and another name: the index of the
/// "and", or `None`.
fn nouns_then_name(ws: &[Word], from: usize) -> Option<usize> {
    let is_noun = |w: &Word| w.alpha && !w.cap && !PHRASE_ENDS.contains(&*w.lower) && w.lower != "and";
    let nouns = ws.get(from..)?.iter().take(2).take_while(|w| is_noun(w)).count();
    let and = from + nouns;
    let joined = nouns > 0 && ws.get(and).is_some_and(|w| matches!(&*w.lower, "and" | "&"));
    (joined && ws.get(and + 1).is_some_and(|w| name_part(w, false))).then_some(and)
}

/// Verbs by which a named part takes its share of a whole ("Model 3 and Model Y accounted
/// for the vast majority (just under 370,000 units) of deliveries").
const PART_VERBS: &[(&str, &str)] = &[
    ("accounted", "for"),
    ("account", "for"),
    ("accounts", "for"),
    ("made", "up"),
    ("make", "up"),
    ("makes", "up"),
    ("represented", ""),
    ("represent", ""),
    ("represents", ""),
];

/// The names that a part verb a few words before the figure makes its scope: the figure is
/// their share of the whole the sentence goes on to name.
fn part_scope(site: &Site) -> Option<String> {
    let ws = &site.ws.w;
    let from = site.first.saturating_sub(10);
    let stop = |w: &Word| !w.wordlike && matches!(w.raw, "," | ";" | ":" | "." | "\u{2014}");
    let back = (from..site.first).rev().take_while(|&i| !stop(&ws[i])).last()?;
    let verb = (back..site.first).find(|&i| {
        PART_VERBS.iter().any(|(v, particle)| {
            ws[i].lower == *v && (particle.is_empty() || ws.get(i + 1).is_some_and(|n| n.lower == *particle))
        })
    })?;
    names_before(ws, verb)
}

/// The name run (names joined by "and", "/", "&") that ends right before word `end`.
fn names_before(ws: &[Word], end: usize) -> Option<String> {
    let mut start = end;
    while start > 0 {
        let w = &ws[start - 1];
        let connective = matches!(&*w.lower, "and" | "/" | "&") && start < end;
        if !(name_part(w, start < end) || connective) {
            break;
        }
        start -= 1;
    }
    while start < end && !ws[start].cap {
        start += 1;
    }
    let words: Vec<&str> = ws[start..end].iter().map(|w| &*w.lower).collect();
    (!words.is_empty() && words.len() <= 6).then(|| words.join(" "))
}

/// Heads whose percentages are levels (a margin, a share, a rate), not changes.
static RATIO_HEADS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::RATIO_HEADS));

/// Words that make a figure a change ("rose", "an increase of", "up").
static CHANGE_WORDS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::CHANGE_WORDS));

/// Whether the figure is a change, and against what.
fn change_of(site: &Site, head: Option<&str>) -> Option<Change> {
    let ratio = head.is_some_and(|h| RATIO_HEADS.contains(h));
    // "a margin of 75%, up from 71.8%": the figure a change starts from is a level.
    let from = site.first.checked_sub(1).is_some_and(|i| site.ws.lower(i) == "from");
    if from && (ratio || site.kind != Kind::Percent) {
        return None;
    }
    // "rose 5% to 12%", "forecast to rise to 18%": the figure a change ends at is a level
    // ("up to 20%" is a bound, not an end).
    let to = site.first.checked_sub(1).is_some_and(|i| site.ws.lower(i) == "to")
        && site.first.checked_sub(2).is_none_or(|i| site.ws.lower(i) != "up");
    let moved = site
        .first
        .checked_sub(2)
        .is_some_and(|i| CHANGE_WORDS.contains(site.ws.lower(i)) || site.figures.iter().any(|f| f.1 == i));
    if to && moved {
        return None;
    }
    let is_change = match site.kind {
        Kind::Percent => {
            site.direction.is_some()
                || (!ratio && change_cue(site))
                || (ratio && change_cue(site) && share_of(site).is_none())
        }
        Kind::Money | Kind::Count | Kind::Power | Kind::Energy => site.direction.is_some() || amount_change(site),
        _ => false,
    };
    if share_of(site).is_some() {
        return None;
    }
    let base = first_rule(CHANGE_RULES, site);
    // "and 3% from the previous quarter": a base makes a percentage of a quantity a change.
    let based = site.kind == Kind::Percent && base.is_some() && !head.is_some_and(|h| RATIO_HEADS.contains(h));
    (is_change || based).then(|| base.unwrap_or(Change::Since))
}

/// A change word next to the figure (within three words, in its clause).
fn change_cue(site: &Site) -> bool {
    let (a, b) = site.near(3, 3);
    (a..b).any(|i| !(site.first..=site.last).contains(&i) && CHANGE_WORDS.contains(site.ws.lower(i)))
}

/// Words of rounding written before a figure ("nearly 40,000").
static ROUNDING: LazyLock<WordSet> = LazyLock::new(|| words::set(words::ROUNDING));

/// An amount that is a change: "rose by $80", "an increase of £1,578", "$80 more".
fn amount_change(site: &Site) -> bool {
    let ws = site.ws;
    // "down nearly 40,000": the words of rounding before a figure are passed over.
    let f = (0..site.first)
        .rev()
        .take_while(|&i| ROUNDING.contains(ws.lower(i)))
        .last()
        .unwrap_or(site.first);
    let before = |k: usize| f.checked_sub(k).map_or("", |i| ws.lower(i));
    let after = ws.lower(site.last + 1);
    (before(1) == "by" && CHANGE_WORDS.contains(before(2)))
        || (matches!(before(1), "of" | "by") && CHANGE_WORDS.contains(before(2)))
        || (before(1) == "of" && CHANGE_WORDS.contains(before(3)) && matches!(before(2), "a" | "an"))
        || matches!(before(1), "up" | "down" | "another" | "extra" | "additional")
        || matches!(
            after,
            "increase"
                | "rise"
                | "jump"
                | "hike"
                | "drop"
                | "fall"
                | "cut"
                | "more"
                | "less"
                | "higher"
                | "lower"
                | "fewer"
        )
}

/// "61% of sales": a percentage that is a share of the head, not a change of it.
fn share_of(site: &Site) -> Option<()> {
    (site.kind == Kind::Percent && site.ws.lower(site.last + 1) == "of").then_some(())
}

/// Phrases of a year-on-year base.
static YOY: Phrases = Phrases::new("yoy");

/// Phrases of a base in the period just before.
static SEQUENTIAL: Phrases = Phrases::new("sequential");

/// The rules that name a change's base; a change none of them names is `since`. A base
/// after the figure ("rose 4% from the previous quarter") is looked for first, then one
/// right before it ("a year-on-year rise of 5%").
pub static CHANGE_RULES: &[Rule<Change>] = &[
    Rule {
        name: "change/yoy-after",
        examples: &[
            ("Sales at the grocer rose 12% from a year earlier.", "12%", "yoy"),
            ("Bookings were up 9.5% year-over-year.", "9.5%", "yoy"),
            (
                "Ad sales grew 9% year on year and 3% from the previous quarter.",
                "9%",
                "yoy",
            ),
            (
                "The airline flew 2.1 million people, up 6% from 1.98 million in the same period last year.",
                "6%",
                "yoy",
            ),
        ],
        negatives: &[("Ad sales grew 9% sequentially and 3% from a year earlier.", "9%")],
        applies: |s| base_after(s, &YOY).then_some(Change::Yoy),
    },
    Rule {
        name: "change/sequential-after",
        examples: &[
            ("Shipments grew 4% sequentially.", "4%", "sequential"),
            (
                "Ad sales grew 9% year on year and 3% from the previous quarter.",
                "3%",
                "sequential",
            ),
        ],
        negatives: &[("Shipments grew 4% year on year and 2% sequentially.", "4%")],
        applies: |s| base_after(s, &SEQUENTIAL).then_some(Change::Sequential),
    },
    Rule {
        name: "change/quarter-base",
        examples: &[
            (
                "Orders rose 8% year on year but fell 20% from the fourth quarter.",
                "20%",
                "since",
            ),
            (
                "First-quarter orders rose 8% year on year but fell 20% from the fourth quarter.",
                "20%",
                "sequential",
            ),
            (
                "The brewer shipped 9,000 crates in the third quarter, 12% more than in the third quarter of 2023.",
                "12%",
                "yoy",
            ),
            (
                "Sales fell 41% from the last three months of 2025.",
                "41%",
                "sequential",
            ),
        ],
        negatives: &[("First-quarter orders fell 20% from the third quarter.", "20%")],
        applies: quarter_base,
    },
    Rule {
        name: "change/yoy-before",
        examples: &[("It posted a year-on-year rise of 5%.", "5%", "yoy")],
        negatives: &[("Sales grew 7% year on year and profit rose 5%.", "5%")],
        applies: |s| base_before(s, &YOY).then_some(Change::Yoy),
    },
    Rule {
        name: "change/sequential-before",
        examples: &[("It posted a quarter-on-quarter fall of 2%.", "2%", "sequential")],
        negatives: &[("Margins rose 3% quarter on quarter and sales fell 2%.", "2%")],
        applies: |s| base_before(s, &SEQUENTIAL).then_some(Change::Sequential),
    },
];

/// Words that open a change's base after the figure ("down 20% from the fourth quarter").
static BASE_OPENERS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::BASE_OPENERS));

/// The quarter (1-4) that words at `i` name ("first quarter", "fourth-quarter", "Q4"), and
/// how many words name it.
fn quarter_at(ws: &Words, i: usize) -> Option<(u8, usize)> {
    let w = ws.lower(i);
    let ordinal = ["first", "second", "third", "fourth"].iter().position(|o| *o == w);
    if let Some(q) = ordinal.filter(|_| ws.lower(i + 1) == "quarter") {
        return u8::try_from(q + 1).ok().map(|q| (q, 2));
    }
    let q = w.strip_prefix('q').and_then(|d| d.parse::<u8>().ok());
    q.filter(|q| (1..=4).contains(q)).map(|q| (q, 1))
}

/// A base of a period just ended, named by its length: "the previous three months".
static LAST_SPAN: Phrases = Phrases::new("last-span");

/// A change against a quarter named after the figure: against the quarter before the one
/// the sentence reports, sequential ("up 4% in the second quarter and 20% from the first
/// quarter", "down 43% from the last three months of 2023"); against the same quarter (of
/// another year), year on year.
fn quarter_base(site: &Site) -> Option<Change> {
    let ws = site.ws;
    let (opener, at) = base_start(site)?;
    if ws.find_any(at, at + 1, &LAST_SPAN).is_some() {
        return Some(Change::Sequential);
    }
    let (base, len) = quarter_at(ws, at)?;
    let own = (0..ws.len())
        .filter(|&i| i < opener || i >= at + len)
        .find_map(|i| quarter_at(ws, i))
        .map(|(q, _)| q)?;
    change_against(own, base)
}

/// The word opening the base of a change after the figure ("from", "on") and the first
/// word of what it names, past the article ("from the first quarter").
fn base_start(site: &Site) -> Option<(usize, usize)> {
    let ws = site.ws;
    let (_, clause_end) = site.clause();
    let end = (site.last + 9).min(clause_end);
    let opener = (site.last + 1..end).find(|&i| BASE_OPENERS.contains(ws.lower(i)))?;
    let mut at = opener + 1;
    while matches!(ws.lower(at), "the" | "its" | "a" | "their" | "in") {
        at += 1;
    }
    Some((opener, at))
}

/// The quarter a change is measured from, named right after the figure ("up 36% from the
/// first quarter of 2023"). Where the sentence does not say the figure's own quarter, the
/// article's reporting period does, once known ([`change_against`]).
pub fn base_quarter(site: &Site) -> Option<u8> {
    let (_, at) = base_start(site)?;
    quarter_at(site.ws, at).map(|(q, _)| q)
}

/// A change of a figure of quarter `own` measured from quarter `base`: against the same
/// quarter, year on year; against the one before, sequential.
pub fn change_against(own: u8, base: u8) -> Option<Change> {
    match (own + 4 - base) % 4 {
        0 => Some(Change::Yoy),
        1 => Some(Change::Sequential),
        _ => None,
    }
}

/// One of `phrases` after the figure, before the next figure or the clause end.
/// A figure's base value after it ("down 8% from 423,000 in the same period last year")
/// does not end the words that name the base.
fn base_after(site: &Site, phrases: &Phrases) -> bool {
    let (_, mut to) = site.slot();
    let (_, clause_end) = site.clause();
    if to > 0 && to < clause_end && site.ws.lower(to - 1) == "from" {
        let after_base = site.figures.iter().filter(|f| f.0 > to).map(|f| f.0).min();
        to = after_base.unwrap_or(clause_end).min(clause_end);
    }
    site.ws.find_any(site.last + 1, to, phrases).is_some()
}

/// One of `phrases` in the six words before the figure, after any earlier figure and not
/// right after it: in "up 8% year on year and down 20% from the fourth quarter" the base
/// after 8% is 8%'s.
fn base_before(site: &Site, phrases: &Phrases) -> bool {
    let (from, _) = site.near(6, 0);
    let (slot_from, _) = site.slot();
    let follows_figure = |at: usize| site.figures.iter().any(|f| f.1 + 1 == at);
    site.ws
        .find_any(from.max(slot_from), site.first, phrases)
        .is_some_and(|at| !follows_figure(at))
}

/// The word that opens a denominator.
static PER: Phrases = Phrases::new("per");

/// Denominators written after a figure with "a"/"an"/"each" rather than "per".
static PER_UNITS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::PER_UNITS));

/// Rules for a per-unit figure's denominator.
pub static PER_RULES: &[Rule<String>] = &[
    Rule {
        name: "per/after",
        examples: &[
            ("The utility will charge £12 per household.", "£12", "household"),
            ("Earnings came to $2.15 a share.", "$2.15", "share"),
            ("Bills will rise to £180 a month.", "£180", "month"),
        ],
        negatives: &[("The bill was £180 a year ago.", "£180")],
        applies: per_after,
    },
    Rule {
        name: "per/before",
        examples: &[("Earnings per share were $0.87.", "$0.87", "share")],
        negatives: &[("Earnings per share rose; revenue was $9 billion.", "$9 billion")],
        applies: per_before,
    },
];

/// "£12 per household", "$2.15 a share", "£180 a month" (not "a year ago").
fn per_after(site: &Site) -> Option<String> {
    let ws = site.ws;
    let mut i = site.last + 1;
    if matches!(ws.lower(i), "for" | "to") && matches!(ws.lower(i + 1), "a" | "an" | "each" | "every") {
        i += 1;
        if ws.lower(i + 1) == "typical" || ws.lower(i + 1) == "average" {
            i += 1;
        }
    }
    let word = ws.lower(i);
    let noun = ws.lower(i + 1);
    let after = ws.lower(i + 2);
    let unit = singular(noun);
    match word {
        "per" if !noun.is_empty() && ws.w.get(i + 1).is_some_and(|w| w.wordlike) => Some(unit.to_string()),
        "a" | "an" | "each" | "every"
            if PER_UNITS.contains(unit) && !matches!(after, "ago" | "earlier" | "before" | "later") =>
        {
            Some(unit.to_string())
        }
        _ => None,
    }
}

/// "earnings per share of $0.87", "revenue per user was $5".
fn per_before(site: &Site) -> Option<String> {
    let (from, _) = site.near(6, 0);
    let at = site.ws.find_any(from, site.first, &PER)?;
    let noun = site.ws.lower(at + 1);
    (!noun.is_empty()).then(|| singular(noun).to_string())
}

fn singular(w: &str) -> &str {
    match w {
        "households" | "homes" | "shares" | "customers" | "units" | "vehicles" | "cars" | "barrels" | "tonnes"
        | "months" | "weeks" | "days" | "years" | "users" | "employees" | "workers" | "passengers" => &w[..w.len() - 1],
        _ => w,
    }
}

/// Words that name analysts' expectations.
static ESTIMATE_CUES: Phrases = Phrases::new("estimate-cues");
/// A company's own outlook.
static GUIDANCE_CUES: Phrases = Phrases::new("guidance-cues");
/// Verbs and phrases of a prediction.
static FORECAST_CUES: Phrases = Phrases::new("forecast-cues");
/// Words that name the one making a prediction as the company itself.
static SELF_CUES: Phrases = Phrases::new("self-cues");
/// Goals.
static TARGET_CUES: Phrases = Phrases::new("target-cues");

/// Rules for what kind of statement a figure is (first that applies wins).
pub static STATUS_RULES: &[Rule<(Status, Option<String>)>] = &[
    Rule {
        name: "status/not-a-prediction",
        examples: &[
            (
                "Revenue of $9 billion was better than expected.",
                "$9 billion",
                "actual",
            ),
            ("An estimated 40,000 homes lost power.", "40,000", "actual"),
            (
                "Analysts predicted sales below the 52,000 sold a year ago.",
                "52,000",
                "actual",
            ),
        ],
        negatives: &[
            ("Analysts estimated that 40,000 homes would lose power.", "40,000"),
            ("Analysts expect sales to top 52,000 next year.", "52,000"),
        ],
        applies: |s| {
            let (a, b) = s.slot();
            (s.ws.find_any(a, b, &BEATEN).is_some()
                || done_before(s)
                || matches!(s.first.checked_sub(1).map(|i| s.ws.lower(i)), Some("estimated")))
            .then_some((Status::Actual, None))
        },
    },
    Rule {
        name: "status/estimate",
        examples: &[
            (
                "Analysts polled by a data firm had expected revenue of $8.1 billion.",
                "$8.1 billion",
                "estimate",
            ),
            (
                "Sales of $4 billion topped the $3.8 billion consensus.",
                "$3.8 billion",
                "estimate",
            ),
            (
                "Analysts expected sales to rise 10% from a year earlier.",
                "10%",
                "estimate",
            ),
            (
                "The grocer earned $1.10 a share, above estimates of $1.02.",
                "$1.02",
                "estimate",
            ),
            (
                "It sees a margin of 42%, compared with a market expectation of 41%.",
                "41%",
                "estimate",
            ),
        ],
        negatives: &[(
            "Sales of $4 billion topped the consensus, and profit was $900 million.",
            "$900 million",
        )],
        applies: |s| cue(s, &ESTIMATE_CUES).then(|| (Status::Estimate, by_of(s))),
    },
    Rule {
        name: "status/guidance",
        examples: &[
            (
                "The company guided to revenue of $12 billion for next quarter.",
                "$12 billion",
                "guidance",
            ),
            (
                "Management forecast about $3 billion in sales for the fourth quarter.",
                "$3 billion",
                "guidance",
            ),
            ("Margin guidance: 41% (reported) / 43% (adjusted).", "43%", "guidance"),
            (
                "Management raised its outlook, and projected a gross margin of 75%.",
                "75%",
                "guidance",
            ),
        ],
        negatives: &[(
            "Consultancy Gartner forecast about $3 billion in sales for the fourth quarter.",
            "$3 billion",
        )],
        applies: |s| {
            (cue(s, &GUIDANCE_CUES) || (cue(s, &FORECAST_CUES) && self_forecast(s))).then_some((Status::Guidance, None))
        },
    },
    Rule {
        name: "status/forecast",
        examples: &[
            (
                "A consultancy forecasts the cap will reach £4,200 in January.",
                "£4,200",
                "forecast",
            ),
            ("Bills are expected to hit £3,000 next year.", "£3,000", "forecast"),
        ],
        negatives: &[("Bills hit £3,000 last year; they are expected to fall.", "£3,000")],
        applies: |s| cue(s, &FORECAST_CUES).then(|| (Status::Forecast, by_of(s))),
    },
    Rule {
        name: "status/target",
        examples: &[("The utility aims to cut emissions by 40% by 2030.", "40%", "target")],
        negatives: &[("The utility cut emissions by 40%, and aims to go further.", "40%")],
        applies: |s| cue(s, &TARGET_CUES).then_some((Status::Target, None)),
    },
];

/// Words that name a part of a business: the words before them name the part.
static SEGMENT_WORDS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::SEGMENT_WORDS));

/// "Its data center segment generated $51.2 billion": the part of the business named just
/// before the figure is the figure's scope.
fn segment_scope(site: &Site) -> Vec<String> {
    // Up to twelve words back, past clause breaks ("The data-center segment, its main
    // engine, generated ..."), but not past another figure.
    let prev = site.figures.iter().filter(|f| f.1 < site.first).map(|f| f.1 + 1).max();
    let from = site.first.saturating_sub(12).max(prev.unwrap_or(0));
    (from..site.first)
        .rev()
        .find(|&i| SEGMENT_WORDS.contains(site.ws.lower(i)) && i > 0 && site.ws.w[i - 1].alpha)
        .map(|i| scope_before(site.ws, i, &site.subject.map(term_words).unwrap_or_default()))
        .unwrap_or_default()
}

/// Nouns for the people a figure applies to ("standard credit customers", "those on a
/// prepayment meter").
static POPULATION: LazyLock<WordSet> = LazyLock::new(|| words::set(words::POPULATION));

/// Words that join a population noun to the group it names ("those paying by direct debit").
const POPULATION_LINKS: &[&str] = &[
    "on", "with", "paying", "pay", "using", "via", "by", "who", "a", "an", "the",
];

/// Verbs of saying and thinking, which stand before a noun without narrowing it
/// ("analysts said households would pay £40 more").
static SAYING: LazyLock<WordSet> = LazyLock::new(|| words::set(words::SAYING));

/// "Standard credit customers will pay an extra £215", "for those on a prepayment meter
/// there is a bigger jump to £3,608": the group of people named before a figure in its
/// sentence (the nearest that names one) is the part of the figure's measure.
fn population_scope(site: &Site) -> Option<String> {
    let ws = site.ws;
    (0..site.first)
        .rev()
        .filter(|&i| POPULATION.contains(ws.lower(i)))
        .find_map(|at| population_at(site, at))
}

/// The group a population noun at word `at` names: the words after its link ("those on a
/// prepayment meter") or, with no link, the words before it ("standard credit customers").
fn population_at(site: &Site, at: usize) -> Option<String> {
    let ws = site.ws;
    let linked = (at + 1..site.first)
        .take_while(|&i| POPULATION_LINKS.contains(&ws.lower(i)))
        .count();
    if linked == 0 {
        let before = scope_before(ws, at, &site.subject.map(term_words).unwrap_or_default());
        // Only a noun phrase's own words: "analysts said households" names no group.
        let phrase = before.into_iter().next()?;
        let start = at.checked_sub(phrase.split(' ').count())?;
        let opens = start == 0 || !ws.w[start - 1].alpha || not_scope(ws.lower(start - 1));
        let verb = phrase.split(' ').any(|w| SAYING.contains(w) || w.ends_with("ed"));
        return (opens && !verb).then_some(phrase);
    }
    let words: Vec<&str> = (at + 1 + linked..site.first)
        .take_while(|&i| ws.w[i].alpha && !not_scope(ws.lower(i)) && !POPULATION_LINKS.contains(&ws.lower(i)))
        .take(3)
        .map(|i| spelling(ws.lower(i)))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A change that follows a figure of the same measure with a scope, no other head between
/// them and its own not written again ("data center revenue of $51.2 billion, up 66%"), is
/// a change of that scope's figure.
fn carried_scope(heads: &Heads, site: &Site, head: Option<&str>, head_at: Option<usize>) -> Vec<String> {
    let Some((last, m)) = site.before else {
        return Vec::new();
    };
    // "...; total revenue rose 12%": the figure's own head written after the other figure.
    let restated = head_at.is_some_and(|h| h > last && h < site.first);
    // A figure with no head of its own ("the data center segment made $51.2 billion") lends
    // its scope to the change after it.
    let same_head = head.is_none() || m.head.is_none() || m.head.as_deref() == head;
    let other_head = restated
        || (last + 1..site.first).any(|i| {
            heads
                .term_at(site.ws, i)
                .is_some_and(|t| Some(heads.heads[t.head].name.as_str()) != m.head.as_deref())
        });
    if !same_head || other_head || last >= site.first {
        return Vec::new();
    }
    m.scope.clone()
}

/// Words that run a statement on to a later figure without making a new one: "could hit
/// £5,387 in January, before rising again to £6,616 in April", "will reach £5,210 in
/// January and £6,823 in April".
static RUN_ON: Phrases = Phrases::new("run-on");

/// The statement of the sentence's previous figure, where nothing between the two makes a
/// new one: only run-on words, participles ("rising", "falling") and the names of times.
fn carried_status(site: &Site) -> Option<(Status, Option<String>)> {
    let (last, m) = site.before?;
    if m.status == Status::Actual || last >= site.first {
        return None;
    }
    let ws = site.ws;
    let runs_on = (last + 1..site.first).all(|i| {
        let w = &ws.w[i];
        !w.wordlike
            || RUN_ON.opening(ws.lower(i)).contains(&ws.lower(i))
            || (w.alpha && ws.lower(i).ends_with("ing"))
            || (w.cap && crate::clean::meta::month_number(w.raw).is_some())
            || (!w.alpha && w.raw.len() == 4)
    });
    runs_on.then(|| (m.status, m.by.clone()))
}

/// Whether one of `cues` sits in the figure's slot, or opens its clause before the
/// clause's first figure ("Analysts expected revenue of $8bn and earnings of $1.02").
fn cue(site: &Site, cues: &Phrases) -> bool {
    let (a, b) = site.slot();
    if site.ws.find_any(a, b, cues).is_some() {
        return true;
    }
    // "Gross margin guidance: ~74.8% (GAAP) / 75% (non-GAAP)": a short label before a colon
    // opening the sentence speaks for every figure after it.
    let label = site.ws.w.iter().take(7).position(|w| w.raw == ":");
    if let Some(colon) = label.filter(|&c| c < site.first)
        && site.ws.find_any(0, colon, cues).is_some()
    {
        return true;
    }
    let (from, _) = site.clause();
    let first_fig = site
        .figures
        .iter()
        .map(|f| f.0)
        .filter(|&f| f >= from)
        .min()
        .unwrap_or(site.first);
    site.ws.find_any(from, first_fig, cues).is_some()
}

/// A prediction the company makes of itself: the clause names it as the one predicting.
fn self_forecast(site: &Site) -> bool {
    let (from, to) = site.clause();
    // "Management raised its outlook, and projected a margin of 75%": a clause opening with
    // "and" shares the sentence's subject.
    let opener = (from.saturating_sub(1)..=from + 1).any(|i| site.ws.lower(i) == "and");
    let from = if opener { 0 } else { from };
    // "experts at consultancy X think ...": a third party named as such.
    if site.ws.find_any(from, to, &POLLED_BY).is_some() || site.ws.find_any(from, to, &FORECASTER).is_some() {
        return false;
    }
    let opening = site.ws.find_any(from, to, &SELF_CUES).is_some();
    let subject_named = site.subject.is_some_and(|name| {
        let words = term_words(name);
        (from..site.first).any(|i| words.iter().enumerate().all(|(k, w)| site.ws.lower(i + k) == w))
    });
    opening || subject_named
}

/// Words that name who polled or compiled an estimate.
static POLLED_BY: Phrases = Phrases::new("polled-by");

/// Words that say what a forecaster is, written just before its name ("consultancy
/// Cornwall Insight", "research firm Gartner").
static FORECASTER: Phrases = Phrases::new("forecaster");

/// Verbs after a forecaster's name.
static PREDICTS: Phrases = Phrases::new("predicts");

/// Words that say a figure beat or missed a prediction, so is no prediction itself.
static BEATEN: Phrases = Phrases::new("beaten");

/// Times before the one a prediction is about: a figure written as of them is a result.
static PAST: Phrases = Phrases::new("past");

/// "below the 422,875 delivered a year ago": a figure said to have happened a year ago is
/// a result, whatever the sentence predicts (not "up 10% from a year earlier", a base).
fn done_before(s: &Site) -> bool {
    let (_, to) = s.clause();
    let to = to.min(s.last + 5);
    s.ws.find_any(s.last + 1, to, &PAST).is_some_and(|at| {
        let before = at.checked_sub(1).map(|i| s.ws.lower(i));
        !matches!(
            before,
            Some("from" | "on" | "over" | "than" | "versus" | "vs" | "to" | "with")
        )
    })
}

/// Who made an estimate or forecast: the name after "polled by", "compiled by",
/// "according to", or the capitalised name right before a forecast verb.
fn by_of(site: &Site) -> Option<String> {
    let ws = site.ws;
    let n = ws.len();
    if let Some(name) = polled_by(ws) {
        return Some(name);
    }
    if let Some(v) = ws.find_any(0, n, &PREDICTS).map(|v| reported_by(ws, v))
        && let Some(start) = (0..v).rev().take_while(|&i| ws.w[i].cap && ws.w[i].wordlike).last()
    {
        return name_at(ws, start);
    }
    let d = ws.find_any(0, n, &FORECASTER)?;
    name_at(ws, d + 1)
}

/// "Cornwall Insight said it expects": a forecast verb whose subject is a pronoun standing
/// for the one who said it is told by the speech verb's subject, so the name is read
/// before the speech verb. Any other verb at `v` is returned as is.
fn reported_by(ws: &Words, v: usize) -> usize {
    let pronoun = v >= 2 && matches!(ws.lower(v - 1), "it" | "they" | "we");
    let speech = pronoun && matches!(ws.lower(v - 2), "said" | "says" | "added" | "believes" | "thinks");
    if speech { v - 2 } else { v }
}

/// The first "polled by", "according to" ... followed by a name: "according to an average
/// of 11 estimates compiled by FactSet" names FactSet.
fn polled_by(ws: &Words) -> Option<String> {
    let mut from = 0;
    while let Some(i) = ws.find_any(from, ws.len(), &POLLED_BY) {
        let words = POLLED_BY
            .opening(ws.lower(i))
            .iter()
            .find(|p| ws.phrase_at(i, p))
            .map_or(2, |p| p.split(' ').count());
        if let Some(name) = name_after(ws, i + words) {
            return Some(name);
        }
        from = i + 1;
    }
    None
}

/// The name after a phrase that introduces one, past a word or two that says what it is
/// ("analysts at consultancy Cornwall Insight").
fn name_after(ws: &Words, i: usize) -> Option<String> {
    let skip = (i..(i + 2).min(ws.len()))
        .take_while(|&k| FORECASTER.opening(ws.lower(k)).contains(&ws.lower(k)))
        .count();
    name_at(ws, i + skip)
}

/// The run of capitalised words starting at `i`, as written.
fn name_at(ws: &Words, i: usize) -> Option<String> {
    let words: Vec<&str> = (i..ws.len())
        .take_while(|&k| ws.w[k].cap && ws.w[k].wordlike)
        .take(4)
        .map(|k| ws.w[k].raw)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{Format, clean};
    use crate::model::Claim;
    use crate::segment::segment;

    fn claim(sentence: &str, figure: &str) -> Claim {
        let cleaned = clean(sentence.to_string(), Format::Text);
        let units = segment(&cleaned);
        let ex = super::super::extract(&cleaned, &units);
        let found = ex.claims.iter().find(|c| c.text == figure).cloned();
        found.unwrap_or_else(|| panic!("no claim {figure:?} in {sentence:?}: {:?}", ex.claims))
    }

    /// The marks [`Words::new`] sets find each phrase of every list where trying word by
    /// word does, and every `Phrases` of this file is in [`LISTS`].
    #[test]
    fn marks_find_what_the_lists_find() {
        let declared = include_str!("measure.rs")
            .matches(concat!(": Phrases = ", "Phrases::new("))
            .count();
        assert_eq!(declared, LISTS.len(), "a Phrases static is missing from LISTS");
        for list in LISTS {
            assert!(!list.list().is_empty(), "no phrase tagged {:?}", list.tag);
            for phrase in list.list() {
                let text = format!("In May, as {phrase} said, sales {phrase} rose.");
                let mut toks = Vec::new();
                super::super::tokens::tokenize(&text, 0, text.len(), &mut toks);
                let clauses = vec![0; toks.len()];
                let ws = Words::new(&toks, &text, &clauses);
                // Word by word: the first word where a phrase of the list is written.
                let plain = |from: usize| {
                    (from..ws.len())
                        .filter(|&i| !ws.is_month_may(i))
                        .find(|&i| list.opening(ws.lower(i)).iter().any(|p| ws.phrase_at(i, p)))
                };
                for from in 0..ws.len() {
                    let got = ws.find_any(from, ws.len(), list);
                    assert_eq!(got, plain(from), "{phrase:?} from {from}");
                    assert!(from > 4 || got.is_some(), "{phrase:?} not found in {text:?}");
                }
            }
        }
    }

    /// Runs every example of a rule table; `field` reads the rule's field of a claim.
    fn run_examples<T>(rules: &[Rule<T>], field: impl Fn(&Claim) -> String) {
        for r in rules {
            for (sentence, figure, want) in r.examples {
                let got = field(&claim(sentence, figure));
                assert_eq!(&got, want, "rule {} on {sentence:?} ({figure})", r.name);
            }
        }
    }

    #[test]
    fn a_pollster_is_the_first_name_a_polling_phrase_gives() {
        let c = claim(
            "Analysts had expected 400,000 units, according to an average of 12 estimates compiled by DataHouse.",
            "12",
        );
        assert_eq!(c.measure.by.as_deref(), Some("DataHouse"));
        assert_eq!(c.measure.head.as_deref(), Some("analysts"));
    }

    #[test]
    fn an_own_head_is_named_only_by_the_figures_own_noun() {
        let c = claim(
            "Sales came in well below analysts' estimates of 98,000 units.",
            "98,000",
        );
        assert_ne!(c.measure.head.as_deref(), Some("analysts"));
        let c = claim("The consensus drew on 21 analysts.", "21");
        assert_eq!(c.measure.head.as_deref(), Some("analysts"));
    }

    /// The measure's head of the claim `figure` of `article`, and the rule
    /// `extract --explain` names for it.
    fn head_and_rule(article: &str, figure: &str) -> (Option<String>, Option<&'static str>) {
        let (claim, explain) = crate::extract::explain::claim_explained(article, figure);
        (claim.measure.head, explain.measure)
    }

    /// Runs `f` on the site of claim `figure` of `article` and on the claim, the site built
    /// as `article.rs` builds it (`Figures::site`): the words and clauses of the claim's
    /// sentence, its figures, the one before it, the measure the sentence before carries,
    /// the line's label and the part the sentence before names (read whether or not the
    /// sentence has a part noun: a rule that reads it fires only where it has one). The
    /// measure read and settled at the site must be the claim's, or the site is not the
    /// extractor's.
    fn with_site<R>(article: &str, figure: &str, f: impl FnOnce(&Site, &Claim) -> R) -> R {
        let cleaned = clean(article.to_string(), Format::Text);
        let units = segment(&cleaned);
        let claims = super::super::extract(&cleaned, &units).claims;
        let text = cleaned.text.as_str();
        let claim = claims.iter().find(|c| c.text == figure);
        let claim = claim.unwrap_or_else(|| panic!("no claim {figure:?} in {article:?}: {claims:?}"));
        let ui = units
            .iter()
            .position(|u| (u.start..u.end).contains(&claim.start))
            .expect("its unit");
        let u = &units[ui];
        let (mut toks, mut clauses) = (Vec::new(), Vec::new());
        super::super::tokens::tokenize(text, u.start, u.end, &mut toks);
        super::super::sentence::clause_ids(&toks, text, &mut clauses);
        let ws = Words::new(&toks, text, &clauses);
        let in_unit = |(a, b): (usize, usize)| claims.iter().filter(move |c| (a..b).contains(&c.start));
        let tok = |at: &dyn Fn(&Tok) -> bool| toks.iter().position(at).expect("a token");
        let words = |c: &Claim| {
            (
                ws.at_tok(tok(&|t| t.start == c.start)),
                ws.at_tok(tok(&|t| t.end == c.end)),
            )
        };
        let mine: Vec<&Claim> = in_unit((u.start, u.end)).collect();
        let figures: Vec<(usize, usize)> = mine.iter().map(|c| words(c)).collect();
        let k = mine.iter().position(|c| c.start == claim.start).expect("its figure");
        let prev = ui.checked_sub(1).map(|p| &units[p]);
        let carried = prev.and_then(|p| {
            let mut told = in_unit((p.start, p.end)).rev();
            told.find(|c| c.kind == claim.kind && c.measure.head.is_some())
                .map(|c| &c.measure)
        });
        let part_before = prev.and_then(|p| named_part(&text[p.start..p.end]));
        // The label of the claim's line, read where its first unit starts.
        let line = text[..u.start].rfind('\n').map_or(0, |i| i + 1);
        let opener = units.iter().find(|v| v.end > line).expect("the line's first unit");
        let label = line_label(&text[line..opener.end]);
        let site = Site {
            ws: &ws,
            first: figures[k].0,
            last: figures[k].1,
            kind: claim.kind,
            direction: claim.direction,
            noun: claim.noun.as_deref(),
            subject: claim.subject.as_deref(),
            figures: &figures,
            before: k.checked_sub(1).map(|p| (figures[p].1, &mine[p].measure)),
            label: label.as_ref(),
            carried,
            part_before: part_before.as_deref(),
        };
        let mut read = measure(&site, claim.metric.as_deref()).0;
        let future = super::super::period::is_future(&toks, text);
        settle(&mut read, claim.value, future, &text[u.start..u.end]);
        assert_eq!(
            read, claim.measure,
            "the site of {figure:?} in {article:?} is not the extractor's"
        );
        f(&site, claim)
    }

    /// Runs `f` on the scope rules' context of claim `figure` of `article`, built from its
    /// site ([`with_site`]) as [`measure`] builds it.
    fn with_scope_cx<R>(article: &str, figure: &str, f: impl FnOnce(&ScopeCx) -> R) -> R {
        with_site(article, figure, |site, claim| {
            let metric = claim.metric.as_deref();
            let (m, _) = measure(site, metric);
            let read = read_head(&HEADS, site, metric);
            let cx = ScopeCx {
                heads: &HEADS,
                site,
                head: m.head.as_deref(),
                head_at: read.hit.map(|h| h.start),
                read: &read.scope,
                change: m.change,
                expected: m.status == Status::Estimate,
            };
            f(&cx)
        })
    }

    /// A rule cannot stand without an example that fires it and a negative it must not
    /// decide.
    fn covered<F, E>(r: &rules::Rule<F, E>) {
        assert!(!r.examples.is_empty(), "rule {} has no example", r.name);
        assert!(!r.negatives.is_empty(), "rule {} has no negative", r.name);
    }

    #[test]
    fn every_rule_has_an_example_and_a_negative() {
        CHANGE_RULES.iter().for_each(covered);
        PER_RULES.iter().for_each(covered);
        STATUS_RULES.iter().for_each(covered);
        HEAD_RULES.iter().for_each(covered);
        OWN_SCOPE.iter().chain(LENT_SCOPE).for_each(covered);
    }

    /// The article and figure of every example and negative of a table.
    fn cases<F, V>(rules: &[rules::Rule<F, Example<V>>]) -> Vec<(&'static str, &'static str)> {
        let examples = rules.iter().flat_map(|r| r.examples.iter().map(|e| (e.0, e.1)));
        examples
            .chain(rules.iter().flat_map(|r| r.negatives.iter().copied()))
            .collect()
    }

    /// The sites [`with_site`] builds read every example and negative of the tables as
    /// the extractor does (it checks each against the claim).
    #[test]
    fn the_sites_the_tests_build_are_the_extractors() {
        let mut all = cases(CHANGE_RULES);
        all.extend(cases(PER_RULES));
        all.extend(cases(STATUS_RULES));
        all.extend(cases(HEAD_RULES));
        all.extend(cases(OWN_SCOPE));
        all.extend(cases(LENT_SCOPE));
        for (article, figure) in all {
            with_site(article, figure, |_, _| ());
        }
    }

    /// Runs every negative of a table of the change, per or status: the rule's function
    /// gives nothing at the figure's site.
    fn run_negatives<T: std::fmt::Debug>(rules: &[Rule<T>]) {
        for r in rules {
            for (article, figure) in r.negatives {
                let got = with_site(article, figure, |site, _| (r.applies)(site));
                assert!(got.is_none(), "{} fires on {article:?} ({figure}): {got:?}", r.name);
            }
        }
    }

    #[test]
    fn no_change_per_or_status_rule_fires_on_its_negatives() {
        run_negatives(CHANGE_RULES);
        run_negatives(PER_RULES);
        run_negatives(STATUS_RULES);
    }

    /// A head rule's negative: `extract --explain` names another rule for the head (or
    /// none).
    #[test]
    fn no_head_rule_decides_its_negatives() {
        for r in HEAD_RULES {
            for (article, figure) in r.negatives {
                let (head, rule) = head_and_rule(article, figure);
                assert_ne!(rule, Some(r.name), "{}: {article:?} ({figure}) gives {head:?}", r.name);
            }
        }
    }

    #[test]
    fn no_scope_rule_gives_a_scope_on_its_negatives() {
        for r in OWN_SCOPE.iter().chain(LENT_SCOPE) {
            for (article, figure) in r.negatives {
                let got = with_scope_cx(article, figure, |cx| (r.applies)(cx));
                assert!(got.is_empty(), "{} gives {got:?} on {article:?} ({figure})", r.name);
            }
        }
    }

    #[test]
    fn a_verb_before_the_head_ends_its_scope() {
        let scope = |s: &str, f: &str| claim(s, f).measure.scope;
        assert_eq!(
            scope("Globex said European sales fell 2.8% last year.", "2.8%"),
            ["european"]
        );
        assert!(scope("Initech said it made profits of £21.5m in 2024.", "£21.5m").is_empty());
        assert!(scope("Hooli also said profit was 120.7m euros.", "120.7m euros").is_empty());
        assert_eq!(scope("Globex said data center revenue rose 9%.", "9%"), ["data center"]);
    }

    #[test]
    fn every_scope_rule_holds_its_examples() {
        for r in OWN_SCOPE.iter().chain(LENT_SCOPE) {
            assert!(!r.examples.is_empty(), "scope rule {} has no example", r.name);
            for (article, figure, want) in r.examples {
                let (claim, _) = crate::extract::explain::claim_explained(article, figure);
                assert_eq!(
                    claim.measure.scope.join("; "),
                    *want,
                    "rule {} on {article:?} ({figure})",
                    r.name
                );
            }
        }
    }

    #[test]
    fn every_head_rule_holds_its_examples() {
        for r in HEAD_RULES {
            assert!(!r.examples.is_empty(), "head rule {} has no example", r.name);
            for (article, figure, want) in r.examples {
                let got = head_and_rule(article, figure);
                assert_eq!(got, (Some(want.to_string()), Some(r.name)), "{article:?} ({figure})");
            }
        }
    }

    #[test]
    fn every_rule_holds_its_examples() {
        run_examples(CHANGE_RULES, |c| {
            c.measure.change.map_or("level", |ch| ch.as_str()).to_string()
        });
        run_examples(PER_RULES, |c| c.measure.per.clone().unwrap_or_default());
        run_examples(STATUS_RULES, |c| c.measure.status.as_str().to_string());
    }

    /// (sentence, figure, head, scope, change, per, status): the measure as a whole.
    #[test]
    fn items_are_read_from_the_head_table() {
        assert_eq!(item_of("revenue"), Some("revenue"));
        assert_eq!(item_of("revenue per share"), Some("revenue"));
        assert_eq!(item_of("gross margin"), Some("gross margin"));
        assert_eq!(item_of("bill"), None);
        assert_eq!(item_of("revenues"), None, "a label, not a term");
    }

    #[test]
    fn measures_of_whole_sentences() {
        let table: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
            (
                "The shortfall between orders and deliveries was 8,000.",
                "8,000",
                "gap",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "Analysts flagged the gap between orders and deliveries, about 8,000 cars.",
                "8,000",
                "cars",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "Quarterly revenue at the bank was $12.4 billion.",
                "$12.4 billion",
                "revenue",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The retailer booked $3.2 billion in revenue.",
                "$3.2 billion",
                "revenue",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The cloud segment, its main engine, generated $9.1 billion, up 25% from the prior quarter.",
                "25%",
                "",
                "cloud",
                "sequential",
                "",
                "actual",
            ),
            (
                "Cloud revenue was $9.1 billion; total revenue rose 12% year over year.",
                "12%",
                "revenue",
                "total",
                "yoy",
                "",
                "actual",
            ),
            (
                "It guided to $65 billion in revenue and pointed to $500 billion in chip bookings.",
                "$500 billion",
                "bookings",
                "chip",
                "level",
                "",
                "guidance",
            ),
            (
                "Cloud revenue rose 18% year over year.",
                "18%",
                "revenue",
                "cloud",
                "yoy",
                "",
                "actual",
            ),
            (
                "Its data-centre sales reached $9.1 billion.",
                "$9.1 billion",
                "revenue",
                "data center",
                "level",
                "",
                "actual",
            ),
            (
                "Net profit came to $2.2 billion, or $1.05 per share.",
                "$1.05",
                "earnings per share",
                "",
                "level",
                "share",
                "actual",
            ),
            (
                "The prepayment price cap rises to £2,100.",
                "£2,100",
                "price cap",
                "prepayment",
                "level",
                "",
                "actual",
            ),
            (
                "The cap rises by £120 in April.",
                "£120",
                "price cap",
                "",
                "since",
                "",
                "actual",
            ),
            (
                "Gross margin was 71.2%.",
                "71.2%",
                "gross margin",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The brewer shipped 2,300 trucks in March.",
                "2,300",
                "deliveries",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "Analysts had expected 410,000 deliveries.",
                "410,000",
                "deliveries",
                "",
                "level",
                "",
                "estimate",
            ),
            (
                "Three customers accounted for 48% of sales.",
                "48%",
                "revenue",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The insurer has 12,000 employees.",
                "12,000",
                "employees",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "Deliveries fell, and 21 analysts polled by a data firm saw a rebound.",
                "21",
                "analysts",
                "",
                "level",
                "",
                "estimate",
            ),
            (
                "The maker sold 2,300 plug-in hybrid vans in May.",
                "2,300",
                "deliveries",
                "plug in hybrid",
                "level",
                "",
                "actual",
            ),
            (
                "The yard built 9,300 Aurora Sport in March.",
                "9,300",
                "production",
                "aurora sport",
                "level",
                "",
                "actual",
            ),
            (
                "The importer sold just under 41,000 SUVs in the spring.",
                "41,000",
                "deliveries",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The brewer filled 8,200 Harbour Pale kegs and shipped 7,950.",
                "7,950",
                "deliveries",
                "harbour pale",
                "level",
                "",
                "actual",
            ),
            (
                "The ferry line carried 2,400 cars and 310 other vehicles, and sold 18,000 tickets.",
                "310",
                "vehicles",
                "other",
                "level",
                "",
                "actual",
            ),
            (
                "The dealer group delivered 5,100 other cars in the quarter.",
                "5,100",
                "deliveries",
                "other",
                "level",
                "",
                "actual",
            ),
            (
                "The importer sold 8,100 Aria hatchbacks and Corsa Max vans last month.",
                "8,100",
                "deliveries",
                "aria and corsa max",
                "level",
                "",
                "actual",
            ),
            (
                "Aria and Corsa Max made up most (about 8,000 units) of the importer's deliveries.",
                "8,000",
                "units",
                "aria and corsa max",
                "level",
                "",
                "actual",
            ),
            (
                "The importer sold 8,100 Aria hatchbacks in March and Corsa Max vans in April.",
                "8,100",
                "deliveries",
                "aria",
                "level",
                "",
                "actual",
            ),
            (
                "The chipmaker sees a gross margin of 75%, up from 71.8% last quarter.",
                "71.8%",
                "gross margin",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The carmaker's stock is now trading at $162.",
                "$162",
                "share price",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The chipmaker reported a gross margin of 71%.",
                "71%",
                "gross margin",
                "",
                "level",
                "",
                "actual",
            ),
            (
                "The carmaker's deliveries fell 4% from a year earlier.",
                "4%",
                "deliveries",
                "",
                "yoy",
                "",
                "actual",
            ),
        ];
        for (sentence, figure, head, scope, change, per, status) in table {
            let m = claim(sentence, figure).measure;
            let got = (
                m.head.as_deref().unwrap_or(""),
                m.scope.join("|"),
                m.change.map_or("level", |c| c.as_str()),
                m.per.as_deref().unwrap_or(""),
                m.status.as_str(),
            );
            assert_eq!(
                got,
                (*head, scope.to_string(), *change, *per, *status),
                "{sentence:?} ({figure})"
            );
        }
    }

    #[test]
    fn a_prediction_runs_on_to_later_figures_and_names_its_source() {
        // (sentence, figure, status, by)
        let table: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "Analysts at Northwind Research predict the tariff could hit $5,300 in May, before rising again to $6,100 in June.",
                "$6,100",
                "estimate",
                Some("Northwind Research"),
            ),
            (
                "Experts at consultancy Fabrikam think the levy will reach $5,210 in May and $6,823 in June.",
                "$6,823",
                "forecast",
                Some("Fabrikam"),
            ),
            (
                "Experts at consultancy Fabrikam think the levy will reach $5,210 in May.",
                "$5,210",
                "forecast",
                Some("Fabrikam"),
            ),
            (
                "Fabrikam Research said it expects bills to reach $6,000 next year.",
                "$6,000",
                "forecast",
                Some("Fabrikam Research"),
            ),
            (
                "Analysts expected revenue of $54.9 billion, and the company reported revenue of $57 billion.",
                "$57 billion",
                "actual",
                None,
            ),
        ];
        for (sentence, figure, status, by) in table {
            let m = claim(sentence, figure).measure;
            assert_eq!((m.status.as_str(), m.by.as_deref()), (*status, *by), "{sentence}");
        }
    }

    #[test]
    fn a_label_opening_a_line_heads_its_figures_that_name_none() {
        let text = "Operating margin: Contoso's operating margin was 21.5% in the quarter. Analysts had expected 20.9%.\nThe board met twice. Turnout was 48%.\n";
        let cleaned = clean(text.to_string(), Format::Text);
        let ex = super::super::extract(&cleaned, &segment(&cleaned));
        let head = |t: &str| {
            ex.claims
                .iter()
                .find(|c| c.text == t)
                .and_then(|c| c.measure.head.clone())
        };
        assert_eq!(head("20.9%").as_deref(), Some("operating margin"));
        assert_eq!(head("48%"), None, "the label ends with its line");
        assert_eq!(line_label("Key financial data: revenue"), None);
        assert_eq!(
            line_label("Net income (GAAP): $3bn"),
            None,
            "a label of plain words only"
        );
        assert_eq!(
            line_label("Data-center revenue: up 5%").and_then(|l| l.head),
            Some("revenue")
        );
    }

    #[test]
    fn a_prediction_of_what_is_not_the_makers_account_is_a_forecast() {
        let status = |s: &str, f: &str| claim(s, f).measure.status;
        let consultancy = "Cornwall Insight said it expects energy bills to be just below £6,000 next year.";
        assert_eq!(status(consultancy, "£6,000"), Status::Forecast);
        let by = claim(consultancy, "£6,000").measure.by;
        assert_eq!(by.as_deref(), Some("Cornwall Insight"), "the forecast's maker");
        let bank = "The Bank of England said it expects inflation to peak at 13% this year.";
        assert_eq!(status(bank, "13%"), Status::Forecast);
        let company = "Contoso said it expects revenue of $5 billion next quarter.";
        assert_eq!(status(company, "$5 billion"), Status::Guidance);
        let named = "The regulator's outlook puts the cap at £4,000 in April.";
        assert_eq!(status(named, "£4,000"), Status::Guidance, "a word of guidance stays");
        let ahead = "Analysts at Contoso Research are predicting the cap could hit £5,387 in January.";
        assert_eq!(
            status(ahead, "£5,387"),
            Status::Forecast,
            "an expectation of what is to come"
        );
        let past = "Analysts had expected deliveries of 449,080 vehicles.";
        assert_eq!(status(past, "449,080"), Status::Estimate);
    }

    #[test]
    fn an_expectation_of_the_figure_just_told_is_of_its_scope() {
        let scope = |s: &str, f: &str| claim(s, f).measure.scope;
        let same = "Cloud revenue was $5.2 billion, beating analysts' expectations of $4.9 billion.";
        assert_eq!(scope(same, "$4.9 billion"), ["cloud"]);
        let next = "Cloud revenue was $5.2 billion. Analysts had expected revenue of $4.9 billion.";
        assert_eq!(scope(next, "$4.9 billion"), ["cloud"]);
        let other = "Cloud revenue was $5.2 billion. Analysts had expected a profit of $1.9 billion.";
        assert!(scope(other, "$1.9 billion").is_empty(), "another head");
    }

    #[test]
    fn a_figure_said_to_be_of_the_whole_is_scoped_so() {
        let scope = |s: &str, f: &str| claim(s, f).measure.scope;
        assert_eq!(
            scope("Total revenue rose 25% from the previous quarter.", "25%"),
            [TOTAL]
        );
        assert_eq!(scope("Its overall sales were $5 billion.", "$5 billion"), [TOTAL]);
        assert!(scope("Revenue rose 25% from the previous quarter.", "25%").is_empty());
    }

    #[test]
    fn a_recurrence_and_a_multiple_of_a_bill_have_heads() {
        let measure = |s: &str, f: &str| {
            let m = claim(s, f).measure;
            (m.head.unwrap_or_default(), m.scope)
        };
        let every = "The tariff is now altered every three months.";
        assert_eq!(measure(every, "three months"), ("interval".to_string(), vec![]));
        let trebled = "Household bills have almost trebled in a year.";
        assert_eq!(measure(trebled, "trebled").0, "bill");
        let paying = "This means households could end up paying roughly £551 per month.";
        assert_eq!(measure(paying, "£551").0, "cost", "what is paid is a cost");
        let living = "There is a one-off £650 cost of living payment.";
        assert_eq!(measure(living, "£650").0, "", "a cost of living payment is no cost");
        let broken = "Pensioners get a one-off £300 cost-of- living payment.";
        assert_eq!(measure(broken, "£300").0, "", "a word broken at its hyphen");
        let what_for = "For those struggling to pay for gas there is a jump from £2,017 to £3,608.";
        assert_eq!(measure(what_for, "£3,608").0, "", "a payment's purpose is no amount");
    }

    #[test]
    fn a_share_price_of_billions_is_a_market_value() {
        let head = |s: &str, f: &str| claim(s, f).measure.head;
        let sell_off = "Contoso's stock was down 30% in a sell-off that cut its share price value by $230 billion.";
        assert_eq!(head(sell_off, "$230 billion").as_deref(), Some("market value"));
        let quote = "Contoso's share price fell to $165.54.";
        assert_eq!(head(quote, "$165.54").as_deref(), Some("share price"));
        let stake = "Fabrikam received $350 million in Contoso shares.";
        assert_eq!(head(stake, "$350 million"), None, "a block of shares is no price");
    }

    #[test]
    fn a_group_of_people_named_before_a_figure_is_its_scope() {
        let text = "The water tariff will rise to £620 a year for homes paying by direct debit.\nFor those paying by cheque, there is a bigger jump from £590 to £655.\nBusiness customers will see £1,200, while those on a metered supply will see £980.\nAnalysts said households would pay £40 more.\nThe average bill will be £560 next year.\n  \u{2022} Metered: up 9% (from £540 to £588)\n";
        let cleaned = clean(text.to_string(), Format::Text);
        let ex = super::super::extract(&cleaned, &segment(&cleaned));
        let measure = |t: &str| {
            let c = ex.claims.iter().find(|c| c.text == t);
            c.map(|c| (c.measure.head.clone().unwrap_or_default(), c.measure.scope.join("|")))
        };
        let m = |h: &str, s: &str| Some((h.to_string(), s.to_string()));
        assert_eq!(measure("£655"), m("price", "cheque"), "the head of the sentence before");
        assert_eq!(measure("£1,200"), m("price", "business"), "the measure carries on");
        assert_eq!(measure("£980"), m("price", "metered supply"));
        assert_eq!(measure("£40"), m("cost", ""), "'analysts said' names no group");
        assert_eq!(measure("£588"), m("bill", "metered"), "a bullet's label");
        let label = line_label("  \u{2022} On receipt of bill: up 79%").unwrap_or_default();
        assert_eq!((label.head, label.scope.as_deref()), (Some("bill"), Some("receipt")));
        let plain = line_label("Highlights: revenue rose").unwrap_or_default();
        assert_eq!(plain.scope, None, "only a bullet's label names a part");
    }

    #[test]
    fn the_head_table_parses() {
        let t = Heads::parse(BUILTIN_HEADS).expect("table parses");
        assert!(t.heads.len() > 30);
        assert!(t.terms.windows(2).all(|w| w[0].words.len() >= w[1].words.len()));
        assert!(t.terms.iter().any(|t| t.verb));
        assert_eq!(Heads::parse("revenue [money, planets]: sales").err(), Some(1));
    }
}
