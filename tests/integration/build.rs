//! `qingdan build`: a folder of editions, in parallel, deterministic, checked.

use qingdan::internals::Encoding;

use crate::support::{sample, stderr, TestDir};

/// The sample with its place names replaced, so it reads as another township.
fn renamed(township: &str) -> String {
    sample().replace("盐池镇", township)
}

/// A collection of several editions in several encodings and folders.
fn collection() -> TestDir {
    let dir = TestDir::new();
    dir.write("input/hami-yiwu-yanchi.txt", sample());
    dir.write(
        "input/xinjiang/tuergang.txt",
        Encoding::Gb18030.encode(&renamed("吐尔干乡").replace('\n', "\r\n")),
    );
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(Encoding::Utf16Le.encode(&renamed("前山哈萨克族乡")));
    dir.write("input/xinjiang/qianshan.txt", utf16);
    dir.write("input/naomaohu.txt", renamed("淖毛湖镇"));
    dir
}

#[test]
fn outputs_are_byte_identical_whatever_the_number_of_jobs() {
    let dir = collection();
    let mut snapshots = Vec::new();
    for jobs in ["1", "2", "4"] {
        let out = format!("out{jobs}");
        let run = dir.qingdan(&["build", "--output", &out, "--jobs", jobs]);
        assert!(run.status.success(), "{}", stderr(&run));
        let files: Vec<_> = dir
            .snapshot()
            .into_iter()
            .filter_map(|(path, bytes)| {
                path.strip_prefix(&out)
                    .ok()
                    .map(|p| (p.to_path_buf(), bytes))
            })
            .collect();
        snapshots.push(files);
    }
    let names: Vec<String> = snapshots[0]
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "hami-yiwu-yanchi.json",
            "hami-yiwu-yanchi.md",
            "hami-yiwu-yanchi.yaml",
            "index.json",
            "index.md",
            "naomaohu.json",
            "naomaohu.md",
            "naomaohu.yaml",
            "xinjiang/qianshan.json",
            "xinjiang/qianshan.md",
            "xinjiang/qianshan.yaml",
            "xinjiang/tuergang.json",
            "xinjiang/tuergang.md",
            "xinjiang/tuergang.yaml",
        ]
    );
    assert_eq!(snapshots[0], snapshots[1], "--jobs 1 and 2 differ");
    assert_eq!(snapshots[0], snapshots[2], "--jobs 1 and 4 differ");
}

#[test]
fn index_lists_every_edition_with_region_counts_and_digest() {
    let dir = collection();
    let run = dir.qingdan(&["build"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let index: serde_json::Value = serde_json::from_slice(&dir.read("output/index.json")).unwrap();
    let editions = index["editions"].as_array().unwrap();
    let inputs: Vec<&str> = editions
        .iter()
        .map(|e| e["input"].as_str().unwrap())
        .collect();
    assert_eq!(
        inputs,
        [
            "hami-yiwu-yanchi.txt",
            "naomaohu.txt",
            "xinjiang/qianshan.txt",
            "xinjiang/tuergang.txt"
        ]
    );
    assert_eq!(editions[3]["region"]["township"], "吐尔干乡");
    assert_eq!(
        editions[3]["sha256"],
        qingdan::internals::sha256_hex(&dir.read("input/xinjiang/tuergang.txt"))
    );
    let counts: Vec<u64> = editions[0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["items"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [109, 108, 48]);
    assert_eq!(index["totals"]["items"], 4 * 265);
    let md = String::from_utf8(dir.read("output/index.md")).unwrap();
    assert!(
        md.contains("| xinjiang/tuergang.txt | 新疆维吾尔自治区 哈密市 伊吾县 吐尔干乡 |"),
        "{md}"
    );
}

#[test]
fn check_names_stale_missing_and_orphaned_outputs_and_writes_nothing() {
    let dir = collection();
    dir.write("input/old/gone.txt", renamed("下马崖乡"));
    let first = dir.qingdan(&["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let clean = dir.qingdan(&["build", "--check"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    std::fs::remove_file(dir.path().join("input/old/gone.txt")).unwrap();
    // A file of the user's is nobody's business, whatever its name.
    dir.write("output/old/mine.json", "{}");

    dir.write(
        "input/naomaohu.txt",
        renamed("淖毛湖镇").replace("负责机关事务管理工作", "负责机关事务管理"),
    );
    std::fs::remove_file(dir.path().join("output/xinjiang/qianshan.yaml")).unwrap();
    let before = dir.snapshot();
    let run = dir.qingdan(&["build", "--check"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    for expected in [
        "stale: output/naomaohu.json",
        "stale: output/naomaohu.md",
        "stale: output/naomaohu.yaml",
        "stale: output/index.json",
        "missing: output/xinjiang/qianshan.yaml",
        "orphaned: output/old/gone.json",
    ] {
        assert!(err.contains(expected), "`{expected}` not in:\n{err}");
    }
    assert!(!err.contains("stale: output/hami-yiwu-yanchi"), "{err}");
    assert!(!err.contains("mine.json"), "{err}");
    assert_eq!(dir.snapshot(), before, "--check wrote something");
}

#[test]
fn prune_deletes_orphans_and_a_plain_build_keeps_them() {
    let dir = collection();
    dir.write("input/old/gone.txt", renamed("下马崖乡"));
    let first = dir.qingdan(&["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    std::fs::remove_file(dir.path().join("input/old/gone.txt")).unwrap();
    let run = dir.qingdan(&["build"]);
    assert!(run.status.success());
    assert!(
        stderr(&run).contains("output/old/gone.json is orphaned"),
        "{}",
        stderr(&run)
    );
    assert!(dir.path().join("output/old/gone.json").exists());
    // The index remembers the orphans, so a later --prune still knows them.
    let index = String::from_utf8(dir.read("output/index.json")).unwrap();
    assert!(
        index.contains("\"orphaned\": [\n    \"old/gone.json\""),
        "{index}"
    );
    let run = dir.qingdan(&["build", "--prune"]);
    assert!(run.status.success());
    for ext in ["json", "yaml", "md"] {
        assert!(stderr(&run).contains(&format!("pruned: output/old/gone.{ext}\n")));
        assert!(!dir.path().join(format!("output/old/gone.{ext}")).exists());
    }
    assert!(dir.qingdan(&["build", "--check"]).status.success());
}

#[test]
fn one_broken_edition_does_not_stop_the_others() {
    let dir = collection();
    assert!(dir.qingdan(&["build"]).status.success());
    let old = dir.read("output/naomaohu.json");
    // Lose a tab in a cooperative row: the edition no longer converts.
    dir.write(
        "input/naomaohu.txt",
        renamed("淖毛湖镇").replacen("推荐县级以上党代表工作\t", "推荐县级以上党代表工作", 1),
    );
    dir.write("input/new.txt", renamed("新镇"));
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("error[E004]"), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("input/naomaohu.txt:"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        dir.read("output/naomaohu.json"),
        old,
        "a failed edition's output changed"
    );
    assert!(dir.path().join("output/new.json").exists());
    let index: serde_json::Value = serde_json::from_slice(&dir.read("output/index.json")).unwrap();
    assert_eq!(index["totals"]["failed"], 1);
}

#[test]
fn logs_have_no_carriage_returns_or_escape_codes_off_a_terminal() {
    let dir = collection();
    dir.write("input/broken.txt", "不是清单");
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("qingdan: built"))
        .collect();
    assert_eq!(summary.len(), 1, "{err}");
    assert!(
        summary[0].starts_with("qingdan: built 5 editions (1 failed): 1060 items,"),
        "{}",
        summary[0]
    );
}
