//! [`to_string`] and [`to_vec`]: compact JSON, byte for byte what
//! `serde_json::to_string` writes, with the string escaping of [`escape`](super::escape).
//!
//! A `serde::Serializer` over a `Vec<u8>`: the same numbers (`itoa`, `zmij`: the
//! crates `serde_json` formats with), the same escapes, `null` for non-finite floats,
//! byte arrays as arrays of numbers, enum variants as `serde_json` tags them, and map
//! keys under `serde_json`'s rules (strings; integers, booleans, chars and finite
//! floats quoted; anything else "key must be a string"). Errors are
//! `serde_json::Error`s, so a `Serialize` impl's own error comes out unchanged.

use super::escape::{write_contents, write_str};
use core::fmt::{self, Display};
use serde::ser::{self, Error as _, Impossible, Serialize};

type Error = serde_json::Error;
type Result<T> = core::result::Result<T, Error>;

/// `value` as compact JSON: the same bytes as `serde_json::to_string`, faster on
/// text-heavy messages.
///
/// ```
/// use common_eventing::wkt::{Struct, Value};
///
/// let s: Struct = [("text", Value::from("a \"quoted\"\nline"))].into_iter().collect();
/// let json = common_eventing::json::to_string(&s).unwrap();
/// assert_eq!(json, r#"{"text":"a \"quoted\"\nline"}"#);
/// assert_eq!(json, serde_json::to_string(&s).unwrap());
/// ```
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = String::with_capacity(128);
    value.serialize(&mut Writer { out: &mut out })?;
    Ok(out)
}

/// `value` as compact JSON bytes: the same bytes as `serde_json::to_vec`.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    to_string(value).map(String::into_bytes)
}

/// The serializer: everything is appended to `out`.
struct Writer<'a> {
    out: &'a mut String,
}

impl Writer<'_> {
    #[inline]
    fn int(&mut self, n: impl itoa::Integer) {
        self.out.push_str(itoa::Buffer::new().format(n));
    }
}

