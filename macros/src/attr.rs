//! Reads `#[resource(...)]` arguments on the struct and on its fields.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{LitStr, Token};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::symbol::*;

/// One argument's value, remembering that it was given so that a repeat is
/// reported.
pub(crate) struct Arg<'c, T> {
    cx: &'c Ctxt,
    name: &'static str,
    value: Option<T>,
}

impl<'c, T> Arg<'c, T> {
    fn new(cx: &'c Ctxt, name: &'static str) -> Self {
        Arg {
            cx,
            name,
            value: None,
        }
    }

    fn set<S: ToTokens>(&mut self, spanned: S, value: T) {
        if self.value.is_some() {
            self.cx.error_spanned_by(
                spanned,
                format!(
                    "duplicate argument `{}`\nhelp: give `{}` once",
                    self.name, self.name
                ),
            );
        } else {
            self.value = Some(value);
        }
    }

    fn get(self) -> Option<T> {
        self.value
    }
}

/// The struct's arguments: `#[resource(service = "dynamodb", …)]`.
pub(crate) struct Container {
    pub(crate) service: Option<LitStr>,
    pub(crate) table: Option<LitStr>,
    pub(crate) key: Option<LitStr>,
    pub(crate) sort_key: Option<LitStr>,
    /// `key(attr = …, template = …)` and `sort_key(…)`: computed keys.
    pub(crate) key_template: Option<TemplateArg>,
    pub(crate) sort_key_template: Option<TemplateArg>,
    /// `entity = "…"` and `entity_attr = "…"`: a resource in a shared table.
    pub(crate) entity: Option<LitStr>,
    pub(crate) entity_attr: Option<LitStr>,
    /// `stream = "…"`: the table's stream view.
    pub(crate) stream: Option<LitStr>,
    /// `tag = "…"` and `content = "…"`, on an enum with data.
    pub(crate) tag: Option<LitStr>,
    pub(crate) content: Option<LitStr>,
    pub(crate) rename_all: Option<(RenameRule, LitStr)>,
    pub(crate) krate: Option<syn::Path>,
    /// `projection = User`: this struct reads a subset of `User`.
    pub(crate) projection: Option<syn::Path>,
    /// `index(...)` and `local_index(...)`, in declaration order.
    pub(crate) indexes: Vec<IndexAttr>,
    /// The macro's arguments, to point at when one is missing.
    pub(crate) args: TokenStream,
    /// Some argument could not be read, so a "missing argument" error may be
    /// wrong: the argument may be the one that was misread.
    pub(crate) incomplete: bool,
}

impl Container {
    /// Reads the macro's own arguments and any further `#[resource(...)]`
    /// attributes on the struct; `expected` lists the arguments that apply,
    /// for the message about an unknown one.
    pub(crate) fn from_args(
        cx: &Ctxt,
        args: TokenStream,
        attrs: &[syn::Attribute],
        expected: &'static [&'static str],
    ) -> Self {
        let mut reader = ContainerReader::new(cx, expected);
        let mut failed = false;
        if let Err(e) = syn::meta::parser(|meta| reader.read(meta)).parse2(args.clone()) {
            cx.syn_error(e);
            failed = true;
        }
        for attr in attrs.iter().filter(|a| a.path().is_ident(ATTRIBUTE)) {
            if let Err(e) = attr.parse_nested_meta(|meta| reader.read(meta)) {
                cx.syn_error(e);
                failed = true;
            }
        }
        Container {
            service: reader.service.get(),
            table: reader.table.get(),
            key: reader.key.get(),
            sort_key: reader.sort_key.get(),
            key_template: reader.key_template.get(),
            sort_key_template: reader.sort_key_template.get(),
            entity: reader.entity.get(),
            entity_attr: reader.entity_attr.get(),
            stream: reader.stream.get(),
            tag: reader.tag.get(),
            content: reader.content.get(),
            rename_all: reader.rename_all.get(),
            krate: reader.krate.get(),
            projection: reader.projection.get(),
            indexes: reader.indexes,
            args,
            incomplete: reader.incomplete || failed,
        }
    }
}

