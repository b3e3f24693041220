//! The crates' `FILE_DESCRIPTOR_SET`s together load into one descriptor pool with no
//! file missing (what gRPC reflection and dynamic-message users do), and keep the
//! custom eventing option.

use prost_reflect::{DescriptorPool, Value};

fn all_sets() -> Vec<&'static [u8]> {
    vec![
        common_eventing::FILE_DESCRIPTOR_SET,
        chaukas_spec_client::FILE_DESCRIPTOR_SET,
        chaukas_spec_server::FILE_DESCRIPTOR_SET,
        aios_proto::FILE_DESCRIPTOR_SET,
        aumos_proto::FILE_DESCRIPTOR_SET,
        ameide_sre_proto::FILE_DESCRIPTOR_SET,
    ]
}

#[test]
fn every_crates_descriptors_load_into_one_pool() {
    let mut pool = DescriptorPool::new();
    for set in all_sets() {
        pool.decode_file_descriptor_set(set)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for name in [
        "chaukas.spec.common.v1.Event",
        "chaukas.spec.server.v1.GetEventStatsResponse",
        "aios.tools.ExecuteRequest",
        "aumos.agf.v1.HitlGateConfig",
        "ameide_core_proto.sre.process.v1.SreProcessFact",
    ] {
        assert!(pool.get_message_by_name(name).is_some(), "{name}");
    }
    assert!(
        pool.get_service_by_name("chaukas.spec.server.v1.ChaukasServerService")
            .is_some()
    );
    assert_eq!(
        pool.get_service_by_name("aios.runtime.AIRuntime")
            .unwrap()
            .methods()
            .count(),
        6
    );

    // The eventing option survives in the published descriptors.
    let option = pool
        .get_extension_by_name("ameide_core_proto.common.v1.eventing")
        .unwrap();
    let fact = pool
        .get_message_by_name("ameide_core_proto.sre.core.v1.SreDomainFact")
        .unwrap();
    let value = fact.options().get_extension(&option).into_owned();
    let Value::Message(eventing) = value else {
        panic!("eventing option is not a message")
    };
    assert_eq!(
        eventing.get_field_by_name("stream_ref").unwrap().as_str(),
        Some("sre.domain.facts.v1")
    );
}

#[test]
fn common_eventing_alone_is_self_contained() {
    let mut pool = DescriptorPool::new();
    pool.decode_file_descriptor_set(common_eventing::FILE_DESCRIPTOR_SET)
        .unwrap();
    assert!(pool.get_message_by_name("google.protobuf.Struct").is_some());
    assert!(
        pool.get_message_by_name("ameide_core_proto.common.v1.EventingOptions")
            .is_some()
    );
}
