//! spill: an external merge sort with a memory budget, so that the conflict report's
//! memory follows its largest group, not the corpus.
//!
//! A [`Sorter`] holds records until their weight passes its budget, then sorts them
//! (stably) and writes them to a run file in a temporary folder. [`Sorter::finish`] gives a
//! [`Sorted`], read as often as asked: the runs merged (ties in the order pushed), or the
//! records held when none was written. Records are written in a small binary form
//! ([`Record`], [`Enc`], [`Dec`]), never read by anything but this file's merge.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use rayon::prelude::*;

/// A run could not be read back (its file is gone or damaged).
#[derive(Debug)]
pub(super) struct SpillError(pub(super) io::Error);

impl From<io::Error> for SpillError {
    fn from(e: io::Error) -> Self {
        SpillError(e)
    }
}

impl From<SpillError> for io::Error {
    fn from(e: SpillError) -> Self {
        e.0
    }
}

/// A record a [`Sorter`] can write to a run and read back.
pub(super) trait Record: Sized + Send {
    fn encode(&self, out: &mut Enc);
    /// `None` when the bytes are not a record (a damaged run).
    fn decode(d: &mut Dec) -> Option<Self>;
    /// About how many bytes the record holds in memory.
    fn weight(&self) -> usize;
}

/// The order of a sort: a plain function, so that a [`Sorted`] is `Send` and cheap.
pub(super) type Order<R> = fn(&R, &R) -> Ordering;

/// Records in, sorted runs out.
pub(super) struct Sorter<R> {
    budget: usize,
    order: Order<R>,
    held: Vec<R>,
    weight: usize,
    runs: Vec<PathBuf>,
    dir: Option<tempfile::TempDir>,
}

/// Bytes written per record before its length, in a run.
const LEN: usize = 4;

impl<R: Record> Sorter<R> {
    /// A sorter that writes a run whenever the records held weigh more than `budget` bytes.
    pub(super) fn new(budget: usize, order: Order<R>) -> Self {
        Sorter {
            budget: budget.max(1),
            order,
            held: Vec::new(),
            weight: 0,
            runs: Vec::new(),
            dir: None,
        }
    }

    pub(super) fn push(&mut self, r: R) -> io::Result<()> {
        self.weight += r.weight();
        self.held.push(r);
        if self.weight > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Sorts the records held and writes them as one run.
    fn spill(&mut self) -> io::Result<()> {
        let order = self.order;
        self.held.par_sort_by(order);
        let dir = match &self.dir {
            Some(d) => d,
            None => self
                .dir
                .insert(tempfile::Builder::new().prefix("claimdex-sort-").tempdir()?),
        };
        let path = dir.path().join(format!("run-{}", self.runs.len()));
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let mut enc = Enc(Vec::with_capacity(4096));
        for r in self.held.drain(..) {
            enc.0.clear();
            r.encode(&mut enc);
            let len = u32::try_from(enc.0.len()).map_err(io::Error::other)?;
            w.write_all(&len.to_le_bytes())?;
            w.write_all(&enc.0)?;
        }
        w.flush()?;
        // The room stays for the next run: it fills again to the budget.
        self.weight = 0;
        self.runs.push(path);
        Ok(())
    }

    /// Every record pushed, sorted.
    pub(super) fn finish(mut self) -> io::Result<Sorted<R>> {
        if !self.runs.is_empty() {
            if !self.held.is_empty() {
                self.spill()?;
            }
            self.held = Vec::new();
        }
        let order = self.order;
        self.held.par_sort_by(order);
        Ok(Sorted {
            order,
            held: self.held,
            runs: self.runs,
            _dir: self.dir,
        })
    }
}

/// Records sorted: held, or in runs on disk merged as they are read.
pub(super) struct Sorted<R> {
    order: Order<R>,
    held: Vec<R>,
    runs: Vec<PathBuf>,
    _dir: Option<tempfile::TempDir>,
}

impl<R: Record> Sorted<R> {
    /// Whether any record was written to disk.
    pub(super) fn spilled(&self) -> bool {
        !self.runs.is_empty()
    }

    /// The records held, when none was written to disk.
    pub(super) fn held(&self) -> &[R] {
        &self.held
    }

    /// The records held, to change in place (they stay in their order).
    pub(super) fn held_mut(&mut self) -> &mut Vec<R> {
        &mut self.held
    }

    /// Calls `f` with each record written to disk, in order (none unless [`Sorted::spilled`]).
    pub(super) fn each_spilled<E: From<SpillError>>(&self, mut f: impl FnMut(R) -> Result<(), E>) -> Result<(), E> {
        let spill = |e: io::Error| E::from(SpillError(e));
        let mut readers = Vec::with_capacity(self.runs.len());
        for p in &self.runs {
            readers.push(RunReader::open(p).map_err(spill)?);
        }
        let mut heap = BinaryHeap::new();
        for (i, rd) in readers.iter_mut().enumerate() {
            if let Some(r) = rd.next().map_err(spill)? {
                heap.push(Head {
                    r,
                    run: i,
                    order: self.order,
                });
            }
        }
        while let Some(Head { r, run, .. }) = heap.pop() {
            if let Some(next) = readers[run].next().map_err(spill)? {
                heap.push(Head {
                    r: next,
                    run,
                    order: self.order,
                });
            }
            f(r)?;
        }
        Ok(())
    }

