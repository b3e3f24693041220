//! [`SmallStr`]: the string of [`Fields`](super::Fields) keys and string
//! [`Value`](super::Value)s, stored inline up to 23 bytes.
//!
//! Why not a small-string crate: a decoded `Struct` creates one string per key and per
//! string value, so building one is the innermost step of the decoder. `smol_str`
//! (which this replaced) copies the bytes into a stack buffer one at a time and then
//! moves the result in unaligned 4-byte pieces; each of those loads waits for the
//! stores before it (a failed store-to-load forwarding), and that was a fifth of a
//! whole `Struct` decode. Here the three words of an inline string are assembled in
//! registers from (overlapping) loads of the source bytes and written once.
//! `compact_str` does the same but brings five dependencies; this is the crate's own
//! eighty lines and no dependency at all.
//!
//! The representation: three `u64`s holding the bytes in memory order, the last byte
//! `0x80 | len` (so never zero: the niche that makes `Option`-like enums and the heap
//! variant free), or a `Box<str>` for longer strings. 24 bytes either way.

use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::num::NonZeroU64;
use core::ops::Deref;

/// The longest string stored inline.
const INLINE_CAP: usize = 23;

/// An immutable string, inline up to 23 bytes (no allocation), boxed beyond.
///
/// It dereferences to `str` and converts from `&str`, `String`, `Box<str>` and
/// `char`; equality, order and hash are those of the `str`.
///
/// ```
/// use common_eventing::wkt::SmallStr;
///
/// let key = SmallStr::new("model");
/// assert_eq!(key, "model");
/// assert_eq!(key.len(), 5);
/// assert!(!key.is_heap_allocated());
/// assert!(SmallStr::from("a string longer than 23 bytes").is_heap_allocated());
/// assert_eq!(String::from(key), "model");
/// ```
#[derive(Clone)]
pub struct SmallStr(Repr);

#[derive(Clone)]
enum Repr {
    Inline(Inline),
    Heap(Box<str>),
}

/// Bytes `0..len` of the 24 in memory order (`to_le` words) are the string; byte 23
/// is `0x80 | len` (or, for `len == 23`, the same byte: the string ends at 23).
#[derive(Clone, Copy)]
#[repr(C)]
struct Inline {
    w0: u64,
    w1: u64,
    w2: NonZeroU64,
}

const _: () = assert!(core::mem::size_of::<SmallStr>() == 24);
const _: () = assert!(core::mem::size_of::<Inline>() == INLINE_CAP + 1);

#[inline(always)]
fn load8(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes([
        b[at],
        b[at + 1],
        b[at + 2],
        b[at + 3],
        b[at + 4],
        b[at + 5],
        b[at + 6],
        b[at + 7],
    ])
}

#[inline(always)]
fn load4(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]))
}

/// The bytes of `b` (at most 23) as three little-endian words, from at most three
/// overlapping loads; the overlap is shifted out.
#[inline(always)]
fn words(b: &[u8]) -> (u64, u64, u64) {
    let len = b.len();
    debug_assert!(len <= INLINE_CAP);
    if len >= 16 {
        let w2 = if len == 16 {
            0
        } else {
            load8(b, len - 8) >> (8 * (24 - len))
        };
        (load8(b, 0), load8(b, 8), w2)
    } else if len >= 8 {
        let w1 = if len == 8 {
            0
        } else {
            load8(b, len - 8) >> (8 * (16 - len))
        };
        (load8(b, 0), w1, 0)
    } else if len >= 4 {
        (load4(b, 0) | load4(b, len - 4) << (8 * (len - 4)), 0, 0)
    } else {
        let mut w = 0;
        for (i, &byte) in b.iter().enumerate() {
            w |= u64::from(byte) << (8 * i);
        }
        (w, 0, 0)
    }
}

impl Inline {
    /// `s`, at most 23 bytes.
    #[inline(always)]
    fn new(s: &str) -> Inline {
        let (w0, w1, w2) = words(s.as_bytes());
        Inline::from_words(w0, w1, w2, s.len())
    }

    /// The words of a valid UTF-8 string of `len` bytes.
    #[inline(always)]
    fn from_words(w0: u64, w1: u64, w2: u64, len: usize) -> Inline {
        let tag = (0x80 | len as u64) << 56;
        Inline {
            w0: w0.to_le(),
            w1: w1.to_le(),
            // `tag` has its top bit set, so the word is never zero.
            w2: NonZeroU64::new((w2 | tag).to_le()).unwrap_or(NonZeroU64::MAX),
        }
    }

