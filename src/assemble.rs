//! Stage 3, **assemble**: pages of raw rows → sections of whole items.
//!
//! A row too long for its page is printed again at the top of the next page
//! under the same item number: a [`ContinuationPart`]. A cell cut at the break
//! ends with `(未完见下页)` and goes on after `(续上页)` in the next part; here
//! the two are joined. A cell that was not cut is printed again in full and
//! the first printing is kept; a second printing that says something else is
//! reported. Records so never depend on where the page breaks fell.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, Position};
use crate::markup;
use crate::model::SectionKind;
use crate::parse::{Cell, Document, FrontMatter, Page, RawRow, TextLine};

/// One printing of an item on one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContinuationPart {
    /// The page.
    pub page: u32,
    /// The row's first line.
    pub line: u32,
    /// The row's last line.
    pub last_line: u32,
}

/// A cell joined over all parts of its item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinedCell<'a> {
    /// Raw text (markup kept, markers of joins removed).
    pub text: Cow<'a, str>,
    /// Where each part's text begins in `text`, with its place in the input;
    /// the first piece starts at offset 0.
    pub pieces: Vec<CellPiece>,
}

/// The start of one part's text inside a [`JoinedCell`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellPiece {
    /// Byte offset in the joined text.
    pub offset: usize,
    /// Line of that byte in the input.
    pub line: u32,
    /// Column (in characters) of that byte in the input.
    pub column: u32,
}

impl JoinedCell<'_> {
    /// Where the cell starts.
    pub fn position(&self) -> Position {
        let first = self.pieces[0];
        Position::new(first.line, first.column, self.text.chars().count() as u32)
    }

    /// Where byte `offset` of the joined text stands in the input, spanning
    /// `len` characters.
    pub fn position_at(&self, offset: usize, len: u32) -> Position {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|p| p.offset <= offset)
            .unwrap_or(&self.pieces[0]);
        let before = &self.text[piece.offset..offset];
        let line = piece.line + before.matches('\n').count() as u32;
        let column = match before.rfind('\n') {
            Some(nl) => before[nl + 1..].chars().count() as u32 + 1,
            None => piece.column + before.chars().count() as u32,
        };
        Position::new(line, column, len.max(1))
    }
}

/// An item with every part joined: one cell per column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssembledItem<'a> {
    /// The item number.
    pub seq: u32,
    /// Each printing, in page order.
    pub parts: Vec<ContinuationPart>,
    /// Joined cells, one per column of the section.
    pub cells: Vec<JoinedCell<'a>>,
}

/// A run of pages under one title and header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssembledSection<'a> {
    /// The list kind from the title.
    pub kind: SectionKind,
    /// The title of its first page.
    pub title: TextLine<'a>,
    /// Column titles.
    pub columns: Vec<&'a str>,
    /// Line of the first page's header row.
    pub header_line: u32,
    /// First page.
    pub first_page: u32,
    /// Last page.
    pub last_page: u32,
    /// The items.
    pub items: Vec<AssembledItem<'a>>,
}

/// An edition with its items whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assembled<'a> {
    /// Title, issuers, contents.
    pub front: FrontMatter<'a>,
    /// The lists.
    pub sections: Vec<AssembledSection<'a>>,
}

/// Joins split rows into items and groups pages into sections.
pub fn assemble<'a>(doc: Document<'a>, diagnostics: &mut Vec<Diagnostic>) -> Assembled<'a> {
    let mut sections = Vec::new();
    let mut pages = doc.pages.as_slice();
    while let Some(first) = pages.first() {
        let len = pages
            .iter()
            .take_while(|p| {
                p.title.text == first.title.text && p.header.columns == first.header.columns
            })
            .count();
        sections.push(section(&pages[..len], diagnostics));
        pages = &pages[len..];
    }
    Assembled {
        front: doc.front,
        sections,
    }
}

/// An item's rows, before their cells are joined.
struct Parts<'p, 'a> {
    rows: Vec<&'p RawRow<'a>>,
}

fn section<'a>(pages: &[Page<'a>], diagnostics: &mut Vec<Diagnostic>) -> AssembledSection<'a> {
    let first = &pages[0];
    let mut items: Vec<Parts<'_, 'a>> = Vec::new();
    let mut seen: HashMap<u32, u32> = HashMap::new();
    for page in pages {
        for (index, row) in page.rows.iter().enumerate() {
            let continues = index == 0
                && items.last().is_some_and(|last| {
                    let prev = last.rows.last().expect("an item has a row");
                    prev.seq == row.seq && prev.page + 1 == row.page
                });
            if continues {
                items.last_mut().expect("checked above").rows.push(row);
            } else if let Some(&line) = seen.get(&row.seq) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateSeq,
                        row.cells[0].position(),
                        format!("expected a new item number, found {} again", row.seq),
                    )
                    .with_label("item number used twice")
                    .with_note(Position::new(line, 1, row.cells[0].text.chars().count() as u32), "first used here")
                    .with_help("a continuation part must be the first row of the next page; otherwise renumber one item"),
                );
            } else {
                seen.insert(row.seq, row.line);
                items.push(Parts { rows: vec![row] });
            }
        }
    }
    AssembledSection {
        kind: first.kind,
        title: first.title,
        columns: first.header.columns.clone(),
        header_line: first.header.line,
        first_page: first.number,
        last_page: pages[pages.len() - 1].number,
        items: items.iter().map(|parts| join(parts, diagnostics)).collect(),
    }
}

