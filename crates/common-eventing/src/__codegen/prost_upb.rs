//! prost, as every generated message derives `prost::Message` against it
//! (`#[prost(prost_path = "::common_eventing::__codegen::prost_upb")]`, added by
//! `cargo xtask codegen`). Everything is prost's own item, re-exported (the `Message`
//! trait is prost's), except three groups of functions the derived code calls:
//!
//! - **Map writers** ([`encoding::btree_map`]): upb's bytes. prost leaves an entry's
//!   key out when it is the key type's default and its value out when it is the
//!   value's default, and walks the `BTreeMap` in its order. upb (Python's runtime)
//!   writes both, always, in its deterministic order ([`super::encode::map_rev`], walked from the back). Both
//!   decode to the same map; content hashes and deduplication over deterministic bytes
//!   need Python's bytes, which the workspace's backward encoder ([`crate::encode`])
//!   writes too, so `prost::Message::encode_to_vec` and `encode::to_vec` agree
//!   (`tests/tests/map_bytes.rs` compares both with Python).
//! - **String readers** ([`encoding::string`]): the bytes are checked where they are
//!   and copied once, into an exact allocation.
//! - **Repeated message reader** ([`encoding::message`]): each element is read in its
//!   place in the `Vec`, not on the stack and then moved.
//!
//! The readers accept and refuse exactly what prost's do, with prost's errors, and
//! leave the same value behind on an error (unit tests below compare them with prost's
//! on random input; `tests/tests/views.rs` and the conformance suite cover them in
//! every message).

pub use prost::*;

/// `prost::encoding`, with [`btree_map`](encoding::btree_map)'s writers replaced, and
/// faster readers of strings ([`string`](encoding::string)) and of repeated messages
/// ([`message`](encoding::message)) that accept, refuse and leave behind what prost's do.
pub mod encoding {
    pub use prost::encoding::*;

    /// prost's `string` functions, with a reader that checks and copies a string once.
    pub mod string {
        use crate::__codegen::view::{buffer_underflow, invalid_string, utf8};
        use prost::DecodeError;
        use prost::bytes::Buf;
        use prost::encoding::{DecodeContext, WireType, check_wire_type, decode_varint};

        pub use prost::encoding::string::*;

        /// prost's `string::merge` (the same checks in the same order, the same errors,
        /// the field cleared on any error), without prost's detour: prost copies the
        /// bytes into the `String`'s buffer, growing it through `Vec::reserve`, then
        /// checks them with `core::str::from_utf8`. This checks them where they are
        /// (`smoothutf8` under `simd-utf8`) and allocates exactly once.
        #[inline]
        pub fn merge(
            wire_type: WireType,
            value: &mut String,
            buf: &mut impl Buf,
            _ctx: DecodeContext,
        ) -> Result<(), DecodeError> {
            let result = read(wire_type, value, buf);
            if result.is_err() {
                value.clear();
            }
            result
        }

        #[inline(always)]
        fn read(
            wire_type: WireType,
            value: &mut String,
            buf: &mut impl Buf,
        ) -> Result<(), DecodeError> {
            check_wire_type(WireType::LengthDelimited, wire_type)?;
            // A one-byte length inline (most strings); prost's reader otherwise.
            let len = match buf.chunk().first() {
                Some(&byte) if byte < 0x80 => {
                    buf.advance(1);
                    u64::from(byte)
                }
                _ => decode_varint(buf)?,
            };
            if len > buf.remaining() as u64 {
                return Err(buffer_underflow());
            }
            let len = len as usize;
            let chunk = buf.chunk();
            if chunk.len() >= len {
                let result = utf8(&chunk[..len]).map(|text| {
                    if value.capacity() >= len {
                        value.clear();
                        value.push_str(text);
                    } else {
                        *value = String::from(text);
                    }
                });
                buf.advance(len);
                return result;
            }
            // A buffer in pieces: copied, then checked.
            let mut bytes = Vec::with_capacity(len);
            prost::bytes::BufMut::put(&mut bytes, buf.take(len));
            *value = String::from_utf8(bytes).map_err(|_| invalid_string())?;
            Ok(())
        }

        /// prost's `string::merge_repeated`, reading with [`merge`].
        #[inline]
        pub fn merge_repeated(
            wire_type: WireType,
            values: &mut Vec<String>,
            buf: &mut impl Buf,
            ctx: DecodeContext,
        ) -> Result<(), DecodeError> {
            check_wire_type(WireType::LengthDelimited, wire_type)?;
            let mut value = String::new();
            merge(wire_type, &mut value, buf, ctx)?;
            values.push(value);
            Ok(())
        }
    }

    /// prost's `message` functions, with repeated messages read in place.
    pub mod message {
        use prost::bytes::Buf;
        use prost::encoding::{DecodeContext, WireType, check_wire_type};
        use prost::{DecodeError, Message};

