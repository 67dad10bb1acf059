//! The whole pipeline in one call: [`convert`] runs every stage on an
//! edition's bytes, with [`Options`], and gives a [`Conversion`].

use crate::assemble::assemble;
use crate::decode::{self, decode};
use crate::diagnostic::{Code, Diagnostic, Facts, Position};
use crate::error::Error;
use crate::model::{self, Edition, Source, SourceFormat};
use crate::normalize::normalize;
use crate::parse::parse;
use crate::sniff;
use crate::unpack::unpack;
use crate::validate::validate;
use crate::vocabulary::Vocabulary;

use std::sync::Arc;

/// Settings of a conversion, made with a builder.
///
/// ```
/// let options = qingdan::Options::new().with_max_bytes(1 << 20);
/// assert_eq!(options.max_bytes(), 1 << 20);
/// assert_eq!(qingdan::Options::default().max_bytes(), 64 << 20);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    max_bytes: u64,
    vocabulary: Arc<Vocabulary>,
}

impl Options {
    /// The default settings: inputs up to 64 MiB, the built-in vocabulary.
    pub fn new() -> Options {
        Options {
            max_bytes: 64 * 1024 * 1024,
            vocabulary: Vocabulary::builtin(),
        }
    }

    /// Reads list titles and column titles with `vocabulary` (the built-in
    /// one with a user's file added: [`Vocabulary::with_file`]).
    pub fn with_vocabulary(mut self, vocabulary: Arc<Vocabulary>) -> Options {
        self.vocabulary = vocabulary;
        self
    }

    /// The vocabulary in force.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Refuses inputs larger than `max_bytes` ([`Code::TooLarge`]).
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Options {
        self.max_bytes = max_bytes;
        self
    }

    /// The largest input accepted, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new()
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
    /// The records, or an [`Error`] holding the diagnostics that say why
    /// there are none.
    ///
    /// ```
    /// use qingdan::{ErrorKind, Options};
    ///
    /// let error = qingdan::convert("x.txt", b"\xFF\xFE\x00\xD8", &Options::new())
    ///     .into_result()
    ///     .unwrap_err();
    /// assert_eq!(error.kind(), &ErrorKind::Conversion { errors: 1 });
    /// assert_eq!(error.position().map(|p| p.line), Some(1));
    /// ```
    pub fn into_result(mut self) -> Result<Edition, Error> {
        match self.edition.take() {
            Some(edition) => Ok(edition),
            None => Err(Error::from(self)),
        }
    }

    /// Does any diagnostic make this conversion fail?
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The refusal of an input larger than [`Options::max_bytes`]
    /// ([`Code::TooLarge`]): `found` is its size, or `None` when reading
    /// stopped at the limit without learning it.
    pub fn too_large(options: &Options, found: Option<u64>) -> Conversion {
        let size = match found {
            Some(bytes) => format!("{bytes} bytes"),
            None => format!("more than {} bytes", options.max_bytes()),
        };
        let mut diagnostic = Diagnostic::new(
            Code::TooLarge,
            Position::new(1, 1, 1),
            format!(
                "expected an edition of at most {} bytes (`--max-bytes`), found {size}",
                options.max_bytes()
            ),
        )
        .with_help("raise `--max-bytes` if this really is one edition");
        if let Some(found) = found {
            diagnostic = diagnostic.with_facts(Facts::Count {
                expected: options.max_bytes(),
                found,
            });
        }
        Conversion {
            edition: None,
            diagnostics: vec![diagnostic],
            text: None,
        }
    }
}

/// Converts an edition's bytes; `path` is recorded in the output as given.
///
/// Never fails and never panics: what is wrong with the input comes back as
/// [`Diagnostic`]s, and the records only when none of them is an error.
///
/// ```
/// let conversion = qingdan::convert("empty.txt", b"", &qingdan::Options::new());
/// assert!(conversion.edition.is_none());
/// let error = &conversion.diagnostics[0];
/// assert_eq!((error.code.as_str(), error.position.line), ("E003", 1));
/// ```
pub fn convert(path: &str, bytes: &[u8], options: &Options) -> Conversion {
    if bytes.len() as u64 > options.max_bytes() {
        return Conversion::too_large(options, Some(bytes.len() as u64));
    }
    let source = |format, encoding| Source {
        path: path.to_owned(),
        format,
        encoding,
        bytes: bytes.len() as u64,
        sha256: model::sha256_hex(bytes),
    };
    if let Some(format) = sniff::original(bytes) {
        return match unpack(format, bytes, options.max_bytes()) {
            Ok(form) => {
                let conversion = convert_text(form.text(), source(format, None), options);
                form.relocate(conversion)
            }
            Err(diagnostic) => Conversion {
                edition: None,
                diagnostics: vec![diagnostic],
                text: None,
            },
        };
    }
    match decode(bytes) {
        Ok(decoded) => {
            let encoding = Some(decoded.encoding.name().to_owned());
            convert_text(&decoded.text, source(SourceFormat::Text, encoding), options)
        }
        Err(diagnostic) => Conversion {
            edition: None,
            diagnostics: vec![diagnostic],
            text: decode::shown_text(bytes),
        },
    }
}

/// The stages after `decode`, on an edition's text (decoded, or the text
/// form of an original).
fn convert_text(text: &str, source: Source, options: &Options) -> Conversion {
    let (edition, mut diagnostics) = {
        let (document, mut diagnostics) = parse(text, options.vocabulary());
        let assembled = assemble(document, &mut diagnostics);
        let edition = normalize(&assembled, source, &mut diagnostics);
        validate(
            &edition,
            &assembled.front.contents,
            options.vocabulary(),
            &mut diagnostics,
        );
        (edition, diagnostics)
    };
    diagnostics.sort_by_key(|d| (d.position.line, d.position.column, d.code));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    Conversion {
        edition: (!failed).then_some(edition),
        diagnostics,
        text: Some(text.to_owned()),
    }
}
