//! Confluent Schema Registry wire format for Protobuf values.
//!
//! A framed record value is
//!
//! | bytes | content |
//! | --- | --- |
//! | 1 | magic byte `0` |
//! | 4 | schema id, big-endian |
//! | 1.. | message-index array: zig-zag varint count, then that many zig-zag varint indexes |
//! | rest | the protobuf-encoded message |
//!
//! The message-index array is the path of the message inside the registered `.proto`
//! file: `[k]` for the k-th top-level message (zero-based), `[k, j]` for the j-th
//! message nested in it. The common case `[0]` is written as the single byte `0`
//! (a count of zero). This is what confluent-kafka's `ProtobufSerializer` writes and
//! its `ProtobufDeserializer` reads (Java, Python, Go and .NET alike).
//!
//! [`decode`] never panics and never copies the payload; [`decode_bytes`] does the
//! same for a [`Bytes`] buffer. `message_indexes_for` (feature `envelope-metadata`) computes the
//! index path of a message from an encoded `FileDescriptorSet`.
//!
//! ```
//! use common_eventing::framing;
//!
//! // The 15th top-level message of its file (index 14), schema id 7.
//! let framed = framing::encode(7, &[14], b"payload");
//! assert_eq!(&framed[..7], &[0x00, 0, 0, 0, 7, 0x02, 0x1c]);
//!
//! let decoded = framing::decode(&framed)?;
//! assert_eq!(decoded.schema_id, 7);
//! assert_eq!(decoded.message_indexes, [14]);
//! assert_eq!(decoded.payload, b"payload");
//!
//! // The first message of its file: just a 0 byte for the index array.
//! assert_eq!(framing::encode(7, &[0], b"")[5..], [0x00]);
//!
//! // Index paths come from the descriptors.
//! # #[cfg(feature = "envelope-metadata")] {
//! let path = framing::message_indexes_for(
//!     "google.protobuf.Struct.FieldsEntry",
//!     common_eventing::FILE_DESCRIPTOR_SET,
//! )?;
//! assert_eq!(path, [0, 0]);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use bytes::{BufMut, Bytes};

use crate::registry::ProtoSchema;

/// The magic byte every Confluent-framed value starts with.
pub const MAGIC_BYTE: u8 = 0;

/// Bytes before the message-index array: magic byte and schema id.
pub const HEADER_LEN: usize = 5;

/// Largest message-index array [`decode`] accepts (a nesting depth no real schema
/// reaches; bounds the work done for hostile input).
pub const MAX_MESSAGE_INDEXES: usize = 1024;

/// Longest varint of a 32-bit value.
const MAX_VARINT_LEN: usize = 5;

/// A decoded frame borrowing its payload from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framed<'a> {
    /// Schema-registry id of the writer's schema.
    pub schema_id: u32,
    /// Path of the message inside the schema's file (`[0]` for the first message).
    pub message_indexes: Vec<i32>,
    /// The protobuf-encoded message.
    pub payload: &'a [u8],
}

/// A decoded frame whose payload shares the input [`Bytes`] buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramedBytes {
    /// Schema-registry id of the writer's schema.
    pub schema_id: u32,
    /// Path of the message inside the schema's file (`[0]` for the first message).
    pub message_indexes: Vec<i32>,
    /// The protobuf-encoded message (a slice of the input, not a copy).
    pub payload: Bytes,
}

/// Why a value is not a well-formed Confluent Protobuf frame. Offsets count from the
/// first byte of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FramingError {
    /// The value ends before the magic byte, schema id and message-index array.
    TooShort {
        /// Bytes a frame needs at least.
        needed: usize,
        /// Bytes present.
        found: usize,
    },
    /// The first byte is not [`MAGIC_BYTE`] (the value is not Confluent-framed).
    WrongMagicByte {
        /// The byte found at offset 0.
        found: u8,
    },
    /// A varint of the message-index array runs past the end of the value.
    TruncatedVarint {
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// A varint of the message-index array is longer than 5 bytes or exceeds 32 bits.
    OverlongVarint {
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// The message-index count is negative.
    NegativeCount {
        /// Offset of the count.
        offset: usize,
        /// The decoded count.
        count: i32,
    },
    /// The message-index count exceeds [`MAX_MESSAGE_INDEXES`].
    TooManyIndexes {
        /// Offset of the count.
        offset: usize,
        /// The decoded count.
        count: usize,
    },
    /// The message-index count exceeds the bytes left (each index takes at least one).
    CountExceedsInput {
        /// Offset of the count.
        offset: usize,
        /// The decoded count.
        count: usize,
        /// Bytes after the count.
        remaining: usize,
    },
    /// A message index is negative.
    NegativeIndex {
        /// Offset of the index.
        offset: usize,
        /// The decoded index.
        index: i32,
    },
}

impl fmt::Display for FramingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { needed, found } => write!(
                f,
                "confluent frame too short: {found} bytes, need at least {needed} \
                 (magic byte, 4-byte schema id, message-index array)"
            ),
            Self::WrongMagicByte { found } => write!(
                f,
                "wrong magic byte 0x{found:02x} at offset 0, expected 0x00 \
                 (value is not Confluent schema-registry framed)"
            ),
            Self::TruncatedVarint { offset } => write!(
                f,
                "message-index array: varint at offset {offset} runs past the end of the value"
            ),
            Self::OverlongVarint { offset } => write!(
                f,
                "message-index array: varint at offset {offset} is longer than 5 bytes \
                 or exceeds 32 bits"
            ),
            Self::NegativeCount { offset, count } => write!(
                f,
                "message-index array: negative count {count} at offset {offset}"
            ),
            Self::TooManyIndexes { offset, count } => write!(
                f,
                "message-index array: count {count} at offset {offset} exceeds the \
                 maximum of {MAX_MESSAGE_INDEXES}"
            ),
            Self::CountExceedsInput {
                offset,
                count,
                remaining,
            } => write!(
                f,
                "message-index array: count {count} at offset {offset} exceeds the \
                 {remaining} bytes that follow"
            ),
            Self::NegativeIndex { offset, index } => write!(
                f,
                "message-index array: negative index {index} at offset {offset}"
            ),
        }
    }
}

