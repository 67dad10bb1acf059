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
    assert_eq!(broken_at(&unknown), vec!["/editions/0/comment"]);
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
    assert_eq!(errors[0].instance_path, "/generator");
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

/// One way to break a document: the value at `pointer` replaced (or, for
/// `None`, the key removed), breaking the schema keyword `keyword`; the
/// error is expected at `expected`.
struct Break {
    pointer: String,
    keyword: String,
    replacement: Option<Value>,
    expected: String,
}

/// Walks `instance` along the schema `node` (refs resolved in `root`) and
/// collects one [`Break`] per keyword per place in the schema (its first
/// instance): every `type`, `minLength`, `minimum`, `maximum`, `pattern`,
/// `enum`, `const`, `minItems`, `minProperties`, `uniqueItems`, `required`
/// key and closed object the documents meet.
fn breaks(
    root: &Value,
    node: &Value,
    place: &str,
    instance: &Value,
    pointer: &str,
    seen: &mut std::collections::HashSet<String>,
    out: &mut Vec<Break>,
) {
    if let Some(reference) = node["$ref"].as_str() {
        let name = reference.trim_start_matches("#/$defs/");
        let target = &root["$defs"][name];
        return breaks(root, target, reference, instance, pointer, seen, out);
    }
    if let Some(branches) = node["anyOf"].as_array().or(node["oneOf"].as_array()) {
        if !instance.is_null() {
            if let Some(branch) = branches.iter().find(|b| b["type"] != "null") {
                breaks(
                    root,
                    branch,
                    &format!("{place}/anyOf"),
                    instance,
                    pointer,
                    seen,
                    out,
                );
            }
        }
        return;
    }
    let mut add = |keyword: &str, replacement: Option<Value>, at: &str, expected: &str| {
        // The document itself is not replaced (that is no output at all).
        if !at.is_empty() && seen.insert(format!("{place} {keyword}")) {
            out.push(Break {
                pointer: at.to_owned(),
                keyword: keyword.to_owned(),
                replacement,
                expected: expected.to_owned(),
            });
        }
    };
    let types: Vec<&str> = match &node["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let wrong = if types.contains(&"string") {
            json!(12345)
        } else {
            json!("12345")
        };
        add("type", Some(wrong), pointer, pointer);
    }
    let replacements = [
        ("minLength", instance.is_string(), json!("")),
        (
            "minimum",
            instance.is_u64(),
            json!(node["minimum"].as_i64().map(|m| m - 1)),
        ),
        (
            "maximum",
            instance.is_u64(),
            json!(node["maximum"].as_u64().map(|m| m + 1)),
        ),
        ("pattern", instance.is_string(), json!("/..")),
        ("enum", instance.is_string(), json!("not-one-of-them")),
        ("const", instance.is_string(), json!("0")),
        ("minItems", instance.is_array(), json!([])),
        ("minProperties", instance.is_object(), json!({})),
    ];
    for (keyword, applies, replacement) in replacements {
        if applies && node.get(keyword).is_some() {
            add(keyword, Some(replacement), pointer, pointer);
        }
    }
    if node["uniqueItems"] == true {
        if let Some(first) = instance.as_array().and_then(|a| a.first()) {
            let mut twice = instance.as_array().unwrap().clone();
            twice.push(first.clone());
            let at = format!("{pointer}/{}", twice.len() - 1);
            add("uniqueItems", Some(Value::Array(twice)), pointer, &at);
        }
    }
    if let Some(object) = instance.as_object() {
        for key in node["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap();
            if object.contains_key(key) {
                add(
                    &format!("required {key}"),
                    None,
                    &format!("{pointer}/{key}"),
                    pointer,
                );
            }
        }
        if node["additionalProperties"] == false {
            let at = format!("{pointer}/unexpected");
            add("additionalProperties", Some(json!(1)), &at, &at);
        }
        for (key, sub) in node["properties"].as_object().into_iter().flatten() {
            if let Some(value) = object.get(key) {
                let place = format!("{place}/properties/{key}");
                breaks(
                    root,
                    sub,
                    &place,
                    value,
                    &format!("{pointer}/{key}"),
                    seen,
                    out,
                );
            }
        }
    }
    if let Some(items) = instance.as_array() {
        for (i, item) in items.iter().enumerate() {
            let place = format!("{place}/items");
            breaks(
                root,
                &node["items"],
                &place,
                item,
                &format!("{pointer}/{i}"),
                seen,
                out,
            );
        }
    }
}

