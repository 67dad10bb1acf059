//! Comparing two editions: what changed in substance, item by item.
//!
//! [`compare`] takes two [`Edition`]s and returns an [`EditionDiff`]: the
//! front-matter fields that changed and, per section kind, the items added,
//! removed, changed (which fields, old and new value) and renumbered. The
//! output formats live in `text`, `markdown`, `json` and `html`; the character-level
//! marks they share in `inline`.
//!
//! # What counts as a change
//!
//! Records are compared without their provenance: `source`, item `source`
//! (lines and pages), section pages, contents page numbers, and the `blocks`
//! and `receivers` structure that is derived from a cell's text. Texts are
//! compared with all whitespace removed, so a re-export that wraps, spaces,
//! paginates, encodes or marks up the same words differently compares equal.
//! An item's number alone is not a change: an item whose number changed and
//! nothing else is *renumbered*; an item with a changed field is *changed*
//! (and carries both numbers). Every matched item is in at most one list.
//!
//! # Matching items
//!
//! Sections are paired by kind (the n-th section of a kind with the n-th of
//! the same kind), and items only within a pair; see `matcher` for the rules.
//!
//! # Fields
//!
//! Changed fields are named as in the JSON output of an edition: `category`,
//! `name`, `superior_departments` (value: the departments joined with `、`),
//! `superior_duties`, `township_duties` (value: the duty's `text`),
//! `handover` (value: its `text`), and `extra.<column title>` for columns
//! qingdan does not know. A field one side lacks has the value `None`. The
//! front-matter fields are `title`, `issuers` (joined with `、`) and
//! `contents` (one `number. title` line per entry, page numbers left out).

mod candidates;
pub mod html;
mod inline;
pub mod json;
pub mod markdown;
mod matcher;
mod read;
pub mod text;

use serde::Serialize;

use crate::model::{Edition, Item, Section, SectionKind};

pub(crate) use self::inline::{inline_diff, Segment};
use self::matcher::match_items;
pub use self::read::read_edition;

/// What changed from one edition to the next.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EditionDiff {
    /// Changed front-matter fields: `title`, `issuers`, `contents`.
    pub front_matter: Vec<FieldChange>,
    /// One entry per section kind present in either edition, in the order
    /// of the old edition, then sections only the new one has.
    pub sections: Vec<SectionDiff>,
}

impl EditionDiff {
    /// Counts over all sections.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for s in &self.sections {
            summary.added += s.added.len();
            summary.removed += s.removed.len();
            summary.changed += s.changed.len();
            summary.renumbered += s.renumbered.len();
        }
        summary
    }

    /// True when the editions say the same thing.
    pub fn is_empty(&self) -> bool {
        self.front_matter.is_empty() && self.sections.iter().all(SectionDiff::is_empty)
    }
}

/// Item counts of a diff.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Items only the new edition has.
    pub added: usize,
    /// Items only the old edition has.
    pub removed: usize,
    /// Matched items with at least one changed field.
    pub changed: usize,
    /// Matched items whose number alone changed.
    pub renumbered: usize,
}

/// What changed in one section kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionDiff {
    /// The kind of list.
    pub kind: SectionKind,
    /// The section's title in the new edition (the old one's if it was
    /// dropped); for people, not part of the JSON contract.
    #[serde(skip)]
    pub title: String,
    /// Items only the new edition has, by new number.
    pub added: Vec<ItemRef>,
    /// Items only the old edition has, by old number.
    pub removed: Vec<ItemRef>,
    /// Matched items with changed fields, by new number.
    pub changed: Vec<ChangedItem>,
    /// Matched items whose number alone changed, by old number.
    pub renumbered: Vec<Renumbering>,
}

impl SectionDiff {
    /// True when nothing changed in this section.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.renumbered.is_empty()
    }

    /// Counts of this section alone.
    pub fn summary(&self) -> Summary {
        Summary {
            added: self.added.len(),
            removed: self.removed.len(),
            changed: self.changed.len(),
            renumbered: self.renumbered.len(),
        }
    }
}

/// An item by number and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    /// Its number in its edition.
    pub seq: u32,
    /// Its name.
    pub name: String,
}

/// A matched item with changed fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedItem {
    /// Its number in the old edition.
    pub old_seq: u32,
    /// Its number in the new edition.
    pub new_seq: u32,
    /// Its name in the new edition.
    pub name: String,
    /// The changed fields, in column order.
    pub fields: Vec<FieldChange>,
}

