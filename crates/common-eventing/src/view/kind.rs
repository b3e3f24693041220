//! The field kinds of [`RepeatedView`](super::RepeatedView) and
//! [`MapView`](super::MapView): one marker type per protobuf type, saying how one
//! value is read and what it is in a view and in the owned message.

use super::HasView;
use crate::__codegen::view as rt;
use prost::DecodeError;
use prost::encoding::{DecodeContext, WireType, check_wire_type};

/// How one value of a field is read, and what it is in a view and in the owned
/// message.
pub trait Kind {
    /// The value in a view (`&'a str` for a string, a view for a message).
    type Value<'a>: Clone + Default + core::fmt::Debug + PartialEq;
    /// The value in the owned message.
    type Owned;
    /// Whether a repeated field of this kind may come packed.
    const PACKABLE: bool;
    /// The wire type of one element of a packed run.
    const WIRE: WireType;

    /// Merges one occurrence (wire type `wire_type`) into `value`, with prost's checks.
    #[doc(hidden)]
    fn merge<'a>(
        value: &mut Self::Value<'a>,
        wire_type: WireType,
        buf: &mut &'a [u8],
        depth: u32,
    ) -> Result<(), DecodeError>;

    /// Checks one occurrence as [`Kind::merge`] would, keeping nothing.
    #[doc(hidden)]
    #[inline(always)]
    fn check(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
        let mut value = Self::Value::default();
        Self::merge(&mut value, wire_type, buf, depth)
    }

    /// The owned value.
    fn to_owned(value: &Self::Value<'_>) -> Self::Owned;
}

macro_rules! scalar {
    ($(#[$doc:meta] $name:ident: $ty:ty, $module:ident, $wire:ident;)*) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy)]
        pub enum $name {}

        impl Kind for $name {
            type Value<'a> = $ty;
            type Owned = $ty;
            const PACKABLE: bool = true;
            const WIRE: WireType = WireType::$wire;

            #[inline(always)]
            fn merge(
                value: &mut $ty,
                wire_type: WireType,
                buf: &mut &[u8],
                _depth: u32,
            ) -> Result<(), DecodeError> {
                prost::encoding::$module::merge(wire_type, value, buf, DecodeContext::default())
            }

            #[inline(always)]
            fn to_owned(value: &$ty) -> $ty {
                *value
            }
        }
    )*};
}

scalar! {
    /// `int32`, and enums (an `i32`, as in the owned message).
    Int32: i32, int32, Varint;
    /// `int64`.
    Int64: i64, int64, Varint;
    /// `uint32`.
    Uint32: u32, uint32, Varint;
    /// `uint64`.
    Uint64: u64, uint64, Varint;
    /// `sint32`.
    Sint32: i32, sint32, Varint;
    /// `sint64`.
    Sint64: i64, sint64, Varint;
    /// `fixed32`.
    Fixed32: u32, fixed32, ThirtyTwoBit;
    /// `fixed64`.
    Fixed64: u64, fixed64, SixtyFourBit;
    /// `sfixed32`.
    Sfixed32: i32, sfixed32, ThirtyTwoBit;
    /// `sfixed64`.
    Sfixed64: i64, sfixed64, SixtyFourBit;
    /// `float`.
    Float: f32, float, ThirtyTwoBit;
    /// `double`.
    Double: f64, double, SixtyFourBit;
    /// `bool`.
    Bool: bool, bool, Varint;
}

/// `string`: `&'a str` in a view, checked UTF-8.
#[derive(Debug, Clone, Copy)]
pub enum Str {}

impl Kind for Str {
    type Value<'a> = &'a str;
    type Owned = String;
    const PACKABLE: bool = false;
    const WIRE: WireType = WireType::LengthDelimited;

    #[inline(always)]
    fn merge<'a>(
        value: &mut &'a str,
        wire_type: WireType,
        buf: &mut &'a [u8],
        _depth: u32,
    ) -> Result<(), DecodeError> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        let bytes = rt::delimited(buf)?;
        *value = rt::utf8(bytes)?;
        Ok(())
    }

    fn to_owned(value: &&str) -> String {
        (*value).to_owned()
    }
}

/// `bytes`: `&'a [u8]` in a view, `bytes::Bytes` in the owned message.
#[derive(Debug, Clone, Copy)]
pub enum Bytes {}

impl Kind for Bytes {
    type Value<'a> = &'a [u8];
    type Owned = bytes::Bytes;
    const PACKABLE: bool = false;
    const WIRE: WireType = WireType::LengthDelimited;

    #[inline(always)]
    fn merge<'a>(
        value: &mut &'a [u8],
        wire_type: WireType,
        buf: &mut &'a [u8],
        _depth: u32,
    ) -> Result<(), DecodeError> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        *value = rt::delimited(buf)?;
        Ok(())
    }

    fn to_owned(value: &&[u8]) -> bytes::Bytes {
        bytes::Bytes::copy_from_slice(value)
    }
}

/// A message `M`: its view in a view.
pub struct Message<M>(core::marker::PhantomData<fn() -> M>);

impl<M: HasView> Kind for Message<M> {
    type Value<'a> = M::View<'a>;
    type Owned = M;
    const PACKABLE: bool = false;
    const WIRE: WireType = WireType::LengthDelimited;

    #[inline(always)]
    fn merge<'a>(
        value: &mut M::View<'a>,
        wire_type: WireType,
        buf: &mut &'a [u8],
        depth: u32,
    ) -> Result<(), DecodeError> {
        rt::message(value, wire_type, buf, depth)
    }

    #[inline(always)]
    fn check(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
        check_wire_type(WireType::LengthDelimited, wire_type)?;
        if depth == 0 {
            return Err(rt::recursion_limit());
        }
        let body = rt::delimited(buf)?;
        <M::View<'_> as super::MessageView<'_>>::check_view(body, depth - 1)
    }

    fn to_owned(value: &M::View<'_>) -> M {
        super::MessageView::to_message(value)
    }
}
