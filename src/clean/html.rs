//! HTML pages: the article body and metadata, with `scraper`.
//!
//! The page is parsed once, then copied into a flat arena (elements in document order,
//! with a list of open/close/text events) by an iterative walk, so that no later step
//! recurses and every subtree is a range of events. On the arena:
//!
//! 1. page chrome is marked: `nav`, `header`, `footer`, `aside`, `script`, `style`, `form`
//!    controls, `noscript`, hidden elements, navigation roles, comment sections and cookie
//!    banners; elements whose class or id says "sidebar", "related", "share" and the like
//!    are marked unlikely;
//! 2. paragraphs are scored (readability-style: length and commas, given to their parent
//!    and, decreasingly, to higher ancestors), containers weighted by tag and class/id
//!    hints and discounted by their link density;
//! 3. the best container wins; its siblings join when they score well or are plain
//!    prose; when it holds an `<article>`, `<main>`, `itemprop=articleBody` or
//!    `article-body`-like element with nearly all of its paragraphs, that element wins;
//! 4. inside the chosen content, link-heavy lists, "More stories" lists, share bars,
//!    promos, bylines, captions and the headline (it is the title) are dropped
//!    ("clean conditionally"), and the text is laid out block by block (paragraphs,
//!    headings, list items).
//!
//! A strict pass that drops unlikely elements runs first; when it keeps too little text,
//! looser passes run and the longest result wins.
//!
//! Absurdly deep markup is flattened before parsing (`MAX_DEPTH`, 512 levels): html5ever's
//! tree builder is quadratic in nesting depth.
//!
//! Metadata (title, byline, date, publisher) comes from `<meta>` tags, JSON-LD, `<time>`,
//! byline elements, `<h1>` and `<title>`.
//!
//! Every text node is given the line of the source it starts on ([`super::source`]), and
//! the layout keeps, for each block, the file line of its words where they change: the
//! body's [`SourceLines`], from which a claim takes the line an editor should jump to.

use std::num::NonZeroU32;
use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Node};

use super::source::SourceText;
use super::{Block, BlockKind, Cleaned, Format, Meta, meta};
use crate::lines::{SourceLines, line_breaks};

const NONE: usize = usize::MAX;

/// What the extractor needs to know about an element's tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Script,
    Style,
    /// Never text: controls, embedded documents, media.
    Drop,
    /// Embedded content (counted by the cleaner).
    Embed,
    Nav,
    Header,
    Footer,
    Aside,
    Form,
    Input,
    Article,
    Main,
    Section,
    Div,
    P,
    H1,
    H(u8),
    Li,
    Ul,
    Ol,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Table,
    Tr,
    Td,
    Th,
    Figure,
    Figcaption,
    Br,
    Hr,
    A,
    Img,
    Time,
    /// Other block-level elements (address, details, center, ...).
    Block,
    /// Phrasing content: span, em, strong, ...
    Inline,
}

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

fn tag_of(name: &str) -> Tag {
    match name {
        "html" => Tag::Html,
        "head" => Tag::Head,
        "body" => Tag::Body,
        "title" => Tag::Title,
        "meta" => Tag::Meta,
        "link" => Tag::Link,
        "script" => Tag::Script,
        "style" => Tag::Style,
        "noscript" | "template" | "svg" | "math" | "button" | "select" | "textarea" | "option" | "canvas"
        | "dialog" | "map" | "menu" | "datalist" | "output" | "progress" | "meter" | "label" => Tag::Drop,
        "iframe" | "object" | "embed" | "video" | "audio" | "picture" | "source" => Tag::Embed,
        "nav" => Tag::Nav,
        "header" => Tag::Header,
        "footer" => Tag::Footer,
        "aside" => Tag::Aside,
        "form" => Tag::Form,
        "input" => Tag::Input,
        "article" => Tag::Article,
        "main" => Tag::Main,
        "section" => Tag::Section,
        "div" => Tag::Div,
        "p" => Tag::P,
        "h1" => Tag::H1,
        "h2" => Tag::H(2),
        "h3" => Tag::H(3),
        "h4" => Tag::H(4),
        "h5" => Tag::H(5),
        "h6" => Tag::H(6),
        "li" => Tag::Li,
        "ul" => Tag::Ul,
        "ol" => Tag::Ol,
        "dl" => Tag::Dl,
        "dt" => Tag::Dt,
        "dd" => Tag::Dd,
        "blockquote" => Tag::Blockquote,
        "pre" => Tag::Pre,
        "table" => Tag::Table,
        "tr" => Tag::Tr,
        "td" => Tag::Td,
        "th" => Tag::Th,
        "figure" => Tag::Figure,
        "figcaption" => Tag::Figcaption,
        "br" => Tag::Br,
        "hr" => Tag::Hr,
        "a" => Tag::A,
        "img" => Tag::Img,
        "time" => Tag::Time,
        "address" | "details" | "summary" | "center" | "fieldset" | "caption" | "tbody" | "thead" | "tfoot"
        | "hgroup" | "legend" => Tag::Block,
        _ => Tag::Inline,
    }
}

impl Tag {
    /// Starts a new text block.
    fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Inline | Tag::A | Tag::Img | Tag::Time | Tag::Td | Tag::Th | Tag::Input | Tag::Embed
        )
    }

    fn is_heading(self) -> bool {
        matches!(self, Tag::H1 | Tag::H(_))
    }

    /// Elements whose text readability scores as a paragraph.
    fn is_para(self) -> bool {
        matches!(
            self,
            Tag::P | Tag::Pre | Tag::Td | Tag::H(_) | Tag::Blockquote | Tag::Dd
        )
    }

    /// Elements that, as children, make a `<div>` a container rather than a paragraph.
    fn breaks_div(self) -> bool {
        matches!(
            self,
            Tag::Blockquote
                | Tag::Dl
                | Tag::Div
                | Tag::Img
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Table
                | Tag::Ul
                | Tag::Section
                | Tag::Article
                | Tag::Main
                | Tag::Header
                | Tag::Footer
                | Tag::Aside
                | Tag::Nav
                | Tag::Form
                | Tag::Figure
                | Tag::H1
                | Tag::H(_)
                | Tag::Li
                | Tag::Block
        )
    }
}

// Element flags.
/// Page chrome by tag, role or visibility: dropped in every pass.
const F_DROP: u32 = 1;
/// Class/id says "not content" (sidebar, related, ...): dropped in the strict pass.
const F_UNLIKELY: u32 = 1 << 1;
/// A link to an anchor on the same page.
const F_HASH_LINK: u32 = 1 << 2;
/// Class/id says "share", "promo", "newsletter", "ad"...: dropped from the content when small.
const F_JUNK: u32 = 1 << 3;
/// A byline element (`rel=author`, `.byline`, `itemprop=author`, ...).
const F_BYLINE: u32 = 1 << 4;
/// `itemprop=articleBody` or a class/id like `article-body`, `story-body`, `entry-content`.
const F_BODY_HINT: u32 = 1 << 5;
/// `script type=application/ld+json`.
const F_JSONLD: u32 = 1 << 6;
/// Class/id hints at a caption, credit or meta line (dropped when short).
const F_CAPTION: u32 = 1 << 7;
/// Holds a `<blockquote>` (an embedded post or a quotation): not unlikely, whatever the class.
const F_HAS_QUOTE: u32 = 1 << 8;

struct El {
    tag: Tag,
    parent: usize,
    /// Index of this element's `Open` event; `end` is one past its `Close` event.
    start: usize,
    end: usize,
    flags: u32,
    /// Class/id weight (readability: +25 positive, -25 negative, per attribute).
    weight: i32,
    /// Has a child that makes it a container rather than a paragraph.
    has_block_child: bool,
    /// Hash of the class attribute (siblings of one kind share it).
    class_hash: u64,
}

enum Ev {
    Open(usize),
    Close(usize),
    /// Text owned by an element: a range of `Arena::text`, and the file line its first
    /// byte comes from when the source scan found it (the line costs the event no room).
    Text(usize, usize, usize, Option<NonZeroU32>),
}

#[derive(Default)]
struct Arena {
    els: Vec<El>,
    evs: Vec<Ev>,
    text: String,
    metas: Vec<(String, String)>,
    /// Values of `<time datetime>` / `pubdate`, with the element.
    times: Vec<(usize, String)>,
    /// `rel=author` / `itemprop=author` / `.byline` / `.author` elements, and `itemprop=author`
    /// `content` attribute values.
    byline_els: Vec<usize>,
    byline_attrs: Vec<String>,
    /// `<sup>` elements (ascending): their digits become superscript digits, so a
    /// footnote `.<sup>4</sup>` stays a marker instead of gluing onto the text ("2025.4").
    sups: Vec<usize>,
}

static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story")
        .expect("static regex")
});
static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|newsletter|cookie|consent|taboola|(?:^|[\s_-])(?:nav|navbar|navigation|ads?|advert\w*)(?:$|[\s_-])",
    )
    .expect("static regex")
});
static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|consent|newsletter|outbrain|taboola|recommend|(?:^|[\s_-])(?:nav|navbar|navigation|ads?|advert\w*)(?:$|[\s_-])",
    )
    .expect("static regex")
});
static MAYBE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"and|article|body|column|content|main|mathjax|shadow").expect("static regex"));
/// Always page chrome, whatever else the class says: cookie banners and comment threads.
static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s_-])(?:cookies?|cookie-?(?:banner|notice|consent|bar)|gdpr\w*|cmp-\w+|consent\w*|comments?|comment-?(?:list|section|area|form|thread)s?|commentlist|disqus\w*|respond)(?:$|[\s_-])",
    )
    .expect("static regex")
});
/// Small blocks to drop from inside the content.
static JUNK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s_-])(?:share\w*|sharing|social\w*|promo\w*|newsletter\w*|subscri\w*|sign-?up|related\w*|recommend\w*|read-?more|more-?stories|ads?|advert\w*|adslot\w*|adunit\w*|ad-?container|dfp\w*|sponsor\w*|outbrain|taboola|tags?|tag-?list|keywords|breadcrumbs?|pagination|pager|print|toolbar|tools|byline|author-?bio|bio|newsletter|signup|popular|trending|most-?read|next-?article|prev(?:ious)?-?article|inline-?ad|author-?info|follow\w*)(?:$|[\s_-])",
    )
    .expect("static regex")
});
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s_-])(?:caption\w*|credits?|photo-?credit|image-?credit|wp-caption-text|meta|dateline|timestamp|date|published|updated)(?:$|[\s_-])")
        .expect("static regex")
});
static BODY_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s_-])(?:article-?(?:body|content|text)|story-?(?:body|content|text)|post-?(?:body|content|text)|entry-?(?:content|body|text)|body-?(?:text|copy)|articlebody|storybody|postbody|article__body|article__content|content__article-body|rich-?text)(?:$|[\s_-])",
    )
    .expect("static regex")
});
static BYLINE_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s_-])(?:by-?line\w*|authors?|author-?names?|writtenby|written-?by|p-author|contributors?)(?:$|[\s_-])",
    )
    .expect("static regex")
});
/// Author boxes and pictures, not the byline.
static NOT_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"bio|avatar|image|img|photo|picture|social|follow|more|list|about").expect("static regex")
});

