//! The shared bank: collaborative banks (systems) and their member trusts, sites and wards; the
//! workers shared by the trusts, their memberships and credentials; requirement profiles and the
//! compliance answer built from them; who may see what of a worker, and the access log.

pub mod access;
pub mod account_mail;
pub mod catalogue;
pub mod compliance;
pub mod credentials;
pub mod engagement_mail;
pub mod entity;
pub mod error;
pub mod estate;
pub mod evidence;
pub mod expiry;
pub mod identity;
pub mod invitations;
pub mod membership;
pub mod organisation;
pub mod requirements;
pub mod scope;
pub mod skills;
pub mod verification_queue;
pub mod visibility;
pub mod workers;

pub use error::Error;
