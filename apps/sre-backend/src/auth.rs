//! Who may call at all: the optional shared key.
//!
//! With a key configured (`--shared-key-file FILE` or the `SRE_BACKEND_SHARED_KEY`
//! environment variable), every call must carry `authorization: Bearer <key>` in its
//! metadata; any other call is refused with `UNAUTHENTICATED` before anything else
//! of it (its tenant included) is read. The key is compared in constant time. Without
//! a key the backend trusts `x-tenant-id`, so it listens on loopback addresses only
//! unless `--allow-unauthenticated` is given ([`check_listen`]).

use std::net::SocketAddr;
use std::sync::Arc;
use tonic::{Request, Status};

/// Metadata key carrying the key, as `Bearer <key>`.
pub const KEY_HEADER: &str = "authorization";
/// Environment variable holding the key (when `--shared-key-file` is not given).
pub const KEY_ENV: &str = "SRE_BACKEND_SHARED_KEY";
/// The shortest key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 16;

/// The key every caller must present.
#[derive(Clone)]
pub struct SharedKey(Arc<[u8]>);

impl std::fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedKey(..)")
    }
}

impl SharedKey {
    /// A key from its text (surrounding whitespace, e.g. a file's final newline, is
    /// not part of it); refused when shorter than [`MIN_KEY_BYTES`] or not visible
    /// ASCII (it travels in a header).
    pub fn new(text: &str) -> Result<Self, String> {
        let key = text.trim();
        if key.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the shared key has {} bytes; at least {MIN_KEY_BYTES} are needed",
                key.len()
            ));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the shared key must be visible ASCII without spaces".into());
        }
        Ok(Self(key.as_bytes().into()))
    }

    /// Whether `presented` is the key, in time that depends only on the key's length.
    pub fn matches(&self, presented: &[u8]) -> bool {
        let mut diff = u8::from(presented.len() != self.0.len());
        for (i, want) in self.0.iter().enumerate() {
            let got = presented.get(i).copied().unwrap_or(0);
            diff |= std::hint::black_box(got ^ want);
        }
        diff == 0
    }
}

/// Refuses `request` with `UNAUTHENTICATED` unless it carries `key` (when there is
/// one). Reads nothing else of the request.
pub fn check<T>(key: Option<&SharedKey>, request: &Request<T>) -> Result<(), Status> {
    let Some(key) = key else { return Ok(()) };
    let presented = request
        .metadata()
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim());
    match presented {
        None => Err(Status::unauthenticated(format!(
            "metadata {KEY_HEADER}: missing `Bearer <shared key>`"
        ))),
        Some(presented) if key.matches(presented.as_bytes()) => Ok(()),
        Some(_) => Err(Status::unauthenticated(format!(
            "metadata {KEY_HEADER}: not the shared key"
        ))),
    }
}

/// Refuses to listen on `addr` when it is not a loopback address, no key is
/// configured and `allow_unauthenticated` is not set: any caller could act for any
/// tenant.
pub fn check_listen(
    addr: SocketAddr,
    key: Option<&SharedKey>,
    allow_unauthenticated: bool,
) -> Result<(), String> {
    if key.is_some() || allow_unauthenticated || addr.ip().is_loopback() {
        return Ok(());
    }
    Err(format!(
        "--grpc {addr}: refusing to listen on a non-loopback address without a shared key: \
         any caller could act for any tenant. Pass --shared-key-file (or set {KEY_ENV}), \
         listen on loopback, or pass --allow-unauthenticated"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_exactly() {
        let key = SharedKey::new("0123456789abcdef\n").unwrap();
        assert!(key.matches(b"0123456789abcdef"));
        assert!(!key.matches(b"0123456789abcdeF"));
        assert!(!key.matches(b"0123456789abcdef0"));
        assert!(!key.matches(b"0123456789abcde"));
        assert!(!key.matches(b""));
        assert!(SharedKey::new("short").is_err());
        assert!(SharedKey::new("0123456789 abcdef").is_err());
    }

    #[test]
    fn calls_without_the_key_are_unauthenticated() {
        let key = SharedKey::new("0123456789abcdef").unwrap();
        let mut request = Request::new(());
        assert_eq!(
            check(Some(&key), &request).unwrap_err().code(),
            tonic::Code::Unauthenticated
        );
        assert!(check(None, &request).is_ok());
        let bearer = |v: &str| v.parse().unwrap();
        request
            .metadata_mut()
            .insert(KEY_HEADER, bearer("Bearer 0123456789abcdeX"));
        assert!(check(Some(&key), &request).is_err());
        request
            .metadata_mut()
            .insert(KEY_HEADER, bearer("Bearer 0123456789abcdef"));
        assert!(check(Some(&key), &request).is_ok());
    }

    #[test]
    fn only_loopback_without_a_key() {
        let any: SocketAddr = "0.0.0.0:1".parse().unwrap();
        let lo: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let key = SharedKey::new("0123456789abcdef").unwrap();
        assert!(check_listen(lo, None, false).is_ok());
        assert!(
            check_listen(any, None, false)
                .unwrap_err()
                .contains("--allow-unauthenticated")
        );
        assert!(check_listen(any, None, true).is_ok());
        assert!(check_listen(any, Some(&key), false).is_ok());
    }
}
