//! `claimdex conflicts`: the cross-source report over indexed claims.
//!
//! [`run`] takes the claims already read (from the index, or from [`crate::reconcile::
//! claims_from_documents`] in tests), reconciles them and writes the report in the format
//! asked for, to `--output FILE` or to `out`.

use std::fs;
use std::io::Write;

use super::Exit;
use crate::cli::{ConflictsArgs, ReportFormat};
use crate::error::{Error, Result};
use crate::model::IndexedClaim;
use crate::reconcile::{self, Options};
use crate::report::{self, Format};

/// The report format for a `--format` value.
pub fn format_of(f: ReportFormat) -> Format {
    match f {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Json => Format::Json,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Html => Format::Html,
    }
}

/// Reconciles `claims` and writes the report. `--min-sources 0` is a usage error.
pub fn run(args: &ConflictsArgs, claims: &[IndexedClaim], out: &mut dyn Write) -> Result<Exit> {
    if args.min_sources == 0 {
        return Err(Error::Usage("--min-sources must be at least 1".into()));
    }
    let opts = Options {
        min_sources: args.min_sources,
        ..Options::default()
    };
    let groups = reconcile::reconcile(claims, &opts);
    let mut buf = Vec::new();
    report::render(&groups, format_of(args.format), &mut buf).map_err(|source| Error::Io {
        path: "<report>".into(),
        source,
    })?;
    match &args.output {
        Some(path) => fs::write(path, &buf).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?,
        None => {
            out.write_all(&buf)
                .and_then(|()| out.flush())
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
        }
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::cli::IndexArg;

    fn args(format: ReportFormat, output: Option<PathBuf>, min_sources: usize) -> ConflictsArgs {
        ConflictsArgs {
            index: IndexArg { index: "index".into() },
            format,
            output,
            min_sources,
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
            Err(Error::Io { path, .. }) => assert_eq!(path, bad),
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}
