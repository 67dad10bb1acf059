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

#[test]
fn every_guarantee_names_a_test_that_exists() {
    let root = crate::support::repo();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## Guarantees\n")
        .nth(1)
        .expect("the README has a `## Guarantees` section");
    let section = section.split("\n## ").next().unwrap();
    let mut sources = String::new();
    for entry in std::fs::read_dir(root.join("tests/integration")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            sources.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    let promises: Vec<&str> = section.split("\n- ").skip(1).collect();
    assert!(promises.len() >= 8, "{section}");
    for promise in promises {
        // The names in backticks that read like test names.
        let tests: Vec<&str> = promise
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|n| {
                n.matches('_').count() >= 3 && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
            .collect();
        assert!(!tests.is_empty(), "a promise without a test: {promise}");
        for test in tests {
            assert!(sources.contains(&format!("fn {test}(")), "no test `{test}`");
        }
    }
}
