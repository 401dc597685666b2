//! The check page (`POST /admin/rates/new`): the new card's answers beside the card in force, and
//! what four example shifts pay under each.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;

use super::super::TrustAdmin;
use super::form::{CardForm, api_field, form_page, input, parse};
use super::list::percent;
use super::operations::{
    Card, Example, ExampleKind, GradeRateInput, PreviewQuery, PreviewVariables, cards,
};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::fragments::PayQuote;
use crate::layout::Layout;
use crate::schema::Decimal;
use crate::session::Visitor;
use crate::views::worker::shifts::grade_name;

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
pub(super) async fn check(
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
    let answers = answers(card, &parsed.1, uplift);
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
    let rows = examples.iter().map(preview_row).collect();
    render(&CheckPage {
        layout: admin.layout(&visitor, "Check the new rate card", "/admin/rates"),
        from: format::date(from),
        grade: grade_name(form.grade.trim()),
        answers,
        rows,
        hidden: form.hidden(),
    })
}

/// The answers of the check page: each rate typed beside the one in force, then holiday pay.
fn answers(card: &Card, rates: &[GradeRateInput], uplift: Decimal) -> Vec<(String, String)> {
    rates
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
        .collect()
}

/// One example shift, paid under the card in force and under the new one.
fn preview_row(e: &Example) -> PreviewRow {
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
}
