//! Bitstring Status List v1.0: each passport has an index in its issuer's status lists; bit
//! `index` of the revocation list is set when the passport is revoked, and of the suspension list
//! while it is suspended. The lists are published as signed status list credentials at
//! `{issuer}/status/{list id}/{purpose}` — derived from the passports' rows when asked for, so a
//! status change and the published bit can never disagree.
//!
//! Indexes are handed out at random (herd privacy: neighbouring indexes say nothing about when or
//! to whom a passport was issued), and a list is only filled to half before a new one is started,
//! so a random free index is found in a few tries.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use staffbank_core::{Clock, new_id};
use uuid::Uuid;

use crate::entity::{passport, status_list};
use crate::error::{Result, internal, not_found};
use crate::passports::PassportStatus;
use crate::vc::{Issuer, VC_CONTEXT_V2, VC_TYPE};

/// Entries per list: 131,072 (16 KiB), the minimum the specification recommends for privacy.
pub const SIZE_BITS: i32 = 131_072;
/// How long a published status list credential may be relied on (verifiers fetch it again after).
pub const LIST_TTL_HOURS: i64 = 24;
/// Largest decompressed list accepted from outside (guards against compression bombs).
const MAX_LIST_BYTES: usize = 2 * 1024 * 1024;

/// What a status list says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Set: revoked for good.
    Revocation,
    /// Set: suspended for now.
    Suspension,
}

impl Purpose {
    /// Both purposes.
    pub const ALL: [Purpose; 2] = [Purpose::Revocation, Purpose::Suspension];

    /// As written in credentials and URLs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revocation => "revocation",
            Self::Suspension => "suspension",
        }
    }

    /// From its written form.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The passport status whose passports have this bit set.
    fn passport_status(self) -> PassportStatus {
        match self {
            Self::Revocation => PassportStatus::Revoked,
            Self::Suspension => PassportStatus::Suspended,
        }
    }
}

/// The URL of a status list credential.
#[must_use]
pub fn url(issuer: &str, list_id: Uuid, purpose: Purpose) -> String {
    format!("{issuer}/status/{list_id}/{}", purpose.as_str())
}

/// Sets bit `index` (bit 0 is the left-most bit of the first byte, as the specification says).
pub fn set_bit(bits: &mut [u8], index: usize) {
    if let Some(b) = bits.get_mut(index / 8) {
        *b |= 0x80 >> (index % 8);
    }
}

/// Reads bit `index`; `None` past the end.
#[must_use]
pub fn bit(bits: &[u8], index: usize) -> Option<bool> {
    bits.get(index / 8).map(|b| b & (0x80 >> (index % 8)) != 0)
}

/// GZIP-compresses and multibase-encodes (base64url, prefix `u`) a bitstring.
///
/// # Errors
/// Internal error if compression fails (it does not in memory).
pub fn encode(bits: &[u8]) -> Result<String> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(bits)
        .map_err(|e| internal(format!("gzip: {e}")))?;
    let compressed = gz.finish().map_err(|e| internal(format!("gzip: {e}")))?;
    Ok(format!("u{}", URL_SAFE_NO_PAD.encode(compressed)))
}

/// Decodes an `encodedList`.
///
/// # Errors
/// A sentence saying what is wrong.
pub fn decode(encoded: &str) -> std::result::Result<Vec<u8>, String> {
    let body = encoded
        .strip_prefix('u')
        .ok_or("the encoded list is not multibase base64url (prefix u)")?;
    let compressed = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| "the encoded list is not base64url")?;
    let mut out = Vec::new();
    GzDecoder::new(compressed.as_slice())
        .take(MAX_LIST_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| "the encoded list is not GZIP data")?;
    if out.len() > MAX_LIST_BYTES {
        return Err("the encoded list is too large".into());
    }
    Ok(out)
}

/// The subject of a status list credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSubject {
    /// `{url}#list`.
    pub id: String,
    /// `BitstringStatusList`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `revocation` or `suspension`.
    pub status_purpose: String,
    /// The GZIP-compressed, multibase-encoded bitstring.
    pub encoded_list: String,
}

/// A status list credential (`BitstringStatusListCredential`), with the JWT claims beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListCredential {
    /// Contexts.
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    /// Its URL.
    pub id: String,
    /// Types.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// The issuing trust.
    pub issuer: Issuer,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until (fetch again after).
    pub valid_until: DateTime<Utc>,
    /// The list.
    pub credential_subject: ListSubject,
    /// JWT issuer.
    pub iss: String,
    /// JWT issued-at.
    pub iat: i64,
}

