//! The operations of the board pages: the trust's estate (for the filters and headings), its
//! board, and the shifts of one ward on one day.

use crate::schema::{NaiveDate, NaiveDateTime, Uuid, schema};

pub use crate::fragments::StaffGroup;

/// Who a tier of the cascade reaches (the API's `CascadeAudience`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CascadeAudience")]
pub enum Audience {
    /// The ward's preferred workers.
    Preferred,
    /// Workers engaged at the trust.
    OwnTrust,
    /// Every worker of the collaborative bank.
    Collaborative,
    /// Agencies.
    Agency,
}

impl Audience {
    /// Who can book, in words.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Preferred => "preferred workers",
            Self::OwnTrust => "this trust's bank",
            Self::Collaborative => "the whole bank",
            Self::Agency => "agencies",
        }
    }
}

/// Where a shift stands (the API's `ShiftStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftStatus {
    /// No tier open yet.
    Pending,
    /// Offered to bank workers.
    Open,
    /// Escalated to agency.
    Escalated,
    /// Every position booked.
    Filled,
    /// Started unfilled.
    Unfilled,
    /// Withdrawn.
    Cancelled,
}

#[derive(cynic::QueryVariables)]
pub struct BoardVariables {
    pub trust_id: Uuid,
    pub from: Option<NaiveDate>,
    pub site_id: Option<Uuid>,
    pub ward_id: Option<Uuid>,
    pub staff_group: Option<StaffGroup>,
}

/// The board.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BoardVariables")]
pub struct BoardQuery {
    #[arguments(trustId: $trust_id, from: $from, siteId: $site_id, wardId: $ward_id, staffGroup: $staff_group)]
    pub shift_board: ShiftBoard,
}

/// The trust's estate (for the filters and headings) and its board, in one round trip.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BoardVariables")]
pub struct EstateAndBoardQuery {
    #[arguments(id: $trust_id)]
    pub trust: Estate,
    #[arguments(trustId: $trust_id, from: $from, siteId: $site_id, wardId: $ward_id, staffGroup: $staff_group)]
    pub shift_board: ShiftBoard,
}

#[derive(cynic::QueryVariables)]
pub struct EstateVariables {
    pub trust_id: Uuid,
}

/// The trust's sites and wards alone.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "EstateVariables")]
pub struct EstateQuery {
    #[arguments(id: $trust_id)]
    pub trust: Estate,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
pub struct Estate {
    pub sites: Vec<EstateSite>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Site")]
pub struct EstateSite {
    pub id: Uuid,
    pub name: String,
    pub wards: Vec<EstateWard>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Ward")]
pub struct EstateWard {
    pub id: Uuid,
    pub name: String,
}

#[derive(cynic::QueryFragment)]
pub struct ShiftBoard {
    pub days: Vec<NaiveDate>,
    pub wards: Vec<BoardWard>,
    pub cells: Vec<BoardCell>,
}

#[derive(cynic::QueryFragment)]
pub struct BoardWard {
    pub ward: EstateWard,
    pub site: SiteName,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Site")]
pub struct SiteName {
    pub name: String,
}

#[derive(cynic::QueryFragment, Clone)]
pub struct BoardCell {
    pub day: NaiveDate,
    pub ward_id: Uuid,
    pub open: i32,
    pub partly_filled: i32,
    pub filled: i32,
    pub escalated: i32,
    pub cancelled: i32,
    pub total: i32,
    pub open_tier: Option<Audience>,
    pub next_tier: Option<Audience>,
    pub next_tier_opens_local: Option<NaiveDateTime>,
}

#[derive(cynic::QueryVariables)]
pub struct CellVariables {
    pub trust_id: Uuid,
    pub ward_id: Option<Uuid>,
    pub day: Option<NaiveDate>,
}

/// The shifts of one ward on one day (a day has far fewer than a page of 100).
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "CellVariables")]
pub struct CellQuery {
    #[arguments(id: $trust_id)]
    pub trust: Estate,
    #[arguments(wardId: $ward_id, from: $day, to: $day, first: 100)]
    pub shifts: ShiftConnection,
}

#[derive(cynic::QueryFragment)]
pub struct ShiftConnection {
    pub nodes: Vec<CellShift>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
pub struct CellShift {
    pub id: Uuid,
    pub grade: String,
    pub staff_group: Option<StaffGroup>,
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub positions: i32,
    pub filled_positions: i32,
    pub status: ShiftStatus,
    pub open_tier: Option<Audience>,
}
