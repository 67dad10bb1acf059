//! Stage 6, **emit**: records → bytes, one module per output format.
//!
//! Every format is byte-deterministic: the same edition gives the same bytes
//! on any machine, and every file ends with a newline.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::model::{Duty, Edition, Field, Handover, Item};

pub(crate) mod html;
pub(crate) mod markdown;
mod xlsx;
pub(crate) mod yaml;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Pretty JSON, UTF-8 unescaped.
    Json,
    /// YAML that reads the same in YAML 1.1 and 1.2 readers.
    Yaml,
    /// GitHub-flavoured Markdown for people.
    Markdown,
    /// A self-contained HTML page for people (see [`crate::html`]).
    Html,
    /// An Excel workbook for people who read and edit the lists in Excel,
    /// WPS or LibreOffice: a sheet per list.
    Xlsx,
}

impl Format {
    /// Every format, in the order outputs are written.
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Yaml,
        Format::Markdown,
        Format::Html,
        Format::Xlsx,
    ];

    /// The formats `convert` and `build` write unless asked for others:
    /// the files a repository commits (HTML and workbooks are asked for
    /// with `--to`).
    pub const DEFAULT: [Format; 3] = [Format::Json, Format::Yaml, Format::Markdown];

    /// The file extension, without dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }

    /// Is this format text (UTF-8), rather than a binary file?
    pub fn is_text(self) -> bool {
        self != Format::Xlsx
    }

    /// Is `bytes` the start (for a workbook, the whole) of a file qingdan
    /// wrote in this format? Every text format begins with a signature
    /// (JSON and YAML with `schema_version`, Markdown and HTML with a
    /// comment saying qingdan generated it); a workbook carries a custom
    /// document property. qingdan replaces an existing file only when it
    /// can show it wrote it, by this or by the manifest of a build.
    ///
    /// ```
    /// use qingdan::Format;
    ///
    /// let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
    /// let edition = qingdan::convert("x.txt", bytes, &qingdan::Options::new()).into_result()?;
    /// for format in Format::ALL {
    ///     assert!(format.is_signed(&format.render(&edition)?));
    /// }
    /// assert!(!Format::Markdown.is_signed(b"# my notes\n"));
    /// # Ok::<(), qingdan::Error>(())
    /// ```
    pub fn is_signed(self, bytes: &[u8]) -> bool {
        match self.signature() {
            Some(signature) => bytes.starts_with(signature.as_bytes()),
            None => xlsx::is_signed(bytes),
        }
    }

    /// How many bytes of a file [`Format::is_signed`] looks at: the
    /// signature's length for the text formats; `None` for a workbook,
    /// whose property is inside the ZIP.
    pub fn signature_len(self) -> Option<usize> {
        self.signature().map(str::len)
    }

    /// How a file of a text format begins.
    fn signature(self) -> Option<&'static str> {
        Some(match self {
            Format::Json => "{\n  \"schema_version\": \"",
            Format::Yaml => "schema_version: \"",
            Format::Markdown => markdown::SIGNATURE,
            Format::Html => html::SIGNATURE,
            Format::Xlsx => return None,
        })
    }

    /// Renders an edition in this format: the bytes of the file (UTF-8 for
    /// the text formats). An HTML page rendered here shows no warnings;
    /// [`crate::html::edition`] takes them.
    ///
    /// The text formats always render. A workbook fails when the edition
    /// does not fit one ([`ErrorKind::TooLargeForWorkbook`]): a cell of
    /// more than 32,767 characters, a list of more than a sheet's rows.
    ///
    /// ```
    /// let bytes = include_bytes!("../../input/hami-yiwu-yanchi.txt");
    /// let mut edition = qingdan::convert("x.txt", bytes, &qingdan::Options::new()).into_result()?;
    /// let yaml = qingdan::Format::Yaml.render(&edition)?;
    /// assert!(yaml.starts_with(b"schema_version: \"3\"\n"));
    ///
    /// edition.sections[0].items[0].name = "长".repeat(40_000);
    /// let error = qingdan::Format::Xlsx.render(&edition).unwrap_err();
    /// assert!(matches!(error.kind(), qingdan::ErrorKind::TooLargeForWorkbook { found: 40_000, .. }));
    /// # Ok::<(), qingdan::Error>(())
    /// ```
    ///
    /// [`ErrorKind::TooLargeForWorkbook`]: crate::ErrorKind::TooLargeForWorkbook
    pub fn render(self, edition: &Edition) -> Result<Vec<u8>, Error> {
        Ok(match self {
            Format::Json => {
                let mut out = serde_json::to_vec_pretty(edition).expect("records always serialize");
                out.push(b'\n');
                out
            }
            Format::Yaml => yaml::render(edition).into_bytes(),
            Format::Markdown => markdown::render(edition).into_bytes(),
            Format::Html => html::edition(edition, &[]).into_bytes(),
            Format::Xlsx => xlsx::render(edition)?,
        })
    }
}

