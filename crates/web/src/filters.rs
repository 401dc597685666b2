//! The filters the lists of workers share — part of a name and a staff group, as HR's workers
//! (`/hr/workers`), HR's checks to do (`/hr`) and the bank office's search (`/office/workers`)
//! ask them: the fields, what was typed read and checked the same way, and the addresses of the
//! pages of results (the forms are GETs, so a list is an address that can be kept).

use crate::forms::{Errors, Input, Select};
use crate::fragments::StaffGroup;

/// The longest name that may be searched for, in characters.
const MAX_NAME: usize = 100;

/// What to say when the name searched for is too long.
pub const NAME_TOO_LONG: &str = "Name must be 100 characters or fewer";

/// Checks the name typed (against the field `name`).
pub fn check_name(name: &str, errors: &mut Errors) {
    if name.trim().chars().count() > MAX_NAME {
        errors.add("name", NAME_TOO_LONG);
    }
}

/// The staff group chosen (`None`: every group), or the mistake against the field `group`.
pub fn staff_group(group: &str, errors: &mut Errors) -> Option<StaffGroup> {
    match group.trim() {
        "" => None,
        code => {
            let g = StaffGroup::from_code(code);
            if g.is_none() {
                errors.add("group", "Select a staff group from the list");
            }
            g
        }
    }
}

/// What was typed, trimmed, or `None` when nothing was.
#[must_use]
pub fn typed(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The name field, as typed.
#[must_use]
pub fn name_input(typed: &str, errors: &Errors) -> Input {
    Input::new("name", "Name")
        .hint("Part of their first name or surname")
        .value(typed.trim())
        .error_from(errors)
}

/// The staff group field: every group, then each group.
#[must_use]
pub fn group_select(typed: &str, errors: &Errors) -> Select {
    let mut options = vec![(String::new(), "All staff groups".to_owned())];
    options.extend(
        StaffGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), g.name().to_owned())),
    );
    Select::new("group", "Staff group", options)
        .selected(typed.trim())
        .error_from(errors)
}

/// The address of a search: `path`, with the fields that are not blank as its query.
#[must_use]
pub fn href(path: &str, fields: &[(&str, &str)]) -> String {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .copied()
        .collect();
    let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if q.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{q}")
    }
}

/// The address of the next page of results, when there is one (`at` gives the address after a
/// cursor).
pub fn next_page(
    has_next_page: bool,
    end_cursor: Option<String>,
    at: impl Fn(&str) -> String,
) -> Option<String> {
    has_next_page
        .then_some(end_cursor)
        .flatten()
        .map(|end| at(&end))
}
