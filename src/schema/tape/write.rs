//! Writing a value onto a tape as `serde_json::to_value` would build it.
//!
//! Each serde call maps to what serde_json's value serializer makes of it
//! (`None` and `()` as `null`, a unit variant as its name, a newtype variant
//! as `{variant: value}`, NaN and infinities as `null`, members in the
//! order they come). Where serde_json does more than the tape copies — map
//! keys that are numbers or booleans (which it writes as strings), a
//! repeated map key (whose last value it keeps), an `i128` past `i64` (which
//! it refuses), a custom error, a tape past 4 GiB — writing stops with
//! [`Refused`] and the caller asks serde_json itself, which then gives the
//! same records or its own error.

use std::fmt;

use serde::ser::{self, Serialize};
use serde_json::Number;

use super::{Container, Extent, Kind, Name, Tape, TapeNode};

/// Writes `value` onto the empty `tape`.
pub(super) fn write<T: Serialize + ?Sized>(tape: &mut Tape, value: &T) -> Result<(), Refused> {
    value.serialize(Writer {
        tape,
        name: Name::NONE,
        key: false,
    })
}

/// Why a value is not on the tape: see the [module](self).
#[derive(Debug)]
pub(super) struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not written onto the tape")
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Refused {
        Refused
    }
}

/// The serializer of one value, written under `name` in its parent.
struct Writer<'t> {
    /// The tape written to.
    tape: &'t mut Tape,
    /// The value's name in its parent object.
    name: Name,
    /// Whether the value is a map key, which serde_json takes as a string
    /// only; the map's `serialize_key` moves it from the tape to a name.
    key: bool,
}

impl<'t> Writer<'t> {
    /// Writes a scalar.
    fn push(self, kind: Kind) -> Result<(), Refused> {
        if self.key && !matches!(kind, Kind::String(_)) {
            return Err(Refused);
        }
        self.tape.push(self.name, kind).ok_or(Refused)?;
        Ok(())
    }

    /// Writes a string.
    fn string(self, text: &str) -> Result<(), Refused> {
        let span = self.tape.push_text(text).ok_or(Refused)?;
        self.push(Kind::String(span))
    }

    /// Writes a number, or `null` for a float that is none (NaN, infinite).
    fn number(self, number: Option<Number>) -> Result<(), Refused> {
        self.push(number.map_or(Kind::Null, Kind::Number))
    }

    /// Starts an object or an array, its size written when it ends.
    fn open(self, object: bool) -> Result<Compound<'t>, Refused> {
        if self.key {
            return Err(Refused);
        }
        let extent = Extent { len: 0, end: 0 };
        let kind = if object {
            Kind::Object(extent)
        } else {
            Kind::Array(extent)
        };
        let at = self.tape.push(self.name, kind).ok_or(Refused)?;
        Ok(Compound {
            tape: self.tape,
            at,
            object,
            len: 0,
            wrapper: None,
            key: None,
        })
    }

    /// Starts the object or array of a variant, inside `{variant: …}`.
    fn open_variant(self, variant: &'static str, object: bool) -> Result<Compound<'t>, Refused> {
        let wrapper = self.open(true)?;
        let mut inner = Writer {
            tape: wrapper.tape,
            name: Name::Static(variant),
            key: false,
        }
        .open(object)?;
        inner.wrapper = Some(wrapper.at);
        Ok(inner)
    }
}

/// An object or array being written.
struct Compound<'t> {
    /// The tape written to.
    tape: &'t mut Tape,
    /// The container's index.
    at: u32,
    /// Object or array.
    object: bool,
    /// The children written so far.
    len: u32,
    /// The index of the `{variant: …}` object around it, if any.
    wrapper: Option<u32>,
    /// The key of the map value to come.
    key: Option<Name>,
}

impl<'t> Compound<'t> {
    /// Writes a child.
    fn child<T: Serialize + ?Sized>(&mut self, name: Name, value: &T) -> Result<(), Refused> {
        value.serialize(Writer {
            tape: &mut *self.tape,
            name,
            key: false,
        })?;
        self.len += 1;
        Ok(())
    }

    /// Writes the container's size (and its wrapper's).
    fn close(self) -> Result<(), Refused> {
        self.closed().map(drop)
    }

    /// [Closes](Self::close) the container and hands it back to be read.
    fn closed(self) -> Result<Container<'t>, Refused> {
        let end = u32::try_from(self.tape.nodes.len()).map_err(|_| Refused)?;
        let extent = Extent { len: self.len, end };
        self.tape.nodes[self.at as usize].kind = if self.object {
            Kind::Object(extent)
        } else {
            Kind::Array(extent)
        };
        if let Some(wrapper) = self.wrapper {
            self.tape.nodes[wrapper as usize].kind = Kind::Object(Extent { len: 1, end });
        }
        Ok(TapeNode {
            tape: self.tape,
            at: self.at,
        }
        .container(extent))
    }
}

