//! Entities (organisations, people, products) with aliases folded, the metric lexicon,
//! and the subject of a claim.
//!
//! Both tables are data files compiled in (`data/aliases.txt`, `data/metrics.txt`) and
//! extendable by a user file in the same format:
//!
//! - `CLAIMDEX_ALIASES=/path/to/aliases.txt`: lines `Canonical: alias, alias` and
//!   `product Name (Owner): alias, alias` add entities or aliases.
//! - `CLAIMDEX_METRICS=/path/to/metrics.txt`: lines `label: keyword, keyword` or
//!   `label [kind, kind]: keyword, ...` add metric labels or keywords; `near` among the
//!   kinds (`label [money, near]: ...`) takes a keyword only as the figure's own noun,
//!   within a few words after it in its clause.
//!
//! A user file that cannot be read or has a malformed line is an error naming the file
//! and the line ([`Lexicon::from_env`]).

use std::path::Path;
use std::sync::{Arc, LazyLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use crate::error::{Error, Result};
use crate::model::Kind;

const BUILTIN_ALIASES: &str = include_str!("../../data/aliases.txt");
const BUILTIN_METRICS: &str = include_str!("../../data/metrics.txt");

/// The environment variable naming a user alias file.
pub const ALIASES_ENV: &str = "CLAIMDEX_ALIASES";
/// The environment variable naming a user metric file.
pub const METRICS_ENV: &str = "CLAIMDEX_METRICS";

/// One entity of the alias table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub name: String,
    /// For a product: the organisation that owns it.
    pub owner: Option<String>,
}

/// One metric label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    pub label: String,
    /// Empty: any kind.
    pub kinds: Vec<Kind>,
    /// `near`: the keyword must name the figure's own noun, right after it in its clause
    /// ("$350 million of CoreWeave shares"), not a word elsewhere in the sentence.
    pub near: bool,
}

impl Metric {
    /// Whether the label may name a claim of `kind`. A length of time is a metric of its
    /// own ("contract length"): a duration takes no label meant for amounts ("investment",
    /// "revenue"), while other kinds take the labels for any kind too.
    pub fn fits(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind) || kind != Kind::Duration && self.kinds.is_empty()
    }
}

/// The alias table and the metric lexicon, compiled into automata once.
#[derive(Debug)]
pub struct Lexicon {
    pub entities: Vec<Entity>,
    alias_pat: Vec<usize>,
    aliases: AhoCorasick,
    /// The bytes an alias starts with, when they are rare in prose ([`AliasStarts`]).
    alias_starts: Option<AliasStarts>,
    pub metrics: Vec<Metric>,
    /// For each keyword pattern, the metrics it signals (in lexicon order).
    metric_pat: Vec<Vec<usize>>,
    metric_ac: AhoCorasick,
}

static BUILTIN: LazyLock<Arc<Lexicon>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.aliases(BUILTIN_ALIASES, "data/aliases.txt")
        .expect("built-in alias table parses");
    b.metrics(BUILTIN_METRICS, "data/metrics.txt")
        .expect("built-in metric lexicon parses");
    Arc::new(b.build().expect("built-in lexicon compiles"))
});

#[derive(Default)]
struct Builder {
    entities: Vec<Entity>,
    aliases: Vec<(String, usize)>,
    metrics: Vec<Metric>,
    keywords: Vec<(String, usize)>,
}

fn bad(origin: &str, line: usize, why: &str) -> Error {
    Error::Usage(format!("{origin}: line {line}: {why}"))
}

