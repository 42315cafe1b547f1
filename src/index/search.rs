//! A search over claim records: tantivy's query parser over the sentence and the
//! entity, subject and metric fields, with value and field filters, ranked by score.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;
use std::path::Path;

use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::Bm25Weight;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring, Occur, PhraseQuery, Query,
    QueryParser, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED, TantivyDocument, Term,
};

use super::bounds::{BoundColumns, Bounds, CountWithin};
use super::reader::claim_from;
use super::schema::{PLAIN_STATEMENT, RECORD_CLAIM, STATEMENT_VOCABULARY, keyword_term};
use super::{ClaimIndex, open, read_error};
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

/// Deepest parenthesis nesting a query may have: tantivy's query parser recurses once per
/// level, and a few thousand levels overflow the stack (the process aborts).
const MAX_NESTING: usize = 100;
/// Longest query read: tantivy's parser takes time that grows faster than the query (20,000
/// `NOT`s took 53 s before their usage error); a person's query is a few words.
const MAX_QUERY_WORDS: usize = 4_000;
const MAX_QUERY_BYTES: usize = 16 << 10;

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

/// The fields a query may name, as `field:value`.
pub const QUERY_FIELDS: &[&str] = &[
    "sentence",
    "subject",
    "entities",
    "metric",
    "measure",
    "scope",
    "status",
    "kind",
    "unit",
    "period",
    "qualifier",
    "direction",
];

/// What is wrong with a query, in words that help mend it: an unknown field lists the
/// fields there are.
fn query_problem(q: &str, e: &tantivy::query::QueryParserError) -> String {
    match e {
        tantivy::query::QueryParserError::FieldDoesNotExist(name) => format!(
            "there is no field `{}` (fields: {})",
            printable(name, 60),
            QUERY_FIELDS.join(", ")
        ),
        tantivy::query::QueryParserError::SyntaxError(_) => match syntax_position(q) {
            Some((column, what)) => format!("column {column}: {what}"),
            None => shown_err(e),
        },
        other => shown_err(other),
    }
}

/// Where a query that does not parse goes wrong, as a 1-based column and what is wrong
/// there: a quote or bracket left open, a bracket that closes nothing, an operator with
/// nothing after it. None when it is none of these.
fn syntax_position(q: &str) -> Option<(usize, String)> {
    let column = |byte: usize| q[..byte].chars().count() + 1;
    let quotes: Vec<usize> = q.match_indices('"').map(|(i, _)| i).collect();
    if quotes.len() % 2 == 1 {
        return Some((column(*quotes.last()?), "a `\"` is not closed".into()));
    }
    let mut open = Vec::new();
    let mut quoted = false;
    for (i, c) in q.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => open.push(i),
            ')' if !quoted && open.pop().is_none() => return Some((column(i), "a `)` closes nothing".into())),
            _ => {}
        }
    }
    if let Some(&i) = open.last() {
        return Some((column(i), "a `(` is not closed".into()));
    }
    let last = q
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .filter(|w| !w.is_empty())?;
    let dangling = matches!(last, "AND" | "OR" | "NOT" | "+" | "-") || last.ends_with(':');
    let at = q.trim_end().len() - last.len();
    dangling.then(|| (column(at), format!("nothing follows `{}`", printable(last, 40))))
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
    check_bounds(req)?;
    let q = req.query.trim();
    let user: Box<dyn Query> = if q.is_empty() || q == "*" {
        Box::new(AllQuery)
    } else {
        check_query_size(q)?;
        parse_user_query(ci, q)?
    };
    // Claim records only: the ranking skips the others (see [`Ranking`]), which costs far
    // less than intersecting every match with the claim records' posting list.
    let filters = field_filters(ci, req)?;
    // `--min` and `--max` are checked by the ranking too, on the matches that would rank.
    let query = beside_filters(&*user, filters);
    Ok((user, query))
}

/// "--limit must be at least 1": a usage error for a limit of 0, a `--min` larger than
/// `--max`, or a bound that is not a finite number.
fn check_bounds(req: &Request) -> Result<()> {
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
    Ok(())
}

