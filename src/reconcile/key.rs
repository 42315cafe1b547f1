//! Step 1, keying: what each claim is about. Its subject after alias folding; its metric
//! family and unit, with the counted noun and, for a change or a rate, the window it is
//! measured over ("year to date", "per week"); and for relational metrics the counterpart,
//! from the claim's entities or its sentence. A figure about "A and B each" is keyed for
//! both; a relational claim that names no counterpart joins the one key its subject and
//! metric have with a named one. Keys are numbered ([`Keys`]) so that a keyed claim is small.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::evidence::{Markers, clause_of, nearest_marker};
use super::memo::{Memo, MetricKey};
use crate::model::{Measure, SharedClaim};
use crate::normalise::Aliases;
use crate::words;

/// What a claim is about, as far as keying goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Key {
    pub(super) metric: Arc<str>,
    pub(super) unit: Arc<str>,
    pub(super) noun: Option<Arc<str>>,
    /// Directed: (subject, counterpart). Symmetric: the two names sorted.
    pub(super) first: Arc<str>,
    pub(super) second: Option<Arc<str>>,
}

/// A claim keyed: one per claim and subject (its key beside it).
#[derive(Debug, Clone)]
pub(super) struct Keyed<'a> {
    pub(super) ic: &'a SharedClaim,
    pub(super) subject: Arc<str>,
    /// A name in the claim that is not its subject but narrows what it measures.
    pub(super) scope: Option<Arc<str>>,
    /// What the claim says it measures (head and per-unit), for keys by measure.
    pub(super) label: Option<Arc<str>>,
    pub(super) symmetric: bool,
    pub(super) relational: bool,
}

/// The metric of every key by measure: its claims are told apart per cluster.
pub(super) const MEASURED: &str = "measure";

/// The counted thing's head noun, lower case and singular-ish ("Azure customers" ->
/// "customer").
pub(super) fn noun_key(noun: &str, aliases: &Aliases) -> String {
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

/// The keys of one article's claims, in their order (a claim about several subjects gives
/// one per subject).
pub(super) fn key_article<'a>(claims: &'a [SharedClaim], aliases: &Aliases, memo: &Memo) -> Vec<(Key, Keyed<'a>)> {
    // How often each entity is named in the article: a tie-breaker for the counterpart.
    let mut mentions: BTreeMap<Arc<str>, usize> = BTreeMap::new();
    for e in claims.iter().flat_map(|ic| ic.entities.iter()) {
        if let Some(f) = memo.fold(e) {
            *mentions.entry(f).or_default() += 1;
        }
    }
    claims
        .iter()
        .flat_map(|ic| key_claim(ic, aliases, memo, &mentions))
        .collect()
}

/// The keys of one claim (none, one, or one per subject of an "A and B each ...").
fn key_claim<'a>(
    ic: &'a SharedClaim,
    aliases: &Aliases,
    memo: &Memo,
    mentions: &BTreeMap<Arc<str>, usize>,
) -> Vec<(Key, Keyed<'a>)> {
    let c = ic;
    let lexicon = memo.metric(c);
    let Some((subject, scope)) = subject_and_scope(c, memo, lexicon) else {
        return Vec::new();
    };
    // A relation between two parties (an investment in, a stake in) keeps the lexicon's
    // family and its counterpart. Any other figure is keyed by subject and unit alone,
    // its measure's label (the head, else the lexicon's family) read per cluster of
    // agreeing figures, where one outlet's wording is outvoted by the others'.
    let label = lexicon
        .is_none_or(|m| !m.relational)
        .then(|| measure_label(&c.measure, lexicon.map(|m| &*m.name)))
        .flatten();
    let by_measure = label.is_some();
    let metric: Cow<MetricKey> = match (&label, lexicon) {
        (Some(_), _) => Cow::Owned(MetricKey {
            name: MEASURED.into(),
            counterpart: None,
            relational: false,
            symmetric: false,
        }),
        (None, Some(m)) => Cow::Borrowed(m),
        (None, None) => return Vec::new(),
    };
    let label = counted_label(c, memo, label);
    if c.unit.trim().is_empty() || !c.value.is_finite() {
        return Vec::new();
    }
    let counterpart = relation_counterpart(ic, &metric, &subject, aliases, mentions);
    let noun = noun_and_window(c, memo, by_measure);
    let subjects = subjects_of(c, &subject, metric.relational, aliases);
    let shared = KeyParts {
        metric: &metric,
        counterpart,
        noun,
        scope,
        label,
    };
    subjects.into_iter().map(|subject| shared.keyed(ic, subject)).collect()
}

