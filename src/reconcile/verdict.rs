//! Step 3, the verdict on a key's clusters: one cluster across two or more articles is
//! consistent; otherwise every pair of clusters must be explained by the evidence
//! (different periods, a range holding a point, a bound versus a point, a cumulative total
//! versus one tranche or part, different scopes) or the key is a conflict, as it is whenever
//! two figures give different values for one stated period with nothing to explain them.
//! The reasons are written as the report's sentences, and [`judge`] builds a group's entry.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::cluster::{cluster, date_bare_periods};
use super::evidence::{BASES, Fig, fig};
use super::key::{Key, Keyed};
use super::prefer::prefer;
use super::{Disagreement, Options, ValueEntry};
use crate::model::{Qualifier, Status};

/// The report's verdict on a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Conflict,
    /// The figures differ and nothing explains it, but a period is missing to call it a
    /// conflict.
    Unresolved,
    Explained,
    Consistent,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conflict => "conflict",
            Verdict::Unresolved => "unresolved",
            Verdict::Explained => "explained",
            Verdict::Consistent => "consistent",
        }
    }
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
    let (big, small) = if a.hi >= b.hi { (a, b) } else { (b, a) };
    different_periods(a, b)
        .or_else(|| range_holds_point(a, b))
        .or_else(|| bounds_hold(a, b))
        .or_else(|| different_statements(a, b))
        .or_else(|| different_windows(a, b))
        .or_else(|| cumulative_total(big, small))
        .or_else(|| different_scopes(a, b))
        .or_else(|| part_of_whole(big, small))
}

/// "2019 vs 2023": two figures of periods that do not overlap (earlier, later as written).
fn different_periods(a: &Fig, b: &Fig) -> Option<Why> {
    if let (Some(pa), Some(pb)) = (&a.period, &b.period)
        && pa.overlaps(pb) == Some(false)
    {
        let (x, y) = (period_text(a), period_text(b));
        let (x, y) = if x <= y { (x, y) } else { (y, x) };
        return Some(Why::Periods(x, y));
    }
    None
}

/// "$12 billion lies inside the range $10-15 billion": a point within a range's tolerance.
fn range_holds_point(a: &Fig, b: &Fig) -> Option<Why> {
    for (r, p) in [(a, b), (b, a)] {
        if r.is_range() && !p.is_range() && r.lo - r.tol <= p.lo && p.lo <= r.hi + r.tol {
            return Some(Why::Clause(
                0,
                format!("{} lies inside the range {}", p.claim().text, r.claim().text),
            ));
        }
    }
    None
}

