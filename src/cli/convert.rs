//! `convert` and `build`: editions in, outputs out.

use std::path::{Path, PathBuf};

use qingdan::{Format, Options};

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
        let stem = file
            .file_stem()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("edition"));
        ok &= convert_one(
            file,
            &output.join(stem),
            formats,
            options,
            deny_warnings,
            reporter,
        );
    }
    Ok(ok)
}

/// Converts every `*.txt` under `input` into the same folders under `output`.
pub fn build(
    input: &Path,
    output: &Path,
    options: &Options,
    deny_warnings: bool,
    reporter: &mut Reporter,
) -> Result<bool, String> {
    let editions =
        find_editions(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let mut ok = true;
    for relative in &editions {
        let target = output.join(relative.with_extension(""));
        ok &= convert_one(
            &input.join(relative),
            &target,
            &Format::ALL,
            options,
            deny_warnings,
            reporter,
        );
    }
    Ok(ok)
}

/// Every `*.txt` file under `dir`, relative to it, sorted.
pub fn find_editions(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Converts one edition and writes `<target>.<ext>` for each format. The
/// edition has passed the schema check in [`qingdan::convert`]; with
/// `deny_warnings`, an edition with warnings is not written either.
fn convert_one(
    file: &Path,
    target: &Path,
    formats: &[Format],
    options: &Options,
    deny_warnings: bool,
    reporter: &mut Reporter,
) -> bool {
    let shown = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            reporter.file_error(&shown, &format!("cannot read: {e}"));
            return false;
        }
    };
    let recorded = file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let conversion = qingdan::convert(&recorded, &bytes, options);
    reporter.conversion(&shown, &conversion);
    let Some(edition) = &conversion.edition else {
        return false;
    };
    if deny_warnings && !conversion.diagnostics.is_empty() {
        return false;
    }
    let outputs: Vec<(PathBuf, Vec<u8>)> = formats
        .iter()
        .map(|f| {
            (
                target.with_extension(f.extension()),
                f.render(edition).into_bytes(),
            )
        })
        .collect();
    if let Err((path, e)) = write_all_atomic(&outputs) {
        reporter.file_error(&path.display().to_string(), &format!("cannot write: {e}"));
        return false;
    }
    true
}
