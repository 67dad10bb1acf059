//! The output records: the contract every emitter writes and every reader
//! (the schema, `diff`, other tools) relies on.
//!
//! Field names here are the names in the JSON and YAML outputs; change one and
//! you change the contract. `schemas/qingdan.schema.json` describes the same
//! shape for tools in other languages.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Location};

/// The version of the output contract written into every output.
pub const SCHEMA_VERSION: &str = "3";

/// One converted duty list (履职事项清单) as qingdan writes it to JSON and
/// YAML. Lines start at 1 and refer to the input file; pages count from 1 at
/// the first list page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "qingdan edition",
    extend("$id" = "https://qingdan.invalid/schemas/qingdan.schema.json")
)]
#[non_exhaustive]
pub struct Edition {
    /// The version of this contract: always [`SCHEMA_VERSION`].
    #[schemars(extend("const" = "3"))]
    pub schema_version: String,
    /// Where the edition came from.
    pub source: Source,
    /// The title line, cleaned; empty when the file starts straight with a
    /// list page.
    pub title: String,
    /// The issuing bodies from the line under the title.
    #[schemars(inner(length(min = 1)))]
    pub issuers: Vec<String>,
    /// The administrative units named in the title.
    pub region: Region,
    /// The contents page's entries.
    pub contents: Vec<ContentsEntry>,
    /// The lists, in the order they appear; at least one.
    #[schemars(length(min = 1))]
    pub sections: Vec<Section>,
}

/// Provenance of the input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Source {
    /// The path as given (relative where it was relative).
    #[schemars(length(min = 1))]
    pub path: String,
    /// What the file is: exported text, a Word document or a workbook.
    pub format: SourceFormat,
    /// For text only: `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GB18030`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(
        with = "String",
        extend("enum" = ["UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"])
    )]
    pub encoding: Option<String>,
    /// Size of the input in bytes.
    pub bytes: u64,
    /// SHA-256 of the input bytes, lowercase hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
}

/// The kind of file an edition was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SourceFormat {
    /// Exported text: tab-separated rows, page headers, markers.
    Text,
    /// A Word document (`.docx`): paragraphs and tables.
    Docx,
    /// An Excel workbook (`.xlsx`): sheets of cells.
    Xlsx,
}

impl SourceFormat {
    /// The name as written in `source.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Docx => "docx",
            SourceFormat::Xlsx => "xlsx",
        }
    }
}

/// Administrative units from the title, read against the statistical
/// division codes: each unit at its real level, as the title spells it,
/// and the units the title leaves out above its own filled from the codes;
/// `None` where there is none (the codes' pseudo-levels, such as `市辖区`,
/// are none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// 省, 自治区 or municipality.
    #[serde(deserialize_with = "strict::nullable")]
    #[schemars(required, length(min = 1), extend("type" = ["string", "null"]))]
    pub province: Option<String>,
    /// 市, 州, 地区 or 盟.
    #[serde(deserialize_with = "strict::nullable")]
    #[schemars(required, length(min = 1), extend("type" = ["string", "null"]))]
    pub prefecture: Option<String>,
    /// 县, 区, county-level 市 or 旗.
    #[serde(deserialize_with = "strict::nullable")]
    #[schemars(required, length(min = 1), extend("type" = ["string", "null"]))]
    pub county: Option<String>,
    /// 镇, 乡, 街道 or 苏木.
    #[serde(deserialize_with = "strict::nullable")]
    #[schemars(required, length(min = 1), extend("type" = ["string", "null"]))]
    pub township: Option<String>,
    /// The statistical division code (统计用区划代码, 2023) of the most
    /// specific unit: 9 digits for a township, 6 for a county, 4 for a
    /// prefecture, 2 for a province; `None` when a unit of the title is not
    /// in the codes, or the title fits two places of them.
    #[serde(deserialize_with = "strict::nullable")]
    #[schemars(
        required,
        regex(pattern = r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})$"),
        extend("type" = ["string", "null"])
    )]
    pub code: Option<String>,
}

/// One line of the contents page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentsEntry {
    /// The entry's number (`1.` → 1).
    #[schemars(range(max = u32::MAX))]
    pub number: u32,
    /// The entry's title without dotted leaders.
    #[schemars(length(min = 1))]
    pub title: String,
    /// The page the entry points to.
    #[schemars(range(max = u32::MAX))]
    pub page: u32,
}

