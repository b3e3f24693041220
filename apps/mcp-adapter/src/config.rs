//! Command-line flags.

use crate::server::HttpLimits;
use crate::upstream::{DEFAULT_UPSTREAM_TIMEOUT, KEY_ENV, UpstreamKey};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Usage text.
pub const USAGE: &str = "usage: mcp-adapter --upstream URL (--issuer URL (--jwks-file PATH | --jwks-url URL) | --dev-no-auth) [flags]
  --listen ADDR          HTTP listen address (default 127.0.0.1:8090; port 0 picks one)
  --upstream URL         the SRE gRPC backend (e.g. http://127.0.0.1:50061)
  --issuer URL           the authorization server: tokens' `iss`, listed in the metadata
  --audience AUD         required in tokens' `aud` (default ameide-mcp-adapter)
  --jwks-file PATH       the issuer's JWK Set, from a file
  --jwks-url URL         the issuer's JWK Set, fetched once at start (http:// only)
  --allowed-origin ORIG  a browser Origin allowed on /mcp (repeatable; exact scheme://host[:port])
  --allowed-host HOST    a Host header value allowed on /mcp (repeatable; default: loopback
                         names and the listen and public-url hosts)
  --public-url URL       base URL clients use (default http://<listen address>); the metadata's
                         `resource` is <public-url>/mcp
  --max-body-bytes N     largest request body (default 1048576; 413 above)
  --dev-no-auth          no token checks, every call is tenant --dev-tenant with all scopes;
                         refused unless --listen is a loopback address
  --dev-tenant TENANT    the tenant of --dev-no-auth (default dev)
upstream:
  --upstream-timeout SECS      deadline of every call to the backend (default 15); a call over it
                               is a tool error naming the deadline
  --upstream-key-file FILE     send `authorization: Bearer <FILE's text>` on every backend call
                               (the backend's --shared-key-file; else MCP_ADAPTER_UPSTREAM_KEY)
limits:
  --header-read-timeout SECS   time to send the request head (default 10)
  --max-header-bytes N         largest request head (default 32768; 431 above)
  --max-concurrent-streams N   HTTP/2 streams per connection (default 100)
  --max-connections N          connections served at once (default 1024)
  --grace-period SECS          on SIGTERM/SIGINT, time in-flight requests get (default 10)";

/// Default `aud` the tokens must carry.
pub const DEFAULT_AUDIENCE: &str = "ameide-mcp-adapter";
/// Default body limit.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Where the JWKS comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwksSource {
    /// A file.
    File(PathBuf),
    /// An `http://` URL, fetched at start.
    Url(String),
}

/// The adapter's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// HTTP listen address.
    pub listen: SocketAddr,
    /// The gRPC backend.
    pub upstream: String,
    /// Expected `iss`.
    pub issuer: Option<String>,
    /// Expected `aud` member.
    pub audience: String,
    /// The JWKS.
    pub jwks: Option<JwksSource>,
    /// Allowed browser origins.
    pub allowed_origins: Vec<String>,
    /// Extra allowed `Host` values.
    pub allowed_hosts: Vec<String>,
    /// Public base URL.
    pub public_url: Option<String>,
    /// Body limit.
    pub max_body_bytes: usize,
    /// No authentication (loopback only).
    pub dev_no_auth: bool,
    /// The tenant of `dev_no_auth`.
    pub dev_tenant: String,
    /// The deadline of every backend call.
    pub upstream_timeout: Duration,
    /// The backend's shared key, if it requires one.
    pub upstream_key: Option<UpstreamKey>,
    /// The HTTP server's limits.
    pub http: HttpLimits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8090".parse().expect("a valid address"),
            upstream: String::new(),
            issuer: None,
            audience: DEFAULT_AUDIENCE.into(),
            jwks: None,
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            public_url: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            dev_no_auth: false,
            dev_tenant: "dev".into(),
            upstream_timeout: DEFAULT_UPSTREAM_TIMEOUT,
            upstream_key: None,
            http: HttpLimits::default(),
        }
    }
}

