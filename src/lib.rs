//! qingdan turns the exported text of Chinese duty lists (履职事项清单) into
//! clean, validated records, and writes them as JSON, YAML and Markdown.
//!
//! The pipeline is a chain of stages, each a module with a typed hand-off:
//!
//! ```text
//! bytes ─decode→ Decoded ─parse→ Document ─assemble→ Assembled ─normalize→ Edition ─validate→ ─emit→ bytes
//! ```
//!
//! [`convert`] runs all of them. The record types are the output contract;
//! [`SCHEMA`] describes them for other tools. Every stage reports problems as
//! [`Diagnostic`]s and keeps going, so one run finds every problem it can;
//! an edition is produced only when no diagnostic is an error.
//!
//! Conventions: line and column numbers start at 1 and refer to the original
//! file; columns count characters. Pages count from 1 at the first list page.
//!
//! # Example
//!
//! ```
//! use qingdan::{Format, Options, SectionKind};
//!
//! let bytes = include_bytes!("../input/hami-yiwu-yanchi.txt");
//! let conversion = qingdan::convert("hami-yiwu-yanchi.txt", bytes, &Options::new());
//! let edition = conversion.edition.expect("the sample converts");
//! assert_eq!(edition.region.township.as_deref(), Some("盐池镇"));
//! let counts: Vec<(SectionKind, usize)> =
//!     edition.sections.iter().map(|s| (s.kind, s.items.len())).collect();
//! assert_eq!(
//!     counts,
//!     [(SectionKind::Basic, 109), (SectionKind::Cooperative, 108), (SectionKind::Withdrawn, 48)]
//! );
//! // Warnings do not stop a conversion; they say what to check.
//! assert_eq!(conversion.diagnostics.len(), 6);
//! let json = Format::Json.render(&edition)?;
//! assert!(json.starts_with(b"{\n  \"schema_version\""));
//! # Ok::<(), qingdan::Error>(())
//! ```
//!
//! `examples/embed.rs` is a whole program that converts a folder of editions
//! and compares two of them with [`diff::compare`].

#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod assemble;
mod controls;
mod decode;
mod diagnostic;
pub mod diff;
mod emit;
mod error;
mod front;
pub mod index;

/// HTML pages for people: an edition's page with its warnings, and a
/// collection's index page with the data its search reads. (The diff page
/// is [`diff::html`]; `Format::Html.render` gives an edition's page
/// without warnings.)
pub mod html {
    pub use crate::emit::html::{
        collection, edition, Collection, SearchEntry, SEARCH_DATA, SEARCH_DATA_SIGNATURE,
    };
}
mod lines;
mod markup;
mod model;
mod normalize;
pub mod outputs;
mod parse;
mod pipeline;
pub mod read;
mod render;
mod schema;
mod sniff;
mod unpack;
mod validate;
mod vocab;
mod vocabulary;

pub use crate::diagnostic::{Code, Diagnostic, Facts, Location, Note, Place, Position, Severity};
pub use crate::emit::Format;
pub use crate::error::{Error, ErrorKind};
pub use crate::lines::SourceLines;
pub use crate::model::{
    ContentsEntry, Duty, DutyBlock, Edition, Field, Handover, Item, ItemSource, Receiver, Region,
    Section, SectionKind, SheetRows, Source, SourceFormat, TableRows, TextLines, SCHEMA_VERSION,
};
pub use crate::pipeline::{convert, Conversion, Options};
pub use crate::render::{render_human, render_json, FileDiagnostic};
pub use crate::schema::{
    check_value, edition_schema, index_schema, is_index, SchemaError, INDEX_SCHEMA, SCHEMA,
};
pub use crate::vocabulary::Vocabulary;

/// The stages one at a time, and helpers qingdan's own binary, benchmarks,
/// tests and fuzzer share. Not part of the stable API: anything here may
/// change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::assemble::{assemble, Assembled};
    pub use crate::decode::{decode, Decoded, Encoding};
    pub use crate::model::sha256_hex;
    pub use crate::normalize::normalize;
    pub use crate::parse::{parse, Document};
    pub use crate::render::plural;
    pub use crate::validate::validate;
}
