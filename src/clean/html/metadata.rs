//! Page metadata: title, byline, publisher, date and address from `<meta>` tags,
//! JSON-LD, `<time>`, byline elements, `<h1>` and `<title>`.

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::{Meta, meta};

use super::arena::{Arena, F_DROP, NONE, Tag};
use super::jsonld::{LdFacts, json_ld};
use super::tuning::TUNING;
use super::words::{collapse, raw_text, similar};

fn meta_value<'a>(a: &'a Arena, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        a.metas
            .iter()
            .find(|(key, v)| key == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
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
        || s.len() > TUNING.meta.byline_max_bytes
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
            let tune = &TUNING.meta;
            if tail_is_site
                || (head_words >= tune.site_suffix_min_head_words
                    && tail_words <= tune.site_suffix_max_tail_words
                    && tail_words < head_words)
            {
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
    while p != NONE && steps < TUNING.meta.chrome_max_steps {
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
pub(super) fn extract_meta(a: &Arena) -> Meta {
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
                clean_byline(&t).filter(|t| t.split_whitespace().count() <= TUNING.meta.byline_max_words)
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
