//! What is read about a figure, the evidence the clustering, the verdict and the preferred
//! value weigh ([`Fig`]): its span (signed by its direction) and the rounding of the
//! precision written; its period, stated or (for a running total or a change) implied by the
//! article's date; and the words of its clause that mark it a cumulative total, one part or
//! tranche, or of a narrower scope ("AI", "UK", "commercial").

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Direction, Qualifier, SharedClaim};
use crate::normalise::{self, Period};

/// One figure ready for comparison.
#[derive(Debug, Clone)]
pub(super) struct Fig<'a> {
    pub(super) ic: &'a SharedClaim,
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) tol: f64,
    pub(super) period: Option<Period>,
    /// The period is the article's date: the figure states none but is a running total or a
    /// change, which the text reports as of its writing.
    pub(super) implied_period: bool,
    pub(super) cumulative: Option<&'static str>,
    pub(super) part: Option<&'static str>,
    /// Scope words in the figure's clause ("AI", "UK", "commercial", "global").
    pub(super) scope: BTreeSet<&'static str>,
    /// For a price or market value: the part of the trading day it was measured in.
    pub(super) window: Option<&'static str>,
}

impl Fig<'_> {
    pub(super) fn claim(&self) -> &SharedClaim {
        self.ic
    }

    /// A total order of figures, whatever order their claims came in: by value, then by
    /// where they are written.
    pub(super) fn order(a: &Fig, b: &Fig) -> std::cmp::Ordering {
        a.lo.total_cmp(&b.lo)
            .then(a.hi.total_cmp(&b.hi))
            .then_with(|| a.ic.article.path.cmp(&b.ic.article.path))
            .then(a.claim().line.cmp(&b.claim().line))
            .then(a.claim().start.cmp(&b.claim().start))
            .then_with(|| a.claim().text.cmp(&b.claim().text))
            .then_with(|| a.claim().sentence.cmp(&b.claim().sentence))
    }
    pub(super) fn is_range(&self) -> bool {
        self.hi > self.lo
    }
    pub(super) fn is_bound(&self) -> bool {
        matches!(
            self.claim().qualifier,
            Qualifier::UpTo | Qualifier::AtLeast | Qualifier::MoreThan | Qualifier::LessThan
        )
    }
    /// Points agree within the rounding either side wrote; a range holds a point (or meets
    /// another range) when they overlap, rounding included.
    pub(super) fn agrees(&self, other: &Fig) -> bool {
        let tol = self.tol.max(other.tol);
        self.lo - tol <= other.hi && other.lo - tol <= self.hi
    }
}

fn signed(v: f64, dir: Option<Direction>) -> f64 {
    if dir == Some(Direction::Down) { -v } else { v }
}

/// Words near a figure that mark it as a running or overall total.
const CUMULATIVE: &[&str] = &[
    "grew to",
    "grown to",
    "risen to",
    "rose to",
    "in total",
    "total",
    "totals",
    "cumulative",
    "cumulatively",
    "so far",
    "to date",
    "all told",
    "in all",
    "overall",
    "altogether",
    "combined",
    "counting earlier",
    "bringing its total",
    "over the years",
    "since",
    "running total",
];

/// Words near a figure that mark it as one tranche or a part of something larger.
const PART: &[&str] = &[
    "a commitment of",
    "commitment of",
    "tranche",
    "initial",
    "first",
    "further",
    "additional",
    "another",
    "installment",
    "instalment",
    "part of",
    "portion",
    "of which",
    "paid at signing",
    "upfront",
    "up front",
];

