//! Reading qingdan's JSON and YAML outputs strictly, for `validate` and
//! `diff`, as located [`Diagnostic`]s (the command line only prints them): a file that is no output of qingdan is called just that, a key
//! written twice and a `seq` listed twice in a section are errors, and
//! every error is shown at its line and column.

use std::fmt;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Facts, Position};
use crate::lines::SourceLines;
use crate::model::{Edition, SCHEMA_VERSION};
use crate::pipeline::{Conversion, Options};
use crate::schema::{check_value, edition_records, is_index, SchemaError};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

mod locate;

use locate::{json_place, yaml_place};

/// The syntax of an output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `.json`.
    Json,
    /// `.yaml`.
    Yaml,
}

impl Syntax {
    fn name(self) -> &'static str {
        match self {
            Syntax::Json => "JSON",
            Syntax::Yaml => "YAML",
        }
    }
}

/// The syntax of the file at `path` as an output of qingdan, by its
/// extension or else its first bytes (`{` or `[`, or a first line
/// `schema_version:`); `None` for anything else, taken for an edition.
///
/// ```
/// use qingdan::read::{syntax_of, Syntax};
/// use std::path::Path;
///
/// assert_eq!(syntax_of(Path::new("x.json"), b""), Some(Syntax::Json));
/// assert_eq!(syntax_of(Path::new("x.out"), b"schema_version: \"2\"\n"), Some(Syntax::Yaml));
/// assert_eq!(syntax_of(Path::new("x.txt"), "序号".as_bytes()), None);
/// ```
pub fn syntax_of(path: &Path, bytes: &[u8]) -> Option<Syntax> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => return Some(Syntax::Json),
        Some("yaml" | "yml") => return Some(Syntax::Yaml),
        _ => {}
    }
    let start = without_bom(bytes).trim_ascii_start();
    if start.starts_with(b"{") || start.starts_with(b"[") {
        Some(Syntax::Json)
    } else if start.starts_with(b"schema_version:") {
        Some(Syntax::Yaml)
    } else {
        None
    }
}

/// `bytes` without a UTF-8 byte-order mark.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// An output file, read and checked.
pub struct Checked {
    /// The diagnostics, with the file's text to show them in; for an
    /// edition's output that holds to the contract, its records too
    /// (`conversion.edition`).
    pub conversion: Conversion,
    /// Whether the file is the index of a build rather than an edition's
    /// output (when it parsed at all).
    pub is_index: bool,
}

/// Reads `bytes` as a JSON or YAML output of qingdan (an edition's, or
/// `build`'s index) and checks it: syntax, keys written once, that it is an
/// output at all, the schema, and one `seq` per item of a section.
///
/// ```
/// use qingdan::read::{check, Syntax};
/// use qingdan::Options;
///
/// let json = br#"{"schema_version": "2", "schema_version": "2"}"#;
/// let checked = check(json, Syntax::Json, &Options::new());
/// assert!(checked.conversion.edition.is_none());
/// let error = &checked.conversion.diagnostics[0];
/// assert_eq!(error.code.as_str(), "E022"); // a key written twice
/// assert_eq!((error.position.line, error.position.column), (1, 25));
/// ```
pub fn check(bytes: &[u8], syntax: Syntax, options: &Options) -> Checked {
    let failed = |diagnostic: Diagnostic, text: Option<String>| Checked {
        conversion: Conversion {
            edition: None,
            diagnostics: vec![diagnostic],
            text,
        },
        is_index: false,
    };
    if bytes.len() as u64 > options.max_bytes() {
        return failed(
            Diagnostic::new(
                Code::TooLarge,
                Position::new(1, 1, 1),
                format!(
                    "expected a file of at most {} bytes (`--max-bytes`), found {} bytes",
                    options.max_bytes(),
                    bytes.len()
                ),
            )
            .with_facts(Facts::Count {
                expected: options.max_bytes(),
                found: bytes.len() as u64,
            }),
            None,
        );
    }
    let bytes = without_bom(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(e) => {
            // The bytes up to the first invalid one are UTF-8.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = SourceLines::new(valid).position(valid.len());
            return failed(
                Diagnostic::new(
                    Code::InvalidBytes,
                    Position::new(line, column, 1),
                    format!(
                        "expected UTF-8 {}, found an invalid byte at byte offset {}",
                        syntax.name(),
                        e.valid_up_to()
                    ),
                ),
                Some(String::from_utf8_lossy(bytes).into_owned()),
            );
        }
    };
    let value = match parse(&text, syntax) {
        Ok(value) => value,
        Err(diagnostic) => return failed(diagnostic, Some(text)),
    };
    if let Some(diagnostic) = not_an_output(&value, syntax) {
        return failed(diagnostic, Some(text));
    }
    let place = |pointer: &str| match syntax {
        Syntax::Json => json_place(&text, pointer),
        Syntax::Yaml => yaml_place(&text, pointer),
    };
    let is_index = is_index(&value);
    let (edition, errors) = if is_index {
        (None, check_value(&value))
    } else {
        edition_records(&value)
    };
    let mut diagnostics = schema_errors(errors, &place);
    diagnostics.extend(seqs_twice(&value, &place));
    diagnostics.sort_by_key(|d| (d.position.line, d.position.column));
    let ok = diagnostics.is_empty();
    Checked {
        conversion: Conversion {
            edition: edition.filter(|_| ok),
            diagnostics,
            text: Some(text),
        },
        is_index,
    }
}

