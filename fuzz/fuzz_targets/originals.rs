//! The readers of Word documents and workbooks on arbitrary XML. The first
//! byte of the input chooses the container — even: a `.docx` whose
//! `word/document.xml` is the rest; odd: a workbook qingdan wrote whose
//! first sheet (`xl/worksheets/sheet1.xml`) is the rest — and the container
//! around it is valid, so libFuzzer spends its time on the XML and the
//! table logic, not on ZIP checksums. (Damaged containers themselves are
//! the property test `damaged_originals_never_panic`.) Any panic is a bug;
//! so is an edition that breaks the output schema (`E010`).

#![no_main]

use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qingdan::{Code, Format, Options};
use zip::write::SimpleFileOptions;

/// The sample, as text, to make the workbook the sheets go into.
const EDITION: &[u8] = include_bytes!("../../input/hami-yiwu-yanchi.txt");

/// The parts of the workbook qingdan writes for [`EDITION`].
fn workbook_parts() -> &'static [(String, Vec<u8>)] {
    static PARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PARTS.get_or_init(|| {
        let edition = qingdan::convert("sample.txt", EDITION, &Options::default())
            .edition
            .expect("the sample converts");
        let bytes = Format::Xlsx.render(&edition).expect("the sample fits a workbook");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a workbook");
        (0..archive.len())
            .map(|i| {
                let mut part = archive.by_index(i).expect("a part");
                let mut data = Vec::new();
                part.read_to_end(&mut data).expect("a readable part");
                (part.name().expect("a part name").into_owned(), data)
            })
            .collect()
    })
}

/// A ZIP of `parts`.
fn zip_of<'a>(parts: impl Iterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(name, SimpleFileOptions::default())
            .expect("a new part");
        zip.write_all(data).expect("written");
    }
    zip.finish().expect("a whole ZIP").into_inner()
}

fuzz_target!(|input: &[u8]| {
    let Some((&choice, xml)) = input.split_first() else {
        return;
    };
    let (path, bytes) = if choice % 2 == 0 {
        let content_types = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
        let parts = [
            ("[Content_Types].xml", &content_types[..]),
            ("word/document.xml", xml),
        ];
        ("fuzz.docx", zip_of(parts.into_iter()))
    } else {
        let parts = workbook_parts().iter().map(|(name, data)| {
            let data = if name == "xl/worksheets/sheet1.xml" { xml } else { data };
            (name.as_str(), data)
        });
        ("fuzz.xlsx", zip_of(parts))
    };
    let conversion = qingdan::convert(path, &bytes, &Options::default());
    for d in &conversion.diagnostics {
        assert_ne!(d.code, Code::Schema, "schema broken: {d}");
        let _ = qingdan::render_human(path, conversion.text.as_deref(), d, false);
    }
    if let Some(edition) = &conversion.edition {
        for format in Format::ALL {
            let _ = format.render(edition);
        }
    }
});
