//! The index of a built collection: every edition at a glance, and the
//! manifest of what `build` wrote.
//!
//! `build` writes it as `index.json` (for tools) and `index.md` (for people)
//! beside the outputs. It holds no time stamps and no absolute paths, so the
//! same inputs give the same bytes on any machine. Each entry lists the
//! outputs that belong to its edition: the files `build` wrote and so may
//! replace or, once the edition is gone, delete (`--prune`). A file the
//! index does not list is never deleted.

use std::fmt::Write;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::emit::markdown::table_cell as cell;
use crate::model::{strict, Edition, Region, SectionKind, SCHEMA_VERSION};
use crate::render::plural;

/// output/index.json as written by `qingdan build`: every edition of a
/// collection at a glance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "qingdan collection index",
    extend("$id" = "https://qingdan.invalid/schemas/index.schema.json")
)]
pub struct Index {
    /// The output contract's version.
    #[schemars(extend("const" = "3"))]
    pub schema_version: String,
    /// Totals over all editions.
    pub totals: Totals,
    /// One entry per edition, sorted by input path.
    pub editions: Vec<IndexEntry>,
    /// Outputs still on disk whose edition is gone (kept so that a later
    /// `build --prune` knows them), sorted; relative to the output folder.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "strict::non_empty_list"
    )]
    #[schemars(length(min = 1), extend("uniqueItems" = true), inner(regex(pattern = r"^(?!/)(?!.*(^|/)\.\.?(/|$)).+$")))]
    pub orphaned: Vec<String>,
}

/// Sums over the collection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    /// The input's path relative to the input directory, `/`-separated.
    #[schemars(length(min = 1))]
    pub input: String,
    /// SHA-256 of the input; empty when it could not be read.
    #[schemars(regex(pattern = r"^([0-9a-f]{64})?$"))]
    pub sha256: String,
    /// `ok`, or `failed` when the edition has errors or its outputs could
    /// not be written (its outputs are then left as they were).
    pub status: Status,
    /// Why a failed edition failed, when that was not its diagnostics (an
    /// output that could not be written, two inputs for one output).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "String", length(min = 1))]
    pub reason: Option<String>,
    /// The edition's title (converted editions only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "String", length(min = 1))]
    pub title: Option<String>,
    /// The region (converted editions only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "Region")]
    pub region: Option<Region>,
    /// Item count per section, in order.
    pub sections: Vec<SectionCount>,
    /// Warnings found.
    pub warnings: usize,
    /// Errors found.
    pub errors: usize,
    /// The outputs of this edition on disk, relative to the output folder,
    /// `/`-separated: those just written, or for a failed edition those
    /// left from before.
    #[serde(default)]
    #[schemars(required, extend("uniqueItems" = true), inner(regex(pattern = r"^(?!/)(?!.*(^|/)\.\.?(/|$)).+$")))]
    pub outputs: Vec<String>,
}

/// Whether an edition converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Converted; outputs written.
    Ok,
    /// Not converted; see its errors.
    Failed,
}

/// The size of one section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
            reason: None,
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
            outputs: Vec::new(),
        }
    }

    /// Marks the edition failed for `reason`: it keeps its input and
    /// digest, loses its records' summary, and counts one more error.
    pub fn fail(&mut self, reason: String) {
        self.status = Status::Failed;
        self.reason = Some(reason);
        self.title = None;
        self.region = None;
        self.sections.clear();
        self.errors += 1;
    }

    /// Items over all sections.
    pub fn items(&self) -> usize {
        self.sections.iter().map(|s| s.items).sum()
    }
}

impl Index {
    /// An index of `entries`, sorted by input path, and of outputs left
    /// by editions that are gone.
    ///
    /// ```
    /// use qingdan::index::{Index, IndexEntry};
    ///
    /// let failed = IndexEntry::new("b.txt".into(), String::new(), None, 0, 1);
    /// let index = Index::new(vec![failed], vec!["gone.json".into()]);
    /// assert_eq!((index.totals.editions, index.totals.failed), (1, 1));
    /// assert!(index.to_json().starts_with("{\n  \"schema_version\": \"3\""));
    /// ```
    pub fn new(mut entries: Vec<IndexEntry>, mut orphaned: Vec<String>) -> Index {
        entries.sort_by(|a, b| a.input.cmp(&b.input));
        orphaned.sort();
        orphaned.dedup();
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
            orphaned,
        }
    }

    /// What breaks the index contract in this index, as `check_value` would
    /// find it in its JSON (without writing and reading it back); empty for
    /// every index qingdan makes.
    ///
    /// ```
    /// use qingdan::index::Index;
    ///
    /// let index = Index::new(Vec::new(), vec!["../x.json".into()]);
    /// assert_eq!(index.check()[0].instance_path, "/orphaned/0");
    /// ```
    pub fn check(&self) -> Vec<crate::SchemaError> {
        crate::schema::check_index(self)
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
        let mut out = format!(
            "{}\n\n# Index of editions\n\n",
            crate::emit::markdown::SIGNATURE
        );
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
                cell(&match (&e.title, &e.reason) {
                    (Some(title), _) => title.clone(),
                    (None, Some(reason)) => format!("(failed: {reason})"),
                    (None, None) => "(failed)".to_owned(),
                }),
                count(SectionKind::Basic),
                count(SectionKind::Cooperative),
                count(SectionKind::Withdrawn),
                e.warnings,
                e.errors,
                &e.sha256[..e.sha256.len().min(12)],
            );
        }
        if !self.orphaned.is_empty() {
            let _ = writeln!(
                out,
                "\n{} left by editions that are gone (`qingdan build --prune` deletes them): {}",
                plural(self.orphaned.len(), "output"),
                self.orphaned
                    .iter()
                    .map(|o| format!("`{}`", o.replace('`', "")))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        out
    }
}
