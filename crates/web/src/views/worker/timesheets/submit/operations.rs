//! The GraphQL operations of sending a timesheet: the booking (its shift, and any timesheet sent
//! before), `submitTimesheet`, and the timesheet sent.

use crate::fragments::{Trust, Ward};
use crate::schema::{DateTime, Uuid, schema};
use crate::viewer::Viewer;
use crate::views::worker::timesheets::TimesheetState;

#[derive(cynic::QueryVariables)]
pub(super) struct BookingVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BookingVariables")]
pub(super) struct BookingQuery {
    pub(super) me: Viewer,
    #[arguments(id: $id)]
    pub(super) booking: Booking,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Booking {
    pub(super) shift: Shift,
    pub(super) timesheet_due: bool,
    pub(super) timesheet: Option<Previous>,
}

/// The timesheet already sent for the booking, if any.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
pub(super) struct Previous {
    pub(super) id: Uuid,
    pub(super) started_at: DateTime,
    pub(super) ended_at: DateTime,
    pub(super) break_minutes: i32,
    pub(super) state: Option<TimesheetState>,
    pub(super) query_reason: Option<String>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Shift {
    pub(super) starts_local: crate::schema::NaiveDateTime,
    pub(super) ends_local: crate::schema::NaiveDateTime,
    pub(super) break_minutes: i32,
    pub(super) ward: Ward,
    pub(super) trust: Trust,
}

#[derive(cynic::QueryVariables)]
pub(super) struct SubmitVariables {
    pub(super) booking_id: Uuid,
    pub(super) started_at: DateTime,
    pub(super) ended_at: DateTime,
    pub(super) break_minutes: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SubmitVariables")]
pub(super) struct Submit {
    #[arguments(bookingId: $booking_id, startedAt: $started_at, endedAt: $ended_at, breakMinutes: $break_minutes)]
    pub(super) submit_timesheet: Submitted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
pub(super) struct Submitted {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryVariables)]
pub(super) struct SentVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SentVariables")]
pub(super) struct SentQuery {
    pub(super) me: Viewer,
    #[arguments(id: $id)]
    pub(super) timesheet: SentTimesheet,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
pub(super) struct SentTimesheet {
    pub(super) started_at: DateTime,
    pub(super) ended_at: DateTime,
    pub(super) break_minutes: i32,
    pub(super) trust: Trust,
}
