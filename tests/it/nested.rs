//! `#[derive(Attribute)]`: nested structs, newtypes and unit enums through a
//! live table, typed paths into them with `then`, decode errors with their
//! full path, generic types and `with` modules.

use std::collections::{BTreeMap, HashMap};

use crate::common::Fixture;
use proptest::collection::{btree_map, hash_map, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use resourceful::{FromAttribute, Item, KeyAttributeDef, ScalarType, ToAttribute};

/// The third level: `Order` → `Address` → `Geo`.
#[derive(Attribute, Debug, Clone, PartialEq)]
struct Geo {
    lat: i32,
    lon: i32,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(rename_all = "camelCase")]
struct Address {
    street: String,
    city: String,
    postal_code: Option<String>,
    geo: Option<Geo>,
}

#[derive(Attribute, Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Sku(String);

#[derive(Attribute, Debug, Clone, PartialEq)]
struct Line {
    sku: Sku,
    qty: u32,
    #[resource(rename = "unitPrice")]
    price_cents: i64,
    options: BTreeMap<String, String>,
    #[resource(skip)]
    cached: Option<u64>,
    #[resource(default)]
    discount: u32,
}

#[derive(Attribute, Debug, Clone, Copy, PartialEq, Eq)]
#[resource(rename_all = "snake_case")]
enum Status {
    Pending,
    Shipped,
    OutForDelivery,
    #[resource(rename = "done")]
    Delivered,
}

#[derive(Attribute, Debug, Clone, PartialEq, Eq, Hash)]
struct OrderId(String);

/// A generic type: `T: ToAttribute` / `FromAttribute` are inferred.
#[derive(Attribute, Debug, Clone, PartialEq)]
struct Tagged<T> {
    value: T,
    labels: Vec<String>,
}

/// Money stored as a decimal string (`"12.34"`) through `with`.
mod as_decimal {
    use resourceful::aws_sdk_dynamodb::types::AttributeValue;
    use resourceful::value::DecodeError;

    pub(crate) fn to_attribute(cents: &u64) -> AttributeValue {
        AttributeValue::S(format!("{}.{:02}", cents / 100, cents % 100))
    }

    pub(crate) fn from_attribute(value: AttributeValue) -> Result<u64, DecodeError> {
        let text = match value {
            AttributeValue::S(text) => text,
            other => return Err(DecodeError::mismatch::<u64>("S", &other)),
        };
        let invalid = || DecodeError::invalid::<u64>(format!("{text:?} is not an amount"));
        let (units, cents) = text.split_once('.').ok_or_else(invalid)?;
        let units: u64 = units.parse().map_err(|_| invalid())?;
        let cents: u64 = cents.parse().map_err(|_| invalid())?;
        Ok(units * 100 + cents)
    }
}

/// A newtype variant of an internally tagged enum holds a struct, whose
/// attributes sit beside the tag.
#[derive(Attribute, Debug, Clone, PartialEq)]
struct InvoiceRef {
    number: String,
    due_days: Option<u16>,
}

/// Internally tagged: `{"type": "Card", "last4": …}`.
#[derive(Attribute, Debug, Clone, PartialEq)]
enum Payment {
    Card {
        last4: String,
        #[resource(rename = "exp")]
        expiry: [u16; 2],
        billing: Option<Address>,
    },
    Invoice(InvoiceRef),
    Cash,
}

/// Adjacently tagged: `{"kind": "refund", "data": …}`.
#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(tag = "kind", content = "data", rename_all = "snake_case")]
enum Adjustment {
    Refund(u64),
    Note(String, Vec<Line>),
    Credit { amount: i64, lines: Vec<Line> },
    Waived,
}

/// Stored at the top level of the order.
#[derive(Attribute, Debug, Clone, PartialEq)]
struct Audit {
    created_by: String,
    #[resource(flatten)]
    origin: Origin,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(tag = "channel")]
enum Origin {
    Web { session: String },
    Shop { store: u32 },
}

#[resource(service = "dynamodb", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    id: OrderId,
    status: Status,
    address: Address,
    billing: Option<Address>,
    lines: Vec<Line>,
    gifts: HashMap<String, Line>,
    #[resource(with = "as_decimal")]
    total: u64,
    meta: Option<Tagged<u32>>,
    payments: Vec<Payment>,
    adjustments: BTreeMap<String, Option<Adjustment>>,
    #[resource(flatten)]
    audit: Audit,
}

