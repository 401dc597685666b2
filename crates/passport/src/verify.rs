//! Verifying a passport: the same checks online (keys and status from the database) and offline
//! (keys from a registry file, status from status list files when given). A passport that fails is
//! not an error: the answer lists each failure with a specific reason.
//!
//! The order: the token's structure and header policy ([`crate::jws`]); the issuer must be a
//! member trust of the registry and the `kid` one of its keys, not retired; the signature; the
//! credential's shape; the key must have been valid when the passport was issued; the validity
//! window (with [`CLOCK_SKEW_SECS`] of tolerance); the status lists (revoked, suspended). Nothing
//! in a token is trusted before its signature has been checked against a registry key.

use std::fmt;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::Result;
use crate::jws::{self, JwsError, Parsed};
use crate::registry::{self, Registry, RegistryKey, RegistryTrust};
use crate::status_list::{self, ListCredential, Purpose};
use crate::vc::{self, Passport};

/// Tolerance for clocks that disagree, in seconds.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// Why a passport failed verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Longer than the size limit.
    TooLarge,
    /// Not a compact JWS (three parts).
    Malformed,
    /// A part is not base64url.
    InvalidBase64,
    /// The header or payload is not JSON.
    InvalidJson,
    /// `alg` is not EdDSA (e.g. `none`, `HS256`).
    UnsupportedAlgorithm,
    /// `typ` is not `vc+jwt`.
    WrongType,
    /// No `kid` in the header.
    MissingKeyId,
    /// The header tries to bring its own key or critical extensions.
    ForbiddenHeader,
    /// The issuer is not a member trust of the registry.
    UnknownIssuer,
    /// The issuer has no key with this `kid`.
    UnknownKey,
    /// The key was retired.
    KeyRetired,
    /// The key was not the issuer's valid key when the passport was issued.
    KeyNotValidAtIssue,
    /// The registry's key is not an Ed25519 key.
    KeyUnusable,
    /// The signature does not verify.
    BadSignature,
    /// The credential does not have the passport shape.
    InvalidCredential,
    /// Past `validUntil`.
    Expired,
    /// Before `validFrom` (or issued in the future).
    NotYetValid,
    /// The issuer revoked it.
    Revoked,
    /// The issuer suspended it.
    Suspended,
}

impl Reason {
    /// As shown in the API and the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TooLarge => "TOO_LARGE",
            Self::Malformed => "MALFORMED",
            Self::InvalidBase64 => "INVALID_BASE64",
            Self::InvalidJson => "INVALID_JSON",
            Self::UnsupportedAlgorithm => "UNSUPPORTED_ALGORITHM",
            Self::WrongType => "WRONG_TYPE",
            Self::MissingKeyId => "MISSING_KEY_ID",
            Self::ForbiddenHeader => "FORBIDDEN_HEADER",
            Self::UnknownIssuer => "UNKNOWN_ISSUER",
            Self::UnknownKey => "UNKNOWN_KEY",
            Self::KeyRetired => "KEY_RETIRED",
            Self::KeyNotValidAtIssue => "KEY_NOT_VALID_AT_ISSUE",
            Self::KeyUnusable => "KEY_UNUSABLE",
            Self::BadSignature => "BAD_SIGNATURE",
            Self::InvalidCredential => "INVALID_CREDENTIAL",
            Self::Expired => "EXPIRED",
            Self::NotYetValid => "NOT_YET_VALID",
            Self::Revoked => "REVOKED",
            Self::Suspended => "SUSPENDED",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failure, with a sentence saying exactly what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The reason.
    pub reason: Reason,
    /// What exactly.
    pub detail: String,
}

impl Failure {
    fn new(reason: Reason, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }
}

