//! Transactions across tables against a live endpoint.

use crate::common::{unique_table_name, Fixture};
use resourceful::prelude::*;
use resourceful::Transaction;

#[resource(service = "dynamodb", table = "accounts", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Account {
    id: String,
    balance: i64,
    #[resource(version)]
    version: u64,
}

#[resource(
    service = "dynamodb",
    table = "ledger",
    key = "account",
    sort_key = "seq"
)]
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    account: String,
    seq: u32,
    amount: i64,
}

fn account(id: &str, balance: i64) -> Account {
    Account {
        id: id.into(),
        balance,
        version: 0,
    }
}

#[tokio::test]
async fn actions_on_two_tables_commit_together() {
    let accounts = Fixture::<Account>::new("tx-accounts").await;
    let ledger = Table::<Entry>::named(accounts.table.client(), unique_table_name("tx-ledger"));
    ledger.create().await.unwrap();
    accounts.table.put(&account("a", 100)).await.unwrap();
    accounts.table.put(&account("b", 0)).await.unwrap();

    let entry = Entry {
        account: "a".into(),
        seq: 1,
        amount: -30,
    };
    Transaction::new(accounts.table.client())
        .update(
            accounts
                .table
                .update("a")
                .add(Account::BALANCE, -30)
                .condition(Account::BALANCE.ge(30)),
        )
        .update(accounts.table.update("b").add(Account::BALANCE, 30))
        .put(ledger.put(&entry).if_absent())
        .commit()
        .await
        .unwrap();
    let a = accounts.table.get("a").consistent().await.unwrap().unwrap();
    let b = accounts.table.get("b").consistent().await.unwrap().unwrap();
    assert_eq!((a.balance, a.version), (70, 2));
    assert_eq!((b.balance, b.version), (30, 2));
    assert_eq!(
        ledger.get(("a", 1u32)).consistent().await.unwrap(),
        Some(entry)
    );

    Transaction::new(accounts.table.client())
        .delete(ledger.delete(("a", 1u32)))
        .check(&accounts.table, "a", Account::BALANCE.eq(70))
        .commit()
        .await
        .unwrap();
    assert_eq!(ledger.get(("a", 1u32)).consistent().await.unwrap(), None);
    ledger.delete_table().await.unwrap();
    accounts.cleanup().await;
}

