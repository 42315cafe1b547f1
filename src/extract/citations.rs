//! Footnote citations: the article's numbered source list and the markers that cite it.
//!
//! Sources: the numbered list under a "Sources" / "References" / "Notes" heading
//! (`16. Title - 2026-04-13`, `16) Title`), and anywhere a line that defines a note:
//! Markdown `[^3]: Title`, Wikipedia-style `[3] Title, Publisher, 13 April 2026`.
//! Markers: `[3]`, `[3, 4]`, `[3–5]`, `[^3]`, superscripts `¹⁶`, and bare numbers after a
//! sentence or clause (`backlog 6.`, `capacity 16,17.`, `deal 1,15,22.`, `” 4,`).

use std::ops::Range;
use std::sync::LazyLock;

use super::tokens::{FastSet, Lower, Tok, TokKind, WordSet, superscript_value};
use crate::clean::meta::{MONTH_WORDS, parse_date};
use crate::clean::text::is_sources_heading;
use crate::clean::{BlockKind, Cleaned};
use crate::model::Source;
use crate::words;

/// The source list of an article and the byte ranges it covers (never claims).
#[derive(Debug, Default)]
pub struct SourceList {
    pub sources: Vec<Source>,
    pub ranges: Vec<Range<usize>>,
}

impl SourceList {
    pub fn covers(&self, at: usize) -> bool {
        self.ranges.iter().any(|r| r.contains(&at))
    }

    /// The numbers of the list's sources, ascending.
    pub fn numbers(&self) -> Vec<u32> {
        self.sources.iter().map(|s| s.n).collect()
    }
}

/// `16. Title`, `16) Title`: the number and the rest.
fn numbered_entry(line: &str) -> Option<(u32, &str)> {
    let t = line.trim();
    let t = t.trim_start_matches(['-', '*', '•']).trim_start();
    let d = t.bytes().take_while(u8::is_ascii_digit).count();
    if d == 0 || d > 3 {
        return None;
    }
    let rest = t[d..].strip_prefix(['.', ')'])?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((t[..d].parse().ok()?, rest.trim()))
}

/// `[3] Title`, `[^3]: Title`, `[3]` alone: a note definition at the start of a line.
fn note_definition(line: &str) -> Option<(u32, &str)> {
    let t = line.trim();
    let inner = t.strip_prefix('[')?;
    let (label, rest) = inner.split_once(']')?;
    let (label, md) = match label.strip_prefix('^') {
        Some(l) => (l, true),
        None => (label, false),
    };
    if label.is_empty() || label.len() > 4 || !label.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = if md { rest.strip_prefix(':')? } else { rest };
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((label.parse().ok()?, rest.trim()))
}

/// Splits `Title - 2026-04-13` (or `Title, 13 April 2026`, `Title. Publisher, 2026-01-05`)
/// into the title and the date.
fn title_and_date(entry: &str) -> (String, Option<String>) {
    for sep in [" - ", " – ", " — ", ", ", " ("] {
        if let Some(at) = entry.rfind(sep) {
            let tail = entry[at + sep.len()..].trim_end_matches([')', '.']);
            if tail.len() <= 40
                && let Some(d) = parse_date(tail)
            {
                return (without_publisher(entry[..at].trim()).to_string(), Some(d));
            }
        }
    }
    (entry.trim().to_string(), parse_date(entry))
}

/// `Title. Publisher Name`: the title alone (a period after an initial or an
/// abbreviation, as in "U.S. Steel", does not end it).
fn without_publisher(s: &str) -> &str {
    let mut from = 0;
    while let Some(off) = s[from..].find(". ") {
        let at = from + off;
        let word = s[..at].rsplit(' ').next().unwrap_or("");
        let abbreviation = word.len() <= 2 || word.contains('.');
        let next_upper = s[at + 2..].chars().next().is_some_and(char::is_uppercase);
        if !abbreviation && next_upper && s[..at].split_whitespace().count() >= 2 {
            return &s[..at];
        }
        from = at + 2;
    }
    s
}

