//! The arena a page is copied into: elements in document order (`El`), their
//! open/close/text events (`Ev`), what the extractor knows of a tag (`Tag`), element flags,
//! and the walks over it ("the children of `<ul>`", "the next sibling of `<h2>`").

use std::num::NonZeroU32;

/// No element: the parent of the root, a search that found nothing.
pub(super) const NONE: usize = usize::MAX;

/// What the extractor needs to know about an element's tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
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

pub(super) fn tag_of(name: &str) -> Tag {
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
    pub(super) fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Inline | Tag::A | Tag::Img | Tag::Time | Tag::Td | Tag::Th | Tag::Input | Tag::Embed
        )
    }

    pub(super) fn is_heading(self) -> bool {
        matches!(self, Tag::H1 | Tag::H(_))
    }

    /// Elements whose text readability scores as a paragraph.
    pub(super) fn is_para(self) -> bool {
        matches!(
            self,
            Tag::P | Tag::Pre | Tag::Td | Tag::H(_) | Tag::Blockquote | Tag::Dd
        )
    }

    /// Elements that, as children, make a `<div>` a container rather than a paragraph.
    pub(super) fn breaks_div(self) -> bool {
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
pub(super) const F_DROP: u32 = 1;
/// Class/id says "not content" (sidebar, related, ...): dropped in the strict pass.
pub(super) const F_UNLIKELY: u32 = 1 << 1;
/// A link to an anchor on the same page.
pub(super) const F_HASH_LINK: u32 = 1 << 2;
/// Class/id says "share", "promo", "newsletter", "ad"...: dropped from the content when small.
pub(super) const F_JUNK: u32 = 1 << 3;
/// A byline element (`rel=author`, `.byline`, `itemprop=author`, ...).
pub(super) const F_BYLINE: u32 = 1 << 4;
/// `itemprop=articleBody` or a class/id like `article-body`, `story-body`, `entry-content`.
pub(super) const F_BODY_HINT: u32 = 1 << 5;
/// `script type=application/ld+json`.
pub(super) const F_JSONLD: u32 = 1 << 6;
/// Class/id hints at a caption, credit or meta line (dropped when short).
pub(super) const F_CAPTION: u32 = 1 << 7;
/// Holds a `<blockquote>` (an embedded post or a quotation): not unlikely, whatever the class.
pub(super) const F_HAS_QUOTE: u32 = 1 << 8;

pub(super) struct El {
    pub(super) tag: Tag,
    pub(super) parent: usize,
    /// Index of this element's `Open` event; `end` is one past its `Close` event.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) flags: u32,
    /// Class/id weight (readability: +25 positive, -25 negative, per attribute; `TUNING.classes`).
    pub(super) weight: i32,
    /// Has a child that makes it a container rather than a paragraph.
    pub(super) has_block_child: bool,
    /// Hash of the class attribute (siblings of one kind share it).
    pub(super) class_hash: u64,
}

pub(super) enum Ev {
    Open(usize),
    Close(usize),
    /// Text owned by an element: a range of `Arena::text`, and the file line its first
    /// byte comes from when the source scan found it (the line costs the event no room).
    Text(usize, usize, usize, Option<NonZeroU32>),
}

#[derive(Default)]
pub(super) struct Arena {
    pub(super) els: Vec<El>,
    pub(super) evs: Vec<Ev>,
    pub(super) text: String,
    pub(super) metas: Vec<(String, String)>,
    /// Values of `<time datetime>` / `pubdate`, with the element.
    pub(super) times: Vec<(usize, String)>,
    /// `rel=author` / `itemprop=author` / `.byline` / `.author` elements, and `itemprop=author`
    /// `content` attribute values.
    pub(super) byline_els: Vec<usize>,
    pub(super) byline_attrs: Vec<String>,
    /// `<sup>` elements (ascending): their digits become superscript digits, so a
    /// footnote `.<sup>4</sup>` stays a marker instead of gluing onto the text ("2025.4").
    pub(super) sups: Vec<usize>,
}

pub(super) fn children(a: &Arena, i: usize) -> Vec<usize> {
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

/// The next element with the same parent.
pub(super) fn next_sibling(a: &Arena, i: usize) -> Option<usize> {
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
