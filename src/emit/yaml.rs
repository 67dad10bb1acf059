//! YAML output that loads to the same value in YAML 1.2 readers (`yaml_serde`)
//! and YAML 1.1 readers (PyYAML).
//!
//! `yaml_serde` quotes strings by YAML 1.2 rules only, so `yes`, `off` or
//! `2024-01-01` come out bare and a YAML 1.1 reader takes them for a boolean
//! or a date. This emitter writes the same block style as `yaml_serde` but
//! quotes every string either family of readers could read as anything other
//! than a string. Multi-line strings are `|-` literal blocks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{
    ContentsEntry, Duty, DutyBlock, Edition, Field, Handover, Item, ItemSource, Receiver, Region,
    Section, Source,
};

/// Renders an edition as YAML.
pub(crate) fn render(edition: &Edition) -> String {
    let mut w = Writer {
        out: String::with_capacity(super::capacity(edition, 3)),
        pending: Pending::Root,
        stack: Vec::new(),
    };
    w.edition(edition);
    w.out
}

/// The longest key, in bytes as written, that stays an implicit `key:`.
/// YAML limits implicit keys to 1024 characters (PyYAML counts characters,
/// libyaml bytes; a character is at least a byte, so this holds for both).
const MAX_IMPLICIT_KEY: usize = 1024;

/// Where the next value goes.
#[derive(Clone, Copy)]
enum Pending {
    /// The document's root.
    Root,
    /// After `key:` written at `level`.
    Key { level: usize },
    /// After `- ` of a sequence item at `level`.
    Item { level: usize },
}

/// An open map or sequence: its entries' indentation, and whether the next
/// entry is its first and shares the line already begun (`- k: v`).
struct Open {
    level: usize,
    first: bool,
    inline: bool,
}

/// A streaming YAML writer of the records in `yaml_serde`'s block style:
/// maps indent their entries by two, sequences under a key do not indent
/// their dashes.
struct Writer {
    out: String,
    pending: Pending,
    stack: Vec<Open>,
}

/// The records' YAML, one method per record type, fields in the order and
/// with the omissions of their JSON (`Serialize`).
impl Writer {
    fn edition(&mut self, e: &Edition) {
        self.open(false, false);
        self.field("schema_version");
        self.string(&e.schema_version);
        self.field("source");
        self.source(&e.source);
        self.field("title");
        self.string(&e.title);
        self.field("issuers");
        self.strings(&e.issuers);
        self.field("region");
        self.region(&e.region);
        self.field("contents");
        self.seq(&e.contents, Writer::contents_entry);
        self.field("sections");
        self.seq(&e.sections, Writer::section);
        self.close();
    }

    fn source(&mut self, s: &Source) {
        self.open(false, false);
        self.field("path");
        self.string(&s.path);
        self.field("format");
        self.string(s.format.as_str());
        if let Some(encoding) = &s.encoding {
            self.field("encoding");
            self.string(encoding);
        }
        self.field("bytes");
        self.number(s.bytes);
        self.field("sha256");
        self.string(&s.sha256);
        self.close();
    }

    fn region(&mut self, r: &Region) {
        self.open(false, false);
        for (key, unit) in [
            ("province", &r.province),
            ("prefecture", &r.prefecture),
            ("county", &r.county),
            ("township", &r.township),
            ("code", &r.code),
        ] {
            self.field(key);
            self.optional(unit.as_deref());
        }
        self.close();
    }

    fn contents_entry(&mut self, c: &ContentsEntry) {
        self.open(false, false);
        self.field("number");
        self.number(c.number.into());
        self.field("title");
        self.string(&c.title);
        self.field("page");
        self.number(c.page.into());
        self.close();
    }

