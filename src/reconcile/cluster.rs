//! Step 2, clustering a key's values: two points agree when they differ by no more than the
//! rounding of the precision either side wrote (single linkage); a range joins the one
//! cluster it agrees with, and stays apart when it agrees with several, so that it never
//! bridges figures that disagree.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashSet};
use std::sync::Arc;

use super::evidence::{Fig, span_only};
use super::key::Keyed;
use crate::extract::TOTAL;
use crate::model::{Change, SharedClaim, Status};
use crate::normalise::{Period, Relative};

/// What tells figures of one head apart, read off a cluster of agreeing figures: the kind
/// of statement, the change's base and the scope words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Signature {
    pub(super) label: Option<Arc<str>>,
    status: u8,
    change: Option<Change>,
    scope: Vec<String>,
}

/// The statement kinds that never meet: a reported figure, an expectation (analysts' or a
/// third party's), the company's guidance, a target.
fn status_class(s: Status) -> u8 {
    match s {
        Status::Actual => 0,
        Status::Estimate | Status::Forecast => 1,
        Status::Guidance => 2,
        Status::Target => 3,
    }
}

/// The most common of some votes (ties: the smallest), or the default with none.
fn majority<T: Ord + Clone + Default>(votes: impl Iterator<Item = T>) -> T {
    let mut n: BTreeMap<T, usize> = BTreeMap::new();
    for v in votes {
        *n.entry(v).or_default() += 1;
    }
    let best = n.values().copied().max().unwrap_or(0);
    n.into_iter()
        .find(|(_, c)| *c == best)
        .map(|(v, _)| v)
        .unwrap_or_default()
}

/// A cluster's figures split where they make statements that share neither what they
/// measure nor their kind: "produced 433,000 vehicles" and "a 433,000 estimate" of
/// deliveries agree in value only. Figures that share their measure or their kind of
/// statement stay together (outlets name one fact "the bill" and "the price cap"), unless
/// they are two items of an account ([`other_items`]).
fn by_statement<'k, 'a>(cluster: Vec<&'k Keyed<'a>>) -> Vec<Vec<&'k Keyed<'a>>> {
    let mut parts: Vec<Part<'k, 'a>> = Vec::new();
    for k in cluster {
        let (label, kind, item) = Part::traits(k);
        let joins = |p: &Part| {
            (p.labels.contains(&label) || p.kinds.contains(&kind))
                && item.is_none_or(|x| p.items.iter().all(|y| *y == x))
        };
        let at: Vec<usize> = (0..parts.len()).filter(|&i| joins(&parts[i])).collect();
        // Merged into the first part it joins, not copied anew: a cluster of thousands of
        // one statement costs one push per figure.
        let Some((&first, others)) = at.split_first() else {
            let mut part = Part::default();
            part.add(k);
            parts.push(part);
            continue;
        };
        for &i in others.iter().rev() {
            let p = parts.remove(i);
            parts[first].absorb(p);
        }
        parts[first].add(k);
    }
    parts.into_iter().map(|p| p.members).collect()
}

/// A cluster's figures split where one states a time apart from the period most of its
/// articles state: "a 56% rise the quarter before" agrees in value with the segment's "56%
/// in the third quarter" told by three, but it is not their fact, and it must not take
/// their scope by vote.
fn by_period<'k, 'a>(part: Vec<&'k Keyed<'a>>) -> Vec<Vec<&'k Keyed<'a>>> {
    let written = written_periods(part.iter().map(|k| k.ic));
    if written.len() < 2 {
        return vec![part];
    }
    let canon = canonical_periods(written.iter().map(|(p, a)| (*p, a.len())).collect());
    let mut articles: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (p, a) in &written {
        articles.entry(canon[p]).or_default().extend(a.iter().copied());
    }
    let Some(main) = articles
        .iter()
        .filter(|(_, a)| a.len() >= 2)
        .max_by_key(|(_, a)| a.len())
        .and_then(|(p, _)| Period::parse(p))
    else {
        return vec![part];
    };
    let apart = |k: &&Keyed| {
        let own = k.ic.period.as_deref().and_then(Period::parse);
        own.is_some_and(|p| p.overlaps(&main) == Some(false))
    };
    let (off, on): (Vec<_>, Vec<_>) = part.into_iter().partition(apart);
    [on, off].into_iter().filter(|p| !p.is_empty()).collect()
}

/// A cluster's figures said to be of the whole ("total revenue ... a 25% sequential
/// rise") split from those naming a part ("data-center revenue, up 25% sequentially"): they
/// agree in value only, and the whole must not take the part's scope by vote.
fn by_whole<'k, 'a>(part: Vec<&'k Keyed<'a>>) -> Vec<Vec<&'k Keyed<'a>>> {
    let whole = |k: &&Keyed| k.ic.measure.scope.iter().any(|s| s == TOTAL);
    let named_part = |k: &&Keyed| k.ic.measure.scope.iter().any(|s| s != TOTAL);
    if !part.iter().any(whole) || !part.iter().any(named_part) {
        return vec![part];
    }
    let (wholes, rest): (Vec<_>, Vec<_>) = part.into_iter().partition(whole);
    vec![rest, wholes]
}

