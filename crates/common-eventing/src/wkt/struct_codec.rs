//! The binary codec of `Struct`, `Value` and `ListValue`.
//!
//! **Encode is linear in the tree, at any depth.** A derived prost message asks every
//! nested message for its `encoded_len()` when it writes the length prefix, so a node
//! `d` levels deep would be measured `d` times. Here sizing (`plan_*`) caches each
//! `Struct`'s length in its [`Fields`](super::Fields), so a cached `Struct` is sized
//! in `O(1)` by every later ask. The writer (`back_*`) fills a buffer of exactly that
//! length from its end towards its start, as upb does: a node's body is written
//! first, and its length prefix is the distance just written, so writing measures
//! nothing. Short strings go out as one 16-byte store (see [`SmallStr`]). The buffer
//! is thread-local and reused, so a warm encoder allocates nothing, and is handed to
//! the caller's `BufMut` in one `put_slice`.
//!
//! **Decode** appends map entries in arrival order and sorts once at the end of each
//! `Struct` it controls (see [`Fields`](super::Fields)); strings are [`SmallStr`]s read
//! straight from the input. Nested messages go through prost's `message::merge`, so
//! the recursion limit counts exactly as it does for generated messages (100 levels;
//! `Struct`, map entry and `Value` are one level each).
//!
//! Map entries are written the way C++, Java, Go and Python (upb) write them: key and
//! value always, even an empty key or an unset value (`0a 00`, `12 00`). prost's
//! derived maps leave those out, so for such entries these bytes differ from prost's
//! and equal everyone else's (the interop tests compare with Python's deterministic
//! serialization). Decoding accepts both. A repeated oneof message case merges into
//! the existing one, and a repeated map key keeps the last value, as in every runtime.

use super::struct_decode::{
    error, merge_subtree, parse_entry, parse_list, parse_struct, parse_value, with_delimited,
};
use super::structs::value::Kind;
use super::{ListValue, SmallStr, Struct, Value};
use crate::encode::rt;
use bytes::{Buf, BufMut};
use core::cell::Cell;
use prost::encoding::{
    DecodeContext, WireType, bool as pbool, check_wire_type, double, int32, message, skip_field,
};
use prost::{DecodeError, Message};

// ---- sizing --------------------------------------------------------------------

/// Sizes a `Struct`, caching its length (and that of every `Struct` below it). A
/// cached length stands in for the whole subtree.
fn plan_struct(s: &Struct) -> usize {
    if let Some(len) = s.fields.cached_len() {
        return len;
    }
    let mut total = 0;
    let mut entry = |key: &str, value: &Value| {
        total += rt::delimited(
            1,
            rt::delimited(1, key.len()) + rt::delimited(1, plan_value(value)),
        );
    };
    match s.fields.sorted_entries() {
        Some(entries) => entries.iter().for_each(|(k, v)| entry(k, v)),
        None => s.fields.iter().for_each(|(k, v)| entry(k, v)),
    }
    s.fields.cache_len(total);
    total
}

fn plan_list(l: &ListValue) -> usize {
    l.values
        .iter()
        .map(|v| rt::delimited(1, plan_value(v)))
        .sum()
}

fn plan_value(v: &Value) -> usize {
    match &v.kind {
        None => 0,
        // An enum is an int32: negative numbers take ten bytes.
        Some(Kind::NullValue(n)) => 1 + rt::varint_len(*n as i64 as u64),
        Some(Kind::NumberValue(_)) => 9,
        Some(Kind::StringValue(s)) => rt::delimited(1, s.len()),
        Some(Kind::BoolValue(_)) => 2,
        Some(Kind::StructValue(s)) => rt::delimited(1, plan_struct(s)),
        Some(Kind::ListValue(l)) => rt::delimited(1, plan_list(l)),
    }
}

// ---- writing -------------------------------------------------------------------

// The output is a buffer of exactly the encoded length, written from its end towards
// its start, as upb writes: a node's body comes first, and its length prefix is then
// just the distance written. So the writer measures nothing; only `encoded_len`
// (which a derived parent calls anyway, and which caches every `Struct`'s length)
// sizes. Each function takes the position everything from which is written, and
// returns the new one (so it stays in a register). Bytes, varints and headers go
// through the backward writers every generated `Encode` impl uses
// ([`crate::encode::rt`]); only the 16-byte string store is this module's.

