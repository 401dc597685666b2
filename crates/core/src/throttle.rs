//! Throttles for the unauthenticated requests that cost CPU (signing in, accepting an invitation,
//! registering with one): each failure is an attempt row in `login_attempts`, and after a few
//! failures the next attempt must wait a delay that doubles with each further failure, up to a
//! short cap.
//!
//! Three buckets are counted, each over a sliding window of [`WINDOW_MINUTES`]:
//! - one key (an account's email) from one client address: [`PER_KEY_AND_ADDRESS`], the tightest;
//! - one key from any address: [`PER_KEY`], looser, so a stranger elsewhere can slow an account
//!   down but can keep its owner waiting no longer than its cap;
//! - one address for any key: [`PER_ADDRESS`], loosest, since many people share an address.
//!
//! A success for a key starts its counts afresh. A refused attempt is not counted (it cost
//! nothing), so hammering a throttled account does not lengthen its delay. Rows are pruned by a
//! scheduled job ([`prune`]).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::login_attempt;
use crate::{Clock, Error, new_id};

/// How failures grow into delays for one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Failures allowed without any delay.
    pub free: u64,
    /// The longest delay, in seconds, however many failures.
    pub cap_secs: i64,
}

impl Rule {
    /// The wait after `failures` failures: none up to [`Rule::free`], then 1 s, 2 s, 4 s, ...
    /// up to [`Rule::cap_secs`].
    #[must_use]
    pub fn delay_secs(self, failures: u64) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = u32::try_from(failures - self.free)
            .unwrap_or(u32::MAX)
            .min(30);
        (1_i64 << doublings).min(self.cap_secs)
    }
}

/// One account from one address.
pub const PER_KEY_AND_ADDRESS: Rule = Rule {
    free: 5,
    cap_secs: 60,
};
/// One account from anywhere: what a stranger can do to an account's owner is bounded by this cap.
pub const PER_KEY: Rule = Rule {
    free: 10,
    cap_secs: 30,
};
/// One address, whatever it tries.
pub const PER_ADDRESS: Rule = Rule {
    free: 30,
    cap_secs: 60,
};
/// The sliding window over which failures count.
pub const WINDOW_MINUTES: i64 = 15;
/// How long attempt rows are kept (well past the window, for investigating an attack).
pub const KEEP_HOURS: i64 = 24;
/// The longest key stored (an email has at most 254 characters).
const MAX_KEY_CHARS: usize = 254;

/// The throttle key for an email as typed: trimmed, lower-cased, bounded in length.
#[must_use]
pub fn email_key(email: &str) -> String {
    email
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_KEY_CHARS)
        .collect()
}

/// Bounds a client address as stored.
fn address_key(ip: &str) -> String {
    ip.chars().take(64).collect()
}

/// Refuses the attempt with [`Error::TooManyAttempts`] when any bucket's delay since its last
/// failure has not yet passed. `exclude`: the caller's own attempt, already recorded.
///
/// # Errors
/// [`Error::TooManyAttempts`]; database errors.
pub async fn check(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    key: &str,
    ip: &str,
    exclude: Option<Uuid>,
) -> Result<(), Error> {
    let now = clock.now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let ip = address_key(ip);
    let mut last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::Email.eq(key))
        .filter(login_attempt::Column::Succeeded.eq(true))
        .filter(login_attempt::Column::At.gte(since));
    if let Some(id) = exclude {
        last_success = last_success.filter(login_attempt::Column::Id.ne(id));
    }
    let from = last_success
        .order_by_desc(login_attempt::Column::At)
        .one(conn)
        .await?
        .map_or(since, |a| a.at.max(since));
    let buckets = [
        (PER_KEY_AND_ADDRESS, Some(key), Some(ip.as_str()), from),
        (PER_KEY, Some(key), None, from),
        (PER_ADDRESS, None, Some(ip.as_str()), since),
    ];
    let mut wait = 0_i64;
    for (rule, key, ip, from) in buckets {
        let (failures, last) = failures(conn, key, ip, from, exclude).await?;
        if let Some(last) = last {
            let until = last + Duration::seconds(rule.delay_secs(failures));
            wait =
                wait.max((until - now).num_seconds() + i64::from((until - now).subsec_nanos() > 0));
        }
    }
    if wait > 0 {
        metrics::counter!("staffbank_throttled_attempts_total").increment(1);
        tracing::warn!(key = %key, %ip, wait_secs = wait, "attempt refused: too many failures");
        return Err(Error::TooManyAttempts {
            retry_after_secs: wait,
        });
    }
    Ok(())
}

