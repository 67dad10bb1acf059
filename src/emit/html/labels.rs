//! The words the HTML pages say themselves, in the one place they are
//! spelled: everything else on a page (titles, column titles, list
//! headings, the items) comes from the edition's own data.
//!
//! The pages are for readers of Chinese lists (`lang="zh-CN"`), so these
//! labels are Chinese; a diagnostic's message stays as qingdan prints it.

use crate::diagnostic::Diagnostic;
use crate::model::{Field, ItemSource, Section, Source};

/// The heading of an edition's list of its lists.
pub(crate) const CONTENTS: &str = "目录";
/// The heading of an edition's warnings.
pub(crate) const WARNINGS: &str = "警告";
/// The heading of a table's provenance column.
pub(crate) const SOURCE: &str = "出处";
/// Before the input file's path in an edition's provenance line.
pub(crate) const SOURCE_FILE: &str = "来源文件";
/// Before the region's statistical division code.
pub(crate) const DIVISION_CODE: &str = "区划代码";
/// A warning about no one item.
pub(crate) const EDITION_WIDE: &str = "全文";

/// The collection page's title.
pub(crate) const COLLECTION: &str = "履职事项清单索引";
/// The search box's label and button.
pub(crate) const SEARCH: &str = "搜索";
/// What the search box asks for.
pub(crate) const SEARCH_HINT: &str = "地名、事项名称、类别或职责，如：驼奶";
/// The heading of the search results.
pub(crate) const RESULTS: &str = "搜索结果";
/// Shown when nothing matches the query.
pub(crate) const NO_MATCH: &str = "没有匹配的地区或事项。";
/// The collection table's column titles.
pub(crate) const COLLECTION_COLUMNS: [&str; 8] = [
    "文件", "地区", "标题", "基本", "配合", "收回", "警告", "错误",
];
/// An edition that did not convert.
pub(crate) const FAILED: &str = "未转换";

/// The diff page's title.
pub(crate) const CHANGES: &str = "两版清单的变化";
/// The diff summary's column titles.
pub(crate) const CHANGE_COLUMNS: [&str; 5] = ["清单", "新增", "删除", "修改", "重新编号"];
/// The summary's last row.
pub(crate) const TOTAL: &str = "合计";
/// The heading of front-matter changes.
pub(crate) const FRONT_MATTER: &str = "封面与目录";
/// Shown when the editions say the same thing.
pub(crate) const NO_CHANGES: &str = "两版内容相同。";
/// A changed field's table: field, old value, new value.
pub(crate) const FIELD_COLUMNS: [&str; 3] = ["字段", "旧版", "新版"];
/// What the front matter's fields are called: `title`, `issuers`.
pub(crate) const FRONT_FIELDS: [(&str, &str); 3] = [
    ("title", "标题"),
    ("issuers", "发布机关"),
    ("contents", CONTENTS),
];
/// Before the links to the two editions' pages.
pub(crate) const EDITION_PAGES: &str = "两版页面";
/// An item table's column titles: number, name.
pub(crate) const ITEM_COLUMNS: [&str; 2] = ["序号", "事项名称"];
/// A renumbered item table's: old number, new number, name.
pub(crate) const RENUMBER_COLUMNS: [&str; 3] = ["原序号", "新序号", "事项名称"];

/// What a changed field is called on the diff page: the title the
/// vocabulary gives its column first (`township_duties` → `乡镇配合职责`),
/// a front-matter field's name, or an unknown column's own title
/// (`extra.备注` → `备注`).
pub(crate) fn field(name: &str) -> &str {
    if let Some(column) = name.strip_prefix("extra.") {
        return column;
    }
    let front = FRONT_FIELDS.iter().find(|(n, _)| *n == name);
    let column = Field::ALL.into_iter().find(|f| f.as_str() == name);
    match (front, column) {
        (Some((_, label)), _) => label,
        (None, Some(field)) => crate::vocabulary::Vocabulary::builtin_title(field),
        (None, None) => name,
    }
}

/// `第16行` or `第607–612行`.
pub(crate) fn lines(first: u32, last: u32) -> String {
    if first == last {
        format!("第{first}行")
    } else {
        format!("第{first}–{last}行")
    }
}

/// `第1页` or `第91、92页`.
pub(crate) fn pages(pages: &[u32]) -> String {
    let list: Vec<String> = pages.iter().map(u32::to_string).collect();
    format!("第{}页", list.join("、"))
}

/// `第1–16页` for a list of a text; nothing for an original's, which has
/// no pages qingdan sees.
pub(crate) fn section_pages(section: &Section) -> String {
    match (section.first_page, section.last_page) {
        (Some(first), Some(last)) if first == last => format!("第{first}页"),
        (Some(first), Some(last)) => format!("第{first}–{last}页"),
        _ => String::new(),
    }
}

/// Where an item is: `第16行 · 第1页`, `表2 第3–4行`, `基本履职事项清单 第3行`.
pub(crate) fn item_source(source: &ItemSource) -> String {
    let rows = |row: u32, last_row: Option<u32>| match last_row {
        Some(last) => format!("第{row}–{last}行"),
        None => format!("第{row}行"),
    };
    match source {
        ItemSource::Text(s) => {
            format!("{} · {}", lines(s.first_line, s.last_line), pages(&s.pages))
        }
        ItemSource::Table(s) => match s.last_table {
            Some(last) => format!(
                "表{} 第{}行–表{last} 第{}行",
                s.table,
                s.row,
                s.last_row.unwrap_or(1)
            ),
            None => format!("表{} {}", s.table, rows(s.row, s.last_row)),
        },
        ItemSource::Sheet(s) => match &s.last_sheet {
            Some(last) => format!(
                "{} 第{}行–{last} 第{}行",
                s.sheet,
                s.row,
                s.last_row.unwrap_or(1)
            ),
            None => format!("{} {}", s.sheet, rows(s.row, s.last_row)),
        },
    }
}

/// Where a diagnostic is: `第16行`, or the cell in an original's terms.
pub(crate) fn diagnostic_place(diagnostic: &Diagnostic) -> String {
    match &diagnostic.place {
        Some(place) => place.location.to_string(),
        None => lines(diagnostic.position.line, diagnostic.position.line),
    }
}

/// The file's kind, and its encoding for a text: `UTF-8`, `docx`.
pub(crate) fn source_format(source: &Source) -> &str {
    source.encoding.as_deref().unwrap_or(source.format.as_str())
}

/// `3份清单`.
pub(crate) fn editions(n: usize) -> String {
    format!("{n}份清单")
}

/// `109项`.
pub(crate) fn items(n: usize) -> String {
    format!("{n}项")
}

/// How many items of the search results are shown at most, and the note
/// when there are more (`{shown}` and `{total}` are filled in by the page).
pub(crate) const MORE_RESULTS: &str = "仅显示前{shown}项，共{total}项；请细化搜索词。";
