//! A search over claim records: tantivy's query parser over the sentence and the
//! entity, subject and metric fields, with value and field filters, ranked by score.

use std::ops::{Bound, Range};
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Order, TantivyDocument, Term};

use super::reader::claim_from;
use super::schema::{RECORD_CLAIM, keyword_term};
use super::{ClaimIndex, open, tantivy_error};
use crate::error::{Error, Result};
use crate::model::{Claim, Kind, Source};

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// tantivy query syntax; empty or `*` matches every claim.
    pub query: String,
    pub limit: usize,
    pub kind: Option<String>,
    pub unit: Option<String>,
    /// Smallest value, base units: the claim's value (its low end for a range) is at least this.
    pub min: Option<f64>,
    /// Largest value, base units: the claim's value (its high end for a range) is at most this.
    pub max: Option<f64>,
    pub entity: Option<String>,
}

/// One claim found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub score: f32,
    pub path: String,
    pub claim: Claim,
    /// The sources the claim's markers resolve to.
    pub cited: Vec<Source>,
    /// Byte ranges of `claim.sentence` that matched the query, in order, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn keyword(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, &keyword_term(value)),
        IndexRecordOption::Basic,
    ))
}

/// The kinds `--kind` accepts.
const KINDS: [Kind; 7] = [
    Kind::Money,
    Kind::Percent,
    Kind::Power,
    Kind::Energy,
    Kind::Count,
    Kind::Duration,
    Kind::Multiple,
];

/// Deepest parenthesis nesting a query may have: tantivy's query parser recurses once per
/// level, and a few thousand levels overflow the stack (the process aborts).
const MAX_NESTING: usize = 100;

/// How deep the query's parentheses nest (outside quoted phrases).
fn nesting(q: &str) -> usize {
    let (mut depth, mut deepest, mut quoted, mut escaped) = (0usize, 0usize, false, false);
    for c in q.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The query as an error message shows it: at most 200 characters, with control
/// characters escaped so none reaches a terminal raw.
fn shown(q: &str) -> String {
    format!("`{}`", printable(q, 200))
}

fn shown_err(e: &dyn std::fmt::Display) -> String {
    printable(&e.to_string(), 300)
}

fn printable(text: &str, max: usize) -> String {
    let mut s = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            s.push_str("...");
            break;
        }
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
    s
}

/// Checks the request and builds the query: the user's query (scored) and the filters.
fn build(ci: &ClaimIndex, req: &Request) -> Result<(Box<dyn Query>, Box<dyn Query>)> {
    let f = &ci.fields;
    if req.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    if let (Some(min), Some(max)) = (req.min, req.max)
        && min > max
    {
        return Err(Error::Usage(format!("--min {min} is larger than --max {max}")));
    }
    for v in [req.min, req.max].into_iter().flatten() {
        if !v.is_finite() {
            return Err(Error::Usage(format!("{v} is not a finite number")));
        }
    }
    let q = req.query.trim();
    let user: Box<dyn Query> = if q.is_empty() || q == "*" {
        Box::new(AllQuery)
    } else {
        if nesting(q) > MAX_NESTING {
            return Err(Error::Usage(format!(
                "cannot read the query {}: parentheses nest more than {MAX_NESTING} deep",
                shown(q)
            )));
        }
        let mut parser = QueryParser::for_index(&ci.index, vec![f.sentence, f.entities, f.subject, f.metric]);
        parser.set_conjunction_by_default();
        parser
            .parse_query(q)
            .map_err(|e| Error::Usage(format!("cannot read the query {}: {}", shown(q), shown_err(&e))))?
    };
    let mut clauses = vec![
        (Occur::Must, user.box_clone()),
        filter(Box::new(TermQuery::new(
            Term::from_field_text(f.record, RECORD_CLAIM),
            IndexRecordOption::Basic,
        ))),
    ];
    if let Some(kind) = &req.kind {
        let k = kind.to_lowercase();
        if !KINDS.iter().any(|x| x.as_str() == k) {
            let names: Vec<&str> = KINDS.iter().map(|x| x.as_str()).collect();
            return Err(Error::Usage(format!(
                "unknown --kind `{kind}` (one of {})",
                names.join(", ")
            )));
        }
        clauses.push(filter(keyword(f.kind, &k)));
    }
    if let Some(unit) = &req.unit {
        clauses.push(filter(keyword(f.unit, unit)));
    }
    if let Some(entity) = &req.entity {
        clauses.push(filter(keyword(f.entities, entity)));
    }
    if let Some(min) = req.min {
        clauses.push(filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_f64(f.value, min)),
            Bound::Unbounded,
        ))));
    }
    if let Some(max) = req.max {
        clauses.push(filter(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(Term::from_field_f64(f.value_hi, max)),
        ))));
    }
    Ok((user, Box::new(BooleanQuery::new(clauses))))
}

/// Runs `req` on the index at `dir`: at most `req.limit` hits, best first; ties in
/// score are ordered by path, then position in the file, so the order never depends
/// on how the index is laid out in segments.
pub fn search(dir: &Path, req: &Request) -> Result<Vec<Hit>> {
    let ci = open(dir)?;
    let (user, query) = build(&ci, req)?;
    let searcher = ci.reader()?.searcher();
    let err = |e| tantivy_error(&ci.dir, e);
    // tantivy sizes its buffer by the limit: never ask for more than the index holds.
    let limit = req.limit.min(searcher.num_docs() as usize).max(1);
    let collector = TopDocs::with_limit(limit).order_by((
        (SortBySimilarityScore, Order::Desc),
        (SortByString::for_field("path"), Order::Asc),
        (SortByStaticFastValue::<u64>::for_field("start"), Order::Asc),
    ));
    let top = searcher.search(&query, &collector).map_err(err)?;
    let mut snippets = SnippetGenerator::create(&searcher, &*user, ci.fields.sentence).map_err(err)?;
    snippets.set_max_num_chars(usize::MAX / 2);
    let mut hits = Vec::with_capacity(top.len());
    for ((score, _, _), addr) in top {
        let d: TantivyDocument = searcher.doc(addr).map_err(err)?;
        let (path, claim, cited) = claim_from(&ci, &d)?;
        let snippet = snippets.snippet(&claim.sentence);
        let base = snippet.fragment_range().start;
        let highlights = snippet
            .highlighted()
            .iter()
            .map(|r| r.start + base..r.end + base)
            .filter(|r| claim.sentence.is_char_boundary(r.start) && claim.sentence.is_char_boundary(r.end))
            .collect();
        hits.push(Hit {
            score,
            path,
            claim,
            cited,
            highlights,
        });
    }
    Ok(hits)
}
