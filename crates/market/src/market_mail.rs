//! The emails the marketplace sends: a shift newly offered to a worker when a tier of its cascade
//! opens, a booking confirmed, a booking cancelled (to the worker when the trust cancels, to the
//! trust's bank office when the worker does), a no-show recorded, and self-booking suspended.
//!
//! Each is written to the outbox in the transaction of the change that causes it, under a dedupe
//! key naming the logical message, so a retried transaction or a second sweep never sends twice.
//! Times are London times.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use staffbank_bank::entity::worker;
use staffbank_bank::{estate, organisation};
use staffbank_core::entity::{account, role_grant};
use staffbank_core::time::london_local;
use staffbank_core::{Clock, Email, Role};
use staffbank_notify::{Message, outbox};
use uuid::Uuid;

use crate::entity::{booking, shift};
use crate::error::Result;

/// Kind of the email offering a shift to a worker a cascade tier newly reaches.
pub const SHIFT_OFFERED: &str = "shift.offered";
/// Kind of the booking confirmation.
pub const BOOKING_CONFIRMED: &str = "booking.confirmed";
/// Kind of the email telling a worker the trust cancelled their booking.
pub const BOOKING_CANCELLED_BY_TRUST: &str = "booking.cancelled_by_trust";
/// Kind of the email telling a bank office a worker cancelled.
pub const BOOKING_CANCELLED_BY_WORKER: &str = "booking.cancelled_by_worker";
/// Kind of the email telling a worker a no-show was recorded.
pub const NO_SHOW_RECORDED: &str = "booking.no_show";
/// Kind of the email telling a worker their self-booking is suspended at a trust.
pub const SELF_BOOKING_SUSPENDED: &str = "worker.self_booking_suspended";

/// Where and when a shift is, in words.
#[derive(Debug, Clone)]
pub struct ShiftWords {
    /// The trust.
    pub trust_id: Uuid,
    /// The trust's name.
    pub trust: String,
    /// "Ward 10 (acute medicine), Northfield ...: Tuesday 3 March 2026, 07:30 to 15:30".
    pub line: String,
}

impl ShiftWords {
    /// Loads the names a shift is described with (two queries).
    ///
    /// # Errors
    /// Database errors.
    pub async fn of(conn: &impl ConnectionTrait, s: &shift::Model) -> Result<Self> {
        let trust = organisation::trust(conn, s.trust_id).await?.name;
        let ward = estate::ward(conn, s.ward_id).await?.name;
        let line = format!("{ward}, {trust}: {}", when(s.starts_at, s.ends_at));
        Ok(Self {
            trust_id: s.trust_id,
            trust,
            line,
        })
    }
}

fn when(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let (s, e) = (london_local(starts), london_local(ends));
    let end = if e.date() == s.date() {
        e.format("%H:%M").to_string()
    } else {
        e.format("%H:%M on %A %-d %B").to_string()
    };
    format!(
        "{}, {} to {end}",
        s.format("%A %-d %B %Y"),
        s.format("%H:%M")
    )
}

fn recipient(w: &worker::Model) -> Option<Email> {
    match Email::parse(&w.email) {
        Ok(e) => Some(e),
        Err(_) => {
            tracing::warn!(worker_id = %w.id, "a worker's email does not parse; no message");
            None
        }
    }
}

async fn send(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    message: &Message,
    key: &str,
) -> Result<()> {
    outbox::enqueue(conn, clock, message, Some(key)).await?;
    Ok(())
}

/// Offers a shift to a worker a tier has newly reached.
///
/// # Errors
/// Database errors.
pub async fn shift_offered(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    w: &worker::Model,
    words: &ShiftWords,
    tier_id: Uuid,
) -> Result<()> {
    let Some(to) = recipient(w) else {
        return Ok(());
    };
    let message = Message::from_paragraphs(
        SHIFT_OFFERED,
        to,
        format!("A shift is open to you at {}", words.trust),
        &[
            format!("Dear {},", w.given_name),
            format!("A shift you can work is open to you: {}.", words.line),
            "Book it in staffbank before someone else does. If it is no longer shown, it has \
             been filled."
                .to_owned(),
        ],
    );
    send(
        conn,
        clock,
        &message,
        &format!("{SHIFT_OFFERED}:{tier_id}:{}", w.id),
    )
    .await
}

/// Confirms a booking to the worker.
///
/// # Errors
/// Database errors.
pub async fn booking_confirmed(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    w: &worker::Model,
    b: &booking::Model,
    words: &ShiftWords,
) -> Result<()> {
    let Some(to) = recipient(w) else {
        return Ok(());
    };
    let message = Message::from_paragraphs(
        BOOKING_CONFIRMED,
        to,
        format!("Booked: your shift at {}", words.trust),
        &[
            format!("Dear {},", w.given_name),
            format!("You are booked: {}.", words.line),
            "If you cannot work it, cancel in staffbank as early as you can: cancelling close to \
             the start is recorded as short notice."
                .to_owned(),
        ],
    );
    send(
        conn,
        clock,
        &message,
        &format!("{BOOKING_CONFIRMED}:{}", b.id),
    )
    .await
}

