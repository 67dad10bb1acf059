//! The output contract as JSON Schema, and checking records against it.
//!
//! `schemas/qingdan.schema.json` is the one source of truth: it is embedded
//! here, printed by `qingdan schema`, checked against every edition before it
//! is written, and used by `qingdan validate` on generated `.json`/`.yaml`
//! files. Each validator is compiled once per process.
//!
//! Editions are checked as a [tape] rather than a `serde_json::Value`:
//! building the `Value` cost twice what validating it did.

mod tape;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::OnceLock;

use jsonschema::json::{Json, SerdeJson};
use jsonschema::{Draft, Validator};
use serde_json::Value;

use crate::model::Edition;
use tape::{Tape, TapeJson};

/// The JSON Schema (draft 2020-12) of qingdan's JSON and YAML outputs.
pub const SCHEMA: &str = include_str!("../../schemas/qingdan.schema.json");

/// The JSON Schema (draft 2020-12) of `build`'s `index.json`.
pub const INDEX_SCHEMA: &str = include_str!("../../schemas/index.schema.json");

/// One way a document breaks the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON pointer to the offending value, e.g. `/sections/0/items/3/name`;
    /// empty for the document itself.
    pub instance_path: String,
    /// JSON pointer to the schema keyword that failed.
    pub schema_path: String,
    /// What is wrong, as the validator says it.
    pub message: String,
}

/// The compiled schema of an edition, for editions read back as JSON.
fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| compile(SCHEMA))
}

/// The compiled schema of an edition, for the records on a tape.
fn tape_validator() -> &'static Validator<TapeJson> {
    static VALIDATOR: OnceLock<Validator<TapeJson>> = OnceLock::new();
    VALIDATOR.get_or_init(|| compile(SCHEMA))
}

/// The compiled schema of an index.
fn index_validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| compile(INDEX_SCHEMA))
}

/// `schema` (draft 2020-12) compiled for instances held as `F`.
fn compile<F: Json>(schema: &str) -> Validator<F> {
    let schema: Value = serde_json::from_str(schema).expect("the embedded schema is JSON");
    jsonschema::options_for::<F>()
        .with_draft(Draft::Draft202012)
        .build(&schema)
        .expect("the embedded schema compiles")
}

/// Is `value` a collection index (`totals` and `editions` at the top)
/// rather than an edition?
pub fn is_index(value: &Value) -> bool {
    value.get("totals").is_some() && value.get("editions").is_some()
}

/// Checks a JSON value against its schema — the index's when it
/// [is one](is_index), else the edition's; errors in document order.
pub fn check_value(value: &Value) -> Vec<SchemaError> {
    let validator = if is_index(value) {
        index_validator()
    } else {
        validator()
    };
    errors::<SerdeJson>(validator, value)
}

/// Checks an edition against the schema, as its JSON and YAML are written.
pub fn check_edition(edition: &Edition) -> Vec<SchemaError> {
    thread_local! {
        /// The thread's tape, kept so that its buffers are not allocated
        /// and grown page by page again for every edition.
        static TAPE: RefCell<Tape> = RefCell::default();
    }
    TAPE.with_borrow_mut(|tape| {
        let errors = if tape.fill(edition) {
            errors(tape_validator(), tape.root())
        } else {
            check_through_value(edition)
        };
        // One outsized edition should not hold its memory for good.
        if tape.capacity() > KEPT_TAPE_BYTES {
            *tape = Tape::default();
        }
        errors
    })
}

/// The most a thread's tape keeps between editions; the sample's takes
/// under 1 MiB.
const KEPT_TAPE_BYTES: usize = 64 << 20;

/// [`check_edition`] through a `serde_json::Value`, for records that the
/// tape leaves to serde_json.
fn check_through_value(edition: &Edition) -> Vec<SchemaError> {
    match serde_json::to_value(edition) {
        Ok(value) => check_value(&value),
        Err(e) => vec![SchemaError {
            instance_path: String::new(),
            schema_path: String::new(),
            message: format!("the records do not serialize: {e}"),
        }],
    }
}

/// The ways `instance` breaks `validator`'s schema, in document order.
fn errors<'i, F: Json>(validator: &'i Validator<F>, instance: F::Node<'i>) -> Vec<SchemaError> {
    // `is_valid` builds no errors and nearly every instance is valid, so
    // errors are collected only when there are some.
    if validator.is_valid(instance.clone()) {
        return Vec::new();
    }
    let mut errors: Vec<SchemaError> = validator
        .iter_errors(instance)
        .map(|e| SchemaError {
            instance_path: e.instance_path().as_str().to_owned(),
            schema_path: e.schema_path().as_str().to_owned(),
            message: shorten(&e.to_string(), 200),
        })
        .collect();
    // The validator groups errors by keyword; readers want document order.
    errors.sort_by(|a, b| {
        compare_pointers(&a.instance_path, &b.instance_path)
            .then_with(|| a.schema_path.cmp(&b.schema_path))
            .then_with(|| a.message.cmp(&b.message))
    });
    errors.dedup();
    errors
}

