//! Workers, memberships and the access log in GraphQL. What a caller sees of a worker follows the
//! bank's visibility rules: `detail`, `memberships` and `credentials` only with full access, and
//! the bank decides (and logs) each look. Engagement by a trust other than the worker's home trust
//! is a proposal the worker answers (`acceptEngagement`, `declineEngagement`) and may end
//! (`endEngagement`).

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use staffbank_bank::entity::{access_log_entry, invitation, membership, membership_event, worker};
use staffbank_bank::invitations;
use staffbank_bank::membership::{self as memberships, Consent, MembershipState};
use staffbank_bank::skills;
use staffbank_bank::visibility::{self, Access, Look};
use staffbank_bank::workers::{self, NewWorker, WorkerFilter};
use staffbank_core::{Email, ErrorKind, db, throttle};
use uuid::Uuid;

use crate::graphql::accounts::{self, LoginPayload};
use crate::graphql::compliance::ComplianceReport;
use crate::graphql::context::ContextExt;
use crate::graphql::credentials::Credential;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::estate::load_trust;
use crate::graphql::loaders::{
    CredentialsOf, DetailOf, EngagementHere, MembershipEventsOf, MembershipsOf,
};
use crate::graphql::organisations::Trust;
use crate::graphql::pagination::{self, Conn};

/// ESR staff groups.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "StaffGroup", remote = "staffbank_core::StaffGroup")]
pub enum StaffGroupName {
    /// e.g. healthcare assistants.
    AdditionalClinicalServices,
    /// Additional professional, scientific and technical.
    AdditionalProfessionalScientificTechnical,
    /// Administrative and clerical.
    AdministrativeClerical,
    /// Allied health professionals.
    AlliedHealthProfessionals,
    /// Estates and ancillary.
    EstatesAncillary,
    /// Healthcare scientists.
    HealthcareScientists,
    /// Medical and dental.
    MedicalDental,
    /// Registered nursing and midwifery.
    NursingMidwiferyRegistered,
    /// Students.
    Students,
}

/// How much of a worker the caller sees.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum WorkerAccess {
    /// The caller is the worker.
    Own,
    /// The caller is staff of a trust engaging the worker.
    Engaged,
    /// Name, staff group, grade and skills only.
    Summary,
}

/// A worker's standing at a trust.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "MembershipState",
    remote = "staffbank_bank::membership::MembershipState"
)]
pub enum MembershipStateName {
    /// May work there.
    Active,
    /// Stopped by the trust.
    Suspended,
    /// Must reconfirm before booking.
    Dormant,
}

/// Where a worker's consent to an engagement stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "EngagementConsent",
    remote = "staffbank_bank::membership::Consent"
)]
pub enum ConsentName {
    /// The trust has asked; the worker has not answered. The trust sees only the summary.
    Proposed,
    /// Accepted by the worker (or their home trust): the trust sees their full record.
    Accepted,
    /// The worker said no. The trust sees only the summary.
    Declined,
    /// The worker ended it. The trust sees only the summary.
    Ended,
}

/// One step of an engagement's history.
#[derive(SimpleObject, Debug, Clone)]
pub struct EngagementEvent {
    /// HOME (registered there), PROPOSED, ACCEPTED, DECLINED or ENDED.
    pub event: String,
    /// Who did it (none for the service).
    pub actor_account_id: Option<Uuid>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<membership_event::Model> for EngagementEvent {
    fn from(e: membership_event::Model) -> Self {
        Self {
            event: e.event,
            actor_account_id: e.actor_account_id,
            at: e.at,
        }
    }
}

/// A person in the shared bank.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Worker {
    /// Id.
    pub id: Uuid,
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Staff group.
    pub staff_group: Option<StaffGroupName>,
    /// Grade code (e.g. BAND_5, ST3).
    pub grade: String,
    /// Skills.
    pub skills: Vec<String>,
    #[graphql(skip)]
    pub model: worker::Model,
    #[graphql(skip)]
    pub access_level: Access,
}

impl Worker {
    /// A worker as seen with `access`.
    #[must_use]
    pub fn new(m: worker::Model, access: Access) -> Self {
        Self {
            id: m.id,
            given_name: m.given_name.clone(),
            family_name: m.family_name.clone(),
            staff_group: m
                .staff_group
                .parse::<staffbank_core::StaffGroup>()
                .ok()
                .map(Into::into),
            grade: m.grade.clone(),
            skills: skills::from_json(&m.skills),
            model: m,
            access_level: access,
        }
    }

