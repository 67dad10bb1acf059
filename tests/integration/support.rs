//! Shared helpers: the sample edition, conversions, and a temporary working
//! directory in which to run the `qingdan` binary.

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

/// `edition` with everything that says where it came from blanked: the
/// source file, every item's lines and pages, the sections' and contents'
/// page numbers. Two printings of the same records compare equal this way.
pub fn without_provenance(edition: &Edition) -> Edition {
    let mut edition = edition.clone();
    edition.source = qingdan::Source {
        path: String::new(),
        encoding: String::new(),
        bytes: 0,
        sha256: String::new(),
    };
    for entry in &mut edition.contents {
        entry.page = 0;
    }
    for section in &mut edition.sections {
        section.first_page = 0;
        section.last_page = 0;
        for item in &mut section.items {
            item.source = qingdan::ItemSource {
                first_line: 0,
                last_line: 0,
                pages: Vec::new(),
            };
        }
    }
    edition
}

/// The warnings of a conversion as `(code, message)`, positions left out.
pub fn warnings(conversion: &Conversion) -> Vec<(String, String)> {
    conversion
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

/// Calls `f` on every string (keys included) inside `value`, with its path.
pub fn each_string(value: &serde_json::Value, path: &str, f: &mut dyn FnMut(&str, &str)) {
    match value {
        serde_json::Value::String(s) => f(path, s),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                each_string(item, &format!("{path}[{i}]"), f);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let path = format!("{path}.{key}");
                f(&path, key);
                each_string(item, &path, f);
            }
        }
        _ => {}
    }
}

/// Is `c` a Han character? Defined here, apart from the library's own test.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '〇')
}

/// The Han characters of `text`, in order.
pub fn han(text: &str) -> String {
    text.chars().filter(|&c| is_han(c)).collect()
}

/// Asserts `expected == actual`, showing the first difference of two long
/// values line by line when they differ.
#[track_caller]
pub fn assert_same<T: PartialEq + std::fmt::Debug>(expected: &T, actual: &T, what: &str) {
    if expected == actual {
        return;
    }
    let (e, a) = (format!("{expected:#?}"), format!("{actual:#?}"));
    let (e, a): (Vec<&str>, Vec<&str>) = (e.lines().collect(), a.lines().collect());
    let at = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(5);
    panic!(
        "{what} differ at line {at}:\n--- expected\n{}\n--- actual\n{}",
        e[from..(at + 5).min(e.len())].join("\n"),
        a[from..(at + 5).min(a.len())].join("\n"),
    );
}
