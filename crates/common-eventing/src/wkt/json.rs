//! proto3 canonical JSON for the well-known types (hand-written: their JSON is not the
//! generic message mapping, and pbjson-types' versions use unordered maps).

use super::value::Kind;
use super::{
    Any, BoolValue, BytesValue, DoubleValue, Duration, Empty, FieldMask, FloatValue, Int32Value,
    Int64Value, ListValue, NullValue, SmallStr, StringValue, Struct, Timestamp, UInt32Value,
    UInt64Value, Value,
};
use base64::Engine;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::json::rt::{self, Kind as JsonKind};

// ---- Timestamp and Duration: strings ----

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0; super::convert::RFC3339_MAX];
        s.serialize_str(self.rfc3339(&mut buf).map_err(ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_proto_string().map_err(ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

// ---- Struct, Value, ListValue: plain JSON ----

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.kind {
            None | Some(Kind::NullValue(_)) => s.serialize_unit(),
            Some(Kind::NumberValue(n)) if !n.is_finite() => Err(ser::Error::custom(format!(
                "google.protobuf.Value: {n} is not a JSON number (it would read back as a string)"
            ))),
            Some(Kind::NumberValue(n)) => s.serialize_f64(*n),
            Some(Kind::StringValue(v)) => s.serialize_str(v),
            Some(Kind::BoolValue(b)) => s.serialize_bool(*b),
            // As when reading: the struct or list is a message one level below.
            Some(Kind::StructValue(v)) => {
                let _depth = rt::enter_ser::<S::Error>(1)?;
                v.serialize(s)
            }
            Some(Kind::ListValue(v)) => {
                let _depth = rt::enter_ser::<S::Error>(1)?;
                v.serialize(s)
            }
        }
    }
}

impl Serialize for Struct {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Each value is a Value message inside a map entry: two binary levels down.
        let _depth = rt::enter_ser::<S::Error>(2)?;
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for ListValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let _depth = rt::enter_ser::<S::Error>(1)?;
        let mut seq = s.serialize_seq(Some(self.values.len()))?;
        for v in &self.values {
            seq.serialize_element(v)?;
        }
        seq.end()
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value (google.protobuf.Value)")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::null())
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::null())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::from(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n as f64))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n as f64))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        // The list_value is a message one level below the Value.
        let _depth = rt::enter::<A::Error>(1)?;
        ListVisitor.visit_seq(seq).map(Value::from)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        let _depth = rt::enter::<A::Error>(1)?;
        StructVisitor.visit_map(map).map(Value::from)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct StructVisitor;

impl<'de> Visitor<'de> for StructVisitor {
    type Value = Struct;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (google.protobuf.Struct)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Struct, A::Error> {
        // Each value is a Value message inside a map entry: two binary levels down.
        let _depth = rt::enter::<A::Error>(2)?;
        // Collected in document order, sorted once; a repeated key keeps its last value.
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some((JsonKey(k), v)) = map.next_entry::<JsonKey, Value>()? {
            entries.push((k, v));
        }
        Ok(entries.into_iter().collect())
    }
}

/// A `Struct` key read straight into a `SmallStr` (no `String` for short keys).
struct JsonKey(SmallStr);

impl<'de> Deserialize<'de> for JsonKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = JsonKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonKey, E> {
                Ok(JsonKey(SmallStr::new(v)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<JsonKey, E> {
                Ok(JsonKey(SmallStr::from(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Struct {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(StructVisitor)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = ListValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array (google.protobuf.ListValue)")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ListValue, A::Error> {
        let _depth = rt::enter::<A::Error>(1)?;
        let mut out = ListValue {
            values: Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024)),
        };
        while let Some(v) = seq.next_element::<Value>()? {
            out.values.push(v);
        }
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for ListValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(ListVisitor)
    }
}

impl Serialize for NullValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for NullValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <()>::deserialize(d).map(|()| NullValue::NullValue)
    }
}

// ---- Wrappers: the bare value ----

impl Serialize for DoubleValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        rt::write_f64(self.value, s)
    }
}

impl<'de> Deserialize<'de> for DoubleValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(DoubleValue {
            value: rt::read_f64(d)?,
        })
    }
}

