//! Typed conditions, updates, key conditions and projections against a
//! live endpoint.

use std::collections::{BTreeSet, HashMap};

use crate::common::Fixture;
use resourceful::expr::DynamoType;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "profiles", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Profile {
    id: String,
    name: String,
    age: u32,
    tags: BTreeSet<String>,
    scores: Vec<u32>,
    prefs: HashMap<String, String>,
    counters: HashMap<String, i64>,
    nickname: Option<String>,
    blob: Vec<u8>,
}

fn ann() -> Profile {
    Profile {
        id: "p1".into(),
        name: "Ann Lee".into(),
        age: 34,
        tags: BTreeSet::from(["admin".to_owned(), "ops".to_owned()]),
        scores: vec![10, 20, 30],
        prefs: HashMap::from([("theme".to_owned(), "dark".to_owned())]),
        counters: HashMap::from([("logins".to_owned(), 3)]),
        nickname: None,
        blob: vec![1, 2, 3],
    }
}

/// Asserts that a conditional delete is refused (and the item kept) or
/// accepted, so that every condition function is checked both ways.
async fn holds(fx: &Fixture<Profile>, condition: Condition<Profile>) -> bool {
    fx.table.put(&ann()).await.unwrap();
    match fx
        .table
        .update("p1")
        .set(Profile::AGE, 34)
        .condition(condition)
        .await
    {
        Ok(_) => true,
        Err(e) if e.is_condition_failed() => false,
        Err(e) => panic!("unexpected error: {e:?}"),
    }
}

#[tokio::test]
async fn every_condition_function_holds_and_fails() {
    let fx = Fixture::<Profile>::new("expr-conditions").await;
    let cases: Vec<(Condition<Profile>, bool)> = vec![
        (Profile::AGE.eq(34).compound(), true),
        (Profile::AGE.eq(35).compound(), false),
        (Profile::AGE.ne(35), true),
        (Profile::AGE.ne(34), false),
        (Profile::AGE.lt(35).compound(), true),
        (Profile::AGE.lt(34).compound(), false),
        (Profile::AGE.le(34).compound(), true),
        (Profile::AGE.gt(33).compound(), true),
        (Profile::AGE.gt(34).compound(), false),
        (Profile::AGE.ge(34).compound(), true),
        (Profile::AGE.between(30, 40).compound(), true),
        (Profile::AGE.between(35, 40).compound(), false),
        (Profile::AGE.is_in([1, 34, 99]), true),
        (Profile::AGE.is_in([1, 2]), false),
        (Profile::NAME.begins_with("Ann").compound(), true),
        (Profile::NAME.begins_with("Lee").compound(), false),
        (Profile::BLOB.begins_with([1u8, 2]).compound(), true),
        (Profile::NAME.contains("n L"), true),
        (Profile::TAGS.contains("ops"), true),
        (Profile::TAGS.contains("dev"), false),
        (Profile::SCORES.contains(20), true),
        (Profile::NICKNAME.exists(), false),
        (Profile::NICKNAME.not_exists(), true),
        (Profile::NAME.attribute_type(DynamoType::S), true),
        (Profile::TAGS.attribute_type(DynamoType::Ss), true),
        (Profile::AGE.attribute_type(DynamoType::S), false),
        (Profile::TAGS.size().eq(2), true),
        (Profile::NAME.size().gt(7), false),
        (Profile::SCORES.size().between(3, 3), true),
        (Profile::PREFS.field("theme").eq("dark").compound(), true),
        (Profile::PREFS.field("theme").eq("light").compound(), false),
        (Profile::SCORES.at(1).eq(20).compound(), true),
        (Profile::SCORES.at(5).exists(), false),
        (Profile::AGE.eq(34) & Profile::NAME.eq("Ann Lee"), true),
        (Profile::AGE.eq(34) & Profile::NAME.eq("Bob"), false),
        (Profile::AGE.eq(1) | Profile::NAME.eq("Ann Lee"), true),
        (!Profile::NICKNAME.exists(), true),
        (!(Profile::AGE.eq(34) | Profile::AGE.eq(35)), false),
    ];
    for (i, (condition, expected)) in cases.into_iter().enumerate() {
        let rendered = condition.to_expression().0;
        assert_eq!(
            holds(&fx, condition).await,
            expected,
            "case {i}: {rendered}"
        );
    }
    fx.cleanup().await;
}

