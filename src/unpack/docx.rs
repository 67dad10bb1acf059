//! Word documents (`.docx`): the body's paragraphs and tables, read with
//! `quick-xml` from `word/document.xml`, and Word's automatic numbering
//! from `word/numbering.xml`.
//!
//! Paragraphs before a table give the title, issuers and contents, as
//! lines; each table is a list page, titled by the paragraph just before it
//! or by a title row inside it; a table that follows another with nothing
//! between (a list split at a page end) repeats the title in force, as a
//! page of the export would. A cell spans `w:gridSpan` grid columns; a cell
//! merged down (`w:vMerge`) gives its text to every row it covers. Deleted
//! text, field codes and drawings are not text of the list.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use quick_xml::XmlVersion;

use super::container::{damaged, Container};
use super::{Cell, Grid, TextForm};
use crate::diagnostic::{Code, Diagnostic, Position};

/// The part holding the document's body.
const DOCUMENT: &str = "word/document.xml";
/// The part holding the definitions of numbered lists.
const NUMBERING: &str = "word/numbering.xml";

/// The part with the document's styles, which may number their paragraphs.
const STYLES: &str = "word/styles.xml";

/// How many styles deep a style's numbering is looked for through
/// `w:basedOn` (Word itself stops at a cycle).
const STYLE_DEPTH: usize = 16;

/// Reads a Word document's body into its text form.
pub(super) fn read(bytes: &[u8], max_bytes: u64) -> Result<TextForm, Diagnostic> {
    let mut container = Container::open(bytes, "Word document", max_bytes)?;
    let Some(document) = container.part(DOCUMENT)? else {
        return Err(damaged(
            format!("expected a Word document's text in `{DOCUMENT}`, found no such part"),
            "this ZIP is not a Word document: open it in Word or WPS and save it as .docx",
        ));
    };
    let mut numbering = match container.part(NUMBERING)? {
        Some(xml) => Numbering::read(&xml)?,
        None => Numbering::default(),
    };
    if let Some(xml) = container.part(STYLES)? {
        numbering.read_styles(&xml)?;
    }
    let blocks = Body::new(&document, numbering).blocks()?;
    if !blocks.iter().any(|b| matches!(b, Block::Table(_))) {
        let paragraphs = blocks.len();
        return Err(Diagnostic::new(
            Code::NoList,
            Position::new(1, 1, 1),
            format!("expected the lists as tables in the Word document, found no table ({paragraphs} paragraphs)"),
        )
        .with_help("qingdan reads each list from a table with a `序号` header row; a list typed as paragraphs must be made a table first"));
    }
    Ok(lay_out(&blocks))
}

/// A paragraph or a table of the body.
#[derive(Debug, PartialEq, Eq)]
enum Block {
    Paragraph(String),
    Table(Vec<Vec<WordCell>>),
}

/// A table cell as Word stores it.
#[derive(Debug, Default, PartialEq, Eq)]
struct WordCell {
    /// Grid columns it spans (`w:gridSpan`).
    span: u32,
    merge: Merge,
    /// Its paragraphs.
    lines: Vec<String>,
}

/// A cell's part in a vertical merge (`w:vMerge`).
#[derive(Debug, Default, PartialEq, Eq)]
enum Merge {
    #[default]
    None,
    /// `w:vMerge w:val="restart"`: the top cell, whose text the merge shows.
    Restart,
    /// A bare `w:vMerge`: covered by the cell above.
    Continue,
}

