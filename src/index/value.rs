//! Figures as people type and read them: `--min '$10 billion'` in, `$10.0B` out.

use crate::model::Kind;

/// Scale words and unit suffixes after a number, lower-cased, with their factor to base
/// units and the unit they name (none for a bare scale word).
const SUFFIXES: &[(&str, f64, Option<&str>)] = &[
    ("", 1.0, None),
    ("k", 1e3, None),
    ("thousand", 1e3, None),
    ("m", 1e6, None),
    ("mn", 1e6, None),
    ("mm", 1e6, None),
    ("million", 1e6, None),
    ("millions", 1e6, None),
    ("b", 1e9, None),
    ("bn", 1e9, None),
    ("billion", 1e9, None),
    ("billions", 1e9, None),
    ("t", 1e12, None),
    ("tn", 1e12, None),
    ("trillion", 1e12, None),
    ("trillions", 1e12, None),
    ("%", 1.0, Some("%")),
    ("percent", 1.0, Some("%")),
    ("pp", 1.0, Some("pp")),
    ("x", 1.0, Some("x")),
    ("w", 1.0, Some("W")),
    ("watts", 1.0, Some("W")),
    ("kw", 1e3, Some("W")),
    ("kilowatts", 1e3, Some("W")),
    ("mw", 1e6, Some("W")),
    ("megawatts", 1e6, Some("W")),
    ("gw", 1e9, Some("W")),
    ("gigawatts", 1e9, Some("W")),
    ("tw", 1e12, Some("W")),
    ("terawatts", 1e12, Some("W")),
    ("wh", 1.0, Some("Wh")),
    ("kwh", 1e3, Some("Wh")),
    ("mwh", 1e6, Some("Wh")),
    ("gwh", 1e9, Some("Wh")),
    ("twh", 1e12, Some("Wh")),
];

/// Currency marks accepted before a number (`$10B`, `US$ 3.5bn`, `£350m`), with their code.
const CURRENCY_PREFIXES: &[(&str, &str)] = &[
    ("us$", "USD"),
    ("usd", "USD"),
    ("gbp", "GBP"),
    ("eur", "EUR"),
    ("jpy", "JPY"),
    ("$", "USD"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("¥", "JPY"),
];
/// Currency codes and names accepted after a number (`10 billion USD`), with their code.
const CURRENCY_SUFFIXES: &[(&str, &str)] = &[
    ("usd", "USD"),
    ("gbp", "GBP"),
    ("eur", "EUR"),
    ("jpy", "JPY"),
    ("dollars", "USD"),
    ("pounds", "GBP"),
    ("euros", "EUR"),
];

/// A figure as typed in `--min`/`--max`: its value in base units and the unit it names
/// (`$10 billion` is USD, `45%` is %, `2 GW` is W; `10e9` names none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Option<&'static str>,
}

/// Parses a figure in base units: `10e9`, `10B`, `$10 billion`, `45%`, `2 GW`, `1,500`.
/// The error says what was wrong, for a usage message.
pub fn parse_value(input: &str) -> Result<f64, String> {
    parse_quantity(input).map(|q| q.value)
}

/// [`parse_value`], with the unit the figure is written in.
pub fn parse_quantity(input: &str) -> Result<Quantity, String> {
    let bad = || {
        format!(
            "`{input}` is not a number (try 10e9, 10B, \"$10 billion\", 45%, 2GW; values are in base units: USD, %, W)"
        )
    };
    let lower = input.trim().to_lowercase();
    let (negative, rest) = match lower.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, lower.as_str()),
    };
    let (currency, rest) = CURRENCY_PREFIXES
        .iter()
        .find_map(|(p, code)| rest.strip_prefix(p).map(|r| (Some(*code), r)))
        .unwrap_or((None, rest));
    let rest = rest.trim_start();
    let (number, suffix) = rest.split_at(number_len(rest));
    let digits: String = number.chars().filter(|&c| c != ',').collect();
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(bad());
    }
    let mut n: f64 = digits.parse().map_err(|_| bad())?;
    let mut suffix = suffix.trim();
    let mut named = currency;
    if let Some((s, code)) = CURRENCY_SUFFIXES
        .iter()
        .find_map(|(c, code)| suffix.strip_suffix(c).map(|s| (s, *code)))
    {
        suffix = s.trim_end();
        named = named.or(Some(code));
    }
    let &(_, factor, unit) = SUFFIXES.iter().find(|(s, _, _)| *s == suffix).ok_or_else(bad)?;
    if named.is_some() && unit.is_some() {
        return Err(format!("`{input}` names two units"));
    }
    n *= factor;
    if negative {
        n = -n;
    }
    if !n.is_finite() {
        return Err(format!("`{input}` is not a finite number"));
    }
    Ok(Quantity {
        value: n,
        unit: named.or(unit),
    })
}

