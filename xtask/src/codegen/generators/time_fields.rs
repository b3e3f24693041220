//! `chrono` views of the `int64` points in time: for every singular `int64`
//! (`sint64`, `sfixed64`) field that is a point in time by its name, `<field>_as_secs()`
//! and `<field>_as_millis()`. The generated code calls the crate's hand-written
//! `crate::time_fields::{from_secs, from_millis}`.
//!
//! The rule: a field is a point in time when its name is `timestamp`, ends in `_at`,
//! or starts with `last_` (`last_used`, `last_run`). Fields whose name carries a unit
//! or says they count ([`NOT_POINTS_IN_TIME`]) are not. Any other `int64` field fails
//! codegen, naming it, until it is classified here: no field is skipped silently.

use crate::codegen::ident;
use crate::codegen::model::{PackageModel, Storage};
use crate::codegen::registry::Input;
use anyhow::{Result, bail};
use prost_reflect::{FieldDescriptor, Kind};

/// Name suffixes of `int64` fields that are not points in time, each with the reason.
pub const NOT_POINTS_IN_TIME: &[(&str, &str)] = &[
    (
        "_ms",
        "a duration in milliseconds (`duration_ms`, `latency_ms`)",
    ),
    ("_seconds", "a duration in seconds (`uptime_seconds`)"),
    ("_hours", "a duration in hours (`duration_hours`)"),
    ("_count", "a count (`request_count`)"),
];

/// Whether `name` is a point in time by the rule.
pub fn is_point_in_time(name: &str) -> bool {
    name == "timestamp" || name.ends_with("_at") || name.starts_with("last_")
}

fn is_int64(field: &FieldDescriptor) -> bool {
    matches!(field.kind(), Kind::Int64 | Kind::Sint64 | Kind::Sfixed64)
        && matches!(Storage::of(field), Storage::Implicit | Storage::Optional)
}

/// The getters of every message of `package` with points in time.
pub fn generate(_: &Input, model: &PackageModel) -> Result<String> {
    let mut out = String::new();
    let mut unclassified = Vec::new();
    for (message, ty) in model.messages.iter().map(|m| (&m.descriptor, &m.path)) {
        let mut fields: Vec<FieldDescriptor> = message.fields().filter(is_int64).collect();
        fields.sort_by_key(FieldDescriptor::number);
        let mut methods = String::new();
        for field in fields {
            let name = field.name();
            if !is_point_in_time(name) {
                if !NOT_POINTS_IN_TIME
                    .iter()
                    .any(|(suffix, _)| name.ends_with(suffix))
                {
                    unclassified.push(field.full_name().to_string());
                }
                continue;
            }
            let rust = ident::field(&field);
            let bare = ident::bare(&rust);
            let full = field.full_name();
            let optional = Storage::of(&field) == Storage::Optional;
            for (unit, other, f) in [
                ("secs", "millis", "from_secs"),
                ("millis", "secs", "from_millis"),
            ] {
                let (unit_word, other_word) = if unit == "secs" {
                    ("seconds", "milliseconds")
                } else {
                    ("milliseconds", "seconds")
                };
                let call = if optional {
                    format!("self.{rust}.and_then(crate::time_fields::{f})")
                } else {
                    format!("crate::time_fields::{f}(self.{rust})")
                };
                methods.push_str(&format!(
                    "    /// `{bare}` read as **{unit_word}** since the Unix epoch; `None` when it is `0` (unset) or out of range.\n\
                     \x20   ///\n\
                     \x20   /// Upstream does not say whether `{full}` counts seconds or milliseconds: if your peer writes {other_word}, use [`{bare}_as_{other}`](Self::{bare}_as_{other}).\n\
                     \x20   pub fn {bare}_as_{unit}(&self) -> ::core::option::Option<::chrono::DateTime<::chrono::Utc>> {{\n\
                     \x20       {call}\n\
                     \x20   }}\n"
                ));
            }
        }
        if !methods.is_empty() {
            out.push_str(&format!(
                "\n/// `chrono` views of the points in time of `{}`.\nimpl {} {{\n{methods}}}\n",
                message.full_name(),
                ty
            ));
        }
    }
    if !unclassified.is_empty() {
        bail!(
            "int64 fields that are neither points in time (`timestamp`, `*_at`, `last_*`) nor \
             named as durations or counts ({}): {}; rename them, or classify them in \
             xtask/src/codegen/generators/time_fields.rs with the reason",
            NOT_POINTS_IN_TIME
                .iter()
                .map(|(s, _)| format!("`*{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
            unclassified.join(", ")
        );
    }
    Ok(out)
}
