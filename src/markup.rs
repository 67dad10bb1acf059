//! Cell markup: HTML fragments, entities and page-break markers.
//!
//! Cells carry fragments of the office document's HTML (`<p>`, an unclosed
//! `<ol style="list-style-type: none">`) and the markers a cut cell gets at a
//! page break. This module turns a cell into paragraphs of plain text and
//! finds and removes markers; it knows nothing of what the text means.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::vocab;

/// A run of text between block-level tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paragraph {
    /// Entities decoded, tags and markers removed, whitespace runs collapsed to
    /// one space, trimmed. Never empty.
    pub text: String,
    /// Opened by a list tag (`<ol>`, `<ul>`, `<li>`): its items may be
    /// unnumbered and separated only by punctuation and a line wrap.
    pub list: bool,
}

/// A cell turned into paragraphs, with any entity that could not be decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Markup {
    pub paragraphs: Vec<Paragraph>,
    pub unknown_entities: Vec<KeptEntity>,
}

/// An entity kept as written: `&bogus;`, or a numeric one for a character
/// that must not reach the outputs (`&#0;`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeptEntity {
    /// Byte offset of its `&` in the cell.
    pub offset: usize,
    /// The entity as written.
    pub text: String,
    /// What it stands for, when it is numeric: a control character, a
    /// surrogate or no code point at all.
    pub refused: Option<Refused>,
}

/// Why a numeric entity is not decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// A control character other than tab and line ends (U+0000–U+001F,
    /// U+007F–U+009F).
    Control(u32),
    /// A UTF-16 surrogate (U+D800–U+DFFF), no character on its own.
    Surrogate(u32),
    /// Beyond U+10FFFF, or too long a number for any code point.
    OutOfRange,
}

/// What a tag does to the text around it.
enum TagEffect {
    /// Ends the paragraph; the next one is plain (`<p>`, `</p>`, `<br>`, …).
    Paragraph,
    /// Ends the paragraph; the next one is a list (`<ol>`, `<ul>`, `<li>`).
    List,
    /// Nothing: inline tags vanish.
    Inline,
}

fn tag_effect(tag: &str) -> TagEffect {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let closing = tag.starts_with("</");
    match name.as_str() {
        "ol" | "ul" | "li" if !closing => TagEffect::List,
        "p" | "div" | "br" | "ol" | "ul" | "li" | "tr" | "td" | "th" | "table" | "h1" | "h2"
        | "h3" | "h4" | "h5" | "h6" | "blockquote" => TagEffect::Paragraph,
        _ => TagEffect::Inline,
    }
}

/// The length of the tag starting at `s`, if `s` starts with one.
pub(crate) fn tag_len(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    if chars.next() != Some('<') {
        return None;
    }
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '/' || c == '!' => {}
        _ => return None,
    }
    // The first `<` or `>` after the opening one: a `<` first means this was
    // no tag but text such as `<5岁`. Stopping there, rather than looking for
    // the `>` and then for a `<` before it, keeps a cell of many `<a` and no
    // `>` linear.
    let end = 1 + memchr::memchr2(b'<', b'>', &s.as_bytes()[1..])?;
    (s.as_bytes()[end] == b'>').then_some(end + 1)
}

