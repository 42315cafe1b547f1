//! HTML pages: the article body and metadata, with `scraper`.
//!
//! First version: the body is the text of `<article>`, `<main>` or `<body>`, block by
//! block, skipping page chrome. (The densest-block search lands with the HTML issue work.)

use scraper::{ElementRef, Html, Node, Selector};

use super::{Block, BlockKind, Cleaned, Format, Meta, meta};

const SKIP: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "form", "noscript", "template", "svg", "button", "iframe",
];
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "table",
    "tr",
    "br",
];

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn first_attr(doc: &Html, selector: &str, attr: &str) -> Option<String> {
    let s = sel(selector)?;
    doc.select(&s)
        .filter_map(|e| e.value().attr(attr))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

fn first_text(doc: &Html, selector: &str) -> Option<String> {
    let s = sel(selector)?;
    doc.select(&s)
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collects text per block into `out`, starting a new block at block-level elements.
fn walk(el: ElementRef, out: &mut Vec<(String, BlockKind)>, cur: &mut String, kind: &mut BlockKind) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => cur.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if BLOCKS.contains(&name) {
                    flush(out, cur, *kind);
                    *kind = match name {
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
                        "li" => BlockKind::ListItem,
                        _ => BlockKind::Paragraph,
                    };
                    walk(child_el, out, cur, kind);
                    flush(out, cur, *kind);
                    *kind = BlockKind::Paragraph;
                } else {
                    walk(child_el, out, cur, kind);
                }
            }
            _ => {}
        }
    }
}

fn flush(out: &mut Vec<(String, BlockKind)>, cur: &mut String, kind: BlockKind) {
    let t = collapse(cur);
    if !t.is_empty() {
        out.push((t, kind));
    }
    cur.clear();
}

/// Cleans an HTML page.
pub fn clean_html(src: &str) -> Cleaned {
    let doc = Html::parse_document(src);
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|s| sel(s))
        .find_map(|s| doc.select(&s).next())
        .unwrap_or_else(|| doc.root_element());
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut kind = BlockKind::Paragraph;
    walk(root, &mut parts, &mut cur, &mut kind);
    flush(&mut parts, &mut cur, kind);

    let mut text = String::new();
    let mut blocks = Vec::new();
    for (t, kind) in parts {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&t);
        blocks.push(Block {
            range: start..text.len(),
            kind,
        });
    }
    let meta = Meta {
        title: first_attr(&doc, "meta[property='og:title']", "content")
            .or_else(|| first_text(&doc, "h1"))
            .or_else(|| first_text(&doc, "title")),
        byline: first_attr(&doc, "meta[name='author']", "content")
            .or_else(|| first_text(&doc, "[rel='author'], .byline")),
        publisher: first_attr(&doc, "meta[property='og:site_name']", "content"),
        published: first_attr(&doc, "meta[property='article:published_time']", "content")
            .or_else(|| first_attr(&doc, "time[datetime]", "datetime"))
            .or_else(|| first_attr(&doc, "meta[name='date']", "content"))
            .and_then(|d| meta::parse_date(&d)),
    };
    Cleaned {
        text,
        blocks,
        meta,
        format: Format::Html,
    }
}