/// The clause of the sentence that holds the figure (between the nearest `, ; : ( )` or dash).
pub(super) fn clause_of<'s>(sentence: &'s str, text: &str) -> &'s str {
    let Some(at) = (!text.is_empty()).then(|| sentence.find(text)).flatten() else {
        return sentence;
    };
    let end_text = at + text.len();
    let is_break = |c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '\u{2014}' | '\u{2013}');
    // Past the break character, whatever its width (an en dash is three bytes).
    let start = sentence[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_break(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = sentence[end_text..]
        .find(is_break)
        .map_or(sentence.len(), |i| end_text + i);
    &sentence[start..end]
}

pub(super) fn marker(clause: &str, words: &[&'static str]) -> Option<&'static str> {
    let lower = clause.to_lowercase();
    words.iter().copied().find(|w| {
        let mut from = 0;
        while let Some(rel) = lower.get(from..).and_then(|l| l.find(w)) {
            let at = from + rel;
            let end = at + w.len();
            let ok_before = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let ok_after = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if ok_before && ok_after {
                return true;
            }
            from = end;
        }
        false
    })
}

/// The sentence without its parenthesised asides.
fn without_asides(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut depth = 0usize;
    for ch in sentence.chars() {
        match ch {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

static FIGURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[$\x{a3}\x{20ac}]?\d[\d,.]*").expect("static regex"));

/// A marker anywhere in the sentence, when the figure nearest to it is this one (`text`).
pub(super) fn nearest_marker(sentence: &str, text: &str, words: &[&'static str]) -> Option<&'static str> {
    let own = (!text.is_empty()).then(|| sentence.find(text)).flatten()?;
    let own = (own, own + text.len());
    let figures: Vec<(usize, usize)> = FIGURE.find_iter(sentence).map(|m| (m.start(), m.end())).collect();
    let lower = sentence.to_lowercase();
    let distance = |span: (usize, usize), at: usize, len: usize| {
        if at + len <= span.0 {
            span.0 - (at + len)
        } else {
            at.saturating_sub(span.1)
        }
    };
    for w in words {
        for (at, _) in lower.match_indices(w) {
            if !word_bounded(&lower, at, at + w.len()) {
                continue;
            }
            let own_d = distance(own, at, w.len());
            let other_closer = figures
                .iter()
                .filter(|f| f.1 <= own.0 || f.0 >= own.1)
                .any(|f| distance(*f, at, w.len()) < own_d);
            if !other_closer {
                return Some(w);
            }
        }
    }
    None
}

pub(super) fn word_bounded(s: &str, a: usize, b: usize) -> bool {
    let before = s.get(..a).and_then(|x| x.chars().next_back());
    let after = s.get(b..).and_then(|x| x.chars().next());
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// A figure as clustering needs it: its value span and rounding tolerance, none of the
/// evidence read from its sentence (a key's figures are clustered before they are judged).
pub(super) fn span_only(ic: &SharedClaim) -> Fig<'_> {
    let a = signed(ic.value, ic.direction);
    let b = ic
        .value_max
        .filter(|m| m.is_finite())
        .map_or(a, |m| signed(m, ic.direction));
    Fig {
        ic,
        lo: a.min(b),
        hi: a.max(b),
        tol: normalise::rounding_tolerance(&ic.text, ic.value),
        implied_period: false,
        period: None,
        cumulative: None,
        part: None,
        scope: BTreeSet::new(),
        window: None,
    }
}

pub(super) fn fig(ic: &SharedClaim) -> Fig<'_> {
    let c = ic;
    // Asides in parentheses ("$13bn (about £10bn at today's rate) over the years") are read
    // past, unless the figure is in one.
    let plain = without_asides(&c.sentence);
    let sentence = if !c.text.is_empty() && plain.contains(&*c.text) {
        plain.as_str()
    } else {
        &*c.sentence
    };
    let clause = clause_of(sentence, &c.text);
    // A total is often named a clause away ("the total reported in different ways: as $11
    // billion"): the sentence counts when the clause says nothing.
    let cumulative = marker(clause, CUMULATIVE).or_else(|| nearest_marker(sentence, &c.text, CUMULATIVE));
    let stated = c.period.as_deref().and_then(Period::parse);
    let implied = match (&stated, ic.article.published.as_deref()) {
        (None, Some(date)) if cumulative.is_some() || c.direction.is_some() => {
            Period::parse(date.get(..10).unwrap_or(date))
        }
        _ => None,
    };
    Fig {
        implied_period: implied.is_some(),
        period: stated.or(implied),
        cumulative,
        part: marker(clause, PART),
        scope: scope_words(clause),
        window: trading_window(c, clause),
        ..span_only(ic)
    }
}

/// Phrases naming a part of the trading day, and the window each stands for.
const TRADING_WINDOWS: &[(&str, &str)] = &[
    ("premarket", "pre-market"),
    ("pre-market", "pre-market"),
    ("before the bell", "pre-market"),
    ("before the open", "pre-market"),
    ("early trading", "early trading"),
    ("early trade", "early trading"),
    ("at the open", "early trading"),
    ("in morning", "early trading"),
    ("midday", "intraday"),
    ("intraday", "intraday"),
    ("as much as", "intraday"),
    ("at one point", "intraday"),
    ("after-hours", "after hours"),
    ("after hours", "after hours"),
    ("extended trading", "after hours"),
    ("closed", "close"),
    ("at the close", "close"),
    ("ended the day", "close"),
    ("ended the session", "close"),
    ("finished", "close"),
];

/// The trading window of a price or market value figure, from its clause.
fn trading_window(c: &SharedClaim, clause: &str) -> Option<&'static str> {
    let priced = matches!(c.measure.head.as_deref(), Some("share price" | "market value"));
    let lower = clause.to_lowercase();
    priced
        .then(|| {
            TRADING_WINDOWS
                .iter()
                .find(|(p, _)| contains_words(&lower, p))
                .map(|(_, w)| *w)
        })
        .flatten()
}

/// Whether `phrase` occurs in `hay` at word boundaries.
fn contains_words(hay: &str, phrase: &str) -> bool {
    hay.match_indices(phrase)
        .any(|(i, _)| word_bounded(hay, i, i + phrase.len()))
}

/// Words that narrow what a figure covers, and the scope each stands for.
const SCOPE: &[(&str, &str)] = &[
    ("AI", "AI"),
    ("UK", "UK"),
    ("British", "UK"),
    ("US", "US"),
    ("U.S.", "US"),
    ("American", "US"),
    ("EU", "EU"),
    ("European", "EU"),
    ("Europe", "EU"),
    ("China", "China"),
    ("Chinese", "China"),
    ("global", "global"),
    ("worldwide", "global"),
    ("enterprise", "enterprise"),
    ("consumer", "consumer"),
    ("commercial", "commercial"),
    ("domestic", "domestic"),
    ("international", "international"),
    ("excluding", "excluding"),
    ("excl.", "excluding"),
];

fn scope_words(clause: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for word in clause.split(|c: char| !(c.is_alphanumeric() || c == '.')) {
        let word = word.trim_end_matches('.');
        for (w, scope) in SCOPE {
            let w = w.trim_end_matches('.');
            // Acronyms match as written; other words in any case.
            let hit = if w.chars().all(|c| c.is_uppercase()) {
                word == w
            } else {
                word.eq_ignore_ascii_case(w)
            };
            if hit {
                out.insert(*scope);
            }
        }
    }
    out
}

/// Digits after the decimal point in the figure's text (more precise figures are preferred).
pub(super) fn precision_digits(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|run| run.split_once('.').map(|(_, d)| d.len()))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Claim;
    use crate::reconcile::Verdict;
    use crate::reconcile::tests::{ic, only, with};

    #[test]
    fn multibyte_breaks_do_not_split_characters() {
        let s = "It grew to 2 gigawatts.[5–7] Commentators disputed the $50 billion figure";
        assert_eq!(
            super::clause_of(s, "$50 billion"),
            "7] Commentators disputed the $50 billion figure"
        );
    }

    #[test]
    fn a_change_without_a_period_is_as_of_its_article() {
        let moved = |c: &mut Claim| {
            c.unit = "%".into();
            c.metric = Some("stock move".into());
            c.direction = Some(Direction::Up);
        };
        let claims = [
            with(
                ic("a.txt", "2026-03-02", "5%", 5.0, "Amazon shares rose 5% on the day."),
                moved,
            ),
            with(
                ic(
                    "b.txt",
                    "2026-05-11",
                    "1.8%",
                    1.8,
                    "Amazon shares rose 1.8% in early trading.",
                ),
                moved,
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert_eq!(
            d.reason,
            "2026-03-02 (article date) vs 2026-05-11 (article date): different periods."
        );
        // Same day: a real disagreement.
        let claims = [
            with(
                ic("a.txt", "2026-03-02", "5%", 5.0, "Amazon shares rose 5% on the day."),
                moved,
            ),
            with(
                ic(
                    "b.txt",
                    "2026-03-02",
                    "1.8%",
                    1.8,
                    "Amazon shares rose 1.8% in early trading.",
                ),
                moved,
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Conflict);
        // A level (no direction) gets no period from its article.
        let claims = [
            ic(
                "a.txt",
                "2026-03-02",
                "$38 billion",
                38e9,
                "OpenAI signed a $38 billion deal with Amazon.",
            ),
            ic(
                "b.txt",
                "2026-05-11",
                "$50 billion",
                50e9,
                "OpenAI signed a $50 billion deal with Amazon.",
            ),
        ];
        assert_eq!(only(&claims).verdict, Verdict::Unresolved);
    }

    #[test]
    fn a_total_named_elsewhere_in_the_sentence_counts() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$2 billion",
                    2e9,
                    "Reports put it at $2 billion.",
                ),
                |c| c.period = Some("2021".into()),
            ),
            ic(
                "b.txt",
                "2026-03-09",
                "$11 billion",
                11e9,
                "You will see the total reported in different ways: as $11 billion.",
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained, "{}", d.reason);
    }

    #[test]
    fn asides_do_not_hide_a_total() {
        let claims = [
            with(
                ic(
                    "a.txt",
                    "2026-01-01",
                    "$1bn",
                    1e9,
                    "It put in roughly $13bn (about £10bn at today's rate) over the years, starting with $1bn in 2019.",
                ),
                |c| c.period = Some("2019".into()),
            ),
            with(
                ic(
                    "b.txt",
                    "2026-01-01",
                    "$13bn",
                    13e9,
                    "It put in roughly $13bn (about £10bn at today's rate) over the years, starting with $1bn in 2019.",
                ),
                |c| c.period = Some("2019".into()),
            ),
        ];
        let d = only(&claims);
        assert_eq!(d.verdict, Verdict::Explained);
        assert!(d.reason.contains("'over the years'"), "{}", d.reason);
        assert_eq!(without_asides("a (b (c)) d"), "a  d");
    }
}
