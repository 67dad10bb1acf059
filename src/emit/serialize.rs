//! The serde plumbing the JSON and YAML writers share: both map serde's
//! data model onto JSON's values as serde_json does, and differ in how they
//! write those. Also their indentation.

/// Appends `n` spaces, a slice of a run of them at a time rather than a push
/// per space.
pub(super) fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut left = n;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

/// The `serde::Serializer` methods that the JSON and YAML serializers
/// implement alike, as serde_json does: a char as a string, `Some` and
/// newtype structs as what they hold, `()` and unit structs as `null`, a
/// unit variant as its name, tuples as sequences, structs as maps, and a
/// variant with data as the one-entry map `{Variant: data}`. The serializer
/// is `&mut` a writer that is every compound itself, and has `variant`
/// (opens that map and writes its key) and `close_variant`.
macro_rules! serialize_like_serde_json {
    ($error:ty) => {
        type Ok = ();
        type Error = $error;
        type SerializeSeq = Self;
        type SerializeTuple = Self;
        type SerializeTupleStruct = Self;
        type SerializeTupleVariant = Self;
        type SerializeMap = Self;
        type SerializeStruct = Self;
        type SerializeStructVariant = Self;

        fn serialize_char(self, v: char) -> Result<(), Self::Error> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Self::Error> {
            value.serialize(self)
        }

        fn serialize_unit(self) -> Result<(), Self::Error> {
            self.serialize_none()
        }

        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Self::Error> {
            self.serialize_none()
        }

        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<(), Self::Error> {
            self.serialize_str(variant)
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<(), Self::Error> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            value: &T,
        ) -> Result<(), Self::Error> {
            self.variant(variant)?;
            value.serialize(&mut *self)?;
            self.close_variant();
            Ok(())
        }

        fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Self::Error> {
            self.serialize_seq(Some(len))
        }

        fn serialize_tuple_struct(
            self,
            _: &'static str,
            len: usize,
        ) -> Result<Self::SerializeTupleStruct, Self::Error> {
            self.serialize_seq(Some(len))
        }

        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            len: usize,
        ) -> Result<Self::SerializeTupleVariant, Self::Error> {
            self.variant(variant)?;
            self.serialize_seq(Some(len))
        }

        fn serialize_struct(
            self,
            _: &'static str,
            len: usize,
        ) -> Result<Self::SerializeStruct, Self::Error> {
            self.serialize_map(Some(len))
        }

        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            len: usize,
        ) -> Result<Self::SerializeStructVariant, Self::Error> {
            self.variant(variant)?;
            self.serialize_map(Some(len))
        }
    };
}

/// The serde compound traits, `SerializeSeq` to `SerializeStructVariant`,
/// for `&mut $writer` of `serialize_like_serde_json`. The writer has
/// `element` (starts a sequence element), `field` (starts a map entry by
/// name), `map_key` (starts one by any key), and `close_seq`, `close_map`
/// and `close_variant`.
macro_rules! compounds_like_serde_json {
    ($writer:ident, $error:ty) => {
        compounds_like_serde_json!(@seq $writer, $error, SerializeSeq::serialize_element);
        compounds_like_serde_json!(@seq $writer, $error, SerializeTuple::serialize_element);
        compounds_like_serde_json!(@seq $writer, $error, SerializeTupleStruct::serialize_field);
        compounds_like_serde_json!(
            @seq $writer, $error, SerializeTupleVariant::serialize_field, close_variant
        );
        compounds_like_serde_json!(@struct $writer, $error, SerializeStruct);
        compounds_like_serde_json!(@struct $writer, $error, SerializeStructVariant, close_variant);

        impl ser::SerializeMap for &mut $writer {
            type Ok = ();
            type Error = $error;

            fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), $error> {
                self.map_key(key)
            }

            fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), $error> {
                value.serialize(&mut **self)
            }

            fn end(self) -> Result<(), $error> {
                self.close_map();
                Ok(())
            }
        }
    };
    (@seq $writer:ident, $error:ty, $kind:ident::$method:ident $(, $also:ident)?) => {
        impl ser::$kind for &mut $writer {
            type Ok = ();
            type Error = $error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), $error> {
                self.element();
                value.serialize(&mut **self)
            }

            fn end(self) -> Result<(), $error> {
                self.close_seq();
                $(self.$also();)?
                Ok(())
            }
        }
    };
    (@struct $writer:ident, $error:ty, $kind:ident $(, $also:ident)?) => {
        impl ser::$kind for &mut $writer {
            type Ok = ();
            type Error = $error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), $error> {
                self.field(key);
                value.serialize(&mut **self)
            }

            fn end(self) -> Result<(), $error> {
                self.close_map();
                $(self.$also();)?
                Ok(())
            }
        }
    };
}
