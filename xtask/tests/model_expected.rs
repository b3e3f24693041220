//! The model's storage rules (`xtask::codegen::model::Storage`) against prost-build's
//! own output: a proto with every storage prost has (implicit, `optional`, message,
//! boxed message, packed and unpacked lists, maps, oneof cases, boxed cases) is
//! compiled by the workspace's upstream generator (prost-build with the crates'
//! settings), its structs and oneof enums are read back with `syn`, and every field's
//! Rust type and attributes must be what the model says.

use std::collections::BTreeMap;
use syn::visit::Visit;
use xtask::codegen::model::{PackageModel, Storage};
use xtask::codegen::upstream;
use xtask::protos;
use xtask::workspace::{CrateSpec, PackageSpec};

static STORAGE: CrateSpec = CrateSpec {
    name: "storage-fixture",
    packages: &[PackageSpec {
        proto: "storage.v1",
        rust: "::storage_fixture::v1",
        doc: "every storage prost has",
        hosted: false,
    }],
    grpc: false,
    hand_written: &[],
    extras: &[],
};

const PROTO: &str = r#"syntax = "proto3";
package storage.v1;
import "google/protobuf/timestamp.proto";

message Node {
  int32 i = 1;
  string s = 2;
  bytes b = 3;
  bool f = 4;
  double d = 5;
  Kind k = 6;
  optional int64 oi = 7;
  optional string os = 8;
  optional Kind ok = 9;
  Leaf leaf = 10;
  Node me = 11;
  Ring ring = 12;
  repeated int32 packed_ints = 13;
  repeated int32 unpacked_ints = 14 [packed = false];
  repeated string names = 15;
  repeated Node children = 16;
  repeated bytes blobs = 17;
  map<string, string> labels = 18;
  map<int32, Node> by_id = 19;
  map<string, Kind> kinds = 20;
  oneof choice {
    Leaf leaf_case = 21;
    Node node_case = 22;
    string text_case = 23;
    Ring ring_case = 27;
  }
  google.protobuf.Timestamp at = 24;
  message Inner {
    Node back = 1;
    Inner again = 2;
    repeated Inner many = 3;
  }
  Inner inner = 25;
  repeated double ratios = 26;
  repeated Kind kinds_list = 28;
  repeated bool flags = 29;
  optional Leaf maybe_leaf = 30;
  map<uint64, bytes> blobs_by_id = 31;
}
message Ring { Node node = 1; }
message Leaf { repeated Node nodes = 1; map<string, Leaf> more = 2; }
enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_A = 1;
}
"#;

/// prost's output: `path::Struct.field` and `path::Enum::Variant` → (type, attributes).
#[derive(Default)]
struct Prost {
    path: Vec<String>,
    out: BTreeMap<String, (String, String)>,
}

fn tokens(t: &impl quote::ToTokens) -> String {
    t.to_token_stream().to_string().replace(' ', "")
}

impl<'ast> Visit<'ast> for Prost {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.path.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.path.pop();
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let prefix: String = self.path.iter().map(|p| format!("{p}::")).collect();
        for field in &s.fields {
            let attrs: String = field.attrs.iter().map(tokens).collect();
            let name = format!("{prefix}{}.{}", s.ident, field.ident.as_ref().unwrap());
            self.out.insert(name, (tokens(&field.ty), attrs));
        }
    }

    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        let prefix: String = self.path.iter().map(|p| format!("{p}::")).collect();
        for v in &e.variants {
            if let Some(field) = v.fields.iter().next() {
                let name = format!("{prefix}{}::{}", e.ident, v.ident);
                self.out.insert(name, (tokens(&field.ty), String::new()));
            }
        }
    }
}

/// prost-build's name of a map key or value kind in its field attribute.
fn prost_kind(kind: &prost_reflect::Kind) -> String {
    use prost_reflect::Kind;
    match kind {
        Kind::Message(_) => "message".into(),
        Kind::Enum(e) => format!("enumeration({})", e.name()),
        other => format!("{other:?}").to_lowercase(),
    }
}

