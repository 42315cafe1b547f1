//! Article metadata: title, byline, publisher and publication date.

use std::sync::LazyLock;

use regex::Regex;

use super::{Format, Meta};
use crate::words;

/// The English month names, January first, from `data/words/months.txt`.
pub static MONTHS: LazyLock<Vec<&'static str>> = LazyLock::new(|| month_table().map(|(month, _)| month).collect());

/// Every month name and the abbreviations news writes for them ("Jan", "Sept"), from
/// `data/words/months.txt`.
pub static MONTH_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    month_table()
        .flat_map(|(month, short)| std::iter::once(month).chain(short))
        .collect()
});

fn month_table() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    words::headed(words::MONTHS)
}

/// The name of month `m` (1-12).
pub fn month_name(m: u32) -> Option<&'static str> {
    MONTHS.get(usize::try_from(m).ok()?.checked_sub(1)?).copied()
}

/// Month number (1-12) from an English month name or its three-letter (or `Sept`) abbreviation.
pub fn month_number(name: &str) -> Option<u32> {
    // Compared ignoring ASCII case without a lower-cased copy: called for every
    // capitalised word of every sentence with a figure.
    let n = name.trim_end_matches('.');
    if n.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            m.eq_ignore_ascii_case(n)
                || (n.len() <= 4 && m.len() >= n.len() && m.as_bytes()[..n.len()].eq_ignore_ascii_case(n.as_bytes()))
        })
        .map(|i| i as u32 + 1)
}

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T|\b)").expect("static regex"));
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b").expect("static regex")
});
static MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").expect("static regex")
});

/// A calendar date as `YYYY-MM-DD`, if there is one (jiff knows the length of every
/// month, leap years included: no `2026-02-31`), in a plausible year for news.
fn ymd(y: &str, m: u32, d: &str) -> Option<String> {
    let y: i16 = y.parse().ok().filter(|y| (1000..=2999).contains(y))?;
    let date = jiff::civil::Date::new(y, i8::try_from(m).ok()?, d.parse().ok()?).ok()?;
    Some(date.to_string())
}

/// The first date in `s` as `YYYY-MM-DD`: `2026-04-13`, `2026-04-13T09:00:00Z`,
/// `11 May 2026`, `March 3, 2026`, `Mar 3 2026`.
pub fn parse_date(s: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    let mut consider = |at: usize, v: Option<String>| {
        if let Some(v) = v
            && best.as_ref().is_none_or(|(b, _)| at < *b)
        {
            best = Some((at, v));
        }
    };
    if let Some(c) = ISO_DATE.captures(s) {
        let m = c[2].parse().ok();
        consider(c.get(0).map_or(0, |m| m.start()), m.and_then(|m| ymd(&c[1], m, &c[3])));
    }
    if let Some(c) = DMY.captures(s) {
        consider(
            c.get(0).map_or(0, |m| m.start()),
            month_number(&c[2]).and_then(|m| ymd(&c[3], m, &c[1])),
        );
    }
    if let Some(c) = MDY.captures(s) {
        consider(
            c.get(0).map_or(0, |m| m.start()),
            month_number(&c[1]).and_then(|m| ymd(&c[3], m, &c[2])),
        );
    }
    best.map(|(_, v)| v)
}

/// A line without Markdown heading marks and emphasis, trimmed.
pub fn strip_heading(line: &str) -> &str {
    line.trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches(['*', '_'])
        .trim()
}

static BYLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:by|written by|words by|author:)\s+(.+)$").expect("static regex"));
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(source|publisher|published by|date|published|updated|posted|dateline)\s*:\s*(.*)$")
        .expect("static regex")
});

/// A line opening with a date label and no colon, the article's text run on after it
/// ("date 2024-04-02 Sales of ..."), as page stores and feeds write them.
static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:date|published|posted|dateline)\s+(\d{4}-\d{2}-\d{2})\b").expect("static regex")
});

static BY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s*_(])(?i:by)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}\.?)?(?:\s+\p{Lu}[\p{L}'’-]+){1,2})(?:$|[\s,;.*_)|])",
    )
    .expect("static regex")
});
static FROM_SITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^From (?:the )?(\p{Lu}[\p{L}\d .&'-]{1,60}?)(?:, the free encyclopedia)?\.?$").expect("static regex")
});

