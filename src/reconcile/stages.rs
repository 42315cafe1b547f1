//! stages: the conflict report cut into commands that run apart, so that an engine such
//! as Apache Spark can move the records between them (`scale/claimdex_spark.py
//! conflicts`) while every rule stays claimdex's:
//!
//! 1. `reconcile memo PART...`: what keying knows of the whole corpus ([`CorpusMemo`]),
//!    from the articles `claimdex extract` wrote;
//! 2. `reconcile key --memo M`: one part's claims keyed, a line each ([`key_part`]);
//! 3. `reconcile attach --named N`: a relational claim that names no counterpart joined to
//!    the one named key its subject and metric have ([`attach`]);
//! 4. `reconcile judge --memo M`: keyed claims sorted by key and order in, every claim of
//!    a key in the same judge, each key's groups out as JSON lines, in key order ([`judge`]);
//! 5. `report --from`: the groups of every judge, in report order.
//!
//! Keying and judging are the functions `conflicts` runs, fed the same claims in the same
//! order, so the report is the same, byte for byte. A keyed claim is a line of four
//! tab-separated fields: its tag (`k` keyed, `w` waiting for `attach`), its key as text
//! whose byte order is the key's order ([`key_text`]), its order (its article's path as
//! such text, then its place among the article's keyed claims), and the claim record the
//! report's disk sort writes, in base64. A named key is a line `n KEY SYMMETRIC(0|1)`.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as BASE64;
use serde::{Deserialize, Serialize};

use super::key::{Key, Named, key_article};
use super::memo::{ArticleNote, Corpus, Memo};
use super::passes::{ClaimSort, judge_key};
use super::records::{KeyedClaim, by_path};
use super::spill::{from_bytes, to_bytes};
use super::{Options, claims_from_documents};
use crate::error::{Error, Result};
use crate::index::reader::Articles;
use crate::model::{Claim, Document, Interner, Measure, SharedClaim};

/// What the stages after `reconcile memo` know of the corpus: the memo of its claims, and
/// the articles left out as copies of another's content (of the paths with one content,
/// all but the least).
#[derive(Default, Serialize, Deserialize)]
pub struct CorpusMemo {
    copies: BTreeSet<String>,
    memo: Memo,
}

impl CorpusMemo {
    /// The memo of the articles in `parts` (files of `claimdex extract` JSON Lines, in any
    /// order), its claims sorted on disk past `budget` bytes.
    pub fn of_parts(parts: &[PathBuf], opts: &Options, budget: usize) -> Result<Self> {
        let mut sort = ClaimSort::new(budget, opts);
        let mut articles = Articles::default();
        let mut least: HashMap<String, String> = HashMap::new();
        let mut copies = BTreeSet::new();
        for part in parts {
            each_document(open(part)?, part, |doc| {
                note_copy(&mut least, &mut copies, &doc.path, &doc.hash).map_err(|reason| bad(part, None, &reason))?;
                let claims = keyed_claims(&doc);
                if let Some(c) = claims.first() {
                    articles.insert(c.article.path.clone(), c.article.clone());
                }
                sort.push(claims)
            })?;
        }
        let memo = sort.into_memo(articles, copies.iter().cloned().collect())?;
        Ok(CorpusMemo { copies, memo })
    }

    /// The memo a file of [`CorpusMemo::write`] holds.
    pub fn read(path: &Path) -> Result<Self> {
        read_json(path, "a memo of `claimdex reconcile memo`")
    }

    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        write_json(self, out)
    }
}

impl CorpusMemo {
    /// The memo of the notes of every part (files of [`notes`], each in path order), `first`
    /// the settled survey they were noted with: the notes are read merged in path order.
    pub fn of_notes(first: CorpusMemo, parts: &[PathBuf]) -> Result<Self> {
        let CorpusMemo { copies, mut memo } = first;
        let mut corpus = Corpus::default();
        each_note_in_path_order(parts, |note| {
            memo.add_note(&mut corpus, note);
            Ok(())
        })?;
        memo.settle(corpus);
        Ok(CorpusMemo { copies, memo })
    }
}

