//! Adding, replacing and removing articles, with the writer lock held for the whole run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError, Term};

use super::schema::{self, Fields, RECORD_CLAIM, RECORD_DOC};
use super::{ClaimIndex, TANTIVY_META, damaged, foreign, locked, open_checked, tantivy_error};
use crate::error::{Error, Result};
use crate::model::{Claim, Document, Source};

/// Segments with more live documents than this are never merged again.
///
/// A merge reads every segment it merges through mmap, and those pages count in the
/// process's memory: merging eight 250,000-claim segments (what ingest writes per commit
/// on two cores) took the peak from 190 to 470 MB at 300 MB of input, and merges grow
/// with the corpus. Bulk ingests write segments larger than this, which stay as they are;
/// the small segments of small incremental ingests still merge, eight at a time, into
/// segments of at most about half a million claims.
pub const MERGE_MAX_DOCS: usize = 65_536;

/// A segment with more than this share of its records deleted is rewritten on its own,
/// whatever its size.
pub const PURGE_DELETED_RATIO: f32 = 0.5;

/// The merge policy of the writer: tantivy's log policy, with merges bounded by
/// [`MERGE_MAX_DOCS`] so that their memory does not grow with the index; and, since
/// that bound keeps large segments out of the log policy's merges, a segment more than
/// half made of deleted records (articles re-ingested after a change, or removed) is
/// rewritten alone, so that the dead records of a large segment do not stay on disk
/// and in every search for good. Rewriting one segment costs what that segment holds,
/// which does not grow with the index either.
#[derive(Debug)]
pub struct ClaimMergePolicy {
    log: LogMergePolicy,
}

impl ClaimMergePolicy {
    pub fn new() -> Self {
        let mut log = LogMergePolicy::default();
        log.set_max_docs_before_merge(MERGE_MAX_DOCS);
        ClaimMergePolicy { log }
    }
}

impl Default for ClaimMergePolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl MergePolicy for ClaimMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut candidates = self.log.compute_merge_candidates(segments);
        let taken: HashSet<SegmentId> = candidates.iter().flat_map(|c| c.0.iter().copied()).collect();
        for seg in segments {
            let dead = seg.num_deleted_docs() as f32 > PURGE_DELETED_RATIO * seg.max_doc() as f32;
            if dead && !taken.contains(&seg.id()) {
                candidates.push(MergeCandidate(vec![seg.id()]));
            }
        }
        candidates
    }
}

/// How the writer is set up.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// tantivy indexing threads.
    pub threads: usize,
    /// Memory for tantivy's indexing buffers, in bytes, shared by the threads.
    pub memory_budget: usize,
    /// Start over: drop every record (and, for a damaged or foreign-version index, its files).
    pub rebuild: bool,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            threads: 1,
            memory_budget: 64 << 20,
            rebuild: false,
        }
    }
}

/// What the index knows about an article already in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDoc {
    pub hash: String,
    pub claims: u64,
    pub citations: u64,
}

/// Totals of the index content; stored as the payload of every commit, so that what a
/// commit holds can be checked after a crash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    pub documents: u64,
    pub claims: u64,
    pub citations: u64,
}

impl CommitPayload {
    /// The payload of the index's last commit, if claimdex wrote one.
    pub fn of(index: &Index) -> Option<CommitPayload> {
        let metas = index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }
}

/// The one writer of an index. Holds tantivy's writer lock from [`ClaimWriter::open`]
/// until it is dropped, so a second ingest fails at once.
pub struct ClaimWriter {
    ci: ClaimIndex,
    writer: IndexWriter<TantivyDocument>,
    known: HashMap<String, KnownDoc>,
    totals: CommitPayload,
    dirty: bool,
}

impl std::fmt::Debug for ClaimWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimWriter")
            .field("dir", &self.ci.dir)
            .field("totals", &self.totals)
            .finish_non_exhaustive()
    }
}

