//! Diagnostics as data: what is wrong, where, and what to do about it.
//!
//! Every stage reports problems as [`Diagnostic`] values and keeps going;
//! rendering them for a terminal or as JSON is the job of `render`. Lines and
//! columns start at 1 and refer to the original input file; columns count
//! characters, not bytes.

use std::fmt;

use serde::Serialize;

use crate::model::Field;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The edition cannot be converted.
    Error,
    /// The edition converts, but something deserves a look.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $summary:literal, $action:literal;)*) => {
        /// A stable diagnostic code; the README's table lists them all.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `E004`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// Whether this code is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// One line saying what to do about it.
            pub fn action(self) -> &'static str {
                match self { $(Code::$variant => $action,)* }
            }
        }
    };
}

codes! {
    TooLarge = "E001", Error,
        "the input is larger than `--max-bytes`",
        "check that the file is an edition; raise `--max-bytes` if it really is one";
    InvalidBytes = "E002", Error,
        "the input has bytes that are invalid in its encoding",
        "re-export the edition, or fix the bytes at the position shown";
    NoList = "E003", Error,
        "no list section was found (no page title followed by a `序号` header row)",
        "check that the file is an exported duty list and not empty, binary or prose";
    CellCount = "E004", Error,
        "a row has a different number of cells than its page's header row",
        "restore the lost or extra tab in the row";
    ContinuesNothing = "E005", Error,
        "a continuation part (`续上页`) continues no cut cell",
        "check the item number of the continuation row and the `未完见下页` marker before it";
    NeverContinued = "E006", Error,
        "a cell cut with `未完见下页` is never continued",
        "add the missing continuation row, or remove the marker";
    DuplicateSeq = "E007", Error,
        "an item number appears twice where it is not a continuation",
        "renumber one of the items";
    StrayLine = "E008", Error,
        "a line on a list page is neither a page header nor a row",
        "join the line to its row, or remove it";
    EmptyField = "E009", Error,
        "an item has an empty name or item number",
        "fill in the missing cell";
    Schema = "E010", Error,
        "a JSON or YAML file given to `validate` is not valid JSON or YAML, or breaks qingdan's output schema (`qingdan schema`)",
        "fix the value at the path shown, or convert the edition again";
    MissingSection = "E011", Error,
        "a list the contents page names never appears: the edition looks cut off",
        "re-export the edition in full, or remove the contents entry if the list was left out on purpose";
    EmptyPage = "E012", Error,
        "a page has a header row and no rows under it",
        "re-export the edition in full (a file cut off after a header row looks like this), or remove the empty page";
    EmptyColumnTitle = "E013", Error,
        "a header row has a column without a title",
        "give the column its title, or remove the stray tab (a header row cut in the middle looks like this)";
    DuplicateColumn = "E014", Error,
        "two columns of a header row fill the same field or have the same title",
        "remove or rename one of the two columns";
    ControlCharacter = "E015", Error,
        "the text holds a control character (NUL or another C0 character but tab and line ends)",
        "remove the control character; re-export the edition if there are many";
    SeqTooLarge = "E016", Error,
        "an item number is larger than 4294967295",
        "correct the item number";
    NotText = "E020", Error,
        "the input is a file qingdan does not read: an old binary Word or Excel file (.doc, .xls, .wps, .et), an encrypted document, a PDF, an image, a program or an archive",
        "convert it to .docx or .xlsx (or export it as text) as the help says";
    NotOutput = "E021", Error,
        "a JSON or YAML input is not an output the command reads (not written by qingdan, or a YAML output given to `diff`)",
        "give an edition, or the `.json` that `qingdan convert` wrote";
    DuplicateKey = "E022", Error,
        "a JSON or YAML object has the same key twice",
        "remove or rename one of the two; qingdan never writes a key twice";
    OutputSeqTwice = "E023", Error,
        "an output lists two items with the same `seq` in one section",
        "renumber one of them, or convert the edition again";
    Vocabulary = "E024", Error,
        "a vocabulary file (`--vocab`, or `qingdan.toml` in the input folder) cannot be read",
        "fix the file at the position shown; `qingdan vocab` prints a valid one";
    Original = "E025", Error,
        "a Word document or workbook cannot be read: a damaged or truncated ZIP, a part missing or not well-formed, or encrypted",
        "open the file in Word, Excel or WPS and save it anew (without a password) as .docx or .xlsx";
    Numbering = "W201", Warning,
        "item numbers have a gap or are out of order",
        "check for a lost or misnumbered item";
    RepeatDisagrees = "W203", Warning,
        "a cell repeated on a continuation page differs from its first part; the first is kept",
        "check which wording is right and correct the edition";
    LatinWord = "W204", Warning,
        "a Latin word stands inside Chinese text",
        "check for a stray word left by the export (e.g. `and` for `和`)";
    ContentsPage = "W205", Warning,
        "the contents page gives a different page than where the section starts",
        "correct the contents page";
    CutOff = "W206", Warning,
        "a name or duty ends as if cut off",
        "check the end of the text against the printed edition";
    UnknownColumn = "W207", Warning,
        "a column header qingdan does not know; its cells are kept under `extra`",
        "add the column title to qingdan's vocabulary if it is a known field";
    UnmarkedContinuation = "W208", Warning,
        "a cut cell's continuation lacks a `续上页` marker; joined anyway",
        "check that the continuation row belongs to the cut item";
    UnknownEntity = "W209", Warning,
        "an HTML entity qingdan does not know is kept as written",
        "replace the entity with the character it stands for";
    SkippedFrontLine = "W210", Warning,
        "a front-matter line that is neither title nor issuers (an attachment mark, a document number, text above the title) is skipped",
        "check that the title qingdan took is the edition's title; remove the line if it is not part of the edition";
    NotInDivisions = "W211", Warning,
        "a unit of the title is not in the statistical division codes (2023); the region keeps it as written and has no `code`",
        "correct the title if the unit is misspelt (the warning names the nearest units the codes have); a unit renamed or made since 2023 is kept as written";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A place in the input: 1-based line and character column, and how many
/// characters the problem spans (at least 1 when rendered).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// Length in characters of what is pointed at.
    #[serde(skip)]
    pub len: u32,
}

