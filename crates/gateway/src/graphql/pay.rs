//! Pay in GraphQL: pay up front, rate cards, public holidays, timesheets, payroll export,
//! recharges and reports.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use staffbank_core::ErrorKind;
use staffbank_market::entity::{pay_line, payroll_export, shift, timesheet, timesheet_event};
use staffbank_market::pay::engine::{Enhancements, Line};
use staffbank_market::pay::quote::{Quote, QuoteRequest};
use staffbank_market::pay::rate_cards::{self, NewRateCard, RateCard};
use staffbank_market::pay::recharge::{self, Statement};
use staffbank_market::pay::reports::{self, Report, ReportFilter};
use staffbank_market::pay::timesheets::{self, TimesheetFilter, Worked};
use staffbank_market::pay::{export, holidays, periods, pounds};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::estate::load_trust;
use crate::graphql::loaders::{
    BookingId, PayLinesOf, QuoteOf, TimesheetHistoryOf, VisibleWorker, WorkerId,
};
use crate::graphql::organisations::Trust;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::report_breakdowns::{
    ReportBreakdowns, ReportStaffGroup, ReportWard, ReportWeek, TierFills,
};
use crate::graphql::timesheet_deadlines::{self, TimesheetHolder};
use crate::graphql::workers::{StaffGroupName, Worker};

/// One payslip line.
#[derive(SimpleObject, Debug, Clone)]
pub struct PayLine {
    /// PLAIN, SATURDAY_OR_NIGHT, SUNDAY_OR_PUBLIC_HOLIDAY, HOLIDAY_PAY or LATE_CANCELLATION_FEE.
    pub code: String,
    /// Hours paid (exact; a third of an hour shows as 0.3333…).
    pub hours: Decimal,
    /// Hourly rate paid, enhancement included.
    pub rate: Decimal,
    /// The enhancement included (0.30 = +30%), or the holiday-pay uplift.
    pub enhancement: Decimal,
    /// Amount in pounds, to the penny.
    pub amount: Decimal,
}

impl From<&Line> for PayLine {
    fn from(l: &Line) -> Self {
        Self {
            code: l.code.to_owned(),
            hours: l.hours().normalize(),
            rate: l.rate.normalize(),
            enhancement: l.enhancement.normalize(),
            amount: l.amount,
        }
    }
}

impl From<&pay_line::Model> for PayLine {
    fn from(l: &pay_line::Model) -> Self {
        Self {
            code: l.code.clone(),
            hours: (Decimal::from(l.seconds) / Decimal::from(3600)).normalize(),
            rate: l.rate.parse().unwrap_or_default(),
            enhancement: l.enhancement.parse().unwrap_or_default(),
            amount: pounds(l.amount_pence),
        }
    }
}

/// What a shift pays, line by line.
#[derive(SimpleObject, Debug, Clone)]
pub struct PayQuote {
    /// The grade paid (the shift's or the worker's, by its pay basis).
    pub grade: String,
    /// Hourly rate before enhancements.
    pub hourly_rate: Decimal,
    /// The first day of the rate card used.
    pub rate_card_effective_from: NaiveDate,
    /// Payslip lines.
    pub lines: Vec<PayLine>,
    /// Total in pounds.
    pub total: Decimal,
}

impl From<Quote> for PayQuote {
    fn from(q: Quote) -> Self {
        Self {
            lines: q.lines.iter().map(PayLine::from).collect(),
            grade: q.grade,
            hourly_rate: q.hourly_rate,
            rate_card_effective_from: q.card_effective_from,
            total: q.total,
        }
    }
}

/// The pay a shift would bring the signed-in worker (none when they are not a worker, or the
/// trust's card has no rate for the grade).
pub(crate) async fn my_pay(ctx: &Context<'_>, s: &shift::Model) -> Result<Option<PayQuote>> {
    let actor = ctx.actor().await?;
    let Some(worker_id) = actor.worker_id() else {
        return Ok(None);
    };
    let Some(w) = ctx.loader().load_one(WorkerId(worker_id)).await? else {
        return Ok(None);
    };
    pay_at(ctx, QuoteRequest::for_shift(s, &w.grade)).await
}

