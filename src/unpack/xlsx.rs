//! Excel workbooks (`.xlsx`), read with `calamine`: each sheet's rows, in
//! sheet order, as lines of the text form.
//!
//! A row with text in one cell only (a title, merged across the columns or
//! not) is a line; any other row is a row of cells from the sheet's first
//! used column to the last column of the header row above it (a narrower
//! list under a wider one on the same sheet keeps its own width). A sheet whose first row is already a header
//! row is titled by its name. A range merged down one column (a category
//! spanning its items) gives its value to every row it covers; a range
//! merged across gives its value once. Numbers are written as Excel shows
//! them unformatted (`1.0` → `1`), line breaks in a cell are its lines.
//!
//! calamine gives a sheet's cells as a range starting at its first used
//! cell, while merged regions are absolute: positions are kept absolute
//! here and looked up with `Range::get_value`.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::container::{damaged, Container};
use super::{Cell, Grid, TextForm};
use crate::diagnostic::Diagnostic;

/// What the help of a workbook qingdan cannot read says.
const RESAVE: &str = "open the workbook in Excel, WPS or LibreOffice and save it anew as .xlsx";

/// Reads a workbook's sheets into their text form.
pub(super) fn read(bytes: &[u8], max_bytes: u64) -> Result<TextForm, Diagnostic> {
    // calamine inflates what it needs with no bound: inflate everything
    // once within `max_bytes` first, which also finds a damaged part.
    let mut container = Container::open(bytes, "Excel workbook", max_bytes)?;
    container.check_all()?;
    let unreadable = |error: calamine::XlsxError| {
        damaged(
            format!("expected a readable Excel workbook, found: {error}"),
            RESAVE,
        )
    };
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut form = TextForm::default();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(unreadable)?;
        let (Some((top, left)), Some((bottom, right))) = (range.start(), range.end()) else {
            continue;
        };
        let width = (right - left + 1) as usize;
        let mut rows: Vec<Vec<Cell>> = (top..=bottom)
            .map(|row| {
                (left..=right)
                    .map(|column| Cell {
                        column: column + 1,
                        lines: lines(range.get_value((row, column))),
                    })
                    .collect()
            })
            .collect();
        let merges = workbook
            .merge_cells_by_sheet_name(&name)
            .map_err(unreadable)?;
        for region in merges {
            let (start, end) = (region.start, region.end);
            if start.1 != end.1 || end.0 == start.0 || start.1 < left || start.1 > right {
                continue;
            }
            let value = lines(range.get_value(start));
            let column = (start.1 - left) as usize;
            for row in start.0.max(top) + 1..=end.0.min(bottom) {
                rows[(row - top) as usize][column].lines = value.clone();
            }
        }
        let grid = Grid::Sheet(name.as_str().into());
        let mut first = true;
        // The width of the table in force: its header row's, up to its last
        // titled column (a narrower list under a wider one on one sheet).
        let mut table_width = None;
        for (r, cells) in rows.iter().enumerate() {
            debug_assert_eq!(cells.len(), width);
            let filled = cells.iter().filter(|c| !c.is_blank()).count();
            if filled == 0 {
                form.blank();
                continue;
            }
            if first && filled > 1 {
                form.repeated_title(&name, &grid);
            }
            first = false;
            let used = cells
                .iter()
                .rposition(|c| !c.is_blank())
                .map_or(0, |i| i + 1);
            if filled == 1 {
                table_width = None;
            } else if table_width.is_none() {
                table_width = Some(used);
            }
            let shown = used.max(table_width.unwrap_or(width));
            form.row(&grid, top + r as u32 + 1, &cells[..shown]);
        }
        form.blank();
    }
    Ok(form)
}

/// A cell's lines: its text split at line breaks.
fn lines(value: Option<&Data>) -> Vec<String> {
    match value {
        None | Some(Data::Empty) => Vec::new(),
        Some(Data::String(s)) => s
            .replace("\r\n", "\n")
            .split('\n')
            .map(str::to_owned)
            .collect(),
        Some(other) => vec![other.to_string()],
    }
}
