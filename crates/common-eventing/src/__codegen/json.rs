//! What the generated proto3 JSON impls call (not a public API: the generator and this
//! module change together). One [`Kind`] per field type says how a value is written
//! and read; the wrappers apply it to singular, repeated and map fields.

use crate::json::{DEPTH_LIMIT, ParseOptions};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static PATH: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    static OPTIONS: Cell<ParseOptions> = const { Cell::new(ParseOptions { ignore_unknown_fields: false }) };
}

pub(crate) fn with_options<R>(options: ParseOptions, f: impl FnOnce() -> R) -> R {
    struct Restore(ParseOptions);
    impl Drop for Restore {
        fn drop(&mut self) {
            OPTIONS.set(self.0);
        }
    }
    let _restore = Restore(OPTIONS.replace(options));
    f()
}

fn ignore_unknown() -> bool {
    OPTIONS.get().ignore_unknown_fields
}

/// The field path being read, `a.b.c` (empty at the top).
pub fn path() -> String {
    PATH.with_borrow(|p| p.join("."))
}

/// An error prefixed with the field path being read.
pub fn error<E: de::Error>(msg: impl fmt::Display) -> E {
    let path = path();
    if path.is_empty() {
        E::custom(msg)
    } else {
        E::custom(format_args!("{path}: {msg}"))
    }
}

/// Writes what a visitor expects, with the field path (serde puts it in type errors).
pub fn expecting(f: &mut fmt::Formatter<'_>, what: &str) -> fmt::Result {
    let path = path();
    if path.is_empty() {
        f.write_str(what)
    } else {
        write!(f, "{what} (field {path})")
    }
}

/// Holds one field name on the path until dropped.
pub struct FieldGuard(());

/// Enters field `name` of the message being read.
pub fn field(name: &'static str) -> FieldGuard {
    PATH.with_borrow_mut(|p| p.push(name));
    FieldGuard(())
}

impl Drop for FieldGuard {
    fn drop(&mut self) {
        PATH.with_borrow_mut(|p| {
            p.pop();
        });
    }
}

/// Holds message levels of the depth count until dropped.
pub struct DepthGuard(u32);

/// Enters `levels` binary message levels, or `None` past [`DEPTH_LIMIT`]. Reading and
/// writing share the count (it is per thread), and so does everything an `Any` packs:
/// its message is read or written on the same thread, one level below the `Any`.
pub(crate) fn descend(levels: u32) -> Option<DepthGuard> {
    let depth = DEPTH.get() + levels;
    if depth > DEPTH_LIMIT {
        return None;
    }
    DEPTH.set(depth);
    Some(DepthGuard(levels))
}

/// Why [`descend`] said no.
pub(crate) fn too_deep() -> String {
    format!(
        "message nesting exceeds the depth limit of {DEPTH_LIMIT} levels (the binary \
         decoder's limit; a JSON object in a Struct costs three)"
    )
}

/// Enters `levels` binary message levels while reading; an error naming the limit
/// (and the field path) past it.
pub fn enter<E: de::Error>(levels: u32) -> Result<DepthGuard, E> {
    descend(levels).ok_or_else(|| error(too_deep()))
}

/// Enters `levels` binary message levels while writing; an error naming the limit past
/// it. A message in memory is no deeper than its decoder allowed, except through an
/// `Any`, whose packed message is decoded only when it is written: this count is what
/// bounds a chain of `Any`s inside each other.
pub fn enter_ser<E: ser::Error>(levels: u32) -> Result<DepthGuard, E> {
    descend(levels).ok_or_else(|| E::custom(too_deep()))
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.set(DEPTH.get() - self.0);
    }
}

/// The fields of a message seen so far (duplicates are errors), as a bit set.
pub struct Seen<const N: usize>([u64; N]);

impl<const N: usize> Default for Seen<N> {
    fn default() -> Self {
        Seen([0; N])
    }
}

impl<const N: usize> Seen<N> {
    /// Marks field `index`; an error naming `name` if it was seen before.
    pub fn mark<E: de::Error>(&mut self, index: usize, name: &str) -> Result<(), E> {
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        if self.0[word] & bit != 0 {
            return Err(error(format_args!(
                "field {name} is given more than once (by its JSON or its proto name)"
            )));
        }
        self.0[word] |= bit;
        Ok(())
    }
}

