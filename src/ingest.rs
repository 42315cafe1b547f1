//! The ingest engine: every article of some paths extracted in parallel and the index
//! kept in step with the files, incrementally. `claimdex ingest` is flags, a progress bar
//! and the summary around [`ingest`]; what happens along the way is told to a [`Sink`]
//! (as ripgrep's searcher tells its printer), so the engine never writes to a terminal.
//!
//! Workers (rayon) read, hash and extract files chunk by chunk, in walk order; one writer
//! (the calling thread) feeds tantivy through a bounded channel, so memory stays bounded
//! however large the corpus. Unchanged files are skipped by content hash; a changed file
//! replaces every record of its old version; a file gone from a folder being ingested is
//! removed. Commits happen every [`Settings::commit_bytes`] of new input and at the end.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::clean::Format;
use crate::error::{Error, Result};
use crate::index::writer::{BUDGET_PER_THREAD, ClaimWriter, MAX_INDEX_THREADS, WriterOptions};
use crate::model::Document;
use crate::pipeline::{self, Options};
use crate::read;
use crate::walk::{self, Walk};

/// Files extracted together before their records go to the writer: at most this many...
const CHUNK: usize = 32;
/// ...and no more bytes than this, unless one file alone is larger: a multi-megabyte
/// file is extracted in a chunk of its own, never beside another one.
const CHUNK_BYTES: u64 = 1 << 20;
/// Input bytes whose extracted documents may wait for the writer at once (extracting,
/// queued, being indexed). A document holds several times its file's size in claims (a
/// 3.7 MB article: 31,000 claims, some 30 MB), so a count of files alone does not bound
/// memory: eight such articles could wait together (271 MB peak ingesting just those
/// eight; 153 MB with this bound), and the larger the corpus, the likelier such a
/// meeting. A file larger than this goes through alone.
pub const IN_FLIGHT_BYTES: u64 = 6 << 20;
/// Largest index (in claims) whose disagreements ingest counts in its summary.
pub const RECONCILE_MAX_CLAIMS: u64 = 200_000;

/// What to ingest, where, and how.
pub struct Settings<'a> {
    pub index: &'a Path,
    pub paths: &'a [PathBuf],
    /// Commit after this many bytes of new input, so an interrupted ingest keeps them.
    pub commit_bytes: u64,
    /// Drop the index and ingest everything again.
    pub rebuild: bool,
    /// The extracting workers.
    pub pool: &'a rayon::ThreadPool,
    pub options: Options,
}

/// What the engine tells along the way, all from the calling thread.
pub trait Sink {
    /// The walk is done: its files are about to be read (its errors and skips are named
    /// here, not counted as failed files).
    fn walked(&mut self, walk: &Walk);
    /// A file could not be taken (failed) or is not an article (skipped).
    fn file_error(&mut self, err: &Error);
    /// An indexed file's warnings; `cut_short` when a cost bound dropped claims.
    fn warnings(&mut self, path: &str, warnings: &[String], cut_short: bool);
    /// One more file is done; `summary` counts everything so far.
    fn file_done(&mut self, summary: &Summary);
    /// The run moved to a stage after the files ("committing", "merging segments").
    fn stage(&mut self, what: &str);
    /// Something the user should know that is no error (an index not created, folders
    /// a rebuild dropped), as one line.
    fn note(&mut self, text: &str);
}

/// File counts of one ingest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FileCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Not articles (binary, empty, not regular files); named on stderr, not an error.
    pub skipped: u64,
    /// Could not be taken (unreadable, too large, over the time budget); named on
    /// stderr, exit code 1.
    pub failed: u64,
    /// Indexed, but with claims dropped by a cost bound (a sentence of too many figures,
    /// a file of too many claims); named on stderr, exit code 1.
    pub truncated: u64,
    /// Gone from disk (or now empty or binary), so removed from the index.
    pub removed: u64,
}

