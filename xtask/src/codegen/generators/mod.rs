//! The generators of [`crate::codegen::registry::GENERATORS`], one module each, and
//! the workspace documents generated alongside ([`catalog`], the MCP catalog).

pub mod catalog;
pub mod constructors;
pub mod envelopes;
pub mod eventing;
pub mod fast_encode;
pub mod json;
pub mod json_fields;
pub mod lossless;
pub mod mcp;
pub mod mcp_dispatch;
pub mod oneofs;
pub mod schemas;
pub mod time_fields;
pub mod validate;
pub mod views;
