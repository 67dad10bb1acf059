//! Data as Markdown text: whatever a string holds, it reads back as that
//! string, in the one element it was written into.
//!
//! Every field is written as one line. A line break in the data is `<br>`
//! (or a space in a heading, where a break has no place), so no field can
//! end its table cell, heading or list item, or start a paragraph of its
//! own; `\r` counts as a break, as it does for Markdown readers (a field
//! that is one break and nothing else is `<br><wbr>`, as `<br>` alone on a
//! line would be an HTML block). Within the
//! line, every character that could begin inline markup is
//! backslash-escaped; at the start of each line of data, so is what would
//! open a block (`-`, `+`, `=`, `1.`, `1)`); spaces and tabs at either end,
//! which Markdown would strip or take for indentation or a hard break, are
//! written as character references; NUL, which Markdown readers replace,
//! is written as the U+FFFD they would show.

/// How a line break in the data is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Break {
    /// `<br>`: table cells, list items, paragraphs.
    Html,
    /// A space: headings.
    Space,
}

/// Appends `text` as one line of Markdown that reads back as `text` (its
/// line breaks as `brk` says).
pub(crate) fn one_line(out: &mut String, text: &str, brk: Break) {
    if brk == Break::Space {
        // The spaces are blanks like any other: at either end they must
        // be references, or the heading would lose them.
        if memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_some() {
            line_into(out, &text.replace(['\n', '\r'], " "));
        } else {
            line_into(out, text);
        }
        return;
    }
    broken(out, text, line_into);
    if matches!(text, "\n" | "\r") {
        // A line of `<br>` alone would be an HTML block, not a break in
        // the paragraph or list item; the invisible `<wbr>` keeps it inline.
        out.push_str("<wbr>");
    }
}

/// Appends `text` where a line has already begun and goes on after it (a
/// table cell, a diff segment): inline markup escaped, line breaks as
/// `<br>`. No block can start there, so the line-start escapes are left
/// out, and so are references for blanks at the ends, which a table cell
/// trims.
pub(crate) fn mid_line(out: &mut String, text: &str) {
    broken(out, text, inline);
}

/// Writes each line of `text` with `line`, `<br>` between them.
fn broken(out: &mut String, text: &str, line: fn(&mut String, &str)) {
    let mut start = 0;
    for end in memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()) {
        line(out, &text[start..end]);
        out.push_str("<br>");
        start = end + 1;
    }
    line(out, &text[start..]);
}

/// Appends one line of data (no line breaks in it), escaped.
fn line_into(out: &mut String, line: &str) {
    let is_blank = |c: char| c == ' ' || c == '\t';
    let body = line.trim_start_matches(is_blank);
    references(out, &line[..line.len() - body.len()]);
    let trimmed = body.trim_end_matches(is_blank);
    let rest = block_start(out, trimmed);
    inline(out, rest);
    references(out, &body[trimmed.len()..]);
}

/// Writes spaces and tabs as character references (`&#32;`, `&#9;`).
fn references(out: &mut String, blanks: &str) {
    for c in blanks.chars() {
        out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
    }
}

/// Escapes a block marker that `line` starts with and returns what is left
/// to write: `-`, `+` and `=` (list items, thematic breaks, setext
/// underlines) and the `.` or `)` after leading digits (ordered list
/// items). The other block markers (`#`, `>`, `*`, `_`, `` ` ``, `~`,
/// `<`, `|`) are escaped wherever they stand.
fn block_start<'a>(out: &mut String, line: &'a str) -> &'a str {
    if let Some(rest) = line.strip_prefix(['-', '+', '=']) {
        out.push('\\');
        out.push_str(&line[..1]);
        return rest;
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match line[digits..].chars().next() {
        Some(marker @ ('.' | ')')) if digits > 0 => {
            out.push_str(&line[..digits]);
            out.push('\\');
            out.push(marker);
            &line[digits + 1..]
        }
        _ => line,
    }
}

/// Escapes what could begin inline markup anywhere in a line.
fn inline(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = find_special(rest.as_bytes()) {
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == 0 {
            out.push('\u{FFFD}');
        } else {
            out.push('\\');
            out.push_str(&rest[at..=at]);
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// The first byte of `bytes` that [`inline`] escapes. Eight bytes that are
/// all non-ASCII (most of a Chinese text) are passed over at once.
fn find_special(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGH != HIGH {
            if let Some(i) = chunk.iter().position(|&b| SPECIAL[usize::from(b)]) {
                return Some(at + i);
            }
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| SPECIAL[usize::from(b)])
        .map(|i| at + i)
}

/// The bytes [`inline`] escapes (or, for NUL, replaces).
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"\\`*_[]<>|#~&\0";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let mut out = String::new();
        one_line(&mut out, text, Break::Html);
        out
    }

    #[test]
    fn block_markers_at_a_line_start_are_escaped() {
        assert_eq!(
            html("- a\n+ b\n12. c\n3) d\n---\n==="),
            "\\- a<br>\\+ b<br>12\\. c<br>3\\) d<br>\\---<br>\\==="
        );
        assert_eq!(html("a - b 1. c"), "a - b 1. c", "only at a line start");
        assert_eq!(html("2024年"), "2024年");
    }

    #[test]
    fn blanks_at_either_end_are_references_and_breaks_are_br() {
        assert_eq!(html("  a b\t"), "&#32;&#32;a b&#9;");
        assert_eq!(html("a\r\nb"), "a<br><br>b");
        let mut out = String::new();
        one_line(&mut out, "一\n二\n", Break::Space);
        assert_eq!(out, "一 二&#32;");
    }

    #[test]
    fn special_bytes_are_found_at_every_offset_of_a_word() {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes = "中".repeat(len).into_bytes();
                bytes.truncate(len);
                let expected = (at < len).then_some(at);
                if at < len {
                    bytes[at] = b'*';
                }
                assert_eq!(find_special(&bytes), expected, "{len} {at}");
            }
        }
    }

    #[test]
    fn inline_markup_and_nul_are_neutralised() {
        assert_eq!(
            html("*a* `b` <br> &amp; x|y #\0"),
            "\\*a\\* \\`b\\` \\<br\\> \\&amp; x\\|y \\#\u{FFFD}"
        );
    }
}
