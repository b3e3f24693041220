//! The views of the hand-written well-known types: `Struct`, `Value` and
//! `ListValue` (the generated ones, such as `Timestamp` and `Any`, have generated
//! views). They accept what the `Struct` decoder (`wkt/struct_decode.rs`) accepts.

use super::kind::{self, Kind};
use super::{HasView, MapView, MessageView, RepeatedView};
use crate::__codegen::view as rt;
use crate::wkt::{ListValue, Struct, Value, value};
use prost::DecodeError;
use prost::encoding::{WireType, check_wire_type};

/// The view of a [`Struct`]: its entries, in wire order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StructView<'a> {
    fields: MapView<'a, kind::Str, kind::Message<Value>>,
}

impl<'a> StructView<'a> {
    /// The entries (key, value), in wire order; a repeated key may appear again
    /// (the owned `Struct` keeps its last value, as [`StructView::get`] does).
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&'a str, ValueView<'a>)> + '_ {
        self.fields.iter()
    }

    /// The value of `key` (the last one on the wire).
    pub fn get(&self, key: &str) -> Option<ValueView<'a>> {
        self.fields
            .iter()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, v)| v)
    }

    /// The number of entries on the wire.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<'a> MessageView<'a> for StructView<'a> {
    type Owned = Struct;

    fn to_message(&self) -> Struct {
        // Collected, then sorted once (the last value of a repeated key kept), as
        // the `Struct` decoder does: inserting one by one would be quadratic in the
        // entries of a hostile `Struct` whose keys arrive in descending order.
        self.fields
            .iter()
            .map(|(k, v)| (k, v.to_message()))
            .collect()
    }

    fn merge_view(&mut self, body: &'a [u8], depth: u32) -> Result<(), DecodeError> {
        let mut buf = body;
        while !buf.is_empty() {
            let (tag, wire_type) = rt::key(&mut buf)?;
            if tag == 1 {
                check_wire_type(WireType::LengthDelimited, wire_type)?;
                // Past the limit's range the bytes were checked already (see
                // `RepeatedView::merge`).
                if depth <= rt::RECURSION_LIMIT {
                    let mut entry = buf;
                    check_entry(&mut entry, depth).map_err(|e| rt::push(e, "Struct", "fields"))?;
                }
                self.fields.note_checked(body, 1, &mut buf)?;
            } else {
                rt::skip(wire_type, tag, &mut buf, depth)?;
            }
        }
        Ok(())
    }
}

/// Checks one `FieldsEntry` (one level below `depth`) with the `Struct` decoder's
/// error paths.
fn check_entry(buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
    let mut entry = rt::delimited(buf)?;
    if depth == 0 {
        return Err(rt::recursion_limit());
    }
    let depth = depth - 1;
    while !entry.is_empty() {
        let (tag, wire_type) = rt::key(&mut entry)?;
        match tag {
            1 => {
                check_wire_type(WireType::LengthDelimited, wire_type)?;
                let mut key = "";
                kind::Str::merge(&mut key, wire_type, &mut entry, depth)
                    .map_err(|e| rt::push(e, "FieldsEntry", "key"))?;
            }
            2 => {
                check_wire_type(WireType::LengthDelimited, wire_type)?;
                let body = rt::delimited(&mut entry)?;
                check_level(depth)
                    .and_then(|()| ValueView::default().merge_view(body, depth - 1))
                    .map_err(|e| rt::push(e, "FieldsEntry", "value"))?;
            }
            _ => rt::skip(wire_type, tag, &mut entry, depth)?,
        }
    }
    Ok(())
}

/// A message one level below `depth` is allowed.
fn check_level(depth: u32) -> Result<(), DecodeError> {
    if depth == 0 {
        Err(rt::recursion_limit())
    } else {
        Ok(())
    }
}

impl HasView for Struct {
    type View<'a> = StructView<'a>;
}

/// The view of a [`ListValue`]: its values, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListValueView<'a> {
    /// The values.
    pub values: RepeatedView<'a, kind::Message<Value>>,
}

impl<'a> MessageView<'a> for ListValueView<'a> {
    type Owned = ListValue;

    fn to_message(&self) -> ListValue {
        ListValue {
            values: self.values.to_vec(),
        }
    }

    fn merge_view(&mut self, body: &'a [u8], depth: u32) -> Result<(), DecodeError> {
        let mut buf = body;
        while !buf.is_empty() {
            let (tag, wire_type) = rt::key(&mut buf)?;
            if tag == 1 {
                check_wire_type(WireType::LengthDelimited, wire_type)?;
                if depth <= rt::RECURSION_LIMIT {
                    let mut element = buf;
                    let value = rt::delimited(&mut element)?;
                    check_level(depth)
                        .and_then(|()| ValueView::default().merge_view(value, depth - 1))
                        .map_err(|e| rt::push(e, "ListValue", "values"))?;
                }
                self.values.note_checked(body, 1, &mut buf)?;
            } else {
                rt::skip(wire_type, tag, &mut buf, depth)?;
            }
        }
        Ok(())
    }
}

