//! The index on hand-made documents: write, search with every filter, read back,
//! replace, remove, and the refusals (version, foreign folder, lock, damage).

use std::fs;
use std::path::Path;

use super::reader::{all_claims, all_documents, stats};
use super::schema::{self, IndexMeta, META_FILE, SCHEMA_VERSION};
use super::search::{Hit, Request, Searching, search};
use super::writer::{ClaimWriter, CommitPayload, WriterOptions};
use super::{TANTIVY_META, open};
use crate::error::Error;
use crate::model::{Citation, Claim, Direction, Document, Kind, Qualifier, Source};

#[allow(clippy::too_many_arguments)]
fn claim(
    kind: Kind,
    text: &str,
    value: f64,
    value_max: Option<f64>,
    unit: &str,
    subject: &str,
    metric: &str,
    entities: &[&str],
    sentence: &str,
    start: usize,
    citations: &[u32],
) -> Claim {
    Claim {
        kind,
        text: text.into(),
        line: start / 100 + 1,
        start,
        end: start + text.len(),
        value,
        value_max,
        unit: unit.into(),
        qualifier: if text.starts_with("up to") {
            Qualifier::UpTo
        } else {
            Qualifier::Exact
        },
        direction: None,
        period: Some("2023-01".into()),
        subject: Some(subject.into()),
        entities: entities.iter().map(|s| s.to_string()).collect(),
        metric: Some(metric.into()),
        noun: (kind == Kind::Count).then(|| "customers".into()),
        measure: Default::default(),
        sentence: sentence.into(),
        citations: citations.to_vec(),
    }
}

fn doc(path: &str, hash: &str, claims: Vec<Claim>) -> Document {
    Document {
        path: path.into(),
        hash: hash.into(),
        encoding: None,
        url: None,
        title: Some(format!("Title of {path}")),
        byline: Some("Grace Adeyemi".into()),
        publisher: None,
        published: Some("2026-02-03".into()),
        sources: vec![
            Source {
                n: 16,
                title: "Microsoft and OpenAI extend partnership".into(),
                date: Some("2023-01-23".into()),
            },
            Source {
                n: 18,
                title: "Uncited".into(),
                date: None,
            },
        ],
        citations: vec![Citation {
            markers: vec![16, 17],
            line: 1,
            start: 0,
            end: 5,
            sentence: "s".into(),
            unresolved: vec![17],
        }],
        claims,
        warnings: vec![],
        body: None,
    }
}

fn doc_a() -> Document {
    let s1 = "In January 2023, Microsoft committed up to $10 billion to OpenAI, paid in tranches.";
    let s2 = "OpenAI accounts for about 45% of Microsoft's contracted backlog.";
    let s3 = "Analysts expect cloud margins of 30-40% next year.";
    let mut range = claim(
        Kind::Percent,
        "30-40%",
        30.0,
        Some(40.0),
        "%",
        "Microsoft",
        "margin",
        &["Microsoft"],
        s3,
        400,
        &[],
    );
    range.direction = Some(Direction::Up);
    doc(
        "corpus/a.txt",
        "hash-a",
        vec![
            claim(
                Kind::Money,
                "up to $10 billion",
                10e9,
                None,
                "USD",
                "Microsoft",
                "investment",
                &["Microsoft", "OpenAI"],
                s1,
                40,
                &[16, 17],
            ),
            claim(
                Kind::Percent,
                "45%",
                45.0,
                None,
                "%",
                "OpenAI",
                "backlog share",
                &["OpenAI", "Microsoft"],
                s2,
                200,
                &[16],
            ),
            range,
        ],
    )
}

fn doc_b() -> Document {
    let s1 = "Microsoft has invested $13 billion in OpenAI since 2019.";
    let s2 = "OpenAI will get 2 gigawatts of capacity from Amazon Web Services.";
    let s3 = "The service now has 1,500 customers in Europe.";
    doc(
        "corpus/b.txt",
        "hash-b",
        vec![
            claim(
                Kind::Money,
                "$13 billion",
                13e9,
                None,
                "USD",
                "Microsoft",
                "investment",
                &["Microsoft", "OpenAI"],
                s1,
                10,
                &[],
            ),
            claim(
                Kind::Power,
                "2 gigawatts",
                2e9,
                None,
                "W",
                "OpenAI",
                "capacity",
                &["OpenAI", "Amazon"],
                s2,
                120,
                &[],
            ),
            claim(
                Kind::Count,
                "1,500 customers",
                1500.0,
                None,
                "count",
                "OpenAI",
                "customers",
                &["OpenAI"],
                s3,
                300,
                &[],
            ),
        ],
    )
}

