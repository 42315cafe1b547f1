//! `--format csv`: one row per value, RFC 4180 (CRLF line ends, fields with `,` `"` or a line
//! break quoted, quotes doubled). Text cells that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`; numeric cells
//! are written as plain numbers and stay numeric.

use std::io::{self, Write};

use super::cited_text;
use crate::reconcile::Disagreement;

/// The header row.
pub const HEADER: &[&str] = &[
    "verdict",
    "subject",
    "counterpart",
    "metric",
    "unit",
    "key",
    "reason",
    "preferred_value",
    "preferred_sources",
    "confidence",
    "cluster",
    "value",
    "value_max",
    "text",
    "qualifier",
    "period",
    "path",
    "line",
    "article_title",
    "published",
    "sentence",
    "citations",
];

/// A cell of the table: text (neutralised and quoted as needed) or a number (as is).
enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Num(f64),
    Int(usize),
    Empty,
}

pub fn render(groups: &[Disagreement], out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<Cell> = HEADER.iter().map(|h| Cell::Text(h)).collect();
    write_row(out, &header)?;
    for g in groups {
        for v in &g.values {
            let cites = v.citations.iter().map(cited_text).collect::<Vec<_>>().join("; ");
            let row = [
                Cell::Text(g.verdict.as_str()),
                Cell::Text(&g.subject),
                g.counterpart.as_deref().map_or(Cell::Empty, Cell::Text),
                Cell::Text(&g.metric),
                Cell::Text(&g.unit),
                Cell::Text(&g.key),
                Cell::Text(&g.reason),
                Cell::Num(g.preferred.value),
                Cell::Int(g.preferred.sources),
                Cell::Num(g.preferred.confidence),
                Cell::Int(v.cluster),
                Cell::Num(v.value),
                v.value_max.map_or(Cell::Empty, Cell::Num),
                Cell::Text(&v.text),
                Cell::Text(v.qualifier.as_str()),
                v.period.as_deref().map_or(Cell::Empty, Cell::Text),
                Cell::Text(&v.path),
                Cell::Int(v.line),
                v.title.as_deref().map_or(Cell::Empty, Cell::Text),
                v.published.as_deref().map_or(Cell::Empty, Cell::Text),
                Cell::Text(&v.sentence),
                Cell::Owned(cites),
            ];
            write_row(out, &row)?;
        }
    }
    Ok(())
}

fn write_row(out: &mut dyn Write, cells: &[Cell]) -> io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match c {
            Cell::Text(t) => line.push_str(&quote(&neutralise(t))),
            Cell::Owned(t) => line.push_str(&quote(&neutralise(t))),
            Cell::Num(n) if n.is_finite() => line.push_str(&n.to_string()),
            Cell::Num(_) | Cell::Empty => {}
            Cell::Int(n) => line.push_str(&n.to_string()),
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

/// Prefixes `'` to text a spreadsheet would read as a formula.
pub fn neutralise(text: &str) -> String {
    // Terminal controls shown escaped (a CSV is often `cat` to a terminal).
    let text = crate::printable::escape(text);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Quotes a field when RFC 4180 needs it.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Reads RFC 4180 text back into rows (for tests and tools that check the report).
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips() {
        let cells = [
            Cell::Text("a,b"),
            Cell::Text("say \"hi\"\nthere"),
            Cell::Num(1.5),
            Cell::Empty,
        ];
        let mut buf = Vec::new();
        write_row(&mut buf, &cells).unwrap_or_default();
        let text = String::from_utf8(buf).unwrap_or_default();
        assert_eq!(text, "\"a,b\",\"say \"\"hi\"\"\nthere\",1.5,\r\n");
        assert_eq!(parse(&text), vec![vec!["a,b", "say \"hi\"\nthere", "1.5", ""]]);
    }

    #[test]
    fn formulas_are_neutralised() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(neutralise(f).starts_with('\''), "{f}");
        }
        assert_eq!(neutralise("$10 billion"), "$10 billion");
    }
}
