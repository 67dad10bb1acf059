//! Rendering diagnostics: rustc-style snippets for people, JSON for tools.
//!
//! Diagnostics are data ([`Diagnostic`]); this module is the one place that
//! turns them into text, so parse errors, assembly errors and record checks
//! all look alike. Colour is the caller's choice (a terminal or not).

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Position, Severity};

/// A diagnostic as `--format json` prints it: flat, with the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDiagnostic<'a> {
    /// The code, e.g. `W203`.
    pub code: &'a str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The file as given on the command line.
    pub file: &'a str,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// What is wrong.
    pub message: &'a str,
    /// What to do, if known.
    pub help: Option<&'a str>,
}

/// Renders diagnostics of `file` as a JSON array's elements.
pub fn render_json<'a>(file: &'a str, diagnostics: &'a [Diagnostic]) -> Vec<FileDiagnostic<'a>> {
    diagnostics
        .iter()
        .map(|d| FileDiagnostic {
            code: d.code.as_str(),
            severity: d.severity(),
            file,
            line: d.position.line,
            column: d.position.column,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect()
}

/// Renders one diagnostic the way rustc does, with the source line shown
/// when `text` (the decoded input) is given.
pub fn render_human(
    file: &str,
    text: Option<&str>,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    let level = match diagnostic.severity() {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.as_str());
    let mut group = Group::with_title(title);
    let primary = line_span(text, diagnostic.position);
    let notes: Vec<_> = diagnostic
        .notes
        .iter()
        .map(|n| (line_span(text, n.position), n))
        .collect();
    match primary {
        Some((line_text, span)) => {
            let mut snippet = Snippet::source(line_text)
                .line_start(diagnostic.position.line as usize)
                .path(file)
                .annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(diagnostic.label.as_deref()),
                );
            for (found, note) in &notes {
                if let Some((_, span)) = found
                    .as_ref()
                    .filter(|_| note.position.line == diagnostic.position.line)
                {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(span.clone())
                            .label(note.label.as_str()),
                    );
                }
            }
            group = group.element(snippet);
        }
        None => {
            group = group.element(
                annotate_snippets::Origin::path(file)
                    .line(diagnostic.position.line as usize)
                    .char_column(diagnostic.position.column as usize),
            );
        }
    }
    for (found, note) in &notes {
        if note.position.line == diagnostic.position.line {
            continue;
        }
        if let Some((line_text, span)) = found {
            group = group.element(
                Snippet::source(*line_text)
                    .line_start(note.position.line as usize)
                    .path(file)
                    .annotation(
                        AnnotationKind::Context
                            .span(span.clone())
                            .label(note.label.as_str()),
                    ),
            );
        }
    }
    let mut report = vec![group];
    if let Some(help) = &diagnostic.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.decor_style(DecorStyle::Ascii).render(&report)
}

/// The line a position is on and the byte range it points at in that line.
fn line_span(text: Option<&str>, position: Position) -> Option<(&str, std::ops::Range<usize>)> {
    let text = text?;
    // One vectorised pass over the line ends before it, not a search per line.
    let start = match position.line.checked_sub(1)? as usize {
        0 => 0,
        n => memchr::memchr_iter(b'\n', text.as_bytes()).nth(n - 1)? + 1,
    };
    let end = memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |e| start + e);
    let line = &text[start..end];
    let start = byte_of_char(line, position.column.saturating_sub(1) as usize);
    let end = byte_of_char(
        line,
        (position.column.saturating_sub(1) + position.len.max(1)) as usize,
    );
    let end = end.max(start + line[start..].chars().next().map_or(0, char::len_utf8));
    Some((line, start..end))
}

fn byte_of_char(line: &str, n: usize) -> usize {
    line.char_indices().nth(n).map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn lines_are_found_by_number_up_to_the_last_empty_one() {
        let text = Some("一\n二三\n\n四\n");
        let at = |line| line_span(text, Position::new(line, 1, 1)).map(|(l, _)| l);
        let lines: Vec<_> = (0..=6).map(at).collect();
        assert_eq!(
            lines,
            [
                None,
                Some("一"),
                Some("二三"),
                Some(""),
                Some("四"),
                Some(""),
                None
            ]
        );
    }

    #[test]
    fn without_text_the_header_still_names_line_and_column() {
        let d = Diagnostic::new(Code::TooLarge, Position::new(1, 1, 1), "too big");
        let shown = render_human("big.txt", None, &d, false);
        assert!(shown.lines().any(|l| l == "--> big.txt:1:1"), "{shown}");
    }

    #[test]
    fn with_text_the_header_counts_characters() {
        let d = Diagnostic::new(Code::LatinWord, Position::new(2, 3, 3), "word");
        let shown = render_human("a.txt", Some("一\n二三and四"), &d, false);
        assert!(
            shown.lines().any(|l| l.trim() == "--> a.txt:2:3"),
            "{shown}"
        );
        assert!(shown.contains("^^^"), "{shown}");
    }
}
