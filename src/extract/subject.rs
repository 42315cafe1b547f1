//! Who a figure is about: the names a sentence gives (the alias table's and guessed
//! capitalised names, with their roles) and the rules that choose a figure's subject.

use std::sync::LazyLock;

use super::entities::Lexicon;
use super::tokens::{Tok, TokKind};
use super::{entities, places, tokens};
use crate::clean::meta::MONTH_WORDS;
use crate::segment::{Unit, UnitKind};
use crate::words;

mod rules;
pub(super) use rules::subject_of;

/// One sentence's entity mentions, subject candidates first in text order.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) name: String,
    /// The organisation a product belongs to.
    pub(super) owner: Option<String>,
    pub(super) possessive: bool,
    /// From the alias table (not a guessed capitalised name).
    pub(super) known: bool,
    /// How the words around it cast it ([`Mention::roles`]), the same for every figure of
    /// the sentence, so worked out once.
    pub(super) roles: Roles,
}

/// What the words around a mention say about it, for choosing a figure's subject.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Roles {
    /// Left out of the figure ("excluding OpenAI", "Take OpenAI out and ...").
    pub(super) excluded: bool,
    /// Only says where a firm named before is from ("the US firm").
    pub(super) modifier: bool,
    /// After a preposition ("with OpenAI"): an object, not the actor.
    pub(super) after_preposition: bool,
}

impl Mention {
    pub(super) fn subject_name(&self) -> &str {
        self.owner.as_deref().unwrap_or(&self.name)
    }

    /// Fills [`Mention::roles`] from the words around the mention in `text`.
    fn roles(&mut self, text: &str) {
        let prev = prev_word(text, self.start);
        let prev = prev.as_str();
        // One left out of the figure ("Take OpenAI out and the rest grew 28%", "excluding
        // OpenAI") is not what it is about, not even as the article's topic.
        let next = || {
            text[self.end..]
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
        };
        let excluded = matches!(prev, "excluding" | "except" | "without")
            || matches!(prev, "take" | "leave" | "set" | "strip") && matches!(next(), Some("out" | "aside"));
        // "The US firm", "the Japanese carmaker": a name that only says where the firm named
        // before is from.
        let modifier = prev == "the" && !self.possessive && firm_noun_follows(&text[self.end..]);
        // "the company led by Jane Doe", "Jane Doe's company": a person who stands for the
        // firm named elsewhere, not the firm.
        let leader = prev == "by" && LEADER_VERBS.contains(&prev_word(text, prev_start(text, self.start)).as_str())
            || self.possessive && firm_noun_within(&text[self.end..], |w| w == "s");
        let modifier = modifier || leader;
        // An entity after a preposition ("with OpenAI", "excluding OpenAI") is not the actor
        // (`prev` is lower case, like every preposition).
        let after_preposition = PREPOSITIONS.contains(prev);
        self.roles = Roles {
            excluded,
            modifier,
            after_preposition,
        };
    }
}

/// Verbs of leading or owning a firm: "the company led by ...".
const LEADER_VERBS: &[&str] = &["led", "run", "headed", "founded", "owned", "chaired", "controlled"];

