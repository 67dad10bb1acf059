//! The output schema: it describes every output exactly, and `qingdan
//! validate` reads generated files against it.

use serde_json::{json, Value};

use crate::support::{sample_bytes, sample_edition, stderr, stdout, TestDir};

/// The sample's records as a JSON value.
fn sample_value() -> Value {
    serde_json::to_value(sample_edition()).unwrap()
}

/// The instance paths of the schema errors of `value`.
fn broken_at(value: &Value) -> Vec<String> {
    qingdan::check_value(value)
        .into_iter()
        .map(|e| e.instance_path)
        .collect()
}

#[test]
fn schema_is_the_file_in_schemas_and_qingdan_schema_prints_it() {
    let file = std::fs::read_to_string(crate::support::repo().join("schemas/qingdan.schema.json"))
        .unwrap();
    assert_eq!(qingdan::SCHEMA, file);
    let run = TestDir::new().qingdan(&["schema"]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(stdout(&run), file);
    let run = TestDir::new().qingdan(&["--format", "json", "schema"]);
    assert_eq!(stdout(&run), file);
    let schema: Value = serde_json::from_str(&file).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn every_object_in_the_schema_forbids_unknown_keys() {
    fn walk(node: &Value, path: &str, open: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("object"))
                    && map.get("additionalProperties") != Some(&json!(false))
                    && !path.ends_with("/extra")
                {
                    open.push(path.to_owned());
                }
                for (k, v) in map {
                    walk(v, &format!("{path}/{k}"), open);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}/{i}"), open);
                }
            }
            _ => {}
        }
    }
    let mut open = Vec::new();
    walk(
        &serde_json::from_str(qingdan::SCHEMA).unwrap(),
        "",
        &mut open,
    );
    assert_eq!(open, Vec::<String>::new());
}

#[test]
fn sample_records_validate() {
    assert_eq!(broken_at(&sample_value()), Vec::<String>::new());
}

