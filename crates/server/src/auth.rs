//! API keys and roles: who may call which endpoint.
//!
//! A key is 32 random bytes from the operating system, written `idk_` + 64 hex digits. The
//! store keeps only its SHA-256 and a short prefix ([`interdict_store::ApiKey`]); the key itself
//! is shown once, when `interdict keys create` makes it. A request presents its key as
//! `Authorization: ApiKey <key>` (the form OpenSanctions' clients send), `Authorization: Bearer
//! <key>`, or `X-API-Key: <key>`. The server hashes the presented key and compares the hash
//! with every valid key's hash in constant time, so neither the comparison nor the number of
//! keys tells an attacker how close a guess was.
//!
//! Roles are ordered; each includes the rights of the ones before it:
//! - **screening** (a screening client: a payments gateway, an onboarding system): screening
//!   and lookups — `/match`, `/search`, `/entities`, `/catalog`, `/algorithms`, `/v1/match`,
//!   `/v1/snapshot`;
//! - **analyst**: also the list record — versions, diffs, entity history and provenance;
//! - **approver**: also approvals (designations and decisions, as they arrive);
//! - **admin**: also operations — reindex, sync, import through the API.
//!
//! Health, readiness, metrics, the OpenAPI document and the API explorer need no key.
//!
//! Open mode (`interdict serve --open`) accepts every request as admin, with or without a key.
//! It exists for a local demonstration only, and the server says so loudly when it starts.

use std::str::FromStr;
use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::http::{HeaderMap, Method, header};
use interdict_store::{Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::ApiError;

/// What a key may do; each role includes the rights of the roles before it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A screening client: screening and lookups.
    Screening,
    /// An analyst: also list versions, diffs, history and provenance.
    Analyst,
    /// An approver: also approvals (four eyes).
    Approver,
    /// An administrator: also reindex, sync and import.
    Admin,
}

impl Role {
    /// Every role, least to most privileged.
    pub const ALL: [Role; 4] = [Role::Screening, Role::Analyst, Role::Approver, Role::Admin];

    /// The role's name as stored and as `--role` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Screening => "screening",
            Role::Analyst => "analyst",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "screening" | "screening-client" | "client" => Ok(Role::Screening),
            "analyst" => Ok(Role::Analyst),
            "approver" => Ok(Role::Approver),
            "admin" | "administrator" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role {other:?}; expected screening, analyst, approver or admin"
            )),
        }
    }
}

/// The role an endpoint requires, by method and route template; `None` for public endpoints.
/// One table, so that the rights of every route can be read in one place.
pub fn required_role(method: &Method, route: &str) -> Option<Role> {
    if route.starts_with("/v1/admin/") {
        return Some(Role::Admin);
    }
    match (method.as_str(), route) {
        (_, "/healthz" | "/readyz" | "/metrics" | "/openapi.json" | "/") => None,
        (_, r) if r.starts_with("/docs") => None,
        (_, "/v1/versions" | "/v1/versions/{id}" | "/v1/versions/{old}/diff/{new}") => {
            Some(Role::Analyst)
        }
        (_, "/v1/entities/{entity_id}" | "/v1/entities/{entity_id}/history") => Some(Role::Analyst),
        // Screening, lookups, and anything unknown (which then answers 404 to a valid key).
        _ => Some(Role::Screening),
    }
}

/// A newly made key: the key to show once, and what the store keeps.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// The key itself, `idk_` + 64 hex digits.
    pub key: String,
    /// Its first 12 characters, to recognise it.
    pub prefix: String,
    /// Hex SHA-256 of the key.
    pub sha256: String,
}

/// Why a key could not be made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The operating system gave no randomness.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Make a key from 32 random bytes.
pub fn generate_key() -> Result<NewKey, KeyError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = format!("idk_{}", hex::encode(bytes));
    let prefix = key.chars().take(12).collect();
    let sha256 = hex::encode(Sha256::digest(key.as_bytes()));
    Ok(NewKey {
        key,
        prefix,
        sha256,
    })
}

/// Make a key and record it in the store; returns the stored record and the key to show once.
pub async fn create_key(
    store: &Store,
    name: &str,
    role: Role,
) -> Result<(interdict_store::ApiKey, String), KeyError> {
    let new = generate_key()?;
    let record = store
        .create_api_key(name, role.as_str(), &new.prefix, &new.sha256)
        .await?;
    Ok((record, new.key))
}

/// Who is calling: the key's id, prefix and role (or the open mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The store's id of the key; `None` in open mode.
    pub key_id: Option<i64>,
    /// The key's prefix, for logs; `open` in open mode.
    pub prefix: String,
    /// What the caller may do.
    pub role: Role,
}

/// A valid key as the server holds it in memory.
#[derive(Debug, Clone)]
struct ActiveKey {
    id: i64,
    prefix: String,
    role: Role,
    hash: [u8; 32],
}

/// How the server checks callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Every request except the public endpoints needs a valid key of a sufficient role.
    Keys,
    /// Every request is admin: for a local demonstration only.
    Open,
}

/// The valid keys, reloaded from the store periodically (so a revocation takes effect within
/// the reload interval) and swapped atomically.
#[derive(Debug)]
pub struct KeyRing {
    mode: AuthMode,
    keys: ArcSwap<Vec<ActiveKey>>,
}

impl KeyRing {
    /// An empty key ring in the given mode; [`KeyRing::reload`] fills it.
    pub fn new(mode: AuthMode) -> KeyRing {
        KeyRing {
            mode,
            keys: ArcSwap::from_pointee(Vec::new()),
        }
    }

