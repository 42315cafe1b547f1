//! index: claims and their articles in one tantivy index, for search and the conflict report.
//!
//! [`schema`] defines the records and the schema version, [`writer`] adds and replaces
//! articles, [`reader`] reads every record back (what the conflict report uses),
//! [`search`] runs a query with filters, [`value`] parses and prints figures.

pub mod reader;
pub mod schema;
pub mod search;
pub mod value;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

use crate::error::{Error, Result};
use schema::Fields;

/// tantivy's own metadata file in an index folder.
pub(crate) const TANTIVY_META: &str = "meta.json";

/// An opened claimdex index: tantivy's index, its fields and where it lives.
pub struct ClaimIndex {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
}

impl std::fmt::Debug for ClaimIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl ClaimIndex {
    /// A reader that reloads only when asked (no file watcher: claimdex runs and exits).
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| damaged(&self.dir, &e))
    }
}

/// An index error in words: a held writer lock is another ingest at work; anything else
/// from tantivy means the folder is damaged or not an index.
pub(crate) fn tantivy_error(dir: &Path, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => locked(dir),
        other => damaged(dir, &other),
    }
}

pub(crate) fn locked(dir: &Path) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        reason: "another `claimdex ingest` is writing to this index (its writer lock is held); \
                 wait for it to finish, then run this again"
            .into(),
    }
}

pub(crate) fn damaged(dir: &Path, err: &dyn std::fmt::Display) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        reason: format!("cannot be read ({err}); it may be damaged: run `claimdex ingest --rebuild`"),
    }
}

fn missing(dir: &Path) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        reason: "no claimdex index here; run `claimdex ingest` first (or pass --index DIR)".into(),
    }
}

/// Opens an existing index for reading, checking that claimdex wrote it with this
/// schema version. Every failure is an [`Error::Index`] that says what to do.
pub fn open(dir: &Path) -> Result<ClaimIndex> {
    if !dir.is_dir() {
        return Err(if dir.exists() {
            Error::Index {
                path: dir.to_path_buf(),
                reason: "not a folder".into(),
            }
        } else {
            missing(dir)
        });
    }
    let Some(meta) = schema::read_meta(dir)? else {
        if dir.join(TANTIVY_META).exists() {
            return Err(foreign(dir));
        }
        return Err(missing(dir));
    };
    schema::check_version(dir, &meta)?;
    open_checked(dir)
}

pub(crate) fn foreign(dir: &Path) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        reason: format!(
            "holds a search index that claimdex did not write (no {}); pass another --index, \
             or run `claimdex ingest --rebuild` to replace it",
            schema::META_FILE
        ),
    }
}

/// Opens the tantivy index in `dir` and checks its schema is exactly ours.
pub(crate) fn open_checked(dir: &Path) -> Result<ClaimIndex> {
    let index = Index::open_in_dir(dir).map_err(|e| tantivy_error(dir, e))?;
    if index.schema() != schema::build_schema() {
        return Err(Error::Index {
            path: dir.to_path_buf(),
            reason: format!(
                "its fields differ from schema version {}; run `claimdex ingest --rebuild`",
                schema::SCHEMA_VERSION
            ),
        });
    }
    schema::register_tokenizers(&index);
    let fields = Fields::from_schema(&index.schema(), dir)?;
    Ok(ClaimIndex {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

#[cfg(test)]
mod tests;