/// The notes of every file, merged in path order (each file is); a file out of order or a
/// path in two fails, named.
fn each_note_in_path_order(parts: &[PathBuf], mut f: impl FnMut(ArticleNote) -> Result<()>) -> Result<()> {
    let mut readers = Vec::with_capacity(parts.len());
    let mut heap = BinaryHeap::new();
    for (i, part) in parts.iter().enumerate() {
        let mut lines = JsonLines::new(open(part)?, part, "a note of `claimdex reconcile notes`");
        if let Some(note) = lines.next_record::<ArticleNote>()? {
            heap.push(Reverse((note.path.clone(), i, Pending(note))));
        }
        readers.push(lines);
    }
    let mut last: Option<std::sync::Arc<str>> = None;
    while let Some(Reverse((path, i, Pending(note)))) = heap.pop() {
        if last.as_ref().is_some_and(|l| *l >= path) {
            return Err(bad(
                &parts[i],
                None,
                &format!("{path} is out of path order or in two files of notes"),
            ));
        }
        if let Some(next) = readers[i].next_record::<ArticleNote>()? {
            heap.push(Reverse((next.path.clone(), i, Pending(next))));
        }
        f(note)?;
        last = Some(path);
    }
    Ok(())
}

/// A note waiting in the merge, ordered by the path and file beside it only.
struct Pending(ArticleNote);

impl PartialEq for Pending {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// The records of a JSON Lines file of a stage, one a line, read as asked for (blank
/// lines skipped); a line that is not one (`what`) fails, named with the file and line.
struct JsonLines<R> {
    lines: std::io::Lines<R>,
    name: PathBuf,
    what: &'static str,
    line: usize,
}

impl<R: BufRead> JsonLines<R> {
    fn new(input: R, name: &Path, what: &'static str) -> Self {
        JsonLines {
            lines: input.lines(),
            name: name.into(),
            what,
            line: 0,
        }
    }