    fn require_full(&self) -> Result<()> {
        if self.access_level.is_full() {
            Ok(())
        } else {
            Err(gateway_error(
                ErrorKind::Forbidden,
                "this is visible only to the worker and to trusts engaging them",
            ))
        }
    }
}

/// Identity and contact details.
#[derive(SimpleObject, Debug, Clone)]
pub struct WorkerDetail {
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// National Insurance number.
    pub ni_number: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// NMC, GMC or HCPC.
    pub registration_body: Option<String>,
    /// Registration number.
    pub registration_number: Option<String>,
    /// When they opted out of the 48-hour weekly average (none if they have not).
    pub working_time_opt_out_at: Option<DateTime<Utc>>,
}

/// A worker's engagement at a trust: the trust's standing decision about them (`state`) and the
/// worker's consent to it (`consent`).
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Membership {
    /// The trust's standing decision.
    pub state: MembershipStateName,
    /// Why, when not active.
    pub state_reason: Option<String>,
    /// The worker's consent: only ACCEPTED lets the trust see their full record.
    pub consent: ConsentName,
    /// When the trust first engaged or asked.
    pub created_at: DateTime<Utc>,
    /// When the worker accepted or declined the latest request (for the home trust: when they
    /// registered).
    pub decided_at: Option<DateTime<Utc>>,
    /// When the worker ended it.
    pub ended_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub id: Uuid,
    #[graphql(skip)]
    pub trust_id: Uuid,
    #[graphql(skip)]
    pub worker_id: Uuid,
}

impl From<membership::Model> for Membership {
    fn from(m: membership::Model) -> Self {
        Self {
            state: m
                .state
                .parse::<MembershipState>()
                .unwrap_or(MembershipState::Suspended)
                .into(),
            consent: Consent::of(&m).into(),
            state_reason: m.state_reason,
            created_at: m.created_at,
            decided_at: m.decided_at,
            ended_at: m.ended_at,
            id: m.id,
            trust_id: m.trust_id,
            worker_id: m.worker_id,
        }
    }
}

#[ComplexObject]
impl Membership {
    /// The trust.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.trust_id).await
    }

    /// Whether this is the worker's home trust (engaged from the start; it cannot be ended).
    async fn home(&self, ctx: &Context<'_>) -> Result<bool> {
        let w = ctx
            .loader()
            .load_one(crate::graphql::loaders::WorkerId(self.worker_id))
            .await?;
        Ok(w.is_some_and(|w| w.home_trust_id == self.trust_id))
    }

    /// Every step so far, oldest first: who asked and when, and each answer. Nothing is
    /// overwritten.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<EngagementEvent>> {
        Ok(ctx
            .loader()
            .load_one(MembershipEventsOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(EngagementEvent::from)
            .collect())
    }
}

#[ComplexObject]
impl Worker {
    /// How much of this worker the caller sees.
    async fn access(&self) -> WorkerAccess {
        match self.access_level {
            Access::Own => WorkerAccess::Own,
            Access::Engaged { .. } | Access::Service => WorkerAccess::Engaged,
            Access::Summary => WorkerAccess::Summary,
        }
    }