impl std::error::Error for FramingError {}

/// Frames `payload` for `schema_id` and the message at `message_indexes`.
///
/// `[0]` and `[]` (both meaning the first message of the file) are written as the
/// single byte `0`. Indexes must be non-negative and at most [`MAX_MESSAGE_INDEXES`]
/// of them: others are written as given, and [`decode`] rejects them.
pub fn encode(schema_id: u32, message_indexes: &[i32], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(header_len(message_indexes) + payload.len());
    encode_to(&mut out, schema_id, message_indexes, payload);
    out
}

/// Like [`encode`], appending to any [`BufMut`] (e.g. a reused `BytesMut`).
pub fn encode_to(buf: &mut impl BufMut, schema_id: u32, message_indexes: &[i32], payload: &[u8]) {
    buf.put_u8(MAGIC_BYTE);
    buf.put_u32(schema_id);
    if is_first_message(message_indexes) {
        buf.put_u8(0);
    } else {
        // The count is written as a zig-zag varint too (Confluent's `writeVarint`).
        put_zigzag(
            buf,
            i32::try_from(message_indexes.len()).unwrap_or(i32::MAX),
        );
        for &index in message_indexes {
            put_zigzag(buf, index);
        }
    }
    buf.put_slice(payload);
}

/// Bytes [`encode`] writes before the payload for `message_indexes`.
pub fn header_len(message_indexes: &[i32]) -> usize {
    if is_first_message(message_indexes) {
        return HEADER_LEN + 1;
    }
    let count = i32::try_from(message_indexes.len()).unwrap_or(i32::MAX);
    HEADER_LEN
        + zigzag_len(count)
        + message_indexes
            .iter()
            .map(|&i| zigzag_len(i))
            .sum::<usize>()
}

/// Splits a framed value into schema id, message indexes and payload (borrowed).
///
/// A count of zero decodes as `[0]`. Never panics, whatever the input.
pub fn decode(value: &[u8]) -> Result<Framed<'_>, FramingError> {
    let (schema_id, message_indexes, payload_start) = decode_header(value)?;
    Ok(Framed {
        schema_id,
        message_indexes,
        payload: &value[payload_start..],
    })
}

/// Like [`decode`] for a [`Bytes`] value; the payload is a slice of it, not a copy.
pub fn decode_bytes(value: &Bytes) -> Result<FramedBytes, FramingError> {
    let (schema_id, message_indexes, payload_start) = decode_header(value)?;
    Ok(FramedBytes {
        schema_id,
        message_indexes,
        payload: value.slice(payload_start..),
    })
}

fn is_first_message(message_indexes: &[i32]) -> bool {
    matches!(message_indexes, [] | [0])
}

/// Returns schema id, message indexes and the offset of the payload.
fn decode_header(value: &[u8]) -> Result<(u32, Vec<i32>, usize), FramingError> {
    const NEEDED: usize = HEADER_LEN + 1;
    match value.first() {
        None => {
            return Err(FramingError::TooShort {
                needed: NEEDED,
                found: 0,
            });
        }
        Some(&found) if found != MAGIC_BYTE => return Err(FramingError::WrongMagicByte { found }),
        Some(_) => {}
    }
    let (Some(&[_, a, b, c, d]), true) = (value.first_chunk::<HEADER_LEN>(), value.len() >= NEEDED)
    else {
        return Err(FramingError::TooShort {
            needed: NEEDED,
            found: value.len(),
        });
    };
    let schema_id = u32::from_be_bytes([a, b, c, d]);

    let mut pos = HEADER_LEN;
    let count_offset = pos;
    let count = read_zigzag(value, &mut pos)?;
    if count == 0 {
        return Ok((schema_id, vec![0], pos));
    }
    let count = usize::try_from(count).map_err(|_| FramingError::NegativeCount {
        offset: count_offset,
        count,
    })?;
    if count > MAX_MESSAGE_INDEXES {
        return Err(FramingError::TooManyIndexes {
            offset: count_offset,
            count,
        });
    }
    let remaining = value.len() - pos;
    if count > remaining {
        return Err(FramingError::CountExceedsInput {
            offset: count_offset,
            count,
            remaining,
        });
    }
    let mut indexes = Vec::with_capacity(count);
    for _ in 0..count {
        let offset = pos;
        let index = read_zigzag(value, &mut pos)?;
        if index < 0 {
            return Err(FramingError::NegativeIndex { offset, index });
        }
        indexes.push(index);
    }
    Ok((schema_id, indexes, pos))
}

