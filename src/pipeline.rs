//! One file through walk -> read -> clean -> segment -> extract.

use std::path::Path;
use std::sync::Arc;

use crate::clean::{self, Cleaned, Format};
use crate::error::Result;
use crate::extract::{self, Extraction, Lexicon};
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: read::DEFAULT_MAX_FILE_SIZE,
            keep_body: false,
            lexicon: Lexicon::builtin(),
        }
    }
}

/// Reads and processes one file.
pub fn process_file(path: &Path, opts: &Options) -> Result<Document> {
    let text = read::read_file(path, opts.max_file_size)?;
    Ok(process_text(
        &path.to_string_lossy(),
        text,
        Format::from_path(path),
        opts,
    ))
}

/// Processes text already read: clean, segment, extract.
pub fn process_text(path: &str, text: Text, format: Format, opts: &Options) -> Document {
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
}

/// Cleans and segments text already read.
pub fn prepare(path: &str, text: Text, format: Format) -> Prepared {
    let encoding = text.encoding_name();
    let Text {
        text: body_text,
        hash,
        warnings,
        map,
        ..
    } = text;
    let map = if format == Format::Html {
        OffsetMap::shifted(0)
    } else {
        map
    };
    let cleaned = clean::clean(body_text, format);
    let units = segment::segment(&cleaned);
    Prepared {
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
    pub fn extract(&self, opts: &Options) -> Document {
        let mut claims = Vec::new();
        let mut doc = self.extract_each(opts, &mut |c| claims.push(c));
        doc.claims = claims;
        doc
    }

    /// The document without its claims, which go one by one to `on_claim` instead, in
    /// document order, as they are found.
    pub fn extract_each(&self, opts: &Options, on_claim: &mut dyn FnMut(Claim)) -> Document {
        let mut ex = self.run(opts, on_claim);
        let mut warnings = self.warnings.clone();
        warnings.append(&mut ex.warnings);
        let meta = &self.cleaned.meta;
        Document {
            path: self.path.clone(),
            hash: self.hash.clone(),
            encoding: self.encoding.clone(),
            title: meta.title.clone(),
            byline: meta.byline.clone(),
            publisher: meta.publisher.clone(),
            published: meta.published.clone(),
            sources: ex.sources,
            citations: ex.citations,
            claims: Vec::new(),
            warnings,
            body: opts.keep_body.then(|| self.cleaned.body()),
        }
    }

    /// Only the claims, one by one, exactly as [`Prepared::extract_each`] hands them on.
    pub fn each_claim(&self, opts: &Options, on_claim: &mut dyn FnMut(Claim)) {
        self.run(opts, on_claim);
    }

    /// Extraction with every offset moved to point into the file.
    fn run(&self, opts: &Options, on_claim: &mut dyn FnMut(Claim)) -> Extraction {
        let map = &self.map;
        let mut ex = extract::extract_each(&self.cleaned, &self.units, &opts.lexicon, &mut |mut c| {
            (c.start, c.end) = (map.file_offset(c.start), map.file_offset(c.end));
            on_claim(c);
        });
        for c in &mut ex.citations {
            (c.start, c.end) = (map.file_offset(c.start), map.file_offset(c.end));
        }
        ex
    }
}
