//! The traits that `#[resource]` implements.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::error::Error;
pub use crate::value::{
    Computed, KeyAttribute, KeyAttributeDef, KeySchema, KeyTemplate, ScalarType, Segment,
};
use crate::value::{DecodeError, Item, ToAttribute};

/// A struct stored as items of a DynamoDB table.
///
/// Implemented by `#[resource(service = "dynamodb", …)]`; write it by hand
/// only for types the macro cannot describe.
pub trait Resource: Sized + Send + Sync + 'static {
    /// The primary key type (`UserKey` for `User`).
    type Key: ResourceKey;

    /// The type of the partition key field, which `query` takes; a tuple
    /// of the fields' types for a key template with several fields.
    type PartitionKey;

    /// The table name given in the definition (`table = "…"`), or the
    /// struct's name.
    const TABLE_NAME: &'static str;

    /// The table's primary key.
    const KEY_SCHEMA: KeySchema;

    /// The attribute of the `#[resource(version)]` field, if any: writes
    /// store `version + 1` and require the stored version to match.
    const VERSION_ATTRIBUTE: Option<&'static str> = None;

    /// The attribute of the `#[resource(ttl)]` field, if any: `create`
    /// enables DynamoDB's time to live on it.
    const TTL_ATTRIBUTE: Option<&'static str> = None;

    /// The `#[resource(created_at)]` field, if any: a `put` sets it to the
    /// time of the write when the stored item has none (`if_not_exists`).
    const CREATED_AT: Option<Timestamp> = None;

    /// The `#[resource(updated_at)]` field, if any: every `put` and `update`
    /// sets it to the time of the write.
    const UPDATED_AT: Option<Timestamp> = None;

    /// Every attribute the struct stores, by name. A `put` that has to be
    /// sent as an update (a resource with `created_at`) removes those its
    /// value leaves out, as a whole-item put would.
    const ATTRIBUTES: &'static [&'static str] = &[];

    /// The secondary indexes declared with `index(…)` and `local_index(…)`.
    const INDEXES: &'static [IndexDef] = &[];

    /// The key attributes computed from templates (`key(attr = "pk",
    /// template = "ORG#{org}")`), of the table and of its indexes. Every
    /// write adds them to the item; the fields they name are stored too.
    const COMPUTED: &'static [Computed] = &[];

    /// `entity = "User"`: the attribute that tells this resource's items
    /// from the others in a shared table. Writes add it; reads see only
    /// items that have it.
    const ENTITY: Option<Entity> = None;

    /// `stream = "new_and_old_images"`: `create` enables the table's stream
    /// with this view, and `verify` checks it. Its changes are read as
    /// [`Change`](crate::changes::Change)s.
    const STREAM: Option<StreamView> = None;

    /// Writes the value as an item. `None` options and empty sets are omitted.
    fn to_item(&self) -> Item;

    /// Reads a value from an item, naming the attribute on error.
    fn from_item(item: Item) -> Result<Self, DecodeError>;

    /// The primary key of this value.
    fn key(&self) -> Self::Key;
}

/// What a table's stream records for each change to an item.
///
/// Declared with `#[resource(stream = "new_and_old_images")]`
/// ([`Resource::STREAM`]), or given to
/// [`TableOptions::stream`](crate::table::TableOptions::stream) (or
/// `create().stream(…)`); the names
/// (`"new_and_old_images"`, …) are those of
/// [`name`](StreamView::name) and [`from_name`](StreamView::from_name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamView {
    /// The item as it was before and after the change (`NEW_AND_OLD_IMAGES`).
    NewAndOldImages,
    /// The item as it is after the change (`NEW_IMAGE`).
    NewImage,
    /// The item as it was before the change (`OLD_IMAGE`).
    OldImage,
    /// Only the key attributes of the changed item (`KEYS_ONLY`).
    KeysOnly,
}

impl StreamView {
    /// Every view, in the order of DynamoDB's documentation.
    pub const ALL: [StreamView; 4] = [
        StreamView::NewAndOldImages,
        StreamView::NewImage,
        StreamView::OldImage,
        StreamView::KeysOnly,
    ];

