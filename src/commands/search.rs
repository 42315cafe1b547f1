//! `claimdex search QUERY`: claims ranked by score, with filters on kind, unit, value
//! and entity; human output with highlights, or (`--json`) JSON Lines.

use std::io::{IsTerminal, Write};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::Exit;
use crate::cli::SearchArgs;
use crate::error::{Error, Result};
use crate::extract::Lexicon;
use crate::index::search::{self, Hit, Request};
use crate::index::value::{Quantity, format_value, parse_quantity};
use crate::model::Claim;
use crate::printable::{escape, escape_line};

/// A hit as JSON: the fields of an `extract` claim plus `path` and `score`.
#[derive(Serialize)]
struct JsonHit<'a> {
    path: &'a str,
    score: f32,
    #[serde(flatten)]
    claim: &'a Claim,
}

/// ANSI styles, or none (`--color`, NO_COLOR, TERM=dumb, stdout not a terminal).
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

/// The entity as claims name it: an alias (`AWS`, `$AMZN`) folded to its canonical
/// name (`Amazon`) by the same alias table the extractor uses, in any case (`aws`, `msft`:
/// acronyms, which the extractor reads in capitals only, are tried so too); other names as
/// typed (the field folds their case).
fn canonical_entity(name: &str, lexicon: &Lexicon) -> String {
    let name = name.trim();
    let known = |form: &str| {
        let mut found = Vec::new();
        lexicon.find_entities(form, 0, form.len(), &mut found);
        match found.as_slice() {
            [(0, end, idx)] if *end == form.len() => lexicon.entities.get(*idx).map(|e| e.name.clone()),
            _ => None,
        }
    };
    known(name)
        .or_else(|| known(&name.to_uppercase()))
        .unwrap_or_else(|| name.to_owned())
}

/// A name field of a query and the name it is given.
static NAME_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(entities|subject):(?:"([^"]*)"|([^\s()"]+))"#).expect("static regex"));

/// `entities:` and `subject:` name a party however the user types it: an alias in the
/// query (`entities:aws`, `subject:"Amazon Web Services"`) is folded to the name claims
/// are indexed under, as `--entity` folds it. Everything else is left as typed.
fn fold_name_fields(query: &str, lexicon: &Lexicon) -> String {
    NAME_FIELD
        .replace_all(query, |c: &regex::Captures| {
            // Inside a quoted phrase, `entities:aws` is words of the phrase.
            let at = c.get(0).map_or(0, |m| m.start());
            if query[..at].matches('"').count() % 2 == 1 {
                return c[0].to_owned();
            }
            let typed = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
            let name = canonical_entity(typed, lexicon);
            if name == typed.trim() {
                c[0].to_owned()
            } else {
                format!("{}:\"{}\"", &c[1], name.replace('"', ""))
            }
        })
        .into_owned()
}

fn parse_bound(flag: &str, value: Option<&str>) -> Result<Option<Quantity>> {
    value
        .map(|v| parse_quantity(v).map_err(|e| Error::Usage(format!("{flag}: {e}"))))
        .transpose()
}

/// The unit the search keeps to: `--unit`, or the unit `--min`/`--max` are written in
/// (`--min '$5 billion'` means dollars, not five billion of anything). Bounds in two
/// units, or a bound in another unit than `--unit`, are a usage error.
fn unit_filter(unit: Option<&str>, bounds: [(&str, Option<Quantity>); 2]) -> Result<Option<String>> {
    let mut chosen: Option<(&str, String)> = unit.map(|u| ("--unit", u.to_owned()));
    for (flag, q) in bounds {
        let Some(u) = q.and_then(|q| q.unit) else { continue };
        match &chosen {
            Some((by, c)) if !c.eq_ignore_ascii_case(u) => {
                return Err(Error::Usage(format!("{flag} is in {u} but {by} says {c}")));
            }
            Some(_) => {}
            None => chosen = Some((flag, u.to_owned())),
        }
    }
    Ok(chosen.map(|(_, u)| u))
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
        out.push_str(&escape(&s[at..r.start]));
        out.push_str(&style.paint("1;31", &escape(&s[r.clone()])));
        at = r.end;
    }
    out.push_str(&escape(&s[at..]));
    out
}

