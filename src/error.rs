//! The library's error type.

use std::path::PathBuf;

/// Everything the pipeline can fail with. Messages name the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {reason}")]
    File { path: PathBuf, reason: String },
    /// A file that is not an article (binary, empty, too large): skipped, not failed.
    #[error("skipped {path}: {reason}")]
    Skipped { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A write that failed (output on stdout, a file claimdex writes).
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index at {path}: {reason}")]
    Index { path: PathBuf, reason: String },
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn skipped(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::Skipped {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// True for a file that was skipped on purpose rather than failed.
    pub fn is_skip(&self) -> bool {
        matches!(self, Error::Skipped { .. })
    }

    /// A write to standard output that failed.
    pub fn stdout(source: std::io::Error) -> Self {
        Error::Write {
            path: "<stdout>".into(),
            source,
        }
    }

    pub fn file(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::File {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
