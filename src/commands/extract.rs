//! `claimdex extract PATH...`: JSON Lines, one document record per file, or two Parquet
//! tables (`--format parquet --output DIR`, [`crate::tables`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{Exit, report_file_error, report_walk, thread_pool};
use crate::clean::Format;
use crate::cli::{ExtractArgs, ExtractFormat};
use crate::error::{Error, Result};
use crate::extract::Explain;
use crate::model::{Citation, Claim, Document, Source};
use crate::pipeline::{self, Options, Prepared};
use crate::tables::Tables;
use crate::{read, walk};

/// Claims of one file held in memory at most: the claims of a file with more are
/// extracted a second time while its record is written, each written as it comes (a
/// claim-dense 16 MiB file has 850,000 claims, which took 590 MB held).
const HELD_CLAIMS: usize = 10_000;

/// One file's record, ready to be written.
enum Record {
    /// The document with its claims and, with `--explain`, the rules behind each claim
    /// (one per claim, in order; empty without it).
    Whole(Document, Vec<Option<Explain>>),
    /// Too many claims to hold: the document without them, and what makes them again.
    Streamed {
        doc: Document,
        prepared: Box<Prepared>,
        claims: usize,
    },
}

fn process(path: &Path, opts: &Options) -> Result<Record> {
    let (text, path) = if path == Path::new("-") {
        (read::read_stdin(opts.max_file_size)?, Path::new(read::STDIN))
    } else {
        (read::read_file(path, opts.max_file_size)?, path)
    };
    let format = Format::of(path, &text.text);
    let prepared = pipeline::prepare(&path.to_string_lossy(), text, format);
    let mut held = Vec::new();
    let mut whys = Vec::new();
    let mut claims = 0;
    let mut doc = prepared.extract_each_explained(opts, &mut |c, why| {
        claims += 1;
        if claims <= HELD_CLAIMS {
            held.push(c);
            if opts.explain {
                whys.push(why);
            }
        } else if claims == HELD_CLAIMS + 1 {
            held = Vec::new();
            whys = Vec::new();
        }
    })?;
    Ok(if claims <= HELD_CLAIMS {
        doc.claims = held;
        Record::Whole(doc, whys)
    } else {
        Record::Streamed {
            doc,
            prepared: Box::new(prepared),
            claims,
        }
    })
}

/// A document record whose claims are given apart: extracted while they are written
/// ([`ClaimStream`]), or held with the rules behind them ([`ExplainedClaims`]). With the
/// claims of the [`Document`], serialises to exactly its bytes (same fields, same order).
#[derive(Serialize)]
struct StreamedRecord<'a, C> {
    path: &'a str,
    hash: &'a str,
    encoding: Option<&'a str>,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    sources: &'a [Source],
    citations: &'a [Citation],
    claims: C,
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
}

impl<'a, C: Serialize> StreamedRecord<'a, C> {
    fn new(doc: &'a Document, claims: C) -> Self {
        StreamedRecord {
            path: &doc.path,
            hash: &doc.hash,
            encoding: doc.encoding.as_deref(),
            title: doc.title.as_deref(),
            byline: doc.byline.as_deref(),
            publisher: doc.publisher.as_deref(),
            published: doc.published.as_deref(),
            url: doc.url.as_deref(),
            sources: &doc.sources,
            citations: &doc.citations,
            claims,
            warnings: &doc.warnings,
            body: doc.body.as_deref(),
        }
    }
}

/// The claims of a prepared file, extracted again as they are serialised.
struct ClaimStream<'a> {
    prepared: &'a Prepared,
    opts: &'a Options,
    /// How many the first extraction found.
    len: usize,
}

impl Serialize for ClaimStream<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        let mut written = 0;
        let mut failed = None;
        self.prepared.each_claim_explained(self.opts, &mut |c, why| {
            if failed.is_none() {
                written += 1;
                failed = match why {
                    Some(explain) => seq.serialize_element(&Explained { claim: &c, explain }),
                    None => seq.serialize_element(&c),
                }
                .err();
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if written != self.len {
            // Extraction is deterministic; a different count would be a bug, not bad input.
            return Err(S::Error::custom(format!(
                "claims changed between extractions: {} then {written}",
                self.len
            )));
        }
        seq.end()
    }
}

/// A claim with the rules behind its fields: the claim's own fields, then `"explain"`.
#[derive(Serialize)]
struct Explained<'a> {
    #[serde(flatten)]
    claim: &'a Claim,
    explain: Explain,
}