/// `value` broken as `b` says.
fn broken(value: &Value, b: &Break) -> Value {
    let mut value = value.clone();
    let (parent, key) = b.pointer.rsplit_once('/').unwrap();
    let parent = value.pointer_mut(parent).unwrap();
    match (&b.replacement, parent) {
        (Some(replacement), Value::Object(map)) => {
            map.insert(key.to_owned(), replacement.clone());
        }
        (Some(replacement), Value::Array(list)) => {
            list[key.parse::<usize>().unwrap()] = replacement.clone()
        }
        (None, Value::Object(map)) => {
            map.remove(key);
        }
        (_, other) => panic!("cannot break {} in {other}", b.pointer),
    }
    value
}

#[test]
fn the_rules_reject_at_its_place_whatever_the_schema_rejects() {
    // A small edition with a key under `extra`, and the committed index.
    let mut edition = serde_json::to_value(crate::formats::small_edition()).unwrap();
    edition["sections"][0]["items"][0]["extra"] = json!({"备注": "x"});
    let index: Value = serde_json::from_slice(
        &std::fs::read(crate::support::repo().join("output/index.json")).unwrap(),
    )
    .unwrap();
    let mut cases = Vec::new();
    for (document, schema) in [(&edition, qingdan::SCHEMA), (&index, qingdan::INDEX_SCHEMA)] {
        assert_eq!(
            broken_at(document),
            Vec::<String>::new(),
            "the base is valid"
        );
        let schema: Value = serde_json::from_str(schema).unwrap();
        let mut found = Vec::new();
        breaks(
            &schema,
            &schema,
            "#",
            document,
            "",
            &mut Default::default(),
            &mut found,
        );
        for b in found {
            let value = broken(document, &b);
            let errors = broken_at(&value);
            assert!(
                errors.first() == Some(&b.expected),
                "breaking `{}` at {} should be an error at {}, found {errors:?}",
                b.keyword,
                b.pointer,
                b.expected
            );
            cases.push((
                format!("{} at {}", b.keyword, b.pointer),
                value,
                schema.clone(),
            ));
        }
    }
    let keywords: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|(what, _, _)| what.split(' ').next().unwrap())
        .collect();
    for keyword in [
        "type",
        "minLength",
        "minimum",
        "maximum",
        "pattern",
        "enum",
        "const",
    ] {
        assert!(
            keywords.contains(keyword),
            "no {keyword} broken: {keywords:?}"
        );
    }
    for keyword in [
        "minItems",
        "minProperties",
        "uniqueItems",
        "required",
        "additionalProperties",
    ] {
        assert!(
            keywords.contains(keyword),
            "no {keyword} broken: {keywords:?}"
        );
    }
    assert!(cases.len() > 80, "only {} ways to break", cases.len());
    // And the published schema, read by an independent validator, rejects
    // every one of them.
    if !crate::support::python3_with("jsonschema", "jsonschema", "schema agreement check") {
        return;
    }
    let dir = TestDir::new();
    let all: Vec<Value> = cases
        .iter()
        .map(|(what, value, schema)| json!({"what": what, "value": value, "schema": schema}))
        .collect();
    let file = dir.write("cases.json", serde_json::to_vec(&all).unwrap());
    let script = r#"
import json, sys, jsonschema
for case in json.load(open(sys.argv[1], encoding="utf-8")):
    validator = jsonschema.Draft202012Validator(case["schema"])
    if validator.is_valid(case["value"]):
        print("accepted: " + case["what"])
"#;
    let accepted = crate::support::python(script, &[file.as_os_str()]);
    assert_eq!(accepted, "", "the schema accepts what the rules reject");
}
