//! The records every stage shares: a document, its claims, citations and sources.
//!
//! Field names are the JSON contract of `claimdex extract` (see SPEC.md); unknown
//! values are `None` and serialise as `null`, never missing.

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
    pub sentence: String,
    pub citations: Vec<u32>,
}

/// A group of footnote markers attached to one sentence or clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub markers: Vec<u32>,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    pub unresolved: Vec<u32>,
}

/// One entry of the article's numbered source list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub title: Option<String>,
    pub byline: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
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
    pub claim: Claim,
    /// The article's sources that the claim's markers resolve to.
    pub cited: Vec<Source>,
}
