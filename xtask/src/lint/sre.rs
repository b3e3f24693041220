//! The SRE invariants of the contract sheet (`ameide-sre.md`, "Invariants"), checked
//! on the descriptors, not by review. The catalogs below are the sheet's tables:
//! change them only when the sheet changes.
//!
//! | rule | definition |
//! | --- | --- |
//! | `SRE_FILE_LAYOUT` | a file of an `ameide_core_proto.sre.*` package lives under `ameide_core_proto/sre/`, in the folder of its package (`ameide_core_proto/sre/core/v1/` for `ameide_core_proto.sre.core.v1`); a file under `ameide_core_proto/sre/` has an SRE package |
//! | `SRE_INTENT_NAME` | every message in a oneof of `SreDomainIntent` ends in `Requested` |
//! | `SRE_FACT_NAME` | every message in a oneof of `SreDomainFact` or `SreProcessFact` is past tense: ends in `ed`, or is in [`FACT_NAME_ALLOW_LIST`] |
//! | `SRE_ENVELOPE_META` | every envelope (the three named ones, and any SRE message with a `meta` field, a `subject` field and a oneof) has a singular `meta` of type `SreMessageMeta` |
//! | `SRE_META_FIELDS` | `SreMessageMeta` has every field of [`META_FIELDS`], singular, of the listed type |
//! | `SRE_SUBJECT_VERSION` | `SreSubject` has a singular `int64 aggregate_version` |
//! | `SRE_CATALOG` | each named envelope exists, has `meta` = 1, `subject` = 2 of the sheet's subject type, and its oneof holds exactly the catalog: each number carries the listed message, no other case |
//!
//! The rules apply when the proto root has SRE files (fixtures of other rules have none).

use super::finding;
use crate::buf::Finding;
use crate::codegen::ident::package_of;
use prost_reflect::{DescriptorPool, FileDescriptor, Kind, MessageDescriptor};
use std::collections::BTreeSet;

/// Package prefix of the SRE pack.
pub const PACKAGE_PREFIX: &str = "ameide_core_proto.sre.";
/// Folder every SRE file lives in.
pub const DIR: &str = "ameide_core_proto/sre/";
/// The metadata message of every envelope.
pub const META: &str = "ameide_core_proto.sre.core.v1.SreMessageMeta";
/// The subject of domain intents and facts.
pub const SUBJECT: &str = "ameide_core_proto.sre.core.v1.SreSubject";
/// The subject of process facts.
pub const PROCESS_SUBJECT: &str = "ameide_core_proto.sre.process.v1.SreProcessSubject";

/// Fact names that are past tense without ending in `ed`. Add a name only when the
/// sheet's fact catalog has it.
pub const FACT_NAME_ALLOW_LIST: &[&str] = &["AlertsCorrelatedToIncident"];

/// Type of a meta field.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    /// `string`.
    String,
    /// `int64`.
    Int64,
    /// The named message.
    Message(&'static str),
    /// Any message (the sheet gives its content, not its name).
    AnyMessage,
}

/// The sheet's `SreMessageMeta` fields ("on every envelope").
pub const META_FIELDS: &[(&str, FieldType)] = &[
    ("message_id", FieldType::String),
    ("schema_version", FieldType::String),
    ("tenant_id", FieldType::String),
    (
        "occurred_at",
        FieldType::Message("google.protobuf.Timestamp"),
    ),
    ("producer", FieldType::String),
    ("correlation_id", FieldType::String),
    ("causation_id", FieldType::String),
    ("traceparent", FieldType::String),
    ("tracestate", FieldType::String),
    ("actor", FieldType::AnyMessage),
];

/// What an envelope's oneof carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// Intents: names end in `Requested`.
    Intent,
    /// Facts: names are past tense.
    Fact,
}

/// One of the sheet's envelopes and its catalog.
pub struct Envelope {
    /// Full message name.
    pub message: &'static str,
    /// Name of the catalog oneof.
    pub oneof: &'static str,
    /// Full name of the `subject` type.
    pub subject: &'static str,
    /// Intents or facts.
    pub kind: Payload,
    /// Catalog: oneof field number → message name (in the envelope's package).
    pub catalog: &'static [(u32, &'static str)],
}

