//! The frame the areas of a trust's staff share (the bank office, HR, the trust admin): the
//! signed-in person, the trust where they hold the area's role (the first by name, if they hold it
//! at several), and each page's layout with the area's navigation.

use std::marker::PhantomData;

use crate::WebState;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::session::Visitor;
use crate::viewer::{Area, GrantTrust, Role, Viewer};

/// One trust staff area: the role it is for and its navigation.
pub trait TrustArea {
    /// The role the area's pages are for.
    const ROLE: Role;
    /// The area's navigation: address and label of each section.
    const NAV: &'static [(&'static str, &'static str)];
}

/// The signed-in person in area `A`, and the trust they work for there.
#[derive(Debug, Clone)]
pub struct AtTrust<A> {
    /// Who is signed in.
    pub me: Viewer,
    /// The trust where they hold the area's role.
    pub trust: GrantTrust,
    area: PhantomData<A>,
}

impl<A: TrustArea> AtTrust<A> {
    /// The signed-in person in this area.
    ///
    /// # Errors
    /// Not signed in, the area's role at no trust (forbidden), or the API failed.
    pub async fn of(state: &WebState, visitor: &Visitor) -> Result<Self, PageError> {
        Self::from_viewer(super::home::viewer(state, visitor).await?)
    }

    /// The person in this area, from the `me` a page asked for with the rest of its query.
    ///
    /// # Errors
    /// The area's role at no trust (forbidden).
    pub fn from_viewer(me: Viewer) -> Result<Self, PageError> {
        let trust = me.trusts_as(A::ROLE).into_iter().next().ok_or_else(|| {
            PageError::forbidden(&format!("this part is for {}", Area::of(A::ROLE).who))
        })?;
        Ok(Self {
            me,
            trust,
            area: PhantomData,
        })
    }

    /// The frame of one of the area's pages in section `current` (one of its navigation's
    /// links). Home is the area's own, or the choice of areas for someone with several roles.
    #[must_use]
    pub fn layout(&self, visitor: &Visitor, title: &str, current: &str) -> Layout {
        let mut layout =
            Layout::signed_in(visitor, title, &self.me.display_name).nav(A::NAV, current);
        layout.home = if self.me.areas().len() > 1 {
            "/"
        } else {
            Area::of(A::ROLE).href
        };
        layout
    }
}
