//! tables: `claimdex extract --format parquet`: the documents and their claims as two
//! Parquet tables (`documents.parquet`, `claims.parquet`, Apache Arrow columns), for
//! engines that read columns (Spark, DuckDB, pandas) instead of parsing JSON. Rows are
//! gathered a batch at a time and written as they fill; a claim row carries its article's
//! path, so the tables join on it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, ListBuilder, StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Claim, Document};

/// Rows gathered before a batch is written.
const BATCH: usize = 8192;

fn strings() -> ListBuilder<StringBuilder> {
    ListBuilder::new(StringBuilder::new())
}

/// The two tables being written into a folder.
pub struct Tables {
    dir: PathBuf,
    documents: ArrowWriter<File>,
    claims: ArrowWriter<File>,
    docs: DocumentRows,
    rows: ClaimRows,
}

impl Tables {
    /// Creates `documents.parquet` and `claims.parquet` in `dir` (made if missing).
    pub fn create(dir: &Path) -> Result<Tables> {
        std::fs::create_dir_all(dir).map_err(|source| io(dir, source))?;
        Ok(Tables {
            dir: dir.to_path_buf(),
            documents: writer(&dir.join("documents.parquet"), DocumentRows::schema())?,
            claims: writer(&dir.join("claims.parquet"), ClaimRows::schema())?,
            docs: DocumentRows::default(),
            rows: ClaimRows::default(),
        })
    }

    /// A claim's row (its document's row follows, by [`Tables::document`]).
    pub fn claim(&mut self, path: &str, c: &Claim) -> Result<()> {
        self.rows.push(path, c);
        if self.rows.len >= BATCH {
            self.flush_claims()?;
        }
        Ok(())
    }

    /// A document's row, with the number of its claims.
    pub fn document(&mut self, doc: &Document, claims: usize) -> Result<()> {
        self.docs.push(doc, whole(claims));
        if self.docs.len >= BATCH {
            self.flush_documents()?;
        }
        Ok(())
    }

    /// Writes what is left and closes both files.
    pub fn finish(mut self) -> Result<()> {
        self.flush_claims()?;
        self.flush_documents()?;
        let dir = self.dir;
        self.documents
            .close()
            .map_err(|e| parquet_error(&dir.join("documents.parquet"), &e))?;
        self.claims
            .close()
            .map_err(|e| parquet_error(&dir.join("claims.parquet"), &e))?;
        Ok(())
    }

    fn flush_claims(&mut self) -> Result<()> {
        let path = self.dir.join("claims.parquet");
        let batch = self.rows.batch().map_err(|e| parquet_error(&path, &e))?;
        self.claims.write(&batch).map_err(|e| parquet_error(&path, &e))
    }

    fn flush_documents(&mut self) -> Result<()> {
        let path = self.dir.join("documents.parquet");
        let batch = self.docs.batch().map_err(|e| parquet_error(&path, &e))?;
        self.documents.write(&batch).map_err(|e| parquet_error(&path, &e))
    }
}

fn writer(path: &Path, schema: Arc<Schema>) -> Result<ArrowWriter<File>> {
    let file = File::create(path).map_err(|source| io(path, source))?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| parquet_error(path, &e))
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn parquet_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::File {
        path: path.to_path_buf(),
        reason: format!("cannot write Parquet: {e}"),
    }
}

/// An enum's name as its JSON writes it ("money", "approx").
fn name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn field(name: &str, data: DataType, nullable: bool) -> Field {
    Field::new(name, data, nullable)
}

fn list_of(data: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", data, true)))
}

/// The documents table's columns, gathered.
#[derive(Default)]
struct DocumentRows {
    len: usize,
    path: StringBuilder,
    hash: StringBuilder,
    encoding: StringBuilder,
    title: StringBuilder,
    byline: StringBuilder,
    publisher: StringBuilder,
    published: StringBuilder,
    url: StringBuilder,
    claims: Int64Builder,
    sources: StringBuilder,
    warnings: Option<ListBuilder<StringBuilder>>,
}

impl DocumentRows {
    fn schema() -> Arc<Schema> {
        let text = |n: &str, null: bool| field(n, DataType::Utf8, null);
        Arc::new(Schema::new(vec![
            text("path", false),
            text("hash", false),
            text("encoding", true),
            text("title", true),
            text("byline", true),
            text("publisher", true),
            text("published", true),
            text("url", true),
            field("claims", DataType::Int64, false),
            text("sources", false),
            field("warnings", list_of(DataType::Utf8), false),
        ]))
    }

    fn push(&mut self, d: &Document, claims: i64) {
        self.len += 1;
        self.path.append_value(&d.path);
        self.hash.append_value(&d.hash);
        self.encoding.append_option(d.encoding.as_deref());
        self.title.append_option(d.title.as_deref());
        self.byline.append_option(d.byline.as_deref());
        self.publisher.append_option(d.publisher.as_deref());
        self.published.append_option(d.published.as_deref());
        self.url.append_option(d.url.as_deref());
        self.claims.append_value(claims);
        self.sources
            .append_value(serde_json::to_string(&d.sources).unwrap_or_default());
        let warnings = self.warnings.get_or_insert_with(strings);
        for w in &d.warnings {
            warnings.values().append_value(w);
        }
        warnings.append(true);
    }