/// What one ingest did: printed at the end, as text or (`--json`) one JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub index: String,
    pub files: FileCounts,
    /// Claims and citations added by this run.
    pub claims: u64,
    pub citations: u64,
    pub warnings: u64,
    /// What the index holds afterwards.
    pub documents_total: u64,
    pub claims_total: u64,
    /// Bytes of every file read (and hashed), and of those (re)indexed.
    pub bytes_read: u64,
    pub bytes_indexed: u64,
    pub elapsed_s: f64,
    pub mb_per_s: f64,
    /// Groups of figures that disagree across sources, once the conflict stage fills it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreements: Option<u64>,
    /// Ctrl-C stopped the run: the files counted are those it finished, all committed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// Paths the walk could not visit (named through [`Sink::walked`]).
    #[serde(skip)]
    pub unreadable: u64,
}

impl Summary {
    /// Nothing was added, replaced or removed.
    pub fn is_noop(&self) -> bool {
        self.files.new + self.files.updated + self.files.removed == 0
    }

    /// Files and paths that make the run a failure: failed, cut short or unreadable
    /// (skipped files are named but do not fail it).
    pub fn bad(&self) -> u64 {
        self.files.failed + self.files.truncated + self.unreadable
    }

    /// The summary in words, for a person.
    pub fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let f = &self.files;
        let mb = self.bytes_read as f64 / 1e6;
        if self.is_noop() {
            writeln!(
                out,
                "up to date: {} files unchanged, nothing added ({} skipped, {} failed); \
                 the index holds {} documents and {} claims",
                f.unchanged, f.skipped, f.failed, self.documents_total, self.claims_total
            )?;
        } else {
            writeln!(
                out,
                "files: {} new, {} updated, {} unchanged, {} removed, {} skipped, {} failed",
                f.new, f.updated, f.unchanged, f.removed, f.skipped, f.failed
            )?;
            writeln!(
                out,
                "added {} claims and {} citations; the index holds {} documents and {} claims",
                self.claims, self.citations, self.documents_total, self.claims_total
            )?;
        }
        match self.disagreements {
            Some(n) => writeln!(out, "disagreements found: {n}; see them with `claimdex conflicts`")?,
            None if !self.is_noop() => writeln!(
                out,
                "disagreements not counted for an index this large; `claimdex conflicts` finds them"
            )?,
            None => {}
        }
        writeln!(
            out,
            "read {mb:.1} MB in {:.2} s ({:.1} MB/s) into {}",
            self.elapsed_s, self.mb_per_s, self.index
        )
    }
}

/// What a worker made of one file.
enum Outcome {
    Unchanged,
    Indexed(Box<Document>),
    /// Not an article (any more): binary, empty. Its old records, if any, go.
    Skipped {
        key: String,
        err: Error,
    },
    Failed(Error),
}

struct Done {
    bytes: u64,
    outcome: Outcome,
}

/// The budget of [`IN_FLIGHT_BYTES`] shared by the working thread, which takes from it
/// before a chunk is worked, and the taking side, which gives back as it takes.
struct InFlight {
    /// Bytes taken, and whether the writer stopped (then nobody waits any more).
    state: Mutex<(u64, bool)>,
    freed: Condvar,
    limit: u64,
}

impl InFlight {
    fn new(limit: u64) -> Self {
        InFlight {
            state: Mutex::new((0, false)),
            freed: Condvar::new(),
            limit,
        }
    }

    fn lock(&self) -> MutexGuard<'_, (u64, bool)> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `n` bytes fit (or nothing else is in flight); false once the writer stopped.
    fn take(&self, n: u64) -> bool {
        let mut st = self.lock();
        while !st.1 && st.0 > 0 && st.0.saturating_add(n) > self.limit {
            st = self.freed.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
        st.0 = st.0.saturating_add(n);
        !st.1
    }

    fn give_back(&self, n: u64) {
        let mut st = self.lock();
        st.0 = st.0.saturating_sub(n);
        self.freed.notify_all();
    }

    fn stop(&self) {
        self.lock().1 = true;
        self.freed.notify_all();
    }
}

/// Gives a file's bytes back to the budget once the writer is done with it.
struct GiveBack<'a>(&'a InFlight, u64);