/// A person's name as written in a byline: up to the first separator, without a trailing role.
fn clean_name(raw: &str) -> Option<String> {
    let name = raw
        .split(['|', '·', '—', '–'])
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches([',', '.'])
        .trim();
    // A date after the name ("Ada Lin, 3 March 2026") is not part of it.
    let name = match name.find(|c: char| c.is_ascii_digit()) {
        Some(i) => name[..i].trim().trim_end_matches(',').trim(),
        None => name,
    };
    let words = name.split_whitespace().count();
    let starts_upper = name.chars().next().is_some_and(char::is_uppercase);
    (starts_upper && (1..=8).contains(&words) && name.len() <= 80).then(|| name.to_string())
}

fn is_meta_line(line: &str) -> bool {
    BYLINE.is_match(line) || LABEL.is_match(line) || line.eq_ignore_ascii_case("by")
}

/// Metadata from the kept lines of a plain-text or Markdown article.
pub fn text_meta(lines: &[&str], format: Format) -> Meta {
    let mut meta = Meta::default();
    let trimmed: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    meta.title = title_line(&trimmed, format);
    read_labels(&trimmed, &mut meta);
    if meta.byline.is_none() {
        meta.byline = byline_near_ends(&trimmed);
    }
    // "From the Open Tech Encyclopedia" under a wiki-style title.
    if meta.publisher.is_none() {
        meta.publisher = trimmed
            .iter()
            .take(5)
            .find_map(|l| FROM_SITE.captures(l).map(|c| c[1].trim().to_string()));
    }
    if meta.published.is_none() {
        meta.published = date_near_top(&trimmed);
    }
    meta
}

/// The title: the first heading-like line (a Markdown `# ` heading wins in Markdown).
fn title_line(trimmed: &[&str], format: Format) -> Option<String> {
    let mut title = None;
    if format == Format::Markdown {
        title = trimmed
            .iter()
            .find(|l| l.starts_with("# "))
            .map(|l| strip_heading(l).to_string());
    }
    // A line printed twice in a row near the top is the headline (captures repeat it).
    if title.is_none() {
        title = trimmed
            .iter()
            .take(15)
            .zip(trimmed.iter().skip(1))
            .find(|(a, b)| a == b && !is_meta_line(a) && a.len() <= 200)
            .map(|(a, _)| strip_heading(a).to_string());
    }
    if title.is_none() {
        title = trimmed
            .iter()
            .take(12)
            .map(|l| strip_heading(l))
            .find(|l| {
                !l.is_empty()
                    && l.len() <= 200
                    && !is_meta_line(l)
                    && parse_date(l).is_none_or(|_| l.len() > 40)
                    && !l.starts_with("---")
            })
            .map(str::to_string);
    }
    title
}

/// Reads "By Ada Lin" (or "By" over a name), "Source: ...", "Date: ..." lines into the
/// byline, publisher (the last one wins) and date.
fn read_labels(trimmed: &[&str], meta: &mut Meta) {
    for (i, line) in trimmed.iter().enumerate() {
        let line = strip_heading(line);
        if meta.byline.is_none() {
            if let Some(c) = BYLINE.captures(line) {
                meta.byline = clean_name(&c[1]);
            } else if line.eq_ignore_ascii_case("by") {
                meta.byline = trimmed.get(i + 1).and_then(|n| clean_name(n));
            }
        }
        if let Some(c) = LABEL.captures(line) {
            let label = c[1].to_ascii_lowercase();
            let value = c[2].trim();
            match label.as_str() {
                "source" | "publisher" | "published by" if !value.is_empty() => {
                    // The last footer wins: a "Source:" at the end names the publisher.
                    meta.publisher = Some(value.trim_end_matches('.').to_string());
                }
                "date" | "published" | "posted" | "dateline" if meta.published.is_none() => {
                    meta.published = parse_date(value);
                }
                _ => {}
            }
        }
    }
}

/// "Research note by Ada Lin, March 3" near the top, "Reporting by Ada Lin; editing by ..."
/// near the end: a short line with "by" and a name.
fn byline_near_ends(trimmed: &[&str]) -> Option<String> {
    let n = trimmed.len();
    trimmed
        .iter()
        .enumerate()
        .filter(|(i, l)| (*i < 8 || *i + 8 >= n) && l.len() <= 120)
        .find_map(|(_, l)| BY_NAME.captures(l).map(|c| c[1].to_string()))
}