/// The pay a shift would bring someone of `grade`.
pub(crate) async fn pay_at(ctx: &Context<'_>, request: QuoteRequest) -> Result<Option<PayQuote>> {
    Ok(ctx
        .loader()
        .load_one(QuoteOf(request))
        .await?
        .map(PayQuote::from))
}

/// A grade's hourly rate.
#[derive(SimpleObject, InputObject, Debug, Clone)]
#[graphql(input_name = "GradeRateInput")]
pub struct GradeRate {
    /// Grade code (at most 64 characters).
    pub grade: String,
    /// Pounds an hour.
    pub hourly_rate: Decimal,
}

/// A band's unsocial-hours enhancements (0.30 = +30%).
#[derive(SimpleObject, InputObject, Debug, Clone)]
#[graphql(input_name = "BandEnhancementInput")]
pub struct BandEnhancement {
    /// Agenda for Change band, 1 to 9 (8a-8d are band 8).
    pub band: i32,
    /// Saturdays and weekday nights 20:00-06:00.
    pub saturday_or_night: Decimal,
    /// Sundays and public holidays.
    pub sunday_or_public_holiday: Decimal,
}

/// A trust's rates from a date.
#[derive(SimpleObject, Debug, Clone)]
pub struct RateCardView {
    /// Whether this is the built-in default (AfC 2025/26 pay points).
    pub built_in: bool,
    /// First day it applies.
    pub effective_from: NaiveDate,
    /// Hourly rates.
    pub rates: Vec<GradeRate>,
    /// Enhancements by band.
    pub enhancements: Vec<BandEnhancement>,
    /// Holiday-pay uplift (0.1207 = 12.07%).
    pub holiday_uplift: Decimal,
}

impl From<RateCard> for RateCardView {
    fn from(c: RateCard) -> Self {
        Self {
            built_in: c.id.is_none(),
            effective_from: c.effective_from,
            rates: c
                .rates
                .into_iter()
                .map(|(grade, hourly_rate)| GradeRate { grade, hourly_rate })
                .collect(),
            enhancements: c
                .enhancements
                .into_iter()
                .map(|(band, e)| BandEnhancement {
                    band: i32::from(band),
                    saturday_or_night: e.saturday_or_night,
                    sunday_or_public_holiday: e.sunday_or_public_holiday,
                })
                .collect(),
            holiday_uplift: c.holiday_uplift,
        }
    }
}

/// A new rate card.
#[derive(InputObject, Debug)]
pub struct SetRateCardInput {
    /// The trust.
    pub trust_id: Uuid,
    /// First day it applies (today or later).
    pub effective_from: NaiveDate,
    /// Hourly rates per grade.
    pub rates: Vec<GradeRate>,
    /// Enhancements per band (bands not given keep the AfC defaults).
    #[graphql(default)]
    pub enhancements: Vec<BandEnhancement>,
    /// Holiday-pay uplift (default 0.1207).
    pub holiday_uplift: Option<Decimal>,
}

impl SetRateCardInput {
    /// The trust and the card as the domain takes them.
    pub(crate) fn into_domain(self) -> Result<(Uuid, NewRateCard)> {
        let mut enhancements = Vec::new();
        for e in self.enhancements {
            let band = u8::try_from(e.band)
                .map_err(|_| gateway_error(ErrorKind::Validation, "bands are 1 to 9"))?;
            enhancements.push((
                band,
                Enhancements {
                    saturday_or_night: e.saturday_or_night,
                    sunday_or_public_holiday: e.sunday_or_public_holiday,
                },
            ));
        }
        let card = NewRateCard {
            effective_from: self.effective_from,
            rates: self
                .rates
                .into_iter()
                .map(|r| (r.grade, r.hourly_rate))
                .collect(),
            enhancements,
            holiday_uplift: self.holiday_uplift,
        };
        Ok((self.trust_id, card))
    }
}

/// Where a day on a bank's calendar comes from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "PublicHolidaySource",
    remote = "staffbank_market::pay::holidays::Source"
)]
pub enum PublicHolidaySource {
    /// The bank holidays of the bank's nation.
    National,
    /// Added (or renamed) by the bank's own admins.
    Bank,
}

