//! The readers the generated views (`MessageView` impls) are written against: keys,
//! length-delimited fields, unknown fields and the recursion budget, each with
//! prost's own rules and, where prost has a public way to make it, prost's own
//! error value.

use crate::view::{HasView, MessageView, kind::Kind};
use prost::DecodeError;
use prost::encoding::{DecodeContext, WireType, check_wire_type, decode_varint};

pub use prost::encoding::WireType as Wire;

/// prost's recursion limit: message levels below the top-level message.
pub const RECURSION_LIMIT: u32 = 100;

/// The next field's number and wire type.
#[inline(always)]
pub fn key(buf: &mut &[u8]) -> Result<(u32, WireType), DecodeError> {
    if let Some(&byte) = buf.first()
        && byte < 0x80
    {
        // A one-byte key: the same checks as prost's `decode_key`.
        let tag = u32::from(byte >> 3);
        if tag != 0
            && let Ok(wire_type) = WireType::try_from(u64::from(byte & 7))
        {
            *buf = &buf[1..];
            return Ok((tag, wire_type));
        }
    }
    prost::encoding::decode_key(buf)
}

/// A varint.
#[inline(always)]
pub fn varint(buf: &mut &[u8]) -> Result<u64, DecodeError> {
    if let Some(&byte) = buf.first()
        && byte < 0x80
    {
        *buf = &buf[1..];
        return Ok(u64::from(byte));
    }
    decode_varint(buf)
}

/// The body of a length-delimited field (its length prefix read, the body split off).
#[inline(always)]
pub fn delimited<'a>(buf: &mut &'a [u8]) -> Result<&'a [u8], DecodeError> {
    let len = varint(buf)?;
    if len > buf.len() as u64 {
        return Err(buffer_underflow());
    }
    let (body, rest) = buf.split_at(len as usize);
    *buf = rest;
    Ok(body)
}

/// `bytes` as a `str`, checked as prost checks a `string` (with the `simd-utf8`
/// feature, `smoothutf8`: word-at-a-time below 128 bytes, 64 on aarch64, SIMD above;
/// the same answer). Also what generated messages' owned decode checks strings with
/// (`prost_upb::encoding::string`).
#[inline(always)]
pub fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    #[cfg(feature = "simd-utf8")]
    let s = smoothutf8::from_utf8(bytes);
    #[cfg(not(feature = "simd-utf8"))]
    let s = core::str::from_utf8(bytes).ok();
    s.ok_or_else(invalid_string)
}

/// A nested message of wire type `wire_type` merged into `view`, one level down: the
/// checks of prost's `message::merge`, in its order (wire type, limit, length).
#[inline]
pub fn message<'a, V: MessageView<'a>>(
    view: &mut V,
    wire_type: WireType,
    buf: &mut &'a [u8],
    depth: u32,
) -> Result<(), DecodeError> {
    check_wire_type(WireType::LengthDelimited, wire_type)?;
    if depth == 0 {
        return Err(recursion_limit());
    }
    let body = delimited(buf)?;
    view.merge_view(body, depth - 1)
}

/// A singular field of kind `K` merged into `value` (scalars and strings replace it,
/// messages merge into it).
#[inline(always)]
pub fn merge<'a, K: Kind>(
    value: &mut K::Value<'a>,
    wire_type: WireType,
    buf: &mut &'a [u8],
    depth: u32,
) -> Result<(), DecodeError> {
    K::merge(value, wire_type, buf, depth)
}

/// Checks one occurrence of a field of kind `K`, keeping nothing.
#[inline(always)]
pub fn check<K: Kind>(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
    K::check(wire_type, buf, depth)
}

/// A proto3 `optional` field of kind `K`.
#[inline(always)]
pub fn optional<'a, K: Kind>(
    value: &mut Option<K::Value<'a>>,
    wire_type: WireType,
    buf: &mut &'a [u8],
    depth: u32,
) -> Result<(), DecodeError> {
    K::merge(
        value.get_or_insert_with(Default::default),
        wire_type,
        buf,
        depth,
    )
}

/// A singular message field.
#[inline(always)]
pub fn singular<'a, M: HasView>(
    value: &mut Option<M::View<'a>>,
    wire_type: WireType,
    buf: &mut &'a [u8],
    depth: u32,
) -> Result<(), DecodeError> {
    message(
        value.get_or_insert_with(Default::default),
        wire_type,
        buf,
        depth,
    )
}

/// A singular message field the owned message boxes (a message that reaches itself).
#[inline]
pub fn boxed<'a, M: HasView>(
    value: &mut Option<Box<M::View<'a>>>,
    wire_type: WireType,
    buf: &mut &'a [u8],
    depth: u32,
) -> Result<(), DecodeError> {
    message(
        &mut **value.get_or_insert_with(Default::default),
        wire_type,
        buf,
        depth,
    )
}

