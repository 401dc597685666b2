//! `GET /bank-admin/compare?weeks=4|13|52`: the bank's trusts side by side over the last few
//! weeks — fill rate, median time to fill, the share of fills that went to the agency tier, and
//! cancellations — each a server-drawn SVG chart (one bar per trust) with its numbers in a table
//! beside it. The figures are each trust's `trustReport`, which the bank's system admins may read.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::Duration;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use super::BankAdmin;
use super::trusts::member_trusts;
use crate::WebState;
use crate::api;
use crate::charts::{
    Bar, BarChart, Section, Table, count_max, count_tick, hours_tick, minutes_max, percent_tick,
};
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::Select;
use crate::fragments::CascadeAudience;
use crate::layout::Layout;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;

/// The ranges to choose from, in weeks, with their words.
const RANGES: &[(i64, &str)] = &[
    (4, "The last 4 weeks"),
    (13, "The last 13 weeks (about 3 months)"),
    (52, "The last 52 weeks (a year)"),
];

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
    trust_report: Figures,
}

/// What the comparison reads of a trust's report.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "TrustReport")]
struct Figures {
    positions: i32,
    positions_filled: i32,
    fill_rate: Option<Decimal>,
    median_minutes_to_fill: Option<i32>,
    cancelled_by_workers: i32,
    cancelled_by_trust: i32,
    no_shows: i32,
    fills_by_tier: Vec<TierFills>,
}

#[derive(cynic::QueryFragment, Debug)]
struct TierFills {
    audience: CascadeAudience,
    fills: i32,
}

/// One trust's figures.
struct Trust {
    name: String,
    f: Figures,
}

impl Trust {
    fn fills(&self) -> i32 {
        self.f.fills_by_tier.iter().map(|t| t.fills).sum()
    }
    fn agency(&self) -> i32 {
        self.f
            .fills_by_tier
            .iter()
            .filter(|t| matches!(t.audience, CascadeAudience::Agency))
            .map(|t| t.fills)
            .sum()
    }
    fn cancellations(&self) -> i32 {
        self.f.cancelled_by_workers + self.f.cancelled_by_trust
    }
}

