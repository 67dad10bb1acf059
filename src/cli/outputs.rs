//! The output folder: the names outputs get, which files qingdan may
//! replace or delete there, and one writer at a time.
//!
//! The rules, which the README's guarantees state:
//! - An edition's outputs are named after its path minus its last extension
//!   (`y.2023.txt` → `y.2023.json`); two inputs that would share a name are
//!   refused, both of them ([`assign_stems`]).
//! - Every output path stays inside the folder: relative, without `..`,
//!   and through no symbolic link that leads out ([`OutputDir::write`]).
//! - An existing file is replaced only when qingdan can show it wrote it:
//!   the manifest (`index.json`) lists it, or it begins with qingdan's
//!   signature for its format ([`qingdan::Format::signature`]). Anything
//!   else is left alone and reported.
//! - Files are written whole or not at all, through temporary files named
//!   [`TEMP_PREFIX`]`…` beside them; a killed run leaves only those, which
//!   the next build removes and `--check` names.
//! - One writer at a time: the folder itself is locked while qingdan writes
//!   (and, shared, while `--check` reads).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use qingdan::index::Index;
use qingdan::Format;

use super::convert::display_path;
use super::input::not_a_file;

/// How the temporary files qingdan writes outputs through begin; any file
/// so named in a folder qingdan writes is one it left behind.
pub const TEMP_PREFIX: &str = ".qingdan-";

/// The names of `build`'s index files, at the top of the output folder.
pub const INDEX_JSON: &str = "index.json";
/// See [`INDEX_JSON`].
pub const INDEX_MD: &str = "index.md";
/// The collection page `build --to html` writes beside them, with its
/// search data ([`qingdan::html::SEARCH_DATA`]).
pub const INDEX_HTML: &str = "index.html";

