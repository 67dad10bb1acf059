//! The title and issuers among the lines before the contents page.
//!
//! Published editions often carry lines above the title: an attachment mark
//! (`附件1`), a document number (`伊党办发〔2025〕12号`), stray control
//! characters. The title is recognised by its ending, not its place: the
//! first line that ends with the list word `清单` (perhaps followed by a note
//! in brackets, `（2025年版）`) is the title. When the line
//! before it does not end so and either stands right above it (no blank line
//! between) or ends with the name of a unit (`…伊吾县`), the title was broken
//! over two lines, and the two are one title (unless that line names a list
//! itself or ends like a sentence). Every other line before the
//! title is skipped with a warning ([`Code::SkippedFrontLine`]). Without any
//! line ending in `清单`, the first line that is no mark is the title, as
//! before. The line after the title is the issuers.

use crate::controls;
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::parse::TextLine;
use crate::vocab;
use crate::vocabulary::words;

/// How many skipped lines are reported one by one; the rest are counted in
/// one last warning.
const REPORTED_LINES: usize = 20;

/// A non-blank line of the front matter.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FrontLine<'a> {
    /// The line, trimmed of whitespace.
    pub line: TextLine<'a>,
    /// The byte offset of the trimmed text in the whole text.
    pub start: usize,
}

/// What a line that is surely no title is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Attachment,
    DocumentNumber,
    ControlsOnly,
}

impl Mark {
    /// The mark of a trimmed line, if it is one.
    fn of(text: &str) -> Option<Mark> {
        let text = text.trim_matches(|c: char| c.is_whitespace() || controls::is_refused(c));
        if text.is_empty() {
            Some(Mark::ControlsOnly)
        } else if vocab::is_attachment_mark(text) {
            Some(Mark::Attachment)
        } else if vocab::is_document_number(text) {
            Some(Mark::DocumentNumber)
        } else {
            None
        }
    }

    /// What the mark is, for a message.
    fn describe(self) -> &'static str {
        match self {
            Mark::Attachment => "an attachment mark",
            Mark::DocumentNumber => "a document number",
            Mark::ControlsOnly => "a line of control characters only",
        }
    }
}

/// The title and issuers lines of the front matter `lines` (non-blank lines
/// before the contents page, in order) of `text`; lines skipped are reported.
pub(crate) fn title_and_issuers<'a>(
    text: &'a str,
    lines: &[FrontLine<'a>],
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<TextLine<'a>>, Option<TextLine<'a>>) {
    let mut kept: Vec<FrontLine<'a>> = Vec::with_capacity(lines.len());
    let mut skipped: Vec<(FrontLine<'a>, &'static str)> = Vec::new();
    for line in lines {
        match Mark::of(line.line.text) {
            Some(mark) => skipped.push((*line, mark.describe())),
            None => kept.push(*line),
        }
    }
    let ending = |l: &FrontLine<'_>| vocab::ends_with_list_word(l.line.text);
    let (first, title) = match kept.iter().position(ending) {
        Some(k) if k > 0 && broken_title(&kept[k - 1], &kept[k]) => {
            let (head, tail) = (kept[k - 1], kept[k]);
            let joined = TextLine {
                text: &text[head.start..tail.start + tail.line.text.len()],
                line: head.line.line,
            };
            (k - 1, Some((joined, k)))
        }
        Some(k) => (k, Some((kept[k].line, k))),
        None => (0, kept.first().map(|l| (l.line, 0))),
    };
    skipped.extend(
        kept[..first]
            .iter()
            .map(|l| (*l, "a line that is not the title")),
    );
    skipped.sort_by_key(|(l, _)| l.line.line);
    let title_line = title.map(|(t, _)| t);
    for (line, what) in skipped.iter().take(REPORTED_LINES) {
        diagnostics.push(skipped_line(text, *line, what, title_line));
    }
    if let Some((line, _)) = skipped.get(REPORTED_LINES) {
        let more = skipped.len() - REPORTED_LINES;
        diagnostics.push(
            Diagnostic::new(
                Code::SkippedFrontLine,
                Position::new(line.line.line, 1, 1),
                format!("expected the edition's title, issuers or contents page, found {more} more lines that are none of them from here on; they are skipped (not shown one by one)"),
            )
            .with_help("is this an exported duty list? Its title comes first, a line ending in `清单`"),
        );
    }
    let issuers = title
        .and_then(|(_, last)| kept.get(last + 1))
        .map(|l| l.line);
    (title_line, issuers)
}

