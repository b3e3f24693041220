//! How the adapter calls the SRE backend: the deadline of every call and the shared
//! key the backend may require (`authorization: Bearer <key>` in each call's
//! metadata). The handler runs each tool call inside [`Upstream::scope`], and
//! [`crate::dispatch::grpc_request`] (what the generated dispatch calls) applies them
//! to the gRPC request.

use std::time::Duration;
use tonic::metadata::MetadataValue;

/// Default of `--upstream-timeout`: the deadline of every call to the backend.
pub const DEFAULT_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(15);
/// Environment variable holding the backend's shared key (when
/// `--upstream-key-file` is not given).
pub const KEY_ENV: &str = "MCP_ADAPTER_UPSTREAM_KEY";
/// Metadata key the shared key travels in, as `Bearer <key>` (the backend's
/// `sre_backend::auth::KEY_HEADER`).
pub const KEY_HEADER: &str = "authorization";

/// The backend's shared key (never printed).
#[derive(Clone, PartialEq, Eq)]
pub struct UpstreamKey(MetadataValue<tonic::metadata::Ascii>);

impl std::fmt::Debug for UpstreamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpstreamKey(..)")
    }
}

impl UpstreamKey {
    /// The key from its text (surrounding whitespace is not part of it); refused when
    /// empty or not visible ASCII.
    pub fn new(text: &str) -> Result<Self, String> {
        let key = text.trim();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the key must be visible ASCII without spaces, and not empty".into());
        }
        let mut value = MetadataValue::try_from(format!("Bearer {key}"))
            .map_err(|_| "the key is not a valid header value".to_string())?;
        value.set_sensitive(true);
        Ok(Self(value))
    }
}

/// What every call to the backend carries.
#[derive(Clone, Debug)]
pub struct Upstream {
    /// The deadline of each call (also sent as `grpc-timeout`).
    pub deadline: Duration,
    /// The shared key, if the backend requires one.
    pub key: Option<UpstreamKey>,
}

tokio::task_local! {
    static CURRENT: Upstream;
}

impl Upstream {
    /// Runs `call` with these settings applied to every gRPC request it builds.
    pub async fn scope<F: Future>(self, call: F) -> F::Output {
        CURRENT.scope(self, call).await
    }

    /// The deadline of the current scope, if any.
    pub fn current_deadline() -> Option<Duration> {
        CURRENT.try_with(|upstream| upstream.deadline).ok()
    }

    /// The tool error of a call the backend did not answer within `deadline`.
    pub fn deadline_error(deadline: Duration) -> String {
        format!(
            "DEADLINE_EXCEEDED: the SRE backend did not answer within the deadline of \
             {deadline:?} (--upstream-timeout); the call may or may not have been applied"
        )
    }

    /// Puts the deadline and the key of the current scope (if any) on `request`.
    pub fn apply<T>(request: &mut tonic::Request<T>) {
        let _ = CURRENT.try_with(|upstream| {
            request.set_timeout(upstream.deadline);
            if let Some(key) = &upstream.key {
                request.metadata_mut().insert(KEY_HEADER, key.0.clone());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_scope_puts_the_key_and_the_deadline_on_requests() {
        let upstream = Upstream {
            deadline: Duration::from_secs(3),
            key: Some(UpstreamKey::new("0123456789abcdef\n").unwrap()),
        };
        let request = upstream
            .clone()
            .scope(async {
                let mut request = tonic::Request::new(());
                Upstream::apply(&mut request);
                request
            })
            .await;
        assert_eq!(
            request.metadata().get(KEY_HEADER).unwrap(),
            "Bearer 0123456789abcdef"
        );
        assert_eq!(request.metadata().get("grpc-timeout").unwrap(), "3000000u");
        let mut outside = tonic::Request::new(());
        Upstream::apply(&mut outside);
        assert!(outside.metadata().is_empty());
        assert!(UpstreamKey::new(" ").is_err());
        assert!(!format!("{upstream:?}").contains("0123"));
    }
}
