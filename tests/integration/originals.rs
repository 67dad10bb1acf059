//! Word documents and workbooks: read into the same records as the text,
//! whatever the layout; provenance and diagnostics in the file's terms;
//! bad containers refused with a located error.

use qingdan::{Code, Edition, ItemSource, Options, SourceFormat};

use crate::fixtures::{self, Layout};
use crate::support::{
    convert_ok, sample, sample_edition, stderr, stdout, without_provenance, TestDir,
};

/// Asserts that `edition` holds the sample's records, item by item.
fn assert_sample_records(edition: &Edition, what: &str) {
    let mut expected = without_provenance(&sample_edition());
    if edition.contents.is_empty() {
        expected.contents.clear(); // a workbook has no contents page
    }
    let found = without_provenance(edition);
    let mut differ = Vec::new();
    for (e, f) in expected.sections.iter().zip(&found.sections) {
        for (a, b) in e.items.iter().zip(&f.items) {
            if a != b {
                differ.push((e.kind, a.seq, format!("{a:?}\n{b:?}")));
            }
        }
        assert_eq!(e.items.len(), f.items.len(), "{what}: {}", e.title);
    }
    for d in &differ {
        eprintln!("{:?} {}\n{}\n", d.0, d.1, d.2);
    }
    assert!(
        differ.is_empty(),
        "{what}: {} items differ: {:?}",
        differ.len(),
        differ.iter().map(|d| (d.0, d.1)).collect::<Vec<_>>()
    );
    assert_eq!(expected, found, "{what}");
}

#[test]
fn the_sample_as_a_word_document_gives_the_sample_records() {
    let edition = convert_ok("sample.docx", &fixtures::docx(&sample(), Layout::default()));
    assert_eq!(edition.source.format, SourceFormat::Docx);
    assert_eq!(edition.source.encoding, None);
    assert_sample_records(&edition, "docx");
}

#[test]
fn the_sample_as_a_workbook_gives_the_sample_records() {
    let edition = convert_ok("sample.xlsx", &fixtures::xlsx(&sample(), Layout::default()));
    assert_eq!(edition.source.format, SourceFormat::Xlsx);
    let mut found = edition.clone();
    found.contents.clear();
    assert_sample_records(&found, "xlsx");
    let ItemSource::Sheet(first) = &edition.sections[0].items[0].source else {
        panic!("a workbook's item has a sheet row");
    };
    assert_eq!((first.row, first.last_row), (5, None));
}

#[test]
fn every_word_layout_gives_the_sample_records() {
    let layouts = [
        (
            "categories merged down",
            Layout {
                merge_categories: true,
                ..Layout::default()
            },
        ),
        (
            "Word numbering",
            Layout {
                word_numbering: true,
                ..Layout::default()
            },
        ),
        (
            "title rows inside tables",
            Layout {
                title_rows: true,
                ..Layout::default()
            },
        ),
        (
            "tables going on untitled",
            Layout {
                untitled_continuations: true,
                merge_categories: true,
                ..Layout::default()
            },
        ),
    ];
    for (what, layout) in layouts {
        let docx = fixtures::docx(&sample(), layout);
        assert_sample_records(&convert_ok("sample.docx", &docx), what);
    }
}

#[test]
fn every_workbook_layout_gives_the_sample_records() {
    let layouts = [
        (
            "categories merged down",
            Layout {
                merge_categories: true,
                ..Layout::default()
            },
        ),
        (
            "every list on one sheet",
            Layout {
                one_sheet: true,
                ..Layout::default()
            },
        ),
    ];
    for (what, layout) in layouts {
        let mut edition = convert_ok("sample.xlsx", &fixtures::xlsx(&sample(), layout));
        edition.contents.clear();
        assert_sample_records(&edition, what);
    }
}

#[test]
fn a_workbook_without_an_edition_title_takes_the_region_from_its_list_titles() {
    let layout = Layout {
        no_front: true,
        ..Layout::default()
    };
    let edition = convert_ok("sample.xlsx", &fixtures::xlsx(&sample(), layout));
    assert_eq!(edition.title, "");
    assert_eq!(edition.region, sample_edition().region);
    assert_eq!(edition.region.code.as_deref(), Some("650522102"));
}

