//! The key-encryption key (KEK): trusts' private signing keys are stored sealed with it
//! (ChaCha20-Poly1305, a fresh random nonce per key, the key id bound in as associated data), so a
//! copy of the database alone does not let anyone sign passports. The KEK comes from configuration,
//! or for the embedded default is generated once into the data directory.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use staffbank_core::Secret;
use zeroize::Zeroizing;

use crate::error::{Error, Result, validation};

/// Prefix of a sealed value, naming the scheme so it can change later.
const SCHEME: &str = "c20p1305.";

/// A key-encryption key. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct Kek {
    key: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Kek([redacted])")
    }
}

impl Kek {
    /// A KEK from its configured form: 32 bytes in base64 (standard or URL-safe, padded or not).
    ///
    /// # Errors
    /// Validation error when the value is not 32 bytes of base64.
    pub fn from_secret(secret: &Secret) -> Result<Self> {
        let text = secret.expose().trim();
        let bytes = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .or_else(|_| STANDARD.decode(text))
                .map_err(|_| validation("the passport key-encryption key is not base64"))?,
        );
        let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
            validation("the passport key-encryption key must be 32 bytes (44 characters of base64)")
        })?;
        Ok(Self {
            key: Zeroizing::new(key),
        })
    }

    /// A new random KEK and its configured form (to be kept in a private file).
    #[must_use]
    pub fn generate() -> (Self, Secret) {
        let key: [u8; 32] = rand::random();
        let text = URL_SAFE_NO_PAD.encode(key);
        (
            Self {
                key: Zeroizing::new(key),
            },
            Secret::new(text),
        )
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&Key::from(*self.key))
    }

    /// Seals `plaintext`, binding `context` (e.g. the key id) so the sealed value cannot be moved
    /// to another row.
    ///
    /// # Errors
    /// Internal error if encryption fails (it does not for in-memory buffers).
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<String> {
        let nonce: [u8; 12] = rand::random();
        let ct = self
            .cipher()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::KeyMaterial("sealing failed".into()))?;
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(format!("{SCHEME}{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Opens a value sealed by [`Kek::seal`] with the same `context`.
    ///
    /// # Errors
    /// [`Error::KeyMaterial`] when the value is damaged, was sealed for another context, or the KEK
    /// is not the one it was sealed with.
    pub fn open(&self, context: &str, sealed: &str) -> Result<Zeroizing<Vec<u8>>> {
        let body = sealed
            .strip_prefix(SCHEME)
            .ok_or_else(|| Error::KeyMaterial("unknown sealing scheme".into()))?;
        let raw = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| Error::KeyMaterial("sealed value is not base64url".into()))?;
        if raw.len() < 12 + 16 {
            return Err(Error::KeyMaterial("sealed value is too short".into()));
        }
        let (nonce, ct) = raw.split_at(12);
        let nonce: [u8; 12] = nonce
            .try_into()
            .map_err(|_| Error::KeyMaterial("sealed value is too short".into()))?;
        self.cipher()
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| {
                Error::KeyMaterial(
                    "cannot open a trust's private key: the key-encryption key is not the one it \
                     was sealed with, or the row is damaged"
                        .into(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_opens_and_binds_context() -> Result<()> {
        let (kek, secret) = Kek::generate();
        assert_eq!(format!("{kek:?}"), "Kek([redacted])");
        let again = Kek::from_secret(&secret)?;
        let sealed = kek.seal("kid-1", b"private")?;
        assert_eq!(again.open("kid-1", &sealed)?.as_slice(), b"private");
        assert!(kek.open("kid-2", &sealed).is_err(), "context is bound");
        let (other, _) = Kek::generate();
        assert!(other.open("kid-1", &sealed).is_err(), "wrong KEK refused");
        assert!(Kek::from_secret(&Secret::new("c2hvcnQ")).is_err());
        Ok(())
    }
}