    fn section(&mut self, s: &Section) {
        self.open(false, false);
        self.field("kind");
        self.string(s.kind.as_str());
        self.field("title");
        self.string(&s.title);
        self.field("columns");
        self.strings(&s.columns);
        self.field("fields");
        self.seq(&s.fields, |w, f| w.optional(f.map(Field::as_str)));
        if let Some(page) = s.first_page {
            self.field("first_page");
            self.number(page.into());
        }
        if let Some(page) = s.last_page {
            self.field("last_page");
            self.number(page.into());
        }
        self.field("items");
        self.seq(&s.items, Writer::item);
        self.close();
    }

    fn item(&mut self, i: &Item) {
        self.open(false, false);
        self.field("seq");
        self.number(i.seq.into());
        if let Some(category) = &i.category {
            self.field("category");
            self.string(category);
        }
        self.field("name");
        self.string(&i.name);
        self.field("source");
        self.item_source(&i.source);
        if let Some(departments) = &i.superior_departments {
            self.field("superior_departments");
            self.strings(departments);
        }
        if let Some(duty) = &i.superior_duties {
            self.field("superior_duties");
            self.duty(duty);
        }
        if let Some(duty) = &i.township_duties {
            self.field("township_duties");
            self.duty(duty);
        }
        if let Some(handover) = &i.handover {
            self.field("handover");
            self.handover(handover);
        }
        if !i.extra.is_empty() {
            self.field("extra");
            self.extra(&i.extra);
        }
        self.close();
    }

    fn item_source(&mut self, s: &ItemSource) {
        self.open(false, false);
        let last_row = match s {
            ItemSource::Text(s) => {
                self.field("first_line");
                self.number(s.first_line.into());
                self.field("last_line");
                self.number(s.last_line.into());
                self.field("pages");
                self.seq(&s.pages, |w, &page| w.number(page.into()));
                None
            }
            ItemSource::Table(s) => {
                self.field("table");
                self.number(s.table.into());
                self.field("row");
                self.number(s.row.into());
                if let Some(table) = s.last_table {
                    self.field("last_table");
                    self.number(table.into());
                }
                s.last_row
            }
            ItemSource::Sheet(s) => {
                self.field("sheet");
                self.string(&s.sheet);
                self.field("row");
                self.number(s.row.into());
                if let Some(sheet) = &s.last_sheet {
                    self.field("last_sheet");
                    self.string(sheet);
                }
                s.last_row
            }
        };
        if let Some(row) = last_row {
            self.field("last_row");
            self.number(row.into());
        }
        self.close();
    }

    fn duty(&mut self, d: &Duty) {
        self.open(false, false);
        self.field("text");
        self.string(&d.text);
        self.field("blocks");
        self.seq(&d.blocks, Writer::duty_block);
        self.close();
    }

    fn duty_block(&mut self, b: &DutyBlock) {
        self.open(false, false);
        self.field("heading");
        self.optional(b.heading.as_deref());
        self.field("steps");
        self.strings(&b.steps);
        self.close();
    }

    fn handover(&mut self, h: &Handover) {
        self.open(false, false);
        self.field("text");
        self.string(&h.text);
        self.field("abolished");
        self.plain(if h.abolished { "true" } else { "false" });
        self.field("receivers");
        self.seq(&h.receivers, Writer::receiver);
        self.close();
    }

    fn receiver(&mut self, r: &Receiver) {
        self.open(false, false);
        self.field("department");
        self.string(&r.department);
        self.field("duty");
        self.string(&r.duty);
        self.close();
    }

    /// Cells of unknown columns: the column titles are keys.
    fn extra(&mut self, extra: &BTreeMap<String, String>) {
        self.open(extra.is_empty(), false);
        for (title, cell) in extra {
            self.field(title);
            self.string(cell);
        }
        self.close();
    }
}

/// The YAML building blocks the record methods are made of.
impl Writer {
    /// Writes a scalar where `pending` says.
    fn scalar(&mut self, write: impl FnOnce(&mut String, usize)) {
        let level = match self.pending {
            Pending::Root => 0,
            Pending::Key { level } => {
                self.out.push(' ');
                level + 2
            }
            Pending::Item { level } => level + 2,
        };
        write(&mut self.out, level);
        self.out.push('\n');
    }

