//! `qingdan diff`: a revised edition reports exactly its revisions, in every
//! format; formatting-only differences report nothing.

use std::process::Output;

use qingdan::internals::Encoding;
use qingdan::{Edition, Format, SectionKind};
use serde_json::{json, Value};

use crate::support::{convert_ok, rendered, sample, sample_edition, stdout, TestDir};

/// The name given to the item inserted into the basic list.
const INSERTED: &str = "做好退役军人服务保障工作";
/// The basic item moved from 党的建设 to the end of 平安法治.
const MOVED: &str = "做好“双拥”工作";
/// Basic item 60's name, and what it is reworded to.
const REWORDED: (&str, &str) = (
    "做好农村道路交通安全宣传教育、隐患排查治理等工作",
    "做好农村道路交通安全宣传教育、隐患排查整治等工作",
);
/// The withdrawn item appended after item 48.
const APPENDED: &str = "对销售不合格农资产品的处罚";
/// The phrase of cooperative item 15's 乡镇配合职责 that is reworded.
const DUTY_EDIT: (&str, &str) = ("开展高龄津贴政策宣传；", "开展高龄津贴政策入户宣传；");

/// The item number in a row's first cell, if `line` starts a row.
fn row_seq(line: &str) -> Option<u32> {
    let (first, _) = line.split_once('\t')?;
    first.trim().parse().ok()
}

/// Is line `i` a page title (its next non-blank line being a header row)?
fn is_page_title(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    !line.is_empty()
        && !line.contains('\t')
        && line.ends_with("清单")
        && lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.starts_with("序号\t"))
}

/// The sample revised: basic items 8 and 30 dropped, an item inserted after
/// 20, item 24 moved to the end of 平安法治 (after 43), item 60 reworded, all
/// basic rows renumbered 1…108; cooperative item 15's duty reworded; a
/// withdrawn item 49 appended.
fn revised(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let cooperative = lines
        .iter()
        .position(|l| l.ends_with("配合履职事项清单") && !l.contains('\t'))
        .expect("a cooperative page");
    let mut out: Vec<String> = Vec::new();
    let mut next_seq = 1;
    let mut push_basic = |out: &mut Vec<String>, rest: &str| {
        out.push(format!("{next_seq}\t{rest}"));
        next_seq += 1;
    };
    for (i, line) in lines.iter().enumerate() {
        let seq = row_seq(line);
        match seq {
            Some(seq) if i < cooperative => {
                let rest = line.split_once('\t').unwrap().1;
                match seq {
                    8 | 24 | 30 => {}
                    20 => {
                        push_basic(&mut out, rest);
                        push_basic(&mut out, &format!("党的建设\t{INSERTED}"));
                    }
                    43 => {
                        push_basic(&mut out, rest);
                        push_basic(&mut out, &format!("平安法治\t{MOVED}"));
                    }
                    60 => push_basic(&mut out, &rest.replace(REWORDED.0, REWORDED.1)),
                    _ => push_basic(&mut out, rest),
                }
            }
            Some(15) if line.contains("老年人高龄津贴的发放管理") => {
                assert!(line.contains(DUTY_EDIT.0));
                out.push(line.replace(DUTY_EDIT.0, DUTY_EDIT.1));
            }
            _ => out.push(line.to_string()),
        }
    }
    let mut revised = out.join("\n");
    revised.push_str(&format!(
        "\n49\t市场监管\t{APPENDED}\t伊吾县市场监督管理局：负责本行政区域{APPENDED}。\n"
    ));
    revised
}

