//! report: the judged groups in report order, held or read back from disk, as the
//! renderers read them ([`crate::report::Groups`]), with the verdicts and the number of
//! groups asked for.
//!
//! Groups are held until they weigh more than the budget; past it, each group's JSON (the
//! report's own round trip, [`Disagreement`]'s `Deserialize`) is appended to a file and
//! only a small reference ([`GroupRef`]: what the report order reads, and where the group
//! is) is sorted. A group with thousands of values is then read back alone, when its turn
//! comes.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use super::spill::{Dec, Enc, Record, Sorted, Sorter};
use super::{Disagreement, Verdict};
use crate::report::{Counts, Groups};

/// Groups read back from disk per batch handed to a renderer: at most this many, and no
/// more than [`BATCH_BYTES`] of JSON (the groups with the most articles come first, and
/// are the largest).
const BATCH: usize = 256;
const BATCH_BYTES: usize = 16 << 20;

const VERDICTS: [Verdict; 4] = [
    Verdict::Conflict,
    Verdict::Unresolved,
    Verdict::Explained,
    Verdict::Consistent,
];

/// Where a group written to disk is, and what the report order reads of it.
pub(super) struct GroupRef {
    verdict: Verdict,
    articles: usize,
    subject: String,
    metric: String,
    key: String,
    at: u64,
    len: usize,
}

impl GroupRef {
    /// Conflicts, then explained, then consistent; inside each, the groups with more
    /// articles first, then by subject, metric and key (ties in the order judged).
    fn in_report_order(a: &Self, b: &Self) -> Ordering {
        let at = |g: &Self| (g.verdict, std::cmp::Reverse(g.articles));
        at(a)
            .cmp(&at(b))
            .then_with(|| (&a.subject, &a.metric, &a.key).cmp(&(&b.subject, &b.metric, &b.key)))
    }
}

impl Record for GroupRef {
    fn encode(&self, e: &mut Enc) {
        e.u8(self.verdict as u8);
        e.usize(self.articles);
        for s in [&self.subject, &self.metric, &self.key] {
            e.str(s);
        }
        e.u64(self.at);
        e.usize(self.len);
    }

    fn decode(d: &mut Dec) -> Option<Self> {
        Some(GroupRef {
            verdict: *VERDICTS.get(usize::from(d.u8()?))?,
            articles: d.usize()?,
            subject: d.str()?.to_string(),
            metric: d.str()?.to_string(),
            key: d.str()?.to_string(),
            at: d.u64()?,
            len: d.usize()?,
        })
    }

    fn weight(&self) -> usize {
        std::mem::size_of::<Self>() + self.subject.len() + self.metric.len() + self.key.len()
    }
}

/// About how many bytes a judged group holds in memory.
fn weight(g: &Disagreement) -> usize {
    // A value's strings and its article are allocations of their own (see the claims').
    let values = g
        .values
        .iter()
        .map(|v| v.sentence.len() + v.text.len() + v.article.path.len() + 700);
    std::mem::size_of::<Disagreement>() + values.sum::<usize>()
}

/// Judged groups as they come, in any order (ties in report order keep the order they
/// came in); [`Judged::finish`] gives the report.
pub struct Judged {
    budget: usize,
    held: Vec<Disagreement>,
    weight: usize,
    counts: Counts,
    /// Past the budget: the file the groups are written to, and their references.
    body: Option<(BufWriter<File>, u64, Sorter<GroupRef>)>,
}

impl Judged {
    pub fn new(budget: usize) -> Self {
        Judged {
            budget,
            held: Vec::new(),
            weight: 0,
            counts: Counts::default(),
            body: None,
        }
    }

    pub fn push(&mut self, g: Disagreement) -> io::Result<()> {
        *self.counts.of(g.verdict) += 1;
        if self.body.is_none() {
            self.weight += weight(&g);
            self.held.push(g);
            if self.weight <= self.budget {
                return Ok(());
            }
            let file = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
            self.body = Some((file, 0, Sorter::new(self.budget, GroupRef::in_report_order)));
            for g in std::mem::take(&mut self.held) {
                self.write(&g)?;
            }
            return Ok(());
        }
        self.write(&g)
    }

    /// Appends a group's JSON to the file and sorts its reference.
    fn write(&mut self, g: &Disagreement) -> io::Result<()> {
        let Some((file, at, refs)) = &mut self.body else {
            return Ok(());
        };
        let json = serde_json::to_vec(g).map_err(io::Error::other)?;
        file.write_all(&json)?;
        refs.push(GroupRef {
            verdict: g.verdict,
            articles: g.articles,
            subject: g.subject.clone(),
            metric: g.metric.clone(),
            key: g.key.clone(),
            at: *at,
            len: json.len(),
        })?;
        *at += json.len() as u64;
        Ok(())
    }

