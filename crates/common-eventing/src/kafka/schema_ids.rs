//! [`SchemaIds`]: the schema id of each event type, registered once with a schema
//! registry (feature `schema-registry-converter`).

use std::collections::HashMap;
use std::sync::Mutex;

use schema_registry_converter::async_impl::schema_registry::{SrSettings, post_schema};
use schema_registry_converter::error::SRCError;

use crate::Eventing;
use crate::registry::ProtoSchema;

/// The schema ids of event types, from a Confluent-compatible registry: the first
/// [`id_of::<M>`](Self::id_of) registers `M`'s file and its references (what
/// confluent-kafka's `ProtobufSerializer` registers) under `M::SCHEMA_SUBJECT` with
/// `schema_registry_converter`'s `post_schema`; later calls answer from memory.
///
/// ```no_run
/// # async fn demo<M: common_eventing::Eventing + common_eventing::registry::ProtoSchema + common_eventing::validate::Validate>(event: M)
/// # -> Result<(), Box<dyn std::error::Error>> {
/// use common_eventing::kafka::{KafkaRecord, SchemaIds};
/// use schema_registry_converter::async_impl::schema_registry::SrSettings;
///
/// let ids = SchemaIds::new(SrSettings::new("http://localhost:8081".into()));
/// let record = KafkaRecord::from_event(&event, ids.id_of::<M>().await?)?;
/// # Ok(()) }
/// ```
pub struct SchemaIds {
    settings: SrSettings,
    ids: Mutex<HashMap<&'static str, u32>>,
}

impl std::fmt::Debug for SchemaIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaIds")
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl SchemaIds {
    /// Ids from the registry `settings` point at.
    pub fn new(settings: SrSettings) -> Self {
        Self {
            settings,
            ids: Mutex::default(),
        }
    }

    /// The id of `M`'s schema, registered under `M::SCHEMA_SUBJECT` on first use.
    pub async fn id_of<M: Eventing + ProtoSchema>(&self) -> Result<u32, SRCError> {
        if let Some(id) = self.lock().get(M::FULL_NAME) {
            return Ok(*id);
        }
        let registered = post_schema(
            &self.settings,
            M::SCHEMA_SUBJECT.to_owned(),
            M::supplied_schema(),
        )
        .await?;
        self.lock().insert(M::FULL_NAME, registered.id);
        Ok(registered.id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, u32>> {
        // A panic elsewhere while holding the map leaves it consistent (one insert).
        self.ids.lock().unwrap_or_else(|e| e.into_inner())
    }
}
