//! An Excel workbook (`.xlsx`) for the officials who read and edit the
//! lists in Excel, WPS or LibreOffice, written with `rust_xlsxwriter`.
//!
//! One sheet per list, named after it (its title without the place, so
//! `基本履职事项清单`); on each, the list's title merged across its
//! columns, then the header row (frozen, and repeated on every printed
//! page), then one row per item. Every row carries its own category (no
//! merged cells to break sorting and filtering); a duty shows its headings
//! and its steps each on a line of their own, numbered as printed. The
//! edition's title, issuers and contents stand above the first list.
//!
//! The workbook reads back into the same records: it is laid out as the
//! workbooks qingdan reads (`crate::unpack`), and a duty is cut into lines
//! only where its text has a heading or a step begin, so that joining the
//! lines again gives its text.
//!
//! An edition that does not fit Excel's limits (a cell of more than 32,767
//! characters, a list of more rows or columns than a sheet has) is an
//! error naming the place, checked before anything is written.
//!
//! The bytes are deterministic: the document's dates are fixed, and
//! `rust_xlsxwriter` gives every part of the ZIP the same time stamp.

use std::io::{Cursor, Read};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use unicode_width::UnicodeWidthStr;

use super::column_text;
use crate::error::Error;
use crate::model::{Duty, DutyBlock, Edition, Field, Item, Section, SCHEMA_VERSION};
use crate::normalize::push_clean;

/// The custom document property by which qingdan knows a workbook for its
/// own (its value is the contract's version).
const GENERATOR_PROPERTY: &str = "qingdan-schema-version";

/// The date every workbook is dated: fixed, so the bytes are too.
const DOCUMENT_DATE: (u16, u8, u8) = (2024, 1, 1);

/// Excel's limit on the length of a sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;

/// Characters Excel does not allow in a sheet name.
const NOT_IN_SHEET_NAME: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];

/// Excel's limits: the characters of a cell (UTF-16 code units, as Excel
/// counts them) and the rows of a sheet.
const CELL_CHARS: usize = 32_767;
const SHEET_ROWS: usize = 1_048_576;
const SHEET_COLUMNS: usize = 16_384;

/// A sheet name Excel keeps for itself.
const RESERVED_SHEET_NAME: &str = "history";

/// Renders an edition as a workbook; an error when it does not fit one (a
/// cell longer than Excel holds, a list longer than a sheet).
pub(crate) fn render(edition: &Edition) -> Result<Vec<u8>, Error> {
    write(edition).map_err(|unwritable| match unwritable {
        Unwritable::Limit(error) => error,
        Unwritable::Xlsx(error) => {
            unreachable!("the records are checked against Excel's limits first: {error}")
        }
    })
}

/// Why a workbook was not written.
enum Unwritable {
    /// The edition exceeds one of Excel's limits.
    Limit(Error),
    /// rust_xlsxwriter refused something the checks here let through.
    Xlsx(XlsxError),
}

impl From<XlsxError> for Unwritable {
    fn from(error: XlsxError) -> Unwritable {
        Unwritable::Xlsx(error)
    }
}

/// Writes `text` at `row`, `column`, refusing a text longer than a cell
/// holds (named by `place`).
fn put(
    sheet: &mut Worksheet,
    (row, column): (u32, u16),
    text: &str,
    format: &Format,
    place: impl FnOnce() -> String,
) -> Result<(), Unwritable> {
    fits(text, place)?;
    sheet.write_string_with_format(row, column, text, format)?;
    Ok(())
}

/// Refuses a text longer than a cell holds (named by `place`).
fn fits(text: &str, place: impl FnOnce() -> String) -> Result<(), Unwritable> {
    let units = text.encode_utf16().count();
    if units > CELL_CHARS {
        let unit = "characters in a cell";
        let error = Error::too_large_for_workbook(place(), unit, CELL_CHARS, units);
        return Err(Unwritable::Limit(error));
    }
    Ok(())
}

/// Does `bytes` hold a workbook qingdan wrote: a ZIP whose custom document
/// properties carry [`GENERATOR_PROPERTY`]?
pub(crate) fn is_signed(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(part) = archive.by_name("docProps/custom.xml") else {
        return false;
    };
    // The part qingdan writes is a few hundred bytes; read no more than that.
    let mut xml = String::new();
    part.take(4096).read_to_string(&mut xml).is_ok()
        && xml.contains(&format!("name=\"{GENERATOR_PROPERTY}\""))
}

