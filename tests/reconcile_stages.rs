//! `claimdex reconcile memo|survey|notes|key|attach|judge`: the conflict report run in
//! stages over parts of `claimdex extract` output, the lines sorted and cut between judges
//! as an engine would, gives the report `conflicts` gives, byte for byte, whether the memo
//! is made in one process or of each part's survey and notes; bad lines are named.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_claimdex");

/// Runs claimdex in `dir` with `input` on stdin.
fn run(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Written beside the read of stdout: a long input and a long output would block each other.
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    out
}

fn ok(dir: &Path, args: &[&str], input: &[u8]) -> String {
    let out = run(dir, args, input);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The article files of `corpus/`, sorted.
fn corpus_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(dir.join("corpus"))
        .unwrap()
        .map(|e| format!("corpus/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    files
}

/// The memo of the parts `names` made as a cluster makes it: a survey of each part (the
/// first read from stdin, the others named), the surveys merged (last first), each part's
/// notes by the merged survey, and the memo of the notes.
fn memo_of_notes(dir: &Path, names: &[String]) {
    let mut surveys = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let survey = match i {
            0 => ok(dir, &["reconcile", "survey"], &fs::read(dir.join(name)).unwrap()),
            _ => ok(dir, &["reconcile", "survey", name], b""),
        };
        fs::write(dir.join(format!("{name}.survey")), survey).unwrap();
        surveys.push(format!("{name}.survey"));
    }
    let mut merge = vec!["reconcile", "survey", "--merge", "-o", "survey.json"];
    merge.extend(surveys.iter().rev().map(String::as_str));
    ok(dir, &merge, b"");
    let mut memo = vec!["reconcile", "memo", "--survey", "survey.json", "-o", "memo.json"];
    for name in names {
        let part = fs::read(dir.join(name)).unwrap();
        let notes = ok(dir, &["reconcile", "notes", "--survey", "survey.json"], &part);
        fs::write(dir.join(format!("{name}.notes")), notes).unwrap();
    }
    let notes: Vec<String> = names.iter().map(|n| format!("{n}.notes")).collect();
    memo.extend(notes.iter().map(String::as_str));
    ok(dir, &memo, b"");
}

/// How the memo of the stages is made.
#[derive(Clone, Copy, Debug)]
enum MemoBy {
    /// `reconcile memo PART...`, one process.
    OneProcess,
    /// `reconcile survey` and `notes` per part, merged ([`memo_of_notes`]).
    Notes,
}

/// The report through the stages, the files in `parts` parts (the memo given them last
/// first), the sorted lines cut between `judges` judges at key boundaries. Also returns
/// how many claims waited for `attach`.
fn staged_report(dir: &Path, files: &[String], parts: usize, judges: usize, by: MemoBy) -> (String, usize) {
    let mut names = Vec::new();
    let mut keyed = Vec::new();
    for (i, share) in files.chunks(files.len().div_ceil(parts)).enumerate() {
        let name = format!("part-{i}.jsonl");
        let list = share.join("\n") + "\n";
        fs::write(
            dir.join(&name),
            ok(dir, &["extract", "-j1", "--files-from", "-"], list.as_bytes()),
        )
        .unwrap();
        names.push(name);
    }
    match by {
        MemoBy::OneProcess => {
            let mut memo = vec!["reconcile", "memo", "-o", "memo.json"];
            memo.extend(names.iter().rev().map(String::as_str));
            ok(dir, &memo, b"");
        }
        MemoBy::Notes => memo_of_notes(dir, &names),
    }
    for name in &names {
        let part = fs::read(dir.join(name)).unwrap();
        keyed.push(ok(dir, &["reconcile", "key", "--memo", "memo.json"], &part));
    }
    let mut named: Vec<&str> = keyed
        .iter()
        .flat_map(|k| k.lines())
        .filter(|l| l.starts_with("n\t"))
        .collect();
    named.sort_unstable();
    named.dedup();
    fs::write(dir.join("named"), named.join("\n") + "\n").unwrap();
    let waiting = keyed
        .iter()
        .flat_map(|k| k.lines())
        .filter(|l| l.starts_with("w\t"))
        .count();
    let mut lines: Vec<String> = Vec::new();
    for k in &keyed {
        lines.extend(
            ok(dir, &["reconcile", "attach", "--named", "named"], k.as_bytes())
                .lines()
                .map(String::from),
        );
    }
    let fields = |l: &String| l.split('\t').skip(1).take(2).map(String::from).collect::<Vec<_>>();
    lines.sort_by_key(fields);
    let mut groups = String::new();
    for share in cut_at_keys(&lines, judges) {
        let input = share.join("\n") + "\n";
        groups.push_str(&ok(
            dir,
            &["reconcile", "judge", "--memo", "memo.json"],
            input.as_bytes(),
        ));
    }
    fs::write(dir.join("groups.jsonl"), groups).unwrap();
    let report = ok(
        dir,
        &[
            "report",
            "--from",
            "groups.jsonl",
            "--format",
            "json",
            "--verdict",
            "all",
        ],
        b"",
    );
    (report, waiting)
}

/// The lines in `n` runs, never two runs with lines of one key.
fn cut_at_keys(lines: &[String], n: usize) -> Vec<&[String]> {
    let key = |l: &String| l.split('\t').nth(1).map(String::from);
    let mut runs = Vec::new();
    let mut start = 0;
    let per = lines.len().div_ceil(n);
    for i in 1..lines.len() {
        if i - start >= per && key(&lines[i]) != key(&lines[i - 1]) {
            runs.push(&lines[start..i]);
            start = i;
        }
    }
    runs.push(&lines[start..]);
    runs
}

#[test]
fn stages_give_the_report_conflicts_gives() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    let files = corpus_files(dir);
    // The same content under a second path, in another part: one article to the report.
    fs::copy(dir.join(&files[0]), dir.join("corpus/zz-copy.txt")).unwrap();
    let files = corpus_files(dir);
    ok(dir, &["ingest", "-q", "--index", "whole", "corpus"], b"");
    let want = ok(
        dir,
        &["conflicts", "--format", "json", "--verdict", "all", "--index", "whole"],
        b"",
    );
    assert!(want.matches("\"verdict\"").count() > 20, "{want}");
    let runs = [
        (1, 1, MemoBy::OneProcess),
        (3, 2, MemoBy::OneProcess),
        (3, 2, MemoBy::Notes),
        (5, 4, MemoBy::Notes),
    ];
    for (parts, judges, by) in runs {
        let (got, waiting) = staged_report(dir, &files, parts, judges, by);
        assert_eq!(got, want, "{parts} parts, {judges} judges, memo by {by:?}");
        assert!(waiting > 0, "some claims name no counterpart and wait for attach");
    }
}