/// A bare date line near the top ("March 3, 2026"), or a date after the byline; else a
/// labelled date the text runs on after ("date 2024-04-02 Sales of ...").
fn date_near_top(trimmed: &[&str]) -> Option<String> {
    trimmed
        .iter()
        .take(15)
        .filter(|l| l.len() <= 60)
        .find_map(|l| parse_date(l))
        .or_else(|| {
            trimmed
                .iter()
                .take(3)
                .find_map(|l| LEADING_DATE.captures(l).and_then(|c| parse_date(&c[1])))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_january_first() {
        assert_eq!(MONTHS.len(), 12);
        assert_eq!((MONTHS[0], MONTHS[11]), ("January", "December"));
        assert_eq!(month_number("Sept."), Some(9));
        assert!(MONTH_WORDS.contains(&"Sept") && MONTH_WORDS.contains(&"May"));
    }

    #[test]
    fn a_date_label_without_colon_opens_the_text() {
        let m = text_meta(
            &["date 2024-04-02 Sales of widgets fell 9% last quarter.", "More text."],
            Format::Text,
        );
        assert_eq!(m.published.as_deref(), Some("2024-04-02"));
        let m = text_meta(
            &["Dated 2024-04-02, the letters were lost in a fire at the depot that same week."],
            Format::Text,
        );
        assert_eq!(m.published, None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("Date: 11 May 2026").as_deref(), Some("2026-05-11"));
        assert_eq!(parse_date("Published: 2026-04-13").as_deref(), Some("2026-04-13"));
        assert_eq!(parse_date("March 3, 2026").as_deref(), Some("2026-03-03"));
        assert_eq!(parse_date("Sept. 9 2025").as_deref(), Some("2025-09-09"));
        // No such days: February has 28 days in 2026 and 29 in 2024.
        assert_eq!(parse_date("2026-02-30T10:00:00Z"), None);
        assert_eq!(parse_date("29 February 2026"), None);
        assert_eq!(parse_date("2026-04-31"), None);
        assert_eq!(parse_date("Feb 29, 2024").as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("in 2019"), None);
        assert_eq!(parse_date("13 Mayo 2026"), None);
    }

    #[test]
    fn meta_from_lines() {
        let lines = [
            "Cloud Deals Reshape AI",
            "By",
            "Craig Nash",
            "March 3, 2026",
            "Text of the article with $10 billion.",
            "Source: The Verge",
        ];
        let m = text_meta(&lines, Format::Text);
        assert_eq!(m.title.as_deref(), Some("Cloud Deals Reshape AI"));
        assert_eq!(m.byline.as_deref(), Some("Craig Nash"));
        assert_eq!(m.publisher.as_deref(), Some("The Verge"));
        assert_eq!(m.published.as_deref(), Some("2026-03-03"));
    }

    #[test]
    fn bylines_inside_lines_and_wiki_publishers() {
        let m = text_meta(
            &[
                "A Title",
                "*Research note by Sofia Brennan, March 18, 2026*",
                "Body text here.",
            ],
            Format::Markdown,
        );
        assert_eq!(m.byline.as_deref(), Some("Sofia Brennan"));
        assert_eq!(m.published.as_deref(), Some("2026-03-18"));
        let m = text_meta(
            &[
                "Title",
                "Body.",
                "Reporting by Tomas Lindqvist; editing by Ruth Adebayo",
            ],
            Format::Text,
        );
        assert_eq!(m.byline.as_deref(), Some("Tomas Lindqvist"));
        let m = text_meta(&["Site Name", "The Headline", "The Headline", "Body."], Format::Text);
        assert_eq!(m.title.as_deref(), Some("The Headline"));
        let m = text_meta(
            &["Cloud partners", "From the Open Tech Encyclopedia", "Body."],
            Format::Text,
        );
        assert_eq!(m.publisher.as_deref(), Some("Open Tech Encyclopedia"));
        let m = text_meta(
            &["Title", "Shares were bought by the fund in 2019 at a high price."],
            Format::Text,
        );
        assert_eq!(m.byline, None);
    }

    #[test]
    fn byline_names() {
        assert_eq!(clean_name("Craig Nash | Reporter").as_deref(), Some("Craig Nash"));
        assert_eq!(clean_name("Ada Lin, 3 March 2026").as_deref(), Some("Ada Lin"));
        assert_eq!(clean_name("the way"), None);
    }
}
