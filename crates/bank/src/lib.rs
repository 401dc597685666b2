//! The shared bank: collaborative banks (systems) and their member trusts, and who may act for
//! them (role grants).

pub mod access;
pub mod account_mail;
pub mod entity;
pub mod error;
pub mod organisation;

pub use error::Error;