#[test]
fn the_memo_of_the_parts_notes_is_the_memo_of_one_process() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    let files = corpus_files(dir);
    fs::copy(dir.join(&files[1]), dir.join("corpus/zz-copy.txt")).unwrap();
    let files = corpus_files(dir);
    let mut names = Vec::new();
    for (i, share) in files.chunks(files.len().div_ceil(4)).enumerate() {
        let list = share.join("\n") + "\n";
        let part = ok(dir, &["extract", "-j1", "--files-from", "-"], list.as_bytes());
        fs::write(dir.join(format!("part-{i}.jsonl")), part).unwrap();
        names.push(format!("part-{i}.jsonl"));
    }
    let mut whole = vec!["reconcile", "memo"];
    whole.extend(names.iter().map(String::as_str));
    let want = ok(dir, &whole, b"");
    memo_of_notes(dir, &names);
    let got = fs::read_to_string(dir.join("memo.json")).unwrap();
    assert_eq!(got, want);
    assert!(got.contains("zz-copy.txt"), "the copy is named in the memo's copies");
    // Most articles have keyed claims, so a note, and the notes of a part are in path order.
    let mut notes = 0;
    for name in &names {
        let text = fs::read_to_string(dir.join(format!("{name}.notes"))).unwrap();
        let paths: Vec<String> = text
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string())
            .collect();
        assert!(paths.is_sorted(), "{paths:?}");
        notes += paths.len();
    }
    assert!(notes >= files.len() / 2, "{notes} notes of {} files", files.len());
}

