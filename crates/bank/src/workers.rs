//! Workers of the shared bank: one record per person across all trusts, registered by a bank
//! office. No duplicate people: a second record whose NI number, date of birth and surname match an
//! existing one (the NHS Inter Authority Transfer match), or whose professional registration
//! matches, is refused without disclosing the other record.

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::{ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use staffbank_core::db::{self, violates};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::text::{self, Field, limits};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Email, Grade, Role, StaffGroup, code, new_id};
use uuid::Uuid;

use crate::access::authorize_at_trust;
use crate::entity::{worker, worker_skill};
use crate::error::{Error, Result, forbidden, not_found, validation};
use crate::identity::{NiNumber, Registration, RegistrationBody};
use crate::skills;
use crate::visibility::{self, Access, TRUST_STAFF};

/// A new worker, as entered by a bank office.
#[derive(Debug, Clone)]
pub struct NewWorker {
    /// Legal given name(s).
    pub given_name: String,
    /// Legal family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// National Insurance number.
    pub ni_number: String,
    /// Email (their sign-in and where invitations go).
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// ESR staff group code.
    pub staff_group: String,
    /// Grade code.
    pub grade: String,
    /// Registration body, for registered professions.
    pub registration_body: Option<String>,
    /// Registration number.
    pub registration_number: Option<String>,
    /// Skills.
    pub skills: Vec<String>,
}

/// The regulator a staff group registers with, if any.
#[must_use]
pub fn regulator_of(group: StaffGroup) -> Option<RegistrationBody> {
    match group {
        StaffGroup::NursingMidwiferyRegistered => Some(RegistrationBody::Nmc),
        StaffGroup::MedicalDental => Some(RegistrationBody::Gmc),
        StaffGroup::AlliedHealthProfessionals | StaffGroup::HealthcareScientists => {
            Some(RegistrationBody::Hcpc)
        }
        _ => None,
    }
}

fn name(raw: &str, field: Field) -> Result<String> {
    let s = field.required(raw)?;
    Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The family name as matched: case, spaces, hyphens and apostrophes ignored.
#[must_use]
pub fn family_name_key(family_name: &str) -> String {
    family_name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn phone(raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = limits::PHONE_NUMBER.optional(raw)? else {
        return Ok(None);
    };
    let raw = raw.as_str();
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let ok = raw
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c))
        && (10..=15).contains(&digits);
    if !ok {
        return Err(validation(format!("'{raw}' is not a phone number")));
    }
    Ok(Some(raw.to_owned()))
}

/// A validated new worker.
struct Checked {
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    ni: NiNumber,
    email: Email,
    phone: Option<String>,
    group: StaffGroup,
    grade: Grade,
    registration: Option<Registration>,
    skills: Vec<String>,
}

fn check(input: &NewWorker, today: NaiveDate) -> Result<Checked> {
    let group: StaffGroup = code::parse(&input.staff_group, "staff group")?;
    let grade = Grade::parse_for(&input.grade, group)?;
    let age = today.year() - input.date_of_birth.year();
    if !(16..=100).contains(&age) || input.date_of_birth >= today {
        return Err(validation(
            "the date of birth is not plausible for a bank worker (16 to 100 years old)",
        ));
    }
    let registration = match (
        regulator_of(group),
        &input.registration_body,
        &input.registration_number,
    ) {
        (Some(expected), body, Some(number)) => {
            let body = match body {
                Some(b) => {
                    limits::code("registrationBody", "a registration body").check(b)?;
                    code::parse(b, "registration body")?
                }
                None => expected,
            };
            if body != expected {
                return Err(validation(format!(
                    "staff group {group} registers with the {}",
                    expected
                )));
            }
            limits::REGISTRATION_NUMBER.check(number)?;
            Some(Registration::parse(body, number)?)
        }
        (Some(expected), _, None) => {
            return Err(validation(format!(
                "staff group {group} needs a professional registration number ({})",
                expected
            )));
        }
        (None, None, None) => None,
        (None, _, _) => {
            return Err(validation(format!(
                "staff group {group} has no professional registration"
            )));
        }
    };
    Ok(Checked {
        given_name: name(&input.given_name, limits::GIVEN_NAME)?,
        family_name: name(&input.family_name, limits::FAMILY_NAME)?,
        date_of_birth: input.date_of_birth,
        ni: {
            limits::NI_NUMBER.check(&input.ni_number)?;
            NiNumber::parse(&input.ni_number)?
        },
        email: Email::parse(&input.email)?,
        phone: phone(input.phone.as_deref())?,
        group,
        grade,
        registration,
        skills: skills::normalise(&input.skills)?,
    })
}

