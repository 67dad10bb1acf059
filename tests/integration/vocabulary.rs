//! Editions printed with other counties' templates: other list titles,
//! other column titles, a handover in two columns, and a user's own
//! vocabulary file. Each variant is built here from the sample's text and
//! must give the sample's records; the aliases come from the vocabulary
//! file itself, so a word added there is tested here without a new test.

use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use qingdan::{Edition, Field, SectionKind};

use crate::support::{
    assert_same, codes_and_messages, convert, convert_ok, sample, sample_edition, stderr, stdout,
    TestDir,
};

/// The built-in vocabulary file, read as plain TOML.
fn builtin() -> toml::Table {
    let text = std::fs::read_to_string(crate::support::repo().join("data/vocabulary.toml"))
        .expect("data/vocabulary.toml");
    text.parse().expect("the built-in vocabulary is TOML")
}

/// The strings of `table.key`, an array of strings.
fn words(table: &toml::Table, section: &str, key: &str) -> Vec<String> {
    table[section][key]
        .as_array()
        .unwrap_or_else(|| panic!("[{section}] {key} is an array"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

/// `text` with every header row (a line whose first cell is `序号`) passed
/// through `f`, cell by cell.
fn map_header_cells(text: &str, f: impl Fn(&str) -> String) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end_matches('\n');
            if body.starts_with("序号\t") {
                let cells: Vec<String> = body.split('\t').map(&f).collect();
                format!("{}{}", cells.join("\t"), &line[body.len()..])
            } else {
                line.to_owned()
            }
        })
        .collect()
}

/// The sample's records with column title `from` renamed `to`.
fn sample_with_column(from: &str, to: &str) -> Edition {
    let mut expected = sample_edition();
    for section in &mut expected.sections {
        for column in &mut section.columns {
            if column == from {
                *column = to.to_owned();
            }
        }
    }
    expected
}

/// Converts `text` as `path` and checks it gives `expected` with the
/// sample's diagnostics (no unknown column, no other kind of list).
fn assert_gives(path: &str, text: &str, expected: &Edition, what: &str) {
    let conversion = convert(path, text.as_bytes());
    let sample = convert("hami-yiwu-yanchi.txt", sample().as_bytes());
    assert_eq!(
        codes_and_messages(&conversion),
        codes_and_messages(&sample),
        "{what}: diagnostics"
    );
    let mut edition = convert_ok(path, text.as_bytes());
    edition.source = expected.source.clone();
    assert_same(expected, &edition, what);
}

#[test]
fn every_builtin_column_alias_gives_the_sample_records() {
    let vocabulary = builtin();
    // The sample's title for each field it has.
    let sample_titles = [
        ("category", "事项类别"),
        ("name", "事项名称"),
        ("superior_departments", "对应上级部门"),
        ("superior_duties", "上级部门职责"),
        ("township_duties", "乡镇配合职责"),
        ("handover", "承接部门及工作方式"),
    ];
    let mut tried = 0;
    for (field, title) in sample_titles {
        let aliases = words(&vocabulary, "columns", field);
        assert!(aliases.iter().any(|a| a == title), "{field} has {title}");
        for alias in aliases.iter().filter(|a| *a != title) {
            let text = map_header_cells(&sample(), |c| {
                if c == title {
                    alias.clone()
                } else {
                    c.to_owned()
                }
            });
            assert_ne!(text, sample(), "{alias} replaced something");
            let what = format!("{field} titled {alias}");
            assert_gives("alias.txt", &text, &sample_with_column(title, alias), &what);
            tried += 1;
        }
    }
    assert!(tried >= 8, "only {tried} aliases tried");
}

