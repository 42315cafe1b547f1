//! normalise, the cross-source side: what a claim is about, as a key that claims from
//! different articles share when they speak of the same thing.
//!
//! - entities are folded through an alias table (`AWS`, `Amazon Web Services`, `$AMZN` ->
//!   Amazon), which users can extend;
//! - metrics are folded into families robust to wording (`commitment`, `investment` ->
//!   `investment`; `deal`, `agreement`, `contract` -> `deal value`), and a trailing `in X` /
//!   `with X` / `to X` names the counterpart;
//! - a claim's written precision gives its rounding tolerance (`$13 billion` is +- 0.5 billion);
//! - periods (`2019`, `2023-01`, `FY2026-Q2`) are compared for overlap.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::extract::tokens::WordSet;
use crate::words;

/// The project's alias table, shared with the extractor.
const DATA_ALIASES: &str = include_str!("../data/aliases.txt");
/// The folds reconciliation adds to it.
const FOLDS: &str = include_str!("../data/folds.txt");

/// Corporate suffixes dropped before lookup ("Microsoft Corp." -> "Microsoft"), each
/// after a space (" corp."), longest form first.
static SUFFIXES: LazyLock<Vec<String>> = LazyLock::new(|| {
    words::entries(words::CORPORATE_SUFFIXES)
        .map(|s| format!(" {s}"))
        .collect()
});

/// The alias table: built in, extendable with `alias = Canonical` lines.
#[derive(Debug, Clone)]
pub struct Aliases {
    map: BTreeMap<String, String>,
}

impl Default for Aliases {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Aliases {
    /// The built-in table: the folds reconciliation adds (`data/folds.txt`), then the
    /// project's `data/aliases.txt` (the extractor's table, compiled in), whose entries win.
    pub fn builtin() -> Self {
        let mut aliases = Aliases { map: BTreeMap::new() };
        // The files are part of the build, so a line they cannot read is a test failure, not
        // a user's problem (see the test `the_data_table_reads_cleanly`).
        aliases.extend_from_str(FOLDS);
        aliases.extend_from_str(DATA_ALIASES);
        aliases
    }

    /// Adds aliases from text, one entry a line (`#` starts a comment; blank lines ignored):
    /// `alias = Canonical`, or the extractor's table format `Canonical: alias, alias` and
    /// `product Name (Owner): alias, alias` (a product and its aliases fold into its owner).
    /// Returns the 1-based numbers of the lines that could not be read.
    pub fn extend_from_str(&mut self, text: &str) -> Vec<usize> {
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some((a, c)) = line.split_once('=') {
                if a.trim().is_empty() || c.trim().is_empty() {
                    bad.push(i + 1);
                } else {
                    self.map.insert(lookup_form(a), c.trim().to_string());
                }
                continue;
            }
            let Some((head, list)) = line.split_once(':') else {
                bad.push(i + 1);
                continue;
            };
            let head = head.trim();
            let (canonical, names) = match head.strip_prefix("product ") {
                Some(p) => match p.split_once('(') {
                    Some((name, owner)) => (owner.trim_end_matches(')').trim(), vec![name.trim()]),
                    None => {
                        bad.push(i + 1);
                        continue;
                    }
                },
                None => (head, vec![head]),
            };
            if canonical.is_empty() {
                bad.push(i + 1);
                continue;
            }
            for name in names.into_iter().chain(list.split(',')) {
                if !name.trim().is_empty() {
                    self.map.insert(lookup_form(name), canonical.to_string());
                }
            }
        }
        bad
    }

    /// Is this a name the table knows (as an alias or a canonical name)?
    pub fn is_known(&self, name: &str) -> bool {
        let key = lookup_form(name);
        self.map.contains_key(&key) || self.map.values().any(|c| c.eq_ignore_ascii_case(name.trim()))
    }

    /// The canonical name of an entity, or the cleaned name itself when the table does not
    /// know it. Empty names give `None`.
    pub fn fold(&self, name: &str) -> Option<String> {
        let cleaned = clean_name(name);
        if cleaned.is_empty() {
            return None;
        }
        let key = lookup_form(&cleaned);
        if let Some(c) = self.map.get(&key) {
            return Some(c.clone());
        }
        let mut stripped = key.clone();
        for s in SUFFIXES.iter() {
            if let Some(rest) = stripped.strip_suffix(s) {
                stripped = rest.trim_end().to_string();
                break;
            }
        }
        if let Some(c) = self.map.get(&stripped) {
            return Some(c.clone());
        }
        Some(cleaned)
    }

    /// Does this (already folded) name appear in `text` under any of its aliases? Returns the
    /// byte offset of the first mention.
    pub fn find_in(&self, canonical: &str, text: &str) -> Option<usize> {
        let lower = text.to_lowercase();
        let mut best: Option<usize> = None;
        let canon_lower = canonical.to_lowercase();
        let names = self
            .map
            .iter()
            .filter(|(_, c)| c.as_str() == canonical)
            .map(|(a, _)| a.as_str())
            .chain(std::iter::once(canon_lower.as_str()));
        for name in names {
            if let Some(pos) = find_word(&lower, name) {
                best = Some(best.map_or(pos, |b| b.min(pos)));
            }
        }
        best
    }
}

