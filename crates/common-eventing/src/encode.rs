//! [`to_vec`]: the binary encoding of any generated message, measured once and
//! written backwards: the bytes Python's `SerializeToString(deterministic=True)`
//! writes, and the one encoder of the workspace's own write paths (`framing`,
//! `Lossless`, and the gRPC codec of every generated service).
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
//! prost's presence rules, so the bytes are prost's (`tests/tests/fast_encode.rs`
//! compares the two on random instances of every message of every crate). Maps are
//! written as upb (Python) writes them: every entry has its key and its value, even an
//! empty string or a zero, and the entries are in upb's deterministic order (a string
//! key after the keys it is a prefix of, integer keys descending by their unsigned
//! bits, `true` first). Stock prost leaves default keys and values out and walks the
//! `BTreeMap` in its order; the generated map messages derive `prost::Message` against
//! `__codegen::prost_upb`, so their `encode_to_vec` writes upb's bytes too. Content
//! hashes and deduplication over deterministic bytes need the same bytes as Python's
//! (`tests/tests/map_bytes.rs` compares both encoders with Python on random maps of
//! every map field).
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
    to_vec_sized(msg, msg.size())
}

/// [`to_vec`] of a non-flat `msg` whose [`Encode::size`] is `len`.
fn to_vec_sized<M: Encode>(msg: &M, len: usize) -> Vec<u8> {
    let mut out = vec![0; len];
    let start = msg.write_back(&mut out, len);
    // `size` and `write_back` follow the same fields; if a hand-written impl does not,
    // fail rather than send bytes that start with zeros.
    assert_eq!(start, 0, "Encode::size and Encode::write_back disagree");
    out
}

/// Appends `msg`'s encoding to `out` (the bytes of [`to_vec`]), written in place at
/// the end of the `Vec`.
pub fn append<M: Encode>(msg: &M, out: &mut Vec<u8>) {
    if M::FLAT {
        out.reserve(msg.encoded_len());
        msg.encode_raw(out);
        return;
    }
    let len = msg.size();
    let start = out.len();
    out.resize(start + len, 0);
    let written = msg.write_back(&mut out[start..], len);
    assert_eq!(written, 0, "Encode::size and Encode::write_back disagree");
}

/// Writes `msg`'s encoding (the bytes of [`to_vec`]) into any [`BufMut`](bytes::BufMut)
/// that has room or grows, such as tonic's `EncodeBuf` or a `BytesMut`.
///
/// # Panics
///
/// When `buf` has less room than the encoding and cannot grow, as prost's
/// `encode_raw` does.
///
/// The backward writer needs one contiguous slice of the final size: when `buf`'s
/// current chunk has room (a `BytesMut` or `EncodeBuf` with that much capacity), the
/// message is written there in place; otherwise it is written to a `Vec` and copied.
pub fn to_buf<M: Encode>(msg: &M, buf: &mut impl bytes::BufMut) {
    if M::FLAT {
        msg.encode_raw(buf);
        return;
    }
    to_buf_sized(msg, msg.size(), buf);
}

/// Writes `msg`'s encoding (the bytes of [`to_vec`]) at the end of `buf`, first
/// reserving room for all of it so the backward writer writes in place: what the
/// gRPC codec of every generated service does with tonic's buffer.
///
/// ```
/// use common_eventing::wkt::{Struct, Value};
///
/// let s: Struct = [("k", Value::from("v"))].into_iter().collect();
/// let mut buf = bytes::BytesMut::new();
/// common_eventing::encode::to_bytes_mut(&s, &mut buf);
/// assert_eq!(&buf[..], common_eventing::encode::to_vec(&s));
/// ```
pub fn to_bytes_mut<M: Encode>(msg: &M, buf: &mut bytes::BytesMut) {
    if M::FLAT {
        to_buf(msg, buf);
        return;
    }
    let len = msg.size();
    buf.reserve(len);
    to_buf_sized(msg, len, buf);
}

/// [`to_buf`] of a non-flat `msg` whose [`Encode::size`] is `len`.
#[allow(unsafe_code)] // writing into a `BufMut`'s spare capacity; see the SAFETY notes
pub(crate) fn to_buf_sized<M: Encode>(msg: &M, len: usize, buf: &mut impl bytes::BufMut) {
    let chunk = buf.chunk_mut();
    if chunk.len() < len {
        buf.put_slice(&to_vec_sized(msg, len));
        return;
    }
    // SAFETY: `chunk` is valid for writes of `chunk.len() >= len` bytes; they are
    // zeroed before the slice over them is made, so it covers initialised memory,
    // and nothing else reaches `buf` while the slice lives.
    let out = unsafe {
        let ptr = chunk.as_mut_ptr();
        core::ptr::write_bytes(ptr, 0, len);
        core::slice::from_raw_parts_mut(ptr, len)
    };
    let start = msg.write_back(out, len);
    assert_eq!(start, 0, "Encode::size and Encode::write_back disagree");
    // SAFETY: the first `len` bytes of the chunk were initialised above.
    unsafe { buf.advance_mut(len) };
}

/// Implements [`Encode`] for hand-written prost messages (a `#[derive(prost::Message)]`
/// of your own, not generated by this workspace) by writing them with prost, so they
/// can go through `framing`, `Lossless`, Kafka records and the gRPC codec.
///
/// ```
/// #[derive(Clone, PartialEq, prost::Message)]
/// struct Ping {
///     #[prost(string, tag = "1")]
///     id: String,
/// }
/// common_eventing::encode_with_prost!(Ping);
///
/// let ping = Ping { id: "p".into() };
/// assert_eq!(common_eventing::encode::to_vec(&ping), prost::Message::encode_to_vec(&ping));
/// ```
#[macro_export]
macro_rules! encode_with_prost {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::encode::Encode for $t {
            const FLAT: bool = true;

            fn size(&self) -> usize {
                ::prost::Message::encoded_len(self)
            }

            fn write_back(&self, out: &mut [u8], pos: usize) -> usize {
                let bytes = ::prost::Message::encode_to_vec(self);
                let start = pos - bytes.len();
                out[start..pos].copy_from_slice(&bytes);
                start
            }
        }
    )+};
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
