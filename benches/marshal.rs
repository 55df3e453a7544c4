//! Marshalling to and from the SDK's attribute maps: a realistic 12-field
//! item, and an order with a nested address and 10 line items (then how the
//! order's cost grows with 1 to 1,000 lines). `resourceful` against
//! hand-written code and `serde_dynamo`, in one process, reported as ratios
//! to the hand-written baseline.
//!
//! ```sh
//! cargo bench --bench marshal
//! ```
//!
//! With `count OPERATION IMPLEMENTATION CALLS [LINES]` after `--` (say
//! `count order-from resourceful 2000`), it makes only those calls (on an
//! order of `LINES` line items, 10 by default), each through `measured`,
//! for an instruction counter that the machine's load does not disturb:
//!
//! ```sh
//! valgrind --tool=callgrind --toggle-collect='marshal::measured*' \
//!     target/release/deps/marshal-* count order-from resourceful 2000
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

/// An order as the issue describes it: a nested address, a list of line
/// items and a status enum.
#[resource(service = "dynamodb", table = "orders", key = "id")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    id: String,
    customer: String,
    status: Status,
    address: Address,
    lines: Vec<Line>,
    total_cents: i64,
    placed_at: u64,
    note: Option<String>,
}

#[derive(Attribute, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Address {
    street: String,
    city: String,
    postal_code: String,
    country: String,
}

#[derive(Attribute, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Line {
    sku: String,
    name: String,
    qty: u32,
    unit_price_cents: i64,
}

#[derive(Attribute, Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Status {
    Pending,
    Paid,
    Shipped,
}

