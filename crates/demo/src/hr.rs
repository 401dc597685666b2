//! Demo data for HR's pages at Northfield (the first trust): a document on each check waiting to
//! be verified there (a PNG drawn here, the same bytes every run), and a worker booked on a shift
//! that an expiring check would cost them — their renewal of it was revoked after they booked,
//! so the older certificate, expiring before the shift, is the one that counts now.

use chrono::{Duration, NaiveTime};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use staffbank_bank::credentials::{self, CredentialStatus, NewCredential};
use staffbank_bank::entity::{credential, worker};
use staffbank_bank::evidence::{self, EvidenceStore};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, code};
use staffbank_market::booking::{self, BookingRequest};
use staffbank_market::posting;
use staffbank_market::release_cascade::{Anchor, Audience, TierRule};
use uuid::Uuid;

/// Days from today to the demo shift an expiry would hit (past the board's 14 days, so the
/// board's demo counts stay as they were).
const SHIFT_IN_DAYS: i64 = 20;
/// Days from today to the expiry that would hit it.
const EXPIRES_IN_DAYS: i64 = 18;

/// The worker booked on a shift their expiring check would cost them, at `trusts[0]`.
///
/// # Errors
/// Domain or database errors.
pub async fn load(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    trusts: &[Uuid],
) -> anyhow::Result<()> {
    let Some(&trust) = trusts.first() else {
        return Ok(());
    };
    let service = Actor::Service;
    let today = london_date(clock.now());
    let mut rng = StdRng::seed_from_u64(20_261_203);
    let candidates = worker::Entity::find()
        .filter(worker::Column::HomeTrustId.eq(trust))
        .order_by_asc(worker::Column::Id)
        .all(tx)
        .await?;
    for w in candidates.into_iter().skip(1).take(12) {
        let Some(ward) = super::market::plain_home_ward(tx, &w).await? else {
            continue;
        };
        let held = credentials::of_workers(
            tx,
            clock,
            &service,
            &[staffbank_bank::visibility::Look::at(
                &w,
                staffbank_bank::visibility::Access::Service,
            )],
        )
        .await?;
        // A verified check that lasts past the shift: the one whose revocation leaves the
        // expiring one counting.
        let Some(lasting) = held.iter().find(|c| {
            credentials::status_on(c, today) == CredentialStatus::Verified
                && c.expires_on
                    .is_none_or(|e| e > today + Duration::days(SHIFT_IN_DAYS + 1))
        }) else {
            continue;
        };
        let start = (today + Duration::days(SHIFT_IN_DAYS))
            .and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default());
        let mut row = super::market::row(
            trust,
            &ward,
            start,
            12,
            60,
            (code::of(&w.staff_group).as_str(), w.grade.as_str(), &[][..]),
            &mut rng,
        );
        row.positions = 1;
        row.cascade = Some(vec![TierRule {
            audience: Audience::OwnTrust,
            anchor: Anchor::Posting,
            offset_minutes: 0,
        }]);
        let posted = posting::post_shifts_in(tx, clock, &service, &[row]).await?;
        let Some(shift) = posted.first() else {
            continue;
        };
        let request = BookingRequest {
            shift_id: shift.id,
            worker_id: Some(w.id),
            idempotency_key: None,
        };
        match booking::book_in(tx, clock, &service, &request, None).await {
            Ok(_) => {}
            Err(staffbank_market::Error::NotEligible(_)) => continue,
            Err(e) => return Err(e.into()),
        }
        let older = credentials::record_in(
            tx,
            clock,
            &service,
            w.id,
            &NewCredential {
                kind: lasting.kind.clone(),
                level: lasting.level,
                issuer: lasting.issuer.clone(),
                reference: Some("OLD-204817".to_owned()),
                valid_from: today - Duration::days(365 - EXPIRES_IN_DAYS),
                expires_on: Some(today + Duration::days(EXPIRES_IN_DAYS)),
            },
        )
        .await?;
        credentials::verify_in(tx, clock, &service, older.id, trust).await?;
        credentials::revoke_in(
            tx,
            clock,
            &service,
            lasting.id,
            trust,
            "the training provider withdrew this certificate",
        )
        .await?;
        return Ok(());
    }
    tracing::warn!("no demo worker at the first trust could be given an expiring booked shift");
    Ok(())
}

/// Attaches a document (a PNG certificate drawn here) to every check waiting to be verified for a
/// worker whose home is the demo's first trust, so HR has something to look at. Run after
/// [`super::load`] loaded the bank; does nothing to a check that has a document already.
///
/// # Errors
/// Domain or database errors.
pub async fn attach_evidence(
    conn: &DatabaseConnection,
    clock: &dyn Clock,
    store: &EvidenceStore,
) -> anyhow::Result<u64> {
    let Some(first) = staffbank_bank::entity::trust::Entity::find()
        .filter(staffbank_bank::entity::trust::Column::OdsCode.eq(super::FIRST_TRUST_CODE))
        .one(conn)
        .await?
    else {
        return Ok(0);
    };
    let home = worker::Entity::find()
        .filter(worker::Column::HomeTrustId.eq(first.id))
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = home.iter().map(|w| w.id).collect();
    let waiting = credential::Entity::find()
        .filter(credential::Column::WorkerId.is_in(ids))
        .filter(credential::Column::Status.eq(CredentialStatus::Pending))
        .filter(credential::Column::EvidenceSha256.is_null())
        .order_by_asc(credential::Column::Id)
        .all(conn)
        .await?;
    let png = certificate_png();
    let mut n = 0;
    for c in waiting {
        let name = format!(
            "{}-certificate.png",
            c.kind.to_lowercase().replace('_', "-")
        );
        evidence::attach(conn, clock, &Actor::Service, store, c.id, &name, &png).await?;
        n += 1;
    }
    Ok(n)
}

/// A small certificate-like picture: a white page with a blue band across the top, a signature
/// line and grey lines of "text". PNG, RGB, drawn pixel by pixel (the same bytes every time).
fn certificate_png() -> Vec<u8> {
    use std::io::Write;
    const W: u32 = 480;
    const H: u32 = 320;
    let mut raw = Vec::with_capacity(((W * 3 + 1) * H) as usize);
    for y in 0..H {
        raw.push(0); // no filter
        for x in 0..W {
            let border = x < 4 || y < 4 || x >= W - 4 || y >= H - 4;
            let band = y < 64;
            let text_line = (96..240).contains(&y)
                && (y - 96) % 24 < 8
                && (40..(W - 40 - ((y / 24) % 3) * 60)).contains(&x);
            let signature = (272..276).contains(&y) && (280..440).contains(&x);
            let (r, g, b) = if border || band {
                (0x00, 0x5e, 0xb8)
            } else if text_line {
                (0xae, 0xb7, 0xbd)
            } else if signature {
                (0x21, 0x2b, 0x32)
            } else {
                (0xff, 0xff, 0xff)
            };
            raw.extend_from_slice(&[r, g, b]);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = z.write_all(&raw);
    let idat = z.finish().unwrap_or_default();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&W.to_be_bytes());
    ihdr.extend_from_slice(&H.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    for (kind, data) in [(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", Vec::new())] {
        png.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(&data);
        png.extend_from_slice(kind);
        png.extend_from_slice(&data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    }
    png
}
