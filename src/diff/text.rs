//! The diff as plain text for a terminal or a log.
//!
//! One block per section that changed, then a summary line; nothing at all
//! when the editions say the same thing, as `diff(1)`. Changed characters
//! are red and green when colour is on, `[-deleted-]{+inserted+}` when it is
//! off. Line breaks inside a value show as `⏎`.
//!
//! ```text
//! basic 哈密市伊吾县盐池镇基本履职事项清单: 1 added, 2 removed, 1 changed, 95 renumbered
//!   - 8 负责村“两委”干部及其后备干部“选育管用”工作
//!   + 20 做好退役军人服务保障工作
//!   ~ 24 → 42 做好“双拥”工作
//!       category: [-党的建设-]{+平安法治+}
//!   renumbered: 9–20 → 8–19, 25–29 → 24–28
//! ```

use std::fmt::Write;

use super::{field_marks, renumbered_runs, EditionDiff, FieldChange, Segment, Summary};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// Renders `diff` as text, coloured with ANSI escapes when `color`.
pub fn render(diff: &EditionDiff, color: bool) -> String {
    let mut out = String::new();
    if diff.is_empty() {
        return out;
    }
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    if !diff.front_matter.is_empty() {
        out.push_str("front matter\n");
        for change in &diff.front_matter {
            field(&mut out, "  ~ ", change, color);
        }
    }
    for section in diff.sections.iter().filter(|s| !s.is_empty()) {
        let _ = writeln!(
            out,
            "{} {}: {}",
            section.kind.as_str(),
            section.title,
            counts(section.summary())
        );
        for item in &section.removed {
            let _ = writeln!(
                out,
                "{}",
                paint(RED, &format!("  - {} {}", item.seq, item.name))
            );
        }
        for item in &section.added {
            let _ = writeln!(
                out,
                "{}",
                paint(GREEN, &format!("  + {} {}", item.seq, item.name))
            );
        }
        for item in &section.changed {
            let seqs = if item.old_seq == item.new_seq {
                item.new_seq.to_string()
            } else {
                format!("{} → {}", item.old_seq, item.new_seq)
            };
            let _ = writeln!(
                out,
                "{}",
                paint(YELLOW, &format!("  ~ {seqs} {}", item.name))
            );
            for change in &item.fields {
                field(&mut out, "      ", change, color);
            }
        }
        if !section.renumbered.is_empty() {
            let runs: Vec<String> = renumbered_runs(&section.renumbered)
                .iter()
                .map(ToString::to_string)
                .collect();
            let _ = writeln!(out, "  renumbered: {}", runs.join(", "));
        }
    }
    let _ = writeln!(out, "summary: {}", counts(diff.summary()));
    out
}

/// `1 added, 2 removed, 1 changed, 95 renumbered`.
fn counts(s: Summary) -> String {
    format!(
        "{} added, {} removed, {} changed, {} renumbered",
        s.added, s.removed, s.changed, s.renumbered
    )
}

/// One field line: `indent`, the field name, then the marked value.
fn field(out: &mut String, indent: &str, change: &FieldChange, color: bool) {
    let _ = write!(out, "{indent}{}: ", change.field);
    for segment in field_marks(change) {
        match (segment, color) {
            (Segment::Equal(t), _) => out.push_str(&shown(&t)),
            (Segment::Delete(t), true) => {
                let _ = write!(out, "{RED}{}{RESET}", shown(&t));
            }
            (Segment::Insert(t), true) => {
                let _ = write!(out, "{GREEN}{}{RESET}", shown(&t));
            }
            (Segment::Delete(t), false) => {
                let _ = write!(out, "[-{}-]", shown(&t));
            }
            (Segment::Insert(t), false) => {
                let _ = write!(out, "{{+{}+}}", shown(&t));
            }
        }
    }
    out.push('\n');
}

/// Text on one line: line breaks as `⏎`.
fn shown(text: &str) -> String {
    text.replace('\n', "⏎")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::FieldChange;

    fn change(old: &str, new: &str) -> FieldChange {
        FieldChange {
            field: "name".to_owned(),
            old: Some(old.to_owned()),
            new: Some(new.to_owned()),
        }
    }

    #[test]
    fn plain_marks_wrap_changed_chinese_characters() {
        let mut out = String::new();
        field(
            &mut out,
            "",
            &change("开展高龄津贴政策宣传", "开展高龄补贴政策宣传"),
            false,
        );
        assert_eq!(out, "name: 开展高龄[-津-]{+补+}贴政策宣传\n");
    }

    #[test]
    fn coloured_marks_are_red_and_green_without_brackets() {
        let mut out = String::new();
        field(&mut out, "", &change("党的建设", "平安法治"), true);
        assert_eq!(
            out,
            "name: \x1b[31m党的建设\x1b[0m\x1b[32m平安法治\x1b[0m\n"
        );
    }

    #[test]
    fn no_differences_render_nothing() {
        assert_eq!(render(&EditionDiff::default(), false), "");
    }
}
