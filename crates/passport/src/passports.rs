//! The passport record: its status, its history (every change is an event row), and who may see
//! it. The worker sees their own; HR of the issuing trust, of a trust engaging the worker, or of a
//! trust the worker has shared it with may see it; nobody else. Every look by a trust other than
//! the worker's home trust is written to the worker's access log with its purpose.

use std::fmt;

use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::visibility::{self, Viewed};
use staffbank_bank::{membership, workers};
use staffbank_core::{Actor, Clock, Role, new_id};
use uuid::Uuid;

use crate::entity::{passport, passport_event, passport_share};
use crate::error::{Result, forbidden, not_found};

/// A passport's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum PassportStatus {
    /// Valid (within its dates).
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Suspended by the issuer for now.
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
    /// Revoked by the issuer for good.
    #[sea_orm(string_value = "REVOKED")]
    Revoked,
}

impl fmt::Display for PassportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Writes one event of a passport's history.
///
/// # Errors
/// Database errors.
pub async fn event(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    kind: &str,
    trust_id: Option<Uuid>,
    reason: Option<&str>,
) -> Result<()> {
    passport_event::ActiveModel {
        id: Set(new_id()),
        passport_id: Set(passport_id),
        event: Set(kind.to_owned()),
        actor_account_id: Set(actor.account_id()),
        trust_id: Set(trust_id),
        reason: Set(reason.map(str::to_owned)),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// One passport, without checks (for functions that check themselves).
///
/// # Errors
/// Not found.
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<passport::Model> {
    passport::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("passport"))
}

/// Why the caller may see a passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The worker themself.
    Worker,
    /// The service.
    Service,
    /// HR of the issuing trust.
    Issuer(Uuid),
    /// HR of a trust the worker has shared it with.
    SharedWith(Uuid),
    /// HR of a trust engaging the worker.
    Engaged(Uuid),
}

impl Viewer {
    /// The trust the caller looks for, if any.
    #[must_use]
    pub fn trust_id(self) -> Option<Uuid> {
        match self {
            Self::Issuer(t) | Self::SharedWith(t) | Self::Engaged(t) => Some(t),
            Self::Worker | Self::Service => None,
        }
    }

    fn purpose(self) -> &'static str {
        match self {
            Self::Issuer(_) => "PASSPORT_ISSUER",
            Self::SharedWith(_) => "PASSPORT_SHARED",
            Self::Engaged(_) => "ENGAGED_AT_TRUST",
            Self::Worker | Self::Service => "OWN",
        }
    }
}

/// The active share of a passport with a trust, if any.
///
/// # Errors
/// Database errors.
pub async fn active_share(
    conn: &impl ConnectionTrait,
    passport_id: Uuid,
    trust_id: Uuid,
) -> Result<Option<passport_share::Model>> {
    Ok(passport_share::Entity::find()
        .filter(passport_share::Column::PassportId.eq(passport_id))
        .filter(passport_share::Column::TrustId.eq(trust_id))
        .filter(passport_share::Column::WithdrawnAt.is_null())
        .one(conn)
        .await?)
}

/// Decides whether the caller may see `p`, acting for `for_trust` when given (otherwise for any
/// trust at which they are HR).
///
/// # Errors
/// Forbidden, saying that the worker has not shared it.
pub async fn viewer(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    p: &passport::Model,
    for_trust: Option<Uuid>,
) -> Result<Viewer> {
    if actor.worker_id() == Some(p.worker_id) {
        return Ok(Viewer::Worker);
    }
    if actor.is_service() {
        return Ok(Viewer::Service);
    }
    let trusts: Vec<Uuid> = actor
        .trusts_with(&[Role::Hr])
        .into_iter()
        .filter(|t| for_trust.is_none_or(|f| f == *t))
        .collect();
    if trusts.contains(&p.issuer_trust_id) {
        return Ok(Viewer::Issuer(p.issuer_trust_id));
    }
    for t in &trusts {
        if active_share(conn, p.id, *t).await?.is_some() {
            return Ok(Viewer::SharedWith(*t));
        }
    }
    for t in &trusts {
        if membership::find(conn, p.worker_id, *t).await?.is_some() {
            return Ok(Viewer::Engaged(*t));
        }
    }
    Err(forbidden(
        "the worker has not shared this passport with your trust (HR of a trust the worker \
         shares it with, or that engages them, may see it)",
    ))
}