/// A public holiday on a collaborative bank's calendar.
#[derive(SimpleObject, Debug)]
pub struct PublicHoliday {
    /// The bank.
    pub collaborative_bank_id: Uuid,
    /// The day.
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
    /// Where it comes from.
    pub source: PublicHolidaySource,
}

impl From<holidays::Holiday> for PublicHoliday {
    fn from(h: holidays::Holiday) -> Self {
        Self {
            collaborative_bank_id: h.system_id,
            date: h.date,
            name: h.name,
            source: h.source.into(),
        }
    }
}

/// Where a timesheet stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "TimesheetState",
    remote = "staffbank_market::pay::timesheets::TimesheetState"
)]
pub enum TimesheetStateName {
    /// Waiting for the ward manager.
    Submitted,
    /// Sent back to the worker with a reason.
    Queried,
    /// Approved; locked.
    Approved,
    /// Approved for payment; its pay lines exist.
    PaymentApproved,
    /// Sent to payroll.
    Exported,
}

/// What a worker worked on a booking.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Timesheet {
    /// Id.
    pub id: Uuid,
    /// The booking.
    pub booking_id: Uuid,
    /// Actual start.
    pub started_at: DateTime<Utc>,
    /// Actual end.
    pub ended_at: DateTime<Utc>,
    /// Actual unpaid break, minutes.
    pub break_minutes: i32,
    /// Where it stands.
    pub state: Option<TimesheetStateName>,
    /// Why it was queried.
    pub query_reason: Option<String>,
    /// When (last) submitted.
    pub submitted_at: DateTime<Utc>,
    /// When approved.
    pub approved_at: Option<DateTime<Utc>>,
    /// When approved for payment.
    pub payment_approved_at: Option<DateTime<Utc>>,
    /// The pay period it is paid in (YYYY-MM).
    pub pay_period: Option<String>,
    /// When it passed its deadline undecided and went to the trust's bank office (null if it
    /// has not, or was resubmitted since).
    pub escalated_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub model: timesheet::Model,
}

impl From<timesheet::Model> for Timesheet {
    fn from(m: timesheet::Model) -> Self {
        Self {
            id: m.id,
            booking_id: m.booking_id,
            started_at: m.started_at,
            ended_at: m.ended_at,
            break_minutes: m.break_minutes,
            state: Some(m.state.into()),
            query_reason: m.query_reason.clone(),
            submitted_at: m.submitted_at,
            approved_at: m.approved_at,
            payment_approved_at: m.payment_approved_at,
            pay_period: m.pay_period.clone(),
            escalated_at: m.escalated_at,
            model: m,
        }
    }
}

