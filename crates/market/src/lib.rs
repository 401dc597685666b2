//! The shift marketplace: trusts post shifts that cascade from their own staff to the whole
//! collaborative bank; workers are matched with reasons; bookings are taken in one transaction that
//! never double-books; cancellations follow each trust's policy.
//!
//! Domain functions take the caller ([`staffbank_core::Actor`]) and a connection or transaction,
//! and decide authorisation themselves. Nothing here knows HTTP or GraphQL.

pub mod booking;
pub mod booking_history;
pub mod cancellation;
pub mod eligibility;
pub mod entity;
pub mod error;
pub mod feed;
pub mod market_mail;
pub mod matching;
pub mod outlook;
pub mod pay;
pub mod policy;
pub mod posting;
pub mod preferred_workers;
pub mod ranking;
pub mod release_cascade;
pub mod restrictions;
pub mod shifts;
pub mod tier_announcements;
pub mod working_time;

pub use error::{Error, Result};
