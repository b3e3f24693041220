//! Hardening of the reference SRE backend (`apps/sre-backend`) over gRPC: what a
//! hostile probe found, one regression test each (see the README's "The MCP adapter
//! and the reference SRE backend" for the limits).

use ameide_sre_proto::core::v1::incident_service_client::IncidentServiceClient;
use ameide_sre_proto::core::v1::sre_alert_query_service_client::SreAlertQueryServiceClient;
use ameide_sre_proto::core::v1::sre_incident_query_service_client::SreIncidentQueryServiceClient;
use ameide_sre_proto::core::v1::*;
use interop_tests::mcp_stack::backend_with;
use interop_tests::{h2_probe, raw_grpc};
use sre_backend::Backend;
use sre_backend::facts::FactLog;
use sre_backend::server::ServerOptions;
use tokio::net::TcpListener;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};

/// A backend with no data on a loopback port, and a channel to it.
async fn start() -> Channel {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let backend = Backend::new(Default::default(), FactLog::in_memory(1));
    tokio::spawn(backend.serve(listener, std::future::pending()));
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

fn with_tenant<T>(message: T) -> Request<T> {
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert("x-tenant-id", "acme".parse().unwrap());
    request
}

/// Row 2 of the probe: the backend echoed a 100,000-character id in its status
/// message, which does not fit an HTTP/2 header: the call failed at the transport
/// (and with it the caller's connection). Every echoed value is now cut short, so
/// the answer is the right status with a short message naming the length; and ids past
/// the contract's bounds are refused by its rules before any lookup, naming the bound.
#[tokio::test]
async fn status_messages_do_not_echo_unbounded_input() {
    let channel = start().await;
    let huge = "x".repeat(100_000);
    let mut statuses: Vec<(&str, Status)> = Vec::new();
    let mut incidents = SreIncidentQueryServiceClient::new(channel.clone());
    let get = GetIncidentRequest {
        tenant_id: "acme".into(),
        incident_id: huge.clone(),
    };
    statuses.push((
        "GetIncident",
        incidents.get_incident(with_tenant(get)).await.unwrap_err(),
    ));
    let mut alerts = SreAlertQueryServiceClient::new(channel.clone());
    let get = GetAlertRequest {
        tenant_id: "acme".into(),
        alert_id: huge.clone(),
    };
    statuses.push((
        "GetAlert",
        alerts.get_alert(with_tenant(get)).await.unwrap_err(),
    ));
    let mut commands = IncidentServiceClient::new(channel.clone());
    let ack = AcknowledgeIncidentRequest {
        tenant_id: "acme".into(),
        incident_id: huge.clone(),
        ..Default::default()
    };
    statuses.push((
        "AcknowledgeIncident",
        commands
            .acknowledge_incident(with_tenant(ack))
            .await
            .unwrap_err(),
    ));
    // A tenant id as long as the contract allows, naming another tenant.
    let long_tenant = "t".repeat(128);
    let other_tenant = GetIncidentRequest {
        tenant_id: long_tenant.clone(),
        incident_id: "inc-1".into(),
    };
    statuses.push((
        "GetIncident of another tenant",
        incidents
            .get_incident(with_tenant(other_tenant))
            .await
            .unwrap_err(),
    ));
    for (what, status) in &statuses {
        // A huge id breaks the contract's bound and is refused before any lookup,
        // naming the bound; a valid id of another tenant is echoed cut short.
        let (want, names) = if what.ends_with("another tenant") {
            (Code::PermissionDenied, "128")
        } else {
            (Code::InvalidArgument, "must be at most 256 characters")
        };
        assert_eq!(status.code(), want, "{what}: {status:?}");
        assert!(
            status.message().len() <= 256,
            "{what}: a {}-byte message",
            status.message().len()
        );
        assert!(
            status.message().contains(names),
            "{what}: names {names}: {}",
            status.message()
        );
    }
    // The same connection still serves.
    let fine = incidents
        .list_open_incidents(with_tenant(ListOpenIncidentsRequest {
            tenant_id: "acme".into(),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert!(fine.into_inner().incidents.is_empty());
}

/// Row 9 of the probe: request bytes that are not the request message (a bad varint,
/// a truncated field, invalid UTF-8 in a string) were `INTERNAL`; they are the
/// caller's fault: `INVALID_ARGUMENT`. (The codec is the workspace's generated tonic
/// code; this test pins what the backend answers.)
#[tokio::test]
async fn malformed_request_bytes_are_invalid_argument() {
    let channel = start().await;
    let path = "/ameide_core_proto.sre.core.v1.SreIncidentQueryService/GetIncident";
    let garbage: &[&[u8]] = &[&[0xff; 11], &[0x12, 0x05, b'a'], &[0x12, 0x02, 0xc3, 0x28]];
    for bytes in garbage {
        let tenant = [("x-tenant-id", "acme")];
        let status = raw_grpc::unary(channel.clone(), path, &tenant, bytes)
            .await
            .unwrap_err();
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "{bytes:02x?}: {status:?}"
        );
    }
}

/// A backend requiring `key` on a loopback port, and its address.
async fn start_with_key(key: &str) -> String {
    use sre_backend::auth::SharedKey;
    let options = ServerOptions {
        key: Some(SharedKey::new(key).unwrap()),
        ..ServerOptions::default()
    };
    format!("http://{}", backend_with(options).await)
}

/// Row 10 of the probe: the backend trusted `x-tenant-id` from anyone. With a shared
/// key configured, a call without it (or with another key) is `UNAUTHENTICATED`
/// although its tenant header is valid; with it, the call is served.
#[tokio::test]
async fn with_a_shared_key_callers_without_it_are_unauthenticated() {
    const KEY: &str = "s3cret-key-0123456789";
    let url = start_with_key(KEY).await;
    let channel = Channel::from_shared(url).unwrap().connect().await.unwrap();
    let mut incidents = SreIncidentQueryServiceClient::new(channel);
    let list = || {
        with_tenant(ListOpenIncidentsRequest {
            tenant_id: "acme".into(),
            ..Default::default()
        })
    };

    let status = incidents.list_open_incidents(list()).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    assert!(status.message().contains("authorization"), "{status:?}");
    for wrong in [
        "Bearer s3cret-key-012345678",
        "Bearer s3cret-key-01234567890",
        "Basic s3cret-key-0123456789",
    ] {
        let mut request = list();
        request
            .metadata_mut()
            .insert("authorization", wrong.parse().unwrap());
        let status = incidents.list_open_incidents(request).await.unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated, "{wrong}: {status:?}");
    }
    // Refused before the tenant is read: a request naming another tenant, which the
    // tenant check would refuse as PERMISSION_DENIED, is UNAUTHENTICATED.
    let other = GetIncidentRequest {
        tenant_id: "globex".into(),
        incident_id: "inc-1".into(),
    };
    let status = incidents
        .get_incident(with_tenant(other))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");

    let mut request = list();
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {KEY}").parse().unwrap());
    let listed = incidents.list_open_incidents(request).await.unwrap();
    assert!(listed.into_inner().incidents.is_empty());
}

/// Row 8 of the probe: one connection could open 1,000 streams (tonic left HTTP/2
/// `SETTINGS_MAX_CONCURRENT_STREAMS` unlimited). The backend now advertises its
/// limit.
#[tokio::test]
async fn http2_streams_per_connection_are_bounded() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let backend = Backend::new(Default::default(), FactLog::in_memory(1));
    tokio::spawn(backend.serve(listener, std::future::pending()));
    let (_client, connection) = h2_probe::settled(addr).await;
    assert_eq!(
        connection.max_concurrent_send_streams(),
        sre_backend::server::DEFAULT_MAX_CONCURRENT_STREAMS as usize
    );
}

/// Row 8 of the probe: metadata (headers) over the limit is refused, not served; the
/// backend stays usable. (hyper's default was already 16 KiB: a guard, not a fix.)
#[tokio::test]
async fn oversized_metadata_is_refused() {
    let channel = start().await;
    let mut incidents = SreIncidentQueryServiceClient::new(channel.clone());
    let mut request = with_tenant(GetIncidentRequest {
        tenant_id: "acme".into(),
        incident_id: "inc-1".into(),
    });
    request
        .metadata_mut()
        .insert("x-pad", "p".repeat(40_000).parse().unwrap());
    let status = incidents.get_incident(request).await.unwrap_err();
    assert_ne!(status.code(), Code::NotFound, "served: {status:?}");
    let status = incidents
        .get_incident(with_tenant(GetIncidentRequest {
            tenant_id: "acme".into(),
            incident_id: "inc-1".into(),
        }))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
}

/// Row 8 of the probe: a call whose message never arrives held its stream forever.
/// The backend now cancels a call not answered within its request timeout.
#[tokio::test]
async fn calls_over_the_request_timeout_are_cancelled() {
    let addr = backend_with(ServerOptions {
        request_timeout: std::time::Duration::from_millis(300),
        ..ServerOptions::default()
    })
    .await;
    let channel = Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let path = http::uri::PathAndQuery::from_static(
        "/ameide_core_proto.sre.core.v1.SreIncidentQueryService/GetIncident",
    );
    // The request's message never comes.
    let never = with_tenant(tokio_stream::pending::<Vec<u8>>());
    let called = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        grpc.client_streaming(never, path, raw_grpc::RawCodec),
    )
    .await
    .expect("the backend answers within its request timeout (the test waits 30 s)");
    let status = called.unwrap_err();
    assert!(
        matches!(status.code(), Code::Cancelled | Code::DeadlineExceeded),
        "{status:?}"
    );
}