/// The byte where the word before byte `at` starts.
pub(super) fn prev_start(text: &str, at: usize) -> usize {
    let head = text[..at].trim_end();
    head.char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Whether `rest` goes on to a firm noun within a few words, each in lower case or an
/// acronym: "US firm", "US electric vehicle (EV) maker".
fn firm_noun_follows(rest: &str) -> bool {
    rest.starts_with(' ')
        && firm_noun_within(rest, |w| {
            w.starts_with(char::is_lowercase) || w.bytes().all(|b| b.is_ascii_uppercase())
        })
}

/// Whether a firm noun comes within the first five words of `rest`, before its first
/// punctuation, after words that all pass `modifier`.
pub(super) fn firm_noun_within(rest: &str, modifier: impl Fn(&str) -> bool) -> bool {
    let end = rest.find([',', '.', ';', ':']).unwrap_or(rest.len());
    let words = rest[..end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut before_noun = words.take(5).skip_while(|w| !FIRM_NOUNS.contains(*w) && modifier(w));
    before_noun.next().is_some_and(|w| FIRM_NOUNS.contains(w))
}

/// The word before byte `at` (past any whitespace), lower-cased.
pub(super) fn prev_word(text: &str, at: usize) -> tokens::Lower<'_> {
    let head = text[..at].trim_end();
    tokens::Lower::new(&head[prev_start(text, at)..])
}

/// A figure of an economy is about a place: the one its sentence names (keys look for the
/// article's or its story's when it names none). A name of the sentence that is no place
/// and predicts the figure ("Citigroup warned it could hit 18.6%") made the forecast; a
/// name that states it ("the central bank's rate of 4.75%") stays its subject.
pub(super) fn economy_subject(subject: Found, m: &mut crate::model::Measure, entities: &[String]) -> Found {
    if let Some(place) = entities.iter().find_map(|e| places::place_of(e)) {
        return Some((place.to_string(), "place_of_economy"));
    }
    let predicted = matches!(
        m.status,
        crate::model::Status::Forecast | crate::model::Status::Estimate
    );
    match subject {
        Some((named, _)) if predicted && m.by.is_none() && entities.contains(&named) => {
            m.by = Some(named);
            None
        }
        Some((named, _)) if predicted && m.by.as_ref() == Some(&named) => None,
        other => other,
    }
}

/// The words an article writes in lower case somewhere: a capitalised run made only of
/// them is a common phrase opening a sentence or set in title case ("Energy bills",
/// "Data Center"), not a name. Acronyms the article spells out in lower-case words
/// ("battery electric vehicles (BEVs)") are common nouns too.
pub(super) type Common<'t> = tokens::FastSet<&'t str>;

pub(super) fn common_words(text: &str) -> Common<'_> {
    let mut common: Common = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
        .collect();
    for (open, _) in text.match_indices('(') {
        if let Some(acronym) = spelled_out_acronym(text, open) {
            common.insert(acronym);
        }
    }
    common
}

/// The acronym in brackets at byte `open` when the words before it, all in lower case,
/// spell it out: "electric vehicle (EV)", "plug-in hybrids (PHEVs)" by their initials.
/// A name spelled out in capitals ("Office for National Statistics (ONS)") stays a name.
fn spelled_out_acronym(text: &str, open: usize) -> Option<&str> {
    let rest = &text[open + 1..];
    let inner = &rest[..rest.find(')').filter(|&n| n <= 8)?];
    let letters = inner.strip_suffix('s').unwrap_or(inner);
    if letters.len() < 2 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let before = text[..open].trim_end();
    let mut from = before.len().saturating_sub(80);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let tail = &before[from..];
    let tail = tail.trim_start_matches(|c: char| !c.is_whitespace());
    let spelled = |words: Vec<&str>| {
        let k = letters.len();
        words.len() >= k
            && words[words.len() - k..]
                .iter()
                .zip(letters.bytes())
                .all(|(w, b)| w.starts_with(|c: char| c.is_lowercase()) && w.as_bytes()[0].eq_ignore_ascii_case(&b))
    };
    let by_space = tail.split_whitespace().collect();
    let by_hyphen = tail.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    (spelled(by_space) || spelled(by_hyphen)).then_some(letters)
}

/// Whether `word` is written in lower case elsewhere in the article, or is an acronym it
/// spells out (in the singular or plural).
pub(super) fn is_common(common: &Common, word: &str) -> bool {
    let singular = word
        .strip_suffix('s')
        .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_uppercase()));
    if common.contains(word) || singular.is_some_and(|w| common.contains(w)) {
        return true;
    }
    let lower = word.to_lowercase();
    common.contains(lower.as_str())
}

/// Entities of one sentence: the alias table's, then capitalised names it does not know.
pub(super) fn mentions(
    toks: &[Tok],
    text: &str,
    u: &Unit,
    lex: &Lexicon,
    (known, common): (&mut Vec<String>, &Common),
) -> Vec<Mention> {
    let mut out = known_mentions(text, u, lex);
    // Unknown names: runs of capitalised words, not in a heading set in title case.
    if !title_case(toks, text, u) {
        let names = Names { toks, text, u, common };
        let mut i = 0;
        while i < toks.len() {
            i = names.guess_at(i, &mut out, known);
        }
    }
    out.sort_by_key(|m| m.start);
    for m in &mut out {
        m.roles(text);
    }
    out
}

/// The mentions of a sentence the alias table knows (a product with its owner).
fn known_mentions(text: &str, u: &Unit, lex: &Lexicon) -> Vec<Mention> {
    let mut found = Vec::new();
    lex.find_entities(text, u.start, u.end, &mut found);
    found
        .iter()
        .map(|&(s, e, idx)| {
            let ent = &lex.entities[idx];
            Mention {
                start: s,
                end: e,
                name: ent.name.clone(),
                owner: ent.owner.clone(),
                possessive: possessive_at(text, u, e),
                known: true,
                roles: Roles::default(),
            }
        })
        .collect()
}

