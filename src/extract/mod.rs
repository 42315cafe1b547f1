//! extract: numeric claims, footnote citations and the source list of one article.
//!
//! One pass over the segmented article: a sentence is tokenized only when a cheap anchor
//! test (a digit, a currency or superscript byte, or a number word found by one
//! Aho-Corasick automaton) says it may hold a figure; all per-claim work (qualifier,
//! period, entities, subject, metric, citations) looks at that sentence alone.
//!
//! Modules: [`tokens`] (the sentence tokenizer), [`numbers`] (digits and words),
//! [`claims`] (kinds, units, ranges, qualifiers, directions, and what is not a claim),
//! [`period`], [`entities`] (alias table, metric lexicon, subject), `metric` (what a
//! figure measures), [`citations`].

pub mod citations;
pub mod claims;
pub mod entities;
mod measure;
mod metric;
pub mod numbers;
pub mod period;
pub mod places;
pub mod tokens;

use std::cell::OnceCell;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use unicode_segmentation::UnicodeSegmentation;

use crate::clean::Cleaned;
use crate::lines::starts_line;
use crate::model::{Citation, Claim, Kind, Source};
use crate::normalise::{Period as Span, Relative};
use crate::segment::{Unit, UnitKind};
pub use entities::Lexicon;
pub use measure::{TOTAL, is_economy, item_of};
use tokens::{Tok, TokKind};

/// Everything extracted from one article. Offsets point into [`Cleaned::text`].
#[derive(Debug, Default, Clone)]
pub struct Extraction {
    pub claims: Vec<Claim>,
    pub citations: Vec<Citation>,
    pub sources: Vec<Source>,
    pub warnings: Vec<String>,
}

/// Number and multiple words that can start a figure written without digits.
static NUMBER_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        // The number words from two up (numbers::SMALL_WORDS), then scale, multiple and
        // rate words.
        .build(numbers::SMALL_WORDS[2..].iter().copied().chain([
            "hundred", "dozen", "million", "billion", "trillion", "fold", "doubl", "tripl", "trebl", "quadrupl",
            "half", "percent", "one-", "a week", "a month", "a year", "a day", "an hour", "a decade",
        ]))
        .expect("static automaton")
});

/// Whether a sentence may hold a figure or a marker: a digit, `$`, a currency sign or
/// superscript digit (by its UTF-8 lead bytes), or a number word at a word start.
fn has_anchor(s: &str) -> bool {
    let b = s.as_bytes();
    let byte_anchor = b.iter().enumerate().any(|(i, &c)| match c {
        b'0'..=b'9' | b'$' => true,
        // £ ¥ ² ³ ¹ (U+00A3 U+00A5 U+00B2 U+00B3 U+00B9)
        0xC2 => matches!(b.get(i + 1), Some(0xA3 | 0xA5 | 0xB2 | 0xB3 | 0xB9)),
        // superscripts U+2070.., currency signs U+20A0..
        0xE2 => matches!(b.get(i + 1), Some(0x81 | 0x82)),
        // 元 円 and other CJK currency words
        0xE5 => matches!(b.get(i + 1), Some(0x85 | 0x86 | 0x9C)),
        _ => false,
    });
    byte_anchor
        || NUMBER_WORDS
            .find_iter(s)
            .any(|m| m.start() == 0 || !b[m.start() - 1].is_ascii_alphabetic())
}

/// Extracts claims, citations and sources from a cleaned, segmented article with the
/// built-in lexicon.
pub fn extract(cleaned: &Cleaned, units: &[Unit]) -> Extraction {
    extract_with(cleaned, units, &Lexicon::builtin())
}

/// One sentence's entity mentions, subject candidates first in text order.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize,
    name: String,
    /// The organisation a product belongs to.
    owner: Option<String>,
    possessive: bool,
    /// From the alias table (not a guessed capitalised name).
    known: bool,
    /// How the words around it cast it ([`Mention::roles`]), the same for every figure of
    /// the sentence, so worked out once.
    roles: Roles,
}

/// What the words around a mention say about it, for choosing a figure's subject.
#[derive(Debug, Clone, Copy, Default)]
struct Roles {
    /// Left out of the figure ("excluding OpenAI", "Take OpenAI out and ...").
    excluded: bool,
    /// Only says where a firm named before is from ("the US firm").
    modifier: bool,
    /// After a preposition ("with OpenAI"): an object, not the actor.
    after_preposition: bool,
}

impl Mention {
    fn subject_name(&self) -> &str {
        self.owner.as_deref().unwrap_or(&self.name)
    }

    /// Fills [`Mention::roles`] from the words around the mention in `text`.
    fn roles(&mut self, text: &str) {
        let prev = prev_word(text, self.start);
        let prev = prev.as_str();
        // One left out of the figure ("Take OpenAI out and the rest grew 28%", "excluding
        // OpenAI") is not what it is about, not even as the article's topic.
        let next = || {
            text[self.end..]
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
        };
        let excluded = matches!(prev, "excluding" | "except" | "without")
            || matches!(prev, "take" | "leave" | "set" | "strip") && matches!(next(), Some("out" | "aside"));
        // "The US firm", "the Japanese carmaker": a name that only says where the firm named
        // before is from.
        let modifier = prev == "the" && !self.possessive && firm_noun_follows(&text[self.end..]);
        // "the company led by Jane Doe", "Jane Doe's company": a person who stands for the
        // firm named elsewhere, not the firm.
        let leader = prev == "by" && LEADER_VERBS.contains(&prev_word(text, prev_start(text, self.start)).as_str())
            || self.possessive && firm_noun_within(&text[self.end..], |w| w == "s");
        let modifier = modifier || leader;
        // An entity after a preposition ("with OpenAI", "excluding OpenAI") is not the actor
        // (`prev` is lower case, like every preposition).
        let after_preposition = PREPOSITIONS.contains(&prev);
        self.roles = Roles {
            excluded,
            modifier,
            after_preposition,
        };
    }
}

/// Verbs of leading or owning a firm: "the company led by ...".
const LEADER_VERBS: &[&str] = &["led", "run", "headed", "founded", "owned", "chaired", "controlled"];

/// The byte where the word before byte `at` starts.
fn prev_start(text: &str, at: usize) -> usize {
    let head = text[..at].trim_end();
    head.char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Whether `rest` goes on to a firm noun within a few words, each in lower case or an
/// acronym: "US firm", "US electric vehicle (EV) maker".
fn firm_noun_follows(rest: &str) -> bool {
    rest.starts_with(' ')
        && firm_noun_within(rest, |w| {
            w.starts_with(char::is_lowercase) || w.bytes().all(|b| b.is_ascii_uppercase())
        })
}

/// Whether a firm noun comes within the first five words of `rest`, before its first
/// punctuation, after words that all pass `modifier`.
fn firm_noun_within(rest: &str, modifier: impl Fn(&str) -> bool) -> bool {
    let end = rest.find([',', '.', ';', ':']).unwrap_or(rest.len());
    let words = rest[..end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut before_noun = words.take(5).skip_while(|w| !FIRM_NOUNS.contains(w) && modifier(w));
    before_noun.next().is_some_and(|w| FIRM_NOUNS.contains(&w))
}

/// The word before byte `at` (past any whitespace), lower-cased.
fn prev_word(text: &str, at: usize) -> tokens::Lower<'_> {
    let head = text[..at].trim_end();
    tokens::Lower::new(&head[prev_start(text, at)..])
}

/// Extracts with a given lexicon (aliases and metrics).
pub fn extract_with(cleaned: &Cleaned, units: &[Unit], lex: &Lexicon) -> Extraction {
    let mut claims = Vec::new();
    let mut ex = extract_each(cleaned, units, lex, &mut |c| claims.push(c));
    ex.claims = claims;
    ex
}

/// Extracts like [`extract_with`], but hands each claim to `on_claim` in document order
/// as soon as it is complete instead of collecting them: the returned extraction has no
/// claims. A file with a million claims then never holds them all.
pub fn extract_each(cleaned: &Cleaned, units: &[Unit], lex: &Lexicon, on_claim: &mut dyn FnMut(Claim)) -> Extraction {
    extract_until(cleaned, units, lex, on_claim, &mut || false)
}

/// [`extract_each`] that asks `stop` before each sentence and ends there once it says
/// yes (the pipeline's cost budget of one file).
pub fn extract_until(
    cleaned: &Cleaned,
    units: &[Unit],
    lex: &Lexicon,
    on_claim: &mut dyn FnMut(Claim),
    stop: &mut dyn FnMut() -> bool,
) -> Extraction {
    let mut article = Article::new(cleaned, units, lex, on_claim);
    for (ui, u) in units.iter().enumerate() {
        if stop() {
            break;
        }
        if article.list.covers(u.start) {
            continue;
        }
        article.sentence(ui, u);
    }
    article.finish()
}

/// The article loop's state, carried from sentence to sentence.
struct Article<'a, 'f> {
    text: &'a str,
    lex: &'a Lexicon,
    units: &'a [Unit],
    list: citations::SourceList,
    listed: Vec<u32>,
    /// The article cites in brackets, so a listed number mid-sentence is no marker.
    brackets: bool,
    /// The year and month the article's periods are read against.
    year: Option<u32>,
    month: Option<u32>,
    /// File lines: for HTML, the page's line each part of the body came from.
    lines: crate::lines::FileLines<'a>,
    ex: Extraction,
    chain: Chain<'f>,
    // Per-sentence buffers, reused.
    toks: Vec<Tok>,
    skip: Vec<bool>,
    clauses: Vec<usize>,
    topic: Option<String>,
    /// The article's topic from its title wins over the running topic of recent sentences.
    title_topic: Option<String>,
    known_names: Vec<String>,
    common: Common<'a>,
    cited: Vec<u32>,
    /// The sentences without figures since the last one with figures.
    plain: Vec<&'a Unit>,
    openings: Openings,
    last_unit: Option<&'a Unit>,
    /// The label opening the current line ("Gross margin: ...", "• Prepayment: ...").
    line_label: Option<measure::LineLabel>,
    /// The last sentence with figures: its unit and its headed figures' measures.
    told_before: (usize, Vec<(Kind, crate::model::Measure)>),
}

/// The claims on their way out: each waits until the next is made (a converted amount
/// copies it), then is held until the reporting period is known.
struct Chain<'f> {
    held: Held<'f>,
    /// The latest claim, handed on when the next one is made (a converted amount copies it).
    last_claim: Option<(Claim, Timing)>,
    restated: metric::Restated,
}

/// The year and month an article's periods are read against: its publication date's,
/// else the date its text states.
fn article_date(cleaned: &Cleaned, text: &str) -> (Option<u32>, Option<u32>) {
    let published = cleaned.meta.published.as_deref();
    let stated = || period::reference_date(text);
    match published {
        Some(d) => (
            d.get(..4).and_then(|y| y.parse::<u32>().ok()),
            d.get(5..7)
                .and_then(|m| m.parse::<u32>().ok())
                .filter(|m| (1..=12).contains(m)),
        ),
        None => stated().map_or((None, None), |(y, m)| (Some(y), Some(m))),
    }
}

/// The topic an article's title names: its first alias-table entity (owner for a
/// product), else the capitalised name of the title the article repeats most.
fn title_topic(cleaned: &Cleaned, lex: &Lexicon, text: &str, common: &Common) -> Option<String> {
    let title = cleaned.meta.title.as_deref()?;
    let mut m = Vec::new();
    lex.find_entities(title, 0, title.len(), &mut m);
    m.first()
        .map(|&(_, _, e)| {
            let ent = &lex.entities[e];
            ent.owner.clone().unwrap_or_else(|| ent.name.clone())
        })
        .or_else(|| title_name(title, text, common))
}

impl<'a, 'f> Article<'a, 'f> {
    /// The state before the first sentence of `cleaned`.
    fn new(cleaned: &'a Cleaned, units: &'a [Unit], lex: &'a Lexicon, on_claim: &'f mut dyn FnMut(Claim)) -> Self {
        let text = cleaned.text.as_str();
        let list = citations::sources(cleaned);
        let listed = list.numbers();
        let (year, month) = article_date(cleaned, text);
        let common = common_words(text);
        Article {
            text,
            lex,
            units,
            list,
            listed,
            brackets: citations::cites_in_brackets(text),
            year,
            month,
            lines: cleaned.file_lines(),
            ex: Extraction::default(),
            chain: Chain {
                held: Held::new(on_claim),
                last_claim: None,
                restated: metric::Restated::default(),
            },
            toks: Vec::new(),
            skip: Vec::new(),
            clauses: Vec::new(),
            topic: None,
            title_topic: title_topic(cleaned, lex, text, &common),
            known_names: Vec::new(),
            common,
            cited: Vec::new(),
            plain: Vec::new(),
            openings: Openings::default(),
            last_unit: None,
            line_label: None,
            told_before: (usize::MAX, Vec::new()),
        }
    }

    /// How a sentence's periods are read: against the article's date, in the future or not.
    fn context(&self, future: bool) -> period::Context {
        period::Context {
            year: self.year,
            month: self.month,
            future,
        }
    }

    /// Reads sentence `ui`: its line label, its markers and its figures; a sentence with
    /// neither only counts towards the topic and the reporting period.
    fn sentence(&mut self, ui: usize, u: &'a Unit) {
        let prev_unit = self.last_unit.replace(u);
        let text = self.text;
        let s = &text[u.start..u.end];
        self.note_line_label(u, s);
        if !has_anchor(s) {
            self.plain_sentence(u, s);
            return;
        }
        tokens::tokenize(text, u.start, u.end, &mut self.toks);
        let mid_listed: &[u32] = if self.brackets { &[] } else { &self.listed };
        let groups = citations::markers(&self.toks, text, &self.listed, mid_listed);
        skip_markers(&groups, self.toks.len(), &mut self.skip);
        let list_item = u.kind == UnitKind::ListItem || starts_line(text, u.start);
        let found = claims::find_claims(&self.toks, text, &self.skip, list_item);
        if found.is_empty() {
            let cx = self.context(false);
            note_spans(&mut self.chain.held.reporting, &self.toks, text, cx);
        }
        if groups.is_empty() && found.is_empty() {
            return;
        }
        let sentence: std::sync::Arc<str> = one_line(s).into();
        self.cite(&groups, &sentence);
        if found.is_empty() {
            self.plain.push(u);
            return;
        }
        self.figures(ui, u, prev_unit, found, (&groups, &sentence));
    }

