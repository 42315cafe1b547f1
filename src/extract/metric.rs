//! The metric of a claim: what its figure measures, as a label of the metric lexicon
//! ([`Lexicon`], `data/metrics.txt`), refined by the sentence's grammar ("a 27% stake ...
//! worth $135 billion" is the value of the stake, "grew 28.8% to $32.91bn" the level of
//! what grew) and by the article (a figure stated again takes the metric it had).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::entities::Lexicon;
use super::tokens::{Tok, TokKind};
use super::{Mention, claims, clause_at};
use crate::model::{Direction, Kind};
use crate::normalise::DEAL_WORDS;
use crate::segment::Unit;
use crate::words;

/// What the metric rules see of the sentence a figure is in.
pub(super) struct Sentence<'a> {
    pub lex: &'a Lexicon,
    pub text: &'a str,
    pub unit: &'a Unit,
    pub toks: &'a [Tok],
    pub clauses: &'a [usize],
    pub mentions: &'a [Mention],
    /// The metric keywords of the sentence: (start, end, keyword pattern).
    pub hits: &'a [(usize, usize, usize)],
}

/// How many of a sentence's figures before the one being labelled the rules see.
pub(super) const EARLIER_MAX: usize = 8;

/// A figure of the sentence before the one being labelled.
pub(super) struct Earlier {
    pub kind: Kind,
    pub unit: &'static str,
    pub metric: Option<String>,
    /// The figure's clause in the sentence.
    pub clause: Option<usize>,
}

/// The figures of an article with the metric each first had: a figure stated again
/// ("the $1 billion of 2019", a table cell under "Reported value") is the same fact. A
/// table cell takes that metric before the keywords of its row's other cells; a figure
/// in prose only when no keyword or rule gives it one (a percentage that recurs is often
/// another fact).
#[derive(Default)]
pub(super) struct Restated {
    seen: HashMap<FigureKey, String>,
}

/// A figure: kind, unit and the bits of its value and upper value.
type FigureKey = (Kind, &'static str, u64, Option<u64>);

/// At most this many distinct figures are remembered per article (a claim-dense file
/// keeps its memory bounded; later figures are simply not remembered).
const RESTATED_MAX: usize = 4096;

impl Restated {
    fn key(kind: Kind, unit: &'static str, value: f64, value_max: Option<f64>) -> Option<FigureKey> {
        // Counts, durations and multiples repeat by chance ("two", "five years"); amounts,
        // percentages, power and energy are specific enough to name one fact.
        matches!(kind, Kind::Money | Kind::Percent | Kind::Power | Kind::Energy)
            .then(|| (kind, unit, value.to_bits(), value_max.map(f64::to_bits)))
    }

    fn get(&self, rc: &claims::RawClaim) -> Option<String> {
        Self::key(rc.kind, rc.unit, rc.value, rc.value_max).and_then(|k| self.seen.get(&k).cloned())
    }

    /// Remembers the metric a figure was given (the first one wins).
    pub(super) fn note(
        &mut self,
        kind: Kind,
        unit: &'static str,
        value: f64,
        value_max: Option<f64>,
        metric: Option<&str>,
    ) {
        let (Some(k), Some(m)) = (Self::key(kind, unit, value, value_max), metric) else {
            return;
        };
        if self.seen.len() < RESTATED_MAX || self.seen.contains_key(&k) {
            self.seen.entry(k).or_insert_with(|| m.to_string());
        }
    }
}

/// The metric of the figure `rc` (bytes `start..end`) of sentence `s`; `earlier`: the
/// sentence's last few figures before it, in order.
pub(super) fn metric(
    s: &Sentence,
    rc: &claims::RawClaim,
    start: usize,
    end: usize,
    earlier: &[Earlier],
    restated: &Restated,
) -> Option<String> {
    let (lex, text, toks, clauses) = (s.lex, s.text, s.toks, s.clauses);
    let own_clause = clauses.get(rc.first).copied();
    let same_clause = |byte: usize| clause_at(toks, clauses, byte) == own_clause;
    // A table cell is a clause of its own: the row's other cells speak of other things.
    let in_table = text[s.unit.start..].starts_with('|');
    let own_keyword = !in_table && s.hits.iter().any(|&(b, _, _)| same_clause(b));
    let last_percent = earlier
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Percent && e.unit == "%")
        .map(|e| e.metric.as_deref());
    table_column_metric(lex, text, s.unit, start, rc)
        .or_else(|| in_table.then(|| restated.get(rc)).flatten())
        .or_else(|| times_the(s, rc))
        .or_else(|| capacity_added(s, rc, start))
        .or_else(|| base_of_change(rc, text, start, earlier))
        .or_else(|| points_of_earlier_share(rc, own_keyword, last_percent))
        .or_else(|| share_of_company(rc, own_keyword, s.mentions, text, end))
        // A cashtag's move comes before keywords of other clauses, after the figure's own.
        .or_else(|| (!own_keyword).then(|| ticker_move(toks, text, clauses, rc)).flatten())
        .or_else(|| {
            let keywords = Keywords {
                lex,
                hits: s.hits,
                same_clause: &same_clause,
            };
            metric_of(&keywords, rc, text, start, end)
        })
        .or_else(|| own_keyword.then(|| ticker_move(toks, text, clauses, rc)).flatten())
        .or_else(|| level_after_growth(rc, text, start, earlier))
        .or_else(|| restated.get(rc))
        .or_else(|| span_over(s, rc, start, earlier))
        .or_else(|| growth_by(rc, text, start))
        .map(|m| valued_thing(s, rc, m, start, earlier))
        .map(|m| with_segment(s.mentions, &m, start, toks, text, clauses, rc))
}

