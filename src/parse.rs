//! Stage 2, **parse**: text → front matter, pages and raw rows.
//!
//! A page starts with a page header: a title line ending in `清单`, then
//! (after blank lines) a header row whose first cell is `序号`. Pages count
//! from 1 at the first page header. Every other non-blank line on a page is a
//! row: tab-separated cells, the first the item number. A cell may break over
//! lines; its row then goes on until it has as many cells as the header.
//! Everything here borrows from the decoded text: a [`Cell`] is a slice of it
//! with the line and column where it starts.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till1, take_while, take_while1};
use nom::character::complete::{char, digit1, one_of, space0};
use nom::combinator::{all_consuming, map_opt, map_res, opt};
use nom::multi::many0_count;
use nom::{IResult, Parser};

use crate::controls;
use crate::diagnostic::{Code, Diagnostic, Facts, Position};
use crate::front::{self, FrontLine};
use crate::lines::SourceLines;
use crate::model::{Field, SectionKind};
use crate::vocab;
use crate::vocabulary::Vocabulary;

/// A whole line of text with its 1-based line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLine<'a> {
    /// The line, trimmed; for a title broken over lines, all of them, with
    /// the line ends between them.
    pub text: &'a str,
    /// Its line number.
    pub line: u32,
}

/// One entry of the contents page, e.g. `1. 基本履职事项清单·····⇥1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentsLine<'a> {
    /// The entry number.
    pub number: u32,
    /// The title, without leaders.
    pub title: &'a str,
    /// The page it names.
    pub page: u32,
    /// Its line number.
    pub line: u32,
    /// The column (in characters, from 1) where the title starts.
    pub column: u32,
}

/// One cell of a row: a slice of the text and where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell<'a> {
    /// The raw cell, markup and markers included.
    pub text: &'a str,
    /// Byte offset of its first character in the decoded text.
    pub offset: usize,
}

impl Cell<'_> {
    /// The position of the whole cell (its length counted in characters).
    pub fn position(&self, lines: &SourceLines<'_>) -> Position {
        lines.at(self.offset, self.text.chars().count() as u32)
    }
}

/// A row as printed on one page: the item number and its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow<'a> {
    /// The item number from the first cell (larger ones are refused,
    /// [`Code::SeqTooLarge`]).
    pub seq: u32,
    /// The page it is printed on.
    pub page: u32,
    /// Its first line.
    pub line: u32,
    /// Its last line (rows with line breaks inside cells span several).
    pub last_line: u32,
    /// All cells, the item number's included, one per header column.
    pub cells: Vec<Cell<'a>>,
}

/// A page's header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderRow<'a> {
    /// Its line.
    pub line: u32,
    /// Column titles, trimmed.
    pub columns: Vec<&'a str>,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<'a> {
    /// Page number, from 1 at the first page header.
    pub number: u32,
    /// The page's title line.
    pub title: TextLine<'a>,
    /// The section kind the title names.
    pub kind: SectionKind,
    /// The header row.
    pub header: HeaderRow<'a>,
    /// The rows, in order.
    pub rows: Vec<RawRow<'a>>,
}

/// What stands before the first list page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The title: the first line ending in `清单` (joined with the line
    /// before it when the title was broken over two), lines above it skipped.
    pub title: Option<TextLine<'a>>,
    /// The line naming the issuers, if the front matter has one.
    pub issuers: Option<TextLine<'a>>,
    /// The contents page.
    pub contents: Vec<ContentsLine<'a>>,
}

/// A parsed edition: front matter and pages, and the text's lines indexed
/// for the positions of later stages.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    /// Title, issuers and contents.
    pub front: FrontMatter<'a>,
    /// The list pages.
    pub pages: Vec<Page<'a>>,
    /// The decoded text's lines.
    pub lines: SourceLines<'a>,
    /// The vocabulary it was read with.
    pub vocabulary: &'a Vocabulary,
}

/// A line of the text with its number and byte offset.
#[derive(Clone, Copy)]
struct SourceLine<'a> {
    text: &'a str,
    number: u32,
    offset: usize,
}

/// `text` split at every ASCII byte `sep`, as `str::split` would, with the
/// memchr crate's vectorised search (cells run to hundreds of bytes).
fn split_bytes(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let ends = memchr::memchr_iter(sep, text.as_bytes()).chain([text.len()]);
    ends.scan(0, move |start, end| {
        let piece = &text[*start..end];
        *start = end + 1;
        Some(piece)
    })
}

