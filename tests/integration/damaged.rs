//! Damaged editions never convert silently: a truncated file, duplicate
//! column titles, control characters and item numbers too large are errors
//! at their line and column; lines above the title are skipped with a
//! warning and a title broken over two lines is joined.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use qingdan::{Code, Conversion, Diagnostic};

use crate::support::{
    convert, convert_ok, sample, sample_bytes, sample_edition, stderr, without_provenance, TestDir,
};

/// `(code, line, column)` of every error of a conversion, in order.
fn errors(conversion: &Conversion) -> Vec<(&'static str, u32, u32)> {
    conversion
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.as_str(), d.position.line, d.position.column))
        .collect()
}

/// The diagnostics of a conversion with `code`.
fn with_code(conversion: &Conversion, code: Code) -> Vec<&Diagnostic> {
    conversion
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The sample with every line equal to `from` replaced by `to`.
fn sample_replacing(from: &str, to: &str) -> String {
    let sample = sample();
    let lines: Vec<&str> = sample
        .split('\n')
        .map(|l| if l == from { to } else { l })
        .collect();
    lines.join("\n")
}

/// A one-page edition with `header` and one `row`.
fn small_edition(header: &str, row: &str) -> String {
    format!("某镇履职事项清单\n\n目 录\n\n1. 基本履职事项清单·····\t1\n\n某镇基本履职事项清单\n\n{header}\n{row}\n")
}

const BASIC_HEADER: &str = "序号\t事项类别\t事项名称";

#[test]
fn an_edition_cut_at_a_row_boundary_names_each_list_it_lacks() {
    // `head -c 12658`: the file ends inside the last cell of line 178 (item
    // 103, the last of the basic list), the row's tabs all there; the
    // contents page names the other two lists on lines 10 and 11.
    let cut = &sample_bytes()[..12658];
    assert!(cut.ends_with("103\t综合政务\t负责公文处理、会务保".as_bytes()));
    let conversion = convert("cut.txt", cut);
    assert_eq!(errors(&conversion), vec![("E011", 10, 4), ("E011", 11, 4)]);
    let missing = with_code(&conversion, Code::MissingSection);
    assert!(missing[0].message.contains("`配合履职事项清单`"));
    assert!(missing[0].help.as_deref().unwrap().contains("truncated"));
    assert!(conversion.edition.is_none());

    // And the command line refuses it, writing nothing.
    let dir = TestDir::new();
    dir.write("in/cut.txt", cut);
    let before = dir.snapshot();
    let run = dir.qingdan(&["convert", "in/cut.txt", "-o", "out"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("error[E011]"));
    assert_eq!(dir.snapshot(), before, "something was written");
}

#[test]
fn an_edition_cut_inside_a_header_row_is_an_error_at_that_row() {
    // `head -c 15205`: the file ends with `序号⇥` on line 194, the first
    // header row of the cooperative list: an empty column title (column 4,
    // after `序号` and the tab), a page without rows, and the withdrawn list
    // (contents line 11) missing.
    let cut = &sample_bytes()[..15205];
    assert!(cut.ends_with("序号\t".as_bytes()));
    let conversion = convert("cut.txt", cut);
    assert_eq!(
        errors(&conversion),
        vec![("E011", 11, 4), ("E012", 194, 1), ("E013", 194, 4)]
    );
}

#[test]
fn a_header_row_with_no_rows_under_it_is_an_error_at_that_row() {
    // Cut right after the header row of the last page (line 685): every
    // list the contents name is there, but the page is empty.
    let sample = sample();
    let lines: Vec<&str> = sample.split('\n').take(685).collect();
    assert_eq!(lines[684], "序号\t事项类别\t事项名称\t承接部门及工作方式");
    let text = lines.join("\n") + "\n";
    let conversion = convert("cut.txt", text.as_bytes());
    assert_eq!(errors(&conversion), vec![("E012", 685, 1)]);
    // The one error, and what its message says was found.
    let first_error = |conversion: &qingdan::Conversion| {
        let error = conversion
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .cloned();
        let error = error.expect("an error");
        let found = error.message.rsplit_once("found ").unwrap().1.to_owned();
        (error, found)
    };
    let (error, found) = first_error(&conversion);
    assert_eq!(found, "the end of the file");
    assert!(error.notes.is_empty());

    // An empty page with a page after it: a note shows where that begins
    // (a line number in the message would mean nothing in a workbook).
    let mut lines: Vec<&str> = sample.split('\n').collect();
    let header = lines.iter().position(|l| l.starts_with("序号\t")).unwrap();
    let rows = lines[header + 1..]
        .iter()
        .take_while(|l| l.contains('\t'))
        .count();
    lines.drain(header + 1..header + 1 + rows);
    let (error, found) = first_error(&convert("empty.txt", lines.join("\n").as_bytes()));
    assert_eq!(
        error.message,
        "expected rows under the header row, found the next page"
    );
    assert_eq!(found, "the next page");
    let note = &error.notes[0];
    assert_eq!(
        lines[note.position.line as usize - 1],
        "哈密市伊吾县盐池镇基本履职事项清单"
    );
    assert_eq!(note.label, "the next page starts here");
}

#[test]
fn an_empty_column_title_in_the_middle_is_an_error_at_its_column() {
    let text = small_edition("序号\t\t事项名称", "1\t甲\t乙");
    let conversion = convert("x.txt", text.as_bytes());
    assert_eq!(errors(&conversion), vec![("E013", 9, 4)]);
}

#[test]
fn two_columns_for_one_field_are_an_error_at_the_second() {
    // `序号⇥事项名称⇥事项名称` on every page of the basic list: the category
    // column would be lost under the second name column.
    let text = sample_replacing(BASIC_HEADER, "序号\t事项名称\t事项名称");
    let conversion = convert("x.txt", text.as_bytes());
    assert_eq!(errors(&conversion), vec![("E014", 15, 9)]);
    let duplicate = with_code(&conversion, Code::DuplicateColumn)[0];
    let note = duplicate.notes[0].position;
    assert_eq!((note.line, note.column), (15, 4));
    assert!(duplicate.help.is_some());
}

#[test]
fn two_unknown_columns_of_one_title_are_an_error_at_the_second() {
    let text = small_edition("序号\t事项名称\t备注\t备注", "1\t甲\t乙\t丙");
    let conversion = convert("x.txt", text.as_bytes());
    // `序号⇥事项名称⇥` is 8 characters: the first `备注` at 9, the second at 12.
    assert_eq!(errors(&conversion), vec![("E014", 9, 12)]);
    let note = with_code(&conversion, Code::DuplicateColumn)[0].notes[0].position;
    assert_eq!((note.line, note.column), (9, 9));
    // Different titles stay two columns under `extra`.
    let text = small_edition("序号\t事项名称\t备注\t说明", "1\t甲\t乙\t丙");
    let edition = convert_ok("x.txt", text.as_bytes());
    let extra = &edition.sections[0].items[0].extra;
    assert_eq!(
        (extra["备注"].as_str(), extra["说明"].as_str()),
        ("乙", "丙")
    );
}

#[test]
fn lines_above_the_title_are_skipped_with_a_warning() {
    let expected = without_provenance(&sample_edition());
    for front in ["附件1", "附件", "附件：", "附件 2", "伊党办发〔2025〕12号"] {
        let text = format!("{front}\n{}", sample());
        let conversion = convert("x.txt", text.as_bytes());
        let edition = conversion.edition.clone().expect("converts");
        assert_eq!(edition.title, expected.title, "{front}");
        assert_eq!(edition.region, expected.region, "{front}");
        assert_eq!(edition.issuers, expected.issuers, "{front}");
        assert_eq!(without_provenance(&edition), expected, "{front}");
        let skipped = with_code(&conversion, Code::SkippedFrontLine);
        assert_eq!(skipped.len(), 1, "{front}");
        assert_eq!(skipped[0].position.line, 1);
    }
}

#[test]
fn a_title_broken_over_two_lines_is_joined() {
    let title = "新疆维吾尔自治区哈密市 伊吾县盐池镇履职事项清单";
    let expected = without_provenance(&sample_edition());
    for broken in [
        "新疆维吾尔自治区哈密市伊吾县\n盐池镇履职事项清单",
        "附件1\n新疆维吾尔自治区哈密市伊吾县\n\n盐池镇履职事项清单",
    ] {
        let text = sample_replacing(title, broken);
        assert_ne!(text, sample());
        let edition = convert_ok("x.txt", text.as_bytes());
        assert_eq!(
            edition.title,
            "新疆维吾尔自治区哈密市伊吾县盐池镇履职事项清单"
        );
        assert_eq!(without_provenance(&edition), expected, "{broken}");
    }
}

#[test]
fn leading_nul_bytes_are_an_error_at_their_line_and_column() {
    let mut bytes = b"\0\0\0".to_vec();
    bytes.extend(sample_bytes());
    let conversion = convert("x.txt", &bytes);
    assert_eq!(errors(&conversion), vec![("E015", 1, 1)]);
    assert!(conversion.diagnostics[0].message.contains("U+0000 (NUL)"));
    // The title is still found below them.
    let skipped = with_code(&conversion, Code::SkippedFrontLine);
    assert_eq!(skipped[0].notes[0].position.line, 3);
}

#[test]
fn a_control_character_in_a_cell_is_an_error_never_data() {
    // Line 16 is `1⇥党的建设⇥深入…`; put a BEL after `党的` (column 5).
    let text = sample_replacing(
        sample().split('\n').nth(15).unwrap(),
        &sample()
            .split('\n')
            .nth(15)
            .unwrap()
            .replacen("党的", "党的\u{7}", 1),
    );
    let conversion = convert("x.txt", text.as_bytes());
    assert_eq!(errors(&conversion), vec![("E015", 16, 5)]);
    assert!(conversion.edition.is_none());
}

#[test]
fn the_largest_item_number_does_not_wrap() {
    let line = sample().split('\n').nth(15).unwrap().to_owned();
    let text = sample_replacing(&line, &line.replacen('1', "4294967295", 1));
    let conversion = convert("x.txt", text.as_bytes());
    let edition = conversion.edition.as_ref().expect("only warnings");
    assert_eq!(edition.sections[0].items[0].seq, u32::MAX);
    let numbering: Vec<&str> = with_code(&conversion, Code::Numbering)
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        numbering,
        vec![
            "expected item number 1 in the basic list, found 4294967295",
            "expected item number 4294967296 in the basic list, found 2",
        ]
    );
}

#[test]
fn an_item_number_past_the_largest_is_an_error_at_it() {
    let line = sample().split('\n').nth(15).unwrap().to_owned();
    for number in ["4294967296", "99999999999999999999999"] {
        let text = sample_replacing(&line, &line.replacen('1', number, 1));
        let conversion = convert("x.txt", text.as_bytes());
        assert_eq!(errors(&conversion), vec![("E016", 16, 1)], "{number}");
        let error = with_code(&conversion, Code::SeqTooLarge)[0];
        assert!(
            error.message.contains("at most 4294967295"),
            "{}",
            error.message
        );
        assert_eq!(error.position.len, number.len() as u32);
    }
}

/// The lists the sample's contents page names, as title endings.
const SAMPLE_LISTS: [&str; 3] = ["基本履职事项清单", "配合履职事项清单", "收回事项清单"];

/// A cut of the sample either fails or has every list the contents name.
fn assert_not_silently_short(bytes: &[u8]) -> Result<(), TestCaseError> {
    let conversion = convert("cut.txt", bytes);
    if let Some(edition) = &conversion.edition {
        for list in SAMPLE_LISTS {
            prop_assert!(
                edition.sections.iter().any(|s| s.title.ends_with(list)),
                "converted without the list {list}: {:?}",
                conversion.diagnostics
            );
        }
    } else {
        prop_assert!(conversion.has_errors());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: RngSeed::Fixed(10),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_sample_cut_at_any_line_never_converts_with_lists_missing(line in 0usize..700) {
        let text = sample();
        let ends: Vec<usize> = text.match_indices('\n').map(|(at, _)| at + 1).collect();
        let cut = ends.get(line).copied().unwrap_or(text.len());
        assert_not_silently_short(&text.as_bytes()[..cut])?;
    }

    #[test]
    fn a_sample_cut_at_any_byte_never_converts_with_lists_missing(at in 0usize..140_000) {
        let bytes = sample_bytes();
        assert_not_silently_short(&bytes[..at.min(bytes.len())])?;
    }
}

#[test]
fn contents_entries_without_the_list_word_still_name_their_lists() {
    // `1. 基本履职事项·····⇥1`: the contents page may leave out `清单`.
    let text = sample().replace("事项清单·····", "事项·····");
    assert_ne!(text, sample());
    let conversion = convert("x.txt", text.as_bytes());
    assert_eq!(errors(&conversion), vec![]);
    // Each matched its own list: every page number agrees.
    assert!(with_code(&conversion, Code::ContentsPage).is_empty());
}
