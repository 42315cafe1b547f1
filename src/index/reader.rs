//! Reading records back: every claim with its article and cited sources (what the
//! conflict report reads), every article, and the index's statistics.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::schema::{Fields, RECORD_CLAIM, RECORD_DOC, SCHEMA_VERSION};
use super::writer::CommitPayload;
use super::{ClaimIndex, damaged, open, tantivy_error};
use crate::error::Result;
use crate::model::{Claim, Direction, IndexedClaim, Kind, Qualifier, Source};

/// An article as the index holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRecord {
    pub path: String,
    pub hash: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub sources: Vec<Source>,
    pub claims: u64,
    pub citations: u64,
    pub unresolved: u64,
    pub warnings: u64,
    pub bytes: u64,
}

fn text(d: &TantivyDocument, field: Field) -> Option<String> {
    d.get_first(field).and_then(|v| v.as_str()).map(str::to_owned)
}

fn num(d: &TantivyDocument, field: Field) -> u64 {
    d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// A stored enum value (`money`, `up_to`) back to its type.
fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

fn record_addresses(ci: &ClaimIndex, searcher: &Searcher, record: &str) -> Result<Vec<DocAddress>> {
    let query = TermQuery::new(
        Term::from_field_text(ci.fields.record, record),
        IndexRecordOption::Basic,
    );
    let mut addrs: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)
        .map_err(|e| tantivy_error(&ci.dir, e))?
        .into_iter()
        .collect();
    addrs.sort();
    Ok(addrs)
}

fn stored(ci: &ClaimIndex, searcher: &Searcher, addr: DocAddress) -> Result<TantivyDocument> {
    searcher.doc(addr).map_err(|e| tantivy_error(&ci.dir, e))
}

/// Rebuilds a document record from its stored fields.
pub(crate) fn document_from(ci: &ClaimIndex, d: &TantivyDocument) -> Result<DocumentRecord> {
    let f = &ci.fields;
    let (Some(path), Some(hash)) = (text(d, f.path), text(d, f.hash)) else {
        return Err(damaged(&ci.dir, &"a document record has no path or hash"));
    };
    let sources = match text(d, f.sources) {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| damaged(&ci.dir, &format_args!("sources of {path} unreadable: {e}")))?,
        None => Vec::new(),
    };
    Ok(DocumentRecord {
        title: text(d, f.title),
        byline: text(d, f.byline),
        publisher: text(d, f.publisher),
        published: text(d, f.published),
        sources,
        claims: num(d, f.n_claims),
        citations: num(d, f.n_citations),
        unresolved: num(d, f.n_unresolved),
        warnings: num(d, f.n_warnings),
        bytes: num(d, f.bytes),
        path,
        hash,
    })
}

/// A claim record's claim, its path and the sources it cites.
pub(crate) fn claim_from(ci: &ClaimIndex, d: &TantivyDocument) -> Result<(String, Claim, Vec<Source>)> {
    let f: &Fields = &ci.fields;
    let bad = |what: &str| damaged(&ci.dir, &format_args!("a claim record has no valid {what}"));
    let path = text(d, f.path).ok_or_else(|| bad("path"))?;
    let kind: Kind = text(d, f.kind)
        .and_then(|s| parse_enum(&s))
        .ok_or_else(|| bad("kind"))?;
    let qualifier: Qualifier = text(d, f.qualifier)
        .and_then(|s| parse_enum(&s))
        .ok_or_else(|| bad("qualifier"))?;
    let direction: Option<Direction> = match text(d, f.direction) {
        Some(s) => Some(parse_enum(&s).ok_or_else(|| bad("direction"))?),
        None => None,
    };
    let value = d
        .get_first(f.value)
        .and_then(|v| v.as_f64())
        .ok_or_else(|| bad("value"))?;
    let cited: Vec<Source> = match text(d, f.cited) {
        Some(json) => serde_json::from_str(&json).map_err(|_| bad("cited sources"))?,
        None => Vec::new(),
    };
    let claim = Claim {
        kind,
        text: text(d, f.text).unwrap_or_default(),
        line: num(d, f.line) as usize,
        start: num(d, f.start) as usize,
        end: num(d, f.end) as usize,
        value,
        value_max: d.get_first(f.value_max).and_then(|v| v.as_f64()),
        unit: text(d, f.unit).unwrap_or_default(),
        qualifier,
        direction,
        period: text(d, f.period),
        subject: text(d, f.subject),
        entities: d
            .get_all(f.entities)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        metric: text(d, f.metric),
        noun: text(d, f.noun),
        sentence: text(d, f.sentence).unwrap_or_default(),
        citations: d
            .get_all(f.citations)
            .filter_map(|v| v.as_u64())
            .filter_map(|n| u32::try_from(n).ok())
            .collect(),
    };
    Ok((path, claim, cited))
}

/// Every article in the index at `dir`, sorted by path.
pub fn all_documents(dir: &Path) -> Result<Vec<DocumentRecord>> {
    let ci = open(dir)?;
    let searcher = ci.reader()?.searcher();
    documents_of(&ci, &searcher)
}

/// The articles as `searcher` sees them: one commit, the same one its caller reads claims
/// from (two readers opened one after the other may straddle an ingest's commit).
fn documents_of(ci: &ClaimIndex, searcher: &Searcher) -> Result<Vec<DocumentRecord>> {
    let mut docs = Vec::new();
    for addr in record_addresses(ci, searcher, RECORD_DOC)? {
        docs.push(document_from(ci, &stored(ci, searcher, addr)?)?);
    }
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(docs)
}