/// Is `head`, the line before `tail` (which ends with `清单`), the first half
/// of one title? Not when it names a list itself (`关于印发《…清单》的通知`)
/// or ends like a sentence or a lead-in.
fn broken_title(head: &FrontLine<'_>, tail: &FrontLine<'_>) -> bool {
    let text = head.line.text;
    !text.contains(words().titles.list_word.as_str())
        && !text.ends_with(vocab::SENTENCE_ENDINGS)
        && (head.line.line + 1 == tail.line.line || vocab::ends_with_region_unit(text))
}

/// The warning for a line skipped before the title.
fn skipped_line(
    text: &str,
    line: FrontLine<'_>,
    what: &str,
    title: Option<TextLine<'_>>,
) -> Diagnostic {
    let shown: String = line
        .line
        .text
        .chars()
        .filter(|&c| !controls::is_refused(c))
        .take(30)
        .collect();
    let found = if shown.is_empty() {
        what.to_owned()
    } else {
        format!("{what} `{shown}`")
    };
    let expected = if title.is_some_and(|t| t.line < line.line.line) {
        "the issuers or the contents page"
    } else {
        "the edition's title"
    };
    let line_start = text[..line.start].rfind('\n').map_or(0, |nl| nl + 1);
    let column = text[line_start..line.start].chars().count() as u32 + 1;
    let diagnostic = Diagnostic::new(
        Code::SkippedFrontLine,
        Position::new(
            line.line.line,
            column,
            line.line.text.chars().count() as u32,
        ),
        format!("expected {expected}, found {found}; the line is skipped"),
    )
    .with_label("skipped");
    match title {
        Some(title) => diagnostic
            .with_note(
                Position::new(title.line, 1, first_line_len(title.text)),
                "the title is taken from here",
            )
            .with_help("if the title is not the one noted, put the title first in the file"),
        None => diagnostic.with_help("put the edition's title first in the file"),
    }
}

