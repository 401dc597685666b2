//! Matching workers to a shift: the bank's workers as a ranked, paginated list — by default only
//! those eligible, best first; with `include_ineligible`, everyone, each with the reasons they may
//! not work it.
//!
//! For speed the database does the cheap filtering (staff group, grade, skills, the bank, blocks,
//! suspensions and dormancy at the trust, the open tier's audience) and, for the eligible-only list,
//! the ranking too: it scores that first cut and hands over the best candidates a batch at a time,
//! each judged in full, until the page is filled. The list that includes the ineligible scores
//! everyone in the service from three aggregate queries, by the same rule, and judges only the page.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, Select,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::entity::{membership, worker};
use staffbank_bank::membership::MembershipState;
use staffbank_bank::visibility::{self, Access, VisibleWorker};
use staffbank_bank::{skills, workers};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Role, StaffGroup};
use uuid::Uuid;

use crate::eligibility::{self, Mode, Reason, ShiftView};
use crate::entity::{preferred_worker, worker_restriction};
use crate::error::{Result, validation};
use crate::ranking::{self, RankingFacts, ScoreParts};
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
    /// What the score is made of.
    pub parts: ScoreParts,
    /// Why not, when not eligible.
    pub reasons: Vec<Reason>,
}

/// One worker against one shift, as the caller may see them (what [`eligible_workers`] returns).
#[derive(Debug, Clone)]
pub struct VisibleMatch {
    /// The worker, with the access the bank gives the caller.
    pub worker: VisibleWorker,
    /// Whether they may work it.
    pub eligible: bool,
    /// Their rank score, 0 to 100.
    pub score: i32,
    /// What the score is made of.
    pub parts: ScoreParts,
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
        let rows: Vec<(Uuid, Uuid, StaffGroup, String, serde_json::Value)> = worker::Entity::find()
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
pub(crate) fn parse_cursor(page: &PageRequest) -> Result<Option<(bool, i32, Uuid)>> {
    let Some(key) = page.after_key()? else {
        return Ok(None);
    };
    let bad = || validation("invalid pagination cursor");
    let mut parts = key.splitn(3, '|');
    let pass = parts.next().ok_or_else(bad)? == "1";
    let score: i32 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let id: Uuid = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    // i32::MIN has no negation (a panic with overflow checks); no score the service issues is it.
    let rank = score.checked_neg().ok_or_else(bad)?;
    Ok(Some((!pass, rank, id)))
}

/// The workers that can pass the quick checks for the shift now: in the bank, of its staff group
/// and an accepted grade, with its skills, not blocked, suspended or dormant at the trust, reached
/// by the widest open tier. None when no open tier reaches anyone.
fn first_cut(
    view: &ShiftView,
    now: DateTime<Utc>,
    backend: DbBackend,
) -> Option<Select<worker::Entity>> {
    let s = &view.shift;
    let open: Vec<Audience> = view
        .tiers
        .iter()
        .filter(|t| t.opens_at <= now)
        .map(|t| t.audience)
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
                worker::Column::Id
                    .in_subquery(staffbank_bank::membership::engaged_at(s.trust_id).into_query()),
            );
        }
        if any.is_empty() {
            return None;
        }
        Some(any)
    };
    let blocked = worker_restriction::Entity::find()
        .select_only()
        .column(worker_restriction::Column::WorkerId)
        .filter(worker_restriction::Column::TrustId.eq(s.trust_id))
        .filter(worker_restriction::Column::Kind.eq(RestrictionKind::Blocked))
        .filter(worker_restriction::Column::LiftedAt.is_null())
        .into_query();
    let stopped = membership::Entity::find()
        .select_only()
        .column(membership::Column::WorkerId)
        .filter(membership::Column::TrustId.eq(s.trust_id))
        .filter(
            membership::Column::State.is_in([MembershipState::Suspended, MembershipState::Dormant]),
        )
        .into_query();
    let mut q = worker::Entity::find()
        .filter(worker::Column::SystemId.eq(s.system_id))
        .filter(worker::Column::StaffGroup.eq(s.staff_group))
        .filter(worker::Column::Grade.is_in(view.grades.iter().cloned()))
        .filter(worker::Column::Id.not_in_subquery(blocked))
        .filter(worker::Column::Id.not_in_subquery(stopped));
    // Skills are codes of letters, digits and underscores stored as a JSON array, so a quoted code
    // in the array's text matches exactly that element, on both databases. Found by position
    // rather than LIKE '%…%': PostgreSQL then expects a third of workers to match instead of one
    // in two hundred, and no longer ranks the candidates by nested loops as if there were one.
    let position = match backend {
        DbBackend::Sqlite => "instr",
        _ => "strpos",
    };
    for skill in &view.skills {
        q = q.filter(
            Expr::expr(Func::cust(position).args([
                Expr::col(worker::Column::Skills).cast_as("text"),
                Expr::val(format!("\"{skill}\"")),
            ]))
            .gt(0),
        );
    }
    if let Some(reached) = reached {
        q = q.filter(reached);
    }
    Some(q)
}

