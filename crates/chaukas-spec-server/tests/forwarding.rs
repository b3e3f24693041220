//! An event a server receives can be forwarded as is, fields of a newer schema
//! included: `Lossless` keeps them through the server's request type, the client's
//! request type and the `Event` on its own.

use chaukas_spec_client::client::v1 as client;
use chaukas_spec_server::common::v1::{Event, ToolCall, event};
use chaukas_spec_server::server::v1 as server;
use common_eventing::Lossless;
use prost::Message;

/// What a newer producer sends: an `IngestEventRequest` whose `Event` has field 900
/// (a string) and whose `ToolCall` has field 901 (a double), both unknown here.
fn newer_request() -> Vec<u8> {
    let mut tool_call = ToolCall {
        name: "lookup".into(),
        id: "call-1".into(),
        ..Default::default()
    }
    .encode_to_vec();
    prost::encoding::double::encode(901, &0.75, &mut tool_call);
    let mut event = Event {
        event_id: "evt-1".into(),
        tenant_id: "acme".into(),
        ..Default::default()
    }
    .encode_to_vec();
    prost::encoding::bytes::encode(31, &tool_call, &mut event);
    prost::encoding::string::encode(900, &"from a newer producer".to_string(), &mut event);
    let mut request = Vec::new();
    prost::encoding::bytes::encode(1, &event, &mut request);
    request
}

/// The newer schema's view of the two fields, read from forwarded bytes.
#[derive(Clone, PartialEq, Message)]
struct NewerToolCall {
    #[prost(string, tag = "2")]
    name: String,
    #[prost(double, tag = "901")]
    risk: f64,
}

#[derive(Clone, PartialEq, Message)]
struct NewerEvent {
    #[prost(message, optional, tag = "31")]
    tool_call: Option<NewerToolCall>,
    #[prost(string, tag = "900")]
    note: String,
}

fn newer_fields(event: &[u8]) -> (String, f64, String) {
    let e = NewerEvent::decode(event).unwrap();
    let t = e.tool_call.unwrap();
    (e.note, t.risk, t.name)
}

#[test]
fn a_received_request_is_forwarded_with_every_unknown_field() {
    let bytes = newer_request();
    let received = Lossless::<server::IngestEventRequest>::decode(bytes.as_slice()).unwrap();
    // Plain prost loses both fields: this is what forwarding must not do.
    let plain = server::IngestEventRequest::decode(bytes.as_slice()).unwrap();
    assert_ne!(plain.encode_to_vec(), bytes);

    // Re-wrapped as the client's request (same `Event` type, same field number).
    let forwarded: Lossless<client::IngestEventRequest> = received.transcode().unwrap();
    assert_eq!(forwarded.encode_to_vec(), bytes);
    assert_eq!(forwarded.event.as_ref().unwrap().event_id, "evt-1");
}

#[test]
fn the_event_alone_keeps_its_unknown_fields_after_a_change() {
    let bytes = newer_request();
    let mut received = Lossless::<server::IngestEventRequest>::decode(bytes.as_slice()).unwrap();
    let mut event = received.take_message(1, |r| r.event.take()).unwrap();
    // A relay enriches the event, then forwards it in a client request.
    event.tags.push("relayed".into());
    if let Some(event::Content::ToolCall(t)) = &mut event.content {
        t.function_name = "lookup_v2".into();
    }
    let (note, risk, name) = newer_fields(&event.encode_to_vec());
    assert_eq!(
        (note.as_str(), risk, name.as_str()),
        ("from a newer producer", 0.75, "lookup")
    );
    let request = client::IngestEventRequest {
        event: Some(event.clone().into_inner()),
    };
    // Through the client's request too (the event's bytes, with their unknown fields,
    // are its field 1).
    let mut bytes = Vec::new();
    prost::encoding::bytes::encode(1, &event.encode_to_vec(), &mut bytes);
    let forwarded = Lossless::<client::IngestEventRequest>::decode(bytes.as_slice()).unwrap();
    assert_eq!(forwarded.event, request.event);
    let inner =
        Lossless::<client::IngestEventRequest>::decode(forwarded.encode_to_vec().as_slice())
            .unwrap()
            .take_message(1, |r| r.event.take())
            .unwrap();
    assert_eq!(newer_fields(&inner.encode_to_vec()).1, 0.75);
}

#[test]
fn a_lossless_request_is_a_prost_message_for_tonic() {
    // tonic's ProstCodec needs `prost::Message + Default`: `Lossless<M>` is both, so a
    // hand-written method (as apps/chaukas-ingest-server does) can decode and send it.
    fn codec<T: Message + Default + Send + 'static>() {}
    codec::<Lossless<server::IngestEventRequest>>();
    let bytes = newer_request();
    let received =
        <Lossless<server::IngestEventRequest> as Message>::decode(bytes.as_slice()).unwrap();
    assert_eq!(Message::encode_to_vec(&received), bytes);
    assert_eq!(Message::encoded_len(&received), bytes.len());
}
