//! clean: from a decoded file to the article text (without page chrome) and its metadata.
//!
//! Plain text and Markdown keep the file's own text, so offsets stay offsets into the
//! file: cleaning only chooses which lines are kept. HTML yields a new body text, with
//! blocks separated by blank lines; offsets then point into that body, and a table of
//! source lines ([`Cleaned::source_lines`]) gives each part of it the line of the page it
//! came from, so that every `line` is a line of the file.

pub mod html;
pub mod meta;
mod source;
pub mod text;

use std::ops::Range;
use std::path::Path;

use crate::lines::{FileLines, LineIndex, SourceLines};

/// The input format: from the file name's extension, or sniffed from the text when the
/// extension names none of them (a file named on the command line is read whatever it is
/// called).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format a file's extension names, if it names one.
    pub fn of_extension(path: &Path) -> Option<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let is = |names: &[&str]| names.iter().any(|n| ext.eq_ignore_ascii_case(n));
        if is(&["html", "htm", "xhtml"]) {
            Some(Format::Html)
        } else if is(&["md", "markdown"]) {
            Some(Format::Markdown)
        } else if is(&["txt", "text"]) {
            Some(Format::Text)
        } else {
            None
        }
    }

    /// The format of `text` read from `path`: its extension's, else HTML when the text
    /// opens as a page does (`<!DOCTYPE html>`, `<html>`, or a `<head>` or `<body>` near the
    /// top), else plain text.
    pub fn of(path: &Path, text: &str) -> Format {
        Format::of_extension(path).unwrap_or_else(|| Format::sniff(text))
    }

    fn sniff(text: &str) -> Format {
        let head: String = text
            .trim_start()
            .chars()
            .take(1024)
            .collect::<String>()
            .to_ascii_lowercase();
        let opens = ["<!doctype html", "<html", "<?xml"].iter().any(|p| head.starts_with(p));
        if opens || (head.starts_with('<') && (head.contains("<head") || head.contains("<body"))) {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// What a kept block is, as far as cleaning knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A line of a plain-text file; the segmenter decides what it is.
    Line,
    Paragraph,
    Heading,
    ListItem,
}

/// One kept block of article text: a byte range of [`Cleaned::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub range: Range<usize>,
    pub kind: BlockKind,
}

/// Article metadata found while cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub publisher: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The page's own address (`<link rel=canonical>`, else `og:url`): an absolute
    /// http(s) URL.
    pub url: Option<String>,
}

/// The cleaned article.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The text that block ranges (and so every later offset) point into: the file's
    /// own text for plain text and Markdown, the extracted body for HTML.
    pub text: String,
    /// Kept blocks in document order, never overlapping.
    pub blocks: Vec<Block>,
    pub meta: Meta,
    pub format: Format,
    /// For a text built from the file (HTML), the file line each part of it came from;
    /// `None` when the text is the file's own and its lines are the file's.
    pub source_lines: Option<SourceLines>,
}

impl Cleaned {
    /// Offsets of [`Cleaned::text`] to 1-based lines of the file.
    pub fn file_lines(&self) -> FileLines<'_> {
        match &self.source_lines {
            Some(table) => FileLines::Source(table),
            None => FileLines::Own(LineIndex::new(&self.text)),
        }
    }

    /// The kept article text alone: blocks joined by newlines, paragraphs by blank lines.
    pub fn body(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut prev_end: Option<usize> = None;
        for b in &self.blocks {
            if let Some(end) = prev_end {
                let gap = &self.text[end..b.range.start];
                let blank = crate::lines::line_breaks(gap) > 1 || self.format == Format::Html;
                out.push_str(if blank { "\n\n" } else { "\n" });
            }
            out.push_str(&self.text[b.range.clone()]);
            prev_end = Some(b.range.end);
        }
        out
    }
}

/// Cleans a decoded file of the given format.
pub fn clean(text: String, format: Format) -> Cleaned {
    match format {
        Format::Html => html::clean_html(&text),
        Format::Text | Format::Markdown => text::clean_text(text, format),
    }
}

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn a_format_is_named_by_the_extension_else_sniffed() {
        assert_eq!(Format::of(Path::new("a.HTM"), "plain"), Format::Html);
        assert_eq!(Format::of(Path::new("a.md"), "<html>"), Format::Markdown);
        assert_eq!(Format::of(Path::new("a.txt"), "<html>"), Format::Text);
        for page in [
            "\n  <!DOCTYPE html><p>x</p>",
            "<HTML lang=en>",
            "<?xml version=\"1.0\"?><html>",
            "<meta charset=utf-8><body>",
        ] {
            assert_eq!(Format::of(Path::new("saved.page"), page), Format::Html, "{page}");
        }
        for text in ["Acme sold <5 widgets.", "", "Notes\n<body> is a tag name"] {
            assert_eq!(Format::of(Path::new("notes"), text), Format::Text, "{text}");
        }
    }
}