/// How many words of its clause around a figure the grammar rules look at.
const CLAUSE_WINDOW: usize = 40;

/// The words of the figure's clause before it, nearest first.
fn clause_words_before<'a>(s: &Sentence<'a>, rc: &claims::RawClaim) -> impl Iterator<Item = &'a str> {
    let own = s.clauses.get(rc.first).copied();
    let (toks, text) = (s.toks, s.text);
    toks[..rc.first]
        .iter()
        .zip(&s.clauses[..rc.first.min(s.clauses.len())])
        .rev()
        .take(CLAUSE_WINDOW)
        .take_while(move |&(_, &c)| Some(c) == own)
        .filter(|(t, _)| t.kind == TokKind::Word)
        .map(move |(t, _)| t.text(text))
}

/// The words of the figure's clause after it, in order.
fn clause_words_after<'a>(s: &Sentence<'a>, rc: &claims::RawClaim) -> impl Iterator<Item = &'a str> {
    let own = s.clauses.get(rc.first).copied();
    let (toks, text) = (s.toks, s.text);
    let from = (rc.last + 1).min(toks.len());
    toks[from..]
        .iter()
        .zip(s.clauses.get(from..).unwrap_or_default())
        .take(CLAUSE_WINDOW)
        .take_while(move |&(_, &c)| Some(c) == own)
        .filter(|(t, _)| t.kind == TokKind::Word)
        .map(move |(t, _)| t.text(text))
}

/// The words of `text` before byte `at`, nearest first, lower-cased (copied only when
/// a word has a capital).
fn words_before(text: &str, at: usize) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text[..at]
        .rsplit(|ch: char| !(ch.is_alphanumeric() || ch == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().any(char::is_uppercase) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        })
}

/// "4.4 times the compute performance of ...", "four times the size of ...": a multiple
/// of a named quantity measures that quantity (the head noun of the phrase).
fn times_the(s: &Sentence, rc: &claims::RawClaim) -> Option<String> {
    if rc.kind != Kind::Multiple {
        return None;
    }
    let mut after = clause_words_after(s, rc);
    match after.next()? {
        // "a stake worth ten times its cost": a multiple of what was paid is a return.
        "its" | "their" => {
            let noun = after.next()?;
            matches!(noun, "cost" | "money" | "investment" | "outlay" | "price").then(|| "return".to_string())
        }
        "the" => {
            let phrase: Vec<&str> = after.take(4).collect();
            let of = phrase.iter().position(|&w| w == "of")?;
            let noun = phrase[..of].last()?;
            noun.chars().all(|ch| ch.is_ascii_lowercase()).then(|| noun.to_string())
        }
        _ => None,
    }
}

/// "wants to add 1 gigawatt of new capacity every week": power that is added is an
/// addition to capacity, not the capacity itself.
fn capacity_added(s: &Sentence, rc: &claims::RawClaim, start: usize) -> Option<String> {
    if rc.kind != Kind::Power {
        return None;
    }
    let mut before = words_before(s.text, start).skip_while(|w| QUALIFIER_WORDS.contains(&w.as_ref()));
    let added = before
        .next()
        .is_some_and(|w| matches!(w.as_ref(), "add" | "adding" | "adds" | "added"));
    if !added {
        return None;
    }
    // Only a rate of additions: "added 2 gigawatts of capacity" is capacity gained.
    let after: Vec<&str> = clause_words_after(s, rc).collect();
    let rate = after.windows(2).any(|w| {
        matches!(w[0], "a" | "every" | "per" | "each") && matches!(w[1], "week" | "month" | "year" | "quarter" | "day")
    });
    rate.then(|| "capacity additions".to_string())
}