/// Bytes to reserve for an output about `ratio` times the size of its
/// input, so that the buffer is not grown (and copied) while it is written.
/// The ratios are those of the sample in UTF-8, GB18030 and UTF-16 rounded
/// up: an output of the largest of them fits without regrowing. (The
/// GB18030 input is the smallest, so its ratios are the ones that count:
/// JSON 3.6, YAML 2.8, Markdown 1.3.)
fn capacity(edition: &Edition, ratio: usize) -> usize {
    usize::try_from(edition.source.bytes)
        .unwrap_or(usize::MAX)
        .saturating_mul(ratio)
        .clamp(4096, 256 << 20)
}

/// The text an item holds under the column titled `column`.
pub(crate) fn column_text<'a>(item: &'a Item, column: &str, field: Option<Field>) -> Cow<'a, str> {
    let duty_text = |d: &'a Option<Duty>| d.as_ref().map(|d| Cow::Borrowed(d.text.as_str()));
    let text = match field {
        Some(Field::Seq) => Some(Cow::Owned(item.seq.to_string())),
        Some(Field::Category) => item.category.as_deref().map(Cow::Borrowed),
        Some(Field::Name) => Some(Cow::Borrowed(item.name.as_str())),
        Some(Field::SuperiorDepartments) => item
            .superior_departments
            .as_ref()
            .map(|d| Cow::Owned(d.join(crate::vocab::LIST_SEPARATOR))),
        Some(Field::SuperiorDuties) => duty_text(&item.superior_duties),
        Some(Field::TownshipDuties) => duty_text(&item.township_duties),
        Some(Field::Handover) => item
            .handover
            .as_ref()
            .map(|h| Cow::Borrowed(h.text.as_str())),
        // A handover printed as two columns is shown as two again.
        Some(Field::HandoverDepartment) => item.handover.as_ref().map(|h| two_columns(h).0),
        Some(Field::HandoverMethod) => item.handover.as_ref().map(|h| two_columns(h).1),
        None => item.extra.get(column).map(|t| Cow::Borrowed(t.as_str())),
    };
    text.unwrap_or_default()
}

/// A handover as the two columns it was printed in (`承接部门` | `工作方式`):
/// the departments and the one duty they share, when the handover is
/// exactly that (`部门、部门：职责`); else, as when the department column
/// was empty and the method column held the whole handover, no
/// departments and the handover's text.
fn two_columns(handover: &Handover) -> (Cow<'_, str>, Cow<'_, str>) {
    let whole = || (Cow::Borrowed(""), Cow::Borrowed(handover.text.as_str()));
    let Some(first) = handover.receivers.first() else {
        return whole();
    };
    if handover.receivers.iter().any(|r| r.duty != first.duty) {
        return whole();
    }
    let departments: Vec<&str> = handover
        .receivers
        .iter()
        .map(|r| r.department.as_str())
        .collect();
    let departments = departments.join(crate::vocab::LIST_SEPARATOR);
    let rest = handover.text.strip_prefix(departments.as_str());
    let shared = match rest {
        Some("") => first.duty.is_empty(),
        Some(rest) => rest.strip_prefix(crate::vocab::LABEL_COLON) == Some(first.duty.as_str()),
        None => false,
    };
    if shared {
        (Cow::Owned(departments), Cow::Borrowed(first.duty.as_str()))
    } else {
        whole()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// ```
/// use qingdan::{ErrorKind, Format};
///
/// assert_eq!("yml".parse::<Format>().unwrap(), Format::Yaml);
/// let error = "xml".parse::<Format>().unwrap_err();
/// assert_eq!(error.kind(), &ErrorKind::UnknownFormat { name: "xml".into() });
/// assert_eq!(error.to_string(), "unknown format `xml`: expected one of json, yaml, md, html, xlsx");
/// ```
impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format, Error> {
        match s {
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(Error::unknown_format(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Receiver;

    fn handover(text: &str, receivers: &[(&str, &str)]) -> Handover {
        Handover {
            text: text.to_owned(),
            abolished: receivers.is_empty(),
            receivers: receivers
                .iter()
                .map(|&(department, duty)| Receiver {
                    department: department.to_owned(),
                    duty: duty.to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_handover_goes_back_into_the_two_columns_it_came_from() {
        let columns = |h: &Handover| {
            let (departments, method) = two_columns(h);
            (departments.into_owned(), method.into_owned())
        };
        // Departments sharing one duty: as printed, `甲局、乙局` | `负责。`.
        let shared = handover(
            "甲局、乙局：负责。",
            &[("甲局", "负责。"), ("乙局", "负责。")],
        );
        assert_eq!(columns(&shared), ("甲局、乙局".into(), "负责。".into()));
        // Each its own duty: the whole handover was in the method column.
        let own = handover(
            "甲局：统计。乙局：上报。",
            &[("甲局", "统计。"), ("乙局", "上报。")],
        );
        assert_eq!(
            columns(&own),
            ("".into(), "甲局：统计。乙局：上报。".into())
        );
        let abolished = handover("取消该事项。", &[]);
        assert_eq!(columns(&abolished), ("".into(), "取消该事项。".into()));
        // Departments and no duty.
        let bare = handover("甲局", &[("甲局", "")]);
        assert_eq!(columns(&bare), ("甲局".into(), "".into()));
    }
}