/// Parses decoded text into a [`Document`], reporting what it cannot read.
pub fn parse<'a>(text: &'a str, vocabulary: &'a Vocabulary) -> (Document<'a>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    controls::check(text, &mut diagnostics);
    let lines: Vec<SourceLine<'_>> = split_bytes(text, b'\n')
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
        .enumerate()
        .map(|(i, (offset, text))| SourceLine {
            text,
            number: i as u32 + 1,
            offset,
        })
        .collect();
    let mut parser = PageReader {
        text,
        lines: &lines,
        doc: Document {
            front: FrontMatter::default(),
            pages: Vec::new(),
            lines: SourceLines::new(text),
            vocabulary,
        },
        diagnostics,
    };
    parser.run();
    if parser.doc.pages.is_empty() {
        let found = if text.trim().is_empty() {
            "an empty file".to_owned()
        } else {
            // A final line end starts no line of its own.
            let count = lines.len() - usize::from(text.ends_with('\n'));
            format!(
                "{count} line{} without one",
                if count == 1 { "" } else { "s" }
            )
        };
        parser.diagnostics.push(
            Diagnostic::new(
                Code::NoList,
                Position::new(1, 1, 1),
                format!("expected a list page (a title line ending in `清单`, then a `序号` header row), found {found}"),
            )
            .with_help("is this an exported duty list? Lists are tab-separated tables under a page title"),
        );
    }
    (parser.doc, parser.diagnostics)
}