/// Reads a zig-zag varint of at most 32 bits at `*pos`, advancing it.
fn read_zigzag(value: &[u8], pos: &mut usize) -> Result<i32, FramingError> {
    let offset = *pos;
    let mut raw: u32 = 0;
    for i in 0..MAX_VARINT_LEN {
        let Some(&byte) = value.get(offset + i) else {
            return Err(FramingError::TruncatedVarint { offset });
        };
        let bits = u32::from(byte & 0x7f);
        // The fifth byte may only carry the top 4 bits of a 32-bit value.
        if i == MAX_VARINT_LEN - 1 && bits > 0x0f {
            return Err(FramingError::OverlongVarint { offset });
        }
        raw |= bits << (7 * i);
        if byte & 0x80 == 0 {
            *pos = offset + i + 1;
            return Ok(((raw >> 1) as i32) ^ -((raw & 1) as i32));
        }
    }
    Err(FramingError::OverlongVarint { offset })
}

fn zigzag(value: i32) -> u32 {
    ((value << 1) ^ (value >> 31)) as u32
}

fn put_zigzag(buf: &mut impl BufMut, value: i32) {
    let mut raw = zigzag(value);
    while raw >= 0x80 {
        buf.put_u8((raw as u8 & 0x7f) | 0x80);
        raw >>= 7;
    }
    buf.put_u8(raw as u8);
}

fn zigzag_len(value: i32) -> usize {
    let raw = zigzag(value);
    (32 - raw.leading_zeros() as usize).max(1).div_ceil(7)
}

/// A typed frame: the schema id and the decoded message.
#[derive(Debug, Clone, PartialEq)]
pub struct FramedMessage<M> {
    /// Schema-registry id of the writer's schema. Typed decoding checks the message
    /// indexes against `M`; whether the id is one of `M`'s registered schemas is the
    /// caller's to check (a registry lookup, or the id a producer registered).
    pub schema_id: u32,
    /// The decoded message.
    pub message: M,
}

/// Why [`decode_message`] refused a value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DecodeMessageError {
    /// The value is not a well-formed frame.
    Framing(FramingError),
    /// The frame's message indexes point at another message of the schema than the
    /// one asked for.
    WrongMessage {
        /// Full proto name of the message asked for.
        expected: &'static str,
        /// Its index path within its file.
        expected_indexes: &'static [i32],
        /// The index path the frame carries.
        found: Vec<i32>,
        /// The frame's schema id.
        schema_id: u32,
    },
    /// The payload does not decode as the message.
    Payload {
        /// Full proto name of the message.
        full_name: &'static str,
        /// prost's error (it names the field where decoding failed).
        error: prost::DecodeError,
    },
    /// The message decodes but breaks its `buf.validate` rules ([`decode_valid`]).
    #[cfg(feature = "validate")]
    Invalid(InvalidMessage),
}

impl fmt::Display for DecodeMessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Framing(e) => e.fmt(f),
            Self::WrongMessage {
                expected,
                expected_indexes,
                found,
                schema_id,
            } => write!(
                f,
                "frame of schema {schema_id} carries message indexes {found:?}, but {expected} \
                 is at {expected_indexes:?} of its file: the record holds another message type"
            ),
            Self::Payload { full_name, error } => {
                write!(f, "payload is not a valid {full_name}: {error}")
            }
            #[cfg(feature = "validate")]
            Self::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DecodeMessageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Framing(e) => Some(e),
            Self::Payload { error, .. } => Some(error),
            Self::WrongMessage { .. } => None,
            #[cfg(feature = "validate")]
            Self::Invalid(e) => Some(e),
        }
    }
}

impl From<FramingError> for DecodeMessageError {
    fn from(e: FramingError) -> Self {
        Self::Framing(e)
    }
}

/// Frames `message` for `schema_id` with its message-index path
/// ([`ProtoSchema::MESSAGE_INDEXES`], a generated constant): the bytes
/// confluent-kafka's `ProtobufSerializer` writes for it.
///
/// ```
/// use common_eventing::framing;
/// use common_eventing::options::v1::EventingOptions;
///
/// let options = EventingOptions { r#type: "t".into(), ..Default::default() };
/// let value = framing::encode_message(7, &options);
/// assert_eq!(value[..6], [0, 0, 0, 0, 7, 0]); // the first message of eventing.proto: [0]
///
/// let back = framing::decode_message::<EventingOptions>(&value)?;
/// assert_eq!((back.schema_id, back.message), (7, options));
/// # Ok::<(), framing::DecodeMessageError>(())
/// ```
pub fn encode_message<M: ProtoSchema>(schema_id: u32, message: &M) -> Vec<u8> {
    let mut out = Vec::with_capacity(header_len(M::MESSAGE_INDEXES) + message.size());
    encode_to(&mut out, schema_id, M::MESSAGE_INDEXES, &[]);
    crate::encode::append(message, &mut out);
    out
}