fn write(dir: &Path, docs: &[Document], rebuild: bool) {
    let mut w = ClaimWriter::open(
        dir,
        &WriterOptions {
            rebuild,
            ..WriterOptions::default()
        },
    )
    .unwrap();
    for d in docs {
        w.add(d, 1000).unwrap();
    }
    w.commit().unwrap();
    w.finish().unwrap();
}

fn find(dir: &Path, query: &str, tweak: impl FnOnce(&mut Request)) -> Vec<Hit> {
    let mut req = Request {
        query: query.into(),
        limit: 50,
        ..Request::default()
    };
    tweak(&mut req);
    search(dir, &req).unwrap()
}

fn texts(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.claim.text.as_str()).collect()
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort();
    v
}

#[test]
fn search_in_parallel_runs_finds_what_one_thread_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Two commits, two segments, cut in runs across the threads.
    write(dir, &[doc_a()], false);
    write(dir, &[doc_b()], false);
    let queries = [
        "*",
        "OpenAI",
        "openai OR microsoft OR gigawatts",
        "\"committed up to\"",
        "subject:microsoft",
    ];
    // One index kept open answers every query as an index opened for each does.
    let open = Searching::open(dir).unwrap();
    for query in queries {
        for limit in [1, 2, 3, 50] {
            for (unit, min, max) in [
                (None, None, None),
                (Some("USD"), Some(1e9), None),
                (None, None, Some(5e9)),
            ] {
                let req = Request {
                    query: query.into(),
                    limit,
                    unit: unit.map(str::to_owned),
                    min,
                    max,
                    ..Request::default()
                };
                let one = Searching::open(dir).unwrap().search_with(&req, 1, u32::MAX).unwrap();
                assert_eq!(search(dir, &req).unwrap(), one, "{req:?}");
                assert_eq!(open.count(&req).unwrap(), super::search::count(dir, &req).unwrap());
                for threads in [2, 3] {
                    assert_eq!(
                        open.search_with(&req, threads, 1).unwrap(),
                        one,
                        "{req:?} on {threads} threads"
                    );
                }
            }
        }
    }
}

/// A statement is found by the words people call it by, not only by its sentence's:
/// "consensus" finds an estimate, "growth" a change, though their sentences say neither.
#[test]
fn search_finds_a_statement_by_what_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut a = doc_a();
    for c in &mut a.claims {
        match c.text.as_str() {
            "45%" => c.measure.status = crate::model::Status::Estimate,
            "up to $10 billion" => c.measure.change = Some(crate::model::Change::Yoy),
            _ => {}
        }
    }
    assert!(
        a.claims
            .iter()
            .chain(&doc_b().claims)
            .all(|c| !c.sentence.contains("consensus"))
    );
    write(dir, &[a, doc_b()], false);
    assert_eq!(texts(&find(dir, "consensus", |_| {})), ["45%"]);
    assert_eq!(texts(&find(dir, "growth", |_| {})), ["up to $10 billion"]);
}

