//! passes: the report over claims that need not fit in memory.
//!
//! The claims come sorted by path ([`Claims`]: held, or read back from a sort on disk) and
//! are read article by article, three times: the first pass and the second build the
//! [`Memo`] (the first can be done as the claims are read, [`ClaimSort::push`]); the third
//! keys each article's claims in parallel and sorts the keyed claims by key, on disk past
//! the memory budget. The keyed claims are then read back one key at a time and each key's
//! group is judged, a batch of groups in parallel: memory follows the largest group.

use std::collections::HashSet;

use foldhash::HashSet as Parties;
use rayon::prelude::*;

use super::cluster::split;
use super::key::{Named, key_article};
use super::memo::{Corpus, Memo};
use super::records::{KeyedClaim, by_path};
use super::report::{Judged, Report};
use super::spill::{Sorted, Sorter, SpillError};
use super::verdict::judge;
use super::{Disagreement, Options};
use crate::error::{Error, Result};
use crate::index::reader::Articles;
use crate::model::SharedClaim;

/// Claims read or judged per batch: enough to keep the cores busy, few enough to be small.
const BATCH: usize = if cfg!(test) { 3 } else { 1 << 14 };

/// Claims being read, sorted by path on disk past `budget` bytes, and noted by the first
/// pass of the memo as they come.
pub struct ClaimSort {
    sorter: Sorter<SharedClaim>,
    memo: Memo,
    aliases: crate::normalise::Aliases,
}

impl ClaimSort {
    pub fn new(budget: usize, opts: &Options) -> Self {
        ClaimSort {
            sorter: Sorter::new(budget, by_path),
            memo: Memo::default(),
            aliases: opts.aliases.clone(),
        }
    }

    /// Claims as read, in any order (their articles by path alone).
    pub fn push(&mut self, claims: Vec<SharedClaim>) -> Result<()> {
        for c in claims {
            self.memo.note_claim(&c, &self.aliases);
            self.sorter.push(c).map_err(sort_error)?;
        }
        Ok(())
    }

    /// Reconciles the claims pushed; `articles` by path (a claim of a path in `copies` is
    /// left out: its article's content is another's).
    pub fn reconcile(
        self,
        articles: Articles,
        copies: HashSet<String>,
        opts: &Options,
        budget: usize,
    ) -> Result<Report> {
        let (claims, memo) = self.into_claims(articles, copies)?;
        reconcile_claims(claims, memo, opts, budget)
    }

    /// The memo of the claims pushed, its passes done ([`super::stages`]).
    pub(super) fn into_memo(self, articles: Articles, copies: HashSet<String>) -> Result<Memo> {
        let (claims, mut memo) = self.into_claims(articles, copies)?;
        settle(&claims, &mut memo)?;
        Ok(memo)
    }

    /// The claims pushed, sorted by path, and the memo's first pass.
    fn into_claims(self, articles: Articles, copies: HashSet<String>) -> Result<(Claims<'static>, Memo)> {
        let mut sorted = self.sorter.finish().map_err(sort_error)?;
        let held = sorted.held_mut();
        held.retain(|c| !copies.contains(&*c.article.path));
        for c in held.iter_mut() {
            if let Some(a) = articles.get(&c.article.path) {
                c.article = a.clone();
            }
        }
        let claims = Claims::Sorted {
            sorted,
            articles,
            copies,
        };
        Ok((claims, self.memo))
    }
}

impl From<SpillError> for Error {
    fn from(e: SpillError) -> Self {
        sort_error(e.0)
    }
}

/// What a failed sort on disk says.
fn sort_error(e: std::io::Error) -> Error {
    Error::File {
        path: std::env::temp_dir(),
        reason: format!("cannot sort claims in the temporary folder: {e}"),
    }
}

/// Claims sorted by path, read article by article as often as asked.
pub(super) enum Claims<'a> {
    Held(&'a [SharedClaim]),
    Sorted {
        sorted: Sorted<SharedClaim>,
        articles: Articles,
        copies: HashSet<String>,
    },
}

fn same_article(a: &SharedClaim, b: &SharedClaim) -> bool {
    a.article.path == b.article.path
}

impl Claims<'_> {
    /// Calls `f` with whole articles in path order, about [`BATCH`] claims at a time.
    fn each_batch(&self, mut f: impl FnMut(&[&[SharedClaim]]) -> Result<()>) -> Result<()> {
        let held = match self {
            Claims::Held(c) => c,
            Claims::Sorted { sorted, .. } => sorted.held(),
        };
        let mut batch: Vec<&[SharedClaim]> = Vec::new();
        let mut n = 0;
        for article in held.chunk_by(same_article) {
            batch.push(article);
            n += article.len();
            if n >= BATCH {
                f(&batch)?;
                (batch, n) = (Vec::new(), 0);
            }
        }
        if !batch.is_empty() {
            f(&batch)?;
        }
        match self {
            Claims::Sorted {
                sorted,
                articles,
                copies,
            } if sorted.spilled() => each_spilled_batch(sorted, articles, copies, f),
            _ => Ok(()),
        }
    }
}

