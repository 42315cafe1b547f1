//! The search workload: fifty fixed queries (words, phrases, fields and range filters)
//! timed through the library's `search`.

use std::path::Path;
use std::time::{Duration, Instant};

use claimdex::index::search::{Request, Searching, search};
use serde_json::json;

use super::{Opts, median};

/// One benchmark query: query text, unit filter, min, max.
pub(crate) type Query = (&'static str, Option<&'static str>, Option<f64>, Option<f64>);

/// The fixed search workload: words, phrases, fields and range filters.
pub(crate) const QUERIES: &[Query] = &[
    ("OpenAI", None, None, None),
    ("Microsoft", None, None, None),
    ("gigawatts", None, None, None),
    ("capacity", None, None, None),
    ("backlog", None, None, None),
    ("customers", None, None, None),
    ("shares", None, None, None),
    ("revenue", None, None, None),
    ("deal", None, None, None),
    ("market", None, None, None),
    ("\"cloud revenue\"", None, None, None),
    ("\"business users\"", None, None, None),
    ("\"year to date\"", None, None, None),
    ("\"percentage points\"", None, None, None),
    ("\"of capacity\"", None, None, None),
    ("OpenAI gigawatts", None, None, None),
    ("Microsoft backlog", None, None, None),
    ("Amazon deal", None, None, None),
    ("Anthropic capacity", None, None, None),
    ("CoreWeave committed", None, None, None),
    ("metric:investment", None, None, None),
    ("metric:revenue", None, None, None),
    ("metric:backlog", None, None, None),
    ("subject:OpenAI", None, None, None),
    ("subject:Microsoft", None, None, None),
    ("subject:Amazon", None, None, None),
    ("kind:money", None, None, None),
    ("kind:percent", None, None, None),
    ("unit:W", None, None, None),
    ("unit:USD", None, None, None),
    ("*", Some("USD"), Some(5e9), Some(2e10)),
    ("*", Some("USD"), Some(1e11), None),
    ("*", Some("%"), Some(30.0), Some(40.0)),
    ("*", Some("W"), Some(1e9), Some(5e9)),
    ("*", Some("count"), Some(1000.0), None),
    ("OpenAI", Some("USD"), Some(1e10), None),
    ("Microsoft", Some("%"), None, Some(20.0)),
    ("capacity", Some("W"), Some(2e9), None),
    ("committed", Some("USD"), Some(1e9), Some(5e10)),
    ("shares", Some("%"), Some(10.0), None),
    ("Oracle", None, None, None),
    ("Nvidia accelerators", None, None, None),
    ("Google", None, None, None),
    ("Meta", None, None, None),
    ("Broadcom", None, None, None),
    ("Trainium", None, None, None),
    ("Azure", None, None, None),
    ("Copilot customers", None, None, None),
    ("\"sources said\"", None, None, None),
    ("fell OR dropped", Some("%"), None, None),
];

/// Each query three times (the first round warms the caches and is not timed), the index
/// opened for each query as `claimdex search` does: p50 and p99 latency, and the hits of
/// all rounds.
pub(crate) fn latency(index: &Path) -> Result<(Duration, Duration, usize), String> {
    rounds(|req| search(index, req).map_err(|e| e.to_string()))
}

/// [`latency`] with the index opened once and kept open ([`Searching`]), as a program that
/// answers many queries keeps it.
pub(crate) fn latency_open(index: &Path) -> Result<(Duration, Duration, usize), String> {
    let open = Searching::open(index).map_err(|e| e.to_string())?;
    rounds(|req| open.search(req).map_err(|e| e.to_string()))
}

fn rounds(
    search: impl Fn(&Request) -> Result<Vec<claimdex::index::search::Hit>, String>,
) -> Result<(Duration, Duration, usize), String> {
    let mut times = Vec::new();
    let mut hits = 0;
    for round in 0..3 {
        for (q, unit, min, max) in QUERIES {
            let req = Request {
                query: q.to_string(),
                limit: 20,
                unit: unit.map(str::to_string),
                min: *min,
                max: *max,
                ..Request::default()
            };
            let t = Instant::now();
            let found = search(&req).map_err(|e| format!("query {q:?}: {e}"))?;
            if round > 0 {
                times.push(t.elapsed());
            }
            hits += found.len();
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    Ok((pct(0.5), pct(0.99), hits))
}

/// `--search-only`: the search latency on an existing index, median p50 and p99 of `runs` runs.
pub(crate) fn only(index: &Path, o: &Opts) -> Result<(), String> {
    let claims = claimdex::index::reader::stats(index).map_err(|e| e.to_string())?.claims;
    let per_query = median_of_runs(o, || latency(index))?;
    let kept_open = median_of_runs(o, || latency_open(index))?;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    if o.json {
        let v = json!({"search": {"queries": QUERIES.len(), "index_claims": claims, "runs": o.runs,
                       "p50_ms": ms(per_query.0), "p99_ms": ms(per_query.1), "hits": per_query.2,
                       "open_p50_ms": ms(kept_open.0), "open_p99_ms": ms(kept_open.1)}});
        println!("{v}");
    } else {
        for ((p50, p99, _), how) in [(per_query, "opened per query"), (kept_open, "kept open")] {
            println!(
                "search over {claims} claims, {} queries, index {how}: p50 {:.2} ms, p99 {:.2} ms (median of {} runs)",
                QUERIES.len(),
                ms(p50),
                ms(p99),
                o.runs
            );
        }
    }
    Ok(())
}

/// The median p50 and p99 of `o.runs` runs of `latency`, and the hits.
fn median_of_runs(
    o: &Opts,
    latency: impl Fn() -> Result<(Duration, Duration, usize), String>,
) -> Result<(Duration, Duration, usize), String> {
    let (mut p50s, mut p99s, mut hits) = (Vec::new(), Vec::new(), 0);
    for _ in 0..o.runs.max(1) {
        let (p50, p99, h) = latency()?;
        p50s.push(p50);
        p99s.push(p99);
        hits = h;
    }
    Ok((median(p50s), median(p99s), hits))
}
