//! The records every stage shares: a document, its claims, citations and sources.
//!
//! Field names are the JSON contract of `claimdex extract` (see SPEC.md); unknown
//! values are `None` and serialise as `null`, never missing.

use foldhash::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What a claim measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Money,
    Percent,
    Power,
    Energy,
    Count,
    Duration,
    Multiple,
}

impl Kind {
    /// Every kind, in the order of the enum.
    pub const ALL: [Kind; 7] = [
        Kind::Money,
        Kind::Percent,
        Kind::Power,
        Kind::Energy,
        Kind::Count,
        Kind::Duration,
        Kind::Multiple,
    ];

    /// The kind written `s` (as [`Kind::as_str`] writes it).
    pub fn named(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Money => "money",
            Kind::Percent => "percent",
            Kind::Power => "power",
            Kind::Energy => "energy",
            Kind::Count => "count",
            Kind::Duration => "duration",
            Kind::Multiple => "multiple",
        }
    }
}

/// How the text bounds the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    #[default]
    Exact,
    Approx,
    UpTo,
    AtLeast,
    MoreThan,
    LessThan,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::UpTo => "up_to",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::LessThan => "less_than",
        }
    }
}

/// The sign of a change ("up 28.8%", "declined 20%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// What kind of statement a figure is: reported, or someone's expectation of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reported as having happened.
    #[default]
    Actual,
    /// What analysts expected (a consensus, a poll, an estimate).
    Estimate,
    /// The company's own outlook for itself.
    Guidance,
    /// A third party's (or an unattributed) prediction.
    Forecast,
    /// A goal, plan or target.
    Target,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Actual => "actual",
            Status::Estimate => "estimate",
            Status::Guidance => "guidance",
            Status::Forecast => "forecast",
            Status::Target => "target",
        }
    }
}

/// Whether a figure is a change, and from what base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Against the same period a year before.
    Yoy,
    /// Against the period just before (quarter on quarter, month on month).
    Sequential,
    /// Against an earlier point, named ("since January") or not ("an increase of £80").
    Since,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Yoy => "yoy",
            Change::Sequential => "sequential",
            Change::Since => "since",
        }
    }
}

/// What a figure quantifies, read from the words around it: the key that lets figures
/// about the same thing meet across sources.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Measure {
    /// The quantity: `revenue`, `net income`, `earnings per share`, `price cap`, `deliveries`.
    pub head: Option<String>,
    /// Words that narrow the head: a segment, product, tariff, region, `non-gaap`.
    pub scope: Vec<String>,
    /// `None` for a level; the base for a change.
    pub change: Option<Change>,
    /// The denominator of a per-unit figure: `share`, `household`, `month`.
    pub per: Option<String>,
    pub status: Status,
    /// Who made the estimate or forecast, when named.
    pub by: Option<String>,
}

/// One numeric claim, with its place in the file and what it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub kind: Kind,
    pub text: String,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: String,
    pub qualifier: Qualifier,
    pub direction: Option<Direction>,
    pub period: Option<String>,
    pub subject: Option<String>,
    pub entities: Vec<String>,
    pub metric: Option<String>,
    pub noun: Option<String>,
    /// What the figure quantifies (additive to `metric`, the short display label).
    #[serde(default)]
    pub measure: Measure,
    /// Shared by the claims and citations of one sentence (no copy per figure).
    pub sentence: Arc<str>,
    pub citations: Vec<u32>,
}

/// A group of footnote markers attached to one sentence or clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub markers: Vec<u32>,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub sentence: Arc<str>,
    pub unresolved: Vec<u32>,
}

/// One entry of the article's numbered source list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    pub n: u32,
    pub title: String,
    pub date: Option<String>,
}

/// One article after the whole pipeline: the `extract` JSON Lines record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub path: String,
    pub hash: String,
    /// The encoding the file was decoded from (`windows-1252`, `utf-16le`); `None` for
    /// UTF-8.
    #[serde(default)]
    pub encoding: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    /// The article's canonical URL, where its page gives one.
    #[serde(default)]
    pub url: Option<String>,
    pub sources: Vec<Source>,
    pub citations: Vec<Citation>,
    pub claims: Vec<Claim>,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub body: Option<String>,
}

/// A claim as the index holds it: with its article's path and date and the sources it
/// cites, resolved. What the conflict report reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedClaim {
    pub path: String,
    pub title: Option<String>,
    pub published: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    /// The article's canonical URL, where its page gives one.
    #[serde(default)]
    pub url: Option<String>,
    pub claim: Claim,
    /// The article's sources that the claim's markers resolve to.
    pub cited: Vec<Source>,
}

