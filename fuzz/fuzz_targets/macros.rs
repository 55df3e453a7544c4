//! The macros on valid definitions with one token mutated (deleted,
//! duplicated, replaced or swapped): never a panic, and the output is valid
//! Rust or carries a compile error. The macros' sources are compiled here
//! as a module (`cfg(fuzzing)` turns their entry points into plain
//! functions), since a proc-macro crate cannot be linked into a program.

#![no_main]

extern crate proc_macro;

#[allow(dead_code, unreachable_pub, missing_docs, unused_imports)]
#[path = "../../macros/src/lib.rs"]
mod macros;

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use macros::mutate::{flatten, mutate, DERIVES, RESOURCES};
use proc_macro2::TokenStream;

fuzz_target!(|input: (u8, bool, u8, usize, usize)| {
    let (which, in_args, kind, at, with) = input;
    let out = if usize::from(which) % (RESOURCES.len() + DERIVES.len()) < RESOURCES.len() {
        let (args, item) = RESOURCES[usize::from(which) % RESOURCES.len()];
        let (args, item) = if in_args {
            match mutate(&flatten(args), kind % 4, at, with) {
                Some(args) => (args, TokenStream::from_str(item).unwrap()),
                None => return,
            }
        } else {
            match mutate(&flatten(item), kind % 4, at, with) {
                Some(item) => (TokenStream::from_str(args).unwrap(), item),
                None => return,
            }
        };
        macros::resource_impl(args, item)
    } else {
        let input = DERIVES[usize::from(which) % DERIVES.len()];
        match mutate(&flatten(input), kind % 4, at, with) {
            Some(input) => macros::derive_attribute_impl(input),
            None => return,
        }
    };
    let text = out.to_string();
    if !text.contains("compile_error") {
        syn::parse2::<syn::File>(out).expect("valid Rust or a compile error");
    }
});
