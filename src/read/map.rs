//! From byte offsets in decoded text back to byte offsets in the file.
//!
//! A UTF-8 file (with or without a BOM) needs no map: an offset into its text plus the
//! BOM's length is an offset into the file. Any other file is decoded piece by piece
//! (a valid run, one character, one bad sequence), and the map keeps where each piece
//! starts in both: stretches where every text byte stands for `scale` file bytes
//! (1 for ASCII in a single-byte encoding or valid UTF-8, 2 for ASCII in UTF-16) are one
//! run; any other piece is a run of its own, of scale 0 (it is never cut inside).

use encoding_rs::{CoderResult, Encoding};

/// A stretch of text from `text` on, whose byte `text + k` stands at `file + k * scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    text: usize,
    file: usize,
    scale: usize,
}

/// Offsets in decoded text to offsets in the raw file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// Added to every offset when there are no runs (a UTF-8 BOM).
    base: usize,
    /// Sorted by `text`; empty when the text is the file's bytes after `base`.
    runs: Vec<Run>,
}

impl OffsetMap {
    /// The map of a UTF-8 file whose text starts `base` bytes in (past a BOM).
    pub fn shifted(base: usize) -> Self {
        OffsetMap { base, runs: Vec::new() }
    }

    /// The file offset of text offset `at` (a character boundary of the text).
    pub fn file_offset(&self, at: usize) -> usize {
        let i = self.runs.partition_point(|r| r.text <= at);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(r) => r.file + (at - r.text) * r.scale,
            None => at + self.base,
        }
    }

    /// Whether offsets are the text's own plus a constant.
    pub fn is_shift(&self) -> bool {
        self.runs.is_empty()
    }
}

/// Decoded text and its map, built together piece by piece.
#[derive(Debug, Default)]
pub struct Builder {
    pub text: String,
    runs: Vec<Run>,
    /// Where the last piece ends in the file.
    file_end: usize,
}

impl Builder {
    pub fn with_capacity(n: usize) -> Self {
        Builder {
            text: String::with_capacity(n),
            runs: Vec::new(),
            file_end: 0,
        }
    }

    /// Notes that the text from byte `text` on (up to its current end) came from file
    /// bytes `file..file + file_len`.
    fn mapped(&mut self, text: usize, file: usize, file_len: usize) {
        let text_len = self.text.len() - text;
        if text_len == 0 {
            return;
        }
        self.file_end = file + file_len;
        if let Some(r) = self.runs.last()
            && r.file + (text - r.text) * r.scale == file
            && file_len == text_len * r.scale
        {
            return;
        }
        let scale = match (text_len, file_len) {
            (t, f) if t == f => 1,
            (t, f) if 2 * t == f => 2,
            _ => 0,
        };
        self.runs.push(Run { text, file, scale });
    }

    /// Appends `s`, read from file bytes `file..file + file_len`.
    pub fn push(&mut self, s: &str, file: usize, file_len: usize) {
        let at = self.text.len();
        self.text.push_str(s);
        self.mapped(at, file, file_len);
    }

    /// Appends one character read from `file..file + file_len`.
    pub fn push_char(&mut self, c: char, file: usize, file_len: usize) {
        let at = self.text.len();
        self.text.push(c);
        self.mapped(at, file, file_len);
    }

    pub fn finish(mut self) -> (String, OffsetMap) {
        // The end of the text: after the last piece, whatever its scale.
        self.runs.push(Run {
            text: self.text.len(),
            file: self.file_end,
            scale: 0,
        });
        (
            self.text,
            OffsetMap {
                base: 0,
                runs: self.runs,
            },
        )
    }
}

/// What a decoder met on the way.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Damage {
    /// Bad sequences replaced by U+FFFD.
    pub bad: usize,
    /// Byte offset of the first bad sequence.
    pub first_bad: Option<usize>,
    /// NUL characters left out of the text.
    pub nuls: usize,
}

impl Damage {
    fn bad_at(&mut self, at: usize) {
        self.bad += 1;
        self.first_bad.get_or_insert(at);
    }
}

