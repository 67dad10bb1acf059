//! Properties over broken input: nothing panics, nothing breaks the schema,
//! every edition's workbook reads back into its records, and every position a diagnostic reports lies inside the input and points
//! at the text its message names. Case counts are kept small so `cargo test`
//! stays fast; `fuzz/` searches the same space longer.

use proptest::prelude::*;
use qingdan::read::Syntax;
use qingdan::{Conversion, Diagnostic, Format, Options, Position};

use crate::support::{convert, rendered, sample};

/// A few pages of each list of the sample, with its front matter: small
/// enough to convert many times, and still every kind of row and break.
fn excerpt() -> Vec<String> {
    let text = sample();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::new();
    for range in [0..60, 404..431, 584..600] {
        out.extend(lines[range].iter().map(|l| (*l).to_owned()));
    }
    out
}

/// Converts, renders every output, and checks what must always hold.
fn check(bytes: &[u8]) -> Conversion {
    let conversion = convert("prop.txt", bytes);
    for d in &conversion.diagnostics {
        let _ = qingdan::render_human("prop.txt", conversion.text.as_deref(), d, false);
        if let Some(text) = &conversion.text {
            assert_points_into(text, d);
        }
    }
    if let Some(edition) = &conversion.edition {
        for format in Format::ALL {
            // JSON and YAML read back as valid outputs: the schema holds.
            let syntax = match format {
                Format::Json => Syntax::Json,
                Format::Yaml => Syntax::Yaml,
                _ => continue,
            };
            let output = rendered(format, edition);
            let read = qingdan::read::check(output.as_bytes(), syntax, &Options::new());
            assert!(
                !read.conversion.has_errors(),
                "{format}: {:?}",
                read.conversion.diagnostics
            );
        }
        crate::workbook::assert_reads_back(edition, "prop.xlsx");
    }
    conversion
}

/// Every position of `diagnostic` lies inside `text`, and the primary one
/// spans exactly the text its message says was found (the first quoted text
/// after "found"), when the message quotes it.
fn assert_points_into(text: &str, diagnostic: &Diagnostic) {
    let lines: Vec<&str> = text.split('\n').collect();
    let spanned = |position: Position| -> String {
        let line = lines
            .get(position.line as usize - 1)
            .unwrap_or_else(|| panic!("line {} of {}: {diagnostic:?}", position.line, lines.len()));
        let chars: Vec<char> = line.chars().collect();
        let start = position.column as usize - 1;
        let end = start + position.len as usize;
        assert!(
            position.line >= 1 && position.column >= 1 && end <= chars.len() + 1,
            "{position:?} outside line {} ({} characters): {diagnostic:?}",
            position.line,
            chars.len()
        );
        chars[start.min(chars.len())..end.min(chars.len())]
            .iter()
            .collect()
    };
    for note in &diagnostic.notes {
        spanned(note.position);
    }
    let at = spanned(diagnostic.position);
    if let Some(found) = quoted_after_found(&diagnostic.message) {
        if found.chars().count() == diagnostic.position.len as usize {
            assert_eq!(at, found, "the span of {diagnostic:?}");
        }
    }
}

/// The first text in backticks after the word "found", if any.
fn quoted_after_found(message: &str) -> Option<&str> {
    let after = &message[message.find("found")?..];
    let open = after.find('`')? + 1;
    let close = open + after[open..].find('`')?;
    Some(&after[open..close])
}

/// One way to break an edition.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteTab(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    Truncate(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteTab),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
    ]
}

fn apply(lines: &mut Vec<String>, bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::DeleteTab(n) => {
            let tabs: Vec<(usize, usize)> = lines
                .iter()
                .enumerate()
                .flat_map(|(i, l)| l.match_indices('\t').map(move |(at, _)| (i, at)))
                .collect();
            let (i, at) = tabs[n % tabs.len()];
            lines[i].remove(at);
        }
        Mutation::DeleteLine(n) => {
            let i = n % lines.len();
            lines.remove(i);
        }
        Mutation::DuplicateLine(n) => {
            let i = n % lines.len();
            lines.insert(i, lines[i].clone());
        }
        Mutation::Truncate(n) => bytes.truncate(n % (bytes.len() + 1)),
        Mutation::Insert(n, new) => {
            let at = n % (bytes.len() + 1);
            bytes.splice(at..at, new.iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn mutated_sample_never_panics_and_points_at_what_it_reports(
        mutations in prop::collection::vec(mutation(), 1..4)
    ) {
        let mut lines = excerpt();
        let mut bytes = Vec::new();
        for m in &mutations {
            // Line edits first, on the text; byte edits on the bytes.
            if !matches!(m, Mutation::Truncate(_) | Mutation::Insert(..)) {
                apply(&mut lines, &mut bytes, m);
            }
        }
        bytes = lines.join("\n").into_bytes();
        for m in &mutations {
            if matches!(m, Mutation::Truncate(_) | Mutation::Insert(..)) {
                apply(&mut lines, &mut bytes, m);
            }
        }
        check(&bytes);
    }
}

#[test]
fn the_sample_points_at_what_it_reports() {
    let conversion = check(&crate::support::sample_bytes());
    assert!(!conversion.diagnostics.is_empty());
}

#[test]
fn excerpt_converts_cleanly() {
    let conversion = check(excerpt().join("\n").as_bytes());
    assert!(!conversion.has_errors(), "{:?}", conversion.diagnostics);
}

#[test]
fn fuzz_crashes_stay_fixed() {
    let dir = crate::support::repo().join("tests/data/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        check(&bytes);
        seen += 1;
    }
    assert!(seen > 0);
}
