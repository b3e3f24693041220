//! The gRPC codec of every generated tonic client and server (feature `grpc`).
//!
//! [`Codec`] is tonic-prost's `ProstCodec` with two differences. It encodes with the
//! workspace's backward encoder ([`Encode`], the bytes of
//! [`encode::to_vec`](crate::encode::to_vec): prost's, with maps as Python writes
//! them), so every generated client and server writes what `framing` and `Lossless`
//! write. On the decoding side, bytes that do not decode as the expected message
//! (malformed wire data, invalid UTF-8 in a `string`, nesting past the depth limit)
//! are the caller's error, so they are answered `INVALID_ARGUMENT`, as the gRPC
//! status code guide says, never `INTERNAL`. The status message names the message type and prost's reason.
//!
//! ```
//! use common_eventing::grpc::Codec;
//! use common_eventing::wkt::Timestamp;
//! use tonic::codec::Codec as _;
//!
//! // The codec a generated service uses for `Timestamp` in and out.
//! let mut codec = Codec::<Timestamp, Timestamp>::default();
//! let _decoder = codec.decoder();
//! ```

use crate::encode::Encode;
use prost::Message;
use std::marker::PhantomData;
use tonic::Status;
use tonic::codec::{DecodeBuf, EncodeBuf};

/// Encodes `T` with [`Encode`] and decodes `U` with prost; a decode error is
/// `INVALID_ARGUMENT`.
#[derive(Debug, Clone, Copy)]
pub struct Codec<T, U>(PhantomData<fn(T) -> U>);

impl<T, U> Default for Codec<T, U> {
    fn default() -> Self {
        Codec(PhantomData)
    }
}

impl<T, U> tonic::codec::Codec for Codec<T, U>
where
    T: Encode + Send + 'static,
    U: Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = Encoder<T>;
    type Decoder = Decoder<U>;

    fn encoder(&mut self) -> Encoder<T> {
        Encoder(PhantomData)
    }

    fn decoder(&mut self) -> Decoder<U> {
        Decoder(PhantomData)
    }
}

/// The encoding half of [`Codec`].
#[derive(Debug, Clone, Copy)]
pub struct Encoder<T>(PhantomData<fn(T)>);

impl<T: Encode> tonic::codec::Encoder for Encoder<T> {
    type Item = T;
    type Error = Status;

    fn encode(&mut self, item: T, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        // An `EncodeBuf` grows as needed, so writing cannot fail. Room for the whole
        // message first, so the backward writer writes in place.
        if T::FLAT {
            crate::encode::to_buf(&item, buf);
        } else {
            let len = item.size();
            buf.reserve(len);
            crate::encode::to_buf_sized(&item, len, buf);
        }
        Ok(())
    }
}

/// The decoding half of [`Codec`].
#[derive(Debug, Clone, Copy)]
pub struct Decoder<U>(PhantomData<fn() -> U>);

impl<U: Message + Default> tonic::codec::Decoder for Decoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        U::decode(buf).map(Some).map_err(|e| {
            Status::invalid_argument(format!(
                "the message does not decode as {}: {e}",
                std::any::type_name::<U>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("?")
            ))
        })
    }
}
