//! The conflict report in four formats over the same [`Disagreement`]s: Markdown for a
//! terminal or a code host, JSON (the SPEC's fields), CSV (one row per value) and one
//! self-contained HTML page with a chart per disagreement.

pub mod csv;
pub mod html;
pub mod json;
pub mod links;
pub mod markdown;
mod timeline;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use crate::reconcile::{CitedSource, Disagreement, Verdict};

/// Values a report for reading (Markdown, HTML) shows per cluster of agreeing figures,
/// and per group; JSON, JSONL and CSV hold every one.
pub const ROWS_PER_CLUSTER: usize = 10;
pub const ROWS_PER_GROUP: usize = 20;

/// A group as a report for reading shows it: its values in order, at most
/// [`ROWS_PER_CLUSTER`] of a cluster and [`ROWS_PER_GROUP`] in all, and the lines that say
/// what was left out ([`more_lines`]).
pub fn capped(g: &Disagreement) -> (Cow<'_, Disagreement>, Vec<String>) {
    let mut shown: BTreeMap<usize, usize> = BTreeMap::new();
    let mut hidden: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = 0;
    let mut keep = |c: usize| {
        let n = shown.entry(c).or_default();
        if *n < ROWS_PER_CLUSTER && kept < ROWS_PER_GROUP {
            *n += 1;
            kept += 1;
            true
        } else {
            *hidden.entry(c).or_default() += 1;
            false
        }
    };
    let flags: Vec<bool> = g.values.iter().map(|v| keep(v.cluster)).collect();
    if hidden.is_empty() {
        return (Cow::Borrowed(g), Vec::new());
    }
    let values = (g.values.iter().zip(&flags))
        .filter(|(_, k)| **k)
        .map(|(v, _)| v.clone())
        .collect();
    let shown = Disagreement {
        subject: g.subject.clone(),
        counterpart: g.counterpart.clone(),
        metric: g.metric.clone(),
        unit: g.unit.clone(),
        key: g.key.clone(),
        verdict: g.verdict,
        reason: g.reason.clone(),
        preferred: g.preferred.clone(),
        articles: g.articles,
        values,
    };
    (Cow::Owned(shown), more_lines(&hidden))
}

/// What a capped group leaves out: a line per cluster cut ("and 15 more agreeing figures
/// (cluster 0; ...)"), or one line for them all when more than three clusters were cut.
fn more_lines(hidden: &BTreeMap<usize, usize>) -> Vec<String> {
    const EVERY: &str = "--format json lists every one";
    let plural = |n: usize| if n == 1 { "figure" } else { "figures" };
    if hidden.len() > 3 {
        let n: usize = hidden.values().sum();
        return vec![format!(
            "and {n} more {} in {} clusters ({EVERY})",
            plural(n),
            hidden.len()
        )];
    }
    (hidden.iter())
        .map(|(c, n)| format!("and {n} more agreeing {} (cluster {c}; {EVERY})", plural(*n)))
        .collect()
}

/// A sentence as a report for reading shows it: without its footnote markers (`[^3]`,
/// whose sources the report lists beside it) and a Markdown table row as its cells
/// ("OpenAI · Amazon · $38 billion"), not as pipes.
pub fn shown_sentence(sentence: &str) -> Cow<'_, str> {
    let t = sentence.trim();
    let row = t.len() > 2 && t.starts_with('|') && t.ends_with('|');
    if !row && !sentence.contains("[^") {
        return Cow::Borrowed(sentence);
    }
    let mut out = String::with_capacity(sentence.len());
    let mut rest = sentence;
    while let Some(at) = rest.find("[^") {
        out.push_str(&rest[..at]);
        match rest[at..].find(']') {
            Some(end) if rest[at + 2..at + end].chars().all(|c| c.is_alphanumeric()) => rest = &rest[at + end + 1..],
            _ => {
                out.push_str("[^");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    if row {
        let cells: Vec<&str> = out.trim().trim_matches('|').split('|').map(str::trim).collect();
        out = cells.join(" \u{b7} ");
    }
    Cow::Owned(out)
}

/// A report format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    /// One group per line.
    Jsonl,
    Csv,
    Html,
}

/// The groups of a report, in report order, read as often as a format needs (the summary,
/// then the sections): held in memory, or read back from disk a batch at a time.
pub trait Groups: Sync {
    /// How many groups carry each verdict.
    fn counts(&self) -> Counts;
    /// Calls `f` with the groups in order, a batch at a time.
    fn each_batch(&self, f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>) -> io::Result<()>;
}

impl Groups for &[Disagreement] {
    fn counts(&self) -> Counts {
        let n = |v: Verdict| self.iter().filter(|g| g.verdict == v).count();
        Counts {
            conflict: n(Verdict::Conflict),
            unresolved: n(Verdict::Unresolved),
            explained: n(Verdict::Explained),
            consistent: n(Verdict::Consistent),
        }
    }

    fn each_batch(&self, f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>) -> io::Result<()> {
        f(self)
    }
}

impl Groups for Vec<Disagreement> {
    fn counts(&self) -> Counts {
        self.as_slice().counts()
    }

    fn each_batch(&self, f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>) -> io::Result<()> {
        f(self)
    }
}

/// How many groups carry each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub conflict: usize,
    pub unresolved: usize,
    pub explained: usize,
    pub consistent: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.conflict + self.unresolved + self.explained + self.consistent
    }

    /// The count of groups with verdict `v`.
    pub fn of(&mut self, v: Verdict) -> &mut usize {
        match v {
            Verdict::Conflict => &mut self.conflict,
            Verdict::Unresolved => &mut self.unresolved,
            Verdict::Explained => &mut self.explained,
            Verdict::Consistent => &mut self.consistent,
        }
    }
}

