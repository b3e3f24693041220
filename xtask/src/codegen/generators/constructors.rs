//! `NewEvent` constructors: every event message (one with the eventing option) that
//! has a `string event_id`, a `string tenant_id` and a time field gets
//! `impl crate::NewEvent`, whose `new_event(tenant)` fills a UUIDv7 `event_id`, the
//! tenant and the time (now). The time field is a `google.protobuf.Timestamp` named
//! `timestamp` or `occurred_at`, or an `int64 timestamp_ms` (milliseconds since the
//! Unix epoch). The crate defines the `NewEvent` trait at its root.

use crate::codegen::ident;
use crate::codegen::model::{PackageModel, Storage};
use crate::codegen::registry::Input;
use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};

/// How an event's time field is filled.
enum TimeField {
    Timestamp(FieldDescriptor),
    Millis(FieldDescriptor),
}

fn singular(message: &MessageDescriptor, name: &str) -> Option<FieldDescriptor> {
    message
        .get_field_by_name(name)
        // The forms `new_event` fills: a plain value or a plain `Option<M>`.
        .filter(|f| {
            matches!(
                Storage::of(f),
                Storage::Implicit | Storage::Message { boxed: false }
            )
        })
}

fn time_field(message: &MessageDescriptor) -> Option<TimeField> {
    for name in ["timestamp", "occurred_at"] {
        if let Some(field) = singular(message, name)
            && matches!(field.kind(), Kind::Message(m) if m.full_name() == "google.protobuf.Timestamp")
        {
            return Some(TimeField::Timestamp(field));
        }
    }
    singular(message, "timestamp_ms")
        .filter(|f| f.kind() == Kind::Int64)
        .map(TimeField::Millis)
}

/// Whether `message` gets a `NewEvent` impl (it must also be an event).
pub fn constructible(message: &MessageDescriptor) -> bool {
    let string = |name| singular(message, name).is_some_and(|f| f.kind() == Kind::String);
    string("event_id") && string("tenant_id") && time_field(message).is_some()
}

/// The `NewEvent` impls of the events of `package`.
pub fn generate(input: &Input, model: &PackageModel) -> anyhow::Result<String> {
    let (pool, events, package) = (input.pool, input.events, model.name.as_str());
    let mut out = String::new();
    let mut messages: Vec<MessageDescriptor> = events
        .iter()
        .filter_map(|e| pool.get_message_by_name(&e.message))
        .filter(|m| m.package_name() == package && constructible(m))
        .collect();
    // Declaration order, as prost writes the types.
    messages.sort_by_key(|m| (m.parent_file().name().to_string(), m.path().to_vec()));
    for message in messages {
        let (doc, init) = match time_field(&message).expect("constructible") {
            TimeField::Timestamp(field) => (
                format!("`{}` = now", ident::bare(&ident::field(&field))),
                format!(
                    "{}: ::core::option::Option::Some(::common_eventing::wkt::Timestamp::now())",
                    ident::field(&field)
                ),
            ),
            TimeField::Millis(field) => (
                format!(
                    "`{}` = now, in milliseconds since the Unix epoch",
                    ident::bare(&ident::field(&field))
                ),
                format!(
                    "{}: {{\n\
                     \x20               let now = ::common_eventing::wkt::Timestamp::now();\n\
                     \x20               now.seconds * 1000 + i64::from(now.nanos / 1_000_000)\n\
                     \x20           }}",
                    ident::field(&field)
                ),
            ),
        };
        out.push_str(&format!(
            "\n/// `{full}` with a UUIDv7 `event_id`, the tenant and {doc}.\n\
             impl crate::NewEvent for {ty} {{\n\
             \x20   fn new_event(tenant_id: impl ::core::convert::Into<::prost::alloc::string::String>) -> Self {{\n\
             \x20       Self {{\n\
             \x20           event_id: ::common_eventing::ids::uuid_v7(),\n\
             \x20           tenant_id: tenant_id.into(),\n\
             \x20           {init},\n\
             \x20           ..::core::default::Default::default()\n\
             \x20       }}\n\
             \x20   }}\n\
             }}\n",
            full = message.full_name(),
            ty = ident::message_path(&message),
        ));
    }
    Ok(out)
}
