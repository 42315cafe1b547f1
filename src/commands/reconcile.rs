//! `claimdex reconcile ...`: the conflict report's stages ([`crate::reconcile::stages`]),
//! each reading files or stdin and writing stdout (`memo` also `--output FILE`).

use std::io::Write;
use std::path::Path;

use super::Exit;
use crate::atomic::{AtomicFile, cannot_write};
use crate::cli::{KeyArgs, MemoArgs, ReconcileCommand, SurveyArgs};
use crate::error::{Error, Result};
use crate::reconcile::{self, CorpusMemo, Options, Survey};

/// Runs the `reconcile` stage asked for.
pub fn run(cmd: ReconcileCommand, out: &mut dyn Write) -> Result<Exit> {
    let stdin = Path::new("<stdin>");
    let input = || std::io::stdin().lock();
    match cmd {
        ReconcileCommand::Memo(args) => memo(&args, out)?,
        ReconcileCommand::Survey(args) => survey(&args, out)?,
        ReconcileCommand::Notes(args) => {
            let first = Survey::read(&args.survey)?.settled(&args.survey)?;
            reconcile::notes(&first, input(), stdin, out)?;
        }
        ReconcileCommand::Key(args) => key(&args, out)?,
        ReconcileCommand::Attach(args) => reconcile::attach(&args.named, input(), stdin, out)?,
        ReconcileCommand::Judge(args) => {
            if args.min_sources == 0 {
                return Err(Error::Usage("--min-sources must be at least 1".into()));
            }
            let opts = Options {
                min_sources: args.min_sources,
                ..Options::default()
            };
            let memo = CorpusMemo::read(&args.stage.memo)?;
            reconcile::judge(&memo, input(), stdin, &opts, out)?;
        }
    }
    out.flush().map_err(Error::stdout)?;
    Ok(Exit::Success)
}

/// `reconcile memo PART...` (or `--survey S NOTES...`): the memo to `--output` or stdout.
fn memo(args: &MemoArgs, out: &mut dyn Write) -> Result<()> {
    let memo = match &args.survey {
        Some(survey) => CorpusMemo::of_notes(Survey::read(survey)?.settled(survey)?, &args.parts)?,
        None => {
            let budget = usize::try_from(args.memory).unwrap_or(usize::MAX);
            CorpusMemo::of_parts(&args.parts, &Options::default(), budget)?
        }
    };
    write_to(args.output.as_deref(), out, &|to| memo.write(to))
}

/// `reconcile survey [--merge] [PART...]`: the survey to `--output` or stdout.
fn survey(args: &SurveyArgs, out: &mut dyn Write) -> Result<()> {
    let mut survey = Survey::default();
    for part in &args.parts {
        match args.merge {
            true => survey.merge(Survey::read(part)?),
            false => survey.add_file(part, &Options::default())?,
        }
    }
    if args.parts.is_empty() {
        survey.add_part(std::io::stdin().lock(), Path::new("<stdin>"), &Options::default())?;
    }
    write_to(args.output.as_deref(), out, &|to| survey.write(to))
}

/// `reconcile key`: keyed claims to stdout, then the named keys (to `--named FILE` when
/// given).
fn key(args: &KeyArgs, out: &mut dyn Write) -> Result<()> {
    let memo = CorpusMemo::read(&args.stage.memo)?;
    let stdin = std::io::stdin().lock();
    let named = reconcile::key_part(&memo, stdin, Path::new("<stdin>"), &Options::default(), out)?;
    write_to(args.named.as_deref(), out, &|to| {
        named.iter().try_for_each(|l| writeln!(to, "{l}"))
    })
}

/// What `write` writes, into `file` (whole or not at all) when given, else to `out`.
fn write_to(
    file: Option<&Path>,
    out: &mut dyn Write,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match file {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            write(&mut file).map_err(|e| cannot_write(path, &e))?;
            file.commit()
        }
        None => write(out).map_err(Error::stdout),
    }
}
