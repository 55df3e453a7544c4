//! Clients for local and configured endpoints.
//!
//! - [`client_from_env`]: the standard AWS configuration chain, honouring
//!   `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`.
//! - [`Embedded`] (feature `embedded`): an in-process DynamoDB-compatible
//!   server on a loopback port, for examples and tests.
//! - [`Backend`] (feature `embedded`): the configured endpoint if there is
//!   one, otherwise an embedded server.
//! - [`TestTable`] (feature `embedded`): a fresh table per test, on a
//!   [`Backend`].

use aws_config::meta::region::RegionProviderChain;
use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_dynamodb::Client;

/// The environment variables that point the client at an endpoint, most
/// specific first.
pub const ENDPOINT_VARIABLES: [&str; 2] = ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"];

/// The endpoint configured in the environment, if any.
pub fn endpoint_from_env() -> Option<String> {
    ENDPOINT_VARIABLES
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

fn local_credentials() -> Credentials {
    Credentials::new("local", "local", None, None, "resourceful-local")
}

/// A client built from the standard AWS configuration chain (environment,
/// profile, instance metadata, …).
///
/// `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`) points it at another
/// endpoint, such as DynamoDB Local. For such an endpoint the region defaults
/// to `us-east-1` and, when neither `AWS_ACCESS_KEY_ID` nor `AWS_PROFILE` is
/// set, dummy credentials are used, since local emulators accept any.
pub async fn client_from_env() -> Client {
    let region = RegionProviderChain::default_provider().or_else("us-east-1");
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(region);
    if let Some(endpoint) = endpoint_from_env() {
        loader = loader.endpoint_url(endpoint);
        let has_credentials = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        if !has_credentials {
            loader = loader.credentials_provider(local_credentials());
        }
    }
    Client::new(&loader.load().await)
}

#[cfg(feature = "embedded")]
pub use embedded::{Backend, Embedded, TestTable};

#[cfg(feature = "embedded")]
mod embedded {
    use std::fmt;

    use std::ops::Deref;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};

    use aws_sdk_dynamodb::config::{BehaviorVersion, Region};
    use aws_sdk_dynamodb::Client;
    use tokio::sync::oneshot;

    use crate::error::{Error, Result};
    use crate::resource::Resource;
    use crate::table::Table;

    /// An in-process DynamoDB-compatible server (dynoxide, in memory) on a
    /// loopback port.
    ///
    /// ```no_run
    /// # async fn run() -> resourceful_runtime::Result<()> {
    /// let local = resourceful_runtime::local::Embedded::start().await?;
    /// let client = local.client();
    /// println!("serving on {}", local.endpoint());
    /// # Ok(()) }
    /// ```
    ///
    /// The server stops when the value is dropped. It runs on the Tokio
    /// runtime that called [`start`](Embedded::start).
    #[cfg_attr(docsrs, doc(cfg(feature = "embedded")))]
    pub struct Embedded {
        endpoint: String,
        client: Client,
        db: dynoxide::Database,
        shutdown: Option<oneshot::Sender<()>>,
    }

    impl Embedded {
        /// Starts a server with an empty in-memory database on `127.0.0.1`
        /// and a free port.
        pub async fn start() -> Result<Self> {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| Error::backend("cannot bind a loopback port", e))?;
            let address = listener
                .local_addr()
                .map_err(|e| Error::backend("cannot read the bound address", e))?;
            let db = dynoxide::Database::memory()
                .map_err(|e| Error::backend("cannot open an in-memory database", e))?;
            let (shutdown, stop) = oneshot::channel::<()>();
            tokio::spawn(dynoxide::server::serve_with_shutdown(
                listener,
                db.clone(),
                async {
                    // Either a send or the sender being dropped stops the server.
                    let _ = stop.await;
                },
            ));
            let endpoint = format!("http://{address}");
            let config = aws_sdk_dynamodb::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(super::local_credentials())
                .endpoint_url(&endpoint)
                .build();
            Ok(Embedded {
                endpoint,
                client: Client::from_conf(config),
                db,
                shutdown: Some(shutdown),
            })
        }

        /// Deletes the items whose time to live has passed, now, in every
        /// table with time to live enabled, as DynamoDB does in the
        /// background within days; returns how many. Each deletion is a
        /// `REMOVE` record in the table's stream, marked as time to live's
        /// (the record's `userIdentity` is the service
        /// `dynamodb.amazonaws.com`), as DynamoDB writes it.
        pub async fn expire_items(&self) -> Result<usize> {
            let db = self.db.clone();
            tokio::task::spawn_blocking(move || db.sweep_ttl())
                .await
                .map_err(|e| Error::backend("the time-to-live sweep did not finish", e))?
                .map_err(|e| Error::backend("the time-to-live sweep failed", e))
        }

        /// A client for this server (cheap to clone).
        pub fn client(&self) -> Client {
            self.client.clone()
        }

        /// The server's URL, such as `http://127.0.0.1:41234`.
        pub fn endpoint(&self) -> &str {
            &self.endpoint
        }
    }

    impl Drop for Embedded {
        fn drop(&mut self) {
            if let Some(shutdown) = self.shutdown.take() {
                let _ = shutdown.send(());
            }
        }
    }

    impl fmt::Debug for Embedded {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Embedded")
                .field("endpoint", &self.endpoint)
                .finish_non_exhaustive()
        }
    }

    /// The endpoint configured in the environment if there is one
    /// (see [`client_from_env`](super::client_from_env)), otherwise an
    /// [`Embedded`] server. Examples and tests start with this.
    #[derive(Debug)]
    #[cfg_attr(docsrs, doc(cfg(feature = "embedded")))]
    pub struct Backend {
        client: Client,
        endpoint: Option<String>,
        embedded: Option<Embedded>,
    }

    impl Backend {
        /// Connects to the configured endpoint or starts an embedded server.
        pub async fn from_env() -> Result<Self> {
            if let Some(endpoint) = super::endpoint_from_env() {
                return Ok(Backend {
                    client: super::client_from_env().await,
                    endpoint: Some(endpoint),
                    embedded: None,
                });
            }
            let embedded = Embedded::start().await?;
            Ok(Backend {
                client: embedded.client(),
                endpoint: Some(embedded.endpoint().to_owned()),
                embedded: Some(embedded),
            })
        }

        /// A client for the backend (cheap to clone).
        pub fn client(&self) -> Client {
            self.client.clone()
        }

        /// The embedded server, when this is one: for what only it can do,
        /// such as [`Embedded::expire_items`].
        pub fn embedded(&self) -> Option<&Embedded> {
            self.embedded.as_ref()
        }

        /// Whether this is an embedded server started by [`Backend::from_env`].
        pub fn is_embedded(&self) -> bool {
            self.embedded.is_some()
        }

        /// The endpoint URL.
        pub fn endpoint(&self) -> &str {
            self.endpoint.as_deref().unwrap_or_default()
        }
    }

    impl fmt::Display for Backend {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let kind = if self.is_embedded() {
                "embedded server"
            } else {
                "endpoint"
            };
            write!(f, "{kind} at {}", self.endpoint())
        }
    }

    /// A table of `T` that one test has to itself, created from the resource's
    /// definition (keys, indexes, time to live) under a name no other test uses.
    ///
    /// Without `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`), the table
    /// lives on an [`Embedded`] server of its own,
    /// which stops when the `TestTable` is dropped: nothing is left behind. With
    /// one set, the same test runs against that endpoint (DynamoDB Local, or
    /// AWS) on a uniquely named table; call [`delete`](TestTable::delete) at the
    /// end so that it does not stay there.
    ///
    /// It dereferences to [`Table<T>`], so every operation is there. The
    /// guide's "Testing your own code" chapter shows a test written with it.
    #[cfg_attr(docsrs, doc(cfg(feature = "embedded")))]
    pub struct TestTable<T> {
        table: Table<T>,
        backend: Backend,
    }

    impl<T: Resource> TestTable<T> {
        /// Creates the table and waits until it is active: on an embedded
        /// server, or on the endpoint named by the environment.
        pub async fn new() -> Result<Self> {
            let backend = Backend::from_env().await?;
            let table = Table::named(&backend.client(), unique_name(T::TABLE_NAME));
            table.create().await?;
            Ok(TestTable { table, backend })
        }

        /// Deletes the table and waits until it is gone. On the embedded server
        /// dropping the `TestTable` is enough; on any other endpoint, call this
        /// at the end of the test.
        pub async fn delete(self) -> Result<()> {
            self.table.delete_table().await
        }

        /// The backend the table lives on.
        pub fn backend(&self) -> &Backend {
            &self.backend
        }
    }

    impl<T> Deref for TestTable<T> {
        type Target = Table<T>;

        fn deref(&self) -> &Table<T> {
            &self.table
        }
    }

    impl<T> fmt::Debug for TestTable<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("TestTable")
                .field("table", &self.table.name())
                .field("backend", &self.backend)
                .finish()
        }
    }

    /// `base` with the process, a counter and the clock: unique across the
    /// tests of a run and across runs against the same endpoint, and within
    /// DynamoDB's 255 characters.
    fn unique_name(base: &str) -> String {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let base: String = base.chars().take(200).collect();
        format!(
            "{base}-test-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        )
    }

    #[cfg(test)]
    mod tests {
        use super::unique_name;

        #[test]
        fn names_are_unique_and_valid() {
            let long = "t".repeat(255);
            let names: Vec<String> = (0..100).map(|_| unique_name(&long)).collect();
            let distinct: std::collections::HashSet<_> = names.iter().collect();
            assert_eq!(distinct.len(), 100);
            assert!(names.iter().all(|n| n.len() <= 255 && n.starts_with("ttt")));
        }
    }
}