/// The subject of a claim and the name that narrows it, if the claim has a subject. A party
/// to a relation ("SoftBank committed $40 billion") is named for what it does, however few
/// articles name it.
fn subject_and_scope(
    c: &SharedClaim,
    memo: &Memo,
    lexicon: Option<&MetricKey>,
) -> Option<(Arc<str>, Option<Arc<str>>)> {
    let relation = lexicon.is_some_and(|m| m.relational);
    match memo
        .own(c)
        .filter(|_| relation)
        .map_or_else(|| memo.subject(c), |s| (Some(s), None))
    {
        (Some(subject), scope) => Some((subject, scope)),
        (None, _) => None,
    }
}

/// "users (business user)": the label with the counted noun beside it where the measure
/// names no head.
fn counted_label(c: &SharedClaim, memo: &Memo, label: Option<String>) -> Option<Arc<str>> {
    // Counted things are told apart by their noun where the measure names no head
    // ("users (business user)" never meets "users (weekly user)").
    let counted = (&*c.unit == "count" && c.measure.head.is_none())
        .then(|| c.noun.as_deref().and_then(|n| memo.noun.get(n)))
        .flatten();
    match (label, counted) {
        (Some(l), Some(n)) => Some(format!("{l} ({n})").into()),
        (l, _) => l.map(Arc::from),
    }
}

/// "Microsoft invested $13 billion in OpenAI": the other party of a relation, the lexicon's
/// (unless it is the subject) or else the sentence's. `None` for any other figure.
fn relation_counterpart(
    ic: &SharedClaim,
    metric: &MetricKey,
    subject: &Arc<str>,
    aliases: &Aliases,
    mentions: &BTreeMap<Arc<str>, usize>,
) -> Option<Arc<str>> {
    if !metric.relational {
        return None;
    }
    metric
        .counterpart
        .clone()
        .filter(|cp| *cp != *subject)
        .or_else(|| counterpart_from_sentence(ic, subject, aliases, mentions).map(Arc::from))
}

/// "customer, year to date": the counted noun of a figure keyed by subject and unit alone,
/// and the window of a change or the rate of a figure.
fn noun_and_window(c: &SharedClaim, memo: &Memo, by_measure: bool) -> Option<Arc<str>> {
    let noun = (&*c.unit == "count" && !by_measure)
        .then(|| c.noun.as_deref().and_then(|n| memo.noun.get(n).cloned()))
        .flatten();
    // A change is measured over a window (a one-day move never meets a year-to-date one),
    // and a rate ("1 gigawatt a week", "$6 billion a year") never meets a level.
    let window = c
        .direction
        .and_then(|_| change_window(&c.sentence, &c.text))
        .or_else(|| (!by_measure).then(|| rate_of(&c.sentence, &c.text)).flatten());
    match (noun, window) {
        (Some(n), Some(w)) => Some(format!("{n}, {w}").into()),
        (None, Some(w)) => Some(w.into()),
        (n, None) => n,
    }
}

/// The subjects a figure is about: its own, and for a figure of no relation the others of
/// "Amazon and Microsoft each hold 30-40%".
fn subjects_of(c: &SharedClaim, subject: &Arc<str>, relational: bool, aliases: &Aliases) -> Vec<Arc<str>> {
    // "Amazon and Microsoft each hold 30-40%": a figure about both.
    let mut subjects = vec![subject.clone()];
    if !relational {
        for other in each_of(&c.sentence, subject, aliases) {
            let other: Arc<str> = other.into();
            if !subjects.contains(&other) {
                subjects.push(other);
            }
        }
    }
    subjects
}

/// What every key of one claim shares, whichever subject it is for.
struct KeyParts<'k> {
    metric: &'k MetricKey,
    counterpart: Option<Arc<str>>,
    noun: Option<Arc<str>>,
    scope: Option<Arc<str>>,
    label: Option<Arc<str>>,
}

impl KeyParts<'_> {
    /// The key of claim `ic` for `subject`, and the claim as keyed.
    fn keyed<'a>(&self, ic: &'a SharedClaim, subject: Arc<str>) -> (Key, Keyed<'a>) {
        let metric = self.metric;
        let (first, second) = order_pair(&subject, self.counterpart.clone(), metric.symmetric);
        let key = Key {
            metric: metric.name.clone(),
            unit: if ic.unit.trim().len() == ic.unit.len() {
                ic.unit.clone()
            } else {
                ic.unit.trim().into()
            },
            noun: self.noun.clone(),
            first,
            second,
        };
        let keyed = Keyed {
            ic,
            subject,
            scope: self.scope.clone(),
            label: self.label.clone(),
            symmetric: metric.symmetric,
            relational: metric.relational,
        };
        (key, keyed)
    }
}

