//! Packing messages into `google.protobuf.Any`, and the type registry behind its JSON.
//!
//! The proto3 JSON form of an `Any` embeds the packed message's own JSON next to an
//! `@type` key, so producing or reading it needs to know the packed type. As in every
//! protobuf runtime, that knowledge comes from a registry: the well-known types are
//! always registered, and a program registers its own message types once with
//! [`register`]. An unregistered type is an error naming the type URL, never a silent
//! base64 blob.
//!
//! ```
//! use common_eventing::wkt::{Any, Timestamp};
//!
//! let ts = Timestamp { seconds: 1, nanos: 0 };
//! let any = Any::pack(&ts);
//! assert_eq!(any.type_url, "type.googleapis.com/google.protobuf.Timestamp");
//! assert_eq!(any.unpack::<Timestamp>().unwrap(), Some(ts));
//! # #[cfg(feature = "serde")]
//! assert_eq!(
//!     serde_json::to_string(&any).unwrap(),
//!     r#"{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"1970-01-01T00:00:01Z"}"#
//! );
//! ```

use super::Any;
use prost::{Message, Name};

impl Any {
    /// Packs a message, with the `type.googleapis.com/<full name>` type URL.
    pub fn pack<M: Message + Name>(message: &M) -> Any {
        Any {
            type_url: M::type_url(),
            value: message.encode_to_vec().into(),
        }
    }

    /// Whether the packed message is an `M` (compares the full name after the last `/`).
    pub fn is<M: Name>(&self) -> bool {
        type_name_of_url(&self.type_url) == M::full_name()
    }

    /// Unpacks an `M`: `Ok(None)` when the `Any` holds another type, an error when the
    /// bytes do not decode.
    pub fn unpack<M: Message + Name + Default>(&self) -> Result<Option<M>, prost::DecodeError> {
        if !self.is::<M>() {
            return Ok(None);
        }
        M::decode(self.value.as_ref()).map(Some)
    }
}

/// The full message name of a type URL: the part after the last `/`.
pub fn type_name_of_url(type_url: &str) -> &str {
    type_url.rsplit('/').next().unwrap_or(type_url)
}

#[cfg(feature = "serde")]
pub use registry::{is_registered, register};

#[cfg(feature = "serde")]
pub(crate) use registry::{from_json, to_json};

#[cfg(feature = "serde")]
mod registry {
    use super::type_name_of_url;
    use crate::json::rt;
    use crate::wkt;
    use prost::{Message, Name};
    use serde::{Serialize, de::DeserializeOwned};
    use std::collections::BTreeMap;
    use std::sync::{LazyLock, RwLock};

    type ToJson = fn(&[u8]) -> Result<serde_json::Value, String>;
    type FromJson = fn(serde_json::Value) -> Result<Vec<u8>, String>;

    #[derive(Clone, Copy)]
    pub(crate) struct Codec {
        pub(crate) to_json: ToJson,
        pub(crate) from_json: FromJson,
        /// Well-known types with a non-object JSON form nest it under `"value"`.
        pub(crate) special: bool,
    }

    fn to_json_of<M: Message + Default + Serialize>(
        bytes: &[u8],
    ) -> Result<serde_json::Value, String> {
        let message = M::decode(bytes).map_err(|e| e.to_string())?;
        serde_json::to_value(&message).map_err(|e| e.to_string())
    }

    fn from_json_of<M: Message + DeserializeOwned>(
        json: serde_json::Value,
    ) -> Result<Vec<u8>, String> {
        let message: M = serde_json::from_value(json).map_err(|e| e.to_string())?;
        Ok(message.encode_to_vec())
    }

    fn codec<M: Message + Default + Serialize + DeserializeOwned>(special: bool) -> Codec {
        Codec {
            to_json: to_json_of::<M>,
            from_json: from_json_of::<M>,
            special,
        }
    }

