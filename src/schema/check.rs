//! Checking a JSON value against the output contract, without a JSON
//! Schema validator at run time.
//!
//! The value is first read into the record types ([`Edition`] or
//! [`Index`]): that checks every key (unknown ones are denied), every type,
//! every required field and every enumeration, and `serde_path_to_error`
//! says where the first failure is. The records are then held to the rules
//! the types cannot express, one function per record type below, each the
//! counterpart of keywords in the generated schema (`minLength`, `minItems`,
//! `minimum`, `pattern`, `enum`, `uniqueItems`). The tests check every
//! committed and generated output against the published schema with an
//! independent validator, and that each rule here rejects what the schema
//! rejects.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::{is_index, SchemaError};
use crate::index::{Index, IndexEntry};
use crate::model::{
    Duty, Edition, Item, ItemSource, Region, Section, SourceFormat, SCHEMA_VERSION,
};

/// Checks a JSON value as an output of qingdan — the index's contract when
/// it [is one](is_index), else the edition's; errors in document order.
pub(super) fn check_value(value: &Value) -> Vec<SchemaError> {
    if is_index(value) {
        typed(value, index).1
    } else {
        typed(value, edition).1
    }
}

/// Reads `value` as an edition's output into its records and holds them to
/// the rules: the records when the value holds them, and the errors.
pub(crate) fn edition_records(value: &Value) -> (Option<Edition>, Vec<SchemaError>) {
    typed(value, edition)
}

/// Holds an index already in hand to the rules (the types it is in hold
/// already).
pub(crate) fn check_index(records: &Index) -> Vec<SchemaError> {
    let mut rules = Rules::default();
    index(records, &mut rules);
    rules.errors
}

/// Reads `value` as a `T`, then holds it to `rules`: the records when the
/// types hold the value, and the errors.
fn typed<T: DeserializeOwned>(
    value: &Value,
    check: fn(&T, &mut Rules),
) -> (Option<T>, Vec<SchemaError>) {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(records) => {
            let mut rules = Rules::default();
            check(&records, &mut rules);
            (Some(records), rules.errors)
        }
        Err(error) => (None, vec![type_error(&error)]),
    }
}

/// The error of a value the record types cannot hold, at its pointer.
fn type_error(error: &serde_path_to_error::Error<serde_json::Error>) -> SchemaError {
    let mut pointer = String::new();
    for segment in error.path().iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => break,
        }
    }
    let message = error.inner().to_string();
    let keyword = if message.starts_with("unknown field") {
        "additionalProperties"
    } else if message.starts_with("missing field") {
        "required"
    } else if message.starts_with("unknown variant") {
        "enum"
    } else {
        "type"
    };
    SchemaError {
        instance_path: pointer,
        keyword: keyword.to_owned(),
        message,
    }
}

/// The rules' findings, in document order (each rule function walks its
/// record in the order the fields are written).
#[derive(Default)]
struct Rules {
    errors: Vec<SchemaError>,
}

impl Rules {
    /// Records that the value at `at` breaks `keyword`.
    fn fail(&mut self, at: String, keyword: &str, message: String) {
        self.errors.push(SchemaError {
            instance_path: at,
            keyword: keyword.to_owned(),
            message,
        });
    }

    /// `const`: the contract's version.
    fn version(&mut self, value: &str) {
        if value != SCHEMA_VERSION {
            self.fail(
                "/schema_version".into(),
                "const",
                format!("expected {SCHEMA_VERSION:?}, found {value:?}"),
            );
        }
    }

    /// `minLength: 1`.
    fn non_empty(&mut self, value: &str, at: impl FnOnce() -> String) {
        if value.is_empty() {
            self.fail(
                at(),
                "minLength",
                "expected a non-empty string, found \"\"".into(),
            );
        }
    }

    /// `minItems: 1`.
    fn some_items<T>(&mut self, values: &[T], at: impl FnOnce() -> String) {
        if values.is_empty() {
            self.fail(
                at(),
                "minItems",
                "expected at least one entry, found []".into(),
            );
        }
    }

    /// `minimum: 1`.
    fn positive(&mut self, value: u32, at: impl FnOnce() -> String) {
        if value == 0 {
            self.fail(
                at(),
                "minimum",
                "expected a number of at least 1, found 0".into(),
            );
        }
    }

