//! Duty cells split into blocks of steps.
//!
//! A block opens at a heading label (`伊吾县委组织部：`, a short label
//! ending in `：`) and holds the steps under it. Steps are cut at their
//! numbering markers (`1.`, `1、`, `（1）`, `（一）`), which stay in the
//! duty's text but not in its steps; an unnumbered list is cut after `；`
//! or `。` and a line-wrap space.

use super::text::{clean, push_clean, push_clean_from};
use crate::markup::{utf8_len, Paragraph};
use crate::model::{Duty, DutyBlock};
use crate::vocab;

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
            .filter(|c| vocab::STEP_NUMBER_ENDINGS.contains(c))?;
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
    let open = s
        .chars()
        .next()
        .filter(|c| vocab::STEP_NUMBER_BRACKETS.0.contains(c))?;
    let inner = &s[open.len_utf8()..];
    let body = inner
        .chars()
        .take_while(|c| c.is_ascii_digit() || vocab::STEP_NUMERALS.contains(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let close = inner[body..]
        .chars()
        .next()
        .filter(|c| vocab::STEP_NUMBER_BRACKETS.1.contains(c))?;
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
pub(super) fn label_end(s: &str, max: usize) -> Option<usize> {
    for (count, (i, c)) in s.char_indices().enumerate() {
        match c {
            vocab::LABEL_COLON => return (count >= 2).then_some(i + c.len_utf8()),
            _ if vocab::NOT_IN_LABEL.contains(&c) => return None,
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
            let label = clean(
                rest[m.len..]
                    .trim_end()
                    .trim_end_matches(vocab::LABEL_COLON),
            );
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
            let label = clean(rest[..len].trim_end_matches(vocab::LABEL_COLON));
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
            heading.push(vocab::LABEL_COLON);
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
            if vocab::BEFORE_STEP_NUMBER.contains(&prev)
                && marker(&p[next..]).is_some_and(|m| m.number == Some(expect))
            {
                return next;
            }
            if prev == " " {
                let before = p[..i].chars().next_back();
                if before == Some(vocab::FULL_STOP) && heading_label(&p[next..]).is_some() {
                    return next;
                }
                if list
                    && !numbered
                    && before.is_some_and(|c| vocab::UNNUMBERED_STEP_ENDINGS.contains(&c))
                {
                    return next;
                }
            }
        }
        i = next;
    }
    p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::markup;
    use crate::model::DutyBlock;

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
}