/// Orders JSON pointers segment by segment, numbers numerically, so that
/// `/items/2` comes before `/items/10`.
fn compare_pointers(a: &str, b: &str) -> Ordering {
    let mut a = a.split('/');
    let mut b = b.split('/');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// `text` cut to at most `max` characters, with `…` where it was cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Duty, DutyBlock, Handover, Receiver};

    /// The sample's records.
    fn sample() -> Edition {
        let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
        crate::convert("hami-yiwu-yanchi.txt", bytes, &crate::Options::default())
            .edition
            .expect("the sample converts")
    }

    #[test]
    fn the_tape_of_the_sample_reads_back_as_serde_json_writes_it() {
        let edition = sample();
        let tape = Tape::of(&edition).expect("the records fit a tape");
        assert_eq!(
            tape.root().to_json(),
            serde_json::to_value(&edition).unwrap()
        );
        assert_eq!(check_edition(&edition), Vec::new());
    }

    /// The sample broken in one way the schema rejects.
    fn broken(corrupt: impl FnOnce(&mut Edition)) -> Edition {
        let mut edition = sample();
        corrupt(&mut edition);
        edition
    }

    /// The first item of the first section that has `superior_duties`.
    fn item_with_duties(edition: &mut Edition) -> &mut crate::model::Item {
        edition
            .sections
            .iter_mut()
            .flat_map(|section| &mut section.items)
            .find(|item| item.superior_duties.is_some())
            .expect("the sample has an item with superior duties")
    }

    #[test]
    fn broken_records_give_the_errors_their_value_gives() {
        let editions = [
            broken(|e| e.schema_version = "2".into()),
            broken(|e| e.source.path.clear()),
            broken(|e| e.source.encoding = "Big5".into()),
            broken(|e| e.source.sha256 = "ABC".into()),
            broken(|e| e.issuers.push(String::new())),
            broken(|e| e.region.province = Some(String::new())),
            broken(|e| e.contents[0].title.clear()),
            broken(|e| e.sections.clear()),
            broken(|e| e.sections[0].title.clear()),
            broken(|e| e.sections[0].columns.clear()),
            broken(|e| e.sections[0].first_page = 0),
            broken(|e| e.sections[1].items[2].name.clear()),
            broken(|e| e.sections[0].items[0].source.pages.clear()),
            broken(|e| e.sections[0].items[3].source.pages.push(0)),
            broken(|e| e.sections[0].items[0].source.first_line = 0),
            broken(|e| e.sections[0].items[1].superior_departments = Some(vec![String::new()])),
            broken(|e| {
                let duties = item_with_duties(e).superior_duties.as_mut().unwrap();
                duties.blocks.push(DutyBlock {
                    heading: Some(String::new()),
                    steps: vec![String::new()],
                });
            }),
            broken(|e| {
                item_with_duties(e).handover = Some(Handover {
                    text: String::new(),
                    abolished: true,
                    receivers: vec![Receiver {
                        department: String::new(),
                        duty: String::new(),
                    }],
                });
                item_with_duties(e).township_duties = Some(Duty {
                    text: "x".into(),
                    blocks: vec![DutyBlock {
                        heading: None,
                        steps: vec![String::new(), "y".into()],
                    }],
                });
            }),
            // Several at once, in different places, so that order matters.
            broken(|e| {
                e.sections[1].items[10].name.clear();
                e.sections[0].items[2].name.clear();
                e.sections[0].items[10].source.pages = vec![0, 0];
                e.issuers = vec![String::new(), String::new()];
                e.source.encoding = "?".into();
            }),
        ];
        for (n, edition) in editions.iter().enumerate() {
            let expected = check_through_value(edition);
            assert_ne!(expected, Vec::new(), "corruption {n} breaks the schema");
            assert_eq!(check_edition(edition), expected, "corruption {n}");
        }
    }

    #[test]
    fn unknown_columns_are_checked_like_their_value() {
        let edition = broken(|e| {
            let item = &mut e.sections[0].items[0];
            item.extra.insert("备注".into(), "x".into());
            item.extra.insert("".into(), String::new());
            item.name.clear();
        });
        let tape = Tape::of(&edition).expect("the records fit a tape");
        assert_eq!(
            tape.root().to_json(),
            serde_json::to_value(&edition).unwrap()
        );
        assert_eq!(check_edition(&edition), check_through_value(&edition));
    }

    #[test]
    fn pointers_sort_numbers_numerically() {
        let mut paths = vec!["/items/10", "/items/2/name", "", "/items/2"];
        paths.sort_by(|a, b| compare_pointers(a, b));
        assert_eq!(paths, vec!["", "/items/2", "/items/2/name", "/items/10"]);
    }

    #[test]
    fn long_messages_are_shortened_on_a_character_boundary() {
        assert_eq!(shorten("事项名称", 2), "事项…");
        assert_eq!(shorten("事项", 2), "事项");
    }
}
