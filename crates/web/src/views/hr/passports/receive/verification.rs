//! The verification (`verifyPassport`): the API's answer, and the same in plain English —
//! signature, issuer, dates, revoked or suspended — and who the passport is about.

use crate::format;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};

#[derive(cynic::QueryVariables)]
pub(super) struct VerifyVariables {
    pub(super) token: String,
    pub(super) trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "VerifyVariables")]
pub(super) struct VerifyQuery {
    #[arguments(token: $token, trustId: $trust_id)]
    pub(super) verify_passport: Verification,
}

/// Why a passport failed verification (the API's `VerificationFailureReason`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "VerificationFailureReason")]
pub enum FailureReason {
    /// Over 64 KiB.
    TooLarge,
    /// Not a compact JWS.
    Malformed,
    /// Not base64url.
    #[cynic(rename = "INVALID_BASE64")]
    InvalidBase64,
    /// Not JSON.
    InvalidJson,
    /// Not EdDSA.
    UnsupportedAlgorithm,
    /// Not `vc+jwt`.
    WrongType,
    /// No `kid`.
    MissingKeyId,
    /// Brings its own key.
    ForbiddenHeader,
    /// Not a trust of the registry.
    UnknownIssuer,
    /// No such key.
    UnknownKey,
    /// Key retired.
    KeyRetired,
    /// Key not valid at issue.
    KeyNotValidAtIssue,
    /// Key not Ed25519.
    KeyUnusable,
    /// Signature does not verify.
    BadSignature,
    /// Not the passport shape.
    InvalidCredential,
    /// Past its end.
    Expired,
    /// Before its start.
    NotYetValid,
    /// Revoked.
    Revoked,
    /// Suspended.
    Suspended,
}

impl FailureReason {
    /// Whether the text was not a passport at all (rather than a passport that fails).
    pub(super) fn not_a_passport(self) -> bool {
        matches!(
            self,
            Self::TooLarge | Self::Malformed | Self::InvalidBase64 | Self::InvalidJson
        )
    }