/// Skips an unknown field, as prost's `skip_field` does with `depth` levels left
/// (it fails at no level left, and each nested group takes one).
pub fn skip(wire_type: WireType, tag: u32, buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
    if depth == 0 {
        return Err(recursion_limit());
    }
    let len: u64 = match wire_type {
        WireType::Varint => {
            varint(buf)?;
            0
        }
        WireType::ThirtyTwoBit => 4,
        WireType::SixtyFourBit => 8,
        WireType::LengthDelimited => varint(buf)?,
        WireType::StartGroup => loop {
            let (inner_tag, inner_wire_type) = prost::encoding::decode_key(buf)?;
            if inner_wire_type == WireType::EndGroup {
                if inner_tag != tag {
                    return Err(unexpected_end_group());
                }
                break 0;
            }
            skip(inner_wire_type, inner_tag, buf, depth - 1)?;
        },
        WireType::EndGroup => return Err(unexpected_end_group()),
    };
    if len > buf.len() as u64 {
        return Err(buffer_underflow());
    }
    *buf = &buf[len as usize..];
    Ok(())
}

/// `error` with `message.field` pushed onto its path, as prost's derived
/// `merge_field` does.
#[cold]
pub fn push(mut error: DecodeError, message: &'static str, field: &'static str) -> DecodeError {
    error.push(message, field);
    error
}

#[allow(deprecated)] // prost has no public constructor for its error kinds.
#[cold]
fn described(description: &'static str) -> DecodeError {
    DecodeError::new(description)
}

/// prost's own `buffer underflow` error.
#[cold]
pub fn buffer_underflow() -> DecodeError {
    prost::encoding::skip_field(
        WireType::LengthDelimited,
        1,
        &mut &[1u8][..],
        DecodeContext::default(),
    )
    .err()
    .unwrap_or_else(|| described("buffer underflow"))
}

/// prost's own `invalid string value` error.
#[cold]
pub fn invalid_string() -> DecodeError {
    let mut s = String::new();
    prost::encoding::string::merge(
        WireType::LengthDelimited,
        &mut s,
        &mut &[1u8, 0xff][..],
        DecodeContext::default(),
    )
    .err()
    .unwrap_or_else(|| described("invalid string value: data is not UTF-8 encoded"))
}

/// prost's own `unexpected end group tag` error.
#[cold]
pub fn unexpected_end_group() -> DecodeError {
    prost::encoding::skip_field(
        WireType::EndGroup,
        1,
        &mut &[][..],
        DecodeContext::default(),
    )
    .err()
    .unwrap_or_else(|| described("unexpected end group tag"))
}

/// The error prost gives past its recursion limit (same text; prost has no public
/// way to make its own value).
#[cold]
pub fn recursion_limit() -> DecodeError {
    described("recursion limit reached")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `utf8` (smoothutf8 and simdutf8 with `simd-utf8`) says what `core::str`
    /// says, on both sides of the 128-byte hand-over and on every kind of bad byte.
    #[test]
    fn utf8_agrees_with_core() {
        let mut next = crate::test_rng::xorshift(0x2545_F491_4F6C_DD1D_u64);
        let pieces: [&[u8]; 10] = [
            b"a",
            b"plain ascii ",
            "é".as_bytes(),
            "世".as_bytes(),
            "🌍".as_bytes(),
            &[0xC0, 0x80],
            &[0xED, 0xA0, 0x80],
            &[0xF4, 0x90, 0x80, 0x80],
            &[0xE2, 0x82],
            &[0xff],
        ];
        let (mut valid, mut invalid) = (0, 0);
        for _ in 0..20_000 {
            let target = (next() % 300) as usize;
            let mut bytes = Vec::new();
            while bytes.len() < target {
                // Mostly valid text, so long valid and late-invalid inputs are common.
                let piece =
                    pieces[(next() % if next().is_multiple_of(8) { 10 } else { 5 }) as usize];
                bytes.extend_from_slice(piece);
            }
            let core = core::str::from_utf8(&bytes).is_ok();
            assert_eq!(utf8(&bytes).is_ok(), core, "{bytes:?}");
            if core { valid += 1 } else { invalid += 1 }
        }
        assert!(
            valid > 1000 && invalid > 1000,
            "{valid} valid, {invalid} invalid"
        );
    }

    #[test]
    fn errors_read_as_prosts() {
        assert_eq!(
            buffer_underflow().to_string(),
            "failed to decode Protobuf message: buffer underflow"
        );
        assert_eq!(
            invalid_string().to_string(),
            "failed to decode Protobuf message: invalid string value: data is not UTF-8 encoded"
        );
        assert_eq!(
            unexpected_end_group().to_string(),
            "failed to decode Protobuf message: unexpected end group tag"
        );
    }

    #[test]
    fn key_fast_path_agrees_with_prost() {
        for byte in 0u8..0x80 {
            let ours = key(&mut &[byte][..]).map_err(|e| e.to_string());
            let prost = prost::encoding::decode_key(&mut &[byte][..]).map_err(|e| e.to_string());
            assert_eq!(ours, prost, "{byte:#04x}");
        }
    }

    #[test]
    fn skip_counts_groups_as_prost_does() {
        // field 1 start group, 3 nested groups, then their ends.
        let bytes = [0x0b, 0x0b, 0x0b, 0x0c, 0x0c, 0x0c];
        for depth in 0..4 {
            let mut ours = &bytes[1..];
            let ours = skip(WireType::StartGroup, 1, &mut ours, depth).is_ok();
            assert_eq!(ours, depth >= 3, "{depth}");
        }
    }
}