/// One step of a timesheet's history.
#[derive(SimpleObject, Debug)]
pub struct TimesheetEvent {
    /// SUBMITTED, QUERIED, RESUBMITTED, APPROVED, AUTO_APPROVED (at the deadline, by no one),
    /// ESCALATED (to the bank office, past the deadline), PAYMENT_APPROVED, EXPORTED.
    pub event: String,
    /// Who (null for what happened automatically).
    pub actor_account_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<timesheet_event::Model> for TimesheetEvent {
    fn from(m: timesheet_event::Model) -> Self {
        Self {
            event: m.event,
            actor_account_id: m.actor_account_id,
            reason: m.reason,
            at: m.at,
        }
    }
}

#[ComplexObject]
impl Timesheet {
    /// The worker (as much as the caller may see).
    async fn worker(&self, ctx: &Context<'_>) -> Result<Worker> {
        ctx.actor().await?;
        let (w, access) = ctx
            .loader()
            .load_one(VisibleWorker(self.model.worker_id))
            .await?
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "worker not found"))?;
        Ok(Worker::new(w, access))
    }

    /// The trust where the work was.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.model.trust_id).await
    }

    /// Its pay lines, once approved for payment.
    async fn pay_lines(&self, ctx: &Context<'_>) -> Result<Vec<PayLine>> {
        Ok(ctx
            .loader()
            .load_one(PayLinesOf(self.id))
            .await?
            .unwrap_or_default()
            .iter()
            .map(PayLine::from)
            .collect())
    }

    /// Total of its pay lines, in pounds.
    async fn pay_total(&self, ctx: &Context<'_>) -> Result<Decimal> {
        let lines = ctx
            .loader()
            .load_one(PayLinesOf(self.id))
            .await?
            .unwrap_or_default();
        Ok(pounds(lines.iter().map(|l| l.amount_pence).sum()))
    }

    /// The booking it is for.
    async fn booking(&self, ctx: &Context<'_>) -> Result<crate::graphql::bookings::Booking> {
        ctx.loader()
            .load_one(BookingId(self.booking_id))
            .await?
            .map(crate::graphql::bookings::Booking::from)
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "booking not found"))
    }

    /// When its pay lines were exported to payroll (null until then).
    async fn exported_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        let history = ctx
            .loader()
            .load_one(TimesheetHistoryOf(self.id))
            .await?
            .unwrap_or_default();
        Ok(timesheets::exported_at(&history))
    }

    /// While submitted: when the ward manager must approve or query it by; past it, it goes to
    /// the bank office (or, by the trust's policy, is approved automatically).
    async fn deadline(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        timesheet_deadlines::deadline(ctx, self).await
    }

    /// Whether it is submitted and past its deadline (escalated, or about to be).
    async fn overdue(&self, ctx: &Context<'_>) -> Result<bool> {
        let now = ctx.services().clock.now();
        Ok(timesheet_deadlines::deadline(ctx, self)
            .await?
            .is_some_and(|d| d <= now))
    }

    /// Who holds it now (null once sent to payroll).
    async fn holder(&self, ctx: &Context<'_>) -> Result<Option<TimesheetHolder>> {
        Ok(timesheet_deadlines::holder(ctx, self)
            .await?
            .map(|(h, _)| h.into()))
    }

    /// By when its holder should act: the deadline for the ward manager, the pay cut-off for the
    /// bank office (null when nobody is waited on by a date).
    async fn holder_due_by(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(timesheet_deadlines::holder(ctx, self)
            .await?
            .and_then(|(_, by)| by))
    }

    /// Whether it was approved automatically at its deadline (its times matched the booking).
    async fn approved_automatically(&self, ctx: &Context<'_>) -> Result<bool> {
        if self.model.approved_at.is_none() {
            return Ok(false);
        }
        let history = ctx
            .loader()
            .load_one(TimesheetHistoryOf(self.id))
            .await?
            .unwrap_or_default();
        Ok(history
            .iter()
            .rev()
            .find(|e| e.event == "APPROVED" || e.event == "AUTO_APPROVED")
            .is_some_and(|e| e.event == "AUTO_APPROVED"))
    }

    /// Its history, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<TimesheetEvent>> {
        Ok(ctx
            .loader()
            .load_one(TimesheetHistoryOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(TimesheetEvent::from)
            .collect())
    }
}

/// A payroll export.
#[derive(SimpleObject, Debug)]
pub struct PayrollExport {
    /// Id (fetch the same file again with `payrollExport`).
    pub id: Uuid,
    /// The paying trust.
    pub trust_id: Uuid,
    /// The pay period.
    pub pay_period: String,
    /// Lines in it.
    pub line_count: i32,
    /// Their total, in pounds.
    pub total: Decimal,
    /// The CSV file.
    pub csv: String,
    /// When made.
    pub created_at: DateTime<Utc>,
}

impl From<payroll_export::Model> for PayrollExport {
    fn from(m: payroll_export::Model) -> Self {
        Self {
            id: m.id,
            trust_id: m.trust_id,
            pay_period: m.pay_period,
            line_count: m.line_count,
            total: pounds(m.total_pence),
            csv: m.csv,
            created_at: m.created_at,
        }
    }
}

/// What one trust owes another for a pay period.
#[derive(SimpleObject, Debug)]
#[graphql(complex)]
pub struct Recharge {
    /// Pay lines behind it.
    pub lines: i64,
    /// Amount in pounds.
    pub total: Decimal,
    #[graphql(skip)]
    pub debtor: Uuid,
    #[graphql(skip)]
    pub creditor: Uuid,
}

