//! The pages, one module per area (`worker/`, `office/` for bank offices, `ward/` for ward
//! managers, `hr/`, `admin/` for trust admins, `bank_admin/` for the collaborative bank's admins),
//! plus sign-in, the home that lets someone with several roles choose, and GraphiQL.

pub mod admin;
pub mod bank_admin;
pub mod graphiql;
pub mod home;
pub mod hr;
pub mod invitation;
pub mod office;
pub mod sign_in;
pub mod trust_area;
pub mod ward;
pub mod worker;

use axum::Router;
use axum::routing::get;

use crate::WebState;

/// Every page route.
pub fn routes(state: &WebState) -> Router<WebState> {
    let mut router = Router::new()
        .route("/", get(home::home))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", axum::routing::post(sign_in::sign_out))
        .merge(invitation::routes())
        .merge(worker::routes())
        .merge(office::routes())
        .merge(hr::routes())
        .merge(admin::routes())
        .merge(ward::routes())
        .merge(bank_admin::routes())
        .fallback(|| async { crate::errors::not_found() });
    if state.settings.graphiql {
        router = router.route("/graphiql", get(graphiql::page));
    }
    router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::session::redirect_to_sign_in,
    ))
}
