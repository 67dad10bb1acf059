//! Markdown output for people: the edition as a GitHub-flavoured document.
//!
//! Lists whose items are short (basic, withdrawn, other) become tables, one
//! row per item; cooperative items, whose two duty cells are long, become one
//! `### N. name` block each, with the duties as headed ordered lists. Labels
//! are the edition's own column titles, so the document speaks its language.

use std::fmt::Write;

use crate::model::{Duty, Edition, Item, Section, SectionKind};
use crate::vocab::{self, Field};

/// Renders an edition as Markdown.
pub fn render(edition: &Edition) -> String {
    let mut out = String::with_capacity(128 * 1024);
    let _ = writeln!(out, "# {}", escape(&edition.title));
    if !edition.issuers.is_empty() {
        let _ = write!(out, "\n{}\n", escape(&edition.issuers.join(" ")));
    }
    let r = &edition.region;
    let units: Vec<&str> = [&r.province, &r.prefecture, &r.county, &r.township]
        .into_iter()
        .filter_map(|u| u.as_deref())
        .collect();
    if !units.is_empty() {
        let _ = write!(out, "\n{}\n", escape(&units.join(" · ")));
    }
    if !edition.contents.is_empty() {
        out.push('\n');
        for entry in &edition.contents {
            let _ = writeln!(
                out,
                "{}. {} … {}",
                entry.number,
                escape(&entry.title),
                entry.page
            );
        }
    }
    for section in &edition.sections {
        let _ = write!(out, "\n## {}\n", escape(&section.title));
        match section.kind {
            SectionKind::Cooperative => blocks(&mut out, section),
            _ => table(&mut out, section),
        }
    }
    out
}

/// One table row per item; cells in the section's own column order.
fn table(out: &mut String, section: &Section) {
    out.push('\n');
    let header: Vec<String> = section.columns.iter().map(|c| cell(c)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let rule: Vec<&str> = (0..section.columns.len())
        .map(|i| if i == 0 { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for item in &section.items {
        let cells: Vec<String> = section
            .columns
            .iter()
            .map(|column| cell(&column_text(item, column)))
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The text an item holds under the column titled `column`.
fn column_text(item: &Item, column: &str) -> String {
    let duty_text = |d: &Option<Duty>| d.as_ref().map(|d| d.text.clone());
    let text = match vocab::column_field(column) {
        Some(Field::Seq) => Some(item.seq.to_string()),
        Some(Field::Category) => item.category.clone(),
        Some(Field::Name) => Some(item.name.clone()),
        Some(Field::SuperiorDepartments) => {
            item.superior_departments.as_ref().map(|d| d.join("、"))
        }
        Some(Field::SuperiorDuties) => duty_text(&item.superior_duties),
        Some(Field::TownshipDuties) => duty_text(&item.township_duties),
        Some(Field::Handover) => item.handover.as_ref().map(|h| h.text.clone()),
        None => item.extra.get(column).cloned(),
    };
    text.unwrap_or_default()
}

/// One `### N. name` block per item.
fn blocks(out: &mut String, section: &Section) {
    let title = |field: Field| {
        section
            .columns
            .iter()
            .find(|c| vocab::column_field(c) == Some(field))
            .map_or("", String::as_str)
    };
    for item in &section.items {
        let _ = write!(out, "\n### {}. {}\n\n", item.seq, escape(&item.name));
        if let Some(category) = &item.category {
            let _ = writeln!(
                out,
                "- **{}**：{}",
                escape(title(Field::Category)),
                escape(category)
            );
        }
        if let Some(departments) = &item.superior_departments {
            let _ = writeln!(
                out,
                "- **{}**：{}",
                escape(title(Field::SuperiorDepartments)),
                escape(&departments.join("、"))
            );
        }
        for (field, duty) in [
            (Field::SuperiorDuties, &item.superior_duties),
            (Field::TownshipDuties, &item.township_duties),
        ] {
            if let Some(duty) = duty {
                let _ = write!(out, "\n#### {}\n", escape(title(field)));
                duty_lists(out, duty);
            }
        }
        for (column, text) in &item.extra {
            let _ = write!(out, "\n#### {}\n\n{}\n", escape(column), escape(text));
        }
    }
}

/// A duty as ordered lists, each under its heading.
fn duty_lists(out: &mut String, duty: &Duty) {
    for block in &duty.blocks {
        if let Some(heading) = &block.heading {
            let _ = write!(out, "\n**{}**\n", escape(heading));
        }
        if !block.steps.is_empty() {
            out.push('\n');
            for (n, step) in block.steps.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", n + 1, escape(step));
            }
        }
    }
}

/// Text for a table cell: inline-escaped, `|` escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    escape(text).replace('\n', "<br>")
}

/// Escapes what Markdown would take for markup, so the text reads as written.
pub(crate) fn escape(text: &str) -> String {
    let special = |c: char| {
        matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&'
        )
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        out.push_str(&rest[..at]);
        out.push('\\');
        out.push_str(&rest[at..=at]);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}
