//! `common_eventing::encode::Encode` impls: for every message, its size (each
//! nested message measured once) and its bytes written backwards, with prost's field
//! order (ascending number) and presence rules, so `encode::to_vec` writes exactly
//! what prost's `encode_to_vec` writes.

use crate::ident::{self, path_from};
use crate::workspace::{CRATES, CrateSpec, WKT_FILES};
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind, MessageDescriptor, OneofDescriptor};
use std::fmt::Write as _;

/// Messages written by hand (`Struct`, `Value`, `ListValue`): their impls are too.
fn hand_written(message: &MessageDescriptor) -> bool {
    let name = format!(".{}", message.full_name());
    CRATES
        .iter()
        .any(|c| c.hand_written.iter().any(|(proto, _)| *proto == name))
}

/// The bytes of the key of field `number` with `wire_type`, as a Rust array literal,
/// and their count.
fn key(number: u32, wire_type: u32) -> (String, usize) {
    let mut v = u64::from(number << 3 | wire_type);
    let mut bytes = Vec::new();
    while v >= 0x80 {
        bytes.push((v as u8) | 0x80);
        v >>= 7;
    }
    bytes.push(v as u8);
    let items: Vec<String> = bytes.iter().map(|b| format!("0x{b:02x}")).collect();
    (format!("&[{}]", items.join(", ")), bytes.len())
}

fn wire_type(kind: &Kind) -> u32 {
    match kind {
        Kind::Double | Kind::Fixed64 | Kind::Sfixed64 => 1,
        Kind::Float | Kind::Fixed32 | Kind::Sfixed32 => 5,
        Kind::String | Kind::Bytes | Kind::Message(_) => 2,
        _ => 0,
    }
}

/// The varint of a value `v` (a place of the field's Rust type, not a reference).
fn varint_of(kind: &Kind, v: &str) -> String {
    match kind {
        Kind::Int32 | Kind::Enum(_) => format!("({v}) as i64 as u64"),
        Kind::Int64 => format!("({v}) as u64"),
        Kind::Uint32 => format!("u64::from({v})"),
        Kind::Uint64 => v.to_string(),
        Kind::Sint32 => format!("rt::zigzag32({v})"),
        Kind::Sint64 => format!("rt::zigzag64({v})"),
        Kind::Bool => format!("u64::from({v})"),
        _ => unreachable!("not a varint kind"),
    }
}

fn fixed_width(kind: &Kind) -> Option<usize> {
    match kind {
        Kind::Double | Kind::Fixed64 | Kind::Sfixed64 => Some(8),
        Kind::Float | Kind::Fixed32 | Kind::Sfixed32 => Some(4),
        _ => None,
    }
}

/// Size and backward write of one value `v` (a reference) under `number`.
fn single(kind: &Kind, number: u32, v: &str) -> (String, String) {
    let (k, klen) = key(number, wire_type(kind));
    match kind {
        Kind::String => (
            format!("rt::delimited({klen}, {v}.len())"),
            format!("pos = rt::delimited_bytes(out, pos, {k}, {v}.as_bytes());"),
        ),
        Kind::Bytes => (
            format!("rt::delimited({klen}, {v}.len())"),
            format!("pos = rt::delimited_bytes(out, pos, {k}, &{v}[..]);"),
        ),
        Kind::Message(_) => (
            format!("rt::delimited({klen}, ::common_eventing::encode::Encode::size({v}))"),
            format!("pos = rt::message(out, pos, {k}, {v});"),
        ),
        _ => match fixed_width(kind) {
            Some(width) => (
                format!("{}", klen + width),
                format!("pos = rt::key_fixed(out, pos, {k}, &(*{v}).to_le_bytes());"),
            ),
            None => {
                let varint = varint_of(kind, &format!("*{v}"));
                (
                    format!("{klen} + rt::varint_len({varint})"),
                    format!("pos = rt::key_varint(out, pos, {k}, {varint});"),
                )
            }
        },
    }
}