/// A string: a short inline one with one 16-byte store that ends at `pos` (the
/// bytes below the string it overwrites are not written yet; the buffer of
/// `encode_raw` starts with [`SLACK`] spare bytes so there always are 16; otherwise
/// the first 16 bytes of a buffer are written with a copy).
#[inline(always)]
fn put_string(out: &mut [u8], pos: usize, s: &SmallStr) -> usize {
    match s.short() {
        Some((bytes, len)) if pos >= 16 => {
            // `len` is 0..=16; a zero-length string stores nothing that stays.
            let aligned = bytes.checked_shl(8 * (16 - len) as u32).unwrap_or(0);
            out[pos - 16..pos].copy_from_slice(&aligned.to_le_bytes());
            pos - len
        }
        _ => rt::bytes(out, pos, s.as_bytes()),
    }
}

/// The entries of `s`, last key first.
fn back_struct(s: &Struct, out: &mut [u8], mut pos: usize) -> usize {
    let mut entry = |key: &SmallStr, value: &Value| {
        let end = pos;
        let mut p = back_value(value, out, pos);
        p = rt::header(out, p, &[0x12], end);
        p = put_string(out, p, key);
        p = rt::varint(out, p, key.len() as u64);
        p = rt::byte(out, p, 0x0a);
        pos = rt::header(out, p, &[0x0a], end);
    };
    match s.fields.sorted_entries() {
        Some(entries) => entries.iter().rev().for_each(|(k, v)| entry(k, v)),
        None => {
            let entries = s.fields.collected_entries();
            entries.into_iter().rev().for_each(|(k, v)| entry(k, v));
        }
    }
    pos
}

fn back_list(l: &ListValue, out: &mut [u8], mut pos: usize) -> usize {
    for value in l.values.iter().rev() {
        let end = pos;
        pos = back_value(value, out, pos);
        pos = rt::header(out, pos, &[0x0a], end);
    }
    pos
}

/// The body of `v`.
fn back_value(v: &Value, out: &mut [u8], pos: usize) -> usize {
    match &v.kind {
        None => pos,
        Some(Kind::NullValue(n)) => {
            let pos = rt::varint(out, pos, *n as i64 as u64);
            rt::byte(out, pos, 0x08)
        }
        Some(Kind::NumberValue(n)) => {
            let pos = rt::bytes(out, pos, &n.to_le_bytes());
            rt::byte(out, pos, 0x11)
        }
        Some(Kind::StringValue(s)) => {
            let pos = put_string(out, pos, s);
            let pos = rt::varint(out, pos, s.len() as u64);
            rt::byte(out, pos, 0x1a)
        }
        Some(Kind::BoolValue(b)) => {
            let pos = rt::byte(out, pos, u8::from(*b));
            rt::byte(out, pos, 0x20)
        }
        Some(Kind::StructValue(s)) => {
            let body = back_struct(s, out, pos);
            rt::header(out, body, &[0x2a], pos)
        }
        Some(Kind::ListValue(l)) => {
            let body = back_list(l, out, pos);
            rt::header(out, body, &[0x32], pos)
        }
    }
}

/// Spare bytes before the output, for [`put_string`]'s 16-byte stores.
const SLACK: usize = 16;

