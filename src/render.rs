//! Rendering diagnostics: rustc-style snippets for people, JSON for tools.
//!
//! Diagnostics are data ([`Diagnostic`]); this module is the one place that
//! turns them into text, so parse errors, assembly errors and record checks
//! all look alike. Colour is the caller's choice (a terminal or not).

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use std::borrow::Cow;

use crate::diagnostic::{Diagnostic, Facts, Location, Note, Place, Position, Severity};
use crate::lines::SourceLines;

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
    /// In a Word document or workbook, the cell: `{"table": 2, "row": 14,
    /// "column": 5}` or `{"sheet": "…", "row": 12, "column": 5}` (`line`
    /// and `column` are then those of the text qingdan made of the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<&'a Location>,
    /// The values the message names, as data (see [`Facts`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<&'a Facts>,
}

/// Renders diagnostics of `file` as a JSON array's elements.
///
/// ```
/// let conversion = qingdan::convert("empty.txt", b"", &qingdan::Options::new());
/// let json = serde_json::to_string(&qingdan::render_json("empty.txt", &conversion.diagnostics))?;
/// assert!(json.starts_with(r#"[{"code":"E003","severity":"error","file":"empty.txt","line":1"#));
/// # Ok::<(), serde_json::Error>(())
/// ```
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
            place: d.place.as_ref().map(|p| &p.location),
            facts: d.facts.as_deref(),
        })
        .collect()
}

/// Renders one diagnostic the way rustc does, with the source line shown
/// when `text` (the decoded input) is given.
///
/// This indexes `text` for the one diagnostic; to render many diagnostics of
/// one file, index it once with [`SourceLines::new`] and use
/// [`SourceLines::render_human`].
///
/// ```
/// let text = "某县某镇履职事项清单\n\n序号\t事项名称\n1\t加强党的建设\t多出的一格\n";
/// let conversion = qingdan::convert("x.txt", text.as_bytes(), &qingdan::Options::new());
/// let error = conversion.diagnostics.iter().find(|d| d.is_error()).unwrap();
/// let shown = qingdan::render_human("x.txt", conversion.text.as_deref(), error, false);
/// assert!(shown.starts_with("error[E004]: expected 2 cells as in the header row, found 3"));
/// assert!(shown.contains(" --> x.txt:4:15\n"), "{shown}");
/// ```
pub fn render_human(
    file: &str,
    text: Option<&str>,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    match text {
        Some(text) => SourceLines::new(text).render_human(file, diagnostic, color),
        None => render(file, None, diagnostic, color),
    }
}

/// Lines longer than this many bytes are shown as an excerpt around the
/// span (shorter ones whole, as the renderer trims them itself).
const LONG_LINE: usize = 1024;

/// Characters of context kept on each side of a span in an excerpt; more
/// than a terminal shows, so the renderer still decides what fits.
const CONTEXT: usize = 160;

/// Characters of a span shown at most in an excerpt.
const MAX_SPAN: usize = 320;

impl<'a> SourceLines<'a> {
    /// Renders one diagnostic of `file` (whose text this is) the way rustc
    /// does, with its line shown; a long line is shown as an excerpt around
    /// the span.
    ///
    /// ```
    /// use qingdan::{convert, Options, SourceLines};
    ///
    /// let conversion = convert("empty.txt", b"", &Options::new());
    /// let lines = SourceLines::new(conversion.text.as_deref().unwrap_or(""));
    /// let shown = lines.render_human("empty.txt", &conversion.diagnostics[0], false);
    /// assert!(shown.starts_with("error[E003]: "));
    /// assert!(shown.contains("--> empty.txt:1:1"));
    /// ```
    pub fn render_human(&self, file: &str, diagnostic: &Diagnostic, color: bool) -> String {
        render(file, Some(self), diagnostic, color)
    }

