//! The resolved model: what `check` found a definition to declare, in the
//! form `expand` generates code from. Every name is final and every rule
//! has been applied, so code generation never re-derives one.

use proc_macro2::Span;

/// A definition as `expand` sees it.
pub(crate) struct Model<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) vis: &'a syn::Visibility,
    /// The facade: `crate = "…"` or `::resourceful`.
    pub(crate) krate: syn::Path,
    /// The table name: `table = "…"` or the struct's name.
    pub(crate) table: String,
    /// Every field, in declaration order; `FieldTag<N>` numbers them.
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) target: Target<'a>,
}

/// A field, stored or not.
pub(crate) struct Field<'a> {
    /// The Rust name, without `r#`.
    pub(crate) name: String,
    pub(crate) member: &'a syn::Ident,
    pub(crate) ty: &'a syn::Type,
    /// The attribute name in the table, after `rename` / `rename_all`.
    pub(crate) attribute: String,
    /// The attribute handle: `EMAIL` for `User::EMAIL`.
    pub(crate) handle: syn::Ident,
    pub(crate) read: Read,
    /// Stored as epoch seconds: a `ttl` field of a type `check` accepts. A
    /// rejected type is stored as a plain field, since the `TtlValue` bound
    /// would only repeat the error.
    pub(crate) ttl: bool,
    /// A `version` field whose type the compiler must confirm is an integer;
    /// one whose syntax shows it is not has been reported already.
    pub(crate) assert_version: bool,
    /// `with = "module"`: written and read through the module's functions,
    /// and its handle holds the `AttributeValue` they produce.
    pub(crate) with: Option<syn::Path>,
    /// `serde`, at the keyword's span: written and read through the serde
    /// data model, and, like `with`, its handle holds an `AttributeValue`.
    pub(crate) serde: Option<Span>,
    /// `flatten`: its attributes sit beside the others, and it has no handle.
    pub(crate) flatten: bool,
}

/// How a field is read from an item.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// A missing attribute is an error.
    Required,
    /// `default`: a missing attribute reads as `Default::default()`.
    OrDefault,
    /// `skip`: not stored, always `Default::default()`.
    Skipped,
}

impl Field<'_> {
    pub(crate) fn is_stored(&self) -> bool {
        self.read != Read::Skipped
    }

    /// Stored under an attribute of its own name: stored and not flattened.
    pub(crate) fn has_attribute(&self) -> bool {
        self.is_stored() && !self.flatten
    }

    /// Written through a module (`with`, or the serde data model for
    /// `serde`) rather than its type's `ToAttribute`.
    pub(crate) fn converted(&self) -> bool {
        self.with.is_some() || self.serde.is_some()
    }
}

/// What the definition generates.
pub(crate) enum Target<'a> {
    /// A resource whose keys are valid.
    Resource(Box<Table<'a>>),
    /// `projection = User`: reads a subset of the attributes of `User`.
    Projection(syn::Path),
    /// A resource with errors: stubs that keep its uses type-checking.
    Fallback(FallbackKeys),
}

/// A resource's table: its key, special attributes and indexes.
pub(crate) struct Table<'a> {
    pub(crate) partition: Key<'a>,
    pub(crate) sort: Option<Key<'a>>,
    /// The first `version` field (its attribute is the locking counter).
    pub(crate) version: Option<usize>,
    /// The first `ttl` field.
    pub(crate) ttl: Option<usize>,
    /// The first `created_at` field of a type `check` accepts.
    pub(crate) created_at: Option<usize>,
    /// The first `updated_at` field of a type `check` accepts.
    pub(crate) updated_at: Option<usize>,
    /// In declaration order; handle `N` is `HasIndex<N>` with `N` from 1.
    pub(crate) indexes: Vec<Index<'a>>,
    /// `entity = "…"`: the entity attribute and the entity's name.
    pub(crate) entity: Option<(String, String)>,
    /// `stream = "…"`: the `StreamView` variant of a known view.
    pub(crate) stream: Option<&'static str>,
}

impl Table<'_> {
    /// Every key attribute computed from a template, once each: the
    /// table's, then the indexes'.
    pub(crate) fn computed(&self) -> Vec<(&str, &Template<'_>)> {
        let index_keys = self
            .indexes
            .iter()
            .filter_map(|i| i.keys.as_ref())
            .flat_map(|k| k.partition.iter().chain(&k.sort));
        let mut out: Vec<(&str, &Template<'_>)> = Vec::new();
        for key in std::iter::once(&self.partition)
            .chain(&self.sort)
            .chain(index_keys)
        {
            if let KeySource::Template(template) = &key.source {
                if !out.iter().any(|(a, _)| *a == key.attribute) {
                    out.push((&key.attribute, template));
                }
            }
        }
        out
    }
}

/// A key attribute of the table or of an index.
#[derive(Clone)]
pub(crate) struct Key<'a> {
    /// The attribute's name in the table.
    pub(crate) attribute: String,
    pub(crate) source: KeySource<'a>,
    /// The `key = "…"` / `sort_key = "…"` (or the template) that declares
    /// it: when a key condition names another attribute, or the key's type
    /// is not a key type, the compiler points there.
    pub(crate) span: Span,
}

