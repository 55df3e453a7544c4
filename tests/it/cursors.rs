//! Cursors end to end: sealed with a table handle's key, paging queries,
//! index queries and scans; and every foreign, altered or mismatched cursor
//! refused before anything is sent.

use crate::common::Fixture;
use futures_util::{stream, StreamExt, TryStreamExt};
use resourceful::prelude::*;
use resourceful::{Cursor, CursorKey};

#[resource(
    service = "dynamodb",
    table = "members",
    key = "org",
    sort_key = "email",
    index(name = "by_plan", key = "plan", sort_key = "email")
)]
#[derive(Debug, Clone, PartialEq)]
struct Member {
    org: String,
    email: String,
    plan: String,
}

fn member(org: &str, i: u32) -> Member {
    Member {
        org: org.into(),
        email: format!("person{i:03}@{org}.example"),
        plan: if i.is_multiple_of(4) { "pro" } else { "free" }.into(),
    }
}

/// 100 members of `acme` and 20 of `globex`.
async fn load(table: &Table<Member>) {
    let members = (0..100)
        .map(|i| member("acme", i))
        .chain((0..20).map(|i| member("globex", i)));
    stream::iter(members)
        .map(|m| {
            let table = table.clone();
            async move { table.put(&m).await }
        })
        .buffer_unordered(32)
        .try_collect::<Vec<()>>()
        .await
        .unwrap();
}

/// What a sealed cursor's text must not show.
fn assert_reveals_nothing(text: &str, table: &str) {
    assert!(text.len() < 400, "{text}");
    for secret in ["acme", "globex", "person", "example", "by_plan", table] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// Pages of `limit` items from a keyed query, the cursor travelling as text.
async fn walk(table: &Table<Member>, org: &str, limit: usize) -> (Vec<String>, usize) {
    let mut emails = Vec::new();
    let mut pages = 0;
    let mut text: Option<String> = None;
    loop {
        let mut query = table.query(org.to_owned()).limit(limit);
        if let Some(text) = text.take() {
            query = query.start(text.parse().unwrap());
        }
        let page = query.page().await.unwrap();
        pages += 1;
        emails.extend(page.items.into_iter().map(|m| m.email));
        match page.cursor {
            Some(cursor) => {
                assert!(cursor.is_sealed());
                let t = cursor.to_string();
                assert_reveals_nothing(&t, table.name());
                text = Some(t);
            }
            None => return (emails, pages),
        }
    }
}

#[tokio::test]
async fn sealed_cursors_page_queries_and_scans_end_to_end() {
    let fx = Fixture::<Member>::new("cursor-sealed").await;
    load(&fx.table).await;
    let table = fx.table.clone().seal_cursors(CursorKey::generate());

    let (emails, pages) = walk(&table, "acme", 7).await;
    let expected: Vec<String> = (0..100).map(|i| member("acme", i).email).collect();
    assert_eq!(emails, expected, "every member once, in order");
    assert_eq!(pages, 15, "14 full pages and one of 2");

    // An index query, through `pages()`.
    let first = table
        .index(Member::BY_PLAN)
        .query("pro")
        .page_size(10)
        .pages()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.items.len(), 10);
    let cursor = first.cursor.unwrap();
    assert!(cursor.is_sealed());
    assert_reveals_nothing(&cursor.to_string(), table.name());
    let rest = table
        .index(Member::BY_PLAN)
        .query("pro")
        .start(cursor.to_string().parse().unwrap())
        .all()
        .await
        .unwrap();
    // 25 pro members of acme and 5 of globex.
    assert_eq!(first.items.len() + rest.len(), 30);

    // A scan, page by page through `pages()`, resumed from its cursors.
    let mut seen = Vec::new();
    let mut start: Option<Cursor> = None;
    loop {
        let mut scan = table.scan().page_size(45);
        if let Some(cursor) = start.take() {
            scan = scan.start(cursor.to_string().parse().unwrap());
        }
        let page = scan.pages().try_next().await.unwrap().unwrap();
        seen.extend(page.items.into_iter().map(|m| (m.org, m.email)));
        match page.cursor {
            Some(cursor) => {
                assert!(cursor.is_sealed());
                assert_reveals_nothing(&cursor.to_string(), table.name());
                start = Some(cursor);
            }
            None => break,
        }
    }
    let distinct: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), distinct.len()), (120, 120));

    // The filter and the projection are not part of a query's identity:
    // the next page may drop or change them.
    let page = table
        .query("acme")
        .filter(Member::PLAN.eq("pro"))
        .limit(5)
        .page()
        .await
        .unwrap();
    let rest = table
        .query("acme")
        .start(page.cursor.unwrap())
        .all()
        .await
        .unwrap();
    assert_eq!(
        rest.first().map(|m| m.email.as_str()),
        Some("person017@acme.example")
    );
    fx.cleanup().await;
}

