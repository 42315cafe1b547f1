//! Reading records back: every claim with its article and cited sources (what the
//! conflict report reads), every article, and the index's statistics.

use std::collections::{BTreeMap, HashSet};

use foldhash::{HashMap, HashMapExt};
use std::fs;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::schema::{Fields, RECORD_CLAIM, RECORD_DOC, SCHEMA_VERSION};
use super::writer::CommitPayload;
use super::{ClaimIndex, damaged, guarded, open, read_error};
use crate::error::Result;
use crate::model::{
    Article, ArticleInfo, Claim, Direction, IndexedClaim, Interner, Kind, Measure, Qualifier, SharedClaim, Source,
};
use crate::walk;

/// An article as the index holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRecord {
    pub path: String,
    pub hash: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub sources: Vec<Source>,
    pub claims: u64,
    pub citations: u64,
    pub unresolved: u64,
    /// What reading the article warned of, as it was said when it was ingested.
    pub warnings: Vec<String>,
    pub bytes: u64,
}

fn text(d: &TantivyDocument, field: Field) -> Option<String> {
    d.get_first(field).and_then(|v| v.as_str()).map(str::to_owned)
}

/// A stored enum value (`money`, `up_to`) back to its type, by its serde name (no JSON, no
/// copy: three of these per claim read).
fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
    T::deserialize(de).ok()
}

fn record_addresses(ci: &ClaimIndex, searcher: &Searcher, record: &str) -> Result<Vec<DocAddress>> {
    let query = TermQuery::new(
        Term::from_field_text(ci.fields.record, record),
        IndexRecordOption::Basic,
    );
    let mut addrs: Vec<DocAddress> = searcher
        .search(&query, &DocSetCollector)
        .map_err(|e| read_error(&ci.dir, e))?
        .into_iter()
        .collect();
    addrs.sort();
    Ok(addrs)
}

fn stored(ci: &ClaimIndex, searcher: &Searcher, addr: DocAddress) -> Result<TantivyDocument> {
    searcher.doc(addr).map_err(|e| read_error(&ci.dir, e))
}

/// Rebuilds a document record from its stored fields.
pub(crate) fn document_from(ci: &ClaimIndex, d: &TantivyDocument) -> Result<DocumentRecord> {
    document_of(ci, &mut { d })
}

fn document_of(ci: &ClaimIndex, d: &mut impl StoredRecord) -> Result<DocumentRecord> {
    let f = &ci.fields;
    let (Some(path), Some(hash)) = (d.take_text(f.path), d.take_text(f.hash)) else {
        return Err(damaged(&ci.dir, &"a document record has no path or hash"));
    };
    let path = walk::shown(&path).to_owned();
    let sources = match d.take_text(f.sources) {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| damaged(&ci.dir, &format_args!("sources of {path} unreadable: {e}")))?,
        None => Vec::new(),
    };
    let num = |field| d.first_u64(field).unwrap_or(0);
    let (claims, citations, unresolved, bytes) =
        (num(f.n_claims), num(f.n_citations), num(f.n_unresolved), num(f.bytes));
    let warnings = d.take_texts(f.warnings);
    Ok(DocumentRecord {
        title: d.take_text(f.title),
        byline: d.take_text(f.byline),
        publisher: d.take_text(f.publisher),
        published: d.take_text(f.published),
        url: d.take_text(f.url),
        sources,
        claims,
        citations,
        unresolved,
        warnings,
        bytes,
        path,
        hash,
    })
}

/// Read access to a stored record's values, however it was deserialised.
pub(crate) trait StoredRecord {
    /// The first text value of `field`.
    fn take_text(&mut self, field: Field) -> Option<String>;
    /// Every text value of `field`.
    fn take_texts(&mut self, field: Field) -> Vec<String>;
    fn first_u64(&self, field: Field) -> Option<u64>;
    fn all_u64(&self, field: Field) -> Vec<u64>;
    fn first_f64(&self, field: Field) -> Option<f64>;
}