/// A usage error for a query too long ([`MAX_QUERY_WORDS`], [`MAX_QUERY_BYTES`]) or too
/// deeply nested ([`MAX_NESTING`]) to read.
fn check_query_size(q: &str) -> Result<()> {
    if q.len() > MAX_QUERY_BYTES || q.split_whitespace().count() > MAX_QUERY_WORDS {
        return Err(Error::Usage(format!(
            "cannot read the query {}: longer than {MAX_QUERY_WORDS} words or {MAX_QUERY_BYTES} bytes",
            shown(q)
        )));
    }
    if nesting(q) > MAX_NESTING {
        return Err(Error::Usage(format!(
            "cannot read the query {}: parentheses nest more than {MAX_NESTING} deep",
            shown(q)
        )));
    }
    Ok(())
}

/// The user's query read by tantivy's parser over the default fields (bare words as
/// [`words_query`] reads them); a usage error saying what is wrong when it does not parse.
fn parse_user_query(ci: &ClaimIndex, q: &str) -> Result<Box<dyn Query>> {
    let f = &ci.fields;
    // Four postings a word: the sentence, the names (subject, entities) and what the
    // claim is about (head, scope, kind of statement), which weigh more.
    let fields = vec![f.sentence, f.entities, f.subject, f.about, f.said];
    let mut parser = QueryParser::for_index(&ci.index, fields);
    for (field, boost) in [
        (f.subject, 2.0),
        (f.entities, 1.5),
        (f.about, 3.0),
        (f.said, SAID_BOOST),
    ] {
        parser.set_field_boost(field, boost);
    }
    match bare_words(q).and_then(|w| words_query(&parser, &w, plain_statement(f.said, &w))) {
        Some(words) => Ok(words),
        None => parser
            .parse_query(q)
            .map_err(|e| Error::Usage(format!("cannot read the query {}: {}", shown(q), query_problem(q, &e)))),
    }
}

/// The filters of `--kind`, `--unit` and `--entity`, each a must-match clause that scores
/// nothing; a usage error for a kind there is not.
fn field_filters(ci: &ClaimIndex, req: &Request) -> Result<Vec<(Occur, Box<dyn Query>)>> {
    let f = &ci.fields;
    let mut filters = Vec::new();
    if let Some(kind) = &req.kind {
        let k = kind.to_lowercase();
        if Kind::named(&k).is_none() {
            let names: Vec<&str> = Kind::ALL.iter().map(|x| x.as_str()).collect();
            return Err(Error::Usage(format!(
                "unknown --kind `{kind}` (one of {})",
                names.join(", ")
            )));
        }
        filters.push(filter(keyword(f.kind, &k)));
    }
    if let Some(unit) = &req.unit {
        filters.push(filter(keyword(f.unit, unit)));
    }
    if let Some(entity) = &req.entity {
        filters.push(filter(keyword(f.entities, entity)));
    }
    Ok(filters)
}

/// The user's query and the filters as one query, scored as the user's query alone.
fn beside_filters(user: &dyn Query, mut filters: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if user.is::<AllQuery>() {
        // `*` scores 0 everywhere (as it did beside the claim-record filter): the filters
        // alone say which records match.
        if filters.is_empty() {
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))
        } else {
            Box::new(BooleanQuery::new(filters))
        }
    } else if plain(user) {
        if filters.is_empty() {
            user.box_clone()
        } else {
            filters.insert(0, (Occur::Must, user.box_clone()));
            Box::new(BooleanQuery::new(filters))
        }
    } else {
        // A query that may match everything (`*`) scores 0 when it stands beside a filter
        // (tantivy drops a match-all scorer from an intersection, score and all): an
        // all-matching filter keeps it so, as the claim-record filter always did.
        filters.insert(0, (Occur::Must, user.box_clone()));
        filters.insert(1, filter(Box::new(AllQuery)));
        Box::new(BooleanQuery::new(filters))
    }
}

/// How much a word the statement goes by ("expected", "growth") weighs against the same
/// word in the sentence.
const SAID_BOOST: f32 = 4.0;

/// The words of a query of bare words ("Ofgem prepayment price cap"): no field, quote,
/// operator, sign or bracket.
fn bare_words(q: &str) -> Option<Vec<&str>> {
    let plain = |w: &str| {
        !matches!(w, "AND" | "OR" | "NOT")
            && !w.starts_with(['-', '+'])
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '%' | '$' | '\'' | '\u{2019}'))
    };
    let words: Vec<&str> = q.split_whitespace().collect();
    (words.len() >= 2 && words.iter().all(|w| plain(w))).then_some(words)
}

