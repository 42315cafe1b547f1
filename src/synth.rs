//! A deterministic generator of realistic synthetic articles, for benchmarks and tests.
//!
//! The same seed gives byte-identical files. Articles mix the three input forms
//! (plain-text web captures with chrome, footnote markers and a numbered source list;
//! HTML pages with nav, scripts and footers; Markdown with `[^n]` footnotes) and draw
//! sentences from templates that carry every claim kind, numbers in words and digits,
//! ranges, qualifiers, periods and entity aliases, plus sentences whose digits are not
//! claims (years, product names, quarter names). Figures about the same subject and
//! metric agree or disagree across articles in known ways. Each file's expected claim
//! count is known, so a run can check that nothing was dropped.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::clean::meta::MONTHS;

/// A small, fast, seedable PRNG (xorshift64*), so the generator needs no crate.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // splitmix64 of the seed, never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Organisations with the aliases articles use for them.
const ORGS: &[(&str, &[&str])] = &[
    ("Microsoft", &["Microsoft", "$MSFT", "Microsoft Corp."]),
    ("OpenAI", &["OpenAI"]),
    ("Amazon", &["Amazon", "AWS", "Amazon Web Services", "$AMZN"]),
    ("Google", &["Google", "Alphabet"]),
    ("Anthropic", &["Anthropic"]),
    ("Meta", &["Meta"]),
    ("CoreWeave", &["CoreWeave"]),
    ("Nvidia", &["Nvidia"]),
    ("Oracle", &["Oracle"]),
    ("Broadcom", &["Broadcom"]),
];
const PRODUCTS: &[&str] = &["Azure", "Bedrock", "Trainium", "Foundry", "Copilot"];
const WORD_NUMBERS: &[(&str, u32)] = &[
    ("two", 2),
    ("three", 3),
    ("five", 5),
    ("seven", 7),
    ("ten", 10),
    ("twelve", 12),
];
/// Made-up research firms that poll analysts or forecast.
const POLLSTERS: &[&str] = &["Marlow Research", "Quantel Data", "Brightline Analytics"];
const FILLER: &[&str] = &[
    "Analysts said the arrangement reflects how quickly the economics of frontier models have changed.",
    "The companies did not respond to requests for comment on the terms.",
    "People familiar with the talks described the negotiations as long and, at times, tense.",
    "The shift has forced rivals to rethink where they buy capacity and on what terms.",
    "Executives have argued that demand for inference will outrun supply for several more quarters.",
    "Regulators in Brussels and Washington are watching the web of cross-investments closely.",
    "The announcement came during a week crowded with earnings reports from the largest cloud providers.",
    "Critics warn that circular deals can make revenue look sturdier than the demand behind it.",
    "Engineers familiar with the build-out say power, not chips, is now the binding constraint.",
    "The wording of the filing leaves room for the figure to change as milestones are met.",
];
/// Sentences whose digits are not claims: years, product names, quarter names.
const TRAPS: &[&str] = &[
    "The model family that followed GPT-4 was trained largely on Azure.",
    "Customers running Windows 11 were the first to see the new assistant.",
    "The partnership dates back to 2019 and was reworked in 2025.",
    "Results for Q2 FY2026 were published in late January.",
];

/// One generated sentence and how many claims it holds.
struct Sentence {
    text: String,
    claims: usize,
}

fn money(rng: &mut Rng) -> (String, usize) {
    let whole = 1 + rng.below(400);
    let tenth = rng.below(10);
    let s = match rng.below(6) {
        0 => format!("${whole} billion"),
        1 => format!("${whole}.{tenth} billion"),
        2 => format!("${whole}bn"),
        3 => format!("${} million", whole * 10),
        4 => format!("£{whole}.{tenth}bn"),
        _ => format!("€{whole} billion"),
    };
    (s, 1)
}

fn org(rng: &mut Rng) -> (&'static str, &'static str) {
    let (canon, aliases) = *rng.pick(ORGS);
    (canon, *rng.pick(aliases))
}

fn other_org(rng: &mut Rng, not: &str) -> &'static str {
    loop {
        let (canon, aliases) = *rng.pick(ORGS);
        if canon != not {
            return aliases[0];
        }
    }
}

fn period(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("in {} {}", rng.pick(&MONTHS), 2019 + rng.below(8)),
        1 => format!("by {}", 2020 + rng.below(7)),
        2 => format!("in Q{} FY{}", 1 + rng.below(4), 2024 + rng.below(3)),
        _ => "so far this year".to_string(),
    }
}

/// Who a claim sentence is about: the organisation as the article names it, another
/// organisation, and a qualifier ("up to ", or "" for none).
struct Parties {
    name: &'static str,
    other: &'static str,
    qual: &'static str,
}

