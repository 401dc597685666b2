//! The report's sections, each a chart, the table of its numbers and the same numbers as CSV:
//! fill rate and time to fill week by week, fills by release tier (the trust's own bank and the
//! collaborative bank against the agency tier), spend by ward and by staff group, and
//! cancellations and no-shows. Built from the API's `trustReport`, computed in the domain.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub use crate::charts::Section;
use crate::charts::{Bar, BarChart, Table, count_max, count_tick, hours_tick, percent_tick};
use crate::format;
pub use crate::fragments::{CascadeAudience, StaffGroup};
use crate::schema::{Decimal as ApiDecimal, NaiveDate, schema};

/// The API's `TrustReport`, as the page reads it.
#[derive(cynic::QueryFragment, Debug)]
pub struct TrustReport {
    /// Positions on posted shifts.
    pub positions: i32,
    /// Positions filled.
    pub positions_filled: i32,
    /// Filled / positions.
    pub fill_rate: Option<ApiDecimal>,
    /// Median minutes to fill.
    pub median_minutes_to_fill: Option<i32>,
    /// Hours paid.
    pub hours_paid: ApiDecimal,
    /// Spend in pounds.
    pub spend: ApiDecimal,
    /// Shifts posted.
    pub shifts_posted: i32,
    /// Shifts withdrawn.
    pub shifts_withdrawn: i32,
    /// Cancelled by workers.
    pub cancelled_by_workers: i32,
    /// Of which at short notice.
    pub short_notice_by_workers: i32,
    /// Cancelled by the trust.
    pub cancelled_by_trust: i32,
    /// Of which late.
    pub late_by_trust: i32,
    /// Filled by workers of other trusts.
    pub cross_trust_fills: i32,
    /// No-shows.
    pub no_shows: i32,
    /// Week by week.
    pub weeks: Vec<ReportWeek>,
    /// By ward.
    pub wards: Vec<ReportWard>,
    /// By staff group.
    pub staff_groups: Vec<ReportStaffGroup>,
    /// Fills by tier.
    pub fills_by_tier: Vec<TierFills>,
}

/// The figures of a group of shifts.
#[derive(cynic::QueryFragment, Debug)]
pub struct ReportFigures {
    /// Positions.
    pub positions: i32,
    /// Filled.
    pub positions_filled: i32,
    /// Filled / positions.
    pub fill_rate: Option<ApiDecimal>,
    /// Median minutes to fill.
    pub median_minutes_to_fill: Option<i32>,
    /// Spend in pounds.
    pub spend: ApiDecimal,
}

/// A week.
#[derive(cynic::QueryFragment, Debug)]
pub struct ReportWeek {
    /// Its Monday.
    pub starts_on: NaiveDate,
    /// Its figures.
    pub figures: ReportFigures,
}

/// A ward, by name.
#[derive(cynic::QueryFragment, Debug)]
pub struct Ward {
    /// Its name.
    pub name: String,
}

/// A ward's figures.
#[derive(cynic::QueryFragment, Debug)]
pub struct ReportWard {
    /// The ward.
    pub ward: Ward,
    /// Its figures.
    pub figures: ReportFigures,
}

/// A staff group's figures.
#[derive(cynic::QueryFragment, Debug)]
pub struct ReportStaffGroup {
    /// The group.
    pub staff_group: StaffGroup,
    /// Its figures.
    pub figures: ReportFigures,
}

/// Fills in one tier.
#[derive(cynic::QueryFragment, Debug)]
pub struct TierFills {
    /// The tier.
    pub audience: CascadeAudience,
    /// Fills.
    pub fills: i32,
}

/// Every section's slug, in page order.
pub const SLUGS: [&str; 6] = [
    "fill-rate",
    "time-to-fill",
    "fills-by-tier",
    "spend-by-ward",
    "spend-by-staff-group",
    "cancellations",
];

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or_default()
}

fn percent(rate: Option<Decimal>) -> String {
    rate.map_or_else(
        || "No shifts posted".to_owned(),
        |r| format!("{}%", (r * Decimal::ONE_HUNDRED).round_dp(1).normalize()),
    )
}

fn week_label(d: NaiveDate) -> String {
    format::date_short(d)
}

fn pounds_tick(v: f64) -> String {
    if v >= 1000.0 {
        format!("£{:.1}k", v / 1000.0)
    } else {
        format!("£{v:.0}")
    }
}