impl StoredRecord for &TantivyDocument {
    fn take_text(&mut self, field: Field) -> Option<String> {
        text(self, field)
    }
    fn take_texts(&mut self, field: Field) -> Vec<String> {
        self.get_all(field)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }
    fn first_u64(&self, field: Field) -> Option<u64> {
        self.get_first(field).and_then(|v| v.as_u64())
    }
    fn all_u64(&self, field: Field) -> Vec<u64> {
        self.get_all(field).filter_map(|v| v.as_u64()).collect()
    }
    fn first_f64(&self, field: Field) -> Option<f64> {
        self.get_first(field).and_then(|v| v.as_f64())
    }
}

/// A stored record as the doc store holds it, its text values owned: read this way, a
/// claim's strings are moved into the [`Claim`], not copied out of a [`TantivyDocument`].
pub(crate) struct RawRecord(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for RawRecord {
    fn deserialize<'de, D>(mut d: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(d.size_hint());
        while let Some(fv) = d.next_field::<OwnedValue>()? {
            values.push(fv);
        }
        Ok(RawRecord(values))
    }
}

impl StoredRecord for RawRecord {
    fn take_text(&mut self, field: Field) -> Option<String> {
        self.0.iter_mut().find_map(|(f, v)| match v {
            OwnedValue::Str(s) if *f == field => Some(std::mem::take(s)),
            _ => None,
        })
    }
    fn take_texts(&mut self, field: Field) -> Vec<String> {
        self.0
            .iter_mut()
            .filter_map(|(f, v)| match v {
                OwnedValue::Str(s) if *f == field => Some(std::mem::take(s)),
                _ => None,
            })
            .collect()
    }
    fn first_u64(&self, field: Field) -> Option<u64> {
        self.all_u64(field).into_iter().next()
    }
    fn all_u64(&self, field: Field) -> Vec<u64> {
        self.0
            .iter()
            .filter_map(|(f, v)| match v {
                OwnedValue::U64(n) if *f == field => Some(*n),
                _ => None,
            })
            .collect()
    }
    fn first_f64(&self, field: Field) -> Option<f64> {
        self.0.iter().find_map(|(f, v)| match v {
            OwnedValue::F64(x) if *f == field => Some(*x),
            _ => None,
        })
    }
}

/// A claim record's claim, its path and the sources it cites.
pub(crate) fn claim_from(ci: &ClaimIndex, d: &TantivyDocument) -> Result<(String, Claim, Vec<Source>)> {
    claim_of(ci, &mut { d })
}

/// Whether a claim record says what it measures, by a metric or a measure's head (it can
/// meet claims of other articles; its subject may come from its article), read before
/// anything else is.
fn is_keyed(ci: &ClaimIndex, d: &RawRecord) -> bool {
    d.has_text(ci.fields.metric) || d.has_text(ci.fields.measure_json)
}

impl RawRecord {
    /// The first text value of `field`, borrowed.
    fn text_ref(&self, field: Field) -> Option<&str> {
        self.0.iter().find_map(|(f, v)| match v {
            OwnedValue::Str(s) if *f == field => Some(s.as_str()),
            _ => None,
        })
    }

    /// Every text value of `field`, borrowed.
    fn texts_ref(&self, field: Field) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(move |(f, v)| match v {
            OwnedValue::Str(s) if *f == field => Some(s.as_str()),
            _ => None,
        })
    }

    fn has_text(&self, field: Field) -> bool {
        self.0
            .iter()
            .any(|(g, v)| *g == field && matches!(v, OwnedValue::Str(_)))
    }
}

/// The error for a claim record whose `what` is missing or invalid.
fn bad_claim(ci: &ClaimIndex, what: &str) -> crate::error::Error {
    damaged(&ci.dir, &format_args!("a claim record has no valid {what}"))
}

