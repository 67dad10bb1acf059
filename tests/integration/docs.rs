//! The README says what the code does.

use qingdan::Code;

/// The rows of the README's `## Diagnostics` table, cells trimmed.
fn diagnostics_table() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let section = readme
        .split("\n## Diagnostics\n")
        .nth(1)
        .expect("the README has a `## Diagnostics` section");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn readme_diagnostics_table_lists_exactly_every_code() {
    let expected: Vec<Vec<String>> = Code::ALL
        .iter()
        .map(|c| {
            vec![
                c.as_str().to_owned(),
                c.severity().to_string(),
                c.summary().to_owned(),
                c.action().to_owned(),
            ]
        })
        .collect();
    assert_eq!(diagnostics_table(), expected);
}