/// What kind of list a section is, from its title.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SectionKind {
    /// 基本履职事项清单: duties the township performs itself.
    Basic,
    /// 配合履职事项清单: duties it assists a county department with.
    Cooperative,
    /// 上级部门收回事项清单: duties taken back by county departments.
    Withdrawn,
    /// Any other list.
    Other,
}

impl SectionKind {
    /// The name used in outputs and diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Basic => "basic",
            SectionKind::Cooperative => "cooperative",
            SectionKind::Withdrawn => "withdrawn",
            SectionKind::Other => "other",
        }
    }
}

/// One list: a run of pages under the same title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Section {
    /// The list's kind.
    pub kind: SectionKind,
    /// The page title, as printed.
    #[schemars(length(min = 1))]
    pub title: String,
    /// The column headers as printed; the first is the item number's. A
    /// blank header cell is kept as an empty string (and warned about as an
    /// unknown column).
    #[schemars(length(min = 1))]
    pub columns: Vec<String>,
    /// What each column was read as, one per column of `columns`: the field
    /// it fills, or `null` for a column the vocabulary does not know (its
    /// cells are kept under each item's `extra`).
    #[schemars(length(min = 1))]
    pub fields: Vec<Option<Field>>,
    /// First page of the section (pages count from 1 at the first list
    /// page); for text only, as Word documents and workbooks have no pages
    /// qingdan can see.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "u32", range(min = 1, max = u32::MAX))]
    pub first_page: Option<u32>,
    /// Last page of the section; for text only.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "u32", range(min = 1, max = u32::MAX))]
    pub last_page: Option<u32>,
    /// The items, in source order.
    pub items: Vec<Item>,
}

/// What a column holds, decided by its title through the vocabulary.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// 序号: the item number.
    Seq,
    /// 事项类别: the item's category.
    Category,
    /// 事项名称: the item's name.
    Name,
    /// 对应上级部门: the county departments concerned.
    SuperiorDepartments,
    /// 上级部门职责: what the county department does.
    SuperiorDuties,
    /// 乡镇配合职责: what the township does.
    TownshipDuties,
    /// 承接部门及工作方式: who takes a withdrawn duty over, and how.
    Handover,
    /// 承接部门: the departments of a handover printed in two columns.
    HandoverDepartment,
    /// 工作方式: what they do, the other column of such a handover.
    HandoverMethod,
}

impl Field {
    /// Every field, in the order a vocabulary lists them.
    pub const ALL: [Field; 9] = [
        Field::Seq,
        Field::Category,
        Field::Name,
        Field::SuperiorDepartments,
        Field::SuperiorDuties,
        Field::TownshipDuties,
        Field::Handover,
        Field::HandoverDepartment,
        Field::HandoverMethod,
    ];

    /// The name used in outputs and vocabulary files.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::Category => "category",
            Field::Name => "name",
            Field::SuperiorDepartments => "superior_departments",
            Field::SuperiorDuties => "superior_duties",
            Field::TownshipDuties => "township_duties",
            Field::Handover => "handover",
            Field::HandoverDepartment => "handover_department",
            Field::HandoverMethod => "handover_method",
        }
    }
}

/// One duty item, joined across page breaks and cleaned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Item {
    /// The item number (序号).
    #[schemars(range(max = u32::MAX))]
    pub seq: u32,
    /// 事项类别, where the list has that column.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "String")]
    pub category: Option<String>,
    /// 事项名称.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Where the item stands in the input.
    pub source: ItemSource,
    /// 对应上级部门, split on `、`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "Vec<String>", inner(length(min = 1)))]
    pub superior_departments: Option<Vec<String>>,
    /// 上级部门职责.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "Duty")]
    pub superior_duties: Option<Duty>,
    /// 乡镇配合职责.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "Duty")]
    pub township_duties: Option<Duty>,
    /// 承接部门及工作方式.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "Handover")]
    pub handover: Option<Handover>,
    /// Cells of columns qingdan does not know, by header text; omitted when
    /// there are none.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "strict::non_empty_map"
    )]
    #[schemars(extend("minProperties" = 1))]
    pub extra: BTreeMap<String, String>,
}