/// Intent catalog (oneof `intent` of `SreDomainIntent`).
pub const INTENT_CATALOG: &[(u32, &str)] = &[
    (10, "CreateIncidentRequested"),
    (11, "ReclassifyIncidentSeverityRequested"),
    (12, "AssignIncidentRequested"),
    (13, "AddIncidentTimelineEntryRequested"),
    (14, "ResolveIncidentRequested"),
    (15, "CloseIncidentRequested"),
    (16, "AcknowledgeIncidentRequested"),
    (17, "TransitionIncidentStatusRequested"),
    (20, "IngestAlertRequested"),
    (21, "AcknowledgeAlertRequested"),
    (22, "CorrelateAlertsToIncidentRequested"),
    (30, "CreateRunbookRequested"),
    (31, "ExecuteRunbookRequested"),
    (32, "UpdateRunbookRequested"),
    (40, "CreateSLORequested"),
    (41, "RecordSLIWindowRequested"),
    (42, "UpdateSLORequested"),
    (50, "RecordHealthCheckRequested"),
    (51, "RecordFleetStateRequested"),
    (60, "CreateServiceRequested"),
    (61, "UpdateServiceRequested"),
    (62, "DeleteServiceRequested"),
    (70, "CreatePostmortemRequested"),
    (71, "UpdatePostmortemRequested"),
    (72, "PublishPostmortemRequested"),
];

/// Fact catalog (oneof `fact` of `SreDomainFact`).
pub const FACT_CATALOG: &[(u32, &str)] = &[
    (10, "IncidentCreated"),
    (11, "IncidentSeverityChanged"),
    (12, "IncidentAssigned"),
    (13, "IncidentTimelineEntryAdded"),
    (14, "IncidentResolved"),
    (15, "IncidentClosed"),
    (16, "IncidentAcknowledged"),
    (17, "IncidentStatusChanged"),
    (20, "AlertIngested"),
    (21, "AlertAcknowledged"),
    (22, "AlertsCorrelatedToIncident"),
    (30, "RunbookCreated"),
    (31, "RunbookExecutionCompleted"),
    (32, "RunbookUpdated"),
    (40, "SLOCreated"),
    (41, "SLIWindowRecorded"),
    (42, "SLOBudgetExhausted"),
    (43, "SLOUpdated"),
    (50, "HealthCheckRecorded"),
    (51, "FleetStateRecorded"),
    (60, "ServiceCreated"),
    (61, "ServiceUpdated"),
    (62, "ServiceDeleted"),
    (70, "PostmortemCreated"),
    (71, "PostmortemUpdated"),
    (72, "PostmortemPublished"),
];

/// Process fact catalog (oneof `fact` of `SreProcessFact`, workflow IncidentTriage).
pub const PROCESS_FACT_CATALOG: &[(u32, &str)] = &[
    (10, "IncidentTriageStarted"),
    (11, "PatternLookupCompleted"),
    (12, "TriagePhaseCompleted"),
    (13, "RemediationProposed"),
    (14, "RemediationApplied"),
    (15, "VerificationStarted"),
    (16, "VerificationCompleted"),
    (17, "DocumentationRequested"),
    (18, "IncidentTriageCompleted"),
];

/// The sheet's three envelopes.
pub const ENVELOPES: &[Envelope] = &[
    Envelope {
        message: "ameide_core_proto.sre.core.v1.SreDomainIntent",
        oneof: "intent",
        subject: SUBJECT,
        kind: Payload::Intent,
        catalog: INTENT_CATALOG,
    },
    Envelope {
        message: "ameide_core_proto.sre.core.v1.SreDomainFact",
        oneof: "fact",
        subject: SUBJECT,
        kind: Payload::Fact,
        catalog: FACT_CATALOG,
    },
    Envelope {
        message: "ameide_core_proto.sre.process.v1.SreProcessFact",
        oneof: "fact",
        subject: PROCESS_SUBJECT,
        kind: Payload::Fact,
        catalog: PROCESS_FACT_CATALOG,
    },
];

fn is_sre_package(package: &str) -> bool {
    package.starts_with(PACKAGE_PREFIX)
}

/// Whether a message name is past tense by the rule (`ed`, or allow-listed).
pub fn is_past_tense(name: &str) -> bool {
    name.ends_with("ed") || FACT_NAME_ALLOW_LIST.contains(&name)
}

/// Runs every SRE rule.
pub fn check(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    let files: Vec<FileDescriptor> = super::own_files(pool)
        .filter(|f| is_sre_package(f.package_name()) || f.name().starts_with(DIR))
        .collect();
    if files.is_empty() {
        return;
    }
    file_layout(&files, out);
    names(pool, out);
    envelope_meta(pool, out);
    meta_fields(pool, &files, out);
    subject_version(pool, &files, out);
    catalogs(pool, &files, out);
}

