//! `repeated` fields and maps in a view: where their elements are, and how many,
//! iterated without an allocation per element.

use super::kind::Kind;
use crate::__codegen::view as rt;
use prost::DecodeError;
use prost::encoding::WireType;
use std::collections::BTreeMap;
use std::fmt;

/// The message bodies a field's elements are in: one, unless the message the field
/// belongs to was itself merged from several occurrences (rare; then the others are
/// kept on the heap, so the common case stays two words and a null pointer).
#[derive(Clone, Default)]
struct Segments<'a> {
    first: &'a [u8],
    // One word (a `Vec` is three) in every view, for a case that almost never comes.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<&'a [u8]>>>,
}

impl<'a> Segments<'a> {
    #[inline(always)]
    fn note(&mut self, body: &'a [u8]) {
        if self.first.is_empty() {
            self.first = body;
        } else if !core::ptr::eq(self.first, body) {
            self.note_more(body);
        }
    }

    #[cold]
    fn note_more(&mut self, body: &'a [u8]) {
        let more = self.more.get_or_insert_with(Default::default);
        if !more.last().is_some_and(|last| core::ptr::eq(*last, body)) {
            more.push(body);
        }
    }

    fn get(&self, i: usize) -> Option<&'a [u8]> {
        match i {
            0 if !self.first.is_empty() => Some(self.first),
            0 => None,
            _ => self.more.as_ref()?.get(i - 1).copied(),
        }
    }
}

/// A `repeated` field of kind `K` in a view: its elements stay in the input and are
/// read as they are iterated (each checked once, when the view was decoded).
///
/// Iteration is in wire order, packed and unpacked runs alike, as owned decode
/// appends them.
pub struct RepeatedView<'a, K> {
    segments: Segments<'a>,
    tag: u32,
    len: usize,
    kind: core::marker::PhantomData<fn() -> K>,
}

impl<K> Clone for RepeatedView<'_, K> {
    fn clone(&self) -> Self {
        Self {
            segments: self.segments.clone(),
            tag: self.tag,
            len: self.len,
            kind: core::marker::PhantomData,
        }
    }
}

impl<K> Default for RepeatedView<'_, K> {
    fn default() -> Self {
        Self {
            segments: Segments::default(),
            tag: 0,
            len: 0,
            kind: core::marker::PhantomData,
        }
    }
}

impl<'a, K: Kind> RepeatedView<'a, K> {
    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The elements, in wire order.
    pub fn iter(&self) -> RepeatedIter<'_, 'a, K> {
        RepeatedIter {
            segments: &self.segments,
            next_segment: 1,
            rest: self.segments.get(0).unwrap_or(&[]),
            packed: &[],
            tag: self.tag,
            left: self.len,
            kind: core::marker::PhantomData,
        }
    }

    /// The encoded bytes of each element, in wire order, for a length-delimited kind
    /// (a message's body, a string's or bytes' contents): what a server stores as
    /// received, with any fields it does not know. (For a packable kind, the packed
    /// runs and nothing of the unpacked elements.)
    pub fn iter_bytes(&self) -> RepeatedBytes<'_, 'a> {
        RepeatedBytes {
            segments: &self.segments,
            next_segment: 1,
            rest: self.segments.get(0).unwrap_or(&[]),
            tag: self.tag,
        }
    }

    /// The elements as the owned message holds them.
    pub fn to_vec(&self) -> Vec<K::Owned> {
        let mut out = Vec::with_capacity(self.len);
        out.extend(self.iter().map(|v| K::to_owned(&v)));
        out
    }

    /// Reads one occurrence of the field (number `tag`, wire type `wire_type`) from
    /// `buf`, which is inside the message body `body`: checks it as owned decode
    /// would, counts its elements and remembers `body`.
    #[doc(hidden)]
    #[inline]
    pub fn merge(
        &mut self,
        body: &'a [u8],
        tag: u32,
        wire_type: WireType,
        buf: &mut &'a [u8],
        depth: u32,
    ) -> Result<(), DecodeError> {
        // Past the recursion limit's range, the bytes are ones this view already
        // checked (iteration reads elements again with `u32::MAX`): count them
        // without checking each element's subtree again, so reading a view is linear
        // in its size, not in size times depth.
        self.len += if depth > rt::RECURSION_LIMIT {
            Self::count(wire_type, buf)?
        } else {
            Self::check(wire_type, buf, depth)?
        };
        self.tag = tag;
        self.segments.note(body);
        Ok(())
    }

    /// The number of elements of one occurrence of already checked bytes, skipped.
    fn count(wire_type: WireType, buf: &mut &[u8]) -> Result<usize, DecodeError> {
        if K::PACKABLE && wire_type == WireType::LengthDelimited {
            let run = rt::delimited(buf)?;
            return Ok(match K::WIRE {
                WireType::ThirtyTwoBit => run.len() / 4,
                WireType::SixtyFourBit => run.len() / 8,
                // One varint ends at each byte below 0x80.
                _ => run.iter().filter(|b| **b < 0x80).count(),
            });
        }
        rt::skip(wire_type, 0, buf, u32::MAX)?;
        Ok(1)
    }

