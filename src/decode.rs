//! Stage 1, **decode**: bytes → text.
//!
//! Editions come as UTF-8 (with or without BOM), UTF-16 with a BOM, or
//! GB18030/GBK, with LF, CRLF or CR line ends. This stage picks the encoding,
//! decodes strictly (a malformed byte is an error at its line and column, never
//! a silent replacement) and hands on text whose line ends are all `\n`, so that
//! line numbers downstream are the line numbers of the original file.

use std::fmt;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding as RsEncoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::diagnostic::{Code, Diagnostic, Position};
use crate::lines::SourceLines;

/// The encodings an edition may come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// UTF-16, little-endian, with BOM.
    Utf16Le,
    /// UTF-16, big-endian, with BOM.
    Utf16Be,
    /// GB18030 (which includes GBK and GB2312).
    Gb18030,
}

impl Encoding {
    /// The name written into outputs.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }

    fn codec(self) -> &'static RsEncoding {
        match self {
            Encoding::Utf8 => UTF_8,
            Encoding::Utf16Le => UTF_16LE,
            Encoding::Utf16Be => UTF_16BE,
            Encoding::Gb18030 => GB18030,
        }
    }

    /// Encodes `text` in this encoding, without BOM (for building test
    /// editions and benchmark corpora).
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Gb18030 => GB18030.encode(text).0.into_owned(),
            // encoding_rs only encodes to UTF-8-compatible encodings.
            Encoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Encoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decoded text, with every line end turned into `\n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text; the `n`th line of the file is the `n`th `\n`-separated line.
    pub text: String,
    /// The encoding it was read in.
    pub encoding: Encoding,
}

/// Decodes an edition's bytes.
///
/// A BOM decides the encoding; otherwise valid UTF-8 is UTF-8. Bytes that are
/// not UTF-8 are GB18030 only when they look like it as a whole: a UTF-8 file
/// with a few bad bytes is an [`Code::InvalidBytes`] error at the first one.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Diagnostic> {
    if let Some(diagnostic) = crate::sniff::not_text(bytes) {
        return Err(diagnostic);
    }
    // The common case first, validated once.
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.starts_with(['\u{FEFF}']) {
            return Ok(Decoded {
                text: unify_line_ends(text.to_owned()),
                encoding: Encoding::Utf8,
            });
        }
    }
    let (encoding, bom) = pick(bytes);
    let body = &bytes[bom..];
    let text = decode_strict(encoding, body).map_err(|(offset, len)| {
        invalid_bytes(encoding, body, offset, len, bom).with_help(help(
            encoding,
            bytes,
            bom + offset,
            len,
        ))
    })?;
    Ok(Decoded {
        text: unify_line_ends(text),
        encoding,
    })
}

/// The decoded text to show a [`decode`] error in: the file read in the
/// encoding `decode` chose, malformed bytes replaced, line ends counted as
/// `decode` counts them, so that the line shown is the line named. `None`
/// for a file that is no text at all.
pub(crate) fn shown_text(bytes: &[u8]) -> Option<String> {
    if crate::sniff::not_text(bytes).is_some() {
        return None;
    }
    let (encoding, bom) = pick(bytes);
    let text = encoding
        .codec()
        .decode_without_bom_handling(&bytes[bom..])
        .0;
    Some(unify_line_ends(text.into_owned()))
}

/// The encoding of bytes that are not BOM-less UTF-8, and the length of
/// their BOM. A BOM decides; bytes that are not UTF-8 are GB18030 only when
/// they look like it as a whole.
fn pick(bytes: &[u8]) -> (Encoding, usize) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        (Encoding::Utf8, 3)
    } else if bytes.starts_with(b"\xFF\xFE") {
        (Encoding::Utf16Le, 2)
    } else if bytes.starts_with(b"\xFE\xFF") {
        (Encoding::Utf16Be, 2)
    } else if !looks_like_broken_utf8(bytes) && guesses_gb18030(bytes) {
        (Encoding::Gb18030, 0)
    } else {
        // Mostly UTF-8, or neither UTF-8 nor Chinese: report the first
        // byte that is not UTF-8.
        (Encoding::Utf8, 0)
    }
}

/// Decodes without replacement; a malformed sequence is an error with its
/// byte offset and length.
fn decode_strict(encoding: Encoding, bytes: &[u8]) -> Result<String, (usize, usize)> {
    if encoding == Encoding::Utf8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => {
                let bad = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                Err((e.valid_up_to(), bad))
            }
        };
    }
    let mut decoder = encoding.codec().new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(bytes.len() - read + 16),
            DecoderResult::Malformed(bad, consumed_after) => {
                let bad_len = usize::from(bad);
                let start = read - usize::from(consumed_after) - bad_len;
                return Err((start, bad_len));
            }
        }
    }
}

/// The diagnostic for `len` malformed bytes at byte `offset` of `body` (the
/// file after its BOM of `bom` bytes), without help.
fn invalid_bytes(
    encoding: Encoding,
    body: &[u8],
    offset: usize,
    len: usize,
    bom: usize,
) -> Diagnostic {
    // The prefix decoded cleanly, so its lines and characters are exact.
    let prefix = encoding
        .codec()
        .decode_without_bom_handling(&body[..offset])
        .0;
    let prefix = unify_line_ends(prefix.into_owned());
    let (line, column) = SourceLines::new(&prefix).position(prefix.len());
    let found = &body[offset..(offset + len.max(1)).min(body.len())];
    let shown: Vec<String> = found.iter().map(|b| format!("{b:#04x}")).collect();
    let utf16 = matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be);
    let what = if utf16 && body.len() % 2 == 1 && offset + len >= body.len() {
        "the last byte alone, half a UTF-16 code unit,".to_owned()
    } else if utf16 && found.len() >= 2 {
        let pair = [found[0], found[1]];
        let unit = if encoding == Encoding::Utf16Le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        };
        format!("an unpaired surrogate {unit:#06x}")
    } else {
        format!(
            "invalid byte{} {}",
            if shown.len() == 1 { "" } else { "s" },
            shown.join(" ")
        )
    };
    Diagnostic::new(
        Code::InvalidBytes,
        Position::new(line, column, 1),
        format!(
            "expected {encoding} text, found {what} at byte offset {}",
            offset + bom
        ),
    )
}

/// What to do about malformed bytes at byte `offset` of the whole file
/// `bytes`, read as `encoding`: say what the rest of the file is.
fn help(encoding: Encoding, bytes: &[u8], offset: usize, len: usize) -> String {
    match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be if bytes.len() % 2 == 1 && offset + len >= bytes.len() => {
            "the file has a UTF-16 byte-order mark but an odd number of bytes: it was cut short; re-export it".to_owned()
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            "a UTF-16 surrogate stands for half a character and must come with its other half; re-export the edition, or delete the character at this spot".to_owned()
        }
        Encoding::Gb18030 => {
            "the file reads as GB18030 (GBK) but these bytes are not valid in it; re-export the edition, or fix this spot".to_owned()
        }
        Encoding::Utf8 if looks_like_utf16(bytes) => {
            "the file looks like UTF-16 without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM".to_owned()
        }
        Encoding::Utf8 => {
            let more = invalid_utf8_spots(&bytes[offset + len..]);
            if more == 0 {
                "the rest of the file is UTF-8; re-export it, or fix this spot in an editor".to_owned()
            } else if looks_like_broken_utf8(bytes) {
                format!("the file is mostly UTF-8 but has {more} more invalid spot{} after this one; re-export it", if more == 1 { "" } else { "s" })
            } else if let Some(name) = other_east_asian(bytes) {
                format!("the file looks like {name}, which qingdan does not read; convert it to UTF-8 first, e.g. `iconv -f {name} -t UTF-8 FILE > NEW.txt`")
            } else {
                "the file is not text in an encoding qingdan reads (UTF-8, GB18030, or UTF-16 with a byte-order mark); check that it is an exported edition, or convert it to UTF-8".to_owned()
            }
        }
    }
}

/// How many malformed UTF-8 sequences `bytes` hold.
fn invalid_utf8_spots(mut bytes: &[u8]) -> usize {
    let mut spots = 0;
    while let Err(e) = std::str::from_utf8(bytes) {
        spots += 1;
        let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
        bytes = &bytes[skip..];
    }
    spots
}

/// Does `bytes` look like UTF-16 without a BOM: NUL bytes (the high halves
/// of ASCII characters) in a tenth of the code units, nearly all on one side?
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let units = bytes.len() / 2;
    let zeros = |side: usize| {
        bytes
            .iter()
            .skip(side)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    units >= 16 && even.max(odd) * 10 >= units && even.min(odd) * 20 <= even.max(odd)
}

/// True when `bytes` are mostly well-formed UTF-8 with a few bad spots: more
/// than twice as many valid multi-byte characters as malformed sequences.
/// Text in another encoding fails within its first few characters, so the
/// scan stops as soon as the verdict can no longer change to yes cheaply.
fn looks_like_broken_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    let count_good = |valid: &[u8]| {
        // Every non-ASCII character has exactly one lead byte.
        valid.iter().filter(|&&b| b >= 0xC0).count()
    };
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return count_good(rest) + good > bad * 2,
            Err(e) => {
                good += count_good(&rest[..e.valid_up_to()]);
                bad += 1;
                if bad >= 64 && good <= bad * 2 {
                    return false;
                }
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[skip..];
            }
        }
    }
}

/// How many non-ASCII bytes chardetng sees before it guesses. It costs
/// about 4,000 instructions a byte; its guesses for the sample in GB18030,
/// Big5, Shift_JIS, EUC-JP and EUC-KR, and for Japanese, Korean and
/// traditional Chinese text, were already final after 64.
const SNIFF_NON_ASCII: usize = 256;

/// chardetng's guess at the encoding of `bytes`, fed in pieces until it has
/// seen [`SNIFF_NON_ASCII`] non-ASCII bytes (or all).
fn guess(bytes: &[u8]) -> &'static RsEncoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let mut non_ascii = 0;
    let mut chunks = bytes.chunks(SNIFF_NON_ASCII).peekable();
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        detector.feed(chunk, last);
        non_ascii += chunk.iter().filter(|b| !b.is_ascii()).count();
        if non_ascii >= SNIFF_NON_ASCII {
            break;
        }
    }
    detector.guess(None, Utf8Detection::Allow)
}

/// Does chardetng take the file for GBK/GB18030?
fn guesses_gb18030(bytes: &[u8]) -> bool {
    let guess = guess(bytes);
    guess == encoding_rs::GBK || guess == GB18030
}

/// The name `iconv` knows of the East Asian encoding other than GB18030
/// that chardetng takes the file for, if it takes it for one.
fn other_east_asian(bytes: &[u8]) -> Option<&'static str> {
    let guess = guess(bytes);
    [
        (encoding_rs::BIG5, "BIG5"),
        (encoding_rs::SHIFT_JIS, "SHIFT_JIS"),
        (encoding_rs::EUC_JP, "EUC-JP"),
        (encoding_rs::EUC_KR, "EUC-KR"),
    ]
    .into_iter()
    .find(|(encoding, _)| *encoding == guess)
    .map(|(_, name)| name)
}

/// Turns CRLF and lone CR into LF and drops a leading BOM character, keeping
/// one `\n` per original line break.
fn unify_line_ends(mut text: String) -> String {
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let mut unified = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(cr) = memchr::memchr(b'\r', rest.as_bytes()) {
        unified.push_str(&rest[..cr]);
        unified.push('\n');
        rest = &rest[cr + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    unified.push_str(rest);
    unified
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "标题\r\n序号\t事项名称\r\n1\t加强党的建设\r\n";

    fn with_bom(bom: &[u8], body: Vec<u8>) -> Vec<u8> {
        let mut v = bom.to_vec();
        v.extend(body);
        v
    }

    #[test]
    fn utf8_with_and_without_bom_decode_alike() {
        let plain = decode(SAMPLE.as_bytes()).unwrap();
        let bom = decode(&with_bom(b"\xEF\xBB\xBF", SAMPLE.as_bytes().to_vec())).unwrap();
        assert_eq!(plain, bom);
        assert_eq!(plain.text, "标题\n序号\t事项名称\n1\t加强党的建设\n");
        assert_eq!(plain.encoding, Encoding::Utf8);
    }

    #[test]
    fn utf16_with_bom_is_detected_both_ways() {
        let le = decode(&with_bom(b"\xFF\xFE", Encoding::Utf16Le.encode(SAMPLE))).unwrap();
        let be = decode(&with_bom(b"\xFE\xFF", Encoding::Utf16Be.encode(SAMPLE))).unwrap();
        assert_eq!(le.encoding, Encoding::Utf16Le);
        assert_eq!(be.encoding, Encoding::Utf16Be);
        assert_eq!(le.text, be.text);
        assert_eq!(le.text, "标题\n序号\t事项名称\n1\t加强党的建设\n");
    }

    #[test]
    fn gb18030_is_sniffed() {
        let text = SAMPLE.repeat(20);
        let decoded = decode(&Encoding::Gb18030.encode(&text)).unwrap();
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, text.replace("\r\n", "\n"));
    }

    #[test]
    fn other_east_asian_encodings_are_not_taken_for_gb18030() {
        let traditional = "臺灣的行政區劃包括直轄市、縣、鄉鎮市區。這是一份繁體中文的公文範例。";
        let japanese =
            "日本語のテキストです。これは行政文書の一部で、ひらがなとカタカナが含まれています。";
        let korean =
            "한국어 문서입니다. 행정 업무 목록의 일부입니다. 주민센터의 업무를 설명합니다.";
        for (encoding, text) in [
            (encoding_rs::BIG5, traditional),
            (encoding_rs::SHIFT_JIS, japanese),
            (encoding_rs::EUC_JP, japanese),
            (encoding_rs::EUC_KR, korean),
        ] {
            let text = text.repeat(20);
            let bytes = encoding.encode(&text).0;
            assert!(!guesses_gb18030(&bytes), "{}", encoding.name());
        }
        assert!(guesses_gb18030(
            &Encoding::Gb18030.encode(&SAMPLE.repeat(20))
        ));
    }

    #[test]
    fn lone_cr_counts_as_one_line_break() {
        let decoded = decode("a\rb\r\n\rc\r\r\n\r".as_bytes()).unwrap();
        assert_eq!(decoded.text, "a\nb\n\nc\n\n\n");
    }

    #[test]
    fn bad_bytes_in_utf8_name_line_and_column() {
        let mut bytes = "第一行\n第二行".as_bytes().to_vec();
        bytes.splice(16..16, [0xFF, 0xFE]); // after "第二" on line 2
        let err = decode(&bytes).unwrap_err();
        assert_eq!(err.code, Code::InvalidBytes);
        assert_eq!((err.position.line, err.position.column), (2, 3));
        assert!(err.message.contains("0xff"), "{}", err.message);
    }

    #[test]
    fn utf16_without_a_bom_is_named_in_the_help() {
        let err = decode(&Encoding::Utf16Le.encode(SAMPLE)).unwrap_err();
        assert_eq!(err.code, Code::InvalidBytes);
        assert!(
            err.help
                .as_deref()
                .unwrap()
                .contains("UTF-16 without a byte-order mark"),
            "{err:?}"
        );
        let plain = decode(b"abc\xFF\xFEdef ghi jkl mno pqr stu vwx").unwrap_err();
        assert!(!plain.help.as_deref().unwrap().contains("looks like UTF-16"));
    }

    #[test]
    fn truncated_utf16_is_an_error_not_a_replacement() {
        let mut bytes = with_bom(b"\xFF\xFE", Encoding::Utf16Le.encode("一\n二"));
        bytes.push(0x41); // half a code unit
        let err = decode(&bytes).unwrap_err();
        assert_eq!((err.position.line, err.position.column), (2, 2));
    }
}
