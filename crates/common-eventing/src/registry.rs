//! Schema-registry registration of the workspace's messages, as Confluent's
//! serializers do it.
//!
//! Every crate of the workspace ships the exact text of its `.proto` files
//! ([`ProtoFile`], in each crate's `PROTO_FILES`), and `cargo xtask codegen` implements
//! [`ProtoSchema`] for every message generated from them. For a message,
//! [`ProtoSchema::registration`] gives what a Confluent-compatible registry needs:
//!
//! - [`Registration::schema`]: the text of the file that declares the message;
//! - [`Registration::references`]: every file that file needs, transitively and across
//!   crates, in registration order (each after the files it imports), each with its
//!   import path (`name`), the `subject` it is registered under, its `version` once
//!   registered, and its text (`schema`).
//!
//! It follows confluent-kafka's `ProtobufSerializer` (with `auto.register.schemas`):
//!
//! - A reference's subject is its import path
//!   (`ameide_core_proto/sre/core/v1/sre.proto`): the default
//!   `reference.subject.name.strategy` of the Python, Java, Go and .NET serializers.
//! - `google/protobuf/*`, `google/type/*` and `confluent/*` imports are the
//!   registry's built-ins (`skip.known.types`, on by default): they are never
//!   registered and never listed as references, and the registry resolves them itself.
//! - The record's subject is the eventing option's `schema_subject`
//!   ([`ProtoSchema::DECLARED_SUBJECT`]) or, for any message and topic, the
//!   TopicNameStrategy ([`topic_name_strategy`]: `{topic}-value`).
//!
//! `tests/tests/schema_registry.rs` checks all of this against confluent-kafka 2.16's
//! serializer and its in-memory registry, for every event message of the workspace.
//!
//! With the feature `schema-registry-converter`, a [`Registration`] converts into the
//! `SuppliedSchema` of the [`schema_registry_converter`] crate, whose `post_schema`
//! registers the references and the schema and returns the schema id:
//!
//! ```no_run
//! # #[cfg(feature = "schema-registry-converter")]
//! # async fn register() -> Result<(), schema_registry_converter::error::SRCError> {
//! use common_eventing::options::v1::EventingOptions;
//! use common_eventing::registry::ProtoSchema;
//! use schema_registry_converter::async_impl::schema_registry::{SrSettings, post_schema};
//!
//! let settings = SrSettings::new("http://localhost:8081".into());
//! let subject = common_eventing::registry::topic_name_strategy("options", false);
//! let registered = post_schema(&settings, subject, EventingOptions::supplied_schema()).await?;
//! println!("schema id {}", registered.id);
//! # Ok(())
//! # }
//! ```

use std::fmt;

/// One `.proto` file of the workspace: its import path, package and exact text
/// (comments kept), and the files it imports.
///
/// Each crate exports its own files as `PROTO_FILES` (and one `static` per file in its
/// `proto_files` module); [`ProtoFile::dependencies`] points into other crates where an
/// import does.
#[derive(Debug)]
pub struct ProtoFile {
    /// The import path, relative to the proto root
    /// (`ameide_core_proto/sre/core/v1/facts.proto`).
    pub name: &'static str,
    /// The proto package (`ameide_core_proto.sre.core.v1`).
    pub package: &'static str,
    /// The file's text, byte for byte as in the workspace's `proto/` folder.
    pub text: &'static str,
    /// Every `import` of the file, in declaration order, built-ins included.
    pub imports: &'static [&'static str],
    /// The imported files that are not registry built-ins ([`is_builtin`]), in
    /// declaration order.
    pub dependencies: &'static [&'static ProtoFile],
}

