//! YAML output that loads to the same value in YAML 1.2 readers (`yaml_serde`)
//! and YAML 1.1 readers (PyYAML).
//!
//! `yaml_serde` quotes strings by YAML 1.2 rules only, so `yes`, `off` or
//! `2024-01-01` come out bare and a YAML 1.1 reader takes them for a boolean
//! or a date. This emitter writes the same block style as `yaml_serde` but
//! quotes every string either family of readers could read as anything other
//! than a string. Multi-line strings are `|-` literal blocks.

use std::fmt::Display;

use serde::ser::{self, Impossible, Serialize};

use super::serialize::push_spaces;
use crate::model::Edition;

/// Renders an edition as YAML.
pub fn render(edition: &Edition) -> String {
    write(edition, super::capacity(edition, 3)).expect("records always serialize")
}

/// Any serializable value whose map keys are strings as YAML, into a buffer
/// of `capacity` bytes to begin with.
fn write<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<String, Error> {
    let mut serializer = Serializer {
        out: String::with_capacity(capacity),
        pending: Pending::Root,
        stack: Vec::new(),
    };
    value.serialize(&mut serializer)?;
    Ok(serializer.out)
}

/// A value this emitter cannot write (a non-string map key, bytes).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

/// The longest key, in bytes as written, that stays an implicit `key:`.
/// YAML limits implicit keys to 1024 characters (PyYAML counts characters,
/// libyaml bytes; a character is at least a byte, so this holds for both).
const MAX_IMPLICIT_KEY: usize = 1024;

/// Where the next value goes.
#[derive(Clone, Copy)]
enum Pending {
    /// The document's root.
    Root,
    /// After `key:` written at `level`.
    Key { level: usize },
    /// After `- ` of a sequence item at `level`.
    Item { level: usize },
}

/// An open map or sequence: its entries' indentation, and whether the next
/// entry is its first and shares the line already begun (`- k: v`).
struct Open {
    level: usize,
    first: bool,
    inline: bool,
}

/// A streaming YAML writer in `yaml_serde`'s block style: maps indent their
/// entries by two, sequences under a key do not indent their dashes.
struct Serializer {
    out: String,
    pending: Pending,
    stack: Vec<Open>,
}

impl Serializer {
    /// Writes a scalar where `pending` says.
    fn scalar(&mut self, write: impl FnOnce(&mut String, usize)) {
        let level = match self.pending {
            Pending::Root => 0,
            Pending::Key { level } => {
                self.out.push(' ');
                level + 2
            }
            Pending::Item { level } => level + 2,
        };
        write(&mut self.out, level);
        self.out.push('\n');
    }

    fn plain(&mut self, text: &str) {
        self.scalar(|out, _| out.push_str(text));
    }

    /// Opens a map (`seq == false`) or sequence of `len` entries; an empty
    /// one is written whole as `{}` or `[]`.
    fn open(&mut self, len: Option<usize>, seq: bool) {
        if len == Some(0) {
            self.plain(if seq { "[]" } else { "{}" });
            self.stack.push(Open {
                level: 0,
                first: false,
                inline: false,
            });
            return;
        }
        let open = match (self.pending, seq) {
            (Pending::Root, _) => Open {
                level: 0,
                first: true,
                inline: true,
            },
            (Pending::Key { level }, false) => {
                self.out.push('\n');
                Open {
                    level: level + 2,
                    first: true,
                    inline: false,
                }
            }
            (Pending::Key { level }, true) => {
                self.out.push('\n');
                Open {
                    level,
                    first: true,
                    inline: false,
                }
            }
            (Pending::Item { level }, _) => Open {
                level: level + 2,
                first: true,
                inline: true,
            },
        };
        self.stack.push(open);
    }

    /// Starts the next entry of the innermost open map or sequence.
    fn entry(&mut self) -> usize {
        let open = self.stack.last_mut().expect("an open collection");
        let (level, skip_indent) = (open.level, open.first && open.inline);
        open.first = false;
        if !skip_indent {
            push_spaces(&mut self.out, level);
        }
        level
    }

    /// Starts a map entry: `key:`, or for a key too long to be an implicit
    /// one, the explicit `? key` and `:` on the next line.
    fn field(&mut self, key: &str) {
        let level = self.entry();
        let start = self.out.len();
        write_key(&mut self.out, key);
        if self.out.len() - start > MAX_IMPLICIT_KEY {
            self.out.insert_str(start, "? ");
            self.out.push('\n');
            push_spaces(&mut self.out, level);
        }
        self.out.push(':');
        self.pending = Pending::Key { level };
    }

