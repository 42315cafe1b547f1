//! Property tests: read, clean and segment never panic and keep their invariants on
//! arbitrary bytes and on corpus articles mutated in hostile ways.
//!
//! CI runs a modest number of cases; set `PROPTEST_CASES=10000` for a longer run.

use std::path::Path;

use claimdex::clean::{self, Format};
use claimdex::{extract, invariants, pipeline, read, segment};
use proptest::prelude::*;

fn check_invariants(bytes: &[u8], format: Format) {
    let Ok(text) = read::decode(bytes) else { return };
    let cleaned = clean::clean(text.text, format);
    let units = segment::segment(&cleaned);
    let ex = extract::extract(&cleaned, &units);
    if let Err(e) = invariants::check(&cleaned, &units, &ex) {
        panic!("{e}");
    }
    // Deterministic: the same input gives the same units and claims.
    let again = clean::clean(cleaned.text.clone(), format);
    if format != Format::Html {
        let again_units = segment::segment(&again);
        assert_eq!(units, again_units);
        assert_eq!(ex.claims, extract::extract(&again, &again_units).claims);
    }
}

fn corpus_texts() -> Vec<(Format, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    claimdex::walk::walk(&[dir])
        .files
        .iter()
        .filter_map(|p| {
            std::fs::read(p)
                .ok()
                .map(|b| (Format::of(p, &String::from_utf8_lossy(&b)), b))
        })
        .collect()
}

/// Hostile things to splice into an article.
const INSERTS: &[&str] = &[
    "\0",
    "\r",
    "\u{200F}",
    "\u{200B}",
    "\u{00A0}",
    "\u{FEFF}",
    "１２３．５％",
    "$1\u{200B}0 billion",
    "4\u{00A0}5%",
    "U.S.",
    "...",
    "[^",
    "[3–",
    "¹⁶",
    "<div><div><p>",
    "</p></div>",
    "\n\n# ",
    "\n- ",
    "\n1. ",
    "\u{FFFD}",
    "😀",
];

fn mutate(base: &[u8], ops: &[(usize, usize)]) -> Vec<u8> {
    let mut v = base.to_vec();
    for &(at, which) in ops {
        let at = at % (v.len() + 1);
        let ins = INSERTS[which % INSERTS.len()].as_bytes();
        v.splice(at..at, ins.iter().copied());
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), f in 0usize..3) {
        let format = [Format::Text, Format::Markdown, Format::Html][f];
        check_invariants(&bytes, format);
    }

    #[test]
    fn utf16_with_lone_surrogates(units in proptest::collection::vec(any::<u16>(), 0..512), le in any::<bool>()) {
        let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in units {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        check_invariants(&bytes, Format::Text);
    }

    #[test]
    fn mutated_corpus_articles(which in 0usize..64, ops in proptest::collection::vec((any::<usize>(), any::<usize>()), 1..24)) {
        let texts = corpus_texts();
        prop_assume!(!texts.is_empty());
        let (format, base) = &texts[which % texts.len()];
        check_invariants(&mutate(base, &ops), *format);
    }
}

/// Bytes spliced in by the offset property (issue 18): invalid UTF-8 (a lone
/// continuation byte, cut sequences, a byte never valid), CR and CRLF, NBSP,
/// zero-width characters, a BOM and NUL.
const HOSTILE_BYTES: &[&[u8]] = &[
    b"\xFF",
    b"\xC3",
    b"\x80",
    b"\xE2\x82",
    b"\xF0\x9F\x98",
    b"\r",
    b"\r\n",
    "\u{A0}".as_bytes(),
    "\u{200B}".as_bytes(),
    "\u{200D}".as_bytes(),
    "\u{FEFF}".as_bytes(),
    b"\0",
];

/// A corpus article re-encoded (0: as it is, 1: windows-1252, 2: UTF-16LE with a BOM,
/// 3: UTF-16BE without, 4: UTF-8 with a BOM), then hostile bytes spliced in.
fn hostile_copy(base: &[u8], encoding: usize, ops: &[(usize, usize)]) -> Vec<u8> {
    let text = String::from_utf8_lossy(base);
    let utf16 = |s: &str, be: bool| -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect()
    };
    let mut v = match encoding {
        1 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
        2 => [&[0xFF, 0xFE][..], &utf16(&text, false)].concat(),
        3 => utf16(&text, true),
        4 => [&[0xEF, 0xBB, 0xBF][..], base].concat(),
        _ => base.to_vec(),
    };
    for &(at, which) in ops {
        let ins = HOSTILE_BYTES[which % HOSTILE_BYTES.len()];
        let at = at % (v.len() + 1);
        match encoding {
            // In UTF-16, whole code units: the character, or a lone surrogate for bad bytes.
            2 | 3 => {
                let unit = std::str::from_utf8(ins).map_or_else(|_| vec![0xD8, 0x00], |s| utf16(s, encoding == 3));
                let at = (at & !1).max(if encoding == 2 { 2 } else { 0 }).min(v.len());
                v.splice(at..at, unit);
            }
            _ => {
                v.splice(at..at, ins.iter().copied());
            }
        }
    }
    v
}