/// Asserts that `read` failed before anything was sent, saying `expected`.
fn assert_refused<T: std::fmt::Debug>(read: resourceful::Result<T>, expected: &str) {
    let err = read.unwrap_err();
    assert!(
        err.is_validation() && err.code().is_none(),
        "not refused before sending: {err:?}"
    );
    assert!(err.to_string().contains(expected), "{err}");
}

#[tokio::test]
async fn foreign_cursors_are_refused_with_a_clear_error() {
    let fx = Fixture::<Member>::new("cursor-foreign").await;
    load(&fx.table).await;
    let key = CursorKey::generate();
    let table = fx.table.clone().seal_cursors(key.clone());
    let next = |page: Page<Member>| page.cursor.expect("more pages");
    let sealed = next(table.query("acme").limit(10).page().await.unwrap());
    let plain = next(fx.table.query("acme").limit(10).page().await.unwrap());
    assert!(!plain.is_sealed());
    // A plain cursor holds the key values in the clear, as documented.
    assert_eq!(plain.table(), fx.table.name());

    // Another partition, another sort-key condition, an index, a scan.
    for (cursor, keyed) in [(&sealed, &table), (&plain, &fx.table)] {
        let start = || cursor.clone();
        assert_refused(
            keyed.query("globex").start(start()).all().await,
            "made for another query of the table (another partition value",
        );
        assert_refused(
            keyed
                .query("acme")
                .sort(Member::EMAIL.begins_with("person0"))
                .start(start())
                .all()
                .await,
            "made for another query of the table",
        );
        assert_refused(
            keyed
                .index(Member::BY_PLAN)
                .query("acme")
                .start(start())
                .all()
                .await,
            "cannot continue a read of index `by_plan`",
        );
        assert_refused(
            keyed.scan().start(start()).all().await,
            "made for a query and cannot continue a scan of the table",
        );
    }

    // Another table, with the same key: named only for a plain cursor.
    let other = Table::<Member>::named(fx.table.client(), "other-members");
    assert_refused(
        other
            .clone()
            .seal_cursors(key)
            .query("acme")
            .start(sealed.clone())
            .all()
            .await,
        "made for another table",
    );
    assert_refused(
        other.query("acme").start(plain.clone()).all().await,
        &format!("made for table `{}`", fx.table.name()),
    );

    // Another key, no key, a plain cursor where cursors are sealed.
    let other_key = fx.table.clone().seal_cursors(CursorKey::generate());
    assert_refused(
        other_key.query("acme").start(sealed.clone()).all().await,
        "altered, or sealed with another cursor key",
    );
    assert_refused(
        fx.table.query("acme").start(sealed.clone()).all().await,
        "this table handle has no cursor key",
    );
    assert_refused(
        table.query("acme").start(plain.clone()).all().await,
        "this cursor is not sealed",
    );

    // Altered or truncated text: refused when parsed or when the read starts.
    for cursor in [&sealed, &plain] {
        let text = cursor.to_string();
        let mut altered = text.clone().into_bytes();
        let middle = text.len() / 2;
        altered[middle] = if altered[middle] == b'x' { b'y' } else { b'x' };
        let altered = String::from_utf8(altered).unwrap();
        for bad in [altered.as_str(), &text[..text.len() - 4]] {
            let handle = if cursor.is_sealed() {
                &table
            } else {
                &fx.table
            };
            match bad.parse::<Cursor>() {
                Err(e) => assert!(e.to_string().starts_with("invalid cursor"), "{e}"),
                Ok(c) => assert_refused(handle.query("acme").start(c).all().await, "altered"),
            }
        }
    }

    // And on their own read, both continue where the page stopped.
    let rest = table.query("acme").start(sealed).all().await.unwrap();
    let rest_plain = fx.table.query("acme").start(plain).all().await.unwrap();
    assert_eq!(rest, rest_plain);
    assert_eq!(rest.len(), 90);
    assert_eq!(rest[0].email, "person010@acme.example");
    fx.cleanup().await;
}
