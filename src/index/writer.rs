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

use super::create::Staging;
use super::schema::{self, Fields, RECORD_CLAIM, RECORD_DOC};
use super::{ClaimIndex, TANTIVY_META, Verify, damaged, foreign, locked, open_checked, tantivy_error};
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

/// tantivy indexing memory per indexing thread. Its buffers are what grows between
/// commits: at 64 MB, the segments of one `--commit-every` (about 270,000 claims per
/// thread) ended close to the budget or at it, so the peak followed how claim-dense the
/// input before each commit happened to be (186 MB at 100 MB of input, 228 to 240 MB at
/// 1 GB). At 32 MB the budget, not the commit, ends segments (about 165,000 claims),
/// which caps the buffers whatever the input: 170 and 197 MB.
pub const BUDGET_PER_THREAD: usize = 32 << 20;
/// At most this many tantivy indexing threads.
pub const MAX_INDEX_THREADS: usize = 4;

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
    /// The totals of the articles an index holds, counted from their records.
    pub(crate) fn of_known(known: &HashMap<String, KnownDoc>) -> CommitPayload {
        CommitPayload {
            documents: known.len() as u64,
            claims: known.values().map(|k| k.claims).sum(),
            citations: known.values().map(|k| k.citations).sum(),
        }
    }

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
    /// None only while the writer is reopened after a new index is put in place.
    writer: Option<IndexWriter<TantivyDocument>>,
    /// A new index being built beside its target, renamed into place at the first commit.
    staging: Option<Staging>,
    threads: usize,
    budget: usize,
    known: HashMap<String, KnownDoc>,
    totals: CommitPayload,
    dirty: bool,
    /// Articles per folder before this run (from claimdex.json), and the folders of this run.
    folders_before: BTreeMap<String, u64>,
    roots: Vec<String>,
}

impl Drop for ClaimWriter {
    fn drop(&mut self) {
        // A creation that failed before its first commit leaves nothing behind.
        if let Some(st) = self.staging.take() {
            drop(self.writer.take());
            st.abandon();
        }
    }
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
pub(crate) fn is_index_file(name: &str) -> bool {
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
    /// Only claimdex.json: a creation in place killed before tantivy's first file.
    Unfinished,
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
            // A creation in place that never reached its first commit: nothing to lose.
            Ok(()) if !has_tantivy && !super::has_segment_files(dir) => Found::Unfinished,
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
                // A folder of that name (a `claimdex.json/`) is in the way of the file.
                let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                removed.map_err(|source| Error::Io { path, source })?;
            }
        }
    }
    // claimdex.json first: a kill before tantivy's meta.json leaves a folder claimdex
    // knows as an unfinished creation, never one it would take for another program's.
    schema::write_meta(dir, &schema::IndexMeta::current())?;
    Index::builder()
        .schema(schema::build_schema())
        .settings(schema::settings())
        .open_or_create(super::ClaimDirectory::open(dir)?)
        .map(drop)
        .map_err(|e| tantivy_error(dir, e))
}

/// The index to write to: the one in `dir`, or a new one (built beside `dir` when it
/// can be, see [`create`](super::create)).
fn prepare(dir: &Path, rebuild: bool) -> Result<(ClaimIndex, Option<Staging>)> {
    let absent = fs::symlink_metadata(dir).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if (absent || matches!(inspect(dir)?, Found::Empty))
        && let Some(st) = super::create::stage(dir)?
    {
        let built = create_fresh(&st.tmp, false).and_then(|()| open_checked(&st.tmp, Verify::No));
        return match built {
            Ok(ci) => Ok((ci, Some(st))),
            Err(e) => {
                st.abandon();
                Err(st.retarget(e))
            }
        };
    }
    fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let ci = match inspect(dir)? {
        Found::Current => match open_checked(dir, Verify::Checksums) {
            Ok(ci) => ci,
            Err(_) if rebuild => {
                create_fresh(dir, true)?;
                open_checked(dir, Verify::No)?
            }
            Err(e) => return Err(e),
        },
        Found::Empty | Found::Unfinished => {
            create_fresh(dir, true)?;
            open_checked(dir, Verify::No)?
        }
        Found::NotOurs(e) => return Err(e),
        Found::Unusable(e) if !rebuild => return Err(e),
        Found::Unusable(_) => {
            create_fresh(dir, true)?;
            open_checked(dir, Verify::No)?
        }
    };
    Ok((ci, None))
}