impl ListCredential {
    /// A status list credential for `bits`.
    ///
    /// # Errors
    /// Internal error if compression fails.
    pub fn new(
        issuer: Issuer,
        url: String,
        purpose: Purpose,
        bits: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Self> {
        Ok(Self {
            context: vec![VC_CONTEXT_V2.to_owned()],
            id: url.clone(),
            types: vec![
                VC_TYPE.to_owned(),
                "BitstringStatusListCredential".to_owned(),
            ],
            iss: issuer.id.clone(),
            issuer,
            valid_from: now,
            valid_until: now + Duration::hours(LIST_TTL_HOURS),
            credential_subject: ListSubject {
                id: format!("{url}#list"),
                kind: "BitstringStatusList".to_owned(),
                status_purpose: purpose.as_str().to_owned(),
                encoded_list: encode(bits)?,
            },
            iat: now.timestamp(),
        })
    }
}

/// Hands out a free entry in the issuer's current list (starting a new list when it is half
/// full): `(list id, index)`.
///
/// # Errors
/// Database errors; internal error if no free index is found (it is at most half full).
pub async fn allocate(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    trust_id: Uuid,
) -> Result<(Uuid, i32)> {
    let half = SIZE_BITS / 2;
    let current = status_list::Entity::find()
        .filter(status_list::Column::TrustId.eq(trust_id))
        .filter(status_list::Column::Allocated.lt(half))
        .order_by_desc(status_list::Column::Id)
        .one(conn)
        .await?;
    let list = match current {
        Some(l) => l,
        None => {
            status_list::ActiveModel {
                id: Set(new_id()),
                trust_id: Set(trust_id),
                size_bits: Set(SIZE_BITS),
                allocated: Set(0),
                created_at: Set(clock.now()),
            }
            .insert(conn)
            .await?
        }
    };
    // Counted with a conditional update so two issuers cannot push a list past half full.
    let counted = status_list::Entity::update_many()
        .col_expr(
            status_list::Column::Allocated,
            Expr::col(status_list::Column::Allocated).add(1),
        )
        .filter(status_list::Column::Id.eq(list.id))
        .filter(status_list::Column::Allocated.lt(half))
        .exec(conn)
        .await?;
    if counted.rows_affected != 1 {
        return Err(crate::error::conflict(
            "the status list filled up at this moment; try again",
        ));
    }
    let size = Ord::max(u32::try_from(list.size_bits).unwrap_or(1), 1);
    for _ in 0..64 {
        let index = i32::try_from(rand::random::<u32>() % size).unwrap_or(0);
        let taken = passport::Entity::find()
            .select_only()
            .column(passport::Column::Id)
            .filter(passport::Column::StatusListId.eq(list.id))
            .filter(passport::Column::StatusIndex.eq(index))
            .into_tuple::<Uuid>()
            .one(conn)
            .await?;
        if taken.is_none() {
            return Ok((list.id, index));
        }
    }
    Err(internal("no free status list index found in 64 tries"))
}

/// The bits of one list as they stand: set for each passport of the list whose status is the
/// purpose's.
///
/// # Errors
/// Not found; database errors.
pub async fn bits(
    conn: &impl ConnectionTrait,
    list_id: Uuid,
    purpose: Purpose,
) -> Result<(status_list::Model, Vec<u8>)> {
    let list = status_list::Entity::find_by_id(list_id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("status list"))?;
    let set: Vec<i32> = passport::Entity::find()
        .select_only()
        .column(passport::Column::StatusIndex)
        .filter(passport::Column::StatusListId.eq(list.id))
        .filter(passport::Column::Status.eq(purpose.passport_status()))
        .into_tuple()
        .all(conn)
        .await?;
    let mut out = vec![0u8; usize::try_from(list.size_bits).unwrap_or(0).div_ceil(8)];
    for i in set {
        if let Ok(i) = usize::try_from(i) {
            set_bit(&mut out, i);
        }
    }
    Ok((list, out))
}

/// Whether the entry `(list, index)` has the purpose's bit set, read from the same rows the
/// published list is made from.
///
/// # Errors
/// Database errors.
pub async fn is_set(
    conn: &impl ConnectionTrait,
    list_id: Uuid,
    index: i32,
    purpose: Purpose,
) -> Result<bool> {
    Ok(passport::Entity::find()
        .select_only()
        .column(passport::Column::Id)
        .filter(passport::Column::StatusListId.eq(list_id))
        .filter(passport::Column::StatusIndex.eq(index))
        .filter(passport::Column::Status.eq(purpose.passport_status()))
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_through_the_encoding() -> std::result::Result<(), String> {
        let mut bits = vec![0u8; usize::try_from(SIZE_BITS).unwrap_or(0) / 8];
        for i in [0, 7, 8, 94_567, 131_071] {
            set_bit(&mut bits, i);
        }
        let encoded = encode(&bits).map_err(|e| e.to_string())?;
        assert!(encoded.len() < 200, "an almost empty list compresses well");
        let back = decode(&encoded)?;
        assert_eq!(back, bits);
        assert_eq!(bit(&back, 0), Some(true));
        assert_eq!(bits[0], 0b1000_0001, "bit 0 is the left-most bit");
        assert_eq!(bit(&back, 1), Some(false));
        assert_eq!(bit(&back, 94_567), Some(true));
        assert_eq!(bit(&back, 131_072), None);
        assert!(decode("xabc").is_err());
        assert!(decode("uAAAA").is_err());
        Ok(())
    }
}
