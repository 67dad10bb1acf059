//! The one error type of the library's fallible calls.
//!
//! [`convert`](crate::convert) itself never fails: it returns a
//! [`Conversion`] whose diagnostics say what is wrong. The calls that must
//! hand back an edition or nothing — [`Conversion::into_result`],
//! [`diff::read_edition`](crate::diff::read_edition), parsing a
//! [`Format`](crate::Format) name — fail with an [`Error`]: its
//! [`kind`](Error::kind) carries the facts as data, its
//! [`position`](Error::position) says where, and its
//! [`diagnostics`](Error::diagnostics) are ready to render.

use std::fmt;

use crate::diagnostic::{Diagnostic, Position};
use crate::emit::Format;
use crate::pipeline::Conversion;

/// Why a call could not give what it was asked for.
#[derive(Clone, Debug)]
pub struct Error {
    kind: ErrorKind,
    diagnostics: Vec<Diagnostic>,
    text: Option<String>,
}

/// What kind of failure an [`Error`] is, with its facts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An edition did not convert: `errors` of its diagnostics are errors.
    Conversion {
        /// How many diagnostics are errors (at least one).
        errors: usize,
    },
    /// A JSON or YAML file is not an output this qingdan can read back; the
    /// diagnostics say where and why.
    Output,
    /// A vocabulary file that cannot be read; the diagnostic says where
    /// and why.
    Vocabulary,
    /// A name that is not one of the output formats.
    UnknownFormat {
        /// The name as given.
        name: String,
    },
    /// The edition does not fit a workbook: a cell longer than Excel
    /// holds, or a list longer than a sheet.
    TooLargeForWorkbook {
        /// Where: `配合履职事项清单, item 12, 乡镇配合职责`.
        place: String,
        /// What is counted: `characters in a cell`, `rows in a sheet`.
        unit: &'static str,
        /// The most a workbook holds.
        most: usize,
        /// What the edition needs there.
        found: usize,
    },
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where in the input the (first) problem is, when it is in an input.
    pub fn position(&self) -> Option<Position> {
        self.diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.position)
    }

    /// The diagnostics behind the failure, warnings included, in input
    /// order; empty for failures that are not about an input.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The decoded input the diagnostics point into, for rendering them
    /// with their lines.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// A failure to read back an output file, with what was found wrong.
    pub(crate) fn output(diagnostics: Vec<Diagnostic>, text: Option<String>) -> Error {
        Error {
            kind: ErrorKind::Output,
            diagnostics,
            text,
        }
    }

    /// A vocabulary file that cannot be read (`text`), with what is wrong.
    pub(crate) fn vocabulary(diagnostic: Diagnostic, text: String) -> Error {
        Error {
            kind: ErrorKind::Vocabulary,
            diagnostics: vec![diagnostic],
            text: Some(text),
        }
    }

    /// An edition too large for a workbook at `place`.
    pub(crate) fn too_large_for_workbook(
        place: String,
        unit: &'static str,
        most: usize,
        found: usize,
    ) -> Error {
        Error {
            kind: ErrorKind::TooLargeForWorkbook {
                place,
                unit,
                most,
                found,
            },
            diagnostics: Vec::new(),
            text: None,
        }
    }

    /// A name that is not an output format.
    pub(crate) fn unknown_format(name: &str) -> Error {
        Error {
            kind: ErrorKind::UnknownFormat {
                name: name.to_owned(),
            },
            diagnostics: Vec::new(),
            text: None,
        }
    }
}

impl From<Conversion> for Error {
    fn from(conversion: Conversion) -> Error {
        Error {
            kind: ErrorKind::Conversion {
                errors: conversion
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .count(),
            },
            diagnostics: conversion.diagnostics,
            text: conversion.text,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Conversion { errors } => {
                write!(f, "the edition does not convert ({errors} errors)")?;
            }
            ErrorKind::Output => f.write_str("not an output of this qingdan")?,
            ErrorKind::Vocabulary => f.write_str("the vocabulary file cannot be read")?,
            ErrorKind::TooLargeForWorkbook {
                place,
                unit,
                most,
                found,
            } => {
                return write!(
                    f,
                    "expected at most {most} {unit}, as a workbook holds, found {found} at {place}"
                );
            }
            ErrorKind::UnknownFormat { name } => {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.extension()).collect();
                return write!(
                    f,
                    "unknown format `{name}`: expected one of {}",
                    names.join(", ")
                );
            }
        }
        match self.diagnostics.iter().find(|d| d.is_error()) {
            Some(first) => write!(f, "; first: {first}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {}
