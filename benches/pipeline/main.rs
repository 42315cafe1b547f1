//! The pipeline benchmark: a deterministic synthetic corpus, each stage's throughput,
//! and bare tantivy on the same files as the reference. One [`report::Report`] holds
//! what a run measured; `--json` writes it as one object, else a table and the targets.
//!
//! ```sh
//! cargo bench --bench pipeline -- --size 128M --memory-at 1G  # every figure, the targets judged
//! cargo bench --bench pipeline -- --size 100M            # table
//! cargo bench --bench pipeline -- --size 100M --json     # one JSON object
//! cargo bench --bench pipeline -- --size 2M --runs 1     # the CI smoke run
//! cargo bench --bench pipeline -- --pathological --runs 1 # cost bounds on hostile shapes,
//!                                                          # and issue 15's hostile files
//! ```
//! After the end-to-end ingest, `claimdex conflicts` is timed over the index it built
//! (seconds, claims per second and peak RSS; MB/s does not apply). `--e2e-only` skips
//! the stage rows and `conflicts`: ingest, bare tantivy and search only.
//! Options: `--size N[K|M|G]` corpus bytes (default 100M), `--seed S` (42), `--runs R`
//! (3; medians are reported), `--jobs J` (all cores), `--dir D` where the corpus is
//! generated (default `target/bench-corpus/<size>-<seed>`, reused when present).
//! `--memory-at SIZE` adds one ingest of a SIZE corpus (same seed) for its peak RSS, to
//! compare with the main run's; the run ends with the issue's targets, each met or missed.
//! `--search-only --index DIR` times only the search queries, on an index already built
//! (e.g. `target/bench-corpus/104857600-42.index` after a full run), `--runs` times;
//! `--conflicts-only --index DIR` only `claimdex conflicts` (time and peak RSS), and
//! `--memory SIZE` passes its budget on.

mod corpus;
mod e2e;
mod pathological;
mod report;
mod search;
mod stages;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use corpus::corpus;
use report::{E2e, MemoryAt, Report};

/// The allocator of the `claimdex` binary, so that the stages run in this process are
/// timed as users run them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Opts {
    size: u64,
    seed: u64,
    runs: usize,
    jobs: usize,
    json: bool,
    dir: Option<PathBuf>,
    /// Skip the in-memory stage timings (for corpora too big to hold in memory).
    e2e_only: bool,
    /// Only the cost bounds on pathological inputs (see [`pathological`]).
    pathological: bool,
    /// Only the search latency, on this existing index.
    search_only: Option<PathBuf>,
    /// Only `conflicts`, on the index of `search_only` (`--conflicts-only`).
    conflicts_only: bool,
    /// `conflicts --memory` (its default when absent).
    memory: Option<String>,
    /// After the main run, one ingest of a generated corpus this large, for its peak RSS.
    memory_at: Option<u64>,
}

fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1u64 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<f64>().ok().map(|n| (n * mult as f64) as u64)
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        size: 100 << 20,
        seed: 42,
        runs: 3,
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        json: false,
        dir: None,
        e2e_only: false,
        pathological: false,
        search_only: None,
        conflicts_only: false,
        memory: None,
        memory_at: None,
    };
    let mut search_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--size" => o.size = parse_size(&val()?).ok_or("bad --size")?,
            "--memory-at" => o.memory_at = Some(parse_size(&val()?).ok_or("bad --memory-at")?),
            "--seed" => o.seed = val()?.parse().map_err(|_| "bad --seed")?,
            "--runs" => o.runs = val()?.parse().map_err(|_| "bad --runs")?,
            "--jobs" => o.jobs = val()?.parse().map_err(|_| "bad --jobs")?,
            "--dir" => o.dir = Some(PathBuf::from(val()?)),
            "--json" => o.json = true,
            "--e2e-only" => o.e2e_only = true,
            "--pathological" => o.pathological = true,
            "--search-only" => search_only = true,
            "--conflicts-only" => o.conflicts_only = true,
            "--memory" => o.memory = Some(val()?),
            "--index" => o.search_only = Some(PathBuf::from(val()?)),
            "--bench" => {}
            other => return Err(format!("unknown option {other}")),
        }
    }
    if (search_only || o.conflicts_only) != o.search_only.is_some() || (search_only && o.conflicts_only) {
        return Err("--index DIR goes with one of --search-only and --conflicts-only".into());
    }
    Ok(o)
}

