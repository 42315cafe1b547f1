//! conflicts: claims about the same thing from different articles, clustered by value,
//! given a verdict (conflict, explained, consistent) with the evidence, and a preferred
//! value with the support behind it.
//!
//! The steps, over [`SharedClaim`]s (or [`IndexedClaim`]s, shared first):
//! 1. **key** each claim: subject after alias folding, metric family, unit (and the counted
//!    noun), and for relational metrics the counterpart ([`crate::normalise`]). Claims with
//!    no subject or metric join nothing; a claim whose counterpart is not named joins the
//!    one key that its subject and metric have with a named counterpart.
//! 2. **cluster** the values of a key: two points agree when they differ by no more than the
//!    rounding of the precision written; a range takes in the points it holds (unless it
//!    holds points of more than one cluster, then it stays apart).
//! 3. **verdict**: one cluster across two or more articles is `consistent`; otherwise every
//!    pair of clusters must be explained (different periods, a bound versus a point, a
//!    cumulative total versus one tranche, a range holding a point) or the key is a
//!    `conflict`. Two sources that give different figures for the same period with nothing
//!    to explain it make a conflict even if other pairs are explained.
//! 4. **preferred value**: the cluster with the most weight ([`Weights`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;

use crate::model::{Direction, Document, IndexedClaim, Interner, Qualifier, SharedClaim, Source};
use crate::normalise::{self, Aliases, Period};

/// Every weight the preferred value uses, in one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Each distinct article that states a figure of the cluster.
    pub article: f64,
    /// Each distinct cited source (title and date) behind the cluster's sentences.
    pub cited_source: f64,
    /// Extra share of an article's weight when its sentence cites a source.
    pub cites_bonus: f64,
    /// Qualifier factors: exact, approximate, a bound (up to, at least, more/less than).
    pub exact: f64,
    pub approx: f64,
    pub bound: f64,
    /// Factor for a range ("30-40%"): it says less than a point figure.
    pub range: f64,
    /// Share of an article's weight that depends on its recency...
    pub recency_share: f64,
    /// ...which halves for every this many days it is older than the newest article in the
    /// group. Undated articles count as the oldest.
    pub recency_half_life_days: f64,
    /// Pseudo-weight added to the total when computing confidence, so that thin support
    /// never reaches certainty.
    pub confidence_prior: f64,
}

/// The weights the report uses.
pub const WEIGHTS: Weights = Weights {
    article: 1.0,
    cited_source: 0.5,
    cites_bonus: 0.25,
    exact: 1.0,
    approx: 0.85,
    bound: 0.5,
    range: 0.7,
    recency_share: 0.3,
    recency_half_life_days: 365.0,
    confidence_prior: 1.0,
};

/// The report's verdict on a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Conflict,
    Explained,
    Consistent,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conflict => "conflict",
            Verdict::Explained => "explained",
            Verdict::Consistent => "consistent",
        }
    }
}

/// A cited source as the report shows it: the article's source entry.
pub type CitedSource = Source;

/// Serialising the report's shared strings and lists as the owned ones they stand for.
mod shared {
    use std::sync::Arc;

    use serde::Serializer;

    pub fn str<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }

    pub fn opt<S: Serializer>(v: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_some(&**v),
            None => s.serialize_none(),
        }
    }

    pub fn list<S: Serializer, T: serde::Serialize>(v: &Arc<[T]>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter())
    }
}

/// One figure in a disagreement, traced to its file, line, sentence and sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
/// Its strings are shared with the claims read and with the other figures of the report.
pub struct ValueEntry {
    pub value: f64,
    pub value_max: Option<f64>,
    #[serde(serialize_with = "shared::str")]
    pub text: Arc<str>,
    pub qualifier: Qualifier,
    #[serde(serialize_with = "shared::opt")]
    pub period: Option<Arc<str>>,
    #[serde(serialize_with = "shared::str")]
    pub path: Arc<str>,
    pub line: usize,
    #[serde(serialize_with = "shared::str")]
    pub sentence: Arc<str>,
    #[serde(serialize_with = "shared::list")]
    pub citations: Arc<[CitedSource]>,
    /// The article's title and date.
    #[serde(serialize_with = "shared::opt")]
    pub title: Option<Arc<str>>,
    #[serde(serialize_with = "shared::opt")]
    pub published: Option<Arc<str>>,
    /// Which cluster (0-based, the preferred one first) the figure belongs to.
    pub cluster: usize,
}

/// The value the report prefers and how strongly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preferred {
    pub value: f64,
    pub value_max: Option<f64>,
    pub text: String,
    /// Distinct articles that support it.
    pub sources: usize,
    /// In [0, 1].
    pub confidence: f64,
}

/// One key with two or more articles: a disagreement, or agreement worth reporting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub subject: String,
    pub counterpart: Option<String>,
    pub metric: String,
    pub unit: String,
    /// `subject|counterpart|metric|unit`: stable across runs.
    pub key: String,
    pub verdict: Verdict,
    pub reason: String,
    pub preferred: Preferred,
    /// Distinct articles in the group.
    pub articles: usize,
    pub values: Vec<ValueEntry>,
}

/// Options of the reconciliation.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only keys stated by at least this many distinct articles (`--min-sources`).
    pub min_sources: usize,
    pub aliases: Aliases,
    pub weights: Weights,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_sources: 2,
            aliases: Aliases::builtin(),
            weights: WEIGHTS,
        }
    }
}

/// Turns documents from the pipeline into the records the index holds: each claim with its
/// article's path, title and date, and its citation numbers resolved against the article's
/// source list (unresolved numbers are dropped).
pub fn claims_from_documents(docs: &[Document]) -> Vec<IndexedClaim> {
    let mut out = Vec::new();
    for doc in docs {
        let by_n: BTreeMap<u32, &Source> = doc.sources.iter().map(|s| (s.n, s)).collect();
        for claim in &doc.claims {
            let mut seen = BTreeSet::new();
            let cited = claim
                .citations
                .iter()
                .filter(|n| seen.insert(**n))
                .filter_map(|n| by_n.get(n).map(|s| (*s).clone()))
                .collect();
            out.push(IndexedClaim {
                path: doc.path.clone(),
                title: doc.title.clone(),
                published: doc.published.clone(),
                claim: claim.clone(),
                cited,
            });
        }
    }
    out
}

/// What a claim is about, as far as keying goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    metric: Arc<str>,
    unit: Arc<str>,
    noun: Option<Arc<str>>,
    /// Directed: (subject, counterpart). Symmetric: the two names sorted.
    first: Arc<str>,
    second: Option<Arc<str>>,
}

/// A claim keyed: one per claim and subject, so kept small (its key is a number in
/// [`Keys`]).
#[derive(Debug, Clone)]
struct Keyed<'a> {
    ic: &'a SharedClaim,
    key: u32,
    subject: Arc<str>,
    symmetric: bool,
    relational: bool,
}

/// Every distinct key, numbered in the order first met.
#[derive(Debug, Default)]
struct Keys {
    table: Vec<Key>,
    ids: HashMap<Key, u32>,
}

impl Keys {
    fn id(&mut self, key: Key) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        // Fewer distinct keys than claims, and claims are counted in u32 by the index.
        let id = u32::try_from(self.table.len()).unwrap_or(u32::MAX);
        self.table.push(key.clone());
        self.ids.insert(key, id);
        id
    }

    fn get(&self, id: u32) -> &Key {
        &self.table[id as usize]
    }
}

/// Claims as [`reconcile_shared`] reads them, in the same order.
pub fn share(claims: &[IndexedClaim]) -> Vec<SharedClaim> {
    let mut interner = Interner::default();
    claims.iter().map(|ic| interner.claim(ic)).collect()
}

/// Builds the report's groups from indexed claims: [`reconcile_shared`] of their
/// [`share`].
pub fn reconcile(claims: &[IndexedClaim], opts: &Options) -> Vec<Disagreement> {
    reconcile_shared(&share(claims), opts)
}

/// Builds the report's groups from claims sorted by path (as the index lists them), sorted:
/// conflicts, then explained, then consistent; inside each, the groups with more articles
/// first, then by key.
pub fn reconcile_shared(claims: &[SharedClaim], opts: &Options) -> Vec<Disagreement> {
    let (mut keyed, keys) = key_claims(claims, &opts.aliases);
    // Grouped by key (members in the claims' order, groups in key order): sorted in place,
    // stably, by the key's rank; each group a run of `keyed`, judged in parallel, collected
    // in that order.
    let mut by_key: Vec<u32> = (0..keys.table.len()).filter_map(|i| u32::try_from(i).ok()).collect();
    by_key.sort_unstable_by(|&a, &b| keys.get(a).cmp(keys.get(b)));
    let mut rank = vec![0u32; by_key.len()];
    for (at, &id) in (0u32..).zip(&by_key) {
        rank[id as usize] = at;
    }
    keyed.sort_by_key(|k| rank[k.key as usize]);
    let groups: Vec<&[Keyed]> = keyed.chunk_by(|a, b| a.key == b.key).collect();
    let mut out: Vec<Disagreement> = groups
        .into_par_iter()
        .filter_map(|members| judge(keys.get(members[0].key), members, opts))
        .collect();
    out.sort_by(|a, b| {
        a.verdict
            .cmp(&b.verdict)
            .then(b.articles.cmp(&a.articles))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.metric.cmp(&b.metric))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

/// The counted thing's head noun, lower case and singular-ish ("Azure customers" ->
/// "customer").
fn noun_key(noun: &str, aliases: &Aliases) -> String {
    // The head noun and the word before it, names dropped: "Azure customers" and "customers"
    // count the same thing, as do "paying business users" and "business users"; "weekly
    // users" and "business users" do not.
    let words: Vec<&str> = noun.split_whitespace().collect();
    let n = words[words.len().saturating_sub(2)..]
        .iter()
        .filter(|w| !aliases.is_known(w))
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    match n.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && stem.len() > 2 => stem.to_string(),
        _ => n,
    }
}

/// What keying asks of the alias and metric tables, asked once per distinct name, metric
/// and noun (claims repeat a few hundred of them; the answers depend on nothing else).
struct Memo<'c> {
    fold: HashMap<&'c str, Option<Arc<str>>>,
    metric: HashMap<(&'c str, &'c str), Option<MetricKey>>,
    noun: HashMap<&'c str, Arc<str>>,
}

/// What keying needs of a [`normalise::Metric`], its names shared by every claim keyed.
#[derive(Debug, Clone)]
struct MetricKey {
    name: Arc<str>,
    counterpart: Option<Arc<str>>,
    relational: bool,
    symmetric: bool,
}

