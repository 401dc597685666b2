//! Passports and privacy: the worker's passports (who issued each, its dates and status, the
//! checks and training it holds, and which trusts it is shared with), sharing one with a trust
//! of the bank through an explicit consent page, withdrawing that consent, and the log of who
//! from another organisation has looked at their record.

mod access;
mod list;
pub(crate) mod qr;
pub(crate) mod share;
mod show;
mod withdraw;

use axum::Router;
use axum::routing::get;

use crate::WebState;
use crate::format;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};

/// The section these pages belong to in the worker's navigation.
const SECTION: &str = "/worker/passports";

/// The routes of passports and privacy.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(SECTION, get(list::page))
        .route("/worker/passports/access", get(access::page))
        .route("/worker/passports/{id}", get(show::page))
        .route("/worker/passports/{id}/passport.jwt", get(qr::file))
        .route(
            "/worker/passports/{id}/share",
            get(share::choose).post(share::chosen),
        )
        .route(
            "/worker/passports/{id}/share/{trust_id}",
            get(share::consent).post(share::agree),
        )
        .route("/worker/passports/{id}/shares/{share_id}", get(share::done))
        .route(
            "/worker/passports/{id}/shares/{share_id}/withdraw",
            get(withdraw::confirm).post(withdraw::submit),
        )
}

/// A passport's status (the API's `PassportStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassportStatus {
    /// Valid within its dates.
    Active,
    /// Suspended by the issuer for now.
    Suspended,
    /// Revoked by the issuer for good.
    Revoked,
}

/// A trust, by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "Trust")]
pub struct TrustRef {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// One item a passport carries.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "PassportItem")]
pub struct Item {
    /// Kind code.
    pub kind: String,
    /// Kind name.
    pub kind_name: String,
    /// Level name.
    pub level_name: Option<String>,
    /// Who issued the certificate.
    pub issued_by: String,
    /// Completed on.
    pub issued_on: NaiveDate,
    /// Expires on.
    pub expires_on: Option<NaiveDate>,
    /// When HR verified it.
    pub verified_at: DateTime,
    /// Which trust verified it.
    pub verified_by: String,
}

/// A trust the passport is (or was) shared with.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "PassportShare")]
pub struct Share {
    /// Id.
    pub id: Uuid,
    /// When consent was given.
    pub shared_at: DateTime,
    /// When it was withdrawn.
    pub withdrawn_at: Option<DateTime>,
    /// The trust.
    pub trust: TrustRef,
    /// Whether consent is in force.
    pub active: bool,
}

/// A passport as these pages show it.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "Passport")]
pub struct Passport {
    /// Id.
    pub id: Uuid,
    /// Valid from.
    pub valid_from: DateTime,
    /// Valid until.
    pub valid_until: DateTime,
    /// Status.
    pub status: PassportStatus,
    /// Why suspended or revoked.
    pub status_reason: Option<String>,
    /// When issued.
    pub created_at: DateTime,
    /// The issuing trust.
    pub issuer_trust: TrustRef,
    /// The items.
    pub items: Vec<Item>,
    /// Shares, active and withdrawn.
    pub shares: Vec<Share>,
}

/// A credential kind's category, to put items under "Checks" or "Training".
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "CredentialKind")]
pub struct KindCategory {
    /// Code.
    pub code: String,
    /// EMPLOYMENT_CHECK, CORE_TRAINING or OTHER_TRAINING.
    pub category: String,
}

/// One item, in words.
#[derive(Debug, Clone)]
pub struct ItemView {
    /// "Safeguarding adults, level 2".
    pub name: String,
    /// Who issued the certificate.
    pub issued_by: String,
    /// "2 March 2026".
    pub completed: String,
    /// "Expires on 2 March 2029", or "Does not expire".
    pub expires: String,
    /// "Northfield ... on 3 March 2026".
    pub verified: String,
}

impl ItemView {
    fn of(item: &Item) -> Self {
        let name = match &item.level_name {
            Some(level) => format!("{}, {}", item.kind_name, lower_first(level)),
            None => item.kind_name.clone(),
        };
        Self {
            name,
            issued_by: item.issued_by.clone(),
            completed: format::date_short(item.issued_on),
            expires: item.expires_on.map_or_else(
                || "Does not expire".to_owned(),
                |d| format!("Expires on {}", format::date_short(d)),
            ),
            verified: format!(
                "{} on {}",
                item.verified_by,
                format::date_short(format::london(item.verified_at).date())
            ),
        }
    }
}

