//! Character-level change marks for one field, shared by the text and
//! Markdown reports.
//!
//! Chinese has no spaces between words, so a word diff would mark a whole
//! sentence; the diff here is by character (`similar`'s
//! [`TextDiff::from_chars`]). A character diff of a reworded sentence tends
//! to interleave: a deleted run, one equal character that happens to recur,
//! an inserted run. Such a lone equal character between two changes is
//! folded into both sides, so the reader sees one replacement instead of
//! confetti.

use similar::{ChangeTag, TextDiff};

/// One run of a field's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Text both values share.
    Equal(String),
    /// Text only the old value has.
    Delete(String),
    /// Text only the new value has.
    Insert(String),
}

/// A stretch of the diff before it is flattened into segments.
enum Run {
    Equal(String),
    Change { delete: String, insert: String },
}

/// Equal runs this long or shorter between two changes are folded into them.
const FOLD_CHARS: usize = 1;

/// The character-level segments that turn `old` into `new`; a deletion is
/// always given before the insertion that replaces it.
pub(crate) fn inline_diff(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_chars(old, new);
    let mut runs: Vec<Run> = Vec::new();
    for change in diff.iter_all_changes() {
        let value = change.value();
        match (change.tag(), runs.last_mut()) {
            (ChangeTag::Equal, Some(Run::Equal(text))) => text.push_str(value),
            (ChangeTag::Equal, _) => runs.push(Run::Equal(value.to_owned())),
            (ChangeTag::Delete, Some(Run::Change { delete, .. })) => delete.push_str(value),
            (ChangeTag::Insert, Some(Run::Change { insert, .. })) => insert.push_str(value),
            (ChangeTag::Delete, _) => runs.push(Run::Change {
                delete: value.to_owned(),
                insert: String::new(),
            }),
            (ChangeTag::Insert, _) => runs.push(Run::Change {
                delete: String::new(),
                insert: value.to_owned(),
            }),
        }
    }
    flatten(fold(runs))
}

/// Folds short equal runs between two changes into one change.
fn fold(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    let mut runs = runs.into_iter().peekable();
    while let Some(run) = runs.next() {
        match run {
            Run::Equal(text)
                if text.chars().count() <= FOLD_CHARS
                    && matches!(out.last(), Some(Run::Change { .. }))
                    && matches!(runs.peek(), Some(Run::Change { .. })) =>
            {
                let Some(Run::Change { delete, insert }) = out.last_mut() else {
                    unreachable!("checked above");
                };
                delete.push_str(&text);
                insert.push_str(&text);
                if let Some(Run::Change {
                    delete: d,
                    insert: i,
                }) = runs.next()
                {
                    delete.push_str(&d);
                    insert.push_str(&i);
                }
            }
            Run::Change { delete, insert } => match out.last_mut() {
                Some(Run::Change {
                    delete: d,
                    insert: i,
                }) => {
                    d.push_str(&delete);
                    i.push_str(&insert);
                }
                _ => out.push(Run::Change { delete, insert }),
            },
            equal => out.push(equal),
        }
    }
    out
}

/// Runs as segments, dropping empty sides.
fn flatten(runs: Vec<Run>) -> Vec<Segment> {
    let mut out = Vec::with_capacity(runs.len() * 2);
    for run in runs {
        match run {
            Run::Equal(text) => out.push(Segment::Equal(text)),
            Run::Change { delete, insert } => {
                if !delete.is_empty() {
                    out.push(Segment::Delete(delete));
                }
                if !insert.is_empty() {
                    out.push(Segment::Insert(insert));
                }
            }
        }
    }
    out
}

/// Characters of unchanged text kept on each side of a change when a long
/// unchanged stretch is shortened.
pub(crate) const CONTEXT_CHARS: usize = 12;

/// `segments` with every long unchanged stretch shortened to
/// [`CONTEXT_CHARS`] characters next to each change and `…` for the rest.
pub(crate) fn elide(segments: &[Segment]) -> Vec<Segment> {
    let last = segments.len().saturating_sub(1);
    segments
        .iter()
        .enumerate()
        .map(|(i, segment)| match segment {
            Segment::Equal(text) => {
                let chars: Vec<char> = text.chars().collect();
                let head = if i == 0 { 0 } else { CONTEXT_CHARS };
                let tail = if i == last { 0 } else { CONTEXT_CHARS };
                if chars.len() <= head + tail + 1 {
                    return segment.clone();
                }
                let mut short: String = chars[..head].iter().collect();
                short.push('…');
                short.extend(&chars[chars.len() - tail..]);
                Segment::Equal(short)
            }
            other => other.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(s: &str) -> Segment {
        Segment::Equal(s.to_owned())
    }
    fn del(s: &str) -> Segment {
        Segment::Delete(s.to_owned())
    }
    fn ins(s: &str) -> Segment {
        Segment::Insert(s.to_owned())
    }

    #[test]
    fn inserted_chinese_characters_are_marked_one_by_one_not_as_a_word() {
        assert_eq!(
            inline_diff("推进新时代志愿服务工作", "推进新时代文明实践志愿服务工作"),
            vec![eq("推进新时代"), ins("文明实践"), eq("志愿服务工作")]
        );
    }

    #[test]
    fn replaced_characters_give_deletion_before_insertion() {
        assert_eq!(
            inline_diff("开展高龄津贴政策宣传；", "开展高龄补贴政策宣讲；"),
            vec![
                eq("开展高龄"),
                del("津"),
                ins("补"),
                eq("贴政策宣"),
                del("传"),
                ins("讲"),
                eq("；")
            ]
        );
    }

    #[test]
    fn a_lone_equal_character_between_changes_is_folded_in() {
        assert_eq!(
            inline_diff("甲乙丙", "丁乙戊"),
            vec![del("甲乙丙"), ins("丁乙戊")]
        );
    }

    #[test]
    fn identical_text_is_one_equal_segment() {
        assert_eq!(
            inline_diff("做好“双拥”工作", "做好“双拥”工作"),
            vec![eq("做好“双拥”工作")]
        );
    }

    #[test]
    fn long_unchanged_stretches_keep_context_next_to_changes() {
        let old = format!("{}甲{}", "一".repeat(30), "二".repeat(30));
        let new = format!("{}乙{}", "一".repeat(30), "二".repeat(30));
        assert_eq!(
            elide(&inline_diff(&old, &new)),
            vec![
                eq(&format!("…{}", "一".repeat(12))),
                del("甲"),
                ins("乙"),
                eq(&format!("{}…", "二".repeat(12))),
            ]
        );
    }
}
