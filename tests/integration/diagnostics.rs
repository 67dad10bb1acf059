//! Broken editions: each fails with exit code 1, names the right line and
//! column, and leaves the output directory exactly as it was.

use std::path::{Path, PathBuf};

use qingdan::Facts;

use crate::support::{sample, sample_bytes, stderr, stdout, TestDir};

/// The sample with `edit` applied to its lines (0-based indexes).
fn edited(edit: impl FnOnce(&mut Vec<String>)) -> Vec<u8> {
    let mut lines: Vec<String> = sample().split('\n').map(str::to_owned).collect();
    edit(&mut lines);
    lines.join("\n").into_bytes()
}

/// The facts of each diagnostic of `code` a conversion of `bytes` reports.
fn facts_of(bytes: &[u8], code: &str) -> Vec<Option<Facts>> {
    crate::support::convert("edition.txt", bytes)
        .diagnostics
        .into_iter()
        .filter(|d| d.code.as_str() == code)
        .map(|d| d.facts.map(|f| *f))
        .collect()
}

/// The 0-based index of the sample line that starts with `prefix`.
fn line_starting(lines: &[String], prefix: &str) -> usize {
    lines
        .iter()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}"))
}

/// `(code, line, column)` of every error `--format json` reports.
fn errors(json: &str) -> Vec<(String, u32, u32)> {
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(json).expect("a JSON array");
    diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as u32,
                d["column"].as_u64().unwrap() as u32,
            )
        })
        .collect()
}

/// Converts `bytes` as `input/broken.txt` into an `out/` that already holds
/// outputs; asserts exit 1, nothing touched, and the errors `expected`
/// (shown rustc-style at their line and column too).
fn assert_fails(bytes: &[u8], expected: &[(&str, u32, u32)]) {
    let dir = TestDir::new();
    dir.write("input/broken.txt", bytes);
    dir.write("out/broken.json", "{\"old\": true}\n");
    dir.write("out/broken.yaml", "old: true\n");
    dir.write("out/broken.md", "# old\n");
    let before = dir.snapshot();

    let human = dir.qingdan(&["convert", "input/broken.txt", "-o", "out"]);
    assert_eq!(human.status.code(), Some(1), "{}", stderr(&human));
    assert_eq!(dir.snapshot(), before, "the output directory changed");
    for (code, line, column) in expected {
        let header = format!("error[{code}]");
        let place = format!("--> input/broken.txt:{line}:{column}\n");
        let err = stderr(&human);
        assert!(
            err.contains(&header) && err.contains(&place),
            "expected {header} at {place} in:\n{err}"
        );
    }

    let json = dir.qingdan(&["--format", "json", "validate", "input/broken.txt"]);
    assert_eq!(json.status.code(), Some(1));
    let expected: Vec<(String, u32, u32)> = expected
        .iter()
        .map(|(c, l, col)| ((*c).to_owned(), *l, *col))
        .collect();
    assert_eq!(errors(&stdout(&json)), expected);
    assert_eq!(dir.snapshot(), before, "validate wrote something");
}

#[test]
fn empty_file_has_no_list() {
    assert_fails(b"", &[("E003", 1, 1)]);
}

#[test]
fn whitespace_only_has_no_list() {
    assert_fails(b"  \n\t\n   \r\n", &[("E003", 1, 1)]);
}

#[test]
fn binary_bytes_are_invalid_at_the_first_bad_byte() {
    // 0x00..=0xFF: `\n` (0x0A) and a lone `\r` (0x0D) end lines 1 and 2;
    // 0x80 is the first byte that is not UTF-8, the 115th character of line 3.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
    assert_fails(&bytes, &[("E002", 3, 115)]);
}

#[test]
fn chinese_prose_has_no_list() {
    let prose = "关于乡镇工作的说明\n\n本文没有任何清单，也没有表格。\n各部门要认真落实。\n";
    assert_fails(prose.as_bytes(), &[("E003", 1, 1)]);
}

