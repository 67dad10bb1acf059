//! Shared helpers: the sample edition, conversions, and a temporary working
//! directory in which to run the `qingdan` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qingdan::{Conversion, Edition, Options};

/// The sample edition as committed under `input/`.
pub fn sample_bytes() -> Vec<u8> {
    std::fs::read(repo().join("input/hami-yiwu-yanchi.txt"))
        .expect("the sample edition is committed")
}

/// The sample edition as text.
pub fn sample() -> String {
    String::from_utf8(sample_bytes()).expect("the sample is UTF-8")
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Converts `bytes`, recorded as `path`.
pub fn convert(path: &str, bytes: &[u8]) -> Conversion {
    qingdan::convert(path, bytes, &Options::default())
}

/// Converts `bytes` and insists there are no errors.
pub fn convert_ok(path: &str, bytes: &[u8]) -> Edition {
    let conversion = convert(path, bytes);
    let errors: Vec<String> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "unexpected errors:\n{}",
        errors.join("\n")
    );
    conversion.edition.expect("no errors, so an edition")
}

/// The sample's records.
pub fn sample_edition() -> Edition {
    convert_ok("hami-yiwu-yanchi.txt", &sample_bytes())
}

/// A temporary directory to run `qingdan` in; removed when dropped.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// A new empty directory.
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `relative` (creating folders).
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Reads `relative`.
    pub fn read(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(relative))
            .unwrap_or_else(|e| panic!("reading {relative}: {e}"))
    }

    /// Runs `qingdan ARGS` in this directory, with `CI` unset and no colour.
    pub fn qingdan(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_qingdan"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("CI")
            .env("NO_COLOR", "1")
            .output()
            .expect("qingdan runs")
    }

    /// Every file under the directory with its bytes, sorted by path.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    files.push((
                        path.strip_prefix(self.dir.path()).unwrap().to_path_buf(),
                        bytes,
                    ));
                }
            }
        }
        files.sort();
        files
    }
}

/// Standard error of a run, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output of a run, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