/// Every field the error message lists is one a query may name, and an unknown one is
/// told with the list.
#[test]
fn an_unknown_query_field_lists_the_fields_there_are() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a()], false);
    for field in super::search::QUERY_FIELDS {
        find(dir, &format!("{field}:x"), |_| {});
    }
    let req = Request {
        query: "foo:bar".into(),
        limit: 10,
        ..Request::default()
    };
    match search(dir, &req) {
        Err(Error::Usage(m)) => assert!(m.contains("no field `foo` (fields: sentence, subject"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn search_by_words_phrases_fields_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a(), doc_b()], false);

    // Either word matches; the claim matching both ranks first.
    let hits = find(dir, "OpenAI gigawatts", |_| {});
    let either = texts(&hits);
    assert_eq!(either.first(), Some(&"2 gigawatts"));
    assert_eq!(either.len(), 5);
    assert_eq!(texts(&find(dir, "+OpenAI +gigawatts", |_| {})), ["2 gigawatts"]);
    assert_eq!(texts(&find(dir, "gigawatt", |_| {})), ["2 gigawatts"], "stemmed");

    assert_eq!(texts(&find(dir, "\"committed up to\"", |_| {})), ["up to $10 billion"]);
    assert!(
        find(dir, "\"up to committed\"", |_| {}).is_empty(),
        "a phrase keeps its order"
    );
    assert_eq!(
        sorted(texts(&find(dir, "metric:investment", |_| {}))),
        ["$13 billion", "up to $10 billion"]
    );
    assert_eq!(
        sorted(texts(&find(dir, "subject:openai", |_| {}))),
        ["1,500 customers", "2 gigawatts", "45%"]
    );
    // Entity folded to one name matches as a bare word too.
    assert_eq!(texts(&find(dir, "Amazon", |_| {})), ["2 gigawatts"]);
    assert_eq!(
        sorted(texts(&find(dir, "*", |r| r.kind = Some("money".into())))),
        ["$13 billion", "up to $10 billion"]
    );
    assert_eq!(
        sorted(texts(&find(dir, "", |r| r.unit = Some("%".into())))),
        ["30-40%", "45%"]
    );
    assert_eq!(texts(&find(dir, "", |r| r.unit = Some("w".into()))), ["2 gigawatts"]);
    assert_eq!(
        texts(&find(dir, "", |r| r.entity = Some("amazon".into()))),
        ["2 gigawatts"]
    );
    // Range: exactly the claims between the two values.
    assert_eq!(
        texts(&find(dir, "", |r| {
            r.min = Some(11e9);
            r.max = Some(20e9);
        })),
        ["$13 billion"]
    );
    assert_eq!(
        sorted(texts(&find(dir, "", |r| {
            r.min = Some(10e9);
            r.max = Some(13e9);
        }))),
        ["$13 billion", "up to $10 billion"],
        "bounds are inclusive"
    );
    // A range claim is inside [min, max] only when both its ends are.
    let both = |min: f64, max: f64| {
        sorted(texts(&find(dir, "", |r| {
            r.min = Some(min);
            r.max = Some(max);
            r.unit = Some("%".into());
        })))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    assert_eq!(both(25.0, 50.0), ["30-40%", "45%"]);
    assert_eq!(both(25.0, 35.0), Vec::<String>::new());
    assert_eq!(both(35.0, 50.0), ["45%"]);
    // Words and filters together, best score first.
    let hits = find(dir, "microsoft", |r| r.kind = Some("money".into()));
    assert_eq!(sorted(texts(&hits)), ["$13 billion", "up to $10 billion"]);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    // Equal scores (filters only) come in path, then offset order.
    let all = find(dir, "*", |_| {});
    let keys: Vec<(&str, usize)> = all.iter().map(|h| (h.path.as_str(), h.claim.start)).collect();
    let mut want = keys.clone();
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(all.len(), 6);
    assert_eq!(
        find(dir, "*", |r| r.limit = usize::MAX).len(),
        6,
        "a huge limit is not an allocation"
    );
    assert_eq!(texts(&find(dir, "openai", |r| r.limit = 1)).len(), 1);
}

#[test]
fn bounds_read_a_ranges_top_and_a_plain_claims_value_in_every_segment() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Two commits, two segments: b's holds no range, so it has no `value_max` column.
    write(dir, &[doc_b()], false);
    write(dir, &[doc_a()], false);
    let within = |min: Option<f64>, max: Option<f64>| {
        let req = Request {
            query: "*".into(),
            limit: 100,
            min,
            max,
            ..Request::default()
        };
        let hits = search(dir, &req).unwrap();
        assert_eq!(super::search::count(dir, &req).unwrap(), hits.len(), "{min:?} {max:?}");
        sorted(texts(&hits)).into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(within(None, Some(100.0)), ["30-40%", "45%"]);
    assert_eq!(
        within(None, Some(39.0)),
        Vec::<String>::new(),
        "a range's top is its value_max"
    );
    assert_eq!(
        within(Some(31.0), Some(1e12)),
        [
            "$13 billion",
            "1,500 customers",
            "2 gigawatts",
            "45%",
            "up to $10 billion"
        ]
    );
    assert_eq!(within(Some(1e9), Some(2e9)), ["2 gigawatts"]);
    assert_eq!(within(Some(1e10), None), ["$13 billion", "up to $10 billion"]);
}

#[test]
fn hits_carry_highlights_and_resolved_citations() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a(), doc_b()], false);
    let hits = find(dir, "committed tranches", |_| {});
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    let marked: Vec<&str> = h.highlights.iter().map(|r| &h.claim.sentence[r.clone()]).collect();
    assert_eq!(marked, ["committed", "tranches"]);
    assert_eq!(h.path, "corpus/a.txt");
    assert_eq!(h.claim, doc_a().claims[0], "every claim field round-trips");
    // Marker 17 is not in the source list: only 16 resolves.
    assert_eq!(h.cited.iter().map(|s| s.n).collect::<Vec<_>>(), [16]);
    assert_eq!(h.cited[0].date.as_deref(), Some("2023-01-23"));
}

