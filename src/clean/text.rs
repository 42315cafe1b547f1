//! Plain-text and Markdown web captures: drop the site chrome, keep the article.

use std::sync::LazyLock;

use super::{Block, BlockKind, Cleaned, Format, meta};

/// The chrome patterns of `data/boilerplate.txt`.
struct Boilerplate {
    exact: Vec<String>,
    prefixes: Vec<String>,
    /// The prefixes of [`LONG_PREFIX_WORDS`] words or more, which drop long lines too.
    long_prefixes: Vec<String>,
}

static BOILERPLATE: LazyLock<Boilerplate> = LazyLock::new(|| {
    let mut exact = Vec::new();
    let mut prefixes = Vec::new();
    for line in include_str!("../../data/boilerplate.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_suffix('*') {
            Some(p) => prefixes.push(p.to_ascii_lowercase()),
            None => exact.push(line.to_ascii_lowercase()),
        }
    }
    let long = |p: &&String| p.split_whitespace().count() >= LONG_PREFIX_WORDS && !p.contains("{n}");
    let long_prefixes = prefixes.iter().filter(long).cloned().collect();
    Boilerplate {
        exact,
        prefixes,
        long_prefixes,
    }
});

/// Lowercases and turns every digit run into `{n}`.
fn shape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_digits = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push_str("{n}");
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Words a prefix pattern needs to drop a line of any length: a paywall's "To continue
/// reading this article, please log in ..." is long, but no article sentence opens so.
const LONG_PREFIX_WORDS: usize = 4;

/// True for a line that is site chrome on its own: a short line matching a pattern, or a
/// line of any length opening with a prefix pattern of [`LONG_PREFIX_WORDS`] words or more.
pub fn is_chrome_line(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['#', '*', '-', '•', ' ']).trim();
    if t.is_empty() {
        return false;
    }
    let bp = &*BOILERPLATE;
    if t.len() > 80 {
        // Prose lines are long and many: compared in place, nothing copied.
        let opens = |p: &String| {
            t.as_bytes()
                .get(..p.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
        };
        return bp.long_prefixes.iter().any(opens);
    }
    let s = shape(t);
    bp.exact.contains(&s) || bp.prefixes.iter().any(|p| s.starts_with(p.as_str()))
}

/// A "More from <site>" heading: starts a block of teaser cards.
fn is_more_from(line: &str) -> bool {
    let t = line.trim().trim_start_matches('#').trim();
    let lower = t.to_ascii_lowercase();
    (lower.starts_with("more from ")
        || lower == "more stories"
        || lower == "you might also like"
        || lower == "recommended"
        || lower == "more on this story"
        || lower == "related reading")
        && t.len() <= 60
}

/// A heading that opens the article's source list.
pub fn is_sources_heading(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_ascii_lowercase();
    matches!(
        t.as_str(),
        "sources"
            | "references"
            | "notes"
            | "footnotes"
            | "citations"
            | "works cited"
            | "bibliography"
            | "notes and references"
    )
}

/// Cleans a plain-text or Markdown capture. The text stays as it is; kept lines become
/// blocks (without their line ends).
pub fn clean_text(text: String, format: Format) -> Cleaned {
    let lines: Vec<(usize, usize)> = line_spans(&text);
    let mut keep = vec![true; lines.len()];
    let line_str = |i: usize| &text[lines[i].0..lines[i].1];

    // Chrome lines, and "More from" blocks up to the source list or the end.
    let mut site: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = line_str(i);
        if is_more_from(l) {
            let name = l.trim().trim_start_matches('#').trim();
            if site.is_none() && name.len() > 10 && name[..10].eq_ignore_ascii_case("more from ") {
                site = Some(name[10..].trim().to_string());
            }
            let mut j = i;
            while j < lines.len() && !is_sources_heading(line_str(j)) {
                let lj = line_str(j).trim();
                // A long paragraph is article text again: stop there.
                if j > i && lj.len() > 320 {
                    break;
                }
                keep[j] = false;
                j += 1;
            }
            i = j;
            continue;
        }
        if is_chrome_line(l) {
            keep[i] = false;
        }
        i += 1;
    }

    // Metadata from the kept lines; then the title's repeats are chrome too.
    let kept: Vec<&str> = (0..lines.len()).filter(|&i| keep[i]).map(line_str).collect();
    let mut found = meta::text_meta(&kept, format);
    // "More from The Compute Ledger" names the site when no footer did.
    if found.publisher.is_none() {
        found.publisher = site;
    }
    if let Some(title) = &found.title {
        let mut seen = false;
        for (i, k) in keep.iter_mut().enumerate() {
            if *k && meta::strip_heading(line_str(i)) == title.as_str() {
                if seen {
                    *k = false;
                }
                seen = true;
            }
        }
    }

    let blocks = lines
        .iter()
        .zip(&keep)
        .filter(|&(&(s, e), &k)| k && !text[s..e].trim().is_empty())
        .map(|(&(s, e), _)| Block {
            range: s..e,
            kind: BlockKind::Line,
        })
        .collect();
    Cleaned {
        text,
        blocks,
        meta: found,
        format,
        source_lines: None,
    }
}

