//! Keyset pagination shared by every list: the domain returns a [`Page`] for a [`PageRequest`], and
//! the gateway turns it into a GraphQL connection. Cursors are opaque to clients.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::Error;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 200;
/// The page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// Which page of a list to return.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    /// How many items at most.
    pub first: u64,
    /// The cursor of the last item of the previous page, as the domain encoded it.
    pub after: Option<String>,
}

impl PageRequest {
    /// Validates a client's `first`/`after`.
    ///
    /// # Errors
    /// [`Error::Validation`] when `first` is negative or above [`MAX_PAGE_SIZE`].
    pub fn new(first: Option<i32>, after: Option<String>) -> Result<Self, Error> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 0 => return Err(Error::Validation("first must not be negative".into())),
            Some(n) => u64::try_from(n).unwrap_or(DEFAULT_PAGE_SIZE),
        };
        if first > MAX_PAGE_SIZE {
            return Err(Error::Validation(format!(
                "first must be at most {MAX_PAGE_SIZE}"
            )));
        }
        Ok(Self { first, after })
    }

    /// The `after` cursor decoded as a key of the form the domain wrote with [`encode_cursor`].
    ///
    /// # Errors
    /// [`Error::Validation`] for a cursor that was not issued by this service.
    pub fn after_key(&self) -> Result<Option<String>, Error> {
        self.after.as_deref().map(decode_cursor).transpose()
    }
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, each with its cursor.
    pub items: Vec<(String, T)>,
    /// Whether more items follow.
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// Builds a page from up to `first + 1` fetched rows: the extra row only says more exist.
    pub fn from_rows(mut rows: Vec<T>, first: u64, key: impl Fn(&T) -> String) -> Self {
        let limit = usize::try_from(first).unwrap_or(usize::MAX);
        let has_next_page = rows.len() > limit;
        rows.truncate(limit);
        let items = rows
            .into_iter()
            .map(|r| (encode_cursor(&key(&r)), r))
            .collect();
        Self {
            items,
            has_next_page,
        }
    }

    /// Transforms every item.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        let mut f = f;
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
        }
    }
}

/// Encodes a sort key as an opaque cursor.
#[must_use]
pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// Decodes a cursor made by [`encode_cursor`].
///
/// # Errors
/// [`Error::Validation`] for anything else.
pub fn decode_cursor(cursor: &str) -> Result<String, Error> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| Error::Validation("invalid pagination cursor".into()))
}
