//! `#[resource(projection = User)]`: `impl Projection`, reading the
//! attributes of `User` that the fields name.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::private;
use crate::model::{Field, Model, Read};

pub(super) fn expand(model: &Model<'_>, of: &syn::Path) -> TokenStream {
    let p = &private(model);
    let ident = model.ident;
    // Each field names the resource's handle of the same name: a field the
    // resource lacks, or one of another type, does not compile.
    let handle = |field: &Field<'_>| {
        let ty = field.ty;
        let constant = &field.handle;
        quote_spanned!(field.member.span()=> #p::projected::<#of, #ty, _>(<#of>::#constant))
    };
    let attributes = model.fields.iter().filter(|f| f.is_stored()).map(handle);
    let decode = model.fields.iter().map(|field| {
        let member = field.member;
        let ty = field.ty;
        match field.read {
            Read::Skipped => {
                let value = quote_spanned!(ty.span()=> #p::skipped::<#ty>());
                quote!(#member: #value)
            }
            Read::OrDefault => {
                let name = handle(field);
                quote!(#member: {
                    let name = #name;
                    #p::decode_or_default::<#ty>(#p::take(&mut item, name), name)?
                })
            }
            Read::Required => {
                let name = handle(field);
                quote!(#member: {
                    let name = #name;
                    #p::decode::<#ty>(#p::take(&mut item, name), name)?
                })
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #p::Projection for #ident {
            type Resource = #of;
            const ATTRIBUTES: &'static [&'static ::core::primitive::str] = &[#(#attributes),*];

            fn from_item(mut item: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::result::Result::Ok(#ident {
                    #(#decode,)*
                })
            }
        }
    }
}
