//! The macros on mutated input: valid definitions with one token deleted,
//! duplicated, replaced or swapped with its neighbour. Whatever the
//! mutation, a macro must not panic, and its output must be either valid
//! Rust (the mutation kept the definition valid) or carry a compile error.

use std::str::FromStr;

use proc_macro2::TokenStream;
use proptest::prelude::*;
use proptest::sample::Index;

use crate::mutate::{flatten, mutate, DERIVES, RESOURCES};

/// What every macro's output must be: valid Rust, or a compile error.
pub(crate) fn valid_or_an_error(output: &TokenStream) -> Result<(), TestCaseError> {
    let text = output.to_string();
    if text.contains("compile_error") {
        return Ok(());
    }
    syn::parse2::<syn::File>(output.clone())
        .map(|_| ())
        .map_err(|e| TestCaseError::fail(format!("neither valid nor an error ({e}): {text}")))
}

#[test]
fn every_definition_of_the_corpus_expands_without_errors() {
    for (args, item) in RESOURCES {
        let out = crate::resource_impl(
            TokenStream::from_str(args).unwrap(),
            TokenStream::from_str(item).unwrap(),
        );
        let text = out.to_string();
        assert!(!text.contains("compile_error"), "{args}: {text}");
        syn::parse2::<syn::File>(out).unwrap();
    }
    for input in DERIVES {
        let out = crate::derive_attribute_impl(TokenStream::from_str(input).unwrap());
        let text = out.to_string();
        assert!(!text.contains("compile_error"), "{input}: {text}");
        syn::parse2::<syn::File>(out).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4_000,
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_resource_never_panics(
        which in 0..RESOURCES.len(),
        in_args in any::<bool>(),
        kind in 0u8..4,
        at in any::<Index>(),
        with in any::<Index>(),
    ) {
        let (args, item) = RESOURCES[which];
        let (args, item) = if in_args {
            let mutated = mutate(&flatten(args), kind, at.index(usize::MAX), with.index(usize::MAX));
            prop_assume!(mutated.is_some());
            (mutated.unwrap(), TokenStream::from_str(item).unwrap())
        } else {
            let mutated = mutate(&flatten(item), kind, at.index(usize::MAX), with.index(usize::MAX));
            prop_assume!(mutated.is_some());
            (TokenStream::from_str(args).unwrap(), mutated.unwrap())
        };
        let out = crate::resource_impl(args, item);
        valid_or_an_error(&out)?;
    }

    #[test]
    fn a_mutated_derive_never_panics(
        which in 0..DERIVES.len(),
        kind in 0u8..4,
        at in any::<Index>(),
        with in any::<Index>(),
    ) {
        let mutated = mutate(&flatten(DERIVES[which]), kind, at.index(usize::MAX), with.index(usize::MAX));
        prop_assume!(mutated.is_some());
        let out = crate::derive_attribute_impl(mutated.unwrap());
        valid_or_an_error(&out)?;
    }
}