/// The length of the number `rest` opens with: digits, `.`, `,` and an exponent.
fn number_len(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == ','
                || ((c == 'e') && rest[i + 1..].starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+'))
                || ((c == '-' || c == '+') && rest[..i].ends_with('e')))
        })
        .map_or(rest.len(), |(i, _)| i)
}

/// `1234567.0` -> `1,234,567`; keeps up to `decimals` decimals, dropping trailing zeros.
fn grouped(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    if v < 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A scaled mantissa with one decimal, or more when one would round the figure away:
/// `10.0`, `281.3`, `1.25`.
fn mantissa(m: f64) -> String {
    for decimals in 1..=3 {
        let s = format!("{m:.decimals$}");
        let back: f64 = s.parse().unwrap_or(m);
        if (back - m).abs() <= m.abs() * 1e-9 {
            return s;
        }
    }
    format!("{m:.3}")
}

/// `10e9` with `["", "K", "M", "B", "T"]` -> (`10.0`, `B`); below a thousand, no scale.
fn scaled(v: f64, names: [&str; 5], sep: &str) -> String {
    let a = v.abs();
    let (div, name) = if a >= 1e12 {
        (1e12, names[4])
    } else if a >= 1e9 {
        (1e9, names[3])
    } else if a >= 1e6 {
        (1e6, names[2])
    } else if a >= 1e3 {
        (1e3, names[1])
    } else {
        (1.0, names[0])
    };
    format!("{}{sep}{name}", mantissa(v / div))
}

fn currency_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "USD" => "$",
        "GBP" => "£",
        "EUR" => "€",
        "JPY" => "¥",
        _ => return None,
    })
}

/// One figure in human form: `$10.0B`, `45%`, `2.0 GW`, `£3.5B`, `1,500 customers`.
pub fn format_one(kind: Kind, unit: &str, value: f64, noun: Option<&str>) -> String {
    if !value.is_finite() {
        return format!("{value} {unit}");
    }
    match (kind, unit) {
        (Kind::Money, code) => {
            let amount = if value.abs() >= 1e6 {
                scaled(value, ["", "K", "M", "B", "T"], "")
            } else {
                grouped(value, 2)
            };
            match currency_symbol(code) {
                Some(sym) if amount.starts_with('-') => format!("-{sym}{}", &amount[1..]),
                Some(sym) => format!("{sym}{amount}"),
                None => format!("{code} {amount}"),
            }
        }
        (_, "%") => format!("{}%", grouped(value, 2)),
        (_, "pp") => format!("{} pp", grouped(value, 2)),
        (_, "W") => scaled(value, ["W", "kW", "MW", "GW", "TW"], " "),
        (_, "Wh") => scaled(value, ["Wh", "kWh", "MWh", "GWh", "TWh"], " "),
        (_, "x") => format!("{}x", grouped(value, 2)),
        (_, "year") => {
            let n = grouped(value, 2);
            format!("{n} {}", if n == "1" { "year" } else { "years" })
        }
        (_, "count") => match noun {
            Some(noun) => format!("{} {noun}", grouped(value, 2)),
            None => grouped(value, 2),
        },
        (_, other) => format!("{} {other}", grouped(value, 2)),
    }
}