impl Position {
    /// A position spanning `len` characters.
    pub fn new(line: u32, column: u32, len: u32) -> Position {
        Position { line, column, len }
    }
}

/// A place in a Word document or a workbook, in the file's own terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Location {
    /// A paragraph outside the document's tables (title, issuers,
    /// contents), counting the document's paragraphs from 1.
    Paragraph {
        /// The paragraph.
        paragraph: u32,
    },
    /// A cell of a Word table; all three count from 1.
    Table {
        /// The table, counting the document's tables.
        table: u32,
        /// The row, counting the table's rows.
        row: u32,
        /// The cell, counting the row's cells.
        column: u32,
    },
    /// A cell of a sheet, where Excel shows it (column 1 is `A`).
    Sheet {
        /// The sheet's name.
        sheet: String,
        /// The row, as Excel numbers it.
        row: u32,
        /// The column, from 1.
        column: u32,
    },
}

impl fmt::Display for Location {
    /// `paragraph 3`, `table 2, row 14, column 5`, `配合履职事项清单!E12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Paragraph { paragraph } => write!(f, "paragraph {paragraph}"),
            Location::Table { table, row, column } => {
                write!(f, "table {table}, row {row}, column {column}")
            }
            Location::Sheet { sheet, row, column } => {
                write!(f, "{sheet}!{}{row}", column_name(*column))
            }
        }
    }
}

/// A sheet's column as Excel names it: 1 → `A`, 27 → `AA`.
pub(crate) fn column_name(column: u32) -> String {
    let mut name = Vec::new();
    let mut n = column;
    while n > 0 {
        let digit = (n - 1) % 26;
        name.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// Where a diagnostic about a Word document or workbook is, in the file's
/// terms, and the cell (or paragraph) it is about, as qingdan read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The cell or paragraph.
    pub location: Location,
    /// Its text as qingdan read it (paragraphs of a cell as `<p>…</p>`).
    #[serde(skip)]
    pub quote: String,
    /// The column in `quote` (characters, from 1) the diagnostic points at.
    #[serde(skip)]
    pub column: u32,
}

/// A secondary place a diagnostic points at, with a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Where.
    pub position: Position,
    /// Where in a Word document or workbook; `None` for text.
    pub place: Option<Box<Place>>,
    /// What is there.
    pub label: String,
}

