//! [`to_vec`]: the binary encoding of any generated message, byte for byte what
//! prost's `Message::encode_to_vec` writes, measured once and written backwards.
//!
//! prost's derived `encode_raw` writes a nested message's length before its body,
//! so it asks the nested message for its `encoded_len()` on the way down: a message
//! `d` levels deep is measured `d + 1` times, and every key and length goes through
//! an out-of-line varint writer. [`Encode`], generated for every message by
//! `cargo xtask codegen` (`xtask/src/codegen/generators/fast_encode.rs`), measures the whole message
//! once ([`Encode::size`]) and then writes it into a buffer of exactly that size from
//! its end towards its start, as upb does ([`Encode::write_back`]): a body first,
//! then its length prefix, which is just the distance written, with every key a
//! constant byte. Fields go out in prost's order (ascending field number), with
//! prost's presence rules, so the bytes are prost's: `tests/tests/fast_encode.rs`
//! compares the two on random instances of every message of every crate.
//!
//! ```
//! use common_eventing::wkt::{Struct, Timestamp, Value};
//! use prost::Message;
//!
//! let ts = Timestamp { seconds: 1_700_000_000, nanos: 5 };
//! assert_eq!(common_eventing::encode::to_vec(&ts), ts.encode_to_vec());
//! let s: Struct = [("k", Value::from("v"))].into_iter().collect();
//! assert_eq!(common_eventing::encode::to_vec(&s), s.encode_to_vec());
//! ```

/// A message that can be measured once and written backwards; see the module docs.
pub trait Encode: prost::Message {
    /// True when the message has no message-typed field: prost's own encoder then
    /// already measures everything once, and [`to_vec`] uses it (a backward writer
    /// needs a zero-filled buffer first, which costs most on large flat messages such
    /// as one big text field).
    const FLAT: bool = false;

    /// The encoded length in bytes (each nested message measured once).
    fn size(&self) -> usize;

    /// Writes the encoding into `out`, ending at `pos` (the bytes from `pos` on are
    /// already written), and returns where it starts: `pos - self.size()`.
    fn write_back(&self, out: &mut [u8], pos: usize) -> usize;
}

/// `msg` encoded: the same bytes as `prost::Message::encode_to_vec`.
pub fn to_vec<M: Encode>(msg: &M) -> Vec<u8> {
    if M::FLAT {
        return msg.encode_to_vec();
    }
    let len = msg.size();
    let mut out = vec![0; len];
    let start = msg.write_back(&mut out, len);
    // `size` and `write_back` follow the same fields.
    debug_assert_eq!(start, 0, "Encode::size and Encode::write_back disagree");
    out
}

impl<M: Encode> Encode for Box<M> {
    const FLAT: bool = M::FLAT;
    fn size(&self) -> usize {
        (**self).size()
    }
    fn write_back(&self, out: &mut [u8], pos: usize) -> usize {
        (**self).write_back(out, pos)
    }
}

/// The writers the generated impls are written against.
pub(crate) use crate::__codegen::encode as rt;

#[cfg(test)]
mod tests {
    use super::rt;

    #[test]
    fn varint_len_is_prosts() {
        for shift in 0..64 {
            for v in [1u64 << shift, (1u64 << shift) - 1, (1u64 << shift) + 1] {
                assert_eq!(
                    rt::varint_len(v),
                    prost::encoding::encoded_len_varint(v),
                    "{v}"
                );
                let mut out = [0u8; 10];
                let start = rt::varint(&mut out, 10, v);
                let mut prost = Vec::new();
                prost::encoding::encode_varint(v, &mut prost);
                assert_eq!(&out[start..], prost.as_slice(), "{v}");
            }
        }
        assert_eq!(rt::varint_len(0), 1);
        assert_eq!(rt::zigzag32(-1), 1);
        assert_eq!(rt::zigzag32(i32::MIN), u64::from(u32::MAX));
        assert_eq!(rt::zigzag64(i64::MIN), u64::MAX);
    }
}