#[test]
fn file_cut_in_the_middle_of_a_six_column_row() {
    // Line 420 is item 67 of the six-column cooperative list.
    let bytes = edited(|lines| {
        lines.truncate(420);
        let cut: String = lines[419].chars().take(300).collect();
        assert_eq!(lines[419].matches('\t').count(), 5);
        lines[419] = cut;
    });
    // The cut also loses the withdrawn list, which the contents name on
    // line 11.
    assert_fails(&bytes, &[("E011", 11, 4), ("E004", 420, 301)]);
}

#[test]
fn row_that_lost_a_tab() {
    // Line 16 `1⇥党的建设⇥深入…` becomes `1⇥党的建设深入…`: two cells, not three,
    // reported just after the row's last character.
    let bytes = edited(|lines| lines[15] = lines[15].replacen("党的建设\t", "党的建设", 1));
    let width = sample().split('\n').nth(15).unwrap().chars().count() as u32;
    assert_fails(&bytes, &[("E004", 16, width)]);
}

#[test]
fn continuation_part_under_the_wrong_item_number() {
    // Item 65 is cut on line 409 and continued on line 414; number the
    // continuation 200 instead.
    let mut marker = 0;
    let bytes = edited(|lines| {
        assert!(lines[413].starts_with("65\t"));
        lines[413] = lines[413].replacen("65", "200", 1);
        // The error points at the marker, from its opening bracket.
        marker = lines[413].find("(续上页)").expect("a continuation marker");
        marker = lines[413][..marker].chars().count() + 1;
    });
    let cut = sample().split('\n').nth(408).unwrap().to_owned();
    let cut_at = cut[..cut.rfind("(未完见下页)").unwrap()].chars().count() as u32 + 1;
    assert_fails(
        &bytes,
        &[("E006", 409, cut_at), ("E005", 414, marker as u32)],
    );
}

#[test]
fn cut_cell_never_continued() {
    let bytes = edited(|lines| {
        assert!(lines[413].starts_with("65\t"));
        lines.remove(413);
    });
    let cut = sample().split('\n').nth(408).unwrap().to_owned();
    let cut_at = cut[..cut.rfind("(未完见下页)").unwrap()].chars().count() as u32 + 1;
    assert_fails(&bytes, &[("E006", 409, cut_at)]);
}

#[test]
fn invalid_utf8_bytes_inside_a_utf8_file() {
    let mut bytes = sample_bytes();
    let at = bytes
        .windows("深入学习".len())
        .position(|w| w == "深入学习".as_bytes())
        .unwrap();
    bytes.insert(at, 0xFF);
    // Line 16 `1⇥党的建设⇥深入…`: the byte stands before `深`, column 8.
    assert_fails(&bytes, &[("E002", 16, 8)]);
}

#[test]
fn item_number_repeated_on_one_page() {
    let bytes = edited(|lines| {
        assert!(lines[16].starts_with("2\t"));
        lines[16].replace_range(..1, "1");
    });
    assert_fails(&bytes, &[("E007", 17, 1)]);
}

#[test]
fn input_larger_than_max_bytes() {
    let dir = TestDir::new();
    dir.write("input/big.txt", sample_bytes());
    let before = dir.snapshot();
    let run = dir.qingdan(&[
        "--max-bytes",
        "1000",
        "convert",
        "input/big.txt",
        "-o",
        "out",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("error[E001]"), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("--> input/big.txt:1:1"),
        "{}",
        stderr(&run)
    );
    assert_eq!(dir.snapshot(), before);
}

/// `(code, line, column)` of every diagnostic the library reports.
fn found(bytes: &[u8]) -> Vec<(&'static str, u32, u32)> {
    crate::support::convert("edition.txt", bytes)
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.position.line, d.position.column))
        .collect()
}

/// The sample's own warnings, at its own lines.
const SAMPLE_WARNINGS: &[(&str, u32, u32)] = &[
    ("W204", 16, 31),
    ("W206", 50, 29),
    ("W203", 425, 224),
    ("W203", 492, 499),
    ("W204", 686, 51),
    ("W204", 686, 116),
];

#[test]
fn sample_warns_of_and_and_of_disagreeing_repeats() {
    assert_eq!(found(&sample_bytes()), SAMPLE_WARNINGS);
    let conversion = crate::support::convert("edition.txt", &sample_bytes());
    let repeats: Vec<(u32, u32)> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "W203")
        .map(|d| (d.notes[0].position.line, d.position.line))
        .collect();
    assert_eq!(repeats, vec![(420, 425), (487, 492)]);
}

