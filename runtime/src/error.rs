//! The error type of every operation.

use std::error::Error as StdError;
use std::fmt;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::value::DecodeError;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Everything that can go wrong in a `resourceful` operation.
///
/// Ask what happened with the predicates ([`is_condition_failed`](Error::is_condition_failed),
/// [`is_throttled`](Error::is_throttled), …); the AWS SDK error, when there is
/// one, is the [`source`](StdError::source).
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: Kind,
    table: Option<String>,
    source: Option<BoxError>,
    /// An earlier attempt of the request (retried by the SDK) may have been
    /// applied: it got no answer, or a 5xx, or an unreadable one.
    earlier_attempt_ambiguous: bool,
}

#[derive(Debug)]
enum Kind {
    /// Refused before sending: the request breaks one of DynamoDB's rules.
    Validation(String),
    /// An item could not be read into its Rust type.
    Decode(DecodeError),
    /// A change record's image (or keys) could not be read.
    Change {
        sequence_number: String,
        image: &'static str,
        error: DecodeError,
    },
    /// DynamoDB answered with an error, with this HTTP status (0 when
    /// unknown).
    Service {
        code: String,
        message: String,
        status: u16,
    },
    /// An update that requires its item found none: DynamoDB answered
    /// `ConditionalCheckFailedException` without a stored item.
    ItemMissing,
    /// The request did not get an answer (connection, timeout, I/O).
    Transport(String),
    /// A table did not become active in time.
    Timeout(String),
    /// A local backend could not be started.
    Backend(String),
    /// The live table differs from the resource definition.
    SchemaMismatch(Vec<String>),
    /// A batch gave up with writes or keys still unprocessed.
    Incomplete(String),
    /// DynamoDB cancelled a transaction; the reasons of the actions that
    /// caused it.
    Cancelled {
        message: String,
        reasons: Vec<CancellationReason>,
    },
}

/// Why one action of a cancelled transaction failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationReason {
    index: usize,
    code: String,
    message: Option<String>,
    item_missing: bool,
}

impl CancellationReason {
    /// The position of the action in the transaction, from 0 in the order
    /// the actions were added.
    pub fn index(&self) -> usize {
        self.index
    }

    /// DynamoDB's reason code, such as `"ConditionalCheckFailed"`,
    /// `"TransactionConflict"` or `"ValidationError"`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// DynamoDB's message, when it gave one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The action's condition did not hold. False when the action is an
    /// update whose item does not exist: see
    /// [`is_not_found`](CancellationReason::is_not_found).
    pub fn is_condition_failed(&self) -> bool {
        self.code == "ConditionalCheckFailed" && !self.item_missing
    }

    /// The action is an [`update`](crate::Table::update) and there is no
    /// item with its key. DynamoDB reports it as a failed condition (the
    /// code is `"ConditionalCheckFailed"`): the update's condition requires
    /// the item, and no stored item came back with the reason.
    pub fn is_not_found(&self) -> bool {
        self.item_missing
    }
}

impl fmt::Display for CancellationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.item_missing {
            return write!(
                f,
                "action {}: the item to update does not exist",
                self.index
            );
        }
        write!(f, "action {}: {}", self.index, self.code)?;
        if let Some(message) = &self.message {
            write!(f, " ({message})")?;
        }
        Ok(())
    }
}

const CONDITION_FAILED: &str = "ConditionalCheckFailedException";
const NOT_FOUND: &str = "ResourceNotFoundException";
const CANCELLED: &str = "TransactionCanceledException";
const IN_USE: &str = "ResourceInUseException";
/// DynamoDB's internal errors, whatever their HTTP status.
const SERVER_ERRORS: [&str; 3] = [
    "InternalServerError",
    "ServiceUnavailable",
    "InternalFailure",
];
const THROTTLING: [&str; 4] = [
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "Throttling",
];

