//! [`Router`]: which handler takes a record, by its `ce_type` or its topic.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::RecordRef;
use super::dead_letter::Reason;
use crate::Eventing;
use crate::registry::ProtoSchema;
use crate::validate::Validate;

/// What a handler returns when it cannot take an event: the record is dead-lettered
/// with this error's text.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// Where a handled record came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Its topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// Its key, when it has one.
    pub key: Option<Vec<u8>>,
    /// Its headers, in order.
    pub headers: Vec<(String, Vec<u8>)>,
}

type Handled = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;
/// Decodes a record (checking the contract's rules when asked) and starts its handler.
type Decoder =
    Box<dyn FnMut(&RecordRef<'_>, Received, bool) -> Result<Handled, String> + Send + 'static>;

struct Route {
    topic: String,
    stable_type: &'static str,
    full_name: &'static str,
    decode: Decoder,
}

/// The handlers of a [`Consumer`](super::Consumer), one per event type.
///
/// A record with a `ce_type` header goes to the handler of that type; one without
/// (what confluent-kafka's `SerializingProducer` writes) goes to the one handler of its
/// topic. Anything else is dead-lettered as [`Reason::NoRoute`].
#[derive(Default)]
pub struct Router {
    routes: Vec<Route>,
    validate: bool,
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.routes.iter().map(|r| (&r.topic, r.full_name)))
            .finish()
    }
}

/// Why a record found no handler, or did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub reason: Reason,
    pub error: String,
}

impl Router {
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks every event against its `buf.validate` rules before its handler sees
    /// it: an event that breaks its contract is dead-lettered (`dlq.reason` `decode`,
    /// `dlq.error` naming every field that broke a rule), like one that does not decode.
    pub fn validating(self) -> Self {
        Self {
            validate: true,
            ..self
        }
    }

    /// Handles events of type `M` from its stream (`M::STREAM_REF`).
    pub fn on<M, F, Fut>(self, handler: F) -> Self
    where
        M: Eventing + ProtoSchema + Validate + Default + Send + 'static,
        F: FnMut(M, Received) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.on_topic::<M, F, Fut>(M::STREAM_REF, handler)
    }

    /// Handles events of type `M` from `topic`.
    pub fn on_topic<M, F, Fut>(mut self, topic: &str, mut handler: F) -> Self
    where
        M: Eventing + ProtoSchema + Validate + Default + Send + 'static,
        F: FnMut(M, Received) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.routes.push(Route {
            topic: topic.to_owned(),
            stable_type: M::STABLE_TYPE,
            full_name: M::FULL_NAME,
            decode: Box::new(move |record, received, validate| {
                let event = if validate {
                    record.decode_valid::<M>()
                } else {
                    record.decode::<M>()
                }
                .map_err(|e| e.to_string())?;
                Ok(Box::pin(handler(event, received)) as Handled)
            }),
        });
        self
    }

    /// The topics to subscribe to, each once.
    pub fn topics(&self) -> Vec<&str> {
        let mut topics: Vec<&str> = self.routes.iter().map(|r| r.topic.as_str()).collect();
        topics.sort_unstable();
        topics.dedup();
        topics
    }

    /// Decodes `record` for its handler and returns the handler's future.
    pub(crate) fn route(
        &mut self,
        record: &RecordRef<'_>,
        received: Received,
    ) -> Result<Handled, Refusal> {
        let refuse = |reason, error: String| Refusal { reason, error };
        let validate = self.validate;
        let event_type = record
            .event_type()
            .map_err(|e| refuse(Reason::Decode, e.to_string()))?;
        let on_topic = |r: &&mut Route| r.topic == record.topic;
        let mut candidates: Vec<&mut Route> = self.routes.iter_mut().filter(on_topic).collect();
        let route = match event_type {
            Some(found) => {
                let position = candidates.iter().position(|r| r.stable_type == found);
                match position {
                    Some(i) => candidates.swap_remove(i),
                    None => {
                        return Err(refuse(
                            Reason::NoRoute,
                            format!(
                                "no handler for ce_type {found:?} on topic {:?} (handled: {})",
                                record.topic,
                                handled(&candidates)
                            ),
                        ));
                    }
                }
            }
            None if candidates.len() == 1 => candidates.swap_remove(0),
            None => {
                return Err(refuse(
                    Reason::NoRoute,
                    format!(
                        "record without ce_type on topic {:?}, which {} handlers take ({})",
                        record.topic,
                        candidates.len(),
                        handled(&candidates)
                    ),
                ));
            }
        };
        let full_name = route.full_name;
        (route.decode)(record, received, validate)
            .map_err(|e| refuse(Reason::Decode, format!("not a valid {full_name}: {e}")))
    }
}

fn handled(routes: &[&mut Route]) -> String {
    if routes.is_empty() {
        return "none".to_owned();
    }
    routes
        .iter()
        .map(|r| r.stable_type)
        .collect::<Vec<_>>()
        .join(", ")
}