/// "2.9 gigawatts of contracted power by 2026, up from roughly 1.6 gigawatts": the base
/// a figure changed from measures the same thing as the figure.
fn base_of_change(rc: &claims::RawClaim, text: &str, start: usize, earlier: &[Earlier]) -> Option<String> {
    let mut before = words_before(text, start).skip_while(|w| QUALIFIER_WORDS.contains(&w.as_ref()) && w != "up");
    if before.next().as_deref() != Some("from") || !matches!(before.next().as_deref(), Some("up" | "down")) {
        return None;
    }
    let last = earlier.last()?;
    (last.kind == rc.kind && last.unit == rc.unit)
        .then(|| last.metric.clone())
        .flatten()
}

/// "increase its data-centre capacity by 40%": a percentage by which a named quantity
/// is changed is that quantity's growth.
fn growth_by(rc: &claims::RawClaim, text: &str, start: usize) -> Option<String> {
    if rc.kind != Kind::Percent || rc.unit != "%" {
        return None;
    }
    let before: Vec<Cow<str>> = words_before(text, start).take(8).collect();
    if before.first().map(|w| w.as_ref()) != Some("by") {
        return None;
    }
    let noun = before.get(1)?;
    let verb = before[2..].iter().any(|w| GROWTH_VERBS.contains(&w.as_ref()));
    let named = !GROWTH_VERBS.contains(&noun.as_ref()) && noun.chars().all(|ch| ch.is_ascii_lowercase());
    (verb && named).then(|| format!("{noun} growth"))
}

/// Words of a qualifier that may stand between a verb and its figure.
static QUALIFIER_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::QUALIFIER_WORDS));

/// "grew by 28.8 per cent ..., to $32.91bn": an amount that a flow grew to is the level
/// of that flow.
fn level_after_growth(rc: &claims::RawClaim, text: &str, start: usize, earlier: &[Earlier]) -> Option<String> {
    if rc.kind != Kind::Money {
        return None;
    }
    let mut before = words_before(text, start).skip_while(|w| QUALIFIER_WORDS.contains(&w.as_ref()) && w != "to");
    if before.next().as_deref() != Some("to") {
        return None;
    }
    let grown = earlier.last()?.metric.as_deref()?.strip_suffix(" growth")?;
    FLOWS.iter().any(|f| grown.ends_with(f)).then(|| grown.to_string())
}

/// Verbs of growth: a span over which something grows is the period of an expansion.
static GROWTH_VERBS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::GROWTH_VERBS));

/// "spend $30bn in the UK over four years", "pay CoreWeave $11.9 billion over five years",
/// "increase its capacity by 40% over two years": a duration that a sum or a change in
/// its clause is spread over is the period of that sum ("investment period"), the length
/// of a deal ("contract length"), or the period of an expansion.
fn span_over(s: &Sentence, rc: &claims::RawClaim, start: usize, earlier: &[Earlier]) -> Option<String> {
    if rc.kind != Kind::Duration {
        return None;
    }
    let before: Vec<Cow<str>> = words_before(s.text, start).take(5).collect();
    let mut w = before
        .iter()
        .map(|w| w.as_ref())
        .skip_while(|w| matches!(*w, "about" | "roughly" | "around" | "nearly" | "some" | "almost"));
    let over = match w.next() {
        Some("over" | "across" | "during") => true,
        Some("next" | "past") => w.next() == Some("the") && w.next() == Some("over"),
        _ => false,
    };
    if !over {
        return None;
    }
    let own = s.clauses.get(rc.first).copied();
    let money = earlier.iter().rev().find(|e| e.kind == Kind::Money && e.clause == own);
    match money.and_then(|e| e.metric.as_deref()) {
        Some("investment") => return Some("investment period".to_string()),
        Some("deal value" | "compute commitment") => return Some("contract length".to_string()),
        _ => {}
    }
    let grows = clause_words_before(s, rc).any(|w| GROWTH_VERBS.iter().any(|g| w.eq_ignore_ascii_case(g)));
    grows.then(|| "expansion period".to_string())
}

