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
//!
//! One file per step: `key` (1; `story` links articles that tell one story and dates the
//! yearless months and quarters of undated ones), `evidence` (what is read about a figure: its span,
//! rounding, period and the words around it, which steps 2 to 4 weigh), `cluster` (2),
//! `verdict` (3, and the group's report entry), `prefer` (4). This file holds the report's
//! types, the options and the entry points, which key the claims and judge each key's group.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use crate::model::{Article, Document, IndexedClaim, Interner, Qualifier, SharedClaim, Source};
use crate::normalise::Aliases;

mod cluster;
mod evidence;
mod key;
mod memo;
mod passes;
mod prefer;
mod records;
mod report;
mod spill;
mod stages;
mod story;
mod verdict;

pub use passes::ClaimSort;
pub use report::{Judged, Report, in_report_order};
pub use stages::{CorpusMemo, Survey, attach, judge, key_part, notes};

pub use prefer::Preferred;
pub use verdict::{Verdict, file_name};

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

/// A cited source as the report shows it: the article's source entry.
pub type CitedSource = Source;

/// One figure in a disagreement, traced to its file, line, sentence and sources.
/// Its strings are shared with the claims read and with the other figures of the report;
/// its article (path, title, date, publisher, URL) with the article's other figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEntry {
    pub value: f64,
    pub value_max: Option<f64>,
    pub text: Arc<str>,
    pub qualifier: Qualifier,
    pub period: Option<Arc<str>>,
    pub article: Arc<Article>,
    pub line: usize,
    pub sentence: Arc<str>,
    pub citations: Arc<[CitedSource]>,
    /// Which cluster (0-based, the preferred one first) the figure belongs to.
    pub cluster: usize,
}

impl ValueEntry {
    /// The article's path as the report shows it.
    pub fn path(&self) -> &str {
        &self.article.path
    }
}

/// A value as the JSON report writes it: its article's fields among its own, in the
/// order of SPEC.md's example (`path` after `period`, the article's title, date,
/// publisher and URL after `citations`).
impl Serialize for ValueEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let a = &*self.article;
        let mut st = s.serialize_struct("ValueEntry", 14)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("value_max", &self.value_max)?;
        st.serialize_field("text", &*self.text)?;
        st.serialize_field("qualifier", &self.qualifier)?;
        st.serialize_field("period", &self.period.as_deref())?;
        st.serialize_field("path", &*a.path)?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("sentence", &*self.sentence)?;
        st.serialize_field("citations", &*self.citations)?;
        st.serialize_field("title", &a.title.as_deref())?;
        st.serialize_field("published", &a.published.as_deref())?;
        st.serialize_field("publisher", &a.publisher.as_deref())?;
        st.serialize_field("url", &a.url.as_deref())?;
        st.serialize_field("cluster", &self.cluster)?;
        st.end()
    }
}

/// A value as the JSON report wrote it, read back ([`ValueEntry`]'s fields and its
/// article's, flat).
#[derive(serde::Deserialize)]
struct ValueRecord {
    value: f64,
    value_max: Option<f64>,
    text: String,
    qualifier: Qualifier,
    period: Option<String>,
    path: String,
    line: usize,
    sentence: String,
    citations: Vec<CitedSource>,
    title: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    cluster: usize,
}

impl<'de> serde::Deserialize<'de> for ValueEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = ValueRecord::deserialize(d)?;
        let article = Article {
            path: r.path.into(),
            title: r.title.map(Arc::from),
            published: r.published.map(Arc::from),
            publisher: r.publisher.map(Arc::from),
            url: r.url.map(Arc::from),
        };
        Ok(ValueEntry {
            value: r.value,
            value_max: r.value_max,
            text: r.text.into(),
            qualifier: r.qualifier,
            period: r.period.map(Arc::from),
            article: Arc::new(article),
            line: r.line,
            sentence: r.sentence.into(),
            citations: r.citations.into(),
            cluster: r.cluster,
        })
    }
}

/// One key with two or more articles: a disagreement, or agreement worth reporting. Read
/// back from the JSON report by `claimdex report --from`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
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
                publisher: doc.publisher.clone(),
                url: doc.url.clone(),
                claim: claim.clone(),
                cited,
            });
        }
    }
    out
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

/// Builds the report's groups from claims (best sorted by path, as the index lists them), sorted:
/// conflicts, then explained, then consistent; inside each, the groups with more articles
/// first, then by key. Everything is held in memory ([`ClaimSort`] when it need not be).
pub fn reconcile_shared(claims: &[SharedClaim], opts: &Options) -> Vec<Disagreement> {
    // Claims in any other order are put in the index's first: the report does not depend
    // on the order they come in.
    let in_order = |a: &SharedClaim, b: &SharedClaim| records::by_path(a, b).is_le();
    let sorted: std::borrow::Cow<[SharedClaim]> = if claims.is_sorted_by(in_order) {
        claims.into()
    } else {
        let mut v = claims.to_vec();
        v.sort_by(records::by_path);
        v.into()
    };
    let claims = &*sorted;
    let mut memo = memo::Memo::default();
    for c in claims {
        memo.note_claim(c, &opts.aliases);
    }
    // Nothing is written to disk without a budget, so nothing can fail.
    let report = passes::reconcile_claims(passes::Claims::Held(claims), memo, opts, usize::MAX);
    report.map(Report::into_groups).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Kind};

    // Helpers every step's tests use.

    /// A claim as the extractor would give it.
    pub(super) fn ic(path: &str, published: &str, text: &str, value: f64, sentence: &str) -> IndexedClaim {
        IndexedClaim {
            path: path.into(),
            title: Some(format!("Article {path}")),
            published: Some(published.into()),
            publisher: None,
            url: None,
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
                measure: Default::default(),
                sentence: sentence.into(),
                citations: vec![],
            },
            cited: vec![],
        }
    }

    pub(super) fn with(mut c: IndexedClaim, f: impl FnOnce(&mut Claim)) -> IndexedClaim {
        f(&mut c.claim);
        c
    }

    pub(super) fn run(claims: &[IndexedClaim]) -> Vec<Disagreement> {
        reconcile(claims, &Options::default())
    }

    pub(super) fn only(claims: &[IndexedClaim]) -> Disagreement {
        let r = run(claims);
        assert_eq!(r.len(), 1, "{r:#?}");
        r.into_iter().next().unwrap_or_else(|| unreachable!())
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
            [Verdict::Unresolved, Verdict::Consistent]
        );
        let mut rev = claims.to_vec();
        rev.reverse();
        assert_eq!(run(&rev), r);
    }

    #[test]
    fn claims_from_documents_resolves_citations() {
        let claim = ic("a.txt", "2026-01-01", "$10 billion", 10e9, "s").claim;
        let doc = Document {
            path: "a.txt".into(),
            hash: "h".into(),
            encoding: None,
            url: None,
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
