//! One file through walk -> read -> clean -> segment -> extract.

use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clean::{self, Cleaned, Format};
use crate::error::{Error, Result};
use crate::extract::{self, Explain, Extraction, Lexicon};
use crate::model::{Claim, Document};
use crate::read::{self, OffsetMap, Text};
use crate::segment::{self, Unit};

/// Options that shape how a file is processed.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_file_size: u64,
    /// Keep the cleaned body in [`Document::body`].
    pub keep_body: bool,
    /// Alias table and metric lexicon ([`Lexicon::from_env`] adds the user's files).
    pub lexicon: Arc<Lexicon>,
    /// What one file may cost.
    pub budget: Budget,
    /// Collect the rules behind each claim's fields (`extract --explain`), which
    /// [`Prepared::extract_each_explained`] hands on with each claim.
    pub explain: bool,
}

/// Claims kept from one file (the synthetic benchmark's densest 3.7 MB article has 31,000).
pub const MAX_CLAIMS_PER_FILE: usize = 50_000;

/// At most this many bytes of sentences, summed over one file's claims (each claim carries
/// its sentence into the output and the index): 50,000 claims of short sentences fit, 50,000
/// claims of 2,000-byte sentences do not.
pub const MAX_CLAIM_SENTENCE_BYTES: usize = 8 << 20;
/// Wall time the extraction of one file may take (a 16 MiB article takes about 2 s).
pub const MAX_EXTRACT_TIME: Duration = Duration::from_secs(10);

/// What extracting one file may cost, so that no small hostile file takes a run's time
/// or memory. With sentences cut at [`segment::MAX_UNIT_BYTES`] and at most
/// [`extract::claims::MAX_FIGURES_PER_SENTENCE`] figures taken from each, a file's claims
/// and the work per claim are bounded; these bound the file as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Claims kept from one file; the rest are dropped with a warning.
    pub max_claims: usize,
    /// Bytes of sentences kept over one file's claims; past them, as past `max_claims`.
    pub max_sentence_bytes: usize,
    /// Past this, extraction stops and the file fails (nothing of it is kept).
    pub max_time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_claims: MAX_CLAIMS_PER_FILE,
            max_sentence_bytes: MAX_CLAIM_SENTENCE_BYTES,
            max_time: MAX_EXTRACT_TIME,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: read::DEFAULT_MAX_FILE_SIZE,
            keep_body: false,
            lexicon: Lexicon::builtin(),
            budget: Budget::default(),
            explain: false,
        }
    }
}

/// Reads and processes one file.
pub fn process_file(path: &Path, opts: &Options) -> Result<Document> {
    let text = read::read_file(path, opts.max_file_size)?;
    let format = Format::of(path, &text.text);
    process_text(&path.to_string_lossy(), text, format, opts)
}

/// Processes text already read: clean, segment, extract. Fails only when extraction
/// runs past [`Budget::max_time`].
pub fn process_text(path: &str, text: Text, format: Format, opts: &Options) -> Result<Document> {
    prepare(path, text, format).extract(opts)
}

/// A file read, cleaned and segmented: ready for extraction, which may run more than once.
#[derive(Debug, Clone)]
pub struct Prepared {
    path: String,
    hash: String,
    /// Problems met while decoding.
    warnings: Vec<String>,
    /// The file's encoding (`None` for UTF-8).
    encoding: Option<String>,
    /// From extraction offsets to file offsets for text input (HTML offsets point into
    /// the body and are left as they are).
    map: OffsetMap,
    cleaned: Cleaned,
    units: Vec<Unit>,
    /// Sentences cut for their length ([`segment::MAX_UNIT_BYTES`]).
    cut: usize,
    /// More sentences than [`segment::MAX_UNITS`]: the rest was not read.
    capped: bool,
}

/// Cleans and segments text already read.
pub fn prepare(path: &str, text: Text, format: Format) -> Prepared {
    let encoding = text.encoding_name();
    let Text {
        text: mut body_text,
        hash,
        mut warnings,
        map,
        ..
    } = text;
    // Same byte length: the offset map and every offset stay true.
    let blanked = crate::printable::blank_controls(&mut body_text);
    if blanked > 0 {
        warnings.push(format!(
            "{blanked} terminal control sequence(s) or control character(s) blanked"
        ));
    }
    let map = if format == Format::Html {
        OffsetMap::shifted(0)
    } else {
        map
    };
    let cleaned = clean::clean(body_text, format);
    let segment::Segmented { units, cut, capped } = segment::segment_counted(&cleaned);
    Prepared {
        cut,
        capped,
        path: path.to_string(),
        hash,
        encoding,
        warnings,
        map,
        cleaned,
        units,
    }
}

impl Prepared {
    /// The whole document.
    pub fn extract(&self, opts: &Options) -> Result<Document> {
        let mut claims = Vec::new();
        let mut doc = self.extract_each(opts, &mut |c| claims.push(c))?;
        doc.claims = claims;
        Ok(doc)
    }

    /// The document without its claims, which go one by one to `on_claim` instead, in
    /// document order, as they are found. Fails when extraction runs past the time budget.
    pub fn extract_each(&self, opts: &Options, on_claim: &mut dyn FnMut(Claim)) -> Result<Document> {
        self.extract_each_explained(opts, &mut |c, _| on_claim(c))
    }

