//! The unit written right after an amount: a per cent word or sign, percentage or basis
//! points, a multiple ("3x", "ten times"), a power or energy unit, a duration, a currency
//! (a code, a word, a character, an adjective and its word). Each reading is a named rule
//! with its examples; [`explain_unit`] applies a table ([`MARKS`] for a punctuation mark,
//! [`WORDS`] for a word) in order. The unit words are `data/units.txt`.

use std::sync::LazyLock;

use super::super::numbers::scale_word;
use super::super::tokens::{FastMap, Lower, Tok, TokKind, WordSet};
use super::currency::symbol_code;
use super::rules::{decide, tagged};
use super::{UnitHit, glued, is_w, p, w};
use crate::model::Kind;

const UNIT_WORDS: &str = include_str!("../../../data/units.txt");

/// A currency word of `data/units.txt`: its code (none for a word that names a currency
/// only after an adjective), its factor, and the codes adjectives before it make of it.
struct Currency {
    code: Option<&'static str>,
    factor: f64,
    by_adjective: Vec<(&'static str, &'static str)>,
}

/// What `data/units.txt` says of one word, lower case.
#[derive(Default)]
pub(super) struct Entry {
    percent: bool,
    basis_points: bool,
    /// A unit symbol (its kind and factor), read only as one of `spellings`.
    symbol: Option<(Kind, f64)>,
    spellings: Vec<&'static str>,
    /// A power or energy unit word, any case.
    word: Option<(Kind, f64)>,
    duration: Option<f64>,
    currency: Option<Currency>,
    adjective: bool,
    iso: Option<&'static str>,
    iso_lower: bool,
    character: Option<&'static str>,
}

/// The words of `data/units.txt`: every word by its lower case, and the frequency words.
#[derive(Default)]
struct Vocab {
    words: FastMap<String, Entry>,
    frequency: WordSet,
}

static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
    let mut v = Vocab::default();
    for (tag, fields) in tagged(UNIT_WORDS) {
        v.add(tag, fields);
    }
    v
});

/// A factor as `data/units.txt` writes it: a number or a fraction `a/b`.
fn factor(s: &str) -> Option<f64> {
    match s.split_once('/') {
        Some((a, b)) => Some(a.parse::<f64>().ok()? / b.parse::<f64>().ok()?),
        None => s.parse().ok(),
    }
}

impl Vocab {
    /// What the data says of `word` (any case).
    fn get(&self, word: &str) -> Option<&Entry> {
        self.words.get(Lower::new(word).as_str())
    }

    fn entry(&mut self, word: &str) -> &mut Entry {
        self.words.entry(word.to_ascii_lowercase()).or_default()
    }

    /// Reads one line of the data, `tag: fields`; none when the line is not understood.
    fn add(&mut self, tag: &str, fields: &'static str) -> Option<()> {
        let mut f = fields.split_whitespace();
        let word = f.next()?;
        match tag {
            "percent" => self.entry(word).percent = true,
            "basis_points" => self.entry(word).basis_points = true,
            "power" | "energy" | "power_symbol" | "energy_symbol" => {
                let kind = if tag.starts_with("power") {
                    Kind::Power
                } else {
                    Kind::Energy
                };
                let unit = Some((kind, factor(f.next()?)?));
                let e = self.entry(word);
                if tag.ends_with("_symbol") {
                    e.symbol = unit;
                    e.spellings.push(word);
                } else {
                    e.word = unit;
                }
            }
            "duration" => self.entry(word).duration = Some(factor(f.next()?)?),
            "currency" => {
                let code = f.next().filter(|c| *c != "-");
                let factor = factor(f.next()?)?;
                let by_adjective = Vec::new();
                self.entry(word).currency = Some(Currency {
                    code,
                    factor,
                    by_adjective,
                });
            }
            "by_adjective" => {
                let code = f.next()?;
                for cur in f.by_ref() {
                    self.entry(cur).currency.as_mut()?.by_adjective.push((word, code));
                }
            }
            "adjective" => self.entry(word).adjective = true,
            "iso" => self.entry(word).iso = Some(f.next().unwrap_or(word)),
            "iso_lower" => self.entry(word).iso_lower = true,
            "character" => self.entry(word).character = Some(f.next()?),
            "frequency" => {
                self.frequency.insert(word);
            }
            _ => return None,
        }
        f.next().is_none().then_some(())
    }
}

