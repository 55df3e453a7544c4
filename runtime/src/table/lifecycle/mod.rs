//! Creating, deleting and inspecting tables.

mod options;
mod verify;

use std::fmt;
use std::future::IntoFuture;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType, LocalSecondaryIndex,
    PointInTimeRecoverySpecification, Projection, ProjectionType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification,
};

use super::write::Attempts;
use super::{BoxFuture, Table};
use crate::error::{Error, Result};
use crate::resource::{HasIndex, Index, IndexDef, IndexKind, IndexProjection, Resource};
use crate::validate;
use crate::value::{KeyAttributeDef, ScalarType};

pub use options::{StreamView, TableClass, TableOptions};
pub(super) use verify::verify;
pub use verify::{Checked, TableReport};

/// How long `create` and `delete_table` wait by default.
const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// DynamoDB's answer to `UpdateContinuousBackups` while a new table's
/// backups are still being set up; it passes within minutes.
const BACKUPS_UNAVAILABLE: &str = "ContinuousBackupsUnavailableException";

fn scalar(t: ScalarType) -> ScalarAttributeType {
    match t {
        ScalarType::S => ScalarAttributeType::S,
        ScalarType::N => ScalarAttributeType::N,
        ScalarType::B => ScalarAttributeType::B,
    }
}

fn definition(table: &str, def: &KeyAttributeDef) -> Result<AttributeDefinition> {
    AttributeDefinition::builder()
        .attribute_name(def.name)
        .attribute_type(scalar(def.key_type))
        .build()
        .map_err(|e| Error::validation(table, e.to_string()))
}

fn key_element(table: &str, name: &str, key_type: KeyType) -> Result<KeySchemaElement> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .map_err(|e| Error::validation(table, e.to_string()))
}

fn key_schema(
    table: &str,
    partition: &[KeyAttributeDef],
    sort: &[KeyAttributeDef],
) -> Result<Vec<KeySchemaElement>> {
    let hash = partition.iter().map(|k| (k, KeyType::Hash));
    let range = sort.iter().map(|k| (k, KeyType::Range));
    hash.chain(range)
        .map(|(key, kind)| key_element(table, key.name, kind))
        .collect()
}

fn projection(projection: IndexProjection) -> Projection {
    match projection {
        IndexProjection::All => Projection::builder()
            .projection_type(ProjectionType::All)
            .build(),
        IndexProjection::KeysOnly => Projection::builder()
            .projection_type(ProjectionType::KeysOnly)
            .build(),
        IndexProjection::Include(attributes) => Projection::builder()
            .projection_type(ProjectionType::Include)
            .set_non_key_attributes(Some(attributes.iter().map(|a| (*a).to_owned()).collect()))
            .build(),
    }
}

