//! Collections: several entities in one table and partition, read together
//! (`#[derive(Collection)]` on an enum with one resource per variant).

use aws_sdk_dynamodb::types::AttributeValue;

use crate::read::Query;
use crate::resource::{IndexDef, Resource};
use crate::table::{CreateTable, Table};
use crate::value::{DecodeError, Item, PartitionValue};

/// An enum whose variants each hold one resource of a table shared by
/// several entities: `enum OrgMembers { Org(Org), User(User) }`.
///
/// Implemented by `#[derive(Collection)]`, which checks at compile time that
/// every variant's resource has an `entity`, and that all are on the same
/// table, partition key and entity attribute. A query of the collection
/// reads one partition and decodes each item into the variant of its entity.
pub trait Collection: Sized + Send + 'static {
    /// The first variant's resource: its table, partition key and entity
    /// attribute are the collection's.
    type Table: Resource;

    /// The entity names of the variants, in order.
    const ENTITIES: &'static [&'static str];

    /// The indexes of each variant's resource, which the shared table has.
    const INDEXES: &'static [&'static [IndexDef]];

    /// Reads an item into the variant of its entity.
    fn from_item(item: Item) -> Result<Self, DecodeError>;
}

/// A query of one partition of `table` that reads every entity of `C`:
/// `OrgMembers::query_in(&table, "acme")`.
pub fn query<C: Collection>(
    table: &Table<C::Table>,
    partition: impl PartitionValue<<C::Table as Resource>::PartitionKey>,
) -> Query<C::Table, 0, C> {
    let entities = C::ENTITIES
        .iter()
        .map(|name| AttributeValue::S((*name).to_owned()))
        .collect();
    Query::collection(
        table.clone(),
        partition.into_parts(),
        entities,
        C::from_item,
    )
}

/// Creates `table` with the indexes of every resource of `C`.
pub fn create<C: Collection>(table: &Table<C::Table>) -> CreateTable<'_, C::Table> {
    table.create().with_indexes(C::INDEXES)
}

/// The entity of `item`, for a collection's `from_item`: the value of its
/// entity attribute (that of `T`, the collection's first resource).
pub fn entity_of<T: Resource>(item: &Item) -> Result<&str, DecodeError> {
    let Some(entity) = T::ENTITY else {
        return Err(DecodeError::invalid::<T>("the resource has no entity"));
    };
    match item.get(entity.attribute) {
        Some(AttributeValue::S(name)) => Ok(name),
        Some(other) => Err(DecodeError::mismatch::<str>("S", other).in_field(entity.attribute)),
        None => Err(DecodeError::missing(entity.attribute, "S")),
    }
}

/// The error for an item of an entity that is not one of `C`'s.
pub fn unknown_entity<C: Collection>(found: &str) -> DecodeError {
    let expected: Vec<String> = C::ENTITIES.iter().map(|e| format!("`{e}`")).collect();
    let attribute = <C::Table as Resource>::ENTITY.map_or("", |e| e.attribute);
    DecodeError::invalid::<C>(format!(
        "expected an item of entity {}, found one of entity `{found}`",
        expected.join(" or ")
    ))
    .in_field(attribute)
}