    /// Checks one occurrence of the field as owned decode would, keeping nothing;
    /// returns how many elements it holds.
    #[doc(hidden)]
    #[inline]
    pub fn check(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<usize, DecodeError> {
        if K::PACKABLE && wire_type == WireType::LengthDelimited {
            let mut run = rt::delimited(buf)?;
            let mut n = 0;
            while !run.is_empty() {
                K::check(K::WIRE, &mut run, depth)?;
                n += 1;
            }
            Ok(n)
        } else {
            K::check(wire_type, buf, depth)?;
            Ok(1)
        }
    }

    /// Counts one length-delimited element the caller has already checked (skipping
    /// its bytes in `buf`) and remembers `body`.
    #[doc(hidden)]
    #[inline]
    pub fn note_checked(
        &mut self,
        body: &'a [u8],
        tag: u32,
        buf: &mut &'a [u8],
    ) -> Result<(), DecodeError> {
        rt::delimited(buf)?;
        self.len += 1;
        self.tag = tag;
        self.segments.note(body);
        Ok(())
    }
}

impl<'a, K: Kind> fmt::Debug for RepeatedView<'a, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, K: Kind> PartialEq for RepeatedView<'a, K> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<'v, 'a, K: Kind> IntoIterator for &'v RepeatedView<'a, K> {
    type Item = K::Value<'a>;
    type IntoIter = RepeatedIter<'v, 'a, K>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The iterator of [`RepeatedView::iter`].
pub struct RepeatedIter<'v, 'a, K> {
    segments: &'v Segments<'a>,
    next_segment: usize,
    rest: &'a [u8],
    packed: &'a [u8],
    tag: u32,
    left: usize,
    kind: core::marker::PhantomData<fn() -> K>,
}

impl<'a, K: Kind> Iterator for RepeatedIter<'_, 'a, K> {
    type Item = K::Value<'a>;

    #[inline]
    fn next(&mut self) -> Option<K::Value<'a>> {
        // Everything read here was checked when the view was decoded, so the reads
        // succeed; if one did not, iteration would end rather than panic.
        while self.left > 0 {
            if !self.packed.is_empty() {
                let mut value = K::Value::default();
                if K::merge(&mut value, K::WIRE, &mut self.packed, u32::MAX).is_err() {
                    break;
                }
                self.left -= 1;
                return Some(value);
            }
            if self.rest.is_empty() {
                let Some(next) = self.segments.get(self.next_segment) else {
                    break;
                };
                self.rest = next;
                self.next_segment += 1;
            }
            let Ok((tag, wire_type)) = rt::key(&mut self.rest) else {
                break;
            };
            if tag != self.tag {
                if rt::skip(wire_type, tag, &mut self.rest, u32::MAX).is_err() {
                    break;
                }
                continue;
            }
            if K::PACKABLE && wire_type == WireType::LengthDelimited {
                match rt::delimited(&mut self.rest) {
                    Ok(run) => self.packed = run,
                    Err(_) => break,
                }
                continue;
            }
            let mut value = K::Value::default();
            if K::merge(&mut value, wire_type, &mut self.rest, u32::MAX).is_err() {
                break;
            }
            self.left -= 1;
            return Some(value);
        }
        self.left = 0;
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<'a, K: Kind> ExactSizeIterator for RepeatedIter<'_, 'a, K> {}

/// The iterator of [`RepeatedView::iter_bytes`].
pub struct RepeatedBytes<'v, 'a> {
    segments: &'v Segments<'a>,
    next_segment: usize,
    rest: &'a [u8],
    tag: u32,
}

impl<'a> Iterator for RepeatedBytes<'_, 'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            if self.rest.is_empty() {
                self.rest = self.segments.get(self.next_segment)?;
                self.next_segment += 1;
            }
            // Checked when the view was decoded; a read that failed would end here.
            let (tag, wire_type) = rt::key(&mut self.rest).ok()?;
            if tag == self.tag && wire_type == WireType::LengthDelimited {
                return rt::delimited(&mut self.rest).ok();
            }
            rt::skip(wire_type, tag, &mut self.rest, u32::MAX).ok()?;
        }
    }
}

/// A map field in a view: its entries stay in the input and are read as they are
/// iterated.
///
/// Iteration is in wire order and may repeat a key (owned decode keeps the last
/// value of a repeated key: so do [`MapView::get`] and [`MapView::to_map`]).
pub struct MapView<'a, K, V> {
    entries: RepeatedView<'a, Entry<K, V>>,
}

impl<K, V> Clone for MapView<'_, K, V> {
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
        }
    }
}

impl<K, V> Default for MapView<'_, K, V> {
    fn default() -> Self {
        Self {
            entries: RepeatedView::default(),
        }
    }
}

