//! The expiry sweep: marks verified credentials expired when their date comes, and reminds the
//! worker (and HR of each trust that recognises the credential) 30, 14 and 7 days before, and on
//! the day. Each reminder goes once: it is enqueued with a key naming the credential and the
//! threshold, so running the sweep again — after a restart, or on several replicas at once — sends
//! nothing twice. When the sweep has not run for a while, only the most urgent reminder due is sent.

use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use staffbank_core::entity::{account, role_grant};
use staffbank_core::time::london_date;
use staffbank_core::{Clock, Email, Role, db, jobs, new_id};
use staffbank_notify::{Message, outbox};

use crate::catalogue;
use crate::credentials::{self, CredentialStatus};
use crate::entity::{credential, credential_event, worker};
use crate::error::Result;

/// Days before expiry at which reminders go (the last on the day itself).
pub const THRESHOLDS: [i64; 4] = [30, 14, 7, 0];
/// Kind of the reminder emails.
pub const REMINDER: &str = "credential.expiry";
/// The job's name in logs and metrics.
pub const JOB: &str = "credential_expiry";

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Credentials marked expired.
    pub expired: u64,
    /// Reminder emails enqueued (not counting ones already sent by an earlier run).
    pub reminders: u64,
    /// Credentials that could not be swept (logged and counted; the others went on).
    pub failed: u64,
}

/// The most urgent threshold reached with `days_left` to go, if any.
#[must_use]
pub fn threshold(days_left: i64) -> Option<i64> {
    THRESHOLDS.iter().rev().copied().find(|t| days_left <= *t)
}

/// Runs the sweep once, credential by credential: one that fails is logged and counted
/// ([`jobs::row_failed`]) and the sweep goes on with the rest.
///
/// # Errors
/// Database errors finding the credentials due.
pub async fn sweep(db: &DatabaseConnection, clock: &dyn Clock) -> Result<Sweep> {
    let today = london_date(clock.now());
    let horizon = today + Duration::days(THRESHOLDS[0]);
    let due = credential::Entity::find()
        .filter(credential::Column::Status.eq(CredentialStatus::Verified))
        .filter(credential::Column::ExpiresOn.lte(horizon))
        .order_by_asc(credential::Column::ExpiresOn)
        .all(db)
        .await?;
    let mut total = Sweep::default();
    for c in due {
        let c = &c;
        let one = db::write(db, |tx| {
            Box::pin(async move { sweep_one(&*tx, clock, c).await })
        })
        .await;
        match one {
            Ok(one) => {
                total.expired += one.expired;
                total.reminders += one.reminders;
            }
            Err(e) => {
                jobs::row_failed(JOB, c.id, &e);
                total.failed += 1;
            }
        }
    }
    if total != Sweep::default() {
        tracing::info!(
            expired = total.expired,
            reminders = total.reminders,
            failed = total.failed,
            "expiry sweep"
        );
    }
    Ok(total)
}

/// One credential, in one transaction: its status change and its emails commit together.
async fn sweep_one(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    c: &credential::Model,
) -> Result<Sweep> {
    let Some(expires_on) = c.expires_on else {
        return Ok(Sweep::default());
    };
    let today = london_date(clock.now());
    let days_left = (expires_on - today).num_days();
    let Some(t) = threshold(days_left) else {
        return Ok(Sweep::default());
    };
    let mut done = Sweep::default();
    if days_left <= 0 {
        // Only the first replica to get here changes it.
        let changed = credential::Entity::update_many()
            .col_expr(
                credential::Column::Status,
                Expr::value(CredentialStatus::Expired),
            )
            .col_expr(credential::Column::UpdatedAt, Expr::value(clock.now()))
            .filter(credential::Column::Id.eq(c.id))
            .filter(credential::Column::Status.eq(CredentialStatus::Verified))
            .exec(conn)
            .await?;
        if changed.rows_affected == 1 {
            credential_event::Entity::insert(credential_event::ActiveModel {
                id: sea_orm::Set(new_id()),
                credential_id: sea_orm::Set(c.id),
                event: sea_orm::Set("EXPIRED".to_owned()),
                actor_account_id: sea_orm::Set(None),
                trust_id: sea_orm::Set(None),
                reason: sea_orm::Set(None),
                at: sea_orm::Set(clock.now()),
            })
            .exec(conn)
            .await?;
            done.expired = 1;
        }
    }
    let w = worker::Entity::find_by_id(c.worker_id)
        .one(conn)
        .await?
        .ok_or_else(|| crate::error::not_found("worker"))?;
    let kind_name = catalogue::kind(&c.kind)
        .map(|k| k.name)
        .unwrap_or("A credential");
    let when = if days_left <= 0 {
        format!("expired on {expires_on}")
    } else {
        format!("expires on {expires_on}, in {days_left} days")
    };
    let subject = if days_left <= 0 {
        format!("{kind_name} has expired")
    } else {
        format!("{kind_name} expires in {days_left} days")
    };
    // To the worker.
    if let Ok(to) = Email::parse(&w.email) {
        let m = Message::from_paragraphs(
            REMINDER,
            to,
            subject.clone(),
            &[
                format!("Dear {},", w.given_name),
                format!("Your {kind_name} {when}."),
                "Please renew it and record the new one in staffbank, so that you can keep booking \
                 shifts: trusts cannot book you for a shift that ends after a required credential \
                 expires."
                    .to_owned(),
            ],
        );
        if outbox::enqueue(
            conn,
            clock,
            &m,
            Some(&format!("{REMINDER}:{}:{t}d:worker", c.id)),
        )
        .await?
        {
            done.reminders += 1;
        }
    }
    // To HR of every trust recognising it.
    let trusts: Vec<uuid::Uuid> = credentials::recognitions_of(conn, &[c.id])
        .await?
        .into_iter()
        .map(|r| r.trust_id)
        .collect();
    if !trusts.is_empty() {
        let hr: Vec<uuid::Uuid> = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Hr))
            .filter(role_grant::Column::TrustId.is_in(trusts))
            .all(conn)
            .await?
            .into_iter()
            .map(|g| g.account_id)
            .collect();
        let people = account::Entity::find()
            .filter(account::Column::Id.is_in(hr))
            .filter(account::Column::DisabledAt.is_null())
            .order_by_asc(account::Column::Id)
            .all(conn)
            .await?;
        for acc in people {
            let Ok(to) = Email::parse(&acc.email) else {
                continue;
            };
            let m = Message::from_paragraphs(
                REMINDER,
                to,
                format!("{subject}: {} {}", w.given_name, w.family_name),
                &[
                    format!(
                        "The {kind_name} of {} {}, a bank worker your trust recognises it for, {when}.",
                        w.given_name, w.family_name
                    ),
                    "They have been reminded to renew it. Until a renewal is verified they cannot be \
                     booked for shifts ending after that date."
                        .to_owned(),
                ],
            );
            let key = format!("{REMINDER}:{}:{t}d:hr:{}", c.id, acc.id);
            if outbox::enqueue(conn, clock, &m, Some(&key)).await? {
                done.reminders += 1;
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::threshold;

    #[test]
    fn most_urgent_threshold() {
        assert_eq!(threshold(40), None);
        assert_eq!(threshold(30), Some(30));
        assert_eq!(threshold(15), Some(30));
        assert_eq!(threshold(14), Some(14));
        assert_eq!(threshold(8), Some(14));
        assert_eq!(threshold(7), Some(7));
        assert_eq!(threshold(1), Some(7));
        assert_eq!(threshold(0), Some(0));
        assert_eq!(threshold(-3), Some(0));
    }
}
