//! read: a file's bytes to text, whatever its encoding, never panicking.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Default `--max-file-size`: 16 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// A file decoded to text.
#[derive(Debug, Clone)]
pub struct Text {
    /// The decoded text (a BOM is not part of it).
    pub text: String,
    pub encoding: Encoding,
    /// Hex content hash of the raw bytes (BLAKE3).
    pub hash: String,
    /// Size of the raw file in bytes.
    pub bytes: u64,
    /// Problems met while decoding, in words.
    pub warnings: Vec<String>,
}

impl Text {
    /// Bytes before the text in the file (a UTF-8 BOM), so that offsets into
    /// `text` plus this give offsets into the file for UTF-8 input.
    pub fn offset_base(&self) -> usize {
        match self.encoding {
            Encoding::Utf8Bom => 3,
            _ => 0,
        }
    }
}

/// Reads and decodes one file. Errors name the file and the reason: too large,
/// binary, unreadable.
pub fn read_file(path: &Path, max_size: u64) -> Result<Text> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
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
    let text = decode(&bytes).map_err(|reason| Error::skipped(path, reason))?;
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

/// Decodes raw bytes: BOM-marked UTF-8 / UTF-16, else UTF-8 (lossy, with a warning).
/// A file with NUL bytes and no UTF-16 BOM is binary and refused.
pub fn decode(bytes: &[u8]) -> std::result::Result<Text, String> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let mut warnings = Vec::new();
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (utf8(rest, &mut warnings)?, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, u16::from_le_bytes, &mut warnings), Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, u16::from_be_bytes, &mut warnings), Encoding::Utf16Be)
    } else {
        (utf8(bytes, &mut warnings)?, Encoding::Utf8)
    };
    Ok(Text {
        text,
        encoding,
        hash,
        bytes: bytes.len() as u64,
        warnings,
    })
}

fn utf8(bytes: &[u8], warnings: &mut Vec<String>) -> std::result::Result<String, String> {
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(format!("binary file (NUL byte at offset {at})"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            warnings.push(format!(
                "invalid UTF-8 at byte {}; decoded lossily (bad bytes became U+FFFD)",
                e.valid_up_to()
            ));
            Ok(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, warnings: &mut Vec<String>) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut bad = 0usize;
    for r in char::decode_utf16(units) {
        out.push(r.unwrap_or_else(|_| {
            bad += 1;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if bytes.len() % 2 == 1 {
        bad += 1;
        out.push(char::REPLACEMENT_CHARACTER);
    }
    if bad > 0 {
        warnings.push(format!("{bad} invalid UTF-16 code unit(s) replaced by U+FFFD"));
    }
    if out.contains('\0') {
        warnings.push("NUL characters in UTF-16 text removed".into());
        out.retain(|c| c != '\0');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let s = "Microsoft’s $13 billion";
        assert_eq!(decode(s.as_bytes()).unwrap().text, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let t = decode(&bom).unwrap();
        assert_eq!(
            (t.text.as_str(), t.encoding, t.offset_base()),
            (s, Encoding::Utf8Bom, 3)
        );
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().text, s);
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        let t = decode(&be).unwrap();
        assert_eq!((t.text.as_str(), t.encoding), (s, Encoding::Utf16Be));
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn lossy_and_binary() {
        let t = decode(b"caf\xe9 $5").unwrap();
        assert_eq!(t.text, "caf\u{FFFD} $5");
        assert_eq!(t.warnings.len(), 1);
        assert!(decode(b"PK\x03\x04\x00\x00").unwrap_err().contains("binary"));
        // A lone surrogate and an odd trailing byte in UTF-16 do not panic.
        let t = decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x42]).unwrap();
        assert_eq!(t.text, "\u{FFFD}A\u{FFFD}");
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
            let _ = decode(&bytes);
        }
    }
}
