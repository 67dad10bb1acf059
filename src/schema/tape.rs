//! Records as a flat tape that the validator reads in place.
//!
//! `serde_json::to_value` builds a map for every object and a `String` for
//! every string (with `preserve_order`, an `IndexMap` each), which costs
//! more than the validation itself. A tape is the same JSON document as one
//! vector of nodes in pre-order over one text buffer, written by a serde
//! serializer ([`write`](mod@write)) so that it follows the model's serde attributes
//! as `serde_json` does; [`TapeJson`] lets jsonschema read it.

use std::borrow::Cow;
use std::iter::Map;

use jsonschema::json::{cmp, Array, Json, Node, NodeIdentity, Object};
use jsonschema::JsonType;
use serde::Serialize;
use serde_json::{Number, Value};

mod write;

/// A JSON document as nodes in pre-order over one text buffer.
#[derive(Debug, Default)]
pub(super) struct Tape {
    /// The nodes; each container is followed by its children, each child
    /// by its own subtree.
    nodes: Vec<Entry>,
    /// The text of every string and map key, back to back.
    text: String,
}

/// One node, with its name in its parent object.
#[derive(Clone, Debug)]
struct Entry {
    /// The member name; [`Name::NONE`] for array elements and the root.
    name: Name,
    /// The value.
    kind: Kind,
}

/// A member's name.
#[derive(Clone, Copy, Debug)]
enum Name {
    /// A struct field's or an enum variant's name.
    Static(&'static str),
    /// A map key.
    Text(Span),
}

impl Name {
    /// The name of a node that is no object member; never read.
    const NONE: Name = Name::Static("");
}

/// A range of [`Tape::text`]; `u32` keeps entries at 32 bytes.
#[derive(Clone, Copy, Debug)]
struct Span {
    /// Where the text starts.
    start: u32,
    /// Where it ends.
    end: u32,
}

/// A node's value.
#[derive(Clone, Debug)]
enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json holds it.
    Number(Number),
    /// A string.
    String(Span),
    /// An array.
    Array(Extent),
    /// An object.
    Object(Extent),
}

/// Where a container's subtree ends, and how many children it has.
#[derive(Clone, Copy, Debug)]
struct Extent {
    /// The number of children.
    len: u32,
    /// The index of the first node past the subtree.
    end: u32,
}

impl Tape {
    /// The tape of `value`, or `None` where serde_json would not write it
    /// as the tape does (see [`write`](mod@write)): then serde_json must be asked.
    #[cfg(test)]
    pub(super) fn of<T: Serialize + ?Sized>(value: &T) -> Option<Tape> {
        let mut tape = Tape::default();
        tape.fill(value).then_some(tape)
    }

    /// Replaces what the tape holds with `value`, keeping its buffers;
    /// false where serde_json would not write `value` as the tape does (see
    /// [`write`](mod@write)): then serde_json must be asked.
    pub(super) fn fill<T: Serialize + ?Sized>(&mut self, value: &T) -> bool {
        self.nodes.clear();
        self.text.clear();
        write::write(self, value).is_ok()
    }

    /// Bytes held by the buffers.
    pub(super) fn capacity(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Entry>() + self.text.capacity()
    }

    /// The document itself.
    pub(super) fn root(&self) -> TapeNode<'_> {
        TapeNode { tape: self, at: 0 }
    }

    /// Appends `text` to the buffer; `None` past 4 GiB.
    fn push_text(&mut self, text: &str) -> Option<Span> {
        let start = u32::try_from(self.text.len()).ok()?;
        self.text.push_str(text);
        let end = u32::try_from(self.text.len()).ok()?;
        Some(Span { start, end })
    }

    /// Appends a node; its index, or `None` past `u32::MAX` nodes.
    fn push(&mut self, name: Name, kind: Kind) -> Option<u32> {
        let at = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Entry { name, kind });
        Some(at)
    }

    /// The text of `span`.
    fn text(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }
}

/// What the validator holds: a node of a tape.
#[derive(Clone, Copy, Debug)]
pub(super) struct TapeNode<'a> {
    /// The tape.
    tape: &'a Tape,
    /// The node's index in it.
    at: u32,
}

