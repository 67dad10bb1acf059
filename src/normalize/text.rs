//! The text of a cell, read once and cleaned.
//!
//! [`read_cell`] tokenizes a joined cell's markup into paragraphs (tags go,
//! entities are decoded, markers removed) and reports what it cannot keep:
//! unknown entities, Latin words standing inside Chinese text.
//! [`check_cut_off`] warns when a text ends as if cut off.
//!
//! The whitespace rule ([`clean`], [`push_clean`]): whitespace between two
//! Chinese characters or next to Chinese punctuation is layout (a line wrap)
//! and goes; other whitespace becomes one space. Wording is never changed.

use crate::assemble::JoinedCell;
use crate::diagnostic::{Code, Diagnostic, Facts};
use crate::lines::SourceLines;
use crate::markup::{markup, next_whitespace, Markup, Paragraph, Refused};
use crate::vocab;
use crate::vocabulary::words;

/// A cell as one clean string, paragraphs on lines of their own.
pub(super) fn plain(
    cell: &JoinedCell<'_>,
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    joined(&read_cell(cell, lines, diagnostics).paragraphs)
}

/// Paragraphs as one clean string, each on a line of its own.
pub(super) fn joined(paragraphs: &[Paragraph]) -> String {
    let mut out = String::new();
    for p in paragraphs {
        if !out.is_empty() {
            out.push('\n');
        }
        push_clean(&mut out, &p.text);
    }
    out
}

/// The cell's paragraphs, with Latin words inside Chinese text and unknown
/// entities reported.
pub(super) fn read_cell(
    cell: &JoinedCell<'_>,
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Markup {
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
    for (at, word) in words {
        diagnostics.push(
            Diagnostic::new(
                Code::LatinWord,
                cell.position_at(lines, at, word.chars().count() as u32),
                format!("expected Chinese text, found the Latin word `{word}`"),
            )
            .with_label("Latin word")
            .with_facts(Facts::Text {
                found: (*word).to_owned(),
            })
            .with_help(if word == "and" {
                "did the export turn `和` into `and`?"
            } else {
                "check whether this word belongs here"
            }),
        );
    }
    for entity in &markup.unknown_entities {
        let position = cell.position_at(lines, entity.offset, entity.text.chars().count() as u32);
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

/// Warns when text (the cleaned `paragraphs` of `cell`) ends as if cut off.
pub(super) fn check_cut_off(
    text: &str,
    paragraphs: &[Paragraph],
    cell: &JoinedCell<'_>,
    what: &str,
    lines: &SourceLines<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let (Some(last), Some(paragraph)) = (text.chars().next_back(), paragraphs.last()) else {
        return;
    };
    let cut_off = &words().cut_off;
    let mut buffer = [0; 4];
    let ending: &str = last.encode_utf8(&mut buffer);
    if !cut_off.endings.iter().any(|e| e == ending)
        || cut_off
            .whole_words
            .iter()
            .any(|w| text.ends_with(w.as_str()))
    {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::CutOff,
            cell.position_at(lines, paragraph.last_source(), 1),
            format!("expected the {what} to end a sentence, found it ending in `{last}`"),
        )
        .with_label("text ends here")
        .with_facts(Facts::Text {
            found: last.to_string(),
        })
        .with_help("check the printed edition for the rest of the text"),
    );
}

/// Appends `piece` to `out` as if a space stood between them, applying the
/// whitespace rule to that space and to the spaces inside `piece`.
pub(crate) fn push_clean(out: &mut String, piece: &str) {
    push_clean_from(out, piece, piece.len());
}

/// [`push_clean`], returning where in `out` the text from byte `mark` of
/// `piece` on begins: `out[returned..]` is `clean(&piece[mark..])`, so a step
/// is cut from its block's text instead of being cleaned a second time.
pub(super) fn push_clean_from(out: &mut String, piece: &str, mark: usize) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn latin_words_are_found_between_chinese() {
        let words = latin_words("思想 and 习近平，审核DMCC系统 app");
        assert_eq!(words, vec![(7, "and")]);
    }
}
