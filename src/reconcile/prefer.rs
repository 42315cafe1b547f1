//! Step 4, the preferred value: the cluster with the most weight ([`Weights`]). Each distinct
//! article counts once, by its best figure (qualifier, range, recency and whether its
//! sentence cites a source), and each distinct cited source behind the cluster adds to it;
//! the confidence is the cluster's share of the whole. The figure shown is the heaviest,
//! then the most precisely written.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Weights;
use super::evidence::{Fig, precision_digits};
use crate::model::Qualifier;
use crate::normalise::{self, Period};

/// The value the report prefers and how strongly.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Preferred {
    pub value: f64,
    pub value_max: Option<f64>,
    pub text: String,
    /// Distinct articles that support it.
    pub sources: usize,
    /// In [0, 1].
    pub confidence: f64,
}

/// The clusters in the report's order, the preferred one first and the rest by value, and
/// the value preferred with its support.
pub(super) fn prefer(clusters: &[Vec<Fig>], w: &Weights) -> (Vec<usize>, Preferred) {
    let scored = score_clusters(clusters, w);
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
    let confidence = (scored[best].score / (total + w.confidence_prior)).clamp(0.0, 1.0);
    let pick = &clusters[best][scored[best].representative];
    let preferred = Preferred {
        value: pick.claim().value,
        value_max: pick.claim().value_max,
        text: pick.claim().text.to_string(),
        sources: scored[best].articles,
        confidence: (confidence * 1000.0).round() / 1000.0,
    };
    (order, preferred)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use crate::reconcile::WEIGHTS;
    use crate::reconcile::tests::{ic, only, with};

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
}
