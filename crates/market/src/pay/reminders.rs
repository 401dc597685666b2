//! Reminders to approvers: a timesheet waiting more than 48 hours for its ward manager brings an
//! email to the ward's managers, and another every further 48 hours it waits. Each reminder goes
//! once (keyed by timesheet, submission and how many 48-hour spells it has waited), so running the
//! job again, after a restart or on several replicas, sends nothing twice.

use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use staffbank_bank::{estate, workers};
use staffbank_core::entity::{account, role_grant};
use staffbank_core::{Clock, Email, Role, db, jobs};
use staffbank_notify::{Message, outbox};

use crate::entity::timesheet;
use crate::error::{Error, Result};
use crate::pay::timesheets::TimesheetState;

/// How long a timesheet may wait before the approvers are reminded.
pub const WAITING_HOURS: i64 = 48;
/// Kind of the reminder email.
pub const REMINDER: &str = "timesheet.waiting";
/// The job's name in logs and metrics.
pub const JOB: &str = "timesheet_reminders";

/// Sends the reminders due, timesheet by timesheet (one that fails is logged and counted with
/// [`jobs::row_failed`], and the others go on); returns how many were enqueued.
///
/// # Errors
/// Database errors finding the timesheets waiting.
pub async fn run(db: &DatabaseConnection, clock: &dyn Clock) -> Result<u64> {
    let now = clock.now();
    let waiting = timesheet::Entity::find()
        .filter(timesheet::Column::State.eq(TimesheetState::Submitted))
        .filter(timesheet::Column::SubmittedAt.lte(now - Duration::hours(WAITING_HOURS)))
        .all(db)
        .await?;
    let mut sent = 0;
    for t in waiting {
        let t = &t;
        let one = db::write(db, |tx| {
            Box::pin(async move {
                let spells = (clock.now() - t.submitted_at).num_hours() / WAITING_HOURS;
                let w = workers::get(&*tx, t.worker_id).await?;
                let ward = estate::ward(&*tx, t.ward_id).await?;
                let managers: Vec<uuid::Uuid> = role_grant::Entity::find()
                    .filter(role_grant::Column::Role.eq(Role::WardManager))
                    .filter(role_grant::Column::TrustId.eq(t.trust_id))
                    .all(&*tx)
                    .await?
                    .into_iter()
                    .filter(|g| g.ward_id.is_none_or(|id| id == t.ward_id))
                    .map(|g| g.account_id)
                    .collect();
                let people = account::Entity::find()
                    .filter(account::Column::Id.is_in(managers))
                    .filter(account::Column::DisabledAt.is_null())
                    .all(&*tx)
                    .await?;
                let mut n = 0;
                for p in people {
                    let Ok(to) = Email::parse(&p.email) else { continue };
                    let hours = (clock.now() - t.submitted_at).num_hours();
                    let m = Message::from_paragraphs(
                        REMINDER,
                        to,
                        format!("A timesheet on {} has waited {hours} hours", ward.name),
                        &[
                            format!(
                                "{} {} submitted a timesheet for {} to {} on {}, and it has waited {hours} hours for approval.",
                                w.given_name, w.family_name, t.started_at, t.ended_at, ward.name
                            ),
                            "Bank workers are paid only once their timesheets are approved: please approve it, \
                             or query it with a reason, in staffbank."
                                .to_owned(),
                        ],
                    );
                    let key = format!("{REMINDER}:{}:{}:{spells}:{}", t.id, t.submitted_at.timestamp(), p.id);
                    if outbox::enqueue(&*tx, clock, &m, Some(&key)).await.map_err(staffbank_bank::Error::from)? {
                        n += 1;
                    }
                }
                Ok::<u64, Error>(n)
            })
        })
        .await;
        match one {
            Ok(n) => sent += n,
            Err(e) => jobs::row_failed(JOB, t.id, &e),
        }
    }
    Ok(sent)
}
