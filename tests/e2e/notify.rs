//! Email: messages are written to the outbox with the change that causes them and delivered over
//! SMTP to the test's sink exactly once each: after refusals, across restarts, with two servers
//! delivering from one database, and never for a change that failed.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use staffbank_core::{Clock, Email, SharedClock, db};
use staffbank_gateway::config::MailTransport;
use staffbank_notify::entity::outbox;
use staffbank_notify::{Message, Policy, Worker, enqueue};

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, WAIT, error_code};
use crate::on_both_databases;
use crate::smtp_sink::Received;

on_both_databases!(
    a_new_account_gets_one_welcome_email_over_smtp,
    refused_mail_is_retried_with_backoff_and_sent_once,
    a_restart_between_enqueue_and_delivery_loses_nothing,
    stopping_finishes_the_message_in_hand_and_gives_back_the_rest,
    two_servers_deliver_each_message_exactly_once,
    claims_are_exclusive_and_a_dead_workers_lease_runs_out,
    a_message_is_given_up_after_the_most_attempts,
    the_mailbox_transport_writes_one_eml_file_per_message,
    a_failed_change_enqueues_nothing,
    the_same_logical_message_is_enqueued_once,
);

const CREATE: &str =
    "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id email } }";
const GRANT: &str =
    "mutation($e:String!,$s:RoleScopeInput!){ grantRole(email:$e, scope:$s){ id } }";

/// Shows that nothing more arrives: one more delivery pass here, and every message due (or held
/// by any worker) delivered. The clock stands still, so no other message can become due: a count
/// taken next is final, not merely early.
async fn settle(app: &TestApp) {
    app.deliver_mail().await;
}

fn sent(rows: &[outbox::Model]) -> usize {
    rows.iter()
        .filter(|r| r.state == staffbank_notify::State::Sent)
        .count()
}

fn message_ids(messages: &[Received]) -> HashSet<String> {
    messages
        .iter()
        .map(|m| m.header("Message-ID").expect("a Message-ID"))
        .collect()
}

/// Enqueues `n` messages (to `{prefix}{i}@bulk.test`) in one transaction, so that they all become
/// due at the same moment.
async fn enqueue_many(app: &TestApp, n: usize, prefix: &str) {
    let clock = app.clock.clone();
    let prefix = prefix.to_owned();
    db::write(app.db(), move |tx| {
        let (clock, prefix) = (clock.clone(), prefix.clone());
        Box::pin(async move {
            for i in 0..n {
                let to = Email::parse(&format!("{prefix}{i}@bulk.test")).unwrap();
                let m = Message::from_paragraphs(
                    "test.bulk",
                    to,
                    format!("Message {i}"),
                    &[format!("This is message {i}.")],
                );
                enqueue(&*tx, clock.as_ref(), &m, None).await?;
            }
            Ok::<_, staffbank_notify::Error>(())
        })
    })
    .await
    .unwrap();
}

