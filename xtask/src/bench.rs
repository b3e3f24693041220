//! `cargo xtask bench [--seconds S] [--rounds N] [--readme]`: Rust against Python
//! protobuf (upb) on the same bytes, in one table.
//!
//! 1. `cargo bench -p interop-tests --bench codec` builds the payloads, writes their
//!    binary and JSON forms to `target/bench/`, and times encode, decode, to JSON and
//!    from JSON with allocations counted (`rust.json`).
//! 2. `tests/python/bench_upb.py` (in the interop venv) decodes those very bytes with
//!    upb, checks its deterministic bytes equal Rust's, and times the same operations
//!    (`upb.json`).
//! 3. Steps 1 and 2 alternate for `--rounds` rounds (3), and each operation keeps its
//!    best time.
//! 4. The table is printed and written to `target/bench/table.md`; with `--readme` it
//!    also replaces the README's table between the `bench-table` markers.
//! 4. `cargo bench -p interop-tests --bench lossless` times `Lossless::<M>::decode`
//!    against `M::decode` (and the slow path with unknown fields) and prints its table
//!    (`target/bench/lossless.md`).
//!
//! 5. `cargo bench -p interop-tests --bench kafka`: typed events per second through
//!    librdkafka's mock cluster and the codec's share (`cargo xtask bench --kafka`
//!    runs it alone).
//!
//! Not a test and not part of CI (CI only compiles the benchmark, in clippy).

use crate::{python, workspace};
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::fmt::Write as _;
use std::process::Command;

const BEGIN: &str = "<!-- bench-table:begin (cargo xtask bench --readme) -->";
const END: &str = "<!-- bench-table:end -->";

/// `cargo bench -p interop-tests --bench <name> --` in the workspace root; add the
/// benchmark's own arguments.
pub fn cargo_bench(name: &str) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(workspace::root()).args([
        "bench",
        "-p",
        "interop-tests",
        "--bench",
        name,
        "--",
    ]);
    cmd
}

