//! Shared vocabulary of staffbank: who is acting ([`Actor`]), what time it is ([`Clock`]),
//! the kinds of failure every domain crate reports ([`ErrorKind`]), validated values at the edge
//! ([`Email`], [`Password`]), the database helpers every crate uses ([`db`]), and the accounts
//! that people sign in with ([`accounts`]) and their sign-in [`sessions`], and the one rule for
//! text inputs ([`text`]).

pub mod accounts;
pub mod actor;
pub mod clock;
pub mod code;
pub mod db;
pub mod email;
pub mod entity;
pub mod error;
pub mod grade;
pub mod id;
pub mod jobs;
pub mod notifications;
pub mod page;
pub mod password;
pub mod secret;
pub mod sessions;
pub mod text;
pub mod throttle;
pub mod time;

pub use actor::{Actor, BanksMemo, Grant, GrantBanks, Role};
pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use email::Email;
pub use error::{Classify, Error, ErrorKind};
pub use grade::{Grade, StaffGroup};
pub use id::new_id;
pub use page::{Page, PageRequest};
pub use password::{NewPassword, Password};
pub use secret::Secret;