fn write(edition: &Edition) -> Result<Vec<u8>, Unwritable> {
    let (year, month, day) = DOCUMENT_DATE;
    let date = ExcelDateTime::from_ymd(year, month, day)?;
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(edition.title.as_str())
            .set_author("qingdan")
            .set_creation_datetime(&date)
            .set_custom_property(GENERATOR_PROPERTY, SCHEMA_VERSION),
    );
    for section in &edition.sections {
        // One column more than the list's: the first sheet gives the
        // contents' pages there.
        let columns = section.columns.len() + 1;
        if columns > SHEET_COLUMNS {
            let place = format!("the sheet of {}", section.title);
            let unit = "columns in a sheet (one kept for the contents' pages)";
            let error = Error::too_large_for_workbook(place, unit, SHEET_COLUMNS, columns);
            return Err(Unwritable::Limit(error));
        }
    }
    let styles = Styles::new();
    let mut names: Vec<String> = Vec::new();
    for (i, section) in edition.sections.iter().enumerate() {
        let name = sheet_name(edition, section, &names, i);
        let sheet = workbook.add_worksheet();
        sheet.set_name(name.as_str())?;
        names.push(name);
        let top = if i == 0 {
            front(sheet, edition, &styles)?
        } else {
            0
        };
        list(sheet, section, top, &styles)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Writes the edition's title, issuers and contents at the top of `sheet`
/// (the contents' pages in the column after the first list's last, so that
/// the titles have the row to themselves); returns the row after them.
fn front(sheet: &mut Worksheet, edition: &Edition, styles: &Styles) -> Result<u32, Unwritable> {
    let page_column = edition.sections.first().map_or(1, |s| s.columns.len()) as u16;
    let mut row = 0;
    for (line, place) in [
        (edition.title.clone(), "the edition's title"),
        (edition.issuers.join(" "), "the edition's issuers"),
    ] {
        if !line.is_empty() {
            put(sheet, (row, 0), &line, &styles.front, || place.to_owned())?;
            row += 1;
        }
    }
    if !edition.contents.is_empty() {
        // The contents page of the printed edition: each list and its page.
        row += 1;
        let heading = &crate::vocabulary::words().contents.headings[0];
        sheet.write_string_with_format(row, 0, heading, &styles.front)?;
        row += 1;
        for entry in &edition.contents {
            let line = format!("{}. {}", entry.number, entry.title);
            let place = || format!("contents entry {}", entry.number);
            put(sheet, (row, 0), &line, &Format::new(), place)?;
            sheet.write_number(row, page_column, f64::from(entry.page))?;
            row += 1;
        }
    }
    Ok(if row == 0 { 0 } else { row + 1 })
}

/// The formats of the cells.
struct Styles {
    front: Format,
    title: Format,
    header: Format,
    cell: Format,
    number: Format,
}

impl Styles {
    fn new() -> Styles {
        let bordered = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Styles {
            front: Format::new().set_bold(),
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: bordered
                .clone()
                .set_bold()
                .set_background_color(0xD9D9D9)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            number: bordered.clone().set_align(FormatAlign::Center),
            cell: bordered,
        }
    }
}

/// Writes `section` onto `sheet` from row `top`: its title, header and
/// items.
fn list(
    sheet: &mut Worksheet,
    section: &Section,
    top: u32,
    styles: &Styles,
) -> Result<(), Unwritable> {
    let rows = top as usize + 2 + section.items.len();
    if rows > SHEET_ROWS {
        let place = format!("the sheet of {}", section.title);
        let error = Error::too_large_for_workbook(place, "rows in a sheet", SHEET_ROWS, rows);
        return Err(Unwritable::Limit(error));
    }
    // The title: merged across the columns (a workbook has at most 16,384,
    // more than a header row of a text can have within `--max-bytes`).
    let width = u16::try_from(section.columns.len()).unwrap_or(u16::MAX);
    let title = || format!("the title of {}", section.title);
    if width > 1 {
        fits(&section.title, title)?;
        sheet.merge_range(top, 0, top, width - 1, &section.title, &styles.title)?;
    } else {
        put(sheet, (top, 0), &section.title, &styles.title, title)?;
    }
    sheet.set_row_height(top, 30)?;
    let header = top + 1;
    for (c, column) in section.columns.iter().enumerate() {
        let place = || format!("the header of {}, column {}", section.title, c + 1);
        put(sheet, (header, c as u16), column, &styles.header, place)?;
    }
    sheet.set_freeze_panes(header + 1, 0)?;
    sheet.set_repeat_rows(header, header)?;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    let widths: Vec<f64> = section
        .fields
        .iter()
        .map(|f| column_width(*f, section))
        .collect();
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    for (r, item) in section.items.iter().enumerate() {
        let row = header + 1 + r as u32;
        let mut lines = 1;
        for (c, (column, field)) in section.columns.iter().zip(&section.fields).enumerate() {
            let c = c as u16;
            if *field == Some(Field::Seq) {
                sheet.write_number_with_format(row, c, f64::from(item.seq), &styles.number)?;
                continue;
            }
            let text = cell(item, column, *field);
            lines = lines.max(wrapped_lines(&text, widths[usize::from(c)]));
            let place = || format!("{}, item {}, {column}", section.title, item.seq);
            put(sheet, (row, c), &text, &styles.cell, place)?;
        }
        sheet.set_row_height(row, row_height(lines))?;
    }
    Ok(())
}

/// The text of an item's cell; a duty with each heading and step on a line.
fn cell(item: &Item, column: &str, field: Option<Field>) -> String {
    let duty = match field {
        Some(Field::SuperiorDuties) => item.superior_duties.as_ref(),
        Some(Field::TownshipDuties) => item.township_duties.as_ref(),
        _ => None,
    };
    match duty {
        Some(duty) => duty_lines(duty),
        None => column_text(item, column, field).into_owned(),
    }
}

/// A duty's text with a line break before each step and after each
/// heading. The text is cut only where a step of the duty's blocks begins
/// (or its heading ends), and only when the pieces joined as qingdan joins
/// a cell's lines give the text back; a block where that fails stays one
/// line.
fn duty_lines(duty: &Duty) -> String {
    let mut out = String::with_capacity(duty.text.len() + 16);
    for (i, line) in duty.text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match duty
            .blocks
            .get(i)
            .and_then(|block| block_lines(line, block))
        {
            Some(lines) => out.push_str(&lines),
            None => out.push_str(line),
        }
    }
    out
}