fn line(sku: &str, qty: u32) -> Line {
    Line {
        sku: Sku(sku.to_owned()),
        qty,
        price_cents: 250,
        options: BTreeMap::from([("colour".to_owned(), "red".to_owned())]),
        cached: None,
        discount: 0,
    }
}

fn order(id: &str) -> Order {
    Order {
        id: OrderId(id.to_owned()),
        status: Status::OutForDelivery,
        address: Address {
            street: "1 Rue de Rivoli".to_owned(),
            city: "Paris".to_owned(),
            postal_code: Some("75001".to_owned()),
            geo: Some(Geo { lat: 48, lon: 2 }),
        },
        billing: None,
        lines: vec![line("pen", 2), line("ink", 1), line("pad", 5)],
        gifts: HashMap::new(),
        total: 1234,
        meta: Some(Tagged {
            value: 7,
            labels: vec!["vip".to_owned()],
        }),
        payments: vec![
            Payment::Cash,
            Payment::Card {
                last4: "4242".to_owned(),
                expiry: [12, 2030],
                billing: Some(Address {
                    street: "3 Quai".to_owned(),
                    city: "Nice".to_owned(),
                    postal_code: None,
                    geo: Some(Geo { lat: 43, lon: 7 }),
                }),
            },
            Payment::Invoice(InvoiceRef {
                number: "INV-1".to_owned(),
                due_days: Some(30),
            }),
        ],
        adjustments: BTreeMap::from([
            ("a".to_owned(), Some(Adjustment::Refund(100))),
            (
                "b".to_owned(),
                Some(Adjustment::Note("late".to_owned(), vec![line("pen", 1)])),
            ),
            (
                "c".to_owned(),
                Some(Adjustment::Credit {
                    amount: -5,
                    lines: vec![line("ink", 2)],
                }),
            ),
            ("d".to_owned(), Some(Adjustment::Waived)),
            ("e".to_owned(), None),
        ]),
        audit: Audit {
            created_by: "ops".to_owned(),
            origin: Origin::Shop { store: 12 },
        },
    }
}

#[test]
fn shapes_are_stored_as_documented() {
    let item = order("o1").to_item();
    // A newtype is its inner value; a unit enum the (renamed) variant name.
    assert_eq!(item["id"], AttributeValue::S("o1".to_owned()));
    assert_eq!(
        item["status"],
        AttributeValue::S("out_for_delivery".to_owned())
    );
    assert_eq!(
        Status::Delivered.to_attribute(),
        AttributeValue::S("done".to_owned())
    );
    assert_eq!(item["total"], AttributeValue::S("12.34".to_owned()));
    // A struct is a map of its stored fields, renamed; `None` is NULL
    // inside it, a skipped field is not there.
    let AttributeValue::M(address) = &item["address"] else {
        panic!("address: {:?}", item["address"]);
    };
    let mut names: Vec<&str> = address.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["city", "geo", "postalCode", "street"]);
    let AttributeValue::L(lines) = &item["lines"] else {
        panic!("lines: {:?}", item["lines"]);
    };
    let AttributeValue::M(first) = &lines[0] else {
        panic!("line: {:?}", lines[0]);
    };
    assert_eq!(first["unitPrice"], AttributeValue::N("250".to_owned()));
    assert!(!first.contains_key("cached"));
    assert!(!item.contains_key("billing"));
    // The key type of a newtype is its inner type's.
    assert_eq!(
        Order::KEY_SCHEMA.partition,
        KeyAttributeDef {
            name: "id",
            key_type: ScalarType::S
        }
    );
}

fn decode_error(item: Item) -> String {
    Order::from_item(item).unwrap_err().to_string()
}

fn edit(item: &mut Item, path: &[&str], index: Option<usize>, value: AttributeValue) {
    let mut current = item.get_mut(path[0]).unwrap();
    if let Some(i) = index {
        let AttributeValue::L(list) = current else {
            panic!()
        };
        current = &mut list[i];
    }
    for name in &path[1..] {
        let AttributeValue::M(map) = current else {
            panic!()
        };
        current = map.get_mut(*name).unwrap();
    }
    *current = value;
}

