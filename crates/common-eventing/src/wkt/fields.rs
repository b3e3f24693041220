//! [`Fields`]: the ordered map inside [`Struct`](super::Struct).
//!
//! A `Vec` of `(key, value)` pairs kept sorted by key, with binary-search lookup. It
//! is what the protobuf access pattern wants: entries are built once (by a decoder,
//! `collect()` or a few `insert`s), then read in key order by the encoder and by JSON.
//! Compared with a `BTreeMap` there is no per-node allocation, entries sit next to
//! each other in memory, and keys are [`SmallStr`]s, stored inline up to 23 bytes, so a
//! decoded `Struct` with short keys costs one allocation instead of one per key.
//!
//! Key order is what keeps bytes deterministic: iteration, the binary encoding and the
//! JSON form all visit keys in [`key_order`], the order in which Python protobuf (upb)
//! writes a map with `deterministic=True`: ascending bytes, except that a key comes
//! *after* the keys it is a prefix of (`"ab"` before `"a"`, and `""` last). C++, Java
//! and Go put the shorter key first; for maps without such prefix pairs all of them
//! write the same bytes.
//!
//! ## Decoding out of order
//!
//! Protobuf does not order map entries on the wire (Go and Java writers do not sort).
//! A decoder appends entries in arrival order and sorts once at the end, so any order
//! decodes in `O(n log n)`, and sorted input in `O(n)`. The one place where "the end"
//! is not visible is a `Struct` that is a field of a prost-generated message: prost
//! hands over one entry at a time. Such a map keeps its unsorted tail until the first
//! `&mut` access sorts it; until then the `&self` methods still answer in key order
//! (they sort a list of references when they need one), and equal keys follow
//! protobuf's rule that the last entry on the wire wins.

use super::Value;
use crate::wkt::SmallStr;
use core::cmp::Ordering;
use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// `Fields::encoded_len` when nothing is cached.
const UNKNOWN: u32 = u32::MAX;

type Entry = (SmallStr, Value);

/// The order of map keys in Python protobuf's deterministic serialization (upb's
/// `_upb_mapsorter_cmpstr` sorts descending with the negated `memcmp` and the
/// encoder writes backwards): compare the common prefix bytewise, and if it is
/// equal, the longer key first. A total order: byte strings compared as if each
/// ended with a terminator greater than every byte.
///
/// ```
/// use common_eventing::wkt::fields::key_order;
///
/// let mut keys = ["b", "", "a", "ab", "\u{0}", "A"];
/// keys.sort_by(|a, b| key_order(a, b));
/// assert_eq!(keys, ["\u{0}", "A", "ab", "a", "b", ""]);
/// ```
pub fn key_order(a: &str, b: &str) -> Ordering {
    let n = a.len().min(b.len());
    match a.as_bytes()[..n].cmp(&b.as_bytes()[..n]) {
        Ordering::Equal => b.len().cmp(&a.len()),
        unequal => unequal,
    }
}

/// The fields of a [`Struct`](super::Struct): an ordered map from key to [`Value`].
///
/// Iteration is in [`key_order`] (ascending bytes; a key after the keys it is a prefix
/// of). The API follows `BTreeMap`:
///
/// ```
/// use common_eventing::wkt::{Fields, Value};
///
/// let mut fields = Fields::new();
/// fields.insert("b", 2.0);
/// fields.insert("a", "x");
/// assert_eq!(fields.insert("b", true), Some(Value::from(2.0)));
/// assert_eq!(fields.keys().collect::<Vec<_>>(), ["a", "b"]);
/// assert_eq!(fields.get("b"), Some(&Value::from(true)));
/// assert_eq!(fields.remove("a"), Some(Value::from("x")));
/// assert_eq!(fields.len(), 1);
/// ```
pub struct Fields {
    entries: Vec<Entry>,
    /// `entries[..sorted]` is strictly increasing by key. Entries after it were
    /// appended by a decoder in arrival order and may repeat keys (the last wins);
    /// [`Fields::normalize`] folds them in.
    sorted: usize,
    /// The encoded length of the `Struct` these fields make up, once computed
    /// ([`UNKNOWN`] until then). A derived parent asks a nested message for its
    /// length at every level on the way down; this makes the repeated asks `O(1)`.
    /// Every `&mut` method resets it, and changing anything inside (a value, a
    /// nested `Struct`) needs one of them, so it is never stale. Relaxed atomics:
    /// the value is a pure function of the contents, which `&self` cannot change.
    encoded_len: AtomicU32,
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

impl Clone for Fields {
    fn clone(&self) -> Self {
        Fields {
            entries: self.entries.clone(),
            sorted: self.sorted,
            encoded_len: AtomicU32::new(self.encoded_len.load(Relaxed)),
        }
    }
}

impl Fields {
    /// An empty map.
    pub const fn new() -> Self {
        Fields {
            entries: Vec::new(),
            sorted: 0,
            encoded_len: AtomicU32::new(UNKNOWN),
        }
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Fields {
            entries: Vec::with_capacity(capacity),
            sorted: 0,
            encoded_len: AtomicU32::new(UNKNOWN),
        }
    }

