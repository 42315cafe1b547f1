//! Which encoding a file that is not valid UTF-8 is in: UTF-16 without a BOM, binary,
//! UTF-8 with a few bad bytes, the charset an HTML page declares, or a legacy encoding
//! guessed by `chardetng` (the detector Firefox uses) with every hint the file gives.

use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, WINDOWS_1252};
use regex::bytes::Regex;

/// How much of a file's start is searched for hints (`<meta charset>`, `lang`, a URL).
const HINT_WINDOW: usize = 64 * 1024;

/// Bytes sniffed for the NUL pattern of BOM-less UTF-16.
const SNIFF_WINDOW: usize = 4096;

/// UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte, on one side.
/// `Some(true)` for big-endian, `Some(false)` for little-endian.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(SNIFF_WINDOW) & !1];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Text: most units of one side are NUL, almost none of the other side.
    let one_sided = |many: usize, few: usize| many * 10 >= pairs * 4 && few * 50 <= pairs;
    if one_sided(odd, even) {
        Some(false)
    } else if one_sided(even, odd) {
        Some(true)
    } else {
        None
    }
}

/// Magic numbers of formats that are never articles.
const BINARY_MAGIC: &[&[u8]] = &[
    b"PK\x03\x04",
    b"%PDF-",
    b"\x89PNG",
    b"GIF8",
    b"\xFF\xD8\xFF",
    b"\x1F\x8B",
    b"\x7FELF",
    b"BZh",
    b"\xFD7zXZ",
];

/// Whether the bytes open with the magic number of a binary format.
pub fn has_magic(bytes: &[u8]) -> bool {
    BINARY_MAGIC.iter().any(|m| bytes.starts_with(m))
}

/// Why a file (already known not to be UTF-16) is binary, if it is: a known magic
/// number, or NUL and other control bytes in more than 1% of it. A text page with a few
/// stray NUL bytes is not binary.
pub fn binary(bytes: &[u8]) -> Option<String> {
    let nul = memchr::memchr(0, bytes)?;
    if has_magic(bytes) {
        return Some(format!("binary file (NUL byte at offset {nul})"));
    }
    let control = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    (control * 100 > bytes.len()).then(|| format!("binary file (NUL byte at offset {nul})"))
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with some damage: they hold
/// more valid multi-byte characters than bad sequences.
pub fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    bad == 0 || good > bad
}

/// What a file says about its own encoding, language and origin.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hints {
    /// A `<meta charset>` or `http-equiv` Content-Type charset.
    pub declared: Option<&'static Encoding>,
    /// The top-level domain to tell the detector: from a canonical URL, else from the
    /// page's language. Lower-case ASCII letters, digits and `-` only.
    pub tld: Option<String>,
}

static META_CHARSET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)"#).expect("static regex"));
static LANG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<html\b[^>]*?\blang\s*=\s*["']?([a-z]{2,3})(?:[-_]([a-z]{2,4}))?"#).expect("static regex")
});
/// A `<link rel=canonical>` or `og:url` tag, whole.
static CANONICAL_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i-u)<(?:link|meta)\b[^>]*?(?:canonical|og:url)[^>]*>"#).expect("static regex"));
static URL_HOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i-u)https?://([a-z0-9.-]+)"#).expect("static regex"));

/// The hints in the start of a file.
pub fn hints(bytes: &[u8]) -> Hints {
    let head = &bytes[..bytes.len().min(HINT_WINDOW)];
    let declared = META_CHARSET
        .captures(head)
        .and_then(|c| Encoding::for_label_no_replacement(c.get(1)?.as_bytes()))
        // A page cannot declare UTF-16 in itself (it would not be ASCII-readable).
        .filter(|e| e.is_ascii_compatible());
    let canonical = CANONICAL_TAG
        .find(head)
        .and_then(|tag| URL_HOST.captures(tag.as_bytes()));
    // A plain-text capture names its origin near the top ("URL: https://...").
    let first_url = || URL_HOST.captures(&head[..head.len().min(2048)]);
    let from_url = canonical.or_else(first_url).and_then(|c| tld_of(c.get(1)?.as_bytes()));
    let from_lang = || {
        let c = LANG.captures(head)?;
        let region = c.get(2).map(|m| m.as_bytes().to_ascii_lowercase());
        lang_tld(&c.get(1)?.as_bytes().to_ascii_lowercase(), region.as_deref())
    };
    Hints {
        declared,
        tld: from_url.or_else(from_lang),
    }
}

