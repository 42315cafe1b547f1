//! read: a file's bytes to text, whatever its encoding, never panicking.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::Encoding;

use crate::error::{Error, Result};

pub mod detect;
pub mod map;

pub use map::OffsetMap;

/// Default `--max-file-size`: 16 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A file decoded to text.
#[derive(Debug, Clone)]
pub struct Text {
    /// The decoded text (a BOM is not part of it; NUL characters are left out).
    pub text: String,
    /// The encoding the file was decoded from; `None` for UTF-8, with or without a BOM.
    pub encoding: Option<&'static Encoding>,
    /// From offsets into `text` to offsets into the file.
    pub map: OffsetMap,
    /// Hex content hash of the raw bytes (BLAKE3).
    pub hash: String,
    /// Size of the raw file in bytes.
    pub bytes: u64,
    /// Problems met while decoding, in words.
    pub warnings: Vec<String>,
}

impl Text {
    /// The encoding's name in lower case (`windows-1252`, `utf-16le`, `shift_jis`),
    /// `None` for UTF-8.
    pub fn encoding_name(&self) -> Option<String> {
        self.encoding.map(|e| e.name().to_ascii_lowercase())
    }
}

/// Reads and decodes one file. Errors name the file and the reason: too large,
/// binary, unreadable.
pub fn read_file(path: &Path, max_size: u64) -> Result<Text> {
    let io = |e: std::io::Error| Error::file(path, format!("cannot read: {e}"));
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Error::file(path, "not a regular file"));
    }
    if meta.len() > max_size {
        // A failure, not a skip: the file is an article we could not take, and any
        // records of an earlier version stay in the index.
        return Err(Error::file(
            path,
            format!(
                "too large ({} bytes, limit {max_size}; see --max-file-size)",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_size + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max_size {
        return Err(Error::file(
            path,
            format!("grew past the size limit of {max_size} bytes while being read"),
        ));
    }
    text_of(path, &bytes)
}

/// What `extract -` reads: one article from standard input, named [`STDIN`] in messages
/// and output, under the same size limit as a file.
pub fn read_stdin(max_size: u64) -> Result<Text> {
    let path = Path::new(STDIN);
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::file(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max_size {
        return Err(Error::file(
            path,
            format!("too large (over {max_size} bytes; see --max-file-size)"),
        ));
    }
    text_of(path, &bytes)
}

/// The name standard input goes by, as ripgrep names it.
pub const STDIN: &str = "<stdin>";

/// Decoded bytes read from `path`; binary, empty or blank input is skipped, named.
fn text_of(path: &Path, bytes: &[u8]) -> Result<Text> {
    let text = decode(bytes).map_err(|reason| Error::skipped(path, reason))?;
    if text.text.trim().is_empty() {
        let what = if bytes.is_empty() {
            "empty file"
        } else {
            "only whitespace"
        };
        return Err(Error::skipped(path, format!("{what}, nothing to extract")));
    }
    Ok(text)
}

/// Decodes raw bytes. A BOM decides (UTF-8, UTF-16); else valid UTF-8 is taken as it
/// is (no copy of the offsets is kept: they are the file's); else UTF-16 is sniffed from
/// its NUL pattern, binary files are refused, damaged UTF-8 is decoded lossily, and
/// anything else is decoded from the charset the page declares or the detector's guess.
pub fn decode(bytes: &[u8]) -> std::result::Result<Text, String> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let mut warnings = Vec::new();
    let (text, encoding, map) = decode_text(bytes, &mut warnings)?;
    Ok(Text {
        text,
        encoding,
        map,
        hash,
        bytes: bytes.len() as u64,
        warnings,
    })
}

type Decoded = (String, Option<&'static Encoding>, OffsetMap);

fn decode_text(bytes: &[u8], warnings: &mut Vec<String>) -> std::result::Result<Decoded, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Ok(match plain_utf8(rest) {
            Some(s) => (s, None, OffsetMap::shifted(3)),
            None => damaged_utf8(bytes, 3, warnings),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(utf16(bytes, 2, bytes[0] == 0xFE, warnings));
    }
    if let Some(s) = plain_utf8(bytes) {
        return Ok((s, None, OffsetMap::shifted(0)));
    }
    if let Some(big_endian) = detect::utf16_without_bom(bytes).filter(|_| !detect::has_magic(bytes)) {
        return Ok(utf16(bytes, 0, big_endian, warnings));
    }
    if let Some(reason) = detect::binary(bytes) {
        return Err(reason);
    }
    if std::str::from_utf8(bytes).is_ok() {
        // Valid UTF-8 with a few stray NUL bytes.
        return Ok(damaged_utf8(bytes, 0, warnings));
    }
    let hints = detect::hints(bytes);
    match hints.declared {
        Some(e) if e != encoding_rs::UTF_8 => return Ok(legacy(bytes, e, warnings)),
        _ => {}
    }
    if detect::mostly_utf8(bytes) {
        return Ok(damaged_utf8(bytes, 0, warnings));
    }
    let g = detect::guess(bytes, &hints);
    if g.weak {
        warnings.push(format!(
            "not UTF-8 and no charset declared; guessed {} from little evidence",
            g.encoding.name().to_ascii_lowercase()
        ));
    }
    Ok(legacy(bytes, g.encoding, warnings))
}

/// Valid UTF-8 without NUL bytes, copied as it is: the common case, and the only one
/// that costs nothing beyond the copy.
fn plain_utf8(bytes: &[u8]) -> Option<String> {
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

fn damaged_utf8(bytes: &[u8], from: usize, warnings: &mut Vec<String>) -> Decoded {
    let (b, d) = map::utf8(bytes, from);
    if let Some(at) = d.first_bad {
        warnings.push(format!(
            "invalid UTF-8 at byte {at}; decoded lossily ({} bad sequence(s) became U+FFFD)",
            d.bad
        ));
    }
    note_nuls(&d, warnings);
    let (text, map) = b.finish();
    (text, None, map)
}

fn utf16(bytes: &[u8], from: usize, big_endian: bool, warnings: &mut Vec<String>) -> Decoded {
    let (b, d) = map::utf16(bytes, from, big_endian);
    if d.bad > 0 {
        warnings.push(format!("{} invalid UTF-16 code unit(s) replaced by U+FFFD", d.bad));
    }
    note_nuls(&d, warnings);
    let (text, map) = b.finish();
    let e = if big_endian {
        encoding_rs::UTF_16BE
    } else {
        encoding_rs::UTF_16LE
    };
    (text, Some(e), map)
}

fn legacy(bytes: &[u8], e: &'static Encoding, warnings: &mut Vec<String>) -> Decoded {
    let (b, d) = if e.is_single_byte() {
        map::single_byte(bytes, e)
    } else {
        map::multi_byte(bytes, e)
    };
    if d.bad > 0 {
        warnings.push(format!(
            "{} byte sequence(s) not valid {} replaced by U+FFFD",
            d.bad,
            e.name().to_ascii_lowercase()
        ));
    }
    note_nuls(&d, warnings);
    let (text, map) = b.finish();
    (text, Some(e), map)
}

fn note_nuls(d: &map::Damage, warnings: &mut Vec<String>) {
    if d.nuls > 0 {
        warnings.push(format!("{} NUL character(s) removed", d.nuls));
    }
}

/// The text a span of the raw file holds, decoded as `decode` decoded the whole file
/// (NUL characters left out): `decode_span(t.encoding, &raw[map(start)..map(end)])` is
/// the text between `start` and `end`.
pub fn decode_span(encoding: Option<&'static Encoding>, raw: &[u8]) -> String {
    let mut s = match encoding {
        None => String::from_utf8_lossy(raw).into_owned(),
        Some(e) => e.decode_without_bom_handling(raw).0.into_owned(),
    };
    s.retain(|c| c != '\0');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes and checks that every character boundary maps into the file so that the
    /// span up to the next boundary decodes to that character.
    fn decoded(bytes: &[u8]) -> Text {
        let t = decode(bytes).unwrap();
        let mut at = 0;
        for (i, c) in t.text.char_indices().skip(1).chain([(t.text.len(), ' ')]) {
            let (a, b) = (t.map.file_offset(at), t.map.file_offset(i));
            let want = &t.text[at..i];
            assert_eq!(decode_span(t.encoding, &bytes[a..b]), want, "at {at} ({c:?})");
            at = i;
        }
        t
    }

    #[test]
    fn boms_and_plain_utf8() {
        let s = "Microsoft’s $13 billion";
        let t = decoded(s.as_bytes());
        assert_eq!((t.text.as_str(), t.encoding, t.map.is_shift()), (s, None, true));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let t = decoded(&bom);
        assert_eq!((t.text.as_str(), t.encoding, t.map.file_offset(0)), (s, None, 3));
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        let t = decoded(&le);
        assert_eq!((t.text.as_str(), t.encoding_name().as_deref()), (s, Some("utf-16le")));
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        let t = decoded(&be);
        assert_eq!((t.text.as_str(), t.encoding), (s, Some(encoding_rs::UTF_16BE)));
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn lossy_and_binary() {
        let t = decoded(
            "caf\u{e9} – “$5”"
                .as_bytes()
                .iter()
                .copied()
                .chain([0xFF])
                .collect::<Vec<_>>()
                .as_slice(),
        );
        assert_eq!(t.text, "caf\u{e9} – “$5”\u{FFFD}");
        assert_eq!(t.encoding, None);
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        assert!(decode(b"PK\x03\x04\x00\x00").unwrap_err().contains("binary"));
        // A lone surrogate and an odd trailing byte in UTF-16 do not panic.
        let t = decoded(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x42]);
        assert_eq!(t.text, "\u{FFFD}A\u{FFFD}");
    }

    #[test]
    fn stray_nuls_are_dropped_not_fatal() {
        let mut page = "Revenue rose 4% to $12 billion in 2025. ".repeat(30).into_bytes();
        page[41] = 0;
        page[500] = 0;
        let t = decoded(&page);
        assert_eq!(t.text.len(), page.len() - 2);
        assert!(t.warnings.iter().any(|w| w.contains("2 NUL")), "{:?}", t.warnings);
    }

    #[test]
    fn legacy_and_declared_charsets() {
        let (raw, _, _) = encoding_rs::WINDOWS_1252.encode("It’s “£10 billion” – the café’s.");
        let t = decoded(&raw);
        assert_eq!(t.text, "It’s “£10 billion” – the café’s.");
        assert_eq!(t.encoding_name().as_deref(), Some("windows-1252"));
        let page = [
            &b"<html><head><meta charset=\"iso-8859-2\"></head><body><p>Zap\xB3acono "[..],
            b"\xA35.</p></body></html>",
        ]
        .concat();
        let t = decoded(&page);
        assert!(t.text.contains("Zapłacono Ł5."), "{}", t.text);
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn any_bytes_never_panic() {
        let mut state = 0x2545F4914F6CDD1Du64;
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            if decode(&bytes).is_ok() {
                decoded(&bytes);
            }
        }
    }
}