    /// The view's name in snake case: `"new_and_old_images"`, `"new_image"`,
    /// `"old_image"` or `"keys_only"`.
    pub const fn name(self) -> &'static str {
        match self {
            StreamView::NewAndOldImages => "new_and_old_images",
            StreamView::NewImage => "new_image",
            StreamView::OldImage => "old_image",
            StreamView::KeysOnly => "keys_only",
        }
    }

    /// The view called `name` (as [`name`](StreamView::name) spells it).
    pub fn from_name(name: &str) -> Option<StreamView> {
        StreamView::ALL.into_iter().find(|v| v.name() == name)
    }

    pub(crate) fn to_sdk(self) -> aws_sdk_dynamodb::types::StreamViewType {
        match self {
            StreamView::NewAndOldImages => aws_sdk_dynamodb::types::StreamViewType::NewAndOldImages,
            StreamView::NewImage => aws_sdk_dynamodb::types::StreamViewType::NewImage,
            StreamView::OldImage => aws_sdk_dynamodb::types::StreamViewType::OldImage,
            StreamView::KeysOnly => aws_sdk_dynamodb::types::StreamViewType::KeysOnly,
        }
    }
}

impl std::fmt::Display for StreamView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A [`Resource`] without a `version` field: its items can be written as
/// they are, by a [`BatchWriter`](crate::batch::BatchWriter) for example,
/// since there is no version to check.
///
/// Implemented by `#[resource]` for every resource without a `version`
/// field. For a resource with one, a batch writer must say that it skips
/// the check: [`skip_version_check`](crate::batch::BatchWriter::skip_version_check).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has a `version` field: a batch write cannot check it",
    label = "`BatchWriteItem` has no conditions, so this put would skip the version check",
    note = "to load items without checking their versions, say so: `batch_writer().skip_version_check()` stores `version + 1`, as `put` would",
    note = "to check versions, write with `Table::put` or in a transaction"
)]
pub trait Unversioned: Resource {}

/// The entity attribute of a resource in a shared table (`entity =
/// "User"`, `entity_attr = "_type"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entity {
    /// The attribute (`_type` unless `entity_attr` says otherwise).
    pub attribute: &'static str,
    /// The entity's name, stored in it.
    pub name: &'static str,
}

/// Adds what every item of `T` carries beside its fields: the key
/// attributes computed from templates (left out when a field they name
/// has no value: a sparse index) and the entity attribute.
pub fn complete_item<T: Resource>(item: &mut Item) {
    for computed in T::COMPUTED {
        if let Some(value) = computed.template.render_item(item) {
            item.insert(computed.attribute.to_owned(), AttributeValue::S(value));
        }
    }
    if let Some(entity) = T::ENTITY {
        item.insert(
            entity.attribute.to_owned(),
            AttributeValue::S(entity.name.to_owned()),
        );
    }
}

/// The key of `T` from the values of its key fields (`fields`, by
/// attribute): a templated key attribute is computed from them, a plain one
/// is the field itself.
pub fn key_from_fields<T: Resource>(mut fields: Item) -> Item {
    let schema = T::KEY_SCHEMA;
    let mut key = Item::with_capacity(2);
    for def in std::iter::once(schema.partition).chain(schema.sort) {
        let value = match crate::value::computed(T::COMPUTED, def.name) {
            Some(computed) => computed
                .template
                .render_item(&fields)
                .map(AttributeValue::S),
            None => fields.remove(def.name),
        };
        if let Some(value) = value {
            key.insert(def.name.to_owned(), value);
        }
    }
    key
}

