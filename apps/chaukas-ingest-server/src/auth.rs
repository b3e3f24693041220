//! Who is calling: the optional API key and the caller's tenant.
//!
//! - With `--api-key KEY`, every Chaukas call (HTTP `/v1/*`, both gRPC Chaukas
//!   services) needs `Authorization: Bearer KEY` (HTTP header or gRPC metadata), else
//!   401 / `UNAUTHENTICATED`. `GET /healthz`, `grpc.health.v1.Health` and reflection
//!   stay open for probes and tooling.
//! - The caller's tenant is the `x-chaukas-tenant` header / metadata (`x-tenant-id`
//!   is accepted as an alias). When present it scopes the caller: ingested events of
//!   another tenant are rejected, and queries and stats may only name that tenant
//!   (an empty `tenant_id` means "mine"). With auth on, queries and stats without a
//!   caller tenant are refused (403 / `PERMISSION_DENIED`). Ingest needs no tenant
//!   header, because the published SDK sends none: its events carry `tenant_id`.
//!
//! - With `--api-keys FILE`, each key belongs to one tenant: the caller's tenant is
//!   the key's, a tenant header naming another is refused (403 /
//!   `PERMISSION_DENIED`), so a key reads and writes only its own tenant. A shared
//!   `--api-key` may be given too; its holder's tenant header is trusted as above.

/// The metadata/header naming the caller's tenant.
pub const TENANT_HEADER: &str = "x-chaukas-tenant";
/// Accepted alias of [`TENANT_HEADER`].
pub const TENANT_HEADER_ALIAS: &str = "x-tenant-id";

/// A refused call.
#[derive(Debug, PartialEq, Eq)]
pub enum Denied {
    /// No or wrong credentials (HTTP 401, gRPC `UNAUTHENTICATED`).
    Unauthenticated(String),
    /// Authenticated, but not allowed to do this (HTTP 403, gRPC `PERMISSION_DENIED`).
    PermissionDenied(String),
}

/// The authenticated caller, attached to each request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    /// The tenant the caller acts for, when it said.
    pub tenant: Option<String>,
}

/// The server's authentication settings.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    api_key: Option<String>,
    /// Per-tenant keys: key → tenant.
    api_keys: std::collections::BTreeMap<String, String>,
}

impl Auth {
    /// Auth on when `api_key` is `Some` or `api_keys` is not empty.
    pub fn new(
        api_key: Option<String>,
        api_keys: std::collections::BTreeMap<String, String>,
    ) -> Self {
        Self { api_key, api_keys }
    }

    /// Whether calls need a key.
    pub fn enabled(&self) -> bool {
        self.api_key.is_some() || !self.api_keys.is_empty()
    }

    /// Checks the `authorization` value and reads the tenant header values.
    pub fn caller(
        &self,
        authorization: Option<&str>,
        tenant: Option<&str>,
        tenant_alias: Option<&str>,
    ) -> Result<Caller, Denied> {
        let tenant = tenant
            .or(tenant_alias)
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if self.enabled() {
            let token = authorization
                .and_then(|v| v.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token.trim())
                .ok_or_else(|| {
                    Denied::Unauthenticated("missing `authorization: Bearer <api key>`".into())
                })?;
            // Every key is compared, so timing does not say which one matched.
            let mut own = None;
            for (key, key_tenant) in &self.api_keys {
                if constant_time_eq(token.as_bytes(), key.as_bytes()) {
                    own = Some(key_tenant);
                }
            }
            if let Some(own) = own {
                if let Some(other) = tenant.filter(|t| t != own) {
                    return Err(Denied::PermissionDenied(format!(
                        "this key belongs to tenant {own:?} and may not act for tenant {}",
                        server_kit::echo(other)
                    )));
                }
                return Ok(Caller {
                    tenant: Some(own.clone()),
                });
            }
            let shared = self
                .api_key
                .as_ref()
                .is_some_and(|key| constant_time_eq(token.as_bytes(), key.as_bytes()));
            if !shared {
                return Err(Denied::Unauthenticated("invalid api key".into()));
            }
        }
        Ok(Caller {
            tenant: tenant.map(str::to_owned),
        })
    }

    /// The tenant a query or stats call may read: `requested`, checked against the
    /// caller's tenant (which fills it in when empty).
    pub fn read_scope(&self, caller: &Caller, requested: &str) -> Result<String, Denied> {
        match (&caller.tenant, requested) {
            (Some(own), "") => Ok(own.clone()),
            (Some(own), other) if own == other => Ok(own.clone()),
            (Some(own), other) => Err(Denied::PermissionDenied(format!(
                "tenant {own:?} may not read tenant {}",
                server_kit::echo(other)
            ))),
            (None, _) if self.enabled() => Err(Denied::PermissionDenied(format!(
                "reading events needs the caller's tenant in `{TENANT_HEADER}` when auth is on"
            ))),
            (None, requested) => Ok(requested.to_owned()),
        }
    }

    /// Whether the caller may ingest an event of `tenant_id`.
    pub fn may_write(&self, caller: &Caller, tenant_id: &str) -> bool {
        caller.tenant.as_deref().is_none_or(|own| own == tenant_id)
    }
}

/// Compares without returning early, so timing does not leak the key's prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
