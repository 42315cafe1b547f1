//! The rules that choose a figure's subject among the names of its sentence: one table
//! ([`RULES`]) tried in order, Duckling's shape. First the names the figure's own words
//! tie it to (a possessor, an agent, the head of a relative clause), then a name standing
//! in for another, then the nearest names of its clause and its sentence, the article's
//! topic and any name at all. Each rule has its examples, which a test runs through the
//! whole extractor, and names itself in `extract --explain`.

use std::cell::OnceCell;
use std::sync::LazyLock;

use super::super::sentence::clause_start;
use super::super::tokens::{Tok, TokKind};
use super::{Found, Mention, Topic};
use crate::extract::rules::{self, Example};
use crate::model::Kind;
use crate::words;

/// A subject rule: its name (as `extract --explain` gives it), its examples (an article,
/// a figure of it and the subject the rule gives that figure), its negatives (an article
/// and a figure of it whose subject the rule must not decide) and its function.
type Rule = rules::Rule<for<'s> fn(&Figure<'s>) -> Option<Pick<'s>>, Example<&'static str>>;

/// What a rule picks: a name of the sentence, a name from outside it standing for the
/// figure's actor, or the article's topic (named by what made it the topic).
enum Pick<'s> {
    Named(&'s Mention),
    Stands(&'s str),
    Topic(Topic<'s>),
}

/// Every subject rule, in the order they are tried.
static RULES: &[Rule] = &[
    Rule {
        name: "share_of_possessor",
        examples: &[(
            "Azure grew 40%, and 45% of Microsoft's backlog is tied to OpenAI.",
            "45%",
            "Microsoft",
        )],
        // The possessive is not right after the share's "of"; a count is not a share.
        negatives: &[
            (
                "Azure grew 40%, and 45% of the backlog is tied to Microsoft's biggest customer.",
                "45%",
            ),
            ("Globex holds 300 of Microsoft's patents.", "300"),
        ],
        applies: |f| {
            (f.kind == Kind::Percent)
                .then(|| f.share_of_possessor())
                .flatten()
                .map(Pick::Named)
        },
    },
    Rule {
        name: "possessor",
        examples: &[("Microsoft's $1 billion investment paid off.", "$1 billion", "Microsoft")],
        // The possessive is words away from the figure.
        negatives: &[(
            "Microsoft's board approved a $1 billion investment on Tuesday.",
            "$1 billion",
        )],
        applies: |f| f.possessor().map(Pick::Named),
    },
    Rule {
        name: "owner_of_counted",
        examples: &[(
            "Globex now has 1,500 Microsoft customers on the plan.",
            "1,500",
            "Microsoft",
        )],
        // The name comes after the counted noun, not between it and the count.
        negatives: &[(
            "Cloud deals\n\nGlobex now has 1,500 customers on the Microsoft plan.",
            "1,500",
        )],
        applies: |f| {
            (f.kind == Kind::Count)
                .then(|| f.owner_of_counted())
                .flatten()
                .map(Pick::Named)
        },
    },
    Rule {
        name: "agent",
        examples: &[(
            "The startup received a $4 billion investment by Amazon.",
            "$4 billion",
            "Amazon",
        )],
        // "by" is too many words after the figure: it names who led the round.
        negatives: &[(
            "Funding\n\nThe startup received a $4 billion investment in March in a round led by Amazon.",
            "$4 billion",
        )],
        applies: |f| f.agent().map(Pick::Named),
    },
    Rule {
        name: "relative_head",
        examples: &[("ASML, which contributed €1.3bn, led the round.", "€1.3bn", "ASML")],
        // The relative clause hangs on a noun, not on the name.
        negatives: &[("ASML led the round, which raised €1.3bn.", "€1.3bn")],
        applies: |f| f.relative_head().map(Pick::Named),
    },
    Rule {
        name: "relative_without_comma",
        examples: &[(
            "Tesla stayed ahead of BYD which sold about 300,000 cars.",
            "300,000",
            "BYD",
        )],
        // The figure is too many words into the relative clause.
        negatives: &[(
            "Tesla stayed ahead of BYD which had warned in the spring that it would sell about 300,000 cars.",
            "300,000",
        )],
        applies: |f| f.relative_without_comma().map(Pick::Named),
    },
    Rule {
        name: "linked_name_before",
        examples: &[(
            "Microsoft put in $13 billion and Nvidia up to $10 billion.",
            "$10 billion",
            "Nvidia",
        )],
        // A verb, not linking words, stands between the name and the figure.
        negatives: &[(
            "Microsoft put in $13 billion and Nvidia said it would add $10 billion.",
            "$10 billion",
        )],
        applies: |f| f.linked_name_before().map(Pick::Named),
    },
    Rule {
        name: "relative_agent",
        examples: &[(
            "Analysts studied the $281.3 billion backlog that Microsoft disclosed.",
            "$281.3 billion",
            "Microsoft",
        )],
        // The name is not the relative clause's agent: "investors" is.
        negatives: &[(
            "Backlog\n\nAnalysts studied the $281.3 billion backlog that investors tied to Microsoft.",
            "$281.3 billion",
        )],
        applies: |f| f.relative_agent().map(Pick::Named),
    },
    Rule {
        name: "participle_of_description",
        examples: &[(
            "BYD sold more cars than ever. The Chinese manufacturer overtook Tesla, delivering 526,409 EVs.",
            "526,409",
            "BYD",
        )],
        // The participle's clause names someone; no description opens the sentence.
        negatives: &[
            (
                "BYD sold more cars than ever. The Chinese maker led the market, beating Tesla with 526,409 EVs.",
                "526,409",
            ),
            (
                "BYD sold more cars than ever. Sales rose in December, reaching 526,409 EVs.",
                "526,409",
            ),
        ],
        applies: |f| f.participle_of_description().map(Pick::Stands),
    },
    Rule {
        name: "pronoun_in_clause",
        examples: &[(
            "Anthropic is a start-up. It uses Amazon's chips, and last November it committed $30 billion.",
            "$30 billion",
            "Anthropic",
        )],
        // The figure's own clause names its actor.
        negatives: &[(
            "Anthropic is a start-up. It uses Amazon's chips, and last November Amazon committed $30 billion.",
            "$30 billion",
        )],
        applies: |f| f.pronoun_in_clause().map(Pick::Stands),
    },
    Rule {
        name: "known_name_in_clause",
        examples: &[(
            "In January 2023, Microsoft committed up to $10 billion to OpenAI.",
            "$10 billion",
            "Microsoft",
        )],
        // The known name is in another clause.
        negatives: &[(
            "Microsoft backed the lab early, and in January 2023 the company committed up to $10 billion.",
            "$10 billion",
        )],
        applies: |f| f.nearest(true, f.clause_start()).map(Pick::Named),
    },
    Rule {
        name: "guessed_name_in_clause",
        examples: &[(
            "Globex said revenue rose 28.8% to $32.91 billion in 2025.",
            "28.8%",
            "Globex",
        )],
        // The guessed name is in another clause.
        negatives: &[(
            "Globex reported results, and revenue rose 28.8% to $32.91 billion in 2025.",
            "28.8%",
        )],
        applies: |f| f.nearest(false, f.clause_start()).map(Pick::Named),
    },
    Rule {
        name: "known_name_in_sentence",
        examples: &[("Microsoft reported results, with revenue up 12%.", "12%", "Microsoft")],
        // The known name comes after the figure, or after a preposition.
        negatives: &[
            ("Quarterly results\n\nRevenue rose 12%, Microsoft reported.", "12%"),
            ("Quarterly results\n\nAt Microsoft, revenue rose 12%.", "12%"),
        ],
        applies: |f| f.nearest(true, 0).map(Pick::Named),
    },
    Rule {
        name: "guessed_name_in_sentence",
        examples: &[("Globex reported results, with revenue up 12%.", "12%", "Globex")],
        // The guessed name comes after the figure.
        negatives: &[("Quarterly results\n\nRevenue rose 12%, Globex reported.", "12%")],
        applies: |f| f.nearest(false, 0).map(Pick::Named),
    },
    Rule {
        name: "party_with",
        examples: &[(
            "The lab's first deal was with CoreWeave: $11.9 billion over five years.",
            "$11.9 billion",
            "CoreWeave",
        )],
        // The party of an "agreement with", not of what "was with".
        negatives: &[(
            "Compute deals\n\nThe lab's first deal, an agreement with CoreWeave, was worth $11.9 billion in all.",
            "$11.9 billion",
        )],
        applies: |f| f.party_with().map(Pick::Named),
    },
    Rule {
        // Named by what made it the topic: `running_topic`, `title_topic`,
        // `pronoun_antecedent`.
        name: "topic",
        examples: &[(
            "Quarterly results\n\nAnthropic builds models. Revenue from Google rose 10%.",
            "10%",
            "Anthropic",
        )],
        // The sentence names the topic only as left out; no sentence before gives a topic.
        negatives: &[
            (
                "Quarterly results\n\nAnthropic builds models. Revenue excluding Anthropic rose 10%.",
                "10%",
            ),
            ("Quarterly results\n\nRevenue from Amazon rose 10%.", "10%"),
        ],
        applies: |f| f.topic.map(Pick::Topic),
    },
    Rule {
        name: "any_name",
        examples: &[("Quarterly results\n\nRevenue from Google rose 10%.", "10%", "Google")],
        // The only name is left out of the figure.
        negatives: &[("Quarterly results\n\nRevenue excluding Google rose 10%.", "10%")],
        applies: |f| {
            let any = (f.mentions.iter()).find(|m| !m.roles.excluded && !m.roles.modifier);
            any.map(Pick::Named)
        },
    },
];

/// The entity a claim at `start..end` is about, and the name of the rule that found it:
/// the first rule of [`RULES`] that picks one. A sentence that names no one leaves the
/// figure to the article's `topic`.
pub(in crate::extract) fn subject_of<'a>(
    toks: &[Tok],
    text: &str,
    mentions: &[Mention],
    (start, end): (usize, usize),
    kind: Kind,
    topic: Option<Topic>,
    anaphor: &dyn Fn() -> Option<&'a str>,
) -> Found {
    if mentions.is_empty() {
        return topic.map(|(t, rule)| (t.to_string(), rule));
    }
    // Left out of the figure, a place-of-origin modifier, or after a preposition: not the
    // actor ([`Mention::roles`]).
    let topic = topic.filter(|(t, _)| !mentions.iter().any(|m| m.roles.excluded && m.subject_name() == *t));
    let stands_for = || -> Option<&str> { anaphor() };
    let f = Figure {
        toks,
        text,
        mentions,
        start,
        end,
        kind,
        topic,
        anaphor: &stands_for,
        clause_start: OnceCell::new(),
    };
    RULES.iter().find_map(|r| {
        (r.applies)(&f).map(|pick| match pick {
            Pick::Named(m) => (m.subject_name().to_string(), r.name),
            Pick::Stands(name) => (name.to_string(), r.name),
            Pick::Topic((t, why)) => (t.to_string(), why),
        })
    })
}

/// A figure at bytes `start..end` of a sentence, the sentence's mentions and what the
/// article around it offers, for the subject rules.
struct Figure<'s> {
    toks: &'s [Tok],
    text: &'s str,
    mentions: &'s [Mention],
    start: usize,
    end: usize,
    kind: Kind,
    /// The article's topic, unless the sentence names it only where it cannot act.
    topic: Option<Topic<'s>>,
    /// The name a description opening the sentence stands for, read when asked.
    anaphor: &'s dyn Fn() -> Option<&'s str>,
    /// Where the figure's clause starts, found when a rule asks.
    clause_start: OnceCell<usize>,
}