/// Reads an element's attributes into flags and a weight.
fn classify(tag: Tag, el: &scraper::node::Element) -> (u32, i32) {
    let mut flags = tag_flags(tag, el);
    if is_hidden(el) {
        flags |= F_DROP;
    }
    let (item_flags, mut weight) = itemprop_hints(el);
    flags |= item_flags;
    let class = el.attr("class").unwrap_or("");
    let id = el.attr("id").unwrap_or("");
    if class.is_empty() && id.is_empty() {
        return (flags, weight);
    }
    let class = class.to_ascii_lowercase();
    let id = id.to_ascii_lowercase();
    weight += class_weight(&class, &id);
    let both = format!("{class} {id}");
    flags |= class_flags(tag, &both);
    (flags, weight)
}

/// `<nav>`, `<script>`, `<input>`: chrome by its tag; `<script type=application/ld+json>`
/// and `<a href="#notes">` by their tag and one attribute.
fn tag_flags(tag: Tag, el: &scraper::node::Element) -> u32 {
    let mut flags = 0;
    match tag {
        Tag::Head | Tag::Title | Tag::Meta | Tag::Link | Tag::Script | Tag::Style | Tag::Drop => flags |= F_DROP,
        Tag::Nav | Tag::Header | Tag::Footer | Tag::Aside => flags |= F_DROP,
        Tag::Input => flags |= F_DROP,
        _ => {}
    }
    if tag == Tag::Script
        && el
            .attr("type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
    {
        flags |= F_JSONLD;
    }
    if tag == Tag::A && el.attr("href").is_some_and(|h| h.starts_with('#')) {
        flags |= F_HASH_LINK;
    }
    flags
}

/// `hidden`, `aria-hidden="true"`, `style="display: none"`, `role="navigation"`: an
/// element the reader never sees as article text.
fn is_hidden(el: &scraper::node::Element) -> bool {
    let mut hidden = false;
    if el.attr("hidden").is_some() || el.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        hidden = true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            hidden = true;
        }
    }
    if let Some(role) = el.attr("role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            role.trim(),
            "navigation" | "menu" | "menubar" | "complementary" | "alert" | "alertdialog" | "dialog" | "contentinfo"
        ) {
            hidden = true;
        }
    }
    hidden
}

/// `itemprop=articleBody` (the body, +25) and `itemprop=author` / `rel=author` (a byline).
fn itemprop_hints(el: &scraper::node::Element) -> (u32, i32) {
    let mut flags = 0;
    let mut weight = 0;
    let itemprop = el.attr("itemprop").unwrap_or("");
    if itemprop.eq_ignore_ascii_case("articleBody") {
        flags |= F_BODY_HINT;
        weight += 25;
    }
    if itemprop.to_ascii_lowercase().split_whitespace().any(|p| p == "author") || el.attr("rel") == Some("author") {
        flags |= F_BYLINE;
    }
    (flags, weight)
}

/// Readability's class weight: `class="sidebar"` -25, `id="article"` +25, per attribute.
fn class_weight(class: &str, id: &str) -> i32 {
    let mut weight = 0;
    for attr in [class, id] {
        if attr.is_empty() {
            continue;
        }
        if NEGATIVE.is_match(attr) {
            weight -= 25;
        }
        if POSITIVE.is_match(attr) {
            weight += 25;
        }
    }
    weight
}

/// What the lower-cased `"{class} {id}"` says: unlikely, chrome, junk, caption, article
/// body or byline (`"share-bar"`: junk).
fn class_flags(tag: Tag, both: &str) -> u32 {
    let mut flags = 0;
    let structural = matches!(tag, Tag::Html | Tag::Body | Tag::Article | Tag::Main | Tag::A);
    if !structural {
        if UNLIKELY.is_match(both) && !MAYBE.is_match(both) {
            flags |= F_UNLIKELY;
        }
        if CHROME.is_match(both) {
            flags |= F_DROP;
        }
        if JUNK.is_match(both) {
            flags |= F_JUNK;
        }
        if CAPTION.is_match(both) {
            flags |= F_CAPTION;
        }
    }
    if BODY_HINT.is_match(both) {
        flags |= F_BODY_HINT;
    }
    if BYLINE_HINT.is_match(both)
        && !NOT_BYLINE.is_match(both)
        && !matches!(tag, Tag::Html | Tag::Body | Tag::Article | Tag::Main)
    {
        flags |= F_BYLINE;
    }
    flags
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
fn build(doc: &Html, src: &str) -> Arena {
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

/// Per-pass facts about every element.
#[derive(Clone, Default)]
struct Stats {
    /// Characters of (whitespace-collapsed) text in the subtree, without dead parts.
    chars: u32,
    link_chars: f32,
    links: u32,
    quotes: u32,
    commas: u32,
    paras: u32,
    imgs: u32,
    lis: u32,
    li_chars: u32,
    inputs: u32,
    embeds: u32,
    heading_chars: u32,
}

#[derive(Clone, Copy)]
struct Pass {
    strip_unlikely: bool,
    weigh_classes: bool,
    clean_conditionally: bool,
}

fn count_chars(s: &str) -> (u32, u32) {
    // Collapsed length: runs of whitespace count once.
    let mut n = 0u32;
    let mut commas = 0u32;
    let mut in_ws = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_ws {
                n += 1;
                in_ws = true;
            }
        } else {
            n += 1;
            in_ws = false;
            if matches!(
                c,
                ',' | '\u{060C}'
                    | '\u{FE50}'
                    | '\u{FE10}'
                    | '\u{FE11}'
                    | '\u{2E41}'
                    | '\u{2E34}'
                    | '\u{2E32}'
                    | '\u{FF0C}'
            ) {
                commas += 1;
            }
        }
    }
    (n, commas)
}

struct Analysis {
    dead: Vec<bool>,
    /// Inside a `<figure>`.
    in_figure: Vec<bool>,
    stats: Vec<Stats>,
    /// Own paragraph text length (text not inside a child block), per element.
    own_chars: Vec<u32>,
    own_commas: Vec<u32>,
}

/// One pass's view of the page: what is dead, and the text facts of every live subtree.
fn analyse(a: &Arena, pass: Pass) -> Analysis {
    let (mut dead, in_figure) = mark_dead(a, pass);
    let (mut stats, own_chars, own_commas) = count_text(a, &dead);
    fold_stats(a, &mut dead, &mut stats);
    Analysis {
        dead,
        in_figure,
        stats,
        own_chars,
        own_commas,
    }
}

/// Which elements are dead in this pass (chrome, and unlikely ones in the strict pass,
/// with everything under them), and which sit inside a `<figure>`.
fn mark_dead(a: &Arena, pass: Pass) -> (Vec<bool>, Vec<bool>) {
    let n = a.els.len();
    let mut dead = vec![false; n];
    let mut in_figure = vec![false; n];
    for i in 0..n {
        let el = &a.els[i];
        let p = el.parent;
        let inherited = p != NONE && dead.get(p).copied().unwrap_or(false);
        dead[i] = inherited
            || el.flags & F_DROP != 0
            || (pass.strip_unlikely && el.flags & F_UNLIKELY != 0 && el.flags & F_HAS_QUOTE == 0);
        in_figure[i] = p != NONE && (a.els[p].tag == Tag::Figure || in_figure.get(p).copied().unwrap_or(false));
    }
    (dead, in_figure)
}

/// Live text counted where it sits: characters and commas per owning element, and per
/// nearest block ancestor (its own paragraph text).
fn count_text(a: &Arena, dead: &[bool]) -> (Vec<Stats>, Vec<u32>, Vec<u32>) {
    let n = a.els.len();
    let mut stats = vec![Stats::default(); n];
    let mut own_chars = vec![0u32; n];
    let mut own_commas = vec![0u32; n];
    for ev in &a.evs {
        if let Ev::Text(owner, s, e, _) = *ev {
            if dead.get(owner).copied().unwrap_or(true) {
                continue;
            }
            let (c, k) = count_chars(a.text.get(s..e).unwrap_or(""));
            if let Some(st) = stats.get_mut(owner) {
                st.chars += c;
                st.commas += k;
            }
            // Own text belongs to the nearest block ancestor.
            let mut b = owner;
            while b != NONE && !a.els[b].tag.is_block() {
                b = a.els[b].parent;
            }
            if b != NONE {
                own_chars[b] += c;
                own_commas[b] += k;
            }
        }
    }
    (stats, own_chars, own_commas)
}

/// Folds the subtree sums bottom-up (children come after their parents); a pop-up card
/// of links found on the way dies.
fn fold_stats(a: &Arena, dead: &mut [bool], stats: &mut [Stats]) {
    for i in (0..a.els.len()).rev() {
        if dead[i] {
            // Form fields are never text, but they tell a form from prose.
            let p = a.els[i].parent;
            if a.els[i].tag == Tag::Input && p != NONE && !dead[p] {
                stats[p].inputs += 1;
            }
            continue;
        }
        if !count_own_kind(&a.els[i], &mut stats[i]) {
            dead[i] = true;
            continue;
        }
        let p = a.els[i].parent;
        if p != NONE && !dead[p] {
            let s = stats[i].clone();
            stats[p].add(&s);
        }
    }
}

/// Counts what the element itself is (a link, a paragraph, an image, ...) into its
/// subtree facts; `false` for a pop-up card inside running text (a person's latest
/// stories, a definition box): a phrase element that is a pile of links.
fn count_own_kind(el: &El, st: &mut Stats) -> bool {
    match el.tag {
        Tag::A => {
            let w = if el.flags & F_HASH_LINK != 0 { 0.3 } else { 1.0 };
            st.link_chars = st.chars as f32 * w;
            st.links += 1;
        }
        Tag::Inline if st.links >= 3 && st.chars >= 100 && st.link_chars > 0.8 * st.chars as f32 => {
            return false;
        }
        Tag::P => st.paras += 1,
        Tag::Blockquote => st.quotes += 1,
        Tag::Img => st.imgs += 1,
        Tag::Li => {
            st.lis += 1;
            st.li_chars = st.chars;
        }
        Tag::Embed => st.embeds += 1,
        t if t.is_heading() => st.heading_chars = st.chars,
        _ => {}
    }
    true
}