/// The last label of a host name, if it is a plausible TLD.
fn tld_of(host: &[u8]) -> Option<String> {
    let host = std::str::from_utf8(host).ok()?.trim_end_matches('.');
    let label = host.rsplit('.').next()?.to_ascii_lowercase();
    let ok = host.contains('.')
        && (2..=24).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(label)
}

/// Languages whose usual country TLD is not their own code (`en` is read as `uk`,
/// a Western TLD; `ja` as `jp`). Any other two-letter code is taken as a TLD.
const LANG_TLD: &[(&str, &str)] = &[
    ("en", "uk"),
    ("ja", "jp"),
    ("ko", "kr"),
    ("zh", "cn"),
    ("cs", "cz"),
    ("uk", "ua"),
    ("el", "gr"),
    ("he", "il"),
    ("ar", "eg"),
    ("fa", "ir"),
    ("sl", "si"),
    ("et", "ee"),
    ("sr", "rs"),
    ("da", "dk"),
    ("sv", "se"),
    ("vi", "vn"),
    ("hi", "in"),
    ("ka", "ge"),
    ("hy", "am"),
    ("be", "by"),
    ("kk", "kz"),
];

/// The TLD that stands for a page language (`zh-TW` and `zh-Hant` for Taiwan).
fn lang_tld(lang: &[u8], region: Option<&[u8]>) -> Option<String> {
    let lang = std::str::from_utf8(lang).ok()?;
    if lang == "zh" && matches!(region, Some(b"tw" | b"hk" | b"mo" | b"hant")) {
        return Some("tw".into());
    }
    if let Some((_, tld)) = LANG_TLD.iter().find(|(l, _)| *l == lang) {
        return Some((*tld).to_string());
    }
    (lang.len() == 2).then(|| lang.to_string())
}

/// A detector's answer: the encoding, and whether the evidence for it was thin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess {
    pub encoding: &'static Encoding,
    pub weak: bool,
}

/// Latin-script legacy encodings that windows-1252 is often confused with.
fn latin_neighbour(e: &'static Encoding) -> bool {
    use encoding_rs::*;
    [
        WINDOWS_1250,
        ISO_8859_2,
        WINDOWS_1254,
        WINDOWS_1257,
        ISO_8859_4,
        ISO_8859_13,
        ISO_8859_15,
        ISO_8859_16,
        ISO_8859_3,
        ISO_8859_10,
        ISO_8859_14,
    ]
    .contains(&e)
}

/// Guesses the legacy encoding of `bytes` with `chardetng`, the TLD hint and a
/// preference for windows-1252 among close Latin guesses.
pub fn guess(bytes: &[u8], hints: &Hints) -> Guess {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    det.feed(bytes, true);
    let tld = hints.tld.as_deref().map(str::as_bytes);
    let encoding = det.guess(tld, Utf8Detection::Deny);
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    let thin = hints.tld.is_none() && non_ascii < 8;
    if encoding == WINDOWS_1252 || !latin_neighbour(encoding) {
        return Guess { encoding, weak: thin };
    }
    let western = plausibility(bytes, WINDOWS_1252);
    let other = plausibility(bytes, encoding);
    let differ = (0x80..=0xFFu8)
        .filter(|&b| decode_byte(WINDOWS_1252, b) != decode_byte(encoding, b))
        .map(|b| bytes.iter().filter(|&&x| x == b).count())
        .sum::<usize>();
    // Close: the two readings differ in few characters and the other has no more going
    // for it; then windows-1252, as the commoner encoding of Latin text.
    let close = hints.tld.is_none() && other <= western && differ * 10 <= non_ascii;
    if western > other || close {
        return Guess {
            encoding: WINDOWS_1252,
            weak: thin || (close && western == other),
        };
    }
    Guess { encoding, weak: thin }
}

