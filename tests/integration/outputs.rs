//! Outputs valid whatever the data: YAML that YAML 1.1 readers load, and
//! Markdown in which the data's text stays text in its own element.

use crate::formats::pyyaml;
use crate::support::{sample, stderr, TestDir};

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
