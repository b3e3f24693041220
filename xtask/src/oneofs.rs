//! `OneofCase` impls: every message type that is a case of a oneof can be wrapped
//! into it and read back out by type (`SreDomainFact::new(meta, subject, fact)`,
//! `envelope.fact_as::<IncidentCreated>()`), with no hand-written match.

use crate::ident::{self, path_from};
use crate::workspace::CrateSpec;
use prost_reflect::{DescriptorPool, Kind, MessageDescriptor, OneofDescriptor};
use std::collections::BTreeSet;

fn case_message(field: &prost_reflect::FieldDescriptor) -> Option<MessageDescriptor> {
    match field.kind() {
        Kind::Message(m) => Some(m),
        _ => None,
    }
}

/// Whether a oneof's case can be chosen by type: a real oneof whose cases are all
/// messages, each of a different type.
pub fn by_type(oneof: &OneofDescriptor) -> bool {
    if oneof.is_synthetic() {
        return false;
    }
    let types: Vec<Option<MessageDescriptor>> = oneof.fields().map(|f| case_message(&f)).collect();
    let distinct: BTreeSet<&str> = types.iter().flatten().map(|m| m.full_name()).collect();
    types.iter().all(Option::is_some) && distinct.len() == types.len()
}

/// The impls for every real oneof of `package` whose cases are distinct message types.
pub fn generate(pool: &DescriptorPool, krate: &CrateSpec, package: &str) -> String {
    let mut out = String::new();
    for message in pool.all_messages().filter(|m| m.package_name() == package) {
        for oneof in message.oneofs().filter(by_type) {
            let cases: Vec<_> = oneof.fields().collect();
            let types: Vec<MessageDescriptor> = cases.iter().filter_map(case_message).collect();
            let oneof_type = ident::oneof_type_path(&oneof);
            let single = cases.len() == 1;
            for (field, ty) in cases.iter().zip(types.iter()) {
                let Some(case_type) = path_from(krate, package, ty) else {
                    continue;
                };
                let variant = ident::oneof_variant(field);
                let other = if single {
                    ""
                } else {
                    "\n            _ => None,"
                };
                let other_err = if single {
                    ""
                } else {
                    "\n            other => Err(other),"
                };
                out.push_str(&format!(
                    "\n/// `{full}` is the `{field}` case of `{owner_full}.{oneof}`.\n\
                     impl ::common_eventing::OneofCase<{oneof_type}> for {case_type} {{\n\
                     \x20   fn into_oneof(self) -> {oneof_type} {{\n\
                     \x20       {oneof_type}::{variant}(self)\n\
                     \x20   }}\n\
                     \x20   fn from_oneof(oneof: &{oneof_type}) -> ::core::option::Option<&Self> {{\n\
                     \x20       match oneof {{\n\
                     \x20           {oneof_type}::{variant}(m) => Some(m),{other}\n\
                     \x20       }}\n\
                     \x20   }}\n\
                     \x20   fn try_from_oneof(oneof: {oneof_type}) -> ::core::result::Result<Self, {oneof_type}> {{\n\
                     \x20       match oneof {{\n\
                     \x20           {oneof_type}::{variant}(m) => Ok(m),{other_err}\n\
                     \x20       }}\n\
                     \x20   }}\n\
                     }}\n",
                    full = ty.full_name(),
                    field = field.name(),
                    owner_full = message.full_name(),
                    oneof = oneof.name(),
                ));
            }
        }
    }
    out
}