/// An ISO code (`usd`, `RMB`), any case: the currency it stands for.
pub(super) fn iso_code(word: &str) -> Option<&'static str> {
    VOCAB.get(word)?.iso
}

/// An ISO code as written: upper case, or lower case for the unambiguous ones.
pub(super) fn iso_written(word: &str) -> Option<&'static str> {
    if word.len() != 3 {
        return None;
    }
    written_iso(word, VOCAB.get(word)?)
}

/// The code `word` (three bytes, `e` what the data says of it) stands for as written.
fn written_iso(word: &str, e: &Entry) -> Option<&'static str> {
    let upper = word.bytes().all(|b| b.is_ascii_uppercase());
    let lower = e.iso_lower && !word.bytes().any(|b| b.is_ascii_uppercase());
    e.iso.filter(|_| upper || lower)
}

/// Currency words after the amount; `adj` is the word before it (`Canadian dollars`).
pub(super) fn currency_word(word: &str, adj: Option<&str>) -> Option<(&'static str, f64)> {
    let cur = VOCAB.get(word)?.currency.as_ref()?;
    let by = adj.map(Lower::new).and_then(|a| {
        let by = cur.by_adjective.iter().find(|(x, _)| a == *x);
        by.map(|&(_, code)| code)
    });
    Some((by.or(cur.code)?, cur.factor))
}

/// Duration unit words, in years.
pub(super) fn duration_unit(word: &str) -> Option<f64> {
    VOCAB.get(word)?.duration
}

/// The token after an amount where a unit may start, a word or a mark.
pub(super) struct After<'a> {
    toks: &'a [Tok],
    text: &'a str,
    k: usize,
    t: &'a Tok,
    s: &'a str,
    l: Lower<'a>,
    /// What `data/units.txt` says of the word (none for a mark).
    e: Option<&'static Entry>,
}

impl<'a> After<'a> {
    /// The token at `k`, if it is a word or a mark.
    fn at(toks: &'a [Tok], text: &'a str, k: usize) -> Option<Self> {
        let t = toks.get(k)?;
        let s = t.text(text);
        let l = Lower::new(s);
        let e = match t.kind {
            TokKind::Word => VOCAB.words.get(l.as_str()),
            TokKind::Punct => None,
            _ => return None,
        };
        Some(After {
            toks,
            text,
            k,
            t,
            s,
            l,
            e,
        })
    }

    /// Whether the word `j` tokens on is `word` (any case).
    fn word_is(&self, j: usize, word: &str) -> bool {
        is_w(self.toks, self.text, self.k + j, word)
    }

    /// Whether "point" or "points" comes next ("percentage points").
    fn points_after(&self) -> bool {
        self.word_is(1, "points") || self.word_is(1, "point")
    }

    /// The word joined to the amount by this tight hyphen ("seven-year", "3-fold").
    fn hyphened(&self) -> Option<&'a str> {
        if self.s != "-" || self.t.space_before {
            return None;
        }
        let nx = w(self.toks, self.text, self.k + 1)?;
        glued(self.toks, self.k + 1).then_some(nx)
    }

    /// The power or energy unit this word is: a symbol as spelt, else a unit word.
    fn power_unit(&self) -> Option<(Kind, f64)> {
        let e = self.e?;
        if e.spellings.contains(&self.s) {
            e.symbol
        } else {
            e.word
        }
    }
}

