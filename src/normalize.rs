//! Stage 4, **normalize**: joined cells → clean text and structure.
//!
//! Tags go, entities are decoded, markers removed. Whitespace between two
//! Chinese characters or next to Chinese punctuation is layout (a line wrap)
//! and goes; other whitespace becomes one space. Wording is never changed.
//! Duty cells are split into blocks (a heading label ending in `：` and the
//! steps under it, without their numbering); handover cells into receivers.

use std::collections::{BTreeMap, HashMap};

use crate::assemble::{Assembled, AssembledItem, AssembledSection, JoinedCell};
use crate::cursor::CellCursor;
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::markup::{markup, next_whitespace, utf8_len, Markup, Paragraph, Refused};
use crate::model::{
    ContentsEntry, Duty, DutyBlock, Edition, Handover, Item, ItemSource, Receiver, Region, Section,
    Source, SCHEMA_VERSION,
};
use crate::vocab::{self, Field};

/// Builds the output records of an assembled edition.
pub fn normalize(
    assembled: &Assembled<'_>,
    source: Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Edition {
    let front = &assembled.front;
    let title = front.title.map(|t| clean(t.text)).unwrap_or_default();
    Edition {
        schema_version: SCHEMA_VERSION.to_owned(),
        source,
        region: region(&title),
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
            .map(|s| section(s, diagnostics))
            .collect(),
    }
}

fn section(section: &AssembledSection<'_>, diagnostics: &mut Vec<Diagnostic>) -> Section {
    let fields: Vec<Option<Field>> = section
        .columns
        .iter()
        .map(|c| vocab::column_field(c))
        .collect();
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
                .with_help(format!(
                    "known columns are {}",
                    vocab::COLUMN_TITLES
                        .iter()
                        .map(|(t, _)| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    Section {
        kind: section.kind,
        title: clean(section.title.text),
        columns: section.columns.iter().map(|c| (*c).to_owned()).collect(),
        first_page: section.first_page,
        last_page: section.last_page,
        items: section
            .items
            .iter()
            .map(|item| self::item(item, &section.columns, &fields, diagnostics))
            .collect(),
    }
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
    diagnostics: &mut Vec<Diagnostic>,
) -> Item {
    let mut out = Item {
        seq: item.seq,
        category: None,
        name: String::new(),
        source: ItemSource {
            first_line: item.parts[0].line,
            last_line: item.parts[item.parts.len() - 1].last_line,
            pages: item.parts.iter().map(|p| p.page).collect(),
        },
        superior_departments: None,
        superior_duties: None,
        township_duties: None,
        handover: None,
        extra: BTreeMap::new(),
    };
    let mut has_name_column = false;
    for ((cell, field), column) in item.cells.iter().zip(fields).zip(columns) {
        match field {
            Some(Field::Seq) => {}
            Some(Field::Category) => out.category = Some(plain(cell, diagnostics)),
            Some(Field::Name) => {
                has_name_column = true;
                out.name = plain(cell, diagnostics);
                check_cut_off(&out.name, cell, "name", diagnostics);
                if out.name.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::EmptyField,
                            cell.position_at(0, 1),
                            format!("expected a name for item {}, found an empty cell", item.seq),
                        )
                        .with_help("fill in the 事项名称 cell"),
                    );
                }
            }
            Some(Field::SuperiorDepartments) => {
                out.superior_departments = Some(departments(&plain(cell, diagnostics)));
            }
            Some(Field::SuperiorDuties) => {
                out.superior_duties = Some(duty_checked(cell, diagnostics))
            }
            Some(Field::TownshipDuties) => {
                out.township_duties = Some(duty_checked(cell, diagnostics))
            }
            Some(Field::Handover) => {
                out.handover = Some(handover(&read_cell(cell, diagnostics).paragraphs));
            }
            None => {
                out.extra
                    .insert((*column).to_owned(), plain(cell, diagnostics));
            }
        }
    }
    if !has_name_column {
        diagnostics.push(Diagnostic::new(
            Code::EmptyField,
            item.cells[0].position_at(0, 1),
            format!(
                "expected a `事项名称` column for item {}, found none in the header",
                item.seq
            ),
        ));
    }
    out
}

/// A duty cell, with its text checked.
fn duty_checked(cell: &JoinedCell<'_>, diagnostics: &mut Vec<Diagnostic>) -> Duty {
    let duty = duty(&read_cell(cell, diagnostics).paragraphs);
    check_cut_off(&duty.text, cell, "duty", diagnostics);
    duty
}

/// A cell as one clean string, paragraphs on lines of their own.
fn plain(cell: &JoinedCell<'_>, diagnostics: &mut Vec<Diagnostic>) -> String {
    let mut out = String::new();
    for p in read_cell(cell, diagnostics).paragraphs {
        if !out.is_empty() {
            out.push('\n');
        }
        push_clean(&mut out, &p.text);
    }
    out
}

/// The cell's paragraphs, with Latin words inside Chinese text and unknown
/// entities reported.
fn read_cell(cell: &JoinedCell<'_>, diagnostics: &mut Vec<Diagnostic>) -> Markup {
    let text = &cell.text;
    let markup = markup(text);
    // The raw cell has tags in Latin letters; look in it only when the text
    // itself has a lower-case letter.
    let has_latin = markup.paragraphs.iter().any(|p| {
        p.text
            .bytes()
            .fold(false, |seen, b| seen | b.is_ascii_lowercase())
    });
    let words = if has_latin {
        latin_words(text)
    } else {
        Vec::new()
    };
    // Words come left to right: one cursor walks the cell once for all.
    let mut cursor = CellCursor::new(cell);
    for (at, word) in words {
        diagnostics.push(
            Diagnostic::new(
                Code::LatinWord,
                cursor.position_at(at, word.chars().count() as u32),
                format!("expected Chinese text, found the Latin word `{word}`"),
            )
            .with_label("Latin word")
            .with_help(if word == "and" {
                "did the export turn `和` into `and`?"
            } else {
                "check whether this word belongs here"
            }),
        );
    }
    // Kept entities are found left to right too, each at its own `&`.
    let mut cursor = CellCursor::new(cell);
    for entity in &markup.unknown_entities {
        let position = cursor.position_at(entity.offset, entity.text.chars().count() as u32);
        let text = &entity.text;
        diagnostics.push(match entity.refused {
            None => Diagnostic::new(
                Code::UnknownEntity,
                position,
                format!("unknown HTML entity `{text}` kept as written"),
            ),
            Some(refused) => {
                let what = match refused {
                    Refused::Control(c) => format!("U+{c:04X}, a control character"),
                    Refused::Surrogate(c) => format!("U+{c:04X}, a surrogate, no character"),
                    Refused::OutOfRange => "no code point (beyond U+10FFFF)".to_owned(),
                };
                Diagnostic::new(
                    Code::UnknownEntity,
                    position,
                    format!(
                        "expected an entity for a printable character, found `{text}` ({what}); kept as written"
                    ),
                )
                .with_label("not decoded")
                .with_help("remove the entity, or replace it with the character meant")
            }
        });
    }
    markup
}

/// Lower-case Latin words standing between Chinese text, with their offsets.
fn latin_words(text: &str) -> Vec<(usize, &str)> {
    let chinese =
        |c: Option<char>| c.is_some_and(|c| vocab::is_han(c) || vocab::is_chinese_punctuation(c));
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, c.is_ascii_lowercase()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                start = None;
                let before = text[..s].trim_end();
                let after = text[i..].trim_start();
                let spaced = before.len() < s || after.len() < text.len() - i;
                if i - s >= 2
                    && spaced
                    && chinese(before.chars().next_back())
                    && chinese(after.chars().next())
                {
                    words.push((s, &text[s..i]));
                }
            }
            _ => {}
        }
    }
    words
}