    /// Calls `f` with every record, in order, letting each go.
    pub(super) fn into_each<E: From<SpillError>>(mut self, mut f: impl FnMut(R) -> Result<(), E>) -> Result<(), E> {
        for r in std::mem::take(&mut self.held) {
            f(r)?;
        }
        self.each_spilled(f)
    }
}

/// A run's next record in the merge: the least first, ties by run (the order pushed).
struct Head<R> {
    r: R,
    run: usize,
    order: Order<R>,
}

impl<R> PartialEq for Head<R> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl<R> Eq for Head<R> {}
impl<R> PartialOrd for Head<R> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<R> Ord for Head<R> {
    /// Reversed: `BinaryHeap` pops the greatest.
    fn cmp(&self, o: &Self) -> Ordering {
        (self.order)(&o.r, &self.r).then(o.run.cmp(&self.run))
    }
}

/// Reads a run's records back one at a time.
struct RunReader {
    r: BufReader<File>,
    buf: Vec<u8>,
}

impl RunReader {
    fn open(p: &PathBuf) -> io::Result<Self> {
        Ok(RunReader {
            r: BufReader::with_capacity(1 << 18, File::open(p)?),
            buf: Vec::new(),
        })
    }

    fn next<R: Record>(&mut self) -> io::Result<Option<R>> {
        let mut len = [0u8; LEN];
        match self.r.read_exact(&mut len) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            other => other?,
        }
        self.buf.resize(u32::from_le_bytes(len) as usize, 0);
        self.r.read_exact(&mut self.buf)?;
        let mut d = Dec(&self.buf);
        R::decode(&mut d)
            .map(Some)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a sort run is damaged"))
    }
}

/// A record's bytes as a run file holds them (without their length): for records that
/// travel as lines between commands ([`super::stages`]).
pub(super) fn to_bytes<R: Record>(r: &R) -> Vec<u8> {
    let mut e = Enc(Vec::new());
    r.encode(&mut e);
    e.0
}

/// The record of [`to_bytes`]; `None` when the bytes are not one whole record.
pub(super) fn from_bytes<R: Record>(bytes: &[u8]) -> Option<R> {
    let mut d = Dec(bytes);
    let r = R::decode(&mut d)?;
    d.0.is_empty().then_some(r)
}

/// Writes a record's fields.
pub(super) struct Enc(Vec<u8>);

impl Enc {
    pub(super) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(super) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }
    pub(super) fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    pub(super) fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(super) fn opt<T: ?Sized>(&mut self, v: Option<&T>, f: impl FnOnce(&mut Self, &T)) {
        self.u8(u8::from(v.is_some()));
        if let Some(v) = v {
            f(self, v);
        }
    }
    pub(super) fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.usize(items.len());
        for i in items {
            f(self, i);
        }
    }
}

/// Reads a record's fields back; `None` past the end or on bytes no field can be.
pub(super) struct Dec<'a>(&'a [u8]);

impl Dec<'_> {
    pub(super) fn u8(&mut self) -> Option<u8> {
        let (&v, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(v)
    }
    pub(super) fn u64(&mut self) -> Option<u64> {
        let (head, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        Some(u64::from_le_bytes(*head))
    }
    pub(super) fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    pub(super) fn f64(&mut self) -> Option<f64> {
        self.u64().map(f64::from_bits)
    }
    pub(super) fn str(&mut self) -> Option<&str> {
        let n = self.usize()?;
        let (s, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        std::str::from_utf8(s).ok()
    }
    pub(super) fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            _ => f(self).map(Some),
        }
    }
    pub(super) fn list<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.usize()?;
        // A damaged length must not reserve gigabytes: each item takes a byte at least.
        let mut out = Vec::with_capacity(n.min(self.0.len()));
        for _ in 0..n {
            out.push(f(self)?);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Pair(u64, String);

    impl Record for Pair {
        fn encode(&self, e: &mut Enc) {
            e.u64(self.0);
            e.str(&self.1);
        }
        fn decode(d: &mut Dec) -> Option<Self> {
            Some(Pair(d.u64()?, d.str()?.to_string()))
        }
        fn weight(&self) -> usize {
            8 + self.1.len()
        }
    }

    fn sorted(budget: usize, items: &[Pair]) -> (bool, Vec<Pair>) {
        let mut s = Sorter::new(budget, |a: &Pair, b: &Pair| a.0.cmp(&b.0));
        for p in items {
            s.push(p.clone()).unwrap();
        }
        let done = s.finish().unwrap();
        let spilled = done.spilled();
        let mut out = Vec::new();
        done.into_each(|p| {
            out.push(p);
            Ok::<_, SpillError>(())
        })
        .unwrap();
        (spilled, out)
    }

    #[test]
    fn spilled_runs_merge_to_the_stable_sort_of_what_was_pushed() {
        let mut x: u64 = 11;
        let items: Vec<Pair> = (0..5000)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                Pair((x >> 33) % 97, format!("item {i}"))
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|p| p.0);
        let (spilled, in_memory) = sorted(usize::MAX, &items);
        assert!(!spilled);
        assert_eq!(in_memory, expected);
        let (spilled, merged) = sorted(2000, &items);
        assert!(spilled);
        assert_eq!(merged, expected);
    }

    #[test]
    fn a_damaged_record_is_refused_not_read() {
        let mut e = Enc(Vec::new());
        e.str("hello");
        let bytes = &e.0[..e.0.len() - 1];
        assert_eq!(Dec(bytes).str(), None);
        assert_eq!(Dec(&[0xff; 8]).list(|d| d.u8()), None);
    }
}
