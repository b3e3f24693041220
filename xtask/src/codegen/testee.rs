//! The conformance testee's code: the suite's own `.proto` files
//! (`conformance/testee/proto/`, copied from the protobuf release the runner is built
//! from) through the workspace's generator pipeline: protox, the upstream prost
//! generator with the crates' settings, and the registry's `Lossless` tables and proto3
//! JSON generators, with the well-known types of `common_eventing::wkt`.

use crate::codegen::model::PackageModel;
use crate::codegen::output::{Files, header};
use crate::codegen::registry::{GENERATORS, Input};
use crate::codegen::{ident, upstream};
use crate::protos;
use crate::workspace::{self, CrateSpec, PackageSpec};
use anyhow::Result;
use std::path::PathBuf;

/// The testee, as a crate spec of the generators (not published, not in `CRATES`).
pub static TESTEE: CrateSpec = CrateSpec {
    name: "conformance-testee",
    packages: &[
        PackageSpec {
            proto: "conformance",
            rust: "::conformance_testee::conformance",
            doc: "the suite's request and response messages (`conformance/conformance.proto`)",
            hosted: false,
        },
        PackageSpec {
            proto: "protobuf_test_messages.proto3",
            rust: "::conformance_testee::proto3",
            doc: "the proto3 test messages (`google/protobuf/test_messages_proto3.proto`)",
            hosted: false,
        },
    ],
    grpc: false,
    hand_written: &[],
    extras: &[],
};

/// The generators the testee needs (by their file name in the registry): the
/// messages, their encoders, views, unknown-field tables and JSON (the JSON
/// generator writes the views' JSON too). The others (eventing, schemas,
/// MCP, ...) read workspace options the suite's protos do not have.
const TESTEE_GENERATORS: &[&str] = &["", "encode", "views", "lossless", "serde"];

/// The testee crate's folder.
pub fn testee_dir() -> PathBuf {
    workspace::root().join("conformance/testee")
}

/// The testee's generated files and their `mod.rs`: (folder, files), for
/// `cargo xtask codegen`.
pub fn generate() -> Result<(PathBuf, Files)> {
    let compiled = protos::compile(&testee_dir().join("proto"))?;
    let upstream = upstream::generate(&TESTEE, &compiled)?;
    let input = Input {
        pool: &compiled.pool,
        events: &[],
        tools: &[],
        krate: &TESTEE,
        upstream: &upstream,
    };
    let mut files = Files::new();
    let mut tree = header("module tree of the conformance testee");
    for package in TESTEE.packages {
        let module = ident::package_module(package.rust).join("::");
        tree.push_str(&format!(
            "\n/// {}.\n#[allow(clippy::all, missing_docs)]\npub mod {module} {{\n",
            package.doc
        ));
        for generator in GENERATORS
            .iter()
            .filter(|g| TESTEE_GENERATORS.contains(&g.file))
        {
            let model = PackageModel::build(&compiled.pool, &TESTEE, package.proto)?;
            for (name, contents) in generator.render(&input, &model)? {
                tree.push_str(&format!("    include!({name:?});\n"));
                files.insert(name, contents.into_bytes());
            }
        }
        tree.push_str("}\n");
    }
    files.insert("mod.rs".to_string(), tree.into_bytes());
    Ok((testee_dir().join("src/generated"), files))
}