/// Warns when text ends as if cut off.
fn check_cut_off(text: &str, cell: &JoinedCell<'_>, what: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(last) = text.chars().next_back() else {
        return;
    };
    if !vocab::CUT_OFF_ENDINGS.contains(&last)
        || vocab::WHOLE_WORD_ENDINGS.iter().any(|w| text.ends_with(w))
    {
        return;
    }
    let raw = &cell.text;
    let at = raw.rfind(last).unwrap_or(0);
    diagnostics.push(
        Diagnostic::new(
            Code::CutOff,
            cell.position_at(at, 1),
            format!("expected the {what} to end a sentence, found it ending in `{last}`"),
        )
        .with_label("text ends here")
        .with_help("check the printed edition for the rest of the text"),
    );
}

/// Splits a departments cell on `、`.
pub(crate) fn departments(text: &str) -> Vec<String> {
    text.split(vocab::DEPARTMENT_SEPARATORS)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Appends `piece` to `out` as if a space stood between them, applying the
/// whitespace rule to that space and to the spaces inside `piece`.
fn push_clean(out: &mut String, piece: &str) {
    push_clean_from(out, piece, piece.len());
}

/// [`push_clean`], returning where in `out` the text from byte `mark` of
/// `piece` on begins: `out[returned..]` is `clean(&piece[mark..])`, so a step
/// is cut from its block's text instead of being cleaned a second time.
fn push_clean_from(out: &mut String, piece: &str, mark: usize) -> usize {
    let bytes = piece.as_bytes();
    // A space is pending between `out` and `piece`, unless `out` is empty or
    // ends a line (a paragraph or block break stands there already).
    let joins = |out: &String| !out.is_empty() && !out.ends_with('\n');
    let mut pending = joins(out);
    let mut start = 0;
    let mut marked = None;
    loop {
        let space = next_whitespace(bytes, start);
        let end = space.map_or(bytes.len(), |(at, _)| at);
        let run = &piece[start..end];
        if let Some(next) = run.chars().next() {
            if pending {
                let prev = out.chars().next_back().expect("pending implies text");
                if !is_layout_space(prev, next) {
                    out.push(' ');
                }
            }
            if marked.is_none() && mark < end {
                marked = Some(out.len() + mark.saturating_sub(start));
            }
            out.push_str(run);
        }
        let Some((at, len)) = space else {
            return marked.unwrap_or(out.len());
        };
        pending = joins(out);
        start = at + len;
    }
}

/// Is a space between `prev` and `next` a line wrap to drop?
fn is_layout_space(prev: char, next: char) -> bool {
    vocab::is_chinese_punctuation(prev)
        || vocab::is_chinese_punctuation(next)
        || (vocab::is_han(prev) && vocab::is_han(next))
}

/// `text` cleaned by the whitespace rule.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_clean(&mut out, text);
    out
}

