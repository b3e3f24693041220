//! The per-package model every generator reads: built once per (crate, package) from
//! the descriptors, it says which messages have generated Rust, and for each field its
//! Rust identifier, JSON name, number, kind and how prost stores it ([`Storage`]).
//!
//! Prost's storage rules live here and only here (`tests/model_expected.rs` checks
//! them against prost-build's own output, as `tests/ident_expected.rs` checks the
//! names). A generator that needs to know whether a field is an `Option`, a `Box`, a
//! `Vec`, a map or a oneof case matches on [`Storage`]; it never asks the descriptor.

use crate::codegen::ident;
use crate::workspace::{CRATES, CrateSpec, WKT_FILES};
use anyhow::{Result, bail};
use prost_reflect::{
    Cardinality, DescriptorPool, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor,
    OneofDescriptor, ServiceDescriptor,
};
use std::collections::BTreeSet;

/// One proto package as the generators of one crate see it.
pub struct PackageModel {
    /// The proto package (`aumos.events.v1`).
    pub name: String,
    /// The crate the package is generated into (for paths to other packages).
    pub krate: &'static CrateSpec,
    /// Every message of the package that prost generates a struct for, nested ones
    /// included, in the pool's order: no map entries, no hand-written messages
    /// ([`CrateSpec::hand_written`]), and of `google.protobuf` only the well-known
    /// types ([`WKT_FILES`]).
    pub messages: Vec<Message>,
    /// Every enum of the package, nested ones included (of `google.protobuf`, the
    /// well-known types' only).
    pub enums: Vec<EnumDescriptor>,
    /// Every service of the package.
    pub services: Vec<ServiceDescriptor>,
}

/// A generated message.
pub struct Message {
    pub descriptor: MessageDescriptor,
    /// Its Rust path relative to the package module (`outer::Inner`).
    pub path: String,
    /// Its fields (oneof cases included), in the order of `MessageDescriptor::fields`.
    pub fields: Vec<Field>,
    /// Its real oneofs (not proto3 `optional`'s synthetic ones), in declaration order.
    pub oneofs: Vec<Oneof>,
}

/// A field of a generated message.
pub struct Field {
    pub descriptor: FieldDescriptor,
    /// The Rust field (`r#type`); for a oneof case, the variant is in [`Storage::Case`]
    /// and the field holding the oneof is [`Oneof::ident`].
    pub ident: String,
    /// The proto3 JSON name.
    pub json_name: String,
    /// The field number.
    pub number: u32,
    /// The kind of one value: a list's element; for a map, see [`Storage::Map`].
    pub kind: Kind,
    /// How prost stores it.
    pub storage: Storage,
}

/// How prost stores a field (with the workspace's settings: `bytes::Bytes` for bytes,
/// `BTreeMap` for maps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// `T`, written when not the type's default (proto3 implicit presence).
    Implicit,
    /// `Option<T>` of a scalar, string, bytes or enum: proto3 `optional`.
    Optional,
    /// `Option<T>` of a message, `Option<Box<T>>` when `boxed` (the field's type can
    /// reach its own message through singular message fields, so prost boxes it).
    Message { boxed: bool },
    /// `Vec<T>`; `packed` when written as one length-delimited run.
    Repeated { packed: bool },
    /// `BTreeMap<K, V>` of the entry's key and value kinds.
    Map { key: Kind, value: Kind },
    /// A case of the real oneof `oneof` (an index into [`Message::oneofs`]): the
    /// variant `variant` of its enum, holding `Box<T>` when `boxed`.
    Case {
        oneof: usize,
        variant: String,
        boxed: bool,
    },
}

/// A real oneof of a generated message.
pub struct Oneof {
    pub descriptor: OneofDescriptor,
    /// The Rust field holding `Option<Enum>`.
    pub ident: String,
    /// The Rust path of its enum relative to the package module (`my_message::Choice`).
    pub ty: String,
    /// Its cases, as indices into [`Message::fields`], in the oneof's order.
    pub cases: Vec<usize>,
}

/// Whether a message is written by hand in some crate (`Struct`, `Value`,
/// `ListValue`): no generated impl of any generator is written for it.
pub fn hand_written(message: &MessageDescriptor) -> bool {
    let name = format!(".{}", message.full_name());
    CRATES
        .iter()
        .any(|c| c.hand_written.iter().any(|(proto, _)| *proto == name))
}

