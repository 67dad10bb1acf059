//! Other printings of the sample, built here from its text: other encodings
//! and line ends, other page breaks, another township. Each must give the
//! sample's records; only provenance (file, lines, pages) may differ.

use qingdan::internals::Encoding;
use qingdan::{Edition, ItemSource, Region, TextLines};

use crate::support::{
    assert_same, codes_and_messages, convert, convert_ok, sample, sample_bytes, sample_edition,
    without_provenance,
};

/// The sample's records with `source` taken from `other`: what a printing
/// with the same lines in another file must give.
fn with_source_of(other: &Edition) -> Edition {
    let mut expected = sample_edition();
    expected.source = other.source.clone();
    expected
}

/// The sample's diagnostics, positions included.
fn sample_diagnostics() -> Vec<String> {
    diagnostics_of("hami-yiwu-yanchi.txt", &sample_bytes())
}

/// The diagnostics of an edition, positions included.
fn diagnostics_of(path: &str, bytes: &[u8]) -> Vec<String> {
    convert(path, bytes)
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d.code, d.position.line, d.position.column, d.message
            )
        })
        .collect()
}

fn assert_same_lines_as_sample(path: &str, bytes: &[u8], encoding: &str) {
    let edition = convert_ok(path, bytes);
    assert_eq!(edition.source.encoding.as_deref(), Some(encoding));
    assert_eq!(edition.source.bytes, bytes.len() as u64);
    assert_eq!(edition.source.sha256, qingdan::internals::sha256_hex(bytes));
    assert_same(&with_source_of(&edition), &edition, "records");
    // Same lines, so the same diagnostics at the same lines and columns.
    assert_eq!(diagnostics_of(path, bytes), sample_diagnostics());
}

#[test]
fn gb18030_with_crlf_gives_the_sample_records() {
    let text = sample().replace('\n', "\r\n");
    let bytes = Encoding::Gb18030.encode(&text);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    assert_same_lines_as_sample("gb.txt", &bytes, "GB18030");
}

#[test]
fn utf16le_with_bom_gives_the_sample_records() {
    let bytes = [&[0xFF, 0xFE][..], &Encoding::Utf16Le.encode(&sample())].concat();
    assert_same_lines_as_sample("le.txt", &bytes, "UTF-16LE");
}

#[test]
fn utf16be_with_bom_gives_the_sample_records() {
    let bytes = [&[0xFE, 0xFF][..], &Encoding::Utf16Be.encode(&sample())].concat();
    assert_same_lines_as_sample("be.txt", &bytes, "UTF-16BE");
}