thread_local! {
    /// A reused output buffer per thread (taken while in use: a `BufMut` that
    /// encodes a `Struct` inside `put_slice` gets a fresh one).
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Writes the `len` bytes `write` produces backwards into a (reused) buffer, then
/// hands them to `buf` in one piece.
fn encode_backward(
    len: usize,
    write: impl FnOnce(&mut [u8], usize) -> usize,
    buf: &mut impl BufMut,
) {
    let mut scratch = SCRATCH.try_with(Cell::take).unwrap_or_default();
    scratch.clear();
    scratch.resize(SLACK + len, 0);
    let start = write(&mut scratch, SLACK + len);
    // The sizing pass and the writer follow the same tree.
    debug_assert_eq!(start, SLACK, "encoded_len and the writer disagree");
    buf.put_slice(&scratch[SLACK..]);
    // Keep a warm buffer, but not a huge one.
    if scratch.capacity() <= 1 << 20 {
        let _ = SCRATCH.try_with(|cell| cell.set(scratch));
    }
}

fn field_error(mut e: DecodeError, message: &'static str, field: &'static str) -> DecodeError {
    e.push(message, field);
    e
}

impl Message for Struct {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        encode_backward(
            plan_struct(self),
            |out, pos| back_struct(self, out, pos),
            buf,
        );
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        match tag {
            1 => {
                let owner = self as *const Struct as usize;
                merge_subtree(
                    wire_type,
                    buf,
                    &ctx,
                    owner,
                    "Struct",
                    "fields",
                    |b, depth| {
                        self.fields
                            .decode_entry(|slot| parse_entry(b, 1, slot, depth))
                    },
                )
            }
            _ => skip_field(wire_type, tag, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        plan_struct(self)
    }

    fn clear(&mut self) {
        self.fields.clear();
    }

    // A top-level decode sees the end of the message: sort there, once.
    fn merge(&mut self, mut buf: impl Buf) -> Result<(), DecodeError> {
        let ctx = DecodeContext::default();
        while buf.has_remaining() {
            let (tag, wire_type) = prost::encoding::decode_key(&mut buf)?;
            self.merge_field(tag, wire_type, &mut buf, ctx.clone())?;
        }
        self.fields.normalize();
        Ok(())
    }

    fn merge_length_delimited(&mut self, mut buf: impl Buf) -> Result<(), DecodeError> {
        message::merge(
            WireType::LengthDelimited,
            self,
            &mut buf,
            DecodeContext::default(),
        )?;
        self.fields.normalize();
        Ok(())
    }
}

impl crate::encode::Encode for Struct {
    fn size(&self) -> usize {
        plan_struct(self)
    }
    fn write_back(&self, out: &mut [u8], pos: usize) -> usize {
        back_struct(self, out, pos)
    }
}

impl crate::encode::Encode for Value {
    fn size(&self) -> usize {
        plan_value(self)
    }
    fn write_back(&self, out: &mut [u8], pos: usize) -> usize {
        back_value(self, out, pos)
    }
}

impl crate::encode::Encode for ListValue {
    fn size(&self) -> usize {
        plan_list(self)
    }
    fn write_back(&self, out: &mut [u8], pos: usize) -> usize {
        back_list(self, out, pos)
    }
}

impl Message for Value {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        encode_backward(plan_value(self), |out, pos| back_value(self, out, pos), buf);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        let field = |mut e: DecodeError, name: &'static str| {
            e.push("Value", name);
            e
        };
        match tag {
            1 => {
                let mut n = 0;
                int32::merge(wire_type, &mut n, buf, ctx).map_err(|e| field(e, "null_value"))?;
                self.kind = Some(Kind::NullValue(n));
            }
            2 => {
                let mut n = 0.0;
                double::merge(wire_type, &mut n, buf, ctx).map_err(|e| field(e, "number_value"))?;
                self.kind = Some(Kind::NumberValue(n));
            }
            3 => {
                check_wire_type(WireType::LengthDelimited, wire_type)
                    .map_err(|e| field_error(e, "Value", "string_value"))?;
                let s = with_delimited(buf, |b| {
                    SmallStr::from_utf8(b)
                        .map_err(|_| error("invalid string value: data is not UTF-8 encoded"))
                })
                .map_err(|e| field_error(e, "Value", "string_value"))?;
                self.kind = Some(Kind::StringValue(s));
            }
            4 => {
                let mut b = false;
                pbool::merge(wire_type, &mut b, buf, ctx).map_err(|e| field(e, "bool_value"))?;
                self.kind = Some(Kind::BoolValue(b));
            }
            5 => {
                if !matches!(self.kind, Some(Kind::StructValue(_))) {
                    self.kind = Some(Kind::StructValue(Struct::default()));
                }
                let Some(Kind::StructValue(s)) = &mut self.kind else {
                    unreachable!("set just above")
                };
                let owner = s as *const Struct as usize;
                merge_subtree(
                    wire_type,
                    buf,
                    &ctx,
                    owner,
                    "Value",
                    "struct_value",
                    |b, depth| parse_struct(b, 1, &mut s.fields, depth),
                )?;
            }
            6 => {
                if !matches!(self.kind, Some(Kind::ListValue(_))) {
                    self.kind = Some(Kind::ListValue(ListValue::default()));
                }
                let Some(Kind::ListValue(l)) = &mut self.kind else {
                    unreachable!("set just above")
                };
                let owner = l as *const ListValue as usize;
                merge_subtree(
                    wire_type,
                    buf,
                    &ctx,
                    owner,
                    "Value",
                    "list_value",
                    |b, depth| parse_list(b, 1, l, depth),
                )?;
            }
            _ => skip_field(wire_type, tag, buf, ctx)?,
        }
        Ok(())
    }

    fn encoded_len(&self) -> usize {
        plan_value(self)
    }

    fn clear(&mut self) {
        self.kind = None;
    }
}

impl Message for ListValue {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        encode_backward(plan_list(self), |out, pos| back_list(self, out, pos), buf);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        match tag {
            1 => {
                let mut value = Value::default();
                let owner = self as *const ListValue as usize;
                merge_subtree(
                    wire_type,
                    buf,
                    &ctx,
                    owner,
                    "ListValue",
                    "values",
                    |b, depth| parse_value(b, 1, &mut value, depth),
                )?;
                self.values.push(value);
                Ok(())
            }
            _ => skip_field(wire_type, tag, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        plan_list(self)
    }

