//! `OneofCase` impls: every message type that is a case of a oneof can be wrapped
//! into it and read back out by type (`SreDomainFact::new(meta, subject, fact)`,
//! `envelope.fact_as::<IncidentCreated>()`), with no hand-written match.

use crate::codegen::model::{PackageModel, Storage};
use crate::codegen::registry::Input;
use anyhow::Result;
use prost_reflect::{Kind, OneofDescriptor};
use std::collections::BTreeSet;

/// Whether a oneof's case can be chosen by type: a real oneof whose cases are all
/// messages, each of a different type.
pub fn by_type(oneof: &OneofDescriptor) -> bool {
    let types: BTreeSet<Option<String>> = (oneof.fields())
        .map(|f| match f.kind() {
            Kind::Message(m) => Some(m.full_name().to_string()),
            _ => None,
        })
        .collect();
    !oneof.is_synthetic() && !types.contains(&None) && types.len() == oneof.fields().len()
}

/// The impls for every real oneof of `package` whose cases are distinct message types.
pub fn generate(_: &Input, model: &PackageModel) -> Result<String> {
    let mut out = String::new();
    for message in &model.messages {
        for oneof in message.oneofs.iter().filter(|o| by_type(&o.descriptor)) {
            let oneof_type = &oneof.ty;
            let single = oneof.cases.len() == 1;
            for field in message.cases(oneof) {
                let (Some(ty), Storage::Case { variant, boxed, .. }) =
                    (field.message_type(), &field.storage)
                else {
                    unreachable!("a case of a oneof by type")
                };
                let Some(case_type) = model.path_of(&ty) else {
                    continue;
                };
                let other = if single {
                    ""
                } else {
                    "\n            _ => ::core::option::Option::None,"
                };
                let other_err = if single {
                    ""
                } else {
                    "\n            other => ::core::result::Result::Err(other),"
                };
                // A case prost boxes (its type reaches the message) is wrapped and
                // unwrapped here; the trait speaks of the message itself.
                let (wrap, by_ref, by_value) = if *boxed {
                    ("::std::boxed::Box::new(self)", "&**m", "*m")
                } else {
                    ("self", "m", "m")
                };
                out.push_str(&format!(
                    "\n/// `{full}` is the `{field}` case of `{owner_full}.{oneof}`.\n\
                     impl ::common_eventing::OneofCase<{oneof_type}> for {case_type} {{\n\
                     \x20   fn into_oneof(self) -> {oneof_type} {{\n\
                     \x20       {oneof_type}::{variant}({wrap})\n\
                     \x20   }}\n\
                     \x20   fn from_oneof(oneof: &{oneof_type}) -> ::core::option::Option<&Self> {{\n\
                     \x20       match oneof {{\n\
                     \x20           {oneof_type}::{variant}(m) => ::core::option::Option::Some({by_ref}),{other}\n\
                     \x20       }}\n\
                     \x20   }}\n\
                     \x20   fn try_from_oneof(oneof: {oneof_type}) -> ::core::result::Result<Self, {oneof_type}> {{\n\
                     \x20       match oneof {{\n\
                     \x20           {oneof_type}::{variant}(m) => ::core::result::Result::Ok({by_value}),{other_err}\n\
                     \x20       }}\n\
                     \x20   }}\n\
                     }}\n",
                    full = ty.full_name(),
                    field = field.descriptor.name(),
                    owner_full = message.full_name(),
                    oneof = oneof.descriptor.name(),
                ));
            }
        }
    }
    Ok(out)
}
