//! Memberships: the trusts at which a worker is engaged, whether they are active there, and the
//! worker's consent to each engagement.
//!
//! Consent (issue 11): the worker's home trust — where they registered or were created — engages
//! them from the start. Any other trust of the collaborative bank only *proposes*: its bank office
//! or HR asks, the worker is emailed, and the worker accepts or declines. Only an accepted
//! engagement lets the trust see the worker's full record ([`find`] and the visibility rules read
//! nothing else); until then, after a decline, and once the worker ends it, the trust sees what
//! every trust of the bank sees (name, staff group, grade, skills) and what a passport the worker
//! shared with it holds. Every step is an event row (`membership_events`), never overwritten, and
//! the answer is read from the database on every request, so an ended engagement ends at once on
//! every replica.
//!
//! What consent does *not* change: the trust's own standing decisions (`state`: suspended,
//! dormant) keep applying to booking at that trust whatever the consent, so ending an engagement
//! is no way round a suspension; and a worker who is not engaged at a trust can still book its
//! shifts once they reach the whole collaborative bank, like any other bank worker, but is not in
//! its "own trust" tier.

use std::fmt;

use sea_orm::entity::prelude::StringLen;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use staffbank_core::{Actor, Clock, Email, Role, db, new_id};
use staffbank_notify::outbox;
use uuid::Uuid;

use crate::access::authorize_at_trust;
use crate::engagement_mail;
use crate::entity::{membership, membership_event};
use crate::error::{Result, conflict, forbidden, not_found, validation};
use crate::visibility::{Access, Look};
use crate::workers;

/// A worker's standing at a trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MembershipState {
    /// May work there.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Stopped by the trust (e.g. pending an investigation).
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    /// No shift for a long time; must reconfirm before booking.
    #[sea_orm(string_value = "DORMANT")]
    Dormant,
}

impl fmt::Display for MembershipState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Where a worker's consent to an engagement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Consent {
    /// The trust has asked; the worker has not answered.
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// The worker accepted (or it is their home trust): the trust sees their full record.
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    /// The worker said no.
    #[sea_orm(string_value = "DECLINED")]
    Declined,
    /// The worker ended an accepted engagement.
    #[sea_orm(string_value = "ENDED")]
    Ended,
}

impl fmt::Display for Consent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Events of an engagement's history.
const HOME: &str = "HOME";
const PROPOSED: &str = "PROPOSED";
const ACCEPTED: &str = "ACCEPTED";
const DECLINED: &str = "DECLINED";
const ENDED: &str = "ENDED";

async fn event(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    membership_id: Uuid,
    kind: &str,
) -> Result<membership_event::Model> {
    Ok(membership_event::ActiveModel {
        id: Set(new_id()),
        membership_id: Set(membership_id),
        event: Set(kind.to_owned()),
        actor_account_id: Set(actor.account_id()),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?)
}

/// The home trust's engagement of a worker it has just created: accepted from the start.
pub(crate) async fn insert_home(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    let now = clock.now();
    let row = membership::ActiveModel {
        id: Set(new_id()),
        worker_id: Set(worker_id),
        trust_id: Set(trust_id),
        state: Set(MembershipState::Active),
        state_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        consent: Set(Consent::Accepted),
        proposed_by: Set(None),
        decided_at: Set(Some(now)),
        ended_at: Set(None),
    }
    .insert(conn)
    .await?;
    event(conn, clock, actor, row.id, HOME).await?;
    Ok(row)
}

/// A trust of the worker's collaborative bank (its bank office or HR) asks to engage them: a
/// proposal the worker accepts or declines, emailed to them in the same transaction. Asking again
/// after a decline or an end is a new proposal (the earlier answer stays in the history).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (another bank); conflict (already engaged, or already asked
/// and not yet answered).
pub async fn engage(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    public_url: &str,
) -> Result<membership::Model> {
    db::write(db, |tx| {
        Box::pin(async move { engage_in(&tx, clock, actor, worker_id, trust_id, public_url).await })
    })
    .await
}

/// The work of [`engage`], in the caller's transaction.
///
/// # Errors
/// As [`engage`].
pub async fn engage_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    public_url: &str,
) -> Result<membership::Model> {
    let t = authorize_at_trust(tx, actor, trust_id, &[Role::BankOffice, Role::Hr]).await?;
    let w = workers::get(tx, worker_id).await?;
    if w.system_id != t.system_id {
        return Err(validation(
            "the worker belongs to another collaborative bank",
        ));
    }
    let now = clock.now();
    let row = match record(tx, worker_id, trust_id).await? {
        Some(m) => match m.consent {
            Consent::Accepted => {
                return Err(conflict("the worker is already engaged at this trust"));
            }
            Consent::Proposed => {
                return Err(conflict(
                    "this trust has already asked the worker and is waiting for their answer",
                ));
            }
            Consent::Declined | Consent::Ended => {
                let mut a: membership::ActiveModel = m.into();
                a.consent = Set(Consent::Proposed);
                a.proposed_by = Set(actor.account_id());
                a.decided_at = Set(None);
                a.ended_at = Set(None);
                a.updated_at = Set(now);
                a.update(tx).await?
            }
        },
        None => {
            membership::ActiveModel {
                id: Set(new_id()),
                worker_id: Set(worker_id),
                trust_id: Set(trust_id),
                state: Set(MembershipState::Active),
                state_reason: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                consent: Set(Consent::Proposed),
                proposed_by: Set(actor.account_id()),
                decided_at: Set(None),
                ended_at: Set(None),
            }
            .insert(tx)
            .await?
        }
    };
    let e = event(tx, clock, actor, row.id, PROPOSED).await?;
    let to = Email::parse(&w.email)?;
    let message = engagement_mail::proposed(&to, &w.given_name, &t.name, public_url);
    outbox::enqueue(
        tx,
        clock,
        &message,
        Some(&engagement_mail::proposed_key(e.id)),
    )
    .await?;
    Ok(row)
}