/// An error for a second member of a oneof, if one is set already.
pub fn oneof<E: de::Error>(already_set: bool, oneof: &str) -> Result<(), E> {
    if already_set {
        Err(error(format_args!(
            "more than one field of oneof {oneof} is set"
        )))
    } else {
        Ok(())
    }
}

/// A key of a JSON object, borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A key the message does not declare: skipped with `ignore_unknown_fields`, else an
/// error naming it and the message.
pub fn unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: &Key<'_>,
    message: &str,
) -> Result<(), A::Error> {
    if ignore_unknown() {
        map.next_value::<IgnoredAny>()?;
        Ok(())
    } else {
        // serde's wording first ("unknown field `k`"), which callers match on; then
        // the message and the path of the object holding the key.
        let path = path();
        let at = if path.is_empty() {
            String::new()
        } else {
            format!(" in {path}")
        };
        Err(de::Error::custom(format_args!(
            "unknown field `{}` of {message}{at}",
            key.as_str()
        )))
    }
}

/// How values of one proto field type are written and read.
pub trait Kind {
    /// The Rust type prost stores.
    type T;
    /// JSON `null` is a value of this type (`google.protobuf.Value`, `NullValue`),
    /// not the absence of one.
    const NULL_IS_VALUE: bool = false;
    /// Writes `v`.
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error>;
    /// Reads a (non-null) value; `None` to leave it out (an unknown enum name under
    /// `ignore_unknown_fields`).
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self::T>, D::Error>;
}

/// Writes a value of kind `K`.
pub struct W<'a, K: Kind>(pub &'a K::T);

impl<K: Kind> Serialize for W<'_, K> {
    fn serialize<Ser: Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        K::ser(self.0, s)
    }
}

/// Reads the value of a field: `None` for `null` (unless null is a value) and for a
/// value left out.
pub fn value<'de, A: MapAccess<'de>, K: Kind>(map: &mut A) -> Result<Option<K::T>, A::Error> {
    map.next_value_seed(Nullable::<K>(PhantomData))
}

struct Nullable<K>(PhantomData<K>);

impl<'de, K: Kind> DeserializeSeed<'de> for Nullable<K> {
    type Value = Option<K::T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<K::T>, D::Error> {
        if K::NULL_IS_VALUE {
            K::de(d)
        } else {
            d.deserialize_option(self)
        }
    }
}

impl<'de, K: Kind> Visitor<'de> for Nullable<K> {
    type Value = Option<K::T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting(f, "a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<K::T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<K::T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<K::T>, D::Error> {
        K::de(d)
    }
}

/// A list element or map value: `null` is an error unless it is a value.
struct Element<K>(PhantomData<K>);

impl<'de, K: Kind> DeserializeSeed<'de> for Element<K> {
    type Value = Option<K::T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<K::T>, D::Error> {
        K::de(d)
    }
}

// ---- scalars ----

/// `string`.
pub struct Str;

impl Kind for Str {
    type T = String;
    fn ser<S: Serializer>(v: &String, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
        }
        d.deserialize_string(V).map(Some)
    }
}

/// `bool`.
pub struct Bool;

impl Kind for Bool {
    type T = bool;
    fn ser<S: Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*v)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "true or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
        }
        d.deserialize_bool(V).map(Some)
    }
}

/// Standard or URL-safe base64, padded or not, as proto3 JSON parsers must accept.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    // Non-zero trailing bits are accepted, as by protobuf's parsers ("-_" is one byte).
    const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    STANDARD.decode(s).or_else(|_| URL_SAFE.decode(s)).ok()
}

/// `bytes` (base64; standard alphabet with padding when written).
pub struct Bytes;

impl Kind for Bytes {
    type T = bytes::Bytes;
    fn ser<S: Serializer>(v: &bytes::Bytes, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bytes::Bytes>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bytes::Bytes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "a base64 string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bytes::Bytes, E> {
                decode_base64(v)
                    .map(bytes::Bytes::from)
                    .ok_or_else(|| error(format_args!("{v:?} is not base64")))
            }
        }
        d.deserialize_str(V).map(Some)
    }
}

