//! story: articles that tell one story, and the date they tell it at.
//!
//! Articles that state the same precise figures ("386,810", "£3,549", or two such as
//! "$57.01 billion") are outlets telling one story ([`Stories::link`]). A story's date is the middle of its dated articles'
//! publication months; a month or quarter that an undated article writes without its year
//! ("in October", "Q1") is read as the one nearest that date ([`redate`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::{SharedClaim, Status};
use crate::normalise::Period;

/// A figure stated by more articles than this links no story (a common figure, not a
/// story's own).
const STORY_FIGURE_SPREAD: usize = 50;

/// How much a figure shared by two articles says that they tell one story, by its
/// significant digits: none below three ("62%", "$65 billion"), one for three
/// ("$57.01 billion"), two for four or more ("386,810", "£3,549"), as likely by chance as
/// two three-digit figures. Two articles are one story at [`STORY_LINK`].
pub(super) fn precision(c: &SharedClaim) -> usize {
    // Digits from the first non-zero one to the last, without a copy.
    let (mut n, mut zeros, mut started) = (0usize, 0usize, false);
    for d in c.text.bytes().filter(u8::is_ascii_digit) {
        match (d == b'0', started) {
            (true, false) => {}
            (true, true) => zeros += 1,
            (false, _) => {
                started = true;
                n += zeros + 1;
                zeros = 0;
            }
        }
    }
    n.saturating_sub(2).min(STORY_LINK)
}

/// The weight of shared figures ([`precision`]) that links two articles into one story.
const STORY_LINK: usize = 2;

/// The claims of each article, articles by path and claims in the order they are written,
/// whatever order they came in.
#[cfg(test)]
pub(super) fn by_article(claims: &[SharedClaim]) -> Vec<Vec<&SharedClaim>> {
    let mut articles: BTreeMap<&str, Vec<&SharedClaim>> = BTreeMap::new();
    for c in claims {
        articles.entry(&c.article.path).or_default().push(c);
    }
    let mut runs: Vec<Vec<&SharedClaim>> = articles.into_values().collect();
    for run in &mut runs {
        in_written_order(run);
    }
    runs
}

/// One article's claims in the order they are written (ties by what they state).
pub(super) fn in_written_order(run: &mut [&SharedClaim]) {
    let place = |c: &&SharedClaim| {
        let what = (c.unit.clone(), c.subject.clone(), c.metric.clone());
        (c.line, c.start, c.text.clone(), c.value.to_bits(), what)
    };
    run.sort_by_cached_key(place);
}

/// The precise figures each article states, gathered article by article (numbered in path
/// order), for [`Figures::link`].
#[derive(Default)]
pub(super) struct Figures {
    stating: HashMap<(Arc<str>, u64), Stating>,
    articles: usize,
}

/// The articles that state one figure, and its weight ([`precision`]). Most figures are
/// stated by one article: it is held without an allocation of its own; past
/// [`STORY_FIGURE_SPREAD`] articles no more are noted (the figure links none).
#[derive(Default)]
struct Stating {
    weight: usize,
    first: usize,
    more: Vec<usize>,
}

impl Stating {
    fn note(&mut self, a: usize) {
        if self.weight == 0 {
            self.first = a;
            return;
        }
        if a == self.first || self.more.len() > STORY_FIGURE_SPREAD {
            return;
        }
        if let Err(i) = self.more.binary_search(&a) {
            self.more.insert(i, a);
        }
    }

    /// Every article noted, when a story can be told by them (two to the spread).
    fn linking(&self) -> Option<Vec<usize>> {
        if self.more.is_empty() || self.more.len() >= STORY_FIGURE_SPREAD {
            return None;
        }
        let mut all = self.more.clone();
        let at = all.partition_point(|x| *x < self.first);
        all.insert(at, self.first);
        Some(all)
    }
}

impl Figures {
    /// Notes the claims of article `a` (the next one, or one already noted).
    #[cfg(test)]
    pub(super) fn note(&mut self, a: usize, run: &[&SharedClaim]) {
        self.note_article(a);
        for c in run {
            self.note_figure(a, (c.unit.clone(), c.value.to_bits()), precision(c));
        }
    }

    /// Notes that there is an article `a`.
    pub(super) fn note_article(&mut self, a: usize) {
        self.articles = self.articles.max(a + 1);
    }

    /// Notes that article `a` ([`Figures::note_article`]) states a figure (unit, value as
    /// bits) of `weight` ([`precision`]; a figure of none links no story).
    pub(super) fn note_figure(&mut self, a: usize, figure: (Arc<str>, u64), weight: usize) {
        if weight > 0 {
            let e = self.stating.entry(figure).or_default();
            e.note(a);
            e.weight = e.weight.max(weight);
        }
    }

