//! Outputs valid whatever the data: YAML that YAML 1.1 readers load, and
//! Markdown in which the data's text stays text in its own element.

use std::collections::BTreeMap;

use proptest::prelude::*;
use qingdan::{Edition, Format, SectionKind};

use crate::formats::{pyyaml, small_edition};
use crate::support::{rendered, sample, sample_edition, stderr, TestDir};

/// The sample with every `事项类别` column header of the basic list retitled
/// `title`, so that its cells land in `extra` under that key.
fn with_category_titled(title: &str) -> String {
    sample().replace(
        "序号\t事项类别\t事项名称\n",
        &format!("序号\t{title}\t事项名称\n"),
    )
}

#[test]
fn a_column_title_over_1024_characters_is_a_yaml_key_pyyaml_and_validate_read() {
    let title = format!("{}事项", "类别说明".repeat(300)); // 1,202 characters
    let dir = TestDir::new();
    dir.write("in/long.txt", with_category_titled(&title));
    let run = dir.qingdan(&["convert", "in/long.txt", "-o", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json: serde_json::Value = serde_json::from_slice(&dir.read("out/long.json")).unwrap();
    let first = &json["sections"][0]["items"][0];
    assert_eq!(first["extra"][&title], "党的建设", "the key holds the cell");
    let yaml = String::from_utf8(dir.read("out/long.yaml")).unwrap();
    assert!(yaml.contains(&format!("? {title}\n")), "an explicit key");
    let run = dir.qingdan(&["validate", "out/long.yaml", "out/long.json"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    if let Some(loaded) = pyyaml(&yaml) {
        for (loader, value) in loaded {
            assert!(value == json, "PyYAML {loader} reads the YAML as the JSON");
        }
    }
}

/// Pieces of Markdown syntax, line breaks, blanks and plain text, from
/// which hostile strings are made.
const PIECES: &[&str] = &[
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "# ",
    "## ",
    "> ",
    "|",
    "`",
    "```",
    "~~~",
    "    ",
    "\t",
    "---",
    "===",
    "***",
    "___",
    "<br>",
    "<div>",
    "&amp;",
    "&#0;",
    "\\",
    "[a](b)",
    "![x](y)",
    "[x]: /u",
    "*",
    "_",
    "**",
    "~~",
    "\n",
    "\r",
    "\n\n",
    "a",
    "名",
    " ",
    "：",
    "[^1]",
    "<http://x>",
    "\0",
    "- [ ] ",
    "| --- |",
    "1",
    ".",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..8).prop_map(|pieces| pieces.concat())
}

/// The text a field shows in Markdown: line breaks as `<br>` (read back
/// as `\n`) or, in headings, as spaces; NUL as U+FFFD, as readers show it.
fn shown(text: &str, heading: bool) -> String {
    let brk = if heading { " " } else { "\n" };
    text.replace(['\n', '\r'], brk).replace('\0', "\u{FFFD}")
}

/// What a Markdown document holds, element by element: the text of every
/// heading (with its level), table row, list item and paragraph. Inline
/// `<br>` reads as `\n`, `<wbr>` as nothing, bold as `**`; any other markup shows as `⟨…⟩`, so
/// that it fails the comparison.
#[derive(Debug, Default, PartialEq)]
struct Elements {
    headings: Vec<(u32, String)>,
    tables: Vec<Vec<Vec<String>>>,
    items: Vec<String>,
    paragraphs: Vec<String>,
}

fn elements(markdown: &str) -> Elements {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut found = Elements::default();
    let mut text = String::new();
    let mut depth = 0; // list items open
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Table(_)) => found.tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                found.tables.last_mut().unwrap().push(Vec::new());
            }
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth > 1 {
                    text.push_str("⟨nested item⟩");
                }
            }
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => text.push_str("**"),
            // The signature comment on the first line; any other HTML block
            // shows up in the text and fails the comparison.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Html(html)
                if qingdan::Format::Markdown.is_signed(html.trim_end().as_bytes()) => {}
            Event::Start(Tag::Heading { .. } | Tag::TableCell | Tag::Paragraph | Tag::List(_)) => {}
            Event::End(TagEnd::Heading(level)) => {
                found
                    .headings
                    .push((level as u32, std::mem::take(&mut text)));
            }
            Event::End(TagEnd::TableCell) => {
                let table = found.tables.last_mut().unwrap();
                table.last_mut().unwrap().push(std::mem::take(&mut text));
            }
            Event::End(TagEnd::Item) => {
                depth -= 1;
                found.items.push(std::mem::take(&mut text));
            }
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                found.paragraphs.push(std::mem::take(&mut text));
            }
            Event::End(TagEnd::Paragraph | TagEnd::TableHead | TagEnd::TableRow)
            | Event::End(TagEnd::Table | TagEnd::List(_)) => {}
            Event::Text(t) => text.push_str(&t),
            Event::InlineHtml(html) if &*html == "<br>" => text.push('\n'),
            Event::InlineHtml(html) if &*html == "<wbr>" => {}
            other => text.push_str(&format!("⟨{other:?}⟩")),
        }
    }
    found
}

