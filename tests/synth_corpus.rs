//! The benchmark's synthetic corpus: deterministic, and every claim it says a file
//! holds is what ingest indexes for that file (so a benchmark run can trust its counts).

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use claimdex::synth;

#[test]
fn generator_is_deterministic_and_ingest_finds_exactly_its_claims() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let ma = synth::write_corpus(a.path(), 7, 300_000).unwrap();
    let mb = synth::write_corpus(b.path(), 7, 300_000).unwrap();
    assert_eq!(ma.files.len(), mb.files.len());
    for ((pa, ca), (pb, cb)) in ma.files.iter().zip(&mb.files) {
        assert_eq!(ca, cb);
        assert_eq!(fs::read(pa).unwrap(), fs::read(pb).unwrap(), "{}", pa.display());
    }
    assert!(
        ma.files.len() >= 10 && ma.claims > 1000,
        "{} files, {} claims",
        ma.files.len(),
        ma.claims
    );

    let index = a.path().join("index");
    let out = Command::new(env!("CARGO_BIN_EXE_claimdex"))
        .arg("ingest")
        .arg(a.path())
        .arg("--index")
        .arg(&index)
        .args(["--quiet", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for c in claimdex::index::reader::all_claims(&index).unwrap() {
        *found.entry(c.path).or_default() += 1;
    }
    let mut wrong = Vec::new();
    for (path, want) in &ma.files {
        let got = found.get(&*path.to_string_lossy()).copied().unwrap_or(0);
        if got != *want {
            wrong.push(format!("{}: {got} claims, generator says {want}", path.display()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
