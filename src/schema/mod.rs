//! The output contract as JSON Schema, and checking records against it.
//!
//! `schemas/qingdan.schema.json` and `schemas/index.schema.json` are
//! generated from the record types, embedded here and printed by `qingdan
//! schema`. `qingdan validate` and `diff` check files by the types and the
//! rules of `check.rs`, not by a schema validator: the tests hold every
//! output to the published schema with an independent one.

use serde_json::Value;

mod check;

pub(crate) use check::{check_index, edition_records};

/// The JSON Schema (draft 2020-12) of qingdan's JSON and YAML outputs, as
/// generated from the record types ([`edition_schema`]) and committed.
pub const SCHEMA: &str = include_str!("../../schemas/qingdan.schema.json");

/// The JSON Schema (draft 2020-12) of `build`'s `index.json`, as generated
/// ([`index_schema`]) and committed.
pub const INDEX_SCHEMA: &str = include_str!("../../schemas/index.schema.json");

/// The JSON Schema (draft 2020-12) of the records, generated from their
/// types: what `qingdan schema` prints and `schemas/qingdan.schema.json` holds.
///
/// ```
/// assert_eq!(qingdan::edition_schema(), qingdan::SCHEMA);
/// ```
pub fn edition_schema() -> String {
    generate::<crate::model::Edition>()
}

/// The JSON Schema (draft 2020-12) of the index, generated from its types:
/// what `qingdan schema --index` prints and `schemas/index.schema.json` holds.
///
/// ```
/// assert_eq!(qingdan::index_schema(), qingdan::INDEX_SCHEMA);
/// ```
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

/// One way a document breaks the output contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON pointer to the offending value, e.g. `/sections/0/items/3/name`;
    /// empty for the document itself.
    pub instance_path: String,
    /// The schema keyword the value breaks: `minLength`, `pattern`,
    /// `required`, `additionalProperties`, `type`, …
    pub keyword: String,
    /// What is wrong: what was expected and what was found.
    pub message: String,
}

/// Is `value` a collection index (`totals` or `editions` at the top)
/// rather than an edition?
pub fn is_index(value: &Value) -> bool {
    value.get("totals").is_some() || value.get("editions").is_some()
}

/// Checks a JSON value against the output contract — the index's when it
/// [is one](is_index), else the edition's: read into the record types,
/// then held to the rules they cannot express (non-empty strings, digests,
/// pages from 1, plain relative paths). Errors come in
/// document order; a value the types cannot hold gives one, at its place.
///
/// ```
/// let mut value: serde_json::Value = serde_json::from_str(
///     &std::fs::read_to_string("output/hami-yiwu-yanchi.json").unwrap(),
/// )
/// .unwrap();
/// assert!(qingdan::check_value(&value).is_empty());
/// value["sections"][0]["items"][0]["name"] = "".into();
/// let errors = qingdan::check_value(&value);
/// assert_eq!(errors[0].instance_path, "/sections/0/items/0/name");
/// assert_eq!(errors[0].keyword, "minLength");
/// ```
pub fn check_value(value: &Value) -> Vec<SchemaError> {
    check::check_value(value)
}
