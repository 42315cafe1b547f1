//! The HTML report in a real browser: Debian's `chromium` renders a report of synthetic
//! claims headless to its DOM, a PNG (desktop and phone width) and a PDF. The page must
//! hold every disagreement's section and chart, no console error, no request to anywhere,
//! and none of the hostile article text as markup. Skips (with a note) without chromium.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use claimdex::model::{Claim, IndexedClaim, Kind, Qualifier, Source};
use claimdex::reconcile::{self, Disagreement, Options, Verdict};
use claimdex::report::{self, Format};

const CHROMIUM: &str = "/usr/bin/chromium";

fn claim(path: &str, text: &str, value: f64, set: impl FnOnce(&mut Claim)) -> IndexedClaim {
    let mut c = Claim {
        kind: Kind::Money,
        text: text.into(),
        line: 4,
        start: 0,
        end: 0,
        value,
        value_max: None,
        unit: "USD".into(),
        qualifier: Qualifier::Exact,
        direction: None,
        period: None,
        subject: Some("Microsoft".into()),
        entities: vec!["Microsoft".into(), "OpenAI".into()],
        metric: Some("investment in OpenAI".into()),
        noun: None,
        measure: Default::default(),
        sentence: format!("Microsoft put {text} into OpenAI.").into(),
        citations: vec![1],
    };
    set(&mut c);
    IndexedClaim {
        path: format!("corpus/{path}"),
        title: Some(format!("About {path} <script>alert(1)</script>")),
        // d.md a month and a half later: the groups it is in are drawn as timelines.
        published: Some(if path == "d.md" { "2026-04-15" } else { "2026-03-01" }.into()),
        publisher: match path {
            "a.txt" => Some("Harbour Gazette".into()),
            "c.html" => Some("Quay Weekly <b>bold</b>".into()),
            _ => None,
        },
        url: match path {
            "c.html" => Some("https://quay.example/2026/deal?a=1&b=2".into()),
            "d.md" => Some("javascript:alert(1)".into()),
            _ => None,
        },
        claim: c,
        cited: vec![Source {
            n: 1,
            title: "\"><img src=x onerror=alert(1)> filing".into(),
            date: Some("2026-01-28".into()),
        }],
    }
}

/// A conflict, an explained group with a range, and a consistent group.
fn synthetic() -> Vec<Disagreement> {
    let deal = |c: &mut Claim| {
        c.subject = Some("Amazon".into());
        c.entities = vec!["Amazon".into(), "OpenAI".into()];
        c.metric = Some("deal value with OpenAI".into());
        c.period = Some("2026-02".into());
    };
    let share = |c: &mut Claim| {
        c.unit = "%".into();
        c.kind = Kind::Percent;
        c.subject = Some("AWS".into());
        c.metric = Some("cloud market share".into());
    };
    let claims = vec![
        claim("a.txt", "$38 billion", 38e9, |c| {
            deal(c);
            c.sentence = "<script>alert(1)</script> a $38 billion agreement".into();
        }),
        claim("b.txt", "$50 billion", 50e9, |c| {
            deal(c);
            c.sentence = "\"><img src=x onerror=alert(1)> a $50 billion deal".into();
        }),
        claim("c.html", "$50 billion", 50e9, deal),
        claim("a.txt", "$1 billion", 1e9, |c| c.period = Some("2019".into())),
        claim("b.txt", "$10 billion", 10e9, |c| {
            c.qualifier = Qualifier::UpTo;
            c.period = Some("2023-01".into());
        }),
        claim("d.md", "$10-13 billion", 10e9, |c| {
            c.value_max = Some(13e9);
            c.sentence = "Most estimates of the total land in the $10-13 billion range.".into();
        }),
        claim("c.html", "$13 billion", 13e9, |c| {
            c.period = Some("2023".into());
            c.sentence = "Microsoft's investment grew to $13 billion by 2023.".into();
        }),
        claim("a.txt", "30-40%", 30.0, |c| {
            share(c);
            c.value_max = Some(40.0);
        }),
        claim("b.txt", "32%", 32.0, share),
        claim("d.md", "32%", 32.0, share),
    ];
    reconcile::reconcile(&claims, &Options::default())
}

