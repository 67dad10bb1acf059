//! Inputs: finding the editions under a folder and reading one, within
//! bounds.
//!
//! Reading never takes more than `--max-bytes` (plus one byte, to learn
//! that a file is larger), and never blocks on a FIFO or a device: only
//! regular files are read. Finding follows symbolic links to folders, once
//! each, and says why it passes over every other file.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use qingdan::{Conversion, Options};

use qingdan::outputs::{edition_stem, not_a_file};

/// Why an input was not read.
#[derive(Debug)]
pub enum ReadFailure {
    /// Larger than `--max-bytes`: its size, when known.
    TooLarge(Option<u64>),
    /// Not a regular file: what it is instead.
    NotAFile(&'static str),
    /// The system refused.
    Io(std::io::Error),
}

impl ReadFailure {
    /// The failure as a conversion to report, when it is one
    /// ([`ReadFailure::TooLarge`] is E001); otherwise the message to report
    /// against the file as a whole.
    pub fn into_report(self, options: &Options) -> Result<Conversion, String> {
        match self {
            ReadFailure::TooLarge(size) => Ok(Conversion::too_large(options, size)),
            ReadFailure::NotAFile(what) => Err(format!(
                "cannot read: it is {what}, not a regular file; qingdan reads only files"
            )),
            ReadFailure::Io(e) => Err(format!("cannot read: {e}")),
        }
    }
}

/// Reads the regular file at `path`, refusing it from its metadata when it
/// is larger than `max_bytes`, and stopping there should it grow while read.
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadFailure> {
    let meta = std::fs::metadata(path).map_err(ReadFailure::Io)?;
    if let Some(what) = not_a_file(&meta) {
        return Err(ReadFailure::NotAFile(what));
    }
    if meta.len() > max_bytes {
        return Err(ReadFailure::TooLarge(Some(meta.len())));
    }
    let file = File::open(path).map_err(ReadFailure::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadFailure::TooLarge(None));
    }
    Ok(bytes)
}

/// What [`find_editions`] found.
#[derive(Debug, Default)]
pub struct Found {
    /// Editions, relative to the folder searched, sorted.
    pub editions: Vec<PathBuf>,
    /// Files passed over, relative, with why; sorted.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Every edition (`*.txt`, `*.docx`, `*.xlsx`, in any case) under `dir`, following symbolic
/// links to folders but entering each folder once, and every other file
/// with the reason it is no edition.
pub fn find_editions(dir: &Path) -> std::io::Result<Found> {
    let mut found = Found::default();
    let mut entered = BTreeSet::new();
    entered.insert(std::fs::canonicalize(dir)?);
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            let full = dir.join(&path);
            let Ok(meta) = std::fs::metadata(&full) else {
                found.skipped.push((path, "a broken symbolic link".into()));
                continue;
            };
            if meta.is_dir() {
                // A link back up the tree would loop: each folder once.
                match std::fs::canonicalize(&full) {
                    Ok(real) if !entered.contains(&real) => {
                        entered.insert(real);
                        stack.push(path);
                    }
                    Ok(_) => found
                        .skipped
                        .push((path, "a link to a folder already searched".into())),
                    Err(e) => found.skipped.push((path, format!("cannot follow: {e}"))),
                }
                continue;
            }
            if !is_edition(&path) {
                found
                    .skipped
                    .push((path, "not an edition (`.txt`, `.docx` or `.xlsx`)".into()));
            } else if let Some(what) = not_a_file(&meta) {
                found
                    .skipped
                    .push((path, format!("{what}, not a regular file")));
            } else if let Err(why) = edition_stem(&path) {
                found.skipped.push((path, why));
            } else {
                found.editions.push(path);
            }
        }
    }
    found.editions.sort();
    found.skipped.sort();
    Ok(found)
}

/// The extensions of the files `build` reads, in any case. What a file is
/// is then told by its bytes, not by this.
const EDITIONS: [&[u8]; 3] = [b".txt", b".docx", b".xlsx"];

/// Does `path` end in `.txt`, `.docx` or `.xlsx`, in any case?
fn is_edition(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.as_encoded_bytes())
        .is_some_and(|n| {
            EDITIONS.iter().any(|ext| {
                n.len() >= ext.len() && n[n.len() - ext.len()..].eq_ignore_ascii_case(ext)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_in_any_case() {
        for name in [
            "a.txt",
            "a.TXT",
            "a.Txt",
            "a.b.txt",
            ".txt",
            "目录.txt",
            "a.docx",
            "A.DOCX",
            "b.Xlsx",
        ] {
            assert!(is_edition(Path::new(name)), "{name}");
        }
        for name in [
            "a.txt.bak",
            "atxt",
            "a.md",
            "txt",
            "a.doc",
            "a.xls",
            "a.docx~",
        ] {
            assert!(!is_edition(Path::new(name)), "{name}");
        }
    }
}
