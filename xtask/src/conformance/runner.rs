//! Google's `conformance_test_runner`, built once per machine from the protobuf sources
//! the `protobuf-src` crate ships, and cached outside the clone by protobuf version.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The `protobuf-src` release whose sources are built (its `+` suffix is protobuf's
/// version). The testee's `.proto` files are copies from the same sources.
pub const PROTOBUF_SRC: &str = "2.1.1+27.1";

/// protobuf's version: the cache key.
pub fn protobuf_version() -> &'static str {
    PROTOBUF_SRC
        .split_once('+')
        .map_or(PROTOBUF_SRC, |(_, v)| v)
}

/// `~/.cache/ameide-proto/conformance/<version>` (or under `$XDG_CACHE_HOME`).
pub fn cache_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".cache"),
    };
    Ok(base
        .join("ameide-proto/conformance")
        .join(protobuf_version()))
}

/// The protobuf source tree (`.../protobuf-src-<v>/protobuf`), downloaded through
/// cargo (the crate from crates.io, checksum-verified) and unpacked into the cache.
pub fn sources() -> Result<PathBuf> {
    let dir = cache_dir()?;
    let tree = dir
        .join("src")
        .join(format!("protobuf-src-{PROTOBUF_SRC}"))
        .join("protobuf");
    if tree.join("conformance/conformance.proto").exists() {
        return Ok(tree);
    }
    let fetch = dir.join("fetch");
    std::fs::create_dir_all(fetch.join("src"))?;
    std::fs::write(
        fetch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-protobuf-src\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             [dependencies]\nprotobuf-src = \"={PROTOBUF_SRC}\"\n[workspace]\n"
        ),
    )?;
    std::fs::write(fetch.join("src/lib.rs"), "")?;
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["fetch", "--manifest-path"])
            .arg(fetch.join("Cargo.toml")),
    )?;
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    let name = format!("protobuf-src-{PROTOBUF_SRC}.crate");
    let archive = std::fs::read_dir(cargo_home.join("registry/cache"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join(&name))
        .find(|p| p.exists())
        .with_context(|| format!("cargo fetch left no {name} in {}", cargo_home.display()))?;
    std::fs::create_dir_all(dir.join("src"))?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("src")))?;
    Ok(tree)
}

/// Runs a command built in place (`Command::new(..).arg(..)`), failing with its status.
fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed ({status})");
    }
    Ok(())
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd} >/dev/null")])
        .status()
        .is_ok_and(|s| s.success())
}

/// cmake, a C++ compiler and jsoncpp (the runner's one outside dependency), from apt
/// when they are missing and apt can be used.
fn ensure_toolchain() -> Result<()> {
    let jsoncpp = Path::new("/usr/include/jsoncpp/json/json.h").exists();
    if have("cmake") && have("c++") && jsoncpp {
        return Ok(());
    }
    if !have("apt-get") {
        bail!(
            "building conformance_test_runner needs cmake, a C++ compiler and jsoncpp (libjsoncpp-dev)"
        );
    }
    let root = Command::new("id").arg("-u").output()?.stdout == b"0\n";
    let sudo: &[&str] = if root { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| -> Result<()> {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        run(Command::new(all[0]).args(&all[1..]))
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "cmake", "g++", "libjsoncpp-dev"])
}

/// The runner binary, built and cached on first use.
pub fn ensure() -> Result<PathBuf> {
    let dir = cache_dir()?;
    let binary = dir.join("bin/conformance_test_runner");
    if binary.exists() {
        return Ok(binary);
    }
    let started = Instant::now();
    let source = sources()?;
    ensure_toolchain()?;
    let build = dir.join("build");
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "conformance: building conformance_test_runner {} (once per machine; cached in {})",
        protobuf_version(),
        dir.display()
    );
    run(Command::new("cmake")
        .arg("-S")
        .arg(&source)
        .arg("-B")
        .arg(&build)
        .args([
            "-DCMAKE_BUILD_TYPE=Release",
            // The runner is not speed-critical: -O1 halves the compile time.
            "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG",
            "-DCMAKE_CXX_STANDARD=17",
            "-DCMAKE_CXX_FLAGS=-I/usr/include/jsoncpp",
            "-DABSL_PROPAGATE_CXX_STD=ON",
            "-Dprotobuf_BUILD_TESTS=OFF",
            "-Dprotobuf_BUILD_CONFORMANCE=ON",
            "-Dprotobuf_JSONCPP_PROVIDER=package",
            "-Dprotobuf_BUILD_LIBUPB=OFF",
            "-Dprotobuf_WITH_ZLIB=OFF",
            "-Dprotobuf_INSTALL=OFF",
        ]))?;
    run(Command::new("cmake").arg("--build").arg(&build).args([
        "--target",
        "conformance_test_runner",
        "-j",
        &jobs.to_string(),
    ]))?;
    std::fs::create_dir_all(dir.join("bin"))?;
    std::fs::copy(build.join("conformance_test_runner"), &binary)
        .context("the build produced no conformance_test_runner")?;
    let seconds = started.elapsed().as_secs();
    std::fs::write(dir.join("build-seconds"), format!("{seconds}\n"))?;
    // The object files are ~1 GB and never needed again.
    let _ = std::fs::remove_dir_all(&build);
    println!("conformance: runner built in {seconds} s");
    Ok(binary)
}