/// An integer read from a JSON number in float form (`5.0`, `1e2`): integral, in
/// range, and at most 2^53 in magnitude (beyond it the double no longer says which
/// integer was written).
fn int_of_f64<T: TryFrom<i64>, E: de::Error>(n: f64) -> Result<T, E> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if !(n.is_finite() && n.fract() == 0.0) {
        return Err(error(format_args!("{n} is not an integer")));
    }
    if n.abs() > EXACT {
        return Err(error(format_args!(
            "{n} is not exact: write integers beyond 2^53 without fraction or exponent"
        )));
    }
    T::try_from(n as i64).map_err(|_| error(format_args!("{n} is out of range")))
}

struct IntVisitor<T>(PhantomData<T>);

impl<T> Visitor<'_> for IntVisitor<T>
where
    T: TryFrom<i64> + TryFrom<u64> + std::str::FromStr,
{
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting(f, "an integer or a decimal string")
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        T::try_from(n).map_err(|_| error(format_args!("{n} is out of range")))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        T::try_from(n).map_err(|_| error(format_args!("{n} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<T, E> {
        int_of_f64(n)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if !v.starts_with('+')
            && let Ok(n) = v.parse::<T>()
        {
            return Ok(n);
        }
        // Only the float forms fall back to a double; a plain integer that did not
        // parse is out of range.
        match number_of_str(v).filter(|_| v.contains(['.', 'e', 'E'])) {
            Some(n) => int_of_f64(n),
            None => Err(error(format_args!("{v:?} is not an integer in range"))),
        }
    }
}

/// A number written as a JSON string (`"1.5"`, `"1e5"`): JSON's number grammar only,
/// so Rust's `inf`, `nan` and `+1` are refused.
fn number_of_str(v: &str) -> Option<f64> {
    let grammar = !v.is_empty()
        && !v.starts_with('+')
        && !v.starts_with('.')
        && !v.ends_with('.')
        && v.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    grammar.then(|| v.parse::<f64>().ok()).flatten()
}

macro_rules! int_kind {
    ($(#[$doc:meta])* $name:ident, $ty:ty, as_string = $as_string:literal) => {
        $(#[$doc])*
        pub struct $name;

        impl Kind for $name {
            type T = $ty;
            fn ser<S: Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                if $as_string {
                    s.collect_str(v)
                } else {
                    v.serialize(s)
                }
            }
            fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                d.deserialize_any(IntVisitor::<$ty>(PhantomData)).map(Some)
            }
        }

        impl MapKey for $name {
            fn write_key(v: &$ty) -> Cow<'_, str> {
                Cow::Owned(v.to_string())
            }
            fn read_key(key: &str) -> Option<$ty> {
                key.parse().ok().filter(|_| !key.starts_with('+'))
            }
        }
    };
}

int_kind!(
    /// `int32`, `sint32`, `sfixed32`.
    I32, i32, as_string = false
);
int_kind!(
    /// `uint32`, `fixed32`.
    U32, u32, as_string = false
);
int_kind!(
    /// `int64`, `sint64`, `sfixed64` (written as strings).
    I64, i64, as_string = true
);
int_kind!(
    /// `uint64`, `fixed64` (written as strings).
    U64, u64, as_string = true
);

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting(f, "a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<f64, E> {
        Ok(n as f64)
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<f64, E> {
        Ok(n as f64)
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<f64, E> {
        Ok(n)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => number_of_str(v)
                .filter(|n| n.is_finite())
                .ok_or_else(|| error(format_args!("{v:?} is not a number"))),
        }
    }
}

/// Reads a double as proto3 JSON allows (number, numeric string, NaN/Infinity names).
pub fn read_f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(FloatVisitor)
}

/// Reads a float: a double in `f32` range (or not finite), rounded to `f32`.
pub fn read_f32<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    let n = read_f64(d)?;
    if n.is_finite() && n.abs() > f64::from(f32::MAX) {
        return Err(error(format_args!("{n} is out of range of a float")));
    }
    Ok(n as f32)
}