#[test]
fn bad_requests_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a()], false);
    let usage = |req: Request| matches!(search(dir, &req), Err(Error::Usage(_)));
    let base = || Request {
        query: "openai".into(),
        limit: 5,
        ..Request::default()
    };
    assert!(usage(Request {
        query: "openai AND (".into(),
        ..base()
    }));
    assert!(usage(Request {
        query: "nosuchfield:x".into(),
        ..base()
    }));
    assert!(usage(Request { limit: 0, ..base() }));
    assert!(usage(Request {
        kind: Some("weight".into()),
        ..base()
    }));
    assert!(usage(Request {
        min: Some(5.0),
        max: Some(1.0),
        ..base()
    }));
    assert!(usage(Request {
        min: Some(f64::NAN),
        ..base()
    }));
}

#[test]
fn all_claims_reads_back_every_claim_with_its_article() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_b(), doc_a()], false);
    let claims = all_claims(dir).unwrap();
    assert_eq!(claims.len(), 6);
    let order: Vec<(&str, usize)> = claims.iter().map(|c| (c.path.as_str(), c.claim.start)).collect();
    assert_eq!(
        order,
        [
            ("corpus/a.txt", 40),
            ("corpus/a.txt", 200),
            ("corpus/a.txt", 400),
            ("corpus/b.txt", 10),
            ("corpus/b.txt", 120),
            ("corpus/b.txt", 300)
        ]
    );
    let first = &claims[0];
    assert_eq!(first.claim, doc_a().claims[0]);
    assert_eq!(first.title.as_deref(), Some("Title of corpus/a.txt"));
    assert_eq!(first.published.as_deref(), Some("2026-02-03"));
    assert_eq!(first.cited, vec![doc_a().sources[0].clone()]);
    assert_eq!(claims[2].claim.value_max, Some(40.0));
    assert_eq!(claims[2].claim.direction, Some(Direction::Up));

    let docs = all_documents(dir).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].sources, doc_a().sources);
    assert_eq!((docs[0].claims, docs[0].citations, docs[0].unresolved), (3, 1, 1));

    let st = stats(dir).unwrap();
    assert_eq!((st.documents, st.claims, st.citations, st.unresolved), (2, 6, 2, 2));
    assert_eq!(st.by_kind.get("money"), Some(&2));
    assert_eq!(st.by_kind.get("percent"), Some(&2));
    assert_eq!(st.by_unit.get("USD"), Some(&2));
    assert_eq!(st.by_unit.get("W"), Some(&1));
    assert_eq!(st.by_unit.get("count"), Some(&1));
    assert_eq!(st.schema_version, SCHEMA_VERSION);
    assert_eq!(
        st.last_commit,
        Some(CommitPayload {
            documents: 2,
            claims: 6,
            citations: 2
        })
    );
}

#[test]
fn parallel_reads_match_the_claim_stream_over_several_segments() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Two commits: two segments, each read in several tasks (tiny chunks in tests).
    write(dir, &[doc_b()], false);
    let mut c = doc_a();
    c.claims[1].subject = None;
    c.claims[2].metric = None;
    write(dir, &[c], false);
    let mut streamed = Vec::new();
    super::reader::each_claim(dir, |c| {
        streamed.push(c);
        Ok(())
    })
    .unwrap();
    streamed.sort_by(|a, b| (&a.path, a.claim.start).cmp(&(&b.path, b.claim.start)));
    let all = all_claims(dir).unwrap();
    assert_eq!(all, streamed);
    let keyed: Vec<_> = streamed
        .into_iter()
        .filter(|c| c.claim.metric.is_some() || c.claim.measure != crate::model::Measure::default())
        .collect();
    assert_eq!(keyed.len(), 5);
    assert_eq!(super::reader::keyed_claims(dir).unwrap(), keyed);
    // Read shared (for the conflict report): the same claims, article title and date included.
    let shared = super::reader::keyed_shared_claims(dir).unwrap();
    assert_eq!(shared, crate::reconcile::share(&keyed));
    assert!(shared.iter().all(|c| c.article.title.is_some()));
}