/// The fields every claim record must hold valid, checked alike by both ways of reading
/// claims: kind, qualifier, direction (when there is one) and value.
fn checked_fields(
    ci: &ClaimIndex,
    kind: Option<&str>,
    qualifier: Option<&str>,
    direction: Option<&str>,
    value: Option<f64>,
) -> Result<(Kind, Qualifier, Option<Direction>, f64)> {
    let kind: Kind = kind.and_then(parse_enum).ok_or_else(|| bad_claim(ci, "kind"))?;
    let qualifier: Qualifier = qualifier
        .and_then(parse_enum)
        .ok_or_else(|| bad_claim(ci, "qualifier"))?;
    let direction: Option<Direction> = match direction {
        Some(s) => Some(parse_enum(s).ok_or_else(|| bad_claim(ci, "direction"))?),
        None => None,
    };
    let value = value.ok_or_else(|| bad_claim(ci, "value"))?;
    Ok((kind, qualifier, direction, value))
}

fn claim_of(ci: &ClaimIndex, d: &mut impl StoredRecord) -> Result<(String, Claim, Vec<Source>)> {
    let f: &Fields = &ci.fields;
    let bad = |what: &str| bad_claim(ci, what);
    let path = walk::shown(&d.take_text(f.path).ok_or_else(|| bad("path"))?).to_owned();
    let (kind, qualifier, direction, value) = checked_fields(
        ci,
        d.take_text(f.kind).as_deref(),
        d.take_text(f.qualifier).as_deref(),
        d.take_text(f.direction).as_deref(),
        d.first_f64(f.value),
    )?;
    let cited: Vec<Source> = match d.take_text(f.cited) {
        Some(json) => serde_json::from_str(&json).map_err(|_| bad("cited sources"))?,
        None => Vec::new(),
    };
    let pos = |field| d.first_u64(field).unwrap_or(0) as usize;
    let (line, start, end) = (pos(f.line), pos(f.start), pos(f.end));
    let claim = Claim {
        kind,
        text: d.take_text(f.text).unwrap_or_default(),
        line,
        start,
        end,
        value,
        value_max: d.first_f64(f.value_max),
        unit: d.take_text(f.unit).unwrap_or_default(),
        qualifier,
        direction,
        period: d.take_text(f.period),
        subject: d.take_text(f.subject),
        entities: d.take_texts(f.entities),
        metric: d.take_text(f.metric),
        noun: d.take_text(f.noun),
        measure: read_measure(d.take_text(f.measure_json).as_deref()).map_err(|_| bad("measure"))?,
        sentence: d.take_text(f.sentence).unwrap_or_default().into(),
        citations: d
            .all_u64(f.citations)
            .into_iter()
            .filter_map(|n| u32::try_from(n).ok())
            .collect(),
    };
    Ok((path, claim, cited))
}

/// What one task reading claims for the conflict report shares among them: each distinct
/// string once, each distinct cited-sources JSON parsed once.
#[derive(Default)]
pub(crate) struct SharedReader {
    interner: Interner,
    cited: HashMap<String, Arc<[Source]>>,
}