    static REGISTRY: LazyLock<RwLock<BTreeMap<String, Codec>>> = LazyLock::new(|| {
        let mut map = BTreeMap::new();
        let mut add = |name: String, c: Codec| {
            map.insert(name, c);
        };
        add(wkt::Any::full_name(), codec::<wkt::Any>(true));
        add(wkt::Duration::full_name(), codec::<wkt::Duration>(true));
        add(wkt::Empty::full_name(), codec::<wkt::Empty>(false));
        add(wkt::FieldMask::full_name(), codec::<wkt::FieldMask>(true));
        add(wkt::Struct::full_name(), codec::<wkt::Struct>(true));
        add(wkt::Value::full_name(), codec::<wkt::Value>(true));
        add(wkt::ListValue::full_name(), codec::<wkt::ListValue>(true));
        add(wkt::Timestamp::full_name(), codec::<wkt::Timestamp>(true));
        add(
            wkt::DoubleValue::full_name(),
            codec::<wkt::DoubleValue>(true),
        );
        add(wkt::FloatValue::full_name(), codec::<wkt::FloatValue>(true));
        add(wkt::Int64Value::full_name(), codec::<wkt::Int64Value>(true));
        add(
            wkt::UInt64Value::full_name(),
            codec::<wkt::UInt64Value>(true),
        );
        add(wkt::Int32Value::full_name(), codec::<wkt::Int32Value>(true));
        add(
            wkt::UInt32Value::full_name(),
            codec::<wkt::UInt32Value>(true),
        );
        add(wkt::BoolValue::full_name(), codec::<wkt::BoolValue>(true));
        add(
            wkt::StringValue::full_name(),
            codec::<wkt::StringValue>(true),
        );
        add(wkt::BytesValue::full_name(), codec::<wkt::BytesValue>(true));
        RwLock::new(map)
    });

    /// Registers `M` so that an `Any` holding it has a JSON form. Idempotent; call it
    /// once at start-up for every type your `Any` fields may carry.
    pub fn register<M>()
    where
        M: Message + Name + Default + Serialize + DeserializeOwned,
    {
        REGISTRY
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(M::full_name(), codec::<M>(false));
    }

    /// Whether a full message name (e.g. `chaukas.spec.common.v1.Event`) is registered.
    pub fn is_registered(full_name: &str) -> bool {
        REGISTRY
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(full_name)
    }

    /// An error inside the packed message of an `Any`, prefixed with its type URL
    /// (cut to [`CHARS_SHOWN`] characters: a type URL is caller input), once: an error
    /// from `Any`s inside `Any`s names the innermost one, so its length does not grow
    /// with the nesting.
    fn in_any(type_url: &str, e: String) -> String {
        if e.starts_with(PREFIX) {
            return e;
        }
        format!("{PREFIX}{:?}: {e}", shown(type_url))
    }

    const PREFIX: &str = "google.protobuf.Any ";

    /// The most characters of caller input (a type URL, a key) an error message shows.
    const CHARS_SHOWN: usize = 120;

    fn shown(text: &str) -> std::borrow::Cow<'_, str> {
        match text.char_indices().nth(CHARS_SHOWN) {
            None => text.into(),
            Some((cut, _)) => format!("{}... ({} bytes)", &text[..cut], text.len()).into(),
        }
    }

    fn lookup(type_url: &str) -> Result<Codec, String> {
        let name = type_name_of_url(type_url);
        REGISTRY
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .copied()
            .ok_or_else(|| {
                format!(
                    "google.protobuf.Any: type {:?} is not registered \
                     (call common_eventing::wkt::any::register::<T>())",
                    shown(type_url)
                )
            })
    }

    /// The JSON object of an `Any`: `@type` plus the packed message's fields, or
    /// `@type` plus `value` for well-known types.
    pub(crate) fn to_json(
        any: &wkt::Any,
    ) -> Result<serde_json::Map<String, serde_json::Value>, String> {
        let mut out = serde_json::Map::new();
        if any.type_url.is_empty() && any.value.is_empty() {
            return Ok(out);
        }
        let codec = lookup(&any.type_url)?;
        let json = {
            let _depth = rt::descend(1).ok_or_else(|| in_any(&any.type_url, rt::too_deep()))?;
            (codec.to_json)(&any.value).map_err(|e| in_any(&any.type_url, e))?
        };
        out.insert("@type".into(), any.type_url.clone().into());
        if codec.special {
            out.insert("value".into(), json);
        } else if let serde_json::Value::Object(fields) = json {
            out.extend(fields);
        } else {
            return Err(format!(
                "{} did not serialize to a JSON object",
                any.type_url
            ));
        }
        Ok(out)
    }

    /// Reads the JSON object of an `Any` back.
    pub(crate) fn from_json(
        mut object: serde_json::Map<String, serde_json::Value>,
    ) -> Result<wkt::Any, String> {
        let type_url = match object.remove("@type") {
            None if object.is_empty() => return Ok(wkt::Any::default()),
            None => return Err("google.protobuf.Any: missing \"@type\"".into()),
            Some(serde_json::Value::String(s)) => s,
            Some(other) => {
                return Err(format!(
                    "google.protobuf.Any: \"@type\" must be a string, got {}",
                    shown(&other.to_string())
                ));
            }
        };
        let codec = lookup(&type_url)?;
        let json = if codec.special {
            let value = object.remove("value").unwrap_or(serde_json::Value::Null);
            if let Some(key) = object.keys().next() {
                return Err(format!(
                    "google.protobuf.Any {:?}: unexpected key {:?}",
                    shown(&type_url),
                    shown(key)
                ));
            }
            value
        } else {
            serde_json::Value::Object(object)
        };
        let value = {
            let _depth = rt::descend(1).ok_or_else(|| in_any(&type_url, rt::too_deep()))?;
            (codec.from_json)(json).map_err(|e| in_any(&type_url, e))?
        };
        Ok(wkt::Any {
            type_url,
            value: value.into(),
        })
    }
}