/// Joins an item's parts column by column.
fn join<'a>(parts: &Parts<'_, 'a>, diagnostics: &mut Vec<Diagnostic>) -> AssembledItem<'a> {
    let first = parts.rows[0];
    let cells = (0..first.cells.len())
        .map(|column| {
            let mut text: Cow<'a, str> = Cow::Borrowed(first.cells[column].text);
            let start = &first.cells[column];
            if markup::strip_continuation_marker(start.text).is_some() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ContinuesNothing,
                        marker_position(start, crate::vocab::CONTINUATION_MARKERS),
                        format!(
                            "expected item {} to begin here, found a continuation `(续上页)` of an item the page before did not cut",
                            first.seq
                        ),
                    )
                    .with_label("continues nothing")
                    .with_help("a continuation row repeats the item number of the row it continues; check this row's number"),
                );
            }
            let mut pieces = vec![CellPiece { offset: 0, line: start.line, column: start.column }];
            for pair in parts.rows.windows(2) {
                let (prev, next) = (&pair[0].cells[column], &pair[1].cells[column]);
                let continuation = markup::strip_continuation_marker(next.text);
                if let Some(cut) = markup::strip_cut_marker(&text) {
                    if continuation.is_none() {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::UnmarkedContinuation,
                                Position::new(next.line, next.column, 1),
                                "expected `(续上页)` at the start of the rest of a cut cell; joined it anyway",
                            )
                            .with_note(marker_position(prev, crate::vocab::CUT_MARKERS), "the cell was cut here"),
                        );
                    }
                    let rest = continuation.as_deref().unwrap_or(next.text);
                    // The marker removed from the front shifts the rest; its
                    // first character keeps the continuation's position
                    // closely enough for a diagnostic.
                    pieces.push(CellPiece { offset: cut.len() + 1, line: next.line, column: next.column });
                    text = Cow::Owned(format!("{cut} {rest}"));
                } else if continuation.is_some() {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::ContinuesNothing,
                            marker_position(next, crate::vocab::CONTINUATION_MARKERS),
                            format!(
                                "expected a repeat of item {}'s cell, found a continuation `(续上页)` of a cell that was not cut",
                                pair[1].seq
                            ),
                        )
                        .with_label("continues nothing")
                        .with_note(Position::new(prev.line, prev.column, 1), "this part of the cell has no `(未完见下页)`")
                        .with_help("check the item number of this row, or add the missing `(未完见下页)` to the cell above"),
                    );
                } else {
                    check_repeat(prev, next, pair[1].seq, diagnostics);
                }
            }
            if markup::strip_cut_marker(&text).is_some() {
                let last = &parts.rows[parts.rows.len() - 1].cells[column];
                diagnostics.push(
                    Diagnostic::new(
                        Code::NeverContinued,
                        marker_position(last, crate::vocab::CUT_MARKERS),
                        format!(
                            "expected item {} to go on at the top of the next page, found no continuation",
                            first.seq
                        ),
                    )
                    .with_label("cut here")
                    .with_help("add the continuation row `(续上页)…` under the same item number on the next page"),
                );
            }
            JoinedCell { text, pieces }
        })
        .collect();
    AssembledItem {
        seq: first.seq,
        parts: parts
            .rows
            .iter()
            .map(|r| ContinuationPart {
                page: r.page,
                line: r.line,
                last_line: r.last_line,
            })
            .collect(),
        cells,
    }
}

/// Reports a repeated cell whose second printing says something else,
/// pointing at the first character that differs.
fn check_repeat(first: &Cell<'_>, repeat: &Cell<'_>, seq: u32, diagnostics: &mut Vec<Diagnostic>) {
    let (a, b) = (
        markup::substance(first.text),
        markup::substance(repeat.text),
    );
    // Some exports leave the cells that were not cut empty on the
    // continuation page instead of printing them again: nothing disagrees.
    if a == b || b.is_empty() {
        return;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let at = |cell: &Cell<'_>, len: usize, changed: usize| {
        let (line, column) = substance_char_position(cell, prefix);
        Position::new(line, column, (len - prefix - suffix).max(changed) as u32)
    };
    diagnostics.push(
        Diagnostic::new(
            Code::RepeatDisagrees,
            at(repeat, b.len(), 1),
            format!("repeated cell of item {seq} disagrees with its first part; keeping the first"),
        )
        .with_label("the repeat says this")
        .with_note(at(first, a.len(), 1), "the first part says this")
        .with_help("correct whichever printing is wrong in the edition"),
    );
}