/// Where an item stands in the input, in the file's own terms: lines and
/// pages of a text, rows of a Word table, rows of a sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ItemSource {
    /// In exported text.
    Text(TextLines),
    /// In a Word document.
    Table(TableRows),
    /// In a workbook.
    Sheet(SheetRows),
}

/// An item source as read: every key of the three shapes, so that an
/// unknown key is reported at itself; which shape it is follows from the
/// keys present (`first_line`, `table` or `sheet`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceKeys {
    #[serde(default, deserialize_with = "strict::present")]
    first_line: Option<u32>,
    #[serde(default, deserialize_with = "strict::present")]
    last_line: Option<u32>,
    #[serde(default, deserialize_with = "strict::present")]
    pages: Option<Vec<u32>>,
    #[serde(default, deserialize_with = "strict::present")]
    table: Option<u32>,
    #[serde(default, deserialize_with = "strict::present")]
    sheet: Option<String>,
    #[serde(default, deserialize_with = "strict::present")]
    row: Option<u32>,
    #[serde(default, deserialize_with = "strict::present")]
    last_table: Option<u32>,
    #[serde(default, deserialize_with = "strict::present")]
    last_sheet: Option<String>,
    #[serde(default, deserialize_with = "strict::present")]
    last_row: Option<u32>,
}

impl<'de> Deserialize<'de> for ItemSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ItemSource, D::Error> {
        let keys = SourceKeys::deserialize(deserializer)?;
        ItemSource::try_from(keys).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<SourceKeys> for ItemSource {
    type Error = String;

    fn try_from(keys: SourceKeys) -> Result<ItemSource, String> {
        let rows_only = "expected `first_line`, `last_line` and `pages` (a text), `table` and `row` (a Word document) or `sheet` and `row` (a workbook)";
        match keys {
            SourceKeys {
                first_line: Some(first_line),
                last_line: Some(last_line),
                pages: Some(pages),
                table: None,
                sheet: None,
                row: None,
                last_table: None,
                last_sheet: None,
                last_row: None,
            } => Ok(ItemSource::Text(TextLines {
                first_line,
                last_line,
                pages,
            })),
            SourceKeys {
                first_line: None,
                last_line: None,
                pages: None,
                table: Some(table),
                sheet: None,
                row: Some(row),
                last_table,
                last_sheet: None,
                last_row,
            } => Ok(ItemSource::Table(TableRows {
                table,
                row,
                last_table,
                last_row,
            })),
            SourceKeys {
                first_line: None,
                last_line: None,
                pages: None,
                table: None,
                sheet: Some(sheet),
                row: Some(row),
                last_table: None,
                last_sheet,
                last_row,
            } => Ok(ItemSource::Sheet(SheetRows {
                sheet,
                row,
                last_sheet,
                last_row,
            })),
            _ => Err(format!("{rows_only}, found another set of keys")),
        }
    }
}

impl ItemSource {
    /// The first and last line, for an item of a text.
    pub(crate) fn lines(&self) -> Option<(u32, u32)> {
        match self {
            ItemSource::Text(s) => Some((s.first_line, s.last_line)),
            ItemSource::Table(_) | ItemSource::Sheet(_) => None,
        }
    }

    /// Is `diagnostic` about this item: on one of its lines, or in one of
    /// its rows?
    pub(crate) fn holds(&self, diagnostic: &Diagnostic) -> bool {
        let rows = |row: u32, last_row: Option<u32>, at: u32| {
            (row..=last_row.unwrap_or(row)).contains(&at)
        };
        match (self, diagnostic.place.as_ref().map(|p| &p.location)) {
            (ItemSource::Text(s), None) => {
                (s.first_line..=s.last_line).contains(&diagnostic.position.line)
            }
            (ItemSource::Table(s), Some(Location::Table { table, row, .. })) => {
                s.table == *table && rows(s.row, s.last_row, *row)
            }
            (ItemSource::Sheet(s), Some(Location::Sheet { sheet, row, .. })) => {
                s.sheet == *sheet && rows(s.row, s.last_row, *row)
            }
            _ => false,
        }
    }
}

/// An item's lines in a text: 1-based lines of the input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextLines {
    /// Line of the item's first row.
    #[schemars(range(min = 1, max = u32::MAX))]
    pub first_line: u32,
    /// Last line of the item's last row (its continuation part, if split).
    #[schemars(range(min = 1, max = u32::MAX))]
    pub last_line: u32,
    /// Every page the item is printed on.
    #[schemars(length(min = 1), inner(range(min = 1, max = u32::MAX)))]
    pub pages: Vec<u32>,
}

