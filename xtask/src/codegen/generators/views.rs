//! Zero-copy views (`common_eventing::view`): for every message `M`, a struct
//! `MView<'a>` whose strings and bytes borrow from the input, whose message fields
//! are views, and whose repeated fields and maps are `RepeatedView`s and `MapView`s
//! (read as iterated), with `impl HasView for M` and `impl MessageView for MView`.
//!
//! `merge_view` mirrors prost's derived `merge_field` field by field: the same
//! readers (prost's own for scalars), the same merge of a repeated message or
//! oneof case into the one there, the same recursion budget and the same
//! `Message.field` pushed onto an error's path. `to_message` builds the owned
//! message with prost's storage ([`Storage`]).

use crate::codegen::ident;
use crate::codegen::model::{Field, Message, Oneof, PackageModel, Storage};
use crate::codegen::registry::Input;
use anyhow::{Result, bail};
use prost_reflect::Kind;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const VIEW: &str = "::common_eventing::view";

/// The kind marker of one value (`kind::Str`, `kind::Message<path>`).
fn kind_marker(model: &PackageModel, kind: &Kind) -> Option<String> {
    let name = match kind {
        Kind::Double => "Double",
        Kind::Float => "Float",
        Kind::Int32 | Kind::Enum(_) => "Int32",
        Kind::Int64 => "Int64",
        Kind::Uint32 => "Uint32",
        Kind::Uint64 => "Uint64",
        Kind::Sint32 => "Sint32",
        Kind::Sint64 => "Sint64",
        Kind::Fixed32 => "Fixed32",
        Kind::Fixed64 => "Fixed64",
        Kind::Sfixed32 => "Sfixed32",
        Kind::Sfixed64 => "Sfixed64",
        Kind::Bool => "Bool",
        Kind::String => "Str",
        Kind::Bytes => "Bytes",
        Kind::Message(m) => return Some(format!("{VIEW}::kind::Message<{}>", model.path_of(m)?)),
    };
    Some(format!("{VIEW}::kind::{name}"))
}

/// The type of one value in a view.
fn value_type(model: &PackageModel, kind: &Kind) -> Option<String> {
    Some(match kind {
        Kind::Double => "f64".into(),
        Kind::Float => "f32".into(),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 | Kind::Enum(_) => "i32".into(),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => "i64".into(),
        Kind::Uint32 | Kind::Fixed32 => "u32".into(),
        Kind::Uint64 | Kind::Fixed64 => "u64".into(),
        Kind::Bool => "bool".into(),
        Kind::String => "&'a str".into(),
        Kind::Bytes => "&'a [u8]".into(),
        Kind::Message(m) => format!("<{} as {VIEW}::HasView>::View<'a>", model.path_of(m)?),
    })
}

/// Whether a value of `kind` borrows from the input.
fn borrows(kind: &Kind) -> bool {
    matches!(kind, Kind::String | Kind::Bytes | Kind::Message(_))
}

/// The owned value of a view value `v` (a place of the view's type).
fn owned(kind: &Kind, v: &str) -> String {
    match kind {
        Kind::String => format!("::prost::alloc::string::String::from({v})"),
        Kind::Bytes => format!("::prost::bytes::Bytes::copy_from_slice({v})"),
        Kind::Message(_) => format!("{VIEW}::MessageView::to_message(&{v})"),
        _ => v.to_string(),
    }
}

/// The view of every message of `package`.
pub fn generate(_: &Input, model: &PackageModel) -> Result<String> {
    check_names(model)?;
    let mut out = String::new();
    for message in &model.messages {
        // Every message type a field refers to must have a view: generated ones do.
        if message.fields.iter().any(|f| {
            f.message_type()
                .is_some_and(|m| model.path_of(&m).is_none())
        }) {
            continue;
        }
        for oneof in &message.oneofs {
            oneof_enum(model, message, oneof, &mut out);
        }
        view(model, message, &mut out);
    }
    Ok(out)
}

