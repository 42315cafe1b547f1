//! Issue 18: footnote markers in the middle of a sentence, and text in any encoding
//! with offsets that slice the file.
//!
//! The marker fixtures (`tests/fixtures/markers/`) are written for this project in the
//! style of the articles claimdex was made for: bare markers after words, closing
//! quotes and brackets, before commas, full stops, semicolons, line ends and words, in
//! lists of up to three, and right after a real count ("sold 13 barges 13,").

use std::path::Path;

use claimdex::clean::Format;
use claimdex::model::{Document, Kind};
use claimdex::pipeline::{self, Options};
use claimdex::read;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn extract_file(rel: &str) -> (Document, Vec<u8>) {
    let path = root().join(rel);
    let doc = pipeline::process_file(&path, &Options::default()).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (doc, raw)
}

fn extract_bytes(raw: &[u8], format: Format) -> Document {
    let text = read::decode(raw).unwrap_or_else(|e| panic!("decode: {e}"));
    pipeline::process_text("t", text, format, &Options::default()).expect("within budget")
}

/// Every claim's and citation's offsets slice its text out of the raw file.
fn assert_offsets_slice(doc: &Document, raw: &[u8]) {
    let enc = doc
        .encoding
        .as_deref()
        .and_then(|n| encoding_rs::Encoding::for_label(n.as_bytes()));
    for c in &doc.claims {
        let got = read::decode_span(enc, &raw[c.start..c.end]);
        assert_eq!(got, c.text, "claim at {}..{}", c.start, c.end);
    }
    for c in &doc.citations {
        let got = read::decode_span(enc, &raw[c.start..c.end]);
        let first = c.markers[0].to_string();
        assert!(got.starts_with(&first), "citation {:?} slices {got:?}", c.markers);
    }
}

/// Gold citations of the marker fixtures: file, markers, a phrase of the sentence just
/// before the marker.
const GOLD_CITATIONS: &[(&str, &[u32], &str)] = &[
    ("harbour-routes.txt", &[3], "from Corvo"),
    ("harbour-routes.txt", &[3, 4], "\"two more routes\""),
    ("harbour-routes.txt", &[5], "$1.2 billion to the seller"),
    ("harbour-routes.txt", &[6], "cargo revenue"),
    ("harbour-routes.txt", &[6, 7], "hit it first"),
    ("harbour-routes.txt", &[13], "sold 13 barges"),
    ("harbour-routes.txt", &[2, 8, 11], "analysts were cautious"),
    ("harbour-routes.txt", &[9], "(\"a distant rival\")"),
    ("harbour-routes.txt", &[10], "runs 22 vessels"),
    ("harbour-routes.txt", &[12], "leasing others"),
    ("harbour-routes.txt", &[1], "in the first half"),
    ("harbour-routes.txt", &[5], "\"manageable\""),
    ("grid-storage-crlf.txt", &[2], "at its eastern site"),
    ("grid-storage-crlf.txt", &[2, 3], "1.5 GWh by next year"),
    ("grid-storage-crlf.txt", &[4], "$640 million on the project"),
    ("grid-storage-crlf.txt", &[4, 5], "a further $90 million"),
    ("grid-storage-crlf.txt", &[6], "enough for 9 towns"),
    ("grid-storage-crlf.txt", &[7], "(\"a useful margin\")"),
    ("grid-storage-crlf.txt", &[6], "employs 6 engineers"),
    ("grid-storage-crlf.txt", &[1], "above the regional rate"),
];

/// Real figures of the fixtures that sit next to markers: (file, text, kind, value).
const GOLD_FIGURES: &[(&str, &str, Kind, f64)] = &[
    ("harbour-routes.txt", "13", Kind::Count, 13.0),
    ("harbour-routes.txt", "22", Kind::Count, 22.0),
    ("harbour-routes.txt", "$1.2 billion", Kind::Money, 1.2e9),
    ("harbour-routes.txt", "30%", Kind::Percent, 30.0),
    ("harbour-routes.txt", "18%", Kind::Percent, 18.0),
    ("grid-storage-crlf.txt", "400 megawatt hours", Kind::Energy, 4e8),
    ("grid-storage-crlf.txt", "1.5 GWh", Kind::Energy, 1.5e9),
    ("grid-storage-crlf.txt", "$90 million", Kind::Money, 9e7),
    ("grid-storage-crlf.txt", "9", Kind::Count, 9.0),
    ("grid-storage-crlf.txt", "6", Kind::Count, 6.0),
    ("grid-storage-crlf.txt", "12%", Kind::Percent, 12.0),
];

