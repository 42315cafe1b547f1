//! Files written whole or not at all: a temporary file beside the target, renamed over
//! it once every byte is on disk. A write that fails (a full disk, a file-size limit, a
//! kill) leaves the file that was there before untouched and no temporary file behind
//! (a kill may leave a `.NAME.tmp-PID`, which is never read).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written in place of `target`: write to it, then [`AtomicFile::commit`].
/// Dropped without a commit, it removes its temporary file and leaves `target` as it was.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
}

/// The error of a write that failed: it names the file and says "cannot write".
pub fn cannot_write(path: &Path, err: &io::Error) -> Error {
    Error::file(path, format!("cannot write: {err}; nothing was changed"))
}

impl AtomicFile {
    /// Starts writing in place of `target`; its temporary file is made in the same folder
    /// (a rename never crosses file systems), with the mode of the file it replaces.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let name = target
            .file_name()
            .ok_or_else(|| Error::file(target, "cannot write: not a file name"))?;
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tmp-{}", std::process::id()));
        let tmp = folder.join(tmp_name);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .or_else(|e| {
                // A temporary file left by a killed run of this same process id.
                if e.kind() == io::ErrorKind::AlreadyExists && fs::remove_file(&tmp).is_ok() {
                    OpenOptions::new().write(true).create_new(true).open(&tmp)
                } else {
                    Err(e)
                }
            })
            .map_err(|e| cannot_write(target, &e))?;
        if let Ok(old) = fs::metadata(target) {
            let mode = old.permissions().mode() & 0o7777;
            // Best effort: the new report is readable as the old one was.
            let _ = fs::set_permissions(&tmp, fs::Permissions::from_mode(mode));
        }
        Ok(AtomicFile {
            target: target.to_path_buf(),
            tmp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// The file's path (the target, for messages).
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Flushes and syncs the temporary file, then renames it over the target.
    pub fn commit(mut self) -> Result<()> {
        let target = self.target.clone();
        let err = |e: io::Error| cannot_write(&target, &e);
        let Some(buf) = self.file.take() else {
            return Err(err(io::Error::other("already committed")));
        };
        let file = buf.into_inner().map_err(|e| err(e.into_error()))?;
        file.sync_all().map_err(err)?;
        drop(file);
        fs::rename(&self.tmp, &self.target).map_err(err)?;
        // The rename is durable once the folder is synced (best effort: some file
        // systems refuse to sync a folder).
        if let Some(folder) = self.target.parent().filter(|p| !p.as_os_str().is_empty())
            && let Ok(dir) = File::open(folder)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.md");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_name_is_needed() {
        let err = AtomicFile::create(Path::new("/")).unwrap_err().to_string();
        assert!(err.contains("cannot write"), "{err}");
    }
}