/// Bare words as people type them: each word counts by the field it matches best (a word
/// in both the subject and the sentence counts once, plus a tenth of the rest), every word
/// is optional, and a claim that holds every word scores again, so that claims matching
/// more of the words come first ("prepayment" decides among the claims about the cap).
fn words_query(parser: &QueryParser, words: &[&str], plain: Option<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    let mut per_word: Vec<Box<dyn Query>> = Vec::new();
    for w in words {
        let parsed = parser.parse_query(w).ok()?;
        let fields: Vec<Box<dyn Query>> = match parsed.downcast_ref::<BooleanQuery>() {
            Some(b) => b.clauses().iter().map(|(_, q)| q.box_clone()).collect(),
            None => vec![parsed],
        };
        if !fields.is_empty() {
            per_word.push(Box::new(DisjunctionMaxQuery::with_tie_breaker(fields, 0.1)));
        }
    }
    if per_word.len() < 2 {
        return None;
    }
    let all = BooleanQuery::new(per_word.iter().map(|q| (Occur::Must, q.box_clone())).collect());
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = per_word.into_iter().map(|q| (Occur::Should, q)).collect();
    clauses.push((Occur::Should, Box::new(all)));
    let words = Box::new(BooleanQuery::new(clauses));
    Some(match plain {
        // Only a claim that matches some word gets the plain statement's score on top.
        Some(plain) => Box::new(BooleanQuery::new(vec![(Occur::Must, words), (Occur::Should, plain)])),
        None => words,
    })
}

/// What a claim stated plainly scores on top when `words` name no kind of statement
/// (no change, estimate or outlook): someone who types "Tesla deliveries" wants the
/// deliveries, before their growth and the analysts' expectations.
const PLAIN_BOOST: f32 = 8.0;

/// The clause that prefers plain statements, when `words` name no kind of statement.
fn plain_statement(said: Field, words: &[&str]) -> Option<Box<dyn Query>> {
    let names_one = words.iter().any(|w| {
        let w = w.to_lowercase();
        let one = w.strip_suffix('s').unwrap_or(&w);
        STATEMENT_VOCABULARY.iter().any(|v| *v == w || *v == one)
    });
    let term = TermQuery::new(Term::from_field_text(said, PLAIN_STATEMENT), IndexRecordOption::Basic);
    (!names_one).then(|| Box::new(ConstScoreQuery::new(Box::new(term), PLAIN_BOOST)) as Box<dyn Query>)
}

/// Whether `q` is made of terms and phrases only, so that its scorer is never tantivy's
/// match-all scorer (whose score an intersection drops) and it can run on its own.
fn plain(q: &dyn Query) -> bool {
    if let Some(b) = q.downcast_ref::<BooleanQuery>() {
        b.clauses().iter().all(|(_, c)| plain(&**c))
    } else {
        // Constant scores are only built around a term, by `words_query`.
        q.is::<TermQuery>() || q.is::<PhraseQuery>() || q.is::<DisjunctionMaxQuery>() || q.is::<ConstScoreQuery>()
    }
}

/// Runs `req` on the index at `dir`: at most `req.limit` hits, best first; ties in
/// score are ordered by path, then position in the file, so the order never depends
/// on how the index is laid out in segments.
pub fn search(dir: &Path, req: &Request) -> Result<Vec<Hit>> {
    Searching::open(dir)?.search(req)
}

/// How many claims match `req` (its query and bounds), however many `req.limit` shows:
/// what a list cut short says it left out.
pub fn count(dir: &Path, req: &Request) -> Result<usize> {
    Searching::open(dir)?.count(req)
}

/// An index open for searching, kept open across queries (a program that answers many,
/// the benchmark): each query then costs its own work only, not opening the index and
/// its reader. It sees the index as it was when opened.
pub struct Searching {
    ci: ClaimIndex,
    searcher: Searcher,
}

impl Searching {
    pub fn open(dir: &Path) -> Result<Self> {
        super::guarded(dir, || {
            let ci = open(dir)?;
            let searcher = ci.reader()?.searcher();
            Ok(Searching { ci, searcher })
        })
    }

    /// [`search`] on this index.
    pub fn search(&self, req: &Request) -> Result<Vec<Hit>> {
        self.search_with(req, idle_cores().min(MAX_THREADS), MIN_DOCS_PER_THREAD)
    }

