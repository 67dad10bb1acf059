//! The three outputs: JSON and YAML load to the same value in a YAML 1.2 and
//! a YAML 1.1 reader, the Markdown has the expected shape, and every output
//! ends with one newline. (That outputs are the same bytes every run is
//! checked where it can fail: across `--jobs` in build.rs, and by `build
//! --check` in CI.)

use std::collections::BTreeMap;

use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use qingdan::{Edition, Format, SectionKind};
use serde_json::Value;

use crate::support::{rendered, sample_bytes, sample_edition, TestDir};

fn json_value(edition: &Edition) -> Value {
    serde_json::from_str(&rendered(Format::Json, edition)).expect("the JSON output parses")
}

fn yaml_value(edition: &Edition) -> Value {
    serde_yaml::from_str(&rendered(Format::Yaml, edition)).expect("the YAML output parses")
}

#[test]
fn yaml_and_json_of_the_sample_load_to_the_same_value() {
    let edition = sample_edition();
    let json = json_value(&edition);
    assert_eq!(json, serde_json::to_value(&edition).unwrap());
    assert_eq!(yaml_value(&edition), json);
}

/// Strings a YAML 1.1 reader turns into something else when left plain.
const TRICKY: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "NO",
    "Yes",
    "y",
    "n",
    "Y",
    "true",
    "False",
    "2024-01-01",
    "2024-01-01 12:30:00",
    "12:30",
    "1:20:30",
    "1_000",
    "0x1F",
    "0o17",
    "010",
    "+1",
    "1e3",
    ".5",
    ".inf",
    "-.Inf",
    ".NaN",
    "=",
    "<<",
    "~",
    "null",
    "Null",
    "",
    " ",
    "a: b",
    "a #b",
    "部门： 甲 #乙",
    "- 甲",
    "? 问",
    "! 叹",
    "& 锚",
    "* 星",
    "| 竖",
    "> 尖",
    "% 百",
    "@ 符",
    "` 引",
    "'单'",
    "\"双\"",
    "# 注",
    "[1, 2]",
    "{a: 1}",
    " 前空",
    "后空 ",
    "甲\n乙",
    "甲\n\n乙\n",
    "\n前换行",
    "tab\t制表",
    "反斜\\线",
    "\u{85}",
    "\u{2028}",
    "\u{feff}BOM",
];

/// The sample with [`TRICKY`] strings in names, headings, steps, lists and
/// `extra` keys and values.
fn tricky_edition() -> Edition {
    let mut edition = sample_edition();
    edition.title = "yes".to_owned();
    edition.issuers = vec!["no".to_owned(), "~".to_owned(), "2024-01-01".to_owned()];
    let basic = &mut edition.sections[0];
    assert_eq!(basic.kind, SectionKind::Basic);
    for (item, s) in basic.items.iter_mut().zip(TRICKY) {
        item.name = (*s).to_owned();
        item.category = Some(format!("{s}{s}"));
        item.extra = BTreeMap::from([((*s).to_owned(), (*s).to_owned())]);
    }
    let cooperative = &mut edition.sections[1];
    for (item, s) in cooperative.items.iter_mut().zip(TRICKY.iter().rev()) {
        item.superior_departments = Some(TRICKY.iter().map(|t| (*t).to_owned()).collect());
        let duty = item.township_duties.as_mut().unwrap();
        duty.blocks[0].heading = Some((*s).to_owned());
        duty.blocks[0].steps.push((*s).to_owned());
        duty.text = format!("{s}\n{s}");
    }
    edition
}

#[test]
fn yaml_of_strings_yaml_1_1_misreads_loads_back_exactly() {
    let edition = tricky_edition();
    let json = json_value(&edition);
    assert_eq!(json, serde_json::to_value(&edition).unwrap());
    assert_eq!(yaml_value(&edition), json);
    let back: Edition = serde_yaml::from_str(&rendered(Format::Yaml, &edition)).unwrap();
    assert_eq!(back, edition);
}

