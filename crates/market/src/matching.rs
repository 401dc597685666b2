//! Matching workers to a shift: the bank's workers as a ranked, paginated list — by default only
//! those eligible, best first; with `include_ineligible`, everyone, each with the reasons they may
//! not work it.
//!
//! For speed the database does the cheap filtering (staff group, grade, the bank, blocks and
//! suspensions at the trust, the open tier's audience), every candidate is scored from three
//! aggregate queries, and only as many candidates as the page needs are judged in full, in batches,
//! in rank order.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};
use staffbank_bank::entity::{membership, worker};
use staffbank_bank::membership::MembershipState;
use staffbank_bank::organisation::authorize_at_trust;
use staffbank_bank::{skills, workers};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Role};
use uuid::Uuid;

use crate::eligibility::{self, Mode, Reason, ShiftView};
use crate::entity::{preferred_worker, worker_restriction};
use crate::error::{Result, validation};
use crate::ranking::RankingFacts;
use crate::release_cascade::Audience;
use crate::restrictions::RestrictionKind;
use crate::shifts;

/// Roles that may look for workers for a trust's shifts.
pub const MATCHERS: [Role; 3] = [Role::BankOffice, Role::WardManager, Role::TrustAdmin];

/// Candidates judged in full per batch.
const BATCH: usize = 100;

/// One worker against one shift.
#[derive(Debug, Clone)]
pub struct Match {
    /// The worker.
    pub worker: worker::Model,
    /// Whether they may work it.
    pub eligible: bool,
    /// Their rank score, 0 to 100.
    pub score: i32,
    /// Why not, when not eligible.
    pub reasons: Vec<Reason>,
}

/// What ranking needs of a worker, read without the rest of their record: who they are, their
/// home trust, and whether they pass the quick checks (staff group, grade, skills).
#[derive(Debug, Clone, Copy)]
struct Light {
    id: Uuid,
    home_trust_id: Uuid,
    quick_pass: bool,
}

impl Light {
    /// Everyone in the bank, with the quick checks made here.
    async fn everyone(conn: &impl ConnectionTrait, view: &ShiftView) -> Result<Vec<Self>> {
        let rows: Vec<(Uuid, Uuid, String, String, serde_json::Value)> = worker::Entity::find()
            .select_only()
            .columns([
                worker::Column::Id,
                worker::Column::HomeTrustId,
                worker::Column::StaffGroup,
                worker::Column::Grade,
                worker::Column::Skills,
            ])
            .filter(worker::Column::SystemId.eq(view.shift.system_id))
            .into_tuple()
            .all(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, home_trust_id, group, grade, held)| {
                let held = skills::from_json(&held);
                Self {
                    id,
                    home_trust_id,
                    quick_pass: group == view.shift.staff_group
                        && view.grades.contains(&grade)
                        && view.skills.iter().all(|k| held.contains(k)),
                }
            })
            .collect())
    }
}

/// A candidate in rank order: whether they pass the quick checks, their score, the worker.
struct Candidate {
    quick_pass: bool,
    score: i32,
    id: Uuid,
}

impl Candidate {
    fn key(&self) -> String {
        format!("{}|{}|{}", u8::from(self.quick_pass), self.score, self.id)
    }

    /// Rank order: passing the quick checks first, then higher score, then id.
    fn rank(&self) -> (bool, i32, Uuid) {
        (!self.quick_pass, -self.score, self.id)
    }
}
fn parse_cursor(page: &PageRequest) -> Result<Option<(bool, i32, Uuid)>> {
    let Some(key) = page.after_key()? else {
        return Ok(None);
    };
    let bad = || validation("invalid pagination cursor");
    let mut parts = key.splitn(3, '|');
    let pass = parts.next().ok_or_else(bad)? == "1";
    let score: i32 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let id: Uuid = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    Ok(Some((!pass, -score, id)))
}

/// Workers that can pass the quick checks for the shift now: in the bank, of its staff group and
/// an accepted grade, not blocked or suspended at the trust, reached by the widest open tier.
async fn prefiltered(
    conn: &impl ConnectionTrait,
    view: &ShiftView,
    now: DateTime<Utc>,
) -> Result<Vec<Light>> {
    let s = &view.shift;
    let open: Vec<Audience> = view
        .tiers
        .iter()
        .filter(|t| t.opens_at <= now)
        .filter_map(|t| t.audience.parse::<Audience>().ok())
        .collect();
    let reached = if open.contains(&Audience::Collaborative) {
        None
    } else {
        let mut any = Condition::any();
        if open.contains(&Audience::Preferred) {
            any = any.add(
                worker::Column::Id.in_subquery(
                    preferred_worker::Entity::find()
                        .select_only()
                        .column(preferred_worker::Column::WorkerId)
                        .filter(preferred_worker::Column::WardId.eq(s.ward_id))
                        .into_query(),
                ),
            );
        }
        if open.contains(&Audience::OwnTrust) {
            any = any.add(
                worker::Column::Id.in_subquery(
                    membership::Entity::find()
                        .select_only()
                        .column(membership::Column::WorkerId)
                        .filter(membership::Column::TrustId.eq(s.trust_id))
                        .into_query(),
                ),
            );
        }
        if any.is_empty() {
            return Ok(Vec::new());
        }
        Some(any)
    };
    let blocked = worker_restriction::Entity::find()
        .select_only()
        .column(worker_restriction::Column::WorkerId)
        .filter(worker_restriction::Column::TrustId.eq(s.trust_id))
        .filter(worker_restriction::Column::Kind.eq(RestrictionKind::Blocked.as_str()))
        .filter(worker_restriction::Column::LiftedAt.is_null())
        .into_query();
    let stopped = membership::Entity::find()
        .select_only()
        .column(membership::Column::WorkerId)
        .filter(membership::Column::TrustId.eq(s.trust_id))
        .filter(membership::Column::State.is_in([
            MembershipState::Suspended.as_str(),
            MembershipState::Dormant.as_str(),
        ]))
        .into_query();
    let mut q = worker::Entity::find()
        .select_only()
        .columns([worker::Column::Id, worker::Column::HomeTrustId])
        .filter(worker::Column::SystemId.eq(s.system_id))
        .filter(worker::Column::StaffGroup.eq(&s.staff_group))
        .filter(worker::Column::Grade.is_in(view.grades.iter().cloned()))
        .filter(worker::Column::Id.not_in_subquery(blocked))
        .filter(worker::Column::Id.not_in_subquery(stopped));
    // Skills are codes of letters, digits and underscores stored as a JSON array, so a quoted code
    // in the array's text matches exactly that element, on both databases.
    for skill in &view.skills {
        q = q.filter(
            Expr::col(worker::Column::Skills)
                .cast_as("text")
                .like(format!("%\"{skill}\"%")),
        );
    }
    if let Some(reached) = reached {
        q = q.filter(reached);
    }
    let rows: Vec<(Uuid, Uuid)> = q.into_tuple().all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, home_trust_id)| Light {
            id,
            home_trust_id,
            quick_pass: true,
        })
        .collect())
}