#[tokio::test]
async fn updates_on_top_level_attributes_and_paths() {
    let fx = Fixture::<Profile>::new("expr-updates").await;
    let profiles = &fx.table;
    profiles.put(&ann()).await.unwrap();
    let p = profiles
        .update("p1")
        .set(Profile::PREFS.field("lang"), "en")
        .set(Profile::SCORES.at(0), 11)
        .add(Profile::COUNTERS.field("logins"), 2)
        .add(Profile::COUNTERS.field("fresh"), 5)
        .delete_from_set(Profile::TAGS, BTreeSet::from(["ops".to_owned()]))
        .set_if_absent(Profile::NICKNAME, "annie")
        .await
        .unwrap();
    assert_eq!(p.prefs["lang"], "en");
    assert_eq!(p.prefs["theme"], "dark");
    assert_eq!(p.scores, [11, 20, 30]);
    assert_eq!(p.counters["logins"], 5);
    assert_eq!(p.counters["fresh"], 5);
    assert_eq!(p.tags, BTreeSet::from(["admin".to_owned()]));
    assert_eq!(p.nickname.as_deref(), Some("annie"));

    // DynamoDB refuses overlapping paths in one update, so append separately.
    let p = profiles
        .update("p1")
        .append(Profile::SCORES, [40, 50])
        .await
        .unwrap();
    assert_eq!(p.scores, [11, 20, 30, 40, 50]);

    // set_if_absent keeps an existing value; remove takes map entries and
    // list elements out; setting None removes an optional attribute.
    let p = profiles
        .update("p1")
        .set_if_absent(Profile::NICKNAME, "other")
        .remove(Profile::PREFS.field("theme"))
        .remove(Profile::SCORES.at(0))
        .await
        .unwrap();
    assert_eq!(p.nickname.as_deref(), Some("annie"));
    assert!(!p.prefs.contains_key("theme"));
    assert_eq!(p.scores, [20, 30, 40, 50]);
    let p = profiles
        .update("p1")
        .set(Profile::NICKNAME, None)
        .await
        .unwrap();
    assert_eq!(p.nickname, None);

    // Appending to a missing list creates it, in a new item too.
    profiles
        .upsert("p2")
        .set(Profile::NAME, "New")
        .set(Profile::AGE, 1)
        .set(Profile::PREFS, HashMap::new())
        .set(Profile::COUNTERS, HashMap::new())
        .set(Profile::BLOB, vec![0u8])
        .append(Profile::SCORES, [7])
        .await
        .unwrap();
    let p = profiles.get("p2").consistent().await.unwrap().unwrap();
    assert_eq!(p.scores, [7]);

    // The old item on request.
    let old = profiles
        .update("p1")
        .add(Profile::AGE, 1)
        .return_old()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.age, 34);
    fx.cleanup().await;
}

#[tokio::test]
async fn invalid_expressions_are_refused_before_sending() {
    let fx = Fixture::<Profile>::new("expr-invalid").await;
    fx.table.put(&ann()).await.unwrap();
    let err = fx
        .table
        .update("p1")
        .set(Profile::AGE, 1)
        .condition(Profile::AGE.is_in(0..101))
        .await
        .unwrap_err();
    assert!(err.is_validation() && err.code().is_none(), "{err:?}");
    assert!(err.to_string().contains("101 values"), "{err}");
    let err = fx
        .table
        .update("p1")
        .set(Profile::ID, "p9")
        .await
        .unwrap_err();
    assert!(err.is_validation() && err.code().is_none(), "{err:?}");
    assert!(
        err.to_string()
            .contains("key attribute `id` cannot be updated"),
        "{err}"
    );
    fx.cleanup().await;
}

/// Attribute names that are reserved words or contain characters with a
/// meaning in expressions.
#[resource(service = "dynamodb", table = "odd-names", key = "key")]
#[derive(Debug, Clone, PartialEq)]
struct Odd {
    #[resource(rename = "name")]
    key: String,
    #[resource(rename = "size")]
    size: u32,
    #[resource(rename = "a.b")]
    dotted: String,
    #[resource(rename = "a-b")]
    dashed: Option<String>,
    #[resource(rename = "#hash")]
    hash: i64,
    #[resource(rename = ":colon")]
    colon: BTreeSet<String>,
    #[resource(rename = "with space")]
    spaced: HashMap<String, u32>,
    #[resource(rename = "TABLE")]
    table: Vec<String>,
}