    /// "Key financial data:\nRevenue: ...": the label of the line a unit opens, set by the
    /// last line it opens when it runs over a line end.
    fn note_line_label(&mut self, u: &Unit, s: &str) {
        // A unit may run over a line end ("Key financial data:\nRevenue: ..."): the last
        // line it opens sets the label.
        if let Some(at) = s
            .rfind('\n')
            .map(|i| u.start + i + 1)
            .or_else(|| line_lead(self.text, u.start))
        {
            self.line_label = measure::line_label(&self.text[at..u.end]);
        }
    }

    /// A sentence with no figure: kept for the running topic, and read for a span the
    /// article reports when it may name one.
    fn plain_sentence(&mut self, u: &'a Unit, s: &str) {
        // No figure here, but the sentence may move the article's running topic
        // (looked at only when a later figure needs it), and may name the span the
        // article reports ("its third-quarter earnings call").
        self.plain.push(u);
        if names_a_span(s) {
            tokens::tokenize(self.text, u.start, u.end, &mut self.toks);
            let cx = self.context(false);
            note_spans(&mut self.chain.held.reporting, &self.toks, self.text, cx);
        }
    }

    /// Records a sentence's marker groups as citations, each with the markers no listed
    /// source answers.
    fn cite(&mut self, groups: &[citations::MarkerGroup], sentence: &std::sync::Arc<str>) {
        for g in groups {
            let unresolved: Vec<u32> = g
                .markers
                .iter()
                .copied()
                .filter(|m| !self.list.sources.iter().any(|s| s.n == *m))
                .collect();
            self.cited.extend(&g.markers);
            self.ex.citations.push(Citation {
                markers: g.markers.clone(),
                line: self.lines.line(g.start),
                start: g.start,
                end: g.end,
                sentence: sentence.clone(),
                unresolved,
            });
        }
    }

    /// The running topic: the latest known entity of the sentences since the last figure,
    /// needed only when the title names no topic.
    fn move_topic(&mut self) {
        let (lex, text) = (self.lex, self.text);
        if self.title_topic.is_none()
            && let Some(t) = self.plain.iter().rev().find_map(|p| first_known(lex, text, p))
        {
            self.topic = Some(t);
        }
    }

    /// "It brought in $32.91 billion": the name a sentence that opens with a pronoun is
    /// about, the one the sentence before it opened with.
    fn pronoun_topic(&mut self, ui: usize, prev_unit: Option<&Unit>, mentions: &[Mention]) -> Option<String> {
        let (lex, text) = (self.lex, self.text);
        prev_unit
            .and_then(|p| first_known(lex, text, p))
            // A sentence that names no one needs the name a recent sentence opened
            // with (looked for only then: it reads earlier sentences again).
            .or_else(|| {
                mentions
                    .is_empty()
                    .then(|| {
                        let known = (self.known_names.as_slice(), &self.common);
                        self.openings.antecedent(lex, text, self.units, ui, known)
                    })
                    .flatten()
            })
    }

    /// The measures of the sentence right before `ui`, which a figure for another group,
    /// or an expectation of the figure just told, carries on.
    fn carried(&mut self, ui: usize) -> Vec<(Kind, crate::model::Measure)> {
        if self.told_before.0.wrapping_add(1) == ui {
            std::mem::take(&mut self.told_before.1)
        } else {
            Vec::new()
        }
    }

    /// Makes the claims of a sentence with figures, each read against the whole
    /// sentence, and moves the running topic on.
    fn figures(
        &mut self,
        ui: usize,
        u: &'a Unit,
        prev_unit: Option<&'a Unit>,
        found: Vec<claims::RawClaim>,
        (groups, sentence): (&[citations::MarkerGroup], &std::sync::Arc<str>),
    ) {
        let (text, lex) = (self.text, self.lex);
        let s = &text[u.start..u.end];
        let future = period::is_future(&self.toks, text);
        let periods = period::periods(&self.toks, text, self.context(future));
        clause_ids(&self.toks, text, &mut self.clauses);
        let mentions = mentions(&self.toks, text, u, lex, (&mut self.known_names, &self.common));
        self.move_topic();
        let pronoun_opens = opens_with_pronoun(s);
        let pronoun_topic = if pronoun_opens {
            self.pronoun_topic(ui, prev_unit, &mentions)
        } else {
            None
        };
        self.plain.clear();
        let carried = self.carried(ui);
        // "… past BYD. The Chinese manufacturer overtook Tesla, delivering 526,409 EVs": a
        // description standing for a name while the sentence names another stands for a
        // name of the sentence before that this one does not name (read again only when a
        // figure asks for it).
        let described = pronoun_opens && s.trim_start().starts_with("The ") && !mentions.is_empty();
        let other: OnceCell<Option<String>> = OnceCell::new();
        let (known_names, common) = (&self.known_names, &self.common);
        let anaphor = || {
            other
                .get_or_init(|| {
                    let known = (&mut known_names.clone(), common);
                    described.then(|| prev_unit.and_then(|p| other_name(lex, text, p, &mentions, known)))?
                })
                .as_deref()
        };
        let read = Read {
            lex,
            text,
            u,
            toks: &self.toks,
            clauses: &self.clauses,
            periods: &periods,
            mentions: &mentions,
            future,
            topic: (pronoun_topic.as_deref())
                .or(self.title_topic.as_deref())
                .or(self.topic.as_deref()),
            anaphor: &anaphor,
            carried: &carried,
            label: self.line_label.as_ref(),
            groups,
            sentence,
            lines: &self.lines,
        };
        let told_now = Figures::new(read, prev_unit, &found).claims(found, &mut self.chain);
        if let Some(t) = sentence_topic(&mentions) {
            self.topic = Some(t);
        }
        self.told_before = (ui, told_now);
    }

    /// Hands on the last claims, and warns of markers without a source and of sources
    /// never cited.
    fn finish(mut self) -> Extraction {
        if let Some((done, t)) = self.chain.last_claim.take() {
            self.chain.held.push(done, t);
        }
        self.chain.held.flush();
        // Warnings: markers without a source, sources never cited.
        let ex = &mut self.ex;
        let mut dangling: Vec<u32> = ex.citations.iter().flat_map(|c| c.unresolved.iter().copied()).collect();
        dangling.sort_unstable();
        dangling.dedup();
        if !dangling.is_empty() {
            ex.warnings
                .push(format!("footnote markers with no source: {}", join(&dangling)));
        }
        let uncited: Vec<u32> = (self.list.sources.iter())
            .map(|s| s.n)
            .filter(|n| !self.cited.contains(n))
            .collect();
        if !uncited.is_empty() && !ex.citations.is_empty() {
            ex.warnings.push(format!("sources never cited: {}", join(&uncited)));
        }
        self.ex.sources = self.list.sources;
        self.ex
    }
}

/// Marks the tokens of every marker group, which no figure may take.
fn skip_markers(groups: &[citations::MarkerGroup], n: usize, skip: &mut Vec<bool>) {
    skip.clear();
    skip.resize(n, false);
    for g in groups {
        for f in skip.iter_mut().take(g.last + 1).skip(g.first) {
            *f = true;
        }
    }
}

/// The names of a sentence's mentions, each once, in order.
fn entity_names(mentions: &[Mention]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for m in mentions {
        if !names.contains(&m.name) {
            names.push(m.name.clone());
        }
    }
    names
}

/// What the next sentences are about: the sentence's first known actor, else its first
/// actor. An object ("export controls on China") is not what the next sentences are about.
fn sentence_topic(mentions: &[Mention]) -> Option<String> {
    let actors = || mentions.iter().filter(|m| !m.roles.after_preposition);
    actors()
        .find(|m| m.known)
        .or_else(|| actors().next())
        .map(|m| m.subject_name().to_string())
}

/// What the article loop has read of a sentence with figures, shared by its figures.
struct Read<'r, 'a> {
    lex: &'r Lexicon,
    text: &'r str,
    u: &'r Unit,
    toks: &'r [Tok],
    clauses: &'r [usize],
    periods: &'r [period::Period],
    mentions: &'r [Mention],
    future: bool,
    /// The topic a figure is about when its sentence gives it no name.
    topic: Option<&'r str>,
    /// The name a description opening the sentence stands for ([`subject_of`]).
    anaphor: &'r dyn Fn() -> Option<&'a str>,
    /// The measures the sentence before passes on ([`Article::carried`]).
    carried: &'r [(Kind, crate::model::Measure)],
    label: Option<&'r measure::LineLabel>,
    groups: &'r [citations::MarkerGroup],
    sentence: &'r std::sync::Arc<str>,
    lines: &'r crate::lines::FileLines<'r>,
}

/// The figures of one sentence and what their rules read, worked out once.
struct Figures<'r, 'a> {
    read: Read<'r, 'a>,
    share_price: bool,
    figure_clauses: Vec<usize>,
    figure_starts: Vec<usize>,
    words: measure::Words<'r>,
    /// Word ranges of every figure of the sentence, in order.
    figure_words: Vec<(usize, usize)>,
    /// The metric keywords of the sentence: (start, end, keyword pattern).
    hits: Vec<(usize, usize, usize)>,
    entities: Vec<String>,
    part_before: Option<String>,
}

/// What the figures of a sentence so far pass on to the next one.
#[derive(Default)]
struct Told {
    /// The previous figure of the sentence, its last token and whether it converts one.
    prev: Option<(usize, bool)>,
    /// The previous figure's last word and the statement it makes (its measure).
    prev_statement: Option<(usize, crate::model::Measure)>,
    /// The headed figures' measures, which the next sentence may carry on.
    now: Vec<(Kind, crate::model::Measure)>,
    /// The figures of this sentence so far, with their metrics (claims leave through
    /// `on_claim` as they are made, so the sentence keeps what later figures need).
    earlier: Vec<metric::Earlier>,
}

impl Told {
    /// Keeps what the metric rules of the sentence's later figures look back at.
    fn remember(&mut self, claim: &Claim, unit: &'static str, clause: Option<usize>) {
        // Rules look a few figures back at most: a claim-dense sentence keeps this small.
        if self.earlier.len() == metric::EARLIER_MAX {
            self.earlier.remove(0);
        }
        self.earlier.push(metric::Earlier {
            kind: claim.kind,
            unit,
            metric: claim.metric.clone(),
            clause,
        });
    }
}

/// What a figure states besides its value: its period, subject, metric and measure, and
/// for a change "since" a quarter, that quarter.
struct Statement {
    period: Option<String>,
    subject: Option<String>,
    metric: Option<String>,
    measure: crate::model::Measure,
    base_quarter: Option<u8>,
}

impl Statement {
    /// "$2bn (£1.06bn)": the statement of the amount a conversion copies.
    fn copied((p, t): &(Claim, Timing)) -> Self {
        Statement {
            period: p.period.clone(),
            subject: p.subject.clone(),
            metric: p.metric.clone(),
            measure: p.measure.clone(),
            base_quarter: t.base_quarter,
        }
    }
}

impl<'r, 'a> Figures<'r, 'a> {
    /// The figures `found` of a sentence as the rules read them; `prev_unit` is the
    /// sentence before it.
    fn new(read: Read<'r, 'a>, prev_unit: Option<&Unit>, found: &[claims::RawClaim]) -> Self {
        let (text, u) = (read.text, read.u);
        let words = measure::Words::new(read.toks, text, read.clauses);
        let figure_words = found
            .iter()
            .map(|c| (words.at_tok(c.first), words.at_tok(c.last)))
            .collect();
        let mut hits = Vec::new();
        read.lex.find_metrics(text, u.start, u.end, &mut hits);
        Figures {
            share_price: about_share_price(read.toks, text),
            figure_clauses: found
                .iter()
                .filter_map(|c| read.clauses.get(c.first).copied())
                .collect(),
            figure_starts: found.iter().map(|c| c.first).collect(),
            words,
            figure_words,
            hits,
            entities: entity_names(read.mentions),
            part_before: part_before(text, &text[u.start..u.end], prev_unit),
            read,
        }
    }

    /// Makes the claim of every figure `found`, in order, and returns the measures of
    /// the headed ones, which the next sentence may carry on.
    fn claims(&self, found: Vec<claims::RawClaim>, chain: &mut Chain) -> Vec<(Kind, crate::model::Measure)> {
        let mut told = Told::default();
        for (rc, &w) in found.into_iter().zip(&self.figure_words) {
            self.figure(&mut told, chain, rc, w);
        }
        told.now
    }

    /// Makes the claim of figure `rc` (words `w`) and hands on the claim made before it.
    fn figure(&self, told: &mut Told, chain: &mut Chain, rc: claims::RawClaim, w: (usize, usize)) {
        let (toks, text) = (self.read.toks, self.read.text);
        let (start, end) = (toks[rc.first].start, toks[rc.last].end);
        let clause = self.read.clauses.get(rc.first).copied();
        let converts = converts(toks, text, told.prev, chain.last_claim.as_ref(), &rc);
        told.prev = Some((rc.last, converts));
        // An amount converted into another currency ("$2bn (£1.06bn)") is the same
        // figure: it copies the period, subject and metric of the amount before it.
        let statement = match chain.last_claim.as_ref().filter(|_| converts) {
            Some(before) => Statement::copied(before),
            None => self.state(told, chain, &rc, (start, end), w),
        };
        let unit = peso_country(text, rc.unit, &text[start..end]);
        let timing = Timing {
            inherit: rc.kind != Kind::Duration && !self.share_price,
            future: self.read.future,
            base_quarter: statement.base_quarter,
        };
        let claim = self.claim(rc, statement, unit, (start, end));
        (chain.restated).note(claim.kind, unit, claim.value, claim.value_max, claim.metric.as_deref());
        told.remember(&claim, unit, clause);
        if let Some((done, t)) = chain.last_claim.replace((claim, timing)) {
            chain.held.push(done, t);
        }
    }

