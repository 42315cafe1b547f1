//! One file per subcommand; [`run`] dispatches.

pub mod conflicts;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod reconcile;
pub mod report;
pub mod search;
pub mod stats;

use std::io;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::printable::escape;

/// How a command ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything went well.
    Success = 0,
    /// 1: the command ran but something failed (a bad file, a broken index).
    Failure = 1,
    /// 2: the command line was wrong.
    Usage = 2,
    /// 130: Ctrl-C stopped the run (what it finished is kept).
    Interrupted = 130,
}

/// Runs the command the user typed, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn io::Write) -> Result<Exit> {
    match cli.command {
        Command::Extract(args) => extract::run(&args, out),
        Command::Ingest(args) => ingest::run(&args, out),
        Command::Search(args) => search::run(&args, out),
        Command::Conflicts(args) => conflicts::run_index(&args, out),
        Command::Report(args) => report::run(&args, out),
        Command::Stats(args) => stats::run(&args, out),
        Command::Index(cmd) => index::run(cmd, out),
        Command::Reconcile(cmd) => reconcile::run(cmd, out),
        Command::Completions(args) => completions(args.shell, out),
        Command::Man => manual(out),
    }
}

/// `claimdex completions SHELL`: the shell's completion script for every command and flag.
fn completions(shell: clap_complete::Shell, out: &mut dyn io::Write) -> Result<Exit> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut cmd, "claimdex", out);
    out.flush().map_err(Error::stdout)?;
    Ok(Exit::Success)
}

/// `claimdex man`: the manual page, in roff (`claimdex help COMMAND` tells each command's
/// flags).
fn manual(out: &mut dyn io::Write) -> Result<Exit> {
    let cmd = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(cmd).render(out).map_err(Error::stdout)?;
    out.flush().map_err(Error::stdout)?;
    Ok(Exit::Success)
}

/// Prints a problem with one file to stderr, in the one format every command uses.
pub fn report_file_error(err: &Error) {
    eprintln!("claimdex: {}", escape(&err.to_string()));
}

/// Prints a warning about one file to stderr, controls in its name or text escaped.
pub fn report_warning(path: &str, warning: &str) {
    eprintln!("claimdex: warning: {}: {}", escape(path), escape(warning));
}

/// Names on stderr every path the walk could not visit and every article-named file
/// that is not a regular file. Returns how many paths failed (skips do not count).
pub fn report_walk(found: &crate::walk::Walk, verbose: bool) -> usize {
    note_other_types(&found.other_types, verbose);
    for e in &found.errors {
        report_file_error(&Error::file(&e.path, &e.reason));
    }
    for p in &found.not_regular {
        report_file_error(&Error::skipped(
            p,
            "not a regular file (FIFO, socket or device); never opened",
        ));
    }
    found.errors.len()
}

/// Says on stderr how many files inside the folders walked were left for their extension
/// (never a file dropped without a word); `verbose` names each.
fn note_other_types(skipped: &[std::path::PathBuf], verbose: bool) {
    if skipped.is_empty() {
        return;
    }
    let n = skipped.len();
    let files = if n == 1 { "file" } else { "files" };
    let exts: Vec<String> = crate::walk::EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
    let exts = exts.join(" ");
    if verbose {
        eprintln!("claimdex: skipped {n} {files} of other types (not {exts}):");
        for p in skipped {
            eprintln!("  {}", escape(&p.to_string_lossy()));
        }
    } else {
        eprintln!("claimdex: skipped {n} {files} of other types (not {exts}); --verbose lists them");
    }
}

/// Worker threads per core at most, whatever `--jobs` asks.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// Builds the rayon pool for `--jobs` (None: all cores; capped at [`MAX_JOBS_PER_CORE`]
/// per core).
pub fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = jobs {
        if n == 0 {
            return Err(Error::Usage("--jobs must be at least 1".into()));
        }
        // More threads than a few per core only wait and hold memory (--jobs 10000 made
        // no progress for minutes): capped at MAX_JOBS_PER_CORE per core.
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        b = b.num_threads(n.min(cores * MAX_JOBS_PER_CORE));
    }
    b.build()
        .map_err(|e| Error::Usage(format!("cannot start {jobs:?} worker threads: {e}")))
}