#[test]
fn a_misspelt_township_in_the_title_is_w211_at_its_column_with_the_nearest_names() {
    let text = sample().replacen("伊吾县盐池镇履职事项清单", "伊吾县盐地镇履职事项清单", 1);
    let mut expected = vec![("W211", 3, 16)];
    expected.extend(SAMPLE_WARNINGS);
    assert_eq!(found(text.as_bytes()), expected);
    let conversion = crate::support::convert("edition.txt", text.as_bytes());
    let warning = &conversion.diagnostics[0];
    assert_eq!(
        warning.message,
        "expected a township of the division codes (2023) under 伊吾县, found `盐地镇`, which they do not have; the region's code is null"
    );
    let help = warning.help.as_deref().unwrap();
    assert!(
        help.starts_with("the codes have under 伊吾县: 盐池镇; "),
        "{help}"
    );
    assert_eq!(
        warning.facts.as_deref(),
        Some(&Facts::Unit {
            level: "township",
            found: "盐地镇".into(),
            nearest: vec!["盐池镇"],
        })
    );
    let region = conversion.edition.unwrap().region;
    assert_eq!(
        (
            region.county.as_deref(),
            region.township.as_deref(),
            region.code
        ),
        (Some("伊吾县"), Some("盐地镇"), None)
    );
}

