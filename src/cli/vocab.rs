//! The vocabulary in force: `--vocab FILE`, `qingdan.toml` at the root of
//! `build --input`, and `qingdan vocab`, which prints it.

use std::path::Path;
use std::sync::Arc;

use qingdan::{Options, Vocabulary};

use super::report::Reporter;
use qingdan::outputs::display_path;

/// The name of the vocabulary file `build` finds at the root of its input.
pub const INPUT_VOCABULARY: &str = "qingdan.toml";

/// `options` with the words of the vocabulary file at `path` added. A file
/// that cannot be read, or that is no vocabulary, is reported (its error at
/// its line and column) and ends the run: nothing is converted with a
/// vocabulary other than the one asked for.
pub fn with_file(
    options: Options,
    path: &Path,
    reporter: &mut Reporter,
) -> Result<Options, String> {
    let shown = display_path(path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the vocabulary file {shown}: {e}"))?;
    match options.vocabulary().with_file(&shown, &text) {
        Ok(vocabulary) => Ok(options.with_vocabulary(Arc::new(vocabulary))),
        Err(error) => {
            reporter.error(&shown, &error);
            Err(format!(
                "the vocabulary file {shown} is broken; nothing was converted"
            ))
        }
    }
}

/// `options` with `qingdan.toml` at the root of `input` added, if there is
/// one.
pub fn with_input_file(
    options: Options,
    input: &Path,
    reporter: &mut Reporter,
) -> Result<Options, String> {
    let path = input.join(INPUT_VOCABULARY);
    if path.is_file() {
        with_file(options, &path, reporter)
    } else {
        Ok(options)
    }
}

/// What `qingdan vocab` prints: the vocabulary in force as a file to copy.
pub fn print(vocabulary: &Vocabulary) -> String {
    vocabulary.to_toml()
}