/// The one error converting `bytes` gives, and that nothing was written.
fn refused(file: &str, bytes: &[u8], args: &[&str]) -> qingdan::Diagnostic {
    let dir = TestDir::new();
    dir.write(file, bytes);
    let before = dir.snapshot();
    let run = dir.qingdan(&[&["convert", file, "--output", "out"], args].concat());
    assert_eq!(run.status.code(), Some(1), "{file}: {}", stderr(&run));
    assert_eq!(dir.snapshot(), before, "{file}: something was written");
    let max = args.last().and_then(|a| a.parse().ok()).unwrap_or(64 << 20);
    let conversion = qingdan::convert(file, bytes, &Options::new().with_max_bytes(max));
    assert_eq!(
        conversion.diagnostics.len(),
        1,
        "{:?}",
        conversion.diagnostics
    );
    conversion.diagnostics.into_iter().next().unwrap()
}

#[test]
fn bad_containers_are_located_clear_errors_and_nothing_is_written() {
    let docx = fixtures::docx(&sample(), Layout::default());
    // Cut anywhere: in the directory at the end, in the middle of a part.
    for end in [docx.len() - 10, docx.len() / 2] {
        let error = refused("cut.docx", &docx[..end], &[]);
        assert_eq!(
            error.code,
            Code::Original,
            "cut at {end}: {}",
            error.message
        );
        assert!(error.message.contains("damaged"), "{}", error.message);
    }
    let parts = |document: &str| fixtures::zip_of(&[("word/document.xml", document.to_owned())]);
    let error = refused("broken.docx", &parts("<w:document><w:body><w:p>"), &[]);
    assert_eq!(error.code, Code::Original);
    assert!(
        error
            .message
            .contains("well-formed XML in `word/document.xml`"),
        "{}",
        error.message
    );
    let error = refused(
        "prose.docx",
        &parts(
            r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:body></w:document>"#,
        ),
        &[],
    );
    assert_eq!(error.code, Code::NoList);
    assert!(
        error.message.contains("found no table (1 paragraphs)"),
        "{}",
        error.message
    );
    let error = refused(
        "other.docx",
        &fixtures::zip_of(&[("notes.txt", "甲".into())]),
        &[],
    );
    assert_eq!(error.code, Code::NotText);
    assert!(
        error.message.ends_with("a ZIP archive"),
        "{}",
        error.message
    );
    let xlsx = fixtures::xlsx(&sample(), Layout::default());
    let error = refused("cut.xlsx", &xlsx[..xlsx.len() / 2], &[]);
    assert_eq!(error.code, Code::Original, "{}", error.message);
}

#[test]
fn a_zip_bomb_is_refused_at_max_bytes_without_inflating_it_all() {
    // 64 MiB of text that deflates to a few tens of KiB.
    let body = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
        "甲".repeat(22 << 20)
    );
    let bomb = fixtures::zip_of(&[("word/document.xml", body)]);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let error = refused("bomb.docx", &bomb, &["--max-bytes", "4194304"]);
    assert_eq!(error.code, Code::TooLarge);
    assert!(
        error.message.contains(
            "unpacks to at most 4194304 bytes (`--max-bytes`), found more in `word/document.xml`"
        ),
        "{}",
        error.message
    );
}

#[test]
fn diagnostics_name_the_cell_in_the_files_own_terms_and_quote_it() {
    // A cell cut with `(未完见下页)` in Word and never continued.
    let text = sample().replacen(
        "开展人民建议征集工作",
        "开展人民建议征集工作(未完见下页)",
        1,
    );
    let conversion = qingdan::convert(
        "cut.docx",
        &fixtures::docx(&text, Layout::default()),
        &Options::new(),
    );
    let error = conversion
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(error.code, Code::NeverContinued);
    let place = error.place.as_ref().expect("placed in the document");
    assert_eq!(place.location.to_string(), "table 3, row 2, column 3");
    assert!(
        place.quote.starts_with("开展人民建议征集工作"),
        "{}",
        place.quote
    );
    let shown = qingdan::render_human("cut.docx", None, error, false);
    assert!(
        shown.contains(" --> cut.docx: table 3, row 2, column 3\n"),
        "{shown}"
    );
    assert!(
        shown.contains("| 开展人民建议征集工作(未完见下页)"),
        "{shown}"
    );
    // A row with a cell too many in a workbook: item 12, on the third page
    // (rows 1–2 title and issuers, each page a title row, a header row, its
    // items and a blank row: 3–8, 10–18, 20–22).
    let text = sample().replacen(
        "\t开展人民建议征集工作",
        "\t开展人民建议征集工作\t多出的一格",
        1,
    );
    let conversion = qingdan::convert(
        "extra.xlsx",
        &fixtures::xlsx(&text, Layout::default()),
        &Options::new(),
    );
    let error = conversion
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(error.code, Code::CellCount);
    let place = error.place.as_ref().expect("placed in the workbook");
    assert_eq!(
        place.location.to_string(),
        "哈密市伊吾县盐池镇基本履职事项清单!D22"
    );
    assert_eq!(place.quote, "多出的一格");
    let json =
        serde_json::to_value(qingdan::render_json("extra.xlsx", &conversion.diagnostics)).unwrap();
    let placed = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E004")
        .unwrap();
    assert_eq!(
        placed["place"],
        serde_json::json!({"sheet": "哈密市伊吾县盐池镇基本履职事项清单", "row": 22, "column": 4})
    );
}

