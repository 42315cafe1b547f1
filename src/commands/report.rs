//! `claimdex report --from FILE`: the report written again from the groups `conflicts`
//! wrote as JSON (`--format jsonl`, one group a line, or `--format json`, one array), in
//! any format, with the same choice of verdicts, `--top` and `--output` as `conflicts`;
//! groups in any order (those of `claimdex reconcile judge`) are put in report order.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use super::Exit;
use super::conflicts::{select, write_report};
use crate::cli::ReportArgs;
use crate::error::{Error, Result};
use crate::reconcile::Disagreement;

/// Reads the groups of `args.from` and writes the report they make.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<Exit> {
    let mut groups = if args.from.as_os_str() == "-" {
        read_groups(std::io::stdin().lock(), Path::new("<stdin>"))?
    } else {
        let file = std::fs::File::open(&args.from).map_err(|source| Error::Io {
            path: args.from.clone(),
            source,
        })?;
        read_groups(file, &args.from)?
    };
    // Groups from several `reconcile judge` runs come in key order: put in report order
    // (a stable sort, so a report `conflicts` wrote stays as it is).
    groups.sort_by(crate::reconcile::in_report_order);
    select(&args.shape, &mut groups);
    write_report(&args.shape, &groups, out)
}

/// The groups of a JSON report: an array (`--format json`) or one group a line
/// (`--format jsonl`; blank lines skipped). A line that is not a group fails the whole
/// read, naming the file and the line: a report of part of the groups would mislead.
fn read_groups(input: impl Read, path: &Path) -> Result<Vec<Disagreement>> {
    let mut reader = BufReader::new(input);
    let opens_array = loop {
        let buf = reader.fill_buf().map_err(|source| io_error(path, source))?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => break buf[at] == b'[',
            None if buf.is_empty() => return Ok(Vec::new()),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    if opens_array {
        return serde_json::from_reader(reader).map_err(|e| bad(path, None, &e));
    }
    let mut groups = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|source| io_error(path, source))?;
        if !line.trim().is_empty() {
            groups.push(serde_json::from_str(&line).map_err(|e| bad(path, Some(n + 1), &e))?);
        }
    }
    Ok(groups)
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A file that is not what `conflicts` writes as JSON.
fn bad(path: &Path, line: Option<usize>, e: &serde_json::Error) -> Error {
    let at = line.map_or_else(String::new, |n| format!(":{n}"));
    Error::Usage(format!(
        "{}{at}: not a group of a `claimdex conflicts --format json` or `jsonl` report: {e}",
        crate::printable::escape(&path.to_string_lossy())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups read back from either JSON form are the groups written.
    #[test]
    fn groups_read_back_as_written() {
        let claims = crate::report::tests::hostile_claims();
        let groups = crate::reconcile::reconcile(&claims, &crate::reconcile::Options::default());
        assert!(!groups.is_empty());
        for format in [crate::report::Format::Json, crate::report::Format::Jsonl] {
            let written = crate::report::render_to_string(&groups, format).unwrap_or_default();
            let read = read_groups(format!("\n  {written}").as_bytes(), Path::new("r")).ok();
            assert_eq!(read.as_ref(), Some(&groups), "{format:?}");
        }
        assert_eq!(read_groups(&b" \n"[..], Path::new("r")).ok(), Some(Vec::new()));
        let err = read_groups(&b"{\"subject\": 1}\n"[..], Path::new("r.jsonl")).err();
        assert!(err.is_some_and(|e| e.to_string().contains("r.jsonl:1")));
    }
}