impl Builder {
    fn aliases(&mut self, src: &str, origin: &str) -> Result<()> {
        for (n, raw) in src.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, tail)) = line.split_once(':') else {
                return Err(bad(
                    origin,
                    n + 1,
                    "expected `Name: alias, alias` or `product Name (Owner): alias`",
                ));
            };
            let head = head.trim();
            let (name, owner) = match head.strip_prefix("product ") {
                Some(p) => {
                    let (name, rest) = p
                        .split_once('(')
                        .ok_or_else(|| bad(origin, n + 1, "a product needs its owner: `product Name (Owner):`"))?;
                    let owner = rest
                        .strip_suffix(')')
                        .ok_or_else(|| bad(origin, n + 1, "missing `)` after the owner"))?;
                    (name.trim(), Some(owner.trim().to_string()))
                }
                None => (head, None),
            };
            if name.is_empty() || owner.as_deref() == Some("") {
                return Err(bad(origin, n + 1, "empty name"));
            }
            let idx = match self.entities.iter().position(|e| e.name == name) {
                Some(i) => {
                    if owner.is_some() {
                        self.entities[i].owner = owner;
                    }
                    i
                }
                None => {
                    self.entities.push(Entity {
                        name: name.to_string(),
                        owner,
                    });
                    self.aliases.push((name.to_string(), self.entities.len() - 1));
                    self.entities.len() - 1
                }
            };
            for a in tail.split(',').map(str::trim).filter(|a| !a.is_empty()) {
                self.aliases.push((a.to_string(), idx));
            }
        }
        Ok(())
    }

    fn metrics(&mut self, src: &str, origin: &str) -> Result<()> {
        for (n, raw) in src.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, tail)) = line.split_once(':') else {
                return Err(bad(origin, n + 1, "expected `label: keyword, keyword`"));
            };
            let (label, kinds, near) = match head.split_once('[') {
                Some((l, k)) => {
                    let k = k
                        .trim()
                        .strip_suffix(']')
                        .ok_or_else(|| bad(origin, n + 1, "missing `]` after the kinds"))?;
                    let mut kinds = Vec::new();
                    let mut near = false;
                    for name in k.split(',').map(str::trim) {
                        if name == "near" {
                            near = true;
                            continue;
                        }
                        kinds.push(
                            kind_from_str(name).ok_or_else(|| bad(origin, n + 1, &format!("unknown kind {name:?}")))?,
                        );
                    }
                    (l.trim(), kinds, near)
                }
                None => (head.trim(), Vec::new(), false),
            };
            if label.is_empty() {
                return Err(bad(origin, n + 1, "empty label"));
            }
            let idx = match self
                .metrics
                .iter()
                .position(|m| m.label == label && m.kinds == kinds && m.near == near)
            {
                Some(i) => i,
                None => {
                    self.metrics.push(Metric {
                        label: label.to_string(),
                        kinds,
                        near,
                    });
                    self.metrics.len() - 1
                }
            };
            for k in tail.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                self.keywords.push((k.to_ascii_lowercase(), idx));
            }
        }
        Ok(())
    }

    fn build(self) -> Result<Lexicon> {
        let aliases = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(self.aliases.iter().map(|(a, _)| a.as_str()))
            .map_err(|e| Error::Usage(format!("alias table: {e}")))?;
        let alias_starts = AliasStarts::new(self.aliases.iter().map(|(a, _)| a.as_str()));
        // One pattern per distinct keyword, carrying every metric it signals.
        let mut words: Vec<String> = Vec::new();
        let mut metric_pat: Vec<Vec<usize>> = Vec::new();
        for (k, m) in &self.keywords {
            match words.iter().position(|w| w == k) {
                Some(i) => {
                    if !metric_pat[i].contains(m) {
                        metric_pat[i].push(*m);
                    }
                }
                None => {
                    words.push(k.clone());
                    metric_pat.push(vec![*m]);
                }
            }
        }
        let metric_ac = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(words.iter().map(String::as_str))
            .map_err(|e| Error::Usage(format!("metric lexicon: {e}")))?;
        Ok(Lexicon {
            entities: self.entities,
            alias_pat: self.aliases.iter().map(|&(_, i)| i).collect(),
            aliases,
            alias_starts,
            metrics: self.metrics,
            metric_pat,
            metric_ac,
        })
    }
}

fn kind_from_str(s: &str) -> Option<Kind> {
    Some(match s {
        "money" => Kind::Money,
        "percent" => Kind::Percent,
        "power" => Kind::Power,
        "energy" => Kind::Energy,
        "count" => Kind::Count,
        "duration" => Kind::Duration,
        "multiple" => Kind::Multiple,
        _ => return None,
    })
}

fn read_user(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("{}: cannot read: {e}", path.display())))
}

impl Lexicon {
    /// The built-in tables (compiled once, shared).
    pub fn builtin() -> Arc<Lexicon> {
        Arc::clone(&BUILTIN)
    }