impl<'c> Memo<'c> {
    fn new(claims: &'c [SharedClaim], aliases: &Aliases) -> Self {
        let mut m = Memo {
            fold: HashMap::new(),
            metric: HashMap::new(),
            noun: HashMap::new(),
        };
        for c in claims {
            for name in c.subject.iter().chain(c.entities.iter()) {
                m.fold.entry(name).or_insert_with(|| aliases.fold(name).map(Arc::from));
            }
            if let Some(metric) = &c.metric {
                let unit = c.unit.trim();
                m.metric.entry((metric, unit)).or_insert_with(|| {
                    normalise::metric_for_unit(metric, unit, aliases).map(|mk| MetricKey {
                        name: mk.name.into(),
                        counterpart: mk.counterpart.map(Arc::from),
                        relational: mk.relational,
                        symmetric: mk.symmetric,
                    })
                });
            }
            if let Some(noun) = c.noun.as_deref().filter(|_| &*c.unit == "count") {
                m.noun.entry(noun).or_insert_with(|| noun_key(noun, aliases).into());
            }
        }
        m
    }

    fn fold(&self, name: &str) -> Option<Arc<str>> {
        self.fold.get(name).cloned().flatten()
    }
}

/// Claims keyed in parallel per this many.
const KEY_CHUNK: usize = if cfg!(test) { 3 } else { 4096 };

fn key_claims<'a>(claims: &'a [SharedClaim], aliases: &Aliases) -> (Vec<Keyed<'a>>, Keys) {
    let memo = Memo::new(claims, aliases);
    // How often each entity is named in each article: a tie-breaker for the counterpart.
    // Counted per run of claims of one article (claims come sorted by path; a path in
    // several runs adds up), so that the paths are compared once per name, not per mention.
    let runs: Vec<&[SharedClaim]> = claims.chunk_by(|a, b| a.article.path == b.article.path).collect();
    let counted: Vec<(&str, BTreeMap<Arc<str>, usize>)> = runs
        .par_iter()
        .map(|run| {
            let mut m: BTreeMap<Arc<str>, usize> = BTreeMap::new();
            for e in run.iter().flat_map(|ic| ic.entities.iter()) {
                if let Some(f) = memo.fold(e) {
                    *m.entry(f).or_default() += 1;
                }
            }
            (&*run[0].article.path, m)
        })
        .collect();
    let mut mentions: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for (path, m) in counted {
        for (f, n) in m {
            *mentions.entry((path, f.to_string())).or_default() += n;
        }
    }
    // Each claim keyed on its own, in parallel, a few chunks per core at a time, collected
    // in the claims' order with its key numbered: the full keys are held only for a window.
    let mut keyed: Vec<Keyed> = Vec::with_capacity(claims.len());
    let mut keys = Keys::default();
    let window = KEY_CHUNK * rayon::current_num_threads().max(1) * 4;
    for run in claims.chunks(window) {
        let parts: Vec<Vec<(Key, Keyed)>> = run
            .par_chunks(KEY_CHUNK)
            .map(|chunk| {
                chunk
                    .iter()
                    .flat_map(|ic| key_claim(ic, aliases, &memo, &mentions))
                    .collect()
            })
            .collect();
        for (key, mut k) in parts.into_iter().flatten() {
            k.key = keys.id(key);
            keyed.push(k);
        }
    }
    keyed.shrink_to_fit();
    attach_unnamed_counterparts(&mut keyed, &keys);
    (keyed, keys)
}

/// The keys of one claim (none, one, or one per subject of an "A and B each ...").
fn key_claim<'a>(
    ic: &'a SharedClaim,
    aliases: &Aliases,
    memo: &Memo,
    mentions: &BTreeMap<(&str, String), usize>,
) -> Vec<(Key, Keyed<'a>)> {
    let mut keyed = Vec::new();
    {
        let c = ic;
        let Some(subject) = c.subject.as_deref().and_then(|s| memo.fold(s)) else {
            return keyed;
        };
        let Some(metric) = c
            .metric
            .as_deref()
            .and_then(|m| memo.metric.get(&(m, c.unit.trim())))
            .and_then(Option::as_ref)
        else {
            return keyed;
        };
        if c.unit.trim().is_empty() || !c.value.is_finite() {
            return keyed;
        }
        let counterpart = if metric.relational {
            metric
                .counterpart
                .clone()
                .filter(|cp| *cp != subject)
                .or_else(|| counterpart_from_sentence(ic, &subject, aliases, mentions).map(Arc::from))
        } else {
            None
        };
        let noun = (&*c.unit == "count")
            .then(|| c.noun.as_deref().and_then(|n| memo.noun.get(n).cloned()))
            .flatten();
        // A change is measured over a window (a one-day move never meets a year-to-date one),
        // and a rate ("1 gigawatt a week", "$6 billion a year") never meets a level.
        let window = c
            .direction
            .and_then(|_| change_window(&c.sentence, &c.text))
            .or_else(|| rate_of(&c.sentence, &c.text));
        let noun: Option<Arc<str>> = match (noun, window) {
            (Some(n), Some(w)) => Some(format!("{n}, {w}").into()),
            (None, Some(w)) => Some(w.into()),
            (n, None) => n,
        };
        // "Amazon and Microsoft each hold 30-40%": a figure about both.
        let mut subjects = vec![subject.clone()];
        if !metric.relational {
            for other in each_of(&c.sentence, &subject, aliases) {
                let other: Arc<str> = other.into();
                if !subjects.contains(&other) {
                    subjects.push(other);
                }
            }
        }
        for subject in subjects {
            let (first, second) = order_pair(&subject, counterpart.clone(), metric.symmetric);
            let key = Key {
                metric: metric.name.clone(),
                unit: if c.unit.trim().len() == c.unit.len() {
                    c.unit.clone()
                } else {
                    c.unit.trim().into()
                },
                noun: noun.clone(),
                first,
                second,
            };
            keyed.push((
                key,
                Keyed {
                    ic,
                    key: 0,
                    subject,
                    symmetric: metric.symmetric,
                    relational: metric.relational,
                },
            ));
        }
    }
    keyed
}

/// Phrases naming the window a change is measured over, and the window's name.
const WINDOWS: &[(&str, &str)] = &[
    ("year to date", "year to date"),
    ("year-to-date", "year to date"),
    ("so far this year", "year to date"),
    ("since the start of the year", "year to date"),
    ("this year", "year to date"),
    ("on the day", "one day"),
    ("the day after", "one day"),
    ("in early trading", "one day"),
    ("in one day", "one day"),
    // Growth is year on year unless said otherwise, so that window is not named.
];

/// The window of a change: named in the figure's clause, else the one nearest to it in its
/// sentence, else the sentence's only window ("up 7% so far this year, while Microsoft's is
/// down 20%": both are year to date).
fn change_window(sentence: &str, text: &str) -> Option<&'static str> {
    let phrases: Vec<&'static str> = WINDOWS.iter().map(|(p, _)| *p).collect();
    let name = |p: &str| WINDOWS.iter().find(|(w, _)| *w == p).map(|(_, n)| *n);
    if let Some(found) =
        marker(clause_of(sentence, text), &phrases).or_else(|| nearest_marker(sentence, text, &phrases))
    {
        return name(found);
    }
    let lower = sentence.to_lowercase();
    let windows: BTreeSet<&str> = WINDOWS
        .iter()
        .filter(|(p, _)| {
            lower
                .match_indices(p)
                .any(|(at, _)| word_bounded(&lower, at, at + p.len()))
        })
        .map(|(_, n)| *n)
        .collect();
    match windows.len() {
        1 => windows.into_iter().next(),
        _ => None,
    }
}

static RATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:\s+of\s+[\w\s'\x{2019}-]{0,30}?)?\s+(?:(?:a|per|every|each)\s+(week|year|month|day|quarter)\b(?:\s+(?:earlier|ago|before|later))?|(annually|weekly|monthly|daily))",
    )
    .expect("static regex")
});

/// "per week" when the figure is a rate: "1 gigawatt of new capacity every week", "$6
/// billion a year", "annually" (not "a year earlier").
fn rate_of(sentence: &str, text: &str) -> Option<&'static str> {
    let at = (!text.is_empty()).then(|| sentence.find(text)).flatten()?;
    let cap = RATE.captures(&sentence[at + text.len()..])?;
    if cap.get(0).is_some_and(|m| {
        let m = m.as_str().to_lowercase();
        ["earlier", "ago", "before", "later"].iter().any(|w| m.ends_with(w))
    }) {
        return None;
    }
    let unit = cap.get(1).or_else(|| cap.get(2))?.as_str().to_lowercase();
    Some(match unit.as_str() {
        "week" | "weekly" => "per week",
        "year" | "annually" => "per year",
        "month" | "monthly" => "per month",
        "day" | "daily" => "per day",
        _ => "per quarter",
    })
}

static EACH: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"[A-Z$][\w$.&'\x{2019}-]*(?:\s+[A-Z][\w$.&'\x{2019}-]*)*";
    Regex::new(&format!(r"({name})\s+and\s+({name})\s+(?:each|both)\b")).expect("static regex")
});

/// The other names of an "A and B each ..." in the sentence, when the subject is one of them.
fn each_of(sentence: &str, subject: &str, aliases: &Aliases) -> Vec<String> {
    let mut out = Vec::new();
    for cap in EACH.captures_iter(sentence) {
        let names: Vec<String> = [cap.get(1), cap.get(2)]
            .into_iter()
            .flatten()
            .filter_map(|m| aliases.fold(m.as_str()))
            .collect();
        if names.iter().any(|n| n == subject) {
            out.extend(names.into_iter().filter(|n| n != subject && aliases.is_known(n)));
        }
    }
    out
}

fn order_pair(subject: &Arc<str>, counterpart: Option<Arc<str>>, symmetric: bool) -> (Arc<str>, Option<Arc<str>>) {
    match counterpart {
        Some(cp) if symmetric && cp < *subject => (cp, Some(subject.clone())),
        cp => (subject.clone(), cp),
    }
}