/// Figures of one statement, with what their members say once: their labels, their kinds
/// of statement (status, level or change) and their items ([`crate::extract::item_of`]).
#[derive(Default)]
struct Part<'k, 'a> {
    members: Vec<&'k Keyed<'a>>,
    labels: BTreeSet<Option<Arc<str>>>,
    kinds: BTreeSet<(u8, bool)>,
    items: BTreeSet<&'static str>,
}

impl<'k, 'a> Part<'k, 'a> {
    fn traits(k: &Keyed) -> (Option<Arc<str>>, (u8, bool), Option<&'static str>) {
        let kind = (status_class(k.ic.measure.status), k.ic.measure.change.is_some());
        let item = k.label.as_deref().and_then(crate::extract::item_of);
        (k.label.clone(), kind, item)
    }

    fn absorb(&mut self, other: Part<'k, 'a>) {
        self.members.extend(other.members);
        self.labels.extend(other.labels);
        self.kinds.extend(other.kinds);
        self.items.extend(other.items);
    }

    fn add(&mut self, k: &'k Keyed<'a>) {
        let (label, kind, item) = Part::traits(k);
        self.members.push(k);
        self.labels.insert(label);
        self.kinds.insert(kind);
        self.items.extend(item);
    }
}

/// A cluster's signature by vote of its figures' articles: the statement kind and change
/// base most of them state, and the scope words at least a quarter of them, and two of them,
/// state (one article's slip or flourish, "the energy price cap" beside "the price cap",
/// neither adds a scope nor drops one that others name; a figure only one article gives
/// keeps its own).
fn signature(cluster: &[&Keyed], parties: &HashSet<String>) -> Signature {
    let measures = || cluster.iter().map(|k| &*k.ic.measure);
    let articles: BTreeSet<&str> = cluster.iter().map(|k| &*k.ic.article.path).collect();
    let mut scope_articles: BTreeMap<Cow<str>, BTreeSet<&str>> = BTreeMap::new();
    for k in cluster {
        let own =
            k.ic.measure
                .scope
                .iter()
                .map(String::as_str)
                .filter(|w| !parties.contains(*w) && *w != TOTAL);
        for w in own.chain(k.scope.as_deref()) {
            scope_articles
                .entry(scope_form(w))
                .or_default()
                .insert(&k.ic.article.path);
        }
    }
    let needed = articles.len().div_ceil(4).max(2.min(articles.len()));
    Signature {
        label: majority(cluster.iter().map(|k| k.label.clone())),
        status: majority(measures().map(|m| status_class(m.status))),
        change: majority(measures().map(|m| m.change)),
        scope: voted_scopes(&scope_articles, needed),
    }
}

/// The scopes at least `needed` articles name, where an article naming a longer scope
/// ("prepayment meters") votes for each shorter one inside it ("prepayment"); of the
/// scopes kept, the shortest forms only.
fn voted_scopes(scope_articles: &BTreeMap<Cow<str>, BTreeSet<&str>>, needed: usize) -> Vec<String> {
    let words = |s: &str| -> Vec<String> { s.split(' ').map(|w| singular(w).to_string()).collect() };
    let forms: Vec<(&str, Vec<String>)> = scope_articles.keys().map(|s| (&**s, words(s))).collect();
    let inside = |small: &[String], big: &[String]| small.iter().all(|w| big.contains(w)) || joined_run(small, big);
    let kept: Vec<&(&str, Vec<String>)> = (forms.iter())
        .filter(|(_, w)| {
            let voters: BTreeSet<&str> = (forms.iter().zip(scope_articles.values()))
                .filter(|((_, big), _)| inside(w, big))
                .flat_map(|(_, a)| a.iter().copied())
                .collect();
            voters.len() >= needed
        })
        .collect();
    (kept.iter())
        .filter(|(_, w)| !kept.iter().any(|(_, small)| small.len() < w.len() && inside(small, w)))
        .map(|(s, _)| (*s).to_string())
        .collect()
}

/// "prepayment" inside "pre payment meter": a scope written as one word where another
/// writes it as a run of words.
fn joined_run(small: &[String], big: &[String]) -> bool {
    let want = small.concat();
    (0..big.len()).any(|i| (i + 2..=big.len()).any(|j| big[i..j].concat() == want))
}

/// A word without a plural's final "s" ("meters" -> "meter"), as scope votes compare it.
fn singular(w: &str) -> &str {
    match w.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem,
        _ => w,
    }
}

/// Words that join the parts of a scope without naming one.
const SCOPE_JOINERS: &[&str] = &["and", "or", "the", "of", "&", "/", "+"];

/// A scope as votes count it: its words once each, in order, without joining words, so that
/// "model 3 / y" and "model 3 and model y" are one scope.
fn scope_form(scope: &str) -> Cow<'_, str> {
    let words = scope.split(|c: char| c.is_whitespace() || c == '/' || c == '&' || c == '+');
    let mut kept: Vec<&str> = Vec::new();
    for w in words.filter(|w| !w.is_empty() && !SCOPE_JOINERS.contains(w)) {
        if !kept.contains(&w) {
            kept.push(w);
        }
    }
    let form = kept.join(" ");
    if form == scope {
        Cow::Borrowed(scope)
    } else {
        Cow::Owned(form)
    }
}