impl PackageModel {
    /// The model of `package` as generated into `krate`. Fails on what the workspace's
    /// generators do not write: proto2 `required` fields (prost stores them without an
    /// `Option`) and groups (another wire type), naming the field.
    pub fn build(pool: &DescriptorPool, krate: &'static CrateSpec, package: &str) -> Result<Self> {
        let messages: Vec<Message> = pool
            .all_messages()
            .filter(|m| m.package_name() == package && !m.is_map_entry() && !hand_written(m))
            // descriptor.proto is compiled (custom options import it) but not generated.
            .filter(|m| package != "google.protobuf" || WKT_FILES.contains(&m.parent_file().name()))
            .map(Message::build)
            .collect();
        let unsupported = (messages.iter().flat_map(|m| &m.fields)).find(|f| {
            f.descriptor.is_group() || f.descriptor.cardinality() == Cardinality::Required
        });
        if let Some(field) = unsupported {
            bail!(
                "{}: proto2 `required` fields and groups are not supported by the generators",
                field.descriptor.full_name()
            );
        }
        Ok(PackageModel {
            name: package.to_string(),
            krate,
            messages,
            enums: pool
                .all_enums()
                .filter(|e| e.package_name() == package)
                .filter(|e| {
                    package != "google.protobuf" || WKT_FILES.contains(&e.parent_file().name())
                })
                .collect(),
            services: pool
                .services()
                .filter(|s| s.package_name() == package)
                .collect(),
        })
    }

    /// The Rust path of a message as seen from this package's module: relative in the
    /// package, `crate::...` in the crate, absolute otherwise; `None` when no crate
    /// generates its package.
    pub fn path_of(&self, message: &MessageDescriptor) -> Option<String> {
        ident::path_from(self.krate, &self.name, message)
    }

    /// [`Self::path_of`] for an enum.
    pub fn enum_path_of(&self, e: &EnumDescriptor) -> Option<String> {
        ident::type_path_from(self.krate, &self.name, e.full_name(), e.package_name())
    }
}

impl Message {
    fn build(descriptor: MessageDescriptor) -> Self {
        let mut oneofs: Vec<Oneof> = descriptor
            .oneofs()
            .filter(|o| !o.is_synthetic())
            .map(|o| Oneof {
                ident: ident::oneof_field(&o),
                ty: ident::oneof_type_path(&o),
                descriptor: o,
                cases: Vec::new(),
            })
            .collect();
        let fields: Vec<Field> = descriptor
            .fields()
            .map(|f| {
                let storage = Storage::of(&f);
                Field {
                    ident: ident::field(&f),
                    json_name: f.json_name().to_string(),
                    number: f.number(),
                    kind: f.kind(),
                    storage,
                    descriptor: f,
                }
            })
            .collect();
        for oneof in &mut oneofs {
            oneof.cases = oneof
                .descriptor
                .fields()
                .map(|case| {
                    fields
                        .iter()
                        .position(|f| f.descriptor == case)
                        .expect("a case is a field of the message")
                })
                .collect();
        }
        Message {
            path: ident::message_path(&descriptor),
            descriptor,
            fields,
            oneofs,
        }
    }

    /// The message's full proto name.
    pub fn full_name(&self) -> &str {
        self.descriptor.full_name()
    }

    /// Its fields and oneofs in prost's encoding order: ascending number, a oneof at
    /// the place of its lowest case.
    pub fn wire_order(&self) -> Vec<Member<'_>> {
        let mut items: Vec<(u32, Member<'_>)> = Vec::new();
        for field in &self.fields {
            match field.storage {
                Storage::Case { oneof, .. } => {
                    let o = &self.oneofs[oneof];
                    let min = o.cases.iter().map(|&i| self.fields[i].number).min();
                    if min == Some(field.number) {
                        items.push((field.number, Member::Oneof(o)));
                    }
                }
                _ => items.push((field.number, Member::Field(field))),
            }
        }
        items.sort_by_key(|(n, _)| *n);
        items.into_iter().map(|(_, m)| m).collect()
    }

    /// The cases of `oneof`.
    pub fn cases<'a>(&'a self, oneof: &'a Oneof) -> impl Iterator<Item = &'a Field> + 'a {
        oneof.cases.iter().map(|&i| &self.fields[i])
    }
}

