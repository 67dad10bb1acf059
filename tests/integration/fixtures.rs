//! Word documents and workbooks written by the tests from an edition's
//! exported text, the way counties lay the same lists out: the originals
//! qingdan must read back into the text's records.
//!
//! The text is read as what it prints: front-matter lines, then pages of a
//! title, a header row and rows. Each cell's HTML becomes what it stands
//! for in an office file: `<p>` paragraphs are paragraphs, the items of an
//! `<ol>` list (cut at their numbers and at the line-wrap after `；` or
//! `。`) are paragraphs too, and tags are gone. Word files are written by a
//! small writer of the WordprocessingML parts (paragraphs, tables with
//! `w:gridSpan`/`w:vMerge`, `w:numPr` numbering); workbooks by
//! `rust_xlsxwriter`.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook};
use zip::write::SimpleFileOptions;

/// How the lists of an original are laid out.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// Categories (the second column) merged down over a table's rows.
    pub merge_categories: bool,
    /// Steps typed `1. …` left to Word's automatic numbering instead.
    pub word_numbering: bool,
    /// Each page's title as a row inside its table, merged across, instead
    /// of a paragraph before it; Word only.
    pub title_rows: bool,
    /// Workbooks: every list on the first sheet, one under the other.
    pub one_sheet: bool,
    /// Leave out the front matter: title, issuers, contents.
    pub no_front: bool,
    /// Word: a page's table goes on from the last without its title
    /// (the list split into two tables, the header repeated).
    pub untitled_continuations: bool,
}

/// A page of the text: its title, header row and rows, each cell as its
/// paragraphs.
#[derive(Clone, Debug)]
pub struct Page {
    pub title: String,
    pub rows: Vec<Vec<Vec<String>>>,
}

/// The front lines and pages of an exported text.
pub fn pages(text: &str) -> (Vec<String>, Vec<Page>) {
    let lines: Vec<&str> = text.lines().collect();
    let is_header = |l: &str| l.starts_with("序号\t");
    let mut front = Vec::new();
    let mut pages: Vec<Page> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        if !line.contains('\t') && !line.trim().is_empty() && next.is_some_and(|n| is_header(n)) {
            pages.push(Page {
                title: line.trim().to_owned(),
                rows: Vec::new(),
            });
        } else if line.contains('\t') && !pages.is_empty() {
            let page = pages.last_mut().unwrap();
            page.rows.push(line.split('\t').map(paragraphs).collect());
        } else if pages.is_empty() {
            front.push(line.to_string());
        }
    }
    (front, pages)
}

/// A cell's HTML as the paragraphs an office file holds.
pub fn paragraphs(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cell;
    let mut list = false;
    while !rest.is_empty() {
        let (text, after) = match rest.find('<') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        if list {
            out.extend(list_items(text));
        } else if !text.trim().is_empty() {
            out.push(text.trim().to_owned());
        }
        if after.is_empty() {
            break;
        }
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[..end];
        list =
            tag.starts_with("<ol") || (list && !tag.starts_with("<p") && !tag.starts_with("</ol"));
        rest = &after[end..];
    }
    out
}

/// The items of an `<ol>` list's text: cut before ` 2. ` style numbers and
/// after `；`/`。` followed by a line-wrap space.
fn list_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let numbered = c == ' '
            && chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
                > 0
            && {
                let digits = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                chars.get(i + 1 + digits) == Some(&'.')
            };
        let wrapped = c == ' ' && matches!(chars.get(i.wrapping_sub(1)), Some('；' | '。'));
        if numbered || wrapped {
            if !current.trim().is_empty() {
                items.push(current.trim().to_owned());
            }
            current.clear();
        } else {
            current.push(c);
        }
        i += 1;
    }
    if !current.trim().is_empty() {
        items.push(current.trim().to_owned());
    }
    items
}

