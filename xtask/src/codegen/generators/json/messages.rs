//! JSON of a generated message: `Serialize` writes the fields that are set (proto3
//! presence: non-default scalars, non-empty lists and maps, set messages, oneofs and
//! `optional` fields), under their JSON names; `Deserialize` reads JSON or proto names,
//! `null` as "not set", refuses duplicates, a second oneof member and unknown keys
//! (unless `ignore_unknown_fields`), and names the field path in errors.

use super::Resolver;
use crate::codegen::ident;
use crate::codegen::model::{Message, Storage, presence};
use std::fmt::Write;

pub(super) fn generate(resolve: &Resolver<'_>, message: &Message) -> String {
    let ty = &message.path;
    let full = message.full_name();
    let fields = &message.fields;

    // ---- Serialize ----
    let mut ser = String::new();
    let mut oneofs_done = Vec::new();
    for field in fields {
        let (ident, json) = (&field.ident, &field.json_name);
        let kind = resolve.field_kind(field);
        match &field.storage {
            Storage::Implicit => writeln!(
                ser,
                "        if {} {{ m.serialize_entry(\"{json}\", &rt::W::<{kind}>(&self.{ident}))?; }}",
                presence(&field.kind, &format!("self.{ident}"), true, true)
            ),
            Storage::Optional | Storage::Message { .. } => writeln!(
                ser,
                "        if let ::core::option::Option::Some(v) = &self.{ident} {{ m.serialize_entry(\"{json}\", &rt::W::<{kind}>(v))?; }}"
            ),
            Storage::Repeated { .. } | Storage::Map { .. } => writeln!(
                ser,
                "        if !self.{ident}.is_empty() {{ m.serialize_entry(\"{json}\", &rt::W::<{kind}>(&self.{ident}))?; }}"
            ),
            Storage::Case { oneof, .. } => {
                // The whole oneof, where its first case comes.
                if oneofs_done.contains(oneof) {
                    continue;
                }
                oneofs_done.push(*oneof);
                let o = &message.oneofs[*oneof];
                let (field_ident, ty) = (&o.ident, &o.ty);
                let mut arms = String::new();
                for case in message.cases(o) {
                    let Storage::Case { variant, .. } = &case.storage else {
                        unreachable!("a case")
                    };
                    let _ = writeln!(
                        arms,
                        "                {ty}::{variant}(v) => m.serialize_entry(\"{}\", &rt::W::<{}>(v))?,",
                        case.json_name,
                        resolve.field_kind(case)
                    );
                }
                writeln!(
                    ser,
                    "        if let ::core::option::Option::Some(v) = &self.{field_ident} {{\n            match v {{\n{arms}            }}\n        }}"
                )
            }
        }
        .expect("writing to a String");
    }

    // ---- Deserialize ----
    let mut arms = String::new();
    for (index, field) in fields.iter().enumerate() {
        let (ident, json) = (&field.ident, &field.json_name);
        let proto = field.descriptor.name();
        let names = if proto == json {
            format!("\"{json}\"")
        } else {
            format!("\"{json}\" | \"{proto}\"")
        };
        let kind = resolve.field_kind(field);
        let assign = match &field.storage {
            Storage::Implicit | Storage::Repeated { .. } | Storage::Map { .. } => {
                format!("m.{ident} = v;")
            }
            Storage::Message { .. } => {
                format!("m.{ident} = ::core::option::Option::Some(::core::convert::Into::into(v));")
            }
            Storage::Optional => format!("m.{ident} = ::core::option::Option::Some(v);"),
            Storage::Case { oneof, variant, .. } => {
                let o = &message.oneofs[*oneof];
                let (oneof, ty) = (&o.ident, &o.ty);
                format!(
                    "rt::oneof::<A::Error>(m.{oneof}.is_some(), \"{}\")?; m.{oneof} = ::core::option::Option::Some({ty}::{variant}(::core::convert::Into::into(v)));",
                    o.descriptor.name()
                )
            }
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
        "impl ::serde::Serialize for {ty} {{
    #[allow(deprecated)]
    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {{
        use ::serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
{ser}        m.end()
    }}
}}
impl<'de> ::serde::Deserialize<'de> for {ty} {{
    #[allow(deprecated)]
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {{
        struct V;
        impl<'de> ::serde::de::Visitor<'de> for V {{
            type Value = {ty};
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
                rt::expecting(f, \"an object ({full})\")
            }}
            fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<{ty}, A::Error> {{
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

/// `Serialize` of the message's zero-copy view (`common_eventing::view`): the same
/// fields, presence rules, names and kinds as the owned message's, read from the view
/// (`rv::WV` writes a view's value of each kind).
pub(super) fn generate_view(resolve: &Resolver<'_>, message: &Message) -> String {
    let view = ident::view_name(&message.path);
    let mut ser = String::new();
    let mut oneofs_done = Vec::new();
    for field in &message.fields {
        let (ident, json) = (&field.ident, &field.json_name);
        let kind = resolve.field_kind(field);
        let entry = |value: &str| {
            format!("m.serialize_entry(\"{json}\", &rv::WV::<{kind}, _>::new({value}))?;")
        };
        match &field.storage {
            Storage::Implicit => writeln!(
                ser,
                "        if {} {{ {} }}",
                presence(&field.kind, &format!("self.{ident}"), true, true),
                entry(&format!("&self.{ident}"))
            ),
            Storage::Optional | Storage::Message { boxed: false } => writeln!(
                ser,
                "        if let ::core::option::Option::Some(v) = &self.{ident} {{ {} }}",
                entry("v")
            ),
            Storage::Message { boxed: true } => writeln!(
                ser,
                "        if let ::core::option::Option::Some(v) = &self.{ident} {{ {} }}",
                entry("&**v")
            ),
            Storage::Repeated { .. } | Storage::Map { .. } => writeln!(
                ser,
                "        if !self.{ident}.is_empty() {{ {} }}",
                entry(&format!("&self.{ident}"))
            ),
            Storage::Case { oneof, .. } => {
                if oneofs_done.contains(oneof) {
                    continue;
                }
                oneofs_done.push(*oneof);
                let o = &message.oneofs[*oneof];
                let view_enum = ident::view_name(&o.ty);
                let mut arms = String::new();
                for case in message.cases(o) {
                    let Storage::Case { variant, boxed, .. } = &case.storage else {
                        unreachable!("a case")
                    };
                    let value = if *boxed { "&**v" } else { "v" };
                    let _ = writeln!(
                        arms,
                        "                {view_enum}::{variant}(v) => m.serialize_entry(\"{}\", &rv::WV::<{}, _>::new({value}))?,",
                        case.json_name,
                        resolve.field_kind(case)
                    );
                }
                writeln!(
                    ser,
                    "        if let ::core::option::Option::Some(v) = &self.{} {{\n            match v {{\n{arms}            }}\n        }}",
                    o.ident
                )
            }
        }
        .expect("writing to a String");
    }
    format!(
        "impl ::serde::Serialize for {view}<'_> {{
    #[allow(deprecated)]
    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {{
        use ::serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
{ser}        m.end()
    }}
}}
"
    )
}