/// Entry point.
pub fn run(args: &[&str]) -> Result<()> {
    let mut seconds = "0.3".to_string();
    let mut rounds = 3;
    let mut readme = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--seconds" => seconds = it.next().context("--seconds needs a value")?.to_string(),
            "--rounds" => {
                rounds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n >= 1)
                    .context("--rounds needs a number >= 1")?
            }
            "--readme" => readme = true,
            other => bail!("cargo xtask bench: unknown argument {other}"),
        }
    }
    let out = workspace::root().join("target/bench");
    std::fs::create_dir_all(&out)?;
    let py = python::ensure_venv()?;

    // Rounds alternate the two sides, and each operation keeps its best time over
    // the rounds: a shared machine slows down and speeds up, and this keeps one side
    // from being measured only in a slow phase.
    let mut best: Option<(Value, Value)> = None;
    for round in 1..=rounds {
        println!("bench: round {round} of {rounds}");
        let status = cargo_bench("codec")
            .arg("--out")
            .arg(&out)
            .args(["--seconds", &seconds])
            .status()?;
        if !status.success() {
            bail!("the Rust benchmark failed ({status})");
        }
        let status = Command::new(&py)
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
        best = Some(match best {
            None => (rust, upb),
            Some((r, u)) => (keep_best_rust(r, &rust), keep_best_upb(u, &upb)),
        });
    }
    let (rust, upb) = best.context("no rounds ran")?;
    let table = table(&rust, &upb)?;
    println!("\n{table}");
    std::fs::write(out.join("table.md"), &table)?;
    // Lossless::<M>::decode against M::decode (issue 13: at most +30% without unknown
    // fields), printed after the upb table and written to target/bench/lossless.md.
    let status = cargo_bench("lossless")
        .arg("--out")
        .arg(&out)
        .args(["--seconds", &seconds])
        .status()?;
    if !status.success() {
        bail!("the Lossless benchmark failed ({status})");
    }
    // Typed events through Kafka end to end (target/bench/kafka.md).
    let status = cargo_bench("kafka").status()?;
    if !status.success() {
        bail!("the Kafka benchmark failed ({status})");
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

/// The operations timed: `encode` is `common_eventing::encode::to_vec`,
/// `encode_prost` prost's `encode_to_vec` (same bytes; compared with upb's encode).
const OPS: [&str; 5] = ["encode", "encode_prost", "decode", "to_json", "from_json"];

/// The upb operation a Rust operation is compared with.
fn upb_op(op: &str) -> &str {
    op.strip_suffix("_prost").unwrap_or(op)
}

/// The table's name for an operation.
fn label(op: &str) -> &str {
    match op {
        "encode" => "encode (`encode::to_vec`)",
        "encode_prost" => "encode (prost `encode_to_vec`)",
        other => other,
    }
}

/// `best` with each operation's time lowered to `next`'s where that is lower.
fn keep_best_rust(mut best: Value, next: &Value) -> Value {
    if let (Some(best), Some(next)) = (best.as_array_mut(), next.as_array()) {
        for (b, n) in best.iter_mut().zip(next) {
            for op in OPS {
                if let (Some(bn), Some(nn)) =
                    (b["rust"][op]["ns"].as_f64(), n["rust"][op]["ns"].as_f64())
                    && nn < bn
                {
                    b["rust"][op]["ns"] = nn.into();
                }
            }
        }
    }
    best
}

fn keep_best_upb(mut best: Value, next: &Value) -> Value {
    if let Some(best) = best.as_object_mut() {
        for (name, b) in best.iter_mut() {
            for op in OPS {
                if let (Some(bn), Some(nn)) = (b[op].as_f64(), next[name][op].as_f64())
                    && nn < bn
                {
                    b[op] = nn.into();
                }
            }
        }
    }
    best
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
        for op in OPS {
            if op == "encode_prost" && p["rust"][op].is_null() {
                continue;
            }
            let r = p["rust"][op]["ns"].as_f64().context("rust ns")?;
            let allocs = p["rust"][op]["allocs"].as_u64().context("rust allocs")?;
            let u = upb[name][upb_op(op)]
                .as_f64()
                .with_context(|| format!("upb.json: no {name} {op}"))?;
            // Throughput of the binary form (JSON rows use the same size, for scale).
            let mbps = bytes / r * 1000.0;
            writeln!(
                t,
                "| {name} ({kind}) | {bytes} | {} | {} | {} | {:.2}× | {mbps:.0} | {allocs} |",
                label(op),
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
                "encode_prost": {"ns": 800.0, "allocs": 1},
                "decode": {"ns": 2000.0, "allocs": 3},
                "to_json": {"ns": 1000.0, "allocs": 2},
                "from_json": {"ns": 1000.0, "allocs": 4}
            }
        }]);
        let upb = serde_json::json!({"p": {"encode": 1000.0, "decode": 1000.0, "to_json": 50_000.0, "from_json": 120_000.0}});
        let t = table(&rust, &upb).unwrap();
        assert!(
            t.contains(
                "| p (plain) | 1000 | encode (`encode::to_vec`) | 0.50 | 1.00 | 2.00× | 2000 | 1 |"
            ),
            "{t}"
        );
        // prost's encoder is compared with the same upb encode.
        assert!(
            t.contains("| encode (prost `encode_to_vec`) | 0.80 | 1.00 | 1.25× | 1250 | 1 |"),
            "{t}"
        );
        assert!(
            t.contains("| decode | 2.00 | 1.00 | 0.50× | 500 | 3 |"),
            "{t}"
        );
        assert!(t.contains("| from_json | 1.00 | 120 | 120.00× |"), "{t}");
        assert!(table(&rust, &serde_json::json!({})).is_err());
        // Rounds keep the best time of each side and operation.
        let mut slower = rust.clone();
        slower[0]["rust"]["encode"]["ns"] = 900.0.into();
        slower[0]["rust"]["decode"]["ns"] = 1500.0.into();
        let merged = keep_best_rust(slower, &rust);
        assert_eq!(merged[0]["rust"]["encode"]["ns"], 500.0);
        assert_eq!(merged[0]["rust"]["decode"]["ns"], 1500.0);
        let faster = serde_json::json!({"p": {"encode": 800.0, "decode": 2000.0, "to_json": 1.0, "from_json": 1.0}});
        let merged = keep_best_upb(upb.clone(), &faster);
        assert_eq!(merged["p"]["encode"], 800.0);
        assert_eq!(merged["p"]["decode"], 1000.0);
    }
}