/// The claims of a document held whole, each with its rules where it has them.
struct ExplainedClaims<'a> {
    claims: &'a [Claim],
    whys: &'a [Option<Explain>],
}

impl Serialize for ExplainedClaims<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.claims.len()))?;
        for (i, claim) in self.claims.iter().enumerate() {
            match self.whys.get(i).copied().flatten() {
                Some(explain) => seq.serialize_element(&Explained { claim, explain })?,
                None => seq.serialize_element(claim)?,
            }
        }
        seq.end()
    }
}

/// Writes one record as a JSON line.
fn write_record(out: &mut dyn Write, value: &impl Serialize, pretty: bool) -> Result<()> {
    let io = Error::stdout;
    // Straight to the output: a file with a million claims is never also held as one
    // JSON string (that doubled extract's peak memory).
    let written = crate::printable::write_json(&mut *out, value, pretty);
    written.map_err(|e| io(e.into()))?;
    writeln!(out).map_err(io)
}

/// The paths `--files-from` lists: one a line (a trailing `\r` dropped), blank lines
/// skipped. Standard input holds either the list or one article, not both.
fn listed_paths(args: &ExtractArgs, article_on_stdin: bool) -> Result<Vec<PathBuf>> {
    let Some(list) = &args.files_from else {
        return Ok(Vec::new());
    };
    let text = if list.as_os_str() == "-" {
        if article_on_stdin {
            return Err(Error::Usage(
                "standard input holds either the list of `--files-from -` or the article of `-`, not both".into(),
            ));
        }
        std::io::read_to_string(std::io::stdin()).map_err(|source| Error::Io {
            path: PathBuf::from("<stdin>"),
            source,
        })?
    } else {
        std::fs::read_to_string(list).map_err(|source| Error::Io {
            path: list.clone(),
            source,
        })?
    };
    Ok(paths_of_list(&text))
}

fn paths_of_list(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect()
}

/// Writes a record held whole (at most [`HELD_CLAIMS`] claims) as a JSON line: made in
/// `buf`, where serde's many small writes are cheap, then written out at once.
fn write_held(out: &mut dyn Write, buf: &mut Vec<u8>, doc: &impl Serialize, pretty: bool) -> Result<()> {
    buf.clear();
    crate::printable::write_json(&mut *buf, doc, pretty).map_err(|e| Error::stdout(e.into()))?;
    buf.push(b'\n');
    out.write_all(buf).map_err(Error::stdout)?;
    // One claim-dense file does not keep its buffer's size for the rest of the run.
    buf.shrink_to(HELD_BUFFER);
    Ok(())
}

/// The size [`write_held`]'s buffer goes back to after a large record.
const HELD_BUFFER: usize = 1 << 20;

