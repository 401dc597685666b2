//! The emails a timesheet's way to pay sends: submitted (to the ward's managers), escalated past
//! its deadline (to the trust's bank office), and approved, approved automatically or queried (to
//! the worker). Each is written to the outbox in the transaction of the change, under a key naming
//! the timesheet, the submission it is about and the step, so a retried transaction, a second run
//! of the deadline job or a second replica never sends one twice.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use staffbank_bank::workers;
use staffbank_core::entity::{account, role_grant};
use staffbank_core::time::london_local;
use staffbank_core::{Clock, Email, Role};
use staffbank_notify::{Message, outbox};
use uuid::Uuid;

use crate::entity::timesheet;
use crate::error::Result;
use crate::market_mail::ShiftWords;

/// Kind of the email telling the ward's managers a timesheet waits for them.
pub const SUBMITTED: &str = "timesheet.submitted";
/// Kind of the email telling the bank office a timesheet passed its deadline.
pub const ESCALATED: &str = "timesheet.escalated";
/// Kind of the email telling the worker their timesheet was approved.
pub const APPROVED: &str = "timesheet.approved";
/// Kind of the email telling the worker their timesheet was approved automatically.
pub const AUTO_APPROVED: &str = "timesheet.auto_approved";
/// Kind of the email telling the worker their timesheet was queried.
pub const QUERIED: &str = "timesheet.queried";

/// What was decided, for the worker's email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approved by a person.
    Approved,
    /// Approved automatically at the deadline.
    AutoApproved,
    /// Queried with a reason.
    Queried,
}

fn key(kind: &str, t: &timesheet::Model, to: Option<Uuid>) -> String {
    let base = format!("{kind}:{}:{}", t.id, t.submitted_at.timestamp_millis());
    to.map_or(base.clone(), |a| format!("{base}:{a}"))
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    london_local(at).format("%A %-d %B, %H:%M").to_string()
}

async fn shift_line(conn: &impl ConnectionTrait, t: &timesheet::Model) -> Result<String> {
    let s = crate::shifts::get(conn, t.shift_id).await?;
    Ok(ShiftWords::of(conn, &s).await?.line)
}

/// The enabled accounts holding `role` at the timesheet's trust (a ward manager only of its ward
/// or of every ward).
async fn staff(
    conn: &impl ConnectionTrait,
    t: &timesheet::Model,
    role: Role,
) -> Result<Vec<(Uuid, Email)>> {
    let ids: Vec<Uuid> = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(role))
        .filter(role_grant::Column::TrustId.eq(t.trust_id))
        .all(conn)
        .await?
        .into_iter()
        .filter(|g| g.ward_id.is_none_or(|w| w == t.ward_id))
        .map(|g| g.account_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::DisabledAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|a| Email::parse(&a.email).ok().map(|e| (a.id, e)))
        .collect())
}

/// Tells the ward's managers a timesheet waits for them, and by when.
///
/// # Errors
/// Database errors.
pub async fn submitted(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    t: &timesheet::Model,
    deadline: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let w = workers::get(conn, t.worker_id).await?;
    let line = shift_line(conn, t).await?;
    for (id, to) in staff(conn, t, Role::WardManager).await? {
        let m = Message::from_paragraphs(
            SUBMITTED,
            to,
            format!("Timesheet to approve: {} {}", w.given_name, w.family_name),
            &[
                format!(
                    "{} {} has sent a timesheet for {line}.",
                    w.given_name, w.family_name
                ),
                format!(
                    "Please approve it, or query it with a reason, in staffbank by {}. After \
                     that it goes to the bank office, so the worker is paid on time.",
                    when(deadline)
                ),
            ],
        );
        outbox::enqueue(conn, clock, &m, Some(&key(SUBMITTED, t, Some(id)))).await?;
    }
    Ok(())
}

/// Tells the trust's bank office a timesheet passed its deadline undecided.
///
/// # Errors
/// Database errors.
pub async fn escalated(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    t: &timesheet::Model,
) -> Result<()> {
    let w = workers::get(conn, t.worker_id).await?;
    let line = shift_line(conn, t).await?;
    for (id, to) in staff(conn, t, Role::BankOffice).await? {
        let m = Message::from_paragraphs(
            ESCALATED,
            to,
            format!(
                "Timesheet past its deadline: {} {}",
                w.given_name, w.family_name
            ),
            &[
                format!(
                    "The timesheet {} {} sent for {line} was not approved or queried by its \
                     ward manager in time.",
                    w.given_name, w.family_name
                ),
                "You can now approve or query it in staffbank, under Timesheets past their \
                 deadline, so the worker is paid on time."
                    .to_owned(),
            ],
        );
        outbox::enqueue(conn, clock, &m, Some(&key(ESCALATED, t, Some(id)))).await?;
    }
    Ok(())
}

/// Tells the worker what was decided about their timesheet.
///
/// # Errors
/// Database errors.
pub async fn decided(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    t: &timesheet::Model,
    decision: Decision,
) -> Result<()> {
    let w = workers::get(conn, t.worker_id).await?;
    let Ok(to) = Email::parse(&w.email) else {
        tracing::warn!(worker_id = %w.id, "a worker's email does not parse; no message");
        return Ok(());
    };
    let line = shift_line(conn, t).await?;
    let (kind, subject, said) = match decision {
        Decision::Approved => (
            APPROVED,
            "Your timesheet is approved".to_owned(),
            format!(
                "Your timesheet for {line} is approved. The bank office now approves it for payment."
            ),
        ),
        Decision::AutoApproved => (
            AUTO_APPROVED,
            "Your timesheet is approved".to_owned(),
            format!(
                "Your timesheet for {line} was approved automatically: your times matched the \
                 booked shift. The bank office now approves it for payment."
            ),
        ),
        Decision::Queried => (
            QUERIED,
            "Your timesheet has been queried".to_owned(),
            format!(
                "Your timesheet for {line} has been queried: {}. Please check it and send it \
                 again in staffbank.",
                t.query_reason.as_deref().unwrap_or("no reason was given")
            ),
        ),
    };
    let m = Message::from_paragraphs(
        kind,
        to,
        subject,
        &[format!("Dear {},", w.given_name), said],
    );
    outbox::enqueue(conn, clock, &m, Some(&key(kind, t, None))).await?;
    Ok(())
}
