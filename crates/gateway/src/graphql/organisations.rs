//! Collaborative banks and trusts in GraphQL.

use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use staffbank_bank::entity::{system, trust};
use staffbank_bank::organisation::{self, SystemModel};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::loaders::{DbLoader, SystemId};

/// How a collaborative bank engages its workers.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BankModel {
    /// One lead employer engages every bank worker for all trusts.
    LeadEmployer,
    /// Each trust keeps its own pool and recharges the others.
    OwnPools,
}

/// The nation a collaborative bank is in: its bank holidays follow that nation's calendar.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "Nation", remote = "staffbank_bank::organisation::Nation")]
pub enum NationName {
    /// England and Wales.
    EnglandAndWales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
}

/// A collaborative bank: trusts of one integrated care system sharing one bank of workers.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex, name = "CollaborativeBank")]
pub struct CollaborativeBank {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// How workers are engaged.
    pub model: BankModel,
    /// The nation it is in; its default public holidays are that nation's bank holidays.
    pub nation: NationName,
    /// When created.
    pub created_at: DateTime<Utc>,
}

impl From<system::Model> for CollaborativeBank {
    fn from(m: system::Model) -> Self {
        let model = match m.model {
            SystemModel::LeadEmployer => BankModel::LeadEmployer,
            SystemModel::OwnPools => BankModel::OwnPools,
        };
        let nation = m.nation.into();
        Self {
            id: m.id,
            name: m.name,
            model,
            nation,
            created_at: m.created_at,
        }
    }
}

#[ComplexObject]
impl CollaborativeBank {
    /// Its member trusts, by name.
    async fn trusts(&self, ctx: &Context<'_>) -> Result<Vec<Trust>> {
        let actor = ctx.actor().await?;
        let rows = organisation::visible_trusts_of(&ctx.services().db, actor, self.id)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Trust::from).collect())
    }
}

/// An NHS trust, member of one collaborative bank.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Trust {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// NHS ODS organisation code.
    pub ods_code: String,
    /// When admitted to the bank.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub system_id: Uuid,
}

impl From<trust::Model> for Trust {
    fn from(m: trust::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            ods_code: m.ods_code,
            created_at: m.created_at,
            system_id: m.system_id,
        }
    }
}

#[ComplexObject]
impl Trust {
    /// Its sites, by name.
    async fn sites(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::estate::Site>> {
        let actor = ctx.actor().await?;
        let rows = staffbank_bank::estate::visible_sites_of(&ctx.services().db, actor, self.id)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Its wards, by name.
    async fn wards(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::estate::Ward>> {
        let actor = ctx.actor().await?;
        let rows = staffbank_bank::estate::visible_wards_of(&ctx.services().db, actor, self.id)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Its requirement profile: the checks and training it requires.
    async fn requirements(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::estate::Requirement>> {
        let actor = ctx.actor().await?;
        let rows =
            staffbank_bank::requirements::visible_profile(&ctx.services().db, actor, self.id)
                .await
                .gql()?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The collaborative bank it belongs to.
    async fn collaborative_bank(&self, ctx: &Context<'_>) -> Result<CollaborativeBank> {
        ctx.data_unchecked::<DataLoader<DbLoader>>()
            .load_one(SystemId(self.system_id))
            .await?
            .map(CollaborativeBank::from)
            .ok_or_else(|| {
                gateway_error(
                    staffbank_core::ErrorKind::NotFound,
                    "collaborative bank not found",
                )
            })
    }
}

/// Queries about organisations.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// The collaborative banks the caller belongs to (as an admin, staff of one of its trusts, or
    /// one of its workers); other banks are not listed.
    async fn collaborative_banks(&self, ctx: &Context<'_>) -> Result<Vec<CollaborativeBank>> {
        let actor = ctx.actor().await?;
        let rows = organisation::visible_systems(&ctx.services().db, actor)
            .await
            .gql()?;
        Ok(rows.into_iter().map(CollaborativeBank::from).collect())
    }

    /// One collaborative bank the caller belongs to (not found for anyone else).
    async fn collaborative_bank(&self, ctx: &Context<'_>, id: Uuid) -> Result<CollaborativeBank> {
        let actor = ctx.actor().await?;
        organisation::visible_system(&ctx.services().db, actor, id)
            .await
            .map(CollaborativeBank::from)
            .gql()
    }

    /// One trust of a collaborative bank the caller belongs to (not found for anyone else).
    async fn trust(&self, ctx: &Context<'_>, id: Uuid) -> Result<Trust> {
        let actor = ctx.actor().await?;
        organisation::visible_trust(&ctx.services().db, actor, id)
            .await
            .map(Trust::from)
            .gql()
    }
}

/// Changes to organisations.
#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Admits a trust to a collaborative bank (its system admins).
    async fn admit_trust(
        &self,
        ctx: &Context<'_>,
        collaborative_bank_id: Uuid,
        #[graphql(desc = "The trust's name (1 to 200 characters, one line).")] name: String,
        #[graphql(desc = "Its ODS code (3 to 5 letters and digits, e.g. RXP).")] ods_code: String,
    ) -> Result<Trust> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        organisation::admit_trust(
            &s.db,
            s.clock.as_ref(),
            actor,
            collaborative_bank_id,
            &name,
            &ods_code,
        )
        .await
        .map(Trust::from)
        .gql()
    }

    /// Names the nation a collaborative bank is in (its system admins); its default public
    /// holidays follow.
    async fn set_collaborative_bank_nation(
        &self,
        ctx: &Context<'_>,
        collaborative_bank_id: Uuid,
        nation: NationName,
    ) -> Result<CollaborativeBank> {
        let actor = ctx.actor().await?;
        organisation::set_nation(
            &ctx.services().db,
            actor,
            collaborative_bank_id,
            nation.into(),
        )
        .await
        .map(CollaborativeBank::from)
        .gql()
    }
}
