//! The email a worker gets when a trust asks to engage them. It says which trust, what accepting
//! would let that trust see, and where to answer; it never carries the worker's details.

use staffbank_core::Email;
use staffbank_notify::Message;
use uuid::Uuid;

/// Kind of the email asking a worker to accept an engagement.
pub const ENGAGEMENT_PROPOSED: &str = "engagement.proposed";

/// "A trust would like to engage you": to the worker, naming the trust.
#[must_use]
pub fn proposed(to: &Email, given_name: &str, trust: &str, public_url: &str) -> Message {
    Message::from_paragraphs(
        ENGAGEMENT_PROPOSED,
        to.clone(),
        "A trust would like to engage you through the bank",
        &[
            format!("Dear {given_name},"),
            format!("{trust} would like to engage you through the staff bank."),
            format!(
                "If you accept, {trust} will be able to see your full record: your date of birth, \
                 National Insurance number, contact details, and your checks and training. Until \
                 you accept, they see only your name, staff group, grade and skills, and what you \
                 choose to share in a passport."
            ),
            format!(
                "To accept or decline, sign in and go to My record: {public_url}/worker/record. \
                 You can end the engagement at any time."
            ),
            "If you were not expecting this email, you can decline, or tell your bank office."
                .to_owned(),
        ],
    )
}

/// The dedupe key of a proposal email: one per proposal.
#[must_use]
pub fn proposed_key(event_id: Uuid) -> String {
    format!("{ENGAGEMENT_PROPOSED}:{event_id}")
}