fn percent(rate: Option<Decimal>) -> String {
    rate.map_or_else(
        || "No shifts posted".to_owned(),
        |r| format!("{}%", (r * Decimal::ONE_HUNDRED).round_dp(1).normalize()),
    )
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

/// The agency tier's share of a trust's fills.
fn agency_share(t: &Trust) -> Option<Decimal> {
    let fills = t.fills();
    (fills > 0).then(|| Decimal::from(t.agency()) / Decimal::from(fills))
}

fn fill_rate(trusts: &[Trust]) -> Section {
    Section {
        slug: "fill-rate",
        heading: "Fill rate",
        lede: "The share of positions on posted shifts that were filled.".to_owned(),
        chart: BarChart {
            id: "chart-fill-rate",
            title: "Fill rate by trust".to_owned(),
            category_axis: "Trust".to_owned(),
            value_axis: "Positions filled (%)".to_owned(),
            max: Some(100.0),
            tick: percent_tick,
            bars: trusts
                .iter()
                .map(|t| Bar {
                    label: t.name.clone(),
                    value: t.f.fill_rate.map_or(0.0, |r| f64_of(r) * 100.0),
                    shown: match t.f.fill_rate {
                        Some(_) => format!(
                            "{} ({} of {})",
                            percent(t.f.fill_rate),
                            t.f.positions_filled,
                            t.f.positions
                        ),
                        None => "No shifts posted".to_owned(),
                    },
                })
                .collect(),
        },
        table: Table {
            head: vec!["Trust", "Positions", "Filled", "Fill rate"],
            numeric: vec![false, true, true, true],
            rows: trusts
                .iter()
                .map(|t| {
                    vec![
                        t.name.clone(),
                        t.f.positions.to_string(),
                        t.f.positions_filled.to_string(),
                        percent(t.f.fill_rate),
                    ]
                })
                .collect(),
            csv_head: Vec::new(),
            csv_rows: Vec::new(),
        },
    }
}

fn time_to_fill(trusts: &[Trust]) -> Section {
    let longest = trusts
        .iter()
        .filter_map(|t| t.f.median_minutes_to_fill)
        .max()
        .unwrap_or(0);
    let words = |m: Option<i32>| {
        m.map_or_else(
            || "No shifts filled".to_owned(),
            |m| format::duration_minutes(i64::from(m)),
        )
    };
    Section {
        slug: "time-to-fill",
        heading: "Time to fill",
        lede: "The median time from posting a shift to booking a worker on it: half were filled sooner."
            .to_owned(),
        chart: BarChart {
            id: "chart-time-to-fill",
            title: "Median time to fill by trust".to_owned(),
            category_axis: "Trust".to_owned(),
            value_axis: "Median time to fill (hours)".to_owned(),
            max: Some(minutes_max(longest)),
            tick: hours_tick,
            bars: trusts
                .iter()
                .map(|t| Bar {
                    label: t.name.clone(),
                    value: f64::from(t.f.median_minutes_to_fill.unwrap_or(0)),
                    shown: words(t.f.median_minutes_to_fill),
                })
                .collect(),
        },
        table: Table {
            head: vec!["Trust", "Positions filled", "Median time to fill"],
            numeric: vec![false, true, true],
            rows: trusts
                .iter()
                .map(|t| {
                    vec![
                        t.name.clone(),
                        t.f.positions_filled.to_string(),
                        words(t.f.median_minutes_to_fill),
                    ]
                })
                .collect(),
            csv_head: Vec::new(),
            csv_rows: Vec::new(),
        },
    }
}

fn agency(trusts: &[Trust]) -> Section {
    Section {
        slug: "agency-share",
        heading: "Agency-tier share",
        lede: "The share of fills made after the shift was escalated to the agency tier: lower is better."
            .to_owned(),
        chart: BarChart {
            id: "chart-agency-share",
            title: "Agency-tier share of fills by trust".to_owned(),
            category_axis: "Trust".to_owned(),
            value_axis: "Fills in the agency tier (%)".to_owned(),
            max: Some(100.0),
            tick: percent_tick,
            bars: trusts
                .iter()
                .map(|t| Bar {
                    label: t.name.clone(),
                    value: agency_share(t).map_or(0.0, |r| f64_of(r) * 100.0),
                    shown: match agency_share(t) {
                        Some(r) => {
                            format!("{} ({} of {})", percent(Some(r)), t.agency(), t.fills())
                        }
                        None => "No fills".to_owned(),
                    },
                })
                .collect(),
        },
        table: Table {
            head: vec!["Trust", "Fills", "In the agency tier", "Share"],
            numeric: vec![false, true, true, true],
            rows: trusts
                .iter()
                .map(|t| {
                    vec![
                        t.name.clone(),
                        t.fills().to_string(),
                        t.agency().to_string(),
                        agency_share(t).map_or_else(|| "No fills".to_owned(), |r| percent(Some(r))),
                    ]
                })
                .collect(),
            csv_head: Vec::new(),
            csv_rows: Vec::new(),
        },
    }
}

fn cancellations(trusts: &[Trust]) -> Section {
    Section {
        slug: "cancellations",
        heading: "Cancellations",
        lede: "Bookings cancelled by the worker or by the trust, and workers who did not come."
            .to_owned(),
        chart: BarChart {
            id: "chart-cancellations",
            title: "Cancellations by trust".to_owned(),
            category_axis: "Trust".to_owned(),
            value_axis: "Bookings cancelled".to_owned(),
            max: Some(count_max(
                trusts.iter().map(Trust::cancellations).max().unwrap_or(0),
            )),
            tick: count_tick,
            bars: trusts
                .iter()
                .map(|t| Bar {
                    label: t.name.clone(),
                    value: f64::from(t.cancellations()),
                    shown: t.cancellations().to_string(),
                })
                .collect(),
        },
        table: Table {
            head: vec!["Trust", "By workers", "By the trust", "No-shows"],
            numeric: vec![false, true, true, true],
            rows: trusts
                .iter()
                .map(|t| {
                    vec![
                        t.name.clone(),
                        t.f.cancelled_by_workers.to_string(),
                        t.f.cancelled_by_trust.to_string(),
                        t.f.no_shows.to_string(),
                    ]
                })
                .collect(),
            csv_head: Vec::new(),
            csv_rows: Vec::new(),
        },
    }
}

#[derive(Template)]
#[template(path = "bank_admin/compare.html")]
struct ComparePage {
    layout: Layout,
    bank: String,
    range: Select,
    range_words: String,
    sections: Vec<Section>,
    /// No CSV links here.
    csv_prefix: &'static str,
    csv_query: &'static str,
}

/// The range asked for.
#[derive(Debug, Deserialize, Default)]
struct Asked {
    weeks: Option<String>,
}

/// `GET /bank-admin/compare`.
async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(asked): Query<Asked>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let weeks = asked
        .weeks
        .and_then(|w| w.parse::<i64>().ok())
        .filter(|w| RANGES.iter().any(|(r, _)| r == w))
        .unwrap_or(4);
    let to = format::today();
    let from = to - Duration::days(weeks * 7 - 1);
    let mut trusts = Vec::new();
    for t in member_trusts(&state, &visitor, &admin).await? {
        let f = api::run(
            state.api.as_ref(),
            &visitor.caller,
            ReportQuery::build(ReportVariables {
                trust_id: t.id,
                from,
                to,
            }),
        )
        .await?
        .trust_report;
        trusts.push(Trust { name: t.name, f });
    }
    render(&ComparePage {
        layout: admin.layout(&visitor, "Compare the trusts", "/bank-admin/compare"),
        bank: admin.bank.name.clone(),
        range: Select::new(
            "weeks",
            "Shifts starting in",
            RANGES
                .iter()
                .map(|(w, words)| (w.to_string(), (*words).to_owned()))
                .collect(),
        )
        .selected(weeks.to_string()),
        range_words: format!(
            "Shifts starting from {} to {}",
            format::date(from),
            format::date(to)
        ),
        sections: vec![
            fill_rate(&trusts),
            time_to_fill(&trusts),
            agency(&trusts),
            cancellations(&trusts),
        ],
        csv_prefix: "",
        csv_query: "",
    })
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new().route("/bank-admin/compare", get(page))
}
