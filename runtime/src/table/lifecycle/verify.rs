//! `verify()`: the live table compared with the resource and the options.

use std::fmt;

use aws_sdk_dynamodb::types::{
    BillingMode, KeySchemaElement, KeyType, PointInTimeRecoveryStatus, Projection, ProjectionType,
    TableDescription, TimeToLiveStatus,
};

use super::options::Throughput;
use super::{projection, TableOptions};
use crate::error::{Error, Result};
use crate::resource::{IndexKind, KeyAttributeDef, Resource, StreamView};
use crate::table::Table;

/// DynamoDB's answer to an operation the endpoint does not implement.
const UNKNOWN_OPERATION: &str = "UnknownOperationException";
/// What a report says of an option the endpoint does not implement.
const UNSUPPORTED: &str = "not supported by the endpoint";

/// One aspect of a table that [`verify`](crate::Table::verify) compared and
/// found as expected: what it is (its [`subject`](Checked::subject), such as
/// `table key` or ``global index `by_email` ``) and what the table has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    subject: String,
    found: String,
}

impl Checked {
    /// What was compared: `table key`, ``global index `by_email` ``,
    /// ``local index `by_date` ``, and with options `time to live`,
    /// `billing mode`, ``capacity of index `by_email` ``,
    /// `deletion protection`, `table class`, `point-in-time recovery`,
    /// `stream` and ``tag `team` ``.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// What the live table has, such as `partition key `id` (S)`,
    /// `on-demand` or `NEW_IMAGE`.
    pub fn found(&self) -> &str {
        &self.found
    }
}

impl fmt::Display for Checked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.found)
    }
}

/// What [`verify`](crate::Table::verify) and
/// [`verify_with`](crate::Table::verify_with) compared, when everything
/// matched: one [`Checked`] per aspect, in a fixed order (the table key, each
/// index in declaration order, then the options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    table: String,
    checks: Vec<Checked>,
}

impl TableReport {
    /// The table that was verified.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Everything that was compared, with what the table has.
    pub fn checks(&self) -> &[Checked] {
        &self.checks
    }

    /// What the table has for `subject` (as [`Checked::subject`] spells it),
    /// if that was compared.
    pub fn found(&self, subject: &str) -> Option<&str> {
        self.checks
            .iter()
            .find(|c| c.subject == subject)
            .map(Checked::found)
    }
}

impl fmt::Display for TableReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "table `{}` matches:", self.table)?;
        for check in &self.checks {
            write!(f, "\n- {check}")?;
        }
        Ok(())
    }
}

/// The checks and differences found so far.
#[derive(Default)]
struct Comparison {
    checks: Vec<Checked>,
    differences: Vec<String>,
}

impl Comparison {
    fn matched(&mut self, subject: impl Into<String>, found: impl Into<String>) {
        self.checks.push(Checked {
            subject: subject.into(),
            found: found.into(),
        });
    }

    /// An option: a check when the table has what the options ask for,
    /// otherwise a difference.
    fn option(&mut self, subject: impl Into<String>, expected: String, found: String) {
        self.compare(subject.into(), "the options ask for", expected, found);
    }

    /// A check when `found` is `expected`, otherwise a difference saying
    /// who expected what.
    fn compare(&mut self, subject: String, source: &str, expected: String, found: String) {
        if expected == found {
            self.matched(subject, found);
        } else {
            self.differences.push(format!(
                "{subject}: {source} {expected}, the table has {found}"
            ));
        }
    }

    /// Something the options ask for that the endpoint cannot do at all.
    fn unsupported(&mut self, subject: &str, expected: &str) {
        self.differences.push(format!(
            "{subject}: the options ask for {expected}, the endpoint does not support it"
        ));
    }

    fn finish(self, table: &str) -> Result<TableReport> {
        if self.differences.is_empty() {
            Ok(TableReport {
                table: table.to_owned(),
                checks: self.checks,
            })
        } else {
            Err(Error::schema_mismatch(table, self.differences))
        }
    }
}