/// The struct's arguments as they are read, one at a time.
struct ContainerReader<'c> {
    cx: &'c Ctxt,
    service: Arg<'c, LitStr>,
    table: Arg<'c, LitStr>,
    key: Arg<'c, LitStr>,
    sort_key: Arg<'c, LitStr>,
    key_template: Arg<'c, TemplateArg>,
    sort_key_template: Arg<'c, TemplateArg>,
    entity: Arg<'c, LitStr>,
    entity_attr: Arg<'c, LitStr>,
    stream: Arg<'c, LitStr>,
    tag: Arg<'c, LitStr>,
    content: Arg<'c, LitStr>,
    rename_all: Arg<'c, (RenameRule, LitStr)>,
    krate: Arg<'c, syn::Path>,
    projection: Arg<'c, syn::Path>,
    indexes: Vec<IndexAttr>,
    incomplete: bool,
    expected: &'static [&'static str],
}

impl<'c> ContainerReader<'c> {
    fn new(cx: &'c Ctxt, expected: &'static [&'static str]) -> Self {
        ContainerReader {
            cx,
            expected,
            service: Arg::new(cx, SERVICE),
            table: Arg::new(cx, TABLE),
            key: Arg::new(cx, KEY),
            sort_key: Arg::new(cx, SORT_KEY),
            key_template: Arg::new(cx, KEY),
            sort_key_template: Arg::new(cx, SORT_KEY),
            entity: Arg::new(cx, ENTITY),
            entity_attr: Arg::new(cx, ENTITY_ATTR),
            stream: Arg::new(cx, STREAM),
            tag: Arg::new(cx, TAG),
            content: Arg::new(cx, CONTENT),
            rename_all: Arg::new(cx, RENAME_ALL),
            krate: Arg::new(cx, CRATE),
            projection: Arg::new(cx, PROJECTION),
            indexes: Vec::new(),
            incomplete: false,
        }
    }

    fn read(&mut self, meta: ParseNestedMeta<'_>) -> syn::Result<()> {
        let cx = self.cx;
        let path = &meta.path;
        let derive = self.expected == DERIVE_CONTAINER_ARGS;
        if !derive && meta.input.peek(syn::token::Paren) {
            for arg in [&mut self.key_template, &mut self.sort_key_template] {
                if path.is_ident(arg.name) {
                    match TemplateArg::parse(cx, &meta, arg.name)? {
                        Some(template) => arg.set(path, template),
                        None => self.incomplete = true,
                    }
                    return Ok(());
                }
            }
        }
        for arg in [
            &mut self.service,
            &mut self.table,
            &mut self.key,
            &mut self.sort_key,
            &mut self.entity,
            &mut self.entity_attr,
            &mut self.stream,
            &mut self.tag,
            &mut self.content,
        ] {
            // `tag` and `content` are a derive's only: elsewhere unknown.
            let applies = self.expected.contains(&arg.name) || ![TAG, CONTENT].contains(&arg.name);
            if path.is_ident(arg.name) && applies {
                match string(cx, &meta, arg.name)? {
                    Some(lit) => arg.set(path, lit),
                    None => self.incomplete = true,
                }
                return Ok(());
            }
        }
        if path.is_ident(RENAME_ALL) {
            self.read_rename_all(&meta)
        } else if path.is_ident(CRATE) {
            self.read_crate(&meta)
        } else if path.is_ident(INDEX) || path.is_ident(LOCAL_INDEX) {
            let local = path.is_ident(LOCAL_INDEX);
            self.indexes.push(IndexAttr::parse(cx, &meta, local)?);
            Ok(())
        } else if path.is_ident(PROJECTION) {
            // A path, bare (`projection = User`) or quoted.
            let value = meta.value()?;
            let resource = if value.peek(LitStr) {
                value.parse::<LitStr>()?.parse::<syn::Path>()?
            } else {
                value.parse::<syn::Path>()?
            };
            self.projection.set(path, resource);
            Ok(())
        } else {
            let on = if self.expected == DERIVE_CONTAINER_ARGS {
                "type"
            } else {
                "struct"
            };
            unknown(cx, &meta, on, self.expected)
        }
    }

    fn read_rename_all(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(lit) = string(self.cx, meta, RENAME_ALL)? else {
            return Ok(());
        };
        let names = RenameRule::names();
        match RenameRule::from_name(&lit.value()) {
            Some(rule) => self.rename_all.set(&meta.path, (rule, lit)),
            None => self.cx.error_spanned_by(
                &lit,
                format!(
                    "unknown `rename_all` rule `{}`; expected one of {}{}",
                    lit.value(),
                    one_of(&names),
                    did_you_mean(&lit.value(), &names),
                ),
            ),
        }
        Ok(())
    }

    fn read_crate(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(lit) = string(self.cx, meta, CRATE)? else {
            return Ok(());
        };
        match lit.parse::<syn::Path>() {
            Ok(p) => self.krate.set(&meta.path, p),
            Err(_) => self.cx.error_spanned_by(
                &lit,
                format!(
                    "invalid `crate` path `{}`\n\
                     help: give the path to the `resourceful` crate, e.g. `crate = \"::resourceful\"`",
                    lit.value()
                ),
            ),
        }
        Ok(())
    }
}

/// `with = "module"`: the module's path, spanned on the string so that a
/// missing function is reported there.
#[derive(Clone)]
pub(crate) struct With {
    pub(crate) path: syn::Path,
    pub(crate) lit: LitStr,
}

/// A field's arguments: `#[resource(rename = "…", skip, default, with =
/// "…", version, ttl, created_at, updated_at)]`. A variant of an enum takes
/// the same ones (only `rename` applies there).
pub(crate) struct FieldAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) with: Option<With>,
    /// The `skip` keyword, for spans.
    pub(crate) skip: Option<syn::Path>,
    pub(crate) default: Option<syn::Path>,
    /// `flatten` and `serde`, for spans.
    pub(crate) flatten: Option<syn::Path>,
    pub(crate) serde: Option<syn::Path>,
    pub(crate) version: Option<syn::Path>,
    pub(crate) ttl: Option<syn::Path>,
    pub(crate) created_at: Option<syn::Path>,
    pub(crate) updated_at: Option<syn::Path>,
}

