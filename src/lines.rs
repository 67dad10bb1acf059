//! Offsets in a text turned into lines and columns.
//!
//! [`LineIndex::new`] finds where every line starts, once; then
//! [`LineIndex::position`] turns a byte offset into a line and column by a
//! binary search and a count of the characters before it on its line.
//! Lines and columns start at 1 and columns count characters, as
//! diagnostics report them. A line ends at `\n`; in a `\r\n` line end the
//! `\r` is the last character of its line.

/// Where each line of a text starts.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text` in one pass.
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The line and column (characters) of byte `offset`. An offset past the
    /// end is the end; one inside a character is that character.
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let column = self.text[self.starts[line - 1]..offset].chars().count() + 1;
        (line as u32, column as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts the position of each offset in `text`.
    fn positions(text: &str, expected: &[(usize, (u32, u32))]) {
        let lines = LineIndex::new(text);
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
}