    /// Forgets the cached encoded length: called by every `&mut` method.
    #[inline]
    fn touch(&mut self) {
        *self.encoded_len.get_mut() = UNKNOWN;
    }

    /// The cached encoded length of the `Struct`, if any.
    #[inline]
    pub(crate) fn cached_len(&self) -> Option<usize> {
        let n = self.encoded_len.load(Relaxed);
        (n != UNKNOWN).then_some(n as usize)
    }

    /// Remembers the encoded length of the `Struct` (not above 4 GiB - 2).
    #[inline]
    pub(crate) fn cache_len(&self, len: usize) {
        if let Ok(n) = u32::try_from(len)
            && n != UNKNOWN
        {
            self.encoded_len.store(n, Relaxed);
        }
    }

    /// The entries as one slice in key order, when no unsorted tail is pending.
    #[inline]
    pub(crate) fn sorted_entries(&self) -> Option<&[(SmallStr, Value)]> {
        self.is_normalized().then_some(self.entries.as_slice())
    }

    /// The entries in key order, deduplicated, when an unsorted tail is pending (the
    /// rare case [`Fields::sorted_entries`] does not cover).
    pub(crate) fn collected_entries(&self) -> Vec<&(SmallStr, Value)> {
        match self.view() {
            View::Sorted(s) => s.iter().collect(),
            View::Collected(v) => v,
        }
    }

    fn is_normalized(&self) -> bool {
        self.sorted == self.entries.len()
    }

