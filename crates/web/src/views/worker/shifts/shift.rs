//! One shift: what, where and when (London time), its break and length, what it pays line by
//! line, the trust's cancellation terms, and whether the worker can book it. Whether they can is
//! the API's answer, all in one operation: the shift's status says when it cannot be booked by
//! anyone (filled, withdrawn, started), and `myEligibility` — the judgement booking itself makes —
//! gives every reason this worker cannot, which the page puts in plain English.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{
    EligibilityReason, ReasonContext, Refusal, ShiftStatus, grade_name, hours, pay_code_name,
    reason_sentence,
};
use crate::WebState;
use crate::api::{self, ApiError};
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{Decimal, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
pub(super) struct ShiftVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ShiftVariables")]
pub(super) struct ShiftQuery {
    pub(super) me: Viewer,
    #[arguments(id: $id)]
    pub(super) shift: ShiftDetail,
    /// For naming the requirements a reason may be about.
    pub(super) credential_kinds: Vec<Kind>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "CredentialKind")]
pub(super) struct Kind {
    pub(super) code: String,
    pub(super) name: String,
}

/// A shift as the shift and booking pages show it.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Shift")]
pub(super) struct ShiftDetail {
    pub(super) id: Uuid,
    pub(super) grade: String,
    pub(super) fallback_grades: Vec<String>,
    pub(super) starts_local: NaiveDateTime,
    pub(super) ends_local: NaiveDateTime,
    pub(super) length_minutes: i32,
    pub(super) break_minutes: i32,
    pub(super) worked_minutes: i32,
    pub(super) positions: i32,
    pub(super) filled_positions: i32,
    pub(super) notes: Option<String>,
    pub(super) status: ShiftStatus,
    pub(super) cancel_reason: Option<String>,
    pub(super) my_pay: Option<PayQuote>,
    pub(super) my_eligibility: Option<Eligibility>,
    pub(super) market_policy: Terms,
    pub(super) trust: TrustRef,
    pub(super) site: SiteRef,
    pub(super) ward: WardRef,
    pub(super) bookings: Vec<OwnBooking>,
}

/// Whether the worker may book it, and if not why (the API's `ShiftEligibility`).
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "ShiftEligibility")]
pub(super) struct Eligibility {
    pub(super) eligible: bool,
    pub(super) reasons: Vec<EligibilityReason>,
}

#[derive(cynic::QueryFragment, Debug)]
pub(super) struct PayQuote {
    pub(super) grade: String,
    pub(super) lines: Vec<PayLine>,
    pub(super) total: Decimal,
}

#[derive(cynic::QueryFragment, Debug)]
pub(super) struct PayLine {
    pub(super) code: String,
    pub(super) hours: Decimal,
    pub(super) rate: Decimal,
    pub(super) enhancement: Decimal,
    pub(super) amount: Decimal,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Trust")]
pub(super) struct TrustRef {
    pub(super) name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Site")]
pub(super) struct SiteRef {
    pub(super) name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Ward")]
pub(super) struct WardRef {
    pub(super) name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Booking")]
pub(super) struct OwnBooking {
    pub(super) id: Uuid,
    pub(super) active: bool,
}

/// The trust's cancellation terms.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "MarketPolicy")]
pub(super) struct Terms {
    worker_short_notice_minutes: i32,
    strike_limit: i32,
    strike_window_days: i32,
}

/// Whether the worker can book the shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Standing {
    /// Nothing stops them.
    Bookable,
    /// They hold a booking on it.
    Booked(String),
    /// No one can book it, for a reason the shift shows.
    Closed(String),
    /// Something stops them: every reason, in plain English.
    NotEligible(Vec<String>),
}

/// Everything the shift and booking pages show.
pub(super) struct Loaded {
    pub(super) me: Viewer,
    pub(super) shift: ShiftDetail,
    pub(super) standing: Standing,
    /// Credential kind codes and their names, for wording reasons.
    pub(super) kinds: Vec<(String, String)>,
}

/// Loads a shift, its trust's terms, and whether the worker can book it, in one operation.
pub(super) async fn load(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<Loaded, ApiError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ShiftQuery::build(ShiftVariables { id }),
    )
    .await?;
    let kinds: Vec<(String, String)> = data
        .credential_kinds
        .into_iter()
        .map(|k| (k.code, k.name))
        .collect();
    let s = &data.shift;
    let standing = if let Some(b) = s.bookings.iter().find(|b| b.active) {
        Standing::Booked(format!("/worker/bookings/{}", b.id))
    } else {
        match s.status {
            ShiftStatus::Cancelled => Standing::Closed(match &s.cancel_reason {
                Some(r) if !r.trim().is_empty() => {
                    format!("{} has withdrawn this shift: {}.", s.trust.name, r.trim())
                }
                _ => format!("{} has withdrawn this shift.", s.trust.name),
            }),
            ShiftStatus::Filled => {
                Standing::Closed("Every place on this shift has been booked.".to_owned())
            }
            ShiftStatus::Unfilled => Standing::Closed("This shift has already started.".to_owned()),
            ShiftStatus::Pending | ShiftStatus::Open | ShiftStatus::Escalated => {
                eligibility_standing(s, &kinds)
            }
        }
    };
    Ok(Loaded {
        me: data.me,
        shift: data.shift,
        standing,
        kinds,
    })
}

/// What `myEligibility` says, in words (only bank workers book for themselves: anyone else is told
/// so).
fn eligibility_standing(s: &ShiftDetail, kinds: &[(String, String)]) -> Standing {
    let Some(e) = &s.my_eligibility else {
        return Standing::Closed("Only bank workers can book shifts for themselves.".to_owned());
    };
    if e.eligible {
        return Standing::Bookable;
    }
    let cx = ReasonContext {
        trust: &s.trust.name,
        kinds,
    };
    let accepted: Vec<String> = std::iter::once(s.grade.clone())
        .chain(s.fallback_grades.iter().cloned())
        .collect();
    let mut said: Vec<String> = e
        .reasons
        .iter()
        .map(|r| reason_sentence(&Refusal::from_reason(r, &accepted), &cx))
        .collect();
    said.dedup();
    if said.is_empty() {
        said.push("Something stops you booking this shift".to_owned());
    }
    Standing::NotEligible(said)
}

/// The shift's facts as summary-list rows (key, value).
pub(super) fn facts(s: &ShiftDetail) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        (
            "Date and time",
            format::shift_time(s.starts_local, s.ends_local),
        ),
        ("Ward", s.ward.name.clone()),
        ("Hospital", s.site.name.clone()),
        ("Trust", s.trust.name.clone()),
        ("Grade", grade_name(&s.grade)),
        (
            "Length",
            format!(
                "{}, with an unpaid break of {}",
                format::duration_minutes(i64::from(s.length_minutes)),
                format::duration_minutes(i64::from(s.break_minutes))
            ),
        ),
        (
            "Paid time",
            format::duration_minutes(i64::from(s.worked_minutes)),
        ),
    ];
    if s.positions > 1 {
        rows.push((
            "Places",
            format!(
                "{} of {} places left",
                s.positions - s.filled_positions,
                s.positions
            ),
        ));
    }
    if let Some(n) = s.notes.as_ref().filter(|n| !n.trim().is_empty()) {
        rows.push(("Notes from the ward", n.trim().to_owned()));
    }
    rows
}

