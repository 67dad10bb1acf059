//! The diff as a GitHub-flavoured Markdown report for reviewers.
//!
//! A summary table opens the report (one row per section, then the total);
//! then the front-matter changes; then, per section that changed, its
//! removed, added and changed items and a folded table of renumbered ones.
//!
//! Changed characters are marked `<del>…</del><ins>…</ins>` rather than
//! `~~…~~` / `**…**`: CommonMark's delimiter rules do not open emphasis
//! between a Chinese character and Chinese punctuation (`好**“双拥”**`
//! renders with the asterisks showing), while HTML tags always work and
//! render as struck and underlined text on code-hosting sites.

use std::fmt::Write;

use super::{field_marks, renumbered_runs, EditionDiff, FieldChange, Segment, Summary};
use crate::emit::markdown::table_cell as escape;

/// Renders `diff` as Markdown.
pub fn render(diff: &EditionDiff) -> String {
    let mut out = String::from("# Changes between editions\n\n");
    out.push_str("| List | Added | Removed | Changed | Renumbered |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    for section in &diff.sections {
        let _ = writeln!(
            out,
            "| {} | {} |",
            escape(&section_label(section.kind.as_str(), &section.title)),
            counts(section.summary(), false)
        );
    }
    let _ = writeln!(out, "| **Total** | {} |", counts(diff.summary(), true));
    if diff.is_empty() {
        out.push_str("\nNo differences.\n");
        return out;
    }
    if !diff.front_matter.is_empty() {
        out.push_str("\n## Front matter\n\n");
        for change in &diff.front_matter {
            field(&mut out, change);
        }
    }
    for section in diff.sections.iter().filter(|s| !s.is_empty()) {
        let _ = write!(
            out,
            "\n## {}\n",
            escape(&section_label(section.kind.as_str(), &section.title))
        );
        if !section.removed.is_empty() {
            out.push_str("\n### Removed\n\n| No. | Name |\n|---:|---|\n");
            for item in &section.removed {
                let _ = writeln!(out, "| {} | {} |", item.seq, escape(&item.name));
            }
        }
        if !section.added.is_empty() {
            out.push_str("\n### Added\n\n| No. | Name |\n|---:|---|\n");
            for item in &section.added {
                let _ = writeln!(out, "| {} | {} |", item.seq, escape(&item.name));
            }
        }
        if !section.changed.is_empty() {
            out.push_str("\n### Changed\n");
            for item in &section.changed {
                let seqs = if item.old_seq == item.new_seq {
                    item.new_seq.to_string()
                } else {
                    format!("{} → {}", item.old_seq, item.new_seq)
                };
                let _ = write!(out, "\n#### {seqs} {}\n\n", escape(&item.name));
                for change in &item.fields {
                    field(&mut out, change);
                }
            }
        }
        if !section.renumbered.is_empty() {
            let runs: Vec<String> = renumbered_runs(&section.renumbered)
                .iter()
                .map(ToString::to_string)
                .collect();
            let _ = write!(
                out,
                "\n### Renumbered\n\n{}\n\n<details><summary>{} items renumbered, nothing else changed</summary>\n\n| Old No. | New No. | Name |\n|---:|---:|---|\n",
                runs.join(", "),
                section.renumbered.len()
            );
            for r in &section.renumbered {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    r.old_seq,
                    r.new_seq,
                    escape(&r.name)
                );
            }
            out.push_str("\n</details>\n");
        }
    }
    out
}

/// `basic — 基本履职事项清单`, or the kind alone where there is no title.
fn section_label(kind: &str, title: &str) -> String {
    if title.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} — {title}")
    }
}

/// The four count cells of a summary row.
fn counts(s: Summary, bold: bool) -> String {
    let cells = [s.added, s.removed, s.changed, s.renumbered].map(|n| {
        if bold {
            format!("**{n}**")
        } else {
            n.to_string()
        }
    });
    cells.join(" | ")
}

/// One list item: the field name in bold, then the marked value.
fn field(out: &mut String, change: &FieldChange) {
    let _ = write!(out, "- **{}**: ", escape(&change.field));
    for segment in field_marks(change) {
        match segment {
            Segment::Equal(t) => out.push_str(&escape(&t)),
            Segment::Delete(t) => {
                let _ = write!(out, "<del>{}</del>", escape(&t));
            }
            Segment::Insert(t) => {
                let _ = write!(out, "<ins>{}</ins>", escape(&t));
            }
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_characters_are_del_and_ins_tags() {
        let mut out = String::new();
        field(
            &mut out,
            &FieldChange {
                field: "category".to_owned(),
                old: Some("党的建设".to_owned()),
                new: Some("平安法治".to_owned()),
            },
        );
        assert_eq!(
            out,
            "- **category**: <del>党的建设</del><ins>平安法治</ins>\n"
        );
    }

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(escape("a|b*c\nd"), "a\\|b\\*c<br>d");
    }
}