impl Stats {
    /// Adds a child's subtree facts to its parent's.
    fn add(&mut self, s: &Stats) {
        self.chars += s.chars;
        self.link_chars += s.link_chars;
        self.links += s.links;
        self.quotes += s.quotes;
        self.commas += s.commas;
        self.paras += s.paras;
        self.imgs += s.imgs;
        self.lis += s.lis;
        self.li_chars += s.li_chars;
        self.inputs += s.inputs;
        self.embeds += s.embeds;
        self.heading_chars += s.heading_chars;
    }
}

impl Analysis {
    fn link_density(&self, i: usize) -> f32 {
        let s = &self.stats[i];
        if s.chars == 0 {
            0.0
        } else {
            (s.link_chars / s.chars as f32).min(1.0)
        }
    }
}

fn initial_score(a: &Arena, i: usize, pass: Pass) -> f32 {
    let el = &a.els[i];
    let base = match el.tag {
        Tag::Div | Tag::Article | Tag::Main => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form | Tag::Block => -3.0,
        Tag::H1 | Tag::H(_) | Tag::Th => -5.0,
        _ => 0.0,
    };
    let w = if pass.weigh_classes { el.weight as f32 } else { 0.0 };
    base + w
}

/// Readability-style candidate scores (`-inf` for elements that are not candidates), and
/// the paragraph score mass of each subtree (the sum of its paragraphs' scores).
fn score(a: &Arena, an: &Analysis, pass: Pass) -> (Vec<f32>, Vec<f32>) {
    let n = a.els.len();
    let mut score = vec![0f32; n];
    let mut init = vec![false; n];
    let mut mass = vec![0f32; n];
    for (i, el) in a.els.iter().enumerate() {
        if an.dead[i] {
            continue;
        }
        let len = an.own_chars[i];
        if len < 25 {
            continue;
        }
        // A paragraph: a `<p>`-like element, or a block whose text is not split by blocks.
        // Text loose in a container scores for the container itself.
        let para_like = el.tag.is_para() || !el.has_block_child;
        if !para_like && !matches!(el.tag, Tag::Div | Tag::Section | Tag::Article | Tag::Main | Tag::Td) {
            continue;
        }
        let s = 1.0 + an.own_commas[i] as f32 + (len / 100).min(3) as f32;
        mass[i] += s;
        let mut anc = if para_like { el.parent } else { i };
        let mut level = 0;
        while anc != NONE && level < 5 {
            if matches!(a.els[anc].tag, Tag::Html) {
                break;
            }
            if !init[anc] {
                init[anc] = true;
                score[anc] = initial_score(a, anc, pass);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[anc] += s / div;
            anc = a.els[anc].parent;
            level += 1;
        }
    }
    for i in 0..n {
        if init[i] {
            score[i] *= 1.0 - an.link_density(i);
        } else {
            score[i] = f32::NEG_INFINITY;
        }
    }
    for i in (0..n).rev() {
        let p = a.els[i].parent;
        if p != NONE && !an.dead[i] {
            mass[p] += mass[i];
        }
    }
    (score, mass)
}

/// Elements that say they hold the article: `<article>`, `<main>`, `itemprop=articleBody`,
/// classes like `article-body` or `entry-content`.
fn is_hinted(el: &El) -> bool {
    matches!(el.tag, Tag::Article | Tag::Main) || el.flags & F_BODY_HINT != 0
}

/// A single chosen container that holds a hinted element with nearly all of its
/// paragraphs: the hinted element is the article, the rest is page around it.
fn narrow(a: &Arena, an: &Analysis, mass: &[f32], roots: Vec<usize>) -> Vec<usize> {
    let [r] = roots.as_slice() else {
        return roots;
    };
    let r = *r;
    let total = mass[r];
    if total <= 0.0 {
        return roots;
    }
    let el = &a.els[r];
    let mut best = r;
    for ev in a.evs.get(el.start + 1..el.end).unwrap_or(&[]) {
        let Ev::Open(i) = *ev else { continue };
        if !an.dead[i] && is_hinted(&a.els[i]) && mass[i] >= 0.85 * total {
            best = i;
        }
    }
    vec![best]
}

fn children(a: &Arena, i: usize) -> Vec<usize> {
    let el = &a.els[i];
    let mut out = Vec::new();
    let mut k = el.start + 1;
    while k < el.end {
        match a.evs.get(k) {
            Some(Ev::Open(c)) => {
                out.push(*c);
                k = a.els[*c].end;
            }
            _ => k += 1,
        }
    }
    out
}

/// The elements whose text makes the article, in document order.
fn select(a: &Arena, an: &Analysis, scores: &[f32], pass: Pass) -> Vec<usize> {
    let n = a.els.len();
    let body = (0..n).find(|&i| a.els[i].tag == Tag::Body && !an.dead[i]);
    let best = top_candidate(a, an, scores);
    if best == NONE || Some(best) == body || a.els[best].tag == Tag::Html {
        return body.into_iter().collect();
    }
    let best = ancestor_of_strong_candidates(a, an, scores, best, body);
    let best = climb_while_scoring(a, scores, best, body);
    let best = climb_only_children(a, an, best, body);
    with_siblings(a, an, scores, best, pass)
}

/// The live candidate with the highest score (the first of equals), or `NONE`.
fn top_candidate(a: &Arena, an: &Analysis, scores: &[f32]) -> usize {
    let mut best = NONE;
    for i in 0..a.els.len() {
        if scores[i].is_finite() && !an.dead[i] && (best == NONE || scores[i] > scores[best]) {
            best = i;
        }
    }
    best
}

/// Several strong candidates under one ancestor: take the ancestor. Three of the top
/// five score within 75% of `best` and share an ancestor below `body`: that ancestor.
fn ancestor_of_strong_candidates(a: &Arena, an: &Analysis, scores: &[f32], best: usize, body: Option<usize>) -> usize {
    let n = a.els.len();
    let top_score = scores[best];
    let mut tops: Vec<usize> = (0..n).filter(|&i| scores[i].is_finite() && !an.dead[i]).collect();
    tops.sort_by(|x, y| scores[*y].total_cmp(&scores[*x]));
    tops.truncate(5);
    let alts: Vec<usize> = tops
        .iter()
        .copied()
        .filter(|&i| i != best && scores[i] >= top_score * 0.75)
        .collect();
    if alts.len() < 3 {
        return best;
    }
    let mut p = a.els[best].parent;
    while p != NONE && Some(p) != body {
        let contains = alts
            .iter()
            .filter(|&&c| a.els[p].start < a.els[c].start && a.els[c].end <= a.els[p].end)
            .count();
        if contains >= 3 {
            return p;
        }
        p = a.els[p].parent;
    }
    best
}

/// Climbs while the parent scores at least as well: the first ancestor scoring above
/// the last one seen, unless one on the way scores under a third of `best`.
fn climb_while_scoring(a: &Arena, scores: &[f32], best: usize, body: Option<usize>) -> usize {
    let mut last = scores[best];
    let threshold = last / 3.0;
    let mut p = a.els[best].parent;
    while p != NONE && Some(p) != body && a.els[p].tag != Tag::Html {
        if !scores[p].is_finite() {
            p = a.els[p].parent;
            continue;
        }
        if scores[p] < threshold {
            break;
        }
        if scores[p] > last {
            return p;
        }
        last = scores[p];
        p = a.els[p].parent;
    }
    best
}

/// An only child: take the parent (up to `body`).
fn climb_only_children(a: &Arena, an: &Analysis, mut best: usize, body: Option<usize>) -> usize {
    loop {
        let p = a.els[best].parent;
        if p == NONE || Some(p) == body || a.els[p].tag == Tag::Html {
            break;
        }
        let live: Vec<usize> = children(a, p).into_iter().filter(|&c| !an.dead[c]).collect();
        if live.len() == 1 {
            best = p;
        } else {
            break;
        }
    }
    best
}

/// `best` with its siblings that score well, or read like prose, in document order.
fn with_siblings(a: &Arena, an: &Analysis, scores: &[f32], best: usize, pass: Pass) -> Vec<usize> {
    let top_score = if scores[best].is_finite() { scores[best] } else { 0.0 };
    let parent = a.els[best].parent;
    if parent == NONE {
        return vec![best];
    }
    let threshold = (top_score * 0.2).max(10.0);
    let mut out = Vec::new();
    for s in children(a, parent) {
        if s == best {
            out.push(s);
            continue;
        }
        if an.dead[s] {
            continue;
        }
        let mut bonus = 0.0;
        if pass.weigh_classes && a.els[s].weight > 0 && a.els[best].weight > 0 {
            bonus = top_score * 0.2;
        }
        let sib_score = sibling_score(a, an, scores, s, best);
        if sib_score.is_finite() && sib_score + bonus >= threshold {
            out.push(s);
            continue;
        }
        if reads_as_prose(a, an, s) {
            out.push(s);
        }
    }
    out
}

/// A sibling's score; a sibling of `best`'s kind (same tag and class) with few links is
/// as good as the best candidate it wraps.
fn sibling_score(a: &Arena, an: &Analysis, scores: &[f32], s: usize, best: usize) -> f32 {
    // A wrapper around a good candidate is as good as the candidate.
    let sib = &a.els[s];
    let inner = a
        .evs
        .get(sib.start..sib.end)
        .unwrap_or(&[])
        .iter()
        .filter_map(|ev| match *ev {
            Ev::Open(d) if !an.dead[d] => Some(scores[d]),
            _ => None,
        })
        .fold(f32::NEG_INFINITY, f32::max);
    let same_kind = sib.class_hash != 0 && sib.tag == a.els[best].tag && sib.class_hash == a.els[best].class_hash;
    if same_kind && an.link_density(s) < 0.3 {
        inner.max(scores[s])
    } else {
        scores[s]
    }
}

/// A `<p>` (or a `<div>` holding no blocks) of prose: long with few links, or short,
/// linkless and sentence-like.
fn reads_as_prose(a: &Arena, an: &Analysis, s: usize) -> bool {
    if !(a.els[s].tag == Tag::P || (a.els[s].tag == Tag::Div && !a.els[s].has_block_child)) {
        return false;
    }
    let len = an.stats[s].chars;
    let ld = an.link_density(s);
    (len > 80 && ld < 0.25) || (len > 0 && len <= 80 && ld == 0.0 && ends_sentence(a, s))
}

/// The element's text ends like a sentence.
fn ends_with_stop(a: &Arena, i: usize) -> bool {
    let t = raw_text(a, i);
    t.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', '»'])
        .ends_with(['.', '!', '?', '…'])
}

fn ends_sentence(a: &Arena, i: usize) -> bool {
    let t = raw_text(a, i);
    let t = t.trim_end();
    t.contains(". ") || t.ends_with('.')
}

/// All text under an element (dead parts included, scripts excluded), collapsed.
fn raw_text(a: &Arena, i: usize) -> String {
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

fn collapse(s: &str) -> String {
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

/// Inside the content: which elements to drop (readability's "clean conditionally").
fn prune(a: &Arena, an: &Analysis, scores: &[f32], roots: &[usize], pass: Pass, title: Option<&str>) -> Vec<bool> {
    let mut drop = vec![false; a.els.len()];
    let mut title_seen = false;
    for &r in roots {
        let el = &a.els[r];
        for ev in a.evs.get(el.start..el.end).unwrap_or(&[]) {
            let Ev::Open(i) = *ev else { continue };
            if an.dead[i] {
                continue;
            }
            let e = &a.els[i];
            let st = &an.stats[i];
            let mut d = false;
            let is_root = roots.contains(&i);
            // Short bylines, captions, share bars, promos.
            if e.flags & F_BYLINE != 0 && st.chars < 100 && e.tag != Tag::P {
                d = true;
            }
            // (An embedded post quotes someone: that is content, whatever the class says.)
            if e.flags & F_JUNK != 0 && st.chars < 500 && !is_root && e.flags & F_BODY_HINT == 0 && st.quotes == 0 {
                d = true;
            }
            if e.flags & F_CAPTION != 0 && st.chars < 250 && !is_root && e.tag != Tag::P {
                d = true;
            }
            if e.tag == Tag::Figcaption {
                d = true;
            }
            if e.tag.is_heading() {
                let w = if pass.weigh_classes { e.weight } else { 0 };
                if w < 0 || an.link_density(i) > 0.33 {
                    d = true;
                } else if !title_seen && let Some(t) = title {
                    let h = raw_text(a, i);
                    if similar(&h, t) {
                        title_seen = true;
                        d = true;
                    }
                }
            }
            // "More stories", "Related", "You may also like" and the list under it.
            if !d
                && !is_root
                && st.chars > 0
                && st.chars <= 60
                && (e.tag.is_heading() || (e.tag.is_block() && !e.has_block_child))
            {
                let t = raw_text(a, i);
                if RELATED_TEXT.is_match(&t) {
                    d = true;
                    if let Some(n) = next_sibling(a, i)
                        && !an.dead[n]
                        && (matches!(a.els[n].tag, Tag::Ul | Tag::Ol) || an.link_density(n) > 0.3)
                    {
                        drop[n] = true;
                    }
                }
            }
            if pass.clean_conditionally && !is_root && !d {
                d = clean_conditionally(a, an, scores, i, pass);
            }
            if d {
                drop[i] = true;
            }
        }
    }
    drop
}

static RELATED_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:related(?:\s+\w+)?|more\s+(?:\w+\s+){0,3}(?:stories|articles|news|reading|coverage|from\s+.*)|read\s+(?:more|next|also)|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+\w+)?|most\s+(?:popular|read)|trending(?:\s+now)?|see\s+also|also\s+read)\W*$")
        .expect("static regex")
});