/// A matched item whose number alone changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Renumbering {
    /// Its number in the old edition.
    pub old_seq: u32,
    /// Its number in the new edition.
    pub new_seq: u32,
    /// Its name.
    pub name: String,
}

/// One field whose substance differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field's name (see the module doc).
    pub field: String,
    /// The old value; `None` where the old record lacks the field.
    pub old: Option<String>,
    /// The new value; `None` where the new record lacks the field.
    pub new: Option<String>,
}

impl FieldChange {
    /// The change of `field` from `old` to `new`, if their substance differs.
    fn between(field: &str, old: Option<String>, new: Option<String>) -> Option<FieldChange> {
        let same = match (&old, &new) {
            (Some(a), Some(b)) => substance(a) == substance(b),
            (None, None) => true,
            _ => false,
        };
        (!same).then(|| FieldChange {
            field: field.to_owned(),
            old,
            new,
        })
    }
}

/// Compares two editions.
///
/// ```
/// use qingdan::{Options, SectionKind};
///
/// let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
/// let old = qingdan::convert("old.txt", bytes, &Options::new()).edition.unwrap();
/// let mut new = old.clone();
/// new.sections[0].items.remove(0);
/// let diff = qingdan::diff::compare(&old, &new);
/// let basic = diff.sections.iter().find(|s| s.kind == SectionKind::Basic).unwrap();
/// assert_eq!(basic.removed.len(), 1);
/// assert!(qingdan::diff::text::render(&diff, false).contains(&old.sections[0].items[0].name));
/// ```
pub fn compare(old: &Edition, new: &Edition) -> EditionDiff {
    EditionDiff {
        front_matter: front_matter(old, new),
        sections: pair_sections(&old.sections, &new.sections)
            .into_iter()
            .map(|(kind, o, n)| section(kind, o, n))
            .collect(),
    }
}

/// A run of consecutive renumberings with the same shift, e.g. old items
/// 9–20 that became 8–19.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RenumberedRun {
    /// The first old number.
    pub old_first: u32,
    /// The last old number.
    pub old_last: u32,
    /// The first new number.
    pub new_first: u32,
    /// The last new number.
    pub new_last: u32,
}

impl std::fmt::Display for RenumberedRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.old_first == self.old_last {
            write!(f, "{} → {}", self.old_first, self.new_first)
        } else {
            write!(
                f,
                "{}–{} → {}–{}",
                self.old_first, self.old_last, self.new_first, self.new_last
            )
        }
    }
}

/// `renumbered` (sorted by old number) as runs of consecutive numbers.
pub(crate) fn renumbered_runs(renumbered: &[Renumbering]) -> Vec<RenumberedRun> {
    let mut runs: Vec<RenumberedRun> = Vec::new();
    for r in renumbered {
        match runs.last_mut() {
            Some(run)
                if run.old_last.checked_add(1) == Some(r.old_seq)
                    && run.new_last.checked_add(1) == Some(r.new_seq) =>
            {
                run.old_last = r.old_seq;
                run.new_last = r.new_seq;
            }
            _ => runs.push(RenumberedRun {
                old_first: r.old_seq,
                old_last: r.old_seq,
                new_first: r.new_seq,
                new_last: r.new_seq,
            }),
        }
    }
    runs
}

/// The marks for a field change: character-level where both sides have a
/// value, long unchanged stretches shortened.
pub(crate) fn field_marks(change: &FieldChange) -> Vec<Segment> {
    match (&change.old, &change.new) {
        (Some(old), Some(new)) => inline::elide(&inline_diff(old, new)),
        (Some(old), None) => vec![Segment::Delete(old.clone())],
        (None, Some(new)) => vec![Segment::Insert(new.clone())],
        (None, None) => Vec::new(),
    }
}

