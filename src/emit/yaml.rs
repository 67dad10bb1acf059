//! YAML output that loads to the same value in YAML 1.2 readers (`yaml_serde`)
//! and YAML 1.1 readers (PyYAML).
//!
//! `yaml_serde` quotes strings by YAML 1.2 rules only, so `yes`, `off` or
//! `2024-01-01` come out bare and a YAML 1.1 reader takes them for a boolean
//! or a date. This emitter writes the same block style as `yaml_serde` but
//! quotes every string either family of readers could read as anything other
//! than a string. Multi-line strings are `|-` literal blocks.

use serde_json::Value;

use crate::model::Edition;

/// Renders an edition as YAML.
pub fn render(edition: &Edition) -> String {
    let value = serde_json::to_value(edition).expect("records always serialize");
    let mut out = String::with_capacity(64 * 1024);
    write_map_body(&mut out, &value, 0);
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Writes the entries of a map value at `level` spaces; the caller has
/// already positioned the cursor for the first key.
fn write_map_body(out: &mut String, value: &Value, level: usize) {
    let Value::Object(map) = value else {
        unreachable!("called on maps only")
    };
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        write_key(out, key);
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

/// Writes a value after `key:`; nested maps indent by two, sequences not.
fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_map_body(out, value, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level);
        }
        _ => {
            out.push(' ');
            write_scalar(out, value, level + 2);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_map_body(out, item, level + 2),
            Value::Array(inner) if !inner.is_empty() => {
                // `- - a`: the first inner item shares the line.
                let mut nested = String::new();
                write_seq(&mut nested, inner, level + 2);
                out.push_str(nested.trim_start());
            }
            _ => {
                write_scalar(out, item, level + 2);
                out.push('\n');
            }
        }
    }
}

/// Writes a scalar (or an empty collection) at block indentation `level`.
fn write_scalar(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_scalar_str(out, s, level),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
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
                indent(out, level);
                out.push_str(line);
            }
        }
    } else {
        write_double_quoted(out, s);
    }
}

/// Can `s` stand unquoted on one line and be read as this string by YAML 1.1
/// and 1.2 readers alike?
pub(crate) fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().next_back().expect("non-empty");
    if first.is_whitespace()
        || last.is_whitespace()
        || last == ':'
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(needs_escape)
    {
        return false;
    }
    !resolves_to_non_string(s)
}

/// Would a YAML 1.1 or 1.2 reader resolve the plain scalar `s` to a null,
/// boolean, number, date or one of YAML 1.1's special keys?
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan", "=", "<<",
    ];
    let lower = s.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
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

    fn yaml_of(value: serde_json::Value) -> String {
        let mut out = String::new();
        write_map_body(&mut out, &value, 0);
        out
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
        let v = serde_json::json!({
            "a": "x", "list": [{"k": 1, "m": [ "p", "yes" ]}], "empty": [], "none": null,
            "text": "一\n二", "map": {"b": true}
        });
        assert_eq!(
            yaml_of(v),
            "a: x\nlist:\n- k: 1\n  m:\n  - p\n  - \"yes\"\nempty: []\nnone: null\ntext: |-\n  一\n  二\nmap:\n  b: true\n"
        );
    }

    #[test]
    fn a_key_with_line_breaks_is_double_quoted_not_a_literal_block() {
        let v = serde_json::json!({ "一\n二": "x" });
        assert_eq!(yaml_of(v), "\"一\\n二\": x\n");
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
            let v = serde_json::json!({ "k": s, "l": [s], s: s });
            let back: serde_json::Value = serde_yaml::from_str(&yaml_of(v.clone())).unwrap();
            assert_eq!(back, v, "round trip of {s:?}");
        }
    }
}