    /// [`count`] on this index.
    pub fn count(&self, req: &Request) -> Result<usize> {
        super::guarded(&self.ci.dir, || {
            let (_, query) = build(&self.ci, req)?;
            let claims = TermQuery::new(
                Term::from_field_text(self.ci.fields.record, RECORD_CLAIM),
                IndexRecordOption::Basic,
            );
            let q = BooleanQuery::intersection(vec![query, Box::new(claims)]);
            let n = self.searcher.search(&q, &CountWithin(Bounds::new(req.min, req.max)));
            n.map_err(|e| query_error(&self.ci.dir, &req.query, e))
        })
    }

    /// [`search`] on at most `threads` threads, each with at least `min_docs_per_thread`
    /// records.
    pub(crate) fn search_with(&self, req: &Request, threads: usize, min_docs_per_thread: u32) -> Result<Vec<Hit>> {
        super::guarded(&self.ci.dir, || {
            search_on(&self.ci, &self.searcher, req, threads, min_docs_per_thread)
        })
    }
}

/// Cores no other task is running on right now, at least 1: on a busy machine another
/// search thread mostly waits for a core, and the search waits for it. Linux says how many
/// tasks are running (this one included) in `/proc/loadavg`; elsewhere every core counts.
fn idle_cores() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let others = std::fs::read_to_string("/proc/loadavg").ok().and_then(|s| {
        let running = s.split_whitespace().nth(3)?.split_once('/')?.0;
        running.parse::<usize>().ok()
    });
    cores.saturating_sub(others.map_or(0, |n| n.saturating_sub(1))).max(1)
}

/// An error running the user's query: one the query asked for (`subject:*` on a field
/// that cannot answer it) is a usage error; anything else is the index's.
fn query_error(dir: &Path, query: &str, e: tantivy::TantivyError) -> Error {
    match e {
        tantivy::TantivyError::SchemaError(m) | tantivy::TantivyError::InvalidArgument(m) => {
            Error::Usage(format!("cannot run the query {}: {}", shown(query), shown_err(&m)))
        }
        other => read_error(dir, other),
    }
}

