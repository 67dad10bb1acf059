//! JSON output: byte for byte what `serde_json::to_string_pretty` writes
//! (two-space indent, non-ASCII unescaped), and a newline.
//!
//! We write it ourselves for speed. serde_json's pretty writer spends half
//! its time on the sample (352 KB, mostly Chinese text in strings) looking
//! up every byte of every string in its escape table, and a fifth copying
//! indentation one level at a time; handing it a buffer of our own would add
//! a UTF-8 check of the whole output, dearer than the copies it saves. This
//! serializer pushes `&str`s into a `String` presized from the input (so
//! nothing is checked or regrown), tests strings sixteen bytes a step for
//! the few bytes to escape and copies the runs between them whole, writes a
//! line break with its indentation in one copy, and integers without `fmt`.
//! A render of the sample: 4.3 M → 1.8 M instructions, 0.36 → 0.11 ms.

use std::fmt::Write as _;

use serde::ser::{self, Serialize};
use serde_json::Error;

use super::serialize::push_spaces;
use crate::model::Edition;

/// Renders an edition as pretty JSON with a trailing newline.
pub fn render(edition: &Edition) -> String {
    let mut out = write(edition, super::capacity(edition, 4)).expect("records always serialize");
    out.push('\n');
    out
}

/// Writes `value` as `serde_json::to_string_pretty` would, into a buffer of
/// `capacity` bytes to begin with.
fn write<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<String, Error> {
    let mut serializer = Serializer {
        out: String::with_capacity(capacity),
        depth: 0,
        empty: false,
        key: false,
    };
    value.serialize(&mut serializer)?;
    Ok(serializer.out)
}

/// A streaming writer of serde_json's pretty format.
struct Serializer {
    /// The JSON written so far.
    out: String,
    /// How many arrays and objects are open.
    depth: usize,
    /// Whether the innermost open array or object has no entry yet: its
    /// first entry has no comma before it, and it closes on the same line.
    empty: bool,
    /// Whether a map key is being written: serde_json quotes numbers and
    /// booleans there and refuses anything else that is not a string.
    key: bool,
}

/// The error serde_json gives for a map key it cannot write as a string.
fn key_error() -> Error {
    ser::Error::custom("key must be a string")
}

impl Serializer {
    /// Writes a number or boolean, quoted where it is a map key.
    fn scalar(&mut self, write: impl FnOnce(&mut String)) {
        if self.key {
            self.out.push('"');
        }
        write(&mut self.out);
        if self.key {
            self.out.push('"');
        }
    }

    /// Writes an integer; by hand, as `fmt` costs four times as much for
    /// the records' page and line numbers.
    fn integer(&mut self, negative: bool, magnitude: u64) {
        self.scalar(|out| {
            if negative {
                out.push('-');
            }
            let mut digits = [0; 20];
            let mut at = digits.len();
            let mut rest = magnitude;
            loop {
                at -= 1;
                digits[at] = b'0' + (rest % 10) as u8;
                rest /= 10;
                if rest == 0 {
                    break;
                }
            }
            out.extend(digits[at..].iter().map(|&d| char::from(d)));
        });
    }

    /// Writes a float as serde_json does (NaN and infinities as `null`
    /// values, refused as map keys): by asking serde_json, as the records
    /// hold no floats to be fast for.
    fn float<F: Serialize>(&mut self, value: F, finite: bool) -> Result<(), Error> {
        if self.key && !finite {
            return Err(ser::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        let text = serde_json::to_string(&value)?;
        self.scalar(|out| out.push_str(&text));
        Ok(())
    }

    /// Opens an array (`[`) or object (`{`).
    fn open(&mut self, bracket: char) -> Result<(), Error> {
        if self.key {
            return Err(key_error());
        }
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
        Ok(())
    }

    /// Starts an element of the innermost open array, or an entry of the
    /// innermost open object, on a line of its own.
    fn element(&mut self) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        line_break(&mut self.out, self.depth);
    }

    /// Starts an object's entry: its name and the colon.
    fn field(&mut self, name: &str) {
        self.element();
        write_str(&mut self.out, name);
        self.out.push_str(": ");
    }

    /// Starts an object's entry by a key of any type serde_json writes as
    /// a string.
    fn map_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.element();
        self.key = true;
        let written = key.serialize(&mut *self);
        self.key = false;
        written?;
        self.out.push_str(": ");
        Ok(())
    }

