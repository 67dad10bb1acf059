//! Offsets in a text turned into lines and columns, and back.
//!
//! [`SourceLines::new`] walks the text once and notes where every line
//! starts and where every 64th character stands. Then
//! [`SourceLines::position`] turns a byte offset into a line and column by
//! two binary searches and a count of at most 64 characters, and the
//! renderer turns a line and column back into bytes the same way: however
//! long a line is, and in whatever order positions are asked for, each costs
//! about the same. Lines and columns start at 1 and columns count
//! characters, as diagnostics report them. A line ends at `\n`; in a `\r\n`
//! line end the `\r` is the last character of its line.
//!
//! ```
//! let lines = qingdan::SourceLines::new("甲乙\n丙a丁");
//! assert_eq!(lines.position(6), (1, 3));
//! assert_eq!(lines.position(11), (2, 3));
//! ```

use std::ops::Range;

use crate::diagnostic::Position;

/// Characters between two entries of [`SourceLines::checkpoints`].
const CHECKPOINT: usize = 64;

/// A text with its lines indexed: the one type every offset → line and
/// column (and back) goes through, from decoding to showing a diagnostic.
#[derive(Clone, Debug)]
pub struct SourceLines<'a> {
    text: &'a str,
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    /// For each line, the number of characters before its start.
    char_starts: Vec<usize>,
    /// Byte offset of every [`CHECKPOINT`]-th character of `text`.
    checkpoints: Vec<usize>,
}

impl<'a> SourceLines<'a> {
    /// Indexes `text` in one pass.
    ///
    /// ```
    /// let lines = qingdan::SourceLines::new("序号\n1\t党的建设\n");
    /// // Byte 10 is `党`: line 2, column 3 (columns count characters).
    /// assert_eq!(lines.position(10), (2, 3));
    /// ```
    pub fn new(text: &'a str) -> SourceLines<'a> {
        let mut starts = vec![0];
        let mut char_starts = vec![0];
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        for (n, (i, c)) in text.char_indices().enumerate() {
            if n % CHECKPOINT == 0 {
                checkpoints.push(i);
            }
            if c == '\n' {
                starts.push(i + 1);
                char_starts.push(n + 1);
            }
        }
        SourceLines {
            text,
            starts,
            char_starts,
            checkpoints,
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The line and column (characters) of byte `offset`. An offset past the
    /// end is the end; one inside a character is that character.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let column = self.char_index(offset) - self.char_starts[line - 1] + 1;
        (line as u32, column as u32)
    }

    /// The [`Position`] of byte `offset`, spanning `len` characters (at
    /// least one).
    pub(crate) fn at(&self, offset: usize, len: u32) -> Position {
        let (line, column) = self.position(offset);
        Position::new(line, column, len.max(1))
    }

    /// The number of characters before byte `offset` (a char boundary).
    fn char_index(&self, offset: usize) -> usize {
        let k = self
            .checkpoints
            .partition_point(|&c| c <= offset)
            .saturating_sub(1);
        let from = self.checkpoints.get(k).copied().unwrap_or(0);
        k * CHECKPOINT + self.text[from..offset].chars().count()
    }

    /// The byte range of line `line` (from 1), without its line end.
    pub(crate) fn line(&self, line: u32) -> Option<Range<usize>> {
        let index = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some(start..end)
    }

    /// The byte offset of character `n` (from 0) of line `line` (from 1),
    /// the line's end if the line is shorter (`None` for no such line).
    pub(crate) fn offset_of(&self, line: u32, n: usize) -> Option<usize> {
        let range = self.line(line)?;
        let target = self.char_starts[line as usize - 1].saturating_add(n);
        let Some(&from) = self.checkpoints.get(target / CHECKPOINT) else {
            return Some(range.end);
        };
        let at = self.text[from..]
            .char_indices()
            .nth(target % CHECKPOINT)
            .map_or(self.text.len(), |(i, _)| from + i);
        Some(at.min(range.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts the position of each offset in `text`.
    fn positions(text: &str, expected: &[(usize, (u32, u32))]) {
        let lines = SourceLines::new(text);
        for &(offset, position) in expected {
            assert_eq!(lines.position(offset), position, "{text:?} at {offset}");
        }
    }

    #[test]
    fn ascii_offsets_give_lines_and_columns_from_one() {
        positions(
            "ab\ncd\n",
            &[
                (0, (1, 1)),
                (1, (1, 2)),
                (2, (1, 3)),
                (3, (2, 1)),
                (4, (2, 2)),
            ],
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // Inside a character (4, 12): that character.
        positions(
            "甲乙\n丙a丁",
            &[
                (3, (1, 2)),
                (4, (1, 2)),
                (6, (1, 3)),
                (7, (2, 1)),
                (11, (2, 3)),
                (12, (2, 3)),
                (14, (2, 4)),
            ],
        );
    }

    #[test]
    fn a_crlf_line_end_ends_its_line_at_the_lf() {
        positions(
            "ab\r\ncd",
            &[(2, (1, 3)), (3, (1, 4)), (4, (2, 1)), (5, (2, 2))],
        );
    }

    #[test]
    fn offsets_at_and_past_the_end_are_the_end() {
        positions("ab\n甲", &[(6, (2, 2)), (7, (2, 2)), (usize::MAX, (2, 2))]);
        positions("", &[(0, (1, 1)), (5, (1, 1))]);
        positions("a\n", &[(2, (2, 1)), (3, (2, 1))]);
    }

    #[test]
    fn every_offset_and_its_line_and_column_agree_both_ways_across_checkpoints() {
        // Lines longer and shorter than a checkpoint, mixed widths.
        let text: String = (0..40)
            .map(|i| "甲a乙".repeat(i * 7 % 50) + if i % 3 == 0 { "\r\n" } else { "\n" })
            .collect();
        let lines = SourceLines::new(&text);
        let (mut line, mut column) = (1, 1);
        for (offset, c) in text.char_indices() {
            assert_eq!(lines.position(offset), (line, column), "at {offset}");
            assert_eq!(
                lines.offset_of(line, column as usize - 1),
                Some(offset),
                "{line}:{column}"
            );
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
    }
}