/// The best hits of `req` in `searcher`'s view of `ci` ([`Searching::search_with`]).
fn search_on(
    ci: &ClaimIndex,
    searcher: &Searcher,
    req: &Request,
    threads: usize,
    min_docs_per_thread: u32,
) -> Result<Vec<Hit>> {
    let (user, query) = build(ci, req)?;
    let err = |e| query_error(&ci.dir, &req.query, e);
    let ranking = Ranking {
        limit: req.limit,
        record: Term::from_field_text(ci.fields.record, RECORD_CLAIM),
        bounds: Bounds::new(req.min, req.max),
        phrase: Phrase::of(&*query, searcher).map_err(err)?,
    };
    let top = ranking
        .run(searcher, &*query, threads, min_docs_per_thread)
        .map_err(err)?;
    let mut snippets = SnippetGenerator::create(searcher, &*user, ci.fields.sentence).map_err(err)?;
    snippets.set_max_num_chars(usize::MAX / 2);
    let addrs: Vec<DocAddress> = top.iter().map(|r| r.addr).collect();
    let docs = fetch(searcher, &addrs, threads).map_err(err)?;
    let mut hits = Vec::with_capacity(top.len());
    for (Ranked { score, .. }, d) in top.into_iter().zip(docs) {
        let (path, claim, cited) = claim_from(ci, &d)?;
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

/// The stored records at `addrs`, in order, read on up to `threads` threads: each hit
/// mostly lies in a block of its own, and decompressing the blocks is most of the time a
/// search spends after ranking.
fn fetch(searcher: &Searcher, addrs: &[DocAddress], threads: usize) -> tantivy::Result<Vec<TantivyDocument>> {
    let read = |part: &[DocAddress]| -> tantivy::Result<Vec<TantivyDocument>> {
        part.iter().map(|a| searcher.doc(*a)).collect()
    };
    // A thread is worth its start only for a few blocks.
    let per = addrs.len().div_ceil(threads.max(1)).max(4);
    let parts: Vec<&[DocAddress]> = addrs.chunks(per).collect();
    let mut docs = Vec::with_capacity(addrs.len());
    for part in each_on_threads(&parts, |part| read(part)) {
        docs.extend(part?);
    }
    Ok(docs)
}

/// `f` of each part, in order: the first on this thread, each other on a thread of its own.
fn each_on_threads<P: Sync, R: Send>(parts: &[P], f: impl Fn(&P) -> R + Sync) -> Vec<R> {
    let Some((first, rest)) = parts.split_first() else {
        return Vec::new();
    };
    if rest.is_empty() {
        return vec![f(first)];
    }
    std::thread::scope(|s| {
        let others: Vec<_> = rest.iter().map(|part| s.spawn(|| f(part))).collect();
        let mut out = vec![f(first)];
        for handle in others {
            out.push(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        out
    })
}

/// A match in the ranking: its score, the path of its article and its position in the
/// file (the path as a term ordinal of its segment, then as text across segments).
#[derive(Debug)]
struct Ranked<P> {
    score: Score,
    path: Option<P>,
    start: Option<u64>,
    addr: DocAddress,
}

/// `a` before `b` when it has a value and `b` has none.
fn none_last<T: Ord>(a: &Option<T>, b: &Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

impl<P: Ord> Ranked<P> {
    /// The ranking order, best first: higher score, then smaller path, then smaller start
    /// (a missing one last), then index order.
    fn rank(&self, other: &Self) -> Ordering {
        other
            .score
            .partial_cmp(&self.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| none_last(&self.path, &other.path))
            .then_with(|| none_last(&self.start, &other.start))
            .then_with(|| self.addr.cmp(&other.addr))
    }
}

impl<P: Ord> PartialEq for Ranked<P> {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl<P: Ord> Eq for Ranked<P> {}
impl<P: Ord> PartialOrd for Ranked<P> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
/// Greater is worse: a max-heap of [`Ranked`] keeps the worst of the best on top.
impl<P: Ord> Ord for Ranked<P> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

/// Threads a search uses at most (fewer when the index is small: [`MIN_DOCS_PER_THREAD`]).
const MAX_THREADS: usize = 4;
/// Records in the index per thread searching it: below this, another thread costs more to
/// start than it saves.
const MIN_DOCS_PER_THREAD: u32 = 100_000;

/// The ranking: the best `limit` claim records that match, by [`Ranked::rank`], whose value
/// is at least `min` and whose high end is at most `max` (both as tantivy orders values, so
/// exactly what a range query on those fields matches).
///
/// The records are cut into runs of about equal length (a segment may be cut in two), each
/// thread ranks its runs with scorers of its own, and the runs' best are merged. In a run,
/// a match scoring below the worst of the best kept so far (or of the thread's earlier runs)
/// is dropped before anything else about it is read, and so is one that ties with it in
/// score and comes later by path; the others are checked to be claim records (document
/// records never rank) and to be within `min`/`max`, and get their path ordinal and start
/// from the fast fields. A run's best get their paths as text in one pass over the path
/// dictionary.
struct Ranking {
    limit: usize,
    /// The term every claim record has.
    record: Term,
    /// `--min` and `--max`.
    bounds: Bounds,
    /// When the query is one exact phrase: what bounds its score before its positions are read.
    phrase: Option<Phrase>,
}

/// An exact phrase (no slop) that is the whole query, alone or beside terms of keyword
/// fields (the query parser looks for the words in every default field). Its matches are
/// found among the records holding all its words, and each such record's score is bounded
/// by the phrase's BM25 weight at the record's field length and its rarest word's count (the
/// phrase occurs no more often than that): a candidate whose bound cannot rank is turned away
/// before its positions are read. In a segment where one of the other terms occurs, the
/// query runs as any other.
struct Phrase {
    field: Field,
    words: Vec<Term>,
    /// The terms beside the phrase.
    others: Vec<Term>,
    bm25: Bm25Weight,
}

/// Records holding every word of a [`Phrase`], in a segment.
struct Candidates<'p> {
    phrase: &'p Phrase,
    words: Vec<SegmentPostings>,
    norms: FieldNormReader,
    doc: DocId,
}

impl Phrase {
    /// The phrase `query` is, if it is one as [`Phrase`] says.
    fn of(query: &dyn Query, searcher: &Searcher) -> tantivy::Result<Option<Phrase>> {
        let (phrase, others): (&dyn Query, Vec<&dyn Query>) = match query.downcast_ref::<BooleanQuery>() {
            Some(b) => {
                let mut phrases = b.clauses().iter().filter(|(_, q)| q.is::<PhraseQuery>());
                let (Some((_, phrase)), None) = (phrases.next(), phrases.next()) else {
                    return Ok(None);
                };
                if b.clauses().iter().any(|(o, _)| *o != Occur::Should) {
                    return Ok(None);
                }
                let others = b.clauses().iter().map(|(_, q)| &**q).filter(|q| !q.is::<PhraseQuery>());
                (&**phrase, others.collect())
            }
            None => (query, Vec::new()),
        };
        let Some(p) = phrase.downcast_ref::<PhraseQuery>() else {
            return Ok(None);
        };
        // tantivy tells a phrase's slop only in its debug form.
        if !format!("{p:?}").contains("slop: 0") {
            return Ok(None);
        }
        let mut terms = Vec::new();
        for q in others {
            let Some(t) = q.downcast_ref::<TermQuery>() else {
                return Ok(None);
            };
            terms.push(t.term().clone());
        }
        let words = p.phrase_terms();
        Ok(Some(Phrase {
            field: p.field(),
            bm25: Bm25Weight::for_terms(searcher, &words)?,
            words,
            others: terms,
        }))
    }

    /// The records of `reader` holding every word, from `start` on; `None` when one of the
    /// other terms occurs in the segment (the phrase is not the whole query there).
    fn candidates(&self, reader: &SegmentReader, start: DocId) -> tantivy::Result<Option<Candidates<'_>>> {
        for t in &self.others {
            if reader.inverted_index(t.field())?.get_term_info(t)?.is_some() {
                return Ok(None);
            }
        }
        let index = reader.inverted_index(self.field)?;
        let mut words = Vec::new();
        for w in &self.words {
            match index.read_postings(w, IndexRecordOption::WithFreqs)? {
                Some(p) => words.push(p),
                // A word missing: no match, which the query's own scorer finds at once.
                None => return Ok(None),
            }
        }
        // The rarest word leads.
        words.sort_by_key(|p| p.doc_freq());
        let mut c = Candidates {
            phrase: self,
            words,
            norms: reader.get_fieldnorms_reader(self.field)?,
            doc: start,
        };
        c.doc = c.align(start, TERMINATED);
        Ok(Some(c))
    }
}

impl Candidates<'_> {
    /// The first record at or after `target` that holds every word (at or after `end`:
    /// any record there).
    fn align(&mut self, mut target: DocId, end: DocId) -> DocId {
        loop {
            let mut agreed = true;
            for w in &mut self.words {
                if target >= end || target == TERMINATED {
                    return target;
                }
                if w.doc() < target {
                    w.seek(target);
                }
                if w.doc() > target {
                    target = w.doc();
                    agreed = false;
                }
            }
            if agreed {
                return target;
            }
        }
    }

    /// The next candidate (a record at or after `end` when there is none before it).
    fn advance(&mut self, end: DocId) -> DocId {
        self.doc = match self.doc.checked_add(1) {
            Some(next) => self.align(next, end),
            None => TERMINATED,
        };
        self.doc
    }

    /// At least the phrase's score at `doc`, the current candidate.
    fn bound(&self, doc: DocId) -> Score {
        let count = self.words.iter().map(|w| w.term_freq()).min().unwrap_or(0);
        self.phrase.bm25.score(self.norms.fieldnorm_id(doc), count)
    }
}

/// Part of a segment to rank: its ordinal and a range of its records.
type Run = (SegmentOrdinal, Range<DocId>);

impl Ranking {
    fn run(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        threads: usize,
        min_docs_per_thread: u32,
    ) -> tantivy::Result<Vec<Ranked<String>>> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let parts = split(searcher, threads, min_docs_per_thread);
        let rank_part = |runs: &[Run]| -> tantivy::Result<Vec<Ranked<String>>> {
            let mut floor = None;
            let mut best = Vec::new();
            for (seg, docs) in runs {
                best.extend(self.rank_run(&*weight, searcher, *seg, docs.clone(), &mut floor)?);
            }
            Ok(best)
        };
        let found = each_on_threads(&parts, |runs| rank_part(runs));
        let mut all = Vec::new();
        for part in found {
            all.extend(part?);
        }
        all.sort_unstable();
        all.truncate(self.limit);
        Ok(all)
    }

    /// The best `limit` in the records `docs` of segment `seg`. `floor` is the lowest score
    /// that can still rank (the worst score of `limit` claims found earlier), updated.
    fn rank_run(
        &self,
        weight: &dyn Weight,
        searcher: &Searcher,
        seg: SegmentOrdinal,
        docs: Range<DocId>,
        floor: &mut Option<Score>,
    ) -> tantivy::Result<Vec<Ranked<String>>> {
        let reader = searcher.segment_reader(seg);
        let Some(mut fields) = self.run_fields(reader)? else {
            return Ok(Vec::new());
        };
        let mut scorer = weight.scorer(reader, 1.0)?;
        if scorer.doc() < docs.start {
            scorer.seek(docs.start);
        }
        let mut phrase = match &self.phrase {
            Some(p) => p.candidates(reader, docs.start)?,
            None => None,
        };
        let run = RunLimits {
            seg,
            end: docs.end,
            floor: *floor,
        };
        let best = self.best_of_run(&run, &mut fields, &mut *scorer, phrase.as_mut());
        if best.len() == self.limit
            && let Some(worst) = best.peek()
        {
            *floor = Some(floor.map_or(worst.score, |f| f.max(worst.score)));
        }
        with_path_texts(best, fields.paths.as_ref())
    }

    /// What a run reads of segment `reader` beside the scorer; `None` when no record of it
    /// can rank (no claim record, or a bound on a field no record of it has).
    fn run_fields<'r>(&self, reader: &'r SegmentReader) -> tantivy::Result<Option<RunFields<'r>>> {
        let Some(claims) = reader
            .inverted_index(self.record.field())?
            .read_postings(&self.record, IndexRecordOption::Basic)?
        else {
            return Ok(None);
        };
        let ff = reader.fast_fields();
        let Some(bounds) = self.bounds.columns(ff)? else {
            return Ok(None);
        };
        Ok(Some(RunFields {
            claims,
            bounds,
            paths: ff.str("path")?,
            starts: ff.column_opt::<u64>("start")?,
            alive: reader.alive_bitset(),
        }))
    }

    /// The best `limit` matches of a run, from the scorer's (or with a phrase, the
    /// candidates') current record up to the run's end, as [`Ranking`] says.
    fn best_of_run(
        &self,
        run: &RunLimits,
        fields: &mut RunFields,
        scorer: &mut dyn Scorer,
        mut phrase: Option<&mut Candidates>,
    ) -> BinaryHeap<Ranked<u64>> {
        let mut best: BinaryHeap<Ranked<u64>> = BinaryHeap::new();
        let mut doc = match &phrase {
            Some(c) => c.doc,
            None => scorer.doc(),
        };
        while doc < run.end {
            // The score, or with a phrase a bound on it, until the phrase is found there.
            let bound = match &phrase {
                Some(c) => c.bound(doc),
                None => scorer.score(),
            };
            let mut path = None;
            let score = if self.turned_away(run.floor, &best, bound, doc, fields, &mut path) {
                None
            } else {
                exact_score(phrase.is_some(), scorer, doc, bound)
            };
            if let Some(score) = score
                && fields.is_ranked_claim(doc)
            {
                let hit = Ranked {
                    score,
                    path: path.or_else(|| fields.path_of(doc)),
                    start: fields.starts.as_ref().and_then(|c| c.first(doc)),
                    addr: DocAddress::new(run.seg, doc),
                };
                self.keep(&mut best, hit);
            }
            doc = match &mut phrase {
                Some(c) => c.advance(run.end),
                None => scorer.advance(),
            };
        }
        best
    }

    /// Whether a match scoring `bound` at `doc` cannot rank: below `floor`, or, with `limit`
    /// kept, below the worst of them or tied with it and later by path. The path, read only
    /// to break a tie, is left in `path`.
    fn turned_away(
        &self,
        floor: Option<Score>,
        best: &BinaryHeap<Ranked<u64>>,
        bound: Score,
        doc: DocId,
        fields: &RunFields,
        path: &mut Option<u64>,
    ) -> bool {
        floor.is_some_and(|f| bound < f)
            || best.peek().filter(|_| best.len() == self.limit).is_some_and(|worst| {
                // Only a tie in score needs the path to tell.
                match worst.score.partial_cmp(&bound).unwrap_or(Ordering::Equal) {
                    Ordering::Greater => true,
                    Ordering::Less => false,
                    Ordering::Equal => {
                        *path = fields.path_of(doc);
                        none_last(path, &worst.path) == Ordering::Greater
                    }
                }
            })
    }

    /// `hit` among the best kept: added while fewer than `limit` are, else in place of the
    /// worst when it ranks before it.
    fn keep(&self, best: &mut BinaryHeap<Ranked<u64>>, hit: Ranked<u64>) {
        if best.len() < self.limit {
            best.push(hit);
        } else if let Some(mut worst) = best.peek_mut()
            && hit < *worst
        {
            *worst = hit;
        }
    }
}