    fn plain(&mut self, text: &str) {
        self.scalar(|out, _| out.push_str(text));
    }

    fn number(&mut self, n: u64) {
        // Formatted in place, not through a String per number.
        self.scalar(|out, _| {
            write!(out, "{n}").expect("writing to a String cannot fail");
        });
    }

    fn string(&mut self, s: &str) {
        self.scalar(|out, level| write_scalar_str(out, s, level));
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.plain("null"),
        }
    }

    fn strings(&mut self, strings: &[String]) {
        self.seq(strings, |w, s| w.string(s));
    }

    /// A sequence of `elements`, each written by `write`.
    fn seq<T>(&mut self, elements: &[T], mut write: impl FnMut(&mut Writer, &T)) {
        self.open(elements.is_empty(), true);
        for element in elements {
            self.element();
            write(self, element);
        }
        self.close();
    }

    /// Opens a map (`seq == false`) or sequence; an `empty` one is written
    /// whole as `{}` or `[]`.
    fn open(&mut self, empty: bool, seq: bool) {
        if empty {
            self.plain(if seq { "[]" } else { "{}" });
            self.stack.push(Open {
                level: 0,
                first: false,
                inline: false,
            });
            return;
        }
        let open = match (self.pending, seq) {
            (Pending::Root, _) => Open {
                level: 0,
                first: true,
                inline: true,
            },
            (Pending::Key { level }, false) => {
                self.out.push('\n');
                Open {
                    level: level + 2,
                    first: true,
                    inline: false,
                }
            }
            (Pending::Key { level }, true) => {
                self.out.push('\n');
                Open {
                    level,
                    first: true,
                    inline: false,
                }
            }
            (Pending::Item { level }, _) => Open {
                level: level + 2,
                first: true,
                inline: true,
            },
        };
        self.stack.push(open);
    }

    /// Starts the next entry of the innermost open map or sequence.
    fn entry(&mut self) -> usize {
        let open = self.stack.last_mut().expect("an open collection");
        let (level, skip_indent) = (open.level, open.first && open.inline);
        open.first = false;
        if !skip_indent {
            push_spaces(&mut self.out, level);
        }
        level
    }

    /// Starts a map entry: `key:`, or for a key too long to be an implicit
    /// one, the explicit `? key` and `:` on the next line.
    fn field(&mut self, key: &str) {
        let level = self.entry();
        let start = self.out.len();
        write_key(&mut self.out, key);
        if self.out.len() - start > MAX_IMPLICIT_KEY {
            self.out.insert_str(start, "? ");
            self.out.push('\n');
            push_spaces(&mut self.out, level);
        }
        self.out.push(':');
        self.pending = Pending::Key { level };
    }

    /// Starts a sequence element: `- `.
    fn element(&mut self) {
        let level = self.entry();
        self.out.push_str("- ");
        self.pending = Pending::Item { level };
    }

    /// Closes the innermost map or sequence: YAML writes nothing, it only
    /// forgets its indentation.
    fn close(&mut self) {
        self.stack.pop();
    }
}

/// Appends `n` spaces, a slice of a run of them at a time rather than a push
/// per space.
fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut left = n;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

/// Writes a mapping key: plain where safe, else double-quoted. A key must
/// stay on one line, so it is never a literal block.
fn write_key(out: &mut String, key: &str) {
    if is_plain_safe(key) {
        out.push_str(key);
    } else {
        write_double_quoted(out, key);
    }
}

/// Writes a string plain, as a literal block, or double-quoted, whichever is
/// the first that every reader takes back as the same string.
fn write_scalar_str(out: &mut String, s: &str, level: usize) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if is_literal_safe(s) {
        out.push_str("|-");
        for line in s.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                push_spaces(out, level);
                out.push_str(line);
            }
        }
    } else {
        write_double_quoted(out, s);
    }
}

