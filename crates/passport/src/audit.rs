//! What a collaborative bank's system admins audit: every cross-organisation look at any of its
//! workers' records (the access log, newest first), and what passporting saved — how many checks
//! were accepted from another trust's passport rather than done again.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use staffbank_bank::entity::{access_log_entry, worker};
use staffbank_bank::organisation;
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::time::day_bounds;
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
            let t = staffbank_bank::access::authorize_at_trust(
                conn,
                actor,
                t,
                &[Role::Hr, Role::TrustAdmin],
            )
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

/// Why an organisation could look at a worker's details: the purposes the access log records.
pub const PURPOSES: &[&str] = &[
    "ENGAGED_AT_TRUST",
    "PASSPORT_SHARED",
    "PASSPORT_ISSUER",
    "PASSPORT_PRESENTED",
    "COMPLIANCE_CHECK",
    "BANK_ADMINISTRATION",
];

/// Which looks of the access audit to list; every field narrows it, none lists every look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only looks made for this trust (one of the bank's).
    pub trust_id: Option<Uuid>,
    /// Only looks at this worker's details (one of the bank's).
    pub worker_id: Option<Uuid>,
    /// Only looks with this purpose (one of [`PURPOSES`]).
    pub purpose: Option<String>,
    /// Only looks on or after this London day.
    pub from: Option<NaiveDate>,
    /// Only looks on or before this London day.
    pub to: Option<NaiveDate>,
}

/// The access log of every worker of a bank, newest first (its system admins), narrowed by
/// `filter`.
///
/// # Errors
/// Not found; forbidden; validation (a trust or worker of another bank, an unknown purpose, a
/// last day before the first); invalid cursor.
pub async fn access_log(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
    filter: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<access_log_entry::Model>> {
    let sys = organisation::system(conn, system_id).await?;
    actor.require_system_admin(sys.id)?;
    if let Some(p) = &filter.purpose
        && !PURPOSES.contains(&p.as_str())
    {
        return Err(validation(format!(
            "the purpose must be one of {}",
            PURPOSES.join(", ")
        )));
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        return Err(validation(
            "the last day must be the same as or after the first day",
        ));
    }
    if let Some(t) = filter.trust_id {
        let in_bank = organisation::trusts_of(conn, sys.id)
            .await?
            .iter()
            .any(|x| x.id == t);
        if !in_bank {
            return Err(validation(
                "the trust is not a member of this collaborative bank",
            ));
        }
    }
    if let Some(w) = filter.worker_id {
        let in_bank = worker::Entity::find_by_id(w)
            .filter(worker::Column::SystemId.eq(sys.id))
            .count(conn)
            .await?
            > 0;
        if !in_bank {
            return Err(validation("the worker is not in this collaborative bank"));
        }
    }
    let of_bank = worker::Entity::find()
        .select_only()
        .column(worker::Column::Id)
        .filter(worker::Column::SystemId.eq(sys.id))
        .into_query();
    let mut q = access_log_entry::Entity::find()
        .filter(access_log_entry::Column::WorkerId.in_subquery(of_bank));
    if let Some(t) = filter.trust_id {
        q = q.filter(access_log_entry::Column::ViewerTrustId.eq(t));
    }
    if let Some(w) = filter.worker_id {
        q = q.filter(access_log_entry::Column::WorkerId.eq(w));
    }
    if let Some(p) = &filter.purpose {
        q = q.filter(access_log_entry::Column::Purpose.eq(p.as_str()));
    }
    let Some((lower, upper)) = day_bounds(filter.from, filter.to) else {
        return Ok(Page::from_rows(
            Vec::new(),
            page.first,
            |r: &access_log_entry::Model| r.id.to_string(),
        ));
    };
    if let Some(lower) = lower {
        q = q.filter(access_log_entry::Column::At.gte(lower));
    }
    if let Some(upper) = upper {
        q = q.filter(access_log_entry::Column::At.lt(upper));
    }
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