/// Finds `needle` in `hay` at word boundaries (both lower case).
fn find_word(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(rel) = hay.get(from..).and_then(|h| h.find(needle)) {
        let at = from + rel;
        let end = at + needle.len();
        let before_ok = hay[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Trims whitespace, quotes, possessives and trailing punctuation.
fn clean_name(name: &str) -> String {
    let mut s = name
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\u{201c}' || c == '\u{201d}');
    for pos in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if let Some(rest) = s.strip_suffix(pos) {
            s = rest;
            break;
        }
    }
    let s = s.trim_end_matches([',', ';', ':', '.', ')']).trim_start_matches('(');
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lookup_form(name: &str) -> String {
    clean_name(name).to_lowercase()
}

/// A metric folded into its family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    /// The family name used in keys ("deal value", "stake", "market share", ...).
    pub name: String,
    /// The metric relates two parties, so the counterpart is part of the key.
    pub relational: bool,
    /// The relation has no direction (a deal between A and B is the deal between B and A).
    pub symmetric: bool,
    /// The counterpart named in the metric itself ("investment in OpenAI" -> "OpenAI").
    pub counterpart: Option<String>,
    /// The units the family applies to (`None`: any).
    pub class: Option<UnitClass>,
    /// The phrase as written, lower case, counterpart dropped: the metric when the family
    /// does not fit the claim's unit.
    pub phrase: String,
}

/// What a metric family measures, to check it against a claim's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitClass {
    /// An ISO 4217 currency code.
    Money,
    /// `%`.
    Percent,
    /// `year`.
    Duration,
    /// `W` or `Wh`.
    Power,
}

impl UnitClass {
    pub fn fits(self, unit: &str) -> bool {
        match self {
            UnitClass::Money => unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase()),
            UnitClass::Percent => unit == "%",
            UnitClass::Duration => unit == "year",
            UnitClass::Power => unit == "W" || unit == "Wh",
        }
    }
}

static COUNTERPART_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)\s+(?:in|into|with|to|from|by|for|of)\s+([A-Z$][\w$.&-]*(?:\s+[A-Z][\w.&-]*)*)$")
        .expect("static regex")
});

/// Words that make a metric a change, a total, a part or a plan rather than the level itself:
/// kept verbatim so that "revenue growth" never meets "revenue", nor "total contract value" or
/// "contract expansion" one contract's value.
static VERBATIM_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::VERBATIM_WORDS));

/// Every word a metric family is made of, plus fillers that do not narrow it.
static FAMILY_WORDS: LazyLock<WordSet> = LazyLock::new(|| words::set(words::FAMILY_WORDS));

/// Folds a metric phrase into its family, for a claim in `unit`: a family that does not fit
/// the unit (an "investment" counted in years) gives way to the phrase as written.
pub fn metric_for_unit(metric: &str, unit: &str, aliases: &Aliases) -> Option<Metric> {
    let m = canonical_metric(metric, aliases)?;
    Some(match m.class {
        Some(class) if !class.fits(unit) => Metric {
            name: m.phrase.clone(),
            relational: m.counterpart.is_some(),
            symmetric: false,
            class: None,
            ..m
        },
        _ => m,
    })
}

/// What a contract's length is called.
const LENGTH_WORDS: &[&str] = &["length", "term", "duration"];
/// A contract's length: a phrase of only these words, one of [`LENGTH_WORDS`] among them.
const CONTRACT_LENGTH_WORDS: &[&str] = &[
    "contract",
    "deal",
    "agreement",
    "partnership",
    "relationship",
    "length",
    "term",
    "duration",
];
/// What compute is bought as, beside [`COMPUTE_COMMITMENT_WORDS`].
const COMPUTE_WORDS: &[&str] = &[
    "compute",
    "services",
    "cloud",
    "azure",
    "purchase",
    "purchases",
    "spend",
    "spending",
];
/// A promise to buy, beside [`COMPUTE_WORDS`].
const COMPUTE_COMMITMENT_WORDS: &[&str] = &[
    "commitment",
    "commitments",
    "spend",
    "spending",
    "purchase",
    "purchases",
];
/// An investment in another party.
const INVESTMENT_WORDS: &[&str] = &[
    "investment",
    "invest",
    "funding",
    "commitment",
    "bet",
    "backing",
    "pledge",
];
/// A deal between two parties (the extractor's nouns of a deal too).
pub(crate) static DEAL_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::DEAL_NOUNS));

/// Folds a metric phrase into its family. `None` for an empty phrase.
pub fn canonical_metric(metric: &str, aliases: &Aliases) -> Option<Metric> {
    let raw = metric.split_whitespace().collect::<Vec<_>>().join(" ");
    if raw.is_empty() {
        return None;
    }
    let (phrase, counterpart) = split_counterpart(&raw, aliases);
    let m = metric_words(&phrase);
    let has_cp = counterpart.is_some();
    Some(match fold_family(&m) {
        Fold::AsWritten => Metric {
            name: m.clone(),
            relational: has_cp,
            symmetric: false,
            counterpart,
            class: None,
            phrase: m,
        },
        Fold::Plain(name, class) => Metric {
            name: name.to_string(),
            relational: has_cp,
            symmetric: false,
            counterpart,
            class: Some(class),
            phrase: m,
        },
        Fold::Relation(name, symmetric, class) => Metric {
            name: name.to_string(),
            relational: true,
            symmetric,
            counterpart,
            class: Some(class),
            phrase: m,
        },
    })
}

/// "investment in OpenAI": the phrase before the counterpart ("investment") and the
/// counterpart folded by `aliases` ("OpenAI"); the whole phrase when it names none.
fn split_counterpart(raw: &str, aliases: &Aliases) -> (String, Option<String>) {
    match COUNTERPART_SUFFIX.captures(raw) {
        Some(c) => {
            let head = c.get(1).map_or("", |m| m.as_str());
            let tail = c.get(2).map_or("", |m| m.as_str());
            (head.to_string(), aliases.fold(tail))
        }
        None => (raw.to_string(), None),
    }
}