/// `text` with every other page header removed, so pairs of pages merge;
/// a header is kept where the next page continues the row the page before
/// ends with, or starts another list.
fn repaginated(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let titles: Vec<usize> = (0..lines.len())
        .filter(|&i| is_page_title(&lines, i))
        .collect();
    let mut drop = vec![false; lines.len()];
    for (k, &i) in titles.iter().enumerate().skip(1).step_by(2) {
        let header = i
            + 1
            + lines[i + 1..]
                .iter()
                .position(|l| l.starts_with("序号\t"))
                .unwrap();
        let first_row = lines[header + 1..].iter().find_map(|l| row_seq(l));
        let last_row = lines[..i].iter().rev().find_map(|l| row_seq(l));
        let same_list = lines[titles[k - 1]] == lines[i];
        if same_list && first_row != last_row {
            drop[i..=header].iter_mut().for_each(|d| *d = true);
        }
    }
    lines
        .iter()
        .zip(&drop)
        .filter(|(_, &d)| !d)
        .map(|(l, _)| *l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `qingdan diff OLD NEW --to FORMAT` on two files in `dir`.
fn diff(dir: &TestDir, old: &str, new: &str, format: &str) -> Output {
    dir.qingdan(&["diff", old, new, "--to", format])
}

/// The name of item `seq` of the sample's list `kind`.
fn name(edition: &Edition, kind: SectionKind, seq: u32) -> String {
    let section = edition.sections.iter().find(|s| s.kind == kind).unwrap();
    section
        .items
        .iter()
        .find(|i| i.seq == seq)
        .unwrap()
        .name
        .clone()
}

/// The JSON report the revision must give.
fn expected_report(old: &Edition) -> Value {
    let basic = |seq| name(old, SectionKind::Basic, seq);
    let renumbered: Vec<Value> = (9..=109)
        .filter(|seq| ![24, 30, 60].contains(seq))
        .filter(|seq| !(21..=23).contains(seq))
        .map(|seq| {
            let new_seq = match seq {
                31..=43 => seq - 2,
                _ => seq - 1,
            };
            json!({ "old_seq": seq, "new_seq": new_seq, "name": basic(seq) })
        })
        .collect();
    let cooperative = old
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Cooperative)
        .unwrap();
    let duty = cooperative.items[14]
        .township_duties
        .as_ref()
        .unwrap()
        .text
        .clone();
    json!({
        "summary": { "added": 2, "removed": 2, "changed": 3, "renumbered": 95 },
        "sections": [
            {
                "kind": "basic",
                "added": [ { "seq": 20, "name": INSERTED } ],
                "removed": [ { "seq": 8, "name": basic(8) }, { "seq": 30, "name": basic(30) } ],
                "changed": [
                    { "old_seq": 24, "new_seq": 42, "name": MOVED,
                      "fields": [ { "field": "category", "old": "党的建设", "new": "平安法治" } ] },
                    { "old_seq": 60, "new_seq": 59, "name": REWORDED.1,
                      "fields": [ { "field": "name", "old": REWORDED.0, "new": REWORDED.1 } ] }
                ],
                "renumbered": renumbered
            },
            {
                "kind": "cooperative",
                "added": [],
                "removed": [],
                "changed": [
                    { "old_seq": 15, "new_seq": 15, "name": "老年人高龄津贴的发放管理",
                      "fields": [ { "field": "township_duties",
                                    "old": duty,
                                    "new": duty.replace(DUTY_EDIT.0, DUTY_EDIT.1) } ] }
                ],
                "renumbered": []
            },
            {
                "kind": "withdrawn",
                "added": [ { "seq": 49, "name": APPENDED } ],
                "removed": [],
                "changed": [],
                "renumbered": []
            }
        ],
        "front_matter": []
    })
}

/// A directory holding the sample as `old.txt` and its revision as `new.txt`.
fn revision_dir() -> TestDir {
    let dir = TestDir::new();
    dir.write("old.txt", sample());
    dir.write("new.txt", revised(&sample()));
    dir
}

#[test]
fn revision_converts_with_the_edits_in_place() {
    let edition = convert_ok("new.txt", revised(&sample()).as_bytes());
    let basic = &edition.sections[0];
    assert_eq!(basic.items.len(), 108);
    assert_eq!(
        (basic.items[19].seq, basic.items[19].name.as_str()),
        (20, INSERTED)
    );
    assert_eq!(
        (basic.items[41].seq, basic.items[41].category.as_deref()),
        (42, Some("平安法治"))
    );
    assert_eq!(edition.sections[2].items.len(), 49);
}

#[test]
fn json_reports_exactly_the_revisions() {
    let dir = revision_dir();
    let output = diff(&dir, "old.txt", "new.txt", "json");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report, expected_report(&sample_edition()));
}