impl PartialEq for ProtoFile {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Eq for ProtoFile {}

/// Whether a registry knows the file without it being registered: Confluent's
/// `google/protobuf/*`, `google/type/*` and `confluent/*` built-ins (what its
/// serializers skip with `skip.known.types`, the default).
pub fn is_builtin(import: &str) -> bool {
    import.starts_with("google/protobuf/")
        || import.starts_with("google/type/")
        || import.starts_with("confluent/")
}

/// The TopicNameStrategy subject of a topic: `{topic}-key` for record keys,
/// `{topic}-value` for record values (Confluent's default subject name strategy).
///
/// ```
/// use common_eventing::registry::topic_name_strategy;
/// assert_eq!(topic_name_strategy("sre.domain.facts.v1", false), "sre.domain.facts.v1-value");
/// assert_eq!(topic_name_strategy("sre.domain.facts.v1", true), "sre.domain.facts.v1-key");
/// ```
pub fn topic_name_strategy(topic: &str, is_key: bool) -> String {
    format!("{topic}-{}", if is_key { "key" } else { "value" })
}

/// A message generated from one of the workspace's `.proto` files, with what a schema
/// registry and the Confluent framing need to know about it. Implemented by
/// `cargo xtask codegen` for every message (nested ones included; map entries have no
/// Rust type). Its messages are written by the workspace's one encoder
/// ([`Encode`](crate::encode::Encode)).
pub trait ProtoSchema: prost::Message + prost::Name + crate::encode::Encode {
    /// The fully-qualified proto name (`ameide_core_proto.sre.core.v1.SreDomainFact`),
    /// as a constant (`prost::Name::full_name` allocates).
    const FULL_NAME: &'static str;

    /// The file declaring the message.
    const FILE: &'static ProtoFile;

    /// The message's Confluent message-index path within [`FILE`](Self::FILE): `[k]`
    /// for the k-th top-level message (zero-based, declaration order), `[k, j]` for
    /// the j-th message nested in it, and so on; computed once, by codegen.
    ///
    /// Map fields make protobuf synthesize a nested `...Entry` message. confluent-kafka
    /// (Python) and Go count those entries among the nested messages, Java and
    /// `schema_registry_converter` count declared messages only. The two agree unless
    /// a map field comes before a nested message declaration, and codegen refuses any
    /// message of the workspace where they would differ, so the path here is the one
    /// every Confluent client computes.
    const MESSAGE_INDEXES: &'static [i32];

    /// The subject the message's eventing option declares (`schema_subject`), for
    /// event messages; `None` otherwise (use [`topic_name_strategy`] for the topic).
    const DECLARED_SUBJECT: Option<&'static str>;

    /// What registering the message's schema takes: the text of its file and every
    /// file that one needs (see the [module docs](self)).
    fn registration() -> Registration {
        Registration::for_file(Self::FILE)
    }

    /// The registration as `schema_registry_converter`'s supplied schema, named after
    /// the message (for the record-name strategies).
    #[cfg(feature = "schema-registry-converter")]
    fn supplied_schema() -> schema_registry_converter::schema_registry_common::SuppliedSchema {
        Self::registration().to_supplied_schema(Some(Self::FULL_NAME.to_owned()))
    }
}

/// The schema of a `.proto` file and every reference it needs, in registration order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Registration {
    /// The root file.
    pub file: &'static ProtoFile,
    /// The root file's text: the schema registered under the record's subject.
    pub schema: &'static str,
    /// Every non-built-in file the root needs, transitively, each once, each after
    /// the files it imports (so registering them in this order always works).
    pub references: Vec<Reference>,
}

/// One schema reference: a file imported, directly or not, by the registered schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reference {
    /// The import path, as the importing file's `import` statement spells it.
    pub name: &'static str,
    /// The subject the file is registered under: its import path (Confluent's default
    /// reference subject name strategy), unless changed with
    /// [`Registration::with_reference_subjects`].
    pub subject: String,
    /// The version the registry gave the file under [`subject`](Self::subject):
    /// `None` until known (registries assign versions; set them with
    /// [`Registration::set_version`] after registering a reference yourself).
    pub version: Option<u32>,
    /// The file's text.
    pub schema: &'static str,
    /// The file.
    pub file: &'static ProtoFile,
}

