//! The index schema: one tantivy index holding document records and claim records,
//! told apart by the `record` field, and the schema version stored beside it.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::{Index, IndexSettings};

use crate::error::{Error, Result};
use crate::model::{Change, Measure, Status};

/// The layout of records in the index. Bump it whenever fields change meaning or are
/// added or removed: an index from another version is refused with a message that says
/// to run `claimdex ingest --rebuild`.
pub const SCHEMA_VERSION: u32 = 5;

/// The file beside tantivy's own that marks a folder as a claimdex index.
pub const META_FILE: &str = "claimdex.json";

/// Tokenizer for exact-match fields: the whole value as one term, lower-cased, so that
/// `subject:openai` and `--unit usd` match `OpenAI` and `USD`.
pub const KEYWORD_TOKENIZER: &str = "claimdex_keyword";

/// `record` value of a document record (one per article).
pub const RECORD_DOC: &str = "doc";
/// `record` value of a claim record (one per numeric claim).
pub const RECORD_CLAIM: &str = "claim";

/// What [`META_FILE`] holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    /// The claimdex version that created the index.
    pub created_by: String,
    /// Articles per folder ingested into the index, as of its last commit: what a rebuild
    /// must be given so that no article is lost (said in every message that advises one).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub folders: BTreeMap<String, u64>,
}

impl IndexMeta {
    pub fn current() -> Self {
        IndexMeta {
            schema_version: SCHEMA_VERSION,
            created_by: format!("claimdex {}", env!("CARGO_PKG_VERSION")),
            folders: BTreeMap::new(),
        }
    }
}

/// Every field of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `doc` or `claim`.
    pub record: Field,
    /// The article's path, exact and case-sensitive; on both record types, so one
    /// `delete_term` removes an article and all its claims.
    pub path: Field,

    // Document records.
    pub hash: Field,
    pub title: Field,
    pub byline: Field,
    pub publisher: Field,
    pub published: Field,
    /// The source list as JSON (`[{"n":..,"title":..,"date":..}]`).
    pub sources: Field,
    pub n_claims: Field,
    pub n_citations: Field,
    pub n_unresolved: Field,
    /// One value per warning the article gave when it was read.
    pub warnings: Field,
    pub url: Field,
    /// Size of the file in bytes.
    pub bytes: Field,

    // Claim records.
    pub sentence: Field,
    pub kind: Field,
    pub unit: Field,
    pub metric: Field,
    pub subject: Field,
    pub entities: Field,
    pub qualifier: Field,
    pub direction: Field,
    pub period: Field,
    pub value: Field,
    /// Stored and a fast field only when the claim is a range: the top of a claim, for
    /// `--max`, is `value_max` when present, else `value`.
    pub value_max: Field,
    pub noun: Field,
    /// The measure's head, scope words and status, searchable as `measure:`, `scope:`, `status:`.
    pub measure: Field,
    pub scope: Field,
    pub status: Field,
    /// What a bare query word finds a claim by besides its sentence and names: the
    /// measure's head and scope.
    pub about: Field,
    /// The words a statement goes by ([`statement_words`]): apart from `about`, so that
    /// they do not dilute the head and scope there.
    pub said: Field,
    /// The whole measure, as JSON.
    pub measure_json: Field,
    pub text: Field,
    pub line: Field,
    pub start: Field,
    pub end: Field,
    /// The claim's footnote markers, as written (resolved or not).
    pub citations: Field,
    /// The sources the markers resolve to, as JSON.
    pub cited: Field,
}

/// A field matched whole and case-sensitively (`record`, `path`). Every record has one
/// term of it, so it keeps no field norms: they would all be one.
fn exact() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

fn keyword(stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYWORD_TOKENIZER)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    if stored { opts.set_stored() } else { opts }
}

/// Words for full-text search: lower-cased and stemmed (tantivy's English stemmer, so
/// `investments` finds `investment`), with positions for phrases.
fn full_text() -> TextOptions {
    words().set_stored()
}

fn words() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// What `said` holds for a figure stated plainly (an actual level: no change, estimate or
/// outlook), which a query naming no kind of statement prefers.
pub const PLAIN_STATEMENT: &str = "level";