#[tokio::test]
async fn odd_and_reserved_names_work() {
    let fx = Fixture::<Odd>::new("expr-odd").await;
    let item = Odd {
        key: "k".into(),
        size: 1,
        dotted: "d".into(),
        dashed: None,
        hash: -1,
        colon: BTreeSet::from(["x".to_owned()]),
        spaced: HashMap::from([("a.b c".to_owned(), 1)]),
        table: vec!["t".into()],
    };
    fx.table.put(&item).if_absent().await.unwrap();
    let updated = fx
        .table
        .update("k")
        .add(Odd::SIZE, 1)
        .set(Odd::DOTTED, "e")
        .set(Odd::DASHED, "f")
        .add(Odd::HASH, 2)
        .add(Odd::COLON, BTreeSet::from(["y".to_owned()]))
        .add(Odd::SPACED.field("a.b c"), 1)
        .append(Odd::TABLE, ["u".to_owned()])
        .condition(
            Odd::SIZE.eq(1)
                & Odd::DOTTED.eq("d")
                & Odd::DASHED.not_exists()
                & Odd::HASH.lt(0)
                & Odd::COLON.contains("x")
                & Odd::SPACED.field("a.b c").eq(1)
                & Odd::TABLE.size().eq(1),
        )
        .await
        .unwrap();
    assert_eq!(updated.size, 2);
    assert_eq!(updated.dotted, "e");
    assert_eq!(updated.dashed.as_deref(), Some("f"));
    assert_eq!(updated.hash, 1);
    assert_eq!(updated.colon.len(), 2);
    assert_eq!(updated.spaced["a.b c"], 2);
    assert_eq!(updated.table, ["t", "u"]);
    // The raw item really uses the odd names as top-level attributes.
    let raw = fx
        .table
        .client()
        .get_item()
        .table_name(fx.table.name())
        .key(
            "name",
            resourceful::aws_sdk_dynamodb::types::AttributeValue::S("k".into()),
        )
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    for name in [
        "name",
        "size",
        "a.b",
        "a-b",
        "#hash",
        ":colon",
        "with space",
        "TABLE",
    ] {
        assert!(raw.contains_key(name), "{name} in {raw:?}");
    }
    let found = fx
        .table
        .query("k")
        .filter(Odd::SIZE.eq(2) & Odd::DOTTED.eq("e"))
        .all()
        .await
        .unwrap();
    assert_eq!(found, [updated]);
    fx.table
        .delete("k")
        .condition(Odd::HASH.eq(1))
        .await
        .unwrap();
    fx.cleanup().await;
}

#[resource(
    service = "dynamodb",
    table = "events",
    key = "stream",
    sort_key = "seq"
)]
#[derive(Debug, Clone, PartialEq)]
struct Event {
    stream: String,
    seq: u32,
    kind: String,
}

#[tokio::test]
async fn key_conditions_on_the_sort_key() {
    let fx = Fixture::<Event>::new("expr-query").await;
    for seq in 1..=20 {
        let kind = if seq % 2 == 0 { "even" } else { "odd" };
        let event = Event {
            stream: "s".into(),
            seq,
            kind: kind.into(),
        };
        fx.table.put(&event).await.unwrap();
    }
    fx.table
        .put(&Event {
            stream: "other".into(),
            seq: 1,
            kind: "odd".into(),
        })
        .await
        .unwrap();
    let seqs = |events: Vec<Event>| events.into_iter().map(|e| e.seq).collect::<Vec<_>>();
    fn q(t: &Table<Event>) -> resourceful::read::Query<Event> {
        t.query("s").consistent()
    }
    assert_eq!(
        seqs(q(&fx.table).all().await.unwrap()),
        (1..=20).collect::<Vec<_>>()
    );
    assert_eq!(
        seqs(q(&fx.table).sort(Event::SEQ.eq(7)).all().await.unwrap()),
        [7]
    );
    assert_eq!(
        seqs(q(&fx.table).sort(Event::SEQ.lt(3)).all().await.unwrap()),
        [1, 2]
    );
    assert_eq!(
        seqs(q(&fx.table).sort(Event::SEQ.le(3)).all().await.unwrap()),
        [1, 2, 3]
    );
    assert_eq!(
        seqs(q(&fx.table).sort(Event::SEQ.gt(18)).all().await.unwrap()),
        [19, 20]
    );
    assert_eq!(
        seqs(q(&fx.table).sort(Event::SEQ.ge(19)).all().await.unwrap()),
        [19, 20]
    );
    assert_eq!(
        seqs(
            q(&fx.table)
                .sort(Event::SEQ.between(5, 8))
                .reverse()
                .all()
                .await
                .unwrap()
        ),
        [8, 7, 6, 5]
    );
    assert_eq!(
        seqs(
            q(&fx.table)
                .sort(Event::SEQ.between(1, 10))
                .filter(Event::KIND.eq("even"))
                .all()
                .await
                .unwrap()
        ),
        [2, 4, 6, 8, 10]
    );
    // A filter on a key attribute is refused before sending.
    let err = q(&fx.table)
        .filter(Event::SEQ.gt(3))
        .all()
        .await
        .unwrap_err();
    assert!(err.is_validation() && err.code().is_none(), "{err:?}");
    fx.cleanup().await;
}

#[resource(service = "dynamodb", table = "files", key = "dir", sort_key = "name")]
#[derive(Debug, Clone, PartialEq)]
struct File {
    dir: String,
    name: String,
    bytes: u64,
}

