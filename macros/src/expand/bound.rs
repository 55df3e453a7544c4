//! Where-clauses for generic types, inferred as serde does: a type
//! parameter that appears in a field's type gets the bound the field needs
//! (`T: ToAttribute` for `Vec<T>`), so `Wrapper<T>` is storable exactly
//! when its parameters are.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

/// The type's own where-clause plus `P: bound` for every type parameter
/// `P` that appears in one of `types`, for each `(types, bound)` given.
pub(super) fn where_clause(
    generics: &syn::Generics,
    bounds: &[(Vec<&syn::Type>, TokenStream)],
) -> TokenStream {
    let mut predicates: Vec<TokenStream> = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .map(|predicate| quote!(#predicate))
        .collect();
    for param in generics.type_params() {
        let ident = &param.ident;
        for (types, bound) in bounds {
            if types.iter().any(|ty| mentions(quote!(#ty), ident)) {
                predicates.push(quote!(#ident: #bound));
            }
        }
    }
    if predicates.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#predicates,)*)
    }
}

/// Whether `ident` appears anywhere in `tokens`. A type parameter is named
/// by its identifier wherever it is used (`Vec<T>`, `[T; 4]`, `T::Item`),
/// so looking at the tokens finds every use; the only false positive, a
/// path segment of the same name, just adds a bound that holds anyway or
/// is never needed.
fn mentions(tokens: TokenStream, ident: &syn::Ident) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(i) => i == *ident,
        TokenTree::Group(group) => mentions(group.stream(), ident),
        _ => false,
    })
}