/// The lines of one block's `line` of text: its heading, then each step
/// with its number; `None` when the block's heading or steps are not found
/// in order, or the lines would not read back as `line`.
fn block_lines(line: &str, block: &DutyBlock) -> Option<String> {
    let colon = crate::vocab::LABEL_COLON;
    let mut pieces = Vec::with_capacity(block.steps.len() + 1);
    let mut from = 0;
    let mut heading = None;
    if let Some(label) = &block.heading {
        let end = line.find(label.as_str())? + label.len();
        let end = end
            + line[end..]
                .strip_prefix(colon)
                .map_or(0, |_| colon.len_utf8());
        heading = Some(line[..end].trim());
        from = end;
    }
    for step in &block.steps {
        let end = from + line[from..].find(step.as_str())? + step.len();
        pieces.push(line[from..end].trim());
        from = end;
    }
    let rest = line[from..].trim();
    let mut joined = String::with_capacity(line.len());
    for piece in heading.iter().chain(&pieces).chain(Some(&rest)) {
        push_clean(&mut joined, piece);
    }
    if joined != line {
        return None;
    }
    let mut out = String::with_capacity(line.len() + pieces.len() + 4);
    if let Some(heading) = heading {
        // A heading of two labels (`事项：部门：`) keeps a space after the
        // inner colon, which makes both one heading when the cell is read
        // (and is gone then, as a line-wrap space).
        let inner = heading.trim_end_matches(colon);
        out.push_str(&inner.replace(colon, &format!("{colon} ")));
        out.push_str(&heading[inner.len()..]);
    }
    for piece in pieces.iter().chain(Some(&rest)).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(piece);
    }
    Some(out)
}

/// The width of a column, in Excel's character units (the width of a
/// digit; a Chinese character takes two), by what it holds: the name gets
/// the room duties would take in a list without them.
fn column_width(field: Option<Field>, section: &Section) -> f64 {
    let has_duties = section
        .fields
        .iter()
        .any(|f| matches!(f, Some(Field::SuperiorDuties | Field::TownshipDuties)));
    match field {
        Some(Field::Seq) => 6.0,
        Some(Field::Category) => 14.0,
        Some(Field::Name) if has_duties => 30.0,
        Some(Field::Name) => 70.0,
        Some(Field::SuperiorDepartments | Field::HandoverDepartment) => 22.0,
        Some(Field::SuperiorDuties | Field::TownshipDuties) => 60.0,
        Some(Field::Handover | Field::HandoverMethod) => 60.0,
        None => 24.0,
    }
}