/// "Cloud-Revenues" is "cloud revenue": lower case, `-` and `_` as spaces, a few plurals
/// and "capex" written as the family's words.
fn metric_words(phrase: &str) -> String {
    let m = phrase.to_lowercase().replace(['-', '_'], " ");
    m.split_whitespace()
        .map(|w| match w {
            "revenues" => "revenue",
            "capex" => "capital expenditure",
            "investments" => "investment",
            "deals" => "deal",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a metric phrase folds into.
enum Fold {
    /// The phrase as written ("UK data centre investment", "revenue growth").
    AsWritten,
    /// A family of one party's figure: its name and units ("backlog", money).
    Plain(&'static str, UnitClass),
    /// A family relating two parties: its name, whether it has no direction, its units
    /// ("deal value", symmetric, money).
    Relation(&'static str, bool, UnitClass),
}

/// "capex" is "capital expenditure", "investment" stays "investment", "UK data centre
/// investment" stays as written: the family of a phrase of [`metric_words`].
fn fold_family(m: &str) -> Fold {
    let has = |words: &[&str]| words.iter().any(|w| contains_word(m, w));
    let bare = |words: &[&str]| m.split(' ').all(|w| words.contains(&w));
    // A family takes a phrase made only of family words and fillers; anything more ("UK
    // data centre investment") narrows the metric, which then stays as written.
    if !m.split(' ').all(|w| FAMILY_WORDS.contains(w)) {
        return Fold::AsWritten;
    }
    if has(&VERBATIM_WORDS) || m.contains("share of") && !m.contains("share of market") {
        Fold::AsWritten
    } else if bare(CONTRACT_LENGTH_WORDS) && has(LENGTH_WORDS) {
        Fold::Relation("contract length", true, UnitClass::Duration)
    } else if has(&["stake", "holding", "equity"]) && has(&["value", "worth", "valuation"]) {
        Fold::Relation("stake value", false, UnitClass::Money)
    } else if m.contains("market share") || m.contains("share of market") {
        Fold::Plain("market share", UnitClass::Percent)
    } else if has(&["stake", "ownership", "holding"]) {
        Fold::Relation("stake", false, UnitClass::Percent)
    } else if m.contains("capital expenditure") || m.contains("capital spending") {
        Fold::Plain("capital expenditure", UnitClass::Money)
    } else if has(&["backlog", "rpo"]) || m.contains("remaining performance") {
        Fold::Plain("backlog", UnitClass::Money)
    } else if has(&["tranche", "installment", "instalment"]) {
        Fold::Relation("investment tranche", false, UnitClass::Money)
    } else if has(COMPUTE_WORDS) && has(COMPUTE_COMMITMENT_WORDS) {
        Fold::Relation("compute commitment", false, UnitClass::Money)
    } else if has(INVESTMENT_WORDS) {
        Fold::Relation("investment", false, UnitClass::Money)
    } else if has(&DEAL_WORDS) {
        Fold::Relation("deal value", true, UnitClass::Money)
    } else if has(&["capacity"]) {
        Fold::Relation("compute capacity", false, UnitClass::Power)
    } else {
        Fold::AsWritten
    }
}

fn contains_word(hay: &str, word: &str) -> bool {
    find_word(hay, word).is_some()
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d[\d,]*(?:\.(\d+))?").expect("static regex"));

/// Half the last written digit's step, in base units: the rounding a figure carries.
/// `$13 billion` -> 0.5e9, `$13.2 billion` -> 0.05e9, `28.8%` -> 0.05. Figures written in
/// words ("five million") carry none beyond float noise. A whole number of four digits or
/// more that ends in zeros is rounded to its last other digit (writers give 422,875
/// deliveries as "423,000"), by at most [`ROUND_SHARE`] of its value: `423,000` -> 500,
/// `300,000` -> 15,000, `1,500` -> 50.
pub fn rounding_tolerance(text: &str, value: f64) -> f64 {
    let noise = value.abs() * 1e-9;
    let Some(m) = NUMBER.captures(text) else {
        return noise;
    };
    let digits = m.get(0).map_or("", |d| d.as_str()).replace(',', "");
    let decimals = m.get(1).map_or(0, |d| d.as_str().len());
    let Ok(written) = digits.parse::<f64>() else {
        return noise;
    };
    if written == 0.0 || !written.is_finite() {
        return noise;
    }
    let scale = (value / written).abs();
    let step = scale * 10f64.powi(-(decimals.min(12) as i32));
    let zeros = if decimals == 0 && written >= 1000.0 {
        digits.len() - digits.trim_end_matches('0').len()
    } else {
        0
    };
    let rounded = (step * 10f64.powi(zeros.min(12) as i32) / 2.0).min(value.abs() * ROUND_SHARE);
    rounded.max(step / 2.0).max(noise)
}

/// The widest rounding a figure's trailing zeros are read as: a share of its value.
pub const ROUND_SHARE: f64 = 0.05;

/// A period as written by the extractor, comparable for overlap and for sameness.
///
/// Written forms (what [`Period::parse`] reads and `Display` writes back):
/// `2023`, `2023-01`, `2023-01-15` (calendar year, month, day); `2025-Q3`, `2005-H1`
/// (calendar quarter, half); `FY2026`, `FY2026-Q2`, `FY2026-H1` (fiscal year, quarter,
/// half); `Q3`, `H2` (a quarter or half whose year the text does not give); `prior-year`,
/// `prior-quarter`, `last-quarter`, `next-year`, `next-quarter` (relative to the article's
/// reporting period, which the article did not reveal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Period {
    /// Calendar: year, optional month, optional day.
    Calendar(Vec<u32>),
    /// A quarter or half of a calendar year.
    CalendarPart(u32, Part),
    /// A fiscal year, or a quarter or half of one.
    Fiscal(u32, Option<Part>),
    /// A quarter or half of a year the text does not name (calendar or fiscal).
    Bare(Part),
    /// A month of a year the text does not name, written `--10` (ISO 8601's form); with
    /// `true`, the last such month before the article's date ("last October", `last--10`).
    BareMonth(u8, bool),
    /// A period named relative to the article's reporting period, not resolved.
    Relative(Relative),
}

/// A quarter (1-4) or half (1-2) of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Quarter(u8),
    Half(u8),
}

/// A relative period, by its written form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relative {
    /// The same span a year before ("a year earlier", "the year-ago quarter").
    PriorYear,
    /// The quarter before ("the previous quarter").
    PriorQuarter,
    /// The quarter just ended when the article was written ("last quarter").
    LastQuarter,
    NextYear,
    NextQuarter,
    /// The time of writing ("at present", "the current cap") in an article without a date.
    Present,
    /// The level before a change the sentence reports ("rise from £2,100 to £3,764": the
    /// £2,100), when the text gives it no time of its own.
    Before,
}

const RELATIVE_FORMS: &[(&str, Relative)] = &[
    ("prior-year", Relative::PriorYear),
    ("prior-quarter", Relative::PriorQuarter),
    ("last-quarter", Relative::LastQuarter),
    ("next-year", Relative::NextYear),
    ("next-quarter", Relative::NextQuarter),
    ("present", Relative::Present),
    ("before", Relative::Before),
];

/// The time system a span is counted in: fiscal years start at an unknown month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum System {
    Calendar,
    Fiscal,
}

/// Days per month in span arithmetic: a span is `[lo, hi)` in units of month * 32 + day.
const M: u64 = 32;

impl Part {
    fn parse(s: &str) -> Option<Part> {
        let b = s.as_bytes();
        let n = match b {
            [_, d @ b'1'..=b'4'] => d - b'0',
            _ => return None,
        };
        match b[0] {
            b'Q' | b'q' => Some(Part::Quarter(n)),
            b'H' | b'h' if n <= 2 => Some(Part::Half(n)),
            _ => None,
        }
    }

    /// First month (0-based) and length in months.
    fn months(self) -> (u64, u64) {
        match self {
            Part::Quarter(n) => (3 * (u64::from(n) - 1), 3),
            Part::Half(n) => (6 * (u64::from(n) - 1), 6),
        }
    }

    /// Whether the two parts of one year share months.
    fn overlaps(self, other: Part) -> bool {
        let ((a, la), (b, lb)) = (self.months(), other.months());
        a < b + lb && b < a + la
    }
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Quarter(n) => write!(f, "Q{n}"),
            Part::Half(n) => write!(f, "H{n}"),
        }
    }
}