impl HasView for ListValue {
    type View<'a> = ListValueView<'a>;
}

/// The view of a [`Value`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueView<'a> {
    /// The kind of value; `None` when unset.
    pub kind: Option<ValueKindView<'a>>,
}

/// The view of [`value::Kind`].
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKindView<'a> {
    /// A JSON `null` (the enum number).
    NullValue(i32),
    /// A JSON number.
    NumberValue(f64),
    /// A JSON string.
    StringValue(&'a str),
    /// A JSON boolean.
    BoolValue(bool),
    /// A JSON object.
    StructValue(StructView<'a>),
    /// A JSON array.
    ListValue(ListValueView<'a>),
}

/// A scalar case: replaces whatever the oneof held.
fn scalar<'a, K: Kind>(
    wire_type: WireType,
    buf: &mut &'a [u8],
    make: fn(K::Value<'a>) -> ValueKindView<'a>,
    field: &'static str,
) -> Result<ValueKindView<'a>, DecodeError> {
    let mut v = K::Value::default();
    K::merge(&mut v, wire_type, buf, 0).map_err(|e| rt::push(e, "Value", field))?;
    Ok(make(v))
}

impl<'a> MessageView<'a> for ValueView<'a> {
    type Owned = Value;

    fn to_message(&self) -> Value {
        Value {
            kind: self.kind.as_ref().map(|k| match k {
                ValueKindView::NullValue(n) => value::Kind::NullValue(*n),
                ValueKindView::NumberValue(n) => value::Kind::NumberValue(*n),
                ValueKindView::StringValue(s) => value::Kind::StringValue((*s).into()),
                ValueKindView::BoolValue(b) => value::Kind::BoolValue(*b),
                ValueKindView::StructValue(s) => value::Kind::StructValue(s.to_message()),
                ValueKindView::ListValue(l) => value::Kind::ListValue(l.to_message()),
            }),
        }
    }

    fn merge_view(&mut self, body: &'a [u8], depth: u32) -> Result<(), DecodeError> {
        const WIRE: [WireType; 6] = [
            WireType::Varint,
            WireType::SixtyFourBit,
            WireType::LengthDelimited,
            WireType::Varint,
            WireType::LengthDelimited,
            WireType::LengthDelimited,
        ];
        let kind_error = |e| rt::push(e, "Value", "kind");
        let mut buf = body;
        while !buf.is_empty() {
            let (tag, wire_type) = rt::key(&mut buf).map_err(kind_error)?;
            match WIRE.get((tag as usize).wrapping_sub(1)) {
                Some(&expected) => check_wire_type(expected, wire_type).map_err(kind_error)?,
                None => {
                    rt::skip(wire_type, tag, &mut buf, depth).map_err(kind_error)?;
                    continue;
                }
            }
            let kind = match tag {
                1 => scalar::<kind::Int32>(
                    wire_type,
                    &mut buf,
                    ValueKindView::NullValue,
                    "null_value",
                )?,
                2 => scalar::<kind::Double>(
                    wire_type,
                    &mut buf,
                    ValueKindView::NumberValue,
                    "number_value",
                )?,
                3 => scalar::<kind::Str>(
                    wire_type,
                    &mut buf,
                    ValueKindView::StringValue,
                    "string_value",
                )?,
                4 => scalar::<kind::Bool>(
                    wire_type,
                    &mut buf,
                    ValueKindView::BoolValue,
                    "bool_value",
                )?,
                5 => {
                    // A repeated message case merges into the one there.
                    let mut s = match self.kind.take() {
                        Some(ValueKindView::StructValue(s)) => s,
                        _ => StructView::default(),
                    };
                    let body = rt::delimited(&mut buf)?;
                    check_level(depth)
                        .and_then(|()| s.merge_view(body, depth - 1))
                        .map_err(|e| rt::push(e, "Value", "struct_value"))?;
                    ValueKindView::StructValue(s)
                }
                _ => {
                    let mut l = match self.kind.take() {
                        Some(ValueKindView::ListValue(l)) => l,
                        _ => ListValueView::default(),
                    };
                    let body = rt::delimited(&mut buf)?;
                    check_level(depth)
                        .and_then(|()| l.merge_view(body, depth - 1))
                        .map_err(|e| rt::push(e, "Value", "list_value"))?;
                    ValueKindView::ListValue(l)
                }
            };
            self.kind = Some(kind);
        }
        Ok(())
    }
}

impl HasView for Value {
    type View<'a> = ValueView<'a>;
}
