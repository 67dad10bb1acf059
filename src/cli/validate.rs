//! `validate` and `schema`: checking without writing.
//!
//! A raw edition goes through the whole pipeline and nothing is written; a
//! generated `.json` or `.yaml` file (by extension, or by a first character
//! `{` or `[` or a first line `schema_version:`) is read strictly and
//! checked against the output schema ([`read::check`]), each error shown
//! at its line.

use std::path::PathBuf;

use qingdan::Options;

use super::report::Reporter;
use qingdan::outputs::display_path;
use qingdan::read;

/// Validates `files`; `false` when any has an error.
pub fn validate(files: &[PathBuf], options: &Options, reporter: &mut Reporter) -> bool {
    let mut ok = true;
    for file in files {
        let shown = display_path(file);
        let Some(bytes) = reporter.read_input(file, &shown, options) else {
            ok = false;
            continue;
        };
        let conversion = match read::syntax_of(file, &bytes) {
            None => qingdan::convert(&shown, &bytes, options),
            Some(syntax) => read::check(&bytes, syntax, options).conversion,
        };
        ok &= !conversion.has_errors();
        reporter.conversion(&shown, &conversion);
    }
    ok
}
