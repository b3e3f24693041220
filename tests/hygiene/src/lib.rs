//! Generated-code hygiene, proven by compiling: `proto/hygiene/serde/v1/hygiene.proto`
//! names its messages `Some`, `Option`, `Result`, `String`, `Vec` and `Box`, in a
//! package with a segment named `serde`, and `cargo xtask codegen` generates this
//! crate through the same pipeline as the published crates. Code that writes a bare
//! prelude name or `serde::` instead of a fully qualified path does not compile here.
//! CI builds it with every feature, with none, and with each of `grpc`, `serde` and
//! `validate` alone.

// The fixture's protos carry no comments: what it proves is that the code compiles.
#![allow(missing_docs)]

mod generated;
pub use generated::*;

#[cfg(test)]
mod tests {
    use crate::serde::v1::{Box, Option, Result, Some, result};

    /// The generated code is not only compiled: it runs, and encodes as prost does.
    #[test]
    fn the_generated_impls_work() {
        let message = Some {
            name: "n".into(),
            count: ::core::option::Option::Some(2),
            option: ::core::option::Option::Some(::std::boxed::Box::new(Option::default())),
            choice: ::core::option::Option::Some(crate::serde::v1::some::Choice::Boxed(Box {
                inner: ::core::option::Option::Some(::std::boxed::Box::new(Box::default())),
                vec: ::core::option::Option::None,
            })),
            ..Default::default()
        };
        let bytes = prost::Message::encode_to_vec(&message);
        assert_eq!(common_eventing::encode::to_vec(&message), bytes);
        let outcome = Result {
            outcome: ::core::option::Option::Some(result::Outcome::Ok(::std::boxed::Box::new(
                message.clone(),
            ))),
        };
        assert_eq!(
            <Some as common_eventing::OneofCase<_>>::from_oneof(outcome.outcome.as_ref().unwrap()),
            ::core::option::Option::Some(&message)
        );
    }
}
