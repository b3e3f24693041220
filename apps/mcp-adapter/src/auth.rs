//! Bearer tokens: JWTs signed with RS256 or ES256, checked against a JWKS (a file, or
//! a URL fetched at start): signature, `iss`, `aud` (must contain the configured
//! audience), `exp` and `nbf`. The caller is the `tenantId`, `sub` and scope claims.

use crate::dispatch::Caller;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: u64 = 30;

/// The signature algorithms accepted.
pub const ALGORITHMS: &[Algorithm] = &[Algorithm::RS256, Algorithm::ES256];

/// The longest tenant id (the `tenantId` claim), in characters.
pub const MAX_TENANT_CHARS: usize = 128;

/// Why `tenant` is not a tenant id: one to [`MAX_TENANT_CHARS`] characters of
/// `A-Z a-z 0-9 - _ . : @` (it travels to the backend in a header and names the
/// tenant's data, so nothing else is accepted).
pub fn check_tenant(tenant: &str) -> Result<(), String> {
    if tenant.is_empty() {
        return Err("is empty".into());
    }
    if tenant.len() > MAX_TENANT_CHARS {
        return Err(format!(
            "has {} bytes, more than the {MAX_TENANT_CHARS} a tenant id may have",
            tenant.len()
        ));
    }
    match tenant
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.:@".contains(*c)))
    {
        Some(c) => Err(format!(
            "'{}' is not allowed in a tenant id (A-Z a-z 0-9 - _ . : @)",
            c.escape_default()
        )),
        None => Ok(()),
    }
}

/// Checks tokens for one issuer and audience.
pub struct Verifier {
    keys: Vec<(Jwk, DecodingKey)>,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("keys", &self.keys.len())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

/// The claims the adapter reads.
#[derive(Debug, Deserialize)]
struct Claims {
    #[serde(default)]
    sub: String,
    #[serde(rename = "tenantId")]
    tenant_id: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    scp: Option<Vec<String>>,
}

impl Verifier {
    /// A verifier of `jwks` (a JWK Set document) for `issuer` and `audience`. Keys of
    /// other types or algorithms are skipped; a set with no usable key is refused.
    pub fn new(jwks: &str, issuer: &str, audience: &str) -> Result<Self, String> {
        let set: JwkSet = serde_json::from_str(jwks).map_err(|e| format!("JWKS: {e}"))?;
        let keys: Vec<(Jwk, DecodingKey)> = set
            .keys
            .into_iter()
            .filter_map(|jwk| {
                let key = DecodingKey::from_jwk(&jwk).ok()?;
                Some((jwk, key))
            })
            .collect();
        if keys.is_empty() {
            return Err("JWKS: no RSA or EC P-256 key".into());
        }
        Ok(Self {
            keys,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
        })
    }

    /// The caller a token stands for, or why it is refused (the `error_description`
    /// of the 401).
    pub fn verify(&self, token: &str) -> Result<Caller, String> {
        let header = decode_header(token).map_err(|e| format!("malformed token: {e}"))?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(format!("algorithm {:?} is not accepted", header.alg));
        }
        let candidates = self.keys.iter().filter(|(jwk, _)| {
            let kid_ok = match (&header.kid, &jwk.common.key_id) {
                (Some(want), Some(have)) => want == have,
                _ => true,
            };
            let alg_ok = jwk
                .common
                .key_algorithm
                .is_none_or(|a| format!("{a:?}") == format!("{:?}", header.alg));
            kid_ok && alg_ok
        });
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        let mut last = "no key of the JWKS matches the token's kid and alg".to_string();
        for (_, key) in candidates {
            match decode::<Claims>(token, key, &validation) {
                Ok(data) => return caller(data.claims),
                Err(e) => last = e.to_string(),
            }
        }
        Err(last)
    }
}

fn caller(claims: Claims) -> Result<Caller, String> {
    let tenant_id = claims
        .tenant_id
        .filter(|t| !t.is_empty())
        .ok_or("the token has no tenantId claim")?;
    check_tenant(&tenant_id).map_err(|e| format!("the token's tenantId claim {e}"))?;
    let mut scopes: Vec<String> = claims
        .scope
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    scopes.extend(claims.scp.unwrap_or_default());
    Ok(Caller {
        tenant_id,
        subject: claims.sub,
        scopes,
    })
}

/// Fetches a JWKS document from an `http://` URL (at start; put a TLS-terminating
/// proxy or a file in front of an `https://` issuer).
pub async fn fetch_jwks(url: &str) -> Result<String, String> {
    use http_body_util::BodyExt;
    let uri: http::Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "{url}: only http:// URLs are fetched; save the JWKS and use --jwks-file"
        ));
    }
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<bytes_body::Bytes>>();
    let response = client.get(uri).await.map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("{url}: {e}"))?
        .to_bytes();
    String::from_utf8(body.to_vec()).map_err(|e| format!("{url}: {e}"))
}

mod bytes_body {
    pub use axum::body::Bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_are_short_and_plain() {
        for good in ["acme", "globex-2", "org_1.eu:prod", "a@b"] {
            assert_eq!(check_tenant(good), Ok(()), "{good}");
        }
        for bad in ["", " acme", "ac me", "acmé", "ac\"me", "a\u{7f}"] {
            let e = check_tenant(bad).unwrap_err();
            assert!(e.is_ascii(), "{e}");
        }
        let long = "a".repeat(MAX_TENANT_CHARS + 1);
        assert!(check_tenant(&long).unwrap_err().contains("128"));
        assert!(check_tenant(&long[1..]).is_ok());
    }
}
