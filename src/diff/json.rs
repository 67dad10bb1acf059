//! The diff as JSON for tools: `summary`, `sections`, `front_matter`.
//!
//! ```text
//! { "summary": { "added": 3, "removed": 1, "changed": 5, "renumbered": 40 },
//!   "sections": [ { "kind": "basic",
//!                   "added":      [ { "seq": 71, "name": "…" } ],
//!                   "removed":    [ { "seq": 8, "name": "…" } ],
//!                   "changed":    [ { "old_seq": 57, "new_seq": 58, "name": "…",
//!                                     "fields": [ { "field": "township_duties", "old": "…", "new": "…" } ] } ],
//!                   "renumbered": [ { "old_seq": 9, "new_seq": 10, "name": "…" } ] } ],
//!   "front_matter": [ { "field": "title", "old": "…", "new": "…" } ] }
//! ```
//!
//! Every section kind present in either edition has an entry, changed or
//! not. A field value is `null` where that side lacks the field.

use serde::Serialize;

use super::{EditionDiff, FieldChange, SectionDiff, Summary};

/// The document written: the diff with its summary first.
#[derive(Serialize)]
struct Report<'a> {
    summary: Summary,
    sections: &'a [SectionDiff],
    front_matter: &'a [FieldChange],
}

/// Renders `diff` as pretty JSON with a trailing newline.
pub fn render(diff: &EditionDiff) -> String {
    let report = Report {
        summary: diff.summary(),
        sections: &diff.sections,
        front_matter: &diff.front_matter,
    };
    let mut out = serde_json::to_string_pretty(&report).expect("a diff always serializes");
    out.push('\n');
    out
}
