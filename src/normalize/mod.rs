//! Stage 4, **normalize**: joined cells → clean text and structure.
//!
//! This module maps an assembled edition onto its records: the front
//! matter, each section's columns onto fields, each item's cells onto an
//! [`Item`]. The jobs it hands out live one a module:
//!
//! - [`text`]: a cell's text read once (markup, unknown entities, Latin
//!   words, cut-off endings) and cleaned by the whitespace rule;
//! - [`duty`]: duty cells split into blocks of steps;
//! - [`handover`]: handover cells split into receivers;
//! - [`region`]: the administrative units named in the title.
//!
//! Wording is never changed: only tags, entities, markers and layout
//! whitespace go.

mod duty;
mod handover;
mod region;
mod text;

use self::duty::duty;
use self::handover::{handover, handover_in_two_columns};
use self::region::region;
pub(crate) use self::text::push_clean;
use self::text::{check_cut_off, clean, joined, plain, read_cell};

use std::collections::{BTreeMap, HashMap};

use crate::assemble::{Assembled, AssembledItem, AssembledSection, JoinedCell};
use crate::diagnostic::{Code, Diagnostic, Facts, Position};
use crate::lines::SourceLines;
use crate::model::Field;
use crate::model::{
    ContentsEntry, Duty, Edition, Item, ItemSource, Section, Source, TextLines, SCHEMA_VERSION,
};
use crate::parse::TextLine;
use crate::vocab;
use crate::vocabulary::Vocabulary;

/// Builds the output records of an assembled edition.
pub fn normalize(
    assembled: &Assembled<'_>,
    source: Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Edition {
    let front = &assembled.front;
    let title = front.title.map(|t| clean(t.text)).unwrap_or_default();
    // Without an edition title (a workbook may have none), the first list's
    // title names the place, before its kind's keyword.
    let named_by = front.title.or_else(|| {
        let first = assembled.sections.first()?.title;
        let text = assembled.vocabulary.before_kind(first.text);
        Some(TextLine { text, ..first })
    });
    let place = named_by.map(|t| clean(t.text)).unwrap_or_default();
    let at = |start, len| title_position(named_by, &place, &assembled.lines, start, len);
    Edition {
        schema_version: SCHEMA_VERSION.to_owned(),
        source,
        region: region(&place, at, diagnostics),
        title,
        issuers: front
            .issuers
            .map(|l| l.text.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
        contents: front
            .contents
            .iter()
            .map(|c| ContentsEntry {
                number: c.number,
                title: clean(c.title),
                page: c.page,
            })
            .collect(),
        sections: assembled
            .sections
            .iter()
            .map(|s| section(s, &assembled.lines, assembled.vocabulary, diagnostics))
            .collect(),
    }
}

/// The position of characters `start..start + len` of the cleaned title
/// `title` without its whitespace: in the title's line(s) when the line
/// holds the same characters (it does unless it had tags or entities),
/// else the whole title.
fn title_position(
    line: Option<TextLine<'_>>,
    title: &str,
    lines: &SourceLines<'_>,
    start: usize,
    len: usize,
) -> Position {
    let Some(line) = line else {
        return Position::default();
    };
    let base = line.text.as_ptr() as usize - lines.text().as_ptr() as usize;
    let visible = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    let (offset, len) = match line
        .text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .nth(start)
    {
        Some((offset, _)) if visible(line.text) == visible(title) => (offset, len),
        _ => (0, line.text.chars().count()),
    };
    lines.at(base + offset, len as u32)
}

fn section(
    section: &AssembledSection<'_>,
    lines: &SourceLines<'_>,
    vocabulary: &Vocabulary,
    diagnostics: &mut Vec<Diagnostic>,
) -> Section {
    let mut fields: Vec<Option<Field>> = section
        .columns
        .iter()
        .map(|c| vocabulary.column_field(c))
        .collect();
    // A handover printed in one column and in two as well: the one column
    // is the handover, the two are kept as they are.
    if fields.contains(&Some(Field::Handover)) {
        for field in &mut fields {
            if matches!(
                field,
                Some(Field::HandoverDepartment | Field::HandoverMethod)
            ) {
                *field = None;
            }
        }
    }
    let positions = header_positions(section);
    check_columns(&section.columns, &fields, &positions, diagnostics);
    for (i, column) in section.columns.iter().enumerate() {
        if fields[i].is_none() && !column.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownColumn,
                    positions[i],
                    format!("unknown column `{column}`; its cells are kept under `extra`"),
                )
                .with_facts(Facts::Column {
                    title: String::from(*column),
                    nearest: vocabulary.nearest_field(column),
                })
                .with_help(unknown_column_help(column, vocabulary)),
            );
        }
    }
    Section {
        kind: section.kind,
        title: clean(section.title.text),
        columns: section.columns.iter().map(|c| (*c).to_owned()).collect(),
        fields: fields.clone(),
        first_page: Some(section.first_page),
        last_page: Some(section.last_page),
        items: section
            .items
            .iter()
            .map(|item| self::item(item, &section.columns, &fields, lines, diagnostics))
            .collect(),
    }
}

/// The help of an unknown column: the line of a vocabulary file that would
/// make it known, for the field its title is nearest to.
fn unknown_column_help(column: &str, vocabulary: &Vocabulary) -> String {
    let field = vocabulary
        .nearest_field(column)
        .map_or("FIELD", |f| f.as_str());
    format!(
        "if this column is one qingdan knows under another title, add its title to a vocabulary file (`--vocab FILE`, or `qingdan.toml` at the root of the input folder): under `[columns]`, the line `{field} = [\"{column}\"]` (`qingdan vocab` lists the fields and their titles)"
    )
}

