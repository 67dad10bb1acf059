//! Stage 0 for originals, **unpack**: a Word document or a workbook → the
//! text form the later stages read, with a map back to its cells.
//!
//! A county's `.docx` or `.xlsx` holds the same lists as the exported text,
//! as tables of cells instead of tab-separated lines. Rather than a second
//! parser, each reader lays its tables out as that text: a paragraph or a
//! title row becomes a line, a table row becomes one line of tab-separated
//! cells, and the paragraphs (or line breaks) of a cell become `<p>`
//! paragraphs, their `&` and `<` escaped. The stages after `decode` then
//! treat an original exactly like an export of it — the same rules for
//! columns, markers, steps and numbering — so the records cannot depend on
//! the container. [`TextForm::relocate`] finally turns the text form's lines
//! back into the file's own terms: an item's table and rows, a diagnostic's
//! cell, quoted.
//!
//! ```text
//! bytes ─container→ parts ─docx|xlsx→ TextForm ─parse…validate→ Conversion ─relocate→ Conversion
//! ```

mod container;
mod docx;
mod xlsx;

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location, Place, Position};
use crate::model::{ItemSource, SheetRows, SourceFormat, TableRows, TextLines};
use crate::pipeline::Conversion;

/// Reads a Word document or workbook into its text form; an error when the
/// container or its parts cannot be read, or unpack to more than
/// `max_bytes`.
pub(crate) fn unpack(
    format: SourceFormat,
    bytes: &[u8],
    max_bytes: u64,
) -> Result<TextForm, Diagnostic> {
    match format {
        SourceFormat::Docx => docx::read(bytes, max_bytes),
        SourceFormat::Xlsx => xlsx::read(bytes, max_bytes),
        SourceFormat::Text => unreachable!("text is decoded, not unpacked"),
    }
}

/// The table a row belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Grid {
    /// A Word table, counting the document's tables from 1.
    Table(u32),
    /// A sheet, by name.
    Sheet(Arc<str>),
}

/// One cell of a row as a reader found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cell {
    /// Its column: in a Word row the cell's place in the row, in a sheet
    /// the sheet's column (`A` is 1).
    pub(crate) column: u32,
    /// Its lines: a Word cell's paragraphs, a sheet cell's line breaks.
    pub(crate) lines: Vec<String>,
}

impl Cell {
    /// Is there no text in the cell?
    pub(crate) fn is_blank(&self) -> bool {
        self.lines.iter().all(|line| line.trim().is_empty())
    }
}

/// Where a line of the text form came from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    /// A paragraph outside the tables, counting the document's from 1.
    Paragraph(u32),
    /// A row of a table or sheet, with where each of its cells stands in
    /// the text; a title line made up for a table without one has none.
    Row {
        grid: Grid,
        row: u32,
        cells: Vec<(Range<usize>, u32)>,
    },
}

/// An original laid out as the text the later stages read, and where each
/// of its lines came from.
#[derive(Debug, Default)]
pub(crate) struct TextForm {
    text: String,
    /// The origin of each line, and the byte offset where it starts.
    lines: Vec<(Origin, usize)>,
}

impl TextForm {
    /// The text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Adds a line of plain text: a paragraph or a title row. Line breaks
    /// inside it become spaces.
    fn line(&mut self, text: &str, origin: Origin) {
        let start = self.text.len();
        self.text.extend(text.chars().map(|c| match c {
            '\n' | '\r' => ' ',
            c => c,
        }));
        self.end_line(origin, start);
    }

    /// Adds a paragraph outside tables as a line.
    pub(crate) fn paragraph(&mut self, number: u32, text: &str) {
        self.line(text, Origin::Paragraph(number));
    }

