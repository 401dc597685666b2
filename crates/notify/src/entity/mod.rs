//! The table this crate owns.

pub mod outbox;
