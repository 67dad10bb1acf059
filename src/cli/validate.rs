//! `validate` and `schema`: checking without writing.
//!
//! A raw edition goes through the whole pipeline and nothing is written; a
//! generated `.json` or `.yaml` file is read and checked against the output
//! schema, each error shown at its line with the JSON pointer of the value.

use std::path::{Path, PathBuf};

use qingdan::{Code, Conversion, Diagnostic, Options, Position};

use super::convert::display_path;
use super::locate::{json_place, yaml_place};
use super::report::Reporter;

/// The kinds of file `validate` reads, by extension.
enum Kind {
    Json,
    Yaml,
    Edition,
}

fn kind(path: &Path) -> Kind {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Kind::Json,
        Some("yaml" | "yml") => Kind::Yaml,
        _ => Kind::Edition,
    }
}

/// Validates `files`; `false` when any has an error.
pub fn validate(files: &[PathBuf], options: &Options, reporter: &mut Reporter) -> bool {
    let mut ok = true;
    for file in files {
        let shown = display_path(file);
        let Some(bytes) = reporter.read_input(file, &shown, options) else {
            ok = false;
            continue;
        };
        let conversion = match kind(file) {
            Kind::Edition => qingdan::convert(&shown, &bytes, options),
            Kind::Json | Kind::Yaml => check_output(file, &bytes, options),
        };
        ok &= !conversion.has_errors();
        reporter.conversion(&shown, &conversion);
    }
    ok
}

/// Checks a generated JSON or YAML file against the schema.
fn check_output(file: &Path, bytes: &[u8], options: &Options) -> Conversion {
    let failed = |diagnostic: Diagnostic, text: Option<String>| Conversion {
        edition: None,
        diagnostics: vec![diagnostic],
        text,
    };
    if bytes.len() as u64 > options.max_bytes {
        return failed(
            Diagnostic::new(
                Code::TooLarge,
                Position::new(1, 1, 1),
                format!(
                    "expected a file of at most {} bytes (`--max-bytes`), found {} bytes",
                    options.max_bytes,
                    bytes.len()
                ),
            ),
            None,
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(e) => {
            let prefix = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let line = prefix.matches('\n').count() as u32 + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            return failed(
                Diagnostic::new(
                    Code::InvalidBytes,
                    Position::new(line, column, 1),
                    format!(
                        "expected UTF-8 JSON or YAML, found an invalid byte at byte offset {}",
                        e.valid_up_to()
                    ),
                ),
                Some(String::from_utf8_lossy(bytes).into_owned()),
            );
        }
    };
    let is_json = matches!(kind(file), Kind::Json);
    let parsed: Result<serde_json::Value, (String, Position)> = if is_json {
        serde_json::from_str(&text).map_err(|e| {
            (
                e.to_string(),
                Position::new(e.line().max(1) as u32, e.column().max(1) as u32, 1),
            )
        })
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let at = e.location().map_or(Position::new(1, 1, 1), |l| {
                Position::new(l.line().max(1) as u32, l.column().max(1) as u32, 1)
            });
            (e.to_string(), at)
        })
    };
    let value = match parsed {
        Ok(value) => value,
        Err((message, position)) => {
            return failed(
                Diagnostic::new(
                    Code::Schema,
                    position,
                    format!(
                        "expected {}, found a syntax error: {message}",
                        if is_json { "JSON" } else { "YAML" }
                    ),
                ),
                Some(text),
            );
        }
    };
    let mut diagnostics: Vec<Diagnostic> = qingdan::check_value(&value)
        .into_iter()
        .map(|error| {
            let (line, column) = if is_json {
                json_place(&text, &error.instance_path)
            } else {
                yaml_place(&text, &error.instance_path)
            };
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
            .with_help(format!(
                "see `qingdan schema`, keyword `{}`",
                error.schema_path
            ))
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.position.line, d.position.column));
    Conversion {
        edition: None,
        diagnostics,
        text: Some(text),
    }
}
