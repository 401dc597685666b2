//! The offline verifier behind `staffbank passport verify --registry FILE [--status-list FILE]...
//! PASSPORT`: no network, no database — the registry file is the trust anchor, and status list
//! files (as downloaded from the status list URLs) answer revocation and suspension. Without them
//! the report says plainly that revocation could not be checked.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::registry::{REGISTRY_TYPE, Registry};
use crate::verify::{self, Verification};

/// Reads a registry file.
///
/// # Errors
/// A sentence saying why the file is not a trust registry.
pub fn read_registry(text: &str) -> Result<Registry, String> {
    let r: Registry = serde_json::from_str(text)
        .map_err(|e| format!("the registry file is not a staffbank trust registry: {e}"))?;
    if r.kind != REGISTRY_TYPE {
        return Err(format!(
            "the registry file's type is '{}', not {REGISTRY_TYPE}",
            r.kind
        ));
    }
    Ok(r)
}

/// Verifies a passport offline.
///
/// # Errors
/// When the registry file cannot be read (a passport that fails is an `Ok` answer).
pub fn verify(
    registry_text: &str,
    token: &str,
    status_lists: &[String],
    now: DateTime<Utc>,
) -> Result<Verification, String> {
    let registry = read_registry(registry_text)?;
    let lists: Vec<String> = status_lists.iter().map(|s| s.trim().to_owned()).collect();
    Ok(verify::verify_offline(token.trim(), &registry, &lists, now))
}

/// A report for people.
#[must_use]
pub fn report(v: &Verification) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        if v.valid() {
            "VALID: the passport verifies"
        } else {
            "INVALID: the passport does not verify"
        }
    );
    for f in &v.failures {
        let _ = writeln!(out, "  failure {}: {}", f.reason, f.detail);
    }
    if let Some(i) = &v.issuer {
        let _ = writeln!(
            out,
            "issuer:  {} ({}), key {}",
            i.name,
            i.issuer,
            v.kid.as_deref().unwrap_or("-")
        );
    }
    if let Some(p) = &v.passport {
        let s = &p.credential_subject;
        let _ = writeln!(out, "passport: {}", p.id);
        let _ = writeln!(
            out,
            "worker:  {} {} (born {}), {} {}{}",
            s.given_name,
            s.family_name,
            s.date_of_birth,
            s.staff_group,
            s.grade,
            s.professional_registration
                .as_ref()
                .map(|r| format!(", {} {}", r.body, r.number))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "valid:   {} until {}", p.valid_from, p.valid_until);
        for i in s.items() {
            let _ = writeln!(
                out,
                "  item {}{}: issued {}, {}, verified {} by {}",
                i.kind,
                i.level.map(|l| format!(" level {l}")).unwrap_or_default(),
                i.issued_on,
                i.expires_on
                    .map(|e| format!("expires {e}"))
                    .unwrap_or_else(|| "no expiry".into()),
                i.verified_at.date_naive(),
                i.verified_by
            );
        }
    }
    if v.passport.is_some() {
        if v.status_checked {
            let _ = writeln!(out, "status:  revocation and suspension lists checked");
        } else {
            let _ = writeln!(
                out,
                "status:  NOT CHECKED — revocation and suspension could not be checked{}",
                v.status_note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
        }
    }
    out
}

/// A report for programs.
#[must_use]
pub fn report_json(v: &Verification) -> serde_json::Value {
    json!({
        "valid": v.valid(),
        "failures": v.failures.iter().map(|f| json!({"reason": f.reason.as_str(), "detail": f.detail})).collect::<Vec<_>>(),
        "issuer": v.issuer.as_ref().map(|i| json!({"trustId": i.trust_id, "name": i.name, "issuer": i.issuer})),
        "kid": v.kid,
        "statusChecked": v.status_checked,
        "statusNote": v.status_note,
        "checkedAt": v.checked_at,
        "passport": v.passport,
    })
}
