//! Stage 5, **validate**: checks on the finished records.
//!
//! Checks that need the whole edition (numbering, the contents page against
//! where sections really start) live here; checks on one cell's text are made
//! in `normalize`, where the cell's position is at hand.

use crate::diagnostic::{Code, Diagnostic, Facts, Position};
use crate::model::{Edition, Section, SectionKind};
use crate::parse::ContentsLine;
use crate::vocabulary::{words, Vocabulary};

/// Checks an edition, adding what it finds to `diagnostics`.
pub fn validate(
    edition: &Edition,
    contents: &[ContentsLine<'_>],
    vocabulary: &Vocabulary,
    diagnostics: &mut Vec<Diagnostic>,
) {
    check_numbering(edition, diagnostics);
    check_contents(edition, contents, vocabulary, diagnostics);
}

/// Items should be numbered 1, 2, 3, … in each section.
fn check_numbering(edition: &Edition, diagnostics: &mut Vec<Diagnostic>) {
    for section in &edition.sections {
        // Wide enough that the number after the largest item number is no
        // wrap to 0.
        let mut expected: u64 = 1;
        for item in &section.items {
            let seq = u64::from(item.seq);
            if seq != expected {
                let problem = if seq > expected {
                    format!("items {expected}–{} are missing", item.seq - 1)
                } else {
                    "the numbering goes back".to_owned()
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::Numbering,
                        Position::new(
                            item.source.lines().map_or(1, |(first, _)| first),
                            1,
                            item.seq.to_string().len() as u32,
                        ),
                        format!(
                            "expected item number {expected} in the {} list, found {}",
                            section.kind.as_str(),
                            item.seq
                        ),
                    )
                    .with_label(problem)
                    .with_facts(Facts::Count {
                        expected,
                        found: u64::from(item.seq),
                    })
                    .with_help("check for a lost, duplicated or misnumbered item"),
                );
            }
            expected = seq + 1;
        }
    }
}

/// Each contents entry should name a section of the edition (one it lacks
/// is an error: the file was most likely cut off), and the page that section
/// starts on.
fn check_contents(
    edition: &Edition,
    contents: &[ContentsLine<'_>],
    vocabulary: &Vocabulary,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for entry in contents {
        let section = edition
            .sections
            .iter()
            .find(|s| names(entry, s, vocabulary));
        let Some(section) = section else {
            diagnostics.push(missing_section(edition, entry));
            continue;
        };
        // Word documents and workbooks have no pages qingdan can see.
        let Some(first_page) = section.first_page else {
            continue;
        };
        if first_page != entry.page {
            diagnostics.push(
                Diagnostic::new(
                    Code::ContentsPage,
                    Position::new(entry.line, 1, 1),
                    format!(
                        "expected the contents to give page {} for `{}`, found page {}",
                        first_page, entry.title, entry.page
                    ),
                )
                .with_facts(Facts::Count {
                    expected: u64::from(first_page),
                    found: u64::from(entry.page),
                })
                .with_help(format!("change the page number to {first_page}")),
            );
        }
    }
}

/// Does contents `entry` name `section`? One title ends with the other
/// (`基本履职事项清单`, `某镇基本履职事项清单`), with or without the list word
/// `清单`, or both name the same kind of list.
fn names(entry: &ContentsLine<'_>, section: &Section, vocabulary: &Vocabulary) -> bool {
    let (a, b) = (bare_title(entry.title), bare_title(&section.title));
    let kind = vocabulary
        .section_kind(entry.title)
        .filter(|&k| k != SectionKind::Other);
    (!a.is_empty() && !b.is_empty() && (a.ends_with(b) || b.ends_with(a)))
        || kind == Some(section.kind)
}

/// A title without the list word `清单` at its end.
fn bare_title(title: &str) -> &str {
    title
        .trim_end_matches(words().titles.list_word.as_str())
        .trim_end()
}

/// The error for a contents entry whose list never appears, saying where the
/// lists that do appear end.
fn missing_section(edition: &Edition, entry: &ContentsLine<'_>) -> Diagnostic {
    let last_line = edition
        .sections
        .iter()
        .flat_map(|s| s.items.last())
        .filter_map(|item| item.source.lines().map(|(_, last)| last))
        .max();
    let found = match last_line {
        Some(line) => format!("found none: the last list ends at line {line}"),
        None => "found no list with items".to_owned(),
    };
    let title = Position::new(entry.line, entry.column, entry.title.chars().count() as u32);
    let message = format!(
        "expected a list titled `{}` (contents entry {}, page {}), {found}",
        entry.title, entry.number, entry.page
    );
    Diagnostic::new(Code::MissingSection, title, message)
        .with_label("named here, never found")
        .with_help("the edition looks truncated (cut off before this list): re-export it in full; if the list was left out on purpose, remove its contents entry")
}
