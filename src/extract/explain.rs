//! `extract --explain`: the names of the rules behind a claim's fields.
//!
//! A field decided by a rule table is named by that rule (`claims/currency.rs`,
//! `claims/shapes.rs`, `claims/units.rs`, `claims/counts.rs`, `claims/qualifier.rs`,
//! `claims/preposition.rs`, `claims/direction.rs`, `period.rs`); one decided by a code path is named where the path
//! decides (`subject.rs`, `measure.rs`, `article.rs`). Every name
//! is written in snake case ([`snake`]): the table rule "percent sign" is `percent_sign`.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The rules behind a claim's fields. `kind`, `unit` and `qualifier` always have one; the
/// others only when the claim has that field (a direction, a period, a subject, a measure
/// head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explain {
    pub kind: &'static str,
    pub unit: &'static str,
    pub qualifier: &'static str,
    pub direction: Option<&'static str>,
    pub period: Option<&'static str>,
    pub subject: Option<&'static str>,
    /// The rule behind the measure's head.
    pub measure: Option<&'static str>,
}

impl Explain {
    /// Each field and the snake-case name of its rule, in output order; fields without one
    /// are left out.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let all = [
            ("kind", Some(self.kind)),
            ("unit", Some(self.unit)),
            ("qualifier", Some(self.qualifier)),
            ("direction", self.direction),
            ("period", self.period),
            ("subject", self.subject),
            ("measure", self.measure),
        ];
        all.into_iter()
            .filter_map(|(field, rule)| rule.map(|r| (field, snake(r))))
            .collect()
    }
}

impl Serialize for Explain {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = self.fields();
        let mut s = serializer.serialize_struct("Explain", fields.len())?;
        for (field, rule) in &fields {
            s.serialize_field(field, rule)?;
        }
        s.end()
    }
}

/// A rule's name in snake case: lower case, every run of other characters than letters
/// and digits one `_` ("quarter named by its last month" -> `quarter_named_by_its_last_month`,
/// "ISO code" -> `iso_code`). A name already in snake case stays as it is.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The claims of the plain-text article `text`, each with the rules behind its fields when
/// `explain` says so: what the rule tables' tests run their examples through.
#[cfg(test)]
pub(crate) fn claims_explained(text: &str, explain: bool) -> Vec<(crate::model::Claim, Option<Explain>)> {
    let cleaned = crate::clean::clean(text.to_string(), crate::clean::Format::Text);
    let units = crate::segment::segment(&cleaned);
    let mut out = Vec::new();
    let lex = super::Lexicon::builtin();
    super::extract_explained(
        &cleaned,
        &units,
        &lex,
        explain,
        &mut |c, e| out.push((c, e)),
        &mut || false,
    );
    out
}