/// Calls `f` with each group and its place in the report (0-based).
pub(crate) fn each_group(
    groups: &dyn Groups,
    mut f: impl FnMut(usize, &Disagreement) -> io::Result<()>,
) -> io::Result<()> {
    let mut i = 0;
    groups.each_batch(&mut |batch| {
        for g in batch {
            f(i, g)?;
            i += 1;
        }
        Ok(())
    })
}

/// Writes the report in `format`, its links to articles relative to the working folder.
pub fn render(groups: &[Disagreement], format: Format, out: &mut dyn Write) -> io::Result<()> {
    render_in(&groups, format, Path::new("."), out)
}

/// Writes the report in `format` for a file in folder `dir`: the HTML page's links to
/// articles are relative to `dir`, so they still open when the page is read where it is.
pub fn render_in(groups: &dyn Groups, format: Format, dir: &Path, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Markdown => markdown::render(groups, out),
        Format::Json => json::render(groups, out),
        Format::Jsonl => json::render_lines(groups, out),
        Format::Csv => csv::render(groups, out),
        Format::Html => html::render(groups, &html::Links::from(dir), out),
    }
}

/// The report as a string.
pub fn render_to_string(groups: &[Disagreement], format: Format) -> io::Result<String> {
    let mut buf = Vec::new();
    render(groups, format, &mut buf)?;
    String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// How many groups carry each verdict: (conflicts, unresolved, explained, consistent).
pub fn counts(groups: &[Disagreement]) -> (usize, usize, usize, usize) {
    let n = Groups::counts(&groups);
    (n.conflict, n.unresolved, n.explained, n.consistent)
}

/// One line of summary: "3 groups: 1 conflict, 0 unresolved, 1 explained, 1 consistent."
pub fn summary_line(n: Counts) -> String {
    let (c, u, e, k, all) = (n.conflict, n.unresolved, n.explained, n.consistent, n.total());
    let plural = |n: usize, s: &str, p: &str| if n == 1 { s.to_string() } else { p.to_string() };
    format!(
        "{all} {}: {c} {}, {u} unresolved, {e} explained, {k} consistent.",
        plural(all, "group", "groups"),
        plural(c, "conflict", "conflicts"),
    )
}

/// What `ingest` can print after a run: how many groups disagree and the command that
/// shows them ("2 disagreements (1 conflict, 1 explained) and 3 consistent figures; see
/// `claimdex conflicts`.").
pub fn ingest_summary(groups: &[Disagreement]) -> String {
    let (c, u, e, k) = counts(groups);
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{} disagreement{} ({c} conflict{}, {u} unresolved, {e} explained) and {k} consistent figure{}; see `claimdex conflicts`.",
        c + u + e,
        s(c + u + e),
        s(c),
        s(k)
    )
}

/// The group's heading: "Amazon / OpenAI: deal value (USD)".
pub fn title(g: &Disagreement) -> String {
    match &g.counterpart {
        Some(cp) => format!("{} / {}: {} ({})", g.subject, cp, g.metric, g.unit),
        None => format!("{}: {} ({})", g.subject, g.metric, g.unit),
    }
}

