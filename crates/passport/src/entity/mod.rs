//! Tables owned by the passport service.

pub mod acceptance;
pub mod agreement;
pub mod passport;
pub mod passport_event;
pub mod passport_share;
pub mod status_list;
pub mod trust_key;
