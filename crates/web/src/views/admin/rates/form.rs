//! The new card's form (`GET /admin/rates/new`): as typed, read and checked as far as the page
//! can, and the input the API takes.

use std::str::FromStr;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::super::TrustAdmin;
use super::operations::{BandEnhancementInput, Card, GradeRateInput, SetRateCardInput, cards};
use crate::WebState;
use crate::api::ApiError;
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::{DateInput, DateValue, Errors, Input, Select};
use crate::layout::Layout;
use crate::schema::{Decimal, NaiveDate};
use crate::session::Visitor;
use crate::views::worker::shifts::grade_name;

/// The Agenda for Change grades every card lists, lowest first.
const AFC_GRADES: [&str; 11] = [
    "BAND_2", "BAND_3", "BAND_4", "BAND_5", "BAND_6", "BAND_7", "BAND_8A", "BAND_8B", "BAND_8C",
    "BAND_8D", "BAND_9",
];

/// The grade previewed unless another is chosen.
const PREVIEW_GRADE: &str = "BAND_5";

/// The new card's form as typed: `from-day`, `from-month`, `from-year`, `rate-{GRADE}` for each
/// grade, `uplift` (a percentage) and `grade` (to preview).
#[derive(Debug, Default, Clone)]
pub(super) struct CardForm {
    pub(super) from: DateValue,
    pub(super) rates: Vec<(String, String)>,
    pub(super) uplift: String,
    pub(super) grade: String,
}

impl CardForm {
    pub(super) fn of(pairs: Vec<(String, String)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "from-day" => f.from.day = v,
                "from-month" => f.from.month = v,
                "from-year" => f.from.year = v,
                "uplift" => f.uplift = v,
                "grade" => f.grade = v,
                _ => {
                    if let Some(g) = k.strip_prefix("rate-") {
                        f.rates.push((g.to_owned(), v));
                    }
                }
            }
        }
        f
    }

    /// Prefilled from the card in force.
    fn from_card(card: &Card) -> Self {
        Self {
            from: DateValue::default(),
            rates: grades_of(card)
                .into_iter()
                .map(|g| {
                    let rate = card
                        .rates
                        .iter()
                        .find(|r| r.grade == g)
                        .map(|r| format!("{:.2}", r.hourly_rate))
                        .unwrap_or_default();
                    (g, rate)
                })
                .collect(),
            uplift: (card.holiday_uplift * Decimal::from(100))
                .normalize()
                .to_string(),
            grade: PREVIEW_GRADE.to_owned(),
        }
    }

    fn rate(&self, grade: &str) -> &str {
        self.rates
            .iter()
            .find(|(g, _)| g == grade)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Hidden fields carrying what was typed to the next step.
    pub(super) fn hidden(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("from-day".to_owned(), self.from.day.clone()),
            ("from-month".to_owned(), self.from.month.clone()),
            ("from-year".to_owned(), self.from.year.clone()),
            ("uplift".to_owned(), self.uplift.clone()),
            ("grade".to_owned(), self.grade.clone()),
        ];
        h.extend(
            self.rates
                .iter()
                .map(|(g, v)| (format!("rate-{g}"), v.clone())),
        );
        h
    }
}

/// The grades a card's form lists: every AfC band, then any other the card pays.
fn grades_of(card: &Card) -> Vec<String> {
    let mut grades: Vec<String> = AFC_GRADES.iter().map(|g| (*g).to_owned()).collect();
    for r in &card.rates {
        if !grades.contains(&r.grade) {
            grades.push(r.grade.clone());
        }
    }
    grades
}

