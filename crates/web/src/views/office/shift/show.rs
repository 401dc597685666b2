//! `GET /office/shifts/{id}`: the shift's facts, release tiers and timeline, who is booked (each
//! booking with "Cancel booking" before the start, "Record a no-show" after), and the bank's
//! workers ranked for it, each score broken into its parts, with "Book" for each. With
//! `?ineligible=yes` the list has everyone, the ineligible with their reasons. Pages of 20.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::reasons::{self, Context};
use super::{
    OfficeShift, WorkerName, booking_tag, consequence, facts, fee_words, parse_id, status_tag,
};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;
use crate::views::office::Office;
use crate::views::worker::bookings::BookingState;
use crate::views::worker::shifts::{EligibilityReason, ShiftStatus, grade_name};

/// Workers per page: those who can work it, or everyone (whose reasons take more room).
const PAGE: i32 = 20;
const PAGE_WITH_REASONS: i32 = 10;

#[derive(cynic::QueryVariables)]
struct PageVariables {
    id: Uuid,
    all: bool,
    first: i32,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PageVariables")]
struct ShiftPageQuery {
    /// The signed-in person, asked with the rest (one round trip).
    me: Viewer,
    #[arguments(id: $id)]
    shift: OfficeShift,
    #[arguments(shiftId: $id, includeIneligible: $all, first: $first, after: $after)]
    eligible_workers: Matches,
    credential_kinds: Vec<Kind>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialKind")]
struct Kind {
    code: String,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerMatchConnection")]
struct Matches {
    page_info: PageInfo,
    nodes: Vec<WorkerMatch>,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(cynic::QueryFragment)]
struct WorkerMatch {
    worker: MatchedWorker,
    eligible: bool,
    score: i32,
    score_parts: Vec<ScorePart>,
    reasons: Vec<EligibilityReason>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct MatchedWorker {
    id: Uuid,
    given_name: String,
    family_name: String,
    grade: String,
    home_trust: HomeTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct HomeTrust {
    name: String,
}

#[derive(cynic::QueryFragment)]
struct ScorePart {
    criterion: ScoreCriterion,
    points: Decimal,
    out_of: i32,
}

/// What a part of the score measures (the API's `ScoreCriterion`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
enum ScoreCriterion {
    WorkedWard,
    SameTrust,
    FewerHours,
    Reliability,
    #[cynic(fallback)]
    Other,
}

impl ScoreCriterion {
    fn words(self) -> &'static str {
        match self {
            Self::WorkedWard => "Worked this ward before",
            Self::SameTrust => "From this trust",
            Self::FewerHours => "Fewer hours booked this week",
            Self::Reliability => "Reliability (few late cancellations or missed shifts)",
            Self::Other => "Other",
        }
    }
}

/// The address's options.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    /// `yes`: include those who cannot work it.
    #[serde(default)]
    ineligible: String,
    /// The cursor this page of workers starts after.
    #[serde(default)]
    after: String,
    /// The cursors of the pages before, `.`-separated.
    #[serde(default)]
    trail: String,
    /// What was just done (`booked`, `cancelled`, `booking-cancelled`, `no-show`).
    #[serde(default)]
    done: String,
}

/// A booking as the page lists it.
struct BookingRow {
    id: Uuid,
    worker: String,
    tag: (&'static str, &'static str),
    how: String,
    can_cancel: bool,
    can_record_no_show: bool,
    note: Option<String>,
}

/// A worker as the page lists them.
struct WorkerRow {
    id: Uuid,
    name: String,
    grade: String,
    home: String,
    eligible: bool,
    score: i32,
    parts: Vec<(&'static str, String, i32)>,
    reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "office/shift/show.html")]
struct ShiftPage {
    layout: Layout,
    id: Uuid,
    heading: String,
    status: (&'static str, &'static str),
    facts: Vec<(&'static str, String)>,
    tiers: Vec<(String, String, bool)>,
    timeline: Vec<(String, String)>,
    bookings: Vec<BookingRow>,
    workers: Vec<WorkerRow>,
    ineligible: bool,
    bookable: bool,
    cancellable: bool,
    closed_because: Option<String>,
    done: Option<String>,
    toggle_href: String,
    pagination: Pagination,
}

/// `GET /office/shifts/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id = parse_id(&id)?;
    let all = params.ineligible == "yes";
    let after = Some(params.after.trim().to_owned()).filter(|a| !a.is_empty());
    let answer = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ShiftPageQuery::build(PageVariables {
            id,
            all,
            first: if all { PAGE_WITH_REASONS } else { PAGE },
            after: after.clone(),
        }),
    )
    .await;
    let data = match answer {
        Ok(data) => data,
        // Someone who is not a bank office (or not signed in) is told so, as on every office
        // page, rather than why the shift's parts were refused; a bank office gets the error.
        Err(e) => {
            Office::of(&state, &visitor).await?;
            return Err(e.into());
        }
    };
    let office = Office::from_viewer(data.me)?;
    let s = &data.shift;
    let kinds: Vec<(String, String)> = data
        .credential_kinds
        .iter()
        .map(|k| (k.code.clone(), k.name.clone()))
        .collect();
    let mut accepted = vec![s.grade.clone()];
    accepted.extend(s.fallback_grades.iter().cloned());
    let cx = Context {
        trust: &s.trust.name,
        accepted: &accepted,
        kinds: &kinds,
    };
    let bookable = matches!(
        s.status,
        ShiftStatus::Pending | ShiftStatus::Open | ShiftStatus::Escalated
    );
    let closed_because = match s.status {
        ShiftStatus::Filled => Some("Every place on this shift is booked.".to_owned()),
        ShiftStatus::Unfilled => Some("This shift has started.".to_owned()),
        ShiftStatus::Cancelled => Some("This shift has been cancelled.".to_owned()),
        _ => None,
    };
    let workers = data
        .eligible_workers
        .nodes
        .iter()
        .map(|m| WorkerRow::of(m, &cx))
        .collect();
    let pagination = pages(&params, id, all, &data.eligible_workers.page_info);
    let title = format!(
        "{} shift, {}",
        grade_name(&s.grade),
        format::shift_time(s.starts_local, s.ends_local)
    );
    render(&ShiftPage {
        layout: office.layout(&visitor, &title, "/office"),
        id,
        heading: title.clone(),
        status: status_tag(s.status),
        facts: facts(s),
        tiers: tiers(s),
        timeline: timeline(s),
        bookings: bookings(s),
        workers,
        ineligible: all,
        bookable,
        cancellable: s.cancelled_at.is_none()
            && !matches!(s.status, ShiftStatus::Unfilled)
            && s.starts_local > format::london(chrono::Utc::now()),
        closed_because,
        done: done_words(&params.done),
        toggle_href: if all {
            format!("/office/shifts/{id}#workers")
        } else {
            format!("/office/shifts/{id}?ineligible=yes#workers")
        },
        pagination,
    })
}

impl WorkerRow {
    /// A worker the shift could go to: their score in parts, and what keeps them from it.
    fn of(m: &WorkerMatch, cx: &Context<'_>) -> Self {
        Self {
            id: m.worker.id,
            name: format!("{} {}", m.worker.given_name, m.worker.family_name),
            grade: grade_name(&m.worker.grade),
            home: m.worker.home_trust.name.clone(),
            eligible: m.eligible,
            score: m.score,
            parts: m
                .score_parts
                .iter()
                .map(|p| {
                    (
                        p.criterion.words(),
                        p.points.round_dp(1).normalize().to_string(),
                        p.out_of,
                    )
                })
                .collect(),
            reasons: m.reasons.iter().map(|r| reasons::sentence(r, cx)).collect(),
        }
    }
}

fn done_words(done: &str) -> Option<String> {
    match done {
        "booked" => Some("The worker is booked. They have been sent an email.".to_owned()),
        "cancelled" => {
            Some("The shift is cancelled. Anyone booked on it has been told by email.".to_owned())
        }
        "booking-cancelled" => Some(
            "The booking is cancelled and the worker has been told. The place is open again."
                .to_owned(),
        ),
        "no-show" => Some("The no-show is recorded.".to_owned()),
        _ => None,
    }
}

fn pages(params: &PageParams, id: Uuid, all: bool, info: &PageInfo) -> Pagination {
    let base = |after: &str, trail: &str| {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if all {
            pairs.push(("ineligible", "yes"));
        }
        if !after.is_empty() {
            pairs.push(("after", after));
        }
        if !trail.is_empty() {
            pairs.push(("trail", trail));
        }
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if q.is_empty() {
            format!("/office/shifts/{id}#workers")
        } else {
            format!("/office/shifts/{id}?{q}#workers")
        }
    };
    let first_page = params.after.trim().is_empty();
    let mut trail: Vec<&str> = params.trail.split('.').filter(|c| !c.is_empty()).collect();
    let previous = (!first_page).then(|| {
        let back_to = trail.pop().unwrap_or_default();
        base(back_to, &trail.join("."))
    });
    let next = info
        .has_next_page
        .then_some(info.end_cursor.as_deref())
        .flatten()
        .map(|end| {
            let mut t: Vec<&str> = params.trail.split('.').filter(|c| !c.is_empty()).collect();
            if !first_page {
                t.push(params.after.trim());
            }
            base(end, &t.join("."))
        });
    Pagination { previous, next }
}

/// Each tier: who it reaches, when it opens (or opened), whether open now.
fn tiers(s: &OfficeShift) -> Vec<(String, String, bool)> {
    s.cascade
        .iter()
        .map(|t| {
            let mut who = t.audience.words().to_owned();
            if let Some(c) = who.get(..1) {
                who = c.to_uppercase() + &who[1..];
            }
            let when = if t.open {
                format!("Open since {}", format::when(t.opens_at))
            } else {
                format!("Opens {}", format::when(t.opens_at))
            };
            (who, when, t.open)
        })
        .collect()
}

/// What has happened to the shift, oldest first: posted, tiers opening, bookings and their ends,
/// cancelled.
fn timeline(s: &OfficeShift) -> Vec<(String, String)> {
    let now = chrono::Utc::now();
    let mut events: Vec<(crate::schema::DateTime, String)> =
        vec![(s.posted_at, "Posted".to_owned())];
    for t in s.cascade.iter().filter(|t| t.opens_at <= now) {
        events.push((t.opens_at, format!("Offered to {}", t.audience.words())));
    }
    for b in &s.bookings {
        let who = b
            .worker
            .as_ref()
            .map_or_else(|| "A worker".to_owned(), WorkerName::full);
        for e in &b.history {
            let what = match e.event.as_str() {
                "BOOKED" if b.self_booked => format!("{who} booked"),
                "BOOKED" => format!("{who} booked by the bank office"),
                "CANCELLED_BY_WORKER" => format!("{who} cancelled"),
                "CANCELLED_BY_TRUST" => format!("{who}'s booking cancelled by the trust"),
                "NO_SHOW" => format!("{who} did not attend"),
                _ => format!("{who}'s booking changed"),
            };
            let what = match e.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                Some(r) => format!("{what}: {r}"),
                None => what,
            };
            events.push((e.at, what));
        }
    }
    if let Some(at) = s.cancelled_at {
        let why = s
            .cancel_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        events.push((
            at,
            why.map_or_else(
                || "Shift cancelled".to_owned(),
                |r| format!("Shift cancelled: {r}"),
            ),
        ));
    }
    events.sort_by_key(|(at, _)| *at);
    events
        .into_iter()
        .map(|(at, what)| (format::when(at), what))
        .collect()
}

fn bookings(s: &OfficeShift) -> Vec<BookingRow> {
    let started = s.starts_local <= format::london(chrono::Utc::now());
    let mut rows: Vec<BookingRow> = s
        .bookings
        .iter()
        .map(|b| BookingRow {
            id: b.id,
            worker: b
                .worker
                .as_ref()
                .map_or_else(|| "A worker".to_owned(), WorkerName::full),
            tag: booking_tag(b.state),
            how: if b.self_booked {
                format!("Booked themself, {}", format::when(b.created_at))
            } else {
                format!("Booked by the bank office, {}", format::when(b.created_at))
            },
            can_cancel: b.cancellation_preview.is_some(),
            can_record_no_show: b.active && b.state == BookingState::Booked && started,
            note: b
                .cancellation_preview
                .as_ref()
                .map(|p| consequence(p, &s.trust.name))
                .or_else(|| {
                    b.cancellation.as_ref().map(|c| match &c.fee {
                        Some(f) => format!(
                            "Cancelled late: {}. The trust owes a fee of {}.",
                            c.reason.trim(),
                            fee_words(f.minutes)
                        ),
                        None => format!("Cancelled: {}", c.reason.trim()),
                    })
                }),
        })
        .collect();
    // Those holding a place first.
    rows.sort_by_key(|r| r.tag.1 != "Booked");
    rows
}