/// An article as the conflict report reads it: one per article, shared by its claims.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Article {
    pub path: Arc<str>,
    pub title: Option<Arc<str>>,
    pub published: Option<Arc<str>>,
    pub publisher: Option<Arc<str>>,
    /// The page's canonical URL, where it gives one.
    pub url: Option<Arc<str>>,
}

/// `url` when it is an absolute http(s) address with a host and no spaces: the only kind
/// of article address claimdex keeps (`extract`'s `url`) or links to (the HTML report).
pub fn web_address(url: &str) -> Option<&str> {
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let host_at = if scheme.starts_with("https://") {
        8
    } else if scheme.starts_with("http://") {
        7
    } else {
        return None;
    };
    let host = &url[host_at..];
    (!host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace)).then_some(url)
}

/// What is known of an article besides its path, borrowed, for [`Interner::article`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleInfo<'a> {
    pub title: Option<&'a str>,
    pub published: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// A claim as the conflict report holds it: [`IndexedClaim`] with only the fields the
/// report uses, its article shared with the article's other claims and its strings shared
/// with every equal string read with it (names, units, metrics, sentences, cited sources
/// repeat across claims). A million of these is what `claimdex conflicts` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedClaim {
    pub article: Arc<Article>,
    pub kind: Kind,
    pub qualifier: Qualifier,
    pub direction: Option<Direction>,
    pub text: Arc<str>,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: Arc<str>,
    pub period: Option<Arc<str>>,
    pub subject: Option<Arc<str>>,
    pub entities: Arc<[Arc<str>]>,
    pub metric: Option<Arc<str>>,
    pub noun: Option<Arc<str>>,
    pub measure: Arc<Measure>,
    pub sentence: Arc<str>,
    /// The article's sources that the claim's markers resolve to.
    pub cited: Arc<[Source]>,
}

/// Hands out one shared copy of each distinct value asked for.
#[derive(Debug, Default)]
pub struct Interner {
    strs: HashSet<Arc<str>>,
    lists: HashSet<Arc<[Arc<str>]>>,
    sources: HashSet<Arc<[Source]>>,
    articles: HashSet<Arc<Article>>,
    measures: HashSet<Arc<Measure>>,
}

impl Interner {
    pub fn str(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strs.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.strs.insert(a.clone());
        a
    }

    pub fn opt(&mut self, s: Option<&str>) -> Option<Arc<str>> {
        s.map(|s| self.str(s))
    }

    /// The shared list of `items`, each shared too.
    pub fn list<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) -> Arc<[Arc<str>]> {
        let items: Vec<Arc<str>> = items.into_iter().map(|s| self.str(s)).collect();
        if let Some(a) = self.lists.get(items.as_slice()) {
            return a.clone();
        }
        let a: Arc<[Arc<str>]> = Arc::from(items);
        self.lists.insert(a.clone());
        a
    }

    pub fn measure(&mut self, m: Measure) -> Arc<Measure> {
        if let Some(a) = self.measures.get(&m) {
            return a.clone();
        }
        let a = Arc::new(m);
        self.measures.insert(a.clone());
        a
    }

    pub fn sources(&mut self, sources: &[Source]) -> Arc<[Source]> {
        if let Some(a) = self.sources.get(sources) {
            return a.clone();
        }
        let a: Arc<[Source]> = Arc::from(sources);
        self.sources.insert(a.clone());
        a
    }

    pub fn article(&mut self, path: &str, info: ArticleInfo<'_>) -> Arc<Article> {
        let article = Article {
            path: self.str(path),
            title: self.opt(info.title),
            published: self.opt(info.published),
            publisher: self.opt(info.publisher),
            url: self.opt(info.url),
        };
        if let Some(a) = self.articles.get(&article) {
            return a.clone();
        }
        let a = Arc::new(article);
        self.articles.insert(a.clone());
        a
    }

    /// `claim` of `ic`, shared.
    pub fn claim(&mut self, ic: &IndexedClaim) -> SharedClaim {
        let c = &ic.claim;
        SharedClaim {
            article: self.article(
                &ic.path,
                ArticleInfo {
                    title: ic.title.as_deref(),
                    published: ic.published.as_deref(),
                    publisher: ic.publisher.as_deref(),
                    url: ic.url.as_deref(),
                },
            ),
            kind: c.kind,
            qualifier: c.qualifier,
            direction: c.direction,
            text: self.str(&c.text),
            line: c.line,
            start: c.start,
            end: c.end,
            value: c.value,
            value_max: c.value_max,
            unit: self.str(&c.unit),
            period: self.opt(c.period.as_deref()),
            subject: self.opt(c.subject.as_deref()),
            entities: self.list(c.entities.iter().map(String::as_str)),
            metric: self.opt(c.metric.as_deref()),
            noun: self.opt(c.noun.as_deref()),
            measure: self.measure(c.measure.clone()),
            sentence: self.str(&c.sentence),
            cited: self.sources(&ic.cited),
        }
    }
}
