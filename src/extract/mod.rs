//! extract: numeric claims, footnote citations and the source list of one article.
//!
//! One pass over the segmented article: a sentence is tokenized only when a cheap anchor
//! test (a digit, a currency or superscript byte, or a number word found by one
//! Aho-Corasick automaton) says it may hold a figure; all per-claim work (qualifier,
//! period, entities, subject, metric, citations) looks at that sentence alone.
//!
//! Modules: [`tokens`] (the sentence tokenizer), [`numbers`] (digits and words),
//! [`claims`] (kinds, units, ranges, qualifiers, directions, and what is not a claim),
//! [`period`], [`entities`] (alias table, metric lexicon, subject), `metric` (what a
//! figure measures), [`citations`]; `article` (the article loop), `sentence` (clauses and
//! the period of a figure), `subject` (the names of a sentence and whose a figure is) and
//! `topic` (what the article and its recent sentences are about); [`explain`] (the rules
//! behind a claim's fields, for `extract --explain`).

pub mod citations;
pub mod claims;
pub mod entities;
pub mod explain;
mod measure;
mod metric;
pub mod numbers;
pub mod period;
pub mod places;
mod rules;
pub mod tokens;

mod article;
mod sentence;
mod subject;
mod topic;

use crate::clean::Cleaned;
use crate::model::{Citation, Claim, Source};
use crate::segment::Unit;
pub use article::{extract_explained, extract_until};
pub use entities::Lexicon;
pub use explain::Explain;
pub use measure::{TOTAL, is_economy, item_of};
pub use subject::plural_acronym;
// The metric rules read a sentence's mentions and clauses (`super::Mention`).
use sentence::clause_at;
use subject::Mention;

/// Everything extracted from one article. Offsets point into [`Cleaned::text`].
#[derive(Debug, Default, Clone)]
pub struct Extraction {
    pub claims: Vec<Claim>,
    pub citations: Vec<Citation>,
    pub sources: Vec<Source>,
    pub warnings: Vec<String>,
}

/// Extracts claims, citations and sources from a cleaned, segmented article with the
/// built-in lexicon.
pub fn extract(cleaned: &Cleaned, units: &[Unit]) -> Extraction {
    extract_with(cleaned, units, &Lexicon::builtin())
}

/// Extracts with a given lexicon (aliases and metrics).
pub fn extract_with(cleaned: &Cleaned, units: &[Unit], lex: &Lexicon) -> Extraction {
    let mut claims = Vec::new();
    let mut ex = extract_each(cleaned, units, lex, &mut |c| claims.push(c));
    ex.claims = claims;
    ex
}

/// Extracts like [`extract_with`], but hands each claim to `on_claim` in document order
/// as soon as it is complete instead of collecting them: the returned extraction has no
/// claims. A file with a million claims then never holds them all.
pub fn extract_each(cleaned: &Cleaned, units: &[Unit], lex: &Lexicon, on_claim: &mut dyn FnMut(Claim)) -> Extraction {
    extract_until(cleaned, units, lex, on_claim, &mut || false)
}

#[cfg(test)]
mod tests {
    use super::subject::{prev_start, prev_word};
    use super::*;
    use crate::clean::{Format, clean};
    use crate::segment::segment;

    fn run(text: &str) -> Extraction {
        let c = clean(text.to_string(), Format::Text);
        let units = segment(&c);
        extract(&c, &units)
    }

