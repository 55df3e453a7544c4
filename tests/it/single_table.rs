//! Single-table design: key templates, entities in one table, index keys
//! computed from templates and kept right by updates.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use futures_util::TryStreamExt;
use resourceful::local::Backend;
use resourceful::prelude::*;

use crate::common::unique_table_name;

#[resource(
    service = "dynamodb",
    table = "app",
    entity = "Org",
    key(attr = "pk", template = "ORG#{id}"),
    sort_key(attr = "sk", template = "ORG")
)]
#[derive(Debug, Clone, PartialEq)]
struct Org {
    id: String,
    name: String,
}

#[resource(
    service = "dynamodb",
    table = "app",
    entity = "User",
    key(attr = "pk", template = "ORG#{org}"),
    sort_key(attr = "sk", template = "USER#{id}"),
    index(
        name = "gsi1",
        key(attr = "gsi1pk", template = "EMAIL#{email}"),
        sort_key(attr = "gsi1sk", template = "USER")
    ),
    index(
        name = "gsi2",
        key(attr = "gsi2pk", template = "REGION#{region}#{tier}"),
        sort_key(attr = "gsi2sk", template = "JOINED#{joined:08}")
    )
)]
#[derive(Debug, Clone, PartialEq)]
struct User {
    org: String,
    id: String,
    email: String,
    region: String,
    tier: String,
    joined: u64,
    name: String,
}

fn user(org: &str, id: &str, joined: u64) -> User {
    User {
        org: org.into(),
        id: id.into(),
        email: format!("{id}@{org}.example"),
        region: "eu".into(),
        tier: "gold".into(),
        joined,
        name: format!("user {id}"),
    }
}

/// Both entities' handles on one fresh table, created with the users'
/// indexes (the orgs have none).
async fn tables(prefix: &str) -> (Backend, Table<Org>, Table<User>) {
    let backend = Backend::from_env().await.expect("backend");
    let name = unique_table_name(prefix);
    let users = Table::<User>::named(&backend.client(), name.clone());
    users.create().await.expect("create");
    let orgs = Table::<Org>::named(&backend.client(), name);
    (backend, orgs, users)
}