/// `1. 甲` → `(1, "甲")`.
fn typed_number(paragraph: &str) -> Option<(u32, &str)> {
    let digits = paragraph.bytes().take_while(u8::is_ascii_digit).count();
    let rest = paragraph[digits..].strip_prefix(". ")?;
    Some((paragraph[..digits].parse().ok()?, rest))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A Word document's body as it is written, and its numbered lists.
#[derive(Default)]
struct Word {
    body: String,
    /// Each list's first number.
    lists: Vec<u32>,
}

impl Word {
    fn paragraph(&mut self, text: &str) {
        self.body.push_str(&Self::p(None, text));
    }

    fn p(list: Option<usize>, text: &str) -> String {
        let number = list.map_or(String::new(), |id| {
            format!(
                r#"<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{id}"/></w:numPr></w:pPr>"#
            )
        });
        // Runs split at spaces, as Word splits them where formatting changes.
        let runs: String = text
            .split_inclusive(' ')
            .map(|run| {
                format!(
                    r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
                    escape(run)
                )
            })
            .collect();
        format!("<w:p>{number}{runs}</w:p>")
    }

    /// A cell's paragraphs, numbered ones put in a list of their own.
    fn cell(
        &mut self,
        paragraphs: &[String],
        numbering: bool,
        merge: Option<bool>,
        span: usize,
    ) -> String {
        let mut properties = String::new();
        if span > 1 {
            properties.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
        }
        match merge {
            Some(true) => properties.push_str(r#"<w:vMerge w:val="restart"/>"#),
            Some(false) => properties.push_str("<w:vMerge/>"),
            None => {}
        }
        let mut body = String::new();
        if merge != Some(false) {
            let mut list = None;
            for paragraph in paragraphs {
                match typed_number(paragraph).filter(|_| numbering) {
                    Some((n, text)) => {
                        let id = match list {
                            Some(id) if n > 1 => id,
                            _ => {
                                self.lists.push(n);
                                self.lists.len()
                            }
                        };
                        list = Some(id);
                        body.push_str(&Self::p(Some(id), text));
                    }
                    None => {
                        list = None;
                        body.push_str(&Self::p(None, paragraph));
                    }
                }
            }
        }
        if body.is_empty() {
            body.push_str("<w:p/>");
        }
        format!("<w:tc><w:tcPr>{properties}</w:tcPr>{body}</w:tc>")
    }

    fn numbering(&self) -> String {
        let nums: String = self
            .lists
            .iter()
            .enumerate()
            .map(|(i, start)| {
                format!(
                    r#"<w:num w:numId="{}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>"#,
                    i + 1
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{NS}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:suff w:val="space"/></w:lvl></w:abstractNum>{nums}</w:numbering>"#
        )
    }
}

const NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// An exported `text` as a Word document laid out as `layout` says: a
/// table per page.
pub fn docx(text: &str, layout: Layout) -> Vec<u8> {
    let (front, pages) = pages(text);
    let mut word = Word::default();
    if !layout.no_front {
        for line in &front {
            word.paragraph(line.trim_end());
        }
    }
    let mut previous: Option<&str> = None;
    for page in &pages {
        let continues = layout.untitled_continuations && previous == Some(page.title.as_str());
        let width = page.rows.first().map_or(1, Vec::len);
        if !continues && !layout.title_rows {
            word.paragraph(&page.title);
        }
        word.body.push_str("<w:tbl><w:tblPr/>");
        if !continues && layout.title_rows {
            let cell = word.cell(std::slice::from_ref(&page.title), false, None, width);
            word.body.push_str(&format!("<w:tr>{cell}</w:tr>"));
        }
        for (r, row) in page.rows.iter().enumerate() {
            let mut cells = String::new();
            for (c, paragraphs) in row.iter().enumerate() {
                let same = |other: usize| {
                    page.rows
                        .get(other)
                        .is_some_and(|o| o.get(c) == Some(paragraphs))
                };
                let merge = (layout.merge_categories && c == 1 && r > 0)
                    .then(|| {
                        if same(r - 1) && r > 1 {
                            Some(false)
                        } else if same(r + 1) {
                            Some(true)
                        } else {
                            None
                        }
                    })
                    .flatten();
                cells.push_str(&word.cell(paragraphs, layout.word_numbering, merge, 1));
            }
            let header = if r == 0 {
                "<w:trPr><w:tblHeader/></w:trPr>"
            } else {
                ""
            };
            word.body.push_str(&format!("<w:tr>{header}{cells}</w:tr>"));
        }
        word.body.push_str("</w:tbl>");
        previous = Some(&page.title);
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{NS}"><w:body>{}<w:sectPr/></w:body></w:document>"#,
        word.body
    );
    let mut parts = vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("word/document.xml", document),
    ];
    if !word.lists.is_empty() {
        parts.push(("word/numbering.xml", word.numbering()));
    }
    zip_of(&parts)
}

/// A ZIP of `parts`, deflated.
pub fn zip_of(parts: &[(&str, String)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        out.start_file(*name, SimpleFileOptions::default()).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// An exported `text` as a workbook laid out as `layout` says: a sheet per
/// list (its pages one under the other, each title merged across its
/// columns), or all on one sheet; the front matter's title and issuers on
/// the first sheet above the first list (a workbook has no contents page).
pub fn xlsx(text: &str, layout: Layout) -> Vec<u8> {
    let (front, pages) = pages(text);
    let mut workbook = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let mut row = 0u32;
    let mut sheet_title: Option<String> = None;
    for (p, page) in pages.iter().enumerate() {
        let new_list = sheet_title.as_deref() != Some(page.title.as_str());
        if p == 0 || (new_list && !layout.one_sheet) {
            let sheet = workbook.add_worksheet();
            sheet
                .set_name(page.title.chars().take(31).collect::<String>())
                .unwrap();
            row = 0;
        }
        sheet_title = Some(page.title.clone());
        let sheet = workbook.worksheets_mut().last_mut().unwrap();
        if p == 0 && !layout.no_front {
            // The title and the issuers: the first two front lines with text.
            for line in front.iter().filter(|l| !l.trim().is_empty()).take(2) {
                sheet.write_string(row, 0, line.trim()).unwrap();
                row += 1;
            }
        }
        let width = page.rows.first().map_or(1, Vec::len) as u16;
        if width > 1 {
            sheet
                .merge_range(row, 0, row, width - 1, &page.title, &Format::new())
                .unwrap();
        } else {
            sheet.write_string(row, 0, &page.title).unwrap();
        }
        row += 1;
        let mut r = 0;
        while r < page.rows.len() {
            for (c, paragraphs) in page.rows[r].iter().enumerate() {
                let value = paragraphs.join("\n");
                let at = (row + r as u32, c as u16);
                if let (true, Ok(number)) = (c == 0 && r > 0, value.parse::<f64>()) {
                    sheet.write_number(at.0, at.1, number).unwrap();
                    continue;
                }
                let run = page.rows[r..]
                    .iter()
                    .take_while(|o| o.get(c) == Some(paragraphs))
                    .count();
                let opens = r == 0 || page.rows[r - 1].get(c) != Some(paragraphs);
                if layout.merge_categories && c == 1 && r > 0 && run > 1 && opens {
                    let last = at.0 + run as u32 - 1;
                    sheet
                        .merge_range(at.0, at.1, last, at.1, &value, &wrap)
                        .unwrap();
                } else if !(layout.merge_categories && c == 1 && r > 1 && !opens) {
                    sheet
                        .write_string_with_format(at.0, at.1, &value, &wrap)
                        .unwrap();
                }
            }
            r += 1;
        }
        row += page.rows.len() as u32 + 1;
    }
    workbook.save_to_buffer().unwrap()
}