impl FieldAttrs {
    /// `on` (`"field"`, `"variant"`) and `expected` are for the messages
    /// about an unknown argument.
    pub(crate) fn from_attrs(
        cx: &Ctxt,
        attrs: &[syn::Attribute],
        on: &str,
        expected: &[&str],
    ) -> Self {
        let mut rename = Arg::new(cx, RENAME);
        let mut with = Arg::new(cx, WITH);
        let mut skip = Arg::new(cx, SKIP);
        let mut default = Arg::new(cx, DEFAULT);
        let mut flatten = Arg::new(cx, FLATTEN);
        let mut serde = Arg::new(cx, SERDE);
        let mut version = Arg::new(cx, VERSION);
        let mut ttl = Arg::new(cx, TTL);
        let mut created_at = Arg::new(cx, CREATED_AT);
        let mut updated_at = Arg::new(cx, UPDATED_AT);

        for attr in attrs.iter().filter(|a| a.path().is_ident(ATTRIBUTE)) {
            if let syn::Meta::Path(_) = attr.meta {
                cx.error_spanned_by(
                    attr,
                    format!(
                        "`#[resource]` on a {on} needs an argument\n\
                         help: write `#[resource(...)]` with {}",
                        one_of(expected)
                    ),
                );
                continue;
            }
            let result = attr.parse_nested_meta(|meta| {
                let path = meta.path.clone();
                if path.is_ident(RENAME) {
                    if let Some(lit) = string(cx, &meta, RENAME)? {
                        rename.set(&path, lit);
                    }
                } else if path.is_ident(WITH) {
                    if let Some(lit) = string(cx, &meta, WITH)? {
                        match lit.parse::<syn::Path>() {
                            Ok(module) => with.set(&path, With { path: module, lit }),
                            Err(_) => cx.error_spanned_by(
                                &lit,
                                format!(
                                    "invalid `with` path `{}`\n\
                                     help: name a module with `to_attribute` and `from_attribute` functions, e.g. `with = \"my_codec\"`",
                                    lit.value()
                                ),
                            ),
                        }
                    }
                } else if path.is_ident(SKIP) {
                    flag(cx, &meta, SKIP)?;
                    skip.set(&path, path.clone());
                } else if path.is_ident(DEFAULT) {
                    flag(cx, &meta, DEFAULT)?;
                    default.set(&path, path.clone());
                } else if path.is_ident(FLATTEN) {
                    flag(cx, &meta, FLATTEN)?;
                    flatten.set(&path, path.clone());
                } else if path.is_ident(SERDE) {
                    flag(cx, &meta, SERDE)?;
                    serde.set(&path, path.clone());
                } else if path.is_ident(VERSION) {
                    flag(cx, &meta, VERSION)?;
                    version.set(&path, path.clone());
                } else if path.is_ident(TTL) {
                    flag(cx, &meta, TTL)?;
                    ttl.set(&path, path.clone());
                } else if path.is_ident(CREATED_AT) {
                    flag(cx, &meta, CREATED_AT)?;
                    created_at.set(&path, path.clone());
                } else if path.is_ident(UPDATED_AT) {
                    flag(cx, &meta, UPDATED_AT)?;
                    updated_at.set(&path, path.clone());
                } else {
                    unknown(cx, &meta, on, expected)?;
                }
                Ok(())
            });
            if let Err(e) = result {
                cx.syn_error(e);
            }
        }

        FieldAttrs {
            rename: rename.get(),
            with: with.get(),
            skip: skip.get(),
            default: default.get(),
            flatten: flatten.get(),
            serde: serde.get(),
            version: version.get(),
            ttl: ttl.get(),
            created_at: created_at.get(),
            updated_at: updated_at.get(),
        }
    }
}

