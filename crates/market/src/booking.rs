//! Booking: a worker books an open shift, or a bank office books a named worker. One transaction
//! locks the shift and the worker, re-checks every eligibility rule against committed data, takes
//! the lowest free position, and writes the booking, its first event and its messages.
//!
//! Concurrent requests never double-book: on PostgreSQL the row locks serialise bookings of one
//! shift and of one worker, and the database refuses a second active booking of a position (partial
//! unique index) or an overlapping booking of a worker (exclusion constraint); on SQLite writers
//! are serialised by `BEGIN IMMEDIATE` and the unique index guards too. A request repeated with the
//! same idempotency key returns the booking the first one made.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::entity::worker;
use staffbank_bank::visibility::TRUST_STAFF;
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::booking_history::{self, BookingEvent};
use crate::eligibility::{self, Mode, Reason, ShiftView};
use crate::entity::{booking, shift};
use crate::error::{Error, Result, conflict, forbidden, not_found, validation};
use crate::market_mail;
use crate::shift_changes::{self, Change};
use crate::shifts::{self, ShiftStatus};

/// How a booking was made, stored as `SELF` or `BANK_OFFICE`.
///
/// Its storage is written out by hand rather than derived: `DeriveActiveEnum` makes an identifier
/// of each stored value, and `SELF` would become the keyword `Self`. It behaves as the derived
/// ones do: an unknown stored value fails the row's decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter)]
pub enum BookedVia {
    /// The worker booked themself.
    SelfBooking,
    /// A bank office booked the worker.
    BankOffice,
}

mod booked_via_storage {
    use sea_orm::entity::prelude::StringLen;
    use sea_orm::sea_query::{ArrayType, DynIden, Nullable, ValueType, ValueTypeErr};
    use sea_orm::{
        ActiveEnum, ColIdx, ColumnDef, ColumnType, ColumnTypeTrait, DbErr, QueryResult,
        TryGetError, TryGetable, Value,
    };

    use super::BookedVia;

    impl ActiveEnum for BookedVia {
        type Value = String;
        type ValueVec = Vec<String>;

        fn name() -> DynIden {
            DynIden::from("BookedVia".to_owned())
        }

        fn to_value(&self) -> String {
            match self {
                Self::SelfBooking => "SELF",
                Self::BankOffice => "BANK_OFFICE",
            }
            .to_owned()
        }

        fn try_from_value(v: &String) -> std::result::Result<Self, DbErr> {
            match v.as_str() {
                "SELF" => Ok(Self::SelfBooking),
                "BANK_OFFICE" => Ok(Self::BankOffice),
                other => Err(DbErr::Type(format!(
                    "unexpected value for BookedVia enum: {other}"
                ))),
            }
        }

        fn db_type() -> ColumnDef {
            ColumnType::String(StringLen::None).def()
        }
    }

    impl From<BookedVia> for Value {
        fn from(v: BookedVia) -> Self {
            v.to_value().into()
        }
    }

    impl ValueType for BookedVia {
        fn try_from(v: Value) -> std::result::Result<Self, ValueTypeErr> {
            let s = <String as ValueType>::try_from(v)?;
            Self::try_from_value(&s).map_err(|_| ValueTypeErr)
        }

        fn type_name() -> String {
            "BookedVia".to_owned()
        }

        fn array_type() -> ArrayType {
            <String as ValueType>::array_type()
        }

        fn column_type() -> ColumnType {
            ColumnType::String(StringLen::None)
        }
    }

    impl Nullable for BookedVia {
        fn null() -> Value {
            <String as Nullable>::null()
        }
    }

    impl TryGetable for BookedVia {
        fn try_get_by<I: ColIdx>(
            res: &QueryResult,
            idx: I,
        ) -> std::result::Result<Self, TryGetError> {
            let s = <String as TryGetable>::try_get_by(res, idx)?;
            Self::try_from_value(&s).map_err(TryGetError::DbErr)
        }
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum BookingState {
    /// Holds its position.
    #[sea_orm(string_value = "BOOKED")]
    Booked,
    /// The worker cancelled.
    #[sea_orm(string_value = "CANCELLED_BY_WORKER")]
    CancelledByWorker,
    /// The trust cancelled.
    #[sea_orm(string_value = "CANCELLED_BY_TRUST")]
    CancelledByTrust,
    /// The worker did not come.
    #[sea_orm(string_value = "NO_SHOW")]
    NoShow,
}

impl BookingState {
    /// Every state.
    pub const ALL: [BookingState; 4] = [
        Self::Booked,
        Self::CancelledByWorker,
        Self::CancelledByTrust,
        Self::NoShow,
    ];
}

impl fmt::Display for BookingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// A request to book.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    /// The shift.
    pub shift_id: Uuid,
    /// The worker; none when workers book themselves.
    pub worker_id: Option<Uuid>,
    /// The client's key for this request: repeating it returns the same booking.
    pub idempotency_key: Option<String>,
}

/// The result of a booking request.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The booking.
    pub booking: booking::Model,
    /// Whether an earlier request with the same key made it.
    pub repeated: bool,
}

