//! The tricky-case table: one short sentence per case of the extraction issue
//! (`tests/fixtures/sentences.jsonl`, written for this project), each with its exact
//! claims: text, kind, value, value_max, unit, qualifier, direction, and the counted
//! noun where given. A sentence with no claims is a trap that must not parse.

use claimdex::clean::{Format, clean};
use claimdex::extract;
use claimdex::segment::segment;
use serde_json::{Value, json};

const CASES: &str = include_str!("fixtures/sentences.jsonl");

fn close(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-12),
        _ => a.is_null() && b.is_null(),
    }
}

#[test]
fn every_tricky_sentence_gives_exactly_its_claims() {
    let mut failures = Vec::new();
    let mut n = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        n += 1;
        let case: Value = serde_json::from_str(line).expect("case is JSON");
        let text = case["text"].as_str().expect("text");
        let c = clean(text.to_string(), Format::Text);
        let units = segment(&c);
        let got = extract::extract(&c, &units).claims;
        let want = case["claims"].as_array().expect("claims");
        let got_json: Vec<Value> = got
            .iter()
            .map(|g| {
                json!({"text": g.text, "kind": g.kind, "value": g.value, "value_max": g.value_max, "unit": g.unit,
                       "qualifier": g.qualifier, "direction": g.direction, "noun": g.noun})
            })
            .collect();
        let same = want.len() == got_json.len()
            && want.iter().zip(&got_json).all(|(w, g)| {
                w["text"] == g["text"]
                    && w["kind"] == g["kind"]
                    && w["unit"] == g["unit"]
                    && close(&w["value"], &g["value"])
                    && close(&w["value_max"], &g["value_max"])
                    && w["qualifier"] == g["qualifier"]
                    && w["direction"] == g["direction"]
                    && (w.get("noun").is_none() || w["noun"] == g["noun"])
            });
        if !same {
            failures.push(format!(
                "{}: {text:?}\n  want {want:?}\n  got  {got_json:?}",
                case["id"]
            ));
        }
    }
    assert!(n >= 60, "at least 60 cases, found {n}");
    for f in &failures {
        println!("{f}");
    }
    println!("sentences: {}/{n} exact", n - failures.len());
    assert!(failures.is_empty(), "{} of {n} cases differ", failures.len());
}
