//! `--format csv`: one row per value, RFC 4180 as the `csv` crate writes it (CRLF line ends,
//! fields with `,` `"` or a line break quoted, quotes doubled). Text cells that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`; numeric cells
//! are written as plain numbers and stay numeric.

use std::io::{self, Write};

use super::Groups;
use super::cited_text;

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
    "publisher",
    "url",
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

pub fn render(groups: &dyn Groups, out: &mut dyn Write) -> io::Result<()> {
    let mut out = writer(out);
    let header: Vec<Cell> = HEADER.iter().map(|h| Cell::Text(h)).collect();
    write_row(&mut out, &header)?;
    super::each_group(groups, |_, g| {
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
                Cell::Text(&v.article.path),
                Cell::Int(v.line),
                v.article.title.as_deref().map_or(Cell::Empty, Cell::Text),
                v.article.published.as_deref().map_or(Cell::Empty, Cell::Text),
                v.article.publisher.as_deref().map_or(Cell::Empty, Cell::Text),
                v.article.url.as_deref().map_or(Cell::Empty, Cell::Text),
                Cell::Text(&v.sentence),
                Cell::Owned(cites),
            ];
            write_row(&mut out, &row)?;
        }
        Ok(())
    })?;
    out.flush()
}

/// RFC 4180 rows into `out`.
fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

fn write_row<W: Write>(out: &mut csv::Writer<W>, cells: &[Cell]) -> io::Result<()> {
    let field = |c: &Cell| match c {
        Cell::Text(t) => neutralise(t),
        Cell::Owned(t) => neutralise(t),
        Cell::Num(n) if n.is_finite() => n.to_string(),
        Cell::Num(_) | Cell::Empty => String::new(),
        Cell::Int(n) => n.to_string(),
    };
    out.write_record(cells.iter().map(field)).map_err(io_error)
}

/// A CSV writer's error as the I/O error it is (a closed pipe stays a closed pipe).
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
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

/// Reads RFC 4180 text back into rows (for tests and tools that check the report).
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map_while(std::result::Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
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
        {
            let mut w = writer(&mut buf);
            write_row(&mut w, &cells).unwrap_or_default();
            w.flush().unwrap_or_default();
        }
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
