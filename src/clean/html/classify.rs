//! What an element's tag and attributes say: chrome (`<nav>`, `hidden`,
//! `role=navigation`), unlikely, junk, caption, byline, article body, and readability's
//! class weight (`class="sidebar"` -25, `id="article"` +25).

use std::sync::LazyLock;

use regex::Regex;

use super::arena::{F_BODY_HINT, F_BYLINE, F_CAPTION, F_DROP, F_HASH_LINK, F_JSONLD, F_JUNK, F_UNLIKELY, Tag};
use super::tuning::TUNING;

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
pub(super) static CHROME: LazyLock<Regex> = LazyLock::new(|| {
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
pub(super) fn classify(tag: Tag, el: &scraper::node::Element) -> (u32, i32) {
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

/// `itemprop=articleBody` (the body, `TUNING.classes.article_body`) and `itemprop=author` / `rel=author` (a byline).
fn itemprop_hints(el: &scraper::node::Element) -> (u32, i32) {
    let mut flags = 0;
    let mut weight = 0;
    let itemprop = el.attr("itemprop").unwrap_or("");
    if itemprop.eq_ignore_ascii_case("articleBody") {
        flags |= F_BODY_HINT;
        weight += TUNING.classes.article_body;
    }
    if itemprop.to_ascii_lowercase().split_whitespace().any(|p| p == "author") || el.attr("rel") == Some("author") {
        flags |= F_BYLINE;
    }
    (flags, weight)
}

/// Readability's class weight: `class="sidebar"` -25, `id="article"` +25, per attribute
/// (`TUNING.classes`).
fn class_weight(class: &str, id: &str) -> i32 {
    let mut weight = 0;
    for attr in [class, id] {
        if attr.is_empty() {
            continue;
        }
        if NEGATIVE.is_match(attr) {
            weight += TUNING.classes.negative;
        }
        if POSITIVE.is_match(attr) {
            weight += TUNING.classes.positive;
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
