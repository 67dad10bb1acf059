//! Reading either side of a diff: a raw edition or a JSON output of qingdan.

use std::fmt;

use crate::model::{Edition, SCHEMA_VERSION};
use crate::{convert, Conversion, Options};

/// Why an input could not be read as an edition.
#[derive(Debug)]
pub enum ReadError {
    /// A raw edition that did not convert; its diagnostics say why.
    Conversion(Box<Conversion>),
    /// A JSON input that is not an output of this qingdan.
    Json(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Conversion(c) => {
                let errors = c.diagnostics.iter().filter(|d| d.is_error()).count();
                write!(f, "the edition does not convert ({errors} errors)")
            }
            ReadError::Json(message) => write!(f, "not a qingdan JSON output: {message}"),
        }
    }
}

/// Reads `bytes` as an edition: a JSON output of qingdan when its first
/// character (after a byte-order mark and whitespace) is `{`, which no raw
/// edition starts with; otherwise a raw edition, converted as by
/// [`convert`] (any encoding it reads) and recorded as `path`.
pub fn read_edition(path: &str, bytes: &[u8], options: &Options) -> Result<Edition, ReadError> {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if start.trim_ascii_start().starts_with(b"{") {
        let edition: Edition =
            serde_json::from_slice(start).map_err(|e| ReadError::Json(e.to_string()))?;
        if edition.schema_version != SCHEMA_VERSION {
            return Err(ReadError::Json(format!(
                "expected schema_version {SCHEMA_VERSION:?}, found {:?}",
                edition.schema_version
            )));
        }
        return Ok(edition);
    }
    let mut conversion = convert(path, bytes, options);
    match conversion.edition.take() {
        Some(edition) => Ok(edition),
        None => Err(ReadError::Conversion(Box::new(conversion))),
    }
}