#[test]
fn decode_errors_name_the_full_path() {
    let base = order("o1").to_item();

    let mut item = base.clone();
    edit(
        &mut item,
        &["lines", "qty"],
        Some(2),
        AttributeValue::S("two".into()),
    );
    assert_eq!(
        decode_error(item),
        "attribute `lines[2].qty`: expected N for `u32`, found S"
    );

    let mut item = base.clone();
    edit(
        &mut item,
        &["address", "geo", "lat"],
        None,
        AttributeValue::Bool(true),
    );
    assert_eq!(
        decode_error(item),
        "attribute `address.geo.lat`: expected N for `i32`, found BOOL"
    );

    let mut item = base.clone();
    let AttributeValue::M(address) = item.get_mut("address").unwrap() else {
        panic!()
    };
    address.remove("city");
    assert_eq!(
        decode_error(item),
        "attribute `address.city` is missing (expected S)"
    );

    let mut item = base.clone();
    edit(
        &mut item,
        &["lines", "sku"],
        Some(1),
        AttributeValue::N("1".into()),
    );
    assert_eq!(
        decode_error(item),
        "attribute `lines[1].sku`: expected S for `String`, found N"
    );

    let mut item = base.clone();
    item.insert("status".into(), AttributeValue::S("lost".into()));
    let message = decode_error(item);
    assert!(
        message.starts_with("attribute `status`: cannot read `"),
        "{message}"
    );
    assert!(
        message.ends_with(
            "Status`: unknown variant \"lost\"; expected one of \"pending\", \"shipped\", \"out_for_delivery\", \"done\""
        ),
        "{message}"
    );

    let mut item = base.clone();
    item.insert("address".into(), AttributeValue::S("Paris".into()));
    let message = decode_error(item);
    assert!(
        message.starts_with("attribute `address`: expected M for `"),
        "{message}"
    );

    let mut item = base.clone();
    item.insert("total".into(), AttributeValue::S("a lot".into()));
    assert_eq!(
        decode_error(item),
        "attribute `total`: cannot read `u64`: \"a lot\" is not an amount"
    );

    let mut item = base.clone();
    item.remove("total");
    assert_eq!(
        decode_error(item),
        "attribute `total` is missing (expected a value)"
    );

    // A `default` field inside a struct reads a missing attribute as its default.
    let mut item = base;
    let AttributeValue::L(lines) = item.get_mut("lines").unwrap() else {
        panic!()
    };
    let AttributeValue::M(first) = &mut lines[0] else {
        panic!()
    };
    first.remove("discount");
    assert_eq!(Order::from_item(item).unwrap(), order("o1"));
}

/// A derived struct reads its map in one pass, in whatever order the map
/// lists its attributes; the first error is still that of the first field
/// in declaration order, and attributes it does not know are ignored.
#[test]
fn decoding_does_not_depend_on_the_order_of_the_map() {
    let mut item = match line("pen", 2).to_attribute() {
        AttributeValue::M(item) => item,
        other => panic!("{other:?}"),
    };
    item.insert("colour".into(), AttributeValue::S("red".into()));
    item.insert("notes".into(), AttributeValue::Bool(true));
    // Each map collected anew has hash keys of its own, so its own order.
    let shuffled = |item: &Item| -> AttributeValue {
        AttributeValue::M(item.clone().into_iter().collect::<Item>())
    };
    for _ in 0..32 {
        assert_eq!(
            Line::from_attribute(shuffled(&item)).unwrap(),
            line("pen", 2)
        );
    }

    let mut bad = item.clone();
    bad.insert("sku".into(), AttributeValue::N("1".into()));
    bad.insert("unitPrice".into(), AttributeValue::S("cheap".into()));
    bad.remove("qty");
    let mut bad_later = bad.clone();
    bad_later.insert("qty".into(), AttributeValue::N("2".into()));
    bad_later.insert("sku".into(), AttributeValue::S("pen".into()));
    for _ in 0..32 {
        assert_eq!(
            Line::from_attribute(shuffled(&bad))
                .unwrap_err()
                .to_string(),
            "attribute `sku`: expected S for `String`, found N"
        );
        assert_eq!(
            Line::from_attribute(shuffled(&bad_later))
                .unwrap_err()
                .to_string(),
            "attribute `unitPrice`: expected N for `i64`, found S"
        );
    }
    let mut missing = item.clone();
    missing.remove("qty");
    missing.insert("unitPrice".into(), AttributeValue::S("cheap".into()));
    assert_eq!(
        Line::from_attribute(AttributeValue::M(missing))
            .unwrap_err()
            .to_string(),
        "attribute `qty` is missing (expected N)"
    );
}

