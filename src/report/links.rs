//! Links from a report back to its evidence: a relative link from the report's folder to
//! each article file, so that the page and the corpus can move together (the article's own
//! web address is checked by `model::web_address`).

use std::path::{Component, Path, PathBuf};

/// Where the report is read from: article links are made relative to this folder.
#[derive(Debug, Clone)]
pub struct Links {
    /// Absolute, with `.` and `..` resolved as far as the path says.
    dir: PathBuf,
}

impl From<&Path> for Links {
    fn from(dir: &Path) -> Self {
        Links { dir: absolute(dir) }
    }
}

impl Links {
    /// The `href` of an article at `path` (as the report shows it: relative to the working
    /// folder, or absolute): a relative reference from the report's folder, percent-encoded.
    pub fn article(&self, path: &str) -> String {
        let target = absolute(Path::new(path));
        let (from, to) = (parts(&self.dir), parts(&target));
        let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        if shared == 0 {
            // Nothing in common (another drive or root): the file's absolute address.
            return format!("file://{}", encode_path(&to));
        }
        let mut segments: Vec<String> = vec!["..".into(); from.len() - shared];
        segments.extend(to[shared..].iter().map(|s| encode(s)));
        segments.join("/")
    }
}

/// `p` made absolute against the working folder, `.` and `..` resolved by the path's own
/// words (not by the file system: the file may be gone).
fn absolute(p: &Path) -> PathBuf {
    let whole = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in whole.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The names of a path's folders and file, root left out.
fn parts(p: &Path) -> Vec<String> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

fn encode_path(parts: &[String]) -> String {
    parts.iter().map(|s| format!("/{}", encode(s))).collect()
}

/// One path segment percent-encoded: every byte but unreserved characters (RFC 3986).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_links_are_relative_to_the_report_folder() {
        let links = Links::from(Path::new("/news/reports"));
        assert_eq!(links.article("/news/corpus/a.html"), "../corpus/a.html");
        assert_eq!(links.article("/news/reports/b.txt"), "b.txt");
        assert_eq!(links.article("/news/reports/./x/../c.md"), "c.md");
        assert_eq!(links.article("/news/corpus/odd #1?.txt"), "../corpus/odd%20%231%3F.txt");
        assert_eq!(links.article("/news/corpus/caf\u{e9}.txt"), "../corpus/caf%C3%A9.txt");
        let elsewhere = Links::from(Path::new("/report"));
        assert_eq!(elsewhere.article("/srv/a.txt"), "file:///srv/a.txt");
    }

    #[test]
    fn a_relative_path_is_taken_from_the_working_folder() {
        let links = Links::from(Path::new("."));
        assert_eq!(links.article("corpus/a.txt"), "corpus/a.txt");
        let below = Links::from(Path::new("out"));
        assert_eq!(below.article("corpus/a.txt"), "../corpus/a.txt");
    }

    #[test]
    fn only_web_addresses_are_links() {
        use crate::model::web_address;
        assert_eq!(web_address("https://a.example/x"), Some("https://a.example/x"));
        assert_eq!(web_address("HTTP://a.example/"), Some("HTTP://a.example/"));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://a b",
            "data:text/html,x",
            "",
        ] {
            assert_eq!(web_address(bad), None, "{bad}");
        }
    }
}
