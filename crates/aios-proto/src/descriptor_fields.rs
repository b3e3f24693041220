//! Test support: the crate's fields, read from its own descriptors.

use prost::Message;
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};
use std::collections::BTreeSet;

/// Every field of this crate's messages (nested ones included) for which `keep`
/// holds, as `package.Message.field`.
pub(crate) fn fields_where(keep: impl Fn(&FieldDescriptorProto) -> bool) -> BTreeSet<String> {
    fn walk(
        prefix: &str,
        msg: &DescriptorProto,
        keep: &dyn Fn(&FieldDescriptorProto) -> bool,
        out: &mut BTreeSet<String>,
    ) {
        let name = format!("{prefix}.{}", msg.name());
        for f in msg.field.iter().filter(|f| keep(f)) {
            out.insert(format!("{name}.{}", f.name()));
        }
        for nested in &msg.nested_type {
            walk(&name, nested, keep, out);
        }
    }
    let set = FileDescriptorSet::decode(crate::FILE_DESCRIPTOR_SET).unwrap();
    let mut out = BTreeSet::new();
    for file in &set.file {
        for msg in &file.message_type {
            walk(file.package(), msg, &keep, &mut out);
        }
    }
    out
}
