//! Tables owned by the shared layer: accounts, their role grants, sign-in attempts and sessions.

pub mod account;
pub mod login_attempt;
pub mod role_grant;
pub mod session;