    /// Starts a map entry by a key of any type that names a string.
    fn map_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(KeySerializer)?;
        self.field(&key);
        Ok(())
    }

    /// Starts a sequence element: `- `.
    fn element(&mut self) {
        let level = self.entry();
        self.out.push_str("- ");
        self.pending = Pending::Item { level };
    }

    /// Closes the innermost map: YAML writes nothing, it only forgets the
    /// map's indentation.
    fn close_map(&mut self) {
        self.stack.pop();
    }

    /// Closes the innermost sequence, as a map.
    fn close_seq(&mut self) {
        self.close_map();
    }

    /// Opens the one-key map `Variant:` around a variant's data. It never
    /// fails: the `Result` is for the shared serializer methods, which call
    /// JSON's too, and JSON refuses a variant as a map key.
    fn variant(&mut self, variant: &str) -> Result<(), Error> {
        self.open(Some(1), false);
        self.field(variant);
        Ok(())
    }

    /// Closes what [`variant`](Self::variant) opened.
    fn close_variant(&mut self) {
        self.close_map();
    }
}

macro_rules! plain_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            // Formatted in place, not through a String per number.
            self.scalar(|out, _| {
                use std::fmt::Write;
                write!(out, "{v}").expect("writing to a String cannot fail");
            });
            Ok(())
        })*
    };
}

impl ser::Serializer for &mut Serializer {
    plain_scalars!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        let text = if v.is_nan() {
            ".nan".to_owned()
        } else if v.is_infinite() {
            if v > 0.0 { ".inf" } else { "-.inf" }.to_owned()
        } else {
            format!("{v:?}")
        };
        self.plain(&text);
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.scalar(|out, level| write_scalar_str(out, v, level));
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("bytes have no YAML form here".into()))
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.plain("null");
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Error> {
        self.open(len, true);
        Ok(self)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self, Error> {
        self.open(len, false);
        Ok(self)
    }

    serialize_like_serde_json!(Error);
}

compounds_like_serde_json!(Serializer, Error);

/// Turns a map key into a string; only string-like keys are accepted.
struct KeySerializer;

macro_rules! display_keys {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<String, Error> {
            Ok(v.to_string())
        })*
    };
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    display_keys!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str);

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

fn key_error() -> Error {
    Error("map keys must be strings".into())
}

/// Writes a mapping key: plain where safe, else double-quoted. A key must
/// stay on one line, so it is never a literal block.
fn write_key(out: &mut String, key: &str) {
    if is_plain_safe(key) {
        out.push_str(key);
    } else {
        write_double_quoted(out, key);
    }
}

/// Writes a string plain, as a literal block, or double-quoted, whichever is
/// the first that every reader takes back as the same string.
fn write_scalar_str(out: &mut String, s: &str, level: usize) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if is_literal_safe(s) {
        out.push_str("|-");
        for line in s.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                push_spaces(out, level);
                out.push_str(line);
            }
        }
    } else {
        write_double_quoted(out, s);
    }
}

/// Can `s` stand unquoted on one line and be read as this string by YAML 1.1
/// and 1.2 readers alike?
pub(crate) fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if first == b' '
        || last == b' '
        || last == b':'
        || matches!(
            first,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    {
        return false;
    }
    // `: ` and ` #` start a mapping or a comment; control characters and
    // Unicode line breaks need escapes. Each test is a vectorized scan for
    // the bytes that could begin one, then a look at the few candidates.
    let control = bytes
        .iter()
        .fold(false, |seen, &b| seen | (b < 0x20) | (b == 0x7F));
    if control {
        return false;
    }
    let at = |i: usize| bytes.get(i).copied();
    for i in memchr::memchr3_iter(b':', b' ', 0xC2, bytes) {
        let unsafe_here = match bytes[i] {
            b':' => at(i + 1) == Some(b' '),
            b' ' => at(i + 1) == Some(b'#'),
            // U+0080–U+00A0 (C2 80–A0): C1 controls and NBSP
            _ => matches!(at(i + 1), Some(0x80..=0xA0)),
        };
        if unsafe_here {
            return false;
        }
    }
    for i in memchr::memchr2_iter(0xE2, 0xEF, bytes) {
        let line_break =
            bytes[i] == 0xE2 && at(i + 1) == Some(0x80) && matches!(at(i + 2), Some(0xA8 | 0xA9));
        let bom = bytes[i] == 0xEF && at(i + 1) == Some(0xBB) && at(i + 2) == Some(0xBF);
        if line_break || bom {
            return false;
        }
    }
    // Every special word, number and date is ASCII (most strings here start
    // with a Chinese character, which settles that without a scan).
    !(first.is_ascii() && s.is_ascii() && resolves_to_non_string(s))
}

