//! The field kinds of [`RepeatedView`](super::RepeatedView) and
//! [`MapView`](super::MapView): one marker type per protobuf type, saying how one
//! value is read and what it is in a view and in the owned message.

use super::HasView;
use crate::__codegen::view as rt;
use prost::DecodeError;
use prost::encoding::{WireType, check_wire_type};

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
    ($(#[$doc:meta] $name:ident: $ty:ty, $wire:ident, |$raw:ident| $read:expr, |$skip:ident| $step:expr;)*) => {$(
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
                check_wire_type(WireType::$wire, wire_type)?;
                let $raw = buf;
                *value = $read;
                Ok(())
            }

            #[inline(always)]
            fn check(wire_type: WireType, buf: &mut &[u8], _depth: u32) -> Result<(), DecodeError> {
                check_wire_type(WireType::$wire, wire_type)?;
                let $skip = buf;
                $step;
                Ok(())
            }

            #[inline(always)]
            fn to_owned(value: &$ty) -> $ty {
                *value
            }
        }
    )*};
}

/// The `N` bytes of a fixed-width value, or prost's `buffer underflow`.
#[inline(always)]
fn fixed<const N: usize>(buf: &mut &[u8]) -> Result<[u8; N], DecodeError> {
    match buf.split_first_chunk::<N>() {
        Some((bytes, rest)) => {
            *buf = rest;
            Ok(*bytes)
        }
        None => Err(rt::buffer_underflow()),
    }
}

// Each conversion is prost's (`prost::encoding::{int32, sint32, ...}::merge`): a
// varint truncated to the type, zigzag for `sint*`, non-zero for `bool`, little-endian
// for the fixed widths.
scalar! {
    /// `int32`, and enums (an `i32`, as in the owned message).
    Int32: i32, Varint, |b| rt::varint(b)? as i32, |b| rt::varint(b)?;
    /// `int64`.
    Int64: i64, Varint, |b| rt::varint(b)? as i64, |b| rt::varint(b)?;
    /// `uint32`.
    Uint32: u32, Varint, |b| rt::varint(b)? as u32, |b| rt::varint(b)?;
    /// `uint64`.
    Uint64: u64, Varint, |b| rt::varint(b)?, |b| rt::varint(b)?;
    /// `sint32`.
    Sint32: i32, Varint, |b| {
        let v = rt::varint(b)? as u32;
        ((v >> 1) as i32) ^ (-((v & 1) as i32))
    }, |b| rt::varint(b)?;
    /// `sint64`.
    Sint64: i64, Varint, |b| {
        let v = rt::varint(b)?;
        ((v >> 1) as i64) ^ (-((v & 1) as i64))
    }, |b| rt::varint(b)?;
    /// `fixed32`.
    Fixed32: u32, ThirtyTwoBit, |b| u32::from_le_bytes(fixed(b)?), |b| fixed::<4>(b)?;
    /// `fixed64`.
    Fixed64: u64, SixtyFourBit, |b| u64::from_le_bytes(fixed(b)?), |b| fixed::<8>(b)?;
    /// `sfixed32`.
    Sfixed32: i32, ThirtyTwoBit, |b| i32::from_le_bytes(fixed(b)?), |b| fixed::<4>(b)?;
    /// `sfixed64`.
    Sfixed64: i64, SixtyFourBit, |b| i64::from_le_bytes(fixed(b)?), |b| fixed::<8>(b)?;
    /// `float`.
    Float: f32, ThirtyTwoBit, |b| f32::from_le_bytes(fixed(b)?), |b| fixed::<4>(b)?;
    /// `double`.
    Double: f64, SixtyFourBit, |b| f64::from_le_bytes(fixed(b)?), |b| fixed::<8>(b)?;
    /// `bool`.
    Bool: bool, Varint, |b| rt::varint(b)? != 0, |b| rt::varint(b)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use prost::encoding::DecodeContext;

    /// Inputs that reach every branch of a scalar read: short, long, overlong and
    /// truncated varints, fixed widths cut short, and random bytes.
    fn inputs() -> Vec<Vec<u8>> {
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15_u64);
        let mut out = vec![vec![], vec![0], vec![0x80], vec![0xff; 11], vec![0xff; 10]];
        for v in [0u64, 1, 127, 128, u32::MAX as u64, u64::MAX, 1 << 63] {
            let mut b = Vec::new();
            prost::encoding::encode_varint(v, &mut b);
            out.push(b);
        }
        for _ in 0..3000 {
            let len = (next() % 13) as usize;
            // Mostly continuation bytes, so long varints are common.
            out.push(
                (0..len)
                    .map(|_| (next() | 0x80) as u8 ^ (next().is_multiple_of(4) as u8) << 7)
                    .collect(),
            );
        }
        out
    }

    /// `K::merge` and `K::check` against prost's own `merge` for the same type: the
    /// same value, the same error text, and the same bytes consumed, on every wire type.
    fn agrees<K: Kind>(
        name: &str,
        prost_merge: impl Fn(WireType, &mut K::Value<'static>, &mut &[u8]) -> Result<(), DecodeError>,
    ) {
        let wires = [
            WireType::Varint,
            WireType::SixtyFourBit,
            WireType::LengthDelimited,
            WireType::ThirtyTwoBit,
        ];
        for input in inputs() {
            for wire in wires {
                let mut theirs_buf = &input[..];
                let mut theirs = K::Value::default();
                let theirs_result =
                    prost_merge(wire, &mut theirs, &mut theirs_buf).map_err(|e| e.to_string());
                let mut ours_buf = &input[..];
                let mut ours = K::Value::default();
                let ours_result =
                    K::merge(&mut ours, wire, &mut ours_buf, 0).map_err(|e| e.to_string());
                assert_eq!(ours_result, theirs_result, "{name} {wire:?} {input:?}");
                if theirs_result.is_ok() {
                    assert_eq!(
                        format!("{ours:?}"),
                        format!("{theirs:?}"),
                        "{name} {wire:?} {input:?}"
                    );
                    assert_eq!(
                        ours_buf.len(),
                        theirs_buf.len(),
                        "{name} {wire:?} {input:?}"
                    );
                }
                let mut check_buf = &input[..];
                let check = K::check(wire, &mut check_buf, 0).map_err(|e| e.to_string());
                assert_eq!(check, theirs_result, "{name} check {wire:?} {input:?}");
                if check.is_ok() {
                    assert_eq!(
                        check_buf.len(),
                        theirs_buf.len(),
                        "{name} check {wire:?} {input:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn scalars_read_as_prost_reads_them() {
        use prost::encoding as p;
        agrees::<Int32>("int32", |w, v, b| {
            p::int32::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Int64>("int64", |w, v, b| {
            p::int64::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Uint32>("uint32", |w, v, b| {
            p::uint32::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Uint64>("uint64", |w, v, b| {
            p::uint64::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Sint32>("sint32", |w, v, b| {
            p::sint32::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Sint64>("sint64", |w, v, b| {
            p::sint64::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Fixed32>("fixed32", |w, v, b| {
            p::fixed32::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Fixed64>("fixed64", |w, v, b| {
            p::fixed64::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Sfixed32>("sfixed32", |w, v, b| {
            p::sfixed32::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Sfixed64>("sfixed64", |w, v, b| {
            p::sfixed64::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Float>("float", |w, v, b| {
            p::float::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Double>("double", |w, v, b| {
            p::double::merge(w, v, b, DecodeContext::default())
        });
        agrees::<Bool>("bool", |w, v, b| {
            p::bool::merge(w, v, b, DecodeContext::default())
        });
    }
}