/// The next element with the same parent.
fn next_sibling(a: &Arena, i: usize) -> Option<usize> {
    let parent = a.els[i].parent;
    let mut k = a.els[i].end;
    while let Some(ev) = a.evs.get(k) {
        match *ev {
            Ev::Open(c) => return (a.els[c].parent == parent).then_some(c),
            Ev::Close(_) => return None,
            Ev::Text(..) => k += 1,
        }
    }
    None
}

fn similar(a: &str, b: &str) -> bool {
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
    shared as f32 >= 0.8 * x.len().max(1) as f32 && x.len() as f32 >= 0.6 * y.len() as f32
}

fn clean_conditionally(a: &Arena, an: &Analysis, scores: &[f32], i: usize, pass: Pass) -> bool {
    let e = &a.els[i];
    let st = &an.stats[i];
    let candidate = match e.tag {
        Tag::Form | Tag::Table | Tag::Ul | Tag::Ol | Tag::Section | Tag::Block => true,
        Tag::Div => e.has_block_child || st.chars < 25,
        // A link-heavy paragraph is a "read more" line unless it reads as a sentence.
        Tag::P => {
            let ld = an.link_density(i);
            st.chars < 25 || ld > 0.9 || (ld > 0.5 && !ends_with_stop(a, i))
        }
        Tag::Li => false,
        _ => false,
    };
    if !candidate {
        return false;
    }
    let is_list = matches!(e.tag, Tag::Ul | Tag::Ol) || (st.chars > 0 && st.li_chars as f32 / st.chars as f32 > 0.9);
    let weight = if pass.weigh_classes { e.weight } else { 0 };
    // An embedded post or a quotation, mostly text: content.
    if e.flags & F_HAS_QUOTE != 0 && an.link_density(i) < 0.5 && st.chars >= 25 {
        return false;
    }
    let content_score = if scores[i].is_finite() { scores[i] } else { 0.0 };
    if weight as f32 + content_score < 0.0 {
        return true;
    }
    // A list of links ("more stories") however long.
    if is_list && an.link_density(i) > 0.5 {
        return true;
    }
    if st.commas >= 10 {
        return false;
    }
    if st.chars == 0 {
        return st.imgs == 0 && st.embeds == 0;
    }
    let p = st.paras as f32;
    let img = st.imgs as f32;
    let li = st.lis as f32 - 100.0;
    let input = st.inputs as f32;
    let heading_density = st.heading_chars as f32 / st.chars as f32;
    let ld = an.link_density(i);
    let len = st.chars;
    let in_figure = an.in_figure[i];
    (img > 1.0 && p / img < 0.5 && !in_figure)
        || (!is_list && li > p)
        || (input > (p / 3.0).floor())
        || (!is_list && heading_density < 0.9 && len < 25 && (img == 0.0 || img > 2.0) && ld > 0.0)
        || (!is_list && weight < 25 && ld > 0.2)
        || (weight >= 25 && ld > 0.5)
        || ((st.embeds == 1 && len < 75) || st.embeds > 1)
        || (is_list && ld > 0.5)
}

fn block_kind(tag: Tag) -> Option<BlockKind> {
    match tag {
        Tag::H1 | Tag::H(_) => Some(BlockKind::Heading),
        Tag::Li => Some(BlockKind::ListItem),
        _ => None,
    }
}

/// One block of body text, with the file line of its words where they change: `(offset
/// in text, line)`, offsets ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    text: String,
    kind: BlockKind,
    lines: Vec<(usize, usize)>,
}

/// Writes blocks as [`layout`] finds their text: whitespace collapsed as the pieces come
/// (exactly as [`collapse`] would collapse them joined), and the file line of every word
/// that opens on a line other than the block's last anchor's.
struct Writer {
    text: String,
    /// Whitespace since the last word: a space goes before the next one.
    space: bool,
    /// The file line the text has reached (carried from block to block).
    line: usize,
    lines: Vec<(usize, usize)>,
}

/// What [`collapse`] splits words at.
fn is_gap(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

impl Writer {
    /// A writer at line 1, before any block.
    fn new() -> Self {
        Writer {
            text: String::new(),
            space: false,
            line: 1,
            lines: Vec::new(),
        }
    }

    /// Adds a text node's text; `line` is the file line of its first byte, when known
    /// (otherwise the line reached so far goes on).
    fn push(&mut self, piece: &str, line: Option<usize>) {
        if let Some(l) = line {
            self.line = l;
        }
        let mut rest = piece;
        while !rest.is_empty() {
            let word = rest.find(|c| !is_gap(c)).unwrap_or(rest.len());
            if word > 0 {
                self.line += line_breaks(rest.get(..word).unwrap_or(""));
                self.space = true;
            }
            rest = rest.get(word..).unwrap_or("");
            let end = rest.find(is_gap).unwrap_or(rest.len());
            self.word(rest.get(..end).unwrap_or(""));
            rest = rest.get(end..).unwrap_or("");
        }
    }

    /// Adds a word (or the rest of one that a tag cut), anchoring its line when it opens.
    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        let opens = self.space || self.text.is_empty();
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        if opens && self.lines.last().is_none_or(|&(_, l)| l != self.line) {
            self.lines.push((self.text.len(), self.line));
        }
        self.text.push_str(w);
    }

    /// A break between words (table cells).
    fn gap(&mut self) {
        self.space = true;
    }

    /// Ends the block: it joins `out` unless it is empty.
    fn flush(&mut self, kind: BlockKind, out: &mut Vec<Part>) {
        self.space = false;
        let lines = std::mem::take(&mut self.lines);
        if !self.text.is_empty() {
            let text = std::mem::take(&mut self.text);
            out.push(Part { text, kind, lines });
        }
    }
}

/// Lays out the kept text, block by block.
fn layout(a: &Arena, an: &Analysis, roots: &[usize], drop: &[bool]) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let mut w = Writer::new();
    let mut kinds: Vec<BlockKind> = Vec::new();
    for &r in roots {
        let el = &a.els[r];
        let mut k = el.start;
        while k < el.end {
            match a.evs.get(k) {
                Some(Ev::Open(i)) => {
                    let i = *i;
                    let e = &a.els[i];
                    if an.dead[i] || drop[i] {
                        k = e.end;
                        continue;
                    }
                    if e.tag.is_block() {
                        let kind = kinds.last().copied().unwrap_or(BlockKind::Paragraph);
                        w.flush(kind, &mut out);
                        let inner = block_kind(e.tag).unwrap_or(match kind {
                            BlockKind::ListItem => BlockKind::ListItem,
                            _ => BlockKind::Paragraph,
                        });
                        kinds.push(inner);
                    } else if matches!(e.tag, Tag::Td | Tag::Th) {
                        w.gap();
                    }
                }
                Some(Ev::Close(i)) => {
                    let e = &a.els[*i];
                    if e.tag.is_block() {
                        let kind = kinds.pop().unwrap_or(BlockKind::Paragraph);
                        w.flush(kind, &mut out);
                    } else if matches!(e.tag, Tag::Td | Tag::Th) {
                        w.gap();
                    }
                }
                Some(Ev::Text(_, s, e, line)) => {
                    let line = line.and_then(|l| usize::try_from(l.get()).ok());
                    w.push(a.text.get(*s..*e).unwrap_or(""), line);
                }
                None => break,
            }
            k += 1;
        }
        w.flush(BlockKind::Paragraph, &mut out);
        kinds.clear();
    }
    out
}

fn extract_body(a: &Arena, title: Option<&str>) -> Vec<Part> {
    let passes = [
        Pass {
            strip_unlikely: true,
            weigh_classes: true,
            clean_conditionally: true,
        },
        Pass {
            strip_unlikely: false,
            weigh_classes: true,
            clean_conditionally: true,
        },
        Pass {
            strip_unlikely: false,
            weigh_classes: false,
            clean_conditionally: true,
        },
        Pass {
            strip_unlikely: false,
            weigh_classes: false,
            clean_conditionally: false,
        },
    ];
    let mut best: Option<(usize, Vec<Part>)> = None;
    for pass in passes {
        let an = analyse(a, pass);
        let (scores, mass) = score(a, &an, pass);
        let roots = select(a, &an, &scores, pass);
        let roots = narrow(a, &an, &mass, roots);
        let drop = prune(a, &an, &scores, &roots, pass, title);
        let blocks = layout(a, &an, &roots, &drop);
        let len: usize = blocks.iter().map(|p| p.text.chars().count()).sum();
        if len >= 500 {
            return blocks;
        }
        if best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, blocks));
        }
    }
    best.map(|(_, b)| b).unwrap_or_default()
}

