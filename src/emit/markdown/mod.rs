//! Markdown output for people: the edition as a GitHub-flavoured document.
//!
//! Lists whose items are short (basic, withdrawn, other) become tables, one
//! row per item; cooperative items, whose two duty cells are long, become one
//! `### N. name` block each, with the duties as headed ordered lists. Labels
//! are the edition's own column titles, so the document speaks its language.

use std::borrow::Cow;
use std::fmt::Write;

mod escape;

use escape::{one_line, Break};

use crate::model::{Duty, Edition, Item, Section, SectionKind};
use crate::vocab::{self, Field};

/// Renders an edition as Markdown.
pub fn render(edition: &Edition) -> String {
    let mut out = String::with_capacity(super::capacity(edition, 2));
    out.push_str("# ");
    one_line(&mut out, &edition.title, Break::Space);
    out.push('\n');
    if !edition.issuers.is_empty() {
        out.push('\n');
        one_line(&mut out, &edition.issuers.join(" "), Break::Html);
        out.push('\n');
    }
    let r = &edition.region;
    let units: Vec<&str> = [&r.province, &r.prefecture, &r.county, &r.township]
        .into_iter()
        .filter_map(|u| u.as_deref())
        .collect();
    if !units.is_empty() {
        out.push('\n');
        one_line(&mut out, &units.join(" · "), Break::Html);
        out.push('\n');
    }
    if !edition.contents.is_empty() {
        out.push('\n');
        for entry in &edition.contents {
            let _ = write!(out, "{}. ", entry.number);
            one_line(&mut out, &entry.title, Break::Html);
            let _ = writeln!(out, " … {}", entry.page);
        }
    }
    for section in &edition.sections {
        out.push_str("\n## ");
        one_line(&mut out, &section.title, Break::Space);
        out.push('\n');
        let fields: Vec<Option<Field>> = section
            .columns
            .iter()
            .map(|c| vocab::column_field(c))
            .collect();
        match section.kind {
            SectionKind::Cooperative => blocks(&mut out, section, &fields),
            _ => table(&mut out, section, &fields),
        }
    }
    out
}

/// One table row per item; cells in the section's own column order.
fn table(out: &mut String, section: &Section, fields: &[Option<Field>]) {
    out.push('\n');
    row(
        out,
        section.columns.iter().map(|c| Cow::Borrowed(c.as_str())),
    );
    out.push('|');
    for i in 0..section.columns.len() {
        out.push_str(if i == 0 { "---:|" } else { "---|" });
    }
    out.push('\n');
    for item in &section.items {
        row(
            out,
            section
                .columns
                .iter()
                .zip(fields)
                .map(|(column, field)| column_text(item, column, *field)),
        );
    }
}

/// A table row: cells escaped (`|` too), line breaks as `<br>`.
fn row<'a>(out: &mut String, cells: impl Iterator<Item = Cow<'a, str>>) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        one_line(out, &cell, Break::Html);
        out.push_str(" |");
    }
    out.push('\n');
}

/// The text an item holds under the column titled `column`.
fn column_text<'a>(item: &'a Item, column: &str, field: Option<Field>) -> Cow<'a, str> {
    let duty_text = |d: &'a Option<Duty>| d.as_ref().map(|d| Cow::Borrowed(d.text.as_str()));
    let text = match field {
        Some(Field::Seq) => Some(Cow::Owned(item.seq.to_string())),
        Some(Field::Category) => item.category.as_deref().map(Cow::Borrowed),
        Some(Field::Name) => Some(Cow::Borrowed(item.name.as_str())),
        Some(Field::SuperiorDepartments) => item
            .superior_departments
            .as_ref()
            .map(|d| Cow::Owned(d.join("、"))),
        Some(Field::SuperiorDuties) => duty_text(&item.superior_duties),
        Some(Field::TownshipDuties) => duty_text(&item.township_duties),
        Some(Field::Handover) => item
            .handover
            .as_ref()
            .map(|h| Cow::Borrowed(h.text.as_str())),
        None => item.extra.get(column).map(|t| Cow::Borrowed(t.as_str())),
    };
    text.unwrap_or_default()
}

/// One `### N. name` block per item.
fn blocks(out: &mut String, section: &Section, fields: &[Option<Field>]) {
    let title = |field: Field| {
        fields
            .iter()
            .position(|f| *f == Some(field))
            .map_or("", |i| section.columns[i].as_str())
    };
    for item in &section.items {
        let _ = write!(out, "\n### {}. ", item.seq);
        one_line(out, &item.name, Break::Space);
        out.push_str("\n\n");
        if let Some(category) = &item.category {
            labelled(out, title(Field::Category), category);
        }
        if let Some(departments) = &item.superior_departments {
            labelled(
                out,
                title(Field::SuperiorDepartments),
                &departments.join("、"),
            );
        }
        for (field, duty) in [
            (Field::SuperiorDuties, &item.superior_duties),
            (Field::TownshipDuties, &item.township_duties),
        ] {
            if let Some(duty) = duty {
                out.push_str("\n#### ");
                one_line(out, title(field), Break::Space);
                out.push('\n');
                duty_lists(out, duty);
            }
        }
        for (column, text) in &item.extra {
            out.push_str("\n#### ");
            one_line(out, column, Break::Space);
            out.push_str("\n\n");
            one_line(out, text, Break::Html);
            out.push('\n');
        }
    }
}

/// `- **label**：text`.
fn labelled(out: &mut String, label: &str, text: &str) {
    out.push_str("- **");
    one_line(out, label, Break::Html);
    out.push_str("**：");
    one_line(out, text, Break::Html);
    out.push('\n');
}

/// A duty as ordered lists, each under its heading.
fn duty_lists(out: &mut String, duty: &Duty) {
    for block in &duty.blocks {
        if let Some(heading) = &block.heading {
            out.push_str("\n**");
            one_line(out, heading, Break::Space);
            out.push_str("**\n");
        }
        if !block.steps.is_empty() {
            out.push('\n');
            for (n, step) in block.steps.iter().enumerate() {
                let _ = write!(out, "{}. ", n + 1);
                one_line(out, step, Break::Html);
                out.push('\n');
            }
        }
    }
}

/// Text for a cell of a table or another place inside a line, as the diff
/// report and the build index write it (see `escape::mid_line`).
pub(crate) fn table_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape::mid_line(&mut out, text);
    out
}