/// Each figure links to its article file and, where the page gave one, to the article's
/// web page. A group whose articles share a date is a strip with a row per article,
/// labelled by publisher (else file name) and date; one whose articles' dates differ is a
/// timeline with its first and last dates on the axis. Either labels the preferred value.
fn evidence_is_linked(dom: &str, groups: &[Disagreement]) {
    for (i, g) in groups.iter().enumerate() {
        let at = dom.find(&format!("id=\"g{}\"", i + 1)).expect("section");
        let end = dom[at..].find("</section>").map_or(dom.len(), |e| at + e);
        let section = &dom[at..end];
        for v in &g.values {
            let link = format!("<a href=\"{0}\">{0}:{1}</a>", v.article.path, v.line);
            assert!(section.contains(&link), "group {}: no link {link}", i + 1);
        }
        let preferred = section.matches("class=\"tick preferred\"").count();
        assert_eq!(preferred, 1, "group {}: preferred on the axis", i + 1);
        let has_c = g.values.iter().any(|v| v.article.path.ends_with("c.html"));
        let page = "<a class=\"page\" href=\"https://quay.example/2026/deal?a=1&amp;b=2\" rel=\"noreferrer\">page</a>";
        assert_eq!(section.contains(page), has_c, "group {}: the article's page", i + 1);
        let later = g.values.iter().any(|v| v.article.path.ends_with("d.md"));
        let timeline = section.contains("class=\"chart timeline\"");
        assert_eq!(timeline, later, "group {}: a timeline when dates differ", i + 1);
        if timeline {
            for d in ["2026-03-01", "2026-04-15"] {
                let label = "class=\"date\" x=";
                assert!(
                    section.contains(label) && section.contains(&format!(">{d}</text>")),
                    "group {}: {d}",
                    i + 1
                );
            }
        } else {
            strip_rows_are_articles(section, g, i + 1);
        }
    }
}

/// A strip's rows: one per article, labelled by publisher (else file name) and date.
fn strip_rows_are_articles(section: &str, g: &Disagreement, n: usize) {
    let mut articles: Vec<&str> = g.values.iter().map(|v| &*v.article.path).collect();
    articles.sort();
    articles.dedup();
    let rows = section.matches("class=\"row\"").count();
    assert_eq!(rows, articles.len(), "group {n}: a row per article");
    for a in articles {
        let label = match a {
            "corpus/a.txt" => "Harbour Gazette, 2026-03-01",
            "corpus/c.html" => "Quay Weekly &lt;b…, 2026-03-01",
            other => &format!("{}, 2026-03-01", other.trim_start_matches("corpus/")),
        };
        assert!(
            section.contains(&format!(">{label}</text>")),
            "group {n}: no row label {label} in {section}"
        );
    }
}

