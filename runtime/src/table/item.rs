//! Single-item operations: put, get, delete, update.

use std::fmt;
use std::future::IntoFuture;

use aws_sdk_dynamodb::types::ReturnValue;

use super::{BoxFuture, Table};
use crate::error::{Error, Result};
use crate::expr::{Addable, Attr, Condition, Placeholders, Removable, UpdateExpr};
use crate::resource::{Resource, ResourceKey};
use crate::validate;
use crate::value::{Item, ToAttribute, ValueOf};

fn decode<T: Resource>(table: &str, item: Option<Item>) -> Result<Option<T>> {
    item.map(|item| T::from_item(item).map_err(|e| Error::decode(table, e)))
        .transpose()
}

/// Joins an optional condition with another.
fn and<T>(a: Option<Condition<T>>, b: Condition<T>) -> Option<Condition<T>> {
    Some(match a {
        Some(a) => a & b,
        None => b,
    })
}

fn key_item<T: Resource>(table: &Table<T>, key: &T::Key) -> Result<Item> {
    let item = key.to_key_item();
    validate::key(table.name(), &T::KEY_SCHEMA, &item)?;
    Ok(item)
}

/// A `put`: write a whole item. Await it to send.
#[must_use = "a put does nothing until awaited"]
pub struct Put<'a, T: Resource> {
    table: &'a Table<T>,
    item: &'a T,
    condition: Option<Condition<T>>,
}

impl<'a, T: Resource> Put<'a, T> {
    pub(super) fn new(table: &'a Table<T>, item: &'a T) -> Self {
        Put {
            table,
            item,
            condition: None,
        }
    }

    /// Writes only if no item with this key exists; otherwise the put fails
    /// with [`Error::is_condition_failed`].
    pub fn if_absent(mut self) -> Self {
        let pk = T::KEY_SCHEMA.partition.name;
        self.condition = and(self.condition, Condition::attribute_not_exists(pk));
        self
    }

    /// Writes only if `condition` holds for the stored item (conditions are
    /// joined with AND when given more than once).
    pub fn condition(mut self, condition: Condition<T>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }

    /// Returns the item that was replaced, if there was one.
    pub fn return_old(self) -> PutReturnOld<'a, T> {
        PutReturnOld { put: self }
    }

    async fn send(self, return_values: ReturnValue) -> Result<Option<Item>> {
        let table = self.table.name();
        let item = self.item.to_item();
        validate::item(table, &T::KEY_SCHEMA, &item)?;
        let mut p = Placeholders::default();
        let condition = self.condition.as_ref().map(|c| c.render(&mut p));
        let (names, values) = p.into_request_maps();
        check_values(table, values.as_ref())?;
        let output = self
            .table
            .client
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(return_values)
            .send()
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
        Ok(output.attributes)
    }
}

fn check_values(table: &str, values: Option<&Item>) -> Result<()> {
    for (placeholder, value) in values.into_iter().flatten() {
        validate::value(table, placeholder, value)?;
    }
    Ok(())
}

impl<'a, T: Resource> IntoFuture for Put<'a, T> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Result<()>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send(ReturnValue::None).await.map(drop) })
    }
}

/// A `put` that returns the replaced item. Await it to send.
#[must_use = "a put does nothing until awaited"]
pub struct PutReturnOld<'a, T: Resource> {
    put: Put<'a, T>,
}

impl<'a, T: Resource> IntoFuture for PutReturnOld<'a, T> {
    type Output = Result<Option<T>>;
    type IntoFuture = BoxFuture<'a, Result<Option<T>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let table = self.put.table.name();
            let old = self.put.send(ReturnValue::AllOld).await?;
            decode(table, old)
        })
    }
}

/// A `get`: read one item by key. Await it to send.
#[must_use = "a get does nothing until awaited"]
pub struct Get<'a, T: Resource> {
    table: &'a Table<T>,
    key: T::Key,
    consistent: bool,
}

impl<'a, T: Resource> Get<'a, T> {
    pub(super) fn new(table: &'a Table<T>, key: T::Key) -> Self {
        Get {
            table,
            key,
            consistent: false,
        }
    }

    /// Uses a strongly consistent read: the result reflects every write that
    /// succeeded before it.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }
}

impl<'a, T: Resource> IntoFuture for Get<'a, T> {
    type Output = Result<Option<T>>;
    type IntoFuture = BoxFuture<'a, Result<Option<T>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let table = self.table.name();
            let key = key_item(self.table, &self.key)?;
            let output = self
                .table
                .client
                .get_item()
                .table_name(table)
                .set_key(Some(key))
                .consistent_read(self.consistent)
                .send()
                .await
                .map_err(|e| Error::sdk(Some(table), e))?;
            decode(table, output.item)
        })
    }
}

/// A `delete`: remove one item by key. Await it to send.
#[must_use = "a delete does nothing until awaited"]
pub struct Delete<'a, T: Resource> {
    table: &'a Table<T>,
    key: T::Key,
    condition: Option<Condition<T>>,
}

impl<'a, T: Resource> Delete<'a, T> {
    pub(super) fn new(table: &'a Table<T>, key: T::Key) -> Self {
        Delete {
            table,
            key,
            condition: None,
        }
    }

    /// Deletes only if `condition` holds for the stored item.
    pub fn condition(mut self, condition: Condition<T>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }

