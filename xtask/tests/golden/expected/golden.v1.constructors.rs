
/// `golden.v1.Happened` with a UUIDv7 `event_id`, the tenant and `timestamp` = now.
impl crate::NewEvent for Happened {
    fn new_event(tenant_id: impl ::core::convert::Into<::prost::alloc::string::String>) -> Self {
        Self {
            event_id: ::common_eventing::ids::uuid_v7(),
            tenant_id: tenant_id.into(),
            timestamp: ::core::option::Option::Some(::common_eventing::wkt::Timestamp::now()),
            ..::core::default::Default::default()
        }
    }
}

/// `golden.v1.Counted` with a UUIDv7 `event_id`, the tenant and `timestamp_ms` = now, in milliseconds since the Unix epoch.
impl crate::NewEvent for Counted {
    fn new_event(tenant_id: impl ::core::convert::Into<::prost::alloc::string::String>) -> Self {
        Self {
            event_id: ::common_eventing::ids::uuid_v7(),
            tenant_id: tenant_id.into(),
            timestamp_ms: {
                let now = ::common_eventing::wkt::Timestamp::now();
                now.seconds * 1000 + i64::from(now.nanos / 1_000_000)
            },
            ..::core::default::Default::default()
        }
    }
}