/// Names tantivy or claimdex give the files of an index: the only files a rebuild deletes.
fn is_index_file(name: &str) -> bool {
    if matches!(name, TANTIVY_META | ".managed.json" | schema::META_FILE) {
        return true;
    }
    // Segment files: `<32 hex digits>.<ext>` (and `<uuid>.<opstamp>.del`).
    let stem = name.split('.').next().unwrap_or("");
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
}

/// True when `dir` holds something other than hidden files (a `.gitkeep`).
fn has_visible_entries(dir: &Path) -> Result<bool> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if !entry.file_name().as_encoded_bytes().starts_with(b".") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// What was found in the index folder before writing.
enum Found {
    /// A claimdex index of this version.
    Current,
    /// Nothing yet (a missing or empty folder).
    Empty,
    /// An index claimdex cannot use as it is (the error says why); `--rebuild` replaces it.
    Unusable(Error),
    /// A folder of other files: never written to, not even by `--rebuild`.
    NotOurs(Error),
}

fn inspect(dir: &Path) -> Result<Found> {
    let has_tantivy = dir.join(TANTIVY_META).exists();
    let meta = match schema::read_meta(dir) {
        Ok(m) => m,
        Err(e @ Error::Index { .. }) => return Ok(Found::Unusable(e)),
        Err(e) => return Err(e),
    };
    Ok(match meta {
        Some(meta) => match schema::check_version(dir, &meta) {
            Err(e) => Found::Unusable(e),
            Ok(()) if !has_tantivy => Found::Unusable(damaged(dir, &format_args!("{TANTIVY_META} is missing"))),
            Ok(()) => Found::Current,
        },
        None if has_tantivy => Found::Unusable(foreign(dir)),
        None if has_visible_entries(dir)? => Found::NotOurs(Error::Index {
            path: dir.to_path_buf(),
            reason: "is not a claimdex index and is not empty; pass another --index or empty the folder".into(),
        }),
        None => Found::Empty,
    })
}

/// Creates a fresh index in `dir`, deleting the files of an old one first. Runs with
/// the writer lock held, so it never disturbs a running ingest.
fn create_fresh(dir: &Path, wipe: bool) -> Result<()> {
    let directory = MmapDirectory::open(dir).map_err(|e| tantivy_error(dir, e.into()))?;
    let _lock = directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|e| match e {
        LockError::LockBusy => locked(dir),
        other => tantivy_error(dir, TantivyError::LockFailure(other, None)),
    })?;
    if wipe {
        let io = |source| Error::Io {
            path: dir.to_path_buf(),
            source,
        };
        for entry in fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            if name.to_str().is_some_and(is_index_file) {
                let path = entry.path();
                fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
            }
        }
    }
    Index::builder()
        .schema(schema::build_schema())
        .settings(schema::settings())
        .create_in_dir(dir)
        .map_err(|e| tantivy_error(dir, e))?;
    schema::write_meta(dir, &schema::IndexMeta::current())
}

impl ClaimWriter {
    /// Opens the index in `dir` for writing, creating it if the folder is missing or
    /// empty. Fails at once if another ingest holds the writer lock. With `rebuild`, an
    /// index of this version keeps its records until the first commit (so an interrupted
    /// rebuild loses nothing); a damaged one, or one of another version, is deleted first.
    pub fn open(dir: &Path, opts: &WriterOptions) -> Result<ClaimWriter> {
        fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let ci = match inspect(dir)? {
            Found::Current => match open_checked(dir) {
                Ok(ci) => ci,
                Err(_) if opts.rebuild => {
                    create_fresh(dir, true)?;
                    open_checked(dir)?
                }
                Err(e) => return Err(e),
            },
            Found::Empty => {
                create_fresh(dir, false)?;
                open_checked(dir)?
            }
            Found::NotOurs(e) => return Err(e),
            Found::Unusable(e) if !opts.rebuild => return Err(e),
            Found::Unusable(_) => {
                create_fresh(dir, true)?;
                open_checked(dir)?
            }
        };
        let threads = opts.threads.max(1);
        // tantivy wants at least 15 MB per indexing thread.
        let budget = opts.memory_budget.max(threads * (16 << 20));
        let writer = ci
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(|e| tantivy_error(dir, e))?;
        writer.set_merge_policy(Box::new(ClaimMergePolicy::new()));
        let mut known = HashMap::new();
        if opts.rebuild {
            writer.delete_all_documents().map_err(|e| tantivy_error(dir, e))?;
        } else {
            known = load_known(&ci)?;
        }
        let totals = CommitPayload {
            documents: known.len() as u64,
            claims: known.values().map(|k| k.claims).sum(),
            citations: known.values().map(|k| k.citations).sum(),
        };
        Ok(ClaimWriter {
            ci,
            writer,
            known,
            totals,
            dirty: opts.rebuild,
        })
    }

