//! Our Chaukas descriptors equal those of the published Python packages: every
//! message, field, number, type, label, oneof, enum value, service and method, and
//! the file paths.

use interop_tests::{descriptor_sets, run, script};

#[test]
fn descriptors_equal_the_published_packages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ours.binpb");
    std::fs::write(
        &path,
        descriptor_sets(&[
            common_eventing::FILE_DESCRIPTOR_SET,
            chaukas_spec_client::FILE_DESCRIPTOR_SET,
            chaukas_spec_server::FILE_DESCRIPTOR_SET,
        ]),
    )
    .unwrap();
    let mut compare = script("chaukas_descriptors.py");
    compare.arg(&path);
    let out = run(compare);
    assert!(out.contains("descriptors equal for 4 files"), "{out}");
}