/// An item's rows in a Word document's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableRows {
    /// The table, counting the document's tables from 1.
    #[schemars(range(min = 1, max = u32::MAX))]
    pub table: u32,
    /// The item's first row, counting the table's rows from 1.
    #[schemars(range(min = 1, max = u32::MAX))]
    pub row: u32,
    /// The table of the item's last row, when that is another table (a
    /// list split into two tables, the item cut between them).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "u32", range(min = 1, max = u32::MAX))]
    pub last_table: Option<u32>,
    /// The item's last row, when it spans rows (a cut cell continued).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "u32", range(min = 1, max = u32::MAX))]
    pub last_row: Option<u32>,
}

/// An item's rows in a workbook's sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetRows {
    /// The sheet's name.
    #[schemars(length(min = 1))]
    pub sheet: String,
    /// The item's first row, as Excel numbers it.
    #[schemars(range(min = 1, max = u32::MAX))]
    pub row: u32,
    /// The sheet of the item's last row, when that is another sheet.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "String", length(min = 1))]
    pub last_sheet: Option<String>,
    /// The item's last row, when it spans rows.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "strict::present"
    )]
    #[schemars(with = "u32", range(min = 1, max = u32::MAX))]
    pub last_row: Option<u32>,
}

/// A duty cell: its clean text and its structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    /// The whole cell as clean text; blocks are separated by `\n`.
    pub text: String,
    /// The cell split into headed lists.
    pub blocks: Vec<DutyBlock>,
}

/// A run of steps under one heading (or under none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyBlock {
    /// The label before `：` that opens the block, e.g. a department.
    #[serde(deserialize_with = "strict::nullable")]
    #[schemars(required, length(min = 1), extend("type" = ["string", "null"]))]
    pub heading: Option<String>,
    /// The list items, without their source numbering.
    #[schemars(inner(length(min = 1)))]
    pub steps: Vec<String>,
}

/// The 承接部门及工作方式 cell of a withdrawn item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    /// The whole cell as clean text.
    pub text: String,
    /// True when the duty is simply cancelled (`取消…`).
    pub abolished: bool,
    /// The departments that take the duty over, with what each does.
    pub receivers: Vec<Receiver>,
}

/// One department taking over a withdrawn duty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receiver {
    /// The department, the label before `：`.
    #[schemars(length(min = 1))]
    pub department: String,
    /// What it does.
    pub duty: String,
}

/// Reading optional fields as strictly as the schema describes them: a
/// field qingdan leaves out when it has nothing is never written as `null`,
/// `{}` or `[]`.
pub(crate) mod strict {
    use std::collections::BTreeMap;

    use serde::de::{Deserialize, Deserializer, Error};

    /// A field always written, `null` when it has no value: never left out.
    pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::deserialize(deserializer)
    }

    /// An optional field that, when present, holds a value (not `null`).
    pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        T::deserialize(deserializer).map(Some)
    }

    /// A map left out when empty, so never `{}`.
    pub(crate) fn non_empty_map<'de, D>(
        deserializer: D,
    ) -> Result<BTreeMap<String, String>, D::Error>
    where
        D: Deserializer<'de>,
    {
        let map = BTreeMap::deserialize(deserializer)?;
        if map.is_empty() {
            return Err(D::Error::custom(
                "expected at least one key, found {} (an empty map is left out)",
            ));
        }
        Ok(map)
    }

    /// A list left out when empty, so never `[]`.
    pub(crate) fn non_empty_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        let list = Vec::deserialize(deserializer)?;
        if list.is_empty() {
            return Err(D::Error::custom(
                "expected at least one entry, found [] (an empty list is left out)",
            ));
        }
        Ok(list)
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
