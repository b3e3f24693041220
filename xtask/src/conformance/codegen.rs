//! The conformance testee's code: the suite's own `.proto` files
//! (`conformance/testee/proto/`, copied from the protobuf release the runner is built
//! from) through the workspace's pipeline: protox, prost with the crates' settings,
//! the workspace's JSON generator, the `Lossless` tables, and the well-known types of
//! `common_eventing::wkt`.

use crate::codegen::{Files, HEADER};
use crate::protos;
use crate::workspace::{self, CrateSpec, PackageSpec};
use crate::{json, lossless};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// The testee, as a crate spec of the generators (not published, not in `CRATES`).
pub const TESTEE: CrateSpec = CrateSpec {
    name: "conformance-testee",
    packages: &[
        PackageSpec {
            proto: "conformance",
            rust: "::conformance_testee::conformance",
        },
        PackageSpec {
            proto: "protobuf_test_messages.proto3",
            rust: "::conformance_testee::proto3",
        },
    ],
    grpc: false,
    hand_written: &[],
};

/// The testee crate's folder.
pub fn testee_dir() -> PathBuf {
    workspace::root().join("conformance/testee")
}

/// The testee's generated files: (folder, files), for `cargo xtask codegen`.
pub fn generate() -> Result<(PathBuf, Files)> {
    let compiled = protos::compile(&testee_dir().join("proto"))?;
    let tmp = tempfile::tempdir()?;
    let mut config = prost_build::Config::new();
    config
        .btree_map(["."])
        .bytes(["."])
        .enable_type_names()
        .type_name_domain(["."], "type.googleapis.com")
        .compile_well_known_types()
        .extern_path(".google.protobuf", "::common_eventing::wkt")
        .out_dir(tmp.path());
    let input = prost_types::FileDescriptorSet {
        file: compiled
            .with_source_info
            .file
            .iter()
            .filter(|f| f.package() != "google.protobuf")
            .cloned()
            .collect(),
    };
    config
        .compile_fds(input)
        .context("prost generation for the conformance testee")?;
    let mut files = Files::new();
    for package in TESTEE.packages {
        let messages = std::fs::read_to_string(tmp.path().join(format!("{}.rs", package.proto)))
            .with_context(|| format!("prost wrote no file for {}", package.proto))?;
        let mut out = String::from(HEADER);
        out.push_str(&messages);
        out.push_str(&lossless::generate(&compiled.pool, &TESTEE, package.proto));
        out.push_str(&json::generate(&compiled.pool, &TESTEE, package.proto));
        files.insert(format!("{}.rs", package.proto), out.into_bytes());
    }
    Ok((testee_dir().join("src/generated"), files))
}
