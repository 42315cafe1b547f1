//! The binary end to end: walk, read, clean and the document fields of `extract`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_claimdex"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().current_dir(root()).args(args).output().expect("run claimdex")
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn body_of(path: &str) -> String {
    let out = run(&["extract", "--body", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    records(&out)[0]["body"].as_str().expect("body").to_string()
}

/// Completion scripts and the manual page come from the same definition as `--help`:
/// every command and a recent flag are in them.
#[test]
fn completions_and_the_manual_page_know_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["ingest", "conflicts", "verdict", "max-file-size"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
    let out = run(&["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with(".ie") && page.contains(".TH claimdex 1"), "{page}");
    assert!(page.contains("conflicts") && page.contains("completions"), "{page}");
}

#[test]
fn help_lists_every_subcommand() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["ingest", "extract", "search", "conflicts", "stats", "index"] {
        assert!(help.contains(cmd), "{cmd} missing from --help");
    }
    let out = run(&["extract"]);
    assert_eq!(out.status.code(), Some(2), "extract without a path is a usage error");
}

/// `--files-from` gives the same records as the paths on the command line, from a file
/// or standard input; a listed path that is missing is named and the rest goes on.
#[test]
fn files_from_a_list_are_extracted_as_named_ones() {
    use std::io::Write;
    use std::process::Stdio;
    let named = run(&[
        "extract",
        "corpus/notes-compute-deals.md",
        "corpus/wire-amazon-openai-trainium.txt",
    ]);
    assert!(named.status.success(), "{}", stderr(&named));
    let list = "corpus/notes-compute-deals.md\r\n\ncorpus/wire-amazon-openai-trainium.txt\n";
    let mut child = bin()
        .current_dir(root())
        .args(["extract", "--files-from", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run claimdex");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(list.as_bytes())
        .expect("write list");
    let listed = child.wait_with_output().expect("wait");
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(records(&listed), records(&named));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("list.txt");
    fs::write(&file, format!("corpus/no-such-article.txt\n{list}")).expect("write list");
    let out = run(&["extract", "--files-from", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no-such-article.txt"), "{}", stderr(&out));
    assert_eq!(records(&out), records(&named));
    assert_eq!(run(&["extract", "--files-from", "-", "-"]).status.code(), Some(2));
}

#[test]
fn walk_order_is_sorted_and_extensions_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("z/inner")).unwrap();
    fs::create_dir_all(d.join(".cache")).unwrap();
    for (f, body) in [
        ("b.txt", "Bee\n\nText b.\n"),
        ("a.md", "# Ay\n\nText a.\n"),
        ("z/inner/c.htm", "<html><body><p>Text c.</p></body></html>"),
        ("notes.pdf", "not an article"),
        (".hidden.txt", "Hidden\n"),
        (".cache/d.txt", "Cached\n"),
    ] {
        fs::write(d.join(f), body).unwrap();
    }
    let out = bin().arg("extract").arg(d).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let paths: Vec<String> = records(&out)
        .iter()
        .map(|r| {
            Path::new(r["path"].as_str().unwrap())
                .strip_prefix(d)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(paths, ["a.md", "b.txt", "z/inner/c.htm"]);
}

#[test]
fn every_encoding_decodes_to_the_same_text() {
    let want = "Encoding check\n\nThe café reported revenue of €12 million in 2025, up 4%.";
    for (f, encoding) in [
        ("utf8.txt", None),
        ("utf8-bom.txt", None),
        ("utf16le.txt", Some("utf-16le")),
        ("utf16be.txt", Some("utf-16be")),
    ] {
        let out = run(&["extract", "--body", &format!("tests/fixtures/encodings/{f}")]);
        assert!(out.status.success(), "{f}: {}", stderr(&out));
        let r = &records(&out)[0];
        assert_eq!(r["body"].as_str(), Some(want), "{f}");
        assert_eq!(r["encoding"].as_str(), encoding, "{f}");
        assert!(
            r["encoding"].is_null() == encoding.is_none(),
            "null, never missing: {f}"
        );
        assert_eq!(r["warnings"].as_array().map(Vec::len), Some(0), "{f}");
        assert_eq!(r["title"].as_str(), Some("Encoding check"));
    }
    // Latin-1 is not UTF-8: detected (as windows-1252, its WHATWG superset) and decoded
    // right; two non-ASCII bytes are little evidence, so the guess is flagged.
    let out = run(&["extract", "--body", "tests/fixtures/encodings/latin1.txt"]);
    assert!(out.status.success());
    let r = &records(&out)[0];
    assert!(r["body"].as_str().unwrap().contains("café reported"));
    assert_eq!(r["encoding"].as_str(), Some("windows-1252"));
    assert!(r["warnings"][0].as_str().unwrap().contains("guessed windows-1252"));
    assert!(stderr(&out).contains("latin1.txt") && stderr(&out).contains("guessed"));
}

#[test]
fn bad_files_are_named_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in fs::read_dir(root().join("tests/fixtures/bad")).unwrap() {
        let f = f.unwrap().path();
        fs::copy(&f, d.join(f.file_name().unwrap())).unwrap();
    }
    // A file that vanished between listing and reading: a dangling link.
    std::os::unix::fs::symlink(d.join("gone-target.txt"), d.join("vanished.txt")).unwrap();
    let out = bin()
        .args(["extract", "--max-file-size", "2048"])
        .arg(d)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "a failed file makes exit 1: {err}");
    let recs = records(&out);
    assert_eq!(recs.len(), 1, "only good.txt is extracted: {recs:?}");
    assert!(recs[0]["path"].as_str().unwrap().ends_with("good.txt"));
    for (file, reason) in [
        ("binary.txt", "binary file"),
        ("empty.txt", "empty file"),
        ("whitespace.md", "only whitespace"),
        ("oversized.txt", "too large"),
        ("vanished.txt", "No such file"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named in {err}"));
        assert!(line.contains(reason), "{file}: {line}");
    }
}

#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("locked.txt");
    fs::write(&f, "Locked\n\nSecret 5%.\n").unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o000)).unwrap();
    // As root, permissions do not lock the file: the binary runs as user nobody instead.
    let mut cmd = bin();
    if fs::read(&f).is_ok() {
        use std::os::unix::fs::chown;
        let (setpriv, as_nobody) = common::AS_NOBODY.split_at(1);
        let runs = Command::new(setpriv[0])
            .args(as_nobody)
            .arg("true")
            .status()
            .is_ok_and(|s| s.success());
        if !runs {
            common::cannot_run("unreadable_file_is_reported", "root without a working `setpriv`", true);
            return;
        }
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        chown(&f, Some(65534), Some(65534)).unwrap();
        cmd = Command::new(setpriv[0]);
        cmd.args(as_nobody).arg(env!("CARGO_BIN_EXE_claimdex"));
    }
    let out = cmd.arg("extract").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("locked.txt") && err.contains("ermission denied"), "{err}");
}

#[test]
fn web_capture_chrome_is_dropped_and_every_paragraph_kept() {
    let path = "corpus/analysis-ai-cloud-alliances.txt";
    let original = fs::read_to_string(root().join(path)).unwrap();
    let body = body_of(path);
    for chrome in [
        "Skip to content",
        "Sign in",
        "Subscribe",
        "Some content is members-only",
        "Share This Article",
        "Loading comments",
        "No comments yet",
        "More from",
        "See all",
        "Why 10 gigawatts is the new normal",
    ] {
        assert!(!body.contains(chrome), "{chrome:?} survived");
    }
    assert_eq!(
        body.matches("The New Cloud Alliances: How OpenAI Rewired Its Compute Bets")
            .count(),
        1
    );
    // Every paragraph of the article (a long line) and the source list survive.
    let before_more = original.split("More from").next().unwrap();
    for line in before_more.lines().filter(|l| l.len() > 80) {
        assert!(body.contains(line), "paragraph lost: {line}");
    }
    assert!(body.contains("\nSources\n"));
    let sources_part = original.split("\nSources\n").nth(1).unwrap();
    let numbered: Vec<&str> = sources_part
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(numbered.len() >= 20);
    for line in numbered {
        assert!(body.contains(line), "source line lost: {line}");
    }
    // The teaser cards under "More from" go with it.
    assert!(!body.contains("Power, not chips, is now the scarcest input"));
}

#[test]
fn html_pages_keep_the_article_and_drop_the_page() {
    for (path, must_have) in [
        ("corpus/amazon-openai-deal-main.html", "is worth $38 billion"),
        (
            "corpus/anthropic-compute-story.html",
            "3.5 gigawatts of additional computing capacity",
        ),
        (
            "corpus/microsoft-stake-openai-article.html",
            "the amount was $1 billion",
        ),
    ] {
        let body = body_of(path);
        assert!(body.contains(must_have), "{path}: {must_have:?} missing");
        let html = fs::read_to_string(root().join(path)).unwrap();
        assert!(
            !body.contains("function") && !body.contains("<"),
            "{path}: script or markup in body"
        );
        // No text of nav, footer or script elements.
        for tag in ["nav", "footer", "script"] {
            for part in html.split(&format!("<{tag}")).skip(1) {
                let inner = part.split(&format!("</{tag}>")).next().unwrap_or("");
                let inner = inner.split_once('>').map_or("", |x| x.1);
                for text in inner
                    .split('<')
                    .filter_map(|s| s.split_once('>').map(|x| x.1))
                    .chain([inner])
                {
                    let t = text.trim();
                    if t.len() > 25 && !t.contains('<') {
                        assert!(!body.contains(t), "{path}: <{tag}> text {t:?} leaked into the body");
                    }
                }
            }
        }
    }
}

/// `path:line` of an HTML claim is a line of the page, the one holding the figure (not a
/// line of the cleaned body, which would send an editor into `<head>`), with LF or CRLF
/// line ends.
#[test]
fn html_claims_are_on_the_line_of_the_page() {
    let fixture = "tests/fixtures/lines/harbour-ferry.html";
    let page = fs::read_to_string(root().join(fixture)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("harbour-ferry-crlf.html");
    fs::write(&crlf, page.replace('\n', "\r\n")).unwrap();
    for path in [root().join(fixture), crlf] {
        let out = run(&["extract", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let claims = records(&out)[0]["claims"].as_array().cloned().unwrap_or_default();
        let mut checked = Vec::new();
        for c in &claims {
            let text = c["text"].as_str().unwrap();
            // The line of the page holding the figure, found by searching the page.
            let mut at = page.match_indices(text).map(|(i, _)| i);
            let (Some(i), None) = (at.next(), at.next()) else {
                panic!("{text:?} is not once in the page")
            };
            let want = page[..i].matches('\n').count() + 1;
            assert_eq!(c["line"].as_u64(), Some(want as u64), "{}: {text:?}", path.display());
            checked.push(text.to_string());
        }
        // The first paragraph, one after a comment, entities and inline tags, a figure on
        // the second line of its paragraph, and a list item.
        assert_eq!(
            checked,
            ["$12 million", "6%", "1,240", "15%", "50"],
            "{}",
            path.display()
        );
    }
}

#[test]
fn corpus_metadata_matches_expected() {
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(root().join("tests/fixtures/corpus_meta.json")).unwrap()).unwrap();
    let out = run(&["extract", "corpus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = records(&out);
    assert_eq!(
        recs.len(),
        expected.as_object().unwrap().len(),
        "one record per corpus file"
    );
    let mut wrong = Vec::new();
    for r in &recs {
        let name = Path::new(r["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let e = &expected[&name];
        for field in ["title", "byline", "publisher", "published", "url"] {
            if r[field] != e[field] {
                wrong.push(format!("{name} {field}: got {} want {}", r[field], e[field]));
            }
        }
        assert_eq!(r["hash"].as_str().map(str::len), Some(64), "{name}: hex content hash");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn record_has_every_contract_field() {
    let out = run(&["extract", "corpus/wire-amazon-openai-trainium.txt"]);
    let r = &records(&out)[0];
    for field in [
        "path",
        "hash",
        "title",
        "byline",
        "publisher",
        "published",
        "url",
        "sources",
        "citations",
        "claims",
        "warnings",
    ] {
        assert!(r.get(field).is_some(), "{field} missing");
    }
    assert!(r.get("body").is_none(), "body only with --body");
}

/// The text of `json` (records, compact or pretty) with every claim's `"explain"` object
/// taken out, with the comma and blanks before it: its values are snake-case names, so the
/// object holds no brace of its own.
fn without_explain(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.find("\"explain\":") {
        let head = rest[..at].trim_end();
        out.push_str(head.strip_suffix(',').unwrap_or(head));
        let tail = &rest[at..];
        rest = &tail[tail.find('}').map_or(tail.len(), |i| i + 1)..];
    }
    out.push_str(rest);
    out
}

/// `--explain` adds one field to every claim, naming the rules behind its fields, and
/// nothing else: without it the field is absent, and taking it out gives the output of
/// `extract` without the flag, byte for byte, compact and pretty.
#[test]
fn explain_names_the_rules_behind_each_claim() {
    let path = "corpus/wire-amazon-openai-trainium.txt";
    let plain = run(&["extract", path]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let claims = records(&plain)[0]["claims"].as_array().cloned().unwrap_or_default();
    assert!(claims.len() > 5, "{claims:?}");
    assert!(
        claims.iter().all(|c| c.get("explain").is_none()),
        "explain only with --explain"
    );

    let out = run(&["extract", "--explain", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    let explained = records(&out)[0]["claims"].as_array().cloned().unwrap_or_default();
    assert_eq!(explained.len(), claims.len());
    for c in &explained {
        let e = c["explain"].as_object().unwrap_or_else(|| panic!("no explain: {c}"));
        for field in ["kind", "unit", "qualifier"] {
            let rule = e.get(field).and_then(Value::as_str).unwrap_or_default();
            assert!(
                !rule.is_empty()
                    && rule
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                "{field}: {c}"
            );
        }
        for (field, has) in [
            ("direction", !c["direction"].is_null()),
            ("period", !c["period"].is_null()),
            ("subject", !c["subject"].is_null()),
            ("measure", !c["measure"]["head"].is_null()),
        ] {
            assert_eq!(e.contains_key(field), has, "{field}: {c}");
        }
    }
    // "a partnership built around a $50 billion investment by Amazon": the agent after it.
    let agent = explained
        .iter()
        .find(|c| c["text"] == "$50 billion" && c["explain"]["subject"] == "agent");
    assert!(agent.is_some(), "{explained:?}");

    for pretty in [false, true] {
        let flags: &[&str] = if pretty { &["--pretty"] } else { &[] };
        let plain = run(&[&["extract"], flags, &["corpus"]].concat());
        let explained = run(&[&["extract", "--explain"], flags, &["corpus"]].concat());
        let (plain, explained) = (
            String::from_utf8_lossy(&plain.stdout),
            String::from_utf8_lossy(&explained.stdout),
        );
        assert!(explained.contains("\"explain\""));
        assert!(
            without_explain(&explained) == plain,
            "pretty {pretty}: not the output without --explain"
        );
    }
}

#[test]
fn hostile_tree_is_reported_and_the_rest_extracted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("good.txt"), "Good\n\nA fine article.\n").unwrap();
    // A 2 GiB sparse file: skipped by its size, never read.
    let sparse = fs::File::create(d.join("huge.txt")).unwrap();
    sparse.set_len(2 << 30).unwrap();
    // A FIFO that nobody writes to: reading it would hang forever.
    let _ = Command::new("mkfifo").arg(d.join("pipe.txt")).status();
    let _sock = std::os::unix::net::UnixListener::bind(d.join("sock.md")).unwrap();
    // A zip file dressed as HTML, and a file name that is not UTF-8.
    fs::write(d.join("page.html"), b"PK\x03\x04\x14\x00\x00\x00\x08\x00<html>").unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(d.join(odd), "Odd name\n\nStill an article.\n").unwrap();
    fs::create_dir(d.join("loop")).unwrap();
    std::os::unix::fs::symlink(d.join("loop"), d.join("loop/again")).unwrap();

    let out = bin().arg("extract").arg(d).output().unwrap();
    let err = stderr(&out);
    let paths: Vec<String> = records(&out)
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}\n{err}");
    assert!(
        paths[0].ends_with("caf\u{FFFD}.txt"),
        "lossy name still extracted: {paths:?}"
    );
    assert!(paths[1].ends_with("good.txt"));
    for (file, reason) in [
        ("huge.txt", "too large"),
        ("pipe.txt", "not a regular file"),
        ("sock.md", "not a regular file"),
        ("page.html", "binary file"),
        ("again", "symlink loop"),
    ] {
        if file == "pipe.txt" && !d.join("pipe.txt").exists() {
            continue;
        }
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named in {err}"));
        assert!(line.contains(reason), "{file}: {line}");
    }
    assert_eq!(out.status.code(), Some(1), "the symlink loop is a failure");
}