/// Checks that `item` is of `T`'s entity (for a resource with `entity`):
/// a `get` that finds another entity's item is an error naming both.
pub fn check_entity<T: Resource>(item: &Item) -> Result<(), DecodeError> {
    let Some(entity) = T::ENTITY else {
        return Ok(());
    };
    match item.get(entity.attribute) {
        Some(AttributeValue::S(found)) if found == entity.name => Ok(()),
        found => {
            let found = match found {
                Some(AttributeValue::S(other)) => format!("an item of entity `{other}`"),
                Some(other) => {
                    format!("{} instead of an entity name", crate::value::type_of(other))
                }
                None => "an item without an entity".to_owned(),
            };
            Err(DecodeError::invalid::<T>(format!(
                "expected an item of entity `{}`, found {found}",
                entity.name
            ))
            .in_field(entity.attribute))
        }
    }
}

/// Sets the automatic timestamps of an item written whole by a batch, where
/// nothing stored can be kept: both to the time of the write.
pub(crate) fn stamp_whole_item<T: Resource>(item: &mut Item) {
    for stamp in [T::CREATED_AT, T::UPDATED_AT].into_iter().flatten() {
        item.insert(stamp.name.to_owned(), (stamp.now)());
    }
}

/// Stores `version + 1` in the version attribute of `item` (an absent
/// version counts as 0), as `put` does for a resource with a `version`
/// field; nothing for a resource without one.
pub(crate) fn advance_version<T: Resource>(table: &str, item: &mut Item) -> Result<(), Error> {
    let Some(name) = T::VERSION_ATTRIBUTE else {
        return Ok(());
    };
    let current = match item.get(name) {
        Some(AttributeValue::N(text)) => text.parse::<i128>().map_err(|_| {
            Error::validation(
                table,
                format!("version attribute `{name}` is not an integer: {text}"),
            )
        })?,
        _ => 0,
    };
    let next = current.checked_add(1).ok_or_else(|| {
        Error::validation(
            table,
            format!("version attribute `{name}` cannot be incremented"),
        )
    })?;
    item.insert(
        name.to_owned(),
        AttributeValue::N(itoa::Buffer::new().format(next).to_owned()),
    );
    Ok(())
}

/// The primary key of a [`Resource`], as generated by `#[resource]`.
pub trait ResourceKey: Send + Sync + 'static {
    /// The key attributes as an item (the `Key` parameter of the API).
    fn to_key_item(&self) -> Item;

    /// The key from its key attributes (the `Keys` of a stream record):
    /// the inverse of [`to_key_item`](ResourceKey::to_key_item). A key
    /// attribute computed from a template (`USER#{id}`) is parsed back
    /// into its fields; one that does not match the template is an error
    /// naming the attribute.
    fn from_key_item(item: Item) -> Result<Self, DecodeError>
    where
        Self: Sized;
}

/// The values of `T`'s key fields, by attribute, from a key item: a plain
/// key attribute is its field; one computed from a template is parsed back
/// into the fields it names (see [`KeyTemplate::parse`]), each as a string
/// or, by its type in `types` (the key fields' attributes and scalar
/// types), a number: a zero-padded number loses its padding.
pub fn key_fields_from_item<T: Resource>(
    mut keys: Item,
    types: &[(&'static str, ScalarType)],
) -> Result<Item, DecodeError> {
    let schema = T::KEY_SCHEMA;
    let mut fields = Item::with_capacity(types.len());
    for def in std::iter::once(schema.partition).chain(schema.sort) {
        let Some(computed) = crate::value::computed(T::COMPUTED, def.name) else {
            if let Some(value) = keys.remove(def.name) {
                fields.insert(def.name.to_owned(), value);
            }
            continue;
        };
        let text = match keys.remove(def.name) {
            Some(AttributeValue::S(text)) => text,
            Some(other) => {
                return Err(DecodeError::mismatch::<str>("S", &other).in_field(def.name));
            }
            None => return Err(DecodeError::missing(def.name, "S")),
        };
        let template = computed.template;
        let mismatch = |why: String| {
            DecodeError::invalid::<T::Key>(format!(
                "`{text}` does not match the key template `{template}`{why}"
            ))
            .in_field(def.name)
        };
        let parts = template
            .parse(&text)
            .ok_or_else(|| mismatch(String::new()))?;
        for (attribute, width, part) in parts {
            let number = types
                .iter()
                .any(|(name, ty)| *name == attribute && *ty == ScalarType::N);
            let value = if number {
                let digits = if width > 0 {
                    let trimmed = part.trim_start_matches('0');
                    if trimmed.is_empty() && !part.is_empty() {
                        "0"
                    } else {
                        trimmed
                    }
                } else {
                    part
                };
                if crate::value::Decimal::parse(digits).is_none() {
                    return Err(mismatch(format!(
                        ": field `{attribute}` is a number, and `{part}` is not"
                    )));
                }
                AttributeValue::N(digits.to_owned())
            } else {
                AttributeValue::S(part.to_owned())
            };
            fields.entry(attribute.to_owned()).or_insert(value);
        }
    }
    Ok(fields)
}

/// Whether an index is global or local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A global secondary index: its own partition key.
    Global,
    /// A local secondary index: the table's partition key, another sort key.
    Local,
}

/// Which attributes an index holds besides its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexProjection {
    /// Every attribute (`projection = "all"`, the default).
    All,
    /// Only the table's and the index's keys (`"keys_only"`).
    KeysOnly,
    /// The keys and these attributes (`["a", "b"]`).
    Include(&'static [&'static str]),
}