#[test]
fn text_marks_the_changed_characters() {
    let dir = revision_dir();
    let output = diff(&dir, "old.txt", "new.txt", "text");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    for expected in [
        "basic 哈密市伊吾县盐池镇基本履职事项清单: 1 added, 2 removed, 2 changed, 95 renumbered",
        "  - 8 负责村“两委”干部及其后备干部“选育管用”工作",
        "  - 30 负责学生服务管理工作",
        "  + 20 做好退役军人服务保障工作",
        "  ~ 24 → 42 做好“双拥”工作",
        "      category: [-党的建设-]{+平安法治+}",
        "  ~ 60 → 59 做好农村道路交通安全宣传教育、隐患排查整治等工作",
        "      name: …通安全宣传教育、隐患排查[-治理-]{+整治+}等工作",
        "  renumbered: 9–20 → 8–19, 25–29 → 24–28, 31–43 → 29–41, 44–59 → 43–58, 61–109 → 60–108",
        "cooperative 哈密市伊吾县盐池镇配合履职事项清单: 0 added, 0 removed, 1 changed, 0 renumbered",
        "  ~ 15 老年人高龄津贴的发放管理",
        "      township_duties: 1. 开展高龄津贴政策{+入户+}宣传；2. 指导村变更系…",
        "withdrawn 哈密市伊吾县盐池镇上级部门收回事项清单: 1 added, 0 removed, 0 changed, 0 renumbered",
        "  + 49 对销售不合格农资产品的处罚",
        "summary: 2 added, 2 removed, 3 changed, 95 renumbered",
    ] {
        assert!(lines.contains(&expected), "missing line {expected:?} in:\n{text}");
    }
    assert_eq!(lines.len(), 15, "{text}");
}

#[test]
fn text_is_red_and_green_when_colour_is_forced() {
    let dir = revision_dir();
    let output = dir.qingdan(&["diff", "old.txt", "new.txt", "--color", "always"]);
    assert!(stdout(&output)
        .contains("      category: \x1b[31m党的建设\x1b[0m\x1b[32m平安法治\x1b[0m\n"));
}

#[test]
fn markdown_report_opens_with_a_summary_table() {
    let dir = revision_dir();
    let output = diff(&dir, "old.txt", "new.txt", "markdown");
    assert_eq!(output.status.code(), Some(1));
    let markdown = stdout(&output);
    assert!(markdown.starts_with(
        "# Changes between editions\n\n\
         | List | Added | Removed | Changed | Renumbered |\n\
         |---|---:|---:|---:|---:|\n\
         | basic — 哈密市伊吾县盐池镇基本履职事项清单 | 1 | 2 | 2 | 95 |\n\
         | cooperative — 哈密市伊吾县盐池镇配合履职事项清单 | 0 | 0 | 1 | 0 |\n\
         | withdrawn — 哈密市伊吾县盐池镇上级部门收回事项清单 | 1 | 0 | 0 | 0 |\n\
         | **Total** | **2** | **2** | **3** | **95** |\n"
    ));
    for expected in [
        "| 8 | 负责村“两委”干部及其后备干部“选育管用”工作 |",
        "| 20 | 做好退役军人服务保障工作 |",
        "#### 24 → 42 做好“双拥”工作",
        "- **category**: <del>党的建设</del><ins>平安法治</ins>",
        "- **name**: …通安全宣传教育、隐患排查<del>治理</del><ins>整治</ins>等工作",
        "- **township\\_duties**: 1. 开展高龄津贴政策<ins>入户</ins>宣传；2. 指导村变更系…",
        "9–20 → 8–19, 25–29 → 24–28, 31–43 → 29–41, 44–59 → 43–58, 61–109 → 60–108",
        "| 10 | 9 | 做好人才引进、服务、管理和使用工作 |",
        "| 49 | 对销售不合格农资产品的处罚 |",
    ] {
        assert!(
            markdown.lines().any(|l| l == expected),
            "missing line {expected:?} in:\n{markdown}"
        );
    }
}