/// A key's claims split into facts: its figures clustered by agreement, each cluster's
/// signature read by vote ([`signature`]), and the clusters of one signature kept together
/// (where they differ, a disagreement to judge). "Data-center revenue of $51.2 billion"
/// told by ten sources, three of which name the segment, stays apart from total revenue;
/// an estimate stays apart from the reported figure.
pub(super) fn facts<'a>(members: &[Keyed<'a>], parties: &HashSet<String>) -> Vec<(Option<Arc<str>>, Vec<Keyed<'a>>)> {
    if members.len() < 2 || members[0].label.is_none() {
        return vec![(None, members.to_vec())];
    }
    let mut figs: Vec<Fig> = members.iter().map(|m| span_only(m.ic)).collect();
    figs.sort_by(Fig::order);
    let at: HashMap<*const SharedClaim, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (std::ptr::from_ref(m.ic), i))
        .collect();
    let clusters: Vec<Vec<&Keyed<'a>>> = cluster(&figs)
        .iter()
        .map(|c| {
            c.iter()
                .filter_map(|f| at.get(&std::ptr::from_ref(f.ic)))
                .map(|&i| &members[i])
                .collect()
        })
        .collect();
    let kin = kin_labels(&clusters);
    let mut by_signature: BTreeMap<Signature, Vec<Keyed<'a>>> = BTreeMap::new();
    for of in clusters {
        for part in by_statement(of).into_iter().flat_map(by_period).flat_map(by_whole) {
            let mut sig = signature(&part, parties);
            if let Some(k) = sig.label.as_ref().and_then(|l| kin.get(l)) {
                sig.label = Some(k.clone());
            }
            by_signature.entry(sig).or_default().extend(part.into_iter().cloned());
        }
    }
    by_signature.into_iter().map(|(s, k)| (s.describe(), k)).collect()
}

/// Labels that outlets give one fact by: two heads that are not items ("the bill", "the
/// price cap"), each given by two articles or more to figures that agree, name one measure
/// across the key, so that a forecast told as "bills could reach £5,210" meets one told as
/// "the cap could hit £5,387". Each label mapped to the one of its kin most articles give.
fn kin_labels(clusters: &[Vec<&Keyed>]) -> BTreeMap<Arc<str>, Arc<str>> {
    let mut parent: BTreeMap<Arc<str>, Arc<str>> = BTreeMap::new();
    let mut uses: BTreeMap<Arc<str>, BTreeSet<&str>> = BTreeMap::new();
    for c in clusters {
        let mut by_label: BTreeMap<&Arc<str>, BTreeSet<&str>> = BTreeMap::new();
        for k in c {
            if let Some(l) = &k.label {
                by_label.entry(l).or_default().insert(&k.ic.article.path);
            }
        }
        by_label.retain(|l, _| crate::extract::item_of(l).is_none());
        for (l, a) in &by_label {
            uses.entry((*l).clone()).or_default().extend(a.iter().copied());
        }
        let told: Vec<&Arc<str>> = by_label.iter().filter(|(_, a)| a.len() >= 2).map(|(l, _)| *l).collect();
        for pair in told.windows(2) {
            let (a, b) = (root(&parent, pair[0]), root(&parent, pair[1]));
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent.insert(hi, lo);
            }
        }
    }
    let mut name: BTreeMap<Arc<str>, Arc<str>> = BTreeMap::new();
    for l in parent.keys().chain(parent.values()) {
        let r = root(&parent, l);
        let best = name.entry(r).or_insert_with(|| l.clone());
        let n = |x: &Arc<str>| uses.get(x).map_or(0, BTreeSet::len);
        if n(l) > n(best) {
            *best = l.clone();
        }
    }
    let labels: BTreeSet<Arc<str>> = parent.keys().chain(parent.values()).cloned().collect();
    labels
        .into_iter()
        .filter_map(|l| Some((l.clone(), name.get(&root(&parent, &l))?.clone())))
        .collect()
}

/// The root of a label's set of kin.
fn root(parent: &BTreeMap<Arc<str>, Arc<str>>, l: &Arc<str>) -> Arc<str> {
    let mut at = l.clone();
    while let Some(p) = parent.get(&at) {
        at = p.clone();
    }
    at
}

impl Signature {
    /// The measure as the report names it: scope words and head, the change's base and the
    /// kind of statement ("cloud revenue", "revenue, change year on year", "revenue
    /// (expected)").
    fn describe(&self) -> Option<Arc<str>> {
        let head = self.label.as_deref()?;
        let mut name = String::new();
        for w in &self.scope {
            name.push_str(w);
            name.push(' ');
        }
        name.push_str(head);
        name.push_str(match self.change {
            Some(Change::Yoy) => ", change year on year",
            Some(Change::Sequential) => ", change on the period before",
            Some(Change::Since) => ", change",
            None => "",
        });
        name.push_str(match self.status {
            1 => " (expected)",
            2 => " (guidance)",
            3 => " (target)",
            _ => "",
        });
        Some(name.into())
    }
}