/// The card typed, checked as far as the page can (the API checks the rest).
pub(super) fn parse(
    form: &CardForm,
    errors: &mut Errors,
) -> Option<(NaiveDate, Vec<GradeRateInput>, Decimal)> {
    let from = form
        .from
        .parse("the date the new rates apply from")
        .map_err(|m| errors.add("from-day", m))
        .ok();
    let mut rates = Vec::new();
    for (grade, typed) in &form.rates {
        let t = typed.trim().trim_start_matches('£').replace(',', "");
        if t.is_empty() {
            continue;
        }
        match Decimal::from_str(&t) {
            Ok(r) if r > Decimal::ZERO => rates.push(GradeRateInput {
                grade: grade.clone(),
                hourly_rate: r,
            }),
            Ok(_) => errors.add(
                format!("rate-{grade}"),
                format!("The rate for {} must be more than £0", grade_name(grade)),
            ),
            Err(_) => errors.add(
                format!("rate-{grade}"),
                format!(
                    "The rate for {} must be an amount in pounds, like 15.88",
                    grade_name(grade)
                ),
            ),
        }
    }
    if rates.is_empty() && !form.rates.iter().any(|(_, v)| !v.trim().is_empty()) {
        errors.add(
            format!("rate-{}", AFC_GRADES[0]),
            "Enter an hourly rate for at least one grade",
        );
    }
    let uplift = match Decimal::from_str(form.uplift.trim().trim_end_matches('%').trim()) {
        Ok(p) if p >= Decimal::ZERO && p <= Decimal::from(50) => Some(p / Decimal::from(100)),
        _ => {
            errors.add(
                "uplift",
                "Holiday pay must be a percentage from 0 to 50, like 12.07",
            );
            None
        }
    };
    if !rates.iter().any(|r| r.grade == form.grade) && errors.is_empty() {
        errors.add("grade", "Select a grade the new card has a rate for");
    }
    match (from, uplift, errors.is_empty()) {
        (Some(f), Some(u), true) => Some((f, rates, u)),
        _ => None,
    }
}

/// The field an API refusal of the card is about.
pub(super) fn api_field(e: &ApiError, form: &CardForm) -> String {
    let m = e.message.to_lowercase();
    if m.contains("today") || m.contains("date") || m.contains("effectivefrom") {
        return "from-day".to_owned();
    }
    if m.contains("uplift") {
        return "uplift".to_owned();
    }
    form.rates
        .iter()
        .find(|(g, _)| m.contains(&grade_name(g).to_lowercase()))
        .or_else(|| form.rates.first())
        .map_or_else(|| "from-day".to_owned(), |(g, _)| format!("rate-{g}"))
}

#[derive(Template)]
#[template(path = "admin/rate_new.html")]
pub(super) struct FormPage {
    layout: Layout,
    errors: Errors,
    from: DateInput,
    rates: Vec<Input>,
    uplift: Input,
    grade: Select,
}

pub(super) fn form_page(
    admin: &TrustAdmin,
    visitor: &Visitor,
    card: &Card,
    form: &CardForm,
    errors: Errors,
) -> FormPage {
    let grades = grades_of(card);
    FormPage {
        layout: admin
            .layout(visitor, "Set a new rate card", "/admin/rates")
            .with_errors(!errors.is_empty()),
        from: DateInput::new("from", "Applies to shifts from")
            .hint(format!(
                "Today or later. Shifts before then keep the rates they were worked under. For example, {}",
                format::today().format("%-d %-m %Y")
            ))
            .value(&form.from)
            .error_from(&errors),
        rates: grades
            .iter()
            .map(|g| {
                Input::new(&format!("rate-{g}"), &format!("{}, pounds an hour", grade_name(g)))
                    .value(form.rate(g))
                    .inputmode("decimal")
                    .width("nhsuk-input--width-5")
                    .error_from(&errors)
            })
            .collect(),
        uplift: Input::new("uplift", "Holiday pay, as a percentage of pay")
            .hint("Paid on top of each shift. The usual figure is 12.07")
            .value(form.uplift.trim())
            .inputmode("decimal")
            .width("nhsuk-input--width-5")
            .error_from(&errors),
        grade: Select::new(
            "grade",
            "Grade to preview",
            grades.iter().map(|g| (g.clone(), grade_name(g))).collect(),
        )
        .hint("You will see what example shifts pay at this grade before you save")
        .selected(form.grade.trim())
        .error_from(&errors),
        errors,
    }
}

/// `GET /admin/rates/new`: the form, filled with the card in force.
pub(super) async fn new(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = cards(&state, &visitor, &admin).await?;
    let form = CardForm::from_card(&data.rate_card_in_force);
    render(&form_page(
        &admin,
        &visitor,
        &data.rate_card_in_force,
        &form,
        Errors::new(),
    ))
}

/// The input the API takes, the in-force card's enhancements carried over.
pub(super) fn input(
    admin: &TrustAdmin,
    card: &Card,
    (from, rates, uplift): (NaiveDate, Vec<GradeRateInput>, Decimal),
) -> SetRateCardInput {
    SetRateCardInput {
        trust_id: admin.trust.id,
        effective_from: from,
        rates,
        enhancements: card
            .enhancements
            .iter()
            .map(|e| BandEnhancementInput {
                band: e.band,
                saturday_or_night: e.saturday_or_night,
                sunday_or_public_holiday: e.sunday_or_public_holiday,
            })
            .collect(),
        holiday_uplift: Some(uplift),
    }
}
