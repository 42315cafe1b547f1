//! Merging shards: indexes built apart (one `claimdex ingest` per share of the articles,
//! on as many machines or processes as there are shards) made one.
//!
//! Every shard is a claimdex index of this schema version, none of them being written to
//! (each shard's writer lock is held while it is read), and no two of them hold the same
//! article. The merged index is tantivy's merge of every shard's segments into one
//! segment, with claimdex's own metadata: the commit payload's totals and, in
//! `claimdex.json`, the articles per folder summed over the shards. It is built beside its
//! target and renamed into place ([`super::create`]), so the target is either left as it
//! was or a whole index.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::indexer::merge_indices;

use super::create::{self, Staging};
use super::writer::{CommitPayload, load_known};
use super::{ClaimDirectory, ClaimIndex, Verify, locked, open_checked, schema, tantivy_error};
use crate::error::{Error, Result};

/// What a merge made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub shards: usize,
    pub totals: CommitPayload,
}

/// A shard opened for the merge: its index, its articles' paths and record counts, and its
/// writer lock.
struct Shard {
    ci: ClaimIndex,
    paths: Vec<String>,
    totals: CommitPayload,
    folders: BTreeMap<String, u64>,
    _lock: DirectoryLock,
}

/// Merges the indexes in `shards` into a new index at `out` (a missing or empty folder).
pub fn merge(out: &Path, shards: &[PathBuf]) -> Result<Merged> {
    if shards.is_empty() {
        return Err(Error::Usage("index merge needs at least one shard".into()));
    }
    refuse_repeats(shards)?;
    let opened = shards.iter().map(|s| open_shard(out, s)).collect::<Result<Vec<_>>>()?;
    refuse_shared_articles(&opened, shards)?;
    let totals = totals(&opened);
    let folders = sum_folders(&opened);
    let target = Target::prepare(out)?;
    match build(target.dir(), &opened, totals, folders) {
        Ok(()) => target.finish()?,
        Err(e) => return Err(target.abandon(e)),
    }
    Ok(Merged {
        shards: opened.len(),
        totals,
    })
}

/// A shard named twice is a slip of the command line, said as such (its writer lock would
/// otherwise read as another ingest's).
fn refuse_repeats(shards: &[PathBuf]) -> Result<()> {
    for (i, a) in shards.iter().enumerate() {
        if let Some(b) = shards[..i].iter().find(|b| same_folder(a, b)) {
            return Err(Error::Usage(format!(
                "the same index is named twice: {} and {}",
                b.display(),
                a.display()
            )));
        }
    }
    Ok(())
}

/// Opens one shard, holding its writer lock so that no ingest changes it meanwhile.
fn open_shard(out: &Path, dir: &Path) -> Result<Shard> {
    if same_folder(out, dir) {
        return Err(Error::Usage(format!(
            "the merged index cannot be one of its shards: {}",
            dir.display()
        )));
    }
    let ci = super::open(dir)?;
    let directory = MmapDirectory::open(dir).map_err(|e| tantivy_error(dir, e.into()))?;
    let lock = directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|e| match e {
        LockError::LockBusy => locked(dir),
        other => tantivy_error(dir, tantivy::TantivyError::LockFailure(other, None)),
    })?;
    let known = load_known(&ci)?;
    // Counted as `ClaimWriter::open` counts the totals its commits carry.
    let totals = CommitPayload::of_known(&known);
    let mut paths: Vec<String> = known.into_keys().collect();
    paths.sort_unstable();
    let folders = schema::read_meta(dir)?.map(|m| m.folders).unwrap_or_default();
    Ok(Shard {
        ci,
        paths,
        totals,
        folders,
        _lock: lock,
    })
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// An article in two shards would be two articles in the merged index: refused, naming
/// the first few and the shards that hold them.
fn refuse_shared_articles(opened: &[Shard], dirs: &[PathBuf]) -> Result<()> {
    let mut owner: HashMap<&str, usize> = HashMap::new();
    let mut shared: Vec<String> = Vec::new();
    for (i, shard) in opened.iter().enumerate() {
        for p in &shard.paths {
            if let Some(&first) = owner.get(p.as_str()) {
                shared.push(format!(
                    "{} (in {} and {})",
                    crate::printable::escape(p),
                    dirs[first].display(),
                    dirs[i].display()
                ));
            } else {
                owner.insert(p, i);
            }
        }
    }
    if shared.is_empty() {
        return Ok(());
    }
    let n = shared.len();
    shared.truncate(3);
    let more = if n > 3 {
        format!(" and {} more", n - 3)
    } else {
        String::new()
    };
    Err(Error::Usage(format!(
        "shards share {n} article{}: {}{more}; each article must be in one shard only",
        if n == 1 { "" } else { "s" },
        shared.join(", ")
    )))
}

