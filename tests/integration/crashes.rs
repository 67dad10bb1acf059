//! A build killed at any moment leaves every output whole, `--check` names
//! what is out of date or left over, and the next build mends it all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{files_under, stderr, TestDir, SMALL_EDITION};

/// Editions in the collection: enough that a build takes a while.
const EDITIONS: usize = 300;

/// Writes the collection in its `version` (0 or 1: every edition's names
/// differ between the two) into `in/`.
fn write_collection(dir: &TestDir, version: usize) {
    for i in 0..EDITIONS {
        let township = format!("第{i}号{}", ["镇", "乡"][version]);
        dir.write(
            &format!("in/{}/e{i}.txt", i % 7),
            SMALL_EDITION.replace("某镇", &township),
        );
    }
}

/// Is this one of qingdan's temporary files?
fn is_temp(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".qingdan-"))
}

/// Asserts that every output in `out` parses as what its extension says.
fn assert_whole(out: &BTreeMap<PathBuf, Vec<u8>>) {
    for (path, bytes) in out.iter().filter(|(p, _)| !is_temp(p)) {
        let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{path:?} is not UTF-8"));
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                serde_json::from_str::<serde_json::Value>(text)
                    .unwrap_or_else(|e| panic!("{path:?} is cut: {e}"));
            }
            Some("yaml") => {
                serde_yaml::from_str::<serde_yaml::Value>(text)
                    .unwrap_or_else(|e| panic!("{path:?} is cut: {e}"));
            }
            Some("md") => assert!(text.ends_with('\n'), "{path:?} is cut"),
            _ => panic!("unexpected file {path:?}"),
        }
    }
}

/// What `--check` must say of `out` compared to the finished `reference`.
fn expected_problems(
    out: &BTreeMap<PathBuf, Vec<u8>>,
    reference: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in reference {
        match out.get(path) {
            None => problems.push(format!("missing: out/{}", path.display())),
            Some(actual) if actual != bytes => {
                problems.push(format!("stale: out/{}", path.display()))
            }
            Some(_) => {}
        }
    }
    for path in out.keys().filter(|p| !reference.contains_key(*p)) {
        assert!(is_temp(path), "unexpected file {path:?}");
        problems.push(format!("stray: out/{}", path.display()));
    }
    problems.sort();
    problems
}

/// The problems `--check` printed, without their explanations.
fn reported_problems(check: &std::process::Output) -> Vec<String> {
    let mut problems: Vec<String> = stderr(check)
        .lines()
        .filter(|l| {
            ["missing: ", "stale: ", "stray: ", "orphaned: ", "blocked: "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(|l| l.split(" (").next().unwrap().to_owned())
        .collect();
    problems.sort();
    problems
}

#[test]
fn a_killed_build_leaves_whole_outputs_that_check_names_and_the_next_build_mends() {
    let dir = TestDir::new();
    // The finished outputs of each version, to compare with, and how long
    // a whole build takes (to kill within it; measured, not asserted).
    let mut references = Vec::new();
    let mut took = Duration::ZERO;
    for version in 0..2 {
        write_collection(&dir, version);
        let started = Instant::now();
        let run = dir.qingdan(&[
            "build",
            "--quiet",
            "--input",
            "in",
            "--output",
            &format!("ref{version}"),
        ]);
        took = took.max(started.elapsed());
        assert!(run.status.success(), "{}", stderr(&run));
        references.push(files_under(&dir.path().join(format!("ref{version}"))));
    }
    // A fixed seed: the same moments on every run of the test.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut interrupted = 0;
    for round in 0..8 {
        let version = round % 2;
        write_collection(&dir, version);
        let mut child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
            .args(["build", "--quiet", "--input", "in", "--output", "out"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wait = took.mul_f64((next() % 1000) as f64 / 1000.0);
        std::thread::sleep(wait);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        interrupted += usize::from(!status.success());

        let out = files_under(&dir.path().join("out"));
        assert_whole(&out);
        let check = dir.qingdan(&["build", "--check", "--input", "in", "--output", "out"]);
        let expected = expected_problems(&out, &references[version]);
        assert_eq!(
            reported_problems(&check),
            expected,
            "round {round}: {}",
            stderr(&check)
        );
        assert_eq!(check.status.success(), expected.is_empty());
    }
    assert!(interrupted > 0, "no build was killed before it finished");
    let run = dir.qingdan(&["build", "--quiet", "--input", "in", "--output", "out"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let check = dir.qingdan(&["build", "--check", "--input", "in", "--output", "out"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(
        files_under(&dir.path().join("out")),
        references[1],
        "the mended folder"
    );
}
