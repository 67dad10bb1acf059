//! Cell markup: HTML fragments, entities and page-break markers.
//!
//! Cells carry fragments of the office document's HTML (`<p>`, an unclosed
//! `<ol style="list-style-type: none">`) and the markers a cut cell gets at a
//! page break. This module turns a cell into paragraphs of plain text and
//! finds and removes markers; it knows nothing of what the text means.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::vocab;
use crate::vocabulary::words;

/// A run of text between block-level tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paragraph {
    /// Entities decoded, tags and markers removed, whitespace runs collapsed to
    /// one space, trimmed. Never empty.
    pub text: String,
    /// Opened by a list tag (`<ol>`, `<ul>`, `<li>`): its items may be
    /// unnumbered and separated only by punctuation and a line wrap.
    pub list: bool,
    /// Where `text` came from in the cell: `(offset in text, offset in
    /// cell)` where each run of text copied unchanged begins, in order, the
    /// first at 0. A decoded entity or collapsed whitespace begins a run of
    /// its own, so it maps to its first byte in the cell.
    sources: Vec<(usize, usize)>,
}

impl Paragraph {
    /// The byte offset in the cell of the character at byte `at` of `text`.
    pub(crate) fn source(&self, at: usize) -> usize {
        let run = self.sources.partition_point(|&(t, _)| t <= at).max(1) - 1;
        let (t, c) = self.sources[run];
        c + (at - t)
    }

    /// The byte offset in the cell of the paragraph's last character.
    pub(crate) fn last_source(&self) -> usize {
        let last = self.text.char_indices().next_back().map_or(0, |(i, _)| i);
        self.source(last)
    }

    /// Notes that what is pushed next onto `text` comes from byte `from` of
    /// the cell, unless that follows from the run before.
    fn from(&mut self, from: usize) {
        let at = self.text.len();
        match self.sources.last() {
            Some(&(t, c)) if c + (at - t) == from => {}
            _ => self.sources.push((at, from)),
        }
    }

