//! How `eligibleWorkers` ranks a shift's workers — worked the ward before, same trust, fewer hours
//! that week, reliability — and pages through them: the eligible-only list (ranked by the
//! database) and the list that includes the ineligible (ranked by the service) agree on every
//! score and on the order, page by page.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp};
use crate::market_fixtures::{
    self as mf, book, hca_shift, market, matches, monday, ni, post, ready_worker, start,
};
use crate::on_both_databases;

on_both_databases!(workers_rank_best_first_and_page_alike_both_ways);

fn booked(v: &Value) {
    assert!(v["errors"].is_null(), "{v}");
}

/// Every page of `first` workers, following the cursors: (worker, eligible, score) in order.
async fn walk(
    app: &TestApp,
    token: &str,
    shift: Uuid,
    all: bool,
    first: i64,
) -> Vec<(Uuid, bool, i64)> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..50 {
        let v = app
            .ok(
                Some(token),
                mf::ELIGIBLE,
                json!({"s": shift, "all": all, "first": first, "after": after}),
            )
            .await;
        let conn = &v["eligibleWorkers"];
        let edges = conn["edges"].as_array().unwrap();
        assert!(edges.len() <= usize::try_from(first).unwrap());
        for e in edges {
            out.push((
                e["node"]["worker"]["id"].as_str().unwrap().parse().unwrap(),
                e["node"]["eligible"].as_bool().unwrap(),
                e["node"]["score"].as_i64().unwrap(),
            ));
        }
        if conn["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    panic!("more pages than workers");
}

async fn workers_rank_best_first_and_page_alike_both_ways(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    let now = monday();
    let veteran = ready_worker(&app, &m, 0, "Veteran", 1).await;
    let fresh = ready_worker(&app, &m, 0, "Fresh", 2).await;
    let busy = ready_worker(&app, &m, 0, "Busy", 3).await;
    let unreliable = ready_worker(&app, &m, 0, "Unreliable", 4).await;
    let outsider = ready_worker(&app, &m, 1, "Outsider", 5).await;
    mf::recognise_through_passport(&app, outsider, b.id, a.id).await;
    // Registered at A but without checks: ranked like Fresh, never eligible.
    let unchecked = fixtures::worker(&app, &a.office, a.id, "Unchecked", "Ready", &ni(6)).await;

    // Today: Veteran works A's ward; Unreliable is booked there and does not turn up.
    let today = post(&app, &a.office, hca_shift(a, now + Duration::hours(1), 8)).await;
    booked(&book(&app, &a.office, today, Some(veteran), None).await);
    let also_today = post(&app, &a.office, hca_shift(a, now + Duration::hours(1), 8)).await;
    let v = book(&app, &a.office, also_today, Some(unreliable), None).await;
    booked(&v);
    let no_show_booking = v["data"]["bookShift"]["booking"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Duration::hours(10));
    app.ok(
        Some(&a.office),
        "mutation($b:UUID!){ recordNoShow(bookingId:$b){ state } }",
        json!({"b": no_show_booking}),
    )
    .await;
    // Next week: Busy has two 12-hour shifts (23 hours' work) before the shift ranked for.
    let next_monday = now + Duration::weeks(1) - Duration::hours(1);
    for day in 0..2 {
        let s = post(
            &app,
            &a.office,
            hca_shift(a, next_monday + Duration::days(day), 12),
        )
        .await;
        booked(&book(&app, &a.office, s, Some(busy), None).await);
    }
    let shift = post(
        &app,
        &a.office,
        hca_shift(a, next_monday + Duration::days(3), 8),
    )
    .await;

    // Scores out of 100: worked the ward 40, same trust 25, fewer hours that week 20 (scaled by
    // the hours left of 48), reliable 15 (less a third per strike, at three strikes allowed).
    let expected_scores = [
        (veteran, 100),
        (fresh, 60),
        (unreliable, 55),
        (busy, 50), // 25 + 20 × (48 h − 23 h) / 48 h = 10.42 + 15
        (outsider, 35),
    ];
    let eligible = matches(&app, &a.office, shift, false).await;
    let scores: Vec<(Uuid, i64)> = eligible
        .iter()
        .map(|(id, n)| (*id, n["score"].as_i64().unwrap()))
        .collect();
    assert_eq!(scores, expected_scores.to_vec(), "eligible, best first");
    score_parts_add_up(
        &app, &a.office, shift, veteran, fresh, unreliable, busy, outsider,
    )
    .await;

    let everyone = walk(&app, &a.office, shift, true, 2).await;
    let unchecked_row = everyone
        .iter()
        .find(|(w, _, _)| *w == unchecked)
        .copied()
        .unwrap();
    assert!(!unchecked_row.1, "not eligible without checks");
    assert_eq!(unchecked_row.2, 60, "ranked like Fresh");
    let fresh_at = everyone.iter().position(|(w, _, _)| *w == fresh).unwrap();
    let unchecked_at = everyone
        .iter()
        .position(|(w, _, _)| *w == unchecked)
        .unwrap();
    assert_eq!(
        fresh_at < unchecked_at,
        fresh < unchecked,
        "equal scores in id order"
    );
    let everyone_eligible: Vec<(Uuid, i64)> = everyone
        .iter()
        .filter(|(_, eligible, _)| *eligible)
        .map(|(w, _, s)| (*w, *s))
        .collect();
    assert_eq!(
        everyone_eligible, scores,
        "both lists rank alike, with the same scores"
    );
    // One at a time, the eligible-only list skips the unchecked worker between pages and ends.
    let one_by_one: Vec<(Uuid, i64)> = walk(&app, &a.office, shift, false, 1)
        .await
        .into_iter()
        .map(|(w, eligible, s)| {
            assert!(eligible);
            (w, s)
        })
        .collect();
    assert_eq!(one_by_one, scores);
    let two_by_two: Vec<(Uuid, i64)> = walk(&app, &a.office, shift, false, 2)
        .await
        .into_iter()
        .map(|(w, _, s)| (w, s))
        .collect();
    assert_eq!(two_by_two, scores);
}

const PARTS: &str = "query($s:UUID!,$all:Boolean!){ eligibleWorkers(shiftId:$s, includeIneligible:$all, first:50){ nodes { score worker { id } scoreParts { criterion points outOf } } } }";

/// Each score's parts, in both lists: what the worker's facts give under each criterion (the
/// domain's milli-points, to three places), heaviest first, adding up to the score.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per worker of the scenario"
)]
async fn score_parts_add_up(
    app: &TestApp,
    token: &str,
    shift: Uuid,
    veteran: Uuid,
    fresh: Uuid,
    unreliable: Uuid,
    busy: Uuid,
    outsider: Uuid,
) {
    let expected: [(Uuid, [&str; 4]); 5] = [
        (veteran, ["40", "25", "20", "15"]),
        (fresh, ["0", "25", "20", "15"]),
        (unreliable, ["0", "25", "20", "10"]), // one strike of the three allowed
        (busy, ["0", "25", "10.416", "15"]),   // 20 x 25 h / 48 h, in whole milli-points
        (outsider, ["0", "0", "20", "15"]),
    ];
    for all in [false, true] {
        let v = app
            .ok(Some(token), PARTS, json!({"s": shift, "all": all}))
            .await;
        let nodes = v["eligibleWorkers"]["nodes"].as_array().unwrap();
        for (worker, parts) in &expected {
            let node = nodes
                .iter()
                .find(|n| n["worker"]["id"] == json!(worker))
                .unwrap_or_else(|| panic!("{worker} listed (all: {all})"));
            let got: Vec<(String, String, i64)> = node["scoreParts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["criterion"].as_str().unwrap().to_owned(),
                        p["points"]
                            .as_str()
                            .map_or_else(|| p["points"].to_string(), str::to_owned),
                        p["outOf"].as_i64().unwrap(),
                    )
                })
                .collect();
            let want: Vec<(String, String, i64)> = [
                ("WORKED_WARD", 40),
                ("SAME_TRUST", 25),
                ("FEWER_HOURS", 20),
                ("RELIABILITY", 15),
            ]
            .iter()
            .zip(parts)
            .map(|((c, most), p)| ((*c).to_owned(), (*p).to_owned(), *most))
            .collect();
            assert_eq!(got, want, "parts of {worker} (all: {all})");
            let sum: f64 = got.iter().map(|(_, p, _)| p.parse::<f64>().unwrap()).sum();
            assert_eq!(
                sum.round() as i64,
                node["score"].as_i64().unwrap(),
                "the parts add up to the score"
            );
        }
    }
}
