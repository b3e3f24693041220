//! Zero-copy views of every message: decode without allocating a `String`, a
//! `Vec` or a `Bytes` per field.
//!
//! `cargo xtask codegen` writes, for every message `M` of every crate, a view type
//! `MView<'a>` next to it and `impl HasView for M { type View<'a> = MView<'a>; }`.
//! A view borrows from the bytes it was decoded from:
//!
//! - `string` fields are `&'a str` and `bytes` fields `&'a [u8]`, pointing into the
//!   input;
//! - scalars and enums are values (`i32` for an enum, as in the owned message);
//! - a message field is `Option` of its view (boxed only where the owned message
//!   boxes it: a message that reaches itself);
//! - a oneof is `Option` of an enum of views (`my_message::ChoiceView`);
//! - `repeated` fields are [`RepeatedView`]s and maps [`MapView`]s: they remember
//!   where their elements are and iterate them without allocating.
//!
//! [`MessageView::decode_view`] checks everything owned decode checks: the wire
//! format, UTF-8 of every string at every depth, and the recursion limit (100
//! message levels, counted as prost counts them). So a view accepts exactly the
//! bytes `M::decode` accepts, and [`MessageView::to_message`] equals `M::decode`
//! on them (`tests/tests/views.rs` checks both on random and on corrupted
//! messages of every type, and the `views` fuzz target on arbitrary bytes). Errors
//! name the field path as prost's do (`Event.content: ToolCall.name: invalid string
//! value: ...`); where a read runs past the end of its enclosing message, a view
//! says `buffer underflow` where prost may say `delimited length exceeded`.
//!
//! With the `serde` feature, every view is `serde::Serialize` and writes the same
//! proto3 JSON as the owned message (the generated messages field by field, from
//! the borrowed input; the well-known types through their owned form): a Kafka to
//! JSON bridge does not build the event.
//!
//! ```
//! use common_eventing::view::{HasView, MessageView};
//! use common_eventing::wkt::{Struct, Timestamp, Value};
//!
//! let ts = Timestamp { seconds: 1_700_000_000, nanos: 5 };
//! let bytes = common_eventing::encode::to_vec(&ts);
//! let view = <Timestamp as HasView>::View::decode_view(&bytes)?;
//! assert_eq!(view.seconds, 1_700_000_000);
//! assert_eq!(view.to_message(), ts);
//!
//! let s: Struct = [("name", Value::from("Ada")), ("n", Value::from(2.0))].into_iter().collect();
//! let bytes = common_eventing::encode::to_vec(&s);
//! let view = common_eventing::view::decode::<Struct>(&bytes)?;
//! let names: Vec<&str> = view.fields().map(|(k, _)| k).collect();
//! // Wire order: upb's deterministic order, which puts a key after the keys it prefixes.
//! assert_eq!(names, ["name", "n"]);
//! assert_eq!(view.to_message(), s);
//! # Ok::<(), prost::DecodeError>(())
//! ```

#[cfg(feature = "serde")]
mod json;
pub mod kind;
mod repeated;
mod wkt;

pub use repeated::{MapIter, MapView, RepeatedBytes, RepeatedIter, RepeatedView};
pub use wkt::{ListValueView, StructView, ValueKindView, ValueView};

use prost::DecodeError;

/// A message with a generated zero-copy view: `M::View<'a>` borrows from `&'a [u8]`.
pub trait HasView: prost::Message + Default {
    /// The view of this message over bytes that live for `'a`.
    type View<'a>: MessageView<'a, Owned = Self>;
}

/// A zero-copy view of a message (see the [module docs](self)).
pub trait MessageView<'a>: Sized + Default + Clone + core::fmt::Debug + PartialEq {
    /// The owned message this is a view of.
    type Owned;

    /// Decodes a view of the message encoded in `buf`, checking exactly what
    /// `Self::Owned::decode` checks.
    fn decode_view(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut view = Self::default();
        view.merge_view(buf, crate::__codegen::view::RECURSION_LIMIT)?;
        Ok(view)
    }

    /// The owned message: the same value `Self::Owned::decode` gives for the bytes
    /// this view was decoded from.
    fn to_message(&self) -> Self::Owned;

    /// Merges the message body `body` into the view, with `depth` message levels
    /// left (prost's recursion budget); what generated code calls for a nested
    /// message.
    #[doc(hidden)]
    fn merge_view(&mut self, body: &'a [u8], depth: u32) -> Result<(), DecodeError>;

    /// Checks the message body `body` exactly as [`MessageView::merge_view`] would,
    /// building nothing: how the elements of a repeated message field are checked
    /// when the view is decoded (they are read again as iterated).
    #[doc(hidden)]
    fn check_view(body: &'a [u8], depth: u32) -> Result<(), DecodeError> {
        Self::default().merge_view(body, depth)
    }
}

/// The view of an `M` encoded in `buf`: `<M as HasView>::View::decode_view(buf)`.
pub fn decode<M: HasView>(buf: &[u8]) -> Result<M::View<'_>, DecodeError> {
    M::View::decode_view(buf)
}
