//! Identifiers. Every row is keyed by a UUIDv7: unique across replicas without coordination, and
//! ordered by creation time, so keyset pagination by id lists rows oldest first.

use uuid::Uuid;

/// A new, time-ordered identifier.
#[must_use]
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