/// "up to $10 billion is a bound, not a point figure like $8 billion", or two bounds that
/// both hold.
fn bounds_hold(a: &Fig, b: &Fig) -> Option<Why> {
    for (x, y) in [(a, b), (b, a)] {
        if x.is_bound() && !y.is_bound() && x.admits(y) {
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
    if a.is_bound() && b.is_bound() && a.admits(b) {
        return Some(Why::Clause(
            1,
            format!(
                "{} {} and {} {} are bounds that both hold",
                qualifier_words(a.claim().qualifier),
                a.claim().text,
                qualifier_words(b.claim().qualifier),
                b.claim().text
            ),
        ));
    }
    None
}

/// "5% and 7% were measured at different times of trading (intraday vs an unstated time)".
fn different_windows(a: &Fig, b: &Fig) -> Option<Why> {
    if a.window != b.window {
        let name = |f: &Fig| f.window.unwrap_or("an unstated time").to_string();
        return Some(differ_by(5, a, b, "were measured at different times of trading", name));
    }
    None
}

/// "$13 billion is a cumulative total ('in total'), $1 billion one tranche or part": the
/// larger figure `big` a total, the smaller not.
fn cumulative_total(big: &Fig, small: &Fig) -> Option<Why> {
    let w = big.cumulative.filter(|_| small.cumulative.is_none())?;
    let tranche = small.part.map_or(String::new(), |p| format!(" ('{p}')"));
    Some(Why::Clause(
        2,
        format!(
            "{} is a cumulative total ('{w}'), {} one tranche or part{tranche}",
            big.claim().text,
            small.claim().text
        ),
    ))
}

/// "$5 billion and $7 billion cover different scopes (UK vs unqualified)".
fn different_scopes(a: &Fig, b: &Fig) -> Option<Why> {
    if differ_in_scope(a, b) {
        let name = |f: &Fig| {
            if f.scope.is_empty() {
                "unqualified".to_string()
            } else {
                f.scope.iter().copied().collect::<Vec<_>>().join(" ")
            }
        };
        return Some(differ_by(4, a, b, "cover different scopes", name));
    }
    None
}

/// "$2 billion is one part ('segment') of a larger whole such as $9 billion": the smaller
/// figure a part, the larger not.
fn part_of_whole(big: &Fig, small: &Fig) -> Option<Why> {
    let w = small.part.filter(|_| big.part.is_none())?;
    Some(Why::Clause(
        3,
        format!(
            "{} is one part ('{w}') of a larger whole such as {}",
            small.claim().text,
            big.claim().text
        ),
    ))
}

/// Whether two figures cover different scopes ("UK" vs unqualified, "GAAP" vs "non-GAAP";
/// not "GAAP" vs unqualified: a figure that names no basis ([`BASES`]) is on one of them,
/// so a basis on one side only explains nothing).
fn differ_in_scope(a: &Fig, b: &Fig) -> bool {
    let has_basis = |f: &Fig| f.scope.iter().any(|s| BASES.contains(s));
    let both = has_basis(a) && has_basis(b);
    let parts = |f: &Fig| -> BTreeSet<&'static str> {
        f.scope.iter().copied().filter(|s| both || !BASES.contains(s)).collect()
    };
    parts(a) != parts(b)
}

/// Two statements of different kinds (a reported figure and an estimate, guidance and a
/// third party's forecast), or predictions by different sources ("Cornwall Insight" vs
/// "Auxilione"), are not two claims about one fact.
fn different_statements(a: &Fig, b: &Fig) -> Option<Why> {
    let (ma, mb) = (&a.ic.measure, &b.ic.measure);
    if ma.status != mb.status {
        return Some(differ_by(6, a, b, "are different kinds of statement", |f| {
            f.ic.measure.status.as_str().to_string()
        }));
    }
    let by = |f: &Fig| f.ic.measure.by.as_deref().map(str::to_lowercase);
    if ma.status != Status::Actual && by(a) != by(b) {
        let name = |f: &Fig| f.ic.measure.by.clone().unwrap_or_else(|| "an unnamed source".into());
        return Some(differ_by(6, a, b, "are predictions by different sources", name));
    }
    None
}

/// "A and B <differ> (a's vs b's)": two figures told apart by what `name` reads of each.
fn differ_by(rank: u8, a: &Fig, b: &Fig, differ: &str, name: impl Fn(&Fig) -> String) -> Why {
    Why::Clause(
        rank,
        format!(
            "{} and {} {differ} ({} vs {})",
            a.claim().text,
            b.claim().text,
            name(a),
            name(b)
        ),
    )
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
    // And a conflict is between sources: an article that gives two values ("trading at $162,
    // just above the March low of $160") speaks of two things, whatever it leaves unsaid.
    if a.implied_period || b.implied_period || a.ic.article.path == b.ic.article.path {
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
    let (all_x, all_y) = (x, y);
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
    // The pair to show: two sources where there are (an article's own two values say less).
    let across = all_x.iter().find_map(|a| {
        all_y
            .iter()
            .find(|b| a.ic.article.path != b.ic.article.path)
            .map(|b| (a, b))
    });
    match (reason, across.or_else(|| Some((*x.first()?, *y.first()?)))) {
        (Some(r), _) => Ok(Some(r)),
        (None, Some(pair)) => Err(pair),
        (None, None) => Ok(None),
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
                f.window,
            ))
        })
        .collect()
}

