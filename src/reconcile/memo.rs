//! memo: what keying knows of the whole corpus, gathered in two passes over the claims,
//! article by article, so that the claims themselves need never be held at once.
//!
//! The first pass ([`Memo::note_claim`]) asks the alias and metric tables once per distinct
//! name, metric and noun and gathers the scope words; the second ([`Memo::note_article`],
//! articles in path order) finds each article's main subject and what its story and place
//! need; [`Memo::settle`] then gives unnamed articles a subject, joins articles into
//! stories ([`super::story`]), and dates the undated ones.

use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::{HashMap, HashSet};
use serde::{Deserialize, Serialize};

use super::key::noun_key;
use super::story::{self, Figures, Stories};
use crate::extract::{self, places};
use crate::model::SharedClaim;
use crate::normalise::{self, Aliases};

/// What keying needs of a [`normalise::Metric`], its names shared by every claim keyed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct MetricKey {
    pub(super) name: Arc<str>,
    pub(super) counterpart: Option<Arc<str>>,
    pub(super) relational: bool,
    pub(super) symmetric: bool,
}

/// What keying asks of the alias and metric tables, asked once per distinct name, metric
/// and noun, and what it knows of each article (by path) and of the corpus. It travels as
/// JSON between the commands of [`super::stages`], its maps in key order.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Memo {
    #[serde(serialize_with = "sorted::map")]
    fold: HashMap<Arc<str>, Option<Arc<str>>>,
    /// Each article's main subject: the one most of its claims are about.
    #[serde(serialize_with = "sorted::map")]
    main: HashMap<Arc<str>, Arc<str>>,
    /// How many articles name each subject as some claim's subject.
    #[serde(serialize_with = "sorted::map")]
    spread: HashMap<Arc<str>, usize>,
    /// Each article's story's main subject ([`Memo::note_stories`]).
    #[serde(serialize_with = "sorted::map")]
    story: HashMap<Arc<str>, Arc<str>>,
    /// The folded names the alias table knows: never a scope.
    #[serde(serialize_with = "sorted::set")]
    known: HashSet<Arc<str>>,
    /// Every scope word some claim's measure states.
    #[serde(serialize_with = "sorted::set")]
    scopes: HashSet<Box<str>>,
    /// By metric, then unit.
    #[serde(serialize_with = "sorted::nested")]
    metric: HashMap<Arc<str>, HashMap<Arc<str>, Option<MetricKey>>>,
    #[serde(serialize_with = "sorted::map")]
    pub(super) noun: HashMap<Arc<str>, Arc<str>>,
    /// Each article's place: the one its claims name most, else its story's
    /// ([`Memo::note_places`]).
    #[serde(serialize_with = "sorted::map")]
    place: HashMap<Arc<str>, Arc<str>>,
    /// Each undated article's story date (year, month), for its yearless periods.
    #[serde(serialize_with = "sorted::map")]
    dated: HashMap<Arc<str>, (u32, u32)>,
}

/// A figure as articles are matched by it: unit and value.
type Figure = (Arc<str>, u64);

/// What the second pass gathers of each article (numbered in path order) for
/// [`Memo::settle`].
#[derive(Default)]
pub(super) struct Corpus {
    paths: Vec<Arc<str>>,
    published: Vec<Option<Arc<str>>>,
    /// For each figure (unit, value) that articles with a main subject state: how often
    /// under each main subject.
    stated: HashMap<Figure, BTreeMap<Arc<str>, usize>>,
    /// The figures of each article with no main subject, with how often it states each.
    unnamed: Vec<(usize, Vec<(Figure, usize)>)>,
    figures: Figures,
    /// How often each article's claims name each place.
    places: Vec<Vec<(Arc<str>, usize)>>,
}

/// What the second pass makes of one article on its own ([`Memo::article_note`]): a line
/// of `reconcile notes`.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ArticleNote {
    pub(super) path: Arc<str>,
    published: Option<Arc<str>>,
    /// The subject most of its claims are about.
    main: Option<Arc<str>>,
    /// Every subject its claims name as their own ([`Memo::own`]), in order.
    subjects: Vec<Arc<str>>,
    /// Each figure its claims state: unit, value (as bits), how often, and its weight as
    /// a story's figure (`story::precision`), in order.
    figures: Vec<(Arc<str>, u64, usize, usize)>,
    /// How often its claims name each place, in order.
    places: Vec<(Arc<str>, usize)>,
}

