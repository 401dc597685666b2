//! JSON Web Keys for Ed25519 (RFC 8037 `OKP` keys) and key ids as RFC 7638 thumbprints.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A public JWK. Only `OKP`/`Ed25519` keys are usable; anything else is refused when turned into
/// a verifying key (no key confusion: an RSA or symmetric key never verifies a passport).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type; `OKP`.
    pub kty: String,
    /// Curve; `Ed25519`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// Public key, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// Key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Algorithm; `EdDSA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Use; `sig`.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
}

/// A JWK Set, as served at `{issuer}/jwks.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// Why a JWK cannot verify a passport.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyProblem(pub String);

impl Jwk {
    /// The public JWK of an Ed25519 key, with its thumbprint as `kid`.
    #[must_use]
    pub fn ed25519(key: &VerifyingKey) -> Self {
        let x = URL_SAFE_NO_PAD.encode(key.as_bytes());
        Self {
            kty: "OKP".into(),
            crv: Some("Ed25519".into()),
            kid: Some(thumbprint(&x)),
            x: Some(x),
            alg: Some("EdDSA".into()),
            use_: Some("sig".into()),
        }
    }

    /// The Ed25519 verifying key this JWK holds.
    ///
    /// # Errors
    /// [`KeyProblem`] for any other key type or curve, a wrong length, or an invalid point.
    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyProblem> {
        if self.kty != "OKP" || self.crv.as_deref() != Some("Ed25519") {
            return Err(KeyProblem(format!(
                "the key is {} {}, not an Ed25519 (OKP) key",
                self.kty,
                self.crv.as_deref().unwrap_or("-")
            )));
        }
        if self.alg.as_deref().is_some_and(|a| a != "EdDSA") {
            return Err(KeyProblem("the key is not for EdDSA".into()));
        }
        let x = self
            .x
            .as_deref()
            .ok_or_else(|| KeyProblem("the key has no x".into()))?;
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(x)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| KeyProblem("the key's x is not 32 bytes of base64url".into()))?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| KeyProblem("the key's x is not a valid Ed25519 point".into()))
    }
}

/// The RFC 7638 thumbprint of an Ed25519 public key given as base64url `x`.
#[must_use]
pub fn thumbprint(x: &str) -> String {
    // Members in lexicographic order, no whitespace (RFC 7638 section 3.2 and RFC 8037 A.3).
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8037_thumbprint() {
        // RFC 8037 Appendix A.3.
        assert_eq!(
            thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    #[test]
    fn other_key_types_are_refused() {
        let rsa = Jwk {
            kty: "RSA".into(),
            crv: None,
            x: None,
            kid: None,
            alg: None,
            use_: None,
        };
        assert!(rsa.verifying_key().is_err());
    }
}