struct PageReader<'a, 'l> {
    text: &'a str,
    lines: &'l [SourceLine<'a>],
    doc: Document<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> PageReader<'a, '_> {
    fn run(&mut self) {
        let mut i = 0;
        let mut in_contents = false;
        let mut front: Vec<FrontLine<'a>> = Vec::new();
        // Front matter: everything before the first page header.
        while i < self.lines.len() {
            if self.page_header_at(i).is_some() {
                break;
            }
            let line = self.lines[i];
            let trimmed = line.text.trim();
            i += 1;
            if trimmed.is_empty() {
                continue;
            }
            let text_line = TextLine {
                text: trimmed,
                line: line.number,
            };
            if vocab::is_contents_heading(trimmed) {
                in_contents = true;
            } else if in_contents {
                // A line without a title (only leaders and a page) is no entry.
                if let Some((_, (number, title, page))) = contents_line(trimmed)
                    .ok()
                    .filter(|(_, (_, title, _))| !title.is_empty())
                {
                    // The title is a slice of the line: its offset in it.
                    let before = title.as_ptr() as usize - line.text.as_ptr() as usize;
                    self.doc.front.contents.push(ContentsLine {
                        number,
                        title,
                        page,
                        line: line.number,
                        column: line.text[..before].chars().count() as u32 + 1,
                    });
                }
            } else {
                let start = line.offset + (line.text.len() - line.text.trim_start().len());
                front.push(FrontLine {
                    line: text_line,
                    start,
                });
            }
        }
        (self.doc.front.title, self.doc.front.issuers) =
            front::title_and_issuers(self.text, &front, &mut self.diagnostics);
        // Pages.
        while i < self.lines.len() {
            if let Some(header_index) = self.page_header_at(i) {
                let title = TextLine {
                    text: self.lines[i].text.trim(),
                    line: self.lines[i].number,
                };
                i = self.page(title, header_index);
            } else if let Some(title) = self
                .doc
                .pages
                .last()
                .map(|p| p.title)
                .filter(|_| self.is_header_row(i))
            {
                // Some exports repeat only the header row at a page break:
                // a new page under the title of the one before.
                i = self.page(title, i);
            } else {
                // Only reached for lines between pages that are not blank.
                self.stray(i);
                i += 1;
            }
        }
    }

    /// If a page header starts at line `i`, the index of its header row.
    fn page_header_at(&self, i: usize) -> Option<usize> {
        let title = self.lines[i].text.trim();
        if title.is_empty()
            || title.contains('\t')
            || self.doc.vocabulary.section_kind(title).is_none()
        {
            return None;
        }
        let j = (i + 1..self.lines.len()).find(|&j| !self.lines[j].text.trim().is_empty())?;
        self.is_header_row(j).then_some(j)
    }

    /// Is line `i` a header row: tab-separated, its first cell `序号`?
    fn is_header_row(&self, i: usize) -> bool {
        let line = self.lines[i].text;
        line.contains('\t')
            && self
                .doc
                .vocabulary
                .column_field(line.split('\t').next().unwrap_or("").trim())
                == Some(Field::Seq)
    }

    /// Parses the page with `title` whose header row is line `h`; returns the
    /// index of the first line after it.
    fn page(&mut self, title: TextLine<'a>, h: usize) -> usize {
        let header = HeaderRow {
            line: self.lines[h].number,
            columns: self.lines[h].text.split('\t').map(str::trim).collect(),
        };
        let number = self.doc.pages.len() as u32 + 1;
        let mut rows: Vec<RawRow<'a>> = Vec::new();
        let mut j = h + 1;
        let mut empty = true;
        while j < self.lines.len() {
            let line = self.lines[j];
            if line.text.trim().is_empty() {
                j += 1;
                continue;
            }
            if self.page_header_at(j).is_some() || self.is_header_row(j) {
                break;
            }
            empty = false;
            if row_start(line.text).is_err() {
                self.stray(j);
                j += 1;
                continue;
            }
            // A row runs on over following lines while it lacks cells.
            let mut end = j;
            while cell_count(self.span(j, end)) < header.columns.len()
                && end + 1 < self.lines.len()
                && !self.lines[end + 1].text.trim().is_empty()
                && row_start(self.lines[end + 1].text).is_err()
                && self.page_header_at(end + 1).is_none()
                && !self.is_header_row(end + 1)
            {
                end += 1;
            }
            if let Some(row) = self.row(j, end, number, &header) {
                rows.push(row);
            }
            j = end + 1;
        }
        if empty {
            self.empty_page(&header, h);
        }
        self.doc.pages.push(Page {
            number,
            title,
            kind: self
                .doc
                .vocabulary
                .section_kind(title.text)
                .unwrap_or(SectionKind::Other),
            header,
            rows,
        });
        j
    }

    /// The text of lines `first..=last`, without the final line end.
    fn span(&self, first: usize, last: usize) -> &'a str {
        let start = self.lines[first].offset;
        let end = self.lines[last].offset + self.lines[last].text.len();
        &self.text[start..end]
    }

    /// Splits the row on lines `first..=last` into cells.
    fn row(
        &mut self,
        first: usize,
        last: usize,
        page: u32,
        header: &HeaderRow<'a>,
    ) -> Option<RawRow<'a>> {
        let text = self.span(first, last);
        let line = self.lines[first].number;
        let mut offset = self.lines[first].offset;
        let cells: Vec<Cell<'a>> = split_bytes(text, b'\t')
            .map(|cell| {
                let start = Cell { text: cell, offset };
                offset += cell.len() + 1;
                start
            })
            .collect();
        if cells.len() != header.columns.len() {
            let end = self.doc.lines.at(self.lines[first].offset + text.len(), 1);
            let problem = if cells.len() < header.columns.len() {
                "the row ends early: a tab was lost, or the file is cut off here"
            } else {
                "the row has a tab too many"
            };
            self.diagnostics.push(
                Diagnostic::new(
                    Code::CellCount,
                    end,
                    format!(
                        "expected {} cells as in the header row, found {}",
                        header.columns.len(),
                        cells.len()
                    ),
                )
                .with_label(problem)
                .with_facts(Facts::Count {
                    expected: header.columns.len() as u64,
                    found: cells.len() as u64,
                })
                .with_note(
                    Position::new(header.line, 1, 2),
                    format!("the header row has {} columns", header.columns.len()),
                )
                .with_help("each row needs one tab between neighbouring cells"),
            );
            return None;
        }
        let digits = row_start(cells[0].text).ok()?.1;
        let Ok(seq) = digits.parse::<u32>() else {
            self.seq_too_large(&cells[0], digits);
            return None;
        };
        Some(RawRow {
            seq,
            page,
            line,
            last_line: self.lines[last].number,
            cells,
        })
    }

    /// Reports the page whose header row (line index `h`) has no rows under
    /// it: what a file cut off after a header row looks like.
    fn empty_page(&mut self, header: &HeaderRow<'a>, h: usize) {
        let next = self
            .lines
            .get(h + 1..)
            .and_then(|rest| rest.iter().find(|l| !l.text.trim().is_empty()));
        // Where the next page starts is a note, not a line number in the
        // message: a Word document's or workbook's notes are shown at their
        // cells.
        let found = if next.is_some() {
            "the next page"
        } else {
            "the end of the file"
        };
        let mut diagnostic = Diagnostic::new(
            Code::EmptyPage,
            Position::new(header.line, 1, self.lines[h].text.chars().count() as u32),
            format!("expected rows under the header row, found {found}"),
        )
        .with_label("a header row with no rows")
        .with_help("the edition looks truncated or cut here: re-export it in full; if the page really is empty, remove its title and header row");
        if let Some(line) = next {
            let len = line.text.chars().count().max(1) as u32;
            diagnostic = diagnostic.with_note(
                Position::new(line.number, 1, len),
                "the next page starts here",
            );
        }
        self.diagnostics.push(diagnostic);
    }

    /// Reports an item number too large for one (`digits`, in `cell`).
    fn seq_too_large(&mut self, cell: &Cell<'a>, digits: &str) {
        let indent = cell.text.len() - cell.text.trim_start().len();
        let shown = if digits.len() > 24 {
            format!("{}… ({} digits)", &digits[..20], digits.len())
        } else {
            digits.to_owned()
        };
        self.diagnostics.push(
            Diagnostic::new(
                Code::SeqTooLarge,
                self.doc.lines.at(cell.offset + indent, digits.len() as u32),
                format!(
                    "expected an item number of at most {}, found {shown}",
                    u32::MAX
                ),
            )
            .with_label("item number too large")
            .with_help("correct the item number; lists number their items 1, 2, 3, …"),
        );
    }

    fn stray(&mut self, i: usize) {
        let line = self.lines[i];
        let shown: String = line.text.trim().chars().take(20).collect();
        let indent = line.text.chars().take_while(|c| c.is_whitespace()).count() as u32;
        self.diagnostics.push(
            Diagnostic::new(
                Code::StrayLine,
                Position::new(line.number, indent + 1, line.text.trim().chars().count() as u32),
                format!("expected a row starting with an item number and a tab, or a page title; found `{shown}`"),
            )
            .with_help("if this line belongs to the row above, join it to that row; if it is a row, give it its item number"),
        );
    }
}