/// Appends `s` (valid text read from `file..`) without its NUL characters.
fn push_without_nuls(b: &mut Builder, s: &str, file: usize, d: &mut Damage) {
    let mut from = 0;
    for at in memchr::memchr_iter(0, s.as_bytes()) {
        b.push(&s[from..at], file + from, at - from);
        d.nuls += 1;
        from = at + 1;
    }
    b.push(&s[from..], file + from, s.len() - from);
}

/// UTF-8 from `bytes[from..]`, bad sequences as U+FFFD (as `String::from_utf8_lossy`
/// does), NUL characters left out.
pub fn utf8(bytes: &[u8], from: usize) -> (Builder, Damage) {
    let mut b = Builder::with_capacity(bytes.len() - from);
    let mut d = Damage::default();
    let mut at = from;
    for chunk in bytes[from..].utf8_chunks() {
        push_without_nuls(&mut b, chunk.valid(), at, &mut d);
        at += chunk.valid().len();
        let bad = chunk.invalid().len();
        if bad > 0 {
            d.bad_at(at);
            b.push_char(char::REPLACEMENT_CHARACTER, at, bad);
            at += bad;
        }
    }
    (b, d)
}

/// UTF-16 from `bytes[from..]` in the given byte order; lone surrogates and an odd
/// last byte as U+FFFD, NUL characters left out.
pub fn utf16(bytes: &[u8], from: usize, big_endian: bool) -> (Builder, Damage) {
    let body = &bytes[from..];
    let unit = |c: &[u8]| {
        let pair = [c[0], c[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    };
    let mut b = Builder::with_capacity(body.len() / 2);
    let mut d = Damage::default();
    let mut at = from;
    for r in char::decode_utf16(body.chunks_exact(2).map(unit)) {
        match r {
            Ok('\0') => {
                d.nuls += 1;
                at += 2;
            }
            Ok(c) => {
                let len = 2 * c.len_utf16();
                b.push_char(c, at, len);
                at += len;
            }
            Err(_) => {
                d.bad_at(at);
                b.push_char(char::REPLACEMENT_CHARACTER, at, 2);
                at += 2;
            }
        }
    }
    if body.len() % 2 == 1 {
        d.bad_at(at);
        b.push_char(char::REPLACEMENT_CHARACTER, at, 1);
    }
    (b, d)
}

/// A single-byte legacy encoding (windows-1252, ISO-8859-x, KOI8-R, ...): one
/// character per byte.
pub fn single_byte(bytes: &[u8], enc: &'static Encoding) -> (Builder, Damage) {
    let mut table = ['\u{FFFD}'; 128];
    for (i, slot) in table.iter_mut().enumerate() {
        let byte = [0x80 | i as u8];
        let (s, _) = enc.decode_without_bom_handling(&byte);
        *slot = s.chars().next().unwrap_or('\u{FFFD}');
    }
    let mut b = Builder::with_capacity(bytes.len() + bytes.len() / 8);
    let mut d = Damage::default();
    let mut from = 0;
    while from < bytes.len() {
        let ascii = Encoding::ascii_valid_up_to(&bytes[from..]);
        // ASCII bytes are valid UTF-8.
        let run = std::str::from_utf8(&bytes[from..from + ascii]).unwrap_or("");
        push_without_nuls(&mut b, run, from, &mut d);
        from += ascii;
        if let Some(&high) = bytes.get(from) {
            let c = table[usize::from(high & 0x7F)];
            if c == '\u{FFFD}' {
                d.bad_at(from);
            }
            b.push_char(c, from, 1);
            from += 1;
        }
    }
    (b, d)
}

/// Any other encoding (Shift_JIS, EUC-JP, GBK, Big5, EUC-KR, ISO-2022-JP): fed to the
/// decoder one byte at a time, so that each character's bytes are known.
pub fn multi_byte(bytes: &[u8], enc: &'static Encoding) -> (Builder, Damage) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut b = Builder::with_capacity(bytes.len() * 3 / 2);
    let mut d = Damage::default();
    let mut pending = 0;
    let mut piece = String::with_capacity(16);
    for i in 0..=bytes.len() {
        let (input, last) = match bytes.get(i) {
            Some(byte) => (std::slice::from_ref(byte), false),
            None => (&[][..], true),
        };
        piece.clear();
        piece.reserve(decoder.max_utf8_buffer_length(input.len()).unwrap_or(16));
        let (result, _, replaced) = decoder.decode_to_string(input, &mut piece, last);
        if result == CoderResult::OutputFull || piece.is_empty() {
            continue;
        }
        if replaced {
            d.bad_at(pending);
        }
        let end = (i + 1).min(bytes.len());
        push_piece(&mut b, &piece, &bytes[pending..end], pending, &mut d);
        pending = end;
    }
    (b, d)
}

/// Appends a decoder's output for `raw` (at file offset `file`): trailing ASCII that is
/// the raw input's own trailing bytes maps byte for byte, the rest as one piece.
fn push_piece(b: &mut Builder, piece: &str, raw: &[u8], file: usize, d: &mut Damage) {
    let same = piece
        .bytes()
        .rev()
        .zip(raw.iter().rev())
        .take_while(|(p, r)| p == *r && p.is_ascii())
        .count()
        .min(raw.len());
    let (head, tail) = piece.split_at(piece.len() - same);
    b.push(head, file, raw.len() - same);
    push_without_nuls(b, tail, file + raw.len() - same, d);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character boundary of the text maps to where its character starts.
    fn boundaries(text: &str, map: &OffsetMap) -> Vec<usize> {
        text.char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .map(|i| map.file_offset(i))
            .collect()
    }

    #[test]
    fn shifted_maps_add_the_bom() {
        let m = OffsetMap::shifted(3);
        assert_eq!((m.file_offset(0), m.file_offset(10)), (3, 13));
        assert!(m.is_shift());
    }

    #[test]
    fn lossy_utf8_maps_bad_bytes_and_nuls() {
        let raw = b"a\xffb\0c\xe2\x82\xacd";
        let (b, d) = utf8(raw, 0);
        let (text, map) = b.finish();
        assert_eq!(text, "a\u{FFFD}bc€d");
        assert_eq!((d.bad, d.first_bad, d.nuls), (1, Some(1), 1));
        assert_eq!(boundaries(&text, &map), [0, 1, 2, 4, 5, 8, 9]);
    }

    #[test]
    fn utf16_maps_two_bytes_per_unit() {
        let mut raw = vec![0xFF, 0xFE];
        raw.extend("a£𝄞b".encode_utf16().flat_map(u16::to_le_bytes));
        let (b, d) = utf16(&raw, 2, false);
        let (text, map) = b.finish();
        assert_eq!(text, "a£𝄞b");
        assert_eq!(d, Damage::default());
        assert_eq!(boundaries(&text, &map), [2, 4, 6, 10, 12]);
    }

    #[test]
    fn single_byte_maps_one_byte_per_char() {
        let raw = b"\x93\xa310bn\x94 caf\xe9";
        let (b, _) = single_byte(raw, encoding_rs::WINDOWS_1252);
        let (text, map) = b.finish();
        assert_eq!(text, "“£10bn” café");
        assert_eq!(boundaries(&text, &map), (0..=raw.len()).collect::<Vec<_>>());
    }

    #[test]
    fn multi_byte_maps_each_character() {
        let (raw, _, _) = encoding_rs::SHIFT_JIS.encode("円Aカ5");
        let (b, _) = multi_byte(&raw, encoding_rs::SHIFT_JIS);
        let (text, map) = b.finish();
        assert_eq!(text, "円Aカ5");
        // 円 and カ are two bytes each; A and 5 one each.
        assert_eq!(boundaries(&text, &map), [0, 2, 3, 5, 6]);
        // A bad lead byte before ASCII: the ASCII keeps its own byte.
        let (b, d) = multi_byte(b"\x81 A", encoding_rs::SHIFT_JIS);
        let (text, map) = b.finish();
        assert_eq!((text.as_str(), d.bad), ("\u{FFFD} A", 1));
        assert_eq!(boundaries(&text, &map), [0, 1, 2, 3]);
    }
}