/// Workers for a shift, best first, for the trust's bank office, ward managers or admins.
///
/// # Errors
/// Not found; forbidden; validation (cursor).
pub async fn eligible_workers(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    shift_id: Uuid,
    include_ineligible: bool,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<Match>> {
    let t0 = std::time::Instant::now();
    let s = shifts::get(conn, shift_id).await?;
    let trust_id = s.trust_id;
    let (_, mut views) = futures::try_join!(
        async {
            Ok::<_, crate::Error>(authorize_at_trust(conn, actor, trust_id, &MATCHERS).await?)
        },
        eligibility::views(conn, vec![s]),
    )?;
    let view = views
        .pop()
        .ok_or_else(|| crate::error::not_found("shift"))?;
    let t1 = t0.elapsed();
    // The pool and the ranking facts are independent reads: at once on a pool.
    let (pool, facts) = futures::try_join!(
        async {
            if include_ineligible {
                Light::everyone(conn, &view).await
            } else {
                prefiltered(conn, &view, now).await
            }
        },
        RankingFacts::load(conn, &view, now),
    )?;
    let t2 = t0.elapsed();
    let mut candidates: Vec<Candidate> = pool
        .iter()
        .filter(|w| include_ineligible || w.quick_pass)
        .map(|w| Candidate {
            quick_pass: w.quick_pass,
            score: facts.score_of(w.id, w.home_trust_id),
            id: w.id,
        })
        .collect();
    candidates.sort_by_key(Candidate::rank);
    if let Some(after) = parse_cursor(page)? {
        candidates.retain(|c| c.rank() > after);
    }
    let want = usize::try_from(page.first)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut out: Vec<(String, Match)> = Vec::new();
    let mut rest = candidates.into_iter().peekable();
    while out.len() < want && rest.peek().is_some() {
        let missing = want - out.len();
        // Judge a few more than needed, since some will turn out not eligible.
        let batch_size = if include_ineligible {
            missing
        } else {
            (missing + missing / 4 + 4).min(BATCH)
        };
        let batch: Vec<Candidate> = rest.by_ref().take(batch_size).collect();
        let ids: Vec<Uuid> = batch.iter().map(|c| c.id).collect();
        let tb = std::time::Instant::now();
        let verdicts: Vec<(worker::Model, Vec<Reason>)> = if include_ineligible {
            let mut models: HashMap<Uuid, worker::Model> = workers::by_ids(conn, &ids)
                .await?
                .into_iter()
                .map(|w| (w.id, w))
                .collect();
            let ordered: Vec<worker::Model> =
                ids.iter().filter_map(|id| models.remove(id)).collect();
            let judged =
                eligibility::judge_many(conn, &view, &ordered, Mode::BankOffice, now).await?;
            ordered
                .into_iter()
                .zip(judged)
                .map(|(w, (_, reasons))| (w, reasons))
                .collect()
        } else {
            eligibility::judge_candidates(
                conn,
                &view,
                &ids,
                &view.shift.staff_group,
                Mode::BankOffice,
                now,
            )
            .await?
        };
        tracing::debug!(batch = ids.len(), judged_in = ?tb.elapsed(), "judged a batch of candidates");
        for (w, reasons) in verdicts {
            if out.len() >= want {
                break;
            }
            if !include_ineligible && !reasons.is_empty() {
                continue;
            }
            let Some(c) = batch.iter().find(|c| c.id == w.id) else {
                continue;
            };
            out.push((
                c.key(),
                Match {
                    eligible: reasons.is_empty(),
                    score: c.score,
                    reasons,
                    worker: w,
                },
            ));
        }
    }
    eprintln!(
        "TIMING pool={} prefilter={:?} ranking={:?} total={:?}",
        pool.len(),
        t1,
        t2,
        t0.elapsed()
    );
    let page = Page::from_rows(out, page.first, |(k, _)| k.clone());
    Ok(page.map(|(_, m)| m))
}