/// Can `s` stand unquoted on one line and be read as this string by YAML 1.1
/// and 1.2 readers alike?
fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if first == b' '
        || last == b' '
        || last == b':'
        || matches!(
            first,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    {
        return false;
    }
    // `: ` and ` #` start a mapping or a comment; control characters and
    // Unicode line breaks need escapes. Each test is a vectorized scan for
    // the bytes that could begin one, then a look at the few candidates.
    let control = bytes
        .iter()
        .fold(false, |seen, &b| seen | (b < 0x20) | (b == 0x7F));
    if control {
        return false;
    }
    let at = |i: usize| bytes.get(i).copied();
    for i in memchr::memchr3_iter(b':', b' ', 0xC2, bytes) {
        let unsafe_here = match bytes[i] {
            b':' => at(i + 1) == Some(b' '),
            b' ' => at(i + 1) == Some(b'#'),
            // U+0080–U+00A0 (C2 80–A0): C1 controls and NBSP
            _ => matches!(at(i + 1), Some(0x80..=0xA0)),
        };
        if unsafe_here {
            return false;
        }
    }
    for i in memchr::memchr2_iter(0xE2, 0xEF, bytes) {
        let line_break =
            bytes[i] == 0xE2 && at(i + 1) == Some(0x80) && matches!(at(i + 2), Some(0xA8 | 0xA9));
        let bom = bytes[i] == 0xEF && at(i + 1) == Some(0xBB) && at(i + 2) == Some(0xBF);
        if line_break || bom {
            return false;
        }
    }
    // Every special word, number and date is ASCII (most strings here start
    // with a Chinese character, which settles that without a scan).
    !(first.is_ascii() && s.is_ascii() && resolves_to_non_string(s))
}

/// Would a YAML 1.1 or 1.2 reader resolve the plain scalar `s` to a null,
/// boolean, number, date or one of YAML 1.1's special keys?
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan", "=", "<<",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    // Numbers in any base, sexagesimal (12:30), with separators (1_000).
    let numeric = s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() || "+-._:xXoO".contains(c));
    // Dates and timestamps (2024-01-01, 2024-1-1 12:00:00).
    let bytes = s.as_bytes();
    let date = bytes.len() >= 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5].is_ascii_digit();
    numeric || date
}

