//! Tables owned by the bank.

pub mod system;
pub mod trust;
