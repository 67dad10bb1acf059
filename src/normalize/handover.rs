//! Handover cells split into receivers.
//!
//! A receiver is a `部门：职责` pair: a department label ending in `：` at the
//! start of a paragraph or after a sentence end, and the duty after it. A
//! cell with no receivers that starts like `取消…` is an abolished duty.

use super::duty::label_end;
use super::text::{clean, push_clean};
use crate::markup::Paragraph;
use crate::model::{Handover, Receiver};
use crate::vocab;
use crate::vocabulary::words;

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
                department: clean(piece[..colon].trim_end_matches(vocab::LABEL_COLON)),
                duty: clean(&piece[colon..]),
            });
        }
    }
    let abolished = receivers.is_empty()
        && words()
            .handover
            .abolish
            .iter()
            .any(|p| text.starts_with(p.as_str()));
    Handover {
        text,
        abolished,
        receivers,
    }
}

/// A handover printed as two columns (`承接部门` | `工作方式`): each
/// department of the first takes over the duty the second describes. With
/// the department column empty, the method column is read as a handover
/// cell of its own (`部门：职责` labels, `取消…`).
pub(crate) fn handover_in_two_columns(departments: &str, method: &[Paragraph]) -> Handover {
    let method = handover(method);
    if departments.is_empty() {
        return method;
    }
    let names = super::departments(departments);
    let text = if method.text.is_empty() {
        departments.to_owned()
    } else {
        format!("{departments}{}{}", vocab::LABEL_COLON, method.text)
    };
    let receivers: Vec<Receiver> = names
        .into_iter()
        .map(|department| Receiver {
            department,
            duty: method.text.clone(),
        })
        .collect();
    Handover {
        text,
        abolished: receivers.is_empty() && method.abolished,
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
        if vocab::RECEIVER_SENTENCE_ENDS.contains(&c) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::markup;

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
}
