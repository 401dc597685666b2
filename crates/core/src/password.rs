//! Passwords: a length policy at the edge, and argon2id hashes at rest. Hashing is slow and
//! memory-hungry on purpose, so request paths hash off the async worker threads
//! ([`verify_off_thread`], [`NewPassword::parse_off_thread`]), a few at a time: a burst of sign-ins
//! neither stalls other requests nor takes the machine's memory.

use std::sync::{LazyLock, OnceLock};

use tokio::sync::Semaphore;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::{Error, Secret};

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest password accepted (bounds hashing work).
pub const MAX_LEN: usize = 128;

/// A password that meets the policy; never printed.
#[derive(Debug, Clone)]
pub struct Password(Secret);

impl Password {
    /// Checks the policy.
    ///
    /// # Errors
    /// [`Error::Validation`] when shorter than [`MIN_LEN`] or longer than [`MAX_LEN`] characters,
    /// or holding a control character (a tab, a line break…: no keyboard types one into a
    /// password field, so it is a pasting accident the person could never type again).
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let n = raw.chars().count();
        if !(MIN_LEN..=MAX_LEN).contains(&n) {
            return Err(Error::Validation(format!(
                "a password must have {MIN_LEN} to {MAX_LEN} characters"
            )));
        }
        if raw.chars().any(char::is_control) {
            return Err(Error::Validation(
                "a password cannot contain control characters such as tabs or line breaks".into(),
            ));
        }
        Ok(Self(Secret::new(raw)))
    }

    /// The password itself; only to hash or compare it.
    #[must_use]
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// Hashes with argon2id and a random salt, as a PHC string.
    ///
    /// # Errors
    /// [`Error::Internal`] if hashing fails.
    pub fn hash(&self) -> Result<String, Error> {
        Argon2::default()
            .hash_password(self.0.expose().as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    }
}

/// A new password, checked against the policy and already hashed: what a new account stores.
/// Hashing is slow on purpose, so it is made before a write transaction begins, never while one
/// holds the database's write lock.
#[derive(Debug, Clone)]
pub struct NewPassword {
    password: Password,
    phc: String,
}

impl NewPassword {
    /// Checks the policy (as [`Password::parse`]) and hashes.
    ///
    /// # Errors
    /// [`Error::Validation`] when the password breaks the policy; [`Error::Internal`] if hashing
    /// fails.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        Self::hash(Password::parse(raw)?)
    }

    /// Hashes `password` (argon2id, random salt).
    ///
    /// # Errors
    /// [`Error::Internal`] if hashing fails.
    pub fn hash(password: Password) -> Result<Self, Error> {
        let phc = password.hash()?;
        Ok(Self { password, phc })
    }

    /// The password itself (to check it against an existing account's).
    #[must_use]
    pub fn password(&self) -> &Password {
        &self.password
    }

    /// Its hash, as a PHC string.
    #[must_use]
    pub fn phc(&self) -> &str {
        &self.phc
    }
}

/// Whether `candidate` matches the stored PHC hash. A malformed hash never matches.
#[must_use]
pub fn verify(candidate: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// How many hashes run at once (each takes argon2's 19 MiB and a core for tens of milliseconds);
/// the rest wait their turn.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    Semaphore::new(cores.max(1) * 2)
});

/// Runs `work` (hashing) on the blocking thread pool, at most a few at a time.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    let _turn = HASHING
        .acquire()
        .await
        .map_err(|_| Error::Internal("the password hashing queue was closed".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("password hashing task failed: {e}")))
}

/// [`verify`] on the blocking thread pool, for request paths. Whether `candidate` matches.
///
/// # Errors
/// [`Error::Internal`] when the hashing task cannot run.
pub async fn verify_off_thread(candidate: &str, phc: &str) -> Result<bool, Error> {
    let (candidate, phc) = (Secret::new(candidate), phc.to_owned());
    off_thread(move || verify(candidate.expose(), &phc)).await
}

/// [`verify_decoy`] on the blocking thread pool.
pub async fn verify_decoy_off_thread(candidate: &str) {
    let candidate = Secret::new(candidate);
    let _ = off_thread(move || verify_decoy(candidate.expose())).await;
}

impl NewPassword {
    /// [`NewPassword::parse`] with the hashing on the blocking thread pool, for request paths: the
    /// policy is checked first, so a password that breaks it costs no hashing.
    ///
    /// # Errors
    /// As [`NewPassword::parse`].
    pub async fn parse_off_thread(raw: &str) -> Result<Self, Error> {
        let password = Password::parse(raw)?;
        off_thread(move || Self::hash(password)).await?
    }
}

/// Checks `candidate` against a hash of a random password, computed once per process: used when an
/// email is unknown, so that a wrong email takes as long as a wrong password.
pub fn verify_decoy(candidate: &str) {
    static DECOY: OnceLock<String> = OnceLock::new();
    let phc = DECOY.get_or_init(|| {
        Password(Secret::new(crate::new_id().to_string()))
            .hash()
            .unwrap_or_default()
    });
    let _ = verify(candidate, phc);
}

#[cfg(test)]
mod tests {
    use super::{NewPassword, Password, verify};

    #[test]
    fn round_trip() -> Result<(), crate::Error> {
        let h = Password::parse("correct horse battery")?.hash()?;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterx", &h));
        assert!(!verify("anything", "not a hash"));
        Ok(())
    }

    #[test]
    fn a_new_password_carries_its_hash() -> Result<(), crate::Error> {
        let new = NewPassword::parse("correct horse battery")?;
        assert!(verify(new.password().expose(), new.phc()));
        assert!(!verify("correct horse batterx", new.phc()));
        Ok(())
    }

    #[test]
    fn policy() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse("long enough!").is_ok());
        assert!(Password::parse("long enough with spaces and ünïcode").is_ok());
        assert!(Password::parse("long enough\tbut a tab").is_err());
        assert!(Password::parse("long enough\nbut a new line").is_err());
        assert!(Password::parse("long enough\u{7f}but a delete").is_err());
    }
}