/// "Microsoft's", "Visa’ ": whether a name ending at byte `end` of unit `u` is possessive.
fn possessive_at(text: &str, u: &Unit, end: usize) -> bool {
    let rest = &text[end..u.end];
    rest.starts_with("'s") || rest.starts_with("’s") || rest.starts_with("' ") || rest.starts_with("’ ")
}

/// Whether a unit is set in title case (a heading, or three words or more with six in
/// ten capitalised): its capitals then make no names.
fn title_case(toks: &[Tok], text: &str, u: &Unit) -> bool {
    let words = toks.iter().filter(|t| t.kind == TokKind::Word).count();
    let caps = toks
        .iter()
        .filter(|t| t.kind == TokKind::Word && t.text(text).chars().next().is_some_and(char::is_uppercase))
        .count();
    u.kind == UnitKind::Heading || (words >= 3 && caps * 10 >= words * 6)
}

/// Words after a lone capitalised word opening a sentence that make it a name
/// ("Colombia has ...").
static OPENING_VERBS: LazyLock<tokens::WordSet> = LazyLock::new(|| words::set(words::OPENING_VERBS));

/// The tokens of one sentence, read for names the alias table does not know: runs of
/// capitalised words (tokens `i..=j` of a run, `last` its last token with a number).
struct Names<'s, 'c> {
    toks: &'s [Tok],
    text: &'s str,
    u: &'s Unit,
    common: &'s Common<'c>,
}

/// Whether no mention of `out` covers the token `n`.
fn free(out: &[Mention], n: &Tok) -> bool {
    !out.iter().any(|m| m.start <= n.start && n.start < m.end)
}

impl Names<'_, '_> {
    /// "Acme", "BYD": a capitalised word that may be part of a name (not a stop word or a
    /// plural acronym).
    fn is_cap(&self, t: &Tok) -> bool {
        let s = t.text(self.text);
        if t.kind != TokKind::Word
            || !s.starts_with(|c: char| c.is_uppercase())
            || STOP_NAMES.contains(s)
            || plural_acronym(s)
        {
            return false;
        }
        s.chars().next().is_some_and(char::is_uppercase) && s.chars().any(char::is_lowercase)
            || s.len() >= 2 && s.len() <= 5 && s.chars().all(|c| c.is_ascii_uppercase())
    }

    /// Whether token `k` is a capitalised word no mention of `out` covers.
    fn free_cap(&self, k: usize, out: &[Mention]) -> bool {
        self.toks.get(k).is_some_and(|n| self.is_cap(n) && free(out, n))
    }

    /// Reads a guessed name at token `i` into `out`, and returns the token to go on from.
    fn guess_at(&self, i: usize, out: &mut Vec<Mention>, known: &mut Vec<String>) -> usize {
        let t = &self.toks[i];
        let negated = entities::negated(&self.text[self.u.start..t.start]);
        if !self.is_cap(t) || negated || out.iter().any(|m| m.start <= t.start && t.start < m.end) {
            return i + 1;
        }
        let j = self.run_end(i, out);
        let last = self.name_end(j, out);
        let sentence_start = i == 0 || self.toks[..i].iter().all(|t| t.kind != TokKind::Word);
        let (s, e) = (t.start, self.toks[last].end);
        let poss = possessive_at(self.text, self.u, e);
        // "Energy bills rose", "Data Center revenue": words the article also writes in
        // lower case make no name; "Regulator Ofgem said": nor do they open one.
        let caps = || (self.toks[i..=j].iter().filter(|t| self.is_cap(t))).map(|t| t.text(self.text));
        let common_run = caps().all(|w| is_common(self.common, w));
        let s = match caps().next() {
            Some(w) if j > i && sentence_start && is_common(self.common, w) => self.toks[i + 1].start,
            _ => s,
        };
        if (!sentence_start || last > i || poss || self.lone_name(i, j)) && !self.not_a_name(i, j, last) && !common_run
        {
            push_guess(out, known, (&self.text[s..e], j > i), (s, e), poss);
        }
        last + 1
    }

    /// The last token of the run of capitalised words from token `i`: "Bank of England",
    /// "Office for National Statistics" are one name.
    fn run_end(&self, i: usize, out: &[Mention]) -> usize {
        let (toks, text) = (self.toks, self.text);
        let mut j = i;
        loop {
            if self.free_cap(j + 1, out) {
                j += 1;
            } else if INSTITUTIONS.contains(toks[j].text(text))
                && toks
                    .get(j + 1)
                    .is_some_and(|n| matches!(n.text(text), "of" | "for") && n.kind == TokKind::Word)
                && self.free_cap(j + 2, out)
            {
                // "Bank of England", "Office for National Statistics": one name.
                j += 2;
            } else {
                break;
            }
        }
        j
    }