#[test]
fn the_model_stores_every_field_as_prost_build_does() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("storage/v1")).unwrap();
    std::fs::write(tmp.path().join("storage/v1/storage.proto"), PROTO).unwrap();
    let compiled = protos::compile(tmp.path()).unwrap();
    let text = upstream::generate(&STORAGE, &compiled)
        .unwrap()
        .messages("storage.v1");
    let mut prost = Prost::default();
    prost.visit_file(&syn::parse_file(&text).unwrap());

    let model = PackageModel::build(&compiled.pool, &STORAGE, "storage.v1").unwrap();
    let mut checked = BTreeMap::<&str, usize>::new();
    for message in &model.messages {
        for field in &message.fields {
            let (key, (ty, attrs)) = match &field.storage {
                Storage::Case { oneof, variant, .. } => {
                    let key = format!("{}::{variant}", message.oneofs[*oneof].ty);
                    let found = prost.out.get(&key).cloned();
                    (
                        key,
                        found.unwrap_or_else(|| {
                            panic!("prost wrote no variant {}", field.descriptor.full_name())
                        }),
                    )
                }
                _ => {
                    let key = format!("{}.{}", message.path, field.ident);
                    let found = prost.out.get(&key).cloned();
                    (
                        key,
                        found.unwrap_or_else(|| {
                            panic!("prost wrote no field {}", field.descriptor.full_name())
                        }),
                    )
                }
            };
            let option = ty.starts_with("::core::option::Option<");
            let boxed_ty = ty.contains("::prost::alloc::boxed::Box<");
            let kind = match &field.storage {
                Storage::Implicit => {
                    assert!(
                        !option && !ty.contains("Vec<") && !ty.contains("BTreeMap"),
                        "{key}: {ty}"
                    );
                    "implicit"
                }
                Storage::Optional => {
                    assert!(
                        option && !boxed_ty && attrs.contains("optional"),
                        "{key}: {ty} {attrs}"
                    );
                    "optional"
                }
                Storage::Message { boxed } => {
                    assert!(option && attrs.contains("message"), "{key}: {ty}");
                    assert_eq!(boxed_ty, *boxed, "{key}: {ty}");
                    if *boxed { "boxed message" } else { "message" }
                }
                Storage::Repeated { packed } => {
                    assert!(
                        ty.starts_with("::prost::alloc::vec::Vec<") && attrs.contains("repeated"),
                        "{key}: {ty}"
                    );
                    // prost writes `packed = "false"` on an unpacked numeric list.
                    let unpacked_attr = attrs.contains("packed=\"false\"");
                    let numeric = !matches!(
                        field.kind,
                        prost_reflect::Kind::String
                            | prost_reflect::Kind::Bytes
                            | prost_reflect::Kind::Message(_)
                    );
                    assert_eq!(unpacked_attr, numeric && !packed, "{key}: {attrs}");
                    assert!(
                        numeric || !packed,
                        "{key}: a list of {:?} is never packed",
                        field.kind
                    );
                    if *packed { "packed" } else { "repeated" }
                }
                Storage::Map { key: k, value: v } => {
                    assert!(
                        ty.starts_with("::prost::alloc::collections::BTreeMap<")
                            && attrs.contains("btree_map"),
                        "{key}: {ty} {attrs}"
                    );
                    // prost names the entry's kinds: `btree_map = "int32, message"`.
                    let kinds = format!("btree_map=\"{},{}\"", prost_kind(k), prost_kind(v));
                    assert!(attrs.contains(&kinds), "{key}: {attrs} is not {kinds}");
                    "map"
                }
                Storage::Case { oneof, boxed, .. } => {
                    let o = &message.oneofs[*oneof];
                    let (holder, _) = &prost.out[&format!("{}.{}", message.path, o.ident)];
                    assert_eq!(
                        holder,
                        &format!("::core::option::Option<{}>", o.ty),
                        "{key}"
                    );
                    assert_eq!(
                        ty.starts_with("::prost::alloc::boxed::Box<"),
                        *boxed,
                        "{key}: {ty}"
                    );
                    if *boxed { "boxed case" } else { "case" }
                }
            };
            *checked.entry(kind).or_default() += 1;
        }
    }
    // Every storage is exercised (a model that lost one would not be caught otherwise).
    for kind in [
        "implicit",
        "optional",
        "message",
        "boxed message",
        "packed",
        "repeated",
        "map",
        "case",
        "boxed case",
    ] {
        assert!(
            checked.contains_key(kind),
            "no {kind} field checked: {checked:?}"
        );
    }
    // And every field prost wrote is one the model has.
    let fields: usize = checked.values().sum();
    let oneof_holders = model.messages.iter().map(|m| m.oneofs.len()).sum::<usize>();
    assert_eq!(
        prost.out.len(),
        fields + oneof_holders,
        "{:#?}",
        prost.out.keys()
    );
}

/// What prost stores in another shape than the generators write (a proto2
/// `required` field: no `Option`; a group: another wire type) fails the model, named.
#[test]
fn required_fields_and_groups_fail_the_model_by_name() {
    for (body, field) in [
        ("message M { required string id = 1; }", "storage.v1.M.id"),
        (
            "message M { optional group G = 1 { optional int32 n = 2; } }",
            "storage.v1.M.g",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("storage/v1")).unwrap();
        let proto = format!("syntax = \"proto2\";\npackage storage.v1;\n{body}\n");
        std::fs::write(tmp.path().join("storage/v1/p2.proto"), proto).unwrap();
        let compiled = protos::compile(tmp.path()).unwrap();
        let error = PackageModel::build(&compiled.pool, &STORAGE, "storage.v1")
            .err()
            .expect("refused")
            .to_string();
        assert!(error.starts_with(field), "{error}");
    }
}