/// Named entities decoded; numeric ones (`&#8220;`, `&#x201C;`) are always.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("middot", '·'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("times", '×'),
    ("divide", '÷'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("permil", '‰'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("yen", '¥'),
];

/// Decodes the entity at the start of `s` (`&amp;`): the character and the
/// entity's length, `None` when `s` starts with no entity or with one that
/// must be kept as written ([`refused`]).
fn entity(s: &str) -> Option<(char, usize)> {
    let end = head(s, 12).find(';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = code_point(num)?;
        if refusal(code).is_some() {
            return None;
        }
        char::from_u32(code)?
    } else {
        ENTITIES.iter().find(|(name, _)| *name == body)?.1
    };
    Some((c, end + 1))
}

/// The number of a numeric entity's body after `#` (`x201C`, `8220`);
/// `None` if it is no number, [`u32::MAX`] if it is too long for a `u32`.
fn code_point(num: &str) -> Option<u32> {
    let (digits, radix) = match num.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (num, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(u32::from_str_radix(digits, radix).unwrap_or(u32::MAX))
}

/// Why the code point of a numeric entity is not decoded, if it is not:
/// a decoded NUL or escape would be written into the outputs as is.
fn refusal(code: u32) -> Option<Refused> {
    match code {
        0x09 | 0x0A | 0x0D => None,
        0x00..=0x1F | 0x7F..=0x9F => Some(Refused::Control(code)),
        0xD800..=0xDFFF => Some(Refused::Surrogate(code)),
        0x11_0000.. => Some(Refused::OutOfRange),
        _ => None,
    }
}

/// Why the numeric entity `entity` (`&#0;`) is kept as written, if it is.
fn refused(entity: &str) -> Option<Refused> {
    let num = entity.strip_prefix("&#")?.strip_suffix(';')?;
    refusal(code_point(num)?)
}

/// Does `s` look like an entity (`&name;`) that [`entity`] does not know?
fn unknown_entity(s: &str) -> Option<&str> {
    let end = head(s, 12).find(';')?;
    let body = &s[1..end];
    (!body.is_empty() && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '#'))
        .then(|| &s[..=end])
}

/// At most the first `max` bytes of `s`, cut back to a character boundary
/// (an entity is ASCII, but the text after a stray `&` may not be).
fn head(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Splits a cell into paragraphs of plain text.
pub(crate) fn markup(cell: &str) -> Markup {
    let mut out = Markup::default();
    let mut text = String::with_capacity(cell.len());
    let mut list = false;
    let flush = |text: &mut String, list: bool, out: &mut Markup| {
        // Markers are rare: look for them only when a marker character is
        // there (with memmem: `str::contains` stops at every byte `页` ends with).
        static FINDERS: LazyLock<Vec<Finder<'static>>> =
            LazyLock::new(|| vocab::MARKER_CHARS.iter().map(Finder::new).collect());
        if FINDERS.iter().any(|f| f.find(text.as_bytes()).is_some()) {
            remove_markers(text);
        }
        let len = text.trim_end().len();
        if len > 0 {
            text.truncate(len);
            out.paragraphs.push(Paragraph {
                text: std::mem::take(text),
                list,
            });
        }
        text.clear();
    };
    let mut rest = cell;
    while !rest.is_empty() {
        // Copy the run up to the next character that needs a decision.
        let run = next_special(rest);
        text.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else { break };
        if c == '<' {
            if let Some(len) = tag_len(rest) {
                match tag_effect(&rest[..len]) {
                    TagEffect::Paragraph => {
                        flush(&mut text, list, &mut out);
                        list = false;
                    }
                    TagEffect::List => {
                        flush(&mut text, list, &mut out);
                        list = true;
                    }
                    TagEffect::Inline => {}
                }
                rest = &rest[len..];
                continue;
            }
        }
        let (c, len) = if c == '&' {
            match entity(rest) {
                Some(decoded) => decoded,
                None => {
                    if let Some(name) = unknown_entity(rest) {
                        out.unknown_entities.push(KeptEntity {
                            offset: cell.len() - rest.len(),
                            text: name.to_owned(),
                            refused: refused(name),
                        });
                    }
                    ('&', 1)
                }
            }
        } else {
            (c, c.len_utf8())
        };
        if c.is_whitespace() {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
        } else {
            text.push(c);
        }
        rest = &rest[len..];
    }
    flush(&mut text, list, &mut out);
    out
}

/// The byte offset of the first `<`, `&` or whitespace character in `s`
/// (`s.len()` if none).
fn next_special(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match STEP[usize::from(b[i])] {
            // The exact test only for candidates.
            0 if matches!(b[i], b'<' | b'&') || whitespace_at(b, i) > 0 => return i,
            0 => i += 1,
            len => i += usize::from(len),
        }
    }
    b.len()
}

/// The first whitespace character at or after byte `from` of `b`: its offset
/// and length. `from` must start a character.
pub(crate) fn next_whitespace(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < b.len() {
        match STEP[usize::from(b[i])] {
            0 => match whitespace_at(b, i) {
                0 => i += 1,
                len => return Some((i, len)),
            },
            len => i += usize::from(len),
        }
    }
    None
}

/// For each byte starting a character: 0 when the character may be
/// whitespace, `<` or `&`, else the character's length in bytes. Scans step
/// a whole character at a time (a third of the steps on Chinese text) and
/// decode nothing; a continuation byte never starts a character, so its
/// entry only has to be non-zero.
const STEP: [u8; 256] = {
    let mut table = [1u8; 256];
    let mut b = 0;
    while b < 0x100 {
        table[b] = utf8_len(b as u8) as u8;
        b += 1;
    }
    let leads = [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3, b'<', b'&',
    ];
    let mut i = 0;
    while i < leads.len() {
        table[leads[i] as usize] = 0;
        i += 1;
    }
    table
};

/// The length of the UTF-8 character whose first byte is `lead` (1 for a
/// byte that starts none).
pub(crate) const fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// The byte length of the whitespace character that starts at `b[i]`, or 0:
/// a byte test that decodes nothing, since every whitespace character Rust
/// knows begins with one of a few bytes.
#[inline]
pub(crate) fn whitespace_at(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
        // U+0085, U+00A0
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        // U+1680
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F
        0xE2 if (at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF))
            || (at(1) == 0x81 && at(2) == 0x9F) =>
        {
            3
        }
        // U+3000
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Removes every bracketed page-break marker from `text`, with the space it
/// leaves behind collapsed.
///
/// One pass per marker spelling, and the spaces collapsed once at the end:
/// no marker can form where one was removed (a space stays between the
/// text on either side), so this is what removing one marker at a time and
/// collapsing after each gives, in linear time.
fn remove_markers(text: &mut String) {
    let mut changed = false;
    for marker in vocab::CUT_MARKERS.iter().chain(vocab::CONTINUATION_MARKERS) {
        if !text.contains(marker) {
            continue;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(found) = rest.find(marker) {
            out.push_str(&rest[..found]);
            let behind = &rest[found + marker.len()..];
            rest = behind;
            let before = out.trim_end();
            let after = behind.trim_start();
            // Brackets directly around the marker go with it.
            if let (Some(open), Some(close)) = (before.chars().next_back(), after.chars().next()) {
                if vocab::OPEN_BRACKETS.contains(&open) && vocab::CLOSE_BRACKETS.contains(&close) {
                    out.truncate(before.len() - open.len_utf8());
                    rest = &after[close.len_utf8()..];
                }
            }
            out.push(' ');
        }
        out.push_str(rest);
        *text = out;
        changed = true;
    }
    if changed {
        *text = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
}

/// Skips whitespace and tags from the start of `s`; returns the byte offset
/// of the first character that is neither.
fn skip_layout_forward(s: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &s[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        match tag_len(trimmed) {
            Some(len) => at += len,
            None => return at,
        }
    }
}

/// Skips whitespace and tags from the end of `s`; returns the byte offset
/// just after the last character that is neither.
fn skip_layout_backward(s: &str) -> usize {
    let mut end = s.len();
    loop {
        let trimmed = s[..end].trim_end();
        end = trimmed.len();
        if trimmed.ends_with('>') {
            if let Some(open) = trimmed.rfind('<') {
                if tag_len(&trimmed[open..]) == Some(end - open) {
                    end = open;
                    continue;
                }
            }
        }
        return end;
    }
}

/// If the cell ends with a cut marker (`(未完见下页)`, possibly wrapped in
/// tags), the cell without it.
pub(crate) fn strip_cut_marker(cell: &str) -> Option<String> {
    let end = skip_layout_backward(cell);
    let body = &cell[..end];
    let core = body.trim_end_matches(vocab::CLOSE_BRACKETS);
    let marker = vocab::CUT_MARKERS.iter().find(|m| core.ends_with(*m))?;
    let start = core.len() - marker.len();
    let start = core[..start]
        .strip_suffix(vocab::OPEN_BRACKETS)
        .map_or(start, str::len);
    let mut joined = cell[..start].to_owned();
    joined.push_str(&cell[end..]);
    Some(joined)
}

/// If the cell starts with a continuation marker (`(续上页)`, possibly
/// wrapped in tags), the cell without it.
pub(crate) fn strip_continuation_marker(cell: &str) -> Option<String> {
    let start = skip_layout_forward(cell);
    let body = &cell[start..];
    let core = body.trim_start_matches(vocab::OPEN_BRACKETS);
    let marker = vocab::CONTINUATION_MARKERS
        .iter()
        .find(|m| core.starts_with(*m))?;
    let after = &core[marker.len()..];
    let after = after.strip_prefix(vocab::CLOSE_BRACKETS).unwrap_or(after);
    let end = cell.len() - after.len();
    let mut joined = cell[..start].to_owned();
    joined.push_str(&cell[end..]);
    Some(joined)
}

/// What a cell says, for comparing two printings of it: its text with all
/// markup, markers and whitespace gone.
pub(crate) fn substance(cell: &str) -> String {
    markup(cell)
        .paragraphs
        .iter()
        .flat_map(|p| p.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(cell: &str) -> Vec<(String, bool)> {
        markup(cell)
            .paragraphs
            .into_iter()
            .map(|p| (p.text, p.list))
            .collect()
    }

    #[test]
    fn ampersands_before_chinese_do_not_cut_a_character() {
        // Found by the fuzzer: the 12-byte entity window ended inside `污`.
        assert_eq!(
            texts("&&&&&镇的污染；"),
            vec![("&&&&&镇的污染；".to_owned(), false)]
        );
    }

    #[test]
    fn tags_split_paragraphs_and_unclosed_ol_opens_a_list() {
        assert_eq!(
            texts(r#"<p>伊吾县委组织部：</p> <ol style="list-style-type: none"> 1. 甲； 2. 乙。 "#),
            vec![
                ("伊吾县委组织部：".into(), false),
                ("1. 甲； 2. 乙。".into(), true)
            ]
        );
    }

    #[test]
    fn entities_decode_and_unknown_ones_are_reported() {
        let m = markup("A&amp;B &#8220;好&#x201D; &bogus; &");
        assert_eq!(m.paragraphs[0].text, "A&B “好” &bogus; &");
        assert_eq!(
            m.unknown_entities,
            vec![KeptEntity {
                offset: 27,
                text: "&bogus;".to_owned(),
                refused: None
            }]
        );
    }

    #[test]
    fn entities_for_control_characters_surrogates_and_no_code_point_are_kept() {
        let cell = "甲&#0;乙&#x0;&#27;&#x7F;&#133;&#xD800;&#1114112;&#xFFFFFFFF;&#9;丙";
        let m = markup(cell);
        assert_eq!(
            m.paragraphs[0].text,
            "甲&#0;乙&#x0;&#27;&#x7F;&#133;&#xD800;&#1114112;&#xFFFFFFFF; 丙"
        );
        let kept: Vec<(&str, Option<Refused>)> = m
            .unknown_entities
            .iter()
            .map(|e| (&cell[e.offset..e.offset + e.text.len()], e.refused))
            .collect();
        assert_eq!(
            kept,
            [
                ("&#0;", Some(Refused::Control(0))),
                ("&#x0;", Some(Refused::Control(0))),
                ("&#27;", Some(Refused::Control(27))),
                ("&#x7F;", Some(Refused::Control(0x7F))),
                ("&#133;", Some(Refused::Control(133))),
                ("&#xD800;", Some(Refused::Surrogate(0xD800))),
                ("&#1114112;", Some(Refused::OutOfRange)),
                ("&#xFFFFFFFF;", Some(Refused::OutOfRange)),
            ]
        );
    }

    #[test]
    fn every_whitespace_character_is_found_by_the_byte_scan() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("甲{c}");
            let expected = if c.is_whitespace() || c == '<' || c == '&' {
                3
            } else {
                s.len()
            };
            assert_eq!(next_special(&s), expected, "U+{:04X}", c as u32);
            let space = c.is_whitespace().then_some((3, c.len_utf8()));
            assert_eq!(
                next_whitespace(s.as_bytes(), 0),
                space,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(texts("年龄<6岁 a < b")[0].0, "年龄<6岁 a < b");
    }

    #[test]
    fn cut_markers_are_found_through_tags_in_both_bracket_widths() {
        assert_eq!(
            strip_cut_marker("甲； (未完见下页)").as_deref(),
            Some("甲； ")
        );
        assert_eq!(
            strip_cut_marker("<p>甲。 （未完见下页）</p>").as_deref(),
            Some("<p>甲。 </p>")
        );
        assert_eq!(
            strip_cut_marker("<p>甲</p> <p>（未完见下页）</p>").as_deref(),
            Some("<p>甲</p> <p></p>")
        );
        assert_eq!(strip_cut_marker("甲 未完待续").as_deref(), Some("甲 "));
        assert_eq!(strip_cut_marker("甲。"), None);
    }

    #[test]
    fn continuation_markers_are_found_through_tags() {
        assert_eq!(
            strip_continuation_marker("<p>(续上页)</p> <ol> 6. 乙").as_deref(),
            Some("<p></p> <ol> 6. 乙")
        );
        assert_eq!(
            strip_continuation_marker("（接上页）乙").as_deref(),
            Some("乙")
        );
        assert_eq!(strip_continuation_marker("乙"), None);
    }

    #[test]
    fn every_marker_holds_a_marker_character() {
        for marker in vocab::CUT_MARKERS.iter().chain(vocab::CONTINUATION_MARKERS) {
            assert!(
                vocab::MARKER_CHARS.iter().any(|c| marker.contains(c)),
                "{marker}"
            );
        }
    }

    #[test]
    fn markers_left_inside_text_are_removed() {
        assert_eq!(texts("甲 (续上页) 乙")[0].0, "甲 乙");
    }

    #[test]
    fn substance_ignores_markup_and_spacing() {
        assert_eq!(
            substance("<p>1. 对辖区； 2. 负责</p>"),
            substance("<p>1.对辖区；</p> <p>2.负责</p>")
        );
    }
}
