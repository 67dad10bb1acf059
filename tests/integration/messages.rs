//! Messages that say what the file is: non-text files named, with what to
//! do; "the rest of the file is UTF-8" only when it is; UTF-16 damage told
//! as such; snippets of GB18030 and UTF-16 files decoded.

use qingdan::internals::Encoding;

use crate::support::{sample, stderr, stdout, TestDir};

/// `(code, message, help)` of every diagnostic `--format json validate`
/// reports for `file`.
fn diagnostics(dir: &TestDir, file: &str) -> Vec<(String, String, String)> {
    let run = dir.qingdan(&["--format", "json", "validate", file]);
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&run)).expect("a JSON array");
    all.iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            (text("code"), text("message"), text("help"))
        })
        .collect()
}

/// The one diagnostic for `bytes` written as `file`, which must be an error.
fn only_error(file: &str, bytes: &[u8]) -> (String, String, String) {
    let dir = TestDir::new();
    dir.write(file, bytes);
    let found = diagnostics(&dir, file);
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

/// The sample with `bad` inserted before the title of its second list.
fn broken_before_second_list(encoding: Encoding, bom: &[u8], bad: &[u8]) -> Vec<u8> {
    let text = sample();
    let at = text.find("哈密市伊吾县盐池镇配合履职事项清单").unwrap();
    let (before, after) = text.split_at(at);
    [bom, &encoding.encode(before), bad, &encoding.encode(after)].concat()
}

/// The line (from 1) of the sample that holds the second list's title.
fn second_list_line() -> usize {
    sample()
        .lines()
        .position(|l| l == "哈密市伊吾县盐池镇配合履职事项清单")
        .unwrap()
        + 1
}

#[test]
fn office_files_pdfs_images_and_programs_are_named_with_what_to_do() {
    let zip = |part: &[u8]| {
        [
            b"PK\x03\x04\x14\x00\x00\x00".as_slice(),
            part,
            b"\x00\x01\x02",
        ]
        .concat()
    };
    let utf16 =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let ole = |stream: &str| {
        [
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec(),
            vec![0; 500],
            utf16(stream),
        ]
        .concat()
    };
    let mut program = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    program.truncate(64 << 10);
    for (file, bytes, what, todo) in [
        (
            "list.xlsx",
            ole("EncryptedPackage"),
            "an encrypted (password-protected) Office document",
            "remove the password",
        ),
        (
            "list.zip.txt",
            zip(b"list.txt"),
            "a ZIP archive",
            "unpack the archive",
        ),
        (
            "list.doc.txt",
            ole("WordDocument"),
            "(.doc, .wps)",
            "libreoffice --headless --convert-to",
        ),
        (
            "list.xls.txt",
            ole("Workbook"),
            "(.xls, .et)",
            "libreoffice --headless --convert-to",
        ),
        (
            "list.pdf.txt",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(),
            "a PDF document",
            "qingdan cannot read PDF",
        ),
        (
            "scan.txt",
            b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR".to_vec(),
            "a PNG image",
            "scan or screenshot",
        ),
        (
            "scan.jpg.txt",
            b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec(),
            "a JPEG image",
            "scan or screenshot",
        ),
        (
            "qingdan.txt",
            program,
            "a program or library (ELF)",
            "check the path",
        ),
    ] {
        let (code, message, help) = only_error(file, &bytes);
        assert_eq!(code, "E020", "{file}: {message}");
        assert!(message.ends_with(what), "{file}: {message}");
        assert!(help.contains(todo), "{file}: {help}");
    }
}

#[test]
fn the_rest_of_the_file_is_called_utf8_only_when_it_is() {
    let rest = "the rest of the file is UTF-8";
    let one = broken_before_second_list(Encoding::Utf8, b"", b"\xFF");
    let (code, _, help) = only_error("one.txt", &one);
    assert_eq!(code, "E002");
    assert!(help.contains(rest), "{help}");

    let mut many = sample().into_bytes();
    for i in (1000..many.len()).step_by(997) {
        many[i] = 0xFF;
    }
    let (code, _, help) = only_error("many.txt", &many);
    assert_eq!(code, "E002");
    assert!(!help.contains(rest), "{help}");
    assert!(help.contains("more invalid spots"), "{help}");

    let traditional =
        "臺灣的行政區劃包括直轄市、縣、鄉鎮市區。這是一份繁體中文的公文範例。\n".repeat(20);
    let big5 = encoding_rs::BIG5.encode(&traditional).0;
    let (code, _, help) = only_error("big5.txt", &big5);
    assert_eq!(code, "E002");
    assert!(!help.contains(rest), "{help}");
    assert!(help.contains("iconv -f BIG5 -t UTF-8"), "{help}");

    let noise: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let (code, _, help) = only_error("noise.txt", &noise);
    assert_eq!(code, "E002");
    assert!(!help.contains(rest), "{help}");
}

#[test]
fn utf16_with_a_bom_that_is_cut_or_has_a_lone_surrogate_is_told_so() {
    let mut odd = [b"\xFF\xFE".as_slice(), &Encoding::Utf16Le.encode(&sample())].concat();
    odd.push(b'A');
    let (code, message, help) = only_error("odd.txt", &odd);
    assert_eq!(code, "E002");
    assert!(message.contains("half a UTF-16 code unit"), "{message}");
    assert!(help.contains("odd number of bytes"), "{help}");
    assert!(!help.contains("without a byte-order mark"), "{help}");

    for (encoding, bom, unit) in [
        (Encoding::Utf16Le, b"\xFF\xFE", [0x3D, 0xD8]),
        (Encoding::Utf16Be, b"\xFE\xFF", [0xDC, 0x00]),
    ] {
        let lone = broken_before_second_list(encoding, bom, &unit);
        let (code, message, help) = only_error("lone.txt", &lone);
        assert_eq!(code, "E002");
        assert!(message.contains("unpaired surrogate"), "{message}");
        assert!(help.contains("surrogate"), "{help}");
        assert!(!help.contains("without a byte-order mark"), "{help}");
    }
}

#[test]
fn snippets_of_gb18030_and_utf16_files_show_the_named_line_decoded() {
    let line = second_list_line();
    for (file, bytes) in [
        (
            "gb.txt",
            broken_before_second_list(Encoding::Gb18030, b"", b"\xFF"),
        ),
        (
            "le.txt",
            broken_before_second_list(Encoding::Utf16Le, b"\xFF\xFE", b"\x00\xDC"),
        ),
        (
            "be.txt",
            broken_before_second_list(Encoding::Utf16Be, b"\xFE\xFF", b"\xDC\x00"),
        ),
    ] {
        let dir = TestDir::new();
        dir.write(file, &bytes);
        let run = dir.qingdan(&["validate", file]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("--> {file}:{line}:1")), "{err}");
        let shown = format!("{line} | \u{FFFD}哈密市伊吾县盐池镇配合履职事项清单");
        assert!(err.lines().any(|l| l == shown), "{file}: {err}");
    }
}