    /// Returns the deleted item, if there was one.
    pub fn return_old(self) -> DeleteReturnOld<'a, T> {
        DeleteReturnOld { delete: self }
    }

    async fn send(self, return_values: ReturnValue) -> Result<Option<Item>> {
        let table = self.table.name();
        let key = key_item(self.table, &self.key)?;
        let mut p = Placeholders::default();
        let condition = self.condition.as_ref().map(|c| c.render(&mut p));
        let (names, values) = p.into_request_maps();
        check_values(table, values.as_ref())?;
        let output = self
            .table
            .client
            .delete_item()
            .table_name(table)
            .set_key(Some(key))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(return_values)
            .send()
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
        Ok(output.attributes)
    }
}

impl<'a, T: Resource> IntoFuture for Delete<'a, T> {
    type Output = Result<()>;
    type IntoFuture = BoxFuture<'a, Result<()>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send(ReturnValue::None).await.map(drop) })
    }
}

/// A `delete` that returns the deleted item. Await it to send.
#[must_use = "a delete does nothing until awaited"]
pub struct DeleteReturnOld<'a, T: Resource> {
    delete: Delete<'a, T>,
}

impl<'a, T: Resource> IntoFuture for DeleteReturnOld<'a, T> {
    type Output = Result<Option<T>>;
    type IntoFuture = BoxFuture<'a, Result<Option<T>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let table = self.delete.table.name();
            let old = self.delete.send(ReturnValue::AllOld).await?;
            decode(table, old)
        })
    }
}

/// An `update`: change attributes of one item in place. Await it to send; it
/// returns the item as it is after the update.
#[must_use = "an update does nothing until awaited"]
pub struct Update<'a, T: Resource> {
    table: &'a Table<T>,
    key: T::Key,
    actions: UpdateExpr,
    condition: Option<Condition<T>>,
}

impl<'a, T: Resource> Update<'a, T> {
    pub(super) fn new(table: &'a Table<T>, key: T::Key) -> Self {
        Update {
            table,
            key,
            actions: UpdateExpr::default(),
            condition: None,
        }
    }

    /// Sets the attribute to `value`.
    pub fn set<V: ToAttribute>(mut self, attr: Attr<T, V>, value: impl ValueOf<V>) -> Self {
        self.actions
            .set(attr.path(), value.into_value().to_attribute());
        self
    }

    /// Removes the attribute (only `Option` and set attributes, so that the
    /// item stays readable).
    pub fn remove<V: Removable>(mut self, attr: Attr<T, V>) -> Self {
        self.actions.remove(attr.path());
        self
    }

    /// Adds `value` to a number attribute (a missing attribute counts as 0),
    /// or adds the elements of `value` to a set attribute.
    pub fn add<V: Addable>(mut self, attr: Attr<T, V>, value: impl ValueOf<V>) -> Self {
        self.actions
            .add(attr.path(), value.into_value().to_attribute());
        self
    }

    /// Updates only if `condition` holds for the stored item.
    pub fn condition(mut self, condition: Condition<T>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }

    /// Returns the item as it was before the update (`None` if it did not
    /// exist) instead of the updated one.
    pub fn return_old(self) -> UpdateReturnOld<'a, T> {
        UpdateReturnOld { update: self }
    }

    async fn send(self, return_values: ReturnValue) -> Result<Option<Item>> {
        let table = self.table.name();
        let key = key_item(self.table, &self.key)?;
        for (name, value) in self.actions.values() {
            validate::value(table, name, value)?;
        }
        let mut p = Placeholders::default();
        let update = (!self.actions.is_empty()).then(|| self.actions.render(&mut p));
        let condition = self.condition.as_ref().map(|c| c.render(&mut p));
        let (names, values) = p.into_request_maps();
        check_values(table, values.as_ref())?;
        let output = self
            .table
            .client
            .update_item()
            .table_name(table)
            .set_key(Some(key))
            .set_update_expression(update)
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(return_values)
            .send()
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
        Ok(output.attributes)
    }
}

impl<'a, T: Resource> IntoFuture for Update<'a, T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'a, Result<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let table = self.table.name();
            let new = self.send(ReturnValue::AllNew).await?;
            // ALL_NEW always returns the item: an update creates a missing one.
            T::from_item(new.unwrap_or_default()).map_err(|e| Error::decode(table, e))
        })
    }
}

/// An `update` that returns the item as it was before. Await it to send.
#[must_use = "an update does nothing until awaited"]
pub struct UpdateReturnOld<'a, T: Resource> {
    update: Update<'a, T>,
}

impl<'a, T: Resource> IntoFuture for UpdateReturnOld<'a, T> {
    type Output = Result<Option<T>>;
    type IntoFuture = BoxFuture<'a, Result<Option<T>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let table = self.update.table.name();
            let old = self.update.send(ReturnValue::AllOld).await?;
            decode(table, old)
        })
    }
}

macro_rules! debug_builder {
    ($($name:ident { $($field:ident),* })*) => {$(
        impl<T: Resource> fmt::Debug for $name<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("table", &self.table.name())
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    )*};
}

debug_builder! {
    Put { condition }
    Get { consistent }
    Delete { condition }
    Update { actions, condition }
}

impl<T: Resource> fmt::Debug for PutReturnOld<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PutReturnOld").field(&self.put).finish()
    }
}

impl<T: Resource> fmt::Debug for DeleteReturnOld<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DeleteReturnOld")
            .field(&self.delete)
            .finish()
    }
}

impl<T: Resource> fmt::Debug for UpdateReturnOld<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UpdateReturnOld")
            .field(&self.update)
            .finish()
    }
}
