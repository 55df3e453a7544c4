//! [`ConsumedCapacity`]: the read and write units an operation consumed,
//! per table and index; and [`WithCapacity`], an operation that returns it.

use std::collections::BTreeMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::ops::{Add, AddAssign};
use std::pin::Pin;

use aws_sdk_dynamodb::types::{Capacity, ConsumedCapacity as SdkCapacity};

use crate::error::Result;

/// Read and write capacity units.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CapacityUnits {
    /// Read capacity units.
    pub read: f64,
    /// Write capacity units.
    pub write: f64,
}

impl CapacityUnits {
    /// Read and write units together.
    pub fn total(&self) -> f64 {
        self.read + self.write
    }
}

impl Add for CapacityUnits {
    type Output = CapacityUnits;
    fn add(self, other: CapacityUnits) -> CapacityUnits {
        CapacityUnits {
            read: self.read + other.read,
            write: self.write + other.write,
        }
    }
}

impl AddAssign for CapacityUnits {
    fn add_assign(&mut self, other: CapacityUnits) {
        *self = *self + other;
    }
}

/// Whether a request reads or writes: DynamoDB may report only a total,
/// which is then read units for a read and write units for a write.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Access {
    Read,
    Write,
}

impl Access {
    fn units(self, total: Option<f64>, read: Option<f64>, write: Option<f64>) -> CapacityUnits {
        if read.is_some() || write.is_some() {
            return CapacityUnits {
                read: read.unwrap_or(0.0),
                write: write.unwrap_or(0.0),
            };
        }
        let total = total.unwrap_or(0.0);
        match self {
            Access::Read => CapacityUnits {
                read: total,
                write: 0.0,
            },
            Access::Write => CapacityUnits {
                read: 0.0,
                write: total,
            },
        }
    }

    fn of(self, c: &Capacity) -> CapacityUnits {
        self.units(
            c.capacity_units,
            c.read_capacity_units,
            c.write_capacity_units,
        )
    }
}

/// The capacity one table consumed, and how it splits.
#[derive(Debug, Clone, Default, PartialEq)]
struct TableCapacity {
    /// The table and its indexes.
    total: CapacityUnits,
    /// The table alone.
    table: CapacityUnits,
    indexes: BTreeMap<String, CapacityUnits>,
}

/// The capacity units one or more requests consumed, per table and per
/// index, as DynamoDB reports them (`ReturnConsumedCapacity = INDEXES`).
///
/// Empty when the backend reports none (the embedded server does not; AWS
/// and DynamoDB Local do). Totals of several requests add up with `+=`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConsumedCapacity {
    tables: BTreeMap<String, TableCapacity>,
}

impl ConsumedCapacity {
    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The units of every table and index together.
    pub fn total(&self) -> CapacityUnits {
        self.tables
            .values()
            .fold(CapacityUnits::default(), |sum, t| sum + t.total)
    }

    /// The units of table `name` with its indexes (zero if it has none).
    pub fn table(&self, name: &str) -> CapacityUnits {
        self.tables.get(name).map(|t| t.total).unwrap_or_default()
    }

    /// The units of table `name` itself, without its indexes. DynamoDB
    /// reports this split only for requests that touch an index.
    pub fn table_only(&self, name: &str) -> CapacityUnits {
        self.tables.get(name).map(|t| t.table).unwrap_or_default()
    }

    /// The units of index `index` of table `table` (zero if it has none).
    pub fn index(&self, table: &str, index: &str) -> CapacityUnits {
        self.tables
            .get(table)
            .and_then(|t| t.indexes.get(index))
            .copied()
            .unwrap_or_default()
    }

    /// Each table and its units (with its indexes), by name.
    pub fn tables(&self) -> impl Iterator<Item = (&str, CapacityUnits)> {
        self.tables.iter().map(|(name, t)| (name.as_str(), t.total))
    }

    /// Each index of table `table` and its units, by name.
    pub fn indexes(&self, table: &str) -> impl Iterator<Item = (&str, CapacityUnits)> {
        self.tables
            .get(table)
            .into_iter()
            .flat_map(|t| t.indexes.iter().map(|(name, u)| (name.as_str(), *u)))
    }

    /// Adds what one response reported.
    pub(crate) fn add_reported<'a>(
        &mut self,
        access: Access,
        reported: impl IntoIterator<Item = &'a SdkCapacity>,
    ) {
        for c in reported {
            let name = c.table_name.clone().unwrap_or_default();
            let total = access.units(
                c.capacity_units,
                c.read_capacity_units,
                c.write_capacity_units,
            );
            let entry = self.tables.entry(name).or_default();
            entry.total += total;
            // Without a breakdown, everything was the table's.
            entry.table += c.table.as_ref().map_or(total, |t| access.of(t));
            let indexes = c.local_secondary_indexes.iter().flatten();
            for (index, units) in indexes.chain(c.global_secondary_indexes.iter().flatten()) {
                *entry.indexes.entry(index.clone()).or_default() += access.of(units);
            }
        }
    }

    /// The capacity reported by one response.
    pub(crate) fn reported<'a>(
        access: Access,
        reported: impl IntoIterator<Item = &'a SdkCapacity>,
    ) -> Self {
        let mut capacity = ConsumedCapacity::default();
        capacity.add_reported(access, reported);
        capacity
    }
}

