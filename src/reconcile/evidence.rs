//! What is read about a figure, the evidence the clustering, the verdict and the preferred
//! value weigh ([`Fig`]): its span (signed by its direction) and the rounding of the
//! precision written; its period, stated or (for a running total or a change) implied by the
//! article's date; and the words of its clause that mark it a cumulative total, one part or
//! tranche, or of a narrower scope ("AI", "UK", "commercial").

use std::collections::BTreeSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::model::{Direction, Qualifier, SharedClaim};
use crate::normalise::{self, Period};
use crate::words;

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
    /// The values the figure allows, rounding included: a bound is open on one side
    /// ("more than 386,000"), any other figure spans its value or range. "Up to" names the
    /// ceiling of a plan or commitment more often than it bounds a reported figure
    /// ("committed up to $10 billion" beside "has invested $13 billion"): it allows any.
    fn allowed(&self) -> (f64, f64) {
        let (lo, hi) = (self.lo - self.tol, self.hi + self.tol);
        match self.claim().qualifier {
            Qualifier::UpTo => (f64::NEG_INFINITY, f64::INFINITY),
            Qualifier::LessThan => (f64::NEG_INFINITY, hi),
            Qualifier::AtLeast | Qualifier::MoreThan => (lo, f64::INFINITY),
            _ => (lo, hi),
        }
    }
    /// Whether both figures can be true at once: "more than 386,000" admits 386,810 and
    /// "just under 390,000", not 370,000.
    pub(super) fn admits(&self, other: &Fig) -> bool {
        let (a, b) = (self.allowed(), other.allowed());
        a.0 <= b.1 && b.0 <= a.1
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

/// Words near a figure that mark it as a running or overall total, the first listed
/// winning, from `data/words/cumulative.txt`.
static CUMULATIVE_WORDS: LazyLock<Markers> =
    LazyLock::new(|| Markers::new(&words::list(include_str!("../../data/words/cumulative.txt"))));

/// Words near a figure that mark it as one tranche or a part of something larger, the
/// first listed winning, from `data/words/part-words.txt`.
static PART_WORDS: LazyLock<Markers> =
    LazyLock::new(|| Markers::new(&words::list(include_str!("../../data/words/part-words.txt"))));

/// The clause of the sentence that holds the figure (between the nearest `, ; : ( )` or dash).
pub(super) fn clause_of<'s>(sentence: &'s str, text: &str) -> &'s str {
    let Some(at) = (!text.is_empty()).then(|| sentence.find(text)).flatten() else {
        return sentence;
    };
    let end_text = at + text.len();
    // A colon between digits is a time of day ("9:33 a.m."), not a break.
    let bytes = sentence.as_bytes();
    let digit_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    let is_break = |i: usize, c: char| {
        matches!(c, ',' | ';' | '(' | ')' | '\u{2014}' | '\u{2013}')
            || c == ':' && !(digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)))
    };
    // Past the break character, whatever its width (an en dash is three bytes).
    let start = sentence[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_break(i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = sentence[end_text..]
        .char_indices()
        .find(|&(i, c)| is_break(end_text + i, c))
        .map_or(sentence.len(), |(i, _)| end_text + i);
    &sentence[start..end]
}

/// A word list searched in one pass over a text (ASCII case folded, hits at word boundaries
/// only); where several entries occur, the one listed first wins. Each entry answers with its
/// name: itself, or what a pair list says it stands for.
pub(super) struct Markers {
    names: Vec<&'static str>,
    automaton: AhoCorasick,
}

impl Markers {
    pub(super) fn new(words: &[&'static str]) -> Self {
        Markers::named(words.iter().map(|w| (*w, *w)))
    }

    /// Phrases with the name each stands for.
    pub(super) fn named(pairs: impl IntoIterator<Item = (&'static str, &'static str)>) -> Self {
        let (phrases, names): (Vec<&str>, Vec<&str>) = pairs.into_iter().unzip();
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(phrases)
            .expect("static word list");
        Markers { names, automaton }
    }

    /// Every hit at word boundaries: the entry, its start and its end.
    fn hits<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, usize)> + 't {
        self.automaton
            .find_overlapping_iter(text)
            .filter(|m| word_bounded(text, m.start(), m.end()))
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
    }

    /// The names of every entry found in `text`.
    pub(super) fn all_in(&self, text: &str) -> BTreeSet<&'static str> {
        self.hits(text).map(|(i, _, _)| self.names[i]).collect()
    }

    /// The first listed entry found in `text`.
    pub(super) fn first_in(&self, text: &str) -> Option<&'static str> {
        self.hits(text).map(|(i, _, _)| i).min().map(|i| self.names[i])
    }
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
pub(super) fn nearest_marker(sentence: &str, text: &str, words: &Markers) -> Option<&'static str> {
    let own = (!text.is_empty()).then(|| sentence.find(text)).flatten()?;
    let own = (own, own + text.len());
    let mut hits: Vec<(usize, usize, usize)> = words.hits(sentence).collect();
    if hits.is_empty() {
        return None;
    }
    hits.sort_unstable();
    let figures: Vec<(usize, usize)> = FIGURE
        .find_iter(sentence)
        .map(|m| (m.start(), m.end()))
        .filter(|f| f.1 <= own.0 || f.0 >= own.1)
        .collect();
    let distance = |span: (usize, usize), at: usize, end: usize| {
        if end <= span.0 {
            span.0 - end
        } else {
            at.saturating_sub(span.1)
        }
    };
    hits.into_iter()
        .find(|&(_, at, end)| {
            let own_d = distance(own, at, end);
            !figures.iter().any(|f| distance(*f, at, end) < own_d)
        })
        .map(|(i, _, _)| words.names[i])
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
    let cumulative = CUMULATIVE_WORDS
        .first_in(clause)
        .or_else(|| nearest_marker(sentence, &c.text, &CUMULATIVE_WORDS));
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
        part: PART_WORDS.first_in(clause),
        scope: scope_of(clause, &c.text),
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
    ("opening bell", "early trading"),
    ("morning trading", "early trading"),
    ("in the morning", "early trading"),
    ("pre-open", "pre-market"),
    ("before the market opened", "pre-market"),
    ("extended trade", "after hours"),
    ("normal trading", "close"),
    ("regular trading", "close"),
    ("regular session", "close"),
    ("for the session", "close"),
    ("for the day", "close"),
];