/// The table cells (of every table) whose content is wider than the cell at `size`, found
/// by the browser's own element boxes: the page is loaded with a probe script (the report
/// itself forbids scripts) that writes what it measured into the DOM.
fn cells_overflowing(dir: &Path, html: &str, size: &str) -> Vec<String> {
    const PROBE: &str = "<script>addEventListener('load', () => { const bad = []; \
        for (const td of document.querySelectorAll('td, th')) { \
          const box = td.getBoundingClientRect(); \
          if (box.width > 0 && td.scrollWidth > td.clientWidth + 1) bad.push(td.dataset.label + ': ' + td.textContent.slice(0, 40)); \
          for (const el of td.querySelectorAll('*')) { const r = el.getBoundingClientRect(); \
            if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)) bad.push(td.dataset.label + ' child: ' + el.textContent.slice(0, 40)); } } \
        const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(bad); \
        document.body.append(pre); });</script>";
    let csp_end = html.find("'unsafe-inline'\">").expect("CSP") + "'unsafe-inline'\">".len();
    let csp_start = html[..csp_end].rfind("<meta").expect("CSP meta");
    let probed = format!("{}{}", &html[..csp_start], &html[csp_end..]).replace("</body>", &format!("{PROBE}</body>"));
    let page = dir.join(format!("probe-{size}.html"));
    std::fs::write(&page, probed).expect("write probe page");
    let profile = dir.join(format!("profile-probe-{size}"));
    let args = [
        format!("--window-size={size}"),
        "--virtual-time-budget=3000".into(),
        "--dump-dom".into(),
        format!("file://{}", page.display()),
    ];
    let (ok, dom, log) = chromium(&profile, &args);
    assert!(ok, "chromium --dump-dom of the probe failed: {log}");
    let at = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let json = &dom[at..at + dom[at..].find("</pre>").expect("probe end")];
    serde_json::from_str(
        &json
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
    .expect("probe JSON")
}

/// Runs chromium with a time limit; returns (success, stdout, stderr).
fn chromium(profile: &Path, args: &[String]) -> (bool, String, String) {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
        // Any name lookup fails: a page that tried the network would show it in the log.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let Ok(mut child) = cmd.spawn() else {
        return (false, String::new(), "cannot start chromium".into());
    };
    let mut out = String::new();
    let mut err = String::new();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut o) = stdout {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut e) = stderr {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let start = Instant::now();
    let ok = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) if start.elapsed() < Duration::from_secs(120) => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break false;
            }
        }
    };
    if let Ok(s) = t_out.join() {
        out = s;
    }
    if let Ok(s) = t_err.join() {
        err = s;
    }
    (ok, out, err)
}

/// The lines of chromium's log that come from the page: console messages, CSP refusals and
/// failed loads.
fn page_problems(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Refused to")
                || l.contains("ERR_NAME_NOT_RESOLVED")
                || l.contains("Uncaught")
        })
        .collect()
}

fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    Some((w, h))
}

