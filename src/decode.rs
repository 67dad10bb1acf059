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
    // The common case first, validated once.
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.starts_with(['\u{FEFF}']) {
            return Ok(Decoded {
                text: unify_line_ends(text.to_owned()),
                encoding: Encoding::Utf8,
            });
        }
    }
    let (encoding, body) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (Encoding::Utf8, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (Encoding::Utf16Le, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (Encoding::Utf16Be, rest)
    } else if looks_like_broken_utf8(bytes) {
        (Encoding::Utf8, bytes)
    } else if guesses_gb18030(bytes) {
        (Encoding::Gb18030, bytes)
    } else {
        // Neither UTF-8 nor Chinese: report the first byte that is not UTF-8.
        (Encoding::Utf8, bytes)
    };
    let text = decode_strict(encoding, body)?;
    Ok(Decoded {
        text: unify_line_ends(text),
        encoding,
    })
}

/// Decodes without replacement; a malformed sequence becomes a diagnostic.
fn decode_strict(encoding: Encoding, bytes: &[u8]) -> Result<String, Diagnostic> {
    if encoding == Encoding::Utf8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => {
                let bad = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                Err(invalid_bytes(encoding, bytes, e.valid_up_to(), bad))
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
                return Err(invalid_bytes(encoding, bytes, start, bad_len));
            }
        }
    }
}

/// The diagnostic for `len` malformed bytes at byte `offset` of `bytes`.
fn invalid_bytes(encoding: Encoding, bytes: &[u8], offset: usize, len: usize) -> Diagnostic {
    // The prefix decoded cleanly, so its lines and characters are exact.
    let prefix = encoding
        .codec()
        .decode_without_bom_handling(&bytes[..offset])
        .0;
    let prefix = unify_line_ends(prefix.into_owned());
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let shown: Vec<String> = bytes[offset..(offset + len.max(1)).min(bytes.len())]
        .iter()
        .map(|b| format!("{b:#04x}"))
        .collect();
    Diagnostic::new(
        Code::InvalidBytes,
        Position::new(line as u32, column as u32, 1),
        format!(
            "expected {encoding} text, found invalid byte{} {} at byte offset {offset}",
            if shown.len() == 1 { "" } else { "s" },
            shown.join(" ")
        ),
    )
    .with_help(if looks_like_utf16(bytes) {
        "the file looks like UTF-16 without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM"
    } else if encoding == Encoding::Utf8 {
        "the rest of the file is UTF-8; re-export it, or fix this spot in an editor"
    } else {
        "re-export the edition, or convert it to UTF-8 first"
    })
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

/// Does chardetng take the file for GBK/GB18030? It is fed the file in
/// pieces until it has seen [`SNIFF_NON_ASCII`] non-ASCII bytes (or all).
fn guesses_gb18030(bytes: &[u8]) -> bool {
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
    let guess = detector.guess(None, Utf8Detection::Allow);
    guess == encoding_rs::GBK || guess == GB18030
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
        assert!(!plain.help.as_deref().unwrap().contains("UTF-16"));
    }

    #[test]
    fn truncated_utf16_is_an_error_not_a_replacement() {
        let mut bytes = with_bom(b"\xFF\xFE", Encoding::Utf16Le.encode("一\n二"));
        bytes.push(0x41); // half a code unit
        let err = decode(&bytes).unwrap_err();
        assert_eq!((err.position.line, err.position.column), (2, 2));
    }
}
