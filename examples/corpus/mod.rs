//! A benchmark corpus: many editions made from the sample, as a collection
//! of townships would send them.
//!
//! Each edition is the sample with another township's name, re-encoded
//! (UTF-8, GB18030 with CRLF, UTF-16LE with BOM) and repaginated (another
//! number of rows per page, the page header `title`, blank line, header row
//! repeated before each page, the contents page numbers made to agree). A
//! row that the sample splits across two pages stays split across a page
//! break; no other row is split.
//!
//! Used by `examples/make_corpus.rs`, `benches/pipeline.rs` and the
//! integration tests (through `#[path]`), so all three see the same corpus.

// Each includer uses a different part of this module.
#![allow(dead_code)]

use std::path::Path;

use qingdan::internals::Encoding;

/// The sample edition (UTF-8, LF).
pub const SAMPLE: &str = include_str!("../../input/hami-yiwu-yanchi.txt");

/// The sample's township, replaced in every other edition.
const SAMPLE_TOWNSHIP: &str = "盐池镇";

/// Townships the corpus cycles through, with an ASCII name for the file:
/// those of 伊吾县 in the division codes, so that every edition's region
/// is found there as the sample's is.
pub const TOWNSHIPS: &[(&str, &str)] = &[
    ("盐池镇", "yanchi"),
    ("吐葫芦乡", "tuhulu"),
    ("前山哈萨克民族乡", "qianshan"),
    ("淖毛湖镇", "naomaohu"),
    ("伊吾镇", "yiwu"),
    ("苇子峡乡", "weizixia"),
    ("下马崖乡", "xiamaya"),
];

/// The sample cut into front matter and list pages.
#[derive(Clone, Debug)]
pub struct Sample<'a> {
    /// Lines before the first page header, the contents among them.
    front: Vec<&'a str>,
    /// The lists, in order.
    sections: Vec<SectionRows<'a>>,
}

/// One list: its page title, header row and rows, and how the sample
/// paginated it.
#[derive(Clone, Debug)]
struct SectionRows<'a> {
    title: &'a str,
    header: &'a str,
    rows: Vec<&'a str>,
    /// Rows on each page of the sample.
    page_sizes: Vec<usize>,
}

impl<'a> Sample<'a> {
    /// Cuts an edition's text (LF line ends) into front matter and pages. A
    /// page starts with a line ending in 清单, a blank line, and a header
    /// row starting `序号\t`; pages are separated by one blank line.
    pub fn split(text: &'a str) -> Sample<'a> {
        let lines: Vec<&str> = text.split('\n').collect();
        let is_page_start = |i: usize| {
            lines[i].ends_with("清单")
                && lines.get(i + 1) == Some(&"")
                && lines.get(i + 2).is_some_and(|l| l.starts_with("序号\t"))
        };
        let first = (0..lines.len())
            .find(|&i| is_page_start(i))
            .expect("the edition has a list page");
        let mut front = lines[..first].to_vec();
        // The blank line before the first page belongs to the page layout.
        assert_eq!(front.pop(), Some(""), "a blank line before the first page");
        let mut sections: Vec<SectionRows<'a>> = Vec::new();
        let mut i = first;
        while i < lines.len() {
            assert!(is_page_start(i), "line {} starts a page", i + 1);
            let (title, header) = (lines[i], lines[i + 2]);
            i += 3;
            let start = i;
            while i < lines.len() && !lines[i].is_empty() {
                i += 1;
            }
            let rows = &lines[start..i];
            match sections.last_mut() {
                Some(s) if s.title == title && s.header == header => {
                    s.rows.extend_from_slice(rows);
                    s.page_sizes.push(rows.len());
                }
                _ => sections.push(SectionRows {
                    title,
                    header,
                    rows: rows.to_vec(),
                    page_sizes: vec![rows.len()],
                }),
            }
            // Skip the blank line between pages.
            i += 1;
        }
        Sample { front, sections }
    }

    /// Rows on each page, all lists in order.
    pub fn page_sizes(&self) -> Vec<usize> {
        self.sections
            .iter()
            .flat_map(|s| s.page_sizes.iter().copied())
            .collect()
    }

    /// Every row, all lists in order.
    pub fn rows(&self) -> Vec<&'a str> {
        self.sections
            .iter()
            .flat_map(|s| s.rows.iter().copied())
            .collect()
    }

    /// The text as the sample paginated it (the sample itself).
    pub fn original(&self) -> String {
        let pages = self
            .sections
            .iter()
            .map(|s| s.page_sizes.clone())
            .collect::<Vec<_>>();
        self.emit(&pages)
    }

