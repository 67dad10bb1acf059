//! `convert`: the named editions in, their outputs out.

use std::path::{Path, PathBuf};

use qingdan::{Edition, Format, Options};

use super::report::Reporter;
use super::write::write_all_atomic;

/// Converts `files` into `output`; `Ok(false)` when any input failed.
pub fn convert(
    files: &[PathBuf],
    output: &Path,
    formats: &[Format],
    options: &Options,
    deny_warnings: bool,
    reporter: &mut Reporter,
) -> Result<bool, String> {
    let mut ok = true;
    for file in files {
        let shown = display_path(file);
        let Some(bytes) = reporter.read_input(file, &shown) else {
            ok = false;
            continue;
        };
        let conversion = qingdan::convert(&shown, &bytes, options);
        reporter.conversion(&shown, &conversion);
        let Some(edition) = &conversion.edition else {
            ok = false;
            continue;
        };
        if deny_warnings && !conversion.diagnostics.is_empty() {
            // Warnings are failures: nothing is written.
            ok = false;
            continue;
        }
        let stem = file
            .file_stem()
            .map_or_else(|| PathBuf::from("edition"), PathBuf::from);
        if let Err((path, e)) = write_outputs(edition, &output.join(stem), formats) {
            reporter.file_error(&path, &format!("cannot write: {e}"));
            ok = false;
        }
    }
    Ok(ok)
}

/// Writes `<target>.<ext>` for each format, all or nothing (see
/// [`write_all_atomic`]); on failure, the path that could not be written and
/// why.
pub fn write_outputs(
    edition: &Edition,
    target: &Path,
    formats: &[Format],
) -> Result<(), (String, std::io::Error)> {
    let outputs: Vec<(PathBuf, Vec<u8>)> = formats
        .iter()
        .map(|f| {
            (
                target.with_extension(f.extension()),
                f.render(edition).into_bytes(),
            )
        })
        .collect();
    write_all_atomic(&outputs).map_err(|(path, e)| (display_path(&path), e))
}

/// A path as recorded and shown: as given, `/`-separated.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
