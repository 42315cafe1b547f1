//! Article facts (headline, author, date, publisher) from JSON-LD blocks, broken ones
//! included.

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::meta;

use super::arena::{Arena, El, Ev, F_JSONLD};
use super::tuning::TUNING;

/// Article facts from JSON-LD blocks.
#[derive(Default)]
pub(super) struct LdFacts {
    pub(super) headline: Option<String>,
    pub(super) author: Option<String>,
    pub(super) published: Option<String>,
    pub(super) publisher: Option<String>,
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
pub(super) fn json_ld(a: &Arena) -> LdFacts {
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
/// flattened, without recursion (at most one more than `TUNING.meta.ld_max_objects`).
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
        if objects.len() > TUNING.meta.ld_max_objects {
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
