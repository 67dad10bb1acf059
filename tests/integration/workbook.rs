//! `--to xlsx`: the workbook officials open in Excel, WPS or LibreOffice.
//! It reads back into the records it was written from, lays each list out
//! as the issue asks (a sheet per list, title, frozen header, a category on
//! every row, a duty's steps on lines of their own), carries no date of
//! its making, and is replaced only when qingdan wrote it.

use std::io::Read;

use calamine::{Data, Reader, Xlsx};
use qingdan::{Edition, Format, ItemSource, SourceFormat};

use crate::support::{convert, sample_bytes, sample_edition, stderr, without_provenance, TestDir};

/// Asserts that the workbook of `edition` reads back (as `path`) into the
/// same records: everything but provenance, the contents' pages included.
#[track_caller]
pub fn assert_reads_back(edition: &Edition, path: &str) {
    let workbook = Format::Xlsx
        .render(edition)
        .expect("the edition fits a workbook");
    let conversion = convert(path, &workbook);
    let back = conversion
        .edition
        .unwrap_or_else(|| panic!("the workbook converts: {:?}", conversion.diagnostics));
    assert_eq!(back.source.format, SourceFormat::Xlsx);
    let pages = |e: &Edition| e.contents.iter().map(|c| c.page).collect::<Vec<_>>();
    assert_eq!(pages(&back), pages(edition), "the contents' pages");
    let (expected, found) = (without_provenance(edition), without_provenance(&back));
    for (e, f) in expected.sections.iter().zip(&found.sections) {
        for (a, b) in e.items.iter().zip(&f.items) {
            assert_eq!(a, b, "{} item {}", e.title, a.seq);
        }
    }
    assert_eq!(expected, found);
}

/// The sample's workbook, opened with calamine as a spreadsheet program
/// would.
fn sample_workbook() -> (Vec<u8>, Xlsx<std::io::Cursor<Vec<u8>>>) {
    let bytes = Format::Xlsx.render(&sample_edition()).unwrap();
    let workbook = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("a valid workbook");
    (bytes, workbook)
}

/// The text of a part of the workbook's ZIP.
fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in the workbook"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_sample_workbook_reads_back_into_the_sample_records() {
    assert_reads_back(&sample_edition(), "sample.xlsx");
}

