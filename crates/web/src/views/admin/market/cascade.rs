//! The default release cascade: its form as typed (for each group of workers, when they are
//! offered a shift), and `POST /admin/market/cascade`.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::TrustAdmin;
use super::hours::{hours, minutes};
use super::operations::{Anchor, Audience, CascadeVariables, SetCascade, Tier, TierInput, load};
use super::page::market_page;
use super::policy::PolicyForm;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::session::Visitor;

/// The cascade form, as typed: for each audience, when (`none`, `posting`, `start`) and hours.
#[derive(Debug, Default, Clone)]
pub(super) struct CascadeForm {
    pub(super) rows: Vec<(Audience, String, String)>,
}

impl CascadeForm {
    pub(super) fn of(tiers: &[Tier]) -> Self {
        Self {
            rows: Audience::ALL
                .iter()
                .map(|a| {
                    tiers.iter().find(|t| t.audience == *a).map_or_else(
                        || (*a, "none".to_owned(), String::new()),
                        |t| {
                            let when = match t.anchor {
                                Anchor::Posting => "posting",
                                Anchor::Start => "start",
                            };
                            (*a, when.to_owned(), hours(t.offset_minutes))
                        },
                    )
                })
                .collect(),
        }
    }

    pub(super) fn typed(pairs: &[(String, String)]) -> Self {
        let get = |k: String| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            rows: Audience::ALL
                .iter()
                .map(|a| {
                    (
                        *a,
                        get(format!("{}-when", a.code())),
                        get(format!("{}-hours", a.code())),
                    )
                })
                .collect(),
        }
    }
}

/// `POST /admin/market/cascade`.
pub(super) async fn set_cascade(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let form = CascadeForm::typed(&pairs);
    let mut errors = Errors::new();
    let mut tiers = Vec::new();
    for (a, when, h) in &form.rows {
        let anchor = match when.trim() {
            "posting" => Anchor::Posting,
            "start" => Anchor::Start,
            _ => continue,
        };
        let name = format!("{}-hours", a.code());
        if h.trim().is_empty() {
            errors.add(
                name,
                format!("Enter how many hours for {}", a.words().to_lowercase()),
            );
            continue;
        }
        match minutes(h, &format!("The time for {}", a.words().to_lowercase())) {
            Ok(m) => tiers.push(TierInput {
                audience: *a,
                anchor,
                offset_minutes: m,
            }),
            Err(m) => errors.add(name, m),
        }
    }
    if tiers.is_empty() && errors.is_empty() {
        errors.add(
            format!("{}-when", Audience::ALL[1].code()),
            "Choose when at least one group of workers is offered a shift",
        );
    }
    if errors.is_empty() {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            SetCascade::build(CascadeVariables {
                trust_id: admin.trust.id,
                tiers,
            }),
        )
        .await
        {
            Ok(done) => {
                tracing::debug!(
                    tiers = done.set_default_cascade.len(),
                    "default cascade set"
                );
                return Ok(Redirect::to("/admin/market?done=cascade#cascade").into_response());
            }
            Err(e) if e.code == Code::Validation => {
                let m = e.message.to_lowercase();
                let first = if m.contains("agencies") {
                    Audience::Agency
                } else {
                    form.rows
                        .iter()
                        .find(|(_, w, _)| w != "none")
                        .map_or(Audience::OwnTrust, |(a, _, _)| *a)
                };
                let message = if m.contains("wider") {
                    "Each group must be offered shifts no earlier in the list than the one before: preferred workers, then your trust's, then the whole bank, then agencies".to_owned()
                } else {
                    format::error_message(&e.message)
                };
                errors.add(format!("{}-when", first.code()), message);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let data = load(&state, &visitor, &admin).await?;
    render_invalid(&market_page(
        &admin,
        &visitor,
        &PolicyForm::of(&data.market_policy),
        &form,
        errors,
        "",
    ))
}