    /// The text with at most `rows_per_page` rows on a page. A row that is
    /// continued by the next row (the same item number: the sample split it
    /// across pages) ends its page, so the continuation starts the next one.
    pub fn paginate(&self, rows_per_page: usize) -> String {
        assert!(rows_per_page > 0);
        let pages = self
            .sections
            .iter()
            .map(|s| {
                let mut sizes = Vec::new();
                let mut on_page = 0;
                for (i, row) in s.rows.iter().enumerate() {
                    on_page += 1;
                    let continued = s
                        .rows
                        .get(i + 1)
                        .is_some_and(|next| item_number(next) == item_number(row));
                    if on_page == rows_per_page || continued || i + 1 == s.rows.len() {
                        sizes.push(on_page);
                        on_page = 0;
                    }
                }
                sizes
            })
            .collect::<Vec<_>>();
        self.emit(&pages)
    }

    /// Writes the front matter, with the contents page numbers set to where
    /// each list starts, then every page.
    fn emit(&self, pages: &[Vec<usize>]) -> String {
        let mut first_pages = Vec::new();
        let mut page = 1;
        for sizes in pages {
            first_pages.push(page);
            page += sizes.len();
        }
        let mut out = String::with_capacity(SAMPLE.len() * 11 / 10);
        let mut contents = first_pages.iter();
        for (i, line) in self.front.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match contents_entry(line) {
                Some(entry) => {
                    let page = contents.next().expect("a list for each contents line");
                    out.push_str(&format!("{entry}\t{page}"));
                }
                None => out.push_str(line),
            }
        }
        for (section, sizes) in self.sections.iter().zip(pages) {
            let mut rows = section.rows.iter();
            for &size in sizes {
                out.push_str("\n\n");
                out.push_str(section.title);
                out.push_str("\n\n");
                out.push_str(section.header);
                for row in rows.by_ref().take(size) {
                    out.push('\n');
                    out.push_str(row);
                }
            }
        }
        out
    }
}

/// The item number a row starts with.
fn item_number(row: &str) -> &str {
    row.split('\t').next().unwrap_or("")
}

/// `1. 基本履职事项清单·····` of a contents line `1. 基本履职事项清单·····\t1`.
fn contents_entry(line: &str) -> Option<&str> {
    let (entry, page) = line.rsplit_once('\t')?;
    let numbered = entry
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (numbered && !page.is_empty() && page.bytes().all(|b| b.is_ascii_digit())).then_some(entry)
}

/// One edition of the corpus.
#[derive(Clone, Debug)]
pub struct Edition {
    /// Where it goes, relative to the corpus directory (`utf8/0000-yanchi.txt`).
    pub relative: String,
    /// Its bytes, encoded.
    pub bytes: Vec<u8>,
}

/// Edition `index` of the corpus: township, encoding and pagination all
/// vary with `index`, deterministically.
pub fn edition(sample: &Sample<'_>, index: usize) -> Edition {
    let (township, slug) = TOWNSHIPS[index % TOWNSHIPS.len()];
    let rows_per_page = 3 + (index * 7) % 10;
    let text = sample
        .paginate(rows_per_page)
        .replace(SAMPLE_TOWNSHIP, township);
    let (folder, bytes) = match index % 3 {
        0 => ("utf8", Encoding::Utf8.encode(&text)),
        1 => (
            "gb18030",
            Encoding::Gb18030.encode(&text.replace('\n', "\r\n")),
        ),
        _ => {
            let mut bytes = b"\xFF\xFE".to_vec();
            bytes.extend(Encoding::Utf16Le.encode(&text));
            ("utf16le", bytes)
        }
    };
    Edition {
        relative: format!("{folder}/{index:04}-{slug}.txt"),
        bytes,
    }
}

/// The first `count` editions of the corpus.
pub fn editions(count: usize) -> Vec<Edition> {
    let sample = Sample::split(SAMPLE);
    (0..count).map(|i| edition(&sample, i)).collect()
}

/// Sizes of a written corpus.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    /// Bytes of all editions.
    pub total: u64,
    /// Bytes of the largest edition.
    pub largest: u64,
}

/// Writes the first `count` editions under `dir`.
pub fn write(dir: &Path, count: usize) -> std::io::Result<Written> {
    let sample = Sample::split(SAMPLE);
    let mut written = Written::default();
    for i in 0..count {
        let edition = edition(&sample, i);
        let path = dir.join(&edition.relative);
        std::fs::create_dir_all(path.parent().expect("a folder"))?;
        std::fs::write(&path, &edition.bytes)?;
        let size = edition.bytes.len() as u64;
        written.total += size;
        written.largest = written.largest.max(size);
    }
    Ok(written)
}