/// Reads the string of `name = "…"`. A missing value or one that is not a
/// string is reported and stepped over, so the arguments after it are
/// still read.
fn string(cx: &Ctxt, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{name}` needs a value\nhelp: write `{name} = \"...\"`"),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    let value: syn::Expr = meta.value()?.parse()?;
    if let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(lit),
        ..
    }) = value
    {
        return Ok(Some(lit));
    }
    // `key = id` was most likely meant as `key = "id"`.
    let quoted = match &value {
        syn::Expr::Path(p) if p.qself.is_none() => p.path.to_token_stream().to_string(),
        syn::Expr::Lit(lit) => lit.to_token_stream().to_string(),
        _ => "...".to_owned(),
    }
    .replace(' ', "");
    cx.error_spanned_by(
        &value,
        format!("`{name}` takes a string\nhelp: write `{name} = \"{quoted}\"`"),
    );
    Ok(None)
}

/// A flag takes no value: `skip`, not `skip = true`.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{name}` takes no value\nhelp: write `#[resource({name})]`"),
        );
        skip_value(meta)?;
    }
    Ok(())
}

/// Reports an unknown argument and steps over its value so that the
/// remaining arguments are still read.
fn unknown(cx: &Ctxt, meta: &ParseNestedMeta<'_>, on: &str, expected: &[&str]) -> syn::Result<()> {
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown {on} argument `{name}`; expected one of {}{}",
            one_of(expected),
            did_you_mean(&name, expected),
        ),
    );
    skip_value(meta)
}

/// "`\"all\"`": a string value as the user writes it.
fn quoted(value: &str) -> String {
    format!("`\"{value}\"`")
}

fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

/// `key(attr = "pk", template = "ORG#{org}")`: a key attribute computed
/// from fields.
pub(crate) struct TemplateArg {
    /// `key` or `sort_key`, for spans.
    pub(crate) keyword: syn::Path,
    pub(crate) attr: LitStr,
    pub(crate) template: LitStr,
}