/// How many lines `text` takes wrapped in a column `width` units wide.
/// Spreadsheet programs do not size rows to wrapped text when they open a
/// file (LibreOffice keeps the default height), so the rows are sized here.
fn wrapped_lines(text: &str, width: f64) -> u32 {
    // A cell's padding takes about a unit, and a Chinese font runs a little
    // wider than two digits.
    let room = ((width - 1.0) * 0.9).max(1.0);
    text.split('\n')
        .map(|line| (UnicodeWidthStr::width(line) as f64 / room).ceil().max(1.0) as u32)
        .sum()
}

/// The height of a row of `lines` lines, in points: 15.5 a line (an
/// 11-point Chinese font's line), at most Excel's 409.
fn row_height(lines: u32) -> f64 {
    (f64::from(lines) * 15.5 + 3.0).min(409.0)
}

/// The name of the sheet of `section`, the `index`th list: its title
/// without the place the edition's region names (`基本履职事项清单`),
/// without the characters Excel refuses, at most 31 characters, and not a
/// name an earlier sheet has (`… (2)` then).
fn sheet_name(edition: &Edition, section: &Section, taken: &[String], index: usize) -> String {
    let r = &edition.region;
    let after_place = [&r.township, &r.county, &r.prefecture, &r.province]
        .into_iter()
        .flatten()
        .filter_map(|unit| section.title.rfind(unit.as_str()).map(|at| at + unit.len()))
        .max()
        .unwrap_or(0);
    let mut base: String = section.title[after_place..]
        .chars()
        .filter(|c| !NOT_IN_SHEET_NAME.contains(c))
        .collect();
    base = base.trim_matches('\'').trim().to_owned();
    if base.is_empty() {
        base = format!("{} {}", section.kind.as_str(), index + 1);
    }
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let keep = SHEET_NAME_MAX - suffix.chars().count();
        let name: String = base.chars().take(keep).collect::<String>() + &suffix;
        let lower = name.to_lowercase();
        if lower != RESERVED_SHEET_NAME && !taken.iter().any(|t| t.to_lowercase() == lower) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn sample() -> Edition {
        let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
        crate::convert("sample.txt", bytes, &crate::Options::new())
            .edition
            .expect("the sample converts")
    }

    /// The place, unit and count of the limit `edition` breaks.
    fn broken(edition: &Edition) -> (String, &'static str, usize) {
        match render(edition).map(|_| ()).unwrap_err().kind() {
            ErrorKind::TooLargeForWorkbook {
                place, unit, found, ..
            } => (place.clone(), *unit, *found),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_limit_of_excel_is_an_error_at_its_place_not_a_panic() {
        let mut wide = sample();
        let basic = &mut wide.sections[0];
        basic.columns.extend((0..20_000).map(|i| format!("列{i}")));
        basic.fields.extend((0..20_000).map(|_| None));
        let (place, unit, found) = broken(&wide);
        assert_eq!(place, "the sheet of 哈密市伊吾县盐池镇基本履职事项清单");
        assert!(unit.starts_with("columns in a sheet"));
        assert_eq!(found, 3 + 20_000 + 1);

        let mut long = sample();
        long.contents[2].title = "长".repeat(CELL_CHARS);
        assert_eq!(
            broken(&long),
            (
                "contents entry 3".into(),
                "characters in a cell",
                CELL_CHARS + 3
            )
        );

        // Characters outside the BMP count twice, as Excel counts them.
        let mut astral = sample();
        astral.sections[2].items[0].name = "𠀀".repeat(CELL_CHARS / 2 + 1);
        let (place, _, found) = broken(&astral);
        assert_eq!(
            place,
            "哈密市伊吾县盐池镇上级部门收回事项清单, item 1, 事项名称"
        );
        assert_eq!(found, CELL_CHARS + 1);

        let mut history = sample();
        history.sections[0].title = "History".into();
        assert!(render(&history).is_ok(), "a reserved sheet name is avoided");
    }
}