/// A numbering marker at the start of a step: `1.`, `1、`, `（1）`, `（一）`.
struct Marker {
    /// The number, for arabic markers.
    number: Option<u32>,
    /// Bytes the marker takes, a following space included.
    len: usize,
}

/// The numbering marker at the start of `s`, if any.
fn marker(s: &str) -> Option<Marker> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let after = |len: usize| len + usize::from(s[len..].starts_with(' '));
    if (1..=3).contains(&digits) {
        let rest = &s[digits..];
        let sep = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '.' | '．' | '、'))?;
        let next = rest[sep.len_utf8()..].chars().next();
        if next.is_some_and(|c| c.is_ascii_digit()) {
            return None; // 1.5 is a number, not a marker
        }
        let len = digits + sep.len_utf8();
        return Some(Marker {
            number: s[..digits].parse().ok(),
            len: after(len),
        });
    }
    let open = s.chars().next().filter(|c| matches!(c, '（' | '('))?;
    let inner = &s[open.len_utf8()..];
    let body = inner
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let close = inner[body..]
        .chars()
        .next()
        .filter(|c| matches!(c, '）' | ')'))?;
    (body > 0).then(|| Marker {
        number: None,
        len: after(open.len_utf8() + body + close.len_utf8()),
    })
}

/// The length of a heading label (`伊吾县委组织部：`) at the start of `s`,
/// colon included: up to 40 characters without sentence punctuation,
/// followed by a space, a numbering marker or the end of the paragraph.
fn heading_label(s: &str) -> Option<usize> {
    let colon = label_end(s, 40)?;
    let after = &s[colon..];
    (after.is_empty() || after.starts_with(' ') || marker(after).is_some()).then_some(colon)
}

/// Byte length of `text…：` at the start of `s` when the label before the
/// colon is 2..=`max` characters long and holds no sentence punctuation.
fn label_end(s: &str, max: usize) -> Option<usize> {
    for (count, (i, c)) in s.char_indices().enumerate() {
        match c {
            '：' => return (count >= 2).then_some(i + c.len_utf8()),
            '。' | '；' | ';' | '，' | ',' | '！' | '？' | '\n' => return None,
            _ if count >= max => return None,
            _ => {}
        }
    }
    None
}

