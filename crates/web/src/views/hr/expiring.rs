//! `GET /hr/expiring`: across the workers engaged at this trust, the checks that stop counting in
//! the next N days (30 unless chosen with the GET form), soonest first, each with the shifts the
//! worker is booked on here that the expiry would hit (a worker must be compliant at a shift's
//! end), so HR can chase the renewals that would cost shifts first.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{Errors, Input};
use crate::fragments::Ward;
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;

/// Days ahead when none are chosen.
const DEFAULT_DAYS: i32 = 30;
/// The furthest ahead the API looks.
const MAX_DAYS: i32 = 365;

#[derive(cynic::QueryVariables)]
struct ExpiringVariables {
    trust_id: Uuid,
    within_days: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ExpiringVariables")]
struct ExpiringQuery {
    #[arguments(trustId: $trust_id, withinDays: $within_days)]
    expiring_at_trust: Vec<Expiring>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialExpiringAtTrust")]
struct Expiring {
    credential: ExpiringCredential,
    worker: ExpiringWorker,
    expires_on: NaiveDate,
    bookings_hit: Vec<Hit>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
struct ExpiringCredential {
    id: Uuid,
    kind_name: String,
    level: Option<i32>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct ExpiringWorker {
    id: Uuid,
    given_name: String,
    family_name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct Hit {
    starts_at: DateTime,
    ends_at: DateTime,
    shift: HitShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct HitShift {
    ward: Ward,
}

/// One shift an expiry would hit.
struct HitRow {
    when: String,
    ward: String,
}

/// One expiring check.
struct Row {
    worker: String,
    worker_href: String,
    check: String,
    check_href: String,
    expires_on: String,
    days_left: String,
    hits: Vec<HitRow>,
}

#[derive(Template)]
#[template(path = "hr/expiring.html")]
struct ExpiringPage {
    layout: Layout,
    errors: Errors,
    trust_name: String,
    days: Input,
    within: i32,
    rows: Vec<Row>,
    costing: usize,
}

/// The form's field, as typed.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    days: String,
}

/// The expiring-soon page's route.
pub fn routes() -> Router<WebState> {
    Router::new().route("/hr/expiring", get(page))
}

/// `GET /hr/expiring`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    let typed = params.days.trim();
    let within = days_within(typed, &mut errors);
    let mut rows = Vec::new();
    if errors.is_empty() {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            ExpiringQuery::build(ExpiringVariables {
                trust_id: hr.trust.id,
                within_days: within,
            }),
        )
        .await
        {
            Ok(data) => {
                let today = format::today();
                rows = data
                    .expiring_at_trust
                    .into_iter()
                    .map(|e| Row::of(e, today))
                    .collect();
            }
            Err(e) if e.code == Code::Validation => {
                errors.add("days", format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let invalid = !errors.is_empty();
    let page = ExpiringPage {
        layout: hr
            .layout(&visitor, "Expiring soon", "/hr/expiring")
            .with_errors(invalid),
        trust_name: hr.trust.name.clone(),
        days: Input::new("days", "Expiring in the next")
            .hint("Number of days, up to 365")
            .value(if typed.is_empty() {
                DEFAULT_DAYS.to_string()
            } else {
                typed.to_owned()
            })
            .inputmode("numeric")
            .width("nhsuk-input--width-3")
            .error_from(&errors),
        within,
        costing: rows.iter().filter(|r| !r.hits.is_empty()).count(),
        rows,
        errors,
    };
    render_form(&page, invalid)
}

/// The number of days typed (the default when none was), or the default with the mistake
/// against the field `days`.
fn days_within(typed: &str, errors: &mut Errors) -> i32 {
    if typed.is_empty() {
        DEFAULT_DAYS
    } else {
        match typed.parse::<i32>() {
            Ok(n) if (1..=MAX_DAYS).contains(&n) => n,
            Ok(_) => {
                errors.add("days", format!("Days must be between 1 and {MAX_DAYS}"));
                DEFAULT_DAYS
            }
            Err(_) => {
                errors.add("days", "Days must be a whole number, like 30");
                DEFAULT_DAYS
            }
        }
    }
}

impl Row {
    /// One expiring check and the shifts it would cost (`today` in London).
    fn of(e: Expiring, today: NaiveDate) -> Self {
        let left = (e.expires_on - today).num_days();
        Self {
            worker: format!("{} {}", e.worker.given_name, e.worker.family_name),
            worker_href: format!("/hr/workers/{}", e.worker.id),
            check: super::checks::check_name(&e.credential.kind_name, e.credential.level),
            check_href: format!("/hr/credentials/{}", e.credential.id),
            expires_on: format::date(e.expires_on),
            days_left: if left <= 0 {
                "today".to_owned()
            } else {
                format!("in {}", format::count(left, "day"))
            },
            hits: e
                .bookings_hit
                .into_iter()
                .map(|b| HitRow {
                    when: format::shift_time(
                        format::london(b.starts_at),
                        format::london(b.ends_at),
                    ),
                    ward: b.shift.ward.name,
                })
                .collect(),
        }
    }
}
