//! Sites, wards and requirement profiles in GraphQL.

use async_graphql::{ComplexObject, Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use staffbank_bank::entity::{requirement, site, ward};
use staffbank_bank::estate::{self, NewWard};
use staffbank_bank::requirements::{self, NewRequirement};
use staffbank_bank::{catalogue, skills};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::loaders::{SiteId, TrustId, WardsOfSite};
use crate::graphql::organisations::Trust;
use crate::graphql::workers::StaffGroupName;

/// A hospital or clinic of a trust.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Site {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    #[graphql(skip)]
    pub trust_id: Uuid,
}

impl From<site::Model> for Site {
    fn from(m: site::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            trust_id: m.trust_id,
        }
    }
}

#[ComplexObject]
impl Site {
    /// Its wards, by name.
    async fn wards(&self, ctx: &Context<'_>) -> Result<Vec<Ward>> {
        Ok(ctx
            .loader()
            .load_one(WardsOfSite(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Ward::from)
            .collect())
    }

    /// Its trust.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.trust_id).await
    }
}

/// A ward or unit.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Ward {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Cost centre, for payroll and recharges.
    pub cost_centre: String,
    /// Skills a worker needs here (at most 50).
    pub required_skills: Vec<String>,
    #[graphql(skip)]
    pub trust_id: Uuid,
    #[graphql(skip)]
    pub site_id: Uuid,
}

impl From<ward::Model> for Ward {
    fn from(m: ward::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            cost_centre: m.cost_centre,
            required_skills: skills::from_json(&m.required_skills),
            trust_id: m.trust_id,
            site_id: m.site_id,
        }
    }
}

pub(crate) async fn load_trust(ctx: &Context<'_>, id: Uuid) -> Result<Trust> {
    ctx.loader()
        .load_one(TrustId(id))
        .await?
        .map(Trust::from)
        .ok_or_else(|| gateway_error(staffbank_core::ErrorKind::NotFound, "trust not found"))
}

#[ComplexObject]
impl Ward {
    /// Its site.
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        ctx.loader()
            .load_one(SiteId(self.site_id))
            .await?
            .map(Site::from)
            .ok_or_else(|| gateway_error(staffbank_core::ErrorKind::NotFound, "site not found"))
    }

    /// Its trust.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.trust_id).await
    }
}

/// One item of a trust's requirement profile.
#[derive(SimpleObject, Debug, Clone)]
pub struct Requirement {
    /// Id.
    pub id: Uuid,
    /// Credential kind required.
    pub kind: String,
    /// Human name of the kind.
    pub kind_name: String,
    /// Minimum level.
    pub min_level: Option<i32>,
    /// How old the credential may be (renewal period), in days.
    pub max_age_days: Option<i32>,
    /// Applies only to this staff group (all when empty).
    pub staff_group: Option<StaffGroupName>,
    /// Applies only on this ward (all when empty).
    pub ward_id: Option<Uuid>,
    /// When added.
    pub created_at: DateTime<Utc>,
}

impl From<requirement::Model> for Requirement {
    fn from(m: requirement::Model) -> Self {
        Self {
            id: m.id,
            kind_name: catalogue::kind(&m.kind)
                .map(|k| k.name.to_owned())
                .unwrap_or_default(),
            kind: m.kind,
            min_level: m.min_level,
            max_age_days: m.max_age_days,
            staff_group: m.staff_group.map(Into::into),
            ward_id: m.ward_id,
            created_at: m.created_at,
        }
    }
}

/// A new ward.
#[derive(InputObject, Debug)]
pub struct CreateWardInput {
    /// The site.
    pub site_id: Uuid,
    /// Name, unique within the site: 1 to 200 characters, one line.
    pub name: String,
    /// Cost centre code: 1 to 40 characters, one line.
    pub cost_centre: String,
    /// Skills needed to work there (e.g. CRITICAL_CARE).
    #[graphql(default)]
    pub required_skills: Vec<String>,
}

