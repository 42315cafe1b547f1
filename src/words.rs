//! words: the word lists the stages read (cleaning's month names, the extractor's and the
//! normaliser's lists), compiled in from `data/words/`: one entry a line, `#` starting a
//! comment line, blank lines ignored. Each list is parsed once, where it is used, into the
//! structure its lookups want ([`set`] for membership, [`list`] where order or a scan
//! matters, [`tagged`] and [`headed`] for lists of lists). A leaf of the module tree: the
//! stages depend on it, it depends on none of them.

/// A set of short words, hashed with FNV-1a instead of the standard library's SipHash:
/// membership tests run once per word of every sentence with a figure, on keys that are
/// a few bytes long and come from the program's own tables, where SipHash's resistance to
/// chosen keys buys nothing and costs most of the lookup.
pub type WordSet = FastSet<&'static str>;

/// A set of short keys hashed with [`Fnv`] (see [`WordSet`]).
pub type FastSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<Fnv>>;

/// A map from short keys hashed with [`Fnv`] (see [`WordSet`]).
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// FNV-1a, 64 bits.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Declares the compiled-in word lists, and a test per list that it parses, is not empty
/// and holds no entry twice.
macro_rules! word_lists {
    ($($(#[$doc:meta])* $name:ident = $file:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: &str = include_str!(concat!("../data/words/", $file));
        )*

        #[cfg(test)]
        #[allow(non_snake_case)]
        mod well_formed {
            $(
                #[test]
                fn $name() {
                    super::tests::well_formed(super::$name, $file);
                }
            )*
        }
    };
}

word_lists! {
    /// Month names with their abbreviations (`Month: abbreviation, ...`), read by
    /// `clean::meta`.
    MONTHS = "months.txt";
    /// Number words below a hundred with their values (`word: value`).
    NUMBER_WORDS = "number-words.txt";
    /// Capitalised words that are not names on their own.
    COMMON_CAPS = "common-caps.txt";
    /// Acronyms and units that look like names but are not organisations.
    NOT_ENTITIES = "not-entities.txt";
    /// Words after a lone capitalised word opening a sentence that make it a name.
    OPENING_VERBS = "opening-verbs.txt";
    /// Head words of institutions whose names go on with "of" or "for".
    INSTITUTIONS = "institutions.txt";
    /// Common nouns that open news sentences before a verb.
    SENTENCE_NOUNS = "sentence-nouns.txt";
    /// Endings of common nouns that open sentences.
    NOUN_ENDINGS = "noun-endings.txt";
    /// Words after which a name is an object, not the actor.
    PREPOSITIONS = "prepositions.txt";
    /// Words that may follow a name as its verb, beside those ending in "ed".
    VERBISH = "verbish.txt";
    /// Nouns that stand for an organisation named earlier.
    FIRM_NOUNS = "firm-nouns.txt";
    /// Words that may stand between a name and its figure.
    LINK_WORDS = "link-words.txt";
    /// Words of a qualifier between a verb and its figure.
    QUALIFIER_WORDS = "qualifier-words.txt";
    /// Verbs of growth.
    GROWTH_VERBS = "growth-verbs.txt";
    /// Flow metrics that take "growth" when the figure is a change.
    FLOWS = "flows.txt";
    /// Nouns of a deal between two parties.
    DEAL_NOUNS = "deal-nouns.txt";
    /// Words after which a bare number is a figure, not a footnote marker.
    NOT_BEFORE_MARKER = "not-before-marker.txt";
    /// Words after a mid-sentence footnote marker that a number never counts.
    AFTER_MID_MARKER = "after-mid-marker.txt";
    /// Words that put a sentence in the future.
    FUTURE_WORDS = "future-words.txt";
    /// Words that open an appositive or a continuation of the clause before it.
    APPOSITIVE_OPENERS = "appositive-openers.txt";
    /// Words that keep a metric as written.
    VERBATIM_WORDS = "verbatim-words.txt";
    /// The words of metric families and the fillers that do not narrow them.
    FAMILY_WORDS = "family-words.txt";
    /// Corporate suffixes dropped before an alias lookup, longest form first.
    CORPORATE_SUFFIXES = "corporate-suffixes.txt";
    /// Capitalised words that do not make the number after them part of a name.
    NOT_NAME = "not-name.txt";
    /// Words that never start the noun a count counts.
    NOUN_STOPS = "noun-stops.txt";
    /// Words after a number that make it a time of day.
    CLOCK_WORDS = "clock-words.txt";
    /// Words before "from X to Y" that make it a range of one figure.
    RANGE_WORDS = "range-words.txt";
    /// Words right after "double", "triple" that make it a verb of a multiple.
    MULTIPLE_OBJECTS = "multiple-objects.txt";
    /// Words right before "double", "triple" that make it a verb of a multiple.
    MULTIPLE_VERB_BEFORE = "multiple-verb-before.txt";
    /// Words before "a" that make "a year" a duration ("within a year").
    DURATION_BOUNDS = "duration-bounds.txt";
    /// Words of time, size and praise that come before a head without narrowing it.
    NOT_SCOPE = "not-scope.txt";
    /// Words that make a figure a change ("rose", "an increase of", "up").
    CHANGE_WORDS = "change-words.txt";
    /// Verbs of saying and thinking, which stand before a noun without narrowing it ("analysts said households would pay £40 more").
    SAYING = "saying.txt";
    /// Nouns for the people a figure applies to ("standard credit customers", "those on a prepayment meter").
    POPULATION = "population.txt";
    /// Denominators written after a figure with "a"/"an"/"each" rather than "per".
    PER_UNITS = "per-units.txt";
    /// Words before a head that say a figure is of the whole ("total revenue").
    WHOLE = "whole-words.txt";
    /// Words that join a count whose noun is left out to the count before it.
    ELIDING = "eliding.txt";
    /// Words that open a change's base after the figure ("down 20% from the fourth quarter").
    BASE_OPENERS = "base-openers.txt";
    /// Nouns a business names its parts by ("the Data Center segment", "its Gaming unit").
    PART_NOUNS = "part-nouns.txt";
    /// Words of rounding written before a figure ("nearly 40,000").
    ROUNDING = "rounding.txt";
    /// Heads whose percentages are levels (a margin, a share, a rate), not changes.
    RATIO_HEADS = "ratio-heads.txt";
    /// Words that name a part of a business: the words before them name the part.
    SEGMENT_WORDS = "segment-words.txt";
    /// Words that end a noun phrase: a name after them is not joined to the one before.
    PHRASE_ENDS = "phrase-ends.txt";
}

/// The phrases the measure rules look for, one `list: phrase` a line ([`tagged`]), read
/// by `measure::Phrases`.
pub const MEASURE_PHRASES: &str = include_str!("../data/words/measure-phrases.txt");

/// The entries of a word list, in file order: its lines trimmed, without blank lines and
/// `#` comments.
pub fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// A word list in file order, for lookups that scan it.
pub fn list(text: &'static str) -> Vec<&'static str> {
    entries(text).collect()
}

/// A word list as a set, for membership tests.
pub fn set(text: &'static str) -> WordSet {
    entries(text).collect()
}

/// The entries of a list of `tag: word or phrase` lines, in file order.
pub fn tagged(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    entries(text)
        .filter_map(|l| l.split_once(':'))
        .map(|(tag, words)| (tag.trim(), words.trim()))
}

/// The entries of a list of `head: item, item` lines (an entry with no colon has no
/// items), in file order.
pub fn headed(text: &'static str) -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    entries(text).map(|line| {
        let (head, items) = line.split_once(':').unwrap_or((line, ""));
        let items = items.split(',').map(str::trim).filter(|i| !i.is_empty()).collect();
        (head.trim(), items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list parses into entries, has at least one, and none twice (a `head: items` list
    /// counts its heads and items together).
    pub(super) fn well_formed(text: &'static str, file: &str) {
        let words: Vec<&str> = headed(text)
            .flat_map(|(head, items)| std::iter::once(head).chain(items))
            .collect();
        assert!(!words.is_empty(), "{file} is empty");
        let mut seen = std::collections::HashSet::new();
        for w in &words {
            assert!(!w.is_empty(), "{file}: an empty entry");
            assert!(seen.insert(*w), "{file}: {w:?} is listed twice");
        }
    }

    #[test]
    fn measure_phrases_are_tagged_lines_each_once() {
        let mut seen = std::collections::HashSet::new();
        for line in entries(MEASURE_PHRASES) {
            let (tag, phrase) = line.split_once(':').unwrap_or_else(|| panic!("{line:?} has no tag"));
            assert!(!tag.trim().is_empty() && !phrase.trim().is_empty(), "{line:?}");
            assert!(seen.insert(line), "{line:?} is listed twice");
        }
    }

    #[test]
    fn entries_skip_comments_and_blank_lines() {
        let text = "# a list\n\n one \ntwo\n# two more\nthree: 3, 4\n";
        assert_eq!(list(text), ["one", "two", "three: 3, 4"]);
        let heads: Vec<_> = headed(text).collect();
        assert_eq!(heads[2], ("three", vec!["3", "4"]));
        assert!(set(text).contains("two"));
    }
}