impl Memo {
    /// First pass: one claim (any order).
    pub(super) fn note_claim(&mut self, c: &SharedClaim, aliases: &Aliases) {
        for name in c.subject.iter().chain(c.entities.iter()) {
            if !self.fold.contains_key(&**name) {
                let folded: Option<Arc<str>> = aliases.fold(name).map(Arc::from);
                if let Some(f) = folded.as_ref().filter(|_| aliases.is_known(name)) {
                    self.known.insert(f.clone());
                }
                self.fold.insert(name.clone(), folded);
            }
        }
        if let Some(metric) = &c.metric {
            let unit = c.unit.trim();
            let units = self.metric.entry(metric.clone()).or_default();
            if !units.contains_key(unit) {
                let mk = normalise::metric_for_unit(metric, unit, aliases).map(|mk| MetricKey {
                    name: mk.name.into(),
                    counterpart: mk.counterpart.map(Arc::from),
                    relational: mk.relational,
                    symmetric: mk.symmetric,
                });
                units.insert(unit.into(), mk);
            }
        }
        if let Some(noun) = c.noun.as_ref().filter(|_| &*c.unit == "count")
            && !self.noun.contains_key(&**noun)
        {
            self.noun.insert(noun.clone(), noun_key(noun, aliases).into());
        }
        for w in &c.measure.scope {
            if !self.scopes.contains(w.as_str()) {
                self.scopes.insert(w.as_str().into());
            }
        }
    }

    /// Adds the first pass over other claims (another part's): what the tables say of a
    /// name, metric or noun is the same whichever part asked.
    pub(super) fn absorb_first_pass(&mut self, other: Memo) {
        self.fold.extend(other.fold);
        self.known.extend(other.known);
        self.scopes.extend(other.scopes);
        for (metric, units) in other.metric {
            self.metric.entry(metric).or_default().extend(units);
        }
        self.noun.extend(other.noun);
    }

    /// After the first pass: "Regulator Ofgem", "Chancellor Rishi Sunak": a name that is
    /// another name the claims give with one word before it is that name with a title.
    pub(super) fn fold_titles(&mut self) {
        let names: HashSet<Arc<str>> = self.fold.values().flatten().cloned().collect();
        for folded in self.fold.values_mut().flatten() {
            let shorter = folded
                .split_once(' ')
                .map(|(_, rest)| rest)
                .filter(|rest| names.contains(*rest))
                .map(Arc::from);
            if let Some(s) = shorter {
                *folded = s;
            }
        }
    }

    /// Second pass: one article's claims (articles in path order).
    pub(super) fn note_article(&mut self, corpus: &mut Corpus, claims: &[SharedClaim]) {
        if let Some(note) = self.article_note(claims) {
            self.add_note(corpus, note);
        }
    }

    /// What the second pass makes of one article's claims on their own, the first pass
    /// done over the whole corpus: its main subject, the subjects it names, the figures
    /// its story needs and the places it names. Made apart from every other article
    /// (`reconcile notes`), added in path order ([`Memo::add_note`]).
    pub(super) fn article_note(&self, claims: &[SharedClaim]) -> Option<ArticleNote> {
        let first = claims.first()?;
        let mut run: Vec<&SharedClaim> = claims.iter().collect();
        story::in_written_order(&mut run);
        let mut n: BTreeMap<Arc<str>, (usize, usize)> = BTreeMap::new();
        for (i, c) in run.iter().enumerate() {
            if let Some(s) = self.own(c) {
                n.entry(s).or_insert((0, usize::MAX - i)).0 += 1;
            }
        }
        let main = n.iter().max_by_key(|(_, v)| **v).map(|(m, _)| m.clone());
        let mut figures: BTreeMap<Figure, (usize, usize)> = BTreeMap::new();
        for c in &run {
            let f = figures.entry((c.unit.clone(), c.value.to_bits())).or_default();
            *f = (f.0 + 1, f.1.max(story::precision(c)));
        }
        Some(ArticleNote {
            path: first.article.path.clone(),
            published: first.article.published.clone(),
            main,
            subjects: n.into_keys().collect(),
            figures: figures.into_iter().map(|((u, v), (n, w))| (u, v, n, w)).collect(),
            places: places_named(&run),
        })
    }

    /// One article's note ([`Memo::article_note`]), articles in path order: its main
    /// subject, how many articles name each subject (names that are scopes or
    /// forecasters, [`Memo::own`], left out), and what its story and place need.
    pub(super) fn add_note(&mut self, corpus: &mut Corpus, note: ArticleNote) {
        let a = corpus.paths.len();
        for s in note.subjects {
            *self.spread.entry(s).or_default() += 1;
        }
        let stated = note.figures.iter().map(|(u, v, n, _)| ((u.clone(), *v), *n));
        match &note.main {
            Some(main) => {
                for (f, n) in stated {
                    *corpus.stated.entry(f).or_default().entry(main.clone()).or_default() += n;
                }
                self.main.insert(note.path.clone(), main.clone());
            }
            None => corpus.unnamed.push((a, stated.collect())),
        }
        corpus.figures.note_article(a);
        for (unit, value, _, weight) in note.figures {
            corpus.figures.note_figure(a, (unit, value), weight);
        }
        corpus.places.push(note.places);
        corpus.published.push(note.published);
        corpus.paths.push(note.path);
    }