// ---------------------------------------------------------------- metadata

fn meta_value<'a>(a: &'a Arena, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        a.metas
            .iter()
            .find(|(key, v)| key == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
    })
}

/// Article facts from JSON-LD blocks.
#[derive(Default)]
struct LdFacts {
    headline: Option<String>,
    author: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
}

fn ld_name(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Object(o) => o.get("name").and_then(ld_name),
        serde_json::Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(ld_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

fn is_article_type(v: &serde_json::Value) -> bool {
    let check = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("article") || s.contains("posting") || s.contains("report") || s == "webpage"
    };
    match v {
        serde_json::Value::String(s) => check(s),
        serde_json::Value::Array(items) => items.iter().any(|i| i.as_str().is_some_and(check)),
        _ => false,
    }
}

static LD_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{6,60})""#).expect("static regex"));

static LD_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""author"\s*:\s*(?:\[\s*)?(?:\{[^{}]*?"name"\s*:\s*)?"([^"]{2,80})""#).expect("static regex")
});

/// Article facts from every JSON-LD block, the first found of each kept.
fn json_ld(a: &Arena) -> LdFacts {
    let mut facts = LdFacts::default();
    for el in &a.els {
        if el.flags & F_JSONLD == 0 {
            continue;
        }
        let raw = ld_text(a, el);
        let src = strip_ld_wrapping(&raw);
        let Ok(v) = serde_json::from_str::<serde_json::Value>(src.trim()) else {
            broken_ld_facts(src, &mut facts);
            continue;
        };
        let objects = ld_objects(&v);
        // Names of the objects that others refer to by "@id" (authors in a @graph).
        let names: Vec<(&str, String)> = objects
            .iter()
            .filter_map(|o| Some((o.get("@id")?.as_str()?, o.get("name").and_then(ld_name)?)))
            .collect();
        // Article-like objects first, then any object.
        for article_only in [true, false] {
            for o in &objects {
                let is_article = o.get("@type").is_some_and(is_article_type);
                if article_only && !is_article {
                    continue;
                }
                fill_ld_facts(o, is_article, &names, &mut facts);
            }
        }
    }
    facts
}

/// The text of a JSON-LD `<script>` element, as written.
fn ld_text(a: &Arena, el: &El) -> String {
    let mut src = String::new();
    for ev in a.evs.get(el.start..el.end).unwrap_or(&[]) {
        if let Ev::Text(_, s, e, _) = *ev {
            src.push_str(a.text.get(s..e).unwrap_or(""));
        }
    }
    src
}

/// JSON-LD without the `//<![CDATA[ ... //]]>` some pages wrap it in.
fn strip_ld_wrapping(src: &str) -> &str {
    let src = src.trim().trim_start_matches("//").trim_start();
    let src = src.strip_prefix("<![CDATA[").unwrap_or(src);
    src.trim_end().trim_end_matches("]]>").trim_end().trim_end_matches("//")
}

/// Broken JSON (raw newlines in strings, trailing commas): the author and the date are
/// still there, found by pattern.
fn broken_ld_facts(src: &str, facts: &mut LdFacts) {
    if facts.author.is_none() {
        facts.author = LD_AUTHOR
            .captures(src)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
    }
    if facts.published.is_none() {
        facts.published = LD_DATE
            .captures(src)
            .and_then(|c| c.get(1))
            .and_then(|m| meta::parse_date(m.as_str()));
    }
}

/// The objects of a JSON-LD value in document order: top-level arrays and `@graph`
/// flattened, without recursion (at most about 200).
fn ld_objects(v: &serde_json::Value) -> Vec<&serde_json::Map<String, serde_json::Value>> {
    let mut todo = vec![v];
    let mut objects = Vec::new();
    while let Some(x) = todo.pop() {
        match x {
            serde_json::Value::Array(items) => todo.extend(items.iter()),
            serde_json::Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    todo.push(g);
                }
                objects.push(o);
            }
            _ => {}
        }
        if objects.len() > 200 {
            break;
        }
    }
    objects.reverse();
    objects
}

/// Fills the facts still missing from one JSON-LD object (the headline only from an
/// article).
fn fill_ld_facts(
    o: &serde_json::Map<String, serde_json::Value>,
    is_article: bool,
    names: &[(&str, String)],
    facts: &mut LdFacts,
) {
    if facts.headline.is_none() && is_article {
        facts.headline = o.get("headline").and_then(ld_name);
    }
    if facts.author.is_none() {
        facts.author = o
            .get("author")
            .or_else(|| o.get("creator"))
            .and_then(|v| ld_person(v, names));
    }
    if facts.published.is_none() {
        facts.published = o
            .get("datePublished")
            .or_else(|| o.get("dateCreated"))
            .and_then(|d| d.as_str())
            .and_then(meta::parse_date);
    }
    if facts.publisher.is_none() {
        facts.publisher = o.get("publisher").and_then(ld_name);
    }
}

/// A person by name, or by the `"@id"` of an object named in `names`
/// (`{"@id": "#ada"}` → "Ada Lin").
fn ld_person(v: &serde_json::Value, names: &[(&str, String)]) -> Option<String> {
    ld_name(v).or_else(|| {
        let refs: Vec<&str> = match v {
            serde_json::Value::Object(o) => o.get("@id").and_then(|i| i.as_str()).into_iter().collect(),
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|x| x.get("@id").and_then(|i| i.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        let found: Vec<String> = refs
            .iter()
            .filter_map(|r| names.iter().find(|(id, _)| id == r).map(|(_, n)| n.clone()))
            .collect();
        (!found.is_empty()).then(|| found.join(", "))
    })
}

static MONTH_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s,]+(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s*$|[\s,]+(?:updated|published|posted)\s*:?\s*$")
        .expect("static regex")
});
static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:written\s+by|posted\s+by|words\s+by|story\s+by|by)[:\s]+").expect("static regex")
});

/// A byline as people write it: without "By", without a date or role after the name,
/// short, not a URL.
fn clean_byline(s: &str) -> Option<String> {
    let s = collapse(s);
    let s = BY_PREFIX.replace(&s, "");
    let mut s: &str = &s;
    for sep in [" - ", " | ", "|", "·", " — ", " – ", "•", " on "] {
        if let Some(pos) = s.find(sep) {
            s = &s[..pos];
        }
    }
    // A date after the name ("Ada Lin, 3 March 2026", "Ada Lin Apr 16, 2015").
    if let Some(pos) = s.find(|c: char| c.is_ascii_digit()) {
        s = &s[..pos];
        if let Some(m) = MONTH_TAIL.find(s) {
            s = &s[..m.start()];
        }
    }
    let s = s.trim().trim_end_matches([',', '|', '-', '·', '@']).trim();
    if s.is_empty()
        || s.len() > 100
        || s.contains("://")
        || s.starts_with("www.")
        || s.starts_with('@')
        || !s.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some(s.to_string())
}

/// A title without a " - Site" suffix that names the known site.
fn strip_known_site(title: &str, site: &str) -> String {
    let t = collapse(title);
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            if !head.trim().is_empty() && (similar(tail, site) || tail.eq_ignore_ascii_case(site)) {
                return head.trim().to_string();
            }
        }
    }
    t
}

/// `<title>` without its " | Site" / " - Site" suffix.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let t = collapse(title);
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » "] {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let tail_is_site =
                site.is_some_and(|s| similar(tail, s) || tail.to_lowercase().contains(&s.to_lowercase()));
            let head_words = head.split_whitespace().count();
            let tail_words = tail.split_whitespace().count();
            if tail_is_site || (head_words >= 3 && tail_words <= 4 && tail_words < head_words) {
                return head.trim().to_string();
            }
        }
    }
    t
}

/// Inside (or itself) an element dropped as page chrome (`nav`, `aside`, `footer`, hidden...).
fn in_chrome(a: &Arena, i: usize) -> bool {
    let mut p = i;
    let mut steps = 0;
    while p != NONE && steps < 4096 {
        let el = &a.els[p];
        if el.flags & F_DROP != 0 && !matches!(el.tag, Tag::Header) {
            return true;
        }
        p = el.parent;
        steps += 1;
    }
    false
}

/// `<meta>` keys that name the publisher, best first.
const PUBLISHER_KEYS: [&str; 4] = ["og:site_name", "application-name", "publisher", "dc.publisher"];
/// `<meta>` keys that give the headline, best first.
const TITLE_KEYS: [&str; 4] = ["og:title", "twitter:title", "dc.title", "headline"];
/// `<meta>` keys that name the author, best first.
const AUTHOR_KEYS: [&str; 6] = [
    "author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "sailthru.author",
    "parsely-author",
];
/// `<meta>` keys read for the author when nothing else named one (often a profile URL or
/// a handle).
const LAST_AUTHOR_KEYS: [&str; 3] = ["article:author", "og:article:author", "twitter:creator"];
/// `<meta>` keys that give the publication date, best first.
const PUBLISHED_KEYS: [&str; 18] = [
    "article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publishdate",
    "publish-date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "original-publish-date",
    "sn-post-date",
    "dc.date.created",
];

/// The page's title, byline, publisher, date and address.
fn extract_meta(a: &Arena) -> Meta {
    let ld = json_ld(a);
    let publisher = meta_value(a, &PUBLISHER_KEYS)
        .map(collapse)
        .or_else(|| ld.publisher.clone());
    Meta {
        title: page_title(a, &ld, publisher.as_deref()),
        byline: page_byline(a, &ld),
        published: page_published(a, &ld),
        publisher,
        url: page_url(a),
    }
}

/// The headline: a `<meta>` title without the site's name, else the page's own.
fn page_title(a: &Arena, ld: &LdFacts, publisher: Option<&str>) -> Option<String> {
    let title_el = a.els.iter().position(|e| e.tag == Tag::Title).map(|i| raw_text(a, i));
    let h1s: Vec<String> = a
        .els
        .iter()
        .enumerate()
        .filter(|(_, e)| e.tag == Tag::H1)
        .map(|(i, _)| raw_text(a, i))
        .filter(|t| !t.is_empty())
        .collect();
    meta_value(a, &TITLE_KEYS)
        .map(|t| match publisher {
            Some(site) => strip_known_site(t, site),
            None => collapse(t),
        })
        .or_else(|| {
            // One h1, or the h1 that the <title> names, is the headline; then JSON-LD, then
            // the <title> itself.
            let page_title = title_el.as_deref().map(|t| strip_site(t, publisher));
            match h1s.as_slice() {
                [only] => Some(only.clone()),
                many => page_title
                    .as_deref()
                    .and_then(|pt| many.iter().find(|h| similar(h, pt)).cloned())
                    .or_else(|| ld.headline.clone())
                    .or(page_title)
                    .or_else(|| many.first().cloned()),
            }
        })
        .filter(|t| !t.is_empty())
}