/// A passport's items, checks apart from training (by the kinds' categories from the API).
#[derive(Debug, Clone, Default)]
pub struct Holdings {
    /// Pre-employment checks.
    pub checks: Vec<ItemView>,
    /// Training.
    pub training: Vec<ItemView>,
}

impl Holdings {
    /// Sorts `items` by the category of their kind.
    #[must_use]
    pub fn of(items: &[Item], kinds: &[KindCategory]) -> Self {
        let mut out = Self::default();
        for item in items {
            let is_check = kinds
                .iter()
                .find(|k| k.code == item.kind)
                .is_some_and(|k| k.category == "EMPLOYMENT_CHECK");
            if is_check {
                out.checks.push(ItemView::of(item));
            } else {
                out.training.push(ItemView::of(item));
            }
        }
        out
    }
}

/// A share, in words.
#[derive(Debug, Clone)]
pub struct ShareView {
    /// The trust's name.
    pub trust: String,
    /// "Shared on 2 March 2026".
    pub shared: String,
    /// "Withdrawn on ...", when withdrawn.
    pub withdrawn: Option<String>,
    /// Consent in force.
    pub active: bool,
    /// Where to withdraw it.
    pub withdraw_href: String,
}

impl ShareView {
    fn of(passport_id: Uuid, share: &Share) -> Self {
        Self {
            trust: share.trust.name.clone(),
            shared: format::date_short(format::london(share.shared_at).date()),
            withdrawn: share
                .withdrawn_at
                .map(|at| format::date_short(format::london(at).date())),
            active: share.active,
            withdraw_href: format!(
                "/worker/passports/{passport_id}/shares/{}/withdraw",
                share.id
            ),
        }
    }
}

/// A passport, in words.
#[derive(Debug, Clone)]
pub struct PassportView {
    /// Its page.
    pub href: String,
    /// Where to share it.
    pub share_href: String,
    /// Issuing trust.
    pub issuer: String,
    /// "Issued on".
    pub issued: String,
    /// Valid from.
    pub valid_from: String,
    /// Valid until.
    pub valid_until: String,
    /// The tag's text.
    pub status: &'static str,
    /// The tag's colour class.
    pub status_class: &'static str,
    /// Why suspended or revoked.
    pub status_reason: Option<String>,
    /// How many checks and training items, in words.
    pub item_count: String,
    /// Shares, newest first as the API gives them.
    pub shares: Vec<ShareView>,
}

impl PassportView {
    /// The words for a passport.
    #[must_use]
    pub fn of(p: &Passport) -> Self {
        let (status, status_class) = status_tag(p.status);
        Self {
            href: format!("/worker/passports/{}", p.id),
            share_href: format!("/worker/passports/{}/share", p.id),
            issuer: p.issuer_trust.name.clone(),
            issued: format::date_short(format::london(p.created_at).date()),
            valid_from: format::date_short(format::london(p.valid_from).date()),
            valid_until: format::date_short(format::london(p.valid_until).date()),
            status,
            status_class,
            status_reason: p.status_reason.clone(),
            item_count: items_in_words(p.items.len()),
            shares: p.shares.iter().map(|s| ShareView::of(p.id, s)).collect(),
        }
    }

    /// The trusts it is shared with now.
    #[must_use]
    pub fn active_shares(&self) -> Vec<&ShareView> {
        self.shares.iter().filter(|s| s.active).collect()
    }
}

/// The tag for a status: its words and colour.
#[must_use]
pub fn status_tag(status: PassportStatus) -> (&'static str, &'static str) {
    match status {
        PassportStatus::Active => ("Active", "nhsuk-tag--green"),
        PassportStatus::Suspended => ("Suspended", "nhsuk-tag--orange"),
        PassportStatus::Revoked => ("Revoked", "nhsuk-tag--red"),
    }
}

/// "Level 2" as it reads after a comma: "level 2".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// "1 check or training item", "17 checks and training items".
pub(crate) fn items_in_words(n: usize) -> String {
    match n {
        1 => "1 check or training item".to_owned(),
        n => format!("{n} checks and training items"),
    }
}