impl Registration {
    /// The registration of `file`: its text and its references, in registration order.
    pub fn for_file(file: &'static ProtoFile) -> Self {
        fn visit(file: &'static ProtoFile, out: &mut Vec<Reference>) {
            for dependency in file.dependencies {
                if is_builtin(dependency.name) || out.iter().any(|r| r.name == dependency.name) {
                    continue;
                }
                visit(dependency, out);
                out.push(Reference {
                    name: dependency.name,
                    subject: dependency.name.to_owned(),
                    version: None,
                    schema: dependency.text,
                    file: dependency,
                });
            }
        }
        let mut references = Vec::new();
        visit(file, &mut references);
        Self {
            file,
            schema: file.text,
            references,
        }
    }

    /// The references the root file imports itself (what the registry expects in the
    /// root schema's `references`), in import order.
    pub fn direct_references(&self) -> impl Iterator<Item = &Reference> {
        self.imports_of(self.file)
    }

    /// The references `reference` imports itself (what the registry expects in that
    /// reference's own `references`), in import order.
    pub fn references_of<'a>(
        &'a self,
        reference: &Reference,
    ) -> impl Iterator<Item = &'a Reference> {
        self.imports_of(reference.file)
    }

    fn imports_of(&self, file: &'static ProtoFile) -> impl Iterator<Item = &Reference> {
        file.dependencies
            .iter()
            .filter_map(|d| self.references.iter().find(|r| r.name == d.name))
    }

    /// Replaces every reference subject by `strategy(import path)`, for registries
    /// set up with another reference subject name strategy.
    pub fn with_reference_subjects(mut self, strategy: impl Fn(&str) -> String) -> Self {
        for reference in &mut self.references {
            reference.subject = strategy(reference.name);
        }
        self
    }

    /// Records the registry's version of the reference `name`; an error names the
    /// import path when the schema has no such reference.
    pub fn set_version(&mut self, name: &str, version: u32) -> Result<(), UnknownReference> {
        let reference = self
            .references
            .iter_mut()
            .find(|r| r.name == name)
            .ok_or_else(|| UnknownReference {
                root: self.file.name,
                name: name.to_owned(),
            })?;
        reference.version = Some(version);
        Ok(())
    }

    /// The registration as `schema_registry_converter`'s supplied schema: the root
    /// text, and each reference nested under the files that import it (that crate's
    /// `post_schema` registers them depth first, as Confluent's serializers do).
    /// `name` is the record name for the record-name strategies.
    #[cfg(feature = "schema-registry-converter")]
    pub fn to_supplied_schema(
        &self,
        name: Option<String>,
    ) -> schema_registry_converter::schema_registry_common::SuppliedSchema {
        use schema_registry_converter::schema_registry_common::{
            SchemaType, SuppliedReference, SuppliedSchema,
        };
        fn supplied(registration: &Registration, reference: &Reference) -> SuppliedReference {
            SuppliedReference::new(
                reference.name.to_owned(),
                reference.subject.clone(),
                reference.schema.to_owned(),
            )
            .with_references(
                registration
                    .references_of(reference)
                    .map(|r| supplied(registration, r))
                    .collect(),
            )
        }
        SuppliedSchema::new(name, SchemaType::Protobuf, self.schema.to_owned()).with_references(
            self.direct_references()
                .map(|r| supplied(self, r))
                .collect(),
        )
    }
}

#[cfg(feature = "schema-registry-converter")]
impl From<Registration> for schema_registry_converter::schema_registry_common::SuppliedSchema {
    fn from(registration: Registration) -> Self {
        registration.to_supplied_schema(None)
    }
}

/// [`Registration::set_version`] was given an import path the schema does not need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownReference {
    /// The registered file.
    pub root: &'static str,
    /// The import path given.
    pub name: String,
}

impl fmt::Display for UnknownReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: no schema reference named {:?} (not imported, directly or not, or a registry built-in)",
            self.root, self.name
        )
    }
}

impl std::error::Error for UnknownReference {}

#[cfg(test)]
mod tests {
    use super::*;

