//! `cargo xtask bench [--seconds S] [--rounds N] [--readme]`: Rust against Python
//! protobuf (upb) on the same bytes, in one table.
//!
//! 1. `cargo bench -p interop-tests --bench codec` builds the payloads, writes their
//!    binary and JSON forms to `target/bench/`, and times encode, decode, to JSON and
//!    from JSON with allocations counted (`rust.json`).
//! 2. `tests/python/bench_upb.py` (in the interop venv) decodes those very bytes with
//!    upb, checks its deterministic bytes equal Rust's, and times the same operations
//!    (`upb.json`).
//! 3. Steps 1 and 2 alternate for `--rounds` rounds (5). Per operation, the table
//!    quotes each side's median time and the median of the rounds' speed-ups (each
//!    round's two sides ran back to back) with the lowest and highest: the machine's
//!    speed drifts, and one lucky round says little.
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
    let mut rounds_wanted = 5;
    let mut readme = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--seconds" => seconds = it.next().context("--seconds needs a value")?.to_string(),
            "--rounds" => {
                rounds_wanted = it
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

    // Rounds alternate the two sides: a shared machine slows down and speeds up (by
    // up to 2x), so each round compares the two sides measured close together, and
    // the table quotes the median of the rounds' ratios with their spread.
    let mut rounds: Vec<(Value, Value)> = Vec::new();
    for round in 1..=rounds_wanted {
        println!("bench: round {round} of {rounds_wanted}");
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
        rounds.push((rust, upb));
    }
    let table = table(&rounds)?;
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
/// `encode_prost` prost's `encode_to_vec`, `encode_grpc` the gRPC codec's path
/// (`encode::to_bytes_mut` into a `BytesMut`), all compared with upb's encode; `decode`
/// is prost's owned decode, `owned_floor` a lower bound of any owned decode (`clone`
/// of the decoded message: its allocations and copies at their final sizes, no parsing) and `decode_view` the
/// zero-copy view, all compared with upb's decode; `buffa_*` are buffa 0.9 on the same bytes (the second peer,
/// `tests/buffa-peer`), compared with upb's operation of the same name.
const OPS: [&str; 11] = [
    "encode",
    "encode_prost",
    "encode_grpc",
    "buffa_encode",
    "decode",
    "owned_floor",
    "decode_view",
    "buffa_decode",
    "buffa_decode_view",
    "to_json",
    "from_json",
];

/// The upb operation a Rust operation is compared with.
fn upb_op(op: &str) -> &str {
    match op {
        "encode_prost" | "encode_grpc" | "buffa_encode" => "encode",
        "owned_floor" | "decode_view" | "buffa_decode" | "buffa_decode_view" => "decode",
        other => other,
    }
}

/// The table's name for an operation.
fn label(op: &str) -> &str {
    match op {
        "encode" => "encode (`encode::to_vec`)",
        "encode_prost" => "encode (prost `encode_to_vec`)",
        "encode_grpc" => "encode (gRPC codec, `encode::to_bytes_mut`)",
        "decode" => "decode (owned, prost)",
        "owned_floor" => "owned floor (`clone` of the decoded message)",
        "decode_view" => "decode (view, `decode_view`)",
        "buffa_encode" => "encode (buffa 0.9)",
        "buffa_decode" => "decode (buffa 0.9, owned)",
        "buffa_decode_view" => "decode (buffa 0.9, view)",
        other => other,
    }
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

/// The median of `values` (not empty).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The markdown table: one row per payload and operation. Times are the medians of
/// the rounds; the speed-up is the median of the rounds' ratios (upb time over Rust
/// time, each round's two sides measured back to back), with the lowest and highest.
pub fn table(rounds: &[(Value, Value)]) -> Result<String> {
    let (first, _) = rounds.first().context("no rounds")?;
    let mut t = String::from(
        "| payload | bytes | op | Rust µs | upb µs | upb/Rust (speed-up), median (min–max) | Rust MB/s | Rust allocs |\n\
         | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (i, p) in first
        .as_array()
        .context("rust.json: a list")?
        .iter()
        .enumerate()
    {
        let name = p["name"].as_str().context("payload name")?;
        let bytes = p["rust"]["bytes"].as_f64().context("payload bytes")?;
        for op in OPS {
            if p["rust"][op].is_null() {
                continue;
            }
            let allocs = p["rust"][op]["allocs"].as_u64().context("rust allocs")?;
            let (mut r, mut u, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
            for (rust, upb) in rounds {
                let rn = rust[i]["rust"][op]["ns"].as_f64().context("rust ns")?;
                let un = upb[name][upb_op(op)]
                    .as_f64()
                    .with_context(|| format!("upb.json: no {name} {op}"))?;
                r.push(rn);
                u.push(un);
                ratio.push(un / rn);
            }
            let (lo, hi) = ratio.iter().fold((f64::INFINITY, 0f64), |(lo, hi), x| {
                (lo.min(*x), hi.max(*x))
            });
            let (r, u, ratio) = (median(&mut r), median(&mut u), median(&mut ratio));
            // Throughput of the binary form (JSON rows use the same size, for scale).
            let mbps = bytes / r * 1000.0;
            writeln!(
                t,
                "| {name} ({kind}) | {bytes} | {} | {} | {} | {ratio:.2}× ({lo:.2}–{hi:.2}) | {mbps:.0} | {allocs} |",
                label(op),
                us(r),
                us(u),
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
    fn ratio_is_the_median_of_the_rounds_upb_time_over_rust_time() {
        let rust = |encode: f64| {
            serde_json::json!([{
                "name": "p", "kind": "plain",
                "rust": {
                    "bytes": 1000,
                    "encode": {"ns": encode, "allocs": 1},
                    "encode_prost": {"ns": 800.0, "allocs": 1},
                    "decode": {"ns": 2000.0, "allocs": 3},
                    "owned_floor": {"ns": 1250.0, "allocs": 3},
                    "decode_view": {"ns": 250.0, "allocs": 0},
                    "to_json": {"ns": 1000.0, "allocs": 2},
                    "from_json": {"ns": 1000.0, "allocs": 4}
                }
            }])
        };
        let upb = |encode: f64| serde_json::json!({"p": {"encode": encode, "decode": 1000.0, "to_json": 50_000.0, "from_json": 120_000.0}});
        // Three rounds: encode ratios 2.0, 1.0 and 4.0 (a slow round on each side).
        let rounds = [
            (rust(500.0), upb(1000.0)),
            (rust(1000.0), upb(1000.0)),
            (rust(500.0), upb(2000.0)),
        ];
        let t = table(&rounds).unwrap();
        assert!(
            t.contains(
                "| p (plain) | 1000 | encode (`encode::to_vec`) | 0.50 | 1.00 | 2.00× (1.00–4.00) | 2000 | 1 |"
            ),
            "{t}"
        );
        // prost's encoder is compared with the same upb encode.
        assert!(
            t.contains(
                "| encode (prost `encode_to_vec`) | 0.80 | 1.00 | 1.25× (1.25–2.50) | 1250 | 1 |"
            ),
            "{t}"
        );
        assert!(
            t.contains("| decode (owned, prost) | 2.00 | 1.00 | 0.50× (0.50–0.50) | 500 | 3 |"),
            "{t}"
        );
        // The owned floor is compared with upb's decode too.
        assert!(
            t.contains(
                "| owned floor (`clone` of the decoded message) | 1.25 | 1.00 | 0.80× (0.80–0.80) | 800 | 3 |"
            ),
            "{t}"
        );
        // The view is compared with upb's decode; an op Rust did not time has no row.
        assert!(
            t.contains(
                "| decode (view, `decode_view`) | 0.25 | 1.00 | 4.00× (4.00–4.00) | 4000 | 0 |"
            ),
            "{t}"
        );
        assert!(!t.contains("gRPC codec"), "{t}");
        assert!(
            t.contains("| from_json | 1.00 | 120 | 120.00× (120.00–120.00) |"),
            "{t}"
        );
        assert!(table(&[(rust(1.0), serde_json::json!({}))]).is_err());
        assert!(table(&[]).is_err());
    }
}
