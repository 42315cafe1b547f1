//! `--min` and `--max`: the value bounds of a search, checked against the fast fields.
//!
//! A claim's value is `value`; its top is `value_max` when it is a range, else `value`.
//! `value_max` is a fast field only where a claim is a range, so the index holds one
//! value column for every claim and a sparse one for the few ranges, not two full ones.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FastFieldReaders;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, f64_to_u64};

/// `value` at least `min` and the top at most `max`, in tantivy's order-keeping u64
/// mapping of an f64.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bounds {
    pub(crate) min: Option<u64>,
    pub(crate) max: Option<u64>,
}

impl Bounds {
    pub(crate) fn new(min: Option<f64>, max: Option<f64>) -> Bounds {
        Bounds {
            min: min.map(f64_to_u64),
            max: max.map(f64_to_u64),
        }
    }

    fn any(self) -> bool {
        self.min.is_some() || self.max.is_some()
    }

    /// What a segment's records are checked with: `Some(None)` when nothing is bounded,
    /// `None` when a bound is asked and no record of the segment has a value (none can
    /// match).
    pub(crate) fn columns(self, ff: &FastFieldReaders) -> tantivy::Result<Option<Option<BoundColumns>>> {
        if !self.any() {
            return Ok(Some(None));
        }
        let Some((values, _)) = ff.u64_lenient("value")? else {
            return Ok(None);
        };
        let tops = match self.max {
            Some(_) => ff.u64_lenient("value_max")?.map(|(c, _)| c),
            None => None,
        };
        Ok(Some(Some(BoundColumns {
            bounds: self,
            values,
            tops,
        })))
    }
}

/// The columns of one segment that [`Bounds`] are checked against.
pub(crate) struct BoundColumns {
    bounds: Bounds,
    values: Column<u64>,
    /// `value_max`; `None` when no record of the segment is a range.
    tops: Option<Column<u64>>,
}

impl BoundColumns {
    /// Whether `doc` has a value at least the minimum and a top at most the maximum.
    pub(crate) fn within(&self, doc: DocId) -> bool {
        let Some(value) = self.values.first(doc) else {
            return false;
        };
        let top = || self.tops.as_ref().and_then(|t| t.first(doc)).unwrap_or(value);
        self.bounds.min.is_none_or(|min| value >= min) && self.bounds.max.is_none_or(|max| top() <= max)
    }
}

/// Counts the matches within [`Bounds`].
pub(crate) struct CountWithin(pub(crate) Bounds);

/// [`CountWithin`] in one segment.
pub(crate) struct SegmentCountWithin {
    columns: Option<Option<BoundColumns>>,
    n: usize,
}

impl Collector for CountWithin {
    type Fruit = usize;
    type Child = SegmentCountWithin;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCountWithin> {
        Ok(SegmentCountWithin {
            columns: self.0.columns(reader.fast_fields())?,
            n: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, counts: Vec<usize>) -> tantivy::Result<usize> {
        Ok(counts.into_iter().sum())
    }
}

impl SegmentCollector for SegmentCountWithin {
    type Fruit = usize;

    fn collect(&mut self, doc: DocId, _: Score) {
        let counted = match &self.columns {
            None => false,
            Some(None) => true,
            Some(Some(c)) => c.within(doc),
        };
        self.n += usize::from(counted);
    }

    fn harvest(self) -> usize {
        self.n
    }
}