/// Every word [`statement_words`] gives, and the forms people type them in: a query
/// holding none of them asks for the figures themselves.
pub const STATEMENT_VOCABULARY: &[&str] = &[
    "estimate",
    "expected",
    "expect",
    "expectation",
    "consensus",
    "analyst",
    "guidance",
    "guide",
    "outlook",
    "forecast",
    "prediction",
    "predicted",
    "projected",
    "projection",
    "target",
    "goal",
    "plan",
    "year-over-year",
    "yoy",
    "annual",
    "sequential",
    "quarter-over-quarter",
    "change",
    "growth",
    "grow",
    "increase",
    "rise",
    "gain",
    "decline",
    "fall",
    "drop",
    "jump",
    "surge",
    "up",
    "down",
];

/// The words people look a statement up by, beyond its sentence's own: what kind of
/// statement it is ("expected" for an estimate, "outlook" for guidance) and, for a change,
/// how they name one ("growth", "increase"; "year-over-year", "sequential").
pub fn statement_words(m: &Measure) -> String {
    let status = match m.status {
        Status::Actual => "",
        Status::Estimate => "estimate expected expectation consensus analysts",
        Status::Guidance => "guidance outlook expected forecast",
        Status::Forecast => "forecast expected prediction projected",
        Status::Target => "target goal plan",
    };
    let base = match m.change {
        Some(Change::Yoy) => "year-over-year annual",
        Some(Change::Sequential) => "sequential quarter-over-quarter",
        Some(Change::Since) | None => "",
    };
    let change = if m.change.is_some() {
        "change growth increase rise gain decline fall drop"
    } else {
        ""
    };
    [status, change, base]
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The schema of [`SCHEMA_VERSION`].
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let stored_u64 = || NumericOptions::default().set_stored();
    b.add_text_field("record", exact());
    b.add_text_field("path", exact().set_stored().set_fast("raw"));
    b.add_text_field("hash", STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("byline", STORED);
    b.add_text_field("publisher", STORED);
    b.add_text_field("published", keyword(true));
    b.add_text_field("sources", STORED);
    b.add_u64_field("n_claims", stored_u64());
    b.add_u64_field("n_citations", stored_u64());
    b.add_u64_field("n_unresolved", stored_u64());
    b.add_text_field("warnings", STORED);
    b.add_text_field("url", STORED);
    b.add_u64_field("bytes", stored_u64());
    b.add_text_field("sentence", full_text());
    b.add_text_field("kind", keyword(true));
    b.add_text_field("unit", keyword(true));
    b.add_text_field("metric", keyword(true));
    b.add_text_field("subject", keyword(true));
    b.add_text_field("entities", keyword(true));
    b.add_text_field("qualifier", keyword(true));
    b.add_text_field("direction", keyword(true));
    b.add_text_field("period", keyword(true));
    // No field norms: every claim has one value, so a norm would say nothing.
    b.add_f64_field("value", NumericOptions::default().set_indexed().set_fast().set_stored());
    b.add_f64_field("value_max", NumericOptions::default().set_fast().set_stored());
    b.add_text_field("noun", STORED);
    b.add_text_field("measure", keyword(false));
    b.add_text_field("scope", keyword(false));
    b.add_text_field("status", keyword(false));
    b.add_text_field("about", words());
    b.add_text_field("said", words());
    b.add_text_field("measure_json", STORED);
    b.add_text_field("text", STORED);
    b.add_u64_field("line", stored_u64());
    b.add_u64_field("start", NumericOptions::default().set_stored().set_fast());
    b.add_u64_field("end", stored_u64());
    b.add_u64_field("citations", stored_u64());
    b.add_text_field("cited", STORED);
    b.build()
}

/// Index settings: the doc store (mostly claim sentences, which repeat across the claims
/// of one sentence) compressed with zstd at level 6 in 128 KiB blocks. On the 128 MB
/// benchmark corpus this keeps the index at 0.78 of its input, where level 3 in 64 KiB
/// blocks kept it at 0.89; it costs ingest about 5% more CPU and a search about 3% more
/// instructions (a hit's block is twice as long to decompress).
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(6),
        }),
        docstore_blocksize: 128 << 10,
        ..IndexSettings::default()
    }
}