/// Line and column of the `n`th character of a cell's substance (its text
/// without markup and whitespace), found by walking the raw cell.
fn substance_char_position(cell: &Cell<'_>, n: usize) -> (u32, u32) {
    let (mut line, mut column) = (cell.line, cell.column);
    let mut seen = 0;
    let mut rest = cell.text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(len) = markup::tag_len(rest) {
                column += rest[..len].chars().count() as u32;
                rest = &rest[len..];
                continue;
            }
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            if !c.is_whitespace() {
                if seen == n {
                    break;
                }
                seen += 1;
            }
            column += 1;
        }
        rest = &rest[c.len_utf8()..];
    }
    (line, column)
}

/// Where the last of `markers` stands in a cell (the cell's start if none
/// does).
fn marker_position(cell: &Cell<'_>, markers: &[&str]) -> Position {
    let found = markers
        .iter()
        .filter_map(|m| cell.text.rfind(m).map(|at| (at, m)))
        .max();
    match found {
        Some((at, marker)) => {
            let before = &cell.text[..at];
            let line = cell.line + before.matches('\n').count() as u32;
            let column = match before.rfind('\n') {
                Some(nl) => before[nl + 1..].chars().count() as u32 + 1,
                None => cell.column + before.chars().count() as u32,
            };
            Position::new(line, column, marker.chars().count() as u32)
        }
        None => Position::new(cell.line, cell.column, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn page(seq_rows: &str) -> String {
        format!("某镇配合履职事项清单\n\n序号\t事项名称\t乡镇配合职责\n{seq_rows}\n\n")
    }

    fn assembled(text: &str) -> (Vec<AssembledItem<'_>>, Vec<Diagnostic>) {
        let (doc, mut diags) = parse(text);
        let a = assemble(doc, &mut diags);
        (
            a.sections.into_iter().flat_map(|s| s.items).collect(),
            diags,
        )
    }

    #[test]
    fn a_cut_cell_joins_its_continuation_and_keeps_both_parts() {
        let text =
            page("1\t名\t<ol> 1. 甲； (未完见下页)") + &page("1\t名\t<p>(续上页)</p> <ol> 2. 乙。");
        let (items, diags) = assembled(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].cells[2].text, "<ol> 1. 甲；  <p></p> <ol> 2. 乙。");
        assert_eq!(
            items[0].parts.iter().map(|p| p.page).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }

    #[test]
    fn split_row_over_three_pages_keeps_one_item() {
        let text = page("1\t名\t甲(未完见下页)")
            + &page("1\t名\t(续上页)乙(未完见下页)")
            + &page("1\t名\t(续上页)丙");
        let (items, diags) = assembled(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(markup::substance(&items[0].cells[2].text), "甲乙丙");
        assert_eq!(items[0].parts.len(), 3);
    }

    #[test]
    fn a_repeat_that_differs_is_a_warning_at_the_first_difference() {
        let text =
            page("1\t名\t建设用进行\n2\t名二\t甲(未完见下页)") + &page("2\t名二\t(续上页)乙");
        let (_, diags) = assembled(&text);
        assert!(diags.is_empty(), "{diags:?}");
        let text = page("1\t名\t甲(未完见下页)") + &page("1\t名二\t(续上页)乙");
        let (_, diags) = assembled(&text);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::RepeatDisagrees);
        assert_eq!((diags[0].position.line, diags[0].position.column), (9, 4));
        assert_eq!(diags[0].notes[0].position.line, 4);
    }

    #[test]
    fn a_continuation_that_leaves_uncut_cells_empty_is_no_disagreement() {
        let text = page("1\t名\t甲(未完见下页)") + &page("1\t\t(续上页)乙");
        let (items, diags) = assembled(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(items[0].cells[1].text, "名");
        assert_eq!(markup::substance(&items[0].cells[2].text), "甲乙");
    }

    #[test]
    fn a_continuation_under_another_number_is_two_errors() {
        let text = page("1\t名\t甲(未完见下页)") + &page("2\t名\t(续上页)乙");
        let (_, diags) = assembled(&text);
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::NeverContinued, Code::ContinuesNothing]);
        assert_eq!((diags[0].position.line, diags[0].position.column), (4, 7));
        assert_eq!(diags[1].position.line, 9);
    }

    #[test]
    fn the_same_number_twice_on_a_page_is_an_error() {
        let text = page("1\t名\t甲\n1\t名\t乙");
        let (items, diags) = assembled(&text);
        assert_eq!(items.len(), 1);
        assert_eq!(diags[0].code, Code::DuplicateSeq);
        assert_eq!(diags[0].position.line, 5);
        assert_eq!(diags[0].notes[0].position.line, 4);
    }
}