    fn clear(&mut self) {
        self.values.clear();
    }
}

#[cfg(test)]
mod tests {
    //! Differential tests against prost's derived codec (`prost_types`, whose `Struct`
    //! is a `BTreeMap`): same bytes, same decoded trees, for random trees. The interop
    //! tests check the same against Python's upb.
    use super::*;
    use prost::encoding::{encode_varint, encoded_len_varint};
    use prost_types::value::Kind as PKind;

    /// xorshift64*: deterministic, dependency-free randomness for the generator.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    const KEY_PARTS: &[&str] = &[
        "",
        "a",
        "b",
        "key",
        "ключ",
        "鍵",
        "🗝",
        "a b",
        "long-key-over-23-bytes-of-text",
    ];

    /// Never empty, and no key a prefix of another (each ends with the only `|`):
    /// prost leaves an empty key out of a map entry where every other runtime (and
    /// this codec) writes it, and prost's `BTreeMap` puts a prefix before its
    /// extensions where Python (and this codec) put it after. Those cases are
    /// compared with Python (tests/tests/wkt_struct_differential.rs) and pinned below.
    fn key(rng: &mut Rng) -> String {
        let mut k: String = (0..1 + rng.below(2))
            .map(|_| KEY_PARTS[1 + rng.below(KEY_PARTS.len() as u64 - 1) as usize])
            .collect();
        k.push('|');
        k
    }

    fn value(rng: &mut Rng, depth: u32) -> prost_types::Value {
        // Never unset, for the same reason as `key` (except inside lists).
        let kind = match rng.below(if depth == 0 { 6 } else { 9 }) {
            0 | 1 => Some(PKind::NullValue(if rng.below(4) == 0 { -1 } else { 0 })),
            2 => Some(PKind::NumberValue(match rng.below(4) {
                0 => f64::NAN,
                1 => -0.0,
                _ => f64::from_bits(rng.next()),
            })),
            3 => Some(PKind::StringValue(key(rng).repeat(rng.below(4) as usize))),
            4 | 5 => Some(PKind::BoolValue(rng.below(2) == 0)),
            6 | 7 => Some(PKind::StructValue(strukt(rng, depth - 1))),
            _ => Some(PKind::ListValue(prost_types::ListValue {
                values: (0..rng.below(4))
                    .map(|_| match rng.below(5) {
                        0 => prost_types::Value { kind: None },
                        _ => value(rng, depth - 1),
                    })
                    .collect(),
            })),
        };
        prost_types::Value { kind }
    }

    fn strukt(rng: &mut Rng, depth: u32) -> prost_types::Struct {
        prost_types::Struct {
            fields: (0..rng.below(5))
                .map(|_| (key(rng), value(rng, depth)))
                .collect(),
        }
    }

    /// The same tree, built through our public API (so insert order is random too).
    fn ours(v: &prost_types::Value) -> Value {
        Value {
            kind: v.kind.as_ref().map(|k| match k {
                PKind::NullValue(n) => Kind::NullValue(*n),
                PKind::NumberValue(n) => Kind::NumberValue(*n),
                PKind::StringValue(s) => Kind::StringValue(s.as_str().into()),
                PKind::BoolValue(b) => Kind::BoolValue(*b),
                PKind::StructValue(s) => Kind::StructValue(ours_struct(s)),
                PKind::ListValue(l) => Kind::ListValue(l.values.iter().map(ours).collect()),
            }),
        }
    }

    fn ours_struct(s: &prost_types::Struct) -> Struct {
        let mut out = Struct::default();
        for (k, v) in s.fields.iter().rev() {
            out.insert(k.as_str(), ours(v));
        }
        out
    }

    /// Bit-exact equality (NaN equals NaN), which `PartialEq` on f64 is not.
    fn same(a: &Value, b: &Value) -> bool {
        a.encode_to_vec() == b.encode_to_vec()
    }

