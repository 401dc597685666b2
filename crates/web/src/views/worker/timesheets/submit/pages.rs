//! The pages of sending a timesheet: the form, the check-your-answers page and the confirmation.

use askama::Template;
use chrono::NaiveDateTime;

use super::operations::Booking;
use super::times::TimesForm;
use crate::format;
use crate::forms::{CsrfField, DateInput, Errors, Input};
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::viewer::Viewer;
use crate::views::worker::layout;
use crate::views::worker::timesheets::TimesheetState;

#[derive(Template)]
#[template(path = "worker/timesheets/form.html")]
pub(super) struct FormPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) action: String,
    pub(super) ward: String,
    pub(super) booked: String,
    pub(super) query_reason: Option<String>,
    pub(super) start: DateInput,
    pub(super) start_time: Input,
    pub(super) end: DateInput,
    pub(super) end_time: Input,
    pub(super) break_minutes: Input,
}

impl FormPage {
    pub(super) fn new(
        visitor: &Visitor,
        me: &Viewer,
        booking_id: Uuid,
        booking: &Booking,
        form: &TimesForm,
        errors: Errors,
    ) -> Self {
        let shift = &booking.shift;
        let time_hint = "Use the 24-hour clock, for example 07:30 or 19:45";
        Self {
            layout: layout(visitor, me, "Send your timesheet", "/worker/timesheets")
                .with_errors(!errors.is_empty()),
            action: format!("/worker/bookings/{booking_id}/timesheet"),
            ward: format!("{}, {}", shift.ward.name, shift.trust.name),
            booked: format::shift_time(shift.starts_local, shift.ends_local),
            query_reason: booking
                .timesheet
                .as_ref()
                .filter(|t| t.state == Some(TimesheetState::Queried))
                .and_then(|t| t.query_reason.clone()),
            start: DateInput::new("start", "Date you started")
                .hint(format!("For example, {}", example_date(shift.starts_local)))
                .value(&form.start())
                .error_from(&errors),
            start_time: Input::new("start-time", "Time you started")
                .hint(time_hint)
                .value(form.start_time.clone())
                .width("nhsuk-input--width-5")
                .error_from(&errors),
            end: DateInput::new("end", "Date you finished")
                .hint("If you finished after midnight, this is the next day")
                .value(&form.end())
                .error_from(&errors),
            end_time: Input::new("end-time", "Time you finished")
                .hint(time_hint)
                .value(form.end_time.clone())
                .width("nhsuk-input--width-5")
                .error_from(&errors),
            break_minutes: Input::new("break", "Unpaid break, in minutes")
                .hint("Enter 0 if you did not have a break")
                .value(form.break_minutes.clone())
                .inputmode("numeric")
                .width("nhsuk-input--width-3")
                .error_from(&errors),
            errors,
        }
    }
}

fn example_date(at: NaiveDateTime) -> String {
    at.format("%-d %-m %Y").to_string()
}

#[derive(Template)]
#[template(path = "worker/timesheets/check.html")]
pub(super) struct CheckPage {
    pub(super) layout: Layout,
    pub(super) action: String,
    pub(super) change: String,
    pub(super) ward: String,
    pub(super) booked: String,
    pub(super) started: String,
    pub(super) finished: String,
    pub(super) break_words: String,
    pub(super) worked: String,
    pub(super) form: TimesForm,
}

#[derive(Template)]
#[template(path = "worker/timesheets/sent.html")]
pub(super) struct SentPage {
    pub(super) layout: Layout,
    pub(super) worked: String,
    pub(super) break_words: String,
    pub(super) trust: String,
    pub(super) href: String,
}