/// Lays blocks out as the text form: paragraphs as lines, tables as pages.
fn lay_out(blocks: &[Block]) -> TextForm {
    let mut form = TextForm::default();
    let (mut paragraph, mut table) = (0, 0);
    // The list title in force, and a paragraph since the last table.
    let (mut title, mut before): (Option<String>, Option<String>) = (None, None);
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                paragraph += 1;
                if text.trim().is_empty() {
                    form.blank();
                } else {
                    form.paragraph(paragraph, text);
                    before = Some(text.trim().to_owned());
                }
            }
            Block::Table(rows) => {
                table += 1;
                let grid = Grid::Table(table);
                let rows = merged(rows);
                let first = rows.iter().find(|row| row.iter().any(|c| !c.is_blank()));
                let title_row = first.and_then(|row| only_text(row));
                match (before.take(), &title_row) {
                    (Some(paragraph), None) => title = Some(paragraph),
                    (None, None) => {
                        if let Some(title) = &title {
                            form.blank();
                            form.repeated_title(title, &grid);
                        }
                    }
                    (_, Some(row_title)) => title = Some(row_title.clone()),
                }
                form.blank();
                for (r, cells) in rows.iter().enumerate() {
                    if cells.iter().all(Cell::is_blank) {
                        form.blank();
                    } else {
                        form.row(&grid, r as u32 + 1, cells);
                    }
                }
                form.blank();
            }
        }
    }
    form
}

/// The text of a row's one filled cell, when it has only one (a title row).
fn only_text(row: &[Cell]) -> Option<String> {
    let mut filled = row.iter().filter(|c| !c.is_blank());
    match (filled.next(), filled.next()) {
        (Some(cell), None) => Some(cell.lines.join(" ").trim().to_owned()),
        _ => None,
    }
}

/// A table's rows with vertical merges resolved: a covered cell shows the
/// text of the cell that opens its merge. Columns are grid columns, from 1.
fn merged(rows: &[Vec<WordCell>]) -> Vec<Vec<Cell>> {
    let mut open: HashMap<u32, &[String]> = HashMap::new();
    rows.iter()
        .map(|row| {
            let mut column = 0;
            row.iter()
                .map(|cell| {
                    let lines = match cell.merge {
                        Merge::Continue => open.get(&column).map_or(&[][..], |l| l).to_vec(),
                        Merge::Restart => {
                            open.insert(column, &cell.lines);
                            cell.lines.clone()
                        }
                        Merge::None => {
                            open.remove(&column);
                            cell.lines.clone()
                        }
                    };
                    let out = Cell {
                        column: column + 1,
                        lines,
                    };
                    column += cell.span.max(1);
                    out
                })
                .collect()
        })
        .collect()
}

/// The `w:val` (any prefix) of an element.
fn val(element: &BytesStart<'_>) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// An attribute of an element by its local name.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The error for a part that is not well-formed XML.
fn malformed(part: &str, at: u64, error: &dyn std::fmt::Display) -> Diagnostic {
    damaged(
        format!("expected well-formed XML in `{part}`, found {error} at byte {at}"),
        "the document is damaged: open it in Word or WPS and save it anew",
    )
}

/// Reads the body's events, one method per element that matters.
struct Body<'x> {
    reader: Reader<&'x [u8]>,
    numbering: Numbering,
}

impl<'x> Body<'x> {
    fn new(xml: &'x str, numbering: Numbering) -> Body<'x> {
        Body {
            reader: Reader::from_str(xml),
            numbering,
        }
    }

    fn next(&mut self) -> Result<Event<'x>, Diagnostic> {
        self.reader
            .read_event()
            .map_err(|e| malformed(DOCUMENT, self.reader.error_position(), &e))
    }

    /// Skips what is inside `element`, which has just started.
    fn skip(&mut self, element: &BytesStart<'_>) -> Result<(), Diagnostic> {
        self.reader
            .read_to_end(element.name())
            .map(drop)
            .map_err(|e| malformed(DOCUMENT, self.reader.error_position(), &e))
    }

    /// The end of the part, reached inside an element.
    fn cut(&self, inside: &str) -> Diagnostic {
        let at = self.reader.buffer_position();
        malformed(
            DOCUMENT,
            at,
            &format!("the end of the part inside `{inside}`"),
        )
    }