    fn next_record<T: serde::de::DeserializeOwned>(&mut self) -> Result<Option<T>> {
        for line in self.lines.by_ref() {
            self.line += 1;
            let line = line.map_err(|source| Error::Io {
                path: self.name.clone(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let record = serde_json::from_str(&line)
                .map_err(|e| bad(&self.name, Some(self.line), &format!("not {}: {e}", self.what)))?;
            return Ok(Some(record));
        }
        Ok(None)
    }
}

/// Notes an article's content: of the paths with one content, every one but the least is
/// a copy.
fn note_copy(
    least: &mut HashMap<String, String>,
    copies: &mut BTreeSet<String>,
    path: &str,
    hash: &str,
) -> std::result::Result<(), String> {
    let Some(first) = least.get_mut(hash) else {
        least.insert(hash.to_string(), path.to_string());
        return Ok(());
    };
    if first == path || copies.contains(path) {
        return Err(format!("{path} is listed twice"));
    }
    if path < first.as_str() {
        copies.insert(std::mem::replace(first, path.to_string()));
    } else {
        copies.insert(path.to_string());
    }
    Ok(())
}

/// The memo's first pass over some parts (`reconcile survey`, one per part where the part
/// is): what the alias and metric tables say of the names, metrics and nouns their claims
/// use, and each article's content. The surveys of every part merge into one
/// ([`Survey::merge`]); each part's articles are then noted apart ([`notes`]) and the
/// memo is made of the notes ([`CorpusMemo::of_notes`]), the same memo as
/// [`CorpusMemo::of_parts`] makes in one process.
#[derive(Default, Serialize, Deserialize)]
pub struct Survey {
    /// Each article's path and content hash, written by path.
    #[serde(serialize_with = "in_order")]
    documents: Vec<(String, String)>,
    memo: Memo,
}

impl Survey {
    /// Surveys the articles of one part (`claimdex extract` JSON Lines).
    pub fn add_part(&mut self, input: impl BufRead, name: &Path, opts: &Options) -> Result<()> {
        each_document(input, name, |doc| {
            for c in keyed_claims(&doc) {
                self.memo.note_claim(&c, &opts.aliases);
            }
            self.documents.push((doc.path, doc.hash));
            Ok(())
        })
    }

    /// Surveys the articles of the part in the file `path`.
    pub fn add_file(&mut self, path: &Path, opts: &Options) -> Result<()> {
        self.add_part(open(path)?, path, opts)
    }

    /// Adds another survey's articles and names to this one's.
    pub fn merge(&mut self, other: Survey) {
        self.documents.extend(other.documents);
        self.memo.absorb_first_pass(other.memo);
    }

    pub fn read(path: &Path) -> Result<Self> {
        read_json(path, "a survey of `claimdex reconcile survey`")
    }

    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        write_json(self, out)
    }

    /// The first pass as the second reads it (names with a title folded) and the copies;
    /// an article listed twice fails, named with the survey `name`.
    pub fn settled(self, name: &Path) -> Result<CorpusMemo> {
        let (mut least, mut copies) = (HashMap::new(), BTreeSet::new());
        for (path, hash) in &self.documents {
            note_copy(&mut least, &mut copies, path, hash).map_err(|reason| bad(name, None, &reason))?;
        }
        let mut memo = self.memo;
        memo.fold_titles();
        Ok(CorpusMemo { copies, memo })
    }
}

fn in_order<S: serde::Serializer>(pairs: &[(String, String)], s: S) -> std::result::Result<S::Ok, S::Error> {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort_unstable();
    sorted.serialize(s)
}

/// Notes each article of one part (`claimdex extract` JSON Lines) that is not a copy on
/// its own ([`Memo::article_note`]), `first` the settled survey of every part: a JSON line
/// each, in path order.
pub fn notes(first: &CorpusMemo, input: impl BufRead, name: &Path, out: &mut dyn Write) -> Result<()> {
    let mut notes = Vec::new();
    each_document(input, name, |doc| {
        if !first.copies.contains(&doc.path) {
            notes.extend(first.memo.article_note(&keyed_claims(&doc)));
        }
        Ok(())
    })?;
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    for n in &notes {
        serde_json::to_writer(&mut *out, n).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
    }
    Ok(())
}

/// Keys the articles of one part (`claimdex extract` JSON Lines) and writes their keyed
/// claims, a line each; returns the lines of the named keys among them, in order.
pub fn key_part(
    memo: &CorpusMemo,
    input: impl BufRead,
    name: &Path,
    opts: &Options,
    out: &mut dyn Write,
) -> Result<Vec<String>> {
    let mut named: BTreeSet<(String, bool)> = BTreeSet::new();
    each_document(input, name, |doc| {
        if memo.copies.contains(&doc.path) {
            return Ok(());
        }
        let claims = keyed_claims(&doc);
        let article = text(&doc.path);
        for (i, (key, k)) in key_article(&claims, &opts.aliases, &memo.memo).into_iter().enumerate() {
            if Named::names(&key, &k) {
                named.insert((key_text(&key), k.symmetric));
            }
            let tag = if Named::waits(&key, &k) { "w" } else { "k" };
            let judged = memo.memo.redated(k.ic).unwrap_or_else(|| k.ic.clone());
            let kc = KeyedClaim::new(key, &k, judged, 0);
            write_keyed(out, tag, &kc, &format!("{article}{i:016x}"))?;
        }
        Ok(())
    })?;
    let line = |(key, symmetric): (String, bool)| format!("n\t{key}\t{}", u8::from(symmetric));
    Ok(named.into_iter().map(line).collect())
}

/// Joins each waiting claim of `input` (lines of [`key_part`]) to the named key it takes
/// by the named keys of every part (the file `named`); keyed claims pass as they are,
/// named keys are left out.
pub fn attach(named: &Path, input: impl BufRead, name: &Path, out: &mut dyn Write) -> Result<()> {
    let mut keys = Named::default();
    each_line(open(named)?, named, |fields| match fields {
        ["n", key, symmetric @ ("0" | "1")] => {
            keys.note_named(&key_of(key).ok_or("a damaged key")?, *symmetric == "1");
            Ok(())
        }
        _ => Err("not a named key of `claimdex reconcile key`"),
    })?;
    each_line(input, name, |fields| match fields {
        ["k", ..] => {
            let line = fields.join("\t");
            writeln!(out, "{line}").map_err(|_| "cannot write")
        }
        ["w", _, order, record] => {
            let mut kc: KeyedClaim = record_of(record).ok_or("a damaged claim record")?;
            if let Some(key) = keys.attach(&kc.key, &kc.subject, kc.claim.article.title.as_deref()) {
                kc.key = key.clone();
            }
            write_keyed(out, "k", &kc, order).map_err(|_| "cannot write")
        }
        ["n", ..] => Ok(()),
        _ => Err("not a line of `claimdex reconcile key`"),
    })
}

/// Judges the keyed claims of `input` (lines of [`attach`], sorted by key, then order) and
/// writes each key's groups, one JSON object a line, in key order.
pub fn judge(memo: &CorpusMemo, input: impl BufRead, name: &Path, opts: &Options, out: &mut dyn Write) -> Result<()> {
    let parties = memo.memo.parties();
    let mut group: Vec<KeyedClaim> = Vec::new();
    let mut last: Option<(String, String)> = None;
    let mut flush = |group: &mut Vec<KeyedClaim>| -> std::io::Result<()> {
        if group.is_empty() {
            return Ok(());
        }
        for d in judge_key(group, &parties, opts) {
            serde_json::to_writer(&mut *out, &d)?;
            writeln!(out)?;
        }
        group.clear();
        Ok(())
    };
    each_line(input, name, |fields| {
        let ["k", key, order, record] = fields else {
            return Err("not a keyed claim of `claimdex reconcile attach`");
        };
        let here = (key.to_string(), order.to_string());
        match &last {
            Some(before) if *before > here => return Err("out of order: sort the lines by key, then order"),
            Some(before) if before.0 != here.0 => flush(&mut group).map_err(|_| "cannot write")?,
            _ => {}
        }
        group.push(record_of(record).ok_or("a damaged claim record")?);
        last = Some(here);
        Ok(())
    })?;
    flush(&mut group).map_err(Error::stdout)
}

/// The claims of `doc` that the report keys (those that say what they measure: what the
/// index reads for it), with their sources, in index order.
fn keyed_claims(doc: &Document) -> Vec<SharedClaim> {
    let mut interner = Interner::default();
    let mut claims: Vec<SharedClaim> = claims_from_documents(std::slice::from_ref(doc))
        .iter()
        .filter(|c| is_keyed(&c.claim))
        .map(|c| interner.claim(c))
        .collect();
    claims.sort_by(by_path);
    claims
}

/// Whether a claim says what it measures, by a metric or a measure: one the report reads.
fn is_keyed(c: &Claim) -> bool {
    c.metric.is_some() || c.measure != Measure::default()
}

fn write_keyed(out: &mut dyn Write, tag: &str, kc: &KeyedClaim, order: &str) -> Result<()> {
    let record = BASE64.encode(to_bytes(kc));
    writeln!(out, "{tag}\t{}\t{order}\t{record}", key_text(&kc.key)).map_err(Error::stdout)
}

fn record_of(field: &str) -> Option<KeyedClaim> {
    from_bytes(&BASE64.decode(field).ok()?)
}

/// A key as text whose byte order is the key's order: each name as the hex of its bytes
/// and a `.`, a name that is not there as `-` (both sort before any hex digit).
pub(super) fn key_text(k: &Key) -> String {
    let names = [
        Some(&*k.metric),
        Some(&*k.unit),
        k.noun.as_deref(),
        Some(&*k.first),
        k.second.as_deref(),
    ];
    names.iter().map(|n| n.map_or_else(|| "-".to_string(), text)).collect()
}

/// The key [`key_text`] wrote.
fn key_of(mut s: &str) -> Option<Key> {
    let mut names: Vec<Option<std::sync::Arc<str>>> = Vec::with_capacity(5);
    for optional in [false, false, true, false, true] {
        if optional && let Some(rest) = s.strip_prefix('-') {
            names.push(None);
            s = rest;
            continue;
        }
        let (hex, rest) = s.split_once('.')?;
        names.push(Some(from_hex(hex)?.into()));
        s = rest;
    }
    let [Some(metric), Some(unit), noun, Some(first), second] = <[_; 5]>::try_from(names).ok()? else {
        return None;
    };
    s.is_empty().then_some(Key {
        metric,
        unit,
        noun,
        first,
        second,
    })
}

/// `name` as the hex of its bytes and a `.`: text that sorts as the names do.
fn text(name: &str) -> String {
    let mut s: String = name.bytes().map(|b| format!("{b:02x}")).collect();
    s.push('.');
    s
}

fn from_hex(hex: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = hex
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// Each document of `claimdex extract` JSON Lines; a line that is not one fails, named.
fn each_document(input: impl BufRead, name: &Path, mut f: impl FnMut(Document) -> Result<()>) -> Result<()> {
    let mut lines = JsonLines::new(input, name, "an article of `claimdex extract`");
    while let Some(doc) = lines.next_record()? {
        f(doc)?;
    }
    Ok(())
}

/// Each line's tab-separated fields to `f`; what `f` finds wrong fails, named with the line.
fn each_line(
    input: impl BufRead,
    name: &Path,
    mut f: impl FnMut(&[&str]) -> std::result::Result<(), &'static str>,
) -> Result<()> {
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|source| Error::Io {
            path: name.into(),
            source,
        })?;
        let fields: Vec<&str> = line.split('\t').collect();
        f(&fields).map_err(|why| bad(name, Some(n + 1), why))?;
    }
    Ok(())
}

/// The JSON file of a stage at `path`; one that is not `what` fails, named.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    serde_json::from_reader(open(path)?).map_err(|e| bad(path, None, &format!("not {what}: {e}")))
}

/// `value` as one line of JSON.
fn write_json(value: &impl Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    Ok(std::io::BufReader::new(file))
}

fn bad(path: &Path, line: Option<usize>, why: &str) -> Error {
    Error::File {
        path: path.into(),
        reason: match line {
            Some(n) => format!("line {n}: {why}"),
            None => why.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(noun: Option<&str>, first: &str, second: Option<&str>) -> Key {
        Key {
            metric: "investment".into(),
            unit: "USD".into(),
            noun: noun.map(Into::into),
            first: first.into(),
            second: second.map(Into::into),
        }
    }

    /// The text of keys reads back as the keys, and sorts as they do.
    #[test]
    fn key_text_keeps_the_keys_order() {
        let mut keys = vec![
            key(None, "OpenAI", None),
            key(None, "OpenAI", Some("")),
            key(None, "OpenAI", Some("Microsoft")),
            key(Some(""), "Open", None),
            key(Some("gpu"), "Open\tAI.é", Some("x")),
            key(None, "Open", Some("Microsoft")),
            key(None, "", None),
        ];
        keys.sort();
        let texts: Vec<String> = keys.iter().map(key_text).collect();
        assert!(texts.is_sorted(), "{texts:?}");
        let back: Vec<Option<Key>> = texts.iter().map(|t| key_of(t)).collect();
        assert_eq!(back, keys.into_iter().map(Some).collect::<Vec<_>>());
        assert_eq!(key_of("zz."), None);
        assert_eq!(key_of(&format!("{}x", key_text(&key(None, "a", None)))), None);
    }

    /// Of the paths with one content the least is kept; a path twice is an error.
    #[test]
    fn copies_are_all_but_the_least_path() {
        let (mut least, mut copies) = (HashMap::new(), BTreeSet::new());
        for p in ["b.txt", "c.txt", "a.txt"] {
            assert!(note_copy(&mut least, &mut copies, p, "h").is_ok());
        }
        assert_eq!(
            copies.iter().map(String::as_str).collect::<Vec<_>>(),
            ["b.txt", "c.txt"]
        );
        assert!(note_copy(&mut least, &mut copies, "c.txt", "h").is_err());
        assert!(note_copy(&mut least, &mut copies, "a.txt", "h").is_err());
    }
}