impl Drop for GiveBack<'_> {
    fn drop(&mut self) {
        self.0.give_back(self.1);
    }
}

/// Stops the budget however the writer's loop ends, so the extracting thread never waits
/// for room that will not come.
struct StopOnDrop<'a>(&'a InFlight);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// A file read, hashed and (unless its hash is the one indexed) extracted.
fn process(path: &Path, key: &str, known: &HashMap<String, String>, opts: &Options) -> Done {
    let done = |bytes, outcome| Done { bytes, outcome };
    let text = match read::read_file(path, opts.max_file_size) {
        Ok(t) => t,
        // Nothing was read: a refused 2 GiB file does not count as 2 GiB read.
        Err(e) if e.is_skip() => {
            return done(
                0,
                Outcome::Skipped {
                    key: key.to_owned(),
                    err: e,
                },
            );
        }
        Err(e) => return done(0, Outcome::Failed(e)),
    };
    let bytes = text.bytes;
    if known.get(key) == Some(&text.hash) {
        return done(bytes, Outcome::Unchanged);
    }
    let format = Format::of(path, &text.text);
    match pipeline::process_text(key, text, format, opts) {
        Ok(doc) => done(bytes, Outcome::Indexed(Box::new(doc))),
        Err(e) => done(bytes, Outcome::Failed(e)),
    }
}

/// Paths in the index that are under one of `roots` but were not found by the walk:
/// deleted files. Nothing under a path the walk could not read is counted as deleted.
fn deleted<'a>(
    known: impl Iterator<Item = &'a String>,
    roots: &[String],
    seen: &HashSet<&str>,
    unreadable: &[String],
) -> Vec<String> {
    let under = |p: &str, dir: &str| Path::new(p).starts_with(dir);
    let mut out: Vec<String> = known
        .filter(|p| !seen.contains(p.as_str()))
        .filter(|p| roots.iter().any(|r| under(p, r)))
        .filter(|p| !unreadable.iter().any(|u| under(p, u)))
        .cloned()
        .collect();
    out.sort();
    out
}

/// Tells what a `--rebuild` of fewer folders than the index held drops, and returns how
/// many articles that is (a rebuild starts the whole index over).
fn note_dropped_folders(writer: &ClaimWriter, sink: &mut dyn Sink) -> u64 {
    let others = writer.other_folders();
    if others.is_empty() {
        return 0;
    }
    let dropped = others.values().sum();
    let list: Vec<String> = others
        .iter()
        .map(|(f, n)| format!("{n} from {}", walk::shown(f)))
        .collect();
    sink.note(&format!(
        "note: --rebuild keeps only the articles of the folders it is given: {dropped} articles \
         of other folders ({}) are no longer in the index; ingest those folders again to keep them",
        list.join(", ")
    ));
    dropped
}

/// The index writer, opened (and locked: a second ingest fails at once) with as many
/// indexing threads as extracting ones, up to [`MAX_INDEX_THREADS`].
fn open_writer(settings: &Settings) -> Result<ClaimWriter> {
    let threads = settings.pool.current_num_threads().clamp(1, MAX_INDEX_THREADS);
    ClaimWriter::open(
        settings.index,
        &WriterOptions {
            threads,
            memory_budget: threads * BUDGET_PER_THREAD,
            rebuild: settings.rebuild,
        },
    )
}

