//! Queries: the items of one partition.

use std::fmt;

use aws_sdk_dynamodb::types::AttributeValue;

use super::Table;
use crate::error::{Error, Result};
use crate::expr::{Condition, DocPath, Node, Placeholders, SortKeyOf};
use crate::resource::Resource;
use crate::validate;
use crate::value::Item;

/// A query over one partition. Add a sort-key condition and a filter, then
/// read the items with [`all`](Query::all).
#[must_use = "a query does nothing until read"]
pub struct Query<'a, T: Resource> {
    table: &'a Table<T>,
    partition: AttributeValue,
    sort: Option<Node>,
    filter: Option<Node>,
    consistent: bool,
    reverse: bool,
}

impl<'a, T: Resource> Query<'a, T> {
    pub(super) fn new(table: &'a Table<T>, partition: AttributeValue) -> Self {
        Query {
            table,
            partition,
            sort: None,
            filter: None,
            consistent: false,
            reverse: false,
        }
    }

    /// Keeps the items whose sort key satisfies `condition`: `eq`, `lt`, `le`,
    /// `gt`, `ge`, `between` or `begins_with` on the table's sort key. A
    /// condition on any other attribute does not compile.
    pub fn sort<F: SortKeyOf<T>>(mut self, condition: Condition<T, F>) -> Self {
        self.sort = Some(condition.node);
        self
    }

    /// Drops the items that do not satisfy `condition` (after they are read:
    /// they still count against the request's capacity). A filter cannot
    /// name a key attribute; use [`sort`](Query::sort) for the sort key.
    pub fn filter<K>(mut self, condition: Condition<T, K>) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(existing) => Condition::<T>::new(existing).and(condition).node,
            None => condition.node,
        });
        self
    }

    /// Uses strongly consistent reads.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Returns items in descending sort-key order.
    pub fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    /// Reads every matching item, following DynamoDB's pages.
    pub async fn all(self) -> Result<Vec<T>> {
        let table = self.table.name();
        let mut p = Placeholders::default();
        let schema = T::KEY_SCHEMA;
        let mut key_condition = format!(
            "{} = {}",
            DocPath::attribute(schema.partition.name).render(&mut p),
            p.value(self.partition.clone())
        );
        validate_partition(table, schema.partition.name, &self.partition)?;
        if let Some(sort) = &self.sort {
            key_condition.push_str(" AND ");
            sort.render(&mut p, &mut key_condition);
        }
        let filter = match &self.filter {
            Some(filter) => {
                check_filter::<T>(table, filter)?;
                if let Some(problem) = filter.problem() {
                    return Err(Error::validation(table, problem));
                }
                let mut out = String::new();
                filter.render(&mut p, &mut out);
                Some(out)
            }
            None => None,
        };
        let (names, values) = p.into_request_maps();
        for (placeholder, value) in values.iter().flatten() {
            validate::value(table, placeholder, value)?;
        }
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let output = self
                .table
                .client
                .query()
                .table_name(table)
                .key_condition_expression(&key_condition)
                .set_filter_expression(filter.clone())
                .set_expression_attribute_names(names.clone())
                .set_expression_attribute_values(values.clone())
                .consistent_read(self.consistent)
                .scan_index_forward(!self.reverse)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| Error::sdk(Some(table), e))?;
            for item in output.items.unwrap_or_default() {
                items.push(T::from_item(item).map_err(|e| Error::decode(table, e))?);
            }
            match output.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return Ok(items),
            }
        }
    }
}

fn validate_partition(table: &str, name: &str, value: &AttributeValue) -> Result<()> {
    let empty = match value {
        AttributeValue::S(s) => s.is_empty(),
        AttributeValue::B(b) => b.as_ref().is_empty(),
        _ => false,
    };
    if empty {
        return Err(Error::validation(
            table,
            format!(
                "partition key attribute `{name}` is empty; DynamoDB key values must not be empty"
            ),
        ));
    }
    validate::value(table, name, value)
}

/// DynamoDB refuses a query filter that names a key attribute.
fn check_filter<T: Resource>(table: &str, filter: &Node) -> Result<()> {
    let mut paths = Vec::new();
    filter.paths(&mut paths);
    let schema = T::KEY_SCHEMA;
    let keys = std::iter::once(schema.partition.name).chain(schema.sort.map(|s| s.name));
    for key in keys {
        if paths.iter().any(|p| p.root == key) {
            return Err(Error::validation(
                table,
                format!("a query filter cannot use key attribute `{key}`; use a key condition (`sort`) instead"),
            ));
        }
    }
    Ok(())
}

impl<T: Resource> fmt::Debug for Query<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("table", &self.table.name())
            .field("partition", &self.partition)
            .field("sort", &self.sort)
            .field("filter", &self.filter)
            .field("consistent", &self.consistent)
            .field("reverse", &self.reverse)
            .finish()
    }
}
