#![doc = include_str!("../docs/index.md")]
#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]

pub use resourceful_macros::resource;
pub use resourceful_runtime::{
    aws_sdk_dynamodb, expr, resource as definition, table, validate, value, Attr, Condition, Error,
    FromAttribute, Item, KeyAttribute, Number, Resource, ResourceKey, Result, Table, ToAttribute,
    ValueOf,
};

pub mod local {
    //! Clients for local and configured endpoints: [`client_from_env`],
    //! and with the `embedded` feature [`Embedded`] and [`Backend`].
    pub use resourceful_runtime::local::*;
}

/// Everything a resource definition and its callers need:
/// `use resourceful::prelude::*;`.
pub mod prelude {
    pub use resourceful_macros::resource;
    pub use resourceful_runtime::{Attr, Condition, Error, Resource, Result, Table};
}

pub mod guide {
    //! The user guide.
}

#[doc(hidden)]
pub mod __private {
    pub use resourceful_runtime::__private::*;
}
