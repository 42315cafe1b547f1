//! The pipeline benchmark: a deterministic synthetic corpus, each stage's throughput,
//! and bare tantivy on the same files as the reference.
//!
//! ```sh
//! cargo bench --bench pipeline -- --size 100M            # table
//! cargo bench --bench pipeline -- --size 100M --json     # one JSON object
//! cargo bench --bench pipeline -- --size 2M --runs 1     # the CI smoke run
//! ```
//! Options: `--size N[K|M|G]` corpus bytes (default 100M), `--seed S` (42), `--runs R`
//! (3; medians are reported), `--jobs J` (all cores), `--dir D` where the corpus is
//! generated (default `target/bench-corpus/<size>-<seed>`, reused when present).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use claimdex::clean::{self, Format};
use claimdex::read;
use claimdex::{extract, procinfo, segment, synth};
use rayon::prelude::*;
use serde_json::json;
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, TantivyDocument};

/// The tantivy writer budget used for the reference (the same one ingest uses).
const WRITER_BUDGET: usize = 256 * 1024 * 1024;

struct Opts {
    size: u64,
    seed: u64,
    runs: usize,
    jobs: usize,
    json: bool,
    dir: Option<PathBuf>,
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
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--size" => o.size = parse_size(&val()?).ok_or("bad --size")?,
            "--seed" => o.seed = val()?.parse().map_err(|_| "bad --seed")?,
            "--runs" => o.runs = val()?.parse().map_err(|_| "bad --runs")?,
            "--jobs" => o.jobs = val()?.parse().map_err(|_| "bad --jobs")?,
            "--dir" => o.dir = Some(PathBuf::from(val()?)),
            "--json" => o.json = true,
            "--bench" => {}
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mbs(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / (1 << 20) as f64 / d.as_secs_f64().max(1e-9)
}

/// A generated corpus: its folder, each file with its expected claims, total bytes.
struct Corpus {
    dir: PathBuf,
    files: Vec<(PathBuf, usize)>,
    bytes: u64,
}

fn corpus(o: &Opts) -> Result<Corpus, String> {
    let dir = o.dir.clone().unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus/{}-{}", o.size, o.seed))
    });
    let manifest = dir.join("manifest.tsv");
    if !manifest.exists() {
        eprintln!("generating {} MB corpus in {} ...", o.size >> 20, dir.display());
        synth::write_corpus(&dir, o.seed, o.size).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let tsv = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut files = Vec::new();
    let mut bytes = 0;
    for line in tsv.lines() {
        let (name, claims) = line.split_once('\t').ok_or("bad manifest")?;
        let path = dir.join(name);
        bytes += std::fs::metadata(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        files.push((path, claims.parse().map_err(|_| "bad manifest count")?));
    }
    Ok(Corpus { dir, files, bytes })
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

fn bare_tantivy(texts: &[(Format, String)], jobs: usize) -> Result<(Duration, u64), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut sb = Schema::builder();
    let body = sb.add_text_field("body", TEXT);
    let index = Index::create_in_dir(dir.path(), sb.build()).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let mut w = index
        .writer_with_num_threads::<TantivyDocument>(jobs, WRITER_BUDGET)
        .map_err(|e| e.to_string())?;
    for (_, text) in texts {
        let mut d = TantivyDocument::new();
        d.add_text(body, text);
        w.add_document(d).map_err(|e| e.to_string())?;
    }
    w.commit().map_err(|e| e.to_string())?;
    w.wait_merging_threads().map_err(|e| e.to_string())?;
    let took = t.elapsed();
    Ok((took, dir_size(dir.path())))
}

fn dir_size(p: &Path) -> u64 {
    walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let o = opts()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.jobs)
        .build()
        .map_err(|e| e.to_string())?;
    let Corpus { dir, files, bytes } = corpus(&o)?;
    let expected_claims: usize = files.iter().map(|f| f.1).sum();
    let nfiles = files.len();

    // Stage by stage, each over the whole corpus, in parallel over files.
    let (t_read, texts) = timed(o.runs, || {
        pool.install(|| {
            files
                .par_iter()
                .filter_map(|(p, _)| {
                    read::read_file(p, read::DEFAULT_MAX_FILE_SIZE)
                        .ok()
                        .map(|t| (Format::from_path(p), t.text))
                })
                .collect::<Vec<_>>()
        })
    });
    let (t_clean, cleaned) = timed(o.runs, || {
        pool.install(|| {
            texts
                .par_iter()
                .map(|(f, t)| clean::clean(t.clone(), *f))
                .collect::<Vec<_>>()
        })
    });
    let (t_segment, units) = timed(o.runs, || {
        pool.install(|| cleaned.par_iter().map(segment::segment).collect::<Vec<_>>())
    });
    let (t_extract, claims) = timed(o.runs, || {
        pool.install(|| {
            cleaned
                .par_iter()
                .zip(units.par_iter())
                .map(|(c, u)| extract::extract(c, u).claims.len())
                .sum::<usize>()
        })
    });
    let units_n: usize = units.iter().map(Vec::len).sum();
    let rss_stages = procinfo::peak_rss_bytes().unwrap_or(0);
    drop(units);
    drop(cleaned);

    let (t_bare, bare_bytes) = {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..o.runs.max(1) {
            let (t, s) = bare_tantivy(&texts, o.jobs)?;
            times.push(t);
            size = s;
        }
        (median(times), size)
    };

    let stage = |name: &str, t: Duration| {
        json!({"stage": name, "seconds": t.as_secs_f64(), "mb_per_s": mbs(bytes, t),
               "files_per_s": nfiles as f64 / t.as_secs_f64().max(1e-9),
               "claims_per_s": claims as f64 / t.as_secs_f64().max(1e-9)})
    };
    let report = json!({
        "corpus": {"dir": dir.display().to_string(), "bytes": bytes, "files": nfiles, "seed": o.seed,
                   "expected_claims": expected_claims, "extracted_claims": claims, "units": units_n},
        "jobs": o.jobs, "runs": o.runs,
        "stages": [stage("read", t_read), stage("clean", t_clean), stage("segment", t_segment),
                   stage("extract", t_extract)],
        "peak_rss_stages_bytes": rss_stages,
        "bare_tantivy": {"seconds": t_bare.as_secs_f64(), "mb_per_s": mbs(bytes, t_bare),
                         "index_bytes_per_input_byte": bare_bytes as f64 / bytes as f64},
    });
    if o.json {
        println!("{report}");
        return Ok(());
    }
    println!(
        "corpus: {} files, {:.1} MB, {} claims expected, {} extracted ({} jobs, median of {} runs)",
        nfiles,
        bytes as f64 / (1 << 20) as f64,
        expected_claims,
        claims,
        o.jobs,
        o.runs
    );
    println!(
        "{:<16} {:>9} {:>10} {:>12} {:>12}",
        "stage", "seconds", "MB/s", "files/s", "claims/s"
    );
    for s in report["stages"].as_array().into_iter().flatten() {
        println!(
            "{:<16} {:>9.3} {:>10.1} {:>12.0} {:>12.0}",
            s["stage"].as_str().unwrap_or(""),
            s["seconds"].as_f64().unwrap_or(0.0),
            s["mb_per_s"].as_f64().unwrap_or(0.0),
            s["files_per_s"].as_f64().unwrap_or(0.0),
            s["claims_per_s"].as_f64().unwrap_or(0.0)
        );
    }
    println!(
        "{:<16} {:>9.3} {:>10.1}   index/input {:.2}",
        "bare tantivy",
        t_bare.as_secs_f64(),
        mbs(bytes, t_bare),
        bare_bytes as f64 / bytes as f64
    );
    println!(
        "peak RSS (stages, corpus held in memory): {:.0} MB",
        rss_stages as f64 / (1 << 20) as f64
    );
    Ok(())
}
