//! index: claims and their articles in one tantivy index, for search and the conflict report.
//!
//! [`schema`] defines the records and the schema version, [`writer`] adds and replaces
//! articles, [`reader`] reads every record back (what the conflict report uses),
//! [`search`] runs a query with filters, [`value`] parses and prints figures.

mod bounds;
pub(crate) mod create;
pub mod merge;
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
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
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
            .map_err(|e| read_error(&self.dir, e))
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

/// A tantivy error met while reading the index: a read the system refused is said as
/// such ("cannot read", never "cannot write": a reader writes nothing); anything else
/// from tantivy means the folder is damaged.
pub(crate) fn read_error(dir: &Path, err: TantivyError) -> Error {
    if let Some(io) = io_cause(&err)
        && io.kind() == io::ErrorKind::PermissionDenied
    {
        return cannot_read(dir, io);
    }
    if let Some(code) = os_error_code(&err.to_string()) {
        let io = io::Error::from_raw_os_error(code);
        if io.kind() == io::ErrorKind::PermissionDenied {
            return cannot_read(dir, &io);
        }
    }
    damaged(dir, &err)
}

/// A read the system refused: the index may be whole, this user may not read it.
pub(crate) fn cannot_read(dir: &Path, err: &io::Error) -> Error {
    let advice = if err.kind() == io::ErrorKind::PermissionDenied {
        "; nothing is wrong with the index: ask its owner for read access, or pass another --index"
    } else {
        ""
    };
    Error::Index {
        path: dir.to_path_buf(),
        reason: format!("cannot read it: {err}{advice}"),
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
        reason: format!("cannot be read ({err}); it may be damaged: {}", way_back(dir)),
    }
}

/// The way back from a damaged index when it does not say which folders it holds.
const WAY_BACK: &str = "rebuild it from the articles with `claimdex ingest --rebuild` followed by every \
     folder you ingested into it (`claimdex stats` lists them): a rebuild keeps \
     only the articles of the folders it is given";

/// A path as a shell word: quoted unless it is plain.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-/+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The way back from an index that cannot be used as it is: the rebuild command with
/// every folder ingested into it and how many articles each held (from claimdex.json),
/// else how many articles the last commit held (from tantivy's meta.json), so that no
/// one follows the advice and loses the articles of folders they did not think of.
pub(crate) fn way_back(dir: &Path) -> String {
    let text = |name: &str| std::fs::read(dir.join(name)).ok();
    let folders = text(schema::META_FILE)
        .and_then(|b| serde_json::from_slice::<schema::IndexMeta>(&b).ok())
        .map(|m| m.folders)
        .unwrap_or_default();
    let index_flag = if dir == Path::new("index") {
        String::new()
    } else {
        format!(" --index {}", shell_word(&dir.to_string_lossy()))
    };
    if !folders.is_empty() {
        let shown = |f: &str| crate::walk::shown(f).to_owned();
        let words: Vec<String> = folders.keys().map(|f| shell_word(&shown(f))).collect();
        let held: Vec<String> = folders.iter().map(|(f, n)| format!("{n} from {}", shown(f))).collect();
        let total: u64 = folders.values().sum();
        return format!(
            "rebuild it with `claimdex ingest --rebuild{index_flag} {}`: those are all the folders \
             ingested into it ({total} articles: {}); a rebuild keeps only the articles of the \
             folders it is given, so a folder left out loses its articles until ingested again",
            words.join(" "),
            held.join(", ")
        );
    }
    let held = text(TANTIVY_META)
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| serde_json::from_str::<writer::CommitPayload>(v.get("payload")?.as_str()?).ok());
    match held {
        Some(p) => format!(
            "rebuild it with `claimdex ingest --rebuild{index_flag}` followed by every folder ingested \
             into it: it held {} articles at its last commit, and a rebuild keeps only the articles \
             of the folders it is given",
            p.documents
        ),
        None => WAY_BACK.to_owned(),
    }
}

/// Segment files whose checksum does not match their content: named, with the way back.
fn damaged_files(dir: &Path, files: &HashSet<PathBuf>) -> Error {
    let mut names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    names.sort();
    Error::Index {
        path: dir.to_path_buf(),
        reason: format!(
            "is damaged: {} fail(s) its checksum ({}); nothing was read from it; {}",
            names.len(),
            names.join(", "),
            way_back(dir)
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
            reason: format!("is damaged: reading it failed inside tantivy; {}", way_back(dir)),
        })
    })
}

fn missing(dir: &Path) -> Error {
    if let Some(tmp) = create::in_progress(dir) {
        return create::being_created(dir, &tmp);
    }
    Error::Index {
        path: dir.to_path_buf(),
        reason: "no claimdex index here; run `claimdex ingest` first (or pass --index DIR)".into(),
    }
}

/// True when `dir` holds a file of tantivy's besides its metadata (a segment file).
fn has_segment_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name != schema::META_FILE && writer::is_index_file(&name)
        })
    })
}

