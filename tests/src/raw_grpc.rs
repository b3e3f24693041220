//! Raw bytes as a gRPC request: what a hostile or broken client sends, which no typed
//! client can.

use bytes::{Buf, BufMut};
use tonic::Status;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;

/// Bytes that no message decodes: field 1, length-delimited, 255 bytes long, then
/// nothing (prost: "buffer underflow", whatever field 1 is).
pub const MALFORMED: &[u8] = &[0x0a, 0xff, 0x01];

/// Sends `bytes` as the request of the unary rpc at `path` (`/pkg.Service/Method`),
/// with `metadata`; the answer's bytes, or its status.
pub async fn unary(
    channel: Channel,
    path: &str,
    metadata: &[(&'static str, &str)],
    bytes: &[u8],
) -> Result<Vec<u8>, Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let mut request = tonic::Request::new(bytes.to_vec());
    for (key, value) in metadata {
        request.metadata_mut().insert(*key, value.parse().unwrap());
    }
    let path = tonic::codegen::http::uri::PathAndQuery::try_from(path)
        .map_err(|e| Status::invalid_argument(format!("{path}: {e}")))?;
    grpc.unary(request, path, RawCodec)
        .await
        .map(|r| r.into_inner())
}

/// Bytes in, bytes out: a codec for requests a typed client cannot send.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;
    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }
    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        buf.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        Ok(Some(buf.copy_to_bytes(buf.remaining()).to_vec()))
    }
}
