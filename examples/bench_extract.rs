//! Extract-only throughput on a deterministic synthetic corpus.
//!
//! ```sh
//! cargo run --release --example bench_extract            # 32 MB, seed 7
//! cargo run --release --example bench_extract -- 64 3    # 64 MB, seed 3
//! ```
//! Articles come from `claimdex::synth` (web captures, HTML and Markdown with claims,
//! traps, markers and source lists). Cleaning and segmentation run before the clock
//! starts; the clock times `extract` alone, best of three runs, on one thread and on
//! all threads of the rayon pool. MB are megabytes of cleaned article text.

use std::time::Instant;

use claimdex::clean::{self, Format};
use claimdex::{extract, segment, synth};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let target = mb * 1_000_000;

    let mut docs = Vec::new();
    let mut bytes = 0usize;
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
    let mut best_all = f64::MAX;
    let mut claims = 0;
    for _ in 0..3 {
        let t = Instant::now();
        claims = docs
            .iter()
            .map(|(c, u)| extract::extract_with(c, u, &lex).claims.len())
            .sum::<usize>();
        best_one = best_one.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let n: usize = docs
            .par_iter()
            .map(|(c, u)| extract::extract_with(c, u, &lex).claims.len())
            .sum();
        best_all = best_all.min(t.elapsed().as_secs_f64());
        assert_eq!(n, claims, "parallel and serial runs agree");
    }
    println!(
        "extract: {} files, {total_mb:.1} MB, {claims} claims; 1 thread {:.0} MB/s; {} threads {:.0} MB/s",
        docs.len(),
        total_mb / best_one,
        rayon::current_num_threads(),
        total_mb / best_all
    );
}
