//! qingdan turns the exported text of Chinese duty lists (履职事项清单) into
//! clean, validated records, and writes them as JSON, YAML and Markdown.
//!
//! The pipeline is a chain of stages, each a module with a typed hand-off:
//!
//! ```text
//! bytes ─decode→ Decoded ─parse→ Document ─assemble→ Assembled ─normalize→ Edition ─validate→ ─emit→ bytes
//! ```
//!
//! [`convert`] runs all of them, then checks the records against the output
//! schema ([`SCHEMA`]; a failure there is a bug, [`Code::Schema`]). Every
//! stage reports problems as
//! [`Diagnostic`]s and keeps going, so one run finds every problem it can;
//! an edition is produced only when no diagnostic is an error.
//!
//! Conventions: line and column numbers start at 1 and refer to the original
//! file; columns count characters. Pages count from 1 at the first list page.

#![deny(missing_docs)]

mod assemble;
mod controls;
mod cursor;
mod decode;
mod diagnostic;
pub mod diff;
pub mod emit;
mod front;
pub mod index;
mod lines;
mod markup;
mod model;
mod normalize;
mod parse;
mod render;
mod schema;
mod sniff;
mod validate;
mod vocab;

use sha2::{Digest, Sha256};

pub use crate::assemble::{
    assemble, Assembled, AssembledItem, AssembledSection, CellPiece, ContinuationPart, JoinedCell,
};
pub use crate::decode::{decode, Decoded, Encoding};
pub use crate::diagnostic::{Code, Diagnostic, Note, Position, Severity};
pub use crate::diff::{
    compare, read_edition, ChangedItem, EditionDiff, FieldChange, ItemRef, ReadError, Renumbering,
    SectionDiff, Summary,
};
pub use crate::emit::Format;
pub use crate::model::{
    ContentsEntry, Duty, DutyBlock, Edition, Handover, Item, ItemSource, Receiver, Region, Section,
    SectionKind, Source, SCHEMA_VERSION,
};
pub use crate::normalize::normalize;
pub use crate::parse::{
    parse, Cell, ContentsLine, Document, FrontMatter, HeaderRow, Page, RawRow, TextLine,
};
pub use crate::render::{render_human, render_json, FileDiagnostic, SourceLines};
pub use crate::schema::{check_edition, check_value, is_index, SchemaError, INDEX_SCHEMA, SCHEMA};
pub use crate::validate::validate;

/// Settings of a conversion.
#[derive(Clone, Debug)]
pub struct Options {
    /// Inputs larger than this are refused ([`Code::TooLarge`]).
    pub max_bytes: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The result of converting one edition.
#[derive(Clone, Debug)]
pub struct Conversion {
    /// The records; `None` when any diagnostic is an error.
    pub edition: Option<Edition>,
    /// Everything found, errors and warnings, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// The decoded text, for showing diagnostics in context.
    pub text: Option<String>,
}

impl Conversion {
    /// Does any diagnostic make this conversion fail?
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The refusal of an input larger than `options.max_bytes`
    /// ([`Code::TooLarge`]): `found` is its size, or `None` when reading
    /// stopped at the limit without learning it.
    pub fn too_large(options: &Options, found: Option<u64>) -> Conversion {
        let found = match found {
            Some(bytes) => format!("{bytes} bytes"),
            None => format!("more than {} bytes", options.max_bytes),
        };
        let diagnostic = Diagnostic::new(
            Code::TooLarge,
            Position::new(1, 1, 1),
            format!(
                "expected an edition of at most {} bytes (`--max-bytes`), found {found}",
                options.max_bytes
            ),
        )
        .with_help("raise `--max-bytes` if this really is one edition");
        Conversion {
            edition: None,
            diagnostics: vec![diagnostic],
            text: None,
        }
    }
}

/// Converts an edition's bytes; `path` is recorded in the output as given.
pub fn convert(path: &str, bytes: &[u8], options: &Options) -> Conversion {
    if bytes.len() as u64 > options.max_bytes {
        return Conversion::too_large(options, Some(bytes.len() as u64));
    }
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(diagnostic) => {
            return Conversion {
                edition: None,
                diagnostics: vec![diagnostic],
                text: decode::shown_text(bytes),
            }
        }
    };
    let source = Source {
        path: path.to_owned(),
        encoding: decoded.encoding.name().to_owned(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
    };
    let (edition, mut diagnostics) = {
        let (document, mut diagnostics) = parse(&decoded.text);
        let assembled = assemble(document, &mut diagnostics);
        let edition = normalize(&assembled, source, &mut diagnostics);
        validate(&edition, &assembled.front.contents, &mut diagnostics);
        (edition, diagnostics)
    };
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.extend(schema_diagnostics(&edition));
    }
    diagnostics.sort_by_key(|d| (d.position.line, d.position.column, d.code));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    Conversion {
        edition: (!failed).then_some(edition),
        diagnostics,
        text: Some(decoded.text),
    }
}

/// Checks the records against the output schema. An edition that passed
/// every check above and still breaks the schema is a bug in qingdan, so each
/// schema error is an internal error, placed at the item it is about.
fn schema_diagnostics(edition: &Edition) -> Vec<Diagnostic> {
    check_edition(edition)
        .into_iter()
        .map(|error| {
            let line = item_line(edition, &error.instance_path).unwrap_or(1);
            let at = if error.instance_path.is_empty() {
                "the top level"
            } else {
                error.instance_path.as_str()
            };
            Diagnostic::new(
                Code::Schema,
                Position::new(line, 1, 1),
                format!(
                    "internal error: expected records that match the output schema, found `{at}` breaking it: {}",
                    error.message
                ),
            )
            .with_help("this is a bug in qingdan, not in the edition; nothing was written. Please report it with this input")
        })
        .collect()
}

/// The first line of the item a JSON pointer points into, if it does.
fn item_line(edition: &Edition, pointer: &str) -> Option<u32> {
    let mut parts = pointer.split('/').skip(1);
    let (Some("sections"), Some(s), Some("items"), Some(i)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let section = edition.sections.get(s.parse::<usize>().ok()?)?;
    Some(
        section
            .items
            .get(i.parse::<usize>().ok()?)?
            .source
            .first_line,
    )
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