/// A unit a rule reads: (kind, unit, factor, how many tokens after its first it spans).
pub(super) type Unit = (Kind, &'static str, f64, usize);

/// A rule that reads the unit at the token after an amount: `Some(unit)`, or `None` when
/// the word rules a unit out. Its examples are sentences with the figure (quoted second,
/// as its claim's text, or the number when there is no unit) and the unit it gives.
pub(super) type Rule = super::rules::Rule<fn(&After) -> Option<Option<Unit>>, Option<Unit>>;

/// The unit after an amount at token `k`, and the rule that read it: none when no rule
/// reads one.
pub(crate) fn explain_unit(toks: &[Tok], text: &str, k: usize) -> (Option<UnitHit>, Option<&'static str>) {
    let Some(c) = After::at(toks, text, k) else {
        return (None, None);
    };
    let table = if c.t.kind == TokKind::Punct { MARKS } else { WORDS };
    match decide(table, &c) {
        Some((u, name)) => (u.map(|(kind, unit, f, more)| (kind, unit, f, k + more)), Some(name)),
        None => (None, None),
    }
}

const fn percent(more: usize) -> Option<Unit> {
    Some((Kind::Percent, "%", 1.0, more))
}

const fn points(factor: f64, more: usize) -> Option<Unit> {
    Some((Kind::Percent, "pp", factor, more))
}

const fn money(code: &'static str, factor: f64, more: usize) -> Option<Unit> {
    Some((Kind::Money, code, factor, more))
}

const fn duration(years: f64, more: usize) -> Option<Unit> {
    Some((Kind::Duration, "year", years, more))
}

const MULTIPLE: Option<Unit> = Some((Kind::Multiple, "x", 1.0, 0));

/// The rules for a punctuation mark after the amount, in the order they are tried.
pub(super) static MARKS: &[Rule] = &[
    Rule {
        name: "currency symbol",
        examples: &[
            ("Each seat cost 10 $ at the door.", "10 $", money("USD", 1.0, 0)),
            ("The fare is 100 ₡ per ride.", "100 ₡", money("CRC", 1.0, 0)),
        ],
        negatives: &[("It bought 10 $20 tickets.", "10")],
        applies: currency_symbol,
    },
    Rule {
        name: "percent sign",
        examples: &[("Sales rose 45% in May.", "45%", percent(0))],
        negatives: &[("Sales rose 45 points in May.", "45")],
        applies: percent_sign,
    },
    Rule {
        name: "age",
        examples: &[("A 45-year-old engineer joined.", "45", None)],
        negatives: &[("It signed a 10-year lease.", "10")],
        applies: age,
    },
    Rule {
        name: "hyphened duration",
        examples: &[
            ("It signed a seven-year deal.", "seven-year", duration(1.0, 1)),
            ("The 12-month plan starts now.", "12-month", duration(1.0 / 12.0, 1)),
        ],
        negatives: &[
            ("A 45-year-old engineer joined.", "45"),
            ("They ran 5-days events.", "5"),
        ],
        applies: hyphened_duration,
    },
    Rule {
        name: "hyphened fold",
        examples: &[(
            "Demand rose 3-fold in a year.",
            "3-fold",
            Some((Kind::Multiple, "x", 1.0, 1)),
        )],
        negatives: &[("It signed a 10-year lease.", "10")],
        applies: hyphened_fold,
    },
    Rule {
        name: "hyphened percent",
        examples: &[
            ("Staff got a 10-per-cent raise.", "10-per-cent", percent(3)),
            ("It made a 5-percent cut.", "5-percent", percent(1)),
        ],
        negatives: &[("Demand rose 3-fold in a year.", "3")],
        applies: hyphened_percent,
    },
    Rule {
        name: "hyphened currency",
        examples: &[
            ("He found a 10-dollar bill.", "10-dollar", money("USD", 1.0, 1)),
            ("It sells a 12-cent stamp.", "12-cent", money("USD", 0.01, 1)),
        ],
        negatives: &[("It made a 5-percent cut.", "5")],
        applies: hyphened_currency,
    },
];

/// "10 $", "100 ₡": a currency symbol after the amount, unless a number is glued to it
/// ("10 $20 tickets").
fn currency_symbol(c: &After) -> Option<Option<Unit>> {
    let code = symbol_code(c.s)?;
    let number_next = c
        .toks
        .get(c.k + 1)
        .is_some_and(|n| n.kind == TokKind::Num && !n.space_before);
    (!number_next).then_some(money(code, 1.0, 0))
}

/// "45%": the percent sign ("45% points" is rare: "%" alone is percent).
fn percent_sign(c: &After) -> Option<Option<Unit>> {
    (c.s == "%").then_some(percent(0))
}

/// "a 45-year-old": an age, not a duration, and no unit.
fn age(c: &After) -> Option<Option<Unit>> {
    let nx = c.hyphened()?;
    duration_unit(nx)?;
    let old = p(c.toks, c.text, c.k + 2) == Some("-") && c.word_is(3, "old");
    old.then_some(None)
}

/// "seven-year", "12-month": a duration word joined by a hyphen, in the singular (or
/// "years").
fn hyphened_duration(c: &After) -> Option<Option<Unit>> {
    let nx = c.hyphened()?;
    let f = duration_unit(nx)?;
    let l = Lower::new(nx);
    (!l.ends_with('s') || l == "years").then_some(duration(f, 1))
}

/// "3-fold": a multiple.
fn hyphened_fold(c: &After) -> Option<Option<Unit>> {
    let nx = c.hyphened()?;
    nx.eq_ignore_ascii_case("fold")
        .then_some(Some((Kind::Multiple, "x", 1.0, 1)))
}

/// "10-per-cent", "5-percent": per cent joined by a hyphen.
fn hyphened_percent(c: &After) -> Option<Option<Unit>> {
    let nx = c.hyphened()?;
    if nx.eq_ignore_ascii_case("per") && c.word_is(3, "cent") {
        return Some(percent(3));
    }
    nx.eq_ignore_ascii_case("percent").then_some(percent(1))
}

/// "a 10-dollar bill", "a 12-cent stamp": a currency word joined by a hyphen.
fn hyphened_currency(c: &After) -> Option<Option<Unit>> {
    let (code, f) = currency_word(c.hyphened()?, None)?;
    Some(money(code, f, 1))
}

/// The rules for a word after the amount, in the order they are tried.
pub(super) static WORDS: &[Rule] = &[
    Rule {
        name: "percent word",
        examples: &[
            ("Prices rose 17 percent last year.", "17 percent", percent(0)),
            ("Output fell 80pc in May.", "80pc", percent(0)),
        ],
        negatives: &[("The school bought 10 PCs.", "10")],
        applies: percent_word,
    },
    Rule {
        name: "per cent",
        examples: &[("Profit rose 12 per cent.", "12 per cent", percent(1))],
        negatives: &[("It charged 5 per seat.", "5")],
        applies: per_cent,
    },
    Rule {
        name: "percentage points",
        examples: &[
            (
                "Margins rose 3 percentage points.",
                "3 percentage points",
                points(1.0, 1),
            ),
            (
                "Its lead grew 1 percentage point.",
                "1 percentage point",
                points(1.0, 1),
            ),
        ],
        negatives: &[("Cloud took a 40 percentage share.", "40")],
        applies: percentage_points,
    },
    Rule {
        name: "percentage",
        examples: &[("Cloud took a 40 percentage share.", "40 percentage", percent(0))],
        negatives: &[("Margins rose 3 percentage points.", "3")],
        applies: percentage,
    },
    Rule {
        name: "basis points",
        examples: &[
            (
                "The bank cut rates by 25 basis points.",
                "25 basis points",
                points(0.01, 1),
            ),
            ("Spreads widened 40 bps on Monday.", "40 bps", points(0.01, 0)),
        ],
        negatives: &[("Rates rose 25 percent.", "25")],
        applies: basis_points,
    },
    Rule {
        name: "glued x",
        examples: &[("Revenue grew 3x in two years.", "3x", MULTIPLE)],
        negatives: &[("Screens of 2048x1080 pixels sold well.", "2048")],
        applies: glued_x,
    },
    Rule {
        name: "times",
        examples: &[
            ("Demand is 10 times higher now.", "10 times", MULTIPLE),
            ("The stock is worth three times more.", "three times", MULTIPLE),
        ],
        negatives: &[("The board met 4 times a year.", "4")],
        applies: times,
    },
    Rule {
        name: "times as a frequency",
        examples: &[("The board met 4 times a year.", "4", None)],
        negatives: &[("Demand is 10 times higher now.", "10")],
        applies: times_as_frequency,
    },
    Rule {
        name: "pence",
        examples: &[("Shares rose 12p on Friday.", "12p", money("GBP", 0.01, 0))],
        negatives: &[("See the table on 12 p of the report.", "12")],
        applies: pence,
    },
    Rule {
        name: "watt-hours",
        examples: &[
            (
                "The plant makes 5 gigawatt hours a day.",
                "5 gigawatt hours",
                Some((Kind::Energy, "Wh", 1e9, 1)),
            ),
            (
                "It has a 60 kilowatt-hour battery.",
                "60 kilowatt-hour",
                Some((Kind::Energy, "Wh", 1e3, 2)),
            ),
        ],
        negatives: &[("The site draws 5 gigawatts.", "5")],
        applies: watt_hours,
    },
    Rule {
        name: "power or energy unit",
        examples: &[
            (
                "The campus will use 10 gigawatts.",
                "10 gigawatts",
                Some((Kind::Power, "W", 1e9, 0)),
            ),
            ("They built a 500 MW plant.", "500 MW", Some((Kind::Power, "W", 1e6, 0))),
            ("It sold 5 TWh of power.", "5 TWh", Some((Kind::Energy, "Wh", 1e12, 0))),
        ],
        negatives: &[("It uses 5 mW of power.", "5")],
        applies: power_or_energy,
    },
    Rule {
        name: "duration unit",
        examples: &[
            ("The deal runs 18 months.", "18 months", duration(1.0 / 12.0, 0)),
            ("The work took 3 decades.", "3 decades", duration(10.0, 0)),
        ],
        negatives: &[("It sold 18 monthly passes.", "18")],
        applies: duration_word,
    },
    Rule {
        name: "ISO code",
        examples: &[
            (
                "The fund raised 75 USD million.",
                "75 USD million",
                money("USD", 1e6, 1),
            ),
            ("It paid 40 EUR per share.", "40 EUR", money("EUR", 1.0, 0)),
            ("It paid 40 chf per share.", "40 chf", money("CHF", 1.0, 0)),
        ],
        negatives: &[("It paid 40 Eur per share.", "40")],
        applies: iso_after,
    },
    Rule {
        name: "millions of a currency",
        examples: &[("Sales reached 30 MUSD in 2024.", "30 MUSD", money("USD", 1e6, 0))],
        negatives: &[("It paid 40 EUR per share.", "40")],
        applies: millions_of_currency,
    },
    Rule {
        name: "currency character",
        examples: &[("It cost 100 円 then.", "100 円", money("JPY", 1.0, 0))],
        negatives: &[("It cost 100 yen then.", "100")],
        applies: currency_character,
    },
    Rule {
        name: "pound of a weight",
        examples: &[("It burns 5 pounds of coal.", "5", None)],
        negatives: &[("It cost 5 pounds in May.", "5")],
        applies: pound_of,
    },
    Rule {
        name: "won as a verb",
        examples: &[("Of the bids, 3 won approval.", "3", None)],
        negatives: &[("It cost 5 billion won.", "5 billion")],
        applies: won_verb,
    },
    Rule {
        name: "currency word",
        examples: &[
            ("It cost 5 billion won.", "5 billion won", money("KRW", 1.0, 0)),
            ("A ticket is 20 euros.", "20 euros", money("EUR", 1.0, 0)),
            ("The stamp cost 45 cents.", "45 cents", money("USD", 0.01, 0)),
        ],
        negatives: &[("It burns 5 pounds of coal.", "5")],
        applies: currency_after,
    },
    Rule {
        name: "currency adjective",
        examples: &[
            (
                "It paid 10 Canadian dollars.",
                "10 Canadian dollars",
                money("CAD", 1.0, 1),
            ),
            ("It paid 20 Swiss francs.", "20 Swiss francs", money("CHF", 1.0, 1)),
            (
                "It raised 50 million Hong Kong dollars.",
                "50 million Hong Kong dollars",
                money("HKD", 1.0, 2),
            ),
        ],
        negatives: &[("It hired 10 Canadian firms.", "10")],
        applies: currency_adjective,
    },
    Rule {
        name: "Swedish crowns",
        examples: &[("It paid 90 Swedish crowns.", "90 Swedish crowns", money("SEK", 1.0, 1))],
        negatives: &[("It paid 90 Swedish kronor.", "90")],
        applies: swedish_crowns,
    },
];

/// "17 percent", "80pc": a word for per cent ("pc" in lower case only: "10 PCs" are
/// computers).
fn percent_word(c: &After) -> Option<Option<Unit>> {
    let pc = c.s == "pc";
    (pc || c.e.is_some_and(|e| e.percent)).then_some(percent(0))
}

/// "12 per cent".
fn per_cent(c: &After) -> Option<Option<Unit>> {
    (c.l == "per" && c.word_is(1, "cent")).then_some(percent(1))
}

/// "3 percentage points": a difference of percentages.
fn percentage_points(c: &After) -> Option<Option<Unit>> {
    (c.l == "percentage" && c.points_after()).then_some(points(1.0, 1))
}

/// "a 40 percentage share": "percentage" alone is per cent.
fn percentage(c: &After) -> Option<Option<Unit>> {
    (c.l == "percentage").then_some(percent(0))
}

/// "25 basis points", "40 bps": hundredths of a percentage point.
fn basis_points(c: &After) -> Option<Option<Unit>> {
    if c.l == "basis" && c.points_after() {
        return Some(points(0.01, 1));
    }
    c.e?.basis_points.then_some(points(0.01, 0))
}

/// "3x": a multiple written with a glued "x", but "2048x1080" is a size (no unit).
fn glued_x(c: &After) -> Option<Option<Unit>> {
    if c.l != "x" || c.t.space_before {
        return None;
    }
    let size = c
        .toks
        .get(c.k + 1)
        .is_some_and(|n| n.kind == TokKind::Num && !n.space_before);
    (!size).then_some(MULTIPLE)
}

/// "ten times higher": a multiple, unless a frequency word follows.
fn times(c: &After) -> Option<Option<Unit>> {
    if c.l != "times" {
        return None;
    }
    let next = w(c.toks, c.text, c.k + 1).map(Lower::new);
    let frequency = next.is_some_and(|x| VOCAB.frequency.contains(x.as_str()));
    (!frequency).then_some(MULTIPLE)
}

/// "four times a year": a frequency (the rule for a multiple did not fire), no unit.
fn times_as_frequency(c: &After) -> Option<Option<Unit>> {
    (c.l == "times").then_some(None)
}

/// "12p": pence, glued to the amount.
fn pence(c: &After) -> Option<Option<Unit>> {
    (c.l == "p" && !c.t.space_before).then_some(money("GBP", 0.01, 0))
}

/// "kilowatt hours", "watt-hours", "megawatt hour": a power unit and hours is energy.
fn watt_hours(c: &After) -> Option<Option<Unit>> {
    let (kind, f) = c.power_unit()?;
    if kind != Kind::Power {
        return None;
    }
    let is_hours = |j| c.word_is(j, "hour") || c.word_is(j, "hours");
    if is_hours(1) && !glued(c.toks, c.k + 1) {
        return Some(Some((Kind::Energy, "Wh", f, 1)));
    }
    let hyphen = p(c.toks, c.text, c.k + 1) == Some("-") && glued(c.toks, c.k + 1) && glued(c.toks, c.k + 2);
    (hyphen && is_hours(2)).then_some(Some((Kind::Energy, "Wh", f, 2)))
}

/// "10 gigawatts", "500 MW", "5 TWh": a power or energy unit.
fn power_or_energy(c: &After) -> Option<Option<Unit>> {
    let (kind, f) = c.power_unit()?;
    Some(Some((kind, if kind == Kind::Power { "W" } else { "Wh" }, f, 0)))
}

/// "18 months", "3 decades": a unit of time (a one-letter one only after a space).
fn duration_word(c: &After) -> Option<Option<Unit>> {
    if !c.t.space_before && c.s.len() <= 1 {
        return None;
    }
    Some(duration(c.e?.duration?, 0))
}

/// "40 EUR", "40 chf", "75 USD million": an ISO code, and a scale word after it.
fn iso_after(c: &After) -> Option<Option<Unit>> {
    if c.s.len() != 3 {
        return None;
    }
    let code = written_iso(c.s, c.e?)?;
    if let Some(sc) = w(c.toks, c.text, c.k + 1).and_then(scale_word) {
        return Some(money(code, sc, 1));
    }
    Some(money(code, 1.0, 0))
}

/// "30 MUSD", "120 MEUR": millions of a currency.
fn millions_of_currency(c: &After) -> Option<Option<Unit>> {
    let s = c.s;
    if s.len() != 4 || !s.starts_with('M') || !s.chars().all(|ch| ch.is_ascii_uppercase()) {
        return None;
    }
    Some(money(iso_code(&s[1..])?, 1e6, 0))
}

/// "100 元", "100 円": a currency written as one character.
fn currency_character(c: &After) -> Option<Option<Unit>> {
    Some(money(c.e?.character?, 1.0, 0))
}

/// "5 pounds of coal": a weight, no unit.
fn pound_of(c: &After) -> Option<Option<Unit>> {
    let pound = c.l == "pound" || c.l == "pounds";
    (pound && c.word_is(1, "of")).then_some(None)
}

/// "3 won approval": "won" is also a verb; a currency only after a word ("5 billion won").
fn won_verb(c: &After) -> Option<Option<Unit>> {
    let after_word =
        c.k.checked_sub(1)
            .and_then(|j| c.toks.get(j))
            .is_some_and(|t| t.kind == TokKind::Word);
    (c.l == "won" && !after_word).then_some(None)
}

/// "20 euros", "45 cents", "5 billion won": a currency word.
fn currency_after(c: &After) -> Option<Option<Unit>> {
    let cur = c.e?.currency.as_ref()?;
    Some(money(cur.code?, cur.factor, 0))
}

/// "10 Canadian dollars", "20 Swiss francs", "50 million Hong Kong dollars": an adjective
/// that names a currency's country, and its word.
fn currency_adjective(c: &After) -> Option<Option<Unit>> {
    let hong_kong = c.l == "hong" && c.word_is(1, "kong");
    let (adj, j, e) = if hong_kong {
        ("kong", 2, VOCAB.get("kong"))
    } else {
        (c.s, 1, c.e)
    };
    if !e?.adjective {
        return None;
    }
    let (code, f) = currency_word(w(c.toks, c.text, c.k + j)?, Some(adj))?;
    Some(money(code, f, j))
}

/// "90 Swedish crowns": kronor, in English.
fn swedish_crowns(c: &After) -> Option<Option<Unit>> {
    (c.l == "swedish" && c.word_is(1, "crowns")).then_some(money("SEK", 1.0, 1))
}

#[cfg(test)]
mod tests {
    use super::super::super::numbers::parse_number;
    use super::super::super::tokens::tokenize;
    use super::super::find_claims;
    use super::super::rules::corpus::tags_known;
    use super::*;

    /// The tokens of `s` and the token after the number that opens `figure` in it.
    fn unit_start(s: &str, figure: &str) -> (Vec<Tok>, usize) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let at = s.find(figure).unwrap_or_else(|| panic!("no {figure:?} in {s:?}"));
        let i = toks
            .iter()
            .position(|t| t.start == at)
            .unwrap_or_else(|| panic!("no token at {figure:?} in {s:?}"));
        let n = parse_number(&toks, s, i, false).unwrap_or_else(|| panic!("no number at {figure:?} in {s:?}"));
        (toks, n.last + 1)
    }

    /// Every line of the data is understood.
    #[test]
    fn every_line_reads() {
        let tags = [
            "percent",
            "basis_points",
            "power",
            "energy",
            "power_symbol",
            "energy_symbol",
            "duration",
            "currency",
            "by_adjective",
            "adjective",
            "iso",
            "iso_lower",
            "character",
            "frequency",
        ];
        tags_known(UNIT_WORDS, &tags);
        let mut v = Vocab::default();
        for (tag, fields) in tagged(UNIT_WORDS) {
            assert!(v.add(tag, fields).is_some(), "{tag}: {fields}");
        }
    }

    /// Every rule decides each of its examples, giving what the example says (which is
    /// the unit of the claim whose text is the figure), and decides none of its negatives.
    #[test]
    fn every_rule_holds_its_examples() {
        for r in MARKS.iter().chain(WORDS) {
            super::super::rules::corpus::covered(r);
            for &(s, figure, u) in r.examples {
                let (toks, k) = unit_start(s, figure);
                let want = u.map(|(kind, unit, f, more)| (kind, unit, f, k + more));
                assert_eq!(explain_unit(&toks, s, k), (want, Some(r.name)), "{s:?} {figure:?}");
                let skip = vec![false; toks.len()];
                let claims = find_claims(&toks, s, &skip, false);
                let at = |c: &&super::super::RawClaim| &s[toks[c.first].start..toks[c.last].end] == figure;
                let c = claims.iter().find(at);
                if let Some((kind, unit, ..)) = u {
                    let c = c.unwrap_or_else(|| panic!("{}: no claim {figure:?} in {s:?}", r.name));
                    assert_eq!((c.kind, c.unit), (kind, unit), "{s:?} {figure:?}");
                } else {
                    assert!(c.is_none_or(|c| c.kind == Kind::Count), "{s:?} {figure:?}");
                }
            }
            for &(s, figure) in r.negatives {
                let (toks, k) = unit_start(s, figure);
                assert_ne!(
                    explain_unit(&toks, s, k).1,
                    Some(r.name),
                    "{}: {s:?} {figure:?}",
                    r.name
                );
            }
        }
    }
}
