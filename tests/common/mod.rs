//! Helpers the integration tests share.

use std::fs;
use std::path::Path;

/// A temporary folder holding a copy of `corpus/` as `corpus`.
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