    /// The trust that registered them.
    async fn home_trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.model.home_trust_id).await
    }

    /// Identity and contact details (null unless the caller has full access; looks from trusts
    /// other than their home trust are logged where the worker can see them).
    async fn detail(&self, ctx: &Context<'_>) -> Result<Option<WorkerDetail>> {
        if !self.access_level.is_full() {
            return Ok(None);
        }
        let shown = ctx
            .loader()
            .load_one(DetailOf(Look::at(&self.model, self.access_level)))
            .await?
            .unwrap_or(false);
        Ok(shown.then(|| WorkerDetail {
            date_of_birth: self.model.date_of_birth,
            ni_number: self.model.ni_number.clone(),
            email: self.model.email.clone(),
            phone: self.model.phone.clone(),
            registration_body: self.model.registration_body.clone(),
            registration_number: self.model.registration_number.clone(),
            working_time_opt_out_at: self.model.wtr_opt_out_at,
        }))
    }

    /// Their engagements (full access only): for the worker, every one, requests waiting for
    /// their answer, declined and ended ones included; for a trust engaging them, the accepted
    /// ones.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>> {
        self.require_full()?;
        Ok(ctx
            .loader()
            .load_one(MembershipsOf(Look::at(&self.model, self.access_level)))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Membership::from)
            .collect())
    }

    /// Their credentials, newest first (full access only; looks from trusts other than their home
    /// trust are logged where the worker can see them).
    async fn credentials(&self, ctx: &Context<'_>) -> Result<Vec<Credential>> {
        self.require_full()?;
        let now = ctx.services().clock.now();
        Ok(ctx
            .loader()
            .load_one(CredentialsOf(Look::at(&self.model, self.access_level)))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|c| Credential::new(c, now))
            .collect())
    }

    /// This trust's own engagement of the worker, whatever the worker's answer (null when the
    /// trust has never asked): lets its staff tell "asked, waiting for the worker" (PROPOSED) from
    /// "not asked", at any access. Only this trust's row, and only to its staff (`FORBIDDEN`
    /// otherwise); nothing of the worker's other trusts.
    async fn engagement_here(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
    ) -> Result<Option<Membership>> {
        Ok(ctx
            .loader()
            .load_one(EngagementHere(trust_id, self.id))
            .await?
            .map(Membership::from))
    }

    /// Compliance at a trust (and ward) at a moment (default now).
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        ward_id: Option<Uuid>,
        at: Option<DateTime<Utc>>,
    ) -> Result<ComplianceReport> {
        crate::graphql::compliance::evaluate(ctx, self.id, trust_id, ward_id, at).await
    }
}

/// Who looked at a worker's details from another trust.
#[derive(SimpleObject, Debug)]
#[graphql(complex)]
pub struct AccessLogEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// What they saw (RECORD, CREDENTIALS, PASSPORT).
    pub what: String,
    /// Why they could (ENGAGED_AT_TRUST, PASSPORT_SHARED...).
    pub purpose: String,
    /// The account that looked.
    pub viewer_account_id: Uuid,
    /// Whose details they looked at.
    pub worker_id: Uuid,
    #[graphql(skip)]
    pub viewer_trust_id: Option<Uuid>,
}

impl From<access_log_entry::Model> for AccessLogEntry {
    fn from(m: access_log_entry::Model) -> Self {
        Self {
            at: m.at,
            what: m.what,
            purpose: m.purpose,
            viewer_account_id: m.viewer_account_id,
            worker_id: m.worker_id,
            viewer_trust_id: m.viewer_trust_id,
        }
    }
}

#[ComplexObject]
impl AccessLogEntry {
    /// The trust they looked for.
    async fn viewer_trust(&self, ctx: &Context<'_>) -> Result<Option<Trust>> {
        match self.viewer_trust_id {
            Some(id) => load_trust(ctx, id).await.map(Some),
            None => Ok(None),
        }
    }
}

/// A new worker.
#[derive(InputObject, Debug)]
pub struct CreateWorkerInput {
    /// The registering trust (becomes their home trust).
    pub trust_id: Uuid,
    /// Legal given name(s): 1 to 100 characters, one line.
    pub given_name: String,
    /// Legal family name: 1 to 100 characters, one line.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// National Insurance number, e.g. AB 12 34 56 C (at most 20 characters).
    pub ni_number: String,
    /// Email address (at most 254 characters).
    pub email: String,
    /// Phone: 10 to 15 digits, spaces, `+`, `-` and brackets (at most 32 characters).
    pub phone: Option<String>,
    /// Staff group.
    pub staff_group: StaffGroupName,
    /// Grade code, e.g. BAND_5, ST3 (at most 64 characters).
    pub grade: String,
    /// NMC, GMC or HCPC (defaults to the staff group's regulator; at most 64 characters).
    pub registration_body: Option<String>,
    /// Registration number, required for registered professions (at most 20 characters).
    pub registration_number: Option<String>,
    /// Skills (at most 50 skill codes).
    #[graphql(default)]
    pub skills: Vec<String>,
}