fn order(lines: usize) -> Order {
    let lines: Vec<Line> = (0..lines)
        .map(|i| Line {
            sku: format!("sku-{i:05}"),
            name: format!("Widget, size {i}"),
            qty: 1 + i as u32 % 7,
            unit_price_cents: 199 + 100 * i as i64,
        })
        .collect();
    Order {
        id: "order-0001-5f3c2a".into(),
        customer: "alice.liddell@example.com".into(),
        status: Status::Paid,
        address: Address {
            street: "1 Rabbit Hole".into(),
            city: "Oxford".into(),
            postal_code: "OX1 3QD".into(),
            country: "GB".into(),
        },
        total_cents: lines
            .iter()
            .map(|l| l.unit_price_cents * i64::from(l.qty))
            .sum(),
        lines,
        placed_at: 1_700_000_000,
        note: Some("leave at the door".into()),
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

/// The order by hand, in the same style.
mod hand_order {
    use super::*;

    fn address(a: &Address) -> AttributeValue {
        let mut m = HashMap::with_capacity(4);
        m.insert("street".to_owned(), AttributeValue::S(a.street.clone()));
        m.insert("city".to_owned(), AttributeValue::S(a.city.clone()));
        m.insert(
            "postal_code".to_owned(),
            AttributeValue::S(a.postal_code.clone()),
        );
        m.insert("country".to_owned(), AttributeValue::S(a.country.clone()));
        AttributeValue::M(m)
    }

    fn line(l: &Line) -> AttributeValue {
        let mut m = HashMap::with_capacity(4);
        m.insert("sku".to_owned(), AttributeValue::S(l.sku.clone()));
        m.insert("name".to_owned(), AttributeValue::S(l.name.clone()));
        m.insert("qty".to_owned(), AttributeValue::N(l.qty.to_string()));
        m.insert(
            "unit_price_cents".to_owned(),
            AttributeValue::N(l.unit_price_cents.to_string()),
        );
        AttributeValue::M(m)
    }

    pub(crate) fn to_item(o: &Order) -> HashMap<String, AttributeValue> {
        let mut item = HashMap::with_capacity(8);
        item.insert("id".to_owned(), AttributeValue::S(o.id.clone()));
        item.insert("customer".to_owned(), AttributeValue::S(o.customer.clone()));
        let status = match o.status {
            Status::Pending => "Pending",
            Status::Paid => "Paid",
            Status::Shipped => "Shipped",
        };
        item.insert("status".to_owned(), AttributeValue::S(status.to_owned()));
        item.insert("address".to_owned(), address(&o.address));
        item.insert(
            "lines".to_owned(),
            AttributeValue::L(o.lines.iter().map(line).collect()),
        );
        item.insert(
            "total_cents".to_owned(),
            AttributeValue::N(o.total_cents.to_string()),
        );
        item.insert(
            "placed_at".to_owned(),
            AttributeValue::N(o.placed_at.to_string()),
        );
        if let Some(note) = &o.note {
            item.insert("note".to_owned(), AttributeValue::S(note.clone()));
        }
        item
    }

    fn s(m: &mut HashMap<String, AttributeValue>, k: &str) -> Option<String> {
        match m.remove(k)? {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }

    fn n<T: std::str::FromStr>(m: &mut HashMap<String, AttributeValue>, k: &str) -> Option<T> {
        match m.remove(k)? {
            AttributeValue::N(n) => n.parse().ok(),
            _ => None,
        }
    }

    fn map(value: AttributeValue) -> Option<HashMap<String, AttributeValue>> {
        match value {
            AttributeValue::M(m) => Some(m),
            _ => None,
        }
    }

    fn from_line(value: AttributeValue) -> Option<Line> {
        let mut m = map(value)?;
        Some(Line {
            sku: s(&mut m, "sku")?,
            name: s(&mut m, "name")?,
            qty: n(&mut m, "qty")?,
            unit_price_cents: n(&mut m, "unit_price_cents")?,
        })
    }

    pub(crate) fn from_item(mut item: HashMap<String, AttributeValue>) -> Option<Order> {
        let mut a = map(item.remove("address")?)?;
        Some(Order {
            id: s(&mut item, "id")?,
            customer: s(&mut item, "customer")?,
            status: match s(&mut item, "status")?.as_str() {
                "Pending" => Status::Pending,
                "Paid" => Status::Paid,
                "Shipped" => Status::Shipped,
                _ => return None,
            },
            address: Address {
                street: s(&mut a, "street")?,
                city: s(&mut a, "city")?,
                postal_code: s(&mut a, "postal_code")?,
                country: s(&mut a, "country")?,
            },
            lines: match item.remove("lines")? {
                AttributeValue::L(l) => l.into_iter().map(from_line).collect::<Option<_>>()?,
                _ => return None,
            },
            total_cents: n(&mut item, "total_cents")?,
            placed_at: n(&mut item, "placed_at")?,
            note: s(&mut item, "note"),
        })
    }
}

/// One implementation under test: its name and a call on one input.
type Candidate<'a, I> = (&'static str, &'a mut dyn FnMut(I));

/// The median time per call of each candidate over `ROUNDS` rounds of
/// `calls` calls. The candidates take turns within each round, so a change
/// in the machine's load affects them alike. The inputs (clones of an item,
/// for `from_item`) are made untimed, a few at a time so that they are still
/// in the cache when they are read, as a response just received is: only
/// the calls and dropping their results are timed.
fn compare<I>(
    calls: usize,
    input: impl Fn() -> I,
    candidates: &mut [Candidate<'_, I>],
) -> Vec<(&'static str, Duration)> {
    const ROUNDS: usize = 15;
    const BATCH: usize = 8;
    // `BENCH_CALLS` overrides the number of calls (benches/run's tiny run).
    let calls = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(calls);
    let mut times = vec![Vec::with_capacity(ROUNDS); candidates.len()];
    let mut inputs = Vec::with_capacity(BATCH);
    // Round 0 warms the caches and the allocator up and is not counted.
    for round in 0..=ROUNDS {
        for (i, (_, f)) in candidates.iter_mut().enumerate() {
            let mut elapsed = Duration::ZERO;
            let mut left = calls;
            while left > 0 {
                let n = left.min(BATCH);
                left -= n;
                inputs.extend((0..n).map(|_| input()));
                let start = Instant::now();
                for input in inputs.drain(..) {
                    f(black_box(input));
                }
                elapsed += start.elapsed();
            }
            if round > 0 {
                times[i].push(elapsed / calls as u32);
            }
        }
    }
    candidates
        .iter()
        .zip(times)
        .map(|((name, _), mut rounds)| {
            rounds.sort();
            (*name, rounds[ROUNDS / 2])
        })
        .collect()
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
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let [count, operation, implementation, calls, lines @ ..] = &args[..] {
        if count == "count" {
            let calls = calls.parse().expect("a number of calls");
            let lines = lines
                .first()
                .map_or(10, |l| l.parse().expect("a number of lines"));
            return counted(operation, implementation, calls, lines);
        }
    }
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
        &compare(
            20_000,
            || (),
            &mut [
                ("hand-written", &mut |()| {
                    drop(black_box(hand::to_item(black_box(&value))))
                }),
                ("resourceful", &mut |()| {
                    drop(black_box(black_box(&value).to_item()))
                }),
                ("serde_dynamo", &mut |()| {
                    let item: HashMap<String, AttributeValue> =
                        serde_dynamo::to_item(black_box(&value)).unwrap();
                    drop(black_box(item))
                }),
            ],
        ),
    );
    report(
        "from_item (12 fields)",
        &compare(
            20_000,
            || item.clone(),
            &mut [
                ("hand-written", &mut |item| {
                    drop(black_box(hand::from_item(item)))
                }),
                ("resourceful", &mut |item| {
                    drop(black_box(User::from_item(item)))
                }),
                ("serde_dynamo", &mut |item| {
                    drop(black_box(serde_dynamo::from_item::<_, User>(item)))
                }),
            ],
        ),
    );

    let ten = orders(&order(10), 5_000);
    report("to_item (order, 10 line items)", &ten[0]);
    report("from_item (order, 10 line items)", &ten[1]);

    #[cfg(feature = "serde")]
    serde_codec(&order(10));

    println!("\nhow the cost of an order grows with its line items");
    println!("  lines | to_item ns per line: hand / resourceful / serde_dynamo | from_item ns per line: same");
    for lines in [1, 10, 100, 1_000] {
        let [to, from] = orders(&order(lines), (50_000 / (lines + 10)).max(100));
        let per_line = |results: &[(&str, Duration)]| {
            results
                .iter()
                .map(|(_, d)| format!("{:>6.0}", d.as_nanos() as f64 / lines as f64))
                .collect::<Vec<_>>()
                .join(" /")
        };
        println!("  {lines:>5} | {} | {}", per_line(&to), per_line(&from));
    }
}

/// `to_item` and `from_item` of an order, by the three implementations.
fn orders(value: &Order, calls: usize) -> [Vec<(&'static str, Duration)>; 2] {
    let item = value.to_item();
    // The three agree on the item, so they do the same work.
    assert_eq!(hand_order::to_item(value), item);
    assert_eq!(hand_order::from_item(item.clone()).as_ref(), Some(value));
    assert_eq!(&Order::from_item(item.clone()).unwrap(), value);
    let serde_item: HashMap<String, AttributeValue> = serde_dynamo::to_item(value).unwrap();
    assert_eq!(serde_item, item);
    assert_eq!(
        &serde_dynamo::from_item::<_, Order>(item.clone()).unwrap(),
        value
    );

    let to = compare(
        calls,
        || (),
        &mut [
            ("hand-written", &mut |()| {
                drop(black_box(hand_order::to_item(black_box(value))))
            }),
            ("resourceful", &mut |()| {
                drop(black_box(black_box(value).to_item()))
            }),
            ("serde_dynamo", &mut |()| {
                let item: HashMap<String, AttributeValue> =
                    serde_dynamo::to_item(black_box(value)).unwrap();
                drop(black_box(item))
            }),
        ],
    );
    let from = compare(
        calls,
        || item.clone(),
        &mut [
            ("hand-written", &mut |item| {
                drop(black_box(hand_order::from_item(item)))
            }),
            ("resourceful", &mut |item| {
                drop(black_box(Order::from_item(item)))
            }),
            ("serde_dynamo", &mut |item| {
                drop(black_box(serde_dynamo::from_item::<_, Order>(item)))
            }),
        ],
    );
    [to, from]
}

/// With `--features serde`: the order through this crate's serde codec (a
/// `#[resource(serde)]` field's), against the derived code and
/// `serde_dynamo`, both serde-driven, on the same item.
#[cfg(feature = "serde")]
fn serde_codec(value: &Order) {
    use resourceful::value::serde::{from_attribute, to_attribute};

    let item = value.to_item();
    let AttributeValue::M(serde_item) = to_attribute(value) else {
        unreachable!("a struct is a map")
    };
    assert_eq!(serde_item, item);
    assert_eq!(
        &from_attribute::<Order>(AttributeValue::M(item.clone())).unwrap(),
        value
    );

    let to = compare(
        5_000,
        || (),
        &mut [
            ("derived", &mut |()| {
                drop(black_box(black_box(value).to_item()))
            }),
            ("serde codec", &mut |()| {
                drop(black_box(to_attribute(black_box(value))))
            }),
            ("serde_dynamo", &mut |()| {
                let item: HashMap<String, AttributeValue> =
                    serde_dynamo::to_item(black_box(value)).unwrap();
                drop(black_box(item))
            }),
        ],
    );
    let from = compare(
        5_000,
        || item.clone(),
        &mut [
            ("derived", &mut |item| {
                drop(black_box(Order::from_item(item)))
            }),
            ("serde codec", &mut |item| {
                drop(black_box(from_attribute::<Order>(AttributeValue::M(item))))
            }),
            ("serde_dynamo", &mut |item| {
                drop(black_box(serde_dynamo::from_item::<_, Order>(item)))
            }),
        ],
    );
    let relative = |operation: &str, results: &[(&str, Duration)]| {
        let baseline = results[0].1.as_secs_f64();
        println!("\n{operation}, through serde (ratios to the derived code)");
        for (name, time) in results {
            println!(
                "  {name:<14} {:>8.0} ns   {:>5.2}x derived",
                time.as_nanos() as f64,
                time.as_secs_f64() / baseline
            );
        }
    };
    relative("to_item (order, 10 line items)", &to);
    relative("from_item (order, 10 line items)", &from);
}

/// One call, kept out of line so that an instruction counter can count
/// only the calls (`--toggle-collect='marshal::measured*'`).
#[inline(never)]
fn measured<I>(f: &mut dyn FnMut(I), input: I) {
    f(input)
}

/// `calls` calls of one implementation of one operation (on an order of
/// `lines` line items), for `count`.
fn counted(operation: &str, implementation: &str, calls: usize, lines: usize) {
    let (user, order) = (user(), order(lines));
    let (user_item, order_item) = (user.to_item(), order.to_item());
    let mut to_user: Box<dyn FnMut(())> = match implementation {
        "hand-written" => Box::new(|()| drop(black_box(hand::to_item(black_box(&user))))),
        "resourceful" => Box::new(|()| drop(black_box(black_box(&user).to_item()))),
        "serde_dynamo" => Box::new(|()| {
            let item: HashMap<String, AttributeValue> =
                serde_dynamo::to_item(black_box(&user)).unwrap();
            drop(black_box(item))
        }),
        _ => panic!("implementations: hand-written, resourceful, serde_dynamo"),
    };
    let mut to_order: Box<dyn FnMut(())> = match implementation {
        "hand-written" => Box::new(|()| drop(black_box(hand_order::to_item(black_box(&order))))),
        "resourceful" => Box::new(|()| drop(black_box(black_box(&order).to_item()))),
        "serde_dynamo" => Box::new(|()| {
            let item: HashMap<String, AttributeValue> =
                serde_dynamo::to_item(black_box(&order)).unwrap();
            drop(black_box(item))
        }),
        _ => panic!("implementations: hand-written, resourceful, serde_dynamo"),
    };
    let mut from_user: Box<dyn FnMut(HashMap<String, AttributeValue>)> = match implementation {
        "hand-written" => Box::new(|item| drop(black_box(hand::from_item(item)))),
        "resourceful" => Box::new(|item| drop(black_box(User::from_item(item)))),
        "serde_dynamo" => {
            Box::new(|item| drop(black_box(serde_dynamo::from_item::<_, User>(item))))
        }
        _ => panic!("implementations: hand-written, resourceful, serde_dynamo"),
    };
    let mut from_order: Box<dyn FnMut(HashMap<String, AttributeValue>)> = match implementation {
        "hand-written" => Box::new(|item| drop(black_box(hand_order::from_item(item)))),
        "resourceful" => Box::new(|item| drop(black_box(Order::from_item(item)))),
        "serde_dynamo" => {
            Box::new(|item| drop(black_box(serde_dynamo::from_item::<_, Order>(item))))
        }
        _ => panic!("implementations: hand-written, resourceful, serde_dynamo"),
    };
    for _ in 0..calls {
        match operation {
            "user-to" => measured(&mut to_user, ()),
            "order-to" => measured(&mut to_order, ()),
            "user-from" => measured(&mut from_user, user_item.clone()),
            "order-from" => measured(&mut from_order, order_item.clone()),
            _ => panic!("operations: user-to, user-from, order-to, order-from"),
        }
    }
}