    /// [`Prepared::extract_each`], each claim with the rules behind its fields when
    /// [`Options::explain`] asks for them (`None` otherwise).
    pub fn extract_each_explained(
        &self,
        opts: &Options,
        on_claim: &mut dyn FnMut(Claim, Option<Explain>),
    ) -> Result<Document> {
        let (mut ex, bounds) = self.run(opts, true, on_claim);
        if bounds.late {
            return Err(Error::file(
                &self.path,
                format!(
                    "gave up after {} s of extraction (too many figures to extract in time); nothing from it is kept",
                    opts.budget.max_time.as_secs()
                ),
            ));
        }
        let mut warnings = self.warnings.clone();
        warnings.append(&mut ex.warnings);
        warnings.extend(bounds.warnings(self.cut, self.capped, &opts.budget));
        let meta = &self.cleaned.meta;
        Ok(Document {
            path: self.path.clone(),
            hash: self.hash.clone(),
            encoding: self.encoding.clone(),
            title: meta.title.clone(),
            byline: meta.byline.clone(),
            publisher: meta.publisher.clone(),
            published: meta.published.clone(),
            url: meta.url.clone(),
            sources: ex.sources,
            citations: ex.citations,
            claims: Vec::new(),
            warnings,
            body: opts.keep_body.then(|| self.cleaned.body()),
        })
    }

    /// Only the claims, one by one, exactly as [`Prepared::extract_each`] hands them on
    /// (with no time limit: that extraction has been timed already).
    pub fn each_claim(&self, opts: &Options, on_claim: &mut dyn FnMut(Claim)) {
        self.each_claim_explained(opts, &mut |c, _| on_claim(c));
    }

    /// [`Prepared::each_claim`], each claim with its rules as
    /// [`Prepared::extract_each_explained`] hands them on.
    pub fn each_claim_explained(&self, opts: &Options, on_claim: &mut dyn FnMut(Claim, Option<Explain>)) {
        self.run(opts, false, on_claim);
    }

    /// Extraction within the budget, with every offset moved to point into the file.
    fn run(
        &self,
        opts: &Options,
        timed: bool,
        on_claim: &mut dyn FnMut(Claim, Option<Explain>),
    ) -> (Extraction, Bounds) {
        let map = &self.map;
        let deadline = timed.then(|| Instant::now() + opts.budget.max_time);
        let max = opts.budget.max_claims;
        let (kept, over, late) = (Cell::new(0usize), Cell::new(false), Cell::new(false));
        let mut bytes = 0usize;
        let mut full = Full::default();
        let mut keep = |mut c: Claim, why: Option<Explain>| {
            full.note(&c);
            bytes += c.sentence.len();
            if kept.get() >= max || bytes > opts.budget.max_sentence_bytes {
                over.set(true);
                return;
            }
            kept.set(kept.get() + 1);
            (c.start, c.end) = (map.file_offset(c.start), map.file_offset(c.end));
            on_claim(c, why);
        };
        let mut stop = || {
            late.set(late.get() || deadline.is_some_and(|d| Instant::now() >= d));
            over.get() || late.get()
        };
        let (cleaned, units) = (&self.cleaned, self.units.as_slice());
        let mut ex = extract::extract_explained(cleaned, units, &opts.lexicon, opts.explain, &mut keep, &mut stop);
        for c in &mut ex.citations {
            (c.start, c.end) = (map.file_offset(c.start), map.file_offset(c.end));
        }
        let bounds = Bounds {
            full: (full.sentences, full.first_line),
            over: over.get(),
            late: late.get(),
        };
        (ex, bounds)
    }
}

/// Sentences whose figures reached [`extract::claims::MAX_FIGURES_PER_SENTENCE`] (claims
/// of one sentence share it, so a sentence is told by its pointer).
#[derive(Default)]
struct Full {
    last: Option<Arc<str>>,
    n: usize,
    sentences: usize,
    first_line: usize,
}

impl Full {
    fn note(&mut self, c: &Claim) {
        match &self.last {
            Some(s) if Arc::ptr_eq(s, &c.sentence) => self.n += 1,
            _ => (self.last, self.n) = (Some(c.sentence.clone()), 1),
        }
        if self.n == extract::claims::MAX_FIGURES_PER_SENTENCE {
            if self.sentences == 0 {
                self.first_line = c.line;
            }
            self.sentences += 1;
        }
    }
}

/// How a warning about claims dropped by a cost bound begins: a document with one is
/// used, but the run that read it fails (exit 1).
pub const CUT_SHORT: &str = "cut short: ";

/// Whether a cost bound dropped some of `doc`'s claims.
pub fn cut_short(doc: &Document) -> bool {
    doc.warnings.iter().any(|w| w.starts_with(CUT_SHORT))
}

/// Which bounds one extraction met.
struct Bounds {
    /// Sentences at the figure limit, and the line of the first.
    full: (usize, usize),
    /// More claims than [`Budget::max_claims`].
    over: bool,
    /// Past [`Budget::max_time`].
    late: bool,
}

impl Bounds {
    fn warnings(&self, cut: usize, capped: bool, budget: &Budget) -> Vec<String> {
        let mut out = Vec::new();
        if capped {
            out.push(format!(
                "{CUT_SHORT}more than {} sentences: the rest of the file is not read",
                segment::MAX_UNITS
            ));
        }
        if cut > 0 {
            out.push(format!(
                "{cut} sentence(s) longer than {} bytes cut into pieces",
                segment::MAX_UNIT_BYTES
            ));
        }
        let (full, line) = self.full;
        if full > 0 {
            let max = extract::claims::MAX_FIGURES_PER_SENTENCE;
            out.push(format!(
                "{CUT_SHORT}{full} sentence(s) with {max} figures or more (the first at line {line}): only the first {max} of each are kept"
            ));
        }
        if self.over {
            out.push(format!(
                "{CUT_SHORT}more than {} claims or {} MB of their sentences: only the first are kept",
                budget.max_claims,
                budget.max_sentence_bytes >> 20
            ));
        }
        out
    }
}
