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
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, Position};
use crate::lines::SourceLines;
use crate::markup;
use crate::model::SectionKind;
use crate::parse::{Cell, Document, FrontMatter, Page, RawRow, TextLine};
use crate::vocab;
use crate::vocabulary::Vocabulary;

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
    /// Raw text (markup kept, the markers of joins and the layout the page
    /// break put around them removed).
    pub text: Cow<'a, str>,
    /// Where each piece of `text` copied from the input begins, with its
    /// place in the input, in order; the first starts at offset 0.
    pub pieces: Vec<CellPiece>,
}

/// The start of one piece of a [`JoinedCell`]'s text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellPiece {
    /// Byte offset in the joined text.
    pub offset: usize,
    /// Byte offset of the same character in the decoded input. (The one
    /// space a join may insert between two words is a piece of its own,
    /// placed at the first character after it.)
    pub input: usize,
}

impl JoinedCell<'_> {
    /// Where byte `offset` of the joined text stands in the input.
    pub fn input_offset(&self, offset: usize) -> usize {
        let piece = self.pieces[self.pieces.partition_point(|p| p.offset <= offset).max(1) - 1];
        piece.input + (offset - piece.offset)
    }

    /// The position in the input of byte `offset` of the joined text,
    /// spanning `len` characters.
    pub fn position_at(&self, lines: &SourceLines<'_>, offset: usize, len: u32) -> Position {
        lines.at(self.input_offset(offset), len)
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
#[derive(Clone, Debug)]
pub struct Assembled<'a> {
    /// Title, issuers, contents.
    pub front: FrontMatter<'a>,
    /// The lists.
    pub sections: Vec<AssembledSection<'a>>,
    /// The decoded text's lines, for positions.
    pub lines: SourceLines<'a>,
    /// The vocabulary it was read with.
    pub vocabulary: &'a Vocabulary,
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
        sections.push(section(&pages[..len], &doc.lines, diagnostics));
        pages = &pages[len..];
    }
    Assembled {
        front: doc.front,
        sections,
        lines: doc.lines,
        vocabulary: doc.vocabulary,
    }
}

/// An item's rows, before their cells are joined.
struct Parts<'p, 'a> {
    rows: Vec<&'p RawRow<'a>>,
}

fn section<'a>(
    pages: &[Page<'a>],
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> AssembledSection<'a> {
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
                        row.cells[0].position(lines),
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
        items: items
            .iter()
            .map(|parts| join(parts, lines, diagnostics))
            .collect(),
    }
}

/// Joins an item's parts column by column.
fn join<'a>(
    parts: &Parts<'_, 'a>,
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> AssembledItem<'a> {
    let first = parts.rows[0];
    let cells = (0..first.cells.len())
        .map(|column| {
            let start = &first.cells[column];
            if let Some(marker) = markup::continuation_marker(start.text) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ContinuesNothing,
                        marker_position(lines, start, marker),
                        format!(
                            "expected item {} to begin here, found a continuation `(续上页)` of an item the page before did not cut",
                            first.seq
                        ),
                    )
                    .with_label("continues nothing")
                    .with_help("a continuation row repeats the item number of the row it continues; check this row's number"),
                );
            }
            let mut joined = Joiner::default();
            // The part the joined text goes on with, from byte `from` of it.
            let (mut open, mut from) = (start, 0);
            for pair in parts.rows.windows(2) {
                let (prev, next) = (&pair[0].cells[column], &pair[1].cells[column]);
                let continuation = markup::continuation_marker(next.text);
                if let Some(cut) = markup::cut_marker(open.text).filter(|cut| cut.start >= from) {
                    if continuation.is_none() {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::UnmarkedContinuation,
                                lines.at(next.offset, 1),
                                "expected `(续上页)` at the start of the rest of a cut cell; joined it anyway",
                            )
                            .with_note(marker_position(lines, open, cut.clone()), "the cell was cut here"),
                        );
                    }
                    let cut = markup::with_its_layout(open.text, cut);
                    joined.copy(open, from..cut.start);
                    joined.copy(open, cut.end..open.text.len());
                    from = match continuation {
                        Some(marker) => {
                            let marker = markup::with_its_layout(next.text, marker);
                            joined.copy(next, 0..marker.start);
                            marker.end
                        }
                        None => 0,
                    };
                    // A list the cut part was in, opened again after the
                    // marker, goes on: the second `<ol>` would start a
                    // paragraph (a step) the uncut cell does not have.
                    if let Some(list) = joined.open_list() {
                        from += markup::reopened_list(&next.text[from..], &list).unwrap_or(0);
                    }
                    joined.separate(&next.text[from..], next.offset + from);
                    open = next;
                } else if let Some(marker) = continuation {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::ContinuesNothing,
                            marker_position(lines, next, marker),
                            format!(
                                "expected a repeat of item {}'s cell, found a continuation `(续上页)` of a cell that was not cut",
                                pair[1].seq
                            ),
                        )
                        .with_label("continues nothing")
                        .with_note(lines.at(prev.offset, 1), "this part of the cell has no `(未完见下页)`")
                        .with_help("check the item number of this row, or add the missing `(未完见下页)` to the cell above"),
                    );
                } else {
                    check_repeat(prev, next, pair[1].seq, lines, diagnostics);
                }
            }
            if let Some(cut) = markup::cut_marker(open.text).filter(|cut| cut.start >= from) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::NeverContinued,
                        marker_position(lines, open, cut),
                        format!(
                            "expected item {} to go on at the top of the next page, found no continuation",
                            first.seq
                        ),
                    )
                    .with_label("cut here")
                    .with_help("add the continuation row `(续上页)…` under the same item number on the next page"),
                );
            }
            joined.copy(open, from..open.text.len());
            joined.finish(start)
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