        pub use prost::encoding::message::*;

        /// prost's `message::merge_repeated` (an element that fails to read is not
        /// kept), with the element read where it is kept: prost reads it on the stack
        /// and then moves it into the `Vec`, a copy of the whole struct per element
        /// (over a kilobyte for an event).
        #[inline]
        pub fn merge_repeated<M: Message + Default>(
            wire_type: WireType,
            messages: &mut Vec<M>,
            buf: &mut impl Buf,
            ctx: DecodeContext,
        ) -> Result<(), DecodeError> {
            check_wire_type(WireType::LengthDelimited, wire_type)?;
            messages.push(M::default());
            let last = messages.last_mut().expect("just pushed");
            let result = merge(WireType::LengthDelimited, last, buf, ctx);
            if result.is_err() {
                messages.pop();
            }
            result
        }
    }

    /// prost's `btree_map` functions, with the writers writing upb's bytes.
    pub mod btree_map {
        use crate::__codegen::encode::{MapKey, map_rev};
        use prost::bytes::BufMut;
        use prost::encoding::{WireType, encode_key, encode_varint, encoded_len_varint, key_len};
        use std::collections::BTreeMap;

        pub use prost::encoding::btree_map::{merge, merge_with_default};

        /// Writes every entry of `values` as field `tag`: its key and its value,
        /// defaults included, in upb's order.
        pub fn encode<K, V, B, KE, KL, VE, VL>(
            key_encode: KE,
            key_encoded_len: KL,
            val_encode: VE,
            val_encoded_len: VL,
            tag: u32,
            values: &BTreeMap<K, V>,
            buf: &mut B,
        ) where
            K: MapKey,
            B: BufMut,
            KE: Fn(u32, &K, &mut B),
            KL: Fn(u32, &K) -> usize,
            VE: Fn(u32, &V, &mut B),
            VL: Fn(u32, &V) -> usize,
        {
            for (key, val) in map_rev(values).rev() {
                let len = key_encoded_len(1, key) + val_encoded_len(2, val);
                encode_key(tag, WireType::LengthDelimited, buf);
                encode_varint(len as u64, buf);
                key_encode(1, key, buf);
                val_encode(2, val, buf);
            }
        }

        /// [`encode`]: the value's default does not matter, every value is written.
        #[allow(clippy::too_many_arguments)] // prost's signature
        pub fn encode_with_default<K, V, B, KE, KL, VE, VL>(
            key_encode: KE,
            key_encoded_len: KL,
            val_encode: VE,
            val_encoded_len: VL,
            _val_default: &V,
            tag: u32,
            values: &BTreeMap<K, V>,
            buf: &mut B,
        ) where
            K: MapKey,
            B: BufMut,
            KE: Fn(u32, &K, &mut B),
            KL: Fn(u32, &K) -> usize,
            VE: Fn(u32, &V, &mut B),
            VL: Fn(u32, &V) -> usize,
        {
            encode(
                key_encode,
                key_encoded_len,
                val_encode,
                val_encoded_len,
                tag,
                values,
                buf,
            );
        }

        /// The length [`encode`] writes.
        pub fn encoded_len<K, V, KL, VL>(
            key_encoded_len: KL,
            val_encoded_len: VL,
            tag: u32,
            values: &BTreeMap<K, V>,
        ) -> usize
        where
            KL: Fn(u32, &K) -> usize,
            VL: Fn(u32, &V) -> usize,
        {
            key_len(tag) * values.len()
                + values
                    .iter()
                    .map(|(key, val)| {
                        let len = key_encoded_len(1, key) + val_encoded_len(2, val);
                        encoded_len_varint(len as u64) + len
                    })
                    .sum::<usize>()
        }

