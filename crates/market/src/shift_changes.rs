//! Shift changes as they happen, for live boards: a small event (the shift, its trust, ward and
//! London day, and what changed) announced **inside the transaction** of the change — posting,
//! booking, cancelling a shift or a booking, a no-show, a tier of the cascade opening — through
//! [`staffbank_core::notifications`], so it is delivered only when that transaction commits and
//! never for one that rolls back.
//!
//! Who may watch a trust's changes is decided here too ([`authorize_watch`]): its bank office,
//! like the board.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use staffbank_bank::access::authorize_at_trust;
use staffbank_core::notifications;
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Role};
use uuid::Uuid;

use crate::entity::shift;
use crate::error::{Error, Result, validation};

/// The notification channel the events travel on.
pub const CHANNEL: &str = "staffbank_shift_changes";

/// What happened to a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Change {
    /// It was posted.
    Posted,
    /// A worker was booked onto it.
    Booked,
    /// A booking of it was cancelled (by the worker or the trust).
    BookingCancelled,
    /// A booked worker did not come.
    NoShow,
    /// The trust withdrew it.
    Cancelled,
    /// A tier of its release cascade opened to more workers.
    TierOpened,
    /// Its agency tier opened: escalated to agencies.
    Escalated,
}

impl Change {
    /// Every change.
    pub const ALL: [Change; 7] = [
        Self::Posted,
        Self::Booked,
        Self::BookingCancelled,
        Self::NoShow,
        Self::Cancelled,
        Self::TierOpened,
        Self::Escalated,
    ];

    /// As sent.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Posted => "POSTED",
            Self::Booked => "BOOKED",
            Self::BookingCancelled => "BOOKING_CANCELLED",
            Self::NoShow => "NO_SHOW",
            Self::Cancelled => "CANCELLED",
            Self::TierOpened => "TIER_OPENED",
            Self::Escalated => "ESCALATED",
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Change {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| validation(format!("unknown shift change '{s}'")))
    }
}

/// One change of one shift (or, for a bulk posting, of the shifts of one ward on one day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftChange {
    /// The shift; none when several shifts of the ward and day changed at once.
    pub shift_id: Option<Uuid>,
    /// Its trust.
    pub trust_id: Uuid,
    /// Its ward.
    pub ward_id: Uuid,
    /// The London date it starts on (the board's day).
    pub day: NaiveDate,
    /// What happened.
    pub change: Change,
}

impl ShiftChange {
    /// `change` of shift `s`.
    #[must_use]
    pub fn of(s: &shift::Model, change: Change) -> Self {
        Self {
            shift_id: Some(s.id),
            trust_id: s.trust_id,
            ward_id: s.ward_id,
            day: london_date(s.starts_at),
            change,
        }
    }

    /// Reads an event as sent; `None` for anything else (a broken or foreign payload).
    #[must_use]
    pub fn parse(payload: &str) -> Option<Self> {
        serde_json::from_str(payload).ok()
    }
}

/// Announces `change` in the transaction `conn` belongs to (delivered when it commits).
///
/// # Errors
/// Database errors.
pub async fn announce(conn: &impl ConnectionTrait, change: &ShiftChange) -> Result<()> {
    let payload = serde_json::to_string(change)
        .map_err(|e| Error::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    notifications::notify(conn, CHANNEL, payload).await?;
    Ok(())
}

/// Announces `change` of shift `s`.
///
/// # Errors
/// Database errors.
pub async fn announce_shift(
    conn: &impl ConnectionTrait,
    s: &shift::Model,
    change: Change,
) -> Result<()> {
    announce(conn, &ShiftChange::of(s, change)).await
}

/// Announces newly posted shifts: one event per shift when there are few, else one per ward and
/// day (a roster of 2,000 shifts is a few dozen cells, not 2,000 messages).
///
/// # Errors
/// Database errors.
pub async fn announce_posted(conn: &impl ConnectionTrait, shifts: &[shift::Model]) -> Result<()> {
    const ONE_BY_ONE: usize = 20;
    if shifts.len() <= ONE_BY_ONE {
        for s in shifts {
            announce_shift(conn, s, Change::Posted).await?;
        }
        return Ok(());
    }
    let cells: BTreeSet<(Uuid, Uuid, NaiveDate)> = shifts
        .iter()
        .map(|s| (s.trust_id, s.ward_id, london_date(s.starts_at)))
        .collect();
    for (trust_id, ward_id, day) in cells {
        announce(
            conn,
            &ShiftChange {
                shift_id: None,
                trust_id,
                ward_id,
                day,
                change: Change::Posted,
            },
        )
        .await?;
    }
    Ok(())
}

/// Whether `actor` may watch the shift changes of a trust: its bank office.
///
/// # Errors
/// Not found (the trust, or one of another bank); forbidden.
pub async fn authorize_watch(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<()> {
    authorize_at_trust(conn, actor, trust_id, &[Role::BankOffice]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_back_as_sent() {
        let e = ShiftChange {
            shift_id: Some(Uuid::nil()),
            trust_id: Uuid::nil(),
            ward_id: Uuid::nil(),
            day: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default(),
            change: Change::BookingCancelled,
        };
        let payload = serde_json::to_string(&e).unwrap_or_default();
        assert!(payload.contains("\"BOOKING_CANCELLED\""), "{payload}");
        assert!(payload.len() < 300, "small: {payload}");
        assert_eq!(ShiftChange::parse(&payload), Some(e));
        assert_eq!(ShiftChange::parse("{\"nonsense\": 1}"), None);
    }
}