/// The facts of a key ([`facts`]), each split by period ([`period_groups`]).
pub(super) fn split<'a>(members: &[Keyed<'a>], parties: &HashSet<String>) -> Vec<(Option<Arc<str>>, Vec<Keyed<'a>>)> {
    facts(members, parties)
        .into_iter()
        .flat_map(|(label, f)| {
            period_groups(&f)
                .into_iter()
                .map(|g| (label.clone(), g.into_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A key's claims split by the period they state, where two or more articles state each
/// period: "deliveries in the first quarter" and "deliveries a year earlier" told by many
/// sources are two facts, each judged on its own. A period only one article states (or
/// none) stays with the period most articles state, where it explains a difference.
pub(super) fn period_groups<'m, 'a>(members: &'m [Keyed<'a>]) -> Vec<Cow<'m, [Keyed<'a>]>> {
    // Each distinct period written, then periods that name the same time ("Q1" and "2024-Q1")
    // merged under the first of them.
    let written = written_periods(members.iter().map(|m| m.ic));
    // A relation between two parties (an investment, a stake) grows over time: its periods
    // are its history, judged together.
    if written.is_empty() || members.first().is_some_and(|m| m.relational) {
        return vec![Cow::Borrowed(members)];
    }
    let canon = canonical_periods(written.iter().map(|(p, a)| (*p, a.len())).collect());
    let articles = articles_by_period(&written, &canon);
    let shared = shared_periods(&articles);
    if shared.is_empty() || shared.len() == 1 && !is_before(shared[0].0) {
        return vec![Cow::Borrowed(members)];
    }
    let out = split_by_period(members, &canon, &articles, &shared);
    if out.len() < 2 {
        return vec![Cow::Borrowed(members)];
    }
    out.into_iter().map(Cow::Owned).collect()
}

/// Claims by the period they state, under its canonical name.
type ByPeriod<'p, 'a> = BTreeMap<&'p str, Vec<Keyed<'a>>>;

/// "Q1" and "2024-Q1" as one: the articles that state each period, under its canonical name.
fn articles_by_period<'p>(
    written: &BTreeMap<&'p str, BTreeSet<&'p str>>,
    canon: &BTreeMap<&'p str, &'p str>,
) -> BTreeMap<&'p str, BTreeSet<&'p str>> {
    let mut articles: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (p, a) in written {
        articles.entry(canon[p]).or_default().extend(a.iter().copied());
    }
    articles
}

/// The periods two or more articles state, each with how many do.
fn shared_periods<'p>(articles: &BTreeMap<&'p str, BTreeSet<&'p str>>) -> Vec<(&'p str, usize)> {
    articles
        .iter()
        .filter(|(_, a)| a.len() >= 2)
        .map(|(p, a)| (*p, a.len()))
        .collect()
}

/// "from £2,100 to £3,764": whether the period is the level before a change.
fn is_before(p: &str) -> bool {
    Period::parse(p) == Some(Period::Relative(Relative::Before))
}

/// The claims split by the `shared` periods they state, the claims of no shared period
/// placed as [`period_groups`] says; a group set apart comes first.
fn split_by_period<'a>(
    members: &[Keyed<'a>],
    canon: &BTreeMap<&str, &str>,
    articles: &BTreeMap<&str, BTreeSet<&str>>,
    shared: &[(&str, usize)],
) -> Vec<Vec<Keyed<'a>>> {
    // The period most articles state takes the claims of no shared period (ties: the first).
    let main = shared
        .iter()
        .fold(shared[0], |best, &p| if p.1 > best.1 { p } else { best })
        .0;
    let (mut groups, unplaced) = by_shared_period(members, canon, shared);
    // A claim of no shared period joins the period whose figures it agrees with ("£1,971"
    // beside "the current £1,971"), else the main one, where it explains a difference;
    // but where the main period is the level before a change ("from £2,100 to £3,764" told
    // by several), the figures of no time that agree with none are the level after it.
    let rest = place_agreeing(&mut groups, unplaced, articles, main);
    let (rest, apart) = set_apart_relative(rest, main);
    let rest_articles: BTreeSet<&str> = rest.iter().map(|m| &*m.ic.article.path).collect();
    let mut out: Vec<Vec<Keyed<'a>>> = Vec::new();
    if !apart.is_empty() {
        out.push(apart.into_iter().cloned().collect());
    }
    if is_before(main) && rest_articles.len() >= 2 {
        out.push(rest.into_iter().cloned().collect());
    } else {
        groups.entry(main).or_default().extend(rest.into_iter().cloned());
    }
    out.extend(groups.into_values());
    out
}