/// Like [`encode_message`], appending to any [`BufMut`] (a reused `Vec<u8>` or
/// `BytesMut`, which grow as needed).
///
/// # Panics
///
/// When `buf` cannot grow and has no room for the frame (a too short `&mut [u8]`).
pub fn encode_message_to<M: ProtoSchema>(buf: &mut impl BufMut, schema_id: u32, message: &M) {
    let needed = header_len(M::MESSAGE_INDEXES) + message.size();
    assert!(
        buf.remaining_mut() >= needed,
        "buffer has room for {} bytes, the frame of {} takes {needed}",
        buf.remaining_mut(),
        M::FULL_NAME
    );
    encode_to(buf, schema_id, M::MESSAGE_INDEXES, &[]);
    crate::encode::to_buf(message, buf);
}

/// Decodes a framed value as `M`: checks that its message indexes are `M`'s (an error
/// names both paths otherwise), then decodes the payload. Never panics.
pub fn decode_message<M: ProtoSchema + Default>(
    value: &[u8],
) -> Result<FramedMessage<M>, DecodeMessageError> {
    let framed = decode(value)?;
    check_indexes::<M>(framed.schema_id, framed.message_indexes)?;
    let message = M::decode(framed.payload).map_err(|error| DecodeMessageError::Payload {
        full_name: M::FULL_NAME,
        error,
    })?;
    Ok(FramedMessage {
        schema_id: framed.schema_id,
        message,
    })
}

/// Like [`decode_message`], decoding the payload into a zero-copy view
/// ([`crate::view`]): strings and bytes borrow from `value`, and nothing is allocated
/// per field. The view checks what [`decode_message`] checks, so it accepts exactly
/// the same values; [`MessageView::to_message`](crate::view::MessageView::to_message)
/// gives the owned message when one is needed.
///
/// ```
/// use common_eventing::framing;
/// use common_eventing::options::v1::EventingOptions;
///
/// let options = EventingOptions { r#type: "t".into(), ..Default::default() };
/// let value = framing::encode_message(7, &options);
/// let framed = framing::decode_view::<EventingOptions>(&value)?;
/// assert_eq!((framed.schema_id, framed.message.r#type), (7, "t"));
/// # Ok::<(), framing::DecodeMessageError>(())
/// ```
pub fn decode_view<M: ProtoSchema + crate::view::HasView>(
    value: &[u8],
) -> Result<FramedMessage<M::View<'_>>, DecodeMessageError> {
    use crate::view::MessageView;
    let framed = decode(value)?;
    check_indexes::<M>(framed.schema_id, framed.message_indexes)?;
    let message =
        M::View::decode_view(framed.payload).map_err(|error| DecodeMessageError::Payload {
            full_name: M::FULL_NAME,
            error,
        })?;
    Ok(FramedMessage {
        schema_id: framed.schema_id,
        message,
    })
}

/// Like [`decode_message`] for a [`Bytes`] value: `bytes` fields of the message share
/// the input buffer instead of being copied.
pub fn decode_message_bytes<M: ProtoSchema + Default>(
    value: &Bytes,
) -> Result<FramedMessage<M>, DecodeMessageError> {
    let framed = decode_bytes(value)?;
    check_indexes::<M>(framed.schema_id, framed.message_indexes)?;
    let message = M::decode(framed.payload).map_err(|error| DecodeMessageError::Payload {
        full_name: M::FULL_NAME,
        error,
    })?;
    Ok(FramedMessage {
        schema_id: framed.schema_id,
        message,
    })
}

/// A message that breaks its `buf.validate` rules: its full name and every violation
/// (each naming its field path, rule id and message).
#[cfg(feature = "validate")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMessage {
    /// Full proto name of the message.
    pub full_name: &'static str,
    /// What it breaks.
    pub violations: crate::validate::Violations,
}

#[cfg(feature = "validate")]
impl fmt::Display for InvalidMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} breaks its contract: {}",
            self.full_name, self.violations
        )
    }
}

#[cfg(feature = "validate")]
impl std::error::Error for InvalidMessage {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.violations)
    }
}

/// [`encode_message`] for a message that keeps its contract: its `buf.validate` rules
/// are checked first (the generated [`Validate`](crate::validate::Validate) impl),
/// and a message that breaks them is not framed.
///
/// ```
/// # #[cfg(feature = "validate")] {
/// use common_eventing::framing;
/// use common_eventing::options::v1::EventingOptions;
///
/// // The eventing option has no rules: it always frames, as `encode_message` does.
/// let options = EventingOptions { r#type: "t".into(), ..Default::default() };
/// assert_eq!(framing::encode_valid(7, &options)?, framing::encode_message(7, &options));
/// # }
/// # Ok::<(), common_eventing::framing::InvalidMessage>(())
/// ```
#[cfg(feature = "validate")]
pub fn encode_valid<M: ProtoSchema + crate::validate::Validate>(
    schema_id: u32,
    message: &M,
) -> Result<Vec<u8>, InvalidMessage> {
    check_valid(message)?;
    Ok(encode_message(schema_id, message))
}

