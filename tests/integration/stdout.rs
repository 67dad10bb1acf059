//! Standard output that cannot be written: a full disk is a message and
//! exit 2, a reader that went away (a broken pipe) ends the run quietly;
//! never a panic, never a silent success.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::{sample, stderr, TestDir};

const FULL: &str = "qingdan: cannot write to standard output: ";

/// Runs `qingdan ARGS` in `dir` with standard output on `/dev/full`.
fn to_dev_full(dir: &TestDir, args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("qingdan runs")
}

/// Runs `qingdan ARGS` in `dir` with standard output a pipe whose reading
/// end is closed before qingdan writes.
fn to_closed_pipe(dir: &TestDir, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qingdan runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("qingdan ends")
}

/// A directory with the sample as `input/y.txt` and an edited copy as
/// `z.txt`, so that `diff` has something to print.
fn editions() -> TestDir {
    let dir = TestDir::new();
    dir.write("input/y.txt", sample());
    dir.write("z.txt", sample().replacen("宣传和执行", "宣传执行", 1));
    dir
}

/// Asserts that `run` exited 2 with exactly one line naming the write error.
#[track_caller]
fn assert_write_error(run: &Output) {
    let err = stderr(run);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert_eq!(err.matches(FULL).count(), 1, "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn schema_to_a_full_disk_is_a_write_error_not_a_panic() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = TestDir::new();
    assert_write_error(&to_dev_full(&dir, &["schema"]));
    assert_write_error(&to_dev_full(&dir, &["schema", "--index"]));
    assert_write_error(&to_dev_full(&dir, &["--help"]));
}

#[test]
fn diff_to_a_full_disk_says_so() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = editions();
    assert_write_error(&to_dev_full(&dir, &["diff", "input/y.txt", "z.txt"]));
}

#[test]
fn json_diagnostics_of_build_to_a_full_disk_fail_the_build() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = editions();
    let run = to_dev_full(&dir, &["--format", "json", "build", "--quiet"]);
    assert_write_error(&run);
    // The build itself went through: only the diagnostics were lost.
    assert!(dir.path().join("output/y.json").exists());
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_commands_own_status() {
    let dir = editions();
    for (args, code) in [
        (&["schema"][..], 0),
        (&["diff", "input/y.txt", "z.txt"], 1),
        (&["diff", "input/y.txt", "input/y.txt", "--to", "json"], 0),
        (&["--format", "json", "validate", "input/y.txt"], 0),
        (&["--format", "json", "build", "--quiet"], 0),
        (&["--help"], 0),
    ] {
        let run = to_closed_pipe(&dir, args);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(code), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("cannot write"), "{args:?}: {err}");
    }
}

#[test]
fn standard_error_on_a_full_disk_costs_no_panic_and_no_output() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = editions();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    // Notes, diagnostics and the summary line all go to standard error.
    dir.write("input/notes.pdf", "%PDF");
    let run = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(["build"])
        .current_dir(dir.path())
        .stderr(full)
        .output()
        .expect("qingdan runs");
    assert_eq!(run.status.code(), Some(0), "a panic is 101");
    assert!(dir.path().join("output/y.json").exists());
}