impl Fields {
    /// Resolves every field in `schema`; a missing one means the index is not ours.
    pub fn from_schema(schema: &Schema, dir: &Path) -> Result<Fields> {
        let f = |name: &str| {
            schema.get_field(name).map_err(|_| Error::Index {
                path: dir.to_path_buf(),
                reason: format!("field `{name}` is missing; run `claimdex ingest --rebuild`"),
            })
        };
        Ok(Fields {
            record: f("record")?,
            path: f("path")?,
            hash: f("hash")?,
            title: f("title")?,
            byline: f("byline")?,
            publisher: f("publisher")?,
            published: f("published")?,
            sources: f("sources")?,
            n_claims: f("n_claims")?,
            n_citations: f("n_citations")?,
            n_unresolved: f("n_unresolved")?,
            warnings: f("warnings")?,
            url: f("url")?,
            bytes: f("bytes")?,
            sentence: f("sentence")?,
            kind: f("kind")?,
            unit: f("unit")?,
            metric: f("metric")?,
            subject: f("subject")?,
            entities: f("entities")?,
            qualifier: f("qualifier")?,
            direction: f("direction")?,
            period: f("period")?,
            value: f("value")?,
            value_max: f("value_max")?,
            noun: f("noun")?,
            measure: f("measure")?,
            scope: f("scope")?,
            status: f("status")?,
            about: f("about")?,
            said: f("said")?,
            measure_json: f("measure_json")?,
            text: f("text")?,
            line: f("line")?,
            start: f("start")?,
            end: f("end")?,
            citations: f("citations")?,
            cited: f("cited")?,
        })
    }
}

/// The value of a keyword field as the index holds it (see [`KEYWORD_TOKENIZER`]).
pub fn keyword_term(value: &str) -> String {
    value.to_lowercase()
}

/// Registers the tokenizers the schema names; needed every time an index is opened.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(
        KEYWORD_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// Reads [`META_FILE`] in `dir`: `Ok(None)` when there is none.
pub fn read_meta(dir: &Path) -> Result<Option<IndexMeta>> {
    let path = dir.join(META_FILE);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
            return Err(Error::Index {
                path: dir.to_path_buf(),
                reason: format!("{META_FILE} is a folder, not claimdex's file; {}", super::way_back(dir)),
            });
        }
        Err(e) => return Err(super::cannot_read(dir, &e)),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| Error::Index {
        path: dir.to_path_buf(),
        reason: format!("{META_FILE} is unreadable ({e}); {}", super::way_back(dir)),
    })
}

/// Writes [`META_FILE`] atomically (temporary file, then rename).
pub fn write_meta(dir: &Path, meta: &IndexMeta) -> Result<()> {
    let path = dir.join(META_FILE);
    let tmp = dir.join(format!(".{META_FILE}.tmp"));
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let json = serde_json::to_vec_pretty(meta).map_err(|e| Error::Index {
        path: dir.to_path_buf(),
        reason: format!("cannot serialise {META_FILE}: {e}"),
    })?;
    let mut f = fs::File::create(&tmp).map_err(io)?;
    f.write_all(&json).map_err(io)?;
    f.write_all(b"\n").map_err(io)?;
    f.sync_all().map_err(io)?;
    fs::rename(&tmp, &path).map_err(io)
}

/// Checks that `meta` is of this claimdex's schema version.
pub fn check_version(dir: &Path, meta: &IndexMeta) -> Result<()> {
    if meta.schema_version == SCHEMA_VERSION {
        return Ok(());
    }
    Err(Error::Index {
        path: dir.to_path_buf(),
        reason: format!(
            "written with schema version {} ({}), but this claimdex reads version {SCHEMA_VERSION}; {}",
            meta.schema_version,
            meta.created_by,
            super::way_back(dir)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_resolves() {
        let dir = Path::new("x");
        assert!(Fields::from_schema(&build_schema(), dir).is_ok());
        let empty = Schema::builder().build();
        let err = Fields::from_schema(&empty, dir).unwrap_err().to_string();
        assert!(err.contains("--rebuild"), "{err}");
    }

    #[test]
    fn meta_round_trip_and_version_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_meta(dir.path()).unwrap(), None);
        write_meta(dir.path(), &IndexMeta::current()).unwrap();
        let meta = read_meta(dir.path()).unwrap().unwrap();
        assert_eq!(meta, IndexMeta::current());
        assert!(check_version(dir.path(), &meta).is_ok());

        let old = IndexMeta {
            schema_version: SCHEMA_VERSION + 1,
            created_by: "claimdex 9.9.9".into(),
            folders: BTreeMap::new(),
        };
        let err = check_version(dir.path(), &old).unwrap_err().to_string();
        assert!(err.contains("schema version"), "{err}");
        assert!(err.contains("claimdex ingest --rebuild"), "{err}");

        fs::write(dir.path().join(META_FILE), "{not json").unwrap();
        let err = read_meta(dir.path()).unwrap_err().to_string();
        assert!(err.contains("--rebuild"), "{err}");
    }
}