fn fill_rate(r: &TrustReport) -> Section {
    let bars = r
        .weeks
        .iter()
        .map(|w| {
            let f = &w.figures;
            Bar {
                label: week_label(w.starts_on),
                value: f.fill_rate.map_or(0.0, |x| f64_of(x) * 100.0),
                shown: match f.fill_rate {
                    Some(x) => format!(
                        "{} ({} of {})",
                        percent(Some(x)),
                        f.positions_filled,
                        f.positions
                    ),
                    None => "No shifts posted".to_owned(),
                },
            }
        })
        .collect();
    Section {
        slug: "fill-rate",
        heading: "Fill rate",
        lede: format!(
            "{} of {} positions filled ({}), week by week. A week starts on Monday.",
            r.positions_filled,
            r.positions,
            percent(r.fill_rate)
        ),
        chart: BarChart {
            id: "chart-fill-rate",
            title: "Fill rate by week".to_owned(),
            category_axis: "Week starting".to_owned(),
            value_axis: "Positions filled (%)".to_owned(),
            max: Some(100.0),
            tick: percent_tick,
            bars,
        },
        table: Table {
            head: vec!["Week starting", "Positions", "Filled", "Fill rate"],
            numeric: vec![false, true, true, true],
            rows: r
                .weeks
                .iter()
                .map(|w| {
                    vec![
                        format::date_short(w.starts_on),
                        w.figures.positions.to_string(),
                        w.figures.positions_filled.to_string(),
                        percent(w.figures.fill_rate),
                    ]
                })
                .collect(),
            csv_head: vec!["week_starting", "positions", "filled", "fill_rate"],
            csv_rows: r
                .weeks
                .iter()
                .map(|w| {
                    vec![
                        w.starts_on.to_string(),
                        w.figures.positions.to_string(),
                        w.figures.positions_filled.to_string(),
                        w.figures
                            .fill_rate
                            .map(|x| x.normalize().to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        },
    }
}

fn minutes_words(m: Option<i32>) -> String {
    m.map_or_else(
        || "No fills".to_owned(),
        |m| format::duration_minutes(i64::from(m.max(0))),
    )
}

fn time_to_fill(r: &TrustReport) -> Section {
    let bars = r
        .weeks
        .iter()
        .map(|w| Bar {
            label: week_label(w.starts_on),
            value: f64::from(w.figures.median_minutes_to_fill.unwrap_or(0).max(0)),
            shown: minutes_words(w.figures.median_minutes_to_fill),
        })
        .collect();
    let longest = r
        .weeks
        .iter()
        .filter_map(|w| w.figures.median_minutes_to_fill)
        .max()
        .unwrap_or(0);
    let max = crate::charts::minutes_max(longest);
    Section {
        slug: "time-to-fill",
        heading: "Time to fill",
        lede: format!(
            "How long from posting a shift to a worker booking it: the median is {} over the range.",
            minutes_words(r.median_minutes_to_fill).to_lowercase()
        ),
        chart: BarChart {
            id: "chart-time-to-fill",
            title: "Median time to fill by week".to_owned(),
            category_axis: "Week starting".to_owned(),
            value_axis: "Median time from posting to booking (hours)".to_owned(),
            max: Some(max),
            tick: hours_tick,
            bars,
        },
        table: Table {
            head: vec!["Week starting", "Filled", "Median time to fill"],
            numeric: vec![false, true, true],
            rows: r
                .weeks
                .iter()
                .map(|w| {
                    vec![
                        format::date_short(w.starts_on),
                        w.figures.positions_filled.to_string(),
                        minutes_words(w.figures.median_minutes_to_fill),
                    ]
                })
                .collect(),
            csv_head: vec!["week_starting", "filled", "median_minutes_to_fill"],
            csv_rows: r
                .weeks
                .iter()
                .map(|w| {
                    vec![
                        w.starts_on.to_string(),
                        w.figures.positions_filled.to_string(),
                        w.figures
                            .median_minutes_to_fill
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        },
    }
}

fn fills_by_tier(r: &TrustReport) -> Section {
    let total: i32 = r.fills_by_tier.iter().map(|t| t.fills).sum();
    let agency: i32 = r
        .fills_by_tier
        .iter()
        .filter(|t| matches!(t.audience, CascadeAudience::Agency))
        .map(|t| t.fills)
        .sum();
    Section {
        slug: "fills-by-tier",
        heading: "Bank and agency-tier fills",
        lede: format!(
            "Which release tier was open when each position was filled: {} of {} filled by the bank before escalation to agency; {} filled by workers from another trust.",
            total - agency,
            total,
            r.cross_trust_fills
        ),
        chart: BarChart {
            id: "chart-fills-by-tier",
            title: "Fills by release tier".to_owned(),
            category_axis: "Tier open at booking".to_owned(),
            value_axis: "Positions filled".to_owned(),
            max: Some(count_max(
                r.fills_by_tier.iter().map(|t| t.fills).max().unwrap_or(0),
            )),
            tick: count_tick,
            bars: r
                .fills_by_tier
                .iter()
                .map(|t| Bar {
                    label: t.audience.words().to_owned(),
                    value: f64::from(t.fills),
                    shown: format::count(i64::from(t.fills), "fill"),
                })
                .collect(),
        },
        table: Table {
            head: vec!["Tier open at booking", "Positions filled"],
            numeric: vec![false, true],
            rows: r
                .fills_by_tier
                .iter()
                .map(|t| vec![t.audience.words().to_owned(), t.fills.to_string()])
                .collect(),
            csv_head: vec!["tier", "filled"],
            csv_rows: r
                .fills_by_tier
                .iter()
                .map(|t| vec![t.audience.words().to_owned(), t.fills.to_string()])
                .collect(),
        },
    }
}

/// A spend section over named groups.
fn spend(
    slug: &'static str,
    heading: &'static str,
    id: &'static str,
    group: &'static str,
    total: Decimal,
    groups: Vec<(String, &ReportFigures)>,
) -> Section {
    let csv_group: &'static str = if slug == "spend-by-ward" {
        "ward"
    } else {
        "staff_group"
    };
    Section {
        slug,
        heading,
        lede: format!(
            "{} spent in total: worked time, holiday pay and late-cancellation fees.",
            format::money(total)
        ),
        chart: BarChart {
            id,
            title: heading.to_owned(),
            category_axis: group.to_owned(),
            value_axis: "Spend (£)".to_owned(),
            max: None,
            tick: pounds_tick,
            bars: groups
                .iter()
                .map(|(name, f)| Bar {
                    label: name.clone(),
                    value: f64_of(f.spend),
                    shown: format::money(f.spend),
                })
                .collect(),
        },
        table: Table {
            head: vec![group, "Positions filled", "Spend"],
            numeric: vec![false, true, true],
            rows: groups
                .iter()
                .map(|(name, f)| {
                    vec![
                        name.clone(),
                        f.positions_filled.to_string(),
                        format::money(f.spend),
                    ]
                })
                .collect(),
            csv_head: vec![csv_group, "filled", "spend"],
            csv_rows: groups
                .iter()
                .map(|(name, f)| {
                    vec![
                        name.clone(),
                        f.positions_filled.to_string(),
                        f.spend.round_dp(2).to_string(),
                    ]
                })
                .collect(),
        },
    }
}

fn cancellations(r: &TrustReport) -> Section {
    let rows: Vec<(&str, &str, i32)> = vec![
        (
            "Cancelled by workers",
            "cancelled_by_workers",
            r.cancelled_by_workers,
        ),
        (
            "Of which at short notice",
            "short_notice_by_workers",
            r.short_notice_by_workers,
        ),
        (
            "Cancelled by the trust",
            "cancelled_by_trust",
            r.cancelled_by_trust,
        ),
        (
            "Of which late (a fee owed)",
            "late_by_trust",
            r.late_by_trust,
        ),
        ("No-shows", "no_shows", r.no_shows),
        ("Shifts withdrawn", "shifts_withdrawn", r.shifts_withdrawn),
    ];
    Section {
        slug: "cancellations",
        heading: "Cancellations and no-shows",
        lede: format!(
            "Bookings cancelled or not worked, of {} shifts posted.",
            r.shifts_posted
        ),
        chart: BarChart {
            id: "chart-cancellations",
            title: "Cancellations and no-shows".to_owned(),
            category_axis: "What happened".to_owned(),
            value_axis: "Bookings (shifts for withdrawals)".to_owned(),
            max: Some(count_max(rows.iter().map(|r| r.2).max().unwrap_or(0))),
            tick: count_tick,
            bars: rows
                .iter()
                .map(|(label, _, n)| Bar {
                    label: (*label).to_owned(),
                    value: f64::from(*n),
                    shown: n.to_string(),
                })
                .collect(),
        },
        table: Table {
            head: vec!["What happened", "Number"],
            numeric: vec![false, true],
            rows: rows
                .iter()
                .map(|(label, _, n)| vec![(*label).to_owned(), n.to_string()])
                .collect(),
            csv_head: vec!["measure", "count"],
            csv_rows: rows
                .iter()
                .map(|(_, key, n)| vec![(*key).to_owned(), n.to_string()])
                .collect(),
        },
    }
}

/// Every section, in page order.
#[must_use]
pub fn sections(r: &TrustReport) -> Vec<Section> {
    vec![
        fill_rate(r),
        time_to_fill(r),
        fills_by_tier(r),
        spend(
            "spend-by-ward",
            "Spend by ward",
            "chart-spend-by-ward",
            "Ward",
            r.spend,
            r.wards
                .iter()
                .map(|w| (w.ward.name.clone(), &w.figures))
                .collect(),
        ),
        spend(
            "spend-by-staff-group",
            "Spend by staff group",
            "chart-spend-by-staff-group",
            "Staff group",
            r.spend,
            r.staff_groups
                .iter()
                .map(|g| (g.staff_group.words().to_owned(), &g.figures))
                .collect(),
        ),
        cancellations(r),
    ]
}

/// Hours paid in words.
#[must_use]
pub fn hours_paid(r: &TrustReport) -> String {
    let minutes = (r.hours_paid * Decimal::from(60))
        .round()
        .to_i64()
        .unwrap_or_default();
    format::duration_minutes(minutes)
}