    /// What figure `rc` (bytes `start..end`, words `first..=last`) states, read from its
    /// sentence; its own period counts towards the article's reporting period.
    fn state(
        &self,
        told: &mut Told,
        chain: &mut Chain,
        rc: &claims::RawClaim,
        (start, end): (usize, usize),
        (first_word, last_word): (usize, usize),
    ) -> Statement {
        let r = &self.read;
        let figures = (self.figure_clauses.as_slice(), self.figure_starts.as_slice());
        let stated = period_of(r.toks, r.text, r.periods, r.clauses, figures, rc);
        let period = stated.as_ref().map(|(p, _)| p.clone());
        let subject = subject_of(r.toks, r.text, r.mentions, (start, end), rc.kind, r.topic, r.anaphor);
        let metric = self.metric(rc, (start, end), told, &chain.restated);
        let site = self.site(rc, (first_word, last_word), subject.as_deref(), told);
        let mut measure = measure::measure(&site, metric.as_deref());
        let base_quarter = (measure.change == Some(crate::model::Change::Since))
            .then(|| measure::base_quarter(&site))
            .flatten();
        measure::settle(&mut measure, rc.value, r.future, &r.text[r.u.start..r.u.end]);
        let subject = if measure::is_economy(measure.head.as_deref()) {
            economy_subject(subject, &mut measure, &self.entities)
        } else {
            subject
        };
        // The figure's own period counts towards the article's reporting period
        // unless it is the base of a change, a forecast's or an expectation's.
        let base = (told.prev_statement.as_ref())
            .is_some_and(|(w, m)| measure::is_base_of_change(&self.words, *w, m, first_word));
        if let Some((p, false)) = &stated
            && !r.future
            && !base
            && measure.status == crate::model::Status::Actual
        {
            chain.held.reporting.note(p, r.u.start, true);
        }
        told.prev_statement = Some((last_word, measure.clone()));
        if measure.head.is_some() {
            told.now.push((rc.kind, measure.clone()));
        }
        Statement {
            period,
            subject,
            metric,
            measure,
            base_quarter,
        }
    }

    /// The metric of figure `rc` at `start..end` ([`metric::metric`]).
    fn metric(
        &self,
        rc: &claims::RawClaim,
        (start, end): (usize, usize),
        told: &Told,
        restated: &metric::Restated,
    ) -> Option<String> {
        let r = &self.read;
        let sentence = metric::Sentence {
            lex: r.lex,
            text: r.text,
            unit: r.u,
            toks: r.toks,
            clauses: r.clauses,
            mentions: r.mentions,
            hits: &self.hits,
        };
        metric::metric(&sentence, rc, start, end, &told.earlier, restated)
    }

    /// Figure `rc` (words `first..=last`) as the measure rules see it.
    fn site<'s>(
        &'s self,
        rc: &'s claims::RawClaim,
        (first, last): (usize, usize),
        subject: Option<&'s str>,
        told: &'s Told,
    ) -> measure::Site<'s> {
        measure::Site {
            ws: &self.words,
            first,
            last,
            kind: rc.kind,
            direction: rc.direction,
            noun: rc.noun.as_deref(),
            subject,
            figures: &self.figure_words,
            before: told.prev_statement.as_ref().map(|(w, m)| (*w, m)),
            label: self.read.label,
            carried: (self.read.carried.iter().rev())
                .find(|(k, _)| *k == rc.kind)
                .map(|(_, m)| m),
            part_before: self.part_before.as_deref(),
        }
    }

    /// The claim of figure `rc` at `start..end`, making `st`, in `unit`, with the
    /// markers that follow it.
    fn claim(&self, rc: claims::RawClaim, st: Statement, unit: &str, (start, end): (usize, usize)) -> Claim {
        let text = self.read.text;
        Claim {
            kind: rc.kind,
            text: text[start..end].to_string(),
            line: self.read.lines.line(start),
            start,
            end,
            value: rc.value,
            value_max: rc.value_max,
            unit: unit.to_string(),
            qualifier: rc.qualifier,
            direction: rc.direction,
            period: st.period,
            subject: st.subject,
            entities: self.entities.clone(),
            metric: st.metric,
            noun: rc.noun,
            measure: st.measure,
            sentence: self.read.sentence.clone(),
            citations: claim_citations(self.read.groups, end),
        }
    }
}

/// "$2bn (£1.06bn)", "30bn baht (£398m; $768m)": whether figure `rc` is the amount before
/// it converted into another currency, the same fact (`prev`: that amount's last token
/// and whether it converts one itself).
fn converts(
    toks: &[Tok],
    text: &str,
    prev: Option<(usize, bool)>,
    last_claim: Option<&(Claim, Timing)>,
    rc: &claims::RawClaim,
) -> bool {
    prev.is_some_and(|(last, was_conversion)| {
        last_claim.is_some_and(|(p, _)| {
            rc.kind == Kind::Money && p.kind == Kind::Money && p.unit != rc.unit && {
                let between: Vec<&str> = toks[last + 1..rc.first].iter().map(|t| t.text(text)).collect();
                // "$32.91bn, roughly £26bn" too: a comma and a word of rounding.
                let rounded = |w: &str| matches!(w, "about" | "roughly" | "around" | "some" | "approximately");
                between == ["("]
                    || matches!(between.as_slice(), ["(" | ",", w] if rounded(w))
                    || (was_conversion && between == [";"])
            }
        })
    })
}

/// "The Data Center segment. That business generated ...": the part of a business the
/// sentence before named, read only for a sentence `s` that may refer back to a part.
fn part_before(text: &str, s: &str, prev_unit: Option<&Unit>) -> Option<String> {
    let refers = ["business", "segment", "division", "unit", "arm"]
        .iter()
        .any(|p| s.contains(p));
    prev_unit
        .filter(|_| refers)
        .and_then(|p| measure::named_part(&text[p.start..p.end]))
}

/// "pesos" default to MXN; an article about another peso country gets its code.
fn peso_country(doc: &str, unit: &'static str, claim: &str) -> &'static str {
    if unit != "MXN" || !(claim.ends_with("pesos") || claim.ends_with("peso")) {
        return unit;
    }
    for (country, code) in [
        ("Colombia", "COP"),
        ("Argentin", "ARS"),
        ("Chile", "CLP"),
        ("Philippin", "PHP"),
        ("Mexic", "MXN"),
    ] {
        if doc.contains(country) {
            return code;
        }
    }
    unit
}

fn join(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// A sentence on one line: inner line breaks become spaces.
fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s.to_string()
    }
}

/// Words that open an appositive or a continuation of the clause before it ("..., an
/// increase of 28.8%", "..., to $32.91bn", "..., roughly £26bn"): a figure there shares
/// the period of that clause.
const APPOSITIVE_OPENERS: &[&str] = &[
    "a",
    "an",
    "up",
    "down",
    "to",
    "or",
    "roughly",
    "about",
    "around",
    "nearly",
    "some",
    "almost",
    "approximately",
];

/// The clause of every token: a new clause starts after `;` `:` `,` a dash or a bracket,
/// and at `while` `whereas` `but` `although`.
fn clause_ids(toks: &[Tok], text: &str, out: &mut Vec<usize>) {
    out.clear();
    let mut id = 0;
    out.extend(toks.iter().map(|t| {
        let s = t.text(text);
        let boundary = match t.kind {
            TokKind::Punct => matches!(s, ";" | ":" | "—" | "–" | "," | "(" | ")"),
            TokKind::Word => matches!(s, "while" | "whereas" | "but" | "although"),
            _ => false,
        };
        if boundary {
            id += 1;
        }
        id
    }));
}

/// The clause of the token that starts at or after byte `at`.
fn clause_at(toks: &[Tok], clauses: &[usize], at: usize) -> Option<usize> {
    toks.iter()
        .position(|t| t.start >= at)
        .and_then(|i| clauses.get(i).copied())
}

/// Words that introduce the base of a change ("up 62% from a year earlier", "compared with
/// last year", "versus the prior quarter"): a period after one is the time of the base, not
/// of the figure, unless the figure is itself inside the base phrase ("down from $1bn in
/// the fourth quarter of 2003"). `over` and `on` introduce a base only before a relative
/// period ("over the previous quarter", "on a year earlier"): "over the first three months
/// of 2024" is the figure's own time.
fn base_word(toks: &[Tok], text: &str, k: usize, p: &period::Period) -> bool {
    let w = |i: usize| {
        toks.get(i)
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| tokens::Lower::new(t.text(text)))
    };
    let Some(word) = w(k) else { return false };
    match word.as_str() {
        "since" | "than" | "versus" | "vs" | "against" => true,
        // "from October", "from 1 October", "from the beginning of October": when a change
        // or a price takes effect, not a base; "from January to March" is a span.
        "from" => {
            let takes_effect = matches!(p.rule, "month date" | "day month") && (k + 1 == p.first || k + 4 == p.first);
            let span = p.rule == "month range" && k + 1 == p.first;
            !(takes_effect || span)
        }
        "over" | "on" => p.rule == "relative",
        "with" | "to" => {
            k > 0 && w(k - 1).is_some_and(|v| matches!(v.as_str(), "compared" | "compares" | "comparison"))
        }
        _ => false,
    }
}

/// The token of the word that makes `p` the base of a change, if one does: the nearest
/// base word up to eight tokens before it in its clause.
fn base_of(toks: &[Tok], text: &str, clauses: &[usize], p: &period::Period) -> Option<usize> {
    let clause = clauses.get(p.first)?;
    (p.first.saturating_sub(8)..p.first)
        .rev()
        .take_while(|&k| clauses.get(k) == Some(clause))
        .find(|&k| base_word(toks, text, k, p))
}

/// "An increase on the current figure of £1,971", "up from the current level of £1,971":
/// the figure a few words after a base's period is that base, and the period is its time.
fn is_the_base(toks: &[Tok], text: &str, p: &period::Period, rc: &claims::RawClaim) -> bool {
    let between = toks.get(p.last + 1..rc.first).unwrap_or_default();
    let words = || between.iter().filter(|t| t.kind == TokKind::Word).map(|t| t.text(text));
    p.last < rc.first
        && between.len() <= 6
        && between.iter().all(|t| t.kind != TokKind::Num)
        && !words().any(|w| matches!(w.to_ascii_lowercase().as_str(), "to" | "at" | "by" | "and"))
}

/// The time a figure refers to, by clause: the nearest period in the figure's own clause;
/// else the period of an opening phrase that holds no figure ("In January 2023, ...");
/// else, for a figure in an appositive, the period of the clause before it. A duration
/// is a length, not a time, and takes none; a period introduced by a base word
/// ([`base_word`]) is the base a change is measured from, not the figure's time, unless
/// the figure stands between the two. Returns the period and whether it is such a base.
fn period_of(
    toks: &[Tok],
    text: &str,
    periods: &[period::Period],
    clauses: &[usize],
    (figure_clauses, figure_starts): (&[usize], &[usize]),
    rc: &claims::RawClaim,
) -> Option<(String, bool)> {
    if rc.kind == Kind::Duration {
        return None;
    }
    let clause_of = |i: usize| clauses.get(i).copied().unwrap_or(0);
    let to_figure = from_to_partner(toks, text, rc.first, rc.last);
    let base_figure = base_figure_of(toks, text, figure_starts, rc);
    // (period, is the base of a change)
    let usable: Vec<(&period::Period, bool)> = periods
        .iter()
        .filter(|p| to_figure.is_none_or(|k| p.first < k))
        .filter(|p| base_figure.is_none_or(|k| p.first < k))
        .filter_map(|p| match base_of(toks, text, clauses, p) {
            None => Some((p, false)),
            Some(k) if k < rc.first && rc.last < p.first => Some((p, true)),
            Some(_) if is_the_base(toks, text, p, rc) => Some((p, false)),
            Some(_) => None,
        })
        .collect();
    let in_clause = |c: usize| -> Vec<(&period::Period, bool)> {
        usable
            .iter()
            .copied()
            .filter(|(p, _)| clause_of(p.first) == c)
            .collect()
    };
    let own = clause_of(rc.first);
    let here = in_clause(own);
    if !here.is_empty() {
        return nearest_period(&here, rc.first, rc.last);
    }
    // An opening phrase with a period and no figure sets the time of the whole sentence.
    let first_clause = clause_of(0);
    if own != first_clause && !figure_clauses.contains(&first_clause) {
        let opening = in_clause(first_clause);
        if !opening.is_empty() {
            return nearest_period(&opening, rc.first, rc.last);
        }
    }
    // "..., an increase of 28.8%": the appositive shares the clause before it.
    let opener = toks
        .iter()
        .enumerate()
        .find(|&(i, t)| clause_of(i) == own && t.kind == TokKind::Word)
        .map(|(_, t)| t.text(text));
    if own > first_clause && opener.is_some_and(|w| APPOSITIVE_OPENERS.iter().any(|o| o.eq_ignore_ascii_case(w))) {
        let before = in_clause(own - 1);
        if !before.is_empty() {
            return nearest_period(&before, rc.first, rc.last);
        }
    }
    // "Acme sold 386,810 in Q1, while Globex sold 300,114": a contrasting clause without a
    // time of its own shares the time of the clause it answers.
    // "... last October, when it rose to £1,277": a "when" clause is set at the time named
    // before it.
    if opener.is_some_and(|w| matches!(w, "while" | "whereas" | "when")) {
        let answered = (first_clause..own).rev().map(in_clause).find(|c| !c.is_empty());
        if let Some(before) = answered {
            return nearest_period(&before, rc.first, rc.last);
        }
    }
    // "From £2,100 to £3,764" with no time for the first: it is the level before the change.
    to_figure.map(|_| (Span::Relative(Relative::Before).to_string(), true))
}

/// A figure of an economy is about a place: the one its sentence names (keys look for the
/// article's or its story's when it names none). A name of the sentence that is no place
/// and predicts the figure ("Citigroup warned it could hit 18.6%") made the forecast; a
/// name that states it ("the central bank's rate of 4.75%") stays its subject.
fn economy_subject(subject: Option<String>, m: &mut crate::model::Measure, entities: &[String]) -> Option<String> {
    if let Some(place) = entities.iter().find_map(|e| places::place_of(e)) {
        return Some(place.to_string());
    }
    let predicted = matches!(
        m.status,
        crate::model::Status::Forecast | crate::model::Status::Estimate
    );
    match subject {
        Some(named) if predicted && m.by.is_none() && entities.contains(&named) => {
            m.by = Some(named);
            None
        }
        Some(named) if predicted && m.by.as_ref() == Some(&named) => None,
        other => other,
    }
}

/// For a change, the first token of the figure it is measured from, when one follows it:
/// "fell 43% from its record high of 526,409 units sold in Q4" (Q4 is when the 526,409
/// were sold, not the time of the fall).
fn base_figure_of(toks: &[Tok], text: &str, figure_starts: &[usize], rc: &claims::RawClaim) -> Option<usize> {
    rc.direction?;
    let next = *figure_starts.iter().find(|&&f| f > rc.last)?;
    let opens = |t: &Tok| {
        t.kind == TokKind::Word
            && matches!(
                tokens::Lower::new(t.text(text)).as_str(),
                "from" | "than" | "versus" | "vs"
            )
    };
    (next - rc.last <= 10 && toks.get(rc.last + 1..next).is_some_and(|b| b.iter().any(opens))).then_some(next)
}