#[test]
fn mid_sentence_markers_are_citations_not_counts() {
    let (mut tp, mut fp, mut total_gold) = (0, 0, 0);
    for file in ["harbour-routes.txt", "grid-storage-crlf.txt"] {
        let (doc, raw) = extract_file(&format!("tests/fixtures/markers/{file}"));
        assert_offsets_slice(&doc, &raw);
        let mut gold: Vec<(&[u32], &str)> = GOLD_CITATIONS
            .iter()
            .filter(|g| g.0 == file)
            .map(|g| (g.1, g.2))
            .collect();
        total_gold += gold.len();
        for c in &doc.citations {
            // The phrase ends right before the marker (past a closing bracket or quote).
            let before = String::from_utf8_lossy(&raw[c.start.saturating_sub(40)..c.start]);
            let before = before.split_whitespace().collect::<Vec<_>>().join(" ");
            match gold
                .iter()
                .position(|(m, p)| *m == c.markers.as_slice() && before.ends_with(p))
            {
                Some(k) => {
                    gold.remove(k);
                    tp += 1;
                }
                None => {
                    fp += 1;
                    eprintln!("{file}: false citation {:?} after {before:?}", c.markers);
                }
            }
        }
        for (m, p) in &gold {
            eprintln!("{file}: missed citation {m:?} after {p:?}");
        }
        // No marker is read as a claim.
        for c in &doc.claims {
            let inside = doc.citations.iter().any(|m| c.start < m.end && m.start < c.end);
            assert!(!inside, "{file}: claim {:?} overlaps a marker", c.text);
        }
        for (f, text, kind, value) in GOLD_FIGURES.iter().filter(|g| g.0 == file) {
            let found = doc
                .claims
                .iter()
                .any(|c| c.text == *text && c.kind == *kind && c.value == *value);
            assert!(
                found,
                "{f}: figure {text:?} ({kind:?} {value}) missing: {:#?}",
                doc.claims
            );
        }
        let stray: Vec<&str> = doc
            .claims
            .iter()
            .filter(|c| c.kind == Kind::Count && !GOLD_FIGURES.iter().any(|g| g.0 == file && g.1 == c.text))
            .map(|c| c.text.as_str())
            .filter(|t| t.parse::<u32>().is_ok_and(|n| n <= 13))
            .collect();
        assert!(
            stray.iter().all(|t| *t == "4"),
            "{file}: counts read from markers: {stray:?}"
        );
        assert!(
            !doc.warnings
                .iter()
                .any(|w| w.contains("never cited") || w.contains("no source")),
            "{file}: {:?}",
            doc.warnings
        );
    }
    let p = tp as f64 / (tp + fp) as f64;
    let r = tp as f64 / total_gold as f64;
    assert_eq!((p, r), (1.0, 1.0), "citation P/R (tp {tp}, fp {fp}, gold {total_gold})");
}

#[test]
fn without_a_source_list_mid_sentence_numbers_stay_as_they_were() {
    let raw = "Vela bought the routes from Corvo 3, with an option on 2 more.\n";
    let doc = extract_bytes(raw.as_bytes(), Format::Text);
    assert!(doc.citations.is_empty(), "{:?}", doc.citations);
}

/// One article in every encoding: the decoded sentence and its £, € and ¥ figures.
const ARTICLE: &str = "Currency test\n\n\
    Tessaro said it will spend £40 million on the café chain, “a fair price” – and €12 million on kit.\n\
    Its Osaka unit earned ¥900 million in the year.\n";

const SENTENCES: [&str; 2] = [
    "Tessaro said it will spend £40 million on the café chain, “a fair price” – and €12 million on kit.",
    "Its Osaka unit earned ¥900 million in the year.",
];

fn assert_article(doc: &Document, raw: &[u8], encoding: Option<&str>, figures: &[(&str, &str, f64)]) {
    assert_eq!(doc.encoding.as_deref(), encoding);
    assert_offsets_slice(doc, raw);
    for (text, unit, value) in figures {
        let c = doc
            .claims
            .iter()
            .find(|c| c.text == *text)
            .unwrap_or_else(|| panic!("{encoding:?}: no {text:?} in {:#?}", doc.claims));
        assert_eq!((c.unit.as_str(), c.value), (*unit, *value), "{text}");
        assert!(SENTENCES.contains(&&*c.sentence), "{encoding:?}: {:?}", c.sentence);
        assert!(!c.sentence.contains('\u{FFFD}'));
    }
}

const ALL_FIGURES: &[(&str, &str, f64)] = &[
    ("£40 million", "GBP", 4e7),
    ("€12 million", "EUR", 1.2e7),
    ("¥900 million", "JPY", 9e8),
];