/// `serde_json`'s token for `RawValue`: a struct of that name with one field of that
/// name whose string is written as is.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        if v.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        if v.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.out.push('[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.int(*b);
        }
        self.out.push(']');
        Ok(())
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        self.out.push('[');
        Ok(Compound::new(self, "]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push_str(":[");
        Ok(Compound::new(self, "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>> {
        self.out.push('{');
        Ok(Compound::new(self, "}"))
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a, 'b>> {
        if name == RAW_VALUE {
            return Ok(Compound {
                raw: true,
                ..Compound::new(self, "")
            });
        }
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>> {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push_str(":{");
        Ok(Compound::new(self, "}}"))
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<()> {
        self.out.push('"');
        fmt::write(&mut Escaping(self.out), format_args!("{value}"))
            .map_err(|_| Error::custom("a Display impl returned an error"))?;
        self.out.push('"');
        Ok(())
    }
}

/// Writes formatted text escaped.
struct Escaping<'a>(&'a mut String);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_contents(self.0, s);
        Ok(())
    }
}

/// An array, object or variant being written: a comma before every element but the
/// first, and `close` at the end.
#[doc(hidden)]
pub struct Compound<'a, 'b> {
    w: &'a mut Writer<'b>,
    first: bool,
    close: &'static str,
    raw: bool,
}

impl<'a, 'b> Compound<'a, 'b> {
    fn new(w: &'a mut Writer<'b>, close: &'static str) -> Self {
        Compound {
            w,
            first: true,
            close,
            raw: false,
        }
    }

    #[inline]
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        if self.raw {
            return value.serialize(RawEmitter(self.w.out));
        }
        self.comma();
        write_str(self.w.out, key);
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }

    fn end(self) {
        self.w.out.push_str(self.close);
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.comma();
        key.serialize(KeyWriter(&mut *self.w))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<()> {
        Compound::end(self);
        Ok(())
    }
}

/// The `Serializer` methods for bytes, `None`, units, newtype variants and every
/// compound, all failing with `$error()`.
macro_rules! refuse_compounds {
    ($error:ident) => {
        fn serialize_bytes(self, _: &[u8]) -> Result<()> {
            Err($error())
        }
        fn serialize_none(self) -> Result<()> {
            Err($error())
        }
        fn serialize_unit(self) -> Result<()> {
            Err($error())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
            Err($error())
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<()> {
            Err($error())
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
            Err($error())
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
            Err($error())
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct> {
            Err($error())
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant> {
            Err($error())
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
            Err($error())
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
            Err($error())
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant> {
            Err($error())
        }
    };
}

fn key_must_be_a_string() -> Error {
    Error::custom("key must be a string")
}

/// A map key, under `serde_json`'s rules.
struct KeyWriter<'a, 'b>(&'a mut Writer<'b>);

impl KeyWriter<'_, '_> {
    fn quoted(self, f: impl FnOnce(&mut Writer<'_>) -> Result<()>) -> Result<()> {
        self.0.out.push('"');
        f(self.0)?;
        self.0.out.push('"');
        Ok(())
    }
}

macro_rules! quoted_keys {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<()> {
            self.quoted(|w| ser::Serializer::$method(w, v))
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        write_str(self.0.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        write_str(self.0.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    quoted_keys!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128
    );
    fn serialize_f32(self, v: f32) -> Result<()> {
        if !v.is_finite() {
            return Err(Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|w| ser::Serializer::serialize_f32(w, v))
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(|w| ser::Serializer::serialize_f64(w, v))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<()> {
        ser::Serializer::collect_str(self.0, value)
    }
    refuse_compounds!(key_must_be_a_string);
}

macro_rules! raw_refuses {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, _: $t) -> Result<()> {
            Err(raw_expected())
        }
    )*};
}

/// The string of a `RawValue`, written as is.
struct RawEmitter<'a>(&'a mut String);

impl ser::Serializer for RawEmitter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        self.0.push_str(v);
        Ok(())
    }
    raw_refuses!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char
    );
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<()> {
        Err(raw_expected())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<()> {
        Err(raw_expected())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<()> {
        Err(raw_expected())
    }
    refuse_compounds!(raw_expected);
}

fn raw_expected() -> Error {
    Error::custom("expected RawValue")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn same<T: Serialize + ?Sized>(value: &T) {
        assert_eq!(
            to_string(value).unwrap(),
            serde_json::to_string(value).unwrap()
        );
    }

    /// Every serde data model shape (the calls `#[derive(Serialize)]` makes), as
    /// `serde_json` writes it.
    #[test]
    fn writes_what_serde_json_writes() {
        use ser::{
            SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTupleStruct,
            SerializeTupleVariant,
        };
        struct Shapes;
        impl Serialize for Shapes {
            fn serialize<S: ser::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
                struct Each(u8);
                impl Serialize for Each {
                    fn serialize<S: ser::Serializer>(
                        &self,
                        s: S,
                    ) -> core::result::Result<S::Ok, S::Error> {
                        match self.0 {
                            0 => s.serialize_unit_variant("E", 0, "Unit"),
                            1 => s.serialize_newtype_variant("E", 1, "Newtype", &7u8),
                            2 => {
                                let mut t = s.serialize_tuple_variant("E", 2, "Tuple", 2)?;
                                t.serialize_field(&1u8)?;
                                t.serialize_field("t")?;
                                t.end()
                            }
                            3 => {
                                let mut t = s.serialize_struct_variant("E", 3, "Struct", 2)?;
                                t.serialize_field("a", &1.5f32)?;
                                t.serialize_field("b", &None::<()>)?;
                                t.end()
                            }
                            4 => s.serialize_unit_struct("Unit"),
                            5 => s.serialize_newtype_struct("Newtype", &-1i128),
                            6 => {
                                let mut t = s.serialize_tuple_struct("Tuple", 2)?;
                                t.serialize_field(&2u16)?;
                                t.serialize_field(&'\n')?;
                                t.end()
                            }
                            7 => {
                                let mut t = s.serialize_struct("S", 2)?;
                                t.serialize_field("x", &[1u8, 2])?;
                                t.skip_field("y")?;
                                t.serialize_field("z", &())?;
                                t.end()
                            }
                            8 => s.serialize_bytes(&[0, 1, 255]),
                            9 => s.serialize_bytes(&[]),
                            10 => s.collect_str(&format_args!("a\"{}\u{1}", 1)),
                            _ => s.serialize_some(&'é'),
                        }
                    }
                }
                let mut seq = s.serialize_seq(None)?;
                for i in 0..12 {
                    seq.serialize_element(&Each(i))?;
                }
                seq.end()
            }
        }
        same(&Shapes);
        same(&json!({"a": [1, -2.5, 1e300, 5e-324, null, true, "x\u{1}\"\\/"], "": {}}));
        same(&(
            u64::MAX,
            i64::MIN,
            u128::MAX,
            f64::NAN,
            f32::INFINITY,
            0.1f32,
            -0.0,
        ));
        same(&Vec::<u8>::new());
        let mut keys = BTreeMap::new();
        keys.insert(3u8, "three");
        same(&keys);
        let mut keys = BTreeMap::new();
        keys.insert(true, 1);
        keys.insert(false, 2);
        same(&keys);
        let mut keys = BTreeMap::new();
        keys.insert('k', ());
        same(&keys);
        let mut keys = BTreeMap::new();
        keys.insert((1, 2), ());
        assert_eq!(
            to_string(&keys).unwrap_err().to_string(),
            serde_json::to_string(&keys).unwrap_err().to_string()
        );
    }
}