#[test]
fn township_words_are_folded_in_column_titles() {
    let vocabulary = builtin();
    let township = words(&vocabulary, "folding", "township");
    let first = &township[0];
    // Every spelling of the township, full-width brackets too, and spaces.
    let mut spellings: Vec<String> = township.clone();
    spellings.extend(
        township
            .iter()
            .filter(|w| w.contains('('))
            .map(|w| w.replace('(', "（").replace(')', "）")),
    );
    spellings.push(format!("{} ", first));
    assert!(spellings.iter().any(|s| s == "镇街"));
    assert!(spellings.iter().any(|s| s == "乡镇（街道）"));
    for spelling in &spellings[1..] {
        let from = "乡镇配合职责";
        let to = from.replacen(first.as_str(), spelling, 1);
        let text = map_header_cells(
            &sample(),
            |c| {
                if c == from {
                    to.clone()
                } else {
                    c.to_owned()
                }
            },
        );
        assert_gives(
            "folded.txt",
            &text,
            &sample_with_column(from, &to),
            &format!("township duties titled {to}"),
        );
    }
}

#[test]
fn list_titles_of_other_templates_resolve_by_keyword() {
    let variants = [
        ("基本履职事项清单", "基本履行职责事项清单"),
        ("配合履职事项清单", "配合履行职责事项清单"),
        ("基本履职事项清单", "基本职责事项清单"),
        ("上级部门收回事项清单", "上级收回事项清单"),
        ("上级部门收回事项清单", "上收事项清单"),
    ];
    for (from, to) in variants {
        let text = sample().replace(from, to);
        let mut expected = sample_edition();
        for section in &mut expected.sections {
            section.title = section.title.replace(from, to);
        }
        for entry in &mut expected.contents {
            entry.title = entry.title.replace(from, to);
        }
        assert_gives(
            "titles.txt",
            &text,
            &expected,
            &format!("lists titled {to}"),
        );
    }
}

/// The sample with its withdrawn list printed as two columns, `承接部门` |
/// `工作方式`: a handover with one `部门：` label split at it, any other in
/// the method column alone.
fn two_column_handover() -> String {
    let text = sample();
    let start = text
        .find("上级部门收回事项清单\n")
        .expect("the withdrawn list");
    let (before, withdrawn) = text.split_at(start);
    let withdrawn: String = withdrawn
        .split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end_matches('\n');
            let cells: Vec<&str> = body.split('\t').collect();
            if cells.len() != 4 {
                return line.to_owned();
            }
            let (department, method) = match cells[3] {
                "承接部门及工作方式" => ("承接部门", "工作方式"),
                cell if cell.matches('：').count() == 1 => cell.split_once('：').unwrap(),
                cell => ("", cell),
            };
            format!(
                "{}\t{department}\t{method}{}",
                cells[..3].join("\t"),
                &line[body.len()..]
            )
        })
        .collect();
    format!("{before}{withdrawn}")
}

#[test]
fn a_handover_in_two_columns_is_one_handover() {
    let text = two_column_handover();
    assert!(text.contains("\t伊吾县民政局\t负责本行政区域收养登记。\n"));
    let mut expected = sample_edition();
    let withdrawn = expected.sections.last_mut().unwrap();
    assert_eq!(
        withdrawn.columns.pop().as_deref(),
        Some("承接部门及工作方式")
    );
    withdrawn
        .columns
        .extend(["承接部门".to_owned(), "工作方式".to_owned()]);
    assert_eq!(withdrawn.fields.pop(), Some(Some(Field::Handover)));
    withdrawn
        .fields
        .extend([Some(Field::HandoverDepartment), Some(Field::HandoverMethod)]);
    assert_gives(
        "two-columns.txt",
        &text,
        &expected,
        "handover in two columns",
    );
}

/// The sample as a county prints it that qingdan does not know: its
/// cooperative list titled `协同履职事项清单`, the township's duties
/// `镇配合事项`.
fn unknown_template() -> String {
    let text = sample().replace("配合履职事项清单", "协同履职事项清单");
    map_header_cells(&text, |c| {
        if c == "乡镇配合职责" {
            "镇配合事项".to_owned()
        } else {
            c.to_owned()
        }
    })
}