fn decode_byte(e: &'static Encoding, b: u8) -> char {
    let byte = [b];
    let (s, _) = e.decode_without_bom_handling(&byte);
    s.chars().next().unwrap_or('\u{FFFD}')
}

/// How much sense a single-byte reading makes where it is telling: a currency sign
/// before a digit counts for it (`£10`), a letter glued to the front of a number
/// against it (`Ł10`).
fn plausibility(bytes: &[u8], e: &'static Encoding) -> i64 {
    let mut table = ['\0'; 128];
    for (i, slot) in table.iter_mut().enumerate() {
        *slot = decode_byte(e, 0x80 | i as u8);
    }
    let mut score = 0i64;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii() {
            continue;
        }
        let c = table[usize::from(b & 0x7F)];
        let next_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let prev_word = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
        if matches!(c, '£' | '€' | '¥' | '¢') && next_digit {
            score += 3;
        } else if c.is_alphabetic() && next_digit && !prev_word {
            score -= 3;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_sniffed_from_its_nul_pattern() {
        let s = "Revenue rose 4% to £12 billion in 2025.";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(utf16_without_bom(&le), Some(false));
        assert_eq!(utf16_without_bom(&be), Some(true));
        assert_eq!(utf16_without_bom(s.as_bytes()), None);
        assert_eq!(utf16_without_bom(b"PK\x03\x04\x14\x00\x00\x00\x08\x00<html>"), None);
    }

    #[test]
    fn binary_versus_stray_nuls() {
        assert!(binary(b"PK\x03\x04\x00\x00garbage").is_some());
        assert!(binary(b"\x01\x02\x03\x00\x00\x05 ok").is_some());
        let mut page = "The firm hired 300 engineers in 2025. ".repeat(20).into_bytes();
        page[100] = 0;
        page[400] = 0;
        assert_eq!(binary(&page), None);
        assert_eq!(binary(b"no nul at all"), None);
    }

    #[test]
    fn mostly_utf8_tells_damage_from_legacy() {
        assert!(mostly_utf8("café – “quoted” \u{ff}".as_bytes()));
        assert!(mostly_utf8("caf\u{e9}s \u{2019}".as_bytes()));
        let mut damaged = "It’s “fine” – £5".as_bytes().to_vec();
        damaged.push(0xFF);
        assert!(mostly_utf8(&damaged));
        assert!(!mostly_utf8(b"caf\xe9 \x93quoted\x94 \xa35"));
    }

    #[test]
    fn hints_from_meta_lang_and_urls() {
        let page =
            br#"<html lang="pl-PL"><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">
            <link href="https://www.example.co.uk/a" rel="canonical"></head>"#;
        let h = hints(page);
        assert_eq!(h.declared, Some(encoding_rs::ISO_8859_2));
        assert_eq!(h.tld.as_deref(), Some("uk"));
        let h = hints(br#"<html lang="ja"><meta charset="shift_jis">"#);
        assert_eq!(
            (h.declared, h.tld.as_deref()),
            (Some(encoding_rs::SHIFT_JIS), Some("jp"))
        );
        let h = hints(b"Title\nURL: https://news.example.de/story\n\nText");
        assert_eq!((h.declared, h.tld.as_deref()), (None, Some("de")));
        assert_eq!(hints(br#"<html lang="zh-Hant">"#).tld.as_deref(), Some("tw"));
        assert_eq!(hints(br#"<meta charset="utf-16">"#).declared, None);
        assert_eq!(hints(b"plain words only").tld, None);
    }

    #[test]
    fn windows_1252_wins_close_latin_guesses() {
        let text = "The bank lent \u{a3}10 billion and \u{a3}4.5bn more; the caf\u{e9} sold it.";
        let (raw, _, _) = WINDOWS_1252.encode(text);
        let g = guess(&raw, &Hints::default());
        assert_eq!(g.encoding, WINDOWS_1252);
        assert!(plausibility(&raw, WINDOWS_1252) > plausibility(&raw, encoding_rs::WINDOWS_1250));
    }
}
