//! The web app's way into the API: each page's operation runs through [`server::execute`], as the
//! session's caller, exactly as a `POST /graphql` with that token would — no HTTP hop, and no way
//! round the schema. Evidence documents come through the same authorised path as
//! `GET /evidence/{credentialId}`.

use futures::future::BoxFuture;
use staffbank_web::{Api, Caller};

use crate::graphql::context::Credentials;
use crate::server::{self, AppState};

/// Executes the web app's operations in this process.
pub struct InProcess {
    state: AppState,
}

impl InProcess {
    /// Over the server's state.
    #[must_use]
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl Api for InProcess {
    fn execute(
        &self,
        request: async_graphql::Request,
        caller: &Caller,
    ) -> BoxFuture<'static, async_graphql::Response> {
        let state = self.state.clone();
        let credentials = match caller.token.as_deref() {
            Some(token) => server::token_credentials(&state, token),
            None => Credentials::Anonymous,
        };
        let ip = caller.ip.to_string();
        Box::pin(async move { server::execute(&state, ip, credentials, request).await })
    }

    fn evidence(
        &self,
        credential_id: uuid::Uuid,
        caller: &Caller,
    ) -> BoxFuture<'static, axum::response::Response> {
        let state = self.state.clone();
        let credentials = match caller.token.as_deref() {
            Some(token) => server::token_credentials(&state, token),
            None => Credentials::Anonymous,
        };
        Box::pin(async move { server::evidence_response(&state, credentials, credential_id).await })
    }
}