async fn raw_item(users: &Table<User>, pk: &str, sk: &str) -> HashMap<String, AttributeValue> {
    users
        .client()
        .get_item()
        .table_name(users.name())
        .key("pk", AttributeValue::S(pk.into()))
        .key("sk", AttributeValue::S(sk.into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .expect("item")
}

fn s(item: &HashMap<String, AttributeValue>, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

#[tokio::test]
async fn writes_the_attributes_single_table_users_expect() {
    let (_backend, orgs, users) = tables("st-attrs").await;
    orgs.put(&Org {
        id: "acme".into(),
        name: "Acme".into(),
    })
    .await
    .unwrap();
    users.put(&user("acme", "u1", 7)).await.unwrap();

    let org = raw_item(&users, "ORG#acme", "ORG").await;
    assert_eq!(s(&org, "_type").as_deref(), Some("Org"));
    assert_eq!(s(&org, "id").as_deref(), Some("acme"));
    let u = raw_item(&users, "ORG#acme", "USER#u1").await;
    assert_eq!(s(&u, "_type").as_deref(), Some("User"));
    assert_eq!(s(&u, "gsi1pk").as_deref(), Some("EMAIL#u1@acme.example"));
    assert_eq!(s(&u, "gsi1sk").as_deref(), Some("USER"));
    assert_eq!(s(&u, "gsi2pk").as_deref(), Some("REGION#eu#gold"));
    assert_eq!(s(&u, "gsi2sk").as_deref(), Some("JOINED#00000007"));
    // The fields are stored as themselves too: reads never parse keys.
    assert_eq!(s(&u, "org").as_deref(), Some("acme"));
    assert_eq!(u.get("joined"), Some(&AttributeValue::N("7".into())));
    users.delete_table().await.unwrap();
}

#[tokio::test]
async fn get_put_delete_and_query_by_partition() {
    let (_backend, orgs, users) = tables("st-items").await;
    let acme = Org {
        id: "acme".into(),
        name: "Acme".into(),
    };
    orgs.put(&acme).await.unwrap();
    for (i, id) in ["u1", "u10", "u2", "x9"].into_iter().enumerate() {
        users.put(&user("acme", id, i as u64)).await.unwrap();
    }
    users.put(&user("other", "u1", 0)).await.unwrap();

    assert_eq!(orgs.get("acme").await.unwrap(), Some(acme.clone()));
    let u1 = users.get(("acme", "u1")).await.unwrap().unwrap();
    assert_eq!(u1, user("acme", "u1", 0));
    assert_eq!(users.get(("acme", "nobody")).await.unwrap(), None);

    // The partition holds the org and its users; a query of users reads
    // only users (`begins_with(sk, "USER#")` and the entity filter).
    let ids: Vec<String> = users
        .query("acme")
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids, ["u1", "u10", "u2", "x9"]);
    assert_eq!(users.query("acme").count().await.unwrap(), 4);
    // A condition on the sort template's field, onto `sk`.
    let ids: Vec<String> = users
        .query("acme")
        .sort(User::ID.begins_with("u1"))
        .stream()
        .map_ok(|u| u.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["u1", "u10"]);
    let ids: Vec<String> = users
        .query("acme")
        .sort(User::ID.between("u10", "u2"))
        .reverse()
        .stream()
        .map_ok(|u| u.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["u2", "u10"]);
    // The org's own query reads only the org.
    assert_eq!(orgs.query("acme").all().await.unwrap(), vec![acme]);
    // A scan of either sees only its own entity.
    assert_eq!(users.scan().count().await.unwrap(), 5);
    assert_eq!(orgs.scan().count().await.unwrap(), 1);

    users.delete(("acme", "u1")).await.unwrap();
    assert_eq!(users.get(("acme", "u1")).await.unwrap(), None);
    assert!(orgs.get("acme").await.unwrap().is_some());
    users.delete_table().await.unwrap();
}

#[tokio::test]
async fn a_get_that_finds_another_entity_names_both() {
    let (_backend, _orgs, users) = tables("st-entity").await;
    // An item under a user's key written as another entity.
    let mut item = resourceful::Resource::to_item(&user("acme", "u1", 1));
    item.insert("_type".into(), AttributeValue::S("Org".into()));
    users
        .client()
        .put_item()
        .table_name(users.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = users.get(("acme", "u1")).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`User`") && text.contains("`Org`"), "{text}");
    // Reads of many items leave it out rather than fail.
    assert_eq!(users.query("acme").count().await.unwrap(), 0);
    // An update does not take it for a user either.
    let err = users
        .update(("acme", "u1"))
        .set(User::NAME, "x")
        .await
        .unwrap_err();
    assert!(err.is_condition_failed() || err.is_not_found(), "{err}");
    users.delete_table().await.unwrap();
}

#[tokio::test]
async fn index_queries_through_templates_and_updates_that_move_items() {
    let (_backend, _orgs, users) = tables("st-gsi").await;
    for (id, joined) in [("u1", 5), ("u2", 40), ("u3", 120), ("u4", 9)] {
        users.put(&user("acme", id, joined)).await.unwrap();
    }
    let by_email = users.index(User::GSI1);
    let found = by_email.query("u2@acme.example").all().await.unwrap();
    assert_eq!(found, vec![user("acme", "u2", 40)]);

    // Zero-padded numbers sort as numbers: 5, 9, 40, 120.
    let ids: Vec<String> = users
        .index(User::GSI2)
        .query(("eu", "gold"))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids, ["u1", "u4", "u2", "u3"]);
    let ids: Vec<String> = users
        .index(User::GSI2)
        .query(("eu", "gold"))
        .sort(User::JOINED.between(6, 100))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids, ["u4", "u2"]);

    // Setting the email moves the item to another partition of gsi1, in
    // the same request.
    let moved = users
        .update(("acme", "u2"))
        .set(User::EMAIL, "new@acme.example")
        .await
        .unwrap();
    assert_eq!(moved.email, "new@acme.example");
    let raw = raw_item(&users, "ORG#acme", "USER#u2").await;
    assert_eq!(s(&raw, "gsi1pk").as_deref(), Some("EMAIL#new@acme.example"));
    assert!(by_email
        .query("u2@acme.example")
        .all()
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        by_email
            .query("new@acme.example")
            .all()
            .await
            .unwrap()
            .len(),
        1
    );

    // Both fields of gsi2pk set: the key follows.
    users
        .update(("acme", "u3"))
        .set(User::REGION, "us")
        .set(User::TIER, "free")
        .set(User::JOINED, 1)
        .await
        .unwrap();
    let raw = raw_item(&users, "ORG#acme", "USER#u3").await;
    assert_eq!(s(&raw, "gsi2pk").as_deref(), Some("REGION#us#free"));
    assert_eq!(s(&raw, "gsi2sk").as_deref(), Some("JOINED#00000001"));
    let us = users
        .index(User::GSI2)
        .query(("us", "free"))
        .all()
        .await
        .unwrap();
    assert_eq!(us.len(), 1);

    // Only some of a template's fields: refused before anything is sent.
    let err = users
        .update(("acme", "u1"))
        .set(User::REGION, "us")
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(err.to_string().contains("`tier`"), "{err}");
    // `add` cannot keep a computed key right.
    let err = users
        .update(("acme", "u1"))
        .add(User::JOINED, 1)
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    // A field of the table key's template is the key: not updatable.
    let err = users
        .update(("acme", "u1"))
        .set(User::ORG, "other")
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    let raw = raw_item(&users, "ORG#acme", "USER#u1").await;
    assert_eq!(s(&raw, "region").as_deref(), Some("eu"));
    users.delete_table().await.unwrap();
}

#[tokio::test]
async fn upserts_write_the_entity_and_keep_to_it() {
    let (_backend, orgs, users) = tables("st-upsert").await;
    users
        .upsert(("acme", "u5"))
        .set(User::EMAIL, "u5@acme.example")
        .await
        .unwrap();
    let raw = raw_item(&users, "ORG#acme", "USER#u5").await;
    assert_eq!(s(&raw, "_type").as_deref(), Some("User"));
    assert_eq!(s(&raw, "gsi1pk").as_deref(), Some("EMAIL#u5@acme.example"));
    // An org's upsert at its own key works; it never touches the user.
    orgs.upsert("acme").set(Org::NAME, "Acme").await.unwrap();
    let org = raw_item(&users, "ORG#acme", "ORG").await;
    assert_eq!(s(&org, "_type").as_deref(), Some("Org"));
    users.delete_table().await.unwrap();
}

#[derive(Debug, Clone, PartialEq, Collection)]
enum OrgMembers {
    Org(Org),
    User(User),
}

#[tokio::test]
async fn a_collection_reads_both_entities_with_pages_and_cursors() {
    let backend = Backend::from_env().await.expect("backend");
    let name = unique_table_name("st-collection");
    let orgs = Table::<Org>::named(&backend.client(), name.clone());
    // The collection creates the table with every member's indexes.
    OrgMembers::create_in(&orgs).await.unwrap();
    let users = Table::<User>::named(&backend.client(), name);
    users.verify().await.unwrap();
    orgs.verify().await.unwrap();

    let acme = Org {
        id: "acme".into(),
        name: "Acme".into(),
    };
    orgs.put(&acme).await.unwrap();
    orgs.put(&Org {
        id: "other".into(),
        name: "Other".into(),
    })
    .await
    .unwrap();
    let members: Vec<User> = (0..7).map(|i| user("acme", &format!("u{i}"), i)).collect();
    for u in &members {
        users.put(u).await.unwrap();
    }
    users.put(&user("other", "u0", 0)).await.unwrap();

    let all = OrgMembers::query_in(&orgs, "acme").all().await.unwrap();
    assert_eq!(all.len(), 8);
    // Sorted by `sk`: "ORG" before "USER#…".
    assert_eq!(all[0], OrgMembers::Org(acme.clone()));
    let read_users: Vec<User> = all
        .into_iter()
        .filter_map(|m| match m {
            OrgMembers::User(u) => Some(u),
            OrgMembers::Org(_) => None,
        })
        .collect();
    assert_eq!(read_users, members);

    // Pages of 3 with cursors, as a web API would read them.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let mut query = OrgMembers::query_in(&orgs, "acme").limit(3);
        if let Some(c) = cursor.take() {
            query = query.start(c);
        }
        let page = query.page().await.unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8);
    assert_eq!(
        OrgMembers::query_in(&orgs, "acme").count().await.unwrap(),
        8
    );

    // An item of an entity outside the collection is left out.
    let mut stranger = resourceful::Resource::to_item(&user("acme", "zz", 1));
    stranger.insert("_type".into(), AttributeValue::S("Invoice".into()));
    users
        .client()
        .put_item()
        .table_name(users.name())
        .set_item(Some(stranger.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        OrgMembers::query_in(&orgs, "acme").count().await.unwrap(),
        8
    );
    // Decoding it directly names the entities expected and found.
    let err = <OrgMembers as resourceful::Collection>::from_item(stranger).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`Invoice`") && text.contains("`Org` or `User`"),
        "{text}"
    );
    users.delete_table().await.unwrap();
}

