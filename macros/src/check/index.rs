//! `index(...)` and `local_index(...)`: names, handles, limits, key fields
//! and projected fields.

use quote::format_ident;

use crate::ast::Resource;
use crate::attr::{IndexAttr, IndexKeyAttr, IndexProjectionAttr};
use crate::ctxt::Ctxt;
use crate::model::{Index, IndexKeys, Key, KeySource, Projection};
use crate::symbol::*;
use crate::ty::{first_type_argument, key_type_problem, type_name};

use super::field_handle;
use super::keys::{key_role, resolve_field};
use super::template::check_template;

/// Every rule of `index(...)` and `local_index(...)`; returns the indexes
/// that get a handle.
pub(super) fn check_indexes<'a>(
    cx: &Ctxt,
    resource: &Resource<'a>,
    table_partition: Option<&Key<'a>>,
    table_sort: Option<&Key<'a>>,
) -> Vec<Index<'a>> {
    let mut rules = IndexRules {
        cx,
        resource,
        table_partition,
        table_sort,
        names: Vec::new(),
        globals: 0,
        locals: 0,
    };
    resource
        .attrs
        .indexes
        .iter()
        .filter_map(|index| rules.check(index))
        .collect()
}

/// The rules, with what they remember from the indexes before.
struct IndexRules<'r, 'a> {
    cx: &'r Ctxt,
    resource: &'r Resource<'a>,
    table_partition: Option<&'r Key<'a>>,
    table_sort: Option<&'r Key<'a>>,
    /// The names of the indexes checked so far.
    names: Vec<String>,
    globals: usize,
    locals: usize,
}

/// An index's keys as far as they resolve; `valid` is whether every rule
/// on them holds.
struct KeyFields<'a> {
    partition: Vec<Key<'a>>,
    sort: Vec<Key<'a>>,
    valid: bool,
}