#[test]
fn every_output_of_the_sample_validates() {
    let dir = TestDir::new();
    dir.write("input/hami.txt", sample_bytes());
    let build = dir.qingdan(&["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    // The JSON and YAML outputs read back to values the schema accepts.
    let json: Value = serde_json::from_slice(&dir.read("output/hami.json")).unwrap();
    assert_eq!(broken_at(&json), Vec::<String>::new());
    let yaml: Value =
        serde_yaml::from_str(std::str::from_utf8(&dir.read("output/hami.yaml")).unwrap()).unwrap();
    assert_eq!(broken_at(&yaml), Vec::<String>::new());
    assert_eq!(json, yaml);
    // An independent validator agrees.
    crate::support::assert_outputs_match_schemas(&dir.path().join("output"));
    // And `qingdan validate` says so.
    let run = dir.qingdan(&["validate", "output/hami.json", "output/hami.yaml"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(stderr(&run), "");
}

#[test]
fn committed_outputs_validate() {
    let dir = crate::support::repo().join("output");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_str(&text).unwrap(),
            Some("yaml") => serde_yaml::from_str(&text).unwrap(),
            _ => continue,
        };
        assert_eq!(
            broken_at(&value),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn committed_outputs_match_the_schemas_for_python_jsonschema() {
    crate::support::assert_outputs_match_schemas(&crate::support::repo().join("output"));
}

#[test]
fn the_index_has_its_own_schema() {
    let index: Value = serde_json::from_slice(
        &std::fs::read(crate::support::repo().join("output/index.json")).unwrap(),
    )
    .unwrap();
    assert!(qingdan::is_index(&index));
    assert_eq!(broken_at(&index), Vec::<String>::new());
    let mut unknown = index.clone();
    unknown["editions"][0]["comment"] = json!("x");
    assert_eq!(broken_at(&unknown), vec!["/editions/0"]);
    let mut status = index;
    status["editions"][0]["status"] = json!("skipped");
    assert_eq!(broken_at(&status), vec!["/editions/0/status"]);
}

#[test]
fn validate_takes_every_committed_output_index_included() {
    let dir = TestDir::new();
    for name in [
        "hami-yiwu-yanchi.json",
        "hami-yiwu-yanchi.yaml",
        "index.json",
    ] {
        dir.write(
            name,
            std::fs::read(crate::support::repo().join("output").join(name)).unwrap(),
        );
    }
    let run = dir.qingdan(&[
        "validate",
        "hami-yiwu-yanchi.json",
        "hami-yiwu-yanchi.yaml",
        "index.json",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
}

#[test]
fn rejects_an_item_without_a_name() {
    let mut value = sample_value();
    value["sections"][1]["items"][3]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert_eq!(broken_at(&value), vec!["/sections/1/items/3"]);
    value["sections"][1]["items"][3]["name"] = json!("");
    assert_eq!(broken_at(&value), vec!["/sections/1/items/3/name"]);
}

#[test]
fn rejects_a_string_item_number() {
    let mut value = sample_value();
    value["sections"][0]["items"][9]["seq"] = json!("10");
    assert_eq!(broken_at(&value), vec!["/sections/0/items/9/seq"]);
}

#[test]
fn rejects_an_unknown_top_level_key() {
    let mut value = sample_value();
    value["generator"] = json!("qingdan");
    let errors = qingdan::check_value(&value);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].instance_path, "");
    assert!(
        errors[0].message.contains("generator"),
        "{}",
        errors[0].message
    );
}

#[test]
fn rejects_an_unknown_section_kind() {
    let mut value = sample_value();
    value["sections"][2]["kind"] = json!("revoked");
    assert_eq!(broken_at(&value), vec!["/sections/2/kind"]);
}

#[test]
fn optional_fields_are_omitted_and_region_fields_are_null() {
    let mut value = sample_value();
    let item = value["sections"][0]["items"][0].as_object_mut().unwrap();
    assert!(!item.contains_key("township_duties") && !item.contains_key("extra"));
    item.insert("township_duties".into(), Value::Null);
    assert_eq!(
        broken_at(&value),
        vec!["/sections/0/items/0/township_duties"]
    );
    let mut value = sample_value();
    value["region"]["township"] = Value::Null;
    assert_eq!(broken_at(&value), Vec::<String>::new());
    value["region"].as_object_mut().unwrap().remove("county");
    assert_eq!(broken_at(&value), vec!["/region"]);
}

#[test]
fn validate_reports_schema_errors_at_their_lines_in_json_and_yaml() {
    let dir = TestDir::new();
    dir.write("input/hami.txt", sample_bytes());
    assert_eq!(dir.qingdan(&["build"]).status.code(), Some(0));
    let json = String::from_utf8(dir.read("output/hami.json")).unwrap();
    let broken_json = json.replacen("\"seq\": 10,", "\"seq\": \"10\",", 1);
    let line = broken_json
        .lines()
        .position(|l| l.contains("\"seq\": \"10\""))
        .unwrap()
        + 1;
    let column = broken_json
        .lines()
        .nth(line - 1)
        .unwrap()
        .find('"')
        .unwrap()
        + 1;
    dir.write("broken.json", &broken_json);
    let yaml = String::from_utf8(dir.read("output/hami.yaml")).unwrap();
    let broken_yaml = yaml.replacen("- kind: withdrawn", "- kind: revoked", 1);
    let yaml_line = broken_yaml
        .lines()
        .position(|l| l == "- kind: revoked")
        .unwrap()
        + 1;
    dir.write("broken.yaml", &broken_yaml);
    let before = dir.snapshot();

    let run = dir.qingdan(&["validate", "broken.json", "broken.yaml"]);
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("`/sections/0/items/9/seq`"), "{err}");
    assert!(
        err.contains(&format!("--> broken.json:{line}:{column}\n")),
        "{err}"
    );
    assert!(err.contains("`/sections/2/kind`"), "{err}");
    assert!(
        err.contains(&format!("--> broken.yaml:{yaml_line}:3\n")),
        "{err}"
    );
    assert_eq!(dir.snapshot(), before);
}

#[test]
fn validate_reports_a_syntax_error_at_its_line() {
    let dir = TestDir::new();
    dir.write("broken.json", "{\n  \"a\": 1,\n  oops\n}\n");
    let run = dir.qingdan(&["--format", "json", "validate", "broken.json"]);
    assert_eq!(run.status.code(), Some(1));
    let all: Vec<Value> = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(
        (&all[0]["code"], &all[0]["line"]),
        (&json!("E010"), &json!(3))
    );
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    for (file, generated, command) in [
        (
            "schemas/qingdan.schema.json",
            qingdan::edition_schema(),
            "cargo run -- schema > schemas/qingdan.schema.json",
        ),
        (
            "schemas/index.schema.json",
            qingdan::index_schema(),
            "cargo run -- schema --index > schemas/index.schema.json",
        ),
    ] {
        let committed = std::fs::read_to_string(crate::support::repo().join(file)).unwrap();
        assert!(
            committed == generated,
            "{file} is not the schema the record types generate; regenerate it with `{command}`"
        );
    }
}
