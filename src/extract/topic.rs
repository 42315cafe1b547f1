//! What an article is about: the topic its title names, the running topic of recent
//! sentences, and the name a sentence opening with a pronoun or description stands for.

use unicode_segmentation::UnicodeSegmentation;

use super::entities::Lexicon;
use super::subject::{
    Common, Mention, PREPOSITIONS, STOP_NAMES, firm_noun_within, is_common, is_demonym, mentions, mid_sentence,
    prev_word,
};
use super::tokens::{self, TokKind};
use crate::clean::Cleaned;
use crate::segment::Unit;

/// The topic an article's title names: its first alias-table entity (owner for a
/// product), else the capitalised name of the title the article repeats most.
pub(super) fn title_topic(cleaned: &Cleaned, lex: &Lexicon, text: &str, common: &Common) -> Option<String> {
    let title = cleaned.meta.title.as_deref()?;
    let mut m = Vec::new();
    lex.find_entities(title, 0, title.len(), &mut m);
    m.first()
        .map(|&(_, _, e)| {
            let ent = &lex.entities[e];
            ent.owner.clone().unwrap_or_else(|| ent.name.clone())
        })
        .or_else(|| title_name(title, text, common))
}

/// What the next sentences are about: the sentence's first known actor, else its first
/// actor. An object ("export controls on China") is not what the next sentences are about.
pub(super) fn sentence_topic(mentions: &[Mention]) -> Option<String> {
    let actors = || mentions.iter().filter(|m| !m.roles.after_preposition);
    actors()
        .find(|m| m.known)
        .or_else(|| actors().next())
        .map(|m| m.subject_name().to_string())
}

/// The name a title is about when the alias table knows none of its words: the run
/// of capitalised words (not the common ones) that the article repeats most, if it
/// repeats one at all.
fn title_name(title: &str, doc: &str, common: &Common) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    let mut runs: Vec<&str> = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    for (i, w) in title.split_word_bound_indices() {
        let name_word = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() > 1
            && !STOP_NAMES.contains(w)
            && !is_demonym(w);
        if name_word {
            start.get_or_insert(i);
            end = i + w.len();
        } else if w.trim().is_empty() && start.is_some() {
            continue;
        } else if let Some(st) = start.take() {
            runs.push(title[st..end].trim());
        }
    }
    if let Some(st) = start {
        runs.push(title[st..end].trim());
    }
    for r in runs {
        let r = r.trim_end_matches("'s").trim_end_matches("’s");
        // A run opening the title may be an ordinary word in title position.
        if title.trim_start().starts_with(r) && !mid_sentence(doc, r) || r.split(' ').all(|w| is_common(common, w)) {
            continue;
        }
        let n = doc.matches(r).count();
        if n >= 2 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, r));
        }
    }
    best.map(|(_, r)| r.to_string())
}

/// The first alias-table entity of a unit (owner for a product).
pub(super) fn first_known(lex: &Lexicon, text: &str, u: &Unit) -> Option<String> {
    let mut m = Vec::new();
    lex.find_entities(text, u.start, u.end, &mut m);
    // "export controls on China": a name after a preposition is an object, not what the
    // sentence is about.
    let actor = m
        .iter()
        .find(|&&(start, _, _)| !PREPOSITIONS.contains(prev_word(text, start).as_str()));
    actor.map(|&(_, _, e)| {
        let ent = &lex.entities[e];
        ent.owner.clone().unwrap_or_else(|| ent.name.clone())
    })
}

/// The last name the unit `prev` gives that `named` (a sentence's mentions) does not.
pub(super) fn other_name(
    lex: &Lexicon,
    text: &str,
    prev: &Unit,
    named: &[Mention],
    known: (&mut Vec<String>, &Common),
) -> Option<String> {
    let mut toks = Vec::new();
    tokens::tokenize(text, prev.start, prev.end, &mut toks);
    let found = mentions(&toks, text, prev, lex, known);
    let other = |m: &&Mention| !named.iter().any(|n| n.subject_name() == m.subject_name());
    found.iter().rev().find(other).map(|m| m.subject_name().to_string())
}