/// Every column needs a title, and no two columns may fill one field or
/// share a title: the second would overwrite the first's cells.
fn check_columns(
    columns: &[&str],
    fields: &[Option<Field>],
    positions: &[Position],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Known columns are one by their field, unknown ones by their title.
    let mut first: HashMap<Result<Field, &str>, usize> = HashMap::new();
    for (i, column) in columns.iter().enumerate() {
        if column.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::EmptyColumnTitle,
                    positions[i],
                    format!("expected a title for column {} of the header row, found none", i + 1),
                )
                .with_label("no title")
                .with_help("give the column its title, or remove the stray tab; a header row that ends in a tab is often a file cut off in the middle of it"),
            );
            continue;
        }
        let Some(&j) = first.get(&fields[i].ok_or(*column)) else {
            first.insert(fields[i].ok_or(*column), i);
            continue;
        };
        let what = if fields[i].is_some() {
            "fill the same field"
        } else {
            "have the same title"
        };
        diagnostics.push(
            Diagnostic::new(
                Code::DuplicateColumn,
                positions[i],
                format!(
                    "expected each column once in the header row, found `{column}` where column {} `{}` stands already",
                    j + 1,
                    columns[j]
                ),
            )
            .with_label(format!("the two columns {what}; one would overwrite the other"))
            .with_note(positions[j], "first here")
            .with_help("remove or rename one of the two columns"),
        );
    }
}

/// Where each column title of a section's header row stands (its length at
/// least 1, so an empty title is still pointed at).
fn header_positions(section: &AssembledSection<'_>) -> Vec<Position> {
    let mut column = 1;
    section
        .columns
        .iter()
        .map(|title| {
            let len = title.chars().count() as u32;
            let at = Position::new(section.header_line, column, len.max(1));
            column += len + 1;
            at
        })
        .collect()
}

fn item(
    item: &AssembledItem<'_>,
    columns: &[&str],
    fields: &[Option<Field>],
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Item {
    let mut out = Item {
        seq: item.seq,
        category: None,
        name: String::new(),
        source: ItemSource::Text(TextLines {
            first_line: item.parts[0].line,
            last_line: item.parts[item.parts.len() - 1].last_line,
            pages: item.parts.iter().map(|p| p.page).collect(),
        }),
        superior_departments: None,
        superior_duties: None,
        township_duties: None,
        handover: None,
        extra: BTreeMap::new(),
    };
    let mut has_name_column = false;
    // A handover printed as two columns: departments, and what they do.
    let (mut handover_departments, mut handover_method) = (None, None);
    for ((cell, field), column) in item.cells.iter().zip(fields).zip(columns) {
        match field {
            Some(Field::Seq) => {}
            Some(Field::Category) => out.category = Some(plain(cell, lines, diagnostics)),
            Some(Field::Name) => {
                has_name_column = true;
                let paragraphs = read_cell(cell, lines, diagnostics).paragraphs;
                out.name = joined(&paragraphs);
                check_cut_off(&out.name, &paragraphs, cell, "name", lines, diagnostics);
                if out.name.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::EmptyField,
                            cell.position_at(lines, 0, 1),
                            format!("expected a name for item {}, found an empty cell", item.seq),
                        )
                        .with_help("fill in the 事项名称 cell"),
                    );
                }
            }
            Some(Field::SuperiorDepartments) => {
                out.superior_departments = Some(departments(&plain(cell, lines, diagnostics)));
            }
            Some(Field::SuperiorDuties) => {
                out.superior_duties = Some(duty_checked(cell, lines, diagnostics))
            }
            Some(Field::TownshipDuties) => {
                out.township_duties = Some(duty_checked(cell, lines, diagnostics))
            }
            Some(Field::Handover) => {
                out.handover = Some(handover(&read_cell(cell, lines, diagnostics).paragraphs));
            }
            Some(Field::HandoverDepartment) => {
                handover_departments = Some(plain(cell, lines, diagnostics));
            }
            Some(Field::HandoverMethod) => {
                handover_method = Some(read_cell(cell, lines, diagnostics).paragraphs);
            }
            None => {
                out.extra
                    .insert((*column).to_owned(), plain(cell, lines, diagnostics));
            }
        }
    }
    if handover_departments.is_some() || handover_method.is_some() {
        out.handover = Some(handover_in_two_columns(
            handover_departments.as_deref().unwrap_or(""),
            handover_method.as_deref().unwrap_or(&[]),
        ));
    }
    if !has_name_column {
        diagnostics.push(Diagnostic::new(
            Code::EmptyField,
            item.cells[0].position_at(lines, 0, 1),
            format!(
                "expected a `事项名称` column for item {}, found none in the header",
                item.seq
            ),
        ));
    }
    out
}

/// A duty cell, with its text checked.
fn duty_checked(
    cell: &JoinedCell<'_>,
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Duty {
    let paragraphs = read_cell(cell, lines, diagnostics).paragraphs;
    let duty = duty(&paragraphs);
    check_cut_off(&duty.text, &paragraphs, cell, "duty", lines, diagnostics);
    duty
}

/// Splits a departments cell on `、`.
pub(crate) fn departments(text: &str) -> Vec<String> {
    text.split(vocab::DEPARTMENT_SEPARATORS)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}