/// For the first figure of "from £1,971 to £3,549 in October", the token of "to": the
/// times written after it are the second figure's (the first is the level before).
fn from_to_partner(toks: &[Tok], text: &str, first: usize, last: usize) -> Option<usize> {
    let word = |i: usize| toks.get(i).filter(|t| t.kind == TokKind::Word).map(|t| t.text(text));
    let from = first
        .checked_sub(1)
        .and_then(word)
        .is_some_and(|w| w.eq_ignore_ascii_case("from"));
    let to = last + 1;
    let figure_after = toks
        .get(to + 1)
        .is_some_and(|t| t.kind == TokKind::Num || t.text(text).starts_with(['$', '£', '€', '¥']));
    (from && word(to).is_some_and(|w| w.eq_ignore_ascii_case("to")) && figure_after).then_some(to)
}

/// The period nearest to the claim's tokens, with whether it is a base.
fn nearest_period(periods: &[(&period::Period, bool)], first: usize, last: usize) -> Option<(String, bool)> {
    periods
        .iter()
        .min_by_key(|(p, _)| {
            if p.first > last {
                p.first - last
            } else if p.last < first {
                // A period before the figure is a little further than one after it.
                first - p.last + 1
            } else {
                0
            }
        })
        .map(|(p, base)| (p.value.clone(), *base))
}

/// Whether a sentence without figures may name a quarter or fiscal period (a cheap test
/// before tokenizing it).
fn names_a_span(s: &str) -> bool {
    ["quarter", "Quarter", "fiscal", "Fiscal"].iter().any(|w| s.contains(w))
}

/// Counts the quarters, halves and fiscal years a sentence without figures names towards
/// the article's reporting period ("Nvidia reported third-quarter results"), unless it
/// speaks of the future or names them as a base.
fn note_spans(reporting: &mut period::Reporting, toks: &[Tok], text: &str, cx: period::Context) {
    if period::is_future(toks, text) {
        return;
    }
    let mut clauses = Vec::new();
    clause_ids(toks, text, &mut clauses);
    for p in period::periods(toks, text, cx) {
        let span = crate::normalise::Period::parse(&p.value);
        if span.is_some_and(|s| s.is_reporting_span() || matches!(s, crate::normalise::Period::Bare(_)))
            && base_of(toks, text, &clauses, &p).is_none()
        {
            reporting.note(&p.value, toks.first().map_or(0, |t| t.start), false);
        }
    }
}

/// Whether a sentence is about a share price ("Shares fell 5%"): a price move is dated by
/// its trading day, not by the span the article reports, so its figures take no reporting
/// period.
fn about_share_price(toks: &[Tok], text: &str) -> bool {
    toks.iter()
        .filter(|t| t.kind == TokKind::Word)
        .any(|t| matches!(tokens::Lower::new(t.text(text)).as_str(), "shares" | "stock" | "stocks"))
}

/// How a held claim takes the article's reporting period ([`period::resolve`]).
#[derive(Debug, Clone, Copy)]
struct Timing {
    /// It may take the reporting period when it states none (not a duration).
    inherit: bool,
    /// Its sentence speaks of the future.
    future: bool,
    /// For a change "since" a quarter ("up 36% from the first quarter of 2023"), that
    /// quarter: with the figure's own quarter, known once its period is resolved, the
    /// change is year on year or sequential ([`measure::change_against`]).
    base_quarter: Option<u8>,
}

/// A claim's period resolved against the reporting period, and a change from a base
/// quarter named against its own quarter.
fn resolve_claim(claim: &mut Claim, rep: Option<&crate::normalise::Period>, t: Timing) {
    claim.period = period::resolve(claim.period.as_deref(), rep, t.inherit, t.future);
    let own = claim.period.as_deref().and_then(period::quarter_of);
    if let (Some(base), Some(own)) = (t.base_quarter, own)
        && claim.measure.change == Some(crate::model::Change::Since)
        && let Some(change) = measure::change_against(own, base)
    {
        claim.measure.change = Some(change);
    }
}

/// At most this many claims wait for the article's reporting period; past it the period is
/// decided from the figures seen so far, so a file with a million claims never holds
/// them all.
const HOLD_MAX: usize = 4096;

/// Claims held until the article's reporting period is known (the end of the article, or
/// [`HOLD_MAX`] claims), then resolved ([`period::resolve`]) and handed on in order.
struct Held<'f> {
    waiting: Vec<(Claim, Timing)>,
    reporting: period::Reporting,
    decided: Option<Option<crate::normalise::Period>>,
    on_claim: &'f mut dyn FnMut(Claim),
}

impl<'f> Held<'f> {
    fn new(on_claim: &'f mut dyn FnMut(Claim)) -> Self {
        Held {
            waiting: Vec::new(),
            reporting: period::Reporting::default(),
            decided: None,
            on_claim,
        }
    }

    fn push(&mut self, mut claim: Claim, t: Timing) {
        match &self.decided {
            Some(rep) => {
                resolve_claim(&mut claim, rep.as_ref(), t);
                (self.on_claim)(claim);
            }
            None => {
                self.waiting.push((claim, t));
                if self.waiting.len() >= HOLD_MAX {
                    self.flush();
                }
            }
        }
    }

    /// Decides the reporting period and hands on every waiting claim.
    fn flush(&mut self) {
        let rep = self.decided.get_or_insert_with(|| self.reporting.period()).clone();
        for (mut claim, t) in self.waiting.drain(..) {
            resolve_claim(&mut claim, rep.as_ref(), t);
            (self.on_claim)(claim);
        }
    }
}

/// The markers a claim carries: the first group after it in its sentence, else all.
fn claim_citations(groups: &[citations::MarkerGroup], end: usize) -> Vec<u32> {
    if let Some(g) = groups.iter().find(|g| g.start >= end) {
        return g.markers.clone();
    }
    let mut all: Vec<u32> = groups.iter().flat_map(|g| g.markers.iter().copied()).collect();
    all.dedup();
    all
}

/// Capitalised words that are not names on their own.
const COMMON_CAPS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "If",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "For",
    "From",
    "With",
    "By",
    "As",
    "After",
    "Before",
    "While",
    "When",
    "Where",
    "What",
    "Why",
    "How",
    "Who",
    "Which",
    "So",
    "Yet",
    "Also",
    "However",
    "Meanwhile",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    // Months as news abbreviates them ("early Jan", "Sept. 9").
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "FY",
    "Year",
    "Shares",
    "Sales",
    "Revenue",
    "Analysts",
    "More",
    "Less",
    "About",
    "Some",
    "Over",
    "Under",
    "Nearly",
    "Almost",
    "Around",
    "Up",
    "Down",
    "Both",
    "Each",
    "Every",
    "All",
    "No",
    "Not",
    "Only",
    "Just",
    "Even",
    "Still",
    "Now",
    "Then",
    "Today",
    "Last",
    "Next",
    "First",
    "Second",
    "Third",
    "Excluding",
    "Including",
    "Despite",
    "Since",
    "Until",
    "Key",
    "Takeaways",
    "Sources",
    "Notes",
    "References",
    "Analysis",
    "Update",
    "Capital",
    "Market",
    "Rivals",
    "Either",
    "None",
    "Take",
    "Exclusive",
    "Other",
    "Many",
    "Most",
    "Such",
    "Its",
    "Our",
    "Your",
    "My",
    "Chief",
    "Executive",
    // "Chief Executive Officer Elon Musk", "Vice President Ana Lim": a title before a
    // person's name is not part of it.
    "Officer",
    "President",
    "Vice",
    "Chairman",
    "Chairwoman",
];

/// The words an article writes in lower case somewhere: a capitalised run made only of
/// them is a common phrase opening a sentence or set in title case ("Energy bills",
/// "Data Center"), not a name. Acronyms the article spells out in lower-case words
/// ("battery electric vehicles (BEVs)") are common nouns too.
type Common<'t> = tokens::FastSet<&'t str>;

fn common_words(text: &str) -> Common<'_> {
    let mut common: Common = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
        .collect();
    for (open, _) in text.match_indices('(') {
        if let Some(acronym) = spelled_out_acronym(text, open) {
            common.insert(acronym);
        }
    }
    common
}

/// The acronym in brackets at byte `open` when the words before it, all in lower case,
/// spell it out: "electric vehicle (EV)", "plug-in hybrids (PHEVs)" by their initials.
/// A name spelled out in capitals ("Office for National Statistics (ONS)") stays a name.
fn spelled_out_acronym(text: &str, open: usize) -> Option<&str> {
    let rest = &text[open + 1..];
    let inner = &rest[..rest.find(')').filter(|&n| n <= 8)?];
    let letters = inner.strip_suffix('s').unwrap_or(inner);
    if letters.len() < 2 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let before = text[..open].trim_end();
    let mut from = before.len().saturating_sub(80);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let tail = &before[from..];
    let tail = tail.trim_start_matches(|c: char| !c.is_whitespace());
    let spelled = |words: Vec<&str>| {
        let k = letters.len();
        words.len() >= k
            && words[words.len() - k..]
                .iter()
                .zip(letters.bytes())
                .all(|(w, b)| w.starts_with(|c: char| c.is_lowercase()) && w.as_bytes()[0].eq_ignore_ascii_case(&b))
    };
    let by_space = tail.split_whitespace().collect();
    let by_hyphen = tail.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    (spelled(by_space) || spelled(by_hyphen)).then_some(letters)
}

/// Whether `word` is written in lower case elsewhere in the article, or is an acronym it
/// spells out (in the singular or plural).
fn is_common(common: &Common, word: &str) -> bool {
    let singular = word
        .strip_suffix('s')
        .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_uppercase()));
    if common.contains(word) || singular.is_some_and(|w| common.contains(w)) {
        return true;
    }
    let lower = word.to_lowercase();
    common.contains(lower.as_str())
}

/// Entities of one sentence: the alias table's, then capitalised names it does not know.
fn mentions(
    toks: &[Tok],
    text: &str,
    u: &Unit,
    lex: &Lexicon,
    (known, common): (&mut Vec<String>, &Common),
) -> Vec<Mention> {
    let mut out = known_mentions(text, u, lex);
    // Unknown names: runs of capitalised words, not in a heading set in title case.
    if !title_case(toks, text, u) {
        let names = Names { toks, text, u, common };
        let mut i = 0;
        while i < toks.len() {
            i = names.guess_at(i, &mut out, known);
        }
    }
    out.sort_by_key(|m| m.start);
    for m in &mut out {
        m.roles(text);
    }
    out
}

/// The mentions of a sentence the alias table knows (a product with its owner).
fn known_mentions(text: &str, u: &Unit, lex: &Lexicon) -> Vec<Mention> {
    let mut found = Vec::new();
    lex.find_entities(text, u.start, u.end, &mut found);
    found
        .iter()
        .map(|&(s, e, idx)| {
            let ent = &lex.entities[idx];
            Mention {
                start: s,
                end: e,
                name: ent.name.clone(),
                owner: ent.owner.clone(),
                possessive: possessive_at(text, u, e),
                known: true,
                roles: Roles::default(),
            }
        })
        .collect()
}

/// "Microsoft's", "Visa’ ": whether a name ending at byte `end` of unit `u` is possessive.
fn possessive_at(text: &str, u: &Unit, end: usize) -> bool {
    let rest = &text[end..u.end];
    rest.starts_with("'s") || rest.starts_with("’s") || rest.starts_with("' ") || rest.starts_with("’ ")
}

/// Whether a unit is set in title case (a heading, or three words or more with six in
/// ten capitalised): its capitals then make no names.
fn title_case(toks: &[Tok], text: &str, u: &Unit) -> bool {
    let words = toks.iter().filter(|t| t.kind == TokKind::Word).count();
    let caps = toks
        .iter()
        .filter(|t| t.kind == TokKind::Word && t.text(text).chars().next().is_some_and(char::is_uppercase))
        .count();
    u.kind == UnitKind::Heading || (words >= 3 && caps * 10 >= words * 6)
}

/// Words after a lone capitalised word opening a sentence that make it a name
/// ("Colombia has ...").
const OPENING_VERBS: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "said",
    "says",
    "will",
    "would",
    "plans",
    "reported",
    "announced",
    "expects",
    "posted",
    "sold",
    "made",
    "bought",
    "agreed",
    "signed",
    "holds",
    "owns",
    "employs",
    "raised",
    "may",
    "might",
    "could",
    "can",
    "must",
    "should",
];

/// The tokens of one sentence, read for names the alias table does not know: runs of
/// capitalised words (tokens `i..=j` of a run, `last` its last token with a number).
struct Names<'s, 'c> {
    toks: &'s [Tok],
    text: &'s str,
    u: &'s Unit,
    common: &'s Common<'c>,
}

/// Whether no mention of `out` covers the token `n`.
fn free(out: &[Mention], n: &Tok) -> bool {
    !out.iter().any(|m| m.start <= n.start && n.start < m.end)
}

impl Names<'_, '_> {
    /// "Acme", "BYD": a capitalised word that may be part of a name (not a stop word or a
    /// plural acronym).
    fn is_cap(&self, t: &Tok) -> bool {
        let s = t.text(self.text);
        if t.kind != TokKind::Word
            || !s.starts_with(|c: char| c.is_uppercase())
            || STOP_NAMES.contains(s)
            || plural_acronym(s)
        {
            return false;
        }
        s.chars().next().is_some_and(char::is_uppercase) && s.chars().any(char::is_lowercase)
            || s.len() >= 2 && s.len() <= 5 && s.chars().all(|c| c.is_ascii_uppercase())
    }

    /// Whether token `k` is a capitalised word no mention of `out` covers.
    fn free_cap(&self, k: usize, out: &[Mention]) -> bool {
        self.toks.get(k).is_some_and(|n| self.is_cap(n) && free(out, n))
    }