    /// Each article joined to those that state precise figures of its, one of four
    /// significant digits or two of three ([`precision`]). A figure of full weight joins
    /// its articles at once; pairs are counted only for lighter figures, and only across
    /// stories not yet joined (the stories are the same whatever order articles join in).
    pub(super) fn link(self) -> Stories {
        let mut story = Stories::new(self.articles);
        let mut light = Vec::new();
        for s in self.stating.into_values() {
            let Some(articles) = s.linking() else { continue };
            match s.weight >= STORY_LINK {
                true => articles.windows(2).for_each(|w| story.join(w[0], w[1])),
                false => light.push((s.weight, articles)),
            }
        }
        let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
        for (weight, a) in &light {
            for (i, x) in a.iter().enumerate() {
                for y in &a[i + 1..] {
                    if story.root(*x) != story.root(*y) {
                        *shared.entry((*x, *y)).or_default() += weight;
                    }
                }
            }
        }
        for ((x, y), n) in shared {
            if n >= STORY_LINK {
                story.join(x, y);
            }
        }
        story
    }
}

/// Articles joined into stories (union-find).
pub(super) struct Stories(Vec<usize>);

impl Stories {
    fn new(n: usize) -> Self {
        Stories((0..n).collect())
    }

    pub(super) fn root(&self, mut a: usize) -> usize {
        while self.0[a] != a {
            a = self.0[a];
        }
        a
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        self.0[ra.max(rb)] = ra.min(rb);
    }
}

/// The year and month of a publication date (`2024-04-02`).
fn year_month(date: &str) -> Option<(u32, u32)> {
    let mut parts = date.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some((y, m))
}

/// Whether a claim's period is a month or quarter without its year, or the time of writing.
fn is_yearless(c: &SharedClaim) -> bool {
    c.period
        .as_deref()
        .and_then(Period::parse)
        .is_some_and(|p| p.needs_date())
}

/// The date each undated article's story is told at: the middle of its dated articles'
/// publication months (year, month), by article number; `published` by article number.
pub(super) fn story_dates(stories: &Stories, published: &[Option<Arc<str>>]) -> HashMap<usize, (u32, u32)> {
    let mut dates: BTreeMap<usize, Vec<(u32, u32)>> = BTreeMap::new();
    for (a, p) in published.iter().enumerate() {
        if let Some(d) = p.as_deref().and_then(year_month) {
            dates.entry(stories.root(a)).or_default().push(d);
        }
    }
    let mut out = HashMap::new();
    for (a, _) in published.iter().enumerate().filter(|(_, p)| p.is_none()) {
        if let Some(ds) = dates.get_mut(&stories.root(a)) {
            ds.sort_unstable();
            out.insert(a, ds[(ds.len() - 1) / 2]);
        }
    }
    out
}

/// A claim of an undated article whose period is a month or quarter without its year, with
/// that period read against its story's date `(y, m)`; `None` for any other claim.
pub(super) fn redated(c: &SharedClaim, (y, m): (u32, u32)) -> Option<SharedClaim> {
    if c.article.published.is_some() || !is_yearless(c) {
        return None;
    }
    let p = c.period.as_deref().and_then(Period::parse)?;
    let dated = match c.measure.status {
        Status::Actual | Status::Estimate => p.near(y, m),
        Status::Forecast | Status::Guidance | Status::Target => p.ahead(y, m),
    };
    let mut copy = c.clone();
    copy.period = Some(Arc::from(dated.to_string()));
    Some(copy)
}

#[cfg(test)]
mod tests {
    use super::super::share;
    use super::super::tests::{ic, with};
    use super::*;

    /// Two outlets state the same precise figures; only the first gives its date.
    fn story(period: &str) -> Vec<SharedClaim> {
        story_of(period, Status::Actual)
    }

    /// The same story, the undated article's dated figure a statement of `status`.
    fn story_of(period: &str, status: Status) -> Vec<SharedClaim> {
        let undated = |text: &str, v: f64, p: Option<&str>| {
            let mut c = with(ic("b.txt", "", text, v, "The cap rises."), |c| {
                c.period = p.map(String::from);
                c.measure.status = status;
            });
            c.published = None;
            c
        };
        share(&[
            ic("a.txt", "2022-08-26", "$3,549", 3549.0, "The cap rises to $3,549."),
            ic("a.txt", "2022-08-26", "$1,971", 1971.0, "It was $1,971."),
            undated("$3,549", 3549.0, Some(period)),
            undated("$1,971", 1971.0, None),
        ])
    }

    fn link(runs: &[Vec<&SharedClaim>]) -> Stories {
        let mut figures = Figures::default();
        for (a, run) in runs.iter().enumerate() {
            figures.note(a, run);
        }
        figures.link()
    }