    /// Adds a row of `grid`: one line of tab-separated cells, or a plain
    /// line when only one cell holds text (a title row, merged across).
    pub(crate) fn row(&mut self, grid: &Grid, row: u32, cells: &[Cell]) {
        let mut filled = cells.iter().filter(|cell| !cell.is_blank());
        if let (Some(only), None) = (filled.next(), filled.next()) {
            let start = self.text.len();
            let text = only.lines.join(" ");
            let text = text.trim();
            let origin = Origin::Row {
                grid: grid.clone(),
                row,
                cells: vec![(start..start + text.len(), only.column)],
            };
            return self.line(text, origin);
        }
        let start = self.text.len();
        let mut spans = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push('\t');
            }
            let from = self.text.len();
            let lines: Vec<&str> = cell
                .lines
                .iter()
                .map(|line| line.trim())
                .filter(|line| !line.is_empty())
                .collect();
            match lines.as_slice() {
                [] => {}
                [line] => escape(&mut self.text, line),
                lines => {
                    for line in lines {
                        self.text.push_str("<p>");
                        escape(&mut self.text, line);
                        self.text.push_str("</p>");
                    }
                }
            }
            spans.push((from..self.text.len(), cell.column));
        }
        let origin = Origin::Row {
            grid: grid.clone(),
            row,
            cells: spans,
        };
        self.end_line(origin, start);
    }

    /// Adds a title line the file does not have: a table that goes on from
    /// the one before it repeats that one's title, as a page would.
    pub(crate) fn repeated_title(&mut self, title: &str, grid: &Grid) {
        let origin = Origin::Row {
            grid: grid.clone(),
            row: 1,
            cells: Vec::new(),
        };
        self.line(title, origin);
    }

    /// Adds an empty line between blocks, as pages have.
    pub(crate) fn blank(&mut self) {
        if let Some((origin, _)) = self.lines.last().cloned() {
            let start = self.text.len();
            self.end_line(origin, start);
        }
    }

    fn end_line(&mut self, origin: Origin, start: usize) {
        self.text.push('\n');
        self.lines.push((origin, start));
    }

    /// Turns a conversion of the text form into one of the original: item
    /// sources as the file's tables or sheets and rows, no pages, and each
    /// diagnostic placed at its cell.
    pub(crate) fn relocate(&self, mut conversion: Conversion) -> Conversion {
        if let Some(edition) = &mut conversion.edition {
            for section in &mut edition.sections {
                section.first_page = None;
                section.last_page = None;
                for item in &mut section.items {
                    if let ItemSource::Text(lines) = &item.source {
                        item.source = self.item_source(lines);
                    }
                }
            }
        }
        for diagnostic in &mut conversion.diagnostics {
            diagnostic.place = self.place(diagnostic.position).map(Box::new);
            for note in &mut diagnostic.notes {
                note.place = self.place(note.position).map(Box::new);
            }
        }
        conversion.text = None;
        conversion
    }

    /// The origin of 1-based `line`, and where the line starts.
    fn origin(&self, line: u32) -> Option<&(Origin, usize)> {
        self.lines.get(line.checked_sub(1)? as usize)
    }

    /// The grid and row of 1-based `line`.
    fn grid_row(&self, line: u32) -> Option<(&Grid, u32)> {
        match self.origin(line)? {
            (Origin::Row { grid, row, .. }, _) => Some((grid, *row)),
            (Origin::Paragraph(_), _) => None,
        }
    }

    /// An item's source in the original's terms.
    fn item_source(&self, lines: &TextLines) -> ItemSource {
        let first = self.grid_row(lines.first_line);
        let last = self.grid_row(lines.last_line);
        let (Some((grid, row)), Some((last_grid, last_row))) = (first, last) else {
            return ItemSource::Text(lines.clone());
        };
        let same_grid = grid == last_grid;
        let last_row = (!same_grid || row != last_row).then_some(last_row);
        match (grid, last_grid) {
            (Grid::Table(table), Grid::Table(last_table)) => ItemSource::Table(TableRows {
                table: *table,
                row,
                last_table: (!same_grid).then_some(*last_table),
                last_row,
            }),
            (Grid::Sheet(sheet), last_sheet) => ItemSource::Sheet(SheetRows {
                sheet: sheet.to_string(),
                row,
                last_sheet: match last_sheet {
                    Grid::Sheet(name) if !same_grid => Some(name.to_string()),
                    _ => None,
                },
                last_row,
            }),
            (Grid::Table(_), Grid::Sheet(_)) => ItemSource::Text(lines.clone()),
        }
    }

    /// Where `position` of the text form is in the original, with the cell
    /// (or paragraph) it falls in quoted.
    fn place(&self, position: Position) -> Option<Place> {
        let (origin, start) = self.origin(position.line)?;
        let line_end = self.text[*start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n);
        let line = &self.text[*start..line_end];
        let at = start
            + line
                .char_indices()
                .nth(position.column.saturating_sub(1) as usize)
                .map_or(line.len(), |(i, _)| i);
        match origin {
            Origin::Paragraph(paragraph) => Some(Place {
                location: Location::Paragraph {
                    paragraph: *paragraph,
                },
                quote: line.to_owned(),
                column: position.column.max(1),
            }),
            Origin::Row { grid, row, cells } => {
                // The cell `at` falls in, or the last one starting before it
                // (a tab belongs to the cell it ends).
                let (range, column) = cells
                    .iter()
                    .rev()
                    .find(|(range, _)| range.start <= at)
                    .cloned()
                    .unwrap_or((*start..line_end, 1));
                let quote = self.text[range.clone()].to_owned();
                let column_in_cell = self.text[range.start..at.clamp(range.start, range.end)]
                    .chars()
                    .count() as u32
                    + 1;
                let location = match grid {
                    Grid::Table(table) => Location::Table {
                        table: *table,
                        row: *row,
                        column,
                    },
                    Grid::Sheet(sheet) => Location::Sheet {
                        sheet: sheet.to_string(),
                        row: *row,
                        column,
                    },
                };
                Some(Place {
                    location,
                    quote,
                    column: column_in_cell,
                })
            }
        }
    }
}

