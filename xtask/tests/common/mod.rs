//! Helpers shared by the xtask integration tests.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// `xtask/tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// The repository root.
pub fn repo() -> PathBuf {
    xtask::workspace::root()
}

/// Copies the tree `from` into `to` (created if needed).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch workspace root: the repository's `buf.yaml` and, as `proto/`, the
/// `proto` folder of `fixture` (a folder below `tests/fixtures`), plus the real
/// eventing and MCP expose options (`ameide_core_proto/common/v1/eventing.proto`,
/// `ameide_core_proto/mcp/annotations/v1/annotations.proto`) when the fixture has
/// none, so fixtures can use the options without copying them.
pub fn workspace(fixture: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("buf.yaml"), dir.path().join("buf.yaml")).unwrap();
    replace_proto(dir.path(), fixture);
    dir
}

/// Whether a `sre.proto` is anywhere below `dir`.
fn has_sre_proto(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let path = e.path();
            if path.is_dir() {
                has_sre_proto(&path)
            } else {
                e.file_name() == "sre.proto"
            }
        })
    })
}

/// Replaces `root/proto` with the `proto` folder of `fixture`. A fixture with SRE
/// files but no `sre.proto` of its own gets the one base
/// (`fixtures/lint/base/ameide_core_proto/sre/core/v1/sre.proto`: envelope meta,
/// subject, actor).
pub fn replace_proto(root: &Path, fixture: &str) {
    let proto = root.join("proto");
    if proto.exists() {
        std::fs::remove_dir_all(&proto).unwrap();
    }
    copy_dir(&fixtures().join(fixture).join("proto"), &proto);
    let sre = proto.join("ameide_core_proto/sre");
    if sre.exists() && !has_sre_proto(&sre) {
        let base = "ameide_core_proto/sre/core/v1/sre.proto";
        let target = proto.join(base);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixtures().join("lint/base").join(base), &target).unwrap();
    }
    for option in [
        "ameide_core_proto/common/v1/eventing.proto",
        "ameide_core_proto/mcp/annotations/v1/annotations.proto",
    ] {
        let target = proto.join(option);
        if !target.exists() {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(repo().join("proto").join(option), &target).unwrap();
        }
    }
}
