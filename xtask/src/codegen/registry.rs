//! The generator pipeline's registry: every generator, the file it writes per
//! package and the feature that gates it.
//!
//! `cargo xtask codegen` compiles `proto/` once ([`crate::protos::compile`]), runs the
//! upstream generators (prost, tonic: [`crate::codegen::upstream`]) once per crate, then
//! calls every [`Generator`] of [`GENERATORS`] for every package of the crate. Each
//! non-empty output becomes `src/generated/<package>.<file>.rs` (`<package>.rs` for the
//! prost messages), and [`crate::codegen::modtree`] writes the crate's `generated/mod.rs`
//! including each file under its feature.
//!
//! Adding a generator: write a module with a `generate(&Input, &PackageModel) ->
//! Result<String>` function (decide from the model, the options and
//! [`crate::workspace::CRATES`], never from a list of messages or fields), add one
//! [`Generator`] entry below, and add its golden test to
//! `xtask/tests/generators_expected.rs` (a proto in `xtask/tests/golden/`, the expected
//! output next to it).

use crate::codegen::generators::eventing::EventSpec;
use crate::codegen::generators::mcp::ToolSpec;
use crate::codegen::generators::{
    constructors, envelopes, eventing, fast_encode, json, json_fields, lossless, mcp, oneofs,
    schemas, time_fields, validate, views,
};
use crate::codegen::model::PackageModel;
use crate::codegen::output;
use crate::codegen::upstream::{self, Upstream};
use crate::workspace::{CrateSpec, Extra};
use anyhow::Result;
use prost_reflect::DescriptorPool;

/// What every generator reads: the compiled pool, the options collected from it, and
/// the crate being generated with its upstream (prost, tonic) output.
pub struct Input<'a> {
    /// Every file of `proto/` plus the well-known types, with source info.
    pub pool: &'a DescriptorPool,
    /// Every message with the eventing option.
    pub events: &'a [EventSpec],
    /// Every rpc with the MCP expose option.
    pub tools: &'a [ToolSpec],
    /// The crate being generated.
    pub krate: &'static CrateSpec,
    /// prost and tonic output of the crate, by package.
    pub upstream: &'a Upstream,
}

/// One generator: a function from the descriptors to the Rust of one package.
pub struct Generator {
    /// What the generator writes, for docs and the file header.
    pub name: &'static str,
    /// The middle of the file name: `<package>.<file>.rs`; empty for `<package>.rs`.
    pub file: &'static str,
    /// The crate feature the file is included under (`None`: always).
    pub feature: Option<&'static str>,
    /// Runs only for crates with this [`Extra`] (`None`: every crate).
    pub extra: Option<Extra>,
    /// The Rust of one package, as top-level items (empty: no file).
    pub generate: fn(&Input, &PackageModel) -> Result<String>,
    /// Puts each file's items in the block they compile in (`None`: they stand at the
    /// package module's top level). Applied per part, after any split.
    pub wrap: Option<fn(&str) -> String>,
}

/// Every generator, in the order `mod.rs` includes their files.
pub const GENERATORS: &[Generator] = &[
    Generator {
        name: "prost messages and enums",
        file: "",
        feature: None,
        extra: None,
        generate: upstream::messages,
        wrap: None,
    },
    Generator {
        name: "tonic clients and servers",
        file: "tonic",
        feature: Some("grpc"),
        extra: None,
        generate: upstream::services,
        wrap: None,
    },
    Generator {
        name: "proto3 JSON (serde)",
        file: "serde",
        feature: Some("serde"),
        extra: None,
        generate: json::items,
        wrap: Some(json::wrap),
    },
    Generator {
        name: "Eventing impls (routing from the eventing option)",
        file: "eventing",
        feature: None,
        extra: None,
        generate: eventing::generate_impls,
        wrap: None,
    },
    Generator {
        name: "OneofCase impls (oneof cases by type)",
        file: "oneofs",
        feature: None,
        extra: None,
        generate: oneofs::generate,
        wrap: None,
    },
    Generator {
        name: "envelope constructors and readers",
        file: "envelopes",
        feature: None,
        extra: None,
        generate: envelopes::generate,
        wrap: None,
    },
    Generator {
        name: "Lossless field tables (Known impls)",
        file: "lossless",
        feature: None,
        extra: None,
        generate: lossless::generate,
        wrap: None,
    },
    Generator {
        name: "backward encoders (Encode impls)",
        file: "encode",
        feature: None,
        extra: None,
        generate: fast_encode::generate,
        wrap: None,
    },
    Generator {
        name: "zero-copy views (HasView, MessageView impls)",
        file: "views",
        feature: None,
        extra: None,
        generate: views::generate,
        wrap: None,
    },
    Generator {
        name: "buf.validate rules (Validate impls)",
        file: "validate",
        feature: Some("validate"),
        extra: None,
        generate: validate::generate,
        wrap: None,
    },
    Generator {
        name: "schema registry impls (ProtoSchema)",
        file: "schemas",
        feature: None,
        extra: None,
        generate: schemas::generate_impls,
        wrap: None,
    },
    Generator {
        name: "MCP JSON Schemas and tool tables",
        file: "mcp",
        feature: None,
        extra: None,
        generate: mcp::generate_impls,
        wrap: None,
    },
    Generator {
        name: "message and event visitors",
        file: "visit",
        feature: Some("serde"),
        extra: None,
        generate: eventing::generate_visitor,
        wrap: None,
    },
    Generator {
        name: "typed accessors of `bytes *_json` fields",
        file: "json_fields",
        feature: Some("serde"),
        extra: Some(Extra::JsonFields),
        generate: json_fields::generate,
        wrap: None,
    },
    Generator {
        name: "chrono accessors of int64 points in time",
        file: "time_fields",
        feature: Some("chrono"),
        extra: Some(Extra::EpochTimes),
        generate: time_fields::generate,
        wrap: None,
    },
    Generator {
        name: "NewEvent constructors",
        file: "constructors",
        feature: Some("envelope-metadata"),
        extra: Some(Extra::NewEvent),
        generate: constructors::generate,
        wrap: None,
    },
];

