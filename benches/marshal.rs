//! Marshalling a realistic 12-field item to and from the SDK's attribute
//! maps: `resourceful` against hand-written code and `serde_dynamo`, in one
//! process, reported as ratios to the hand-written baseline.
//!
//! ```sh
//! cargo bench --bench marshal
//! ```

use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use serde::{Deserialize, Serialize};

#[resource(service = "dynamodb", table = "users", key = "id")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct User {
    id: String,
    email: String,
    name: String,
    age: u32,
    balance_cents: i64,
    score: f64,
    active: bool,
    tags: BTreeSet<String>,
    nickname: Option<String>,
    address: HashMap<String, String>,
    scores: Vec<u32>,
    version: u64,
}

fn user() -> User {
    User {
        id: "user-0001-5f3c2a".into(),
        email: "alice.liddell@example.com".into(),
        name: "Alice Liddell".into(),
        age: 34,
        balance_cents: -125_075,
        score: 0.8125,
        active: true,
        tags: ["admin", "beta", "ops"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        nickname: Some("ally".into()),
        address: [
            ("street", "1 Rabbit Hole"),
            ("city", "Oxford"),
            ("zip", "OX1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        scores: vec![10, 20, 30, 40, 50],
        version: 7,
    }
}

/// What a careful user writes by hand against the SDK types.
mod hand {
    use super::*;

    pub(crate) fn to_item(u: &User) -> HashMap<String, AttributeValue> {
        let mut item = HashMap::with_capacity(12);
        item.insert("id".to_owned(), AttributeValue::S(u.id.clone()));
        item.insert("email".to_owned(), AttributeValue::S(u.email.clone()));
        item.insert("name".to_owned(), AttributeValue::S(u.name.clone()));
        item.insert("age".to_owned(), AttributeValue::N(u.age.to_string()));
        item.insert(
            "balance_cents".to_owned(),
            AttributeValue::N(u.balance_cents.to_string()),
        );
        item.insert("score".to_owned(), AttributeValue::N(u.score.to_string()));
        item.insert("active".to_owned(), AttributeValue::Bool(u.active));
        if !u.tags.is_empty() {
            item.insert(
                "tags".to_owned(),
                AttributeValue::Ss(u.tags.iter().cloned().collect()),
            );
        }
        if let Some(n) = &u.nickname {
            item.insert("nickname".to_owned(), AttributeValue::S(n.clone()));
        }
        item.insert(
            "address".to_owned(),
            AttributeValue::M(
                u.address
                    .iter()
                    .map(|(k, v)| (k.clone(), AttributeValue::S(v.clone())))
                    .collect(),
            ),
        );
        item.insert(
            "scores".to_owned(),
            AttributeValue::L(
                u.scores
                    .iter()
                    .map(|s| AttributeValue::N(s.to_string()))
                    .collect(),
            ),
        );
        item.insert(
            "version".to_owned(),
            AttributeValue::N(u.version.to_string()),
        );
        item
    }

    fn s(item: &mut HashMap<String, AttributeValue>, k: &str) -> Option<String> {
        match item.remove(k)? {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    fn n<T: std::str::FromStr>(item: &mut HashMap<String, AttributeValue>, k: &str) -> Option<T> {
        match item.remove(k)? {
            AttributeValue::N(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn from_item(mut item: HashMap<String, AttributeValue>) -> Option<User> {
        Some(User {
            id: s(&mut item, "id")?,
            email: s(&mut item, "email")?,
            name: s(&mut item, "name")?,
            age: n(&mut item, "age")?,
            balance_cents: n(&mut item, "balance_cents")?,
            score: n(&mut item, "score")?,
            active: match item.remove("active")? {
                AttributeValue::Bool(b) => b,
                _ => return None,
            },
            tags: match item.remove("tags") {
                Some(AttributeValue::Ss(v)) => v.into_iter().collect(),
                None => BTreeSet::new(),
                _ => return None,
            },
            nickname: s(&mut item, "nickname"),
            address: match item.remove("address")? {
                AttributeValue::M(m) => m
                    .into_iter()
                    .map(|(k, v)| match v {
                        AttributeValue::S(s) => Some((k, s)),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
                _ => return None,
            },
            scores: match item.remove("scores")? {
                AttributeValue::L(l) => l
                    .into_iter()
                    .map(|v| match v {
                        AttributeValue::N(n) => n.parse().ok(),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
                _ => return None,
            },
            version: n(&mut item, "version")?,
        })
    }
}

/// The median time per call of `f` over several rounds.
fn measure(mut f: impl FnMut()) -> Duration {
    const ROUNDS: usize = 15;
    const CALLS: u32 = 20_000;
    for _ in 0..CALLS {
        f();
    }
    let mut rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..CALLS {
                f();
            }
            start.elapsed() / CALLS
        })
        .collect();
    rounds.sort();
    rounds[ROUNDS / 2]
}

fn report(operation: &str, results: &[(&str, Duration)]) {
    let baseline = results[0].1.as_secs_f64();
    println!("\n{operation}");
    for (name, time) in results {
        println!(
            "  {name:<14} {:>8.0} ns   {:>5.2}x hand-written",
            time.as_nanos() as f64,
            time.as_secs_f64() / baseline
        );
    }
}

fn main() {
    let value = user();
    let item = value.to_item();
    // The three implementations agree on the value, so they do comparable work.
    assert_eq!(
        hand::from_item(hand::to_item(&value)).as_ref(),
        Some(&value)
    );
    assert_eq!(User::from_item(item.clone()).unwrap(), value);
    let serde_item: HashMap<String, AttributeValue> = serde_dynamo::to_item(&value).unwrap();
    assert_eq!(
        serde_dynamo::from_item::<_, User>(serde_item.clone()).unwrap(),
        value
    );

    report(
        "to_item (12 fields)",
        &[
            (
                "hand-written",
                measure(|| drop(black_box(hand::to_item(black_box(&value))))),
            ),
            (
                "resourceful",
                measure(|| drop(black_box(black_box(&value).to_item()))),
            ),
            (
                "serde_dynamo",
                measure(|| {
                    let item: HashMap<String, AttributeValue> =
                        serde_dynamo::to_item(black_box(&value)).unwrap();
                    drop(black_box(item))
                }),
            ),
        ],
    );
    report(
        "from_item (12 fields)",
        &[
            (
                "hand-written",
                measure(|| drop(black_box(hand::from_item(black_box(item.clone()))))),
            ),
            (
                "resourceful",
                measure(|| drop(black_box(User::from_item(black_box(item.clone()))))),
            ),
            (
                "serde_dynamo",
                measure(|| {
                    drop(black_box(serde_dynamo::from_item::<_, User>(black_box(
                        serde_item.clone(),
                    ))))
                }),
            ),
        ],
    );
    println!("\n(from_item times include cloning the input item, the same for all three)");
}
