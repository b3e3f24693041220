//! The decoder of `Struct`/`Value`/`ListValue` trees: one pass over a byte slice.
//!
//! prost hands a message one field at a time through `merge_field`, and each nested
//! message goes through `message::merge` and a generic `Buf`. For the one shape that
//! nests deepest and most often (JSON-like trees), this module reads a whole subtree
//! from the contiguous slice it occupies instead, with the known tag bytes matched
//! directly and strings read straight into [`SmallStr`]s.
//!
//! **Depth is counted exactly as prost (and upb) count it**: `Struct`, map entry,
//! `Value` and `ListValue` are one level each, an unknown field one more than the
//! message holding it, each nested group one more. The parser records the deepest
//! level it used below its entry point (and stops at 100, the most any context
//! allows). Then [`check_depth`] asks prost's own decoder whether the caller's
//! `DecodeContext` has that many levels left: it skips a static run of that many
//! nested empty groups with the same context, which fails exactly when a derived
//! message of that depth would. So the limit is prost's to the level, wherever the
//! tree sits, without access to prost's private counter.

use super::fields::Fields;
use super::structs::value::Kind;
use super::{ListValue, Struct, Value};
use crate::wkt::SmallStr;
use bytes::Buf;
use core::cell::Cell;
use prost::DecodeError;
use prost::encoding::{
    DecodeContext, WireType, check_wire_type, decode_key, decode_varint, skip_field,
};

/// The most levels any decode context allows (prost's `RECURSION_LIMIT`).
const MAX_LEVELS: usize = 100;

#[allow(deprecated)] // prost 0.14 has no other public constructor for these errors.
#[cold]
pub(super) fn error(description: &'static str) -> DecodeError {
    DecodeError::new(description)
}

/// The deepest level a parse has used, relative to its entry point.
#[derive(Default)]
pub(super) struct Depth(usize);

impl Depth {
    #[inline(always)]
    fn see(&mut self, level: usize) -> Result<(), DecodeError> {
        if level > MAX_LEVELS {
            return Err(error("recursion limit reached"));
        }
        if level > self.0 {
            self.0 = level;
        }
        Ok(())
    }
}

/// `field 1, start group` a hundred times, then `field 1, end group` a hundred times.
static GROUPS: [u8; 2 * MAX_LEVELS] = {
    let mut groups = [0x0c; 2 * MAX_LEVELS];
    let mut i = 0;
    while i < MAX_LEVELS {
        groups[i] = 0x0b;
        i += 1;
    }
    groups
};

/// Fails, with prost's own error, when `ctx` has fewer than `depth.0` levels left.
///
/// A message `n` levels below needs `n` levels; skipping a group that holds `n - 1`
/// nested groups needs exactly as many (`skip_field` checks the limit once per group).
fn check_depth(ctx: &DecodeContext, depth: &Depth) -> Result<(), DecodeError> {
    let nested = depth.0.saturating_sub(1);
    // After the opening key of the outer group: `nested` openings, then `nested + 1`
    // closings.
    let mut probe = &GROUPS[MAX_LEVELS - nested..MAX_LEVELS + nested + 1];
    skip_field(WireType::StartGroup, 1, &mut probe, ctx.clone())
}

/// Runs `parse` on the next length-delimited field's bytes, which are borrowed from
/// the buffer when contiguous (always, for `&[u8]` and `Bytes`) and copied otherwise.
#[inline]
pub(super) fn with_delimited<B: Buf, R>(
    buf: &mut B,
    parse: impl FnOnce(&[u8]) -> Result<R, DecodeError>,
) -> Result<R, DecodeError> {
    let len = decode_varint(buf)?;
    if len > buf.remaining() as u64 {
        return Err(error("buffer underflow"));
    }
    let len = len as usize;
    if buf.chunk().len() >= len {
        let out = parse(&buf.chunk()[..len])?;
        buf.advance(len);
        Ok(out)
    } else {
        let bytes = buf.copy_to_bytes(len);
        parse(&bytes)
    }
}

/// The levels the last [`merge_subtree`] on this thread had verified, and where it
/// stopped.
#[derive(Clone, Copy, Default)]
struct Verified {
    /// The address of the message whose field it read.
    owner: usize,
    /// The address and `remaining()` of the buffer just after that field.
    end: usize,
    remaining: usize,
    /// The levels the context was shown to allow.
    levels: usize,
}

thread_local! {
    static VERIFIED: Cell<Verified> = const {
        Cell::new(Verified { owner: 0, end: 0, remaining: 0, levels: 0 })
    };
}