/// A sentence template: the sentence it writes with `rng` about the parties, and how many
/// claims it holds.
type Template = fn(&mut Rng, &Parties) -> (String, usize);

/// The claim sentence templates, drawn uniformly (the order is the draw's: changing it
/// changes every corpus).
const TEMPLATES: [Template; 16] = [
    commitment,
    revenue_growth,
    capacity_deal,
    customer_count,
    share_move,
    deal_range,
    business_users,
    market_share_range,
    megawatts_online,
    backlog_share,
    demand_multiple,
    share_points,
    analyst_expectation,
    guidance,
    third_party_forecast,
    segment_revenue,
];

fn claim_sentence(rng: &mut Rng) -> Sentence {
    let (canon, name) = org(rng);
    let other = other_org(rng, canon);
    let qual = *rng.pick(&["", "up to ", "roughly ", "more than ", "about ", "at least "]);
    let parties = Parties { name, other, qual };
    let (text, claims) = TEMPLATES[rng.below(TEMPLATES.len())](rng, &parties);
    Sentence { text, claims }
}

/// "Microsoft committed up to $40 billion to OpenAI by 2026.": one claim.
fn commitment(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let Parties { name, other, qual } = p;
    let (m, n) = money(rng);
    (format!("{name} committed {qual}{m} to {other} {}.", period(rng)), n)
}

/// "Amazon's cloud revenue rose 12.5% to $30 billion in Q2 FY2025.": two claims.
fn revenue_growth(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let (m, _) = money(rng);
    let pct = format!("{}.{}%", 1 + rng.below(60), rng.below(10));
    (format!("{name}'s cloud revenue rose {pct} to {m} {}.", period(rng)), 2)
}

/// "OpenAI will take 4 gigawatts of capacity from Oracle over five years.": two claims.
fn capacity_deal(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let Parties { name, other, .. } = p;
    let gw = 1 + rng.below(9);
    let (w, _) = *rng.pick(WORD_NUMBERS);
    (
        format!("{other} will take {gw} gigawatts of capacity from {name} over {w} years."),
        2,
    )
}

/// "Microsoft said about 4,200 customers now use Azure.": one claim.
fn customer_count(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let Parties { name, qual, .. } = p;
    let n = 200 + rng.below(9800);
    let prod = rng.pick(PRODUCTS);
    (
        format!("{name} said {qual}{} customers now use {prod}.", thousands(n)),
        1,
    )
}

/// "Shares of Nvidia rose 12% year to date.": one claim.
fn share_move(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let dir = *rng.pick(&["fell", "rose", "dropped", "gained"]);
    (
        format!("Shares of {name} {dir} {}% year to date.", 1 + rng.below(40)),
        1,
    )
}

/// "The Oracle deal is worth between 10 and 22 billion dollars, sources said.": one claim.
fn deal_range(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let a = 5 + rng.below(40);
    (
        format!(
            "The {name} deal is worth between {a} and {} billion dollars, sources said.",
            a + 5 + rng.below(20)
        ),
        1,
    )
}

/// "Meta now counts seven million business users across its products.": one claim.
fn business_users(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let (w, _) = *rng.pick(WORD_NUMBERS);
    (
        format!("{name} now counts {w} million business users across its products."),
        1,
    )
}

/// "Google holds an estimated 20-30% of the cloud market.": one claim.
fn market_share_range(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let lo = 10 + rng.below(30);
    (
        format!("{name} holds an estimated {lo}-{}% of the cloud market.", lo + 10),
        1,
    )
}

/// "The first 300 megawatts of CoreWeave capacity came online by 2024.": one claim.
fn megawatts_online(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let mw = 100 + 50 * rng.below(18);
    (
        format!(
            "The first {mw} megawatts of {name} capacity came online {}.",
            period(rng)
        ),
        1,
    )
}

/// "Its backlog reached $80 billion, about 40% of which came from OpenAI.": two claims.
fn backlog_share(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let other = p.other;
    let (m, _) = money(rng);
    (
        format!(
            "Its backlog reached {m}, about {}% of which came from {other}.",
            10 + rng.below(80)
        ),
        2,
    )
}

/// "Demand for Nvidia accelerators grew threefold in the period.": one claim.
fn demand_multiple(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let x = *rng.pick(&["threefold", "3x", "fivefold", "2x"]);
    (format!("Demand for {name} accelerators grew {x} in the period."), 1)
}

/// "Google gained 3 percentage points of market share against Amazon.": one claim.
fn share_points(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let Parties { name, other, .. } = p;
    let pp = 1 + rng.below(9);
    (
        format!("{name} gained {pp} percentage points of market share against {other}."),
        1,
    )
}

