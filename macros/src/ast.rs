//! The borrowed syntax of a definition: the struct and its fields with
//! their parsed arguments, each keeping its syn node for spans. `check`
//! reads it and resolves the `model`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;

use crate::attr::{Container, FieldAttrs};
use crate::ctxt::Ctxt;

pub(crate) struct Resource<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) original: &'a syn::DeriveInput,
    pub(crate) attrs: Container,
    pub(crate) fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    /// The Rust name, without `r#`.
    pub(crate) name: String,
    pub(crate) ident: &'a syn::Ident,
    pub(crate) ty: &'a syn::Type,
    pub(crate) attrs: FieldAttrs,
    /// The attribute name in the table, after `rename` / `rename_all`.
    pub(crate) attribute: String,
}

impl<'a> Field<'a> {
    fn from_syn(cx: &Ctxt, field: &'a syn::Field) -> Self {
        let ident = field.ident.as_ref().expect("named field");
        let name = ident.unraw().to_string();
        let attrs = FieldAttrs::from_field(cx, field);
        let attribute = attrs
            .rename
            .as_ref()
            .map_or_else(|| name.clone(), |r| r.value());
        Field {
            name,
            ident,
            ty: &field.ty,
            attrs,
            attribute,
        }
    }

    pub(crate) fn is_stored(&self) -> bool {
        self.attrs.skip.is_none()
    }

    /// The span that best identifies the attribute name.
    pub(crate) fn name_span(&self) -> Span {
        self.attrs
            .rename
            .as_ref()
            .map_or_else(|| self.ident.span(), |r| r.span())
    }
}

impl<'a> Resource<'a> {
    /// The model, or `None` (with errors recorded) when the item is not a
    /// struct with named fields.
    pub(crate) fn from_ast(
        cx: &Ctxt,
        input: &'a syn::DeriveInput,
        args: TokenStream,
    ) -> Option<Resource<'a>> {
        let attrs = Container::from_args(cx, args, &input.attrs);
        let named = named_fields(cx, input)?;
        let mut fields: Vec<Field<'a>> = named
            .named
            .iter()
            .map(|field| Field::from_syn(cx, field))
            .collect();
        if let Some((rule, _)) = attrs.rename_all {
            for field in &mut fields {
                if field.attrs.rename.is_none() {
                    field.attribute = rule.apply(&field.name);
                }
            }
        }
        Some(Resource {
            ident: &input.ident,
            original: input,
            attrs,
            fields,
        })
    }

    /// Generic structs are rejected; nothing is generated for them.
    pub(crate) fn is_generic(&self) -> bool {
        let generics = &self.original.generics;
        !generics.params.is_empty() || generics.where_clause.is_some()
    }

    pub(crate) fn field(&self, name: &str) -> Option<(usize, &Field<'a>)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }

    /// The table name: `table = "…"` or the struct's name.
    pub(crate) fn table_name(&self) -> String {
        self.attrs
            .table
            .as_ref()
            .map_or_else(|| self.ident.unraw().to_string(), |t| t.value())
    }

    pub(crate) fn krate(&self) -> syn::Path {
        self.attrs
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::resourceful))
    }
}

/// The fields of a struct with named fields; any other item is reported.
fn named_fields<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<&'a syn::FieldsNamed> {
    match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(named) => Some(named),
            syn::Fields::Unnamed(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    format!(
                        "`#[resource]` needs a struct with named fields, found a tuple struct\n\
                         help: name the fields: `struct {} {{ id: String, ... }}`",
                        input.ident
                    ),
                );
                None
            }
            syn::Fields::Unit => {
                cx.error_spanned_by(
                    &input.ident,
                    format!(
                        "`#[resource]` needs a struct with named fields, found a unit struct\n\
                         help: declare the stored fields: `struct {} {{ id: String, ... }}`",
                        input.ident
                    ),
                );
                None
            }
        },
        syn::Data::Enum(data) => {
            cx.error_spanned_by(
                data.enum_token,
                "`#[resource]` works on structs, not enums\n\
                 help: store the enum as a field of a resource struct",
            );
            None
        }
        syn::Data::Union(data) => {
            cx.error_spanned_by(
                data.union_token,
                "`#[resource]` works on structs, not unions",
            );
            None
        }
    }
}

/// The annotated item, or the error to report for an item that is not a
/// struct, enum or union.
pub(crate) fn parse_item(input: TokenStream) -> syn::Result<syn::DeriveInput> {
    syn::parse2(input.clone()).map_err(|error| not_a_struct(input, error))
}

fn not_a_struct(input: TokenStream, error: syn::Error) -> syn::Error {
    let kind = match syn::parse2::<syn::Item>(input) {
        Ok(syn::Item::Fn(_)) => "functions",
        Ok(syn::Item::Impl(_)) => "impl blocks",
        Ok(syn::Item::Trait(_)) => "traits",
        Ok(syn::Item::Mod(_)) => "modules",
        Ok(syn::Item::Type(_)) => "type aliases",
        Ok(syn::Item::Const(_) | syn::Item::Static(_)) => "constants and statics",
        Ok(syn::Item::Use(_)) => "`use` declarations",
        // Not an item at all: syn's own message says what is wrong.
        _ => return error,
    };
    syn::Error::new(
        error.span(),
        format!("`#[resource]` works on structs with named fields, not {kind}"),
    )
}