/// Writes a double: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn write_f64<S: Serializer>(n: f64, s: S) -> Result<S::Ok, S::Error> {
    if n.is_nan() {
        s.serialize_str("NaN")
    } else if n == f64::INFINITY {
        s.serialize_str("Infinity")
    } else if n == f64::NEG_INFINITY {
        s.serialize_str("-Infinity")
    } else {
        s.serialize_f64(n)
    }
}

/// `double`.
pub struct F64;

impl Kind for F64 {
    type T = f64;
    fn ser<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        write_f64(*v, s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        read_f64(d).map(Some)
    }
}

/// `float`.
pub struct F32;

impl Kind for F32 {
    type T = f32;
    fn ser<S: Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f32(*v)
        } else {
            write_f64(f64::from(*v), s)
        }
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
        read_f32(d).map(Some)
    }
}

// ---- enums ----

/// A generated enum: its names and numbers.
pub trait ProtoEnum {
    /// Full proto name, for errors.
    const FULL_NAME: &'static str;
    /// The name of a known number.
    fn name_of(number: i32) -> Option<&'static str>;
    /// The number of a known name.
    fn number_of(name: &str) -> Option<i32>;
}

/// An enum field (open: any `i32`; known numbers are written as names).
pub struct Enum<E>(PhantomData<E>);

impl<E: ProtoEnum> Kind for Enum<E> {
    type T = i32;
    fn ser<S: Serializer>(v: &i32, s: S) -> Result<S::Ok, S::Error> {
        match E::name_of(*v) {
            Some(name) => s.serialize_str(name),
            None => s.serialize_i32(*v),
        }
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        d.deserialize_any(EnumVisitor::<E>(PhantomData))
    }
}

struct EnumVisitor<E>(PhantomData<E>);

impl<E: ProtoEnum> Visitor<'_> for EnumVisitor<E> {
    type Value = Option<i32>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting(f, &format!("a name or number of enum {}", E::FULL_NAME))
    }
    fn visit_i64<E2: de::Error>(self, n: i64) -> Result<Option<i32>, E2> {
        i32::try_from(n)
            .map(Some)
            .map_err(|_| error(format_args!("{n} is out of range of enum {}", E::FULL_NAME)))
    }
    fn visit_u64<E2: de::Error>(self, n: u64) -> Result<Option<i32>, E2> {
        i32::try_from(n)
            .map(Some)
            .map_err(|_| error(format_args!("{n} is out of range of enum {}", E::FULL_NAME)))
    }
    fn visit_str<E2: de::Error>(self, v: &str) -> Result<Option<i32>, E2> {
        match E::number_of(v) {
            Some(n) => Ok(Some(n)),
            None if ignore_unknown() => Ok(None),
            None => Err(error(format_args!(
                "{v:?} is not a value of enum {}",
                E::FULL_NAME
            ))),
        }
    }
}

/// Reads a closed Rust enum (`impl Deserialize for` a generated enum): a known name or
/// number only.
pub fn read_enum<'de, D, E>(d: D) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
    E: ProtoEnum + TryFrom<i32>,
{
    let n = d
        .deserialize_any(EnumVisitor::<E>(PhantomData))?
        .ok_or_else(|| error("unknown enum name"))?;
    E::try_from(n).map_err(|_| error(format_args!("{n} is not a value of enum {}", E::FULL_NAME)))
}

/// A `google.protobuf.NullValue` field: `null` is its value.
pub struct NullEnum;

