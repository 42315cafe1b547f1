//! `claimdex conflicts`: the cross-source report over indexed claims.
//!
//! [`run_index`] reads the claims from the index; [`run`] takes claims already read (from
//! [`crate::reconcile::claims_from_documents`] in tests). Both reconcile them and write the
//! report in the format asked for, to `--output FILE` or to `out`.

use std::io::Write;

use super::Exit;
use crate::atomic::{AtomicFile, cannot_write};
use crate::cli::{ConflictsArgs, ReportFormat, ReportShape, VerdictChoice};
use crate::error::{Error, Result};
use crate::model::IndexedClaim;
use crate::reconcile::{self, Disagreement, Options, Verdict};
use crate::report::{self, Counts, Format, Groups};

/// The report format for a `--format` value.
pub fn format_of(f: ReportFormat) -> Format {
    match f {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Json => Format::Json,
        ReportFormat::Jsonl => Format::Jsonl,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Html => Format::Html,
    }
}

/// `claimdex conflicts`: reads the claims of `--index` that can meet others (only what the
/// report uses), sorted on disk past `--memory` ([`reconcile::ClaimSort`]), reconciles
/// them one key at a time and writes the report. The report is written as it is
/// rendered, never held whole.
pub fn run_index(args: &ConflictsArgs, out: &mut dyn Write) -> Result<Exit> {
    let opts = options(args)?;
    // Half the budget for the claims as read, half for them keyed.
    let budget = usize::try_from(args.memory / 2).unwrap_or(usize::MAX);
    let mut sort = reconcile::ClaimSort::new(budget, &opts);
    let (articles, copies) = crate::index::reader::each_keyed_shared_part(&args.index.index, |part| sort.push(part))?;
    let mut report = sort.reconcile(articles, copies, &opts, budget)?;
    let (wanted, top) = selection(&args.shape, report.all());
    report.select(&wanted, top);
    write_report(&args.shape, &report, out)
}

/// Reconciles `claims` and writes the report. `--min-sources 0` is a usage error.
pub fn run(args: &ConflictsArgs, claims: &[IndexedClaim], out: &mut dyn Write) -> Result<Exit> {
    let opts = options(args)?;
    let mut groups = reconcile::reconcile(claims, &opts);
    select(&args.shape, &mut groups);
    write_report(&args.shape, &groups, out)
}

/// The verdicts `--verdict` asks for: all but consistent in a report for reading (md,
/// html), where agreements would bury the disagreements, and all in data for machines.
fn wanted(args: &ReportShape) -> Vec<Verdict> {
    let every = [
        Verdict::Conflict,
        Verdict::Unresolved,
        Verdict::Explained,
        Verdict::Consistent,
    ];
    if args.verdict.is_empty() {
        let reading = matches!(chosen_format(args), ReportFormat::Md | ReportFormat::Html);
        return every
            .into_iter()
            .filter(|v| !reading || *v != Verdict::Consistent)
            .collect();
    }
    if args.verdict.contains(&VerdictChoice::All) {
        return every.to_vec();
    }
    let named = |c: &VerdictChoice| match c {
        VerdictChoice::Conflict => Some(Verdict::Conflict),
        VerdictChoice::Unresolved => Some(Verdict::Unresolved),
        VerdictChoice::Explained => Some(Verdict::Explained),
        VerdictChoice::Consistent => Some(Verdict::Consistent),
        VerdictChoice::All => None,
    };
    args.verdict.iter().filter_map(named).collect()
}

/// The groups of the verdicts asked for, the first `--top` of them (report order: real
/// conflicts first).
pub(super) fn select(args: &ReportShape, groups: &mut Vec<Disagreement>) {
    let (wanted, top) = selection(args, Groups::counts(groups));
    groups.retain(|g| wanted.contains(&g.verdict));
    if let Some(n) = top {
        groups.truncate(n);
    }
}

/// The verdicts and the number of groups asked for, of groups counted `all`. Groups left
/// out by default, not by asking: says so, and how to see them.
pub(super) fn selection(args: &ReportShape, all: Counts) -> (Vec<Verdict>, Option<usize>) {
    let wanted = wanted(args);
    if args.verdict.is_empty() && !wanted.contains(&Verdict::Consistent) && all.consistent > 0 {
        eprintln!(
            "claimdex: left out {} consistent groups; --verdict all shows them",
            all.consistent
        );
    }
    (wanted, args.top)
}

