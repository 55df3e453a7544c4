//! The borrowed syntax of a definition: the struct and its fields with
//! their parsed arguments, each keeping its syn node for spans. `check`
//! reads it and resolves the `model`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;

use crate::attr::{Container, FieldAttrs};
use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::symbol::*;

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
    fn from_syn(cx: &Ctxt, field: &'a syn::Field, field_args: &[&str]) -> Self {
        let ident = field.ident.as_ref().expect("named field");
        let name = ident.unraw().to_string();
        let attrs = FieldAttrs::from_attrs(cx, &field.attrs, "field", field_args);
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
        let attrs = Container::from_args(cx, args, &input.attrs, CONTAINER_ARGS);
        let named = named_fields(cx, input)?;
        Some(Self::from_named(cx, input, named, attrs, FIELD_ARGS))
    }

    /// A struct with named fields, for `#[resource]` or `#[derive(Attribute)]`.
    fn from_named(
        cx: &Ctxt,
        input: &'a syn::DeriveInput,
        named: &'a syn::FieldsNamed,
        attrs: Container,
        field_args: &[&str],
    ) -> Resource<'a> {
        let mut fields: Vec<Field<'a>> = named
            .named
            .iter()
            .map(|field| Field::from_syn(cx, field, field_args))
            .collect();
        if let Some((rule, _)) = attrs.rename_all {
            for field in &mut fields {
                if field.attrs.rename.is_none() {
                    field.attribute = rule.apply(&field.name);
                }
            }
        }
        Resource {
            ident: &input.ident,
            original: input,
            attrs,
            fields,
        }
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

/// A type with `#[derive(Attribute)]`, by shape.
pub(crate) enum Derive<'a> {
    /// A struct with named fields, stored as a map (`M`). Read as a
    /// resource's struct is, without the resource's arguments.
    Struct(Resource<'a>),
    /// `struct UserId(String);`, stored as its field.
    Newtype(Newtype<'a>),
    /// An enum of unit variants, stored as the variant's name (`S`).
    UnitEnum(UnitEnum<'a>),
    /// An enum with data (or with `tag = "…"`), stored as a map (`M`) with
    /// the variant's name in a tag attribute.
    DataEnum(DataEnum<'a>),
}

pub(crate) struct DataEnum<'a> {
    pub(crate) original: &'a syn::DeriveInput,
    pub(crate) attrs: Container,
    pub(crate) variants: Vec<DataVariant<'a>>,
}

pub(crate) struct DataVariant<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) attrs: FieldAttrs,
    /// The tag's value, after `rename` / `rename_all`.
    pub(crate) name: String,
    pub(crate) data: VariantData<'a>,
}

/// What a variant of an enum with data holds.
pub(crate) enum VariantData<'a> {
    Unit,
    /// Named fields, read as a derived struct's are (`rename_all` names
    /// the variants, not their fields).
    Struct(Vec<Field<'a>>),
    Newtype(&'a syn::Field),
    Tuple(&'a syn::FieldsUnnamed),
}

pub(crate) struct Newtype<'a> {
    pub(crate) original: &'a syn::DeriveInput,
    pub(crate) attrs: Container,
    pub(crate) field: &'a syn::Field,
    /// The field's arguments: none applies.
    pub(crate) field_attrs: Box<FieldAttrs>,
}

pub(crate) struct UnitEnum<'a> {
    pub(crate) original: &'a syn::DeriveInput,
    pub(crate) attrs: Container,
    pub(crate) variants: Vec<Variant<'a>>,
}

pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) attrs: FieldAttrs,
    /// The stored string, after `rename` / `rename_all`.
    pub(crate) name: String,
}

