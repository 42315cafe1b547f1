//! `claimdex search QUERY`: claims ranked by score, with filters on kind, unit, value
//! and entity; human output with highlights, or (`--json`) JSON Lines.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use super::Exit;
use crate::cli::SearchArgs;
use crate::error::{Error, Result};
use crate::index::search::{self, Hit, Request};
use crate::index::value::{format_value, parse_value};
use crate::model::Claim;

/// A hit as JSON: the fields of an `extract` claim plus `path` and `score`.
#[derive(Serialize)]
struct JsonHit<'a> {
    path: &'a str,
    score: f32,
    #[serde(flatten)]
    claim: &'a Claim,
}

/// ANSI styles, or none when stdout is not a terminal.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

fn parse_bound(flag: &str, value: Option<&str>) -> Result<Option<f64>> {
    value
        .map(|v| parse_value(v).map_err(|e| Error::Usage(format!("{flag}: {e}"))))
        .transpose()
}

/// The sentence with its highlighted ranges painted.
fn highlighted(hit: &Hit, style: &Style) -> String {
    let s = &hit.claim.sentence;
    let mut out = String::with_capacity(s.len() + 16 * hit.highlights.len());
    let mut at = 0;
    for r in &hit.highlights {
        if r.start < at || r.end > s.len() {
            continue;
        }
        out.push_str(&s[at..r.start]);
        out.push_str(&style.paint("1;31", &s[r.clone()]));
        at = r.end;
    }
    out.push_str(&s[at..]);
    out
}

fn write_hit(out: &mut dyn Write, hit: &Hit, style: &Style) -> std::io::Result<()> {
    let c = &hit.claim;
    let value = format_value(c.kind, &c.unit, c.value, c.value_max, c.noun.as_deref());
    let mut head = format!("{}  {}", style.paint("1", &value), c.text);
    if c.qualifier != crate::model::Qualifier::Exact {
        head.push_str(&format!(" ({})", c.qualifier.as_str().replace('_', " ")));
    }
    writeln!(
        out,
        "{head}  {}",
        style.paint("35", &format!("{}:{}", hit.path, c.line))
    )?;
    writeln!(out, "    {}", highlighted(hit, style))?;
    for s in &hit.cited {
        match &s.date {
            Some(d) => writeln!(out, "    [{}] {} ({d})", s.n, s.title)?,
            None => writeln!(out, "    [{}] {}", s.n, s.title)?,
        }
    }
    let unresolved: Vec<String> = c
        .citations
        .iter()
        .filter(|m| !hit.cited.iter().any(|s| s.n == **m))
        .map(|m| format!("[{m}]"))
        .collect();
    if !unresolved.is_empty() {
        writeln!(out, "    {} (not in the article's source list)", unresolved.join(" "))?;
    }
    Ok(())
}

pub fn run(args: &SearchArgs, out: &mut dyn Write) -> Result<Exit> {
    let req = Request {
        query: args.query.clone(),
        limit: args.limit,
        kind: args.kind.clone(),
        unit: args.unit.clone(),
        min: parse_bound("--min", args.min.as_deref())?,
        max: parse_bound("--max", args.max.as_deref())?,
        entity: args.entity.clone(),
    };
    let hits = search::search(&args.index.index, &req)?;
    let io = |source| Error::Io {
        path: "<stdout>".into(),
        source,
    };
    if args.json {
        for hit in &hits {
            let line = serde_json::to_string(&JsonHit {
                path: &hit.path,
                score: hit.score,
                claim: &hit.claim,
            })
            .map_err(|e| io(std::io::Error::other(e)))?;
            writeln!(out, "{line}").map_err(io)?;
        }
    } else if hits.is_empty() {
        writeln!(out, "no claims match `{}`", args.query).map_err(io)?;
    } else {
        let style = Style {
            on: std::io::stdout().is_terminal(),
        };
        for (i, hit) in hits.iter().enumerate() {
            if i > 0 {
                writeln!(out).map_err(io)?;
            }
            write_hit(out, hit, &style).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(Exit::Success)
}