/// A joined cell in the making: the pieces of the parts' cells it is made
/// of, in order.
#[derive(Default)]
struct Joiner<'a> {
    /// Each piece's text and its offset in the input.
    pieces: Vec<(&'a str, usize)>,
}

impl<'a> Joiner<'a> {
    /// Appends bytes `range` of `cell`.
    fn copy(&mut self, cell: &Cell<'a>, range: Range<usize>) {
        if !range.is_empty() {
            self.pieces
                .push((&cell.text[range.clone()], cell.offset + range.start));
        }
    }

    /// Before `rest` (at `input`) is appended after a join: a space when the
    /// text on both sides of the join would otherwise run two words together
    /// (`word` + `word`). Next to Chinese text, whitespace or a tag the join
    /// adds nothing, so that a step cut after `，` or in the middle of a word
    /// reads as it would uncut.
    fn separate(&mut self, rest: &str, input: usize) {
        let before = self.pieces.last().and_then(|(t, _)| t.chars().next_back());
        let after = rest.chars().next();
        let word = |c: Option<char>| {
            c.is_some_and(|c| {
                !(c.is_whitespace()
                    || matches!(c, '<' | '>')
                    || vocab::is_han(c)
                    || vocab::is_chinese_punctuation(c))
            })
        };
        if word(before) && word(after) {
            self.pieces.push((" ", input));
        }
    }

    /// The list the text so far ends inside, if its last block tag opens
    /// one.
    fn open_list(&self) -> Option<String> {
        self.pieces
            .iter()
            .rev()
            .find_map(|(text, _)| markup::last_block(text))
            .flatten()
    }

    /// The joined cell: `first`'s text borrowed when it is all there is.
    fn finish(self, first: &Cell<'a>) -> JoinedCell<'a> {
        let text = match self.pieces.as_slice() {
            [] => Cow::Borrowed(""),
            [(text, _)] => Cow::Borrowed(*text),
            pieces => Cow::Owned(pieces.iter().map(|(t, _)| *t).collect()),
        };
        let mut offset = 0;
        let mut pieces: Vec<CellPiece> = self
            .pieces
            .iter()
            .map(|&(t, input)| {
                let piece = CellPiece { offset, input };
                offset += t.len();
                piece
            })
            .collect();
        if pieces.is_empty() {
            pieces.push(CellPiece {
                offset: 0,
                input: first.offset,
            });
        }
        JoinedCell { text, pieces }
    }
}

/// Reports a repeated cell whose second printing says something else,
/// pointing at the first character that differs.
fn check_repeat(
    first: &Cell<'_>,
    repeat: &Cell<'_>,
    seq: u32,
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if first.text == repeat.text {
        return;
    }
    let (a, b) = (
        markup::markup(first.text).substance(),
        markup::markup(repeat.text).substance(),
    );
    // Some exports leave the cells that were not cut empty on the
    // continuation page instead of printing them again: nothing disagrees.
    let same = |(x, _): &(char, usize), (y, _): &(char, usize)| x == y;
    if b.is_empty() || (a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| same(x, y))) {
        return;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| same(x, y)).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| same(x, y))
        .count();
    let at = |cell: &Cell<'_>, chars: &[(char, usize)]| {
        let source = chars.get(prefix).map_or(cell.text.len(), |&(_, s)| s);
        lines.at(cell.offset + source, (chars.len() - prefix - suffix) as u32)
    };
    diagnostics.push(
        Diagnostic::new(
            Code::RepeatDisagrees,
            at(repeat, &b),
            format!("repeated cell of item {seq} disagrees with its first part; keeping the first"),
        )
        .with_label("the repeat says this")
        .with_note(at(first, &a), "the first part says this")
        .with_help("correct whichever printing is wrong in the edition"),
    );
}

/// Where a marker (bytes `marker` of a cell) stands in the input.
fn marker_position(lines: &SourceLines<'_>, cell: &Cell<'_>, marker: Range<usize>) -> Position {
    let len = cell.text[marker.clone()].chars().count() as u32;
    lines.at(cell.offset + marker.start, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn page(seq_rows: &str) -> String {
        format!("某镇配合履职事项清单\n\n序号\t事项名称\t乡镇配合职责\n{seq_rows}\n\n")
    }

    fn assembled(text: &str) -> (Vec<AssembledItem<'_>>, Vec<Diagnostic>) {
        let (doc, mut diags) = parse(text, Vocabulary::builtin_ref());
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
        // The marker, the element holding only it, the spaces around and
        // the list opened again go: the list goes on.
        assert_eq!(items[0].cells[2].text, "<ol> 1. 甲；2. 乙。");
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
        assert_eq!(items[0].cells[2].text, "甲乙丙");
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
        assert_eq!(items[0].cells[2].text, "甲乙");
    }

    #[test]
    fn a_continuation_under_another_number_is_two_errors() {
        let text = page("1\t名\t甲(未完见下页)") + &page("2\t名\t(续上页)乙");
        let (_, diags) = assembled(&text);
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::NeverContinued, Code::ContinuesNothing]);
        // The marker with its brackets: `(未完见下页)` after `1⇥名⇥甲`.
        assert_eq!(
            (
                diags[0].position.line,
                diags[0].position.column,
                diags[0].position.len
            ),
            (4, 6, 7)
        );
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