/// A cited source: "16. Title (2026-04-13)".
pub fn cited_text(c: &CitedSource) -> String {
    match &c.date {
        Some(d) => format!("{}. {} ({d})", c.n, c.title),
        None => format!("{}. {}", c.n, c.title),
    }
}

/// A value with its unit for people: `$13 billion`, `32%`, `2 GW`, `1,500`.
pub fn human_value(value: f64, value_max: Option<f64>, unit: &str) -> String {
    match value_max {
        Some(m) if m != value => format!("{} to {}", human_value(value, None, unit), human_value(m, None, unit)),
        _ => human_one(value, unit),
    }
}

fn human_one(v: f64, unit: &str) -> String {
    if !v.is_finite() {
        return format!("{v} {unit}");
    }
    let scaled = |v: f64, units: &[(f64, &str)]| -> String {
        for &(f, name) in units {
            if v.abs() >= f {
                return format!("{}{name}", trim_number(v / f));
            }
        }
        trim_number(v)
    };
    let big = [(1e12, " trillion"), (1e9, " billion"), (1e6, " million")];
    match unit {
        "USD" | "EUR" | "GBP" | "JPY" => {
            let sym = match unit {
                "USD" => "$",
                "EUR" => "\u{20ac}",
                "GBP" => "\u{a3}",
                _ => "\u{a5}",
            };
            let (sign, v) = if v < 0.0 { ("-", -v) } else { ("", v) };
            format!("{sign}{sym}{}", scaled(v, &big))
        }
        "%" => format!("{}%", trim_number(v)),
        "pp" => format!("{} pp", trim_number(v)),
        "W" | "Wh" => {
            let prefixes = [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")];
            for (f, p) in prefixes {
                if v.abs() >= f {
                    return format!("{}{p}{unit}", trim_number(v / f));
                }
            }
            format!("{} {unit}", trim_number(v))
        }
        "count" => scaled(v, &big),
        "year" => format!("{} years", trim_number(v)),
        "x" => format!("{}x", trim_number(v)),
        other => format!("{} {other}", scaled(v, &big)),
    }
}

/// At most three decimals, trailing zeros dropped, thousands grouped.
fn trim_number(v: f64) -> String {
    let s = format!("{:.3}", v);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s, String::new()),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{frac}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Claim, IndexedClaim, Kind, Qualifier, Source};
    use crate::reconcile::{self, Options};

    #[test]
    fn human_values() {
        assert_eq!(human_value(13e9, None, "USD"), "$13 billion");
        assert_eq!(human_value(13.2e9, None, "USD"), "$13.2 billion");
        assert_eq!(human_value(30.0, Some(40.0), "%"), "30% to 40%");
        assert_eq!(human_value(2e9, None, "W"), "2 GW");
        assert_eq!(human_value(1500.0, None, "count"), "1,500");
        assert_eq!(human_value(350e6, None, "GBP"), "\u{a3}350 million");
        assert_eq!(human_value(-3.0, None, "%"), "-3%");
    }

    /// Claims with hostile text in every field a report prints.
    pub(crate) fn hostile_claims() -> Vec<IndexedClaim> {
        let evil = "<script>alert(1)</script>";
        let attr = "\"><img src=x onerror=alert(1)>";
        let claim = |path: &str, text: &str, value: f64| IndexedClaim {
            path: format!("corpus/{path}"),
            title: Some(format!("{attr} title")),
            published: Some("2026-01-02".into()),
            publisher: None,
            url: None,
            claim: Claim {
                kind: Kind::Money,
                text: text.into(),
                line: 7,
                start: 0,
                end: 0,
                value,
                value_max: None,
                unit: "USD".into(),
                qualifier: Qualifier::Exact,
                direction: None,
                period: Some("2026-02".into()),
                subject: Some(format!("Evil{evil}")),
                entities: vec![],
                metric: Some(format!("revenue {attr}")),
                noun: None,
                measure: Default::default(),
                sentence: format!("=HYPERLINK(\"x\") said {evil} | {attr}\nsecond line {text}").into(),
                citations: vec![1],
            },
            cited: vec![Source {
                n: 1,
                title: format!("{evil} source"),
                date: Some("2026-01-01".into()),
            }],
        };
        vec![
            claim("a<b>.txt", "$10 billion", 10e9),
            claim("b\"q.txt", "$13 billion", 13e9),
        ]
    }

    pub(crate) fn sample_report() -> Vec<Disagreement> {
        reconcile::reconcile(&hostile_claims(), &Options::default())
    }

    #[test]
    fn sentences_are_shown_without_markdown_artefacts() {
        assert_eq!(
            shown_sentence("It paid $22.4 billion[^3][^4]."),
            "It paid $22.4 billion."
        );
        assert_eq!(
            shown_sentence("| OpenAI | Amazon (AWS) | $38 billion |"),
            "OpenAI \u{b7} Amazon (AWS) \u{b7} $38 billion"
        );
        assert_eq!(shown_sentence("A [^ caret] stays."), "A [^ caret] stays.");
        assert!(matches!(shown_sentence("Plain text."), Cow::Borrowed(_)));
    }

    /// A report for reading shows at most ten values of a cluster and says how many more
    /// it holds; JSON keeps every value.
    #[test]
    fn a_report_for_reading_caps_the_rows_of_a_cluster() {
        let mut g = sample_report().into_iter().next().unwrap_or_else(|| unreachable!());
        let one = g.values[0].clone();
        g.values = (0..28)
            .map(|i| {
                let mut v = one.clone();
                v.cluster = usize::from(i >= 25);
                v.line = i + 1;
                v
            })
            .collect();
        let groups = [g];
        let md = render_to_string(&groups, Format::Markdown).unwrap_or_default();
        assert!(md.contains("and 15 more agreeing figures (cluster 0;"), "{md}");
        assert!(!md.contains("(cluster 1;"), "{md}");
        let row = format!("| {} |", markdown::escape(&one.text));
        assert_eq!(md.lines().filter(|l| l.starts_with(&row)).count(), 13, "{md}");
        let html = render_to_string(&groups, Format::Html).unwrap_or_default();
        assert_eq!(html.matches("<tr class=\"c").count(), 13, "{html}");
        assert!(html.contains("<tr class=\"more\"><td colspan=\"6\">and 15 more agreeing figures"));
        let json = render_to_string(&groups, Format::Json).unwrap_or_default();
        assert_eq!(json.matches("\"cluster\"").count(), 28);
        // Thirty clusters of one figure: twenty shown, the rest said in one line.
        let mut g = groups[0].clone();
        for (i, v) in g.values.iter_mut().enumerate().take(30) {
            v.cluster = i;
        }
        g.values.truncate(28);
        let (shown, more) = capped(&g);
        assert_eq!(shown.values.len(), ROWS_PER_GROUP);
        assert_eq!(
            more,
            ["and 8 more figures in 8 clusters (--format json lists every one)"]
        );
    }

    #[test]
    fn four_formats_carry_the_same_disagreements() {
        let mut claims = hostile_claims();
        // Plus a consistent group and an explained one.
        for (i, (v, period)) in [(45.0, "2025"), (45.0, "2025"), (30.0, "2024")].iter().enumerate() {
            let mut c = claims[0].clone();
            c.path = format!("corpus/p{i}.txt");
            c.claim.unit = "%".into();
            c.claim.text = format!("{v}%");
            c.claim.value = *v;
            c.claim.subject = Some("Microsoft".into());
            c.claim.metric = Some(if i < 2 { "share of backlog" } else { "stake" }.into());
            c.claim.period = Some((*period).into());
            claims.push(c);
        }
        let mut c = claims[4].clone();
        c.path = "corpus/p3.txt".into();
        c.claim.text = "27%".into();
        c.claim.value = 27.0;
        c.claim.period = Some("2025".into());
        claims.push(c);
        let groups = reconcile::reconcile(&claims, &Options::default());
        assert_eq!(
            groups.iter().map(|g| g.verdict).collect::<Vec<_>>(),
            [Verdict::Conflict, Verdict::Explained, Verdict::Consistent]
        );
        let json = render_to_string(&groups, Format::Json).unwrap_or_default();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let arr = parsed.as_array().cloned().unwrap_or_default();
        assert_eq!(arr.len(), groups.len());
        let csv = render_to_string(&groups, Format::Csv).unwrap_or_default();
        let md = render_to_string(&groups, Format::Markdown).unwrap_or_default();
        let html = render_to_string(&groups, Format::Html).unwrap_or_default();
        let rows = csv::parse(&csv);
        assert_eq!(rows.len(), 1 + groups.iter().map(|g| g.values.len()).sum::<usize>());
        for (i, g) in groups.iter().enumerate() {
            let j = &arr[i];
            assert_eq!(j["verdict"], g.verdict.as_str());
            assert_eq!(j["values"].as_array().map(Vec::len), Some(g.values.len()));
            // Every format names each group's verdict and key and each of its values.
            let in_csv: Vec<&Vec<String>> = rows.iter().filter(|r| r.get(5) == Some(&g.key)).collect();
            assert_eq!(in_csv.len(), g.values.len(), "{}", g.key);
            assert!(in_csv.iter().all(|r| r[0] == g.verdict.as_str()));
            assert!(
                md.contains(&format!("Key: {}", markdown::escape_text(&g.key))),
                "{}",
                g.key
            );
            assert!(html.contains(&format!("data-key=\"{}\"", html::escape(&g.key))));
            for v in &g.values {
                let loc = format!("{}:{}", v.article.path, v.line);
                assert!(md.contains(&markdown::escape(&loc)), "{loc}");
                assert!(html.contains(&html::escape(&loc)), "{loc}");
                assert!(
                    in_csv
                        .iter()
                        .any(|r| *r[16] == *v.article.path && r[13] == csv::neutralise(&v.text))
                );
            }
        }
        let sections = html.matches("<section class=\"group").count();
        assert_eq!(sections, groups.len());
        let md_sections = md.matches("\n## ").count();
        assert_eq!(md_sections, groups.len());
    }

    #[test]
    fn output_does_not_depend_on_input_order() {
        let mut claims = hostile_claims();
        let mut more = claims.clone();
        for (i, c) in more.iter_mut().enumerate() {
            c.path = format!("corpus/x{i}.txt");
        }
        claims.extend(more);
        let forward = reconcile::reconcile(&claims, &Options::default());
        claims.reverse();
        let backward = reconcile::reconcile(&claims, &Options::default());
        for f in [Format::Markdown, Format::Json, Format::Csv, Format::Html] {
            assert_eq!(
                render_to_string(&forward, f).unwrap_or_default(),
                render_to_string(&backward, f).unwrap_or_default(),
                "{f:?}"
            );
        }
        assert_eq!(
            ingest_summary(&forward),
            "1 disagreement (1 conflict, 0 unresolved, 0 explained) and 0 consistent figures; see `claimdex conflicts`."
        );
    }

    #[test]
    fn html_escapes_every_piece_of_article_text() {
        let html = render_to_string(&sample_report(), Format::Html).unwrap_or_default();
        assert!(!html.is_empty());
        assert!(!html.contains("<script"), "script tag leaked");
        assert!(!html.contains("<img"), "img tag leaked");
        assert!(!html.contains("onerror=alert(1)>"), "attribute break-out leaked");
        assert!(!html.contains("\"><img"), "attribute break-out leaked");
        // Every tag in the page is one the report writes itself.
        let allowed = [
            "!DOCTYPE",
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "main",
            "header",
            "h1",
            "h2",
            "p",
            "ul",
            "ol",
            "li",
            "a",
            "span",
            "section",
            "strong",
            "figure",
            "svg",
            "line",
            "text",
            "rect",
            "circle",
            "figcaption",
            "div",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "br",
        ];
        for tag in html.split('<').skip(1) {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '!')
                .collect();
            let name = if name == "!DOCTYPE" { name } else { name.to_lowercase() };
            assert!(allowed.contains(&name.as_str()), "unexpected tag <{name}");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn markdown_cells_stay_cells() {
        let md = render_to_string(&sample_report(), Format::Markdown).unwrap_or_default();
        for line in md.lines().filter(|l| l.starts_with("| ")) {
            // Unescaped pipes are only the cell borders: count them per row.
            let borders = line.replace("\\|", "").matches('|').count();
            let header_cols = 7;
            assert!(borders == header_cols || borders == 8, "{line}");
        }
        assert!(!md.contains("<script>"));
    }

    #[test]
    fn csv_neutralises_formulas_and_keeps_numbers() {
        let csv = render_to_string(&sample_report(), Format::Csv).unwrap_or_default();
        let rows = csv::parse(&csv);
        assert!(rows.len() > 1);
        for r in &rows[1..] {
            let sentence = csv::HEADER.iter().position(|h| *h == "sentence").unwrap_or_default();
            assert!(r[sentence].starts_with("'=HYPERLINK"), "{}", r[sentence]);
            assert!(r[11].parse::<f64>().is_ok(), "{}", r[11]);
            assert!(r.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])), "{r:?}");
        }
        assert!(csv.contains("\r\n"));
    }
}