/// The claim `figure` of the plain-text article `text` and the rules behind its fields; a
/// test that names a missing one fails.
#[cfg(test)]
pub(crate) fn claim_explained(text: &str, figure: &str) -> (crate::model::Claim, Explain) {
    let found = claims_explained(text, true).into_iter().find(|(c, _)| c.text == figure);
    let (claim, explain) = found.unwrap_or_else(|| panic!("no claim {figure:?} in {text:?}"));
    (claim, explain.unwrap_or_else(|| panic!("no rules for {figure:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Claim;

    /// The claims of `text` with the rules `extract_explained` hands on with them.
    fn explained(text: &str, explain: bool) -> Vec<(Claim, Option<Explain>)> {
        claims_explained(text, explain)
    }

    /// An article, the text of a claim of it, and every field of the claim with its rule:
    /// the fields left out have none.
    type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

    const CASES: &[Case] = &[
        (
            "In January 2023, Microsoft committed up to $10 billion to OpenAI.",
            "$10 billion",
            &[
                ("kind", "currency_symbol_before"),
                ("unit", "currency_symbol_before"),
                ("qualifier", "up_to"),
                ("period", "month_date"),
                ("subject", "known_name_in_clause"),
                ("measure", "metric_label"),
            ],
        ),
        (
            "Globex said revenue rose 28.8% to $32.91 billion in the third quarter of 2025.",
            "28.8%",
            &[
                ("kind", "percent_sign"),
                ("unit", "percent_sign"),
                ("qualifier", "default_exact"),
                ("direction", "rise_word"),
                ("period", "ordinal_part"),
                ("subject", "guessed_name_in_clause"),
                ("measure", "head_term"),
            ],
        ),
        (
            "Microsoft's $1 billion investment paid off.",
            "$1 billion",
            &[
                ("kind", "currency_symbol_before"),
                ("unit", "currency_symbol_before"),
                ("qualifier", "default_exact"),
                ("subject", "possessor"),
                ("measure", "head_term"),
            ],
        ),
        (
            "OpenAI says more than 1,500 Microsoft customers use both models.",
            "1,500",
            &[
                ("kind", "counted"),
                ("unit", "counted"),
                ("qualifier", "more_than"),
                ("subject", "owner_of_counted"),
                ("measure", "counted_noun"),
            ],
        ),
        // A conversion copies the statement of the amount it converts.
        (
            "Microsoft invested $2bn (£1.6bn) in OpenAI in 2024.",
            "£1.6bn",
            &[
                ("kind", "currency_symbol_before"),
                ("unit", "currency_symbol_before"),
                ("qualifier", "default_exact"),
                ("subject", "converted_amount"),
                ("measure", "converted_amount"),
            ],
        ),
        (
            "Vandelay doubled its output.",
            "doubled",
            &[
                ("kind", "multiple_word"),
                ("unit", "multiple_word"),
                ("qualifier", "default_exact"),
                ("direction", "multiple_verb"),
            ],
        ),
        (
            "The firms signed an agreement under $50 billion pact.",
            "$50 billion",
            &[
                ("kind", "currency_symbol_before"),
                ("unit", "currency_symbol_before"),
                ("qualifier", "agreement_noun_after"),
                ("measure", "metric_label"),
            ],
        ),
        // The unit word reads the kind; the article's country gives the peso its code.
        (
            "In Colombia, Ecopetrol paid 5 million pesos for the land.",
            "5 million pesos",
            &[
                ("kind", "currency_word"),
                ("unit", "peso_country"),
                ("qualifier", "default_exact"),
                ("subject", "guessed_name_in_clause"),
            ],
        ),
        (
            "Title: Amazon results\n\nSales rose 12% in 2024.",
            "12%",
            &[
                ("kind", "percent_sign"),
                ("unit", "percent_sign"),
                ("qualifier", "default_exact"),
                ("direction", "rise_word"),
                ("period", "plain_year"),
                ("subject", "title_topic"),
                ("measure", "head_term"),
            ],
        ),
        // An undated figure takes the period the article reports.
        (
            "Globex said revenue for the first quarter of 2026 was $4.2 billion. The company sold 1.2 million widgets.",
            "1.2 million",
            &[
                ("kind", "counted"),
                ("unit", "counted"),
                ("qualifier", "default_exact"),
                ("period", "reporting_period"),
                ("subject", "pronoun_antecedent"),
                ("measure", "head_term"),
            ],
        ),
    ];

    #[test]
    fn sentences_name_the_rules_behind_each_field() {
        let mut bad = Vec::new();
        for &(text, figure, want) in CASES {
            let claims = explained(text, true);
            let Some((_, why)) = claims.iter().find(|(c, _)| c.text == figure) else {
                bad.push(format!("{text:?}: no claim {figure:?}"));
                continue;
            };
            let got: Vec<(&str, String)> = why.map(|e| e.fields()).unwrap_or_default();
            let want: Vec<(&str, String)> = want.iter().map(|&(f, r)| (f, r.to_string())).collect();
            if got != want {
                bad.push(format!("{text:?} {figure}:\n  got  {got:?}\n  want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// Asking for the rules changes no claim, and without asking there are none.
    #[test]
    fn rules_come_only_when_asked_and_change_nothing() {
        for &(text, ..) in CASES {
            let with = explained(text, true);
            let without = explained(text, false);
            assert!(with.iter().all(|(_, e)| e.is_some()), "{text:?}");
            assert!(without.iter().all(|(_, e)| e.is_none()), "{text:?}");
            let claims = |v: &[(Claim, Option<Explain>)]| v.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
            assert_eq!(claims(&with), claims(&without), "{text:?}");
        }
    }

    /// Every name given for the claims of the sample corpus is snake case, and a field
    /// has a rule exactly when the claim has that field.
    #[test]
    fn corpus_rules_are_snake_case_and_match_the_fields() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let mut seen = 0;
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for (c, why) in explained(&text, true) {
                let Some(e) = why else {
                    panic!("{}: {} has no rules", path.display(), c.text)
                };
                let has = |f: &str| e.fields().iter().any(|(g, _)| *g == f);
                assert_eq!(has("direction"), c.direction.is_some(), "{}", c.text);
                assert_eq!(has("period"), c.period.is_some(), "{}", c.text);
                assert_eq!(has("subject"), c.subject.is_some(), "{}", c.text);
                assert_eq!(has("measure"), c.measure.head.is_some(), "{}", c.text);
                for (field, rule) in e.fields() {
                    let snake_case = !rule.is_empty()
                        && rule
                            .chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
                    assert!(snake_case, "{}: {field} rule {rule:?}", c.text);
                }
                seen += 1;
            }
        }
        assert!(seen > 100, "only {seen} claims in {}", dir.display());
    }

    #[test]
    fn names_are_snake_case() {
        assert_eq!(snake("percent sign"), "percent_sign");
        assert_eq!(snake("ISO code"), "iso_code");
        assert_eq!(snake("change/yoy-after"), "change_yoy_after");
        assert_eq!(snake("possessor"), "possessor");
        assert_eq!(snake(" up to "), "up_to");
    }

    #[test]
    fn fields_without_a_rule_are_left_out() {
        let e = Explain {
            kind: "percent sign",
            unit: "percent sign",
            qualifier: "default_exact",
            direction: None,
            period: Some("month date"),
            subject: None,
            measure: Some("head_term"),
        };
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"kind":"percent_sign","unit":"percent_sign","qualifier":"default_exact","period":"month_date","measure":"head_term"}"#
        );
    }
}