/// What a figure measures, as the key's label: the head (the lexicon's family where it
/// names one) and the per-unit denominator. Scope, change and statement kind tell figures
/// of one head apart too, but a single claim often misses or mistakes them, so they are
/// read per cluster of agreeing figures ([`super::cluster::facts`]). `None` without a head.
pub(super) fn measure_label(m: &Measure, family: Option<&str>) -> Option<String> {
    let head = m.head.as_deref().or(family)?;
    let mut label = head.to_string();
    // A yearly amount is the plain reading of a recurring one ("a bill of £3,549 a year").
    if let Some(per) = m
        .per
        .as_deref()
        .filter(|p| *p != "year" && !head.ends_with(&format!("per {p}")))
    {
        label.push_str(" per ");
        label.push_str(per);
    }
    Some(label)
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
    let own = clause_of(sentence, text);
    if let Some(found) = WINDOW_WORDS.first_in(own) {
        return Some(found);
    }
    // "Shares fell 4.9% during trading on Tuesday, continuing a slide of 33% this year": a
    // figure whose clause names its own day takes no window from another clause.
    if DAY_CUE_WORDS.first_in(own).is_some() {
        return None;
    }
    if let Some(found) = nearest_marker(sentence, text, &WINDOW_WORDS) {
        return Some(found);
    }
    let windows = WINDOW_WORDS.all_in(sentence);
    match windows.len() {
        1 => windows.into_iter().next(),
        _ => None,
    }
}

static WINDOW_WORDS: LazyLock<Markers> = LazyLock::new(|| Markers::named(WINDOWS.iter().copied()));
/// Words by which a clause names the day or session of a move, from
/// `data/words/day-cues.txt`.
static DAY_CUE_WORDS: LazyLock<Markers> =
    LazyLock::new(|| Markers::new(&words::list(include_str!("../../data/words/day-cues.txt"))));

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
    // The pattern needs one of its two words: most sentences are passed over at once.
    if !sentence.contains("each") && !sentence.contains("both") {
        return out;
    }
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
    mentions: &BTreeMap<Arc<str>, usize>,
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
            ["in", "into", "to", "with", "from", "by", "through", "via"]
                .iter()
                .any(|w| before.ends_with(&format!(" {w}")) || before == *w)
        });
        let in_title = aliases.find_in(cand, title).is_some();
        let count = mentions.get(cand.as_str()).copied().unwrap_or(0);
        (
            u8::from(after_prep),
            u8::from(in_title),
            count,
            std::cmp::Reverse(pos.unwrap_or(usize::MAX)),
        )
    };
    candidates.iter().max_by_key(|c| score(c)).cloned()
}

/// What a relational claim that names no counterpart looks a named key up by: metric, unit,
/// noun and one of the parties.
type Base = (Arc<str>, Arc<str>, Option<Arc<str>>, Arc<str>);

/// The relational keys that name a counterpart: a relational claim whose counterpart is not
/// named joins the key its subject and metric have with a named counterpart, when exactly
/// one such key exists (or one is named in the claim's article title).
#[derive(Default)]
pub(super) struct Named(BTreeMap<Base, BTreeSet<Key>>);

impl Named {
    /// Whether a keyed claim waits for [`Named::attach`].
    pub(super) fn waits(key: &Key, k: &Keyed) -> bool {
        k.relational && key.second.is_none()
    }

    /// Notes a keyed claim's key if it names a counterpart.
    pub(super) fn note(&mut self, key: &Key, k: &Keyed) {
        if Self::names(key, k) {
            self.note_named(key, k.symmetric);
        }
    }

    /// Whether a keyed claim's key is one that waiting claims can join.
    pub(super) fn names(key: &Key, k: &Keyed) -> bool {
        k.relational && key.second.is_some()
    }

    /// Notes a relational key that names a counterpart.
    pub(super) fn note_named(&mut self, key: &Key, symmetric: bool) {
        let mut parties = vec![key.first.clone()];
        if symmetric {
            parties.extend(key.second.clone());
        }
        for p in parties {
            let base = (key.metric.clone(), key.unit.clone(), key.noun.clone(), p);
            self.0.entry(base).or_default().insert(key.clone());
        }
    }

