//! A trust report's breakdowns in GraphQL: week by week, by ward, by staff group, and fills by
//! the release tier open at booking (see `staffbank_market::pay::report_breakdowns`).

use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use staffbank_core::ErrorKind;
use staffbank_market::pay::pounds;
use staffbank_market::pay::report_breakdowns::{Breakdowns, Figures};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::gateway_error;
use crate::graphql::estate::Ward;
use crate::graphql::loaders::WardId;
use crate::graphql::shifts::AudienceName;
use crate::graphql::workers::StaffGroupName;

/// The figures of one group of shifts.
#[derive(SimpleObject, Debug, Clone)]
pub struct ReportFigures {
    /// Positions on the posted (not withdrawn) shifts.
    pub positions: i64,
    /// Positions filled.
    pub positions_filled: i64,
    /// Filled / positions (null when nothing was posted).
    pub fill_rate: Option<Decimal>,
    /// Median minutes from posting to booking (null when nothing was filled).
    pub median_minutes_to_fill: Option<i64>,
    /// Spend in pounds (worked time, holiday pay, fees).
    pub spend: Decimal,
    /// Bookings cancelled by workers.
    pub cancelled_by_workers: i64,
    /// Bookings cancelled by the trust.
    pub cancelled_by_trust: i64,
    /// Bookings whose worker did not come.
    pub no_shows: i64,
}

impl From<Figures> for ReportFigures {
    fn from(f: Figures) -> Self {
        Self {
            fill_rate: f.fill_rate().map(|d| d.normalize()),
            positions: f.positions,
            positions_filled: f.positions_filled,
            median_minutes_to_fill: f.median_minutes_to_fill,
            spend: pounds(f.spend_pence),
            cancelled_by_workers: f.cancelled_by_workers,
            cancelled_by_trust: f.cancelled_by_trust,
            no_shows: f.no_shows,
        }
    }
}

/// A week of a report: shifts starting Monday to Sunday.
#[derive(SimpleObject, Debug, Clone)]
pub struct ReportWeek {
    /// Its Monday (London date; the first week may start before the report's first day).
    pub starts_on: NaiveDate,
    /// Its figures.
    pub figures: ReportFigures,
}

/// A ward's figures in a report.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct ReportWard {
    #[graphql(skip)]
    pub ward_id: Uuid,
    /// Its figures.
    pub figures: ReportFigures,
}

#[ComplexObject]
impl ReportWard {
    /// The ward.
    async fn ward(&self, ctx: &Context<'_>) -> Result<Ward> {
        ctx.loader()
            .load_one(WardId(self.ward_id))
            .await?
            .map(Ward::from)
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "ward not found"))
    }
}

/// A staff group's figures in a report.
#[derive(SimpleObject, Debug, Clone)]
pub struct ReportStaffGroup {
    /// The staff group.
    pub staff_group: StaffGroupName,
    /// Its figures.
    pub figures: ReportFigures,
}

/// Positions filled while a release tier was the widest open (a booking made before any tier
/// opened counts in the first).
#[derive(SimpleObject, Debug, Clone)]
pub struct TierFills {
    /// The tier.
    pub audience: AudienceName,
    /// Positions filled then.
    pub fills: i64,
}

/// The breakdowns, as the report shows them.
pub struct ReportBreakdowns {
    /// Week by week.
    pub weeks: Vec<ReportWeek>,
    /// By ward.
    pub wards: Vec<ReportWard>,
    /// By staff group.
    pub staff_groups: Vec<ReportStaffGroup>,
    /// By tier.
    pub fills_by_tier: Vec<TierFills>,
}

impl From<Breakdowns> for ReportBreakdowns {
    fn from(b: Breakdowns) -> Self {
        Self {
            weeks: b
                .weeks
                .into_iter()
                .map(|w| ReportWeek {
                    starts_on: w.starts_on,
                    figures: w.figures.into(),
                })
                .collect(),
            wards: b
                .wards
                .into_iter()
                .map(|(ward_id, f)| ReportWard {
                    ward_id,
                    figures: f.into(),
                })
                .collect(),
            staff_groups: b
                .staff_groups
                .into_iter()
                .map(|(g, f)| ReportStaffGroup {
                    staff_group: g.into(),
                    figures: f.into(),
                })
                .collect(),
            fills_by_tier: b
                .fills_by_tier
                .into_iter()
                .map(|t| TierFills {
                    audience: t.audience.into(),
                    fills: t.fills,
                })
                .collect(),
        }
    }
}
