//! Property tests: read, clean and segment never panic and keep their invariants on
//! arbitrary bytes and on corpus articles mutated in hostile ways.
//!
//! CI runs a modest number of cases; set `PROPTEST_CASES=10000` for a longer run.

use std::path::Path;

use claimdex::clean::{self, Format};
use claimdex::{extract, invariants, read, segment};
use proptest::prelude::*;

fn check_invariants(bytes: &[u8], format: Format) {
    let Ok(text) = read::decode(bytes) else { return };
    let cleaned = clean::clean(text.text, format);
    let units = segment::segment(&cleaned);
    let ex = extract::extract(&cleaned, &units);
    if let Err(e) = invariants::check(&cleaned, &units, &ex) {
        panic!("{e}");
    }
    // Deterministic: the same input gives the same units and claims.
    let again = clean::clean(cleaned.text.clone(), format);
    if format != Format::Html {
        let again_units = segment::segment(&again);
        assert_eq!(units, again_units);
        assert_eq!(ex.claims, extract::extract(&again, &again_units).claims);
    }
}

fn corpus_texts() -> Vec<(Format, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok().map(|b| (Format::from_path(p), b)))
        .collect()
}

/// Hostile things to splice into an article.
const INSERTS: &[&str] = &[
    "\0",
    "\r",
    "\u{200F}",
    "\u{200B}",
    "\u{00A0}",
    "\u{FEFF}",
    "１２３．５％",
    "$1\u{200B}0 billion",
    "4\u{00A0}5%",
    "U.S.",
    "...",
    "[^",
    "[3–",
    "¹⁶",
    "<div><div><p>",
    "</p></div>",
    "\n\n# ",
    "\n- ",
    "\n1. ",
    "\u{FFFD}",
    "😀",
];

fn mutate(base: &[u8], ops: &[(usize, usize)]) -> Vec<u8> {
    let mut v = base.to_vec();
    for &(at, which) in ops {
        let at = at % (v.len() + 1);
        let ins = INSERTS[which % INSERTS.len()].as_bytes();
        v.splice(at..at, ins.iter().copied());
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), f in 0usize..3) {
        let format = [Format::Text, Format::Markdown, Format::Html][f];
        check_invariants(&bytes, format);
    }

    #[test]
    fn utf16_with_lone_surrogates(units in proptest::collection::vec(any::<u16>(), 0..512), le in any::<bool>()) {
        let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in units {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        check_invariants(&bytes, Format::Text);
    }

    #[test]
    fn mutated_corpus_articles(which in 0usize..64, ops in proptest::collection::vec((any::<usize>(), any::<usize>()), 1..24)) {
        let texts = corpus_texts();
        prop_assume!(!texts.is_empty());
        let (format, base) = &texts[which % texts.len()];
        check_invariants(&mutate(base, &ops), *format);
    }
}

#[test]
fn pathological_shapes() {
    let long_line = "The backlog grew 6. ".repeat(50_000);
    check_invariants(long_line.as_bytes(), Format::Text);
    let cr_only = "Title\rBy Ada Lin\r\rMicrosoft put $1 billion in. It grew.\r".repeat(1000);
    check_invariants(cr_only.as_bytes(), Format::Text);
    let nested = format!(
        "<html><body>{}<p>Deep $5 billion.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    check_invariants(nested.as_bytes(), Format::Html);
    let digits = "1234567890".repeat(100_000);
    check_invariants(digits.as_bytes(), Format::Text);
    let mut sources = String::from("Article\n\nA claim 1.\n\nSources\n");
    for n in 1..=10_000 {
        sources.push_str(&format!("{n}. A cited piece number {n} - 2026-04-13\n"));
    }
    check_invariants(sources.as_bytes(), Format::Text);
}

/// Every input that ever broke something (saved by `examples/fuzz.rs` or by hand).
#[test]
fn regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths.iter().filter(|p| p.extension().is_some_and(|e| e != "gitkeep")) {
        let bytes = std::fs::read(p).unwrap_or_default();
        check_invariants(&bytes, Format::from_path(p));
    }
}