/// Compares the live table with resource `T` (key schema and indexes) and,
/// given options, with them and the `ttl` field too.
pub(in crate::table) async fn verify<T: Resource>(
    table: &Table<T>,
    options: Option<&TableOptions<T>>,
) -> Result<TableReport> {
    let name = table.name();
    if let Some(options) = options {
        options.validate(name)?;
    }
    let described = table
        .client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .map_err(|e| Error::sdk(Some(name), e))?
        .table
        .unwrap_or_else(|| TableDescription::builder().build());
    let mut comparison = Comparison::default();
    compare_schema::<T>(&described, &mut comparison);
    // The definition's stream (`#[resource(stream = "…")]`): options, which
    // start from it, check it themselves.
    if let (None, Some(view)) = (options, T::STREAM) {
        compare_stream(
            &described,
            Some(view),
            "the definition has",
            &mut comparison,
        );
    }
    if let Some(options) = options {
        compare_time_to_live::<T>(table, &mut comparison).await?;
        compare_options::<T>(&described, options, &mut comparison);
        compare_point_in_time_recovery(table, options, &mut comparison).await?;
        compare_tags(table, &described, options, &mut comparison).await?;
    }
    comparison.finish(name)
}

/// A key attribute: name, scalar type, role.
type KeyPart = (String, String, KeyType);

fn live_keys(described: &TableDescription, keys: &[KeySchemaElement]) -> Vec<KeyPart> {
    keys.iter()
        .map(|k| {
            let name = k.attribute_name().to_owned();
            let ty = described
                .attribute_definitions()
                .iter()
                .find(|d| d.attribute_name() == name)
                .map_or_else(
                    || "?".to_owned(),
                    |d| d.attribute_type().as_str().to_owned(),
                );
            (name, ty, k.key_type().clone())
        })
        .collect()
}

fn expected_keys(partition: &[KeyAttributeDef], sort: &[KeyAttributeDef]) -> Vec<KeyPart> {
    let hash = partition.iter().map(|k| (k, KeyType::Hash));
    let range = sort.iter().map(|k| (k, KeyType::Range));
    hash.chain(range)
        .map(|(key, kind)| (key.name.to_owned(), key.key_type.as_str().to_owned(), kind))
        .collect()
}