impl Config {
    /// Parses the flags (without the program name) and `MCP_ADAPTER_UPSTREAM_KEY`.
    /// `Err("")` asks for the usage.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        Self::parse_with_env(args, std::env::var(KEY_ENV).ok())
    }

    /// Parses the flags; `env_key` is the value of `MCP_ADAPTER_UPSTREAM_KEY`, used
    /// when `--upstream-key-file` is not given.
    pub fn parse_with_env(
        args: impl IntoIterator<Item = String>,
        env_key: Option<String>,
    ) -> Result<Self, String> {
        let mut config = Config::default();
        let mut key_file: Option<PathBuf> = None;
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            match flag.as_str() {
                "--help" | "-h" => return Err(String::new()),
                "--dev-no-auth" => {
                    config.dev_no_auth = true;
                    continue;
                }
                _ => {}
            }
            let value = args
                .next()
                .ok_or_else(|| format!("{flag}: needs a value"))?;
            let bad = |e: &dyn std::fmt::Display| format!("{flag} {value:?}: {e}");
            match flag.as_str() {
                "--listen" => config.listen = value.parse().map_err(|e| bad(&e))?,
                "--upstream" => config.upstream = value,
                "--issuer" => config.issuer = Some(value),
                "--audience" => config.audience = value,
                "--jwks-file" | "--jwks-url" if config.jwks.is_some() => {
                    return Err("give one of --jwks-file and --jwks-url".into());
                }
                "--jwks-file" => config.jwks = Some(JwksSource::File(value.into())),
                "--jwks-url" => config.jwks = Some(JwksSource::Url(value)),
                "--allowed-origin" => config
                    .allowed_origins
                    .push(value.trim_end_matches('/').into()),
                "--allowed-host" => config.allowed_hosts.push(value),
                "--public-url" => config.public_url = Some(value.trim_end_matches('/').into()),
                "--max-body-bytes" => config.max_body_bytes = value.parse().map_err(|e| bad(&e))?,
                "--dev-tenant" => config.dev_tenant = value,
                "--upstream-timeout" => {
                    config.upstream_timeout = seconds(&value).map_err(|e| bad(&e))?
                }
                "--upstream-key-file" => key_file = Some(value.into()),
                "--header-read-timeout" => {
                    config.http.header_read_timeout = seconds(&value).map_err(|e| bad(&e))?
                }
                "--max-header-bytes" => {
                    config.http.max_header_bytes = positive(&value).map_err(|e| bad(&e))?
                }
                "--max-concurrent-streams" => {
                    config.http.max_concurrent_streams = positive(&value).map_err(|e| bad(&e))?
                }
                "--max-connections" => {
                    config.http.max_connections = positive(&value).map_err(|e| bad(&e))?
                }
                "--grace-period" => {
                    config.http.grace_period = seconds(&value).map_err(|e| bad(&e))?
                }
                _ => return Err(format!("unknown flag {flag}")),
            }
        }
        config.upstream_key = match (key_file, env_key.filter(|k| !k.is_empty())) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("--upstream-key-file {}: {e}", path.display()))?;
                Some(
                    UpstreamKey::new(&text)
                        .map_err(|e| format!("--upstream-key-file {}: {e}", path.display()))?,
                )
            }
            (None, Some(text)) => {
                Some(UpstreamKey::new(&text).map_err(|e| format!("{KEY_ENV}: {e}"))?)
            }
            (None, None) => None,
        };
        crate::auth::check_tenant(&config.dev_tenant).map_err(|e| format!("--dev-tenant: {e}"))?;
        if config.upstream.is_empty() {
            return Err("--upstream is required".into());
        }
        if config.dev_no_auth {
            if !config.listen.ip().is_loopback() {
                return Err(format!(
                    "--dev-no-auth is only allowed on a loopback address, not {}",
                    config.listen
                ));
            }
        } else if config.issuer.is_none() || config.jwks.is_none() {
            return Err("--issuer and one of --jwks-file / --jwks-url are required (or --dev-no-auth on loopback)".into());
        }
        Ok(config)
    }
}

use server_kit::flags::{positive, seconds};

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn dev_no_auth_only_on_loopback() {
        assert!(parse(&["--upstream", "http://x", "--dev-no-auth"]).is_ok());
        let e = parse(&[
            "--upstream",
            "http://x",
            "--dev-no-auth",
            "--listen",
            "0.0.0.0:8090",
        ])
        .unwrap_err();
        assert!(e.contains("loopback"), "{e}");
    }

    #[test]
    fn upstream_and_http_limits_have_defaults_and_flags() {
        let c = parse(&["--upstream", "http://x", "--dev-no-auth"]).unwrap();
        assert_eq!(c.upstream_timeout, DEFAULT_UPSTREAM_TIMEOUT);
        assert!(c.upstream_timeout <= Duration::from_secs(30));
        assert_eq!(c.http, HttpLimits::default());
        let c = parse(&[
            "--upstream",
            "http://x",
            "--dev-no-auth",
            "--upstream-timeout",
            "0.5",
            "--max-concurrent-streams",
            "8",
            "--grace-period",
            "3",
        ])
        .unwrap();
        assert_eq!(c.upstream_timeout, Duration::from_millis(500));
        assert_eq!(c.http.max_concurrent_streams, 8);
        assert_eq!(c.http.grace_period, Duration::from_secs(3));
        let e = parse(&[
            "--upstream",
            "u",
            "--dev-no-auth",
            "--upstream-timeout",
            "-1",
        ])
        .unwrap_err();
        assert!(e.starts_with("--upstream-timeout \"-1\": "), "{e}");
        let e = parse(&["--upstream", "u", "--dev-no-auth", "--dev-tenant", "a b"]).unwrap_err();
        assert!(e.starts_with("--dev-tenant: "), "{e}");
        let c = Config::parse_with_env(
            ["--upstream", "u", "--dev-no-auth"].map(String::from),
            Some("0123456789abcdef".into()),
        )
        .unwrap();
        assert!(c.upstream_key.is_some());
    }

    #[test]
    fn auth_needs_issuer_and_jwks() {
        assert!(parse(&["--upstream", "http://x"]).is_err());
        let c = parse(&[
            "--upstream",
            "http://x",
            "--issuer",
            "https://idp",
            "--jwks-file",
            "k.json",
        ])
        .unwrap();
        assert_eq!(c.audience, DEFAULT_AUDIENCE);
        assert_eq!(c.listen.to_string(), "127.0.0.1:8090");
        assert!(
            parse(&[
                "--upstream",
                "u",
                "--issuer",
                "i",
                "--jwks-file",
                "a",
                "--jwks-url",
                "b"
            ])
            .is_err()
        );
    }
}