/// A native multi-attribute index key (DynamoDB, November 2025): up to
/// four partition and four sort attributes, no composite strings.
#[resource(service = "dynamodb", table = "members", key = "id",
           index(name = "by_region", key = ["region", "tier"], sort_key = ["joined", "name"]))]
#[derive(Debug, Clone, PartialEq)]
struct Member {
    id: String,
    region: String,
    tier: String,
    joined: u64,
    name: String,
}

#[tokio::test]
async fn multi_attribute_index_keys() {
    let backend = Backend::from_env().await.expect("backend");
    let members = Table::<Member>::named(&backend.client(), unique_table_name("st-multi"));
    // Both the embedded server and DynamoDB Local (10.3) have them.
    members.create().await.unwrap();
    members.verify().await.unwrap();
    let rows = [
        ("m1", "eu", "gold", 3, "ann"),
        ("m2", "eu", "gold", 3, "bob"),
        ("m3", "eu", "gold", 5, "cat"),
        ("m4", "eu", "free", 3, "dan"),
        ("m5", "us", "gold", 3, "eve"),
    ];
    for (id, region, tier, joined, name) in rows {
        members
            .put(&Member {
                id: id.into(),
                region: region.into(),
                tier: tier.into(),
                joined,
                name: name.into(),
            })
            .await
            .unwrap();
    }
    let ids = |found: Vec<Member>| found.into_iter().map(|m| m.id).collect::<Vec<_>>();
    let by_region = members.index(Member::BY_REGION);
    // Equality on every partition attribute.
    let found = by_region.query(("eu", "gold")).all().await.unwrap();
    assert_eq!(ids(found), ["m1", "m2", "m3"]);
    // Equality on the first sort attribute, a range on the next.
    let found = by_region
        .query(("eu", "gold"))
        .sort(Member::JOINED.eq(3))
        .sort(Member::NAME.gt("ann"))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(found), ["m2"]);
    // A range on the first sort attribute alone.
    let found = by_region
        .query(("eu", "gold"))
        .sort(Member::JOINED.ge(4))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(found), ["m3"]);
    // Equality on both.
    let found = by_region
        .query(("eu", "gold"))
        .sort(Member::JOINED.eq(3))
        .sort(Member::NAME.eq("bob"))
        .all()
        .await
        .unwrap();
    assert_eq!(ids(found), ["m2"]);
    members.delete_table().await.unwrap();
}
