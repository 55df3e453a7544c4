//! [`TableOptions`]: what a table has beyond the resource's schema.

use std::fmt;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::{BillingMode, ProvisionedThroughput, StreamSpecification, Tag};

use crate::error::{Error, Result};
pub use crate::resource::StreamView;
use crate::resource::{HasIndex, Index, IndexKind, Resource};

/// DynamoDB's bounds on provisioned read and write capacity units: at least
/// one, and the service refuses values past 10^12 whatever the account quota.
const CAPACITY_RANGE: std::ops::RangeInclusive<u64> = 1..=1_000_000_000_000;
/// At most 50 tags per table.
const MAX_TAGS: usize = 50;
/// Tag keys are 1 to 128 characters, values 0 to 256.
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

/// A table's storage class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TableClass {
    /// The default class (`STANDARD`).
    #[default]
    Standard,
    /// Cheaper storage, dearer reads and writes (`STANDARD_INFREQUENT_ACCESS`).
    StandardInfrequentAccess,
}

impl TableClass {
    pub(super) fn to_sdk(self) -> aws_sdk_dynamodb::types::TableClass {
        match self {
            TableClass::Standard => aws_sdk_dynamodb::types::TableClass::Standard,
            TableClass::StandardInfrequentAccess => {
                aws_sdk_dynamodb::types::TableClass::StandardInfrequentAccess
            }
        }
    }
}

/// Provisioned read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Throughput {
    pub(super) read: u64,
    pub(super) write: u64,
}

impl Throughput {
    /// The SDK value; call only after [`TableOptions::validate`], which
    /// keeps both numbers within `i64`.
    fn to_sdk(self) -> ProvisionedThroughput {
        ProvisionedThroughput::builder()
            .read_capacity_units(i64::try_from(self.read).unwrap_or(i64::MAX))
            .write_capacity_units(i64::try_from(self.write).unwrap_or(i64::MAX))
            .build()
            .expect("both members are set")
    }
}

impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} read, {} write", self.read, self.write)
    }
}

/// The capacity given to one global index.
#[derive(Debug, Clone, Copy)]
pub(super) struct IndexCapacity {
    pub(super) name: &'static str,
    kind: IndexKind,
    pub(super) throughput: Throughput,
}

/// How a table is set up beyond what resource `T` declares: capacity,
/// deletion protection, table class, point-in-time recovery, tags and the
/// stream.
///
/// [`Table::create`](crate::Table::create) takes the same options one by one
/// (`users.create().provisioned(5, 5)`) or all at once
/// ([`CreateTable::options`](super::CreateTable::options)), and
/// [`Table::verify_with`](crate::Table::verify_with) checks a live table
/// against them. Build one value and hand it to both:
///
/// ```
/// # use resourceful_runtime::table::{StreamView, TableClass, TableOptions};
/// # fn options<T: resourceful_runtime::Resource>() -> TableOptions<T> {
/// TableOptions::new()
///     .provisioned(10, 5)
///     .deletion_protection(true)
///     .table_class(TableClass::StandardInfrequentAccess)
///     .point_in_time_recovery(true)
///     .tag("team", "payments")
///     .stream(StreamView::NewAndOldImages)
/// # }
/// ```
///
/// The defaults are those of a plain `create()`: on-demand capacity, no
/// deletion protection, the standard table class, no point-in-time recovery,
/// no tags and no stream. The options are checked when they are used, before
/// anything is sent: a capacity of 0, per-index capacity on an on-demand
/// table or a local index, or a tag DynamoDB would refuse is an error with
/// [`Error::is_validation`](crate::Error::is_validation).
pub struct TableOptions<T> {
    pub(super) capacity: Option<Throughput>,
    pub(super) index_capacity: Vec<IndexCapacity>,
    pub(super) deletion_protection: bool,
    pub(super) table_class: TableClass,
    pub(super) point_in_time_recovery: bool,
    pub(super) tags: Vec<(String, String)>,
    pub(super) stream: Option<StreamView>,
    _marker: PhantomData<fn() -> T>,
}

impl<T: Resource> TableOptions<T> {
    /// The defaults: on-demand, no deletion protection, standard class, no
    /// point-in-time recovery, no tags, and the stream the resource declares
    /// (`#[resource(stream = "…")]`, [`Resource::STREAM`]), if any.
    pub fn new() -> Self {
        TableOptions {
            capacity: None,
            index_capacity: Vec::new(),
            deletion_protection: false,
            table_class: TableClass::Standard,
            point_in_time_recovery: false,
            tags: Vec::new(),
            stream: T::STREAM,
            _marker: PhantomData,
        }
    }

    /// On-demand capacity (`PAY_PER_REQUEST`), the default: pay per request,
    /// no capacity to plan.
    pub fn on_demand(mut self) -> Self {
        self.capacity = None;
        self
    }

