//! `claimdex ingest [PATH]...`: extract every article in parallel and keep the index
//! in step with the files, incrementally.
//!
//! Workers (rayon, `--jobs`) read, hash and extract files chunk by chunk, in walk
//! order; one writer thread (this one) feeds tantivy through a bounded channel, so
//! memory stays bounded however large the corpus. Unchanged files are skipped by
//! content hash; a changed file replaces every record of its old version; a file gone
//! from a folder being ingested is removed. Commits happen every `--commit-every` MB
//! and at the end.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use super::{Exit, report_file_error, report_walk, thread_pool};
use crate::clean::Format;
use crate::cli::IngestArgs;
use crate::error::{Error, Result};
use crate::index::writer::{ClaimWriter, WriterOptions};
use crate::model::Document;
use crate::pipeline::{self, Options};
use crate::printable::escape;
use crate::read;
use crate::walk;

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
/// tantivy indexing memory per indexing thread. Its buffers are what grows between
/// commits: at 64 MB, the segments of one `--commit-every` (about 270,000 claims per
/// thread) ended close to the budget or at it, so the peak followed how claim-dense the
/// input before each commit happened to be (186 MB at 100 MB of input, 228 to 240 MB at
/// 1 GB). At 32 MB the budget, not the commit, ends segments (about 165,000 claims),
/// which caps the buffers whatever the input: 170 and 197 MB.
pub const BUDGET_PER_THREAD: usize = 32 << 20;
/// At most this many tantivy indexing threads.
pub const MAX_INDEX_THREADS: usize = 4;
/// Largest index (in claims) whose disagreements ingest counts in its summary.
pub const RECONCILE_MAX_CLAIMS: u64 = 200_000;

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
}