fn file_layout(files: &[FileDescriptor], out: &mut Vec<Finding>) {
    for file in files {
        let package = file.package_name();
        let dir = file.name().rsplit_once('/').map_or("", |(d, _)| d);
        let expected = package.replace('.', "/");
        if !is_sre_package(package) {
            out.push(finding(
                file,
                &[2],
                "SRE_FILE_LAYOUT",
                format!(
                    "file {} is under {DIR} but its package {package:?} is not an SRE package ({PACKAGE_PREFIX}*)",
                    file.name()
                ),
            ));
        } else if !file.name().starts_with(DIR) || dir != expected {
            out.push(finding(
                file,
                &[2],
                "SRE_FILE_LAYOUT",
                format!(
                    "file {} of package {package} must live in proto/{expected}/",
                    file.name()
                ),
            ));
        }
    }
}

/// The message types of the non-synthetic oneofs of `envelope`, with the field that
/// carries each.
fn oneof_messages(envelope: &MessageDescriptor) -> Vec<(String, MessageDescriptor)> {
    let mut out = Vec::new();
    for oneof in envelope.oneofs().filter(|o| !o.is_synthetic()) {
        for field in oneof.fields() {
            if let Kind::Message(m) = field.kind() {
                out.push((
                    format!("{}.{} = {}", envelope.name(), field.name(), field.number()),
                    m,
                ));
            }
        }
    }
    out
}

fn names(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for envelope in ENVELOPES {
        let Some(message) = pool.get_message_by_name(envelope.message) else {
            continue;
        };
        for (field, payload) in oneof_messages(&message) {
            let name = payload.name();
            let (ok, rule, want) = match envelope.kind {
                Payload::Intent => (
                    name.ends_with("Requested"),
                    "SRE_INTENT_NAME",
                    "an intent must end in \"Requested\"",
                ),
                Payload::Fact => (
                    is_past_tense(name),
                    "SRE_FACT_NAME",
                    "a fact must be past tense: end in \"ed\" or be in FACT_NAME_ALLOW_LIST (xtask/src/lint/sre.rs)",
                ),
            };
            if !ok && seen.insert((rule, payload.full_name().to_string())) {
                out.push(finding(
                    &payload.parent_file(),
                    payload.path(),
                    rule,
                    format!("message {name} (carried by {field}): {want}"),
                ));
            }
        }
    }
}

/// The envelopes: the sheet's three, and every SRE message with `meta`, `subject` and
/// a (non-synthetic) oneof.
fn envelopes(pool: &DescriptorPool) -> Vec<MessageDescriptor> {
    pool.all_messages()
        .filter(|m| is_sre_package(m.package_name()))
        .filter(|m| {
            ENVELOPES.iter().any(|e| e.message == m.full_name())
                || (m.get_field_by_name("meta").is_some()
                    && m.get_field_by_name("subject").is_some()
                    && m.oneofs().any(|o| !o.is_synthetic()))
        })
        .collect()
}

fn envelope_meta(pool: &DescriptorPool, out: &mut Vec<Finding>) {
    for envelope in envelopes(pool) {
        let file = envelope.parent_file();
        match envelope.get_field_by_name("meta") {
            None => out.push(finding(
                &file,
                envelope.path(),
                "SRE_ENVELOPE_META",
                format!("envelope {} has no `meta` field ({META})", envelope.name()),
            )),
            Some(meta) => {
                let ok = !meta.is_list()
                    && !meta.is_map()
                    && matches!(meta.kind(), Kind::Message(m) if m.full_name() == META);
                if !ok {
                    out.push(finding(
                        &file,
                        meta.path(),
                        "SRE_ENVELOPE_META",
                        format!("{}.meta must be a singular {META}", envelope.name()),
                    ));
                }
            }
        }
    }
}

fn type_ok(field: &prost_reflect::FieldDescriptor, want: FieldType) -> bool {
    if field.is_list() || field.is_map() {
        return false;
    }
    match (want, field.kind()) {
        (FieldType::String, Kind::String) | (FieldType::Int64, Kind::Int64) => true,
        (FieldType::Message(name), Kind::Message(m)) => m.full_name() == name,
        (FieldType::AnyMessage, Kind::Message(_)) => true,
        _ => false,
    }
}

fn type_name(want: FieldType) -> String {
    match want {
        FieldType::String => "string".into(),
        FieldType::Int64 => "int64".into(),
        FieldType::Message(name) => name.into(),
        FieldType::AnyMessage => "a message".into(),
    }
}

/// Where to report something missing from the SRE pack: the first file of `package`,
/// else the first SRE file, at 1:1.
fn missing_at<'a>(files: &'a [FileDescriptor], package: &str) -> &'a FileDescriptor {
    files
        .iter()
        .find(|f| f.package_name() == package)
        .unwrap_or(&files[0])
}

