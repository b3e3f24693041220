
/// Routing of `golden.v1.Counted` (stream `golden.facts.v1`), from its eventing option.
impl ::common_eventing::Eventing for Counted {
    const STABLE_TYPE: &'static str = "golden.counted.v1";
    const SCHEMA_SUBJECT: &'static str = "golden.facts.v1-value";
    const STREAM_REF: &'static str = "golden.facts.v1";
    const PARTITION_KEY_FIELDS: &'static [&'static str] = &["tenant_id"];
    const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &["event_id"];
    fn partition_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {
        ::prost::alloc::vec![self.tenant_id.clone()]
    }
    fn idempotency_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {
        ::prost::alloc::vec![self.event_id.clone()]
    }
    fn event_fields(&self) -> ::common_eventing::eventing::EventFields<'_> {
        ::common_eventing::eventing::EventFields {
            id: ::core::option::Option::Some(::common_eventing::eventing::Field { path: "event_id", value: self.event_id.as_str() }),
            time: ::core::option::Option::None,
            source: ::core::option::Option::None,
            traceparent: ::core::option::Option::None,
            tracestate: ::core::option::Option::None,
        }
    }
}

/// Routing of `golden.v1.Happened` (stream `golden.facts.v1`), from its eventing option.
impl ::common_eventing::Eventing for Happened {
    const STABLE_TYPE: &'static str = "golden.happened.v1";
    const SCHEMA_SUBJECT: &'static str = "golden.facts.v1-value";
    const STREAM_REF: &'static str = "golden.facts.v1";
    const PARTITION_KEY_FIELDS: &'static [&'static str] = &["tenant_id"];
    const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &["event_id"];
    fn partition_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {
        ::prost::alloc::vec![self.tenant_id.clone()]
    }
    fn idempotency_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {
        ::prost::alloc::vec![self.event_id.clone()]
    }
    fn event_fields(&self) -> ::common_eventing::eventing::EventFields<'_> {
        ::common_eventing::eventing::EventFields {
            id: ::core::option::Option::Some(::common_eventing::eventing::Field { path: "event_id", value: self.event_id.as_str() }),
            time: self.timestamp.as_ref().map(|value| ::common_eventing::eventing::Field { path: "timestamp", value }),
            source: ::core::option::Option::None,
            traceparent: ::core::option::Option::None,
            tracestate: ::core::option::Option::None,
        }
    }
}

/// Routing of `golden.v1.Traced` (stream `golden.traced.v1`), from its eventing option.
impl ::common_eventing::Eventing for Traced {
    const STABLE_TYPE: &'static str = "golden.traced.v1";
    const SCHEMA_SUBJECT: &'static str = "golden.traced.v1-value";
    const STREAM_REF: &'static str = "golden.traced.v1";
    const PARTITION_KEY_FIELDS: &'static [&'static str] = &["meta.message_id"];
    const IDEMPOTENCY_KEY_FIELDS: &'static [&'static str] = &["meta.message_id"];
    fn partition_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {
        ::prost::alloc::vec![self.meta.as_ref().map(|m| m.message_id.clone()).unwrap_or_default()]
    }
    fn idempotency_key_values(&self) -> ::prost::alloc::vec::Vec<::prost::alloc::string::String> {
        ::prost::alloc::vec![self.meta.as_ref().map(|m| m.message_id.clone()).unwrap_or_default()]
    }
    fn event_fields(&self) -> ::common_eventing::eventing::EventFields<'_> {
        ::common_eventing::eventing::EventFields {
            id: self.meta.as_ref().map(|m| ::common_eventing::eventing::Field { path: "meta.message_id", value: m.message_id.as_str() }),
            time: self.meta.as_ref().and_then(|m| m.occurred_at.as_ref()).map(|value| ::common_eventing::eventing::Field { path: "meta.occurred_at", value }),
            source: self.meta.as_ref().and_then(|m| m.producer.as_deref()).map(|value| ::common_eventing::eventing::Field { path: "meta.producer", value }),
            traceparent: self.meta.as_ref().and_then(|m| m.traceparent.as_deref()).map(|value| ::common_eventing::eventing::Field { path: "meta.traceparent", value }),
            tracestate: self.tracestate.as_deref().map(|value| ::common_eventing::eventing::Field { path: "tracestate", value }),
        }
    }
}