    static BUILTIN: ProtoFile = ProtoFile {
        name: "google/protobuf/timestamp.proto",
        package: "google.protobuf",
        text: "",
        imports: &[],
        dependencies: &[],
    };
    static BASE: ProtoFile = ProtoFile {
        name: "a/base.proto",
        package: "a",
        text: "syntax = \"proto3\"; package a; message Base {}",
        imports: &["google/protobuf/timestamp.proto"],
        dependencies: &[&BUILTIN],
    };
    static MID: ProtoFile = ProtoFile {
        name: "a/mid.proto",
        package: "a",
        text: "mid",
        imports: &["a/base.proto"],
        dependencies: &[&BASE],
    };
    static OTHER: ProtoFile = ProtoFile {
        name: "b/other.proto",
        package: "b",
        text: "other",
        imports: &["a/base.proto"],
        dependencies: &[&BASE],
    };
    static ROOT: ProtoFile = ProtoFile {
        name: "c/root.proto",
        package: "c",
        text: "root",
        imports: &[
            "a/mid.proto",
            "google/protobuf/timestamp.proto",
            "b/other.proto",
        ],
        dependencies: &[&MID, &BUILTIN, &OTHER],
    };

    #[test]
    fn references_are_transitive_deduplicated_and_in_registration_order() {
        let registration = Registration::for_file(&ROOT);
        assert_eq!(registration.schema, "root");
        let names: Vec<_> = registration.references.iter().map(|r| r.name).collect();
        assert_eq!(names, ["a/base.proto", "a/mid.proto", "b/other.proto"]);
        let subjects: Vec<_> = registration
            .references
            .iter()
            .map(|r| r.subject.as_str())
            .collect();
        assert_eq!(subjects, names);
        assert!(registration.references.iter().all(|r| r.version.is_none()));
        let direct: Vec<_> = registration.direct_references().map(|r| r.name).collect();
        assert_eq!(direct, ["a/mid.proto", "b/other.proto"]);
        let of_mid: Vec<_> = registration
            .references_of(&registration.references[1])
            .map(|r| r.name)
            .collect();
        assert_eq!(of_mid, ["a/base.proto"]);
        assert_eq!(registration.references[0].schema, BASE.text);
        // A file importing only built-ins has no references.
        assert!(Registration::for_file(&BUILTIN).references.is_empty());
        assert!(Registration::for_file(&BASE).references.is_empty());
    }

    #[test]
    fn versions_and_subject_strategies() {
        let mut registration =
            Registration::for_file(&ROOT).with_reference_subjects(|name| format!("refs.{name}"));
        assert_eq!(registration.references[0].subject, "refs.a/base.proto");
        registration.set_version("a/mid.proto", 3).unwrap();
        assert_eq!(registration.references[1].version, Some(3));
        let err = registration
            .set_version("google/protobuf/timestamp.proto", 1)
            .unwrap_err();
        assert!(err.to_string().contains("c/root.proto"), "{err}");
        assert!(
            err.to_string().contains("google/protobuf/timestamp.proto"),
            "{err}"
        );
    }

    #[test]
    fn builtins_are_confluents() {
        assert!(is_builtin("google/protobuf/descriptor.proto"));
        assert!(is_builtin("google/type/money.proto"));
        assert!(is_builtin("confluent/meta.proto"));
        assert!(!is_builtin("google/api/annotations.proto"));
        assert!(!is_builtin("ameide_core_proto/common/v1/eventing.proto"));
    }

    #[test]
    #[cfg(feature = "schema-registry-converter")]
    fn supplied_schema_nests_references_under_their_importers() {
        let supplied = Registration::for_file(&ROOT).to_supplied_schema(Some("c.Root".into()));
        assert_eq!(supplied.name.as_deref(), Some("c.Root"));
        assert_eq!(supplied.schema, "root");
        let top: Vec<_> = supplied
            .references
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(top, ["a/mid.proto", "b/other.proto"]);
        for r in &supplied.references {
            assert_eq!(r.subject, r.name);
            let nested: Vec<_> = r.references.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(nested, ["a/base.proto"]);
            assert!(r.references[0].references.is_empty());
        }
    }
}
