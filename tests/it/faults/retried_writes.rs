//! A conditional write whose connection drops after the server applied it:
//! the SDK retries, the retry fails its condition on the write's own
//! effect, and the write recognises it and succeeds (issue 13). Each test
//! scripts the faults: the first attempt of every write is applied and its
//! answer lost, the retry goes through.

use std::sync::Arc;

use aws_sdk_dynamodb::config::retry::RetryConfig;
use resourceful::prelude::*;

use super::{faulty_client, new_state, Fault, State, NO_FAULTS};
use crate::common::Fixture;

#[resource(service = "dynamodb", table = "retried", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Tally {
    id: String,
    count: u64,
    note: String,
    #[resource(version)]
    version: u64,
}

#[resource(service = "dynamodb", table = "retried_plain", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Status {
    id: String,
    state: String,
}

/// A table whose requests meet `script` in turn, with the SDK's standard
/// retries (3 attempts, short backoffs), as a default client has them.
fn scripted<T: Resource>(table: &Table<T>, script: Vec<Fault>) -> (Table<T>, Arc<State>) {
    let mut state = new_state(0, NO_FAULTS, true, std::time::Duration::ZERO);
    Arc::get_mut(&mut state).unwrap().script = script;
    let client = faulty_client(table.client(), &state, standard_retries(), None);
    (Table::named(&client, table.name().to_owned()), state)
}

pub(super) fn standard_retries() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(std::time::Duration::from_millis(1))
        .with_max_backoff(std::time::Duration::from_millis(20))
}

/// The first attempt of each write applied and its answer lost; the retry
/// answered.
fn lost_then_answered() -> Vec<Fault> {
    vec![Fault::DropAfter, Fault::Pass]
}

#[tokio::test]
async fn a_versioned_counter_incremented_through_lost_answers_counts_each_once() {
    let fx = Fixture::<Tally>::new("retried-counter").await;
    let (faulty, state) = scripted(&fx.table, lost_then_answered());
    const N: u64 = 25;

    // A new item (version 0: the key must be free), by a put whose first
    // answer is lost.
    let new = Tally {
        id: "t".into(),
        count: 0,
        note: String::new(),
        version: 0,
    };
    faulty
        .put(&new)
        .await
        .expect("the retried put found itself");

    // N increments by updates conditional on the version read, and N by
    // versioned puts: each one's first answer is lost.
    for i in 0..N {
        let read = fx.table.get("t").consistent().await.unwrap().unwrap();
        let updated = faulty
            .update("t")
            .add(Tally::COUNT, 1)
            .set(Tally::NOTE, format!("update {i}"))
            .condition(Tally::VERSION.eq(read.version))
            .await
            .expect("the retried update found itself");
        assert_eq!(updated.count, read.count + 1);
        assert_eq!(updated.version, read.version + 1);

        let read = fx.table.get("t").consistent().await.unwrap().unwrap();
        let next = Tally {
            count: read.count + 1,
            note: format!("put {i}"),
            ..read
        };
        faulty
            .put(&next)
            .await
            .expect("the retried put found itself");
    }
    let stored = fx.table.get("t").consistent().await.unwrap().unwrap();
    assert_eq!(stored.count, 2 * N, "each increment counted once");
    assert_eq!(stored.version, 2 * N + 1);
    let dropped = state.counts.lock().unwrap().faults["DropAfter"];
    assert_eq!(dropped, 2 * N + 1, "every write lost its first answer");

    // A versioned delete whose first answer is lost: the retry finds no
    // item, which is what the delete leaves.
    faulty
        .delete_item(&stored)
        .await
        .expect("the delete found itself");
    assert_eq!(fx.table.get("t").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_conditional_update_that_finds_itself_succeeds() {
    let fx = Fixture::<Status>::new("retried-status").await;
    let (faulty, _) = scripted(&fx.table, lost_then_answered());
    fx.table
        .put(&Status {
            id: "s".into(),
            state: "pending".into(),
        })
        .await
        .unwrap();
    let updated = faulty
        .update("s")
        .set(Status::STATE, "shipped")
        .condition(Status::STATE.eq("pending"))
        .await
        .expect("the retried update found itself");
    assert_eq!(updated.state, "shipped");
    fx.cleanup().await;
}

#[tokio::test]
async fn only_a_retry_that_meets_exactly_its_own_write_succeeds() {
    let fx = Fixture::<Tally>::new("retried-strict").await;
    let clean = fx.table.clone();
    let first = Tally {
        id: "t".into(),
        count: 1,
        note: "a".into(),
        version: 0,
    };
    clean.put(&first).await.unwrap();

    // The same put again, without any fault: its condition (version 0, no
    // item) fails on an item equal to what it would write, but nothing was
    // retried, so this is a plain conflict.
    let err = clean.put(&first).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err}");
    assert!(!err.may_have_been_applied(), "{err}");

    // An update whose result depends on the stored value and whose
    // condition does not pin the version cannot be recognised: after a
    // lost answer its retry fails, and the error says the update may have
    // been applied.
    let (faulty, _) = scripted(&fx.table, lost_then_answered());
    let err = faulty
        .update("t")
        .add(Tally::COUNT, 1)
        .condition(Tally::NOTE.eq("a"))
        .set(Tally::NOTE, "b")
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err}");
    assert!(err.may_have_been_applied(), "{err}");
    let stored = clean.get("t").consistent().await.unwrap().unwrap();
    assert_eq!(
        (stored.count, stored.note.as_str()),
        (2, "b"),
        "applied once"
    );

    // `return_old` wants the item before the write, which the lost answer
    // carried: not recognised either.
    let (faulty, _) = scripted(&fx.table, lost_then_answered());
    let next = Tally {
        count: 3,
        ..stored.clone()
    };
    let err = faulty.put(&next).return_old().await.unwrap_err();
    assert!(
        err.is_condition_failed() && err.may_have_been_applied(),
        "{err}"
    );

    // A retry that meets another writer's item fails: here the first
    // attempt is dropped before it reaches the server, and another writer
    // moved the item from the version this update pins (simulated by
    // pinning the version before the stored one): the version is the one
    // this update would write, but the note is not its note.
    let stored = clean.get("t").consistent().await.unwrap().unwrap();
    let (faulty, _) = scripted(&fx.table, vec![Fault::DropBefore, Fault::Pass]);
    let err = faulty
        .update("t")
        .add(Tally::COUNT, 1)
        .set(Tally::NOTE, "mine")
        .condition(Tally::VERSION.eq(stored.version - 1))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err}");
    assert!(
        err.may_have_been_applied(),
        "an attempt got no answer: {err}"
    );
    assert_eq!(
        clean.get("t").consistent().await.unwrap().unwrap(),
        stored,
        "nothing written"
    );
    fx.cleanup().await;
}
