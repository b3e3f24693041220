//! Visiting every message type of a generated package.
//!
//! `cargo xtask codegen` gives every package module (with the `serde` feature) a
//! `visit_messages` function that calls [`MessageVisitor::visit`] once per message
//! type, nested ones included. Use it to register all types for `Any` JSON, to
//! register schemas, or to build per-type tables in tests, without listing types by
//! hand.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use common_eventing::MessageVisitor;
//!
//! struct Names(Vec<String>);
//! impl MessageVisitor for Names {
//!     fn visit<M: common_eventing::visit::JsonMessage>(&mut self) {
//!         self.0.push(M::full_name());
//!     }
//! }
//!
//! let mut names = Names(Vec::new());
//! common_eventing::options::v1::visit_messages(&mut names);
//! assert_eq!(names.0, ["ameide_core_proto.common.v1.EventingOptions"]);
//! # }
//! ```

/// What every generated message type is with the `serde` feature: a prost message
/// with a full name, proto3 JSON both ways, `Default` and `PartialEq`.
pub trait JsonMessage:
    prost::Message
    + prost::Name
    + Default
    + PartialEq
    + serde::Serialize
    + serde::de::DeserializeOwned
    + 'static
{
}

impl<M> JsonMessage for M where
    M: prost::Message
        + prost::Name
        + Default
        + PartialEq
        + serde::Serialize
        + serde::de::DeserializeOwned
        + 'static
{
}

/// Called once per message type by a package's generated `visit_messages`.
pub trait MessageVisitor {
    /// Visits message type `M` (every generated message is also a
    /// [`ProtoSchema`](crate::registry::ProtoSchema), [`Known`](crate::lossless::Known)
    /// to [`Lossless`](crate::Lossless), [`Encode`](crate::encode::Encode) and
    /// [`HasView`](crate::view::HasView), whose view writes the same JSON).
    fn visit<
        M: JsonMessage
            + crate::registry::ProtoSchema
            + crate::lossless::Known
            + crate::encode::Encode
            + crate::view::HasView,
    >(
        &mut self,
    ) where
        for<'a> <M as crate::view::HasView>::View<'a>: serde::Serialize;
}

/// Called once per event type (a message with the eventing option) by a package's
/// generated `visit_events` (features `serde` and `validate`).
#[cfg(feature = "validate")]
pub trait EventVisitor {
    /// Visits event type `M`.
    fn visit<
        M: crate::Eventing
            + JsonMessage
            + crate::registry::ProtoSchema
            + crate::lossless::Known
            + crate::validate::Validate,
    >(
        &mut self,
    );
}

/// A visitor that registers every visited type with the `google.protobuf.Any` JSON
/// registry ([`crate::wkt::any::register`]).
#[derive(Debug, Default)]
pub struct RegisterAny;

impl MessageVisitor for RegisterAny {
    fn visit<M: JsonMessage>(&mut self) {
        crate::wkt::any::register::<M>();
    }
}