/// Fails when a view's name is already a type of the package (a message `EventView`
/// next to `Event`), naming both.
fn check_names(model: &PackageModel) -> Result<()> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for m in &model.messages {
        if !m.path.contains("::") {
            names.insert(m.path.clone(), m.full_name().to_string());
        }
    }
    for e in &model.enums {
        let path = ident::enum_path(e);
        if !path.contains("::") {
            names.insert(path, e.full_name().to_string());
        }
    }
    let mut views: Vec<(String, String)> = Vec::new();
    for m in &model.messages {
        views.push((ident::view_name(&m.path), m.full_name().to_string()));
        for o in &m.oneofs {
            views.push((
                ident::view_name(&o.ty),
                o.descriptor.full_name().to_string(),
            ));
        }
    }
    for (name, of) in views {
        if let Some(other) = names.insert(name.clone(), of.clone()) {
            bail!("the view of `{of}` would be named `{name}`, which is already `{other}`");
        }
    }
    Ok(())
}

/// A oneof's view enum.
fn oneof_enum(model: &PackageModel, message: &Message, oneof: &Oneof, out: &mut String) {
    let name = ident::view_name(&oneof.ty);
    let lifetime = message.cases(oneof).any(|f| borrows(&f.kind));
    let generics = if lifetime { "<'a>" } else { "" };
    let mut variants = String::new();
    for field in message.cases(oneof) {
        let Storage::Case { variant, boxed, .. } = &field.storage else {
            unreachable!("a case")
        };
        let ty = value_type(model, &field.kind).expect("checked by `generate`");
        let ty = if *boxed {
            format!("::std::boxed::Box<{ty}>")
        } else {
            ty
        };
        let _ = writeln!(
            variants,
            "    /// The `{}` case.\n    {variant}({ty}),",
            field.descriptor.name()
        );
    }
    let _ = write!(
        out,
        "\n/// Zero-copy view of [`{ty}`] (the oneof `{full}`).\n\
         #[derive(Clone, Debug, PartialEq)]\n\
         pub enum {name}{generics} {{\n{variants}}}\n",
        ty = oneof.ty,
        full = oneof.descriptor.full_name(),
    );
}

/// The type of a field in a view.
fn field_type(model: &PackageModel, message: &Message, field: &Field) -> String {
    let value = value_type(model, &field.kind).expect("checked by `generate`");
    match &field.storage {
        Storage::Implicit => value,
        Storage::Optional => format!("::core::option::Option<{value}>"),
        Storage::Message { boxed: false } => format!("::core::option::Option<{value}>"),
        Storage::Message { boxed: true } => {
            format!("::core::option::Option<::std::boxed::Box<{value}>>")
        }
        Storage::Repeated { .. } => format!(
            "{VIEW}::RepeatedView<'a, {}>",
            kind_marker(model, &field.kind).expect("checked by `generate`")
        ),
        Storage::Map { key, value } => format!(
            "{VIEW}::MapView<'a, {}, {}>",
            kind_marker(model, key).expect("a scalar key"),
            kind_marker(model, value).expect("checked by `generate`")
        ),
        Storage::Case { oneof, .. } => {
            let o = &message.oneofs[*oneof];
            let lifetime = message.cases(o).any(|f| borrows(&f.kind));
            format!(
                "::core::option::Option<{}{}>",
                ident::view_name(&o.ty),
                if lifetime { "<'a>" } else { "" }
            )
        }
    }
}