/// The number of tab-separated cells in `text`.
fn cell_count(text: &str) -> usize {
    memchr::memchr_iter(b'\t', text.as_bytes()).count() + 1
}

/// `  12<TAB>…`: optional spaces, the item number's digits, a tab (or the
/// end, for the item number cell alone). The digits are not yet a number, so
/// that one too large for an item number is reported as that.
fn row_start(input: &str) -> IResult<&str, &str> {
    let (rest, (_, seq, _)) = (space0, digit1, take_while(|c: char| c == ' ')).parse(input)?;
    if rest.is_empty() || rest.starts_with('\t') {
        Ok((rest, seq))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            rest,
            nom::error::ErrorKind::Char,
        )))
    }
}

/// `1. 基本履职事项清单·····<TAB>1`: number, title, dotted leaders, page.
fn contents_line(input: &str) -> IResult<&str, (u32, &str, u32)> {
    let leader = |c: char| vocab::CONTENTS_LEADERS.contains(&c);
    let (rest, (number, _, _, title, _, _, _, page, _)) = all_consuming((
        alt((
            map_res(digit1, str::parse::<u32>),
            map_opt(
                take_while1(|c: char| chinese_digit(c).is_some()),
                chinese_number,
            ),
        )),
        one_of(vocab::CONTENTS_NUMBER_ENDINGS),
        space0,
        take_till1(move |c: char| leader(c) || c == '\t'),
        many0_count(take_while1(move |c: char| leader(c))),
        take_while(|c: char| c == '\t' || c == ' '),
        opt(char(vocab::PAGE_PREFIX)),
        map_res(digit1, str::parse::<u32>),
        opt((opt(tag(vocab::PAGE_SUFFIX)), space0)),
    ))
    .parse(input)?;
    Ok((rest, (number, title.trim(), page)))
}

/// The value of a Chinese numeral digit, `十` as 10.
fn chinese_digit(c: char) -> Option<u32> {
    vocab::CHINESE_DIGITS
        .chars()
        .position(|d| d == c)
        .map(|n| n as u32)
}