/// The length in characters of the first line of `text`.
fn first_line_len(text: &str) -> u32 {
    text.split('\n').next().unwrap_or("").chars().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The front lines of `text`, one per non-blank line.
    fn front(text: &str) -> Vec<FrontLine<'_>> {
        let mut offset = 0;
        let mut lines = Vec::new();
        for (i, raw) in text.split('\n').enumerate() {
            let trimmed = raw.trim();
            if !trimmed.is_empty() {
                let start = offset + (raw.len() - raw.trim_start().len());
                lines.push(FrontLine {
                    line: TextLine {
                        text: trimmed,
                        line: i as u32 + 1,
                    },
                    start,
                });
            }
            offset += raw.len() + 1;
        }
        lines
    }

    fn read(text: &str) -> (Option<&str>, Option<&str>, Vec<u32>) {
        let mut diags = Vec::new();
        let (title, issuers) = title_and_issuers(text, &front(text), &mut diags);
        assert!(diags.iter().all(|d| d.code == Code::SkippedFrontLine));
        (
            title.map(|t| t.text),
            issuers.map(|t| t.text),
            diags.iter().map(|d| d.position.line).collect(),
        )
    }

    #[test]
    fn marks_above_the_title_are_skipped_with_a_warning_each() {
        let text = "附件1\n\n伊党办发〔2025〕12号\n\n某镇履职事项清单\n\n某县委 某县政府\n";
        assert_eq!(
            read(text),
            (
                Some("某镇履职事项清单"),
                Some("某县委 某县政府"),
                vec![1, 3]
            )
        );
    }

    #[test]
    fn a_title_broken_after_its_region_is_joined_even_across_a_blank_line() {
        let text = "附件：\n新疆维吾尔自治区哈密市伊吾县\n\n盐池镇履职事项清单\n\n发文单位\n";
        assert_eq!(
            read(text),
            (
                Some("新疆维吾尔自治区哈密市伊吾县\n\n盐池镇履职事项清单"),
                Some("发文单位"),
                vec![1]
            )
        );
    }

    #[test]
    fn a_title_broken_anywhere_is_joined_when_its_halves_touch() {
        let text = "某镇履职\n事项清单\n";
        assert_eq!(read(text), (Some("某镇履职\n事项清单"), None, vec![]));
    }

    #[test]
    fn a_line_that_names_a_list_or_ends_a_sentence_is_no_half_title() {
        let text = "关于印发《某镇履职事项清单》的通知\n某镇履职事项清单\n";
        assert_eq!(read(text), (Some("某镇履职事项清单"), None, vec![1]));
        let text = "现印发给你们：\n某镇履职事项清单\n";
        assert_eq!(read(text), (Some("某镇履职事项清单"), None, vec![1]));
    }

    #[test]
    fn a_title_may_end_in_a_note_in_brackets() {
        let text = "附件1\n某镇履职事项清单（2025年版）\n发文单位\n";
        assert_eq!(
            read(text),
            (
                Some("某镇履职事项清单（2025年版）"),
                Some("发文单位"),
                vec![1]
            )
        );
    }

    #[test]
    fn a_mark_below_the_title_is_skipped_too() {
        let text = "某镇履职事项清单\n  附件1\n发文单位\n";
        let mut diags = Vec::new();
        let (_, issuers) = title_and_issuers(text, &front(text), &mut diags);
        assert_eq!(issuers.map(|l| l.text), Some("发文单位"));
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].position.line, diags[0].position.column), (2, 3));
        assert!(diags[0].message.starts_with("expected the issuers"));
    }

    #[test]
    fn many_skipped_lines_are_summed_up_after_the_first_ones() {
        let text = "附件\n".repeat(REPORTED_LINES + 3) + "某镇履职事项清单\n";
        let (title, _, lines) = read(&text);
        assert_eq!(title, Some("某镇履职事项清单"));
        assert_eq!(lines.len(), REPORTED_LINES + 1);
        assert_eq!(lines[REPORTED_LINES], REPORTED_LINES as u32 + 1);
    }

    #[test]
    fn other_text_above_the_title_is_skipped() {
        let text = "内部资料\n\n某镇履职事项清单\n";
        assert_eq!(read(text), (Some("某镇履职事项清单"), None, vec![1]));
    }

    #[test]
    fn without_a_list_word_the_first_line_that_is_no_mark_is_the_title() {
        let text = "附件 2\n某镇职责\n\n发文单位\n";
        assert_eq!(read(text), (Some("某镇职责"), Some("发文单位"), vec![1]));
    }

    #[test]
    fn marks_are_told_from_titles() {
        for mark in ["附件", "附件1", "附件：", "附件 2", "附件一：", "附表3"] {
            assert!(vocab::is_attachment_mark(mark), "{mark}");
        }
        for text in ["附件1：某镇履职事项清单", "附件材料清单"] {
            assert!(!vocab::is_attachment_mark(text), "{text}");
        }
        assert!(vocab::is_document_number("伊党办发〔2025〕12号"));
        assert!(vocab::is_document_number("哈政发[2024]3号"));
        assert!(!vocab::is_document_number("某镇〔2025〕号"));
        assert!(!vocab::is_document_number("盐池镇履职事项清单"));
    }
}
