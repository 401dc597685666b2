//! `POST /admin/rates/save`: the card saved, or the form again with what the API refused.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::TrustAdmin;
use super::form::{CardForm, api_field, form_page, input, parse};
use super::operations::{Save, SaveVariables, cards};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::session::Visitor;

/// `POST /admin/rates/save`.
pub(super) async fn save(
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