    /// Reads a guessed name at token `i` into `out`, and returns the token to go on from.
    fn guess_at(&self, i: usize, out: &mut Vec<Mention>, known: &mut Vec<String>) -> usize {
        let t = &self.toks[i];
        let negated = entities::negated(&self.text[self.u.start..t.start]);
        if !self.is_cap(t) || negated || out.iter().any(|m| m.start <= t.start && t.start < m.end) {
            return i + 1;
        }
        let j = self.run_end(i, out);
        let last = self.name_end(j, out);
        let sentence_start = i == 0 || self.toks[..i].iter().all(|t| t.kind != TokKind::Word);
        let (s, e) = (t.start, self.toks[last].end);
        let poss = possessive_at(self.text, self.u, e);
        // "Energy bills rose", "Data Center revenue": words the article also writes in
        // lower case make no name; "Regulator Ofgem said": nor do they open one.
        let caps = || (self.toks[i..=j].iter().filter(|t| self.is_cap(t))).map(|t| t.text(self.text));
        let common_run = caps().all(|w| is_common(self.common, w));
        let s = match caps().next() {
            Some(w) if j > i && sentence_start && is_common(self.common, w) => self.toks[i + 1].start,
            _ => s,
        };
        if (!sentence_start || last > i || poss || self.lone_name(i, j)) && !self.not_a_name(i, j, last) && !common_run
        {
            push_guess(out, known, (&self.text[s..e], j > i), (s, e), poss);
        }
        last + 1
    }

    /// The last token of the run of capitalised words from token `i`: "Bank of England",
    /// "Office for National Statistics" are one name.
    fn run_end(&self, i: usize, out: &[Mention]) -> usize {
        let (toks, text) = (self.toks, self.text);
        let mut j = i;
        loop {
            if self.free_cap(j + 1, out) {
                j += 1;
            } else if INSTITUTIONS.contains(&toks[j].text(text))
                && toks
                    .get(j + 1)
                    .is_some_and(|n| matches!(n.text(text), "of" | "for") && n.kind == TokKind::Word)
                && self.free_cap(j + 2, out)
            {
                // "Bank of England", "Office for National Statistics": one name.
                j += 2;
            } else {
                break;
            }
        }
        j
    }

    /// The last token of the name of a run ending at token `j`, with a number that is part
    /// of it.
    fn name_end(&self, j: usize, out: &[Mention]) -> usize {
        let (toks, text) = (self.toks, self.text);
        // "Doom 3", "Nikkei 225": a short number right after a guessed name is part of it,
        // when a verb or nothing follows the number ("Between 10 and 12" is no name).
        let mut last = j;
        let short_number = |n: &Tok| {
            n.kind == TokKind::Num
                && n.space_before
                && n.text(text).len() <= 3
                && n.text(text).bytes().all(|b| b.is_ascii_digit())
        };
        if toks.get(j + 1).is_some_and(short_number)
            && toks
                .get(j + 2)
                .is_none_or(|n| n.kind == TokKind::Word && is_verbish(n.text(text)))
        {
            last = j + 1;
        } else if toks.get(j + 1).is_some_and(short_number) && self.free_cap(j + 2, out) {
            // "Pier 1 Imports": a name that goes on after its number.
            last = j + 2;
            while self.free_cap(last + 1, out) {
                last += 1;
            }
        }
        last
    }

    /// Whether the run `i..=j` (name up to `last`) is no name: a product generation, a
    /// hyphenated word or an adjective of nationality.
    fn not_a_name(&self, i: usize, j: usize, last: usize) -> bool {
        let (toks, text) = (self.toks, self.text);
        // "Paris-based", "French start-up": an adjective, not a name.
        let hyphenated = toks.get(j + 1).is_some_and(|n| !n.space_before && n.text(text) == "-");
        let adjective = j == i
            && is_demonym(toks[i].text(text))
            && toks
                .get(j + 1)
                .is_some_and(|n| n.kind == TokKind::Word && n.text(text).starts_with(char::is_lowercase));
        let multi_adjective = j > i
            && ["ese", "ish", "ian", "ean"]
                .iter()
                .any(|x| toks[j].text(text).ends_with(x));
        self.is_product(i, j, last) || hyphenated || adjective || multi_adjective
    }

    /// "Model 3 sedans", "Model Y crossover": one word and a one-character designation
    /// that no verb follows names a product generation, not the organisation a figure is
    /// about (an index's "FTSE 100" or "Nikkei 225" stays a name).
    fn is_product(&self, i: usize, j: usize, last: usize) -> bool {
        let (toks, text) = (self.toks, self.text);
        let designation = |n: &Tok| {
            n.space_before
                && n.text(text).len() == 1
                && n.text(text)
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() && !b.is_ascii_lowercase())
        };
        j == i
            && last == j
            && toks.get(j + 1).is_some_and(designation)
            && !toks.get(j + 2).is_some_and(|n| n.space_before && self.is_cap(n))
    }

    /// Whether a lone capitalised word `i` (run `i..=j`) opening a sentence is a name: one
    /// before its verb, with an appositive, or an acronym.
    fn lone_name(&self, i: usize, j: usize) -> bool {
        let (toks, text) = (self.toks, self.text);
        let t = &toks[i];
        // "Colombia has ...": a lone name opening a sentence, before its verb.
        let before_verb = j == i
            && toks
                .get(j + 1)
                .is_some_and(|n| n.kind == TokKind::Word && OPENING_VERBS.contains(&n.text(text)))
            && (mid_sentence(text, t.text(text)) || looks_like_a_name(self.common, t.text(text)));
        // "Nscale, the London-based developer, ...": a lone word with an appositive.
        // "BYD also fell": a lone acronym opening a sentence is a name.
        let acronym =
            j == i && (2..=5).contains(&t.text(text).len()) && t.text(text).bytes().all(|b| b.is_ascii_uppercase());
        let appositive = j == i
            && toks.get(j + 1).is_some_and(|n| n.text(text) == ",")
            && toks
                .get(j + 2)
                .is_some_and(|n| matches!(n.text(text), "the" | "a" | "an"));
        before_verb || appositive || acronym
    }
}

/// Adds a guessed name (`several`: of more than one word) at `s..e` to `out`; a name of
/// several words is kept in `known`.
fn push_guess(
    out: &mut Vec<Mention>,
    known: &mut Vec<String>,
    (name, several): (&str, bool),
    (s, e): (usize, usize),
    possessive: bool,
) {
    let mut name = name.to_string();
    // "Mitsubishi" after "Mitsubishi Motors" folds into it.
    if let Some(full) = known
        .iter()
        .find(|k| k.len() > name.len() && k.starts_with(&name) && k.as_bytes()[name.len()] == b' ')
    {
        name = full.clone();
    } else if several && !known.contains(&name) {
        known.push(name.clone());
    }
    out.push(Mention {
        start: s,
        end: e,
        name,
        owner: None,
        possessive,
        known: false,
        roles: Roles::default(),
    });
}

/// Head words of institutions whose names go on with "of" or "for" ("Bank of England").
const INSTITUTIONS: &[&str] = &[
    "Bank",
    "University",
    "Office",
    "Institute",
    "Association",
    "Department",
    "Ministry",
    "Council",
    "Federation",
    "Organisation",
    "Organization",
    "Fund",
    "Board",
    "Commission",
    "Authority",
    "Agency",
    "Society",
    "Union",
    "League",
    "Bureau",
    "Court",
    "School",
    "College",
    "Museum",
    "Party",
    "Republic",
    "Exchange",
    "Chamber",
    "Confederation",
    "Centre",
    "Center",
    "Academy",
    "Foundation",
    "Corporation",
    "Secretary",
    "Minister",
];

/// Words that may follow a name as its verb ("Doom 3 was developed").
fn is_verbish(w: &str) -> bool {
    matches!(
        w,
        "is" | "was"
            | "were"
            | "are"
            | "has"
            | "had"
            | "have"
            | "will"
            | "would"
            | "may"
            | "might"
            | "can"
            | "could"
            | "said"
            | "says"
            | "sold"
            | "took"
            | "made"
    ) || w.ends_with("ed")
}

/// Capitalised words that never make a name, as one set.
static STOP_NAMES: LazyLock<tokens::WordSet> =
    LazyLock::new(|| COMMON_CAPS.iter().chain(NOT_ENTITIES).copied().collect());

/// Acronyms and units that look like names but are not organisations.
const NOT_ENTITIES: &[&str] = &[
    "AI", "GPU", "GPUs", "CPU", "CPUs", "TPU", "TPUs", "API", "APIs", "CEO", "CFO", "COO", "CTO", "IPO", "TWh", "GWh",
    "MWh", "GW", "MW", "PBC", "LLC", "PLC", "Inc", "Ltd", "GDP", "PC", "PCs", "ETF", "OK", "TV", "DVD", "CD", "PE",
    "EPS", "YoY", "QoQ", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "FY", "AGM", "EBITDA", "RPO", "ARR", "SaaS", "GAAP",
    "IFRS", "ESG", "EV", "BEV", "BEVs", "PHEV", "PHEVs", "SUV", "CPI", "RPI", "VAT", "ROI", "KPI", "FX", "USD", "GBP",
    "EUR",
];

/// An acronym in the plural ("EVs", "SUVs", "CEOs"): a common noun, not a name.
pub fn plural_acronym(w: &str) -> bool {
    w.strip_suffix('s')
        .is_some_and(|a| a.len() >= 2 && a.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The name a title is about when the alias table knows none of its words: the run
/// of capitalised words (not the common ones) that the article repeats most, if it
/// repeats one at all.
fn title_name(title: &str, doc: &str, common: &Common) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    let mut runs: Vec<&str> = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    for (i, w) in title.split_word_bound_indices() {
        let name_word = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() > 1
            && !STOP_NAMES.contains(w)
            && !is_demonym(w);
        if name_word {
            start.get_or_insert(i);
            end = i + w.len();
        } else if w.trim().is_empty() && start.is_some() {
            continue;
        } else if let Some(st) = start.take() {
            runs.push(title[st..end].trim());
        }
    }
    if let Some(st) = start {
        runs.push(title[st..end].trim());
    }
    for r in runs {
        let r = r.trim_end_matches("'s").trim_end_matches("’s");
        // A run opening the title may be an ordinary word in title position.
        if title.trim_start().starts_with(r) && !mid_sentence(doc, r) || r.split(' ').all(|w| is_common(common, w)) {
            continue;
        }
        let n = doc.matches(r).count();
        if n >= 2 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, r));
        }
    }
    best.map(|(_, r)| r.to_string())
}

/// Whether `word` appears in the article after a lower-case word (so it is a name
/// even where it opens a sentence).
/// Endings of English common nouns that open sentences ("Inflation has", "Spending was",
/// "Unemployment is", "Prices have"): such a word is no name, even when the article never
/// writes it in lower case.
const NOUN_ENDINGS: &[&str] = &[
    "s", "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ing", "ure", "age", "ship", "ism", "ery", "ist",
];

/// Common nouns that open news sentences before a verb without a telling ending.
const SENTENCE_NOUNS: &[&str] = &[
    "Demand",
    "Growth",
    "Revenue",
    "Profit",
    "Trade",
    "Oil",
    "Gold",
    "Energy",
    "Food",
    "Rent",
    "Output",
    "Debt",
    "Gas",
    "Power",
    "Water",
    "Money",
    "Cash",
    "Income",
    "Capital",
    "Labour",
    "Labor",
    "Housing",
    "Inflation",
    "Government",
    "Everyone",
    "Everything",
    "Nobody",
    "Nothing",
    "Someone",
    "Something",
    "Each",
    "Either",
    "Neither",
    "Another",
    "Other",
    "Most",
    "Half",
    "Much",
    "Many",
    "Few",
    "Both",
    "All",
    "None",
    "Some",
    "Any",
    "Such",
    "Total",
    "Net",
    "Gross",
    "Overall",
    "Average",
    "Spend",
    "Tax",
    "Pay",
    "Work",
    "Business",
    "Nor",
    "Worse",
    "Better",
    "Women",
    "Men",
    "People",
    "Media",
    "Children",
    "Staff",
    "Police",
    "Data",
    "Traffic",
];

/// Whether a capitalised word opening a sentence before a verb ("Ofgem has confirmed")
/// is a name, though the article never writes it mid-sentence: it is not a word the
/// article writes in lower case, nor one with a common noun's ending or use.
fn looks_like_a_name(common: &Common, word: &str) -> bool {
    word.len() >= 3
        && !is_common(common, word)
        && !NOUN_ENDINGS.iter().any(|e| word.ends_with(e))
        && !SENTENCE_NOUNS.contains(&word)
        && !STOP_NAMES.contains(word)
}

fn mid_sentence(doc: &str, word: &str) -> bool {
    doc.match_indices(word).any(|(at, _)| {
        let head = doc[..at].trim_end_matches(' ');
        head.len() < at && head.ends_with(|c: char| c.is_lowercase() || c == ',')
    })
}

/// Words after which a name is an object, not the actor of the sentence.
const PREPOSITIONS: &[&str] = &[
    "excluding",
    "except",
    "without",
    "from",
    "with",
    "to",
    "of",
    "into",
    "than",
    "versus",
    "vs",
    "against",
    "at",
    "on",
    "through",
    "via",
    "including",
    "like",
    "over",
    "behind",
    "between",
    "among",
];

/// Nationality and regional adjectives ("French", "European", "Nordic").
fn is_demonym(w: &str) -> bool {
    ["ish", "ese", "ian", "ean", "ic", "an", "ch"]
        .iter()
        .any(|s| w.ends_with(s))
        && w.len() > 4
}

/// The first alias-table entity of a unit (owner for a product).
fn first_known(lex: &Lexicon, text: &str, u: &Unit) -> Option<String> {
    let mut m = Vec::new();
    lex.find_entities(text, u.start, u.end, &mut m);
    // "export controls on China": a name after a preposition is an object, not what the
    // sentence is about.
    let actor = m
        .iter()
        .find(|&&(start, _, _)| !PREPOSITIONS.contains(&prev_word(text, start).as_str()));
    actor.map(|&(_, _, e)| {
        let ent = &lex.entities[e];
        ent.owner.clone().unwrap_or_else(|| ent.name.clone())
    })
}

/// The entity a claim at `start..end` is about: a possessor right before it, an agent
/// after it ("by Amazon"), the first known entity before it in its clause or sentence,
/// a guessed name there, the article's running topic, else an entity after it.
fn subject_of<'a>(
    toks: &[Tok],
    text: &str,
    mentions: &[Mention],
    (start, end): (usize, usize),
    kind: Kind,
    topic: Option<&str>,
    anaphor: &dyn Fn() -> Option<&'a str>,
) -> Option<String> {
    let (percent, count) = (kind == Kind::Percent, kind == Kind::Count);
    if mentions.is_empty() {
        return topic.map(str::to_string);
    }
    let f = Figure {
        toks,
        text,
        mentions,
        start,
        end,
    };
    let named = (percent.then(|| f.share_of_possessor()).flatten())
        .or_else(|| f.possessor())
        .or_else(|| count.then(|| f.owner_of_counted()).flatten())
        .or_else(|| f.agent());
    if let Some(m) = named {
        return Some(m.subject_name().to_string());
    }
    let clause_start = clause_start(toks, text, start);
    if let Some(m) = f.relative_head(clause_start).or_else(|| f.relative_without_comma()) {
        return Some(m.subject_name().to_string());
    }
    // Left out of the figure, a place-of-origin modifier, or after a preposition: not the
    // actor ([`Mention::roles`]).
    let topic = topic.filter(|t| !mentions.iter().any(|m| m.roles.excluded && m.subject_name() == *t));
    if let Some(m) = f.linked_name_before().or_else(|| f.relative_agent()) {
        return Some(m.subject_name().to_string());
    }
    f.stand_in(clause_start, topic, anaphor)
        .or_else(|| f.nearest_name(clause_start, topic))
}

