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

use std::collections::HashSet;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
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
            .map_err(|e| tantivy_error(&self.dir, e))
    }
}

/// An index error in words: a held writer lock is another ingest at work; a write refused
/// by the system (disk full, file-size limit, read-only folder) is said as such; anything
/// else from tantivy means the folder is damaged or not an index.
pub(crate) fn tantivy_error(dir: &Path, err: TantivyError) -> Error {
    if let Some(io) = io_cause(&err)
        && let Some(e) = cannot_write(dir, io)
    {
        return e;
    }
    // An indexing thread's failure reaches here as text only: "... (os error 27)".
    if let Some(code) = os_error_code(&err.to_string())
        && let Some(e) = cannot_write(dir, &io::Error::from_raw_os_error(code))
    {
        return e;
    }
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => locked(dir),
        other => damaged(dir, &other),
    }
}

/// The operating-system error behind a tantivy error, if there is one.
fn io_cause(err: &TantivyError) -> Option<&io::Error> {
    match err {
        TantivyError::IoError(e) | TantivyError::LockFailure(LockError::IoError(e), _) => Some(e),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. })
        | TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. })
        | TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => Some(io_error),
        _ => None,
    }
}

/// The number in the last "(os error N)" of an error message.
fn os_error_code(text: &str) -> Option<i32> {
    let at = text.rfind("(os error ")?;
    let rest = &text[at + "(os error ".len()..];
    rest.get(..rest.find(')')?)?.parse().ok()
}

/// A write the system refused: the index is not damaged, it keeps its last commit.
pub(crate) fn cannot_write(dir: &Path, err: &io::Error) -> Option<Error> {
    use io::ErrorKind as K;
    let why = match err.kind() {
        K::StorageFull | K::QuotaExceeded => "the disk is full",
        K::FileTooLarge => "a file-size limit was reached",
        K::ReadOnlyFilesystem => "the folder is on a read-only file system",
        K::PermissionDenied => "permission denied",
        _ => return None,
    };
    Some(Error::Index {
        path: dir.to_path_buf(),
        reason: format!(
            "cannot write to it: {why} ({err}); nothing was lost, it still holds its last commit; \
             make room or fix the permissions, then run this again"
        ),
    })
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

/// The way back from a damaged index, said wherever one is found.
const WAY_BACK: &str = "rebuild it from the articles with `claimdex ingest --rebuild` followed by every \
     folder you ingested into it (`claimdex stats` before the damage lists them): a rebuild keeps \
     only the articles of the folders it is given";

/// Segment files whose checksum does not match their content: named, with the way back.
fn damaged_files(dir: &Path, files: &HashSet<PathBuf>) -> Error {
    let mut names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    names.sort();
    Error::Index {
        path: dir.to_path_buf(),
        reason: format!(
            "is damaged: {} fail(s) its checksum ({}); nothing was read from it; {WAY_BACK}",
            names.len(),
            names.join(", ")
        ),
    }
}

/// Guards running now: while any runs, a panic's default message is not printed.
static QUIET_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Runs a read of the index at `dir`, turning a panic inside tantivy (damage its
/// checksums could not see) into an error that names the damage, without the panic's
/// message on stderr and without exit code 101.
pub(crate) fn guarded<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET_PANICS.load(Ordering::SeqCst) == 0 {
                default(info);
            }
        }));
    });
    QUIET_PANICS.fetch_add(1, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.fetch_sub(1, Ordering::SeqCst);
    result.unwrap_or_else(|_| {
        Err(Error::Index {
            path: dir.to_path_buf(),
            reason: format!("is damaged: reading it failed inside tantivy; {WAY_BACK}"),
        })
    })
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
    let directory = MmapDirectory::open(dir).map_err(|e| tantivy_error(dir, e.into()))?;
    open_with(dir, Index::open(ReadOnlyOk(directory)))
}

/// A folder to read from that may be read-only: when tantivy's reader lock file (which
/// only guards against a writer's clean-up of old files) cannot be created because the
/// folder is read-only, reading goes on without it. No writer can work in such a folder.
#[derive(Debug, Clone)]
struct ReadOnlyOk(MmapDirectory);

impl Directory for ReadOnlyOk {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        e.kind(),
                        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
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

/// The file that records the state of the index's files when their checksums last held.
const VERIFIED: &str = ".claimdex-verified";

/// The name, length and modification time of every file of the index (not the lock files
/// nor the record itself), hashed: any write to a file changes it.
fn files_state(dir: &Path) -> Option<String> {
    let mut files: Vec<(String, u64, u128)> = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == VERIFIED || name.starts_with(".tantivy") {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        files.push((name, meta.len(), modified.as_nanos()));
    }
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for (name, len, modified) in &files {
        hasher.update(format!("{name}\t{len}\t{modified}\n").as_bytes());
    }
    Some(hasher.finalize().to_hex().to_string())
}

/// The state recorded when the checksums last held, if any.
fn verified_state(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join(VERIFIED)).ok()
}

/// Opens the tantivy index in `dir` and checks its schema is exactly ours.
pub(crate) fn open_checked(dir: &Path) -> Result<ClaimIndex> {
    open_with(dir, Index::open_in_dir(dir))
}

fn open_with(dir: &Path, index: tantivy::Result<Index>) -> Result<ClaimIndex> {
    let index = index.map_err(|e| tantivy_error(dir, e))?;
    // Every segment file of the commit is checked against its checksum before anything
    // is read (a flipped bit otherwise panics in the store reader or changes results),
    // once per state of the folder's files: a check costs a read of the whole index.
    let state = files_state(dir);
    if state.is_none() || state != verified_state(dir) {
        let bad = guarded(dir, || index.validate_checksum().map_err(|e| tantivy_error(dir, e)))?;
        if !bad.is_empty() {
            return Err(damaged_files(dir, &bad));
        }
        if let Some(state) = state {
            // A folder this reader cannot write to is checked again next time.
            let _ = std::fs::write(dir.join(VERIFIED), state);
        }
    }
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