    #[inline(always)]
    fn len(&self) -> usize {
        ((u64::from_le(self.w2.get()) >> 56) & 0x7f) as usize
    }

    #[inline(always)]
    fn as_str(&self) -> &str {
        let len = self.len();
        // SAFETY: `Inline` is `repr(C)`, three `u64`s: 24 initialized bytes in a row,
        // of which `len <= 23` are read, borrowed for as long as `self`. Its only
        // constructor, `Inline::new`, wrote the bytes of a `&str` of that length to
        // them in memory order (little-endian words), so they are valid UTF-8.
        unsafe {
            let bytes = core::slice::from_raw_parts((self as *const Inline).cast::<u8>(), len);
            core::str::from_utf8_unchecked(bytes)
        }
    }
}

impl SmallStr {
    /// `s` as a `SmallStr`: inline when it has at most 23 bytes.
    #[inline]
    pub fn new(s: impl AsRef<str>) -> SmallStr {
        SmallStr::from_str_ref(s.as_ref())
    }

    #[inline(always)]
    fn from_str_ref(s: &str) -> SmallStr {
        if s.len() <= INLINE_CAP {
            SmallStr(Repr::Inline(Inline::new(s)))
        } else {
            SmallStr(Repr::Heap(s.into()))
        }
    }

    /// `bytes` as a `SmallStr` if they are UTF-8 (what a decoder reads). An ASCII
    /// string of at most 23 bytes is checked with three word operations.
    #[inline]
    pub fn from_utf8(bytes: &[u8]) -> Result<SmallStr, core::str::Utf8Error> {
        if bytes.len() <= INLINE_CAP {
            let (w0, w1, w2) = words(bytes);
            if (w0 | w1 | w2) & 0x8080_8080_8080_8080 != 0 {
                core::str::from_utf8(bytes)?;
            }
            Ok(SmallStr(Repr::Inline(Inline::from_words(
                w0,
                w1,
                w2,
                bytes.len(),
            ))))
        } else {
            Ok(SmallStr(Repr::Heap(core::str::from_utf8(bytes)?.into())))
        }
    }

    /// The empty string.
    pub const fn empty() -> SmallStr {
        SmallStr(Repr::Inline(Inline {
            w0: 0,
            w1: 0,
            w2: match NonZeroU64::new((0x80u64 << 56).to_le()) {
                Some(tag) => tag,
                None => NonZeroU64::MAX,
            },
        }))
    }

    /// The string.
    #[inline(always)]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(inline) => inline.as_str(),
            Repr::Heap(heap) => heap,
        }
    }

    /// Its length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Inline(inline) => inline.len(),
            Repr::Heap(heap) => heap.len(),
        }
    }

    /// True for `""`.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For an inline string of at most 16 bytes, its bytes as a little-endian
    /// `u128` (zero past the end) and its length: what an encoder writes with one
    /// 16-byte store instead of a `memcpy` call.
    #[inline(always)]
    pub(crate) fn short(&self) -> Option<(u128, usize)> {
        match &self.0 {
            Repr::Inline(inline) if inline.len() <= 16 => Some((
                u128::from(u64::from_le(inline.w0)) | u128::from(u64::from_le(inline.w1)) << 64,
                inline.len(),
            )),
            _ => None,
        }
    }

    /// True when the string is longer than 23 bytes and so lives on the heap.
    #[inline]
    pub fn is_heap_allocated(&self) -> bool {
        matches!(self.0, Repr::Heap(_))
    }
}

impl Default for SmallStr {
    fn default() -> Self {
        SmallStr::empty()
    }
}

impl Deref for SmallStr {
    type Target = str;
    #[inline(always)]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SmallStr {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for SmallStr {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<str> for SmallStr {
    fn borrow(&self) -> &str {
        self
    }
}