    /// `pattern: ^[0-9a-f]{64}$`, or also empty when `or_empty`.
    fn sha256(&mut self, value: &str, or_empty: bool, at: impl FnOnce() -> String) {
        let hex = value.len() == 64
            && value
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !(hex || or_empty && value.is_empty()) {
            self.fail(
                at(),
                "pattern",
                format!("expected 64 lowercase hex digits (a SHA-256), found {value:?}"),
            );
        }
    }

    /// Every string of `values` non-empty.
    fn non_empty_each(&mut self, values: &[String], at: impl Fn(usize) -> String) {
        for (i, value) in values.iter().enumerate() {
            self.non_empty(value, || at(i));
        }
    }

    /// `uniqueItems` and the pattern of a plain relative path (not
    /// absolute, no `.` or `..` part) for each of `paths`.
    fn relative_paths(&mut self, paths: &[String], at: impl Fn(usize) -> String) {
        for (i, path) in paths.iter().enumerate() {
            let plain = !path.is_empty()
                && !path.starts_with('/')
                && !path.contains('\n')
                && !path.split('/').any(|part| part == "." || part == "..");
            if !plain {
                self.fail(
                    at(i),
                    "pattern",
                    format!("expected a relative path without `.` or `..` parts, found {path:?}"),
                );
            }
            if paths[..i].contains(path) {
                self.fail(
                    at(i),
                    "uniqueItems",
                    format!("expected each path once, found {path:?} a second time"),
                );
            }
        }
    }
}

/// The keyword of the rules that tie an edition's provenance to its
/// `source.format`: an encoding and pages for text only, and item sources
/// in the terms of the format (lines, table rows, sheet rows).
const FORMAT_RULE: &str = "source.format";

/// The encodings an edition's source may be read in.
const ENCODINGS: [&str; 4] = ["UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"];

fn edition(edition: &Edition, rules: &mut Rules) {
    rules.version(&edition.schema_version);
    let source = &edition.source;
    rules.non_empty(&source.path, || "/source/path".into());
    let text = source.format == SourceFormat::Text;
    match &source.encoding {
        Some(encoding) if !ENCODINGS.contains(&encoding.as_str()) => rules.fail(
            "/source/encoding".into(),
            "enum",
            format!("expected one of {ENCODINGS:?}, found {encoding:?}"),
        ),
        Some(_) if !text => rules.fail(
            "/source/encoding".into(),
            FORMAT_RULE,
            format!(
                "expected no encoding for a {} source, found one",
                source.format.as_str()
            ),
        ),
        None if text => rules.fail(
            "/source".into(),
            FORMAT_RULE,
            "expected an `encoding` for a text source, found none".into(),
        ),
        _ => {}
    }
    rules.sha256(&source.sha256, false, || "/source/sha256".into());
    rules.non_empty_each(&edition.issuers, |i| format!("/issuers/{i}"));
    region(&edition.region, "/region", rules);
    for (i, entry) in edition.contents.iter().enumerate() {
        rules.non_empty(&entry.title, || format!("/contents/{i}/title"));
    }
    rules.some_items(&edition.sections, || "/sections".into());
    for (s, section) in edition.sections.iter().enumerate() {
        self::section(section, source.format, &format!("/sections/{s}"), rules);
    }
}

fn region(region: &Region, at: &str, rules: &mut Rules) {
    for (unit, value) in [
        ("province", &region.province),
        ("prefecture", &region.prefecture),
        ("county", &region.county),
        ("township", &region.township),
    ] {
        if let Some(value) = value {
            rules.non_empty(value, || format!("{at}/{unit}"));
        }
    }
    if let Some(code) = &region.code {
        let digits = code.bytes().all(|b| b.is_ascii_digit());
        if !(digits && [2, 4, 6, 9].contains(&code.len())) {
            rules.fail(
                format!("{at}/code"),
                "pattern",
                format!("expected a division code of 2, 4, 6 or 9 digits, found {code:?}"),
            );
        }
    }
}

