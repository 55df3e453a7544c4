//! Runtime support for [`resourceful`](https://docs.rs/resourceful): the
//! traits `#[resource]` implements, marshalling, typed expressions, table
//! operations and local backends.
//!
//! Depend on the `resourceful` facade rather than on this crate directly; it
//! re-exports everything here together with the macros.
//!
//! # Feature flags
//!
//! - `embedded`: [`local::Embedded`], an in-process DynamoDB-compatible
//!   server for examples and tests.

#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]

pub mod batch;
mod error;
pub mod expr;
pub mod local;
pub mod read;
pub mod resource;
pub mod table;
mod transact;
pub mod validate;
pub mod value;

pub use aws_sdk_dynamodb;
pub use error::{CancellationReason, Error, Result};
pub use expr::{Attr, Condition, Path};
pub use read::{Cursor, Page};
pub use resource::{Index, IntoKey, KeyAttribute, Projection, Resource, ResourceKey};
pub use table::Table;
pub use transact::{Transaction, MAX_TRANSACTION_ACTIONS};
pub use value::{FromAttribute, Item, Number, ToAttribute, ValueOf};

/// Items used by code that `#[resource]` generates. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::expr::{Attr, FieldTag, SortKeyOf};
    pub use crate::resource::{
        assert_version, decode_field, decode_field_or_default, decode_ttl_field, encode_field,
        encode_ttl_field, projected, HasIndex, Index, IndexDef, IndexKind, IndexProjection,
        KeyAttribute, KeyAttributeDef, KeySchema, Projection, Resource, ResourceKey, ScalarType,
        TtlValue,
    };
    pub use crate::table::Table;
    pub use crate::value::{DecodeError, Item, ToAttribute, ValueOf};
    pub use aws_sdk_dynamodb::types::AttributeValue;
    pub use aws_sdk_dynamodb::Client;
    pub use std::collections::HashMap;
    pub use std::string::String;

    use crate::value::FromAttribute;

    /// Writes one field; called as `encode::<FieldType>(…)` so that a type
    /// that cannot be stored is reported on the field's type.
    #[inline]
    pub fn encode<T: StoredField + ?Sized>(item: &mut Item, name: &'static str, value: &T) {
        encode_field(item, name, value)
    }

    /// Reads one field; called as `decode::<FieldType>(…)`.
    #[inline]
    pub fn decode<T: LoadedField>(item: &mut Item, name: &'static str) -> Result<T, DecodeError> {
        decode_field(item, name)
    }

    /// Reads one `default` field; called as `decode_or_default::<FieldType>(…)`.
    #[inline]
    pub fn decode_or_default<T: LoadedField + SkippedField>(
        item: &mut Item,
        name: &'static str,
    ) -> Result<T, DecodeError> {
        decode_field_or_default(item, name)
    }

    /// Types a stored field can have (writing).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be stored as a DynamoDB attribute",
        label = "`{Self}` does not implement `ToAttribute`",
        note = "implement `ToAttribute` and `FromAttribute` for `{Self}`, or keep the field out of the table with `#[resource(skip)]`"
    )]
    pub trait StoredField: ToAttribute {}
    impl<T: ToAttribute + ?Sized> StoredField for T {}

    /// Types a stored field can have (reading).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be read from a DynamoDB attribute",
        label = "`{Self}` does not implement `FromAttribute`",
        note = "implement `ToAttribute` and `FromAttribute` for `{Self}`, or keep the field out of the table with `#[resource(skip)]`"
    )]
    pub trait LoadedField: FromAttribute {}
    impl<T: FromAttribute> LoadedField for T {}

    /// The value of a `skip` field; called as `skipped::<FieldType>()` so
    /// that a type without `Default` is reported on the field's type.
    pub fn skipped<T: SkippedField>() -> T {
        T::default()
    }

    /// The key schema of a definition that failed to compile.
    pub const FALLBACK_KEY_SCHEMA: KeySchema = KeySchema {
        partition: KeyAttributeDef {
            name: "",
            key_type: ScalarType::S,
        },
        sort: None,
    };

    /// Types a `skip` or `default` field can have.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` does not implement `Default`",
        label = "`skip` and `default` fields are filled with `Default::default()`",
        note = "implement or derive `Default` for `{Self}`, or remove the argument"
    )]
    pub trait SkippedField: Default {}
    impl<T: Default> SkippedField for T {}
}
