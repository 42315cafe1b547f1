//! The article loop: every sentence in order, its markers and its figures, with the
//! state carried from sentence to sentence (topic, names, the last claim, the reporting
//! period the held claims wait for).

use std::cell::OnceCell;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::entities::Lexicon;
use super::explain::Explain;
use super::sentence::{about_share_price, clause_ids, names_a_span, note_spans, period_of};
use super::subject::{Common, Found, Mention, Topic, common_words, economy_subject, mentions, subject_of};
use super::tokens::Tok;
use super::topic::{Openings, first_known, opens_with_pronoun, other_name, sentence_topic, title_topic};
use super::{Extraction, citations, claims, measure, metric, numbers, period, tokens};
use crate::clean::Cleaned;
use crate::lines::starts_line;
use crate::model::{Citation, Claim, Kind};
use crate::segment::{Unit, UnitKind};

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

/// [`extract_each`](super::extract_each) that asks `stop` before each sentence and ends there once it says
/// yes (the pipeline's cost budget of one file).
pub fn extract_until(
    cleaned: &Cleaned,
    units: &[Unit],
    lex: &Lexicon,
    on_claim: &mut dyn FnMut(Claim),
    stop: &mut dyn FnMut() -> bool,
) -> Extraction {
    extract_explained(cleaned, units, lex, false, &mut |c, _| on_claim(c), stop)
}

/// [`extract_until`] that hands each claim on with the rules behind its fields when
/// `explain` says so (`extract --explain`), and with `None` otherwise: the rules are
/// collected only when asked for.
pub fn extract_explained(
    cleaned: &Cleaned,
    units: &[Unit],
    lex: &Lexicon,
    explain: bool,
    on_claim: &mut dyn FnMut(Claim, Option<Explain>),
    stop: &mut dyn FnMut() -> bool,
) -> Extraction {
    let mut article = Article::new(cleaned, units, lex, on_claim);
    article.chain.explain = explain;
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
    last_claim: Option<Pending>,
    restated: metric::Restated,
    /// Whether each claim's rules are collected ([`Pending::why`]).
    explain: bool,
}

