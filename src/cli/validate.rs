//! `validate` and `schema`: checking without writing.
//!
//! A raw edition goes through the whole pipeline and nothing is written; a
//! generated `.json` or `.yaml` file is read strictly and checked against
//! the output schema ([`output::check`]), each error shown at its line.

use std::path::{Path, PathBuf};

use qingdan::Options;

use super::convert::display_path;
use super::output::{self, Syntax};
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
        let Some(bytes) = reporter.read_input(file, &shown) else {
            ok = false;
            continue;
        };
        let conversion = match kind(file) {
            Kind::Edition => qingdan::convert(&shown, &bytes, options),
            Kind::Json => output::check(&bytes, Syntax::Json, options).conversion,
            Kind::Yaml => output::check(&bytes, Syntax::Yaml, options).conversion,
        };
        ok &= !conversion.has_errors();
        reporter.conversion(&shown, &conversion);
    }
    ok
}
