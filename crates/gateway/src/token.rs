//! Bearer tokens: HS256 JWTs naming an account and its sign-in session (`sid`), expiring after a
//! configured time. They carry no roles — roles are read from the database on every request, with
//! the session — so removing a role needs no token revocation, and ending the session (signing out)
//! refuses the token at once. Expiry is checked against the service's [`Clock`], so tests can move
//! time.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use staffbank_core::sessions::SignedIn;
use staffbank_core::{Clock, Secret};
use uuid::Uuid;

const ISSUER: &str = "staffbank";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    /// The session; tokens signed before sessions existed have none and are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<Uuid>,
    iss: String,
    iat: i64,
    exp: i64,
}

/// Why a presented token was refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Past its expiry.
    #[error("the bearer token has expired; sign in again")]
    Expired,
    /// Not a token this service signed (malformed, tampered, wrong algorithm).
    #[error("the bearer token is not valid")]
    Invalid,
    /// Signed by this service before sign-in sessions existed: it names no session to check.
    #[error("the bearer token is from an older sign-in; sign in again")]
    NoSession,
}

/// Signs and checks bearer tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// Keys from a secret.
    #[must_use]
    pub fn new(secret: &Secret, ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            ttl,
        }
    }

    /// How long a token lasts (its session expires with it).
    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A token for a session, issued at `issued_at` and expiring at `expires_at` (the session's).
    ///
    /// # Errors
    /// Signing failed (it does not, for HMAC keys).
    pub fn issue(
        &self,
        signed_in: SignedIn,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: signed_in.account_id,
            sid: Some(signed_in.session_id),
            iss: ISSUER.into(),
            iat: issued_at.timestamp(),
            exp: expires_at.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The account and session a token names, if it is genuine and unexpired. Whether the session
    /// is still open is for the database to say ([`staffbank_core::accounts::load_actor`]).
    ///
    /// # Errors
    /// [`TokenError`].
    pub fn verify(&self, clock: &dyn Clock, token: &str) -> Result<SignedIn, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false; // checked below against the service clock
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.set_issuer(&[ISSUER]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?;
        if data.claims.exp <= clock.now().timestamp() {
            return Err(TokenError::Expired);
        }
        let session_id = data.claims.sid.ok_or(TokenError::NoSession)?;
        Ok(SignedIn {
            account_id: data.claims.sub,
            session_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use staffbank_core::ManualClock;

    #[test]
    fn issue_verify_expire_tamper() -> Result<(), Box<dyn std::error::Error>> {
        let clock = ManualClock::new(Utc::now());
        let keys = TokenKeys::new(&Secret::new("x".repeat(40)), Duration::minutes(10));
        let me = SignedIn {
            account_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
        };
        let now = clock.now();
        let token = keys.issue(me, now, now + keys.ttl())?;
        assert_eq!(keys.verify(&clock, &token), Ok(me));
        let other = TokenKeys::new(&Secret::new("y".repeat(40)), Duration::minutes(10));
        assert_eq!(other.verify(&clock, &token), Err(TokenError::Invalid));
        clock.advance(Duration::minutes(11));
        assert_eq!(keys.verify(&clock, &token), Err(TokenError::Expired));
        Ok(())
    }

    #[test]
    fn a_token_without_a_session_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let clock = ManualClock::new(Utc::now());
        let keys = TokenKeys::new(&Secret::new("x".repeat(40)), Duration::minutes(10));
        let old = Claims {
            sub: Uuid::now_v7(),
            sid: None,
            iss: ISSUER.into(),
            iat: clock.now().timestamp(),
            exp: (clock.now() + Duration::minutes(5)).timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &old, &keys.encoding)?;
        assert_eq!(keys.verify(&clock, &token), Err(TokenError::NoSession));
        Ok(())
    }
}