/// A worker's own details, when registering with an invitation (the email is the invited one).
#[derive(InputObject, Debug)]
pub struct RegisterWorkerInput {
    /// Legal given name(s): 1 to 100 characters, one line.
    pub given_name: String,
    /// Legal family name: 1 to 100 characters, one line.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// National Insurance number, e.g. AB 12 34 56 C (at most 20 characters).
    pub ni_number: String,
    /// Phone: 10 to 15 digits, spaces, `+`, `-` and brackets (at most 32 characters).
    pub phone: Option<String>,
    /// Staff group.
    pub staff_group: StaffGroupName,
    /// Grade code, e.g. BAND_5, ST3 (at most 64 characters).
    pub grade: String,
    /// NMC, GMC or HCPC (defaults to the staff group's regulator; at most 64 characters).
    pub registration_body: Option<String>,
    /// Registration number, required for registered professions (at most 20 characters).
    pub registration_number: Option<String>,
    /// Skills (at most 50 skill codes).
    #[graphql(default)]
    pub skills: Vec<String>,
}

/// An invitation sent (the code itself is only in the email).
#[derive(SimpleObject, Debug)]
pub struct Invitation {
    /// Id.
    pub id: Uuid,
    /// Who was invited.
    pub email: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

impl From<invitation::Model> for Invitation {
    fn from(m: invitation::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            expires_at: m.expires_at,
        }
    }
}

/// A grade, for choosing one (e.g. in a filter).
#[derive(SimpleObject, Debug, Clone)]
pub struct GradeOption {
    /// The code the API takes and gives, e.g. `BAND_5`, `ST3`.
    pub code: String,
    /// Its plain name, e.g. "Band 5", "Specialty doctor".
    pub name: String,
}

/// What a worker does with an engagement.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Accept,
    Decline,
    End,
}

async fn answer_engagement(
    ctx: &Context<'_>,
    trust_id: Uuid,
    answer: Answer,
) -> Result<Membership> {
    let actor = ctx.actor().await?;
    let worker_id = actor.worker_id().ok_or_else(|| {
        gateway_error(
            ErrorKind::Forbidden,
            "only a worker can answer or end their engagements",
        )
    })?;
    let s = ctx.services();
    let clock = s.clock.as_ref();
    db::write(&s.db, |tx| {
        Box::pin(async move {
            match answer {
                Answer::Accept => {
                    memberships::accept(&*tx, clock, actor, worker_id, trust_id).await
                }
                Answer::Decline => {
                    memberships::decline(&*tx, clock, actor, worker_id, trust_id).await
                }
                Answer::End => memberships::end(&*tx, clock, actor, worker_id, trust_id).await,
            }
        })
    })
    .await
    .map(Membership::from)
    .gql()
}

/// Queries about workers.
#[derive(Default)]
pub struct WorkerQuery;

#[Object]
impl WorkerQuery {
    /// One worker (as much as the caller may see).
    async fn worker(&self, ctx: &Context<'_>, id: Uuid) -> Result<Worker> {
        let actor = ctx.actor().await?;
        let (w, access) = workers::worker(&ctx.services().db, actor, id).await.gql()?;
        Ok(Worker::new(w, access))
    }

    /// The grades of a staff group, lowest first (any signed-in user).
    async fn grades(
        &self,
        ctx: &Context<'_>,
        staff_group: StaffGroupName,
    ) -> Result<Vec<GradeOption>> {
        ctx.actor().await?;
        Ok(staffbank_core::StaffGroup::from(staff_group)
            .grades()
            .into_iter()
            .map(|g| GradeOption {
                code: g.code().to_owned(),
                name: g.name().to_owned(),
            })
            .collect())
    }