/// A claim on its way out: how it takes the reporting period and, when asked for, the
/// rules behind its fields.
struct Pending {
    claim: Claim,
    timing: Timing,
    why: Option<Box<Explain>>,
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

impl<'a, 'f> Article<'a, 'f> {
    /// The state before the first sentence of `cleaned`.
    fn new(
        cleaned: &'a Cleaned,
        units: &'a [Unit],
        lex: &'a Lexicon,
        on_claim: &'f mut dyn FnMut(Claim, Option<Explain>),
    ) -> Self {
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
                explain: false,
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
            topic: (pronoun_topic.as_deref().map(|t| (t, "pronoun_antecedent")))
                .or(self.title_topic.as_deref().map(|t| (t, "title_topic")))
                .or(self.topic.as_deref().map(|t| (t, "running_topic"))),
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
        if let Some(done) = self.chain.last_claim.take() {
            self.chain.held.push(done);
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
    /// The topic a figure is about when its sentence gives it no name, and what made it
    /// the topic.
    topic: Option<Topic<'r>>,
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
    /// The rules that read the period, the subject and the measure's head.
    rules: [Option<&'static str>; 3],
}

impl Statement {
    /// "$2bn (£1.06bn)": the statement of the amount a conversion copies.
    fn copied(before: &Pending) -> Self {
        let (p, t) = (&before.claim, &before.timing);
        let copied = |field: bool| field.then_some("converted_amount");
        Statement {
            period: p.period.clone(),
            subject: p.subject.clone(),
            metric: p.metric.clone(),
            measure: p.measure.clone(),
            base_quarter: t.base_quarter,
            rules: [
                copied(p.period.is_some()),
                copied(p.subject.is_some()),
                copied(p.measure.head.is_some()),
            ],
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
        let why = chain.explain.then(|| Box::new(explain(&rc, unit, &statement)));
        let claim = self.claim(rc, statement, unit, (start, end));
        (chain.restated).note(claim.kind, unit, claim.value, claim.value_max, claim.metric.as_deref());
        told.remember(&claim, unit, clause);
        if let Some(done) = chain.last_claim.replace(Pending { claim, timing, why }) {
            chain.held.push(done);
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
        let period = stated.as_ref().map(|(p, _, _)| p.clone());
        let subject: Found = subject_of(r.toks, r.text, r.mentions, (start, end), rc.kind, r.topic, r.anaphor);
        let metric = self.metric(rc, (start, end), told, &chain.restated);
        let site = self.site(
            rc,
            (first_word, last_word),
            subject.as_ref().map(|(s, _)| s.as_str()),
            told,
        );
        let (mut measure, mut head_rule) = measure::measure(&site, metric.as_deref());
        let base_quarter = (measure.change == Some(crate::model::Change::Since))
            .then(|| measure::base_quarter(&site))
            .flatten();
        if measure::settle(&mut measure, rc.value, r.future, &r.text[r.u.start..r.u.end]) {
            head_rule = measure.head.as_ref().map(|_| "market_value");
        }
        let subject = if measure::is_economy(measure.head.as_deref()) {
            economy_subject(subject, &mut measure, &self.entities)
        } else {
            subject
        };
        // The figure's own period counts towards the article's reporting period
        // unless it is the base of a change, a forecast's or an expectation's.
        let base = (told.prev_statement.as_ref())
            .is_some_and(|(w, m)| measure::is_base_of_change(&self.words, *w, m, first_word));
        if let Some((p, false, _)) = &stated
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
        let subject_rule = subject.as_ref().map(|(_, rule)| *rule);
        Statement {
            period,
            subject: subject.map(|(s, _)| s),
            metric,
            measure,
            base_quarter,
            rules: [stated.map(|(_, _, rule)| rule), subject_rule, head_rule],
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
    last_claim: Option<&Pending>,
    rc: &claims::RawClaim,
) -> bool {
    prev.is_some_and(|(last, was_conversion)| {
        last_claim.map(|l| &l.claim).is_some_and(|p| {
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

/// The rules behind the claim of figure `rc`, in `unit`, stating `st` (`extract --explain`).
fn explain(rc: &claims::RawClaim, unit: &'static str, st: &Statement) -> Explain {
    let [period, subject, measure] = st.rules;
    Explain {
        kind: rc.rules.unit,
        unit: if unit == rc.unit { rc.rules.unit } else { "peso_country" },
        qualifier: rc.rules.qualifier,
        direction: rc.rules.direction,
        period,
        subject,
        measure,
    }
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
fn resolve_claim(p: &mut Pending, rep: Option<&crate::normalise::Period>) {
    let (claim, t) = (&mut p.claim, p.timing);
    let own = claim.period.is_some();
    claim.period = period::resolve(claim.period.as_deref(), rep, t.inherit, t.future);
    if let Some(why) = p.why.as_mut().filter(|_| !own && claim.period.is_some()) {
        why.period = Some("reporting_period");
    }
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
    waiting: Vec<Pending>,
    reporting: period::Reporting,
    decided: Option<Option<crate::normalise::Period>>,
    on_claim: &'f mut dyn FnMut(Claim, Option<Explain>),
}

impl<'f> Held<'f> {
    fn new(on_claim: &'f mut dyn FnMut(Claim, Option<Explain>)) -> Self {
        Held {
            waiting: Vec::new(),
            reporting: period::Reporting::default(),
            decided: None,
            on_claim,
        }
    }

    fn push(&mut self, mut p: Pending) {
        match &self.decided {
            Some(rep) => {
                resolve_claim(&mut p, rep.as_ref());
                (self.on_claim)(p.claim, p.why.map(|w| *w));
            }
            None => {
                self.waiting.push(p);
                if self.waiting.len() >= HOLD_MAX {
                    self.flush();
                }
            }
        }
    }

    /// Decides the reporting period and hands on every waiting claim.
    fn flush(&mut self) {
        let rep = self.decided.get_or_insert_with(|| self.reporting.period()).clone();
        for mut p in self.waiting.drain(..) {
            resolve_claim(&mut p, rep.as_ref());
            (self.on_claim)(p.claim, p.why.map(|w| *w));
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