    /// The text to show for `position` and the byte range it points at in
    /// that text: the whole line, or for a long line an excerpt around the
    /// span with `...` where it was cut.
    fn excerpt(&self, position: Position) -> Option<Excerpt<'a>> {
        let range = self.line(position.line)?;
        let column = position.column.saturating_sub(1) as usize;
        let start = self.offset_of(position.line, column)?;
        let end = self.offset_of(
            position.line,
            column.saturating_add(position.len.max(1) as usize),
        )?;
        let text = self.text();
        let first_len = text[start..range.end]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        let end = end.max(start + first_len);
        if range.len() <= LONG_LINE {
            return Some(Excerpt {
                text: Cow::Borrowed(&text[range.clone()]),
                span: start - range.start..end - range.start,
                cut: false,
            });
        }
        let line = &text[range.clone()];
        let (start, end) = (start - range.start, end - range.start);
        let end = line[start..]
            .char_indices()
            .nth(MAX_SPAN)
            .map_or(end, |(i, _)| end.min(start + i));
        let from = line[..start]
            .char_indices()
            .rev()
            .nth(CONTEXT - 1)
            .map_or(0, |(i, _)| i);
        let to = line[end..]
            .char_indices()
            .nth(CONTEXT)
            .map_or(line.len(), |(i, _)| end + i);
        let mut text = String::with_capacity(to - from + 6);
        if from > 0 {
            text.push_str("...");
        }
        let shift = text.len();
        text.push_str(&line[from..to]);
        if to < line.len() {
            text.push_str("...");
        }
        Some(Excerpt {
            text: Cow::Owned(text),
            span: start - from + shift..end - from + shift,
            cut: true,
        })
    }
}

/// What is shown of one line.
struct Excerpt<'a> {
    /// The line, or an excerpt of it.
    text: Cow<'a, str>,
    /// The bytes of `text` the position points at.
    span: std::ops::Range<usize>,
    /// Is `text` an excerpt (so the renderer cannot count the column)?
    cut: bool,
}

/// Renders one diagnostic, its line taken from `lines` when given; one
/// placed in a Word document or workbook shows its cell instead.
fn render(
    file: &str,
    lines: Option<&SourceLines<'_>>,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    match &diagnostic.place {
        Some(place) => render_placed(file, place, diagnostic, color),
        None => render_lines(file, lines, diagnostic, color),
    }
}

/// Renders a diagnostic of a Word document or workbook: the cell it is in
/// quoted under `file: table 2, row 14, column 5` (or `file: 清单!E12`),
/// notes in the same cell marked in it, notes elsewhere named below.
fn render_placed(file: &str, place: &Place, diagnostic: &Diagnostic, color: bool) -> String {
    let origin = format!("{file}: {}", place.location);
    let quote = SourceLines::new(&place.quote);
    let at = |place: &Place, len| Position::new(1, place.column, len);
    let mut notes = Vec::new();
    let mut elsewhere = Vec::new();
    for note in &diagnostic.notes {
        match &note.place {
            Some(p) if p.location == place.location => notes.push(Note {
                position: at(p, note.position.len),
                place: None,
                label: note.label.clone(),
            }),
            Some(p) => elsewhere.push(format!("{}: {}", note.label, p.location)),
            None => elsewhere.push(note.label.clone()),
        }
    }
    let shown = Diagnostic {
        position: at(place, diagnostic.position.len),
        place: None,
        notes: notes.into_boxed_slice(),
        ..diagnostic.clone()
    };
    let rendered = render_lines(&origin, Some(&quote), &shown, color);
    // The cell is the place: no line and column of the quote after it.
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        match line.find(&format!("{origin}:1:")) {
            Some(start) if line.contains("--> ") => {
                let digits = &line[start + origin.len() + 3..];
                let end = digits
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(digits.len());
                out.push_str(&line[..start + origin.len()]);
                out.push_str(&digits[end..]);
            }
            _ => out.push_str(line),
        }
    }
    for note in elsewhere {
        out.push_str(&format!("  = note: {note}\n"));
    }
    out
}

