//! Shared helpers: the sample edition, conversions, and a temporary working
//! directory in which to run the `qingdan` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qingdan::{Conversion, Edition, Format, Options};

/// A small edition: one list of each kind, a cooperative row split over a
/// page break with its township duties cut mid-list, and a handover with two
/// receivers (its outputs are the snapshots in `snapshots.rs`).
pub const SMALL_EDITION: &str = "\
某省某市 某县某镇履职事项清单

中共某县委员会 某县人民政府

目 录

1. 基本履职事项清单·····\t1
2. 配合履职事项清单·····\t2
3. 上级部门收回事项清单·····\t4

某市某县某镇基本履职事项清单

序号\t事项类别\t事项名称
1\t党的建设\t加强党的 建设 and 学习
2\t经济发展\t服务市场主体|yes

某市某县某镇配合履职事项清单

序号\t事项类别\t事项名称\t对应上级部门\t上级部门职责\t乡镇配合职责
1\t民生服务\t残疾人证管理\t某市残联、某县残联\t<p>某市残联：</p> <ol style=\"list-style-type: none\"> 1. 组织清查； 2. 督查指导。 <p>某县残联：</p> <ol style=\"list-style-type: none\"> 1. 评定鉴定：由医院评定； 2. 发证。 \t<ol style=\"list-style-type: none\"> 1. 协助填表； 2. 引导鉴定； (未完见下页)

某市某县某镇配合履职事项清单

序号\t事项类别\t事项名称\t对应上级部门\t上级部门职责\t乡镇配合职责
1\t民生服务\t残疾人证管理\t某市残联、某县残联\t<p>某市残联：</p> <ol style=\"list-style-type: none\"> 1. 组织清查； 2. 督查指导。 <p>某县残联：</p> <ol style=\"list-style-type: none\"> 1. 评定鉴定：由医院评定； 2. 发证。 \t<p>（续上页）</p> <ol style=\"list-style-type: none\"> 3. 公示五个工作日； 4. 发放证件。

某市某县某镇上级部门收回事项清单

序号\t事项类别\t事项名称\t承接部门及工作方式
1\t社会保障\t就业信息统计\t某县市场监督管理局：负责创业实体信息统计。 某县人力资源和社会保障局：负责就业务工信息统计。
2\t社会保障\t对参保扩面指标的考核\t取消对参保扩面指标的考核。
";

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
/// An edition rendered in a text format, as a string.
#[track_caller]
pub fn rendered(format: Format, edition: &Edition) -> String {
    assert!(format.is_text(), "{format} is not a text format");
    let bytes = format
        .render(edition)
        .expect("the text formats always render");
    String::from_utf8(bytes).expect("text outputs are UTF-8")
}

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

/// Every file under `root` (links to folders not followed) with its bytes,
/// by path relative to `root`; an empty map when `root` does not exist.
pub fn files_under(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
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
/// source file and its format, every item's source (lines and pages, or
/// table or sheet and rows), the sections' and contents' page numbers. Two
/// printings of the same records, in any container, compare equal this way.
pub fn without_provenance(edition: &Edition) -> Edition {
    let mut edition = edition.clone();
    let source = &mut edition.source;
    source.path.clear();
    source.format = qingdan::SourceFormat::Text;
    source.encoding = None;
    source.bytes = 0;
    source.sha256.clear();
    for entry in &mut edition.contents {
        entry.page = 0;
    }
    for section in &mut edition.sections {
        section.first_page = None;
        section.last_page = None;
        for item in &mut section.items {
            item.source = qingdan::ItemSource::Text(qingdan::TextLines {
                first_line: 0,
                last_line: 0,
                pages: Vec::new(),
            });
        }
    }
    edition
}

/// The diagnostics of a conversion, errors and warnings, as
/// `(code, message)`: positions left out.
pub fn codes_and_messages(conversion: &Conversion) -> Vec<(String, String)> {
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

/// Checks every `.json` and `.yaml` file under `root` (an index against
/// `schemas/index.schema.json`, anything else against
/// `schemas/qingdan.schema.json`) with an independent validator: Python's
/// `jsonschema` (`Draft202012Validator`), YAML read by PyYAML. Fails with
/// every error found; skipped with a notice when either package is missing
/// outside CI. Returns how many files were checked.
pub fn assert_outputs_match_schemas(root: &Path) -> usize {
    if !python3_with("jsonschema, yaml", "jsonschema and PyYAML", "schema check") {
        return 0;
    }
    let script = r#"
import json, pathlib, sys, yaml
from jsonschema import Draft202012Validator
schemas = pathlib.Path(sys.argv[1])
edition = Draft202012Validator(json.loads((schemas / "qingdan.schema.json").read_text("utf-8")))
index = Draft202012Validator(json.loads((schemas / "index.schema.json").read_text("utf-8")))
checked = 0
for path in sorted(pathlib.Path(sys.argv[2]).rglob("*")):
    if path.suffix not in (".json", ".yaml"):
        continue
    text = path.read_text("utf-8")
    value = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    validator = index if isinstance(value, dict) and "totals" in value and "editions" in value else edition
    for error in validator.iter_errors(value):
        print("%s: at /%s: %s" % (path, "/".join(map(str, error.absolute_path)), error.message[:300]))
    checked += 1
print(checked)
"#;
    let schemas = repo().join("schemas");
    let stdout = python(script, &[schemas.as_os_str(), root.as_os_str()]);
    let (errors, count) = stdout.trim_end().rsplit_once('\n').unwrap_or(("", &stdout));
    assert!(
        errors.is_empty(),
        "outputs that break schemas/ (Python jsonschema):\n{errors}"
    );
    count.trim().parse().unwrap()
}

/// Can python3 `import` the comma-separated `modules`? CI must have them
/// (`.ci/run` installs them); elsewhere a notice says that the `check`
/// that needs `what` is skipped.
pub fn python3_with(modules: &str, what: &str, check: &str) -> bool {
    let available = Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs python3 with {what} for the {check}"
        );
        eprintln!("notice: python3 with {what} not found; {check} skipped");
    }
    available
}

/// Standard output of a Python `script` run with `args`, which must succeed.
pub fn python(script: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}