/// Reads the next field's bytes (wire type `wire_type`, length-delimited) as one
/// subtree with `parse`, then checks that `ctx` allows the levels it used. Errors
/// name `message.field`.
///
/// prost hands a message its fields one at a time, so a `Struct` that is a field of
/// a generated message sees each entry here, with the same context. The check costs
/// a level of prost's recursion per level of the subtree, so it is made once per run
/// of fields: when this field of `owner` starts one byte (its key, `0a`) after the
/// previous field of the same `owner` ended, in the same buffer, nothing else was
/// read in between, so it is the same decode loop with the same context, and levels
/// already shown to fit need no second check. (Any other read in between, such as a
/// parent's next key and length, moves at least two bytes.)
pub(super) fn merge_subtree<B: Buf>(
    wire_type: WireType,
    buf: &mut B,
    ctx: &DecodeContext,
    owner: usize,
    message: &'static str,
    field: &'static str,
    parse: impl FnOnce(&[u8], &mut Depth) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let at = |e| field_error(e, message, field);
    check_wire_type(WireType::LengthDelimited, wire_type).map_err(at)?;
    let start = (buf.chunk().as_ptr() as usize, buf.remaining());
    let mut depth = Depth::default();
    with_delimited(buf, |b| parse(b, &mut depth)).map_err(at)?;
    let last = VERIFIED.try_with(Cell::get).unwrap_or_default();
    let continues = last.owner == owner
        && last.end.wrapping_add(1) == start.0
        && last.remaining == start.1.wrapping_add(1);
    let verified = if continues { last.levels } else { 0 };
    if depth.0 > verified {
        check_depth(ctx, &depth)?;
    }
    let _ = VERIFIED.try_with(|v| {
        v.set(Verified {
            owner,
            end: buf.chunk().as_ptr() as usize,
            remaining: buf.remaining(),
            levels: verified.max(depth.0),
        })
    });
    Ok(())
}

#[inline(always)]
fn varint(b: &mut &[u8]) -> Result<u64, DecodeError> {
    match b.first() {
        Some(&byte) if byte < 0x80 => {
            *b = &b[1..];
            Ok(u64::from(byte))
        }
        _ => decode_varint(b),
    }
}

#[inline(always)]
fn delimited<'a>(b: &mut &'a [u8]) -> Result<&'a [u8], DecodeError> {
    let len = varint(b)?;
    if len > b.len() as u64 {
        return Err(error("buffer underflow"));
    }
    let (body, rest) = b.split_at(len as usize);
    *b = rest;
    Ok(body)
}

#[inline(always)]
fn string(b: &mut &[u8]) -> Result<SmallStr, DecodeError> {
    let bytes = delimited(b)?;
    SmallStr::from_utf8(bytes).map_err(|_| error("invalid string value: data is not UTF-8 encoded"))
}

/// Skips an unknown field of a message at `level` (prost's `skip_field`, with the
/// levels it would use recorded).
fn skip(
    b: &mut &[u8],
    wire_type: WireType,
    tag: u32,
    level: usize,
    depth: &mut Depth,
) -> Result<(), DecodeError> {
    depth.see(level + 1)?;
    match wire_type {
        WireType::Varint => {
            varint(b)?;
        }
        WireType::ThirtyTwoBit | WireType::SixtyFourBit => {
            let n = if wire_type == WireType::ThirtyTwoBit {
                4
            } else {
                8
            };
            if b.len() < n {
                return Err(error("buffer underflow"));
            }
            *b = &b[n..];
        }
        WireType::LengthDelimited => {
            delimited(b)?;
        }
        WireType::StartGroup => loop {
            let (inner, inner_wire_type) = decode_key(b)?;
            if inner_wire_type == WireType::EndGroup {
                if inner != tag {
                    return Err(error("unexpected end group tag"));
                }
                break;
            }
            skip(b, inner_wire_type, inner, level + 1, depth)?;
        },
        WireType::EndGroup => return Err(error("unexpected end group tag")),
    }
    Ok(())
}

/// The key of the next field, consumed, as the one-byte key of a known field (every
/// known field number is below 16); `Some(0)` for an unknown field, skipped; `None`
/// at the end.
#[inline]
fn next_key(
    b: &mut &[u8],
    known: &[(u32, WireType)],
    level: usize,
    depth: &mut Depth,
) -> Result<Option<u8>, DecodeError> {
    let Some(&byte) = b.first() else {
        return Ok(None);
    };
    if known
        .iter()
        .any(|&(n, wire_type)| u32::from(byte) == (n << 3 | wire_type as u32))
    {
        *b = &b[1..];
        return Ok(Some(byte));
    }
    other_field(b, known, level, depth).map(Some)
}

/// A field whose first byte is not one of the expected keys: a known field with the
/// wrong wire type (an error, as in prost), a known field whose key is an overlong
/// varint (accepted, as prost does: its one-byte key), or an unknown field (skipped: 0).
#[cold]
fn other_field(
    b: &mut &[u8],
    known: &[(u32, WireType)],
    level: usize,
    depth: &mut Depth,
) -> Result<u8, DecodeError> {
    let (tag, wire_type) = decode_key(b)?;
    if let Some(&(_, expected)) = known.iter().find(|(t, _)| *t == tag) {
        check_wire_type(expected, wire_type)?;
        return Ok((tag << 3 | wire_type as u32) as u8);
    }
    skip(b, wire_type, tag, level, depth)?;
    Ok(0)
}

