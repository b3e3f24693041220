//! prost, with one difference: map entries are written as upb writes them.
//!
//! Every generated message with a map field derives `prost::Message` with
//! `#[prost(prost_path = "::common_eventing::__codegen::prost_upb")]`, so its derived
//! `encode_raw` and `encoded_len` call [`encoding::btree_map`] here instead of prost's.
//! Everything else is prost's own item, re-exported: the `Message` trait is prost's,
//! and decoding is prost's (`merge` and `merge_with_default` are prost's functions).
//!
//! prost leaves an entry's key out when it is the key type's default and its value
//! out when it is the value's default, and walks the `BTreeMap` in its order. upb
//! (Python, C++, and the deterministic serialization of every other runtime) writes
//! both, always, in its deterministic order ([`super::encode::map_rev`], walked from
//! the back). Both decode to the same map; content hashes and deduplication over
//! deterministic bytes need Python's bytes, and the workspace's own backward encoder
//! ([`crate::encode`]) writes them too, so `prost::Message::encode_to_vec` and
//! `common_eventing::encode::to_vec` give the same bytes
//! (`tests/tests/map_bytes.rs` compares both with Python).

pub use prost::*;

/// `prost::encoding`, with [`btree_map`](encoding::btree_map)'s writers replaced.
pub mod encoding {
    pub use prost::encoding::*;

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
