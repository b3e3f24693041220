//! The upstream generators: prost (messages) and tonic (services), run once per crate
//! over the compiled workspace. Their output is kept per package and per generator, so
//! each lands in a file of its own. (proto3 JSON is the workspace's own generator,
//! [`crate::codegen::generators::json`].)

use crate::codegen::model::PackageModel;
use crate::codegen::registry::Input;
use crate::protos::Compiled;
use crate::workspace::{CRATES, CrateSpec, WKT_FILES};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// prost and tonic output of one crate, by proto package.
#[derive(Debug, Default)]
pub struct Upstream {
    messages: BTreeMap<String, String>,
    services: BTreeMap<String, String>,
}

impl Upstream {
    /// prost's messages and enums of `package`.
    pub fn messages(&self, package: &str) -> String {
        self.messages.get(package).cloned().unwrap_or_default()
    }
}

/// The prost generator of the registry: the package's messages and enums.
pub fn messages(input: &Input, model: &PackageModel) -> Result<String> {
    Ok(input.upstream.messages(&model.name))
}

/// The tonic generator of the registry: the package's client and server modules; each
/// `connect` constructor (the one part needing tonic's transport) under the
/// `transport` feature.
pub fn services(input: &Input, model: &PackageModel) -> Result<String> {
    gate_transport(
        input
            .upstream
            .services
            .get(&model.name)
            .map_or("", String::as_str),
    )
}

/// Registers `extern_path`s for every package owned by another crate, and for the
/// crate's own hand-written messages, for prost. The workspace's generators resolve
/// the same paths through [`crate::codegen::ident::path_from`], from the same [`CRATES`].
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
        out.entry(package).or_default().push_str(&text);
    }
}

/// Puts every `impl XClient<tonic::transport::Channel>` block (`connect`) under the
/// `transport` feature: the rest of tonic's code needs only its `codegen` feature.
/// Decided on the parsed items (any depth of module), not on the text's layout.
pub fn gate_transport(text: &str) -> Result<String> {
    struct Gate;
    impl syn::visit_mut::VisitMut for Gate {
        fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
            let ty = quote::ToTokens::to_token_stream(&item.self_ty).to_string();
            if ty.replace(' ', "").contains("<tonic::transport::Channel>") {
                item.attrs
                    .push(syn::parse_quote!(#[cfg(feature = "transport")]));
            }
            syn::visit_mut::visit_item_impl_mut(self, item);
        }
    }
    let mut file = crate::codegen::output::parse("tonic", text)?;
    syn::visit_mut::VisitMut::visit_file_mut(&mut Gate, &mut file);
    Ok(quote::ToTokens::to_token_stream(&file).to_string())
}

/// The attribute that makes every generated message derive `prost::Message` against
/// `common_eventing::__codegen::prost_upb`: prost, with upb's map writers and faster
/// string and repeated-message readers.
const PROST_PATH: &str = "#[prost(prost_path = \"::common_eventing::__codegen::prost_upb\")]";

/// Moves [`PROST_PATH`] after the `derive` it is a helper attribute of (prost-build
/// writes message attributes first; a derive helper before its derive is deprecated).
fn derive_before_prost_path(text: &str) -> Result<String> {
    struct Move;
    impl syn::visit_mut::VisitMut for Move {
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            let is_prost_path = |a: &syn::Attribute| {
                a.path().is_ident("prost")
                    && quote::ToTokens::to_token_stream(&a.meta)
                        .to_string()
                        .contains("prost_path")
            };
            if let Some(i) = item.attrs.iter().position(is_prost_path) {
                let attr = item.attrs.remove(i);
                item.attrs.push(attr);
            }
        }
    }
    if !text.contains("prost_path") {
        return Ok(text.to_string());
    }
    let mut file = crate::codegen::output::parse("prost", text)?;
    syn::visit_mut::VisitMut::visit_file_mut(&mut Move, &mut file);
    Ok(prettyplease::unparse(&file))
}

/// Runs prost and tonic for `krate`.
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
    config.message_attribute(".", PROST_PATH);
    if krate.grpc {
        let tonic = tonic_prost_build::configure()
            .build_client(true)
            .build_server(true)
            .build_transport(true)
            .compile_well_known_types(true)
            // `INVALID_ARGUMENT` for requests that do not decode (tonic-prost says
            // `INTERNAL`); see common_eventing::grpc.
            .codec_path("::common_eventing::grpc::Codec")
            .service_generator();
        config.service_generator(Box::new(CaptureServices {
            tonic,
            out: Arc::clone(&services),
        }));
    }
    config
        .compile_fds(input)
        .with_context(|| format!("prost/tonic generation for {}", krate.name))?;

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
        let messages = derive_before_prost_path(&messages)?;
        upstream
            .messages
            .insert(package.proto.to_string(), messages);
    }
    upstream.services = std::mem::take(&mut *services.lock().expect("not poisoned"));
    Ok(upstream)
}
