//! Rate cards: `GET /admin/rates` lists the trust's cards by the day each applies from (the
//! built-in Agenda for Change card first), marking the one in force today. Setting a new card is
//! a form (`GET|POST /admin/rates/new`: the day it applies from, an hourly rate per grade, the
//! holiday pay uplift, and a grade to preview) and then a check-answers page showing what four
//! example shifts — a weekday day, a night, a Saturday and a bank holiday — pay at that grade
//! under the card in force and under the new one (`rateCardPreview`); only from there is the card
//! saved (`POST /admin/rates/save`). The unsocial-hours enhancements of the card in force carry
//! over unchanged.

use std::str::FromStr;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::TrustAdmin;
use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{DateInput, DateValue, Errors, Input, Select};
use crate::fragments::PayQuote;
use crate::layout::Layout;
use crate::schema::{DateTime, Decimal, NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::views::worker::shifts::grade_name;

/// The Agenda for Change grades every card lists, lowest first.
const AFC_GRADES: [&str; 11] = [
    "BAND_2", "BAND_3", "BAND_4", "BAND_5", "BAND_6", "BAND_7", "BAND_8A", "BAND_8B", "BAND_8C",
    "BAND_8D", "BAND_9",
];

/// The grade previewed unless another is chosen.
const PREVIEW_GRADE: &str = "BAND_5";

#[derive(cynic::QueryVariables)]
struct CardsVariables {
    trust_id: Uuid,
    today: NaiveDate,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "CardsVariables")]
struct CardsQuery {
    #[arguments(trustId: $trust_id)]
    rate_cards: Vec<Card>,
    #[arguments(trustId: $trust_id, date: $today)]
    rate_card_in_force: Card,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "RateCardView")]
struct Card {
    built_in: bool,
    effective_from: NaiveDate,
    rates: Vec<GradeRate>,
    enhancements: Vec<Enhancement>,
    holiday_uplift: Decimal,
}

#[derive(cynic::QueryFragment, Clone)]
struct GradeRate {
    grade: String,
    hourly_rate: Decimal,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "BandEnhancement")]
struct Enhancement {
    band: i32,
    saturday_or_night: Decimal,
    sunday_or_public_holiday: Decimal,
}

#[derive(cynic::InputObject, Clone)]
#[cynic(graphql_type = "GradeRateInput")]
struct GradeRateInput {
    grade: String,
    hourly_rate: Decimal,
}

#[derive(cynic::InputObject, Clone)]
#[cynic(graphql_type = "BandEnhancementInput")]
struct BandEnhancementInput {
    band: i32,
    saturday_or_night: Decimal,
    sunday_or_public_holiday: Decimal,
}

#[derive(cynic::InputObject, Clone)]
#[cynic(graphql_type = "SetRateCardInput")]
struct SetRateCardInput {
    trust_id: Uuid,
    effective_from: NaiveDate,
    rates: Vec<GradeRateInput>,
    enhancements: Vec<BandEnhancementInput>,
    holiday_uplift: Option<Decimal>,
}

