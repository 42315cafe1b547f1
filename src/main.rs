use std::io::{self, Write};
use std::process::ExitCode;

use claimdex::Error;
use claimdex::cli::Cli;
use claimdex::commands::{self, Exit};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = commands::run(cli, &mut out);
    let exit = match result {
        Ok(exit) => exit,
        // A closed pipe (`claimdex extract ... | head`) is not an error.
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => Exit::Success,
        Err(e) => {
            let _ = out.flush();
            eprintln!("claimdex: {e}");
            if matches!(e, Error::Usage(_)) {
                Exit::Usage
            } else {
                Exit::Failure
            }
        }
    };
    ExitCode::from(exit as u8)
}