    /// The signed-in worker's own record.
    async fn my_worker(&self, ctx: &Context<'_>) -> Result<Worker> {
        let actor = ctx.actor().await?;
        let id = actor
            .worker_id()
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "this account is not a worker"))?;
        let (w, access) = workers::worker(&ctx.services().db, actor, id).await.gql()?;
        Ok(Worker::new(w, access))
    }

    /// Workers: those engaged at `trustId` (the caller must be its staff), or else the whole bank
    /// (summaries). Oldest record first.
    #[expect(
        clippy::too_many_arguments,
        reason = "each GraphQL argument is a resolver parameter"
    )]
    async fn workers(
        &self,
        ctx: &Context<'_>,
        trust_id: Option<Uuid>,
        staff_group: Option<StaffGroupName>,
        #[graphql(
            desc = "Part of a given or family name (at most 100 characters, one line; `%` and `_` match themselves)."
        )]
        name: Option<String>,
        #[graphql(
            desc = "A grade code, exact (e.g. BAND_5, ST3; at most 64 characters; of `staffGroup` when one is given). `VALIDATION` when unknown."
        )]
        grade: Option<String>,
        #[graphql(
            desc = "A skill code the worker holds, exact once upper-cased (e.g. CRITICAL_CARE; at most 40 characters: letters, digits, underscores). `VALIDATION` when malformed."
        )]
        skill: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Worker>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let filter = WorkerFilter {
            trust_id,
            staff_group: staff_group.map(Into::into),
            name,
            grade,
            skill,
        };
        let result = workers::list(&ctx.services().db, actor, &filter, &page)
            .await
            .gql()?;
        Ok(pagination::connection(result, |(w, a)| Worker::new(w, a)))
    }

    /// Who looked at a worker's details from other trusts (the worker, a system admin, or HR of a
    /// trust engaging the worker).
    async fn access_log(&self, ctx: &Context<'_>, worker_id: Uuid) -> Result<Vec<AccessLogEntry>> {
        let actor = ctx.actor().await?;
        Ok(visibility::access_log(&ctx.services().db, actor, worker_id)
            .await
            .gql()?
            .into_iter()
            .map(AccessLogEntry::from)
            .collect())
    }
}

/// Changes to workers.
#[derive(Default)]
pub struct WorkerMutation;

#[Object]
impl WorkerMutation {
    /// Registers a worker at a trust (its bank office or HR). Refused with `CONFLICT` when the
    /// person is already in the bank (same NI number, date of birth and surname, or the same
    /// professional registration).
    async fn create_worker(&self, ctx: &Context<'_>, input: CreateWorkerInput) -> Result<Worker> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let trust_id = input.trust_id;
        let new = NewWorker {
            given_name: input.given_name,
            family_name: input.family_name,
            date_of_birth: input.date_of_birth,
            ni_number: input.ni_number,
            email: input.email,
            phone: input.phone,
            staff_group: staffbank_core::StaffGroup::from(input.staff_group)
                .as_str()
                .to_owned(),
            grade: input.grade,
            registration_body: input.registration_body,
            registration_number: input.registration_number,
            skills: input.skills,
        };
        let new = &new;
        let public_url = s.public_url();
        let public_url = public_url.as_str();
        // One transaction: the worker, their membership and the invitation email.
        let w = db::write(&s.db, |tx| {
            Box::pin(async move {
                let w = workers::create_worker(&*tx, clock, actor, trust_id, new).await?;
                invitations::invite_registered(&*tx, clock, actor, &w, public_url).await?;
                Ok::<_, staffbank_bank::Error>(w)
            })
        })
        .await
        .gql()?;
        Ok(Worker::new(w, Access::Engaged { trust_id }))
    }

