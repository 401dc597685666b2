//! The passport as a W3C Verifiable Credential (Data Model 2.0), and the checks of its shape. The
//! credential carries the worker's identity and each verified check and training item (kind,
//! level, dates, who verified it) — never evidence documents, and never the NI number: a verifier
//! matches the person by name, date of birth and professional registration.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The base context of VC Data Model 2.0 (it must come first).
pub const VC_CONTEXT_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The credential type of a passport.
pub const PASSPORT_TYPE: &str = "StaffPassportCredential";
/// The base type of every verifiable credential.
pub const VC_TYPE: &str = "VerifiableCredential";

/// The issuer: its id is the trust's URL on the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// `{public_url}/trusts/{trust id}`.
    pub id: String,
    /// The trust's name.
    #[serde(default)]
    pub name: String,
}

/// A professional registration (NMC, GMC, HCPC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// NMC, GMC or HCPC.
    pub body: String,
    /// The number.
    pub number: String,
}

/// One check or training item of the passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// `urn:uuid:{credential id}`.
    pub id: String,
    /// Kind code (e.g. `DBS`, `FIRE_SAFETY`).
    pub kind: String,
    /// Kind name.
    #[serde(default)]
    pub name: String,
    /// Level, for kinds with levels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i32>,
    /// Level name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_name: Option<String>,
    /// Who issued the underlying certificate (e.g. "DBS", a training provider).
    #[serde(default)]
    pub issued_by: String,
    /// Issued or completed on.
    pub issued_on: NaiveDate,
    /// Expires on (not valid from this date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    /// When a trust's HR verified it.
    pub verified_at: DateTime<Utc>,
    /// Which trust verified it.
    #[serde(default)]
    pub verified_by: String,
}

impl Item {
    /// The credential id in the bank.
    #[must_use]
    pub fn credential_id(&self) -> Option<Uuid> {
        urn_uuid(&self.id)
    }
}

/// The worker the passport is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// `urn:uuid:{worker id}`.
    pub id: String,
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// ESR staff group code.
    pub staff_group: String,
    /// Grade code.
    pub grade: String,
    /// Professional registration, for registered professions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub professional_registration: Option<Registration>,
    /// Pre-employment checks (NHS Employment Check Standards).
    pub checks: Vec<Item>,
    /// Training (CSTF and other).
    pub training: Vec<Item>,
}

impl Subject {
    /// The worker id in the bank.
    #[must_use]
    pub fn worker_id(&self) -> Option<Uuid> {
        urn_uuid(&self.id)
    }

    /// Every item, checks first.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.checks.iter().chain(self.training.iter())
    }
}

/// A Bitstring Status List entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusEntry {
    /// `{list url}#{index}`.
    pub id: String,
    /// `BitstringStatusListEntry`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `revocation` or `suspension`.
    pub status_purpose: String,
    /// The index, as a decimal string.
    pub status_list_index: String,
    /// The URL of the status list credential.
    pub status_list_credential: String,
}

/// A passport: the credential and the JWT claims beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Passport {
    /// Contexts; the VC 2.0 base context first.
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    /// `urn:uuid:{passport id}`.
    pub id: String,
    /// Types; `VerifiableCredential` and `StaffPassportCredential`.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// The issuing trust.
    pub issuer: Issuer,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    pub valid_until: DateTime<Utc>,
    /// The worker and their items.
    pub credential_subject: Subject,
    /// Revocation and suspension entries.
    pub credential_status: Vec<StatusEntry>,
    /// JWT issuer (the issuer's id).
    pub iss: String,
    /// JWT issued-at (seconds): the key must have been valid then.
    pub iat: i64,
    /// JWT id (the passport id).
    pub jti: String,
}

impl Passport {
    /// The passport id.
    #[must_use]
    pub fn passport_id(&self) -> Option<Uuid> {
        urn_uuid(&self.id)
    }

    /// The status entry for a purpose.
    #[must_use]
    pub fn status_entry(&self, purpose: &str) -> Option<&StatusEntry> {
        self.credential_status
            .iter()
            .find(|e| e.status_purpose == purpose)
    }
}

/// `urn:uuid:…` for an id.
#[must_use]
pub fn urn(id: Uuid) -> String {
    format!("urn:uuid:{id}")
}

/// The uuid of a `urn:uuid:…`.
#[must_use]
pub fn urn_uuid(s: &str) -> Option<Uuid> {
    s.strip_prefix("urn:uuid:").and_then(|u| u.parse().ok())
}

/// Reads a payload as a passport and checks its shape: contexts, types, issuer, dates, subject,
/// items and status entries. Returns every problem found, or the passport.
///
/// # Errors
/// The list of problems, each a sentence.
pub fn check_shape(payload: &Map<String, Value>) -> Result<Passport, Vec<String>> {
    let p: Passport = serde_json::from_value(Value::Object(payload.clone())).map_err(|e| {
        vec![format!(
            "the credential does not have the passport shape: {e}"
        )]
    })?;
    let mut problems = Vec::new();
    if p.context.first().map(String::as_str) != Some(VC_CONTEXT_V2) {
        problems.push(format!("@context must start with {VC_CONTEXT_V2}"));
    }
    for t in [VC_TYPE, PASSPORT_TYPE] {
        if !p.types.iter().any(|x| x == t) {
            problems.push(format!("type must include {t}"));
        }
    }
    if p.passport_id().is_none() || p.jti != p.id {
        problems.push("id must be a urn:uuid equal to jti".into());
    }
    if p.iss != p.issuer.id {
        problems.push("the JWT iss differs from the credential's issuer".into());
    }
    if p.valid_until <= p.valid_from {
        problems.push("validUntil must be after validFrom".into());
    }
    if p.credential_subject.worker_id().is_none() {
        problems.push("credentialSubject.id must be a urn:uuid".into());
    }
    let items: Vec<&Item> = p.credential_subject.items().collect();
    if items.is_empty() {
        problems.push("the passport carries no checks or training".into());
    }
    if items.iter().any(|i| i.credential_id().is_none()) {
        problems.push("every item's id must be a urn:uuid".into());
    }
    for purpose in ["revocation", "suspension"] {
        match p.status_entry(purpose) {
            None => problems.push(format!("credentialStatus has no {purpose} entry")),
            Some(e) => {
                if e.kind != "BitstringStatusListEntry" {
                    problems.push("a status entry's type must be BitstringStatusListEntry".into());
                }
                if e.status_list_index.parse::<u32>().is_err() {
                    problems.push("statusListIndex must be a decimal number".into());
                }
                if !e.status_list_credential.starts_with(&p.issuer.id) {
                    problems.push("the status list must be published by the issuer".into());
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(p)
    } else {
        Err(problems)
    }
}
