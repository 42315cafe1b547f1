//! `--format html`: one self-contained page (inline CSS and SVG; no script, no network: a
//! Content-Security-Policy forbids both) with a summary at the top and a section per group:
//! its reason, preferred value, a chart of its values (a strip with a row per article, or a
//! timeline when the articles' dates differ: `report::timeline`) and a table tracing each
//! figure to its file, line, sentence and cited sources. Responsive for phones; a print
//! stylesheet for paper. Every part that holds article text is a `maud` template, which
//! escapes what it is given, in text and in attributes; only the page's constant opening
//! and closing are written as text.

use std::io::{self, Write};

use maud::{Markup, html};

pub use super::links::Links;
use super::{Groups, capped, cited_text, each_group, human_value, shown_sentence, summary_line, title};
use crate::model::web_address;
use crate::reconcile::{Disagreement, ValueEntry, Verdict, file_name};

/// Escapes text for HTML text and quoted attribute values, as maud does (for the tests
/// that look for article text in the page).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #ffffff; --panel: #f6f7f9;
  --conflict: #b42318; --unresolved: #6e40c9; --explained: #9a6700; --consistent: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.summary { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; }
.counts { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; padding: 0; list-style: none; }
.badge { display: inline-block; border-radius: 999px; padding: 0 0.6rem; font-size: 0.85rem; font-weight: 600; color: #fff; }
.badge.conflict { background: var(--conflict); } .badge.unresolved { background: var(--unresolved); } .badge.explained { background: var(--explained); } .badge.consistent { background: var(--consistent); }
.toc { margin: 0.5rem 0 0; }
.legend { font-size: 0.85rem; }
details.consistent > summary { cursor: pointer; font-weight: 600; margin: 1rem 0; }
.toc a { color: inherit; }
section.group { border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; margin: 1rem 0; }
section.group.conflict { border-left-color: var(--conflict); }
section.group.explained { border-left-color: var(--explained); }
section.group.unresolved { border-left-color: var(--unresolved); }
section.group.consistent { border-left-color: var(--consistent); }
.reason { margin: 0.25rem 0; }
.preferred { color: var(--muted); margin: 0.25rem 0 0.75rem; }
figure { margin: 0 0 0.75rem; }
svg.chart { width: 100%; max-width: 42rem; height: auto; display: block; background: var(--panel); border-radius: 6px; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .pref { stroke: var(--ink); stroke-dasharray: 4 3; stroke-width: 1; }
svg.chart .preferred { font-weight: 700; }
svg.chart .c0 { fill: #2563eb; } svg.chart .c1 { fill: #dc2626; } svg.chart .c2 { fill: #d97706; }
svg.chart .c3 { fill: #7c3aed; } svg.chart .c4 { fill: #059669; } svg.chart .c5 { fill: #6b7280; }
figcaption { font-size: 0.85rem; color: var(--muted); }
.values { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed; }
th:nth-child(1) { width: 13%; } th:nth-child(2) { width: 10%; } th:nth-child(3) { width: 10%; }
th:nth-child(4) { width: 20%; } th:nth-child(5) { width: 30%; } th:nth-child(6) { width: 17%; }
table.toc { table-layout: auto; } .toc th:nth-child(n) { width: auto; }
.toc th, .toc td { overflow-wrap: break-word; } .badge { white-space: nowrap; }
th, td { text-align: left; vertical-align: top; border-top: 1px solid var(--line); padding: 0.35rem 0.5rem; overflow-wrap: anywhere; }
th { background: var(--panel); }
td.num { font-weight: 600; }
td ul { margin: 0; padding-left: 1rem; }
.muted { color: var(--muted); }
tr.more td { color: var(--muted); font-style: italic; }
@media (max-width: 40rem) {
  main { padding: 0.5rem; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { display: none; }
  tr { border-top: 2px solid var(--line); padding: 0.25rem 0; }
  td { border: 0; padding: 0.15rem 0.25rem; }
  td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  svg.chart text { font-size: 17px; }
}
@media print {
  body { font-size: 11pt; color: #000; }
  main { max-width: none; padding: 0; }
  .summary, svg.chart, th { background: none; }
  section.group { break-inside: avoid; page-break-inside: avoid; border-color: #999; }
  .toc a { text-decoration: none; }
  .badge { color: #000; border: 1px solid #000; background: none !important; }
}
"#;

/// What opens the page, before the summary: no article text in it.
fn page_head() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>claimdex: figures across sources</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    )
}

/// Writes the page; `links` makes each figure's article a link relative to the page. The
/// page is written section by section (never held whole); every piece of it that holds
/// article text is a maud template, which escapes what it is given.
pub fn render(groups: &dyn Groups, links: &Links, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(page_head().as_bytes())?;
    summary(groups, out)?;
    // Consistent groups come last, folded away: the disagreements come first.
    let folded = groups.counts().consistent;
    let mut opened = false;
    each_group(groups, |i, g| {
        if g.verdict == Verdict::Consistent && !opened {
            opened = true;
            let noun = if folded == 1 { "group" } else { "groups" };
            out.write_all(
                format!("<details class=\"consistent\"><summary>{folded} consistent {noun}</summary>\n").as_bytes(),
            )?;
        }
        out.write_all(section(i + 1, g, links).into_string().as_bytes())?;
        out.write_all(b"\n")
    })?;
    if folded > 0 {
        out.write_all(b"</details>\n")?;
    }
    out.write_all(b"</main>\n</body>\n</html>\n")
}

/// The page's header: counts, then the summary table (written a row at a time) and the
/// legend.
fn summary(groups: &dyn Groups, out: &mut dyn Write) -> io::Result<()> {
    let n = groups.counts();
    let head = html! {
        h1 { "Figures across sources" }
        p { (summary_line(n)) }
        ul class="counts" {
            li { span class="badge conflict" { (n.conflict) " conflict" } }
            li { span class="badge unresolved" { (n.unresolved) " unresolved" } }
            li { span class="badge explained" { (n.explained) " explained" } }
            li { span class="badge consistent" { (n.consistent) " consistent" } }
        }
    };
    out.write_all(b"<header class=\"summary\" id=\"summary\">")?;
    out.write_all(head.into_string().as_bytes())?;
    if n.total() > 0 {
        toc(groups, out)?;
        out.write_all(legend().into_string().as_bytes())?;
    }
    out.write_all(b"</header>")
}

/// The summary table: a row per group, linking to its section.
fn toc(groups: &dyn Groups, out: &mut dyn Write) -> io::Result<()> {
    let head = html! {
        thead { tr {
            th { "#" } th { "Verdict" } th { "Group" } th { "Spread" } th { "Preferred" }
            th { "Articles" } th { "Published" }
        } }
    };
    out.write_all(b"<table class=\"toc\">")?;
    out.write_all(head.into_string().as_bytes())?;
    out.write_all(b"<tbody>")?;
    each_group(groups, |i, g| {
        let (n, v) = (i + 1, g.verdict.as_str());
        let row = html! {
            tr {
                td { (n) }
                td { span class={ "badge " (v) } { (v) } }
                td { a href={ "#g" (n) } { (title(g)) } }
                td class="num" { (spread(g)) }
                td class="num" { (human_value(g.preferred.value, g.preferred.value_max, &g.unit)) }
                td { (g.articles) }
                td class="period" { (published_range(g)) }
            }
        };
        out.write_all(row.into_string().as_bytes())
    })?;
    out.write_all(b"</tbody></table>")
}

/// What the figures of the summary and of each group mean.
fn legend() -> Markup {
    html! {
        p class="legend muted" {
            strong { "Preferred" } ": the value the report prefers, with " strong { "sources" }
            " (the articles that state it) and " strong { "confidence" }
            " (the share of the group's weight behind it: sources, precision, citations). "
            strong { "Articles" } ": the distinct articles in the group. "
            strong { "Spread" } ": the lowest and highest value stated."
        }
    }
}

/// The lowest and highest value a group's figures state.
fn spread(g: &Disagreement) -> String {
    let ends = g.values.iter().flat_map(|v| [v.value, v.value_max.unwrap_or(v.value)]);
    let (lo, hi) = ends
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if lo > hi {
        return "-".into();
    }
    human_value(lo, Some(hi), &g.unit)
}

/// The first and last publication dates of a group's articles, where they give one.
fn published_range(g: &Disagreement) -> String {
    let dates = g.values.iter().filter_map(|v| v.article.published.as_deref());
    match (dates.clone().min(), dates.max()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "-".into(),
    }
}

/// Where a figure is: its `path:line` linking to the article file, the article's page
/// where it has one, and its publisher, title and date.
fn whereabouts(v: &ValueEntry, links: &Links) -> Markup {
    let a = &v.article;
    let about: Vec<&str> = [&a.publisher, &a.title, &a.published]
        .into_iter()
        .flatten()
        .map(|t| &**t)
        .collect();
    html! {
        a href=(links.article(&a.path)) { (a.path) ":" (v.line) }
        @if let Some(u) = a.url.as_deref().and_then(web_address) {
            " " a class="page" href=(u) rel="noreferrer" { "page" }
        }
        br;
        span class="muted" { (about.join(", ")) }
    }
}

/// One figure's row of a group's table.
fn value_row(v: &ValueEntry, links: &Links) -> Markup {
    html! {
        tr class={ "c" (v.cluster.min(5)) } {
            td class="num" data-label="Value" { (v.text) }
            td class="qual" data-label="Qualifier" { (v.qualifier.as_str()) }
            td class="period" data-label="Period" { (v.period.as_deref().unwrap_or("-")) }
            td data-label="Where" { (whereabouts(v, links)) }
            td data-label="Sentence" { (shown_sentence(&v.sentence)) }
            td data-label="Cited sources" {
                @if v.citations.is_empty() {
                    span class="muted" { "none" }
                } @else {
                    ul { @for c in v.citations.iter() { li { (cited_text(c)) } } }
                }
            }
        }
    }
}

fn section(n: usize, whole: &Disagreement, links: &Links) -> Markup {
    let (g, cut) = capped(whole);
    let g = &*g;
    let v = g.verdict.as_str();
    let sources = if g.preferred.sources == 1 { "source" } else { "sources" };
    let preferred = human_value(g.preferred.value, g.preferred.value_max, &g.unit);
    let chart = if super::timeline::wanted(g) {
        super::timeline::draw(n, g)
    } else {
        chart(n, g)
    };
    html! {
        section class={ "group " (v) } id={ "g" (n) } data-verdict=(v) data-key=(g.key) {
            h2 { span class={ "badge " (v) } { (v) } " " (n) ". " (title(g)) }
            p class="reason" { (g.reason) }
            p class="preferred" {
                "Preferred: " strong { (preferred) } " · " (g.preferred.sources) " " (sources)
                " · confidence " (format!("{:.2}", g.preferred.confidence)) " · " (g.articles) " articles"
            }
            (chart)
            div class="values" { table {
                thead { tr {
                    th { "Value" } th { "Qualifier" } th { "Period" } th { "Where" } th { "Sentence" }
                    th { "Cited sources" }
                } }
                tbody {
                    @for v in &g.values { (value_row(v, links)) }
                    @for line in &cut { tr class="more" { td colspan="6" { (line) } } }
                }
            } }
        }
    }
}

/// `s` cut to `n` characters, the cut marked with an ellipsis.
fn head(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let kept: String = s.chars().take(n.saturating_sub(1)).collect();
    format!("{}\u{2026}", kept.trim_end())
}

/// Chart geometry: the value axis from `a` to `b` drawn between `x0` and `x1`.
struct Scale {
    a: f64,
    b: f64,
    lo: f64,
    hi: f64,
}

const W: f64 = 480.0;
const LABEL: f64 = 196.0;
const RIGHT: f64 = 24.0;
const ROW: f64 = 24.0;
const TOP: f64 = 12.0;
const X0: f64 = LABEL;
const X1: f64 = W - RIGHT;

impl Scale {
    /// The axis of a group: every value's ends and the preferred value, padded.
    fn of(g: &Disagreement) -> Scale {
        let ends = (g.values.iter())
            .flat_map(|v| [v.value, v.value_max.unwrap_or(v.value)])
            .chain([g.preferred.value])
            .filter(|x| x.is_finite());
        let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 1.0) };
        let pad = if hi > lo {
            (hi - lo) * 0.08
        } else {
            lo.abs().max(1.0) * 0.1
        };
        Scale {
            a: lo - pad,
            b: hi + pad,
            lo,
            hi,
        }
    }

    fn x(&self, v: f64) -> f64 {
        X0 + (v - self.a) / (self.b - self.a) * (X1 - X0)
    }
}

/// A number for an SVG attribute, to a tenth.
pub(super) fn at(x: f64) -> String {
    format!("{x:.1}")
}

/// A chart row's label: the article's publisher (else its file name) and date.
fn row_label(v: &ValueEntry) -> String {
    let date = v
        .article
        .published
        .as_deref()
        .map_or(String::new(), |d| format!(", {d}"));
    let who = v
        .article
        .publisher
        .as_deref()
        .unwrap_or_else(|| file_name(&v.article.path));
    format!("{}{date}", head(who, 27usize.saturating_sub(date.chars().count())))
}

/// A chart row's tooltip: the article's publisher, title, date and file, whole.
fn row_title(v: &ValueEntry) -> String {
    let a = &v.article;
    let mut parts: Vec<&str> = [&a.publisher, &a.title, &a.published]
        .into_iter()
        .flatten()
        .map(|s| &**s)
        .collect();
    parts.push(&a.path);
    parts.join(", ")
}

/// The group's values by article, in the order the articles first appear.
fn article_rows(g: &Disagreement) -> Vec<Vec<&ValueEntry>> {
    let mut rows: Vec<Vec<&ValueEntry>> = Vec::new();
    for v in &g.values {
        match rows.iter_mut().find(|r| r[0].article.path == v.article.path) {
            Some(r) => r.push(v),
            None => rows.push(vec![v]),
        }
    }
    rows
}

/// One figure's mark: a dot for a point, a bar for a range, its source in a tooltip.
fn mark(v: &ValueEntry, y: f64, sc: &Scale) -> Markup {
    let tip = format!("{} ({}) in {}:{}", v.text, v.qualifier.as_str(), v.article.path, v.line);
    let c = v.cluster.min(5);
    match v.value_max.filter(|m| m.is_finite() && *m != v.value) {
        Some(m) => {
            let (p, q) = (sc.x(v.value.min(m)), sc.x(v.value.max(m)));
            html! {
                rect class={ "mark range c" (c) } x=(at(p)) y=(at(y - 5.0)) width=(at((q - p).max(2.0))) height="10" rx="5" {
                    title { (tip) }
                }
            }
        }
        None => html! {
            circle class={ "mark dot c" (c) } cx=(at(sc.x(v.value))) cy=(at(y)) r="6" { title { (tip) } }
        },
    }
}

/// The value axis: the preferred value always labelled (bold), the lowest and highest
/// where they are clear of it.
fn axis(g: &Disagreement, sc: &Scale, axis_y: f64) -> Markup {
    let px = sc.x(g.preferred.value);
    let room = (X1 - X0) * 0.18;
    let mut ticks = vec![(g.preferred.value, "tick preferred")];
    for end in [sc.lo, sc.hi] {
        if (sc.x(end) - px).abs() > room && ticks.iter().all(|(t, _)| *t != end) {
            ticks.push((end, "tick"));
        }
    }
    html! {
        line class="pref" x1=(at(px)) y1=(TOP) x2=(at(px)) y2=(at(axis_y)) {}
        line class="axis" x1=(X0) y1=(at(axis_y)) x2=(X1) y2=(at(axis_y)) {}
        @for (t, class) in ticks {
            @let tx = at(sc.x(t));
            line class="axis" x1=(tx) y1=(at(axis_y)) x2=(tx) y2=(at(axis_y + 5.0)) {}
            text class=(class) x=(tx) y=(at(axis_y + 20.0)) text-anchor="middle" { (human_value(t, None, &g.unit)) }
        }
    }
}

/// The values on one horizontal axis, a row per article labelled by publisher and date.
fn chart(n: usize, g: &Disagreement) -> Markup {
    let sc = Scale::of(g);
    let rows = article_rows(g);
    let axis_y = TOP + rows.len() as f64 * ROW + 4.0;
    let h = axis_y + 34.0;
    let label = format!(
        "{}: {} values from {} articles on one axis",
        title(g),
        g.values.len(),
        g.articles
    );
    let preferred = human_value(g.preferred.value, g.preferred.value_max, &g.unit);
    html! {
        figure {
            svg class="chart" id={ "chart-g" (n) } viewBox={ "0 0 " (W) " " (format!("{h:.0}")) } role="img"
                aria-label=(label) xmlns="http://www.w3.org/2000/svg" {
                title { (label) }
                @for (i, row) in rows.iter().enumerate() {
                    @let y = TOP + i as f64 * ROW + ROW / 2.0;
                    line class="grid" x1=(X0) y1=(at(y)) x2=(X1) y2=(at(y)) {}
                    text class="row" x=(at(X0 - 8.0)) y=(at(y + 4.0)) text-anchor="end" {
                        title { (row_title(row[0])) } (row_label(row[0]))
                    }
                    @for v in row { (mark(v, y, &sc)) }
                }
                (axis(g, &sc, axis_y))
            }
            figcaption {
                "One row per article (publisher and date); dots are points, bars are ranges, colours are \
                 clusters of agreeing figures; the dashed line is the preferred value, " (preferred) "."
            }
        }
    }
}