    /// The last token of the name of a run ending at token `j`, with a number that is part
    /// of it.
    fn name_end(&self, j: usize, out: &[Mention]) -> usize {
        let (toks, text) = (self.toks, self.text);
        // "Doom 3", "Nikkei 225": a short number right after a guessed name is part of it,
        // when a verb or nothing follows the number ("Between 10 and 12" is no name).
        let mut last = j;
        let short_number = |n: &Tok| {
            n.kind == TokKind::Num
                && n.space_before
                && n.text(text).len() <= 3
                && n.text(text).bytes().all(|b| b.is_ascii_digit())
        };
        if toks.get(j + 1).is_some_and(short_number)
            && toks
                .get(j + 2)
                .is_none_or(|n| n.kind == TokKind::Word && is_verbish(n.text(text)))
        {
            last = j + 1;
        } else if toks.get(j + 1).is_some_and(short_number) && self.free_cap(j + 2, out) {
            // "Pier 1 Imports": a name that goes on after its number.
            last = j + 2;
            while self.free_cap(last + 1, out) {
                last += 1;
            }
        }
        last
    }

    /// Whether the run `i..=j` (name up to `last`) is no name: a product generation, a
    /// hyphenated word or an adjective of nationality.
    fn not_a_name(&self, i: usize, j: usize, last: usize) -> bool {
        let (toks, text) = (self.toks, self.text);
        // "Paris-based", "French start-up": an adjective, not a name.
        let hyphenated = toks.get(j + 1).is_some_and(|n| !n.space_before && n.text(text) == "-");
        let adjective = j == i
            && is_demonym(toks[i].text(text))
            && toks
                .get(j + 1)
                .is_some_and(|n| n.kind == TokKind::Word && n.text(text).starts_with(char::is_lowercase));
        let multi_adjective = j > i
            && ["ese", "ish", "ian", "ean"]
                .iter()
                .any(|x| toks[j].text(text).ends_with(x));
        self.is_product(i, j, last) || hyphenated || adjective || multi_adjective
    }

    /// "Model 3 sedans", "Model Y crossover": one word and a one-character designation
    /// that no verb follows names a product generation, not the organisation a figure is
    /// about (an index's "FTSE 100" or "Nikkei 225" stays a name).
    fn is_product(&self, i: usize, j: usize, last: usize) -> bool {
        let (toks, text) = (self.toks, self.text);
        let designation = |n: &Tok| {
            n.space_before
                && n.text(text).len() == 1
                && n.text(text)
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() && !b.is_ascii_lowercase())
        };
        j == i
            && last == j
            && toks.get(j + 1).is_some_and(designation)
            && !toks.get(j + 2).is_some_and(|n| n.space_before && self.is_cap(n))
    }

    /// Whether a lone capitalised word `i` (run `i..=j`) opening a sentence is a name: one
    /// before its verb, with an appositive, or an acronym.
    fn lone_name(&self, i: usize, j: usize) -> bool {
        let (toks, text) = (self.toks, self.text);
        let t = &toks[i];
        // "Colombia has ...": a lone name opening a sentence, before its verb.
        let before_verb = j == i
            && toks
                .get(j + 1)
                .is_some_and(|n| n.kind == TokKind::Word && OPENING_VERBS.contains(n.text(text)))
            && (mid_sentence(text, t.text(text)) || looks_like_a_name(self.common, t.text(text)));
        // "Nscale, the London-based developer, ...": a lone word with an appositive.
        // "BYD also fell": a lone acronym opening a sentence is a name.
        let acronym =
            j == i && (2..=5).contains(&t.text(text).len()) && t.text(text).bytes().all(|b| b.is_ascii_uppercase());
        let appositive = j == i
            && toks.get(j + 1).is_some_and(|n| n.text(text) == ",")
            && toks
                .get(j + 2)
                .is_some_and(|n| matches!(n.text(text), "the" | "a" | "an"));
        before_verb || appositive || acronym
    }
}

/// Adds a guessed name (`several`: of more than one word) at `s..e` to `out`; a name of
/// several words is kept in `known`.
fn push_guess(
    out: &mut Vec<Mention>,
    known: &mut Vec<String>,
    (name, several): (&str, bool),
    (s, e): (usize, usize),
    possessive: bool,
) {
    let mut name = name.to_string();
    // "Mitsubishi" after "Mitsubishi Motors" folds into it.
    if let Some(full) = known
        .iter()
        .find(|k| k.len() > name.len() && k.starts_with(&name) && k.as_bytes()[name.len()] == b' ')
    {
        name = full.clone();
    } else if several && !known.contains(&name) {
        known.push(name.clone());
    }
    out.push(Mention {
        start: s,
        end: e,
        name,
        owner: None,
        possessive,
        known: false,
        roles: Roles::default(),
    });
}

