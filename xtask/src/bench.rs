//! `cargo xtask bench [--seconds S] [--readme]`: Rust against Python protobuf (upb) on
//! the same bytes, in one table.
//!
//! 1. `cargo bench -p interop-tests --bench codec` builds the payloads, writes their
//!    binary and JSON forms to `target/bench/`, and times encode, decode, to JSON and
//!    from JSON with allocations counted (`rust.json`).
//! 2. `tests/python/bench_upb.py` (in the interop venv) decodes those very bytes with
//!    upb, checks its deterministic bytes equal Rust's, and times the same operations
//!    (`upb.json`).
//! 3. The table is printed and written to `target/bench/table.md`; with `--readme` it
//!    also replaces the README's table between the `bench-table` markers.
//! 4. `cargo bench -p interop-tests --bench lossless` times `Lossless::<M>::decode`
//!    against `M::decode` (and the slow path with unknown fields) and prints its table
//!    (`target/bench/lossless.md`).
//!
//! Not a test and not part of CI (CI only compiles the benchmark, in clippy).

use crate::{python, workspace};
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::fmt::Write as _;
use std::process::Command;

const BEGIN: &str = "<!-- bench-table:begin (cargo xtask bench --readme) -->";
const END: &str = "<!-- bench-table:end -->";

/// Entry point.
pub fn run(args: &[&str]) -> Result<()> {
    let mut seconds = "0.5".to_string();
    let mut readme = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--seconds" => seconds = it.next().context("--seconds needs a value")?.to_string(),
            "--readme" => readme = true,
            other => bail!("cargo xtask bench: unknown argument {other}"),
        }
    }
    let out = workspace::root().join("target/bench");
    std::fs::create_dir_all(&out)?;
    let py = python::ensure_venv()?;

    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(workspace::root())
        .args([
            "bench",
            "-p",
            "interop-tests",
            "--bench",
            "codec",
            "--",
            "--out",
        ])
        .arg(&out)
        .args(["--seconds", &seconds])
        .status()?;
    if !status.success() {
        bail!("the Rust benchmark failed ({status})");
    }
    let status = Command::new(py)
        .arg(workspace::root().join("tests/python/bench_upb.py"))
        .arg(&out)
        .arg(&seconds)
        .env("PYTHONPATH", workspace::root().join("tests/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .status()?;
    if !status.success() {
        bail!("the upb benchmark failed ({status})");
    }
    let rust: Value = serde_json::from_str(&std::fs::read_to_string(out.join("rust.json"))?)?;
    let upb: Value = serde_json::from_str(&std::fs::read_to_string(out.join("upb.json"))?)?;
    let table = table(&rust, &upb)?;
    println!("\n{table}");
    std::fs::write(out.join("table.md"), &table)?;
    // Lossless::<M>::decode against M::decode (issue 13: at most +30% without unknown
    // fields), printed after the upb table and written to target/bench/lossless.md.
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(workspace::root())
        .args([
            "bench",
            "-p",
            "interop-tests",
            "--bench",
            "lossless",
            "--",
            "--out",
        ])
        .arg(&out)
        .args(["--seconds", &seconds])
        .status()?;
    if !status.success() {
        bail!("the Lossless benchmark failed ({status})");
    }
    if readme {
        let path = workspace::root().join("README.md");
        let text = std::fs::read_to_string(&path)?;
        let (Some(a), Some(b)) = (text.find(BEGIN), text.find(END)) else {
            bail!("README.md has no {BEGIN} ... {END} markers");
        };
        let spliced = format!("{}{BEGIN}\n{table}{}", &text[..a], &text[b..]);
        std::fs::write(&path, spliced)?;
        println!("README.md: benchmark table replaced");
    }
    Ok(())
}

fn us(ns: f64) -> String {
    if ns >= 100_000.0 {
        format!("{:.0}", ns / 1000.0)
    } else if ns >= 10_000.0 {
        format!("{:.1}", ns / 1000.0)
    } else {
        format!("{:.2}", ns / 1000.0)
    }
}

/// The markdown table: one row per payload and operation.
pub fn table(rust: &Value, upb: &Value) -> Result<String> {
    let mut t = String::from(
        "| payload | bytes | op | Rust µs | upb µs | upb/Rust (speed-up) | Rust MB/s | Rust allocs |\n\
         | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for p in rust.as_array().context("rust.json: a list")? {
        let name = p["name"].as_str().context("payload name")?;
        let bytes = p["rust"]["bytes"].as_f64().context("payload bytes")?;
        for op in ["encode", "decode", "to_json", "from_json"] {
            let r = p["rust"][op]["ns"].as_f64().context("rust ns")?;
            let allocs = p["rust"][op]["allocs"].as_u64().context("rust allocs")?;
            let u = upb[name][op]
                .as_f64()
                .with_context(|| format!("upb.json: no {name} {op}"))?;
            // Throughput of the binary form (JSON rows use the same size, for scale).
            let mbps = bytes / r * 1000.0;
            writeln!(
                t,
                "| {name} ({kind}) | {bytes} | {op} | {} | {} | {:.2}× | {mbps:.0} | {allocs} |",
                us(r),
                us(u),
                u / r,
                kind = p["kind"].as_str().unwrap_or("?"),
            )?;
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_upb_time_over_rust_time() {
        let rust = serde_json::json!([{
            "name": "p", "kind": "plain",
            "rust": {
                "bytes": 1000,
                "encode": {"ns": 500.0, "allocs": 1},
                "decode": {"ns": 2000.0, "allocs": 3},
                "to_json": {"ns": 1000.0, "allocs": 2},
                "from_json": {"ns": 1000.0, "allocs": 4}
            }
        }]);
        let upb = serde_json::json!({"p": {"encode": 1000.0, "decode": 1000.0, "to_json": 50_000.0, "from_json": 120_000.0}});
        let t = table(&rust, &upb).unwrap();
        assert!(
            t.contains("| p (plain) | 1000 | encode | 0.50 | 1.00 | 2.00× | 2000 | 1 |"),
            "{t}"
        );
        assert!(
            t.contains("| decode | 2.00 | 1.00 | 0.50× | 500 | 3 |"),
            "{t}"
        );
        assert!(t.contains("| from_json | 1.00 | 120 | 120.00× |"), "{t}");
        assert!(table(&rust, &serde_json::json!({})).is_err());
    }
}