/// The condition under which prost writes an implicit-presence value `v` (a
/// reference): not the type's default.
fn not_default(kind: &Kind, v: &str) -> String {
    match kind {
        Kind::String | Kind::Bytes => format!("!{v}.is_empty()"),
        Kind::Bool => format!("*{v}"),
        Kind::Double | Kind::Float => format!("*{v} != 0.0"),
        Kind::Message(_) => format!("*{v} != ::core::default::Default::default()"),
        _ => format!("*{v} != 0"),
    }
}

/// One item of a message in prost's order: a field or a oneof.
enum Item {
    Field(FieldDescriptor),
    Oneof(OneofDescriptor),
}

fn field_code(field: &FieldDescriptor, size: &mut String, write: &mut String) {
    let name = ident::field(field);
    let kind = field.kind();
    if field.is_map() {
        let Kind::Message(entry) = &kind else {
            unreachable!("a map field's kind is its entry")
        };
        let (kf, vf) = (entry.map_entry_key_field(), entry.map_entry_value_field());
        let (kk, vk) = (kf.kind(), vf.kind());
        let (ks, kw) = single(&kk, 1, "k");
        let (vs, vw) = single(&vk, 2, "v");
        let (k_cond, v_cond) = (not_default(&kk, "k"), not_default(&vk, "v"));
        let (mk, mklen) = key(field.number(), 2);
        let _ = writeln!(
            size,
            "        for (k, v) in &self.{name} {{\n\
             \x20           let body = if {k_cond} {{ {ks} }} else {{ 0 }} + if {v_cond} {{ {vs} }} else {{ 0 }};\n\
             \x20           n += rt::delimited({mklen}, body);\n\
             \x20       }}"
        );
        let _ = writeln!(
            write,
            "        for (k, v) in self.{name}.iter().rev() {{\n\
             \x20           let end = pos;\n\
             \x20           if {v_cond} {{ {vw} }}\n\
             \x20           if {k_cond} {{ {kw} }}\n\
             \x20           pos = rt::header(out, pos, {mk}, end);\n\
             \x20       }}"
        );
    } else if field.is_list() {
        if field.is_packed() {
            let (k, klen) = key(field.number(), 2);
            let (elem_size, elem_write) = match fixed_width(&kind) {
                Some(width) => (
                    format!("self.{name}.len() * {width}"),
                    "pos = rt::bytes(out, pos, &x.to_le_bytes());".to_string(),
                ),
                None => {
                    let varint = varint_of(&kind, "*x");
                    (
                        format!(
                            "self.{name}.iter().map(|x| rt::varint_len({varint})).sum::<usize>()"
                        ),
                        format!("pos = rt::varint(out, pos, {varint});"),
                    )
                }
            };
            let _ = writeln!(
                size,
                "        if !self.{name}.is_empty() {{ n += rt::delimited({klen}, {elem_size}); }}"
            );
            let _ = writeln!(
                write,
                "        if !self.{name}.is_empty() {{\n\
                 \x20           let end = pos;\n\
                 \x20           for x in self.{name}.iter().rev() {{ {elem_write} }}\n\
                 \x20           pos = rt::header(out, pos, {k}, end);\n\
                 \x20       }}"
            );
        } else {
            let (s, w) = single(&kind, field.number(), "x");
            let _ = writeln!(size, "        for x in &self.{name} {{ n += {s}; }}");
            let _ = writeln!(write, "        for x in self.{name}.iter().rev() {{ {w} }}");
        }
    } else if field.supports_presence() {
        // A message field or a proto3 `optional` scalar: `Option<T>`.
        let (s, w) = single(&kind, field.number(), "x");
        let _ = writeln!(
            size,
            "        if let Some(x) = &self.{name} {{ n += {s}; }}"
        );
        let _ = writeln!(write, "        if let Some(x) = &self.{name} {{ {w} }}");
    } else {
        let (s, w) = single(&kind, field.number(), "x");
        let cond = not_default(&kind, "x");
        let _ = writeln!(
            size,
            "        {{ let x = &self.{name}; if {cond} {{ n += {s}; }} }}"
        );
        let _ = writeln!(
            write,
            "        {{ let x = &self.{name}; if {cond} {{ {w} }} }}"
        );
    }
}

