//! `claimdex ingest [PATH]...`: the library's ingest engine ([`crate::ingest`]) with the
//! command's flags, a progress bar on a terminal and the summary at the end.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Exit, report_file_error, report_walk, thread_pool};
use crate::cli::IngestArgs;
use crate::error::{Error, Result};
use crate::ingest::{self, Settings, Sink, Summary};
use crate::pipeline::{self, Options};
use crate::printable::escape;
use crate::walk::{self, Walk};

/// What the user sees of an ingest as it runs: the walk's errors, each file that failed,
/// warnings, and (on a terminal) a progress bar, cleared however the ingest ends.
struct Terminal {
    bar: ProgressBar,
    /// Hidden: `--quiet`, or stderr is not a terminal.
    hidden: bool,
    /// Each warning as it comes (a log); on a terminal they are counted at the end.
    each_warning: bool,
    verbose: bool,
    started: Instant,
    last_msg: Instant,
}

impl Terminal {
    fn new(args: &IngestArgs) -> Self {
        let terminal = std::io::stderr().is_terminal();
        Terminal {
            bar: ProgressBar::hidden(),
            hidden: args.quiet || !terminal,
            each_warning: !args.quiet && !terminal,
            verbose: args.verbose,
            started: Instant::now(),
            last_msg: Instant::now(),
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

impl Sink for Terminal {
    fn walked(&mut self, walk: &Walk) {
        report_walk(walk, self.verbose);
        if !self.hidden {
            self.bar = progress_bar(walk.files.len());
        }
    }

    fn file_error(&mut self, err: &Error) {
        self.bar.suspend(|| report_file_error(err));
    }

    fn warnings(&mut self, path: &str, warnings: &[String], cut_short: bool) {
        // Claims dropped by a bound are said however stderr is read.
        if self.each_warning || cut_short {
            for w in warnings {
                self.bar.suspend(|| super::report_warning(walk::shown(path), w));
            }
        }
    }

    fn file_done(&mut self, summary: &Summary) {
        self.bar.inc(1);
        if self.last_msg.elapsed() >= Duration::from_millis(200) {
            self.last_msg = Instant::now();
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            let mb = summary.bytes_read as f64 / 1e6;
            self.bar.set_message(format!(
                "{mb:.1} MB  {:.1} MB/s  {:.0} claims/s",
                mb / secs,
                summary.claims as f64 / secs
            ));
        }
    }

    fn stage(&mut self, what: &str) {
        self.bar.set_message(what.to_string());
    }

    fn note(&mut self, text: &str) {
        self.bar.suspend(|| eprintln!("claimdex: {}", escape(text)));
    }
}

fn progress_bar(files: usize) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files  eta {eta}  {msg}")
    {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// `claimdex ingest`: checks the flags, runs the engine and prints its summary. Exit
/// code 1 when a file failed, was cut short or a path could not be read.
pub fn run(args: &IngestArgs, out: &mut dyn Write) -> Result<Exit> {
    if !(args.commit_every.is_finite() && args.commit_every > 0.0) {
        return Err(Error::Usage("--commit-every must be a positive number of MB".into()));
    }
    let pool = thread_pool(args.jobs)?;
    let settings = Settings {
        index: &args.index.index,
        paths: &args.paths,
        commit_bytes: (args.commit_every * 1e6) as u64,
        rebuild: args.rebuild,
        pool: &pool,
        options: Options {
            max_file_size: args.max_file_size,
            keep_body: false,
            lexicon: crate::extract::Lexicon::from_env()?,
            budget: pipeline::Budget::default(),
            explain: false,
        },
    };
    let mut terminal = Terminal::new(args);
    let stop = crate::signals::interrupt_flag();
    let summary = ingest::ingest(&settings, &mut terminal, &stop)?;
    drop(terminal);
    write_summary(args, &summary, out)?;
    if summary.warnings > 0 && !args.quiet {
        let (n, s) = (summary.warnings, if summary.warnings == 1 { "" } else { "s" });
        eprintln!("claimdex: {n} warning{s}; claimdex stats --warnings lists them");
    }
    if summary.interrupted {
        eprintln!(
            "claimdex: interrupted: the files counted above are indexed and committed; \
             run the same ingest again to finish the rest"
        );
        return Ok(Exit::Interrupted);
    }
    Ok(if summary.bad() > 0 {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// The summary on stdout: in words, or (`--json`) one JSON object.
fn write_summary(args: &IngestArgs, summary: &Summary, out: &mut dyn Write) -> Result<()> {
    let io = Error::stdout;
    if args.json {
        let line = crate::printable::json_line(summary).map_err(|e| io(std::io::Error::other(e)))?;
        writeln!(out, "{line}").map_err(io)?;
    } else {
        summary.write_text(out).map_err(io)?;
    }
    out.flush().map_err(io)
}
