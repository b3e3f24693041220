//! The backward wire writers the generated `Encode` impls (and the hand-written
//! `Struct` codec) are written against.

use crate::encode::Encode;

/// The length of `v` as a varint.
#[inline(always)]
pub fn varint_len(v: u64) -> usize {
    // As prost computes it: one byte per started group of 7 bits.
    ((((v | 1).leading_zeros() ^ 63) * 9 + 73) / 64) as usize
}

/// Key bytes plus length prefix plus body.
#[inline(always)]
pub fn delimited(key_len: usize, len: usize) -> usize {
    key_len + varint_len(len as u64) + len
}

#[inline(always)]
pub fn byte(out: &mut [u8], pos: usize, b: u8) -> usize {
    let pos = pos - 1;
    out[pos] = b;
    pos
}

#[inline(always)]
pub fn bytes(out: &mut [u8], pos: usize, b: &[u8]) -> usize {
    let n = b.len();
    let start = pos - n;
    let dst = &mut out[start..pos];
    // Short copies (most keys, ids and names) as two overlapping fixed-size moves
    // instead of a `memcpy` call.
    if (8..=16).contains(&n) {
        dst[..8].copy_from_slice(&b[..8]);
        dst[n - 8..].copy_from_slice(&b[n - 8..]);
    } else if (4..8).contains(&n) {
        dst[..4].copy_from_slice(&b[..4]);
        dst[n - 4..].copy_from_slice(&b[n - 4..]);
    } else if n < 4 {
        for (d, s) in dst.iter_mut().zip(b) {
            *d = *s;
        }
    } else {
        dst.copy_from_slice(b);
    }
    start
}

#[inline(always)]
pub fn varint(out: &mut [u8], pos: usize, v: u64) -> usize {
    if v < 0x80 {
        return byte(out, pos, v as u8);
    }
    let mut tmp = [0u8; 10];
    let mut n = 0;
    let mut v = v;
    while v >= 0x80 {
        tmp[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    tmp[n] = v as u8;
    bytes(out, pos, &tmp[..=n])
}

/// A key (given as its encoded bytes) and the length of the body in
/// `out[pos..end]`.
#[inline(always)]
pub fn header(out: &mut [u8], pos: usize, key: &[u8], end: usize) -> usize {
    let pos = varint(out, pos, (end - pos) as u64);
    if let [k] = key {
        byte(out, pos, *k)
    } else {
        bytes(out, pos, key)
    }
}

/// A length-delimited field holding `body`.
#[inline(always)]
pub fn delimited_bytes(out: &mut [u8], pos: usize, key: &[u8], body: &[u8]) -> usize {
    let end = pos;
    let pos = bytes(out, pos, body);
    header(out, pos, key, end)
}

/// A message field.
#[inline(always)]
pub fn message<M: Encode>(out: &mut [u8], pos: usize, key: &[u8], m: &M) -> usize {
    let end = pos;
    let pos = m.write_back(out, pos);
    header(out, pos, key, end)
}

/// A key and a varint.
#[inline(always)]
pub fn key_varint(out: &mut [u8], pos: usize, key: &[u8], v: u64) -> usize {
    let pos = varint(out, pos, v);
    bytes(out, pos, key)
}

/// A key and fixed-width little-endian bytes.
#[inline(always)]
pub fn key_fixed(out: &mut [u8], pos: usize, key: &[u8], le: &[u8]) -> usize {
    let pos = bytes(out, pos, le);
    bytes(out, pos, key)
}

/// The zigzag form of a `sint32`.
#[inline(always)]
pub fn zigzag32(v: i32) -> u64 {
    u64::from(((v << 1) ^ (v >> 31)) as u32)
}

/// The zigzag form of a `sint64`.
#[inline(always)]
pub fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}