/// Asserts that the JSON output is serde_json's pretty output and a newline,
/// showing where they part when they do.
#[track_caller]
fn assert_json_is_serde_json(edition: &Edition) -> Result<(), TestCaseError> {
    let ours = rendered(Format::Json, edition);
    let theirs = serde_json::to_string_pretty(edition).unwrap() + "\n";
    if ours != theirs {
        let at = ours
            .bytes()
            .zip(theirs.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let around = |s: &str| {
            String::from_utf8_lossy(&s.as_bytes()[at.saturating_sub(40)..(at + 40).min(s.len())])
                .into_owned()
        };
        return Err(TestCaseError::fail(format!(
            "JSON differs from serde_json at byte {at}:\n  ours:   {:?}\n  theirs: {:?}",
            around(&ours),
            around(&theirs)
        )));
    }
    Ok(())
}

#[test]
fn json_is_serde_json_pretty_output_byte_for_byte() {
    assert_json_is_serde_json(&sample_edition()).unwrap();
    assert_json_is_serde_json(&tricky_edition()).unwrap();
}

/// Strings of 0 to 40 characters, mostly ASCII (every control character,
/// `"` and `\` among them) so that escapes fall at every offset of an
/// eight-byte word, and UTF-8 of every length.
fn any_text() -> impl Strategy<Value = String> {
    let char = prop_oneof![
        4 => "[\\x00-\\x7f]",
        1 => "[\u{2028}\u{2029}é中：😀]",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(char, 0..=40).prop_map(|chars| chars.concat())
}

/// The sample cut to two items a section, small enough to clone per case
/// (converted once).
pub(crate) fn small_edition() -> Edition {
    static SMALL: std::sync::OnceLock<Edition> = std::sync::OnceLock::new();
    SMALL
        .get_or_init(|| {
            let mut edition = sample_edition();
            for section in &mut edition.sections {
                section.items.truncate(2);
            }
            edition
        })
        .clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn json_of_any_text_is_serde_json_pretty_output(
        texts in prop::collection::vec(any_text(), 12),
        omit in any::<bool>(),
    ) {
        let mut edition = small_edition();
        let text = |i: usize| texts[i].clone();
        edition.title = text(0);
        edition.issuers = vec![text(1), text(2)];
        edition.region.county = Some(text(3));
        edition.region.township = (!omit).then(|| text(4));
        edition.source.path = text(5);
        edition.contents[0].title = text(6);
        edition.sections[0].columns.push(text(7));
        for section in &mut edition.sections {
            for item in &mut section.items {
                item.name = text(8);
                item.category = (!omit).then(|| text(9));
                item.extra = BTreeMap::from([(text(10), text(11)), (String::new(), text(0))]);
                item.superior_departments = (!omit).then(|| vec![text(1), String::new()]);
                for duty in [&mut item.superior_duties, &mut item.township_duties].into_iter().flatten() {
                    duty.text = text(2);
                    duty.blocks.push(qingdan::DutyBlock { heading: (!omit).then(|| text(3)), steps: vec![text(4)] });
                    duty.blocks.push(qingdan::DutyBlock { heading: None, steps: Vec::new() });
                }
                if let Some(handover) = &mut item.handover {
                    handover.text = text(5);
                    handover.receivers.push(qingdan::Receiver { department: text(6), duty: text(7) });
                    if omit {
                        handover.receivers.clear();
                    }
                }
            }
        }
        assert_json_is_serde_json(&edition)?;
    }
}

/// Loads YAML with PyYAML's safe loaders (the C one too, where built),
/// turning anything that is no JSON value into a visible string. `None`
/// when PyYAML is missing outside CI.
pub(crate) fn pyyaml(yaml: &str) -> Option<Vec<(String, Value)>> {
    if !crate::support::python3_with("yaml", "PyYAML", "YAML 1.1 check") {
        return None;
    }
    let dir = TestDir::new();
    let path = dir.write("out.yaml", yaml);
    let script = r#"
import json, sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
loaders = [("SafeLoader", yaml.SafeLoader)]
if hasattr(yaml, "CSafeLoader"):
    loaders.append(("CSafeLoader", yaml.CSafeLoader))
show = lambda o: "<%s %r>" % (type(o).__name__, o)
for name, loader in loaders:
    value = yaml.load(text, Loader=loader)
    print(name + "\t" + json.dumps(value, ensure_ascii=False, default=show))
"#;
    let stdout = crate::support::python(script, &[path.as_os_str()]);
    Some(
        stdout
            .lines()
            .map(|line| {
                let (name, json) = line.split_once('\t').unwrap();
                (name.to_owned(), serde_json::from_str(json).unwrap())
            })
            .collect(),
    )
}

fn assert_pyyaml_reads_json(edition: &Edition) {
    let Some(loaded) = pyyaml(&rendered(Format::Yaml, edition)) else {
        return;
    };
    let json = json_value(edition);
    assert!(!loaded.is_empty());
    for (loader, value) in loaded {
        if value != json {
            crate::support::assert_same(&json, &value, &format!("PyYAML {loader} and JSON"));
        }
    }
}

#[test]
fn pyyaml_reads_the_sample_yaml_as_the_json() {
    assert_pyyaml_reads_json(&sample_edition());
}

#[test]
fn pyyaml_reads_strings_yaml_1_1_misreads_exactly() {
    assert_pyyaml_reads_json(&tricky_edition());
}

/// What the Markdown shows: per table its body rows' first cells, and the
/// third-level headings.
struct MarkdownShape {
    tables: Vec<Vec<String>>,
    h3: Vec<String>,
}

fn markdown_shape(markdown: &str) -> MarkdownShape {
    let mut shape = MarkdownShape {
        tables: Vec::new(),
        h3: Vec::new(),
    };
    let mut in_h3 = false;
    let mut first_cell: Option<String> = None;
    let (mut in_row, mut cell_index) = (false, 0);
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Table(_)) => shape.tables.push(Vec::new()),
            Event::Start(Tag::TableRow) => {
                (in_row, cell_index) = (true, 0);
                first_cell = Some(String::new());
            }
            Event::End(TagEnd::TableRow) => {
                in_row = false;
                let table = shape.tables.last_mut().unwrap();
                table.push(first_cell.take().unwrap());
            }
            Event::End(TagEnd::TableCell) => cell_index += 1,
            Event::Start(Tag::Heading { level, .. }) if level as u32 == 3 => {
                in_h3 = true;
                shape.h3.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_h3 = false,
            Event::Text(text) | Event::Code(text) => {
                if in_h3 {
                    shape.h3.last_mut().unwrap().push_str(&text);
                }
                if in_row && cell_index == 0 {
                    first_cell.as_mut().unwrap().push_str(&text);
                }
            }
            _ => {}
        }
    }
    shape
}