/// A secondary index of a resource's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexDef {
    /// The index name.
    pub name: &'static str,
    /// Global or local.
    pub kind: IndexKind,
    /// The index's partition key attributes (the table's, for a local
    /// index): one, or up to four for a global index with a
    /// multi-attribute key (`key = ["region", "tier"]`).
    pub partition: &'static [KeyAttributeDef],
    /// The index's sort key attributes: none, one, or up to four.
    pub sort: &'static [KeyAttributeDef],
    /// The attributes the index holds.
    pub projection: IndexProjection,
}

/// A typed handle to secondary index number `I` (from 1, in declaration
/// order) of resource `R`: `User::BY_EMAIL`, used as
/// `users.index(User::BY_EMAIL).query("a@example.com")`.
pub struct Index<R, const I: usize> {
    name: &'static str,
    _marker: std::marker::PhantomData<fn() -> R>,
}

impl<R, const I: usize> Index<R, I> {
    /// A handle to the index called `name`. Generated code calls this.
    pub const fn new(name: &'static str) -> Self {
        Index {
            name,
            _marker: std::marker::PhantomData,
        }
    }

    /// The index name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<R, const I: usize> Clone for Index<R, I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, const I: usize> Copy for Index<R, I> {}

impl<R, const I: usize> std::fmt::Debug for Index<R, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Index({})", self.name)
    }
}

/// Implemented by `#[resource]` for each declared index `I` of a resource.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no index number {I}",
    label = "use an index handle generated for this resource"
)]
pub trait HasIndex<const I: usize>: Resource {
    /// The Rust type of the index's partition key (for a sparse index, the
    /// type inside the field's `Option`); a tuple of the fields' types for a
    /// key of several fields (a template or a multi-attribute key).
    type PartitionKey;
    /// The index.
    const INDEX: IndexDef;
}

/// Values that identify an item of resource `T`: its key type, and what
/// converts into it (`"u1"` for a string partition key, `("c1", 42)` for a
/// composite key).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key of `{T}`",
    label = "expected a key of `{T}`",
    note = "a key is the partition key value (`get(\"u1\")`), or a `(partition, sort)` tuple for a table with a sort key (`get((\"c1\", 42))`), of the key fields' types"
)]
pub trait IntoKey<T: Resource> {
    /// The key.
    fn into_key(self) -> T::Key;
}

impl<T: Resource, K: Into<T::Key>> IntoKey<T> for K {
    fn into_key(self) -> T::Key {
        self.into()
    }
}

/// A type that reads a subset of the attributes of resource
/// [`Projection::Resource`], declared with `#[resource(projection = User)]`.
///
/// Reads that return a projection request only its attributes. A projection
/// cannot be written: `put` takes the resource type only.
pub trait Projection: Sized + Send + 'static {
    /// The resource this is a projection of.
    type Resource: Resource;

    /// The attribute names read.
    const ATTRIBUTES: &'static [&'static str];

    /// Reads a value from an item holding (at least) the projected attributes.
    fn from_item(item: Item) -> Result<Self, DecodeError>;
}