/// A block under construction.
#[derive(Default)]
struct BlockBuilder {
    heading: Option<String>,
    steps: Vec<String>,
    text: String,
    /// The number the next numbered step should carry.
    expect: u32,
}

/// Splits a duty cell's paragraphs into blocks of steps.
pub(crate) fn duty(paragraphs: &[Paragraph]) -> Duty {
    let mut blocks: Vec<BlockBuilder> = Vec::new();
    for p in paragraphs {
        split_paragraph(&p.text, p.list, &mut blocks);
    }
    Duty {
        text: blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        blocks: blocks
            .into_iter()
            .map(|b| DutyBlock {
                heading: b.heading,
                steps: b.steps,
            })
            .collect(),
    }
}

fn split_paragraph(p: &str, list: bool, blocks: &mut Vec<BlockBuilder>) {
    let mut i = 0;
    while i < p.len() {
        if p[i..].starts_with(' ') {
            i += 1;
            continue;
        }
        let rest = &p[i..];
        let m = marker(rest);
        // A numbered paragraph that is nothing but a label (`（二）…的：`)
        // heads the list that follows it.
        let numbered_heading = m.as_ref().filter(|m| {
            let after = &rest[m.len..];
            heading_label(after).is_some_and(|len| after[len..].trim().is_empty())
        });
        if let Some(m) = numbered_heading {
            let label = clean(rest[m.len..].trim_end().trim_end_matches('：'));
            open_heading(blocks, label, rest);
            i = p.len();
        } else if let Some(m) = m {
            if blocks.is_empty() {
                blocks.push(BlockBuilder::default());
            }
            let block = blocks.last_mut().expect("pushed above");
            if let Some(n) = m.number {
                block.expect = n + 1;
            }
            let end = step_end(p, i + m.len, true, list, block.expect);
            push_step(block, &p[i..end], &p[i + m.len..end]);
            i = end;
        } else if let Some(len) = heading_label(rest) {
            let label = clean(rest[..len].trim_end_matches('：'));
            open_heading(blocks, label, &rest[..len]);
            i += len;
        } else {
            if blocks.is_empty() {
                blocks.push(BlockBuilder::default());
            }
            let block = blocks.last_mut().expect("pushed above");
            if block.expect == 0 {
                block.expect = 1;
            }
            let end = step_end(p, i, false, list, block.expect);
            push_step(block, &p[i..end], &p[i..end]);
            i = end;
        }
    }
}

/// Opens a block under `label` (written as `source` in the text), or — when
/// the open block has a heading and no steps yet — adds to its heading.
fn open_heading(blocks: &mut Vec<BlockBuilder>, label: String, source: &str) {
    match blocks.last_mut() {
        Some(b) if b.steps.is_empty() && b.heading.is_some() => {
            let heading = b.heading.as_mut().expect("checked");
            heading.push('：');
            heading.push_str(&label);
        }
        Some(b) if b.steps.is_empty() && b.text.is_empty() => b.heading = Some(label),
        _ => blocks.push(BlockBuilder {
            heading: Some(label),
            ..BlockBuilder::default()
        }),
    }
    let block = blocks.last_mut().expect("a block exists");
    push_clean(&mut block.text, source);
    block.expect = 1;
}

/// Adds a step to `block`: `source` (its numbering marker and `body`) to the
/// block's text, `body` cleaned to its steps.
fn push_step(block: &mut BlockBuilder, source: &str, body: &str) {
    let from = push_clean_from(&mut block.text, source, source.len() - body.len());
    let step = &block.text[from..];
    if !step.is_empty() {
        block.steps.push(step.to_owned());
    }
}

/// Where the step whose body starts at `from` ends: before the next marker
/// numbered `expect`, before a heading label after a full stop, or — in an
/// unnumbered list — after `；` or `。` and a line-wrap space.
fn step_end(p: &str, from: usize, numbered: bool, list: bool, expect: u32) -> usize {
    let b = p.as_bytes();
    let mut i = from;
    while i < b.len() {
        let next = i + utf8_len(b[i]);
        // Only a space or sentence punctuation ends a step; Han characters
        // (the most of the text) are stepped over without decoding them.
        if next < b.len() && matches!(b[i], b' ' | b';' | b',' | 0xE3 | 0xEF) {
            let prev = &p[i..next];
            if matches!(prev, " " | "；" | ";" | "。" | "：" | "，" | ",")
                && marker(&p[next..]).is_some_and(|m| m.number == Some(expect))
            {
                return next;
            }
            if prev == " " {
                let before = p[..i].chars().next_back();
                if before == Some('。') && heading_label(&p[next..]).is_some() {
                    return next;
                }
                if list && !numbered && matches!(before, Some('；' | ';' | '。')) {
                    return next;
                }
            }
        }
        i = next;
    }
    p.len()
}