impl TemplateArg {
    /// `None` after an error, which has been reported.
    fn parse(cx: &Ctxt, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<Option<Self>> {
        let keyword = meta.path.clone();
        let mut attr = Arg::new(cx, ATTR);
        let mut template = Arg::new(cx, TEMPLATE);
        meta.parse_nested_meta(|inner| {
            let path = inner.path.clone();
            if path.is_ident(ATTR) {
                if let Some(lit) = string(cx, &inner, ATTR)? {
                    attr.set(&path, lit);
                }
            } else if path.is_ident(TEMPLATE) {
                if let Some(lit) = string(cx, &inner, TEMPLATE)? {
                    template.set(&path, lit);
                }
            } else {
                unknown(cx, &inner, name, TEMPLATE_ARGS)?;
            }
            Ok(())
        })?;
        match (attr.get(), template.get()) {
            (Some(attr), Some(template)) => Ok(Some(TemplateArg {
                keyword,
                attr,
                template,
            })),
            (attr, _) => {
                let missing = if attr.is_none() { ATTR } else { TEMPLATE };
                cx.error_spanned_by(
                    &keyword,
                    format!(
                        "missing `{missing}` in `{name}(...)`\n\
                         help: write `{name}(attr = \"pk\", template = \"USER#{{id}}\")`: the key attribute, and the fields it is made of"
                    ),
                );
                Ok(None)
            }
        }
    }
}

/// An index key: `key = "field"`, `key(attr = …, template = …)` or, for a
/// multi-attribute key, `key = ["a", "b"]`.
pub(crate) enum IndexKeyAttr {
    Field(LitStr),
    Template(TemplateArg),
    /// The list, for spans, and its strings.
    Fields(syn::ExprArray, Vec<LitStr>),
}

impl IndexKeyAttr {
    fn parse(cx: &Ctxt, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<Option<Self>> {
        if meta.input.peek(syn::token::Paren) {
            return Ok(TemplateArg::parse(cx, meta, name)?.map(IndexKeyAttr::Template));
        }
        if meta.input.peek(Token![=]) && meta.input.peek2(syn::token::Bracket) {
            let array: syn::ExprArray = meta.value()?.parse()?;
            let mut fields = Vec::new();
            for element in &array.elems {
                match element {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(lit),
                        ..
                    }) => fields.push(lit.clone()),
                    other => cx.error_spanned_by(
                        other,
                        format!("`{name} = [...]` lists fields by name\nhelp: write each as a string, e.g. `\"region\"`"),
                    ),
                }
            }
            return Ok(Some(IndexKeyAttr::Fields(array, fields)));
        }
        Ok(string(cx, meta, name)?.map(IndexKeyAttr::Field))
    }

    /// The single field it names, if it is `key = "field"`.
    pub(crate) fn field(&self) -> Option<&LitStr> {
        match self {
            IndexKeyAttr::Field(lit) => Some(lit),
            _ => None,
        }
    }

    /// What to point at.
    pub(crate) fn span(&self) -> proc_macro2::Span {
        match self {
            IndexKeyAttr::Field(lit) => lit.span(),
            IndexKeyAttr::Template(t) => t.template.span(),
            IndexKeyAttr::Fields(array, _) => syn::spanned::Spanned::span(array),
        }
    }
}

/// Which attributes an index holds.
pub(crate) enum IndexProjectionAttr {
    All,
    KeysOnly,
    /// Field names, with their literals for spans.
    Include(Vec<LitStr>),
}

/// `index(name = "…", key = "…", sort_key = "…", projection = …)` or
/// `local_index(name = "…", sort_key = "…", projection = …)`.
pub(crate) struct IndexAttr {
    /// `index` or `local_index`, for spans.
    pub(crate) keyword: syn::Path,
    pub(crate) local: bool,
    pub(crate) name: Option<LitStr>,
    pub(crate) key: Option<IndexKeyAttr>,
    pub(crate) sort_key: Option<IndexKeyAttr>,
    pub(crate) projection: IndexProjectionAttr,
}

