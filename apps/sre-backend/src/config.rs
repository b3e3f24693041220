//! Command-line flags of the `sre-backend` binary.

use crate::auth::{KEY_ENV, SharedKey};
use crate::server::ServerOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Usage text.
pub const USAGE: &str = "usage: sre-backend [--grpc ADDR] [--fact-log FILE] [--seed FILE] [--schema-id N]
                   [--shared-key-file FILE] [--allow-unauthenticated] [limits]
  --grpc ADDR                 gRPC listen address (default 127.0.0.1:50061; port 0 picks one)
  --fact-log FILE             append every SreDomainFact, Confluent-framed, to FILE (4-byte
                              big-endian length, then the frame)
  --seed FILE                 initial aggregates: {\"<tenant>\": {\"alerts\": [...], \"runbooks\": [...],
                              \"slos\": [...], \"fleetStates\": [...], \"services\": [...],
                              \"postmortems\": [...], \"incidents\": [...]}} in proto3 JSON
  --schema-id N               schema registry id written into each fact's frame (default 1)
  --shared-key-file FILE      every call must carry `authorization: Bearer <key>`, the key being
                              FILE's text (else the SRE_BACKEND_SHARED_KEY variable; at least 16
                              visible ASCII characters); others get UNAUTHENTICATED
  --allow-unauthenticated     listen on a non-loopback address without a key (refused by default)
limits:
  --max-concurrent-streams N  HTTP/2 calls open at once per connection (default 100)
  --max-header-list-bytes N   largest metadata (header list) of a call (default 16384)
  --request-timeout SECS      a call not answered within SECS is cancelled (default 30)
  --http2-keepalive SECS      HTTP/2 ping interval (default 30; 10 s to answer)
  --tcp-keepalive SECS        TCP keepalive idle time (default 60)
  --max-connections N         connections served at once (default 1024)
  --handshake-timeout SECS    time a new connection has to send the HTTP/2 preface (default 10)
  --grace-period SECS         on SIGTERM/SIGINT, how long in-flight calls may finish (default 10)";

/// The binary's settings.
#[derive(Debug)]
pub struct Args {
    /// gRPC listen address.
    pub grpc: SocketAddr,
    /// Fact log file (in memory when `None`).
    pub fact_log: Option<PathBuf>,
    /// Seed file.
    pub seed: Option<PathBuf>,
    /// Schema registry id of the facts' frames.
    pub schema_id: u32,
    /// Listen on non-loopback addresses without a key.
    pub allow_unauthenticated: bool,
    /// The key and the transport limits.
    pub server: ServerOptions,
}

use server_kit::flags::{positive, seconds};

/// Parses the flags (without the program name); `env_key` is the value of
/// `SRE_BACKEND_SHARED_KEY`, used when `--shared-key-file` is not given. `Err("")`
/// asks for the usage.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env_key: Option<String>,
) -> Result<Args, String> {
    let mut out = Args {
        grpc: "127.0.0.1:50061".parse().expect("a valid address"),
        fact_log: None,
        seed: None,
        schema_id: 1,
        allow_unauthenticated: false,
        server: ServerOptions::default(),
    };
    let mut args = args.into_iter();
    let mut key_file: Option<PathBuf> = None;
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--help" | "-h" => return Err(String::new()),
            "--allow-unauthenticated" => {
                out.allow_unauthenticated = true;
                continue;
            }
            _ => {}
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag}: needs a value"))?;
        let bad = |e: String| format!("{flag} {value:?}: {e}");
        let s = &mut out.server;
        match flag.as_str() {
            "--grpc" => out.grpc = value.parse().map_err(|e| bad(format!("{e}")))?,
            "--fact-log" => out.fact_log = Some(value.into()),
            "--seed" => out.seed = Some(value.into()),
            "--schema-id" => out.schema_id = value.parse().map_err(|e| bad(format!("{e}")))?,
            "--shared-key-file" => key_file = Some(value.into()),
            "--max-concurrent-streams" => {
                s.max_concurrent_streams = positive(&value).map_err(bad)?
            }
            "--max-header-list-bytes" => s.max_header_list_bytes = positive(&value).map_err(bad)?,
            "--request-timeout" => s.request_timeout = seconds(&value).map_err(bad)?,
            "--http2-keepalive" => s.http2_keepalive_interval = seconds(&value).map_err(bad)?,
            "--tcp-keepalive" => s.tcp_keepalive = seconds(&value).map_err(bad)?,
            "--max-connections" => s.max_connections = positive(&value).map_err(bad)?,
            "--handshake-timeout" => s.handshake_timeout = seconds(&value).map_err(bad)?,
            "--grace-period" => s.grace_period = seconds(&value).map_err(bad)?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    out.server.key = match (key_file, env_key.filter(|k| !k.is_empty())) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("--shared-key-file {}: {e}", path.display()))?;
            Some(
                SharedKey::new(&text)
                    .map_err(|e| format!("--shared-key-file {}: {e}", path.display()))?,
            )
        }
        (None, Some(text)) => Some(SharedKey::new(&text).map_err(|e| format!("{KEY_ENV}: {e}"))?),
        (None, None) => None,
    };
    if out.server.max_header_list_bytes < 1024 {
        return Err("--max-header-list-bytes: at least 1024".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server;
    use std::time::Duration;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn limits_have_defaults_and_flags() {
        let a = parse(args(&[]), None).unwrap();
        assert_eq!(
            a.server.max_concurrent_streams,
            server::DEFAULT_MAX_CONCURRENT_STREAMS
        );
        assert!(a.server.key.is_none() && !a.allow_unauthenticated);
        let a = parse(
            args(&[
                "--grace-period",
                "2.5",
                "--max-concurrent-streams",
                "7",
                "--allow-unauthenticated",
            ]),
            None,
        )
        .unwrap();
        assert_eq!(a.server.grace_period, Duration::from_millis(2500));
        assert_eq!(a.server.max_concurrent_streams, 7);
        assert!(a.allow_unauthenticated);
        let e = parse(args(&["--request-timeout", "0"]), None).unwrap_err();
        assert!(e.starts_with("--request-timeout \"0\": "), "{e}");
    }

    #[test]
    fn the_key_comes_from_the_file_or_the_environment() {
        let a = parse(args(&[]), Some("0123456789abcdef".into())).unwrap();
        assert!(a.server.key.unwrap().matches(b"0123456789abcdef"));
        let e = parse(args(&[]), Some("short".into())).unwrap_err();
        assert!(e.starts_with(KEY_ENV), "{e}");
        let e = parse(args(&["--shared-key-file", "/nonexistent/key"]), None).unwrap_err();
        assert!(e.starts_with("--shared-key-file /nonexistent/key: "), "{e}");
    }
}