/// The other party of a relational claim, from its entities or an "in/to/with X" in its
/// sentence: preferring a name right after such a preposition, then one in the article's
/// title, then the one the article names most, then the first named.
fn counterpart_from_sentence(
    ic: &SharedClaim,
    subject: &str,
    aliases: &Aliases,
    mentions: &BTreeMap<(&str, String), usize>,
) -> Option<String> {
    let sentence: &str = &ic.sentence;
    let mut candidates: Vec<String> = Vec::new();
    for e in ic.entities.iter() {
        if let Some(f) = aliases.fold(e)
            && f != subject
            && !candidates.contains(&f)
        {
            candidates.push(f);
        }
    }
    if candidates.is_empty() {
        // "... to OpenAI", "... with CoreWeave": a known name after a preposition.
        let lower = sentence.to_lowercase();
        for prep in [" in ", " into ", " to ", " with ", " from "] {
            let mut from = 0;
            while let Some(rel) = lower.get(from..).and_then(|l| l.find(prep)) {
                let at = from + rel + prep.len();
                let word: String = sentence
                    .get(at..)
                    .unwrap_or("")
                    .split(|ch: char| ch.is_whitespace() || matches!(ch, ',' | '.' | ';' | ':' | ')'))
                    .next()
                    .unwrap_or("")
                    .to_string();
                if word.chars().next().is_some_and(char::is_uppercase)
                    && let Some(f) = aliases.fold(&word)
                    && f != subject
                    && aliases.is_known(&f)
                    && !candidates.contains(&f)
                {
                    candidates.push(f);
                }
                from = at;
            }
        }
    }
    // A party named in the figure's own clause wins over the rest of the sentence.
    let clause = clause_of(sentence, &ic.text);
    // Failing that, one named before it: a name in a later clause is about something else
    // ("... $15bn on data centres, and OpenAI has its own project").
    let clause_end = clause.as_ptr() as usize - sentence.as_ptr() as usize + clause.len();
    if candidates.iter().any(|c| aliases.find_in(c, clause).is_some()) {
        candidates.retain(|c| aliases.find_in(c, clause).is_some());
    } else {
        candidates.retain(|c| aliases.find_in(c, sentence).is_none_or(|at| at < clause_end));
    }
    if candidates.len() <= 1 {
        return candidates.pop();
    }
    let lower = sentence.to_lowercase();
    let title = ic.article.title.as_deref().unwrap_or("");
    let score = |cand: &String| -> (u8, u8, usize, std::cmp::Reverse<usize>) {
        let pos = aliases.find_in(cand, sentence);
        let after_prep = pos.is_some_and(|p| {
            let before = lower.get(..p).unwrap_or("").trim_end();
            ["in", "into", "to", "with", "from", "by"]
                .iter()
                .any(|w| before.ends_with(&format!(" {w}")) || before == *w)
        });
        let in_title = aliases.find_in(cand, title).is_some();
        let count = mentions.get(&(&*ic.article.path, cand.clone())).copied().unwrap_or(0);
        (
            u8::from(after_prep),
            u8::from(in_title),
            count,
            std::cmp::Reverse(pos.unwrap_or(usize::MAX)),
        )
    };
    candidates.iter().max_by_key(|c| score(c)).cloned()
}

/// A relational claim whose counterpart is not named joins the key its subject and metric
/// have with a named counterpart, when exactly one such key exists (or one is named in the
/// claim's article title).
fn attach_unnamed_counterparts(keyed: &mut [Keyed], keys: &Keys) {
    type Base = (Arc<str>, Arc<str>, Option<Arc<str>>, Arc<str>);
    let mut named: BTreeMap<Base, BTreeSet<&Key>> = BTreeMap::new();
    for k in keyed.iter() {
        let key = keys.get(k.key);
        if k.relational && key.second.is_some() {
            let base = (key.metric.clone(), key.unit.clone(), key.noun.clone());
            let mut parties = vec![key.first.clone()];
            if k.symmetric {
                parties.extend(key.second.clone());
            }
            for p in parties {
                named
                    .entry((base.0.clone(), base.1.clone(), base.2.clone(), p))
                    .or_default()
                    .insert(key);
            }
        }
    }
    for k in keyed.iter_mut() {
        let key = keys.get(k.key);
        if !k.relational || key.second.is_some() {
            continue;
        }
        let lookup = (
            key.metric.clone(),
            key.unit.clone(),
            key.noun.clone(),
            k.subject.clone(),
        );
        let Some(options) = named.get(&lookup) else {
            continue;
        };
        let chosen = if options.len() == 1 {
            options.iter().next().copied()
        } else {
            let title = k.ic.article.title.as_deref().unwrap_or("").to_lowercase();
            let hits: Vec<&Key> = options
                .iter()
                .copied()
                .filter(|o| {
                    let other = if o.first == k.subject {
                        o.second.as_deref()
                    } else {
                        Some(&*o.first)
                    };
                    other.is_some_and(|n| title.contains(&n.to_lowercase()))
                })
                .collect();
            (hits.len() == 1).then(|| hits[0])
        };
        if let Some(id) = chosen.and_then(|key| keys.ids.get(key)) {
            k.key = *id;
        }
    }
}

/// One figure ready for comparison.
#[derive(Debug, Clone)]
struct Fig<'a> {
    ic: &'a SharedClaim,
    lo: f64,
    hi: f64,
    tol: f64,
    period: Option<Period>,
    /// The period is the article's date: the figure states none but is a running total or a
    /// change, which the text reports as of its writing.
    implied_period: bool,
    cumulative: Option<&'static str>,
    part: Option<&'static str>,
    /// Scope words in the figure's clause ("AI", "UK", "commercial", "global").
    scope: BTreeSet<&'static str>,
}

impl Fig<'_> {
    fn claim(&self) -> &SharedClaim {
        self.ic
    }
    fn is_range(&self) -> bool {
        self.hi > self.lo
    }
    fn is_bound(&self) -> bool {
        matches!(
            self.claim().qualifier,
            Qualifier::UpTo | Qualifier::AtLeast | Qualifier::MoreThan | Qualifier::LessThan
        )
    }
    /// Points agree within the rounding either side wrote; a range holds a point (or meets
    /// another range) when they overlap, rounding included.
    fn agrees(&self, other: &Fig) -> bool {
        let tol = self.tol.max(other.tol);
        self.lo - tol <= other.hi && other.lo - tol <= self.hi
    }
}

fn signed(v: f64, dir: Option<Direction>) -> f64 {
    if dir == Some(Direction::Down) { -v } else { v }
}

/// Words near a figure that mark it as a running or overall total.
const CUMULATIVE: &[&str] = &[
    "grew to",
    "grown to",
    "risen to",
    "rose to",
    "in total",
    "total",
    "totals",
    "cumulative",
    "cumulatively",
    "so far",
    "to date",
    "all told",
    "in all",
    "overall",
    "altogether",
    "combined",
    "counting earlier",
    "bringing its total",
    "over the years",
    "since",
    "running total",
];

/// Words near a figure that mark it as one tranche or a part of something larger.
const PART: &[&str] = &[
    "a commitment of",
    "commitment of",
    "tranche",
    "initial",
    "first",
    "further",
    "additional",
    "another",
    "installment",
    "instalment",
    "part of",
    "portion",
    "of which",
    "paid at signing",
    "upfront",
    "up front",
];

