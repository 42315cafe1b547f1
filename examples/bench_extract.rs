//! Extract-only throughput on a deterministic synthetic corpus.
//!
//! ```sh
//! cargo run --release --example bench_extract            # 32 MB, seed 7
//! cargo run --release --example bench_extract -- 64 3    # 64 MB, seed 3
//! cargo run --release --example bench_extract -- DIR      # the .txt/.md/.html files under DIR
//! ```
//! Articles come from `claimdex::synth` (web captures, HTML and Markdown with claims,
//! traps, markers and source lists). Cleaning and segmentation run before the clock
//! starts; the clock times `extract` alone, best of three runs, on one thread and on
//! all threads of the rayon pool. MB are megabytes of cleaned article text. The
//! one-thread run also reports MB per second of this process's CPU time (from
//! `/proc/self/stat`), which other load on the machine does not deflate. The allocator is
//! the binary's (mimalloc).

use std::time::Instant;

use claimdex::clean::{self, Format};
use claimdex::{extract, segment, synth};
use rayon::prelude::*;

/// The allocator of the `claimdex` binary, so that extraction is timed as users run it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let dir = args.peek().filter(|a| std::path::Path::new(a).is_dir()).cloned();
    let mb: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let target = if dir.is_some() { 0 } else { mb * 1_000_000 };

    let mut docs = Vec::new();
    let mut bytes = 0usize;
    if let Some(dir) = &dir {
        let found = claimdex::walk::walk(&[std::path::PathBuf::from(dir)]);
        for path in &found.files {
            let Ok(text) = claimdex::read::read_file(path, claimdex::read::DEFAULT_MAX_FILE_SIZE) else {
                continue;
            };
            let format = Format::of(path, &text.text);
            let cleaned = clean::clean(text.text, format);
            let units = segment::segment(&cleaned);
            bytes += cleaned.text.len();
            docs.push((cleaned, units));
        }
    }
    let mut i = 0;
    while bytes < target {
        let a = synth::article(seed, i, synth::file_size(seed, i));
        let format = match a.form {
            synth::Form::Html => Format::Html,
            synth::Form::Markdown => Format::Markdown,
            _ => Format::Text,
        };
        let cleaned = clean::clean(a.text, format);
        let units = segment::segment(&cleaned);
        bytes += cleaned.text.len();
        docs.push((cleaned, units));
        i += 1;
    }
    let total_mb = bytes as f64 / 1e6;
    let lex = extract::Lexicon::builtin();

    let mut best_one = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut best_all = f64::MAX;
    let mut claims = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let cpu = cpu_seconds();
        claims = docs
            .iter()
            .map(|(c, u)| extract::extract_with(c, u, &lex).claims.len())
            .sum::<usize>();
        best_one = best_one.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu, cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
        let t = Instant::now();
        let n: usize = docs
            .par_iter()
            .map(|(c, u)| extract::extract_with(c, u, &lex).claims.len())
            .sum();
        best_all = best_all.min(t.elapsed().as_secs_f64());
        assert_eq!(n, claims, "parallel and serial runs agree");
    }
    let per_cpu = if best_cpu < f64::MAX && best_cpu > 0.0 {
        format!(" ({:.0} MB per CPU-second)", total_mb / best_cpu)
    } else {
        String::new()
    };
    println!(
        "extract: {} files, {total_mb:.1} MB, {claims} claims; 1 thread {:.0} MB/s{per_cpu}; {} threads {:.0} MB/s",
        docs.len(),
        total_mb / best_one,
        rayon::current_num_threads(),
        total_mb / best_all
    );
}

/// User + system CPU time of this process so far, from `/proc/self/stat` (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