impl Period {
    /// Reads any form the extractor writes (see [`Period`]); `None` for anything else.
    pub fn parse(s: &str) -> Option<Period> {
        let t = s.trim();
        if let Some(&(_, r)) = RELATIVE_FORMS.iter().find(|(f, _)| f.eq_ignore_ascii_case(t)) {
            return Some(Period::Relative(r));
        }
        if let Some(p) = Part::parse(t) {
            return Some(Period::Bare(p));
        }
        let (last, month) = match t.strip_prefix("last--") {
            Some(m) => (true, Some(m)),
            None => (false, t.strip_prefix("--")),
        };
        if let Some(m) = month {
            let m: u8 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            return Some(Period::BareMonth(m, last));
        }
        if let Some(rest) = t.strip_prefix("FY").or_else(|| t.strip_prefix("fy")) {
            let (year, part) = rest.split_once('-').map_or((rest, None), |(y, p)| (y, Some(p)));
            let year = four_digit_year(year)?;
            return match part {
                None => Some(Period::Fiscal(year, None)),
                Some(p) => Some(Period::Fiscal(year, Some(Part::parse(p)?))),
            };
        }
        if let Some((year, part)) = t.split_once('-')
            && let Some(part) = Part::parse(part)
        {
            return Some(Period::CalendarPart(four_digit_year(year)?, part));
        }
        let v: Vec<u32> = t.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        let valid = match v.as_slice() {
            [y] => *y >= 1000,
            [y, m] => *y >= 1000 && (1..=12).contains(m),
            [y, m, d] => *y >= 1000 && (1..=12).contains(m) && (1..=31).contains(d),
            _ => false,
        };
        valid.then_some(Period::Calendar(v))
    }

    /// The span as `(system, lo, hi)`, for periods that have a known year.
    fn span(&self) -> Option<(System, u64, u64)> {
        let year_start = |y: u32| u64::from(y) * 12 * M;
        let part = |y: u32, p: Part| {
            let (first, len) = p.months();
            let lo = year_start(y) + first * M;
            (lo, lo + len * M)
        };
        Some(match self {
            Period::Calendar(v) => {
                let y = year_start(*v.first()?);
                match (v.get(1), v.get(2)) {
                    (None, _) => (System::Calendar, y, y + 12 * M),
                    (Some(&m), None) => {
                        let lo = y + u64::from(m.saturating_sub(1)) * M;
                        (System::Calendar, lo, lo + M)
                    }
                    (Some(&m), Some(&d)) => {
                        let lo = y + u64::from(m.saturating_sub(1)) * M + u64::from(d);
                        (System::Calendar, lo, lo + 1)
                    }
                }
            }
            Period::CalendarPart(y, p) => {
                let (lo, hi) = part(*y, *p);
                (System::Calendar, lo, hi)
            }
            Period::Fiscal(y, None) => (System::Fiscal, year_start(*y), year_start(*y) + 12 * M),
            Period::Fiscal(y, Some(p)) => {
                let (lo, hi) = part(*y, *p);
                (System::Fiscal, lo, hi)
            }
            Period::Bare(_) | Period::BareMonth(..) | Period::Relative(_) => return None,
        })
    }

    /// The month of the year (1-12) a period names, if it names one.
    fn month(&self) -> Option<u8> {
        match self {
            Period::Calendar(v) => v.get(1).and_then(|&m| u8::try_from(m).ok()),
            Period::BareMonth(m, _) => Some(*m),
            _ => None,
        }
    }

    /// A month or quarter written without its year read as the one nearest the given year
    /// and month (a quarter by its last month; ties to the past): news speaks of the months
    /// around its date. Other periods as they are.
    pub fn near(&self, year: u32, month: u32) -> Period {
        let nearest = |m: u32| {
            let at = i64::from(year) * 12 + i64::from(month);
            [year.saturating_sub(1), year, year + 1]
                .into_iter()
                .min_by_key(|&y| ((i64::from(y) * 12 + i64::from(m) - at).abs(), y))
                .unwrap_or(year)
        };
        match self {
            Period::BareMonth(m, false) => Period::Calendar(vec![nearest(u32::from(*m)), u32::from(*m)]),
            Period::BareMonth(m, true) => {
                let m = u32::from(*m);
                Period::Calendar(vec![year.saturating_sub(u32::from(m >= month)), m])
            }
            Period::Bare(p) => {
                let (first, len) = p.months();
                let last = u32::try_from(first + len).unwrap_or(12);
                Period::CalendarPart(nearest(last), *p)
            }
            Period::Relative(Relative::Present) => Period::Calendar(vec![year, month]),
            other => other.clone(),
        }
    }

