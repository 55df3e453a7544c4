//! [`Table`]: typed operations on the items of one table.

mod item;
mod lifecycle;
mod write;

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;

use crate::resource::Resource;

pub use item::{Delete, Get, GetProjection, Put, ReturnOld, Update};
pub use lifecycle::{CreateTable, DeleteTable};
pub(crate) use write::{prepare_check, Action, Prepared};

/// The future behind every operation builder: boxed, `Send`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A typed view of one DynamoDB table holding items of resource `T`.
///
/// Made by the generated `T::table(&client)` (the table name from the
/// definition) or [`Table::named`] (a name chosen at run time, such as a
/// stage-prefixed one). It is cheap to clone and can be shared between tasks.
///
/// Every operation is a builder: add options, then `.await` it.
///
/// | | |
/// |---|---|
/// | one item | [`put`](Table::put), [`get`](Table::get), [`update`](Table::update), [`delete`](Table::delete), [`delete_item`](Table::delete_item) |
/// | many items | [`query`](Table::query), [`scan`](Table::scan), [`index`](Table::index) |
/// | batches | [`batch_get`](Table::batch_get), [`batch_writer`](Table::batch_writer) |
/// | the table | [`create`](Table::create), [`delete_table`](Table::delete_table), [`verify`](Table::verify), [`exists`](Table::exists) |
///
/// Writes to several items that succeed or fail together go through a
/// [`Transaction`](crate::Transaction).
pub struct Table<T> {
    client: Client,
    name: Arc<str>,
    _marker: PhantomData<fn() -> T>,
}

impl<T: Resource> Table<T> {
    /// The table named in `T`'s definition.
    pub fn new(client: &Client) -> Self {
        Self::named(client, T::TABLE_NAME)
    }

    /// The same resource stored in a table with another name, for example
    /// `format!("{stage}-users")`.
    pub fn named(client: &Client, name: impl Into<Arc<str>>) -> Self {
        Table {
            client: client.clone(),
            name: name.into(),
            _marker: PhantomData,
        }
    }
}

impl<T> Table<T> {
    /// The table name used in requests.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The SDK client, for operations this crate does not wrap.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Table {
            client: self.client.clone(),
            name: self.name.clone(),
            _marker: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("resource", &std::any::type_name::<T>())
            .finish()
    }
}