impl<'a> IndexRules<'_, 'a> {
    fn check(&mut self, index: &IndexAttr) -> Option<Index<'a>> {
        let cx = self.cx;
        let Some(name_lit) = &index.name else {
            missing_name(cx, index);
            return None;
        };
        let name = name_lit.value();
        let mut valid = check_name(cx, name_lit);
        let handle = index_handle(&name);
        let clashes = self.handle_clashes(name_lit, &handle);
        valid &= !clashes;
        self.names.push(name.clone());
        self.count(index);
        let keys = self.key_fields(index, &name);
        let (projection, projection_valid) = self.projection(index, &keys);
        valid &= keys.valid && projection_valid;
        // An invalid index still gets its handle (without its keys), so that
        // uses of `User::BY_X` elsewhere add no errors to the real one; a
        // handle that clashes with another is left out.
        if clashes || !handle.chars().any(|c| c != '_') {
            return None;
        }
        let partition = match index.local {
            true => self.table_partition.cloned().into_iter().collect(),
            false => keys.partition,
        };
        let valid = valid && !partition.is_empty();
        Some(Index {
            handle: format_ident!("{}", handle),
            name,
            local: index.local,
            keys: valid.then_some(IndexKeys {
                partition,
                sort: keys.sort,
            }),
            projection,
        })
    }

    /// A duplicate name, or a handle that is already a field's or another
    /// index's.
    fn handle_clashes(&self, name_lit: &syn::LitStr, handle: &str) -> bool {
        let cx = self.cx;
        let name = name_lit.value();
        let mut clashes = false;
        if self.names.contains(&name) {
            cx.error_spanned_by(
                name_lit,
                format!("two indexes are named `{name}`; index names must be unique"),
            );
            clashes = true;
        }
        let fields = &self.resource.fields;
        if let Some(field) = fields.iter().find(|f| field_handle(&f.name) == handle) {
            cx.error_spanned_by(
                name_lit,
                format!(
                    "the handle of index `{name}`, `{handle}`, clashes with the attribute handle of field `{}`\nhelp: name the index differently, e.g. `by_{name}`",
                    field.name
                ),
            );
            clashes = true;
        }
        if let Some(other) = self
            .names
            .iter()
            .find(|n| **n != name && index_handle(n) == handle)
        {
            cx.error_spanned_by(
                name_lit,
                format!("indexes `{other}` and `{name}` would both have the handle `{handle}`"),
            );
            clashes = true;
        }
        clashes
    }

    /// DynamoDB's limits on the number of indexes, reported once, at the
    /// first index over the limit.
    fn count(&mut self, index: &IndexAttr) {
        let (count, limit, kind) = if index.local {
            self.locals += 1;
            (self.locals, MAX_LOCAL_INDEXES, "local")
        } else {
            self.globals += 1;
            (self.globals, MAX_GLOBAL_INDEXES, "global")
        };
        if count == limit + 1 {
            self.cx.error_spanned_by(
                &index.keyword,
                format!("a table has at most {limit} {kind} indexes"),
            );
        }
    }

    fn key_fields(&self, index: &IndexAttr, name: &str) -> KeyFields<'a> {
        let (partition, mut valid) = if index.local {
            (Vec::new(), self.local_partition(index))
        } else {
            let partition = self.global_partition(index, name);
            let valid = partition.is_some();
            (partition.unwrap_or_default(), valid)
        };
        let (sort, sort_valid) = self.sort_key(index, name);
        valid &= sort_valid;
        KeyFields {
            partition,
            sort,
            valid,
        }
    }

    /// A local index shares the table's partition key, so the table needs
    /// a sort key for it to differ by.
    fn local_partition(&self, index: &IndexAttr) -> bool {
        let attrs = &self.resource.attrs;
        if attrs.sort_key.is_some() || attrs.sort_key_template.is_some() {
            return true;
        }
        self.cx.error_spanned_by(
            &index.keyword,
            "a local index needs a table with a sort key\nhelp: add `sort_key = \"...\"` to the table, or use a global `index(...)`",
        );
        false
    }

    fn global_partition(&self, index: &IndexAttr, name: &str) -> Option<Vec<Key<'a>>> {
        match &index.key {
            Some(key) => self.index_keys(key, KEY, name, false),
            None => {
                self.cx.error_spanned_by(
                    &index.keyword,
                    format!("missing `key` in `index(...)`: name the partition key field of index `{name}`\nhelp: add `key = \"...\"`"),
                );
                None
            }
        }
    }

    /// The key attributes that `key` / `sort_key` (`arg`) of index `name`
    /// declares: a field, a template, or a list of fields.
    fn index_keys(
        &self,
        key: &IndexKeyAttr,
        arg: &str,
        name: &str,
        local: bool,
    ) -> Option<Vec<Key<'a>>> {
        let cx = self.cx;
        let role = format!("{} of index `{name}`", key_role(arg));
        match key {
            IndexKeyAttr::Field(lit) => {
                index_key_field(cx, self.resource, lit, arg, name).map(|k| vec![k])
            }
            IndexKeyAttr::Template(template) => {
                check_template(cx, self.resource, template, &role, true).map(|k| vec![k])
            }
            IndexKeyAttr::Fields(array, _) if local => {
                cx.error_spanned_by(
                    array,
                    "a local index has one sort key attribute; multi-attribute keys are for global indexes\nhelp: name one field, or use a global `index(...)`",
                );
                None
            }
            IndexKeyAttr::Fields(array, lits) => {
                if lits.is_empty() || lits.len() > MAX_KEY_ATTRIBUTES {
                    cx.error_spanned_by(
                        array,
                        format!(
                            "the {role} lists {} fields; a multi-attribute key has 1 to {MAX_KEY_ATTRIBUTES}",
                            lits.len()
                        ),
                    );
                    return None;
                }
                let mut keys = Vec::new();
                let mut valid = true;
                for lit in lits {
                    if lits.iter().filter(|l| l.value() == lit.value()).count() > 1 {
                        cx.error_spanned_by(
                            lit,
                            format!("`{}` is listed twice in the {role}", lit.value()),
                        );
                        valid = false;
                    }
                    match index_key_field(cx, self.resource, lit, arg, name) {
                        Some(key) => keys.push(key),
                        None => valid = false,
                    }
                }
                valid.then_some(keys)
            }
        }
    }

    /// The index's sort key and whether it is valid.
    fn sort_key(&self, index: &IndexAttr, name: &str) -> (Vec<Key<'a>>, bool) {
        let cx = self.cx;
        let Some(sort_key) = &index.sort_key else {
            if !index.local {
                return (Vec::new(), true);
            }
            cx.error_spanned_by(
                &index.keyword,
                "missing `sort_key` in `local_index(...)`: a local index sorts by another attribute\nhelp: add `sort_key = \"...\"`",
            );
            return (Vec::new(), false);
        };
        let mut valid = true;
        if let (Some(lit), Some(key)) =
            (sort_key.field(), index.key.as_ref().and_then(|k| k.field()))
        {
            if key.value() == lit.value() {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "the `sort_key` of index `{name}` must differ from its `key`; both name `{}`\n\
                         help: remove `sort_key` for an index with a partition key only",
                        lit.value()
                    ),
                );
                valid = false;
            }
        }
        let keys = self.index_keys(sort_key, SORT_KEY, name, index.local);
        let table_sort = self.table_sort.map(|k| k.attribute.as_str());
        if index.local
            && keys
                .as_ref()
                .is_some_and(|k| k.iter().any(|k| Some(k.attribute.as_str()) == table_sort))
        {
            cx.error_at(
                sort_key.span(),
                format!("the sort key of local index `{name}` is the table's sort key; a local index needs another sort key"),
            );
            valid = false;
        }
        valid &= keys.is_some();
        (keys.unwrap_or_default(), valid)
    }

    /// `projection = [...]`: stored fields that are not keys, each once.
    fn projection(&self, index: &IndexAttr, keys: &KeyFields<'a>) -> (Projection, bool) {
        let lits = match &index.projection {
            IndexProjectionAttr::All => return (Projection::All, true),
            IndexProjectionAttr::KeysOnly => return (Projection::KeysOnly, true),
            IndexProjectionAttr::Include(lits) => lits,
        };
        let cx = self.cx;
        let resource = self.resource;
        let index_keys: Vec<Option<usize>> = keys
            .partition
            .iter()
            .chain(&keys.sort)
            .map(|k| match k.source {
                KeySource::Field { field, .. } => Some(field),
                KeySource::Template(_) => None,
            })
            .collect();
        let table_keys = [&resource.attrs.key, &resource.attrs.sort_key];
        let mut include = Vec::new();
        let mut valid = true;
        for lit in lits {
            let Some((i, field)) = resolve_field(cx, resource, lit, PROJECTION) else {
                valid = false;
                continue;
            };
            let is_key = index_keys.contains(&Some(i))
                || table_keys
                    .iter()
                    .any(|k| k.as_ref().is_some_and(|k| k.value() == field.name));
            if !field.is_stored() {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "field `{}` is `skip`: it is not stored, so it cannot be projected",
                        field.name
                    ),
                );
            } else if is_key {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "`{}` is a key and always projected\nhelp: remove it from the list",
                        field.name
                    ),
                );
            } else if include.contains(&i) {
                cx.error_spanned_by(lit, format!("`{}` is listed twice", field.name));
            } else {
                include.push(i);
                continue;
            }
            valid = false;
        }
        let names = include
            .iter()
            .map(|&i| resource.fields[i].attribute.clone())
            .collect();
        (Projection::Include(names), valid)
    }
}