/// Row 8 of the probe: 1,100 connections that never finished their handshake were
/// all kept. A connection that has not sent the HTTP/2 preface within the handshake
/// timeout is closed, and frees its slot.
#[tokio::test]
async fn connections_without_a_timely_handshake_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = backend_with(ServerOptions {
        handshake_timeout: std::time::Duration::from_millis(300),
        max_connections: 2,
        ..ServerOptions::default()
    })
    .await;
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut partial = tokio::net::TcpStream::connect(addr).await.unwrap();
    partial.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
    for (what, tcp) in [("nothing", &mut silent), ("half the preface", &mut partial)] {
        let mut got = Vec::new();
        // The test's own bound, far above the handshake timeout.
        tokio::time::timeout(
            std::time::Duration::from_secs(30),
            tcp.read_to_end(&mut got),
        )
        .await
        .unwrap_or_else(|_| panic!("{what}: the backend keeps the connection"))
        .ok();
        assert!(got.is_empty(), "{what}: {got:?}");
    }
    // Both slots are free again: a client is served.
    let served = async {
        let channel = Channel::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        SreIncidentQueryServiceClient::new(channel)
            .list_open_incidents(with_tenant(ListOpenIncidentsRequest {
                tenant_id: "acme".into(),
                ..Default::default()
            }))
            .await
            .unwrap()
    };
    let listed = tokio::time::timeout(std::time::Duration::from_secs(30), served)
        .await
        .expect("a freed slot serves the next client");
    assert!(listed.into_inner().incidents.is_empty());
}