/// A valuation that a thing named before it is "valued at" or "worth" is that thing's
/// value: "a 27% stake in OpenAI, worth about $135 billion" and "27% of OpenAI Group PBC,
/// valued at roughly $135 billion" are the value of the stake, "a contract with CoreWeave
/// valued at $11.9 billion" the value of the deal, not a valuation of a company.
fn valued_thing(s: &Sentence, rc: &claims::RawClaim, metric: String, start: usize, earlier: &[Earlier]) -> String {
    if rc.kind != Kind::Money || metric != "valuation" {
        return metric;
    }
    let lex = s.lex;
    let stake_before = s
        .hits
        .iter()
        .any(|&(b, _, kw)| b < start && lex.keyword_metrics(kw).iter().any(|&m| lex.metrics[m].label == "stake"))
        || earlier.last().is_some_and(|e| e.metric.as_deref() == Some("stake"));
    if stake_before {
        return "value of stake".to_string();
    }
    let deal_before = clause_words_before(s, rc).any(|w| DEAL_WORDS.iter().any(|d| w.eq_ignore_ascii_case(d)));
    if deal_before { "deal value".to_string() } else { metric }
}

/// Metrics that a business segment or product has of its own ("Intelligent Cloud
/// revenue" is not Microsoft's revenue).
const SEGMENT_METRICS: &[&str] = &["revenue", "revenue growth", "operating income", "sales"];

/// A flow metric of a product or segment keeps its name: the first product named before
/// the figure in its sentence ("Microsoft's Intelligent Cloud segment reported revenue of
/// $32.91 billion" -> "Intelligent Cloud revenue"), when no organisation is named between
/// them and the product is in the figure's clause or the sentence opens with it.
fn with_segment(
    mentions: &[Mention],
    metric: &str,
    start: usize,
    toks: &[Tok],
    text: &str,
    clauses: &[usize],
    rc: &claims::RawClaim,
) -> String {
    if !SEGMENT_METRICS.contains(&metric) {
        return metric.to_string();
    }
    let before: Vec<&Mention> = mentions.iter().filter(|m| m.end <= start).collect();
    let Some(at) = before.iter().position(|m| m.owner.is_some()) else {
        return metric.to_string();
    };
    let product = before[at];
    if before[at + 1..].iter().any(|m| m.owner.is_none()) {
        return metric.to_string();
    }
    let own = clauses.get(rc.first).copied();
    let clause_at = |byte: usize| clause_at(toks, clauses, byte);
    let first_words = text[..product.start]
        .rsplit_once(['.', '\n', '\r'])
        .map_or(&text[..product.start], |(_, tail)| tail)
        .split_whitespace()
        .count();
    let opens = toks.first().is_some_and(|t| product.start <= t.start + 4) || first_words <= 2;
    if clause_at(product.start) == own || opens {
        format!("{} {metric}", product.name)
    } else {
        metric.to_string()
    }
}

/// The metric a keyword in `s` signals for a claim of `kind` (first allowed, lexicon order).
fn keyword_metric(lex: &Lexicon, s: &str, kind: Kind) -> Option<String> {
    let mut hits = Vec::new();
    lex.find_metrics(s, 0, s.len(), &mut hits);
    hits.iter().find_map(|&(_, _, kw)| {
        lex.keyword_metrics(kw).iter().find_map(|&m| {
            let metric = &lex.metrics[m];
            (metric.fits(kind) && !metric.near).then(|| metric.label.clone())
        })
    })
}

