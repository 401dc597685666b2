//! Recharges: in a collaborative bank run as "each trust keeps its own pool", a worker is paid by
//! their home trust, which recharges the trust where they worked. The statement for a pay period
//! says what each trust owes each other trust, from the pay lines themselves, so its totals are
//! exactly the sum of the lines.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_core::{Actor, Role};
use uuid::Uuid;

use crate::entity::pay_line;
use crate::error::{Result, forbidden, validation};
use crate::pay::periods::parse_period;

/// What one trust owes another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    /// The trust where the work was done (it pays).
    pub debtor_trust_id: Uuid,
    /// The worker's home trust, which paid them (it is paid).
    pub creditor_trust_id: Uuid,
    /// Pay lines behind it.
    pub lines: i64,
    /// Amount in pence.
    pub total_pence: i64,
}

/// A period's statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The collaborative bank.
    pub system_id: Uuid,
    /// The pay period.
    pub period: String,
    /// What each trust owes each other trust, by debtor then creditor.
    pub rows: Vec<Owed>,
}

/// The recharge statement of a pay period: the whole bank for its system admins; for a trust's
/// bank office or admin, the rows their trust is on.
///
/// # Errors
/// Not found; forbidden; validation (period; a lead-employer bank has no recharges).
pub async fn statement(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
    period: &str,
) -> Result<Statement> {
    let period = parse_period(period)?;
    let sys = organisation::system(conn, system_id).await?;
    if sys.model == SystemModel::LeadEmployer {
        return Err(validation(
            "a lead-employer bank engages every worker itself: there are no recharges between trusts",
        ));
    }
    let trusts: Vec<Uuid> = organisation::trusts_of(conn, sys.id)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let visible: Option<Vec<Uuid>> = if actor.is_system_admin(sys.id) {
        None
    } else {
        let mine: Vec<Uuid> = actor
            .trusts_with(&[Role::BankOffice, Role::TrustAdmin])
            .into_iter()
            .filter(|t| trusts.contains(t))
            .collect();
        if mine.is_empty() {
            return Err(forbidden(
                "recharge statements are for the bank's system admins and trusts' bank offices",
            ));
        }
        Some(mine)
    };
    let lines = pay_line::Entity::find()
        .filter(pay_line::Column::PayPeriod.eq(&period))
        .filter(pay_line::Column::TrustId.is_in(trusts.clone()))
        .all(conn)
        .await?;
    let mut owed: BTreeMap<(Uuid, Uuid), (i64, i64)> = BTreeMap::new();
    for l in lines.iter().filter(|l| l.trust_id != l.payroll_trust_id) {
        let e = owed.entry((l.trust_id, l.payroll_trust_id)).or_default();
        e.0 += 1;
        e.1 += l.amount_pence;
    }
    let rows = owed
        .into_iter()
        .filter(|((d, c), _)| {
            visible
                .as_ref()
                .is_none_or(|v| v.contains(d) || v.contains(c))
        })
        .map(|((debtor, creditor), (n, total))| Owed {
            debtor_trust_id: debtor,
            creditor_trust_id: creditor,
            lines: n,
            total_pence: total,
        })
        .collect();
    Ok(Statement {
        system_id: sys.id,
        period,
        rows,
    })
}
