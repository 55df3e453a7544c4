//! Item operations against a live endpoint.

use std::collections::{BTreeSet, HashMap};

use crate::common::Fixture;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: String,
    email: String,
    #[resource(rename = "displayName")]
    name: String,
    age: u32,
    tags: BTreeSet<String>,
    nickname: Option<String>,
    #[resource(skip)]
    session: Option<u64>,
    #[resource(default)]
    logins: u64,
}

fn alice() -> User {
    User {
        id: "u1".into(),
        email: "alice@example.com".into(),
        name: "Alice".into(),
        age: 30,
        tags: BTreeSet::from(["admin".to_owned(), "ops".to_owned()]),
        nickname: None,
        session: None,
        logins: 3,
    }
}

#[tokio::test]
async fn put_get_delete_round_trip() {
    let fx = Fixture::<User>::new("items-crud").await;
    let users = &fx.table;
    assert_eq!(users.get("u1").await.unwrap(), None);
    users.put(&alice()).await.unwrap();
    assert_eq!(users.get("u1").consistent().await.unwrap(), Some(alice()));
    users.delete("u1").await.unwrap();
    assert_eq!(users.get("u1").consistent().await.unwrap(), None);
    // Deleting a missing item succeeds.
    users.delete("u1").await.unwrap();
    fx.cleanup().await;
}

