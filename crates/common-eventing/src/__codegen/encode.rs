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

/// A map key type, with the order upb's deterministic serialization (Python's
/// `SerializeToString(deterministic=True)`) writes map entries in (checked against
/// Python for every key type):
/// - strings by bytes, except that a key comes *after* the keys it is a proper
///   prefix of ([`key_order`](crate::wkt::fields::key_order));
/// - integers *descending* by their bits read as unsigned (`-1`, `-2`, `i32::MIN`,
///   `i32::MAX`, ..., `1`, `0`), whatever the encoding (`sint`, `fixed`, ...);
/// - bools `true`, then `false`.
pub trait MapKey: Ord + Sized {
    /// The entries of `map` in the reverse of upb's order.
    fn map_rev<V>(map: &BTreeMap<Self, V>) -> MapRev<'_, Self, V>;
}

use std::collections::BTreeMap;
use std::collections::btree_map::{Iter, Range};

impl MapKey for std::string::String {
    fn map_rev<V>(map: &BTreeMap<Self, V>) -> MapRev<'_, Self, V> {
        let mut keys = map.keys();
        let prefixed = keys.next().is_some_and(|first| {
            let mut prev = first;
            // In `Ord` order a prefix comes right before the keys that extend it, so
            // comparing neighbours finds every prefix pair.
            keys.any(|k| {
                let p = core::mem::replace(&mut prev, k);
                k.len() > p.len() && k.starts_with(p.as_str())
            })
        });
        if !prefixed {
            return MapRev::Descending(map.iter().rev());
        }
        let mut entries: std::vec::Vec<(&Self, &V)> = map.iter().collect();
        entries.sort_by(|a, b| crate::wkt::fields::key_order(b.0, a.0));
        MapRev::Sorted(entries.into_iter())
    }
}

/// Unsigned keys and bools: upb writes them descending, so backwards is ascending.
macro_rules! ascending_keys {
    ($($t:ty),*) => {$(
        impl MapKey for $t {
            fn map_rev<V>(map: &BTreeMap<Self, V>) -> MapRev<'_, Self, V> {
                MapRev::Ascending(map.iter())
            }
        }
    )*};
}
ascending_keys!(u32, u64, bool);

/// Signed keys: ascending by unsigned bits is the non-negative keys, then the
/// negative ones, each ascending.
macro_rules! signed_keys {
    ($($t:ty),*) => {$(
        impl MapKey for $t {
            fn map_rev<V>(map: &BTreeMap<Self, V>) -> MapRev<'_, Self, V> {
                MapRev::Signed(map.range(0..).chain(map.range(..0)))
            }
        }
    )*};
}
signed_keys!(i32, i64);

/// The entries of `map` in the reverse of upb's deterministic order: the order a
/// backward writer visits them in, so that they end up in upb's order.
///
/// Allocates only when a string key is a proper prefix of another (then the
/// entries are sorted once); otherwise it walks the map.
pub fn map_rev<K: MapKey, V>(map: &BTreeMap<K, V>) -> MapRev<'_, K, V> {
    K::map_rev(map)
}

/// The iterator of [`map_rev`].
pub enum MapRev<'a, K, V> {
    /// The map's order, reversed (strings with no prefix pair).
    Descending(core::iter::Rev<Iter<'a, K, V>>),
    /// The map's order (unsigned keys, bools).
    Ascending(Iter<'a, K, V>),
    /// Non-negative keys, then negative ones (signed keys).
    Signed(core::iter::Chain<Range<'a, K, V>, Range<'a, K, V>>),
    /// Sorted (strings with a prefix pair).
    Sorted(std::vec::IntoIter<(&'a K, &'a V)>),
}

impl<'a, K, V> Iterator for MapRev<'a, K, V> {
    type Item = (&'a K, &'a V);

    #[inline]
    fn next(&mut self) -> Option<(&'a K, &'a V)> {
        match self {
            MapRev::Descending(it) => it.next(),
            MapRev::Ascending(it) => it.next(),
            MapRev::Signed(it) => it.next(),
            MapRev::Sorted(it) => it.next(),
        }
    }
}

impl<'a, K, V> DoubleEndedIterator for MapRev<'a, K, V> {
    /// Walked from the back: upb's order itself, for a forward writer.
    #[inline]
    fn next_back(&mut self) -> Option<(&'a K, &'a V)> {
        match self {
            MapRev::Descending(it) => it.next_back(),
            MapRev::Ascending(it) => it.next_back(),
            MapRev::Signed(it) => it.next_back(),
            MapRev::Sorted(it) => it.next_back(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::map_rev;
    use std::collections::BTreeMap;

    #[test]
    fn map_rev_is_upbs_order_reversed() {
        // Python upb's deterministic order for these keys (checked against
        // `SerializeToString(deterministic=True)`): "aa", "ab", "a", "b", "z", "é", "".
        let keys = ["", "a", "ab", "b", "aa", "é", "z"];
        let map: BTreeMap<String, u8> = keys.iter().map(|k| (k.to_string(), 0)).collect();
        let got: Vec<&str> = map_rev(&map).map(|(k, _)| k.as_str()).collect();
        assert_eq!(got, ["", "é", "z", "b", "a", "ab", "aa"]);
        // Without a prefix pair it is the map's order, reversed.
        let map: BTreeMap<String, u8> = [("b", 0), ("a", 1)].map(|(k, v)| (k.into(), v)).into();
        let got: Vec<&str> = map_rev(&map).map(|(k, _)| k.as_str()).collect();
        assert_eq!(got, ["b", "a"]);
        // Integers: Python writes -1, -5, MIN, MAX, 1, 0 (descending unsigned bits),
        // so the backward writer visits them in the reverse.
        let map: BTreeMap<i32, u8> = [-1, -5, i32::MIN, i32::MAX, 1, 0].map(|k| (k, 0)).into();
        let got: Vec<i32> = map_rev(&map).map(|(k, _)| *k).collect();
        assert_eq!(got, [0, 1, i32::MAX, i32::MIN, -5, -1]);
        let map: BTreeMap<u64, u8> = [u64::MAX, 0, 1 << 40, 1].map(|k| (k, 0)).into();
        let got: Vec<u64> = map_rev(&map).map(|(k, _)| *k).collect();
        assert_eq!(got, [0, 1, 1 << 40, u64::MAX]);
        let map: BTreeMap<bool, u8> = [(true, 0), (false, 0)].into();
        let got: Vec<bool> = map_rev(&map).map(|(k, _)| *k).collect();
        assert_eq!(got, [false, true]);
    }
}
