//! A new index is made whole or not at all.
//!
//! A new index is built in a temporary folder beside its target (`.NAME.tmp-PID`) and
//! renamed into place at its first commit, so the target is either missing (or the empty
//! folder it was) or a whole index with a commit: a kill or a full disk on the way never
//! leaves a half-made folder. While an ingest creates an index, readers and a second
//! ingest are told so; a temporary folder left by a killed ingest is removed by the next.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};

use crate::error::{Error, Result};

/// A new index being built in `tmp`, to be renamed to `target`.
#[derive(Debug)]
pub(crate) struct Staging {
    pub tmp: PathBuf,
    pub target: PathBuf,
}

/// The folder holding `target` and its name, when it has both.
fn parent_and_name(target: &Path) -> Option<(PathBuf, OsString)> {
    let name = target.file_name()?.to_owned();
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((parent, name))
}

fn tmp_prefix(name: &OsStr) -> OsString {
    let mut p = OsString::from(".");
    p.push(name);
    p.push(".tmp-");
    p
}

/// Temporary folders of creations of `target`, with the process id in their names.
fn staging_folders(target: &Path) -> Vec<(PathBuf, u32)> {
    let Some((parent, name)) = parent_and_name(target) else {
        return Vec::new();
    };
    let prefix = tmp_prefix(&name);
    let Ok(entries) = fs::read_dir(&parent) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(rest) = file_name.as_encoded_bytes().strip_prefix(prefix.as_encoded_bytes()) else {
            continue;
        };
        let pid = std::str::from_utf8(rest).ok().and_then(|s| s.parse::<u32>().ok());
        if let Some(pid) = pid
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            out.push((e.path(), pid));
        }
    }
    out
}

fn alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// The temporary folder of an ingest creating `target` right now, if one is: what a
/// reader looks for when it finds no index (a process of that id is running).
pub(crate) fn in_progress(target: &Path) -> Option<PathBuf> {
    staging_folders(target)
        .into_iter()
        .find(|(_, pid)| alive(*pid))
        .map(|(p, _)| p)
}

/// The error of a command that finds `target` being created by an ingest in `tmp`.
pub(crate) fn being_created(target: &Path, tmp: &Path) -> Error {
    Error::Index {
        path: target.to_path_buf(),
        reason: format!(
            "is being created by a `claimdex ingest` that is still running (in {}); \
             it appears when that ingest commits: wait for it, then run this again",
            tmp.display()
        ),
    }
}

/// True when the folder holds only what a creation puts there: index files and hidden ones.
fn only_index_files(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().all(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        name.starts_with('.') || super::writer::is_index_file(&name)
    })
}

/// Removes the temporary folders of creations of `target` that were killed; fails if
/// another ingest is creating it now (its writer lock is held, or its process runs).
fn clear_stale(target: &Path) -> Result<()> {
    for (tmp, pid) in staging_folders(target) {
        // The process first (looking costs it nothing), then its lock.
        let busy = || {
            MmapDirectory::open(&tmp)
                .is_ok_and(|d| matches!(d.acquire_lock(&INDEX_WRITER_LOCK), Err(LockError::LockBusy)))
        };
        if alive(pid) || busy() {
            return Err(being_created(target, &tmp));
        }
        if only_index_files(&tmp) {
            // Best effort: a folder that cannot be removed is only in the way of nothing.
            let _ = fs::remove_dir_all(&tmp);
        }
    }
    Ok(())
}

/// True when `dir` is a mount point (its device differs from its parent's): a rename
/// cannot replace it.
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    match (fs::metadata(dir), fs::metadata(parent)) {
        (Ok(d), Ok(p)) => d.dev() != p.dev(),
        _ => true,
    }
}

/// Starts the creation of an index at `target` (missing, or an empty real folder):
/// `Ok(None)` when it must be built in place instead (a mount point, a symbolic link, a
/// parent folder this user cannot write to while the target exists).
pub(crate) fn stage(target: &Path) -> Result<Option<Staging>> {
    let Some((parent, name)) = parent_and_name(target) else {
        return Ok(None);
    };
    let existing = fs::symlink_metadata(target).ok();
    if let Some(m) = &existing
        && (!m.is_dir() || is_mount_point(target, &parent))
    {
        return Ok(None);
    }
    clear_stale(target)?;
    let mut tmp_name = tmp_prefix(&name);
    tmp_name.push(std::process::id().to_string());
    let tmp = parent.join(tmp_name);
    match fs::create_dir(&tmp) {
        Ok(()) => {}
        Err(_) if existing.is_some() => return Ok(None),
        Err(source) => {
            return Err(Error::Index {
                path: target.to_path_buf(),
                reason: format!("cannot create it: {source}"),
            });
        }
    }
    if let Some(m) = &existing {
        // The index keeps the permissions of the folder it replaces.
        let _ = fs::set_permissions(&tmp, fs::Permissions::from_mode(m.permissions().mode() & 0o7777));
    }
    Ok(Some(Staging {
        tmp,
        target: target.to_path_buf(),
    }))
}

impl Staging {
    /// Renames the built index into place. An empty target folder's hidden files (a
    /// `.gitkeep`) move into the new index first, since a rename replaces only an empty
    /// folder. Called with no writer open on `tmp`.
    pub(crate) fn place(&self) -> Result<()> {
        let io = |source: io::Error| Error::Index {
            path: self.target.clone(),
            reason: format!("cannot write to it: {source}; the new index was not put in place"),
        };
        let mut moved = Vec::new();
        if let Ok(entries) = fs::read_dir(&self.target) {
            for e in entries.flatten() {
                let to = self.tmp.join(e.file_name());
                if !to.exists() && fs::rename(e.path(), &to).is_ok() {
                    moved.push((to, e.path()));
                }
            }
        }
        if let Err(e) = fs::rename(&self.tmp, &self.target) {
            for (from, back) in moved {
                let _ = fs::rename(from, back);
            }
            if matches!(
                e.kind(),
                io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
            ) {
                return Err(Error::Index {
                    path: self.target.clone(),
                    reason: "was created by another process while this ingest built it; \
                             nothing of this run was kept: run it again"
                        .into(),
                });
            }
            return Err(io(e));
        }
        if let Some((parent, _)) = parent_and_name(&self.target)
            && let Ok(d) = fs::File::open(parent)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// An error about the temporary folder, said of the index the user named.
    pub(crate) fn retarget(&self, e: Error) -> Error {
        match e {
            Error::Index { path, reason } if path == self.tmp => Error::Index {
                path: self.target.clone(),
                reason,
            },
            e => e,
        }
    }

    /// Gives up the creation: the temporary folder goes, the target is left as it was.
    pub(crate) fn abandon(&self) {
        if only_index_files(&self.tmp) {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}
