//! `GET /admin/market`: the two forms, filled with what is saved (or, after a refused post, with
//! what was typed and what is wrong).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::TrustAdmin;
use super::cascade::CascadeForm;
use super::operations::load;
use super::policy::PolicyForm;
use crate::WebState;
use crate::errors::{PageError, render};
use crate::forms::{Errors, Input, Select};
use crate::layout::Layout;
use crate::session::Visitor;

/// One tier's fields.
struct TierFields {
    who: &'static str,
    when: Select,
    hours: Input,
}

#[derive(Template)]
#[template(path = "admin/market.html")]
pub(super) struct MarketPage {
    layout: Layout,
    errors: Errors,
    done: &'static str,
    short_notice: Input,
    late_cancellation: Input,
    fee: Input,
    strike_limit: Input,
    strike_window: Input,
    dormancy: Input,
    tiers: Vec<TierFields>,
}

pub(super) fn market_page(
    admin: &TrustAdmin,
    visitor: &Visitor,
    policy: &PolicyForm,
    cascade: &CascadeForm,
    errors: Errors,
    done: &'static str,
) -> MarketPage {
    let hours_input = |name: &str, label: &str, hint: &str, value: &str| {
        Input::new(name, label)
            .hint(hint)
            .value(value.trim())
            .inputmode("decimal")
            .width("nhsuk-input--width-5")
            .error_from(&errors)
    };
    let whole_input = |name: &str, label: &str, hint: &str, value: &str| {
        Input::new(name, label)
            .hint(hint)
            .value(value.trim())
            .inputmode("numeric")
            .width("nhsuk-input--width-5")
            .error_from(&errors)
    };
    let tiers = cascade
        .rows
        .iter()
        .map(|(a, when, h)| TierFields {
            who: a.words(),
            when: Select::new(
                &format!("{}-when", a.code()),
                &format!("When {} are offered a shift", a.words().to_lowercase()),
                vec![
                    ("none".to_owned(), "Never".to_owned()),
                    ("posting".to_owned(), "Hours after it is posted".to_owned()),
                    ("start".to_owned(), "Hours before it starts".to_owned()),
                ],
            )
            .selected(when.trim())
            .error_from(&errors),
            hours: Input::new(&format!("{}-hours", a.code()), "Hours")
                .value(h.trim())
                .inputmode("decimal")
                .width("nhsuk-input--width-5")
                .error_from(&errors),
        })
        .collect();
    MarketPage {
        layout: admin
            .layout(visitor, "Market rules", "/admin/market")
            .with_errors(!errors.is_empty()),
        short_notice: hours_input(
            "short-notice",
            "A worker cancelling this many hours or less before a shift is cancelling at short notice",
            "In hours, for example 24",
            &policy.short_notice,
        ),
        late_cancellation: hours_input(
            "late-cancellation",
            "Your trust cancelling this many hours or less before a shift owes the worker a fee",
            "In hours, for example 24",
            &policy.late_cancellation,
        ),
        fee: hours_input(
            "fee",
            "The fee, in hours of the worker's pay",
            "For example, 2",
            &policy.fee,
        ),
        strike_limit: whole_input(
            "strike-limit",
            "Short-notice cancellations and no-shows that stop a worker booking your shifts themselves",
            "Enter 0 to never stop them",
            &policy.strike_limit,
        ),
        strike_window: whole_input(
            "strike-window",
            "Counted over this many days",
            "For example, 90",
            &policy.strike_window,
        ),
        dormancy: whole_input(
            "dormancy",
            "Days without a shift or confirming they are available before a worker is dormant",
            "For example, 90",
            &policy.dormancy,
        ),
        tiers,
        errors,
        done,
    }
}

/// What was just done.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /admin/market`.
pub(super) async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = load(&state, &visitor, &admin).await?;
    let said = match done.done.as_str() {
        "policy" => "Market policy saved. It applies from now.",
        "cascade" => {
            "Release cascade saved. Shifts posted from now get it; shifts already posted keep theirs."
        }
        _ => "",
    };
    render(&market_page(
        &admin,
        &visitor,
        &PolicyForm::of(&data.market_policy),
        &CascadeForm::of(&data.default_cascade),
        Errors::new(),
        said,
    ))
}
