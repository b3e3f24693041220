//! `google.protobuf.Struct`, `Value` and `ListValue`: the dynamic JSON-like tree.
//!
//! Hand-written instead of generated (see CONTRIBUTING, "The well-known types"): the
//! map is a sorted [`Fields`] vector instead of a `BTreeMap`, strings are [`SmallStr`]
//! (inline up to 23 bytes), and the binary codec (`struct_codec.rs`) sizes every node
//! once, so encoding is linear in the size of the tree at any depth. The wire format,
//! the deterministic bytes and the JSON form are those of the generated types.

use super::NullValue;
use super::fields::{self, Fields};
use crate::wkt::SmallStr;

/// `google.protobuf.Struct`: a JSON object, an ordered map from key to [`Value`].
///
/// ```
/// use common_eventing::wkt::{Struct, Value};
///
/// let mut s: Struct = [("b", Value::from(2.0)), ("a", Value::from("x"))].into_iter().collect();
/// s.insert("c", true);
/// assert_eq!(s.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
/// assert_eq!(s.get("a").and_then(Value::as_str), Some("x"));
/// ```
#[derive(Clone, PartialEq, Default)]
pub struct Struct {
    /// The entries, in ascending key order.
    pub fields: Fields,
}

/// `google.protobuf.Value`: a JSON value. `kind: None` encodes as an empty message and
/// has no JSON form.
#[derive(Clone, PartialEq, Default, Debug)]
pub struct Value {
    /// The kind of value; `None` when unset.
    pub kind: Option<value::Kind>,
}

/// Nested types of [`Value`].
pub mod value {
    use super::{ListValue, Struct};
    use crate::wkt::SmallStr;

    /// The `kind` oneof of `google.protobuf.Value`.
    #[derive(Clone, PartialEq, Debug)]
    pub enum Kind {
        /// A JSON `null` (the enum number, normally `NullValue::NullValue as i32`).
        NullValue(i32),
        /// A JSON number (a double).
        NumberValue(f64),
        /// A JSON string.
        StringValue(SmallStr),
        /// A JSON boolean.
        BoolValue(bool),
        /// A JSON object.
        StructValue(Struct),
        /// A JSON array.
        ListValue(ListValue),
    }
}

use value::Kind;

/// `google.protobuf.ListValue`: a JSON array.
#[derive(Clone, PartialEq, Default, Debug)]
pub struct ListValue {
    /// The elements, in order.
    pub values: Vec<Value>,
}

impl core::fmt::Debug for Struct {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Struct")
            .field("fields", &self.fields)
            .finish()
    }
}

impl Struct {
    /// An empty `Struct`.
    pub const fn new() -> Self {
        Struct {
            fields: Fields::new(),
        }
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// The value of `key` for changing it in place, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.fields.get_mut(key)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: impl Into<SmallStr>, value: impl Into<Value>) -> Option<Value> {
        self.fields.insert(key, value)
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.fields.remove(key)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The entries in ascending key order.
    pub fn iter(&self) -> fields::Iter<'_> {
        self.fields.iter()
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.fields.keys()
    }
}

impl<'a> IntoIterator for &'a Struct {
    type Item = (&'a str, &'a Value);
    type IntoIter = fields::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}

impl IntoIterator for Struct {
    type Item = (SmallStr, Value);
    type IntoIter = fields::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.fields.into_iter()
    }
}

impl<K: Into<SmallStr>, V: Into<Value>> FromIterator<(K, V)> for Struct {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Struct {
            fields: iter.into_iter().collect(),
        }
    }
}

impl<K: Into<SmallStr>, V: Into<Value>> Extend<(K, V)> for Struct {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.fields.extend(iter);
    }
}

impl From<Fields> for Struct {
    fn from(fields: Fields) -> Self {
        Struct { fields }
    }
}

impl Value {
    /// The JSON `null` value.
    pub fn null() -> Self {
        Value {
            kind: Some(Kind::NullValue(NullValue::NullValue as i32)),
        }
    }

    /// The string, if this is a string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Some(Kind::StringValue(s)) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is a number value.
    pub fn as_f64(&self) -> Option<f64> {
        match self.kind {
            Some(Kind::NumberValue(n)) => Some(n),
            _ => None,
        }
    }

    /// The boolean, if this is a bool value.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Some(Kind::BoolValue(b)) => Some(b),
            _ => None,
        }
    }

    /// The object, if this is a struct value.
    pub fn as_struct(&self) -> Option<&Struct> {
        match &self.kind {
            Some(Kind::StructValue(s)) => Some(s),
            _ => None,
        }
    }

    /// The array, if this is a list value.
    pub fn as_list(&self) -> Option<&ListValue> {
        match &self.kind {
            Some(Kind::ListValue(l)) => Some(l),
            _ => None,
        }
    }

    /// True for a JSON `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Some(Kind::NullValue(_)))
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value {
            kind: Some(Kind::NumberValue(n)),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value {
            kind: Some(Kind::BoolValue(b)),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value {
            kind: Some(Kind::StringValue(SmallStr::new(s))),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value {
            kind: Some(Kind::StringValue(SmallStr::from(s))),
        }
    }
}

impl From<SmallStr> for Value {
    fn from(s: SmallStr) -> Self {
        Value {
            kind: Some(Kind::StringValue(s)),
        }
    }
}

impl From<Struct> for Value {
    fn from(s: Struct) -> Self {
        Value {
            kind: Some(Kind::StructValue(s)),
        }
    }
}

impl From<ListValue> for Value {
    fn from(l: ListValue) -> Self {
        Value {
            kind: Some(Kind::ListValue(l)),
        }
    }
}

impl From<Kind> for Value {
    fn from(kind: Kind) -> Self {
        Value { kind: Some(kind) }
    }
}

impl<V: Into<Value>> FromIterator<V> for ListValue {
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> Self {
        ListValue {
            values: iter.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Vec<Value>> for ListValue {
    fn from(values: Vec<Value>) -> Self {
        ListValue { values }
    }
}

macro_rules! name {
    ($($ty:ident),*) => {$(
        impl prost::Name for $ty {
            const NAME: &'static str = stringify!($ty);
            const PACKAGE: &'static str = "google.protobuf";
            fn full_name() -> String {
                concat!("google.protobuf.", stringify!($ty)).into()
            }
            fn type_url() -> String {
                concat!("type.googleapis.com/google.protobuf.", stringify!($ty)).into()
            }
        }
    )*};
}
name!(Struct, Value, ListValue);
