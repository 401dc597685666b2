//! Whether a worker may work a shift, and if not, every reason why — in one place, used alike by
//! the ranked list of workers for a shift, a worker's feed of shifts, the announcement of tiers,
//! and the booking transaction.
//!
//! Judging is a pure function of facts loaded in batches: for one shift and any number of workers
//! [`judge_many`] costs eight queries (standing at the trust, preferred list, compliance, booked
//! work), never one per worker — and two more for a caller who is trust staff (what they may see).
//!
//! Reasons are given to someone, and carry only what that someone may see ([`Reader`]): the id of
//! an overlapping booking only when the caller may see that booking (it is theirs, or at a trust
//! where they work); the minutes of rest or of the weekly average only when every booking they
//! come from is one the caller may see; a credential's date, and the worker's last activity, only
//! to callers who may see the worker's record. The verdict (which reasons, and their codes) is the
//! same for everyone: only the details are withheld.
//!
//! The rule is read in [`judge()`] (pure: facts in, reasons out, with its tests beside it); the
//! reasons and their words in `reasons`; the loading of facts in `facts`; this module joins them
//! into the one batch judgement callers use.

mod facts;
mod judge;
mod reasons;

pub use facts::{
    Booked, Facts, Reader, ShiftView, Standing, booked_window, booked_work, preferred_of_ward,
    sights, standings_at, standings_of, views,
};
pub use judge::{Mode, Sight, judge};
pub use reasons::Reason;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use staffbank_bank::compliance::{self, Subject};
use staffbank_bank::entity::worker;
use staffbank_core::StaffGroup;
use uuid::Uuid;

use crate::error::Result;
use crate::release_cascade::{self, Audience};

/// The workers a batch judgement is about.
#[derive(Debug, Clone, Copy)]
pub enum Candidates<'a> {
    /// Workers whose records the caller has read already.
    Workers(&'a [worker::Model]),
    /// Workers known by id: their records are read together with every other fact, at once on a
    /// pool. `staff_group` is theirs when all share one (the first cut of matching guarantees it),
    /// so compliance need not wait for their records; one found in another group is judged
    /// without it (their staff group refuses them anyway).
    Ids {
        /// The workers, in the order wanted.
        ids: &'a [Uuid],
        /// Their staff group.
        staff_group: StaffGroup,
    },
}

/// Judges many workers against one shift, with batched queries: every fact is read at once on a
/// pool, never one query per worker. Returns the workers found, in the order given, each with
/// every reason they may not work the shift (empty when eligible), as `reader` may see them.
///
/// # Errors
/// Database errors.
pub async fn judge_many(
    conn: &impl ConnectionTrait,
    view: &ShiftView,
    candidates: Candidates<'_>,
    mode: Mode,
    reader: Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<(worker::Model, Vec<Reason>)>> {
    let (ids, subjects, hinted_group): (Vec<Uuid>, Vec<Subject>, Option<StaffGroup>) =
        match candidates {
            Candidates::Workers(workers) => (
                workers.iter().map(|w| w.id).collect(),
                workers.iter().map(Subject::from).collect(),
                None,
            ),
            Candidates::Ids { ids, staff_group } => (
                ids.to_vec(),
                ids.iter()
                    .map(|id| Subject {
                        worker_id: *id,
                        staff_group,
                    })
                    .collect(),
                Some(staff_group),
            ),
        };
    let (from, to) = booked_window(view, now);
    // Independent reads: on a pool they run at once, each on its own connection. What the reader
    // may see needs the records, so it waits for them when they are read here.
    let (found, early_sights, standings, preferred, reports, booked) = futures::try_join!(
        async {
            match candidates {
                Candidates::Workers(workers) => Ok::<_, crate::Error>(workers.to_vec()),
                Candidates::Ids { ids, .. } => {
                    let mut by_id: HashMap<Uuid, worker::Model> =
                        staffbank_bank::workers::by_ids(conn, ids)
                            .await?
                            .into_iter()
                            .map(|w| (w.id, w))
                            .collect();
                    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
                }
            }
        },
        async {
            match candidates {
                Candidates::Workers(workers) => sights(conn, reader, workers).await.map(Some),
                Candidates::Ids { .. } => Ok(None),
            }
        },
        standings_at(conn, view.shift.trust_id, &ids),
        async {
            if release_cascade::has_tier(&view.tiers, Audience::Preferred) {
                preferred_of_ward(conn, view.shift.ward_id).await
            } else {
                Ok(HashSet::new())
            }
        },
        async {
            Ok(compliance::evaluate_many(
                conn,
                view.shift.trust_id,
                Some(view.shift.ward_id),
                now,
                &subjects,
            )
            .await?)
        },
        booked_work(conn, &ids, from, to),
    )?;
    let sights = match early_sights {
        Some(s) => s,
        None => sights(conn, reader, &found).await?,
    };
    Ok(found
        .into_iter()
        .map(|w| {
            let facts = Facts {
                worker: &w,
                standing: standings.get(&w.id).copied().unwrap_or_default(),
                preferred: preferred.contains(&w.id),
                compliance: reports
                    .get(&w.id)
                    .filter(|_| hinted_group.is_none_or(|g| w.staff_group == g)),
                booked: booked.get(&w.id).map(Vec::as_slice).unwrap_or_default(),
            };
            let reasons = judge(view, &facts, mode, now);
            let reasons = match sights.get(&w.id) {
                Some(sight) => sight.shown(view, &facts, now, reasons),
                None => Sight::default().shown(view, &facts, now, reasons),
            };
            (w, reasons)
        })
        .collect())
}
