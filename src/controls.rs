//! Control characters in the decoded text: always an error, never data.
//!
//! NUL and the other C0 control characters but tab and the line end have no
//! place in a duty list; they come from damaged files (NUL padding, a file
//! partly overwritten, UTF-16 saved without a byte-order mark) or from
//! exports that leave page-break characters behind. Each line that holds
//! them is reported once, at its first one, up to [`REPORTED_LINES`] lines.

use crate::diagnostic::{Code, Diagnostic, Position};

/// How many lines with control characters are reported one by one; the rest
/// are counted in one last diagnostic.
pub(crate) const REPORTED_LINES: usize = 20;

/// Is `c` a control character qingdan refuses (C0 but tab and line feed)?
pub(crate) fn is_refused(c: char) -> bool {
    c < ' ' && c != '\t' && c != '\n'
}

/// The byte form of [`is_refused`], for scanning.
fn is_refused_byte(b: u8) -> bool {
    b < b' ' && b != b'\t' && b != b'\n'
}

/// The usual abbreviation of a C0 control character.
fn name(c: char) -> &'static str {
    const NAMES: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
        "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
        "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    NAMES.get(c as usize).copied().unwrap_or("control")
}

/// Reports every line of `text` that holds a refused control character.
pub(crate) fn check(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    if !text.bytes().any(is_refused_byte) {
        return;
    }
    let mut reported = 0;
    let mut unreported: Option<(u32, usize)> = None;
    for (index, line) in text.split('\n').enumerate() {
        if !line.bytes().any(is_refused_byte) {
            continue;
        }
        let number = index as u32 + 1;
        if reported == REPORTED_LINES {
            unreported.get_or_insert((number, 0)).1 += 1;
            continue;
        }
        reported += 1;
        diagnostics.push(at_line(line, number));
    }
    if let Some((line, count)) = unreported {
        diagnostics.push(
            Diagnostic::new(
                Code::ControlCharacter,
                Position::new(line, 1, 1),
                format!(
                    "expected text without control characters, found them on {count} more line{} from here on (not shown one by one)",
                    if count == 1 { "" } else { "s" }
                ),
            )
            .with_help("the file looks damaged or binary: re-export the edition"),
        );
    }
}

/// The diagnostic for line `number`, whose text `line` holds a refused
/// control character.
fn at_line(line: &str, number: u32) -> Diagnostic {
    let mut found = line.char_indices().filter(|&(_, c)| is_refused(c));
    let (at, c) = found.next().expect("the line holds one");
    let more = found.count();
    let column = line[..at].chars().count() as u32 + 1;
    let also = match more {
        0 => String::new(),
        1 => " (and 1 more on this line)".to_owned(),
        n => format!(" (and {n} more on this line)"),
    };
    let help = match c {
        '\0' => "NUL bytes come from a damaged or padded file, or from UTF-16 saved without a byte-order mark: remove them, or re-export the edition",
        '\u{c}' => "a form feed is a page break left by the export: remove it (pages are told apart by their titles)",
        _ => "remove the control character; it is no part of a duty list",
    };
    Diagnostic::new(
        Code::ControlCharacter,
        Position::new(number, column, 1),
        format!(
            "expected text, found the control character U+{:04X} ({}){also}",
            c as u32,
            name(c)
        ),
    )
    .with_label("control character")
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_reported_at_its_line_and_character_column() {
        let mut diags = Vec::new();
        check("标题\n甲乙\0丙\0\n", &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::ControlCharacter);
        assert_eq!((diags[0].position.line, diags[0].position.column), (2, 3));
        assert!(diags[0].message.contains("U+0000 (NUL) (and 1 more"));
    }

    #[test]
    fn tabs_and_line_ends_are_no_control_characters() {
        let mut diags = Vec::new();
        check("序号\t事项名称\n1\t甲\n", &mut diags);
        assert_eq!(diags, vec![]);
    }

    #[test]
    fn many_lines_are_summed_up_after_the_first_ones() {
        let text = "\u{1}\n".repeat(REPORTED_LINES + 5);
        let mut diags = Vec::new();
        check(&text, &mut diags);
        assert_eq!(diags.len(), REPORTED_LINES + 1);
        let last = &diags[REPORTED_LINES];
        assert_eq!(last.position.line, REPORTED_LINES as u32 + 1);
        assert!(last.message.contains("5 more lines"), "{}", last.message);
    }
}