#[test]
fn markdown_marks_are_html_a_renderer_keeps() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let dir = revision_dir();
    let markdown = stdout(&diff(&dir, "old.txt", "new.txt", "markdown"));
    let events: Vec<Event<'_>> = Parser::new_ext(&markdown, Options::ENABLE_TABLES).collect();
    let tables = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::Table(_))))
        .count();
    // summary, then per list: basic removed + added + renumbered, withdrawn added
    assert_eq!(tables, 5);
    let marks: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::InlineHtml(html) => Some(html.as_ref()),
            _ => None,
        })
        .filter(|h| ["<del>", "<ins>"].contains(h))
        .collect();
    assert_eq!(marks, ["<del>", "<ins>", "<del>", "<ins>", "<ins>"]);
}

#[test]
fn an_edition_diffed_with_itself_reports_nothing() {
    let dir = TestDir::new();
    dir.write("a.txt", sample());
    dir.write("b.txt", sample());
    let output = diff(&dir, "a.txt", "b.txt", "text");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn gb18030_re_encoding_reports_nothing() {
    let dir = TestDir::new();
    dir.write("utf8.txt", sample());
    dir.write("gb.txt", Encoding::Gb18030.encode(&sample()));
    assert_eq!(
        convert_ok("gb.txt", &dir.read("gb.txt")).source.encoding,
        Some("GB18030".to_owned())
    );
    let output = diff(&dir, "utf8.txt", "gb.txt", "text");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn repaginated_copy_reports_nothing() {
    let copy = repaginated(&sample());
    let pages = |edition: &Edition| edition.sections.iter().filter_map(|s| s.last_page).max();
    assert_eq!(pages(&sample_edition()), Some(102));
    let merged = convert_ok("copy.txt", copy.as_bytes());
    assert!(
        pages(&merged) < Some(60),
        "pages merged: {:?}",
        pages(&merged)
    );
    let dir = TestDir::new();
    dir.write("a.txt", sample());
    dir.write("copy.txt", copy);
    let output = diff(&dir, "a.txt", "copy.txt", "json");
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["summary"],
        json!({ "added": 0, "removed": 0, "changed": 0, "renumbered": 0 })
    );
    assert_eq!(stdout(&diff(&dir, "a.txt", "copy.txt", "text")), "");
}

#[test]
fn json_outputs_diff_like_their_raw_editions() {
    let dir = revision_dir();
    let old = convert_ok("old.txt", &dir.read("old.txt"));
    let new = convert_ok("new.txt", &dir.read("new.txt"));
    dir.write("old.json", rendered(Format::Json, &old));
    dir.write("new.json", rendered(Format::Json, &new));
    for format in ["json", "text", "markdown"] {
        let raw = diff(&dir, "old.txt", "new.txt", format);
        let from_json = diff(&dir, "old.json", "new.json", format);
        let mixed = diff(&dir, "old.json", "new.txt", format);
        assert_eq!(stdout(&from_json), stdout(&raw), "{format}");
        assert_eq!(stdout(&mixed), stdout(&raw), "{format}");
        assert_eq!(from_json.status.code(), Some(1));
    }
}

#[test]
fn an_edition_that_fails_to_convert_prints_its_diagnostics_and_exits_2() {
    let dir = TestDir::new();
    dir.write("a.txt", sample());
    dir.write("broken.txt", "这不是清单\n");
    let output = diff(&dir, "a.txt", "broken.txt", "text");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert!(
        crate::support::stderr(&output).contains("error[E003]"),
        "{}",
        crate::support::stderr(&output)
    );
}

#[test]
fn a_json_input_that_is_not_an_edition_exits_2() {
    let dir = TestDir::new();
    dir.write("a.txt", sample());
    dir.write("b.json", "{\"title\": 1}");
    let output = diff(&dir, "a.txt", "b.json", "json");
    assert_eq!(output.status.code(), Some(2));
    let err = crate::support::stderr(&output);
    assert!(err.contains("error[E021]"), "{err}");
    assert!(err.contains("--> b.json:1:1"), "{err}");
    assert!(
        err.contains("found an object without `schema_version`"),
        "{err}"
    );
}