/// Reads `bytes` as an edition's JSON output, for `diff`: [`check`], then
/// the records.
pub(crate) fn edition(bytes: &[u8], options: &Options) -> Result<Edition, Box<Conversion>> {
    let checked = check(bytes, Syntax::Json, options);
    if checked.is_index && !checked.conversion.has_errors() {
        let mut conversion = checked.conversion;
        conversion.diagnostics.push(
            Diagnostic::new(
                Code::NotOutput,
                Position::new(1, 1, 1),
                "expected an edition's JSON output, found the index of a build (index.json)",
            )
            .with_help("give diff two editions, or the .json outputs of two editions"),
        );
        return Err(Box::new(conversion));
    }
    let mut conversion = checked.conversion;
    conversion.edition.take().ok_or(Box::new(conversion))
}

/// The [`Code::NotOutput`] error for a YAML output given where only JSON
/// outputs and editions are read.
pub(crate) fn yaml_given_to_diff() -> Diagnostic {
    Diagnostic::new(
        Code::NotOutput,
        Position::new(1, 1, 1),
        "expected an edition or a JSON output, found a YAML file (diff does not read YAML outputs)",
    )
    .with_help("give diff the .json written beside it (`qingdan convert --to json`), or the edition itself")
}

/// The marker around a key in the error a duplicate key raises, so that the
/// key can be told apart from the rest of the parser's message.
const KEY_MARK: char = '\u{1}';

/// Parses `text`, refusing duplicate keys: a syntax error is
/// [`Code::Schema`] and a key written twice [`Code::DuplicateKey`], each at
/// its place.
fn parse(text: &str, syntax: Syntax) -> Result<Value, Diagnostic> {
    let (message, line, column) = match syntax {
        Syntax::Json => match serde_json::from_str::<Strict>(text) {
            Ok(Strict(value)) => return Ok(value),
            Err(e) => (e.to_string(), e.line(), e.column()),
        },
        Syntax::Yaml => match serde_yaml::from_str::<Strict>(text) {
            Ok(Strict(value)) => return Ok(value),
            Err(e) => {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                (e.to_string(), line, column)
            }
        },
    };
    let (line, column) = (line.max(1) as u32, column.max(1) as u32);
    let Some(key) = message.split(KEY_MARK).nth(1) else {
        return Err(Diagnostic::new(
            Code::Schema,
            Position::new(line, column, 1),
            format!(
                "expected {}, found a syntax error: {message}",
                syntax.name()
            ),
        ));
    };
    let (line, column) = match syntax {
        // The parser stands just after the second key.
        Syntax::Json => (
            line,
            column.saturating_sub(key.chars().count() as u32 + 1).max(1),
        ),
        // The parser names the object; the key is the second of its name.
        Syntax::Yaml => {
            second_yaml_key(text, line as usize, column as usize, key).unwrap_or((line, column))
        }
    };
    Err(Diagnostic::new(
        Code::DuplicateKey,
        Position::new(line, column, key.chars().count() as u32 + 2),
        format!("expected each key once in an object, found `{key}` a second time"),
    )
    .with_label("the second one")
    .with_help("remove or rename one of the two: a reader keeps only one of them, and qingdan never writes a key twice"))
}