/// The sample's JSON and YAML outputs, as `convert` writes them into `dir`.
fn sample_outputs(dir: &TestDir) -> (String, String) {
    dir.write("y.txt", sample());
    let run = dir.qingdan(&["convert", "y.txt", "-o", "."]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let read = |f: &str| String::from_utf8(dir.read(f)).unwrap();
    (read("y.json"), read("y.yaml"))
}

/// A diagnostic as `(code, line, column, message)`.
type Located = (String, u64, u64, String);

/// The exit status and the diagnostics `--format json ARGS` gives.
fn located(dir: &TestDir, args: &[&str]) -> (Option<i32>, Vec<Located>) {
    let run = dir.qingdan(&[&["--format", "json"], args].concat());
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout(&run)).expect("a JSON array");
    let errors = all
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            let number = |key: &str| d[key].as_u64().unwrap();
            (
                text("code"),
                number("line"),
                number("column"),
                text("message"),
            )
        })
        .collect();
    (run.status.code(), errors)
}

#[test]
fn a_json_that_is_no_qingdan_output_or_a_yaml_output_given_to_diff_is_called_that() {
    let dir = TestDir::new();
    let (json, yaml) = sample_outputs(&dir);
    dir.write("array.json", "[1,2,3]\n");
    dir.write("empty.json", "{}\n");
    dir.write("array.txt", "[1,2,3]\n");
    dir.write("old.json", &json);
    dir.write(
        "other-version.json",
        json.replacen(
            &format!("\"schema_version\": \"{}\"", qingdan::SCHEMA_VERSION),
            "\"schema_version\": \"9\"",
            1,
        ),
    );
    dir.write("yaml-output.txt", &yaml);
    for (file, found) in [
        ("array.json", "found an array"),
        ("empty.json", "found an object without `schema_version`"),
        ("array.txt", "found an array"),
        ("other-version.json", "`schema_version` \"9\""),
        ("y.yaml", "found a YAML file"),
        ("yaml-output.txt", "found a YAML file"),
    ] {
        let (status, errors) = located(&dir, &["diff", file, "old.json"]);
        assert_eq!(status, Some(2), "{file}");
        assert_eq!(errors.len(), 1, "{file}: {errors:?}");
        let (code, _, _, message) = &errors[0];
        assert_eq!(code, "E021", "{file}: {message}");
        assert!(message.contains(found), "{file}: {message}");
    }
    for file in [
        "array.json",
        "empty.json",
        "other-version.json",
        "array.txt",
    ] {
        let (status, errors) = located(&dir, &["validate", file]);
        assert_eq!(status, Some(1), "{file}");
        assert_eq!(errors.len(), 1, "{file}: {errors:?}");
        assert_eq!(errors[0].0, "E021", "{file}: {errors:?}");
    }
    dir.write("bom.json", format!("\u{FEFF}{json}"));
    let (status, errors) = located(&dir, &["validate", "y.json", "y.yaml", "bom.json"]);
    assert_eq!((status, errors), (Some(0), Vec::new()), "real outputs pass");
}