/// One map entry as a kind: its key and value, each its own kind's default when
/// absent.
struct Entry<K, V>(core::marker::PhantomData<fn() -> (K, V)>);

impl<K: Kind, V: Kind> Kind for Entry<K, V> {
    type Value<'a> = (K::Value<'a>, V::Value<'a>);
    type Owned = (K::Owned, V::Owned);
    const PACKABLE: bool = false;
    const WIRE: WireType = WireType::LengthDelimited;

    /// prost's map merge: the entry is length-delimited and one message level.
    #[inline]
    fn merge<'a>(
        value: &mut Self::Value<'a>,
        wire_type: WireType,
        buf: &mut &'a [u8],
        depth: u32,
    ) -> Result<(), DecodeError> {
        prost::encoding::check_wire_type(WireType::LengthDelimited, wire_type)?;
        if depth == 0 {
            return Err(rt::recursion_limit());
        }
        let mut entry = rt::delimited(buf)?;
        let (key, val) = value;
        while !entry.is_empty() {
            let (tag, wire_type) = rt::key(&mut entry)?;
            match tag {
                1 => K::merge(key, wire_type, &mut entry, depth - 1)?,
                2 => V::merge(val, wire_type, &mut entry, depth - 1)?,
                _ => rt::skip(wire_type, tag, &mut entry, depth - 1)?,
            }
        }
        Ok(())
    }

    #[inline]
    fn check(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
        prost::encoding::check_wire_type(WireType::LengthDelimited, wire_type)?;
        if depth == 0 {
            return Err(rt::recursion_limit());
        }
        let mut entry = rt::delimited(buf)?;
        while !entry.is_empty() {
            let (tag, wire_type) = rt::key(&mut entry)?;
            match tag {
                1 => K::check(wire_type, &mut entry, depth - 1)?,
                2 => V::check(wire_type, &mut entry, depth - 1)?,
                _ => rt::skip(wire_type, tag, &mut entry, depth - 1)?,
            }
        }
        Ok(())
    }

    fn to_owned(value: &Self::Value<'_>) -> Self::Owned {
        (K::to_owned(&value.0), V::to_owned(&value.1))
    }
}

impl<'a, K: Kind, V: Kind> MapView<'a, K, V> {
    /// The number of entries on the wire (a repeated key counts each time).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in wire order.
    pub fn iter(&self) -> MapIter<'_, 'a, K, V> {
        MapIter {
            inner: self.entries.iter(),
        }
    }

    /// The value of `key` (the last one on the wire).
    pub fn get(&self, key: &K::Value<'a>) -> Option<V::Value<'a>> {
        self.iter().filter(|(k, _)| k == key).last().map(|(_, v)| v)
    }

    /// The map as the owned message holds it.
    pub fn to_map(&self) -> BTreeMap<K::Owned, V::Owned>
    where
        K::Owned: Ord,
    {
        self.iter()
            .map(|(k, v)| (K::to_owned(&k), V::to_owned(&v)))
            .collect()
    }

    /// Reads one entry (see [`RepeatedView::merge`]).
    #[doc(hidden)]
    #[inline]
    pub fn merge(
        &mut self,
        body: &'a [u8],
        tag: u32,
        wire_type: WireType,
        buf: &mut &'a [u8],
        depth: u32,
    ) -> Result<(), DecodeError> {
        self.entries.merge(body, tag, wire_type, buf, depth)
    }

    /// Checks one entry as owned decode would, keeping nothing.
    #[doc(hidden)]
    #[inline]
    pub fn check(wire_type: WireType, buf: &mut &[u8], depth: u32) -> Result<(), DecodeError> {
        Entry::<K, V>::check(wire_type, buf, depth)
    }

    /// Counts one entry the caller has already checked (see
    /// [`RepeatedView::note_checked`]).
    #[doc(hidden)]
    #[inline]
    pub fn note_checked(
        &mut self,
        body: &'a [u8],
        tag: u32,
        buf: &mut &'a [u8],
    ) -> Result<(), DecodeError> {
        self.entries.note_checked(body, tag, buf)
    }
}

impl<'a, K: Kind, V: Kind> fmt::Debug for MapView<'a, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a, K: Kind, V: Kind> PartialEq for MapView<'a, K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<'v, 'a, K: Kind, V: Kind> IntoIterator for &'v MapView<'a, K, V> {
    type Item = (K::Value<'a>, V::Value<'a>);
    type IntoIter = MapIter<'v, 'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The iterator of [`MapView::iter`].
pub struct MapIter<'v, 'a, K, V> {
    inner: RepeatedIter<'v, 'a, Entry<K, V>>,
}

impl<'a, K: Kind, V: Kind> Iterator for MapIter<'_, 'a, K, V> {
    type Item = (K::Value<'a>, V::Value<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<'a, K: Kind, V: Kind> ExactSizeIterator for MapIter<'_, 'a, K, V> {}
