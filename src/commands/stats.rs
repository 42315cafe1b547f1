//! `claimdex stats`: what the index holds.

use std::io::Write;

use super::Exit;
use crate::cli::StatsArgs;
use crate::error::{Error, Result};
use crate::index::reader::{self, DocumentRecord, Stats};

fn write_text(out: &mut dyn Write, s: &Stats) -> std::io::Result<()> {
    writeln!(out, "index          {} (schema version {})", s.index, s.schema_version)?;
    writeln!(out, "documents      {}", s.documents)?;
    writeln!(out, "claims         {}", s.claims)?;
    writeln!(out, "claims by kind")?;
    for (kind, n) in &s.by_kind {
        writeln!(out, "  {kind:<12} {n}")?;
    }
    writeln!(out, "claims by unit")?;
    for (unit, n) in &s.by_unit {
        writeln!(out, "  {unit:<12} {n}")?;
    }
    writeln!(
        out,
        "citations      {} ({} unresolved markers)",
        s.citations, s.unresolved
    )?;
    writeln!(out, "sources        {}", s.sources)?;
    if s.warnings > 0 {
        writeln!(
            out,
            "warnings       {} (claimdex stats --warnings lists them)",
            s.warnings
        )?;
    }
    let ratio = if s.input_bytes > 0 {
        format!(
            ", {:.2} bytes per input byte",
            s.index_bytes as f64 / s.input_bytes as f64
        )
    } else {
        String::new()
    };
    if !s.folders.is_empty() {
        writeln!(out, "folders")?;
        for (folder, n) in &s.folders {
            writeln!(out, "  {} {n}", crate::printable::escape(folder))?;
        }
    }
    writeln!(out, "input          {:.2} MB", s.input_bytes as f64 / 1e6)?;
    writeln!(
        out,
        "index size     {:.2} MB in {} segments{ratio}",
        s.index_bytes as f64 / 1e6,
        s.segments
    )
}

/// One warning of one article, as `stats --warnings --json` writes it.
#[derive(serde::Serialize)]
struct Warning<'a> {
    path: &'a str,
    warning: &'a str,
}

/// `stats --warnings`: every stored warning, by path, in the order the article gave them.
fn write_warnings(out: &mut dyn Write, docs: &[DocumentRecord], json: bool) -> std::io::Result<()> {
    for d in docs {
        for w in &d.warnings {
            if json {
                let line = crate::printable::json_line(&Warning {
                    path: &d.path,
                    warning: w,
                })
                .map_err(std::io::Error::other)?;
                writeln!(out, "{line}")?;
            } else {
                let (path, w) = (crate::printable::escape(&d.path), crate::printable::escape_line(w));
                writeln!(out, "{path}: {w}")?;
            }
        }
    }
    Ok(())
}

pub fn run(args: &StatsArgs, out: &mut dyn Write) -> Result<Exit> {
    let io = Error::stdout;
    if args.warnings {
        let docs = reader::all_documents(&args.index.index)?;
        write_warnings(out, &docs, args.json).map_err(io)?;
        out.flush().map_err(io)?;
        return Ok(Exit::Success);
    }
    let stats = reader::stats(&args.index.index)?;
    if args.json {
        let line = crate::printable::json_line(&stats).map_err(|e| io(std::io::Error::other(e)))?;
        writeln!(out, "{line}").map_err(io)?;
    } else {
        write_text(out, &stats).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(Exit::Success)
}