/// Calls `f` with every claim in the index at `dir`, with its article's path, title and
/// date and the sources it cites, in index order, one at a time: memory stays bounded
/// by the number of articles, not of claims.
pub fn each_claim(dir: &Path, mut f: impl FnMut(IndexedClaim) -> Result<()>) -> Result<()> {
    let ci = open(dir)?;
    let searcher = ci.reader()?.searcher();
    let docs: HashMap<String, DocumentRecord> = documents_of(&ci, &searcher)?
        .into_iter()
        .map(|d| (d.path.clone(), d))
        .collect();
    for addr in record_addresses(&ci, &searcher, RECORD_CLAIM)? {
        let (path, claim, cited) = claim_from(&ci, &stored(&ci, &searcher, addr)?)?;
        let doc = docs.get(&path);
        f(IndexedClaim {
            title: doc.and_then(|d| d.title.clone()),
            published: doc.and_then(|d| d.published.clone()),
            path,
            claim,
            cited,
        })?;
    }
    Ok(())
}

/// Every claim in the index at `dir` (see [`each_claim`]), sorted by path and position
/// in the file.
pub fn all_claims(dir: &Path) -> Result<Vec<IndexedClaim>> {
    claims_where(dir, |_| true)
}

/// The claims that can meet others across articles (subject and metric known), in the
/// order of [`all_claims`]: what the conflict report needs, without holding the rest.
pub fn keyed_claims(dir: &Path) -> Result<Vec<IndexedClaim>> {
    claims_where(dir, |c| c.claim.subject.is_some() && c.claim.metric.is_some())
}

fn claims_where(dir: &Path, keep: impl Fn(&IndexedClaim) -> bool) -> Result<Vec<IndexedClaim>> {
    let mut out = Vec::new();
    each_claim(dir, |c| {
        if keep(&c) {
            out.push(c);
        }
        Ok(())
    })?;
    out.sort_by(|a, b| {
        (&a.path, a.claim.start, a.claim.end, a.claim.kind).cmp(&(&b.path, b.claim.start, b.claim.end, b.claim.kind))
    });
    Ok(out)
}

/// What the index holds, for `claimdex stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub index: String,
    pub schema_version: u32,
    pub documents: u64,
    pub claims: u64,
    /// Claims by kind, then by unit.
    pub by_kind: BTreeMap<String, u64>,
    pub by_unit: BTreeMap<String, u64>,
    pub citations: u64,
    pub unresolved: u64,
    pub sources: u64,
    pub warnings: u64,
    /// Size of the articles when they were ingested.
    pub input_bytes: u64,
    /// Size of the index folder's files.
    pub index_bytes: u64,
    pub segments: usize,
    /// Totals recorded with the last commit.
    pub last_commit: Option<CommitPayload>,
}

/// Counts claim records per indexed value of a keyword field, over every segment.
fn claims_by(ci: &ClaimIndex, searcher: &Searcher, field: Field) -> Result<BTreeMap<String, u64>> {
    let err = |e| tantivy_error(&ci.dir, e);
    let mut values = std::collections::BTreeSet::new();
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(field).map_err(err)?;
        let mut stream = inverted.terms().stream().map_err(|e| damaged(&ci.dir, &e))?;
        while stream.advance() {
            values.insert(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    let claim = TermQuery::new(
        Term::from_field_text(ci.fields.record, RECORD_CLAIM),
        IndexRecordOption::Basic,
    );
    let mut out = BTreeMap::new();
    for v in values {
        let term = TermQuery::new(Term::from_field_text(field, &v), IndexRecordOption::Basic);
        let q = tantivy::query::BooleanQuery::intersection(vec![Box::new(claim.clone()), Box::new(term)]);
        let n = searcher.search(&q, &Count).map_err(err)?;
        if n > 0 {
            out.insert(v, n as u64);
        }
    }
    Ok(out)
}

/// Statistics of the index at `dir`.
pub fn stats(dir: &Path) -> Result<Stats> {
    let ci = open(dir)?;
    let searcher = ci.reader()?.searcher();
    let docs = documents_of(&ci, &searcher)?;
    let claim_q = TermQuery::new(
        Term::from_field_text(ci.fields.record, RECORD_CLAIM),
        IndexRecordOption::Basic,
    );
    let claims = searcher
        .search(&claim_q, &Count)
        .map_err(|e| tantivy_error(&ci.dir, e))? as u64;
    // Keyword terms are lower-cased: kinds are lower-case already, units are mapped back.
    let by_kind = claims_by(&ci, &searcher, ci.fields.kind)?;
    let by_unit = claims_by(&ci, &searcher, ci.fields.unit)?
        .into_iter()
        .map(|(u, n)| (canonical_unit(&u), n))
        .collect();
    let mut index_bytes = 0;
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if let Ok(m) = e.metadata()
                && m.is_file()
            {
                index_bytes += m.len();
            }
        }
    }
    Ok(Stats {
        index: dir.to_string_lossy().into_owned(),
        schema_version: SCHEMA_VERSION,
        documents: docs.len() as u64,
        claims,
        by_kind,
        by_unit,
        citations: docs.iter().map(|d| d.citations).sum(),
        unresolved: docs.iter().map(|d| d.unresolved).sum(),
        sources: docs.iter().map(|d| d.sources.len() as u64).sum(),
        warnings: docs.iter().map(|d| d.warnings).sum(),
        input_bytes: docs.iter().map(|d| d.bytes).sum(),
        index_bytes,
        segments: searcher.segment_readers().len(),
        last_commit: CommitPayload::of(&ci.index),
    })
}

/// The unit as SPEC spells it, from its lower-cased index term.
fn canonical_unit(lower: &str) -> String {
    match lower {
        "%" | "pp" | "count" | "year" | "x" => lower.to_owned(),
        "w" => "W".into(),
        "wh" => "Wh".into(),
        other => other.to_uppercase(),
    }
}