fn missing_name(cx: &Ctxt, index: &IndexAttr) {
    let what = if index.local { LOCAL_INDEX } else { INDEX };
    cx.error_spanned_by(
        &index.keyword,
        format!(
            "missing `name` in `{what}(...)`\nhelp: add `name = \"by_{}\"`",
            index
                .key
                .as_ref()
                .or(index.sort_key.as_ref())
                .and_then(IndexKeyAttr::field)
                .map_or_else(|| "...".to_owned(), syn::LitStr::value)
        ),
    );
}

/// DynamoDB's rules for index names, the same as for table names.
fn check_name(cx: &Ctxt, name_lit: &syn::LitStr) -> bool {
    let name = name_lit.value();
    let valid = (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        cx.error_spanned_by(
            name_lit,
            format!("invalid index name `{name}`: index names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`"),
        );
    }
    valid
}

/// `A-Z 0-9 _` for the handle of index `name`: `by-email` → `BY_EMAIL`.
fn index_handle(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An index key field: a key type, or an `Option` of one (a sparse index).
fn index_key_field<'a>(
    cx: &Ctxt,
    resource: &Resource<'a>,
    lit: &syn::LitStr,
    arg: &str,
    index: &str,
) -> Option<Key<'a>> {
    let (position, field) = resolve_field(cx, resource, lit, arg)?;
    let name = &field.name;
    let (ty, what) = match type_name(field.ty) {
        Some((ident, arguments)) if ident == "Option" => (
            first_type_argument(arguments)?,
            "the type inside the `Option` of field",
        ),
        _ => (field.ty, "the type of field"),
    };
    let mut valid = true;
    if let Some((problem, help)) = key_type_problem(ty) {
        cx.error_spanned_by(
            ty,
            format!("{what} `{name}`, a key of index `{index}`, {problem}\nhelp: {help}"),
        );
        cx.error_spanned_by(
            lit,
            format!("`{name}` is the {} of index `{index}` here", key_role(arg)),
        );
        valid = false;
    }
    if let Some(skip) = &field.attrs.skip {
        cx.error_spanned_by(
            skip,
            format!("field `{name}` is a key of index `{index}` and cannot be `skip`\nhelp: remove `skip`"),
        );
        valid = false;
    }
    valid.then(|| Key {
        attribute: field.attribute.clone(),
        source: KeySource::Field {
            field: position,
            ty,
        },
        span: lit.span(),
    })
}
