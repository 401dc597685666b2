//! What every page's frame shows: its title, who is signed in, the navigation of their area, the
//! sign-out form and the asset links. Page templates extend `layout.html` and carry a
//! [`Layout`] as their `layout` field.

use crate::session::Visitor;

/// One link of the header's navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub text: &'static str,
    /// This page is in that section.
    pub current: bool,
}

/// The page's frame.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page's title (the `<title>` adds " - Staff bank", and "Error: " before a form with
    /// errors).
    pub title: String,
    /// The form on this page has errors.
    pub has_errors: bool,
    /// Who is signed in (their name), if anyone.
    pub user: Option<String>,
    /// The area's navigation.
    pub nav: Vec<NavItem>,
    /// Where the service name links to.
    pub home: &'static str,
    /// The visitor's CSRF token (for the sign-out form and the page's forms).
    pub csrf: String,
}

impl Layout {
    /// A frame for a page nobody needs to be signed in to see.
    #[must_use]
    pub fn public(visitor: &Visitor, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            has_errors: false,
            user: None,
            nav: Vec::new(),
            home: "/",
            csrf: visitor.csrf.clone(),
        }
    }

    /// A frame for a signed-in person.
    #[must_use]
    pub fn signed_in(visitor: &Visitor, title: impl Into<String>, user: &str) -> Self {
        Self {
            user: Some(user.to_owned()),
            ..Self::public(visitor, title)
        }
    }

    /// With this navigation, marking `current`.
    #[must_use]
    pub fn nav(mut self, items: &[(&'static str, &'static str)], current: &str) -> Self {
        self.nav = items
            .iter()
            .map(|(href, text)| NavItem {
                href,
                text,
                current: *href == current,
            })
            .collect();
        self
    }

    /// Marks the page as showing form errors (the title then starts "Error: ").
    #[must_use]
    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }

    /// The URL of an embedded asset.
    #[must_use]
    pub fn asset(&self, name: &str) -> &'static str {
        crate::assets::url(name)
    }
}