    /// Sorts and deduplicates entries a decoder appended out of order. Cheap when
    /// there are none.
    pub(crate) fn normalize(&mut self) {
        if self.is_normalized() {
            return;
        }
        // Stable: among equal keys, arrival order is kept, so the last one is the one
        // that came last on the wire.
        self.entries.sort_by(|a, b| key_order(&a.0, &b.0));
        self.entries.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                core::mem::swap(later, kept);
                true
            } else {
                false
            }
        });
        self.sorted = self.entries.len();
    }

    /// Decodes one entry in place at the end (`fill` writes key and value into a
    /// default slot, so nothing is moved afterwards), then keeps the order invariant
    /// `O(1)` when keys arrive in order. On error the slot is removed.
    #[inline]
    pub(crate) fn decode_entry<E>(
        &mut self,
        fill: impl FnOnce(&mut (SmallStr, Value)) -> Result<(), E>,
    ) -> Result<(), E> {
        self.touch();
        let was_normalized = self.is_normalized();
        self.entries.push((SmallStr::default(), Value::default()));
        let n = self.entries.len();
        if let Err(e) = fill(&mut self.entries[n - 1]) {
            self.entries.pop();
            return Err(e);
        }
        if was_normalized {
            if n == 1 {
                self.sorted = 1;
            } else {
                match key_order(&self.entries[n - 2].0, &self.entries[n - 1].0) {
                    Ordering::Less => self.sorted = n,
                    Ordering::Equal => {
                        // A repeated key: the later value wins.
                        if let Some((_, value)) = self.entries.pop() {
                            self.entries[n - 2].1 = value;
                        }
                    }
                    Ordering::Greater => {}
                }
            }
        }
        Ok(())
    }

    /// The entries in key order, deduplicated: borrowed in place when sorted.
    fn view(&self) -> View<'_> {
        if self.is_normalized() {
            return View::Sorted(&self.entries);
        }
        let mut refs: Vec<&Entry> = self.entries.iter().collect();
        refs.sort_by(|a, b| key_order(&a.0, &b.0));
        refs.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                core::mem::swap(later, kept);
                true
            } else {
                false
            }
        });
        View::Collected(refs)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match self.view() {
            View::Sorted(s) => s.len(),
            View::Collected(v) => v.len(),
        }
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        debug_assert!(self.is_normalized());
        self.entries.binary_search_by(|e| key_order(&e.0, key))
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        // Unsorted tail first: a later entry wins over an earlier one.
        if let Some(e) = self.entries[self.sorted..]
            .iter()
            .rev()
            .find(|e| e.0 == key)
        {
            return Some(&e.1);
        }
        self.entries[..self.sorted]
            .binary_search_by(|e| key_order(&e.0, key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value of `key` for changing it in place, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.touch();
        self.normalize();
        match self.position(key) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: impl Into<SmallStr>, value: impl Into<Value>) -> Option<Value> {
        self.touch();
        self.normalize();
        let key = key.into();
        let value = value.into();
        match self.position(&key) {
            Ok(i) => Some(core::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                self.sorted += 1;
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.touch();
        self.normalize();
        let i = self.position(key).ok()?;
        self.sorted -= 1;
        Some(self.entries.remove(i).1)
    }

    /// Keeps only the entries for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Value) -> bool) {
        self.touch();
        self.normalize();
        self.entries.retain_mut(|(k, v)| keep(k, v));
        self.sorted = self.entries.len();
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.touch();
        self.entries.clear();
        self.sorted = 0;
    }

    /// The entries in ascending key order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(match self.view() {
            View::Sorted(s) => IterInner::Sorted(s.iter()),
            View::Collected(v) => IterInner::Collected(v.into_iter()),
        })
    }

    /// The entries in ascending key order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        self.touch();
        self.normalize();
        IterMut(self.entries.iter_mut())
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.iter().map(|(k, _)| k)
    }

    /// The values in ascending key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.iter().map(|(_, v)| v)
    }

    /// The values in ascending key order, mutable.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.iter_mut().map(|(_, v)| v)
    }

    /// Builds the map from entries in any order; for equal keys the last one wins.
    fn from_entries(entries: Vec<Entry>) -> Self {
        let mut fields = Fields {
            entries,
            sorted: 0,
            encoded_len: AtomicU32::new(UNKNOWN),
        };
        fields.normalize();
        fields
    }
}

