//! `--format html`: one self-contained page (inline CSS and SVG; no script, no network: a
//! Content-Security-Policy forbids both) with a summary at the top and a section per group:
//! its reason, preferred value, a chart of its values side by side by source (a dot per
//! figure on one value axis, a bar for a range) and a table tracing each figure to its file,
//! line, sentence and cited sources. Responsive for phones; a print stylesheet for paper.
//! Every piece of article text is escaped, in text and in attributes.

use std::fmt::Write as _;
use std::io::{self, Write};

pub use super::links::Links;
use super::links::web_address;
use super::{capped, cited_text, counts, human_value, shown_sentence, summary_line, title};
use crate::reconcile::{Disagreement, ValueEntry, Verdict, file_name};

/// Escapes text for HTML text and quoted attribute values.
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

/// Writes the page; `links` makes each figure's article a link relative to the page.
pub fn render(groups: &[Disagreement], links: &Links, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>claimdex: figures across sources</title>\n<style>");
    s.push_str(STYLE);
    s.push_str("</style>\n</head>\n<body>\n<main>\n");
    summary(&mut s, groups);
    // Consistent groups come last, folded away: the disagreements come first.
    let folded = groups.iter().filter(|g| g.verdict == Verdict::Consistent).count();
    let mut opened = false;
    // Written section by section: the page is never held whole.
    for (i, g) in groups.iter().enumerate() {
        out.write_all(s.as_bytes())?;
        s.clear();
        if g.verdict == Verdict::Consistent && !opened {
            opened = true;
            let _ = writeln!(
                s,
                "<details class=\"consistent\"><summary>{folded} consistent {}</summary>",
                if folded == 1 { "group" } else { "groups" }
            );
        }
        section(&mut s, i + 1, g, links);
    }
    if folded > 0 {
        s.push_str("</details>\n");
    }
    s.push_str("</main>\n</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

fn summary(s: &mut String, groups: &[Disagreement]) {
    let (c, u, e, k) = counts(groups);
    let _ = write!(
        s,
        "<header class=\"summary\" id=\"summary\">\n<h1>Figures across sources</h1>\n<p>{}</p>\n\
         <ul class=\"counts\"><li><span class=\"badge conflict\">{c} conflict</span></li>\
         <li><span class=\"badge unresolved\">{u} unresolved</span></li>\
         <li><span class=\"badge explained\">{e} explained</span></li>\
         <li><span class=\"badge consistent\">{k} consistent</span></li></ul>\n",
        escape(&summary_line(groups))
    );
    if !groups.is_empty() {
        s.push_str(
            "<table class=\"toc\">\n<thead><tr><th>#</th><th>Verdict</th><th>Group</th><th>Spread</th>\
             <th>Preferred</th><th>Articles</th><th>Published</th></tr></thead>\n<tbody>\n",
        );
        for (i, g) in groups.iter().enumerate() {
            let _ = writeln!(
                s,
                "<tr><td>{n}</td><td><span class=\"badge {v}\">{v}</span></td><td><a href=\"#g{n}\">{}</a></td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"period\">{}</td></tr>",
                escape(&title(g)),
                escape(&spread(g)),
                escape(&human_value(g.preferred.value, g.preferred.value_max, &g.unit)),
                g.articles,
                escape(&published_range(g)),
                n = i + 1,
                v = g.verdict.as_str(),
            );
        }
        s.push_str("</tbody></table>\n");
        s.push_str(LEGEND);
    }
    s.push_str("</header>\n");
}

/// What the figures of the summary and of each group mean.
const LEGEND: &str = "<p class=\"legend muted\"><strong>Preferred</strong>: the value the report \
    prefers, with <strong>sources</strong> (the articles that state it) and \
    <strong>confidence</strong> (the share of the group's weight behind it: sources, precision, \
    citations). <strong>Articles</strong>: the distinct articles in the group. \
    <strong>Spread</strong>: the lowest and highest value stated.</p>\n";

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
fn whereabouts(v: &ValueEntry, links: &Links) -> String {
    let place = format!(
        "<a href=\"{}\">{}</a>",
        escape(&links.article(&v.article.path)),
        escape(&format!("{}:{}", v.article.path, v.line))
    );
    let page = v
        .article
        .url
        .as_deref()
        .and_then(web_address)
        .map_or(String::new(), |u| {
            format!(" <a class=\"page\" href=\"{}\" rel=\"noreferrer\">page</a>", escape(u))
        });
    let about: Vec<String> = [&v.article.publisher, &v.article.title, &v.article.published]
        .into_iter()
        .flatten()
        .map(|t| escape(t))
        .collect();
    format!("{place}{page}<br><span class=\"muted\">{}</span>", about.join(", "))
}

fn section(s: &mut String, n: usize, whole: &Disagreement, links: &Links) {
    let (g, cut) = capped(whole);
    let g = &*g;
    let v = g.verdict.as_str();
    let _ = write!(
        s,
        "<section class=\"group {v}\" id=\"g{n}\" data-verdict=\"{v}\" data-key=\"{}\">\n\
         <h2><span class=\"badge {v}\">{v}</span> {n}. {}</h2>\n<p class=\"reason\">{}</p>\n\
         <p class=\"preferred\">Preferred: <strong>{}</strong> &middot; {} {} &middot; confidence {:.2} &middot; {} articles</p>\n",
        escape(&g.key),
        escape(&title(g)),
        escape(&g.reason),
        escape(&human_value(g.preferred.value, g.preferred.value_max, &g.unit)),
        g.preferred.sources,
        if g.preferred.sources == 1 { "source" } else { "sources" },
        g.preferred.confidence,
        g.articles,
    );
    if super::timeline::wanted(g) {
        super::timeline::draw(s, n, g);
    } else {
        chart(s, n, g);
    }
    s.push_str(
        "<div class=\"values\"><table>\n<thead><tr><th>Value</th><th>Qualifier</th><th>Period</th>\
         <th>Where</th><th>Sentence</th><th>Cited sources</th></tr></thead>\n<tbody>\n",
    );
    for v in &g.values {
        let cites = if v.citations.is_empty() {
            "<span class=\"muted\">none</span>".to_string()
        } else {
            let items: String = v
                .citations
                .iter()
                .map(|c| format!("<li>{}</li>", escape(&cited_text(c))))
                .collect();
            format!("<ul>{items}</ul>")
        };
        let _ = writeln!(
            s,
            "<tr class=\"c{}\"><td class=\"num\" data-label=\"Value\">{}</td><td class=\"qual\" data-label=\"Qualifier\">{}</td>\
             <td class=\"period\" data-label=\"Period\">{}</td><td data-label=\"Where\">{}</td>\
             <td data-label=\"Sentence\">{}</td><td data-label=\"Cited sources\">{}</td></tr>",
            v.cluster.min(5),
            escape(&v.text),
            v.qualifier.as_str(),
            escape(v.period.as_deref().unwrap_or("-")),
            whereabouts(v, links),
            escape(&shown_sentence(&v.sentence)),
            cites
        );
    }
    for line in cut {
        let _ = writeln!(s, "<tr class=\"more\"><td colspan=\"6\">{}</td></tr>", escape(&line));
    }
    s.push_str("</tbody></table></div>\n</section>\n");
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
    let about = [&v.article.publisher, &v.article.title, &v.article.published]
        .into_iter()
        .flatten();
    let mut parts: Vec<&str> = about.map(|s| &**s).collect();
    parts.push(&v.article.path);
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
fn mark(s: &mut String, v: &ValueEntry, y: f64, sc: &Scale) {
    let tip = format!("{} ({}) in {}:{}", v.text, v.qualifier.as_str(), v.article.path, v.line);
    let c = v.cluster.min(5);
    match v.value_max.filter(|m| m.is_finite() && *m != v.value) {
        Some(m) => {
            let (p, q) = (sc.x(v.value.min(m)), sc.x(v.value.max(m)));
            let _ = writeln!(
                s,
                "<rect class=\"mark range c{c}\" x=\"{p:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\" rx=\"5\">\
                 <title>{}</title></rect>",
                y - 5.0,
                (q - p).max(2.0),
                escape(&tip)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "<circle class=\"mark dot c{c}\" cx=\"{:.1}\" cy=\"{y:.1}\" r=\"6\"><title>{}</title></circle>",
                sc.x(v.value),
                escape(&tip)
            );
        }
    }
}

/// The value axis: the preferred value always labelled (bold), the lowest and highest
/// where they are clear of it.
fn axis(s: &mut String, g: &Disagreement, sc: &Scale, axis_y: f64) {
    let px = sc.x(g.preferred.value);
    let _ = write!(
        s,
        "<line class=\"pref\" x1=\"{px:.1}\" y1=\"{TOP}\" x2=\"{px:.1}\" y2=\"{axis_y:.1}\"/>\
         <line class=\"axis\" x1=\"{X0}\" y1=\"{axis_y:.1}\" x2=\"{X1}\" y2=\"{axis_y:.1}\"/>"
    );
    let room = (X1 - X0) * 0.18;
    let mut ticks = vec![(g.preferred.value, "tick preferred")];
    for end in [sc.lo, sc.hi] {
        if (sc.x(end) - px).abs() > room && ticks.iter().all(|(t, _)| *t != end) {
            ticks.push((end, "tick"));
        }
    }
    for (t, class) in ticks {
        let tx = sc.x(t);
        let _ = write!(
            s,
            "<line class=\"axis\" x1=\"{tx:.1}\" y1=\"{axis_y:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/>\
             <text class=\"{class}\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 5.0,
            axis_y + 20.0,
            escape(&human_value(t, None, &g.unit))
        );
    }
}

/// The values on one horizontal axis, a row per article labelled by publisher and date.
fn chart(s: &mut String, n: usize, g: &Disagreement) {
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
    let _ = write!(
        s,
        "<figure><svg class=\"chart\" id=\"chart-g{n}\" viewBox=\"0 0 {W} {h:.0}\" role=\"img\" aria-label=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n<title>{}</title>\n",
        escape(&label),
        escape(&label)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + i as f64 * ROW + ROW / 2.0;
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{X0}\" y1=\"{y:.1}\" x2=\"{X1}\" y2=\"{y:.1}\"/>\
             <text class=\"row\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            X0 - 8.0,
            y + 4.0,
            escape(&row_title(row[0])),
            escape(&row_label(row[0]))
        );
        for v in row {
            mark(s, v, y, &sc);
        }
    }
    axis(s, g, &sc, axis_y);
    let _ = writeln!(
        s,
        "\n</svg><figcaption>One row per article (publisher and date); dots are points, bars are ranges, \
         colours are clusters of agreeing figures; the dashed line is the preferred value, {}.</figcaption></figure>",
        escape(&human_value(g.preferred.value, g.preferred.value_max, &g.unit))
    );
}