fn oneof_code(
    krate: &CrateSpec,
    package: &str,
    oneof: &OneofDescriptor,
    size: &mut String,
    write: &mut String,
) {
    let name = ident::oneof_field(oneof);
    let ty = oneof_path(krate, package, oneof);
    let mut size_arms = String::new();
    let mut write_arms = String::new();
    for field in oneof.fields() {
        let variant = ident::oneof_variant(&field);
        let (s, w) = single(&field.kind(), field.number(), "x");
        let _ = writeln!(size_arms, "                {ty}::{variant}(x) => {s},");
        let _ = writeln!(
            write_arms,
            "                {ty}::{variant}(x) => {{ {w} }}"
        );
    }
    let _ = writeln!(
        size,
        "        if let Some(o) = &self.{name} {{\n\
         \x20           n += match o {{\n{size_arms}            }};\n\
         \x20       }}"
    );
    let _ = writeln!(
        write,
        "        if let Some(o) = &self.{name} {{\n\
         \x20           match o {{\n{write_arms}            }}\n\
         \x20       }}"
    );
}

fn oneof_path(_krate: &CrateSpec, _package: &str, oneof: &OneofDescriptor) -> String {
    // The oneof enum lives in the message's own package module.
    ident::oneof_type_path(oneof)
}

/// The `Encode` impl of every message of `package` (map entries excluded: prost
/// generates no type for them).
pub fn generate(pool: &DescriptorPool, krate: &CrateSpec, package: &str) -> String {
    let mut out = String::new();
    for message in pool
        .all_messages()
        .filter(|m| m.package_name() == package && !m.is_map_entry() && !hand_written(m))
        // descriptor.proto is compiled (custom options import it) but not generated.
        .filter(|m| package != "google.protobuf" || WKT_FILES.contains(&m.parent_file().name()))
    {
        // Every message type a field refers to must have an impl: generated ones do.
        if message.fields().any(|f| match f.kind() {
            Kind::Message(m) => !m.is_map_entry() && path_from(krate, package, &m).is_none(),
            _ => false,
        }) {
            continue;
        }
        let mut items: Vec<(u32, Item)> = Vec::new();
        for field in message.fields() {
            match field.containing_oneof() {
                Some(o) if !field.field_descriptor_proto().proto3_optional() => {
                    let min = o.fields().map(|f| f.number()).min().unwrap_or(0);
                    if field.number() == min {
                        items.push((min, Item::Oneof(o)));
                    }
                }
                _ => items.push((field.number(), Item::Field(field))),
            }
        }
        items.sort_by_key(|(n, _)| *n);
        let mut size = String::new();
        let mut write_forward = Vec::new();
        for (_, item) in &items {
            let mut w = String::new();
            match item {
                Item::Field(f) => field_code(f, &mut size, &mut w),
                Item::Oneof(o) => oneof_code(krate, package, o, &mut size, &mut w),
            }
            write_forward.push(w);
        }
        let write: String = write_forward.into_iter().rev().collect();
        let flat = !message.fields().any(|f| match f.kind() {
            Kind::Message(m) if m.is_map_entry() => {
                matches!(m.map_entry_value_field().kind(), Kind::Message(_))
            }
            Kind::Message(_) => true,
            _ => false,
        });
        let flat = if flat {
            "    const FLAT: bool = true;\n"
        } else {
            ""
        };
        let unused = if items.is_empty() { "_" } else { "" };
        let _ = write!(
            out,
            "\n/// Backward encoder of `{full}` for `common_eventing::encode::to_vec`.\n\
             impl ::common_eventing::encode::Encode for {ty} {{\n\
             {flat}\
             \x20   #[allow(unused_mut, unused_imports)]\n\
             \x20   fn size(&self) -> usize {{\n\
             \x20       use ::common_eventing::encode::rt;\n\
             \x20       let mut n = 0;\n\
             {size}\
             \x20       n\n\
             \x20   }}\n\
             \x20   #[allow(unused_mut, unused_imports)]\n\
             \x20   fn write_back(&self, {unused}out: &mut [u8], mut pos: usize) -> usize {{\n\
             \x20       use ::common_eventing::encode::rt;\n\
             {write}\
             \x20       pos\n\
             \x20   }}\n\
             }}\n",
            full = message.full_name(),
            ty = ident::message_path(&message),
        );
    }
    out
}
