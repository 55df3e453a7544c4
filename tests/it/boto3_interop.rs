//! Interoperability with Python's boto3 resource layer: items that
//! boto3's `Table.put_item` writes (`Decimal` numbers, sets, `Binary`, nested
//! dicts and lists) read back into the matching struct exactly, and items this
//! crate writes read back in boto3 as the expected Python values.
//!
//! The same holds for the types of `#[derive(Attribute)]`: structs as nested
//! dicts, lists of them as lists of dicts, unit enums as strings. With the
//! features `rust_decimal` and `uuid`, it holds both ways for `Decimal`
//! numbers and UUID strings, at the top level and inside those structs.
//! Enums with data are tagged dicts both ways, internally tagged (`type`
//! beside the fields) and adjacently tagged (`kind` and `data`), whether
//! derived or, with the feature `serde`, serde's own `#[serde(tag)]` enums
//! in `serde` fields. With the feature `chrono`, a `DateTime<Utc>` this
//! crate writes reads in Python as its ISO 8601 string, and the strings
//! Python's `datetime.isoformat()` writes, with any offset
//! (`2024-05-01T10:00:00+02:00`), read back as the same instants.
//!
//! The Python side is `tests/python/boto3_interop.py`, run with
//! `RESOURCEFUL_PYTHON` or else `.venv/bin/python`; `scripts/test` creates
//! that virtualenv with boto3.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::Fixture;
use resourceful::prelude::*;
use resourceful::Number;

#[resource(service = "dynamodb", table = "interop", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Everything {
    id: String,
    text: String,
    count: i32,
    big_signed: i64,
    big_unsigned: u64,
    huge: i128,
    ratio: f64,
    tiny: f64,
    precise: Number,
    price: Number,
    flag: bool,
    blob: Vec<u8>,
    tags: BTreeSet<String>,
    scores: HashSet<i64>,
    digests: BTreeSet<Vec<u8>>,
    names: Vec<String>,
    matrix: Vec<Vec<i64>>,
    labels: HashMap<String, String>,
    nested: HashMap<String, BTreeMap<String, Vec<i64>>>,
    history: Option<Vec<HashMap<String, i64>>>,
    middle_name: Option<String>,
    nickname: Option<String>,
    no_tags: BTreeSet<String>,
}

/// The fixture item; `expected()` in the Python helper is the same item as
/// boto3 sees it.
fn everything(id: &str) -> Everything {
    Everything {
        id: id.to_owned(),
        text: "héllo, wörld ✓ 🦀\n\t\"quoted\"".to_owned(),
        count: -42,
        big_signed: i64::MIN,
        big_unsigned: u64::MAX,
        huge: 99_999_999_999_999_999_999_999_999_999_999_999_999,
        ratio: 0.1,
        tiny: 1e-10,
        precise: "1234567890123456789.0123456789012345678".parse().unwrap(),
        price: "19.90".parse().unwrap(),
        flag: true,
        blob: vec![0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff],
        tags: ["blue", "green", "red"].map(String::from).into(),
        scores: HashSet::from([-1, 0, 42, i64::MAX]),
        digests: BTreeSet::from([vec![0x00], vec![0xde, 0xad, 0xbe, 0xef]]),
        names: ["ada", "grace", "ada"].map(String::from).into(),
        matrix: vec![vec![1, 2], vec![3], vec![]],
        labels: HashMap::from([
            ("env".to_owned(), "test".to_owned()),
            ("team".to_owned(), "storage".to_owned()),
        ]),
        nested: HashMap::from([
            (
                "a".to_owned(),
                BTreeMap::from([("x".to_owned(), vec![1, 2]), ("y".to_owned(), vec![])]),
            ),
            ("b".to_owned(), BTreeMap::new()),
        ]),
        history: Some(vec![
            HashMap::from([("at".to_owned(), 1_700_000_000), ("delta".to_owned(), -5)]),
            HashMap::new(),
        ]),
        middle_name: None,
        nickname: None,
        no_tags: BTreeSet::new(),
    }
}

/// The Python with boto3: `RESOURCEFUL_PYTHON`, else the repository's
/// `.venv`. Missing Python fails the test rather than skipping it, so a
/// broken setup cannot pass unnoticed.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("RESOURCEFUL_PYTHON") {
        let python = PathBuf::from(python);
        assert!(
            python.exists(),
            "RESOURCEFUL_PYTHON is {}, which does not exist",
            python.display()
        );
        return python;
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python with boto3 for the interop test: {} does not exist and \
         RESOURCEFUL_PYTHON is not set; run `scripts/test`, which creates the \
         virtualenv, or point RESOURCEFUL_PYTHON at a Python with boto3",
        venv.display()
    );
    venv
}