    /// After the second pass: unnamed articles, stories, places and dates.
    pub(super) fn settle(&mut self, corpus: Corpus) {
        self.note_unnamed(&corpus);
        let Corpus {
            paths,
            published,
            figures,
            places,
            ..
        } = corpus;
        let stories = figures.link();
        self.note_places(&paths, &places, &stories);
        self.note_stories(&paths, &stories);
        for (a, d) in story::story_dates(&stories, &published) {
            self.dated.insert(paths[a].clone(), d);
        }
    }

    /// An article that names no subject takes the main subject of the articles that state
    /// the same figures (a wire copy that says only "the company" tells the same story).
    fn note_unnamed(&mut self, corpus: &Corpus) {
        for (a, figures) in &corpus.unnamed {
            let mut votes: BTreeMap<Arc<str>, usize> = BTreeMap::new();
            for (f, times) in figures {
                for (s, n) in corpus.stated.get(f).into_iter().flatten() {
                    *votes.entry(s.clone()).or_default() += n * times;
                }
            }
            let best = votes.values().copied().max().unwrap_or(0);
            if let Some((s, _)) = votes.into_iter().find(|(_, n)| *n == best && best > 0) {
                self.main.insert(corpus.paths[*a].clone(), s);
            }
        }
    }

    /// Articles that state the same precise figures tell one story, and its articles' main
    /// subjects are one party named as each outlet names it ("Ofgem", "the regulator",
    /// "Britain"): an article's main subject that no other article has becomes the one
    /// most of its story's articles have.
    fn note_stories(&mut self, paths: &[Arc<str>], story: &Stories) {
        let mut votes: BTreeMap<usize, BTreeMap<Arc<str>, usize>> = BTreeMap::new();
        for (a, path) in paths.iter().enumerate() {
            if let Some(m) = self.main.get(path) {
                *votes.entry(story.root(a)).or_default().entry(m.clone()).or_default() += 1;
            }
        }
        let mut mains: HashMap<&Arc<str>, usize> = HashMap::default();
        for m in self.main.values() {
            *mains.entry(m).or_default() += 1;
        }
        let mut chosen = Vec::new();
        for (a, path) in paths.iter().enumerate() {
            // An article whose main subject is another article's main subject too names a
            // party of the corpus, not a one-off way of naming its story's.
            if self
                .main
                .get(path)
                .is_some_and(|m| mains.get(m).copied().unwrap_or(0) >= 2)
            {
                continue;
            }
            let Some(v) = votes.get(&story.root(a)) else { continue };
            let best = v.values().copied().max().unwrap_or(0);
            if let Some((s, _)) = v.iter().find(|(_, n)| **n == best) {
                chosen.push((path.clone(), s.clone()));
            }
        }
        self.story.extend(chosen);
    }

    /// Each article's place, for its figures of an economy that name none ("inflation will
    /// hit 13%"): the place its story's articles name most (one article's passing "gas
    /// from Russia" does not move a story about Britain), else the one named most by the
    /// articles with its main subject.
    fn note_places(&mut self, paths: &[Arc<str>], places: &[Vec<(Arc<str>, usize)>], story: &Stories) {
        type Votes<'a> = BTreeMap<&'a str, usize>;
        let mut by_story: BTreeMap<usize, Votes> = BTreeMap::new();
        let mut by_main: BTreeMap<Arc<str>, Votes> = BTreeMap::new();
        for (a, (path, named)) in paths.iter().zip(places).enumerate() {
            let main = self.main.get(path);
            for (p, n) in named {
                let (p, n) = (&**p, *n);
                *by_story.entry(story.root(a)).or_default().entry(p).or_default() += n;
                if let Some(m) = main {
                    *by_main.entry(m.clone()).or_default().entry(p).or_default() += n;
                }
            }
        }
        for (a, path) in paths.iter().enumerate() {
            let peers = || self.main.get(path).and_then(|m| by_main.get(m)).and_then(most);
            if let Some(p) = by_story.get(&story.root(a)).and_then(most).or_else(peers) {
                self.place.insert(path.clone(), p.into());
            }
        }
    }

    /// A claim's own subject, folded, unless it names what the figure measures rather than
    /// who: a name that other claims write as a scope word ("Data Center" beside "data
    /// center revenue"), or the forecaster of an estimate ("analysts polled by LSEG").
    pub(super) fn own(&self, c: &SharedClaim) -> Option<Arc<str>> {
        let s = self.fold(c.subject.as_deref()?)?;
        let by = c.measure.by.as_deref().and_then(|b| self.fold(b));
        (by.as_ref() != Some(&s) && !self.is_scope(&s)).then_some(s)
    }

