//! The trust registry of a collaborative bank: which trusts are members, their issuer ids, and
//! each of their keys with the time it was valid from and until. Published as JSON at
//! `{public_url}/systems/{system id}/trust-registry.json`; the same file is what the offline
//! verifier (`staffbank passport verify --registry FILE`) takes as its trust anchor.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use staffbank_bank::organisation;
use uuid::Uuid;

use crate::error::Result;
use crate::jwk::Jwk;
use crate::keys::{self, KeyState};

/// The registry document's type.
pub const REGISTRY_TYPE: &str = "StaffBankTrustRegistry";

/// One key of a member trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryKey {
    /// Key id.
    pub kid: String,
    /// The public key.
    pub jwk: Jwk,
    /// Passports issued from this moment may be signed with it.
    pub valid_from: DateTime<Utc>,
    /// Passports issued from this moment may not (a newer key took over); none while active.
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    /// From this moment nothing signed with it verifies.
    #[serde(default)]
    pub retired_at: Option<DateTime<Utc>>,
}

/// One member trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryTrust {
    /// The trust's id.
    pub trust_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its ODS code.
    pub ods_code: String,
    /// Its issuer id: `{public_url}/trusts/{trust id}`.
    pub issuer: String,
    /// Where its current keys are published.
    pub jwks_uri: String,
    /// Every key it has had.
    pub keys: Vec<RegistryKey>,
}

/// A collaborative bank's trust registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registry {
    /// [`REGISTRY_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The collaborative bank.
    pub system_id: Uuid,
    /// Its name.
    pub name: String,
    /// When this copy was made.
    pub generated_at: DateTime<Utc>,
    /// The member trusts.
    pub trusts: Vec<RegistryTrust>,
}

impl Registry {
    /// The member trust with this issuer id.
    #[must_use]
    pub fn trust(&self, issuer: &str) -> Option<&RegistryTrust> {
        self.trusts.iter().find(|t| t.issuer == issuer)
    }
}

impl RegistryTrust {
    /// The key with this id.
    #[must_use]
    pub fn key(&self, kid: &str) -> Option<&RegistryKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }
}

/// The issuer id of a trust.
#[must_use]
pub fn issuer_id(public_url: &str, trust_id: Uuid) -> String {
    format!("{}/trusts/{trust_id}", public_url.trim_end_matches('/'))
}

/// The trust an issuer id of this gateway names, if it is one.
#[must_use]
pub fn trust_of_issuer(public_url: &str, issuer: &str) -> Option<Uuid> {
    issuer
        .strip_prefix(public_url.trim_end_matches('/'))?
        .strip_prefix("/trusts/")?
        .parse()
        .ok()
}

/// The registry of a collaborative bank as it stands at `now` (public: no sign-in needed).
///
/// # Errors
/// Not found; database errors.
pub async fn build(
    conn: &impl ConnectionTrait,
    public_url: &str,
    system_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Registry> {
    let sys = organisation::system(conn, system_id).await?;
    let trusts = organisation::trusts_of(conn, sys.id).await?;
    let ids: Vec<Uuid> = trusts.iter().map(|t| t.id).collect();
    let all_keys = keys::of_trusts(conn, &ids).await?;
    let mut out = Vec::with_capacity(trusts.len());
    for t in trusts {
        let issuer = issuer_id(public_url, t.id);
        let mut ks = Vec::new();
        for k in all_keys.iter().filter(|k| k.trust_id == t.id) {
            ks.push(RegistryKey {
                kid: k.kid.clone(),
                jwk: keys::jwk_of(k)?,
                valid_from: k.created_at,
                valid_until: k.rotated_at,
                retired_at: k
                    .retired_at
                    .filter(|_| KeyState::of(k, now) == KeyState::Retired),
            });
        }
        out.push(RegistryTrust {
            trust_id: t.id,
            name: t.name,
            ods_code: t.ods_code,
            jwks_uri: format!("{issuer}/jwks.json"),
            issuer,
            keys: ks,
        });
    }
    Ok(Registry {
        kind: REGISTRY_TYPE.to_owned(),
        system_id: sys.id,
        name: sys.name,
        generated_at: now,
        trusts: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_ids_round_trip() {
        let id = Uuid::now_v7();
        let iss = issuer_id("https://bank.example/", id);
        assert_eq!(iss, format!("https://bank.example/trusts/{id}"));
        assert_eq!(trust_of_issuer("https://bank.example", &iss), Some(id));
        assert_eq!(trust_of_issuer("https://other.example", &iss), None);
    }
}