/// Whether a mention may act: not left out of the figure, a place-of-origin modifier, or
/// after a preposition ([`Mention::roles`]).
fn acts(m: &Mention) -> bool {
    !m.roles.excluded && !m.roles.modifier && !m.roles.after_preposition
}

impl<'s> Figure<'s> {
    /// The byte where the figure's clause starts.
    fn clause_start(&self) -> usize {
        *self
            .clause_start
            .get_or_init(|| clause_start(self.toks, self.text, self.start))
    }

    /// "45% of Microsoft's backlog", "27% of the world's population": a share of what a
    /// possessor has is about the possessor.
    fn share_of_possessor(&self) -> Option<&'s Mention> {
        let (text, end) = (self.text, self.end);
        (self.mentions.iter())
            .find(|m| m.start >= end && m.possessive && matches!(text[end..m.start].trim(), "of" | "of the"))
    }

    /// "Microsoft's $1 billion investment", "of Microsoft's $281 billion backlog"
    fn possessor(&self) -> Option<&'s Mention> {
        let start = self.start;
        (self.mentions.iter())
            .rev()
            .find(|m| m.end <= start && m.possessive && start - m.end <= 8)
    }

    /// "1,500 Microsoft customers", "137 million US users": a name between a count and
    /// its noun says whose the counted things are.
    fn owner_of_counted(&self) -> Option<&'s Mention> {
        let (text, end) = (self.text, self.end);
        // One space or one line break (a CRLF is two bytes).
        let m = self.mentions.iter().find(|m| m.start >= end && m.start - end <= 2)?;
        (text[end..m.start].chars().all(char::is_whitespace)
            && !m.possessive
            && text[m.end..]
                .strip_prefix(' ')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_lowercase())))
        .then_some(m)
    }

    /// "... investment by Amazon" (not "raised €1.7bn in September in a round led by
    /// ASML")
    fn agent(&self) -> Option<&'s Mention> {
        let end = self.end;
        let m = self.mentions.iter().find(|m| m.start >= end && m.start - end <= 40)?;
        let mut between = self.text[end..m.start].split_whitespace();
        let last = between.next_back();
        (between.count() < 3 && last == Some("by")).then_some(m)
    }

    /// "ASML, which contributed €1.3bn": the name a relative clause (from byte
    /// `clause_start`) hangs on.
    fn relative_head(&self) -> Option<&'s Mention> {
        let (text, clause_start) = (self.text, self.clause_start());
        let opener = text[clause_start..self.start].split_whitespace().next();
        if !matches!(opener, Some("which" | "who")) {
            return None;
        }
        let before = text[..clause_start].trim_end_matches(|c: char| c.is_whitespace() || c == ',');
        self.mentions.iter().rev().find(|m| m.end == before.len())
    }

    /// "ahead of BYD which sold about 300,000": the same without the comma, the figure a
    /// few words into the relative clause and no other name between.
    fn relative_without_comma(&self) -> Option<&'s Mention> {
        let m = self.mentions.iter().rev().find(|m| m.end <= self.start)?;
        let rest = self.text[m.end..self.start].trim_start();
        let words = rest.split_whitespace().count();
        (matches!(rest.split_whitespace().next(), Some("which" | "who"))
            && words <= 6
            && !rest.contains(['.', ';', ',']))
        .then_some(m)
    }

    /// "... and Nvidia up to $10 billion", "Google about 13%", "$AMZN is up 7%": a name
    /// right before the figure, with at most a few qualifier or linking words between.
    fn linked_name_before(&self) -> Option<&'s Mention> {
        let m = (self.mentions.iter().rev())
            .find(|m| m.end <= self.start)
            .filter(|m| !m.possessive && acts(m))?;
        let between = &self.text[m.end..self.start];
        let mut words = between.split_whitespace();
        (words.clone().nth(3).is_none()
            && between
                .chars()
                .all(|c| c.is_alphabetic() || c.is_whitespace() || c == '-')
            && words.all(|w| LINK_WORDS.iter().any(|l| l.eq_ignore_ascii_case(w))))
        .then_some(m)
    }

    /// "the $281.3 billion backlog that Microsoft disclosed": the agent of a relative
    /// clause on the figure's noun.
    fn relative_agent(&self) -> Option<&'s Mention> {
        let end = self.end;
        let m = (self.mentions.iter()).find(|m| m.known && m.start >= end && m.start - end <= 60)?;
        // At most four words: the noun (one to three words) and the relative pronoun.
        let mut words = [""; 4];
        let mut n = 0;
        for w in self.text[end..m.start].split_whitespace() {
            if n == words.len() {
                n = usize::MAX;
                break;
            }
            words[n] = w;
            n += 1;
        }
        let (rel, noun) = words.get(..n).and_then(<[&str]>::split_last)?;
        ((rel.eq_ignore_ascii_case("that") || rel.eq_ignore_ascii_case("which"))
            && (1..=3).contains(&noun.len())
            && noun.iter().all(|w| {
                let plain = w.chars().all(|c| c.is_alphanumeric() || c == '-');
                plain && (w.starts_with(char::is_lowercase) || w.len() <= 3)
            }))
        .then_some(m)
    }

    /// The first acting mention, known or guessed (`known`), that ends before the figure
    /// and starts at or after byte `from`.
    fn nearest(&self, known: bool, from: usize) -> Option<&'s Mention> {
        (self.mentions.iter())
            .filter(|m| acts(m))
            .find(|m| m.known == known && m.end <= self.start && m.start >= from)
    }

    /// Whether the figure's own clause names no one that may act.
    fn clause_names_none(&self) -> bool {
        let from = self.clause_start();
        self.nearest(true, from).is_none() && self.nearest(false, from).is_none()
    }

    /// "The Chinese manufacturer overtook Tesla …, delivering 526,409 EVs": a participle's
    /// clause that names no one acts for the name the description opening the sentence
    /// stands for, not for the name the description acted on.
    fn participle_of_description(&self) -> Option<&'s str> {
        let participle = self.text[self.clause_start().min(self.start)..self.start]
            .split_whitespace()
            .next()
            .is_some_and(|w| w.len() > 4 && w.ends_with("ing"));
        if participle && self.clause_names_none() {
            (self.anaphor)()
        } else {
            None
        }
    }

    /// "It uses Amazon's chips, and last November it committed $30 billion": in a sentence
    /// that opens with a pronoun, a pronoun acting in the figure's own clause, which names
    /// no one, stands for the topic, not for a name in another clause.
    fn pronoun_in_clause(&self) -> Option<&'s str> {
        let (text, start) = (self.text, self.start);
        let opens_with_pronoun = (self.toks.iter())
            .find(|t| t.kind == TokKind::Word)
            .is_some_and(|t| matches!(t.text(text), "It" | "Its" | "They" | "Their"));
        let pronoun_acts = opens_with_pronoun && {
            let head = &text[self.clause_start().min(start)..start];
            head.split(|c: char| !c.is_alphanumeric())
                .any(|w| matches!(w, "it" | "It" | "its" | "Its" | "they" | "They" | "their" | "Their"))
        };
        if pronoun_acts && self.clause_names_none() {
            self.topic.map(|(t, _)| t)
        } else {
            None
        }
    }

    /// "The lab's first deal was with CoreWeave: $11.9 billion over five years": the party
    /// something "was with", in a sentence that names no actor, says more than a topic
    /// from elsewhere (an "agreement with Amazon" names the other party, not the actor).
    fn party_with(&self) -> Option<&'s Mention> {
        self.mentions.iter().find(|m| {
            let head = self.text[..m.start].trim_end();
            let before_with = head
                .strip_suffix("with")
                .and_then(|h| h.split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty()));
            m.known && m.end <= self.start && before_with.is_some_and(|w| matches!(w, "was" | "is" | "were" | "are"))
        })
    }
}

