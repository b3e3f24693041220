//! Command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

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
  --dev-tenant TENANT    the tenant of --dev-no-auth (default dev)";

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
        }
    }
}

impl Config {
    /// Parses the flags (without the program name). `Err("")` asks for the usage.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut config = Config::default();
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
                _ => return Err(format!("unknown flag {flag}")),
            }
        }
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