impl Serialize for FloatValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        <rt::F32 as JsonKind>::ser(&self.value, s)
    }
}

impl<'de> Deserialize<'de> for FloatValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(FloatValue {
            value: rt::read_f32(d)?,
        })
    }
}

macro_rules! int_wrapper {
    ($ty:ident, $kind:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$kind as JsonKind>::ser(&self.value, s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <$kind as JsonKind>::de(d)?.unwrap_or_default();
                Ok($ty { value })
            }
        }
    };
}

int_wrapper!(Int64Value, rt::I64);
int_wrapper!(UInt64Value, rt::U64);
int_wrapper!(Int32Value, rt::I32);
int_wrapper!(UInt32Value, rt::U32);

impl Serialize for BoolValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(self.value)
    }
}

impl<'de> Deserialize<'de> for BoolValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(BoolValue {
            value: bool::deserialize(d)?,
        })
    }
}

impl Serialize for StringValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for StringValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(StringValue {
            value: String::deserialize(d)?,
        })
    }
}

impl Serialize for BytesValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.value))
    }
}

impl<'de> Deserialize<'de> for BytesValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let value = rt::decode_base64(&s).ok_or_else(|| {
            de::Error::custom(format!("google.protobuf.BytesValue: {s:?} is not base64"))
        })?;
        Ok(BytesValue {
            value: value.into(),
        })
    }
}

// ---- FieldMask: "a.b,cD" ----

fn snake_to_camel(path: &str) -> Result<String, String> {
    let mut out = String::with_capacity(path.len());
    let mut upper_next = false;
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            return Err(format!(
                "google.protobuf.FieldMask: path {path:?} must not contain uppercase letters"
            ));
        }
        if upper_next {
            if !c.is_ascii_lowercase() {
                return Err(format!(
                    "google.protobuf.FieldMask: in path {path:?} '_' must be followed by a lowercase letter"
                ));
            }
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else if c == '_' {
            upper_next = true;
        } else {
            out.push(c);
        }
    }
    if upper_next {
        return Err(format!(
            "google.protobuf.FieldMask: path {path:?} must not end with '_'"
        ));
    }
    Ok(out)
}

fn camel_to_snake(path: &str) -> Result<String, String> {
    if path.contains('_') {
        return Err(format!(
            "google.protobuf.FieldMask: JSON path {path:?} must be camelCase, without '_'"
        ));
    }
    let mut out = String::with_capacity(path.len() + 4);
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

impl Serialize for FieldMask {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let paths = self
            .paths
            .iter()
            .map(|p| snake_to_camel(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(ser::Error::custom)?;
        s.serialize_str(&paths.join(","))
    }
}

impl<'de> Deserialize<'de> for FieldMask {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s.is_empty() {
            return Ok(FieldMask::default());
        }
        let paths = s
            .split(',')
            .map(camel_to_snake)
            .collect::<Result<Vec<_>, _>>()
            .map_err(de::Error::custom)?;
        Ok(FieldMask { paths })
    }
}

// ---- Empty: {} ----

impl Serialize for Empty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        match map.keys().next() {
            None => Ok(Empty {}),
            Some(k) => Err(de::Error::custom(format!(
                "google.protobuf.Empty: unexpected field {k:?}"
            ))),
        }
    }
}

// ---- Any: {"@type": ..., ...} ----