/// A claim record as [`SharedClaim`], checked as [`claim_of`] checks it; its article holds
/// only its path until [`ReadClaim::fill`] puts in the article's title and date.
fn shared_claim_of(ci: &ClaimIndex, d: &RawRecord, r: &mut SharedReader) -> Result<SharedClaim> {
    let f: &Fields = &ci.fields;
    let bad = |what: &str| bad_claim(ci, what);
    let path = walk::shown(d.text_ref(f.path).ok_or_else(|| bad("path"))?);
    let (kind, qualifier, direction, value) = checked_fields(
        ci,
        d.text_ref(f.kind),
        d.text_ref(f.qualifier),
        d.text_ref(f.direction),
        d.first_f64(f.value),
    )?;
    let cited: Arc<[Source]> = match d.text_ref(f.cited) {
        Some(json) => match r.cited.get(json) {
            Some(c) => c.clone(),
            None => {
                let list: Vec<Source> = serde_json::from_str(json).map_err(|_| bad("cited sources"))?;
                let c = r.interner.sources(&list);
                r.cited.insert(json.to_owned(), c.clone());
                c
            }
        },
        None => r.interner.sources(&[]),
    };
    let pos = |field| d.first_u64(field).unwrap_or(0) as usize;
    let i = &mut r.interner;
    Ok(SharedClaim {
        article: i.article(path, ArticleInfo::default()),
        kind,
        qualifier,
        direction,
        text: i.str(d.text_ref(f.text).unwrap_or_default()),
        line: pos(f.line),
        start: pos(f.start),
        end: pos(f.end),
        value,
        value_max: d.first_f64(f.value_max),
        unit: i.str(d.text_ref(f.unit).unwrap_or_default()),
        period: i.opt(d.text_ref(f.period)),
        subject: i.opt(d.text_ref(f.subject)),
        entities: i.list(d.texts_ref(f.entities)),
        metric: i.opt(d.text_ref(f.metric)),
        noun: i.opt(d.text_ref(f.noun)),
        measure: i.measure(read_measure(d.text_ref(f.measure_json)).map_err(|_| bad_claim(ci, "measure"))?),
        sentence: i.str(d.text_ref(f.sentence).unwrap_or_default()),
        cited,
    })
}

/// A stored measure (absent when it said nothing).
fn read_measure(json: Option<&str>) -> std::result::Result<Measure, serde_json::Error> {
    json.map_or_else(|| Ok(Measure::default()), serde_json::from_str)
}

/// A claim as [`claims_where`] reads it.
pub(crate) trait ReadClaim: Sized + Send + Sync {
    /// What one reading task keeps between the claims it reads.
    type Reader: Default;
    fn read(ci: &ClaimIndex, d: &mut RawRecord, reader: &mut Self::Reader) -> Result<Self>;
    /// Puts in every claim its article's title and date.
    fn fill(claims: &mut [Self], docs: &HashMap<String, DocumentRecord>);
    /// Path, then position in the file: the order claims are listed in.
    fn order(&self) -> (&str, usize, usize, Kind);
}

impl ReadClaim for IndexedClaim {
    type Reader = ();
    fn read(ci: &ClaimIndex, d: &mut RawRecord, _: &mut ()) -> Result<Self> {
        let (path, claim, cited) = claim_of(ci, d)?;
        Ok(IndexedClaim {
            title: None,
            published: None,
            publisher: None,
            url: None,
            path,
            claim,
            cited,
        })
    }
    fn fill(claims: &mut [Self], docs: &HashMap<String, DocumentRecord>) {
        claims.par_iter_mut().for_each(|c| {
            if let Some(d) = docs.get(&c.path) {
                c.title.clone_from(&d.title);
                c.published.clone_from(&d.published);
                c.publisher.clone_from(&d.publisher);
                c.url.clone_from(&d.url);
            }
        });
    }
    fn order(&self) -> (&str, usize, usize, Kind) {
        (&self.path, self.claim.start, self.claim.end, self.claim.kind)
    }
}

impl ReadClaim for SharedClaim {
    type Reader = SharedReader;
    fn read(ci: &ClaimIndex, d: &mut RawRecord, reader: &mut SharedReader) -> Result<Self> {
        shared_claim_of(ci, d, reader)
    }
    fn fill(claims: &mut [Self], docs: &HashMap<String, DocumentRecord>) {
        let articles = articles_of(docs);
        claims.par_iter_mut().for_each(|c| {
            if let Some(a) = articles.get(&*c.article.path) {
                c.article = a.clone();
            }
        });
    }
    fn order(&self) -> (&str, usize, usize, Kind) {
        (&self.article.path, self.start, self.end, self.kind)
    }
}