/// Loads the worker's membership at a trust for the worker's own answer: only the worker (or the
/// service, loading demo data) may answer.
async fn for_worker(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    if actor.worker_id() != Some(worker_id) && !actor.is_service() {
        return Err(forbidden("only the worker can answer or end an engagement"));
    }
    record(conn, worker_id, trust_id)
        .await?
        .ok_or_else(|| not_found("engagement"))
}

async fn answer_proposal(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    m: membership::Model,
    to: Consent,
    kind: &str,
) -> Result<membership::Model> {
    if m.consent != Consent::Proposed {
        return Err(conflict(format!(
            "there is no request from this trust to answer (the engagement is {})",
            m.consent
        )));
    }
    answer(conn, clock, actor, m, to, kind).await
}

/// Moves an engagement from the consent it was read with to `to`, and records the step. The
/// change applies only if nobody moved it meanwhile (two answers at once: the second is a
/// conflict, and one event is recorded).
async fn answer(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    m: membership::Model,
    to: Consent,
    kind: &str,
) -> Result<membership::Model> {
    let now = clock.now();
    let stamp = if to == Consent::Ended {
        membership::Column::EndedAt
    } else {
        membership::Column::DecidedAt
    };
    let changed = membership::Entity::update_many()
        .col_expr(membership::Column::Consent, Expr::value(to))
        .col_expr(stamp, Expr::value(Some(now)))
        .col_expr(membership::Column::UpdatedAt, Expr::value(now))
        .filter(membership::Column::Id.eq(m.id))
        .filter(membership::Column::Consent.eq(m.consent))
        .exec(conn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(conflict(
            "this engagement was answered meanwhile; look again",
        ));
    }
    event(conn, clock, actor, m.id, kind).await?;
    membership::Entity::find_by_id(m.id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("engagement"))
}

/// The worker accepts a trust's proposal: from now on that trust sees their full record (and its
/// looks are logged).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden for anyone but the worker; not found; conflict when there is no open proposal.
pub async fn accept(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    db::write(db, |tx| {
        Box::pin(async move { accept_in(&tx, clock, actor, worker_id, trust_id).await })
    })
    .await
}

/// The work of [`accept`], in the caller's transaction.
async fn accept_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    let m = for_worker(tx, actor, worker_id, trust_id).await?;
    answer_proposal(tx, clock, actor, m, Consent::Accepted, ACCEPTED).await
}

/// The worker declines a trust's proposal: the trust goes on seeing only the bank-wide summary.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// As [`accept`].
pub async fn decline(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    db::write(db, |tx| {
        Box::pin(async move { decline_in(&tx, clock, actor, worker_id, trust_id).await })
    })
    .await
}

/// The work of [`decline`], in the caller's transaction.
async fn decline_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    let m = for_worker(tx, actor, worker_id, trust_id).await?;
    answer_proposal(tx, clock, actor, m, Consent::Declined, DECLINED).await
}

/// The worker ends an accepted engagement: at once the trust sees only the bank-wide summary again.
/// Their home trust cannot be ended here (it holds the record they registered with).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden for anyone but the worker; not found; validation for the home trust; conflict when
/// the engagement is not accepted.
pub async fn end(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    db::write(db, |tx| {
        Box::pin(async move { end_in(&tx, clock, actor, worker_id, trust_id).await })
    })
    .await
}

/// The work of [`end`], in the caller's transaction.
async fn end_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    let m = for_worker(tx, actor, worker_id, trust_id).await?;
    let w = workers::get(tx, worker_id).await?;
    if w.home_trust_id == trust_id {
        return Err(validation(
            "your home trust registered you and keeps your record: ask its bank office if you \
             want to leave the bank",
        ));
    }
    if m.consent != Consent::Accepted {
        return Err(conflict(format!(
            "only an accepted engagement can be ended (this one is {})",
            m.consent
        )));
    }
    answer(tx, clock, actor, m, Consent::Ended, ENDED).await
}

/// Changes a worker's standing at a trust (its bank office or HR), with a reason unless active.
/// The standing is the trust's own decision, so it can be set whatever the worker's consent.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (missing reason).
pub async fn set_state(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    state: MembershipState,
    reason: Option<&str>,
) -> Result<membership::Model> {
    db::write(db, |tx| {
        Box::pin(async move {
            set_state_in(&tx, clock, actor, worker_id, trust_id, state, reason).await
        })
    })
    .await
}

