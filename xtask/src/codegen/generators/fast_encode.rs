//! `common_eventing::encode::Encode` impls: for every message, its size (each
//! nested message measured once) and its bytes written backwards, with prost's field
//! order (ascending number) and presence rules, so `encode::to_vec` writes exactly
//! what prost's `encode_to_vec` writes, except in map entries: those are written as
//! upb writes them (key and value always, upb's deterministic key order), the bytes
//! of Python's `SerializeToString(deterministic=True)`.

use crate::codegen::model::{Field, Member, Message, Oneof, PackageModel, Storage, presence};
use crate::codegen::registry::Input;
use anyhow::Result;
use prost_reflect::Kind;
use std::fmt::Write as _;

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

fn field_code(field: &Field, size: &mut String, write: &mut String) {
    let name = &field.ident;
    let kind = &field.kind;
    let number = field.number;
    match &field.storage {
        Storage::Map { key: kk, value: vk } => {
            // Every entry has its key and its value, even a default one, and entries
            // go out in upb's deterministic order (`rt::map_rev`): the bytes Python's
            // `SerializeToString(deterministic=True)` writes (prost leaves default
            // keys and values out).
            let (ks, kw) = single(kk, 1, "k");
            let (vs, vw) = single(vk, 2, "v");
            let (mk, mklen) = key(number, 2);
            // A fixed-width key or value has a constant size.
            let k = if fixed_width(kk).is_some() { "_" } else { "k" };
            let v = if fixed_width(vk).is_some() { "_" } else { "v" };
            let _ = writeln!(
                size,
                "        for ({k}, {v}) in &self.{name} {{\n\
             \x20           n += rt::delimited({mklen}, {ks} + {vs});\n\
             \x20       }}"
            );
            let _ = writeln!(
                write,
                "        for (k, v) in rt::map_rev(&self.{name}) {{\n\
             \x20           let end = pos;\n\
             \x20           {vw}\n\
             \x20           {kw}\n\
             \x20           pos = rt::header(out, pos, {mk}, end);\n\
             \x20       }}"
            );
        }
        Storage::Repeated { packed: true } => {
            let (k, klen) = key(number, 2);
            let (elem_size, elem_write) = match fixed_width(kind) {
                Some(width) => (
                    format!("self.{name}.len() * {width}"),
                    "pos = rt::bytes(out, pos, &x.to_le_bytes());".to_string(),
                ),
                None => {
                    let varint = varint_of(kind, "*x");
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
        }
        Storage::Repeated { packed: false } => {
            let (s, w) = single(kind, number, "x");
            if fixed_width(kind).is_some() {
                let _ = writeln!(size, "        n += self.{name}.len() * ({s});");
            } else {
                let _ = writeln!(size, "        for x in &self.{name} {{ n += {s}; }}");
            }
            let _ = writeln!(write, "        for x in self.{name}.iter().rev() {{ {w} }}");
        }
        Storage::Message { .. } | Storage::Optional => {
            let (s, w) = single(kind, number, "x");
            let _ = writeln!(
                size,
                "        if let ::core::option::Option::Some(x) = &self.{name} {{ n += {s}; }}"
            );
            let _ = writeln!(
                write,
                "        if let ::core::option::Option::Some(x) = &self.{name} {{ {w} }}"
            );
        }
        Storage::Implicit => {
            let (s, w) = single(kind, number, "x");
            let cond = presence(kind, "(*x)", true, false);
            let _ = writeln!(
                size,
                "        {{ let x = &self.{name}; if {cond} {{ n += {s}; }} }}"
            );
            let _ = writeln!(
                write,
                "        {{ let x = &self.{name}; if {cond} {{ {w} }} }}"
            );
        }
        Storage::Case { .. } => unreachable!("oneof cases are written by `oneof_code`"),
    }
}

fn oneof_code(message: &Message, oneof: &Oneof, size: &mut String, write: &mut String) {
    let (name, ty) = (&oneof.ident, &oneof.ty);
    let mut size_arms = String::new();
    let mut write_arms = String::new();
    for field in message.cases(oneof) {
        let Storage::Case { variant, .. } = &field.storage else {
            unreachable!("a case")
        };
        let (s, w) = single(&field.kind, field.number, "x");
        let x = if fixed_width(&field.kind).is_some() {
            "_"
        } else {
            "x"
        };
        let _ = writeln!(size_arms, "                {ty}::{variant}({x}) => {s},");
        let _ = writeln!(
            write_arms,
            "                {ty}::{variant}(x) => {{ {w} }}"
        );
    }
    let _ = writeln!(
        size,
        "        if let ::core::option::Option::Some(o) = &self.{name} {{\n\
         \x20           n += match o {{\n{size_arms}            }};\n\
         \x20       }}"
    );
    let _ = writeln!(
        write,
        "        if let ::core::option::Option::Some(o) = &self.{name} {{\n\
         \x20           match o {{\n{write_arms}            }}\n\
         \x20       }}"
    );
}

/// The `Encode` impl of every message of `package` (map entries excluded: prost
/// generates no type for them).
pub fn generate(_: &Input, model: &PackageModel) -> Result<String> {
    let mut out = String::new();
    for message in &model.messages {
        // Every message type a field refers to must have an impl: generated ones do.
        if message.fields.iter().any(|f| match (&f.storage, &f.kind) {
            (Storage::Map { .. }, _) => false,
            (_, Kind::Message(m)) => model.path_of(m).is_none(),
            _ => false,
        }) {
            continue;
        }
        let items = message.wire_order();
        let mut size = String::new();
        let mut write_forward = Vec::new();
        for item in &items {
            let mut w = String::new();
            match item {
                Member::Field(f) => field_code(f, &mut size, &mut w),
                Member::Oneof(o) => oneof_code(message, o, &mut size, &mut w),
            }
            write_forward.push(w);
        }
        let write: String = write_forward.into_iter().rev().collect();
        // A map is never flat: prost's encoder leaves default keys and values out.
        let flat = !message
            .fields
            .iter()
            .any(|f| f.message_type().is_some() || matches!(f.storage, Storage::Map { .. }));
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
             \x20       use ::common_eventing::__codegen::encode as rt;\n\
             \x20       let mut n = 0;\n\
             {size}\
             \x20       n\n\
             \x20   }}\n\
             \x20   #[allow(unused_mut, unused_imports)]\n\
             \x20   fn write_back(&self, {unused}out: &mut [u8], mut pos: usize) -> usize {{\n\
             \x20       use ::common_eventing::__codegen::encode as rt;\n\
             {write}\
             \x20       pos\n\
             \x20   }}\n\
             }}\n",
            full = message.full_name(),
            ty = message.path,
        );
    }
    Ok(out)
}