impl Summary {
    /// Nothing was added, replaced or removed.
    pub fn is_noop(&self) -> bool {
        self.files.new + self.files.updated + self.files.removed == 0
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
    /// What this file took from the [`InFlight`] budget, given back once it is indexed.
    reserved: u64,
    outcome: Outcome,
}

/// The budget of [`IN_FLIGHT_BYTES`] shared by the extracting thread, which takes from
/// it before a chunk is extracted, and the writer, which gives back as it indexes.
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

fn process(path: &Path, key: &str, known: &HashMap<String, String>, opts: &Options) -> Done {
    let text = match read::read_file(path, opts.max_file_size) {
        Ok(t) => t,
        Err(e) => {
            // Nothing was read: a refused 2 GiB file does not count as 2 GiB read.
            let bytes = 0;
            let outcome = if e.is_skip() {
                Outcome::Skipped {
                    key: key.to_owned(),
                    err: e,
                }
            } else {
                Outcome::Failed(e)
            };
            return Done {
                bytes,
                reserved: 0,
                outcome,
            };
        }
    };
    let bytes = text.bytes;
    if known.get(key) == Some(&text.hash) {
        return Done {
            bytes,
            reserved: 0,
            outcome: Outcome::Unchanged,
        };
    }
    let format = Format::of(path, &text.text);
    let outcome = match pipeline::process_text(key, text, format, opts) {
        Ok(doc) => Outcome::Indexed(Box::new(doc)),
        Err(e) => Outcome::Failed(e),
    };
    Done {
        bytes,
        reserved: 0,
        outcome,
    }
}

/// The progress bar, cleared from the terminal however the ingest ends.
struct Progress(ProgressBar);

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

fn progress_bar(files: usize, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files  eta {eta}  {msg}")
    {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
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

/// Says on stderr what a `--rebuild` of fewer folders than the index held drops, and
/// returns how many articles that is (a rebuild starts the whole index over).
fn note_dropped_folders(writer: &ClaimWriter) -> u64 {
    let others = writer.other_folders();
    if others.is_empty() {
        return 0;
    }
    let dropped = others.values().sum();
    let list: Vec<String> = others
        .iter()
        .map(|(f, n)| format!("{n} from {}", walk::shown(f)))
        .collect();
    eprintln!(
        "claimdex: note: --rebuild keeps only the articles of the folders it is given: {dropped} articles \
         of other folders ({}) are no longer in the index; ingest those folders again to keep them",
        escape(&list.join(", "))
    );
    dropped
}

pub fn run(args: &IngestArgs, out: &mut dyn Write) -> Result<Exit> {
    let started = Instant::now();
    if !(args.commit_every.is_finite() && args.commit_every > 0.0) {
        return Err(Error::Usage("--commit-every must be a positive number of MB".into()));
    }
    let commit_bytes = (args.commit_every * 1e6) as u64;
    let pool = thread_pool(args.jobs)?;
    let threads = pool.current_num_threads().clamp(1, MAX_INDEX_THREADS);
    let dir = &args.index.index;
    // Open (and lock) the index before anything else: a second ingest fails at once.
    let mut writer = ClaimWriter::open(
        dir,
        &WriterOptions {
            threads,
            memory_budget: threads * BUDGET_PER_THREAD,
            rebuild: args.rebuild,
        },
    )?;
    let roots: Vec<String> = args.paths.iter().map(|p| walk::identity(p)).collect();
    writer.set_roots(roots.clone());
    let dropped = if args.rebuild { note_dropped_folders(&writer) } else { 0 };
    let opts = Options {
        max_file_size: args.max_file_size,
        keep_body: false,
        lexicon: crate::extract::Lexicon::from_env()?,
        budget: pipeline::Budget::default(),
    };
    let found = walk::walk(&args.paths);
    let mut summary = Summary {
        index: dir.to_string_lossy().into_owned(),
        ..Summary::default()
    };
    summary.files.removed += dropped;
    report_walk(&found, args.verbose);
    summary.files.skipped += found.not_regular.len() as u64;
    let files = &found.files;
    let known: HashMap<String, String> = writer
        .known()
        .iter()
        .map(|(p, k)| (p.clone(), k.hash.clone()))
        .collect();

    // Only an index that already holds articles can have lost some; the set of keys
    // walked (as large as the corpus) lives only while they are looked for.
    if !known.is_empty() {
        let unreadable: Vec<String> = found.errors.iter().map(|e| walk::identity(&e.path)).collect();
        let keys: Vec<String> = files.iter().map(|p| walk::identity(p)).collect();
        let seen: HashSet<&str> = keys.iter().map(String::as_str).collect();
        for path in deleted(known.keys(), &roots, &seen, &unreadable) {
            if writer.remove(&path) {
                summary.files.removed += 1;
            }
        }
    }

    let hidden = args.quiet || !std::io::stderr().is_terminal();
    // On a terminal the warnings are counted at the end (`stats --warnings` lists them);
    // a log (stderr not a terminal) gets each one as it comes.
    let each_warning = !args.quiet && !std::io::stderr().is_terminal();
    let progress = Progress(progress_bar(files.len(), hidden));
    let pb = &progress.0;
    let mut since_commit = 0u64;
    let mut last_msg = Instant::now();
    let interrupted = crate::signals::interrupt_flag();
    let in_flight = InFlight::new(IN_FLIGHT_BYTES);
    let result: Result<()> = std::thread::scope(|s| {
        // Room for the next chunk while the writer indexes this one, so extraction and
        // indexing overlap (with room for one chunk only they took turns: 8.4 s against
        // 4.7 s on a 100 MB corpus).
        let (tx, rx) = mpsc::sync_channel::<Done>(3 * CHUNK);
        let _stop = StopOnDrop(&in_flight);
        let (known, opts, pool, budget) = (&known, &opts, &pool, &in_flight);
        s.spawn(move || {
            // Sizes as the walk left them; a file that changed since is read as it is now.
            let size = |p: &PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
            let mut rest = files.as_slice();
            while !rest.is_empty() {
                let mut sizes: Vec<u64> = Vec::with_capacity(CHUNK);
                let mut total = 0u64;
                for p in rest.iter().take(CHUNK) {
                    let n = size(p);
                    if !sizes.is_empty() && total.saturating_add(n) > CHUNK_BYTES {
                        break;
                    }
                    sizes.push(n);
                    total = total.saturating_add(n);
                }
                let (chunk, after) = rest.split_at(sizes.len());
                rest = after;
                if !budget.take(total) {
                    return; // the writer stopped on an error
                }
                let done: Vec<Done> = pool.install(|| {
                    chunk
                        .par_iter()
                        .zip(&sizes)
                        .map(|(p, &size)| Done {
                            reserved: size,
                            ..process(p, &walk::identity(p), known, opts)
                        })
                        .collect()
                });
                for d in done {
                    if tx.send(d).is_err() {
                        return; // the writer stopped on an error
                    }
                }
            }
        });
        for done in rx {
            let _give_back = GiveBack(budget, done.reserved);
            summary.bytes_read += done.bytes;
            match done.outcome {
                Outcome::Unchanged => summary.files.unchanged += 1,
                Outcome::Skipped { key, err } => {
                    summary.files.skipped += 1;
                    pb.suspend(|| report_file_error(&err));
                    // A file that became empty or binary no longer states its old claims.
                    if writer.remove(&key) {
                        summary.files.removed += 1;
                    }
                }
                Outcome::Failed(e) => {
                    summary.files.failed += 1;
                    pb.suspend(|| report_file_error(&e));
                }
                Outcome::Indexed(doc) => {
                    // Claims dropped by a bound are said however stderr is read.
                    let cut_short = pipeline::cut_short(&doc);
                    if each_warning || cut_short {
                        for w in &doc.warnings {
                            pb.suspend(|| super::report_warning(walk::shown(&doc.path), w));
                        }
                    }
                    summary.files.truncated += u64::from(cut_short);
                    if writer.known().contains_key(&doc.path) {
                        summary.files.updated += 1;
                    } else {
                        summary.files.new += 1;
                    }
                    summary.claims += doc.claims.len() as u64;
                    summary.citations += doc.citations.len() as u64;
                    summary.warnings += doc.warnings.len() as u64;
                    summary.bytes_indexed += done.bytes;
                    writer.add(&doc, done.bytes)?;
                    since_commit += done.bytes;
                    if since_commit >= commit_bytes {
                        writer.commit()?;
                        since_commit = 0;
                    }
                }
            }
            pb.inc(1);
            // Ctrl-C: stop taking files (the reader stops when this loop lets go of its
            // channel); what was indexed is committed below.
            if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                summary.interrupted = true;
                break;
            }
            if last_msg.elapsed() >= Duration::from_millis(200) {
                last_msg = Instant::now();
                let secs = started.elapsed().as_secs_f64().max(1e-3);
                let mb = summary.bytes_read as f64 / 1e6;
                pb.set_message(format!(
                    "{mb:.1} MB  {:.1} MB/s  {:.0} claims/s",
                    mb / secs,
                    summary.claims as f64 / secs
                ));
            }
        }
        Ok(())
    });
    result?;
    // A run that failed without one article for a new index creates none: no empty
    // index/ is left to be mistaken for one that holds the corpus.
    let failed = summary.files.failed > 0 || !found.errors.is_empty();
    if writer.is_new() && failed && writer.totals().documents == 0 {
        pb.suspend(|| {
            eprintln!(
                "claimdex: no index created at {}: nothing was ingested",
                escape(&summary.index)
            )
        });
    } else if writer.has_changes() {
        pb.set_message("committing");
        writer.commit()?;
    }
    let totals = writer.totals();
    pb.set_message("merging segments");
    writer.finish()?;
    // Reconciling reads every claim back (time and memory grow with the index), so only
    // when the index changed: an unchanged corpus re-ingests in the time it takes to hash it.
    // Above RECONCILE_MAX_CLAIMS it would hold too much in memory for an ingest, whose
    // memory must not grow with the corpus: the summary then points to `conflicts`.
    if !summary.is_noop() && !summary.interrupted && totals.claims <= RECONCILE_MAX_CLAIMS {
        pb.set_message("reconciling figures");
        let claims = crate::index::reader::keyed_shared_claims(dir)?;
        let groups = crate::reconcile::reconcile_shared(&claims, &crate::reconcile::Options::default());
        summary.disagreements = Some(
            groups
                .iter()
                .filter(|g| g.verdict != crate::reconcile::Verdict::Consistent)
                .count() as u64,
        );
    }
    drop(progress);

    let elapsed = started.elapsed().as_secs_f64();
    summary.documents_total = totals.documents;
    summary.claims_total = totals.claims;
    summary.elapsed_s = (elapsed * 1000.0).round() / 1000.0;
    summary.mb_per_s = ((summary.bytes_read as f64 / 1e6 / elapsed.max(1e-6)) * 100.0).round() / 100.0;
    let io = Error::stdout;
    if args.json {
        let line = crate::printable::json_line(&summary).map_err(|e| io(std::io::Error::other(e)))?;
        writeln!(out, "{line}").map_err(io)?;
    } else {
        summary.write_text(out).map_err(io)?;
    }
    out.flush().map_err(io)?;
    if summary.warnings > 0 && !args.quiet {
        let (n, s) = (summary.warnings, if summary.warnings == 1 { "" } else { "s" });
        eprintln!("claimdex: {n} warning{s}; claimdex stats --warnings lists them");
    }
    if summary.interrupted {
        eprintln!(
            "claimdex: interrupted: the files counted above are indexed and committed; \
             run the same ingest again to finish the rest"
        );
        return Ok(Exit::Interrupted);
    }
    // Skipped files (binary, empty, too large) are named but do not fail the run.
    let bad = summary.files.failed + summary.files.truncated + found.errors.len() as u64;
    Ok(if bad > 0 { Exit::Failure } else { Exit::Success })
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
}
