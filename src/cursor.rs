//! Input positions of many offsets into one joined cell, in one pass.
//!
//! [`JoinedCell::position_at`] counts lines and characters from the start of
//! the offset's piece, so asking it for every Latin word of a long cell
//! rescans the cell each time (quadratic: 50,000 words in one cell took
//! seconds). A [`CellCursor`] remembers where it last stood and only walks
//! forward from there when the next offset is further on, which is how
//! diagnostics are found: left to right.

use crate::assemble::JoinedCell;
use crate::diagnostic::Position;

/// A place in a joined cell: a byte offset and the input position of it.
#[derive(Clone, Copy, Debug)]
struct Mark {
    /// Index of the piece the offset is in.
    piece: usize,
    /// Byte offset in the joined text.
    offset: usize,
    /// Input line of that byte.
    line: u32,
    /// Input column (characters) of that byte.
    column: u32,
}

/// Finds input positions in one [`JoinedCell`], cheapest when asked in
/// increasing offset order.
pub(crate) struct CellCursor<'c, 'a> {
    cell: &'c JoinedCell<'a>,
    last: Option<Mark>,
}

impl<'c, 'a> CellCursor<'c, 'a> {
    /// A cursor at the start of `cell`.
    pub(crate) fn new(cell: &'c JoinedCell<'a>) -> Self {
        CellCursor { cell, last: None }
    }

    /// Where byte `offset` of the joined text stands in the input, spanning
    /// `len` characters: the same as [`JoinedCell::position_at`].
    pub(crate) fn position_at(&mut self, offset: usize, len: u32) -> Position {
        let pieces = &self.cell.pieces;
        let offset = offset.min(self.cell.text.len());
        // The last piece starting at or before `offset` (the first if none).
        let piece = pieces
            .partition_point(|p| p.offset <= offset)
            .saturating_sub(1);
        let from = match self.last {
            Some(mark) if mark.piece == piece && mark.offset <= offset => mark,
            _ => {
                let start = pieces[piece];
                Mark {
                    piece,
                    offset: start.offset,
                    line: start.line,
                    column: start.column,
                }
            }
        };
        let mark = walk(&self.cell.text, from, offset);
        self.last = Some(mark);
        Position::new(mark.line, mark.column, len.max(1))
    }
}

/// Steps from `from` to byte `to`, counting line ends and characters.
fn walk(text: &str, from: Mark, to: usize) -> Mark {
    let between = &text[from.offset..to];
    let (line, column) = match between.rfind('\n') {
        Some(nl) => (
            from.line + memchr::memchr_iter(b'\n', between.as_bytes()).count() as u32,
            between[nl + 1..].chars().count() as u32 + 1,
        ),
        None => (from.line, from.column + between.chars().count() as u32),
    };
    Mark {
        piece: from.piece,
        offset: to,
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::assemble::CellPiece;

    fn cell(text: &str, pieces: &[(usize, u32, u32)]) -> JoinedCell<'static> {
        JoinedCell {
            text: Cow::Owned(text.to_owned()),
            pieces: pieces
                .iter()
                .map(|&(offset, line, column)| CellPiece {
                    offset,
                    line,
                    column,
                })
                .collect(),
        }
    }

    #[test]
    fn the_cursor_agrees_with_position_at_in_any_order() {
        let joined = cell("甲乙 and 丙\n丁 or 戊己 xy 庚", &[(0, 3, 5), (20, 9, 2)]);
        let offsets: Vec<usize> = joined.text.char_indices().map(|(i, _)| i).collect();
        let mut cursor = CellCursor::new(&joined);
        // Forward, then backward, then forward again from the middle.
        let order = offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain(&offsets[offsets.len() / 2..]);
        for &at in order {
            assert_eq!(
                cursor.position_at(at, 2),
                joined.position_at(at, 2),
                "offset {at}"
            );
        }
    }
}