/// One message's view struct and its impls.
fn view(model: &PackageModel, message: &Message, out: &mut String) {
    let name = ident::view_name(&message.path);
    let path = &message.path;
    let struct_name = path.rsplit("::").next().unwrap_or(path);
    let mut fields = String::new();
    let mut to_message = String::new();
    let mut arms = String::new();
    let mut check_arms = String::new();
    for field in &message.fields {
        if let Storage::Case { .. } = field.storage {
            continue;
        }
        let ident = &field.ident;
        let _ = writeln!(
            fields,
            "    /// `{}` (field {}).\n    pub {ident}: {},",
            field.descriptor.name(),
            field.number,
            field_type(model, message, field)
        );
        let kind = &field.kind;
        let marker = || kind_marker(model, kind).expect("checked by `generate`");
        let (value, merge) = match &field.storage {
            Storage::Implicit => (
                owned(kind, &format!("self.{ident}")),
                format!(
                    "rt::merge::<{}>(&mut self.{ident}, wire_type, &mut buf, depth)",
                    marker()
                ),
            ),
            Storage::Optional => (
                format!("self.{ident}.as_ref().map(|v| {})", owned(kind, "*v")),
                format!(
                    "rt::optional::<{}>(&mut self.{ident}, wire_type, &mut buf, depth)",
                    marker()
                ),
            ),
            Storage::Message { boxed } => {
                let ty = model
                    .path_of(&field.message_type().expect("a message"))
                    .expect("checked by `generate`");
                if *boxed {
                    (
                        format!(
                            "self.{ident}.as_ref().map(|v| ::std::boxed::Box::new({VIEW}::MessageView::to_message(&**v)))"
                        ),
                        format!("rt::boxed::<{ty}>(&mut self.{ident}, wire_type, &mut buf, depth)"),
                    )
                } else {
                    (
                        format!("self.{ident}.as_ref().map({VIEW}::MessageView::to_message)"),
                        format!(
                            "rt::singular::<{ty}>(&mut self.{ident}, wire_type, &mut buf, depth)"
                        ),
                    )
                }
            }
            Storage::Repeated { .. } => (
                format!("self.{ident}.to_vec()"),
                format!(
                    "self.{ident}.merge(body, {}, wire_type, &mut buf, depth)",
                    field.number
                ),
            ),
            Storage::Map { .. } => (
                format!("self.{ident}.to_map()"),
                format!(
                    "self.{ident}.merge(body, {}, wire_type, &mut buf, depth)",
                    field.number
                ),
            ),
            Storage::Case { .. } => unreachable!("skipped above"),
        };
        let _ = writeln!(to_message, "            {ident}: {value},");
        let _ = writeln!(
            arms,
            "                {} => {merge}.map_err(|e| rt::push(e, {struct_name:?}, {ident:?}))?,",
            field.number
        );
        let check = match &field.storage {
            Storage::Repeated { .. } => format!(
                "{VIEW}::RepeatedView::<{}>::check(wire_type, &mut buf, depth).map(|_| ())",
                marker()
            ),
            Storage::Map { key, value } => format!(
                "{VIEW}::MapView::<{}, {}>::check(wire_type, &mut buf, depth)",
                kind_marker(model, key).expect("a scalar key"),
                kind_marker(model, value).expect("checked by `generate`")
            ),
            _ => format!("rt::check::<{}>(wire_type, &mut buf, depth)", marker()),
        };
        let _ = writeln!(
            check_arms,
            "                {} => {check}.map_err(|e| rt::push(e, {struct_name:?}, {ident:?}))?,",
            field.number
        );
    }
    for oneof in &message.oneofs {
        let ident = &oneof.ident;
        let view_enum = ident::view_name(&oneof.ty);
        let _ = writeln!(
            fields,
            "    /// The oneof `{}`.\n    pub {ident}: {},",
            oneof.descriptor.name(),
            field_type(model, message, &message.fields[oneof.cases[0]])
        );
        let mut conversions = String::new();
        for field in message.cases(oneof) {
            let Storage::Case { variant, boxed, .. } = &field.storage else {
                unreachable!("a case")
            };
            let marker = kind_marker(model, &field.kind).expect("checked by `generate`");
            let value = if *boxed {
                format!("::std::boxed::Box::new({})", owned(&field.kind, "**v"))
            } else if borrows(&field.kind) {
                owned(&field.kind, "*v")
            } else {
                "*v".to_string()
            };
            let _ = writeln!(
                conversions,
                "                {view_enum}::{variant}(v) => {ty}::{variant}({value}),",
                ty = oneof.ty
            );
            let _ = writeln!(
                check_arms,
                "                {number} => rt::check::<{marker}>(wire_type, &mut buf, depth).map_err(|e| rt::push(e, {struct_name:?}, {ident:?}))?,",
                number = field.number,
            );
            let (existing, fresh) = if *boxed {
                ("&mut **v", "::std::boxed::Box::new(v)")
            } else {
                ("v", "v")
            };
            let _ = writeln!(
                arms,
                "                {number} => {{\n\
                 \x20                   let r = match &mut self.{ident} {{\n\
                 \x20                       ::core::option::Option::Some({view_enum}::{variant}(v)) => rt::merge::<{marker}>({existing}, wire_type, &mut buf, depth),\n\
                 \x20                       _ => {{\n\
                 \x20                           let mut v = ::core::default::Default::default();\n\
                 \x20                           let r = rt::merge::<{marker}>(&mut v, wire_type, &mut buf, depth);\n\
                 \x20                           if r.is_ok() {{ self.{ident} = ::core::option::Option::Some({view_enum}::{variant}({fresh})); }}\n\
                 \x20                           r\n\
                 \x20                       }}\n\
                 \x20                   }};\n\
                 \x20                   r.map_err(|e| rt::push(e, {struct_name:?}, {ident:?}))?\n\
                 \x20               }}",
                number = field.number,
            );
        }
        let _ = writeln!(
            to_message,
            "            {ident}: self.{ident}.as_ref().map(|o| match o {{\n{conversions}            }}),"
        );
    }
    let _ = write!(
        out,
        "\n/// Zero-copy view of [`{path}`] (`{full}`): strings and bytes borrow from the\n\
         /// input, repeated fields and maps are read as iterated (see `common_eventing::view`).\n\
         #[derive(Clone, Debug, Default, PartialEq)]\n\
         pub struct {name}<'a> {{\n\
         {fields}\
         \x20   _input: ::core::marker::PhantomData<&'a [u8]>,\n\
         }}\n\
         \n\
         impl<'a> {VIEW}::MessageView<'a> for {name}<'a> {{\n\
         \x20   type Owned = {path};\n\
         \n\
         \x20   fn to_message(&self) -> {path} {{\n\
         \x20       {path} {{\n\
         {to_message}\
         \x20       }}\n\
         \x20   }}\n\
         \n\
         \x20   #[allow(unused_mut)]\n\
         \x20   fn merge_view(&mut self, body: &'a [u8], depth: u32) -> ::core::result::Result<(), ::prost::DecodeError> {{\n\
         \x20       use ::common_eventing::__codegen::view as rt;\n\
         \x20       let mut buf = body;\n\
         \x20       while !buf.is_empty() {{\n\
         \x20           let (tag, wire_type) = rt::key(&mut buf)?;\n\
         \x20           match tag {{\n\
         {arms}\
         \x20               _ => rt::skip(wire_type, tag, &mut buf, depth)?,\n\
         \x20           }}\n\
         \x20       }}\n\
         \x20       ::core::result::Result::Ok(())\n\
         \x20   }}\n\
         \n\
         \x20   #[allow(unused_mut)]\n\
         \x20   fn check_view(body: &'a [u8], depth: u32) -> ::core::result::Result<(), ::prost::DecodeError> {{\n\
         \x20       use ::common_eventing::__codegen::view as rt;\n\
         \x20       let mut buf = body;\n\
         \x20       while !buf.is_empty() {{\n\
         \x20           let (tag, wire_type) = rt::key(&mut buf)?;\n\
         \x20           match tag {{\n\
         {check_arms}\
         \x20               _ => rt::skip(wire_type, tag, &mut buf, depth)?,\n\
         \x20           }}\n\
         \x20       }}\n\
         \x20       ::core::result::Result::Ok(())\n\
         \x20   }}\n\
         }}\n\
         \n\
         impl {VIEW}::HasView for {path} {{\n\
         \x20   type View<'a> = {name}<'a>;\n\
         }}\n",
        full = message.full_name(),
    );
}