/// `bytes` decoded with `enc`, controls blanked as the pipeline blanks them (issue 15).
fn decode_blanked(enc: Option<&'static encoding_rs::Encoding>, bytes: &[u8]) -> String {
    let mut s = read::decode_span(enc, bytes);
    claimdex::printable::blank_controls(&mut s);
    s
}

/// Every claim's and citation's `start`/`end` slices its text out of the raw file
/// (controls blanked: the pipeline turns them into spaces of the same byte length).
fn check_file_offsets(raw: &[u8], format: Format) {
    let Ok(text) = read::decode(raw) else { return };
    let enc = text.encoding;
    let mut blanked = text.text.clone();
    claimdex::printable::blank_controls(&mut blanked);
    let cleaned = clean::clean(blanked, format);
    let units = segment::segment(&cleaned);
    let ex = extract::extract(&cleaned, &units);
    let doc = pipeline::process_text("a", text, format, &pipeline::Options::default()).expect("within budget");
    assert_eq!(doc.claims.len(), ex.claims.len());
    for c in &doc.claims {
        assert!(
            c.start <= c.end && c.end <= raw.len(),
            "claim {:?} at {}..{}",
            c.text,
            c.start,
            c.end
        );
        assert_eq!(
            decode_blanked(enc, &raw[c.start..c.end]),
            c.text,
            "claim at {}..{}",
            c.start,
            c.end
        );
    }
    for (c, t) in doc.citations.iter().zip(&ex.citations) {
        let want = &cleaned.text[t.start..t.end];
        assert_eq!(
            decode_blanked(enc, &raw[c.start..c.end]),
            want,
            "citation {:?}",
            c.markers
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Issue 18: offsets hold in any encoding, whatever is spliced into the file.
    #[test]
    fn offsets_slice_the_raw_file(
        which in 0usize..64,
        encoding in 0usize..5,
        ops in proptest::collection::vec((any::<usize>(), any::<usize>()), 0..24),
    ) {
        let texts: Vec<_> = corpus_texts().into_iter().filter(|(f, _)| *f != Format::Html).collect();
        prop_assume!(!texts.is_empty());
        let (format, base) = &texts[which % texts.len()];
        check_file_offsets(&hostile_copy(base, encoding, &ops), *format);
    }
}

#[test]
fn pathological_shapes() {
    let long_line = "The backlog grew 6. ".repeat(50_000);
    check_invariants(long_line.as_bytes(), Format::Text);
    let cr_only = "Title\rBy Ada Lin\r\rMicrosoft put $1 billion in. It grew.\r".repeat(1000);
    check_invariants(cr_only.as_bytes(), Format::Text);
    let nested = format!(
        "<html><body>{}<p>Deep $5 billion.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    check_invariants(nested.as_bytes(), Format::Html);
    let digits = "1234567890".repeat(100_000);
    check_invariants(digits.as_bytes(), Format::Text);
    let mut sources = String::from("Article\n\nA claim 1.\n\nSources\n");
    for n in 1..=10_000 {
        sources.push_str(&format!("{n}. A cited piece number {n} - 2026-04-13\n"));
    }
    check_invariants(sources.as_bytes(), Format::Text);
}

/// Every input that ever broke something (saved by `examples/fuzz.rs` or by hand).
#[test]
fn regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    // The walk takes the article files (.txt, .md, .html) and leaves out .gitkeep.
    for p in &claimdex::walk::walk(&[dir]).files {
        let bytes = std::fs::read(p).unwrap_or_default();
        check_invariants(&bytes, Format::of(p, &String::from_utf8_lossy(&bytes)));
    }
}

// ---- reconcile: arbitrary claims never panic and always give the same report ----

mod reconcile_props {
    use claimdex::model::{Claim, Direction, IndexedClaim, Kind, Qualifier, Source};
    use claimdex::reconcile::{self, Options};
    use proptest::prelude::*;

    /// Pieces of sentences: multi-byte punctuation next to figures, letters whose lower case
    /// has another byte length (`İ`, the Kelvin sign, `ẞ`), right-to-left marks, empty.
    const PIECES: &[&str] = &[
        "",
        " ",
        "Microsoft",
        "OpenAI",
        "Amazon",
        "AWS",
        " invested ",
        " up to ",
        " between ",
        " and ",
        " so far this year",
        " a year",
        " each",
        " of which ",
        ", ",
        "; ",
        ": ",
        "(",
        ")",
        "\u{2013}",
        "\u{2014}",
        "\u{2026}",
        "\u{201C}",
        "\u{2019}",
        "\u{200F}",
        "\u{00A0}",
        "\u{0130}",
        "\u{212A}",
        "\u{1E9E}",
        "😀",
        "$10 billion",
        "$13bn",
        "10%",
        "2 GW",
        "1,500 customers",
        "[5\u{2013}7]",
        ".",
    ];
    const NAMES: &[&str] = &[
        "Microsoft",
        "OpenAI",
        "AWS",
        "",
        "\u{0130}stanbul Co",
        "ÉDF \u{2014} Group",
        "…",
    ];
    const METRICS: &[&str] = &[
        "investment",
        "deal value",
        "",
        "market share \u{2013} cloud",
        "capacity…",
    ];
    const UNITS: &[&str] = &["USD", "%", "W", "count", "", "€"];
    const PERIODS: &[&str] = &["2023-01", "2026", "Q2 FY2026", "", "2024\u{2013}2025"];
    const VALUES: &[f64] = &[
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::MIN_POSITIVE,
        5e-324,
        1e-300,
        1e9,
        1.3e10,
        1e300,
        f64::MAX,
        -f64::MAX,
    ];
    const KINDS: &[Kind] = &Kind::ALL;
    const QUALIFIERS: &[Qualifier] = &[
        Qualifier::Exact,
        Qualifier::Approx,
        Qualifier::UpTo,
        Qualifier::AtLeast,
        Qualifier::MoreThan,
        Qualifier::LessThan,
    ];

    fn text_of(ix: &[usize]) -> String {
        ix.iter().map(|&i| PIECES[i % PIECES.len()]).collect()
    }

    fn opt(list: &[&str], i: usize) -> Option<String> {
        (i < list.len()).then(|| list[i].to_string())
    }

    prop_compose! {
        fn indexed_claim()(
            path in 0usize..4,
            sentence in proptest::collection::vec(any::<usize>(), 0..16),
            text in proptest::collection::vec(any::<usize>(), 0..3),
            text_from_sentence in any::<bool>(),
            (value, max) in (0usize..VALUES.len(), 0usize..VALUES.len() + 2),
            (kind, qualifier, direction) in (0usize..KINDS.len(), 0usize..QUALIFIERS.len(), 0usize..3),
            (subject, counterpart, metric, unit, period) in (0usize..NAMES.len() + 1, 0usize..NAMES.len() + 1, 0usize..METRICS.len() + 1, 0usize..UNITS.len(), 0usize..PERIODS.len() + 1),
            (title, cites) in (proptest::collection::vec(any::<usize>(), 0..4), proptest::collection::vec(0u32..4, 0..3)),
        ) -> IndexedClaim {
            let sentence = text_of(&sentence);
            // The claim's text is mostly a slice of its sentence (as the extractor makes
            // it), cut at a char boundary; otherwise any piece, found in it or not.
            let text = if text_from_sentence && !sentence.is_empty() {
                let cut: Vec<usize> = sentence.char_indices().map(|(i, _)| i).collect();
                let a = cut[text.first().copied().unwrap_or(0) % cut.len()];
                let b = text.get(1).map_or(sentence.len(), |&j| cut[j % cut.len()].max(a));
                sentence[a..b].to_string()
            } else {
                text_of(&text)
            };
            let value = VALUES[value];
            let value_max = VALUES.get(max).copied().filter(|m| *m > value);
            let mut entities: Vec<String> = Vec::new();
            for n in [subject, counterpart] {
                if let Some(e) = opt(NAMES, n) {
                    entities.push(e);
                }
            }
            IndexedClaim {
                path: format!("corpus/article-{path}.txt"),
                title: (!title.is_empty()).then(|| text_of(&title)),
                published: opt(PERIODS, period),
                publisher: None,
                url: None,
                claim: Claim {
                    kind: KINDS[kind],
                    text,
                    line: 1 + path,
                    start: 0,
                    end: 0,
                    value,
                    value_max,
                    unit: UNITS[unit].to_string(),
                    qualifier: QUALIFIERS[qualifier],
                    direction: [None, Some(Direction::Up), Some(Direction::Down)][direction],
                    period: opt(PERIODS, period),
                    subject: opt(NAMES, subject),
                    entities,
                    metric: opt(METRICS, metric),
                    noun: opt(METRICS, metric).map(|m| format!("{m} users")),
                    measure: Default::default(),
                    sentence: sentence.into(),
                    citations: cites.clone(),
                },
                cited: cites
                    .iter()
                    .map(|&n| Source { n, title: text_of(&[n as usize, 19, 20]), date: None })
                    .collect(),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn reconcile_never_panics_and_is_deterministic(claims in proptest::collection::vec(indexed_claim(), 0..24)) {
            let opts = Options::default();
            let first = reconcile::reconcile(&claims, &opts);
            let again = reconcile::reconcile(&claims, &opts);
            prop_assert_eq!(&first, &again);
            // Nor does the order the index hands the claims over in.
            let mut reversed = claims.clone();
            reversed.reverse();
            prop_assert_eq!(&first, &reconcile::reconcile(&reversed, &opts));
            for g in &first {
                prop_assert!((0.0..=1.0).contains(&g.preferred.confidence), "confidence {}", g.preferred.confidence);
                prop_assert!(!g.preferred.value.is_nan());
                for v in &g.values {
                    prop_assert!(claims.iter().any(|c| c.path == v.path() && *c.claim.text == *v.text), "{v:?} is not an input claim");
                }
            }
        }
    }
}
