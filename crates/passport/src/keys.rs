//! Trust signing keys. Each trust has one active Ed25519 key that signs its passports and status
//! lists; rotating makes a new active key and keeps the old one valid for verifying what it signed
//! before; retiring an old key ends that too (every passport it signed stops verifying — for a key
//! that may have leaked). Private keys are stored sealed with the key-encryption key; the public
//! keys are published as a JWK Set at `{issuer}/jwks.json` and in the trust registry.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::entity::trust;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::entity::trust_key;
use crate::error::{Error, Result, conflict, not_found};
use crate::jwk::{Jwk, JwkSet};
use crate::kek::Kek;

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Signs new passports.
    Active,
    /// Replaced; verifies passports it signed while active.
    Rotated,
    /// Verifies nothing any more.
    Retired,
}

impl KeyState {
    /// The state of a key row at `now`.
    #[must_use]
    pub fn of(k: &trust_key::Model, now: DateTime<Utc>) -> Self {
        if k.retired_at.is_some_and(|r| r <= now) {
            Self::Retired
        } else if k.rotated_at.is_some_and(|r| r <= now) {
            Self::Rotated
        } else {
            Self::Active
        }
    }

    /// As shown in the API.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Rotated => "ROTATED",
            Self::Retired => "RETIRED",
        }
    }
}

/// The public JWK of a stored key.
///
/// # Errors
/// Internal error for a damaged row.
pub fn jwk_of(k: &trust_key::Model) -> Result<Jwk> {
    Ok(Jwk {
        kty: "OKP".into(),
        crv: Some("Ed25519".into()),
        x: Some(k.public_key.clone()),
        kid: Some(k.kid.clone()),
        alg: Some("EdDSA".into()),
        use_: Some("sig".into()),
    })
}

async fn create(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    kek: &Kek,
    trust_id: Uuid,
) -> Result<(trust_key::Model, SigningKey)> {
    let secret = Zeroizing::new(rand::random::<[u8; 32]>());
    let signing = SigningKey::from_bytes(&secret);
    let jwk = Jwk::ed25519(&signing.verifying_key());
    let kid = jwk.kid.clone().unwrap_or_default();
    let row = trust_key::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(trust_id),
        kid: Set(kid.clone()),
        public_key: Set(jwk.x.clone().unwrap_or_default()),
        sealed_private_key: Set(kek.seal(&kid, secret.as_slice())?),
        created_at: Set(clock.now()),
        rotated_at: Set(None),
        retired_at: Set(None),
    }
    .insert(conn)
    .await?;
    tracing::info!(%trust_id, kid = %row.kid, "new trust signing key");
    Ok((row, signing))
}

fn open(kek: &Kek, k: &trust_key::Model) -> Result<SigningKey> {
    let bytes = kek.open(&k.kid, &k.sealed_private_key)?;
    let secret: Zeroizing<[u8; 32]> = Zeroizing::new(
        bytes
            .as_slice()
            .try_into()
            .map_err(|_| Error::KeyMaterial("a sealed key is not 32 bytes".into()))?,
    );
    let signing = SigningKey::from_bytes(&secret);
    if URL_SAFE_NO_PAD.encode(signing.verifying_key().as_bytes()) != k.public_key {
        return Err(Error::KeyMaterial(
            "a sealed private key does not match its public key".into(),
        ));
    }
    Ok(signing)
}