impl From<JwsError> for Failure {
    fn from(e: JwsError) -> Self {
        let reason = match &e {
            JwsError::TooLarge(_) => Reason::TooLarge,
            JwsError::Malformed(_) => Reason::Malformed,
            JwsError::Base64(_) => Reason::InvalidBase64,
            JwsError::Json(_) => Reason::InvalidJson,
            JwsError::Algorithm(_) => Reason::UnsupportedAlgorithm,
            JwsError::Type(_) => Reason::WrongType,
            JwsError::MissingKeyId => Reason::MissingKeyId,
            JwsError::ForbiddenHeader(_) => Reason::ForbiddenHeader,
            JwsError::Signature(_) => Reason::BadSignature,
        };
        Self::new(reason, e.to_string())
    }
}

/// The issuer of a verified passport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerInfo {
    /// The trust.
    pub trust_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its issuer id.
    pub issuer: String,
}

/// The answer of a verification.
#[derive(Debug, Clone)]
pub struct Verification {
    /// Every failure found; none means the passport is valid.
    pub failures: Vec<Failure>,
    /// The passport's content, once its signature has verified.
    pub passport: Option<Passport>,
    /// The issuer, once found in the registry.
    pub issuer: Option<IssuerInfo>,
    /// The key id from the header.
    pub kid: Option<String>,
    /// Whether the revocation and suspension lists were consulted.
    pub status_checked: bool,
    /// Why they were not (offline, without a status list file), or a note on them.
    pub status_note: Option<String>,
    /// The moment the verification is made for.
    pub checked_at: DateTime<Utc>,
}

impl Verification {
    fn failed(failure: Failure, now: DateTime<Utc>) -> Self {
        Self {
            failures: vec![failure],
            passport: None,
            issuer: None,
            kid: None,
            status_checked: false,
            status_note: None,
            checked_at: now,
        }
    }

    /// Whether the passport is valid: no failure.
    #[must_use]
    pub fn valid(&self) -> bool {
        self.failures.is_empty()
    }

    /// Whether a failure with this reason was found.
    #[must_use]
    pub fn has(&self, reason: Reason) -> bool {
        self.failures.iter().any(|f| f.reason == reason)
    }

    /// Records the answer of one status list.
    pub fn record_status(&mut self, purpose: Purpose, set: bool) {
        if set {
            let (reason, detail) = match purpose {
                Purpose::Revocation => (Reason::Revoked, "the issuer has revoked this passport"),
                Purpose::Suspension => {
                    (Reason::Suspended, "the issuer has suspended this passport")
                }
            };
            self.failures.push(Failure::new(reason, detail));
        }
    }
}