/// The clause of the sentence that holds the figure (between the nearest `, ; : ( )` or dash).
fn clause_of<'s>(sentence: &'s str, text: &str) -> &'s str {
    let Some(at) = (!text.is_empty()).then(|| sentence.find(text)).flatten() else {
        return sentence;
    };
    let end_text = at + text.len();
    let is_break = |c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '\u{2014}' | '\u{2013}');
    // Past the break character, whatever its width (an en dash is three bytes).
    let start = sentence[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_break(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = sentence[end_text..]
        .find(is_break)
        .map_or(sentence.len(), |i| end_text + i);
    &sentence[start..end]
}

#[cfg(test)]
mod clause_tests {
    #[test]
    fn multibyte_breaks_do_not_split_characters() {
        let s = "It grew to 2 gigawatts.[5–7] Commentators disputed the $50 billion figure";
        assert_eq!(
            super::clause_of(s, "$50 billion"),
            "7] Commentators disputed the $50 billion figure"
        );
    }
}

fn marker(clause: &str, words: &[&'static str]) -> Option<&'static str> {
    let lower = clause.to_lowercase();
    words.iter().copied().find(|w| {
        let mut from = 0;
        while let Some(rel) = lower.get(from..).and_then(|l| l.find(w)) {
            let at = from + rel;
            let end = at + w.len();
            let ok_before = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let ok_after = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if ok_before && ok_after {
                return true;
            }
            from = end;
        }
        false
    })
}

/// The sentence without its parenthesised asides.
fn without_asides(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut depth = 0usize;
    for ch in sentence.chars() {
        match ch {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

static FIGURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[$\x{a3}\x{20ac}]?\d[\d,.]*").expect("static regex"));

/// A marker anywhere in the sentence, when the figure nearest to it is this one (`text`).
fn nearest_marker(sentence: &str, text: &str, words: &[&'static str]) -> Option<&'static str> {
    let own = (!text.is_empty()).then(|| sentence.find(text)).flatten()?;
    let own = (own, own + text.len());
    let figures: Vec<(usize, usize)> = FIGURE.find_iter(sentence).map(|m| (m.start(), m.end())).collect();
    let lower = sentence.to_lowercase();
    let distance = |span: (usize, usize), at: usize, len: usize| {
        if at + len <= span.0 {
            span.0 - (at + len)
        } else {
            at.saturating_sub(span.1)
        }
    };
    for w in words {
        for (at, _) in lower.match_indices(w) {
            if !word_bounded(&lower, at, at + w.len()) {
                continue;
            }
            let own_d = distance(own, at, w.len());
            let other_closer = figures
                .iter()
                .filter(|f| f.1 <= own.0 || f.0 >= own.1)
                .any(|f| distance(*f, at, w.len()) < own_d);
            if !other_closer {
                return Some(w);
            }
        }
    }
    None
}

fn word_bounded(s: &str, a: usize, b: usize) -> bool {
    let before = s.get(..a).and_then(|x| x.chars().next_back());
    let after = s.get(b..).and_then(|x| x.chars().next());
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

fn fig(ic: &SharedClaim) -> Fig<'_> {
    let c = ic;
    let a = signed(c.value, c.direction);
    let b = c
        .value_max
        .filter(|m| m.is_finite())
        .map_or(a, |m| signed(m, c.direction));
    // Asides in parentheses ("$13bn (about £10bn at today's rate) over the years") are read
    // past, unless the figure is in one.
    let plain = without_asides(&c.sentence);
    let sentence = if !c.text.is_empty() && plain.contains(&*c.text) {
        plain.as_str()
    } else {
        &*c.sentence
    };
    let clause = clause_of(sentence, &c.text);
    // A total is often named a clause away ("the total reported in different ways: as $11
    // billion"): the sentence counts when the clause says nothing.
    let cumulative = marker(clause, CUMULATIVE).or_else(|| nearest_marker(sentence, &c.text, CUMULATIVE));
    let stated = c.period.as_deref().and_then(Period::parse);
    let implied = match (&stated, ic.article.published.as_deref()) {
        (None, Some(date)) if cumulative.is_some() || c.direction.is_some() => {
            Period::parse(date.get(..10).unwrap_or(date))
        }
        _ => None,
    };
    Fig {
        ic,
        lo: a.min(b),
        hi: a.max(b),
        tol: normalise::rounding_tolerance(&c.text, c.value),
        implied_period: implied.is_some(),
        period: stated.or(implied),
        cumulative,
        part: marker(clause, PART),
        scope: scope_words(clause),
    }
}

/// Words that narrow what a figure covers, and the scope each stands for.
const SCOPE: &[(&str, &str)] = &[
    ("AI", "AI"),
    ("UK", "UK"),
    ("British", "UK"),
    ("US", "US"),
    ("U.S.", "US"),
    ("American", "US"),
    ("EU", "EU"),
    ("European", "EU"),
    ("Europe", "EU"),
    ("China", "China"),
    ("Chinese", "China"),
    ("global", "global"),
    ("worldwide", "global"),
    ("enterprise", "enterprise"),
    ("consumer", "consumer"),
    ("commercial", "commercial"),
    ("domestic", "domestic"),
    ("international", "international"),
    ("excluding", "excluding"),
    ("excl.", "excluding"),
];

fn scope_words(clause: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for word in clause.split(|c: char| !(c.is_alphanumeric() || c == '.')) {
        let word = word.trim_end_matches('.');
        for (w, scope) in SCOPE {
            let w = w.trim_end_matches('.');
            // Acronyms match as written; other words in any case.
            let hit = if w.chars().all(|c| c.is_uppercase()) {
                word == w
            } else {
                word.eq_ignore_ascii_case(w)
            };
            if hit {
                out.insert(*scope);
            }
        }
    }
    out
}

/// Each cluster's span (lowest and highest value) and widest tolerance.
fn spans_of(clusters: &[Vec<Fig>]) -> Vec<(f64, f64, f64)> {
    clusters
        .iter()
        .map(|c| {
            let lo = c.iter().map(|f| f.lo).fold(f64::INFINITY, f64::min);
            let hi = c.iter().map(|f| f.hi).fold(f64::NEG_INFINITY, f64::max);
            let tol = c.iter().map(|f| f.tol).fold(0.0, f64::max);
            (lo, hi, tol)
        })
        .collect()
}

/// Clusters figures: points by rounding (single linkage), then each range joins the one
/// cluster it agrees with; a range that agrees with several stays on its own so that it does
/// not bridge figures that disagree.
fn cluster<'a>(figs: &[Fig<'a>]) -> Vec<Vec<Fig<'a>>> {
    let mut points: Vec<&Fig> = figs.iter().filter(|f| !f.is_range()).collect();
    points.sort_by(|a, b| a.lo.total_cmp(&b.lo));
    let mut clusters: Vec<Vec<Fig<'a>>> = Vec::new();
    // Per cluster: the largest `hi` and `hi + tol` of its members (points come sorted, so a
    // point agrees with the last cluster iff it comes within one of its members' reach).
    let mut reach: Vec<(f64, f64)> = Vec::new();
    for p in points {
        let joins = reach.last().is_some_and(|&(hi, hi_tol)| p.lo <= hi_tol.max(hi + p.tol));
        match (joins, clusters.last_mut(), reach.last_mut()) {
            (true, Some(last), Some(r)) => {
                last.push(p.clone());
                *r = (r.0.max(p.hi), r.1.max(p.hi + p.tol));
            }
            _ => {
                clusters.push(vec![p.clone()]);
                reach.push((p.hi, p.hi + p.tol));
            }
        }
    }
    let spans = spans_of(&clusters);
    let mut ranges: Vec<&Fig> = figs.iter().filter(|f| f.is_range()).collect();
    ranges.sort_by(|a, b| a.lo.total_cmp(&b.lo).then(a.hi.total_cmp(&b.hi)));
    // A group can hold tens of thousands of figures: each range looks only at the point
    // clusters and range clusters it could meet, found without a scan of them all.
    //
    // Point clusters come in order and apart (each starts past the last one's highest
    // value), so both ends of their spans rise: the spans a range can meet, tolerance
    // included, are one run of them, found by binary search.
    let widest_span_tol = spans.iter().map(|s| s.2).fold(0.0, f64::max);
    let rising = spans.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1);
    let widest_range_tol = ranges.iter().map(|r| r.tol).fold(0.0, f64::max);
    let mut range_clusters: Vec<Vec<Fig<'a>>> = Vec::new();
    // Per range cluster: its lowest value, highest value and widest tolerance, so that a
    // cluster none of whose members can agree with a range is passed over unread.
    let mut bounds: Vec<(f64, f64, f64)> = Vec::new();
    // The range clusters a range may still meet, in the order they were made (ranges come
    // by rising low end: a cluster whose highest value plus any tolerance is below one
    // range's low end is below every later one's too).
    let mut open: Vec<usize> = Vec::new();
    for r in ranges {
        let reach = widest_span_tol.max(r.tol);
        let window = if rising {
            spans.partition_point(|s| s.1 < r.lo - reach)..spans.partition_point(|s| s.0 <= r.hi + reach)
        } else {
            0..spans.len()
        };
        let hits: Vec<usize> = window
            .filter(|&i| {
                let (lo, hi, tol) = spans[i];
                let tol = tol.max(r.tol);
                r.lo - tol <= hi && lo - tol <= r.hi
            })
            .collect();
        if let [only] = hits[..] {
            clusters[only].push(r.clone());
            continue;
        }
        open.retain(|&c| {
            let (_, hi, tol) = bounds[c];
            r.lo <= hi + tol.max(widest_range_tol)
        });
        // Members newest first: they came by rising low end, so the likeliest to meet
        // this range are the last ones.
        let meets = open.iter().copied().find(|&c| {
            let (lo, hi, tol) = bounds[c];
            let tol = tol.max(r.tol);
            lo - tol <= r.hi && r.lo - tol <= hi && range_clusters[c].iter().rev().any(|q| q.agrees(r))
        });
        match meets {
            Some(c) => {
                let b = &mut bounds[c];
                *b = (b.0.min(r.lo), b.1.max(r.hi), b.2.max(r.tol));
                range_clusters[c].push(r.clone());
            }
            None => {
                open.push(range_clusters.len());
                bounds.push((r.lo, r.hi, r.tol));
                range_clusters.push(vec![r.clone()]);
            }
        }
    }
    clusters.extend(range_clusters);
    clusters
}

/// Why two figures can both be true.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Why {
    /// Different periods (earlier, later as written).
    Periods(String, String),
    /// Any other evidence: its kind (range, bound, cumulative, part) and the clause saying it.
    Clause(u8, String),
}

/// Why two figures can both be true, if anything says so.
fn explain_pair(a: &Fig, b: &Fig) -> Option<Why> {
    if let (Some(pa), Some(pb)) = (&a.period, &b.period)
        && pa.overlaps(pb) == Some(false)
    {
        let (x, y) = (period_text(a), period_text(b));
        let (x, y) = if x <= y { (x, y) } else { (y, x) };
        return Some(Why::Periods(x, y));
    }
    for (r, p) in [(a, b), (b, a)] {
        if r.is_range() && !p.is_range() && r.lo - r.tol <= p.lo && p.lo <= r.hi + r.tol {
            return Some(Why::Clause(
                0,
                format!("{} lies inside the range {}", p.claim().text, r.claim().text),
            ));
        }
    }
    for (x, y) in [(a, b), (b, a)] {
        if x.is_bound() && !y.is_bound() {
            return Some(Why::Clause(
                1,
                format!(
                    "{} {} is a bound, not a point figure like {}",
                    qualifier_words(x.claim().qualifier),
                    x.claim().text,
                    y.claim().text
                ),
            ));
        }
    }
    let (big, small) = if a.hi >= b.hi { (a, b) } else { (b, a) };
    if let Some(w) = big.cumulative.filter(|_| small.cumulative.is_none()) {
        let tranche = small.part.map_or(String::new(), |p| format!(" ('{p}')"));
        return Some(Why::Clause(
            2,
            format!(
                "{} is a cumulative total ('{w}'), {} one tranche or part{tranche}",
                big.claim().text,
                small.claim().text
            ),
        ));
    }
    if a.scope != b.scope && !(a.scope.is_empty() && b.scope.is_empty()) {
        let name = |f: &Fig| {
            if f.scope.is_empty() {
                "unqualified".to_string()
            } else {
                f.scope.iter().copied().collect::<Vec<_>>().join(" ")
            }
        };
        return Some(Why::Clause(
            4,
            format!(
                "{} and {} cover different scopes ({} vs {})",
                a.claim().text,
                b.claim().text,
                name(a),
                name(b)
            ),
        ));
    }
    if let Some(w) = small.part.filter(|_| big.part.is_none()) {
        return Some(Why::Clause(
            3,
            format!(
                "{} is one part ('{w}') of a larger whole such as {}",
                small.claim().text,
                big.claim().text
            ),
        ));
    }
    None
}

/// One sentence from the explanations of every pair of clusters: the periods merged into
/// one clause ("2019 vs 2023 and 2023-01: different periods"), then one clause per other kind.
fn explanation_sentence(whys: &[Why]) -> String {
    let mut periods: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut clauses: BTreeMap<u8, &str> = BTreeMap::new();
    for w in whys {
        match w {
            Why::Periods(x, y) => {
                periods.entry(x.as_str()).or_default().insert(y.as_str());
            }
            Why::Clause(kind, text) => {
                clauses.entry(*kind).or_insert(text.as_str());
            }
        }
    }
    // Periods the text states say more than articles' dates: when there are any, they speak.
    const IMPLIED: &str = "(article date)";
    if periods
        .iter()
        .any(|(x, ys)| !x.contains(IMPLIED) && ys.iter().any(|y| !y.contains(IMPLIED)))
    {
        periods.retain(|x, _| !x.contains(IMPLIED));
        for ys in periods.values_mut() {
            ys.retain(|y| !y.contains(IMPLIED));
        }
        periods.retain(|_, ys| !ys.is_empty());
    }
    let mut parts: Vec<String> = Vec::new();
    if !periods.is_empty() {
        let pairs: Vec<String> = periods
            .iter()
            .map(|(x, ys)| format!("{x} vs {}", and_list(&ys.iter().copied().collect::<Vec<_>>())))
            .collect();
        parts.push(format!("{}: different periods", pairs.join(", ")));
    }
    parts.extend(clauses.values().map(|c| c.to_string()));
    format!("{}.", parts.join("; "))
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn period_text(f: &Fig) -> String {
    match (&f.claim().period, f.ic.article.published.as_deref()) {
        (Some(p), _) => p.to_string(),
        (None, Some(d)) if f.implied_period => format!("{} (article date)", d.get(..10).unwrap_or(d)),
        _ => String::new(),
    }
}

fn qualifier_words(q: Qualifier) -> &'static str {
    match q {
        Qualifier::UpTo => "up to",
        Qualifier::AtLeast => "at least",
        Qualifier::MoreThan => "more than",
        Qualifier::LessThan => "less than",
        Qualifier::Approx => "about",
        Qualifier::Exact => "exactly",
    }
}

/// Two figures that state different values for the same period with nothing to explain.
fn contradict(a: &Fig, b: &Fig) -> bool {
    // Only periods the text states: an article's date is too weak to accuse two figures.
    if a.implied_period || b.implied_period {
        return false;
    }
    let same_period = match (&a.period, &b.period) {
        (Some(pa), Some(pb)) => pa.overlaps(pb) == Some(true),
        _ => false,
    };
    same_period && explain_pair(a, b).is_none()
}

/// How two clusters relate:
/// `Ok(Some(reason))` when explained, `Ok(None)` when a cluster is empty (never, as built),
/// `Err(example pair)` when not explained.
fn explain_clusters<'c, 'a>(x: &'c [Fig<'a>], y: &'c [Fig<'a>]) -> Result<Option<Why>, (&'c Fig<'a>, &'c Fig<'a>)> {
    let mut reason: Option<Why> = None;
    // Figures alike in everything the evidence looks at are compared once.
    let (x, y) = (distinct(x), distinct(y));
    for &a in &x {
        for &b in &y {
            if contradict(a, b) {
                return Err((a, b));
            }
            if reason.is_none() {
                reason = explain_pair(a, b);
            }
        }
    }
    match (reason, x.first(), y.first()) {
        (Some(r), _, _) => Ok(Some(r)),
        (None, Some(a), Some(b)) => Err((a, b)),
        (None, _, _) => Ok(None),
    }
}

/// One figure per distinct (value, rounding, qualifier, period, markers, scope).
fn distinct<'c, 'a>(figs: &'c [Fig<'a>]) -> Vec<&'c Fig<'a>> {
    let mut seen = BTreeSet::new();
    figs.iter()
        .filter(|f| {
            seen.insert((
                f.lo.to_bits(),
                f.hi.to_bits(),
                f.tol.to_bits(),
                f.claim().qualifier,
                period_text(f),
                f.cumulative,
                f.part,
                f.scope.clone(),
            ))
        })
        .collect()
}

