//! records: the claims and keyed claims as the report's sorts write them to disk
//! ([`super::spill`]), and the orders they are sorted in.

use std::cmp::Ordering;
use std::sync::Arc;

use super::key::{Key, Keyed};
use super::spill::{Dec, Enc, Record};
use crate::model::{Article, Change, Direction, Kind, Measure, Qualifier, SharedClaim, Source, Status};

const QUALIFIERS: [Qualifier; 6] = [
    Qualifier::Exact,
    Qualifier::Approx,
    Qualifier::UpTo,
    Qualifier::AtLeast,
    Qualifier::MoreThan,
    Qualifier::LessThan,
];
const DIRECTIONS: [Direction; 2] = [Direction::Up, Direction::Down];
const STATUSES: [Status; 5] = [
    Status::Actual,
    Status::Estimate,
    Status::Guidance,
    Status::Forecast,
    Status::Target,
];
const CHANGES: [Change; 3] = [Change::Yoy, Change::Sequential, Change::Since];

/// The position of `v` in `all` (every enum here is listed whole).
fn index_of<T: PartialEq>(all: &[T], v: &T) -> u8 {
    all.iter()
        .position(|x| x == v)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

fn nth<T: Copy>(all: &[T], d: &mut Dec) -> Option<T> {
    all.get(usize::from(d.u8()?)).copied()
}

fn arc(d: &mut Dec) -> Option<Arc<str>> {
    d.str().map(Arc::from)
}

fn opt_arc(d: &mut Dec) -> Option<Option<Arc<str>>> {
    d.opt(arc)
}

fn put_opt(e: &mut Enc, s: Option<&str>) {
    e.opt(s, |e, s| e.str(s));
}

fn encode_measure(e: &mut Enc, m: &Measure) {
    put_opt(e, m.head.as_deref());
    e.list(&m.scope, |e, s| e.str(s));
    e.opt(m.change.as_ref(), |e, c| e.u8(index_of(&CHANGES, c)));
    put_opt(e, m.per.as_deref());
    e.u8(index_of(&STATUSES, &m.status));
    put_opt(e, m.by.as_deref());
}

fn decode_measure(d: &mut Dec) -> Option<Measure> {
    let owned = |d: &mut Dec| d.str().map(String::from);
    Some(Measure {
        head: d.opt(owned)?,
        scope: d.list(owned)?,
        change: d.opt(|d| nth(&CHANGES, d))?,
        per: d.opt(owned)?,
        status: nth(&STATUSES, d)?,
        by: d.opt(owned)?,
    })
}

fn encode_source(e: &mut Enc, s: &Source) {
    e.u64(u64::from(s.n));
    e.str(&s.title);
    put_opt(e, s.date.as_deref());
}

fn decode_source(d: &mut Dec) -> Option<Source> {
    Some(Source {
        n: u32::try_from(d.u64()?).ok()?,
        title: d.str()?.to_string(),
        date: d.opt(|d| d.str().map(String::from))?,
    })
}

/// A claim as sorted by path: its article is written as its path alone (the article is
/// looked up again when the claim is read back).
impl Record for SharedClaim {
    fn encode(&self, e: &mut Enc) {
        e.str(&self.article.path);
        e.u8(index_of(&Kind::ALL, &self.kind));
        e.u8(index_of(&QUALIFIERS, &self.qualifier));
        e.opt(self.direction.as_ref(), |e, v| e.u8(index_of(&DIRECTIONS, v)));
        e.str(&self.text);
        for n in [self.line, self.start, self.end] {
            e.usize(n);
        }
        e.f64(self.value);
        e.opt(self.value_max.as_ref(), |e, v| e.f64(*v));
        e.str(&self.unit);
        for s in [&self.period, &self.subject] {
            put_opt(e, s.as_deref());
        }
        e.list(&self.entities, |e, s| e.str(s));
        for s in [&self.metric, &self.noun] {
            put_opt(e, s.as_deref());
        }
        encode_measure(e, &self.measure);
        e.str(&self.sentence);
        e.list(&self.cited, encode_source);
    }

    fn decode(d: &mut Dec) -> Option<Self> {
        let path = arc(d)?;
        Some(SharedClaim {
            article: Arc::new(Article {
                path,
                title: None,
                published: None,
                publisher: None,
                url: None,
            }),
            kind: nth(&Kind::ALL, d)?,
            qualifier: nth(&QUALIFIERS, d)?,
            direction: d.opt(|d| nth(&DIRECTIONS, d))?,
            text: arc(d)?,
            line: d.usize()?,
            start: d.usize()?,
            end: d.usize()?,
            value: d.f64()?,
            value_max: d.opt(Dec::f64)?,
            unit: arc(d)?,
            period: opt_arc(d)?,
            subject: opt_arc(d)?,
            entities: d.list(arc)?.into(),
            metric: opt_arc(d)?,
            noun: opt_arc(d)?,
            measure: Arc::new(decode_measure(d)?),
            sentence: arc(d)?,
            cited: d.list(decode_source)?.into(),
        })
    }

    fn weight(&self) -> usize {
        // Each string, list and struct read back is an allocation of its own, with its
        // allocator's rounding and the Arc's counts: about 48 bytes besides its bytes.
        const EACH: usize = 48;
        let strs = [&self.text, &self.unit, &self.sentence, &self.article.path];
        let opts = [&self.period, &self.subject, &self.metric, &self.noun];
        let m = &self.measure;
        let measure = [&m.head, &m.per, &m.by];
        let measure = measure.iter().map(|s| s.as_ref().map_or(0, |s| s.len() + EACH));
        let lens = strs.iter().map(|s| s.len() + EACH).sum::<usize>()
            + opts
                .iter()
                .map(|s| s.as_ref().map_or(0, |s| s.len() + EACH))
                .sum::<usize>()
            + self.entities.iter().map(|e| e.len() + EACH).sum::<usize>()
            + m.scope.iter().map(|w| w.len() + EACH).sum::<usize>()
            + measure.sum::<usize>()
            + self.cited.iter().map(|c| c.title.len() + 2 * EACH).sum::<usize>();
        std::mem::size_of::<Self>() + std::mem::size_of::<Article>() + std::mem::size_of::<Measure>() + 4 * EACH + lens
    }
}

/// Claims in the order the index lists them: by path, then position in the file.
pub(super) fn by_path(a: &SharedClaim, b: &SharedClaim) -> Ordering {
    (&a.article.path, a.start, a.end, a.kind).cmp(&(&b.article.path, b.start, b.end, b.kind))
}

/// A claim keyed, as the sort by key holds it: the key, the order it was keyed in, what
/// [`Keyed`] says beside the claim, and the claim as the report judges it.
pub(super) struct KeyedClaim {
    pub(super) key: Key,
    pub(super) seq: u64,
    pub(super) subject: Arc<str>,
    scope: Option<Arc<str>>,
    label: Option<Arc<str>>,
    symmetric: bool,
    relational: bool,
    pub(super) claim: SharedClaim,
}

impl KeyedClaim {
    pub(super) fn new(key: Key, k: &Keyed, claim: SharedClaim, seq: u64) -> Self {
        KeyedClaim {
            key,
            seq,
            subject: k.subject.clone(),
            scope: k.scope.clone(),
            label: k.label.clone(),
            symmetric: k.symmetric,
            relational: k.relational,
            claim,
        }
    }

    pub(super) fn keyed(&self) -> Keyed<'_> {
        Keyed {
            ic: &self.claim,
            subject: self.subject.clone(),
            scope: self.scope.clone(),
            label: self.label.clone(),
            symmetric: self.symmetric,
            relational: self.relational,
        }
    }

    /// By key, then in the order keyed.
    pub(super) fn by_key(a: &Self, b: &Self) -> Ordering {
        a.key.cmp(&b.key).then(a.seq.cmp(&b.seq))
    }

    /// In the order keyed.
    pub(super) fn by_seq(a: &Self, b: &Self) -> Ordering {
        a.seq.cmp(&b.seq)
    }
}