/// Every article in the index at `dir`, sorted by path.
pub fn all_documents(dir: &Path) -> Result<Vec<DocumentRecord>> {
    guarded(dir, || {
        let ci = open(dir)?;
        let searcher = ci.reader()?.searcher();
        documents_of(&ci, &searcher)
    })
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
pub fn each_claim(dir: &Path, f: impl FnMut(IndexedClaim) -> Result<()>) -> Result<()> {
    guarded(dir, || each_claim_unguarded(dir, f))
}

fn each_claim_unguarded(dir: &Path, mut f: impl FnMut(IndexedClaim) -> Result<()>) -> Result<()> {
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
            publisher: doc.and_then(|d| d.publisher.clone()),
            url: doc.and_then(|d| d.url.clone()),
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
    claims_where(dir, false)
}

/// The claims that can meet others across articles (what they measure known), in the
/// order of [`all_claims`]: what the conflict report needs, without holding the rest.
pub fn keyed_claims(dir: &Path) -> Result<Vec<IndexedClaim>> {
    claims_where(dir, true)
}

/// [`keyed_claims`] as the conflict report holds them: only the fields it reads, each
/// article and each distinct string shared (a third of the memory).
pub fn keyed_shared_claims(dir: &Path) -> Result<Vec<SharedClaim>> {
    claims_where(dir, true)
}

/// Records read by one task when claims are read in parallel: enough to make opening a
/// store reader cheap, few enough that the cores share the work evenly. (Tiny in tests, so
/// that their few records span several tasks.)
const CHUNK: u32 = if cfg!(test) { 2 } else { 8192 };

/// Every claim (or only the keyed ones) with its article's title and date, read in one
/// parallel pass over the doc store: runs of records in one segment, each task with its
/// own store reader going through its blocks in order, so that every block is
/// decompressed once, for the claim records and the document records it holds alike.
/// Sorted by path and position as [`all_claims`] says; ties keep index order.
fn claims_where<C: ReadClaim>(dir: &Path, keyed_only: bool) -> Result<Vec<C>> {
    guarded(dir, || claims_where_unguarded(dir, keyed_only))
}

fn claims_where_unguarded<C: ReadClaim>(dir: &Path, keyed_only: bool) -> Result<Vec<C>> {
    // Appended to one vector as they come: the claims are never held twice.
    // Room for every record is reserved: what the others would take is never touched, so
    // never resident.
    let mut out = Vec::new();
    let docs = read_parts(dir, keyed_only, |records, claims| {
        if out.capacity() == 0 {
            out.reserve_exact(records);
        }
        out.extend(claims);
        Ok(())
    })?;
    if keyed_only {
        let copies = copies(&docs);
        if !copies.is_empty() {
            out.retain(|c: &C| !copies.contains(c.order().0));
        }
    }
    C::fill(&mut out, &docs);
    drop(docs);
    sort_claims(&mut out);
    Ok(out)
}

/// Each article, by path, shared by its claims.
pub type Articles = HashMap<Arc<str>, Arc<Article>>;

/// One article per path, shared by all of its claims.
fn articles_of(docs: &HashMap<String, DocumentRecord>) -> Articles {
    let mut interner = Interner::default();
    let articles = docs.iter().map(|(path, d)| {
        let info = ArticleInfo {
            title: d.title.as_deref(),
            published: d.published.as_deref(),
            publisher: d.publisher.as_deref(),
            url: d.url.as_deref(),
        };
        let a = interner.article(path, info);
        (a.path.clone(), a)
    });
    articles.collect()
}

/// The keyed claims as [`keyed_shared_claims`] reads them, handed to `f` a part at a time
/// as they are read, in no order and with only their article's path; then the articles by
/// path, and the paths whose claims are to be left out ([`copies`]). What the conflict
/// report sorts on disk when the claims need not fit in memory.
pub fn each_keyed_shared_part(
    dir: &Path,
    mut f: impl FnMut(Vec<SharedClaim>) -> Result<()>,
) -> Result<(Articles, HashSet<String>)> {
    guarded(dir, || {
        let docs = read_parts(dir, true, |_, claims| f(claims))?;
        let copies = copies(&docs).into_iter().map(String::from).collect();
        Ok((articles_of(&docs), copies))
    })
}

/// Every claim record (or only the keyed ones), read in one parallel pass over the doc
/// store: runs of records in one segment, each task with its own store reader going through
/// its blocks in order, so that every block is decompressed once, for the claim records
/// and the document records it holds alike. The claims go to `f` a few chunks per core at
/// a time, in index order, with the number of records in all; the articles are returned by path.
fn read_parts<C: ReadClaim>(
    dir: &Path,
    keyed_only: bool,
    mut f: impl FnMut(usize, Vec<C>) -> Result<()>,
) -> Result<HashMap<String, DocumentRecord>> {
    let ci = super::open_for_scan(dir)?;
    let searcher = ci.reader()?.searcher();
    let mut chunks: Vec<(u32, std::ops::Range<u32>)> = Vec::new();
    let mut total = 0;
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let ord = u32::try_from(ord).map_err(|e| damaged(&ci.dir, &e))?;
        total += seg.num_docs() as usize;
        let mut at = 0;
        while at < seg.max_doc() {
            let end = at.saturating_add(CHUNK).min(seg.max_doc());
            chunks.push((ord, at..end));
            at = end;
        }
    }
    let window = rayon::current_num_threads().max(1) * 4;
    let mut docs: HashMap<String, DocumentRecord> = HashMap::new();
    for run in chunks.chunks(window) {
        let parts = run
            .par_iter()
            .map(|(ord, ids)| read_records::<C>(&ci, &searcher, *ord, ids.clone(), keyed_only))
            .collect::<Result<Vec<_>>>()?;
        for (claims, articles) in parts {
            f(total, claims)?;
            docs.extend(articles.into_iter().map(|d| (d.path.clone(), d)));
        }
    }
    Ok(docs)
}

