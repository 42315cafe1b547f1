//! `claimdex report --from`: the groups `conflicts` wrote as JSON (`jsonl` or `json`) make
//! the same report `conflicts` makes, in every format, with the same `--verdict`, `--top`
//! and `--output`; a file that is not such a report is refused, naming the file and line.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_claimdex");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).current_dir(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_report_from_the_json_groups_is_the_report_conflicts_writes() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    ok(dir, &["ingest", "-q", "--index", "idx", "corpus"]);
    fs::write(
        dir.join("g.jsonl"),
        ok(dir, &["conflicts", "--index", "idx", "--format", "jsonl"]),
    )
    .unwrap();
    let all = ["conflicts", "--index", "idx", "--format", "json", "--verdict", "all"];
    fs::write(dir.join("g.json"), ok(dir, &all)).unwrap();
    let shapes: [&[&str]; 4] = [
        &[],
        &["--verdict", "conflict,explained"],
        &["--top", "3"],
        &["--verdict", "all"],
    ];
    for format in ["md", "json", "jsonl", "csv", "html"] {
        for shape in shapes {
            let mut want = vec!["conflicts", "--index", "idx", "--format", format];
            want.extend(shape);
            let want = ok(dir, &want);
            for from in ["g.jsonl", "g.json"] {
                let mut got = vec!["report", "--from", from, "--format", format];
                got.extend(shape);
                assert!(ok(dir, &got) == want, "{format} {shape:?} from {from}");
            }
        }
    }
    // Groups in any order (as `reconcile judge` runs give them), sorted on disk past a
    // budget of a few groups: the same report.
    let lines = fs::read_to_string(dir.join("g.jsonl")).unwrap();
    let reversed: Vec<&str> = lines.lines().rev().collect();
    assert!(reversed.len() > 5);
    fs::write(dir.join("rev.jsonl"), reversed.join("\n")).unwrap();
    for format in ["md", "json", "csv"] {
        let want = ok(
            dir,
            &["conflicts", "--index", "idx", "--format", format, "--verdict", "all"],
        );
        for memory in ["256M", "4K"] {
            let got = [
                "report",
                "--from",
                "rev.jsonl",
                "--format",
                format,
                "--verdict",
                "all",
                "--memory",
                memory,
            ];
            assert!(ok(dir, &got) == want, "{format} --memory {memory}");
        }
    }
    // --output names the format by its extension, as for conflicts.
    ok(dir, &["conflicts", "--index", "idx", "-o", "c.html"]);
    ok(dir, &["report", "--from", "g.jsonl", "-o", "r.html"]);
    assert_eq!(
        fs::read(dir.join("c.html")).unwrap(),
        fs::read(dir.join("r.html")).unwrap()
    );
}

#[test]
fn a_file_that_is_not_a_report_is_refused_by_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("notes.jsonl"), "\n{\"subject\": \"x\"}\n").unwrap();
    let out = run(dir, &["report", "--from", "notes.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.jsonl:2: not a group"));
    assert!(out.stdout.is_empty(), "nothing of a report is written");
    let out = run(dir, &["report", "--from", "missing.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jsonl"));
}