impl Kind for NullEnum {
    type T = i32;
    const NULL_IS_VALUE: bool = true;
    fn ser<S: Serializer>(_: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<i32>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<i32>, E> {
                Ok(Some(0))
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<i32>, E> {
                Ok(Some(0))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i32>, E> {
                match v {
                    "NULL_VALUE" => Ok(Some(0)),
                    _ if ignore_unknown() => Ok(None),
                    _ => Err(error(format_args!("{v:?} is not NULL_VALUE"))),
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<i32>, E> {
                i32::try_from(n)
                    .map(Some)
                    .map_err(|_| error("out of range"))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<i32>, E> {
                i32::try_from(n)
                    .map(Some)
                    .map_err(|_| error("out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- messages ----

/// A message field: one binary level deeper.
pub struct Msg<M>(PhantomData<M>);

impl<M: Serialize + for<'de> Deserialize<'de>> Kind for Msg<M> {
    type T = M;
    fn ser<S: Serializer>(v: &M, s: S) -> Result<S::Ok, S::Error> {
        let _depth = enter_ser::<S::Error>(1)?;
        v.serialize(s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<M>, D::Error> {
        let _depth = enter::<D::Error>(1)?;
        M::deserialize(d).map(Some)
    }
}

/// A `google.protobuf.Value` field: `null` is a value (`null_value`).
pub struct ValueMsg;

impl Kind for ValueMsg {
    type T = crate::wkt::Value;
    const NULL_IS_VALUE: bool = true;
    fn ser<S: Serializer>(v: &crate::wkt::Value, s: S) -> Result<S::Ok, S::Error> {
        let _depth = enter_ser::<S::Error>(1)?;
        v.serialize(s)
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<crate::wkt::Value>, D::Error> {
        let _depth = enter::<D::Error>(1)?;
        crate::wkt::Value::deserialize(d).map(Some)
    }
}

// ---- repeated and map ----

/// A repeated field of kind `K`.
pub struct Rep<K>(PhantomData<K>);

impl<K: Kind> Kind for Rep<K> {
    type T = Vec<K::T>;
    fn ser<S: Serializer>(v: &Vec<K::T>, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for item in v {
            seq.serialize_element(&W::<K>(item))?;
        }
        seq.end()
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<K::T>>, D::Error> {
        struct V<K>(PhantomData<K>);
        impl<'de, K: Kind> Visitor<'de> for V<K> {
            type Value = Vec<K::T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<K::T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element_seed(Element::<K>(PhantomData))? {
                    out.extend(item);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V::<K>(PhantomData)).map(Some)
    }
}

/// A map key kind: its JSON object key form.
pub trait MapKey: Kind<T: Ord> {
    /// The key as written.
    fn write_key(v: &Self::T) -> Cow<'_, str>;
    /// The key read back; `None` if it is not one.
    fn read_key(key: &str) -> Option<Self::T>;
}

impl MapKey for Str {
    fn write_key(v: &String) -> Cow<'_, str> {
        Cow::Borrowed(v)
    }
    fn read_key(key: &str) -> Option<String> {
        Some(key.to_owned())
    }
}

impl MapKey for Bool {
    fn write_key(v: &bool) -> Cow<'_, str> {
        Cow::Borrowed(if *v { "true" } else { "false" })
    }
    fn read_key(key: &str) -> Option<bool> {
        match key {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

/// A map field (`BTreeMap`), keys of kind `KK`, values of kind `VK`. Its entries are
/// one binary level below the message.
pub struct Map<KK, VK>(PhantomData<(KK, VK)>);

impl<KK: MapKey, VK: Kind> Kind for Map<KK, VK> {
    type T = BTreeMap<KK::T, VK::T>;
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(v.len()))?;
        for (k, item) in v {
            map.serialize_entry(&KK::write_key(k), &W::<VK>(item))?;
        }
        map.end()
    }
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self::T>, D::Error> {
        struct V<KK, VK>(PhantomData<(KK, VK)>);
        impl<'de, KK: MapKey, VK: Kind> Visitor<'de> for V<KK, VK> {
            type Value = BTreeMap<KK::T, VK::T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting(f, "an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    let k = KK::read_key(key.as_str()).ok_or_else(|| {
                        error::<A::Error>(format_args!("{:?} is not a valid map key", key.as_str()))
                    })?;
                    if let Some(v) = map.next_value_seed(Element::<VK>(PhantomData))? {
                        out.insert(k, v);
                    }
                }
                Ok(out)
            }
        }
        let _depth = enter::<D::Error>(1)?;
        d.deserialize_map(V::<KK, VK>(PhantomData)).map(Some)
    }
}