/// The depth limit through `Any`s inside `Any`s, reading and writing JSON. The binary
/// decoder never looks inside an `Any`; JSON does, and shares one depth count with the
/// message the `Any` sits in, the packed message one level below the `Any`.
#[cfg(all(test, feature = "serde"))]
mod depth_tests {
    use crate::json::DEPTH_LIMIT;
    use crate::wkt::{Any, Timestamp};
    use prost::{Message, Name};

    /// `n` `Any`s, each packing the next, the last packing a `Timestamp`: the
    /// `Timestamp` is `n` levels below the outer `Any`.
    fn chain(n: u32) -> Any {
        let mut any = Any::pack(&Timestamp {
            seconds: 1,
            nanos: 0,
        });
        for _ in 1..n {
            any = Any::pack(&any);
        }
        any
    }

    fn chain_json(n: u32) -> String {
        let mut json = r#"{"@type":"type.googleapis.com/google.protobuf.Timestamp","value":"1970-01-01T00:00:01Z"}"#.to_string();
        for _ in 1..n {
            json =
                format!(r#"{{"@type":"type.googleapis.com/google.protobuf.Any","value":{json}}}"#);
        }
        json
    }

    fn is_depth_error(e: &str) {
        assert!(
            e.contains(&format!("depth limit of {DEPTH_LIMIT}")),
            "not the depth error: {e}"
        );
    }

    #[test]
    fn writes_to_the_limit_and_refuses_past_it() {
        let at = chain(DEPTH_LIMIT);
        let text = serde_json::to_string(&at).unwrap();
        assert_eq!(text, chain_json(DEPTH_LIMIT));
        assert_eq!(crate::json::to_string(&at).unwrap(), text);
        let past = chain(DEPTH_LIMIT + 1);
        is_depth_error(&serde_json::to_string(&past).unwrap_err().to_string());
        is_depth_error(&crate::json::to_string(&past).unwrap_err().to_string());
        // A failed write leaves the count where it was: the next write still works.
        assert_eq!(serde_json::to_string(&at).unwrap(), text);
    }

    #[test]
    fn reads_to_the_limit_and_refuses_past_it() {
        let at: Any = serde_json::from_str(&chain_json(DEPTH_LIMIT)).unwrap();
        assert_eq!(at, chain(DEPTH_LIMIT));
        let past = serde_json::from_str::<Any>(&chain_json(DEPTH_LIMIT + 1));
        is_depth_error(&past.unwrap_err().to_string());
        let again: Any = serde_json::from_str(&chain_json(DEPTH_LIMIT)).unwrap();
        assert_eq!(again, at);
    }

    /// A thousand levels, on a thread with a small stack: refused, not a stack
    /// overflow.
    #[test]
    fn a_deep_chain_is_refused_in_bounded_stack() {
        let any = chain(1_000);
        let e = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || serde_json::to_string(&any).unwrap_err().to_string())
            .unwrap()
            .join()
            .unwrap();
        is_depth_error(&e);
    }

    /// The error names the innermost `Any` once, not every level, and cuts a long
    /// type URL (caller input).
    #[test]
    fn the_error_does_not_grow_with_nesting_or_echo_long_urls() {
        let long_url = format!("{}/{}", "x".repeat(10_000), Any::full_name());
        let mut any = chain(1);
        for _ in 0..150 {
            any = Any {
                type_url: long_url.clone(),
                value: any.encode_to_vec().into(),
            };
        }
        let e = serde_json::to_string(&any).unwrap_err().to_string();
        is_depth_error(&e);
        assert!(e.len() < 512, "{} bytes: {e}", e.len());
        assert!(e.contains("(10020 bytes)"), "{e}");
    }
}