/// The claims under the shared period they state (by its canonical name), and the claims
/// that state none of them.
fn by_shared_period<'m, 'a, 'p>(
    members: &'m [Keyed<'a>],
    canon: &BTreeMap<&'p str, &'p str>,
    shared: &[(&'p str, usize)],
) -> (ByPeriod<'p, 'a>, Vec<&'m Keyed<'a>>) {
    let mut groups: ByPeriod<'p, 'a> = BTreeMap::new();
    let mut unplaced: Vec<&Keyed<'a>> = Vec::new();
    for m in members {
        let p =
            m.ic.period
                .as_deref()
                .map(|p| canon[p])
                .filter(|p| shared.iter().any(|s| s.0 == *p));
        match p {
            Some(p) => groups.entry(p).or_default().push(m.clone()),
            None => unplaced.push(m),
        }
    }
    (groups, unplaced)
}

/// "£1,971" beside "the current £1,971": each unplaced claim that agrees with a period
/// group's figures joins it; the claims that agree with none are returned.
fn place_agreeing<'m, 'a, 'p>(
    groups: &mut ByPeriod<'p, 'a>,
    unplaced: Vec<&'m Keyed<'a>>,
    articles: &BTreeMap<&str, BTreeSet<&str>>,
    main: &'p str,
) -> Vec<&'m Keyed<'a>> {
    let spans: Vec<(&str, Spans)> = groups.iter().map(|(p, g)| (*p, Spans::of(g))).collect();
    let (placed, rest): (Vec<_>, Vec<_>) = unplaced
        .into_iter()
        .map(|m| (m, agreeing_period(m, &spans, articles)))
        .partition(|(_, p)| p.is_some());
    for (m, p) in placed {
        groups.entry(p.unwrap_or(main)).or_default().push(m.clone());
    }
    rest.into_iter().map(|(m, _)| m).collect()
}

/// The claims that stay with the main period, then those set apart from it.
fn set_apart_relative<'m, 'a>(rest: Vec<&'m Keyed<'a>>, main: &str) -> (Vec<&'m Keyed<'a>>, Vec<&'m Keyed<'a>>) {
    // "Could the cap hit £6,000 next year?" beside forecasts for January: a figure whose
    // time is stated relative to a date no one gives is a fact apart from a dated one.
    let main_dated = Period::parse(main).is_some_and(|p| !matches!(p, Period::Relative(_)));
    rest.into_iter().partition(|m| {
        let own = m.ic.period.as_deref().and_then(Period::parse);
        let relative = matches!(own, Some(Period::Relative(r)) if !matches!(r, Relative::Before | Relative::Present));
        !(main_dated && relative)
    })
}

/// The period group holding a figure that agrees with `m`'s, the one most articles state
/// where several do.
fn agreeing_period<'p>(
    m: &Keyed,
    groups: &[(&'p str, Spans)],
    articles: &BTreeMap<&str, BTreeSet<&str>>,
) -> Option<&'p str> {
    let own = span_only(m.ic);
    groups
        .iter()
        .filter(|(_, g)| g.agree_with(&own))
        .map(|(p, _)| *p)
        .max_by_key(|p| (articles.get(p).map_or(0, BTreeSet::len), std::cmp::Reverse(*p)))
}

/// A group's figures as agreement looks them up: points by value (with the widest
/// rounding), ranges apart, so that a figure finds one it agrees with without a scan of all.
struct Spans<'a> {
    points: Vec<Fig<'a>>,
    widest: f64,
    ranges: Vec<Fig<'a>>,
}

impl<'a> Spans<'a> {
    fn of(group: &[Keyed<'a>]) -> Self {
        let (mut points, ranges): (Vec<Fig>, Vec<Fig>) =
            group.iter().map(|k| span_only(k.ic)).partition(|f| !f.is_range());
        points.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let widest = points.iter().map(|f| f.tol).fold(0.0, f64::max);
        Spans { points, widest, ranges }
    }

    fn agree_with(&self, own: &Fig) -> bool {
        let reach = own.tol.max(self.widest);
        let from = self.points.partition_point(|p| p.lo < own.lo - reach);
        self.points[from..]
            .iter()
            .take_while(|p| p.lo <= own.hi + reach)
            .any(|p| p.agrees(own))
            || self.ranges.iter().any(|r| r.agrees(own))
    }
}

/// The bare periods of a group's figures ("Q3") read as the period they stand for among the
/// group's others ([`canonical_periods`]), so that the judge compares what the grouping
/// joined: a bare `Q3` of a story told of `FY2026-Q3` is that quarter, not the year-ago one.
pub(super) fn date_bare_periods(figs: &mut [Fig]) {
    if !figs.iter().any(|f| f.period.as_ref().is_some_and(Period::is_bare)) {
        return;
    }
    let written = written_periods(figs.iter().map(|f| f.ic));
    if written.len() < 2 {
        return;
    }
    let canon = canonical_periods(written.iter().map(|(p, a)| (*p, a.len())).collect());
    let dated: BTreeMap<&str, Period> = canon
        .iter()
        .filter(|(p, c)| p != c && Period::parse(p).is_some_and(|x| x.is_bare()))
        .filter_map(|(p, c)| Some((*p, Period::parse(c)?)))
        .collect();
    for f in figs.iter_mut() {
        if let Some(p) = f.ic.period.as_deref().and_then(|p| dated.get(p)) {
            f.period = Some(p.clone());
        }
    }
}

/// Each distinct period the claims write, with the articles that write it.
fn written_periods<'c>(claims: impl Iterator<Item = &'c SharedClaim>) -> BTreeMap<&'c str, BTreeSet<&'c str>> {
    let mut written: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in claims {
        if let Some(p) = c.period.as_deref() {
            written.entry(p).or_default().insert(&c.article.path);
        }
    }
    written
}