/// The stem of an edition's outputs: its path minus the last extension of
/// its file name (`a/y.2023.txt` → `a/y.2023`). A name with nothing before
/// that extension (`.txt`, `..txt`) gives no stem.
pub fn edition_stem(input: &Path) -> Result<PathBuf, String> {
    let Some(name) = input.file_name().and_then(|n| n.to_str()) else {
        return Err("its name is not valid UTF-8; rename it".into());
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if stem.is_empty() || stem == "." {
        return Err(format!(
            "`{name}` has no name before its extension to name the outputs after; rename it"
        ));
    }
    Ok(input.with_file_name(stem))
}

/// `stem` with the extension of `format`, added (not replacing anything).
pub fn output_path(stem: &Path, format: Format) -> PathBuf {
    let mut name = stem.as_os_str().to_owned();
    name.push(".");
    name.push(format.extension());
    PathBuf::from(name)
}

/// Checks that outputs of distinct inputs never share a name. `inputs` are
/// each input as shown and its stem (or why it has none); stems equal but
/// for case collide too, as they would on a case-insensitive disk, and so
/// does a stem in `reserved` (the index's). Every input of a collision gets
/// an error naming all of them, so none of them is written; the result is
/// the same on every run, whatever order the inputs came in.
pub fn assign_stems(
    inputs: Vec<(String, Result<PathBuf, String>)>,
    reserved: &[&str],
    output: &str,
) -> Vec<Result<PathBuf, String>> {
    let key = |stem: &Path| display_path(stem).to_lowercase();
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (shown, stem) in &inputs {
        if let Ok(stem) = stem {
            by_key.entry(key(stem)).or_default().push(shown);
        }
    }
    let clashes: BTreeMap<String, Vec<&str>> = by_key
        .into_iter()
        .filter(|(key, shown)| shown.len() > 1 || reserved.contains(&key.as_str()))
        .collect();
    let message = |shown: &str, stem: &Path| -> Option<String> {
        let key = key(stem);
        let others: Vec<&str> = clashes
            .get(&key)?
            .iter()
            .copied()
            .filter(|&other| other != shown)
            .collect();
        Some(if others.is_empty() {
            format!(
                "its outputs would be `{output}/{key}.json` and `.md`, which are build's index; it is not converted: rename it"
            )
        } else {
            let others = others.join(", ");
            format!(
                "its outputs `{output}/{key}.*` would also be those of {others}; none of them is converted: rename all but one"
            )
        })
    };
    inputs
        .iter()
        .map(|(shown, stem)| {
            let stem = stem.clone()?;
            match message(shown, &stem) {
                Some(message) => Err(message),
                None => Ok(stem),
            }
        })
        .collect()
}

/// Is `relative` a path that stays inside the folder it is joined to?
pub fn stays_inside(relative: &Path) -> bool {
    let mut components = relative.components().peekable();
    components.peek().is_some() && components.all(|c| matches!(c, Component::Normal(_)))
}

/// Does the regular file at `path` begin as qingdan's outputs of its
/// extension do ([`Format::is_signed`])?
fn signed(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = match extension {
        "js" => None,
        _ => match extension.parse::<Format>() {
            // Only the extension qingdan gives the format: not `yml`, `htm`.
            Ok(format) if format.extension() == extension => Some(format),
            _ => return false,
        },
    };
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    match format {
        Some(format) => format.is_signed(&bytes),
        None => bytes.starts_with(qingdan::html::SEARCH_DATA_SIGNATURE.as_bytes()),
    }
}

/// Does the regular file at `path`, of `len` bytes, hold exactly `bytes`?
fn holds(path: &Path, len: u64, bytes: &[u8]) -> bool {
    len == bytes.len() as u64 && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Whether an output folder is opened to write into or only to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Create it if need be and lock it for writing.
    Write,
    /// Change nothing; wait only for a writer that holds it.
    Check,
}

/// An output folder, locked for as long as this value lives.
pub struct OutputDir {
    root: PathBuf,
    /// The folder's real path, to tell whether a path stays inside it.
    real: PathBuf,
    _lock: Option<File>,
}

impl OutputDir {
    /// Opens (in [`Mode::Write`], creating) the folder `root` and locks it;
    /// when another qingdan holds the lock, says so and waits for it.
    pub fn open(root: &Path, mode: Mode) -> Result<OutputDir, String> {
        let shown = display_path(root);
        match std::fs::metadata(root) {
            Ok(meta) if !meta.is_dir() => {
                return Err(format!(
                "cannot write into {shown}: it is a file, not a folder; choose another `--output`"
            ))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && mode == Mode::Write => {
                std::fs::create_dir_all(root).map_err(|e| format!("cannot create {shown}: {e}"))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(OutputDir {
                    root: root.to_path_buf(),
                    real: root.to_path_buf(),
                    _lock: None,
                })
            }
            Err(e) => return Err(format!("cannot use {shown}: {e}")),
        }
        let real = std::fs::canonicalize(root).map_err(|e| format!("cannot use {shown}: {e}"))?;
        let lock = lock(root, mode)?;
        Ok(OutputDir {
            root: root.to_path_buf(),
            real,
            _lock: lock,
        })
    }

    /// `relative` inside the folder, as shown in messages.
    pub fn shown(&self, relative: &Path) -> String {
        display_path(&self.root.join(relative))
    }

    /// The manifest: the index the last build wrote here, if any. An
    /// `index.json` that is not qingdan's is an error, for this folder is
    /// then not (only) qingdan's and nothing in it can be shown to be.
    pub fn manifest(&self) -> Result<Option<Index>, String> {
        let path = self.root.join(INDEX_JSON);
        let shown = display_path(&path);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {shown}: {e}")),
        };
        let not_ours = |why: String| {
            format!(
                "{shown} is not an index written by `qingdan build` ({why}); qingdan will not build into a folder it cannot tell its own files in: move the file away or choose another `--output`"
            )
        };
        if let Some(what) = not_a_file(&meta) {
            return Err(not_ours(format!("it is {what}")));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| not_ours(e.to_string()))
    }

    /// Writes every file of `files` (paths relative to the folder) as one:
    /// each is first written in full beside its target, and only when all
    /// are ready are they renamed into place, so a failure changes nothing.
    /// Files that already hold their bytes are left alone (time stamps
    /// too). An existing file is replaced only when `owned` lists it or it
    /// carries qingdan's signature; it keeps its permissions, and a new file
    /// gets `0666` less the umask. On failure: the path and why.
    pub fn write(
        &self,
        files: &[(PathBuf, Vec<u8>)],
        owned: &BTreeSet<PathBuf>,
    ) -> Result<(), (String, String)> {
        let mut staged = Vec::new();
        for (relative, bytes) in files {
            let path = self.root.join(relative);
            let fail = |why: String| (display_path(&path), why);
            self.make_parent(relative).map_err(fail)?;
            let permissions = match std::fs::symlink_metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(fail(format!("cannot write: {e}"))),
                Ok(meta) => {
                    if let Some(what) = not_a_file(&meta) {
                        return Err(fail(format!(
                            "cannot write: it is {what}; qingdan replaces only regular files it wrote"
                        )));
                    }
                    if holds(&path, meta.len(), bytes) {
                        continue;
                    }
                    if !owned.contains(relative) && !signed(&path) {
                        return Err(fail(
                            "expected no file or one qingdan wrote, found a file of someone else's in the way (the index does not list it and it does not begin as qingdan's outputs do); it is left as it is and this edition is not written: move the file away, or choose another `--output`".into(),
                        ));
                    }
                    Some(meta.permissions())
                }
            };
            let temp =
                stage(&path, bytes, permissions).map_err(|e| fail(format!("cannot write: {e}")))?;
            staged.push((path, temp));
        }
        for (path, temp) in staged {
            temp.persist(&path)
                .map_err(|e| (display_path(&path), format!("cannot write: {}", e.error)))?;
        }
        Ok(())
    }

    /// Creates the folders `relative` goes into, one by one, refusing a
    /// path that would leave the output folder: `..`, an absolute path, or
    /// a symbolic link that leads out.
    fn make_parent(&self, relative: &Path) -> Result<(), String> {
        let outside = || "cannot write: the path is outside the output folder".to_owned();
        if !stays_inside(relative) {
            return Err(outside());
        }
        let mut dir = self.root.clone();
        let folders = relative
            .parent()
            .map(Path::components)
            .into_iter()
            .flatten();
        for component in folders {
            dir.push(component);
            match std::fs::symlink_metadata(&dir) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(&dir)
                    .map_err(|e| format!("cannot create its folder: {e}"))?,
                Err(e) => return Err(format!("cannot write: {e}")),
                Ok(meta) if meta.is_dir() => {}
                Ok(meta) if meta.file_type().is_symlink() => {
                    let real =
                        std::fs::canonicalize(&dir).map_err(|e| format!("cannot write: {e}"))?;
                    if !real.starts_with(&self.real) || !real.is_dir() {
                        return Err(outside());
                    }
                }
                Ok(_) => {
                    return Err(format!(
                        "cannot write: {} is a file where a folder should be",
                        display_path(&dir)
                    ))
                }
            }
        }
        Ok(())
    }

    /// `--check`: what is wrong with `relative` compared to `expected`.
    pub fn compare(
        &self,
        relative: &Path,
        expected: &[u8],
        owned: &BTreeSet<PathBuf>,
    ) -> Option<String> {
        let path = self.root.join(relative);
        let shown = display_path(&path);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Some(format!("missing: {shown}"));
        };
        if let Some(what) = not_a_file(&meta) {
            return Some(format!(
                "blocked: {shown} ({what} is in the way; build cannot write there)"
            ));
        }
        if holds(&path, meta.len(), expected) {
            None
        } else if owned.contains(relative) || signed(&path) {
            Some(format!(
                "stale: {shown} (differs from what the current input and code give)"
            ))
        } else {
            Some(format!(
                "blocked: {shown} (a file qingdan did not write is in the way; build will not replace it)"
            ))
        }
    }

    /// Is `relative` a regular file (not a link) in the folder?
    pub fn has_file(&self, relative: &Path) -> bool {
        std::fs::symlink_metadata(self.root.join(relative)).is_ok_and(|m| m.is_file())
    }

    /// Deletes the regular file `relative` (never a folder or a link).
    pub fn remove(&self, relative: &Path) -> std::io::Result<()> {
        if !stays_inside(relative) || !self.has_file(relative) {
            return Err(std::io::Error::other("not a file inside the output folder"));
        }
        std::fs::remove_file(self.root.join(relative))
    }

    /// The temporary files ([`TEMP_PREFIX`]) an interrupted run left in the
    /// folders `dirs` (relative; those that lead out of the folder are
    /// passed over), sorted.
    pub fn strays(&self, dirs: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for dir in dirs
            .iter()
            .filter(|d| d.as_os_str().is_empty() || stays_inside(d))
        {
            let full = self.root.join(dir);
            if !std::fs::canonicalize(&full).is_ok_and(|real| real.starts_with(&self.real)) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(full) else {
                continue;
            };
            for entry in entries.flatten() {
                let temp = entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(TEMP_PREFIX));
                if temp && entry.file_type().is_ok_and(|t| t.is_file()) {
                    found.push(dir.join(entry.file_name()));
                }
            }
        }
        found.sort();
        found
    }
}