impl IndexAttr {
    fn parse(cx: &Ctxt, meta: &ParseNestedMeta<'_>, local: bool) -> syn::Result<Self> {
        let keyword = meta.path.clone();
        let mut name = Arg::new(cx, NAME);
        let mut key = Arg::new(cx, KEY);
        let mut sort_key = Arg::new(cx, SORT_KEY);
        let mut projection = Arg::new(cx, PROJECTION);
        if !meta.input.peek(syn::token::Paren) {
            missing_arguments(cx, &keyword, local);
        } else {
            meta.parse_nested_meta(|inner| {
                let path = inner.path.clone();
                if path.is_ident(NAME) {
                    if let Some(lit) = string(cx, &inner, NAME)? {
                        name.set(&path, lit);
                    }
                } else if path.is_ident(KEY) && !local {
                    if let Some(parsed) = IndexKeyAttr::parse(cx, &inner, KEY)? {
                        key.set(&path, parsed);
                    }
                } else if path.is_ident(KEY) {
                    cx.error_spanned_by(
                        &path,
                        "`local_index` takes no `key`: a local index uses the table's partition key\n\
                         help: remove `key`, or use a global `index(...)` for another partition key",
                    );
                    skip_value(&inner)?;
                } else if path.is_ident(SORT_KEY) {
                    if let Some(parsed) = IndexKeyAttr::parse(cx, &inner, SORT_KEY)? {
                        sort_key.set(&path, parsed);
                    }
                } else if path.is_ident(PROJECTION) {
                    if let Some(parsed) = parse_projection(cx, &inner)? {
                        projection.set(&path, parsed);
                    }
                } else if local {
                    unknown(cx, &inner, LOCAL_INDEX, LOCAL_INDEX_ARGS)?;
                } else {
                    unknown(cx, &inner, INDEX, INDEX_ARGS)?;
                }
                Ok(())
            })?;
        }
        Ok(IndexAttr {
            keyword,
            local,
            name: name.get(),
            key: key.get(),
            sort_key: sort_key.get(),
            projection: projection.get().unwrap_or(IndexProjectionAttr::All),
        })
    }
}

/// `index` without its parentheses.
fn missing_arguments(cx: &Ctxt, keyword: &syn::Path, local: bool) {
    let (what, example) = if local {
        (LOCAL_INDEX, "sort_key = \"...\"")
    } else {
        (INDEX, "key = \"email\"")
    };
    cx.error_spanned_by(
        keyword,
        format!("`{what}` needs arguments\nhelp: write `{what}(name = \"by_email\", {example})`"),
    );
}

/// `projection = "all"`, `"keys_only"` or `["field", …]`; `None` after an
/// error.
fn parse_projection(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<Option<IndexProjectionAttr>> {
    let value = meta.value()?;
    if !value.peek(LitStr) {
        return Ok(Some(projection_list(cx, &value.parse()?)));
    }
    let lit: LitStr = value.parse()?;
    Ok(match lit.value().as_str() {
        "all" => Some(IndexProjectionAttr::All),
        "keys_only" => Some(IndexProjectionAttr::KeysOnly),
        other => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "unknown projection `{other}`; expected {}, {} or a list of fields such as `[\"email\", \"age\"]`{}",
                    quoted(PROJECTIONS[0]),
                    quoted(PROJECTIONS[1]),
                    did_you_mean(other, PROJECTIONS),
                ),
            );
            None
        }
    })
}

/// `["email", "age"]`: each element a string naming a field.
fn projection_list(cx: &Ctxt, array: &syn::ExprArray) -> IndexProjectionAttr {
    let mut fields = Vec::new();
    for element in &array.elems {
        match element {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) => fields.push(lit.clone()),
            other => {
                let name = match other {
                    syn::Expr::Path(p) if p.qself.is_none() => {
                        p.path.to_token_stream().to_string().replace(' ', "")
                    }
                    _ => "email".to_owned(),
                };
                cx.error_spanned_by(
                    other,
                    format!("a projected field is named by a string\nhelp: write `\"{name}\"`"),
                )
            }
        }
    }
    // A list of non-strings has been reported element by element.
    if array.elems.is_empty() {
        cx.error_spanned_by(
            array,
            "empty projection list\nhelp: list the projected fields, or use `projection = \"keys_only\"`",
        );
    }
    IndexProjectionAttr::Include(fields)
}
