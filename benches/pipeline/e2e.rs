//! End to end: the `claimdex` binary as a user runs it (its wall time and the child's
//! peak RSS, polled from /proc), and bare tantivy on the same files as the reference.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use claimdex::index::writer::{BUDGET_PER_THREAD, MAX_INDEX_THREADS};
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, TantivyDocument};

use super::median;

/// The reference: the same files read and indexed into one TEXT field, same writer
/// threads and memory budget as ingest, no extraction.
pub(crate) fn bare_tantivy(files: &[(PathBuf, usize)], jobs: usize) -> Result<(Duration, u64), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut sb = Schema::builder();
    let body = sb.add_text_field("body", TEXT);
    let index = Index::create_in_dir(dir.path(), sb.build()).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let threads = jobs.clamp(1, MAX_INDEX_THREADS);
    let mut w = index
        .writer_with_num_threads::<TantivyDocument>(threads, threads * BUDGET_PER_THREAD)
        .map_err(|e| e.to_string())?;
    for (path, _) in files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut d = TantivyDocument::new();
        d.add_text(body, &text);
        w.add_document(d).map_err(|e| e.to_string())?;
    }
    w.commit().map_err(|e| e.to_string())?;
    w.wait_merging_threads().map_err(|e| e.to_string())?;
    let took = t.elapsed();
    Ok((took, dir_size(dir.path())))
}

pub(crate) fn dir_size(p: &Path) -> u64 {
    walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Runs `claimdex ingest` on the corpus into a fresh index; returns wall time, the
/// child's peak RSS (polled from /proc) and its JSON summary.
pub(crate) fn ingest_e2e(
    corpus: &Path,
    index: &Path,
    jobs: usize,
) -> Result<(Duration, u64, serde_json::Value), String> {
    // Cargo builds the binary with the bench profile and tells us where it is.
    let bin = Path::new(env!("CARGO_BIN_EXE_claimdex"));
    let _ = std::fs::remove_dir_all(index);
    let t = Instant::now();
    let mut child = std::process::Command::new(bin)
        .arg("ingest")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .args(["--quiet", "--json", "--jobs", &jobs.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let (_, peak) = wait_polling_peak_rss(&mut child, Duration::from_millis(20))?;
    let took = t.elapsed();
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let summary = serde_json::from_slice(&out.stdout).map_err(|e| format!("ingest summary: {e}"))?;
    Ok((took, peak, summary))
}

/// `claimdex conflicts --format json` over `index`, `runs` times, its report thrown away:
/// the median wall time and the highest peak RSS of the child (polled from /proc like
/// [`ingest_e2e`]).
pub(crate) fn conflicts_e2e(index: &Path, runs: usize, memory: Option<&str>) -> Result<(Duration, u64), String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_claimdex"));
    let mut times = Vec::new();
    let mut peak = 0u64;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let mut child = std::process::Command::new(bin)
            .arg("conflicts")
            .arg("--index")
            .arg(index)
            .args(["--format", "json"])
            .args(memory.map(|m| ["--memory", m]).into_iter().flatten())
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        let (status, run_peak) = wait_polling_peak_rss(&mut child, Duration::from_millis(10))?;
        peak = peak.max(run_peak);
        times.push(t.elapsed());
        if !status.success() {
            return Err(format!(
                "claimdex conflicts --index {} failed: {status}",
                index.display()
            ));
        }
    }
    Ok((median(times), peak))
}

/// `--conflicts-only`: `claimdex conflicts` on an existing index, median time and highest
/// peak RSS of `--runs` runs.
pub(crate) fn conflicts_only(index: &Path, o: &crate::Opts) -> Result<(), String> {
    let claims = claimdex::index::reader::stats(index).map_err(|e| e.to_string())?.claims;
    let (t, peak) = conflicts_e2e(index, o.runs, o.memory.as_deref())?;
    let memory = o.memory.as_deref().unwrap_or("default");
    if o.json {
        let v = serde_json::json!({"conflicts": {"index_claims": claims, "runs": o.runs, "memory": memory,
                                   "seconds": t.as_secs_f64(), "peak_rss_bytes": peak}});
        println!("{v}");
    } else {
        println!(
            "conflicts over {claims} claims (--memory {memory}): {:.1} s, peak RSS {:.0} MB (median of {} runs)",
            t.as_secs_f64(),
            peak as f64 / f64::from(1 << 20),
            o.runs
        );
    }
    Ok(())
}

/// Peak RSS (bytes) of `claimdex extract` on one file, polled from /proc like [`ingest_e2e`],
/// and whether it succeeded.
pub(crate) fn extract_peak_rss(file: &Path) -> Result<(u64, bool), String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_claimdex"));
    let mut child = std::process::Command::new(bin)
        .arg("extract")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let (status, peak) = wait_polling_peak_rss(&mut child, Duration::from_millis(5))?;
    Ok((peak, status.success()))
}

/// Waits for `child`, reading its peak RSS (`VmHWM`, bytes) from /proc every `every`;
/// returns its exit status and the highest peak seen.
pub(crate) fn wait_polling_peak_rss(
    child: &mut std::process::Child,
    every: Duration,
) -> Result<(std::process::ExitStatus, u64), String> {
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path)
            && let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        {
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((status, peak));
        }
        std::thread::sleep(every);
    }
}