/// A temporary file beside `path` holding `bytes`, with `permissions` (or,
/// new, `0666` less the umask).
fn stage(
    path: &Path,
    bytes: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with this mode, the kernel takes the umask off it.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    // No fsync: the rename already guarantees readers see the old file or
    // the whole new one if qingdan fails; syncing every file made a batch
    // build spend three times longer waiting on the disk than converting.
    Ok(temp)
}

/// Locks the folder `root` (shared in [`Mode::Check`]), waiting, with a
/// word, while another qingdan holds it. Where the system cannot lock, the
/// run goes on unlocked after a note.
fn lock(root: &Path, mode: Mode) -> Result<Option<File>, String> {
    #[cfg(unix)]
    {
        use std::fs::TryLockError;
        let shown = display_path(root);
        let dir = File::open(root).map_err(|e| format!("cannot use {shown}: {e}"))?;
        let tried = match mode {
            Mode::Write => dir.try_lock(),
            Mode::Check => dir.try_lock_shared(),
        };
        match tried {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                say!("qingdan: waiting for another qingdan to finish writing into {shown}");
                let locked = match mode {
                    Mode::Write => dir.lock(),
                    Mode::Check => dir.lock_shared(),
                };
                locked.map_err(|e| format!("cannot lock {shown}: {e}"))?;
            }
            Err(TryLockError::Error(e)) => {
                say!("note: cannot lock {shown} ({e}); make sure no other qingdan writes there at the same time");
                return Ok(None);
            }
        }
        Ok(Some(dir))
    }
    #[cfg(not(unix))]
    {
        let _ = (root, mode);
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_only_the_last_extension() {
        let stem = |p: &str| edition_stem(Path::new(p)).map(|s| display_path(&s));
        assert_eq!(stem("y.2023.txt").unwrap(), "y.2023");
        assert_eq!(stem("a/x.json.txt").unwrap(), "a/x.json");
        assert_eq!(stem("-x.TXT").unwrap(), "-x");
        assert_eq!(stem("目录").unwrap(), "目录");
        assert!(stem(".txt").is_err());
        assert!(stem("..txt").is_err());
        assert!(stem("a/..txt").is_err());
    }

    #[test]
    fn outputs_add_their_extension() {
        let path = output_path(Path::new("a/y.2023"), Format::Json);
        assert_eq!(path, Path::new("a/y.2023.json"));
    }

    #[test]
    fn only_plain_relative_paths_stay_inside() {
        for ok in ["a", "a/b.json", "..a/b"] {
            assert!(stays_inside(Path::new(ok)), "{ok}");
        }
        for bad in ["", "..", "a/../b", "/etc/x", "./a"] {
            assert!(!stays_inside(Path::new(bad)), "{bad}");
        }
    }

    #[test]
    fn colliding_stems_fail_every_input_involved() {
        let inputs = vec![
            ("in/x.txt".to_owned(), Ok(PathBuf::from("x"))),
            ("in/y.txt".to_owned(), Ok(PathBuf::from("y"))),
            ("in/X.TXT".to_owned(), Ok(PathBuf::from("X"))),
            ("in/index.txt".to_owned(), Ok(PathBuf::from("index"))),
            ("in/.txt".to_owned(), Err("no name".to_owned())),
        ];
        let assigned = assign_stems(inputs, &["index"], "out");
        assert_eq!(assigned[1], Ok(PathBuf::from("y")));
        assert_eq!(
            assigned[0],
            Err("its outputs `out/x.*` would also be those of in/X.TXT; none of them is converted: rename all but one".into())
        );
        assert!(assigned[2]
            .clone()
            .unwrap_err()
            .contains("those of in/x.txt;"));
        assert!(assigned[3].clone().unwrap_err().contains("build's index"));
        assert_eq!(assigned[4], Err("no name".to_owned()));
    }
}