#[test]
fn replacing_and_removing_an_article_touches_only_its_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a(), doc_b()], false);

    let mut w = ClaimWriter::open(dir, &WriterOptions::default()).unwrap();
    assert_eq!(w.known().get("corpus/a.txt").map(|k| k.hash.as_str()), Some("hash-a"));
    let mut a2 = doc_a();
    a2.hash = "hash-a2".into();
    a2.claims.truncate(1);
    a2.claims[0].value = 11e9;
    w.add(&a2, 900).unwrap();
    w.commit().unwrap();
    w.finish().unwrap();
    let claims = all_claims(dir).unwrap();
    assert_eq!(claims.len(), 4);
    let a: Vec<f64> = claims
        .iter()
        .filter(|c| c.path == "corpus/a.txt")
        .map(|c| c.claim.value)
        .collect();
    assert_eq!(a, [11e9]);
    assert_eq!(claims.iter().filter(|c| c.path == "corpus/b.txt").count(), 3);
    assert_eq!(all_documents(dir).unwrap().len(), 2);

    let mut w = ClaimWriter::open(dir, &WriterOptions::default()).unwrap();
    assert!(w.remove("corpus/b.txt"));
    assert!(!w.remove("corpus/none.txt"));
    w.commit().unwrap();
    assert_eq!(
        w.totals(),
        CommitPayload {
            documents: 1,
            claims: 1,
            citations: 1
        }
    );
    w.finish().unwrap();
    let docs = all_documents(dir).unwrap();
    assert_eq!(
        docs.iter().map(|d| d.path.as_str()).collect::<Vec<_>>(),
        ["corpus/a.txt"]
    );
    assert_eq!(all_claims(dir).unwrap().len(), 1);
    assert!(find(dir, "gigawatts", |_| {}).is_empty());
}

#[test]
fn rebuild_starts_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a(), doc_b()], false);
    write(dir, &[doc_b()], true);
    assert_eq!(all_documents(dir).unwrap().len(), 1);
    assert_eq!(all_claims(dir).unwrap().len(), 3);
}

fn reason(e: Error) -> String {
    match e {
        Error::Index { reason, .. } => reason,
        other => panic!("expected an index error, got {other:?}"),
    }
}

#[test]
fn another_schema_version_is_refused_until_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a()], false);
    schema::write_meta(
        dir,
        &IndexMeta {
            schema_version: SCHEMA_VERSION + 1,
            created_by: "claimdex 9.0.0".into(),
            folders: Default::default(),
        },
    )
    .unwrap();
    let r = reason(open(dir).unwrap_err());
    assert!(
        r.contains("schema version") && r.contains("claimdex ingest --rebuild"),
        "{r}"
    );
    let r = reason(ClaimWriter::open(dir, &WriterOptions::default()).unwrap_err());
    assert!(r.contains("--rebuild"), "{r}");
    write(dir, &[doc_b()], true);
    let meta = schema::read_meta(dir).unwrap().unwrap();
    assert_eq!(meta.schema_version, IndexMeta::current().schema_version);
    assert_eq!(meta.folders.values().sum::<u64>(), 1, "{meta:?}");
    assert_eq!(all_claims(dir).unwrap().len(), 3);
}