/// A claim's figure in human form; a range is `low–high`.
pub fn format_value(kind: Kind, unit: &str, value: f64, value_max: Option<f64>, noun: Option<&str>) -> String {
    match value_max {
        Some(max) if max != value => {
            let low = format_one(kind, unit, value, None);
            format!("{low}–{}", format_one(kind, unit, max, noun))
        }
        _ => format_one(kind, unit, value, noun),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        let cases: &[(&str, f64)] = &[
            ("10e9", 10e9),
            ("1e10", 1e10),
            ("10B", 10e9),
            ("10bn", 10e9),
            ("$10 billion", 10e9),
            ("$10B", 10e9),
            ("US$ 3.5bn", 3.5e9),
            ("£350m", 350e6),
            ("€1.2 trillion", 1.2e12),
            ("10 billion USD", 10e9),
            ("45%", 45.0),
            ("28.8 percent", 28.8),
            ("2 GW", 2e9),
            ("500MW", 500e6),
            ("1,500", 1500.0),
            ("0.5", 0.5),
            (".5", 0.5),
            ("-5", -5.0),
            ("3x", 3.0),
            ("10k", 10e3),
            ("2.5e-3", 2.5e-3),
            ("  7  ", 7.0),
        ];
        for &(input, want) in cases {
            let got = parse_value(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert!((got - want).abs() <= want.abs() * 1e-12, "{input}: {got} != {want}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for input in [
            "",
            "abc",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "1e999",
            "$",
            "10 parsecs",
            "1.2.3",
            "e9",
            "--5",
            "B10",
        ] {
            assert!(parse_value(input).is_err(), "{input:?} should be refused");
        }
        assert!(parse_value("1e999").unwrap_err().contains("finite"));
    }

    #[test]
    fn a_bound_names_the_unit_it_is_written_in() {
        let cases: &[(&str, Option<&str>)] = &[
            ("10e9", None),
            ("10B", None),
            ("$10 billion", Some("USD")),
            ("US$ 3.5bn", Some("USD")),
            ("£350m", Some("GBP")),
            ("1.2 trillion euros", Some("EUR")),
            ("10 billion USD", Some("USD")),
            ("45%", Some("%")),
            ("3 percent", Some("%")),
            ("2pp", Some("pp")),
            ("3x", Some("x")),
            ("2 GW", Some("W")),
            ("500 MWh", Some("Wh")),
        ];
        for (input, unit) in cases {
            assert_eq!(parse_quantity(input).map(|q| q.unit), Ok(*unit), "{input}");
        }
        assert!(parse_quantity("$45%").unwrap_err().contains("two units"));
    }

    /// kind, unit, value, value_max, noun, printed.
    type FormatCase = (Kind, &'static str, f64, Option<f64>, Option<&'static str>, &'static str);

    #[test]
    fn formats_for_people() {
        let cases: &[FormatCase] = &[
            (Kind::Money, "USD", 10e9, None, None, "$10.0B"),
            (Kind::Money, "USD", 281.3e9, None, None, "$281.3B"),
            (Kind::Money, "USD", 1.25e9, None, None, "$1.25B"),
            (Kind::Money, "GBP", 3.5e9, None, None, "£3.5B"),
            (Kind::Money, "EUR", 350e6, None, None, "€350.0M"),
            (Kind::Money, "USD", 1.2e12, None, None, "$1.2T"),
            (Kind::Money, "USD", 250_000.0, None, None, "$250,000"),
            (Kind::Money, "CHF", 5e9, None, None, "CHF 5.0B"),
            (Kind::Money, "USD", 10e9, Some(13e9), None, "$10.0B–$13.0B"),
            (Kind::Percent, "%", 45.0, None, None, "45%"),
            (Kind::Percent, "%", 28.8, None, None, "28.8%"),
            (Kind::Percent, "%", 30.0, Some(40.0), None, "30%–40%"),
            (Kind::Percent, "pp", 3.5, None, None, "3.5 pp"),
            (Kind::Power, "W", 2e9, None, None, "2.0 GW"),
            (Kind::Power, "W", 500e6, None, None, "500.0 MW"),
            (Kind::Energy, "Wh", 1.5e12, None, None, "1.5 TWh"),
            (Kind::Count, "count", 1500.0, None, Some("customers"), "1,500 customers"),
            (
                Kind::Count,
                "count",
                5e6,
                None,
                Some("business users"),
                "5,000,000 business users",
            ),
            (Kind::Count, "count", 42.0, None, None, "42"),
            (Kind::Duration, "year", 7.0, None, None, "7 years"),
            (Kind::Duration, "year", 1.0, None, None, "1 year"),
            (Kind::Multiple, "x", 10.0, None, None, "10x"),
        ];
        for &(kind, unit, v, max, noun, want) in cases {
            assert_eq!(format_value(kind, unit, v, max, noun), want, "{kind:?} {unit} {v}");
        }
    }

    #[test]
    fn printed_money_parses_back() {
        for v in [10e9, 281.3e9, 1.25e9, 3.5e12, 7e6] {
            let printed = format_one(Kind::Money, "USD", v, None);
            let back = parse_value(&printed).unwrap();
            assert!((back - v).abs() <= v * 1e-9, "{printed}: {back} != {v}");
        }
    }
}