/// Head words of institutions whose names go on with "of" or "for" ("Bank of England").
static INSTITUTIONS: LazyLock<tokens::WordSet> = LazyLock::new(|| words::set(words::INSTITUTIONS));

/// Words that may follow a name as its verb ("Doom 3 was developed").
fn is_verbish(w: &str) -> bool {
    VERBISH.contains(w) || w.ends_with("ed")
}

/// The verbs of [`is_verbish`] that do not end in "ed" (auxiliaries and verbs of saying
/// and trading: "is", "has", "said", "sold").
pub(super) static VERBISH: LazyLock<tokens::WordSet> = LazyLock::new(|| words::set(words::VERBISH));

/// Capitalised words that never make a name, as one set: common capitalised words, the
/// months and their abbreviations, and acronyms that name no organisation.
pub(super) static STOP_NAMES: LazyLock<tokens::WordSet> = LazyLock::new(|| {
    let mut stop = words::set(words::COMMON_CAPS);
    stop.extend(MONTH_WORDS.iter().copied());
    stop.extend(words::entries(words::NOT_ENTITIES));
    stop
});

/// An acronym in the plural ("EVs", "SUVs", "CEOs"): a common noun, not a name.
pub fn plural_acronym(w: &str) -> bool {
    w.strip_suffix('s')
        .is_some_and(|a| a.len() >= 2 && a.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Endings of English common nouns that open sentences ("Inflation has", "Spending was",
/// "Unemployment is", "Prices have"): such a word is no name, even when the article never
/// writes it in lower case.
static NOUN_ENDINGS: LazyLock<Vec<&str>> = LazyLock::new(|| words::list(words::NOUN_ENDINGS));

/// Common nouns that open news sentences before a verb without a telling ending.
static SENTENCE_NOUNS: LazyLock<tokens::WordSet> = LazyLock::new(|| words::set(words::SENTENCE_NOUNS));

/// Whether a capitalised word opening a sentence before a verb ("Ofgem has confirmed")
/// is a name, though the article never writes it mid-sentence: it is not a word the
/// article writes in lower case, nor one with a common noun's ending or use.
fn looks_like_a_name(common: &Common, word: &str) -> bool {
    word.len() >= 3
        && !is_common(common, word)
        && !NOUN_ENDINGS.iter().any(|e| word.ends_with(e))
        && !SENTENCE_NOUNS.contains(word)
        && !STOP_NAMES.contains(word)
}

pub(super) fn mid_sentence(doc: &str, word: &str) -> bool {
    doc.match_indices(word).any(|(at, _)| {
        let head = doc[..at].trim_end_matches(' ');
        head.len() < at && head.ends_with(|c: char| c.is_lowercase() || c == ',')
    })
}

/// Words after which a name is an object, not the actor of the sentence.
pub(super) static PREPOSITIONS: LazyLock<tokens::WordSet> = LazyLock::new(|| words::set(words::PREPOSITIONS));

/// Nationality and regional adjectives ("French", "European", "Nordic").
pub(super) fn is_demonym(w: &str) -> bool {
    ["ish", "ese", "ian", "ean", "ic", "an", "ch"]
        .iter()
        .any(|s| w.ends_with(s))
        && w.len() > 4
}

/// A topic a figure may be about, and the name of what made it the topic
/// (`"title_topic"`, `"running_topic"`, `"pronoun_antecedent"`).
pub(super) type Topic<'t> = (&'t str, &'static str);

/// A subject and the name of the rule that found it (`extract --explain`).
pub(super) type Found = Option<(String, &'static str)>;

/// Nouns that stand for an organisation named earlier ("the US firm").
static FIRM_NOUNS: LazyLock<tokens::WordSet> = LazyLock::new(|| words::set(words::FIRM_NOUNS));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_are_the_lower_case_ones_and_spelled_out_acronyms() {
        let text = "Energy bills rose, the Office for National Statistics (ONS) said; electric vehicles (EVs) too.";
        let common = common_words(text);
        assert!(common.contains("bills") && common.contains("vehicles") && !common.contains("Energy"));
        assert!(common.contains("EV") && !common.contains("ONS"));
    }
}