#[test]
fn missing_foreign_and_damaged_folders_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nothing");
    assert!(reason(open(&missing).unwrap_err()).contains("run `claimdex ingest` first"));

    // A folder of someone's files: refused, and never touched, even by --rebuild.
    let foreign = tmp.path().join("foreign");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "mine").unwrap();
    fs::write(foreign.join("0123456789abcdef0123456789abcdef.idx"), "mine too").unwrap();
    assert!(reason(open(&foreign).unwrap_err()).contains("no claimdex index"));
    for rebuild in [false, true] {
        let r = reason(
            ClaimWriter::open(
                &foreign,
                &WriterOptions {
                    rebuild,
                    ..WriterOptions::default()
                },
            )
            .unwrap_err(),
        );
        assert!(r.contains("not a claimdex index"), "{r}");
    }
    assert_eq!(fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
    assert!(foreign.join("0123456789abcdef0123456789abcdef.idx").exists());

    // A tantivy index claimdex did not write.
    let other = tmp.path().join("other");
    fs::create_dir(&other).unwrap();
    let mut sb = tantivy::schema::Schema::builder();
    sb.add_text_field("body", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(&other, sb.build()).unwrap();
    assert!(reason(open(&other).unwrap_err()).contains("did not write"));

    // Damaged: tantivy's meta.json is garbage, or gone.
    let damaged = tmp.path().join("damaged");
    write(&damaged, &[doc_a()], false);
    fs::write(damaged.join(TANTIVY_META), "{ not json").unwrap();
    assert!(reason(open(&damaged).unwrap_err()).contains("--rebuild"));
    assert!(reason(ClaimWriter::open(&damaged, &WriterOptions::default()).unwrap_err()).contains("--rebuild"));
    fs::remove_file(damaged.join(TANTIVY_META)).unwrap();
    assert!(reason(open(&damaged).unwrap_err()).contains("--rebuild"));
    fs::write(damaged.join(META_FILE), "][").unwrap();
    assert!(reason(open(&damaged).unwrap_err()).contains("--rebuild"));
    write(&damaged, &[doc_b()], true);
    assert_eq!(all_claims(&damaged).unwrap().len(), 3);

    // Segment files cut short.
    let cut = tmp.path().join("cut");
    write(&cut, &[doc_a(), doc_b()], false);
    for e in fs::read_dir(&cut).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "store" || x == "term" || x == "idx") {
            fs::write(&p, b"xx").unwrap();
        }
    }
    assert!(reason(all_claims(&cut).unwrap_err()).contains("--rebuild"));
    let req = Request {
        query: "openai".into(),
        limit: 5,
        ..Request::default()
    };
    assert!(reason(search(&cut, &req).unwrap_err()).contains("--rebuild"));
}

#[test]
fn a_second_writer_fails_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a()], false);
    let first = ClaimWriter::open(dir, &WriterOptions::default()).unwrap();
    for rebuild in [false, true] {
        let r = reason(
            ClaimWriter::open(
                dir,
                &WriterOptions {
                    rebuild,
                    ..WriterOptions::default()
                },
            )
            .unwrap_err(),
        );
        assert!(r.contains("another `claimdex ingest`"), "{r}");
    }
    // Readers are not blocked.
    assert_eq!(all_claims(dir).unwrap().len(), 3);
    first.finish().unwrap();
    assert!(ClaimWriter::open(dir, &WriterOptions::default()).is_ok());
}

#[test]
fn each_claim_streams_every_claim_and_stops_on_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, &[doc_a(), doc_b()], false);
    let mut seen = Vec::new();
    super::reader::each_claim(dir, |c| {
        seen.push((c.path, c.claim.start));
        Ok(())
    })
    .unwrap();
    seen.sort();
    let all: Vec<(String, usize)> = all_claims(dir)
        .unwrap()
        .into_iter()
        .map(|c| (c.path, c.claim.start))
        .collect();
    assert_eq!(seen, all);
    let mut calls = 0;
    let stopped = super::reader::each_claim(dir, |_| {
        calls += 1;
        Err(Error::Usage("stop".into()))
    });
    assert!(matches!(stopped, Err(Error::Usage(_))));
    assert_eq!(calls, 1);
}

/// Merges stay bounded: segments of a bulk ingest are never merged again, while the
/// small segments of small ingests still are.
#[test]
fn merges_only_small_segments() {
    use tantivy::Index;
    use tantivy::index::SegmentId;
    use tantivy::merge_policy::MergePolicy;

    use super::writer::{ClaimMergePolicy, MERGE_MAX_DOCS};

    let index = Index::create_in_ram(schema::build_schema());
    let segments = |n: usize, docs: usize| -> Vec<_> {
        (0..n)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), docs as u32))
            .collect()
    };
    let policy = ClaimMergePolicy::new();
    assert!(policy.compute_merge_candidates(&segments(16, 250_000)).is_empty());
    assert!(
        policy
            .compute_merge_candidates(&segments(8, MERGE_MAX_DOCS + 1))
            .is_empty()
    );
    let small = policy.compute_merge_candidates(&segments(8, 5_000));
    assert_eq!(small.len(), 1);
    assert_eq!(small[0].0.len(), 8);
}