/// [`decode_message`], then the message's `buf.validate` rules: a record that decodes
/// but breaks its contract is [`DecodeMessageError::Invalid`], naming every field.
#[cfg(feature = "validate")]
pub fn decode_valid<M: ProtoSchema + Default + crate::validate::Validate>(
    value: &[u8],
) -> Result<FramedMessage<M>, DecodeMessageError> {
    let framed = decode_message::<M>(value)?;
    check_valid(&framed.message).map_err(DecodeMessageError::Invalid)?;
    Ok(framed)
}

#[cfg(feature = "validate")]
fn check_valid<M: ProtoSchema + crate::validate::Validate>(
    message: &M,
) -> Result<(), InvalidMessage> {
    message.validate().map_err(|violations| InvalidMessage {
        full_name: M::FULL_NAME,
        violations,
    })
}

fn check_indexes<M: ProtoSchema>(
    schema_id: u32,
    found: Vec<i32>,
) -> Result<(), DecodeMessageError> {
    let expected = M::MESSAGE_INDEXES;
    // `[]` and `[0]` both mean the first message.
    if found == expected || (is_first_message(&found) && is_first_message(expected)) {
        return Ok(());
    }
    Err(DecodeMessageError::WrongMessage {
        expected: M::FULL_NAME,
        expected_indexes: expected,
        found,
        schema_id,
    })
}

#[cfg(feature = "envelope-metadata")]
/// Why [`message_indexes_for`] found no index path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageIndexError {
    /// The bytes are not an encoded `google.protobuf.FileDescriptorSet`.
    InvalidDescriptorSet(prost::DecodeError),
    /// No file of the set declares a message with this full name.
    NotFound {
        /// The full name looked up (without a leading dot).
        full_name: String,
    },
    /// A message's position does not fit an `i32` (a malformed descriptor).
    IndexOverflow {
        /// The full name looked up.
        full_name: String,
    },
}

#[cfg(feature = "envelope-metadata")]
impl fmt::Display for MessageIndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidDescriptorSet(e) => write!(f, "invalid FileDescriptorSet: {e}"),
            Self::NotFound { full_name } => {
                write!(f, "no message `{full_name}` in the FileDescriptorSet")
            }
            Self::IndexOverflow { full_name } => {
                write!(f, "message `{full_name}`: index does not fit an i32")
            }
        }
    }
}

#[cfg(feature = "envelope-metadata")]
impl std::error::Error for MessageIndexError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidDescriptorSet(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(feature = "envelope-metadata")]
/// The message-index path of the message `full_name` (e.g. `pkg.v1.Outer.Inner`, a
/// leading dot allowed) within its file, from an encoded `FileDescriptorSet`: `[k]`
/// for the k-th top-level message of the file, `[k, j]` for the j-th message nested in
/// it, and so on (all zero-based, in declaration order).
pub fn message_indexes_for(
    full_name: &str,
    file_descriptor_set: &[u8],
) -> Result<Vec<i32>, MessageIndexError> {
    use prost::Message as _;

    let full_name = full_name.strip_prefix('.').unwrap_or(full_name);
    let set = prost_types::FileDescriptorSet::decode(file_descriptor_set)
        .map_err(MessageIndexError::InvalidDescriptorSet)?;
    for file in &set.file {
        let relative = match file.package() {
            "" => Some(full_name),
            package => full_name
                .strip_prefix(package)
                .and_then(|rest| rest.strip_prefix('.')),
        };
        let Some(relative) = relative else { continue };
        if let Some(path) = find_path(&file.message_type, relative) {
            return path
                .into_iter()
                .map(i32::try_from)
                .collect::<Result<_, _>>()
                .map_err(|_| MessageIndexError::IndexOverflow {
                    full_name: full_name.to_owned(),
                });
        }
    }
    Err(MessageIndexError::NotFound {
        full_name: full_name.to_owned(),
    })
}