#[test]
fn then_renders_nested_paths() {
    let (text, names, _) = Order::ADDRESS
        .then(Address::GEO)
        .then(Geo::LAT)
        .gt(40)
        .to_expression();
    assert_eq!(text, "#0.#1.#2 > :0");
    assert_eq!(
        [&names["#0"], &names["#1"], &names["#2"]],
        ["address", "geo", "lat"]
    );
    let (text, names, _) = Order::LINES
        .at(3)
        .then(Line::PRICE_CENTS)
        .eq(1)
        .to_expression();
    assert_eq!(text, "#0[3].#1 = :0");
    assert_eq!(names["#1"], "unitPrice");
    let (text, _, _) = Order::BILLING
        .then(Address::POSTAL_CODE)
        .exists()
        .to_expression();
    assert_eq!(text, "attribute_exists(#0.#1)");
    let (text, _, _) = Order::META.then(Tagged::<u32>::VALUE).eq(3).to_expression();
    assert_eq!(text, "#0.#1 = :0");
}

#[tokio::test]
async fn then_paths_in_conditions_and_updates() {
    let fx = Fixture::<Order>::new("nested-then").await;
    let orders = &fx.table;
    orders.put(&order("o1")).await.unwrap();

    // Conditions through nested structs, lists of them and newtype keys.
    let o = orders
        .update(OrderId("o1".into()))
        .set(Order::ADDRESS.then(Address::CITY), "Lyon")
        .set(Order::LINES.at(0).then(Line::QTY), 3)
        .add(Order::LINES.at(1).then(Line::QTY), 4)
        .set(Order::STATUS, Status::Shipped)
        .remove(Order::ADDRESS.then(Address::POSTAL_CODE))
        .condition(
            Order::ADDRESS.then(Address::CITY).eq("Paris")
                & Order::LINES.at(2).then(Line::SKU).eq(Sku("pad".into()))
                & Order::STATUS.eq(Status::OutForDelivery),
        )
        .await
        .unwrap();
    assert_eq!(o.address.city, "Lyon");
    assert_eq!(o.address.postal_code, None);
    assert_eq!(o.lines[0].qty, 3);
    assert_eq!(o.lines[1].qty, 5);
    assert_eq!(o.status, Status::Shipped);

    // A failing condition on a nested path writes nothing; a key by
    // reference works too.
    let id = OrderId("o1".into());
    let err = orders
        .update(&id)
        .set(Order::ADDRESS.then(Address::GEO).then(Geo::LAT), 0)
        .condition(Order::ADDRESS.then(Address::GEO).then(Geo::LON).gt(10))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err}");

    // Setting a whole nested struct, and a map entry holding one.
    let o = orders
        .update(OrderId("o1".into()))
        .set(
            Order::BILLING,
            Address {
                street: "2 Main St".into(),
                city: "Leeds".into(),
                postal_code: None,
                geo: None,
            },
        )
        .set(Order::GIFTS.field("card"), line("card", 1))
        .set(Order::TOTAL, AttributeValue::S("99.00".into()))
        .await
        .unwrap();
    assert_eq!(o.billing.unwrap().city, "Leeds");
    assert_eq!(o.gifts["card"], line("card", 1));
    assert_eq!(o.total, 9900);

    // Filters on nested paths.
    orders.put(&order("o2")).await.unwrap();
    let mut found: Vec<OrderId> = orders
        .scan()
        .filter(
            Order::LINES.at(0).then(Line::QTY).ge(3)
                & Order::GIFTS.field("card").then(Line::QTY).eq(1),
        )
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(found, [OrderId("o1".into())]);
    fx.cleanup().await;
}