/// Runs the Python helper on the fixture's table and returns the JSON it
/// printed, failing the test with everything it printed if it did not succeed.
async fn boto3<T: Resource>(command: &str, fx: &Fixture<T>, id: &str) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/boto3_interop.py");
    let mut process = Command::new(python());
    process
        .arg(script)
        .args([command, fx.backend.endpoint(), fx.table.name(), id]);
    // Blocking on the process outside the runtime keeps an embedded server,
    // which runs on this runtime, answering boto3's requests.
    let output: Output = tokio::task::spawn_blocking(move || process.output())
        .await
        .unwrap()
        .expect("run the Python helper");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "boto3_interop.py {command} failed ({}):\n{stderr}{stdout}",
        output.status
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("boto3_interop.py printed {stdout:?}, not JSON: {e}"))
}

#[tokio::test]
async fn boto3_writes_what_the_struct_reads_exactly() {
    let fx = Fixture::<Everything>::new("interop-from-boto3").await;
    boto3("write", &fx, "from-boto3").await;

    let read = fx
        .table
        .get("from-boto3")
        .consistent()
        .await
        .unwrap()
        .expect("the item boto3 wrote");
    let want = everything("from-boto3");
    assert_eq!(read, want);
    // `PartialEq` on `Number` compares values; the text must also be exact,
    // with no digit lost or rounded away.
    assert_eq!(read.precise.as_str(), want.precise.as_str());
    assert_eq!(read.ratio.to_bits(), want.ratio.to_bits());
    fx.cleanup().await;
}

#[tokio::test]
async fn boto3_reads_what_the_struct_writes_as_python_values() {
    let fx = Fixture::<Everything>::new("interop-to-boto3").await;
    fx.table.put(&everything("from-rust")).await.unwrap();

    let result = boto3("read", &fx, "from-rust").await;
    assert_eq!(result["ok"], true, "{result}");
    assert_eq!(result["item"]["id"], "from-rust", "{result}");
    assert_eq!(
        result["item"]["precise"], "1234567890123456789.0123456789012345678",
        "{result}"
    );
    fx.cleanup().await;
}

/// The `order` fixture: derived structs, lists and maps of them, unit enums.
#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(rename_all = "camelCase")]
struct Address {
    street: String,
    city: String,
    postal_code: Option<String>,
    geo: Option<Geo>,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
struct Geo {
    lat: f64,
    lon: f64,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(rename_all = "camelCase")]
struct Line {
    sku: String,
    qty: u32,
    unit_price: Number,
    note: Option<String>,
    options: BTreeMap<String, String>,
    tags: BTreeSet<String>,
}

#[derive(Attribute, Debug, Clone, Copy, PartialEq)]
#[resource(rename_all = "snake_case")]
enum Status {
    Pending,
    OutForDelivery,
    #[resource(rename = "done")]
    Delivered,
}

#[resource(service = "dynamodb", table = "interop", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    id: String,
    status: Status,
    history: Vec<Status>,
    address: Address,
    billing: Option<Address>,
    lines: Vec<Line>,
    returned: Vec<Line>,
    by_warehouse: BTreeMap<String, Vec<Line>>,
}

fn pen() -> Line {
    Line {
        sku: "pen".to_owned(),
        qty: 2,
        unit_price: "1.20".parse().unwrap(),
        note: Some("blue ink".to_owned()),
        options: BTreeMap::from([("colour".to_owned(), "blue".to_owned())]),
        tags: BTreeSet::from(["gift".to_owned()]),
    }
}

/// `expected_order()` in the Python helper is the same item as boto3 sees it.
fn order(id: &str) -> Order {
    let notebook = Line {
        sku: "notebook".to_owned(),
        qty: 1,
        unit_price: "4.95".parse().unwrap(),
        note: None,
        options: BTreeMap::new(),
        tags: BTreeSet::new(),
    };
    Order {
        id: id.to_owned(),
        status: Status::OutForDelivery,
        history: vec![Status::Pending, Status::Delivered],
        address: Address {
            street: "1 Rue de Rivoli".to_owned(),
            city: "Paris".to_owned(),
            postal_code: Some("75001".to_owned()),
            geo: Some(Geo {
                lat: 48.8566,
                lon: -2.3522,
            }),
        },
        billing: None,
        lines: vec![pen(), notebook],
        returned: vec![],
        by_warehouse: BTreeMap::from([
            ("north".to_owned(), vec![pen()]),
            ("south".to_owned(), vec![]),
        ]),
    }
}