    #[test]
    fn random_trees_match_prosts_derived_codec() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..3000 {
            let depth = 1 + rng.below(12) as u32;
            let theirs = value(&mut rng, depth);
            let mine = ours(&theirs);
            let bytes = theirs.encode_to_vec();
            assert_eq!(mine.encode_to_vec(), bytes, "case {case}: {theirs:?}");
            // The backward encoder, whose buffer has no spare bytes in front.
            assert_eq!(crate::encode::to_vec(&mine), bytes, "case {case}");
            assert_eq!(mine.encoded_len(), bytes.len(), "case {case}");
            let decoded = Value::decode(bytes.as_slice()).unwrap();
            assert!(same(&decoded, &mine), "case {case}");
            let s = strukt(&mut rng, depth);
            let bytes = s.encode_to_vec();
            assert_eq!(ours_struct(&s).encode_to_vec(), bytes, "case {case}");
            assert_eq!(
                crate::encode::to_vec(&ours_struct(&s)),
                bytes,
                "case {case}"
            );
            // The three ways `encode_raw` meets a tree: nothing cached (all planned),
            // everything cached (`encoded_len` first, as a derived parent does), and
            // cached subtrees under a changed root (planned down to them).
            let mut fresh = Vec::new();
            ours_struct(&s).encode_raw(&mut fresh);
            assert_eq!(fresh, bytes, "case {case}: uncached");
            let mut mixed = ours_struct(&s);
            let _ = mixed.encoded_len();
            let mut cached = Vec::new();
            mixed.encode_raw(&mut cached);
            assert_eq!(cached, bytes, "case {case}: cached");
            let mut theirs_mixed = s.clone();
            theirs_mixed
                .fields
                .insert("~changed".into(), value(&mut rng, depth));
            let extra = theirs_mixed.fields["~changed"].clone();
            mixed.fields.insert("~changed", ours(&extra));
            let mut partly = Vec::new();
            mixed.encode_raw(&mut partly);
            assert_eq!(partly, theirs_mixed.encode_to_vec(), "case {case}: partly");
            assert_eq!(
                prost_types::Struct::decode(
                    Struct::decode(bytes.as_slice())
                        .unwrap()
                        .encode_to_vec()
                        .as_slice()
                )
                .unwrap()
                .encode_to_vec(),
                bytes
            );
        }
    }

    /// Entries in any wire order (Go and Java do not sort) decode to the sorted map;
    /// a repeated key keeps the value that came last, as in prost and upb.
    #[test]
    fn entries_in_any_order_and_repeated_keys() {
        let mut rng = Rng(7);
        for _ in 0..500 {
            let n = rng.below(40) as usize;
            let entries: Vec<(String, prost_types::Value)> = (0..n)
                .map(|_| (key(&mut rng), value(&mut rng, 2)))
                .collect();
            // The wire form of a map is the concatenation of its entries.
            let wire: Vec<u8> = entries
                .iter()
                .flat_map(|(k, v)| {
                    prost_types::Struct {
                        fields: [(k.clone(), v.clone())].into(),
                    }
                    .encode_to_vec()
                })
                .collect();
            let reference = prost_types::Struct::decode(wire.as_slice()).unwrap();
            // Top level, nested in a Value, and as a prost-derived message's field.
            let top = Struct::decode(wire.as_slice()).unwrap();
            assert!(top.fields.iter().map(|(k, _)| k).is_sorted());
            assert_eq!(top.encode_to_vec(), reference.encode_to_vec());
            let mut nested = vec![0x2a];
            encode_varint(wire.len() as u64, &mut nested);
            nested.extend_from_slice(&wire);
            let nested = Value::decode(nested.as_slice()).unwrap();
            assert_eq!(
                nested.as_struct().unwrap().encode_to_vec(),
                top.encode_to_vec()
            );

            #[derive(Clone, PartialEq, prost::Message)]
            struct Parent {
                #[prost(message, optional, tag = "3")]
                args: Option<Struct>,
            }
            let mut parent = vec![0x1a];
            encode_varint(wire.len() as u64, &mut parent);
            parent.extend_from_slice(&wire);
            let mut parent = Parent::decode(parent.as_slice()).unwrap();
            let args = parent.args.as_ref().unwrap();
            assert_eq!(args.encode_to_vec(), top.encode_to_vec());
            assert_eq!(args.len(), reference.fields.len());
            assert_eq!(
                args.keys().collect::<Vec<_>>(),
                reference
                    .fields
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
            );
            for (k, v) in &reference.fields {
                assert!(same(args.get(k).unwrap(), &ours(v)));
            }
            assert_eq!(args.encode_to_vec(), reference.encode_to_vec());
            // A &mut access sorts it in place; nothing changes.
            let args = parent.args.as_mut().unwrap();
            args.insert("zzz-added", 1.0);
            args.remove("zzz-added");
            assert_eq!(args.encode_to_vec(), reference.encode_to_vec());
        }
    }

    /// Deep trees encode in time linear in their size: the sizes are computed once per
    /// node, so one encode visits each node a bounded number of times.
    #[test]
    fn deep_trees_round_trip_up_to_the_recursion_limit() {
        // Value > Struct > entry > Value ... : three decoder levels per object.
        let mut v = Value::from("leaf");
        for _ in 0..32 {
            v = Value::from(Struct::from_iter([("a", v)]));
        }
        let bytes = v.encode_to_vec();
        assert_eq!(
            bytes,
            prost_types::Value::decode(bytes.as_slice())
                .unwrap()
                .encode_to_vec()
        );
        assert_eq!(Value::decode(bytes.as_slice()).unwrap(), v);
        // One level more than prost's limit of 100 is refused, as it is by prost.
        let mut v = Value::from("leaf");
        for _ in 0..40 {
            v = Value::from(Struct::from_iter([("a", v)]));
        }
        let bytes = v.encode_to_vec();
        assert!(prost_types::Value::decode(bytes.as_slice()).is_err());
        let err = Value::decode(bytes.as_slice()).unwrap_err().to_string();
        assert!(err.contains("recursion limit"), "{err}");
    }

    /// The cached lengths inside `Fields` never go stale: after any change made
    /// through the public API, at any depth, `encoded_len` is the length of the bytes
    /// and those bytes are what a fresh copy (with no cache) encodes to.
    #[test]
    fn cached_lengths_follow_every_change() {
        let mut rng = Rng(99);
        let mut s = ours_struct(&strukt(&mut rng, 4));
        for step in 0..2000 {
            let _ = s.encoded_len(); // fill the caches
            match rng.below(7) {
                0 => {
                    s.insert(key(&mut rng), ours(&value(&mut rng, 3)));
                }
                1 => {
                    let k = s.keys().next().map(str::to_owned);
                    if let Some(k) = k {
                        s.remove(&k);
                    }
                }
                2 => {
                    // Change a nested Struct through get_mut.
                    let k = s.keys().last().map(str::to_owned);
                    if let Some(Some(Kind::StructValue(inner))) =
                        k.and_then(|k| s.get_mut(&k).map(|v| v.kind.as_mut()))
                    {
                        inner.insert(key(&mut rng), "a longer string than before");
                    }
                }
                3 => {
                    for (_, v) in s.fields.iter_mut() {
                        if let Some(Kind::StructValue(inner)) = &mut v.kind {
                            inner.fields.retain(|k, _| k.len() % 2 == 0);
                        }
                    }
                }
                4 => {
                    for v in s.fields.values_mut() {
                        if let Some(Kind::ListValue(l)) = &mut v.kind {
                            l.values.push(Value::from(Struct::from_iter([("n", 1.0)])));
                        }
                    }
                }
                5 => s.extend([(key(&mut rng), Value::from(true))]),
                _ => {
                    if rng.below(20) == 0 {
                        s.fields.clear();
                    }
                }
            }
            // Asked before encoding (encoding refreshes the caches).
            let len = s.encoded_len();
            let bytes = s.encode_to_vec();
            assert_eq!(len, bytes.len(), "step {step}");
            // What a derived parent writes: the length prefix comes from the cache.
            let mut framed = Vec::new();
            message::encode(1, &s, &mut framed);
            assert_eq!(
                framed.len(),
                1 + encoded_len_varint(bytes.len() as u64) + bytes.len()
            );
            let fresh = Struct::decode(bytes.as_slice()).unwrap();
            assert_eq!(fresh.encode_to_vec(), bytes, "step {step}");
            let copy = s.clone();
            assert_eq!(copy.encoded_len(), bytes.len(), "step {step}");
        }
    }

    /// Keys are written in Python's deterministic order: a prefix after its extensions.
    #[test]
    fn keys_are_written_in_upbs_deterministic_order() {
        let s: Struct = ["a", "", "ab", "b"]
            .into_iter()
            .map(|k| (k, true))
            .collect();
        let keys: Vec<Vec<u8>> = Struct::decode(s.encode_to_vec().as_slice())
            .unwrap()
            .keys()
            .map(|k| k.as_bytes().to_vec())
            .collect();
        assert_eq!(keys, [&b"ab"[..], b"a", b"b", b""]);
        let wire = s.encode_to_vec();
        let first_key = &wire[4..6];
        assert_eq!(first_key, b"ab");
    }

    /// Map entries carry key and value even when they are defaults, as C++, Go and
    /// Python write them (prost would write `0a 00` for this whole entry).
    #[test]
    fn empty_key_and_unset_value_are_written() {
        let s: Struct = [("", Value { kind: None })].into_iter().collect();
        assert_eq!(s.encode_to_vec(), b"\x0a\x04\x0a\x00\x12\x00");
        assert_eq!(s.encoded_len(), 6);
        // Both forms decode to the same map.
        assert_eq!(Struct::decode(&b"\x0a\x00"[..]).unwrap(), s);
        assert_eq!(Struct::decode(&b"\x0a\x04\x0a\x00\x12\x00"[..]).unwrap(), s);
    }

    /// The recursion limit falls on exactly the level where prost's derived decoder
    /// puts it, whatever sits above the tree (derived parents, lists, unknown fields
    /// with nested groups), one level either side.
    #[test]
    fn depth_limit_is_prosts_to_the_level() {
        macro_rules! wrap {
            ($name:ident, $tree:ty) => {
                #[derive(Clone, PartialEq, prost::Message)]
                struct $name {
                    #[prost(message, optional, boxed, tag = "1")]
                    inner: Option<Box<$name>>,
                    #[prost(message, optional, tag = "2")]
                    tree: Option<$tree>,
                }
            };
        }
        wrap!(Ours, Value);
        wrap!(Theirs, prost_types::Value);
        fn wrapped(tree: &[u8], parents: usize) -> Vec<u8> {
            // `parents` derived messages, the innermost holding the tree in field 2.
            let mut bytes = vec![0x12];
            encode_varint(tree.len() as u64, &mut bytes);
            bytes.extend_from_slice(tree);
            for _ in 0..parents {
                let mut outer = vec![0x0a];
                encode_varint(bytes.len() as u64, &mut outer);
                outer.extend_from_slice(&bytes);
                bytes = outer;
            }
            bytes
        }
        /// A Struct chain `objects` deep, ending in a list chain `lists` deep, whose
        /// last Value carries an unknown field of `groups` nested groups.
        fn tree(objects: usize, lists: usize, groups: usize) -> Vec<u8> {
            let mut bytes = Value::from("leaf").encode_to_vec();
            if groups > 0 {
                // Field 7, start group, nested `groups` times.
                bytes.extend(std::iter::repeat_n(0x3b, groups));
                bytes.extend(std::iter::repeat_n(0x3c, groups));
            }
            for _ in 0..lists {
                // Value { list_value: ListValue { values: [inner] } }
                let mut list = vec![0x0a];
                encode_varint(bytes.len() as u64, &mut list);
                list.extend_from_slice(&bytes);
                let mut value = vec![0x32];
                encode_varint(list.len() as u64, &mut value);
                value.extend_from_slice(&list);
                bytes = value;
            }
            for _ in 0..objects {
                // Value { struct_value: Struct { fields: { "a": inner } } }
                let mut entry = vec![0x0a, 0x01, b'a', 0x12];
                encode_varint(bytes.len() as u64, &mut entry);
                entry.extend_from_slice(&bytes);
                let mut s = vec![0x0a];
                encode_varint(entry.len() as u64, &mut s);
                s.extend_from_slice(&entry);
                let mut value = vec![0x2a];
                encode_varint(s.len() as u64, &mut value);
                value.extend_from_slice(&s);
                bytes = value;
            }
            bytes
        }
        let mut checked = 0;
        for parents in [0, 1, 3] {
            for lists in [0, 1, 4] {
                for groups in [0, 1, 3] {
                    for objects in 26..36 {
                        let t = tree(objects, lists, groups);
                        let theirs = prost_types::Value::decode(t.as_slice()).is_ok();
                        assert_eq!(
                            Value::decode(t.as_slice()).is_ok(),
                            theirs,
                            "top {objects}/{lists}/{groups}"
                        );
                        let w = wrapped(&t, parents);
                        let theirs = Theirs::decode(w.as_slice()).is_ok();
                        let ours = Ours::decode(w.as_slice());
                        assert_eq!(
                            ours.is_ok(),
                            theirs,
                            "{parents} parents, {objects}/{lists}/{groups}"
                        );
                        if let Err(e) = ours {
                            assert!(e.to_string().contains("recursion limit"), "{e}");
                        }
                        checked += usize::from(!theirs);
                    }
                }
            }
        }
        assert!(
            checked > 20,
            "the boundary was crossed only {checked} times"
        );
    }

    /// A `Struct` field of a derived message gets its entries one at a time, and the
    /// depth check runs once per run of entries: a deep entry after shallow ones, or
    /// after one that was just within the limit, is still refused exactly where
    /// prost refuses it, at every depth of the parent.
    #[test]
    fn depth_limit_holds_for_each_entry_of_a_run() {
        macro_rules! holder {
            ($name:ident, $tree:ty) => {
                #[derive(Clone, PartialEq, prost::Message)]
                struct $name {
                    #[prost(message, optional, boxed, tag = "1")]
                    inner: Option<Box<$name>>,
                    #[prost(message, optional, tag = "2")]
                    s: Option<$tree>,
                    #[prost(string, tag = "3")]
                    note: String,
                }
            };
        }
        holder!(Ours, Struct);
        holder!(Theirs, prost_types::Struct);
        /// An entry whose value is a Struct chain `objects` deep.
        fn entry(key: u8, objects: usize) -> Vec<u8> {
            let mut value = Value::from("leaf").encode_to_vec();
            for _ in 0..objects {
                let mut e = vec![0x0a, 0x01, b'a', 0x12];
                encode_varint(value.len() as u64, &mut e);
                e.extend_from_slice(&value);
                let mut st = vec![0x0a];
                encode_varint(e.len() as u64, &mut st);
                st.extend_from_slice(&e);
                let mut v = vec![0x2a];
                encode_varint(st.len() as u64, &mut v);
                v.extend_from_slice(&st);
                value = v;
            }
            let mut e = vec![0x0a, 0x01, key, 0x12];
            encode_varint(value.len() as u64, &mut e);
            e.extend_from_slice(&value);
            let mut out = vec![0x0a];
            encode_varint(e.len() as u64, &mut out);
            out.extend_from_slice(&e);
            out
        }
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let mut refused = 0;
        for case in 0..600 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let parents = (rng % 4) as usize;
            // One or two runs of entries (the field repeated, a string between).
            let mut body = Vec::new();
            for run in 0..1 + (rng >> 8) as usize % 2 {
                let mut entries = Vec::new();
                for i in 0..1 + (rng >> (10 + run)) as usize % 4 {
                    let deep = (rng >> (13 + 3 * i + run)) % 3;
                    let objects = match deep {
                        0 => 1 + (rng >> 30) as usize % 5,
                        _ => 28 + (rng >> (33 + i)) as usize % 6,
                    };
                    entries.extend(entry(b'a' + i as u8, objects));
                }
                body.push(0x12);
                encode_varint(entries.len() as u64, &mut body);
                body.extend_from_slice(&entries);
                body.extend_from_slice(&[0x1a, 0x01, b'x']);
            }
            for _ in 0..parents {
                let mut outer = vec![0x0a];
                encode_varint(body.len() as u64, &mut outer);
                outer.extend_from_slice(&body);
                body = outer;
            }
            let theirs = Theirs::decode(body.as_slice());
            let ours = Ours::decode(body.as_slice());
            assert_eq!(ours.is_ok(), theirs.is_ok(), "case {case}");
            refused += usize::from(theirs.is_err());
        }
        assert!(refused > 60 && refused < 540, "{refused} of 600 refused");
    }

    #[test]
    fn bad_input_is_an_error_naming_the_field() {
        // A string value that is not UTF-8.
        let err = Value::decode(&b"\x1a\x02\xff\xfe"[..])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Value.string_value") && err.contains("UTF-8"),
            "{err}"
        );
        // A key whose length runs past the end.
        let err = Struct::decode(&b"\x0a\x03\x0a\x05ab"[..])
            .unwrap_err()
            .to_string();
        assert!(err.contains("Struct.fields"), "{err}");
        // Wrong wire type for a number.
        assert!(Value::decode(&b"\x10\x01"[..]).is_err());
        // Unknown fields are skipped, as by generated messages.
        assert_eq!(
            Value::decode(&b"\x38\x01\x20\x01"[..]).unwrap(),
            Value::from(true)
        );
    }

    /// Found by the `event_binary` fuzz target: a known field whose key is an overlong
    /// varint (`0x8a 0x00` for field 1) hit an `unreachable!`. prost accepts such keys;
    /// so does this decoder now, with the same result, at every level.
    #[test]
    fn overlong_keys_of_known_fields_decode_as_in_prost() {
        let cases: &[&[u8]] = &[
            // Struct { fields: {"k": number 1.0} }, every key overlong.
            &[
                0x8a, 0x00, 0x0e, 0x8a, 0x00, 0x01, b'k', 0x92, 0x00, 0x09, 0x91, 0x00, 0, 0, 0, 0,
                0, 0, 0xf0, 0x3f,
            ],
            // Struct { fields: {"a": list [an empty Value]} }, the list_value key overlong.
            &[
                0x0a, 0x0b, 0x0a, 0x01, b'a', 0x12, 0x06, 0xb2, 0x80, 0x00, 0x02, 0x0a, 0x00,
            ],
            // Struct { fields: {"s": string "x"} }, the string_value key overlong.
            &[0x0a, 0x08, 0x0a, 0x01, b's', 0x12, 0x03, 0x9a, 0x00, 0x01],
        ];
        for bytes in cases {
            let ours = Struct::decode(*bytes);
            let theirs = prost_types::Struct::decode(*bytes);
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok(),
                "{bytes:02x?}: {ours:?} {theirs:?}"
            );
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                assert_eq!(ours.encode_to_vec(), theirs.encode_to_vec(), "{bytes:02x?}");
            }
        }
    }
}