/// The report's entry for the claims of one key, if it has enough articles.
pub(super) fn judge(key: &Key, label: Option<&str>, members: &[Keyed], opts: &Options) -> Option<Disagreement> {
    let articles: BTreeSet<&str> = members.iter().map(|m| &*m.ic.article.path).collect();
    if members.len() < 2 || articles.len() < opts.min_sources.max(1) {
        return None;
    }
    let mut figs: Vec<Fig> = members.iter().map(|m| fig(m.ic)).collect();
    date_bare_periods(&mut figs);
    // A fixed order, whatever order the claims came in: everything after is deterministic.
    figs.sort_by(Fig::order);
    let clusters = cluster(&figs);
    let (verdict, reason) = if clusters.len() == 1 {
        if articles.len() < 2 {
            return None;
        }
        (Verdict::Consistent, consistent_reason(&clusters[0], articles.len()))
    } else {
        judge_clusters(&clusters)
    };
    let (order, preferred) = prefer(&clusters, &opts.weights);
    let values = ranked_values(&clusters, &order);
    let subject = display_subject(key, members);
    let metric = label.unwrap_or(&key.metric);
    let counterpart = if *key.first == *subject {
        key.second.as_deref().map(str::to_owned)
    } else {
        Some(key.first.to_string())
    };
    Some(Disagreement {
        key: group_key(&subject, counterpart.as_deref(), metric, key),
        subject,
        counterpart,
        metric: match &key.noun {
            Some(n) => format!("{metric} ({n})"),
            None => metric.to_string(),
        },
        unit: key.unit.to_string(),
        verdict,
        reason,
        preferred,
        articles: articles.len(),
        values,
    })
}

/// The verdict on two or more clusters and its reason: a conflict when two figures of
/// stated periods differ with nothing to explain them, unresolved when a period is missing
/// (or one article gives both), else explained by the reasons of every pair.
fn judge_clusters(clusters: &[Vec<Fig>]) -> (Verdict, String) {
    let (reasons, unexplained) = pair_reasons(clusters);
    match unexplained {
        Some((a, b)) if a.period.is_none() || b.period.is_none() || a.ic.article.path == b.ic.article.path => {
            (Verdict::Unresolved, unresolved_reason(a, b))
        }
        Some((a, b)) => (Verdict::Conflict, conflict_reason(a, b)),
        None => (Verdict::Explained, explanation_sentence(&reasons)),
    }
}

/// The reasons that explain pairs of clusters, each once in the order found, and the first
/// pair of figures nothing explains (across articles; two of one article only when no pair
/// is explained).
fn pair_reasons<'c, 'a>(clusters: &'c [Vec<Fig<'a>>]) -> (Vec<Why>, Option<(&'c Fig<'a>, &'c Fig<'a>)>) {
    // Each reason once, in the order found (a set beside the list: a group of many
    // clusters has as many reasons as pairs of periods, and a linear search for each
    // made judging it quartic in its clusters).
    let mut reasons: Vec<Why> = Vec::new();
    let mut known_reasons: HashSet<Why> = HashSet::new();
    let mut unexplained: Option<(&Fig, &Fig)> = None;
    // Two values one article gives ("trading at $162, just above the March low of $160")
    // are two things it leaves unsaid: the rest of the group is still judged.
    let mut one_articles: Option<(&Fig, &Fig)> = None;
    'pairs: for i in 0..clusters.len() {
        for j in i + 1..clusters.len() {
            match explain_clusters(&clusters[i], &clusters[j]) {
                Ok(Some(r)) => {
                    if known_reasons.insert(r.clone()) {
                        reasons.push(r);
                    }
                }
                Ok(None) => {}
                Err(pair) if pair.0.ic.article.path == pair.1.ic.article.path => {
                    one_articles = one_articles.or(Some(pair));
                }
                Err(pair) => {
                    unexplained = Some(pair);
                    break 'pairs;
                }
            }
        }
    }
    if reasons.is_empty() {
        unexplained = unexplained.or(one_articles);
    }
    (reasons, unexplained)
}

/// The values of every cluster, cluster by cluster in `order` (the preferred first), each
/// cluster's by value, then path, line and position.
fn ranked_values(clusters: &[Vec<Fig>], order: &[usize]) -> Vec<ValueEntry> {
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
    values
}