fn judge(key: &Key, members: &[Keyed], opts: &Options) -> Option<Disagreement> {
    let articles: BTreeSet<&str> = members.iter().map(|m| &*m.ic.article.path).collect();
    if members.len() < 2 || articles.len() < opts.min_sources.max(1) {
        return None;
    }
    let mut figs: Vec<Fig> = members.iter().map(|m| fig(m.ic)).collect();
    // A fixed order, whatever order the claims came in: everything after is deterministic.
    figs.sort_by(|a, b| {
        a.lo.total_cmp(&b.lo)
            .then(a.hi.total_cmp(&b.hi))
            .then_with(|| a.ic.article.path.cmp(&b.ic.article.path))
            .then(a.claim().line.cmp(&b.claim().line))
            .then(a.claim().start.cmp(&b.claim().start))
            .then_with(|| a.claim().text.cmp(&b.claim().text))
            .then_with(|| a.claim().sentence.cmp(&b.claim().sentence))
    });
    let clusters = cluster(&figs);
    let (verdict, reason) = if clusters.len() == 1 {
        if articles.len() < 2 {
            return None;
        }
        (Verdict::Consistent, consistent_reason(&clusters[0], articles.len()))
    } else {
        // Each reason once, in the order found (a set beside the list: a group of many
        // clusters has as many reasons as pairs of periods, and a linear search for each
        // made judging it quartic in its clusters).
        let mut reasons: Vec<Why> = Vec::new();
        let mut known_reasons: HashSet<Why> = HashSet::new();
        let mut unexplained: Option<(&Fig, &Fig)> = None;
        'pairs: for i in 0..clusters.len() {
            for j in i + 1..clusters.len() {
                match explain_clusters(&clusters[i], &clusters[j]) {
                    Ok(Some(r)) => {
                        if known_reasons.insert(r.clone()) {
                            reasons.push(r);
                        }
                    }
                    Ok(None) => {}
                    Err(pair) => {
                        unexplained = Some(pair);
                        break 'pairs;
                    }
                }
            }
        }
        match unexplained {
            Some((a, b)) => (Verdict::Conflict, conflict_reason(a, b)),
            None => (Verdict::Explained, explanation_sentence(&reasons)),
        }
    };
    let scored = score_clusters(&clusters, &opts.weights);
    // The preferred cluster first; the rest by value.
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by(|&a, &b| {
        scored[b]
            .score
            .total_cmp(&scored[a].score)
            .then(scored[b].articles.cmp(&scored[a].articles))
            .then_with(|| latest_period(&clusters[b]).cmp(&latest_period(&clusters[a])))
            .then(cluster_low(&clusters[a]).total_cmp(&cluster_low(&clusters[b])))
    });
    let best = order[0];
    let total: f64 = scored.iter().map(|s| s.score).sum();
    let confidence = (scored[best].score / (total + opts.weights.confidence_prior)).clamp(0.0, 1.0);
    let pick = &clusters[best][scored[best].representative];
    let preferred = Preferred {
        value: pick.claim().value,
        value_max: pick.claim().value_max,
        text: pick.claim().text.to_string(),
        sources: scored[best].articles,
        confidence: (confidence * 1000.0).round() / 1000.0,
    };
    let mut values: Vec<ValueEntry> = Vec::new();
    for (rank, &ci) in order.iter().enumerate() {
        let mut cl: Vec<&Fig> = clusters[ci].iter().collect();
        cl.sort_by(|a, b| {
            a.lo.total_cmp(&b.lo)
                .then(a.hi.total_cmp(&b.hi))
                .then_with(|| a.ic.article.path.cmp(&b.ic.article.path))
                .then(a.claim().line.cmp(&b.claim().line))
                .then(a.claim().start.cmp(&b.claim().start))
        });
        values.extend(cl.into_iter().map(|f| value_entry(f, rank)));
    }
    let subject = display_subject(key, members);
    let counterpart = if *key.first == *subject {
        key.second.as_deref().map(str::to_owned)
    } else {
        Some(key.first.to_string())
    };
    Some(Disagreement {
        key: format!(
            "{}|{}|{}|{}{}",
            subject,
            counterpart.as_deref().unwrap_or(""),
            key.metric,
            key.unit,
            key.noun.as_ref().map_or(String::new(), |n| format!("|{n}"))
        ),
        subject,
        counterpart,
        metric: match &key.noun {
            Some(n) => format!("{} ({n})", key.metric),
            None => key.metric.to_string(),
        },
        unit: key.unit.to_string(),
        verdict,
        reason,
        preferred,
        articles: articles.len(),
        values,
    })
}

/// The subject most claims of the group name (ties: the key's first party).
fn display_subject(key: &Key, members: &[Keyed]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in members {
        *counts.entry(&*m.subject).or_default() += 1;
    }
    let parties: Vec<&str> = std::iter::once(&*key.first).chain(key.second.as_deref()).collect();
    parties
        .iter()
        .copied()
        .max_by_key(|p| (counts.get(p).copied().unwrap_or(0), *p == &*key.first))
        .unwrap_or(&*key.first)
        .to_string()
}

/// The latest calendar period a cluster's figures refer to (a tie-breaker: the newer figure).
fn latest_period(c: &[Fig]) -> Option<Vec<u32>> {
    c.iter()
        .filter_map(|f| match &f.period {
            Some(Period::Calendar(v)) => Some(v.clone()),
            _ => None,
        })
        .max()
}

fn cluster_low(c: &[Fig]) -> f64 {
    c.iter().map(|f| f.lo).fold(f64::INFINITY, f64::min)
}

fn consistent_reason(c: &[Fig], articles: usize) -> String {
    let all = if articles == 2 {
        "both articles".to_string()
    } else {
        format!("all {articles} articles")
    };
    // One text per distinct value ("$250 billion" and "$250bn" are one value).
    let mut by_value: BTreeMap<(u64, u64), &str> = BTreeMap::new();
    for f in c {
        by_value
            .entry((f.lo.to_bits(), f.hi.to_bits()))
            .or_insert(&*f.claim().text);
    }
    let range = c.iter().find(|f| f.is_range());
    let point = c.iter().find(|f| !f.is_range());
    match (range, point) {
        (Some(r), Some(p)) => format!("{} lies inside {}: {all} agree.", p.claim().text, r.claim().text),
        _ if by_value.len() > 1 => {
            let texts: Vec<&str> = by_value.values().copied().collect();
            format!("{} agree within rounding across {all}.", and_list(&texts))
        }
        _ => {
            let text = by_value.values().next().copied().unwrap_or_default();
            let mut first = all;
            if let Some(ch) = first.get(..1) {
                first = format!("{}{}", ch.to_uppercase(), &first[1..]);
            }
            format!("{first} give {text}.")
        }
    }
}

fn conflict_reason(a: &Fig, b: &Fig) -> String {
    let (a, b) = if a.lo <= b.lo { (a, b) } else { (b, a) };
    let when = match (&a.claim().period, &b.claim().period) {
        (Some(pa), Some(pb)) if pa == pb => format!(" for the same period ({pa})"),
        (Some(pa), Some(pb)) => format!(" for overlapping periods ({pa}, {pb})"),
        _ => String::new(),
    };
    format!(
        "{} ({}) vs {} ({}){when}: no difference in period, qualifier, cumulative total or scope explains it.",
        a.claim().text,
        file_name(&a.ic.article.path),
        b.claim().text,
        file_name(&b.ic.article.path)
    )
}

/// The last path component, for messages.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn value_entry(f: &Fig, cluster: usize) -> ValueEntry {
    let c = f.claim();
    ValueEntry {
        value: c.value,
        value_max: c.value_max,
        text: c.text.clone(),
        qualifier: c.qualifier,
        period: c.period.clone(),
        path: c.article.path.clone(),
        line: c.line,
        sentence: c.sentence.clone(),
        citations: c.cited.clone(),
        title: c.article.title.clone(),
        published: c.article.published.clone(),
        cluster,
    }
}

struct ClusterScore {
    score: f64,
    articles: usize,
    /// Index (in the cluster) of the figure to report as the preferred value.
    representative: usize,
}