/// A keyed claim's article is written whole: its claims are read back by key, not by
/// article.
impl Record for KeyedClaim {
    fn encode(&self, e: &mut Enc) {
        let k = &self.key;
        for s in [&k.metric, &k.unit, &k.first] {
            e.str(s);
        }
        for s in [&k.noun, &k.second] {
            put_opt(e, s.as_deref());
        }
        e.u64(self.seq);
        e.str(&self.subject);
        for s in [&self.scope, &self.label] {
            put_opt(e, s.as_deref());
        }
        e.u8(u8::from(self.symmetric) | u8::from(self.relational) << 1);
        let a = &self.claim.article;
        for s in [&a.title, &a.published, &a.publisher, &a.url] {
            put_opt(e, s.as_deref());
        }
        self.claim.encode(e);
    }

    fn decode(d: &mut Dec) -> Option<Self> {
        let (metric, unit, first) = (arc(d)?, arc(d)?, arc(d)?);
        let key = Key {
            metric,
            unit,
            first,
            noun: opt_arc(d)?,
            second: opt_arc(d)?,
        };
        let (seq, subject, scope, label) = (d.u64()?, arc(d)?, opt_arc(d)?, opt_arc(d)?);
        let flags = d.u8()?;
        let (title, published, publisher, url) = (opt_arc(d)?, opt_arc(d)?, opt_arc(d)?, opt_arc(d)?);
        let mut claim = SharedClaim::decode(d)?;
        claim.article = Arc::new(Article {
            path: claim.article.path.clone(),
            title,
            published,
            publisher,
            url,
        });
        Some(KeyedClaim {
            key,
            seq,
            subject,
            scope,
            label,
            symmetric: flags & 1 != 0,
            relational: flags & 2 != 0,
            claim,
        })
    }

    fn weight(&self) -> usize {
        let k = &self.key;
        let keys = [&k.metric, &k.unit, &k.first, &self.subject]
            .iter()
            .map(|s| s.len() + 48)
            .sum::<usize>();
        self.claim.weight() + std::mem::size_of::<Self>() + keys + 4 * 48
    }
}
