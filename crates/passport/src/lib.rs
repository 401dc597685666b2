//! Staff passports: a trust signs a worker's verified checks and training as a W3C Verifiable
//! Credential (a compact JWS with EdDSA/Ed25519); the worker shares it with another trust of the
//! collaborative bank; that trust verifies it — online, or offline against the bank's trust
//! registry — and accepts it item by item under the bank's passporting agreement, so checks done
//! once are not redone. The issuer can suspend or revoke it through a Bitstring Status List, and
//! every cross-organisation look at it is written to the worker's access log.
//!
//! One file per idea: [`kek`] and [`keys`] (trust signing keys, sealed at rest), [`jwk`] and
//! [`jws`] (the JOSE layer), [`vc`] (the credential), [`status_list`], [`registry`], [`verify`],
//! [`issue`], [`share`] (consent), [`passports`] (who may see one), [`agreement`], [`accept`],
//! [`revoke`] and [`mail`] (who is told), [`audit`], and [`offline`] (the command-line verifier).

pub mod accept;
pub mod agreement;
pub mod audit;
pub mod entity;
pub mod error;
pub mod issue;
pub mod jwk;
pub mod jws;
pub mod kek;
pub mod keys;
pub mod mail;
pub mod offline;
pub mod passports;
pub mod registry;
pub mod revoke;
pub mod share;
pub mod status_list;
pub mod vc;
pub mod verify;

pub use error::Error;
pub use kek::Kek;

/// What passport functions need from the service's configuration.
#[derive(Debug, Clone)]
pub struct Env {
    /// Opens the trusts' private keys.
    pub kek: Kek,
    /// The gateway's public base URL, without a trailing slash; issuer ids start with it.
    pub public_url: String,
}

impl Env {
    /// The issuer id of a trust.
    #[must_use]
    pub fn issuer(&self, trust_id: uuid::Uuid) -> String {
        registry::issuer_id(&self.public_url, trust_id)
    }
}