#[test]
fn sample_validates_and_deny_warnings_fails_it() {
    let dir = TestDir::new();
    dir.write("hami.txt", sample_bytes());
    let run = dir.qingdan(&["validate", "hami.txt"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let err = stderr(&run);
    for place in [
        "hami.txt:16:31",
        "hami.txt:686:51",
        "hami.txt:425:",
        "hami.txt:492:",
    ] {
        assert!(err.contains(place), "no warning at {place}:\n{err}");
    }
    assert!(err.contains("hami.txt:420:") && err.contains("hami.txt:487:"));
    let strict = dir.qingdan(&["--deny-warnings", "validate", "hami.txt"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn deny_warnings_writes_nothing_for_an_edition_with_warnings() {
    let dir = TestDir::new();
    dir.write("input/hami.txt", sample_bytes());
    let before = dir.snapshot();
    let run = dir.qingdan(&["--deny-warnings", "build"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(without_index(dir.snapshot()), before);
    assert_index_marks_failed(&dir, "hami.txt");
}

/// A snapshot without the collection's index, which `build` rewrites even
/// when an edition fails (it records the failure).
fn without_index(files: Vec<(PathBuf, Vec<u8>)>) -> Vec<(PathBuf, Vec<u8>)> {
    files
        .into_iter()
        .filter(|(p, _)| p != Path::new("output/index.json") && p != Path::new("output/index.md"))
        .collect()
}

/// The index lists `input` as failed.
fn assert_index_marks_failed(dir: &TestDir, input: &str) {
    let index: serde_json::Value = serde_json::from_slice(&dir.read("output/index.json")).unwrap();
    let entry = index["editions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["input"] == input)
        .expect("the edition is in the index");
    assert_eq!(entry["status"], "failed");
}

#[test]
fn numbering_gap_warns_at_the_item_after_it() {
    let mut line = 0;
    let bytes = edited(|lines| {
        let at = line_starting(lines, "5\t");
        lines.remove(at);
        line = at + 1; // item 6 moved up into item 5's line
    });
    assert!(found(&bytes).contains(&("W201", line as u32, 1)));
    let count = Facts::Count {
        expected: 5,
        found: 6,
    };
    assert_eq!(facts_of(&bytes, "W201"), [Some(count)]);
    // --format json carries them too.
    let dir = TestDir::new();
    dir.write("gap.txt", &bytes);
    let run = dir.qingdan(&["--format", "json", "validate", "gap.txt"]);
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&run)).unwrap();
    let gap = all.iter().find(|d| d["code"] == "W201").unwrap();
    assert_eq!(gap["facts"], serde_json::json!({"expected": 5, "found": 6}));
}

#[test]
fn contents_page_that_disagrees_warns_at_its_line() {
    let bytes = edited(|lines| {
        assert!(lines[9].starts_with("2. 配合"));
        lines[9] = lines[9].replace("17", "18");
    });
    assert!(found(&bytes).contains(&("W205", 10, 1)));
    let count = Facts::Count {
        expected: 17,
        found: 18,
    };
    assert_eq!(facts_of(&bytes, "W205"), [Some(count)]);
}

#[test]
fn unknown_column_warns_at_its_header_cell() {
    let bytes = edited(|lines| {
        for line in lines
            .iter_mut()
            .filter(|l| *l == "序号\t事项类别\t事项名称")
        {
            *line = "序号\t备注\t事项名称".to_owned();
        }
    });
    assert!(found(&bytes).contains(&("W207", 15, 4)));
    // No title the vocabulary knows shares a character with `备注`.
    let column = Facts::Column {
        title: "备注".into(),
        nearest: None,
    };
    assert!(facts_of(&bytes, "W207")
        .iter()
        .all(|f| f.as_ref() == Some(&column)));
}

#[test]
fn the_samples_warnings_carry_what_they_found() {
    let bytes = sample_bytes();
    let text = |found: &str| {
        Some(Facts::Text {
            found: found.into(),
        })
    };
    assert_eq!(
        facts_of(&bytes, "W204"),
        [text("and"), text("and"), text("and")]
    );
    assert_eq!(facts_of(&bytes, "W206"), [text("和")]);
    // W203 names no value: it points at both printings instead.
    assert_eq!(facts_of(&bytes, "W203"), [None, None]);
}

#[test]
fn batch_writes_the_good_files_and_still_fails() {
    let dir = TestDir::new();
    dir.write("input/a-good.txt", sample_bytes());
    dir.write("input/b-bad.txt", "");
    dir.write("output/b-bad.json", "{\"old\": true}\n");
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    for ext in ["json", "yaml", "md"] {
        assert!(!dir.read(&format!("output/a-good.{ext}")).is_empty());
    }
    assert_eq!(dir.read("output/b-bad.json"), b"{\"old\": true}\n");
    let names: Vec<String> = dir
        .snapshot()
        .into_iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(
        names,
        vec![
            "input/a-good.txt",
            "input/b-bad.txt",
            "output/a-good.json",
            "output/a-good.md",
            "output/a-good.yaml",
            "output/b-bad.json",
            "output/index.json",
            "output/index.md",
        ],
        "no temporary or partial file is left behind"
    );
}

#[test]
fn json_diagnostics_have_exactly_the_documented_fields() {
    let dir = TestDir::new();
    dir.write("e.txt", "");
    let run = dir.qingdan(&["--format", "json", "validate", "e.txt"]);
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&run)).unwrap();
    let keys: Vec<&String> = all[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["code", "severity", "file", "line", "column", "message", "help"]
    );
    assert_eq!(all[0]["file"], "e.txt");
}

#[test]
fn a_failed_write_changes_no_output_and_leaves_no_temporary_file() {
    let dir = TestDir::new();
    dir.write("input/hami.txt", sample_bytes());
    // An old output of qingdan's (it begins as they do), so it may be replaced.
    dir.write("output/hami.json", "{\n  \"schema_version\": \"0\"\n}\n");
    // A directory where the YAML output should go: that write must fail,
    // and the JSON written before it must not be replaced either.
    dir.write("output/hami.yaml/keep", "x");
    let before = dir.snapshot();
    let run = dir.qingdan(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("output/hami.yaml: cannot write"),
        "{}",
        stderr(&run)
    );
    assert_eq!(without_index(dir.snapshot()), before);
}

#[test]
fn a_decoding_error_shows_the_line_it_names() {
    // A lone CR ends a line, as in `decode`: the bad byte is on line 3.
    let dir = TestDir::new();
    dir.write("e.txt", b"one\rtwo\r\nthree \xFF four\n");
    let run = dir.qingdan(&["validate", "e.txt"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("--> e.txt:3:7"), "{err}");
    assert!(err.contains("3 | three"), "{err}");
}