/// Parses a handover cell into receivers (`部门：职责` pairs).
pub(crate) fn handover(paragraphs: &[Paragraph]) -> Handover {
    let mut text = String::new();
    let mut receivers = Vec::new();
    for p in paragraphs {
        if !text.is_empty() {
            text.push('\n');
        }
        push_clean(&mut text, &p.text);
        let starts = receiver_starts(&p.text);
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(p.text.len());
            let piece = &p.text[start..end];
            let colon = label_end(piece, 40).expect("a receiver starts with a label");
            receivers.push(Receiver {
                department: clean(piece[..colon].trim_end_matches('：')),
                duty: clean(&piece[colon..]),
            });
        }
    }
    let abolished =
        receivers.is_empty() && vocab::ABOLISH_PREFIXES.iter().any(|p| text.starts_with(p));
    Handover {
        text,
        abolished,
        receivers,
    }
}

/// Offsets where a `部门：` label starts a receiver: the paragraph's start
/// and every sentence end followed by one.
fn receiver_starts(p: &str) -> Vec<usize> {
    let is_label = |at: usize| label_end(&p[at..], 40).is_some_and(|end| end < p.len() - at);
    let mut starts: Vec<usize> = Vec::new();
    if is_label(0) {
        starts.push(0);
    }
    if starts.is_empty() {
        return starts;
    }
    for (i, c) in p.char_indices() {
        if matches!(c, '。' | '；') {
            let mut at = i + c.len_utf8();
            if p[at..].starts_with(' ') {
                at += 1;
            }
            if at < p.len() && is_label(at) {
                starts.push(at);
            }
        }
    }
    starts
}

/// The administrative units named in an edition's title.
pub(crate) fn region(title: &str) -> Region {
    let mut rest: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(ending) = vocab::EDITION_TITLE_ENDINGS
        .iter()
        .find(|e| rest.ends_with(*e))
    {
        rest.truncate(rest.len() - ending.len());
    }
    let mut region = Region::default();
    let mut rest = rest.as_str();
    if let Some(m) = vocab::MUNICIPALITIES.iter().find(|m| rest.starts_with(*m)) {
        region.province = Some((*m).to_owned());
        rest = &rest[m.len()..];
    } else if let Some(end) = vocab::PROVINCE_SUFFIXES
        .iter()
        .filter_map(|s| rest.find(s).map(|at| at + s.len()))
        .min()
    {
        region.province = Some(rest[..end].to_owned());
        rest = &rest[end..];
    }
    let mut units = units(rest);
    let ends_with = |unit: &str, suffixes: &[&str]| suffixes.iter().any(|s| unit.ends_with(s));
    if units
        .last()
        .is_some_and(|u| ends_with(u, vocab::TOWNSHIP_SUFFIXES))
    {
        region.township = units.pop();
    }
    if units
        .last()
        .is_some_and(|u| ends_with(u, vocab::COUNTY_SUFFIXES))
    {
        region.county = units.pop();
    }
    if units
        .last()
        .is_some_and(|u| ends_with(u, vocab::PREFECTURE_SUFFIXES))
    {
        region.prefecture = units.pop();
    }
    if !units.is_empty() && region.province.is_none() {
        region.province = Some(units.concat());
    }
    region
}

