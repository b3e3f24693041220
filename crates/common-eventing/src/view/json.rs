//! proto3 JSON of the views of the well-known types (feature `serde`): written
//! through the owned message, whose JSON has special forms (`Timestamp` as RFC 3339,
//! `Any` with its type URL, `Struct` as an object, ...). The views of every other
//! message have generated impls that write field by field, borrowing.

use super::{ListValueView, MessageView, StructView, ValueView};
use crate::wkt::{
    AnyView, BoolValueView, BytesValueView, DoubleValueView, DurationView, EmptyView,
    FieldMaskView, FloatValueView, Int32ValueView, Int64ValueView, StringValueView, TimestampView,
    UInt32ValueView, UInt64ValueView,
};
use serde::{Serialize, Serializer};

macro_rules! through_owned {
    ($($view:ident),*) => {$(
        impl Serialize for $view<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_message().serialize(s)
            }
        }
    )*};
}

through_owned!(
    AnyView,
    BoolValueView,
    BytesValueView,
    DoubleValueView,
    DurationView,
    EmptyView,
    FieldMaskView,
    FloatValueView,
    Int32ValueView,
    Int64ValueView,
    ListValueView,
    StringValueView,
    StructView,
    TimestampView,
    UInt32ValueView,
    UInt64ValueView,
    ValueView
);