/// Polls with a growing delay until `done` says so or `timeout` passes.
async fn wait_until<F, Fut>(table: &str, timeout: Duration, what: &str, mut done: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let start = Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        if done().await? {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            return Err(Error::timeout(
                table,
                format!("the table did not become {what} within {timeout:?}"),
            ));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

async fn status<T>(table: &Table<T>) -> Result<Option<TableStatus>> {
    match table
        .client
        .describe_table()
        .table_name(&*table.name)
        .send()
        .await
    {
        Ok(output) => Ok(output.table.and_then(|t| t.table_status)),
        Err(e) => {
            let error = Error::sdk(Some(&table.name), e);
            if error.is_not_found() {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}

pub(super) async fn exists<T>(table: &Table<T>) -> Result<bool> {
    Ok(status(table).await?.is_some())
}

/// Creates a table from the resource's definition. Await it to send; it
/// returns once the table is active and set up.
///
/// By default the table has on-demand capacity, no deletion protection, the
/// standard table class, no point-in-time recovery, no tags and no stream;
/// the methods below change that, one option at a time or all at once with
/// [`options`](CreateTable::options). They are checked before anything is
/// sent (see [`TableOptions`]).
///
/// Once the table is active, time to live is enabled on the `ttl` field,
/// then point-in-time recovery if asked for; an error in one of these later
/// steps leaves the table created.
#[must_use = "creating a table does nothing until awaited"]
pub struct CreateTable<'a, T: Resource> {
    table: &'a Table<T>,
    options: TableOptions<T>,
    timeout: Duration,
    /// `T`'s indexes, or those of every resource sharing the table.
    indexes: Vec<IndexDef>,
}

impl<'a, T: Resource> CreateTable<'a, T> {
    pub(super) fn new(table: &'a Table<T>) -> Self {
        CreateTable {
            table,
            options: TableOptions::new(),
            timeout: DEFAULT_WAIT,
            indexes: T::INDEXES.to_vec(),
        }
    }

    /// Creates the indexes of every resource in `groups` (a collection's
    /// members), each once by name, instead of `T`'s alone.
    pub(crate) fn with_indexes(mut self, groups: &[&'static [IndexDef]]) -> Self {
        self.indexes.clear();
        for index in groups.iter().flat_map(|g| g.iter()) {
            if !self.indexes.iter().any(|i| i.name == index.name) {
                self.indexes.push(*index);
            }
        }
        self
    }

    /// How long to wait for the table to become active, and then for its
    /// backups to be ready for point-in-time recovery (default 5 minutes
    /// each).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Every option at once, replacing those set so far: the value that
    /// [`Table::verify_with`] checks the table against later.
    pub fn options(mut self, options: TableOptions<T>) -> Self {
        self.options = options;
        self
    }

    /// On-demand capacity, the default (see [`TableOptions::on_demand`]).
    pub fn on_demand(mut self) -> Self {
        self.options = self.options.on_demand();
        self
    }

    /// Provisioned capacity, also given to global indexes without their own
    /// (see [`TableOptions::provisioned`]).
    pub fn provisioned(mut self, read: u64, write: u64) -> Self {
        self.options = self.options.provisioned(read, write);
        self
    }

    /// The capacity of one global index of a provisioned table (see
    /// [`TableOptions::index_capacity`]).
    pub fn index_capacity<const I: usize>(
        mut self,
        index: Index<T, I>,
        read: u64,
        write: u64,
    ) -> Self
    where
        T: HasIndex<I>,
    {
        self.options = self.options.index_capacity(index, read, write);
        self
    }

    /// Whether DynamoDB refuses to delete the table (see
    /// [`TableOptions::deletion_protection`]).
    pub fn deletion_protection(mut self, enabled: bool) -> Self {
        self.options = self.options.deletion_protection(enabled);
        self
    }

    /// The table class (see [`TableOptions::table_class`]).
    pub fn table_class(mut self, class: TableClass) -> Self {
        self.options = self.options.table_class(class);
        self
    }

    /// Whether point-in-time recovery is on (see
    /// [`TableOptions::point_in_time_recovery`]).
    pub fn point_in_time_recovery(mut self, enabled: bool) -> Self {
        self.options = self.options.point_in_time_recovery(enabled);
        self
    }

    /// Adds a tag (see [`TableOptions::tag`]).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.options = self.options.tag(key, value);
        self
    }

    /// The table's stream (see [`TableOptions::stream`]).
    pub fn stream(mut self, view: impl Into<Option<StreamView>>) -> Self {
        self.options = self.options.stream(view);
        self
    }

    async fn send(self) -> Result<()> {
        let table = self.table.name();
        validate::table_name(table)?;
        self.options.validate(table)?;
        let options = &self.options;
        let schema = T::KEY_SCHEMA;
        // Every key attribute of the table and its indexes, once.
        let mut definitions: Vec<AttributeDefinition> = Vec::new();
        let mut define = |def: &KeyAttributeDef| -> Result<()> {
            if !definitions.iter().any(|d| d.attribute_name() == def.name) {
                definitions.push(definition(table, def)?);
            }
            Ok(())
        };
        for key in std::iter::once(&schema.partition).chain(&schema.sort) {
            define(key)?;
        }
        for index in &self.indexes {
            for key in index.partition.iter().chain(index.sort) {
                define(key)?;
            }
        }
        let table_sort: &[KeyAttributeDef] = schema.sort.as_slice();
        let keys = key_schema(table, &[schema.partition], table_sort)?;
        let mut globals = Vec::new();
        let mut locals = Vec::new();
        for index in &self.indexes {
            let keys = key_schema(table, index.partition, index.sort)?;
            let projection = projection(index.projection);
            match index.kind {
                IndexKind::Global => globals.push(
                    GlobalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(Some(keys))
                        .projection(projection)
                        .set_provisioned_throughput(options.index_throughput_sdk(index.name))
                        .build()
                        .map_err(|e| Error::validation(table, e.to_string()))?,
                ),
                IndexKind::Local => locals.push(
                    LocalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(Some(keys))
                        .projection(projection)
                        .build()
                        .map_err(|e| Error::validation(table, e.to_string()))?,
                ),
            }
        }
        let attempts = Attempts::default();
        // Options left at their defaults are not sent, so that endpoints
        // which do not know a parameter still create plain tables.
        self.table
            .client
            .create_table()
            .table_name(table)
            .set_attribute_definitions(Some(definitions))
            .set_key_schema(Some(keys))
            .set_global_secondary_indexes((!globals.is_empty()).then_some(globals))
            .set_local_secondary_indexes((!locals.is_empty()).then_some(locals))
            .billing_mode(options.billing_mode())
            .set_provisioned_throughput(options.table_throughput())
            .set_stream_specification(options.stream_specification())
            .set_table_class(
                (options.table_class != TableClass::Standard).then(|| options.table_class.to_sdk()),
            )
            .set_deletion_protection_enabled(options.deletion_protection.then_some(true))
            .set_tags(options.sdk_tags())
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await
            .map_err(|e| {
                Error::sdk(Some(table), e).after_ambiguous_attempt(attempts.earlier_ambiguous())
            })?;
        // The table is created: an error from here on leaves it so.
        self.set_up(table)
            .await
            .map_err(|e| e.after_ambiguous_attempt(true))
    }

    /// Waits for the created table, then enables what it needs.
    async fn set_up(&self, table: &str) -> Result<()> {
        wait_until(table, self.timeout, "active", || async {
            Ok(status(self.table).await? == Some(TableStatus::Active))
        })
        .await?;
        if let Some(attribute) = T::TTL_ATTRIBUTE {
            let specification = TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(attribute)
                .build()
                .map_err(|e| Error::validation(table, e.to_string()))?;
            self.table
                .client
                .update_time_to_live()
                .table_name(table)
                .time_to_live_specification(specification)
                .send()
                .await
                .map_err(|e| Error::sdk(Some(table), e))?;
        }
        if self.options.point_in_time_recovery {
            self.enable_point_in_time_recovery().await?;
        }
        Ok(())
    }

    /// Turns on point-in-time recovery, waiting while DynamoDB still sets up
    /// the new table's continuous backups.
    async fn enable_point_in_time_recovery(&self) -> Result<()> {
        let table = self.table.name();
        let specification = PointInTimeRecoverySpecification::builder()
            .point_in_time_recovery_enabled(true)
            .build()
            .map_err(|e| Error::validation(table, e.to_string()))?;
        wait_until(
            table,
            self.timeout,
            "ready for point-in-time recovery",
            || async {
                let result = self
                    .table
                    .client
                    .update_continuous_backups()
                    .table_name(table)
                    .point_in_time_recovery_specification(specification.clone())
                    .send()
                    .await;
                match result {
                    Ok(_) => Ok(true),
                    Err(e) => {
                        let error = Error::sdk(Some(table), e);
                        if error.code() == Some(BACKUPS_UNAVAILABLE) {
                            Ok(false)
                        } else {
                            Err(error)
                        }
                    }
                }
            },
        )
        .await
    }
}

impl<'a, T: Resource> IntoFuture for CreateTable<'a, T> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Result<()>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Deletes a table. Await it to send; it returns once the table is gone.
#[must_use = "deleting a table does nothing until awaited"]
pub struct DeleteTable<'a, T: Resource> {
    table: &'a Table<T>,
    timeout: Duration,
}

impl<'a, T: Resource> DeleteTable<'a, T> {
    pub(super) fn new(table: &'a Table<T>) -> Self {
        DeleteTable {
            table,
            timeout: DEFAULT_WAIT,
        }
    }

    /// How long to wait for the table to disappear (default 5 minutes).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn send(self) -> Result<()> {
        let table = self.table.name();
        let attempts = Attempts::default();
        self.table
            .client
            .delete_table()
            .table_name(table)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await
            .map_err(|e| {
                Error::sdk(Some(table), e).after_ambiguous_attempt(attempts.earlier_ambiguous())
            })?;
        // The table is being deleted: an error from here on leaves it so.
        wait_until(table, self.timeout, "deleted", || async {
            Ok(status(self.table).await?.is_none())
        })
        .await
        .map_err(|e| e.after_ambiguous_attempt(true))
    }
}

impl<'a, T: Resource> IntoFuture for DeleteTable<'a, T> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Result<()>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T: Resource> fmt::Debug for CreateTable<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateTable")
            .field("table", &self.table.name())
            .field("options", &self.options)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl<T: Resource> fmt::Debug for DeleteTable<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeleteTable")
            .field("table", &self.table.name())
            .field("timeout", &self.timeout)
            .finish()
    }
}