async fn a_new_account_gets_one_welcome_email_over_smtp(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let trust = bank.trusts[0];
    app.ok(
        Some(&bank.admin_token),
        CREATE,
        json!({ "i": { "email": "Sam.ONeil@A.test", "displayName": "Sam <b>O'Neil</b>", "password": PASSWORD,
                       "scope": { "role": "BANK_OFFICE", "trustId": trust } } }),
    )
    .await;

    let got = app.mail.wait_for_messages(1, WAIT).await;
    let m = &got[0];
    assert_eq!(m.rcpt_to, ["sam.oneil@a.test"]);
    assert_eq!(m.mail_from, "no-reply@staffbank.example");
    assert_eq!(m.header("To").as_deref(), Some("sam.oneil@a.test"));
    assert_eq!(
        m.header("From").as_deref(),
        Some("staffbank <no-reply@staffbank.example>")
    );
    assert_eq!(
        m.header("Subject").as_deref(),
        Some("Your staffbank account")
    );
    assert!(
        m.header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative"),
        "{}",
        m.data
    );
    let rows = app
        .wait_for_outbox("the welcome email marked sent", |r| sent(r) == 1)
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, "account.created");
    assert_eq!(rows[0].attempts, 1);
    assert!(rows[0].sent_at.is_some());
    assert_eq!(
        m.header("Message-ID"),
        Some(format!("<{}@staffbank>", rows[0].id))
    );

    // Both parts say who, what role and where; the HTML escapes the name; no password anywhere.
    let text = m.part("text/plain");
    let html = m.part("text/html");
    assert!(text.contains("Dear Sam <b>O'Neil</b>,"), "{text}");
    assert!(
        html.contains("Dear Sam &lt;b&gt;O&#39;Neil&lt;/b&gt;,"),
        "{html}"
    );
    assert!(!html.contains("<b>"), "{html}");
    for body in [&text, &html] {
        assert!(body.contains("bank office at Trust 0"), "{body}");
        assert!(body.contains("sam.oneil@a.test"), "{body}");
    }
    assert!(!m.data.contains(PASSWORD));
    assert!(!text.contains(PASSWORD) && !html.contains(PASSWORD));

    // A new role is announced to its holder, once.
    app.ok(
        Some(&bank.admin_token),
        GRANT,
        json!({ "e": "sam.oneil@a.test", "s": { "role": "HR", "trustId": trust } }),
    )
    .await;
    let got = app.mail.wait_for_messages(2, WAIT).await;
    let m = &got[1];
    assert_eq!(m.rcpt_to, ["sam.oneil@a.test"]);
    assert_eq!(
        m.header("Subject").as_deref(),
        Some("You have a new role on staffbank")
    );
    assert!(
        m.part("text/plain")
            .contains("HR and compliance at Trust 0")
    );

    settle(&app).await;
    assert_eq!(app.mail.messages().len(), 2, "each email exactly once");
    assert_eq!(message_ids(&app.mail.messages()).len(), 2);
    assert_eq!(sent(&app.outbox().await), 2);
}

async fn refused_mail_is_retried_with_backoff_and_sent_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    app.mail.refuse(true);
    fixtures::staff(&app, &bank, "hr@a.test", "HR", bank.trusts[0]).await;

    // The first attempt is refused: the message waits 30 s, with the reason kept.
    let rows = app
        .wait_for_outbox("a first, refused attempt recorded", |r| {
            r.len() == 1 && r[0].attempts == 1
        })
        .await;
    let row = &rows[0];
    assert_eq!(row.state, staffbank_notify::State::Pending);
    assert!(row.claimed_until.is_none(), "the claim is given up");
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("451"),
        "{row:?}"
    );
    assert_eq!(
        row.next_attempt_at,
        app.clock.now() + chrono::Duration::seconds(30)
    );
    assert_eq!(app.mail.refused(), 1);

    // Nothing is tried again before then.
    settle(&app).await;
    assert_eq!(app.mail.refused(), 1);
    assert_eq!(app.outbox().await[0].attempts, 1);

    // Refused again: the wait doubles.
    app.clock.advance(chrono::Duration::seconds(31));
    let rows = app
        .wait_for_outbox("a second, refused attempt recorded", |r| r[0].attempts == 2)
        .await;
    assert_eq!(
        rows[0].next_attempt_at,
        app.clock.now() + chrono::Duration::seconds(60)
    );
    assert_eq!(app.mail.refused(), 2);
    assert!(app.mail.messages().is_empty());

    // The relay accepts again: delivered once, when due.
    app.mail.refuse(false);
    app.clock.advance(chrono::Duration::seconds(61));
    let got = app.mail.wait_for_messages(1, WAIT).await;
    assert_eq!(got[0].rcpt_to, ["hr@a.test"]);
    let rows = app
        .wait_for_outbox("the message marked sent", |r| sent(r) == 1)
        .await;
    assert_eq!(rows[0].attempts, 3);
    assert!(
        rows[0].last_error.is_some(),
        "the last error stays for operators"
    );
    settle(&app).await;
    assert_eq!(app.mail.messages().len(), 1);
}