        /// [`encoded_len`]: the value's default does not matter.
        pub fn encoded_len_with_default<K, V, KL, VL>(
            key_encoded_len: KL,
            val_encoded_len: VL,
            _val_default: &V,
            tag: u32,
            values: &BTreeMap<K, V>,
        ) -> usize
        where
            KL: Fn(u32, &K) -> usize,
            VL: Fn(u32, &V) -> usize,
        {
            encoded_len(key_encoded_len, val_encoded_len, tag, values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::encoding as ours;
    use prost::bytes::Buf;
    use prost::encoding::{self as stock, DecodeContext, WireType};

    /// Inputs for one length-delimited read: valid and invalid UTF-8, lengths past the
    /// end, overlong and unterminated varints, and random bytes.
    fn inputs() -> Vec<Vec<u8>> {
        let mut next = crate::test_rng::xorshift(0x1234_5678_9ABC_DEF1_u64);
        let mut out = vec![
            vec![],
            vec![0],
            vec![0x80],
            vec![0xff; 11],
            vec![3, b'a', b'b'],
        ];
        let texts: [&[u8]; 6] = [
            b"",
            b"plain",
            "é世🌍".as_bytes(),
            &[0xff],
            &[0xC0, 0x80],
            &[0xE2, 0x82],
        ];
        for _ in 0..3000 {
            let mut body = Vec::new();
            for _ in 0..next() % 60 {
                body.extend_from_slice(texts[(next() % 6) as usize]);
            }
            let mut input = Vec::new();
            let len = match next() % 8 {
                0 => body.len() as u64 + next() % 4, // past the end
                1 => body.len() as u64 | 1 << 40,
                _ => body.len() as u64,
            };
            prost::encoding::encode_varint(len, &mut input);
            input.extend_from_slice(&body);
            if next().is_multiple_of(10) {
                input.truncate((next() as usize) % (input.len() + 1));
            }
            out.push(input);
        }
        out
    }

    /// The two halves of `input`, as a `Buf` in two pieces.
    fn split(input: &[u8]) -> impl Buf + '_ {
        let (a, b) = input.split_at(input.len() / 2);
        a.chain(b)
    }

    #[test]
    fn string_merge_is_prosts() {
        let wires = [
            WireType::LengthDelimited,
            WireType::Varint,
            WireType::ThirtyTwoBit,
        ];
        for input in inputs() {
            for wire in wires {
                for start in ["", "previous value, long enough to be reused"] {
                    let mut theirs = start.to_string();
                    let mut theirs_buf = &input[..];
                    let t = stock::string::merge(
                        wire,
                        &mut theirs,
                        &mut theirs_buf,
                        DecodeContext::default(),
                    )
                    .map_err(|e| e.to_string());
                    let mut mine = start.to_string();
                    let mut mine_buf = &input[..];
                    let m = ours::string::merge(
                        wire,
                        &mut mine,
                        &mut mine_buf,
                        DecodeContext::default(),
                    )
                    .map_err(|e| e.to_string());
                    assert_eq!((&m, &mine), (&t, &theirs), "{wire:?} {input:?}");
                    if t.is_ok() {
                        assert_eq!(mine_buf.len(), theirs_buf.len(), "{input:?}");
                    }
                    // A buffer in two pieces.
                    let mut pieces = split(&input);
                    let mut mine = start.to_string();
                    let m =
                        ours::string::merge(wire, &mut mine, &mut pieces, DecodeContext::default())
                            .map_err(|e| e.to_string());
                    assert_eq!((&m, &mine), (&t, &theirs), "pieces {wire:?} {input:?}");
                    if t.is_ok() {
                        assert_eq!(pieces.remaining(), theirs_buf.len(), "{input:?}");
                    }
                }
                let mut theirs = vec!["kept".to_string()];
                let t = stock::string::merge_repeated(
                    wire,
                    &mut theirs,
                    &mut &input[..],
                    DecodeContext::default(),
                )
                .map_err(|e| e.to_string());
                let mut mine = vec!["kept".to_string()];
                let m = ours::string::merge_repeated(
                    wire,
                    &mut mine,
                    &mut &input[..],
                    DecodeContext::default(),
                )
                .map_err(|e| e.to_string());
                assert_eq!((m, mine), (t, theirs), "repeated {wire:?} {input:?}");
            }
        }
    }

    #[test]
    fn repeated_messages_merge_as_prosts() {
        use crate::wkt::FieldMask;
        use prost::Message;
        // Encoded masks (some cut short or with a byte changed), and the raw inputs.
        let mut cases = inputs();
        for (i, raw) in inputs().into_iter().enumerate().take(1000) {
            let mask = FieldMask {
                paths: raw
                    .chunks(7)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect(),
            };
            let mut case = mask.encode_length_delimited_to_vec();
            match i % 4 {
                0 => case.truncate(case.len() * 2 / 3),
                1 if case.len() > 3 => case[3] ^= 0x80,
                _ => {}
            }
            cases.push(case);
        }
        let mut valid = 0;
        for input in cases {
            for wire in [WireType::LengthDelimited, WireType::Varint] {
                let kept = FieldMask {
                    paths: vec!["kept".into()],
                };
                let mut theirs = vec![kept.clone()];
                let mut theirs_buf = &input[..];
                let t = stock::message::merge_repeated(
                    wire,
                    &mut theirs,
                    &mut theirs_buf,
                    DecodeContext::default(),
                )
                .map_err(|e| e.to_string());
                let mut mine = vec![kept];
                let mut mine_buf = &input[..];
                let m = ours::message::merge_repeated(
                    wire,
                    &mut mine,
                    &mut mine_buf,
                    DecodeContext::default(),
                )
                .map_err(|e| e.to_string());
                valid += usize::from(t.is_ok());
                assert_eq!((&m, &mine), (&t, &theirs), "{wire:?} {input:?}");
                if t.is_ok() {
                    assert_eq!(mine_buf.len(), theirs_buf.len());
                }
            }
        }
        assert!(valid > 500, "only {valid} inputs decoded");
    }
}