#[test]
fn chromium_renders_every_section_and_chart() {
    if !Path::new(CHROMIUM).exists() {
        let why = format!("{CHROMIUM} is absent (apt-get install chromium)");
        common::cannot_run("chromium_renders_every_section_and_chart", &why, true);
        return;
    }
    let groups = synthetic();
    assert_eq!(
        groups.iter().map(|g| g.verdict).collect::<Vec<_>>(),
        [Verdict::Conflict, Verdict::Explained, Verdict::Consistent],
        "{groups:#?}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let html_path = dir.path().join("report.html");
    let html = report::render_to_string(&groups, Format::Html).expect("render");
    std::fs::write(&html_path, &html).expect("write report");
    let url = format!("file://{}", html_path.display());
    let profile = |name: &str| -> PathBuf { dir.path().join(format!("profile-{name}")) };

    // The DOM after rendering.
    let (ok, dom, log) = chromium(&profile("p1"), &["--dump-dom".into(), url.clone()]);
    assert!(ok, "chromium --dump-dom failed: {log}");
    assert!(
        page_problems(&log).is_empty(),
        "page problems: {:?}",
        page_problems(&log)
    );
    assert!(dom.contains("id=\"summary\""), "no summary");
    // The summary table: a row per group, linking to its section; a legend.
    let toc_at = dom.find("<table class=\"toc\">").expect("summary table");
    let toc = &dom[toc_at..toc_at + dom[toc_at..].find("</table>").expect("table end")];
    for i in 1..=groups.len() {
        assert!(toc.contains(&format!("href=\"#g{i}\"")), "summary row {i} missing");
    }
    assert!(dom.contains("class=\"legend"), "no legend");
    // Consistent groups are folded away, after the disagreements.
    let details = dom
        .find("<details class=\"consistent\">")
        .expect("consistent groups folded");
    for (i, g) in groups.iter().enumerate() {
        let at = dom.find(&format!("id=\"g{}\"", i + 1)).expect("section");
        assert_eq!(
            at > details,
            g.verdict == Verdict::Consistent,
            "group {} folded or not",
            i + 1
        );
    }
    for (i, g) in groups.iter().enumerate() {
        let id = format!("id=\"g{}\"", i + 1);
        let at = dom.find(&id).unwrap_or_else(|| panic!("section {id} missing"));
        let end = dom[at..].find("</section>").map_or(dom.len(), |e| at + e);
        let section = &dom[at..end];
        assert!(
            section.contains(&format!("id=\"chart-g{}\"", i + 1)),
            "chart of {id} missing"
        );
        assert!(section.contains("<svg"), "chart of {id} is not an svg");
        let marks = section.matches("class=\"mark ").count();
        assert_eq!(marks, g.values.len(), "{id}: one mark per value");
        let ranges = g.values.iter().filter(|v| v.value_max.is_some()).count();
        assert_eq!(
            section.matches("class=\"mark range").count(),
            ranges,
            "{id}: ranges as bars"
        );
        assert!(section.contains(&format!("data-verdict=\"{}\"", g.verdict.as_str())));
        assert_eq!(
            section.matches("<tr class=").count(),
            g.values.len(),
            "{id}: one row per value"
        );
    }
    evidence_is_linked(&dom, &groups);
    // Hostile article text is text, never markup; nothing is loaded from anywhere, and the
    // only links off the page are the articles' own pages.
    assert!(!dom.contains("<script"), "script element in the DOM");
    assert!(!dom.contains("<img"), "img element in the DOM");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!dom.contains("javascript:"), "a scripted link");
    for attr in [" src=\"", "href=\"//", "url("] {
        assert!(!dom.contains(attr), "external reference {attr}");
    }
    assert_eq!(
        dom.matches("href=\"http").count(),
        dom.matches("class=\"page\" href=\"https://").count(),
        "a web link that is not an article's page"
    );
    for (name, size) in [("desktop", "1400,900"), ("phone", "390,844")] {
        let overflow = cells_overflowing(dir.path(), &html, size);
        assert!(
            overflow.is_empty(),
            "{name}: cells whose content overflows: {overflow:?}"
        );
    }

    // A screenshot at desktop and phone width, and a PDF.
    for (name, size) in [("desktop.png", "1280,900"), ("phone.png", "390,844")] {
        let png = dir.path().join(name);
        let (ok, _, log) = chromium(
            &profile(name),
            &[
                format!("--window-size={size}"),
                format!("--screenshot={}", png.display()),
                url.clone(),
            ],
        );
        assert!(ok, "chromium --screenshot failed: {log}");
        assert!(
            page_problems(&log).is_empty(),
            "page problems: {:?}",
            page_problems(&log)
        );
        let bytes = std::fs::read(&png).expect("screenshot written");
        let (w, h) = png_size(&bytes).expect("a PNG");
        assert!(w > 0 && h > 0, "{name}: {w}x{h}");
        assert!(
            bytes.len() > 5_000,
            "{name}: suspiciously small ({} bytes)",
            bytes.len()
        );
    }
    let pdf = dir.path().join("report.pdf");
    let (ok, _, log) = chromium(
        &profile("pdf"),
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            url,
        ],
    );
    assert!(ok, "chromium --print-to-pdf failed: {log}");
    let bytes = std::fs::read(&pdf).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    assert!(bytes.len() > 5_000, "PDF suspiciously small");

    // Keep what was rendered for a person to look at (CI artefacts), when asked.
    if let Some(keep) = std::env::var_os("CLAIMDEX_REPORT_ARTIFACTS") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).expect("artefact dir");
        for f in ["report.html", "report.pdf", "desktop.png", "phone.png"] {
            std::fs::copy(dir.path().join(f), keep.join(f)).expect("copy artefact");
        }
    }
}
