//! Procedural macros for [`resourceful`](https://docs.rs/resourceful).
//!
//! Use them through the facade: `use resourceful::prelude::*;`.

#![forbid(unsafe_code)]
#![warn(missing_docs, rust_2018_idioms, unreachable_pub)]

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod symbol;

use proc_macro::TokenStream;

/// Declares a struct as a resource stored in a DynamoDB table.
///
/// ```text
/// #[resource(service = "dynamodb", table = "users", key = "id")]
/// struct User { id: String, email: String, age: u32 }
/// ```
///
/// See the `resourceful` crate documentation for every argument.
#[proc_macro_attribute]
pub fn resource(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::resource(args.into(), input.into()).into()
}
