//! Atomic writes: a file is either its old self or its whole new self.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so a failure never leaves a partial file. An existing file
/// with the same bytes is left alone (its time stamp too).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_all_atomic(&[(path.to_path_buf(), bytes.to_vec())]).map_err(|(_, e)| e)
}

/// Writes several files as one: every file is first written in full to a
/// temporary file beside its target, and only when all of them are ready
/// are they renamed into place. A failure before that (a full disk, a
/// directory where a file should be) changes nothing; the error names the
/// file it is about. Files whose bytes are already there are left alone.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (PathBuf, std::io::Error)> {
    let mut staged = Vec::new();
    for (path, bytes) in files {
        if std::fs::read(path).is_ok_and(|old| &old == bytes) {
            continue;
        }
        let temp = stage(path, bytes).map_err(|e| (path.clone(), e))?;
        staged.push((path, temp));
    }
    for (path, temp) in staged {
        temp.persist(path).map_err(|e| (path.clone(), e.error))?;
    }
    Ok(())
}

/// A temporary file beside `path` holding `bytes`.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(std::io::Error::other("not a regular file"));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".qingdan-")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().set_permissions(permissions(path))?;
    // No fsync: the rename already guarantees readers see the old file or
    // the whole new one if qingdan fails; syncing every file made a batch
    // build spend three times longer waiting on the disk than converting.
    Ok(temp)
}

/// The permissions a new output gets: those of the file it replaces, else
/// the usual `rw-r--r--` (temporary files are created private).
fn permissions(path: &Path) -> std::fs::Permissions {
    if let Ok(meta) = std::fs::metadata(path) {
        return meta.permissions();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o644)
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path.parent().unwrap_or(Path::new("."))).map_or_else(
            |_| {
                tempfile::tempfile()
                    .and_then(|f| f.metadata())
                    .map(|m| m.permissions())
                    .expect("a temp file")
            },
            |m| m.permissions(),
        )
    }
}
