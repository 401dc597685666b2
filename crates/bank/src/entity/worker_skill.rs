//! `worker_skills`: one row per skill a worker holds, so a search by skill reads an index rather
//! than every worker's JSON list. Written beside `workers.skills` (which stays the record).

use sea_orm::entity::prelude::*;

/// A skill a worker holds.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "worker_skills")]
pub struct Model {
    /// The worker.
    #[sea_orm(primary_key, auto_increment = false)]
    pub worker_id: Uuid,
    /// The skill code (e.g. CRITICAL_CARE).
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill: String,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