    /// Closes the innermost open array (`]`) or object (`}`), which is
    /// itself an entry of the one around it.
    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if !self.empty {
            line_break(&mut self.out, self.depth);
        }
        self.empty = false;
        self.out.push(bracket);
    }

    /// Closes the innermost open array.
    fn close_seq(&mut self) {
        self.close(']');
    }

    /// Closes the innermost open object.
    fn close_map(&mut self) {
        self.close('}');
    }

    /// Opens the `{"Variant": …}` object around a variant's data.
    fn variant(&mut self, variant: &str) -> Result<(), Error> {
        self.open('{')?;
        self.field(variant);
        Ok(())
    }

    /// Closes what [`variant`](Self::variant) opened.
    fn close_variant(&mut self) {
        self.close_map();
    }
}

/// A line break and `depth` levels of indentation.
fn line_break(out: &mut String, depth: usize) {
    out.push('\n');
    push_spaces(out, 2 * depth);
}

/// Serializer methods of the integers that fit an `i64` or a `u64`.
macro_rules! integers {
    (signed: $($signed:ident: $s:ty),*; unsigned: $($unsigned:ident: $u:ty),*) => {
        $(fn $signed(self, v: $s) -> Result<(), Error> {
            let v = i64::from(v);
            self.integer(v < 0, v.unsigned_abs());
            Ok(())
        })*
        $(fn $unsigned(self, v: $u) -> Result<(), Error> {
            self.integer(false, u64::from(v));
            Ok(())
        })*
    };
}

/// Serializer methods of the 128-bit integers, which the records do not
/// hold, so `fmt` is fast enough.
macro_rules! wide_integers {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.scalar(|out| write!(out, "{v}").expect("a String takes any text"));
            Ok(())
        })*
    };
}

impl ser::Serializer for &mut Serializer {
    integers!(
        signed: serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64;
        unsigned: serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64
    );
    wide_integers!(serialize_i128: i128, serialize_u128: u128);

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.scalar(|out| out.push_str(if v { "true" } else { "false" }));
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v, v.is_finite())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(&mut self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.open('[')?;
        for byte in v {
            self.element();
            self.integer(false, u64::from(*byte));
        }
        self.close_seq();
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        if self.key {
            return Err(key_error());
        }
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.open('[')?;
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.open('{')?;
        Ok(self)
    }

    serialize_like_serde_json!(Error);
}

compounds_like_serde_json!(Serializer, Error);

/// Writes `s` quoted and escaped as serde_json escapes it: `"` and `\`
/// with a backslash, control characters below U+0020 as `\b`, `\f`, `\n`,
/// `\r`, `\t` or `\u00xx`, everything else (U+007F, non-ASCII) as it is.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut run = 0;
    while let Some(at) = find_escape(bytes, run) {
        out.push_str(&s[run..at]);
        let byte = bytes[at];
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
        run = at + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// Each byte of a word set to 1.
const ONES: u64 = u64::from_ne_bytes([1; 8]);
/// Each byte of a word set to 0x80.
const HIGH_BITS: u64 = ONES * 0x80;

/// The index of the first byte at or after `from` that needs an escape.
/// The text is mostly Chinese, three bytes a character and none of them an
/// escape, so it is skipped sixteen bytes a step, two words tested at once.
fn find_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let clean = bytes[from..]
        .chunks_exact(16)
        .take_while(|block| {
            let (low, high) = block.split_at(8);
            escapes(word(low)) | escapes(word(high)) == 0
        })
        .count();
    // What is left: a block with an escape, or fewer than sixteen bytes.
    let start = from + 16 * clean;
    let mut words = bytes[start..].chunks_exact(8);
    for (i, eight) in words.by_ref().enumerate() {
        let found = escapes(word(eight));
        if found != 0 {
            return Some(start + 8 * i + first_marked(found));
        }
    }
    let tail = words.remainder();
    if tail.is_empty() {
        return None;
    }
    // One word instead of up to seven single bytes: the string's last eight,
    // the bytes before the tail (tested already, or before `from`) given
    // their high bit so that they neither match nor borrow.
    let Some(last) = bytes.last_chunk::<8>() else {
        let at = bytes.len() - tail.len();
        return tail.iter().position(|&b| needs_escape(b)).map(|i| at + i);
    };
    let seen = HIGH_BITS >> (8 * tail.len());
    let found = escapes(u64::from_le_bytes(*last) | seen);
    (found != 0).then(|| bytes.len() - 8 + first_marked(found))
}