/// Each period written (with how many articles write it) mapped to the first written
/// period that names the same time: the same span (or a fiscal and a calendar quarter that
/// may be one); then a month or quarter written without its year to the one period it may
/// be, or, where it may be several, to the one that more articles write than all the others
/// together (a bare `Q3` in a story told of `FY2026-Q3`, beside one article's year-ago
/// `FY2025-Q3`); else to itself (a bare `Q1` beside `2024-Q1` and `2023-Q1` written alike
/// joins neither, so that it never bridges two years).
fn canonical_periods(written: Vec<(&str, usize)>) -> BTreeMap<&str, &str> {
    let parsed: Vec<Option<Period>> = written.iter().map(|(p, _)| Period::parse(p)).collect();
    let bare = |i: usize| parsed[i].as_ref().is_some_and(Period::is_bare);
    let mut canon: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, (p, _)) in written.iter().enumerate().filter(|(i, _)| !bare(*i)) {
        let same_as = (0..i).filter(|&j| !bare(j)).find(|&j| match (&parsed[i], &parsed[j]) {
            (Some(a), Some(b)) => a.same(b) == Some(true) || a.may_be_same(b),
            _ => false,
        });
        let c = same_as.map_or(*p, |j| canon[written[j].0]);
        canon.insert(p, c);
    }
    for (i, (p, _)) in written.iter().enumerate().filter(|(i, _)| bare(*i)) {
        let mut fits: BTreeMap<&str, usize> = BTreeMap::new();
        for j in (0..written.len()).filter(|&j| !bare(j)) {
            if let (Some(a), Some(b)) = (&parsed[i], &parsed[j])
                && a.overlaps(b) == Some(true)
                && !b.is_year()
            {
                *fits.entry(canon[written[j].0]).or_default() += written[j].1;
            }
        }
        let total: usize = fits.values().sum();
        let dominant = fits.iter().find(|(_, n)| 2 * **n > total).map(|(c, _)| *c);
        let earlier_bare = (0..i)
            .find(|&j| bare(j) && parsed[i] == parsed[j])
            .map(|j| canon[written[j].0]);
        canon.insert(p, dominant.or(earlier_bare).unwrap_or(p));
    }
    canon
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
pub(super) fn cluster<'a>(figs: &[Fig<'a>]) -> Vec<Vec<Fig<'a>>> {
    let mut clusters = point_clusters(figs);
    let points = PointSpans::of(&clusters);
    let mut ranges: Vec<&Fig> = figs.iter().filter(|f| f.is_range()).collect();
    ranges.sort_by(|a, b| a.lo.total_cmp(&b.lo).then(a.hi.total_cmp(&b.hi)));
    // A group can hold tens of thousands of figures: each range looks only at the point
    // clusters and range clusters it could meet, found without a scan of them all.
    let mut range_clusters = RangeClusters {
        clusters: Vec::new(),
        bounds: Vec::new(),
        open: Vec::new(),
        widest_tol: ranges.iter().map(|r| r.tol).fold(0.0, f64::max),
    };
    for r in ranges {
        if let [only] = points.meeting(r)[..] {
            clusters[only].push(r.clone());
            continue;
        }
        range_clusters.place(r);
    }
    clusters.extend(range_clusters.clusters);
    clusters
}

/// "$10bn", "$10.2bn", "$11bn" as one cluster: the points (figures that are no range) by
/// rounding, single linkage, in order of value.
fn point_clusters<'a>(figs: &[Fig<'a>]) -> Vec<Vec<Fig<'a>>> {
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
    clusters
}

/// The point clusters' spans ([`spans_of`]), read to find the ones a range meets.
struct PointSpans {
    spans: Vec<(f64, f64, f64)>,
    /// The widest tolerance of any span.
    widest_tol: f64,
    /// Whether both ends of the spans rise from one to the next.
    rising: bool,
}

impl PointSpans {
    /// The spans of `clusters`.
    fn of(clusters: &[Vec<Fig>]) -> Self {
        let spans = spans_of(clusters);
        // Point clusters come in order and apart (each starts past the last one's highest
        // value), so both ends of their spans rise: the spans a range can meet, tolerance
        // included, are one run of them, found by binary search.
        let widest_tol = spans.iter().map(|s| s.2).fold(0.0, f64::max);
        let rising = spans.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1);
        PointSpans {
            spans,
            widest_tol,
            rising,
        }
    }

    /// The point clusters range `r` agrees with, tolerance included.
    fn meeting(&self, r: &Fig) -> Vec<usize> {
        let spans = &self.spans;
        let reach = self.widest_tol.max(r.tol);
        let window = if self.rising {
            spans.partition_point(|s| s.1 < r.lo - reach)..spans.partition_point(|s| s.0 <= r.hi + reach)
        } else {
            0..spans.len()
        };
        window
            .filter(|&i| {
                let (lo, hi, tol) = spans[i];
                let tol = tol.max(r.tol);
                r.lo - tol <= hi && lo - tol <= r.hi
            })
            .collect()
    }
}