/// Registers a worker at a trust (its bank office or HR): the worker record and an active
/// membership at the trust, their home trust, engaged from the start (no proposal to accept), and
/// the invitation email for them to set up their login ([`crate::invitations`], linking to
/// `public_url`).
///
/// It runs in its own write transaction (retried on transient conflicts): the worker, their
/// membership and the invitation commit together.
///
/// # Errors
/// Forbidden; validation of every field; [`Error::DuplicatePerson`].
pub async fn create_worker(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    input: &NewWorker,
    public_url: &str,
) -> Result<worker::Model> {
    db::write(db, |tx| {
        Box::pin(async move {
            let w = create_worker_in(&tx, clock, actor, trust_id, input).await?;
            crate::invitations::invite_registered(&tx, clock, actor, &w, public_url).await?;
            Ok(w)
        })
    })
    .await
}

/// The worker record and their home membership of [`create_worker`], in the caller's transaction
/// (no invitation is sent).
///
/// # Errors
/// As [`create_worker`].
pub async fn create_worker_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    input: &NewWorker,
) -> Result<worker::Model> {
    let t = authorize_at_trust(tx, actor, trust_id, &[Role::BankOffice, Role::Hr]).await?;
    let now = clock.now();
    let c = check(input, london_date(now))?;
    let key = family_name_key(&c.family_name);
    let same_identity = worker::Entity::find()
        .filter(worker::Column::NiNumber.eq(c.ni.as_str()))
        .filter(worker::Column::DateOfBirth.eq(c.date_of_birth))
        .filter(worker::Column::FamilyNameKey.eq(&key))
        .one(tx)
        .await?;
    if same_identity.is_some() {
        return Err(Error::DuplicatePerson(
            "NI number, date of birth and surname",
        ));
    }
    if let Some(r) = &c.registration {
        let same_registration = worker::Entity::find()
            .filter(worker::Column::RegistrationBody.eq(r.body))
            .filter(worker::Column::RegistrationNumber.eq(&r.number))
            .one(tx)
            .await?;
        if same_registration.is_some() {
            return Err(Error::DuplicatePerson("professional registration"));
        }
    }
    let row = worker::ActiveModel {
        id: Set(new_id()),
        system_id: Set(t.system_id),
        home_trust_id: Set(t.id),
        given_name: Set(c.given_name),
        family_name: Set(c.family_name),
        family_name_key: Set(key),
        date_of_birth: Set(c.date_of_birth),
        ni_number: Set(c.ni.as_str().to_owned()),
        email: Set(c.email.as_str().to_owned()),
        phone: Set(c.phone),
        staff_group: Set(c.group),
        grade: Set(c.grade.code().to_owned()),
        registration_body: Set(c.registration.as_ref().map(|r| r.body)),
        registration_number: Set(c.registration.map(|r| r.number)),
        skills: Set(skills::to_json(&c.skills)),
        wtr_opt_out_at: Set(None),
        reconfirmed_at: Set(Some(now)),
        created_by: Set(actor.account_id()),
        created_at: Set(now),
    }
    .insert(tx)
    .await
    .map_err(|e| {
        // Two registrations of one person racing past the checks above.
        if violates(
            &e,
            "ux_workers_identity",
            "workers.ni_number, workers.date_of_birth, workers.family_name_key",
        ) {
            Error::DuplicatePerson("NI number, date of birth and surname")
        } else if violates(
            &e,
            "ux_workers_registration",
            "workers.registration_body, workers.registration_number",
        ) {
            Error::DuplicatePerson("professional registration")
        } else {
            Error::from(e)
        }
    })?;
    let index = skills::index_rows(row.id, &c.skills);
    if !index.is_empty() {
        worker_skill::Entity::insert_many(index)
            .exec_without_returning(tx)
            .await?;
    }
    crate::membership::insert_home(tx, clock, actor, row.id, t.id).await?;
    Ok(row)
}