/// Whether a sentence opens with a pronoun or "the company" standing for a name.
pub(super) fn opens_with_pronoun(s: &str) -> bool {
    // "Last week, it struck a deal": a pronoun after a short opening phrase.
    if let Some((head, tail)) = s.split_once(',')
        && head.split_whitespace().count() <= 4
        && tail
            .split_whitespace()
            .next()
            .is_some_and(|w| matches!(w, "it" | "its" | "they" | "their"))
    {
        return true;
    }
    let mut words = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    match words.next() {
        Some("It" | "Its" | "They" | "Their") => true,
        // "The company", "The Swiss drugmaker", "The US electric vehicle (EV) maker".
        Some("The") => {
            let rest = s.trim_start().trim_start_matches("The");
            let next = words.next();
            next.is_some_and(|w| matches!(w, "segment" | "division" | "business" | "unit" | "lab"))
                || firm_noun_within(rest, |_| true)
        }
        _ => false,
    }
}

/// How many sentences back a pronoun looks for the name it stands for.
const ANTECEDENT_WINDOW: usize = 6;

/// "Delta has been hit by rising costs. It has said it needs to cut 6,000 jobs": the name
/// that the latest of the last few sentences opened with (a guessed name too), which a
/// sentence opening with a pronoun stands for. Each sentence is looked at once: the
/// names recent sentences opened with are kept.
#[derive(Default)]
pub(super) struct Openings {
    /// (unit index, the name it opened with) for the units looked at lately.
    seen: Vec<(usize, Option<String>)>,
}

impl Openings {
    pub(super) fn antecedent(
        &mut self,
        lex: &Lexicon,
        text: &str,
        units: &[Unit],
        ui: usize,
        (known, common): (&[String], &Common),
    ) -> Option<String> {
        let lo = ui.saturating_sub(ANTECEDENT_WINDOW);
        self.seen.retain(|&(i, _)| i >= lo && i < ui);
        let mut scratch: Option<Vec<String>> = None;
        for i in (lo..ui).rev() {
            let name = match self.seen.iter().find(|&&(j, _)| j == i) {
                Some((_, name)) => name.clone(),
                None => {
                    let known = scratch.get_or_insert_with(|| known.to_vec());
                    let name = opening_name(lex, text, &units[i], (known, common));
                    self.seen.push((i, name.clone()));
                    name
                }
            };
            if name.is_some() {
                return name;
            }
        }
        None
    }
}

/// The name a unit opens with, if it opens with one: only its first words (up to the
/// first lower-case word and a few more, enough to tell a name from a capitalised common
/// word or a title-case heading) are looked at.
fn opening_name(lex: &Lexicon, text: &str, u: &Unit, known: (&mut Vec<String>, &Common)) -> Option<String> {
    // Only the opening is read: at most this many bytes of the unit.
    const OPENING_BYTES: usize = 160;
    let mut end = u.end.min(u.start + OPENING_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut toks = Vec::new();
    tokens::tokenize(text, u.start, end, &mut toks);
    let first = toks.iter().position(|t| t.kind == TokKind::Word)?;
    if !toks[first]
        .text(text)
        .starts_with(|c: char| c.is_uppercase() || c == '$')
    {
        return None;
    }
    let lower = toks[first..]
        .iter()
        .take(12)
        .position(|t| {
            let w = t.text(text);
            t.kind == TokKind::Word && w.starts_with(|c: char| c.is_lowercase()) && !matches!(w, "of" | "for")
        })
        .map_or((first + 12).min(toks.len()), |k| (first + k + 6).min(toks.len()));
    toks.truncate(lower);
    let short = Unit {
        end: toks.last().map_or(u.start, |t| t.end),
        ..u.clone()
    };
    let found = mentions(&toks, text, &short, lex, known);
    found
        .first()
        .filter(|m| m.start == toks[first].start)
        .map(|m| m.subject_name().to_string())
}
