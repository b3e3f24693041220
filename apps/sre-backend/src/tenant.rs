//! Who is calling: the tenant (and actor) a call carries in its gRPC metadata.
//!
//! Every call must carry `x-tenant-id`, and every request its own `tenant_id` (the
//! contract's rule, checked with the request's other `buf.validate` rules before any
//! lookup: `INVALID_ARGUMENT` with a `google.rpc.BadRequest`); a request whose
//! `tenant_id` names another tenant is refused with `PERMISSION_DENIED`. Nothing of
//! another tenant is ever visible: the store is keyed by tenant, so another tenant's
//! aggregate is simply `NOT_FOUND`.

use crate::limits::echo;
use ameide_sre_proto::core::v1::{Actor, ActorKind};
use common_eventing::validate::Validate;
use tonic::{Request, Status};

/// Metadata key of the caller's tenant.
pub const TENANT_HEADER: &str = "x-tenant-id";
/// The longest tenant id, in characters; a longer `x-tenant-id` is refused.
pub const MAX_TENANT_CHARS: usize = 128;
/// Metadata key of the acting principal's id (e.g. a token's `sub`).
pub const ACTOR_HEADER: &str = "x-actor-id";
/// Metadata key of the acting principal's kind, an `ActorKind` name
/// (`ACTOR_KIND_AGENT`); `ACTOR_KIND_HUMAN` when absent.
pub const ACTOR_KIND_HEADER: &str = "x-actor-kind";
/// The longest `x-actor-id` and `x-correlation-id`, in characters (the facts' rules).
pub const MAX_HEADER_CHARS: usize = 256;
/// Metadata key of the correlation id of the facts a command emits.
pub const CORRELATION_HEADER: &str = "x-correlation-id";

/// The caller of one rpc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The tenant from `x-tenant-id`.
    pub tenant_id: String,
    /// Who acts (from `x-actor-id` / `x-actor-kind`; id `anonymous` when absent).
    pub actor: Actor,
    /// The correlation id from `x-correlation-id`, if any.
    pub correlation_id: Option<String>,
}

fn header<'a, T>(request: &'a Request<T>, key: &str) -> Result<Option<&'a str>, Status> {
    match request.metadata().get(key) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(|v| Some(v.trim()).filter(|v| !v.is_empty()))
            .map_err(|_| Status::invalid_argument(format!("metadata {key}: not ASCII"))),
    }
}

impl Caller {
    /// The caller of `request`: who calls first (`x-tenant-id`), then the request
    /// must keep its contract (its generated `buf.validate` rules, every violation
    /// listed in a `BadRequest`), and its own `tenant_id` must be the metadata's.
    pub fn of<T: Validate>(request: &Request<T>, request_tenant: &str) -> Result<Self, Status> {
        let tenant_id = header(request, TENANT_HEADER)?
            .ok_or_else(|| Status::unauthenticated(format!("metadata {TENANT_HEADER}: no tenant")))?
            .to_string();
        if tenant_id.len() > MAX_TENANT_CHARS || tenant_id.contains(char::is_whitespace) {
            return Err(Status::invalid_argument(format!(
                "metadata {TENANT_HEADER}: {} is not a tenant id (at most {MAX_TENANT_CHARS} \
                 visible ASCII characters)",
                echo(&tenant_id)
            )));
        }
        request
            .get_ref()
            .validate()
            .map_err(|violations| violations.to_status())?;
        if request_tenant != tenant_id {
            return Err(Status::permission_denied(format!(
                "tenant_id: {} is not the caller's tenant {}",
                echo(request_tenant),
                echo(&tenant_id)
            )));
        }
        let kind = match header(request, ACTOR_KIND_HEADER)? {
            None => ActorKind::Human,
            Some(name) => ActorKind::from_str_name(name).ok_or_else(|| {
                Status::invalid_argument(format!(
                    "metadata {ACTOR_KIND_HEADER}: {} is not an ActorKind name",
                    echo(name)
                ))
            })?,
        };
        // They go into the facts' metadata, whose rules bound them: a longer value
        // is the caller's error, not a fact the backend cannot write.
        let bounded = |key: &str| -> Result<Option<String>, Status> {
            match header(request, key)? {
                Some(value) if value.chars().count() > MAX_HEADER_CHARS => {
                    Err(Status::invalid_argument(format!(
                        "metadata {key}: {} is longer than {MAX_HEADER_CHARS} characters",
                        echo(value)
                    )))
                }
                other => Ok(other.map(str::to_owned)),
            }
        };
        Ok(Self {
            tenant_id,
            actor: Actor {
                kind: kind as i32,
                id: bounded(ACTOR_HEADER)?.unwrap_or_else(|| "anonymous".into()),
            },
            correlation_id: bounded(CORRELATION_HEADER)?,
        })
    }
}