/// Newtypes and unit enums as keys of the table and of an index.
#[resource(
    service = "dynamodb",
    key = "customer",
    sort_key = "seq",
    index(name = "by_status", key = "status", sort_key = "seq")
)]
#[derive(Debug, Clone, PartialEq)]
struct Shipment {
    customer: OrderId,
    seq: Seq,
    status: Status,
}

#[derive(Attribute, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Seq(u64);

#[tokio::test]
async fn newtypes_and_enums_as_keys() {
    assert_eq!(Shipment::KEY_SCHEMA.sort.unwrap().key_type, ScalarType::N);
    let fx = Fixture::<Shipment>::new("nested-keys").await;
    let shipments = &fx.table;
    let customer = OrderId("c1".into());
    for (n, status) in [
        (1, Status::Pending),
        (2, Status::Shipped),
        (3, Status::Shipped),
        (4, Status::Delivered),
    ] {
        shipments
            .put(&Shipment {
                customer: customer.clone(),
                seq: Seq(n),
                status,
            })
            .await
            .unwrap();
    }
    let got = shipments
        .get((customer.clone(), Seq(2)))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.status, Status::Shipped);
    let middle: Vec<Seq> = shipments
        .query(&customer)
        .sort(Shipment::SEQ.between(Seq(2), Seq(3)))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.seq)
        .collect();
    assert_eq!(middle, [Seq(2), Seq(3)]);
    let shipped: Vec<Seq> = shipments
        .index(Shipment::BY_STATUS)
        .query(Status::Shipped)
        .sort(Shipment::SEQ.gt(Seq(2)))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.seq)
        .collect();
    assert_eq!(shipped, [Seq(3)]);
    fx.cleanup().await;
}

#[test]
fn newtype_of_an_option_is_absent_like_its_field() {
    #[derive(Attribute, Debug, PartialEq)]
    struct Nick(Option<String>);
    assert!(Nick(None).is_absent());
    assert_eq!(
        Nick::from_attribute(AttributeValue::Null(true)),
        Ok(Nick(None))
    );
    assert_eq!(<Nick as FromAttribute>::EXPECTED, "S");
}

// ---- property: the whole model round trips, in memory and through a table ----

fn address() -> impl Strategy<Value = Address> {
    (
        any::<String>(),
        any::<String>(),
        proptest::option::of(any::<String>()),
        proptest::option::of((any::<i32>(), any::<i32>()).prop_map(|(lat, lon)| Geo { lat, lon })),
    )
        .prop_map(|(street, city, postal_code, geo)| Address {
            street,
            city,
            postal_code,
            geo,
        })
}

fn line_strategy() -> impl Strategy<Value = Line> {
    (
        any::<String>(),
        any::<u32>(),
        any::<i64>(),
        btree_map("\\PC{1,6}", any::<String>(), 0..3),
        any::<u32>(),
    )
        .prop_map(|(sku, qty, price_cents, options, discount)| Line {
            sku: Sku(sku),
            qty,
            price_cents,
            options,
            cached: None,
            discount,
        })
}

fn payment_strategy() -> impl Strategy<Value = Payment> {
    prop_oneof![
        Just(Payment::Cash),
        (
            "[0-9]{4}",
            any::<[u16; 2]>(),
            proptest::option::of(address())
        )
            .prop_map(|(last4, expiry, billing)| Payment::Card {
                last4,
                expiry,
                billing
            }),
        (any::<String>(), any::<Option<u16>>())
            .prop_map(|(number, due_days)| Payment::Invoice(InvoiceRef { number, due_days })),
    ]
}

fn adjustment_strategy() -> impl Strategy<Value = Adjustment> {
    prop_oneof![
        Just(Adjustment::Waived),
        any::<u64>().prop_map(Adjustment::Refund),
        (any::<String>(), vec(line_strategy(), 0..2)).prop_map(|(s, l)| Adjustment::Note(s, l)),
        (any::<i64>(), vec(line_strategy(), 0..2))
            .prop_map(|(amount, lines)| Adjustment::Credit { amount, lines }),
    ]
}

