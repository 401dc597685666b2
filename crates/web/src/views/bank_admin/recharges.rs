//! `GET /bank-admin/recharges?period=YYYY-MM`: the bank's recharge statement for a pay period —
//! what each trust owes each other trust for shifts worked by workers the other pays — from the
//! API's `rechargeStatement`. A bank whose lead employer pays every worker has none, and the page
//! says so.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::BankAdmin;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::Select;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::office::pay::{is_period, period_of, period_words, recent_periods};

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
    total: Decimal,
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
    name: String,
}

struct Line {
    debtor: String,
    creditor: String,
    lines: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "bank_admin/recharges.html")]
struct RechargesPage {
    layout: Layout,
    bank: String,
    period: Select,
    period_words: String,
    /// None for a bank whose lead employer pays everyone.
    lines: Option<Vec<Line>>,
    total: String,
}

/// The period asked for.
#[derive(Debug, Deserialize, Default)]
struct Asked {
    period: Option<String>,
}

/// `GET /bank-admin/recharges`.
async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(asked): Query<Asked>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let period = asked
        .period
        .filter(|p| is_period(p))
        .unwrap_or_else(|| period_of(format::today()));
    let statement = match api::run(
        state.api.as_ref(),
        &visitor.caller,
        StatementQuery::build(StatementVariables {
            bank: admin.bank.id,
            period: period.clone(),
        }),
    )
    .await
    {
        Ok(s) => Some(s.recharge_statement),
        Err(e) if e.code == Code::Validation => None,
        Err(e) => Err(e)?,
    };
    let total = statement
        .as_ref()
        .map_or_else(String::new, |s| format::money(s.total));
    render(&RechargesPage {
        layout: admin.layout(
            &visitor,
            "Recharges between trusts",
            "/bank-admin/recharges",
        ),
        bank: admin.bank.name.clone(),
        period: Select::new("period", "Pay period", recent_periods(format::today()))
            .selected(period.clone()),
        period_words: period_words(&period),
        lines: statement.map(|s| {
            s.recharges
                .into_iter()
                .map(|r| Line {
                    debtor: r.debtor.name,
                    creditor: r.creditor.name,
                    lines: format::count(i64::from(r.lines), "pay line"),
                    amount: format::money(r.total),
                })
                .collect()
        }),
        total,
    })
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new().route("/bank-admin/recharges", get(page))
}