/// Finds the source list of a cleaned article.
pub fn sources(c: &Cleaned) -> SourceList {
    let mut out = SourceList::default();
    let text = c.text.as_str();
    let mut in_list = false;
    let mut list_start = 0;
    let mut list_end = 0;
    for b in &c.blocks {
        let line = &text[b.range.clone()];
        if matches!(b.kind, BlockKind::Line | BlockKind::Heading | BlockKind::Paragraph) && is_sources_heading(line) {
            in_list = true;
            list_start = b.range.start;
            list_end = b.range.end;
            continue;
        }
        if let Some((n, rest)) = note_definition(line) {
            push_source(&mut out, n, rest);
            out.ranges.push(b.range.clone());
            continue;
        }
        if in_list {
            if let Some((n, rest)) = numbered_entry(line) {
                push_source(&mut out, n, rest);
                list_end = b.range.end;
                continue;
            }
            // A blank-free list ends at the first line that is not an entry.
            out.ranges.push(list_start..list_end);
            in_list = false;
        }
    }
    if in_list {
        out.ranges.push(list_start..list_end);
    }
    out.sources.sort_by_key(|s| s.n);
    out.sources.dedup_by_key(|s| s.n);
    out
}

fn push_source(out: &mut SourceList, n: u32, rest: &str) {
    if rest.is_empty() {
        return;
    }
    let (title, date) = title_and_date(rest);
    out.sources.push(Source { n, title, date });
}

/// One group of markers found in a sentence: the markers and the tokens they span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerGroup {
    pub markers: Vec<u32>,
    pub start: usize,
    pub end: usize,
    /// Token indices `first..=last` (so claims skip them).
    pub first: usize,
    pub last: usize,
}

/// Words after which a bare number is a figure, not a footnote marker, with the months
/// and their abbreviations ("May 8, 2009"), all lower case: a word is looked up lower-cased.
static NOT_BEFORE_MARKER: LazyLock<FastSet<String>> = LazyLock::new(|| {
    let listed = words::entries(words::NOT_BEFORE_MARKER).map(str::to_string);
    listed
        .chain(MONTH_WORDS.iter().map(|m| m.to_ascii_lowercase()))
        .collect()
});

fn tok_is(t: Option<&Tok>, text: &str, kind: TokKind, s: &str) -> bool {
    t.is_some_and(|t| t.kind == kind && t.text(text) == s)
}

fn small_int(t: &Tok, text: &str) -> Option<u32> {
    let s = t.text(text);
    if t.kind == TokKind::Num && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Whether an article cites with brackets (`[3]`, `[^3]`) anywhere: then it does not
/// also cite with bare numbers in the middle of its sentences, where a bare number
/// after a name is a model or a date ("CANDU 9,", "May 8,").
pub fn cites_in_brackets(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'[', b).any(|at| {
        let rest = &b[at + 1..];
        let rest = rest.strip_prefix(b"^").unwrap_or(rest);
        let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        (1..=3).contains(&digits) && rest.get(digits) == Some(&b']')
    })
}

/// Marker groups in one tokenized sentence. `listed` holds the numbers of the article's
/// sources, ascending (empty: no source list); `mid` those that a bare marker in the
/// middle of a sentence may cite (empty: none, as in bracket-style articles).
pub fn markers(toks: &[Tok], text: &str, listed: &[u32], mid: &[u32]) -> Vec<MarkerGroup> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        // [3], [3, 4], [3–5], [^3]
        if t.kind == TokKind::Punct
            && t.text(text) == "["
            && let Some(mut g) = bracket_group(toks, text, i)
        {
            // "[3][4]" is one group.
            while toks
                .get(g.last + 1)
                .is_some_and(|t| !t.space_before && t.text(text) == "[")
                && let Some(next) = bracket_group(toks, text, g.last + 1)
            {
                g.markers.extend(next.markers);
                g.end = next.end;
                g.last = next.last;
            }
            i = g.last + 1;
            out.push(g);
            continue;
        }
        // ¹⁶ or ¹⁶,¹⁷
        if t.kind == TokKind::Sup && !glued_to_unit(toks, text, i) {
            let mut markers = Vec::new();
            let mut j = i;
            while let Some(v) = toks
                .get(j)
                .filter(|t| t.kind == TokKind::Sup)
                .and_then(|t| sup_value(t.text(text)))
            {
                markers.push(v);
                if tok_is(toks.get(j + 1), text, TokKind::Punct, ",")
                    && toks.get(j + 2).is_some_and(|t| t.kind == TokKind::Sup)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if !markers.is_empty() {
                out.push(MarkerGroup {
                    markers,
                    start: t.start,
                    end: toks[j].end,
                    first: i,
                    last: j,
                });
                i = j + 1;
                continue;
            }
        }
        // Bare numbers closing a sentence, or after a closing quote.
        if t.kind == TokKind::Num
            && t.space_before
            && let Some(g) = bare_group(toks, text, i, listed, mid)
        {
            i = g.last + 1;
            out.push(g);
            continue;
        }
        i += 1;
    }
    out
}