/// The clusters of the ranges that agree with no single point cluster, built range by range
/// in order of low end.
struct RangeClusters<'a> {
    clusters: Vec<Vec<Fig<'a>>>,
    /// Per range cluster: its lowest value, highest value and widest tolerance, so that a
    /// cluster none of whose members can agree with a range is passed over unread.
    bounds: Vec<(f64, f64, f64)>,
    /// The range clusters a range may still meet, in the order they were made (ranges come
    /// by rising low end: a cluster whose highest value plus any tolerance is below one
    /// range's low end is below every later one's too).
    open: Vec<usize>,
    /// The widest tolerance of any range.
    widest_tol: f64,
}

impl<'a> RangeClusters<'a> {
    /// Range `r` joins the first open cluster holding a range it agrees with, else starts one.
    fn place(&mut self, r: &Fig<'a>) {
        let (bounds, widest_tol) = (&self.bounds, self.widest_tol);
        self.open.retain(|&c| {
            let (_, hi, tol) = bounds[c];
            r.lo <= hi + tol.max(widest_tol)
        });
        match self.meeting(r) {
            Some(c) => {
                let b = &mut self.bounds[c];
                *b = (b.0.min(r.lo), b.1.max(r.hi), b.2.max(r.tol));
                self.clusters[c].push(r.clone());
            }
            None => {
                self.open.push(self.clusters.len());
                self.bounds.push((r.lo, r.hi, r.tol));
                self.clusters.push(vec![r.clone()]);
            }
        }
    }