impl Error {
    fn new(kind: Kind, table: Option<&str>, source: Option<BoxError>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                table: table.map(str::to_owned),
                source,
                earlier_attempt_ambiguous: false,
            }),
        }
    }

    pub(crate) fn validation(table: &str, message: impl Into<String>) -> Self {
        Error::new(Kind::Validation(message.into()), Some(table), None)
    }

    pub(crate) fn decode(table: &str, error: DecodeError) -> Self {
        Error::new(Kind::Decode(error), Some(table), None)
    }

    /// A stream record that did not decode: its sequence number, which
    /// part of it (`"keys"`, `"new image"`, `"old image"`, `"record"`).
    #[cfg_attr(not(any(feature = "lambda", feature = "streams")), allow(dead_code))]
    pub(crate) fn change(
        table: Option<&str>,
        sequence_number: &str,
        image: &'static str,
        error: DecodeError,
    ) -> Self {
        Error::new(
            Kind::Change {
                sequence_number: sequence_number.to_owned(),
                image,
                error,
            },
            table,
            None,
        )
    }

    pub(crate) fn timeout(table: &str, message: impl Into<String>) -> Self {
        Error::new(Kind::Timeout(message.into()), Some(table), None)
    }

    #[cfg_attr(not(feature = "embedded"), allow(dead_code))]
    pub(crate) fn backend(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Error::new(Kind::Backend(message.into()), None, Some(Box::new(source)))
    }

    pub(crate) fn schema_mismatch(table: &str, differences: Vec<String>) -> Self {
        Error::new(Kind::SchemaMismatch(differences), Some(table), None)
    }

    pub(crate) fn incomplete(
        table: &str,
        message: impl Into<String>,
        cause: Option<Error>,
    ) -> Self {
        Error::new(
            Kind::Incomplete(message.into()),
            Some(table),
            cause.map(|e| Box::new(e) as BoxError),
        )
    }

    /// An update that requires its item found none.
    pub(crate) fn item_missing(table: &str, source: impl StdError + Send + Sync + 'static) -> Self {
        Error::new(Kind::ItemMissing, Some(table), Some(Box::new(source)))
    }

    /// Wraps an error of `TransactWriteItems`, keeping the per-action
    /// cancellation reasons (DynamoDB lists one per action, `None` for the
    /// actions that were fine). `requires_item(index)` says whether that
    /// action asked for the stored item on a failed condition because it
    /// requires the item: a failed condition without one is a missing item.
    pub(crate) fn transaction(
        table: Option<&str>,
        error: SdkError<
            aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
            HttpResponse,
        >,
        requires_item: impl Fn(usize) -> bool,
    ) -> Self {
        use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
        if let SdkError::ServiceError(service) = &error {
            if let TransactWriteItemsError::TransactionCanceledException(e) = service.err() {
                let reasons = e
                    .cancellation_reasons()
                    .iter()
                    .enumerate()
                    .filter_map(|(index, r)| {
                        let code = r.code().unwrap_or("None");
                        let item_missing = code == "ConditionalCheckFailed"
                            && requires_item(index)
                            && r.item().is_none_or(|item| item.is_empty());
                        (code != "None").then(|| CancellationReason {
                            index,
                            code: code.to_owned(),
                            message: r.message().map(str::to_owned),
                            item_missing,
                        })
                    })
                    .collect();
                let message = e.message().unwrap_or_default().to_owned();
                return Error::new(
                    Kind::Cancelled { message, reasons },
                    table,
                    Some(Box::new(error)),
                );
            }
        }
        Error::sdk(table, error)
    }

    /// Wraps an SDK error from an operation on `table`.
    pub(crate) fn sdk<E>(table: Option<&str>, error: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let kind = match &error {
            SdkError::ServiceError(service) => {
                let err = service.err();
                Kind::Service {
                    code: err.code().unwrap_or("Unknown").to_owned(),
                    message: err.message().unwrap_or_default().to_owned(),
                    status: service.raw().status().as_u16(),
                }
            }
            SdkError::TimeoutError(_) => Kind::Transport("the request timed out".to_owned()),
            SdkError::DispatchFailure(failure) => Kind::Transport(if failure.is_io() {
                "the connection failed".to_owned()
            } else if failure.is_timeout() {
                "the request timed out".to_owned()
            } else {
                "the request could not be sent".to_owned()
            }),
            SdkError::ResponseError(_) => {
                Kind::Transport("the response could not be read".to_owned())
            }
            SdkError::ConstructionFailure(_) => {
                Kind::Validation("the request could not be built".to_owned())
            }
            _ => Kind::Transport("the request failed".to_owned()),
        };
        Error::new(kind, table, Some(Box::new(error)))
    }

    /// The DynamoDB error code, such as `"ValidationException"`, when the
    /// service answered with an error.
    pub fn code(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Service { code, .. } => Some(code),
            Kind::ItemMissing => Some(CONDITION_FAILED),
            Kind::Cancelled { .. } => Some(CANCELLED),
            _ => None,
        }
    }

    /// The table the failed operation was about, when there was one.
    pub fn table(&self) -> Option<&str> {
        self.inner.table.as_deref()
    }

    /// A condition (`if_absent`, `condition(…)`, a version check) did not
    /// hold; for a cancelled transaction, the condition of one of its actions.
    ///
    /// False when the item of an [`update`](crate::Table::update) does not
    /// exist, although DynamoDB reports that as a failed condition too: that
    /// is [`is_not_found`](Error::is_not_found).
    pub fn is_condition_failed(&self) -> bool {
        (self.code() == Some(CONDITION_FAILED) && !matches!(self.inner.kind, Kind::ItemMissing))
            || self
                .cancellation_reasons()
                .iter()
                .any(CancellationReason::is_condition_failed)
    }

    /// DynamoDB cancelled a transaction: see
    /// [`cancellation_reasons`](Error::cancellation_reasons) for which action
    /// failed and why.
    pub fn is_transaction_cancelled(&self) -> bool {
        self.code() == Some(CANCELLED)
    }

    /// The actions that made DynamoDB cancel a transaction, each with its
    /// index in the transaction; empty for every other error.
    pub fn cancellation_reasons(&self) -> &[CancellationReason] {
        match &self.inner.kind {
            Kind::Cancelled { reasons, .. } => reasons,
            _ => &[],
        }
    }

    /// A batch gave up with writes or keys still unprocessed after its retry
    /// policy ran out, or after an error that retrying cannot fix; the
    /// [`source`](StdError::source) is the last error, if there was one.
    pub fn is_incomplete(&self) -> bool {
        matches!(self.inner.kind, Kind::Incomplete(_))
    }

    /// The table (or index) does not exist, or the item an
    /// [`update`](crate::Table::update) requires does not exist (then nothing
    /// was written; for a cancelled transaction, see
    /// [`CancellationReason::is_not_found`]).
    ///
    /// A missing item is reported by DynamoDB as a failed condition, so
    /// [`code`](Error::code) is `"ConditionalCheckFailedException"`, but
    /// [`is_condition_failed`](Error::is_condition_failed) is false.
    pub fn is_not_found(&self) -> bool {
        self.code() == Some(NOT_FOUND)
            || matches!(self.inner.kind, Kind::ItemMissing)
            || self
                .cancellation_reasons()
                .iter()
                .any(CancellationReason::is_not_found)
    }

    /// The table already exists or is being created or deleted.
    pub fn is_in_use(&self) -> bool {
        self.code() == Some(IN_USE)
    }

    /// DynamoDB throttled the request; retrying later can succeed.
    pub fn is_throttled(&self) -> bool {
        self.code().is_some_and(|c| THROTTLING.contains(&c))
    }

    /// The request breaks one of DynamoDB's rules: refused before sending
    /// (empty key, key or item too large, invalid number, …) or by the service
    /// (`ValidationException`).
    pub fn is_validation(&self) -> bool {
        matches!(self.inner.kind, Kind::Validation(_)) || self.code() == Some("ValidationException")
    }

    /// Whether sending the same request again can succeed: throttling,
    /// transport failures, DynamoDB's internal errors, and a successful
    /// answer that could not be read (a truncated or malformed body). For
    /// batches, whose requests are idempotent: the SDK does not retry the
    /// last of these for single-item writes, which are not.
    pub(crate) fn is_retryable(&self) -> bool {
        self.is_throttled()
            || self.is_transport()
            || self.is_server_error()
            || matches!(&self.inner.kind, Kind::Service { status, .. } if (200..300).contains(status))
    }

    /// DynamoDB answered with an internal error (a 5xx status, or one of
    /// its internal error codes).
    fn is_server_error(&self) -> bool {
        match &self.inner.kind {
            Kind::Service { code, status, .. } => {
                *status >= 500 || SERVER_ERRORS.contains(&code.as_str())
            }
            _ => false,
        }
    }

    /// Whether the write may have been applied although it returned this
    /// error: the caller cannot know, and should read the item again (or
    /// make the write idempotent) before applying it a second time.
    ///
    /// True when the request (or an earlier attempt of it, retried by the
    /// SDK) may have reached DynamoDB and its answer was lost or unreadable:
    /// a transport failure ([`is_transport`](Error::is_transport): the
    /// connection dropped, the request timed out), an internal error of the
    /// service (HTTP 5xx), an answer to a successful request that could not
    /// be read (a truncated or malformed body, or an item that does not
    /// decode), a batch that gave up with writes still unprocessed
    /// ([`is_incomplete`](Error::is_incomplete): some may have landed), and
    /// waiting for a table that timed out ([`is_timeout`](Error::is_timeout)).
    ///
    /// False when DynamoDB answered that it did not apply the request:
    /// throttling, validation, a failed condition, a cancelled transaction,
    /// a missing table or item, and for errors raised before sending. The
    /// exception is an error of a single-item write (`put`, `update`,
    /// `delete`) that the SDK retried after an attempt whose answer was
    /// lost: that attempt may have been applied, so this is true whatever
    /// the last answer said. (A retried conditional write that finds the
    /// item exactly as it would have left it succeeds instead: see the
    /// guide's "Retried writes".)
    pub fn may_have_been_applied(&self) -> bool {
        if self.inner.earlier_attempt_ambiguous {
            return true;
        }
        match &self.inner.kind {
            Kind::Transport(_) | Kind::Timeout(_) | Kind::Incomplete(_) | Kind::Decode(_) => true,
            // A 2xx answer that could not be read: the request succeeded.
            Kind::Service { status, .. } if (200..300).contains(status) => true,
            Kind::Service { .. } => self.is_server_error(),
            // A change record that does not decode comes from reading a
            // stream, which writes nothing.
            Kind::Validation(_)
            | Kind::ItemMissing
            | Kind::Backend(_)
            | Kind::SchemaMismatch(_)
            | Kind::Change { .. }
            | Kind::Cancelled { .. } => false,
        }
    }

    /// Marks an error that came after an attempt whose answer was lost.
    pub(crate) fn after_ambiguous_attempt(mut self, ambiguous: bool) -> Self {
        self.inner.earlier_attempt_ambiguous |= ambiguous;
        self
    }

    /// An item read from the table does not match the Rust type.
    ///
    /// This includes a change record that does not decode, which also has
    /// a [`sequence_number`](Error::sequence_number).
    pub fn is_decode(&self) -> bool {
        matches!(self.inner.kind, Kind::Decode(_) | Kind::Change { .. })
    }

    /// The sequence number of the stream record that did not decode, for
    /// an error of [`changes`](crate::changes).
    pub fn sequence_number(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Change {
                sequence_number, ..
            } => Some(sequence_number),
            _ => None,
        }
    }

    /// The decode error, when an item did not match the Rust type.
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match &self.inner.kind {
            Kind::Decode(e) | Kind::Change { error: e, .. } => Some(e),
            _ => None,
        }
    }

    /// The request did not get an answer: connection refused or dropped, timeout.
    pub fn is_transport(&self) -> bool {
        matches!(self.inner.kind, Kind::Transport(_))
    }

    /// `verify()` found differences between the live table and the struct.
    pub fn is_schema_mismatch(&self) -> bool {
        matches!(self.inner.kind, Kind::SchemaMismatch(_))
    }

    /// The differences `verify()` found, one sentence each.
    pub fn differences(&self) -> &[String] {
        match &self.inner.kind {
            Kind::SchemaMismatch(differences) => differences,
            _ => &[],
        }
    }

    /// Waiting for a table to become active or to disappear took too long.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, Kind::Timeout(_))
    }

    /// A local backend could not be started: the embedded server could not
    /// bind a port or open its database. The [`source`](StdError::source)
    /// says why.
    pub fn is_backend(&self) -> bool {
        matches!(self.inner.kind, Kind::Backend(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(table) = &self.inner.table {
            write!(f, "table `{table}`: ")?;
        }
        match &self.inner.kind {
            Kind::Validation(message) => write!(f, "invalid request: {message}"),
            Kind::Decode(error) => write!(f, "cannot read item: {error}"),
            Kind::Change {
                sequence_number,
                image,
                error,
            } => write!(
                f,
                "cannot read change record {sequence_number} ({image}): {error}"
            ),
            Kind::Service { code, message, .. } if message.is_empty() => f.write_str(code),
            Kind::Service { code, message, .. } => write!(f, "{code}: {message}"),
            Kind::ItemMissing => f.write_str(
                "the item to update does not exist, and `update` does not create it \
                 (`upsert` does)",
            ),
            Kind::Transport(message) => f.write_str(message),
            Kind::SchemaMismatch(differences) => {
                write!(
                    f,
                    "the table differs from the definition: {}",
                    differences.join("; ")
                )
            }
            Kind::Timeout(message) | Kind::Backend(message) | Kind::Incomplete(message) => {
                f.write_str(message)
            }
            Kind::Cancelled { message, reasons } => {
                f.write_str("transaction cancelled")?;
                if reasons.is_empty() && !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                for (i, reason) in reasons.iter().enumerate() {
                    f.write_str(if i == 0 { ": " } else { "; " })?;
                    write!(f, "{reason}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Error");
        s.field("kind", &self.inner.kind);
        if let Some(table) = &self.inner.table {
            s.field("table", table);
        }
        if let Some(source) = &self.inner.source {
            s.field("source", source);
        }
        s.finish()
    }
}

// The message of a decode error is part of `Display` (it names the
// attribute and the types), so it is not a `source` as well: a chain of
// causes prints each once. `as_decode` hands out the decode error itself.
impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    /// The messages of `error` and of each of its sources, in order.
    fn chain(error: &(dyn StdError + 'static)) -> Vec<String> {
        std::iter::successors(Some(error), |&e| e.source())
            .map(ToString::to_string)
            .collect()
    }

    /// Whether some message of the chain repeats an earlier one.
    fn repeats(messages: &[String]) -> Option<(usize, usize)> {
        (1..messages.len()).find_map(|i| {
            (0..i)
                .find(|&j| messages[j].contains(messages[i].as_str()))
                .map(|j| (j, i))
        })
    }

    #[test]
    fn each_cause_is_printed_once() {
        let decode = DecodeError::missing("email", "S");
        let e = Error::decode("users", decode.clone());
        let messages = chain(&e);
        assert_eq!(repeats(&messages), None, "{messages:?}");
        assert_eq!(
            messages[0],
            format!("table `users`: cannot read item: {decode}")
        );
        assert_eq!(e.as_decode(), Some(&decode));

        let io = std::io::Error::new(std::io::ErrorKind::AddrInUse, "address in use");
        let backend = Error::backend("cannot bind a loopback port", io);
        let incomplete = Error::incomplete("users", "3 batch writes did not land", Some(backend));
        let messages = chain(&incomplete);
        assert_eq!(
            messages,
            [
                "table `users`: 3 batch writes did not land",
                "cannot bind a loopback port",
                "address in use",
            ]
        );
        assert_eq!(repeats(&messages), None);
    }

    #[test]
    fn backend_failures_have_their_predicate() {
        let io = std::io::Error::new(std::io::ErrorKind::AddrInUse, "address in use");
        let e = Error::backend("cannot bind a loopback port", io);
        assert!(e.is_backend());
        assert!(!e.is_transport() && !e.is_validation() && !e.is_timeout());
        assert!(!Error::validation("users", "empty key").is_backend());
        assert!(!Error::timeout("users", "not active").is_backend());
    }

    #[test]
    fn a_missing_item_is_not_found_and_not_a_failed_condition() {
        let io = std::io::Error::other("ConditionalCheckFailedException");
        let e = Error::item_missing("users", io);
        assert!(e.is_not_found());
        assert!(!e.is_condition_failed());
        assert_eq!(e.code(), Some(CONDITION_FAILED));
        assert!(e.source().is_some());
        assert!(
            e.to_string()
                .starts_with("table `users`: the item to update does not exist"),
            "{e}"
        );
    }

    fn service(code: &str, status: u16) -> Error {
        use aws_sdk_dynamodb::error::ErrorMetadata;
        use aws_sdk_dynamodb::operation::put_item::PutItemError;
        use aws_smithy_types::body::SdkBody;
        let meta = ErrorMetadata::builder().code(code).message("m").build();
        let raw = HttpResponse::new(status.try_into().unwrap(), SdkBody::empty());
        Error::sdk(
            Some("users"),
            SdkError::service_error(PutItemError::generic(meta), raw),
        )
    }

    #[test]
    fn what_may_have_been_applied() {
        use aws_smithy_runtime_api::client::result::ConnectorError;
        let dropped = Error::sdk::<aws_sdk_dynamodb::operation::put_item::PutItemError>(
            Some("users"),
            SdkError::dispatch_failure(ConnectorError::io("dropped".into())),
        );
        assert!(dropped.is_transport() && dropped.may_have_been_applied());
        let timed_out = Error::sdk::<aws_sdk_dynamodb::operation::put_item::PutItemError>(
            Some("users"),
            SdkError::timeout_error("slow"),
        );
        assert!(timed_out.is_transport() && timed_out.may_have_been_applied());
        for applied in [
            service("InternalServerError", 500),
            service("ServiceUnavailable", 503),
            service("Unknown", 502),
            // A 200 whose body could not be read: the request succeeded.
            service("Unknown", 200),
            Error::timeout("users", "not active"),
            Error::incomplete("users", "3 writes did not land", None),
        ] {
            assert!(applied.may_have_been_applied(), "{applied}");
        }
        for not_applied in [
            service("ProvisionedThroughputExceededException", 400),
            service("ThrottlingException", 400),
            service("ValidationException", 400),
            service(CONDITION_FAILED, 400),
            service(NOT_FOUND, 400),
            Error::validation("users", "empty key"),
            Error::item_missing("users", std::io::Error::other("x")),
        ] {
            assert!(!not_applied.may_have_been_applied(), "{not_applied}");
        }
        assert!(service("ProvisionedThroughputExceededException", 400).is_throttled());
        assert!(service("InternalServerError", 500).is_retryable());
        assert!(service("Unknown", 503).is_retryable());
        assert!(service("Unknown", 200).is_retryable());
        assert!(!service("ValidationException", 400).is_retryable());
        // A failed condition after an attempt whose answer was lost.
        let retried = service(CONDITION_FAILED, 400).after_ambiguous_attempt(true);
        assert!(retried.is_condition_failed() && retried.may_have_been_applied());
        let clean = service(CONDITION_FAILED, 400).after_ambiguous_attempt(false);
        assert!(!clean.may_have_been_applied());
    }

    #[test]
    fn validation_display_names_table() {
        let e = Error::validation("users", "key attribute `id` is empty");
        assert!(e.is_validation());
        assert!(!e.is_condition_failed());
        assert_eq!(
            e.to_string(),
            "table `users`: invalid request: key attribute `id` is empty"
        );
    }
}
