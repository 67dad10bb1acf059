//! The words the HTML pages say themselves, in the one place they are
//! spelled: everything else on a page (titles, column titles, list
//! headings, the items) comes from the edition's own data.
//!
//! The pages are for readers of Chinese lists (`lang="zh-CN"`), so these
//! labels are Chinese; a diagnostic's message stays as qingdan prints it.

/// The heading of an edition's list of its lists.
pub(crate) const CONTENTS: &str = "目录";
/// The heading of an edition's warnings.
pub(crate) const WARNINGS: &str = "警告";
/// The heading of a table's provenance column.
pub(crate) const SOURCE: &str = "出处";
/// Before the input file's path in an edition's provenance line.
pub(crate) const SOURCE_FILE: &str = "来源文件";
/// A warning about no one item.
pub(crate) const EDITION_WIDE: &str = "全文";

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

/// `第1–16页`.
pub(crate) fn page_range(first: u32, last: u32) -> String {
    if first == last {
        format!("第{first}页")
    } else {
        format!("第{first}–{last}页")
    }
}

/// `109项`.
pub(crate) fn items(n: usize) -> String {
    format!("{n}项")
}