    /// The built-in tables extended by user files (`None`: not given).
    pub fn with_files(aliases: Option<&Path>, metrics: Option<&Path>) -> Result<Arc<Lexicon>> {
        if aliases.is_none() && metrics.is_none() {
            return Ok(Self::builtin());
        }
        let mut b = Builder::default();
        b.aliases(BUILTIN_ALIASES, "data/aliases.txt")?;
        b.metrics(BUILTIN_METRICS, "data/metrics.txt")?;
        if let Some(p) = aliases {
            b.aliases(&read_user(p)?, &p.display().to_string())?;
        }
        if let Some(p) = metrics {
            b.metrics(&read_user(p)?, &p.display().to_string())?;
        }
        Ok(Arc::new(b.build()?))
    }

    /// The built-in tables extended by the files named in `CLAIMDEX_ALIASES` and
    /// `CLAIMDEX_METRICS` (unset or empty: not extended).
    pub fn from_env() -> Result<Arc<Lexicon>> {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from)
        };
        let (a, m) = (var(ALIASES_ENV), var(METRICS_ENV));
        Self::with_files(a.as_deref(), m.as_deref())
    }

    /// Known entities in `text[start..end]`: (start, end, entity index), in order.
    pub fn find_entities(&self, text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize, usize)>) {
        let s = &text[start..end];
        for m in bounded_matches(&self.aliases, self.alias_starts.as_ref(), s) {
            // "non-Microsoft deal": a name negated by a prefix is not a mention.
            if !negated(&s[..m.start()]) {
                out.push((
                    start + m.start(),
                    start + m.end(),
                    self.alias_pat[m.pattern().as_usize()],
                ));
            }
        }
    }

    /// Metric keywords in `text[start..end]`: (start, end, keyword index), in order;
    /// [`Lexicon::keyword_metrics`] gives the metrics a keyword signals.
    pub fn find_metrics(&self, text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize, usize)>) {
        let s = &text[start..end];
        for m in bounded_matches(&self.metric_ac, None, s) {
            // "profit-sharing", "stock-based": the first word of a compound is no keyword.
            let compound =
                s[m.end()..].starts_with('-') && s[m.end() + 1..].chars().next().is_some_and(char::is_alphabetic);
            if !compound {
                out.push((start + m.start(), start + m.end(), m.pattern().as_usize()));
            }
        }
    }

    /// The metrics (indices into [`Lexicon::metrics`]) a keyword found by
    /// [`Lexicon::find_metrics`] signals, in lexicon order.
    pub fn keyword_metrics(&self, keyword: usize) -> &[usize] {
        self.metric_pat.get(keyword).map_or(&[], Vec::as_slice)
    }
}

/// The automaton's leftmost-longest matches that stand at word boundaries. A match glued to
/// a word ("on azure" inside "billion Azure commitment") does not hide the whole words that
/// overlap it: the search goes on from the next byte, not from the match's end.
/// With `starts`, the same matches are found by anchored searches at the bytes that can
/// start a pattern only.
fn bounded_matches<'a>(
    ac: &'a AhoCorasick,
    starts: Option<&'a AliasStarts>,
    s: &'a str,
) -> impl Iterator<Item = aho_corasick::Match> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < s.len() {
            let m = match starts {
                Some(starts) => starts.find(ac, s, at)?,
                None => ac.find(Input::new(s).span(at..s.len()))?,
            };
            if word_bounded(s, m.start(), m.end()) {
                at = m.end();
                return Some(m);
            }
            at = m.start() + 1;
        }
        None
    })
}

/// The first bytes of the alias patterns. Aliases are names ("Amazon", "AWS", "$MSFT"):
/// they start with a capital or a symbol, a few percent of the bytes of prose, and a
/// scan for those bytes followed by an anchored search there runs several times faster
/// than the automaton over every byte. Not used (`None`) when the patterns start with
/// common bytes (a user table of lower-case aliases).
#[derive(Debug)]
struct AliasStarts(Box<[bool; 256]>);

