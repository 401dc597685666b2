//! `GET /office/reports?from-day=…&to-year=…`: the range form (the manual's date inputs, kept as
//! typed, with the error summary when a date is wrong) and the report's sections.
//! `GET /office/reports/csv/{section}?from=YYYY-MM-DD&to=YYYY-MM-DD`: one section's numbers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Duration;
use serde::Deserialize;

use super::super::Office;
use super::figures::{self, SLUGS, Section, TrustReport};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{DateInput, DateValue, Errors};
use crate::layout::Layout;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;

/// The longest range a report covers (the API's limit).
const MAX_DAYS: i64 = 366;

#[derive(cynic::QueryVariables)]
struct ReportVariables {
    trust_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ReportVariables")]
struct ReportQuery {
    #[arguments(trustId: $trust_id, from: $from, to: $to)]
    trust_report: TrustReport,
}

/// The range as typed (day, month and year boxes).
#[derive(Debug, Deserialize, Default)]
pub struct RangeForm {
    #[serde(rename = "from-day", default)]
    from_day: String,
    #[serde(rename = "from-month", default)]
    from_month: String,
    #[serde(rename = "from-year", default)]
    from_year: String,
    #[serde(rename = "to-day", default)]
    to_day: String,
    #[serde(rename = "to-month", default)]
    to_month: String,
    #[serde(rename = "to-year", default)]
    to_year: String,
}

impl RangeForm {
    fn first_day(&self) -> DateValue {
        DateValue {
            day: self.from_day.clone(),
            month: self.from_month.clone(),
            year: self.from_year.clone(),
        }
    }
    fn last_day(&self) -> DateValue {
        DateValue {
            day: self.to_day.clone(),
            month: self.to_month.clone(),
            year: self.to_year.clone(),
        }
    }
}

/// The range, or the errors to show.
fn range(form: &RangeForm) -> (DateValue, DateValue, Result<(NaiveDate, NaiveDate), Errors>) {
    let (from_v, to_v) = (form.first_day(), form.last_day());
    if from_v.is_blank() && to_v.is_blank() {
        let to = format::today();
        let from = to - Duration::days(27);
        return (DateValue::of(from), DateValue::of(to), Ok((from, to)));
    }
    let mut errors = Errors::new();
    let from = from_v
        .parse("the first day")
        .map_err(|m| errors.add("from-day", m))
        .ok();
    let to = to_v
        .parse("the last day")
        .map_err(|m| errors.add("to-day", m))
        .ok();
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.add(
                "to-day",
                "The last day must be the same as or after the first day",
            );
        } else if (t - f).num_days() > MAX_DAYS {
            errors.add(
                "to-day",
                "The last day must be within a year of the first day",
            );
        }
    }
    match (from, to) {
        (Some(f), Some(t)) if errors.is_empty() => (from_v, to_v, Ok((f, t))),
        _ => (from_v, to_v, Err(errors)),
    }
}

/// A headline figure.
struct Headline {
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "office/reports/page.html")]
struct ReportsPage {
    layout: Layout,
    errors: Errors,
    trust: String,
    from: DateInput,
    to: DateInput,
    range_words: String,
    headlines: Vec<Headline>,
    sections: Vec<Section>,
    /// `?from=…&to=…` for the CSV links.
    csv_query: String,
    /// Where the CSV links start.
    csv_prefix: &'static str,
}

async fn report(
    state: &WebState,
    visitor: &Visitor,
    trust_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<TrustReport, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        ReportQuery::build(ReportVariables { trust_id, from, to }),
    )
    .await?
    .trust_report)
}

fn headlines(r: &TrustReport) -> Vec<Headline> {
    vec![
        Headline {
            label: "Shifts posted",
            value: r.shifts_posted.to_string(),
        },
        Headline {
            label: "Positions filled",
            value: format!("{} of {}", r.positions_filled, r.positions),
        },
        Headline {
            label: "Hours paid",
            value: figures::hours_paid(r),
        },
        Headline {
            label: "Spend",
            value: format::money(r.spend),
        },
    ]
}

/// `GET /office/reports`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(form): Query<RangeForm>,
) -> Result<Response, PageError> {
    let office = Office::of(&state, &visitor).await?;
    let (from_v, to_v, asked) = range(&form);
    let errors = asked.as_ref().err().cloned().unwrap_or_default();
    let from_input = DateInput::new("from", "First day")
        .hint("For example, 3 11 2026")
        .value(&from_v)
        .error_from(&errors);
    let to_input = DateInput::new("to", "Last day")
        .value(&to_v)
        .error_from(&errors);
    let layout = office
        .layout(&visitor, "Reports", "/office/reports")
        .with_errors(!errors.is_empty());
    let Ok((from, to)) = asked else {
        return render_invalid(&ReportsPage {
            layout,
            errors,
            trust: office.trust.name.clone(),
            from: from_input,
            to: to_input,
            range_words: String::new(),
            headlines: Vec::new(),
            sections: Vec::new(),
            csv_query: String::new(),
            csv_prefix: "/office/reports/csv/",
        });
    };
    let r = report(&state, &visitor, office.trust.id, from, to).await?;
    render(&ReportsPage {
        layout,
        errors,
        trust: office.trust.name.clone(),
        from: from_input,
        to: to_input,
        range_words: format!(
            "Shifts starting from {} to {}",
            format::date(from),
            format::date(to)
        ),
        headlines: headlines(&r),
        sections: figures::sections(&r),
        csv_query: format!("?from={from}&to={to}"),
        csv_prefix: "/office/reports/csv/",
    })
}

/// The range of a CSV download.
#[derive(Debug, Deserialize)]
pub struct CsvRange {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /office/reports/csv/{section}`.
pub async fn csv(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(section): Path<String>,
    Query(q): Query<CsvRange>,
) -> Result<Response, PageError> {
    if !SLUGS.contains(&section.as_str()) {
        return Err(PageError::NotFound);
    }
    let date = |s: Option<String>| s.and_then(|s| s.parse::<NaiveDate>().ok());
    let (Some(from), Some(to)) = (date(q.from), date(q.to)) else {
        return Err(PageError::NotFound);
    };
    if to < from || (to - from).num_days() > MAX_DAYS {
        return Err(PageError::NotFound);
    }
    let office = Office::of(&state, &visitor).await?;
    let r = report(&state, &visitor, office.trust.id, from, to).await?;
    let Some(s) = figures::sections(&r)
        .into_iter()
        .find(|s| s.slug == section)
    else {
        return Err(PageError::NotFound);
    };
    Ok(crate::views::office::pay::csv_file(
        &format!("{}-{from}-to-{to}.csv", s.slug),
        s.table.csv(),
    ))
}
