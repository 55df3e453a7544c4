//! Typed conditions, updates, key conditions, projections, optimistic
//! locking and time to live.
//!
//! ```sh
//! cargo run --example conditions_and_updates
//! ```

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

use resourceful::expr::DynamoType;
use resourceful::local::Backend;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "example-articles",
    key = "author",
    sort_key = "slug"
)]
#[derive(Debug, Clone, PartialEq)]
struct Article {
    author: String,
    slug: String,
    title: String,
    views: u64,
    tags: BTreeSet<String>,
    revisions: Vec<String>,
    meta: HashMap<String, String>,
    editor: Option<String>,
    #[resource(version)]
    version: u64,
    #[resource(ttl)]
    expires_at: Option<SystemTime>,
}

/// Reads only what a listing shows.
#[resource(projection = Article)]
#[derive(Debug)]
struct ArticleCard {
    slug: String,
    title: String,
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let backend = Backend::from_env().await?;
    println!("using the {backend}");
    let articles = Article::table(&backend.client());
    if articles.exists().await? {
        articles.delete_table().await?;
    }
    articles.create().await?;
    println!(
        "created `{}` with time to live on `expires_at`",
        articles.name()
    );

    for (slug, title) in [
        ("intro", "Introduction"),
        ("intro-2", "Intro, again"),
        ("deep-dive", "A deep dive"),
    ] {
        let article = Article {
            author: "ann".into(),
            slug: slug.into(),
            title: title.into(),
            views: 0,
            tags: BTreeSet::from(["rust".to_owned()]),
            revisions: vec![],
            meta: HashMap::new(),
            editor: None,
            version: 0,
            expires_at: Some(SystemTime::now() + Duration::from_secs(86_400)),
        };
        articles.put(&article).await?;
    }
    println!("put 3 articles (version 0 → 1)");

    // Updates: numbers, sets, lists and paths into maps, under a condition.
    let updated = articles
        .update(("ann", "intro"))
        .add(Article::VIEWS, 10)
        .add(Article::TAGS, BTreeSet::from(["databases".to_owned()]))
        .append(Article::REVISIONS, ["fixed a typo".to_owned()])
        .set(Article::META.field("lang"), "en")
        .set_if_absent(Article::EDITOR, "bob")
        .condition(Article::TITLE.begins_with("Intro") & Article::TAGS.contains("rust"))
        .await?;
    println!(
        "updated intro: views={}, tags={:?}, revisions={:?}, meta={:?}, editor={:?}, version={}",
        updated.views,
        updated.tags,
        updated.revisions,
        updated.meta,
        updated.editor,
        updated.version
    );

    // A condition that does not hold.
    let refused = articles
        .update(("ann", "intro"))
        .set(Article::TITLE, "Hijacked")
        .condition(Article::VIEWS.gt(100) | Article::EDITOR.attribute_type(DynamoType::Null))
        .await;
    match refused {
        Err(e) if e.is_condition_failed() => println!("conditional update refused, as expected"),
        other => panic!("expected a condition failure, got {other:?}"),
    }

    // Optimistic locking: a stale copy cannot overwrite a newer version.
    let stale = articles
        .get(("ann", "deep-dive"))
        .consistent()
        .await?
        .expect("stored");
    let mut fresh = stale.clone();
    fresh.title = "A deeper dive".into();
    articles.put(&fresh).await?;
    let mut late = stale;
    late.title = "Lost update".into();
    match articles.put(&late).await {
        Err(e) if e.is_condition_failed() => {
            println!("stale put refused (version {} is gone)", late.version)
        }
        other => panic!("expected a version conflict, got {other:?}"),
    }

    // A query with a key condition on the sort key, a filter, and a projection.
    let intros = articles
        .query("ann")
        .sort(Article::SLUG.begins_with("intro"))
        .filter(Article::VIEWS.ge(1))
        .all()
        .await?;
    println!(
        "query slug begins_with intro, views >= 1 -> {:?}",
        intros.iter().map(|a| &a.slug).collect::<Vec<_>>()
    );
    let card = articles
        .get(("ann", "deep-dive"))
        .project::<ArticleCard>()
        .await?
        .expect("deep-dive exists");
    println!("projection of deep-dive -> {}: {}", card.slug, card.title);

    articles.delete_table().await?;
    println!("deleted `{}`", articles.name());
    Ok(())
}
