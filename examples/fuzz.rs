//! A seeded fuzz driver for `clean` and `extract` (no nightly toolchain needed).
//!
//! ```sh
//! cargo run --release --example fuzz -- --target extract --seconds 600 --seed 1
//! cargo run --release --example fuzz -- --target clean --seconds 600 --seed 2
//! ```
//! Inputs are synthetic articles (`claimdex::synth`), corpus files and random bytes,
//! mutated by splicing hostile fragments, flipping bytes and cutting. Each input runs
//! through read -> clean -> segment (-> extract) under `catch_unwind`, and the output
//! is checked by `claimdex::invariants::check`. A failing input is written to
//! `tests/fixtures/regressions/<target>-<n>.<ext>`, where the property tests replay it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use claimdex::clean::{self, Format};
use claimdex::synth::{self, Rng};
use claimdex::{extract, invariants, read, segment};

const FRAGMENTS: &[&str] = &[
    "\0",
    "\r",
    "\r\n",
    "\n\n",
    "\u{200F}",
    "\u{200B}",
    "\u{00A0}",
    "\u{FEFF}",
    "１２３．５％",
    "$",
    "£",
    "€",
    "%",
    "bn",
    " billion",
    " million",
    " percent",
    " per cent",
    " gigawatts",
    "-",
    "–",
    "between ",
    " and ",
    "up to ",
    "more than ",
    "[",
    "]",
    "[^",
    "^]",
    "¹⁶",
    "²",
    "16,17.",
    " 6.",
    "U.S.",
    "e.g.",
    "Inc.",
    "Q2 FY2026",
    "GPT-4",
    "$MSFT",
    "<p>",
    "</p>",
    "<div>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "&amp;",
    "&#",
    "&#x1F600;",
    "# ",
    "\n- ",
    "\n1. ",
    "Sources\n",
    "References\n",
    "\n16. Title - 2026-04-13\n",
    "😀",
    "\u{FFFD}",
    "0.",
    ".5",
    "1,",
    "9999999999999999999999",
    "1e308",
    "twenty-one",
    "a dozen",
    "half a billion",
    "threefold",
    "3x",
];

struct Opts {
    target: String,
    seconds: u64,
    seed: u64,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        target: "extract".into(),
        seconds: 60,
        seed: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--target" => o.target = val()?,
            "--seconds" => o.seconds = val()?.parse().map_err(|_| "bad --seconds")?,
            "--seed" => o.seed = val()?.parse().map_err(|_| "bad --seed")?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    if o.target != "extract" && o.target != "clean" {
        return Err("--target is extract or clean".into());
    }
    Ok(o)
}

fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    // The walk lists the article files in sorted order.
    claimdex::walk::walk(&[dir])
        .files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

fn input(rng: &mut Rng, seeds: &[Vec<u8>], i: usize) -> Vec<u8> {
    let mut v = match rng.below(10) {
        0 => (0..rng.below(4096)).map(|_| rng.next_u64() as u8).collect(),
        1..=4 if !seeds.is_empty() => rng.pick(seeds).clone(),
        _ => synth::article(rng.next_u64(), i, 500 + rng.below(20_000))
            .text
            .into_bytes(),
    };
    for _ in 0..1 + rng.below(32) {
        let at = rng.below(v.len() + 1);
        match rng.below(5) {
            0..=2 => {
                let f = rng.pick(FRAGMENTS).as_bytes();
                v.splice(at..at, f.iter().copied());
            }
            3 if at < v.len() => v[at] ^= 1 << rng.below(8),
            _ => v.truncate(at.max(v.len() / 2)),
        }
    }
    v
}

fn run_one(target: &str, bytes: &[u8], format: Format) -> Result<(), String> {
    let Ok(text) = read::decode(bytes) else { return Ok(()) };
    let cleaned = clean::clean(text.text, format);
    let units = segment::segment(&cleaned);
    let ex = if target == "extract" {
        extract::extract(&cleaned, &units)
    } else {
        Default::default()
    };
    invariants::check(&cleaned, &units, &ex)
}

fn main() {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("fuzz: {e}");
            std::process::exit(2);
        }
    };
    std::panic::set_hook(Box::new(|_| {}));
    let seeds = corpus();
    let mut rng = Rng::new(o.seed);
    let end = Instant::now() + Duration::from_secs(o.seconds);
    let (mut execs, mut findings, mut bytes_total, mut slowest) = (0u64, 0u32, 0u64, Duration::ZERO);
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    while Instant::now() < end {
        let data = input(&mut rng, &seeds, execs as usize);
        let format = [Format::Text, Format::Markdown, Format::Html][rng.below(3)];
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| run_one(&o.target, &data, format)));
        slowest = slowest.max(t.elapsed());
        execs += 1;
        bytes_total += data.len() as u64;
        let problem = match result {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(p) => p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into()),
        };
        findings += 1;
        let ext = match format {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
        };
        let path = out_dir.join(format!("{}-{}-{}.{ext}", o.target, o.seed, execs));
        let _ = std::fs::write(&path, &data);
        eprintln!("finding #{findings}: {problem}\n  input saved to {}", path.display());
    }
    println!(
        "fuzz target={} seed={} seconds={} executions={} input_mb={:.1} slowest_input_ms={} findings={}",
        o.target,
        o.seed,
        o.seconds,
        execs,
        bytes_total as f64 / 1e6,
        slowest.as_millis(),
        findings
    );
    if findings > 0 {
        std::process::exit(1);
    }
}