/// Workers for a shift, best first, for the trust's bank office, ward managers or admins, each as
/// much as the caller may see of them: in full where the caller's trust engages them, else the
/// summary.
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
) -> Result<Page<VisibleMatch>> {
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
    let after = parse_cursor(page)?;
    let want = usize::try_from(page.first)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let out = if include_ineligible {
        everyone_best_first(conn, actor, &view, after, want, now).await?
    } else {
        eligible_best_first(conn, actor, &view, after, want, now).await?
    };
    let page = Page::from_rows(out, page.first, |(k, _)| k.clone());
    let models: Vec<worker::Model> = page
        .items
        .iter()
        .map(|(_, (_, m))| m.worker.clone())
        .collect();
    let access: HashMap<Uuid, Access> = visibility::access_to_many(conn, actor, &models)
        .await?
        .into_iter()
        .collect();
    Ok(page.map(|(_, m)| {
        // Every candidate is of the bank of the shift's trust, where the caller is staff or an
        // admin: at least the summary.
        let seen = access.get(&m.worker.id).copied().unwrap_or(Access::Summary);
        VisibleMatch {
            worker: VisibleWorker::new(m.worker, seen),
            eligible: m.eligible,
            score: m.score,
            parts: m.parts,
            reasons: m.reasons,
        }
    }))
}

/// Up to `want` eligible workers after the cursor `after`, best first, with their cursors: the
/// database ranks the first cut of candidates and hands them over a batch at a time, each judged
/// in full, until enough are found.
async fn eligible_best_first(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    view: &ShiftView,
    after: Option<(bool, i32, Uuid)>,
    want: usize,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Match)>> {
    let mut out: Vec<(String, Match)> = Vec::new();
    let Some(cut) = first_cut(view, now, conn.get_database_backend()) else {
        return Ok(out);
    };
    let mut cursor = match after {
        // A cursor past everyone who passes the quick checks (from the list that includes the
        // ineligible) leaves no eligible worker after it.
        Some((true, _, _)) => return Ok(out),
        Some((false, negative_score, id)) => Some((-negative_score, id)),
        None => None,
    };
    let mut first_batch = true;
    while out.len() < want {
        let missing = want - out.len();
        // Judge a few more than needed, since some will turn out not eligible; once a batch has
        // fallen short, take full batches.
        let batch_size = if first_batch {
            (missing + missing / 4 + 4).min(BATCH)
        } else {
            BATCH
        };
        first_batch = false;
        let ranked = ranking::best_first(
            conn,
            view,
            now,
            cut.clone(),
            cursor,
            u64::try_from(batch_size).unwrap_or(u64::MAX),
        )
        .await?;
        let Some(&(last_id, last_score)) = ranked.last() else {
            break;
        };
        cursor = Some((last_score, last_id));
        let scores: HashMap<Uuid, i32> = ranked.iter().copied().collect();
        let ids: Vec<Uuid> = ranked.iter().map(|(id, _)| *id).collect();
        let verdicts = eligibility::judge_many(
            conn,
            view,
            eligibility::Candidates::Ids {
                ids: &ids,
                staff_group: view.shift.staff_group,
            },
            Mode::BankOffice,
            eligibility::Reader::Caller(actor),
            now,
        )
        .await?;
        for (w, reasons) in verdicts {
            if out.len() >= want {
                break;
            }
            let Some(&score) = scores.get(&w.id).filter(|_| reasons.is_empty()) else {
                continue;
            };
            let c = Candidate {
                quick_pass: true,
                score,
                id: w.id,
            };
            out.push((
                c.key(),
                Match {
                    eligible: true,
                    score,
                    parts: ScoreParts::default(),
                    reasons,
                    worker: w,
                },
            ));
        }
        if ranked.len() < batch_size {
            break;
        }
    }
    // The parts of each score, from the same facts the database scored by, for the page only.
    let ids: Vec<Uuid> = out.iter().map(|(_, m)| m.worker.id).collect();
    if !ids.is_empty() {
        let facts = RankingFacts::load_for(conn, view, now, &ids).await?;
        for (_, m) in &mut out {
            m.parts = facts.parts_of(m.worker.id, m.worker.home_trust_id);
        }
    }
    Ok(out)
}