pub fn run(args: &ExtractArgs, out: &mut dyn Write) -> Result<Exit> {
    let pool = thread_pool(args.jobs)?;
    let opts = Options {
        max_file_size: args.max_file_size,
        keep_body: args.body,
        lexicon: crate::extract::Lexicon::from_env()?,
        budget: pipeline::Budget::default(),
        explain: args.explain,
    };
    // `-` is one article on standard input, read after the files the other paths name.
    let (dash, mut paths): (Vec<&PathBuf>, Vec<&PathBuf>) = args.paths.iter().partition(|p| p.as_os_str() == "-");
    let listed = listed_paths(args, !dash.is_empty())?;
    if dash.len() > 1 {
        return Err(Error::Usage("`-` (standard input) may be given once".into()));
    }
    paths.extend(&listed);
    let mut found = walk::walk(&paths);
    found.files.extend(dash.into_iter().cloned());
    let mut tables = tables_of(args)?;
    let mut failed = report_walk(&found, args.verbose) > 0;
    let mut buf = Vec::new();
    // Extraction on the pool overlaps the writing here, records in walk order.
    crate::ingest::each_in_order(
        &pool,
        &found.files,
        |p| process(p, &opts),
        |record| {
            let doc = match &record {
                Ok(Record::Whole(doc, _) | Record::Streamed { doc, .. }) => doc,
                Err(e) => {
                    failed |= !e.is_skip();
                    report_file_error(e);
                    return Ok(true);
                }
            };
            for w in &doc.warnings {
                super::report_warning(&doc.path, w);
            }
            // Claims dropped by a cost bound: the record is written, but incomplete.
            failed |= pipeline::cut_short(doc);
            if let (Some(t), Ok(r)) = (tables.as_mut(), &record) {
                write_rows(t, r, &opts)?;
                return Ok(true);
            }
            match &record {
                Ok(Record::Streamed { doc, prepared, claims }) => {
                    let stream = ClaimStream {
                        prepared,
                        opts: &opts,
                        len: *claims,
                    };
                    write_record(out, &StreamedRecord::new(doc, stream), args.pretty)?;
                }
                Ok(Record::Whole(doc, whys)) if args.explain => {
                    let claims = ExplainedClaims {
                        claims: &doc.claims,
                        whys,
                    };
                    write_held(out, &mut buf, &StreamedRecord::new(doc, claims), args.pretty)?;
                }
                _ => write_held(out, &mut buf, doc, args.pretty)?,
            }
            Ok(true)
        },
    )?;
    match tables {
        Some(t) => t.finish()?,
        None => out.flush().map_err(Error::stdout)?,
    }
    Ok(if failed { Exit::Failure } else { Exit::Success })
}

/// The Parquet tables `--format parquet` writes into `--output`, or `None` for JSON Lines.
fn tables_of(args: &ExtractArgs) -> Result<Option<Tables>> {
    match (args.format, &args.output) {
        (ExtractFormat::Jsonl, None) => Ok(None),
        (ExtractFormat::Jsonl, Some(_)) => Err(Error::Usage(
            "--output is the folder of --format parquet; JSON Lines go to standard output".into(),
        )),
        (ExtractFormat::Parquet, None) => Err(Error::Usage("--format parquet needs --output DIR".into())),
        (ExtractFormat::Parquet, Some(_)) if args.pretty || args.explain => Err(Error::Usage(
            "--pretty and --explain shape the JSON; not with --format parquet".into(),
        )),
        (ExtractFormat::Parquet, Some(dir)) => Tables::create(dir).map(Some),
    }
}