    /// A month or quarter written without its year read as the first one at or after the
    /// given year and month (a quarter by its last month): a forecast speaks of months to
    /// come ("£6,616 in April", written in August, is next April). Other periods as
    /// [`Period::near`] reads them.
    pub fn ahead(&self, year: u32, month: u32) -> Period {
        let next = |m: u32| if m >= month { year } else { year + 1 };
        match self {
            Period::BareMonth(m, false) => Period::Calendar(vec![next(u32::from(*m)), u32::from(*m)]),
            Period::Bare(p) => {
                let (first, len) = p.months();
                Period::CalendarPart(next(u32::try_from(first + len).unwrap_or(12)), *p)
            }
            other => other.near(year, month),
        }
    }

    /// The quarter or half a period names, if any.
    fn part(&self) -> Option<Part> {
        match self {
            Period::CalendarPart(_, p) | Period::Fiscal(_, Some(p)) | Period::Bare(p) => Some(*p),
            _ => None,
        }
    }

    /// A whole year, nothing finer (`2024`, `FY2026`).
    pub fn is_year(&self) -> bool {
        matches!(self, Period::Fiscal(_, None)) || matches!(self, Period::Calendar(v) if v.len() == 1)
    }

    /// `Some(true)` when the two periods share time (one holds the other), `Some(false)` when
    /// they are disjoint, `None` when they cannot be compared (calendar vs fiscal, a month
    /// against a quarter of unknown year). A bare `Q3` possibly shares time with any Q3 and
    /// with any whole year; a relative period is taken as another time than any stated one.
    pub fn overlaps(&self, other: &Period) -> Option<bool> {
        if let (Some((sa, la, ha)), Some((sb, lb, hb))) = (self.span(), other.span()) {
            return (sa == sb).then_some(la < hb && lb < ha);
        }
        match (self, other) {
            // The time of writing is some time: which one, the article does not say.
            (Period::Relative(Relative::Present), _) | (_, Period::Relative(Relative::Present)) => None,
            (Period::Relative(a), Period::Relative(b)) => (a != b).then_some(false),
            (Period::Relative(_), _) | (_, Period::Relative(_)) => Some(false),
            (Period::BareMonth(m, _), x) | (x, Period::BareMonth(m, _)) => match (x.month(), x) {
                (Some(n), _) => Some(*m == n),
                (None, Period::CalendarPart(_, p)) => {
                    let (first, len) = p.months();
                    Some((first..first + len).contains(&(u64::from(*m) - 1)))
                }
                (None, x) if x.is_year() => Some(true),
                _ => None,
            },
            (Period::Bare(p), x) | (x, Period::Bare(p)) => match x.part() {
                Some(q) => Some(p.overlaps(q)),
                None if x.is_year() => Some(true),
                None => None,
            },
            _ => None,
        }
    }

    /// A quarter or half written without its year.
    pub fn is_bare(&self) -> bool {
        matches!(self, Period::Bare(_) | Period::BareMonth(..))
    }

    /// Whether the period is read against a date the article does not give: a month or
    /// quarter without its year, or the time of writing.
    pub fn needs_date(&self) -> bool {
        self.is_bare() || *self == Period::Relative(Relative::Present)
    }

    /// Whether two figures of one measure speak of the same span of time: `Some(true)` for
    /// equal spans (a bare `Q3` is taken as the same as any Q3), `Some(false)` for disjoint
    /// spans and for one inside the other (a year's figure is not a quarter's: `FY2026` vs
    /// `FY2026-Q3`), `None` when unknown (calendar vs fiscal, two relative periods).
    pub fn same(&self, other: &Period) -> Option<bool> {
        if let (Some((sa, la, ha)), Some((sb, lb, hb))) = (self.span(), other.span()) {
            return (sa == sb).then_some(la == lb && ha == hb);
        }
        match (self, other) {
            (Period::Relative(a), Period::Relative(b)) => (a != b).then_some(false),
            (Period::Relative(_), _) | (_, Period::Relative(_)) => Some(false),
            (Period::BareMonth(m, _), x) | (x, Period::BareMonth(m, _)) => {
                Some(x.month() == Some(*m) && !matches!(x, Period::Calendar(v) if v.len() > 2))
            }
            (Period::Bare(p), x) | (x, Period::Bare(p)) => Some(x.part() == Some(*p)),
            _ => None,
        }
    }

    /// Whether a fiscal and a calendar period of one kind (quarter or half) may name the
    /// same span, the text not giving the company's fiscal calendar: a fiscal year ends in
    /// the calendar year it is named after or starts in the year before (Microsoft's
    /// `FY2026-Q2` is `2025-Q4`).
    pub fn may_be_same(&self, other: &Period) -> bool {
        let fiscal = |p: &Period| matches!(p, Period::Fiscal(..));
        let kind = |p: &Period| p.part().map(|x| matches!(x, Part::Quarter(_)));
        self.same(other).is_none()
            && fiscal(self) != fiscal(other)
            && kind(self).is_some()
            && kind(self) == kind(other)
            && self.year().zip(other.year()).is_some_and(|(a, b)| a.abs_diff(b) <= 1)
    }

    /// The year, when the period names one.
    pub fn year(&self) -> Option<u32> {
        match self {
            Period::Calendar(v) => v.first().copied(),
            Period::CalendarPart(y, _) | Period::Fiscal(y, _) => Some(*y),
            Period::Bare(_) | Period::BareMonth(..) | Period::Relative(_) => None,
        }
    }