/// Failed attempts in one bucket since `from`, and when the last was.
async fn failures(
    conn: &impl ConnectionTrait,
    key: Option<&str>,
    ip: Option<&str>,
    from: DateTime<Utc>,
    exclude: Option<Uuid>,
) -> Result<(u64, Option<DateTime<Utc>>), Error> {
    let mut q = login_attempt::Entity::find()
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gte(from));
    if let Some(key) = key {
        q = q.filter(login_attempt::Column::Email.eq(key));
    }
    if let Some(ip) = ip {
        q = q.filter(login_attempt::Column::Ip.eq(ip));
    }
    if let Some(id) = exclude {
        q = q.filter(login_attempt::Column::Id.ne(id));
    }
    let n = q.clone().count(conn).await?;
    if n == 0 {
        return Ok((0, None));
    }
    let last = q
        .order_by_desc(login_attempt::Column::At)
        .one(conn)
        .await?
        .map(|a| a.at);
    Ok((n, last))
}

/// Records an attempt as failed until [`succeeded`] says otherwise, so attempts made in parallel
/// count against each other. Returns its id.
///
/// # Errors
/// Database errors.
pub async fn record(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    key: &str,
    ip: &str,
) -> Result<Uuid, Error> {
    let id = new_id();
    login_attempt::ActiveModel {
        id: Set(id),
        email: Set(key.to_owned()),
        ip: Set(address_key(ip)),
        succeeded: Set(false),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

/// Marks a recorded attempt as a success (which starts its key's counts afresh).
///
/// # Errors
/// Database errors.
pub async fn succeeded(conn: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    login_attempt::ActiveModel {
        id: Set(id),
        succeeded: Set(true),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// Forgets a recorded attempt that was refused after all (it cost nothing, so it does not count).
///
/// # Errors
/// Database errors.
pub async fn forget(conn: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    login_attempt::Entity::delete_by_id(id).exec(conn).await?;
    Ok(())
}

/// A throttled attempt from start to end: refused at once while a delay runs; otherwise recorded
/// (so parallel attempts see it), checked again against those, then `work` runs; a success is
/// marked so.
///
/// # Errors
/// [`Error::TooManyAttempts`], or the error of `work` (mapped from [`Error`] with `E: From`).
pub async fn attempt<T, E, F>(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    key: &str,
    ip: &str,
    work: F,
) -> Result<T, E>
where
    E: From<Error>,
    F: std::future::Future<Output = Result<T, E>>,
{
    check(conn, clock, key, ip, None).await?;
    let id = record(conn, clock, key, ip).await?;
    if let Err(e) = check(conn, clock, key, ip, Some(id)).await {
        forget(conn, id).await?;
        return Err(e.into());
    }
    let result = work.await;
    if result.is_ok() {
        succeeded(conn, id).await?;
    }
    result
}

/// Deletes attempt rows older than [`KEEP_HOURS`]. Returns how many.
///
/// # Errors
/// Database errors.
pub async fn prune(conn: &impl ConnectionTrait, clock: &dyn Clock) -> Result<u64, Error> {
    let before = clock.now() - Duration::hours(KEEP_HOURS);
    Ok(login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::At.lt(before))
        .exec(conn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_stop_at_the_cap() {
        let r = Rule {
            free: 3,
            cap_secs: 30,
        };
        let delays: Vec<i64> = (0..12).map(|n| r.delay_secs(n)).collect();
        assert_eq!(delays, [0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30]);
        assert_eq!(r.delay_secs(u64::MAX), 30);
    }
}