    /// Articles in the index when the writer opened, by path, updated as records change.
    pub fn known(&self) -> &HashMap<String, KnownDoc> {
        &self.known
    }

    /// Totals of the index as it will be after the next commit.
    pub fn totals(&self) -> CommitPayload {
        self.totals
    }

    /// Removes an article and its claims. Returns false if it was not in the index.
    pub fn remove(&mut self, path: &str) -> bool {
        let Some(old) = self.known.remove(path) else {
            return false;
        };
        self.writer
            .delete_term(Term::from_field_text(self.ci.fields.path, path));
        self.totals.documents -= 1;
        self.totals.claims -= old.claims;
        self.totals.citations -= old.citations;
        self.dirty = true;
        true
    }

    /// Adds an article and its claims, replacing every record of an older version.
    pub fn add(&mut self, doc: &Document, bytes: u64) -> Result<()> {
        self.remove(&doc.path);
        let f = &self.ci.fields;
        let err = |e| tantivy_error(&self.ci.dir, e);
        self.writer.add_document(doc_record(f, doc, bytes)).map_err(err)?;
        let sources: BTreeMap<u32, &Source> = doc.sources.iter().map(|s| (s.n, s)).collect();
        for claim in &doc.claims {
            self.writer
                .add_document(claim_record(f, &doc.path, claim, &sources))
                .map_err(err)?;
        }
        let known = KnownDoc {
            hash: doc.hash.clone(),
            claims: doc.claims.len() as u64,
            citations: doc.citations.len() as u64,
        };
        self.totals.documents += 1;
        self.totals.claims += known.claims;
        self.totals.citations += known.citations;
        self.known.insert(doc.path.clone(), known);
        self.dirty = true;
        Ok(())
    }

    /// True when records changed since the last commit.
    pub fn has_changes(&self) -> bool {
        self.dirty
    }

