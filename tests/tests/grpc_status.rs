//! Request bytes that do not decode are the caller's error: every generated gRPC
//! service answers them `INVALID_ARGUMENT` (tonic-prost's codec says `INTERNAL`), and
//! the reference servers do too.

use interop_tests::aios_fake::AiosFake;
use interop_tests::ingest_stack::TestServer;
use interop_tests::raw_grpc::{MALFORMED, unary};
use prost::Message as _;
use tonic::Code;
use tonic::transport::Channel;

/// `/pkg.Service/Method` of every rpc in a descriptor set whose client sends one
/// message.
fn rpcs(descriptor_set: &[u8]) -> Vec<String> {
    let set = prost_types::FileDescriptorSet::decode(descriptor_set).unwrap();
    let mut out = Vec::new();
    for file in &set.file {
        for service in &file.service {
            for method in &service.method {
                if !method.client_streaming() {
                    out.push(format!(
                        "/{}.{}/{}",
                        file.package(),
                        service.name(),
                        method.name()
                    ));
                }
            }
        }
    }
    out
}

async fn assert_invalid_argument(channel: &Channel, path: &str) {
    let status = unary(channel.clone(), path, &[], MALFORMED)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{path}: {status:?}");
    assert!(
        status.message().contains("does not decode"),
        "{path}: {status:?}"
    );
}

#[tokio::test]
async fn every_aios_rpc_answers_malformed_bytes_invalid_argument() {
    let addr = AiosFake::default().spawn().await;
    let channel = Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let rpcs = rpcs(aios_proto::FILE_DESCRIPTOR_SET);
    assert!(rpcs.len() > 20, "{rpcs:?}");
    for path in &rpcs {
        assert_invalid_argument(&channel, path).await;
    }
}

#[tokio::test]
async fn the_ingest_server_answers_malformed_bytes_invalid_argument() {
    let server = TestServer::open().await;
    let channel = server.channel().await;
    let mut paths = rpcs(chaukas_spec_client::FILE_DESCRIPTOR_SET);
    paths.extend(rpcs(chaukas_spec_server::FILE_DESCRIPTOR_SET));
    let ingest = paths.iter().filter(|p| p.ends_with("Service/IngestEvent"));
    assert_eq!(ingest.count(), 2, "{paths:?}");
    for path in &paths {
        assert_invalid_argument(&channel, path).await;
    }
    server.stop().await.unwrap();
}
