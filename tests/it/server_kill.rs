//! DynamoDB Local killed in the middle of a 20,000-item batch load: the
//! writer hands back every write that may not have landed, nothing is lost,
//! and resubmitting them after a restart (on the same database file) gives
//! the complete set.
//!
//! The test runs a DynamoDB Local of its own (the jar that
//! `scripts/dynamodb-local jar` installs, Java 17+), on a free loopback port
//! with its database in a temporary directory, and kills it with SIGKILL:
//! no chance to finish anything. It runs whatever the backend of the rest of
//! the suite, and fails (rather than skipping) when Java or the jar is
//! missing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use resourceful::batch::{RetryPolicy, Write};
use resourceful::prelude::*;

use crate::common::scan_all;

#[resource(service = "dynamodb", table = "kill-load", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    id: u32,
    body: String,
}

fn reading(id: u32) -> Reading {
    Reading {
        id,
        body: format!("reading {id}: {}", "x".repeat(100)),
    }
}

/// A DynamoDB Local process of this test's own.
struct Server {
    child: Child,
    endpoint: String,
}

impl Server {
    /// Starts DynamoDB Local on `port` with its database in `dir`, and
    /// waits until it answers.
    async fn start(jar_dir: &Path, dir: &Path, port: u16) -> Server {
        let child = Command::new("java")
            .arg(format!(
                "-Djava.library.path={}",
                jar_dir.join("DynamoDBLocal_lib").display()
            ))
            .arg("-jar")
            .arg(jar_dir.join("DynamoDBLocal.jar"))
            .args(["-sharedDb", "-disableTelemetry", "-dbPath"])
            .arg(dir)
            .args(["-port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start DynamoDB Local (needs Java 17+)");
        let server = Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let client = server.client();
        let deadline = Instant::now() + Duration::from_secs(90);
        while client.list_tables().send().await.is_err() {
            assert!(Instant::now() < deadline, "DynamoDB Local did not answer");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        server
    }

    fn client(&self) -> aws_sdk_dynamodb::Client {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("local", "local", None, None, "test"))
            .endpoint_url(&self.endpoint)
            .build();
        aws_sdk_dynamodb::Client::from_conf(config)
    }

    /// SIGKILL, and reaps the process.
    fn kill(mut self) {
        self.child.kill().expect("kill DynamoDB Local");
        self.child.wait().expect("reap DynamoDB Local");
    }
}

/// The directory of DynamoDBLocal.jar, installed by the script if needed.
fn jar_dir() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/dynamodb-local");
    let out = Command::new(script)
        .arg("jar")
        .output()
        .expect("run scripts/dynamodb-local jar");
    assert!(
        out.status.success(),
        "scripts/dynamodb-local jar failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_killed_server_loses_no_write_and_the_leftovers_complete_the_load() {
    const ITEMS: u32 = 20_000;
    const KILL_AFTER: u32 = 8_000;
    let jar_dir = jar_dir();
    // The database file outlives the process; on a memory file system
    // (/dev/shm) when there is one, since DynamoDB Local syncs every write
    // to disk and a disk makes the load ten times slower.
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("resourceful-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();

    let server = Server::start(&jar_dir, &dir, port).await;
    let table = Table::<Reading>::named(&server.client(), "kill-load");
    table.create().await.unwrap();

    // Few, quick retries: the server does not come back during the load.
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20));
    let mut writer = table.batch_writer().retry(policy);
    let progress = writer.progress();
    let mut server = Some(server);
    let mut in_flight_at_kill = 0;
    for id in 0..ITEMS {
        writer.put(reading(id)).await.unwrap();
        if id == KILL_AFTER {
            in_flight_at_kill = progress.in_flight();
            server.take().unwrap().kill();
        }
    }
    let left = writer
        .finish()
        .await
        .expect_err("writes after the kill cannot land");
    let leftovers: BTreeSet<u32> = left
        .writes()
        .iter()
        .map(|w| match w {
            Write::Put(r) => r.id,
            Write::Delete(_) => unreachable!("only puts"),
        })
        .collect();
    assert_eq!(leftovers.len(), left.writes().len(), "no write twice");

    // Restarted on the same database file.
    let server = Server::start(&jar_dir, &dir, port).await;
    let table = Table::<Reading>::named(&server.client(), "kill-load");
    let stored: BTreeMap<u32, Reading> = scan_all(&table)
        .await
        .into_iter()
        .map(|r| (r.id, r))
        .collect();

    // Nothing lost: every write is stored or handed back.
    let missing: Vec<u32> = (0..ITEMS)
        .filter(|id| !stored.contains_key(id) && !leftovers.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} writes lost: {missing:?}",
        missing.len()
    );
    assert!(stored.values().all(|r| *r == reading(r.id)));
    // A leftover that is stored anyway was in flight when the server died:
    // it may or may not have been applied, and the writer cannot know.
    let ambiguous = leftovers
        .iter()
        .filter(|id| stored.contains_key(id))
        .count();
    println!(
        "killed after {KILL_AFTER} puts with {in_flight_at_kill} writes in flight: \
         {} stored, {} handed back, {ambiguous} of them stored anyway",
        stored.len(),
        leftovers.len()
    );
    assert!(
        ambiguous as u64 <= in_flight_at_kill,
        "{ambiguous} leftovers had landed, but only {in_flight_at_kill} writes were in flight"
    );
    assert!(
        leftovers.len() as u32 >= ITEMS - KILL_AFTER - 1,
        "the writes after the kill are handed back"
    );

    // Resubmitting the leftovers completes the load.
    let mut writer = table.batch_writer();
    for write in left.into_writes() {
        if let Write::Put(r) = write {
            writer.put(r).await.unwrap();
        }
    }
    writer.finish().await.unwrap();
    let all = scan_all(&table).await;
    assert_eq!(all.len(), ITEMS as usize);
    assert!(all.iter().all(|r| *r == reading(r.id)));

    server.kill();
    std::fs::remove_dir_all(&dir).unwrap();
}
