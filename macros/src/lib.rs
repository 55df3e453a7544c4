//! Procedural macros for [`resourceful`](https://docs.rs/resourceful).
//!
//! Use them through the facade: `use resourceful::prelude::*;`.
//!
//! `#[derive(Attribute)]` goes through the same stages with a model of its
//! own (`ast::Derive`, `check::check_derive`, `expand::expand_derive`).
//!
//! A definition goes through four stages, each in its own module:
//! `attr` reads the macro's arguments, `ast` pairs them with the struct and
//! its fields, `check` applies every rule and resolves the `model` (final
//! attribute names, key and index roles, field kinds), and `expand`
//! generates code from that model alone. Errors are gathered in a `Ctxt` so
//! that one compile reports them all.

// Lints are declared once, in the workspace's `Cargo.toml`.
// The fuzz target `macros` (fuzz/Cargo.toml) builds these sources as a
// program with `cfg(fuzzing)`, its entry point in `fuzz.rs`: a proc-macro
// crate cannot be linked into one.
#![cfg_attr(fuzzing, no_main)]

mod ast;
mod attr;
mod case;
mod check;
mod collection;
mod ctxt;
mod expand;
mod model;
#[cfg(fuzzing)]
extern crate proc_macro;
#[cfg(fuzzing)]
mod fuzz;
#[cfg(any(test, fuzzing))]
pub(crate) mod mutate;
mod symbol;
#[cfg(test)]
mod tests;
mod ty;

use proc_macro::TokenStream;
use quote::quote;

/// Declares a struct as a resource stored in a DynamoDB table.
///
/// ```text
/// #[resource(service = "dynamodb", table = "users", key = "id")]
/// struct User { id: String, email: String, age: u32 }
/// ```
///
/// See the `resourceful` crate documentation for every argument.
#[cfg_attr(not(fuzzing), proc_macro_attribute)]
pub fn resource(args: TokenStream, input: TokenStream) -> TokenStream {
    resource_impl(args.into(), input.into()).into()
}

pub(crate) fn resource_impl(
    args: proc_macro2::TokenStream,
    input: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut item = match ast::parse_item(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = error.to_compile_error();
            // The item stays, so that its uses are not reported as well.
            return quote!(#input #error);
        }
    };
    let cx = ctxt::Ctxt::new();
    let generated = ast::Resource::from_ast(&cx, &item, args)
        .and_then(|resource| check::check(&cx, &resource))
        .map(|model| expand::expand(&model));
    // After an error the struct is still emitted, with the generated stubs,
    // so that one mistake does not cascade.
    expand::strip_attributes(&mut item);
    match cx.check() {
        Ok(()) => quote!(#item #generated),
        Err(errors) => quote!(#item #errors #generated),
    }
}

/// Stores a type of your own as one attribute value: implements
/// `ToAttribute` and `FromAttribute` for
///
/// - a struct with named fields, stored as a map (`M`). Field arguments
///   `rename`, `skip`, `default` and `with = "module"`; type arguments
///   `rename_all` and `crate`, all in `#[resource(...)]`. Each stored field
///   gets a typed handle (`Address::CITY`), which `then` appends to a path:
///   `User::ADDRESS.then(Address::CITY).eq("Paris")`;
/// - a newtype, `struct UserId(String);`, stored exactly as its field, and
///   a key type when the field's type is one;
/// - an enum of unit variants, stored as the variant's name (`S`), with
///   `rename` on a variant and `rename_all` on the enum; a key type.
///
/// ```text
/// #[derive(Attribute)]
/// #[resource(rename_all = "camelCase")]
/// struct Address { street: String, postal_code: String, city: String }
/// ```
///
/// Type parameters used by stored fields are bounded by `ToAttribute` /
/// `FromAttribute` on the generated impls, as serde does. See the guide's
/// "Type mapping" chapter in the `resourceful` crate.
#[cfg_attr(not(fuzzing), proc_macro_derive(Attribute, attributes(resource)))]
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    derive_attribute_impl(input.into()).into()
}

pub(crate) fn derive_attribute_impl(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let input = match syn::parse2::<syn::DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let cx = ctxt::Ctxt::new();
    let generated = ast::Derive::from_ast(&cx, &input)
        .map(|derive| expand::expand_derive(&check::check_derive(&cx, &derive)));
    // As for a resource, the impls stay after an error in an argument, so
    // that uses of the type add no errors of their own.
    match cx.check() {
        Ok(()) => quote!(#generated),
        Err(errors) => quote!(#errors #generated),
    }
}

/// A collection: an enum whose variants each hold one resource of a table
/// shared by several entities (single-table design).
///
/// ```text
/// #[derive(Debug, Collection)]
/// enum OrgMembers { Org(Org), User(User) }
/// ```
///
/// Every variant's resource must have an `entity`, and all must share the
/// table, the partition key (attribute and template) and the entity
/// attribute: the compiler checks it at each variant. The enum gets
/// `query(&client, partition)` and `query_in(&table, partition)`, which
/// read one partition and decode each item into the variant of its entity,
/// and `create(&client)` / `create_in(&table)`, which create the table with
/// every resource's indexes.
#[cfg_attr(not(fuzzing), proc_macro_derive(Collection, attributes(resource)))]
pub fn derive_collection(input: TokenStream) -> TokenStream {
    collection::derive(input.into()).into()
}