impl AddAssign<&ConsumedCapacity> for ConsumedCapacity {
    fn add_assign(&mut self, other: &ConsumedCapacity) {
        for (name, t) in &other.tables {
            let entry = self.tables.entry(name.clone()).or_default();
            entry.total += t.total;
            entry.table += t.table;
            for (index, units) in &t.indexes {
                *entry.indexes.entry(index.clone()).or_default() += *units;
            }
        }
    }
}

/// `table: 1.5 RCU, 2 WCU (index by_email: 0.5 RCU, 0 WCU); …`, or
/// `none reported`.
impl fmt::Display for ConsumedCapacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none reported");
        }
        for (i, (name, t)) in self.tables.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{name}: {} RCU, {} WCU", t.total.read, t.total.write)?;
            for (index, u) in &t.indexes {
                write!(f, " (index {index}: {} RCU, {} WCU)", u.read, u.write)?;
            }
        }
        Ok(())
    }
}

/// The future of an operation that may ask for its consumed capacity.
pub(crate) type CapacityFuture<'a, O> =
    Pin<Box<dyn Future<Output = Result<(O, ConsumedCapacity)>> + Send + 'a>>;

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// An operation whose consumed capacity can be asked for with
/// `.capacity()`: the single-item operations, batch gets and transactions.
/// Implemented by this crate's builders only.
pub trait Operation<'a>: Sealed + Sized {
    /// What the operation returns on its own.
    type Output;

    /// Sends the operation, asking for its consumed capacity or not.
    #[doc(hidden)]
    fn send_with(self, capacity: bool) -> CapacityFuture<'a, Self::Output>;
}

/// An operation that returns what it consumed along with its result:
/// `let (user, capacity) = users.get("u1").capacity().await?;`. Made by
/// `.capacity()` on a builder; await it to send.
#[must_use = "an operation does nothing until awaited"]
pub struct WithCapacity<'a, B> {
    operation: B,
    _lifetime: std::marker::PhantomData<&'a ()>,
}

impl<'a, B: Operation<'a>> WithCapacity<'a, B> {
    pub(crate) fn new(operation: B) -> Self {
        WithCapacity {
            operation,
            _lifetime: std::marker::PhantomData,
        }
    }
}

impl<'a, B: Operation<'a>> IntoFuture for WithCapacity<'a, B> {
    type Output = Result<(B::Output, ConsumedCapacity)>;
    type IntoFuture = CapacityFuture<'a, B::Output>;
    fn into_future(self) -> Self::IntoFuture {
        self.operation.send_with(true)
    }
}

impl<B: fmt::Debug> fmt::Debug for WithCapacity<'_, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WithCapacity")
            .field(&self.operation)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn totals_split_by_table_and_index_and_add_up() {
        let index = Capacity::builder().capacity_units(0.5).build();
        let reported = SdkCapacity::builder()
            .table_name("users")
            .capacity_units(1.5)
            .table(Capacity::builder().capacity_units(1.0).build())
            .set_global_secondary_indexes(Some(HashMap::from([("by_email".to_owned(), index)])))
            .build();
        let mut total = ConsumedCapacity::reported(Access::Read, [&reported]);
        total += &ConsumedCapacity::reported(Access::Read, [&reported]);
        assert_eq!(total.table("users").read, 3.0);
        assert_eq!(total.table_only("users").read, 2.0);
        assert_eq!(total.index("users", "by_email").read, 1.0);
        assert_eq!(total.total().write, 0.0);
        assert_eq!(
            total.to_string(),
            "users: 3 RCU, 0 WCU (index by_email: 1 RCU, 0 WCU)"
        );
    }

    #[test]
    fn a_bare_total_is_read_or_write_units_by_the_request() {
        let reported = SdkCapacity::builder()
            .table_name("t")
            .capacity_units(2.0)
            .build();
        let write = ConsumedCapacity::reported(Access::Write, [&reported]);
        assert_eq!(
            write.table("t"),
            CapacityUnits {
                read: 0.0,
                write: 2.0
            }
        );
        let split = SdkCapacity::builder()
            .table_name("t")
            .capacity_units(3.0)
            .read_capacity_units(1.0)
            .write_capacity_units(2.0)
            .build();
        let both = ConsumedCapacity::reported(Access::Write, [&split]);
        assert_eq!(both.total().total(), 3.0);
        assert!(ConsumedCapacity::default().is_empty());
    }
}