/// One worker and how much of it the caller may see.
///
/// # Errors
/// Not found (also when the caller may not see the worker at all).
pub async fn worker(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(worker::Model, Access)> {
    let w = get(conn, id).await?;
    let access = visibility::access_to(conn, actor, &w).await?;
    Ok((w, access))
}

/// Which of these looks may be shown the worker's identity and contact details (date of birth, NI
/// number, email, phone, registration): the full ones, each with the [`visibility::Shown`] that
/// [`visibility::VisibleWorker::detail`] asks for. Looks from trusts other than a worker's home
/// trust are written to the access log (`RECORD`), in one insert for the batch.
///
/// # Errors
/// Database errors.
pub async fn details(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    looks: &[visibility::Look],
) -> Result<Vec<visibility::Shown>> {
    let full: Vec<visibility::Look> = looks
        .iter()
        .filter(|l| l.access.is_full())
        .copied()
        .collect();
    visibility::log_views(conn, clock, actor, &full, visibility::Viewed::Record).await?;
    Ok(full
        .iter()
        .map(|l| visibility::Shown::of(l.worker_id))
        .collect())
}

/// One worker, without checks (for other domain functions that check themselves).
///
/// # Errors
/// Not found.
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<worker::Model> {
    worker::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("worker"))
}

/// The workers with these ids (for batched loading; no checks).
///
/// # Errors
/// Database errors.
pub async fn by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<worker::Model>> {
    Ok(worker::Entity::find()
        .filter(worker::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The workers with these ids that the caller may see, each with the access the caller has (for
/// batched loading: three queries whatever the number; those the caller may not see at all are
/// left out).
///
/// # Errors
/// Database errors.
pub async fn visible_by_ids(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<(worker::Model, visibility::Access)>> {
    let rows = by_ids(conn, ids).await?;
    let access: std::collections::HashMap<Uuid, visibility::Access> =
        visibility::access_to_many(conn, actor, &rows)
            .await?
            .into_iter()
            .collect();
    Ok(rows
        .into_iter()
        .filter_map(|w| {
            let a = access.get(&w.id).copied()?;
            Some((w, a))
        })
        .collect())
}

/// Which workers to list.
#[derive(Debug, Clone, Default)]
pub struct WorkerFilter {
    /// Only those engaged at this trust with their consent (the caller must be staff there);
    /// otherwise the whole bank of the caller's trusts, in summary.
    pub trust_id: Option<Uuid>,
    /// Only this staff group.
    pub staff_group: Option<StaffGroup>,
    /// Name contains (case-insensitive).
    pub name: Option<String>,
    /// Only this grade (a code such as `BAND_5` or `ST3`, exact; of the staff group when one is
    /// given).
    pub grade: Option<String>,
    /// Only those holding this skill (a code such as `CRITICAL_CARE`, exact once normalised).
    pub skill: Option<String>,
}

/// A page of workers, oldest record first, each with the caller's access.
///
/// # Errors
/// Forbidden when listing a trust the caller is not staff of, or when the caller is not staff
/// anywhere; invalid cursor.
pub async fn list(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    filter: &WorkerFilter,
    page: &PageRequest,
) -> Result<Page<(worker::Model, Access)>> {
    let mut q = worker::Entity::find();
    if let Some(trust_id) = filter.trust_id {
        authorize_at_trust(conn, actor, trust_id, &TRUST_STAFF).await?;
        let engaged = crate::membership::engaged_at(trust_id).into_query();
        q = q.filter(worker::Column::Id.in_subquery(engaged));
    } else {
        let mut systems: Vec<Uuid> = actor
            .grants()
            .iter()
            .filter(|g| g.role == Role::SystemAdmin)
            .filter_map(|g| g.system_id)
            .collect();
        let trusts = actor.trusts_with(&TRUST_STAFF);
        if !trusts.is_empty() {
            systems.extend(
                crate::organisation::trusts_by_ids(conn, &trusts)
                    .await?
                    .into_iter()
                    .map(|t| t.system_id),
            );
        }
        if systems.is_empty() && !actor.is_service() {
            return Err(forbidden(
                "listing workers needs a staff role at a trust of the bank",
            ));
        }
        if !actor.is_service() {
            q = q.filter(worker::Column::SystemId.is_in(systems));
        }
    }
    // Codes are checked before any database work: an unknown grade or a malformed skill is the
    // caller's mistake, said as such, not an empty page.
    let grade = match filter
        .grade
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        Some(g) => Some(match filter.staff_group {
            Some(group) => Grade::parse_for(g, group)?,
            None => Grade::parse(g)?,
        }),
        None => None,
    };
    let skill = filter
        .skill
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(skills::search_code)
        .transpose()?;
    if let Some(g) = filter.staff_group {
        q = q.filter(worker::Column::StaffGroup.eq(g));
    }
    if let Some(g) = grade {
        q = q.filter(worker::Column::Grade.eq(g.code()));
    }
    if let Some(skill) = skill {
        let holding = worker_skill::Entity::find()
            .select_only()
            .column(worker_skill::Column::WorkerId)
            .filter(worker_skill::Column::Skill.eq(skill))
            .into_query();
        q = q.filter(worker::Column::Id.in_subquery(holding));
    }
    if let Some(n) = filter
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        limits::SEARCH.check(n)?;
        // The search is a substring: `%` and `_` typed are matched as themselves.
        let given = format!("%{}%", text::like_escape(&n.to_lowercase()));
        let by_given = sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(
            sea_orm::sea_query::Expr::col(worker::Column::GivenName),
        ))
        .like(LikeExpr::new(given).escape('\\'));
        // The family key keeps letters and digits only: a search with none names no family.
        let key = family_name_key(n);
        q = q.filter(if key.is_empty() {
            by_given
        } else {
            by_given.or(sea_orm::sea_query::Expr::col(worker::Column::FamilyNameKey)
                .like(LikeExpr::new(format!("%{}%", text::like_escape(&key))).escape('\\')))
        });
    }
    if let Some(after) = page.after_key()? {
        let after: Uuid = after
            .parse()
            .map_err(|_| validation("invalid pagination cursor"))?;
        q = q.filter(worker::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(worker::Column::Id)
        .limit(page.first + 1)
        .all(conn)
        .await?;
    let page = Page::from_rows(rows, page.first, |w| w.id.to_string());
    let models: Vec<worker::Model> = page.items.iter().map(|(_, w)| w.clone()).collect();
    let access: std::collections::HashMap<Uuid, Access> =
        visibility::access_to_many(conn, actor, &models)
            .await?
            .into_iter()
            .collect();
    let mut items = Vec::with_capacity(page.items.len());
    for (cursor, w) in page.items {
        if let Some(a) = access.get(&w.id) {
            items.push((cursor, (w, *a)));
        }
    }
    Ok(Page {
        items,
        has_next_page: page.has_next_page,
    })
}

/// Records (or withdraws) the worker's written opt-out from the 48-hour weekly average. Only the
/// worker may.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden for anyone else.
pub async fn set_wtr_opt_out(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    opted_out: bool,
) -> Result<worker::Model> {
    db::write(db, |tx| {
        Box::pin(async move { set_wtr_opt_out_in(&tx, clock, actor, worker_id, opted_out).await })
    })
    .await
}

/// The work of [`set_wtr_opt_out`], in the caller's transaction.
async fn set_wtr_opt_out_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    opted_out: bool,
) -> Result<worker::Model> {
    let w = get(tx, worker_id).await?;
    if actor.worker_id() != Some(w.id) {
        return Err(forbidden(
            "only the worker can opt out of (or back into) the 48-hour average",
        ));
    }
    let mut active: worker::ActiveModel = w.into();
    active.wtr_opt_out_at = Set(opted_out.then(|| clock.now()));
    Ok(active.update(tx).await?)
}

/// The worker reconfirms that they are available for bank work, ending dormancy (no shift for the
/// dormancy period). Only the worker may.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden for anyone else.
pub async fn reconfirm(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
) -> Result<worker::Model> {
    db::write(db, |tx| {
        Box::pin(async move { reconfirm_in(&tx, clock, actor, worker_id).await })
    })
    .await
}

/// The work of [`reconfirm`], in the caller's transaction.
async fn reconfirm_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
) -> Result<worker::Model> {
    let w = get(tx, worker_id).await?;
    if actor.worker_id() != Some(w.id) {
        return Err(forbidden(
            "only the worker can reconfirm their availability",
        ));
    }
    let mut active: worker::ActiveModel = w.into();
    active.reconfirmed_at = Set(Some(clock.now()));
    Ok(active.update(tx).await?)
}
