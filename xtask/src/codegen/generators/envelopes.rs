//! Envelope constructors and readers: a message whose members are exactly a
//! `meta` message field, a `subject` message field and one oneof of distinct message
//! types is an envelope. It gets `new(meta, subject, inner)` (the oneof case chosen by
//! the inner message's type, through `OneofCase`), `<oneof>_as::<M>()` and
//! `into_<oneof>::<M>()`.

use crate::codegen::generators::oneofs::by_type;
use crate::codegen::ident::{self, path_from};
use crate::codegen::model::{PackageModel, Storage};
use crate::codegen::registry::Input;
use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor, OneofDescriptor};

fn message_field(
    message: &MessageDescriptor,
    name: &str,
) -> Option<(FieldDescriptor, MessageDescriptor)> {
    let field = message.get_field_by_name(name)?;
    // A plain `Option<M>`: what `new` fills with `Some(meta)`.
    match (Storage::of(&field), field.kind()) {
        (Storage::Message { boxed: false }, Kind::Message(m)) => Some((field, m)),
        _ => None,
    }
}

/// The `(meta, subject, oneof)` of an envelope.
pub fn envelope(
    message: &MessageDescriptor,
) -> Option<(MessageDescriptor, MessageDescriptor, OneofDescriptor)> {
    let (_, meta) = message_field(message, "meta")?;
    let (_, subject) = message_field(message, "subject")?;
    let oneofs: Vec<OneofDescriptor> = message.oneofs().filter(|o| !o.is_synthetic()).collect();
    let [oneof] = oneofs.as_slice() else {
        return None;
    };
    let others = (message.fields())
        .filter(|f| !matches!(Storage::of(f), Storage::Case { .. }))
        .count();
    (others == 2 && by_type(oneof)).then(|| (meta, subject, oneof.clone()))
}

/// The impls of every envelope of `package`.
pub fn generate(_: &Input, model: &PackageModel) -> anyhow::Result<String> {
    let (krate, package) = (model.krate, model.name.as_str());
    let mut out = String::new();
    for message in model.messages.iter().map(|m| m.descriptor.clone()) {
        let Some((meta, subject, oneof)) = envelope(&message) else {
            continue;
        };
        let (Some(meta), Some(subject)) = (
            path_from(krate, package, &meta),
            path_from(krate, package, &subject),
        ) else {
            continue;
        };
        let field = ident::oneof_field(&oneof);
        let bare = ident::bare(&field);
        let oneof_type = ident::oneof_type_path(&oneof);
        out.push_str(&format!(
            "\n/// Building a `{full}` from its inner message, and reading it back by type.\n\
             impl {ty} {{\n\
             \x20   /// A new `{name}`; the `{bare}` case is chosen by the type of `{bare}`.\n\
             \x20   pub fn new(meta: {meta}, subject: {subject}, {field}: impl ::common_eventing::OneofCase<{oneof_type}>) -> Self {{\n\
             \x20       Self {{\n\
             \x20           meta: ::core::option::Option::Some(meta),\n\
             \x20           subject: ::core::option::Option::Some(subject),\n\
             \x20           {field}: ::core::option::Option::Some({field}.into_oneof()),\n\
             \x20       }}\n\
             \x20   }}\n\
             \n\
             \x20   /// The inner message if it is an `M` (the oneof case is chosen by type).\n\
             \x20   pub fn {bare}_as<M: ::common_eventing::OneofCase<{oneof_type}>>(&self) -> ::core::option::Option<&M> {{\n\
             \x20       self.{field}.as_ref().and_then(M::from_oneof)\n\
             \x20   }}\n\
             \n\
             \x20   /// Takes the inner message if it is an `M`; gives the envelope back otherwise\n\
             \x20   /// (nothing is lost: try the next type with the same value).\n\
             \x20   #[allow(clippy::result_large_err)]\n\
             \x20   pub fn into_{bare}<M: ::common_eventing::OneofCase<{oneof_type}>>(mut self) -> ::core::result::Result<M, Self> {{\n\
             \x20       match self.{field}.take().map(M::try_from_oneof) {{\n\
             \x20           ::core::option::Option::Some(::core::result::Result::Ok(m)) => ::core::result::Result::Ok(m),\n\
             \x20           ::core::option::Option::Some(::core::result::Result::Err(other)) => {{\n\
             \x20               self.{field} = ::core::option::Option::Some(other);\n\
             \x20               ::core::result::Result::Err(self)\n\
             \x20           }}\n\
             \x20           ::core::option::Option::None => ::core::result::Result::Err(self),\n\
             \x20       }}\n\
             \x20   }}\n\
             }}\n",
            full = message.full_name(),
            name = message.name(),
            ty = ident::message_path(&message),
        ));
    }
    Ok(out)
}