/// A figure at bytes `start..end` of a sentence and the sentence's mentions, for the
/// subject rules ([`subject_of`]).
struct Figure<'s> {
    toks: &'s [Tok],
    text: &'s str,
    mentions: &'s [Mention],
    start: usize,
    end: usize,
}

/// Whether a mention may act: not left out of the figure, a place-of-origin modifier, or
/// after a preposition ([`Mention::roles`]).
fn acts(m: &Mention) -> bool {
    !m.roles.excluded && !m.roles.modifier && !m.roles.after_preposition
}

impl<'s> Figure<'s> {
    /// "45% of Microsoft's backlog", "27% of the world's population": a share of what a
    /// possessor has is about the possessor.
    fn share_of_possessor(&self) -> Option<&'s Mention> {
        let (text, end) = (self.text, self.end);
        (self.mentions.iter())
            .find(|m| m.start >= end && m.possessive && matches!(text[end..m.start].trim(), "of" | "of the"))
    }

    /// "Microsoft's $1 billion investment", "of Microsoft's $281 billion backlog"
    fn possessor(&self) -> Option<&'s Mention> {
        let start = self.start;
        (self.mentions.iter())
            .rev()
            .find(|m| m.end <= start && m.possessive && start - m.end <= 8)
    }

    /// "1,500 Microsoft customers", "137 million US users": a name between a count and
    /// its noun says whose the counted things are.
    fn owner_of_counted(&self) -> Option<&'s Mention> {
        let (text, end) = (self.text, self.end);
        // One space or one line break (a CRLF is two bytes).
        let m = self.mentions.iter().find(|m| m.start >= end && m.start - end <= 2)?;
        (text[end..m.start].chars().all(char::is_whitespace)
            && !m.possessive
            && text[m.end..]
                .strip_prefix(' ')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_lowercase())))
        .then_some(m)
    }

    /// "... investment by Amazon" (not "raised €1.7bn in September in a round led by
    /// ASML")
    fn agent(&self) -> Option<&'s Mention> {
        let end = self.end;
        let m = self.mentions.iter().find(|m| m.start >= end && m.start - end <= 40)?;
        let mut between = self.text[end..m.start].split_whitespace();
        let last = between.next_back();
        (between.count() < 3 && last == Some("by")).then_some(m)
    }

    /// "ASML, which contributed €1.3bn": the name a relative clause (from byte
    /// `clause_start`) hangs on.
    fn relative_head(&self, clause_start: usize) -> Option<&'s Mention> {
        let text = self.text;
        let opener = text[clause_start..self.start].split_whitespace().next();
        if !matches!(opener, Some("which" | "who")) {
            return None;
        }
        let before = text[..clause_start].trim_end_matches(|c: char| c.is_whitespace() || c == ',');
        self.mentions.iter().rev().find(|m| m.end == before.len())
    }

    /// "ahead of BYD which sold about 300,000": the same without the comma, the figure a
    /// few words into the relative clause and no other name between.
    fn relative_without_comma(&self) -> Option<&'s Mention> {
        let m = self.mentions.iter().rev().find(|m| m.end <= self.start)?;
        let rest = self.text[m.end..self.start].trim_start();
        let words = rest.split_whitespace().count();
        (matches!(rest.split_whitespace().next(), Some("which" | "who"))
            && words <= 6
            && !rest.contains(['.', ';', ',']))
        .then_some(m)
    }

    /// "... and Nvidia up to $10 billion", "Google about 13%", "$AMZN is up 7%": a name
    /// right before the figure, with at most a few qualifier or linking words between.
    fn linked_name_before(&self) -> Option<&'s Mention> {
        let m = (self.mentions.iter().rev())
            .find(|m| m.end <= self.start)
            .filter(|m| !m.possessive && acts(m))?;
        let between = &self.text[m.end..self.start];
        let mut words = between.split_whitespace();
        (words.clone().nth(3).is_none()
            && between
                .chars()
                .all(|c| c.is_alphabetic() || c.is_whitespace() || c == '-')
            && words.all(|w| LINK_WORDS.iter().any(|l| l.eq_ignore_ascii_case(w))))
        .then_some(m)
    }

    /// "the $281.3 billion backlog that Microsoft disclosed": the agent of a relative
    /// clause on the figure's noun.
    fn relative_agent(&self) -> Option<&'s Mention> {
        let end = self.end;
        let m = (self.mentions.iter()).find(|m| m.known && m.start >= end && m.start - end <= 60)?;
        // At most four words: the noun (one to three words) and the relative pronoun.
        let mut words = [""; 4];
        let mut n = 0;
        for w in self.text[end..m.start].split_whitespace() {
            if n == words.len() {
                n = usize::MAX;
                break;
            }
            words[n] = w;
            n += 1;
        }
        let (rel, noun) = words.get(..n).and_then(<[&str]>::split_last)?;
        ((rel.eq_ignore_ascii_case("that") || rel.eq_ignore_ascii_case("which"))
            && (1..=3).contains(&noun.len())
            && noun.iter().all(|w| {
                let plain = w.chars().all(|c| c.is_alphanumeric() || c == '-');
                plain && (w.starts_with(char::is_lowercase) || w.len() <= 3)
            }))
        .then_some(m)
    }

    /// The first acting mention, known or guessed (`known`), that ends before the figure
    /// and starts at or after byte `from`.
    fn nearest(&self, known: bool, from: usize) -> Option<&'s Mention> {
        (self.mentions.iter())
            .filter(|m| acts(m))
            .find(|m| m.known == known && m.end <= self.start && m.start >= from)
    }

    /// The name a description or a pronoun acting in the figure's own clause (from byte
    /// `clause_start`) stands for, when that clause names no one.
    fn stand_in<'a>(
        &self,
        clause_start: usize,
        topic: Option<&str>,
        anaphor: &dyn Fn() -> Option<&'a str>,
    ) -> Option<String> {
        let (toks, text, start) = (self.toks, self.text, self.start);
        // "It uses Amazon's chips, and last November it committed $30 billion": in a
        // sentence that opens with a pronoun, a pronoun acting in the figure's own clause
        // stands for the topic, not for a name in another clause.
        let opens_with_pronoun = toks
            .iter()
            .find(|t| t.kind == TokKind::Word)
            .is_some_and(|t| matches!(t.text(text), "It" | "Its" | "They" | "Their"));
        let pronoun_acts = opens_with_pronoun && {
            let head = &text[clause_start.min(start)..start];
            head.split(|c: char| !c.is_alphanumeric())
                .any(|w| matches!(w, "it" | "It" | "its" | "Its" | "they" | "They" | "their" | "Their"))
        };
        let names_none = || self.nearest(true, clause_start).is_none() && self.nearest(false, clause_start).is_none();
        // "The Chinese manufacturer overtook Tesla …, delivering 526,409 EVs": a
        // participle's clause acts for the name the description opening the sentence
        // stands for (`anaphor`), not for the name the description acted on.
        let participle = text[clause_start.min(start)..start]
            .split_whitespace()
            .next()
            .is_some_and(|w| w.len() > 4 && w.ends_with("ing"));
        if participle
            && names_none()
            && let Some(t) = anaphor()
        {
            return Some(t.to_string());
        }
        if pronoun_acts
            && names_none()
            && let Some(t) = topic
        {
            return Some(t.to_string());
        }
        None
    }

    /// The nearest acting name before the figure, in its clause (from byte
    /// `clause_start`) then in its sentence, known names first; else the party something
    /// "was with"; else the topic; else any name not left out or a modifier.
    fn nearest_name(&self, clause_start: usize, topic: Option<&str>) -> Option<String> {
        let name = |m: &Mention| m.subject_name().to_string();
        self.nearest(true, clause_start)
            .or_else(|| self.nearest(false, clause_start))
            .or_else(|| self.nearest(true, 0))
            .or_else(|| self.nearest(false, 0))
            .or_else(|| self.party_with())
            .map(name)
            .or_else(|| topic.map(str::to_string))
            .or_else(|| {
                (self.mentions.iter())
                    .find(|m| !m.roles.excluded && !m.roles.modifier)
                    .map(name)
            })
    }

    /// "The lab's first deal was with CoreWeave: $11.9 billion over five years": the party
    /// something "was with", in a sentence that names no actor, says more than a topic
    /// from elsewhere (an "agreement with Amazon" names the other party, not the actor).
    fn party_with(&self) -> Option<&'s Mention> {
        self.mentions.iter().find(|m| {
            let head = self.text[..m.start].trim_end();
            let before_with = head
                .strip_suffix("with")
                .and_then(|h| h.split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty()));
            m.known && m.end <= self.start && before_with.is_some_and(|w| matches!(w, "was" | "is" | "were" | "are"))
        })
    }
}

/// The last name the unit `prev` gives that `named` (a sentence's mentions) does not.
fn other_name(
    lex: &Lexicon,
    text: &str,
    prev: &Unit,
    named: &[Mention],
    known: (&mut Vec<String>, &Common),
) -> Option<String> {
    let mut toks = Vec::new();
    tokens::tokenize(text, prev.start, prev.end, &mut toks);
    let found = mentions(&toks, text, prev, lex, known);
    let other = |m: &&Mention| !named.iter().any(|n| n.subject_name() == m.subject_name());
    found.iter().rev().find(other).map(|m| m.subject_name().to_string())
}

/// Whether a sentence opens with a pronoun or "the company" standing for a name.
fn opens_with_pronoun(s: &str) -> bool {
    // "Last week, it struck a deal": a pronoun after a short opening phrase.
    if let Some((head, tail)) = s.split_once(',')
        && head.split_whitespace().count() <= 4
        && tail
            .split_whitespace()
            .next()
            .is_some_and(|w| matches!(w, "it" | "its" | "they" | "their"))
    {
        return true;
    }
    let mut words = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    match words.next() {
        Some("It" | "Its" | "They" | "Their") => true,
        // "The company", "The Swiss drugmaker", "The US electric vehicle (EV) maker".
        Some("The") => {
            let rest = s.trim_start().trim_start_matches("The");
            let next = words.next();
            next.is_some_and(|w| matches!(w, "segment" | "division" | "business" | "unit" | "lab"))
                || firm_noun_within(rest, |_| true)
        }
        _ => false,
    }
}

/// How many sentences back a pronoun looks for the name it stands for.
const ANTECEDENT_WINDOW: usize = 6;

/// "Delta has been hit by rising costs. It has said it needs to cut 6,000 jobs": the name
/// that the latest of the last few sentences opened with (a guessed name too), which a
/// sentence opening with a pronoun stands for. Each sentence is looked at once: the
/// names recent sentences opened with are kept.
#[derive(Default)]
struct Openings {
    /// (unit index, the name it opened with) for the units looked at lately.
    seen: Vec<(usize, Option<String>)>,
}

impl Openings {
    fn antecedent(
        &mut self,
        lex: &Lexicon,
        text: &str,
        units: &[Unit],
        ui: usize,
        (known, common): (&[String], &Common),
    ) -> Option<String> {
        let lo = ui.saturating_sub(ANTECEDENT_WINDOW);
        self.seen.retain(|&(i, _)| i >= lo && i < ui);
        let mut scratch: Option<Vec<String>> = None;
        for i in (lo..ui).rev() {
            let name = match self.seen.iter().find(|&&(j, _)| j == i) {
                Some((_, name)) => name.clone(),
                None => {
                    let known = scratch.get_or_insert_with(|| known.to_vec());
                    let name = opening_name(lex, text, &units[i], (known, common));
                    self.seen.push((i, name.clone()));
                    name
                }
            };
            if name.is_some() {
                return name;
            }
        }
        None
    }
}