    /// Provisioned capacity (`PROVISIONED`): `read` and `write` capacity
    /// units per second, each at least 1. Global indexes get the same
    /// capacity unless [`index_capacity`](Self::index_capacity) says
    /// otherwise.
    pub fn provisioned(mut self, read: u64, write: u64) -> Self {
        self.capacity = Some(Throughput { read, write });
        self
    }

    /// The capacity of one global index of a provisioned table:
    /// `.index_capacity(User::BY_EMAIL, 2, 1)`. Local indexes share the
    /// table's capacity and cannot have their own.
    pub fn index_capacity<const I: usize>(
        mut self,
        index: Index<T, I>,
        read: u64,
        write: u64,
    ) -> Self
    where
        T: HasIndex<I>,
    {
        let capacity = IndexCapacity {
            name: index.name(),
            kind: <T as HasIndex<I>>::INDEX.kind,
            throughput: Throughput { read, write },
        };
        self.index_capacity.retain(|c| c.name != capacity.name);
        self.index_capacity.push(capacity);
        self
    }

    /// Whether DynamoDB refuses to delete the table (default `false`). A
    /// protected table must be unprotected before
    /// [`delete_table`](crate::Table::delete_table) can delete it.
    pub fn deletion_protection(mut self, enabled: bool) -> Self {
        self.deletion_protection = enabled;
        self
    }

    /// The table class (default [`TableClass::Standard`]).
    pub fn table_class(mut self, class: TableClass) -> Self {
        self.table_class = class;
        self
    }

    /// Whether continuous backups with point-in-time recovery are on
    /// (default `false`). `create()` turns them on once the table is active.
    pub fn point_in_time_recovery(mut self, enabled: bool) -> Self {
        self.point_in_time_recovery = enabled;
        self
    }

    /// Adds a tag; a later tag with the same key replaces it. Keys are 1 to
    /// 128 characters and may not start with `aws:`, values 0 to 256; both
    /// are letters, digits, spaces and `_ . : / = + - @`; at most 50 tags.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        let value = value.into();
        match self.tags.iter_mut().find(|(k, _)| *k == key) {
            Some(tag) => tag.1 = value,
            None => self.tags.push((key, value)),
        }
        self
    }

    /// The table's stream: `.stream(StreamView::NewImage)`, or `.stream(None)`
    /// for none (the default).
    pub fn stream(mut self, view: impl Into<Option<StreamView>>) -> Self {
        self.stream = view.into();
        self
    }

    /// Refuses what DynamoDB would refuse, naming `table`.
    pub(super) fn validate(&self, table: &str) -> Result<()> {
        if let Some(capacity) = self.capacity {
            validate_throughput(table, "the table", capacity)?;
        }
        for index in &self.index_capacity {
            if index.kind == IndexKind::Local {
                return Err(Error::validation(
                    table,
                    format!(
                        "`{}` is a local index, which shares the table's capacity: \
                         only global indexes take `index_capacity`",
                        index.name
                    ),
                ));
            }
            if self.capacity.is_none() {
                return Err(Error::validation(
                    table,
                    format!(
                        "capacity for index `{}` needs provisioned capacity on the table: \
                         add `.provisioned(read, write)`",
                        index.name
                    ),
                ));
            }
            validate_throughput(table, &format!("index `{}`", index.name), index.throughput)?;
        }
        if self.tags.len() > MAX_TAGS {
            return Err(Error::validation(
                table,
                format!(
                    "{} tags, over DynamoDB's limit of {MAX_TAGS} per table",
                    self.tags.len()
                ),
            ));
        }
        for (key, value) in &self.tags {
            validate_tag(table, key, value)?;
        }
        Ok(())
    }

    pub(super) fn billing_mode(&self) -> BillingMode {
        if self.capacity.is_some() {
            BillingMode::Provisioned
        } else {
            BillingMode::PayPerRequest
        }
    }

    pub(super) fn table_throughput(&self) -> Option<ProvisionedThroughput> {
        self.capacity.map(Throughput::to_sdk)
    }

    /// What a global index gets: its own capacity if given, else the table's.
    pub(super) fn index_throughput(&self, index: &str) -> Option<Throughput> {
        let table = self.capacity?;
        Some(
            self.index_capacity
                .iter()
                .find(|c| c.name == index)
                .map_or(table, |c| c.throughput),
        )
    }

    pub(super) fn index_throughput_sdk(&self, index: &str) -> Option<ProvisionedThroughput> {
        self.index_throughput(index).map(Throughput::to_sdk)
    }

    pub(super) fn stream_specification(&self) -> Option<StreamSpecification> {
        self.stream.map(|view| {
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(view.to_sdk())
                .build()
                .expect("stream_enabled is set")
        })
    }

    pub(super) fn sdk_tags(&self) -> Option<Vec<Tag>> {
        (!self.tags.is_empty()).then(|| {
            self.tags
                .iter()
                .map(|(k, v)| {
                    Tag::builder()
                        .key(k)
                        .value(v)
                        .build()
                        .expect("key and value are set")
                })
                .collect()
        })
    }
}