/// Where a run of a segment ends and what it must beat: its segment, the end of its records
/// and the lowest score that can still rank when it starts.
struct RunLimits {
    seg: SegmentOrdinal,
    end: DocId,
    floor: Option<Score>,
}

/// What a run reads of its segment beside the scorer: the claim records' postings, the
/// value bounds', path's and start's fast fields, and which records are deleted.
struct RunFields<'r> {
    claims: SegmentPostings,
    /// `None` when no bound is asked.
    bounds: Option<BoundColumns>,
    paths: Option<StrColumn>,
    starts: Option<Column<u64>>,
    alive: Option<&'r AliveBitSet>,
}

impl RunFields<'_> {
    /// The path of `doc` as a term ordinal of the segment.
    fn path_of(&self, doc: DocId) -> Option<u64> {
        self.paths.as_ref().and_then(|c| c.ords().first(doc))
    }

    /// Whether `doc` is a live claim record within the bounds.
    fn is_ranked_claim(&mut self, doc: DocId) -> bool {
        if !self.alive.is_none_or(|a| a.is_alive(doc)) {
            return false;
        }
        // Matches come in increasing order, so the claim records' postings only move on.
        if self.claims.doc() < doc {
            self.claims.seek(doc);
        }
        self.claims.doc() == doc && self.bounds.as_ref().is_none_or(|b| b.within(doc))
    }
}

