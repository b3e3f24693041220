
/// JSON Schema (draft 2020-12) of `golden.v1.Counted`'s proto3 JSON.
impl ::common_eventing::mcp::JsonSchema for Counted {
    const JSON_SCHEMA: &'static str = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"description\":\"Something counted.\",\"properties\":{\"eventId\":{\"description\":\"Event id.\",\"type\":\"string\"},\"itemCount\":{\"description\":\"How many. A 64-bit integer, written as a decimal string.\",\"pattern\":\"^-?[0-9]+$\",\"type\":\"string\"},\"tenantId\":{\"description\":\"Tenant.\",\"type\":\"string\"},\"timestampMs\":{\"description\":\"When, milliseconds since the Unix epoch. A 64-bit integer, written as a decimal string.\",\"pattern\":\"^-?[0-9]+$\",\"type\":\"string\"}},\"title\":\"golden.v1.Counted\",\"type\":\"object\"}";
}

/// JSON Schema (draft 2020-12) of `golden.v1.Happened`'s proto3 JSON.
impl ::common_eventing::mcp::JsonSchema for Happened {
    const JSON_SCHEMA: &'static str = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"description\":\"Something happened.\",\"properties\":{\"createdAt\":{\"description\":\"Created, epoch. A 64-bit integer, written as a decimal string.\",\"pattern\":\"^-?[0-9]+$\",\"type\":\"string\"},\"detailsJson\":{\"contentEncoding\":\"base64\",\"description\":\"Free-form details, JSON.\",\"pattern\":\"^[A-Za-z0-9+/]*={0,2}$\",\"type\":\"string\"},\"durationMs\":{\"description\":\"How long it took. A 64-bit integer, written as a decimal string.\",\"pattern\":\"^-?[0-9]+$\",\"type\":\"string\"},\"eventId\":{\"description\":\"Event id.\",\"type\":\"string\"},\"labels\":{\"additionalProperties\":{\"description\":\"What an envelope is about.\",\"properties\":{\"id\":{\"description\":\"Subject id.\",\"type\":\"string\"}},\"type\":\"object\"},\"description\":\"Labels.\",\"type\":\"object\"},\"parts\":{\"description\":\"Parts.\",\"items\":{\"description\":\"A nested part.\",\"properties\":{\"lastSeen\":{\"description\":\"Last seen, epoch. A 64-bit integer, written as a decimal string.\",\"pattern\":\"^-?[0-9]+$\",\"type\":\"string\"},\"payloadJson\":{\"contentEncoding\":\"base64\",\"description\":\"Part payload, JSON.\",\"pattern\":\"^[A-Za-z0-9+/]*={0,2}$\",\"type\":\"string\"}},\"type\":\"object\"},\"type\":\"array\"},\"tenantId\":{\"description\":\"Tenant.\",\"type\":\"string\"},\"timestamp\":{\"description\":\"When. RFC 3339 timestamp in UTC.\",\"format\":\"date-time\",\"pattern\":\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]{1,9})?Z$\",\"type\":\"string\"}},\"title\":\"golden.v1.Happened\",\"type\":\"object\"}";
}

/// JSON Schema (draft 2020-12) of `golden.v1.Traced`'s proto3 JSON.
impl ::common_eventing::mcp::JsonSchema for Traced {
    const JSON_SCHEMA: &'static str = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"description\":\"An event whose header is optional.\",\"properties\":{\"meta\":{\"description\":\"Header. A header with optional parts: the CloudEvents attributes read through an optional `meta`, and optional strings.\",\"properties\":{\"messageId\":{\"description\":\"Unique id.\",\"type\":\"string\"},\"occurredAt\":{\"description\":\"When. RFC 3339 timestamp in UTC.\",\"format\":\"date-time\",\"pattern\":\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]{1,9})?Z$\",\"type\":\"string\"},\"producer\":{\"description\":\"Producing service, when known.\",\"type\":\"string\"},\"traceparent\":{\"description\":\"W3C trace context, when there is one.\",\"type\":\"string\"}},\"type\":\"object\"},\"tracestate\":{\"description\":\"W3C trace state, on the event itself.\",\"type\":\"string\"}},\"title\":\"golden.v1.Traced\",\"type\":\"object\"}";
}

/// `(full proto name, JSON Schema)` of every message of this package that implements
/// `common_eventing::mcp::JsonSchema` (tool inputs and outputs, event messages), by name.
pub const JSON_SCHEMAS: &[(&str, &str)] = &[
    ("golden.v1.Counted", <Counted as ::common_eventing::mcp::JsonSchema>::JSON_SCHEMA),
    ("golden.v1.Happened", <Happened as ::common_eventing::mcp::JsonSchema>::JSON_SCHEMA),
    ("golden.v1.Traced", <Traced as ::common_eventing::mcp::JsonSchema>::JSON_SCHEMA),
];
