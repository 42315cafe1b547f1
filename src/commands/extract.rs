//! `claimdex extract PATH...`: JSON Lines, one document record per file.

use std::io::Write;

use rayon::prelude::*;

use super::{Exit, report_file_error, report_walk, thread_pool};
use crate::cli::ExtractArgs;
use crate::error::{Error, Result};
use crate::pipeline::{self, Options};
use crate::walk;

/// Files processed together before their records are written (bounds memory).
const BATCH: usize = 64;

pub fn run(args: &ExtractArgs, out: &mut dyn Write) -> Result<Exit> {
    let pool = thread_pool(args.jobs)?;
    let opts = Options {
        max_file_size: args.max_file_size,
        keep_body: args.body,
        lexicon: crate::extract::Lexicon::from_env()?,
    };
    let found = walk::walk(&args.paths);
    let mut failed = report_walk(&found) > 0;
    for batch in found.files.chunks(BATCH) {
        let docs: Vec<_> = pool.install(|| batch.par_iter().map(|p| pipeline::process_file(p, &opts)).collect());
        for doc in docs {
            match doc {
                Ok(doc) => {
                    for w in &doc.warnings {
                        eprintln!("claimdex: warning: {}: {w}", doc.path);
                    }
                    // Straight to the output: a file with a million claims is never also
                    // held as one JSON string (that doubled extract's peak memory).
                    let written = if args.pretty {
                        serde_json::to_writer_pretty(&mut *out, &doc)
                    } else {
                        serde_json::to_writer(&mut *out, &doc)
                    };
                    let io = |source| Error::Io {
                        path: "<stdout>".into(),
                        source,
                    };
                    written.map_err(|e| io(e.into()))?;
                    writeln!(out).map_err(io)?;
                }
                Err(e) => {
                    failed |= !e.is_skip();
                    report_file_error(&e);
                }
            }
        }
    }
    out.flush().map_err(|source| Error::Io {
        path: "<stdout>".into(),
        source,
    })?;
    Ok(if failed { Exit::Failure } else { Exit::Success })
}