/// Time-to-live values: epoch seconds, stored as `N`.
///
/// Implemented for `SystemTime`, `i64` and `u64` seconds, and with their
/// features for chrono's `DateTime<Utc>` and `DateTime<FixedOffset>`, time's
/// `OffsetDateTime` and jiff's `Timestamp`. Times are stored in whole
/// seconds, rounded down, and read back in UTC.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a time-to-live attribute",
    label = "a `ttl` field is stored as epoch seconds",
    note = "use `SystemTime`, `i64` or `u64` seconds, chrono's `DateTime<Utc>` or `DateTime<FixedOffset>`, time's `OffsetDateTime` or jiff's `Timestamp` (with their features), or an `Option` of these"
)]
pub trait TtlValue: Sized {
    /// Epoch seconds; `None` omits the attribute.
    fn to_epoch_seconds(&self) -> Option<i64>;
    /// Reads epoch seconds.
    fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError>;
    /// The value of an absent attribute, if absence is allowed.
    fn absent() -> Option<Self> {
        None
    }
}

impl TtlValue for i64 {
    fn to_epoch_seconds(&self) -> Option<i64> {
        Some(*self)
    }
    fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
        Ok(seconds)
    }
}

impl TtlValue for u64 {
    fn to_epoch_seconds(&self) -> Option<i64> {
        // Saturate: beyond i64 seconds is hundreds of billions of years away.
        Some(i64::try_from(*self).unwrap_or(i64::MAX))
    }
    fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
        u64::try_from(seconds)
            .map_err(|_| DecodeError::invalid::<u64>(format!("{seconds} is before the epoch")))
    }
}

impl TtlValue for std::time::SystemTime {
    /// Whole seconds, rounded down: DynamoDB's TTL has second resolution.
    fn to_epoch_seconds(&self) -> Option<i64> {
        Some(match self.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() > 0 {
                    -secs - 1
                } else {
                    -secs
                }
            }
        })
    }
    fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
        let magnitude = std::time::Duration::from_secs(seconds.unsigned_abs());
        let time = if seconds >= 0 {
            std::time::UNIX_EPOCH.checked_add(magnitude)
        } else {
            std::time::UNIX_EPOCH.checked_sub(magnitude)
        };
        time.ok_or_else(|| DecodeError::invalid::<Self>(format!("{seconds} is out of range")))
    }
}

impl<T: TtlValue> TtlValue for Option<T> {
    fn to_epoch_seconds(&self) -> Option<i64> {
        self.as_ref().and_then(T::to_epoch_seconds)
    }
    fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
        T::from_epoch_seconds(seconds).map(Some)
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// Integer types a `version` field can have.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `version` field",
    label = "a version counter is an integer",
    note = "use an integer type such as `u64`"
)]
pub trait VersionValue {}

macro_rules! version_value {
    ($($t:ty)*) => {$( impl VersionValue for $t {} )*};
}
version_value!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

/// An automatic timestamp attribute: `#[resource(created_at)]` or
/// `#[resource(updated_at)]`.
#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    /// The attribute name.
    pub name: &'static str,
    /// The current time, as the field's type stores it.
    pub now: fn() -> AttributeValue,
}

/// Types a `created_at` or `updated_at` field can have: the time of a write
/// is stored in them as the type stores any value.
///
/// Implemented for `SystemTime` (`N`), and with their features for chrono's
/// `DateTime<Utc>` and `DateTime<FixedOffset>`, time's `OffsetDateTime` and
/// jiff's `Timestamp` (`S`, in UTC), and for an `Option` of any of these.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold an automatic timestamp",
    label = "`created_at` and `updated_at` fields are set to the time of the write",
    note = "use `SystemTime`, chrono's `DateTime<Utc>` or `DateTime<FixedOffset>`, time's `OffsetDateTime` or jiff's `Timestamp` (with their features), or an `Option` of one"
)]
pub trait TimestampValue: ToAttribute {
    /// The current time as an attribute value.
    fn now() -> AttributeValue;
}