enum View<'a> {
    Sorted(&'a [Entry]),
    Collected(Vec<&'a Entry>),
}

impl PartialEq for Fields {
    fn eq(&self, other: &Self) -> bool {
        match (self.view(), other.view()) {
            (View::Sorted(a), View::Sorted(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<SmallStr>, V: Into<Value>> FromIterator<(K, V)> for Fields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Fields::from_entries(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl<K: Into<SmallStr>, V: Into<Value>> Extend<(K, V)> for Fields {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut entries = core::mem::take(&mut self.entries);
        entries.extend(iter.into_iter().map(|(k, v)| (k.into(), v.into())));
        *self = Fields::from_entries(entries);
    }
}

impl<K: Into<SmallStr>, V: Into<Value>, const N: usize> From<[(K, V); N]> for Fields {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// Iterator over the entries of [`Fields`] in key order (see [`Fields::iter`]).
pub struct Iter<'a>(IterInner<'a>);

enum IterInner<'a> {
    Sorted(core::slice::Iter<'a, Entry>),
    Collected(std::vec::IntoIter<&'a Entry>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        let e = match &mut self.0 {
            IterInner::Sorted(it) => it.next()?,
            IterInner::Collected(it) => it.next()?,
        };
        Some((e.0.as_str(), &e.1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterInner::Sorted(it) => it.size_hint(),
            IterInner::Collected(it) => it.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let e = match &mut self.0 {
            IterInner::Sorted(it) => it.next_back()?,
            IterInner::Collected(it) => it.next_back()?,
        };
        Some((e.0.as_str(), &e.1))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Iterator over the entries of [`Fields`] in key order, values mutable (see
/// [`Fields::iter_mut`]).
pub struct IterMut<'a>(core::slice::IterMut<'a, Entry>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a str, &'a mut Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str(), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k.as_str(), v))
    }
}

impl ExactSizeIterator for IterMut<'_> {}

/// Owning iterator over the entries of [`Fields`] in key order.
pub struct IntoIter(std::vec::IntoIter<Entry>);

impl Iterator for IntoIter {
    type Item = (SmallStr, Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for Fields {
    type Item = (SmallStr, Value);
    type IntoIter = IntoIter;

    fn into_iter(mut self) -> IntoIter {
        self.normalize();
        IntoIter(self.entries.into_iter())
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a str, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Fields {
    type Item = (&'a str, &'a mut Value);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(keys: &[&str]) -> Fields {
        let mut f = Fields::new();
        for (i, k) in keys.iter().enumerate() {
            f.decode_entry(|slot| {
                *slot = ((*k).into(), Value::from(i as f64));
                Ok::<(), ()>(())
            })
            .unwrap();
        }
        f
    }

    #[test]
    fn sorted_arrival_stays_normalized_and_dirty_arrival_reads_in_key_order() {
        let f = decoded(&["a", "b", "c"]);
        assert!(f.is_normalized());
        let f = decoded(&["c", "a", "b", "a"]);
        assert!(!f.is_normalized());
        // Reads answer as if sorted, and the last "a" (index 3) wins.
        assert_eq!(f.len(), 3);
        assert_eq!(f.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(f.get("a"), Some(&Value::from(3.0)));
        assert_eq!(f.get("c"), Some(&Value::from(0.0)));
        assert_eq!(f.get("z"), None);
        let expected: Fields = [("a", 3.0), ("b", 2.0), ("c", 0.0)].into();
        assert_eq!(f, expected);
        // The first &mut access folds the tail in.
        let mut g = f.clone();
        g.normalize();
        assert!(g.is_normalized());
        assert_eq!(g, f);
        assert_eq!(g.entries.len(), 3);
    }

    #[test]
    fn duplicate_key_in_order_replaces() {
        let f = decoded(&["a", "a", "b"]);
        assert!(f.is_normalized());
        assert_eq!(f.len(), 2);
        assert_eq!(f.get("a"), Some(&Value::from(1.0)));
    }

    #[test]
    fn collect_sorts_and_last_wins() {
        let f: Fields = [("b", 1.0), ("a", 2.0), ("b", 3.0)].into();
        assert_eq!(
            f.iter().collect::<Vec<_>>(),
            [("a", &Value::from(2.0)), ("b", &Value::from(3.0))]
        );
        let mut g = f.clone();
        g.extend([("0", 0.0), ("b", 4.0)]);
        assert_eq!(g.keys().collect::<Vec<_>>(), ["0", "a", "b"]);
        assert_eq!(g.get("b"), Some(&Value::from(4.0)));
        g.retain(|k, _| k != "a");
        assert_eq!(g.keys().rev().collect::<Vec<_>>(), ["b", "0"]);
        assert_eq!(
            g.into_iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["0", "b"]
        );
    }

    #[test]
    fn mutation_through_a_dirty_map() {
        let mut f = decoded(&["b", "a"]);
        *f.get_mut("b").unwrap() = Value::from("x");
        assert_eq!(f.remove("a"), Some(Value::from(1.0)));
        assert_eq!(f.iter_mut().len(), 1);
        assert_eq!(f.get("b"), Some(&Value::from("x")));
        f.clear();
        assert!(f.is_empty());
    }
}