/// [`Claims::each_batch`] over claims read back from disk.
fn each_spilled_batch(
    sorted: &Sorted<SharedClaim>,
    articles: &Articles,
    copies: &HashSet<String>,
    mut f: impl FnMut(&[&[SharedClaim]]) -> Result<()>,
) -> Result<()> {
    let mut batch: Vec<Vec<SharedClaim>> = Vec::new();
    let mut n = 0;
    let mut call = |batch: &mut Vec<Vec<SharedClaim>>| {
        let slices: Vec<&[SharedClaim]> = batch.iter().map(Vec::as_slice).collect();
        let done = f(&slices);
        batch.clear();
        done
    };
    sorted.each_spilled(|mut c: SharedClaim| {
        if copies.contains(&*c.article.path) {
            return Ok(());
        }
        if let Some(a) = articles.get(&c.article.path) {
            c.article = a.clone();
        }
        match batch.last_mut() {
            Some(last) if same_article(&last[0], &c) => last.push(c),
            _ => {
                if n >= BATCH {
                    call(&mut batch)?;
                    n = 0;
                }
                batch.push(vec![c]);
            }
        }
        n += 1;
        Ok::<_, Error>(())
    })?;
    call(&mut batch)
}

/// The report's groups from `claims`, the memo's first pass done, in report order.
pub(super) fn reconcile_claims(claims: Claims, mut memo: Memo, opts: &Options, budget: usize) -> Result<Report> {
    settle(&claims, &mut memo)?;
    let keyed = keyed_by_key(&claims, &memo, opts, budget)?;
    drop(claims);
    judge_each_key(keyed, &memo.parties(), opts, budget)
}

/// The memo's passes after the first, over `claims`.
fn settle(claims: &Claims, memo: &mut Memo) -> Result<()> {
    memo.fold_titles();
    let mut corpus = Corpus::default();
    claims.each_batch(|articles| {
        for a in articles {
            memo.note_article(&mut corpus, a);
        }
        Ok(())
    })?;
    memo.settle(corpus);
    Ok(())
}

/// Every claim keyed (one per subject), sorted by key and then in the claims' order; a
/// relational claim that names no counterpart joins a named key first ([`Named`]).
fn keyed_by_key(claims: &Claims, memo: &Memo, opts: &Options, budget: usize) -> Result<Sorted<KeyedClaim>> {
    let mut sorter = Sorter::new(budget, KeyedClaim::by_key);
    let mut waiting = Sorter::new(budget / 4, KeyedClaim::by_seq);
    let mut named = Named::default();
    let mut seq = 0u64;
    claims.each_batch(|articles| {
        let keyed: Vec<Vec<KeyedClaim>> = articles
            .par_iter()
            .map(|a| {
                let keyed = key_article(a, &opts.aliases, memo);
                let judged = |k: &super::key::Keyed| memo.redated(k.ic).unwrap_or_else(|| k.ic.clone());
                keyed
                    .into_iter()
                    .map(|(key, k)| KeyedClaim::new(key, &k, judged(&k), 0))
                    .collect()
            })
            .collect();
        for mut kc in keyed.into_iter().flatten() {
            (kc.seq, seq) = (seq, seq + 1);
            let k = kc.keyed();
            named.note(&kc.key, &k);
            let waits = Named::waits(&kc.key, &k);
            drop(k);
            match waits {
                true => waiting.push(kc),
                false => sorter.push(kc),
            }
            .map_err(sort_error)?;
        }
        Ok(())
    })?;
    waiting.finish().map_err(sort_error)?.into_each(|mut kc: KeyedClaim| {
        if let Some(key) = named.attach(&kc.key, &kc.subject, kc.claim.article.title.as_deref()) {
            kc.key = key.clone();
        }
        sorter.push(kc).map_err(sort_error)
    })?;
    sorter.finish().map_err(sort_error)
}

/// Each key's claims split and judged, a batch of keys at a time in parallel, the groups
/// sorted in report order.
fn judge_each_key(
    keyed: Sorted<KeyedClaim>,
    parties: &Parties<String>,
    opts: &Options,
    budget: usize,
) -> Result<Report> {
    // Beside a batch of keys and its largest group: half the budget.
    let mut out = Judged::new(budget / 2);
    let mut groups: Vec<Vec<KeyedClaim>> = Vec::new();
    let mut n = 0;
    let mut judge_all = |groups: &mut Vec<Vec<KeyedClaim>>| -> Result<()> {
        let judged: Vec<Disagreement> = groups
            .par_iter()
            .flat_map_iter(|g| judge_key(g, parties, opts))
            .collect();
        groups.clear();
        for d in judged {
            out.push(d).map_err(sort_error)?;
        }
        Ok(())
    };
    keyed.into_each(|kc| {
        match groups.last_mut() {
            Some(g) if g[0].key == kc.key => g.push(kc),
            _ => {
                if n >= BATCH {
                    judge_all(&mut groups)?;
                    n = 0;
                }
                groups.push(vec![kc]);
            }
        }
        n += 1;
        Ok::<_, Error>(())
    })?;
    judge_all(&mut groups)?;
    out.finish().map_err(sort_error)
}

/// One key's groups: its claims split by what they measure and when, each judged.
pub(super) fn judge_key(group: &[KeyedClaim], parties: &Parties<String>, opts: &Options) -> Vec<Disagreement> {
    let members: Vec<_> = group.iter().map(KeyedClaim::keyed).collect();
    split(&members, parties)
        .into_iter()
        .filter_map(|(label, m)| judge(&group[0].key, label.as_deref(), &m, opts))
        .collect()
}