/// Appends `text` as cell text of the text form: markup characters
/// escaped, so that they come out as written; tabs and line breaks, which
/// would end the cell or the row, as spaces.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: u32, lines: &[&str]) -> Cell {
        Cell {
            column,
            lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        }
    }

    #[test]
    fn rows_become_tab_separated_lines_with_paragraphs_escaped() {
        let mut form = TextForm::default();
        form.paragraph(1, "某镇履职事项清单");
        let grid = Grid::Table(1);
        form.row(
            &grid,
            1,
            &[cell(1, &["某镇基本履职事项清单"]), cell(2, &[])],
        );
        form.row(&grid, 2, &[cell(1, &["序号"]), cell(2, &["事项名称"])]);
        form.row(
            &grid,
            3,
            &[cell(1, &["1"]), cell(2, &["甲<乙>&丙", "", "\t1. 丁\n"])],
        );
        assert_eq!(
            form.text(),
            "某镇履职事项清单\n某镇基本履职事项清单\n序号\t事项名称\n\
             1\t<p>甲&lt;乙&gt;&amp;丙</p><p>1. 丁</p>\n"
        );
    }

    #[test]
    fn positions_are_placed_in_their_cell_and_quote_it() {
        let mut form = TextForm::default();
        let grid = Grid::Sheet("配合履职事项清单".into());
        form.row(&grid, 12, &[cell(4, &["1"]), cell(5, &["甲乙"])]);
        let place = form.place(Position::new(1, 4, 1)).unwrap();
        let expected = Location::Sheet {
            sheet: "配合履职事项清单".into(),
            row: 12,
            column: 5,
        };
        assert_eq!(place.location, expected);
        assert_eq!((place.quote.as_str(), place.column), ("甲乙", 2));
        assert_eq!(place.location.to_string(), "配合履职事项清单!E12");
        assert!(form.place(Position::new(2, 1, 1)).is_none());
    }
}