#[derive(cynic::QueryVariables)]
struct PreviewVariables {
    input: SetRateCardInput,
    grade: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PreviewVariables")]
struct PreviewQuery {
    #[arguments(input: $input, grade: $grade)]
    rate_card_preview: Vec<Example>,
}

/// Which kind of example shift (the API's `RateCardExampleKind`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "RateCardExampleKind")]
enum ExampleKind {
    WeekdayDay,
    WeekdayNight,
    Saturday,
    PublicHoliday,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RateCardExample")]
struct Example {
    kind: ExampleKind,
    starts_at: DateTime,
    ends_at: DateTime,
    break_minutes: i32,
    now: Option<PayQuote>,
    new: Option<PayQuote>,
}

#[derive(cynic::QueryVariables)]
struct SaveVariables {
    input: SetRateCardInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SaveVariables")]
struct Save {
    #[arguments(input: $input)]
    set_rate_card: Saved,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RateCardView")]
struct Saved {
    effective_from: NaiveDate,
}

async fn cards(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<CardsQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        CardsQuery::build(CardsVariables {
            trust_id: admin.trust.id,
            today: format::today(),
        }),
    )
    .await?)
}

/// "12.07%" from 0.1207.
fn percent(fraction: Decimal) -> String {
    format!("{}%", (fraction * Decimal::from(100)).normalize())
}

/// A card as the list shows it.
struct CardView {
    title: String,
    status: &'static str,
    rates: Vec<(String, String)>,
    uplift: String,
}

#[derive(Template)]
#[template(path = "admin/rates.html")]
struct ListPage {
    layout: Layout,
    done: String,
    cards: Vec<CardView>,
}

/// What was just done.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    set: String,
}

/// `GET /admin/rates`.
async fn list(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = cards(&state, &visitor, &admin).await?;
    let in_force = data.rate_card_in_force.effective_from;
    let in_force_built_in = data.rate_card_in_force.built_in;
    let mut cards: Vec<CardView> = data
        .rate_cards
        .iter()
        .map(|c| CardView {
            title: if c.built_in {
                "Standard Agenda for Change rates".to_owned()
            } else {
                format!("From {}", format::date(c.effective_from))
            },
            status: if c.built_in == in_force_built_in && c.effective_from == in_force {
                "In force"
            } else if c.effective_from > format::today() {
                "Coming"
            } else {
                "Replaced"
            },
            rates: c
                .rates
                .iter()
                .map(|r| {
                    (
                        grade_name(&r.grade),
                        format!("{} an hour", format::money(r.hourly_rate)),
                    )
                })
                .collect(),
            uplift: percent(c.holiday_uplift),
        })
        .collect();
    // Newest first: the built-in card is the oldest.
    cards.reverse();
    let done = NaiveDate::from_str(done.set.trim())
        .map(|d| {
            format!(
                "New rate card saved. It applies to shifts from {}.",
                format::date(d)
            )
        })
        .unwrap_or_default();
    render(&ListPage {
        layout: admin.layout(&visitor, "Rate cards", "/admin/rates"),
        done,
        cards,
    })
}

/// The new card's form as typed: `from-day`, `from-month`, `from-year`, `rate-{GRADE}` for each
/// grade, `uplift` (a percentage) and `grade` (to preview).
#[derive(Debug, Default, Clone)]
struct CardForm {
    from: DateValue,
    rates: Vec<(String, String)>,
    uplift: String,
    grade: String,
}

impl CardForm {
    fn of(pairs: Vec<(String, String)>) -> Self {
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
    fn hidden(&self) -> Vec<(String, String)> {
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
fn parse(
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
fn api_field(e: &ApiError, form: &CardForm) -> String {
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
struct FormPage {
    layout: Layout,
    errors: Errors,
    from: DateInput,
    rates: Vec<Input>,
    uplift: Input,
    grade: Select,
}

fn form_page(
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
async fn new(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
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
fn input(
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

/// One example shift as the check page shows it.
struct PreviewRow {
    what: &'static str,
    when: String,
    now: String,
    new: String,
    change: String,
}

#[derive(Template)]
#[template(path = "admin/rate_check.html")]
struct CheckPage {
    layout: Layout,
    from: String,
    grade: String,
    answers: Vec<(String, String)>,
    rows: Vec<PreviewRow>,
    hidden: Vec<(String, String)>,
}

fn money_or(q: Option<&PayQuote>) -> String {
    q.map_or_else(
        || "Not paid at this grade".to_owned(),
        |q| format::money(q.total),
    )
}

/// `POST /admin/rates/new`: check what was typed, then show the preview (or, with `change`, the
/// form again as typed).
async fn check(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = cards(&state, &visitor, &admin).await?;
    let card = &data.rate_card_in_force;
    let changing = pairs.iter().any(|(k, _)| k == "change");
    let form = CardForm::of(pairs);
    if changing {
        return render(&form_page(&admin, &visitor, card, &form, Errors::new()));
    }
    let mut errors = Errors::new();
    let Some(parsed) = parse(&form, &mut errors) else {
        return render_invalid(&form_page(&admin, &visitor, card, &form, errors));
    };
    let (from, uplift) = (parsed.0, parsed.2);
    let answers: Vec<(String, String)> = parsed
        .1
        .iter()
        .map(|r| {
            let was = card.rates.iter().find(|c| c.grade == r.grade).map_or_else(
                || "not paid before".to_owned(),
                |c| {
                    if c.hourly_rate == r.hourly_rate {
                        "unchanged".to_owned()
                    } else {
                        format!("was {}", format::money(c.hourly_rate))
                    }
                },
            );
            (
                grade_name(&r.grade),
                format!("{} an hour ({was})", format::money(r.hourly_rate)),
            )
        })
        .chain(std::iter::once((
            "Holiday pay".to_owned(),
            format!(
                "{} on top of pay (was {})",
                percent(uplift),
                percent(card.holiday_uplift)
            ),
        )))
        .collect();
    let result = api::run(
        state.api.as_ref(),
        &visitor.caller,
        PreviewQuery::build(PreviewVariables {
            input: input(&admin, card, parsed),
            grade: form.grade.trim().to_owned(),
        }),
    )
    .await;
    let examples = match result {
        Ok(d) => d.rate_card_preview,
        Err(e) if e.code == Code::Validation => {
            errors.add(api_field(&e, &form), format::error_message(&e.message));
            return render_invalid(&form_page(&admin, &visitor, card, &form, errors));
        }
        Err(e) => return Err(e.into()),
    };
    let rows = examples
        .iter()
        .map(|e| {
            let what = match e.kind {
                ExampleKind::WeekdayDay => "A weekday day shift",
                ExampleKind::WeekdayNight => "A night shift",
                ExampleKind::Saturday => "A Saturday day shift",
                ExampleKind::PublicHoliday => "A bank holiday day shift",
            };
            let change = match (&e.now, &e.new) {
                (Some(a), Some(b)) => {
                    let d = b.total - a.total;
                    if d.is_zero() {
                        "No change".to_owned()
                    } else if d > Decimal::ZERO {
                        format!("{} more", format::money(d))
                    } else {
                        format!("{} less", format::money(-d))
                    }
                }
                _ => String::new(),
            };
            PreviewRow {
                what,
                when: format!(
                    "{}, {} unpaid break",
                    format::shift_time(format::london(e.starts_at), format::london(e.ends_at)),
                    format::duration_minutes(i64::from(e.break_minutes))
                ),
                now: money_or(e.now.as_ref()),
                new: money_or(e.new.as_ref()),
                change,
            }
        })
        .collect();
    render(&CheckPage {
        layout: admin.layout(&visitor, "Check the new rate card", "/admin/rates"),
        from: format::date(from),
        grade: grade_name(form.grade.trim()),
        answers,
        rows,
        hidden: form.hidden(),
    })
}

/// `POST /admin/rates/save`.
async fn save(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = cards(&state, &visitor, &admin).await?;
    let card = &data.rate_card_in_force;
    let form = CardForm::of(pairs);
    let mut errors = Errors::new();
    if let Some(parsed) = parse(&form, &mut errors) {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            Save::build(SaveVariables {
                input: input(&admin, card, parsed),
            }),
        )
        .await
        {
            Ok(done) => {
                return Ok(Redirect::to(&format!(
                    "/admin/rates?set={}",
                    done.set_rate_card.effective_from
                ))
                .into_response());
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                errors.add(api_field(&e, &form), format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&form_page(&admin, &visitor, card, &form, errors))
}

/// The rate card pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/rates", get(list))
        .route("/admin/rates/new", get(new).post(check))
        .route("/admin/rates/save", post(save))
}