static TRADING_WINDOW_WORDS: LazyLock<Markers> = LazyLock::new(|| Markers::named(TRADING_WINDOWS.iter().copied()));

/// A time of day ("at 9:33 a.m."): a price taken during the session.
static CLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b\d{1,2}:\d{2}\s?(?:a\.?m\.?|p\.?m\.?)").expect("static regex"));
/// A span back from now ("in the past three years", "over the last 12 months").
static SPAN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:past|last|previous)\s+(?:[\w-]+\s+)?(year|month|week|day|decade)s?\b").expect("static regex")
});

/// The trading window of a price or market value figure, from its clause: a part of the
/// trading day, a time of day, or a span of months or years back.
fn trading_window(c: &SharedClaim, clause: &str) -> Option<&'static str> {
    let priced = matches!(c.measure.head.as_deref(), Some("share price" | "market value"));
    if !priced {
        return None;
    }
    TRADING_WINDOW_WORDS
        .first_in(clause)
        .or_else(|| CLOCK.is_match(clause).then_some("intraday"))
        .or_else(|| {
            SPAN_BACK
                .captures(clause)
                .map(|m| match m.get(1).map(|u| u.as_str().to_ascii_lowercase()).as_deref() {
                    Some("year" | "decade") => "years",
                    Some("month") => "months",
                    _ => "weeks",
                })
        })
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
    ("GAAP", "GAAP"),
    ("non-GAAP", "non-GAAP"),
    ("adjusted", "non-GAAP"),
];

/// The scopes of [`SCOPE`] that say how a figure is measured, not what part it covers.
pub(super) const BASES: &[&str] = &["GAAP", "non-GAAP"];

static SCOPE_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(SCOPE.iter().map(|(w, _)| w.trim_end_matches('.')))
        .expect("static word list")
});

/// Each scope named by whole words of the clause (a word's closing dots are not part of
/// it), once, at its first place.
fn scope_names(clause: &str) -> Vec<(usize, &'static str)> {
    let mut names: Vec<(usize, &'static str)> = Vec::new();
    for m in SCOPE_WORDS.find_overlapping_iter(clause) {
        let (entry, name) = SCOPE[m.pattern().as_usize()];
        if is_scope_word(clause, m.start(), m.end(), entry) && !names.iter().any(|(_, n)| *n == name) {
            names.push((m.start(), name));
        }
    }
    names
}

/// The scopes of the figure `text` in its clause: those named there, or the one that falls
/// to it when the clause lists as many scopes as figures ([`respective_scope`]).
fn scope_of(clause: &str, text: &str) -> BTreeSet<&'static str> {
    let names = scope_names(clause);
    if names.len() >= 2
        && let Some(one) = respective_scope(names.clone(), clause, text)
    {
        return BTreeSet::from([one]);
    }
    names.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
fn scope_words(clause: &str) -> BTreeSet<&'static str> {
    scope_names(clause).into_iter().map(|(_, n)| n).collect()
}