/// Articles whose content another path holds too (a file copied, or saved twice): every
/// path of one content but the first. The conflict report counts such an article once,
/// since one article agreeing with itself is no second source.
fn copies(docs: &HashMap<String, DocumentRecord>) -> HashSet<&str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut in_order: Vec<&DocumentRecord> = docs.values().collect();
    in_order.sort_by(|a, b| a.path.cmp(&b.path));
    in_order
        .into_iter()
        .filter(|d| !seen.insert(&d.hash))
        .map(|d| d.path.as_str())
        .collect()
}

/// The claims (title and date not yet filled in) and the articles among the records `ids`
/// of segment `ord`.
fn read_records<C: ReadClaim>(
    ci: &ClaimIndex,
    searcher: &Searcher,
    ord: u32,
    ids: std::ops::Range<u32>,
    keyed_only: bool,
) -> Result<(Vec<C>, Vec<DocumentRecord>)> {
    let seg = searcher.segment_reader(ord);
    let store = seg.get_store_reader(1).map_err(|e| damaged(&ci.dir, &e))?;
    let alive = seg.alive_bitset();
    let (mut claims, mut articles) = (Vec::new(), Vec::new());
    let mut reader = C::Reader::default();
    for id in ids {
        if alive.is_some_and(|a| !a.is_alive(id)) {
            continue;
        }
        let mut d: RawRecord = store.get(id).map_err(|e| read_error(&ci.dir, e))?;
        // Only document records have a hash.
        if d.has_text(ci.fields.hash) {
            articles.push(document_of(ci, &mut d)?);
            continue;
        }
        if keyed_only && !is_keyed(ci, &d) {
            continue;
        }
        claims.push(C::read(ci, &mut d, &mut reader)?);
    }
    Ok((claims, articles))
}

/// Sorts claims by path and position in the file, ties in their present order, without a
/// second copy of the claims (a stable sort of the claims themselves would need one): the
/// positions are sorted, then the claims moved along the permutation's cycles.
fn sort_claims<C: ReadClaim>(claims: &mut [C]) {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.par_sort_unstable_by(|&i, &j| (claims[i].order(), i).cmp(&(claims[j].order(), j)));
    // `order[i]` is where the claim that belongs at `i` is now; usize::MAX marks a place done.
    for i in 0..claims.len() {
        if order[i] == usize::MAX {
            continue;
        }
        let mut at = i;
        loop {
            let from = order[at];
            order[at] = usize::MAX;
            if from == i {
                break;
            }
            claims.swap(at, from);
            at = from;
        }
    }
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
    /// Articles per folder ingested into the index: every folder a rebuild must be given.
    pub folders: BTreeMap<String, u64>,
}