#[ComplexObject]
impl Recharge {
    /// The trust where the work was done: it owes.
    async fn debtor(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.debtor).await
    }

    /// The worker's home trust, which paid them: it is owed.
    async fn creditor(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.creditor).await
    }
}

/// A pay period's recharge statement.
#[derive(SimpleObject, Debug)]
pub struct RechargeStatement {
    /// The pay period.
    pub pay_period: String,
    /// What each trust owes each other trust.
    pub recharges: Vec<Recharge>,
    /// The sum of all of them, in pounds.
    pub total: Decimal,
}

impl From<Statement> for RechargeStatement {
    fn from(s: Statement) -> Self {
        let total = pounds(s.rows.iter().map(|r| r.total_pence).sum());
        Self {
            pay_period: s.period,
            recharges: s
                .rows
                .into_iter()
                .map(|r| Recharge {
                    lines: r.lines,
                    total: pounds(r.total_pence),
                    debtor: r.debtor_trust_id,
                    creditor: r.creditor_trust_id,
                })
                .collect(),
            total,
        }
    }
}

/// A trust's figures over a range of dates.
#[derive(SimpleObject, Debug)]
pub struct TrustReport {
    /// Shifts posted (not withdrawn).
    pub shifts_posted: i64,
    /// Shifts withdrawn.
    pub shifts_withdrawn: i64,
    /// Positions on the posted shifts.
    pub positions: i64,
    /// Positions filled.
    pub positions_filled: i64,
    /// Filled / positions.
    pub fill_rate: Option<Decimal>,
    /// Median minutes from posting to booking.
    pub median_minutes_to_fill: Option<i64>,
    /// Hours paid (approved timesheets).
    pub hours_paid: Decimal,
    /// Spend in pounds (worked time, holiday pay, fees).
    pub spend: Decimal,
    /// Cancellations by workers.
    pub cancelled_by_workers: i64,
    /// Of which at short notice.
    pub short_notice_by_workers: i64,
    /// Cancellations by the trust.
    pub cancelled_by_trust: i64,
    /// Of which late (a fee was owed).
    pub late_by_trust: i64,
    /// Positions filled by workers from another trust of the bank.
    pub cross_trust_fills: i64,
    /// Bookings whose worker did not come.
    pub no_shows: i64,
    /// Week by week (Monday to Sunday), every week of the range, oldest first.
    pub weeks: Vec<ReportWeek>,
    /// By ward (the wards with shifts in the range).
    pub wards: Vec<ReportWard>,
    /// By staff group (those with shifts in the range).
    pub staff_groups: Vec<ReportStaffGroup>,
    /// Fills by the release tier open at booking, every tier narrowest first.
    pub fills_by_tier: Vec<TierFills>,
}

impl From<Report> for TrustReport {
    fn from(r: Report) -> Self {
        let b = ReportBreakdowns::from(r.breakdowns);
        Self {
            shifts_posted: r.shifts_posted,
            shifts_withdrawn: r.shifts_withdrawn,
            positions: r.positions,
            positions_filled: r.positions_filled,
            fill_rate: r.fill_rate.map(|d| d.normalize()),
            median_minutes_to_fill: r.median_minutes_to_fill,
            hours_paid: r.hours_paid.normalize(),
            spend: pounds(r.spend_pence),
            cancelled_by_workers: r.cancelled_by_workers,
            short_notice_by_workers: r.short_notice_by_workers,
            cancelled_by_trust: r.cancelled_by_trust,
            late_by_trust: r.late_by_trust,
            cross_trust_fills: r.cross_trust_fills,
            no_shows: r.no_shows,
            weeks: b.weeks,
            wards: b.wards,
            staff_groups: b.staff_groups,
            fills_by_tier: b.fills_by_tier,
        }
    }
}

/// Pay queries.
#[derive(Default)]
pub struct PayQuery;

