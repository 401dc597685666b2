//! `GET /office/pay`: the timesheets ward managers have approved, waiting for the bank office to
//! approve them for payment — tick one or several, or approve every one listed — with links to
//! payroll export, past exports and recharges. `POST /office/pay/approve` runs
//! `approveTimesheetPayment` for each chosen timesheet and comes back here saying how many were
//! approved (and how many could not be, e.g. when someone else approved them meanwhile).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::super::Office;
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{Choice, Choices, Errors};
use crate::fragments::Ward;
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct WaitingVariables {
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WaitingVariables")]
struct WaitingQuery {
    // The first 100 (the page says when there are more).
    #[arguments(trustId: $trust_id, state: APPROVED, first: 100)]
    timesheets: TimesheetConnection,
}

#[derive(cynic::QueryFragment)]
struct TimesheetConnection {
    nodes: Vec<Timesheet>,
    page_info: PageInfo,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
}

#[derive(cynic::QueryFragment)]
struct Timesheet {
    id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
    approved_at: Option<DateTime>,
    worker: Worker,
    booking: Booking,
}

#[derive(cynic::QueryFragment)]
struct Worker {
    given_name: String,
    family_name: String,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    shift: Shift,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    break_minutes: i32,
    ward: Ward,
}

#[derive(cynic::QueryVariables)]
struct ApproveVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ApproveVariables")]
struct ApprovePayment {
    #[arguments(id: $id)]
    approve_timesheet_payment: Approved,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
struct Approved {
    id: Uuid,
}

/// What came of the last approval (from the address after the redirect).
#[derive(Debug, Deserialize, Default)]
pub struct Outcome {
    approved: Option<u32>,
    failed: Option<u32>,
}

#[derive(Template)]
#[template(path = "office/pay/approve.html")]
struct ApprovePage {
    layout: Layout,
    errors: Errors,
    trust: String,
    choices: Option<Choices>,
    shown: Vec<Uuid>,
    count: usize,
    more: bool,
    approved: Option<String>,
    failed: Option<String>,
}

/// The words of a timesheet: its worker and shift (the checkbox label), and the times worked
/// against the times booked (its hint).
fn choice(t: &Timesheet) -> Choice {
    let s = &t.booking.shift;
    let worked_from = format::london(t.started_at);
    let worked_to = format::london(t.ended_at);
    let worked_minutes = (t.ended_at - t.started_at).num_minutes() - i64::from(t.break_minutes);
    let same = worked_from == s.starts_local
        && worked_to == s.ends_local
        && t.break_minutes == s.break_minutes;
    let mut hint = format!(
        "Worked {} to {} with a break of {} ({} paid). ",
        format::time(worked_from),
        format::time(worked_to),
        format::duration_minutes(i64::from(t.break_minutes)),
        format::duration_minutes(worked_minutes.max(0)),
    );
    if same {
        hint.push_str("Same as booked.");
    } else {
        hint.push_str(&format!(
            "Booked {} to {} with a break of {}.",
            format::time(s.starts_local),
            format::time(s.ends_local),
            format::duration_minutes(i64::from(s.break_minutes)),
        ));
    }
    if let Some(at) = t.approved_at {
        hint.push_str(&format!(" Ward manager approved {}.", format::when(at)));
    }
    Choice::new(
        t.id.to_string(),
        format!(
            "{} {}: {}, {}",
            t.worker.given_name,
            t.worker.family_name,
            s.ward.name,
            format::shift_time(s.starts_local, s.ends_local)
        ),
    )
    .hint(hint)
}

async fn show(
    state: &WebState,
    visitor: &Visitor,
    errors: Errors,
    checked: &[String],
    outcome: &Outcome,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let office = Office::of(state, visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WaitingQuery::build(WaitingVariables {
            trust_id: Some(office.trust.id),
        }),
    )
    .await?;
    let sheets = data.timesheets.nodes;
    let shown: Vec<Uuid> = sheets.iter().map(|t| t.id).collect();
    let choices = (!sheets.is_empty()).then(|| {
        Choices::checkboxes(
            "timesheet",
            "Choose the timesheets to approve for payment",
            sheets
                .iter()
                .map(|t| choice(t).checked(checked.contains(&t.id.to_string())))
                .collect(),
        )
        .hint("Each has been approved by the ward manager. Its pay is worked out when you approve it.")
        .error_from(&errors)
    });
    let invalid = !errors.is_empty();
    let page = ApprovePage {
        layout: office
            .layout(visitor, "Pay", "/office/pay")
            .with_errors(invalid),
        errors,
        trust: office.trust.name.clone(),
        choices,
        count: shown.len(),
        shown,
        more: data.timesheets.page_info.has_next_page,
        approved: outcome.approved.filter(|n| *n > 0).map(|n| {
            format!(
                "{} approved for payment",
                format::count(n.into(), "timesheet")
            )
        }),
        failed: outcome.failed.filter(|n| *n > 0).map(|n| {
            format!(
                "{} could not be approved: someone may have approved or changed {} meanwhile. \
                 The list shows what still waits.",
                format::count(n.into(), "timesheet"),
                if n == 1 { "it" } else { "them" }
            )
        }),
    };
    render_form(&page, invalid)
}

/// `GET /office/pay`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(outcome): Query<Outcome>,
) -> Result<Response, PageError> {
    show(&state, &visitor, Errors::new(), &[], &outcome).await
}

/// The approval form: the ticked timesheets, every one listed, and which button was pressed.
#[derive(Debug, Default)]
struct ApproveForm {
    timesheet: Vec<String>,
    shown: Vec<String>,
    approve: String,
}

impl ApproveForm {
    /// From the posted fields (`timesheet` and `shown` repeat, one per timesheet).
    fn parse(body: &[u8]) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "timesheet" => f.timesheet.push(v),
                "shown" => f.shown.push(v),
                "approve" => f.approve = v,
                _ => {}
            }
        }
        f
    }
}

/// `POST /office/pay/approve`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let form = ApproveForm::parse(&body);
    let chosen = if form.approve == "all" {
        &form.shown
    } else {
        &form.timesheet
    };
    let ids: Vec<Uuid> = chosen.iter().filter_map(|s| s.parse().ok()).collect();
    if ids.is_empty() {
        let mut errors = Errors::new();
        errors.add("timesheet", "Select the timesheets to approve for payment");
        return show(&state, &visitor, errors, &[], &Outcome::default()).await;
    }
    let (mut approved, mut failed) = (0u32, 0u32);
    for id in ids {
        use cynic::MutationBuilder;
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            ApprovePayment::build(ApproveVariables { id }),
        )
        .await
        {
            Ok(done) if done.approve_timesheet_payment.id == id => approved += 1,
            Ok(_) => failed += 1,
            Err(e)
                if matches!(
                    e.code,
                    api::Code::Conflict | api::Code::NotFound | api::Code::Validation
                ) =>
            {
                tracing::info!(%id, error = %e.message, "timesheet not approved for payment");
                failed += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Redirect::to(&format!("/office/pay?approved={approved}&failed={failed}")).into_response())
}
