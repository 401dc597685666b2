//! Tables owned by the bank.

pub mod access_log_entry;
pub mod credential;
pub mod credential_decline;
pub mod credential_event;
pub mod credential_recognition;
pub mod invitation;
pub mod membership;
pub mod membership_event;
pub mod requirement;
pub mod site;
pub mod system;
pub mod trust;
pub mod ward;
pub mod worker;
pub mod worker_skill;