/// The issuer a payload claims, read without trusting it (to pick the registry and key).
fn claimed_issuer(payload: &Map<String, Value>) -> Option<String> {
    match (payload.get("iss"), payload.get("issuer")) {
        (Some(Value::String(s)), _) => Some(s.clone()),
        (_, Some(Value::String(s))) => Some(s.clone()),
        (_, Some(Value::Object(o))) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// Checks structure, issuer, key and signature: what every signed document of the registry needs.
fn authenticate<'r>(
    token: &str,
    registry: &'r Registry,
    now: DateTime<Utc>,
) -> std::result::Result<(Parsed, &'r RegistryTrust, &'r RegistryKey), (Failure, Option<String>)> {
    let parsed = jws::parse(token).map_err(|e| (Failure::from(e), None))?;
    let kid = Some(parsed.kid.clone());
    let issuer = claimed_issuer(&parsed.payload).ok_or_else(|| {
        (
            Failure::new(Reason::InvalidCredential, "the credential names no issuer"),
            kid.clone(),
        )
    })?;
    let trust = registry.trust(&issuer).ok_or_else(|| {
        (
            Failure::new(
                Reason::UnknownIssuer,
                format!(
                    "{issuer} is not a member trust of the registry of {}",
                    registry.name
                ),
            ),
            kid.clone(),
        )
    })?;
    let key = trust.key(&parsed.kid).ok_or_else(|| {
        (
            Failure::new(
                Reason::UnknownKey,
                format!("{} has no key with id {}", trust.name, parsed.kid),
            ),
            kid.clone(),
        )
    })?;
    if let Some(retired) = key.retired_at.filter(|r| *r <= now) {
        return Err((
            Failure::new(
                Reason::KeyRetired,
                format!("key {} of {} was retired at {retired}", key.kid, trust.name),
            ),
            kid,
        ));
    }
    let vk = key.jwk.verifying_key().map_err(|e| {
        (
            Failure::new(Reason::KeyUnusable, e.to_string()),
            kid.clone(),
        )
    })?;
    jws::verify_signature(&vk, parsed.signing_input.as_bytes(), &parsed.signature)
        .map_err(|e| (Failure::from(e), kid.clone()))?;
    Ok((parsed, trust, key))
}

/// Whether a key was the issuer's to use at `iat`.
fn key_valid_at(key: &RegistryKey, iat: DateTime<Utc>) -> bool {
    let skew = Duration::seconds(CLOCK_SKEW_SECS);
    // Within a minute of the end of time `iat + skew` does not exist: it is then later than any
    // `valid_from` (and the passport is refused as issued in the future).
    iat.checked_add_signed(skew)
        .is_none_or(|late| late >= key.valid_from)
        && key.valid_until.is_none_or(|until| iat < until)
}

/// Verifies everything but the status lists, against `registry`, at `now`. Status is then added
/// with [`Verification::record_status`] by the caller (online: from the database; offline: from
/// status list files).
#[must_use]
pub fn check(token: &str, registry: &Registry, now: DateTime<Utc>) -> Verification {
    match authenticate(token, registry, now) {
        Ok((parsed, trust, key)) => check_claims(&parsed.kid, &parsed.payload, trust, key, now),
        Err((failure, kid)) => {
            let mut v = Verification::failed(failure, now);
            v.kid = kid;
            v
        }
    }
}

/// The checks of [`check`] once the token is authenticated: the credential's shape, the key's
/// validity at issue, and the validity window.
fn check_claims(
    kid: &str,
    payload: &Map<String, Value>,
    trust: &RegistryTrust,
    key: &RegistryKey,
    now: DateTime<Utc>,
) -> Verification {
    let mut v = Verification {
        failures: Vec::new(),
        passport: None,
        issuer: Some(IssuerInfo {
            trust_id: trust.trust_id,
            name: trust.name.clone(),
            issuer: trust.issuer.clone(),
        }),
        kid: Some(kid.to_owned()),
        status_checked: false,
        status_note: None,
        checked_at: now,
    };
    let p = match vc::check_shape(payload) {
        Ok(p) => p,
        Err(problems) => {
            v.failures
                .push(Failure::new(Reason::InvalidCredential, problems.join("; ")));
            return v;
        }
    };
    let skew = Duration::seconds(CLOCK_SKEW_SECS);
    match Utc.timestamp_opt(p.iat, 0).single() {
        None => v
            .failures
            .push(Failure::new(Reason::InvalidCredential, "iat is not a time")),
        Some(iat) => {
            if iat > now + skew {
                v.failures.push(Failure::new(
                    Reason::NotYetValid,
                    format!("it says it was issued at {iat}, which is in the future"),
                ));
            }
            if !key_valid_at(key, iat) {
                v.failures.push(Failure::new(
                    Reason::KeyNotValidAtIssue,
                    format!(
                        "key {} was valid from {}{}; the passport was issued at {iat}",
                        key.kid,
                        key.valid_from,
                        key.valid_until
                            .map(|u| format!(" until {u}"))
                            .unwrap_or_default()
                    ),
                ));
            }
        }
    }
    if now + skew < p.valid_from {
        v.failures.push(Failure::new(
            Reason::NotYetValid,
            format!("it is valid from {}", p.valid_from),
        ));
    }
    if now - skew >= p.valid_until {
        v.failures.push(Failure::new(
            Reason::Expired,
            format!("it expired at {}", p.valid_until),
        ));
    }
    v.passport = Some(p);
    v
}

/// The list id and purpose a status entry points at on this gateway, if it does.
fn list_of(issuer: &str, url: &str) -> Option<(Uuid, Purpose)> {
    let rest = url.strip_prefix(issuer)?.strip_prefix("/status/")?;
    let (id, purpose) = rest.split_once('/')?;
    Some((id.parse().ok()?, Purpose::parse(purpose)?))
}

/// Verifies a token online: the registry of the issuer's collaborative bank as it stands, and the
/// issuer's status lists as they stand.
///
/// # Errors
/// Database errors only; a passport that fails is an `Ok` answer listing why.
pub async fn verify_online(
    conn: &impl ConnectionTrait,
    public_url: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Verification> {
    // Which bank's registry to use is read from the (not yet trusted) payload; the registry then
    // decides whether the issuer and key are genuine.
    let claimed_trust = jws::parse(token)
        .ok()
        .and_then(|p| claimed_issuer(&p.payload))
        .and_then(|iss| registry::trust_of_issuer(public_url, &iss));
    let system_id = match claimed_trust {
        Some(t) => staffbank_bank::organisation::trust(conn, t)
            .await
            .ok()
            .map(|t| t.system_id),
        None => None,
    };
    let registry = match system_id {
        Some(s) => registry::build(conn, public_url, s, now).await?,
        None => Registry {
            kind: registry::REGISTRY_TYPE.to_owned(),
            system_id: Uuid::nil(),
            name: "this service".to_owned(),
            generated_at: now,
            trusts: Vec::new(),
        },
    };
    let mut v = check(token, &registry, now);
    let Some(p) = v.passport.clone() else {
        return Ok(v);
    };
    let mut checked = 0;
    for purpose in Purpose::ALL {
        let Some(entry) = p.status_entry(purpose.as_str()) else {
            continue;
        };
        let index: i32 = entry.status_list_index.parse().unwrap_or(-1);
        match list_of(&p.issuer.id, &entry.status_list_credential) {
            Some((list_id, listed)) if listed == purpose && index >= 0 => {
                let set = status_list::is_set(conn, list_id, index, purpose).await?;
                v.record_status(purpose, set);
                checked += 1;
            }
            _ => v.failures.push(Failure::new(
                Reason::InvalidCredential,
                format!(
                    "its {} list is not one its issuer publishes",
                    purpose.as_str()
                ),
            )),
        }
    }
    v.status_checked = checked == Purpose::ALL.len();
    Ok(v)
}

/// Verifies a token offline: keys from `registry`, status from the given status list credentials
/// (each a `vc+jwt` as published at the status list URL). When no list covers an entry, the answer
/// says that revocation or suspension could not be checked.
#[must_use]
pub fn verify_offline(
    token: &str,
    registry: &Registry,
    status_lists: &[String],
    now: DateTime<Utc>,
) -> Verification {
    let mut v = check(token, registry, now);
    let Some(p) = v.passport.clone() else {
        return v;
    };
    let mut notes = Vec::new();
    let mut checked = 0;
    for purpose in Purpose::ALL {
        let Some(entry) = p.status_entry(purpose.as_str()) else {
            continue;
        };
        let mut answer: Option<std::result::Result<bool, String>> = None;
        for list_token in status_lists {
            match read_list(list_token, registry, now) {
                Ok(list) if list.id == entry.status_list_credential => {
                    answer = Some(check_list(&list, &p, purpose, entry, now));
                    break;
                }
                Ok(_) => {}
                Err(e) => notes.push(format!("a status list file was not used: {e}")),
            }
        }
        match answer {
            Some(Ok(set)) => {
                v.record_status(purpose, set);
                checked += 1;
            }
            Some(Err(why)) => notes.push(format!("{} not checked: {why}", purpose.as_str())),
            None => notes.push(format!(
                "{} not checked: no status list file for {}",
                purpose.as_str(),
                entry.status_list_credential
            )),
        }
    }
    v.status_checked = checked == Purpose::ALL.len();
    if !notes.is_empty() {
        notes.sort();
        notes.dedup();
        v.status_note = Some(notes.join("; "));
    }
    v
}

/// Authenticates a status list credential against the registry.
fn read_list(
    token: &str,
    registry: &Registry,
    now: DateTime<Utc>,
) -> std::result::Result<ListCredential, String> {
    let (parsed, _, _) = authenticate(token, registry, now).map_err(|(f, _)| f.detail)?;
    list_credential(parsed.payload)
}

/// Reads an authenticated payload as a status list credential.
fn list_credential(payload: Map<String, Value>) -> std::result::Result<ListCredential, String> {
    serde_json::from_value::<ListCredential>(Value::Object(payload))
        .map_err(|e| format!("it is not a status list credential: {e}"))
}

fn check_list(
    list: &ListCredential,
    p: &Passport,
    purpose: Purpose,
    entry: &vc::StatusEntry,
    now: DateTime<Utc>,
) -> std::result::Result<bool, String> {
    if list.iss != p.issuer.id || list.issuer.id != p.issuer.id {
        return Err("the status list was not issued by the passport's issuer".into());
    }
    if list.credential_subject.status_purpose != purpose.as_str() {
        return Err("the status list is for another purpose".into());
    }
    if now - Duration::seconds(CLOCK_SKEW_SECS) >= list.valid_until {
        return Err(format!(
            "the status list file expired at {}; fetch it again",
            list.valid_until
        ));
    }
    let bits = status_list::decode(&list.credential_subject.encoded_list)?;
    let index: usize = entry
        .status_list_index
        .parse()
        .map_err(|_| "the index is not a number".to_owned())?;
    status_list::bit(&bits, index).ok_or_else(|| "the index is past the list's end".to_owned())
}

/// Entry points for the fuzz targets in `fuzz/` (not part of the API): the steps that run after a
/// signature has verified, so a fuzzer reaches them without forging Ed25519 signatures. Each runs
/// exactly the code [`check`] and [`verify_offline`] run.
#[doc(hidden)]
pub mod fuzzing {
    use super::{
        DateTime, ListCredential, Map, Passport, Purpose, RegistryKey, RegistryTrust, Utc, Value,
        Verification,
    };

    /// What [`super::check`] does with an authenticated passport payload signed with `key`.
    #[must_use]
    pub fn check_claims(
        kid: &str,
        payload: &Map<String, Value>,
        trust: &RegistryTrust,
        key: &RegistryKey,
        now: DateTime<Utc>,
    ) -> Verification {
        super::check_claims(kid, payload, trust, key, now)
    }

    /// What [`super::verify_offline`] does with an authenticated status list payload for the
    /// passport's `purpose` entry: read it as a status list credential and, when it is the list the
    /// entry names, check it against the passport and read the passport's bit.
    ///
    /// # Errors
    /// Why the list does not answer, as [`super::verify_offline`] notes it.
    pub fn check_status_list(
        payload: Map<String, Value>,
        passport: &Passport,
        purpose: Purpose,
        now: DateTime<Utc>,
    ) -> Result<(ListCredential, Option<bool>), String> {
        let list = super::list_credential(payload)?;
        let set = match passport.status_entry(purpose.as_str()) {
            Some(entry) if list.id == entry.status_list_credential => {
                Some(super::check_list(&list, passport, purpose, entry, now)?)
            }
            _ => None,
        };
        Ok((list, set))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeDelta};
    use ed25519_dalek::SigningKey;

    use super::*;
    use crate::jwk::Jwk;
    use crate::vc::{Issuer, Item, StatusEntry, Subject};

    fn registry(key: &SigningKey, now: DateTime<Utc>) -> Registry {
        let trust_id = Uuid::now_v7();
        let issuer = registry::issuer_id("https://bank.example", trust_id);
        Registry {
            kind: registry::REGISTRY_TYPE.into(),
            system_id: Uuid::now_v7(),
            name: "Test Bank".into(),
            generated_at: now,
            trusts: vec![RegistryTrust {
                trust_id,
                name: "Test Trust".into(),
                ods_code: "RTT".into(),
                jwks_uri: format!("{issuer}/jwks.json"),
                issuer,
                keys: vec![RegistryKey {
                    kid: "k1".into(),
                    jwk: Jwk::ed25519(&key.verifying_key()),
                    valid_from: now - TimeDelta::days(1),
                    valid_until: None,
                    retired_at: None,
                }],
            }],
        }
    }

    fn passport(issuer: &str, now: DateTime<Utc>, iat: i64) -> Passport {
        let id = vc::urn(Uuid::now_v7());
        let entry = |p: Purpose| {
            let url = status_list::url(issuer, Uuid::now_v7(), p);
            StatusEntry {
                id: format!("{url}#7"),
                kind: "BitstringStatusListEntry".into(),
                status_purpose: p.as_str().into(),
                status_list_index: "7".into(),
                status_list_credential: url,
            }
        };
        Passport {
            context: vec![vc::VC_CONTEXT_V2.into()],
            id: id.clone(),
            types: vec![vc::VC_TYPE.into(), vc::PASSPORT_TYPE.into()],
            issuer: Issuer {
                id: issuer.into(),
                name: "Test Trust".into(),
            },
            valid_from: now,
            valid_until: now + TimeDelta::days(30),
            credential_subject: Subject {
                id: vc::urn(Uuid::now_v7()),
                given_name: "Grace".into(),
                family_name: "Okafor".into(),
                date_of_birth: NaiveDate::from_ymd_opt(1990, 4, 12).unwrap_or_default(),
                staff_group: "NURSING_MIDWIFERY_REGISTERED".into(),
                grade: "BAND_5".into(),
                professional_registration: None,
                checks: vec![Item {
                    id: vc::urn(Uuid::now_v7()),
                    kind: "DBS".into(),
                    name: "DBS check".into(),
                    level: None,
                    level_name: None,
                    issued_by: "DBS".into(),
                    issued_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
                    expires_on: None,
                    verified_at: now,
                    verified_by: "Test Trust".into(),
                }],
                training: Vec::new(),
            },
            credential_status: vec![entry(Purpose::Revocation), entry(Purpose::Suspension)],
            iss: issuer.into(),
            iat,
            jti: id,
        }
    }

    /// Found by the `passport_payload` fuzz target: a passport signed by a registry key with `iat`
    /// in the last minute chrono can represent panicked ("`DateTime + TimeDelta` overflowed") in
    /// the key-validity check instead of failing verification.
    #[test]
    fn a_passport_issued_at_the_end_of_time_fails_and_does_not_panic()
    -> std::result::Result<(), Box<dyn std::error::Error>> {
        let now = Utc::now();
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let registry = registry(&key, now);
        let issuer = registry.trusts[0].issuer.clone();
        let sign = |p: &Passport| -> std::result::Result<String, Box<dyn std::error::Error>> {
            Ok(jws::sign(&key, "k1", &serde_json::to_value(p)?)?)
        };
        assert!(
            check(
                &sign(&passport(&issuer, now, now.timestamp()))?,
                &registry,
                now
            )
            .valid()
        );
        for iat in [
            DateTime::<Utc>::MAX_UTC.timestamp(),
            DateTime::<Utc>::MAX_UTC.timestamp() - CLOCK_SKEW_SECS + 1,
        ] {
            let v = check(&sign(&passport(&issuer, now, iat))?, &registry, now);
            assert!(v.has(Reason::NotYetValid), "{:?}", v.failures);
            assert!(!v.valid());
        }
        let early = check(
            &sign(&passport(
                &issuer,
                now,
                DateTime::<Utc>::MIN_UTC.timestamp(),
            ))?,
            &registry,
            now,
        );
        assert!(
            early.has(Reason::KeyNotValidAtIssue),
            "{:?}",
            early.failures
        );
        Ok(())
    }
}