fn audit_strategy() -> impl Strategy<Value = Audit> {
    let origin = prop_oneof![
        any::<String>().prop_map(|session| Origin::Web { session }),
        any::<u32>().prop_map(|store| Origin::Shop { store }),
    ];
    (any::<String>(), origin).prop_map(|(created_by, origin)| Audit { created_by, origin })
}

fn order_strategy() -> impl Strategy<Value = Order> {
    let status = prop_oneof![
        Just(Status::Pending),
        Just(Status::Shipped),
        Just(Status::OutForDelivery),
        Just(Status::Delivered),
    ];
    (
        "[a-z0-9]{1,12}",
        status,
        address(),
        proptest::option::of(address()),
        vec(line_strategy(), 0..4),
        hash_map("\\PC{1,6}", line_strategy(), 0..3),
        0u64..u64::MAX / 2,
        proptest::option::of(
            (any::<u32>(), vec(any::<String>(), 0..3))
                .prop_map(|(value, labels)| Tagged { value, labels }),
        ),
        vec(payment_strategy(), 0..4),
        btree_map(
            "\\PC{1,6}",
            proptest::option::of(adjustment_strategy()),
            0..4,
        ),
        audit_strategy(),
    )
        .prop_map(
            |(
                id,
                status,
                address,
                billing,
                lines,
                gifts,
                total,
                meta,
                payments,
                adjustments,
                audit,
            )| {
                Order {
                    id: OrderId(id),
                    status,
                    address,
                    billing,
                    lines,
                    gifts,
                    total,
                    meta,
                    payments,
                    adjustments,
                    audit,
                }
            },
        )
}

proptest! {
    #[test]
    fn orders_round_trip_in_memory(order in order_strategy()) {
        prop_assert_eq!(Order::from_item(order.to_item()), Ok(order));
    }
}

#[test]
fn orders_round_trip_through_the_table() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fx = runtime.block_on(Fixture::<Order>::new("nested-prop"));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&order_strategy(), |order| {
        runtime.block_on(async {
            fx.table
                .put(&order)
                .await
                .map_err(|e| TestCaseError::fail(format!("put: {e}")))?;
            let back = fx
                .table
                .get(&order.id)
                .consistent()
                .await
                .map_err(|e| TestCaseError::fail(format!("get: {e}")))?;
            prop_assert_eq!(back, Some(order));
            Ok(())
        })
    });
    runtime.block_on(fx.cleanup());
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn handles_of_flattened_structs_are_re_rooted() {
    let (text, names, _) = Audit::CREATED_BY
        .flattened::<Order>()
        .eq("ops")
        .to_expression();
    assert_eq!(text, "#0 = :0");
    assert_eq!(names["#0"], "created_by");
}

#[test]
fn enums_with_data_and_flatten_are_stored_as_documented() {
    let item = order("o1").to_item();
    // Flattened: the audit's attributes, and its flattened enum's tag and
    // fields, sit at the top level.
    assert_eq!(item["created_by"], AttributeValue::S("ops".into()));
    assert_eq!(item["channel"], AttributeValue::S("Shop".into()));
    assert_eq!(item["store"], AttributeValue::N("12".into()));
    assert!(!item.contains_key("audit") && !item.contains_key("origin"));
    assert!(Order::ATTRIBUTES.contains(&"created_by"));
    assert!(Order::ATTRIBUTES.contains(&"session"));

    let AttributeValue::L(payments) = &item["payments"] else {
        panic!("{:?}", item["payments"]);
    };
    let map = |value: &AttributeValue| match value {
        AttributeValue::M(map) => map.clone(),
        other => panic!("{other:?}"),
    };
    // A unit variant is just the tag; a struct variant's fields are beside
    // it; a newtype variant's struct writes its attributes there too.
    assert_eq!(
        map(&payments[0]),
        Item::from([("type".into(), AttributeValue::S("Cash".into()))])
    );
    let card = map(&payments[1]);
    assert_eq!(card["type"], AttributeValue::S("Card".into()));
    assert_eq!(card["last4"], AttributeValue::S("4242".into()));
    assert!(card.contains_key("exp"));
    let invoice = map(&payments[2]);
    assert_eq!(invoice["type"], AttributeValue::S("Invoice".into()));
    assert_eq!(invoice["number"], AttributeValue::S("INV-1".into()));

    // Adjacently tagged: the data under `content`, a tuple as a list.
    let AttributeValue::M(adjustments) = &item["adjustments"] else {
        panic!()
    };
    let refund = map(&adjustments["a"]);
    assert_eq!(refund["kind"], AttributeValue::S("refund".into()));
    assert_eq!(refund["data"], AttributeValue::N("100".into()));
    let note = map(&adjustments["b"]);
    assert!(matches!(&note["data"], AttributeValue::L(l) if l.len() == 2));
    assert_eq!(
        map(&adjustments["d"]),
        Item::from([("kind".into(), AttributeValue::S("waived".into()))])
    );
}