/// `text` with `line` (from 1) inserted before its line `before`.
fn with_line(text: &str, before: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines.insert(before - 1, line);
    lines.join("\n")
}

/// The line (from 1) of the first line of `text` that starts with `prefix`
/// after its indentation, at or after line `from`.
fn line_of(text: &str, prefix: &str, from: usize) -> usize {
    text.split('\n')
        .enumerate()
        .skip(from - 1)
        .find(|(_, l)| l.trim_start().starts_with(prefix))
        .unwrap()
        .0
        + 1
}

#[test]
fn duplicate_keys_and_seqs_in_outputs_are_located_errors_in_validate_and_diff() {
    let dir = TestDir::new();
    let (json, yaml) = sample_outputs(&dir);
    // A second `category` just after the first item's `name`, which comes
    // after its `category`.
    let name = line_of(&json, "\"name\":", line_of(&json, "\"items\":", 1));
    dir.write(
        "dup-key.json",
        with_line(&json, name + 1, "          \"category\": \"重复\","),
    );
    let name_yaml = line_of(&yaml, "name:", line_of(&yaml, "items:", 1));
    dir.write(
        "dup-key.yaml",
        with_line(&yaml, name_yaml + 1, "    category: 重复"),
    );
    // The second item of the basic list numbered 1 like the first.
    let second = line_of(&json, "\"seq\": 2,", 1);
    dir.write(
        "dup-seq.json",
        json.replacen("\"seq\": 2,", "\"seq\": 1,", 1),
    );
    let second_yaml = line_of(&yaml, "- seq: 2", 1);
    dir.write("dup-seq.yaml", yaml.replacen("- seq: 2\n", "- seq: 1\n", 1));
    for (file, code, line, column) in [
        ("dup-key.json", "E022", name + 1, 11),
        ("dup-key.yaml", "E022", name_yaml + 1, 5),
        ("dup-seq.json", "E023", second, 11),
        ("dup-seq.yaml", "E023", second_yaml, 5),
    ] {
        let (status, errors) = located(&dir, &["validate", file]);
        assert_eq!(status, Some(1), "{file}");
        let found: Vec<_> = errors
            .iter()
            .map(|(c, l, k, _)| (c.as_str(), *l, *k))
            .collect();
        assert_eq!(found, [(code, line as u64, column)], "{file}: {errors:?}");
        if file.ends_with(".json") {
            let (status, errors) = located(&dir, &["diff", file, "y.json"]);
            assert_eq!(status, Some(2), "{file}");
            let found: Vec<_> = errors
                .iter()
                .map(|(c, l, k, _)| (c.as_str(), *l, *k))
                .collect();
            assert_eq!(
                found,
                [(code, line as u64, column)],
                "diff {file}: {errors:?}"
            );
        }
    }
}