/// Eight bytes as a word, the first byte lowest.
fn word(eight: &[u8]) -> u64 {
    u64::from_le_bytes(eight.try_into().expect("eight bytes"))
}

/// The index of the byte of the lowest set bit of a non-zero mask.
fn first_marked(mask: u64) -> usize {
    // Little-endian: the lowest bits are the first byte.
    mask.trailing_zeros() as usize / 8
}

/// Does serde_json escape this byte?
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The high bit set in each byte of `word` that needs an escape. Borrows
/// can also set it in a byte above one that does, so only the lowest set
/// bit is to be trusted. Bytes of 0x80 and more never set it, and never
/// borrow from the byte above.
fn escapes(word: u64) -> u64 {
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;

    use super::*;

    /// What `write` must equal: serde_json's pretty output, or its failure.
    #[track_caller]
    fn assert_like_serde_json<T: Serialize + ?Sized>(value: &T) {
        let ours = write(value, 0).map_err(|e| e.to_string());
        let theirs = serde_json::to_string_pretty(value).map_err(|e| e.to_string());
        assert_eq!(ours, theirs);
    }

    #[test]
    fn nesting_empties_and_scalars_are_laid_out_as_serde_json_does() {
        assert_like_serde_json(&serde_json::json!({
            "a": [], "b": {}, "c": [[], [{}], {"d": [[[]]]}], "n": null, "t": true, "f": false,
            "i": -12, "u": 18446744073709551615u64, "s": "x",
            "deep": [[[[[[[[[[[[[[[[[["!"]]]]]]]]]]]]]]]]]],
        }));
        assert_like_serde_json(&Vec::<u32>::new());
        assert_like_serde_json(&BTreeMap::<String, String>::new());
        assert_like_serde_json(&"top");
        assert_like_serde_json(&());
    }

    /// Calls `serialize_bytes`, which no type of std does.
    struct Bytes(&'static [u8]);

    impl Serialize for Bytes {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    #[test]
    fn every_serde_shape_is_written_as_serde_json_writes_it() {
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Newtype(u8);
        #[derive(Serialize)]
        struct Pair(i32, &'static str);
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        enum Key {
            Plain,
        }
        #[derive(Serialize)]
        enum Shape {
            Unit,
            Wrapped(Option<bool>),
            Pair(u32, String),
            Empty(),
            Named { side: u32, list: Vec<u8> },
            Nothing {},
        }
        #[derive(Serialize)]
        struct Doc {
            unit: Unit,
            newtype: Newtype,
            pair: Pair,
            tuple: (char, (), Option<u8>),
            empty_tuple: (),
            shapes: Vec<Shape>,
            bytes: Bytes,
            no_bytes: Bytes,
            wide: (i128, u128),
            floats: (f64, f64, f64, f64, f64, f32, f32),
            int_keys: BTreeMap<i64, u8>,
            bool_keys: BTreeMap<bool, u8>,
            char_keys: BTreeMap<char, u8>,
            variant_keys: BTreeMap<Key, u8>,
            option_keys: BTreeMap<Option<&'static str>, u8>,
        }
        assert_like_serde_json(&Doc {
            unit: Unit,
            newtype: Newtype(7),
            pair: Pair(-1, "一"),
            tuple: ('"', (), None),
            empty_tuple: (),
            shapes: vec![
                Shape::Unit,
                Shape::Wrapped(Some(true)),
                Shape::Wrapped(None),
                Shape::Pair(2, "二".into()),
                Shape::Empty(),
                Shape::Named {
                    side: 3,
                    list: vec![],
                },
                Shape::Nothing {},
            ],
            bytes: Bytes(b"\0a\xff"),
            no_bytes: Bytes(b""),
            wide: (i128::MIN, u128::MAX),
            floats: (
                1.0,
                0.1,
                -1e300,
                f64::NAN,
                f64::NEG_INFINITY,
                0.1,
                f32::INFINITY,
            ),
            int_keys: BTreeMap::from([(-3, 1), (40, 2)]),
            bool_keys: BTreeMap::from([(false, 1), (true, 2)]),
            char_keys: BTreeMap::from([('\n', 1), ('中', 2)]),
            variant_keys: BTreeMap::from([(Key::Plain, 1)]),
            option_keys: BTreeMap::from([(Some("k"), 1)]),
        });
        assert_like_serde_json(&Shape::Pair(1, "x".into()));
    }

    /// Serializes its pairs as a map, for keys that are not `Ord` (floats).
    struct Pairs<K, V>(Vec<(K, V)>);

    impl<K: Serialize, V: Serialize> Serialize for Pairs<K, V> {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    #[test]
    fn map_keys_are_quoted_or_refused_as_serde_json_does() {
        assert_like_serde_json(&Pairs(vec![(1.0, 1), (-2.5e-7, 2), (1e21, 3)]));
        assert_like_serde_json(&Pairs(vec![(0.1f32, 1)]));
        assert_like_serde_json(&Pairs(vec![(f64::NAN, 1)]));
        assert_like_serde_json(&Pairs(vec![(f32::INFINITY, 1)]));
        assert_like_serde_json(&Pairs(vec![((), 1)]));
        assert_like_serde_json(&Pairs(vec![(vec![1], 1)]));
        assert_like_serde_json(&Pairs(vec![(None::<&str>, 1)]));
        assert_like_serde_json(&Pairs(vec![(Some("k"), 1)]));
        assert_like_serde_json(&Pairs(vec![(Bytes(b"k"), 1)]));
    }

    #[test]
    fn the_first_escape_is_found_at_every_offset_for_every_byte() {
        for byte in 0..=u8::MAX {
            for len in 1..=40 {
                for at in 0..len {
                    // What a borrow from an escape below would mark (0x20
                    // in the control test, 0x23 in the quote test, 0x5D in
                    // the backslash test), and a Chinese lead byte.
                    for filler in [b' ', b'#', b']', 0xE4] {
                        let mut bytes = vec![filler; len];
                        bytes[at] = byte;
                        let expected = if needs_escape(byte) { Some(at) } else { None };
                        assert_eq!(find_escape(&bytes, 0), expected, "{bytes:?}");
                        if at > 0 {
                            bytes[at - 1] = b'"';
                            assert_eq!(find_escape(&bytes, 0), Some(at - 1), "{bytes:?}");
                            assert_eq!(find_escape(&bytes, at), expected, "{bytes:?}");
                        }
                    }
                }
            }
        }
    }

    /// Characters that exercise every branch of the escaping: all of ASCII,
    /// the quote and backslash often, and UTF-8 of every length.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            (0u8..0x80).prop_map(char::from),
            Just('"'),
            Just('\\'),
            Just('\n'),
            Just('\u{7F}'),
            Just('\u{2028}'),
            Just('\u{2029}'),
            Just('é'),
            Just('中'),
            Just('：'),
            Just('😀'),
            any::<char>(),
        ]
    }

    fn tricky_string() -> impl Strategy<Value = String> {
        prop::collection::vec(tricky_char(), 0..=40).prop_map(|chars| chars.into_iter().collect())
    }

    #[derive(Debug, Serialize)]
    struct Nest {
        text: String,
        maybe: Option<String>,
        list: Vec<String>,
        map: BTreeMap<String, String>,
        lists: Vec<Vec<Option<String>>>,
        maps: Vec<BTreeMap<String, Vec<String>>>,
    }

    fn list() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(tricky_string(), 0..3)
    }

    fn nest() -> impl Strategy<Value = Nest> {
        let map = prop::collection::btree_map(tricky_string(), tricky_string(), 0..3);
        let lists = prop::collection::vec(
            prop::collection::vec(prop::option::of(tricky_string()), 0..3),
            0..3,
        );
        let maps = prop::collection::vec(
            prop::collection::btree_map(tricky_string(), list(), 0..3),
            0..3,
        );
        (
            tricky_string(),
            prop::option::of(tricky_string()),
            list(),
            map,
            lists,
            maps,
        )
            .prop_map(|(text, maybe, list, map, lists, maps)| Nest {
                text,
                maybe,
                list,
                map,
                lists,
                maps,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_strings_are_escaped_as_serde_json_escapes_them(s in tricky_string()) {
            let mut ours = String::new();
            write_str(&mut ours, &s);
            prop_assert_eq!(ours, serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn nested_records_are_written_as_serde_json_writes_them(value in nest()) {
            prop_assert_eq!(
                write(&value, 0).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }
}
