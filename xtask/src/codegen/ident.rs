//! The one naming resolver: Rust names of proto elements, exactly as prost-build
//! writes them (prost-build's `ident.rs`: heck case conversion, then keywords raw
//! (`r#type`), `crate`/`self`/`super`/`Self`/`extern`/`_` suffixed (`crate_`), a
//! leading digit prefixed (`_1st`)). Every generator names Rust items through it; the
//! golden test `tests/ident_expected.rs` compares it with prost-build's own output.

use crate::workspace::{CRATES, CrateSpec};
use heck::{ToSnakeCase, ToUpperCamelCase};
use prost_reflect::{
    EnumDescriptor, EnumValueDescriptor, FieldDescriptor, MessageDescriptor, OneofDescriptor,
};

/// prost-build's `sanitize_identifier`.
pub fn sanitize(ident: &str) -> String {
    match ident {
        "as" | "break" | "const" | "continue" | "else" | "enum" | "false" | "fn" | "for" | "if"
        | "impl" | "in" | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref"
        | "return" | "static" | "struct" | "trait" | "true" | "type" | "unsafe" | "use"
        | "where" | "while" | "dyn" | "abstract" | "become" | "box" | "do" | "final" | "macro"
        | "override" | "priv" | "typeof" | "unsized" | "virtual" | "yield" | "async" | "await"
        | "try" | "gen" => format!("r#{ident}"),
        "_" | "super" | "self" | "Self" | "extern" | "crate" => format!("{ident}_"),
        s if s.starts_with(|c: char| c.is_numeric()) => format!("_{ident}"),
        _ => ident.to_string(),
    }
}

/// A field, module or function name: `lower_snake`, sanitized.
pub fn snake(name: &str) -> String {
    sanitize(&name.to_snake_case())
}

/// A type or variant name: `UpperCamel`, sanitized.
pub fn upper_camel(name: &str) -> String {
    sanitize(&name.to_upper_camel_case())
}

/// `name` without a raw-identifier prefix, for building other names from it
/// (`decode_type`, not `decode_r#type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The Rust field of a proto field (`r#type`, `crate_`).
pub fn field(field: &FieldDescriptor) -> String {
    snake(field.name())
}

/// The Rust field holding a oneof (`Option<my_message::Choice>`).
pub fn oneof_field(oneof: &OneofDescriptor) -> String {
    snake(oneof.name())
}

/// The variant of a oneof case (`Choice::SelfCase` for field `self_case`).
pub fn oneof_variant(field: &FieldDescriptor) -> String {
    upper_camel(field.name())
}

/// The variant of an enum value, with the enum's name stripped from its front as
/// prost does (`SELF_KIND_CRATE` of `self_kind` → `Crate`).
pub fn enum_variant(value: &EnumValueDescriptor) -> String {
    let prefix = bare(&upper_camel(value.parent_enum().name())).to_string();
    let name = bare(&upper_camel(value.name())).to_string();
    let stripped = name.strip_prefix(prefix.as_str()).unwrap_or(&name);
    // Only a real prefix: `Foo` is not stripped from `Foobar`.
    let stripped = if stripped.starts_with(char::is_uppercase) {
        stripped
    } else {
        &name
    };
    sanitize(stripped)
}

/// Path of a message relative to its package module: `Outer.Inner` → `outer::Inner`.
pub fn message_path(message: &MessageDescriptor) -> String {
    relative_path(message.package_name(), message.full_name())
}

/// The name of the zero-copy view of a message or oneof enum at `path` (relative to
/// the package module): every segment in `UpperCamel`, joined, then `View`
/// (`Event` → `EventView`, `event::Content` → `EventContentView`). Views stand at the
/// package module's top level, since prost owns the nested modules.
pub fn view_name(path: &str) -> String {
    let mut name: String = path.split("::").map(|s| upper_camel(bare(s))).collect();
    name.push_str("View");
    name
}

/// Path of an enum relative to its package module.
pub fn enum_path(descriptor: &EnumDescriptor) -> String {
    relative_path(descriptor.package_name(), descriptor.full_name())
}

/// Path of the enum prost generates for a oneof, relative to the package module
/// (`my_message::Choice`).
pub fn oneof_type_path(oneof: &OneofDescriptor) -> String {
    let parent = oneof.parent_message();
    let mut path = parent_modules(parent.package_name(), parent.full_name());
    path.push(snake(parent.name()));
    path.push(upper_camel(oneof.name()));
    path.join("::")
}

fn parent_modules(package: &str, full_name: &str) -> Vec<String> {
    let relative = full_name
        .strip_prefix(package)
        .unwrap_or(full_name)
        .trim_start_matches('.');
    let parts: Vec<&str> = relative.split('.').collect();
    parts[..parts.len() - 1].iter().map(|p| snake(p)).collect()
}

fn relative_path(package: &str, full_name: &str) -> String {
    let mut path = parent_modules(package, full_name);
    let name = full_name.rsplit('.').next().unwrap_or(full_name);
    path.push(upper_camel(name));
    path.join("::")
}

/// The module path of a proto package relative to its crate root: the package's
/// `rust` path in [`CRATES`] without the crate (`aios.tools` → `tools`).
pub fn package_module(rust: &str) -> Vec<&str> {
    rust.trim_start_matches("::").split("::").skip(1).collect()
}

/// The package part of a full proto name (`a.b.Msg` → `a.b`); for nested names use
/// the descriptor's `package_name` instead.
pub fn package_of(full_name: &str) -> &str {
    full_name.rsplit_once('.').map_or("", |(p, _)| p)
}

/// Rust path of a message as seen from the generated module of `package` in `krate`:
/// relative within the package, `crate::...` within the crate, absolute otherwise.
/// `None` when no crate generates the message's package.
pub fn path_from(krate: &CrateSpec, package: &str, message: &MessageDescriptor) -> Option<String> {
    type_path_from(krate, package, message.full_name(), message.package_name())
}

/// [`path_from`] for any type (message or enum), by its full name and package.
pub fn type_path_from(
    krate: &CrateSpec,
    package: &str,
    full_name: &str,
    type_package: &str,
) -> Option<String> {
    let relative = relative_path(type_package, full_name);
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
        format!("crate::{}", package_module(spec.rust).join("::"))
    } else {
        spec.rust.to_string()
    };
    Some(format!("{base}::{relative}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prost_names() {
        assert_eq!(upper_camel("SLOCreated"), "SloCreated");
        assert_eq!(upper_camel("MCPCall"), "McpCall");
        assert_eq!(upper_camel("SLIWindowRecorded"), "SliWindowRecorded");
        assert_eq!(snake("SreDomainFact"), "sre_domain_fact");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("async"), "r#async");
        assert_eq!(snake("_1st"), "_1st");
        assert_eq!(upper_camel("self"), "Self_");
        assert_eq!(upper_camel("_2factor"), "_2factor");
        assert_eq!(bare("r#type"), "type");
        assert_eq!(package_of("a.b.Msg"), "a.b");
        assert_eq!(
            package_module("::chaukas_spec_client::common::v1"),
            ["common", "v1"]
        );
    }
}