/// Counts claim records per indexed value of a keyword field, over every segment.
fn claims_by(ci: &ClaimIndex, searcher: &Searcher, field: Field) -> Result<BTreeMap<String, u64>> {
    let err = |e| read_error(&ci.dir, e);
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
    guarded(dir, || stats_unguarded(dir))
}

fn stats_unguarded(dir: &Path) -> Result<Stats> {
    let ci = open(dir)?;
    let searcher = ci.reader()?.searcher();
    let docs = documents_of(&ci, &searcher)?;
    let claim_q = TermQuery::new(
        Term::from_field_text(ci.fields.record, RECORD_CLAIM),
        IndexRecordOption::Basic,
    );
    let claims = searcher.search(&claim_q, &Count).map_err(|e| read_error(&ci.dir, e))? as u64;
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
        warnings: docs.iter().map(|d| d.warnings.len() as u64).sum(),
        input_bytes: docs.iter().map(|d| d.bytes).sum(),
        index_bytes,
        segments: searcher.segment_readers().len(),
        last_commit: CommitPayload::of(&ci.index),
        folders: super::schema::read_meta(dir)?
            .map(|m| m.folders)
            .unwrap_or_default()
            .into_iter()
            .map(|(f, n)| (walk::shown(&f).to_owned(), n))
            .collect(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Qualifier;

    fn claim(path: &str, start: usize, kind: Kind, line: usize) -> IndexedClaim {
        IndexedClaim {
            path: path.into(),
            title: None,
            published: None,
            publisher: None,
            url: None,
            claim: Claim {
                kind,
                text: String::new(),
                line,
                start,
                end: start + 3,
                value: 1.0,
                value_max: None,
                unit: "USD".into(),
                qualifier: Qualifier::Exact,
                direction: None,
                period: None,
                subject: None,
                entities: Vec::new(),
                metric: None,
                noun: None,
                measure: Default::default(),
                sentence: "".into(),
                citations: Vec::new(),
            },
            cited: Vec::new(),
        }
    }

    #[test]
    fn sort_claims_is_a_stable_sort_by_path_and_position() {
        // A fixed pseudo-random mix with many ties; `line` records the original order.
        let mut x: u64 = 7;
        let mut claims: Vec<IndexedClaim> = (0..3000)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let path = format!("corpus/{}.txt", (x >> 33) % 7);
                let kind = if (x >> 20).is_multiple_of(2) {
                    Kind::Money
                } else {
                    Kind::Percent
                };
                claim(&path, ((x >> 40) % 13) as usize, kind, i)
            })
            .collect();
        let mut expected = claims.clone();
        expected.sort_by(|a, b| {
            (&a.path, a.claim.start, a.claim.end, a.claim.kind).cmp(&(
                &b.path,
                b.claim.start,
                b.claim.end,
                b.claim.kind,
            ))
        });
        sort_claims(&mut claims);
        let lines = |v: &[IndexedClaim]| v.iter().map(|c| c.claim.line).collect::<Vec<_>>();
        assert_eq!(lines(&claims), lines(&expected));
        sort_claims::<IndexedClaim>(&mut []);
    }

    #[test]
    fn stored_enum_names_parse_back() {
        assert_eq!(parse_enum::<Kind>("money"), Some(Kind::Money));
        assert_eq!(parse_enum::<Qualifier>("up_to"), Some(Qualifier::UpTo));
        assert_eq!(parse_enum::<Direction>("down"), Some(Direction::Down));
        assert_eq!(parse_enum::<Kind>("Money"), None);
        assert_eq!(parse_enum::<Qualifier>(""), None);
    }
}