#[test]
fn enum_decode_errors_name_the_full_path() {
    let base = order("o1").to_item();
    let payment = |item: &mut Item, i: usize| -> Item {
        let AttributeValue::L(list) = item.get_mut("payments").unwrap() else {
            panic!()
        };
        let AttributeValue::M(map) = &mut list[i] else {
            panic!()
        };
        map.clone()
    };
    let replace = |item: &mut Item, i: usize, map: Item| {
        let AttributeValue::L(list) = item.get_mut("payments").unwrap() else {
            panic!()
        };
        list[i] = AttributeValue::M(map);
    };

    // Deep inside a struct variant, three levels down.
    let mut item = base.clone();
    edit(
        &mut item,
        &["payments", "billing", "geo", "lat"],
        Some(1),
        AttributeValue::S("north".into()),
    );
    assert_eq!(
        decode_error(item),
        "attribute `payments[1].billing.geo.lat`: expected N for `i32`, found S"
    );

    // Unknown and missing tags.
    let mut item = base.clone();
    let mut card = payment(&mut item, 1);
    card.insert("type".into(), AttributeValue::S("Cheque".into()));
    replace(&mut item, 1, card.clone());
    let message = decode_error(item.clone());
    assert!(
        message.starts_with("attribute `payments[1].type`: cannot read `"),
        "{message}"
    );
    assert!(
        message.ends_with(
            "unknown variant \"Cheque\"; expected one of \"Card\", \"Invoice\", \"Cash\""
        ),
        "{message}"
    );
    card.remove("type");
    replace(&mut item, 1, card);
    assert_eq!(
        decode_error(item),
        "attribute `payments[1].type` is missing (expected S)"
    );

    // A newtype variant's struct, beside the tag.
    let mut item = base.clone();
    edit(
        &mut item,
        &["payments", "due_days"],
        Some(2),
        AttributeValue::N("70000".into()),
    );
    let message = decode_error(item);
    assert!(
        message.starts_with("attribute `payments[2].due_days`: cannot read `"),
        "{message}"
    );

    // Adjacently tagged: through the content attribute and a tuple's list.
    let mut item = base.clone();
    edit(
        &mut item,
        &["adjustments", "c", "data", "amount"],
        None,
        AttributeValue::Bool(true),
    );
    assert_eq!(
        decode_error(item),
        "attribute `adjustments.c.data.amount`: expected N for `i64`, found BOOL"
    );
    let mut item = base.clone();
    let AttributeValue::M(adjustments) = item.get_mut("adjustments").unwrap() else {
        panic!()
    };
    let AttributeValue::M(note) = adjustments.get_mut("b").unwrap() else {
        panic!()
    };
    let AttributeValue::L(fields) = note.get_mut("data").unwrap() else {
        panic!()
    };
    fields[0] = AttributeValue::N("1".into());
    assert_eq!(
        decode_error(item),
        "attribute `adjustments.b.data[0]`: expected S for `String`, found N"
    );

    // Flattened: the attributes are at the top level, and so are the paths.
    let mut item = base;
    item.insert("store".into(), AttributeValue::S("twelve".into()));
    assert_eq!(
        decode_error(item.clone()),
        "attribute `store`: expected N for `u32`, found S"
    );
    item.remove("channel");
    assert_eq!(
        decode_error(item),
        "attribute `channel` is missing (expected S)"
    );
}

// ---- property: arbitrary attribute values never panic a decode ----

