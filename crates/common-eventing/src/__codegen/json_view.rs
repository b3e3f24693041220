//! What the generated proto3 JSON of zero-copy views calls: [`ViewKind`] writes a
//! view's value of each JSON kind of [`json`](super::json), so a view writes the same
//! bytes as the owned message it views.

use super::json::{
    Bool, Bytes, Enum, F32, F64, I32, I64, Kind, Map, MapKey, Msg, NullEnum, ProtoEnum, Rep, Str,
    U32, U64, ValueMsg, enter_ser,
};
use crate::view::{HasView, MapView, RepeatedView, ValueView, kind as wire};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// How a view's value of type `T` is written as JSON kind `Self`.
pub trait ViewKind<T> {
    /// Writes `v`.
    fn ser_view<S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error>;
}

/// Writes a view's value `T` as JSON kind `K`.
pub struct WV<'v, K, T>(&'v T, PhantomData<fn() -> K>);

impl<'v, K: ViewKind<T>, T> WV<'v, K, T> {
    /// Wraps `v`.
    #[inline]
    pub fn new(v: &'v T) -> Self {
        WV(v, PhantomData)
    }
}

impl<K: ViewKind<T>, T> Serialize for WV<'_, K, T> {
    #[inline]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        K::ser_view(self.0, s)
    }
}

/// Kinds whose view value is the owned value (numbers, bools, enums).
macro_rules! same {
    ($($kind:ty: $t:ty),*) => {$(
        impl ViewKind<$t> for $kind {
            #[inline]
            fn ser_view<S: Serializer>(v: &$t, s: S) -> Result<S::Ok, S::Error> {
                <$kind as Kind>::ser(v, s)
            }
        }
    )*};
}
same!(I32: i32, U32: u32, I64: i64, U64: u64, F32: f32, F64: f64, Bool: bool, NullEnum: i32);

impl<E: ProtoEnum> ViewKind<i32> for Enum<E> {
    #[inline]
    fn ser_view<S: Serializer>(v: &i32, s: S) -> Result<S::Ok, S::Error> {
        <Enum<E> as Kind>::ser(v, s)
    }
}

impl ViewKind<&str> for Str {
    #[inline]
    fn ser_view<S: Serializer>(v: &&str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }
}

impl ViewKind<&[u8]> for Bytes {
    fn ser_view<S: Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }
}

impl<'a, M: HasView> ViewKind<M::View<'a>> for Msg<M>
where
    M::View<'a>: Serialize,
{
    fn ser_view<S: Serializer>(v: &M::View<'a>, s: S) -> Result<S::Ok, S::Error> {
        let _depth = enter_ser::<S::Error>(1)?;
        v.serialize(s)
    }
}

impl<'a> ViewKind<ValueView<'a>> for ValueMsg {
    fn ser_view<S: Serializer>(v: &ValueView<'a>, s: S) -> Result<S::Ok, S::Error> {
        let _depth = enter_ser::<S::Error>(1)?;
        v.serialize(s)
    }
}

impl<'a, K, P: wire::Kind> ViewKind<RepeatedView<'a, P>> for Rep<K>
where
    K: ViewKind<P::Value<'a>>,
{
    fn ser_view<S: Serializer>(v: &RepeatedView<'a, P>, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for item in v.iter() {
            seq.serialize_element(&WV::<K, _>::new(&item))?;
        }
        seq.end()
    }
}

/// A map key kind, written from a view's key.
pub trait ViewMapKey<T> {
    /// The key as written.
    fn write_view_key(v: &T) -> Cow<'_, str>;
}

impl ViewMapKey<&str> for Str {
    fn write_view_key<'v>(v: &'v &str) -> Cow<'v, str> {
        Cow::Borrowed(v)
    }
}

macro_rules! same_key {
    ($($kind:ty: $t:ty),*) => {$(
        impl ViewMapKey<$t> for $kind {
            fn write_view_key(v: &$t) -> Cow<'_, str> {
                <$kind as MapKey>::write_key(v)
            }
        }
    )*};
}
same_key!(I32: i32, U32: u32, I64: i64, U64: u64, Bool: bool);

/// A map in the owned message's order: sorted by key, the last value of a repeated
/// key (as owned decode keeps it).
impl<'a, KK, VK, PK: wire::Kind, PV: wire::Kind> ViewKind<MapView<'a, PK, PV>> for Map<KK, VK>
where
    KK: ViewMapKey<PK::Value<'a>>,
    VK: ViewKind<PV::Value<'a>>,
    PK::Value<'a>: Ord,
{
    fn ser_view<S: Serializer>(v: &MapView<'a, PK, PV>, s: S) -> Result<S::Ok, S::Error> {
        let entries: BTreeMap<PK::Value<'a>, PV::Value<'a>> = v.iter().collect();
        let mut map = s.serialize_map(Some(entries.len()))?;
        for (k, item) in &entries {
            map.serialize_entry(&KK::write_view_key(k), &WV::<VK, _>::new(item))?;
        }
        map.end()
    }
}