/// Opens an existing index for reading, checking that claimdex wrote it with this
/// schema version. Every failure is an [`Error::Index`] that says what to do.
pub fn open(dir: &Path) -> Result<ClaimIndex> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::Index {
                path: dir.to_path_buf(),
                reason: "not a folder".into(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing(dir)),
        Err(e) => return Err(cannot_read(dir, &e)),
    }
    let has_tantivy = dir.join(TANTIVY_META).exists();
    let Some(meta) = schema::read_meta(dir)? else {
        if has_tantivy {
            return Err(foreign(dir));
        }
        return Err(missing(dir));
    };
    schema::check_version(dir, &meta)?;
    if !has_tantivy && !has_segment_files(dir) {
        // A creation in place that never reached its first commit: nothing was indexed.
        return Err(missing(dir));
    }
    open_with(dir, Index::open(ClaimDirectory::open(dir)?), Verify::Checksums)
}

/// The folder of an index as claimdex uses it:
///
/// - tantivy writes `meta.json` and `.managed.json` through a temporary file of mode 0600,
///   so another user could not read an index whose segment files they may read; here
///   they get the mode every other file of the index gets (`0666` less the umask);
/// - a reader in a read-only folder goes on without tantivy's reader lock file (which
///   only guards against a writer's clean-up of old files) when it cannot be created. No
///   writer can work in such a folder.
/// - opened for a scan ([`open_for_scan`]), its doc stores are read with a system call per
///   block instead of mapped: a pass over every record would otherwise keep the whole
///   store resident in the process while the searcher lives.
#[derive(Debug, Clone)]
struct ClaimDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    scan: bool,
}

impl ClaimDirectory {
    fn open(dir: &Path) -> Result<ClaimDirectory> {
        let inner = MmapDirectory::open(dir).map_err(|e| read_error(dir, e.into()))?;
        Ok(ClaimDirectory {
            inner,
            root: dir.to_path_buf(),
            scan: false,
        })
    }
}

/// A file read by `pread` (one doc store block at a time, as a scan asks for them).
#[derive(Debug)]
struct ReadAtFile {
    file: std::fs::File,
    len: usize,
}

impl tantivy::HasLen for ReadAtFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadAtFile {
    fn read_bytes(&self, range: std::ops::Range<usize>) -> io::Result<OwnedBytes> {
        use std::os::unix::fs::FileExt;
        let mut buf = vec![0; range.len()];
        self.file.read_exact_at(&mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

/// The index in `dir` opened for one pass over its records ([`ClaimDirectory`]'s scan);
/// its files are checked first, as [`open`] checks them, through the mapped files.
pub(crate) fn open_for_scan(dir: &Path) -> Result<ClaimIndex> {
    drop(open(dir)?);
    let mut directory = ClaimDirectory::open(dir)?;
    directory.scan = true;
    open_with(dir, Index::open(directory), Verify::No)
}

/// Writes `data` to `path` whole or not at all: a temporary file beside it (created like
/// any other file, so with `0666` less the umask), synced, then renamed over it.
fn atomic_write(path: &Path, data: &[u8]) -> io::Result<()> {
    use std::io::Write;
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = SEQ.fetch_add(1, Ordering::SeqCst);
    let tmp = path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_data()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

impl Directory for ClaimDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !self.scan || path.extension().is_none_or(|e| e != "store") {
            return self.inner.get_file_handle(path);
        }
        let full = self.root.join(path);
        let wrap = |io_error: io::Error| match io_error.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(io_error, path.to_path_buf()),
        };
        let file = std::fs::File::open(&full).map_err(wrap)?;
        let len = file.metadata().map_err(wrap)?.len();
        let len = usize::try_from(len).map_err(|_| wrap(io::Error::other("too large")))?;
        Ok(Arc::new(ReadAtFile { file, len }))
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        atomic_write(&self.root.join(path), data)
    }
    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
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
        self.inner.watch(watch_callback)
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

/// Whether opening an index checks its segment files against their checksums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verify {
    /// Once per state of the folder's files (see [`VERIFIED`]).
    Checksums,
    /// Not at all: files this process has just written.
    No,
}

/// Opens the tantivy index in `dir` (for writing) and checks its schema is exactly ours.
pub(crate) fn open_checked(dir: &Path, verify: Verify) -> Result<ClaimIndex> {
    open_with(dir, Index::open(ClaimDirectory::open(dir)?), verify)
}

fn open_with(dir: &Path, index: tantivy::Result<Index>, verify: Verify) -> Result<ClaimIndex> {
    let index = index.map_err(|e| read_error(dir, e))?;
    // Every segment file of the commit is checked against its checksum before anything
    // is read (a flipped bit otherwise panics in the store reader or changes results),
    // once per state of the folder's files: a check costs a read of the whole index.
    let state = files_state(dir);
    if verify == Verify::Checksums && (state.is_none() || state != verified_state(dir)) {
        let bad = guarded(dir, || index.validate_checksum().map_err(|e| read_error(dir, e)))?;
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
                "its fields differ from schema version {}; {}",
                schema::SCHEMA_VERSION,
                way_back(dir)
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