    fn is_signature(self) -> bool {
        matches!(
            self,
            Self::UnsupportedAlgorithm
                | Self::WrongType
                | Self::MissingKeyId
                | Self::ForbiddenHeader
                | Self::UnknownKey
                | Self::KeyRetired
                | Self::KeyNotValidAtIssue
                | Self::KeyUnusable
                | Self::BadSignature
                | Self::InvalidCredential
        ) || self.not_a_passport()
    }
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "VerificationFailure")]
pub(super) struct Failure {
    pub(super) reason: FailureReason,
    pub(super) detail: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportVerification")]
pub(super) struct Verification {
    pub(super) valid: bool,
    pub(super) failures: Vec<Failure>,
    pub(super) status_checked: bool,
    pub(super) status_note: Option<String>,
    pub(super) passport_id: Option<Uuid>,
    pub(super) valid_from: Option<DateTime>,
    pub(super) valid_until: Option<DateTime>,
    pub(super) subject: Option<Subject>,
    pub(super) checked_at: DateTime,
    pub(super) issuer_trust: Option<Named>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Trust")]
pub(super) struct Named {
    pub(super) name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportSubject")]
pub(super) struct Subject {
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) date_of_birth: NaiveDate,
    pub(super) staff_group: String,
    pub(super) grade: String,
    pub(super) registration_body: Option<String>,
    pub(super) registration_number: Option<String>,
}

/// One line of the verification: what was checked, the answer, and whether it passed.
pub(super) struct Check {
    pub(super) what: &'static str,
    pub(super) answer: String,
    /// "Passed", "Failed" or "Not checked".
    pub(super) tag: &'static str,
    pub(super) tag_class: &'static str,
}

impl Check {
    fn new(what: &'static str, passed: Option<bool>, answer: String) -> Self {
        let (tag, tag_class) = match passed {
            Some(true) => ("Passed", "nhsuk-tag--green"),
            Some(false) => ("Failed", "nhsuk-tag--red"),
            None => ("Not checked", "nhsuk-tag--grey"),
        };
        Self {
            what,
            answer,
            tag,
            tag_class,
        }
    }
}

fn details(v: &Verification, pick: impl Fn(FailureReason) -> bool) -> Option<String> {
    let found: Vec<String> = v
        .failures
        .iter()
        .filter(|f| pick(f.reason))
        .map(|f| format::error_message(&f.detail))
        .collect();
    (!found.is_empty()).then(|| found.join(". "))
}

/// The verification in plain English: signature, issuer in the registry, dates, and whether it
/// was revoked or suspended (checked or not).
pub(super) fn checks_in_words(v: &Verification) -> Vec<Check> {
    let issuer = v
        .issuer_trust
        .as_ref()
        .map_or_else(|| "the trust it names".to_owned(), |t| t.name.clone());
    let day = |at: Option<DateTime>| {
        at.map(|at| format::date_short(format::london(at).date()))
            .unwrap_or_default()
    };
    let signature = match details(v, FailureReason::is_signature) {
        Some(why) => Check::new("Signature", Some(false), format!("Not genuine. {why}")),
        None => Check::new(
            "Signature",
            Some(true),
            format!("Genuine: signed with a key of {issuer}, and not changed since"),
        ),
    };
    let issuer_check = match details(v, |r| r == FailureReason::UnknownIssuer) {
        Some(why) => Check::new(
            "Issuer",
            Some(false),
            format!("Not a trust of this collaborative bank. {why}"),
        ),
        None if v.issuer_trust.is_some() => Check::new(
            "Issuer",
            Some(true),
            format!("{issuer} is in the bank's list of trusts that may issue passports"),
        ),
        None => Check::new(
            "Issuer",
            None,
            "Could not be checked, because the signature is not genuine".to_owned(),
        ),
    };
    let dates = format!("from {} to {}", day(v.valid_from), day(v.valid_until));
    let dates_check = match details(v, |r| {
        matches!(r, FailureReason::Expired | FailureReason::NotYetValid)
    }) {
        Some(why) => Check::new(
            "Dates",
            Some(false),
            format!("Not valid today ({dates}). {why}"),
        ),
        None if v.valid_from.is_some() => {
            Check::new("Dates", Some(true), format!("Valid today: {dates}"))
        }
        None => Check::new("Dates", None, "Not known".to_owned()),
    };
    let when = format::when(v.checked_at);
    let status_check = if v
        .failures
        .iter()
        .any(|f| f.reason == FailureReason::Revoked)
    {
        Check::new(
            "Revoked or suspended",
            Some(false),
            format!("{issuer} has revoked it. Checked {when}"),
        )
    } else if v
        .failures
        .iter()
        .any(|f| f.reason == FailureReason::Suspended)
    {
        Check::new(
            "Revoked or suspended",
            Some(false),
            format!("{issuer} has suspended it for now. Checked {when}"),
        )
    } else if v.status_checked {
        Check::new(
            "Revoked or suspended",
            Some(true),
            format!(
                "Neither: {issuer}'s list of revoked and suspended passports was checked {when}"
            ),
        )
    } else {
        let note = v
            .status_note
            .as_deref()
            .map(format::error_message)
            .unwrap_or_default();
        Check::new(
            "Revoked or suspended",
            None,
            format!("Not checked. {note}").trim().to_owned(),
        )
    };
    vec![signature, issuer_check, dates_check, status_check]
}

pub(super) fn subject_in_words(s: &Subject) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Name", format!("{} {}", s.given_name, s.family_name)),
        ("Date of birth", format::date_short(s.date_of_birth)),
        (
            "Staff group",
            crate::views::worker::passports::share::staff_group_words(&s.staff_group),
        ),
        ("Grade", crate::views::worker::shifts::grade_name(&s.grade)),
    ];
    if let Some(number) = &s.registration_number {
        let body = s.registration_body.clone().unwrap_or_default();
        rows.push(("Professional registration", format!("{body} {number}")));
    }
    rows
}