    fn batch(&mut self) -> std::result::Result<RecordBatch, arrow_schema::ArrowError> {
        self.len = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.path.finish()),
            Arc::new(self.hash.finish()),
            Arc::new(self.encoding.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.byline.finish()),
            Arc::new(self.publisher.finish()),
            Arc::new(self.published.finish()),
            Arc::new(self.url.finish()),
            Arc::new(self.claims.finish()),
            Arc::new(self.sources.finish()),
            Arc::new(self.warnings.get_or_insert_with(strings).finish()),
        ];
        RecordBatch::try_new(Self::schema(), columns)
    }
}

/// The claims table's columns, gathered.
#[derive(Default)]
struct ClaimRows {
    len: usize,
    path: StringBuilder,
    kind: StringBuilder,
    text: StringBuilder,
    line: Int64Builder,
    start: Int64Builder,
    end: Int64Builder,
    value: Float64Builder,
    value_max: Float64Builder,
    unit: StringBuilder,
    qualifier: StringBuilder,
    direction: StringBuilder,
    period: StringBuilder,
    subject: StringBuilder,
    entities: Option<ListBuilder<StringBuilder>>,
    metric: StringBuilder,
    noun: StringBuilder,
    measure_head: StringBuilder,
    measure_scope: Option<ListBuilder<StringBuilder>>,
    measure_change: StringBuilder,
    measure_per: StringBuilder,
    measure_status: StringBuilder,
    measure_by: StringBuilder,
    sentence: StringBuilder,
    citations: Option<ListBuilder<UInt32Builder>>,
}

impl ClaimRows {
    fn schema() -> Arc<Schema> {
        let text = |n: &str, null: bool| field(n, DataType::Utf8, null);
        let number = |n: &str| field(n, DataType::Int64, false);
        Arc::new(Schema::new(vec![
            text("path", false),
            text("kind", false),
            text("text", false),
            number("line"),
            number("start"),
            number("end"),
            field("value", DataType::Float64, false),
            field("value_max", DataType::Float64, true),
            text("unit", false),
            text("qualifier", false),
            text("direction", true),
            text("period", true),
            text("subject", true),
            field("entities", list_of(DataType::Utf8), false),
            text("metric", true),
            text("noun", true),
            text("measure_head", true),
            field("measure_scope", list_of(DataType::Utf8), false),
            text("measure_change", true),
            text("measure_per", true),
            text("measure_status", false),
            text("measure_by", true),
            text("sentence", false),
            field("citations", list_of(DataType::UInt32), false),
        ]))
    }

    fn push(&mut self, path: &str, c: &Claim) {
        self.len += 1;
        self.path.append_value(path);
        self.kind.append_value(name(&c.kind));
        self.text.append_value(&c.text);
        for (b, v) in [
            (&mut self.line, c.line),
            (&mut self.start, c.start),
            (&mut self.end, c.end),
        ] {
            b.append_value(whole(v));
        }
        self.value.append_value(c.value);
        self.value_max.append_option(c.value_max);
        self.unit.append_value(&c.unit);
        self.qualifier.append_value(name(&c.qualifier));
        self.direction.append_option(c.direction.as_ref().map(name));
        self.period.append_option(c.period.as_deref());
        self.subject.append_option(c.subject.as_deref());
        append_all(self.entities.get_or_insert_with(strings), &c.entities);
        self.metric.append_option(c.metric.as_deref());
        self.noun.append_option(c.noun.as_deref());
        let m = &c.measure;
        self.measure_head.append_option(m.head.as_deref());
        append_all(self.measure_scope.get_or_insert_with(strings), &m.scope);
        self.measure_change.append_option(m.change.as_ref().map(name));
        self.measure_per.append_option(m.per.as_deref());
        self.measure_status.append_value(name(&m.status));
        self.measure_by.append_option(m.by.as_deref());
        self.sentence.append_value(&*c.sentence);
        let citations = self
            .citations
            .get_or_insert_with(|| ListBuilder::new(UInt32Builder::new()));
        citations.values().append_slice(&c.citations);
        citations.append(true);
    }

    fn batch(&mut self) -> std::result::Result<RecordBatch, arrow_schema::ArrowError> {
        self.len = 0;
        let text = |b: &mut StringBuilder| -> ArrayRef { Arc::new(b.finish()) };
        let columns: Vec<ArrayRef> = vec![
            text(&mut self.path),
            text(&mut self.kind),
            text(&mut self.text),
            Arc::new(self.line.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.end.finish()),
            Arc::new(self.value.finish()),
            Arc::new(self.value_max.finish()),
            text(&mut self.unit),
            text(&mut self.qualifier),
            text(&mut self.direction),
            text(&mut self.period),
            text(&mut self.subject),
            Arc::new(self.entities.get_or_insert_with(strings).finish()),
            text(&mut self.metric),
            text(&mut self.noun),
            text(&mut self.measure_head),
            Arc::new(self.measure_scope.get_or_insert_with(strings).finish()),
            text(&mut self.measure_change),
            text(&mut self.measure_per),
            text(&mut self.measure_status),
            text(&mut self.measure_by),
            text(&mut self.sentence),
            Arc::new(
                self.citations
                    .get_or_insert_with(|| ListBuilder::new(UInt32Builder::new()))
                    .finish(),
            ),
        ];
        RecordBatch::try_new(Self::schema(), columns)
    }
}

/// A count or position as the tables hold it (signed: Spark has no unsigned 64 bits).
fn whole(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn append_all(b: &mut ListBuilder<StringBuilder>, items: &[String]) {
    for s in items {
        b.values().append_value(s);
    }
    b.append(true);
}
