//! Compiles the bench payloads' protos with protox (no protoc) into a descriptor set,
//! and generates buffa's owned types and views from it.

use prost::Message;
use std::path::PathBuf;

/// The files of the payloads `cargo xtask bench` times.
const FILES: &[&str] = &[
    "chaukas/spec/common/v1/events.proto",
    "aios/common/common.proto",
];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    println!("cargo:rerun-if-changed={}", root.display());
    let set = protox::compile(FILES, [&root]).expect("the protos compile");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let path = out.join("descriptors.bin");
    std::fs::write(&path, set.encode_to_vec()).expect("write the descriptor set");
    buffa_build::Config::new()
        .descriptor_set(&path)
        .files(FILES)
        .generate_views(true)
        .compile()
        .expect("buffa generates the bench protos");
}