/// Removes the articles of the index that the walk no longer found under the roots.
/// Only an index that already holds articles can have lost some; the set of keys walked
/// (as large as the corpus) lives only while they are looked for.
fn remove_deleted(writer: &mut ClaimWriter, found: &Walk, roots: &[String], known: &HashMap<String, String>) -> u64 {
    if known.is_empty() {
        return 0;
    }
    let unreadable: Vec<String> = found.errors.iter().map(|e| walk::identity(&e.path)).collect();
    let keys: Vec<String> = found.files.iter().map(|p| walk::identity(p)).collect();
    let seen: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let gone = deleted(known.keys(), roots, &seen, &unreadable);
    gone.iter().filter(|path| writer.remove(path)).count() as u64
}

/// Ingests `settings.paths` into `settings.index`, telling `sink` what happens, until
/// done or until `stop` is set (Ctrl-C: what was indexed is committed, and the summary
/// says it was interrupted).
pub fn ingest(settings: &Settings, sink: &mut dyn Sink, stop: &AtomicBool) -> Result<Summary> {
    let started = Instant::now();
    let mut writer = open_writer(settings)?;
    let roots: Vec<String> = settings.paths.iter().map(|p| walk::identity(p)).collect();
    writer.set_roots(roots.clone());
    let mut summary = Summary {
        index: settings.index.to_string_lossy().into_owned(),
        ..Summary::default()
    };
    if settings.rebuild {
        summary.files.removed += note_dropped_folders(&writer, sink);
    }
    let found = walk::walk(settings.paths);
    sink.walked(&found);
    summary.files.skipped += found.not_regular.len() as u64;
    summary.unreadable = found.errors.len() as u64;
    let known: HashMap<String, String> = writer
        .known()
        .iter()
        .map(|(p, k)| (p.clone(), k.hash.clone()))
        .collect();
    summary.files.removed += remove_deleted(&mut writer, &found, &roots, &known);
    let mut run = Run {
        writer: &mut writer,
        summary: &mut summary,
        since_commit: 0,
        commit_bytes: settings.commit_bytes,
        sink: &mut *sink,
    };
    run.files(settings, &found.files, &known, stop)?;
    finish(writer, &mut summary, settings.index, sink)?;
    let elapsed = started.elapsed().as_secs_f64();
    summary.elapsed_s = (elapsed * 1000.0).round() / 1000.0;
    summary.mb_per_s = ((summary.bytes_read as f64 / 1e6 / elapsed.max(1e-6)) * 100.0).round() / 100.0;
    Ok(summary)
}

/// The writer's side of one ingest: what it indexed so far, and when it last committed.
struct Run<'r> {
    writer: &'r mut ClaimWriter,
    summary: &'r mut Summary,
    since_commit: u64,
    commit_bytes: u64,
    sink: &'r mut dyn Sink,
}

impl Run<'_> {
    /// Extracts `files` on the pool, chunk by chunk, while this thread indexes what comes
    /// out, in walk order.
    fn files(
        &mut self,
        settings: &Settings,
        files: &[PathBuf],
        known: &HashMap<String, String>,
        stop: &AtomicBool,
    ) -> Result<()> {
        let work = |p: &PathBuf| process(p, &walk::identity(p), known, &settings.options);
        each_in_order(settings.pool, files, work, |done| {
            self.record(done)?;
            self.sink.file_done(self.summary);
            // Ctrl-C: stop taking files; what was indexed is committed after.
            let interrupted = stop.load(Ordering::Relaxed);
            self.summary.interrupted |= interrupted;
            Ok(!interrupted)
        })
    }

    /// Counts one file's outcome and indexes (or removes) its records.
    fn record(&mut self, done: Done) -> Result<()> {
        self.summary.bytes_read += done.bytes;
        match done.outcome {
            Outcome::Unchanged => self.summary.files.unchanged += 1,
            Outcome::Skipped { key, err } => {
                self.summary.files.skipped += 1;
                self.sink.file_error(&err);
                // A file that became empty or binary no longer states its old claims.
                if self.writer.remove(&key) {
                    self.summary.files.removed += 1;
                }
            }
            Outcome::Failed(e) => {
                self.summary.files.failed += 1;
                self.sink.file_error(&e);
            }
            Outcome::Indexed(doc) => self.index(&doc, done.bytes)?,
        }
        Ok(())
    }

    /// Indexes one extracted article, committing once enough new input has gone in.
    fn index(&mut self, doc: &Document, bytes: u64) -> Result<()> {
        let cut_short = pipeline::cut_short(doc);
        if !doc.warnings.is_empty() {
            self.sink.warnings(&doc.path, &doc.warnings, cut_short);
        }
        let s = &mut *self.summary;
        s.files.truncated += u64::from(cut_short);
        if self.writer.known().contains_key(&doc.path) {
            s.files.updated += 1;
        } else {
            s.files.new += 1;
        }
        s.claims += doc.claims.len() as u64;
        s.citations += doc.citations.len() as u64;
        s.warnings += doc.warnings.len() as u64;
        s.bytes_indexed += bytes;
        self.writer.add(doc, bytes)?;
        self.since_commit += bytes;
        if self.since_commit >= self.commit_bytes {
            self.writer.commit()?;
            self.since_commit = 0;
        }
        Ok(())
    }
}