#[test]
fn windows_1252() {
    let (raw, _, unmappable) = encoding_rs::WINDOWS_1252.encode(ARTICLE);
    assert!(!unmappable);
    assert!(raw.contains(&0x93) && raw.contains(&0xA3) && raw.contains(&0x80));
    assert_article(
        &extract_bytes(&raw, Format::Text),
        &raw,
        Some("windows-1252"),
        ALL_FIGURES,
    );
}

#[test]
fn latin_1() {
    // ISO-8859-1 has no € and no curly quotes: the article as Latin-1 writes it.
    let latin = ARTICLE
        .replace(['“', '”'], "\"")
        .replace('–', "-")
        .replace("€12", "£12");
    let raw: Vec<u8> = latin.chars().map(|c| c as u32 as u8).collect();
    let doc = extract_bytes(&raw, Format::Text);
    assert_eq!(doc.encoding.as_deref(), Some("windows-1252"));
    assert_offsets_slice(&doc, &raw);
    let texts: Vec<(&str, &str)> = doc.claims.iter().map(|c| (c.text.as_str(), c.unit.as_str())).collect();
    for want in [("£40 million", "GBP"), ("£12 million", "GBP"), ("¥900 million", "JPY")] {
        assert!(texts.contains(&want), "{want:?} in {texts:?}");
    }
    assert!(
        doc.claims[0]
            .sentence
            .contains("the café chain, \"a fair price\" - and")
    );
}

#[test]
fn utf16_with_and_without_bom() {
    for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        let mut raw = match (bom, big_endian) {
            (true, false) => vec![0xFF, 0xFE],
            (true, true) => vec![0xFE, 0xFF],
            _ => Vec::new(),
        };
        raw.extend(
            ARTICLE
                .encode_utf16()
                .flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }),
        );
        let name = if big_endian { "utf-16be" } else { "utf-16le" };
        assert_article(&extract_bytes(&raw, Format::Text), &raw, Some(name), ALL_FIGURES);
    }
}

#[test]
fn utf8_with_bom_and_plain() {
    let mut raw = vec![0xEF, 0xBB, 0xBF];
    raw.extend_from_slice(ARTICLE.as_bytes());
    assert_article(&extract_bytes(&raw, Format::Text), &raw, None, ALL_FIGURES);
    assert_article(
        &extract_bytes(ARTICLE.as_bytes(), Format::Text),
        ARTICLE.as_bytes(),
        None,
        ALL_FIGURES,
    );
}

#[test]
fn utf8_with_invalid_bytes_keeps_file_offsets() {
    let mut raw = ARTICLE.as_bytes().to_vec();
    // Bad bytes and a stray NUL in the title, before every figure.
    raw.splice(8..8, [0xFF, 0xC3]);
    raw.splice(3..3, [0x00]);
    let doc = extract_bytes(&raw, Format::Text);
    assert_article(&doc, &raw, None, ALL_FIGURES);
    assert!(
        doc.warnings.iter().any(|w| w.contains("invalid UTF-8")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn shift_jis() {
    // A Japanese title and a sentence naming the firm in both scripts.
    let article = "大阪ガスの決算\n\n大阪ガス（Osaka Gas）は、今年 earned 900 million yen in the year.\n";
    let (raw, _, _) = encoding_rs::SHIFT_JIS.encode(article);
    let doc = extract_bytes(&raw, Format::Text);
    assert_eq!(doc.encoding.as_deref(), Some("shift_jis"));
    assert_offsets_slice(&doc, &raw);
    let c = doc.claims.iter().find(|c| c.unit == "JPY").expect("a yen figure");
    assert_eq!((c.text.as_str(), c.value), ("900 million yen", 9e8));
    assert_eq!(
        &*c.sentence,
        "大阪ガス（Osaka Gas）は、今年 earned 900 million yen in the year."
    );
}

#[test]
fn html_declaring_windows_1252() {
    let page = "<html lang=\"en\"><head><meta charset=\"windows-1252\"><title>Pound deal</title></head>\
                <body><p>Tessaro will spend £40 million on the café chain, “a fair price”.</p></body></html>";
    let (raw, _, _) = encoding_rs::WINDOWS_1252.encode(page);
    let doc = extract_bytes(&raw, Format::Html);
    assert_eq!(doc.encoding.as_deref(), Some("windows-1252"));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let c = &doc.claims[0];
    assert_eq!((c.text.as_str(), c.unit.as_str()), ("£40 million", "GBP"));
    assert_eq!(
        &*c.sentence,
        "Tessaro will spend £40 million on the café chain, “a fair price”."
    );
}