#[test]
fn notes_out_of_order_or_in_two_files_are_refused() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    let files = corpus_files(dir);
    let list = files.join("\n") + "\n";
    fs::write(
        dir.join("all.jsonl"),
        ok(dir, &["extract", "-j1", "--files-from", "-"], list.as_bytes()),
    )
    .unwrap();
    ok(dir, &["reconcile", "survey", "-o", "survey.json", "all.jsonl"], b"");
    let all = fs::read(dir.join("all.jsonl")).unwrap();
    let notes = ok(dir, &["reconcile", "notes", "--survey", "survey.json"], &all);
    let mut lines: Vec<&str> = notes.lines().collect();
    assert!(lines.len() > 2);
    fs::write(dir.join("a.notes"), notes.as_bytes()).unwrap();
    let out = run(
        dir,
        &["reconcile", "memo", "--survey", "survey.json", "a.notes", "a.notes"],
        b"",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("in two files of notes"));
    lines.swap(0, 1);
    fs::write(dir.join("b.notes"), lines.join("\n")).unwrap();
    let out = run(dir, &["reconcile", "memo", "--survey", "survey.json", "b.notes"], b"");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.notes"));
    fs::write(dir.join("c.notes"), "{\"path\": 3}\n").unwrap();
    let out = run(dir, &["reconcile", "memo", "--survey", "survey.json", "c.notes"], b"");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("c.notes") && err.contains("line 1"),
        "{err}"
    );
    // A part surveyed twice lists its articles twice.
    let out = run(
        dir,
        &["reconcile", "survey", "--merge", "survey.json", "survey.json"],
        b"",
    );
    assert!(out.status.success());
    fs::write(dir.join("twice.json"), out.stdout).unwrap();
    let out = run(dir, &["reconcile", "notes", "--survey", "twice.json"], &all);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("listed twice"), "{err}");
}

#[test]
fn bad_lines_are_named() {
    let tmp = common::corpus_copy();
    let dir = tmp.path();
    fs::write(dir.join("part.jsonl"), "{\"path\": 1}\n").unwrap();
    let out = run(dir, &["reconcile", "memo", "part.jsonl"], b"");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("part.jsonl: line 1: not an article of `claimdex extract`"),
        "{err}"
    );

    let part = ok(dir, &["extract", "-j1", "corpus"], b"");
    fs::write(dir.join("all.jsonl"), &part).unwrap();
    ok(dir, &["reconcile", "memo", "-o", "memo.json", "all.jsonl"], b"");
    let keyed = ok(dir, &["reconcile", "key", "--memo", "memo.json"], part.as_bytes());
    let mut lines: Vec<&str> = keyed.lines().filter(|l| l.starts_with("k\t")).collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.split('\t').nth(1)));
    assert!(lines.len() > 10);
    let out = run(
        dir,
        &["reconcile", "judge", "--memo", "memo.json"],
        lines.join("\n").as_bytes(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("<stdin>: line ") && err.contains(": out of order"),
        "{err}"
    );
    let out = run(
        dir,
        &["reconcile", "judge", "--memo", "memo.json"],
        b"k\tx\ty\tnot base64!\n",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1: a damaged claim record"));
    // Nothing in, nothing out.
    assert_eq!(ok(dir, &["reconcile", "judge", "--memo", "memo.json"], b""), "");
}