/// Splits a run of unit names at each unit suffix (a unit has at least two
/// characters, so `新市镇` stays whole).
fn units(s: &str) -> Vec<String> {
    let all: Vec<&str> = vocab::PREFECTURE_SUFFIXES
        .iter()
        .chain(vocab::COUNTY_SUFFIXES)
        .chain(vocab::TOWNSHIP_SUFFIXES)
        .copied()
        .collect();
    // The last characters of the suffixes: a unit can end only at one.
    let mut last_chars: Vec<char> = all.iter().filter_map(|s| s.chars().next_back()).collect();
    last_chars.sort_unstable();
    last_chars.dedup();
    let mut units = Vec::new();
    // The unit being read is `s[start..end]`, of `count` characters, counted
    // as they come: counting them again at every step made a long title
    // quadratic.
    let mut start = 0;
    let mut count = 0usize;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        count += 1;
        if last_chars.binary_search(&c).is_err() {
            continue;
        }
        let current = &s[start..i + c.len_utf8()];
        // Would `current` and the next character end in a longer suffix?
        // That is a suffix `s'` + next of two or more characters with
        // `current` ending in `s'`.
        let longer_suffix_follows = chars.peek().is_some_and(|&(_, n)| {
            all.iter().any(|s| {
                s.chars().count() > 1
                    && s.ends_with(n)
                    && current.ends_with(&s[..s.len() - n.len_utf8()])
            })
        });
        if count >= 2 && !longer_suffix_follows && all.iter().any(|s| current.ends_with(s)) {
            units.push(current.to_owned());
            start += current.len();
            count = 0;
        }
    }
    if start < s.len() {
        let rest = &s[start..];
        match units.last_mut() {
            Some(last) if count == 1 => last.push_str(rest),
            _ => units.push(rest.to_owned()),
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duty_of(cell: &str) -> Duty {
        duty(&markup(cell).paragraphs)
    }

    fn block(heading: Option<&str>, steps: &[&str]) -> DutyBlock {
        DutyBlock {
            heading: heading.map(str::to_owned),
            steps: steps.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn text_from_a_mark_is_that_text_cleaned_alone() {
        let pieces = [
            "1. 制定 方案； 2.开展 工作",
            "（一） 审核 ab cd。 \u{3000}甲",
            "  a  b 甲 乙  ",
            "x",
            "",
        ];
        for before in ["", "甲", "a", "乙\n"] {
            for piece in pieces {
                for mark in (0..=piece.len()).filter(|&m| piece.is_char_boundary(m)) {
                    let mut out = before.to_owned();
                    let from = push_clean_from(&mut out, piece, mark);
                    assert_eq!(
                        &out[from..],
                        clean(&piece[mark..]),
                        "{before:?} {piece:?} {mark}"
                    );
                    let mut whole = before.to_owned();
                    push_clean(&mut whole, piece);
                    assert_eq!(out, whole);
                }
            }
        }
    }

    #[test]
    fn line_wrap_spaces_inside_chinese_go_and_others_stay() {
        assert_eq!(
            clean("宣传培训 工作； 2. 带 动农户 and 个人"),
            "宣传培训工作；2. 带动农户 and 个人"
        );
        assert_eq!(clean("测土配方, 耕地质量"), "测土配方, 耕地质量");
    }

    #[test]
    fn numbered_list_loses_its_numbers_in_steps_only() {
        let d = duty_of(r#"<ol style="list-style-type: none"> 1. 甲； 2. 乙。 "#);
        assert_eq!(d.blocks, vec![block(None, &["甲；", "乙。"])]);
        assert_eq!(d.text, "1. 甲；2. 乙。");
    }

    #[test]
    fn unnumbered_list_splits_at_punctuation_and_a_wrap() {
        let d = duty_of(
            r#"<ol style="list-style-type: none"> 负责甲； 落实乙，发生；加强丙； 负责丁。 "#,
        );
        assert_eq!(
            d.blocks,
            vec![block(
                None,
                &["负责甲；", "落实乙，发生；加强丙；", "负责丁。"]
            )]
        );
    }

    #[test]
    fn headings_open_blocks_in_paragraphs_and_after_full_stops() {
        let d =
            duty_of("<p>甲局：</p> <ol> 1. 一； 2. 二。 <p>乙局：</p> <ol> 1. 评定：由乙局办理。");
        assert_eq!(
            d.blocks,
            vec![
                block(Some("甲局"), &["一；", "二。"]),
                block(Some("乙局"), &["评定：由乙局办理。"])
            ]
        );
        assert_eq!(d.text, "甲局：1. 一；2. 二。\n乙局：1. 评定：由乙局办理。");
        let d = duty_of("甲工作： 1. 一； 2. 二。 乙回收： 1. 三。");
        assert_eq!(
            d.blocks,
            vec![
                block(Some("甲工作"), &["一；", "二。"]),
                block(Some("乙回收"), &["三。"])
            ]
        );
    }

    #[test]
    fn two_labels_in_a_row_make_one_heading() {
        let d = duty_of("<p>职级晋升： 甲部、乙局： 1. 一； 2. 二。</p>");
        assert_eq!(
            d.blocks,
            vec![block(Some("职级晋升：甲部、乙局"), &["一；", "二。"])]
        );
    }

    #[test]
    fn numbering_continues_across_paragraphs_without_new_blocks() {
        let d = duty_of("<p>1.一；</p> <p>2.二。</p>");
        assert_eq!(d.blocks, vec![block(None, &["一；", "二。"])]);
        assert_eq!(d.text, "1.一；2.二。");
    }

    #[test]
    fn a_numbered_label_paragraph_heads_the_list_after_it() {
        let d = duty_of("<p>（一）甲的，缴税。</p> <p>（二）乙的：</p> <ol> 1. 一； 2. 二。");
        assert_eq!(
            d.blocks,
            vec![
                block(None, &["甲的，缴税。"]),
                block(Some("乙的"), &["一；", "二。"])
            ]
        );
        assert_eq!(d.text, "（一）甲的，缴税。\n（二）乙的：1. 一；2. 二。");
    }

    #[test]
    fn a_number_out_of_sequence_stays_inside_its_step() {
        let d = duty_of("1. 公示 3. 天； 2. 乙。");
        assert_eq!(d.blocks, vec![block(None, &["公示 3. 天；", "乙。"])]);
    }

    #[test]
    fn paragraphs_start_their_lines_without_a_space() {
        let h = handover(&markup("<p>甲局：负责一。</p> <p> 乙局：负责二。</p>").paragraphs);
        assert_eq!(h.text, "甲局：负责一。\n乙局：负责二。");
        let mut out = String::from("第一段\n");
        push_clean(&mut out, " 1. 第二段");
        assert_eq!(out, "第一段\n1. 第二段");
    }

    #[test]
    fn handover_splits_receivers_and_spots_abolition() {
        let h = handover(&markup("甲局：负责一。 乙局：负责二。").paragraphs);
        assert_eq!(h.text, "甲局：负责一。乙局：负责二。");
        assert!(!h.abolished);
        assert_eq!(h.receivers.len(), 2);
        assert_eq!(
            (
                h.receivers[1].department.as_str(),
                h.receivers[1].duty.as_str()
            ),
            ("乙局", "负责二。")
        );
        let h = handover(&markup("取消对甲的考核。").paragraphs);
        assert!(h.abolished);
        assert!(h.receivers.is_empty());
    }

    #[test]
    fn a_long_run_of_units_is_split_at_every_suffix() {
        let units = units(&"伊吾县盐池镇".repeat(10_000));
        assert_eq!(units.len(), 20_000);
        assert!(units.chunks(2).all(|pair| pair == ["伊吾县", "盐池镇"]));
        assert_eq!(super::units("自治州自治县"), ["自治州", "自治县"]);
    }

    #[test]
    fn region_reads_province_to_township() {
        let r = region("新疆维吾尔自治区哈密市 伊吾县盐池镇履职事项清单");
        assert_eq!(r.province.as_deref(), Some("新疆维吾尔自治区"));
        assert_eq!(r.prefecture.as_deref(), Some("哈密市"));
        assert_eq!(r.county.as_deref(), Some("伊吾县"));
        assert_eq!(r.township.as_deref(), Some("盐池镇"));
        let r = region("北京市朝阳区建外街道履职事项清单");
        assert_eq!(
            (r.province.as_deref(), r.prefecture.as_deref()),
            (Some("北京市"), None)
        );
        assert_eq!(
            (r.county.as_deref(), r.township.as_deref()),
            (Some("朝阳区"), Some("建外街道"))
        );
        let r = region("内蒙古自治区锡林郭勒盟正蓝旗上都苏木履职事项清单");
        assert_eq!(r.prefecture.as_deref(), Some("锡林郭勒盟"));
        assert_eq!(r.county.as_deref(), Some("正蓝旗"));
        assert_eq!(r.township.as_deref(), Some("上都苏木"));
        let r = region("四川省成都市新都区新市镇履职事项清单");
        assert_eq!(r.township.as_deref(), Some("新市镇"));
        assert_eq!(region("履职事项清单"), Region::default());
    }

    #[test]
    fn latin_words_are_found_between_chinese() {
        let words = latin_words("思想 and 习近平，审核DMCC系统 app");
        assert_eq!(words, vec![(7, "and")]);
    }
}
