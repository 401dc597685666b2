//! The checks waiting for a trust's HR: the pending credentials of the workers engaged at the
//! trust, oldest first, so the longest wait is seen first. Only HR of the trust may read it; each
//! worker whose credentials a page shows from a trust other than their home trust has the look
//! written to their access log, as any other read of their credentials.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Clock, Role, StaffGroup};
use uuid::Uuid;

use crate::access::authorize_at_trust;
use crate::catalogue;
use crate::credentials::CredentialStatus;
use crate::entity::{credential, membership, worker};
use crate::error::{Result, validation};
use crate::visibility::{self, Access, Look, Viewed};
use crate::workers;

/// Which waiting credentials to list.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only this credential kind (a code such as `DBS_ENHANCED`).
    pub kind: Option<String>,
    /// Only workers of this staff group.
    pub staff_group: Option<StaffGroup>,
}

/// A page of the credentials awaiting verification at `trust_id`, oldest first, each with its
/// worker.
///
/// # Errors
/// Not found (a trust of another bank); forbidden (not HR of the trust); validation (an unknown
/// kind, a bad cursor).
pub async fn awaiting_verification(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    filter: &QueueFilter,
    page: &PageRequest,
) -> Result<Page<(credential::Model, worker::Model)>> {
    authorize_at_trust(conn, actor, trust_id, &[Role::Hr]).await?;
    // Credential details are for the trust's own HR: a system admin of the bank sees workers only
    // in summary, so is refused here too.
    if !actor.has_trust_role(Role::Hr, trust_id) && !actor.is_service() {
        return Err(staffbank_core::actor::forbidden_for(&[Role::Hr], "this trust").into());
    }
    let kind = filter
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(catalogue::kind)
        .transpose()?;
    let mut engaged = crate::membership::engaged_at(trust_id);
    if let Some(g) = filter.staff_group {
        let of_group = worker::Entity::find()
            .select_only()
            .column(worker::Column::Id)
            .filter(worker::Column::StaffGroup.eq(g))
            .into_query();
        engaged = engaged.filter(membership::Column::WorkerId.in_subquery(of_group));
    }
    let mut q = credential::Entity::find()
        .filter(credential::Column::Status.eq(CredentialStatus::Pending))
        .filter(credential::Column::WorkerId.in_subquery(engaged.into_query()));
    if let Some(k) = kind {
        q = q.filter(credential::Column::Kind.eq(k.code));
    }
    if let Some(after) = page.after_key()? {
        let after: Uuid = after
            .parse()
            .map_err(|_| validation("invalid pagination cursor"))?;
        q = q.filter(credential::Column::Id.gt(after));
    }
    // Ids are time-ordered (UUID v7): ascending is the order they were recorded in.
    let rows = q
        .order_by_asc(credential::Column::Id)
        .limit(page.first + 1)
        .all(conn)
        .await?;
    let page = Page::from_rows(rows, page.first, |c| c.id.to_string());
    let mut ids: Vec<Uuid> = page.items.iter().map(|(_, c)| c.worker_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let found = workers::by_ids(conn, &ids).await?;
    let looks: Vec<Look> = found
        .iter()
        .map(|w| Look::at(w, Access::Engaged { trust_id }))
        .collect();
    visibility::log_views(conn, clock, actor, &looks, Viewed::Credentials).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for (cursor, c) in page.items {
        if let Some(w) = found.iter().find(|w| w.id == c.worker_id) {
            items.push((cursor, (c, w.clone())));
        }
    }
    Ok(Page {
        items,
        has_next_page: page.has_next_page,
    })
}
