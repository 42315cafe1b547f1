//! Sentence analysis: the clauses of a sentence, the period a figure refers to, and the
//! spans a sentence without figures names towards the reporting period.

use std::sync::LazyLock;

use super::tokens::{Tok, TokKind};
use super::{claims, period, tokens};
use crate::model::Kind;
use crate::normalise::{Period as Span, Relative};
use crate::words;

/// Words that open an appositive or a continuation of the clause before it ("..., an
/// increase of 28.8%", "..., to $32.91bn", "..., roughly £26bn"): a figure there shares
/// the period of that clause.
static APPOSITIVE_OPENERS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::APPOSITIVE_OPENERS));

/// The clause of every token: a new clause starts after `;` `:` `,` a dash or a bracket,
/// and at `while` `whereas` `but` `although`.
pub(super) fn clause_ids(toks: &[Tok], text: &str, out: &mut Vec<usize>) {
    out.clear();
    let mut id = 0;
    out.extend(toks.iter().map(|t| {
        if opens_clause(t, text, true) {
            id += 1;
        }
        id
    }));
}

/// The clause of the token that starts at or after byte `at`.
pub(super) fn clause_at(toks: &[Tok], clauses: &[usize], at: usize) -> Option<usize> {
    toks.iter()
        .position(|t| t.start >= at)
        .and_then(|i| clauses.get(i).copied())
}

/// Words that introduce the base of a change ("up 62% from a year earlier", "compared with
/// last year", "versus the prior quarter"): a period after one is the time of the base, not
/// of the figure, unless the figure is itself inside the base phrase ("down from $1bn in
/// the fourth quarter of 2003"). `over` and `on` introduce a base only before a relative
/// period ("over the previous quarter", "on a year earlier"): "over the first three months
/// of 2024" is the figure's own time.
fn base_word(toks: &[Tok], text: &str, k: usize, p: &period::Period) -> bool {
    let w = |i: usize| {
        toks.get(i)
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| tokens::Lower::new(t.text(text)))
    };
    let Some(word) = w(k) else { return false };
    match word.as_str() {
        "since" | "than" | "versus" | "vs" | "against" => true,
        // "from October", "from 1 October", "from the beginning of October": when a change
        // or a price takes effect, not a base; "from January to March" is a span.
        "from" => {
            let takes_effect = matches!(p.rule, "month date" | "day month") && (k + 1 == p.first || k + 4 == p.first);
            let span = p.rule == "month range" && k + 1 == p.first;
            !(takes_effect || span)
        }
        "over" | "on" => p.rule == "relative",
        "with" | "to" => {
            k > 0 && w(k - 1).is_some_and(|v| matches!(v.as_str(), "compared" | "compares" | "comparison"))
        }
        _ => false,
    }
}

/// The token of the word that makes `p` the base of a change, if one does: the nearest
/// base word up to eight tokens before it in its clause.
fn base_of(toks: &[Tok], text: &str, clauses: &[usize], p: &period::Period) -> Option<usize> {
    let clause = clauses.get(p.first)?;
    (p.first.saturating_sub(8)..p.first)
        .rev()
        .take_while(|&k| clauses.get(k) == Some(clause))
        .find(|&k| base_word(toks, text, k, p))
}

/// "An increase on the current figure of £1,971", "up from the current level of £1,971":
/// the figure a few words after a base's period is that base, and the period is its time.
fn is_the_base(toks: &[Tok], text: &str, p: &period::Period, rc: &claims::RawClaim) -> bool {
    let between = toks.get(p.last + 1..rc.first).unwrap_or_default();
    let words = || between.iter().filter(|t| t.kind == TokKind::Word).map(|t| t.text(text));
    p.last < rc.first
        && between.len() <= 6
        && between.iter().all(|t| t.kind != TokKind::Num)
        && !words().any(|w| matches!(w.to_ascii_lowercase().as_str(), "to" | "at" | "by" | "and"))
}