/// The weight of each cluster: per distinct article, its best figure's weight (qualifier x
/// recency x citing bonus); plus a weight per distinct cited source behind the cluster.
fn score_clusters(clusters: &[Vec<Fig>], w: &Weights) -> Vec<ClusterScore> {
    let days: Vec<Option<i64>> = clusters
        .iter()
        .flatten()
        .map(|f| f.ic.article.published.as_deref().and_then(normalise::days_from_iso))
        .collect();
    let newest = days.iter().flatten().max().copied();
    let oldest = days.iter().flatten().min().copied();
    let recency = |f: &Fig| -> f64 {
        let d =
            f.ic.article
                .published
                .as_deref()
                .and_then(normalise::days_from_iso)
                .or(oldest);
        let age = match (newest, d) {
            (Some(n), Some(d)) => (n - d).max(0) as f64,
            _ => 0.0,
        };
        (1.0 - w.recency_share) + w.recency_share * 0.5f64.powf(age / w.recency_half_life_days.max(1.0))
    };
    clusters
        .iter()
        .map(|cl| {
            let weight_of = |f: &Fig| -> f64 {
                let q = match f.claim().qualifier {
                    Qualifier::Exact => w.exact,
                    Qualifier::Approx => w.approx,
                    _ => w.bound,
                } * if f.is_range() { w.range } else { 1.0 };
                let cites = if f.ic.cited.is_empty() {
                    1.0
                } else {
                    1.0 + w.cites_bonus
                };
                w.article * q * recency(f) * cites
            };
            let mut per_article: BTreeMap<&str, f64> = BTreeMap::new();
            let mut cited: BTreeSet<(String, Option<String>)> = BTreeSet::new();
            for f in cl {
                let e = per_article.entry(&*f.ic.article.path).or_insert(0.0);
                *e = e.max(weight_of(f));
                for s in f.ic.cited.iter() {
                    cited.insert((s.title.trim().to_lowercase(), s.date.clone()));
                }
            }
            // The figure to show: the heaviest, then the most precisely written, then the first
            // by path and line.
            let representative = (0..cl.len())
                .max_by(|&i, &j| {
                    let (a, b) = (&cl[i], &cl[j]);
                    weight_of(a)
                        .total_cmp(&weight_of(b))
                        .then(precision_digits(&a.claim().text).cmp(&precision_digits(&b.claim().text)))
                        .then_with(|| (&b.ic.article.path, b.claim().line).cmp(&(&a.ic.article.path, a.claim().line)))
                })
                .unwrap_or(0);
            ClusterScore {
                score: per_article.values().sum::<f64>() + w.cited_source * cited.len() as f64,
                articles: per_article.len(),
                representative,
            }
        })
        .collect()
}