    /// The named key a waiting claim (of `subject`, in an article titled `title`) joins.
    pub(super) fn attach(&self, key: &Key, subject: &Arc<str>, title: Option<&str>) -> Option<&Key> {
        let lookup = (key.metric.clone(), key.unit.clone(), key.noun.clone(), subject.clone());
        let options = self.0.get(&lookup)?;
        if options.len() == 1 {
            return options.iter().next();
        }
        let title = title.unwrap_or("").to_lowercase();
        let mut hits = options.iter().filter(|o| {
            let other = if o.first == *subject {
                o.second.as_deref()
            } else {
                Some(&*o.first)
            };
            other.is_some_and(|n| title.contains(&n.to_lowercase()))
        });
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Direction, IndexedClaim, Kind, Qualifier};
    use crate::reconcile::Verdict;
    use crate::reconcile::tests::{ic, only, run, with};

    /// A figure of an economy is keyed by its place: the one its sentence names, else its
    /// story's; the bank that forecast it is no subject (extraction made it the `by`).
    #[test]
    fn a_figure_of_an_economy_is_keyed_by_its_place() {
        let fact = |path: &str, text: &str, v: f64| {
            with(ic(path, "2026-01-01", text, v, "Fabrikam set its tariff."), |c| {
                c.subject = Some("Fabrikam".into());
                c.entities = vec!["Fabrikam".into()];
                c.metric = None;
                c.measure.head = Some("price".into());
            })
        };
        let inflation = |path: &str, v: f64, subject: Option<&str>, by: &str| {
            let sentence = format!("Inflation could hit {v}% in January, {by} said.");
            with(ic(path, "2026-01-01", &format!("{v}%"), v, &sentence), |c| {
                c.kind = Kind::Percent;
                c.unit = "%".into();
                c.subject = subject.map(String::from);
                c.entities = subject.into_iter().chain([by]).map(String::from).collect();
                c.metric = None;
                c.period = Some("2027-01".into());
                c.measure.head = Some("inflation".into());
                c.measure.status = crate::model::Status::Forecast;
                c.measure.by = Some(by.into());
            })
        };
        let claims = [
            fact("a.txt", "$123.4 million", 123.4e6),
            fact("a.txt", "$567.8 million", 567.8e6),
            inflation("a.txt", 9.0, Some("United Kingdom"), "Contoso Bank"),
            fact("b.txt", "$123.4 million", 123.4e6),
            fact("b.txt", "$567.8 million", 567.8e6),
            inflation("b.txt", 12.0, None, "Northwind Economics"),
        ];
        let report = run(&claims);
        let d = report.iter().find(|d| d.metric.contains("inflation"));
        let d = d.unwrap_or_else(|| panic!("{report:#?}"));
        assert!(d.key.starts_with("United Kingdom|"), "{}", d.key);
        assert_eq!(d.values.len(), 2, "{d:#?}");
        assert_eq!(d.verdict, Verdict::Explained, "{}", d.reason);
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
    fn unknown_metric_joins_nothing() {
        let claims = [
            ic("a.txt", "2026-01-01", "$10 billion", 10e9, "s"),
            with(ic("c.txt", "2026-01-01", "$13 billion", 13e9, "s"), |c| c.metric = None),
        ];
        assert!(run(&claims).is_empty());
    }

    /// An article that names no one tells the story of the articles that state its figures;
    /// with no figure in common it joins nothing.
    #[test]
    fn an_unnamed_article_takes_the_subject_of_the_articles_stating_its_figures() {
        let unnamed = |c: &mut Claim| c.subject = None;
        let claims = [
            ic("a.txt", "2026-01-01", "$10.21 billion", 10.21e9, "s"),
            with(ic("b.txt", "2026-01-01", "$10.21 billion", 10.21e9, "s"), unnamed),
        ];
        let d = only(&claims);
        assert_eq!((d.verdict, d.articles), (Verdict::Consistent, 2));
        assert_eq!(d.subject, claims[0].claim.subject.as_deref().unwrap_or_default());
        let strangers = [
            ic("a.txt", "2026-01-01", "$10.21 billion", 10.21e9, "s"),
            with(ic("b.txt", "2026-01-01", "$7.5 billion", 7.5e9, "s"), unnamed),
        ];
        assert!(run(&strangers).is_empty());
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
        assert_eq!(d.verdict, Verdict::Unresolved);
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
        assert_eq!(
            change_window(
                "Shares fell 4.9% during trading on Tuesday, extending a 33% slide this year.",
                "4.9%"
            ),
            None
        );
        assert_eq!(
            change_window(
                "Shares fell 4.9% during trading on Tuesday, extending a 33% slide this year.",
                "33%"
            ),
            Some("year to date")
        );
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
}