#[test]
fn diff_between_the_text_and_its_word_document_and_workbook_reports_nothing() {
    let dir = TestDir::new();
    dir.write("sample.txt", sample());
    dir.write(
        "sample.docx",
        fixtures::docx(
            &sample(),
            Layout {
                merge_categories: true,
                ..Layout::default()
            },
        ),
    );
    dir.write(
        "sample.xlsx",
        fixtures::xlsx(
            &sample(),
            Layout {
                one_sheet: true,
                ..Layout::default()
            },
        ),
    );
    let run = dir.qingdan(&["diff", "sample.txt", "sample.docx"]);
    assert_eq!(
        (run.status.code(), stdout(&run).as_str()),
        (Some(0), ""),
        "{}",
        stderr(&run)
    );
    // A workbook has no contents page: that is all that differs.
    let run = dir.qingdan(&["diff", "sample.docx", "sample.xlsx", "--format", "json"]);
    let report = stdout(&run);
    assert!(!report.contains("\"items\""), "{report}");
}

#[test]
fn build_reads_word_documents_and_workbooks_by_their_bytes() {
    let dir = TestDir::new();
    dir.write("input/a.DOCX", fixtures::docx(&sample(), Layout::default()));
    dir.write("input/b.xlsx", fixtures::xlsx(&sample(), Layout::default()));
    let run = dir.qingdan(&["build"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let a: Edition = serde_json::from_slice(&dir.read("output/a.json")).unwrap();
    let b: Edition = serde_json::from_slice(&dir.read("output/b.json")).unwrap();
    assert_eq!(
        (a.source.format, b.source.format),
        (SourceFormat::Docx, SourceFormat::Xlsx)
    );
    assert_eq!(a.sections, {
        let mut s = b.sections.clone();
        for (x, y) in s.iter_mut().zip(&a.sections) {
            for (i, j) in x.items.iter_mut().zip(&y.items) {
                i.source = j.source.clone();
            }
        }
        s
    });
    let ItemSource::Table(rows) = &a.sections[1].items[64].source else {
        panic!("a Word item has table rows");
    };
    assert_eq!(rows.last_table.map(|t| t - rows.table), Some(1), "{rows:?}");
    let run = dir.qingdan(&["build", "--check"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let run = dir.qingdan(&["validate", "output/a.json", "input/b.xlsx"]);
    assert!(run.status.success(), "{}", stderr(&run));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Damaged originals — bytes changed, cut off — are diagnostics, never
    /// a panic; what converts still carries its records.
    #[test]
    fn damaged_originals_never_panic(
        xlsx in proptest::bool::ANY,
        flips in proptest::collection::vec((0.0..1.0f64, proptest::num::u8::ANY), 1..8),
        cut in 0.5..1.0f64,
    ) {
        let text = sample();
        let mut bytes = if xlsx {
            fixtures::xlsx(&text, Layout::default())
        } else {
            fixtures::docx(&text, Layout { merge_categories: true, word_numbering: true, ..Layout::default() })
        };
        for (at, byte) in flips {
            let at = (at * bytes.len() as f64) as usize % bytes.len();
            bytes[at] = byte;
        }
        bytes.truncate((cut * bytes.len() as f64) as usize);
        let conversion = qingdan::convert("damaged", &bytes, &Options::new());
        for d in &conversion.diagnostics {
            let _ = qingdan::render_human("damaged", None, d, false);
        }
        proptest::prop_assert!(conversion.edition.is_some() || conversion.has_errors());
    }
}
