//! What a collaborative bank's system admins audit: every cross-organisation look at any of its
//! workers' records (the access log, newest first), and what passporting saved — how many checks
//! were accepted from another trust's passport rather than done again.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use staffbank_bank::entity::{access_log_entry, worker};
use staffbank_bank::organisation;
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Role};
use uuid::Uuid;

use crate::entity::{acceptance, passport};
use crate::error::{Result, validation};

/// Checks not redone, and the rest, over a bank or one trust.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Savings {
    /// Passports issued.
    pub passports_issued: u64,
    /// Acceptance decisions made.
    pub acceptances: u64,
    /// Items accepted: checks and training not redone.
    pub checks_accepted: i64,
    /// Items that needed a local check.
    pub checks_needing_local_check: i64,
    /// Items rejected.
    pub checks_rejected: i64,
}

/// What passporting saved in a bank (its system admins), or at one of its trusts (also that
/// trust's HR and admins): counted over the decisions made by the accepting trusts.
///
/// # Errors
/// Not found; forbidden; validation (a trust of another bank).
pub async fn savings(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
    trust_id: Option<Uuid>,
) -> Result<Savings> {
    let sys = organisation::system(conn, system_id).await?;
    let trusts: Vec<Uuid> = match trust_id {
        Some(t) => {
            let t = organisation::authorize_at_trust(conn, actor, t, &[Role::Hr, Role::TrustAdmin])
                .await?;
            if t.system_id != sys.id {
                return Err(validation(
                    "the trust belongs to another collaborative bank",
                ));
            }
            vec![t.id]
        }
        None => {
            actor.require_system_admin(sys.id)?;
            organisation::trusts_of(conn, sys.id)
                .await?
                .into_iter()
                .map(|t| t.id)
                .collect()
        }
    };
    let passports_issued = passport::Entity::find()
        .filter(passport::Column::IssuerTrustId.is_in(trusts.clone()))
        .count(conn)
        .await?;
    let counts: Vec<(i32, i32, i32)> = acceptance::Entity::find()
        .select_only()
        .column(acceptance::Column::AcceptedCount)
        .column(acceptance::Column::LocalCheckCount)
        .column(acceptance::Column::RejectedCount)
        .filter(acceptance::Column::TrustId.is_in(trusts))
        .into_tuple()
        .all(conn)
        .await?;
    let mut s = Savings {
        passports_issued,
        acceptances: counts.len() as u64,
        ..Savings::default()
    };
    for (a, l, r) in counts {
        s.checks_accepted += i64::from(a);
        s.checks_needing_local_check += i64::from(l);
        s.checks_rejected += i64::from(r);
    }
    Ok(s)
}

/// The access log of every worker of a bank, newest first (its system admins).
///
/// # Errors
/// Not found; forbidden; invalid cursor.
pub async fn access_log(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
    page: &PageRequest,
) -> Result<Page<access_log_entry::Model>> {
    let sys = organisation::system(conn, system_id).await?;
    actor.require_system_admin(sys.id)?;
    let of_bank = worker::Entity::find()
        .select_only()
        .column(worker::Column::Id)
        .filter(worker::Column::SystemId.eq(sys.id))
        .into_query();
    let mut q = access_log_entry::Entity::find()
        .filter(access_log_entry::Column::WorkerId.in_subquery(of_bank));
    if let Some(after) = page.after_key()? {
        let after: Uuid = after
            .parse()
            .map_err(|_| validation("invalid pagination cursor"))?;
        q = q.filter(access_log_entry::Column::Id.lt(after));
    }
    let rows = q
        .order_by_desc(access_log_entry::Column::Id)
        .limit(page.first + 1)
        .all(conn)
        .await?;
    Ok(Page::from_rows(rows, page.first, |r| r.id.to_string()))
}
