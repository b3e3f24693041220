//! `common_eventing::encode::to_vec` (the generated backward encoders) writes exactly
//! what prost's `encode_to_vec` writes, for random instances of every message of
//! every crate: every scalar kind with defaults and extremes, packed and unpacked
//! lists, maps with default keys and values, oneofs, nested and well-known messages,
//! `Struct` trees.

use common_eventing::encode::{self, Encode};
use common_eventing::visit::JsonMessage;
use interop_tests::every_message::{Check, for_each_message, pool, random_value};
use prost::Message as _;
use prost_reflect::{DescriptorPool, FieldDescriptor};

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
                assert_eq!(msg.size(), prost.len(), "{}: size", M::full_name());
                let mut out = vec![0; prost.len()];
                let start = msg.write_back(&mut out, prost.len());
                assert_eq!(start, 0, "{}: written from {start}", M::full_name());
                assert_eq!(out, prost, "{}", M::full_name());
                assert_eq!(encode::to_vec(&msg), prost, "{}", M::full_name());
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
