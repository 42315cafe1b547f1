//! Parse tree to arena: an explicit walk (no recursion) that classifies every element,
//! keeps the text with its file line and records `<meta>`, `<time>` and byline facts.

use std::num::NonZeroU32;

use scraper::{Html, Node};

use crate::clean::source::SourceText;

use super::arena::{Arena, El, Ev, F_BYLINE, F_HAS_QUOTE, F_JSONLD, NONE, Tag, tag_of};
use super::classify::classify;

/// Text of a bare footnote superscript: digits with commas and dashes (a bracketed
/// `[4]` is a marker as it is).
fn is_marker_text(t: &str) -> bool {
    let t = t.trim();
    t.bytes().any(|b| b.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | '–' | ' '))
}

/// The superscript form of an ASCII digit (other characters unchanged).
fn superscript(c: char) -> char {
    match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        _ => c,
    }
}

/// Ends an element: records its end and tells its parent what it holds.
fn close(a: &mut Arena, idx: usize) {
    a.evs.push(Ev::Close(idx));
    let end = a.evs.len();
    let Some(el) = a.els.get_mut(idx) else { return };
    el.end = end;
    let quote = el.tag == Tag::Blockquote || el.flags & F_HAS_QUOTE != 0;
    let parent = el.parent;
    if quote && let Some(p) = a.els.get_mut(parent) {
        p.flags |= F_HAS_QUOTE;
    }
}

/// Copies the parsed page into the arena, with an explicit walk (no recursion); `src` is
/// the source it was parsed from, for the file lines of its text.
pub(super) fn build(doc: &Html, src: &str) -> Arena {
    let mut source = SourceText::new(src);
    let mut a = Arena::default();
    let root = doc.tree.root();
    let root_id = root.id();
    let mut stack: Vec<usize> = Vec::new();
    let mut cur = root.first_child();
    while let Some(n) = cur {
        let mut descend = false;
        match n.value() {
            Node::Element(e) => {
                let parent = stack.last().copied().unwrap_or(NONE);
                let idx = open_element(&mut a, e, parent);
                let tag = a.els[idx].tag;
                let keep_text = !matches!(tag, Tag::Script | Tag::Style) || a.els[idx].flags & F_JSONLD != 0;
                if keep_text && n.has_children() {
                    descend = true;
                    stack.push(idx);
                } else {
                    close(&mut a, idx);
                }
            }
            Node::Text(t) => {
                if let Some(&owner) = stack.last() {
                    push_text(&mut a, owner, t, &mut source);
                }
            }
            _ => {}
        }
        if descend {
            cur = n.first_child();
            continue;
        }
        // Next sibling, or climb (closing elements) until one has a next sibling.
        let mut m = n;
        cur = None;
        loop {
            if let Some(s) = m.next_sibling() {
                cur = Some(s);
                break;
            }
            match m.parent() {
                Some(p) if p.id() != root_id => {
                    if let Some(idx) = stack.pop() {
                        close(&mut a, idx);
                    }
                    m = p;
                }
                _ => break,
            }
        }
    }
    // Unclosed elements (should not happen): close them at the end.
    while let Some(idx) = stack.pop() {
        close(&mut a, idx);
    }
    a
}

/// Adds an element under `parent` (its `Open` event, its flags and weight, and the facts
/// the metadata reads from it) and returns its index.
fn open_element(a: &mut Arena, e: &scraper::node::Element, parent: usize) -> usize {
    let tag = tag_of(e.name());
    if e.name() == "sup" {
        a.sups.push(a.els.len());
    }
    let (flags, weight) = classify(tag, e);
    let idx = a.els.len();
    if tag.breaks_div()
        && let Some(p) = a.els.get_mut(parent)
    {
        p.has_block_child = true;
    }
    a.els.push(El {
        tag,
        parent,
        start: a.evs.len(),
        end: a.evs.len(),
        flags,
        weight,
        has_block_child: false,
        class_hash: e.attr("class").map_or(0, class_hash),
    });
    a.evs.push(Ev::Open(idx));
    record_head_facts(a, tag, e, idx);
    if flags & F_BYLINE != 0 {
        a.byline_els.push(idx);
        if let Some(c) = e.attr("content") {
            a.byline_attrs.push(c.to_string());
        }
    }
    idx
}

/// The hash of a class attribute: siblings of one kind (`class="story-card"`) share it.
fn class_hash(class: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(class, &mut h);
    std::hash::Hasher::finish(&h)
}

/// Keeps what `<meta content>`, `<link rel=canonical>` and `<time datetime>` say, for
/// the metadata.
fn record_head_facts(a: &mut Arena, tag: Tag, e: &scraper::node::Element, idx: usize) {
    match tag {
        Tag::Meta => {
            if let Some(v) = e.attr("content") {
                let keys = ["property", "name", "itemprop"]
                    .iter()
                    .filter_map(|k| e.attr(k))
                    .flat_map(str::split_whitespace);
                for k in keys {
                    a.metas.push((k.to_ascii_lowercase(), v.trim().to_string()));
                }
            }
        }
        Tag::Link => {
            let canonical = e.attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"));
            if let (true, Some(href)) = (canonical, e.attr("href")) {
                a.metas.push(("canonical".to_string(), href.trim().to_string()));
            }
        }
        Tag::Time => {
            if let Some(d) = e.attr("datetime").or_else(|| e.attr("pubdate")) {
                a.times.push((idx, d.trim().to_string()));
            }
        }
        _ => {}
    }
}

/// Adds a text node owned by element `owner`, with its file line when `source` finds it.
fn push_text(a: &mut Arena, owner: usize, t: &str, source: &mut SourceText) {
    let s = a.text.len();
    if a.sups.binary_search(&owner).is_ok() && is_marker_text(t) {
        a.text.extend(t.chars().map(superscript));
    } else {
        a.text.push_str(t);
    }
    // JSON-LD is the only script text kept, and it is never body text.
    let script = a
        .els
        .get(owner)
        .is_some_and(|e| matches!(e.tag, Tag::Script | Tag::Style));
    let line = if script { None } else { source.line_of(t) };
    let line = line.and_then(|l| NonZeroU32::new(u32::try_from(l).ok()?));
    a.evs.push(Ev::Text(owner, s, a.text.len(), line));
}