impl Generator {
    /// Whether the generator runs for `krate`.
    pub fn runs_for(&self, krate: &CrateSpec) -> bool {
        self.extra.is_none_or(|extra| krate.extras.contains(&extra))
    }

    /// Its files for `package`: (file name, contents), each with the `@generated`
    /// header, split between top-level items so none is over
    /// [`MAX_FILE_BYTES`](crate::codegen::output::MAX_FILE_BYTES); empty when it writes nothing.
    pub fn render(&self, input: &Input, model: &PackageModel) -> Result<Vec<(String, String)>> {
        let package = model.name.as_str();
        let text = (self.generate)(input, model)?;
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let what = format!("generator `{}` for package `{package}`", self.name);
        let items = output::parse(&what, &text)?.items;
        let layout = |items: Vec<syn::Item>| -> Result<String> {
            let items = match self.wrap {
                Some(wrap) => {
                    let tokens: Vec<String> = items
                        .iter()
                        .map(|i| quote::quote!(#i).to_string())
                        .collect();
                    output::parse(&what, &wrap(&tokens.join(" ")))?.items
                }
                None => items,
            };
            Ok(output::pretty(items))
        };
        // The header and a `// Part i of n.` line count against the limit too.
        let budget = output::MAX_FILE_BYTES - output::header(self.name).len() - 32;
        let parts =
            output::split_items(items, budget, |item| Ok(layout(vec![item.clone()])?.len()))?;
        let count = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let mut contents = output::header(self.name);
                if count > 1 {
                    contents.push_str(&format!("// Part {} of {count}.\n", i + 1));
                }
                contents.push_str(&layout(part)?);
                Ok((self.file_name(package, i + 1), contents))
            })
            .collect()
    }

    /// The file name of its output for `package` (`part` counts from 1; parts after
    /// the first exist only for output over [`crate::codegen::output::MAX_FILE_BYTES`]).
    pub fn file_name(&self, package: &str, part: usize) -> String {
        let mut name = package.to_string();
        if !self.file.is_empty() {
            name.push('.');
            name.push_str(self.file);
        }
        if part > 1 {
            name.push_str(&format!(".part{part}"));
        }
        name.push_str(".rs");
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generator that writes invalid Rust fails codegen, naming itself, the package,
    /// the place and the item; nothing is written.
    #[test]
    fn a_planted_syntax_error_fails_render() {
        let broken = Generator {
            name: "planted",
            file: "planted",
            feature: None,
            extra: None,
            generate: |_, model| {
                Ok(format!(
                    "/// `{}`.\nimpl A for B {{}}\n\nimpl D for C {{\n    fn f() {{ let x = ; }}\n}}\n",
                    model.name
                ))
            },
            wrap: None,
        };
        let compiled = crate::protos::compile(&crate::workspace::proto_dir()).unwrap();
        let krate = &crate::workspace::CRATES[0];
        let package = krate.packages[0].proto;
        let input = Input {
            pool: &compiled.pool,
            events: &[],
            tools: &[],
            krate,
            upstream: &Upstream::default(),
        };
        let model = PackageModel::build(&compiled.pool, krate, package).unwrap();
        let error = broken.render(&input, &model).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "generator `planted` for package `{package}` wrote invalid Rust"
            )),
            "{error}"
        );
        assert!(error.contains("line 5"), "{error}");
        assert!(error.contains("in the item `impl D for C {`"), "{error}");
    }

    #[test]
    fn file_names() {
        let g = &GENERATORS[0];
        assert_eq!(g.file_name("a.b", 1), "a.b.rs");
        let serde = GENERATORS.iter().find(|g| g.file == "serde").unwrap();
        assert_eq!(serde.file_name("a.b", 1), "a.b.serde.rs");
        assert_eq!(serde.file_name("a.b", 2), "a.b.serde.part2.rs");
    }
}
