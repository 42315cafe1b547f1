//! walk: the article files under the paths given, in a deterministic order.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};
use std::sync::LazyLock;

use walkdir::WalkDir;

/// File name extensions claimdex reads.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// Why a path found by the walk was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    Hidden,
    Extension,
    NotRegular,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::Hidden => "hidden",
            SkipReason::Extension => "not an article extension",
            SkipReason::NotRegular => "not a regular file",
        })
    }
}

/// A path the walk could not visit, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: PathBuf,
    pub reason: String,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Article files, sorted, each once.
    pub files: Vec<PathBuf>,
    /// Count of skipped entries by reason.
    pub skipped: BTreeMap<SkipReason, usize>,
    /// Files inside the folders walked skipped for their extension, sorted.
    pub other_types: Vec<PathBuf>,
    /// Entries with an article extension that are not regular files (FIFOs, sockets,
    /// devices): named, since the user may have expected them to be read.
    pub not_regular: Vec<PathBuf>,
    /// Paths that could not be read (missing argument, permission, symlink loop).
    pub errors: Vec<WalkError>,
}

/// The identity of a file in an index: its canonical path (absolute, symlinks and `.` and
/// `..` resolved), so that `corpus/a.txt`, `./corpus/a.txt`, `/home/me/corpus/a.txt` and
/// `a.txt` read from inside `corpus` are one article. A path that cannot be resolved (gone
/// since the walk, or never there) is made absolute as written.
pub fn identity(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// The working folder's canonical path with a closing separator, read once.
static HERE: LazyLock<Option<String>> = LazyLock::new(|| {
    let here = std::env::current_dir().and_then(std::fs::canonicalize).ok()?;
    let mut s = here.to_string_lossy().into_owned();
    if !s.ends_with(MAIN_SEPARATOR) {
        s.push(MAIN_SEPARATOR);
    }
    Some(s)
});

/// How an [`identity`] is shown: relative to the working folder when the file lies under it
/// (`corpus/a.txt`), else whole.
pub fn shown(identity: &str) -> &str {
    match HERE.as_deref() {
        Some(here) => identity
            .strip_prefix(here)
            .filter(|rest| !rest.is_empty())
            .unwrap_or(identity),
        None => identity,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// True when `path` has one of [`EXTENSIONS`] (ASCII case-insensitive).
pub fn has_article_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Walks every path: a file is taken as given (whatever its extension), a folder is
/// searched recursively for article files, skipping hidden entries. Symlinks are followed,
/// loops reported.
pub fn walk<P: AsRef<Path>>(paths: &[P]) -> Walk {
    let mut out = Walk::default();
    for root in paths {
        let root = root.as_ref();
        let mut hidden = 0usize;
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let keep = e.depth() == 0 || !is_hidden(e.file_name());
                hidden += usize::from(!keep);
                keep
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else if let Some(io) = err.io_error() {
                        io.to_string()
                    } else {
                        err.to_string()
                    };
                    out.errors.push(WalkError { path, reason });
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            let path = entry.path();
            if !ft.is_file() {
                *out.skipped.entry(SkipReason::NotRegular).or_default() += 1;
                if has_article_extension(path) {
                    out.not_regular.push(path.to_path_buf());
                }
            } else if entry.depth() > 0 && !has_article_extension(path) {
                // A file named itself is read whatever it is called; inside a folder, only
                // articles' extensions are.
                *out.skipped.entry(SkipReason::Extension).or_default() += 1;
                out.other_types.push(path.to_path_buf());
            } else {
                out.files.push(path.to_path_buf());
            }
        }
        if hidden > 0 {
            *out.skipped.entry(SkipReason::Hidden).or_default() += hidden;
        }
    }
    out.files.sort();
    out.files.dedup();
    out.not_regular.sort();
    out.other_types.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn sorted_filtered_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("sub")).unwrap();
        fs::create_dir_all(d.join(".git")).unwrap();
        for f in [
            "b.txt",
            "a.md",
            "sub/c.html",
            "x.pdf",
            ".hidden.txt",
            ".git/d.txt",
            "E.HTM",
        ] {
            fs::write(d.join(f), "x").unwrap();
        }
        let w = walk(&[d]);
        let names: Vec<_> = w
            .files
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["E.HTM", "a.md", "b.txt", "sub/c.html"]);
        assert_eq!(w.skipped.get(&SkipReason::Extension), Some(&1));
        assert_eq!(w.other_types, [d.join("x.pdf")]);
        // Named itself, a file of another extension is taken.
        assert_eq!(walk(&[d.join("x.pdf")]).files, [d.join("x.pdf")]);
        assert_eq!(
            w.skipped.get(&SkipReason::Hidden),
            Some(&2),
            "a hidden file and a hidden folder"
        );
        assert!(w.errors.is_empty());
    }

    #[test]
    fn fifos_sockets_and_loops_are_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let fifo = d.join("pipe.txt");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        let _sock = std::os::unix::net::UnixListener::bind(d.join("sock.md")).unwrap();
        std::fs::create_dir(d.join("loop")).unwrap();
        std::os::unix::fs::symlink(d.join("loop"), d.join("loop/again")).unwrap();
        fs::write(d.join("ok.txt"), "x").unwrap();
        let w = walk(&[d]);
        assert_eq!(w.files, [d.join("ok.txt")]);
        let mut want = vec![d.join("sock.md")];
        if made {
            want.insert(0, d.join("pipe.txt"));
        }
        assert_eq!(w.not_regular, want);
        assert_eq!(w.errors.len(), 1, "{:?}", w.errors);
        assert_eq!(w.errors[0].reason, "symlink loop");
    }

    #[test]
    fn one_file_has_one_identity_however_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("corpus/sub")).unwrap();
        fs::write(d.join("corpus/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("corpus/a.txt"), d.join("link.txt")).unwrap();
        let id = identity(&d.join("corpus/a.txt"));
        assert!(Path::new(&id).is_absolute(), "{id}");
        for other in ["corpus/./a.txt", "corpus/sub/../a.txt", "link.txt"] {
            assert_eq!(identity(&d.join(other)), id, "{other}");
        }
        // Gone since the walk: absolute as written, never an error.
        assert!(identity(Path::new("gone/b.txt")).ends_with("gone/b.txt"));
        assert!(Path::new(&identity(Path::new("gone/b.txt"))).is_absolute());
    }

    #[test]
    fn identities_are_shown_relative_to_the_working_folder() {
        let here = std::env::current_dir().and_then(fs::canonicalize).unwrap();
        let inside = here.join("corpus").join("a.txt");
        assert_eq!(shown(&inside.to_string_lossy()), "corpus/a.txt");
        assert_eq!(shown("/elsewhere/a.txt"), "/elsewhere/a.txt");
        assert_eq!(shown(&here.to_string_lossy()), here.to_string_lossy());
    }

    #[test]
    fn missing_path_is_an_error_not_a_panic() {
        let w = walk(&["/nonexistent/claimdex-test"]);
        assert_eq!(w.errors.len(), 1);
        assert!(w.files.is_empty());
    }
}