/// Renders one diagnostic of a text, its line taken from `lines` when given.
fn render_lines(
    file: &str,
    lines: Option<&SourceLines<'_>>,
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
    let excerpt = |position| lines.and_then(|l| l.excerpt(position));
    let primary = excerpt(diagnostic.position);
    let notes: Vec<_> = diagnostic
        .notes
        .iter()
        .map(|n| (excerpt(n.position), n))
        .collect();
    // A note goes into the primary snippet when it is on the same line and,
    // in an excerpt, inside it.
    let same_snippet = |found: &Option<Excerpt<'_>>, note: &Note| {
        note.position.line == diagnostic.position.line
            && primary
                .as_ref()
                .zip(found.as_ref())
                .is_some_and(|(p, f)| !p.cut || (f.text == p.text && f.span.end <= p.text.len()))
    };
    // One per snippet, in order: how to correct its `file:line:column`.
    let mut fixes = Vec::new();
    match &primary {
        Some(shown) => {
            let mut snippet = snippet(file, shown, diagnostic.position).annotation(
                AnnotationKind::Primary
                    .span(shown.span.clone())
                    .label(diagnostic.label.as_deref()),
            );
            for (found, note) in &notes {
                if let Some(found) = found.as_ref().filter(|_| same_snippet(found, note)) {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(found.span.clone())
                            .label(note.label.as_str()),
                    );
                }
            }
            fixes.push(header_fix(file, shown, diagnostic.position));
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
        if same_snippet(found, note) {
            continue;
        }
        if let Some(shown) = found {
            fixes.push(header_fix(file, shown, note.position));
            group = group.element(
                snippet(file, shown, note.position).annotation(
                    AnnotationKind::Context
                        .span(shown.span.clone())
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
    let rendered = renderer.decor_style(DecorStyle::Ascii).render(&report);
    fix_headers(rendered, &fixes)
}

/// The snippet showing `shown` as line `position.line` of `file`.
fn snippet<'s>(
    file: &'s str,
    shown: &'s Excerpt<'_>,
    position: Position,
) -> Snippet<'s, annotate_snippets::Annotation<'s>> {
    Snippet::source(shown.text.as_ref())
        .line_start(position.line as usize)
        .path(file)
}

/// The renderer counts a snippet's column in the text it is given, which in
/// an excerpt is not the line's: the header it prints and the one it should,
/// for an excerpt (`None` for a whole line).
fn header_fix(file: &str, shown: &Excerpt<'_>, position: Position) -> Option<(String, String)> {
    shown.cut.then(|| {
        let counted = shown.text[..shown.span.start].chars().count() + 1;
        (
            format!("{file}:{}:{counted}", position.line),
            format!("{file}:{}:{}", position.line, position.column),
        )
    })
}

/// Applies `fixes` to the snippet headers (`-->`, `:::`) of `rendered`, the
/// k-th fix to the k-th header.
fn fix_headers(rendered: String, fixes: &[Option<(String, String)>]) -> String {
    if fixes.iter().all(Option::is_none) {
        return rendered;
    }
    let mut fixes = fixes.iter();
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        let header = line.contains("--> ") || line.contains("::: ");
        let fix = if header { fixes.next() } else { None };
        match fix.cloned().flatten() {
            Some((printed, meant)) => out.push_str(&line.replacen(&printed, &meant, 1)),
            None => out.push_str(line),
        }
    }
    out
}

/// `1 edition`, `2 editions`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn lines_are_found_by_number_up_to_the_last_empty_one() {
        let lines = SourceLines::new("一\n二三\n\n四\n");
        let at = |line| {
            lines
                .excerpt(Position::new(line, 1, 1))
                .map(|e| e.text.into_owned())
        };
        let lines: Vec<_> = (0..=6).map(at).collect();
        assert_eq!(
            lines,
            [
                None,
                Some("一".to_owned()),
                Some("二三".to_owned()),
                Some(String::new()),
                Some("四".to_owned()),
                Some(String::new()),
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

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_around_the_column() {
        let line = format!("{}and{}", "甲".repeat(100_000), "乙".repeat(100_000));
        let lines = SourceLines::new(&line);
        let d = Diagnostic::new(Code::LatinWord, Position::new(1, 100_001, 3), "word");
        let shown = lines.render_human("long.txt", &d, false);
        assert!(
            shown.lines().any(|l| l.trim() == "--> long.txt:1:100001"),
            "{shown}"
        );
        assert!(shown.contains("甲and乙"), "{shown}");
        assert!(shown.contains("^^^"), "{shown}");
        assert!(
            shown.len() < 4 * (CONTEXT * 2 + MAX_SPAN),
            "{}",
            shown.len()
        );
    }

    #[test]
    fn an_excerpt_points_at_the_same_characters_as_the_whole_line() {
        let line = format!("{}x{}", "a".repeat(5000), "b".repeat(5000));
        let lines = SourceLines::new(&line);
        let excerpt = lines.excerpt(Position::new(1, 5001, 1)).expect("line 1");
        assert!(excerpt.cut);
        assert_eq!(&excerpt.text[excerpt.span.clone()], "x");
        assert!(excerpt.text.starts_with("...a") && excerpt.text.ends_with("b..."));
    }
}
