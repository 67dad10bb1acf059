//! Reading either side of a diff: a raw edition or a JSON output of qingdan.

use std::path::Path;

use crate::error::Error;
use crate::model::Edition;
use crate::pipeline::Options;
use crate::read::{self, Syntax};

/// Reads `bytes` as an edition: a JSON output of qingdan when `path` ends
/// in `.json` or the bytes begin as JSON does, read strictly (as
/// `qingdan validate` reads it); otherwise a raw edition, converted as by
/// [`convert`](crate::convert) and recorded as `path`. A YAML output is
/// refused: diff reads JSON outputs only.
///
/// ```
/// let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
/// let options = qingdan::Options::new();
/// let edition = qingdan::diff::read_edition("sample.txt", bytes, &options)?;
/// let json = qingdan::Format::Json.render(&edition)?;
/// let again = qingdan::diff::read_edition("sample.json", &json, &options)?;
/// assert_eq!(again, edition);
/// let broken = qingdan::diff::read_edition("x.json", b"{\"schema_version\": 2}", &options);
/// assert_eq!(broken.unwrap_err().kind(), &qingdan::ErrorKind::Output);
/// # Ok::<(), qingdan::Error>(())
/// ```
pub fn read_edition(path: &str, bytes: &[u8], options: &Options) -> Result<Edition, Error> {
    match read::syntax_of(Path::new(path), bytes) {
        Some(Syntax::Json) => read::edition(bytes, options)
            .map_err(|conversion| Error::output(conversion.diagnostics, conversion.text)),
        Some(Syntax::Yaml) => Err(Error::output(vec![read::yaml_given_to_diff()], None)),
        None => crate::pipeline::convert(path, bytes, options).into_result(),
    }
}