#[test]
fn another_township_reads_its_region_and_keeps_the_items() {
    let renamed: String = sample()
        .split('\n')
        .map(|line| {
            if line.contains('\t') {
                line.to_owned()
            } else {
                line.replace(
                    "新疆维吾尔自治区哈密市 伊吾县盐池镇",
                    "四川省成都市 新都区新繁街道",
                )
                .replace("哈密市伊吾县盐池镇", "成都市新都区新繁街道")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let edition = convert_ok("xinfan.txt", renamed.as_bytes());
    assert_eq!(
        edition.region,
        Region {
            province: Some("四川省".to_owned()),
            prefecture: Some("成都市".to_owned()),
            county: Some("新都区".to_owned()),
            township: Some("新繁街道".to_owned()),
            code: Some("510114005".to_owned()),
        }
    );
    let mut expected = with_source_of(&edition);
    expected.title = "四川省成都市新都区新繁街道履职事项清单".to_owned();
    expected.region = edition.region.clone();
    for section in &mut expected.sections {
        section.title = section
            .title
            .replace("哈密市伊吾县盐池镇", "成都市新都区新繁街道");
    }
    assert_eq!(
        expected.sections[1].title,
        "成都市新都区新繁街道配合履职事项清单"
    );
    assert_same(&expected, &edition, "records");
}

/// How a cut is marked: bracket width, `<p>` wrapping, spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Half,
    Full,
    HalfInParagraph,
    FullInParagraph,
    OtherSpelling,
}

impl Style {
    const ALL: [Style; 5] = [
        Style::Half,
        Style::Full,
        Style::HalfInParagraph,
        Style::FullInParagraph,
        Style::OtherSpelling,
    ];

    /// The marker ending the cut part, and the one opening the rest.
    fn markers(self) -> (&'static str, &'static str) {
        match self {
            Style::Half => ("(未完见下页)", "(续上页)"),
            Style::Full => ("（未完见下页）", "（续上页）"),
            Style::HalfInParagraph => ("<p>(未完见下页)</p>", "<p>(续上页)</p>"),
            Style::FullInParagraph => ("<p>（未完见下页）</p>", "<p>（续上页）</p>"),
            Style::OtherSpelling => ("（未完待续）", "（接上页）"),
        }
    }
}

/// A row to print over several pages, its cut columns cut at `at`.
#[derive(Clone, Debug)]
struct Split {
    section: usize,
    seq: u32,
    columns: Vec<usize>,
    parts: usize,
    style: Style,
    at: CutAt,
}

/// Where in its text a cell is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CutAt {
    /// Between two numbered steps ([`cut_points`]).
    BetweenSteps,
    /// Inside a step, right after a `，`.
    AfterComma,
    /// Inside a step, right after a `；` with no line wrap after it.
    AfterSemicolon,
    /// Inside a word: between two Chinese characters.
    MidWord,
}

impl CutAt {
    /// The places in `cell` to cut at.
    fn points(self, cell: &str) -> Vec<usize> {
        let han = |c: Option<char>| c.is_some_and(crate::support::is_han);
        let between = |at: usize, before: &dyn Fn(char) -> bool| {
            cell[..at].chars().next_back().is_some_and(before) && han(cell[at..].chars().next())
        };
        match self {
            CutAt::BetweenSteps => cut_points(cell),
            CutAt::AfterComma => cell
                .char_indices()
                .map(|(at, _)| at)
                .filter(|&at| between(at, &|c| c == '，'))
                .collect(),
            CutAt::AfterSemicolon => cell
                .char_indices()
                .map(|(at, _)| at)
                .filter(|&at| between(at, &|c| c == '；'))
                .collect(),
            CutAt::MidWord => cell
                .char_indices()
                .map(|(at, _)| at)
                .filter(|&at| between(at, &crate::support::is_han))
                .collect(),
        }
    }
}

/// The sample's items, whole, as raw cells (markup kept) per section.
struct Logical {
    /// Lines before the first page; contents lines end in `\t<page>`.
    front: Vec<String>,
    /// Line numbers (1-based) of contents lines within `front`.
    contents_lines: Vec<u32>,
    sections: Vec<LogicalSection>,
}

struct LogicalSection {
    title: String,
    header: String,
    items: Vec<(u32, Vec<String>)>,
}

fn logical() -> Logical {
    let text = sample();
    let decoded = qingdan::internals::decode(text.as_bytes()).unwrap();
    let vocabulary = qingdan::Vocabulary::builtin();
    let (document, mut diagnostics) = qingdan::internals::parse(&decoded.text, &vocabulary);
    let assembled = qingdan::internals::assemble(document, &mut diagnostics);
    let first_page_line = assembled.sections[0].title.line as usize;
    Logical {
        front: decoded
            .text
            .split('\n')
            .take(first_page_line - 1)
            .map(str::to_owned)
            .collect(),
        contents_lines: assembled.front.contents.iter().map(|c| c.line).collect(),
        sections: assembled
            .sections
            .iter()
            .map(|s| LogicalSection {
                title: s.title.text.to_owned(),
                header: s.columns.join("\t"),
                items: s
                    .items
                    .iter()
                    .map(|item| {
                        let cells: Vec<String> =
                            item.cells.iter().map(|c| c.text.to_string()).collect();
                        assert!(cells.iter().all(|c| !c.contains('\n')));
                        (item.seq, cells)
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Where a cell may be cut: after `；` or `。` and a space, before a step
/// number.
fn cut_points(cell: &str) -> Vec<usize> {
    cell.match_indices("； ")
        .chain(cell.match_indices("。 "))
        .map(|(at, sep)| at + sep.len() - 1)
        .filter(|&at| cell[at + 1..].starts_with(|c: char| c.is_ascii_digit()))
        .collect::<std::collections::BTreeSet<usize>>()
        .into_iter()
        .collect()
}

/// The list tag to reopen after a cut at `at`, when `at` is inside a list
/// opened by `<ol …>` (as the exporter does).
fn open_list_at(cell: &str, at: usize) -> Option<&str> {
    let before = &cell[..at];
    let ol = before.rfind("<ol")?;
    let p = before
        .rfind("<p>")
        .into_iter()
        .chain(before.rfind("</p>"))
        .max();
    if p.is_some_and(|p| p > ol) {
        return None;
    }
    let end = ol + before[ol..].find('>')? + 1;
    Some(&cell[ol..end])
}

/// A cell's printings when cut into `parts` at evenly spread list items.
fn cut_cell(cell: &str, parts: usize, style: Style) -> Vec<String> {
    cut_cell_at(cell, parts, style, CutAt::BetweenSteps)
}

/// A cell's printings when cut into `parts` at evenly spread places `at`.
fn cut_cell_at(cell: &str, parts: usize, style: Style, at: CutAt) -> Vec<String> {
    let points = at.points(cell);
    assert!(
        points.len() >= parts - 1,
        "{cell} has {} places to cut",
        points.len()
    );
    let chosen: Vec<usize> = (1..parts)
        .map(|k| points[k * points.len() / parts])
        .collect();
    let bounds: Vec<usize> = [0].into_iter().chain(chosen).chain([cell.len()]).collect();
    let (cut, rest) = style.markers();
    bounds
        .windows(2)
        .enumerate()
        .map(|(j, w)| {
            let mut printed = String::new();
            if j > 0 {
                printed.push_str(rest);
                if let Some(tag) = open_list_at(cell, w[0]) {
                    printed.push(' ');
                    printed.push_str(tag);
                }
            }
            printed.push_str(&cell[w[0]..w[1]]);
            if j + 1 < parts {
                printed.push(' ');
                printed.push_str(cut);
            }
            printed
        })
        .collect()
}

/// A printing of the sample with its own page breaks.
struct Printing {
    text: String,
    /// Per section, per item: where it stands.
    sources: Vec<Vec<ItemSource>>,
    /// Per section: first and last page.
    pages: Vec<(u32, u32)>,
}

/// Prints `logical` with at most `rows_per_page` printed rows a page; the
/// rows in `splits` are printed over several pages, each further part at the
/// top of the next page. Contents pages point at the new first pages.
fn print(logical: &Logical, rows_per_page: usize, splits: &[Split]) -> Printing {
    let mut body = String::new();
    let mut line = logical.front.len() as u32 + 1;
    let mut page = 0u32;
    let mut sources = Vec::new();
    let mut pages = Vec::new();
    for (s, section) in logical.sections.iter().enumerate() {
        let new_page = |body: &mut String, line: &mut u32, page: &mut u32| {
            body.push_str(&format!("{}\n\n{}\n", section.title, section.header));
            *line += 3;
            *page += 1;
        };
        let mut section_sources = Vec::new();
        let first_page = page + 1;
        let mut rows_on_page = usize::MAX;
        for (seq, cells) in &section.items {
            let split = splits.iter().find(|x| x.section == s && x.seq == *seq);
            let parts = split.map_or(1, |x| x.parts);
            let mut printed: Vec<Vec<String>> = vec![cells.clone(); parts];
            if let Some(split) = split {
                for &column in &split.columns {
                    for (j, part) in cut_cell_at(&cells[column], parts, split.style, split.at)
                        .into_iter()
                        .enumerate()
                    {
                        printed[j][column] = part;
                    }
                }
            }
            let mut source = TextLines {
                first_line: 0,
                last_line: 0,
                pages: Vec::new(),
            };
            for (j, row) in printed.iter().enumerate() {
                if j > 0 || rows_on_page >= rows_per_page {
                    if page >= first_page {
                        body.push('\n');
                        line += 1;
                    }
                    new_page(&mut body, &mut line, &mut page);
                    rows_on_page = 0;
                }
                if j == 0 {
                    source.first_line = line;
                }
                source.last_line = line;
                source.pages.push(page);
                body.push_str(&row.join("\t"));
                body.push('\n');
                line += 1;
                rows_on_page += 1;
            }
            section_sources.push(ItemSource::Text(source));
        }
        body.push('\n');
        line += 1;
        pages.push((first_page, page));
        sources.push(section_sources);
    }
    let mut front = logical.front.clone();
    for (k, &contents_line) in logical.contents_lines.iter().enumerate() {
        let entry = &mut front[contents_line as usize - 1];
        let tab = entry
            .rfind('\t')
            .expect("a contents line ends in a tab and a page");
        *entry = format!("{}\t{}", &entry[..tab], pages[k].0);
    }
    Printing {
        text: front.join("\n") + "\n" + &body,
        sources,
        pages,
    }
}

/// Cooperative rows to split, chosen by `pick`, with the styles in turn;
/// the row with the most places to cut goes over three pages.
fn cooperative_splits(logical: &Logical, pick: impl Fn(u32) -> bool) -> Vec<Split> {
    let section = 1;
    let items = &logical.sections[section].items;
    // Columns 4 and 5: 上级部门职责 and 乡镇配合职责.
    let cuttable = |cells: &[String]| -> Vec<usize> {
        [4, 5]
            .into_iter()
            .filter(|&c| !cut_points(&cells[c]).is_empty())
            .collect()
    };
    let three = items
        .iter()
        .filter(|(seq, _)| pick(*seq))
        .max_by_key(|(_, cells)| cut_points(&cells[5]).len())
        .expect("a row to split")
        .0;
    let mut splits = Vec::new();
    for (seq, cells) in items.iter().filter(|(seq, _)| pick(*seq)) {
        let columns = cuttable(cells);
        if columns.is_empty() {
            continue;
        }
        let (columns, parts) = if *seq == three {
            (vec![5], 3)
        } else if seq % 2 == 0 {
            (columns, 2) // both duty cells cut where both can be
        } else {
            (vec![columns[0]], 2)
        };
        splits.push(Split {
            section,
            seq: *seq,
            columns,
            parts,
            style: Style::ALL[splits.len() % Style::ALL.len()],
            at: CutAt::BetweenSteps,
        });
    }
    splits
}

/// Asserts that converting `bytes` warns of nothing the sample does not.
fn assert_no_warnings_beyond_the_sample(path: &str, bytes: &[u8]) {
    let sample_warnings = codes_and_messages(&convert("hami-yiwu-yanchi.txt", &sample_bytes()));
    let new: Vec<_> = codes_and_messages(&convert(path, bytes))
        .into_iter()
        .filter(|w| !sample_warnings.contains(w))
        .collect();
    assert!(
        new.is_empty(),
        "{path}: warnings the sample does not have: {new:#?}"
    );
}

/// Converts a printing and checks it against the sample: the same records,
/// the printing's own provenance, no warning the sample does not have.
fn assert_printing_gives_the_sample(printing: &Printing, splits: &[Split]) {
    // The printing really does what it claims.
    assert!(
        splits.iter().any(|s| s.parts == 3),
        "a row over three pages"
    );
    for style in Style::ALL {
        assert!(splits.iter().any(|s| s.style == style), "{style:?} used");
    }
    assert!(splits.iter().any(|s| s.columns.len() == 2), "two cells cut");
    for (_, marker) in Style::ALL.map(Style::markers) {
        assert!(printing.text.contains(marker), "{marker} printed");
    }
    let bytes = printing.text.as_bytes();
    assert_no_warnings_beyond_the_sample("repaginated.txt", bytes);
    let edition = convert_ok("repaginated.txt", bytes);
    assert_same(
        &without_provenance(&sample_edition()),
        &without_provenance(&edition),
        "records",
    );
    let sources: Vec<Vec<ItemSource>> = edition
        .sections
        .iter()
        .map(|s| s.items.iter().map(|i| i.source.clone()).collect())
        .collect();
    assert_same(&printing.sources, &sources, "item sources");
    let pages: Vec<(u32, u32)> = edition
        .sections
        .iter()
        .filter_map(|s| s.first_page.zip(s.last_page))
        .collect();
    assert_eq!(pages, printing.pages);
    let contents: Vec<u32> = edition.contents.iter().map(|c| c.page).collect();
    assert_eq!(contents, pages.iter().map(|p| p.0).collect::<Vec<_>>());
}

#[test]
fn three_rows_a_page_with_rows_cut_elsewhere_gives_the_sample_records() {
    let logical = logical();
    let splits = cooperative_splits(&logical, |seq| seq % 9 == 4 || seq % 9 == 7);
    let printing = print(&logical, 3, &splits);
    assert_printing_gives_the_sample(&printing, &splits);
    // 109 basic rows at 3 a page.
    assert_eq!(printing.pages[0], (1, 37));
}

#[test]
fn one_row_a_page_with_rows_cut_elsewhere_gives_the_sample_records() {
    let logical = logical();
    let splits = cooperative_splits(&logical, |seq| seq % 5 == 1);
    let printing = print(&logical, 1, &splits);
    assert_printing_gives_the_sample(&printing, &splits);
    let extra: u32 = splits.iter().map(|s| s.parts as u32 - 1).sum();
    assert_eq!(
        printing.pages,
        vec![(1, 109), (110, 217 + extra), (218 + extra, 265 + extra)]
    );
}

#[test]
fn cut_cell_marks_both_parts_and_reopens_the_list() {
    let cell = r#"<ol style="list-style-type: none"> 1. 甲； 2. 乙。 "#;
    assert_eq!(
        cut_cell(cell, 2, Style::FullInParagraph),
        vec![
            r#"<ol style="list-style-type: none"> 1. 甲； <p>（未完见下页）</p>"#.to_owned(),
            r#"<p>（续上页）</p> <ol style="list-style-type: none"> 2. 乙。 "#.to_owned(),
        ]
    );
    assert_eq!(
        cut_cell("<p>甲局： 1. 一； 2. 二。</p>", 2, Style::Half),
        vec!["<p>甲局： 1. 一； (未完见下页)", "(续上页) 2. 二。</p>"]
    );
}

#[test]
fn pages_that_repeat_only_the_header_row_give_the_sample_records() {
    // Keep each section's first page title; drop the title (and the blank
    // line after it) where it only repeats the previous page's.
    let sample = sample();
    let mut lines: Vec<&str> = Vec::new();
    let mut previous_title: Option<&str> = None;
    let mut skip_blank = false;
    for line in sample.lines() {
        if skip_blank && line.is_empty() {
            skip_blank = false;
            continue;
        }
        skip_blank = false;
        if line.ends_with("清单") && !line.contains('\t') && line.starts_with("哈密市") {
            if previous_title == Some(line) {
                skip_blank = true;
                continue;
            }
            previous_title = Some(line);
        }
        lines.push(line);
    }
    let text = lines.join("\n");
    assert!(
        text.lines().count() < sample.lines().count() - 150,
        "titles were dropped"
    );
    let edition = convert_ok("headers-only.txt", text.as_bytes());
    let expected = sample_edition();
    assert_eq!(without_provenance(&edition), without_provenance(&expected));
    type Pages = (Option<u32>, Option<u32>, Vec<Vec<u32>>);
    let pages = |e: &Edition| -> Vec<Pages> {
        e.sections
            .iter()
            .map(|s| {
                let pages = |i: &qingdan::Item| match &i.source {
                    ItemSource::Text(lines) => lines.pages.clone(),
                    _ => Vec::new(),
                };
                (
                    s.first_page,
                    s.last_page,
                    s.items.iter().map(pages).collect(),
                )
            })
            .collect()
    };
    assert_eq!(pages(&edition), pages(&expected));
}

/// Every cooperative duty cell of more than one step, cut once `at` its
/// middle place of that kind, the marking styles in turn.
fn every_duty_cell_cut(logical: &Logical, at: CutAt) -> Vec<Split> {
    let section = 1;
    let sample = sample_edition();
    let records = &sample.sections[section].items;
    let mut splits = Vec::new();
    for ((seq, cells), item) in logical.sections[section].items.iter().zip(records) {
        let steps = |duty: &Option<qingdan::Duty>| {
            duty.as_ref()
                .map_or(0, |d| d.blocks.iter().map(|b| b.steps.len()).sum::<usize>())
        };
        // Columns 4 and 5: 上级部门职责 and 乡镇配合职责.
        let columns: Vec<usize> = [(4, &item.superior_duties), (5, &item.township_duties)]
            .into_iter()
            .filter(|(c, duty)| steps(duty) > 1 && !at.points(&cells[*c]).is_empty())
            .map(|(c, _)| c)
            .collect();
        if !columns.is_empty() {
            splits.push(Split {
                section,
                seq: *seq,
                columns,
                parts: 2,
                style: Style::ALL[splits.len() % Style::ALL.len()],
                at,
            });
        }
    }
    splits
}

#[test]
fn duty_cells_cut_between_steps_inside_a_step_or_mid_word_give_the_sample_records() {
    let logical = logical();
    // Most of the 108 cooperative items have duties of several steps; few
    // have a `；` inside a step.
    for (at, rows) in [
        (CutAt::BetweenSteps, 60),
        (CutAt::AfterComma, 60),
        (CutAt::AfterSemicolon, 1),
        (CutAt::MidWord, 60),
    ] {
        let splits = every_duty_cell_cut(&logical, at);
        assert!(
            splits.len() >= rows,
            "{at:?}: only {} rows cut",
            splits.len()
        );
        let printing = print(&logical, 4, &splits);
        let edition = convert_ok("recut.txt", printing.text.as_bytes());
        assert_same(
            &without_provenance(&sample_edition()),
            &without_provenance(&edition),
            &format!("records with every duty cell cut {at:?}"),
        );
        assert_no_warnings_beyond_the_sample("recut.txt", printing.text.as_bytes());
    }
}

#[test]
fn a_cell_cut_mid_step_is_marked_and_its_list_reopened_as_exporters_do() {
    let cell = r#"<ol style="list-style-type: none"> 1. 完成理赔，并在镇公示。 "#;
    assert_eq!(
        cut_cell_at(cell, 2, Style::HalfInParagraph, CutAt::AfterComma),
        vec![
            r#"<ol style="list-style-type: none"> 1. 完成理赔， <p>(未完见下页)</p>"#.to_owned(),
            r#"<p>(续上页)</p> <ol style="list-style-type: none">并在镇公示。 "#.to_owned(),
        ]
    );
    assert_eq!(
        cut_cell_at("<p>甲局：理赔</p>", 2, Style::Full, CutAt::MidWord),
        vec!["<p>甲局：理 （未完见下页）", "（续上页）赔</p>"]
    );
}
