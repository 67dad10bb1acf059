//! The diff as an HTML page for reviewers, in the browser.
//!
//! A summary table opens the page (one row per list, then the total); then
//! the front-matter changes; then, per list that changed, its removed,
//! added and changed items and its renumbered ones. A changed field is a
//! row of old | new side by side, the changed characters marked `<del>` on
//! the old side and `<ins>` on the new; an unchanged stretch longer than
//! the context kept beside each change is folded into `…` (hover shows
//! it; the Markdown and text reports shorten it the same way). A field is
//! named as people know it, by its column title (`乡镇配合职责`), with the
//! contract's name (`township_duties`) under it.
//!
//! When the two editions' pages are known ([`Pages`]: a `build --to html`
//! site, the diff page saved beside them), the page links to both, and
//! every item to its place on the old page, the new one, or both.

use maud::{html, Markup};

use super::{inline_diff, renumbered_runs, EditionDiff, FieldChange, Segment, Summary};
use crate::emit::html::{labels, page};

/// The two editions' pages, as links from the diff page: each a URL
/// relative to where the diff page is saved (`old.html`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pages {
    /// The old edition's page.
    pub old: String,
    /// The new edition's page.
    pub new: String,
}

/// Renders `diff` as a self-contained HTML page, linked to the editions'
/// `pages` when they are given.
///
/// ```
/// use qingdan::diff::html::{render, Pages};
///
/// let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
/// let old = qingdan::convert("old.txt", bytes, &qingdan::Options::new()).edition.unwrap();
/// let mut new = old.clone();
/// new.sections[0].items[0].name.push_str("<b>");
/// let diff = qingdan::diff::compare(&old, &new);
/// assert!(render(&diff, None).contains("<ins>&lt;b&gt;</ins>"));
/// let pages = Pages { old: "old.html".into(), new: "new.html".into() };
/// assert!(render(&diff, Some(&pages)).contains(r#"href="new.html#basic-1""#));
/// ```
pub fn render(diff: &EditionDiff, pages: Option<&Pages>) -> String {
    // `page#kind-seq`: an item's anchor on an edition's page.
    let at = |page: &str, kind: &str, seq: u32| format!("{page}#{kind}-{seq}");
    let body = html! {
        h1 { (labels::CHANGES) }
        @if let Some(pages) = pages {
            p.pages {
                (labels::EDITION_PAGES) "："
                a href=(pages.old) { (labels::FIELD_COLUMNS[1]) } " → "
                a href=(pages.new) { (labels::FIELD_COLUMNS[2]) }
            }
        }
        table #summary {
            thead { tr { @for column in labels::CHANGE_COLUMNS { th scope="col" { (column) } } } }
            tbody {
                @for section in &diff.sections {
                    tr {
                        th scope="row" {
                            @if section.is_empty() { (label(section.kind.as_str(), &section.title)) }
                            @else { a href={ "#" (section.kind.as_str()) } { (label(section.kind.as_str(), &section.title)) } }
                        }
                        (counts(section.summary()))
                    }
                }
            }
            tfoot { tr { th scope="row" { (labels::TOTAL) } (counts(diff.summary())) } }
        }
        @if diff.is_empty() {
            p { (labels::NO_CHANGES) }
        }
        @if !diff.front_matter.is_empty() {
            section #front-matter {
                h2 { (labels::FRONT_MATTER) }
                (fields(&diff.front_matter))
            }
        }
        @for section in diff.sections.iter().filter(|s| !s.is_empty()) {
            section id=(section.kind.as_str()) {
                h2 { (label(section.kind.as_str(), &section.title)) }
                @let kind = section.kind.as_str();
                @for (heading, items, page) in [
                    (labels::CHANGE_COLUMNS[2], &section.removed, pages.map(|p| &p.old)),
                    (labels::CHANGE_COLUMNS[1], &section.added, pages.map(|p| &p.new)),
                ] {
                    @if !items.is_empty() {
                        h3 { (heading) "（" (items.len()) "）" }
                        table {
                            thead { tr { @for c in labels::ITEM_COLUMNS { th scope="col" { (c) } } } }
                            tbody {
                                @for item in items {
                                    tr {
                                        th.n scope="row" { (item.seq) }
                                        td {
                                            @if let Some(page) = page { a href=(at(page, kind, item.seq)) { (item.name) } }
                                            @else { (item.name) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !section.changed.is_empty() {
                    h3 { (labels::CHANGE_COLUMNS[3]) "（" (section.changed.len()) "）" }
                    @for item in &section.changed {
                        h4 {
                            @if item.old_seq == item.new_seq { (item.new_seq) }
                            @else { (item.old_seq) " → " (item.new_seq) }
                            " " (item.name)
                        }
                        @if let Some(pages) = pages {
                            p.pages {
                                a href=(at(&pages.old, kind, item.old_seq)) { (labels::FIELD_COLUMNS[1]) }
                                " · "
                                a href=(at(&pages.new, kind, item.new_seq)) { (labels::FIELD_COLUMNS[2]) }
                            }
                        }
                        (fields(&item.fields))
                    }
                }
                @if !section.renumbered.is_empty() {
                    h3 { (labels::CHANGE_COLUMNS[4]) "（" (section.renumbered.len()) "）" }
                    p {
                        (renumbered_runs(&section.renumbered).iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
                    }
                    details {
                        summary { (labels::RENUMBER_COLUMNS[2]) }
                        table {
                            thead { tr { @for c in labels::RENUMBER_COLUMNS { th scope="col" { (c) } } } }
                            tbody {
                                @for r in &section.renumbered {
                                    tr {
                                        td.n { (r.old_seq) }
                                        td.n { (r.new_seq) }
                                        td {
                                            @if let Some(pages) = pages { a href=(at(&pages.new, kind, r.new_seq)) { (r.name) } }
                                            @else { (r.name) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(labels::CHANGES, body, None)
}

/// A list as its readers know it, by its title (`某镇基本履职事项清单`);
/// the kind (`basic`) where it has none.
fn label<'a>(kind: &'a str, title: &'a str) -> &'a str {
    if title.is_empty() {
        kind
    } else {
        title
    }
}

/// The four count cells of a summary row.
fn counts(s: Summary) -> Markup {
    html! {
        @for n in [s.added, s.removed, s.changed, s.renumbered] { td.n { (n) } }
    }
}

/// Changed fields as a table: field | old | new.
fn fields(changes: &[FieldChange]) -> Markup {
    html! {
        div.scroll {
            table.changes {
                thead { tr { @for c in labels::FIELD_COLUMNS { th scope="col" { (c) } } } }
                tbody {
                    @for change in changes {
                        @let (old, new) = sides(change);
                        tr {
                            th scope="row" { span { (labels::field(&change.field)) } " " code { (change.field) } }
                            td { (old) }
                            td { (new) }
                        }
                    }
                }
            }
        }
    }
}

/// The old and the new side of a change: what both share, folded where it
/// is long, and on each side what only it has, marked.
fn sides(change: &FieldChange) -> (Markup, Markup) {
    let segments = match (&change.old, &change.new) {
        (Some(old), Some(new)) => inline_diff(old, new),
        (Some(old), None) => vec![Segment::Delete(old.clone())],
        (None, Some(new)) => vec![Segment::Insert(new.clone())],
        (None, None) => Vec::new(),
    };
    let last = segments.len().saturating_sub(1);
    let side = |keep_deleted: bool| {
        html! {
            @for (i, segment) in segments.iter().enumerate() {
                @match segment {
                    Segment::Equal(text) => { (equal(text, i == 0, i == last)) },
                    Segment::Delete(text) => { @if keep_deleted { del { (text) } } },
                    Segment::Insert(text) => { @if !keep_deleted { ins { (text) } } },
                }
            }
        }
    };
    (side(true), side(false))
}

/// An unchanged stretch: whole when short, else the context next to the
/// changes around a folded `…` that shows the rest when hovered.
fn equal(text: &str, first: bool, last: bool) -> Markup {
    let context = super::inline::CONTEXT_CHARS;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let head = if first { 0 } else { context };
    let tail = if last { 0 } else { context };
    if chars.len() <= head + tail + 1 {
        return html! { (text) };
    }
    let cut = |n: usize| chars.get(n).map_or(text.len(), |&(at, _)| at);
    let (start, end) = (cut(head), cut(chars.len() - tail));
    html! {
        (&text[..start])
        span.fold title=(&text[start..end]) { "…" }
        (&text[end..])
    }
}
