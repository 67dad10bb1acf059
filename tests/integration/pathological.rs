//! Inputs that once took quadratic time (a one-line file, a cell of many
//! `<`, many diagnostics in one cell): they give the results they should.
//! How long they take is measured by `benches/pipeline.rs`, not here.

use qingdan::{Code, SourceLines};

use crate::support::{convert, convert_ok, sample, stderr, TestDir};

/// The name of item 19 of the sample's first list, which these tests
/// replace.
const NAME_19: &str = "加强基层工会组织建设，维护职工合法权益";

/// The sample with item 19's name replaced by `name`.
fn with_name_19(name: &str) -> String {
    let text = sample();
    assert!(text.contains(NAME_19), "the sample has item 19");
    text.replacen(NAME_19, name, 1)
}

/// The line item 19 starts on in `text`.
fn line_19(text: &str) -> u32 {
    let index = text
        .lines()
        .position(|l| l.starts_with("19\t"))
        .expect("item 19's line");
    index as u32 + 1
}

/// Item 19's name after conversion.
fn name_19(text: &str) -> String {
    let edition = convert_ok("long-cell.txt", text.as_bytes());
    let item = edition.sections[0]
        .items
        .iter()
        .find(|i| i.seq == 19)
        .expect("item 19");
    item.name.clone()
}

#[test]
fn a_cell_of_many_unclosed_angle_brackets_keeps_every_one() {
    let many_lt = "<".repeat(400_000);
    assert_eq!(
        name_19(&with_name_19(&format!("甲{many_lt}乙"))),
        format!("甲{many_lt}乙")
    );
    // `<a` starts what could be a tag; with no `>` anywhere none is one.
    let many_tag_starts = "<a".repeat(100_000);
    assert_eq!(
        name_19(&with_name_19(&format!("甲{many_tag_starts}"))),
        format!("甲{many_tag_starts}")
    );
}

#[test]
fn many_page_markers_in_one_cell_are_all_removed() {
    let cell = "甲(续上页)".repeat(20_000);
    let name = name_19(&with_name_19(&cell));
    // The space a marker leaves between Chinese text goes too. Compared by
    // counts, so that a failure does not print 20,000 characters.
    assert_eq!(name.matches('甲').count(), 20_000);
    assert_eq!(name.chars().count(), 20_000, "only `甲`");
}

#[test]
fn many_latin_words_in_one_cell_are_each_located_at_their_own_column() {
    let words = 20_000;
    let text = with_name_19(&"和 and ".repeat(words));
    let conversion = convert("long-cell.txt", text.as_bytes());
    let line = line_19(&text);
    let columns: Vec<u32> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::LatinWord && d.position.line == line)
        .map(|d| d.position.column)
        .collect();
    // `19\t党的建设\t` is 8 characters; each `和 and ` is 6, `and` at 3 of
    // them. The last `and` ends the cell, with no Chinese after it.
    let expected: Vec<u32> = (0..words as u32 - 1).map(|k| 8 + 6 * k + 3).collect();
    assert_eq!(columns.len(), expected.len());
    let wrong = columns.iter().zip(&expected).position(|(a, b)| a != b);
    assert_eq!(wrong, None, "the first W204 at a wrong column");
}

#[test]
fn a_one_line_file_of_two_megabytes_yields_its_diagnostic_with_a_bounded_snippet() {
    let dir = TestDir::new();
    for (name, line) in [
        ("latin.txt", "x".repeat(2_000_000)),
        ("chinese.txt", "市".repeat(700_000)),
        ("tabs.txt", format!("x{}", "\tx".repeat(1_000_000))),
    ] {
        dir.write(name, format!("{line}\n"));
        let output = dir.qingdan(&["convert", name, "-o", "out"]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let shown = stderr(&output);
        assert!(shown.contains("error[E003]"), "{name}: {shown}");
        assert!(
            shown.contains(&format!("--> {name}:1:1")),
            "{name}: {shown}"
        );
        assert!(
            shown.len() < 2_000,
            "{name}: {} bytes of stderr",
            shown.len()
        );
    }
}

#[test]
fn diagnostics_deep_in_a_long_line_name_their_column_and_show_it() {
    let text = with_name_19(&"和 and ".repeat(20_000));
    let conversion = convert("long-cell.txt", text.as_bytes());
    let lines = SourceLines::new(&text);
    let long_line = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::LatinWord)
        .map(|d| d.position.line)
        .max_by_key(|&l| text.lines().nth(l as usize - 1).map_or(0, str::len))
        .expect("W204s");
    let last = conversion
        .diagnostics
        .iter()
        .rfind(|d| d.code == Code::LatinWord && d.position.line == long_line)
        .expect("W204s on the long line");
    assert!(last.position.column > 100_000, "{:?}", last.position);
    let shown = lines.render_human("long-cell.txt", last, false);
    let header = format!(
        "--> long-cell.txt:{}:{}",
        last.position.line, last.position.column
    );
    assert!(shown.lines().any(|l| l.trim() == header), "{shown}");
    assert!(shown.contains("和 and 和"), "{shown}");
    assert!(shown.len() < 2_000, "{} bytes", shown.len());
    // The same as rendering without the shared index.
    assert_eq!(
        qingdan::render_human("long-cell.txt", Some(&text), last, false),
        shown
    );
}

#[test]
fn an_entity_for_nul_is_kept_as_written_with_w209_and_no_nul_reaches_any_output() {
    let entities = ["&#0;", "&#x0;", "&#27;", "&#xD800;", "&#x110000;"];
    let name = format!("甲{}乙", entities.concat());
    let text = with_name_19(&name);
    let conversion = convert("nul.txt", text.as_bytes());
    let line = line_19(&text);
    let kept: Vec<(u32, u32, u32)> = conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownEntity)
        .map(|d| (d.position.line, d.position.column, d.position.len))
        .collect();
    // `19\t党的建设\t甲` is 9 characters; the entities follow one another.
    let mut column = 10;
    let expected: Vec<(u32, u32, u32)> = entities
        .iter()
        .map(|e| {
            let at = (line, column, e.len() as u32);
            column += e.len() as u32;
            at
        })
        .collect();
    assert_eq!(kept, expected);
    assert_eq!(name_19(&text), name);

    let dir = TestDir::new();
    dir.write("nul.txt", &text);
    let output = dir.qingdan(&["convert", "nul.txt", "-o", "out"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning[W209]"),
        "{}",
        stderr(&output)
    );
    for file in ["out/nul.json", "out/nul.yaml", "out/nul.md"] {
        let bytes = dir.read(file);
        assert!(!bytes.contains(&0), "{file} holds a NUL byte");
        assert!(!bytes.contains(&0x1B), "{file} holds an ESC byte");
        let shown = String::from_utf8(bytes).expect("UTF-8");
        assert!(shown.contains("#0;"), "{file} keeps the entity as written");
    }
}