    /// Replaces `range` of `text` with `with` (a space, or nothing), the
    /// sources after it moved along.
    fn replace(&mut self, range: Range<usize>, with: &'static str) {
        let after = (range.end < self.text.len()).then(|| self.source(range.end));
        let start = (range.start < self.text.len()).then(|| self.source(range.start));
        let shift = |t: usize| t - range.len() + with.len();
        let mut sources: Vec<(usize, usize)> = self
            .sources
            .iter()
            .filter(|&&(t, _)| t < range.start)
            .copied()
            .collect();
        if let (false, Some(start)) = (with.is_empty(), start) {
            sources.push((range.start, start));
        }
        if let Some(after) = after {
            sources.push((range.start + with.len(), after));
        }
        sources.extend(
            self.sources
                .iter()
                .filter(|&&(t, _)| t > range.end)
                .map(|&(t, c)| (shift(t), c)),
        );
        sources.dedup_by_key(|&mut (t, _)| t);
        self.text.replace_range(range, with);
        self.sources = sources;
    }
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

/// The element name of a tag, lower-cased: `p` for `<P class=x>` and `</p>`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn tag_effect(tag: &str) -> TagEffect {
    let closing = tag.starts_with("</");
    match tag_name(tag).as_str() {
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
    let mut paragraph = Paragraph::new();
    let mut list = false;
    let flush = |paragraph: &mut Paragraph, list: bool, out: &mut Markup| {
        // Markers are rare: look for them only when a marker character is
        // there (with memmem: `str::contains` stops at every byte `页` ends with).
        static FINDERS: LazyLock<Vec<Finder<'static>>> =
            LazyLock::new(|| words().markers.chars.iter().map(Finder::new).collect());
        if FINDERS
            .iter()
            .any(|f| f.find(paragraph.text.as_bytes()).is_some())
        {
            remove_markers(paragraph);
        }
        let len = paragraph.text.trim_end().len();
        if len > 0 {
            paragraph.text.truncate(len);
            paragraph.sources.retain(|&(t, _)| t < len);
            paragraph.list = list;
            out.paragraphs
                .push(std::mem::replace(paragraph, Paragraph::new()));
        } else {
            paragraph.text.clear();
            paragraph.sources.clear();
        }
    };
    let mut rest = cell;
    while !rest.is_empty() {
        // Copy the run up to the next character that needs a decision.
        let run = next_special(rest);
        if run > 0 {
            paragraph.from(cell.len() - rest.len());
            paragraph.text.push_str(&rest[..run]);
            rest = &rest[run..];
        }
        let Some(c) = rest.chars().next() else { break };
        let at = cell.len() - rest.len();
        if c == '<' {
            if let Some(len) = tag_len(rest) {
                match tag_effect(&rest[..len]) {
                    TagEffect::Paragraph => {
                        flush(&mut paragraph, list, &mut out);
                        list = false;
                    }
                    TagEffect::List => {
                        flush(&mut paragraph, list, &mut out);
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
                            offset: at,
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
            if !paragraph.text.is_empty() && !paragraph.text.ends_with(' ') {
                paragraph.from(at);
                paragraph.text.push(' ');
            }
        } else {
            paragraph.from(at);
            paragraph.text.push(c);
        }
        rest = &rest[len..];
    }
    flush(&mut paragraph, list, &mut out);
    out
}

impl Paragraph {
    /// An empty paragraph to push text onto.
    fn new() -> Paragraph {
        Paragraph {
            text: String::new(),
            list: false,
            sources: Vec::new(),
        }
    }
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

/// Removes every bracketed page-break marker from a paragraph, with the
/// spaces around it: one space stays between the text on either side.
///
/// One pass per marker spelling: no marker can form where one was removed
/// (a space stays between the text on either side), so this is what
/// removing one marker at a time gives, in linear time.
fn remove_markers(paragraph: &mut Paragraph) {
    let markers = &words().markers;
    for marker in markers.cut.iter().chain(&markers.continuation) {
        let marker = marker.as_str();
        let mut from = 0;
        while let Some(found) = paragraph.text[from..].find(marker) {
            let text = &paragraph.text;
            let (mut start, mut end) = (from + found, from + found + marker.len());
            let before = text[..start].trim_end();
            let after = text[end..].trim_start();
            // Brackets directly around the marker go with it.
            if let (Some(open), Some(close)) = (before.chars().next_back(), after.chars().next()) {
                if vocab::OPEN_BRACKETS.contains(&open) && vocab::CLOSE_BRACKETS.contains(&close) {
                    start = before.len() - open.len_utf8();
                    end = text.len() - after.len() + close.len_utf8();
                }
            }
            let start = text[..start].trim_end().len();
            let end = text.len() - text[end..].trim_start().len();
            let with = if start == 0 || end == text.len() {
                ""
            } else {
                " "
            };
            paragraph.replace(start..end, with);
            from = start + with.len();
        }
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
/// tags), the bytes of it (brackets included) to leave out.
pub(crate) fn cut_marker(cell: &str) -> Option<Range<usize>> {
    let end = skip_layout_backward(cell);
    let body = &cell[..end];
    let core = body.trim_end_matches(vocab::CLOSE_BRACKETS);
    let marker = words()
        .markers
        .cut
        .iter()
        .find(|m| core.ends_with(m.as_str()))?;
    let start = core.len() - marker.len();
    let start = core[..start]
        .strip_suffix(vocab::OPEN_BRACKETS)
        .map_or(start, str::len);
    Some(start..end)
}

/// If the cell starts with a continuation marker (`(续上页)`, possibly
/// wrapped in tags), the bytes of it (brackets included) to leave out.
pub(crate) fn continuation_marker(cell: &str) -> Option<Range<usize>> {
    let start = skip_layout_forward(cell);
    let body = &cell[start..];
    let core = body.trim_start_matches(vocab::OPEN_BRACKETS);
    let marker = words()
        .markers
        .continuation
        .iter()
        .find(|m| core.starts_with(m.as_str()))?;
    let after = &core[marker.len()..];
    let after = after.strip_prefix(vocab::CLOSE_BRACKETS).unwrap_or(after);
    Some(start..cell.len() - after.len())
}

/// A marker (bytes `marker` of `cell`) widened to the layout the page
/// break put around it: the whitespace on either side and, when the marker
/// stands alone in an element (`<p>（未完见下页）</p>`), that element.
/// Leaving these out of a joined cell leaves it as it was before the break.
pub(crate) fn with_its_layout(cell: &str, marker: Range<usize>) -> Range<usize> {
    let start = cell[..marker.start].trim_end().len();
    let end = cell.len() - cell[marker.end..].trim_start().len();
    let open = cell[..start]
        .strip_suffix('>')
        .and_then(|before| before.rfind('<'))
        .filter(|&at| tag_len(&cell[at..]) == Some(start - at));
    let close = tag_len(&cell[end..]).map(|len| end + len);
    match (open, close) {
        (Some(open), Some(close))
            if !cell[open..].starts_with("</")
                && cell[end..].starts_with("</")
                && tag_name(&cell[open..start]) == tag_name(&cell[end..close]) =>
        {
            cell[..open].trim_end().len()..cell.len() - cell[close..].trim_start().len()
        }
        _ => start..end,
    }
}

/// What the last block-level tag of `text` says about the text after it:
/// `Some(Some(name))` when it opens a list (`<ol …>`, `<ul>`), named;
/// `Some(None)` when it is any other block tag; `None` when `text` has none.
pub(crate) fn last_block(text: &str) -> Option<Option<String>> {
    let mut end = text.len();
    while let Some(at) = text[..end].rfind('<') {
        end = at;
        let Some(len) = tag_len(&text[at..]) else {
            continue;
        };
        let tag = &text[at..at + len];
        match tag_effect(tag) {
            TagEffect::Inline => continue,
            TagEffect::List if matches!(tag_name(tag).as_str(), "ol" | "ul") => {
                return Some(Some(tag_name(tag)))
            }
            _ => return Some(None),
        }
    }
    None
}

/// The length of the list tag (`<ol …>` or `<ul>`) named `name` that opens
/// `text`, with the whitespace after it.
pub(crate) fn reopened_list(text: &str, name: &str) -> Option<usize> {
    let len = tag_len(text)?;
    let tag = &text[..len];
    (!tag.starts_with("</") && tag_name(tag) == name)
        .then(|| text.len() - text[len..].trim_start().len())
}

impl Markup {
    /// What a cell says, for comparing two printings of it: its characters
    /// with all markup, markers and whitespace gone, each with its byte
    /// offset in the cell.
    pub(crate) fn substance(&self) -> Vec<(char, usize)> {
        self.paragraphs
            .iter()
            .flat_map(|p| {
                p.text
                    .char_indices()
                    .filter(|(_, c)| !c.is_whitespace())
                    .map(|(i, c)| (c, p.source(i)))
            })
            .collect()
    }
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

    /// The cell without `range`, as a cell joined at a marker reads.
    fn without(cell: &str, range: Option<Range<usize>>) -> Option<String> {
        range.map(|r| format!("{}{}", &cell[..r.start], &cell[r.end..]))
    }

    #[test]
    fn cut_markers_are_found_through_tags_in_both_bracket_widths() {
        let cut = |cell: &str| without(cell, cut_marker(cell));
        assert_eq!(cut("甲； (未完见下页)").as_deref(), Some("甲； "));
        assert_eq!(
            cut("<p>甲。 （未完见下页）</p>").as_deref(),
            Some("<p>甲。 </p>")
        );
        assert_eq!(
            cut("<p>甲</p> <p>（未完见下页）</p>").as_deref(),
            Some("<p>甲</p> <p></p>")
        );
        assert_eq!(cut("甲 未完待续").as_deref(), Some("甲 "));
        assert_eq!(cut("甲。"), None);
    }

    #[test]
    fn continuation_markers_are_found_through_tags() {
        let continued = |cell: &str| without(cell, continuation_marker(cell));
        assert_eq!(
            continued("<p>(续上页)</p> <ol> 6. 乙").as_deref(),
            Some("<p></p> <ol> 6. 乙")
        );
        assert_eq!(continued("（接上页）乙").as_deref(), Some("乙"));
        assert_eq!(continued("乙"), None);
    }

    #[test]
    fn every_character_of_a_paragraph_knows_where_it_stands_in_the_cell() {
        let cells = [
            "<p>伊吾县委 组织部：</p> <ol> 1. 甲； 2. 乙。 ",
            "A&amp;B &#8220;好&#x201D; &bogus; &  \u{3000} 丙",
            "甲 (续上页) 乙 （未完见下页） 丙",
            "（续上页）甲，<b>乙</b>\n丙 （未完见下页）",
            "  <br>  ",
        ];
        for cell in cells {
            for p in markup(cell).paragraphs {
                for (i, c) in p.text.char_indices() {
                    let raw = &cell[p.source(i)..];
                    let found = raw.chars().next().unwrap();
                    assert!(
                        found == c
                            || (c == ' ' && found.is_whitespace())
                            || (found == '&' && c != '&'),
                        "{cell:?}: {c:?} at {i} of {:?} points at {raw:?}",
                        p.text
                    );
                }
                let last = p.text.chars().next_back().unwrap();
                assert!(cell[p.last_source()..].starts_with(last), "{cell:?}");
            }
        }
    }

    #[test]
    fn every_marker_holds_a_marker_character() {
        let markers = &words().markers;
        for marker in markers.cut.iter().chain(&markers.continuation) {
            assert!(
                markers.chars.iter().any(|c| marker.contains(c.as_str())),
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
        let chars = |cell: &str| -> String {
            markup(cell)
                .substance()
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        };
        assert_eq!(
            chars("<p>1. 对辖区； 2. 负责</p>"),
            chars("<p>1.对辖区；</p> <p>2.负责</p>")
        );
        assert_eq!(
            markup("<p>甲 &amp;乙</p>").substance(),
            vec![('甲', 3), ('&', 7), ('乙', 12)]
        );
    }
}