/// tantivy's writer on `ci`, with the claimdex merge policy.
fn new_writer(ci: &ClaimIndex, threads: usize, budget: usize) -> Result<IndexWriter<TantivyDocument>> {
    let writer = ci
        .index
        .writer_with_num_threads(threads, budget)
        .map_err(|e| tantivy_error(&ci.dir, e))?;
    writer.set_merge_policy(Box::new(ClaimMergePolicy::new()));
    Ok(writer)
}

impl ClaimWriter {
    /// Opens the index in `dir` for writing, creating it if the folder is missing or
    /// empty. Fails at once if another ingest holds the writer lock. With `rebuild`, an
    /// index of this version keeps its records until the first commit (so an interrupted
    /// rebuild loses nothing); a damaged one, or one of another version, is deleted first.
    pub fn open(dir: &Path, opts: &WriterOptions) -> Result<ClaimWriter> {
        // Read before a rebuild may wipe it: what a rebuild of fewer folders drops.
        let folders_before = schema::read_meta(dir)
            .ok()
            .flatten()
            .map(|m| m.folders)
            .unwrap_or_default();
        let (ci, staging) = prepare(dir, opts.rebuild)?;
        let threads = opts.threads.max(1);
        // tantivy wants at least 15 MB per indexing thread.
        let budget = opts.memory_budget.max(threads * (16 << 20));
        let writer = new_writer(&ci, threads, budget)?;
        let mut known = HashMap::new();
        if opts.rebuild {
            writer.delete_all_documents().map_err(|e| tantivy_error(dir, e))?;
        } else {
            known = load_known(&ci)?;
        }
        let totals = CommitPayload::of_known(&known);
        Ok(ClaimWriter {
            ci,
            // A new index is committed (and so put in place) even if no article comes.
            dirty: opts.rebuild || staging.is_some(),
            writer: Some(writer),
            staging,
            threads,
            budget,
            known,
            totals,
            folders_before,
            roots: Vec::new(),
        })
    }

    /// The folders (or files) this run ingests, as the index keys paths: recorded with
    /// the number of articles under each at every commit.
    pub fn set_roots(&mut self, roots: Vec<String>) {
        self.roots = roots;
    }

    /// Articles that were in the index under folders not among this run's roots, by
    /// folder: what a `--rebuild` of only these roots drops.
    pub fn other_folders(&self) -> BTreeMap<String, u64> {
        let under = |f: &str| self.roots.iter().any(|r| Path::new(f).starts_with(r));
        self.folders_before
            .iter()
            .filter(|(f, n)| **n > 0 && !under(f))
            .map(|(f, n)| (f.clone(), *n))
            .collect()
    }

    fn writer(&mut self) -> Result<&mut IndexWriter<TantivyDocument>> {
        let dir = &self.ci.dir;
        self.writer
            .as_mut()
            .ok_or_else(|| damaged(dir, &"its writer could not be reopened"))
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
        if let Some(w) = &self.writer {
            w.delete_term(Term::from_field_text(self.ci.fields.path, path));
        }
        self.totals.documents -= 1;
        self.totals.claims -= old.claims;
        self.totals.citations -= old.citations;
        self.dirty = true;
        true
    }

    /// Adds an article and its claims, replacing every record of an older version.
    pub fn add(&mut self, doc: &Document, bytes: u64) -> Result<()> {
        self.add_records(doc, bytes).map_err(|e| self.retarget(e))
    }

    /// An error about a new index's temporary folder, said of the index the user named.
    fn retarget(&self, e: Error) -> Error {
        match &self.staging {
            Some(st) => st.retarget(e),
            None => e,
        }
    }