/// The name a unit opens with, if it opens with one: only its first words (up to the
/// first lower-case word and a few more, enough to tell a name from a capitalised common
/// word or a title-case heading) are looked at.
fn opening_name(lex: &Lexicon, text: &str, u: &Unit, known: (&mut Vec<String>, &Common)) -> Option<String> {
    // Only the opening is read: at most this many bytes of the unit.
    const OPENING_BYTES: usize = 160;
    let mut end = u.end.min(u.start + OPENING_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut toks = Vec::new();
    tokens::tokenize(text, u.start, end, &mut toks);
    let first = toks.iter().position(|t| t.kind == TokKind::Word)?;
    if !toks[first]
        .text(text)
        .starts_with(|c: char| c.is_uppercase() || c == '$')
    {
        return None;
    }
    let lower = toks[first..]
        .iter()
        .take(12)
        .position(|t| {
            let w = t.text(text);
            t.kind == TokKind::Word && w.starts_with(|c: char| c.is_lowercase()) && !matches!(w, "of" | "for")
        })
        .map_or((first + 12).min(toks.len()), |k| (first + k + 6).min(toks.len()));
    toks.truncate(lower);
    let short = Unit {
        end: toks.last().map_or(u.start, |t| t.end),
        ..u.clone()
    };
    let found = mentions(&toks, text, &short, lex, known);
    found
        .first()
        .filter(|m| m.start == toks[first].start)
        .map(|m| m.subject_name().to_string())
}

/// Nouns that stand for an organisation named earlier ("the US firm").
const FIRM_NOUNS: &[&str] = &[
    "firm",
    "company",
    "giant",
    "group",
    "maker",
    "carmaker",
    "carrier",
    "airline",
    "lender",
    "retailer",
    "operator",
    "conglomerate",
    "manufacturer",
    "producer",
    "chain",
    "insurer",
    "bank",
    "supermarket",
    "brewer",
    "broadcaster",
    "publisher",
    "developer",
    "chipmaker",
    "startup",
    "start-up",
];

/// Words that may stand between a name and its figure ("Nvidia up to $10 billion").
const LINK_WORDS: &[&str] = &[
    "up",
    "to",
    "about",
    "roughly",
    "around",
    "nearly",
    "almost",
    "some",
    "approximately",
    "is",
    "was",
    "at",
];

/// Byte offset where the clause holding `at` starts (after `,` `;` `:` `while` `but`).
fn clause_start(toks: &[Tok], text: &str, at: usize) -> usize {
    let mut start = toks.first().map_or(0, |t| t.start);
    for t in toks {
        if t.start >= at {
            break;
        }
        let s = t.text(text);
        let boundary = match t.kind {
            TokKind::Punct => matches!(s, ";" | ":" | "—" | "–" | ","),
            TokKind::Word => matches!(s, "while" | "whereas" | "but" | "although"),
            _ => false,
        };
        if boundary {
            start = t.end;
        }
    }
    start
}

/// The start of the line `at` is on, where only blanks and a bullet stand before `at` on
/// it ("  • Prepayment: ..."): a sentence that opens its line.
fn line_lead(text: &str, at: usize) -> Option<usize> {
    if starts_line(text, at) {
        return Some(at);
    }
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev().take(16) {
        if c == '\n' || c == '\r' {
            return Some(start);
        }
        if !c.is_whitespace() && !measure::BULLETS.contains(&c) {
            return None;
        }
        start = i;
    }
    (start == 0).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{Format, clean};
    use crate::segment::segment;

    fn run(text: &str) -> Extraction {
        let c = clean(text.to_string(), Format::Text);
        let units = segment(&c);
        extract(&c, &units)
    }

    /// The claim of `ex` whose text is `text`; a test that names a missing one fails with
    /// every claim found.
    fn claim_of<'a>(ex: &'a Extraction, text: &str) -> &'a Claim {
        let c = ex.claims.iter().find(|c| c.text == text);
        c.unwrap_or_else(|| panic!("{text}: {:?}", ex.claims))
    }

    /// An article that reports a quarter: figures without a period of their own take it,
    /// relative periods resolve against it, bases of changes do not time the figure.
    const QUARTER_REPORT: &str = "Date: 12 May 2026\n\n\
        Globex said revenue for the first quarter of 2026 was $4.2 billion, up 12% from a year earlier. \
        It shipped 3.4 million gadgets from April to June. \
        Operating profit rose to $900 million from $750 million in the same period last year. \
        The company sold 1.2 million widgets. \
        Margins were 21%, compared with 19% in the previous quarter. \
        Globex expects revenue of $4.5 billion next quarter. \
        It also forecast sales of $4.8 billion. \
        It signed a five-year lease. \
        Net income in the fourth quarter was $300 million. \
        Prices will rise 4% from June. \
        Shares rose 6% on the news.\n";

    /// (rule, claim text, want)
    const ARTICLE_PERIODS: &[(&str, &str, Option<&str>)] = &[
        ("own period", "$4.2 billion", Some("2026-Q1")),
        (
            "from one month to another is a span, not a base",
            "3.4 million",
            Some("2026-Q2"),
        ),
        ("change base excluded, appositive", "12%", Some("2026-Q1")),
        ("figure before a base inherits", "$900 million", Some("2026-Q1")),
        ("figure inside a base: the year before", "$750 million", Some("2025-Q1")),
        ("undated count inherits", "1.2 million", Some("2026-Q1")),
        ("compared with: base excluded", "21%", Some("2026-Q1")),
        ("figure inside a base: the previous quarter", "19%", Some("2025-Q4")),
        ("next quarter of the reporting quarter", "$4.5 billion", Some("2026-Q2")),
        ("a forecast inherits nothing", "$4.8 billion", None),
        ("a duration inherits nothing", "five-year", None),
        (
            "bare quarter nearest the reporting quarter",
            "$300 million",
            Some("2025-Q4"),
        ),
        ("from a month: when it takes effect", "4%", Some("2026-06")),
        ("a share price move inherits nothing", "6%", None),
    ];

    #[test]
    fn periods_in_an_article() {
        let ex = run(QUARTER_REPORT);
        for (rule, text, want) in ARTICLE_PERIODS {
            let c = ex.claims.iter().find(|c| c.text == *text);
            let c = c.unwrap_or_else(|| panic!("{rule}: no claim {text}"));
            assert_eq!(c.period.as_deref(), *want, "{rule}: {text}");
        }
        // No reporting period: nothing to inherit, a relative period stays relative.
        let ex = run("Globex hired 300 people. Revenue was $5 million a year ago.\n");
        let period = |t: &str| ex.claims.iter().find(|c| c.text == t).and_then(|c| c.period.clone());
        assert_eq!(period("300"), None);
        assert_eq!(period("$5 million").as_deref(), Some("prior-year"));
        // An expectation's period is not the span the article reports.
        let ex = run("Initech said it expected fourth-quarter sales of $9 billion. Sales grew to $8 billion.\n");
        assert_eq!(
            ex.claims.get(1).and_then(|c| c.period.as_deref()),
            None,
            "{:?}",
            ex.claims
        );
        // A sentence without figures names the span the article reports.
        let ex = run("Initech held its third-quarter earnings call on Tuesday. Revenue was $2 billion.\n");
        assert_eq!(ex.claims.first().and_then(|c| c.period.as_deref()), Some("Q3"));
    }

    /// A change measured from another figure or from a quarter: the base figure's time is
    /// not the change's, and does not vote for the article's reporting period; a change
    /// from a quarter is year on year or sequential against the figure's own quarter,
    /// known from the reporting period; "sales" after units sold are units sold.
    #[test]
    fn changes_from_a_base_figure_or_a_base_quarter() {
        let ex = run("Initech delivered 210,000 cars in the second quarter. \
            Its deliveries fell 20 percent from a record high of 262,500 cars sold in Q1, \
            though it also saw car sales increase 40 percent from the second quarter of 2023.\n");
        let fall = claim_of(&ex, "20 percent");
        assert_eq!(fall.period.as_deref(), Some("Q2"));
        let rise = claim_of(&ex, "40 percent");
        assert_eq!(rise.period.as_deref(), Some("Q2"));
        assert_eq!(rise.measure.change, Some(crate::model::Change::Yoy));
        assert_eq!(rise.measure.head.as_deref(), Some("deliveries"));
        assert_eq!(rise.measure.scope, vec!["car".to_string()]);
        let base = claim_of(&ex, "262,500");
        assert_eq!(base.period.as_deref(), Some("Q1"));
    }

    /// A figure of an economy is about the place its sentence names; a name that predicts
    /// it is the forecaster, not the subject; the level a rise ends at is no change.
    #[test]
    fn a_figure_of_an_economy_is_about_a_place() {
        let ex = run("Contoso Capital warned that inflation could hit 9.5% in March. \
            Japan's inflation is forecast to rise to 4% next year.\n");
        let warned = claim_of(&ex, "9.5%");
        assert_eq!(warned.subject, None);
        assert_eq!(warned.measure.by.as_deref(), Some("Contoso Capital"));
        let japan = claim_of(&ex, "4%");
        assert_eq!(japan.subject.as_deref(), Some("Japan"));
        assert_eq!(japan.measure.change, None);
        assert_eq!(japan.measure.status, crate::model::Status::Forecast);
    }

    /// "That business" stands for the part of a business the sentence before named: its
    /// figures take that part as their scope; with no part named, they take none.
    #[test]
    fn a_part_referred_back_to_scopes_the_figures() {
        let ex = run("Most of the growth came from the Cloud Services segment. \
            That business earned $9 billion in revenue, 40% more than a year earlier.\n\n\
            The business earned $2 billion in revenue.\n");
        let scope = |t: &str| claim_of(&ex, t).measure.scope.clone();
        assert_eq!(scope("$9 billion"), ["cloud services"]);
        assert_eq!(scope("40%"), ["cloud services"]);
        assert!(scope("$2 billion").is_empty());
    }

    /// A vehicle acronym names a kind of vehicle: "passenger BEVs", "BEV sales" and
    /// "electric vehicles" are all scoped to electric ones, plug-in hybrids apart.
    #[test]
    fn vehicle_acronyms_scope_like_their_words() {
        let ex = run("Harbour Motors sold 30,114 passenger BEVs in the quarter. \
            Its BEV sales rose 36% from a year earlier. \
            It also sold 12,000 electric vehicles in Spain. In Italy it sold 9,000 PHEVs.\n");
        let scope = |t: &str| claim_of(&ex, t).measure.scope.clone();
        assert_eq!(scope("30,114"), ["passenger electric"]);
        assert_eq!(scope("36%"), ["electric"]);
        assert_eq!(scope("12,000"), ["electric"]);
        assert_eq!(scope("9,000"), ["plug in hybrid"]);
    }

    /// A title before a person's name is not part of the name.
    #[test]
    fn titles_are_not_part_of_a_name() {
        let ex = run(
            "In May, Chief Executive Officer Ana Lim offered buyers of the older model a $500 \
            rebate on every car. Vice President Tom Reyes said sales rose 4% after that.\n",
        );
        let entities: Vec<&String> = ex.claims.iter().flat_map(|c| &c.entities).collect();
        assert!(
            entities.iter().any(|e| *e == "Ana Lim") && entities.iter().any(|e| *e == "Tom Reyes"),
            "{entities:?}"
        );
        assert!(
            !entities
                .iter()
                .any(|e| e.contains("Officer") || e.contains("President")),
            "{entities:?}"
        );
    }

    /// A month's abbreviation is a time, never a name.
    #[test]
    fn abbreviated_months_are_no_entities() {
        let ex = run("Stretching back to early Jan, the consensus was just below 500k.\n");
        let c = ex.claims.first().unwrap_or_else(|| panic!("{:?}", ex.claims));
        assert!(c.entities.is_empty(), "{:?}", c.entities);
        assert_eq!(c.subject, None);
    }

    /// (text, claim text, field, want): one row per rule of subject, period and metric.
    const FIELD_RULES: &[(&str, &str, &str, Option<&str>)] = &[
        // period: the figure's own clause, an opening phrase, an appositive; no period for
        // a duration; a year after "from"/"since" is a base, not the figure's time
        (
            "Anthropic lined up 3.5 gigawatts of capacity in April 2026, and separately agreed to spend $30 billion on Azure compute.",
            "3.5 gigawatts",
            "period",
            Some("2026-04"),
        ),
        (
            "Anthropic lined up 3.5 gigawatts of capacity in April 2026, and separately agreed to spend $30 billion on Azure compute.",
            "$30 billion",
            "period",
            None,
        ),
        (
            "In January 2023, Microsoft committed $10 billion to OpenAI.",
            "$10 billion",
            "period",
            Some("2023-01"),
        ),
        (
            "Spending will reach $600 billion in 2026, up roughly 60% from 2025.",
            "60%",
            "period",
            Some("2026"),
        ),
        (
            "Acme raised $25 billion in debt since 2024.",
            "$25 billion",
            "period",
            None,
        ),
        (
            "In March 2025, Globex signed a contract running over five years.",
            "five years",
            "period",
            None,
        ),
        (
            "Initech shipped 52,000 printers in 2023, while Globex shipped about 40,100 copiers.",
            "40,100",
            "period",
            Some("2023"),
        ),
        (
            "Date: 12 April 2026\n\nThe new fare is an increase on the current price of $41.",
            "$41",
            "period",
            Some("2026-04"),
        ),
        (
            "Fares were lowered in March 2025, when the average ticket cost $41.",
            "$41",
            "period",
            Some("2025-03"),
        ),
        // "from X to Y in October": the time after Y is Y's; X is the level before
        (
            "Globex said its ticket price will rise from $1,200 to $1,450 in October 2026.",
            "$1,200",
            "period",
            Some("before"),
        ),
        (
            "Globex said its ticket price will rise from $1,200 to $1,450 in October 2026.",
            "$1,450",
            "period",
            Some("2026-10"),
        ),
        // a person who stands for a firm is not the subject
        (
            "The company led by Jane Okafor sold 9,000 printers in 2024.",
            "9,000",
            "subject",
            None,
        ),
        (
            "Jane Okafor's company sold 9,000 printers in 2024.",
            "9,000",
            "subject",
            None,
        ),
        // subject: a name right before the figure, the agent of a relative clause, the
        // name a pronoun-led sentence stands for, a name in the figure's own clause
        (
            "Initech shipped 52,000 printers in 2023, while Globex shipped about 40,100 copiers.",
            "40,100",
            "subject",
            Some("Globex"),
        ),
        // a place before a firm noun only says where a firm named before is from
        (
            "Initech Bikes said it opened a plant. The German electric bike (EB) maker sold 61,000 bikes in 2024.",
            "61,000",
            "subject",
            Some("Initech Bikes"),
        ),
        // an acronym the article spells out in lower case is a common noun; a lone acronym
        // opening a sentence is a name
        (
            "Initech sells battery electric vehicles (BEVs) and hybrids. The BEV unit sold 52,000 cars in 2024.",
            "52,000",
            "subject",
            None,
        ),
        (
            "Globex sells printers. ZTX also sold 9,000 printers in 2024.",
            "9,000",
            "subject",
            Some("ZTX"),
        ),
        // a product generation ("Series 5") is no organisation; "Pier 1 Imports" is one
        (
            "The report showed that 61,200 Series 5 units were made.",
            "61,200",
            "subject",
            None,
        ),
        (
            "Acme cut prices as Pier 1 Imports said sales fell 8.8%.",
            "8.8%",
            "subject",
            Some("Pier 1 Imports"),
        ),
        (
            "Microsoft agreed to invest up to $5 billion in Anthropic and Nvidia up to $10 billion.",
            "$10 billion",
            "subject",
            Some("Nvidia"),
        ),
        (
            "The contract is part of the $281.3 billion backlog that Microsoft disclosed.",
            "$281.3 billion",
            "subject",
            Some("Microsoft"),
        ),
        (
            "OpenAI and the cloud\n\nOpenAI signed deals with many suppliers. The Intelligent Cloud segment is where it shows. It brought in $32.91 billion in the quarter.",
            "$32.91 billion",
            "subject",
            Some("Microsoft"),
        ),
        (
            "Year to date, $MSFT is down 20%, while $AMZN is up 7%.",
            "7%",
            "subject",
            Some("Amazon"),
        ),
        // a description opening a sentence that names another party stands for the name
        // the sentence before gives and this one does not
        (
            "Sales put Contoso back past Fabrikam in the charts. The Chinese manufacturer overtook Contoso in the final quarter, delivering 52,640 cars, compared with Contoso's 48,450.",
            "52,640",
            "subject",
            Some("Fabrikam"),
        ),
        (
            "Sales put Contoso back past Fabrikam in the charts. The Chinese manufacturer overtook Contoso in the final quarter, delivering 52,640 cars, compared with Contoso's 48,450.",
            "48,450",
            "subject",
            Some("Contoso"),
        ),
        // a conversion into another currency is the same fact as the amount before it
        (
            "Acme Group paid $5bn and Globex about $2bn (£1.06bn).",
            "£1.06bn",
            "subject",
            Some("Globex"),
        ),
        // metric: a segment keeps its name, keywords of the figure's own clause first, a
        // `near` label only as the figure's noun, growth of the flow named before it, a
        // cashtag's move, no compound first word, no amount label on a duration
        (
            "Microsoft's Intelligent Cloud segment reported revenue of $32.91 billion.",
            "$32.91 billion",
            "metric",
            Some("Intelligent Cloud revenue"),
        ),
        (
            "OpenAI agreed to pay CoreWeave $11.9 billion over five years for capacity, and received $350 million worth of CoreWeave shares as part of the arrangement.",
            "$11.9 billion",
            "metric",
            Some("deal value"),
        ),
        (
            "OpenAI agreed to pay CoreWeave $11.9 billion over five years for capacity, and received $350 million worth of CoreWeave shares as part of the arrangement.",
            "$350 million",
            "metric",
            Some("shares issued"),
        ),
        (
            "Excluding OpenAI, the backlog grew 28%.",
            "28%",
            "metric",
            Some("backlog growth"),
        ),
        (
            "Year to date, $MSFT is down 20%, while $AMZN is up 7%.",
            "7%",
            "metric",
            Some("stock move"),
        ),
        // ("profit-sharing" names no shares; a percentage of a company is a stake in it)
        (
            "Microsoft swapped its profit-sharing rights for 27% of OpenAI.",
            "27%",
            "metric",
            Some("stake"),
        ),
        (
            "In the six years since its first investment, Microsoft grew.",
            "six years",
            "metric",
            None,
        ),
        (
            "The contract came four months after the deal.",
            "four months",
            "metric",
            None,
        ),
        (
            "Two expansions later in the year, worth $4 billion, lifted the total value of the contracts.",
            "$4 billion",
            "metric",
            Some("contract expansion"),
        ),
        // a name negated by a prefix is no mention
        (
            "Its first big non-Microsoft deal was worth $11.9 billion.",
            "$11.9 billion",
            "subject",
            None,
        ),
        // percentage points in a clause with no metric: a change of the sentence's percentage
        (
            "Acme and Globex each hold about 30-40% of the market, and neither has moved by more than 2 percentage points.",
            "2 percentage points",
            "metric",
            Some("market share change"),
        ),
        // the window of a superlative is the length of nothing
        (
            "Acme sales grew 24% to $35.6 billion, its fastest pace in 13 quarters, under the new contract.",
            "13 quarters",
            "metric",
            None,
        ),
        // a commitment with no compute word is an investment; with one, a compute commitment
        (
            "In January 2023 Microsoft announced a further commitment of up to $10 billion to OpenAI.",
            "$10 billion",
            "metric",
            Some("investment"),
        ),
        (
            "OpenAI's $250 billion Azure commitment is roughly 45% of Microsoft's backlog.",
            "$250 billion",
            "metric",
            Some("compute commitment"),
        ),
        // a share of what a possessor has is about the possessor
        (
            "OpenAI's $250 billion Azure commitment is roughly 45% of Microsoft's backlog.",
            "45%",
            "subject",
            Some("Microsoft"),
        ),
        // a name between a count and its noun says whose the things are
        (
            "OpenAI says more than 1,500 Microsoft customers use both models.",
            "1,500",
            "subject",
            Some("Microsoft"),
        ),
        // a name set aside or excluded is neither the subject nor, through it, the topic
        (
            "Take OpenAI out and the rest of the backlog still grew 28%, a figure Microsoft repeats.",
            "28%",
            "subject",
            Some("Microsoft"),
        ),
        // institutions named with "of"/"for" are one name
        (
            "Rates may rise, the Bank of England said, from their current 4.75%.",
            "4.75%",
            "subject",
            Some("Bank of England"),
        ),
        // "by" names the agent only right after the figure's noun; a relative clause is
        // about the name it hangs on
        (
            "Mistral AI raised €1.7bn in September in a round led by ASML, which contributed €1.3bn.",
            "€1.7bn",
            "subject",
            Some("Mistral"),
        ),
        (
            "Mistral AI raised €1.7bn in September in a round led by ASML, which contributed €1.3bn.",
            "€1.3bn",
            "subject",
            Some("ASML"),
        ),
        (
            "Acme stayed ahead of Globex which sold about 300,000 cars in the quarter.",
            "300,000",
            "subject",
            Some("Globex"),
        ),
        // a pronoun acting in the figure's clause of a sentence that opens with one is the topic
        (
            "Anthropic grew fast. It uses Amazon's chips, and last year it committed $30 billion to Azure compute.",
            "$30 billion",
            "subject",
            Some("Anthropic"),
        ),
        // a price target "for" a ticker is that company's
        (
            "Our price target for $AMZN is $285, while Microsoft stays on hold.",
            "$285",
            "subject",
            Some("Amazon"),
        ),
        // the party a deal was with, when the sentence names no actor
        (
            "The lab's first big deal was with CoreWeave in March: $11.9 billion over five years.",
            "$11.9 billion",
            "subject",
            Some("CoreWeave"),
        ),
        // a lone word opening a sentence with an appositive is a name
        (
            "Nscale, the London-based developer, is building the first phase of 50 megawatts.",
            "50 megawatts",
            "subject",
            Some("Nscale"),
        ),
        // a figure in a Markdown table takes its column header's metric
        (
            "| Buyer | Seller | Capacity | Term |\n|---|---|---|---|\n| OpenAI | Amazon | 2 GW | seven years |\n",
            "2 GW",
            "metric",
            Some("compute capacity"),
        ),
        (
            "| Buyer | Seller | Capacity | Term |\n|---|---|---|---|\n| OpenAI | Amazon | 2 GW | seven years |\n",
            "seven years",
            "metric",
            Some("contract length"),
        ),
        // a sum a stake named before it is worth is the stake's value
        (
            "Microsoft holds a 27% stake in OpenAI, valued at about $135 billion.",
            "$135 billion",
            "metric",
            Some("value of stake"),
        ),
        // a short number after a guessed name is part of it when a verb follows, never
        // when a word like "and" does
        (
            "Doom 3 was developed over four years.",
            "four years",
            "subject",
            Some("Doom 3"),
        ),
        (
            "Between 10 and 12 of the resorts were damaged.",
            "10 and 12",
            "subject",
            None,
        ),
        // "the US firm" stands for the firm named before, not for the US
        (
            "Globex Motors lost $1bn last year. The US firm is offering about $2bn to end the deal.",
            "$2bn",
            "subject",
            Some("Globex Motors"),
        ),
        // a sentence opening with a pronoun, or with one after a short opening phrase,
        // stands for the name a recent sentence opened with, a guessed name too
        (
            "Globex Airways has been hit by fuel costs. Analysts expect more pain. Last week, it agreed to cut 900 jobs.",
            "900",
            "subject",
            Some("Globex Airways"),
        ),
        (
            "Globex Airways has been hit by fuel costs. The airline said it would cut 900 jobs.",
            "900",
            "subject",
            Some("Globex Airways"),
        ),
        // a figure stated again takes the metric it first had: in prose when nothing else
        // names one, in a table cell before the row's other cells
        (
            "Initech invested $4 billion in Vandelay in 2022. The $4 billion has not been repaid.",
            "$4 billion",
            "metric",
            Some("investment"),
        ),
        (
            "Initech signed a $4 billion agreement with Vandelay.\n\n| Buyer | Seller | Reported value | Term |\n|---|---|---|---|\n| Initech | Vandelay | $4 billion | five years (first contract) |\n",
            "$4 billion",
            "metric",
            Some("deal value"),
        ),
        // ... but not over a keyword of another clause: a repeated percentage is often
        // another fact
        (
            "Our target implies upside of 15%. Globex holds 40% of the market, and Acme about 15.0%.",
            "15.0%",
            "metric",
            Some("market share"),
        ),
        // a thing "valued at" a sum: a deal's value, or a stake's when a stake comes first
        (
            "Vandelay signed a contract with Initech valued at $6 billion over four years.",
            "$6 billion",
            "metric",
            Some("deal value"),
        ),
        (
            "Initech gets about 30% of Vandelay Labs, valued at roughly $90 billion.",
            "$90 billion",
            "metric",
            Some("value of stake"),
        ),
        // a duration a sum or a change is spread over
        (
            "Initech will spend $8bn in Spain over three years.",
            "three years",
            "metric",
            Some("investment period"),
        ),
        (
            "Vandelay agreed to pay Initech $6 billion over four years for servers, in an arrangement made public today.",
            "four years",
            "metric",
            Some("contract length"),
        ),
        (
            "Globex plans to double its warehouse space over the next three years.",
            "three years",
            "metric",
            Some("expansion period"),
        ),
        // a percentage by which a named quantity is raised is its growth
        (
            "Globex will increase its storage capacity by 25% next year.",
            "25%",
            "metric",
            Some("capacity growth"),
        ),
        // the level a flow grew to; its conversion into another currency with a comma
        (
            "Globex's retail division grew by 12 per cent in the year, to $4.5bn, roughly £3.6bn.",
            "$4.5bn",
            "metric",
            Some("revenue"),
        ),
        (
            "Globex's retail division grew by 12 per cent in the year, to $4.5bn, roughly £3.6bn.",
            "£3.6bn",
            "metric",
            Some("revenue"),
        ),
        // the base of a change measures what the figure measures
        (
            "Acme expects 3 gigawatts of contracted power by 2027, up from about 1.2 gigawatts.",
            "1.2 gigawatts",
            "metric",
            Some("contracted power"),
        ),
        // a rate of added power is capacity additions; power once added is capacity
        (
            "Acme wants to add 2 gigawatts of capacity every month.",
            "2 gigawatts",
            "metric",
            Some("capacity additions"),
        ),
        (
            "The expansion added 2 gigawatts of capacity to the campus.",
            "2 gigawatts",
            "metric",
            Some("compute capacity"),
        ),
        // "N times the <noun> of": that noun; "N times its cost": a return
        (
            "The new chip offers three times the memory bandwidth of the old one.",
            "three times",
            "metric",
            Some("bandwidth"),
        ),
        (
            "Investors now hold a stake worth eight times its cost.",
            "eight times",
            "metric",
            Some("return"),
        ),
        // a count is of its noun's head word unless a keyword of its own clause or a
        // count label elsewhere says otherwise
        (
            "Acme books sales in Spain, and five new warehouse sites are planned.",
            "five",
            "metric",
            Some("sites"),
        ),
        (
            "Acme customers can buy the app, which is used by 20,000 firms.",
            "20,000",
            "metric",
            Some("customers"),
        ),
        // industry labels: run rate, partnership length, build time, weighted duration,
        // public funding, a fund, a programme, upside
        (
            "Acme's annualised revenue run rate passed $4 billion in May.",
            "$4 billion",
            "metric",
            Some("revenue run rate"),
        ),
        (
            "The two firms marked a ten-year partnership in March.",
            "ten-year",
            "metric",
            Some("partnership length"),
        ),
        (
            "The plant was built in 20 months.",
            "20 months",
            "metric",
            Some("build time"),
        ),
        (
            "The weighted average duration of the leases is about four years.",
            "four years",
            "metric",
            Some("weighted average duration"),
        ),
        (
            "The ministry has promised £300m for new research labs.",
            "£300m",
            "metric",
            Some("funding"),
        ),
        (
            "The state set up a €5bn fund for chip plants.",
            "€5bn",
            "metric",
            Some("fund"),
        ),
        (
            "Our price target implies upside of about 18% from here.",
            "18%",
            "metric",
            Some("upside"),
        ),
        // subject: a word opening a sentence before its verb, never written in lower case
        // nor shaped like a common noun, is a name even when it never stands mid-sentence
        (
            "Harbourgate has confirmed the levy will rise by £40 to £610 a year.",
            "£40",
            "subject",
            Some("Harbourgate"),
        ),
        ("Demand has risen by 4% this year.", "4%", "subject", None),
        ("Spending was up 3% on the year.", "3%", "subject", None),
    ];

    #[test]
    fn the_word_before_is_found_past_any_punctuation() {
        let text = "was led by\u{2019} Okafor";
        let at = text.find("Okafor").unwrap_or(0);
        assert_eq!(prev_word(text, at).as_str(), "");
        let before = text.find('\u{2019}').unwrap_or(0);
        assert_eq!(prev_word(text, before).as_str(), "by");
        assert_eq!(prev_word(text, prev_start(text, before)).as_str(), "led");
        assert_eq!(prev_start("\u{2019}", 3), 3);
    }

    #[test]
    fn subject_period_and_metric_rules() {
        let mut bad = Vec::new();
        for &(text, claim, field, want) in FIELD_RULES {
            let ex = run(text);
            let Some(c) = ex.claims.iter().find(|c| c.text == claim) else {
                bad.push(format!("{text:?}: no claim {claim:?}"));
                continue;
            };
            let got = match field {
                "period" => c.period.as_deref(),
                "subject" => c.subject.as_deref(),
                _ => c.metric.as_deref(),
            };
            if got != want {
                bad.push(format!("{text:?}: {claim} {field} = {got:?}, want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn claims_citations_and_sources_together() {
        let text = "Deals\n\nMicrosoft's bet began with $1 billion in 2019, a big bet 2,3. OpenAI will consume 2 gigawatts of Trainium capacity 16,17.\n\nSources\n2. First bet - 2019-07-22\n3. Azure deal - 2023-01-23\n16. Meta deal - 2026-03-30\n";
        let ex = run(text);
        let got: Vec<(&str, Option<&str>, Option<&str>, &[u32])> = ex
            .claims
            .iter()
            .map(|c| {
                (
                    c.text.as_str(),
                    c.subject.as_deref(),
                    c.period.as_deref(),
                    c.citations.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("$1 billion", Some("Microsoft"), Some("2019"), &[2u32, 3][..]),
                ("2 gigawatts", Some("OpenAI"), None, &[16, 17][..]),
            ]
        );
        assert_eq!(ex.sources.len(), 3);
        assert_eq!(ex.sources[2].date.as_deref(), Some("2026-03-30"));
        assert_eq!(ex.citations.len(), 2);
        assert_eq!(ex.citations[1].unresolved, [17]);
        assert!(ex.warnings.iter().any(|w| w.contains("17")), "{:?}", ex.warnings);
    }
}