/// The sample's records as the unknown template gives them, once taught.
fn unknown_template_records() -> Edition {
    let mut expected = sample_with_column("乡镇配合职责", "镇配合事项");
    for section in &mut expected.sections {
        section.title = section
            .title
            .replace("配合履职事项清单", "协同履职事项清单");
    }
    for entry in &mut expected.contents {
        entry.title = entry.title.replace("配合履职事项清单", "协同履职事项清单");
    }
    expected
}

const TEACHING: &str =
    "[columns]\ntownship_duties = [\"镇配合事项\"]\n\n[sections]\ncooperative = [\"协同履职\"]\n";

/// Converts `county.txt` in `dir` with `--vocab vocabulary` and checks it
/// gives the unknown template's records; returns them.
fn convert_taught(dir: &TestDir, vocabulary: &str, what: &str) -> Edition {
    let out = dir.qingdan(&[
        "--vocab",
        vocabulary,
        "convert",
        "county.txt",
        "-o",
        "out",
        "--to",
        "json",
    ]);
    assert!(out.status.success(), "{what}: {}", stderr(&out));
    let mut expected = unknown_template_records();
    let edition = records_of(dir, "out/county.json");
    expected.source = edition.source.clone();
    assert_same(&expected, &edition, what);
    edition
}

/// The records of the JSON output at `path`.
fn records_of(dir: &TestDir, path: &str) -> Edition {
    serde_json::from_slice(&dir.read(path)).expect("an edition")
}

#[test]
fn an_unknown_template_is_taught_by_vocab_file() {
    let untaught = convert("county.txt", unknown_template().as_bytes());
    let codes: Vec<String> = codes_and_messages(&untaught)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(codes.contains(&"W207".to_owned()), "untaught: {codes:?}");
    let unknown = untaught
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "W207")
        .unwrap();
    let help = unknown.help.as_deref().unwrap_or_default();
    assert!(
        help.contains("[columns]") && help.contains("`township_duties = [\"镇配合事项\"]`"),
        "{help}"
    );
    // Untaught, its list of kind `other` and its unknown column (kept under
    // `extra`) go into a workbook and come back the same.
    let records = untaught.edition.as_ref().expect("warnings only");
    assert_eq!(records.sections[1].kind, SectionKind::Other);
    assert!(records.sections[1].items[0]
        .extra
        .contains_key("镇配合事项"));
    crate::workbook::assert_reads_back(records, "county.xlsx");

    let dir = TestDir::new();
    dir.write("county.txt", unknown_template());
    dir.write("county.toml", TEACHING);
    let edition = convert_taught(&dir, "county.toml", "taught by --vocab");
    assert_eq!(edition.sections[1].kind, SectionKind::Cooperative);
}

