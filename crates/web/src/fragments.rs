//! The small selections many pages share: the name of a ward, site or trust, and a pay total.
//! Each page still selects exactly what it shows; these only save writing the same three lines
//! in every operation.

use crate::schema::{Decimal, schema};

/// A ward, by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct Ward {
    /// Its name.
    pub name: String,
}

/// A site (hospital), by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct Site {
    /// Its name.
    pub name: String,
}

/// A trust, by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct Trust {
    /// Its name.
    pub name: String,
}

/// What a shift would pay, in total.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct PayQuote {
    /// Total in pounds.
    pub total: Decimal,
}