    fn add_records(&mut self, doc: &Document, bytes: u64) -> Result<()> {
        self.remove(&doc.path);
        let f = &self.ci.fields;
        let err = |e| tantivy_error(&self.ci.dir, e);
        let Some(writer) = &self.writer else {
            return Err(damaged(&self.ci.dir, &"its writer could not be reopened"));
        };
        writer.add_document(doc_record(f, doc, bytes)).map_err(err)?;
        let sources: BTreeMap<u32, &Source> = doc.sources.iter().map(|s| (s.n, s)).collect();
        for claim in &doc.claims {
            writer
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

    /// True while the index is being created (not yet committed into place): dropping the
    /// writer then leaves nothing behind.
    pub fn is_new(&self) -> bool {
        self.staging.is_some()
    }

    /// Makes every change so far durable, with the totals as the commit's payload; the
    /// articles per folder go to claimdex.json. The first commit of a new index puts it
    /// in place.
    pub fn commit(&mut self) -> Result<()> {
        self.commit_inner().map_err(|e| self.retarget(e))
    }

    fn commit_inner(&mut self) -> Result<()> {
        let dir = self.ci.dir.clone();
        let payload = serde_json::to_string(&self.totals).map_err(|e| damaged(&dir, &e))?;
        let mut prepared = self.writer()?.prepare_commit().map_err(|e| tantivy_error(&dir, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| tantivy_error(&dir, e))?;
        self.dirty = false;
        let meta = schema::IndexMeta {
            folders: self.folders(),
            ..schema::IndexMeta::current()
        };
        schema::write_meta(&dir, &meta)?;
        if self.staging.is_some() {
            self.put_in_place()?;
        }
        Ok(())
    }

    /// Articles per folder: each article under the longest root it is under (this run's
    /// or an earlier one's), else under its own folder.
    fn folders(&self) -> BTreeMap<String, u64> {
        let mut roots: Vec<&str> = self.roots.iter().map(String::as_str).collect();
        roots.extend(self.folders_before.keys().map(String::as_str));
        roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
        let mut out = BTreeMap::new();
        for path in self.known.keys() {
            let p = Path::new(path);
            let folder = match roots.iter().find(|r| p.starts_with(r)) {
                Some(r) => (*r).to_owned(),
                None => p
                    .parent()
                    .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
            };
            *out.entry(folder).or_insert(0) += 1;
        }
        out
    }

    /// Renames a new index from its temporary folder into place (after its first commit)
    /// and reopens the writer there.
    fn put_in_place(&mut self) -> Result<()> {
        crate::faults::point("create-before-rename");
        if let Some(w) = self.writer.take() {
            w.wait_merging_threads().map_err(|e| tantivy_error(&self.ci.dir, e))?;
        }
        let Some(st) = &self.staging else {
            return Ok(());
        };
        st.place()?;
        let target = st.target.clone();
        self.staging = None;
        self.ci = open_checked(&target, Verify::No)?;
        self.writer = Some(new_writer(&self.ci, self.threads, self.budget)?);
        Ok(())
    }

    /// Waits for tantivy's background merges and releases the writer lock.
    pub fn finish(mut self) -> Result<()> {
        let dir = self.ci.dir.clone();
        match self.writer.take() {
            Some(w) => w.wait_merging_threads().map_err(|e| tantivy_error(&dir, e)),
            None => Ok(()),
        }
    }
}

/// Every article already in the index: path, hash and record counts.
pub(crate) fn load_known(ci: &ClaimIndex) -> Result<HashMap<String, KnownDoc>> {
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
    for w in &doc.warnings {
        d.add_text(f.warnings, w);
    }
    add_opt(&mut d, f.url, doc.url.as_deref());
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
    let mut about: Vec<&str> = m.head.as_deref().into_iter().collect();
    about.extend(m.scope.iter().map(String::as_str));
    let about = about.join(" ");
    if !about.trim().is_empty() {
        d.add_text(f.about, about.trim());
    }
    let said = schema::statement_words(m);
    d.add_text(
        f.said,
        if said.is_empty() {
            schema::PLAIN_STATEMENT
        } else {
            &said
        },
    );
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