fn options(args: &ConflictsArgs) -> Result<Options> {
    if args.min_sources == 0 {
        return Err(Error::Usage("--min-sources must be at least 1".into()));
    }
    Ok(Options {
        min_sources: args.min_sources,
        ..Options::default()
    })
}

/// `--format`, else what the `--output` file's extension names, else Markdown.
fn chosen_format(args: &ReportShape) -> ReportFormat {
    args.format
        .or_else(|| args.output.as_deref().and_then(ReportFormat::of_path))
        .unwrap_or(ReportFormat::Md)
}

/// Renders the report straight into `--output FILE` (buffered) or `out`.
pub(super) fn write_report(args: &ReportShape, groups: &dyn Groups, out: &mut dyn Write) -> Result<Exit> {
    let format = format_of(chosen_format(args));
    match &args.output {
        Some(path) => {
            // Written whole or not at all: a failed write leaves an existing report as it was.
            let mut file = AtomicFile::create(path)?;
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            report::render_in(groups, format, dir, &mut file).map_err(|e| cannot_write(path, &e))?;
            file.commit()?;
        }
        None => {
            report::render_in(groups, format, std::path::Path::new("."), out)
                .and_then(|()| out.flush())
                .map_err(Error::stdout)?;
        }
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::*;
    use crate::cli::IndexArg;

    fn args(format: ReportFormat, output: Option<PathBuf>, min_sources: usize) -> ConflictsArgs {
        ConflictsArgs {
            index: IndexArg { index: "index".into() },
            shape: ReportShape {
                format: Some(format),
                output,
                ..ReportShape::default()
            },
            min_sources,
            memory: 256 << 20,
        }
    }

    #[test]
    fn writes_to_stdout_or_a_file() {
        let claims = crate::report::tests::hostile_claims();
        let mut out = Vec::new();
        assert_eq!(
            run(&args(ReportFormat::Json, None, 2), &claims, &mut out).ok(),
            Some(Exit::Success)
        );
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(v.as_array().map(Vec::len), Some(1));
        let dir = tempfile::tempdir().ok();
        let path = dir.as_ref().map(|d| d.path().join("r.html")).unwrap_or_default();
        let mut none = Vec::new();
        assert!(run(&args(ReportFormat::Html, Some(path.clone()), 2), &claims, &mut none).is_ok());
        assert!(none.is_empty());
        assert!(
            fs::read_to_string(&path)
                .unwrap_or_default()
                .contains("<section class=\"group conflict\"")
        );
        // Three articles required: none qualify.
        let mut out = Vec::new();
        assert!(run(&args(ReportFormat::Csv, None, 3), &claims, &mut out).is_ok());
        assert_eq!(crate::report::csv::parse(&String::from_utf8_lossy(&out)).len(), 1);
    }

    #[test]
    fn the_output_file_names_the_format_unless_format_does() {
        let claims = crate::report::tests::hostile_claims();
        let dir = tempfile::tempdir().unwrap();
        for (name, opens) in [
            ("r.html", "<!DOCTYPE html>"),
            ("r.JSON", "["),
            ("r.md", "# "),
            ("r.txt", "# "),
        ] {
            let path = dir.path().join(name);
            let mut a = args(ReportFormat::Md, Some(path.clone()), 2);
            a.shape.format = None;
            assert!(run(&a, &claims, &mut Vec::new()).is_ok());
            let text = fs::read_to_string(&path).unwrap();
            assert!(text.starts_with(opens), "{name}: {}", &text[..40.min(text.len())]);
        }
        // --format wins over the extension.
        let path = dir.path().join("r.html");
        assert!(
            run(
                &args(ReportFormat::Csv, Some(path.clone()), 2),
                &claims,
                &mut Vec::new()
            )
            .is_ok()
        );
        assert!(!fs::read_to_string(&path).unwrap().contains("<html"));
    }

    /// Indexes `files`, then checks that the report `run_index` streams (claims read shared)
    /// is, in every format, byte for byte the report of the claims read one by one.
    fn index_report_is_the_report_of_its_claims(files: &[PathBuf], dir: &std::path::Path) {
        let index = dir.join("index");
        let mut w = crate::index::writer::ClaimWriter::open(&index, &Default::default()).unwrap();
        for f in files {
            if let Ok(doc) = crate::pipeline::process_file(f, &Default::default()) {
                w.add(&doc, 0).unwrap();
            }
        }
        w.commit().unwrap();
        w.finish().unwrap();
        let claims = crate::index::reader::keyed_claims(&index).unwrap();
        assert_eq!(
            crate::index::reader::keyed_shared_claims(&index).unwrap(),
            reconcile::share(&claims)
        );
        for format in [
            ReportFormat::Md,
            ReportFormat::Json,
            ReportFormat::Csv,
            ReportFormat::Html,
        ] {
            // Both written in `dir`: the HTML page links articles relative to its folder.
            let expected_path = dir.join("expected");
            run(&args(format, Some(expected_path.clone()), 2), &claims, &mut Vec::new()).unwrap();
            let expected = fs::read(&expected_path).unwrap();
            // Held in memory, and sorted on disk in runs of a few claims.
            for memory in [256 << 20, 8 << 10] {
                let path = dir.join("report");
                let mut a = args(format, Some(path.clone()), 2);
                a.index.index = index.clone();
                a.memory = memory;
                let mut none = Vec::new();
                assert_eq!(run_index(&a, &mut none).ok(), Some(Exit::Success));
                assert!(none.is_empty());
                let written = fs::read(&path).unwrap();
                assert!(written.len() > 1000, "{format:?}: {} bytes", written.len());
                assert!(written == expected, "{format:?} in {memory} bytes");
            }
        }
    }

    #[test]
    fn the_index_report_streamed_to_a_file_is_the_report_of_its_claims() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files: Vec<PathBuf> = fs::read_dir(&corpus)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let dir = tempfile::tempdir().unwrap();
        index_report_is_the_report_of_its_claims(&files, dir.path());
    }

    /// A report written to disk group by group keeps what `--verdict` and `--top` select,
    /// and its summary counts them, as the report held in memory does.
    #[test]
    fn a_report_sorted_on_disk_selects_as_one_held() {
        let dir = tempfile::tempdir().unwrap();
        let made = crate::synth::write_corpus(&dir.path().join("corpus"), 5, 200_000).unwrap();
        let index = dir.path().join("index");
        let mut w = crate::index::writer::ClaimWriter::open(&index, &Default::default()).unwrap();
        for (f, _) in &made.files {
            if let Ok(doc) = crate::pipeline::process_file(f, &Default::default()) {
                w.add(&doc, 0).unwrap();
            }
        }
        w.commit().unwrap();
        w.finish().unwrap();
        let claims = crate::index::reader::keyed_claims(&index).unwrap();
        let shapes = [
            (vec![VerdictChoice::Conflict, VerdictChoice::Explained], Some(3)),
            (vec![VerdictChoice::Consistent], Some(2)),
            (vec![], None),
        ];
        for (verdict, top) in shapes {
            let mut a = args(ReportFormat::Md, None, 2);
            a.shape.verdict = verdict;
            a.shape.top = top;
            let mut held = Vec::new();
            run(&a, &claims, &mut held).unwrap();
            a.index.index = index.clone();
            a.memory = 4 << 10;
            let mut sorted = Vec::new();
            run_index(&a, &mut sorted).unwrap();
            assert!(held.len() > 200, "{}", String::from_utf8_lossy(&held));
            assert!(held == sorted, "{top:?}: {}", String::from_utf8_lossy(&sorted));
        }
    }

    #[test]
    fn the_shared_claims_give_the_same_report_over_a_synthetic_corpus() {
        // Articles that share sentences, names, sources and titles: what sharing shares.
        let dir = tempfile::tempdir().unwrap();
        let made = crate::synth::write_corpus(&dir.path().join("corpus"), 3, 400_000).unwrap();
        let files: Vec<PathBuf> = made.files.iter().map(|(p, _)| p.clone()).collect();
        assert!(files.len() >= 10, "{} files", files.len());
        index_report_is_the_report_of_its_claims(&files, dir.path());
    }

    #[test]
    fn zero_min_sources_is_a_usage_error() {
        let mut out = Vec::new();
        assert!(matches!(
            run(&args(ReportFormat::Md, None, 0), &[], &mut out),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn an_unwritable_output_names_the_file() {
        let mut out = Vec::new();
        let bad = PathBuf::from("/nonexistent-dir/claimdex/report.md");
        match run(&args(ReportFormat::Md, Some(bad.clone()), 2), &[], &mut out) {
            Err(e @ Error::File { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with("/nonexistent-dir/claimdex/report.md: cannot write"),
                    "{msg}"
                );
            }
            other => panic!("expected a write error, got {other:?}"),
        }
    }
}