    /// The body's paragraphs and tables, in order; content controls and
    /// other wrappers are looked through.
    fn blocks(&mut self) -> Result<Vec<Block>, Diagnostic> {
        let mut blocks = Vec::new();
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "p" => blocks.push(Block::Paragraph(self.paragraph()?)),
                    "tbl" => blocks.push(Block::Table(self.table()?)),
                    "sectPr" => self.skip(&e)?,
                    _ => {}
                },
                Event::Empty(e) if e.local_name().as_ref() == "p" => {
                    blocks.push(Block::Paragraph(String::new()));
                }
                Event::Eof => return Ok(blocks),
                _ => {}
            }
        }
    }

    /// A paragraph's text, its number first when Word numbers it.
    fn paragraph(&mut self) -> Result<String, Diagnostic> {
        let mut text = String::new();
        let mut number = None;
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "pPr" => number = self.numbering_of()?,
                    "t" => self.text(&mut text)?,
                    // Deleted or moved-away text, field codes, drawings and
                    // text boxes, the alternative of alternate content.
                    "delText" | "instrText" | "del" | "moveFrom" | "drawing" | "pict"
                    | "object" | "AlternateContent" | "rPr" => self.skip(&e)?,
                    _ => {}
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    "tab" => text.push('\t'),
                    "br" | "cr" => text.push('\n'),
                    "noBreakHyphen" => text.push('-'),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "p" => break,
                Event::Eof => return Err(self.cut("w:p")),
                _ => {}
            }
        }
        Ok(
            match number.and_then(|(id, level)| self.numbering.label(&id, level)) {
                Some(label) => label + &text,
                None => text,
            },
        )
    }

    /// The text of a `w:t`, entities resolved.
    fn text(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        loop {
            match self.next()? {
                Event::Text(t) => out.push_str(&t.xml10_content()),
                Event::CData(t) => out.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_owned),
                    };
                    match resolved {
                        Some(s) => out.push_str(&s),
                        None => {
                            out.push('&');
                            out.push_str(&r);
                            out.push(';');
                        }
                    }
                }
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.cut("w:t")),
                _ => {}
            }
        }
    }

    /// The numbering (`numId`, level) a paragraph's properties give it:
    /// its own `w:numPr`, or else its style's (a list style such as
    /// `List Number`); `numId` 0 is none.
    fn numbering_of(&mut self) -> Result<Option<(String, u8)>, Diagnostic> {
        let (mut id, mut level, mut style) = (None, None, None);
        loop {
            match self.next()? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "numId" => id = val(&e),
                    "ilvl" => level = val(&e).and_then(|v| v.parse().ok()),
                    "pStyle" => style = val(&e),
                    "pPrChange" | "rPr" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "pPr" => break,
                Event::Eof => return Err(self.cut("w:pPr")),
                _ => {}
            }
        }
        let numbered = match id {
            Some(id) => Some((id, level.unwrap_or(0))),
            None => style
                .and_then(|style| self.numbering.of_style(&style))
                .map(|(id, style_level)| (id, level.unwrap_or(style_level))),
        };
        Ok(numbered.filter(|(id, _)| id != "0"))
    }

    /// A table's rows; a table nested in a cell gives its paragraphs to
    /// that cell.
    fn table(&mut self) -> Result<Vec<Vec<WordCell>>, Diagnostic> {
        let mut rows = Vec::new();
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tr" => rows.push(self.row()?),
                    "tblPr" | "tblGrid" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tbl" => return Ok(rows),
                Event::Eof => return Err(self.cut("w:tbl")),
                _ => {}
            }
        }
    }

    fn row(&mut self) -> Result<Vec<WordCell>, Diagnostic> {
        let mut cells = Vec::new();
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tc" => cells.push(self.cell()?),
                    "trPr" | "tblPrEx" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tr" => return Ok(cells),
                Event::Eof => return Err(self.cut("w:tr")),
                _ => {}
            }
        }
    }

    fn cell(&mut self) -> Result<WordCell, Diagnostic> {
        let mut cell = WordCell {
            span: 1,
            ..WordCell::default()
        };
        loop {
            match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "tcPr" => self.cell_properties(&mut cell)?,
                    "p" => cell.lines.push(self.paragraph()?),
                    "tbl" => {
                        let nested = self.table()?;
                        cell.lines
                            .extend(nested.into_iter().flatten().flat_map(|c| c.lines));
                    }
                    _ => {}
                },
                Event::Empty(e) if e.local_name().as_ref() == "p" => cell.lines.push(String::new()),
                Event::End(e) if e.local_name().as_ref() == "tc" => return Ok(cell),
                Event::Eof => return Err(self.cut("w:tc")),
                _ => {}
            }
        }
    }

    fn cell_properties(&mut self, cell: &mut WordCell) -> Result<(), Diagnostic> {
        loop {
            match self.next()? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "gridSpan" => {
                        cell.span = val(&e).and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                    "vMerge" => {
                        cell.merge = match val(&e).as_deref() {
                            Some("restart") => Merge::Restart,
                            _ => Merge::Continue,
                        };
                    }
                    "tcPrChange" => self.skip(&e)?,
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "tcPr" => return Ok(()),
                Event::Eof => return Err(self.cut("w:tcPr")),
                _ => {}
            }
        }
    }
}

