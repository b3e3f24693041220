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

/// An `IngestEventRequest` whose event's tool-call arguments nest `levels` `Struct`s.
fn too_deep_ingest_request(levels: usize) -> Vec<u8> {
    use chaukas_spec_client::client::v1::IngestEventRequest;
    use chaukas_spec_client::common::v1::{Event, ToolCall, event};
    use common_eventing::wkt::{Struct, Value};
    let mut value = Value::from("leaf");
    for _ in 0..levels {
        let inner: Struct = [("a", value)].into_iter().collect();
        value = Value::from(inner);
    }
    let arguments: Struct = [("deep", value)].into_iter().collect();
    let request = IngestEventRequest {
        event: Some(Event {
            event_id: "evt-deep".into(),
            content: Some(event::Content::ToolCall(ToolCall {
                name: "search".into(),
                arguments: Some(arguments),
                ..Default::default()
            })),
            ..Default::default()
        }),
    };
    common_eventing::encode::to_vec(&request)
}

#[tokio::test]
async fn the_ingest_server_answers_a_too_deep_event_invalid_argument() {
    let server = TestServer::open().await;
    let channel = server.channel().await;
    // prost's limit is 100 message levels; each `Struct` level is three (Struct, map
    // entry, Value), so 40 levels are well past it.
    let deep = too_deep_ingest_request(40);
    assert!(
        chaukas_spec_client::client::v1::IngestEventRequest::decode(deep.as_slice())
            .unwrap_err()
            .to_string()
            .contains("recursion limit"),
        "the request is too deep for prost"
    );
    for path in [
        "/chaukas.spec.client.v1.ChaukasClientService/IngestEvent",
        "/chaukas.spec.server.v1.ChaukasServerService/IngestEvent",
    ] {
        let status = unary(channel.clone(), path, &[], &deep).await.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{path}: {status:?}");
        assert!(
            status.message().contains("recursion limit"),
            "{path}: {status:?}"
        );
    }
    server.stop().await.unwrap();
}