/// The time a figure refers to, by clause: the nearest period in the figure's own clause;
/// else the period of an opening phrase that holds no figure ("In January 2023, ...");
/// else, for a figure in an appositive, the period of the clause before it. A duration
/// is a length, not a time, and takes none; a period introduced by a base word
/// ([`base_word`]) is the base a change is measured from, not the figure's time, unless
/// the figure stands between the two. Returns the period, whether it is such a base, and
/// the name of the rule that read it (`extract --explain`).
pub(super) fn period_of(
    toks: &[Tok],
    text: &str,
    periods: &[period::Period],
    clauses: &[usize],
    (figure_clauses, figure_starts): (&[usize], &[usize]),
    rc: &claims::RawClaim,
) -> Option<(String, bool, &'static str)> {
    if rc.kind == Kind::Duration {
        return None;
    }
    let clause_of = |i: usize| clauses.get(i).copied().unwrap_or(0);
    let to_figure = from_to_partner(toks, text, rc.first, rc.last);
    let base_figure = base_figure_of(toks, text, figure_starts, rc);
    // (period, is the base of a change)
    let usable: Vec<(&period::Period, bool)> = periods
        .iter()
        .filter(|p| to_figure.is_none_or(|k| p.first < k))
        .filter(|p| base_figure.is_none_or(|k| p.first < k))
        .filter_map(|p| match base_of(toks, text, clauses, p) {
            None => Some((p, false)),
            Some(k) if k < rc.first && rc.last < p.first => Some((p, true)),
            Some(_) if is_the_base(toks, text, p, rc) => Some((p, false)),
            Some(_) => None,
        })
        .collect();
    let in_clause = |c: usize| -> Vec<(&period::Period, bool)> {
        usable
            .iter()
            .copied()
            .filter(|(p, _)| clause_of(p.first) == c)
            .collect()
    };
    let own = clause_of(rc.first);
    let here = in_clause(own);
    if !here.is_empty() {
        return nearest_period(&here, rc.first, rc.last);
    }
    // An opening phrase with a period and no figure sets the time of the whole sentence.
    let first_clause = clause_of(0);
    if own != first_clause && !figure_clauses.contains(&first_clause) {
        let opening = in_clause(first_clause);
        if !opening.is_empty() {
            return nearest_period(&opening, rc.first, rc.last);
        }
    }
    // "..., an increase of 28.8%": the appositive shares the clause before it.
    let opener = toks
        .iter()
        .enumerate()
        .find(|&(i, t)| clause_of(i) == own && t.kind == TokKind::Word)
        .map(|(_, t)| t.text(text));
    if own > first_clause && opener.is_some_and(|w| APPOSITIVE_OPENERS.iter().any(|o| o.eq_ignore_ascii_case(w))) {
        let before = in_clause(own - 1);
        if !before.is_empty() {
            return nearest_period(&before, rc.first, rc.last);
        }
    }
    // "Acme sold 386,810 in Q1, while Globex sold 300,114": a contrasting clause without a
    // time of its own shares the time of the clause it answers.
    // "... last October, when it rose to £1,277": a "when" clause is set at the time named
    // before it.
    if opener.is_some_and(|w| matches!(w, "while" | "whereas" | "when")) {
        let answered = (first_clause..own).rev().map(in_clause).find(|c| !c.is_empty());
        if let Some(before) = answered {
            return nearest_period(&before, rc.first, rc.last);
        }
    }
    // "From £2,100 to £3,764" with no time for the first: it is the level before the change.
    to_figure.map(|_| {
        (
            Span::Relative(Relative::Before).to_string(),
            true,
            "level_before_change",
        )
    })
}

/// For a change, the first token of the figure it is measured from, when one follows it:
/// "fell 43% from its record high of 526,409 units sold in Q4" (Q4 is when the 526,409
/// were sold, not the time of the fall).
fn base_figure_of(toks: &[Tok], text: &str, figure_starts: &[usize], rc: &claims::RawClaim) -> Option<usize> {
    rc.direction?;
    let next = *figure_starts.iter().find(|&&f| f > rc.last)?;
    let opens = |t: &Tok| {
        t.kind == TokKind::Word
            && matches!(
                tokens::Lower::new(t.text(text)).as_str(),
                "from" | "than" | "versus" | "vs"
            )
    };
    (next - rc.last <= 10 && toks.get(rc.last + 1..next).is_some_and(|b| b.iter().any(opens))).then_some(next)
}

