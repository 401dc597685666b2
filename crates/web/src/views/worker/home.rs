//! The worker's home: the next booked shift, shifts waiting for a timesheet (the first ten), credentials
//! expiring within 30 days with the open shifts each would cost, and how many open shifts there
//! are. One operation answers all of it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::fragments::{Trust, Ward};
use crate::layout::Layout;
use crate::schema::{NaiveDate, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

/// How far ahead the home warns of expiring checks and training.
const EXPIRY_WARNING_DAYS: i32 = 30;

#[derive(cynic::QueryVariables)]
struct HomeVariables {
    today: Option<NaiveDate>,
    within_days: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "HomeVariables")]
struct HomeQuery {
    me: Viewer,
    #[arguments(from: $today, activeOnly: true, first: 1)]
    my_bookings: BookingConnection,
    #[arguments(timesheetDue: true, first: 10)]
    #[cynic(alias, rename = "myBookings")]
    timesheets_due: BookingConnection,
    #[arguments(withinDays: $within_days)]
    my_shift_outlook: ShiftOutlook,
}

#[derive(cynic::QueryFragment)]
struct BookingConnection {
    nodes: Vec<Booking>,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    id: Uuid,
    shift: Shift,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: Ward,
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct ShiftOutlook {
    open_shifts: i32,
    expiring_credentials: Vec<ExpiringCredential>,
}

#[derive(cynic::QueryFragment)]
struct ExpiringCredential {
    expires_on: NaiveDate,
    requirement_name: String,
    shifts_at_risk: i32,
}

#[derive(Template)]
#[template(path = "worker/home.html")]
struct HomePage {
    layout: Layout,
    next_shift: Option<ShiftLine>,
    timesheets_due: Vec<ShiftLine>,
    open_shifts: String,
    expiring: Vec<Expiring>,
    welcome: bool,
}

/// What the home page's address may carry.
#[derive(Debug, serde::Deserialize)]
pub struct HomeParams {
    /// Just joined through an invitation (`/invitation/...`): say welcome.
    welcome: Option<String>,
}

/// A shift as one line of the home page.
struct ShiftLine {
    href: String,
    when: String,
    place: String,
}

impl ShiftLine {
    fn of(booking: Booking) -> Self {
        Self {
            href: format!("/worker/bookings/{}", booking.id),
            when: format::shift_time(booking.shift.starts_local, booking.shift.ends_local),
            place: format!("{}, {}", booking.shift.ward.name, booking.shift.trust.name),
        }
    }
}

/// An expiring credential, in words.
struct Expiring {
    heading: String,
    message: String,
}

impl Expiring {
    fn of(c: ExpiringCredential) -> Self {
        let by = format::date_short(c.expires_on);
        let message = if c.shifts_at_risk == 1 {
            format!(
                "Renew {} before {by} or you cannot book 1 shift that is open to you.",
                c.requirement_name
            )
        } else if c.shifts_at_risk > 1 {
            format!(
                "Renew {} before {by} or you cannot book {} of the shifts open to you.",
                c.requirement_name, c.shifts_at_risk
            )
        } else {
            format!(
                "Renew {} before {by} to keep booking shifts that need it.",
                c.requirement_name
            )
        };
        Self {
            heading: format!("{} runs out on {by}", c.requirement_name),
            message,
        }
    }
}

/// `GET /worker`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<HomeParams>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        HomeQuery::build(HomeVariables {
            today: Some(format::today()),
            within_days: EXPIRY_WARNING_DAYS,
        }),
    )
    .await?;
    let outlook = data.my_shift_outlook;
    render(&HomePage {
        layout: super::layout(&visitor, &data.me, "Home", "/worker"),
        next_shift: data.my_bookings.nodes.into_iter().next().map(ShiftLine::of),
        timesheets_due: data
            .timesheets_due
            .nodes
            .into_iter()
            .map(|b| ShiftLine {
                href: format!("/worker/bookings/{}/timesheet", b.id),
                ..ShiftLine::of(b)
            })
            .collect(),
        open_shifts: match outlook.open_shifts {
            0 => "There are no shifts open to you right now.".to_owned(),
            1 => "There is 1 shift open to you.".to_owned(),
            n => format!("There are {n} shifts open to you."),
        },
        expiring: outlook
            .expiring_credentials
            .into_iter()
            .map(Expiring::of)
            .collect(),
        welcome: params.welcome.is_some(),
    })
}
