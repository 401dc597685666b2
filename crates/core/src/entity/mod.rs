//! Tables owned by the shared layer: accounts, their role grants, and sign-in attempts.

pub mod account;
pub mod login_attempt;
pub mod role_grant;
