//! Helpers the integration tests share.

use std::fs;
use std::path::Path;

/// A temporary folder holding a copy of `corpus/` as `corpus`.
#[allow(dead_code)] // a test crate may share this module for its other helpers
pub fn corpus_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("corpus");
    fs::create_dir_all(&to).unwrap();
    for e in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    tmp
}

/// A path the library read from an index (absolute, the file's identity) as the binary
/// shows it when run in `root`: relative to it.
#[allow(dead_code)] // not every test crate that shares this module reads paths back
pub fn shown_in(root: &Path, stored: &str) -> String {
    let root = fs::canonicalize(root).unwrap();
    Path::new(stored)
        .strip_prefix(&root)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Says that a test cannot run on this machine where it shows: libtest captures what a
/// passing test prints with `eprintln!`, not a write to stderr itself. Under `.ci/run`
/// (`CLAIMDEX_CI` set), where every such test must run, `required` makes it fail instead.
#[allow(dead_code)] // not every test crate that shares this module has a test that may skip
pub fn cannot_run(test: &str, reason: &str, required: bool) {
    use std::io::Write;
    assert!(
        !(required && std::env::var_os("CLAIMDEX_CI").is_some()),
        "{test} must run in CI but cannot: {reason}"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// `setpriv` and its arguments: the prefix that runs a command as user nobody (65534).
#[allow(dead_code)] // only the test crates that check permissions run as another user
pub const AS_NOBODY: [&str; 4] = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

/// Whether the tests run as root (who alone can run a command as another user).
#[allow(dead_code)] // only the test crates that check permissions ask
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
