//! People's files: what `build` and `convert` may delete, replace and
//! create, and where. Each test backs a promise of the README's
//! "Guarantees" and is named after it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;
use std::time::{Duration, Instant};

use crate::support::{files_under, stderr, TestDir, SMALL_EDITION};

/// The small edition renamed to `township`, so each copy is its own.
fn edition(township: &str) -> String {
    SMALL_EDITION.replace("某镇", township)
}

/// Runs `sh -c SCRIPT` in `dir` with `$Q` set to the binary.
fn sh(dir: &TestDir, script: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("Q", env!("CARGO_BIN_EXE_qingdan"))
        .env_remove("CI")
        .current_dir(dir.path())
        .output()
        .expect("sh runs")
}

/// Runs `qingdan ARGS` in `dir`, failing the test rather than hanging when
/// it takes longer than a minute.
fn qingdan_within_a_minute(dir: &TestDir, args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qingdan runs");
    let started = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kills");
            panic!("qingdan {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn prune_deletes_only_what_the_index_lists() {
    // The reproduction: files of the user's in the output folder.
    let dir = TestDir::new();
    dir.write("p/in/y.txt", edition("盐池镇"));
    dir.write("p/out/README.md", "hi\n");
    dir.write("p/out/settings.json", "{}\n");
    dir.write("p/out/docs/guide.md", "k\n");
    dir.write("p/out/notes.yaml", "a: 1\n");
    let run = dir.qingdan(&["build", "--input", "p/in", "--output", "p/out", "--prune"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains("pruned:"), "{}", stderr(&run));
    for (file, bytes) in [
        ("p/out/README.md", "hi\n"),
        ("p/out/settings.json", "{}\n"),
        ("p/out/docs/guide.md", "k\n"),
        ("p/out/notes.yaml", "a: 1\n"),
    ] {
        assert_eq!(dir.read(file), bytes.as_bytes(), "{file}");
    }
    // With the edition gone, exactly its three outputs go.
    std::fs::remove_file(dir.path().join("p/in/y.txt")).unwrap();
    let run = dir.qingdan(&["build", "--input", "p/in", "--output", "p/out", "--prune"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    for ext in ["json", "yaml", "md"] {
        assert!(err.contains(&format!("pruned: p/out/y.{ext}\n")), "{err}");
    }
    assert_eq!(err.matches("pruned:").count(), 3, "{err}");
    assert_eq!(dir.read("p/out/README.md"), b"hi\n");
    assert_eq!(dir.read("p/out/docs/guide.md"), b"k\n");
}

#[test]
fn build_into_a_project_folder_touches_none_of_its_files() {
    // `--output .` inside a project: README, schemas and notes stay.
    let dir = TestDir::new();
    dir.write("proj/README.md", "# my project\n");
    dir.write("proj/schemas/x.json", "{\"$id\": 1}\n");
    dir.write("proj/fuzz/README.md", "notes\n");
    dir.write("proj/input/README.txt", edition("盐池镇"));
    dir.write("proj/input/fuzz/README.txt", edition("吐尔干乡"));
    let before = dir.snapshot();
    let run = dir.qingdan(&[
        "build",
        "--input",
        "proj/input",
        "--output",
        "proj",
        "--prune",
    ]);
    // README.txt would write README.md: a file qingdan did not write.
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("proj/README.md: expected no file or one qingdan wrote, found a file of someone else's in the way"), "{err}");
    assert!(
        err.contains("proj/fuzz/README.md: expected no file or one qingdan wrote"),
        "{err}"
    );
    for (path, bytes) in &before {
        assert_eq!(
            &dir.read(path.to_str().unwrap()),
            bytes,
            "{}",
            path.display()
        );
    }
    let index: serde_json::Value = serde_json::from_slice(&dir.read("proj/index.json")).unwrap();
    assert_eq!(index["totals"]["failed"], 2);
    assert_eq!(index["editions"][0]["status"], "failed");
    assert_eq!(index["editions"][0]["outputs"], serde_json::json!([]));
}

#[test]
fn editions_with_dots_in_their_names_get_outputs_of_their_own() {
    let dir = TestDir::new();
    dir.write("input/y.2023.txt", edition("甲镇"));
    dir.write("input/y.2024.txt", edition("乙镇"));
    dir.write("input/x.txt", edition("丙镇"));
    dir.write("input/x.json.txt", edition("丁镇"));
    let run = dir.qingdan(&["build"]);
    assert!(run.status.success(), "{}", stderr(&run));
    for (output, township) in [
        ("y.2023", "甲镇"),
        ("y.2024", "乙镇"),
        ("x", "丙镇"),
        ("x.json", "丁镇"),
    ] {
        for ext in ["json", "yaml", "md"] {
            let text = String::from_utf8(dir.read(&format!("output/{output}.{ext}"))).unwrap();
            assert!(text.contains(township), "output/{output}.{ext}");
        }
    }
    let check = dir.qingdan(&["build", "--check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn inputs_that_would_share_outputs_are_refused_both() {
    let dir = TestDir::new();
    dir.write("input/x.txt", edition("甲镇"));
    dir.write("input/x.TXT", edition("乙镇"));
    dir.write("input/index.txt", edition("丙镇"));
    dir.write("input/sub/index.txt", edition("丁镇"));
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains(
            "error: input/x.TXT: its outputs `output/x.*` would also be those of input/x.txt"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "error: input/x.txt: its outputs `output/x.*` would also be those of input/x.TXT"
        ),
        "{err}"
    );
    assert!(err.contains("error: input/index.txt: its outputs would be `output/index.json`"));
    assert!(!dir.path().join("output/x.json").exists());
    assert!(!dir.path().join("output/x.md").exists());
    // Only the edition in the subfolder, whose name is free, is written.
    assert!(dir.path().join("output/sub/index.json").exists());
    let index: serde_json::Value = serde_json::from_slice(&dir.read("output/index.json")).unwrap();
    assert_eq!(index["totals"]["failed"], 3);
    // The same decision every run.
    let again = dir.qingdan(&["build"]);
    assert_eq!(
        stderr(&again).replace(char::is_numeric, ""),
        err.replace(char::is_numeric, "")
    );

    // `convert` of two files of one name from two folders: neither written.
    dir.write("a/x.txt", edition("甲镇"));
    dir.write("b/x.txt", edition("乙镇"));
    let run = dir.qingdan(&["convert", "a/x.txt", "b/x.txt", "-o", "out"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("error: a/x.txt: its outputs `out/x.*` would also be those of b/x.txt"),
        "{err}"
    );
    assert!(
        err.contains("error: b/x.txt: its outputs `out/x.*` would also be those of a/x.txt"),
        "{err}"
    );
    assert!(std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .next()
        .is_none());
}

#[test]
fn convert_never_writes_outside_its_output_folder() {
    // The reproduction: `..txt` once wrote `reports.json` beside
    // the folder `reports`.
    let dir = TestDir::new();
    dir.write("..txt", edition("甲镇"));
    dir.write("reports.json", "mine\n");
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let before = dir.snapshot();
    let run = dir.qingdan(&["convert", "..txt", "-o", "reports"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("error: ..txt: `..txt` has no name before its extension"),
        "{}",
        stderr(&run)
    );
    assert_eq!(dir.snapshot(), before);
    // A folder in the output that links out of it is not followed.
    let elsewhere = TestDir::new();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("reports/link")).unwrap();
    dir.write("in/link/e.txt", edition("乙镇"));
    let run = dir.qingdan(&["build", "--input", "in", "--output", "reports"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run)
            .contains("reports/link/e.json: cannot write: the path is outside the output folder"),
        "{}",
        stderr(&run)
    );
    assert!(elsewhere.snapshot().is_empty(), "wrote through the link");
}

#[test]
fn a_file_qingdan_did_not_write_is_never_replaced() {
    let dir = TestDir::new();
    dir.write("input/y.txt", edition("甲镇"));
    dir.write("output/y.yaml", "my: notes\n");
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run)
        .contains("output/y.yaml: expected no file or one qingdan wrote, found a file of someone else's in the way"));
    assert_eq!(dir.read("output/y.yaml"), b"my: notes\n");
    // Written as one: the JSON and Markdown are not written either.
    assert!(!dir.path().join("output/y.json").exists());
    let run = dir.qingdan(&["convert", "input/y.txt", "-o", "output"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(dir.read("output/y.yaml"), b"my: notes\n");
    // Its own outputs qingdan replaces, by the index or by their signature.
    std::fs::remove_file(dir.path().join("output/y.yaml")).unwrap();
    assert!(dir
        .qingdan(&["convert", "input/y.txt", "-o", "output"])
        .status
        .success());
    dir.write("input/y.txt", edition("乙镇"));
    assert!(dir
        .qingdan(&["convert", "input/y.txt", "-o", "output"])
        .status
        .success());
    assert!(String::from_utf8(dir.read("output/y.md"))
        .unwrap()
        .contains("乙镇"));
}

#[test]
fn a_failed_write_marks_the_edition_failed_in_the_index() {
    let dir = TestDir::new();
    dir.write("input/a.txt", edition("甲镇"));
    dir.write("input/b.txt", edition("乙镇"));
    assert!(dir.qingdan(&["build"]).status.success());
    let old_json = dir.read("output/b.json");
    // b changes, but its YAML cannot be written (a folder is in the way).
    dir.write("input/b.txt", edition("丙镇"));
    std::fs::remove_file(dir.path().join("output/b.yaml")).unwrap();
    dir.write("output/b.yaml/keep", "x");
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("qingdan: built 2 editions (1 failed)"),
        "{err}"
    );
    let index: serde_json::Value = serde_json::from_slice(&dir.read("output/index.json")).unwrap();
    let b = &index["editions"][1];
    assert_eq!(b["status"], "failed");
    assert!(b["reason"]
        .as_str()
        .unwrap()
        .starts_with("output/b.yaml: cannot write: it is a folder"));
    assert_eq!(
        b["outputs"],
        serde_json::json!(["b.json", "b.md"]),
        "what is still on disk"
    );
    assert!(b.get("title").is_none());
    assert_eq!(index["totals"]["failed"], 1);
    assert_eq!(
        dir.read("output/b.json"),
        old_json,
        "the old output stays whole"
    );
}

#[test]
fn leftover_temporary_files_are_named_by_check_and_removed_by_build() {
    let dir = TestDir::new();
    dir.write("input/sub/a.txt", edition("甲镇"));
    assert!(dir.qingdan(&["build"]).status.success());
    dir.write("output/sub/.qingdan-Ab12Cd", "half a file");
    dir.write("output/.qingdan-xYz987", "");
    let check = dir.qingdan(&["build", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let err = stderr(&check);
    assert!(
        err.contains(
            "stray: output/sub/.qingdan-Ab12Cd (a temporary file left by an interrupted build"
        ),
        "{err}"
    );
    assert!(err.contains("stray: output/.qingdan-xYz987"), "{err}");
    assert!(dir.qingdan(&["build"]).status.success());
    assert!(!dir.path().join("output/sub/.qingdan-Ab12Cd").exists());
    assert!(!dir.path().join("output/.qingdan-xYz987").exists());
    assert!(dir.qingdan(&["build", "--check"]).status.success());
}

#[test]
fn inputs_are_refused_from_their_size_before_they_are_read() {
    let dir = TestDir::new();
    // A sparse gigabyte: refused from its metadata, not read.
    let big = std::fs::File::create(dir.path().join("big.txt")).unwrap();
    big.set_len(1 << 30).unwrap();
    let run = qingdan_within_a_minute(&dir, &["convert", "big.txt", "--max-bytes", "1000"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains(
            "expected an edition of at most 1000 bytes (`--max-bytes`), found 1073741824 bytes"
        ),
        "{}",
        stderr(&run)
    );
    // A file with no end is no regular file and is never read.
    let run = qingdan_within_a_minute(&dir, &["convert", "/dev/zero"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("/dev/zero: cannot read: it is a device, not a regular file"));
}

#[test]
fn fifos_neither_hang_build_nor_convert() {
    let dir = TestDir::new();
    dir.write("input/a.txt", edition("甲镇"));
    assert!(sh(&dir, "mkfifo input/pipe.txt && mkfifo pipe")
        .status
        .success());
    let run = qingdan_within_a_minute(&dir, &["build"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run)
        .contains("note: skipped input/pipe.txt: a named pipe (FIFO), not a regular file"));
    let run = qingdan_within_a_minute(&dir, &["convert", "input/pipe.txt"]);
    assert_eq!(run.status.code(), Some(1));
    // An output that is a link to a FIFO is not written through.
    std::fs::remove_file(dir.path().join("output/a.json")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("pipe"), dir.path().join("output/a.json")).unwrap();
    dir.write("input/a.txt", edition("乙镇"));
    let run = qingdan_within_a_minute(&dir, &["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("output/a.json: cannot write: it is a symbolic link"),
        "{}",
        stderr(&run)
    );
    let run = qingdan_within_a_minute(&dir, &["build", "--check"]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn build_takes_txt_in_any_case_follows_linked_folders_and_says_what_it_skips() {
    let dir = TestDir::new();
    dir.write("input/A.TXT", edition("甲镇"));
    dir.write("input/notes.pdf", "%PDF");
    dir.write("input/.txt", edition("乙镇"));
    dir.write("elsewhere/b.Txt", edition("丙镇"));
    std::os::unix::fs::symlink(
        dir.path().join("elsewhere"),
        dir.path().join("input/linked"),
    )
    .unwrap();
    // A link back up the tree is entered once, not forever.
    std::os::unix::fs::symlink(dir.path().join("input"), dir.path().join("elsewhere/up")).unwrap();
    let run = qingdan_within_a_minute(&dir, &["build"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(dir.path().join("output/A.json").exists());
    assert!(dir.path().join("output/linked/b.json").exists());
    let err = stderr(&run);
    assert!(
        err.contains("note: skipped input/notes.pdf: not an edition (`.txt`, `.docx` or `.xlsx`)"),
        "{err}"
    );
    assert!(
        err.contains("note: skipped input/.txt: `.txt` has no name before its extension"),
        "{err}"
    );
    assert!(
        err.contains("note: skipped input/linked/up: a link to a folder already searched"),
        "{err}"
    );
    let quiet = dir.qingdan(&["build", "--quiet"]);
    assert!(!stderr(&quiet).contains("note:"), "{}", stderr(&quiet));
}

#[test]
fn jobs_are_capped_with_a_note() {
    let dir = TestDir::new();
    dir.write("input/a.txt", edition("甲镇"));
    let run = qingdan_within_a_minute(&dir, &["build", "--jobs", "100000"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains("note: `--jobs 100000` is more than 4 per core; using"));
}

#[test]
fn new_outputs_get_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    dir.write("input/a.txt", edition("甲镇"));
    let run = sh(&dir, "umask 077 && \"$Q\" build --quiet");
    assert!(run.status.success(), "{}", stderr(&run));
    let mode = |p: &str| {
        std::fs::metadata(dir.path().join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("output/a.json"), 0o600);
    assert_eq!(mode("output/index.md"), 0o600);
    let run = sh(&dir, "umask 022 && \"$Q\" convert input/a.txt -o out2");
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(mode("out2/a.yaml"), 0o644);
    // A replaced output keeps the permissions it had.
    std::fs::set_permissions(
        dir.path().join("out2/a.yaml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    dir.write("input/a.txt", edition("乙镇"));
    assert!(sh(&dir, "umask 022 && \"$Q\" convert input/a.txt -o out2")
        .status
        .success());
    assert_eq!(mode("out2/a.yaml"), 0o640);
}

#[test]
fn an_output_folder_that_is_a_file_is_named_plainly() {
    let dir = TestDir::new();
    dir.write("a.txt", edition("甲镇"));
    dir.write("out", "a file\n");
    for args in [
        &["convert", "a.txt", "-o", "out"][..],
        &["build", "--input", ".", "--output", "out"],
    ] {
        let run = dir.qingdan(args);
        assert_eq!(run.status.code(), Some(2));
        assert_eq!(
            stderr(&run),
            "qingdan: cannot write into out: it is a file, not a folder; choose another `--output`\n"
        );
    }
    assert_eq!(dir.read("out"), b"a file\n");
}

#[test]
fn a_second_build_waits_for_the_first() {
    let dir = TestDir::new();
    dir.write("input/a.txt", edition("甲镇"));
    std::fs::create_dir(dir.path().join("output")).unwrap();
    // This test holds the lock a build holds: the folder, locked.
    let held = std::fs::File::open(dir.path().join("output")).unwrap();
    held.lock().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(["build", "--quiet"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut err, &mut first).unwrap();
    assert_eq!(
        first,
        "qingdan: waiting for another qingdan to finish writing into output\n"
    );
    assert!(child.try_wait().unwrap().is_none(), "did not wait");
    assert!(!dir.path().join("output/a.json").exists());
    held.unlock().unwrap();
    assert!(child.wait().unwrap().success());
    assert!(Path::new(&dir.path().join("output/a.json")).exists());
}

/// The files changed, created or deleted between two trees.
fn changed(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// What the index in `out/` says qingdan owns there (paths under `out/`).
fn manifest(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeSet<PathBuf> {
    let Some(bytes) = files.get(Path::new("out/index.json")) else {
        return BTreeSet::new();
    };
    let index: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let mut owned: BTreeSet<PathBuf> = ["out/index.json", "out/index.md"].map(PathBuf::from).into();
    for entry in index["editions"].as_array().unwrap() {
        for output in entry["outputs"].as_array().unwrap() {
            owned.insert(Path::new("out").join(output.as_str().unwrap()));
        }
    }
    for output in index["orphaned"].as_array().into_iter().flatten() {
        owned.insert(Path::new("out").join(output.as_str().unwrap()));
    }
    owned
}

/// Folders to nest files in: dots, dashes, non-ASCII, a name like `..`.
const FOLDERS: [&str; 6] = ["", "a", "b.c", "-x", "目录", "..d"];
/// Names of inputs: several dots, `..txt`, leading dashes, any case.
const INPUTS: [&str; 13] = [
    "y.2023.txt",
    "y.2024.txt",
    "x.txt",
    "x.json.txt",
    "X.TXT",
    "..txt",
    ".txt",
    "-lead.txt",
    "盐池.txt",
    "index.txt",
    "a.b.c.txt",
    "notes.md",
    "data.json",
];
/// Names of the user's own files, of every extension qingdan writes and more.
const USER_FILES: [&str; 10] = [
    "README.md",
    "settings.json",
    "x.json",
    "y.2023.yaml",
    "index.md",
    "notes.yaml",
    "a.txt",
    "x.md",
    "y.2024.json",
    "-lead.md",
];

/// Files of a random tree: each path, with a flag (for an input: is it an
/// edition; for a user's file: is it in the output folder).
type Files = Vec<(String, bool)>;

/// A random tree: inputs (edition or junk), the user's files, some in the
/// output folder, some beside it, and which inputs go before `--prune`.
fn file_files_under() -> impl Strategy<Value = (Files, Files, Vec<bool>)> {
    let path = |names: &'static [&'static str]| {
        (0..FOLDERS.len(), 0..FOLDERS.len(), 0..names.len()).prop_map(move |(a, b, n)| {
            [FOLDERS[a], FOLDERS[b], names[n]]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("/")
        })
    };
    (
        prop::collection::vec((path(&INPUTS), any::<bool>()), 1..7),
        prop::collection::vec((path(&USER_FILES), any::<bool>()), 0..8),
        prop::collection::vec(any::<bool>(), 7),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `build`, `build --prune` and `convert` never delete or change a file
    /// outside their manifest and never write outside the output folder.
    #[test]
    fn build_prune_and_convert_touch_nothing_outside_their_manifest(
        (inputs, user, removed) in file_files_under()
    ) {
        let dir = TestDir::new();
        for (i, (path, is_edition)) in inputs.iter().enumerate() {
            let text = if *is_edition { edition(&format!("第{i}镇")) } else { "not an edition\n".into() };
            dir.write(&format!("in/{path}"), text);
        }
        for (path, in_output) in &user {
            let at = if *in_output { "out" } else { "side" };
            dir.write(&format!("{at}/{path}"), format!("the user's {path}\n"));
        }
        let users: Vec<PathBuf> = files_under(dir.path()).into_keys().filter(|p| !p.starts_with("in")).collect();
        let root = dir.path();
        let runs: [&[&str]; 3] = [
            &["build", "--input", "in", "--output", "out"],
            &["build", "--input", "in", "--output", "out", "--prune"],
            &["convert", "--output", "out"],
        ];
        for (step, args) in runs.iter().enumerate() {
            if step == 1 {
                // Some editions go, so that --prune has something to do.
                for ((path, _), gone) in inputs.iter().zip(&removed) {
                    if *gone {
                        let _ = std::fs::remove_file(root.join("in").join(path));
                    }
                }
            }
            let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
            if step == 2 {
                args.extend(files_under(&root.join("in")).into_keys().map(|p| format!("in/{}", p.display())));
                if args.len() == 3 {
                    continue;
                }
            }
            let before = files_under(root);
            let owned = manifest(&before);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = dir.qingdan(&args);
            prop_assert!(run.status.code().is_some_and(|c| c <= 2), "{}", stderr(&run));
            let after = files_under(root);
            for path in changed(&before, &after) {
                prop_assert!(path.starts_with("out"), "{args:?} wrote outside the output folder: {}", path.display());
                if before.contains_key(&path) {
                    let signed = before[&path].starts_with(b"{\n  \"schema_version\": \"")
                        || before[&path].starts_with(b"schema_version: \"")
                        || before[&path].starts_with(b"<!-- generated by qingdan");
                    prop_assert!(
                        owned.contains(&path) || (signed && step == 2),
                        "{args:?} changed or deleted {}, which is not its own", path.display()
                    );
                }
            }
            for path in &users {
                prop_assert_eq!(after.get(path), before.get(path), "{} changed", path.display());
            }
        }
    }
}
