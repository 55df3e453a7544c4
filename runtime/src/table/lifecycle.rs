//! Creating, deleting and inspecting tables.

use std::fmt;
use std::future::IntoFuture;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    LocalSecondaryIndex, Projection, ProjectionType, ScalarAttributeType, TableDescription,
    TableStatus, TimeToLiveSpecification,
};

use super::{BoxFuture, Table};
use crate::error::{Error, Result};
use crate::resource::{IndexKind, IndexProjection, Resource};
use crate::validate;
use crate::value::{KeyAttributeDef, ScalarType};

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

fn key_schema(
    table: &str,
    partition: &KeyAttributeDef,
    sort: Option<&KeyAttributeDef>,
) -> Result<Vec<KeySchemaElement>> {
    let mut keys = vec![key_element(table, partition.name, KeyType::Hash)?];
    if let Some(sort) = sort {
        keys.push(key_element(table, sort.name, KeyType::Range)?);
    }
    Ok(keys)
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
        validate::table_name(table)?;
        let schema = T::KEY_SCHEMA;
        // Every key attribute of the table and its indexes, once.
        let mut definitions: Vec<AttributeDefinition> = Vec::new();
        let mut define = |def: &KeyAttributeDef| -> Result<()> {
            if !definitions.iter().any(|d| d.attribute_name() == def.name) {
                definitions.push(definition(table, def)?);
            }
            Ok(())
        };
        define(&schema.partition)?;
        if let Some(sort) = &schema.sort {
            define(sort)?;
        }
        for index in T::INDEXES {
            define(&index.partition)?;
            if let Some(sort) = &index.sort {
                define(sort)?;
            }
        }
        let keys = key_schema(table, &schema.partition, schema.sort.as_ref())?;
        let mut globals = Vec::new();
        let mut locals = Vec::new();
        for index in T::INDEXES {
            let keys = key_schema(table, &index.partition, index.sort.as_ref())?;
            let projection = projection(index.projection);
            match index.kind {
                IndexKind::Global => globals.push(
                    GlobalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(Some(keys))
                        .projection(projection)
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
        self.table
            .client
            .create_table()
            .table_name(table)
            .set_attribute_definitions(Some(definitions))
            .set_key_schema(Some(keys))
            .set_global_secondary_indexes((!globals.is_empty()).then_some(globals))
            .set_local_secondary_indexes((!locals.is_empty()).then_some(locals))
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

/// Compares the live table's key schema and indexes with resource `T`.
pub(super) async fn verify<T: Resource>(table: &Table<T>) -> Result<()> {
    let name = table.name();
    let described = table
        .client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .map_err(|e| Error::sdk(Some(name), e))?
        .table
        .unwrap_or_else(|| TableDescription::builder().build());
    let differences = differences::<T>(&described);
    if differences.is_empty() {
        Ok(())
    } else {
        Err(Error::schema_mismatch(name, differences))
    }
}

/// `"id" (S, HASH)`-style text of a key schema, from the live description.
/// A key attribute: name, scalar type, role.
type KeyPart = (String, String, KeyType);

fn live_keys(described: &TableDescription, keys: &[KeySchemaElement]) -> Vec<KeyPart> {
    keys.iter()
        .map(|k| {
            let name = k.attribute_name().to_owned();
            let ty = described
                .attribute_definitions()
                .iter()
                .find(|d| d.attribute_name() == name)
                .map_or_else(
                    || "?".to_owned(),
                    |d| d.attribute_type().as_str().to_owned(),
                );
            (name, ty, k.key_type().clone())
        })
        .collect()
}

fn expected_keys(partition: &KeyAttributeDef, sort: Option<&KeyAttributeDef>) -> Vec<KeyPart> {
    let mut keys = vec![(
        partition.name.to_owned(),
        partition.key_type.as_str().to_owned(),
        KeyType::Hash,
    )];
    if let Some(sort) = sort {
        keys.push((
            sort.name.to_owned(),
            sort.key_type.as_str().to_owned(),
            KeyType::Range,
        ));
    }
    keys
}

fn describe_keys(keys: &[KeyPart]) -> String {
    keys.iter()
        .map(|(name, ty, kind)| {
            let role = if *kind == KeyType::Hash {
                "partition"
            } else {
                "sort"
            };
            format!("{role} key `{name}` ({ty})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_projection(projection: Option<&Projection>) -> String {
    let Some(projection) = projection else {
        return "no projection".to_owned();
    };
    match projection.projection_type() {
        Some(ProjectionType::Include) => {
            let mut attributes = projection.non_key_attributes().to_vec();
            attributes.sort();
            format!("INCLUDE {attributes:?}")
        }
        Some(other) => other.as_str().to_owned(),
        None => "no projection".to_owned(),
    }
}

/// An index of the live table.
struct LiveIndex {
    name: String,
    kind: IndexKind,
    keys: Vec<KeyPart>,
    projection: String,
}

fn differences<T: Resource>(described: &TableDescription) -> Vec<String> {
    let mut out = Vec::new();
    let schema = T::KEY_SCHEMA;
    let expected = expected_keys(&schema.partition, schema.sort.as_ref());
    let live = live_keys(described, described.key_schema());
    if expected != live {
        out.push(format!(
            "table key: the struct has {}, the table has {}",
            describe_keys(&expected),
            describe_keys(&live)
        ));
    }
    let live_indexes: Vec<LiveIndex> = described
        .global_secondary_indexes()
        .iter()
        .map(|i| LiveIndex {
            name: i.index_name().unwrap_or_default().to_owned(),
            kind: IndexKind::Global,
            keys: live_keys(described, i.key_schema()),
            projection: describe_projection(i.projection()),
        })
        .chain(
            described
                .local_secondary_indexes()
                .iter()
                .map(|i| LiveIndex {
                    name: i.index_name().unwrap_or_default().to_owned(),
                    kind: IndexKind::Local,
                    keys: live_keys(described, i.key_schema()),
                    projection: describe_projection(i.projection()),
                }),
        )
        .collect();
    let kind_name = |k: IndexKind| {
        if k == IndexKind::Global {
            "global"
        } else {
            "local"
        }
    };
    for index in T::INDEXES {
        let expected_keys = expected_keys(&index.partition, index.sort.as_ref());
        let expected_projection = describe_projection(Some(&projection(index.projection)));
        let Some(LiveIndex {
            kind,
            keys,
            projection,
            ..
        }) = live_indexes.iter().find(|l| l.name == index.name)
        else {
            out.push(format!(
                "{} index `{}` is missing from the table",
                kind_name(index.kind),
                index.name
            ));
            continue;
        };
        if *kind != index.kind {
            out.push(format!(
                "index `{}`: the struct declares a {} index, the table has a {} one",
                index.name,
                kind_name(index.kind),
                kind_name(*kind)
            ));
        }
        if *keys != expected_keys {
            out.push(format!(
                "index `{}`: the struct has {}, the table has {}",
                index.name,
                describe_keys(&expected_keys),
                describe_keys(keys)
            ));
        }
        if *projection != expected_projection {
            out.push(format!(
                "index `{}`: the struct projects {expected_projection}, the table projects {projection}",
                index.name
            ));
        }
    }
    for LiveIndex { name, kind, .. } in &live_indexes {
        if !T::INDEXES.iter().any(|i| i.name == name) {
            out.push(format!(
                "the table has a {} index `{name}` that the struct does not declare",
                kind_name(*kind)
            ));
        }
    }
    out
}