/// The values a diagnostic's message names — what was expected and what
/// was found — as data, for tools that act on diagnostics; `--format json`
/// prints them as `facts` (`{"expected": 6, "found": 5}`). The message says
/// the same in words. Codes whose message names no value carry none.
///
/// ```
/// use qingdan::{Code, Facts};
///
/// let text = "某县某镇履职事项清单\n\n序号\t事项名称\n1\t加强党的建设\t多出的一格\n";
/// let conversion = qingdan::convert("x.txt", text.as_bytes(), &qingdan::Options::new());
/// let error = conversion.diagnostics.iter().find(|d| d.code == Code::CellCount).unwrap();
/// assert_eq!(error.facts.as_deref(), Some(&Facts::Count { expected: 2, found: 3 }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Facts {
    /// A number against the one expected: the cells of a row against its
    /// header row's columns (E004), an item's number against the next one
    /// (W201), the page a contents entry gives against its list's first
    /// page (W205), an input's bytes against `--max-bytes`, the most
    /// allowed (E001).
    Count {
        /// What was expected (for E001, the most allowed).
        expected: u64,
        /// What was found.
        found: u64,
    },
    /// A text found where another was expected: the Latin word in Chinese
    /// text (W204), the character a text ends in as if cut off (W206).
    Text {
        /// The text found.
        found: String,
    },
    /// A column title the vocabulary does not know (W207), and the field
    /// whose titles are nearest it.
    Column {
        /// The title as printed.
        title: String,
        /// The field it may mean, if any is near.
        nearest: Option<Field>,
    },
    /// A unit of the title that the division codes do not have where it
    /// stands (W211), with the names they have there nearest it.
    Unit {
        /// `province`, `prefecture`, `county` or `township`.
        level: &'static str,
        /// The unit as the title spells it.
        found: String,
        /// The codes' names nearest it, nearest first (at most three).
        nearest: Vec<&'static str>,
    },
}

/// One problem found in an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Where the problem is: in a text, the line and column of the file;
    /// in a Word document or workbook, of the text qingdan made of it
    /// (`place` says where that is in the file).
    pub position: Position,
    /// Where the problem is in a Word document or workbook; `None` for text.
    pub place: Option<Box<Place>>,
    /// What is wrong, in one sentence: what was expected and what was found.
    pub message: String,
    /// A label under the primary position.
    pub label: Option<String>,
    /// Other places involved (a boxed slice: most diagnostics have none,
    /// and a diagnostic is passed around by value).
    pub notes: Box<[Note]>,
    /// What to do, where that is obvious.
    pub help: Option<String>,
    /// The values the message names, as data.
    pub facts: Option<Box<Facts>>,
}

impl Diagnostic {
    /// A diagnostic with `code` at `position`.
    pub fn new(code: Code, position: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            position,
            place: None,
            message: message.into(),
            label: None,
            notes: Box::default(),
            help: None,
            facts: None,
        }
    }

    /// Adds the values the message names.
    pub fn with_facts(mut self, facts: Facts) -> Diagnostic {
        self.facts = Some(Box::new(facts));
        self
    }

    /// Adds a label under the primary position.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary position.
    pub fn with_note(mut self, position: Position, label: impl Into<String>) -> Diagnostic {
        let mut notes = std::mem::take(&mut self.notes).into_vec();
        notes.push(Note {
            position,
            place: None,
            label: label.into(),
        });
        self.notes = notes.into_boxed_slice();
        self
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Error or warning, from the code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Is this an error?
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {} (", self.severity(), self.code, self.message)?;
        match &self.place {
            Some(place) => write!(f, "{})", place.location),
            None => write!(
                f,
                "line {}, column {})",
                self.position.line, self.position.column
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_columns_are_named_as_excel_names_them() {
        let names: Vec<String> = [1, 5, 26, 27, 52, 53, 702, 703]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(names, ["A", "E", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
        let cell = Location::Sheet {
            sheet: "配合履职事项清单".into(),
            row: 12,
            column: 5,
        };
        assert_eq!(cell.to_string(), "配合履职事项清单!E12");
    }
}
