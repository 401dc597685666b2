//! Cursor-paginated connections (Relay style) built from the domain's pages.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use staffbank_core::page::{Page, PageRequest};

use crate::graphql::error::GqlResultExt;

/// A connection with string cursors.
pub type Conn<T> = Connection<String, T, EmptyFields, EmptyFields>;

/// Validates `first`/`after`.
///
/// # Errors
/// `VALIDATION` for a negative or too large `first`.
pub fn request(first: Option<i32>, after: Option<String>) -> async_graphql::Result<PageRequest> {
    PageRequest::new(first, after).gql()
}

/// A connection from a page, converting each item.
pub fn connection<T, U: OutputType>(page: Page<T>, mut f: impl FnMut(T) -> U) -> Conn<U> {
    let mut c = Connection::new(false, page.has_next_page);
    c.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, item)| Edge::new(cursor, f(item))),
    );
    c
}