// Statements that are not the reported figure: an estimate, the company's own
// guidance, a third party's forecast; and a segment's figure beside the total.

/// "Analysts polled by Quantel Data had expected revenue of $12bn for Meta by 2025.": one
/// claim, an estimate.
fn analyst_expectation(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let (m, _) = money(rng);
    let by = rng.pick(POLLSTERS);
    (
        format!(
            "Analysts polled by {by} had expected revenue of {m} for {name} {}.",
            period(rng)
        ),
        1,
    )
}

/// "Oracle guided to fourth-quarter revenue of $18 billion, plus or minus 2%.": two claims,
/// the company's own guidance.
fn guidance(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let (m, _) = money(rng);
    (
        format!("{name} guided to fourth-quarter revenue of {m}, plus or minus 2%."),
        2,
    )
}

/// "Marlow Research forecasts that Meta's capital spending will reach $70 billion next
/// year.": one claim, a third party's forecast.
fn third_party_forecast(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let (m, _) = money(rng);
    let by = rng.pick(POLLSTERS);
    (
        format!("{by} forecasts that {name}'s capital spending will reach {m} next year."),
        1,
    )
}

/// "Nvidia's gaming revenue was $3.1 billion in Q1 FY2025, up 40% from a year earlier.":
/// two claims, a segment's figure.
fn segment_revenue(rng: &mut Rng, p: &Parties) -> (String, usize) {
    let name = p.name;
    let (m, _) = money(rng);
    let segment = rng.pick(&["data-center", "gaming", "automotive", "advertising"]);
    (
        format!(
            "{name}'s {segment} revenue was {m} {}, up {}% from a year earlier.",
            period(rng),
            2 + rng.below(80)
        ),
        2,
    )
}

fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

/// The forms a generated article takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    WebCapture,
    Html,
    Markdown,
}

/// One generated article.
#[derive(Debug, Clone)]
pub struct Article {
    pub name: String,
    pub form: Form,
    pub text: String,
    /// Claims the article states.
    pub claims: usize,
}

/// Generates article `i` of a corpus with `seed`, about `target` bytes long.
pub fn article(seed: u64, i: usize, target: usize) -> Article {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9E37_79B9));
    let form = match rng.below(20) {
        0..=11 => Form::WebCapture,
        12..=16 => Form::Html,
        _ => Form::Markdown,
    };
    let (canon, _) = org(&mut rng);
    let title = format!("{canon} and the new economics of AI compute, part {}", i + 1);
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut claims = 0;
    let mut size = 0;
    let mut marker = 0u32;
    while size < target {
        let mut para = Vec::new();
        for _ in 0..3 + rng.below(4) {
            let s = match rng.below(10) {
                0..=4 => {
                    let s = claim_sentence(&mut rng);
                    claims += s.claims;
                    s.text
                }
                5 => rng.pick(TRAPS).to_string(),
                _ => rng.pick(FILLER).to_string(),
            };
            let s = if rng.chance(30) {
                marker = marker % 12 + 1;
                cite(form, &s, marker)
            } else {
                s
            };
            size += s.len() + 1;
            para.push(s);
        }
        paragraphs.push(para);
    }
    let sources: Vec<String> = (1..=12)
        .map(|n| {
            format!(
                "{} briefing on compute contracts, part {n} - 2026-{:02}-{:02}",
                canon,
                1 + n % 12,
                1 + n
            )
        })
        .collect();
    let text = match form {
        Form::WebCapture => web_capture(&title, &paragraphs, &sources),
        Form::Html => html_page(&title, &paragraphs),
        Form::Markdown => markdown(&title, &paragraphs, &sources),
    };
    let ext = match form {
        Form::WebCapture => "txt",
        Form::Html => "html",
        Form::Markdown => "md",
    };
    Article {
        name: format!("a{i:06}.{ext}"),
        form,
        text,
        claims,
    }
}

/// Appends a footnote marker in the style of the form, before the final full stop.
fn cite(form: Form, s: &str, n: u32) -> String {
    let body = s.strip_suffix('.').unwrap_or(s);
    match form {
        Form::WebCapture => format!("{body} {n}."),
        Form::Markdown => format!("{body}[^{n}]."),
        Form::Html => format!("{body}.<sup>{n}</sup>"),
    }
}

