//! JSON of a generated enum type: `rt::ProtoEnum` (its names and numbers, which the
//! open enum fields of messages use), and `Serialize`/`Deserialize` of the closed Rust
//! enum itself (a name out; a known name or number in).

use super::Resolver;
use prost_reflect::EnumDescriptor;

pub(super) fn generate(resolve: &Resolver<'_>, e: &EnumDescriptor) -> String {
    let ty = resolve.enumeration(e);
    let full = e.full_name();
    // From the descriptor, aliases included (prost's `from_str_name` knows one name
    // per number); a number is written as its first name.
    let mut names = String::new();
    let mut numbers = String::new();
    let mut written = Vec::new();
    for v in e.values() {
        names.push_str(&format!(
            "            \"{}\" => ::core::option::Option::Some({}),\n",
            v.name(),
            v.number()
        ));
        if !written.contains(&v.number()) {
            written.push(v.number());
            numbers.push_str(&format!(
                "            {} => ::core::option::Option::Some(\"{}\"),\n",
                v.number(),
                v.name()
            ));
        }
    }
    format!(
        "impl rt::ProtoEnum for {ty} {{
    const FULL_NAME: &'static str = \"{full}\";
    fn name_of(number: i32) -> ::core::option::Option<&'static str> {{
        match number {{
{numbers}            _ => ::core::option::Option::None,
        }}
    }}
    fn number_of(name: &str) -> ::core::option::Option<i32> {{
        match name {{
{names}            _ => ::core::option::Option::None,
        }}
    }}
}}
impl ::serde::Serialize for {ty} {{
    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {{
        s.serialize_str(self.as_str_name())
    }}
}}
impl<'de> ::serde::Deserialize<'de> for {ty} {{
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {{
        rt::read_enum(d)
    }}
}}
"
    )
}