#[tokio::test]
async fn stored_attributes_use_renamed_names_and_omit_absent_values() {
    let fx = Fixture::<User>::new("items-raw").await;
    let mut user = alice();
    user.session = Some(99);
    fx.table.put(&user).await.unwrap();
    let raw = fx
        .table
        .client()
        .get_item()
        .table_name(fx.table.name())
        .key("id", AttributeValue::S("u1".into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let mut names: Vec<&str> = raw.keys().map(String::as_str).collect();
    names.sort();
    // `nickname` is None and `session` is skipped: neither is stored.
    assert_eq!(
        names,
        ["age", "displayName", "email", "id", "logins", "tags"]
    );
    assert_eq!(raw["displayName"], AttributeValue::S("Alice".into()));
    assert_eq!(raw["age"], AttributeValue::N("30".into()));
    let AttributeValue::Ss(tags) = &raw["tags"] else {
        panic!("tags: {:?}", raw["tags"])
    };
    assert_eq!(tags.iter().collect::<BTreeSet<_>>().len(), 2);
    // The skipped field reads back as its default.
    let back = fx.table.get("u1").consistent().await.unwrap().unwrap();
    assert_eq!(back.session, None);
    fx.cleanup().await;
}

use resourceful::aws_sdk_dynamodb::types::AttributeValue;

#[tokio::test]
async fn default_field_reads_missing_attribute_as_default() {
    let fx = Fixture::<User>::new("items-default").await;
    let mut item: HashMap<String, AttributeValue> = alice().to_item();
    item.remove("logins");
    fx.table
        .client()
        .put_item()
        .table_name(fx.table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let back = fx.table.get("u1").consistent().await.unwrap().unwrap();
    assert_eq!(back.logins, 0);
    fx.cleanup().await;
}

#[tokio::test]
async fn if_absent_refuses_an_existing_item() {
    let fx = Fixture::<User>::new("items-absent").await;
    fx.table.put(&alice()).if_absent().await.unwrap();
    let mut other = alice();
    other.email = "mallory@example.com".into();
    let err = fx.table.put(&other).if_absent().await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert_eq!(err.table(), Some(fx.table.name()));
    assert!(
        std::error::Error::source(&err).is_some(),
        "SDK error kept as source"
    );
    // The stored item is unchanged.
    let stored = fx.table.get("u1").consistent().await.unwrap().unwrap();
    assert_eq!(stored.email, "alice@example.com");
    fx.cleanup().await;
}

#[tokio::test]
async fn conditions_on_put_update_and_delete() {
    let fx = Fixture::<User>::new("items-cond").await;
    let users = &fx.table;
    users.put(&alice()).await.unwrap();

    let mut changed = alice();
    changed.age = 40;
    let err = users
        .put(&changed)
        .condition(User::EMAIL.eq("someone@else.com"))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());
    users
        .put(&changed)
        .condition(User::EMAIL.eq("alice@example.com") & User::NICKNAME.not_exists())
        .await
        .unwrap();

    let err = users
        .update("u1")
        .set(User::AGE, 41)
        .condition(User::AGE.lt(40))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());
    assert!(!err.is_not_found());

    let err = users
        .delete("u1")
        .condition(User::AGE.ne(40))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());
    users
        .delete("u1")
        .condition(User::AGE.exists())
        .await
        .unwrap();
    assert_eq!(users.get("u1").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn update_sets_adds_and_removes_and_returns_new_item() {
    let fx = Fixture::<User>::new("items-update").await;
    let users = &fx.table;
    users.put(&alice()).await.unwrap();
    let updated = users
        .update("u1")
        .add(User::AGE, 5)
        .set(User::NICKNAME, Some("ally".to_owned()))
        .add(User::TAGS, BTreeSet::from(["new".to_owned()]))
        .set(User::EMAIL, "a@example.com")
        .await
        .unwrap();
    assert_eq!(updated.age, 35);
    assert_eq!(updated.nickname.as_deref(), Some("ally"));
    assert_eq!(updated.email, "a@example.com");
    assert!(updated.tags.contains("new") && updated.tags.contains("admin"));

    let old = users
        .update("u1")
        .remove(User::NICKNAME)
        .return_old()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.nickname.as_deref(), Some("ally"));
    let now = users.get("u1").consistent().await.unwrap().unwrap();
    assert_eq!(now.nickname, None);

    // Removing every tag leaves an absent set, which reads back empty.
    let cleared = users.update("u1").remove(User::TAGS).await.unwrap();
    assert!(cleared.tags.is_empty());
    fx.cleanup().await;
}

/// The item with `id` as stored, read with the SDK (not the library), so
/// that "nothing was written" does not depend on decoding.
async fn raw_item(table: &Table<User>, id: &str) -> Option<HashMap<String, AttributeValue>> {
    table
        .client()
        .get_item()
        .table_name(table.name())
        .key("id", AttributeValue::S(id.into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
}

#[tokio::test]
async fn update_of_a_missing_item_is_not_found_and_writes_nothing() {
    let fx = Fixture::<User>::new("items-update-missing").await;
    let users = &fx.table;
    let err = users
        .update("u9")
        .set(User::EMAIL, "new@example.com")
        .add(User::AGE, 1)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(!err.is_condition_failed(), "{err:?}");
    assert!(!err.is_decode(), "{err:?}");
    assert_eq!(err.table(), Some(users.name()));
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(std::error::Error::source(&err).is_some(), "SDK error kept");
    assert_eq!(raw_item(users, "u9").await, None);

    // With a condition of its own, and asking for the old item: the same.
    let err = users
        .update("u9")
        .set(User::EMAIL, "new@example.com")
        .condition(User::AGE.lt(10))
        .return_old()
        .await
        .unwrap_err();
    assert!(err.is_not_found() && !err.is_condition_failed(), "{err:?}");
    // Without any action.
    let err = users.update("u9").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(raw_item(users, "u9").await, None);

    // On an item that exists, a condition that does not hold is a failed
    // condition, not a missing item: the stored item tells them apart.
    users.put(&alice()).await.unwrap();
    let err = users
        .update("u1")
        .set(User::AGE, 41)
        .condition(User::AGE.gt(40))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert!(!err.is_not_found(), "{err:?}");
    let updated = users.update("u1").set(User::AGE, 41).await.unwrap();
    assert_eq!(updated, User { age: 41, ..alice() });
    fx.cleanup().await;
}

#[tokio::test]
async fn upsert_creates_a_missing_item() {
    let fx = Fixture::<User>::new("items-upsert").await;
    let users = &fx.table;
    // The result says what it is: `()`, not a `User`.
    let () = users
        .upsert("u9")
        .set(User::EMAIL, "new@example.com")
        .set(User::NAME, "New")
        .set(User::AGE, 1)
        .await
        .unwrap();
    let stored = users.get("u9").consistent().await.unwrap().unwrap();
    assert_eq!((stored.id.as_str(), stored.age), ("u9", 1));
    assert!(stored.tags.is_empty() && stored.logins == 0);

    // On an existing item it updates, and `return_old` says what was there:
    // `None` when the upsert created the item.
    let old = users
        .upsert("u9")
        .add(User::AGE, 1)
        .return_old()
        .await
        .unwrap();
    assert_eq!(old, Some(stored));
    assert_eq!(users.get("u9").consistent().await.unwrap().unwrap().age, 2);
    let old = users
        .upsert("u8")
        .set(User::EMAIL, "eight@example.com")
        .set(User::NAME, "Eight")
        .set(User::AGE, 8)
        .return_old()
        .await
        .unwrap();
    assert_eq!(old, None);

    // A condition applies as for `update`; a missing item has no attribute.
    let err = users
        .upsert("u9")
        .add(User::AGE, 1)
        .condition(User::AGE.gt(10))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed() && !err.is_not_found(), "{err:?}");
    users
        .upsert("u7")
        .add(User::AGE, 1)
        .condition(User::AGE.not_exists())
        .await
        .unwrap();

    // An upsert that leaves required attributes unset creates an item that
    // is not a whole `User`: the write succeeds, reading it back is a
    // decode error naming the missing attribute.
    users.upsert("u10").add(User::AGE, 1).await.unwrap();
    let raw = raw_item(users, "u10").await.unwrap();
    assert_eq!(raw.len(), 2, "{raw:?}");
    let err = users.get("u10").consistent().await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(
        err.to_string().contains("attribute `email` is missing"),
        "{err}"
    );
    fx.cleanup().await;
}

#[tokio::test]
async fn return_old_on_put_and_delete() {
    let fx = Fixture::<User>::new("items-old").await;
    let users = &fx.table;
    assert_eq!(users.put(&alice()).return_old().await.unwrap(), None);
    let mut changed = alice();
    changed.age = 31;
    assert_eq!(
        users.put(&changed).return_old().await.unwrap(),
        Some(alice())
    );
    assert_eq!(
        users.delete("u1").return_old().await.unwrap(),
        Some(changed)
    );
    assert_eq!(users.delete("u1").return_old().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn wrong_typed_attribute_is_a_decode_error_naming_it() {
    let fx = Fixture::<User>::new("items-decode").await;
    let mut item = alice().to_item();
    item.insert("age".into(), AttributeValue::S("thirty".into()));
    fx.table
        .client()
        .put_item()
        .table_name(fx.table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = fx.table.get("u1").consistent().await.unwrap_err();
    assert!(err.is_decode());
    assert_eq!(
        err.to_string(),
        format!(
            "table `{}`: cannot read item: attribute `age`: expected N for `u32`, found S",
            fx.table.name()
        )
    );
    fx.cleanup().await;
}

#[tokio::test]
async fn invalid_keys_are_refused_before_sending() {
    let fx = Fixture::<User>::new("items-keys").await;
    let err = fx.table.get("").await.unwrap_err();
    assert!(err.is_validation());
    assert!(
        err.code().is_none(),
        "refused client-side, not by the service"
    );
    assert!(err.to_string().contains("`id` is empty"), "{err}");

    let long = "k".repeat(2049);
    let err = fx.table.delete(long.as_str()).await.unwrap_err();
    assert!(
        err.to_string().contains("2049 bytes; the limit is 2048"),
        "{err}"
    );

    let mut user = alice();
    user.id = "x".repeat(2048);
    fx.table.put(&user).await.unwrap();
    assert!(fx.table.get(&user.id).await.unwrap().is_some());
    fx.cleanup().await;
}

#[tokio::test]
async fn table_lifecycle() {
    let backend = resourceful::local::Backend::from_env().await.unwrap();
    let name = crate::common::unique_table_name("items-lifecycle");
    let users = Table::<User>::named(&backend.client(), name.as_str());
    assert!(!users.exists().await.unwrap());
    users.create().await.unwrap();
    assert!(users.exists().await.unwrap());
    let err = users.create().await.unwrap_err();
    assert!(err.is_in_use(), "{err:?}");
    users.delete_table().await.unwrap();
    assert!(!users.exists().await.unwrap());
    let err = users.get("u1").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn generated_table_uses_the_declared_name() {
    let backend = resourceful::local::Backend::from_env().await.unwrap();
    assert_eq!(User::table(&backend.client()).name(), "users");
    assert_eq!(<User as Resource>::TABLE_NAME, "users");
}

#[resource(
    service = "dynamodb",
    table = "orders",
    key = "customer",
    sort_key = "number"
)]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    customer: String,
    number: u32,
    total: resourceful::Number,
}

#[tokio::test]
async fn composite_keys() {
    let fx = Fixture::<Order>::new("items-composite").await;
    let orders = &fx.table;
    for number in 1..=3 {
        let order = Order {
            customer: "c1".into(),
            number,
            total: format!("{number}.99").parse().unwrap(),
        };
        orders.put(&order).await.unwrap();
    }
    let second = orders.get(("c1", 2)).consistent().await.unwrap().unwrap();
    assert_eq!(second.total.as_str(), "2.99");
    assert_eq!(orders.get(("c2", 2)).await.unwrap(), None);
    orders.delete(("c1", 2)).await.unwrap();
    assert_eq!(orders.get(("c1", 2)).consistent().await.unwrap(), None);
    assert!(orders.get(("c1", 3)).consistent().await.unwrap().is_some());
    fx.cleanup().await;
}
