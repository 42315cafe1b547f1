//! `claimdex report --from FILE`: the report written again from the groups `conflicts`
//! wrote as JSON (`--format jsonl`, one group a line, or `--format json`, one array), in
//! any format, with the same choice of verdicts, `--top` and `--output` as `conflicts`;
//! groups in any order (those of `claimdex reconcile judge`) are put in report order.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use serde::de::{DeserializeSeed, Deserializer, Error as _, SeqAccess, Visitor};

use super::Exit;
use super::conflicts::{selection, write_report};
use crate::cli::ReportArgs;
use crate::error::{Error, Result};
use crate::reconcile::{Disagreement, Judged};

/// Reads the groups of `args.from` and writes the report they make. The groups are put in
/// report order as they are read, sorted on disk past `--memory` (groups from several
/// `claimdex reconcile judge` runs come in key order; a report `conflicts` wrote stays as
/// it is): never held whole.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<Exit> {
    let budget = usize::try_from(args.memory).unwrap_or(usize::MAX);
    let mut groups = Judged::new(budget);
    let mut push = |g: Disagreement| groups.push(g).map_err(|e| sort_error(&e));
    if args.from.as_os_str() == "-" {
        each_group(std::io::stdin().lock(), Path::new("<stdin>"), &mut push)?;
    } else {
        let file = std::fs::File::open(&args.from).map_err(|source| Error::Io {
            path: args.from.clone(),
            source,
        })?;
        each_group(file, &args.from, &mut push)?;
    }
    let mut report = groups.finish().map_err(|e| sort_error(&e))?;
    let (wanted, top) = selection(&args.shape, report.all());
    report.select(&wanted, top);
    write_report(&args.shape, &report, out)
}

/// What a failed sort on disk says.
fn sort_error(e: &std::io::Error) -> Error {
    Error::File {
        path: std::env::temp_dir(),
        reason: format!("cannot sort groups in the temporary folder: {e}"),
    }
}

/// Each group of a JSON report to `f`: an array (`--format json`) or one group a line
/// (`--format jsonl`; blank lines skipped). A line that is not a group fails the whole
/// read, naming the file and the line: a report of part of the groups would mislead.
fn each_group(input: impl Read, path: &Path, f: &mut dyn FnMut(Disagreement) -> Result<()>) -> Result<()> {
    let mut reader = BufReader::new(input);
    let opens_array = loop {
        let buf = reader.fill_buf().map_err(|source| io_error(path, source))?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => break buf[at] == b'[',
            None if buf.is_empty() => return Ok(()),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    if opens_array {
        return each_in_array(reader, path, f);
    }
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|source| io_error(path, source))?;
        if !line.trim().is_empty() {
            f(serde_json::from_str(&line).map_err(|e| bad(path, Some(n + 1), &e))?)?;
        }
    }
    Ok(())
}

/// Each group of a JSON array, read one at a time.
fn each_in_array(reader: impl Read, path: &Path, f: &mut dyn FnMut(Disagreement) -> Result<()>) -> Result<()> {
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = EachGroup { f, failed: &mut failed }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match (failed, read) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(bad(path, None, &e)),
        (None, Ok(())) => Ok(()),
    }
}

/// Hands each element of a sequence of groups to `f`; what `f` fails with is kept.
struct EachGroup<'a> {
    f: &'a mut dyn FnMut(Disagreement) -> Result<()>,
    failed: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for EachGroup<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EachGroup<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of groups")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(g) = seq.next_element::<Disagreement>()? {
            if let Err(e) = (self.f)(g) {
                *self.failed = Some(e);
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
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

    fn read_groups(input: &[u8], path: &Path) -> Result<Vec<Disagreement>> {
        let mut all = Vec::new();
        each_group(input, path, &mut |g| {
            all.push(g);
            Ok(())
        })?;
        Ok(all)
    }

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
        let err = read_groups(&b"[{\"subject\": 1}]"[..], Path::new("r.json")).err();
        assert!(err.is_some_and(|e| e.to_string().contains("r.json: not a group")));
        assert!(
            read_groups(&b"[] x"[..], Path::new("r.json")).is_err(),
            "trailing bytes"
        );
    }

    /// A failure of the sink stops the read and is what the read fails with.
    #[test]
    fn a_failing_sink_stops_the_read() {
        let claims = crate::report::tests::hostile_claims();
        let groups = crate::reconcile::reconcile(&claims, &crate::reconcile::Options::default());
        let written = crate::report::render_to_string(&groups, crate::report::Format::Json).unwrap_or_default();
        let mut seen = 0;
        let err = each_group(written.as_bytes(), Path::new("r"), &mut |_| {
            seen += 1;
            Err(Error::Usage("full".into()))
        });
        assert_eq!(seen, 1);
        assert!(err.is_err_and(|e| e.to_string() == "full"));
    }
}