/// The score of a match that was not turned away: `bound` itself without a phrase; with
/// one, the query's score where the phrase is found at `doc`.
fn exact_score(phrase: bool, scorer: &mut dyn Scorer, doc: DocId, bound: Score) -> Option<Score> {
    if !phrase {
        return Some(bound);
    }
    // Candidates come in increasing order, so the phrase's scorer only moves on.
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    (scorer.doc() == doc).then(|| scorer.score())
}

/// A run's best with their paths as text: each path ordinal, in one pass over the dictionary.
fn with_path_texts(best: BinaryHeap<Ranked<u64>>, paths: Option<&StrColumn>) -> tantivy::Result<Vec<Ranked<String>>> {
    let mut best = best.into_vec();
    // Each path ordinal as text, in one pass over the dictionary.
    let mut ords: Vec<u64> = best.iter().filter_map(|r| r.path).collect();
    ords.sort_unstable();
    ords.dedup();
    let mut texts = Vec::with_capacity(ords.len());
    if let Some(paths) = paths {
        paths
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| texts.push(String::from_utf8_lossy(bytes).into_owned()))?;
    }
    Ok(best
        .drain(..)
        .map(|r| Ranked {
            score: r.score,
            path: r
                .path
                .and_then(|o| ords.binary_search(&o).ok())
                .and_then(|i| texts.get(i).cloned()),
            start: r.start,
            addr: r.addr,
        })
        .collect())
}

/// The index's records cut into at most `threads` parts of about equal length, each a list
/// of runs in index order; one part when the index has fewer than `min_docs_per_thread`
/// records per thread.
fn split(searcher: &Searcher, threads: usize, min_docs_per_thread: u32) -> Vec<Vec<Run>> {
    let total: u64 = searcher.segment_readers().iter().map(|r| u64::from(r.max_doc())).sum();
    let threads = (total / u64::from(min_docs_per_thread.max(1))).clamp(1, threads.max(1) as u64);
    let per_part = total.div_ceil(threads).max(1);
    let mut parts = vec![Vec::new()];
    let mut room = per_part;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let Ok(seg) = SegmentOrdinal::try_from(ord) else { break };
        let mut at = 0;
        while at < reader.max_doc() {
            if room == 0 {
                parts.push(Vec::new());
                room = per_part;
            }
            let end = reader
                .max_doc()
                .min(at.saturating_add(u32::try_from(room).unwrap_or(u32::MAX)));
            if let Some(part) = parts.last_mut() {
                part.push((seg, at..end));
            }
            room -= u64::from(end - at);
            at = end;
        }
    }
    parts
}