/// Would a YAML 1.1 or 1.2 reader resolve the plain scalar `s` to a null,
/// boolean, number, date or one of YAML 1.1's special keys?
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan", "=", "<<",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    // Numbers in any base, sexagesimal (12:30), with separators (1_000).
    let numeric = s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() || "+-._:xXoO".contains(c));
    // Dates and timestamps (2024-01-01, 2024-1-1 12:00:00).
    let bytes = s.as_bytes();
    let date = bytes.len() >= 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5].is_ascii_digit();
    numeric || date
}

/// Characters a plain or literal scalar must not hold.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Can `s` be written as a `|-` literal block?
fn is_literal_safe(s: &str) -> bool {
    s.contains('\n')
        && !s.ends_with('\n')
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| c != '\n' && needs_escape(c))
        && s.split('\n').all(|line| line.trim_end() == line)
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = c as u32;
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_of(value: serde_json::Value) -> String {
        write(&value, 4096).unwrap()
    }

    #[test]
    fn yaml_1_1_words_numbers_and_dates_are_quoted() {
        for s in [
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "~",
            "null",
            "2024-01-01",
            "12:30",
            "1_000",
            "0x1F",
            "1e3",
            ".inf",
            "=",
            "<<",
            "2024-1-1 12:00",
        ] {
            assert!(!is_plain_safe(s), "{s} must be quoted");
        }
        for s in [
            "党的建设",
            "1. 制定方案",
            "C、D级",
            "yesterday",
            "DMCC",
            "伊吾县民政局：负责",
        ] {
            assert!(is_plain_safe(s), "{s} may stay plain");
        }
    }

    #[test]
    fn shape_matches_yaml_serde_block_style() {
        let v = serde_json::json!({
            "a": "x", "list": [{"k": 1, "m": [ "p", "yes" ]}], "empty": [], "none": null,
            "text": "一\n二", "map": {"b": true}
        });
        assert_eq!(
            yaml_of(v),
            "a: x\nlist:\n- k: 1\n  m:\n  - p\n  - \"yes\"\nempty: []\nnone: null\ntext: |-\n  一\n  二\nmap:\n  b: true\n"
        );
    }

    #[test]
    fn tuples_and_variants_read_back_as_serde_json_writes_them() {
        #[derive(serde::Serialize)]
        enum Shape {
            Pair(u32, String),
            Named { side: u32 },
            Wrapped(bool),
        }
        #[derive(serde::Serialize)]
        struct Doc {
            tuple: (u32, String),
            shapes: Vec<Shape>,
        }
        let doc = Doc {
            tuple: (1, "yes".into()),
            shapes: vec![
                Shape::Pair(2, "一".into()),
                Shape::Named { side: 3 },
                Shape::Wrapped(true),
            ],
        };
        let back: serde_json::Value = serde_yaml::from_str(&write(&doc, 4096).unwrap()).unwrap();
        assert_eq!(back, serde_json::to_value(&doc).unwrap());
    }

    #[test]
    fn a_key_with_line_breaks_is_double_quoted_not_a_literal_block() {
        let v = serde_json::json!({ "一\n二": "x" });
        assert_eq!(yaml_of(v), "\"一\\n二\": x\n");
    }

    #[test]
    fn a_key_over_1024_bytes_is_an_explicit_key_everywhere() {
        let long = "键".repeat(342); // 1,026 bytes
        let edge = "k".repeat(1024);
        let v = serde_json::json!({
            long.clone(): "v",
            "list": [{ long.clone(): { "m": 1 }, "z": [1] }],
            edge.clone(): [long.clone()],
        });
        let yaml = yaml_of(v.clone());
        assert_eq!(
            yaml,
            format!(
                "? {long}\n: v\nlist:\n- ? {long}\n  :\n    m: 1\n  z:\n  - 1\n{edge}:\n- {long}\n"
            )
        );
        let back: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn strings_that_yaml_serde_reads_back_are_unchanged() {
        let strings = [
            "yes",
            "a: b",
            "- x",
            "一\n\n二",
            "tab\there",
            "\u{2028}",
            "  lead",
            "end\n",
            "\"q\" \\ ",
            "#x",
            "12:30",
            "2024-01-01",
        ];
        for s in strings {
            let v = serde_json::json!({ "k": s, "l": [s], s: s });
            let back: serde_json::Value = serde_yaml::from_str(&yaml_of(v.clone())).unwrap();
            assert_eq!(back, v, "round trip of {s:?}");
        }
    }
}
