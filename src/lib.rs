#![doc = include_str!("../docs/index.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Lints are declared once, in the workspace's `Cargo.toml`.

pub use resourceful_macros::{resource, Attribute, Collection};
pub use resourceful_runtime::resource::{
    Computed, Entity, HasIndex, IndexDef, IndexKind, IndexProjection, KeyAttributeDef, KeySchema,
    KeyTemplate, ScalarType, Segment, Timestamp, TimestampValue,
};
pub use resourceful_runtime::{
    aws_sdk_dynamodb, batch, changes, collection, expr, read, table, validate, value, Attr,
    Collection, Condition, Cursor, CursorKey, Error, FromAttribute, Index, IntoKey, Item,
    KeyAttribute, Number, Page, Path, Projection, Resource, ResourceKey, Result, Table,
    ToAttribute, Transaction, Unversioned, ValueOf,
};
pub use resourceful_runtime::{observe, ConsumedCapacity, WithCapacity};
pub use resourceful_runtime::{CancellationReason, MAX_TRANSACTION_ACTIONS};

pub mod local {
    //! Clients for local and configured endpoints: [`client_from_env`], and
    //! with the `embedded` feature [`Embedded`], [`Backend`] and
    //! [`TestTable`], a fresh table per test.
    pub use resourceful_runtime::local::*;
}

/// Everything a resource definition and the code using it need:
/// `use resourceful::prelude::*;`.
pub mod prelude {
    pub use futures_util::TryStreamExt;
    pub use resourceful_macros::{resource, Attribute, Collection};
    pub use resourceful_runtime::{
        Attr, Condition, Cursor, CursorKey, Error, Page, Resource, Result, Table,
    };
}

/// The user guide. Every example in it is compiled and run as a test.
pub mod guide {
    #[doc = include_str!("../docs/defining-resources.md")]
    pub mod defining_resources {}
    #[doc = include_str!("../docs/types.md")]
    pub mod types {}
    #[doc = include_str!("../docs/operations.md")]
    pub mod operations {}
    #[doc = include_str!("../docs/reading.md")]
    pub mod reading {}
    #[doc = include_str!("../docs/single-table.md")]
    pub mod single_table {}
    #[doc = include_str!("../docs/batches.md")]
    pub mod batches {}
    #[doc = include_str!("../docs/changes.md")]
    pub mod changes {}
    #[doc = include_str!("../docs/backends.md")]
    pub mod backends {}
    #[doc = include_str!("../docs/testing.md")]
    pub mod testing {}
    #[doc = include_str!("../docs/from-boto3.md")]
    pub mod from_boto3 {}
}

/// The README's example, compiled as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;

#[doc(hidden)]
pub mod __private {
    pub use resourceful_runtime::__private::*;
}