/// Any attribute value: scalars (numbers that are not numbers included),
/// sets, and lists and maps nested a few levels, with keys that are often
/// the model's own attribute names.
fn any_value() -> impl Strategy<Value = AttributeValue> {
    let name = prop_oneof![
        3 => prop::sample::select(vec![
            "id", "status", "address", "street", "city", "postalCode", "geo", "lat", "lon",
            "lines", "sku", "qty", "price_cents", "options", "discount", "type", "kind",
            "data", "last4", "expiry", "billing", "number", "due_days", "created_by", "origin",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ];
    let leaf = prop_oneof![
        any::<String>().prop_map(AttributeValue::S),
        prop_oneof![
            any::<i64>().prop_map(|n| n.to_string()),
            "-?[0-9]{1,40}(\\.[0-9]{1,5})?(E-?[0-9]{1,3})?",
            "\\PC{0,8}",
        ]
        .prop_map(AttributeValue::N),
        vec(any::<u8>(), 0..8).prop_map(|b| AttributeValue::B(b.into())),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null(true)),
        vec(any::<String>(), 0..3).prop_map(AttributeValue::Ss),
        vec("-?[0-9]{1,6}", 0..3).prop_map(AttributeValue::Ns),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(AttributeValue::L),
            hash_map(name.clone(), inner, 0..6).prop_map(AttributeValue::M),
        ]
    })
}

/// What every decode must do with any input: return, not panic; and a
/// value it accepts must encode to an item that decodes to the same value.
fn decodes_or_names_a_path(item: Item) -> Result<(), TestCaseError> {
    match Order::from_item(item) {
        Ok(order) => prop_assert_eq!(Order::from_item(order.to_item()), Ok(order)),
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Arbitrary maps: almost always refused, at any depth.
    #[test]
    fn arbitrary_items_never_panic_a_decode(value in any_value()) {
        let item = match value {
            AttributeValue::M(map) => map,
            other => [("id".to_owned(), other)].into_iter().collect(),
        };
        decodes_or_names_a_path(item)?;
    }

    /// Valid orders with one value replaced, somewhere inside: the decode
    /// refuses it with the path of that value, or accepts what is still an
    /// order.
    #[test]
    fn orders_with_one_value_replaced_never_panic_a_decode(
        order in order_strategy(),
        pick in any::<prop::sample::Index>(),
        with in any_value(),
    ) {
        let mut item = order.to_item();
        // The values of the item, depth first, as paths of map keys and
        // list positions; replace the one `pick` chooses.
        fn paths(value: &AttributeValue, at: Vec<String>, out: &mut Vec<Vec<String>>) {
            out.push(at.clone());
            match value {
                AttributeValue::M(map) => {
                    for (k, v) in map {
                        let mut next = at.clone();
                        next.push(k.clone());
                        paths(v, next, out);
                    }
                }
                AttributeValue::L(list) => {
                    for (i, v) in list.iter().enumerate() {
                        let mut next = at.clone();
                        next.push(i.to_string());
                        paths(v, next, out);
                    }
                }
                _ => {}
            }
        }
        fn slot<'a>(value: &'a mut AttributeValue, path: &[String]) -> &'a mut AttributeValue {
            match (path.split_first(), value) {
                (None, value) => value,
                (Some((k, rest)), AttributeValue::M(map)) => slot(map.get_mut(k).unwrap(), rest),
                (Some((i, rest)), AttributeValue::L(list)) => {
                    slot(&mut list[i.parse::<usize>().unwrap()], rest)
                }
                _ => unreachable!("paths only lead into maps and lists"),
            }
        }
        let mut root = AttributeValue::M(std::mem::take(&mut item));
        let mut all = Vec::new();
        paths(&root, Vec::new(), &mut all);
        all.remove(0); // the item itself
        prop_assume!(!all.is_empty());
        let path = pick.get(&all).clone();
        *slot(&mut root, &path) = with;
        let AttributeValue::M(item) = root else { unreachable!() };
        let decoded = Order::from_item(item.clone());
        if let Err(e) = &decoded {
            // The error names where it is: the replaced value's top-level
            // attribute at least.
            prop_assert!(e.to_string().contains(path[0].as_str()), "{e} for {path:?}");
        }
        decodes_or_names_a_path(item)?;
    }
}