/// A figure in a Markdown table row: the metric its column's header names ("| Capacity |",
/// "| Term |"), when the header row is the first of the table and a `|---|` line follows it.
fn table_column_metric(lex: &Lexicon, text: &str, u: &Unit, start: usize, c: &claims::RawClaim) -> Option<String> {
    // Only a unit that opens with a pipe is a row (checked before any look back, so that a
    // long line costs nothing).
    if !text[u.start..].starts_with('|') {
        return None;
    }
    let row_start = text[..u.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if !text[row_start..u.start].trim().is_empty() {
        return None;
    }
    let column = text[row_start..start].matches('|').count();
    // Walk up the table to its first line.
    let mut first = row_start;
    let mut lines_up = 0;
    while first > 0 && lines_up < 10_000 {
        // Past this line's end (LF, CRLF or CR) to the start of the line before.
        let before = &text[..first];
        let before = before.strip_suffix('\n').unwrap_or(before);
        let before = before.strip_suffix('\r').unwrap_or(before);
        let prev_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if !text[prev_start..first].trim_start().starts_with('|') {
            break;
        }
        first = prev_start;
        lines_up += 1;
    }
    let mut lines = text[first..].split(['\n', '\r']).filter(|l| !l.is_empty());
    let header = lines.next()?;
    let separator = lines.next()?;
    let is_separator =
        separator.contains("---") && separator.chars().all(|ch| matches!(ch, '|' | '-' | ':' | ' ' | '\t'));
    if first == row_start || !is_separator {
        return None;
    }
    let cell = header.split('|').nth(column)?;
    keyword_metric(lex, cell, c.kind)
}

/// "about 27% of OpenAI Group": a percentage of a company, with no other metric in its
/// clause, is a stake in it.
fn share_of_company(
    c: &claims::RawClaim,
    own_keyword: bool,
    mentions: &[Mention],
    text: &str,
    end: usize,
) -> Option<String> {
    if c.kind != Kind::Percent || c.unit != "%" || c.direction.is_some() || own_keyword {
        return None;
    }
    mentions
        .iter()
        .find(|m| m.start >= end && m.owner.is_none() && !m.possessive && text[end..m.start].trim() == "of")
        .map(|_| "stake".to_string())
}

/// "Both hold 30-40% of the market, and neither has moved by more than 2 percentage
/// points": percentage points in a clause that names no metric measure a change of the
/// percentage the sentence gave before them.
/// `earlier`: the metric of the sentence's last percentage before this figure, if any.
fn points_of_earlier_share(c: &claims::RawClaim, own_keyword: bool, earlier: Option<Option<&str>>) -> Option<String> {
    if c.kind != Kind::Percent || c.unit != "pp" || own_keyword {
        return None;
    }
    earlier?.map(|m| format!("{m} change"))
}

/// Flow metrics that take "growth" when the figure is a change.
static FLOWS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::FLOWS));

/// The keywords of a sentence that a figure's metric is chosen among: the lexicon, where
/// its keywords stand (start, end, keyword) and whether a byte is in the figure's clause.
#[derive(Clone, Copy)]
struct Keywords<'a> {
    lex: &'a Lexicon,
    hits: &'a [(usize, usize, usize)],
    same_clause: &'a dyn Fn(usize) -> bool,
}

/// The metric label for a claim: the nearest lexicon keyword allowed for its kind
/// (keywords after the figure a little nearer than those before), refined: a change of
/// a flow becomes "<flow> growth", a percentage "of" a flow becomes "share of <flow>".
fn metric_of(keywords: &Keywords, c: &claims::RawClaim, text: &str, start: usize, end: usize) -> Option<String> {
    let Keywords { lex, hits, same_clause } = *keywords;
    if c.kind == Kind::Duration && interval_or_window(text, start, end) {
        return None;
    }
    let best = nearest_keyword(keywords, c, text, start, end);
    // A count names what it counts ("a dozen new data-centre sites"): its noun's head
    // word is the metric, unless its own clause has a keyword or another clause names
    // things counted ("AWS customers ..., used by 100,000 companies").
    let names_count = |s: usize, m: usize| same_clause(s) || lex.metrics[m].kinds == [Kind::Count];
    let Some((ks, _, m)) = best.filter(|&(s, _, m)| c.kind != Kind::Count || c.noun.is_none() || names_count(s, m))
    else {
        return counted_head(c);
    };
    let mut label = lex.metrics[m].label.clone();
    // "the backlog still grew 28%": a word of growth after a flow named earlier in the
    // clause is that flow's growth.
    if label == "revenue growth"
        && let Some(f) = flow_before(lex, hits, ks, same_clause)
    {
        label = format!("{f} growth");
    }
    let of_after = ks >= end && text[end..].trim_start().starts_with("of ");
    Some(refined_label(c, label, of_after))
}

/// "four months after the lab loosened its ties", "its fastest pace in 13 quarters": a
/// duration between `start` and `end` that is an interval between two events or the
/// window a superlative is measured over, not the length of anything.
fn interval_or_window(text: &str, start: usize, end: usize) -> bool {
    let next = text[end..]
        .split(|ch: char| !ch.is_alphanumeric())
        .find(|w| !w.is_empty());
    // "its fastest pace in 13 quarters", "the highest level in five years": the window a
    // superlative is measured over.
    let mut back = text[..start]
        .rsplit(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5);
    let superlative_window =
        back.next() == Some("in") && back.any(|w| w.len() > 4 && w.ends_with("est") || matches!(w, "most" | "least"));
    superlative_window || next.is_some_and(|w| matches!(w, "after" | "before" | "ago" | "later" | "earlier"))
}

