//! `claimdex extract --format parquet --output DIR`: the documents and claims tables hold,
//! row for row, what the JSON Lines records hold; the flags that only shape JSON, or a
//! missing folder, are usage errors.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt32Type};
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_claimdex");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn batches(path: &Path) -> Vec<RecordBatch> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    reader.map(Result::unwrap).collect()
}

fn texts(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = b.column_by_name(name).unwrap().as_string::<i32>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i).to_string()))
        .collect()
}

fn lists(b: &RecordBatch, name: &str) -> Vec<Value> {
    let col = b.column_by_name(name).unwrap().as_list::<i32>();
    (0..col.len())
        .map(|i| {
            let item = col.value(i);
            match item.data_type() {
                arrow_schema::DataType::UInt32 => {
                    let v = item.as_primitive::<UInt32Type>();
                    Value::from(v.values().to_vec())
                }
                _ => Value::from(
                    (0..item.len())
                        .map(|j| item.as_string::<i32>().value(j).to_string())
                        .collect::<Vec<_>>(),
                ),
            }
        })
        .collect()
}

/// A claim of the JSON Lines as the table's row says it.
fn json_row(path: &str, c: &Value) -> Value {
    serde_json::json!({
        "path": path, "kind": c["kind"], "text": c["text"], "line": c["line"],
        "value": c["value"], "value_max": c["value_max"], "unit": c["unit"],
        "qualifier": c["qualifier"], "subject": c["subject"], "entities": c["entities"],
        "metric": c["metric"], "measure_head": c["measure"]["head"],
        "measure_scope": c["measure"]["scope"], "measure_status": c["measure"]["status"],
        "sentence": c["sentence"], "citations": c["citations"],
    })
}

fn table_rows(b: &RecordBatch) -> Vec<Value> {
    let t = |n: &str| texts(b, n);
    let (path, kind, text, unit, qualifier) = (t("path"), t("kind"), t("text"), t("unit"), t("qualifier"));
    let (subject, metric, head, status, sentence) = (
        t("subject"),
        t("metric"),
        t("measure_head"),
        t("measure_status"),
        t("sentence"),
    );
    let (entities, scope, citations) = (lists(b, "entities"), lists(b, "measure_scope"), lists(b, "citations"));
    let line = b.column_by_name("line").unwrap().as_primitive::<Int64Type>();
    let value = b.column_by_name("value").unwrap().as_primitive::<Float64Type>();
    let max = b.column_by_name("value_max").unwrap().as_primitive::<Float64Type>();
    (0..b.num_rows())
        .map(|i| {
            serde_json::json!({
                "path": path[i], "kind": kind[i], "text": text[i], "line": line.value(i),
                "value": value.value(i), "value_max": max.is_valid(i).then(|| max.value(i)),
                "unit": unit[i], "qualifier": qualifier[i], "subject": subject[i],
                "entities": entities[i], "metric": metric[i], "measure_head": head[i],
                "measure_scope": scope[i], "measure_status": status[i], "sentence": sentence[i],
                "citations": citations[i],
            })
        })
        .collect()
}

#[test]
fn the_tables_hold_what_the_json_lines_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("tables");
    let dir = out.to_str().unwrap();
    let made = run(&["extract", "-j2", "--format", "parquet", "--output", dir, "corpus"]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(made.stdout.is_empty(), "nothing on stdout");
    let json = run(&["extract", "-j2", "corpus"]);
    let docs: Vec<Value> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let want: Vec<Value> = docs
        .iter()
        .flat_map(|d| {
            d["claims"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| json_row(d["path"].as_str().unwrap(), c))
        })
        .collect();
    let got: Vec<Value> = batches(&out.join("claims.parquet"))
        .iter()
        .flat_map(table_rows)
        .collect();
    assert!(want.len() > 100);
    assert_eq!(got, want);
    let documents = batches(&out.join("documents.parquet"));
    let paths: Vec<Option<String>> = documents.iter().flat_map(|b| texts(b, "path")).collect();
    let want_paths: Vec<Option<String>> = docs.iter().map(|d| d["path"].as_str().map(String::from)).collect();
    assert_eq!(paths, want_paths);
    let counts: Vec<i64> = documents
        .iter()
        .flat_map(|b| {
            b.column_by_name("claims")
                .unwrap()
                .as_primitive::<Int64Type>()
                .values()
                .to_vec()
        })
        .collect();
    let want_counts: Vec<i64> = docs
        .iter()
        .map(|d| d["claims"].as_array().unwrap().len() as i64)
        .collect();
    assert_eq!(counts, want_counts);
}

#[test]
fn json_only_flags_and_a_missing_folder_are_usage_errors() {
    for args in [
        &["extract", "--format", "parquet", "corpus"][..],
        &["extract", "--output", "x", "corpus"],
        &["extract", "--format", "parquet", "--output", "x", "--pretty", "corpus"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert!(!Path::new(env!("CARGO_MANIFEST_DIR")).join("x").exists());
}