async fn a_restart_between_enqueue_and_delivery_loses_nothing(backend: Backend) {
    let mut app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| c.mail.deliver = false,
            ..TestOptions::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 1).await;
    fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", bank.trusts[0]).await;

    // Enqueued with the account, not delivered: this server does not deliver.
    let rows = app.outbox().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, staffbank_notify::State::Pending);
    assert_eq!(rows[0].attempts, 0);
    assert!(!app.delivers_mail(), "no delivery worker in this server");
    assert!(app.mail.messages().is_empty());

    // Stopped before delivery, started again with delivery on: sent, once.
    app.stop().await;
    app.config.mail.deliver = true;
    app.start().await;
    let got = app.mail.wait_for_messages(1, WAIT).await;
    assert_eq!(got[0].rcpt_to, ["office@a.test"]);
    assert_eq!(
        got[0].header("Message-ID"),
        Some(format!("<{}@staffbank>", rows[0].id))
    );
    app.wait_for_outbox("the message marked sent", |r| sent(r) == 1)
        .await;
    settle(&app).await;
    assert_eq!(app.mail.messages().len(), 1);
}

async fn stopping_finishes_the_message_in_hand_and_gives_back_the_rest(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    app.mail.set_delay(Duration::from_millis(300));
    enqueue_many(&app, 3, "slow").await;
    app.mail
        .wait_until("a message in transmission", WAIT, |s| s.data_started() >= 1)
        .await;

    // Stop while the relay is still answering: the message in hand is finished and recorded.
    app.stop().await;
    let delivered = app.mail.messages().len();
    assert!(delivered >= 1, "the message in hand was finished");

    app.config.mail.deliver = false;
    app.start().await;
    let rows = app.outbox().await;
    assert_eq!(sent(&rows), delivered, "what was sent is recorded as sent");
    for r in rows
        .iter()
        .filter(|r| r.state == staffbank_notify::State::Pending)
    {
        assert!(
            r.claimed_until.is_none(),
            "unsent claims are given back: {r:?}"
        );
        assert_eq!(r.attempts, 0);
    }

    // The next server sends the rest, and nothing twice.
    app.stop().await;
    app.config.mail.deliver = true;
    app.start().await;
    app.mail.set_delay(Duration::ZERO);
    let got = app.mail.wait_for_messages(3, WAIT).await;
    assert_eq!(message_ids(&got).len(), 3);
    app.wait_for_outbox("all marked sent", |r| sent(r) == 3)
        .await;
    settle(&app).await;
    assert_eq!(app.mail.messages().len(), 3);
}

async fn two_servers_deliver_each_message_exactly_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let replica = app.replica().await;
    // A slow relay keeps each worker busy with its batch while the other claims.
    app.mail.set_delay(Duration::from_millis(10));
    for i in 0..3 {
        fixtures::staff(
            &app,
            &bank,
            &format!("staff{i}@a.test"),
            "HR",
            bank.trusts[0],
        )
        .await;
    }
    enqueue_many(&app, 30, "bulk").await;

    let got = app.mail.wait_for_messages(33, WAIT).await;
    let rows = app
        .wait_for_outbox("all 33 marked sent", |r| sent(r) == 33)
        .await;
    settle(&app).await;
    let got_after = app.mail.messages();
    assert_eq!(got_after.len(), 33, "no message twice");
    assert_eq!(message_ids(&got_after).len(), 33);
    let recipients: HashSet<String> = got.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    assert_eq!(recipients.len(), 33);
    assert!(rows.iter().all(|r| r.attempts == 1), "{rows:#?}");

    let mut by_worker: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *by_worker
            .entry(r.claimed_by.clone().unwrap_or_default())
            .or_default() += 1;
    }
    eprintln!("messages sent by each worker: {by_worker:?}");
    replica.stop().await.unwrap();
}

