//! One file through walk -> read -> clean -> segment -> extract.

use std::path::Path;
use std::sync::Arc;

use crate::clean::{self, Format};
use crate::error::Result;
use crate::extract::{self, Lexicon};
use crate::model::Document;
use crate::read::{self, Text};
use crate::segment;

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
    // Offsets into the file for text input: past a UTF-8 BOM. HTML offsets point into the body.
    let base = if format == Format::Html { 0 } else { text.offset_base() };
    let Text {
        text: body_text,
        hash,
        mut warnings,
        ..
    } = text;
    let cleaned = clean::clean(body_text, format);
    let units = segment::segment(&cleaned);
    let mut ex = extract::extract_with(&cleaned, &units, &opts.lexicon);
    if base > 0 {
        for c in &mut ex.claims {
            c.start += base;
            c.end += base;
        }
        for c in &mut ex.citations {
            c.start += base;
            c.end += base;
        }
    }
    warnings.append(&mut ex.warnings);
    let body = opts.keep_body.then(|| cleaned.body());
    let meta = cleaned.meta;
    Document {
        path: path.to_string(),
        hash,
        title: meta.title,
        byline: meta.byline,
        publisher: meta.publisher,
        published: meta.published,
        sources: ex.sources,
        citations: ex.citations,
        claims: ex.claims,
        warnings,
        body,
    }
}
