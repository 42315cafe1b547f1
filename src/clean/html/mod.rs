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
//! Absurdly deep markup is flattened before parsing (`TUNING.depth.max_nesting`, 512
//! levels): html5ever's tree builder is quadratic in nesting depth.
//!
//! Every threshold and weight of these steps (paragraph scores, link-density limits,
//! minimum text lengths, the depth limit, class weights, the text a pass must keep) is a
//! field of one table, [`tuning::TUNING`] (`tuning.rs`), grouped by step and documented
//! with its unit; the steps read their numbers from it and hold none of their own (the
//! word patterns' own counts, such as `more (up to three words) stories`, aside).
//!
//! Metadata (title, byline, date, publisher) comes from `<meta>` tags, JSON-LD, `<time>`,
//! byline elements, `<h1>` and `<title>`.
//!
//! Every text node is given the line of the source it starts on ([`super::source`]), and
//! the layout keeps, for each block, the file line of its words where they change: the
//! body's [`SourceLines`], from which a claim takes the line an editor should jump to.

mod analyse;
mod arena;
mod build;
mod classify;
mod depth;
mod jsonld;
mod layout;
mod metadata;
mod prune;
mod select;
pub mod tuning;
mod words;

use scraper::Html;

use super::{Block, Cleaned, Format};
use crate::lines::SourceLines;

use analyse::{Pass, analyse};
use arena::Arena;
use build::build;
use depth::limit_depth;
use layout::{Part, layout};
use metadata::extract_meta;
use prune::prune;
use select::{narrow, score, select};
use tuning::TUNING;

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
        if len >= TUNING.passes.enough_chars {
            return blocks;
        }
        if best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, blocks));
        }
    }
    best.map(|(_, b)| b).unwrap_or_default()
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
    use super::depth::{find_ci, tag_close};
    use super::*;
    use crate::clean::{BlockKind, Meta};
    use crate::lines::line_breaks;

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
            "<div\nclass=\"wrap\">".repeat(TUNING.depth.max_nesting + 20),
            "</div>".repeat(TUNING.depth.max_nesting + 20)
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
        let deep =
            "<div>".repeat(TUNING.depth.max_nesting + 10) + "x" + &"</div>".repeat(TUNING.depth.max_nesting + 10);
        let flat = limit_depth(&deep).unwrap_or_default();
        assert_eq!(flat.matches("<div>").count(), TUNING.depth.max_nesting);
        assert_eq!(flat.matches("</div>").count(), TUNING.depth.max_nesting);
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
