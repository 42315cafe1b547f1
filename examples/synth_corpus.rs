//! Writes the benchmark's synthetic corpus to a folder: web captures, HTML pages and
//! Markdown articles with claims of every kind, agreeing and disagreeing across articles,
//! deterministic for a seed (`claimdex::synth`, the generator `cargo bench --bench
//! pipeline` uses).
//!
//! ```sh
//! cargo run --release --example synth_corpus -- DIR              # 8 MB, seed 42
//! cargo run --release --example synth_corpus -- DIR 100M 7       # about 100 MB, seed 7
//! ```
//! DIR gets sub-folders of 1,000 articles each (`d000/`, `d001/`, ...) and
//! `manifest.tsv` (each file with the number of claims the generator wrote into it). The
//! size takes `K`, `M` or `G` (powers of 1024). The Spark driver's test
//! (`scale/test_spark.py`) and its measurements use it for corpora of any size.

use std::path::PathBuf;
use std::process::ExitCode;

use claimdex::synth;

/// `8M`, `100M`, `1G`, `300000`: bytes.
fn parse_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.as_bytes().last()? {
        b'K' | b'k' => (&s[..s.len() - 1], 1u64 << 10),
        b'M' | b'm' => (&s[..s.len() - 1], 1 << 20),
        b'G' | b'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synth_corpus DIR [SIZE] [SEED]";
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let Some(size) = parse_size(args.get(1).map_or("8M", String::as_str)) else {
        eprintln!("{usage}: SIZE is bytes, or a number with K, M or G");
        return ExitCode::from(2);
    };
    let Some(seed) = args.get(2).map_or(Some(42), |s| s.parse::<u64>().ok()) else {
        eprintln!("{usage}: SEED is a whole number");
        return ExitCode::from(2);
    };
    match synth::write_corpus(&dir, seed, size) {
        Ok(m) => {
            println!(
                "{}: {} files, {} bytes, {} claims (seed {seed})",
                dir.display(),
                m.files.len(),
                m.bytes,
                m.claims
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth_corpus: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
