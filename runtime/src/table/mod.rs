//! [`Table`]: typed operations on the items of one table.

pub(crate) mod cursor_key;
mod item;
mod lifecycle;
mod move_to;
mod write;

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;

use crate::error::Result;
use crate::resource::{IntoKey, Resource};

pub use cursor_key::CursorKey;
pub use item::{Delete, Existing, Get, GetProjection, Put, ReturnOld, Update, UpdateMode, Upsert};
pub use lifecycle::{
    Checked, CreateTable, DeleteTable, StreamView, TableClass, TableOptions, TableReport,
};
pub use move_to::Move;
pub(crate) use write::{prepare_check, Action, Attempts, Prepared};

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
/// | one item | [`put`](Table::put), [`get`](Table::get), [`update`](Table::update), [`upsert`](Table::upsert), [`delete`](Table::delete), [`delete_item`](Table::delete_item), [`move_to`](Table::move_to) |
/// | many items | [`query`](Table::query), [`scan`](Table::scan), [`index`](Table::index) |
/// | batches | [`batch_get`](Table::batch_get), [`batch_writer`](Table::batch_writer) |
/// | cursors | [`seal_cursors`](Table::seal_cursors): encrypt and authenticate the cursors of reads |
/// | the table | [`create`](Table::create), [`delete_table`](Table::delete_table), [`verify`](Table::verify), [`verify_with`](Table::verify_with), [`exists`](Table::exists) |
/// | its stream (feature `streams`) | `changes` |
///
/// Writes to several items that succeed or fail together go through a
/// [`Transaction`](crate::Transaction).
pub struct Table<T> {
    client: Client,
    name: Arc<str>,
    cursor_key: Option<CursorKey>,
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
            cursor_key: None,
            _marker: PhantomData,
        }
    }

    /// Writes `item`, replacing any item with the same key.
    ///
    /// Options: [`if_absent`](Put::if_absent), [`condition`](Put::condition),
    /// [`return_old`](Put::return_old).
    pub fn put<'a>(&'a self, item: &'a T) -> Put<'a, T> {
        Put::new(self, item)
    }

    /// Reads the item with `key`; `None` when there is none.
    ///
    /// `key` is anything that converts into the key type: `"u1"` for a
    /// string partition key, `("c1", 42)` for a composite key.
    pub fn get(&self, key: impl IntoKey<T>) -> Get<'_, T> {
        Get::new(self, key.into_key())
    }

    /// Deletes the item with `key` (succeeding when there is none, unless a
    /// condition says otherwise).
    pub fn delete(&self, key: impl IntoKey<T>) -> Delete<'_, T> {
        Delete::new(self, key.into_key())
    }

    /// Deletes `item` (by its key). For a resource with a `version` field,
    /// the stored version must equal the item's, as for `put`.
    pub fn delete_item(&self, item: &T) -> Delete<'_, T> {
        Delete::of_item(self, item)
    }

    /// Updates the item with `key` and returns it as it is afterwards.
    ///
    /// The item must exist: when there is none, nothing is written and the
    /// error has [`Error::is_not_found`](crate::Error::is_not_found) (not
    /// [`is_condition_failed`](crate::Error::is_condition_failed), which
    /// stays for the update's own [`condition`](Update::condition)). To
    /// create a missing item by an update, use [`upsert`](Table::upsert).
    ///
    /// Actions: [`set`](Update::set), [`set_if_absent`](Update::set_if_absent),
    /// [`add`](Update::add), [`remove`](Update::remove),
    /// [`append`](Update::append), [`delete_from_set`](Update::delete_from_set);
    /// options: [`condition`](Update::condition),
    /// [`return_old`](Update::return_old).
    pub fn update(&self, key: impl IntoKey<T>) -> Update<'_, T> {
        Update::new(self, key.into_key())
    }

    /// Updates the item with `key`, creating it from the key and the
    /// update's actions when there is none (DynamoDB's own `UpdateItem`).
    ///
    /// It has the actions and options of [`update`](Table::update), but
    /// returns `()`: an item created this way holds only the key and the
    /// attributes the actions set, which may not make a whole `T`. Its
    /// [`return_old`](Update::return_old) gives the item as it was before,
    /// `None` when it was created. Set every required attribute (or use
    /// [`put`](Table::put)) if the item is to be read back as a `T`.
    pub fn upsert(&self, key: impl IntoKey<T>) -> Update<'_, T, Upsert> {
        Update::new(self, key.into_key())
    }

    /// Moves `old` to the key of `new`, in one transaction that deletes
    /// `old` and puts `new` as a new item.
    ///
    /// The delete requires `old` to be stored still: at its version for a
    /// resource with a `version` field (as [`delete_item`](Table::delete_item)
    /// does; an item of version 0 was never read from the table and is
    /// refused before sending), otherwise just present. The put requires the
    /// new key to be free, and the version of `new` restarts as for a new
    /// item: it is stored as 1, whatever `new`'s version field says. Add a
    /// condition on the old item with [`condition`](Move::condition).
    ///
    /// When a requirement fails nothing is written, and the error has
    /// [`is_condition_failed`](crate::Error::is_condition_failed); its
    /// [`cancellation_reasons`](crate::Error::cancellation_reasons) say
    /// which: index 0 for the old item (changed or gone), 1 for the new key
    /// (taken). A move to the same key is refused before sending
    /// ([`is_validation`](crate::Error::is_validation)): change an item in
    /// place with `put` or `update`.
    pub fn move_to<'a>(&'a self, old: &'a T, new: &'a T) -> Move<'a, T> {
        Move::new(self, old, new)
    }

    /// Creates the table with `T`'s key schema, indexes and stream (when
    /// the definition declares one), waits until it is active, and enables
    /// time to live on the `ttl` field.
    ///
    /// The table is on-demand unless the builder says otherwise:
    /// `users.create().provisioned(5, 5).deletion_protection(true)`, or
    /// `.options(…)` with a [`TableOptions`] value that
    /// [`verify_with`](Table::verify_with) can check later.
    pub fn create(&self) -> CreateTable<'_, T> {
        CreateTable::new(self)
    }

    /// Deletes the table and waits until it is gone.
    pub fn delete_table(&self) -> DeleteTable<'_, T> {
        DeleteTable::new(self)
    }

    /// Compares the live table with `T`'s definition: the key schema, each
    /// index's keys, kind and projection, and the stream's view when the
    /// definition declares one (`#[resource(stream = "…")]`).
    ///
    /// When they match, the [`TableReport`] lists what was compared and what
    /// the table has. Otherwise the error has
    /// [`Error::is_schema_mismatch`](crate::Error::is_schema_mismatch), and
    /// [`differences`](crate::Error::differences) lists every difference.
    pub async fn verify(&self) -> Result<TableReport> {
        lifecycle::verify(self, None).await
    }

    /// [`verify`](Table::verify), then also what `create()` sets up: time to
    /// live on the `ttl` field, and each of `options` (capacity, per-index
    /// capacity, deletion protection, table class, point-in-time recovery,
    /// stream, and each tag of the options; other tags on the table are
    /// allowed). Every difference is listed, as for `verify`.
    pub async fn verify_with(&self, options: &TableOptions<T>) -> Result<TableReport> {
        lifecycle::verify(self, Some(options)).await
    }

    /// Whether the table exists.
    pub async fn exists(&self) -> Result<bool> {
        lifecycle::exists(self).await
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

    /// This handle, sealing the cursors of its reads with `key`: every
    /// [`Cursor`](crate::Cursor) a query or scan hands out is encrypted and
    /// authenticated, so that its text reveals nothing of the key values it
    /// holds and a client can neither read, alter nor forge one.
    ///
    /// Reads of the returned handle take back only cursors sealed with the
    /// same key: a plain cursor, one sealed with another key or an altered
    /// one is refused before anything is sent
    /// ([`is_validation`](crate::Error::is_validation)), as is a cursor of
    /// another table, index or query. Clones of the returned handle share
    /// the key.
    ///
    /// `User::table(&client).seal_cursors(CursorKey::from_bytes(secret))`:
    /// see the guide's chapter on reading, section "Cursors".
    #[doc(alias = "with_cursor_key")]
    #[must_use = "the handle that seals cursors is returned"]
    pub fn seal_cursors(mut self, key: CursorKey) -> Self {
        self.cursor_key = Some(key);
        self
    }

    /// The key that seals this handle's cursors, if any.
    pub(crate) fn cursor_key(&self) -> Option<&CursorKey> {
        self.cursor_key.as_ref()
    }
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Table {
            client: self.client.clone(),
            name: self.name.clone(),
            cursor_key: self.cursor_key.clone(),
            _marker: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("resource", &std::any::type_name::<T>())
            .field("sealed_cursors", &self.cursor_key.is_some())
            .finish()
    }
}