    /// The same kind of period `years` years and `quarters` quarters later (negative:
    /// earlier). `None` for a period without a year, or a shift by quarters of a period that
    /// is not a quarter.
    pub fn shifted(&self, years: i32, quarters: i32) -> Option<Period> {
        let add = |y: u32, n: i32| u32::try_from(i64::from(y) + i64::from(n)).ok();
        if quarters != 0 {
            let (y, q, fiscal) = match self {
                Period::CalendarPart(y, Part::Quarter(q)) => (*y, *q, false),
                Period::Fiscal(y, Some(Part::Quarter(q))) => (*y, *q, true),
                _ => return None,
            };
            let idx = i64::from(y) * 4 + i64::from(q) - 1 + i64::from(quarters) + i64::from(years) * 4;
            let (y, q) = (
                u32::try_from(idx.div_euclid(4)).ok()?,
                Part::Quarter(idx.rem_euclid(4) as u8 + 1),
            );
            return Some(if fiscal {
                Period::Fiscal(y, Some(q))
            } else {
                Period::CalendarPart(y, q)
            });
        }
        Some(match self {
            Period::Calendar(v) => {
                let mut v = v.clone();
                *v.first_mut()? = add(*v.first()?, years)?;
                Period::Calendar(v)
            }
            Period::CalendarPart(y, p) => Period::CalendarPart(add(*y, years)?, *p),
            Period::Fiscal(y, p) => Period::Fiscal(add(*y, years)?, *p),
            Period::Bare(_) | Period::BareMonth(..) | Period::Relative(_) => return None,
        })
    }

    /// Whether the period names a quarter or half of a known year, or a fiscal year: the
    /// spans an article reports results for.
    pub fn is_reporting_span(&self) -> bool {
        matches!(self, Period::CalendarPart(..) | Period::Fiscal(..))
    }

    /// A short phrase for messages: `Q3 2025`, `Q2 of fiscal 2026`, `January 2023`.
    pub fn describe(&self) -> String {
        let month = |m: u32| crate::clean::meta::month_name(m).unwrap_or("?");
        match self {
            Period::Calendar(v) => match v.as_slice() {
                [y, m] => format!("{} {y}", month(*m)),
                [y, m, d] => format!("{d} {} {y}", month(*m)),
                _ => self.to_string(),
            },
            Period::CalendarPart(y, p) => format!("{p} {y}"),
            Period::Fiscal(y, None) => format!("fiscal {y}"),
            Period::Fiscal(y, Some(p)) => format!("{p} of fiscal {y}"),
            Period::Bare(p) => format!("{p} (year not stated)"),
            Period::BareMonth(m, false) => format!("{} (year not stated)", month(u32::from(*m))),
            Period::BareMonth(m, true) => format!("last {} (year not stated)", month(u32::from(*m))),
            Period::Relative(r) => match r {
                Relative::PriorYear => "a year earlier",
                Relative::PriorQuarter => "the previous quarter",
                Relative::LastQuarter => "last quarter",
                Relative::NextYear => "next year",
                Relative::NextQuarter => "next quarter",
                Relative::Present => "at present (date not stated)",
                Relative::Before => "before the change reported",
            }
            .to_string(),
        }
    }
}

/// `2026` (1000-9999) from a four-digit string.
fn four_digit_year(s: &str) -> Option<u32> {
    (s.len() == 4).then(|| s.parse().ok()).flatten().filter(|y| *y >= 1000)
}

impl std::fmt::Display for Period {
    /// The written form [`Period::parse`] reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Calendar(v) => match v.as_slice() {
                [y, m, d] => write!(f, "{y}-{m:02}-{d:02}"),
                [y, m] => write!(f, "{y}-{m:02}"),
                [y] => write!(f, "{y}"),
                _ => Ok(()),
            },
            Period::CalendarPart(y, p) => write!(f, "{y}-{p}"),
            Period::Fiscal(y, None) => write!(f, "FY{y}"),
            Period::Fiscal(y, Some(p)) => write!(f, "FY{y}-{p}"),
            Period::Bare(p) => write!(f, "{p}"),
            Period::BareMonth(m, false) => write!(f, "--{m:02}"),
            Period::BareMonth(m, true) => write!(f, "last--{m:02}"),
            Period::Relative(r) => {
                let form = RELATIVE_FORMS.iter().find(|(_, x)| x == r).map_or("", |(s, _)| s);
                f.write_str(form)
            }
        }
    }
}