#[Object]
impl PayQuery {
    /// The built-in rate card and every card a trust has set (for the people of its bank).
    async fn rate_cards(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Vec<RateCardView>> {
        let actor = ctx.actor().await?;
        let cards = rate_cards::visible_cards_of(&ctx.services().db, actor, trust_id)
            .await
            .gql()?;
        let mut out: Vec<RateCardView> = vec![RateCard::default_card().into()];
        out.extend(cards.of(trust_id).iter().cloned().map(RateCardView::from));
        Ok(out)
    }

    /// The rate card in force at a trust on a date (for the people of its bank).
    async fn rate_card_in_force(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        date: NaiveDate,
    ) -> Result<RateCardView> {
        let actor = ctx.actor().await?;
        rate_cards::visible_in_force(&ctx.services().db, actor, trust_id, date)
            .await
            .map(RateCardView::from)
            .gql()
    }

    /// A collaborative bank's public holidays in a year: its nation's bank holidays with its own
    /// admins' changes (for the people of that bank).
    async fn public_holidays(
        &self,
        ctx: &Context<'_>,
        collaborative_bank_id: Uuid,
        year: i32,
    ) -> Result<Vec<PublicHoliday>> {
        let actor = ctx.actor().await?;
        Ok(
            holidays::of_year(&ctx.services().db, actor, collaborative_bank_id, year)
                .await
                .gql()?
                .into_iter()
                .map(PublicHoliday::from)
                .collect(),
        )
    }

    /// Timesheets: the signed-in worker's own, or a trust's (its bank office, ward managers, admins).
    #[expect(clippy::too_many_arguments, reason = "one argument per filter")]
    async fn timesheets(
        &self,
        ctx: &Context<'_>,
        trust_id: Option<Uuid>,
        ward_id: Option<Uuid>,
        state: Option<TimesheetStateName>,
        #[graphql(
            desc = "Only those escalated to the bank office past their deadline (true), or not (false)."
        )]
        escalated: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Timesheet>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let filter = TimesheetFilter {
            trust_id,
            ward_id,
            state: state.map(Into::into),
            escalated,
        };
        let result = timesheets::list(&ctx.services().db, actor, &filter, &page)
            .await
            .gql()?;
        Ok(pagination::connection(result, Timesheet::from))
    }

    /// One timesheet.
    async fn timesheet(&self, ctx: &Context<'_>, id: Uuid) -> Result<Timesheet> {
        let actor = ctx.actor().await?;
        timesheets::timesheet(&ctx.services().db, actor, id)
            .await
            .map(Timesheet::from)
            .gql()
    }

    /// A past payroll export: the same file as when it was made (re-export).
    async fn payroll_export(&self, ctx: &Context<'_>, id: Uuid) -> Result<PayrollExport> {
        let actor = ctx.actor().await?;
        export::export(&ctx.services().db, actor, id)
            .await
            .map(PayrollExport::from)
            .gql()
    }

    /// A trust's payroll exports of a pay period (or, with no period, of every period), oldest
    /// first.
    async fn payroll_exports(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        pay_period: Option<String>,
    ) -> Result<Vec<PayrollExport>> {
        let actor = ctx.actor().await?;
        Ok(
            export::exports_of(&ctx.services().db, actor, trust_id, pay_period.as_deref())
                .await
                .gql()?
                .into_iter()
                .map(PayrollExport::from)
                .collect(),
        )
    }

    /// What each trust owes each other trust for a pay period ("each trust keeps its own pool").
    async fn recharge_statement(
        &self,
        ctx: &Context<'_>,
        collaborative_bank_id: Uuid,
        pay_period: String,
    ) -> Result<RechargeStatement> {
        let actor = ctx.actor().await?;
        recharge::statement(
            &ctx.services().db,
            actor,
            collaborative_bank_id,
            &pay_period,
        )
        .await
        .map(RechargeStatement::from)
        .gql()
    }

    /// A trust's figures (optionally one ward or staff group) for shifts starting from `from` to
    /// `to` (London dates, inclusive).
    async fn trust_report(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        ward_id: Option<Uuid>,
        staff_group: Option<StaffGroupName>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<TrustReport> {
        let actor = ctx.actor().await?;
        let f = ReportFilter {
            trust_id,
            ward_id,
            staff_group: staff_group.map(Into::into),
            from,
            to,
        };
        reports::report(&ctx.services().db, actor, &f)
            .await
            .map(TrustReport::from)
            .gql()
    }
}