impl TimestampValue for std::time::SystemTime {
    fn now() -> AttributeValue {
        std::time::SystemTime::now().to_attribute()
    }
}

impl<T: TimestampValue> TimestampValue for Option<T> {
    fn now() -> AttributeValue {
        T::now()
    }
}

// ---- date and time features ----

/// An out-of-range TTL for `T`.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
fn ttl_out_of_range<T>(seconds: i64) -> DecodeError {
    DecodeError::invalid::<T>(format!("{seconds} epoch seconds is out of range"))
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use chrono::{DateTime, FixedOffset, Utc};

    use super::{ttl_out_of_range, TimestampValue, TtlValue};
    use crate::value::{DecodeError, ToAttribute};
    use aws_sdk_dynamodb::types::AttributeValue;

    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    impl TtlValue for DateTime<Utc> {
        /// Whole seconds, rounded down.
        fn to_epoch_seconds(&self) -> Option<i64> {
            Some(self.timestamp())
        }
        fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
            DateTime::from_timestamp(seconds, 0).ok_or_else(|| ttl_out_of_range::<Self>(seconds))
        }
    }

    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    impl TtlValue for DateTime<FixedOffset> {
        /// Whole seconds, rounded down.
        fn to_epoch_seconds(&self) -> Option<i64> {
            Some(self.timestamp())
        }
        /// In UTC: epoch seconds carry no offset.
        fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
            DateTime::from_timestamp(seconds, 0)
                .map(|t| t.fixed_offset())
                .ok_or_else(|| ttl_out_of_range::<Self>(seconds))
        }
    }

    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    impl TimestampValue for DateTime<Utc> {
        fn now() -> AttributeValue {
            DateTime::<Utc>::from(std::time::SystemTime::now()).to_attribute()
        }
    }

    /// The current time in UTC.
    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    impl TimestampValue for DateTime<FixedOffset> {
        fn now() -> AttributeValue {
            <DateTime<Utc> as TimestampValue>::now()
        }
    }
}

#[cfg(feature = "time")]
mod time_impls {
    use time::OffsetDateTime;

    use super::{ttl_out_of_range, TimestampValue, TtlValue};
    use crate::value::{DecodeError, ToAttribute};
    use aws_sdk_dynamodb::types::AttributeValue;

    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    impl TtlValue for OffsetDateTime {
        /// Whole seconds, rounded down.
        fn to_epoch_seconds(&self) -> Option<i64> {
            Some(self.unix_timestamp())
        }
        /// In UTC: epoch seconds carry no offset.
        fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
            OffsetDateTime::from_unix_timestamp(seconds)
                .map_err(|_| ttl_out_of_range::<Self>(seconds))
        }
    }

    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    impl TimestampValue for OffsetDateTime {
        fn now() -> AttributeValue {
            OffsetDateTime::now_utc().to_attribute()
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff_impls {
    use jiff::Timestamp;

    use super::{ttl_out_of_range, TimestampValue, TtlValue};
    use crate::value::{DecodeError, ToAttribute};
    use aws_sdk_dynamodb::types::AttributeValue;

    #[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
    impl TtlValue for Timestamp {
        /// Whole seconds, rounded down.
        fn to_epoch_seconds(&self) -> Option<i64> {
            // jiff gives the fraction the sign of the seconds.
            let seconds = self.as_second();
            Some(if self.subsec_nanosecond() < 0 {
                seconds - 1
            } else {
                seconds
            })
        }
        fn from_epoch_seconds(seconds: i64) -> Result<Self, DecodeError> {
            Timestamp::from_second(seconds).map_err(|_| ttl_out_of_range::<Self>(seconds))
        }
    }

    #[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
    impl TimestampValue for Timestamp {
        fn now() -> AttributeValue {
            Timestamp::now().to_attribute()
        }
    }
}