/// The middle of some durations.
fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// MiB per second.
fn mbs(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / (1 << 20) as f64 / d.as_secs_f64().max(1e-9)
}

/// Times `f` `runs` times, returning the median and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let o = opts()?;
    if o.pathological {
        return pathological::run(&o);
    }
    match &o.search_only {
        Some(index) if o.conflicts_only => return e2e::conflicts_only(index, &o),
        Some(index) => return search::only(index, &o),
        None => {}
    }
    let report = measure(&o)?;
    if o.json {
        println!("{}", report.json());
    } else {
        report.print();
    }
    Ok(())
}

/// Every figure of a full run: the stages in memory (unless `--e2e-only`), ingest and
/// bare tantivy end to end, search, `conflicts` and the `--memory-at` ingest.
fn measure(o: &Opts) -> Result<Report, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.jobs)
        .build()
        .map_err(|e| e.to_string())?;
    let corpus = corpus(o.size, o.seed, o.dir.as_deref())?;
    let stages = (!o.e2e_only).then(|| stages::run(&pool, &corpus.files, o.runs, o.jobs));
    let e2e = end_to_end(&corpus, o)?;
    let search = search::latency(&e2e.index_dir)?;
    let search_open = search::latency_open(&e2e.index_dir)?;
    // `--e2e-only` measures ingest (and its memory) alone: `conflicts` over a large
    // index holds every keyed claim and would dominate the run.
    let conflicts = if o.e2e_only {
        None
    } else {
        Some(e2e::conflicts_e2e(&e2e.index_dir, o.runs, o.memory.as_deref())?)
    };
    let memory_at = o.memory_at.map(|size| memory_at(size, o)).transpose()?;
    Ok(Report {
        seed: o.seed,
        jobs: o.jobs,
        runs: o.runs,
        corpus,
        stages,
        e2e,
        search,
        search_open,
        conflicts,
        memory_at,
    })
}

/// The binary's ingest and bare tantivy on the corpus, `--runs` times each (medians).
fn end_to_end(corpus: &corpus::Corpus, o: &Opts) -> Result<E2e, String> {
    let index_dir = corpus.dir.with_extension("index");
    let (mut ingest, mut bare) = (Vec::new(), Vec::new());
    let (mut peak, mut summary, mut bare_size) = (0, serde_json::json!(null), 0);
    for _ in 0..o.runs.max(1) {
        let (t, p, s) = e2e::ingest_e2e(&corpus.dir, &index_dir, o.jobs)?;
        ingest.push(t);
        peak = peak.max(p);
        summary = s;
        let (t, size) = e2e::bare_tantivy(&corpus.files, o.jobs)?;
        bare.push(t);
        bare_size = size;
    }
    Ok(E2e {
        ingest: median(ingest),
        bare: median(bare),
        peak,
        index_bytes: e2e::dir_size(&index_dir),
        indexed_claims: summary["claims_total"].as_u64().unwrap_or(0),
        bare_size,
        index_dir,
    })
}

/// Memory at another size: one ingest of a corpus of `--memory-at` bytes (its own folder,
/// same seed), to show that peak RSS does not grow with the input.
fn memory_at(size: u64, o: &Opts) -> Result<MemoryAt, String> {
    let big = corpus(size, o.seed, None)?;
    let (took, peak, s) = e2e::ingest_e2e(&big.dir, &big.dir.with_extension("index"), o.jobs)?;
    Ok(MemoryAt {
        bytes: big.bytes,
        files: big.files.len(),
        took,
        claims: s["claims_total"].as_u64().unwrap_or(0),
        peak,
    })
}