#[cfg(feature = "envelope-metadata")]
/// Positions along `relative` (`Outer.Inner`) in `messages` and their nested types.
fn find_path(messages: &[prost_types::DescriptorProto], relative: &str) -> Option<Vec<usize>> {
    let mut path = Vec::new();
    let mut level = messages;
    for segment in relative.split('.') {
        let index = level.iter().position(|m| m.name() == segment)?;
        path.push(index);
        level = &level[index].nested_type;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::encode_with_prost!(Nested);
    use prost::Message as _;

    fn header(id: u32) -> Vec<u8> {
        let mut v = vec![0];
        v.extend_from_slice(&id.to_be_bytes());
        v
    }

    #[test]
    fn round_trips_index_paths() {
        let payload = b"\x08\x96\x01 some protobuf";
        for indexes in [
            vec![0],
            vec![14],
            vec![3, 1],
            vec![1, 0, 2],
            vec![63, 64],
            vec![300, 70_000],
            vec![i32::MAX],
        ] {
            let framed = encode(0xdead_beef, &indexes, payload);
            assert_eq!(framed.len(), header_len(&indexes) + payload.len());
            let d = decode(&framed).unwrap();
            assert_eq!(d.schema_id, 0xdead_beef);
            assert_eq!(d.message_indexes, indexes);
            assert_eq!(d.payload, payload);
        }
    }

    #[test]
    fn exact_bytes_for_the_fifteenth_message() {
        let framed = encode(7, &[14], &[0xaa, 0xbb]);
        assert_eq!(
            framed,
            [0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x1c, 0xaa, 0xbb]
        );
    }

    #[test]
    fn first_message_is_a_single_zero_byte() {
        let mut expected = header(0x0102_0304);
        expected.extend_from_slice(&[0x00, 0x08, 0x01]);
        assert_eq!(encode(0x0102_0304, &[0], &[0x08, 0x01]), expected);
        assert_eq!(encode(0x0102_0304, &[], &[0x08, 0x01]), expected);
        // Schema id is big-endian.
        assert_eq!(&expected[1..5], &[1, 2, 3, 4]);
    }

    #[test]
    fn explicit_single_zero_index_decodes_as_first_message() {
        let mut v = header(9);
        v.extend_from_slice(&[0x02, 0x00, 0x42]);
        let d = decode(&v).unwrap();
        assert_eq!(d.message_indexes, [0]);
        assert_eq!(d.payload, [0x42]);
    }

    #[test]
    fn nested_and_multibyte_indexes_use_zigzag() {
        // count 2 -> 4; 3 -> 6; 1 -> 2.
        assert_eq!(encode(1, &[3, 1], b"")[5..], [0x04, 0x06, 0x02]);
        // 64 -> zigzag 128 -> two varint bytes 0x80 0x01.
        assert_eq!(encode(1, &[64], b"")[5..], [0x02, 0x80, 0x01]);
    }

    #[test]
    fn empty_payload_is_allowed() {
        let framed = encode(5, &[2], b"");
        let d = decode(&framed).unwrap();
        assert_eq!(d.message_indexes, [2]);
        assert!(d.payload.is_empty());
    }

    #[test]
    fn bytes_variant_slices_without_copying() {
        let value = Bytes::from(encode(11, &[14], b"hello"));
        let d = decode_bytes(&value).unwrap();
        assert_eq!(d.schema_id, 11);
        assert_eq!(d.message_indexes, [14]);
        assert_eq!(d.payload, Bytes::from_static(b"hello"));
        // Same allocation: the payload points into the input buffer.
        assert_eq!(d.payload.as_ptr(), value[7..].as_ptr());
    }

    #[test]
    fn encode_to_appends() {
        let mut buf = bytes::BytesMut::from(&b"xx"[..]);
        encode_to(&mut buf, 7, &[14], b"p");
        assert_eq!(&buf[..], b"xx\x00\x00\x00\x00\x07\x02\x1cp");
    }

    #[test]
    fn short_input_errors() {
        assert_eq!(
            decode(&[]),
            Err(FramingError::TooShort {
                needed: 6,
                found: 0
            })
        );
        assert_eq!(
            decode(&[0, 0, 0, 7]),
            Err(FramingError::TooShort {
                needed: 6,
                found: 4
            })
        );
        // Header without an index array.
        assert_eq!(
            decode(&[0, 0, 0, 0, 7]),
            Err(FramingError::TooShort {
                needed: 6,
                found: 5
            })
        );
    }

    #[test]
    fn wrong_magic_byte_names_it() {
        let mut v = encode(7, &[0], b"x");
        v[0] = 1;
        let err = decode(&v).unwrap_err();
        assert_eq!(err, FramingError::WrongMagicByte { found: 1 });
        assert!(err.to_string().contains("0x01"), "{err}");
        // Even when too short to be a frame, plain JSON is reported as unframed.
        assert_eq!(
            decode(b"{}"),
            Err(FramingError::WrongMagicByte { found: b'{' })
        );
    }

    #[test]
    fn truncated_varint_errors() {
        // Count varint with its continuation bit set and nothing after it.
        let mut v = header(7);
        v.push(0x80);
        assert_eq!(decode(&v), Err(FramingError::TruncatedVarint { offset: 5 }));
        // Count 1, then an index varint cut short.
        let mut v = header(7);
        v.extend_from_slice(&[0x02, 0x80]);
        assert_eq!(decode(&v), Err(FramingError::TruncatedVarint { offset: 6 }));
        assert!(decode(&v).unwrap_err().to_string().contains("offset 6"));
    }

    #[test]
    fn overlong_varint_errors() {
        let mut v = header(7);
        v.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
        assert_eq!(decode(&v), Err(FramingError::OverlongVarint { offset: 5 }));
        // Fifth byte carrying more than 32 bits.
        let mut v = header(7);
        v.extend_from_slice(&[0x82, 0x80, 0x80, 0x80, 0x10, 0x00]);
        assert_eq!(decode(&v), Err(FramingError::OverlongVarint { offset: 5 }));
    }

    #[test]
    fn count_errors() {
        // Count 3 but only two bytes follow.
        let mut v = header(7);
        v.extend_from_slice(&[0x06, 0x02, 0x02]);
        assert_eq!(
            decode(&v),
            Err(FramingError::CountExceedsInput {
                offset: 5,
                count: 3,
                remaining: 2
            })
        );
        // Count -1 (zigzag 1).
        let mut v = header(7);
        v.extend_from_slice(&[0x01, 0x00]);
        assert_eq!(
            decode(&v),
            Err(FramingError::NegativeCount {
                offset: 5,
                count: -1
            })
        );
        // Count 2^30: absurd, rejected before looking at the rest.
        let mut v = header(7);
        v.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x08]);
        assert_eq!(
            decode(&v),
            Err(FramingError::TooManyIndexes {
                offset: 5,
                count: 1 << 30
            })
        );
        // Just above the cap.
        let mut v = header(7);
        put_zigzag(&mut v, (MAX_MESSAGE_INDEXES + 1) as i32);
        v.extend(std::iter::repeat_n(0u8, MAX_MESSAGE_INDEXES + 1));
        assert!(matches!(
            decode(&v),
            Err(FramingError::TooManyIndexes { count: 1025, .. })
        ));
    }

    #[test]
    fn negative_index_errors() {
        let mut v = header(7);
        v.extend_from_slice(&[0x04, 0x02, 0x03]); // [1, -2]
        assert_eq!(
            decode(&v),
            Err(FramingError::NegativeIndex {
                offset: 7,
                index: -2
            })
        );
    }

    #[test]
    fn decode_never_panics_on_random_input() {
        // xorshift64*: deterministic, no dependency.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let mut ok = 0;
        for round in 0..20_000 {
            let mut v: Vec<u8> = if round % 2 == 0 {
                // Purely random bytes, mostly with the right magic byte.
                let len = (next() % 24) as usize;
                let mut v: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                if next() % 4 != 0 && !v.is_empty() {
                    v[0] = 0;
                }
                v
            } else {
                // A valid frame with a few random bytes overwritten and a random cut.
                let indexes: Vec<i32> = (0..next() % 4).map(|_| (next() % 200) as i32).collect();
                let payload: Vec<u8> = (0..next() % 8).map(|_| next() as u8).collect();
                let mut v = encode(next() as u32, &indexes, &payload);
                for _ in 0..next() % 3 {
                    let at = (next() as usize) % v.len();
                    v[at] = next() as u8;
                }
                v.truncate((next() as usize) % (v.len() + 1));
                v
            };
            if let Ok(d) = decode(&v) {
                ok += 1;
                assert!(d.message_indexes.iter().all(|&i| i >= 0));
                assert!(!d.message_indexes.is_empty());
                // What decodes re-encodes to a frame that decodes the same way.
                let again = encode(d.schema_id, &d.message_indexes, d.payload);
                assert_eq!(decode(&again).unwrap(), d);
            }
            v.push(0);
            let _ = decode_bytes(&Bytes::from(v));
        }
        assert!(ok > 100, "only {ok} random inputs decoded");
    }

    /// A stand-in for a generated message nested at `[3, 1]` of its file.
    #[derive(Clone, PartialEq, prost::Message)]
    struct Nested {
        #[prost(string, tag = "1")]
        name: String,
    }
    impl prost::Name for Nested {
        const NAME: &'static str = "Outer.Nested";
        const PACKAGE: &'static str = "t.v1";
    }
    static NESTED_FILE: crate::registry::ProtoFile = crate::registry::ProtoFile {
        name: "t/v1/t.proto",
        package: "t.v1",
        text: "",
        imports: &[],
        dependencies: &[],
    };
    impl ProtoSchema for Nested {
        const FULL_NAME: &'static str = "t.v1.Outer.Nested";
        const FILE: &'static crate::registry::ProtoFile = &NESTED_FILE;
        const MESSAGE_INDEXES: &'static [i32] = &[3, 1];
        const DECLARED_SUBJECT: Option<&'static str> = None;
    }

    #[test]
    fn typed_framing_writes_the_types_indexes_and_checks_them_back() {
        let message = Nested { name: "x".into() };
        let value = encode_message(9, &message);
        assert_eq!(value, encode(9, &[3, 1], &message.encode_to_vec()));
        assert_eq!(&value[5..8], &[0x04, 0x06, 0x02]);
        let back = decode_message::<Nested>(&value).unwrap();
        assert_eq!((back.schema_id, back.message), (9, message.clone()));
        let bytes = Bytes::from(value.clone());
        assert_eq!(
            decode_message_bytes::<Nested>(&bytes).unwrap().message,
            message
        );

        let mut buf = bytes::BytesMut::from(&b"xx"[..]);
        encode_message_to(&mut buf, 9, &message);
        assert_eq!(&buf[2..], &value[..]);

        // Another message of the same schema is refused, naming both paths.
        let other = encode(9, &[3, 0], &message.encode_to_vec());
        let err = decode_message::<Nested>(&other).unwrap_err();
        assert_eq!(
            err,
            DecodeMessageError::WrongMessage {
                expected: "t.v1.Outer.Nested",
                expected_indexes: &[3, 1],
                found: vec![3, 0],
                schema_id: 9,
            }
        );
        let text = err.to_string();
        assert!(
            text.contains("[3, 0]")
                && text.contains("[3, 1]")
                && text.contains("t.v1.Outer.Nested"),
            "{text}"
        );
        // The first message ([0], written as a zero count) is not [3, 1] either.
        assert!(matches!(
            decode_message::<Nested>(&encode(9, &[0], b"")),
            Err(DecodeMessageError::WrongMessage { .. })
        ));
        // Framing and payload errors are reported as such.
        assert!(matches!(
            decode_message::<Nested>(b"{}"),
            Err(DecodeMessageError::Framing(
                FramingError::WrongMagicByte { .. }
            ))
        ));
        let bad_payload = encode(9, &[3, 1], &[0x0a, 0xff]);
        let err = decode_message::<Nested>(&bad_payload).unwrap_err();
        assert!(matches!(
            err,
            DecodeMessageError::Payload {
                full_name: "t.v1.Outer.Nested",
                ..
            }
        ));
        assert!(err.to_string().contains("t.v1.Outer.Nested"), "{err}");
    }

    #[test]
    fn typed_framing_of_a_first_message_is_a_zero_byte() {
        use crate::options::v1::EventingOptions;
        assert_eq!(<EventingOptions as ProtoSchema>::MESSAGE_INDEXES, [0]);
        let value = encode_message(1, &EventingOptions::default());
        assert_eq!(value, [0, 0, 0, 0, 1, 0]);
        // An explicit `[0]` array decodes as the first message too.
        assert!(decode_message::<EventingOptions>(&[0, 0, 0, 0, 1, 0x02, 0x00]).is_ok());
    }

    #[test]
    fn header_len_matches_encoding() {
        for indexes in [vec![], vec![0], vec![14], vec![64, 8191, 8192], vec![-1]] {
            assert_eq!(header_len(&indexes), encode(0, &indexes, b"").len());
        }
    }

    #[test]
    #[cfg(feature = "envelope-metadata")]
    fn message_indexes_from_this_crates_descriptors() {
        let set = crate::FILE_DESCRIPTOR_SET;
        assert_eq!(
            message_indexes_for("google.protobuf.Struct", set),
            Ok(vec![0])
        );
        assert_eq!(
            message_indexes_for(".google.protobuf.Value", set),
            Ok(vec![1])
        );
        assert_eq!(
            message_indexes_for("google.protobuf.ListValue", set),
            Ok(vec![2])
        );
        assert_eq!(
            message_indexes_for("google.protobuf.Struct.FieldsEntry", set),
            Ok(vec![0, 0])
        );
        assert_eq!(
            message_indexes_for("google.protobuf.BytesValue", set),
            Ok(vec![8])
        );
        assert_eq!(
            message_indexes_for("google.protobuf.Nope", set),
            Err(MessageIndexError::NotFound {
                full_name: "google.protobuf.Nope".into()
            })
        );
        // A package prefix must end at a dot.
        assert!(message_indexes_for("google.protobufStruct", set).is_err());
        assert!(matches!(
            message_indexes_for("x.Y", b"\xff"),
            Err(MessageIndexError::InvalidDescriptorSet(_))
        ));
    }

    #[test]
    #[cfg(feature = "envelope-metadata")]
    fn message_indexes_for_a_fifteenth_and_nested_message() {
        use prost_types::{DescriptorProto, FileDescriptorProto, FileDescriptorSet};
        let msg = |name: &str, nested: Vec<DescriptorProto>| DescriptorProto {
            name: Some(name.into()),
            nested_type: nested,
            ..Default::default()
        };
        let mut messages: Vec<_> = (0..14).map(|i| msg(&format!("M{i}"), vec![])).collect();
        messages.push(msg(
            "Event",
            vec![msg("A", vec![]), msg("B", vec![msg("C", vec![])])],
        ));
        let set = FileDescriptorSet {
            file: vec![
                FileDescriptorProto {
                    name: Some("other.proto".into()),
                    package: Some("chaukas.spec.common".into()),
                    message_type: vec![msg("Event", vec![])],
                    ..Default::default()
                },
                FileDescriptorProto {
                    name: Some("events.proto".into()),
                    package: Some("chaukas.spec.common.v1".into()),
                    message_type: messages,
                    ..Default::default()
                },
            ],
        }
        .encode_to_vec();
        let path = |n| message_indexes_for(n, &set).unwrap();
        assert_eq!(path("chaukas.spec.common.v1.Event"), [14]);
        assert_eq!(path("chaukas.spec.common.v1.M0"), [0]);
        assert_eq!(path("chaukas.spec.common.v1.Event.B"), [14, 1]);
        assert_eq!(path("chaukas.spec.common.v1.Event.B.C"), [14, 1, 0]);
        assert_eq!(path("chaukas.spec.common.Event"), [0]);
        // And it frames as in the contract.
        assert_eq!(
            encode(7, &path("chaukas.spec.common.v1.Event"), b"")[5..],
            [0x02, 0x1c]
        );
    }
}
