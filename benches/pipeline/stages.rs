//! The stages one by one, each over the whole corpus held in memory, parallel over files:
//! read, clean, segment, extract, then the index stage writing documents already
//! extracted through claimdex's writer.

use std::path::PathBuf;
use std::time::Duration;

use claimdex::clean::{self, Format};
use claimdex::index::writer::{BUDGET_PER_THREAD, ClaimWriter, MAX_INDEX_THREADS, WriterOptions};
use claimdex::pipeline::{self, Options};
use claimdex::{extract, procinfo, read, segment};
use rayon::prelude::*;

use super::timed;

/// What the stage run measured.
pub(crate) struct StageRun {
    /// Each stage's name and median time.
    pub(crate) times: Vec<(&'static str, Duration)>,
    /// Claims the extract stage found.
    pub(crate) claims: usize,
    /// Peak RSS of this process after the run.
    pub(crate) rss: Option<u64>,
}

/// Times each stage `runs` times over `files` on `pool`.
pub(crate) fn run(pool: &rayon::ThreadPool, files: &[(PathBuf, usize)], runs: usize, jobs: usize) -> StageRun {
    let (t_read, texts) = timed(runs, || {
        pool.install(|| {
            files
                .par_iter()
                .filter_map(|(p, _)| {
                    read::read_file(p, read::DEFAULT_MAX_FILE_SIZE)
                        .ok()
                        .map(|t| (Format::of(p, &t.text), t.text))
                })
                .collect::<Vec<_>>()
        })
    });
    let (t_clean, cleaned) = timed(runs, || {
        pool.install(|| {
            texts
                .par_iter()
                .map(|(f, t)| clean::clean(t.clone(), *f))
                .collect::<Vec<_>>()
        })
    });
    let (t_segment, units) = timed(runs, || {
        pool.install(|| cleaned.par_iter().map(segment::segment).collect::<Vec<_>>())
    });
    let (t_extract, claims) = timed(runs, || {
        pool.install(|| {
            cleaned
                .par_iter()
                .zip(units.par_iter())
                .map(|(c, u)| extract::extract(c, u).claims.len())
                .sum::<usize>()
        })
    });
    drop((texts, cleaned, units));
    let t_index = index_stage(pool, files, runs, jobs);
    let times = vec![
        ("read", t_read),
        ("clean", t_clean),
        ("segment", t_segment),
        ("extract", t_extract),
        ("index", t_index),
    ];
    StageRun {
        times,
        claims,
        rss: procinfo::peak_rss_bytes(),
    }
}

/// The index stage: documents already extracted, written through claimdex's writer with
/// ingest's threads and memory budget.
fn index_stage(pool: &rayon::ThreadPool, files: &[(PathBuf, usize)], runs: usize, jobs: usize) -> Duration {
    let opts = Options::default();
    let docs: Vec<_> = pool.install(|| {
        files
            .par_iter()
            .filter_map(|(p, _)| pipeline::process_file(p, &opts).ok())
            .collect()
    });
    let (t_index, ()) = timed(runs, || {
        let tmp = tempfile::tempdir().expect("temp dir");
        let threads = jobs.clamp(1, MAX_INDEX_THREADS);
        let wo = WriterOptions {
            threads,
            memory_budget: threads * BUDGET_PER_THREAD,
            rebuild: false,
        };
        let mut w = ClaimWriter::open(tmp.path(), &wo).expect("open writer");
        for d in &docs {
            w.add(d, 0).expect("add document");
        }
        w.finish().expect("commit");
    });
    t_index
}
