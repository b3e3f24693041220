//! The upstream generators: prost (messages), tonic (services) and pbjson (proto3
//! JSON), run once per crate over the compiled workspace. Their output is kept per
//! package and per generator, so each lands in a file of its own.

use crate::protos::Compiled;
use crate::workspace::{CRATES, CrateSpec, WKT_FILES};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// prost, tonic and pbjson output of one crate, by proto package.
#[derive(Debug, Default)]
pub struct Upstream {
    messages: BTreeMap<String, String>,
    services: BTreeMap<String, String>,
    serde: BTreeMap<String, String>,
}

impl Upstream {
    /// prost's messages and enums of `package`.
    pub fn messages(&self, package: &str) -> String {
        self.messages.get(package).cloned().unwrap_or_default()
    }

    /// tonic's client and server modules of `package`; each `connect` constructor
    /// (the one part needing tonic's transport) under the `transport` feature.
    pub fn services(&self, package: &str) -> String {
        self.services.get(package).cloned().unwrap_or_default()
    }

    /// pbjson's `Serialize`/`Deserialize` impls of `package`.
    pub fn serde(&self, package: &str) -> String {
        self.serde.get(package).cloned().unwrap_or_default()
    }
}

/// Registers `extern_path`s for every package owned by another crate, and for the
/// crate's own hand-written messages. Called for prost and for pbjson alike, so the
/// two always agree.
fn for_each_extern(krate: &CrateSpec, mut f: impl FnMut(&str, &str)) {
    for (proto, rust) in krate.hand_written {
        f(proto, rust);
    }
    for other in CRATES.iter().filter(|c| c.name != krate.name) {
        for package in other.packages {
            f(&format!(".{}", package.proto), package.rust);
        }
    }
}

/// Collects tonic's output per package instead of appending it to prost's file.
struct CaptureServices {
    tonic: Box<dyn prost_build::ServiceGenerator>,
    out: Arc<Mutex<BTreeMap<String, String>>>,
}

impl prost_build::ServiceGenerator for CaptureServices {
    fn generate(&mut self, service: prost_build::Service, _buf: &mut String) {
        let package = service.package.clone();
        let mut text = String::new();
        self.tonic.generate(service, &mut text);
        let mut out = self.out.lock().expect("not poisoned");
        out.entry(package)
            .or_default()
            .push_str(&gate_transport(&text));
    }
}

/// Puts every `impl XClient<tonic::transport::Channel>` block (`connect`) under the
/// `transport` feature: the rest of tonic's code needs only its `codegen` feature.
pub fn gate_transport(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("impl ") && trimmed.contains("<tonic::transport::Channel>") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!("{indent}#[cfg(feature = \"transport\")]\n"));
        }
        out.push_str(line);
    }
    out
}

/// Runs prost, tonic and pbjson for `krate`.
pub fn generate(krate: &CrateSpec, compiled: &Compiled) -> Result<Upstream> {
    let tmp = tempfile::tempdir()?;
    // prost needs every message a generated field refers to (it derives Copy/Eq from the
    // message graph), so it gets the whole workspace; only the owned packages' output is
    // kept. `descriptor.proto` and friends are left out: custom options import them, but
    // no field embeds them, and the well-known-type module must not grow descriptor types.
    let input = prost_types::FileDescriptorSet {
        file: compiled
            .with_source_info
            .file
            .iter()
            .filter(|f| f.package() != "google.protobuf" || WKT_FILES.contains(&f.name()))
            .cloned()
            .collect(),
    };
    for package in krate.packages {
        if !input.file.iter().any(|f| f.package() == package.proto) {
            bail!(
                "{}: no .proto file declares package {}",
                krate.name,
                package.proto
            );
        }
    }

    let services = Arc::new(Mutex::new(BTreeMap::new()));
    let mut config = prost_build::Config::new();
    config
        .btree_map(["."])
        .bytes(["."])
        .enable_type_names()
        .type_name_domain(["."], "type.googleapis.com")
        .compile_well_known_types()
        .out_dir(tmp.path());
    for_each_extern(krate, |proto, rust| {
        config.extern_path(proto, rust);
    });
    if krate.grpc {
        let tonic = tonic_prost_build::configure()
            .build_client(true)
            .build_server(true)
            .build_transport(true)
            .compile_well_known_types(true)
            .service_generator();
        config.service_generator(Box::new(CaptureServices {
            tonic,
            out: Arc::clone(&services),
        }));
    }
    config
        .compile_fds(input)
        .with_context(|| format!("prost/tonic generation for {}", krate.name))?;

    // Canonical JSON (pbjson), for the same packages and with the same extern paths;
    // the well-known types have hand-written canonical JSON instead.
    let json_packages: Vec<String> = krate
        .packages
        .iter()
        .filter(|p| p.proto != "google.protobuf")
        .map(|p| format!(".{}", p.proto))
        .collect();
    if !json_packages.is_empty() {
        let mut builder = pbjson_build::Builder::new();
        builder
            .register_descriptors(&compiled.encoded_with_source_info)?
            .btree_map(["."])
            .out_dir(tmp.path());
        for_each_extern(krate, |proto, rust| {
            builder.extern_path(proto, rust);
        });
        builder
            .build(&json_packages)
            .with_context(|| format!("pbjson generation for {}", krate.name))?;
    }

    let mut upstream = Upstream::default();
    for package in krate.packages {
        let read = |suffix: &str| {
            let path = tmp.path().join(format!("{}{suffix}", package.proto));
            path.exists()
                .then(|| std::fs::read_to_string(&path))
                .transpose()
        };
        let messages =
            read(".rs")?.with_context(|| format!("prost wrote no file for {}", package.proto))?;
        upstream
            .messages
            .insert(package.proto.to_string(), messages);
        if let Some(serde) = read(".serde.rs")? {
            upstream.serde.insert(package.proto.to_string(), serde);
        }
    }
    upstream.services = std::mem::take(&mut *services.lock().expect("not poisoned"));
    Ok(upstream)
}