/// The line and column of the second `key:` of the block mapping whose
/// first entry is at `line`:`column` (from 1).
fn second_yaml_key(text: &str, line: usize, column: usize, key: &str) -> Option<(u32, u32)> {
    let indent = column.checked_sub(1)?;
    let quoted = serde_json::to_string(key).ok()?;
    let mut seen = 0;
    for (i, raw) in text.split('\n').enumerate().skip(line.checked_sub(1)?) {
        let content = raw.trim_start_matches([' ', '-']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let at = raw.len() - content.len();
        if i + 1 > line && raw.len() - raw.trim_start_matches(' ').len() < indent {
            break;
        }
        let is_key = [key, quoted.as_str()]
            .iter()
            .any(|k| content.strip_prefix(k).is_some_and(|r| r.starts_with(':')));
        if at == indent && is_key {
            seen += 1;
            if seen == 2 {
                return Some((i as u32 + 1, column as u32));
            }
        }
    }
    None
}

/// The [`Code::NotOutput`] error for a value that is no output of qingdan:
/// not an object with `schema_version` (nor an index), or of another schema
/// version.
fn not_an_output(value: &Value, syntax: Syntax) -> Option<Diagnostic> {
    if is_index(value) {
        return None;
    }
    let found = match value {
        Value::Object(map) => match map.get("schema_version") {
            None => "an object without `schema_version`".to_owned(),
            Some(Value::String(v)) if v == SCHEMA_VERSION => return None,
            Some(v) => {
                format!("`schema_version` {v}, where this qingdan writes {SCHEMA_VERSION:?}")
            }
        },
        Value::Array(_) => "an array".to_owned(),
        Value::String(_) => "a string".to_owned(),
        Value::Number(_) => "a number".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Null => "null".to_owned(),
    };
    Some(
        Diagnostic::new(
            Code::NotOutput,
            Position::new(1, 1, 1),
            format!(
                "expected a qingdan output (an object with `schema_version`, `source` and `sections`), found {found}: this {} was not written by qingdan",
                syntax.name()
            ),
        )
        .with_help("give an edition (.txt), or a file that `qingdan convert` or `qingdan build` wrote; for another schema version, convert the edition again"),
    )
}

/// The schema errors of a value, each at its place.
fn schema_errors(errors: Vec<SchemaError>, place: &dyn Fn(&str) -> (u32, u32)) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|error| {
            let (line, column) = place(&error.instance_path);
            let at = if error.instance_path.is_empty() {
                "the top level".to_owned()
            } else {
                format!("`{}`", error.instance_path)
            };
            Diagnostic::new(
                Code::Schema,
                Position::new(line, column, 1),
                format!(
                    "expected a value the schema allows at {at}, found: {}",
                    error.message
                ),
            )
            .with_label(error.instance_path.clone())
            .with_help(format!("see `qingdan schema`, keyword `{}`", error.keyword))
        })
        .collect()
}

/// A [`Code::OutputSeqTwice`] error for each item whose `seq` an earlier
/// item of its section has.
fn seqs_twice(value: &Value, place: &dyn Fn(&str) -> (u32, u32)) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let sections = value.get("sections").and_then(Value::as_array);
    for (s, section) in sections.into_iter().flatten().enumerate() {
        let items = section.get("items").and_then(Value::as_array);
        let mut first = std::collections::HashMap::new();
        for (i, item) in items.into_iter().flatten().enumerate() {
            let Some(seq) = item.get("seq").and_then(Value::as_u64) else {
                continue;
            };
            let Some(&earlier) = first.get(&seq) else {
                first.insert(seq, i);
                continue;
            };
            let pointer = |i: usize| format!("/sections/{s}/items/{i}/seq");
            let (line, column) = place(&pointer(i));
            let (first_line, first_column) = place(&pointer(earlier));
            found.push(
                Diagnostic::new(
                    Code::OutputSeqTwice,
                    Position::new(line, column, 1),
                    format!(
                        "expected one item numbered {seq} in the {} list, found a second at `{}`",
                        section.get("kind").and_then(Value::as_str).unwrap_or("same"),
                        pointer(i)
                    ),
                )
                .with_label("the second one")
                .with_note(Position::new(first_line, first_column, 1), "the first one")
                .with_help("renumber one of them, or convert the edition again: qingdan never writes one seq twice in a section"),
            );
        }
    }
    found
}

/// A JSON value read with every object's keys checked to be distinct.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

/// Builds a [`Value`] as serde_json's own visitor does, but fails on a key
/// an object already has.
struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Strict::deserialize(deserializer).map(|Strict(v)| v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key {KEY_MARK}{key}{KEY_MARK}"
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}