async fn claims_are_exclusive_and_a_dead_workers_lease_runs_out(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| c.mail.deliver = false,
            ..TestOptions::default()
        },
    )
    .await;
    enqueue_many(&app, 15, "claim").await;
    let transport = Arc::new(app.config.mail_transport().unwrap());
    let clock: SharedClock = app.clock.clone();
    let worker = || Worker::new(app.db().clone(), clock.clone(), transport.clone());
    let (w1, w2) = (worker(), worker());

    // Two workers claiming at the same moment never get the same message.
    let (a, b) = tokio::join!(w1.claim(), w2.claim());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 15);
    let ids_a: HashSet<_> = a.iter().map(|r| r.id).collect();
    assert!(b.iter().all(|r| !ids_a.contains(&r.id)));
    assert!(a.iter().all(|r| r.claimed_by.as_deref() == Some(w1.id())));
    assert!(b.iter().all(|r| r.claimed_by.as_deref() == Some(w2.id())));
    // While their leases run, nobody else gets them.
    assert!(worker().claim().await.unwrap().is_empty());
    assert!(app.mail.messages().is_empty());

    // Both "die" holding their messages; once the lease runs out, another worker sends them all.
    app.clock
        .advance(Policy::default().lease + chrono::Duration::seconds(1));
    let w3 = worker();
    let mut total = 0;
    loop {
        let n = w3.deliver_due().await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert_eq!(total, 15);
    let got = app.mail.wait_for_messages(15, WAIT).await;
    assert_eq!(message_ids(&got).len(), 15);
    let rows = app.outbox().await;
    assert_eq!(sent(&rows), 15);
    assert!(
        rows.iter()
            .all(|r| r.claimed_by.as_deref() == Some(w3.id()))
    );
}

async fn a_message_is_given_up_after_the_most_attempts(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| c.mail.deliver = false,
            ..TestOptions::default()
        },
    )
    .await;
    app.mail.refuse(true);
    enqueue_many(&app, 1, "doomed").await;
    let policy = Policy {
        max_attempts: 3,
        ..Policy::default()
    };
    let worker = Worker::new(
        app.db().clone(),
        app.clock.clone(),
        Arc::new(app.config.mail_transport().unwrap()),
    )
    .with_policy(policy.clone());
    for attempt in 1..=3 {
        assert_eq!(worker.deliver_due().await.unwrap(), 0);
        let row = &app.outbox().await[0];
        assert_eq!(row.attempts, attempt);
        if attempt < 3 {
            assert_eq!(row.state, staffbank_notify::State::Pending);
            app.clock.advance(policy.backoff(attempt));
        } else {
            assert_eq!(row.state, staffbank_notify::State::Failed);
            assert!(row.last_error.as_deref().unwrap().contains("451"));
        }
    }
    // Given up: not tried again, however long one waits.
    app.clock.advance(chrono::Duration::days(7));
    app.mail.refuse(false);
    assert_eq!(worker.deliver_due().await.unwrap(), 0);
    assert_eq!(app.mail.refused(), 3);
    assert!(app.mail.messages().is_empty());
}

async fn the_mailbox_transport_writes_one_eml_file_per_message(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| c.mail.transport = MailTransport::Mailbox,
            ..TestOptions::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 1).await;
    for email in ["one@a.test", "two@a.test"] {
        fixtures::staff(&app, &bank, email, "BANK_OFFICE", bank.trusts[0]).await;
    }
    let rows = app
        .wait_for_outbox("both marked sent", |r| sent(r) == 2)
        .await;
    settle(&app).await;

    let dir = app.config.mailbox_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = rows.iter().map(|r| format!("{}.eml", r.id)).collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "one file per message, no temporary files left"
    );

    for row in &rows {
        let data = std::fs::read_to_string(dir.join(format!("{}.eml", row.id))).unwrap();
        let eml = Received {
            mail_from: String::new(),
            rcpt_to: Vec::new(),
            data,
        };
        assert_eq!(eml.header("To").as_deref(), Some(row.recipient.as_str()));
        assert_eq!(
            eml.header("Message-ID"),
            Some(format!("<{}@staffbank>", row.id))
        );
        assert!(
            eml.header("Content-Type")
                .unwrap()
                .starts_with("multipart/alternative")
        );
        assert!(eml.part("text/plain").contains("bank office at Trust 0"));
        assert!(eml.part("text/html").contains("<p>"));
    }
    assert!(app.mail.messages().is_empty(), "nothing went over SMTP");
}

