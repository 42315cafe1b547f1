//! `claimdex index merge`: shards ingested apart, merged, answer as one ingest of all
//! their articles does (stats, search results with their scores, the conflict report);
//! shards that share an article, and a target that is not empty, are refused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_claimdex");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).current_dir(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The corpus's files, sorted, as paths relative to the test folder.
fn corpus_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(dir.join("corpus"))
        .unwrap()
        .map(|e| format!("corpus/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    files
}

fn ingest(dir: &Path, index: &str, files: &[String]) {
    let mut args = vec!["ingest", "-q", "--index", index];
    args.extend(files.iter().map(String::as_str));
    ok(dir, &args);
}

/// `stats --json` less what differs by layout: the index's path and size, its segments.
fn stats(dir: &Path, index: &str) -> Value {
    let mut v: Value = serde_json::from_str(&ok(dir, &["stats", "--json", "--index", index])).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in ["index", "index_bytes", "segments"] {
        assert!(o.remove(k).is_some(), "stats has no {k}");
    }
    v
}

/// What a user reads from an index: stats, searches (with scores) and the report.
fn answers(dir: &Path, index: &str) -> Vec<String> {
    let mut out = vec![stats(dir, index).to_string()];
    for q in ["revenue", "investment OpenAI", "gigawatts", "Microsoft stake"] {
        out.push(ok(dir, &["search", "--json", "--limit", "100", "--index", index, q]));
    }
    out.push(ok(
        dir,
        &["conflicts", "--format", "json", "--verdict", "all", "--index", index],
    ));
    out
}

/// The corpus in `n` shards of consecutive files, each ingested into `shard-i`.
fn shards(dir: &Path, files: &[String], n: usize) -> Vec<String> {
    let per = files.len().div_ceil(n);
    let mut names = Vec::new();
    for (i, part) in files.chunks(per).enumerate() {
        let name = format!("shard-{i}");
        ingest(dir, &name, part);
        names.push(name);
    }
    names
}

#[test]
fn merged_shards_answer_as_one_ingest_does() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    let files = corpus_files(dir);
    ingest(dir, "whole", &files);
    let whole = answers(dir, "whole");
    assert!(whole[1].lines().count() > 10, "the search finds claims: {}", whole[1]);
    for n in [2, 4] {
        let out = format!("merged-{n}");
        let mut args = vec!["index", "merge", out.as_str()];
        let names = shards(dir, &files, n);
        args.extend(names.iter().map(String::as_str));
        let said = ok(dir, &args);
        assert!(
            said.starts_with(&format!("merged {n} shards into merged-{n}: {} documents", files.len())),
            "{said}"
        );
        assert_eq!(answers(dir, &out), whole, "{n} shards");
        for name in names {
            fs::remove_dir_all(dir.join(name)).unwrap();
        }
    }
    // The merged index goes on as any other: nothing new in the same files.
    let mut again = vec!["ingest", "--index", "merged-2"];
    again.extend(files.iter().map(String::as_str));
    let said = ok(dir, &again);
    assert!(
        said.starts_with(&format!("up to date: {} files unchanged", files.len())),
        "{said}"
    );
}

#[test]
fn shards_that_share_an_article_are_refused() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    let files = corpus_files(dir);
    ingest(dir, "a", &files[..3]);
    ingest(dir, "b", &files[2..5]);
    let out = run(dir, &["index", "merge", "m", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let shared = files[2].trim_start_matches("corpus/");
    assert!(err.contains("shards share 1 article") && err.contains(shared), "{err}");
    assert!(!dir.join("m").exists(), "nothing is left behind");
    let hidden: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(
        hidden.iter().all(|p| !p.to_string_lossy().contains(".m.tmp")),
        "{hidden:?}"
    );
}

#[test]
fn a_target_that_is_not_empty_or_is_a_shard_is_refused() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    let files = corpus_files(dir);
    ingest(dir, "a", &files[..3]);
    fs::create_dir(dir.join("busy")).unwrap();
    fs::write(dir.join("busy/notes.txt"), "mine").unwrap();
    let out = run(dir, &["index", "merge", "busy", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(fs::read_to_string(dir.join("busy/notes.txt")).unwrap(), "mine");
    assert_eq!(fs::read_dir(dir.join("busy")).unwrap().count(), 1);
    let out = run(dir, &["index", "merge", "a", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be one of its shards"));
    let out = run(dir, &["index", "merge", "twice", "a", "./a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the same index is named twice"));
    assert!(!dir.join("twice").exists());
    // An empty folder (a `.gitkeep` in it) takes the merged index.
    fs::create_dir(dir.join("empty")).unwrap();
    fs::write(dir.join("empty/.gitkeep"), "").unwrap();
    ok(dir, &["index", "merge", "empty", "a"]);
    assert!(dir.join("empty/.gitkeep").exists());
    assert_eq!(stats(dir, "empty"), stats(dir, "a"));
}
