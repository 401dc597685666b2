//! The emails a passport's status change sends, written to the outbox in the same transaction as
//! the change: the worker is told their passport was revoked or suspended (and why), and HR of
//! every trust that accepted it is told it no longer counts. Each names the passport, never the
//! items in it.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use staffbank_bank::{organisation, workers};
use staffbank_core::entity::{account, role_grant};
use staffbank_core::{Clock, Email, Role};
use staffbank_notify::{Message, outbox};
use uuid::Uuid;

use crate::error::Result;
use crate::revoke::Change;

/// Kind of the email to the worker.
pub const TO_WORKER: &str = "passport.status.worker";
/// Kind of the email to an accepting trust's HR.
pub const TO_ACCEPTING_TRUST: &str = "passport.status.trust";

/// Enqueues the emails for a revocation or suspension (`what`: "revoked" or "suspended").
///
/// # Errors
/// Database and outbox errors.
pub async fn status_changed(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    change: &Change,
    what: &str,
) -> Result<()> {
    let p = &change.passport;
    let issuer = organisation::trust(conn, p.issuer_trust_id).await?;
    let w = workers::get(conn, p.worker_id).await?;
    let reason = p.status_reason.clone().unwrap_or_default();
    // One email per recipient per change (the change time tells a second suspension apart).
    let key = |to: &str| {
        format!(
            "passport.{what}:{}:{}:{to}",
            p.id,
            p.updated_at.timestamp_micros()
        )
    };
    match Email::parse(&w.email) {
        Ok(to) => {
            let m = Message::from_paragraphs(
                TO_WORKER,
                to.clone(),
                format!("Your staff passport has been {what}"),
                &[
                    format!("Dear {},", w.given_name),
                    format!(
                        "{} has {what} the staff passport it issued to you on {}. Reason \
                         given: {reason}",
                        issuer.name,
                        p.created_at.date_naive()
                    ),
                    "Trusts that accepted it have been told, and its checks no longer count \
                     there through the passport. Please contact the issuing trust's HR team \
                     if you have questions."
                        .to_owned(),
                ],
            );
            outbox::enqueue(conn, clock, &m, Some(&key(to.as_str()))).await?;
        }
        Err(_) => tracing::warn!(worker_id = %w.id, "worker email does not parse; not emailed"),
    }
    for trust_id in &change.accepting_trusts {
        let trust = organisation::trust(conn, *trust_id).await?;
        for to in hr_emails(conn, *trust_id).await? {
            let m = Message::from_paragraphs(
                TO_ACCEPTING_TRUST,
                to.clone(),
                format!("A staff passport you accepted has been {what}"),
                &[
                    format!("To the HR team of {},", trust.name),
                    format!(
                        "{} has {what} passport {} of {} {}, which your trust accepted. \
                         Reason given: {reason}",
                        issuer.name, p.id, w.given_name, w.family_name
                    ),
                    "The checks your trust accepted through it no longer count towards the \
                     worker's compliance with you. See your trust's accepted passports in \
                     staffbank."
                        .to_owned(),
                ],
            );
            outbox::enqueue(conn, clock, &m, Some(&key(to.as_str()))).await?;
        }
    }
    Ok(())
}

/// The emails of the enabled accounts holding HR at a trust.
async fn hr_emails(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<Vec<Email>> {
    let holders: Vec<Uuid> = role_grant::Entity::find()
        .filter(role_grant::Column::TrustId.eq(trust_id))
        .filter(role_grant::Column::Role.eq(Role::Hr))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| g.account_id)
        .collect();
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(holders))
        .filter(account::Column::DisabledAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|a| Email::parse(&a.email).ok())
        .collect())
}