    /// Makes every change so far durable, with the totals as the commit's payload.
    pub fn commit(&mut self) -> Result<()> {
        let dir = self.ci.dir.clone();
        let payload = serde_json::to_string(&self.totals).map_err(|e| damaged(&dir, &e))?;
        let mut prepared = self.writer.prepare_commit().map_err(|e| tantivy_error(&dir, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| tantivy_error(&dir, e))?;
        self.dirty = false;
        Ok(())
    }

    /// Waits for tantivy's background merges and releases the writer lock.
    pub fn finish(self) -> Result<()> {
        let dir = self.ci.dir;
        self.writer.wait_merging_threads().map_err(|e| tantivy_error(&dir, e))
    }
}

/// Every article already in the index: path, hash and record counts.
fn load_known(ci: &ClaimIndex) -> Result<HashMap<String, KnownDoc>> {
    let f = &ci.fields;
    let searcher = ci.reader()?.searcher();
    let query = TermQuery::new(Term::from_field_text(f.record, RECORD_DOC), IndexRecordOption::Basic);
    let addrs = searcher
        .search(&query, &DocSetCollector)
        .map_err(|e| tantivy_error(&ci.dir, e))?;
    let mut known = HashMap::with_capacity(addrs.len());
    for addr in addrs {
        let d: TantivyDocument = searcher.doc(addr).map_err(|e| tantivy_error(&ci.dir, e))?;
        let text = |field| d.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
        let num = |field| d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let (Some(path), Some(hash)) = (text(f.path), text(f.hash)) else {
            return Err(damaged(&ci.dir, &"a document record has no path or hash"));
        };
        known.insert(
            path,
            KnownDoc {
                hash,
                claims: num(f.n_claims),
                citations: num(f.n_citations),
            },
        );
    }
    Ok(known)
}

fn add_opt(d: &mut TantivyDocument, field: tantivy::schema::Field, value: Option<&str>) {
    if let Some(v) = value {
        d.add_text(field, v);
    }
}

/// The document record of an article.
pub(crate) fn doc_record(f: &Fields, doc: &Document, bytes: u64) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.record, RECORD_DOC);
    d.add_text(f.path, &doc.path);
    d.add_text(f.hash, &doc.hash);
    add_opt(&mut d, f.title, doc.title.as_deref());
    add_opt(&mut d, f.byline, doc.byline.as_deref());
    add_opt(&mut d, f.publisher, doc.publisher.as_deref());
    add_opt(&mut d, f.published, doc.published.as_deref());
    // Serialising plain structs of strings and numbers cannot fail; an empty list is the fallback.
    d.add_text(
        f.sources,
        serde_json::to_string(&doc.sources).unwrap_or_else(|_| "[]".into()),
    );
    d.add_u64(f.n_claims, doc.claims.len() as u64);
    d.add_u64(f.n_citations, doc.citations.len() as u64);
    d.add_u64(
        f.n_unresolved,
        doc.citations.iter().map(|c| c.unresolved.len() as u64).sum(),
    );
    d.add_u64(f.n_warnings, doc.warnings.len() as u64);
    d.add_u64(f.bytes, bytes);
    d
}

/// The measure's searchable parts, and the whole of it as JSON when it says anything.
fn add_measure(d: &mut TantivyDocument, f: &Fields, m: &crate::model::Measure) {
    add_opt(d, f.measure, m.head.as_deref());
    for s in &m.scope {
        d.add_text(f.scope, s);
    }
    d.add_text(f.status, m.status.as_str());
    if *m != crate::model::Measure::default() {
        d.add_text(f.measure_json, serde_json::to_string(m).unwrap_or_default());
    }
}

/// The claim record of one claim of the article at `path`.
pub(crate) fn claim_record(f: &Fields, path: &str, c: &Claim, sources: &BTreeMap<u32, &Source>) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.record, RECORD_CLAIM);
    d.add_text(f.path, path);
    d.add_text(f.sentence, &c.sentence);
    d.add_text(f.kind, c.kind.as_str());
    d.add_text(f.unit, &c.unit);
    add_opt(&mut d, f.metric, c.metric.as_deref());
    add_opt(&mut d, f.subject, c.subject.as_deref());
    for e in &c.entities {
        d.add_text(f.entities, e);
    }
    d.add_text(f.qualifier, c.qualifier.as_str());
    if let Some(dir) = c.direction {
        d.add_text(
            f.direction,
            match dir {
                crate::model::Direction::Up => "up",
                crate::model::Direction::Down => "down",
            },
        );
    }
    add_opt(&mut d, f.period, c.period.as_deref());
    d.add_f64(f.value, c.value);
    if let Some(max) = c.value_max {
        d.add_f64(f.value_max, max);
    }
    d.add_f64(f.value_hi, c.value_max.unwrap_or(c.value));
    add_opt(&mut d, f.noun, c.noun.as_deref());
    add_measure(&mut d, f, &c.measure);
    d.add_text(f.text, &c.text);
    d.add_u64(f.line, c.line as u64);
    d.add_u64(f.start, c.start as u64);
    d.add_u64(f.end, c.end as u64);
    for &m in &c.citations {
        d.add_u64(f.citations, u64::from(m));
    }
    let cited: Vec<&Source> = c.citations.iter().filter_map(|m| sources.get(m).copied()).collect();
    d.add_text(f.cited, serde_json::to_string(&cited).unwrap_or_else(|_| "[]".into()));
    d
}