async fn active(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<Option<trust_key::Model>> {
    Ok(trust_key::Entity::find()
        .filter(trust_key::Column::TrustId.eq(trust_id))
        .filter(trust_key::Column::RotatedAt.is_null())
        .filter(trust_key::Column::RetiredAt.is_null())
        .order_by_desc(trust_key::Column::Id)
        .one(conn)
        .await?)
}

/// Locks the trust's row (PostgreSQL; SQLite write transactions are serialised already) so two
/// requests cannot both make a first key or both rotate.
async fn lock_trust(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<trust::Model> {
    trust::Entity::find_by_id(trust_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| not_found("trust"))
}

/// The trust's active signing key, made on first use. Run inside a write transaction.
///
/// # Errors
/// Not found; key material errors; database errors.
pub async fn signing_key(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    kek: &Kek,
    trust_id: Uuid,
) -> Result<(trust_key::Model, SigningKey)> {
    if let Some(k) = active(conn, trust_id).await? {
        let s = open(kek, &k)?;
        return Ok((k, s));
    }
    lock_trust(conn, trust_id).await?;
    match active(conn, trust_id).await? {
        Some(k) => {
            let s = open(kek, &k)?;
            Ok((k, s))
        }
        None => create(conn, clock, kek, trust_id).await,
    }
}

/// The active key for reading (no key is made).
///
/// # Errors
/// Not found when the trust has no active key; key material errors.
pub async fn current_signing_key(
    conn: &impl ConnectionTrait,
    kek: &Kek,
    trust_id: Uuid,
) -> Result<(trust_key::Model, SigningKey)> {
    let k = active(conn, trust_id)
        .await?
        .ok_or_else(|| not_found("signing key"))?;
    let s = open(kek, &k)?;
    Ok((k, s))
}

/// Makes a new active key for a trust (its trust admins or the bank's system admins); the old
/// key keeps verifying what it signed.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; database errors.
pub async fn rotate(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    kek: &Kek,
    trust_id: Uuid,
) -> Result<trust_key::Model> {
    db::write(db, |tx| {
        Box::pin(async move { rotate_in(&tx, clock, actor, kek, trust_id).await })
    })
    .await
}

/// The work of [`rotate`], in the caller's transaction.
async fn rotate_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    kek: &Kek,
    trust_id: Uuid,
) -> Result<trust_key::Model> {
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin]).await?;
    lock_trust(tx, trust_id).await?;
    if let Some(old) = active(tx, trust_id).await? {
        let mut a: trust_key::ActiveModel = old.into();
        a.rotated_at = Set(Some(clock.now()));
        a.update(tx).await?;
    }
    let (row, _) = create(tx, clock, kek, trust_id).await?;
    Ok(row)
}

/// Retires a rotated key: passports it signed no longer verify. The active key cannot be retired
/// (rotate first). Retiring a key already retired changes nothing and returns it as it is (a
/// second tab, a repeated request).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (the active key).
pub async fn retire(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    kid: &str,
) -> Result<trust_key::Model> {
    db::write(db, |tx| {
        Box::pin(async move { retire_in(&tx, clock, actor, trust_id, kid).await })
    })
    .await
}

/// The work of [`retire`], in the caller's transaction.
async fn retire_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    kid: &str,
) -> Result<trust_key::Model> {
    staffbank_core::text::limits::KEY_ID.check(kid.trim())?;
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin]).await?;
    let k = trust_key::Entity::find()
        .filter(trust_key::Column::TrustId.eq(trust_id))
        .filter(trust_key::Column::Kid.eq(kid.trim()))
        .one(tx)
        .await?
        .ok_or_else(|| not_found("trust key"))?;
    match KeyState::of(&k, clock.now()) {
        KeyState::Active => Err(conflict(
            "the active key cannot be retired: rotate to a new key first",
        )),
        KeyState::Retired => Ok(k),
        KeyState::Rotated => {
            let mut a: trust_key::ActiveModel = k.into();
            a.retired_at = Set(Some(clock.now()));
            Ok(a.update(tx).await?)
        }
    }
}

/// The keys of these trusts, oldest first.
///
/// # Errors
/// Database errors.
pub async fn of_trusts(
    conn: &impl ConnectionTrait,
    trust_ids: &[Uuid],
) -> Result<Vec<trust_key::Model>> {
    Ok(trust_key::Entity::find()
        .filter(trust_key::Column::TrustId.is_in(trust_ids.iter().copied()))
        .order_by_asc(trust_key::Column::Id)
        .all(conn)
        .await?)
}

/// The trust's keys that still verify, as a JWK Set (public: no sign-in needed).
///
/// # Errors
/// Not found for an unknown trust; database errors.
pub async fn jwks(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    now: DateTime<Utc>,
) -> Result<JwkSet> {
    staffbank_bank::organisation::trust(conn, trust_id).await?;
    let keys = of_trusts(conn, &[trust_id])
        .await?
        .iter()
        .filter(|k| KeyState::of(k, now) != KeyState::Retired)
        .map(jwk_of)
        .collect::<Result<Vec<_>>>()?;
    Ok(JwkSet { keys })
}