    /// The first open cluster with a range that agrees with `r`.
    fn meeting(&self, r: &Fig) -> Option<usize> {
        // Members newest first: they came by rising low end, so the likeliest to meet
        // this range are the last ones.
        self.open.iter().copied().find(|&c| {
            let (lo, hi, tol) = self.bounds[c];
            let tol = tol.max(r.tol);
            lo - tol <= r.hi && r.lo - tol <= hi && self.clusters[c].iter().rev().any(|q| q.agrees(r))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::model::Claim;

    #[test]
    fn a_yearless_period_joins_the_one_period_it_may_be_and_never_bridges_two() {
        let canon = |w: &[&'static str]| -> Vec<(&'static str, &'static str)> {
            canonical_periods(w.iter().map(|p| (*p, 1)).collect())
                .into_iter()
                .collect()
        };
        let counted = |w: &[(&'static str, usize)]| -> Vec<(&'static str, &'static str)> {
            canonical_periods(w.to_vec()).into_iter().collect()
        };
        assert_eq!(
            counted(&[("FY2025-Q3", 1), ("FY2026-Q3", 5), ("Q3", 4)]),
            [
                ("FY2025-Q3", "FY2025-Q3"),
                ("FY2026-Q3", "FY2026-Q3"),
                ("Q3", "FY2026-Q3")
            ],
            "a bare quarter is the one the story is told of"
        );
        assert_eq!(canon(&["2024-Q1", "Q1"]), [("2024-Q1", "2024-Q1"), ("Q1", "2024-Q1")]);
        assert_eq!(
            canon(&["2023-Q1", "2024-Q1", "Q1"]),
            [("2023-Q1", "2023-Q1"), ("2024-Q1", "2024-Q1"), ("Q1", "Q1")]
        );
        assert_eq!(
            canon(&["--10", "2022-10"]),
            [("--10", "2022-10"), ("2022-10", "2022-10")]
        );
        assert_eq!(
            canon(&["2024", "Q1"]),
            [("2024", "2024"), ("Q1", "Q1")],
            "a quarter is not its year"
        );
        assert_eq!(
            canon(&["2025-Q4", "FY2026-Q1"]),
            [("2025-Q4", "2025-Q4"), ("FY2026-Q1", "2025-Q4")]
        );
    }
    use crate::reconcile::evidence::fig;
    use crate::reconcile::tests::{ic, only, with};
    use crate::reconcile::{Verdict, share};

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

    #[test]
    fn a_figure_of_no_shared_period_joins_the_period_it_agrees_with() {
        let cap = |path: &str, text: &str, v: f64, period: Option<&str>| {
            with(ic(path, "2022-08-26", text, v, "The cap was set."), |c| {
                c.unit = "GBP".into();
                c.subject = Some("Ofgem".into());
                c.metric = None;
                c.measure.head = Some("price cap".into());
                c.period = period.map(String::from);
            })
        };
        let claims = [
            cap("a.txt", "£1,971", 1971.0, Some("2022-08")),
            cap("b.txt", "£1,971", 1971.0, Some("2022-08")),
            cap("a.txt", "£1,277", 1277.0, Some("2021-10")),
            cap("c.txt", "£1,277", 1277.0, Some("2021-10")),
            cap("c.txt", "£1,971", 1971.0, Some("2022-04")),
            cap("d.txt", "£1,971", 1971.0, None),
        ];
        let groups = crate::reconcile::tests::run(&claims);
        let mut values: Vec<Vec<(String, f64)>> = groups
            .iter()
            .map(|d| d.values.iter().map(|v| (v.article.path.to_string(), v.value)).collect())
            .collect();
        values.sort_by_key(Vec::len);
        assert_eq!(values.len(), 2, "{groups:#?}");
        assert!(values[0].iter().all(|v| v.1 == 1277.0), "{values:?}");
        assert_eq!(values[1].len(), 4, "every £1,971 together: {values:?}");
        // "From £2,100 to £3,764" told by two: the levels before and after are two facts.
        let claims = [
            cap("a.txt", "£2,100", 2100.0, Some("before")),
            cap("b.txt", "£2,100", 2100.0, Some("before")),
            cap("a.txt", "£3,764", 3764.0, None),
            cap("b.txt", "£3,764", 3764.0, None),
        ];
        let groups = crate::reconcile::tests::run(&claims);
        assert_eq!(groups.len(), 2, "{groups:#?}");
        assert!(groups.iter().all(|d| d.verdict == Verdict::Consistent));
    }

    #[test]
    fn a_longer_scope_votes_for_the_shorter_one_inside_it() {
        let votes = |list: &[(&'static str, &[&'static str])]| -> BTreeMap<Cow<'static, str>, BTreeSet<&'static str>> {
            list.iter()
                .map(|(s, a)| (Cow::Borrowed(*s), a.iter().copied().collect()))
                .collect()
        };
        let v = votes(&[
            ("prepayment", &["a.txt"]),
            ("prepayment meters", &["b.txt"]),
            ("pre payment meter", &["c.txt"]),
            ("ppm", &["d.txt"]),
        ]);
        assert_eq!(voted_scopes(&v, 3), vec!["prepayment".to_string()]);
        assert_eq!(
            voted_scopes(&v, 2),
            vec!["prepayment".to_string()],
            "the shortest form kept"
        );
        assert!(voted_scopes(&v, 4).is_empty());
        let v = votes(&[("use", &["a.txt"]), ("houses", &["b.txt"])]);
        assert!(voted_scopes(&v, 2).is_empty(), "a word inside another word is no vote");
    }

    #[test]
    fn a_figure_of_another_time_takes_no_scope_from_figures_it_agrees_with() {
        let growth = |path: &str, v: f64, scope: &[&str], period: &str| {
            with(ic(path, "2025-11-20", "40%", v, "Sales rose."), |c| {
                c.unit = "%".into();
                c.metric = None;
                c.measure.head = Some("revenue".into());
                c.measure.scope = scope.iter().map(|s| s.to_string()).collect();
                c.measure.change = Some(Change::Yoy);
                c.period = Some(period.into());
            })
        };
        let claims = [
            growth("a.txt", 40.0, &["cloud"], "Q3"),
            growth("b.txt", 40.0, &["cloud"], "Q3"),
            growth("c.txt", 40.0, &["cloud"], "Q3"),
            growth("a.txt", 31.0, &[], "Q3"),
            growth("b.txt", 31.0, &[], "Q3"),
            // "The previous quarter saw a 40% rise": the company's, not the segment's.
            growth("d.txt", 40.0, &[], "prior-quarter"),
        ];
        let groups = crate::reconcile::tests::run(&claims);
        let company = groups.iter().find(|d| d.values.iter().any(|v| v.value == 31.0));
        let paths: Vec<&str> = company.map_or(Vec::new(), |d| d.values.iter().map(|v| &*v.article.path).collect());
        assert!(paths.contains(&"d.txt"), "{groups:#?}");
        assert_eq!(company.map(|d| d.verdict), Some(Verdict::Explained), "{groups:#?}");
    }

    #[test]
    fn a_bare_quarter_is_the_quarter_the_story_is_told_of() {
        let revenue = |path: &str, text: &str, v: f64, period: &str| {
            with(ic(path, "2025-11-20", text, v, "Revenue was reported."), |c| {
                c.metric = None;
                c.measure.head = Some("revenue".into());
                c.period = Some(period.into());
            })
        };
        let claims = [
            revenue("a.txt", "$57 billion", 57e9, "Q3"),
            revenue("b.txt", "$57 billion", 57e9, "Q3"),
            revenue("c.txt", "$57.01 billion", 57.01e9, "FY2026-Q3"),
            revenue("d.txt", "$57.01 billion", 57.01e9, "FY2026-Q3"),
            revenue("c.txt", "$35.08 billion", 35.08e9, "FY2025-Q3"),
        ];
        let d = only(&claims);
        assert_eq!(d.values.len(), 5, "one group: {d:#?}");
        assert_eq!(d.verdict, Verdict::Explained, "{}", d.reason);
    }

    #[test]
    fn two_items_of_an_account_never_make_one_fact() {
        let usd = |path: &str, text: &str, v: f64, head: &str| {
            with(ic(path, "2025-11-20", text, v, "It reported its results."), |c| {
                c.metric = None;
                c.measure.head = Some(head.into());
            })
        };
        let claims = [
            usd("a.txt", "$35 billion", 35e9, "capital expenditure"),
            usd("b.txt", "$35.08 billion", 35.08e9, "revenue"),
            usd("c.txt", "$57 billion", 57e9, "revenue"),
        ];
        let groups = crate::reconcile::tests::run(&claims);
        assert_eq!(groups.len(), 1, "{groups:#?}");
        assert_eq!(groups[0].metric, "revenue");
        assert_eq!(groups[0].values.len(), 2);
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
        assert_eq!(only(&claims).verdict, Verdict::Unresolved);
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
        assert_eq!(only(&claims).verdict, Verdict::Unresolved);
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
}