impl<'a> TapeNode<'a> {
    /// The node's entry.
    fn entry(self) -> &'a Entry {
        &self.tape.nodes[self.at as usize]
    }

    /// The node's value.
    fn kind(self) -> &'a Kind {
        &self.entry().kind
    }

    /// The node's name in its parent object.
    fn name(self) -> &'a str {
        match self.entry().name {
            Name::Static(name) => name,
            Name::Text(span) => self.tape.text(span),
        }
    }

    /// The node's text, if it is a string.
    fn str(self) -> Option<&'a str> {
        match *self.kind() {
            Kind::String(span) => Some(self.tape.text(span)),
            _ => None,
        }
    }

    /// The node as the container that `extent` measures.
    fn container(self, extent: Extent) -> Container<'a> {
        Container {
            tape: self.tape,
            at: self.at,
            extent,
        }
    }

    /// The subtree as a `serde_json::Value`, as `serde_json::to_value`
    /// would have built it.
    pub(super) fn to_json(self) -> Value {
        match *self.kind() {
            Kind::Null => Value::Null,
            Kind::Bool(value) => Value::Bool(value),
            Kind::String(span) => Value::String(self.tape.text(span).to_owned()),
            Kind::Array(extent) => Value::Array(
                self.container(extent)
                    .children()
                    .map(Self::to_json)
                    .collect(),
            ),
            Kind::Object(extent) => Value::Object(
                self.container(extent)
                    .children()
                    .map(|child| (child.name().to_owned(), child.to_json()))
                    .collect(),
            ),
            Kind::Number(ref number) => Value::Number(number.clone()),
        }
    }
}

/// An object or array node, read by jsonschema as either.
#[derive(Clone, Copy, Debug)]
pub(super) struct Container<'a> {
    /// The tape.
    tape: &'a Tape,
    /// The container's index in it.
    at: u32,
    /// Its size.
    extent: Extent,
}

impl<'a> Container<'a> {
    /// The children, in order.
    fn children(self) -> Children<'a> {
        Children {
            tape: self.tape,
            next: self.at + 1,
            end: self.extent.end,
        }
    }
}

/// The children of a container: each next one is past the subtree of the
/// one before.
#[derive(Clone, Debug)]
pub(super) struct Children<'a> {
    /// The tape.
    tape: &'a Tape,
    /// The index of the next child.
    next: u32,
    /// The index past the container's subtree.
    end: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = TapeNode<'a>;

    fn next(&mut self) -> Option<TapeNode<'a>> {
        if self.next >= self.end {
            return None;
        }
        let node = TapeNode {
            tape: self.tape,
            at: self.next,
        };
        self.next = match *node.kind() {
            Kind::Array(extent) | Kind::Object(extent) => extent.end,
            _ => self.next + 1,
        };
        Some(node)
    }
}

/// jsonschema's name for the tape representation.
pub(super) struct TapeJson;

impl Json for TapeJson {
    type Node<'a> = TapeNode<'a>;
    type PreparedKey = String;
    type StringBuffer = Tape;

    // A lookup scans the members, so one pass over them never costs more.
    const KEYS_PER_LOOKUP: usize = 1 << 16;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut Tape,
        string: &str,
        f: impl FnOnce(TapeNode<'_>) -> T,
    ) -> T {
        // Names come from a tape, which holds under 4 GiB of text.
        assert!(buffer.fill(string), "a name under 4 GiB");
        f(buffer.root())
    }
}

impl<'a> Node<'a, TapeJson> for TapeNode<'a> {
    type Object = Container<'a>;
    type Array = Container<'a>;
    type Number = &'a Number;

    fn as_object(&self) -> Option<Container<'a>> {
        match *self.kind() {
            Kind::Object(extent) => Some(self.container(extent)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Container<'a>> {
        match *self.kind() {
            Kind::Array(extent) => Some(self.container(extent)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        self.str().map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<&'a Number> {
        match self.kind() {
            Kind::Number(number) => Some(number),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match *self.kind() {
            Kind::Bool(value) => Some(value),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.kind(), Kind::Null)
    }

    fn is_number(&self) -> bool {
        matches!(self.kind(), Kind::Number(_))
    }

    fn is_string(&self) -> bool {
        matches!(self.kind(), Kind::String(_))
    }

    fn json_type(&self) -> JsonType {
        match *self.kind() {
            Kind::Null => JsonType::Null,
            Kind::Bool(_) => JsonType::Boolean,
            Kind::Number(_) => JsonType::Number,
            Kind::String(_) => JsonType::String,
            Kind::Array(_) => JsonType::Array,
            Kind::Object(_) => JsonType::Object,
        }
    }

    fn string_length(&self) -> Option<u64> {
        self.str().map(|text| text.chars().count() as u64)
    }

    fn string_length_within(&self, min: u64, max: u64) -> Option<bool> {
        let text = self.str()?;
        // A character takes one to four bytes, which often settles it
        // without counting.
        let bytes = text.len() as u64;
        let fewest = bytes.div_ceil(4);
        if bytes < min || fewest > max {
            return Some(false);
        }
        if min <= fewest && bytes <= max {
            return Some(true);
        }
        Some((min..=max).contains(&(text.chars().count() as u64)))
    }

    // `const` and `enum` hold scalars here; only containers need a `Value`.
    fn equals_value(&self, expected: &Value) -> bool {
        match (self.kind(), expected) {
            (Kind::Null, Value::Null) => true,
            (Kind::Bool(value), Value::Bool(expected)) => value == expected,
            (Kind::String(span), Value::String(expected)) => self.tape.text(*span) == expected,
            (Kind::Number(number), Value::Number(_)) => {
                // A `Number` owns nothing without `arbitrary_precision`.
                cmp::equal(&Value::Number(number.clone()), expected)
            }
            (Kind::Array(_), Value::Array(_)) | (Kind::Object(_), Value::Object(_)) => {
                cmp::equal(&self.to_json(), expected)
            }
            _ => false,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::tagged(
            std::ptr::from_ref(self.tape) as usize,
            self.at,
        ))
    }
}

/// A member's name and value.
type Member<'a> = (&'a str, TapeNode<'a>);

impl<'a> Object<'a, TapeJson> for Container<'a> {
    type Node = TapeNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Map<Children<'a>, fn(TapeNode<'a>) -> Member<'a>>;

    fn len(&self) -> usize {
        self.extent.len as usize
    }

    fn get(&self, key: &String) -> Option<TapeNode<'a>> {
        self.children().find(|child| child.name() == key)
    }

    fn members(&self) -> Self::MembersIter {
        self.children().map(|child| (child.name(), child))
    }
}