    /// The periods of the claims redated: each undated article's at its story's date.
    fn redated_periods(claims: &[SharedClaim]) -> Vec<String> {
        let runs = by_article(claims);
        let published: Vec<Option<Arc<str>>> = runs.iter().map(|r| r[0].article.published.clone()).collect();
        let dates = story_dates(&link(&runs), &published);
        let mut out: Vec<String> = runs
            .iter()
            .enumerate()
            .filter_map(|(a, run)| Some((dates.get(&a)?, run)))
            .flat_map(|(d, run)| run.iter().filter_map(|c| redated(c, *d)))
            .filter_map(|c| c.period.map(|p| p.to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_undated_article_reads_yearless_periods_at_its_storys_date() {
        assert_eq!(redated_periods(&story("--10")), ["2022-10"]);
        assert_eq!(redated_periods(&story("last--10")), ["2021-10"]);
        assert_eq!(redated_periods(&story("Q2")), ["2022-Q2"]);
        assert_eq!(redated_periods(&story("present")), ["2022-08"]);
    }

    #[test]
    fn a_forecasts_yearless_month_is_the_next_one() {
        assert_eq!(redated_periods(&story("--04")), ["2022-04"]);
        assert_eq!(redated_periods(&story_of("--04", Status::Forecast)), ["2023-04"]);
        assert_eq!(redated_periods(&story_of("--10", Status::Forecast)), ["2022-10"]);
        assert_eq!(
            redated_periods(&story_of("--04", Status::Estimate)),
            ["2022-04"],
            "of a figure reported"
        );
        assert_eq!(redated_periods(&story_of("Q1", Status::Guidance)), ["2023-Q1"]);
    }

    #[test]
    fn nothing_is_redated_outside_a_story_or_with_a_year() {
        assert!(redated_periods(&story("2022-10")).is_empty());
        let mut undated = with(ic("b.txt", "", "$35.5", 35.5, "The cap rises."), |c| {
            c.period = Some("--10".into());
        });
        undated.published = None;
        let apart = share(&[ic("a.txt", "2022-08-26", "$35.5", 35.5, "The cap rises."), undated]);
        assert!(
            redated_periods(&apart).is_empty(),
            "one three-digit figure links no story"
        );
    }

    /// Whether two articles that share the figures written `texts` are one story.
    fn linked(texts: &[(&str, f64)]) -> bool {
        let claims: Vec<_> = ["a.txt", "b.txt"]
            .iter()
            .flat_map(|path| texts.iter().map(move |(t, v)| ic(path, "", t, *v, "It is so.")))
            .collect();
        let claims = share(&claims);
        let runs = by_article(&claims);
        let stories = link(&runs);
        stories.root(0) == stories.root(1)
    }

    #[test]
    fn a_four_digit_figure_or_two_three_digit_ones_link_a_story() {
        assert!(linked(&[("£3,549", 3549.0)]));
        assert!(linked(&[("$57.1 billion", 57.1e9), ("$1.31", 1.31)]));
        assert!(!linked(&[("$57.1 billion", 57.1e9)]), "one three-digit figure");
        assert!(!linked(&[("62%", 62.0), ("$65 billion", 65e9)]), "round figures");
    }

    /// A figure more articles state than the spread links none of them; articles joined by
    /// a precise figure and by two lighter ones are one story, rooted at the least.
    #[test]
    fn a_common_figure_links_none_and_stories_chain() {
        let claim = |path: &str, text: &str, v: f64| ic(path, "2026-01-01", text, v, "x");
        for n in [STORY_FIGURE_SPREAD, STORY_FIGURE_SPREAD + 1] {
            let many: Vec<_> = (0..n)
                .map(|i| claim(&format!("{i:03}.txt"), "£3,549", 3549.0))
                .collect();
            let claims = share(&many);
            let stories = link(&by_article(&claims));
            let joined = (0..n).filter(|a| stories.root(*a) == 0).count();
            assert_eq!(joined, if n > STORY_FIGURE_SPREAD { 1 } else { n }, "{n} articles");
        }
        let chain = share(&[
            claim("a.txt", "£3,549", 3549.0),
            claim("b.txt", "£3,549", 3549.0),
            claim("b.txt", "$57.1 billion", 57.1e9),
            claim("b.txt", "$1.31", 1.31),
            claim("c.txt", "$57.1 billion", 57.1e9),
            claim("c.txt", "$1.31", 1.31),
            claim("d.txt", "$1.31", 1.31),
        ]);
        let stories = link(&by_article(&chain));
        assert_eq!((0..4).map(|a| stories.root(a)).collect::<Vec<_>>(), [0, 0, 0, 3]);
    }
}