#[tokio::test]
async fn begins_with_on_a_string_sort_key() {
    let fx = Fixture::<File>::new("expr-prefix").await;
    for name in ["a.txt", "b.rs", "b.toml", "c"] {
        fx.table
            .put(&File {
                dir: "/".into(),
                name: name.into(),
                bytes: 1,
            })
            .await
            .unwrap();
    }
    let found = fx
        .table
        .query("/")
        .sort(File::NAME.begins_with("b."))
        .all()
        .await
        .unwrap();
    let names: Vec<_> = found.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["b.rs", "b.toml"]);
    fx.cleanup().await;
}

/// A projection of `Profile`: only these attributes are read.
#[resource(projection = Profile)]
#[derive(Debug, PartialEq)]
struct ProfileCard {
    id: String,
    name: String,
    nickname: Option<String>,
}

#[tokio::test]
async fn projections_read_a_subset() {
    assert_eq!(
        <ProfileCard as resourceful::Projection>::ATTRIBUTES,
        ["id", "name", "nickname"]
    );
    let fx = Fixture::<Profile>::new("expr-projection").await;
    fx.table.put(&ann()).await.unwrap();
    let card = fx.table.get("p1").project::<ProfileCard>().await.unwrap();
    assert_eq!(
        card,
        Some(ProfileCard {
            id: "p1".into(),
            name: "Ann Lee".into(),
            nickname: None
        })
    );
    assert_eq!(
        fx.table.get("p9").project::<ProfileCard>().await.unwrap(),
        None
    );
    fx.cleanup().await;
}

#[resource(service = "dynamodb", table = "groups", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Groups {
    id: String,
    members: HashMap<String, BTreeSet<String>>,
}

#[tokio::test]
async fn add_to_and_delete_from_nested_sets() {
    let fx = Fixture::<Groups>::new("expr-nested-sets").await;
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    fx.table
        .put(&Groups {
            id: "g".into(),
            members: HashMap::from([("x".to_owned(), set(&["1"]))]),
        })
        .await
        .unwrap();
    let g = fx
        .table
        .update("g")
        .add(Groups::MEMBERS.field("x"), set(&["2", "3"]))
        .await
        .unwrap();
    assert_eq!(g.members["x"], set(&["1", "2", "3"]));
    let g = fx
        .table
        .update("g")
        .delete_from_set(Groups::MEMBERS.field("x"), set(&["1", "3"]))
        .await
        .unwrap();
    assert_eq!(g.members["x"], set(&["2"]));
    fx.cleanup().await;
}

#[resource(service = "dynamodb", table = "labels", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Labels {
    id: String,
    tags: BTreeSet<String>,
    codes: Option<std::collections::HashSet<u32>>,
    history: Vec<String>,
}

#[tokio::test]
async fn set_and_list_operands_take_what_is_at_hand() {
    let fx = Fixture::<Labels>::new("expr-operands").await;
    let labels = &fx.table;
    labels
        .put(&Labels {
            id: "l".into(),
            tags: BTreeSet::new(),
            codes: None,
            history: Vec::new(),
        })
        .await
        .unwrap();
    let new_tags = ["c".to_owned(), "d".to_owned()];
    let after = labels
        .update("l")
        // An array of `&str` for a set of `String`s.
        .add(Labels::TAGS, ["a", "b"])
        // An iterator, without collecting it first.
        .add(Labels::CODES, (1..=3).map(|n| n * 10))
        .append(Labels::HISTORY, ["created"])
        .await
        .unwrap();
    assert_eq!(after.tags, BTreeSet::from(["a".into(), "b".into()]));
    assert_eq!(after.codes, Some([10, 20, 30].into()));
    assert_eq!(after.history, ["created"]);

    let after = labels
        .update("l")
        // A slice of `String`s (borrowed), and a `Vec`.
        .add(Labels::TAGS, &new_tags[..])
        .delete_from_set(Labels::CODES, vec![20])
        .append(Labels::HISTORY, vec!["tagged".to_owned()])
        .await
        .unwrap();
    assert_eq!(after.tags.len(), 4);
    assert_eq!(after.codes, Some([10, 30].into()));
    assert_eq!(after.history, ["created", "tagged"]);

    let after = labels
        .update("l")
        .delete_from_set(Labels::TAGS, ["a", "c"])
        // No elements: nothing to add, and no error.
        .add(Labels::CODES, Vec::<u32>::new())
        .await
        .unwrap();
    assert_eq!(after.tags, BTreeSet::from(["b".into(), "d".into()]));
    assert_eq!(after.codes, Some([10, 30].into()));
    fx.cleanup().await;
}