/// Writes a look at a passport to the worker's access log, unless it is the worker's own look or
/// one by their home trust.
///
/// # Errors
/// Database errors.
pub async fn log_look(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    viewer: Viewer,
) -> Result<()> {
    let Some(trust_id) = viewer.trust_id() else {
        return Ok(());
    };
    let w = workers::get(conn, worker_id).await?;
    if w.home_trust_id == trust_id {
        return Ok(());
    }
    visibility::log_view(
        conn,
        clock,
        actor,
        worker_id,
        Some(trust_id),
        Viewed::Passport,
        viewer.purpose(),
    )
    .await?;
    Ok(())
}

/// One passport for the caller (logged when it is a cross-organisation look).
///
/// # Errors
/// Not found; forbidden.
pub async fn fetch(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
    for_trust: Option<Uuid>,
) -> Result<(passport::Model, Viewer)> {
    let p = get(conn, id).await?;
    let v = viewer(conn, actor, &p, for_trust).await?;
    log_look(conn, clock, actor, p.worker_id, v).await?;
    Ok((p, v))
}

/// A worker's passports, newest first: all for the worker themself; for HR, those they may see
/// (each look logged).
///
/// # Errors
/// Not found; database errors.
pub async fn of_worker(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
) -> Result<Vec<passport::Model>> {
    workers::get(conn, worker_id).await?;
    let rows = passport::Entity::find()
        .filter(passport::Column::WorkerId.eq(worker_id))
        .order_by_desc(passport::Column::Id)
        .all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        if let Ok(v) = viewer(conn, actor, &p, None).await {
            log_look(conn, clock, actor, p.worker_id, v).await?;
            out.push(p);
        }
    }
    Ok(out)
}

/// The history of passports (for batched loading; callers check access).
///
/// # Errors
/// Database errors.
pub async fn events_of(
    conn: &impl ConnectionTrait,
    passport_ids: &[Uuid],
) -> Result<Vec<passport_event::Model>> {
    Ok(passport_event::Entity::find()
        .filter(passport_event::Column::PassportId.is_in(passport_ids.iter().copied()))
        .order_by_asc(passport_event::Column::Id)
        .all(conn)
        .await?)
}

/// The shares of passports, newest first (for batched loading; callers check access).
///
/// # Errors
/// Database errors.
pub async fn shares_of(
    conn: &impl ConnectionTrait,
    passport_ids: &[Uuid],
) -> Result<Vec<passport_share::Model>> {
    Ok(passport_share::Entity::find()
        .filter(passport_share::Column::PassportId.is_in(passport_ids.iter().copied()))
        .order_by_desc(passport_share::Column::Id)
        .all(conn)
        .await?)
}

/// Verifies a token presented to the caller (online), and logs the look when the passport is
/// genuine and the caller is not its worker: who, for which trust (`for_trust`, which must be a
/// trust where the caller holds a role, or else the trust at which the caller is HR), purpose
/// `PASSPORT_PRESENTED`. Anyone holding the token may verify it,
/// as they could offline; what the token shows is what the worker handed over.
///
/// # Errors
/// Forbidden when `for_trust` is a trust at which the caller holds no role; database errors; a
/// passport that fails is an `Ok` answer listing why.
pub async fn verify_as(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    public_url: &str,
    token: &str,
    for_trust: Option<Uuid>,
) -> Result<crate::verify::Verification> {
    // The trust the look is logged for comes from the caller's own roles: naming a trust at which
    // they hold none is refused before anything is verified or logged.
    let trust = visibility::viewer_trust(actor, for_trust)?;
    let v = crate::verify::verify_online(conn, public_url, token, clock.now()).await?;
    let worker_id = v
        .passport
        .as_ref()
        .and_then(|p| p.credential_subject.worker_id());
    if let Some(worker_id) = worker_id
        && actor.worker_id() != Some(worker_id)
        && workers::get(conn, worker_id).await.is_ok()
    {
        visibility::log_view(
            conn,
            clock,
            actor,
            worker_id,
            trust,
            Viewed::Passport,
            "PASSPORT_PRESENTED",
        )
        .await?;
    }
    Ok(v)
}
