//! The output contract as JSON Schema, and checking records against it.
//!
//! `schemas/qingdan.schema.json` is embedded here, printed by `qingdan
//! schema`, and used by `qingdan validate` on generated `.json`/`.yaml`
//! files. Each validator is compiled once per process.

use std::cmp::Ordering;
use std::sync::OnceLock;

use jsonschema::json::{Json, SerdeJson};
use jsonschema::{Draft, Validator};
use serde_json::Value;

/// The JSON Schema (draft 2020-12) of qingdan's JSON and YAML outputs, as
/// generated from the record types ([`edition_schema`]) and committed.
pub const SCHEMA: &str = include_str!("../../schemas/qingdan.schema.json");

/// The JSON Schema (draft 2020-12) of `build`'s `index.json`, as generated
/// ([`index_schema`]) and committed.
pub const INDEX_SCHEMA: &str = include_str!("../../schemas/index.schema.json");

/// The JSON Schema (draft 2020-12) of the records, generated from their
/// types: what `qingdan schema` prints and `schemas/qingdan.schema.json` holds.
pub fn edition_schema() -> String {
    generate::<crate::model::Edition>()
}

/// The JSON Schema (draft 2020-12) of the index, generated from its types:
/// what `qingdan schema --index` prints and `schemas/index.schema.json` holds.
pub fn index_schema() -> String {
    generate::<crate::index::Index>()
}

/// The draft 2020-12 schema of `T`, pretty, with a final newline.
fn generate<T: schemars::JsonSchema>() -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

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