fn sup_value(s: &str) -> Option<u32> {
    s.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + superscript_value(c)?))
}

/// `km²`, `m³`: a superscript that is an exponent, not a marker.
fn glued_to_unit(toks: &[Tok], text: &str, i: usize) -> bool {
    if toks[i].space_before || i == 0 {
        return false;
    }
    let prev = toks[i - 1].text(text);
    matches!(
        prev,
        "m" | "km" | "cm" | "mm" | "ft" | "mi" | "in" | "sq" | "x" | "n" | "e"
    ) || toks[i - 1].kind == TokKind::Num
}

fn bracket_group(toks: &[Tok], text: &str, i: usize) -> Option<MarkerGroup> {
    let mut j = i + 1;
    let md = tok_is(toks.get(j), text, TokKind::Punct, "^");
    if md {
        j += 1;
    }
    let mut markers = Vec::new();
    loop {
        let n = small_int(toks.get(j)?, text)?;
        let sep = toks.get(j + 1)?;
        if sep.kind != TokKind::Punct {
            return None;
        }
        match sep.text(text) {
            "]" => {
                markers.push(n);
                j += 1;
                break;
            }
            "," | ";" => {
                markers.push(n);
                j += 2;
            }
            "–" | "-" | "—" => {
                let m = small_int(toks.get(j + 2)?, text)?;
                if m < n || m - n > 50 {
                    return None;
                }
                markers.extend(n..=m);
                let close = toks.get(j + 3)?;
                match (close.kind, close.text(text)) {
                    (TokKind::Punct, "]") => {
                        j += 3;
                        break;
                    }
                    (TokKind::Punct, ",") => j += 4,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    // "[^3]:" at the start of a line is a definition, not a marker.
    if md && i == 0 && tok_is(toks.get(j + 1), text, TokKind::Punct, ":") {
        return None;
    }
    Some(MarkerGroup {
        markers,
        start: toks[i].start,
        end: toks[j].end,
        first: i,
        last: j,
    })
}

const CLOSING_QUOTES: &[&str] = &["\"", "”", "’", "'", ")"];

/// Bare markers at `i`: `16,17` then the end of the sentence (optionally a full stop and
/// closing quotes), or a number right after a closing quote and before `,` / `;`.
fn bare_group(toks: &[Tok], text: &str, i: usize, listed: &[u32], mid: &[u32]) -> Option<MarkerGroup> {
    let max_n = listed.last().copied().unwrap_or(0);
    let prev = toks.get(i.checked_sub(1)?)?;
    let mut markers = vec![small_int(&toks[i], text)?];
    let mut j = i;
    while tok_is(toks.get(j + 1), text, TokKind::Punct, ",")
        && let Some(n) = toks
            .get(j + 2)
            .filter(|t| t.space_before || !toks[j + 1].space_before)
            .and_then(|t| small_int(t, text))
    {
        markers.push(n);
        j += 2;
    }
    let group = |markers| MarkerGroup {
        start: toks[i].start,
        end: toks[j].end,
        markers,
        first: i,
        last: j,
    };
    let all_listed = !mid.is_empty() && markers.iter().all(|m| mid.binary_search(m).is_ok());
    if all_listed && marks_mid_sentence(toks, text, i, j) {
        return Some(group(markers));
    }
    let after = &toks[j + 1..];
    let mut k = 0;
    if after
        .first()
        .is_some_and(|t| t.kind == TokKind::Punct && matches!(t.text(text), "." | "!" | "?"))
    {
        k = 1;
    }
    while after
        .get(k)
        .is_some_and(|t| t.kind == TokKind::Punct && CLOSING_QUOTES.contains(&t.text(text)))
    {
        k += 1;
    }
    let at_end = k == after.len() && (k > 0 || after.is_empty());
    let after_quote = prev.kind == TokKind::Punct
        && matches!(prev.text(text), "\"" | "”" | "’")
        && (after.is_empty()
            || after
                .first()
                .is_some_and(|t| matches!(t.text(text), "," | ";" | "." | ":")));
    if !at_end && !after_quote {
        return None;
    }
    let before_prev = i.checked_sub(2).and_then(|k| toks.get(k)).map(|t| t.text(text));
    let prev_ok = match prev.kind {
        TokKind::Word => {
            let w = prev.text(text);
            !NOT_BEFORE_MARKER.contains(Lower::new(w).as_str())
                && !w.chars().next().is_some_and(char::is_uppercase)
                || is_scale_or_unit(w)
                // "so far this year 12." — a figure cannot follow "this year".
                || is_time_unit(w) && before_prev.is_some_and(is_deictic)
        }
        // "was reworked in 2025 11." — no figure follows a year at a sentence's end.
        TokKind::Num => is_year(prev.text(text)),
        TokKind::Punct => matches!(prev.text(text), "\"" | "”" | "’" | ")" | "%"),
        _ => false,
    };
    // "1,15,22" is no number; a lone "6" after "rose" is one.
    if !prev_ok && markers.len() < 2 {
        return None;
    }
    let resolvable = max_n > 0 && markers.iter().all(|&m| m >= 1 && m <= max_n);
    if !(resolvable || markers.len() >= 2 && markers.windows(2).all(|w| w[0] != w[1])) {
        return None;
    }
    Some(group(markers))
}

/// Words that follow a footnote marker in the middle of a sentence and can never be the
/// noun a number counts: `chips 13 while ...` is a marker, `13 chips` a count.
static AFTER_MID_MARKER: LazyLock<WordSet> = LazyLock::new(|| words::set(words::AFTER_MID_MARKER));

/// A bare marker `toks[i..=j]` in the middle of a sentence (its numbers already known to
/// be in the source list): after a word, a closing quote or a closing bracket; before a
/// comma, a full stop, a semicolon, a line end, or a lower-case word that cannot be
/// what the number counts.
fn marks_mid_sentence(toks: &[Tok], text: &str, i: usize, j: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|k| toks.get(k)) else {
        return false;
    };
    let prev_ok = match prev.kind {
        TokKind::Word => {
            let w = prev.text(text);
            !NOT_BEFORE_MARKER.contains(Lower::new(w).as_str())
        }
        TokKind::Punct => matches!(prev.text(text), "\"" | "”" | "’" | ")" | "]"),
        _ => false,
    };
    if !prev_ok {
        return false;
    }
    let Some(next) = toks.get(j + 1) else {
        return true;
    };
    let gap = &text[toks[j].end..next.start];
    // "sold on 8, 2009": a day and a year.
    let year_after = toks.get(j + 2).is_some_and(|t| is_year(t.text(text)));
    match next.kind {
        _ if gap.contains(['\n', '\r']) => true,
        TokKind::Punct => matches!(next.text(text), "," | "." | ";") && !year_after,
        TokKind::Word => !gap.is_empty() && AFTER_MID_MARKER.contains(next.text(text)),
        _ => false,
    }
}

fn is_time_unit(w: &str) -> bool {
    ["day", "week", "month", "quarter", "year"]
        .iter()
        .any(|u| u.eq_ignore_ascii_case(w))
}

fn is_deictic(w: &str) -> bool {
    ["this", "last", "next", "that", "each", "every"]
        .iter()
        .any(|u| u.eq_ignore_ascii_case(w))
}

fn is_year(w: &str) -> bool {
    w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

fn is_scale_or_unit(w: &str) -> bool {
    let l = Lower::new(w);
    matches!(
        l.as_str(),
        "million" | "billion" | "trillion" | "bn" | "m" | "gigawatts" | "megawatts" | "percent" | "cent" | "points"
    )
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn groups(s: &str, max_n: u32) -> Vec<Vec<u32>> {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let listed: Vec<u32> = (1..=max_n).collect();
        let mid = if cites_in_brackets(s) { &[][..] } else { &listed[..] };
        markers(&toks, s, &listed, mid).into_iter().map(|g| g.markers).collect()
    }

    #[test]
    fn positive_markers() {
        let table: &[(&str, u32, &[&[u32]])] = &[
            ("Microsoft disclosed its backlog 6.", 22, &[&[6]]),
            ("It has Trainium capacity 16,17.", 22, &[&[16, 17]]),
            ("The exclusivity question comes up 1,15,22.", 22, &[&[1, 15, 22]]),
            ("It consumes 2 gigawatts 16,17.", 22, &[&[16, 17]]),
            ("A valued stake of $135 billion 4.", 22, &[&[4]]),
            ("Railtrack was floated in May 1996.[1]", 0, &[&[1]]),
            ("Cited twice [3, 4] and a range [3–5].", 0, &[&[3, 4], &[3, 4, 5]]),
            ("A Markdown note[^3] here.", 0, &[&[3]]),
            ("Capacity grew¹⁶ and more¹⁶,¹⁷.", 0, &[&[16], &[16, 17]]),
            ("He called it \"a portfolio\" 4, then left.", 9, &[&[4]]),
            ("Unlisted markers stay markers 30,31.", 22, &[&[30, 31]]),
            ("The deal was reworked in 2025 11.", 22, &[&[11]]),
            ("It committed $5 billion so far this year 12.", 22, &[&[12]]),
            // Issue 18: listed markers in the middle of a sentence.
            (
                "Vela bought the lines from Corvo 12, with a further option 12,13.",
                13,
                &[&[12], &[12, 13]],
            ),
            (
                "The pact covers \"three new ports\" 7, and the rest follows.",
                9,
                &[&[7]],
            ),
            (
                "Both firms (Ostra and Vela) 9,10,11; the board agreed.",
                11,
                &[&[9, 10, 11]],
            ),
            ("The yard sold 13 barges 13, placing it first.", 13, &[&[13]]),
            ("Tallis backed the plan 4 while others held back.", 5, &[&[4]]),
            ("The tender went to Ostra 2\nlate in the year.", 5, &[&[2]]),
            // A bracket-style article has no bare markers mid-sentence.
            ("The plant copies the Kestrel 9, as planned [4].", 13, &[&[4]]),
        ];
        for (s, max, want) in table {
            let want: Vec<Vec<u32>> = want.iter().map(|w| w.to_vec()).collect();
            assert_eq!(groups(s, *max), want, "{s}");
        }
    }

    #[test]
    fn negative_markers() {
        let table: &[(&str, u32)] = &[
            ("The company employs 300.", 0),
            ("Revenue rose to 6.", 22),
            ("The firm cut 12,000 jobs.", 22),
            ("He was one of 12.", 22),
            ("Sales hit 1,500.", 22),
            ("An area of 40 km² was cleared.", 0),
            ("The FTSE 100 closed.", 22),
            ("It sold 50 units in May 2026.", 22),
            ("Most pupils stay on in year 12.", 22),
            // Mid-sentence numbers that count something, or with no source list.
            ("The yard sold 13 barges in spring.", 13),
            ("Corvo hired 12 engineers, then 3 more.", 13),
            ("Vela bought the lines from Corvo 12, with an option.", 0),
            ("The port handled 9 ships, a record.", 8),
            ("The phone runs Windows 11, which is new.", 13),
            ("Sales rose between 4 and 5 points.", 13),
            ("The unit shipped on August 13, 2008, to Corvo.", 13),
        ];
        for (s, max) in table {
            assert!(groups(s, *max).is_empty(), "{s}: {:?}", groups(s, *max));
        }
    }

    #[test]
    fn source_entries() {
        assert_eq!(
            title_and_date("Meta and CoreWeave sign expanded capacity deal - 2026-03-30"),
            (
                "Meta and CoreWeave sign expanded capacity deal".to_string(),
                Some("2026-03-30".to_string())
            )
        );
        assert_eq!(
            title_and_date("Byers told to apologise over Railtrack Guardian, 31 January 2006"),
            (
                "Byers told to apologise over Railtrack Guardian".to_string(),
                Some("2006-01-31".to_string())
            )
        );
        assert_eq!(
            numbered_entry("16. Title - 2026-04-13"),
            Some((16, "Title - 2026-04-13"))
        );
        assert_eq!(note_definition("[^3]: A note"), Some((3, "A note")));
        assert_eq!(note_definition("[36] Hansard"), Some((36, "Hansard")));
        assert_eq!(note_definition("[3] "), Some((3, "")));
        assert_eq!(note_definition("[note] x"), None);
        assert_eq!(numbered_entry("2026. A year"), None);
    }
}