/// A Chinese numeral up to 99 (`三` 3, `十二` 12, `二十` 20, `二十一` 21).
fn chinese_number(s: &str) -> Option<u32> {
    let digits: Vec<u32> = s.chars().map(chinese_digit).collect::<Option<_>>()?;
    match digits.as_slice() {
        [d] => Some(*d),
        [10, d] if *d < 10 => Some(10 + d),
        [t, 10] if *t < 10 => Some(t * 10),
        [t, 10, d] if *t < 10 && *d < 10 => Some(t * 10 + d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_split_agrees_with_str_split() {
        for text in ["", "\t", "a\tb", "\t甲\t\t乙\t", "甲乙"] {
            let ours: Vec<&str> = split_bytes(text, b'\t').collect();
            let std: Vec<&str> = text.split('\t').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    const PAGES: &str = "标题\n\n目 录\n\n1. 基本履职事项清单·····\t1\n\n某镇基本履职事项清单\n\n序号\t事项类别\t事项名称\n1\t党的建设\t甲\n2\t党的建设\t乙\n\n某镇基本履职事项清单\n\n序号\t事项类别\t事项名称\n3\t党的建设\t丙\n";

    #[test]
    fn pages_count_from_the_first_page_header() {
        let (doc, diags) = parse(PAGES, Vocabulary::builtin_ref());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(doc.pages.len(), 2);
        assert_eq!(doc.pages[0].number, 1);
        assert_eq!(doc.pages[1].number, 2);
        assert_eq!(doc.pages[1].rows[0].seq, 3);
        assert_eq!(doc.pages[1].rows[0].line, 16);
        assert_eq!(doc.pages[0].kind, SectionKind::Basic);
    }

    #[test]
    fn front_matter_has_title_and_contents() {
        let (doc, _) = parse(PAGES, Vocabulary::builtin_ref());
        assert_eq!(doc.front.title.unwrap().text, "标题");
        assert_eq!(doc.front.issuers, None);
        assert_eq!(doc.front.contents.len(), 1);
        assert_eq!(
            (
                doc.front.contents[0].number,
                doc.front.contents[0].title,
                doc.front.contents[0].page
            ),
            (1, "基本履职事项清单", 1)
        );
    }

    #[test]
    fn cells_know_their_line_and_character_column() {
        let (doc, _) = parse(PAGES, Vocabulary::builtin_ref());
        let cell = doc.pages[0].rows[1].cells[2];
        assert_eq!(
            (cell.text, doc.lines.position(cell.offset)),
            ("乙", (11, 8))
        );
    }

    #[test]
    fn a_row_that_lost_a_tab_is_an_error_at_its_end() {
        let text = PAGES.replace("2\t党的建设\t乙", "2\t党的建设乙");
        let (_, diags) = parse(&text, Vocabulary::builtin_ref());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::CellCount);
        assert_eq!(diags[0].position.line, 11);
        assert_eq!(diags[0].position.column, 8);
    }

    #[test]
    fn a_cell_broken_over_lines_stays_one_cell() {
        let text = PAGES.replace("1\t党的建设\t甲", "1\t党的\n建设\t甲");
        let (doc, diags) = parse(&text, Vocabulary::builtin_ref());
        assert!(diags.is_empty(), "{diags:?}");
        let row = &doc.pages[0].rows[0];
        assert_eq!(row.cells[1].text, "党的\n建设");
        assert_eq!((row.line, row.last_line), (10, 11));
    }

    #[test]
    fn a_header_row_alone_starts_a_page_under_the_same_title() {
        let text = PAGES.replace(
            "\n某镇基本履职事项清单\n\n序号\t事项类别\t事项名称\n3",
            "\n序号\t事项类别\t事项名称\n3",
        );
        let (doc, diags) = parse(&text, Vocabulary::builtin_ref());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(doc.pages.len(), 2);
        assert_eq!(doc.pages[1].title, doc.pages[0].title);
        assert_eq!(
            (
                doc.pages[1].number,
                doc.pages[1].header.line,
                doc.pages[1].rows[0].seq
            ),
            (2, 13, 3)
        );
    }

    #[test]
    fn prose_has_no_list() {
        let (doc, diags) = parse(
            "这是一段文字。\n没有任何清单。\n",
            Vocabulary::builtin_ref(),
        );
        assert!(doc.pages.is_empty());
        assert_eq!(diags[0].code, Code::NoList);
    }

    #[test]
    fn a_contents_line_without_a_title_is_no_entry() {
        // `take_till1` takes the ideographic space, which `trim` then removes.
        let text = PAGES.replace("1. 基本履职事项清单·····\t1", "1.\u{3000}·····\t1");
        let (doc, _) = parse(&text, Vocabulary::builtin_ref());
        assert_eq!(doc.front.contents, vec![]);
    }

    #[test]
    fn contents_lines_take_leaders_and_page_words() {
        assert_eq!(
            contents_line("2. 配合履职事项清单……\t17"),
            Ok(("", (2, "配合履职事项清单", 17)))
        );
        assert_eq!(
            contents_line("3、收回事项清单\t第89页"),
            Ok(("", (3, "收回事项清单", 89)))
        );
        assert_eq!(
            contents_line("二、配合履职事项清单……17"),
            Ok(("", (2, "配合履职事项清单", 17)))
        );
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十一"), Some(21));
        assert_eq!(chinese_number("十十"), None);
    }
}
