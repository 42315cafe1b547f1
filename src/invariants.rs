//! The promises every stage keeps about its output, checked in one place: property
//! tests and the fuzz driver (`examples/fuzz.rs`) call [`check`] on whatever they feed in.

use crate::clean::Cleaned;
use crate::extract::Extraction;
use crate::lines::{FileLines, LineIndex};
use crate::segment::Unit;

/// A claim's text for a message: at most 60 characters.
fn short(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

fn span(text: &str, idx: &FileLines, what: &str, start: usize, end: usize, line: usize) -> Result<(), String> {
    if start >= end || end > text.len() {
        return Err(format!(
            "{what}: span {start}..{end} out of bounds (len {})",
            text.len()
        ));
    }
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Err(format!("{what}: span {start}..{end} splits a character"));
    }
    if idx.line(start) != line {
        return Err(format!(
            "{what}: line {line} but offset {start} is on line {}",
            idx.line(start)
        ));
    }
    Ok(())
}

/// Checks blocks, units, claims and citations of one article against its text.
/// Offsets are those of [`Cleaned::text`] (before any file offset base is added).
pub fn check(cleaned: &Cleaned, units: &[Unit], ex: &Extraction) -> Result<(), String> {
    let text = cleaned.text.as_str();
    // Units count lines of the text; claims and citations lines of the file.
    let idx = FileLines::Own(LineIndex::new(text));
    let file = cleaned.file_lines();
    let mut prev = 0;
    for b in &cleaned.blocks {
        if b.range.start < prev || b.range.end > text.len() || b.range.start > b.range.end {
            return Err(format!(
                "block {:?} overlaps, goes backwards or is out of bounds",
                b.range
            ));
        }
        if !text.is_char_boundary(b.range.start) || !text.is_char_boundary(b.range.end) {
            return Err(format!("block {:?} splits a character", b.range));
        }
        prev = b.range.end;
    }
    let mut prev = 0;
    for u in units {
        span(text, &idx, "unit", u.start, u.end, u.line)?;
        if u.start < prev {
            return Err(format!("unit {}..{} overlaps the one before", u.start, u.end));
        }
        prev = u.end;
    }
    for c in &ex.claims {
        span(text, &file, "claim", c.start, c.end, c.line)?;
        if text[c.start..c.end] != c.text {
            return Err(format!(
                "claim text {:?} is not the slice {:?}",
                c.text,
                &text[c.start..c.end]
            ));
        }
        if !c.value.is_finite() {
            return Err(format!("claim {:?}: value {} is not finite", short(&c.text), c.value));
        }
        if let Some(m) = c.value_max
            && !(m.is_finite() && m > c.value)
        {
            return Err(format!(
                "claim {:?}: value_max {m} not above value {}",
                short(&c.text),
                c.value
            ));
        }
    }
    for c in &ex.citations {
        span(text, &file, "citation", c.start, c.end, c.line)?;
        if c.markers.is_empty() {
            return Err(format!("citation at {}..{} has no markers", c.start, c.end));
        }
    }
    Ok(())
}
