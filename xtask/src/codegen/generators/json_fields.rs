//! Typed accessors of the JSON-encoded `bytes` fields: for every singular `bytes`
//! field whose name ends in `_json`, `decode_<field>::<T>()` and `set_<field>(&value)`
//! on its message, and a `JsonFields` impl listing the message's JSON fields in
//! field-number order. The generated code calls the crate's hand-written
//! `crate::json_fields` module (`decode`, `encode`, `JsonFields`, `JsonFieldError`).

use crate::codegen::ident;
use crate::codegen::model::{PackageModel, Storage};
use crate::codegen::registry::Input;
use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};

/// Whether `field` holds JSON by the naming rule.
pub fn is_json_field(field: &FieldDescriptor) -> bool {
    field.kind() == Kind::Bytes
        && Storage::of(field) == Storage::Implicit
        && field.name().ends_with("_json")
}

fn json_fields(message: &MessageDescriptor) -> Vec<FieldDescriptor> {
    let mut fields: Vec<FieldDescriptor> = message.fields().filter(is_json_field).collect();
    fields.sort_by_key(FieldDescriptor::number);
    fields
}

/// The accessors of every message of `package` with JSON fields.
pub fn generate(_: &Input, model: &PackageModel) -> anyhow::Result<String> {
    let mut out = String::new();
    for (message, ty) in model.messages.iter().map(|m| (&m.descriptor, &m.path)) {
        let fields = json_fields(message);
        if fields.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n/// Typed access to the JSON fields of `{}`.\nimpl {ty} {{\n",
            message.full_name()
        ));
        let mut validate = String::new();
        let mut names = Vec::new();
        for field in &fields {
            let rust = ident::field(field);
            let bare = ident::bare(&rust);
            let full = field.full_name();
            names.push(format!("{full:?}"));
            validate.push_str(&format!(
                "        self.decode_{bare}::<::serde::de::IgnoredAny>()?;\n"
            ));
            out.push_str(&format!(
                "    /// Decodes `{bare}` (JSON) into `T`. An empty field decodes as JSON `null`.\n\
                 \x20   ///\n\
                 \x20   /// # Errors\n\
                 \x20   ///\n\
                 \x20   /// A [`JsonFieldError`](crate::json_fields::JsonFieldError) naming `{full}` when the bytes are not JSON or not a `T`.\n\
                 \x20   pub fn decode_{bare}<'a, T: ::serde::Deserialize<'a>>(&'a self) -> ::core::result::Result<T, crate::json_fields::JsonFieldError> {{\n\
                 \x20       crate::json_fields::decode(&self.{rust}, {full:?})\n\
                 \x20   }}\n\
                 \n\
                 \x20   /// Serializes `value` as JSON into `{bare}`.\n\
                 \x20   ///\n\
                 \x20   /// # Errors\n\
                 \x20   ///\n\
                 \x20   /// A [`JsonFieldError`](crate::json_fields::JsonFieldError) naming `{full}` when `value` cannot be serialized (the field is then left unchanged).\n\
                 \x20   pub fn set_{bare}<T: ::serde::Serialize + ?Sized>(&mut self, value: &T) -> ::core::result::Result<(), crate::json_fields::JsonFieldError> {{\n\
                 \x20       self.{rust} = crate::json_fields::encode(value, {full:?})?;\n\
                 \x20       ::core::result::Result::Ok(())\n\
                 \x20   }}\n"
            ));
        }
        out.push_str("}\n");
        out.push_str(&format!(
            "\n/// The JSON fields of `{full}`.\n\
             impl crate::json_fields::JsonFields for {ty} {{\n\
             \x20   const JSON_FIELDS: &'static [&'static str] = &[{names}];\n\
             \n\
             \x20   fn validate_json(&self) -> ::core::result::Result<(), crate::json_fields::JsonFieldError> {{\n\
             {validate}\
             \x20       ::core::result::Result::Ok(())\n\
             \x20   }}\n\
             }}\n",
            full = message.full_name(),
            names = names.join(", "),
        ));
    }
    Ok(out)
}
