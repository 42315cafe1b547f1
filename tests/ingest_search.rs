//! `claimdex ingest`, `search` and `stats` end to end: the built binary on a copy of
//! `corpus/` (or a generated corpus) in a temporary folder.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_claimdex");

/// A temporary folder with a copy of `corpus/`; commands run inside it, so paths read
/// `corpus/<file>` and the index is `index/`.
struct Env {
    tmp: tempfile::TempDir,
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
            &tmp.path().join("corpus"),
        );
        Env { tmp }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// A path the library read from the index as the binary, run in this test's folder,
    /// shows it.
    fn rel(&self, stored: &str) -> String {
        common::shown_in(self.tmp.path(), stored)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args).current_dir(self.tmp.path());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs a command that must succeed; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "claimdex {args:?} failed ({:?}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn ingest(&self, extra: &[&str]) -> Value {
        let mut args = vec!["ingest", "--json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).unwrap()
    }

    fn search(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        self.ok(&all)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn stats(&self, index: &str) -> Value {
        serde_json::from_str(&self.ok(&["stats", "--json", "--index", index])).unwrap()
    }

    /// Every claim `extract` finds in the corpus copy, as (path, claim).
    fn extracted(&self) -> Vec<(String, Value)> {
        let out = self.ok(&["extract", "corpus"]);
        let mut claims = Vec::new();
        for line in out.lines() {
            let doc: Value = serde_json::from_str(line).unwrap();
            let path = doc["path"].as_str().unwrap().to_owned();
            for c in doc["claims"].as_array().unwrap() {
                claims.push((path.clone(), c.clone()));
            }
        }
        claims
    }
}

/// A claim's identity: path and byte span and kind.
type Key = (String, u64, u64, String);

fn key_of(path: &str, c: &Value) -> Key {
    (
        path.to_owned(),
        c["start"].as_u64().unwrap(),
        c["end"].as_u64().unwrap(),
        c["kind"].as_str().unwrap().to_owned(),
    )
}

fn hit_keys(hits: &[Value]) -> BTreeSet<Key> {
    hits.iter().map(|h| key_of(h["path"].as_str().unwrap(), h)).collect()
}

fn files(v: &Value, what: &str) -> u64 {
    v["files"][what].as_u64().unwrap()
}

const CORPUS_FILES: u64 = 14;