impl Serialize for Any {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        super::any::to_json(self)
            .map_err(ser::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Any {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        super::any::from_json(map).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn to(v: &impl Serialize) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }

    #[test]
    fn value_maps_to_any_json() {
        let v: Value =
            serde_json::from_value(json!({"b": [1, "x", null, true], "a": {"n": 1.5}})).unwrap();
        assert_eq!(
            to(&v),
            json!({"a": {"n": 1.5}, "b": [1.0, "x", null, true]})
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":{"n":1.5},"b":[1.0,"x",null,true]}"#
        );
        assert!(serde_json::to_value(Value::from(f64::NAN)).is_err());
        assert!(serde_json::to_value(Value::from(f64::INFINITY)).is_err());
        assert!(serde_json::from_str::<Struct>("[1]").is_err());
        assert!(serde_json::from_str::<ListValue>("{}").is_err());
    }

    #[test]
    fn wrappers_are_bare_values() {
        assert_eq!(to(&Int64Value { value: -5 }), json!("-5"));
        assert_eq!(
            to(&UInt64Value { value: u64::MAX }),
            json!("18446744073709551615")
        );
        assert_eq!(to(&Int32Value { value: 7 }), json!(7));
        assert_eq!(
            to(&DoubleValue {
                value: f64::NEG_INFINITY
            }),
            json!("-Infinity")
        );
        assert_eq!(
            to(&BytesValue {
                value: vec![0xfb, 0xff].into()
            }),
            json!("+/8=")
        );
        assert_eq!(
            serde_json::from_str::<BytesValue>("\"-_8\"")
                .unwrap()
                .value
                .as_ref(),
            [0xfb, 0xff]
        );
        assert_eq!(
            serde_json::from_str::<Int64Value>("\"-9\"").unwrap().value,
            -9
        );
        assert_eq!(serde_json::from_str::<Int64Value>("12").unwrap().value, 12);
        assert!(serde_json::from_str::<Int32Value>("2147483648").is_err());
        assert!(serde_json::from_str::<UInt32Value>("-1").is_err());
        assert!(serde_json::from_str::<Int32Value>("1.5").is_err());
        assert!(serde_json::from_str::<FloatValue>("1e39").is_err());
        assert!(
            serde_json::from_str::<DoubleValue>("\"NaN\"")
                .unwrap()
                .value
                .is_nan()
        );
    }

    #[test]
    fn field_mask_is_camel_case_list() {
        let mask = FieldMask {
            paths: vec!["user.display_name".into(), "photo".into()],
        };
        assert_eq!(to(&mask), json!("user.displayName,photo"));
        assert_eq!(
            serde_json::from_value::<FieldMask>(json!("user.displayName,photo")).unwrap(),
            mask
        );
        assert!(
            serde_json::to_value(FieldMask {
                paths: vec!["Bad".into()]
            })
            .is_err()
        );
        assert!(
            serde_json::to_value(FieldMask {
                paths: vec!["a__b".into()]
            })
            .is_err()
        );
        assert!(serde_json::from_value::<FieldMask>(json!("a_b")).is_err());
        assert_eq!(
            serde_json::from_value::<FieldMask>(json!("")).unwrap(),
            FieldMask::default()
        );
    }

    #[test]
    fn timestamp_and_duration_strings() {
        assert_eq!(
            to(&Timestamp {
                seconds: -1,
                nanos: 0
            }),
            json!("1969-12-31T23:59:59Z")
        );
        assert_eq!(
            to(&Duration {
                seconds: -1,
                nanos: -500_000_000
            }),
            json!("-1.500s")
        );
        assert!(serde_json::from_value::<Timestamp>(json!(0)).is_err());
        assert!(
            serde_json::to_value(Timestamp {
                seconds: i64::MIN,
                nanos: 0
            })
            .is_err()
        );
    }

    #[test]
    fn any_uses_the_registry() {
        let any = Any::pack(&Duration {
            seconds: 3,
            nanos: 0,
        });
        let json = to(&any);
        assert_eq!(
            json,
            json!({"@type": "type.googleapis.com/google.protobuf.Duration", "value": "3s"})
        );
        assert_eq!(serde_json::from_value::<Any>(json).unwrap(), any);
        let empty = Any::pack(&Empty {});
        assert_eq!(
            to(&empty),
            json!({"@type": "type.googleapis.com/google.protobuf.Empty"})
        );
        let unknown = Any {
            type_url: "type.googleapis.com/x.Unknown".into(),
            value: vec![1].into(),
        };
        let err = serde_json::to_value(&unknown).unwrap_err().to_string();
        assert!(err.contains("x.Unknown"), "{err}");
        assert!(serde_json::from_value::<Any>(json!({"value": 1})).is_err());
        assert_eq!(
            serde_json::from_value::<Any>(json!({})).unwrap(),
            Any::default()
        );
    }

    #[test]
    fn empty_rejects_fields() {
        assert!(serde_json::from_value::<Empty>(json!({"x": 1})).is_err());
        assert_eq!(to(&Empty {}), json!({}));
    }
}