/// Days since 1970-01-01 of an ISO date (`2026-03-02`, `2026-03`, `2026`), for recency.
pub fn days_from_iso(s: &str) -> Option<i64> {
    let mut parts = s.trim().get(..10.min(s.trim().len()))?.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: i64 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_without_its_year_reads_back_and_resolves_near_a_date() {
        for form in ["--10", "last--10"] {
            assert_eq!(Period::parse(form).map(|p| p.to_string()).as_deref(), Some(form));
        }
        assert_eq!(Period::parse("--13"), None);
        let near = |s: &str, y: u32, m: u32| Period::parse(s).map(|p| p.near(y, m).to_string());
        assert_eq!(near("--10", 2022, 8).as_deref(), Some("2022-10"));
        assert_eq!(near("--01", 2022, 8).as_deref(), Some("2023-01"));
        assert_eq!(near("--04", 2022, 8).as_deref(), Some("2022-04"));
        assert_eq!(near("last--10", 2022, 8).as_deref(), Some("2021-10"));
        assert_eq!(near("last--10", 2022, 11).as_deref(), Some("2022-10"));
        assert_eq!(near("Q1", 2024, 4).as_deref(), Some("2024-Q1"));
        assert_eq!(near("Q4", 2024, 4).as_deref(), Some("2023-Q4"));
        assert_eq!(near("FY2026-Q3", 2024, 4).as_deref(), Some("FY2026-Q3"));
        let oct = Period::parse("--10");
        let cal = |s: &str| Period::parse(s);
        assert_eq!(oct.as_ref().and_then(|o| o.same(&cal("2022-10")?)), Some(true));
        assert_eq!(oct.as_ref().and_then(|o| o.same(&cal("2022-11")?)), Some(false));
        assert_eq!(oct.as_ref().and_then(|o| o.overlaps(&cal("2022-Q4")?)), Some(true));
        assert_eq!(oct.as_ref().and_then(|o| o.overlaps(&cal("2022-Q1")?)), Some(false));
    }

    #[test]
    fn aliases_fold_to_one_name() {
        let a = Aliases::builtin();
        for n in ["AWS", "Amazon Web Services", "$AMZN", "Amazon's", "Amazon.com Inc."] {
            assert_eq!(a.fold(n).as_deref(), Some("Amazon"), "{n}");
        }
        assert_eq!(a.fold("Microsoft Corp.").as_deref(), Some("Microsoft"));
        assert_eq!(a.fold("OpenAI Group PBC").as_deref(), Some("OpenAI"));
        assert_eq!(a.fold("Nscale").as_deref(), Some("Nscale"));
        assert_eq!(a.fold("  "), None);
    }

    #[test]
    fn the_data_table_reads_cleanly() {
        let mut a = Aliases::builtin();
        assert_eq!(a.extend_from_str(DATA_ALIASES), Vec::<usize>::new());
        assert_eq!(a.extend_from_str(FOLDS), Vec::<usize>::new());
        assert_eq!(a.fold("Oracle Cloud").as_deref(), Some("Oracle"));
        assert_eq!(a.fold("Trainium2").as_deref(), Some("Amazon"));
        assert_eq!(a.fold("Nebius Group").as_deref(), Some("Nebius"));
        assert_eq!(a.fold("Microsoft Foundry").as_deref(), Some("Microsoft"));
    }

    #[test]
    fn aliases_extend_from_a_file() {
        let mut a = Aliases::builtin();
        let bad = a.extend_from_str("# mine\nMSFT Azure = Microsoft\nnonsense line\n");
        assert_eq!(bad, vec![3]);
        assert_eq!(a.fold("msft azure").as_deref(), Some("Microsoft"));
        // The extractor's table format.
        let bad = a.extend_from_str(
            "Nebius: Nebius Group, NBIS\nproduct Foundry (Microsoft): Azure AI Foundry\nproduct Oops: x\n",
        );
        assert_eq!(bad, vec![3]);
        assert_eq!(a.fold("NBIS").as_deref(), Some("Nebius"));
        assert_eq!(a.fold("Nebius Group").as_deref(), Some("Nebius"));
        assert_eq!(a.fold("Azure AI Foundry").as_deref(), Some("Microsoft"));
        assert_eq!(a.fold("Foundry").as_deref(), Some("Microsoft"));
        assert!(a.is_known("Nebius") && a.is_known("aws") && !a.is_known("December"));
        assert_eq!(a.fold("Trainium3").as_deref(), Some("Amazon"));
    }

    #[test]
    fn finds_mentions_under_any_alias() {
        let a = Aliases::builtin();
        assert_eq!(a.find_in("Amazon", "a deal with AWS for chips"), Some(12));
        assert_eq!(a.find_in("Amazon", "the Amazonian rainforest"), None);
    }

    #[test]
    fn metric_families_are_robust_to_wording() {
        let a = Aliases::builtin();
        let f = |m: &str| canonical_metric(m, &a).map(|m| (m.name, m.counterpart));
        assert_eq!(
            f("investment in OpenAI"),
            Some(("investment".into(), Some("OpenAI".into())))
        );
        assert_eq!(f("commitment"), Some(("investment".into(), None)));
        assert_eq!(f("investment commitment").map(|x| x.0), Some("investment".into()));
        assert_eq!(f("agreement").map(|x| x.0), Some("deal value".into()));
        assert_eq!(
            f("deal value with OpenAI"),
            Some(("deal value".into(), Some("OpenAI".into())))
        );
        assert_eq!(
            f("compute commitment to Microsoft").map(|x| x.0),
            Some("compute commitment".into())
        );
        assert_eq!(f("value of stake in OpenAI").map(|x| x.0), Some("stake value".into()));
        assert_eq!(f("stake in OpenAI").map(|x| x.0), Some("stake".into()));
        assert_eq!(
            f("Intelligent Cloud revenue growth").map(|x| x.0),
            Some("intelligent cloud revenue growth".into())
        );
        assert_eq!(f("cloud market share").map(|x| x.0), Some("market share".into()));
        assert_eq!(
            f("share of backlog from OpenAI").map(|x| x.0),
            Some("share of backlog".into())
        );
        assert_eq!(
            f("contract length with OpenAI").map(|x| x.0),
            Some("contract length".into())
        );
        assert_eq!(f("agreement").map(|x| x.0), Some("deal value".into()));
        assert_eq!(f("deal value with AWS").and_then(|x| x.1), Some("Amazon".into()));
        assert_eq!(
            f("total contract value with OpenAI").map(|x| x.0),
            Some("total contract value".into())
        );
        assert_eq!(
            f("contract expansion with OpenAI").map(|x| x.0),
            Some("contract expansion".into())
        );
        assert_eq!(
            f("backlog weighted average duration").map(|x| x.0),
            Some("backlog weighted average duration".into())
        );
        assert_eq!(f("partnership length").map(|x| x.0), Some("contract length".into()));
        assert_eq!(f("   "), None);
        // A family that does not fit the unit gives way to the phrase.
        let u = |m: &str, unit: &str| metric_for_unit(m, unit, &a).map(|m| m.name);
        assert_eq!(u("investment in OpenAI", "USD"), Some("investment".into()));
        assert_eq!(
            u("investment payback in OpenAI", "year"),
            Some("investment payback".into())
        );
        assert_eq!(u("stake", "%"), Some("stake".into()));
        // Extra words narrow the metric: it stays as written.
        assert_eq!(
            u("UK data-centre investment", "USD"),
            Some("uk data centre investment".into())
        );
        assert_eq!(
            u("payment period of 2023 commitment", "year"),
            Some("payment period of 2023 commitment".into())
        );
    }

    #[test]
    fn tolerance_follows_the_written_precision() {
        assert!((rounding_tolerance("$13 billion", 13e9) - 0.5e9).abs() < 1.0);
        assert!((rounding_tolerance("$13.2 billion", 13.2e9) - 0.05e9).abs() < 1.0);
        assert!((rounding_tolerance("28.8%", 28.8) - 0.05).abs() < 1e-9);
        assert!((rounding_tolerance("1,500", 1500.0) - 50.0).abs() < 1e-9);
        assert!((rounding_tolerance("1,507", 1507.0) - 0.5).abs() < 1e-9);
        assert!((rounding_tolerance("423,000", 423e3) - 500.0).abs() < 1e-9);
        assert!((rounding_tolerance("about 300,000", 300e3) - 15e3).abs() < 1e-9);
        assert!((rounding_tolerance("20%", 20.0) - 0.5).abs() < 1e-9);
        assert!(rounding_tolerance("five million", 5e6) < 1.0);
    }

    #[test]
    fn periods_overlap_by_prefix() {
        let p = |s: &str| Period::parse(s);
        let y2023 = p("2023").unwrap();
        assert_eq!(y2023.overlaps(&p("2023-01").unwrap()), Some(true));
        assert_eq!(p("2019").unwrap().overlaps(&y2023), Some(false));
        assert_eq!(p("FY2026-Q2").unwrap().overlaps(&p("FY2026-Q1").unwrap()), Some(false));
        assert_eq!(p("FY2026-Q2").unwrap().overlaps(&y2023), None);
        assert_eq!(p("soon"), None);
    }

    #[test]
    fn every_period_form_parses_and_prints_back() {
        for s in [
            "2023",
            "2023-01",
            "2023-01-15",
            "2025-Q3",
            "2005-H1",
            "FY2026",
            "FY2026-Q2",
            "FY2026-H2",
            "Q3",
            "H1",
            "prior-year",
            "prior-quarter",
            "last-quarter",
            "next-year",
            "next-quarter",
        ] {
            let p = Period::parse(s).unwrap_or_else(|| panic!("{s} does not parse"));
            assert_eq!(p.to_string(), s);
            assert!(!p.describe().is_empty());
        }
        for s in ["soon", "Q5", "H3", "2023-13", "FY26", "20-Q1", "2023-Q0", "", "prior"] {
            assert_eq!(Period::parse(s), None, "{s}");
        }
    }

    /// (a, b, overlaps, same): one row per relation between two kinds of period.
    const RELATIONS: &[(&str, &str, Option<bool>, Option<bool>)] = &[
        ("2023", "2023", Some(true), Some(true)),
        ("2023", "2023-01", Some(true), Some(false)),
        ("2019", "2023", Some(false), Some(false)),
        ("2025-Q3", "2025", Some(true), Some(false)),
        ("2025-Q3", "2025-08", Some(true), Some(false)),
        ("2025-Q3", "2025-11", Some(false), Some(false)),
        ("2025-Q3", "2025-Q4", Some(false), Some(false)),
        ("2025-Q3", "2025-H2", Some(true), Some(false)),
        ("2025-Q3", "2025-Q3", Some(true), Some(true)),
        ("2024-03-31", "2024-Q1", Some(true), Some(false)),
        ("FY2026-Q3", "FY2026", Some(true), Some(false)),
        ("FY2026-Q3", "FY2026-Q2", Some(false), Some(false)),
        ("FY2026-Q3", "FY2025-Q3", Some(false), Some(false)),
        ("FY2026-Q3", "2025-Q3", None, None),
        ("FY2026", "2026", None, None),
        ("Q3", "FY2026-Q3", Some(true), Some(true)),
        ("Q3", "2025-Q3", Some(true), Some(true)),
        ("Q3", "2025-Q4", Some(false), Some(false)),
        ("Q3", "2025", Some(true), Some(false)),
        ("Q3", "FY2026", Some(true), Some(false)),
        ("Q3", "H2", Some(true), Some(false)),
        ("Q3", "Q3", Some(true), Some(true)),
        ("Q3", "2025-08", None, Some(false)),
        ("prior-year", "FY2026-Q3", Some(false), Some(false)),
        ("prior-quarter", "prior-year", Some(false), Some(false)),
        ("prior-year", "prior-year", None, None),
    ];

    #[test]
    fn periods_compare_by_span() {
        for &(a, b, overlaps, same) in RELATIONS {
            let (pa, pb) = (Period::parse(a).unwrap(), Period::parse(b).unwrap());
            assert_eq!(pa.overlaps(&pb), overlaps, "{a} overlaps {b}");
            assert_eq!(pb.overlaps(&pa), overlaps, "{b} overlaps {a}");
            assert_eq!(pa.same(&pb), same, "{a} same {b}");
            assert_eq!(pb.same(&pa), same, "{b} same {a}");
        }
    }

    #[test]
    fn periods_shift_by_years_and_quarters() {
        let shift = |s: &str, y, q| Period::parse(s).and_then(|p| p.shifted(y, q)).map(|p| p.to_string());
        assert_eq!(shift("FY2026-Q3", -1, 0).as_deref(), Some("FY2025-Q3"));
        assert_eq!(shift("2024-Q1", 0, -1).as_deref(), Some("2023-Q4"));
        assert_eq!(shift("2023-Q4", 0, 1).as_deref(), Some("2024-Q1"));
        assert_eq!(shift("2024-03", -1, 0).as_deref(), Some("2023-03"));
        assert_eq!(shift("2024", 0, -1), None);
        assert_eq!(shift("Q3", -1, 0), None);
    }

    #[test]
    fn iso_days() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(
            days_from_iso("2026-03-02")
                .zip(days_from_iso("2026-03-01"))
                .map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(days_from_iso("2026"), days_from_iso("2026-01-01"));
        assert_eq!(days_from_iso("2026-13-01"), None);
    }
}