    /// The parties of the corpus (subjects that more than one article names, and names the
    /// alias table knows), lower case.
    pub(super) fn parties(&self) -> HashSet<String> {
        let spread = self.spread.iter().filter(|(_, n)| **n >= 2).map(|(s, _)| s);
        spread.chain(self.known.iter()).map(|s| s.to_lowercase()).collect()
    }

    fn is_scope(&self, name: &str) -> bool {
        !self.known.contains(name) && self.scopes.contains(name.to_lowercase().as_str())
    }

    /// The subject a claim is keyed under, and the scope its own name gives when that is
    /// not the subject: its own subject when more than one article names it (a party of the
    /// story), else its article's main subject (a segment, a product, a place or no name at
    /// all stands for what the article is about, and narrows what it measures).
    pub(super) fn subject(&self, c: &SharedClaim) -> (Option<Arc<str>>, Option<Arc<str>>) {
        let path = &*c.article.path;
        // A figure of an economy is about a place: its own, else its article's or story's.
        if extract::is_economy(c.measure.head.as_deref()) {
            let own = c.subject.as_deref().and_then(places::place_of).map(Arc::from);
            if let Some(place) = own.or_else(|| self.place.get(path).cloned()) {
                return (Some(place), None);
            }
        }
        let main = self.main.get(path);
        let story = self.story.get(path).or(main).cloned();
        let named = c.subject.as_deref().filter(|s| Some(*s) != c.measure.by.as_deref());
        let as_scope = |s: &str| Some(s.to_lowercase().into());
        match self.own(c) {
            Some(s) if Some(&s) == main => (story, None),
            Some(s) if self.spread.get(&s).copied().unwrap_or(0) >= 2 || story.is_none() => (Some(s), None),
            Some(s) => (story, as_scope(&s)),
            None => (story, named.and_then(as_scope)),
        }
    }

    pub(super) fn fold(&self, name: &str) -> Option<Arc<str>> {
        self.fold.get(name).cloned().flatten()
    }

    /// What the metric table makes of a claim's metric in its unit.
    pub(super) fn metric(&self, c: &SharedClaim) -> Option<&MetricKey> {
        let units = self.metric.get(c.metric.as_deref()?)?;
        units.get(c.unit.trim()).and_then(Option::as_ref)
    }

    /// The claim as the report judges it: an undated article's yearless period read at its
    /// story's date.
    pub(super) fn redated(&self, c: &SharedClaim) -> Option<SharedClaim> {
        story::redated(c, *self.dated.get(&*c.article.path)?)
    }
}

/// How often an article's claims (subject and entities) name each place.
fn places_named(run: &[&SharedClaim]) -> Vec<(Arc<str>, usize)> {
    let mut n: BTreeMap<&'static str, usize> = BTreeMap::new();
    for c in run {
        let names = c.subject.iter().chain(c.entities.iter());
        for p in names.filter_map(|e| places::place_of(e)) {
            *n.entry(p).or_default() += 1;
        }
    }
    n.into_iter().map(|(p, n)| (p.into(), n)).collect()
}

/// The name counted most (ties: the first in order).
fn most<'a>(n: &BTreeMap<&'a str, usize>) -> Option<&'a str> {
    let best = n.values().copied().max()?;
    n.iter().find(|(_, v)| **v == best).map(|(p, _)| *p)
}

/// Serializers of hash maps and sets in key order, so that a memo written twice is the
/// same file.
mod sorted {
    use std::collections::{BTreeMap, BTreeSet};
    use std::hash::BuildHasher;

    use serde::{Serialize, Serializer};

    pub(super) fn map<K: Ord + Serialize, V: Serialize, H, S: Serializer>(
        m: &std::collections::HashMap<K, V, H>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        m.iter().collect::<BTreeMap<_, _>>().serialize(s)
    }

    pub(super) fn set<K: Ord + Serialize, H, S: Serializer>(
        m: &std::collections::HashSet<K, H>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        m.iter().collect::<BTreeSet<_>>().serialize(s)
    }

    pub(super) fn nested<K: Ord + Serialize, L: Ord + Serialize, V: Serialize, H: BuildHasher, S: Serializer>(
        m: &std::collections::HashMap<K, std::collections::HashMap<L, V, H>, H>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let sorted = m.iter().map(|(k, v)| (k, v.iter().collect::<BTreeMap<_, _>>()));
        sorted.collect::<BTreeMap<_, _>>().serialize(s)
    }
}