/// Pay changes.
#[derive(Default)]
pub struct PayMutation;

#[Object]
impl PayMutation {
    /// Sets a trust's rate card from a date (its trust admins).
    async fn set_rate_card(
        &self,
        ctx: &Context<'_>,
        input: SetRateCardInput,
    ) -> Result<RateCardView> {
        let actor = ctx.actor().await?;
        let (trust_id, card) = input.into_domain()?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        rate_cards::set_card(&s.db, clock, actor, trust_id, &card)
            .await
            .map(RateCardView::from)
            .gql()
    }

    /// Adds a public holiday to a collaborative bank's calendar (its system admins); pay at its
    /// trusts follows, and no other bank's.
    async fn add_public_holiday(
        &self,
        ctx: &Context<'_>,
        collaborative_bank_id: Uuid,
        date: NaiveDate,
        #[graphql(desc = "The holiday's name (1 to 100 characters, one line).")] name: String,
    ) -> Result<PublicHoliday> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        holidays::add(&s.db, clock, actor, collaborative_bank_id, date, &name)
            .await
            .map(PublicHoliday::from)
            .gql()
    }

    /// Takes a day off a collaborative bank's calendar (its system admins): a national bank
    /// holiday it does not keep, or one it added.
    async fn remove_public_holiday(
        &self,
        ctx: &Context<'_>,
        collaborative_bank_id: Uuid,
        date: NaiveDate,
    ) -> Result<PublicHoliday> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        holidays::remove(&s.db, clock, actor, collaborative_bank_id, date)
            .await
            .map(PublicHoliday::from)
            .gql()
    }

    /// Sets a trust's pay-period cut-off day (1-28): later approvals roll into the next period.
    async fn set_pay_cutoff_day(&self, ctx: &Context<'_>, trust_id: Uuid, day: i32) -> Result<i32> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        periods::set_cutoff_day(&s.db, s.clock.as_ref(), actor, trust_id, day)
            .await
            .gql()
    }

    /// The booked worker submits (or, after a query, resubmits) the times they worked.
    async fn submit_timesheet(
        &self,
        ctx: &Context<'_>,
        booking_id: Uuid,
        started_at: DateTime<Utc>,
        ended_at: DateTime<Utc>,
        break_minutes: i32,
    ) -> Result<Timesheet> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let worked = Worked {
            started_at,
            ended_at,
            break_minutes,
        };
        timesheets::submit(&s.db, clock, actor, booking_id, &worked)
            .await
            .map(Timesheet::from)
            .gql()
    }

    /// A ward manager of the ward (or, once it has passed its deadline, the trust's bank office)
    /// approves a submitted timesheet (it is then locked); the worker is emailed.
    async fn approve_timesheet(&self, ctx: &Context<'_>, id: Uuid) -> Result<Timesheet> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        timesheets::approve(&s.db, clock, actor, id)
            .await
            .map(Timesheet::from)
            .gql()
    }

    /// A ward manager of the ward (or, once it has passed its deadline, the trust's bank office)
    /// sends a timesheet back to the worker, with a reason; the worker is emailed.
    async fn query_timesheet(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Timesheet> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        timesheets::query(&s.db, clock, actor, id, &reason)
            .await
            .map(Timesheet::from)
            .gql()
    }

    /// The trust's bank office approves an approved timesheet for payment: its pay lines are made,
    /// in the pay period the cut-off gives.
    async fn approve_timesheet_payment(&self, ctx: &Context<'_>, id: Uuid) -> Result<Timesheet> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        timesheets::approve_payment(&s.db, clock, actor, id)
            .await
            .map(Timesheet::from)
            .gql()
    }

    /// Exports a trust's pay period to payroll: the approved lines not exported before, each once.
    async fn export_payroll(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        pay_period: String,
    ) -> Result<PayrollExport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let period = &pay_period;
        export::run(&s.db, clock, actor, trust_id, period)
            .await
            .map(PayrollExport::from)
            .gql()
    }
}
