//! The command line, as typed (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Numeric claims from news articles: extract, index, search, cross-check.
#[derive(Debug, Parser)]
#[command(name = "claimdex", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract claims from articles and add them to the index (incremental).
    Ingest(IngestArgs),
    /// Print every file's document record and claims as JSON Lines.
    Extract(ExtractArgs),
    /// Search indexed claims by words and values.
    Search(SearchArgs),
    /// Report figures that disagree across sources.
    Conflicts(ConflictsArgs),
    /// Write a report again, in any format, from the groups `conflicts` wrote as JSON.
    Report(ReportArgs),
    /// Show what the index holds.
    Stats(StatsArgs),
    /// Work on whole indexes: merge shards built apart.
    #[command(subcommand)]
    Index(IndexCommand),
    /// The conflict report as stages that run apart (on a cluster): memo (or survey and notes), key, attach, judge.
    #[command(subcommand)]
    Reconcile(ReconcileCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `claimdex man | man -l -`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The index location, shared by the commands that use one.
#[derive(Debug, Args)]
pub struct IndexArg {
    /// Index folder.
    #[arg(long, value_name = "DIR", default_value = "index", env = "CLAIMDEX_INDEX")]
    pub index: PathBuf,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and folders to ingest.
    #[arg(value_name = "PATH", default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Drop the index and ingest everything again.
    #[arg(long)]
    pub rebuild: bool,
    /// No progress bar; only errors on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Name every file inside the folders that was left for its extension.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print the final summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Skip files larger than this (bytes, or 512K, 16M, 1G: powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Commit after every this many MB of new input, so an interrupted ingest keeps them.
    #[arg(long, value_name = "MB", default_value_t = 64.0)]
    pub commit_every: f64,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files and folders to extract from.
    #[arg(value_name = "PATH", required_unless_present = "files_from")]
    pub paths: Vec<PathBuf>,
    /// Also the files and folders this file lists, one path a line (`-`: standard input),
    /// as from `find`: how a scheduler hands a task its share of an archive.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Indent the JSON (one object per file, still one after another).
    #[arg(long)]
    pub pretty: bool,
    /// Add the cleaned article text as "body".
    #[arg(long)]
    pub body: bool,
    /// Add "explain" to each claim: the names of the rules behind its kind, unit,
    /// qualifier, direction, period, subject and measure head.
    #[arg(long)]
    pub explain: bool,
    /// Name every file inside the folders that was left for its extension.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Skip files larger than this (bytes, or 512K, 16M, 1G: powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// jsonl: one document record a line; parquet: two tables, documents.parquet and
    /// claims.parquet, in the --output folder.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Jsonl)]
    pub format: ExtractFormat,
    /// The folder for the Parquet tables (needed with --format parquet).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// What `extract` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Jsonl,
    Parquet,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query in tantivy's syntax: words (all must match; OR for either), "phrases",
    /// field:value (subject, metric, entities, kind, unit, qualifier, period),
    /// value:[1e9 TO 2e10]; `*` matches every claim.
    pub query: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Most hits to show.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Only claims of this kind (money, percent, power, energy, count, duration, multiple).
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
    /// Only claims in this unit (USD, %, W, ...).
    #[arg(long, value_name = "U")]
    pub unit: Option<String>,
    /// Smallest value, in base units (10e9, 10B, "$10 billion"); a unit written here
    /// ("$10 billion", 45%, 2GW) keeps the search to claims in that unit.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub min: Option<String>,
    /// Largest value, in base units; a unit written here filters as for --min.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub max: Option<String>,
    /// Only claims that name this entity.
    #[arg(long, value_name = "NAME")]
    pub entity: Option<String>,
    /// JSON Lines output.
    #[arg(long)]
    pub json: bool,
    /// Colour: auto (on a terminal, unless NO_COLOR is set or TERM is dumb), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// When to paint output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to paint a stream that `is_terminal` or not.
    pub fn paints(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                anstyle_query::clicolor_force()
                    || (is_terminal && !anstyle_query::no_color() && anstyle_query::term_supports_color())
            }
        }
    }
}

/// A size as people write it: `16777216`, `512K`, `16M`, `16MiB`, `1.5G` (powers of 1024,
/// whatever the unit's spelling), read by the `parse-size` crate.
pub fn parse_size(s: &str) -> Result<u64, String> {
    parse_size::Config::new()
        .with_binary()
        .parse_size(s.trim())
        .map_err(|e| format!("`{s}` is not a size ({e}; try 16777216, 512K, 16M, 1G)"))
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
    /// One group per line, compact JSON.
    Jsonl,
    Csv,
    Html,
}

/// A verdict `--verdict` selects, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictChoice {
    Conflict,
    Unresolved,
    Explained,
    Consistent,
    All,
}

impl ReportFormat {
    /// The format a file's extension names (`report.html` is HTML), if any.
    pub fn of_path(path: &std::path::Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => ReportFormat::Md,
            "json" => ReportFormat::Json,
            "jsonl" | "ndjson" => ReportFormat::Jsonl,
            "csv" => ReportFormat::Csv,
            "html" | "htm" => ReportFormat::Html,
            _ => return None,
        })
    }
}

#[derive(Debug, Args)]
pub struct ConflictsArgs {
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub shape: ReportShape,
    /// Only groups stated by at least this many distinct articles.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_sources: usize,
    /// Claims held in memory before they are sorted on disk (in the temporary folder,
    /// TMPDIR); the report is the same whatever the budget.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub memory: u64,
}