/// For the first figure of "from £1,971 to £3,549 in October", the token of "to": the
/// times written after it are the second figure's (the first is the level before).
fn from_to_partner(toks: &[Tok], text: &str, first: usize, last: usize) -> Option<usize> {
    let word = |i: usize| toks.get(i).filter(|t| t.kind == TokKind::Word).map(|t| t.text(text));
    let from = first
        .checked_sub(1)
        .and_then(word)
        .is_some_and(|w| w.eq_ignore_ascii_case("from"));
    let to = last + 1;
    let figure_after = toks
        .get(to + 1)
        .is_some_and(|t| t.kind == TokKind::Num || t.text(text).starts_with(['$', '£', '€', '¥']));
    (from && word(to).is_some_and(|w| w.eq_ignore_ascii_case("to")) && figure_after).then_some(to)
}

/// The period nearest to the claim's tokens, with whether it is a base and its rule.
fn nearest_period(
    periods: &[(&period::Period, bool)],
    first: usize,
    last: usize,
) -> Option<(String, bool, &'static str)> {
    periods
        .iter()
        .min_by_key(|(p, _)| {
            if p.first > last {
                p.first - last
            } else if p.last < first {
                // A period before the figure is a little further than one after it.
                first - p.last + 1
            } else {
                0
            }
        })
        .map(|(p, base)| (p.value.clone(), *base, p.rule))
}

/// Whether a sentence without figures may name a quarter or fiscal period (a cheap test
/// before tokenizing it).
pub(super) fn names_a_span(s: &str) -> bool {
    ["quarter", "Quarter", "fiscal", "Fiscal"].iter().any(|w| s.contains(w))
}

/// Counts the quarters, halves and fiscal years a sentence without figures names towards
/// the article's reporting period ("Nvidia reported third-quarter results"), unless it
/// speaks of the future or names them as a base.
pub(super) fn note_spans(reporting: &mut period::Reporting, toks: &[Tok], text: &str, cx: period::Context) {
    if period::is_future(toks, text) {
        return;
    }
    let mut clauses = Vec::new();
    clause_ids(toks, text, &mut clauses);
    for p in period::periods(toks, text, cx) {
        let span = crate::normalise::Period::parse(&p.value);
        if span.is_some_and(|s| s.is_reporting_span() || matches!(s, crate::normalise::Period::Bare(_)))
            && base_of(toks, text, &clauses, &p).is_none()
        {
            reporting.note(&p.value, toks.first().map_or(0, |t| t.start), false);
        }
    }
}

/// Whether a sentence is about a share price ("Shares fell 5%"): a price move is dated by
/// its trading day, not by the span the article reports, so its figures take no reporting
/// period.
pub(super) fn about_share_price(toks: &[Tok], text: &str) -> bool {
    toks.iter()
        .filter(|t| t.kind == TokKind::Word)
        .any(|t| matches!(tokens::Lower::new(t.text(text)).as_str(), "shares" | "stock" | "stocks"))
}

/// Whether a new clause starts after token `t`: after `;` `:` `,` a dash (and a bracket
/// when `brackets`), and at `while` `whereas` `but` `although`.
fn opens_clause(t: &Tok, text: &str, brackets: bool) -> bool {
    let s = t.text(text);
    match t.kind {
        TokKind::Punct => matches!(s, ";" | ":" | "—" | "–" | ",") || brackets && matches!(s, "(" | ")"),
        TokKind::Word => matches!(s, "while" | "whereas" | "but" | "although"),
        _ => false,
    }
}

/// Byte offset where the clause holding `at` starts (after `,` `;` `:` `while` `but`).
pub(super) fn clause_start(toks: &[Tok], text: &str, at: usize) -> usize {
    let mut start = toks.first().map_or(0, |t| t.start);
    for t in toks {
        if t.start >= at {
            break;
        }
        if opens_clause(t, text, false) {
            start = t.end;
        }
    }
    start
}
