//! Stage 5, **validate**: checks on the finished records.
//!
//! Checks that need the whole edition (numbering, the contents page against
//! where sections really start) live here; checks on one cell's text are made
//! in `normalize`, where the cell's position is at hand.

use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::Edition;
use crate::parse::ContentsLine;

/// Checks an edition, adding warnings to `diagnostics`.
pub fn validate(
    edition: &Edition,
    contents: &[ContentsLine<'_>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    check_numbering(edition, diagnostics);
    check_contents(edition, contents, diagnostics);
}

/// Items should be numbered 1, 2, 3, … in each section.
fn check_numbering(edition: &Edition, diagnostics: &mut Vec<Diagnostic>) {
    for section in &edition.sections {
        let mut expected = 1;
        for item in &section.items {
            if item.seq != expected {
                let problem = if item.seq > expected {
                    format!("items {expected}–{} are missing", item.seq - 1)
                } else {
                    "the numbering goes back".to_owned()
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::Numbering,
                        Position::new(item.source.first_line, 1, item.seq.to_string().len() as u32),
                        format!(
                            "expected item number {expected} in the {} list, found {}",
                            section.kind.as_str(),
                            item.seq
                        ),
                    )
                    .with_label(problem)
                    .with_help("check for a lost, duplicated or misnumbered item"),
                );
            }
            expected = item.seq + 1;
        }
    }
}

/// Each contents entry should name the page its section starts on.
fn check_contents(
    edition: &Edition,
    contents: &[ContentsLine<'_>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for entry in contents {
        let section = edition
            .sections
            .iter()
            .find(|s| s.title.ends_with(entry.title) || entry.title.ends_with(s.title.as_str()));
        if let Some(section) = section {
            if section.first_page != entry.page {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ContentsPage,
                        Position::new(entry.line, 1, 1),
                        format!(
                            "expected the contents to give page {} for `{}`, found page {}",
                            section.first_page, entry.title, entry.page
                        ),
                    )
                    .with_help(format!("change the page number to {}", section.first_page)),
                );
            }
        }
    }
}
