//! The naming resolver (`xtask::codegen::ident`) against prost-build's own output: a proto
//! whose messages, fields, oneofs, oneof cases and enums are named `crate`, `self`,
//! `super`, `type`, `async`, `gen` and with leading digits is compiled with
//! prost-build, the Rust names are read back from its output with `syn`, and every
//! name the resolver computes from the descriptors must be one of them, in the same
//! place.

use prost_reflect::DescriptorPool;
use std::collections::BTreeSet;
use syn::visit::Visit;
use xtask::codegen::ident;

/// Every named item of prost's output: `path::Type`, `path::Type.field`,
/// `path::Enum::Variant`, `path::module/`.
#[derive(Default)]
struct Names {
    path: Vec<String>,
    out: BTreeSet<String>,
}

fn ident(i: &syn::Ident) -> String {
    i.to_string()
}

impl Names {
    fn prefix(&self) -> String {
        self.path.iter().map(|p| format!("{p}::")).collect()
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.out
            .insert(format!("{}{}/", self.prefix(), ident(&m.ident)));
        self.path.push(ident(&m.ident));
        syn::visit::visit_item_mod(self, m);
        self.path.pop();
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let ty = format!("{}{}", self.prefix(), ident(&s.ident));
        for field in &s.fields {
            if let Some(name) = &field.ident {
                self.out.insert(format!("{ty}.{}", ident(name)));
            }
        }
        self.out.insert(ty);
    }

    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        let ty = format!("{}{}", self.prefix(), ident(&e.ident));
        for variant in &e.variants {
            self.out.insert(format!("{ty}::{}", ident(&variant.ident)));
        }
        self.out.insert(ty);
    }
}

#[test]
fn the_resolver_names_everything_as_prost_build_does() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let fds = protox::compile(["idents.proto"], [&dir]).unwrap();
    let pool = DescriptorPool::from_file_descriptor_set(fds.clone()).unwrap();
    let out = tempfile::tempdir().unwrap();
    prost_build::Config::new()
        .out_dir(out.path())
        .compile_fds(fds)
        .unwrap();
    let text = std::fs::read_to_string(out.path().join("idents.v1.rs")).unwrap();
    let file = syn::parse_file(&text).unwrap();
    let mut prost = Names::default();
    prost.visit_file(&file);

    let mut ours = BTreeSet::new();
    for message in pool.all_messages() {
        let ty = ident::message_path(&message);
        ours.insert(ty.clone());
        for field in message.fields() {
            if field.containing_oneof().is_none() {
                ours.insert(format!("{ty}.{}", ident::field(&field)));
            }
        }
        for oneof in message.oneofs() {
            ours.insert(format!("{ty}.{}", ident::oneof_field(&oneof)));
            let oneof_ty = ident::oneof_type_path(&oneof);
            ours.insert(oneof_ty.clone());
            for case in oneof.fields() {
                ours.insert(format!("{oneof_ty}::{}", ident::oneof_variant(&case)));
            }
        }
        if message.child_messages().next().is_some()
            || message.child_enums().next().is_some()
            || message.oneofs().next().is_some()
        {
            let module = match ty.rsplit_once("::") {
                Some((parents, _)) => format!("{parents}::{}", ident::snake(message.name())),
                None => ident::snake(message.name()),
            };
            ours.insert(format!("{module}/"));
        }
    }
    for e in pool.all_enums() {
        let ty = ident::enum_path(&e);
        for value in e.values() {
            ours.insert(format!("{ty}::{}", ident::enum_variant(&value)));
        }
        ours.insert(ty);
    }

    // Guard against a parse that found nothing: the hard cases are all there.
    for expected in [
        "Crate.crate_",
        "Crate.self_",
        "Crate.super_",
        "Crate.r#type",
        "Crate.r#async",
        "Crate._1st",
        "crate_/",
        "crate_::Gen::SelfCase",
        "Crate.r#gen",
        "Self_.extern_",
        "Self_",
        "self_/",
        "self_::Self_",
        "self_::Self_.r#type",
        "self_::Extern::Self_",
        "self_::Extern::Super",
        "self_::Extern::Crate",
        "self_::Extern::_2nd",
        "_3rd._4th",
        "_3rd._5th",
        "_3rd/",
        "_3rd::_5th::Gen",
        "SelfKind",
    ] {
        assert!(
            prost.out.contains(expected),
            "prost-build wrote no {expected}: {:#?}",
            prost.out
        );
    }
    let missing: Vec<&String> = ours.difference(&prost.out).collect();
    assert!(
        missing.is_empty(),
        "names the resolver gives that prost-build does not write: {missing:?}\nprost-build wrote: {:#?}",
        prost.out
    );
    // Everything prost-build names (but the derive helpers) is predicted.
    let unpredicted: Vec<&String> = prost.out.iter().filter(|n| !ours.contains(*n)).collect();
    assert!(
        unpredicted.is_empty(),
        "prost-build names the resolver does not predict: {unpredicted:?}"
    );
}
