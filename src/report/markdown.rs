//! `--format md`: a summary table, then a section per group with its reason, preferred value
//! and a table of its values. Readable as plain text in a terminal and rendered on a code
//! host; cell text has `|` escaped and line breaks folded so a sentence never breaks a table.

use std::io::{self, Write};

use super::{Groups, capped, cited_text, each_group, human_value, shown_sentence, summary_line, title};
use crate::reconcile::{Disagreement, ValueEntry};

/// Makes article text safe inside a Markdown table cell or heading: `\` `|` `<` `>` `` ` ``
/// `*` `_` `[` `]` escaped, line breaks folded to spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => out.push_str(&crate::printable::escape_line(c.encode_utf8(&mut [0; 4]))),
            _ => out.push(c),
        }
    }
    out
}

/// Makes article text safe in a Markdown paragraph or heading: as [`escape`] but `|` kept
/// (outside a table it is only a character).
pub fn escape_text(text: &str) -> String {
    escape(text).replace("\\|", "|")
}

/// The report as Markdown: a summary table, then one section per group, written as it
/// is rendered.
pub fn render(groups: &dyn Groups, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::new();
    s.push_str("# Figures across sources\n\n");
    let counts = groups.counts();
    s.push_str(&summary_line(counts));
    s.push_str("\n\n");
    // Written row by row and group by group: the report is never held whole.
    if counts.total() > 0 {
        s.push_str("| # | Verdict | Group | Values | Preferred | Sources | Confidence |\n");
        s.push_str("|---|---|---|---|---|---|---|\n");
        each_group(groups, |i, g| {
            summary_row(i, g, &mut s);
            out.write_all(s.as_bytes())?;
            s.clear();
            Ok(())
        })?;
        s.push('\n');
    }
    out.write_all(s.as_bytes())?;
    each_group(groups, |i, whole| {
        s.clear();
        group_section(i, whole, &mut s);
        out.write_all(s.as_bytes())
    })
}

/// "| 1 | conflict | OpenAI revenue | $12bn, $13bn | $12 billion | 2 | 0.80 |": group `i`'s
/// row of the summary table.
fn summary_row(i: usize, g: &Disagreement, s: &mut String) {
    let mut texts: Vec<&str> = Vec::new();
    for v in &g.values {
        if !texts.contains(&&*v.text) {
            texts.push(&v.text);
        }
    }
    s.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {:.2} |\n",
        i + 1,
        g.verdict.as_str(),
        escape(&title(g)),
        escape(&texts.join(", ")),
        escape(&human_value(g.preferred.value, g.preferred.value_max, &g.unit)),
        g.preferred.sources,
        g.preferred.confidence
    ));
}

/// "## 1. conflict: OpenAI revenue": group `i`'s heading, reason, preferred value, the
/// table of its values (capped) and a line per value left out.
fn group_section(i: usize, whole: &Disagreement, s: &mut String) {
    let (shown, cut) = capped(whole);
    let g = &*shown;
    s.push_str(&format!(
        "## {}. {}: {}\n\n",
        i + 1,
        g.verdict.as_str(),
        escape_text(&title(g))
    ));
    s.push_str(&format!("Reason: {}\n\n", escape_text(&g.reason)));
    s.push_str(&format!(
        "Preferred: {} ({} {}, confidence {:.2}). Articles: {}. Key: {}\n\n",
        escape_text(&human_value(g.preferred.value, g.preferred.value_max, &g.unit)),
        g.preferred.sources,
        if g.preferred.sources == 1 { "source" } else { "sources" },
        g.preferred.confidence,
        g.articles,
        escape_text(&g.key)
    ));
    s.push_str("| Value | Qualifier | Period | Where | Sentence | Cited sources |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for v in &g.values {
        value_row(v, s);
    }
    s.push('\n');
    for line in cut {
        s.push_str(&line);
        s.push_str("\n\n");
    }
}

/// "| $12bn | exact | 2025 | a.txt:3 (Title, 2026-04-21) | ... | none |": one value's row.
fn value_row(v: &ValueEntry, s: &mut String) {
    let article = match (&v.article.title, &v.article.published) {
        (Some(t), Some(d)) => format!(" ({t}, {d})"),
        (Some(t), None) => format!(" ({t})"),
        (None, Some(d)) => format!(" ({d})"),
        (None, None) => String::new(),
    };
    let cites = if v.citations.is_empty() {
        "none".to_string()
    } else {
        v.citations.iter().map(cited_text).collect::<Vec<_>>().join("; ")
    };
    s.push_str(&format!(
        "| {} | {} | {} | {}{} | {} | {} |\n",
        escape(&v.text),
        v.qualifier.as_str(),
        escape(v.period.as_deref().unwrap_or("-")),
        escape(&format!("{}:{}", v.article.path, v.line)),
        escape(&article),
        escape(&shown_sentence(&v.sentence)),
        escape(&cites)
    ));
}
