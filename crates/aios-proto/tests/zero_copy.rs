//! `bytes` fields are `bytes::Bytes`: decoding from a `Bytes` buffer slices it
//! instead of copying the payload.

use aios_proto::memory::{TaskList, TaskRecord};
use aios_proto::tools::ExecuteResponse;
use bytes::Bytes;
use prost::Message;

const MIB: usize = 1 << 20;

/// A JSON string of exactly 1 MiB: `"aaa…a"`.
fn one_mib_of_json() -> Bytes {
    let mut json = vec![b'a'; MIB];
    json[0] = b'"';
    json[MIB - 1] = b'"';
    Bytes::from(json)
}

fn inside(buffer: &Bytes, field: &[u8]) -> bool {
    let outer = buffer.as_ptr_range();
    let inner = field.as_ptr_range();
    outer.start <= inner.start && inner.end <= outer.end
}

#[test]
fn output_json_of_1_mib_shares_the_source_buffer() {
    let sent = ExecuteResponse {
        success: true,
        output_json: one_mib_of_json(),
        execution_id: "exec-1".into(),
        duration_ms: 12,
        ..Default::default()
    };
    let wire = Bytes::from(sent.encode_to_vec());
    assert!(wire.len() > MIB);

    let got = ExecuteResponse::decode(wire.clone()).unwrap();
    assert_eq!(got, sent);
    assert_eq!(got.output_json.len(), MIB);
    assert!(
        inside(&wire, &got.output_json),
        "output_json was copied out of the source buffer"
    );

    // The check can fail: decoding from a plain slice has to copy.
    let copied = ExecuteResponse::decode(&wire[..]).unwrap();
    assert_eq!(copied.output_json, sent.output_json);
    assert!(!inside(&wire, &copied.output_json));
}

#[cfg(feature = "serde")]
#[test]
fn json_view_of_the_field_borrows_from_the_wire_buffer() {
    let sent = ExecuteResponse {
        output_json: one_mib_of_json(),
        ..Default::default()
    };
    let wire = Bytes::from(sent.encode_to_vec());
    let got = ExecuteResponse::decode(wire.clone()).unwrap();
    // No escapes in the string, so serde can hand out a `&str` into the field, which
    // itself lies in the wire buffer: no copy from socket buffer to typed value.
    let text: &str = got.decode_output_json().unwrap();
    assert_eq!(text.len(), MIB - 2);
    assert!(inside(&wire, text.as_bytes()));
}

#[test]
fn nested_repeated_messages_share_the_source_buffer_too() {
    let sent = TaskList {
        tasks: vec![
            TaskRecord {
                id: "t-1".into(),
                output_json: one_mib_of_json(),
                ..Default::default()
            },
            TaskRecord {
                id: "t-2".into(),
                input_json: Bytes::from_static(b"{}"),
                output_json: one_mib_of_json(),
                ..Default::default()
            },
        ],
    };
    let wire = Bytes::from(sent.encode_to_vec());
    let got = TaskList::decode(wire.clone()).unwrap();
    assert_eq!(got, sent);
    for task in &got.tasks {
        assert!(inside(&wire, &task.output_json), "{} copied", task.id);
    }
    assert!(inside(&wire, &got.tasks[1].input_json));
    // The two payloads are different slices of the one buffer.
    assert_ne!(
        got.tasks[0].output_json.as_ptr(),
        got.tasks[1].output_json.as_ptr()
    );
}
