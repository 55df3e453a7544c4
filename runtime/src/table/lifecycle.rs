//! Creating, deleting and inspecting tables.

use std::fmt;
use std::future::IntoFuture;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification,
};

use super::{BoxFuture, Table};
use crate::error::{Error, Result};
use crate::resource::{KeyAttributeDef, Resource, ScalarType};

/// How long `create` and `delete_table` wait by default.
const DEFAULT_WAIT: Duration = Duration::from_secs(300);

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
/// returns once the table is active.
#[must_use = "creating a table does nothing until awaited"]
pub struct CreateTable<'a, T: Resource> {
    table: &'a Table<T>,
    timeout: Duration,
}

impl<'a, T: Resource> CreateTable<'a, T> {
    pub(super) fn new(table: &'a Table<T>) -> Self {
        CreateTable {
            table,
            timeout: DEFAULT_WAIT,
        }
    }

    /// How long to wait for the table to become active (default 5 minutes).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn send(self) -> Result<()> {
        let table = self.table.name();
        validate_table_name(table)?;
        let schema = T::KEY_SCHEMA;
        let mut definitions = vec![definition(table, &schema.partition)?];
        let mut keys = vec![key_element(table, schema.partition.name, KeyType::Hash)?];
        if let Some(sort) = &schema.sort {
            definitions.push(definition(table, sort)?);
            keys.push(key_element(table, sort.name, KeyType::Range)?);
        }
        self.table
            .client
            .create_table()
            .table_name(table)
            .set_attribute_definitions(Some(definitions))
            .set_key_schema(Some(keys))
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
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
        Ok(())
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
        self.table
            .client
            .delete_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
        wait_until(table, self.timeout, "deleted", || async {
            Ok(status(self.table).await?.is_none())
        })
        .await
    }
}

impl<'a, T: Resource> IntoFuture for DeleteTable<'a, T> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Result<()>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// DynamoDB's table name rule: 3–255 characters of `a-z A-Z 0-9 _ - .`.
pub(crate) fn validate_table_name(name: &str) -> Result<()> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if !(3..=255).contains(&name.len()) || !valid_chars {
        return Err(Error::validation(
            name,
            "table names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`",
        ));
    }
    Ok(())
}

impl<T: Resource> fmt::Debug for CreateTable<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateTable")
            .field("table", &self.table.name())
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