/// Digits after the decimal point in the figure's text (more precise figures are preferred).
fn precision_digits(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|run| run.split_once('.').map(|(_, d)| d.len()))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Kind};

    /// A claim as the extractor would give it.
    pub(crate) fn ic(path: &str, published: &str, text: &str, value: f64, sentence: &str) -> IndexedClaim {
        IndexedClaim {
            path: path.into(),
            title: Some(format!("Article {path}")),
            published: Some(published.into()),
            claim: Claim {
                kind: Kind::Money,
                text: text.into(),
                line: 3,
                start: 0,
                end: 0,
                value,
                value_max: None,
                unit: "USD".into(),
                qualifier: Qualifier::Exact,
                direction: None,
                period: None,
                subject: Some("Microsoft".into()),
                entities: vec!["Microsoft".into(), "OpenAI".into()],
                metric: Some("investment".into()),
                noun: None,
                sentence: sentence.into(),
                citations: vec![],
            },
            cited: vec![],
        }
    }

    fn with(mut c: IndexedClaim, f: impl FnOnce(&mut Claim)) -> IndexedClaim {
        f(&mut c.claim);
        c
    }

    /// The clustering as it was written first: every range compared with every point
    /// cluster and every member of every range cluster.
    fn cluster_by_scan<'a>(figs: &[Fig<'a>]) -> Vec<Vec<Fig<'a>>> {
        let mut clusters: Vec<Vec<Fig<'a>>> = Vec::new();
        for c in cluster(&figs.iter().filter(|f| !f.is_range()).cloned().collect::<Vec<_>>()) {
            clusters.push(c);
        }
        let spans = spans_of(&clusters);
        let mut ranges: Vec<&Fig> = figs.iter().filter(|f| f.is_range()).collect();
        ranges.sort_by(|a, b| a.lo.total_cmp(&b.lo).then(a.hi.total_cmp(&b.hi)));
        let mut range_clusters: Vec<Vec<Fig<'a>>> = Vec::new();
        for r in ranges {
            let hits: Vec<usize> = (0..spans.len())
                .filter(|&i| {
                    let (lo, hi, tol) = spans[i];
                    let tol = tol.max(r.tol);
                    r.lo - tol <= hi && lo - tol <= r.hi
                })
                .collect();
            if let [only] = hits[..] {
                clusters[only].push(r.clone());
            } else if let Some(rc) = range_clusters.iter_mut().find(|rc| rc.iter().any(|q| q.agrees(r))) {
                rc.push(r.clone());
            } else {
                range_clusters.push(vec![r.clone()]);
            }
        }
        clusters.extend(range_clusters);
        clusters
    }

    /// Groups of points and ranges at several scales and roundings (a fixed pseudo-random
    /// sequence) cluster exactly as the plain scan clusters them.
    #[test]
    fn clustering_finds_what_a_scan_of_every_cluster_finds() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut ranges_seen = 0;
        for group in 0..60 {
            let mut claims = Vec::new();
            for i in 0..(20 + next(180)) {
                let scale = [1.0, 10.0, 1000.0][next(3) as usize];
                let lo = (1 + next(400)) as f64 * scale / 10.0;
                // Whole numbers, one decimal or two: different roundings, different tolerances.
                let text = match next(3) {
                    0 => format!("${:.0}bn", lo),
                    1 => format!("${:.1}bn", lo),
                    _ => format!("${:.2}bn", lo),
                };
                let mut c = ic(
                    &format!("g{group}/a{i}.txt"),
                    "2026-01-01",
                    &text,
                    lo * 1e9,
                    &format!("It paid {text}."),
                );
                if next(3) == 0 {
                    let hi = lo + (1 + next(60)) as f64 * scale / 20.0;
                    c.claim.text = format!("between ${lo:.1}bn and ${hi:.1}bn");
                    c.claim.value_max = Some(hi * 1e9);
                    ranges_seen += 1;
                }
                claims.push(c);
            }
            let shared = share(&claims);
            let figs: Vec<Fig> = shared.iter().map(fig).collect();
            let summary = |cs: Vec<Vec<Fig>>| -> Vec<Vec<(u64, u64, String)>> {
                cs.iter()
                    .map(|c| {
                        c.iter()
                            .map(|f| (f.lo.to_bits(), f.hi.to_bits(), f.claim().article.path.to_string()))
                            .collect()
                    })
                    .collect()
            };
            assert_eq!(
                summary(cluster(&figs)),
                summary(cluster_by_scan(&figs)),
                "group {group}"
            );
        }
        assert!(ranges_seen > 500, "{ranges_seen} ranges");
    }

    fn run(claims: &[IndexedClaim]) -> Vec<Disagreement> {
        reconcile(claims, &Options::default())
    }

    fn only(claims: &[IndexedClaim]) -> Disagreement {
        let r = run(claims);
        assert_eq!(r.len(), 1, "{r:#?}");
        r.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn wording_does_not_split_keys() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$10 billion",
                    10e9,
                    "Microsoft committed up to $10 billion to OpenAI.",
                ),
                |c| {
                    c.qualifier = Qualifier::UpTo;
                    c.metric = Some("commitment".into());
                },
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-02",
                    "$10 billion",
                    10e9,
                    "It was a $10 billion commitment from Microsoft.",
                ),
                |c| {
                    c.entities = vec!["Microsoft".into()];
                    c.metric = Some("investment commitment".into());
                },
            ),
            with(
                ic(
                    "c.txt",
                    "2026-01-03",
                    "$13 billion",
                    13e9,
                    "Microsoft's investment grew to $13 billion.",
                ),
                |c| {
                    c.entities = vec!["Microsoft's".into()];
                    c.metric = Some("investment".into());
                },
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.subject, "Microsoft");
        assert_eq!(d.counterpart.as_deref(), Some("OpenAI"));
        assert_eq!(d.metric, "investment");
        assert_eq!(d.values.len(), 3);
        assert_eq!(d.articles, 3);
    }

    #[test]
    fn the_counterpart_comes_from_the_figures_clause_or_before_it() {
        // In the figure's clause; outside it, a name before it still counts, one after it not.
        let cases = [
            (
                "Microsoft will spend $30bn in the UK over four years, and OpenAI has its own project.",
                "$30bn",
                30e9,
            ),
            (
                "Microsoft will spend $30bn in the UK over four years, including about $15bn on data centres, and OpenAI has its own project.",
                "$15bn",
                15e9,
            ),
        ];
        for (s, text, value) in cases {
            let claims: Vec<IndexedClaim> = ["a.txt", "b.txt"]
                .iter()
                .map(|p| {
                    let mut x = with(ic(p, "2026-01-01", text, value, s), |c| {
                        c.entities = vec!["Microsoft".into(), "UK".into(), "OpenAI".into()];
                    });
                    // A title naming OpenAI would make it the counterpart if the clause did not rule.
                    x.title = Some("What OpenAI means for Microsoft".into());
                    x
                })
                .collect();
            assert_eq!(only(&claims).counterpart.as_deref(), Some("UK"), "{text}");
        }
    }

    #[test]
    fn aliases_fold_in_keys() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "32%",
                    32.0,
                    "AWS holds about 32% of the cloud market.",
                ),
                |c| {
                    c.subject = Some("AWS".into());
                    c.unit = "%".into();
                    c.kind = Kind::Percent;
                    c.metric = Some("cloud market share".into());
                },
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "32%",
                    32.0,
                    "Amazon Web Services holds 32% of the market.",
                ),
                |c| {
                    c.subject = Some("Amazon Web Services".into());
                    c.unit = "%".into();
                    c.kind = Kind::Percent;
                    c.metric = Some("market share".into());
                },
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.subject, "Amazon");
        assert_eq!(d.verdict, Verdict::Consistent);
        assert_eq!(d.counterpart, None);
    }

    #[test]
    fn unknown_subject_or_metric_joins_nothing() {
        let claims = [
            ic("a.txt", "2026-01-01", "$10 billion", 10e9, "s"),
            with(ic("b.txt", "2026-01-01", "$13 billion", 13e9, "s"), |c| {
                c.subject = None
            }),
            with(ic("c.txt", "2026-01-01", "$13 billion", 13e9, "s"), |c| c.metric = None),
        ];
        assert!(run(&claims).is_empty());
    }

    #[test]
    fn percent_and_points_and_currencies_never_meet() {
        let claims = [
            with(ic("a.txt", "2026-01-01", "2%", 2.0, "s"), |c| c.unit = "%".into()),
            with(ic("b.txt", "2026-01-01", "2 percentage points", 2.0, "s"), |c| {
                c.unit = "pp".into()
            }),
            with(ic("c.txt", "2026-01-01", "£10bn", 10e9, "s"), |c| {
                c.unit = "GBP".into()
            }),
            ic("d.txt", "2026-01-01", "$13bn", 13e9, "s"),
        ];
        assert!(run(&claims).is_empty());
    }

    #[test]
    fn rounding_of_the_written_precision_agrees() {
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$13 billion",
                13e9,
                "Microsoft has invested $13 billion in OpenAI.",
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$13.2 billion",
                13.2e9,
                "Microsoft has invested $13.2 billion in OpenAI.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Consistent, "{}", d.reason);
        assert!(d.reason.contains("within rounding"), "{}", d.reason);
        // One decimal written on both sides: 13.2 vs 13.5 is not rounding.
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$13.5 billion",
                13.5e9,
                "Microsoft has invested $13.5 billion in OpenAI.",
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$13.2 billion",
                13.2e9,
                "Microsoft has invested $13.2 billion in OpenAI.",
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
    }

    #[test]
    fn a_range_holds_a_point() {
        let pct = |c: &mut Claim| {
            c.unit = "%".into();
            c.metric = Some("market share".into());
            c.subject = Some("Amazon".into());
        };
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "30-40%",
                    30.0,
                    "Amazon holds 30-40% of the market.",
                ),
                |c| {
                    pct(c);
                    c.value_max = Some(40.0);
                },
            ),
            with(ic("b.txt", "2026-01-01", "32%", 32.0, "AWS holds about 32%."), pct),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Consistent);
        assert!(d.reason.contains("inside"), "{}", d.reason);
        // Outside the range: a real disagreement.
        let claims = [
            claims[0].clone(),
            with(ic("b.txt", "2026-01-01", "45%", 45.0, "Amazon holds 45%."), pct),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
    }

    #[test]
    fn a_range_does_not_bridge_two_clusters() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$10-13 billion",
                    10e9,
                    "Estimates land in the $10-13 billion range.",
                ),
                |c| c.value_max = Some(13e9),
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$10 billion",
                10e9,
                "Microsoft invested $10 billion in OpenAI.",
            ),
            ic(
                "c.txt",
                "2026-01-01",
                "$13 billion",
                13e9,
                "Microsoft invested $13 billion in OpenAI.",
            ),
        ];
        let d = only(&claims);
        assert_ne!(d.verdict, Verdict::Consistent);
        assert_eq!(d.values.iter().map(|v| v.cluster).collect::<BTreeSet<_>>().len(), 3);
    }

    #[test]
    fn different_periods_explain() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$1 billion",
                    1e9,
                    "Microsoft invested $1 billion in OpenAI in 2019.",
                ),
                |c| c.period = Some("2019".into()),
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "$13 billion",
                    13e9,
                    "Microsoft had put $13 billion into OpenAI by 2023.",
                ),
                |c| c.period = Some("2023".into()),
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert_eq!(d.reason, "2019 vs 2023: different periods.");
    }

    #[test]
    fn explanations_merge_into_one_sentence() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$1 billion",
                    1e9,
                    "Microsoft invested $1 billion in OpenAI in 2019.",
                ),
                |c| c.period = Some("2019".into()),
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "$10 billion",
                    10e9,
                    "In January 2023 it committed up to $10 billion.",
                ),
                |c| {
                    c.period = Some("2023-01".into());
                    c.qualifier = Qualifier::UpTo;
                },
            ),
            with(
                ic(
                    "c.txt",
                    "2026-01-01",
                    "$13 billion",
                    13e9,
                    "Its investment had grown to $13 billion by 2023.",
                ),
                |c| c.period = Some("2023".into()),
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert_eq!(
            d.reason,
            "2019 vs 2023 and 2023-01: different periods; up to $10 billion is a bound, not a point figure like $13 billion."
        );
        // Equal weights otherwise: the figure for the latest period is preferred.
        assert_eq!(d.preferred.value, 13e9);
    }

    #[test]
    fn a_figure_about_each_of_two_subjects_meets_both() {
        let share = |c: &mut Claim| {
            c.unit = "%".into();
            c.metric = Some("market share".into());
        };
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "30-40%",
                    30.0,
                    "Amazon and Microsoft each hold 30-40% of the market.",
                ),
                |c| {
                    share(c);
                    c.subject = Some("Amazon".into());
                    c.value_max = Some(40.0);
                },
            ),
            with(
                ic("b.txt", "2026-01-01", "23%", 23.0, "Microsoft holds about 23%."),
                share,
            ),
            with(ic("c.txt", "2026-01-01", "22%", 22.0, "Azure holds about 22%."), |c| {
                share(c);
                c.subject = Some("Azure".into());
            }),
        ];
        let d = only(&claims);
        assert_eq!(d.subject, "Microsoft");
        assert_eq!(d.values.len(), 3);
        assert_eq!(d.verdict, Verdict::Conflict);
    }

    #[test]
    fn a_counterpart_after_a_preposition_must_be_a_known_name() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$250 billion",
                    250e9,
                    "It stood at $250 billion in December.",
                ),
                |c| {
                    c.entities = vec![];
                    c.subject = Some("OpenAI".into());
                    c.metric = Some("compute commitment".into());
                },
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "$250 billion",
                    250e9,
                    "OpenAI will buy $250 billion of services from Microsoft.",
                ),
                |c| {
                    c.entities = vec![];
                    c.subject = Some("OpenAI".into());
                    c.metric = Some("compute commitment".into());
                },
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.counterpart.as_deref(), Some("Microsoft"));
        assert_eq!(d.values.len(), 2);
    }

    #[test]
    fn different_scopes_explain() {
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$281 billion",
                281e9,
                "OpenAI is 45% of the $281 billion AI backlog.",
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$625 billion",
                625e9,
                "The commercial backlog reached $625 billion.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert!(d.reason.contains("different scopes (AI vs commercial)"), "{}", d.reason);
    }

    #[test]
    fn a_change_without_a_period_is_as_of_its_article() {
        let moved = |c: &mut Claim| {
            c.unit = "%".into();
            c.metric = Some("stock move".into());
            c.direction = Some(Direction::Up);
        };
        let claims = [
            with(
                ic("a.txt", "2026-03-02", "5%", 5.0, "Amazon shares rose 5% on the day."),
                moved,
            ),
            with(
                ic(
                    "b.txt",
                    "2026-05-11",
                    "1.8%",
                    1.8,
                    "Amazon shares rose 1.8% in early trading.",
                ),
                moved,
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert_eq!(
            d.reason,
            "2026-03-02 (article date) vs 2026-05-11 (article date): different periods."
        );
        // Same day: a real disagreement.
        let claims = [
            with(
                ic("a.txt", "2026-03-02", "5%", 5.0, "Amazon shares rose 5% on the day."),
                moved,
            ),
            with(
                ic(
                    "b.txt",
                    "2026-03-02",
                    "1.8%",
                    1.8,
                    "Amazon shares rose 1.8% in early trading.",
                ),
                moved,
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
        // A level (no direction) gets no period from its article.
        let claims = [
            ic(
                "a.txt",
                "2026-03-02",
                "$38 billion",
                38e9,
                "OpenAI signed a $38 billion deal with Amazon.",
            ),
            ic(
                "b.txt",
                "2026-05-11",
                "$50 billion",
                50e9,
                "OpenAI signed a $50 billion deal with Amazon.",
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
    }

    #[test]
    fn a_total_named_elsewhere_in_the_sentence_counts() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$2 billion",
                    2e9,
                    "Reports put it at $2 billion.",
                ),
                |c| c.period = Some("2021".into()),
            ),
            ic(
                "b.txt",
                "2026-03-09",
                "$11 billion",
                11e9,
                "You will see the total reported in different ways: as $11 billion.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained, "{}", d.reason);
    }

    #[test]
    fn asides_do_not_hide_a_total() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$1bn",
                    1e9,
                    "It put in roughly $13bn (about £10bn at today's rate) over the years, starting with $1bn in 2019.",
                ),
                |c| c.period = Some("2019".into()),
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "$13bn",
                    13e9,
                    "It put in roughly $13bn (about £10bn at today's rate) over the years, starting with $1bn in 2019.",
                ),
                |c| c.period = Some("2019".into()),
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert!(d.reason.contains("'over the years'"), "{}", d.reason);
        assert_eq!(without_asides("a (b (c)) d"), "a  d");
    }

    #[test]
    fn cumulative_total_vs_tranche_explains() {
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$10 billion",
                10e9,
                "In 2023 Microsoft made a commitment of $10 billion to OpenAI.",
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$13 billion",
                13e9,
                "Microsoft's investment in OpenAI grew to $13 billion.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert!(
            d.reason.contains("cumulative") && d.reason.contains("grew to"),
            "{}",
            d.reason
        );
        // The "total" must be the larger figure.
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$15 billion",
                15e9,
                "Microsoft paid $15 billion to OpenAI.",
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$13 billion",
                13e9,
                "Microsoft's investment in OpenAI grew to $13 billion.",
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
    }

    #[test]
    fn bound_vs_point_explains() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$10 billion",
                    10e9,
                    "Microsoft committed up to $10 billion to OpenAI.",
                ),
                |c| c.qualifier = Qualifier::UpTo,
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$13 billion",
                13e9,
                "Microsoft has invested $13 billion in OpenAI.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert!(d.reason.contains("up to $10 billion is a bound"), "{}", d.reason);
    }

    #[test]
    fn part_vs_whole_explains() {
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$15 billion",
                15e9,
                "Amazon paid an initial $15 billion to OpenAI at signing.",
            ),
            ic(
                "b.txt",
                "2026-01-01",
                "$50 billion",
                50e9,
                "Amazon agreed a $50 billion investment in OpenAI.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert!(d.reason.contains("one part ('initial')"), "{}", d.reason);
    }

    #[test]
    fn nothing_to_explain_is_a_conflict() {
        let pair = |c: &mut Claim| {
            c.subject = Some("Amazon".into());
            c.entities = vec!["Amazon".into(), "OpenAI".into()];
            c.period = Some("2026-02".into());
        };
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-03-01",
                    "$38 billion",
                    38e9,
                    "Amazon and OpenAI signed a $38 billion agreement.",
                ),
                |c| {
                    pair(c);
                    c.metric = Some("deal value".into());
                },
            ),
            with(
                ic(
                    "b.txt",
                    "2026-03-02",
                    "$50 billion",
                    50e9,
                    "OpenAI struck a $50 billion deal with Amazon.",
                ),
                |c| {
                    pair(c);
                    c.subject = Some("OpenAI".into());
                    c.metric = Some("deal".into());
                },
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Conflict);
        assert!(
            d.reason
                .starts_with("$38 billion (a.txt) vs $50 billion (b.txt) for the same period"),
            "{}",
            d.reason
        );
        // The same pair in the other direction is the same deal.
        assert_eq!(d.values.len(), 2);
    }

    #[test]
    fn same_period_contradiction_beats_an_explained_pair() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$38 billion",
                    38e9,
                    "OpenAI signed a $38 billion deal with Amazon.",
                ),
                |c| c.period = Some("2025-11".into()),
            ),
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$50 billion",
                    50e9,
                    "Amazon is investing $50 billion in OpenAI.",
                ),
                |c| c.period = Some("2026-02".into()),
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "$38 billion",
                    38e9,
                    "described as a $38 billion agreement",
                ),
                |c| c.period = Some("2026-02".into()),
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
    }

    #[test]
    fn min_sources_counts_distinct_articles() {
        let claims = [
            ic(
                "a.txt",
                "2026-01-01",
                "$10 billion",
                10e9,
                "Microsoft invested $10 billion in OpenAI.",
            ),
            ic(
                "a.txt",
                "2026-01-01",
                "$13 billion",
                13e9,
                "Microsoft invested $13 billion in OpenAI.",
            ),
        ];
        assert!(run(&claims).is_empty());
        let opts = Options {
            min_sources: 1,
            ..Options::default()
        };
        assert_eq!(reconcile(&claims, &opts).len(), 1);
        let three = [claims[0].clone(), ic("b.txt", "2026-01-01", "$10 billion", 10e9, "s")];
        let opts = Options {
            min_sources: 3,
            ..Options::default()
        };
        assert!(reconcile(&three, &opts).is_empty());
    }

    #[test]
    fn preferred_value_weighs_sources_recency_qualifier_and_citations() {
        let src = |n: u32, t: &str| Source {
            n,
            title: t.into(),
            date: Some("2026-01-01".into()),
        };
        // Two articles against one: the two win.
        let claims = [
            ic("a.txt", "2026-01-01", "$10 billion", 10e9, "x"),
            ic("b.txt", "2026-01-01", "$10 billion", 10e9, "x"),
            ic("c.txt", "2026-01-01", "$13 billion", 13e9, "x"),
        ];
        let d = only(&claims);
        assert_eq!((d.preferred.value, d.preferred.sources), (10e9, 2));
        assert!(d.preferred.confidence > 0.4 && d.preferred.confidence < 1.0);
        // One each: the cited sentence wins...
        let mut cited = ic("c.txt", "2026-01-01", "$13 billion", 13e9, "x");
        cited.cited = vec![src(1, "Filing"), src(2, "Release")];
        let d = only(&[claims[0].clone(), cited.clone()]);
        assert_eq!(d.preferred.value, 13e9);
        // ...the more recent article wins...
        let d = only(&[
            ic("a.txt", "2024-01-01", "$10 billion", 10e9, "x"),
            ic("c.txt", "2026-01-01", "$13 billion", 13e9, "x"),
        ]);
        assert_eq!(d.preferred.value, 13e9);
        // ...and an exact figure beats a bound.
        let d = only(&[
            with(ic("a.txt", "2026-01-01", "$10 billion", 10e9, "x"), |c| {
                c.qualifier = Qualifier::UpTo
            }),
            ic("c.txt", "2026-01-01", "$13 billion", 13e9, "x"),
        ]);
        assert_eq!(d.preferred.value, 13e9);
        assert_eq!(d.values[0].cluster, 0);
        assert_eq!(d.values[0].value, 13e9);
        // A cited source two articles share counts once.
        let mut a = ic("a.txt", "2026-01-01", "$10 billion", 10e9, "x");
        let mut b = ic("b.txt", "2026-01-01", "$10 billion", 10e9, "x");
        a.cited = vec![src(1, "Filing")];
        b.cited = vec![src(4, "filing ")];
        let mut c = ic("c.txt", "2026-01-01", "$13 billion", 13e9, "x");
        c.cited = vec![src(1, "Filing"), src(2, "Release"), src(3, "Blog"), src(5, "Call")];
        let w = WEIGHTS;
        let two = 2.0 * (1.0 + w.cites_bonus) + w.cited_source;
        let one = 1.0 + w.cites_bonus + 4.0 * w.cited_source;
        let d = only(&[a, b, c]);
        assert_eq!(d.preferred.value, if two > one { 10e9 } else { 13e9 });
    }

    #[test]
    fn sorted_conflicts_first_and_deterministic() {
        let m = |metric: &str, c: &mut Claim| c.metric = Some(metric.into());
        let claims = [
            with(ic("a.txt", "2026-01-01", "45%", 45.0, "s"), |c| {
                m("share of backlog", c);
                c.unit = "%".into()
            }),
            with(ic("b.txt", "2026-01-01", "45%", 45.0, "s"), |c| {
                m("share of backlog", c);
                c.unit = "%".into()
            }),
            ic("a.txt", "2026-01-01", "$10 billion", 10e9, "s"),
            ic("b.txt", "2026-01-01", "$13 billion", 13e9, "s"),
        ];
        let r = run(&claims);
        assert_eq!(
            r.iter().map(|d| d.verdict).collect::<Vec<_>>(),
            [Verdict::Conflict, Verdict::Consistent]
        );
        let mut rev = claims.to_vec();
        rev.reverse();
        assert_eq!(run(&rev), r);
    }

    #[test]
    fn counted_things_meet_by_their_noun() {
        let a = Aliases::builtin();
        assert_eq!(noun_key("Azure customers", &a), noun_key("customers", &a));
        assert_eq!(noun_key("paying business users", &a), noun_key("business users", &a));
        assert_ne!(noun_key("weekly users", &a), noun_key("business users", &a));
        let count = |c: &mut Claim, noun: &str| {
            c.unit = "count".into();
            c.kind = Kind::Count;
            c.metric = Some("users".into());
            c.subject = Some("OpenAI".into());
            c.noun = Some(noun.into());
        };
        let claims = [
            with(ic("a.txt", "2026-01-01", "five million", 5e6, "s"), |c| {
                count(c, "business users")
            }),
            with(ic("b.txt", "2026-01-01", "five million", 5e6, "s"), |c| {
                count(c, "paying business users")
            }),
            with(ic("c.txt", "2026-01-01", "800 million", 8e8, "s"), |c| {
                count(c, "weekly users")
            }),
        ];
        let d = only(&claims);
        assert_eq!((d.verdict, d.values.len()), (Verdict::Consistent, 2));
        assert_eq!(d.metric, "users (business user)");
    }

    #[test]
    fn changes_over_different_windows_never_meet() {
        let moved = |c: &mut Claim| {
            c.unit = "%".into();
            c.metric = Some("stock move".into());
            c.direction = Some(Direction::Down);
        };
        let claims = [
            with(
                ic("a.txt", "2026-04-30", "20%", 20.0, "Year to date, $MSFT is down 20%."),
                moved,
            ),
            with(
                ic(
                    "b.txt",
                    "2026-03-16",
                    "20 per cent",
                    20.0,
                    "Shares have fallen 20 per cent since the start of the year.",
                ),
                moved,
            ),
            with(
                ic(
                    "c.txt",
                    "2026-05-11",
                    "20%",
                    20.0,
                    "The stock is up 7% so far this year, while Microsoft's is down 20%.",
                ),
                moved,
            ),
            with(
                ic(
                    "d.txt",
                    "2026-03-02",
                    "1%",
                    1.0,
                    "Amazon shares rose 5% on the day the deal was announced; Microsoft slipped 1%.",
                ),
                moved,
            ),
            with(
                ic(
                    "e.txt",
                    "2026-01-29",
                    "10%",
                    10.0,
                    "Shares fell 10% the day after the report.",
                ),
                moved,
            ),
        ];
        let r = run(&claims);
        assert_eq!(r.len(), 2, "{r:#?}");
        let ytd = r.iter().find(|d| d.metric.contains("year to date"));
        assert_eq!(ytd.map(|d| (d.verdict, d.values.len())), Some((Verdict::Consistent, 3)));
        let day = r.iter().find(|d| d.metric.contains("one day"));
        assert_eq!(day.map(|d| (d.verdict, d.values.len())), Some((Verdict::Explained, 2)));
    }

    #[test]
    fn a_rate_never_meets_a_level() {
        assert_eq!(
            rate_of("adding 1 gigawatt of capacity a week", "1 gigawatt"),
            Some("per week")
        );
        assert_eq!(
            rate_of("add 1 gigawatt of new capacity every week", "1 gigawatt"),
            Some("per week")
        );
        assert_eq!(
            rate_of("roughly $6 billion a year to AWS revenue", "$6 billion"),
            Some("per year")
        );
        assert_eq!(rate_of("$6 billion annually", "$6 billion"), Some("per year"));
        assert_eq!(rate_of("up 28.8% from a year earlier", "28.8%"), None);
        assert_eq!(rate_of("up 28.8% a year earlier", "28.8%"), None);
        assert_eq!(rate_of("consume 2 gigawatts of Trainium capacity", "2 gigawatts"), None);
        let power = |c: &mut Claim| {
            c.unit = "W".into();
            c.metric = Some("compute capacity".into());
            c.subject = Some("OpenAI".into());
        };
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "2 gigawatts",
                    2e9,
                    "OpenAI will consume 2 gigawatts of capacity.",
                ),
                power,
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "2 gigawatts",
                    2e9,
                    "OpenAI is to consume 2 gigawatts.",
                ),
                power,
            ),
            with(
                ic(
                    "c.txt",
                    "2026-01-01",
                    "1 gigawatt",
                    1e9,
                    "OpenAI wants to add 1 gigawatt of capacity a week.",
                ),
                power,
            ),
            with(
                ic(
                    "d.txt",
                    "2026-01-01",
                    "1 gigawatt",
                    1e9,
                    "OpenAI talked of adding 1 gigawatt every week.",
                ),
                power,
            ),
        ];
        let r = run(&claims);
        assert_eq!(
            r.iter().map(|d| d.verdict).collect::<Vec<_>>(),
            [Verdict::Consistent, Verdict::Consistent]
        );
        assert!(r.iter().any(|d| d.metric.contains("per week")));
    }

    #[test]
    fn claims_from_documents_resolves_citations() {
        let claim = ic("a.txt", "2026-01-01", "$10 billion", 10e9, "s").claim;
        let doc = Document {
            path: "a.txt".into(),
            hash: "h".into(),
            title: Some("T".into()),
            byline: None,
            publisher: None,
            published: Some("2026-01-01".into()),
            sources: vec![Source {
                n: 2,
                title: "Filing".into(),
                date: None,
            }],
            citations: vec![],
            claims: vec![Claim {
                citations: vec![2, 2, 9],
                ..claim
            }],
            warnings: vec![],
            body: None,
        };
        let out = claims_from_documents(&[doc]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].cited.iter().map(|s| s.n).collect::<Vec<_>>(), [2]);
        assert_eq!(out[0].title.as_deref(), Some("T"));
    }
}