/// "$350 million worth of CoreWeave shares": the keyword hit nearest the figure at
/// `start..end` whose metric fits the claim, as (start, end, metric).
fn nearest_keyword(
    keywords: &Keywords,
    c: &claims::RawClaim,
    text: &str,
    start: usize,
    end: usize,
) -> Option<(usize, usize, usize)> {
    let Keywords { lex, hits, same_clause } = *keywords;
    // "$350 million worth of CoreWeave shares": at most four words between.
    let own_noun = |s: usize| s >= end && same_clause(s) && text[end..s].split_whitespace().count() <= 4;
    let allowed = |kw: usize, s: usize| {
        lex.keyword_metrics(kw).iter().copied().find(|&m| {
            let metric = &lex.metrics[m];
            metric.fits(c.kind) && (!metric.near || own_noun(s))
        })
    };
    hits.iter()
        .filter_map(|&(s, e, kw)| allowed(kw, s).map(|m| (s, e, m)))
        .min_by_key(|&(s, e, _)| {
            // A keyword in another clause speaks of another figure, unless the figure's
            // own clause has none; then the one before it wins ("Two expansions, worth $4
            // billion and $6.5 billion, lifted the total to ...": the clause describes what
            // came before).
            let other = match (same_clause(s), s >= end) {
                (true, _) => 0,
                (false, false) => 1_000_000,
                (false, true) => 2_000_000,
            };
            other
                + if s >= end {
                    s - end
                } else if e <= start {
                    start - e + 2
                } else {
                    // A keyword inside the figure (its unit: "2 gigawatts") yields to a
                    // noun right after it ("2.9 gigawatts of contracted power").
                    6
                }
        })
}

/// "a dozen new data-centre sites": the head word of a count's noun, lower case.
fn counted_head(c: &claims::RawClaim) -> Option<String> {
    let noun = c.noun.as_deref()?.rsplit(' ').next()?;
    (c.kind == Kind::Count).then(|| noun.to_lowercase())
}

/// "the backlog still grew 28%": the last flow named in the clause before the keyword at `ks`.
fn flow_before<'l>(
    lex: &'l Lexicon,
    hits: &[(usize, usize, usize)],
    ks: usize,
    same_clause: &dyn Fn(usize) -> bool,
) -> Option<&'l str> {
    hits.iter()
        .filter(|&&(s, _, _)| s < ks && same_clause(s))
        .filter_map(|&(_, _, kw)| lex.keyword_metrics(kw).first())
        .map(|&m| lex.metrics[m].label.as_str())
        .rfind(|l| FLOWS.contains(l))
}

/// "revenue" of a 5% rise is "revenue growth", of "15% of revenue" "share of revenue":
/// the metric `label` refined by the claim's unit and direction.
fn refined_label(c: &claims::RawClaim, label: String, of_after: bool) -> String {
    let is_flow = FLOWS.contains(&label.as_str());
    match (c.kind, c.unit, c.direction) {
        (Kind::Percent, "pp", _) if label.contains("share") || label == "stake" => format!("{label} change"),
        (Kind::Percent, "pp", _) if is_flow => format!("{label} growth change"),
        (Kind::Percent, _, None) if is_flow && of_after => format!("share of {label}"),
        (Kind::Percent | Kind::Multiple, _, Some(Direction::Up | Direction::Down)) if is_flow => {
            format!("{label} growth")
        }
        _ => label,
    }
}

/// "$AMZN is up 7%": a change in percent after a cashtag in its clause is the stock's move.
fn ticker_move(toks: &[Tok], text: &str, clauses: &[usize], rc: &claims::RawClaim) -> Option<String> {
    if rc.kind != Kind::Percent || rc.direction.is_none() {
        return None;
    }
    let own = clauses.get(rc.first)?;
    let cashtag = (0..rc.first).any(|i| {
        clauses.get(i) == Some(own)
            && toks[i].text(text) == "$"
            && toks.get(i + 1).is_some_and(|n| {
                let w = n.text(text);
                !n.space_before
                    && n.kind == TokKind::Word
                    && (1..=5).contains(&w.len())
                    && w.chars().all(|c| c.is_ascii_uppercase())
            })
    });
    cashtag.then(|| "stock move".to_string())
}