/// Up to `want` of the bank's workers after the cursor `after`, eligible or not, best first, with
/// their cursors and reasons: everyone is scored, and only those on the page are judged in full.
async fn everyone_best_first(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    view: &ShiftView,
    after: Option<(bool, i32, Uuid)>,
    want: usize,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Match)>> {
    // The bank and the ranking facts are independent reads: at once on a pool.
    let (everyone, facts) = futures::try_join!(
        Light::everyone(conn, view),
        RankingFacts::load(conn, view, now),
    )?;
    let mut candidates: Vec<Candidate> = everyone
        .iter()
        .map(|w| Candidate {
            quick_pass: w.quick_pass,
            score: facts.score_of(w.id, w.home_trust_id),
            id: w.id,
        })
        .collect();
    candidates.sort_by_key(Candidate::rank);
    if let Some(after) = after {
        candidates.retain(|c| c.rank() > after);
    }
    candidates.truncate(want);
    let ids: Vec<Uuid> = candidates.iter().map(|c| c.id).collect();
    let mut models: HashMap<Uuid, worker::Model> = workers::by_ids(conn, &ids)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let ordered: Vec<worker::Model> = ids.iter().filter_map(|id| models.remove(id)).collect();
    let judged = eligibility::judge_many(
        conn,
        view,
        eligibility::Candidates::Workers(&ordered),
        Mode::BankOffice,
        eligibility::Reader::Caller(actor),
        now,
    )
    .await?;
    let scores: HashMap<Uuid, Candidate> = candidates.into_iter().map(|c| (c.id, c)).collect();
    Ok(judged
        .into_iter()
        .filter_map(|(w, reasons)| {
            let c = scores.get(&w.id)?;
            Some((
                c.key(),
                Match {
                    eligible: reasons.is_empty(),
                    score: c.score,
                    parts: facts.parts_of(w.id, w.home_trust_id),
                    reasons,
                    worker: w,
                },
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use staffbank_core::PageRequest;
    use staffbank_core::page::encode_cursor;

    use super::parse_cursor;

    fn after(key: &str) -> PageRequest {
        PageRequest {
            first: 10,
            after: Some(encode_cursor(key)),
        }
    }

    #[test]
    fn a_cursor_the_service_issued_reads_back_as_its_rank() -> crate::Result<()> {
        let id = uuid::Uuid::now_v7();
        assert_eq!(
            parse_cursor(&after(&format!("1|42|{id}")))?,
            Some((false, -42, id))
        );
        assert_eq!(
            parse_cursor(&after(&format!("0|{}|{id}", i32::MAX)))?,
            Some((true, -i32::MAX, id))
        );
        Ok(())
    }

    /// Found by the `newtypes` fuzz target: a forged cursor with the score i32::MIN panicked
    /// ("attempt to negate with overflow") instead of being refused.
    #[test]
    fn a_forged_cursor_with_the_lowest_score_is_refused_not_a_panic() {
        let id = uuid::Uuid::now_v7();
        let answer = parse_cursor(&after(&format!("1|{}|{id}", i32::MIN)));
        assert!(
            matches!(
                answer,
                Err(crate::Error::Core(staffbank_core::Error::Validation(_)))
            ),
            "{answer:?}"
        );
    }
}
