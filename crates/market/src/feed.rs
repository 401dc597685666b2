//! A worker's shift feed: the open shifts they are eligible for at every trust of their
//! collaborative bank, soonest first, filterable by trust, site, London dates and grade.
//!
//! The database narrows the shifts (their bank, staff group and grade, open, not full, not started,
//! not at a trust that blocks or suspended them); the rest is judged in batches with the same rules
//! as booking, compliance evaluated once per trust (and per ward with extra requirements).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};
use staffbank_bank::compliance::{self, Report, Subject};
use staffbank_bank::entity::{requirement, worker};
use staffbank_bank::membership::MembershipState;
use staffbank_bank::{organisation, workers};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Grade};
use uuid::Uuid;

use crate::eligibility::{self, Facts, Mode, Reason, ShiftView, Standing};
use crate::entity::{preferred_worker, shift, shift_grade};
use crate::error::{Result, forbidden};
use crate::release_cascade::{self, Audience, Reach};
use crate::shifts;

/// Shifts fetched and judged per batch.
const BATCH: u64 = 100;
/// How far back a worker's bookings are read to tell whether they are dormant (the longest
/// dormancy period a policy allows).
const ACTIVITY_LOOKBACK: Duration = Duration::days(1095);

/// Which shifts a worker wants to see.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    /// Only this trust's.
    pub trust_id: Option<Uuid>,
    /// Only this site's.
    pub site_id: Option<Uuid>,
    /// Starting on or after this London date.
    pub from: Option<NaiveDate>,
    /// Starting on or before this London date.
    pub to: Option<NaiveDate>,
    /// Only shifts asking for this grade.
    pub grade: Option<String>,
}

/// One shift in a worker's feed.
///
/// The pay the worker would earn for it belongs here too; it is added with the rate cards.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// The shift.
    pub shift: shift::Model,
    /// The tier through which it reached the worker.
    pub audience: Audience,
}