impl fmt::Debug for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for SmallStr {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallStr {}

impl PartialOrd for SmallStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SmallStr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SmallStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

macro_rules! eq_with {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for SmallStr {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<SmallStr> for $t {
            fn eq(&self, other: &SmallStr) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}
eq_with!(str, &str, String);

impl From<&str> for SmallStr {
    #[inline]
    fn from(s: &str) -> Self {
        SmallStr::from_str_ref(s)
    }
}

impl From<&String> for SmallStr {
    fn from(s: &String) -> Self {
        SmallStr::from_str_ref(s)
    }
}

impl From<String> for SmallStr {
    /// Inline when short; otherwise the `String`'s buffer is kept (shrunk to fit).
    fn from(s: String) -> Self {
        if s.len() <= INLINE_CAP {
            SmallStr::from_str_ref(&s)
        } else {
            SmallStr(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<Box<str>> for SmallStr {
    fn from(s: Box<str>) -> Self {
        if s.len() <= INLINE_CAP {
            SmallStr::from_str_ref(&s)
        } else {
            SmallStr(Repr::Heap(s))
        }
    }
}

impl From<char> for SmallStr {
    fn from(c: char) -> Self {
        SmallStr::from_str_ref(c.encode_utf8(&mut [0; 4]))
    }
}

impl From<SmallStr> for String {
    fn from(s: SmallStr) -> Self {
        match s.0 {
            Repr::Inline(inline) => inline.as_str().to_owned(),
            Repr::Heap(heap) => heap.into_string(),
        }
    }
}

impl core::str::FromStr for SmallStr {
    type Err = core::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(SmallStr::from_str_ref(s))
    }
}

impl FromIterator<char> for SmallStr {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> Self {
        SmallStr::from(iter.into_iter().collect::<String>())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for SmallStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for SmallStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SmallStr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SmallStr, E> {
                Ok(SmallStr::from_str_ref(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<SmallStr, E> {
                Ok(SmallStr::from(v))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings of every length from 0 to 40 bytes, ASCII and multi-byte, with every
    /// byte position distinct, survive the round trip (the word assembly shifts the
    /// overlap out differently at each length).
    #[test]
    fn every_length_round_trips() {
        let alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for len in 0..=40 {
            let s = &alphabet[..len];
            let small = SmallStr::new(s);
            assert_eq!(small.as_str(), s, "length {len}");
            assert_eq!(small.len(), len);
            assert_eq!(small.is_heap_allocated(), len > INLINE_CAP);
            assert_eq!(String::from(small.clone()), s);
            if let Some((bytes, n)) = small.short() {
                assert_eq!(&bytes.to_le_bytes()[..n], s.as_bytes());
                assert!(bytes.to_le_bytes()[n..].iter().all(|&b| b == 0));
            } else {
                assert!(len > 16);
            }
            assert_eq!(SmallStr::from(s.to_owned()), s);
        }
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let chars = ['a', 'é', '€', '😀', '\0', '\u{7f}', 'ÿ'];
        for _ in 0..5000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let n = (rng % 12) as usize;
            let s: String = (0..n)
                .map(|i| chars[((rng >> (i * 3)) % chars.len() as u64) as usize])
                .collect();
            assert_eq!(SmallStr::new(&s).as_str(), s);
            assert_eq!(SmallStr::new(&s).len(), s.len());
            assert_eq!(SmallStr::from_utf8(s.as_bytes()).unwrap(), s);
            // Any damage the validator sees, `from_utf8` sees.
            let mut bytes = s.clone().into_bytes();
            if let Some(b) = bytes.get_mut((rng >> 40) as usize % n.max(1)) {
                *b ^= (rng >> 50) as u8 | 0x80;
            }
            assert_eq!(
                SmallStr::from_utf8(&bytes).map(String::from).ok(),
                core::str::from_utf8(&bytes).map(str::to_owned).ok()
            );
        }
    }

    #[test]
    fn order_equality_and_hash_are_the_strs() {
        use std::collections::hash_map::DefaultHasher;
        let words = ["", "a", "ab", "b", "a string longer than 23 bytes!", "z"];
        for a in words {
            for b in words {
                assert_eq!(SmallStr::new(a).cmp(&SmallStr::new(b)), a.cmp(b));
                assert_eq!(SmallStr::new(a) == SmallStr::new(b), a == b);
            }
            let hash = |h: &dyn Fn(&mut DefaultHasher)| {
                let mut hasher = DefaultHasher::new();
                h(&mut hasher);
                hasher.finish()
            };
            assert_eq!(hash(&|h| SmallStr::new(a).hash(h)), hash(&|h| a.hash(h)));
        }
        assert_eq!(SmallStr::default(), "");
        assert_eq!(SmallStr::empty(), "");
        assert_eq!(SmallStr::from('€'), "€");
        assert_eq!(format!("{:?}", SmallStr::new("a\"b")), "\"a\\\"b\"");
    }
}
