//! The one place where domain errors become GraphQL errors: the kind decides `extensions.code`, and
//! the text of an internal error is logged, never sent.

use async_graphql::ErrorExtensions;
use staffbank_core::{Classify, ErrorKind};

/// Turns a domain error into a GraphQL error with `extensions.code` (and `extensions.details` when
/// the domain gives safe structured detail).
pub fn to_graphql(e: &dyn Classify) -> async_graphql::Error {
    let kind = e.kind();
    let message = if kind == ErrorKind::Internal {
        tracing::error!(error = %e, "internal error");
        "internal error; it has been logged".to_owned()
    } else {
        e.to_string()
    };
    let details = e.details();
    async_graphql::Error::new(message).extend_with(|_, ext| {
        ext.set("code", kind.code());
        if let Some(v) = details
            .as_ref()
            .and_then(|d| async_graphql::Value::from_json(d.clone()).ok())
        {
            ext.set("details", v);
        }
    })
}

/// A GraphQL error of a given kind, for failures found in the gateway itself.
pub fn gateway_error(kind: ErrorKind, message: impl Into<String>) -> async_graphql::Error {
    let message = message.into();
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", kind.code()))
}

/// `.gql()` on any domain result.
pub trait GqlResultExt<T> {
    /// Translates the error, if any.
    ///
    /// # Errors
    /// The translated error.
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: Classify> GqlResultExt<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_graphql(&e))
    }
}