async fn a_failed_change_enqueues_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);
    let hr = fixtures::staff(&app, &bank, "taken@a.test", "HR", a).await;
    assert_eq!(app.outbox().await.len(), 1);

    let attempts = [
        // The email is taken.
        (
            CREATE,
            json!({ "i": { "email": "taken@a.test", "displayName": "Again", "password": PASSWORD,
                           "scope": { "role": "HR", "trustId": b } } }),
            Some(bank.admin_token.as_str()),
            "CONFLICT",
        ),
        // The role is held already.
        (
            GRANT,
            json!({ "e": "taken@a.test", "s": { "role": "HR", "trustId": a } }),
            Some(bank.admin_token.as_str()),
            "CONFLICT",
        ),
        // No such account.
        (
            GRANT,
            json!({ "e": "nobody@a.test", "s": { "role": "HR", "trustId": a } }),
            Some(bank.admin_token.as_str()),
            "NOT_FOUND",
        ),
        // Not allowed.
        (
            CREATE,
            json!({ "i": { "email": "new@a.test", "displayName": "New", "password": PASSWORD,
                           "scope": { "role": "HR", "trustId": a } } }),
            Some(hr.as_str()),
            "FORBIDDEN",
        ),
    ];
    for (query, vars, token, code) in attempts {
        let v = app.gql(token, query, vars).await;
        assert_eq!(error_code(&v), code, "{v}");
    }
    assert_eq!(app.outbox().await.len(), 1, "no email for a failed change");

    // A message enqueued in a transaction that then fails is rolled back with it.
    let clock = app.clock.clone();
    let failed = db::write(app.db(), move |tx| {
        let clock = clock.clone();
        Box::pin(async move {
            let to = Email::parse("ghost@a.test").unwrap();
            let m = Message::from_paragraphs("test.ghost", to, "Never sent", &["Boo."]);
            assert!(enqueue(&*tx, clock.as_ref(), &m, None).await?);
            Err::<(), _>(staffbank_notify::Error::InvalidMessage(
                "the change failed after the message was enqueued".into(),
            ))
        })
    })
    .await;
    assert!(failed.is_err());
    assert_eq!(app.outbox().await.len(), 1);

    let got = app.mail.wait_for_messages(1, WAIT).await;
    assert_eq!(got[0].rcpt_to, ["taken@a.test"]);
    settle(&app).await;
    assert_eq!(app.mail.messages().len(), 1);
}

async fn the_same_logical_message_is_enqueued_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let enqueue_reminder = || {
        let clock = app.clock.clone();
        db::write(app.db(), move |tx| {
            let clock = clock.clone();
            Box::pin(async move {
                let to = Email::parse("worker@a.test").unwrap();
                let m = Message::from_paragraphs(
                    "credential.expiring",
                    to,
                    "Your DBS check expires in 30 days",
                    &["Please renew it."],
                );
                enqueue(&*tx, clock.as_ref(), &m, Some("credential-expiry:42:30d")).await
            })
        })
    };
    assert!(enqueue_reminder().await.unwrap(), "first time: enqueued");
    assert!(!enqueue_reminder().await.unwrap(), "again: a no-op");
    app.mail.wait_for_messages(1, WAIT).await;
    app.wait_for_outbox("sent", |r| sent(r) == 1).await;
    // Still a no-op once sent, and a blank key is refused.
    assert!(!enqueue_reminder().await.unwrap());
    let clock = app.clock.clone();
    let blank = db::write(app.db(), move |tx| {
        let clock = clock.clone();
        Box::pin(async move {
            let to = Email::parse("worker@a.test").unwrap();
            let m = Message::from_paragraphs("x", to, "Subject", &["Body."]);
            enqueue(&*tx, clock.as_ref(), &m, Some("  ")).await
        })
    })
    .await;
    assert!(matches!(
        blank,
        Err(staffbank_notify::Error::InvalidMessage(_))
    ));

    settle(&app).await;
    assert_eq!(app.outbox().await.len(), 1);
    assert_eq!(app.mail.messages().len(), 1);
}
