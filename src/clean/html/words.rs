//! The words of elements: collapsed text, sentence ends and headline likeness
//! ("Quay to widen" is similar to "Quay to widen | Harbour Gazette").

use super::arena::{Arena, Ev, Tag};
use super::tuning::TUNING;

/// The element's text ends like a sentence.
pub(super) fn ends_with_stop(a: &Arena, i: usize) -> bool {
    let t = raw_text(a, i);
    t.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', '»'])
        .ends_with(['.', '!', '?', '…'])
}

pub(super) fn ends_sentence(a: &Arena, i: usize) -> bool {
    let t = raw_text(a, i);
    let t = t.trim_end();
    t.contains(". ") || t.ends_with('.')
}

/// All text under an element (dead parts included, scripts excluded), collapsed.
pub(super) fn raw_text(a: &Arena, i: usize) -> String {
    let el = &a.els[i];
    let mut s = String::new();
    for ev in a.evs.get(el.start..el.end).unwrap_or(&[]) {
        match *ev {
            Ev::Text(owner, st, en, _) => {
                if !matches!(a.els[owner].tag, Tag::Script | Tag::Style) {
                    s.push_str(a.text.get(st..en).unwrap_or(""));
                }
            }
            Ev::Open(c) | Ev::Close(c) => {
                if a.els[c].tag.is_block() || matches!(a.els[c].tag, Tag::Td | Tag::Th) {
                    s.push(' ');
                }
            }
        }
    }
    collapse(&s)
}

pub(super) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(is_gap) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

pub(super) fn similar(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (x, y) = (norm(a), norm(b));
    if x.is_empty() || y.is_empty() {
        return false;
    }
    if x == y {
        return true;
    }
    // The heading is the title, give or take a site name.
    let shared = x.iter().filter(|w| y.contains(w)).count();
    let tune = &TUNING.headline;
    shared as f32 >= tune.shared_words * x.len().max(1) as f32 && x.len() as f32 >= tune.min_word_ratio * y.len() as f32
}

/// What [`collapse`] splits words at.
pub(super) fn is_gap(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}