    /// Invites someone by email to register themselves as a worker at a trust (its bank office or
    /// HR). The email carries a one-time code for `registerWithInvitation`.
    async fn invite_worker(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(desc = "An email address (at most 254 characters).")] email: String,
    ) -> Result<Invitation> {
        let actor = ctx.actor().await?;
        let email = Email::parse(&email).gql()?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let public_url = s.public_url();
        let (email, public_url) = (&email, public_url.as_str());
        db::write(&s.db, |tx| {
            Box::pin(async move {
                invitations::invite(&*tx, clock, actor, trust_id, email, public_url).await
            })
        })
        .await
        .map(Invitation::from)
        .gql()
    }

    /// Accepts an invitation sent when a bank office registered you: sets your password (or, if
    /// your email already has an account, checks its password) and signs you in as the worker.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The invitation code from the email (at most 200 characters).")]
        code: String,
        password: String,
    ) -> Result<LoginPayload> {
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let ip = &ctx.request().ip;
        let key = invitations::throttle_key(&code);
        // Throttled; the code and the password's policy are checked before any hashing, and the
        // hashing is done before the write transaction.
        let (account, session) = throttle::attempt(&s.db, clock, &key, ip, async {
            let pw = invitations::prepare_login(&s.db, clock, &code, &password, false).await?;
            let (code, pw) = (&code, &pw);
            // One transaction: the login and its first session commit together.
            db::write(&s.db, |tx| {
                Box::pin(async move {
                    let account = invitations::accept(&*tx, clock, code, pw).await?;
                    let session = accounts::start_session(&tx, s, account.id).await?;
                    Ok::<_, staffbank_bank::Error>((account, session))
                })
            })
            .await
        })
        .await
        .gql()?;
        accounts::signed_in(ctx, account, &session)
    }

    /// Registers you as a worker with an invitation to register (your details are checked for
    /// duplicates like any registration), sets your password and signs you in.
    async fn register_with_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The invitation code from the email (at most 200 characters).")]
        code: String,
        details: RegisterWorkerInput,
        password: String,
    ) -> Result<LoginPayload> {
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let new = NewWorker {
            given_name: details.given_name,
            family_name: details.family_name,
            date_of_birth: details.date_of_birth,
            ni_number: details.ni_number,
            email: String::new(),
            phone: details.phone,
            staff_group: staffbank_core::StaffGroup::from(details.staff_group)
                .as_str()
                .to_owned(),
            grade: details.grade,
            registration_body: details.registration_body,
            registration_number: details.registration_number,
            skills: details.skills,
        };
        let ip = &ctx.request().ip;
        let key = invitations::throttle_key(&code);
        // Throttled, cheap checks first, hashing before the write (as `acceptInvitation`).
        let (account, session) = throttle::attempt(&s.db, clock, &key, ip, async {
            let pw = invitations::prepare_login(&s.db, clock, &code, &password, true).await?;
            let (code, pw, new) = (&code, &pw, &new);
            // One transaction: the worker, the login and its first session commit together.
            db::write(&s.db, |tx| {
                Box::pin(async move {
                    let (_, account) = invitations::register(&*tx, clock, code, new, pw).await?;
                    let session = accounts::start_session(&tx, s, account.id).await?;
                    Ok::<_, staffbank_bank::Error>((account, session))
                })
            })
            .await
        })
        .await
        .gql()?;
        accounts::signed_in(ctx, account, &session)
    }

    /// Asks a worker of the bank to be engaged at another trust (its bank office or HR): a
    /// request (consent PROPOSED) the worker is emailed about and accepts or declines. Until they
    /// accept, the trust sees only their name, staff group, grade and skills. `CONFLICT` when
    /// already engaged or already asked.
    async fn engage_worker(
        &self,
        ctx: &Context<'_>,
        worker_id: Uuid,
        trust_id: Uuid,
    ) -> Result<Membership> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let public_url = s.public_url();
        let public_url = public_url.as_str();
        // One transaction: the request and its email.
        db::write(&s.db, |tx| {
            Box::pin(async move {
                memberships::engage(&*tx, clock, actor, worker_id, trust_id, public_url).await
            })
        })
        .await
        .map(Membership::from)
        .gql()
    }

    /// The signed-in worker accepts a trust's request to engage them: from now on that trust sees
    /// their full record (each look logged).
    async fn accept_engagement(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Membership> {
        answer_engagement(ctx, trust_id, Answer::Accept).await
    }

    /// The signed-in worker declines a trust's request to engage them.
    async fn decline_engagement(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Membership> {
        answer_engagement(ctx, trust_id, Answer::Decline).await
    }

    /// The signed-in worker ends their engagement at a trust (not their home trust): at once, on
    /// every replica, the trust sees only their name, staff group, grade and skills again.
    async fn end_engagement(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Membership> {
        answer_engagement(ctx, trust_id, Answer::End).await
    }

    /// Sets a worker's standing at a trust (a reason is needed unless ACTIVE).
    async fn set_membership_state(
        &self,
        ctx: &Context<'_>,
        worker_id: Uuid,
        trust_id: Uuid,
        state: MembershipStateName,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters); needed unless the state is ACTIVE."
        )]
        reason: Option<String>,
    ) -> Result<Membership> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        memberships::set_state(
            &s.db,
            s.clock.as_ref(),
            actor,
            worker_id,
            trust_id,
            state.into(),
            reason.as_deref(),
        )
        .await
        .map(Membership::from)
        .gql()
    }

    /// The signed-in worker records (or withdraws) their opt-out from the 48-hour weekly average.
    async fn set_working_time_opt_out(&self, ctx: &Context<'_>, opted_out: bool) -> Result<Worker> {
        let actor = ctx.actor().await?;
        let id = actor
            .worker_id()
            .ok_or_else(|| gateway_error(ErrorKind::Forbidden, "only a worker can opt out"))?;
        let s = ctx.services();
        let w = workers::set_wtr_opt_out(&s.db, s.clock.as_ref(), actor, id, opted_out)
            .await
            .gql()?;
        Ok(Worker::new(w, Access::Own))
    }
}