/// A new requirement.
#[derive(InputObject, Debug)]
pub struct AddRequirementInput {
    /// The trust.
    pub trust_id: Uuid,
    /// Credential kind (see `credentialKinds`; at most 64 characters).
    pub kind: String,
    /// Minimum level.
    pub min_level: Option<i32>,
    /// Maximum age in days (renewal period).
    pub max_age_days: Option<i32>,
    /// Only for this staff group.
    pub staff_group: Option<StaffGroupName>,
    /// Only on this ward.
    pub ward_id: Option<Uuid>,
}

/// A kind of credential the bank knows.
#[derive(SimpleObject, Debug)]
pub struct CredentialKind {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// EMPLOYMENT_CHECK, CORE_TRAINING or OTHER_TRAINING.
    pub category: String,
    /// Levels, lowest first (empty when the kind has none).
    pub levels: Vec<CredentialLevel>,
    /// Default renewal period in days.
    pub default_renewal_days: Option<i32>,
}

/// One level of a credential kind.
#[derive(SimpleObject, Debug)]
pub struct CredentialLevel {
    /// Value.
    pub level: i32,
    /// Name.
    pub name: String,
}

/// Queries about sites, wards and requirements.
#[derive(Default)]
pub struct EstateQuery;

#[Object]
impl EstateQuery {
    /// One ward of a collaborative bank the caller belongs to (not found for anyone else).
    async fn ward(&self, ctx: &Context<'_>, id: Uuid) -> Result<Ward> {
        let actor = ctx.actor().await?;
        estate::visible_ward(&ctx.services().db, actor, id)
            .await
            .map(Ward::from)
            .gql()
    }

    /// Every kind of credential, checks first.
    async fn credential_kinds(&self) -> Vec<CredentialKind> {
        catalogue::KINDS
            .iter()
            .map(|k| CredentialKind {
                code: k.code.to_owned(),
                name: k.name.to_owned(),
                category: match k.category {
                    catalogue::Category::EmploymentCheck => "EMPLOYMENT_CHECK",
                    catalogue::Category::CoreTraining => "CORE_TRAINING",
                    catalogue::Category::OtherTraining => "OTHER_TRAINING",
                }
                .to_owned(),
                levels: k
                    .levels
                    .iter()
                    .map(|(l, n)| CredentialLevel {
                        level: *l,
                        name: (*n).to_owned(),
                    })
                    .collect(),
                default_renewal_days: k.default_renewal_days,
            })
            .collect()
    }
}

/// Changes to sites, wards and requirements.
#[derive(Default)]
pub struct EstateMutation;

#[Object]
impl EstateMutation {
    /// Adds a site to a trust (its trust admins).
    async fn create_site(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(desc = "The site's name (1 to 200 characters, one line).")] name: String,
    ) -> Result<Site> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        estate::create_site(&s.db, s.clock.as_ref(), actor, trust_id, &name)
            .await
            .map(Site::from)
            .gql()
    }

    /// Adds a ward to a site (the trust's admins).
    async fn create_ward(&self, ctx: &Context<'_>, input: CreateWardInput) -> Result<Ward> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let input = NewWard {
            site_id: input.site_id,
            name: input.name,
            cost_centre: input.cost_centre,
            required_skills: input.required_skills,
        };
        estate::create_ward(&s.db, s.clock.as_ref(), actor, &input)
            .await
            .map(Ward::from)
            .gql()
    }

    /// Adds an item to a trust's requirement profile (its trust admins and HR).
    async fn add_requirement(
        &self,
        ctx: &Context<'_>,
        input: AddRequirementInput,
    ) -> Result<Requirement> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let r = NewRequirement {
            kind: input.kind,
            min_level: input.min_level,
            max_age_days: input.max_age_days,
            staff_group: input.staff_group.map(Into::into),
            ward_id: input.ward_id,
        };
        requirements::add_requirement(&s.db, s.clock.as_ref(), actor, input.trust_id, &r)
            .await
            .map(Requirement::from)
            .gql()
    }

    /// Retires an item of a requirement profile; history keeps it.
    async fn retire_requirement(
        &self,
        ctx: &Context<'_>,
        requirement_id: Uuid,
    ) -> Result<Requirement> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        requirements::retire_requirement(&s.db, s.clock.as_ref(), actor, requirement_id)
            .await
            .map(Requirement::from)
            .gql()
    }
}
