//! The C toolchain librdkafka's build needs (common-eventing's `rdkafka` feature, on in
//! `--all-features` builds): a C compiler, `make` and `perl` for its `configure`. A
//! fresh Debian machine without them gets Debian's `build-essential` and `perl`.

use anyhow::{Result, bail};
use std::process::{Command, Stdio};

/// The tools, each with the argument that makes it print its version.
const TOOLS: [(&str, &str); 3] = [("cc", "--version"), ("make", "--version"), ("perl", "-v")];

fn present(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Checks the tools; installs what is missing with apt-get, or fails naming it.
pub fn ensure() -> Result<()> {
    let missing: Vec<&str> = TOOLS
        .iter()
        .filter(|(tool, arg)| !present(tool, arg))
        .map(|(tool, _)| *tool)
        .collect();
    if missing.is_empty() {
        println!("C toolchain for librdkafka: cc, make and perl present");
        return Ok(());
    }
    println!(
        "C toolchain for librdkafka: {} missing; apt-get install",
        missing.join(", ")
    );
    let status = Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "build-essential",
            "perl",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status();
    let still: Vec<&str> = missing
        .into_iter()
        .filter(|tool| !TOOLS.iter().any(|(t, arg)| t == tool && present(t, arg)))
        .collect();
    if !still.is_empty() {
        bail!(
            "librdkafka's build needs {} (apt-get: {status:?}); install a C compiler, \
             make and perl",
            still.join(", ")
        );
    }
    Ok(())
}