/// Whether an object's member names are all different. Asked of maps only
/// (a struct's names are its fields'); a `BTreeMap`'s come sorted.
fn distinct(object: Container<'_>) -> bool {
    let mut names: Vec<&str> = object.children().map(TapeNode::name).collect();
    if names.windows(2).all(|pair| pair[0] < pair[1]) {
        return true;
    }
    names.sort_unstable();
    names.windows(2).all(|pair| pair[0] != pair[1])
}

/// Serializer methods of the numbers serde_json writes as a wider one.
macro_rules! widened {
    ($($method:ident($narrow:ty) => $wide:ident),*) => {$(
        fn $method(self, value: $narrow) -> Result<(), Refused> {
            self.$wide(value.into())
        }
    )*};
}

impl<'t> ser::Serializer for Writer<'t> {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Compound<'t>;
    type SerializeTuple = Compound<'t>;
    type SerializeTupleStruct = Compound<'t>;
    type SerializeTupleVariant = Compound<'t>;
    type SerializeMap = Compound<'t>;
    type SerializeStruct = Compound<'t>;
    type SerializeStructVariant = Compound<'t>;

    widened!(
        serialize_i8(i8) => serialize_i64,
        serialize_i16(i16) => serialize_i64,
        serialize_i32(i32) => serialize_i64,
        serialize_u8(u8) => serialize_u64,
        serialize_u16(u16) => serialize_u64,
        serialize_u32(u32) => serialize_u64,
        serialize_f32(f32) => serialize_f64
    );

    fn serialize_bool(self, value: bool) -> Result<(), Refused> {
        self.push(Kind::Bool(value))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Refused> {
        self.number(Some(value.into()))
    }

    fn serialize_i128(self, value: i128) -> Result<(), Refused> {
        match (u64::try_from(value), i64::try_from(value)) {
            (Ok(value), _) => self.serialize_u64(value),
            (_, Ok(value)) => self.serialize_i64(value),
            _ => Err(Refused),
        }
    }

    fn serialize_u64(self, value: u64) -> Result<(), Refused> {
        self.number(Some(value.into()))
    }

    fn serialize_u128(self, value: u128) -> Result<(), Refused> {
        self.serialize_u64(u64::try_from(value).map_err(|_| Refused)?)
    }

    fn serialize_f64(self, value: f64) -> Result<(), Refused> {
        self.number(Number::from_f64(value))
    }

    fn serialize_char(self, value: char) -> Result<(), Refused> {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<(), Refused> {
        self.string(value)
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Refused> {
        let mut array = self.open(false)?;
        for byte in value {
            array.child(Name::NONE, byte)?;
        }
        array.close()
    }

    fn serialize_none(self) -> Result<(), Refused> {
        self.push(Kind::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Refused> {
        if self.key {
            return Err(Refused);
        }
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Refused> {
        self.push(Kind::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Refused> {
        self.push(Kind::Null)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Refused> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        let mut wrapper = self.open(true)?;
        wrapper.child(Name::Static(variant), value)?;
        wrapper.close()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'t>, Refused> {
        self.open(false)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'t>, Refused> {
        self.open(false)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'t>, Refused> {
        self.open(false)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'t>, Refused> {
        self.open_variant(variant, false)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'t>, Refused> {
        self.open(true)
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'t>, Refused> {
        self.open(true)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'t>, Refused> {
        self.open_variant(variant, true)
    }
}

/// The serde traits of arrays, whose children have no names.
macro_rules! arrays {
    ($($kind:ident::$element:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Refused;

            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
                self.child(Name::NONE, value)
            }

            fn end(self) -> Result<(), Refused> {
                self.close()
            }
        }
    )*};
}

arrays!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The serde traits of structs, whose children are named by their fields.
macro_rules! structs {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Refused;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Refused> {
                self.child(Name::Static(key), value)
            }

            fn end(self) -> Result<(), Refused> {
                self.close()
            }
        }
    )*};
}

structs!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Refused;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Refused> {
        key.serialize(Writer {
            tape: &mut *self.tape,
            name: Name::NONE,
            key: true,
        })?;
        // A key writes exactly one string node, taken back here.
        match self.tape.nodes.pop().map(|entry| entry.kind) {
            Some(Kind::String(span)) => {
                self.key = Some(Name::Text(span));
                Ok(())
            }
            _ => Err(Refused),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        let name = self.key.take().ok_or(Refused)?;
        self.child(name, value)
    }

    fn end(self) -> Result<(), Refused> {
        let map = self.closed()?;
        if map.extent.len > 1 && !distinct(map) {
            return Err(Refused);
        }
        Ok(())
    }
}
