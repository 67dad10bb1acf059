//! The `qingdan` binary: what it writes, what it leaves alone, exit codes.

use std::path::PathBuf;

use qingdan::Format;

use crate::support::{convert_ok, rendered, sample_bytes, stderr, TestDir};

/// The outputs the library renders for the sample recorded as `name`.
fn expected(name: &str) -> Vec<(Format, String)> {
    let edition = convert_ok(name, &sample_bytes());
    Format::DEFAULT
        .iter()
        .map(|&f| (f, rendered(f, &edition)))
        .collect()
}

fn files(dir: &TestDir) -> Vec<PathBuf> {
    dir.snapshot().into_iter().map(|(path, _)| path).collect()
}

#[test]
fn convert_writes_json_yaml_and_markdown_into_the_output_directory() {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    let run = dir.qingdan(&["convert", "in/yanchi.txt", "-o", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // The path is recorded as given on the command line.
    for (format, text) in expected("in/yanchi.txt") {
        let written = dir.read(&format!("out/yanchi.{}", format.extension()));
        assert!(
            written == text.as_bytes(),
            "out/yanchi.{format} as rendered"
        );
    }
    assert_eq!(
        files(&dir),
        [
            "in/yanchi.txt",
            "out/yanchi.json",
            "out/yanchi.md",
            "out/yanchi.yaml"
        ]
        .map(PathBuf::from)
    );
}

#[test]
fn convert_to_json_writes_only_json() {
    let dir = TestDir::new();
    dir.write("yanchi.txt", sample_bytes());
    let run = dir.qingdan(&["convert", "yanchi.txt", "-o", "out", "--to", "json"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        files(&dir),
        ["out/yanchi.json", "yanchi.txt"].map(PathBuf::from)
    );
    assert!(dir.read("out/yanchi.json") == expected("yanchi.txt")[0].1.as_bytes());
}

#[test]
fn a_bad_file_fails_the_run_but_not_the_good_files_and_keeps_its_old_output() {
    let dir = TestDir::new();
    dir.write("a.txt", sample_bytes());
    // A row that lost a tab is an error, so b.txt gives no records.
    let bad =
        String::from_utf8(sample_bytes())
            .unwrap()
            .replacen("1\t党的建设\t", "1\t党的建设", 1);
    dir.write("b.txt", bad);
    dir.write("c.txt", sample_bytes());
    let old = b"old output of b, not to be touched\n";
    dir.write("out/b.json", old);
    let run = dir.qingdan(&["convert", "a.txt", "b.txt", "c.txt", "-o", "out"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("b.txt"), "{}", stderr(&run));
    assert_eq!(dir.read("out/b.json"), old);
    for name in ["a", "c"] {
        for (format, text) in expected(&format!("{name}.txt")) {
            let written = dir.read(&format!("out/{name}.{}", format.extension()));
            assert!(
                written == text.as_bytes(),
                "out/{name}.{format} as rendered"
            );
        }
    }
    let expected_files: Vec<PathBuf> = [
        "a.txt",
        "b.txt",
        "c.txt",
        "out/a.json",
        "out/a.md",
        "out/a.yaml",
        "out/b.json",
        "out/c.json",
        "out/c.md",
        "out/c.yaml",
    ]
    .map(PathBuf::from)
    .to_vec();
    assert_eq!(files(&dir), expected_files, "no temporary files left");
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = TestDir::new();
    dir.write("yanchi.txt", sample_bytes());
    for args in [
        &["convert"][..],
        &["convert", "yanchi.txt", "--to", "xml"],
        &["frobnicate"],
    ] {
        let run = dir.qingdan(args);
        assert_eq!(
            run.status.code(),
            Some(2),
            "qingdan {args:?}: {}",
            stderr(&run)
        );
    }
    assert_eq!(
        files(&dir),
        [PathBuf::from("yanchi.txt")],
        "nothing written"
    );
}
