//! The benchmark corpus (`examples/corpus/`) is made of valid editions that
//! convert to the sample's records, so the benchmarks measure real work.

#[path = "../../examples/corpus/mod.rs"]
mod generator;

use qingdan::{Code, Edition};

use crate::support::{convert, sample_edition, without_provenance};

use generator::{Sample, SAMPLE};

#[test]
fn corpus_split_and_original_pagination_give_the_sample_back() {
    assert_eq!(Sample::split(SAMPLE).original(), SAMPLE);
}

/// The records, without what depends on the file (source, page and line
/// numbers), the township name made the sample's and its code left out.
fn records_without_layout(edition: &Edition, township: &str) -> String {
    let mut edition = without_provenance(edition);
    edition.region.code = None;
    let json = serde_json::to_string(&edition).unwrap();
    json.replace(township, "盐池镇")
}

#[test]
fn corpus_editions_convert_to_the_sample_records_with_the_sample_warnings() {
    let sample = sample_edition();
    let sample_codes: Vec<Code> = convert("sample.txt", SAMPLE.as_bytes())
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    let expected = records_without_layout(&sample, "盐池镇");
    let split = Sample::split(SAMPLE);
    // Every encoding, several townships and page lengths.
    for index in [0, 1, 2, 3, 4, 5, 16, 29] {
        let edition = generator::edition(&split, index);
        let conversion = convert(&edition.relative, &edition.bytes);
        let codes: Vec<Code> = conversion.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, sample_codes, "diagnostics of {}", edition.relative);
        let converted = conversion.edition.expect("no errors");
        let (township, _) = generator::TOWNSHIPS[index % generator::TOWNSHIPS.len()];
        assert_eq!(
            converted.region.township.as_deref(),
            Some(township),
            "{}",
            edition.relative
        );
        // A township of 伊吾县 (650522) in the division codes.
        let code = converted.region.code.as_deref().unwrap_or_default();
        assert!(
            code.len() == 9 && code.starts_with("650522"),
            "{code}: {}",
            edition.relative
        );
        let encoding = match index % 3 {
            0 => "UTF-8",
            1 => "GB18030",
            _ => "UTF-16LE",
        };
        assert_eq!(
            converted.source.encoding.as_deref(),
            Some(encoding),
            "{}",
            edition.relative
        );
        assert_eq!(
            records_without_layout(&converted, township),
            expected,
            "records of {}",
            edition.relative
        );
    }
}

#[test]
fn corpus_repagination_keeps_rows_and_caps_rows_per_page() {
    let split = Sample::split(SAMPLE);
    assert_eq!(split.page_sizes().len(), 102);
    for rows_per_page in [3, 7, 12] {
        let text = split.paginate(rows_per_page);
        let again = Sample::split(&text);
        assert_eq!(again.rows(), split.rows(), "{rows_per_page} rows per page");
        let sizes = again.page_sizes();
        assert!(
            sizes.iter().all(|&n| 0 < n && n <= rows_per_page),
            "{sizes:?}"
        );
        assert_ne!(sizes, split.page_sizes());
    }
}

#[test]
fn every_output_of_a_100_edition_corpus_matches_the_schemas() {
    let dir = crate::support::TestDir::new();
    generator::write(&dir.path().join("input"), 100).unwrap();
    let build = dir.qingdan(&["build", "--quiet"]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        crate::support::stderr(&build)
    );
    let checked = crate::support::assert_outputs_match_schemas(&dir.path().join("output"));
    assert!(checked == 0 || checked == 201, "{checked} files checked");
}