    pub fn finish(self) -> io::Result<Report> {
        let groups = match self.body {
            None => {
                let mut held = self.held;
                held.sort_by(in_report_order);
                Stored::Held(held)
            }
            Some((file, _, refs)) => {
                let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                Stored::Written(refs.finish()?, file)
            }
        };
        Ok(Report {
            groups,
            all: self.counts,
            wanted: VERDICTS.to_vec(),
            top: None,
        })
    }
}

/// Groups in report order ([`GroupRef::in_report_order`], for groups held).
pub fn in_report_order(a: &Disagreement, b: &Disagreement) -> Ordering {
    a.verdict
        .cmp(&b.verdict)
        .then(b.articles.cmp(&a.articles))
        .then_with(|| a.subject.cmp(&b.subject))
        .then_with(|| a.metric.cmp(&b.metric))
        .then_with(|| a.key.cmp(&b.key))
}

/// Where the groups are.
enum Stored {
    Held(Vec<Disagreement>),
    Written(Sorted<GroupRef>, File),
}

/// The report's groups, in report order.
pub struct Report {
    groups: Stored,
    all: Counts,
    wanted: Vec<Verdict>,
    top: Option<usize>,
}

impl Report {
    /// Every group (the report of claims held in memory, with no budget: never written).
    pub(super) fn into_groups(self) -> Vec<Disagreement> {
        match self.groups {
            Stored::Held(all) => all,
            // Written only past a budget: read back whole, never dropped.
            Stored::Written(..) => {
                let mut all = Vec::new();
                let read = self.each_batch(&mut |batch| {
                    all.extend_from_slice(batch);
                    Ok(())
                });
                read.map(|()| all).unwrap_or_default()
            }
        }
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

    /// [`Groups::each_batch`] over groups held.
    fn each_held(&self, held: &[Disagreement], f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>) -> io::Result<()> {
        let mut at = 0;
        for run in held.chunk_by(|a, b| a.verdict == b.verdict) {
            if !self.wanted.contains(&run[0].verdict) {
                continue;
            }
            let n = self.top.map_or(run.len(), |t| t.saturating_sub(at).min(run.len()));
            if n > 0 {
                f(&run[..n])?;
            }
            at += n;
        }
        Ok(())
    }

    /// [`Groups::each_batch`] over groups written to `file`, read in report order.
    fn each_written(
        &self,
        refs: &Sorted<GroupRef>,
        file: &File,
        f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut file = file;
        let (mut at, mut batch, mut bytes, mut buf) = (0, Vec::with_capacity(BATCH), 0, Vec::new());
        let mut read = |r: &GroupRef| -> io::Result<()> {
            if !self.shown(r.verdict, at) {
                return Ok(());
            }
            at += 1;
            buf.resize(r.len, 0);
            file.seek(SeekFrom::Start(r.at))?;
            file.read_exact(&mut buf)?;
            batch.push(serde_json::from_slice::<Disagreement>(&buf).map_err(io::Error::other)?);
            bytes += r.len;
            if batch.len() == BATCH || bytes > BATCH_BYTES {
                f(&batch)?;
                batch.clear();
                bytes = 0;
            }
            Ok(())
        };
        for r in refs.held() {
            read(r)?;
        }
        refs.each_spilled(|r: GroupRef| read(&r))?;
        if !batch.is_empty() {
            f(&batch)?;
        }
        Ok(())
    }
}

impl Groups for Report {
    /// The counts of the groups selected: groups come in verdict order, so `--top` takes
    /// the first verdicts' groups first.
    fn counts(&self) -> Counts {
        let mut left = self.top.unwrap_or(usize::MAX);
        let mut n = Counts::default();
        for v in VERDICTS.into_iter().filter(|v| self.wanted.contains(v)) {
            let take = (*self.all.clone().of(v)).min(left);
            *n.of(v) = take;
            left -= take;
        }
        n
    }

    fn each_batch(&self, f: &mut dyn FnMut(&[Disagreement]) -> io::Result<()>) -> io::Result<()> {
        match &self.groups {
            Stored::Held(held) => self.each_held(held, f),
            Stored::Written(refs, file) => self.each_written(refs, file, f),
        }
    }
}