/// A large segment is never merged with others, but once more than half of its records
/// are deleted it is rewritten on its own; less than half dead, it stays.
#[test]
fn large_segments_mostly_deleted_are_rewritten_alone() {
    use tantivy::Index;
    use tantivy::index::SegmentId;
    use tantivy::merge_policy::MergePolicy;

    use super::writer::ClaimMergePolicy;

    let index = Index::create_in_ram(schema::build_schema());
    let meta = |docs: u32, deleted: u32| {
        index
            .new_segment_meta(SegmentId::generate_random(), docs)
            .with_delete_meta(deleted, 1)
    };
    let (half, most, live) = (meta(400_000, 200_000), meta(400_000, 200_001), meta(400_000, 0));
    let policy = ClaimMergePolicy::new();
    let candidates = policy.compute_merge_candidates(&[half, most.clone(), live]);
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].0, [most.id()]);
}

/// Re-ingesting a changed article deletes its old records; when that leaves a segment
/// mostly dead, the writer rewrites it and no deleted record is left on disk.
#[test]
fn replaced_articles_do_not_leave_dead_records_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let claims = |n: usize| -> Vec<Claim> {
        (0..n)
            .map(|i| {
                let text = format!("{i} GW");
                let sentence = format!("Contoso added {text} of capacity.");
                claim(
                    Kind::Count,
                    &text,
                    i as f64,
                    None,
                    "GW",
                    "Contoso",
                    "capacity",
                    &["Contoso"],
                    &sentence,
                    i * 100,
                    &[],
                )
            })
            .collect()
    };
    // One segment: 2 + 7 records, of which the second article's 7 are replaced below.
    write(
        dir,
        &[
            doc("corpus/x.txt", "hash-x", claims(1)),
            doc("corpus/y.txt", "hash-y", claims(6)),
        ],
        false,
    );
    write(dir, &[doc("corpus/y.txt", "hash-y2", claims(6))], false);

    let index = tantivy::Index::open_in_dir(dir).unwrap();
    let metas = index.searchable_segment_metas().unwrap();
    let deleted: u32 = metas.iter().map(|m| m.num_deleted_docs()).sum();
    let live: u32 = metas.iter().map(|m| m.num_docs()).sum();
    assert_eq!((deleted, live), (0, 9));
    assert_eq!(all_claims(dir).unwrap().len(), 7);
}

/// A panic inside a guarded read (damage no checksum saw) is an error naming the damage.
#[test]
fn a_panic_while_reading_is_a_damaged_index_error() {
    let dir = Path::new("some-index");
    let r: crate::Result<()> = super::guarded(dir, || panic!("store block out of range"));
    let err = r.expect_err("a panic is an error").to_string();
    assert!(err.contains("damaged") && err.contains("--rebuild"), "{err}");
    assert_eq!(super::guarded(dir, || Ok(7)).ok(), Some(7));
}

/// Bare words rank the claim that holds every one of them first, wherever each is found,
/// above one that repeats some of them in many fields: "prepayment" decides among claims
/// about one cap.
#[test]
fn bare_words_rank_the_claim_holding_all_of_them_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cap = |text: &str, value: f64, sentence: &str, scope: &[&str], start: usize| {
        let mut c = claim(
            Kind::Money,
            text,
            value,
            None,
            "GBP",
            "Fabrikam",
            "price cap",
            &["Fabrikam"],
            sentence,
            start,
            &[],
        );
        c.measure.head = Some("price cap".into());
        c.measure.scope = scope.iter().map(|s| s.to_string()).collect();
        c
    };
    let claims = vec![
        cap(
            "£3,549",
            3549.0,
            "Fabrikam raised the price cap to £3,549, and Fabrikam said the cap would hold.",
            &[],
            0,
        ),
        cap(
            "£3,608",
            3608.0,
            "Those paying by prepayment meter face £3,608.",
            &["prepayment meter"],
            200,
        ),
    ];
    write(dir, &[doc("c.txt", "c", claims)], false);
    let hits = find(dir, "Fabrikam prepayment price cap", |_| {});
    assert_eq!(texts(&hits).first(), Some(&"£3,608"), "{:?}", texts(&hits));
}
