//! `common_eventing::encode::to_vec` (the generated backward encoders) writes exactly
//! what prost's `encode_to_vec` writes, for random instances of every message of
//! every crate: every scalar kind with defaults and extremes, packed and unpacked
//! lists, oneofs, nested and well-known messages, `Struct` trees. Messages with a map
//! field at any depth are written as Python writes maps (`tests/tests/map_bytes.rs`
//! compares those with Python); here they must decode to the same message.

use common_eventing::encode::{self, Encode};
use common_eventing::visit::JsonMessage;
use interop_tests::every_message::{Check, for_each_message, pool, random_value};
use prost::Message as _;
use prost_reflect::{DescriptorPool, FieldDescriptor};

/// True when `message` has a map field at any depth.
fn has_map(message: &prost_reflect::MessageDescriptor) -> bool {
    fn walk(m: &prost_reflect::MessageDescriptor, seen: &mut Vec<String>) -> bool {
        if seen.iter().any(|s| s == m.full_name()) {
            return false;
        }
        seen.push(m.full_name().to_string());
        m.fields().any(|f| {
            f.is_map() || matches!(f.kind(), prost_reflect::Kind::Message(sub) if walk(&sub, seen))
        })
    }
    walk(message, &mut Vec::new())
}

#[test]
fn backward_encoders_write_prosts_bytes_for_every_message() {
    struct Same {
        pool: DescriptorPool,
        compared: usize,
        nonempty: usize,
    }
    impl Check for Same {
        fn check<M: JsonMessage + Encode>(&mut self, _fields: &[FieldDescriptor]) {
            let descriptor = self.pool.get_message_by_name(&M::full_name()).unwrap();
            for round in 0..12 {
                let mut dynamic = prost_reflect::DynamicMessage::new(descriptor.clone());
                for f in descriptor.fields() {
                    // Every field set in one round, a random half in the others.
                    if round == 0 || fastrand::bool() {
                        dynamic.set_field(&f, random_value(&f, 0));
                    }
                }
                let Ok(msg) = M::decode(dynamic.encode_to_vec().as_slice()) else {
                    continue;
                };
                let prost = msg.encode_to_vec();
                let size = msg.size();
                let mut out = vec![0; size];
                let start = msg.write_back(&mut out, size);
                assert_eq!(start, 0, "{}: written from {start}", M::full_name());
                assert_eq!(encode::to_vec(&msg), out, "{}", M::full_name());
                if has_map(&descriptor) {
                    // The same message (compared as prost's bytes: NaN is not equal to
                    // itself in a `Struct`).
                    let back = M::decode(out.as_slice()).unwrap();
                    assert_eq!(back.encode_to_vec(), prost, "{}", M::full_name());
                } else {
                    assert_eq!(size, prost.len(), "{}: size", M::full_name());
                    assert_eq!(out, prost, "{}", M::full_name());
                }
                self.compared += 1;
                self.nonempty += usize::from(!prost.is_empty());
            }
        }
    }
    let mut same = Same {
        pool: pool(),
        compared: 0,
        nonempty: 0,
    };
    let messages = for_each_message(&mut same);
    assert!(messages > 200, "{messages} messages");
    assert!(
        same.compared > 10 * messages && same.nonempty > same.compared / 2,
        "{} compared, {} non-empty",
        same.compared,
        same.nonempty
    );
}
