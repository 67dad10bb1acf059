//! `convert`: the named editions in, their outputs out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qingdan::{Diagnostic, Edition, Format, Options};

use super::report::Reporter;
use qingdan::outputs::{assign_stems, display_path, edition_stem, output_path, Mode, OutputDir};

/// Converts `files` into `output`; `Ok(false)` when any input failed.
/// Outputs are named after each file's name alone, so two files of one
/// name (from two folders) are both refused before anything is written.
pub fn convert(
    files: &[PathBuf],
    output: &Path,
    formats: &[Format],
    options: &Options,
    deny_warnings: bool,
    reporter: &mut Reporter,
) -> Result<bool, String> {
    let mut out = OutputDir::open(output, Mode::Write, &super::tell)?;
    out.protect(files);
    let stems = assign_stems(
        files
            .iter()
            .map(|file| {
                let name = file.file_name().map(Path::new).unwrap_or(file);
                (display_path(file), edition_stem(name))
            })
            .collect(),
        &[],
        &display_path(output),
    );
    let mut ok = true;
    for (file, stem) in files.iter().zip(stems) {
        let shown = display_path(file);
        let stem = match stem {
            Ok(stem) => stem,
            Err(why) => {
                reporter.file_error(&shown, &why);
                ok = false;
                continue;
            }
        };
        let Some(bytes) = reporter.read_input(file, &shown, options) else {
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
        // No manifest here: an existing output is replaced only when it
        // carries qingdan's signature.
        let written = outputs_of(edition, &conversion.diagnostics, &stem, formats)
            .map_err(|(path, why)| (out.shown(&path), why))
            .and_then(|files| out.write(&files, &BTreeSet::new()));
        if let Err((path, why)) = written {
            reporter.file_error(&path, &why);
            ok = false;
        }
    }
    Ok(ok)
}

/// Files to write: each path, relative to the output folder, and its bytes.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// The outputs of `edition` in `formats`: each path (relative to the
/// output folder) with its bytes. The HTML page shows the edition's
/// warnings, from `diagnostics`. An edition too large for a workbook gives
/// the workbook's path and why, and none of its outputs.
pub fn outputs_of(
    edition: &Edition,
    diagnostics: &[Diagnostic],
    stem: &Path,
    formats: &[Format],
) -> Result<Files, (PathBuf, String)> {
    formats
        .iter()
        .map(|&f| {
            let path = output_path(stem, f);
            let bytes = match f {
                Format::Html => Ok(qingdan::html::edition(edition, diagnostics).into_bytes()),
                _ => f.render(edition),
            };
            match bytes {
                Ok(bytes) => Ok((path, bytes)),
                Err(error) => Err((path, format!("cannot write: {error}; the other formats hold it: leave `{f}` out of `--to`"))),
            }
        })
        .collect()
}
