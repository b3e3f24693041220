//! JSON of a generated message: `Serialize` writes the fields that are set (proto3
//! presence: non-default scalars, non-empty lists and maps, set messages, oneofs and
//! `optional` fields), under their JSON names; `Deserialize` reads JSON or proto names,
//! `null` as "not set", refuses duplicates, a second oneof member and unknown keys
//! (unless `ignore_unknown_fields`), and names the field path in errors.

use super::Resolver;
use crate::ident::{snake as to_snake, upper_camel as to_upper_camel};
use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor, OneofDescriptor};
use std::fmt::Write;

/// How prost stores a field.
enum Storage {
    /// A plain value, set when not the default (`check` is the "is set" test).
    Implicit { check: String },
    /// `Option<T>`: messages and proto3 `optional` fields (`boxed` for messages is
    /// handled by `Into`).
    Optional { message: bool },
    /// `Vec` or `BTreeMap`.
    Collection,
    /// A case of a real oneof: `oneof` field, enum type and variant.
    Case {
        oneof: String,
        ty: String,
        variant: String,
    },
}

fn real_oneof(field: &FieldDescriptor) -> Option<OneofDescriptor> {
    field.containing_oneof().filter(|o| !o.is_synthetic())
}

/// The Rust module prost puts a message's nested types in (`Outer.Inner` →
/// `outer::inner`), relative to the package module.
fn nested_module(resolve: &Resolver<'_>, message: &MessageDescriptor) -> String {
    let path = resolve.message(message);
    match path.rsplit_once("::") {
        Some((parents, _)) => format!("{parents}::{}", to_snake(message.name())),
        None => to_snake(message.name()),
    }
}

fn storage(
    resolve: &Resolver<'_>,
    message: &MessageDescriptor,
    field: &FieldDescriptor,
) -> Storage {
    let ident = to_snake(field.name());
    if let Some(oneof) = real_oneof(field) {
        return Storage::Case {
            oneof: to_snake(oneof.name()),
            ty: format!(
                "{}::{}",
                nested_module(resolve, message),
                to_upper_camel(oneof.name())
            ),
            variant: to_upper_camel(field.name()),
        };
    }
    if field.is_list() || field.is_map() {
        return Storage::Collection;
    }
    if let Kind::Message(_) = field.kind() {
        return Storage::Optional { message: true };
    }
    if field.supports_presence() {
        return Storage::Optional { message: false };
    }
    let check = match field.kind() {
        Kind::String | Kind::Bytes => format!("!self.{ident}.is_empty()"),
        Kind::Bool => format!("self.{ident}"),
        Kind::Double | Kind::Float => format!("self.{ident}.to_bits() != 0"),
        _ => format!("self.{ident} != 0"),
    };
    Storage::Implicit { check }
}

pub(super) fn generate(resolve: &Resolver<'_>, message: &MessageDescriptor) -> String {
    let ty = resolve.message(message);
    let full = message.full_name();
    let fields: Vec<FieldDescriptor> = message.fields().collect();

    // ---- Serialize ----
    let mut ser = String::new();
    let mut oneofs_done = Vec::new();
    for field in &fields {
        let ident = to_snake(field.name());
        let json = field.json_name();
        let kind = resolve.field_kind(field);
        match storage(resolve, message, field) {
            Storage::Implicit { check } => writeln!(
                ser,
                "        if {check} {{ m.serialize_entry(\"{json}\", &rt::W::<{kind}>(&self.{ident}))?; }}"
            ),
            Storage::Optional { .. } => writeln!(
                ser,
                "        if let ::core::option::Option::Some(v) = &self.{ident} {{ m.serialize_entry(\"{json}\", &rt::W::<{kind}>(v))?; }}"
            ),
            Storage::Collection => writeln!(
                ser,
                "        if !self.{ident}.is_empty() {{ m.serialize_entry(\"{json}\", &rt::W::<{kind}>(&self.{ident}))?; }}"
            ),
            Storage::Case { oneof, ty, .. } => {
                if oneofs_done.contains(&oneof) {
                    continue;
                }
                oneofs_done.push(oneof.clone());
                let o = real_oneof(field).expect("a case");
                let mut arms = String::new();
                for case in o.fields() {
                    let Storage::Case { variant, .. } = storage(resolve, message, &case) else {
                        unreachable!()
                    };
                    let _ = writeln!(
                        arms,
                        "                {ty}::{variant}(v) => m.serialize_entry(\"{}\", &rt::W::<{}>(v))?,",
                        case.json_name(),
                        resolve.field_kind(&case)
                    );
                }
                writeln!(
                    ser,
                    "        if let ::core::option::Option::Some(v) = &self.{oneof} {{\n            match v {{\n{arms}            }}\n        }}"
                )
            }
        }
        .expect("writing to a String");
    }

    // ---- Deserialize ----
    let mut arms = String::new();
    for (index, field) in fields.iter().enumerate() {
        let ident = to_snake(field.name());
        let json = field.json_name();
        let names = if field.name() == json {
            format!("\"{json}\"")
        } else {
            format!("\"{json}\" | \"{}\"", field.name())
        };
        let kind = resolve.field_kind(field);
        let assign = match storage(resolve, message, field) {
            Storage::Implicit { .. } | Storage::Collection => format!("m.{ident} = v;"),
            Storage::Optional { message: true } => {
                format!("m.{ident} = ::core::option::Option::Some(::core::convert::Into::into(v));")
            }
            Storage::Optional { message: false } => {
                format!("m.{ident} = ::core::option::Option::Some(v);")
            }
            Storage::Case { oneof, ty, variant } => format!(
                "rt::oneof::<A::Error>(m.{oneof}.is_some(), \"{}\")?; m.{oneof} = ::core::option::Option::Some({ty}::{variant}(::core::convert::Into::into(v)));",
                real_oneof(field).expect("a case").name()
            ),
        };
        let _ = writeln!(
            arms,
            "                    {names} => {{
                        seen.mark::<A::Error>({index}, \"{json}\")?;
                        let _field = rt::field(\"{json}\");
                        if let ::core::option::Option::Some(v) = rt::value::<A, {kind}>(&mut map)? {{ {assign} }}
                    }}"
        );
    }
    let words = fields.len().div_ceil(64).max(1);
    let mut_m = if fields.is_empty() { "" } else { "mut " };
    format!(
        "impl serde::Serialize for {ty} {{
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {{
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
{ser}        m.end()
    }}
}}
impl<'de> serde::Deserialize<'de> for {ty} {{
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {{
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {{
            type Value = {ty};
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
                rt::expecting(f, \"an object ({full})\")
            }}
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<{ty}, A::Error> {{
                let {mut_m}m = <{ty} as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<{words}>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {{
                    match key.as_str() {{
{arms}                    _ => rt::unknown(&mut map, &key, \"{full}\")?,
                }}
                }}
                ::core::result::Result::Ok(m)
            }}
        }}
        d.deserialize_map(V)
    }}
}}
"
    )
}