/// The byline: from `<meta>`, JSON-LD, a byline element outside page chrome, an
/// `itemprop=author` value, and last the profile-like `<meta>` keys.
fn page_byline(a: &Arena, ld: &LdFacts) -> Option<String> {
    meta_value(a, &AUTHOR_KEYS)
        .and_then(clean_byline)
        .or_else(|| ld.author.as_deref().and_then(clean_byline))
        .or_else(|| {
            // The first byline element outside page chrome.
            a.byline_els.iter().find_map(|&i| {
                let el = &a.els[i];
                if matches!(el.tag, Tag::Meta | Tag::Link | Tag::Script | Tag::Style) || in_chrome(a, i) {
                    return None;
                }
                let t = raw_text(a, i);
                clean_byline(&t).filter(|t| t.split_whitespace().count() <= 12)
            })
        })
        .or_else(|| a.byline_attrs.iter().find_map(|s| clean_byline(s)))
        .or_else(|| meta_value(a, &LAST_AUTHOR_KEYS).and_then(clean_byline))
}

/// The publication date: from `<meta>`, JSON-LD, else the first `<time>` that parses.
fn page_published(a: &Arena, ld: &LdFacts) -> Option<String> {
    meta_value(a, &PUBLISHED_KEYS)
        .and_then(meta::parse_date)
        .or(ld.published.clone())
        .or_else(|| a.times.iter().find_map(|(_, d)| meta::parse_date(d)))
}

/// The page's own address: its canonical link, else its `og:url`.
fn page_url(a: &Arena) -> Option<String> {
    ["canonical", "og:url"]
        .iter()
        .find_map(|k| meta_value(a, &[k]).and_then(crate::model::web_address))
        .map(str::to_owned)
}

/// Deepest element nesting the parser is given (Chromium's parser stops nesting at 512
/// too). html5ever scans the stack of open elements for many start tags, so absurdly
/// deep input would take quadratic time.
const MAX_DEPTH: usize = 512;

/// Where `needle` first occurs in `hay`, ASCII case ignored (`memchr` finds the candidates).
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut at = 0;
    while let Some(i) = hay.get(at..).and_then(|h| memchr::memchr2(lower, upper, h)) {
        let p = at + i;
        if hay
            .get(p + 1..p + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
        {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

/// The `>` that ends a tag whose attributes start at `from`, past quoted text (either
/// quote, wherever it opens); `None` when the source ends first.
fn tag_close(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        j += memchr::memchr3(b'"', b'\'', b'>', b.get(j..)?)?;
        match *b.get(j)? {
            b'>' => return Some(j),
            q => j += 2 + memchr::memchr(q, b.get(j + 1..)?)?,
        }
    }
}

/// Elements whose content is raw text, skipped whole by the depth scan.
const RAW_TEXT_TAGS: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "noscript"];

/// Elements the depth scan does not count: void elements, elements that close
/// themselves (`p`, `li`, `td`, ...) and the document's frame.
const FLAT_TAGS: [&str; 25] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dt", "dd", "tr", "td", "th", "option", "html", "head", "body",
];

/// The source with start and end tags beyond [`MAX_DEPTH`] removed (their text and their
/// line breaks stay, so that lines of the source stay lines), or `None` when the page is
/// not that deep. A cheap tag scan, not a parser: void elements, self-closing tags and
/// elements that close themselves (`p`, `li`, `td`, ...) do not count; comments and
/// raw-text elements are skipped.
fn limit_depth(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut depth = Depth::default();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', b.get(i..)?) {
        let s = i + off;
        match scan_tag(src, s) {
            Some(Scan::Skip(next)) => i = next,
            Some(Scan::Nest { end, closing }) => {
                i = end;
                depth.tag(s, end, closing);
            }
            None => break,
        }
    }
    if depth.cuts.is_empty() {
        return None;
    }
    Some(cut_tags(src, &depth.cuts))
}

/// What the depth scan makes of a `<` in the source.
enum Scan {
    /// Not a counted tag (a comment, a raw-text element, a void or self-closing tag, a
    /// stray `<`): go on scanning here.
    Skip(usize),
    /// A start or end tag that nests, ending before `end`.
    Nest { end: usize, closing: bool },
}

/// Reads the tag at `s` (a `<`); `None` when the source ends inside it (the scan stops).
fn scan_tag(src: &str, s: usize) -> Option<Scan> {
    let b = src.as_bytes();
    let rest = b.get(s + 1..).unwrap_or(&[]);
    if rest.starts_with(b"!--") {
        return find_ci(&rest[3..], b"-->").map(|e| Scan::Skip(s + 4 + e + 3));
    }
    let closing = rest.first() == Some(&b'/');
    let name_start = s + 1 + usize::from(closing);
    let name_len = b
        .get(name_start..)
        .unwrap_or(&[])
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return Some(Scan::Skip(s + 1));
    }
    let name = src.get(name_start..name_start + name_len).unwrap_or("");
    let is = |names: &[&str]| names.iter().any(|n| name.eq_ignore_ascii_case(n));
    // The end of the tag, past quoted attribute values.
    let j = tag_close(b, name_start + name_len)?;
    let end = j + 1;
    if !closing && is(&RAW_TEXT_TAGS) {
        let close = format!("</{name}");
        return find_ci(&b[end..], close.as_bytes()).map(|e| Scan::Skip(end + e));
    }
    let self_closing = b.get(j.wrapping_sub(1)) == Some(&b'/');
    if is(&FLAT_TAGS) || (self_closing && !closing) {
        return Some(Scan::Skip(end));
    }
    Some(Scan::Nest { end, closing })
}

/// The nesting the depth scan has reached, and the tags it cuts.
#[derive(Default)]
struct Depth {
    depth: usize,
    /// Start tags cut and not yet closed: their end tags are cut too.
    skipped: usize,
    /// Byte ranges of the tags to cut, ascending.
    cuts: Vec<(usize, usize)>,
}

impl Depth {
    /// Counts the tag at `s..end`: a start tag beyond [`MAX_DEPTH`] is cut, and so is
    /// the end tag that closes it.
    fn tag(&mut self, s: usize, end: usize, closing: bool) {
        if closing {
            if self.skipped > 0 {
                self.skipped -= 1;
                self.cuts.push((s, end));
            } else {
                self.depth = self.depth.saturating_sub(1);
            }
        } else if self.depth >= MAX_DEPTH {
            self.skipped += 1;
            self.cuts.push((s, end));
        } else {
            self.depth += 1;
        }
    }
}

/// The source without the `cuts` (ascending byte ranges); a cut tag leaves its line breaks.
fn cut_tags(src: &str, cuts: &[(usize, usize)]) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for &(s, e) in cuts {
        out.push_str(src.get(at..s).unwrap_or(""));
        // A cut tag leaves its line breaks.
        out.extend(
            b.get(s..e)
                .unwrap_or(&[])
                .iter()
                .filter(|&&c| c == b'\n' || c == b'\r')
                .map(|&c| char::from(c)),
        );
        at = e;
    }
    out.push_str(src.get(at..).unwrap_or(""));
    out
}