fn field_error(mut e: DecodeError, message: &'static str, field: &'static str) -> DecodeError {
    e.push(message, field);
    e
}

/// The body of a `Struct` at `level`, merged into `fields` (sorted at the end).
pub(super) fn parse_struct(
    mut b: &[u8],
    level: usize,
    fields: &mut Fields,
    depth: &mut Depth,
) -> Result<(), DecodeError> {
    depth.see(level)?;
    while let Some(key) = next_key(&mut b, &[(1, WireType::LengthDelimited)], level, depth)? {
        if key == 0x0a {
            let entry = delimited(&mut b).map_err(|e| field_error(e, "Struct", "fields"))?;
            fields
                .decode_entry(|slot| parse_entry(entry, level + 1, slot, depth))
                .map_err(|e| field_error(e, "Struct", "fields"))?;
        }
    }
    fields.normalize();
    Ok(())
}

/// One `Struct.FieldsEntry` at `level`, read into `slot` (a default entry).
pub(super) fn parse_entry(
    mut b: &[u8],
    level: usize,
    slot: &mut (SmallStr, Value),
    depth: &mut Depth,
) -> Result<(), DecodeError> {
    depth.see(level)?;
    let (key, value) = slot;
    const KNOWN: &[(u32, WireType)] = &[
        (1, WireType::LengthDelimited),
        (2, WireType::LengthDelimited),
    ];
    while let Some(tag) = next_key(&mut b, KNOWN, level, depth)? {
        match tag {
            0x0a => {
                *key = string(&mut b).map_err(|e| field_error(e, "FieldsEntry", "key"))?;
            }
            0x12 => {
                let body = delimited(&mut b)?;
                parse_value(body, level + 1, value, depth)
                    .map_err(|e| field_error(e, "FieldsEntry", "value"))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The body of a `Value` at `level`, merged into `value` (a repeated `struct_value`
/// or `list_value` merges into the one there, like a derived oneof).
pub(super) fn parse_value(
    mut b: &[u8],
    level: usize,
    value: &mut Value,
    depth: &mut Depth,
) -> Result<(), DecodeError> {
    depth.see(level)?;
    const KNOWN: &[(u32, WireType)] = &[
        (1, WireType::Varint),
        (2, WireType::SixtyFourBit),
        (3, WireType::LengthDelimited),
        (4, WireType::Varint),
        (5, WireType::LengthDelimited),
        (6, WireType::LengthDelimited),
    ];
    while let Some(tag) =
        next_key(&mut b, KNOWN, level, depth).map_err(|e| field_error(e, "Value", "kind"))?
    {
        match tag {
            0x08 => {
                let n = varint(&mut b).map_err(|e| field_error(e, "Value", "null_value"))?;
                value.kind = Some(Kind::NullValue(n as i32));
            }
            0x11 => {
                if b.len() < 8 {
                    return Err(field_error(
                        error("buffer underflow"),
                        "Value",
                        "number_value",
                    ));
                }
                let (n, rest) = b.split_at(8);
                let n: [u8; 8] = n.try_into().map_err(|_| error("buffer underflow"))?;
                value.kind = Some(Kind::NumberValue(f64::from_le_bytes(n)));
                b = rest;
            }
            0x1a => {
                let s = string(&mut b).map_err(|e| field_error(e, "Value", "string_value"))?;
                value.kind = Some(Kind::StringValue(s));
            }
            0x20 => {
                let n = varint(&mut b).map_err(|e| field_error(e, "Value", "bool_value"))?;
                value.kind = Some(Kind::BoolValue(n != 0));
            }
            0x2a => {
                let body = delimited(&mut b)?;
                if !matches!(value.kind, Some(Kind::StructValue(_))) {
                    value.kind = Some(Kind::StructValue(Struct::default()));
                }
                if let Some(Kind::StructValue(s)) = &mut value.kind {
                    parse_struct(body, level + 1, &mut s.fields, depth)
                        .map_err(|e| field_error(e, "Value", "struct_value"))?;
                }
            }
            0x32 => {
                let body = delimited(&mut b)?;
                if !matches!(value.kind, Some(Kind::ListValue(_))) {
                    value.kind = Some(Kind::ListValue(ListValue::default()));
                }
                if let Some(Kind::ListValue(l)) = &mut value.kind {
                    parse_list(body, level + 1, l, depth)
                        .map_err(|e| field_error(e, "Value", "list_value"))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The body of a `ListValue` at `level`, appended to `list`.
pub(super) fn parse_list(
    mut b: &[u8],
    level: usize,
    list: &mut ListValue,
    depth: &mut Depth,
) -> Result<(), DecodeError> {
    depth.see(level)?;
    while let Some(key) = next_key(&mut b, &[(1, WireType::LengthDelimited)], level, depth)? {
        if key == 0x0a {
            let body = delimited(&mut b)?;
            let mut value = Value::default();
            parse_value(body, level + 1, &mut value, depth)
                .map_err(|e| field_error(e, "ListValue", "values"))?;
            list.values.push(value);
        }
    }
    Ok(())
}