/// A field or a oneof of [`Message::wire_order`].
pub enum Member<'a> {
    Field(&'a Field),
    Oneof(&'a Oneof),
}

impl Field {
    /// The message type of one value (element, map value, case or singular field),
    /// if it is a message.
    pub fn message_type(&self) -> Option<MessageDescriptor> {
        match (&self.storage, &self.kind) {
            (
                Storage::Map {
                    value: Kind::Message(m),
                    ..
                },
                _,
            ) => Some(m.clone()),
            (Storage::Map { .. }, _) => None,
            (_, Kind::Message(m)) => Some(m.clone()),
            _ => None,
        }
    }
}

/// The test that an implicit-presence value is set (`set`) or holds its default
/// (`!set`), on `place`, an expression of the value's Rust type (`self.name`, `(*v)`).
/// Floats are compared by their bits when `by_bits` (proto3 JSON and protovalidate:
/// `-0.0` is set); prost's binary encoding compares with `0.0`, so skips `-0.0`.
pub fn presence(kind: &Kind, place: &str, set: bool, by_bits: bool) -> String {
    let (not, eq) = if set { ("!", "!=") } else { ("", "==") };
    match kind {
        Kind::String | Kind::Bytes => format!("{not}{place}.is_empty()"),
        // Alone, a place needs no parentheses (`if *x`, not `if (*x)`).
        Kind::Bool if set => place
            .trim_start_matches('(')
            .trim_end_matches(')')
            .to_string(),
        Kind::Bool => format!("!{place}"),
        Kind::Double | Kind::Float if by_bits => format!("{place}.to_bits() {eq} 0"),
        Kind::Double | Kind::Float => format!("{place} {eq} 0.0"),
        Kind::Message(_) => format!("{place} {eq} ::core::default::Default::default()"),
        _ => format!("{place} {eq} 0"),
    }
}

impl Storage {
    /// How prost stores `field`, of any message (generators that follow a field path
    /// into other messages ask here too, never the descriptor).
    pub fn of(field: &FieldDescriptor) -> Storage {
        let message = field.parent_message();
        let kind = field.kind();
        let singular_message =
            matches!(kind, Kind::Message(_)) && !field.is_list() && !field.is_map();
        let boxed = singular_message && reaches(&kind, message);
        if let Some(o) = field.containing_oneof().filter(|o| !o.is_synthetic()) {
            return Storage::Case {
                oneof: (message.oneofs().filter(|o| !o.is_synthetic()))
                    .position(|x| x == o)
                    .expect("a real oneof of the message"),
                variant: ident::oneof_variant(field),
                boxed,
            };
        }
        if field.is_map() {
            let Kind::Message(entry) = kind else {
                unreachable!("a map field's kind is its entry")
            };
            return Storage::Map {
                key: entry.map_entry_key_field().kind(),
                value: entry.map_entry_value_field().kind(),
            };
        }
        if field.is_list() {
            // An explicit `[packed = ...]` wins, as in prost-build (prost-reflect's
            // `is_packed` gave proto3's default for `[packed = false]` compiled by protox:
            // `tests/model_expected.rs` caught it).
            let explicit = (field.field_descriptor_proto().options.as_ref()).and_then(|o| o.packed);
            let packable = !matches!(kind, Kind::String | Kind::Bytes | Kind::Message(_));
            return Storage::Repeated {
                packed: packable && explicit.unwrap_or_else(|| field.is_packed()),
            };
        }
        if singular_message {
            return Storage::Message { boxed };
        }
        if field.supports_presence() {
            return Storage::Optional;
        }
        Storage::Implicit
    }
}

/// prost-build's boxing rule (`MessageGraph::is_nested`): whether `target` is reachable
/// from a field of `kind` through singular message fields (oneof cases included;
/// lists and maps already hold their values on the heap).
fn reaches(kind: &Kind, target: &MessageDescriptor) -> bool {
    let Kind::Message(start) = kind else {
        return false;
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.clone()];
    while let Some(m) = stack.pop() {
        if m == *target {
            return true;
        }
        if !seen.insert(m.full_name().to_string()) {
            continue;
        }
        for f in m.fields().filter(|f| !f.is_list() && !f.is_map()) {
            if let Kind::Message(next) = f.kind() {
                stack.push(next);
            }
        }
    }
    false
}