/// Cleans an HTML page.
pub fn clean_html(src: &str) -> Cleaned {
    let flat = limit_depth(src);
    let doc = Html::parse_document(flat.as_deref().unwrap_or(src));
    let arena = build(&doc, flat.as_deref().unwrap_or(src));
    drop((doc, flat));
    let meta = extract_meta(&arena);
    let parts = extract_body(&arena, meta.title.as_deref());

    let mut text = String::new();
    let mut blocks = Vec::new();
    let mut lines = SourceLines::default();
    for part in parts {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&part.text);
        for (at, line) in part.lines {
            lines.push(start + at, line);
        }
        blocks.push(Block {
            range: start..text.len(),
            kind: part.kind,
        });
    }
    Cleaned {
        text,
        blocks,
        meta,
        format: Format::Html,
        source_lines: Some(lines),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superscript_footnotes_stay_markers() {
        let c = clean_html(
            "<html><body><article><p>The deal was reworked in 2025.<sup>4</sup> It grew 5%<sup>2,3</sup> \
             and then x<sup>[7]</sup>. Area 40 m<sup>2</sup> was cleared and more text follows here.</p></article></body></html>",
        );
        assert!(c.text.contains("in 2025.⁴ It grew 5%²,³ and then x[7]."), "{}", c.text);
        assert!(c.text.contains("40 m² was"), "{}", c.text);
    }

    /// A few sentences of prose, long enough to score as paragraphs.
    fn prose(topic: &str, n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "<p>Paragraph {i} about {topic}: the harbour council met on Tuesday, and after a long debate, \
                     members agreed to widen the northern quay, repaint the cranes and hire two more pilots.</p>"
                )
            })
            .collect()
    }

    const CHROME: &str = r#"
        <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World navigation link</a></li></ul></nav>
        <header><div class="logo">Harbour Gazette masthead</div></header>
        <aside><h3>Aside heading</h3><p>Aside text that should never appear in the article body at all.</p></aside>
        <footer><p>Footer copyright text that should never appear, all rights reserved, really.</p></footer>
        <script>var trackingScript = "script text";</script>
        <style>.hidden-style-rule { color: red; }</style>
        <noscript>Noscript fallback text</noscript>
        <form action="/subscribe"><input name="email"><button>Newsletter form button</button></form>
        <div class="cookie-banner">We use cookies to improve the banner experience. Accept all cookies.</div>
        <div id="comments"><p>Commenter one says this long comment, with commas, should not be kept, ever, anywhere.</p></div>
    "#;

    fn body(html: &str) -> String {
        clean_html(html).body()
    }

    fn assert_no_chrome(b: &str) {
        for bad in [
            "navigation link",
            "masthead",
            "Aside",
            "Footer copyright",
            "script text",
            "hidden-style-rule",
            "Noscript",
            "Newsletter form",
            "cookies",
            "Commenter",
        ] {
            assert!(!b.contains(bad), "{bad:?} leaked into the body: {b}");
        }
    }

    #[test]
    fn article_element_is_the_body() {
        let html = format!(
            "<html><body>{CHROME}<div class=\"promo-strip\"><a href=\"/x\">Promo link one</a> <a href=\"/y\">Promo link two</a></div>\
             <article>{}</article>{CHROME}</body></html>",
            prose("the quay", 4)
        );
        let b = body(&html);
        assert!(b.starts_with("Paragraph 0 about the quay"), "{b}");
        assert!(b.contains("Paragraph 3 about the quay"));
        assert!(!b.contains("Promo link"));
        assert_no_chrome(&b);
        assert_eq!(
            b.matches("\n\n").count(),
            3,
            "four paragraphs, blank lines between: {b}"
        );
    }

    #[test]
    fn main_element_is_the_body() {
        let html = format!(
            "<html><body>{CHROME}<main><h2>Quay works</h2>{}</main>\
             <div class=\"sidebar\"><ul><li><a href=\"/a\">Sidebar story one</a></li><li><a href=\"/b\">Sidebar story two</a></li></ul></div>\
             </body></html>",
            prose("the cranes", 3)
        );
        let b = body(&html);
        assert!(b.starts_with("Quay works\n\nParagraph 0 about the cranes"), "{b}");
        assert!(!b.contains("Sidebar story"));
        assert_no_chrome(&b);
    }

    #[test]
    fn article_inside_a_scored_wrapper_is_the_body() {
        // The wrapper's class makes it score higher than the article itself; the article
        // still holds all the prose, so the stray lines beside it are not body.
        let html = format!(
            "<html><body><div class=\"page-content main-column\">\
             <div class=\"kicker\">Weather today: sunny and mild.</div>\
             <article>{}</article>\
             <div>Tickets for the boat show are on sale.</div></div></body></html>",
            prose("the wrapper", 4)
        );
        let b = body(&html);
        assert!(b.starts_with("Paragraph 0 about the wrapper"), "{b}");
        assert!(b.ends_with("two more pilots."), "{b}");
    }

    #[test]
    fn densest_block_wins_without_article_or_main() {
        let links: String = (0..12)
            .map(|i| format!("<li><a href=\"/s/{i}\">Another headline number {i} for the link list</a></li>"))
            .collect();
        let html = format!(
            "<html><body>{CHROME}\
             <div id=\"wrap\">\
               <div class=\"column-left\"><ul>{links}</ul></div>\
               <div class=\"story-text\">{}</div>\
               <div class=\"teaser\"><p>Short teaser.</p><a href=\"/more\">More</a></div>\
             </div></body></html>",
            prose("the pilots", 5)
        );
        let b = body(&html);
        assert!(b.starts_with("Paragraph 0 about the pilots"), "{b}");
        assert!(b.contains("Paragraph 4 about the pilots"));
        assert!(!b.contains("Another headline"), "{b}");
        assert_no_chrome(&b);
    }

    #[test]
    fn chrome_inside_the_article_is_dropped() {
        let html = format!(
            "<html><body><article>{}<script>var inArticle = 'script text';</script>\
             <noscript>Noscript fallback text</noscript><style>.hidden-style-rule{{}}</style>\
             <div class=\"share-bar\"><a href=\"#\">Share on social</a></div>\
             <p style=\"display: none\">Invisible paragraph text, hidden by its style attribute, not for readers.</p>\
             <div class=\"cookie-consent\">Accept cookies to continue reading this page, please and thanks.</div>\
             <form action=\"/signup\"><p>Get the harbour briefing</p><input type=\"email\"></form>\
             <section id=\"comments\"><p>Commenter two writes a reply, long enough, with commas, to look like prose.</p></section>\
             {}</article></body></html>",
            prose("the first half", 3),
            prose("the second half", 2)
        );
        let b = body(&html);
        assert!(b.contains("Paragraph 2 about the first half") && b.contains("Paragraph 1 about the second half"));
        assert!(!b.contains("Share on social"));
        assert!(!b.contains("Invisible paragraph"));
        assert!(!b.contains("harbour briefing"), "{b}");
        assert_no_chrome(&b);
    }

    #[test]
    fn entities_are_decoded_and_whitespace_collapsed() {
        let html = format!(
            "<article>{}<p>Smith &amp; Jones&#8217;   caf&eacute;\n\t raised&nbsp;$5&nbsp;million, &lt;roughly&gt; &quot;double&quot; last year&#x2019;s.</p></article>",
            prose("entities", 3)
        );
        let b = body(&html);
        assert!(
            b.contains("Smith & Jones’ café raised $5 million, <roughly> \"double\" last year’s."),
            "{b}"
        );
    }

    #[test]
    fn headings_and_list_items_are_blocks() {
        let html = format!(
            "<html><head><title>Cranes</title></head><body><article><h2>What changes</h2>{}\
             <ul><li>Wider quay</li><li>New <b>paint</b> for cranes</li></ul><p>Closing line.</p></article></body></html>",
            prose("blocks", 3)
        );
        let c = clean_html(&html);
        let kinds: Vec<(&str, BlockKind)> = c.blocks.iter().map(|b| (&c.text[b.range.clone()], b.kind)).collect();
        assert_eq!(kinds[0], ("What changes", BlockKind::Heading));
        assert_eq!(kinds[1].1, BlockKind::Paragraph);
        assert!(kinds.contains(&("Wider quay", BlockKind::ListItem)), "{kinds:?}");
        assert!(
            kinds.contains(&("New paint for cranes", BlockKind::ListItem)),
            "{kinds:?}"
        );
        assert_eq!(kinds.last(), Some(&("Closing line.", BlockKind::Paragraph)));
        // Blocks are separated by one blank line in the text, and ranges point into it.
        for pair in c.blocks.windows(2) {
            assert_eq!(&c.text[pair[0].range.end..pair[1].range.start], "\n\n");
        }
        assert_eq!(c.body(), c.text);
    }

    #[test]
    fn headline_repeating_the_title_is_not_body() {
        let html = format!(
            "<html><head><title>Port widens its quay | Harbour Gazette</title></head><body>\
             <article><h1>Port widens its quay</h1>{}</article></body></html>",
            prose("the headline", 3)
        );
        let c = clean_html(&html);
        assert_eq!(c.meta.title.as_deref(), Some("Port widens its quay"));
        assert!(c.text.starts_with("Paragraph 0"), "{}", c.text);
    }

    fn meta_of(head: &str, body: &str) -> Meta {
        clean_html(&format!(
            "<html><head>{head}</head><body>{body}<article>{}</article></body></html>",
            prose("meta", 3)
        ))
        .meta
    }

    #[test]
    fn title_sources() {
        let m = meta_of(
            r#"<meta property="og:title" content="Open Graph title"><title>Page title - Site</title>"#,
            "<h1>Heading title</h1>",
        );
        assert_eq!(m.title.as_deref(), Some("Open Graph title"));
        let m = meta_of("<title>Page title - Site</title>", "<h1>Heading title</h1>");
        assert_eq!(m.title.as_deref(), Some("Heading title"));
        let m = meta_of(
            "<title>Harbour council approves new quay | The Harbour Gazette</title>",
            "",
        );
        assert_eq!(m.title.as_deref(), Some("Harbour council approves new quay"));
        let m = meta_of(
            r#"<meta property="og:site_name" content="Harbour Gazette"><title>Quay vote - Harbour Gazette</title>"#,
            "",
        );
        assert_eq!(m.title.as_deref(), Some("Quay vote"));
        // A dash inside a short title is not a site suffix.
        let m = meta_of("<title>Q&amp;A - the quay</title>", "");
        assert_eq!(m.title.as_deref(), Some("Q&A - the quay"));
    }

    #[test]
    fn byline_sources() {
        let m = meta_of(r#"<meta name="author" content="Mira Solberg">"#, "");
        assert_eq!(m.byline.as_deref(), Some("Mira Solberg"));
        let m = meta_of("", r#"<p>By <a rel="author" href="/staff/ot">Oren Tal</a></p>"#);
        assert_eq!(m.byline.as_deref(), Some("Oren Tal"));
        let m = meta_of("", r#"<div class="byline">By Priya Natarajan - March 3, 2026</div>"#);
        assert_eq!(m.byline.as_deref(), Some("Priya Natarajan"));
        let m = meta_of("", r#"<span itemprop="author">Lucas Ferreira</span>"#);
        assert_eq!(m.byline.as_deref(), Some("Lucas Ferreira"));
        let m = meta_of("", r#"<span class="author">by Ines Kowal</span>"#);
        assert_eq!(m.byline.as_deref(), Some("Ines Kowal"));
        let m = meta_of(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
               "author":[{"@type":"Person","name":"Tomasz Wren"}]}</script>"#,
            "",
        );
        assert_eq!(m.byline.as_deref(), Some("Tomasz Wren"));
        // An author given by reference to a Person in the @graph.
        let m = meta_of(
            r##"<script type="application/ld+json">{"@graph":[{"@type":"Article","author":{"@id":"#p1"}},
               {"@type":"Person","@id":"#p1","name":"Saoirse Kell"}]}</script>"##,
            "",
        );
        assert_eq!(m.byline.as_deref(), Some("Saoirse Kell"));
        // A Twitter handle is not a byline.
        let m = meta_of(r#"<meta name="twitter:creator" content="@harbourgazette">"#, "");
        assert_eq!(m.byline, None);
        // A byline inside the navigation is not the article's.
        let m = meta_of("", r#"<nav><span class="author">Nav Person</span></nav>"#);
        assert_eq!(m.byline, None);
    }

    #[test]
    fn date_sources() {
        let m = meta_of(
            r#"<meta property="article:published_time" content="2026-03-04T08:00:00Z">"#,
            "",
        );
        assert_eq!(m.published.as_deref(), Some("2026-03-04"));
        let m = meta_of("", r#"<time datetime="2026-05-11T10:30:00+02:00">11 May</time>"#);
        assert_eq!(m.published.as_deref(), Some("2026-05-11"));
        let m = meta_of(r#"<meta name="date" content="12 June 2025">"#, "");
        assert_eq!(m.published.as_deref(), Some("2025-06-12"));
        let m = meta_of(
            r#"<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"x"},
               {"@type":"Article","datePublished":"2024-12-30T23:00:00Z"}]}</script>"#,
            "",
        );
        assert_eq!(m.published.as_deref(), Some("2024-12-30"));
        // CDATA-wrapped JSON-LD still parses.
        let m = meta_of(
            r#"<script type="application/ld+json">//<![CDATA[
               {"@type":"BlogPosting","datePublished":"2023-01-02"}
               //]]></script>"#,
            "",
        );
        assert_eq!(m.published.as_deref(), Some("2023-01-02"));
        // Broken JSON-LD (a raw newline inside a string) still gives its date.
        let m = meta_of(
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"description\":\"two\nlines\",\
             \"datePublished\":\"2022-07-08T09:10:11Z\"}</script>",
            "",
        );
        assert_eq!(m.published.as_deref(), Some("2022-07-08"));
        // One <meta> with several itemprop names.
        let m = meta_of(
            r#"<meta itemprop="datePublished dateCreated" content="2021-02-03">"#,
            "",
        );
        assert_eq!(m.published.as_deref(), Some("2021-02-03"));
    }

    #[test]
    fn the_page_address_is_its_canonical_link_else_og_url() {
        let both = r#"<meta property="og:url" content="https://b.example/og"><link rel="Canonical" href=" https://b.example/c ">"#;
        assert_eq!(meta_of(both, "").url.as_deref(), Some("https://b.example/c"));
        let og =
            r#"<link rel="canonical" href="/relative/path"><meta property="og:url" content="http://b.example/og">"#;
        assert_eq!(meta_of(og, "").url.as_deref(), Some("http://b.example/og"));
        for bad in [
            "javascript:alert(1)",
            "https:///x",
            "https://a b.example/",
            "ftp://b.example/",
        ] {
            let head = format!(r#"<link rel="canonical" href="{bad}">"#);
            assert_eq!(meta_of(&head, "").url, None, "{bad}");
        }
        assert_eq!(meta_of("", "").url, None);
    }

    #[test]
    fn publisher_sources() {
        let m = meta_of(r#"<meta property="og:site_name" content="Harbour Gazette">"#, "");
        assert_eq!(m.publisher.as_deref(), Some("Harbour Gazette"));
        let m = meta_of(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Quay Weekly"}}</script>"#,
            "",
        );
        assert_eq!(m.publisher.as_deref(), Some("Quay Weekly"));
        let m = meta_of("", "");
        assert_eq!(m.publisher, None);
    }

    #[test]
    fn related_lists_link_cards_and_embedded_quotes() {
        let html = format!(
            "<html><body><article>{}\
             <p>The mayor, <span class=\"person\"><a href=\"/p/1\">Dana Ruiz</a><span class=\"card\">\
               <a href=\"/s/1\">Ruiz opens the new ferry terminal after years of delay</a> \
               <a href=\"/s/2\">Council votes on the harbour budget for next spring</a> \
               <a href=\"/s/3\">Pilots union welcomes two new hires at the port</a></span></span>, \
               welcomed the vote on Tuesday evening.</p>\
             <div class=\"social-embed\"><blockquote><p>Proud of our harbour team today, thank you all.</p>\
               &mdash; Dana Ruiz (@danaruiz)</blockquote></div>\
             {}<h3>More Harbour Stories</h3><ul><li><a href=\"/r/1\">Tugboat parade draws record crowds</a></li>\
             <li><a href=\"/r/2\">Lighthouse keeper retires after forty years</a></li></ul></article></body></html>",
            prose("the vote", 2),
            prose("the aftermath", 2)
        );
        let b = body(&html);
        assert!(
            b.contains("The mayor, Dana Ruiz, welcomed the vote on Tuesday evening."),
            "{b}"
        );
        assert!(!b.contains("ferry terminal"), "{b}");
        assert!(b.contains("Proud of our harbour team today"), "{b}");
        assert!(!b.contains("More Harbour Stories") && !b.contains("Tugboat"), "{b}");
        assert!(b.contains("Paragraph 1 about the aftermath"));
    }

    #[test]
    fn text_split_by_line_breaks_in_a_bare_div() {
        let lines: Vec<String> = (0..6)
            .map(|i| format!("Line {i} of an old page: the ferry ran late again, and the harbour office, as usual, blamed the tide."))
            .collect();
        let html = format!(
            "<html><body><div class=\"menu\"><a href=\"/\">Home</a> | <a href=\"/a\">About</a></div>\
             <div>{}</div></body></html>",
            lines.join("<br>\n")
        );
        let c = clean_html(&html);
        let texts: Vec<&str> = c.blocks.iter().map(|b| &c.text[b.range.clone()]).collect();
        assert_eq!(texts, lines.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn form_wrapping_the_whole_page_is_kept() {
        // Some server frameworks wrap every page in one <form>.
        let html = format!(
            "<html><body><form id=\"pageform\" action=\"/\">{CHROME}<div id=\"story\">{}</div></form></body></html>",
            prose("the form page", 4)
        );
        let b = body(&html);
        assert!(b.contains("Paragraph 3 about the form page"), "{b}");
        assert_no_chrome(&b);
    }

    #[test]
    fn very_deep_nesting_does_not_crash() {
        let n = 100_000;
        let html = format!(
            "<html><body>{}<p>Deep text, at the bottom of the pile.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let c = clean_html(&html);
        assert!(c.text.contains("Deep text, at the bottom of the pile."), "{}", c.text);
        // Unclosed, mixed and deep.
        let html = "<div><span><b><i>".repeat(n / 4) + "unclosed words";
        let c = clean_html(&html);
        assert!(c.text.contains("unclosed words"));
        // The arena walk itself has no recursion limit: 100,000 nested spans, no depth cap.
        let html = format!("<body>{}inner{}</body>", "<span>".repeat(n), "</span>".repeat(n));
        let doc = Html::parse_document(&html);
        let a = build(&doc, &html);
        assert!(a.els.len() > n);
        let parts = extract_body(&a, None);
        let got: Vec<(&str, BlockKind)> = parts.iter().map(|p| (p.text.as_str(), p.kind)).collect();
        assert_eq!(got, vec![("inner", BlockKind::Paragraph)]);
    }

    /// The 1-based line of `src` on which `needle` first occurs.
    fn line_in(src: &str, needle: &str) -> usize {
        let at = src.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the page"));
        1 + line_breaks(&src[..at])
    }

    #[test]
    fn body_text_carries_the_source_line_it_came_from() {
        let src = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>Ferry timetable changes</title>\n\
            \x20 <meta name=\"description\" content=\"Four crossings a day\">\n\
            \x20 <script>var promo = \"<p>not text</p>\";</script>\n</head>\n<body>\n\
            <nav><a href=\"/\">Home</a> | <a href=\"/routes\">Routes</a></nav>\n<article>\n\
            <h2>Winter sailings</h2>\n\
            <p>The island ferry will run four crossings a day from November, the operator said,\n\
            \x20  up from three last winter. A second vessel joins the route in\n\
            \x20  <a href=\"/boats\">early December</a>, after repairs to its loading ramp.</p>\n\
            <!-- fares table moved\n     to the sidebar -->\n\
            <p class=\"fares\"\n   id=\"p2\">Fares for foot passengers rise by 6%, to &pound;4.20 &amp; the car fare\n\
            stays at &pound;31&nbsp;each way, said <b>Mara&nbsp;Quill</b>, who runs the&nbsp;service.</p>\n\
            <p>\n   &ldquo;Harbour staff counted 1,240 passengers on the busiest day of the summer,&rdquo; she added.</p>\n\
            </article>\n<footer>Harbour Gazette</footer>\n</body>\n</html>\n";
        let c = clean_html(src);
        let lines = c.file_lines();
        // (text of the body, where that text is in the page)
        for (body, page) in [
            ("Winter sailings", "Winter sailings"),
            ("The island ferry will run", "The island ferry will run"),
            ("up from three last winter", "up from three last winter"),
            ("A second vessel", "up from three last winter"),
            ("early December", "early December"),
            ("Fares for foot passengers", "Fares for foot passengers"),
            ("stays at £31 each way", "stays at &pound;31"),
            ("Mara Quill", "Mara&nbsp;Quill"),
            ("“Harbour staff counted", "&ldquo;Harbour staff"),
        ] {
            let at = c
                .text
                .find(body)
                .unwrap_or_else(|| panic!("{body:?} not in the body: {}", c.text));
            assert_eq!(lines.line(at), line_in(src, page), "{body:?}");
        }
        // Each block is on the line its text starts on, not the line of its start tag.
        let firsts: Vec<usize> = c.blocks.iter().map(|b| lines.line(b.range.start)).collect();
        assert_eq!(
            firsts,
            ["Winter sailings", "The island", "Fares for", "&ldquo;Harbour"].map(|p| line_in(src, p))
        );
    }

    #[test]
    fn lines_survive_flattening_and_markup_the_scan_misreads() {
        // Tags cut for depth keep their line breaks.
        let deep = format!(
            "<html><body>\n{}\n<p>Deep words at the bottom, on a line of their own.</p>{}</body></html>",
            "<div\nclass=\"wrap\">".repeat(MAX_DEPTH + 20),
            "</div>".repeat(MAX_DEPTH + 20)
        );
        let c = clean_html(&deep);
        let at = c.text.find("Deep words").unwrap_or(usize::MAX);
        assert_eq!(c.file_lines().line(at), line_in(&deep, "<p>Deep words"));
        // Text the tree moves (foster-parented out of a table) or that the scan cannot
        // match still gets a line of the page, and nothing panics.
        let odd = "<body>\n<table>stray\n<tr><td>cell one</td></tr>\n<tr><td>cell two</td></tr></table>\n\
                   <p>After the table.</p>\n<p>&Eacute;cole &amp; more</p>";
        let c = clean_html(odd);
        let n = line_breaks(odd) + 1;
        for b in &c.blocks {
            assert!((1..=n).contains(&c.file_lines().line(b.range.start)));
        }
        let at = c.text.find("After the table").unwrap_or(usize::MAX);
        assert_eq!(c.file_lines().line(at), line_in(odd, "After the table"));
    }

    #[test]
    fn the_depth_scan_finds_tag_ends_and_end_tags() {
        assert_eq!(find_ci(b"x</ScRiPt>", b"</script"), Some(1));
        assert_eq!(find_ci(b"<<</scrip", b"</script"), None);
        assert_eq!(find_ci(b"abc", b""), None);
        assert_eq!(find_ci(b"--->", b"-->"), Some(1));
        let b = br#"<a title="x>y" data-q='"' b=c>rest"#;
        assert_eq!(tag_close(b, 2), Some(b.len() - 5));
        assert_eq!(tag_close(b"<a title=\"never closed>", 2), None);
        assert_eq!(tag_close(b"<a", 2), None);
    }

    #[test]
    fn depth_limit_leaves_ordinary_pages_alone() {
        assert!(limit_depth("<html><body><div><p>Hi</p></div></body></html>").is_none());
        let deep = "<div>".repeat(MAX_DEPTH + 10) + "x" + &"</div>".repeat(MAX_DEPTH + 10);
        let flat = limit_depth(&deep).unwrap_or_default();
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
    }

    #[test]
    fn malformed_input_does_not_panic() {
        for src in [
            "",
            "<",
            "</",
            "<<<>>>",
            "<!--",
            "<script>",
            "<div class=\"unterminated",
            "<p>one<p>two</div></span></p></html></body>",
            "<table><tr><td>cell<table><td>inner</table>",
            "<script type=\"application/ld+json\">{not json</script>",
            "<script type=\"application/ld+json\">[[[[[[[[[[[[[[]]]]]]]]]]]]]]</script>",
            "\u{0}\u{FEFF}<html>\u{FFFD}</html>",
            "<time datetime=\"not a date\">x</time><meta name=\"date\" content=\"9999-99-99\">",
        ] {
            let c = clean_html(src);
            for b in &c.blocks {
                assert!(c.text.get(b.range.clone()).is_some());
            }
        }
    }
}