/// Works `files` on `pool` a chunk at a time (at most [`CHUNK`] files and
/// [`CHUNK_BYTES`]) on a thread of its own, and hands each file's result to `take` on the
/// calling thread, in file order, while the next chunks are worked: at most
/// [`IN_FLIGHT_BYTES`] of input wait between the two, however fast either side is. `take`
/// says whether to go on; its error ends the run. `ingest` indexes what `take` gets,
/// `claimdex extract` writes it.
pub fn each_in_order<T: Send>(
    pool: &rayon::ThreadPool,
    files: &[PathBuf],
    work: impl Fn(&PathBuf) -> T + Sync,
    mut take: impl FnMut(T) -> Result<bool>,
) -> Result<()> {
    let in_flight = InFlight::new(IN_FLIGHT_BYTES);
    std::thread::scope(|s| {
        // Room for the next chunk while this thread takes this one, so working and taking
        // overlap (with room for one chunk only they took turns: 8.4 s against 4.7 s for
        // ingest on a 100 MB corpus).
        let (tx, rx) = mpsc::sync_channel::<(T, u64)>(3 * CHUNK);
        let _stop = StopOnDrop(&in_flight);
        let (budget, work) = (&in_flight, &work);
        s.spawn(move || work_chunks(pool, files, budget, &tx, work));
        for (item, reserved) in rx {
            let _give_back = GiveBack(budget, reserved);
            if !take(item)? {
                break; // the worker stops when this loop lets go of its channel
            }
        }
        Ok(())
    })
}

/// The working side of [`each_in_order`]: each chunk's results in order, each with the
/// bytes it took from the budget, until the files end or the taking side stops.
fn work_chunks<T: Send>(
    pool: &rayon::ThreadPool,
    files: &[PathBuf],
    budget: &InFlight,
    tx: &mpsc::SyncSender<(T, u64)>,
    work: &(impl Fn(&PathBuf) -> T + Sync),
) {
    let mut rest = files;
    while !rest.is_empty() {
        let sizes = chunk_sizes(rest);
        let total = sizes.iter().fold(0u64, |t, n| t.saturating_add(*n));
        let (chunk, after) = rest.split_at(sizes.len());
        rest = after;
        if !budget.take(total) {
            return; // the taking side stopped
        }
        let done: Vec<T> = pool.install(|| chunk.par_iter().map(work).collect());
        for item in done.into_iter().zip(sizes) {
            if tx.send(item).is_err() {
                return; // the taking side stopped
            }
        }
    }
}

/// The sizes of the files that make the next chunk: up to [`CHUNK`] files and
/// [`CHUNK_BYTES`], at least one. Sizes as the walk left them; a file that changed since
/// is read as it is now.
fn chunk_sizes(files: &[PathBuf]) -> Vec<u64> {
    let size = |p: &PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut sizes: Vec<u64> = Vec::with_capacity(CHUNK);
    let mut total = 0u64;
    for p in files.iter().take(CHUNK) {
        let n = size(p);
        if !sizes.is_empty() && total.saturating_add(n) > CHUNK_BYTES {
            break;
        }
        sizes.push(n);
        total = total.saturating_add(n);
    }
    sizes
}