#[test]
fn build_finds_qingdan_toml_at_the_root_of_its_input() {
    let dir = TestDir::new();
    dir.write("input/county.txt", unknown_template());
    dir.write("input/qingdan.toml", TEACHING);
    let out = dir.qingdan(&["build", "--input", "input", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("skipped"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("W207"), "{}", stderr(&out));
    let mut expected = unknown_template_records();
    let edition = records_of(&dir, "out/county.json");
    expected.source = edition.source.clone();
    assert_same(&expected, &edition, "taught by qingdan.toml");
    // The check reads the same vocabulary, so the outputs are current.
    let check = dir.qingdan(&["build", "--input", "input", "--output", "out", "--check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_broken_vocabulary_file_stops_the_run_at_its_line_and_column() {
    let cases = [
        (
            "[columns]\nname = [\"甲\"]\ntownshp = [\"乙\"]\n",
            "bad.toml:3:1",
        ),
        ("[sections]\ncooperative = \"协同\"\n", "bad.toml:2:15"),
        ("[columns\n", "bad.toml:1:"),
        ("[stations]\nbasic = [\"基本\"]\n", "bad.toml:1:"),
    ];
    for (file, at) in cases {
        let dir = TestDir::new();
        dir.write("input/x.txt", sample());
        dir.write("bad.toml", file);
        let before = dir.snapshot();
        for args in [
            &["--vocab", "bad.toml", "convert", "input/x.txt", "-o", "out"][..],
            &[
                "--vocab", "bad.toml", "build", "--input", "input", "--output", "out",
            ][..],
        ] {
            let out = dir.qingdan(args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{file:?} {args:?}: {err}");
            assert!(err.contains("error[E024]"), "{file:?}: {err}");
            assert!(err.contains(at), "{file:?} should be at {at}: {err}");
            assert_eq!(dir.snapshot(), before, "{file:?} {args:?}: nothing written");
        }
        // The same file as qingdan.toml stops build alike.
        dir.write("input/qingdan.toml", file);
        let out = dir.qingdan(&["build", "--input", "input", "--output", "out"]);
        assert_eq!(out.status.code(), Some(2), "{file:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("input/qingdan.toml:"),
            "{}",
            stderr(&out)
        );
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn vocab_prints_a_file_that_reads_back_as_the_vocabulary_in_force() {
    let dir = TestDir::new();
    dir.write("county.toml", TEACHING);
    let printed = dir.qingdan(&["--vocab", "county.toml", "vocab"]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let text = stdout(&printed);
    let table: toml::Table = text.parse().expect("qingdan vocab prints TOML");
    let township = words(&table, "columns", "township_duties");
    assert!(township.contains(&"镇配合事项".to_owned()), "{township:?}");
    assert!(
        township.contains(&"乡镇配合职责".to_owned()),
        "{township:?}"
    );
    assert!(words(&table, "sections", "cooperative").contains(&"协同履职".to_owned()));
    // Every built-in word is in it.
    let builtin = builtin();
    for section in ["sections", "columns"] {
        for (key, _) in builtin[section].as_table().unwrap() {
            for word in words(&builtin, section, key) {
                assert!(
                    words(&table, section, key).contains(&word),
                    "{section}.{key}: {word}"
                );
            }
        }
    }
    // Given back, it is the same vocabulary: printed again unchanged, and
    // it converts the county's template as the file it came from does.
    dir.write("printed.toml", &text);
    let again = dir.qingdan(&["--vocab", "printed.toml", "vocab"]);
    assert_eq!(stdout(&again), text);
    dir.write("county.txt", unknown_template());
    convert_taught(&dir, "printed.toml", "taught by the printed vocabulary");
}

/// Draws from proptest's deterministic generator, so the variants are the
/// same on every run.
struct Seeded(TestRng);

impl Seeded {
    fn new() -> Seeded {
        Seeded(TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    }

    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }
}

/// `title` as a county might print it: spaces between some characters,
/// brackets of the other width.
fn respelled(title: &str, rng: &mut Seeded) -> String {
    let mut out = String::new();
    for (i, c) in title.chars().enumerate() {
        if i > 0 && rng.below(6) == 0 {
            out.push(' ');
        }
        out.push(match (c, rng.below(2)) {
            ('(', 0) => '（',
            (')', 0) => '）',
            ('（', 0) => '(',
            ('）', 0) => ')',
            _ => c,
        });
    }
    out
}

#[test]
fn templates_drawn_from_the_vocabulary_give_the_sample_records() {
    let vocabulary = builtin();
    let township = words(&vocabulary, "folding", "township");
    let endings = [
        "履职事项清单",
        "履行职责事项清单",
        "职责事项清单",
        "事项清单",
    ];
    // The sample's list titles, each as the kind's keyword + its ending.
    let lists = [
        ("basic", "基本履职事项清单", ""),
        ("cooperative", "配合履职事项清单", ""),
        ("withdrawn", "上级部门收回事项清单", "上级部门"),
    ];
    let mut rng = Seeded::new();
    let (mut spaced, mut in_two) = (0, 0);
    for case in 0..24 {
        // Column titles: an alias per field, the township folded, respelled.
        let mut renamed: Vec<(String, String)> = Vec::new();
        for (field, title) in [
            ("category", "事项类别"),
            ("name", "事项名称"),
            ("superior_departments", "对应上级部门"),
            ("superior_duties", "上级部门职责"),
            ("township_duties", "乡镇配合职责"),
        ] {
            let mut alias = rng.pick(&words(&vocabulary, "columns", field)[..]).clone();
            if alias.starts_with(township[0].as_str()) {
                let spelling: &String = rng.pick(&township);
                alias = alias.replacen(township[0].as_str(), spelling, 1);
            }
            renamed.push((title.to_owned(), respelled(&alias, &mut rng)));
        }
        spaced += renamed.iter().filter(|(_, to)| to.contains(' ')).count();
        let two_columns = rng.below(2) == 0;
        in_two += usize::from(two_columns);
        let mut text = if two_columns {
            two_column_handover()
        } else {
            sample()
        };
        text = map_header_cells(&text, |c| {
            renamed
                .iter()
                .find(|(from, _)| from == c)
                .map_or(c.to_owned(), |(_, to)| to.clone())
        });
        // List titles: a keyword of the kind and an ending.
        let mut retitled = Vec::new();
        for (kind, title, prefix) in lists {
            let keyword = rng.pick(&words(&vocabulary, "sections", kind)[..]).clone();
            let new = format!("{prefix}{keyword}{}", rng.pick(&endings[..]));
            text = text.replace(title, &new);
            retitled.push((title, new));
        }

        let mut expected = sample_edition();
        for section in &mut expected.sections {
            for column in &mut section.columns {
                if let Some((_, to)) = renamed.iter().find(|(from, _)| from == column) {
                    *column = to.clone();
                }
            }
            for (from, to) in &retitled {
                section.title = section.title.replace(from, to);
            }
        }
        for entry in &mut expected.contents {
            for (from, to) in &retitled {
                entry.title = entry.title.replace(from, to);
            }
        }
        if two_columns {
            let withdrawn = expected.sections.last_mut().unwrap();
            withdrawn.columns.pop();
            withdrawn
                .columns
                .extend(["承接部门".to_owned(), "工作方式".to_owned()]);
            withdrawn.fields.pop();
            withdrawn
                .fields
                .extend([Some(Field::HandoverDepartment), Some(Field::HandoverMethod)]);
        }
        let what = format!(
            "case {case}: columns {renamed:?}, lists {retitled:?}, two columns {two_columns}"
        );
        assert_gives("drawn.txt", &text, &expected, &what);
        // Its workbook reads back into the same records, whatever the
        // template's titles.
        crate::workbook::assert_reads_back(&convert_ok("drawn.txt", text.as_bytes()), "drawn.xlsx");
    }
    // The draw reached what it is for.
    assert!(
        spaced > 10 && (4..20).contains(&in_two),
        "{spaced} spaced, {in_two} in two columns"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Whatever a vocabulary file holds, reading it never panics, and a
    /// refusal points inside the file.
    #[test]
    fn any_vocabulary_file_is_read_or_refused_at_a_place_inside_it(
        text in r##"(\[(columns|sections|x)\]\n|(township_duties|name|seq|cooperative|withdrawn|[a-z_]{1,12}) = (\[("[^"\\]{0,4}", ?){0,3}\]|"[^"]*"|[0-9]+)\n|[\[\]="#\n a-z]{0,8}){0,6}"##
    ) {
        match qingdan::Vocabulary::builtin().with_file("v.toml", &text) {
            Ok(vocabulary) => {
                // What it prints reads back as the same words.
                let printed = vocabulary.to_toml();
                let again = qingdan::Vocabulary::builtin().with_file("p.toml", &printed).unwrap();
                proptest::prop_assert_eq!(again.to_toml(), printed);
            }
            Err(error) => {
                let position = error.position().expect("a place");
                let lines = text.split('\n').count() as u32;
                proptest::prop_assert!(position.line >= 1 && position.line <= lines, "{:?} in {} lines", position, lines);
            }
        }
    }
}