/// Word's numbered lists: what each level of each list displays, and the
/// counters as the document goes on. Lists are counted by `numId`, as
/// Word counts them across the whole document; only decimal levels get a
/// number (bullets and other formats get none).
#[derive(Debug, Default)]
struct Numbering {
    /// `numId` → its abstract list, and its start overrides by level.
    lists: HashMap<String, (String, HashMap<u8, u32>)>,
    /// (abstract list, level) → its definition.
    levels: HashMap<(String, u8), Level>,
    /// `numId` → the counter of each level.
    counters: HashMap<String, [u32; 9]>,
    /// Paragraph style → the numbering its `w:numPr` gives, and the style
    /// it is based on.
    styles: HashMap<String, StyleNumbering>,
}

/// What a paragraph style says about numbering.
#[derive(Debug, Default)]
struct StyleNumbering {
    /// `w:numId`, when the style sets one.
    id: Option<String>,
    /// `w:ilvl`, when the style sets one.
    level: Option<u8>,
    /// `w:basedOn`: the style it inherits from.
    based_on: Option<String>,
}

/// A level of an abstract list.
#[derive(Clone, Debug, Default)]
struct Level {
    start: u32,
    /// `w:numFmt`: `decimal`, `bullet`, …
    format: String,
    /// `w:lvlText`: `%1.`, `%1.%2`, …
    text: String,
    /// What follows the number: a tab (the default) or a space become one
    /// space, `nothing` none.
    suffix: String,
}

impl Numbering {
    fn read(xml: &str) -> Result<Numbering, Diagnostic> {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let (mut abstract_id, mut level): (Option<String>, Option<(u8, Level)>) = (None, None);
        let (mut num_id, mut override_level) = (None::<String>, 0u8);
        loop {
            let event = reader
                .read_event()
                .map_err(|e| malformed(NUMBERING, reader.error_position(), &e))?;
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "abstractNum" => abstract_id = attribute(&e, "abstractNumId"),
                    "lvl" => {
                        let ilvl = attribute(&e, "ilvl").and_then(|v| v.parse().ok());
                        level = ilvl.map(|l| {
                            (
                                l,
                                Level {
                                    start: 1,
                                    ..Level::default()
                                },
                            )
                        });
                    }
                    "start" => {
                        if let Some((_, l)) = &mut level {
                            l.start = val(&e).and_then(|v| v.parse().ok()).unwrap_or(1);
                        }
                    }
                    "numFmt" => {
                        if let Some((_, l)) = &mut level {
                            l.format = val(&e).unwrap_or_default();
                        }
                    }
                    "lvlText" => {
                        if let Some((_, l)) = &mut level {
                            l.text = val(&e).unwrap_or_default();
                        }
                    }
                    "suff" => {
                        if let Some((_, l)) = &mut level {
                            l.suffix = val(&e).unwrap_or_default();
                        }
                    }
                    "num" => {
                        num_id = attribute(&e, "numId");
                    }
                    "abstractNumId" => {
                        if let (Some(id), Some(target)) = (&num_id, val(&e)) {
                            numbering.lists.entry(id.clone()).or_default().0 = target;
                        }
                    }
                    "lvlOverride" => {
                        override_level = attribute(&e, "ilvl")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                    }
                    "startOverride" => {
                        if let (Some(id), Some(start)) =
                            (&num_id, val(&e).and_then(|v| v.parse().ok()))
                        {
                            numbering
                                .lists
                                .entry(id.clone())
                                .or_default()
                                .1
                                .insert(override_level, start);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "lvl" => {
                        if let (Some(id), Some((l, def))) = (&abstract_id, level.take()) {
                            numbering.levels.insert((id.clone(), l), def);
                        }
                    }
                    "abstractNum" => abstract_id = None,
                    "num" => num_id = None,
                    _ => {}
                },
                Event::Eof => return Ok(numbering),
                _ => {}
            }
        }
    }