/// One file's rows: its claims (made again as they are written, for a file with too many
/// to hold), then its document.
fn write_rows(t: &mut Tables, record: &Record, opts: &Options) -> Result<()> {
    match record {
        Record::Whole(doc, _) => {
            for c in &doc.claims {
                t.claim(&doc.path, c)?;
            }
            t.document(doc, doc.claims.len())
        }
        Record::Streamed { doc, prepared, claims } => {
            let mut failed = None;
            prepared.each_claim_explained(opts, &mut |c, _| {
                if failed.is_none() {
                    failed = t.claim(&doc.path, &c).err();
                }
            });
            match failed {
                Some(e) => Err(e),
                None => t.document(doc, *claims),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_one_path_a_line() {
        let got = paths_of_list("a.txt\r\n\n  \nnews/b c.html\n./d.md");
        let want: Vec<PathBuf> = ["a.txt", "news/b c.html", "./d.md"].iter().map(PathBuf::from).collect();
        assert_eq!(got, want);
    }

    /// A streamed record is byte for byte the record of the whole document, compact and
    /// pretty, with and without a body.
    #[test]
    fn streamed_record_matches_whole_document() {
        let article = "Title: Deals\n\nMicrosoft put $10 billion into OpenAI in 2023 [1]. \
                       Revenue rose 28.8% to $32.91 billion.\nAmazon committed up to $8 billion.\n\n\
                       Sources\n1. \"Microsoft and OpenAI\", 2023-01-23.\n";
        for keep_body in [false, true] {
            let opts = Options {
                keep_body,
                ..Options::default()
            };
            let text = read::decode(article.as_bytes()).expect("utf-8 text");
            let prepared = pipeline::prepare("a.txt", text, Format::Text);
            let whole = prepared.extract(&opts).expect("extract");
            assert!(whole.claims.len() >= 3, "{:?}", whole.claims);
            let mut count = 0;
            let doc = prepared.extract_each(&opts, &mut |_| count += 1).expect("extract");
            assert!(doc.claims.is_empty());
            for pretty in [false, true] {
                let stream = ClaimStream {
                    prepared: &prepared,
                    opts: &opts,
                    len: count,
                };
                let (mut a, mut b) = (Vec::new(), Vec::new());
                write_record(&mut a, &whole, pretty).expect("write");
                write_record(&mut b, &StreamedRecord::new(&doc, stream), pretty).expect("write");
                assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            }
        }
    }

    /// A record made in the buffer is the record written straight, line end included, and
    /// the buffer is used again from empty.
    #[test]
    fn a_held_record_is_written_as_it_would_be_straight() {
        let article = "Microsoft put $10 billion into OpenAI in 2023. Revenue rose 28.8%.\n";
        let text = read::decode(article.as_bytes()).expect("utf-8 text");
        let doc = pipeline::prepare("a.txt", text, Format::Text)
            .extract(&Options::default())
            .expect("extract");
        for pretty in [false, true] {
            let (mut straight, mut held, mut buf) = (Vec::new(), Vec::new(), b"left over".to_vec());
            write_record(&mut straight, &doc, pretty).expect("write");
            write_held(&mut held, &mut buf, &doc, pretty).expect("write");
            write_held(&mut held, &mut buf, &doc, pretty).expect("write");
            assert_eq!(held, [straight.clone(), straight].concat());
        }
    }

    /// A file with more claims than are held is written from a second extraction, with
    /// the same bytes as its whole document.
    #[test]
    fn files_with_many_claims_are_streamed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("dense.txt");
        let line = "Microsoft put $10 billion into OpenAI, up 28.8% in 2025. ";
        std::fs::write(&path, line.repeat(HELD_CLAIMS / 2 + 1)).expect("write");
        let opts = Options::default();
        let Ok(Record::Streamed { doc, prepared, claims }) = process(&path, &opts) else {
            panic!("not streamed");
        };
        let whole = pipeline::process_file(&path, &opts).expect("process");
        assert_eq!(claims, whole.claims.len());
        assert!(claims > HELD_CLAIMS);
        let stream = ClaimStream {
            prepared: &prepared,
            opts: &opts,
            len: claims,
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_record(&mut a, &whole, false).expect("write");
        write_record(&mut b, &StreamedRecord::new(&doc, stream), false).expect("write");
        assert!(a == b, "streamed record differs");
    }

    /// With `--explain`, a streamed record is byte for byte the record held whole, every
    /// claim with its rules.
    #[test]
    fn streamed_records_carry_the_rules_too() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("dense.txt");
        let line = "Microsoft put $10 billion into OpenAI, up 28.8% in 2025. ";
        std::fs::write(&path, line.repeat(HELD_CLAIMS / 2 + 1)).expect("write");
        let opts = Options {
            explain: true,
            ..Options::default()
        };
        let Ok(Record::Streamed { doc, prepared, claims }) = process(&path, &opts) else {
            panic!("not streamed");
        };
        let (mut all, mut whys) = (Vec::new(), Vec::new());
        let whole = prepared
            .extract_each_explained(&opts, &mut |c, why| {
                all.push(c);
                whys.push(why);
            })
            .expect("extract");
        assert_eq!(all.len(), claims);
        assert!(whys.iter().all(Option::is_some));
        let held = ExplainedClaims {
            claims: &all,
            whys: &whys,
        };
        let stream = ClaimStream {
            prepared: &prepared,
            opts: &opts,
            len: claims,
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_record(&mut a, &StreamedRecord::new(&whole, held), false).expect("write");
        write_record(&mut b, &StreamedRecord::new(&doc, stream), false).expect("write");
        assert!(a == b, "streamed record differs");
        let first = String::from_utf8_lossy(&a[..a.len().min(4000)]).into_owned();
        assert!(
            first.contains(r#""explain":{"kind":"currency_symbol_before""#),
            "{first}"
        );
    }
}