/// The sum of the shards' totals.
fn totals(opened: &[Shard]) -> CommitPayload {
    let mut sum = CommitPayload::default();
    for t in opened.iter().map(|s| s.totals) {
        sum.documents += t.documents;
        sum.claims += t.claims;
        sum.citations += t.citations;
    }
    sum
}

fn sum_folders(opened: &[Shard]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for (folder, n) in opened.iter().flat_map(|s| s.folders.iter()) {
        *out.entry(folder.clone()).or_insert(0) += n;
    }
    out
}

/// Where the merged index is built: beside its target (renamed into place at the end), or
/// in the target itself when that cannot be (a mount point, a symbolic link).
enum Target {
    Staged(Staging),
    InPlace(PathBuf),
}

impl Target {
    fn prepare(out: &Path) -> Result<Target> {
        let occupied = fs::read_dir(out).is_ok_and(|mut d| d.any(|e| e.is_ok_and(|e| !hidden(&e.file_name()))));
        if occupied {
            return Err(Error::Index {
                path: out.to_path_buf(),
                reason: "is not empty; the merged index goes to a new or empty folder".into(),
            });
        }
        if fs::symlink_metadata(out).is_ok_and(|m| !m.is_dir() && !m.file_type().is_symlink()) {
            return Err(Error::Index {
                path: out.to_path_buf(),
                reason: "is a file, not a folder".into(),
            });
        }
        Ok(match create::stage(out)? {
            Some(st) => Target::Staged(st),
            None => Target::InPlace(out.to_path_buf()),
        })
    }

    fn dir(&self) -> &Path {
        match self {
            Target::Staged(st) => &st.tmp,
            Target::InPlace(dir) => dir,
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Target::Staged(st) => st.place().inspect_err(|_| st.abandon()),
            Target::InPlace(_) => Ok(()),
        }
    }

    /// Gives up after `e`: what was written goes (the temporary folder, or the index files
    /// written into the target), and the error names the target the user gave.
    fn abandon(self, e: Error) -> Error {
        match self {
            Target::Staged(st) => {
                st.abandon();
                st.retarget(e)
            }
            Target::InPlace(dir) => {
                for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                    if entry.file_name().to_str().is_some_and(super::writer::is_index_file) {
                        let _ = fs::remove_file(entry.path());
                    }
                }
                e
            }
        }
    }
}

fn hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// Writes the merged index into `dir`: claimdex.json first (as every creation does), then
/// tantivy's merge of the shards' segments, then a commit that carries the totals.
fn build(dir: &Path, opened: &[Shard], totals: CommitPayload, folders: BTreeMap<String, u64>) -> Result<()> {
    fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let meta = schema::IndexMeta {
        folders,
        ..schema::IndexMeta::current()
    };
    schema::write_meta(dir, &meta)?;
    let indices: Vec<tantivy::Index> = opened.iter().map(|s| s.ci.index.clone()).collect();
    merge_indices(&indices, ClaimDirectory::open(dir)?).map_err(|e| tantivy_error(dir, e))?;
    let ci = open_checked(dir, Verify::No)?;
    let payload = serde_json::to_string(&totals).map_err(|e| super::damaged(dir, &e))?;
    let mut writer = ci
        .index
        .writer_with_num_threads::<tantivy::TantivyDocument>(1, 16 << 20)
        .map_err(|e| tantivy_error(dir, e))?;
    let mut prepared = writer.prepare_commit().map_err(|e| tantivy_error(dir, e))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| tantivy_error(dir, e))?;
    writer.wait_merging_threads().map_err(|e| tantivy_error(dir, e))
}