fn web_capture(title: &str, paragraphs: &[Vec<String>], sources: &[String]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "Skip to content\nThe Compute Ledger\nSign in\nSubscribe\n{title}\n{title}\nBy Ada Lin\nPublished:\nApril 21, 2026\nShare This Article\n\n"
    );
    for p in paragraphs {
        out.push_str(&p.join(" "));
        out.push_str("\n\n");
    }
    out.push_str("Sources\n");
    for (i, s) in sources.iter().enumerate() {
        let _ = writeln!(out, "{}. {s}", i + 1);
    }
    out.push_str("\nComments (0)\nLoading comments...\nNo comments yet\n\nMore from The Compute Ledger\nSee all\nWhy power is the new bottleneck\nA short teaser.\n");
    out
}

fn html_page(title: &str, paragraphs: &[Vec<String>]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} | Example News</title>\
<meta property=\"og:title\" content=\"{title}\"><meta name=\"author\" content=\"Ada Lin\">\
<meta property=\"article:published_time\" content=\"2026-04-21T08:00:00Z\">\
<script>window.dataLayer=[{{id:12345,ts:1712345678}}];</script><style>body{{margin:0 auto;max-width:40em}}</style></head>\
<body><div class=\"cookie\">We use cookies. <button>Accept</button></div><header><nav><a href=\"/\">Home</a> <a href=\"/tech\">Tech</a> \
<a href=\"/markets\">Markets</a></nav></header><main><article><h1>{title}</h1><p class=\"byline\">By Ada Lin</p>\
<time datetime=\"2026-04-21\">21 April 2026</time>"
    );
    for p in paragraphs {
        let _ = writeln!(out, "<p>{}</p>", p.join(" ").replace('&', "&amp;"));
    }
    out.push_str("</article></main><aside><h3>Related</h3><ul><li><a href=\"/x\">Five charts on cloud spending in 2025</a></li></ul></aside>\
<footer><p>&copy; 2026 Example News. All rights reserved.</p></footer><script>track(1,2,3);</script></body></html>\n");
    out
}

fn markdown(title: &str, paragraphs: &[Vec<String>], sources: &[String]) -> String {
    let mut out = format!("# {title}\n\n*By Ada Lin, April 21, 2026*\n\n");
    for (i, p) in paragraphs.iter().enumerate() {
        if i % 4 == 3 {
            let _ = write!(out, "## Section {}\n\n", i / 4 + 1);
        }
        out.push_str(&p.join(" "));
        out.push_str("\n\n");
    }
    for (i, s) in sources.iter().enumerate() {
        let _ = writeln!(out, "[^{}]: {s}", i + 1);
    }
    out
}

/// File sizes: mostly 2-40 KB, some up to 200 KB, one in 500 of several MB.
pub fn file_size(seed: u64, i: usize) -> usize {
    let mut rng = Rng::new(seed.rotate_left(17) ^ i as u64);
    match rng.below(500) {
        0 => 2_000_000 + rng.below(2_000_000),
        1..=40 => 40_000 + rng.below(160_000),
        _ => 2_000 + rng.below(38_000),
    }
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub files: Vec<(PathBuf, usize)>,
    pub bytes: u64,
    pub claims: usize,
}

/// Writes a corpus of about `total_bytes` into `dir`, with `manifest.tsv` (file, claims).
pub fn write_corpus(dir: &Path, seed: u64, total_bytes: u64) -> io::Result<Manifest> {
    fs::create_dir_all(dir)?;
    let mut m = Manifest::default();
    let mut tsv = String::new();
    let mut i = 0;
    while m.bytes < total_bytes {
        let remaining = (total_bytes - m.bytes) as usize;
        let a = article(seed, i, file_size(seed, i).min(remaining.max(1_000)));
        let sub = dir.join(format!("d{:03}", i / 1000));
        fs::create_dir_all(&sub)?;
        let path = sub.join(&a.name);
        fs::write(&path, &a.text)?;
        let _ = writeln!(tsv, "d{:03}/{}\t{}", i / 1000, a.name, a.claims);
        m.bytes += a.text.len() as u64;
        m.claims += a.claims;
        m.files.push((path, a.claims));
        i += 1;
    }
    fs::write(dir.join("manifest.tsv"), tsv)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        for i in 0..20 {
            assert_eq!(article(7, i, 5_000).text, article(7, i, 5_000).text);
        }
        assert_ne!(article(7, 0, 5_000).text, article(8, 0, 5_000).text);
    }

    #[test]
    fn all_forms_and_sizes_appear() {
        let forms: Vec<Form> = (0..60).map(|i| article(1, i, 3_000).form).collect();
        for f in [Form::WebCapture, Form::Html, Form::Markdown] {
            assert!(forms.contains(&f), "{f:?}");
        }
        let a = article(1, 3, 20_000);
        assert!(a.text.len() >= 20_000 && a.claims > 10);
    }
}