    /// Reads the paragraph styles' numbering from `word/styles.xml`.
    fn read_styles(&mut self, xml: &str) -> Result<(), Diagnostic> {
        let mut reader = Reader::from_str(xml);
        let mut style: Option<(String, StyleNumbering)> = None;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| malformed(STYLES, reader.error_position(), &e))?;
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name();
                    match (name.as_ref(), &mut style) {
                        ("style", _) => {
                            let paragraph = attribute(&e, "type").as_deref() == Some("paragraph");
                            style = attribute(&e, "styleId")
                                .filter(|_| paragraph)
                                .map(|id| (id, StyleNumbering::default()));
                        }
                        ("basedOn", Some((_, s))) => s.based_on = val(&e),
                        ("numId", Some((_, s))) => s.id = val(&e),
                        ("ilvl", Some((_, s))) => s.level = val(&e).and_then(|v| v.parse().ok()),
                        _ => {}
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    if let Some((id, numbering)) = style.take() {
                        self.styles.insert(id, numbering);
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// The numbering (`numId`, level) paragraph style `style` gives, itself
    /// or through the styles it is based on.
    fn of_style(&self, style: &str) -> Option<(String, u8)> {
        let (mut id, mut level) = (None, None);
        let mut current = self.styles.get(style);
        for _ in 0..STYLE_DEPTH {
            let Some(s) = current else { break };
            id = id.or(s.id.clone());
            level = level.or(s.level);
            if id.is_some() && level.is_some() {
                break;
            }
            current = s.based_on.as_deref().and_then(|b| self.styles.get(b));
        }
        Some((id?, level.unwrap_or(0)))
    }

    /// Counts a paragraph of list `id` at `level`, and gives the number
    /// Word displays before it (`3. `), for decimal levels.
    fn label(&mut self, id: &str, level: u8) -> Option<String> {
        let (abstract_id, starts) = self.lists.get(id)?;
        let start_of = |l: u8| -> u32 {
            starts.get(&l).copied().unwrap_or_else(|| {
                self.levels
                    .get(&(abstract_id.clone(), l))
                    .map_or(1, |d| d.start)
            })
        };
        let level = level.min(8);
        let counters = self.counters.entry(id.to_owned()).or_insert([0; 9]);
        let at = level as usize;
        counters[at] = if counters[at] == 0 {
            start_of(level)
        } else {
            counters[at] + 1
        };
        for deeper in &mut counters[at + 1..] {
            *deeper = 0;
        }
        let counters = *counters;
        let definition = self.levels.get(&(abstract_id.clone(), level))?;
        let mut text = definition.text.clone();
        for l in (0..=level).rev() {
            let placeholder = format!("%{}", l + 1);
            if text.contains(&placeholder) {
                let format = self
                    .levels
                    .get(&(abstract_id.clone(), l))
                    .map_or("", |d| d.format.as_str());
                if format != "decimal" {
                    return None;
                }
                let value = counters[l as usize].max(start_of(l));
                text = text.replace(&placeholder, &value.to_string());
            }
        }
        if definition.format != "decimal" {
            return None;
        }
        match definition.suffix.as_str() {
            "nothing" => {}
            _ => text.push(' '),
        }
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn body(inner: &str) -> String {
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{inner}</w:body></w:document>"#)
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, text: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
    }

    #[test]
    fn merged_cells_give_their_text_to_every_row_they_cover() {
        let xml = body(&format!(
            "{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            p("某镇基本履职事项清单"),
            tc("", "序号"),
            tc("", "事项类别"),
            tc("", "1"),
            tc(r#"<w:vMerge w:val="restart"/>"#, "党的建设"),
            tc("", "2"),
            tc("<w:vMerge/>", ""),
        ));
        let blocks = Body::new(&xml, Numbering::default()).blocks().unwrap();
        let form = lay_out(&blocks);
        assert_eq!(
            form.text(),
            "某镇基本履职事项清单\n\n序号\t事项类别\n1\t党的建设\n2\t党的建设\n\n"
        );
    }

    #[test]
    fn deleted_text_field_codes_and_tab_stops_are_not_text() {
        let xml = body(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
               <w:r><w:t xml:space="preserve">甲 </w:t></w:r>
               <w:del><w:r><w:delText>删</w:delText></w:r></w:del>
               <w:r><w:instrText>PAGEREF _Toc1</w:instrText></w:r>
               <w:r><w:tab/><w:t>&amp;1</w:t></w:r></w:p>"#,
        );
        let blocks = Body::new(&xml, Numbering::default()).blocks().unwrap();
        assert_eq!(blocks, [Block::Paragraph("甲 \t&1".into())]);
    }

    #[test]
    fn decimal_lists_show_the_numbers_word_displays() {
        let numbering = format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="7">
                 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
               </w:abstractNum>
               <w:abstractNum w:abstractNumId="8">
                 <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
               </w:abstractNum>
               <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
               <w:num w:numId="2"><w:abstractNumId w:val="7"/>
                 <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
               <w:num w:numId="3"><w:abstractNumId w:val="8"/></w:num></w:numbering>"#
        );
        let mut numbering = Numbering::read(&numbering).unwrap();
        let labels: Vec<Option<String>> = [("1", 0), ("1", 0), ("2", 0), ("3", 0), ("1", 0)]
            .iter()
            .map(|(id, level)| numbering.label(id, *level))
            .collect();
        let expected = [Some("1. "), Some("2. "), Some("5. "), None, Some("3. ")];
        assert_eq!(labels, expected.map(|l| l.map(str::to_owned)));
    }

    #[test]
    fn a_list_style_numbers_its_paragraphs_through_the_styles_it_is_based_on() {
        let mut numbering = Numbering::read(&format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="7">
                 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
               </w:abstractNum><w:num w:numId="4"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
        ))
        .unwrap();
        numbering
            .read_styles(&format!(
                r#"<w:styles {W}>
                 <w:style w:type="paragraph" w:styleId="ListNumber"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
                 <w:style w:type="paragraph" w:styleId="Steps"><w:basedOn w:val="ListNumber"/></w:style>
                 <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
                 <w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style></w:styles>"#
            ))
            .unwrap();
        let styled = |style: &str, text: &str, props: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let xml = body(
            &[
                styled("Steps", "甲", ""),
                styled("ListNumber", "乙", ""),
                // Numbering turned off on the paragraph itself.
                styled("Steps", "丙", r#"<w:numPr><w:numId w:val="0"/></w:numPr>"#),
                // A style based on itself numbers nothing, and ends.
                styled("Loop", "丁", ""),
                styled("Steps", "戊", ""),
            ]
            .concat(),
        );
        let blocks = Body::new(&xml, numbering).blocks().unwrap();
        let texts = ["1. 甲", "2. 乙", "丙", "丁", "3. 戊"];
        assert_eq!(blocks, texts.map(|t| Block::Paragraph(t.into())));
    }

    #[test]
    fn a_cut_part_is_an_error_not_a_panic() {
        let xml = body(&p("甲"));
        for end in [10, 60, 90, xml.len() - 20] {
            let result = Body::new(&xml[..end], Numbering::default()).blocks();
            if let Err(error) = result {
                assert_eq!(error.code, Code::Original, "{}", error.message);
            }
        }
    }
}
