//! `--pathological`: cost bounds on hostile shapes, and issue 15's hostile files.

use std::path::Path;
use std::time::{Duration, Instant};

use claimdex::clean::{self, Format};
use claimdex::read;
use claimdex::{extract, segment};

use serde_json::json;

use super::e2e::{extract_peak_rss, wait_polling_peak_rss};
use super::{Opts, timed};

/// `text` repeated to exactly `n` bytes (cut at a char boundary).
fn fill(text: &str, n: usize) -> String {
    let mut s = text.repeat(n / text.len() + 1);
    let mut cut = n;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

/// Blocks of 10^5 nested tags (50,000 open, 50,000 close) around a paragraph, as many as
/// fit in `n` bytes, padded to exactly `n`.
fn nested_tags(n: usize) -> String {
    let block = format!(
        "{}<p>Deep inside, Microsoft put $5 billion into OpenAI.</p>{}",
        "<div>".repeat(50_000),
        "</div>".repeat(50_000)
    );
    let mut s = String::from("<html><body>");
    while s.len() + block.len() + 14 < n {
        s.push_str(&block);
    }
    s.push_str(&fill("<p>x</p>", n.saturating_sub(s.len() + 14)));
    s.push_str("</body></html>");
    s
}

/// The hostile files of issue 15, each under the default 16 MiB file limit: file name and
/// content. Before the cost bounds, the first took `ingest` past 6 GB of RSS in 7 s, the
/// second past 8 GB in 10 s, the third made 717 MB of JSON, the fourth gave no output in
/// 10 minutes.
fn issue15_shapes() -> Vec<(&'static str, String)> {
    let rep = |unit: &str, n: usize| unit.repeat(n / unit.len() + 1);
    vec![
        (
            "80 KB $1,1,1,...,000 billion",
            format!("Acme will spend ${}000 billion on plants.\n", rep("1,", 80_000)),
        ),
        (
            "4.2 MB $5 billion to ...",
            format!("Revenue was {}$5 billion.\n", rep("$5 billion to ", 4_200_000)),
        ),
        (
            "one 128 KiB sentence",
            format!("Acme said {} too.\n", rep("revenue rose 5% and ", 128 << 10)),
        ),
        ("16.5 MB line of short sentences", rep("Acme rose 5%. ", 16_500_000)),
    ]
}

/// One run of the built `claimdex` with `args`, stdout to `out`: wall time, peak RSS
/// (polled from /proc), exit code.
fn run_claimdex(args: &[&std::ffi::OsStr], out: &Path) -> Result<(Duration, u64, Option<i32>), String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_claimdex"));
    let stdout = std::fs::File::create(out).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let mut child = std::process::Command::new(bin)
        .args(args)
        .stdout(stdout)
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let (status, peak) = wait_polling_peak_rss(&mut child, Duration::from_millis(5))?;
    Ok((t.elapsed(), peak, status.code()))
}

/// A measured row of the issue-15 table.
struct HostileRow {
    what: String,
    bytes: u64,
    secs: f64,
    peak: u64,
    output: u64,
    code: Option<i32>,
}