/// Tells the worker the trust cancelled their booking.
///
/// # Errors
/// Database errors.
pub async fn cancelled_by_trust(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    w: &worker::Model,
    b: &booking::Model,
    words: &ShiftWords,
    reason: &str,
) -> Result<()> {
    let Some(to) = recipient(w) else {
        return Ok(());
    };
    let message = Message::from_paragraphs(
        BOOKING_CANCELLED_BY_TRUST,
        to,
        format!("Cancelled: your shift at {}", words.trust),
        &[
            format!("Dear {},", w.given_name),
            format!("{} has cancelled your shift: {}.", words.trust, words.line),
            format!("The reason given: {reason}"),
            "Where a trust cancels late, its policy may pay you for part of the shift; this will \
             show with your pay."
                .to_owned(),
        ],
    );
    send(
        conn,
        clock,
        &message,
        &format!("{BOOKING_CANCELLED_BY_TRUST}:{}", b.id),
    )
    .await
}

/// The signed-in staff of a trust holding `role`, with their emails.
async fn staff_with_role(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    role: Role,
) -> Result<Vec<account::Model>> {
    let ids: Vec<Uuid> = role_grant::Entity::find()
        .filter(role_grant::Column::TrustId.eq(trust_id))
        .filter(role_grant::Column::Role.eq(role))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| g.account_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::DisabledAt.is_null())
        .all(conn)
        .await?)
}

/// Tells the trust's bank office that a worker cancelled (and whether at short notice).
///
/// # Errors
/// Database errors.
pub async fn cancelled_by_worker(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    w: &worker::Model,
    b: &booking::Model,
    words: &ShiftWords,
    short_notice: bool,
) -> Result<()> {
    let name = format!("{} {}", w.given_name, w.family_name);
    let notice = if short_notice {
        " at short notice; it is recorded against their reliability"
    } else {
        ""
    };
    for office in staff_with_role(conn, b.trust_id, Role::BankOffice).await? {
        let Ok(to) = Email::parse(&office.email) else {
            continue;
        };
        let message = Message::from_paragraphs(
            BOOKING_CANCELLED_BY_WORKER,
            to,
            format!("{name} cancelled a shift"),
            &[
                format!("Dear {},", office.display_name),
                format!(
                    "{name} has cancelled their booking{notice}: {}.",
                    words.line
                ),
                "The position is open again to the workers its release cascade reaches.".to_owned(),
            ],
        );
        send(
            conn,
            clock,
            &message,
            &format!("{BOOKING_CANCELLED_BY_WORKER}:{}:{}", b.id, office.id),
        )
        .await?;
    }
    Ok(())
}

/// Tells the worker a no-show was recorded against them.
///
/// # Errors
/// Database errors.
pub async fn no_show(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    w: &worker::Model,
    b: &booking::Model,
    words: &ShiftWords,
) -> Result<()> {
    let Some(to) = recipient(w) else {
        return Ok(());
    };
    let message = Message::from_paragraphs(
        NO_SHOW_RECORDED,
        to,
        format!("Recorded as not attending: your shift at {}", words.trust),
        &[
            format!("Dear {},", w.given_name),
            format!(
                "{} has recorded that you did not attend your shift: {}.",
                words.trust, words.line
            ),
            "If this is wrong, please contact its bank office.".to_owned(),
        ],
    );
    send(
        conn,
        clock,
        &message,
        &format!("{NO_SHOW_RECORDED}:{}", b.id),
    )
    .await
}

/// Tells the worker their self-booking at a trust is suspended.
///
/// # Errors
/// Database errors.
pub async fn self_booking_suspended(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    w: &worker::Model,
    trust_name: &str,
    restriction_id: Uuid,
    why: &str,
) -> Result<()> {
    let Some(to) = recipient(w) else {
        return Ok(());
    };
    let message = Message::from_paragraphs(
        SELF_BOOKING_SUSPENDED,
        to,
        format!("Self-booking suspended at {trust_name}"),
        &[
            format!("Dear {},", w.given_name),
            format!(
                "You can no longer book {trust_name}'s shifts yourself: {why}. Its bank office can \
                 still book you, and can lift the suspension."
            ),
        ],
    );
    send(
        conn,
        clock,
        &message,
        &format!("{SELF_BOOKING_SUSPENDED}:{restriction_id}"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shifts_are_described_in_london_time() {
        let start = Utc
            .with_ymd_and_hms(2026, 10, 24, 19, 0, 0)
            .single()
            .unwrap_or_default();
        let end = Utc
            .with_ymd_and_hms(2026, 10, 25, 8, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            when(start, end),
            "Saturday 24 October 2026, 20:00 to 08:00 on Sunday 25 October"
        );
    }
}