/// The elements [`elements`] must find in the Markdown of `edition`.
fn expected_elements(edition: &Edition) -> Elements {
    let mut want = Elements::default();
    want.headings.push((1, shown(&edition.title, true)));
    want.paragraphs
        .push(shown(&edition.issuers.join(" "), false));
    let r = &edition.region;
    let units: Vec<&str> = [&r.province, &r.prefecture, &r.county, &r.township]
        .into_iter()
        .filter_map(|u| u.as_deref())
        .collect();
    want.paragraphs.push(shown(&units.join(" · "), false));
    for entry in &edition.contents {
        want.items
            .push(format!("{} … {}", shown(&entry.title, false), entry.page));
    }
    for section in &edition.sections {
        want.headings.push((2, shown(&section.title, true)));
        if section.kind != SectionKind::Cooperative {
            let mut rows = vec![section.columns.clone()];
            rows.extend(section.items.iter().map(|_| Vec::new()));
            want.tables.push(rows);
            continue;
        }
        for item in &section.items {
            want.headings
                .push((3, format!("{}. {}", item.seq, shown(&item.name, true))));
            let labels = ["事项类别", "对应上级部门"];
            let values = [
                item.category.clone(),
                item.superior_departments.as_ref().map(|d| d.join("、")),
            ];
            for (label, value) in labels.iter().zip(values) {
                if let Some(value) = value {
                    want.items
                        .push(format!("**{label}**：{}", shown(&value, false)));
                }
            }
            for (title, duty) in [
                ("上级部门职责", &item.superior_duties),
                ("乡镇配合职责", &item.township_duties),
            ] {
                let Some(duty) = duty else { continue };
                want.headings.push((4, title.to_owned()));
                for block in &duty.blocks {
                    if let Some(heading) = &block.heading {
                        want.paragraphs
                            .push(format!("**{}**", shown(heading, true)));
                    }
                    want.items
                        .extend(block.steps.iter().map(|s| shown(s, false)));
                }
            }
            for (column, text) in &item.extra {
                want.headings.push((4, shown(column, true)));
                want.paragraphs.push(shown(text, false));
            }
        }
    }
    want
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn markdown_of_hostile_strings_reads_back_as_text_in_its_own_element(
        texts in prop::collection::vec(hostile(), 32),
    ) {
        let mut texts = texts.into_iter();
        let mut next = move || texts.next().expect("enough texts");
        let mut edition = small_edition();
        edition.title = next();
        edition.issuers = vec![next(), next()];
        edition.region.county = Some(next());
        edition.contents[0].title = next();
        edition.sections[1].title = next();
        for section in &mut edition.sections {
            let cooperative = section.kind == SectionKind::Cooperative;
            for item in &mut section.items {
                item.name = next();
                item.category = Some(next());
                if !cooperative {
                    continue;
                }
                item.superior_departments = Some(vec![next(), next()]);
                let duty = item.township_duties.as_mut().unwrap();
                duty.blocks[0].heading = Some(next());
                duty.blocks[0].steps = vec![next(), next()];
                item.extra = BTreeMap::from([(next(), next())]);
            }
        }
        let markdown = rendered(Format::Markdown, &edition);
        prop_assert!(!markdown.contains('\0'), "no NUL in the file");
        let found = elements(&markdown);
        let want = expected_elements(&edition);
        prop_assert_eq!(&found.headings, &want.headings, "{}", markdown);
        prop_assert_eq!(&found.items, &want.items, "{}", markdown);
        prop_assert_eq!(&found.paragraphs, &want.paragraphs, "{}", markdown);
        prop_assert_eq!(found.tables.len(), want.tables.len(), "{}", markdown);
        for ((table, rows), section) in found
            .tables
            .iter()
            .zip(&want.tables)
            .zip(edition.sections.iter().filter(|s| s.kind != SectionKind::Cooperative))
        {
            prop_assert_eq!(table.len(), rows.len(), "a row per item: {}", markdown);
            prop_assert_eq!(&table[0], &rows[0], "the header: {}", markdown);
            for (row, item) in table[1..].iter().zip(&section.items) {
                prop_assert_eq!(row.len(), section.columns.len(), "{}", markdown);
                prop_assert_eq!(&row[0], &item.seq.to_string());
                prop_assert_eq!(&row[1], &shown(item.category.as_deref().unwrap(), false));
                prop_assert_eq!(&row[2], &shown(&item.name, false));
            }
        }
    }
}

#[test]
fn a_br_in_a_name_category_or_department_cell_stays_in_its_heading_or_list_item() {
    let text = sample()
        .replacen(
            "1\t党的建设\t推荐县级以上党代表工作\t伊吾县委组织部",
            "1\t党的建设<br>- 组织\t推荐县级以上<br>- 党代表工作\t伊吾县委组织部<br>1. 县委",
            1,
        )
        .replacen("2\t党的建设\t以铸牢", "2\t党的建设<br># 宣传\t- 以铸牢", 1);
    let dir = TestDir::new();
    dir.write("in/br.txt", text);
    let run = dir.qingdan(&["convert", "in/br.txt", "-o", "out", "--to", "md"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let markdown = String::from_utf8(dir.read("out/br.md")).unwrap();
    let found = elements(&markdown);
    let expected = elements(&rendered(Format::Markdown, &sample_edition()));
    assert_eq!(
        found.headings.len(),
        expected.headings.len(),
        "no extra heading"
    );
    assert_eq!(
        found.items.len(),
        expected.items.len(),
        "no extra list item"
    );
    assert_eq!(found.paragraphs.len(), expected.paragraphs.len());
    assert!(found
        .headings
        .contains(&(3, "1. 推荐县级以上 - 党代表工作".to_owned())));
    assert!(found
        .items
        .contains(&"**事项类别**：党的建设\n- 组织".to_owned()));
    assert!(found
        .items
        .contains(&"**对应上级部门**：伊吾县委组织部\n1. 县委".to_owned()));
    let basic = &found.tables[0];
    assert_eq!(basic.len(), expected.tables[0].len(), "no extra table row");
    assert_eq!(basic[2][1], "党的建设\n# 宣传");
    assert!(basic[2][2].starts_with("- 以铸牢"), "{:?}", basic[2][2]);
}
