//! `common_eventing::lossless::Known` impls: for every message, the field numbers it
//! declares and, for each field holding messages (singular, repeated, oneof case, map
//! value), how to recurse into it. `Lossless<M>` reads these tables; no descriptor is
//! parsed at run time.

use crate::codegen::model::{Field, PackageModel, Storage, hand_written};
use crate::codegen::registry::Input;
use anyhow::Result;
use prost_reflect::MessageDescriptor;

/// The nested-message type of a field, and how it nests; `None` for scalars, enums
/// and the hand-written leaves.
fn nested_of(field: &Field) -> Option<(&'static str, MessageDescriptor)> {
    let target = field.message_type()?;
    let nesting = match field.storage {
        Storage::Map { .. } => "Map",
        Storage::Repeated { .. } => "Repeated",
        _ => "Singular",
    };
    (!hand_written(&target)).then_some((nesting, target))
}

/// The `Known` impl of every message of `package` (map entries excluded: prost
/// generates no type for them).
pub fn generate(_: &Input, model: &PackageModel) -> Result<String> {
    let mut out = String::new();
    for message in &model.messages {
        let mut known: Vec<u32> = message.fields.iter().map(|f| f.number).collect();
        known.sort_unstable();
        let mut fields: Vec<&Field> = message.fields.iter().collect();
        fields.sort_by_key(|f| f.number);
        let mut nested = String::new();
        // Dense index by number (see `Schema::lookup`), for numbers up to 255.
        let max = known.last().copied().unwrap_or(0);
        let mut lookup = if max <= 255 {
            vec![0u8; max as usize + 1]
        } else {
            Vec::new()
        };
        for n in &known {
            if let Some(slot) = lookup.get_mut(*n as usize) {
                *slot = 1;
            }
        }
        let mut nested_count = 0u8;
        for field in fields {
            let Some((nesting, target)) = nested_of(field) else {
                continue;
            };
            let Some(path) = model.path_of(&target) else {
                continue;
            };
            if let Some(slot) = lookup.get_mut(field.number as usize) {
                *slot = nested_count + 2;
            }
            nested_count += 1;
            nested.push_str(&format!(
                "            ::common_eventing::lossless::NestedField {{ number: {}, name: \"{}\", nesting: ::common_eventing::lossless::Nesting::{nesting}, schema: <{path} as ::common_eventing::lossless::Known>::schema }},\n",
                field.number,
                field.descriptor.name(),
            ));
        }
        let nested = if nested.is_empty() {
            "&[]".to_string()
        } else {
            format!("&[\n{nested}        ]")
        };
        if nested_count > 250 {
            lookup.clear(); // the index holds nested positions in a byte
        }
        let lookup = if lookup.is_empty() {
            "&[]".to_string()
        } else {
            let items: Vec<String> = lookup.iter().map(u8::to_string).collect();
            format!("&[{}]", items.join(", "))
        };
        let known: Vec<String> = known.iter().map(u32::to_string).collect();
        out.push_str(&format!(
            "\n/// Field table of `{full}` for `common_eventing::Lossless`.\n\
             impl ::common_eventing::lossless::Known for {ty} {{\n\
             \x20   fn schema() -> &'static ::common_eventing::lossless::Schema {{\n\
             \x20       static SCHEMA: ::common_eventing::lossless::Schema = ::common_eventing::lossless::Schema {{\n\
             \x20           full_name: \"{full}\",\n\
             \x20           known: &[{known}],\n\
             \x20           nested: {nested},\n\
             \x20           lookup: {lookup},\n\
             \x20       }};\n\
             \x20       &SCHEMA\n\
             \x20   }}\n\
             }}\n",
            full = message.full_name(),
            ty = message.path,
            known = known.join(", "),
        ));
    }
    Ok(out)
}