/// The trust's cancellation terms in sentences.
pub(super) fn terms_sentences(t: &Terms, trust: &str) -> Vec<String> {
    let mut out = vec![format!(
        "If you cannot work this shift, cancel as soon as you can. Cancelling less than {} \
         before it starts counts as short notice.",
        format::duration_minutes(i64::from(t.worker_short_notice_minutes))
    )];
    if t.strike_limit > 0 {
        out.push(format!(
            "If you cancel at short notice or do not attend {} in {} days, you will not be able \
             to book shifts at {trust} yourself. Its bank office can still book you.",
            format::count(i64::from(t.strike_limit), "time"),
            t.strike_window_days
        ));
    }
    out
}

/// One pay line, in words.
pub(super) struct PayRow {
    pub(super) name: String,
    pub(super) hours: String,
    pub(super) rate: String,
    pub(super) amount: String,
}

/// The pay lines and total, if the API quotes pay.
pub(super) fn pay(s: &ShiftDetail) -> Option<(Vec<PayRow>, String, String)> {
    s.my_pay.as_ref().map(|p| {
        (
            p.lines
                .iter()
                .map(|l| {
                    // A line paid on the others (holiday pay) has no hours of its own: its rate
                    // is the uplift.
                    let (h, rate) = if l.hours.is_zero() {
                        let pct = (l.enhancement * Decimal::ONE_HUNDRED)
                            .round_dp(2)
                            .normalize();
                        ("Not applicable".to_owned(), format!("{pct}% of your pay"))
                    } else {
                        (hours(l.hours), format::money(l.rate))
                    };
                    PayRow {
                        name: pay_code_name(&l.code),
                        hours: h,
                        rate,
                        amount: format::money(l.amount),
                    }
                })
                .collect(),
            format::money(p.total),
            grade_name(&p.grade),
        )
    })
}

#[derive(Template)]
#[template(path = "worker/shifts/shift.html")]
struct ShiftPage {
    layout: Layout,
    id: Uuid,
    caption: String,
    heading: String,
    facts: Vec<(&'static str, String)>,
    pay: Option<(Vec<PayRow>, String, String)>,
    terms: Vec<String>,
    standing: Standing,
}

/// `GET /worker/shifts/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: Uuid = id.parse().map_err(|_| PageError::NotFound)?;
    let l = load(&state, &visitor, id).await?;
    let s = &l.shift;
    render(&ShiftPage {
        layout: super::super::layout(
            &visitor,
            &l.me,
            &format::shift_time(s.starts_local, s.ends_local),
            "/worker/shifts",
        ),
        id: s.id,
        caption: format!("{}, {}", s.ward.name, s.site.name),
        heading: format::shift_time(s.starts_local, s.ends_local),
        facts: facts(s),
        pay: pay(s),
        terms: terms_sentences(&s.market_policy, &s.trust.name),
        standing: l.standing.clone(),
    })
}