/// Byte spans of every line, without `\n` or `\r\n` (a lone `\r` also ends a line).
pub fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        let at = i + off;
        out.push((start, at));
        i = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        start = i;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPTURE: &str = "Skip to content\nSign in\nThe Cloud Pact\nThe Cloud Pact\nBy Ada Lin\nPublished:\n\
Some content is members-only. Join now\n\nMicrosoft put $1 billion into OpenAI in 2019.\n\n\
Share This Article\nComments (3)\nLoading comments...\nNo comments yet\n\nMore from Example Daily\nSee all\n\
Teaser one\nA short blurb.\nTeaser two\nAnother blurb.\n\nSources\n1. A cited piece - 2026-04-13\n";

    #[test]
    fn chrome_dropped_article_kept() {
        let c = clean_text(CAPTURE.to_string(), Format::Text);
        let body = c.body();
        for gone in [
            "Skip to content",
            "Sign in",
            "members-only",
            "Share This",
            "Comments (3)",
            "Loading",
            "No comments",
            "More from",
            "See all",
            "Teaser",
            "blurb",
            "Published:",
        ] {
            assert!(!body.contains(gone), "{gone:?} survived in {body:?}");
        }
        for kept in [
            "The Cloud Pact",
            "By Ada Lin",
            "Microsoft put $1 billion into OpenAI in 2019.",
            "Sources",
            "1. A cited piece - 2026-04-13",
        ] {
            assert!(body.contains(kept), "{kept:?} lost from {body:?}");
        }
        assert_eq!(body.matches("The Cloud Pact").count(), 1, "repeated title line dropped");
        assert_eq!(c.meta.title.as_deref(), Some("The Cloud Pact"));
        assert_eq!(c.meta.byline.as_deref(), Some("Ada Lin"));
        assert_eq!(c.meta.publisher.as_deref(), Some("Example Daily"));
        // Block ranges are offsets into the original text.
        for b in &c.blocks {
            assert!(CAPTURE[b.range.clone()].len() == b.range.len());
        }
    }

    /// A paywall's lines at the top of a capture are chrome: its trial length is no claim
    /// and its brand no subject.
    #[test]
    fn paywall_lines_are_chrome() {
        let capture = "Port fees rise\n\nStandard content for Members only\n\
            To continue reading this article, please login to your Harbour Post account, Start 14 day trial or Become a member.\n\
            If your organisation already has a corporate membership and you haven't activated it, follow the link below.\n\
            Already a subscriber? Log in here.\n\
            The port raised its fees by 5% in May.\n";
        let body = clean_text(capture.to_string(), Format::Text).body();
        for gone in ["Members only", "14 day", "corporate membership", "subscriber"] {
            assert!(!body.contains(gone), "{gone:?} survived in {body:?}");
        }
        assert!(body.contains("The port raised its fees by 5% in May."), "{body:?}");
    }

    #[test]
    fn line_spans_handle_all_line_ends() {
        assert_eq!(line_spans("a\r\nb\rc\nd"), vec![(0, 1), (3, 4), (5, 6), (7, 8)]);
        assert_eq!(line_spans(""), vec![]);
    }
}
