//! Every generated message of every crate, for tests that check a rule on all of
//! them: the descriptor pool, a visitor that calls a check per message type, and
//! random instances built from the descriptors.

use common_eventing::MessageVisitor;
use common_eventing::encode::Encode;
use common_eventing::visit::JsonMessage;
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind};

/// Every crate's descriptors in one pool.
pub fn pool() -> DescriptorPool {
    let mut pool = DescriptorPool::new();
    for set in [
        common_eventing::FILE_DESCRIPTOR_SET,
        chaukas_spec_client::FILE_DESCRIPTOR_SET,
        chaukas_spec_server::FILE_DESCRIPTOR_SET,
        aumos_proto::FILE_DESCRIPTOR_SET,
        aios_proto::FILE_DESCRIPTOR_SET,
        ameide_sre_proto::FILE_DESCRIPTOR_SET,
    ] {
        pool.decode_file_descriptor_set(set).unwrap();
    }
    pool
}

/// Calls `check::<M>(fields of M)` for every generated message type of every crate.
struct ForEach<F> {
    pool: DescriptorPool,
    check: F,
    messages: usize,
}

/// A check run on every message type.
pub trait Check {
    /// Checks message type `M`, whose fields are `fields`.
    fn check<M: JsonMessage + Encode + common_eventing::Known + common_eventing::view::HasView>(
        &mut self,
        fields: &[FieldDescriptor],
    ) where
        for<'a> <M as common_eventing::view::HasView>::View<'a>: serde::Serialize;
}

impl<F: Check> MessageVisitor for ForEach<F> {
    fn visit<
        M: JsonMessage
            + common_eventing::registry::ProtoSchema
            + common_eventing::Known
            + Encode
            + common_eventing::view::HasView,
    >(
        &mut self,
    ) where
        for<'a> <M as common_eventing::view::HasView>::View<'a>: serde::Serialize,
    {
        let descriptor = self
            .pool
            .get_message_by_name(&M::full_name())
            .unwrap_or_else(|| panic!("{} is in the descriptor sets", M::full_name()));
        let fields: Vec<FieldDescriptor> = descriptor.fields().collect();
        self.check.check::<M>(&fields);
        self.messages += 1;
    }
}

/// Calls `check` for every generated message type of every crate; returns how many.
pub fn for_each_message(check: impl Check) -> usize {
    let mut v = ForEach {
        pool: pool(),
        check,
        messages: 0,
    };
    chaukas_spec_client::common::v1::visit_messages(&mut v);
    chaukas_spec_client::client::v1::visit_messages(&mut v);
    chaukas_spec_server::server::v1::visit_messages(&mut v);
    aumos_proto::events::v1::visit_messages(&mut v);
    aumos_proto::models::v1::visit_messages(&mut v);
    aumos_proto::api::v1::visit_messages(&mut v);
    aumos_proto::agf::v1::visit_messages(&mut v);
    aios_proto::common::visit_messages(&mut v);
    aios_proto::orchestrator::visit_messages(&mut v);
    aios_proto::agent::visit_messages(&mut v);
    aios_proto::runtime::visit_messages(&mut v);
    aios_proto::tools::visit_messages(&mut v);
    aios_proto::memory::visit_messages(&mut v);
    aios_proto::api_gateway::visit_messages(&mut v);
    ameide_sre_proto::core::v1::visit_messages(&mut v);
    ameide_sre_proto::process::v1::visit_messages(&mut v);
    v.messages
}

impl<C: Check> Check for &mut C {
    fn check<M: JsonMessage + Encode + common_eventing::Known + common_eventing::view::HasView>(
        &mut self,
        fields: &[FieldDescriptor],
    ) where
        for<'a> <M as common_eventing::view::HasView>::View<'a>: serde::Serialize,
    {
        (**self).check::<M>(fields);
    }
}

/// A random value of `field`, `depth` message levels down.
pub fn random_value(field: &FieldDescriptor, depth: usize) -> prost_reflect::Value {
    use prost_reflect::Value as V;
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else {
            unreachable!("a map field's kind is its entry")
        };
        let key_field = entry.map_entry_key_field();
        let value_field = entry.map_entry_value_field();
        let map = (0..fastrand::usize(0..3))
            .filter_map(|_| {
                let key = match random_single(&key_field, depth) {
                    V::String(s) => prost_reflect::MapKey::String(s),
                    V::I32(n) => prost_reflect::MapKey::I32(n),
                    V::I64(n) => prost_reflect::MapKey::I64(n),
                    V::U32(n) => prost_reflect::MapKey::U32(n),
                    V::U64(n) => prost_reflect::MapKey::U64(n),
                    V::Bool(b) => prost_reflect::MapKey::Bool(b),
                    _ => return None,
                };
                Some((key, random_single(&value_field, depth)))
            })
            .collect();
        return V::Map(map);
    }
    if field.is_list() {
        return V::List(
            (0..fastrand::usize(0..3))
                .map(|_| random_single(field, depth))
                .collect(),
        );
    }
    random_single(field, depth)
}

/// Text with everything JSON escapes, non-ASCII, and long plain runs.
pub fn random_text() -> String {
    const PIECES: [&str; 10] = [
        "plain text ",
        "\"",
        "\\",
        "\n\t\r",
        "\u{1}\u{1f}",
        "é€😀",
        "/",
        "\u{7f}",
        "a longer run of plain words that fills more than one 32-byte block ",
        "",
    ];
    (0..fastrand::usize(0..8))
        .map(|_| PIECES[fastrand::usize(..PIECES.len())])
        .collect()
}

/// A random value of one element of `field` (a list's element, a map's key or value).
pub fn random_single(field: &FieldDescriptor, depth: usize) -> prost_reflect::Value {
    use prost_reflect::Value as V;
    let float = || match fastrand::u8(..20) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -0.0,
        3 => 1e300,
        _ => fastrand::f64() * 1e6 - 5e5,
    };
    match field.kind() {
        Kind::Double => V::F64(float()),
        Kind::Float => V::F32(float() as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => V::I32(fastrand::i32(..)),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => V::I64(fastrand::i64(..)),
        Kind::Uint32 | Kind::Fixed32 => V::U32(fastrand::u32(..)),
        Kind::Uint64 | Kind::Fixed64 => V::U64(fastrand::u64(..)),
        Kind::Bool => V::Bool(fastrand::bool()),
        Kind::String => V::String(random_text()),
        Kind::Bytes => V::Bytes(random_text().into_bytes().into()),
        Kind::Enum(e) => V::EnumNumber(if fastrand::bool() {
            e.values()
                .nth(fastrand::usize(..e.values().len()))
                .map_or(0, |v| v.number())
        } else {
            fastrand::i32(..)
        }),
        Kind::Message(m) => {
            let mut msg = prost_reflect::DynamicMessage::new(m.clone());
            if depth < 3 {
                for f in m.fields() {
                    if fastrand::u8(..3) != 0 {
                        msg.set_field(&f, random_value(&f, depth + 1));
                    }
                }
            }
            V::Message(msg)
        }
    }
}
