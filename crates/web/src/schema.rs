//! The GraphQL schema the pages are checked against (`schema.graphql`, registered by the build
//! script), and the Rust types of its scalars.

#[cynic::schema("staffbank")]
pub mod schema {}

/// `UUID`.
pub type Uuid = uuid::Uuid;
cynic::impl_scalar!(uuid::Uuid, schema::UUID);

/// `DateTime` (UTC).
pub type DateTime = chrono::DateTime<chrono::Utc>;
cynic::impl_scalar!(chrono::DateTime<chrono::Utc>, schema::DateTime);

/// `NaiveDate` (a London date).
pub type NaiveDate = chrono::NaiveDate;
cynic::impl_scalar!(chrono::NaiveDate, schema::NaiveDate);

/// `NaiveDateTime` (a London wall-clock time).
pub type NaiveDateTime = chrono::NaiveDateTime;
cynic::impl_scalar!(chrono::NaiveDateTime, schema::NaiveDateTime);

/// `Decimal` (pounds, hours, rates: exact).
pub type Decimal = rust_decimal::Decimal;
cynic::impl_scalar!(rust_decimal::Decimal, schema::Decimal);

// `JSON`.
cynic::impl_scalar!(serde_json::Value, schema::JSON);

/// `Upload`: a file sent with a multipart request. The page puts the file in the request itself
/// (see [`crate::api::Upload`]); the variable is always null.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Upload;
cynic::impl_scalar!(Upload, schema::Upload);
