//! Interoperability with Python's boto3 resource layer: items that
//! boto3's `Table.put_item` writes (`Decimal` numbers, sets, `Binary`, nested
//! dicts and lists) read back into the matching struct exactly, and items this
//! crate writes read back in boto3 as the expected Python values.
//!
//! With the features `rust_decimal` and `uuid`, the same holds both ways for
//! `Decimal` numbers and UUID strings.
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