/// Where a key attribute's value comes from.
#[derive(Clone)]
pub(crate) enum KeySource<'a> {
    /// A field stored under the key's attribute. `ty` is the key's type:
    /// the field's, or the type inside its `Option` for a sparse index key.
    Field { field: usize, ty: &'a syn::Type },
    /// Computed from fields (a string, `S`).
    Template(Template<'a>),
}

/// `ORG#{org}`, resolved.
#[derive(Clone)]
pub(crate) struct Template<'a> {
    pub(crate) text: String,
    pub(crate) parts: Vec<TemplatePart<'a>>,
}

#[derive(Clone)]
pub(crate) enum TemplatePart<'a> {
    Text(String),
    /// A field (position, key type: inside an `Option` for a sparse index
    /// key), zero-padded to `width` digits (`0`: not padded).
    Field {
        field: usize,
        ty: &'a syn::Type,
        width: usize,
    },
}

impl<'a> Template<'a> {
    /// The fields it names, in order, with their key types.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (usize, &'a syn::Type)> + '_ {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Field { field, ty, .. } => Some((*field, *ty)),
            TemplatePart::Text(_) => None,
        })
    }

    /// The field a sort-key condition may name: the only one, at the end
    /// (`USER#{id}`).
    pub(crate) fn condition_field(&self) -> Option<usize> {
        let mut fields = self.fields();
        let (only, _) = fields.next()?;
        let at_end = matches!(self.parts.last(), Some(TemplatePart::Field { .. }));
        (fields.next().is_none() && at_end).then_some(only)
    }
}

impl<'a> Key<'a> {
    /// The fields its value comes from, in order, with their key types.
    pub(crate) fn fields(&self) -> Vec<(usize, &'a syn::Type)> {
        match &self.source {
            KeySource::Field { field, ty } => vec![(*field, *ty)],
            KeySource::Template(template) => template.fields().collect(),
        }
    }

    /// The field whose conditions are key conditions on this key.
    pub(crate) fn condition_field(&self) -> Option<usize> {
        match &self.source {
            KeySource::Field { field, .. } => Some(*field),
            KeySource::Template(template) => template.condition_field(),
        }
    }
}

/// A secondary index that gets a handle.
pub(crate) struct Index<'a> {
    pub(crate) name: String,
    /// `BY_EMAIL` for `User::BY_EMAIL`.
    pub(crate) handle: syn::Ident,
    pub(crate) local: bool,
    /// The keys of a valid index; `None` for an invalid one, which gets a
    /// stub handle so that its uses elsewhere add no errors.
    pub(crate) keys: Option<IndexKeys<'a>>,
    pub(crate) projection: Projection,
}

/// The keys of a valid index: one partition key attribute (a local
/// index's is the table's) and at most one sort key, or up to four of each
/// for a multi-attribute key.
pub(crate) struct IndexKeys<'a> {
    pub(crate) partition: Vec<Key<'a>>,
    pub(crate) sort: Vec<Key<'a>>,
}

/// Which attributes an index holds.
pub(crate) enum Projection {
    All,
    KeysOnly,
    /// Attribute names, after renaming.
    Include(Vec<String>),
}

/// The fields that the table key names, whether or not they are valid
/// keys: then `get(…)` takes the values the definition asks for, and only
/// the definition is reported.
pub(crate) struct FallbackKeys {
    pub(crate) partition: Option<usize>,
    /// Only with a partition key, and only when it names another field.
    pub(crate) sort: Option<usize>,
}

/// A type with `#[derive(Attribute)]` as `expand` sees it.
pub(crate) struct DeriveModel<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) vis: &'a syn::Visibility,
    pub(crate) generics: &'a syn::Generics,
    /// The facade: `crate = "…"` or `::resourceful`.
    pub(crate) krate: syn::Path,
    pub(crate) shape: Shape<'a>,
}

/// How a derived type is stored.
pub(crate) enum Shape<'a> {
    /// A map (`M`) of its stored fields.
    Struct(Vec<Field<'a>>),
    /// Its one field's value, whose type this is.
    Newtype(&'a syn::Type),
    /// A string (`S`) naming the variant.
    UnitEnum(Vec<UnitVariant<'a>>),
    /// A map (`M`) with the variant's name under `tag`.
    DataEnum(DataEnum<'a>),
}

pub(crate) struct DataEnum<'a> {
    pub(crate) tag: String,
    /// Adjacent tagging: the variant's data under this attribute.
    pub(crate) content: Option<String>,
    pub(crate) variants: Vec<DataVariant<'a>>,
}

pub(crate) struct DataVariant<'a> {
    pub(crate) ident: &'a syn::Ident,
    /// The tag's value, after `rename` / `rename_all`.
    pub(crate) name: String,
    pub(crate) data: VariantData<'a>,
}

pub(crate) enum VariantData<'a> {
    Unit,
    Struct(Vec<Field<'a>>),
    /// Internally tagged, a type that is itself stored as attributes
    /// (`Flatten`); adjacently tagged, any type.
    Newtype(&'a syn::Type),
    /// Adjacently tagged only: a list (`L`) of the fields.
    Tuple(Vec<&'a syn::Type>),
}

pub(crate) struct UnitVariant<'a> {
    pub(crate) ident: &'a syn::Ident,
    /// The stored string, after `rename` / `rename_all`.
    pub(crate) name: String,
}