/// What a report shows and where it goes: shared by `conflicts` and `report`.
#[derive(Debug, Args, Default)]
pub struct ReportShape {
    /// Output format [default: the --output file's extension (.md, .json, .jsonl, .csv,
    /// .html), else md].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Only groups of these verdicts, comma-separated, or all [default: all but consistent
    /// for md and html, all for json, jsonl and csv].
    #[arg(long, value_enum, value_delimiter = ',', value_name = "VERDICT")]
    pub verdict: Vec<VerdictChoice>,
    /// Only the first N groups (conflicts come first).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Write the report here instead of stdout (its extension names the format unless
    /// --format does).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The groups to report: what `conflicts --format jsonl` (one group a line) or
    /// `--format json` wrote; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    #[command(flatten)]
    pub shape: ReportShape,
    /// Groups held in memory before they are sorted on disk (in the temporary folder,
    /// TMPDIR); the report is the same whatever the budget.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub memory: u64,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// Print the statistics as one JSON object (with --warnings: one JSON object per
    /// warning, with `path` and `warning`).
    #[arg(long)]
    pub json: bool,
    /// List every warning the ingested articles gave, as `path: warning`, by path.
    #[arg(long)]
    pub warnings: bool,
}

/// `claimdex index ...`.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Merge indexes built apart (one `ingest` per share of the articles) into one new
    /// index; no two shards may hold the same article.
    Merge(MergeArgs),
}

/// `claimdex reconcile ...`: `conflicts` in stages, records as lines between them
/// (README, "More than one machine"): `memo` once (or `survey` and `notes` per part,
/// merged by `survey --merge` and `memo --survey`), `key` and `attach` per part of the
/// articles, then the lines sorted by key (every line of a key to one `judge`), `judge`,
/// and `report --from` over all the judges wrote.
#[derive(Debug, Subcommand)]
pub enum ReconcileCommand {
    /// What keying knows of the whole corpus, from the articles `claimdex extract` wrote
    /// (JSON Lines files, in any order), as one JSON file; with `--survey`, from the notes
    /// of every part.
    Memo(MemoArgs),
    /// The memo's first pass over parts of `claimdex extract` output (stdin when no PART
    /// is given), or with `--merge` the surveys of every part made one.
    Survey(SurveyArgs),
    /// Note each article of one part of `claimdex extract` output (stdin) for the memo,
    /// by the merged survey of every part: a JSON line each, in path order.
    Notes(NotesArgs),
    /// Key the claims of one part of `claimdex extract` output (stdin): keyed claims and
    /// named keys out, a line each.
    Key(KeyArgs),
    /// Join the claims `key` left waiting (stdin) to the named keys of every part.
    Attach(AttachArgs),
    /// Judge keyed claims sorted by key, then order (stdin): each key's groups out, as
    /// JSON Lines, in key order.
    Judge(JudgeArgs),
}

#[derive(Debug, Args)]
pub struct MemoArgs {
    /// The `claimdex extract` output files; with `--survey`, the `reconcile notes` files.
    #[arg(value_name = "PART", required = true)]
    pub parts: Vec<PathBuf>,
    /// Make the memo of the parts' notes, noted by this merged survey.
    #[arg(long, value_name = "FILE")]
    pub survey: Option<PathBuf>,
    /// Write the memo here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Claims held in memory before they are sorted on disk.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub memory: u64,
}

#[derive(Debug, Args)]
pub struct SurveyArgs {
    /// The `claimdex extract` output files (stdin when none); with `--merge`, surveys.
    #[arg(value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Merge the surveys given into one.
    #[arg(long, requires = "parts")]
    pub merge: bool,
    /// Write the survey here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    /// The merged survey of every part (`reconcile survey --merge`).
    #[arg(long, value_name = "FILE")]
    pub survey: PathBuf,
}

#[derive(Debug, Args)]
pub struct StageArgs {
    /// The memo `claimdex reconcile memo` wrote.
    #[arg(long, value_name = "FILE")]
    pub memo: PathBuf,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(flatten)]
    pub stage: StageArgs,
    /// Write the named keys (`n` lines) to FILE instead of after the keyed claims.
    #[arg(long, value_name = "FILE")]
    pub named: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The named keys (`n` lines) of every part's `key` output.
    #[arg(long, value_name = "FILE")]
    pub named: PathBuf,
}

#[derive(Debug, Args)]
pub struct JudgeArgs {
    #[command(flatten)]
    pub stage: StageArgs,
    /// Only groups stated by at least this many distinct articles.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_sources: usize,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged index: a new or empty folder.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// The indexes to merge (each made by `claimdex ingest`).
    #[arg(value_name = "SHARD", required = true)]
    pub shards: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("16M"), Ok(16 * 1024 * 1024));
        assert_eq!(parse_size("16M"), Ok(crate::read::DEFAULT_MAX_FILE_SIZE));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("1.5M"), Ok(3 << 19));
        assert_eq!(parse_size("16 MB"), Ok(16 << 20));
        for bad in ["", "M", "-5", "3 parsecs", "99999999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn colour_follows_the_choice() {
        assert!(ColorChoice::Always.paints(false));
        assert!(!ColorChoice::Never.paints(true));
        assert!(!ColorChoice::Auto.paints(false) || anstyle_query::clicolor_force());
    }
}
