//! `GET /office/pay/recharges?period=YYYY-MM`: for a pay period, what this trust owes other trusts
//! of the bank (for shifts worked here by workers they pay) and what it is owed (for its workers'
//! shifts elsewhere), from the API's `rechargeStatement`. A bank whose lead employer pays every
//! worker has no recharges, and the page says so.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::super::Office;
use super::{is_period, period_of, period_words, recent_periods};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::Select;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct BankQuery {
    #[arguments(id: $id)]
    trust: BankOfTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct BankOfTrust {
    collaborative_bank: Bank,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CollaborativeBank")]
struct Bank {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct StatementVariables {
    bank: Uuid,
    period: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "StatementVariables")]
struct StatementQuery {
    #[arguments(collaborativeBankId: $bank, payPeriod: $period)]
    recharge_statement: Statement,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RechargeStatement")]
struct Statement {
    recharges: Vec<Recharge>,
}

#[derive(cynic::QueryFragment)]
struct Recharge {
    lines: i32,
    total: Decimal,
    debtor: Party,
    creditor: Party,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct Party {
    id: Uuid,
    name: String,
}

/// One line of a side of the statement: the other trust, and how much.
struct Line {
    trust: String,
    lines: String,
    amount: String,
}

/// One side: what is owed one way, and its total.
struct Side {
    /// Its heading.
    title: String,
    /// Its table's id.
    id: &'static str,
    /// The other trust's column heading.
    other: &'static str,
    /// What to say when there is nothing.
    empty: &'static str,
    lines: Vec<Line>,
    total: String,
}

fn side<'a>(
    (title, id, other, empty): (String, &'static str, &'static str, &'static str),
    rows: impl Iterator<Item = (&'a Party, &'a Recharge)>,
) -> Side {
    let mut total = Decimal::ZERO;
    let lines = rows
        .map(|(other, r)| {
            total += r.total;
            Line {
                trust: other.name.clone(),
                lines: format::count(i64::from(r.lines), "pay line"),
                amount: format::money(r.total),
            }
        })
        .collect();
    Side {
        title,
        id,
        other,
        empty,
        lines,
        total: format::money(total),
    }
}

#[derive(Template)]
#[template(path = "office/pay/recharges.html")]
struct RechargesPage {
    layout: Layout,
    trust: String,
    period: Select,
    period_words: String,
    /// None for a bank whose lead employer pays everyone.
    statement: Option<[Side; 2]>,
    net: String,
}

/// The period asked for.
#[derive(Debug, Deserialize, Default)]
pub struct Asked {
    period: Option<String>,
}

/// `GET /office/pay/recharges`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(asked): Query<Asked>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let office = Office::of(&state, &visitor).await?;
    let period = asked
        .period
        .filter(|p| is_period(p))
        .unwrap_or_else(|| period_of(format::today()));
    let api = state.api.as_ref();
    let bank = api::run(
        api,
        &visitor.caller,
        BankQuery::build(TrustVariables {
            id: office.trust.id,
        }),
    )
    .await?
    .trust
    .collaborative_bank
    .id;
    let statement = match api::run(
        api,
        &visitor.caller,
        StatementQuery::build(StatementVariables {
            bank,
            period: period.clone(),
        }),
    )
    .await
    {
        Ok(s) => Some(s.recharge_statement),
        Err(e) if e.code == Code::Validation => None,
        Err(e) => Err(e)?,
    };
    let me = office.trust.id;
    let (mut owe, mut owed) = (Decimal::ZERO, Decimal::ZERO);
    let sides = statement.as_ref().map(|s| {
        for r in &s.recharges {
            if r.debtor.id == me {
                owe += r.total;
            }
            if r.creditor.id == me {
                owed += r.total;
            }
        }
        [
            side(
                (
                    "What you owe other trusts".to_owned(),
                    "owes",
                    "Owed to",
                    "Nothing: no worker from another trust was paid for work here in this pay period.",
                ),
                s.recharges
                    .iter()
                    .filter(|r| r.debtor.id == me)
                    .map(|r| (&r.creditor, r)),
            ),
            side(
                (
                    "What other trusts owe you".to_owned(),
                    "owed",
                    "Owed by",
                    "Nothing: none of your workers were paid for work at another trust in this pay period.",
                ),
                s.recharges
                    .iter()
                    .filter(|r| r.creditor.id == me)
                    .map(|r| (&r.debtor, r)),
            ),
        ]
    });
    let net = if owed > owe {
        format!(
            "Overall, other trusts owe you {}",
            format::money(owed - owe)
        )
    } else if owe > owed {
        format!(
            "Overall, you owe other trusts {}",
            format::money(owe - owed)
        )
    } else {
        format!("Nothing is owed either way in {}", period_words(&period))
    };
    render(&RechargesPage {
        layout: office.layout(&visitor, "Recharges between trusts", "/office/pay"),
        trust: office.trust.name.clone(),
        period: Select::new("period", "Pay period", recent_periods(format::today()))
            .selected(period.clone()),
        period_words: period_words(&period),
        statement: sides,
        net,
    })
}
