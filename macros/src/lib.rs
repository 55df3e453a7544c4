//! Procedural macros for [`resourceful`](https://docs.rs/resourceful).
//!
//! Use them through the facade: `use resourceful::prelude::*;`.
//!
//! A definition goes through four stages, each in its own module:
//! `attr` reads the macro's arguments, `ast` pairs them with the struct and
//! its fields, `check` applies every rule and resolves the `model` (final
//! attribute names, key and index roles, field kinds), and `expand`
//! generates code from that model alone. Errors are gathered in a `Ctxt` so
//! that one compile reports them all.

// Lints are declared once, in the workspace's `Cargo.toml`.

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod model;
mod symbol;
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
#[proc_macro_attribute]
pub fn resource(args: TokenStream, input: TokenStream) -> TokenStream {
    resource_impl(args.into(), input.into()).into()
}

fn resource_impl(
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
