//! `cargo xtask codegen`: the generator pipeline, one job per file, from the names up
//! to the pipeline.
//!
//! - [`ident`]: the Rust names of proto elements, as prost-build writes them;
//! - [`model`]: the per-package model every generator reads (messages, fields with
//!   their Rust names, JSON names, kinds and prost storage), built once per package;
//! - [`output`]: generated text parsed as Rust, split between items and laid out;
//! - [`generators`]: one module per generator, each a function of the model;
//! - [`upstream`] (prost and tonic), [`modtree`] (each crate's `generated/mod.rs`) and
//!   [`registry`] (the table of generators and the files they write);
//! - [`testee`]: the conformance testee's code, from the suite's protos;
//! - [`pipeline`]: compiles `proto/` once, runs the registry for every crate and
//!   package, and writes or checks the files.

pub mod generators;
pub mod ident;
pub mod model;
pub mod modtree;
pub mod output;
pub mod pipeline;
pub mod registry;
pub mod testee;
pub mod upstream;
