//! Oneofs by type: wrap a message into the oneof it is a case of, read it back out.
//!
//! `cargo xtask codegen` implements [`OneofCase`] for every message type that is a
//! case of a oneof (when each case has its own message type), so envelope helpers can
//! choose the case from the type instead of a hand-written `match`.

/// `Self` is one case of the oneof enum `O`.
pub trait OneofCase<O>: Sized {
    /// Wraps `self` as its case of `O`.
    fn into_oneof(self) -> O;
    /// The message, if `oneof` holds this case.
    fn from_oneof(oneof: &O) -> Option<&Self>;
    /// The message, if `oneof` holds this case; the oneof back otherwise.
    fn try_from_oneof(oneof: O) -> Result<Self, O>;
}