impl AliasStarts {
    fn new<'p>(patterns: impl Iterator<Item = &'p str>) -> Option<AliasStarts> {
        let mut table = Box::new([false; 256]);
        for p in patterns {
            let first = *p.as_bytes().first()?;
            table[usize::from(first)] = true;
        }
        let common =
            (0..=255u8).filter(|&b| table[usize::from(b)] && (b.is_ascii_lowercase() || b.is_ascii_whitespace()));
        (common.count() <= 4).then_some(AliasStarts(table))
    }

    /// The leftmost-longest match starting at or after `at`: the first byte that can start
    /// a pattern and has an anchored match there (the longest one).
    fn find(&self, ac: &AhoCorasick, s: &str, at: usize) -> Option<aho_corasick::Match> {
        let b = s.as_bytes();
        let mut p = at;
        while p < b.len() {
            p += b[p..].iter().position(|&c| self.0[usize::from(c)])?;
            if let Some(m) = ac.find(Input::new(s).span(p..s.len()).anchored(Anchored::Yes)) {
                return Some(m);
            }
            p += 1;
        }
        None
    }
}

/// Whether the text before a name ends with a negating prefix ("non-Microsoft",
/// "anti-Google"), so that the name is no mention.
pub fn negated(head: &str) -> bool {
    let b = head.as_bytes();
    let ends = |p: &[u8]| b.len() >= p.len() && b[b.len() - p.len()..].eq_ignore_ascii_case(p);
    ends(b"non-") || ends(b"anti-")
}

/// Whether `s[a..b]` is not glued to letters or digits on either side.
pub fn word_bounded(s: &str, a: usize, b: usize) -> bool {
    let before = s[..a].chars().next_back();
    let after = s[b..].chars().next();
    let inner_first = s[a..b].chars().next();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    // "$MSFT" may follow a letter-free position only; a leading symbol needs no boundary.
    (!glued(before) || !inner_first.is_some_and(char::is_alphanumeric)) && !glued(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_folds_aliases() {
        let lex = Lexicon::builtin();
        let text = "AWS and Amazon Web Services and $MSFT, but not AWSome; Azure grew.";
        let mut found = Vec::new();
        lex.find_entities(text, 0, text.len(), &mut found);
        let names: Vec<&str> = found.iter().map(|&(_, _, i)| lex.entities[i].name.as_str()).collect();
        assert_eq!(names, ["Amazon", "Amazon", "Microsoft", "Azure"]);
        let azure = found[3].2;
        assert_eq!(lex.entities[azure].owner.as_deref(), Some("Microsoft"));
    }

    #[test]
    fn user_files_extend_and_bad_files_fail() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good = dir.path().join("a.txt");
        std::fs::write(&good, "Acme Group: Acme, ACME\nproduct Widget (Acme Group):\n").expect("write");
        let lex = Lexicon::with_files(Some(&good), None).expect("loads");
        let text = "ACME sold Widget units.";
        let mut found = Vec::new();
        lex.find_entities(text, 0, text.len(), &mut found);
        assert_eq!(found.len(), 2);
        assert_eq!(lex.entities[found[0].2].name, "Acme Group");

        let badf = dir.path().join("b.txt");
        std::fs::write(&badf, "just a line without colon\n").expect("write");
        let err = Lexicon::with_files(Some(&badf), None).expect_err("bad file fails");
        assert!(err.to_string().contains("line 1"), "{err}");
        let badm = dir.path().join("m.txt");
        std::fs::write(&badm, "widgets [gizmo]: widget\n").expect("write");
        let err = Lexicon::with_files(None, Some(&badm)).expect_err("bad kind fails");
        assert!(err.to_string().contains("gizmo"), "{err}");
        let missing = dir.path().join("none.txt");
        assert!(Lexicon::with_files(None, Some(&missing)).is_err());
    }
}

#[cfg(test)]
mod boundary_tests {
    use super::*;

    #[test]
    fn a_match_inside_a_word_does_not_hide_the_keyword_after_it() {
        let lex = Lexicon::builtin();
        // "on azure" matches inside "billion Azure"; "Azure commitment" must still be found.
        let t = "OpenAI's $250 billion Azure commitment";
        let mut hits = Vec::new();
        lex.find_metrics(t, 0, t.len(), &mut hits);
        let found: Vec<&str> = hits.iter().map(|&(s, e, _)| &t[s..e]).collect();
        assert_eq!(found, ["Azure commitment"]);
    }
}
