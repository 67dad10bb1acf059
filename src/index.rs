//! The index of a built collection: every edition at a glance.
//!
//! `build` writes it as `index.json` (for tools) and `index.md` (for people)
//! beside the outputs. It holds no time stamps and no absolute paths, so the
//! same inputs give the same bytes on any machine.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::emit::markdown::table_cell as cell;
use crate::model::{Edition, Region, SectionKind, SCHEMA_VERSION};

/// The whole index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// The output contract's version.
    pub schema_version: String,
    /// Totals over all editions.
    pub totals: Totals,
    /// One entry per edition, sorted by input path.
    pub editions: Vec<IndexEntry>,
}

/// Sums over the collection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Editions found.
    pub editions: usize,
    /// Editions that failed to convert.
    pub failed: usize,
    /// Items in all converted editions.
    pub items: usize,
    /// Warnings in all editions.
    pub warnings: usize,
}

/// One edition in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    /// The input's path relative to the input directory, `/`-separated.
    pub input: String,
    /// SHA-256 of the input bytes.
    pub sha256: String,
    /// `ok`, or `failed` when the edition has errors (its outputs are then
    /// left as they were).
    pub status: Status,
    /// The edition's title (converted editions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The region (converted editions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Item count per section, in order.
    pub sections: Vec<SectionCount>,
    /// Warnings found.
    pub warnings: usize,
    /// Errors found.
    pub errors: usize,
}

/// Whether an edition converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Converted; outputs written.
    Ok,
    /// Not converted; see its errors.
    Failed,
}

/// The size of one section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionCount {
    /// The section's kind.
    pub kind: SectionKind,
    /// Its number of items.
    pub items: usize,
}

impl IndexEntry {
    /// The entry for an edition at `input` whose bytes hash to `sha256`;
    /// `edition` is `None` when it failed.
    pub fn new(
        input: String,
        sha256: String,
        edition: Option<&Edition>,
        warnings: usize,
        errors: usize,
    ) -> IndexEntry {
        IndexEntry {
            input,
            sha256,
            status: if edition.is_some() {
                Status::Ok
            } else {
                Status::Failed
            },
            title: edition.map(|e| e.title.clone()),
            region: edition.map(|e| e.region.clone()),
            sections: edition
                .map(|e| {
                    e.sections
                        .iter()
                        .map(|s| SectionCount {
                            kind: s.kind,
                            items: s.items.len(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            warnings,
            errors,
        }
    }

    /// Items over all sections.
    pub fn items(&self) -> usize {
        self.sections.iter().map(|s| s.items).sum()
    }
}

impl Index {
    /// An index of `entries`, sorted by input path.
    pub fn new(mut entries: Vec<IndexEntry>) -> Index {
        entries.sort_by(|a, b| a.input.cmp(&b.input));
        let totals = Totals {
            editions: entries.len(),
            failed: entries
                .iter()
                .filter(|e| e.status == Status::Failed)
                .count(),
            items: entries.iter().map(IndexEntry::items).sum(),
            warnings: entries.iter().map(|e| e.warnings).sum(),
        };
        Index {
            schema_version: SCHEMA_VERSION.to_owned(),
            totals,
            editions: entries,
        }
    }

    /// `index.json`: pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("the index serializes");
        out.push('\n');
        out
    }

    /// `index.md`: one table row per edition.
    pub fn to_markdown(&self) -> String {
        let t = &self.totals;
        let mut out = String::from("# Index of editions\n\n");
        let _ = writeln!(
            out,
            "{} ({} failed), {} items, {} warnings.\n",
            plural(t.editions, "edition"),
            t.failed,
            t.items,
            t.warnings
        );
        out.push_str("| Edition | Region | Title | Basic | Cooperative | Withdrawn | Warnings | Errors | SHA-256 |\n");
        out.push_str("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for e in &self.editions {
            let count = |kind: SectionKind| -> String {
                let n: usize = e
                    .sections
                    .iter()
                    .filter(|s| s.kind == kind)
                    .map(|s| s.items)
                    .sum();
                if e.status == Status::Failed {
                    "–".into()
                } else {
                    n.to_string()
                }
            };
            let region = e
                .region
                .as_ref()
                .map(|r| {
                    [&r.province, &r.prefecture, &r.county, &r.township]
                        .into_iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | `{}` |",
                cell(&e.input),
                cell(&region),
                cell(e.title.as_deref().unwrap_or("(failed)")),
                count(SectionKind::Basic),
                count(SectionKind::Cooperative),
                count(SectionKind::Withdrawn),
                e.warnings,
                e.errors,
                &e.sha256[..e.sha256.len().min(12)],
            );
        }
        out
    }
}

/// `1 edition`, `2 editions`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