/// What a text says, for comparing: its characters without whitespace.
pub(crate) fn substance(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Changed front-matter fields.
fn front_matter(old: &Edition, new: &Edition) -> Vec<FieldChange> {
    let contents = |e: &Edition| {
        e.contents
            .iter()
            .map(|c| format!("{}. {}", c.number, c.title))
            .collect::<Vec<_>>()
            .join("\n")
    };
    [
        FieldChange::between("title", Some(old.title.clone()), Some(new.title.clone())),
        FieldChange::between(
            "issuers",
            Some(old.issuers.join(crate::vocab::LIST_SEPARATOR)),
            Some(new.issuers.join(crate::vocab::LIST_SEPARATOR)),
        ),
        FieldChange::between("contents", Some(contents(old)), Some(contents(new))),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Sections paired by kind and occurrence: old order first, then sections
/// only the new edition has.
fn pair_sections<'a>(
    old: &'a [Section],
    new: &'a [Section],
) -> Vec<(SectionKind, Option<&'a Section>, Option<&'a Section>)> {
    let nth = |sections: &'a [Section], kind: SectionKind, n: usize| {
        sections.iter().filter(|s| s.kind == kind).nth(n)
    };
    let occurrence = |sections: &[Section], i: usize| {
        sections[..i]
            .iter()
            .filter(|s| s.kind == sections[i].kind)
            .count()
    };
    let mut pairs = Vec::new();
    for (i, o) in old.iter().enumerate() {
        pairs.push((o.kind, Some(o), nth(new, o.kind, occurrence(old, i))));
    }
    for (i, n) in new.iter().enumerate() {
        if nth(old, n.kind, occurrence(new, i)).is_none() {
            pairs.push((n.kind, None, Some(n)));
        }
    }
    pairs
}

/// The diff of one pair of sections (either may be missing).
fn section(kind: SectionKind, old: Option<&Section>, new: Option<&Section>) -> SectionDiff {
    let old_items = old.map_or(&[][..], |s| &s.items[..]);
    let new_items = new.map_or(&[][..], |s| &s.items[..]);
    let matching = match_items(old_items, new_items);
    let item_ref = |item: &Item| ItemRef {
        seq: item.seq,
        name: item.name.clone(),
    };
    let mut diff = SectionDiff {
        kind,
        title: new.or(old).map(|s| s.title.clone()).unwrap_or_default(),
        added: matching
            .added
            .iter()
            .map(|&i| item_ref(&new_items[i]))
            .collect(),
        removed: matching
            .removed
            .iter()
            .map(|&i| item_ref(&old_items[i]))
            .collect(),
        changed: Vec::new(),
        renumbered: Vec::new(),
    };
    for &(o, n) in &matching.pairs {
        let (o, n) = (&old_items[o], &new_items[n]);
        let fields = item_fields(o, n);
        if !fields.is_empty() {
            diff.changed.push(ChangedItem {
                old_seq: o.seq,
                new_seq: n.seq,
                name: n.name.clone(),
                fields,
            });
        } else if o.seq != n.seq {
            diff.renumbered.push(Renumbering {
                old_seq: o.seq,
                new_seq: n.seq,
                name: n.name.clone(),
            });
        }
    }
    diff.added.sort_by_key(|i| i.seq);
    diff.removed.sort_by_key(|i| i.seq);
    diff.changed.sort_by_key(|c| (c.new_seq, c.old_seq));
    diff.renumbered.sort_by_key(|r| (r.old_seq, r.new_seq));
    diff
}

/// The changed fields of a matched pair, in column order.
fn item_fields(old: &Item, new: &Item) -> Vec<FieldChange> {
    let departments = |i: &Item| {
        i.superior_departments
            .as_ref()
            .map(|d| d.join(crate::vocab::LIST_SEPARATOR))
    };
    let superior = |i: &Item| i.superior_duties.as_ref().map(|d| d.text.clone());
    let township = |i: &Item| i.township_duties.as_ref().map(|d| d.text.clone());
    let handover = |i: &Item| i.handover.as_ref().map(|h| h.text.clone());
    let mut fields: Vec<FieldChange> = [
        FieldChange::between("category", old.category.clone(), new.category.clone()),
        FieldChange::between("name", Some(old.name.clone()), Some(new.name.clone())),
        FieldChange::between("superior_departments", departments(old), departments(new)),
        FieldChange::between("superior_duties", superior(old), superior(new)),
        FieldChange::between("township_duties", township(old), township(new)),
        FieldChange::between("handover", handover(old), handover(new)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut columns: Vec<&String> = old.extra.keys().chain(new.extra.keys()).collect();
    columns.sort();
    columns.dedup();
    for column in columns {
        fields.extend(FieldChange::between(
            &format!("extra.{column}"),
            old.extra.get(column).cloned(),
            new.extra.get(column).cloned(),
        ));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_renumbered_items_reach_the_largest_number_without_overflow() {
        let moved = |old_seq, new_seq| Renumbering {
            old_seq,
            new_seq,
            name: String::new(),
        };
        let runs = renumbered_runs(&[moved(u32::MAX, 1), moved(u32::MAX, 2)]);
        assert_eq!(runs.len(), 2);
    }

    use crate::model::{Duty, ItemSource, SheetRows, Source, SourceFormat, TextLines};

    pub(crate) fn item(seq: u32, category: &str, name: &str) -> Item {
        Item {
            seq,
            category: Some(category.to_owned()),
            name: name.to_owned(),
            source: ItemSource::Text(TextLines {
                first_line: seq,
                last_line: seq,
                pages: vec![1],
            }),
            superior_departments: None,
            superior_duties: None,
            township_duties: None,
            handover: None,
            extra: Default::default(),
        }
    }

    fn edition(items: Vec<Item>) -> Edition {
        Edition {
            schema_version: crate::model::SCHEMA_VERSION.to_owned(),
            source: Source {
                path: "a.txt".to_owned(),
                format: SourceFormat::Text,
                encoding: Some("UTF-8".to_owned()),
                bytes: 1,
                sha256: String::new(),
            },
            title: "某镇履职事项清单".to_owned(),
            issuers: vec!["某县人民政府".to_owned()],
            region: Default::default(),
            contents: Vec::new(),
            sections: vec![Section {
                kind: SectionKind::Basic,
                title: "某镇基本履职事项清单".to_owned(),
                columns: vec!["序号".to_owned(), "事项名称".to_owned()],
                fields: vec![
                    Some(crate::model::Field::Seq),
                    Some(crate::model::Field::Name),
                ],
                first_page: Some(1),
                last_page: Some(1),
                items,
            }],
        }
    }

    #[test]
    fn provenance_and_whitespace_are_not_changes() {
        let old = edition(vec![item(1, "党的建设", "做好“双拥”工作")]);
        let mut new = edition(vec![item(1, "党的建设", "做好 “双拥” \n工作")]);
        new.source.sha256 = "other".to_owned();
        new.source.format = SourceFormat::Xlsx;
        new.source.encoding = None;
        new.sections[0].items[0].source = ItemSource::Sheet(SheetRows {
            sheet: "清单".to_owned(),
            row: 3,
            last_sheet: None,
            last_row: Some(4),
        });
        new.sections[0].first_page = None;
        assert!(compare(&old, &new).is_empty());
    }

    #[test]
    fn a_changed_duty_reports_its_text_and_carries_both_numbers() {
        let mut old_item = item(3, "民生服务", "收养登记");
        old_item.township_duties = Some(Duty {
            text: "做好宣传。".to_owned(),
            blocks: Vec::new(),
        });
        let mut new_item = old_item.clone();
        new_item.seq = 2;
        new_item.township_duties = Some(Duty {
            text: "做好政策宣传。".to_owned(),
            blocks: Vec::new(),
        });
        let diff = compare(
            &edition(vec![
                item(1, "民生服务", "甲"),
                item(2, "民生服务", "乙"),
                old_item,
            ]),
            &edition(vec![item(1, "民生服务", "甲"), new_item]),
        );
        let section = &diff.sections[0];
        assert_eq!(
            section.removed,
            vec![ItemRef {
                seq: 2,
                name: "乙".to_owned()
            }]
        );
        assert_eq!(
            section.changed,
            vec![ChangedItem {
                old_seq: 3,
                new_seq: 2,
                name: "收养登记".to_owned(),
                fields: vec![FieldChange {
                    field: "township_duties".to_owned(),
                    old: Some("做好宣传。".to_owned()),
                    new: Some("做好政策宣传。".to_owned()),
                }],
            }]
        );
        assert_eq!(section.renumbered, Vec::new());
        assert_eq!(
            diff.summary(),
            Summary {
                added: 0,
                removed: 1,
                changed: 1,
                renumbered: 0
            }
        );
    }

    #[test]
    fn front_matter_ignores_contents_page_numbers() {
        let mut old = edition(Vec::new());
        old.contents.push(crate::model::ContentsEntry {
            number: 1,
            title: "基本履职事项清单".to_owned(),
            page: 1,
        });
        let mut new = old.clone();
        new.contents[0].page = 5;
        assert!(compare(&old, &new).is_empty());
        new.title = "某镇履职事项清单（修订）".to_owned();
        assert_eq!(
            compare(&old, &new).front_matter,
            vec![FieldChange {
                field: "title".to_owned(),
                old: Some("某镇履职事项清单".to_owned()),
                new: Some("某镇履职事项清单（修订）".to_owned()),
            }]
        );
    }
}
