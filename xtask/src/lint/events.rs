//! Event rules: the eventing option is valid where it is set, and set where it must be.
//!
//! | rule | definition |
//! | --- | --- |
//! | `EVENTING_OPTION_VALID` | every message carrying `(ameide_core_proto.common.v1.eventing)` passes [`crate::codegen::generators::eventing::validate`] (the check codegen runs): no empty value, subject `{stream_ref}-value`, every key path resolves through singular message fields outside oneofs to a singular scalar |
//! | `EVENT_ANNOTATED` | every event message carries the option |
//!
//! An **event message** is a message of an `aumos.*` or `ameide_core_proto.*` package
//! (the domains routed by the eventing option) that either
//! - has a field `event_id` or `message_id` and a field `tenant_id` (an event that
//!   identifies itself and its tenant: every AumOS and agent-framework event), or
//! - has a field `meta` of type `SreMessageMeta` (an SRE envelope: its ids are in
//!   `meta`),
//!
//! except `SreMessageMeta` itself (the envelopes' header, checked by `SRE_META_FIELDS`).
//! Chaukas and aiOS are upstream contracts checked against the upstream packages; they
//! do not use the option and are out of scope.

use super::{finding, own_files, sre};
use crate::buf::Finding;
use crate::codegen::generators::eventing::{self, EventSpec};
use prost_reflect::{DescriptorPool, Kind, MessageDescriptor, Value};

/// Package prefixes whose events must carry the eventing option.
pub const EVENT_PACKAGE_PREFIXES: &[&str] = &["aumos.", "ameide_core_proto."];

/// Whether `message` is an event message by the definition above.
pub fn is_event_message(message: &MessageDescriptor) -> bool {
    if message.is_map_entry()
        || message.full_name() == sre::META
        || !EVENT_PACKAGE_PREFIXES
            .iter()
            .any(|p| message.package_name().starts_with(p))
    {
        return false;
    }
    let has = |name: &str| message.get_field_by_name(name).is_some();
    let identified = (has("event_id") || has("message_id")) && has("tenant_id");
    let sre_envelope = message
        .get_field_by_name("meta")
        .is_some_and(|f| matches!(f.kind(), Kind::Message(m) if m.full_name() == sre::META));
    identified || sre_envelope
}

/// Runs both rules.
pub fn check(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    let extension = pool.get_extension_by_name(eventing::OPTION);
    let files: Vec<String> = own_files(pool).map(|f| f.name().to_string()).collect();
    for message in pool.all_messages() {
        let file = message.parent_file();
        if !files.iter().any(|f| f == file.name()) {
            continue;
        }
        let annotated = extension
            .as_ref()
            .is_some_and(|ext| message.options().has_extension(ext));
        if annotated {
            let ext = extension
                .as_ref()
                .expect("annotated implies the extension exists");
            let spec = spec(&message, &message.options().get_extension(ext));
            for problem in eventing::validate(&message, &spec) {
                out.push(finding(
                    &file,
                    message.path(),
                    "EVENTING_OPTION_VALID",
                    format!("message {}: {problem}", message.full_name()),
                ));
            }
        } else if is_event_message(&message) {
            out.push(finding(
                &file,
                message.path(),
                "EVENT_ANNOTATED",
                format!(
                    "event message {} has no option ({}) (stream, subject, type, key paths)",
                    message.full_name(),
                    eventing::OPTION
                ),
            ));
        }
    }
}

/// The option's values, as codegen reads them.
fn spec(message: &MessageDescriptor, value: &Value) -> EventSpec {
    let option = match value {
        Value::Message(m) => Some(m),
        _ => None,
    };
    let string = |name: &str| match option.and_then(|o| o.get_field_by_name(name)).as_deref() {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let list = |name: &str| match option.and_then(|o| o.get_field_by_name(name)).as_deref() {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let file = message.parent_file();
    EventSpec {
        message: message.full_name().to_string(),
        file: file.name().to_string(),
        line_col: crate::protos::location(file.file_descriptor_proto(), message.path()),
        stable_type: string("type"),
        schema_subject: string("schema_subject"),
        stream_ref: string("stream_ref"),
        partition_key_fields: list("partition_key_fields"),
        idempotency_key_fields: list("idempotency_key_fields"),
    }
}