/// One file is one article however it is named: by a relative path, an absolute one, or
/// from inside its folder; a folder ingested from inside removes nothing still on disk.
#[test]
fn one_article_has_one_identity_however_its_folder_is_named() {
    let env = Env::new();
    let first = env.ingest(&[]);
    assert_eq!(first["documents_total"], CORPUS_FILES);
    let report = |env: &Env| env.ok(&["conflicts", "--format", "json"]);
    let before = report(&env);
    let absolute = env.path("corpus").to_string_lossy().into_owned();
    let again = env.ingest(&[&absolute]);
    assert_eq!((files(&again, "new"), files(&again, "unchanged")), (0, CORPUS_FILES));
    let mut inside = env.cmd(&["ingest", "--json", ".", "--index", "../index"]);
    let out = inside.current_dir(env.path("corpus")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let inside: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((files(&inside, "new"), files(&inside, "removed")), (0, 0));
    assert_eq!(inside["documents_total"], CORPUS_FILES);
    assert_eq!(report(&env), before, "no article disagrees with itself");
}

/// The same content under two paths is one article seen twice: the report counts it once.
#[test]
fn a_copied_article_is_counted_once_in_the_report() {
    let env = Env::new();
    env.ingest(&[]);
    let report = |env: &Env| env.ok(&["conflicts", "--format", "json"]);
    let before = report(&env);
    fs::create_dir_all(env.path("corpus/copies")).unwrap();
    fs::copy(
        env.path("corpus/amazon-openai-deal-main.html"),
        env.path("corpus/copies/deal.html"),
    )
    .unwrap();
    let after = env.ingest(&[]);
    assert_eq!(files(&after, "new"), 1, "the copy is indexed (search finds it)");
    assert_eq!(report(&env), before);
}

/// `--rebuild` starts the whole index over: the articles it no longer holds are counted.
#[test]
fn a_rebuild_of_one_file_counts_what_it_removed() {
    let env = Env::new();
    env.ingest(&[]);
    let one = env.ingest(&["--rebuild", "corpus/amazon-openai-deal-main.html"]);
    assert_eq!(files(&one, "new"), 1);
    assert_eq!(files(&one, "removed"), CORPUS_FILES);
    assert_eq!(one["documents_total"], 1);
}

/// No file is dropped without a word: files of other types inside a folder are counted
/// (`--verbose` names them); a file named itself is read whatever its extension, HTML
/// sniffed from its content; `-` is an article on standard input.
#[test]
fn files_are_never_dropped_without_a_word() {
    let env = Env::new();
    fs::create_dir_all(env.path("corpus/extra")).unwrap();
    fs::copy(
        env.path("corpus/amazon-openai-deal-main.html"),
        env.path("corpus/extra/page.aspx"),
    )
    .unwrap();
    fs::write(env.path("corpus/extra/scan.pdf"), "%PDF-1.4").unwrap();
    let out = env.run(&["ingest", "--json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("skipped 2 files of other types") && err.contains("--verbose lists them"),
        "{err}"
    );
    let out = env.run(&["ingest", "--verbose"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("corpus/extra/page.aspx") && err.contains("corpus/extra/scan.pdf"),
        "{err}"
    );
    let record = |args: &[&str]| -> Value { serde_json::from_str(env.ok(args).lines().next().unwrap()).unwrap() };
    let page = record(&["extract", "corpus/extra/page.aspx"]);
    let html = record(&["extract", "corpus/amazon-openai-deal-main.html"]);
    assert_eq!((&page["title"], &page["claims"]), (&html["title"], &html["claims"]));
    let text = fs::read(env.path("corpus/uk-microsoft-openai-stake.txt")).unwrap();
    let mut piped = env.cmd(&["extract", "-"]);
    piped
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = piped.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &text).unwrap();
    let out = child.wait_with_output().unwrap();
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_file = record(&["extract", "corpus/uk-microsoft-openai-stake.txt"]);
    assert_eq!(from_stdin["path"], "<stdin>");
    assert_eq!(from_stdin["claims"], from_file["claims"]);
}

/// A failed ingest that indexed nothing leaves no empty index behind.
#[test]
fn a_failed_ingest_creates_no_empty_index() {
    let env = Env::new();
    let out = env.run(&["ingest", "missing-folder", "--index", "fresh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index created"));
    assert!(!env.path("fresh").exists());
}

#[test]
fn reingest_of_an_unchanged_corpus_adds_nothing_and_says_so() {
    let env = Env::new();
    let first = env.ingest(&[]);
    assert_eq!(files(&first, "new"), CORPUS_FILES);
    assert_eq!(first["documents_total"], CORPUS_FILES);
    let claims = first["claims_total"].as_u64().unwrap();

    assert!(
        first["disagreements"].as_u64().is_some(),
        "a changed index is reconciled"
    );
    let again = env.ingest(&[]);
    assert!(
        again.get("disagreements").is_none(),
        "an unchanged one is not read back"
    );
    assert_eq!(files(&again, "new"), 0);
    assert_eq!(files(&again, "updated"), 0);
    assert_eq!(files(&again, "unchanged"), CORPUS_FILES);
    assert_eq!(again["claims"], 0);
    assert_eq!(again["claims_total"], claims);
    let text = env.ok(&["ingest"]);
    assert!(
        text.contains("up to date") && text.contains("14 files unchanged"),
        "{text}"
    );
    let st = env.stats("index");
    assert_eq!(
        (st["documents"].as_u64(), st["claims"].as_u64()),
        (Some(CORPUS_FILES), Some(claims))
    );
}

#[test]
fn editing_one_file_replaces_only_its_records_and_deleting_removes_them() {
    let env = Env::new();
    env.ingest(&[]);
    let before = claimdex::index::reader::all_claims(&env.path("index")).unwrap();
    let docs_before = claimdex::index::reader::all_documents(&env.path("index")).unwrap();
    let edited = "corpus/wire-amazon-openai-trainium.txt";
    let mut text = fs::read_to_string(env.path(edited)).unwrap();
    text.push_str("\nA late update said Amazon would add a further $7 billion, and 3 gigawatts, in 2027.\n");
    fs::write(env.path(edited), &text).unwrap();

    let summary = env.ingest(&[]);
    assert_eq!(
        (
            files(&summary, "updated"),
            files(&summary, "unchanged"),
            files(&summary, "new")
        ),
        (1, CORPUS_FILES - 1, 0)
    );
    let after = claimdex::index::reader::all_claims(&env.path("index")).unwrap();
    let others = |v: &[claimdex::model::IndexedClaim]| -> Vec<claimdex::model::IndexedClaim> {
        v.iter().filter(|c| env.rel(&c.path) != edited).cloned().collect()
    };
    assert_eq!(others(&before), others(&after), "other files' claims are untouched");
    // The edited file's records are exactly what `extract` finds in its new version.
    let fresh: Value = serde_json::from_str(env.ok(&["extract", edited]).trim()).unwrap();
    let mine: Vec<&claimdex::model::IndexedClaim> = after.iter().filter(|c| env.rel(&c.path) == edited).collect();
    assert_eq!(mine.len(), fresh["claims"].as_array().unwrap().len());
    for (ic, c) in mine.iter().zip(fresh["claims"].as_array().unwrap()) {
        // Through JSON text, as `extract` prints it (serde_json may parse the last digit differently).
        let printed: Value = serde_json::from_str(&serde_json::to_string(&ic.claim).unwrap()).unwrap();
        assert_eq!(printed, *c);
    }
    let docs_after = claimdex::index::reader::all_documents(&env.path("index")).unwrap();
    assert_eq!(docs_after.len(), docs_before.len());
    let hash = |docs: &[claimdex::index::reader::DocumentRecord]| {
        docs.iter().find(|d| env.rel(&d.path) == edited).map(|d| d.hash.clone())
    };
    assert_ne!(hash(&docs_before), hash(&docs_after));
    assert_eq!(hash(&docs_after).as_deref(), fresh["hash"].as_str());

    // Deleting one file removes its records when its folder is ingested again.
    fs::remove_file(env.path(edited)).unwrap();
    let summary = env.ingest(&[]);
    assert_eq!(
        (files(&summary, "removed"), files(&summary, "unchanged")),
        (1, CORPUS_FILES - 1)
    );
    let left = claimdex::index::reader::all_claims(&env.path("index")).unwrap();
    assert!(left.iter().all(|c| env.rel(&c.path) != edited));
    assert_eq!(others(&before), left);
    let docs = claimdex::index::reader::all_documents(&env.path("index")).unwrap();
    assert_eq!(docs.len() as u64, CORPUS_FILES - 1);
    assert!(
        env.search(&["*", "--limit", "100000"])
            .iter()
            .all(|h| h["path"] != edited)
    );
}

#[test]
fn a_file_emptied_loses_its_records_one_too_large_keeps_them() {
    let env = Env::new();
    env.ingest(&[]);
    let emptied = "corpus/timeline-microsoft-openai-investment.txt";
    let grown = "corpus/investor-note-msft-amzn.txt";
    let count = |path: &str| {
        claimdex::index::reader::all_claims(&env.path("index"))
            .unwrap()
            .iter()
            .filter(|c| env.rel(&c.path) == path)
            .count()
    };
    assert!(count(emptied) > 0 && count(grown) > 0);
    // Emptied: no longer an article, so its records go (skipped, not an error).
    fs::write(env.path(emptied), "").unwrap();
    let s = env.ingest(&[]);
    assert_eq!((files(&s, "skipped"), files(&s, "removed")), (1, 1));
    assert_eq!(count(emptied), 0);
    // Too large to read this time: a failure, and its last good records stay.
    let mut text = fs::read_to_string(env.path(grown)).unwrap();
    text.push_str(&"More text. ".repeat(1000));
    fs::write(env.path(grown), text).unwrap();
    let out = env.run(&["ingest", "--json", "--max-file-size", "8192"]);
    assert_eq!(out.status.code(), Some(1));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((files(&s, "failed"), files(&s, "removed")), (1, 0));
    assert!(count(grown) > 0);
}

#[test]
fn rebuild_gives_the_same_counts_as_a_fresh_ingest() {
    let env = Env::new();
    let fresh = env.ingest(&["--index", "fresh"]);
    env.ingest(&["--index", "index"]);
    // Make the index differ from the corpus first: an extra file, then gone.
    fs::write(
        env.path("corpus/extra.txt"),
        "Extra: OpenAI raised $6.6 billion in October 2024.\n",
    )
    .unwrap();
    env.ingest(&[]);
    fs::remove_file(env.path("corpus/extra.txt")).unwrap();
    let rebuilt = env.ingest(&["--rebuild"]);
    assert_eq!(
        files(&rebuilt, "new"),
        CORPUS_FILES,
        "a rebuild ingests everything again"
    );
    for k in ["documents_total", "claims_total", "claims", "citations"] {
        assert_eq!(rebuilt[k], fresh[k], "{k}");
    }
    let (a, b) = (env.stats("fresh"), env.stats("index"));
    for k in [
        "documents",
        "claims",
        "by_kind",
        "by_unit",
        "citations",
        "unresolved",
        "sources",
    ] {
        assert_eq!(a[k], b[k], "{k}");
    }
}

#[test]
fn jobs_1_and_jobs_4_give_identical_results() {
    let env = Env::new();
    env.ingest(&["--jobs", "1", "--index", "one"]);
    env.ingest(&["--jobs", "4", "--index", "four"]);
    for q in [
        vec!["*", "--limit", "100000"],
        vec!["openai"],
        vec!["billion OR gigawatts", "--limit", "7"],
        vec!["microsoft", "--kind", "money"],
    ] {
        let with = |index: &str| {
            let mut args = vec!["search", "--index", index];
            args.extend_from_slice(&q);
            env.ok(&args)
        };
        assert_eq!(with("one"), with("four"), "search {q:?}");
    }
    let (mut a, mut b) = (env.stats("one"), env.stats("four"));
    for s in [&mut a, &mut b] {
        let o = s.as_object_mut().unwrap();
        for volatile in ["index", "index_bytes", "segments"] {
            o.remove(volatile);
        }
    }
    assert_eq!(a, b);
    assert_eq!(
        claimdex::index::reader::all_claims(&env.path("one")).unwrap(),
        claimdex::index::reader::all_claims(&env.path("four")).unwrap()
    );
}

#[test]
fn bad_files_are_named_and_the_rest_ingested() {
    let env = Env::new();
    // Not articles: skipped, named, not an error.
    fs::write(env.path("corpus/binary.txt"), b"PK\x03\x04\x00\x00garbage").unwrap();
    fs::write(env.path("corpus/empty.md"), b"").unwrap();
    let out = env.run(&["ingest", "--json", "--quiet"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("corpus/binary.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("corpus/empty.md") && err.contains("empty"), "{err}");
    assert_eq!(err.lines().count(), 2, "one line per skipped file: {err}");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (files(&s, "new"), files(&s, "skipped"), files(&s, "failed")),
        (CORPUS_FILES, 2, 0)
    );

    // Too large: a failure, named; the others are still ingested; exit 1.
    fs::write(env.path("corpus/huge.md"), "x".repeat(10_000)).unwrap();
    let out = env.run(&["ingest", "--json", "--max-file-size", "8192", "--index", "other"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("corpus/huge.md") && err.contains("too large"), "{err}");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((files(&s, "new"), files(&s, "failed")), (CORPUS_FILES, 1));
    assert_eq!(env.stats("other")["documents"], CORPUS_FILES);
}

/// The one corpus article whose footnote markers name no source, and its warning.
const WARNED: (&str, &str) = (
    "corpus/analysis-ai-cloud-alliances.txt",
    "footnote markers with no source: 23",
);

/// Piped, ingest says each warning on stderr (with no progress bar) and counts them at
/// the end; the index keeps them for `stats --warnings`.
#[test]
fn piped_ingest_says_its_warnings_and_the_index_keeps_them() {
    let env = Env::new();
    let out = env.run(&["ingest"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let (path, warning) = WARNED;
    assert_eq!(
        err,
        format!("claimdex: warning: {path}: {warning}\nclaimdex: 1 warning; claimdex stats --warnings lists them\n")
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("14 new"), "{text}");
    assert!(text.contains("MB/s"), "{text}");
    let listed = env.ok(&["stats", "--warnings"]);
    assert!(listed.ends_with(&format!("{path}: {warning}\n")), "{listed}");
    assert_eq!(listed.lines().count(), 1, "{listed}");
    let json: Value = serde_json::from_str(env.ok(&["stats", "--warnings", "--json"]).trim()).unwrap();
    assert!(json["path"].as_str().unwrap().ends_with(path), "{json}");
    assert_eq!(json["warning"], warning);
    assert_eq!(env.stats("index")["warnings"], 1);
    assert!(env.ok(&["ingest", "--quiet"]).contains("up to date"));
}

/// On a terminal, the warnings are one line at the end, not one line each.
#[test]
fn ingest_on_a_terminal_counts_its_warnings_in_one_line() {
    let env = Env::new();
    // `script` runs the command on a pseudo-terminal (util-linux, on every Debian).
    let cmd = format!("{BIN} ingest --index tty-index corpus");
    let out = match Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(env.path(""))
        .output()
    {
        Ok(out) => out,
        Err(e) => return common::cannot_run("ingest_on_a_terminal", &format!("no `script`: {e}"), true),
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("1 warning; claimdex stats --warnings lists them"),
        "{shown}"
    );
    assert!(!shown.contains(WARNED.1), "{shown}");
}

#[test]
fn usage_errors_exit_2_and_no_hits_exit_1() {
    let env = Env::new();
    env.ingest(&[]);
    for args in [
        vec!["search", "openai AND ("],
        vec!["search", "openai", "--min", "NaN"],
        vec!["search", "openai", "--max", "inf"],
        vec!["search", "openai", "--min", "ten"],
        vec!["search", "openai", "--kind", "weight"],
        vec!["search", "openai", "--limit", "0"],
        vec!["ingest", "--jobs", "0"],
    ] {
        let out = env.run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("claimdex: ") && !err.contains("panicked"), "{err}");
    }
    // A query that does not parse says where and why; a field that does not exist lists
    // the fields.
    for (query, said) in [
        ("openai AND (", "column 12: a `(` is not closed"),
        ("openai)", "column 7: a `)` closes nothing"),
        ("\"data center", "column 1: a `\"` is not closed"),
        ("openai AND", "column 8: nothing follows `AND`"),
        ("colour:red", "there is no field `colour` (fields: sentence, subject,"),
    ] {
        let out = env.run(&["search", query]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{query}: {err}");
        assert!(err.contains(said), "{query}: {err}");
    }
    // Nothing matched: exit 1, as grep and ripgrep (0 on a match, 2 on an error).
    let out = env.run(&["search", "zyzzyvaquux"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    let out = env.run(&["search", "--json", "zyzzyvaquux"]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(1), 0));
    assert_eq!(env.run(&["search", "openai"]).status.code(), Some(0));
    // Colour only when asked or on a terminal that wants it; the index from the environment.
    let painted = env.ok(&["search", "openai", "--color", "always", "--limit", "1"]);
    assert!(painted.contains("\x1b[1m"), "{painted}");
    let mut plain = env.cmd(&["search", "openai", "--limit", "1"]);
    let plain = plain.env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let mut moved = env.cmd(&["search", "openai", "--limit", "1"]);
    fs::rename(env.path("index"), env.path("elsewhere")).unwrap();
    let moved = moved.env("CLAIMDEX_INDEX", env.path("elsewhere")).output().unwrap();
    assert_eq!(
        moved.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    fs::rename(env.path("elsewhere"), env.path("index")).unwrap();
    let sized = env.run(&["ingest", "--max-file-size", "1K"]);
    assert_eq!(sized.status.code(), Some(1), "articles over 1 KiB are refused");
}

#[test]
fn a_corrupt_or_foreign_index_folder_is_a_clear_error() {
    let env = Env::new();
    let check = |args: &[&str], needle: &str| {
        let out = env.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    };
    check(&["search", "openai"], "run `claimdex ingest` first");
    check(&["stats"], "run `claimdex ingest` first");

    // A folder of someone else's files.
    fs::create_dir(env.path("notes")).unwrap();
    fs::write(env.path("notes/todo.txt"), "keep me").unwrap();
    check(&["ingest", "--index", "notes"], "not a claimdex index");
    check(&["ingest", "--index", "notes", "--rebuild"], "not a claimdex index");
    check(&["search", "openai", "--index", "notes"], "no claimdex index");
    assert_eq!(fs::read_to_string(env.path("notes/todo.txt")).unwrap(), "keep me");

    // A damaged index: every file cut to garbage.
    env.ingest(&[]);
    for e in fs::read_dir(env.path("index")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            fs::write(&p, b"\x00garbage").unwrap();
        }
    }
    check(&["search", "openai"], "--rebuild");
    check(&["stats"], "--rebuild");
    check(&["ingest"], "--rebuild");
    let rebuilt = env.ingest(&["--rebuild"]);
    assert_eq!(files(&rebuilt, "new"), CORPUS_FILES);
    assert_eq!(env.stats("index")["documents"], CORPUS_FILES);
}

// ---- search: every query checked against what `extract` finds ----

/// tantivy's default tokenizer: alphanumeric runs, lower-cased, longer than 40 bytes dropped.
/// The words of `s` as the index reads a sentence: tantivy's English stemmer.
fn tokens(s: &str) -> Vec<String> {
    let mut analyzer = tantivy::tokenizer::TokenizerManager::default().get("en_stem").unwrap();
    let mut stream = analyzer.token_stream(s);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// True when a bare query word matches the claim: in its sentence or its measure's head
/// and scope (stemmed), or equal to one of its entities or its subject (exact fields,
/// case-folded).
fn word_matches(c: &Value, word: &str) -> bool {
    let w = word.to_lowercase();
    let stem = tokens(word);
    let exact = |v: &Value| v.as_str().is_some_and(|s| s.to_lowercase() == w);
    let words_of = |v: &Value| tokens(v.as_str().unwrap_or(""));
    let measure = &c["measure"];
    let mut measured = words_of(&measure["head"]);
    for s in measure["scope"].as_array().into_iter().flatten() {
        measured.extend(words_of(s));
    }
    let has = |t: &[String]| stem.iter().all(|x| t.contains(x));
    has(&tokens(c["sentence"].as_str().unwrap()))
        || has(&measured)
        || c["entities"].as_array().unwrap().iter().any(exact)
        || exact(&c["subject"])
}

fn phrase_matches(c: &Value, phrase: &[&str]) -> bool {
    let t = tokens(c["sentence"].as_str().unwrap());
    let phrase: Vec<String> = phrase.iter().flat_map(|w| tokens(w)).collect();
    t.windows(phrase.len()).any(|w| w == phrase.as_slice())
}

fn hi(c: &Value) -> f64 {
    c["value_max"].as_f64().unwrap_or_else(|| c["value"].as_f64().unwrap())
}

#[test]
fn search_returns_exactly_the_expected_claims() {
    let env = Env::new();
    env.ingest(&[]);
    let all = env.extracted();
    assert!(
        all.len() > 50,
        "the extractor finds the corpus's claims ({} found)",
        all.len()
    );
    let expect = |pred: &dyn Fn(&Value) -> bool| -> BTreeSet<Key> {
        all.iter().filter(|(_, c)| pred(c)).map(|(p, c)| key_of(p, c)).collect()
    };
    let check = |args: &[&str], want: BTreeSet<Key>| -> Vec<Value> {
        assert!(
            !want.is_empty(),
            "search {args:?}: the corpus should hold matching claims"
        );
        let mut a = args.to_vec();
        a.extend(["--limit", "100000"]);
        let hits = env.search(&a);
        assert_eq!(hit_keys(&hits), want, "search {args:?}");
        assert_eq!(hits.len(), want.len(), "search {args:?}: no duplicates");
        assert!(
            hits.windows(2)
                .all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()),
            "search {args:?}: ranked by score"
        );
        hits
    };

    // 1. A word.
    let hits = check(&["gigawatts"], expect(&|c| word_matches(c, "gigawatts")));
    assert!(
        hits.iter().any(|h| h["kind"] == "power" && h["value"] == 2e9),
        "OpenAI's 2 GW from AWS"
    );
    // 2. Two words: either matches; a claim matching both ranks above those matching one.
    let both = |c: &Value| word_matches(c, "openai") && word_matches(c, "gigawatts");
    let hits = check(
        &["OpenAI gigawatts"],
        expect(&|c| word_matches(c, "openai") || word_matches(c, "gigawatts")),
    );
    let first_one = hits.iter().position(|h| !both(h)).unwrap_or(hits.len());
    assert!(first_one > 0 && hits[..first_one].iter().all(both), "both words first");
    // Stemmed: the singular finds the plural.
    check(&["gigawatt"], expect(&|c| word_matches(c, "gigawatt")));
    // 3. A phrase.
    check(
        &["\"Azure services\""],
        expect(&|c| phrase_matches(c, &["azure", "services"])),
    );
    // 4. An exact field.
    check(
        &["subject:OpenAI"],
        expect(&|c| c["subject"].as_str().is_some_and(|s| s.eq_ignore_ascii_case("openai"))),
    );
    // 5. The commonest metric, as a field query.
    let mut metrics = std::collections::BTreeMap::<String, usize>::new();
    for (_, c) in &all {
        if let Some(m) = c["metric"].as_str() {
            *metrics.entry(m.to_owned()).or_default() += 1;
        }
    }
    let (metric, _) = metrics
        .iter()
        .max_by_key(|(m, n)| (**n, std::cmp::Reverse((*m).clone())))
        .unwrap();
    check(
        &[&format!("metric:\"{metric}\"")],
        expect(&|c| c["metric"].as_str() == Some(metric.as_str())),
    );
    // 6-8. Each filter alone.
    check(&["*", "--kind", "power"], expect(&|c| c["kind"] == "power"));
    check(&["*", "--unit", "USD"], expect(&|c| c["unit"] == "USD"));
    let amazon = expect(&|c| c["entities"].as_array().unwrap().iter().any(|e| e == "Amazon"));
    check(&["*", "--entity", "Amazon"], amazon.clone());
    // An alias folds to the entity's name, as the extractor folds it.
    check(&["*", "--entity", "AWS"], amazon.clone());
    // In any case: an acronym typed in lower case is still the alias.
    check(&["*", "--entity", "aws"], amazon.clone());
    // The field syntax folds names the same way.
    check(&["entities:aws"], amazon);
    let microsoft = expect(&|c| c["entities"].as_array().unwrap().iter().any(|e| e == "Microsoft"));
    check(&["*", "--entity", "msft"], microsoft);
    // 9. A range: exactly the claims between two values, whichever way they are written.
    let between = expect(&|c| c["kind"] == "money" && c["value"].as_f64().unwrap() >= 10e9 && hi(c) <= 13e9);
    let hits = check(
        &["*", "--kind", "money", "--min", "10e9", "--max", "13e9"],
        between.clone(),
    );
    assert!(hits.iter().any(|h| h["value"] == 13e9), "Microsoft's $13 billion");
    // Written with a currency, the bound keeps to it: dollars only, no euros or pounds.
    let usd = expect(&|c| c["unit"] == "USD");
    let dollars: BTreeSet<Key> = between.intersection(&usd).cloned().collect();
    assert!(
        dollars.len() < between.len(),
        "the corpus has euro and pound figures in range"
    );
    check(
        &["*", "--kind", "money", "--min", "$10 billion", "--max", "13B"],
        dollars,
    );
    // 10. A lower bound alone, on percentages.
    check(
        &["*", "--unit", "%", "--min", "40%"],
        expect(&|c| c["unit"] == "%" && c["value"].as_f64().unwrap() >= 40.0),
    );
    // 10b. A unit written in a bound filters by it: `45%` finds no dollars, `$5 billion`
    // no euros and no watts; bounds in two units are a usage error.
    check(
        &["*", "--min", "45%"],
        expect(&|c| c["unit"] == "%" && c["value"].as_f64().unwrap() >= 45.0),
    );
    check(
        &["*", "--min", "$5 billion"],
        expect(&|c| c["unit"] == "USD" && c["value"].as_f64().unwrap() >= 5e9),
    );
    let mixed = env.run(&["search", "*", "--min", "$5 billion", "--max", "20%"]);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("--max is in % but --min says USD"));
    // 11. Words and filters together.
    check(
        &["microsoft", "--kind", "money", "--min", "1B"],
        expect(&|c| word_matches(c, "microsoft") && c["kind"] == "money" && c["value"].as_f64().unwrap() >= 1e9),
    );
    // 12. --limit keeps the best hits, in the same order.
    let every = env.search(&["openai", "--limit", "100000"]);
    let top = env.search(&["openai", "--limit", "3"]);
    assert_eq!(top, every[..3].to_vec());
    // 13. Each JSON hit has every field of an `extract` claim, plus path and score.
    let (path, c) = &all[0];
    let hit = env
        .search(&["*", "--limit", "100000"])
        .into_iter()
        .find(|h| key_of(h["path"].as_str().unwrap(), h) == key_of(path, c))
        .unwrap();
    let mut stripped = hit.as_object().unwrap().clone();
    assert!(stripped.remove("path").is_some() && stripped.remove("score").is_some());
    assert_eq!(Value::Object(stripped), *c);
}

#[test]
fn human_search_output_shows_value_place_sentence_and_sources() {
    let env = Env::new();
    env.ingest(&[]);
    let text = env.ok(&["search", "OpenAI gigawatts", "--limit", "100"]);
    assert!(!text.contains('\x1b'), "no colour when piped");
    assert!(text.contains("2.0 GW"), "{text}");
    // Every hit: `path:line`, then the sentence.
    let hits = env.search(&["OpenAI gigawatts", "--limit", "100"]);
    for h in &hits {
        let place = format!("{}:{}", h["path"].as_str().unwrap(), h["line"]);
        assert!(text.contains(&place), "{place} in {text}");
        assert!(text.contains(h["sentence"].as_str().unwrap()), "{text}");
    }
    // A hit with resolved footnotes lists them by number and title.
    let hits = env.search(&["*", "--limit", "100000"]);
    let cited = hits
        .iter()
        .find(|h| !h["citations"].as_array().unwrap().is_empty())
        .expect("some claim cites a footnote");
    let docs = claimdex::index::reader::all_documents(&env.path("index")).unwrap();
    let doc = docs.iter().find(|d| env.rel(&d.path) == cited["path"]).unwrap();
    let n = cited["citations"][0].as_u64().unwrap() as u32;
    let source = doc.sources.iter().find(|s| s.n == n).expect("the marker resolves");
    let q = format!("\"{}\"", tokens(cited["sentence"].as_str().unwrap())[..3].join(" "));
    let text = env.ok(&["search", &q, "--limit", "100000"]);
    assert!(text.contains(&format!("[{n}] {}", source.title)), "{text}");
}

// ---- larger generated corpora: concurrency and crashes ----

/// A deterministic article of about `size` bytes with figures and footnotes.
fn article(i: usize, size: usize) -> String {
    const ORGS: &[&str] = &[
        "Microsoft",
        "OpenAI",
        "Amazon",
        "Google",
        "Oracle",
        "CoreWeave",
        "Anthropic",
        "Nvidia",
    ];
    const MONTHS: &[&str] = &["January", "March", "May", "July", "September", "November"];
    let mut state = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut s = format!(
        "Generated report {i}: {} and {} extend their compute deal\nBy Test Writer\nPublished: 2026-0{}-1{}\n\n",
        ORGS[i % ORGS.len()],
        ORGS[(i + 3) % ORGS.len()],
        1 + i % 9,
        i % 10
    );
    let mut n = 1;
    while s.len() < size {
        let (a, b) = (ORGS[next(ORGS.len())], ORGS[next(ORGS.len())]);
        let month = MONTHS[next(MONTHS.len())];
        // About one figure every 250 bytes, as in news analysis.
        let line = match next(6) {
            0 => format!(
                "In {month} 2025, {a} committed up to ${} billion to {b}, people familiar with the matter said {n}.\n\n",
                1 + next(90)
            ),
            1 => format!(
                "{a} said the agreement covers {} gigawatts of capacity, and analysts expect it to lift revenue by about {}% {n}.\n\n",
                1 + next(9),
                5 + next(40)
            ),
            2 => format!(
                "The market for accelerated computing, which {a} and {b} both serve, has attracted more than {} customers this year, according to the companies.\n\n",
                100 + next(5000)
            ),
            3 => format!(
                "Shares of {a} rose {}.{}% on the news, while {b} was little changed; the deal is worth roughly £{} million to its suppliers {n}.\n\n",
                next(9),
                next(9),
                10 + next(900)
            ),
            _ => format!(
                "Executives at {a} have said little in public about the arrangement, but people who have worked with {b} describe \
                 a relationship that has grown more cautious as both sides weigh how much of their future to tie to the other. \
                 Investors, for their part, mostly want to know when the spending will start to pay for itself.\n\n"
            ),
        };
        s.push_str(&line);
        n += 1;
    }
    s.push_str("Sources\n");
    for k in 1..n.min(40) {
        s.push_str(&format!("{k}. Company statement {k} - 2026-01-{:02}\n", 1 + k % 28));
    }
    s
}

fn generate(dir: &Path, files: usize, size: usize) -> u64 {
    fs::create_dir_all(dir).unwrap();
    let mut total = 0;
    for i in 0..files {
        let text = article(i, size);
        total += text.len() as u64;
        fs::write(dir.join(format!("gen-{i:04}.txt")), text).unwrap();
    }
    total
}

/// The payload of the last commit, read straight from tantivy's meta.json.
fn committed(index: &Path) -> Option<Value> {
    let meta: Value = serde_json::from_str(&fs::read_to_string(index.join("meta.json")).ok()?).ok()?;
    serde_json::from_str(meta["payload"].as_str()?).ok()
}

/// Waits until the ingest has made at least one commit; panics if it ends first.
fn wait_for_first_commit(child: &mut Child, index: &Path) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(p) = committed(index)
            && p["documents"].as_u64() > Some(0)
        {
            return p;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ingest ended ({status}) before its first commit was seen");
        }
        assert!(Instant::now() < deadline, "no commit within two minutes");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Starts `ingest --json` of `n` generated articles (`big/`) on `jobs` threads, committing
/// often, and returns it once it has made its first commit.
fn ingest_generated(env: &Env, n: usize, jobs: &str) -> Child {
    generate(&env.path("big"), n, 16_000);
    let mut child = env
        .cmd(&["ingest", "big", "--json", "--commit-every", "0.25", "--jobs", jobs])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_first_commit(&mut child, &env.path("index"));
    child
}

#[test]
fn a_second_ingest_fails_at_once_and_the_first_completes() {
    let env = Env::new();
    let n = 200;
    let mut first = ingest_generated(&env, n, "2");
    let started = Instant::now();
    let second = env.run(&["ingest", "corpus"]);
    let took = started.elapsed();
    let still_running = first.try_wait().unwrap().is_none();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(err.contains("another `claimdex ingest`"), "{err}");
    assert!(
        still_running,
        "the first ingest ended before the second was refused: make the corpus larger"
    );
    assert!(
        took < Duration::from_secs(5),
        "the second ingest should fail at once, took {took:?}"
    );

    let out = first.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(files(&s, "new"), n as u64);
    let st = env.stats("index");
    assert_eq!(st["documents"], n as u64);
    assert_eq!(st["claims"], s["claims_total"]);
}

#[test]
fn an_ingest_killed_part_way_leaves_exactly_its_last_commit() {
    let env = Env::new();
    let n = 200;
    generate(&env.path("big"), n, 16_000);
    let index = env.path("index");
    let mut child = env
        .cmd(&["ingest", "big", "--commit-every", "0.25", "--jobs", "2", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_first_commit(&mut child, &index);
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the ingest finished before it was killed: make the corpus larger"
    );

    let payload = committed(&index).expect("a commit survives the kill");
    let docs = payload["documents"].as_u64().unwrap();
    assert!(docs > 0 && docs < n as u64, "killed part-way: {docs} of {n} committed");
    let st = env.stats("index");
    assert_eq!(st["documents"], payload["documents"]);
    assert_eq!(st["claims"], payload["claims"]);
    assert_eq!(st["citations"], payload["citations"]);
    // Files are committed in walk order, so the index holds exactly the first `docs`
    // files, each with all of its claims.
    let held = claimdex::index::reader::all_documents(&index).unwrap();
    let want: Vec<String> = (0..docs as usize).map(|i| format!("big/gen-{i:04}.txt")).collect();
    assert_eq!(held.iter().map(|d| env.rel(&d.path)).collect::<Vec<_>>(), want);
    let claims = claimdex::index::reader::all_claims(&index).unwrap();
    for d in &held {
        assert_eq!(
            claims.iter().filter(|c| c.path == d.path).count() as u64,
            d.claims,
            "{}",
            d.path
        );
    }
    assert!(env.search(&["*", "--limit", "5"]).len() <= 5);

    // Ingesting again finishes the job: nothing lost, nothing doubled.
    let s = env.ingest(&["big", "--quiet"]);
    assert_eq!(files(&s, "unchanged"), docs);
    assert_eq!(files(&s, "new"), n as u64 - docs);
    let fresh = env.ingest(&["big", "--index", "fresh"]);
    assert_eq!(s["claims_total"], fresh["claims_total"]);
    assert_eq!(env.stats("index")["documents"], n as u64);
}

/// `conflicts --verdict`, `--top` and `--format jsonl`: a report for reading leaves the
/// agreements out unless asked, data for machines holds every verdict, `--top` keeps the
/// first groups (conflicts first), and jsonl is one group per line.
#[test]
fn conflicts_selects_verdicts_and_top_groups() {
    let env = Env::new();
    env.ingest(&[]);
    let verdicts = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["conflicts", "--format", "jsonl"];
        all.extend_from_slice(args);
        let out = env.ok(&all);
        out.lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["verdict"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let every = verdicts(&[]);
    assert!(every.iter().any(|v| v == "consistent"), "{every:?}");
    assert!(every.iter().any(|v| v == "conflict"), "{every:?}");
    let picked = verdicts(&["--verdict", "conflict,explained"]);
    assert!(
        !picked.is_empty() && picked.iter().all(|v| v == "conflict" || v == "explained"),
        "{picked:?}"
    );
    assert_eq!(verdicts(&["--verdict", "all"]), every);
    assert_eq!(verdicts(&["--top", "2"]), every[..2].to_vec());
    assert_eq!(every[0], "conflict", "conflicts come first");
    let shown = every.iter().filter(|v| *v != "consistent").count();
    let reading = env.run(&["conflicts"]);
    let md = String::from_utf8_lossy(&reading.stdout);
    assert!(md.contains(&format!("\n{shown} groups: ")), "{md}");
    let left = every.len() - shown;
    assert!(
        stderr_of(&reading).contains(&format!("left out {left} consistent groups")),
        "{}",
        stderr_of(&reading)
    );
    let all = env.ok(&["conflicts", "--verdict", "all"]);
    assert!(all.contains(&format!("\n{} groups: ", every.len())), "{all}");
    let bad = env.run(&["conflicts", "--verdict", "maybe"]);
    assert_eq!(bad.status.code(), Some(2));
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Ctrl-C stops an ingest at its next file: what it finished is committed and counted,
/// it says how to finish, and exits 130; the same ingest run again does the rest.
#[test]
fn ctrl_c_keeps_what_was_ingested_and_says_so() {
    let env = Env::new();
    let n = 400;
    let first = ingest_generated(&env, n, "1");
    let sent = Command::new("kill")
        .args(["-INT", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = first.wait_with_output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted") && err.contains("run the same ingest again"),
        "{err}"
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["interrupted"], true);
    let done = files(&s, "new");
    assert!(done > 0 && done < n as u64, "{s}");
    assert_eq!(
        s["documents_total"].as_u64(),
        Some(done),
        "every file counted is committed"
    );
    let again = env.ingest(&["big"]);
    assert_eq!(
        (files(&again, "unchanged"), files(&again, "new")),
        (done, n as u64 - done)
    );
}

/// The HTML report links each figure to its article file, relative to the folder the
/// report is written to (the links open wherever the two are moved together), and to the
/// article's own page where it names one; the JSON report carries the same `url`.
#[test]
fn the_html_report_links_every_figure_to_its_evidence() {
    let env = Env::new();
    env.ingest(&[]);
    fs::create_dir_all(env.path("out/deep")).unwrap();
    env.ok(&["conflicts", "--verdict", "all", "-o", "out/deep/report.html"]);
    let html = fs::read_to_string(env.path("out/deep/report.html")).unwrap();
    let hrefs: Vec<&str> = html
        .split("<a href=\"")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(h, _)| h))
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert!(hrefs.len() > 30, "{hrefs:?}");
    for h in &hrefs {
        assert!(h.starts_with("../../corpus/"), "{h}");
        assert!(env.path("out/deep").join(h).is_file(), "{h} does not open a file");
    }
    let url = "https://techdispatch.example.com/2026/02/12/microsoft-openai-stake/";
    assert!(
        html.contains(&format!("class=\"page\" href=\"{url}\"")),
        "no link to the article's page"
    );
    let json: Value = serde_json::from_str(&env.ok(&["conflicts", "--verdict", "all", "--format", "json"])).unwrap();
    let values = json
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["values"].as_array().unwrap());
    let stake: Vec<&Value> = values
        .filter(|v| {
            v["path"]
                .as_str()
                .unwrap()
                .ends_with("microsoft-stake-openai-article.html")
        })
        .collect();
    assert!(!stake.is_empty());
    assert!(
        stake
            .iter()
            .all(|v| v["url"] == url && v["publisher"] == "Tech Dispatch"),
        "{stake:?}"
    );
}

/// A list that `--limit` cut says how many claims matched (as `rg -m` users expect to be
/// told); one that shows every match says nothing more, and JSON stays one hit per line.
#[test]
fn a_search_cut_by_its_limit_says_how_many_matched() {
    let env = Env::new();
    env.ingest(&[]);
    for bounds in [&[][..], &["--min", "$10 billion"][..]] {
        let mut all = vec!["openai", "--limit", "100000"];
        all.extend_from_slice(bounds);
        let total = env.search(&all).len();
        assert!(total > 2, "{total}");
        let mut cut = vec!["search", "openai", "--limit", "2"];
        cut.extend_from_slice(bounds);
        let text = env.ok(&cut);
        assert!(
            text.ends_with(&format!("\n2 of {total} claims; --limit {total} shows them all\n")),
            "{text}"
        );
        let limit = total.to_string();
        let mut whole = vec!["search", "openai", "--limit", &limit];
        whole.extend_from_slice(bounds);
        assert!(!env.ok(&whole).contains(" claims; --limit"));
    }
    assert_eq!(env.search(&["openai", "--limit", "2"]).len(), 2);
}

/// Bare words rank by what a claim states: a query naming no kind of statement finds the
/// figure itself first, one that says "growth" or "expected" the change or the estimate,
/// even when all three stand in one sentence.
#[test]
fn bare_words_find_the_kind_of_statement_they_name() {
    let env = Env::new();
    fs::create_dir_all(env.path("extra")).unwrap();
    fs::write(
        env.path("extra/harbour.txt"),
        "Harbour Freight results\n\nBy Ada Lim\n\nHarbour Freight said its cargo revenue rose 12% to $40 million \
         in the second quarter, while analysts had expected cargo revenue of $38 million.\n",
    )
    .unwrap();
    env.ingest(&["extra"]);
    let first = |q: &str| {
        env.search(&[q, "--limit", "1"])[0]["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(first("Harbour Freight cargo revenue"), "$40 million");
    assert_eq!(first("Harbour Freight cargo revenue growth"), "12%");
    assert_eq!(first("Harbour Freight expected cargo revenue"), "$38 million");
}

/// The alias table is read only by a search that names a party (`subject:`, `entities:`,
/// `--entity`): a broken `CLAIMDEX_ALIASES` file stops those, named, and no other search.
#[test]
fn only_a_search_naming_a_party_reads_the_alias_table() {
    let env = Env::new();
    env.ingest(&[]);
    fs::write(env.path("broken-aliases.txt"), "no colon on this line\n").unwrap();
    let with_broken = |args: &[&str]| {
        let mut all = vec!["search", "--json"];
        all.extend_from_slice(args);
        env.cmd(&all)
            .env("CLAIMDEX_ALIASES", "broken-aliases.txt")
            .output()
            .unwrap()
    };
    let plain = with_broken(&["openai", "--limit", "3"]);
    assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
    assert_eq!(String::from_utf8_lossy(&plain.stdout).lines().count(), 3);
    for named in [
        &["subject:aws"][..],
        &["entities:openai"],
        &["openai", "--entity", "aws"],
    ] {
        let out = with_broken(named);
        assert_eq!(out.status.code(), Some(2), "{named:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("broken-aliases.txt"),
            "{named:?}"
        );
    }
    // Without the broken file, an alias still folds to the name claims are indexed under.
    let aws = env.search(&["subject:aws", "--limit", "50"]);
    assert!(
        !aws.is_empty() && aws.iter().all(|h| h["subject"] == "Amazon"),
        "{aws:?}"
    );
}