/// `claimdex extract` on each issue-15 file (time, peak RSS, bytes of JSON), then one
/// `claimdex ingest` of all of them beside `corpus/` into a new index (time, peak RSS).
fn issue15_rows(dir: &Path) -> Result<Vec<HostileRow>, String> {
    let files = dir.join("issue15");
    let _ = std::fs::remove_dir_all(&files);
    std::fs::create_dir_all(&files).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for (i, (what, text)) in issue15_shapes().into_iter().enumerate() {
        let file = files.join(format!("shape{i}.txt"));
        std::fs::write(&file, &text).map_err(|e| e.to_string())?;
        let out = dir.join("issue15-extract.jsonl");
        let (t, peak, code) = run_claimdex(&["extract".as_ref(), file.as_os_str()], &out)?;
        let output = std::fs::metadata(&out).map_or(0, |m| m.len());
        rows.push(HostileRow {
            what: format!("extract {what}"),
            bytes: text.len() as u64,
            secs: t.as_secs_f64(),
            peak,
            output,
            code,
        });
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let index = dir.join("issue15-index");
    let _ = std::fs::remove_dir_all(&index);
    let args: [&std::ffi::OsStr; 6] = [
        "ingest".as_ref(),
        "--quiet".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
        corpus.as_os_str(),
        files.as_os_str(),
    ];
    let (t, peak, code) = run_claimdex(&args, &dir.join("issue15-ingest.txt"))?;
    let input: u64 = issue15_shapes().iter().map(|(_, t)| t.len() as u64).sum();
    rows.push(HostileRow {
        what: "ingest corpus/ + all four".into(),
        bytes: input,
        secs: t.as_secs_f64(),
        peak,
        output: 0,
        code,
    });
    Ok(rows)
}

/// Cost bounds on hostile shapes: read + clean + segment + extract time per MiB for
/// inputs of 1, 4 and 16 MiB (it should stay flat), and the peak RSS of `claimdex
/// extract` on one 16 MiB file of each shape (exactly the default --max-file-size).
pub(crate) fn run(o: &Opts) -> Result<(), String> {
    const MIB: usize = 1 << 20;
    type Make = fn(usize) -> String;
    let shapes: [(&str, Format, &str, Make); 4] = [
        ("one line", Format::Text, "txt", |n| {
            fill("Microsoft put $10 billion into OpenAI, up 28.8% in 2025 6. ", n)
        }),
        ("all digits", Format::Text, "txt", |n| fill("1234567890", n)),
        ("all footnote markers", Format::Text, "txt", |n| {
            fill("16,17. [3] [^4] \u{b9}\u{2076} 6. 1,15,22\n", n)
        }),
        ("10^5 nested tags", Format::Html, "html", nested_tags),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-pathological");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for (name, format, ext, make) in shapes {
        let mut per_mib = Vec::new();
        for mib in [1, 4, 16] {
            let bytes = make(mib * MIB).into_bytes();
            let (t, claims) = timed(o.runs, || {
                let text = read::decode(&bytes).map(|t| t.text).unwrap_or_default();
                let cleaned = clean::clean(text, format);
                let units = segment::segment(&cleaned);
                extract::extract(&cleaned, &units).claims.len()
            });
            per_mib.push((t.as_secs_f64() * 1e3 / mib as f64, claims));
            if mib == 16 {
                let file = dir.join(format!("{}.{ext}", name.replace([' ', '^'], "-")));
                std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
                let (rss, ok) = extract_peak_rss(&file)?;
                rows.push((name, per_mib.clone(), rss, ok));
            }
        }
    }
    let hostile = issue15_rows(&dir)?;
    if o.json {
        let v: Vec<_> = rows
            .iter()
            .map(|(name, per, rss, ok)| {
                json!({"shape": name, "ms_per_mib": per.iter().map(|p| p.0).collect::<Vec<_>>(),
                       "claims": per.iter().map(|p| p.1).collect::<Vec<_>>(),
                       "peak_rss_16mib_bytes": rss, "extract_ok": ok})
            })
            .collect();
        let h: Vec<_> = hostile
            .iter()
            .map(|r| {
                json!({"run": r.what, "input_bytes": r.bytes, "seconds": r.secs,
                       "peak_rss_bytes": r.peak, "output_bytes": r.output, "exit_code": r.code})
            })
            .collect();
        println!("{}", json!({"shapes": v, "issue15": h}));
        return Ok(());
    }
    print_pathological(&rows, &hostile);
    Ok(())
}

type ShapeRow<'a> = (&'a str, Vec<(f64, usize)>, u64, bool);

fn print_pathological(rows: &[ShapeRow<'_>], hostile: &[HostileRow]) {
    println!(
        "{:<22} {:>13} {:>13} {:>14} {:>24}",
        "shape", "1 MiB ms/MiB", "4 MiB ms/MiB", "16 MiB ms/MiB", "16 MiB extract peak RSS"
    );
    for (name, per, rss, ok) in rows {
        println!(
            "{:<22} {:>13.1} {:>13.1} {:>14.1} {:>21.0} MB{}",
            name,
            per[0].0,
            per[1].0,
            per[2].0,
            *rss as f64 / 1e6,
            if *ok { "" } else { " (extract failed)" }
        );
    }
    println!();
    println!(
        "{:<46} {:>9} {:>8} {:>10} {:>10} {:>5}",
        "issue 15 hostile files (built binary)", "input MB", "s", "peak RSS", "JSON MB", "exit"
    );
    for r in hostile {
        println!(
            "{:<46} {:>9.2} {:>8.2} {:>7.0} MB {:>10.1} {:>5}",
            r.what,
            r.bytes as f64 / 1e6,
            r.secs,
            r.peak as f64 / 1e6,
            r.output as f64 / 1e6,
            r.code.map_or("signal".to_string(), |c| c.to_string())
        );
    }
}
