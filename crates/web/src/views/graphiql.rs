//! GraphiQL, the API's playground in the browser, served from the binary's own assets (the npm
//! packages' production builds), so it works offline and under the same strict
//! Content-Security-Policy as every page.

use askama::Template;
use axum::response::Response;

use crate::errors::{PageError, render};

#[derive(Template)]
#[template(path = "graphiql.html")]
struct GraphiqlPage;

impl GraphiqlPage {
    fn asset(&self, name: &str) -> &'static str {
        crate::assets::url(name)
    }
}

/// `GET /graphiql`.
pub async fn page() -> Result<Response, PageError> {
    render(&GraphiqlPage)
}
