//! Payroll export: choose a pay period and export it (`exportPayroll`: every line approved for
//! payment in the period and not exported before, for the workers this trust pays), then the
//! export's page with its CSV to download; the past exports, newest first, each downloadable
//! again byte for byte (`payrollExport`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::super::Office;
use super::{is_period, period_of, period_words, recent_periods};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Select};
use crate::layout::Layout;
use crate::schema::{DateTime, Decimal, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct ExportVariables {
    trust_id: Uuid,
    pay_period: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ExportVariables")]
struct ExportPayroll {
    #[arguments(trustId: $trust_id, payPeriod: $pay_period)]
    export_payroll: Made,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PayrollExport")]
struct Made {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct ExportsVariables {
    trust_id: Uuid,
    pay_period: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ExportsVariables")]
struct ExportsQuery {
    #[arguments(trustId: $trust_id, payPeriod: $pay_period)]
    payroll_exports: Vec<PayrollExport>,
}

#[derive(cynic::QueryFragment)]
struct PayrollExport {
    id: Uuid,
    pay_period: String,
    line_count: i32,
    total: Decimal,
    created_at: DateTime,
}

#[derive(cynic::QueryVariables)]
struct OneVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "OneVariables")]
struct OneQuery {
    #[arguments(id: $id)]
    payroll_export: PayrollExport,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "OneVariables")]
struct FileQuery {
    #[arguments(id: $id)]
    payroll_export: ExportFile,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PayrollExport")]
struct ExportFile {
    pay_period: String,
    csv: String,
    created_at: DateTime,
}

/// An export as the pages show it.
struct Row {
    href: String,
    csv_href: String,
    period: String,
    made: String,
    lines: String,
    total: String,
}

impl From<PayrollExport> for Row {
    fn from(e: PayrollExport) -> Self {
        Self {
            href: format!("/office/pay/exports/{}", e.id),
            csv_href: format!("/office/pay/exports/{}/csv", e.id),
            period: period_words(&e.pay_period),
            made: format::when(e.created_at),
            lines: format::count(i64::from(e.line_count), "line"),
            total: format::money(e.total),
        }
    }
}

#[derive(Template)]
#[template(path = "office/pay/export.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    trust: String,
    period: Select,
}

#[derive(Template)]
#[template(path = "office/pay/exports.html")]
struct ListPage {
    layout: Layout,
    trust: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "office/pay/export_done.html")]
struct ShowPage {
    layout: Layout,
    trust: String,
    row: Row,
}

fn form_page(office: &Office, visitor: &Visitor, errors: Errors, chosen: &str) -> FormPage {
    let period = Select::new("period", "Pay period", recent_periods(format::today()))
        .hint("Timesheets approved for payment on or before your trust's cut-off day are paid in that month; later ones in the next.")
        .selected(chosen)
        .error_from(&errors);
    FormPage {
        layout: office
            .layout(visitor, "Export payroll", "/office/pay")
            .with_errors(!errors.is_empty()),
        errors,
        trust: office.trust.name.clone(),
        period,
    }
}

/// `GET /office/pay/export`.
pub async fn form(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let office = Office::of(&state, &visitor).await?;
    render(&form_page(
        &office,
        &visitor,
        Errors::new(),
        &period_of(format::today()),
    ))
}

/// The export form.
#[derive(Debug, Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    period: String,
}

/// `POST /office/pay/export`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    axum::Form(form): axum::Form<ExportForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let office = Office::of(&state, &visitor).await?;
    let period = form.period.trim().to_owned();
    let mut errors = Errors::new();
    if !is_period(&period) {
        errors.add("period", "Choose a pay period");
        return render_invalid(&form_page(&office, &visitor, errors, ""));
    }
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        ExportPayroll::build(ExportVariables {
            trust_id: office.trust.id,
            pay_period: period.clone(),
        }),
    )
    .await
    {
        Ok(made) => Ok(
            Redirect::to(&format!("/office/pay/exports/{}", made.export_payroll.id))
                .into_response(),
        ),
        Err(e) if e.code == Code::Conflict => {
            errors.add(
                "period",
                format!(
                    "There is nothing new to export for {}: every line approved for payment has been exported already",
                    period_words(&period)
                ),
            );
            render_invalid(&form_page(&office, &visitor, errors, &period))
        }
        Err(e) if e.code == Code::Validation => {
            errors.add("period", "Choose a pay period");
            render_invalid(&form_page(&office, &visitor, errors, &period))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /office/pay/exports`.
pub async fn list(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let office = Office::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ExportsQuery::build(ExportsVariables {
            trust_id: office.trust.id,
            pay_period: None,
        }),
    )
    .await?;
    let rows = data
        .payroll_exports
        .into_iter()
        .rev()
        .map(Row::from)
        .collect();
    render(&ListPage {
        layout: office.layout(&visitor, "Past payroll exports", "/office/pay"),
        trust: office.trust.name.clone(),
        rows,
    })
}

/// `GET /office/pay/exports/{id}`.
pub async fn show(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = id.parse().map_err(|_| PageError::NotFound)?;
    let office = Office::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        OneQuery::build(OneVariables { id }),
    )
    .await?;
    render(&ShowPage {
        layout: office.layout(&visitor, "Payroll export", "/office/pay"),
        trust: office.trust.name.clone(),
        row: data.payroll_export.into(),
    })
}

/// `GET /office/pay/exports/{id}/csv`: the file, as when it was made.
pub async fn download(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = id.parse().map_err(|_| PageError::NotFound)?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        FileQuery::build(OneVariables { id }),
    )
    .await?;
    let e = data.payroll_export;
    let name = format!(
        "payroll-{}-made-{}.csv",
        e.pay_period,
        format::london(e.created_at).format("%Y-%m-%d-%H%M")
    );
    Ok(csv_file(&name, e.csv))
}

/// A CSV download named `name`.
pub fn csv_file(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