fn required_fields(
    pool: &DescriptorPool,
    files: &[FileDescriptor],
    message: &str,
    fields: &[(&str, FieldType)],
    rule: &str,
    out: &mut Vec<Finding>,
) {
    let Some(descriptor) = pool.get_message_by_name(message) else {
        out.push(finding(
            missing_at(files, package_of(message)),
            &[],
            rule,
            format!("message {message} is missing"),
        ));
        return;
    };
    let file = descriptor.parent_file();
    for (name, want) in fields {
        match descriptor.get_field_by_name(name) {
            None => out.push(finding(
                &file,
                descriptor.path(),
                rule,
                format!(
                    "{} has no field `{name}` ({}); the sheet requires {}",
                    descriptor.name(),
                    type_name(*want),
                    fields
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(field) if !type_ok(&field, *want) => out.push(finding(
                &file,
                field.path(),
                rule,
                format!(
                    "{}.{name} must be a singular {}",
                    descriptor.name(),
                    type_name(*want)
                ),
            )),
            Some(_) => {}
        }
    }
}

fn meta_fields(pool: &DescriptorPool, files: &[FileDescriptor], out: &mut Vec<Finding>) {
    required_fields(pool, files, META, META_FIELDS, "SRE_META_FIELDS", out);
}

fn subject_version(pool: &DescriptorPool, files: &[FileDescriptor], out: &mut Vec<Finding>) {
    required_fields(
        pool,
        files,
        SUBJECT,
        &[("aggregate_version", FieldType::Int64)],
        "SRE_SUBJECT_VERSION",
        out,
    );
}

fn catalogs(pool: &DescriptorPool, files: &[FileDescriptor], out: &mut Vec<Finding>) {
    const RULE: &str = "SRE_CATALOG";
    for envelope in ENVELOPES {
        let Some(message) = pool.get_message_by_name(envelope.message) else {
            out.push(finding(
                missing_at(files, package_of(envelope.message)),
                &[],
                RULE,
                format!("envelope {} is missing", envelope.message),
            ));
            continue;
        };
        let file = message.parent_file();
        let name = message.name();
        for (field, number, type_) in [("meta", 1, META), ("subject", 2, envelope.subject)] {
            match message.get_field_by_name(field) {
                Some(f) if f.number() == number => {
                    if field == "subject"
                        && !matches!(f.kind(), Kind::Message(m) if m.full_name() == type_)
                    {
                        out.push(finding(
                            &file,
                            f.path(),
                            RULE,
                            format!("{name}.subject must be of type {type_}"),
                        ));
                    }
                }
                Some(f) => out.push(finding(
                    &file,
                    f.path(),
                    RULE,
                    format!("{name}.{field} must be field {number}, not {}", f.number()),
                )),
                None => out.push(finding(
                    &file,
                    message.path(),
                    RULE,
                    format!("{name} has no `{field}` field (= {number}, {type_})"),
                )),
            }
        }
        let Some(oneof) = message.oneofs().find(|o| o.name() == envelope.oneof) else {
            out.push(finding(
                &file,
                message.path(),
                RULE,
                format!("{name} has no oneof `{}`", envelope.oneof),
            ));
            continue;
        };
        let mut missing = Vec::new();
        for &(number, expected) in envelope.catalog {
            match oneof.fields().find(|f| f.number() == number) {
                None => missing.push(format!("{number} = {expected}")),
                Some(f) => {
                    let actual = match f.kind() {
                        Kind::Message(m) => m.name().to_string(),
                        other => format!("{other:?}"),
                    };
                    if actual != expected {
                        out.push(finding(
                            &file,
                            f.path(),
                            RULE,
                            format!(
                                "{name}.{} = {number} carries {actual}: the catalog gives {number} = {expected}",
                                f.name()
                            ),
                        ));
                    }
                }
            }
        }
        if !missing.is_empty() {
            out.push(finding(
                &file,
                oneof.path(),
                RULE,
                format!(
                    "{name}.{} lacks catalog entries: {}",
                    envelope.oneof,
                    missing.join(", ")
                ),
            ));
        }
        for f in oneof.fields() {
            if !envelope.catalog.iter().any(|&(n, _)| n == f.number()) {
                out.push(finding(
                    &file,
                    f.path(),
                    RULE,
                    format!(
                        "{name}.{} = {} is not in the catalog (xtask/src/lint/sre.rs mirrors the sheet)",
                        f.name(),
                        f.number()
                    ),
                ));
            }
        }
    }
}