/// After the files: commits (or, for a new index that got nothing, creates none), merges
/// segments, fills in the totals and, for an index that changed and is small enough, the
/// disagreements.
fn finish(mut writer: ClaimWriter, summary: &mut Summary, dir: &Path, sink: &mut dyn Sink) -> Result<()> {
    // A run that failed without one article for a new index creates none: no empty
    // index/ is left to be mistaken for one that holds the corpus.
    let failed = summary.files.failed > 0 || summary.unreadable > 0;
    if writer.is_new() && failed && writer.totals().documents == 0 {
        sink.note(&format!("no index created at {}: nothing was ingested", summary.index));
    } else if writer.has_changes() {
        sink.stage("committing");
        writer.commit()?;
    }
    let totals = writer.totals();
    sink.stage("merging segments");
    writer.finish()?;
    summary.documents_total = totals.documents;
    summary.claims_total = totals.claims;
    // Reconciling reads every claim back (time and memory grow with the index), so only
    // when the index changed: an unchanged corpus re-ingests in the time it takes to hash
    // it. Above RECONCILE_MAX_CLAIMS it would hold too much in memory for an ingest, whose
    // memory must not grow with the corpus: the summary then points to `conflicts`.
    if !summary.is_noop() && !summary.interrupted && totals.claims <= RECONCILE_MAX_CLAIMS {
        sink.stage("reconciling figures");
        summary.disagreements = Some(disagreements(dir)?);
    }
    Ok(())
}

