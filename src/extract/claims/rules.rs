//! The rule tables of claim reading, in the shape of every table of extraction
//! ([`crate::extract::rules`]), and what their tests share.
//!
//! The word lists the rules read are data files (`data/*.txt`), parsed once by [`tagged`].

pub(super) use crate::extract::rules::decide;

/// A rule of claim reading: its examples give a `V`.
pub(super) type Rule<F, V> = crate::extract::rules::Rule<F, crate::extract::rules::Example<V>>;

pub(super) use crate::words::tagged;

/// The words of `src` tagged `tag`, as one set.
pub(super) fn word_set(src: &'static str, tag: &str) -> super::super::tokens::WordSet {
    tagged(src).filter(|(t, _)| *t == tag).map(|(_, w)| w).collect()
}

#[cfg(test)]
pub(super) mod corpus {
    //! Running a table's examples: the claim a sentence reads at a figure.
    use super::super::super::numbers::{Number, parse_number};
    use super::super::super::tokens::{Tok, tokenize};
    use super::super::{RawClaim, Reading, find_claims, read_unit};

    /// The tokens of `s` and its claim whose text is `figure`.
    pub fn claim_at(s: &str, figure: &str) -> (Vec<Tok>, RawClaim) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let skip = vec![false; toks.len()];
        let found = find_claims(&toks, s, &skip, false)
            .into_iter()
            .find(|c| &s[toks[c.first].start..toks[c.last].end] == figure);
        let c = found.unwrap_or_else(|| panic!("no claim {figure:?} in {s:?}"));
        (toks, c)
    }

    /// Whether a claim of the sentence `s` (its tokens `toks`) starts at token `first`.
    pub fn claim_starts(toks: &[Tok], s: &str, first: usize) -> bool {
        let skip = vec![false; toks.len()];
        find_claims(toks, s, &skip, false).iter().any(|c| c.first == first)
    }

    /// The tokens of `s` and its number whose text is `figure` (with no currency before it).
    pub fn number_at(s: &str, figure: &str) -> (Vec<Tok>, Number) {
        let mut toks = Vec::new();
        tokenize(s, 0, s.len(), &mut toks);
        let found = (0..toks.len())
            .filter_map(|k| parse_number(&toks, s, k, false))
            .find(|n| &s[toks[n.first].start..toks[n.last].end] == figure);
        let n = found.unwrap_or_else(|| panic!("no number {figure:?} in {s:?}"));
        (toks, n)
    }

    /// The number at token `first` of `s` (with no currency before it) and its unit, as
    /// read before the cents after it and the span it may name are judged.
    pub fn reading_at(toks: &[Tok], s: &str, first: usize) -> (Number, Reading) {
        let n = parse_number(toks, s, first, false).unwrap_or_else(|| panic!("no number at {first} in {s:?}"));
        let skip = vec![false; toks.len()];
        let r = read_unit(toks, s, &n, None, &skip, false).unwrap_or_else(|| panic!("no unit at {first} in {s:?}"));
        (n, r)
    }

    /// A rule cannot stand without an example that fires it and a negative it must not
    /// decide.
    pub fn covered<F, V>(r: &super::Rule<F, V>) {
        assert!(
            !r.examples.is_empty() && !r.negatives.is_empty(),
            "{}: no example",
            r.name
        );
    }

    /// Every line of a data file has a known tag and a word.
    pub fn tags_known(src: &'static str, known: &[&str]) {
        for line in src
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (tag, words) = line.split_once(':').unwrap_or_else(|| panic!("no tag: {line:?}"));
            assert!(known.contains(&tag.trim()), "unknown tag: {line:?}");
            assert!(!words.trim().is_empty(), "no word: {line:?}");
        }
    }
}