/// `partition key `id` (S), sort key `at` (N)`.
fn describe_keys(keys: &[KeyPart]) -> String {
    keys.iter()
        .map(|(name, ty, kind)| {
            let role = if *kind == KeyType::Hash {
                "partition"
            } else {
                "sort"
            };
            format!("{role} key `{name}` ({ty})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_projection(projection: Option<&Projection>) -> String {
    let Some(projection) = projection else {
        return "no projection".to_owned();
    };
    match projection.projection_type() {
        Some(ProjectionType::Include) => {
            let mut attributes = projection.non_key_attributes().to_vec();
            attributes.sort();
            format!("INCLUDE {attributes:?}")
        }
        Some(other) => other.as_str().to_owned(),
        None => "no projection".to_owned(),
    }
}

fn kind_name(kind: IndexKind) -> &'static str {
    if kind == IndexKind::Global {
        "global"
    } else {
        "local"
    }
}

/// An index of the live table.
struct LiveIndex {
    name: String,
    kind: IndexKind,
    keys: Vec<KeyPart>,
    projection: String,
}

fn compare_schema<T: Resource>(described: &TableDescription, out: &mut Comparison) {
    let schema = T::KEY_SCHEMA;
    let expected = expected_keys(&[schema.partition], schema.sort.as_slice());
    let live = live_keys(described, described.key_schema());
    if expected == live {
        out.matched("table key", describe_keys(&live));
    } else {
        out.differences.push(format!(
            "table key: the struct has {}, the table has {}",
            describe_keys(&expected),
            describe_keys(&live)
        ));
    }
    let live_indexes: Vec<LiveIndex> = described
        .global_secondary_indexes()
        .iter()
        .map(|i| LiveIndex {
            name: i.index_name().unwrap_or_default().to_owned(),
            kind: IndexKind::Global,
            keys: live_keys(described, i.key_schema()),
            projection: describe_projection(i.projection()),
        })
        .chain(
            described
                .local_secondary_indexes()
                .iter()
                .map(|i| LiveIndex {
                    name: i.index_name().unwrap_or_default().to_owned(),
                    kind: IndexKind::Local,
                    keys: live_keys(described, i.key_schema()),
                    projection: describe_projection(i.projection()),
                }),
        )
        .collect();
    for index in T::INDEXES {
        let expected_keys = expected_keys(index.partition, index.sort);
        let expected_projection = describe_projection(Some(&projection(index.projection)));
        let Some(LiveIndex {
            kind,
            keys,
            projection,
            ..
        }) = live_indexes.iter().find(|l| l.name == index.name)
        else {
            out.differences.push(format!(
                "{} index `{}` is missing from the table",
                kind_name(index.kind),
                index.name
            ));
            continue;
        };
        let before = out.differences.len();
        if *kind != index.kind {
            out.differences.push(format!(
                "index `{}`: the struct declares a {} index, the table has a {} one",
                index.name,
                kind_name(index.kind),
                kind_name(*kind)
            ));
        }
        if *keys != expected_keys {
            out.differences.push(format!(
                "index `{}`: the struct has {}, the table has {}",
                index.name,
                describe_keys(&expected_keys),
                describe_keys(keys)
            ));
        }
        if *projection != expected_projection {
            out.differences.push(format!(
                "index `{}`: the struct projects {expected_projection}, the table projects {projection}",
                index.name
            ));
        }
        if out.differences.len() == before {
            out.matched(
                format!("{} index `{}`", kind_name(*kind), index.name),
                format!("{}, projection {projection}", describe_keys(keys)),
            );
        }
    }
    // In a table shared by several entities, the others' indexes are theirs.
    let shared = T::ENTITY.is_some();
    for LiveIndex { name, kind, .. } in &live_indexes {
        if !shared && !T::INDEXES.iter().any(|i| i.name == name) {
            out.differences.push(format!(
                "the table has a {} index `{name}` that the struct does not declare",
                kind_name(*kind)
            ));
        }
    }
}

async fn compare_time_to_live<T: Resource>(table: &Table<T>, out: &mut Comparison) -> Result<()> {
    let name = table.name();
    let described = table
        .client
        .describe_time_to_live()
        .table_name(name)
        .send()
        .await
        .map_err(|e| Error::sdk(Some(name), e))?
        .time_to_live_description;
    let found = described
        .as_ref()
        .filter(|d| {
            matches!(
                d.time_to_live_status(),
                Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
            )
        })
        .and_then(|d| d.attribute_name());
    let describe = |attribute: Option<&str>| {
        attribute.map_or_else(|| "disabled".to_owned(), |a| format!("enabled on `{a}`"))
    };
    out.compare(
        "time to live".to_owned(),
        "the struct has",
        describe(T::TTL_ATTRIBUTE),
        describe(found),
    );
    Ok(())
}

fn describe_capacity(billing: &BillingMode, throughput: Option<Throughput>) -> String {
    match (billing, throughput) {
        (BillingMode::PayPerRequest, _) => "on-demand".to_owned(),
        (_, Some(throughput)) => format!("provisioned ({throughput})"),
        (other, None) => other.as_str().to_owned(),
    }
}

/// The live capacity units, as the options hold them.
fn live_throughput(
    described: Option<&aws_sdk_dynamodb::types::ProvisionedThroughputDescription>,
) -> Option<Throughput> {
    let described = described?;
    // DynamoDB reports whole units; a negative number would be a service
    // bug, shown as 0 rather than refused.
    let units = |n: Option<i64>| u64::try_from(n.unwrap_or(0)).unwrap_or(0);
    Some(Throughput {
        read: units(described.read_capacity_units()),
        write: units(described.write_capacity_units()),
    })
}

fn on_off(enabled: bool) -> String {
    if enabled { "enabled" } else { "disabled" }.to_owned()
}

fn compare_options<T: Resource>(
    described: &TableDescription,
    options: &TableOptions<T>,
    out: &mut Comparison,
) {
    // A table created as provisioned has no billing mode summary.
    let billing = described
        .billing_mode_summary()
        .and_then(|s| s.billing_mode())
        .cloned()
        .unwrap_or(BillingMode::Provisioned);
    out.option(
        "billing mode",
        describe_capacity(&options.billing_mode(), options.capacity),
        describe_capacity(
            &billing,
            live_throughput(described.provisioned_throughput()),
        ),
    );
    // Index capacity only means something when both are provisioned;
    // otherwise the billing mode's difference says it all.
    if options.capacity.is_some() && billing == BillingMode::Provisioned {
        for index in described.global_secondary_indexes() {
            let Some(name) = index.index_name() else {
                continue;
            };
            let Some(expected) = options.index_throughput(name) else {
                continue;
            };
            let found = live_throughput(index.provisioned_throughput())
                .map_or_else(|| "no capacity".to_owned(), |t| t.to_string());
            out.option(
                format!("capacity of index `{name}`"),
                expected.to_string(),
                found,
            );
        }
    }
    out.option(
        "deletion protection",
        on_off(options.deletion_protection),
        on_off(described.deletion_protection_enabled().unwrap_or(false)),
    );
    // A table that never changed class has no class summary.
    let class = described
        .table_class_summary()
        .and_then(|s| s.table_class())
        .map_or("STANDARD", |c| c.as_str());
    out.option(
        "table class",
        options.table_class.to_sdk().as_str().to_owned(),
        class.to_owned(),
    );
    compare_stream(described, options.stream, "the options ask for", out);
}

/// The table's stream against `expected`; `source` says who expects it.
fn compare_stream(
    described: &TableDescription,
    expected: Option<StreamView>,
    source: &str,
    out: &mut Comparison,
) {
    let found = described
        .stream_specification()
        .filter(|s| s.stream_enabled())
        .map_or_else(
            || "disabled".to_owned(),
            |s| {
                s.stream_view_type()
                    .map_or("enabled", |v| v.as_str())
                    .to_owned()
            },
        );
    let expected =
        expected.map_or_else(|| "disabled".to_owned(), |v| v.to_sdk().as_str().to_owned());
    out.compare("stream".to_owned(), source, expected, found);
}

async fn compare_point_in_time_recovery<T: Resource>(
    table: &Table<T>,
    options: &TableOptions<T>,
    out: &mut Comparison,
) -> Result<()> {
    const SUBJECT: &str = "point-in-time recovery";
    let name = table.name();
    let described = match table
        .client
        .describe_continuous_backups()
        .table_name(name)
        .send()
        .await
    {
        Ok(output) => output.continuous_backups_description,
        Err(e) => {
            let error = Error::sdk(Some(name), e);
            if error.code() != Some(UNKNOWN_OPERATION) {
                return Err(error);
            }
            // An emulator without backups: recovery is certainly off.
            if options.point_in_time_recovery {
                out.unsupported(SUBJECT, "enabled");
            } else {
                out.matched(SUBJECT, UNSUPPORTED);
            }
            return Ok(());
        }
    };
    let enabled = described
        .as_ref()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|d| d.point_in_time_recovery_status())
        == Some(&PointInTimeRecoveryStatus::Enabled);
    out.option(
        SUBJECT,
        on_off(options.point_in_time_recovery),
        on_off(enabled),
    );
    Ok(())
}

/// Each tag of the options must be on the table with its value; other tags
/// are allowed, since AWS and account tooling add their own.
async fn compare_tags<T: Resource>(
    table: &Table<T>,
    described: &TableDescription,
    options: &TableOptions<T>,
    out: &mut Comparison,
) -> Result<()> {
    if options.tags.is_empty() {
        return Ok(());
    }
    let name = table.name();
    let Some(arn) = described.table_arn() else {
        return Err(Error::validation(
            name,
            "the table description has no ARN to read the tags with",
        ));
    };
    let mut live = Vec::new();
    let mut next = None;
    loop {
        let page = match table
            .client
            .list_tags_of_resource()
            .resource_arn(arn)
            .set_next_token(next)
            .send()
            .await
        {
            Ok(page) => page,
            Err(e) => {
                let error = Error::sdk(Some(name), e);
                if error.code() != Some(UNKNOWN_OPERATION) {
                    return Err(error);
                }
                for (key, value) in &options.tags {
                    out.unsupported(&format!("tag `{key}`"), &format!("`{value}`"));
                }
                return Ok(());
            }
        };
        live.extend(
            page.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned())),
        );
        next = page.next_token().map(str::to_owned);
        if next.is_none() {
            break;
        }
    }
    for (key, value) in &options.tags {
        let found = live
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| "none".to_owned(), |(_, v)| format!("`{v}`"));
        out.option(format!("tag `{key}`"), format!("`{value}`"), found);
    }
    Ok(())
}