/// How many groups of figures the index's claims disagree in.
fn disagreements(dir: &Path) -> Result<u64> {
    let claims = crate::index::reader::keyed_shared_claims(dir)?;
    let groups = crate::reconcile::reconcile_shared(&claims, &crate::reconcile::Options::default());
    let differ = groups
        .iter()
        .filter(|g| g.verdict != crate::reconcile::Verdict::Consistent);
    Ok(differ.count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleted_only_under_ingested_roots() {
        let known: Vec<String> = ["corpus/a.txt", "corpus/gone.txt", "other/b.txt", "corpus/locked/c.txt"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let seen: HashSet<&str> = ["corpus/a.txt"].into_iter().collect();
        let gone = deleted(known.iter(), &["corpus".into()], &seen, &["corpus/locked".into()]);
        assert_eq!(gone, ["corpus/gone.txt"]);
        // `corpus2/x.txt` is not under `corpus`.
        let known = ["corpus2/x.txt".to_string()];
        assert!(deleted(known.iter(), &["corpus".into()], &HashSet::new(), &[]).is_empty());
    }

    /// Results come in file order whatever order the workers finish in; `take` stopping
    /// or failing ends the run at once, and the budget never holds the worker up for good.
    #[test]
    fn each_in_order_hands_results_over_in_file_order() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let files: Vec<PathBuf> = (0..300).map(|i| PathBuf::from(format!("no-such-dir/{i:03}"))).collect();
        // Later files of a chunk finish first.
        let work = |p: &PathBuf| {
            let i: u64 = p.to_string_lossy()[12..].parse().unwrap();
            std::thread::sleep(std::time::Duration::from_micros((32 - i % 32) * 20));
            p.clone()
        };
        let mut got = Vec::new();
        each_in_order(&pool, &files, work, |p| {
            got.push(p);
            Ok(true)
        })
        .unwrap();
        assert_eq!(got, files);
        let mut n = 0;
        each_in_order(&pool, &files, work, |_| {
            n += 1;
            Ok(n < 40)
        })
        .unwrap();
        assert_eq!(n, 40);
        let failed = each_in_order(&pool, &files, work, |p| match p.ends_with("007") {
            true => Err(Error::Usage("stop".into())),
            false => Ok(true),
        });
        assert!(failed.is_err());
    }

    /// A sink that writes down what it is told.
    #[derive(Default)]
    struct Log(Vec<String>);

    impl Sink for Log {
        fn walked(&mut self, walk: &Walk) {
            self.0.push(format!("walked {}", walk.files.len()));
        }
        fn file_error(&mut self, err: &Error) {
            self.0.push(format!("error {err}"));
        }
        fn warnings(&mut self, path: &str, warnings: &[String], cut_short: bool) {
            self.0.push(format!("warnings {path} {} {cut_short}", warnings.len()));
        }
        fn file_done(&mut self, summary: &Summary) {
            self.0
                .push(format!("done {}", summary.files.new + summary.files.skipped));
        }
        fn stage(&mut self, what: &str) {
            self.0.push(what.to_string());
        }
        fn note(&mut self, text: &str) {
            self.0.push(format!("note {text}"));
        }
    }

    fn run(dir: &Path, paths: &[PathBuf], stop: bool) -> (Summary, Vec<String>) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
        let settings = Settings {
            index: &dir.join("index"),
            paths,
            commit_bytes: 1 << 20,
            rebuild: false,
            pool: &pool,
            options: Options {
                max_file_size: 1 << 20,
                keep_body: false,
                lexicon: crate::extract::Lexicon::builtin(),
                budget: pipeline::Budget::default(),
                explain: false,
            },
        };
        let mut log = Log::default();
        let summary = ingest(&settings, &mut log, &AtomicBool::new(stop)).expect("ingest runs");
        (summary, log.0)
    }

    #[test]
    fn the_engine_tells_its_sink_each_file_and_stage() {
        let dir = std::env::temp_dir().join(format!("claimdex-engine-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let articles = dir.join("articles");
        let _ = std::fs::create_dir_all(&articles);
        let _ = std::fs::write(
            articles.join("a.txt"),
            "Contoso's revenue rose 12% to $5 billion in 2024.\n",
        );
        let _ = std::fs::write(articles.join("b.txt"), [0u8, 159, 146, 150, 0, 1, 2]);
        let (summary, log) = run(&dir, std::slice::from_ref(&articles), false);
        assert_eq!((summary.files.new, summary.files.skipped, summary.claims), (1, 1, 2));
        let b = articles.join("b.txt");
        let want = [
            "walked 2".to_string(),
            "done 1".into(),
            format!("error skipped {}: binary file (NUL byte at offset 0)", b.display()),
            "done 2".into(),
            "committing".into(),
            "merging segments".into(),
            "reconciling figures".into(),
        ];
        assert_eq!(log, want);
        // Again with the stop flag set: the first file ends the run, committed.
        let _ = std::fs::write(articles.join("a.txt"), "Contoso's revenue rose 14% in 2025.\n");
        let (summary, _) = run(&dir, &[articles], true);
        assert!(summary.interrupted);
        assert_eq!(summary.disagreements, None, "an interrupted run reconciles nothing");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_chunk_holds_at_least_one_file_and_at_most_its_bounds() {
        let dir = std::env::temp_dir().join(format!("claimdex-chunk-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let write = |name: &str, n: usize| {
            let p = dir.join(name);
            let _ = std::fs::write(&p, vec![b'a'; n]);
            p
        };
        let big = write("big.txt", (CHUNK_BYTES + 1) as usize);
        let small = write("small.txt", 10);
        assert_eq!(
            chunk_sizes(&[big.clone(), small.clone()]).len(),
            1,
            "a large file alone"
        );
        assert_eq!(chunk_sizes(&[small.clone(), big]).len(), 1, "never beside a large one");
        let many: Vec<PathBuf> = (0..CHUNK + 5).map(|_| small.clone()).collect();
        assert_eq!(chunk_sizes(&many).len(), CHUNK);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
