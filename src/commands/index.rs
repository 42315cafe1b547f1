//! `claimdex index ...`: work on whole indexes. `merge` makes one index of shards built
//! apart and says what it holds.

use std::io::Write;

use super::Exit;
use crate::cli::{IndexCommand, MergeArgs};
use crate::error::{Error, Result};
use crate::index::merge;

/// Runs the `index` subcommand asked for.
pub fn run(cmd: IndexCommand, out: &mut dyn Write) -> Result<Exit> {
    match cmd {
        IndexCommand::Merge(args) => run_merge(&args, out),
    }
}

/// `claimdex index merge OUT SHARD...`: the summary on stdout, as `ingest` gives its own.
fn run_merge(args: &MergeArgs, out: &mut dyn Write) -> Result<Exit> {
    let merged = merge::merge(&args.out, &args.shards)?;
    let t = merged.totals;
    writeln!(
        out,
        "merged {} shard{} into {}: {} documents, {} claims, {} citations",
        merged.shards,
        if merged.shards == 1 { "" } else { "s" },
        crate::printable::escape(&args.out.to_string_lossy()),
        t.documents,
        t.claims,
        t.citations
    )
    .and_then(|()| out.flush())
    .map_err(Error::stdout)?;
    Ok(Exit::Success)
}