fn write_hit(out: &mut dyn Write, hit: &Hit, style: &Style) -> std::io::Result<()> {
    let c = &hit.claim;
    let value = format_value(c.kind, &c.unit, c.value, c.value_max, c.noun.as_deref());
    let mut head = format!("{}  {}", style.paint("1", &escape(&value)), escape_line(&c.text));
    if c.qualifier != crate::model::Qualifier::Exact {
        head.push_str(&format!(" ({})", c.qualifier.as_str().replace('_', " ")));
    }
    writeln!(
        out,
        "{head}  {}",
        style.paint("35", &format!("{}:{}", escape_line(&hit.path), c.line))
    )?;
    writeln!(out, "    {}", highlighted(hit, style))?;
    for s in &hit.cited {
        match &s.date {
            Some(d) => writeln!(out, "    [{}] {} ({})", s.n, escape_line(&s.title), escape_line(d))?,
            None => writeln!(out, "    [{}] {}", s.n, escape_line(&s.title))?,
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
    let min = parse_bound("--min", args.min.as_deref())?;
    let max = parse_bound("--max", args.max.as_deref())?;
    // The alias table is compiled only for a query that names a party: most do not, and
    // compiling it is most of what a search of a small index costs.
    let named = NAME_FIELD.is_match(&args.query) || args.entity.is_some();
    let lexicon = if named { Some(Lexicon::from_env()?) } else { None };
    let query = match &lexicon {
        Some(lex) => fold_name_fields(&args.query, lex),
        None => args.query.clone(),
    };
    let entity = match (args.entity.as_deref(), &lexicon) {
        (Some(name), Some(lex)) => Some(canonical_entity(name, lex)),
        _ => None,
    };
    let req = Request {
        query,
        limit: args.limit,
        kind: args.kind.clone(),
        unit: unit_filter(args.unit.as_deref(), [("--min", min), ("--max", max)])?,
        min: min.map(|q| q.value),
        max: max.map(|q| q.value),
        entity,
    };
    // One opening of the index serves the search and the count after it.
    let index = search::Searching::open(&args.index.index)?;
    let hits = index.search(&req)?;
    let io = Error::stdout;
    if args.json {
        for hit in &hits {
            let line = crate::printable::json_line(&JsonHit {
                path: &hit.path,
                score: hit.score,
                claim: &hit.claim,
            })
            .map_err(|e| io(std::io::Error::other(e)))?;
            writeln!(out, "{line}").map_err(io)?;
        }
    } else if hits.is_empty() {
        writeln!(out, "no claims match `{}`", escape_line(&args.query)).map_err(io)?;
    } else {
        let style = Style {
            on: args.color.paints(std::io::stdout().is_terminal()),
        };
        for (i, hit) in hits.iter().enumerate() {
            if i > 0 {
                writeln!(out).map_err(io)?;
            }
            write_hit(out, hit, &style).map_err(io)?;
        }
        // A list the limit cut says how much it left out.
        if hits.len() == req.limit {
            let total = index.count(&req)?;
            if total > hits.len() {
                let shown = hits.len();
                writeln!(out, "\n{shown} of {total} claims; --limit {total} shows them all").map_err(io)?;
            }
        }
    }
    out.flush().map_err(io)?;
    // As grep and ripgrep: 1 when nothing matched, so scripts can test for a match.
    Ok(if hits.is_empty() { Exit::Failure } else { Exit::Success })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_fields_in_a_query_fold_their_aliases() {
        let lex = Lexicon::builtin();
        assert_eq!(fold_name_fields("entities:aws", &lex), "entities:\"Amazon\"");
        assert_eq!(
            fold_name_fields("revenue AND subject:\"Amazon Web Services\"", &lex),
            "revenue AND subject:\"Amazon\""
        );
        assert_eq!(
            fold_name_fields("subject:msft OR x", &lex),
            "subject:\"Microsoft\" OR x"
        );
        for kept in ["subject:Acme", "entities:*", "metric:aws", "\"entities:aws\" words"] {
            assert_eq!(fold_name_fields(kept, &lex), kept);
        }
    }

    #[test]
    fn entity_aliases_fold_to_the_canonical_name() {
        let lex = Lexicon::builtin();
        assert_eq!(canonical_entity("AWS", &lex), "Amazon");
        assert_eq!(canonical_entity("Amazon Web Services", &lex), "Amazon");
        assert_eq!(canonical_entity(" OpenAI ", &lex), "OpenAI");
        assert_eq!(canonical_entity("Someone Unknown", &lex), "Someone Unknown");
        assert_eq!(canonical_entity("AWS and Microsoft", &lex), "AWS and Microsoft");
    }
}