#[tokio::test]
async fn boto3_nested_dicts_and_lists_read_into_derived_types() {
    let fx = Fixture::<Order>::new("interop-order-from-boto3").await;
    boto3("write-order", &fx, "from-boto3").await;
    let read = fx
        .table
        .get("from-boto3")
        .consistent()
        .await
        .unwrap()
        .expect("the item boto3 wrote");
    assert_eq!(read, order("from-boto3"));
    fx.cleanup().await;
}

#[tokio::test]
async fn boto3_reads_derived_types_as_nested_dicts_and_lists() {
    let fx = Fixture::<Order>::new("interop-order-to-boto3").await;
    fx.table.put(&order("from-rust")).await.unwrap();
    let result = boto3("read-order", &fx, "from-rust").await;
    assert_eq!(result["ok"], true, "{result}");
    assert_eq!(result["item"]["status"], "out_for_delivery", "{result}");
    assert_eq!(result["item"]["address"]["postalCode"], "75001", "{result}");
    assert_eq!(result["item"]["lines"][1]["unitPrice"], "4.95", "{result}");
    fx.cleanup().await;
}

#[cfg(all(feature = "rust_decimal", feature = "uuid"))]
mod foreign {
    use std::collections::{BTreeMap, BTreeSet};

    use rust_decimal::Decimal;
    use uuid::Uuid;

    use super::*;

