//! `validate` and `schema`: checking without writing.
//!
//! A raw edition goes through the whole pipeline and nothing is written; a
//! generated `.json` or `.yaml` file (by extension, or by a first character
//! `{` or `[` or a first line `schema_version:`) is read strictly and
//! checked against the output schema ([`read_output::check`]), each error shown
//! at its line.

use std::path::PathBuf;

use qingdan::Options;

use super::convert::display_path;
use super::read_output;
use super::report::Reporter;

/// Validates `files`; `false` when any has an error.
pub fn validate(files: &[PathBuf], options: &Options, reporter: &mut Reporter) -> bool {
    let mut ok = true;
    for file in files {
        let shown = display_path(file);
        let Some(bytes) = reporter.read_input(file, &shown, options) else {
            ok = false;
            continue;
        };
        let conversion = match read_output::syntax_of(file, &bytes) {
            None => qingdan::convert(&shown, &bytes, options),
            Some(syntax) => read_output::check(&bytes, syntax, options).conversion,
        };
        ok &= !conversion.has_errors();
        reporter.conversion(&shown, &conversion);
    }
    ok
}
