impl serde::Serialize for Meta {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.message_id.is_empty() { m.serialize_entry("messageId", &rt::W::<rt::Str>(&self.message_id))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Meta {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Meta;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Meta)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Meta, A::Error> {
                let mut m = <Meta as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "messageId" | "message_id" => {
                        seen.mark::<A::Error>(0, "messageId")?;
                        let _field = rt::field("messageId");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.message_id = v; }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Meta")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for Subject {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.id.is_empty() { m.serialize_entry("id", &rt::W::<rt::Str>(&self.id))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Subject {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Subject;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Subject)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Subject, A::Error> {
                let mut m = <Subject as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "id" => {
                        seen.mark::<A::Error>(0, "id")?;
                        let _field = rt::field("id");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.id = v; }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Subject")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for Happened {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.event_id.is_empty() { m.serialize_entry("eventId", &rt::W::<rt::Str>(&self.event_id))?; }
        if !self.tenant_id.is_empty() { m.serialize_entry("tenantId", &rt::W::<rt::Str>(&self.tenant_id))?; }
        if let ::core::option::Option::Some(v) = &self.timestamp { m.serialize_entry("timestamp", &rt::W::<rt::Msg<::common_eventing::wkt::Timestamp>>(v))?; }
        if !self.details_json.is_empty() { m.serialize_entry("detailsJson", &rt::W::<rt::Bytes>(&self.details_json))?; }
        if self.created_at != 0 { m.serialize_entry("createdAt", &rt::W::<rt::I64>(&self.created_at))?; }
        if self.duration_ms != 0 { m.serialize_entry("durationMs", &rt::W::<rt::I64>(&self.duration_ms))?; }
        if !self.labels.is_empty() { m.serialize_entry("labels", &rt::W::<rt::Map<rt::Str, rt::Msg<Subject>>>(&self.labels))?; }
        if !self.parts.is_empty() { m.serialize_entry("parts", &rt::W::<rt::Rep<rt::Msg<happened::Part>>>(&self.parts))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Happened {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Happened;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Happened)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Happened, A::Error> {
                let mut m = <Happened as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "eventId" | "event_id" => {
                        seen.mark::<A::Error>(0, "eventId")?;
                        let _field = rt::field("eventId");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.event_id = v; }
                    }
                    "tenantId" | "tenant_id" => {
                        seen.mark::<A::Error>(1, "tenantId")?;
                        let _field = rt::field("tenantId");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.tenant_id = v; }
                    }
                    "timestamp" => {
                        seen.mark::<A::Error>(2, "timestamp")?;
                        let _field = rt::field("timestamp");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<::common_eventing::wkt::Timestamp>>(&mut map)? { m.timestamp = ::core::option::Option::Some(::core::convert::Into::into(v)); }
                    }
                    "detailsJson" | "details_json" => {
                        seen.mark::<A::Error>(3, "detailsJson")?;
                        let _field = rt::field("detailsJson");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Bytes>(&mut map)? { m.details_json = v; }
                    }
                    "createdAt" | "created_at" => {
                        seen.mark::<A::Error>(4, "createdAt")?;
                        let _field = rt::field("createdAt");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I64>(&mut map)? { m.created_at = v; }
                    }
                    "durationMs" | "duration_ms" => {
                        seen.mark::<A::Error>(5, "durationMs")?;
                        let _field = rt::field("durationMs");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I64>(&mut map)? { m.duration_ms = v; }
                    }
                    "labels" => {
                        seen.mark::<A::Error>(6, "labels")?;
                        let _field = rt::field("labels");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Map<rt::Str, rt::Msg<Subject>>>(&mut map)? { m.labels = v; }
                    }
                    "parts" => {
                        seen.mark::<A::Error>(7, "parts")?;
                        let _field = rt::field("parts");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Rep<rt::Msg<happened::Part>>>(&mut map)? { m.parts = v; }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Happened")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for happened::Part {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.payload_json.is_empty() { m.serialize_entry("payloadJson", &rt::W::<rt::Bytes>(&self.payload_json))?; }
        if self.last_seen != 0 { m.serialize_entry("lastSeen", &rt::W::<rt::I64>(&self.last_seen))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for happened::Part {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = happened::Part;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Happened.Part)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<happened::Part, A::Error> {
                let mut m = <happened::Part as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "payloadJson" | "payload_json" => {
                        seen.mark::<A::Error>(0, "payloadJson")?;
                        let _field = rt::field("payloadJson");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Bytes>(&mut map)? { m.payload_json = v; }
                    }
                    "lastSeen" | "last_seen" => {
                        seen.mark::<A::Error>(1, "lastSeen")?;
                        let _field = rt::field("lastSeen");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I64>(&mut map)? { m.last_seen = v; }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Happened.Part")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for Counted {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.event_id.is_empty() { m.serialize_entry("eventId", &rt::W::<rt::Str>(&self.event_id))?; }
        if !self.tenant_id.is_empty() { m.serialize_entry("tenantId", &rt::W::<rt::Str>(&self.tenant_id))?; }
        if self.timestamp_ms != 0 { m.serialize_entry("timestampMs", &rt::W::<rt::I64>(&self.timestamp_ms))?; }
        if self.item_count != 0 { m.serialize_entry("itemCount", &rt::W::<rt::I64>(&self.item_count))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Counted {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Counted;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Counted)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Counted, A::Error> {
                let mut m = <Counted as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "eventId" | "event_id" => {
                        seen.mark::<A::Error>(0, "eventId")?;
                        let _field = rt::field("eventId");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.event_id = v; }
                    }
                    "tenantId" | "tenant_id" => {
                        seen.mark::<A::Error>(1, "tenantId")?;
                        let _field = rt::field("tenantId");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.tenant_id = v; }
                    }
                    "timestampMs" | "timestamp_ms" => {
                        seen.mark::<A::Error>(2, "timestampMs")?;
                        let _field = rt::field("timestampMs");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I64>(&mut map)? { m.timestamp_ms = v; }
                    }
                    "itemCount" | "item_count" => {
                        seen.mark::<A::Error>(3, "itemCount")?;
                        let _field = rt::field("itemCount");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I64>(&mut map)? { m.item_count = v; }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Counted")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for Envelope {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if let ::core::option::Option::Some(v) = &self.meta { m.serialize_entry("meta", &rt::W::<rt::Msg<Meta>>(v))?; }
        if let ::core::option::Option::Some(v) = &self.subject { m.serialize_entry("subject", &rt::W::<rt::Msg<Subject>>(v))?; }
        if let ::core::option::Option::Some(v) = &self.fact {
            match v {
                envelope::Fact::Happened(v) => m.serialize_entry("happened", &rt::W::<rt::Msg<Happened>>(v))?,
                envelope::Fact::Counted(v) => m.serialize_entry("counted", &rt::W::<rt::Msg<Counted>>(v))?,
            }
        }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Envelope {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Envelope;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Envelope)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Envelope, A::Error> {
                let mut m = <Envelope as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "meta" => {
                        seen.mark::<A::Error>(0, "meta")?;
                        let _field = rt::field("meta");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<Meta>>(&mut map)? { m.meta = ::core::option::Option::Some(::core::convert::Into::into(v)); }
                    }
                    "subject" => {
                        seen.mark::<A::Error>(1, "subject")?;
                        let _field = rt::field("subject");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<Subject>>(&mut map)? { m.subject = ::core::option::Option::Some(::core::convert::Into::into(v)); }
                    }
                    "happened" => {
                        seen.mark::<A::Error>(2, "happened")?;
                        let _field = rt::field("happened");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<Happened>>(&mut map)? { rt::oneof::<A::Error>(m.fact.is_some(), "fact")?; m.fact = ::core::option::Option::Some(envelope::Fact::Happened(::core::convert::Into::into(v))); }
                    }
                    "counted" => {
                        seen.mark::<A::Error>(3, "counted")?;
                        let _field = rt::field("counted");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<Counted>>(&mut map)? { rt::oneof::<A::Error>(m.fact.is_some(), "fact")?; m.fact = ::core::option::Option::Some(envelope::Fact::Counted(::core::convert::Into::into(v))); }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Envelope")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for TracedMeta {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.message_id.is_empty() { m.serialize_entry("messageId", &rt::W::<rt::Str>(&self.message_id))?; }
        if let ::core::option::Option::Some(v) = &self.occurred_at { m.serialize_entry("occurredAt", &rt::W::<rt::Msg<::common_eventing::wkt::Timestamp>>(v))?; }
        if let ::core::option::Option::Some(v) = &self.traceparent { m.serialize_entry("traceparent", &rt::W::<rt::Str>(v))?; }
        if let ::core::option::Option::Some(v) = &self.producer { m.serialize_entry("producer", &rt::W::<rt::Str>(v))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for TracedMeta {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = TracedMeta;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.TracedMeta)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<TracedMeta, A::Error> {
                let mut m = <TracedMeta as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "messageId" | "message_id" => {
                        seen.mark::<A::Error>(0, "messageId")?;
                        let _field = rt::field("messageId");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.message_id = v; }
                    }
                    "occurredAt" | "occurred_at" => {
                        seen.mark::<A::Error>(1, "occurredAt")?;
                        let _field = rt::field("occurredAt");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<::common_eventing::wkt::Timestamp>>(&mut map)? { m.occurred_at = ::core::option::Option::Some(::core::convert::Into::into(v)); }
                    }
                    "traceparent" => {
                        seen.mark::<A::Error>(2, "traceparent")?;
                        let _field = rt::field("traceparent");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.traceparent = ::core::option::Option::Some(v); }
                    }
                    "producer" => {
                        seen.mark::<A::Error>(3, "producer")?;
                        let _field = rt::field("producer");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.producer = ::core::option::Option::Some(v); }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.TracedMeta")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for Traced {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if let ::core::option::Option::Some(v) = &self.meta { m.serialize_entry("meta", &rt::W::<rt::Msg<TracedMeta>>(v))?; }
        if let ::core::option::Option::Some(v) = &self.tracestate { m.serialize_entry("tracestate", &rt::W::<rt::Str>(v))?; }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Traced {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Traced;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Traced)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Traced, A::Error> {
                let mut m = <Traced as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "meta" => {
                        seen.mark::<A::Error>(0, "meta")?;
                        let _field = rt::field("meta");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<TracedMeta>>(&mut map)? { m.meta = ::core::option::Option::Some(::core::convert::Into::into(v)); }
                    }
                    "tracestate" => {
                        seen.mark::<A::Error>(1, "tracestate")?;
                        let _field = rt::field("tracestate");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.tracestate = ::core::option::Option::Some(v); }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Traced")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl serde::Serialize for Checked {
    #[allow(deprecated)]
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[allow(unused_mut)]
        let mut m = s.serialize_map(::core::option::Option::None)?;
        if !self.code.is_empty() { m.serialize_entry("code", &rt::W::<rt::Str>(&self.code))?; }
        if self.page_size != 0 { m.serialize_entry("pageSize", &rt::W::<rt::I32>(&self.page_size))?; }
        if self.item_count != 0 { m.serialize_entry("itemCount", &rt::W::<rt::I64>(&self.item_count))?; }
        if self.level != 0 { m.serialize_entry("level", &rt::W::<rt::Enum<Level>>(&self.level))?; }
        if !self.tags.is_empty() { m.serialize_entry("tags", &rt::W::<rt::Rep<rt::Str>>(&self.tags))?; }
        if !self.labels.is_empty() { m.serialize_entry("labels", &rt::W::<rt::Map<rt::Str, rt::Str>>(&self.labels))?; }
        if let ::core::option::Option::Some(v) = &self.meta { m.serialize_entry("meta", &rt::W::<rt::Msg<Meta>>(v))?; }
        if !self.children.is_empty() { m.serialize_entry("children", &rt::W::<rt::Rep<rt::Msg<Checked>>>(&self.children))?; }
        if let ::core::option::Option::Some(v) = &self.note { m.serialize_entry("note", &rt::W::<rt::Str>(v))?; }
        if let ::core::option::Option::Some(v) = &self.choice {
            match v {
                checked::Choice::Left(v) => m.serialize_entry("left", &rt::W::<rt::Str>(v))?,
                checked::Choice::Right(v) => m.serialize_entry("right", &rt::W::<rt::U32>(v))?,
            }
        }
        m.end()
    }
}
impl<'de> serde::Deserialize<'de> for Checked {
    #[allow(deprecated)]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Checked;
            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                rt::expecting(f, "an object (golden.v1.Checked)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<Checked, A::Error> {
                let mut m = <Checked as ::core::default::Default>::default();
                #[allow(unused_mut, unused_variables)]
                let mut seen = rt::Seen::<1>::default();
                while let ::core::option::Option::Some(key) = map.next_key::<rt::Key<'de>>()? {
                    match key.as_str() {
                    "code" => {
                        seen.mark::<A::Error>(0, "code")?;
                        let _field = rt::field("code");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.code = v; }
                    }
                    "pageSize" | "page_size" => {
                        seen.mark::<A::Error>(1, "pageSize")?;
                        let _field = rt::field("pageSize");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I32>(&mut map)? { m.page_size = v; }
                    }
                    "itemCount" | "item_count" => {
                        seen.mark::<A::Error>(2, "itemCount")?;
                        let _field = rt::field("itemCount");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::I64>(&mut map)? { m.item_count = v; }
                    }
                    "level" => {
                        seen.mark::<A::Error>(3, "level")?;
                        let _field = rt::field("level");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Enum<Level>>(&mut map)? { m.level = v; }
                    }
                    "tags" => {
                        seen.mark::<A::Error>(4, "tags")?;
                        let _field = rt::field("tags");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Rep<rt::Str>>(&mut map)? { m.tags = v; }
                    }
                    "labels" => {
                        seen.mark::<A::Error>(5, "labels")?;
                        let _field = rt::field("labels");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Map<rt::Str, rt::Str>>(&mut map)? { m.labels = v; }
                    }
                    "meta" => {
                        seen.mark::<A::Error>(6, "meta")?;
                        let _field = rt::field("meta");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Msg<Meta>>(&mut map)? { m.meta = ::core::option::Option::Some(::core::convert::Into::into(v)); }
                    }
                    "children" => {
                        seen.mark::<A::Error>(7, "children")?;
                        let _field = rt::field("children");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Rep<rt::Msg<Checked>>>(&mut map)? { m.children = v; }
                    }
                    "note" => {
                        seen.mark::<A::Error>(8, "note")?;
                        let _field = rt::field("note");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { m.note = ::core::option::Option::Some(v); }
                    }
                    "left" => {
                        seen.mark::<A::Error>(9, "left")?;
                        let _field = rt::field("left");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::Str>(&mut map)? { rt::oneof::<A::Error>(m.choice.is_some(), "choice")?; m.choice = ::core::option::Option::Some(checked::Choice::Left(::core::convert::Into::into(v))); }
                    }
                    "right" => {
                        seen.mark::<A::Error>(10, "right")?;
                        let _field = rt::field("right");
                        if let ::core::option::Option::Some(v) = rt::value::<A, rt::U32>(&mut map)? { rt::oneof::<A::Error>(m.choice.is_some(), "choice")?; m.choice = ::core::option::Option::Some(checked::Choice::Right(::core::convert::Into::into(v))); }
                    }
                    _ => rt::unknown(&mut map, &key, "golden.v1.Checked")?,
                }
                }
                ::core::result::Result::Ok(m)
            }
        }
        d.deserialize_map(V)
    }
}
impl rt::ProtoEnum for Level {
    const FULL_NAME: &'static str = "golden.v1.Level";
    fn name_of(number: i32) -> ::core::option::Option<&'static str> {
        match number {
            0 => ::core::option::Option::Some("LEVEL_UNSPECIFIED"),
            1 => ::core::option::Option::Some("LEVEL_LOW"),
            2 => ::core::option::Option::Some("LEVEL_HIGH"),
            _ => ::core::option::Option::None,
        }
    }
    fn number_of(name: &str) -> ::core::option::Option<i32> {
        match name {
            "LEVEL_UNSPECIFIED" => ::core::option::Option::Some(0),
            "LEVEL_LOW" => ::core::option::Option::Some(1),
            "LEVEL_HIGH" => ::core::option::Option::Some(2),
            _ => ::core::option::Option::None,
        }
    }
}
impl serde::Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str_name())
    }
}
impl<'de> serde::Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
        rt::read_enum(d)
    }
}