    #[resource(service = "dynamodb", table = "interop", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Foreign {
        id: String,
        price: Decimal,
        largest: Decimal,
        smallest: Decimal,
        precise: Decimal,
        amounts: Vec<Decimal>,
        rates: BTreeSet<Decimal>,
        #[resource(rename = "ref")]
        reference: Uuid,
        refs: BTreeSet<Uuid>,
        owners: BTreeMap<String, Uuid>,
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// `expected_foreign()` in the Python helper is the same item as boto3 sees it.
    fn foreign(id: &str) -> Foreign {
        Foreign {
            id: id.to_owned(),
            price: dec("19.99"),
            largest: Decimal::MAX,
            smallest: dec("-0.0000000000000000000000000001"),
            precise: dec("1234567890.123456789012345678"),
            amounts: vec![dec("0.1"), dec("-2.5"), dec("1000")],
            rates: BTreeSet::from([dec("0.05"), dec("0.2")]),
            reference: Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8),
            refs: BTreeSet::from([Uuid::nil(), Uuid::max()]),
            owners: BTreeMap::from([("ada".to_owned(), Uuid::from_u128(1))]),
        }
    }

    #[tokio::test]
    async fn boto3_decimals_and_uuid_strings_read_exactly() {
        let fx = Fixture::<Foreign>::new("interop-foreign-from-boto3").await;
        boto3("write-foreign", &fx, "from-boto3").await;
        let read = fx
            .table
            .get("from-boto3")
            .consistent()
            .await
            .unwrap()
            .expect("the item boto3 wrote");
        let want = foreign("from-boto3");
        assert_eq!(read, want);
        assert_eq!(read.precise.to_string(), "1234567890.123456789012345678");
        assert_eq!(read.smallest.to_string(), "-0.0000000000000000000000000001");
        fx.cleanup().await;
    }

    /// The `foreign-order` fixture: `Decimal` and `Uuid` inside derived
    /// structs and lists of them, and a `Uuid` key.
    #[derive(Attribute, Debug, Clone, PartialEq)]
    #[resource(rename_all = "camelCase")]
    struct PricedLine {
        product: Uuid,
        qty: u32,
        unit_price: Decimal,
        discounts: Vec<Decimal>,
    }

    #[derive(Attribute, Debug, Clone, PartialEq)]
    struct Customer {
        id: Uuid,
        name: String,
        credit: Option<Decimal>,
    }

    #[resource(service = "dynamodb", table = "interop", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct ForeignOrder {
        id: Uuid,
        status: Status,
        customer: Customer,
        lines: Vec<PricedLine>,
        total: Decimal,
    }

    const ORDER_ID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    /// `expected_foreign_order()` in the Python helper is the same item as
    /// boto3 sees it.
    fn foreign_order() -> ForeignOrder {
        ForeignOrder {
            id: ORDER_ID.parse().unwrap(),
            status: Status::Pending,
            customer: Customer {
                id: Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8),
                name: "Ada".to_owned(),
                credit: Some(dec("250.00")),
            },
            lines: vec![
                PricedLine {
                    product: Uuid::from_u128(1),
                    qty: 3,
                    unit_price: dec("19.99"),
                    discounts: vec![dec("0.10"), dec("-2.5")],
                },
                PricedLine {
                    product: Uuid::max(),
                    qty: 1,
                    unit_price: dec("0.0000000000000000000000000001"),
                    discounts: vec![],
                },
            ],
            total: dec("59.97"),
        }
    }

    #[tokio::test]
    async fn boto3_decimals_and_uuid_strings_in_nested_dicts_read_exactly() {
        let fx = Fixture::<ForeignOrder>::new("interop-foreign-order-from-boto3").await;
        boto3("write-foreign-order", &fx, ORDER_ID).await;
        let id: Uuid = ORDER_ID.parse().unwrap();
        let read = fx
            .table
            .get(id)
            .consistent()
            .await
            .unwrap()
            .expect("the item boto3 wrote");
        assert_eq!(read, foreign_order());
        assert_eq!(
            read.lines[1].unit_price.to_string(),
            "0.0000000000000000000000000001"
        );
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn boto3_reads_decimals_and_uuid_strings_in_nested_dicts() {
        let fx = Fixture::<ForeignOrder>::new("interop-foreign-order-to-boto3").await;
        fx.table.put(&foreign_order()).await.unwrap();
        let result = boto3("read-foreign-order", &fx, ORDER_ID).await;
        assert_eq!(result["ok"], true, "{result}");
        assert_eq!(
            result["item"]["lines"][1]["product"], "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "{result}"
        );
        assert_eq!(result["item"]["total"], "59.97", "{result}");
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn boto3_reads_decimals_and_uuid_strings() {
        let fx = Fixture::<Foreign>::new("interop-foreign-to-boto3").await;
        fx.table.put(&foreign("from-rust")).await.unwrap();
        let result = boto3("read-foreign", &fx, "from-rust").await;
        assert_eq!(result["ok"], true, "{result}");
        assert_eq!(
            result["item"]["precise"], "1234567890.123456789012345678",
            "{result}"
        );
        assert_eq!(
            result["item"]["ref"], "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "{result}"
        );
        fx.cleanup().await;
    }
}

/// The `tagged` fixture: enums with data, internally tagged (the variant's
/// name under `type`, its fields beside it) and adjacently tagged (under
/// `kind`, the data under `data`).
#[derive(Attribute, Debug, Clone, PartialEq)]
struct Expiry {
    month: u8,
    year: u16,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
struct InvoiceRef {
    number: String,
    due_days: u32,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
enum Payment {
    Card { last4: String, expiry: Expiry },
    Cash,
    Invoice(InvoiceRef),
}

#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(tag = "kind", content = "data", rename_all = "snake_case")]
enum Adjustment {
    Refund(u64),
    Note(String, u32),
    Waived,
    Credit { amount: Number, reason: String },
}

#[resource(service = "dynamodb", table = "interop", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Tagged {
    id: String,
    payment: Payment,
    payments: Vec<Payment>,
    adjustments: Vec<Adjustment>,
}

/// `expected_tagged()` in the Python helper is the same item as boto3 sees it.
fn tagged(id: &str) -> Tagged {
    Tagged {
        id: id.to_owned(),
        payment: Payment::Card {
            last4: "4242".to_owned(),
            expiry: Expiry {
                month: 12,
                year: 2030,
            },
        },
        payments: vec![
            Payment::Cash,
            Payment::Invoice(InvoiceRef {
                number: "INV-1".to_owned(),
                due_days: 30,
            }),
        ],
        adjustments: vec![
            Adjustment::Refund(100),
            Adjustment::Note("late".to_owned(), 2),
            Adjustment::Waived,
            Adjustment::Credit {
                amount: "19.99".parse().unwrap(),
                reason: "goodwill".to_owned(),
            },
        ],
    }
}

#[tokio::test]
async fn boto3_tagged_dicts_read_into_enums_with_data() {
    let fx = Fixture::<Tagged>::new("interop-tagged-from-boto3").await;
    boto3("write-tagged", &fx, "from-boto3").await;
    let read = fx
        .table
        .get("from-boto3")
        .consistent()
        .await
        .unwrap()
        .expect("the item boto3 wrote");
    assert_eq!(read, tagged("from-boto3"));
    fx.cleanup().await;
}

#[tokio::test]
async fn boto3_reads_enums_with_data_as_tagged_dicts() {
    let fx = Fixture::<Tagged>::new("interop-tagged-to-boto3").await;
    fx.table.put(&tagged("from-rust")).await.unwrap();
    let result = boto3("read-tagged", &fx, "from-rust").await;
    assert_eq!(result["ok"], true, "{result}");
    assert_eq!(result["item"]["payment"]["type"], "Card", "{result}");
    assert_eq!(
        result["item"]["adjustments"][1]["data"][0], "late",
        "{result}"
    );
    fx.cleanup().await;
}

/// The same dicts through `#[resource(serde)]` fields: serde's own
/// `#[serde(tag = "type")]` and `#[serde(tag = "kind", content = "data")]`
/// store what the derived enums store.
#[cfg(feature = "serde")]
mod serde_tagged {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
    struct Expiry {
        month: u8,
        year: u16,
    }

    #[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
    struct InvoiceRef {
        number: String,
        due_days: u32,
    }

    #[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[serde(tag = "type")]
    enum Payment {
        Card { last4: String, expiry: Expiry },
        Cash,
        Invoice(InvoiceRef),
    }

    #[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[serde(tag = "kind", content = "data", rename_all = "snake_case")]
    enum Adjustment {
        Refund(u64),
        Note(String, u32),
        Waived,
        Credit { amount: f64, reason: String },
    }

    #[resource(service = "dynamodb", table = "interop", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct SerdeTagged {
        id: String,
        #[resource(serde)]
        payment: Payment,
        #[resource(serde)]
        payments: Vec<Payment>,
        #[resource(serde)]
        adjustments: Vec<Adjustment>,
    }

    /// `expected_tagged()` again: the same item as `tagged()`.
    fn serde_tagged(id: &str) -> SerdeTagged {
        SerdeTagged {
            id: id.to_owned(),
            payment: Payment::Card {
                last4: "4242".to_owned(),
                expiry: Expiry {
                    month: 12,
                    year: 2030,
                },
            },
            payments: vec![
                Payment::Cash,
                Payment::Invoice(InvoiceRef {
                    number: "INV-1".to_owned(),
                    due_days: 30,
                }),
            ],
            adjustments: vec![
                Adjustment::Refund(100),
                Adjustment::Note("late".to_owned(), 2),
                Adjustment::Waived,
                Adjustment::Credit {
                    amount: 19.99,
                    reason: "goodwill".to_owned(),
                },
            ],
        }
    }

    #[tokio::test]
    async fn boto3_tagged_dicts_read_into_serde_enums() {
        let fx = Fixture::<SerdeTagged>::new("interop-serde-tagged-from-boto3").await;
        boto3("write-tagged", &fx, "from-boto3").await;
        let read = fx
            .table
            .get("from-boto3")
            .consistent()
            .await
            .unwrap()
            .expect("the item boto3 wrote");
        assert_eq!(read, serde_tagged("from-boto3"));
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn boto3_reads_serde_enums_as_tagged_dicts() {
        let fx = Fixture::<SerdeTagged>::new("interop-serde-tagged-to-boto3").await;
        fx.table.put(&serde_tagged("from-rust")).await.unwrap();
        let result = boto3("read-tagged", &fx, "from-rust").await;
        assert_eq!(result["ok"], true, "{result}");
        assert_eq!(
            result["item"]["adjustments"][3]["data"]["amount"], "19.99",
            "{result}"
        );
        fx.cleanup().await;
    }
}

/// The `times` fixture: chrono's `DateTime<Utc>` as ISO 8601 strings.
/// This crate writes UTC with `Z` and nine fraction digits; boto3 users
/// write `datetime.isoformat()`, with an offset, which reads back as the
/// same instant.
#[cfg(feature = "chrono")]
mod times {
    use chrono::{DateTime, FixedOffset, TimeZone, Utc};

    use super::*;

    #[resource(service = "dynamodb", table = "interop", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Times {
        id: String,
        placed_at: DateTime<Utc>,
        history: Vec<DateTime<Utc>>,
        shipped: Option<DateTime<Utc>>,
        local: DateTime<FixedOffset>,
    }

    fn utc(secs: i64, nanos: u32) -> DateTime<Utc> {
        Utc.timestamp_opt(secs, nanos).unwrap()
    }

    /// 2024-05-01T08:00:00Z, and the other instants of both fixtures.
    const MAY_FIRST: i64 = 1_714_550_400;

    fn times(id: &str, shipped: Option<DateTime<Utc>>) -> Times {
        Times {
            id: id.to_owned(),
            placed_at: utc(MAY_FIRST, 0),
            history: vec![utc(MAY_FIRST - 3600, 123_456_000), utc(0, 0)],
            shipped,
            local: utc(MAY_FIRST + 90, 0).fixed_offset(),
        }
    }

    #[tokio::test]
    async fn boto3_iso_strings_with_offsets_read_as_the_same_instants() {
        let fx = Fixture::<Times>::new("interop-times-from-boto3").await;
        boto3("write-times", &fx, "from-boto3").await;
        let read = fx
            .table
            .get("from-boto3")
            .consistent()
            .await
            .unwrap()
            .expect("the item boto3 wrote");
        // Python wrote `2024-05-01T10:00:00+02:00` and friends.
        assert_eq!(
            read,
            times("from-boto3", Some(utc(MAY_FIRST + 86_400, 500_000_000)))
        );
        assert_eq!(read.placed_at.to_rfc3339(), "2024-05-01T08:00:00+00:00");
        assert_eq!(read.local.offset().local_minus_utc(), 5 * 3600 + 30 * 60);
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn boto3_reads_datetimes_as_iso_strings() {
        let fx = Fixture::<Times>::new("interop-times-to-boto3").await;
        fx.table.put(&times("from-rust", None)).await.unwrap();
        let result = boto3("read-times", &fx, "from-rust").await;
        assert_eq!(result["ok"], true, "{result}");
        assert_eq!(
            result["item"]["placed_at"], "2024-05-01T08:00:00.000000000Z",
            "{result}"
        );
        fx.cleanup().await;
    }
}

/// The `single-table` fixture: one item of a single-table design, as
/// ElectroDB and dynamodb-onetable users store it. The key attributes are
/// rendered from templates (`pk = "ORG#acme"`, `sk = "USER#u1"`, and the
/// index's `gsi1pk = "EMAIL#…"`, `gsi1sk = "USER"`), the entity is `_type`,
/// and the template's fields are stored too.
mod single_table {
    use super::*;

    #[resource(
        service = "dynamodb",
        table = "interop",
        entity = "User",
        key(attr = "pk", template = "ORG#{org}"),
        sort_key(attr = "sk", template = "USER#{id}"),
        index(
            name = "gsi1",
            key(attr = "gsi1pk", template = "EMAIL#{email}"),
            sort_key(attr = "gsi1sk", template = "USER")
        )
    )]
    #[derive(Debug, Clone, PartialEq)]
    struct User {
        org: String,
        id: String,
        email: String,
        name: String,
        joined: u64,
    }

    /// `expected_single_table()` in the Python helper.
    fn user(id: &str) -> User {
        User {
            org: "acme".to_owned(),
            id: id.to_owned(),
            email: format!("{id}@acme.example"),
            name: "Ada Lovelace".to_owned(),
            joined: 1_700_000_000,
        }
    }

    #[tokio::test]
    async fn boto3_reads_the_single_table_attributes_exactly() {
        let fx = Fixture::<User>::new("interop-single-to-boto3").await;
        fx.table.put(&user("u1")).await.unwrap();
        // The Python side gets `{"pk": "ORG#acme", "sk": "USER#u1"}` and
        // fails on any attribute it does not expect, or one missing.
        let result = boto3("read-single-table", &fx, "u1").await;
        assert_eq!(result["ok"], true, "{result}");
        assert_eq!(result["item"]["pk"], "ORG#acme", "{result}");
        assert_eq!(result["item"]["sk"], "USER#u1", "{result}");
        assert_eq!(result["item"]["_type"], "User", "{result}");
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn a_single_table_item_boto3_writes_reads_through_every_key() {
        let fx = Fixture::<User>::new("interop-single-from-boto3").await;
        boto3("write-single-table", &fx, "u1").await;
        let want = user("u1");

        let read = fx.table.get(("acme", "u1")).consistent().await.unwrap();
        assert_eq!(read.as_ref(), Some(&want));
        // The partition query adds `begins_with(sk, "USER#")` and the entity
        // filter; the item boto3 wrote passes both.
        let queried = fx.table.query("acme").consistent().all().await.unwrap();
        assert_eq!(queried, vec![want.clone()]);
        let by_email = fx
            .table
            .index(User::GSI1)
            .query("u1@acme.example")
            .all()
            .await
            .unwrap();
        assert_eq!(by_email, vec![want]);
        fx.cleanup().await;
    }
}
