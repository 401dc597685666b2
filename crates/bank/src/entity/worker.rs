//! `workers`: a person in the shared bank.

use sea_orm::entity::prelude::*;

/// A person in the shared bank.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "workers")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The collaborative bank.
    pub system_id: Uuid,
    /// The trust that registered them.
    pub home_trust_id: Uuid,
    /// Legal given name(s).
    pub given_name: String,
    /// Legal family name.
    pub family_name: String,
    /// Family name normalised for matching.
    pub family_name_key: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// National Insurance number, normalised.
    pub ni_number: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// ESR staff group code.
    pub staff_group: staffbank_core::StaffGroup,
    /// Grade code.
    pub grade: String,
    /// NMC, GMC or HCPC.
    pub registration_body: Option<crate::identity::RegistrationBody>,
    /// Registration number.
    pub registration_number: Option<String>,
    /// Skills (JSON array of strings).
    pub skills: Json,
    /// When they opted out of the 48-hour average, if they did.
    pub wtr_opt_out_at: Option<DateTimeUtc>,
    /// When they last reconfirmed their availability (dormancy).
    pub reconfirmed_at: Option<DateTimeUtc>,
    /// Account that created the record.
    pub created_by: Option<Uuid>,
    /// When created.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