impl<'a> Array<'a, TapeJson> for Container<'a> {
    type Node = TapeNode<'a>;
    type ElementsIter = Children<'a>;

    fn len(&self) -> usize {
        self.extent.len as usize
    }

    fn elements(&self) -> Children<'a> {
        self.children()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use jsonschema::json::SerdeJson;
    use jsonschema::ErrorIterator;
    use serde::{Serialize, Serializer};
    use serde_json::json;

    use super::*;

    /// The tape of `value`, read back.
    fn round_trip<T: Serialize>(value: &T) -> Value {
        Tape::of(value).expect("written").root().to_json()
    }

    /// A unit variant, as a map key.
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        /// One key.
        First,
    }

    /// Every kind of serde call.
    #[derive(Serialize)]
    enum Shape {
        /// A unit variant.
        Unit,
        /// A newtype variant.
        Newtype(u8),
        /// A tuple variant.
        Tuple(i32, f32),
        /// A struct variant.
        Struct {
            /// A char.
            letter: Option<char>,
            /// A unit.
            nothing: (),
        },
    }

    /// A newtype struct.
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Wrapper(String);

    /// A tuple struct.
    #[derive(Serialize)]
    struct Pair(u8, i8);

    /// A unit struct.
    #[derive(Serialize)]
    struct Marker;

    /// Bytes, which serde_json writes as an array of numbers.
    fn as_bytes<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    /// A record using every kind of serde call and attribute.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        shapes: Vec<Shape>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        kept_none: Option<u8>,
        wrapper: Wrapper,
        pair: Pair,
        marker: Marker,
        tuple: (bool, u64, i64),
        #[serde(serialize_with = "as_bytes")]
        bytes: Vec<u8>,
        floats: Vec<f64>,
        wide: (i128, i128, u128),
        keyed_by_variant: BTreeMap<Key, u8>,
        keyed_by_newtype: BTreeMap<Wrapper, u8>,
        keyed_by_char: BTreeMap<char, u8>,
        #[serde(flatten)]
        rest: BTreeMap<String, String>,
    }

    #[test]
    fn every_serde_shape_reads_back_as_serde_json_writes_it() {
        let everything = Everything {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, 0.5),
                Shape::Struct {
                    letter: Some('事'),
                    nothing: (),
                },
                Shape::Struct {
                    letter: None,
                    nothing: (),
                },
            ],
            skipped: None,
            kept_none: None,
            wrapper: Wrapper("包".into()),
            pair: Pair(1, -1),
            marker: Marker,
            tuple: (true, u64::MAX, i64::MIN),
            bytes: vec![0, 255],
            floats: vec![1.0, -0.25, f64::NAN, f64::INFINITY, 1e300],
            wide: (-5, i128::from(u64::MAX), 9),
            keyed_by_variant: BTreeMap::from([(Key::First, 1)]),
            keyed_by_newtype: BTreeMap::from([(Wrapper("k".into()), 2)]),
            keyed_by_char: BTreeMap::from([('z', 3), ('a', 4)]),
            rest: BTreeMap::from([("z".into(), "last".into()), ("a".into(), String::new())]),
        };
        assert_eq!(
            round_trip(&everything),
            serde_json::to_value(&everything).unwrap()
        );
        let document = json!({"b": [1, -2, 3.5, null, {}, []], "a": {"c": "", "d": true}});
        assert_eq!(round_trip(&document), document);
    }

    /// A struct whose flattened map may repeat one of its fields.
    #[derive(Serialize)]
    struct Repeated {
        a: u8,
        #[serde(flatten)]
        rest: BTreeMap<String, u8>,
    }

    #[test]
    fn what_serde_json_writes_otherwise_is_left_to_it() {
        assert!(Tape::of(&BTreeMap::from([(1, 2)])).is_none());
        assert!(Tape::of(&BTreeMap::from([(true, 2)])).is_none());
        assert!(Tape::of(&BTreeMap::from([(Some("a"), 2)])).is_none());
        assert!(Tape::of(&i128::MIN).is_none());
        assert!(Tape::of(&u128::MAX).is_none());
        let repeated = Repeated {
            a: 1,
            rest: BTreeMap::from([("a".into(), 2)]),
        };
        assert!(Tape::of(&repeated).is_none());
        let distinct = Repeated {
            a: 1,
            rest: BTreeMap::from([("b".into(), 2), ("0".into(), 3)]),
        };
        assert_eq!(
            round_trip(&distinct),
            serde_json::to_value(&distinct).unwrap()
        );
    }

    /// The path and message of each error.
    fn described(errors: ErrorIterator<'_>) -> Vec<(String, String)> {
        errors
            .map(|e| (e.instance_path().as_str().to_owned(), e.to_string()))
            .collect()
    }

    /// Checks that `schema` finds the same in `instance` on a tape as in
    /// its `Value`.
    fn same_verdicts(schema: &Value, instance: &Value) {
        let on_value = jsonschema::options_for::<SerdeJson>()
            .build(schema)
            .unwrap();
        let on_tape = jsonschema::options_for::<TapeJson>().build(schema).unwrap();
        let tape = Tape::of(instance).unwrap();
        assert_eq!(
            on_tape.is_valid(tape.root()),
            on_value.is_valid(instance),
            "{instance}"
        );
        assert_eq!(
            described(on_tape.iter_errors(tape.root())),
            described(on_value.iter_errors(instance)),
            "{instance}"
        );
    }

    #[test]
    fn keywords_judge_a_tape_as_they_judge_its_value() {
        let schema = json!({
            "type": "object",
            "required": ["n", "s"],
            "properties": {
                "n": {"enum": [1, -1, 2.5, "1", null, true, [1], {"a": 1}]},
                "s": {"const": "事项", "minLength": 2, "maxLength": 2, "pattern": "^事"},
                "list": {"type": "array", "uniqueItems": true, "items": {"type": "integer"}},
                "o": {"propertyNames": {"minLength": 2}, "additionalProperties": {"type": "string"}},
                "f": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10, "multipleOf": 2}
            },
            "additionalProperties": false
        });
        for instance in [
            json!({"n": 1, "s": "事项"}),
            json!({"n": 1.0, "s": "事项"}),
            json!({"n": -1, "s": "事项", "f": 4.0}),
            json!({"n": 2.5, "s": "事项", "f": 4}),
            json!({"n": [1.0], "s": "事项"}),
            json!({"n": {"a": 1}, "s": "事项"}),
            json!({"n": "1", "s": "事"}),
            json!({"n": 3, "s": "事项项"}),
            json!({"n": null, "s": "项目"}),
            json!({"n": true, "s": 1, "list": [1, 2, 1.0]}),
            json!({"n": false, "list": [1, "a", [], {}]}),
            json!({"n": 1, "s": "事项", "o": {"ab": "x", "c": 1}}),
            json!({"n": 1, "s": "事项", "f": 3, "extra": {}}),
            json!({"n": 1, "s": "事项", "f": 0.5}),
            json!({"n": 1, "s": "事项", "f": 12}),
            json!([]),
        ] {
            same_verdicts(&schema, &instance);
        }
    }

    #[test]
    fn each_node_of_a_tape_has_its_own_identity() {
        let tape = Tape::of(&json!({"a": [1, {"b": 2}]})).unwrap();
        let root = tape.root();
        let a = root.as_object().unwrap().get(&"a".to_owned()).unwrap();
        let elements: Vec<_> = a.as_array().unwrap().elements().collect();
        let identities: HashSet<_> = [root, a, elements[0], elements[1]]
            .iter()
            .map(|node| node.identity().unwrap())
            .collect();
        assert_eq!(identities.len(), 4);
        assert_eq!(root.identity(), tape.root().identity());
        assert_eq!(Object::len(&elements[1].as_object().unwrap()), 1);
    }

    #[test]
    fn an_entry_takes_32_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 32);
    }
}
