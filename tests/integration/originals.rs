//! Word documents and workbooks: read into the same records as the text,
//! whatever the layout; provenance and diagnostics in the file's terms;
//! bad containers refused with a located error.

use qingdan::{Edition, ItemSource, SourceFormat};

use crate::fixtures::{self, Layout};
use crate::support::{convert_ok, sample, sample_edition, without_provenance};

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
