//! The design system's pagination ("Previous" and "Next" links), for any list a page shows in
//! parts. The page works out the two addresses (cursors, filters kept); this draws them.

use askama::Template;

/// Links to the previous and next parts of a list; renders nothing when there are neither.
#[derive(Template, Debug, Clone, Default)]
#[template(path = "components/pagination.html")]
pub struct Pagination {
    /// The address of the part before, if any.
    pub previous: Option<String>,
    /// The address of the part after, if any.
    pub next: Option<String>,
}
