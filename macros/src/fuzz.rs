//! The fuzz target `macros`: a valid definition with one token mutated
//! (deleted, duplicated, replaced or swapped), through `#[resource]` or
//! `#[derive(Attribute)]`: never a panic, and the output is valid Rust or
//! carries a compile error. Built by `fuzz/Cargo.toml` from this crate's
//! sources with `cfg(fuzzing)`; `cargo +nightly fuzz run macros`.

use std::str::FromStr;

use proc_macro2::TokenStream;

use crate::mutate::{flatten, mutate, DERIVES, RESOURCES};

libfuzzer_sys::fuzz_target!(|input: (u8, bool, u8, usize, usize)| {
    let (which, in_args, kind, at, with) = input;
    let which = usize::from(which) % (RESOURCES.len() + DERIVES.len());
    let out = if which < RESOURCES.len() {
        let (args, item) = RESOURCES[which];
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
        crate::resource_impl(args, item)
    } else {
        match mutate(
            &flatten(DERIVES[which - RESOURCES.len()]),
            kind % 4,
            at,
            with,
        ) {
            Some(input) => crate::derive_attribute_impl(input),
            None => return,
        }
    };
    let text = out.to_string();
    if !text.contains("compile_error") {
        syn::parse2::<syn::File>(out).expect("valid Rust or a compile error");
    }
});