/// The signed-in worker's feed.
///
/// # Errors
/// Forbidden (not a worker); validation (cursor, dates, grade).
pub async fn my_shift_feed(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    filter: &FeedFilter,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<FeedEntry>> {
    let worker_id = actor
        .worker_id()
        .ok_or_else(|| forbidden("the shift feed is for workers"))?;
    let mut candidates = Candidates::read(conn, worker_id, filter, now).await?;
    let want = usize::try_from(page.first)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut cursor = shifts::parse_cursor(page)?;
    let mut out: Vec<FeedEntry> = Vec::new();
    loop {
        let (batch, exhausted) = candidates.next_batch(conn, &mut cursor, now).await?;
        for judged in batch {
            if !judged.reasons.is_empty() {
                continue;
            }
            out.push(FeedEntry {
                shift: judged.view.shift,
                audience: judged.audience,
            });
            if out.len() >= want {
                break;
            }
        }
        if out.len() >= want || exhausted {
            break;
        }
    }
    Ok(Page::from_rows(out, page.first, |e| {
        shifts::cursor_key(&e.shift)
    }))
}

/// One candidate shift of a worker's feed, judged for self-booking now.
#[derive(Debug, Clone)]
pub(crate) struct Judged {
    /// The shift, with what it was judged by.
    pub view: ShiftView,
    /// Why the worker may not book it now; empty when they may.
    pub reasons: Vec<Reason>,
    /// The tier through which it reaches the worker.
    pub audience: Audience,
}

/// The open shifts that may reach a worker, and everything they are judged with, read once: the
/// database narrows the shifts (their bank, staff group and grade, open, not full, not started,
/// not at a trust that blocks or suspended them or whose requirements they do not meet now), and
/// [`Candidates::next_batch`] judges them a batch at a time, soonest first, by the rules of
/// booking. The feed lists the ones without reasons; the outlook counts them.
pub(crate) struct Candidates {
    worker: worker::Model,
    subject: [Subject; 1],
    standings: HashMap<Uuid, Standing>,
    reports: HashMap<(Uuid, Option<Uuid>), Report>,
    preferred_wards: HashSet<Uuid>,
    booked: Vec<eligibility::Booked>,
    base: Select<shift::Entity>,
}

impl Candidates {
    /// Reads what judging `worker_id`'s candidate shifts needs (no access checks: callers check).
    ///
    /// # Errors
    /// Not found; validation (dates, grade).
    pub(crate) async fn read(
        conn: &impl ConnectionTrait,
        worker_id: Uuid,
        filter: &FeedFilter,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let w = workers::get(conn, worker_id).await?;
        let grade_filter = filter
            .grade
            .as_deref()
            .map(Grade::parse)
            .transpose()?
            .map(|g| g.code().to_owned());
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && to < from
        {
            return Err(crate::error::validation("`to` must not be before `from`"));
        }
        let subject = [Subject::from(&w)];
        let me = [w.id];
        // Everything that can matter of the worker's bookings: back to the longest dormancy
        // period, forward past the last reference period of the furthest shift that can be posted.
        let until = now + crate::posting::MAX_AHEAD + Duration::weeks(18);
        // Independent reads, at once on a pool: standing at each trust; compliance at each trust
        // of the bank, now (a trust whose own requirements the worker does not meet offers them
        // nothing, so its shifts are not even read); preferred wards; booked work.
        let (standings, (trusts, evaluated), preferred_wards, mut booked_map) = futures::try_join!(
            eligibility::standings_of(conn, w.id),
            async {
                let trusts: Vec<Uuid> = organisation::trusts_of(conn, w.system_id)
                    .await?
                    .into_iter()
                    .map(|t| t.id)
                    .filter(|t| filter.trust_id.is_none_or(|f| f == *t))
                    .collect();
                let evaluated = futures::future::try_join_all(trusts.iter().map(|t| {
                    let subject = &subject;
                    async move {
                        let mut r = compliance::evaluate_many(conn, *t, None, now, subject).await?;
                        Ok::<_, crate::Error>((*t, r.remove(&w.id)))
                    }
                }))
                .await?;
                Ok::<_, crate::Error>((trusts, evaluated))
            },
            async {
                Ok::<_, crate::Error>(
                    preferred_worker::Entity::find()
                        .filter(preferred_worker::Column::WorkerId.eq(w.id))
                        .all(conn)
                        .await?
                        .into_iter()
                        .map(|p| p.ward_id)
                        .collect::<HashSet<Uuid>>(),
                )
            },
            eligibility::booked_work(conn, &me, now - ACTIVITY_LOOKBACK, until),
        )?;
        let mut reports: HashMap<(Uuid, Option<Uuid>), Report> = HashMap::new();
        let mut not_compliant = Vec::new();
        for (trust_id, report) in evaluated {
            if let Some(report) = report {
                if !report.compliant() {
                    not_compliant.push(trust_id);
                }
                reports.insert((trust_id, None), report);
            }
        }
        let closed: HashSet<Uuid> = standings
            .iter()
            .filter(|(_, s)| {
                s.blocked
                    || s.self_booking_suspended
                    || matches!(
                        s.membership,
                        Some(MembershipState::Suspended | MembershipState::Dormant)
                    )
            })
            .map(|(t, _)| *t)
            .chain(not_compliant)
            .collect();
        // The trusts that can offer the worker anything, named (rather than the others excluded)
        // so the database can read each trust's shifts in start order.
        let open_trusts: Vec<Uuid> = trusts.into_iter().filter(|t| !closed.contains(t)).collect();
        let booked = booked_map.remove(&w.id).unwrap_or_default();

        let of_my_grade = shift_grade::Entity::find()
            .select_only()
            .column(shift_grade::Column::ShiftId)
            .filter(shift_grade::Column::Grade.eq(&w.grade))
            .into_query();
        let mut base = shift::Entity::find()
            .filter(shift::Column::SystemId.eq(w.system_id))
            .filter(shift::Column::StaffGroup.eq(w.staff_group))
            .filter(shift::Column::CancelledAt.is_null())
            .filter(
                Expr::col(shift::Column::FilledPositions).lt(Expr::col(shift::Column::Positions)),
            )
            .filter(shift::Column::StartsAt.gt(now))
            .filter(shift::Column::OpensAt.lte(now))
            .filter(shift::Column::Id.in_subquery(of_my_grade))
            .filter(shifts::date_condition(filter.from, filter.to));
        base = base.filter(shift::Column::TrustId.is_in(open_trusts));
        if let Some(site) = filter.site_id {
            base = base.filter(shift::Column::SiteId.eq(site));
        }
        if let Some(g) = &grade_filter {
            base = base.filter(shift::Column::Grade.eq(g));
        }
        Ok(Self {
            worker: w,
            subject,
            standings,
            reports,
            preferred_wards,
            booked,
            base,
        })
    }

    /// The next batch of candidate shifts after `cursor` (which it moves on), soonest first, each
    /// judged; and whether there are no more after them.
    ///
    /// # Errors
    /// Database errors.
    pub(crate) async fn next_batch(
        &mut self,
        conn: &impl ConnectionTrait,
        cursor: &mut Option<(DateTime<Utc>, Uuid)>,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Judged>, bool)> {
        let mut q = self.base.clone();
        if let Some((at, id)) = *cursor {
            q = q.filter(shifts::after(at, id));
        }
        let rows = q
            .order_by_asc(shift::Column::StartsAt)
            .order_by_asc(shift::Column::Id)
            .limit(BATCH)
            .all(conn)
            .await?;
        let exhausted = rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
        if let Some(last) = rows.last() {
            *cursor = Some((last.starts_at, last.id));
        }
        let views = eligibility::views(conn, rows).await?;
        let special_wards = wards_with_own_requirements(conn, &views).await?;
        let w_id = self.worker.id;
        for view in &views {
            let s = &view.shift;
            let ward_key = special_wards.contains(&s.ward_id).then_some(s.ward_id);
            let key = (s.trust_id, ward_key);
            if let std::collections::hash_map::Entry::Vacant(slot) = self.reports.entry(key) {
                let mut r =
                    compliance::evaluate_many(conn, s.trust_id, ward_key, now, &self.subject)
                        .await?;
                if let Some(report) = r.remove(&w_id) {
                    slot.insert(report);
                }
            }
        }
        let judged = views
            .into_iter()
            .map(|view| {
                let s = &view.shift;
                let ward_key = special_wards.contains(&s.ward_id).then_some(s.ward_id);
                let standing: Standing =
                    self.standings.get(&s.trust_id).copied().unwrap_or_default();
                let facts = Facts {
                    worker: &self.worker,
                    standing,
                    preferred: self.preferred_wards.contains(&s.ward_id),
                    compliance: self.reports.get(&(s.trust_id, ward_key)),
                    booked: &self.booked,
                };
                let reasons = eligibility::judge(&view, &facts, Mode::SelfBooking, now);
                let reach = Reach {
                    preferred: facts.preferred,
                    engaged: standing.engaged,
                    same_bank: true,
                };
                let audience = release_cascade::first_reaching(&view.tiers, reach)
                    .map_or(Audience::Collaborative, |t| t.audience);
                Judged {
                    view,
                    reasons,
                    audience,
                }
            })
            .collect();
        Ok((judged, exhausted))
    }
}

/// Which of these shifts' wards have requirements of their own (beyond the trust's).
async fn wards_with_own_requirements(
    conn: &impl ConnectionTrait,
    views: &[ShiftView],
) -> Result<HashSet<Uuid>> {
    let wards: Vec<Uuid> = views.iter().map(|v| v.shift.ward_id).collect();
    if wards.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<Option<Uuid>> = requirement::Entity::find()
        .select_only()
        .column(requirement::Column::WardId)
        .distinct()
        .filter(requirement::Column::WardId.is_in(wards))
        .filter(requirement::Column::RetiredAt.is_null())
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().flatten().collect())
}
