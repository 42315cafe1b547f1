use std::io::{self, Write};
use std::process::ExitCode;

use claimdex::Error;
use claimdex::cli::Cli;
use claimdex::commands::{self, Exit};
use clap::Parser;

/// mimalloc instead of glibc malloc: with glibc, ingest's anonymous memory grew with the
/// corpus. tantivy's indexing threads, new after every commit, fill 1 MB arena pages;
/// once such a page is freed glibc raises its mmap threshold, so later pages come from
/// per-thread heaps that fragment and are not given back (at 300 MB of input: 166 MB
/// taken from the system for 80 MB in use). mimalloc gives freed pages back. Its v2 line:
/// v3 waits a second before giving pages back, which kept the peak 60 MB higher.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    claimdex::signals::ignore_file_size_limit_signal();
    let cli = Cli::parse();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = commands::run(cli, &mut out);
    let exit = match result {
        Ok(exit) => exit,
        // A closed pipe (`claimdex extract ... | head`) is not an error.
        Err(Error::Io { source, .. } | Error::Write { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            Exit::Success
        }
        Err(e) => {
            let _ = out.flush();
            eprintln!("claimdex: {}", claimdex::printable::escape(&e.to_string()));
            if matches!(e, Error::Usage(_)) {
                Exit::Usage
            } else {
                Exit::Failure
            }
        }
    };
    ExitCode::from(exit as u8)
}
