//! `OneofCase` impls: every message type that is a case of a oneof can be wrapped
//! into it and read back out by type (`SreDomainFact::new(meta, subject, fact)`,
//! `envelope.fact_as::<IncidentCreated>()`), with no hand-written match.

use crate::eventing::{rust_type_path, rust_type_path_of};
use crate::workspace::{CRATES, CrateSpec};
use heck::ToUpperCamelCase;
use prost_reflect::{DescriptorPool, Kind, MessageDescriptor};
use std::collections::BTreeSet;

/// Rust path of a message as seen from the generated module of `package` in `krate`.
pub(crate) fn path_from(
    krate: &CrateSpec,
    package: &str,
    message: &MessageDescriptor,
) -> Option<String> {
    path_of(krate, package, message.full_name(), message.package_name())
}

/// [`path_from`] for any type (message or enum), by full name and package.
pub(crate) fn path_of(
    krate: &CrateSpec,
    package: &str,
    full_name: &str,
    type_package: &str,
) -> Option<String> {
    let relative = rust_type_path_of(full_name, type_package);
    if type_package == package {
        return Some(relative);
    }
    let (owner, spec) = CRATES.iter().find_map(|c| {
        c.packages
            .iter()
            .find(|p| p.proto == type_package)
            .map(|p| (c, p))
    })?;
    let base = if owner.name == krate.name {
        // Same crate, other package: `::crate_name::a::b` → `crate::a::b`.
        let (_, rest) = spec
            .rust
            .trim_start_matches("::")
            .split_once("::")
            .unwrap_or(("", ""));
        format!("crate::{rest}")
    } else {
        spec.rust.to_string()
    };
    Some(format!("{base}::{relative}"))
}

/// The impls for every real oneof of `package` whose cases are distinct message types.
pub fn generate(pool: &DescriptorPool, krate: &CrateSpec, package: &str) -> String {
    let mut out = String::new();
    for message in pool.all_messages().filter(|m| m.package_name() == package) {
        for oneof in message.oneofs().filter(|o| !o.is_synthetic()) {
            let cases: Vec<_> = oneof.fields().collect();
            let types: Vec<Option<MessageDescriptor>> = cases
                .iter()
                .map(|f| match f.kind() {
                    Kind::Message(m) => Some(m),
                    _ => None,
                })
                .collect();
            let distinct: BTreeSet<_> = types
                .iter()
                .flatten()
                .map(|m| m.full_name().to_string())
                .collect();
            if types.iter().any(Option::is_none) || distinct.len() != types.len() {
                continue; // scalar cases, or one type in two cases: by type is ambiguous
            }
            let owner = rust_type_path(&message);
            let module = match owner.rsplit_once("::") {
                Some((parents, name)) => {
                    format!("{parents}::{}", heck::ToSnakeCase::to_snake_case(name))
                }
                None => heck::ToSnakeCase::to_snake_case(owner.as_str()),
            };
            let oneof_type = format!("{module}::{}", oneof.name().to_upper_camel_case());
            let single = cases.len() == 1;
            for (field, ty) in cases.iter().zip(types.iter().flatten()) {
                let Some(case_type) = path_from(krate, package, ty) else {
                    continue;
                };
                let variant = field.name().to_upper_camel_case();
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