/// The work of [`set_state`], in the caller's transaction.
async fn set_state_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    state: MembershipState,
    reason: Option<&str>,
) -> Result<membership::Model> {
    authorize_at_trust(tx, actor, trust_id, &[Role::BankOffice, Role::Hr]).await?;
    let m = record(tx, worker_id, trust_id)
        .await?
        .ok_or_else(|| not_found("membership"))?;
    let reason = staffbank_core::text::limits::REASON_TEXT.optional(reason)?;
    let reason = reason.as_deref();
    if state != MembershipState::Active && reason.is_none() {
        return Err(validation(format!(
            "a reason is needed to make a worker {state}"
        )));
    }
    let mut active: membership::ActiveModel = m.into();
    active.state = Set(state);
    active.state_reason = Set(reason.map(str::to_owned));
    active.updated_at = Set(clock.now());
    Ok(active.update(tx).await?)
}

/// A worker's engagement at a trust, when the worker has consented to it (accepted, or it is
/// their home trust) and not ended it. This is what "engaged" means everywhere: a proposal, a
/// declined or an ended engagement is none.
///
/// # Errors
/// Database errors.
pub async fn find(
    conn: &impl ConnectionTrait,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkerId.eq(worker_id))
        .filter(membership::Column::TrustId.eq(trust_id))
        .filter(membership::Column::Consent.eq(Consent::Accepted))
        .one(conn)
        .await?)
}

/// The ids of the workers engaged at `trust_id` (they accepted working there), as a query to use
/// as a subquery (`worker::Column::Id.in_subquery(engaged_at(t).into_query())`) or to narrow
/// further.
#[must_use]
pub fn engaged_at(trust_id: Uuid) -> Select<membership::Entity> {
    membership::Entity::find()
        .select_only()
        .column(membership::Column::WorkerId)
        .filter(membership::Column::TrustId.eq(trust_id))
        .filter(membership::Column::Consent.eq(Consent::Accepted))
}

/// A worker's membership row at a trust whatever its consent (proposed, declined, ended too).
///
/// # Errors
/// Database errors.
pub async fn record(
    conn: &impl ConnectionTrait,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkerId.eq(worker_id))
        .filter(membership::Column::TrustId.eq(trust_id))
        .one(conn)
        .await?)
}

/// The memberships of these workers, whatever their consent (for batched loading; no checks).
///
/// # Errors
/// Database errors.
pub async fn of_workers(
    conn: &impl ConnectionTrait,
    worker_ids: &[Uuid],
) -> Result<Vec<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkerId.is_in(worker_ids.iter().copied()))
        .order_by_asc(membership::Column::Id)
        .all(conn)
        .await?)
}

/// This trust's own engagements of these workers, whatever their consent (one query): what its
/// staff may know of their own requests — asked and waiting, accepted, declined, ended — so a
/// bank office can tell "we asked; waiting for them" from "never asked". Nothing about the
/// worker's other trusts: only rows of `trust_id`, and only to its staff.
///
/// # Errors
/// Forbidden unless the caller is staff of the trust.
pub async fn of_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    worker_ids: &[Uuid],
) -> Result<Vec<membership::Model>> {
    authorize_at_trust(conn, actor, trust_id, &crate::visibility::TRUST_STAFF).await?;
    if worker_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(membership::Entity::find()
        .filter(membership::Column::TrustId.eq(trust_id))
        .filter(membership::Column::WorkerId.is_in(worker_ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The memberships of several workers that each look may see (one query): the worker (and the
/// service) see every one, proposals, declined and ended ones included; staff of a trust engaging
/// the worker see the accepted engagements only (whom else the worker turned down is the worker's
/// business); a summary sees none.
///
/// # Errors
/// Database errors.
pub async fn visible_of(
    conn: &impl ConnectionTrait,
    looks: &[Look],
) -> Result<Vec<membership::Model>> {
    let ids: Vec<Uuid> = looks
        .iter()
        .filter(|l| l.access.is_full())
        .map(|l| l.worker_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(of_workers(conn, &ids)
        .await?
        .into_iter()
        .filter(|m| {
            looks.iter().any(|l| {
                l.worker_id == m.worker_id
                    && match l.access {
                        Access::Own | Access::Service => true,
                        Access::Engaged { .. } => m.consent == Consent::Accepted,
                        Access::Summary => false,
                    }
            })
        })
        .collect())
}

/// The history of these memberships, oldest first (for batched loading; callers check access).
///
/// # Errors
/// Database errors.
pub async fn events_of(
    conn: &impl ConnectionTrait,
    membership_ids: &[Uuid],
) -> Result<Vec<membership_event::Model>> {
    Ok(membership_event::Entity::find()
        .filter(membership_event::Column::MembershipId.is_in(membership_ids.iter().copied()))
        .order_by_asc(membership_event::Column::At)
        .order_by_asc(membership_event::Column::Id)
        .all(conn)
        .await?)
}