/// Characters a plain or literal scalar must not hold.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Can `s` be written as a `|-` literal block?
fn is_literal_safe(s: &str) -> bool {
    s.contains('\n')
        && !s.ends_with('\n')
        && !s.starts_with([' ', '\n'])
        && !s.chars().any(|c| c != '\n' && needs_escape(c))
        && s.split('\n').all(|line| line.trim_end() == line)
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = c as u32;
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SectionKind, SourceFormat, TextLines, SCHEMA_VERSION};

    /// A small edition whose first item holds `name` and the unknown
    /// columns `extra`.
    fn edition(name: &str, extra: &[(&str, &str)]) -> Edition {
        Edition {
            schema_version: SCHEMA_VERSION.into(),
            source: Source {
                path: "a.txt".into(),
                format: SourceFormat::Text,
                encoding: Some("UTF-8".into()),
                bytes: 3,
                sha256: "0".repeat(64),
            },
            title: "yes".into(),
            issuers: vec![],
            region: Region {
                province: Some("新疆".into()),
                ..Region::default()
            },
            contents: vec![],
            sections: vec![Section {
                kind: SectionKind::Other,
                title: "清单".into(),
                columns: vec!["序号".into()],
                fields: vec![Some(Field::Seq)],
                first_page: Some(1),
                last_page: Some(1),
                items: vec![Item {
                    seq: 1,
                    category: None,
                    name: name.into(),
                    source: ItemSource::Text(TextLines {
                        first_line: 1,
                        last_line: 2,
                        pages: vec![1],
                    }),
                    superior_departments: None,
                    superior_duties: Some(Duty {
                        text: "一\n二".into(),
                        blocks: vec![DutyBlock {
                            heading: None,
                            steps: vec!["12:30".into()],
                        }],
                    }),
                    township_duties: None,
                    handover: Some(Handover {
                        text: String::new(),
                        abolished: true,
                        receivers: vec![],
                    }),
                    extra: extra
                        .iter()
                        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                }],
            }],
        }
    }

    /// What a YAML 1.2 reader makes of `yaml`, next to the records' JSON.
    fn reads_back(yaml: &str, edition: &Edition) {
        let back: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(back, serde_json::to_value(edition).unwrap());
    }

    #[test]
    fn yaml_1_1_words_numbers_and_dates_are_quoted() {
        for s in [
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "~",
            "null",
            "2024-01-01",
            "12:30",
            "1_000",
            "0x1F",
            "1e3",
            ".inf",
            "=",
            "<<",
            "2024-1-1 12:00",
        ] {
            assert!(!is_plain_safe(s), "{s} must be quoted");
        }
        for s in [
            "党的建设",
            "1. 制定方案",
            "C、D级",
            "yesterday",
            "DMCC",
            "伊吾县民政局：负责",
        ] {
            assert!(is_plain_safe(s), "{s} may stay plain");
        }
    }

    #[test]
    fn shape_matches_yaml_serde_block_style() {
        let edition = edition("x", &[("备注", "yes")]);
        let yaml = render(&edition);
        assert_eq!(
            yaml,
            format!(
                "schema_version: '3'\nsource:\n  path: a.txt\n  format: text\n  encoding: UTF-8\n  bytes: 3\n  sha256: '{zeros}'\n\
                 title: \"yes\"\nissuers: []\nregion:\n  province: 新疆\n  prefecture: null\n  county: null\n  township: null\n  code: null\n\
                 contents: []\nsections:\n- kind: other\n  title: 清单\n  columns:\n  - 序号\n  fields:\n  - seq\n  first_page: 1\n  last_page: 1\n  items:\n\
                 \x20 - seq: 1\n    name: x\n    source:\n      first_line: 1\n      last_line: 2\n      pages:\n      - 1\n\
                 \x20   superior_duties:\n      text: |-\n        一\n        二\n      blocks:\n      - heading: null\n        steps:\n        - \"12:30\"\n\
                 \x20   handover:\n      text: \"\"\n      abolished: true\n      receivers: []\n    extra:\n      备注: \"yes\"\n",
                zeros = "0".repeat(64)
            )
            .replace("'", "\"")
        );
        reads_back(&yaml, &edition);
    }

    #[test]
    fn a_key_with_line_breaks_is_double_quoted_not_a_literal_block() {
        let yaml = render(&edition("x", &[("一\n二", "x")]));
        assert!(
            yaml.ends_with("    extra:\n      \"一\\n二\": x\n"),
            "{yaml}"
        );
    }

    #[test]
    fn a_key_over_1024_bytes_is_an_explicit_key() {
        let long = "键".repeat(342); // 1,026 bytes
        let edge = "k".repeat(1024);
        let edition = edition("x", &[(&long, "v"), (&edge, "w")]);
        let yaml = render(&edition);
        assert!(
            yaml.ends_with(&format!(
                "    extra:\n      {edge}: w\n      ? {long}\n      : v\n"
            )),
            "{yaml}"
        );
        reads_back(&yaml, &edition);
    }

    #[test]
    fn strings_that_yaml_serde_reads_back_are_unchanged() {
        let strings = [
            "yes",
            "a: b",
            "- x",
            "一\n\n二",
            "tab\there",
            "\u{2028}",
            "  lead",
            "end\n",
            "\"q\" \\ ",
            "#x",
            "12:30",
            "2024-01-01",
        ];
        for s in strings {
            let edition = edition(s, &[(s, s)]);
            reads_back(&render(&edition), &edition);
        }
    }
}
