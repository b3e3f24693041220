//! The one protobuf wire walker of xtask: the top-level fields of an encoded message,
//! each with its raw bytes, for copying descriptors byte for byte (without decoding
//! and re-encoding them, which could drop or reorder what prost does not know).

use anyhow::{Result, bail, ensure};
use prost::encoding::{WireType, decode_key, decode_varint};

/// One field of an encoded message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// Field number.
    pub number: u32,
    /// Wire type.
    pub wire_type: WireType,
    /// Key and value as encoded: append it to copy the field.
    pub raw: &'a [u8],
    /// The value: a varint's bytes, a fixed value's bytes, or a length-delimited
    /// value's payload (without its length prefix).
    pub value: &'a [u8],
}

impl Field<'_> {
    /// The value of a varint field.
    pub fn varint(&self) -> Result<u64> {
        ensure!(
            self.wire_type == WireType::Varint,
            "field {} is not a varint",
            self.number
        );
        Ok(decode_varint(&mut &*self.value)?)
    }

    /// The payload of a length-delimited field as UTF-8.
    pub fn string(&self) -> Result<String> {
        ensure!(
            self.wire_type == WireType::LengthDelimited,
            "field {} is not length-delimited",
            self.number
        );
        Ok(String::from_utf8(self.value.to_vec())?)
    }
}

/// The top-level fields of `bytes`, in order; fails on truncated input, naming the
/// byte offset.
pub fn fields(bytes: &[u8]) -> Result<Vec<Field<'_>>> {
    let mut out = Vec::new();
    let mut buf = bytes;
    while !buf.is_empty() {
        let start = buf;
        let offset = bytes.len() - buf.len();
        let (number, wire_type) = decode_key(&mut buf)?;
        let value = match wire_type {
            WireType::Varint => {
                let before = buf;
                decode_varint(&mut buf)?;
                &before[..before.len() - buf.len()]
            }
            WireType::SixtyFourBit | WireType::ThirtyTwoBit => {
                let len = if wire_type == WireType::SixtyFourBit {
                    8
                } else {
                    4
                };
                ensure!(
                    len <= buf.len(),
                    "truncated field {number} at offset {offset}"
                );
                let (value, rest) = buf.split_at(len);
                buf = rest;
                value
            }
            WireType::LengthDelimited => {
                let len = usize::try_from(decode_varint(&mut buf)?)?;
                ensure!(
                    len <= buf.len(),
                    "truncated field {number} at offset {offset}"
                );
                let (value, rest) = buf.split_at(len);
                buf = rest;
                value
            }
            WireType::StartGroup | WireType::EndGroup => {
                bail!("field {number} at offset {offset}: groups are not used in descriptors")
            }
        };
        out.push(Field {
            number,
            wire_type,
            raw: &start[..start.len() - buf.len()],
            value,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::encoding::{encode_key, encode_varint};

    #[test]
    fn walks_and_copies_fields() {
        let mut bytes = Vec::new();
        encode_key(1, WireType::LengthDelimited, &mut bytes);
        encode_varint(3, &mut bytes);
        bytes.extend_from_slice(b"abc");
        encode_key(2, WireType::Varint, &mut bytes);
        encode_varint(300, &mut bytes);
        encode_key(3, WireType::ThirtyTwoBit, &mut bytes);
        bytes.extend_from_slice(&[1, 2, 3, 4]);
        let fields = fields(&bytes).unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0].string().unwrap(), "abc");
        assert_eq!(fields[1].varint().unwrap(), 300);
        assert_eq!(fields[2].value, [1, 2, 3, 4]);
        let copied: Vec<u8> = fields.iter().flat_map(|f| f.raw.iter().copied()).collect();
        assert_eq!(copied, bytes);
        let err = super::fields(&bytes[..bytes.len() - 1])
            .unwrap_err()
            .to_string();
        assert!(err.contains("truncated field 3 at offset"), "{err}");
    }
}