/// "GAAP and non-GAAP gross margins came in at 73.4% and 73.6%": scopes listed before as
/// many figures go to them in order. `None` unless the clause reads so.
fn respective_scope(mut names: Vec<(usize, &'static str)>, clause: &str, text: &str) -> Option<&'static str> {
    let figures: Vec<usize> = FIGURE.find_iter(clause).map(|m| m.start()).collect();
    let own = clause.find(text)?;
    let first_figure = *figures.first()?;
    if names.len() < 2 || names.len() != figures.len() || names.iter().any(|(at, _)| *at > first_figure) {
        return None;
    }
    names.sort_unstable();
    let i = figures.iter().position(|&f| f >= own)?;
    Some(names[i].1)
}

/// Whether the scope word `entry` found at `start..end` is a whole word as written: acronyms
/// match in their own case, other words in any case.
fn is_scope_word(clause: &str, start: usize, end: usize, entry: &str) -> bool {
    let in_word = |c: char| c.is_alphanumeric() || c == '.';
    // "non-US", "non-GAAP": the negation is another scope; "US$31.9 billion" names a currency.
    let tail = clause.get(start.saturating_sub(4)..start).unwrap_or("");
    let negated = tail.eq_ignore_ascii_case("non-") || tail.eq_ignore_ascii_case("non ");
    let before = clause[..start].chars().next_back().is_none_or(|c| !in_word(c)) && !negated;
    let after = clause[end..]
        .trim_start_matches('.')
        .chars()
        .next()
        .is_none_or(|c| !in_word(c) && c != '$');
    let entry = entry.trim_end_matches('.');
    let case = !entry.chars().all(char::is_uppercase) || &clause[start..end] == entry;
    before && after && case
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
    fn a_price_move_is_read_with_its_window() {
        let moves = [
            ("Shares fell 5.5% to $165 at 9:33 a.m.", "5.5%", Some("intraday")),
            ("Shares fell 6% at the opening bell.", "6%", Some("early trading")),
            (
                "It came after a 1,200% surge in the past three years.",
                "1,200%",
                Some("years"),
            ),
            ("Shares fell 4.9%.", "4.9%", None),
        ];
        assert_eq!(
            clause_of("Shares fell 5.5% to $165 as of 9:33 a.m. in New York: a low.", "$165"),
            "Shares fell 5.5% to $165 as of 9:33 a.m. in New York",
            "a time of day is no break"
        );
        for (sentence, text, window) in moves {
            let claims = crate::reconcile::share(&[with(ic("a.txt", "2024-04-02", text, 5.0, sentence), |c| {
                c.measure.head = Some("share price".into())
            })]);
            assert_eq!(trading_window(&claims[0], sentence), window, "{sentence}");
        }
    }

    #[test]
    fn markers_match_whole_words_in_any_case_and_the_first_listed_wins() {
        let m = Markers::new(&["in total", "total", "since"]);
        assert_eq!(m.first_in("Its TOTAL rose, in total $5bn"), Some("in total"));
        assert_eq!(m.first_in("totals and subtotals"), None);
        assert_eq!(m.first_in("Since 2019 \u{2014} total"), Some("total"));
        let named = Markers::named([("pre-market", "pre-market"), ("premarket", "pre-market")]);
        assert_eq!(named.first_in("PREMARKET trade"), Some("pre-market"));
        assert_eq!(named.all_in("pre-market, then premarket").len(), 1);
        // The marker belongs to the figure nearest to it.
        let s = "It raised $2bn in 2020 and $5bn since then.";
        assert_eq!(nearest_marker(s, "$5bn", &m), Some("since"));
        assert_eq!(nearest_marker(s, "$2bn", &m), None);
    }

    #[test]
    fn scope_words_are_whole_words_and_acronyms_keep_their_case() {
        let set = |s: &str| scope_words(s).into_iter().collect::<Vec<_>>();
        assert_eq!(set("U.S. and British sales"), ["UK", "US"]);
        assert_eq!(set("us and ai and Europeans"), Vec::<&str>::new());
        assert_eq!(set("GLOBAL sales, excl. fees"), ["excluding", "global"]);
        assert_eq!(set("U.S.A sales"), Vec::<&str>::new());
        let clause = "GAAP and non-GAAP gross margins came in at 73.4% and 73.6%";
        assert_eq!(scope_of(clause, "73.6%"), BTreeSet::from(["non-GAAP"]));
        assert_eq!(scope_of(clause, "73.4%"), BTreeSet::from(["GAAP"]));
        assert_eq!(
            scope_of("UK and US sales of $5bn", "$5bn"),
            BTreeSet::from(["UK", "US"])
        );
        assert_eq!(set("net income of US$31.9 billion"), Vec::<&str>::new());
        assert_eq!(set("GAAP gross margin"), ["GAAP"]);
        assert_eq!(set("non-GAAP gross margin"), ["non-GAAP"]);
        assert_eq!(set("the adjusted margin in non-US markets"), ["non-GAAP"]);
    }

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