#[test]
fn a_workbook_and_its_text_have_no_difference() {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    let run = dir.qingdan(&["convert", "in/yanchi.txt", "--to", "xlsx", "-o", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let run = dir.qingdan(&["diff", "in/yanchi.txt", "out/yanchi.xlsx"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "no difference: {}",
        stderr(&run)
    );
}

#[test]
fn each_list_is_a_sheet_named_after_it_with_its_title_and_header() {
    let (_, mut workbook) = sample_workbook();
    assert_eq!(
        workbook.sheet_names(),
        [
            "基本履职事项清单",
            "配合履职事项清单",
            "上级部门收回事项清单"
        ]
    );
    let edition = sample_edition();
    for (i, section) in edition.sections.iter().enumerate() {
        let name = &workbook.sheet_names()[i];
        let range = workbook.worksheet_range(name).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        // The first sheet opens with the edition's title, issuers and
        // contents (目录, one row per list with its page).
        let top = if i == 0 {
            assert_eq!(rows[0][0].to_string(), edition.title);
            assert_eq!(rows[1][0].to_string(), "中共伊吾县委员会 伊吾县人民政府");
            assert_eq!(rows[3][0].to_string(), "目录");
            assert_eq!(rows[5][0].to_string(), "2. 配合履职事项清单");
            // Its page stands after the list's columns, leaving the row to it.
            assert_eq!(rows[5][3], Data::Float(17.0));
            8
        } else {
            0
        };
        assert_eq!(rows[top][0].to_string(), section.title);
        let width = section.columns.len();
        let header: Vec<String> = rows[top + 1][..width].iter().map(Data::to_string).collect();
        assert_eq!(header, section.columns);
        let items = &rows[top + 2..];
        assert_eq!(items.len(), section.items.len(), "{name}: a row per item");
        for (row, item) in items.iter().zip(&section.items) {
            assert_eq!(
                row[0],
                Data::Float(f64::from(item.seq)),
                "numbers are numbers"
            );
            // Every row carries its own category: nothing merged down.
            assert_eq!(
                Some(row[1].to_string()),
                item.category,
                "{name} {}",
                item.seq
            );
            assert_eq!(row[2].to_string(), item.name);
        }
        // Only the title row is merged, across the columns.
        let merges = workbook.merge_cells_by_sheet_name(name).unwrap();
        assert_eq!(merges.len(), 1, "{name}");
        assert_eq!(merges[0].start, (top as u32, 0));
        assert_eq!(
            merges[0].end,
            (top as u32, section.columns.len() as u32 - 1)
        );
    }
}

#[test]
fn a_duty_shows_its_headings_and_steps_on_lines_of_their_own() {
    let (_, mut workbook) = sample_workbook();
    let range = workbook.worksheet_range("配合履职事项清单").unwrap();
    // Item 11 (row 13): two headed blocks, the first of two labels.
    let superior = range.get_value((12, 4)).unwrap().to_string();
    let lines: Vec<&str> = superior.lines().collect();
    assert_eq!(
        lines[0],
        "职级等级晋升： 伊吾县委组织部、伊吾县人力资源和社会保障局："
    );
    assert_eq!(
        lines[1],
        "1. 根据镇“三定”规定，核定各职级晋升、各职员等级晋升的职数；"
    );
    assert_eq!(lines[6], "6. 经会议研究后，做好职级晋升、职员等级晋升全程纪实完善归档工作，并将考察材料、任免文件、任免审批表等材料存入干部人事档案。");
    assert_eq!(
        lines[7],
        "事业单位工作人员跨岗位类别转岗聘任： 伊吾县人力资源和社会保障局："
    );
    assert_eq!(lines.len(), 10);
    // Item 1: one unheaded list of five steps, numbered as printed.
    let first = range.get_value((2, 4)).unwrap().to_string();
    assert_eq!(first.lines().count(), 5);
    assert!(first.starts_with("1. 制定换届选举方案和代表名额分配方案；\n2. 开展"));
}

#[test]
fn the_header_is_frozen_and_repeated_when_printed() {
    let (bytes, _) = sample_workbook();
    // The first sheet: front matter in rows 1–7, title 9, header 10.
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let frozen = r#"<pane ySplit="10" topLeftCell="A11" activePane="bottomLeft" state="frozen"/>"#;
    assert!(sheet.contains(frozen));
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"localSheetId="0">基本履职事项清单!$10:$10<"#));
    let second = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(second.contains(r#"<pane ySplit="2" topLeftCell="A3""#));
}

#[test]
fn the_workbook_carries_no_date_of_its_making() {
    let (bytes, _) = sample_workbook();
    let core = part(&bytes, "docProps/core.xml");
    assert!(
        core.contains(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-01-01T00:00:00Z</dcterms:created>"
        ),
        "{core}"
    );
    assert!(
        core.contains(
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-01-01T00:00:00Z</dcterms:modified>"
        ),
        "{core}"
    );
    // Every ZIP entry has the same time stamp, whatever the clock said.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let stamps: std::collections::BTreeSet<String> = (0..archive.len())
        .map(|i| format!("{:?}", archive.by_index(i).unwrap().last_modified()))
        .collect();
    assert_eq!(stamps.len(), 1, "{stamps:?}");
    assert_eq!(Format::Xlsx.render(&sample_edition()).unwrap(), bytes);
}

#[test]
fn a_workbook_qingdan_did_not_write_is_left_alone() {
    let dir = TestDir::new();
    dir.write("in/yanchi.txt", sample_bytes());
    // Someone's own workbook (the sample as a county lays it out) where the
    // output would go: not replaced, and the run fails saying so.
    let theirs = crate::fixtures::xlsx(&crate::support::sample(), Default::default());
    dir.write("out/yanchi.xlsx", &theirs);
    let run = dir.qingdan(&["convert", "in/yanchi.txt", "--to", "xlsx", "-o", "out"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("someone else's"), "{}", stderr(&run));
    assert_eq!(dir.read("out/yanchi.xlsx"), theirs);
    // Its own workbook (of another edition) it replaces.
    dir.write(
        "out/yanchi.xlsx",
        Format::Xlsx.render(&convert_ok_small()).unwrap(),
    );
    let run = dir.qingdan(&["convert", "in/yanchi.txt", "--to", "xlsx", "-o", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(dir.read("out/yanchi.xlsx") == Format::Xlsx.render(&sample_edition()).unwrap());
}

#[test]
fn build_writes_workbooks_only_when_asked_and_checks_them() {
    let dir = TestDir::new();
    dir.write("input/a.txt", sample_bytes());
    let run = dir.qingdan(&["build", "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        !dir.path().join("output/a.xlsx").exists(),
        "not in the default set"
    );
    let run = dir.qingdan(&["build", "-q", "--to", "json,xlsx"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let workbook = dir.read("output/a.xlsx");
    let edition = convert("output/a.xlsx", &workbook).edition.unwrap();
    assert_eq!(edition.sections.len(), 3);
    let run = dir.qingdan(&["build", "-q", "--check", "--to", "json,xlsx"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // A workbook changed by hand is out of date.
    let mut changed = workbook.clone();
    let at = changed.len() - 30;
    changed[at] ^= 1;
    dir.write("output/a.xlsx", &changed);
    let run = dir.qingdan(&["build", "-q", "--check", "--to", "json,xlsx"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("output/a.xlsx"), "{}", stderr(&run));
}

#[test]
fn item_sources_of_a_read_back_workbook_are_sheet_rows() {
    let workbook = Format::Xlsx.render(&sample_edition()).unwrap();
    let edition = convert("sample.xlsx", &workbook).edition.unwrap();
    let ItemSource::Sheet(first) = &edition.sections[1].items[0].source else {
        panic!("a workbook's item has a sheet row");
    };
    assert_eq!((first.sheet.as_str(), first.row), ("配合履职事项清单", 3));
}

#[test]
fn a_build_into_its_own_input_folder_passes_over_its_workbooks_and_never_writes_over_an_edition() {
    let dir = TestDir::new();
    dir.write("lists/yanchi.txt", sample_bytes());
    let build = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "--input",
            "lists",
            "--output",
            "lists",
            "--to",
            "json,xlsx",
        ];
        args.extend(extra);
        dir.qingdan(&args)
    };
    let run = build(&[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let written = dir.read("lists/yanchi.xlsx");
    // Again: its own workbook is not an edition (else it and the text would
    // share their outputs' names, and neither would be converted).
    let run = build(&[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stderr(&run).contains(
        "note: skipped lists/yanchi.xlsx: one of the outputs the last build wrote here, not an edition"
    ));
    assert!(dir.read("lists/yanchi.xlsx") == written);
    let run = build(&["--check"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));

    // An official's edited copy of it is an edition: converted, and never
    // replaced by its own output, though it carries qingdan's signature.
    let mut edited = Format::Xlsx.render(&convert_ok_small()).unwrap();
    edited.extend_from_slice(b"\n");
    dir.write("lists/edited.xlsx", &edited);
    let run = build(&[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("lists/edited.xlsx: cannot write: it is an edition being converted"),
        "{}",
        stderr(&run)
    );
    assert!(
        dir.read("lists/edited.xlsx") == edited,
        "the edition is as it was"
    );
    let run = build(&["--check"]);
    assert!(
        stderr(&run).contains("blocked: lists/edited.xlsx (an edition"),
        "{}",
        stderr(&run)
    );
    let run = dir.qingdan(&[
        "convert",
        "lists/edited.xlsx",
        "-o",
        "lists",
        "--to",
        "xlsx",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(dir.read("lists/edited.xlsx") == edited);
}

/// The tests' small edition, converted.
fn convert_ok_small() -> Edition {
    crate::support::convert_ok("small.txt", crate::support::SMALL_EDITION.as_bytes())
}

#[test]
fn an_edition_too_large_for_a_workbook_is_refused_naming_the_cell_and_nothing_is_written() {
    // A name of 40,000 characters: more than the 32,767 an Excel cell holds.
    let long = "长".repeat(40_000);
    let text = crate::support::sample().replacen("以铸牢中华民族共同体意识为主线", &long, 1);
    let dir = TestDir::new();
    dir.write("in/long.txt", &text);
    let run = dir.qingdan(&["convert", "in/long.txt", "--to", "json,xlsx", "-o", "out"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.contains("error: out/long.xlsx: cannot write: expected at most 32767 characters in a cell, as a workbook holds, found 40051 at 哈密市伊吾县盐池镇基本履职事项清单, item 2, 事项名称; the other formats hold it: leave `xlsx` out of `--to`"),
        "{err}"
    );
    assert!(
        !dir.path().join("out/long.json").exists(),
        "an edition's outputs are written all or none"
    );
    let run = dir.qingdan(&["convert", "in/long.txt", "--to", "json", "-o", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // build: that edition fails, its outputs not written; the index says why.
    dir.write("input/long.txt", &text);
    let run = dir.qingdan(&["build", "-q", "--to", "json,xlsx"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!dir.path().join("output/long.xlsx").exists());
    let index: serde_json::Value = serde_json::from_slice(&dir.read("output/index.json")).unwrap();
    assert_eq!(index["editions"][0]["status"], "failed");
}