fn clean_key(key: Option<&str>) -> Result<Option<String>> {
    match key {
        None => Ok(None),
        Some(k) => Ok(Some(staffbank_core::text::limits::IDEMPOTENCY.required(k)?)),
    }
}

/// Books, in its own write transaction (retried on transient conflicts). When a concurrent request
/// with the same idempotency key won, returns the booking it made.
///
/// # Errors
/// Forbidden; not found; validation; conflict (cancelled, started, fully booked);
/// [`Error::NotEligible`] with every reason.
pub async fn book(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    request: &BookingRequest,
) -> Result<Outcome> {
    let key = clean_key(request.idempotency_key.as_deref())?;
    let key_ref = key.as_deref();
    let result = db::write(db, |tx| {
        Box::pin(async move { book_in(&*tx, clock, actor, request, key_ref).await })
    })
    .await;
    match (result, key_ref, actor.account_id()) {
        (Err(Error::RepeatedRequest), Some(k), Some(account)) => {
            let existing = by_request_key(db, account, k)
                .await?
                .ok_or(Error::RepeatedRequest)?;
            same_request(&existing, request)?;
            Ok(Outcome {
                booking: existing,
                repeated: true,
            })
        }
        (other, _, _) => other,
    }
}

async fn by_request_key(
    conn: &impl ConnectionTrait,
    account: Uuid,
    key: &str,
) -> Result<Option<booking::Model>> {
    Ok(booking::Entity::find()
        .filter(booking::Column::BookedBy.eq(account))
        .filter(booking::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?)
}

fn same_request(existing: &booking::Model, request: &BookingRequest) -> Result<()> {
    let same = existing.shift_id == request.shift_id
        && request.worker_id.is_none_or(|w| w == existing.worker_id);
    if same {
        Ok(())
    } else {
        Err(validation(
            "this idempotency key was already used for a different booking request",
        ))
    }
}

/// Books inside the caller's write transaction (see [`book`]).
///
/// # Errors
/// As [`book`].
pub async fn book_in(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    request: &BookingRequest,
    key: Option<&str>,
) -> Result<Outcome> {
    // Lock order everywhere: the shift, then the worker.
    let s = shift::Entity::find_by_id(request.shift_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| not_found("shift"))?;
    // Looked up once the shift is locked, so a repeat racing the first request sees its booking.
    if let (Some(k), Some(account)) = (key, actor.account_id())
        && let Some(existing) = by_request_key(conn, account, k).await?
    {
        same_request(&existing, request)?;
        return Ok(Outcome {
            booking: existing,
            repeated: true,
        });
    }
    let (worker_id, mode) = match (request.worker_id, actor.worker_id()) {
        (None, Some(me)) => (me, Mode::SelfBooking),
        (None, None) => {
            return Err(validation(
                "name the worker to book (workers booking themselves need not)",
            ));
        }
        (Some(w), Some(me)) if w == me => (me, Mode::SelfBooking),
        (Some(w), _) => {
            actor.require_trust_role(&[Role::BankOffice], s.trust_id, s.system_id)?;
            (w, Mode::BankOffice)
        }
    };
    let w = worker::Entity::find_by_id(worker_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| not_found("worker"))?;
    if w.system_id != s.system_id {
        return Err(validation(
            "the worker belongs to another collaborative bank",
        ));
    }
    let now = clock.now();
    match shifts::status(&s, now) {
        ShiftStatus::Cancelled => return Err(conflict("the shift was cancelled")),
        ShiftStatus::Filled => return Err(conflict("the shift is fully booked")),
        ShiftStatus::Unfilled => return Err(conflict("the shift has started")),
        ShiftStatus::Pending | ShiftStatus::Open | ShiftStatus::Escalated => {}
    }
    let views = eligibility::views(conn, vec![s.clone()]).await?;
    let view = views.first().ok_or_else(|| not_found("shift"))?;
    let reasons = judge(conn, actor, view, &w, mode, now).await?;
    if !reasons.is_empty() {
        return Err(Error::NotEligible(reasons));
    }
    let taken: Vec<i32> = booking::Entity::find()
        .select_only()
        .column(booking::Column::Position)
        .filter(booking::Column::ShiftId.eq(s.id))
        .filter(booking::Column::Active.eq(true))
        .into_tuple()
        .all(conn)
        .await?;
    let position = (1..=s.positions)
        .find(|p| !taken.contains(p))
        .ok_or_else(|| conflict("the shift is fully booked"))?;
    let b = booking::ActiveModel {
        id: Set(new_id()),
        shift_id: Set(s.id),
        trust_id: Set(s.trust_id),
        ward_id: Set(s.ward_id),
        worker_id: Set(w.id),
        position: Set(position),
        starts_at: Set(s.starts_at),
        ends_at: Set(s.ends_at),
        worked_minutes: Set(s.worked_minutes),
        active: Set(true),
        state: Set(BookingState::Booked),
        booked_via: Set(match mode {
            Mode::SelfBooking => BookedVia::SelfBooking,
            Mode::BankOffice => BookedVia::BankOffice,
        }),
        booked_by: Set(actor.account_id()),
        idempotency_key: Set(key.map(str::to_owned)),
        created_at: Set(now),
        closed_at: Set(None),
    }
    .insert(conn)
    .await?;
    booking_history::record(conn, now, actor, &b, BookingEvent::Booked, false, None).await?;
    let words = market_mail::ShiftWords::of(conn, &s).await?;
    market_mail::booking_confirmed(conn, clock, &w, &b, &words).await?;
    let filled = taken.len() + 1;
    shift_changes::announce_shift(conn, &s, Change::Booked).await?;
    let mut a: shift::ActiveModel = s.into();
    a.filled_positions = Set(i32::try_from(filled).unwrap_or(i32::MAX));
    a.update(conn).await?;
    Ok(Outcome {
        booking: b,
        repeated: false,
    })
}

/// Every reason booking `w` on `view`'s shift now, by `mode`, would be refused: the one judgement
/// [`book_in`] re-checks with, and [`my_eligibility`] answers with. Empty when nothing stops it.
/// The reasons carry only what `actor` may see (no other trust's booking ids, for instance).
async fn judge(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    view: &ShiftView,
    w: &worker::Model,
    mode: Mode,
    now: DateTime<Utc>,
) -> Result<Vec<Reason>> {
    let verdicts = eligibility::judge_many(
        conn,
        view,
        eligibility::Candidates::Workers(std::slice::from_ref(w)),
        mode,
        eligibility::Reader::Caller(actor),
        now,
    )
    .await?;
    Ok(verdicts
        .into_iter()
        .next()
        .map(|(_, reasons)| reasons)
        .unwrap_or_default())
}

/// Whether the signed-in worker could book each of these shifts themself now: by shift id, every
/// reason booking them would be refused with `NOT_ELIGIBLE`, judged exactly as [`book`] judges
/// (empty when nothing stops them). `None` when the caller is not a worker. Shifts not found, or
/// of another collaborative bank, are left out. Whether a shift can still be booked at all
/// (withdrawn, full, started) is its status, not a reason: booking refuses those as conflicts.
///
/// Costs three queries for the shifts, one for the worker, and five per shift.
///
/// # Errors
/// Not found (the caller's worker record); database errors.
pub async fn my_eligibility(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    shift_ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Option<HashMap<Uuid, Vec<Reason>>>> {
    let Some(me) = actor.worker_id() else {
        return Ok(None);
    };
    let (w, found) = futures::try_join!(
        async {
            worker::Entity::find_by_id(me)
                .one(conn)
                .await?
                .ok_or_else(|| not_found("worker"))
        },
        shifts::by_ids(conn, shift_ids),
    )?;
    let mine: Vec<shift::Model> = found
        .into_iter()
        .filter(|s| s.system_id == w.system_id)
        .collect();
    let views = eligibility::views(conn, mine).await?;
    let w = &w;
    let judged = futures::future::try_join_all(views.iter().map(|view| async move {
        let reasons = judge(conn, actor, view, w, Mode::SelfBooking, now).await?;
        Ok::<_, Error>((view.shift.id, reasons))
    }))
    .await?;
    Ok(Some(judged.into_iter().collect()))
}

/// One booking, without checks.
///
/// # Errors
/// Not found.
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<booking::Model> {
    booking::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("booking"))
}

/// One booking, for its worker, staff of its trust, or admins of its bank.
///
/// # Errors
/// Not found (also when the caller may not see it).
pub async fn booking(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<booking::Model> {
    let b = get(conn, id).await?;
    if actor.worker_id() == Some(b.worker_id) || actor.has_any_trust_role(&TRUST_STAFF, b.trust_id)
    {
        return Ok(b);
    }
    let s = shifts::get(conn, b.shift_id).await?;
    if actor.is_system_admin(s.system_id) {
        Ok(b)
    } else {
        Err(not_found("booking"))
    }
}

/// The bookings with these ids (for batched loading; no checks).
///
/// # Errors
/// Database errors.
pub async fn by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<booking::Model>> {
    Ok(booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The bookings of these shifts, oldest first (no checks: [`visible_of_shifts`] checks).
async fn of_shifts(conn: &impl ConnectionTrait, shift_ids: &[Uuid]) -> Result<Vec<booking::Model>> {
    Ok(booking::Entity::find()
        .filter(booking::Column::ShiftId.is_in(shift_ids.iter().copied()))
        .order_by_asc(booking::Column::Id)
        .all(conn)
        .await?)
}

/// The bookings of these shifts that the caller may see, oldest first: every booking of a shift
/// for staff of its trust and admins of its collaborative bank, a worker's own for a worker, none
/// for anyone else. The rule is [`booking`]'s, decided in the one query.
///
/// # Errors
/// Database errors.
pub async fn visible_of_shifts(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    shift_ids: &[Uuid],
) -> Result<Vec<booking::Model>> {
    if actor.is_service() {
        return of_shifts(conn, shift_ids).await;
    }
    let mut may_see = Condition::any();
    let mut anything = false;
    let staff_at = actor.trusts_with(&TRUST_STAFF);
    if !staff_at.is_empty() {
        may_see = may_see.add(booking::Column::TrustId.is_in(staff_at));
        anything = true;
    }
    let admin_of: Vec<Uuid> = actor
        .grants()
        .iter()
        .filter(|g| g.role == Role::SystemAdmin)
        .filter_map(|g| g.system_id)
        .collect();
    if !admin_of.is_empty() {
        let of_banks = shift::Entity::find()
            .select_only()
            .column(shift::Column::Id)
            .filter(shift::Column::SystemId.is_in(admin_of))
            .into_query();
        may_see = may_see.add(booking::Column::ShiftId.in_subquery(of_banks));
        anything = true;
    }
    if let Some(me) = actor.worker_id() {
        may_see = may_see.add(booking::Column::WorkerId.eq(me));
        anything = true;
    }
    if !anything || shift_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(booking::Entity::find()
        .filter(booking::Column::ShiftId.is_in(shift_ids.iter().copied()))
        .filter(may_see)
        .order_by_asc(booking::Column::Id)
        .all(conn)
        .await?)
}

/// Which bookings to list.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    /// A trust's (its staff).
    pub trust_id: Option<Uuid>,
    /// A worker's (the worker, or staff of `trust_id`).
    pub worker_id: Option<Uuid>,
    /// Starting on or after this London date.
    pub from: Option<NaiveDate>,
    /// Starting on or before this London date.
    pub to: Option<NaiveDate>,
    /// Only bookings holding their position.
    pub active_only: bool,
    /// Only those owing a timesheet (true), or only those not owing one (false); see
    /// [`crate::pay::timesheets::due`].
    pub timesheet_due: Option<bool>,
}

/// A page of bookings, soonest first: a worker's own, or a trust's for its staff. Whether a
/// timesheet is due is judged at `now`.
///
/// # Errors
/// Forbidden; validation (cursor; neither a trust nor the caller's own bookings).
pub async fn list(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    filter: &BookingFilter,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<booking::Model>> {
    let mut q = booking::Entity::find();
    match (filter.trust_id, filter.worker_id) {
        (Some(t), w) => {
            authorize_at_trust(conn, actor, t, &TRUST_STAFF).await?;
            q = q.filter(booking::Column::TrustId.eq(t));
            if let Some(w) = w {
                q = q.filter(booking::Column::WorkerId.eq(w));
            }
        }
        (None, Some(w)) if actor.worker_id() == Some(w) => {
            q = q.filter(booking::Column::WorkerId.eq(w));
        }
        (None, _) => {
            return Err(forbidden(
                "list a trust's bookings (as its staff) or your own",
            ));
        }
    }
    q = q.filter(date_condition(filter.from, filter.to));
    if filter.active_only {
        q = q.filter(booking::Column::Active.eq(true));
    }
    match filter.timesheet_due {
        Some(true) => q = q.filter(crate::pay::timesheets::due_condition(now)),
        Some(false) => q = q.filter(crate::pay::timesheets::due_condition(now).not()),
        None => {}
    }
    if let Some((at, id)) = parse_cursor(page)? {
        q = q.filter(
            Condition::any().add(booking::Column::StartsAt.gt(at)).add(
                Condition::all()
                    .add(booking::Column::StartsAt.eq(at))
                    .add(booking::Column::Id.gt(id)),
            ),
        );
    }
    let rows = q
        .order_by_asc(booking::Column::StartsAt)
        .order_by_asc(booking::Column::Id)
        .limit(page.first + 1)
        .all(conn)
        .await?;
    Ok(Page::from_rows(rows, page.first, |b| {
        format!("{}|{}", b.starts_at.timestamp_micros(), b.id)
    }))
}

pub(crate) fn date_condition(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Condition {
    shifts::bounds_condition(booking::Column::StartsAt, from, to)
}

fn parse_cursor(page: &PageRequest) -> Result<Option<(DateTime<Utc>, Uuid)>> {
    shifts::parse_cursor(page)
}