/// Words that may stand between a name and its figure ("Nvidia up to $10 billion").
static LINK_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::LINK_WORDS));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::explain::claim_explained;

    /// The subject of the claim `figure` of `article`, and the rule `extract --explain`
    /// names for it.
    fn subject(article: &str, figure: &str) -> (Option<String>, Option<&'static str>) {
        let (claim, explain) = claim_explained(article, figure);
        (claim.subject, explain.subject)
    }

    /// Whether `rule`, the subject rule `extract --explain` names, is the rule `name` of
    /// [`RULES`]: `topic` names itself by what made it the topic.
    fn decided_by(name: &str, rule: Option<&str>) -> bool {
        rule.is_some_and(|n| {
            n == name || name == "topic" && ["running_topic", "title_topic", "pronoun_antecedent"].contains(&n)
        })
    }

    #[test]
    fn every_rule_holds_its_examples() {
        for r in RULES {
            assert!(!r.examples.is_empty(), "rule {} has no example", r.name);
            for (article, figure, want) in r.examples {
                let (got, rule) = subject(article, figure);
                assert_eq!(got.as_deref(), Some(*want), "rule {} on {article:?} ({figure})", r.name);
                assert!(
                    decided_by(r.name, rule),
                    "rule {} on {article:?} ({figure}): {rule:?} decided",
                    r.name
                );
            }
        }
    }

    /// Each negative, a near miss of its rule, still has its claim, and the rule does not
    /// decide its subject (another rule does, or none).
    #[test]
    fn no_rule_decides_its_negatives() {
        for r in RULES {
            assert!(!r.negatives.is_empty(), "rule {} has no negative", r.name);
            for (article, figure) in r.negatives {
                let (got, rule) = subject(article, figure);
                assert!(
                    !decided_by(r.name, rule),
                    "rule {} decided its negative {article:?} ({figure}): {got:?}",
                    r.name
                );
            }
        }
    }

    #[test]
    fn a_sentence_naming_no_one_takes_the_topic() {
        let article = "Quarterly results\n\nAnthropic builds models. It said revenue rose 10%.";
        assert_eq!(
            subject(article, "10%"),
            (Some("Anthropic".into()), Some("pronoun_antecedent"))
        );
    }
}