impl<'a> Derive<'a> {
    /// The type by shape, or `None` (with errors recorded) for a shape the
    /// derive does not store.
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Derive<'a>> {
        let attrs =
            || Container::from_args(cx, TokenStream::new(), &input.attrs, DERIVE_CONTAINER_ARGS);
        match &input.data {
            syn::Data::Struct(data) => match &data.fields {
                syn::Fields::Named(named) => Some(Derive::Struct(Resource::from_named(
                    cx,
                    input,
                    named,
                    attrs(),
                    DERIVE_FIELD_ARGS,
                ))),
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let field = &fields.unnamed[0];
                    Some(Derive::Newtype(Newtype {
                        original: input,
                        attrs: attrs(),
                        field,
                        field_attrs: Box::new(FieldAttrs::from_attrs(
                            cx,
                            &field.attrs,
                            "field",
                            &[],
                        )),
                    }))
                }
                syn::Fields::Unnamed(fields) => {
                    cx.error_spanned_by(
                        fields,
                        format!(
                            "`#[derive(Attribute)]` needs a struct with named fields or a newtype, found a tuple struct with {} fields\n\
                             help: name the fields: `struct {} {{ a: ..., b: ... }}`",
                            fields.unnamed.len(),
                            input.ident
                        ),
                    );
                    None
                }
                syn::Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(Attribute)]` cannot store a unit struct: it has no value\n\
                         help: use an enum of unit variants for a value from a fixed set",
                    );
                    None
                }
            },
            syn::Data::Enum(data) => {
                if data.variants.is_empty() {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(Attribute)]` cannot store an enum without variants: it has no value",
                    );
                    return None;
                }
                let attrs = attrs();
                let rule = attrs.rename_all.as_ref().map(|(rule, _)| *rule);
                let unit = data.variants.iter().all(|v| v.fields.is_empty());
                if unit && attrs.tag.is_none() && attrs.content.is_none() {
                    Some(Derive::UnitEnum(UnitEnum {
                        original: input,
                        attrs,
                        variants: unit_variants(cx, data, rule),
                    }))
                } else {
                    Some(Derive::DataEnum(DataEnum {
                        original: input,
                        attrs,
                        variants: data_variants(cx, data, rule),
                    }))
                }
            }
            syn::Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[derive(Attribute)]` works on structs and enums, not unions",
                );
                None
            }
        }
    }
}

/// A variant's stored name, after `rename` / `rename_all`.
fn variant_name(variant: &syn::Variant, attrs: &FieldAttrs, rule: Option<RenameRule>) -> String {
    match (&attrs.rename, rule) {
        (Some(rename), _) => rename.value(),
        (None, Some(rule)) => rule.apply_to_variant(&variant.ident.unraw().to_string()),
        (None, None) => variant.ident.unraw().to_string(),
    }
}

/// The variants of an enum whose variants carry no data.
fn unit_variants<'a>(
    cx: &Ctxt,
    data: &'a syn::DataEnum,
    rule: Option<RenameRule>,
) -> Vec<Variant<'a>> {
    data.variants
        .iter()
        .map(|variant| {
            let attrs = FieldAttrs::from_attrs(cx, &variant.attrs, "variant", VARIANT_ARGS);
            let name = variant_name(variant, &attrs, rule);
            Variant {
                ident: &variant.ident,
                attrs,
                name,
            }
        })
        .collect()
}

/// The variants of an enum with data, each with its fields.
fn data_variants<'a>(
    cx: &Ctxt,
    data: &'a syn::DataEnum,
    rule: Option<RenameRule>,
) -> Vec<DataVariant<'a>> {
    data.variants
        .iter()
        .map(|variant| {
            let attrs = FieldAttrs::from_attrs(cx, &variant.attrs, "variant", VARIANT_ARGS);
            let name = variant_name(variant, &attrs, rule);
            let data = match &variant.fields {
                syn::Fields::Unit => VariantData::Unit,
                syn::Fields::Named(named) => VariantData::Struct(
                    named
                        .named
                        .iter()
                        .map(|field| Field::from_syn(cx, field, DERIVE_FIELD_ARGS))
                        .collect(),
                ),
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    VariantData::Newtype(&fields.unnamed[0])
                }
                syn::Fields::Unnamed(fields) => VariantData::Tuple(fields),
            };
            DataVariant {
                ident: &variant.ident,
                attrs,
                name,
                data,
            }
        })
        .collect()
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