#[test]
fn markdown_has_a_table_row_per_listed_item_and_a_heading_per_cooperative_item() {
    let edition = sample_edition();
    let shape = markdown_shape(&rendered(Format::Markdown, &edition));
    let seqs = |kind: SectionKind| -> Vec<String> {
        edition
            .sections
            .iter()
            .find(|s| s.kind == kind)
            .unwrap()
            .items
            .iter()
            .map(|i| i.seq.to_string())
            .collect()
    };
    assert_eq!(
        shape.tables.len(),
        2,
        "one table per basic and withdrawn list"
    );
    assert_eq!(shape.tables[0].len(), 109);
    assert_eq!(shape.tables[0], seqs(SectionKind::Basic));
    assert_eq!(shape.tables[1].len(), 48);
    assert_eq!(shape.tables[1], seqs(SectionKind::Withdrawn));
    let cooperative: Vec<String> = edition.sections[1]
        .items
        .iter()
        .map(|i| format!("{}. {}", i.seq, i.name))
        .collect();
    assert_eq!(shape.h3.len(), 108);
    assert_eq!(shape.h3, cooperative);
}

#[test]
fn markdown_keeps_names_with_markdown_syntax_as_text() {
    let edition = tricky_edition();
    let shape = markdown_shape(&rendered(Format::Markdown, &edition));
    assert_eq!(shape.tables[0].len(), 109, "no name breaks the table");
    assert_eq!(shape.h3.len(), 108, "no name breaks a heading");
}

#[test]
fn every_output_ends_with_one_newline() {
    let edition = crate::support::convert_ok("hami-yiwu-yanchi.txt", &sample_bytes());
    for format in Format::ALL.into_iter().filter(|f| f.is_text()) {
        let text = rendered(format, &edition);
        assert!(text.ends_with('\n'), "{format} ends with a newline");
        assert!(!text.ends_with("\n\n"), "{format} ends with one newline");
    }
}
