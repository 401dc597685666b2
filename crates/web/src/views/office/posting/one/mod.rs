//! Posting one shift: the form (`GET /office/shifts/new`), the check-your-answers page (its POST;
//! nothing is posted yet), `postShift` on confirming, and the confirmation. A refusal by the API
//! (a grade of another staff group, a break too short, a date in the past) brings the form back
//! with the message against its field and everything typed kept.

mod check_page;
mod form_page;
mod handlers;
mod operations;
mod posted;

pub use handlers::{check, form, post};
pub use posted::posted;