/// "OpenAI|Microsoft|investment|USD": the group's key, with `|noun` when the key has one.
fn group_key(subject: &str, counterpart: Option<&str>, metric: &str, key: &Key) -> String {
    format!(
        "{}|{}|{}|{}{}",
        subject,
        counterpart.unwrap_or(""),
        metric,
        key.unit,
        key.noun.as_ref().map_or(String::new(), |n| format!("|{n}"))
    )
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

fn unresolved_reason(a: &Fig, b: &Fig) -> String {
    let (a, b) = if a.lo <= b.lo { (a, b) } else { (b, a) };
    let missing: Vec<String> = [a, b]
        .iter()
        .filter(|f| f.period.is_none())
        .map(|f| format!("{} ({})", f.claim().text, file_name(&f.ic.article.path)))
        .collect();
    let why = if missing.is_empty() {
        "both are one article's, which gives two values for two things it leaves unsaid".to_string()
    } else {
        format!("no period is known for {}", missing.join(" or "))
    };
    format!(
        "{} ({}) vs {} ({}): nothing explains the difference, but {why} to call it a conflict.",
        a.claim().text,
        file_name(&a.ic.article.path),
        b.claim().text,
        file_name(&b.ic.article.path),
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
        article: c.article.clone(),
        line: c.line,
        sentence: c.sentence.clone(),
        citations: c.cited.clone(),
        cluster,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Status};
    use crate::reconcile::tests::{ic, only, run, with};

    #[test]
    fn predictions_by_different_sources_explain_and_by_one_source_conflict() {
        let forecast = |path: &str, v: f64, by: Option<&str>| {
            let text = format!("${:.2} billion", v / 1e9);
            let sentence = format!("The levy could hit {text}.");
            with(ic(path, "2026-01-01", &text, v, &sentence), |c| {
                c.period = Some("2027-01".into());
                c.measure.status = crate::model::Status::Forecast;
                c.measure.by = by.map(String::from);
            })
        };
        let two = only(&[
            forecast("a.txt", 5.21e9, Some("Fabrikam")),
            forecast("b.txt", 5.39e9, Some("Northwind")),
        ]);
        assert_eq!(two.verdict, Verdict::Explained, "{}", two.reason);
        assert!(
            two.reason.contains("predictions by different sources"),
            "{}",
            two.reason
        );
        let one = only(&[
            forecast("a.txt", 5.21e9, Some("Fabrikam")),
            forecast("b.txt", 5.39e9, Some("fabrikam")),
        ]);
        assert_eq!(one.verdict, Verdict::Conflict, "{}", one.reason);
    }

    /// Where articles date their figures to two periods, a figure dated only relative to a
    /// date no one gives ("next year") is kept apart from both.
    #[test]
    fn a_relative_time_stays_apart_from_a_dated_one() {
        let forecast = |path: &str, v: f64, period: &str| {
            let text = format!("${:.2} billion", v / 1e9);
            let sentence = format!("The levy could hit {text}.");
            with(ic(path, "2026-01-01", &text, v, &sentence), |c| {
                c.period = Some(period.into());
                c.metric = None;
                c.measure.head = Some("cost".into());
                c.measure.status = Status::Forecast;
            })
        };
        let mut undated = forecast("c.txt", 6.0e9, "next-year");
        undated.published = None;
        let report = run(&[
            forecast("a.txt", 5.21e9, "2027-01"),
            forecast("b.txt", 5.39e9, "2027-01"),
            forecast("a.txt", 6.62e9, "2027-04"),
            forecast("b.txt", 6.82e9, "2027-04"),
            undated,
        ]);
        let dated = report
            .iter()
            .find(|d| d.values.iter().any(|v| &*v.text == "$5.21 billion"));
        let dated = dated.unwrap_or_else(|| panic!("{report:#?}"));
        assert!(dated.values.iter().all(|v| &*v.text != "$6.00 billion"), "{dated:#?}");
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
        assert_eq!(only(&claims).verdict, Verdict::Unresolved);
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
    fn a_bound_explains_only_the_figures_it_admits() {
        let count = |path: &str, text: &str, v: f64, q: Qualifier| {
            with(ic(path, "2026-04-02", text, v, "The maker delivered cars."), |c| {
                c.qualifier = q;
                c.unit = "count".into();
                c.period = Some("2026-Q1".into());
            })
        };
        let more = count("a.txt", "386,000", 386e3, Qualifier::MoreThan);
        let under = count("c.txt", "390,000", 390e3, Qualifier::LessThan);
        let point = count("b.txt", "386,810", 386_810.0, Qualifier::Exact);
        let d = only(&[more.clone(), point, under]);
        assert_eq!(d.verdict, Verdict::Explained, "{}", d.reason);
        let low = count("b.txt", "370,000", 370e3, Qualifier::Exact);
        assert_eq!(only(&[more, low]).verdict, Verdict::Conflict);
    }

    #[test]
    fn a_basis_on_one_side_only_explains_nothing() {
        let margin = |path: &str, text: &str, v: f64, sentence: &str| {
            with(ic(path, "2025-11-20", text, v, sentence), |c| {
                c.unit = "%".into();
                c.kind = crate::model::Kind::Percent;
                c.metric = None;
                c.measure.head = Some("gross margin".into());
                c.period = Some("FY2026-Q3".into());
            })
        };
        let gaap = margin("a.txt", "73.4%", 73.4, "Its GAAP gross margin was 73.4%.");
        let adjusted = margin("b.txt", "73.6%", 73.6, "Its non-GAAP gross margin was 73.6%.");
        let d = only(&[gaap.clone(), adjusted.clone()]);
        assert_eq!(d.verdict, Verdict::Explained, "{}", d.reason);
        let plain = margin("c.txt", "71.8%", 71.8, "Its gross margin was 71.8%.");
        assert_eq!(only(&[gaap, adjusted, plain]).verdict, Verdict::Conflict);
    }

    #[test]
    fn an_article_never_contradicts_itself() {
        let price = |text: &str, v: f64| {
            with(
                ic(
                    "a.txt",
                    "2024-04-02",
                    text,
                    v,
                    "It trades at $162, above the low of $160.",
                ),
                |c| {
                    c.metric = None;
                    c.measure.head = Some("share price".into());
                    c.period = Some("2024-Q1".into());
                },
            )
        };
        let opts = Options {
            min_sources: 1,
            ..Options::default()
        };
        let r = crate::reconcile::reconcile(&[price("$162", 162.0), price("$160", 160.0)], &opts);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].verdict, Verdict::Unresolved, "{}", r[0].reason);
        assert!(r[0].reason.contains("one article's"), "{}", r[0].reason);
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

    /// Two figures of one measure: a conflict only when both are tied to the same period;
    /// unresolved when one has none; explained when the periods differ.
    #[test]
    fn no_conflict_without_a_period_on_both_sides() {
        let at = |path: &str, text: &str, v: f64, period: Option<&str>| {
            let s = format!("The carmaker delivered {text} vehicles in the quarter.");
            with(ic(path, "2026-04-02", text, v, &s), |c| {
                c.kind = crate::model::Kind::Count;
                c.unit = "count".into();
                c.subject = Some("Volvo".into());
                c.period = period.map(String::from);
                c.measure.head = Some("deliveries".into());
            })
        };
        let verdict = |a: Option<&str>, b: Option<&str>| {
            only(&[
                at("a.txt", "410,000", 410_000.0, a),
                at("b.txt", "380,000", 380_000.0, b),
            ])
            .verdict
        };
        assert_eq!(verdict(Some("2026-Q1"), Some("2026-Q1")), Verdict::Conflict);
        assert_eq!(verdict(Some("2026-Q1"), None), Verdict::Unresolved);
        assert_eq!(verdict(Some("2026-Q1"), Some("2025-Q1")), Verdict::Explained);
    }

    /// An estimate never meets the reported figure, and a segment never meets the total.
    #[test]
    fn statement_kind_and_scope_are_part_of_the_key() {
        let rev = |path: &str, v: f64, scope: &[&str], status: crate::model::Status| {
            let text = format!("${v:.1} billion");
            let s = format!("Revenue was {text} in the quarter.");
            with(ic(path, "2026-04-02", &text, v * 1e9, &s), |c| {
                c.subject = Some("Initech".into());
                c.metric = Some("revenue".into());
                c.period = Some("2026-Q1".into());
                c.measure.head = Some("revenue".into());
                c.measure.scope = scope.iter().map(|s| s.to_string()).collect();
                c.measure.status = status;
            })
        };
        use crate::model::Status::{Actual, Estimate};
        let claims = [
            rev("a.txt", 10.0, &[], Actual),
            rev("b.txt", 10.0, &[], Actual),
            rev("c.txt", 9.5, &[], Estimate),
            rev("d.txt", 8.0, &[], Estimate),
            rev("e.txt", 7.0, &["cloud"], Actual),
            rev("f.txt", 7.0, &["cloud"], Actual),
        ];
        let groups = crate::reconcile::tests::run(&claims);
        let mut metrics: Vec<(String, usize, Verdict)> = groups
            .iter()
            .map(|g| (g.metric.clone(), g.values.len(), g.verdict))
            .collect();
        metrics.sort();
        assert_eq!(
            metrics,
            [
                ("cloud revenue".to_string(), 2, Verdict::Consistent),
                ("revenue".to_string(), 2, Verdict::Consistent),
                ("revenue (expected)".to_string(), 2, Verdict::Conflict),
            ]
        );
    }

    /// Two figures of one value that share neither measure nor kind of statement are two
    /// facts; sharing either, one.
    #[test]
    fn one_value_of_two_statements_is_two_facts() {
        use crate::model::Status::{Actual, Estimate};
        let count = |path: &str, head: &str, status: crate::model::Status| {
            let s = format!("The firm reported 433,000 cars of {head}.");
            with(ic(path, "2026-04-02", "433,000", 433_000.0, &s), |c| {
                c.kind = crate::model::Kind::Count;
                c.unit = "count".into();
                c.subject = Some("Initech".into());
                c.metric = None;
                c.period = Some("2026-Q1".into());
                c.measure.head = Some(head.into());
                c.measure.status = status;
            })
        };
        let labels = |claims: &[crate::model::IndexedClaim]| {
            let mut m: Vec<String> = crate::reconcile::tests::run(claims)
                .iter()
                .map(|g| g.metric.clone())
                .collect();
            m.sort();
            m
        };
        let apart = [
            count("a.txt", "production", Actual),
            count("b.txt", "production", Actual),
            count("c.txt", "deliveries", Estimate),
            count("d.txt", "deliveries", Estimate),
            count("e.txt", "deliveries", Estimate),
        ];
        assert_eq!(labels(&apart), ["deliveries (expected)", "production"]);
        let together = [
            count("a.txt", "production", Actual),
            count("b.txt", "production", Actual),
            count("c.txt", "deliveries", Actual),
        ];
        assert_eq!(labels(&together), ["production"]);
    }

    /// Two heads that several outlets give one figure ("the bill", "the price cap") name one
    /// measure across the key: forecasts told under either meet, and a difference between
    /// them is judged.
    #[test]
    fn heads_outlets_give_one_figure_name_one_measure() {
        let cap = |path: &str, v: f64, head: &str, status: Status| {
            let text = format!("£{v:.0}");
            let s = format!("The {head} will be {text} in January.");
            with(ic(path, "2022-08-26", &text, v, &s), |c| {
                c.unit = "GBP".into();
                c.subject = Some("Ofgem".into());
                c.metric = None;
                c.measure.head = Some(head.into());
                c.measure.status = status;
            })
        };
        let claims = [
            cap("a.txt", 3549.0, "bill", Status::Actual),
            cap("b.txt", 3549.0, "bill", Status::Actual),
            cap("c.txt", 3549.0, "price cap", Status::Actual),
            cap("d.txt", 3549.0, "price cap", Status::Actual),
            cap("a.txt", 5210.0, "bill", Status::Forecast),
            cap("c.txt", 5387.0, "price cap", Status::Forecast),
        ];
        let report = run(&claims);
        let forecast: Vec<&Disagreement> = report.iter().filter(|d| d.metric.contains("expected")).collect();
        assert_eq!(forecast.len(), 1, "{report:#?}");
        assert_eq!(forecast[0].values.len(), 2);
        let mut without = claims.to_vec();
        without.retain(|c| c.path != "d.txt" && c.path != "b.txt");
        let apart = run(&without);
        let met = apart
            .iter()
            .any(|d| d.metric.contains("expected") && d.values.len() == 2);
        assert!(!met, "one article each is no kinship: {apart:#?}");
    }

    /// A figure said to be of the whole ("total revenue ... 25%") that agrees in value with
    /// a part's ("data-center revenue, up 25%") stays with the whole's other figures.
    #[test]
    fn the_whole_takes_no_scope_from_a_part_it_agrees_with() {
        let growth = |path: &str, v: f64, scope: &[&str]| {
            let text = format!("{v:.0}%");
            let s = format!("Revenue rose {text} from the previous quarter.");
            with(ic(path, "2025-11-20", &text, v, &s), |c| {
                c.unit = "%".into();
                c.metric = None;
                c.period = Some("2025-Q3".into());
                c.measure.head = Some("revenue".into());
                c.measure.change = Some(crate::model::Change::Sequential);
                c.measure.scope = scope.iter().map(|s| s.to_string()).collect();
            })
        };
        let r = run(&[
            growth("a.txt", 25.0, &["data center"]),
            growth("b.txt", 25.0, &["data center"]),
            growth("c.txt", 25.0, &["total"]),
            growth("d.txt", 22.0, &[]),
            growth("e.txt", 22.0, &[]),
        ]);
        let whole = r.iter().find(|d| !d.metric.contains("data center"));
        let whole = whole.unwrap_or_else(|| panic!("{r:#?}"));
        assert_eq!(whole.verdict, Verdict::Conflict, "{}", whole.reason);
        assert_eq!(whole.values.len(), 3);
    }

    /// Two values one article gives leave the rest of the group to be judged: a quote at an
    /// unstated time and one "as of 9:33 a.m." are explained by the time of trading.
    #[test]
    fn one_articles_two_values_do_not_stop_the_judging() {
        let price = |path: &str, text: &str, v: f64, s: &str| {
            with(ic(path, "2024-04-02", text, v, s), |c| {
                c.measure.head = Some("share price".into());
                c.metric = None;
                c.subject = Some("Contoso".into());
            })
        };
        let quote = "Contoso is now trading at $162, just above the March low of $160.";
        let g = only(&[
            price("a.txt", "$162", 162.0, quote),
            price("a.txt", "$160", 160.0, quote),
            price(
                "b.txt",
                "$165.54",
                165.54,
                "Contoso shares fell 5.5% to $165.54 as of 9:33 a.m. in New York.",
            ),
        ]);
        assert_eq!(g.verdict, Verdict::Explained, "{}", g.reason);
        assert!(g.reason.contains("different times of trading"), "{}", g.reason);
    }

    /// A scope word that one outlet of several adds ("the energy price cap") does not make
    /// its figure another fact.
    #[test]
    fn one_outlets_scope_word_does_not_split_a_fact() {
        let cap = |path: &str, v: f64, scope: &[&str]| {
            let text = format!("£{v:.0}");
            let s = format!("The cap stood at {text} in October 2021.");
            with(ic(path, "2022-08-26", &text, v, &s), |c| {
                c.unit = "GBP".into();
                c.subject = Some("Ofgem".into());
                c.metric = None;
                c.period = Some("2021-10".into());
                c.measure.head = Some("price cap".into());
                c.measure.scope = scope.iter().map(|s| s.to_string()).collect();
            })
        };
        let g = only(&[
            cap("a.txt", 1277.0, &["energy"]),
            cap("b.txt", 1277.0, &[]),
            cap("c.txt", 1271.0, &[]),
        ]);
        assert_eq!(
            (g.metric.as_str(), g.verdict),
            ("price cap", Verdict::Conflict),
            "{}",
            g.reason
        );
    }
}