fn section(section: &Section, format: SourceFormat, at: &str, rules: &mut Rules) {
    rules.non_empty(&section.title, || format!("{at}/title"));
    rules.some_items(&section.columns, || format!("{at}/columns"));
    rules.some_items(&section.fields, || format!("{at}/fields"));
    for (name, page) in [
        ("first_page", section.first_page),
        ("last_page", section.last_page),
    ] {
        match page {
            Some(page) => rules.positive(page, || format!("{at}/{name}")),
            None if format == SourceFormat::Text => rules.fail(
                at.to_owned(),
                FORMAT_RULE,
                format!("expected `{name}` in a section of a text source, found none"),
            ),
            None => {}
        }
        if page.is_some() && format != SourceFormat::Text {
            rules.fail(
                format!("{at}/{name}"),
                FORMAT_RULE,
                format!(
                    "expected no pages for a {} source, found some",
                    format.as_str()
                ),
            );
        }
    }
    for (i, item) in section.items.iter().enumerate() {
        self::item(item, format, &format!("{at}/items/{i}"), rules);
    }
}

fn item(item: &Item, format: SourceFormat, at: &str, rules: &mut Rules) {
    rules.non_empty(&item.name, || format!("{at}/name"));
    let (found, rows) = match &item.source {
        ItemSource::Text(source) => {
            rules.positive(source.first_line, || format!("{at}/source/first_line"));
            rules.positive(source.last_line, || format!("{at}/source/last_line"));
            rules.some_items(&source.pages, || format!("{at}/source/pages"));
            for (p, page) in source.pages.iter().enumerate() {
                rules.positive(*page, || format!("{at}/source/pages/{p}"));
            }
            (SourceFormat::Text, None)
        }
        ItemSource::Table(source) => {
            rules.positive(source.table, || format!("{at}/source/table"));
            if let Some(table) = source.last_table {
                rules.positive(table, || format!("{at}/source/last_table"));
            }
            (SourceFormat::Docx, Some((source.row, source.last_row)))
        }
        ItemSource::Sheet(source) => {
            rules.non_empty(&source.sheet, || format!("{at}/source/sheet"));
            if let Some(sheet) = &source.last_sheet {
                rules.non_empty(sheet, || format!("{at}/source/last_sheet"));
            }
            (SourceFormat::Xlsx, Some((source.row, source.last_row)))
        }
    };
    if let Some((row, last_row)) = rows {
        rules.positive(row, || format!("{at}/source/row"));
        if let Some(last_row) = last_row {
            rules.positive(last_row, || format!("{at}/source/last_row"));
        }
    }
    if found != format {
        rules.fail(
            format!("{at}/source"),
            FORMAT_RULE,
            format!(
                "expected an item source of a {} file, found one of a {} file",
                format.as_str(),
                found.as_str()
            ),
        );
    }
    if let Some(departments) = &item.superior_departments {
        rules.non_empty_each(departments, |i| format!("{at}/superior_departments/{i}"));
    }
    for (field, duty) in [
        ("superior_duties", &item.superior_duties),
        ("township_duties", &item.township_duties),
    ] {
        if let Some(duty) = duty {
            self::duty(duty, &format!("{at}/{field}"), rules);
        }
    }
    if let Some(handover) = &item.handover {
        for (r, receiver) in handover.receivers.iter().enumerate() {
            rules.non_empty(&receiver.department, || {
                format!("{at}/handover/receivers/{r}/department")
            });
        }
    }
}

fn duty(duty: &Duty, at: &str, rules: &mut Rules) {
    for (b, block) in duty.blocks.iter().enumerate() {
        if let Some(heading) = &block.heading {
            rules.non_empty(heading, || format!("{at}/blocks/{b}/heading"));
        }
        rules.non_empty_each(&block.steps, |s| format!("{at}/blocks/{b}/steps/{s}"));
    }
}

fn index(index: &Index, rules: &mut Rules) {
    rules.version(&index.schema_version);
    for (e, entry) in index.editions.iter().enumerate() {
        self::entry(entry, &format!("/editions/{e}"), rules);
    }
    rules.relative_paths(&index.orphaned, |i| format!("/orphaned/{i}"));
}

fn entry(entry: &IndexEntry, at: &str, rules: &mut Rules) {
    rules.non_empty(&entry.input, || format!("{at}/input"));
    rules.sha256(&entry.sha256, true, || format!("{at}/sha256"));
    for (field, value) in [("reason", &entry.reason), ("title", &entry.title)] {
        if let Some(value) = value {
            rules.non_empty(value, || format!("{at}/{field}"));
        }
    }
    if let Some(region) = &entry.region {
        self::region(region, &format!("{at}/region"), rules);
    }
    rules.relative_paths(&entry.outputs, |i| format!("{at}/outputs/{i}"));
}