    /// The claim of `ex` whose text is `text`; a test that names a missing one fails with
    /// every claim found.
    fn claim_of<'a>(ex: &'a Extraction, text: &str) -> &'a Claim {
        let c = ex.claims.iter().find(|c| c.text == text);
        c.unwrap_or_else(|| panic!("{text}: {:?}", ex.claims))
    }

    /// An article that reports a quarter: figures without a period of their own take it,
    /// relative periods resolve against it, bases of changes do not time the figure.
    const QUARTER_REPORT: &str = "Date: 12 May 2026\n\n\
        Globex said revenue for the first quarter of 2026 was $4.2 billion, up 12% from a year earlier. \
        It shipped 3.4 million gadgets from April to June. \
        Operating profit rose to $900 million from $750 million in the same period last year. \
        The company sold 1.2 million widgets. \
        Margins were 21%, compared with 19% in the previous quarter. \
        Globex expects revenue of $4.5 billion next quarter. \
        It also forecast sales of $4.8 billion. \
        It signed a five-year lease. \
        Net income in the fourth quarter was $300 million. \
        Prices will rise 4% from June. \
        Shares rose 6% on the news.\n";

    /// (rule, claim text, want)
    const ARTICLE_PERIODS: &[(&str, &str, Option<&str>)] = &[
        ("own period", "$4.2 billion", Some("2026-Q1")),
        (
            "from one month to another is a span, not a base",
            "3.4 million",
            Some("2026-Q2"),
        ),
        ("change base excluded, appositive", "12%", Some("2026-Q1")),
        ("figure before a base inherits", "$900 million", Some("2026-Q1")),
        ("figure inside a base: the year before", "$750 million", Some("2025-Q1")),
        ("undated count inherits", "1.2 million", Some("2026-Q1")),
        ("compared with: base excluded", "21%", Some("2026-Q1")),
        ("figure inside a base: the previous quarter", "19%", Some("2025-Q4")),
        ("next quarter of the reporting quarter", "$4.5 billion", Some("2026-Q2")),
        ("a forecast inherits nothing", "$4.8 billion", None),
        ("a duration inherits nothing", "five-year", None),
        (
            "bare quarter nearest the reporting quarter",
            "$300 million",
            Some("2025-Q4"),
        ),
        ("from a month: when it takes effect", "4%", Some("2026-06")),
        ("a share price move inherits nothing", "6%", None),
    ];

    #[test]
    fn periods_in_an_article() {
        let ex = run(QUARTER_REPORT);
        for (rule, text, want) in ARTICLE_PERIODS {
            let c = ex.claims.iter().find(|c| c.text == *text);
            let c = c.unwrap_or_else(|| panic!("{rule}: no claim {text}"));
            assert_eq!(c.period.as_deref(), *want, "{rule}: {text}");
        }
        // No reporting period: nothing to inherit, a relative period stays relative.
        let ex = run("Globex hired 300 people. Revenue was $5 million a year ago.\n");
        let period = |t: &str| ex.claims.iter().find(|c| c.text == t).and_then(|c| c.period.clone());
        assert_eq!(period("300"), None);
        assert_eq!(period("$5 million").as_deref(), Some("prior-year"));
        // An expectation's period is not the span the article reports.
        let ex = run("Initech said it expected fourth-quarter sales of $9 billion. Sales grew to $8 billion.\n");
        assert_eq!(
            ex.claims.get(1).and_then(|c| c.period.as_deref()),
            None,
            "{:?}",
            ex.claims
        );
        // A sentence without figures names the span the article reports.
        let ex = run("Initech held its third-quarter earnings call on Tuesday. Revenue was $2 billion.\n");
        assert_eq!(ex.claims.first().and_then(|c| c.period.as_deref()), Some("Q3"));
    }

    /// A change measured from another figure or from a quarter: the base figure's time is
    /// not the change's, and does not vote for the article's reporting period; a change
    /// from a quarter is year on year or sequential against the figure's own quarter,
    /// known from the reporting period; "sales" after units sold are units sold.
    #[test]
    fn changes_from_a_base_figure_or_a_base_quarter() {
        let ex = run("Initech delivered 210,000 cars in the second quarter. \
            Its deliveries fell 20 percent from a record high of 262,500 cars sold in Q1, \
            though it also saw car sales increase 40 percent from the second quarter of 2023.\n");
        let fall = claim_of(&ex, "20 percent");
        assert_eq!(fall.period.as_deref(), Some("Q2"));
        let rise = claim_of(&ex, "40 percent");
        assert_eq!(rise.period.as_deref(), Some("Q2"));
        assert_eq!(rise.measure.change, Some(crate::model::Change::Yoy));
        assert_eq!(rise.measure.head.as_deref(), Some("deliveries"));
        assert_eq!(rise.measure.scope, vec!["car".to_string()]);
        let base = claim_of(&ex, "262,500");
        assert_eq!(base.period.as_deref(), Some("Q1"));
    }

    /// A figure of an economy is about the place its sentence names; a name that predicts
    /// it is the forecaster, not the subject; the level a rise ends at is no change.
    #[test]
    fn a_figure_of_an_economy_is_about_a_place() {
        let ex = run("Contoso Capital warned that inflation could hit 9.5% in March. \
            Japan's inflation is forecast to rise to 4% next year.\n");
        let warned = claim_of(&ex, "9.5%");
        assert_eq!(warned.subject, None);
        assert_eq!(warned.measure.by.as_deref(), Some("Contoso Capital"));
        let japan = claim_of(&ex, "4%");
        assert_eq!(japan.subject.as_deref(), Some("Japan"));
        assert_eq!(japan.measure.change, None);
        assert_eq!(japan.measure.status, crate::model::Status::Forecast);
    }

    /// "That business" stands for the part of a business the sentence before named: its
    /// figures take that part as their scope; with no part named, they take none.
    #[test]
    fn a_part_referred_back_to_scopes_the_figures() {
        let ex = run("Most of the growth came from the Cloud Services segment. \
            That business earned $9 billion in revenue, 40% more than a year earlier.\n\n\
            The business earned $2 billion in revenue.\n");
        let scope = |t: &str| claim_of(&ex, t).measure.scope.clone();
        assert_eq!(scope("$9 billion"), ["cloud services"]);
        assert_eq!(scope("40%"), ["cloud services"]);
        assert!(scope("$2 billion").is_empty());
    }

    /// A vehicle acronym names a kind of vehicle: "passenger BEVs", "BEV sales" and
    /// "electric vehicles" are all scoped to electric ones, plug-in hybrids apart.
    #[test]
    fn vehicle_acronyms_scope_like_their_words() {
        let ex = run("Harbour Motors sold 30,114 passenger BEVs in the quarter. \
            Its BEV sales rose 36% from a year earlier. \
            It also sold 12,000 electric vehicles in Spain. In Italy it sold 9,000 PHEVs.\n");
        let scope = |t: &str| claim_of(&ex, t).measure.scope.clone();
        assert_eq!(scope("30,114"), ["passenger electric"]);
        assert_eq!(scope("36%"), ["electric"]);
        assert_eq!(scope("12,000"), ["electric"]);
        assert_eq!(scope("9,000"), ["plug in hybrid"]);
    }

    /// A title before a person's name is not part of the name.
    #[test]
    fn titles_are_not_part_of_a_name() {
        let ex = run(
            "In May, Chief Executive Officer Ana Lim offered buyers of the older model a $500 \
            rebate on every car. Vice President Tom Reyes said sales rose 4% after that.\n",
        );
        let entities: Vec<&String> = ex.claims.iter().flat_map(|c| &c.entities).collect();
        assert!(
            entities.iter().any(|e| *e == "Ana Lim") && entities.iter().any(|e| *e == "Tom Reyes"),
            "{entities:?}"
        );
        assert!(
            !entities
                .iter()
                .any(|e| e.contains("Officer") || e.contains("President")),
            "{entities:?}"
        );
    }

    /// A month's abbreviation is a time, never a name.
    #[test]
    fn abbreviated_months_are_no_entities() {
        let ex = run("Stretching back to early Jan, the consensus was just below 500k.\n");
        let c = ex.claims.first().unwrap_or_else(|| panic!("{:?}", ex.claims));
        assert!(c.entities.is_empty(), "{:?}", c.entities);
        assert_eq!(c.subject, None);
    }

    /// (text, claim text, field, want): one row per rule of subject, period and metric.
    const FIELD_RULES: &[(&str, &str, &str, Option<&str>)] = &[
        // period: the figure's own clause, an opening phrase, an appositive; no period for
        // a duration; a year after "from"/"since" is a base, not the figure's time
        (
            "Anthropic lined up 3.5 gigawatts of capacity in April 2026, and separately agreed to spend $30 billion on Azure compute.",
            "3.5 gigawatts",
            "period",
            Some("2026-04"),
        ),
        (
            "Anthropic lined up 3.5 gigawatts of capacity in April 2026, and separately agreed to spend $30 billion on Azure compute.",
            "$30 billion",
            "period",
            None,
        ),
        (
            "In January 2023, Microsoft committed $10 billion to OpenAI.",
            "$10 billion",
            "period",
            Some("2023-01"),
        ),
        (
            "Spending will reach $600 billion in 2026, up roughly 60% from 2025.",
            "60%",
            "period",
            Some("2026"),
        ),
        (
            "Acme raised $25 billion in debt since 2024.",
            "$25 billion",
            "period",
            None,
        ),
        (
            "In March 2025, Globex signed a contract running over five years.",
            "five years",
            "period",
            None,
        ),
        (
            "Initech shipped 52,000 printers in 2023, while Globex shipped about 40,100 copiers.",
            "40,100",
            "period",
            Some("2023"),
        ),
        (
            "Date: 12 April 2026\n\nThe new fare is an increase on the current price of $41.",
            "$41",
            "period",
            Some("2026-04"),
        ),
        (
            "Fares were lowered in March 2025, when the average ticket cost $41.",
            "$41",
            "period",
            Some("2025-03"),
        ),
        // "from X to Y in October": the time after Y is Y's; X is the level before
        (
            "Globex said its ticket price will rise from $1,200 to $1,450 in October 2026.",
            "$1,200",
            "period",
            Some("before"),
        ),
        (
            "Globex said its ticket price will rise from $1,200 to $1,450 in October 2026.",
            "$1,450",
            "period",
            Some("2026-10"),
        ),
        // a person who stands for a firm is not the subject
        (
            "The company led by Jane Okafor sold 9,000 printers in 2024.",
            "9,000",
            "subject",
            None,
        ),
        (
            "Jane Okafor's company sold 9,000 printers in 2024.",
            "9,000",
            "subject",
            None,
        ),
        // subject: a name right before the figure, the agent of a relative clause, the
        // name a pronoun-led sentence stands for, a name in the figure's own clause
        (
            "Initech shipped 52,000 printers in 2023, while Globex shipped about 40,100 copiers.",
            "40,100",
            "subject",
            Some("Globex"),
        ),
        // a place before a firm noun only says where a firm named before is from
        (
            "Initech Bikes said it opened a plant. The German electric bike (EB) maker sold 61,000 bikes in 2024.",
            "61,000",
            "subject",
            Some("Initech Bikes"),
        ),
        // an acronym the article spells out in lower case is a common noun; a lone acronym
        // opening a sentence is a name
        (
            "Initech sells battery electric vehicles (BEVs) and hybrids. The BEV unit sold 52,000 cars in 2024.",
            "52,000",
            "subject",
            None,
        ),
        (
            "Globex sells printers. ZTX also sold 9,000 printers in 2024.",
            "9,000",
            "subject",
            Some("ZTX"),
        ),
        // a product generation ("Series 5") is no organisation; "Pier 1 Imports" is one
        (
            "The report showed that 61,200 Series 5 units were made.",
            "61,200",
            "subject",
            None,
        ),
        (
            "Acme cut prices as Pier 1 Imports said sales fell 8.8%.",
            "8.8%",
            "subject",
            Some("Pier 1 Imports"),
        ),
        (
            "Microsoft agreed to invest up to $5 billion in Anthropic and Nvidia up to $10 billion.",
            "$10 billion",
            "subject",
            Some("Nvidia"),
        ),
        (
            "The contract is part of the $281.3 billion backlog that Microsoft disclosed.",
            "$281.3 billion",
            "subject",
            Some("Microsoft"),
        ),
        (
            "OpenAI and the cloud\n\nOpenAI signed deals with many suppliers. The Intelligent Cloud segment is where it shows. It brought in $32.91 billion in the quarter.",
            "$32.91 billion",
            "subject",
            Some("Microsoft"),
        ),
        (
            "Year to date, $MSFT is down 20%, while $AMZN is up 7%.",
            "7%",
            "subject",
            Some("Amazon"),
        ),
        // a description opening a sentence that names another party stands for the name
        // the sentence before gives and this one does not
        (
            "Sales put Contoso back past Fabrikam in the charts. The Chinese manufacturer overtook Contoso in the final quarter, delivering 52,640 cars, compared with Contoso's 48,450.",
            "52,640",
            "subject",
            Some("Fabrikam"),
        ),
        (
            "Sales put Contoso back past Fabrikam in the charts. The Chinese manufacturer overtook Contoso in the final quarter, delivering 52,640 cars, compared with Contoso's 48,450.",
            "48,450",
            "subject",
            Some("Contoso"),
        ),
        // a conversion into another currency is the same fact as the amount before it
        (
            "Acme Group paid $5bn and Globex about $2bn (£1.06bn).",
            "£1.06bn",
            "subject",
            Some("Globex"),
        ),
        // metric: a segment keeps its name, keywords of the figure's own clause first, a
        // `near` label only as the figure's noun, growth of the flow named before it, a
        // cashtag's move, no compound first word, no amount label on a duration
        (
            "Microsoft's Intelligent Cloud segment reported revenue of $32.91 billion.",
            "$32.91 billion",
            "metric",
            Some("Intelligent Cloud revenue"),
        ),
        (
            "OpenAI agreed to pay CoreWeave $11.9 billion over five years for capacity, and received $350 million worth of CoreWeave shares as part of the arrangement.",
            "$11.9 billion",
            "metric",
            Some("deal value"),
        ),
        (
            "OpenAI agreed to pay CoreWeave $11.9 billion over five years for capacity, and received $350 million worth of CoreWeave shares as part of the arrangement.",
            "$350 million",
            "metric",
            Some("shares issued"),
        ),
        (
            "Excluding OpenAI, the backlog grew 28%.",
            "28%",
            "metric",
            Some("backlog growth"),
        ),
        (
            "Year to date, $MSFT is down 20%, while $AMZN is up 7%.",
            "7%",
            "metric",
            Some("stock move"),
        ),
        // ("profit-sharing" names no shares; a percentage of a company is a stake in it)
        (
            "Microsoft swapped its profit-sharing rights for 27% of OpenAI.",
            "27%",
            "metric",
            Some("stake"),
        ),
        (
            "In the six years since its first investment, Microsoft grew.",
            "six years",
            "metric",
            None,
        ),
        (
            "The contract came four months after the deal.",
            "four months",
            "metric",
            None,
        ),
        (
            "Two expansions later in the year, worth $4 billion, lifted the total value of the contracts.",
            "$4 billion",
            "metric",
            Some("contract expansion"),
        ),
        // a name negated by a prefix is no mention
        (
            "Its first big non-Microsoft deal was worth $11.9 billion.",
            "$11.9 billion",
            "subject",
            None,
        ),
        // percentage points in a clause with no metric: a change of the sentence's percentage
        (
            "Acme and Globex each hold about 30-40% of the market, and neither has moved by more than 2 percentage points.",
            "2 percentage points",
            "metric",
            Some("market share change"),
        ),
        // the window of a superlative is the length of nothing
        (
            "Acme sales grew 24% to $35.6 billion, its fastest pace in 13 quarters, under the new contract.",
            "13 quarters",
            "metric",
            None,
        ),
        // a commitment with no compute word is an investment; with one, a compute commitment
        (
            "In January 2023 Microsoft announced a further commitment of up to $10 billion to OpenAI.",
            "$10 billion",
            "metric",
            Some("investment"),
        ),
        (
            "OpenAI's $250 billion Azure commitment is roughly 45% of Microsoft's backlog.",
            "$250 billion",
            "metric",
            Some("compute commitment"),
        ),
        // a share of what a possessor has is about the possessor
        (
            "OpenAI's $250 billion Azure commitment is roughly 45% of Microsoft's backlog.",
            "45%",
            "subject",
            Some("Microsoft"),
        ),
        // a name between a count and its noun says whose the things are
        (
            "OpenAI says more than 1,500 Microsoft customers use both models.",
            "1,500",
            "subject",
            Some("Microsoft"),
        ),
        // a name set aside or excluded is neither the subject nor, through it, the topic
        (
            "Take OpenAI out and the rest of the backlog still grew 28%, a figure Microsoft repeats.",
            "28%",
            "subject",
            Some("Microsoft"),
        ),
        // institutions named with "of"/"for" are one name
        (
            "Rates may rise, the Bank of England said, from their current 4.75%.",
            "4.75%",
            "subject",
            Some("Bank of England"),
        ),
        // "by" names the agent only right after the figure's noun; a relative clause is
        // about the name it hangs on
        (
            "Mistral AI raised €1.7bn in September in a round led by ASML, which contributed €1.3bn.",
            "€1.7bn",
            "subject",
            Some("Mistral"),
        ),
        (
            "Mistral AI raised €1.7bn in September in a round led by ASML, which contributed €1.3bn.",
            "€1.3bn",
            "subject",
            Some("ASML"),
        ),
        (
            "Acme stayed ahead of Globex which sold about 300,000 cars in the quarter.",
            "300,000",
            "subject",
            Some("Globex"),
        ),
        // a pronoun acting in the figure's clause of a sentence that opens with one is the topic
        (
            "Anthropic grew fast. It uses Amazon's chips, and last year it committed $30 billion to Azure compute.",
            "$30 billion",
            "subject",
            Some("Anthropic"),
        ),
        // a price target "for" a ticker is that company's
        (
            "Our price target for $AMZN is $285, while Microsoft stays on hold.",
            "$285",
            "subject",
            Some("Amazon"),
        ),
        // the party a deal was with, when the sentence names no actor
        (
            "The lab's first big deal was with CoreWeave in March: $11.9 billion over five years.",
            "$11.9 billion",
            "subject",
            Some("CoreWeave"),
        ),
        // a lone word opening a sentence with an appositive is a name
        (
            "Nscale, the London-based developer, is building the first phase of 50 megawatts.",
            "50 megawatts",
            "subject",
            Some("Nscale"),
        ),
        // a figure in a Markdown table takes its column header's metric
        (
            "| Buyer | Seller | Capacity | Term |\n|---|---|---|---|\n| OpenAI | Amazon | 2 GW | seven years |\n",
            "2 GW",
            "metric",
            Some("compute capacity"),
        ),
        (
            "| Buyer | Seller | Capacity | Term |\n|---|---|---|---|\n| OpenAI | Amazon | 2 GW | seven years |\n",
            "seven years",
            "metric",
            Some("contract length"),
        ),
        // a sum a stake named before it is worth is the stake's value
        (
            "Microsoft holds a 27% stake in OpenAI, valued at about $135 billion.",
            "$135 billion",
            "metric",
            Some("value of stake"),
        ),
        // a short number after a guessed name is part of it when a verb follows, never
        // when a word like "and" does
        (
            "Doom 3 was developed over four years.",
            "four years",
            "subject",
            Some("Doom 3"),
        ),
        (
            "Between 10 and 12 of the resorts were damaged.",
            "10 and 12",
            "subject",
            None,
        ),
        // "the US firm" stands for the firm named before, not for the US
        (
            "Globex Motors lost $1bn last year. The US firm is offering about $2bn to end the deal.",
            "$2bn",
            "subject",
            Some("Globex Motors"),
        ),
        // a sentence opening with a pronoun, or with one after a short opening phrase,
        // stands for the name a recent sentence opened with, a guessed name too
        (
            "Globex Airways has been hit by fuel costs. Analysts expect more pain. Last week, it agreed to cut 900 jobs.",
            "900",
            "subject",
            Some("Globex Airways"),
        ),
        (
            "Globex Airways has been hit by fuel costs. The airline said it would cut 900 jobs.",
            "900",
            "subject",
            Some("Globex Airways"),
        ),
        // a figure stated again takes the metric it first had: in prose when nothing else
        // names one, in a table cell before the row's other cells
        (
            "Initech invested $4 billion in Vandelay in 2022. The $4 billion has not been repaid.",
            "$4 billion",
            "metric",
            Some("investment"),
        ),
        (
            "Initech signed a $4 billion agreement with Vandelay.\n\n| Buyer | Seller | Reported value | Term |\n|---|---|---|---|\n| Initech | Vandelay | $4 billion | five years (first contract) |\n",
            "$4 billion",
            "metric",
            Some("deal value"),
        ),
        // ... but not over a keyword of another clause: a repeated percentage is often
        // another fact
        (
            "Our target implies upside of 15%. Globex holds 40% of the market, and Acme about 15.0%.",
            "15.0%",
            "metric",
            Some("market share"),
        ),
        // a thing "valued at" a sum: a deal's value, or a stake's when a stake comes first
        (
            "Vandelay signed a contract with Initech valued at $6 billion over four years.",
            "$6 billion",
            "metric",
            Some("deal value"),
        ),
        (
            "Initech gets about 30% of Vandelay Labs, valued at roughly $90 billion.",
            "$90 billion",
            "metric",
            Some("value of stake"),
        ),
        // a duration a sum or a change is spread over
        (
            "Initech will spend $8bn in Spain over three years.",
            "three years",
            "metric",
            Some("investment period"),
        ),
        (
            "Vandelay agreed to pay Initech $6 billion over four years for servers, in an arrangement made public today.",
            "four years",
            "metric",
            Some("contract length"),
        ),
        (
            "Globex plans to double its warehouse space over the next three years.",
            "three years",
            "metric",
            Some("expansion period"),
        ),
        // a percentage by which a named quantity is raised is its growth
        (
            "Globex will increase its storage capacity by 25% next year.",
            "25%",
            "metric",
            Some("capacity growth"),
        ),
        // the level a flow grew to; its conversion into another currency with a comma
        (
            "Globex's retail division grew by 12 per cent in the year, to $4.5bn, roughly £3.6bn.",
            "$4.5bn",
            "metric",
            Some("revenue"),
        ),
        (
            "Globex's retail division grew by 12 per cent in the year, to $4.5bn, roughly £3.6bn.",
            "£3.6bn",
            "metric",
            Some("revenue"),
        ),
        // the base of a change measures what the figure measures
        (
            "Acme expects 3 gigawatts of contracted power by 2027, up from about 1.2 gigawatts.",
            "1.2 gigawatts",
            "metric",
            Some("contracted power"),
        ),
        // a rate of added power is capacity additions; power once added is capacity
        (
            "Acme wants to add 2 gigawatts of capacity every month.",
            "2 gigawatts",
            "metric",
            Some("capacity additions"),
        ),
        (
            "The expansion added 2 gigawatts of capacity to the campus.",
            "2 gigawatts",
            "metric",
            Some("compute capacity"),
        ),
        // "N times the <noun> of": that noun; "N times its cost": a return
        (
            "The new chip offers three times the memory bandwidth of the old one.",
            "three times",
            "metric",
            Some("bandwidth"),
        ),
        (
            "Investors now hold a stake worth eight times its cost.",
            "eight times",
            "metric",
            Some("return"),
        ),
        // a count is of its noun's head word unless a keyword of its own clause or a
        // count label elsewhere says otherwise
        (
            "Acme books sales in Spain, and five new warehouse sites are planned.",
            "five",
            "metric",
            Some("sites"),
        ),
        (
            "Acme customers can buy the app, which is used by 20,000 firms.",
            "20,000",
            "metric",
            Some("customers"),
        ),
        // industry labels: run rate, partnership length, build time, weighted duration,
        // public funding, a fund, a programme, upside
        (
            "Acme's annualised revenue run rate passed $4 billion in May.",
            "$4 billion",
            "metric",
            Some("revenue run rate"),
        ),
        (
            "The two firms marked a ten-year partnership in March.",
            "ten-year",
            "metric",
            Some("partnership length"),
        ),
        (
            "The plant was built in 20 months.",
            "20 months",
            "metric",
            Some("build time"),
        ),
        (
            "The weighted average duration of the leases is about four years.",
            "four years",
            "metric",
            Some("weighted average duration"),
        ),
        (
            "The ministry has promised £300m for new research labs.",
            "£300m",
            "metric",
            Some("funding"),
        ),
        (
            "The state set up a €5bn fund for chip plants.",
            "€5bn",
            "metric",
            Some("fund"),
        ),
        (
            "Our price target implies upside of about 18% from here.",
            "18%",
            "metric",
            Some("upside"),
        ),
        // subject: a word opening a sentence before its verb, never written in lower case
        // nor shaped like a common noun, is a name even when it never stands mid-sentence
        (
            "Harbourgate has confirmed the levy will rise by £40 to £610 a year.",
            "£40",
            "subject",
            Some("Harbourgate"),
        ),
        ("Demand has risen by 4% this year.", "4%", "subject", None),
        ("Spending was up 3% on the year.", "3%", "subject", None),
    ];

    #[test]
    fn the_word_before_is_found_past_any_punctuation() {
        let text = "was led by\u{2019} Okafor";
        let at = text.find("Okafor").unwrap_or(0);
        assert_eq!(prev_word(text, at).as_str(), "");
        let before = text.find('\u{2019}').unwrap_or(0);
        assert_eq!(prev_word(text, before).as_str(), "by");
        assert_eq!(prev_word(text, prev_start(text, before)).as_str(), "led");
        assert_eq!(prev_start("\u{2019}", 3), 3);
    }

    #[test]
    fn subject_period_and_metric_rules() {
        let mut bad = Vec::new();
        for &(text, claim, field, want) in FIELD_RULES {
            let ex = run(text);
            let Some(c) = ex.claims.iter().find(|c| c.text == claim) else {
                bad.push(format!("{text:?}: no claim {claim:?}"));
                continue;
            };
            let got = match field {
                "period" => c.period.as_deref(),
                "subject" => c.subject.as_deref(),
                _ => c.metric.as_deref(),
            };
            if got != want {
                bad.push(format!("{text:?}: {claim} {field} = {got:?}, want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn claims_citations_and_sources_together() {
        let text = "Deals\n\nMicrosoft's bet began with $1 billion in 2019, a big bet 2,3. OpenAI will consume 2 gigawatts of Trainium capacity 16,17.\n\nSources\n2. First bet - 2019-07-22\n3. Azure deal - 2023-01-23\n16. Meta deal - 2026-03-30\n";
        let ex = run(text);
        let got: Vec<(&str, Option<&str>, Option<&str>, &[u32])> = ex
            .claims
            .iter()
            .map(|c| {
                (
                    c.text.as_str(),
                    c.subject.as_deref(),
                    c.period.as_deref(),
                    c.citations.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("$1 billion", Some("Microsoft"), Some("2019"), &[2u32, 3][..]),
                ("2 gigawatts", Some("OpenAI"), None, &[16, 17][..]),
            ]
        );
        assert_eq!(ex.sources.len(), 3);
        assert_eq!(ex.sources[2].date.as_deref(), Some("2026-03-30"));
        assert_eq!(ex.citations.len(), 2);
        assert_eq!(ex.citations[1].unresolved, [17]);
        assert!(ex.warnings.iter().any(|w| w.contains("17")), "{:?}", ex.warnings);
    }
}
