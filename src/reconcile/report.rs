//! report: the judged groups in report order, held or read back from disk, as the
//! renderers read them ([`crate::report::Groups`]), with the verdicts and the number of
//! groups asked for.

use std::io;

use super::spill::Sorted;
use super::{Disagreement, Verdict};
use crate::report::{Counts, Groups};

/// Groups read back from disk per batch handed to a renderer.
const BATCH: usize = 256;

/// The report's groups, sorted in report order ([`super::records::in_report_order`]).
pub struct Report {
    sorted: Sorted<Disagreement>,
    all: Counts,
    wanted: Vec<Verdict>,
    top: Option<usize>,
}

impl Report {
    pub(super) fn new(sorted: Sorted<Disagreement>, all: Counts) -> Self {
        Report {
            sorted,
            all,
            wanted: vec![
                Verdict::Conflict,
                Verdict::Unresolved,
                Verdict::Explained,
                Verdict::Consistent,
            ],
            top: None,
        }
    }

    /// Every group, held (the report of claims held in memory, which nothing writes to
    /// disk).
    pub(super) fn into_groups(self) -> Vec<Disagreement> {
        let mut all = Vec::new();
        let read = self.sorted.into_each(|g| {
            all.push(g);
            Ok::<_, io::Error>(())
        });
        read.map(|()| all).unwrap_or_default()
    }

    /// How many groups carry each verdict, whatever was selected.
    pub fn all(&self) -> Counts {
        self.all
    }

    /// Only the groups of the verdicts `wanted`, the first `top` of them.
    pub fn select(&mut self, wanted: &[Verdict], top: Option<usize>) {
        self.wanted = wanted.to_vec();
        self.top = top;
    }

    /// Whether a group at place `at` among those selected, of verdict `v`, is shown.
    fn shown(&self, v: Verdict, at: usize) -> bool {
        self.wanted.contains(&v) && self.top.is_none_or(|n| at < n)
    }
}

impl Groups for Report {
    /// The counts of the groups selected: groups come in verdict order, so `--top` takes
    /// the first verdicts' groups first.
    fn counts(&self) -> Counts {
        let mut left = self.top.unwrap_or(usize::MAX);
        let mut n = Counts::default();
        for v in [
            Verdict::Conflict,
            Verdict::Unresolved,
            Verdict::Explained,
            Verdict::Consistent,
        ] {
            if self.wanted.contains(&v) {
                let take = (*self.all.clone().of(v)).min(left);
                *n.of(v) = take;
                left -= take;
            }
        }
        n
    }

    fn each_batch(&self, f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>) -> io::Result<()> {
        let mut at = 0;
        let mut runs = self.sorted.held().chunk_by(|a, b| a.verdict == b.verdict);
        for run in runs.by_ref().filter(|r| self.wanted.contains(&r[0].verdict)) {
            let n = self.top.map_or(run.len(), |t| t.saturating_sub(at).min(run.len()));
            if n > 0 {
                f(&run[..n])?;
            }
            at += n;
        }
        let mut batch = Vec::with_capacity(BATCH);
        self.sorted.each_spilled(|g: Disagreement| {
            if self.shown(g.verdict, at) {
                at += 1;
                batch.push(g);
                if batch.len() == BATCH {
                    f(&batch)?;
                    batch.clear();
                }
            }
            Ok::<_, io::Error>(())
        })?;
        if !batch.is_empty() {
            f(&batch)?;
        }
        Ok(())
    }
}