    /// The mode.
    pub fn mode(&self) -> AuthMode {
        self.mode
    }

    /// Read the valid keys from the store; returns how many there are. Keys whose stored role
    /// is unknown are skipped with a warning rather than given any right.
    pub async fn reload(&self, store: &Store) -> Result<usize, StoreError> {
        let mut active = Vec::new();
        for k in store.api_keys().await? {
            if !k.is_active() {
                continue;
            }
            let Ok(role) = k.role.parse::<Role>() else {
                tracing::warn!(key_id = k.id, role = %k.role, "API key with an unknown role ignored");
                continue;
            };
            let mut hash = [0u8; 32];
            if hex::decode_to_slice(&k.key_sha256, &mut hash).is_err() {
                tracing::warn!(key_id = k.id, "API key with a malformed hash ignored");
                continue;
            }
            active.push(ActiveKey {
                id: k.id,
                prefix: k.prefix,
                role,
                hash,
            });
        }
        let n = active.len();
        self.keys.store(Arc::new(active));
        Ok(n)
    }

    /// How many valid keys are loaded.
    pub fn len(&self) -> usize {
        self.keys.load().len()
    }

    /// Whether no valid key is loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Identify the caller of a request from its headers.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, ApiError> {
        if self.mode == AuthMode::Open {
            return Ok(Principal {
                key_id: None,
                prefix: "open".into(),
                role: Role::Admin,
            });
        }
        let Some(presented) = presented_key(headers)? else {
            return Err(ApiError::unauthorized(
                "missing API key: send `Authorization: ApiKey <key>`, `Authorization: Bearer \
                 <key>` or `X-API-Key: <key>`",
            ));
        };
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let keys = self.keys.load();
        // Compare with every key, without stopping at the first hit.
        let mut found: Option<&ActiveKey> = None;
        for k in keys.iter() {
            if constant_time_eq(&k.hash, &digest) {
                found = Some(k);
            }
        }
        match found {
            Some(k) => Ok(Principal {
                key_id: Some(k.id),
                prefix: k.prefix.clone(),
                role: k.role,
            }),
            None => Err(ApiError::unauthorized("invalid or revoked API key")),
        }
    }
}

/// The key a request presents, from `Authorization` (`ApiKey` or `Bearer` scheme) or
/// `X-API-Key`. An `Authorization` header of another scheme is an error, not ignored.
fn presented_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("the Authorization header is not ASCII"))?;
        let (scheme, key) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
        if !(scheme.eq_ignore_ascii_case("apikey") || scheme.eq_ignore_ascii_case("bearer")) {
            return Err(ApiError::unauthorized(format!(
                "unsupported Authorization scheme {scheme:?}: use `ApiKey <key>` or `Bearer <key>`"
            )));
        }
        let key = key.trim();
        if key.is_empty() {
            return Err(ApiError::unauthorized(
                "the Authorization header holds no key",
            ));
        }
        return Ok(Some(key.to_string()));
    }
    if let Some(value) = headers.get("x-api-key") {
        let key = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("the X-API-Key header is not ASCII"))?
            .trim();
        if !key.is_empty() {
            return Ok(Some(key.to_string()));
        }
    }
    Ok(None)
}

/// Equality of two digests in time independent of where they differ.
fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn keys_are_random_and_hashed() {
        let a = generate_key().unwrap();
        let b = generate_key().unwrap();
        assert_ne!(a.key, b.key);
        assert!(a.key.starts_with("idk_") && a.key.len() == 68);
        assert_eq!(a.prefix, &a.key[..12]);
        assert_eq!(a.sha256, hex::encode(Sha256::digest(a.key.as_bytes())));
    }

    #[test]
    fn roles_order_and_routes() {
        assert!(Role::Admin > Role::Approver && Role::Approver > Role::Analyst);
        assert_eq!("Screening-Client".parse::<Role>(), Ok(Role::Screening));
        assert!("root".parse::<Role>().is_err());
        assert_eq!(required_role(&Method::GET, "/healthz"), None);
        assert_eq!(
            required_role(&Method::POST, "/match/{dataset}"),
            Some(Role::Screening)
        );
        assert_eq!(
            required_role(&Method::GET, "/v1/versions"),
            Some(Role::Analyst)
        );
        assert_eq!(
            required_role(&Method::POST, "/v1/admin/reindex"),
            Some(Role::Admin)
        );
    }

    #[test]
    fn header_forms() {
        let mut h = HeaderMap::new();
        assert_eq!(presented_key(&h).unwrap(), None);
        h.insert("x-api-key", HeaderValue::from_static("k1"));
        assert_eq!(presented_key(&h).unwrap().as_deref(), Some("k1"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("ApiKey k2"));
        assert_eq!(presented_key(&h).unwrap().as_deref(), Some("k2"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer k3"));
        assert_eq!(presented_key(&h).unwrap().as_deref(), Some("k3"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert!(presented_key(&h).is_err());
        let ring = KeyRing::new(AuthMode::Open);
        assert_eq!(
            ring.authenticate(&HeaderMap::new()).unwrap().role,
            Role::Admin
        );
        let ring = KeyRing::new(AuthMode::Keys);
        assert_eq!(
            ring.authenticate(&HeaderMap::new())
                .unwrap_err()
                .status
                .as_u16(),
            401
        );
    }
}