fn validate_throughput(table: &str, what: &str, throughput: Throughput) -> Result<()> {
    for (name, units) in [("read", throughput.read), ("write", throughput.write)] {
        if !CAPACITY_RANGE.contains(&units) {
            return Err(Error::validation(
                table,
                format!(
                    "{units} {name} capacity units for {what}: provisioned capacity is {} to {}",
                    CAPACITY_RANGE.start(),
                    CAPACITY_RANGE.end()
                ),
            ));
        }
    }
    Ok(())
}

/// The characters DynamoDB allows in tags: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric()
        || (c.is_whitespace() && !c.is_control())
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

fn validate_tag(table: &str, key: &str, value: &str) -> Result<()> {
    let key_len = key.chars().count();
    if !(1..=MAX_TAG_KEY).contains(&key_len) {
        return Err(Error::validation(
            table,
            format!("tag key `{key}` has {key_len} characters: tag keys are 1 to {MAX_TAG_KEY}"),
        ));
    }
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return Err(Error::validation(
            table,
            format!("tag key `{key}`: the `aws:` prefix is reserved for AWS"),
        ));
    }
    let value_len = value.chars().count();
    if value_len > MAX_TAG_VALUE {
        return Err(Error::validation(
            table,
            format!(
                "tag `{key}` has a value of {value_len} characters: tag values are 0 to {MAX_TAG_VALUE}"
            ),
        ));
    }
    for (what, text) in [("key", key), ("value", value)] {
        if let Some(c) = text.chars().find(|c| !tag_char(*c)) {
            return Err(Error::validation(
                table,
                format!(
                    "tag `{key}`: the {what} contains {c:?}; tags are letters, digits, \
                     spaces and `_ . : / = + - @`"
                ),
            ));
        }
    }
    Ok(())
}

impl<T: Resource> Default for TableOptions<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for TableOptions<T> {
    fn clone(&self) -> Self {
        TableOptions {
            capacity: self.capacity,
            index_capacity: self.index_capacity.clone(),
            deletion_protection: self.deletion_protection,
            table_class: self.table_class,
            point_in_time_recovery: self.point_in_time_recovery,
            tags: self.tags.clone(),
            stream: self.stream,
            _marker: PhantomData,
        }
    }
}

impl<T> fmt::Debug for TableOptions<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("TableOptions");
        match self.capacity {
            Some(capacity) => s.field("provisioned", &capacity),
            None => s.field("on_demand", &true),
        };
        s.field("index_capacity", &self.index_capacity)
            .field("deletion_protection", &self.deletion_protection)
            .field("table_class", &self.table_class)
            .field("point_in_time_recovery", &self.point_in_time_recovery)
            .field("tags", &self.tags)
            .field("stream", &self.stream)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_view_names_round_trip() {
        for view in StreamView::ALL {
            assert_eq!(StreamView::from_name(view.name()), Some(view));
            assert_eq!(view.to_sdk().as_str().to_ascii_lowercase(), view.name());
        }
        assert_eq!(StreamView::from_name("NEW_IMAGE"), None);
    }

    #[test]
    fn capacity_bounds() {
        let ok = Throughput { read: 1, write: 1 };
        assert!(validate_throughput("t", "the table", ok).is_ok());
        let max = Throughput {
            read: 1_000_000_000_000,
            write: 1,
        };
        assert!(validate_throughput("t", "the table", max).is_ok());
        for bad in [
            Throughput { read: 0, write: 1 },
            Throughput { read: 1, write: 0 },
            Throughput {
                read: 1_000_000_000_001,
                write: 1,
            },
            Throughput {
                read: 1,
                write: u64::MAX,
            },
        ] {
            let err = validate_throughput("t", "the table", bad).unwrap_err();
            assert!(err.is_validation(), "{bad:?}");
            assert_eq!(err.table(), Some("t"));
        }
    }

    #[test]
    fn tag_rules() {
        assert!(validate_tag("t", "team", "payments").is_ok());
        assert!(validate_tag("t", "cost-centre/é", "").is_ok());
        assert!(validate_tag("t", "a b_c.d:e/f=g+h-i@j", "1 2").is_ok());
        assert!(validate_tag("t", &"k".repeat(128), &"v".repeat(256)).is_ok());
        for (key, value) in [
            ("", "v"),
            (&*"k".repeat(129), "v"),
            ("k", &*"v".repeat(257)),
            ("aws:owner", "v"),
            ("AWS:owner", "v"),
            ("k*", "v"),
            ("k", "line\nbreak"),
        ] {
            let err = validate_tag("t", key, value).unwrap_err();
            assert!(err.is_validation(), "{key:?} = {value:?}");
            assert!(err.to_string().starts_with("table `t`: "), "{err}");
        }
    }
}