#[tokio::test]
async fn a_failed_condition_names_its_action_and_nothing_is_written() {
    let fx = Fixture::<Account>::new("tx-cancelled").await;
    fx.table.put(&account("a", 10)).await.unwrap();
    fx.table.put(&account("b", 10)).await.unwrap();
    let err = Transaction::new(fx.table.client())
        .update(fx.table.update("a").add(Account::BALANCE, 1))
        .put(fx.table.put(&account("new", 1)))
        .check(&fx.table, "b", Account::BALANCE.gt(1000))
        .delete(fx.table.delete("c"))
        .commit()
        .await
        .unwrap_err();
    assert!(err.is_transaction_cancelled(), "{err}");
    assert!(err.is_condition_failed());
    let reasons = err.cancellation_reasons();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].index(), 2);
    assert_eq!(reasons[0].code(), "ConditionalCheckFailed");
    assert!(reasons[0].is_condition_failed());
    assert!(
        err.to_string().contains("action 2: ConditionalCheckFailed"),
        "{err}"
    );

    let a = fx.table.get("a").consistent().await.unwrap().unwrap();
    assert_eq!((a.balance, a.version), (10, 1));
    assert_eq!(fx.table.get("new").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_versioned_put_carries_its_version_condition() {
    let fx = Fixture::<Account>::new("tx-version").await;
    fx.table.put(&account("a", 10)).await.unwrap();
    let stored = fx.table.get("a").consistent().await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    // A stale copy (version 0) is refused, like `Table::put`.
    let err = Transaction::new(fx.table.client())
        .put(fx.table.put(&account("a", 99)))
        .commit()
        .await
        .unwrap_err();
    assert_eq!(err.cancellation_reasons()[0].index(), 0);
    assert!(err.is_condition_failed(), "{err}");
    // The current copy goes through and advances the version.
    let mut current = stored.clone();
    current.balance = 11;
    Transaction::new(fx.table.client())
        .put(fx.table.put(&current))
        .commit()
        .await
        .unwrap();
    let stored = fx.table.get("a").consistent().await.unwrap().unwrap();
    assert_eq!((stored.balance, stored.version), (11, 2));
    fx.cleanup().await;
}

#[tokio::test]
async fn more_than_100_actions_are_refused_before_sending() {
    let fx = Fixture::<Account>::new("tx-limit").await;
    // A table that does not exist: had the request been sent, DynamoDB
    // would have answered with a different error.
    let missing = Table::<Account>::named(fx.table.client(), "no-such-table-for-transactions");
    let mut tx = Transaction::new(fx.table.client());
    for i in 0..101 {
        tx = tx.delete(missing.delete(format!("k{i}")));
    }
    assert_eq!(tx.len(), 101);
    let err = tx.commit().await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(err.to_string().contains("101 actions"), "{err}");
    assert!(err.to_string().contains("limit is 100"), "{err}");

    let mut tx = Transaction::new(fx.table.client());
    for i in 0..100 {
        tx = tx.put(fx.table.put(&account(&format!("k{i}"), i)));
    }
    tx.commit().await.expect("100 actions are allowed");
    assert!(fx.table.get("k99").consistent().await.unwrap().is_some());
    fx.cleanup().await;
}

#[tokio::test]
async fn invalid_actions_are_refused_before_sending() {
    let fx = Fixture::<Account>::new("tx-invalid").await;
    let empty_key = Transaction::new(fx.table.client())
        .delete(fx.table.delete(""))
        .commit()
        .await
        .unwrap_err();
    assert!(empty_key.is_validation(), "{empty_key}");
    let twice = Transaction::new(fx.table.client())
        .update(fx.table.update("a").add(Account::BALANCE, 1))
        .delete(fx.table.delete("a"))
        .commit()
        .await
        .unwrap_err();
    assert!(twice.is_validation(), "{twice}");
    assert!(twice.to_string().contains("action 1"), "{twice}");
    let none = Transaction::new(fx.table.client())
        .commit()
        .await
        .unwrap_err();
    assert!(none.is_validation());
    assert_eq!(fx.table.get("a").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn repeating_a_commit_with_the_same_token_is_idempotent() {
    let fx = Fixture::<Account>::new("tx-token").await;
    fx.table.put(&account("a", 0)).await.unwrap();
    // Tokens are remembered by the endpoint for ten minutes, whatever the
    // table: make them unique to this run.
    let run = unique_table_name("t");
    let (first, second) = (format!("{run}-1"), format!("{run}-2"));
    assert!(first.len() <= 36);
    let deposit = |token: &str| {
        Transaction::new(fx.table.client())
            .update(fx.table.update("a").add(Account::BALANCE, 5))
            .idempotency_token(token)
            .commit()
    };
    deposit(&first).await.unwrap();
    deposit(&first).await.unwrap();
    let a = fx.table.get("a").consistent().await.unwrap().unwrap();
    assert_eq!(a.balance, 5, "the repeated commit did not apply again");
    deposit(&second).await.unwrap();
    let a = fx.table.get("a").consistent().await.unwrap().unwrap();
    assert_eq!(a.balance, 10, "a new token applies again");
    fx.cleanup().await;
}

#[tokio::test]
async fn an_update_of_a_missing_item_is_not_found_and_nothing_is_written() {
    let fx = Fixture::<Account>::new("tx-update-missing").await;
    fx.table.put(&account("a", 10)).await.unwrap();
    let err = Transaction::new(fx.table.client())
        .put(fx.table.put(&account("new", 1)))
        .update(fx.table.update("missing").add(Account::BALANCE, 5))
        .update(fx.table.update("a").add(Account::BALANCE, 1))
        .commit()
        .await
        .unwrap_err();
    assert!(err.is_transaction_cancelled(), "{err}");
    assert!(err.is_not_found(), "{err:?}");
    assert!(!err.is_condition_failed(), "{err:?}");
    let reasons = err.cancellation_reasons();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].index(), 1);
    // DynamoDB's code is that of a failed condition; the predicates say
    // which it is.
    assert_eq!(reasons[0].code(), "ConditionalCheckFailed");
    assert!(reasons[0].is_not_found() && !reasons[0].is_condition_failed());
    assert!(
        err.to_string()
            .contains("action 1: the item to update does not exist"),
        "{err}"
    );
    assert_eq!(fx.table.get("missing").consistent().await.unwrap(), None);
    assert_eq!(fx.table.get("new").consistent().await.unwrap(), None);
    let a = fx.table.get("a").consistent().await.unwrap().unwrap();
    assert_eq!((a.balance, a.version), (10, 1));

    // The update's own condition on an existing item is a failed condition.
    let err = Transaction::new(fx.table.client())
        .update(
            fx.table
                .update("a")
                .add(Account::BALANCE, -20)
                .condition(Account::BALANCE.ge(20)),
        )
        .commit()
        .await
        .unwrap_err();
    assert!(err.is_condition_failed() && !err.is_not_found(), "{err:?}");
    let reason = &err.cancellation_reasons()[0];
    assert!(reason.is_condition_failed() && !reason.is_not_found());
    fx.cleanup().await;
}

#[tokio::test]
async fn an_upsert_in_a_transaction_creates_a_missing_item() {
    let fx = Fixture::<Account>::new("tx-upsert").await;
    fx.table.put(&account("a", 10)).await.unwrap();
    Transaction::new(fx.table.client())
        .update(fx.table.update("a").add(Account::BALANCE, -5))
        .update(fx.table.upsert("b").add(Account::BALANCE, 5))
        .commit()
        .await
        .unwrap();
    let b = fx.table.get("b").consistent().await.unwrap().unwrap();
    assert_eq!((b.balance, b.version), (5, 1), "created at version 1");
    Transaction::new(fx.table.client())
        .update(fx.table.upsert("b").add(Account::BALANCE, 5))
        .commit()
        .await
        .unwrap();
    let b = fx.table.get("b").consistent().await.unwrap().unwrap();
    assert_eq!((b.balance, b.version), (10, 2));
    fx.cleanup().await;
}

#[tokio::test]
async fn moving_a_versioned_item_restarts_its_version_at_the_new_key() {
    let fx = Fixture::<Account>::new("tx-move").await;
    let accounts = &fx.table;
    accounts.put(&account("a", 10)).await.unwrap();
    accounts.update("a").add(Account::BALANCE, 5).await.unwrap();
    let a = accounts.get("a").consistent().await.unwrap().unwrap();
    assert_eq!((a.balance, a.version), (15, 2));

    // The new value keeps the old version in its field: no need to reset it.
    let b = Account {
        id: "b".into(),
        ..a.clone()
    };
    accounts.move_to(&a, &b).await.unwrap();
    assert_eq!(accounts.get("a").consistent().await.unwrap(), None);
    let stored = accounts.get("b").consistent().await.unwrap().unwrap();
    assert_eq!((stored.balance, stored.version), (15, 1));

    // The moved item is a new item: writes from its stored value work.
    let mut next = stored.clone();
    next.balance = 16;
    accounts.put(&next).await.unwrap();
    fx.cleanup().await;
}

#[tokio::test]
async fn a_move_of_a_stale_item_or_to_a_taken_key_writes_nothing() {
    let fx = Fixture::<Account>::new("tx-move-refused").await;
    let accounts = &fx.table;
    accounts.put(&account("a", 10)).await.unwrap();
    accounts.put(&account("taken", 99)).await.unwrap();
    let stale = accounts.get("a").consistent().await.unwrap().unwrap();
    accounts.update("a").add(Account::BALANCE, 1).await.unwrap();
    let current = accounts.get("a").consistent().await.unwrap().unwrap();

    // The old item changed since it was read: index 0.
    let c = Account {
        id: "c".into(),
        ..stale.clone()
    };
    let err = accounts.move_to(&stale, &c).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let reasons = err.cancellation_reasons();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].index(), 0);
    assert_eq!(accounts.get("c").consistent().await.unwrap(), None);
    assert_eq!(
        accounts.get("a").consistent().await.unwrap(),
        Some(current.clone())
    );

    // The new key is taken: index 1.
    let onto_taken = Account {
        id: "taken".into(),
        ..current.clone()
    };
    let err = accounts.move_to(&current, &onto_taken).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let reasons = err.cancellation_reasons();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0].index(), 1);
    assert_eq!(
        accounts.get("a").consistent().await.unwrap(),
        Some(current.clone())
    );
    let taken = accounts.get("taken").consistent().await.unwrap().unwrap();
    assert_eq!((taken.balance, taken.version), (99, 1));

    // A condition of the caller's on the old item.
    let d = Account {
        id: "d".into(),
        ..current.clone()
    };
    let err = accounts
        .move_to(&current, &d)
        .condition(Account::BALANCE.gt(100))
        .await
        .unwrap_err();
    assert_eq!(err.cancellation_reasons()[0].index(), 0, "{err}");
    assert_eq!(accounts.get("d").consistent().await.unwrap(), None);

    // Refused before sending: the same key, or an item never read (version 0).
    let err = accounts.move_to(&current, &current).await.unwrap_err();
    assert!(err.is_validation() && err.code().is_none(), "{err:?}");
    assert!(err.to_string().contains("same"), "{err}");
    let err = accounts.move_to(&account("a", 11), &d).await.unwrap_err();
    assert!(err.is_validation() && err.code().is_none(), "{err:?}");
    assert!(err.to_string().contains("version 0"), "{err}");
    assert_eq!(accounts.get("d").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn moving_an_item_without_a_version_requires_it_to_exist() {
    let fx = Fixture::<Entry>::new("tx-move-plain").await;
    let ledger = &fx.table;
    let first = Entry {
        account: "a".into(),
        seq: 1,
        amount: 5,
    };
    ledger.put(&first).await.unwrap();
    let moved = Entry {
        seq: 2,
        ..first.clone()
    };
    ledger.move_to(&first, &moved).await.unwrap();
    assert_eq!(ledger.get(("a", 1u32)).consistent().await.unwrap(), None);
    assert_eq!(
        ledger.get(("a", 2u32)).consistent().await.unwrap(),
        Some(moved.clone())
    );

    // The old item is gone now: moving it again would resurrect it.
    let again = Entry {
        seq: 3,
        ..first.clone()
    };
    let err = ledger.move_to(&first, &again).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert_eq!(err.cancellation_reasons()[0].index(), 0);
    assert_eq!(ledger.get(("a", 3u32)).consistent().await.unwrap(), None);

    // Onto a taken key of the same partition: the sort key counts.
    ledger.put(&again).await.unwrap();
    let err = ledger.move_to(&moved, &again).await.unwrap_err();
    assert_eq!(err.cancellation_reasons()[0].index(), 1, "{err}");
    assert!(ledger
        .get(("a", 2u32))
        .consistent()
        .await
        .unwrap()
        .is_some());
    fx.cleanup().await;
}

/// Versioned puts inside transactions under contention: 8 tasks move money
/// into one account, each transfer a transaction of a versioned put of the
/// account (as read) and a ledger entry. A transaction whose version check
/// fails, or that conflicts with another, is cancelled and retried from a
/// fresh read; none is applied twice or lost.
#[tokio::test]
async fn versioned_puts_in_transactions_hold_under_contention() {
    const TASKS: u32 = 8;
    const TRANSFERS: u32 = 25;
    let accounts = Fixture::<Account>::new("tx-contention").await;
    let ledger = Table::<Entry>::named(
        accounts.table.client(),
        unique_table_name("tx-contention-ledger"),
    );
    ledger.create().await.unwrap();
    accounts.table.put(&account("pot", 0)).await.unwrap();

    let mut handles = Vec::new();
    for task in 0..TASKS {
        let (accounts, ledger) = (accounts.table.clone(), ledger.clone());
        handles.push(tokio::spawn(async move {
            let mut retries = 0u32;
            for n in 0..TRANSFERS {
                loop {
                    let mut pot = accounts.get("pot").consistent().await.unwrap().unwrap();
                    pot.balance += 1;
                    let entry = Entry {
                        account: format!("task-{task}"),
                        seq: n,
                        amount: 1,
                    };
                    let result = Transaction::new(accounts.client())
                        .put(accounts.put(&pot))
                        .put(ledger.put(&entry).if_absent())
                        .commit()
                        .await;
                    match result {
                        Ok(_) => break,
                        Err(e) if e.is_transaction_cancelled() => retries += 1,
                        Err(e) => panic!("unexpected error: {e:?}"),
                    }
                }
            }
            retries
        }));
    }
    let mut retries = 0;
    for handle in handles {
        retries += handle.await.unwrap();
    }
    let pot = accounts
        .table
        .get("pot")
        .consistent()
        .await
        .unwrap()
        .unwrap();
    let total = i64::from(TASKS * TRANSFERS);
    assert_eq!(pot.balance, total, "every transfer counted once");
    assert_eq!(pot.version, 1 + u64::from(TASKS * TRANSFERS));
    let entries = ledger.scan().consistent().count().await.unwrap();
    assert_eq!(entries, (TASKS * TRANSFERS) as usize);
    println!("{retries} cancelled transactions retried");
    ledger.delete_table().await.unwrap();
    accounts.cleanup().await;
}
