//! Reading a table's stream with the DynamoDB Streams API: shards found
//! with `DescribeStream`, each read with `GetShardIterator` and
//! `GetRecords`, a parent shard to its end before its children.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodbstreams as streams;
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde::{Deserialize, Serialize};
use streams::types::{AttributeValue as StreamValue, ShardIteratorType};

use super::{convert_item, Change, ChangeItem, RawRecord, Record, UserIdentity};
use crate::error::{Error, Result};
use crate::resource::Resource;
use crate::table::Table;
use crate::value::DecodeError;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::AuthSchemeId;
use aws_smithy_runtime_api::client::identity::ResolveIdentity;
use aws_smithy_runtime_api::client::identity::SharedIdentityResolver;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
use aws_smithy_types::config_bag::ConfigBag;

/// The shortest and longest wait before reading idle shards again.
const MIN_IDLE: Duration = Duration::from_millis(20);
const MAX_IDLE: Duration = Duration::from_secs(1);
/// How often the shards are listed again while nothing else asks for it:
/// new shards appear when DynamoDB splits one.
const REFRESH: Duration = Duration::from_secs(10);
/// The scheme of AWS's requests signed with credentials.
const SIGV4: AuthSchemeId = AuthSchemeId::new("sigv4");
/// DynamoDB's answer when a shard iterator is older than 15 minutes.
const EXPIRED_ITERATOR: &str = "ExpiredIteratorException";

/// Where a [`ChangeStream`] starts reading.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub enum Start {
    /// At the oldest record the stream keeps (24 hours).
    TrimHorizon,
    /// After the newest record when the stream is first polled (it reads
    /// nothing before): only changes made from then on.
    Latest,
    /// Just after the last change a stream yielded before
    /// ([`ChangeStream::checkpoint`]). `Start::from(checkpoint)` says the
    /// same.
    From(Checkpoint),
}

impl From<Checkpoint> for Start {
    fn from(checkpoint: Checkpoint) -> Self {
        Start::From(checkpoint)
    }
}

/// The position of a [`ChangeStream`]: for each shard, the sequence number
/// of the last change yielded, or that the shard was read to its end.
///
/// Serialise it with serde (JSON, a DynamoDB item, …) and start a later
/// stream from it with [`Start::from`]: that stream yields every change
/// after the position, none twice. A shard the stream had not read a
/// change from is read from its start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub struct Checkpoint {
    shards: BTreeMap<String, Position>,
}

/// Where a shard was left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Position {
    /// After the record with this sequence number.
    After(String),
    /// Read to its end: a closed shard.
    Finished,
}

impl Checkpoint {
    /// Whether no shard has a position yet.
    pub fn is_empty(&self) -> bool {
        self.shards.is_empty()
    }

    /// The sequence number of the last change yielded from `shard`, if any.
    pub fn sequence_number(&self, shard: &str) -> Option<&str> {
        match self.shards.get(shard) {
            Some(Position::After(seq)) => Some(seq),
            _ => None,
        }
    }

    /// Each shard with a change yielded from it, and the sequence number of
    /// the last one.
    pub fn sequence_numbers(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.shards
            .iter()
            .filter_map(|(shard, position)| match position {
                Position::After(seq) => Some((shard.as_str(), seq.as_str())),
                Position::Finished => None,
            })
    }

    /// Whether `shard` was read to its end.
    pub fn is_finished(&self, shard: &str) -> bool {
        self.shards.get(shard) == Some(&Position::Finished)
    }
}

impl<T: Resource> Table<T> {
    /// The changes to the table's items, read from its stream with the
    /// DynamoDB Streams API: `users.changes().from(Start::TrimHorizon).stream()`.
    ///
    /// The table needs a stream (`#[resource(stream = "…")]`, or
    /// `create().stream(…)`). For a collection's shared table, read
    /// [`of`](Changes::of) the collection: `table.changes().of::<Members>()`.
    #[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
    pub fn changes(&self) -> Changes<T> {
        Changes {
            table: self.name().into(),
            dynamodb: self.client().clone(),
            streams: None,
            start: Start::TrimHorizon,
            _marker: PhantomData,
        }
    }
}

/// What [`Table::changes`] builds: where to start, then
/// [`stream`](Changes::stream).
#[must_use = "a change stream reads nothing until `.stream()` is polled"]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub struct Changes<T> {
    table: Arc<str>,
    dynamodb: aws_sdk_dynamodb::Client,
    streams: Option<streams::Client>,
    start: Start,
    _marker: PhantomData<fn() -> T>,
}

impl<T: ChangeItem> Changes<T> {
    /// Where to start (default [`Start::TrimHorizon`]): a [`Start`], or a
    /// [`Checkpoint`] to resume from.
    pub fn from(mut self, start: impl Into<Start>) -> Self {
        self.start = start.into();
        self
    }

    /// The DynamoDB Streams client to read with. By default one is made
    /// from the table's client: its region, credentials, HTTP client,
    /// retry and timeout settings, and its endpoint when that is not AWS's
    /// own (DynamoDB Local, the embedded server).
    pub fn client(mut self, client: streams::Client) -> Self {
        self.streams = Some(client);
        self
    }

    /// Reads the changes as items of `C`: a `#[derive(Collection)]` enum
    /// of the resources sharing the table.
    pub fn of<C: ChangeItem>(self) -> Changes<C> {
        Changes {
            table: self.table,
            dynamodb: self.dynamodb,
            streams: self.streams,
            start: self.start,
            _marker: PhantomData,
        }
    }

    /// The changes, in order within each item, as a stream that waits for
    /// new ones (it ends only after an error it cannot go on from, such as
    /// a table without a stream).
    ///
    /// A record that does not decode is an `Err` naming its sequence
    /// number and the attribute; the stream goes on after it, and its
    /// [`checkpoint`](ChangeStream::checkpoint) moves past it.
    pub fn stream(self) -> ChangeStream<T> {
        let checkpoint = match &self.start {
            Start::From(checkpoint) => checkpoint.clone(),
            Start::TrimHorizon | Start::Latest => Checkpoint::default(),
        };
        let checkpoint = Arc::new(Mutex::new(checkpoint));
        let reader = Reader {
            table: self.table,
            dynamodb: self.dynamodb,
            client: self.streams,
            arn: None,
            latest: matches!(self.start, Start::Latest),
            shards: BTreeMap::new(),
            buffer: VecDeque::new(),
            checkpoint: checkpoint.clone(),
            idle: MIN_IDLE,
            refresh: true,
            refreshed: Instant::now(),
            listed: false,
            done: false,
            _marker: PhantomData,
        };
        let inner = stream::unfold(reader, |mut reader| async move {
            let next = reader.next().await;
            next.map(|item| (item, reader))
        })
        .boxed();
        ChangeStream { inner, checkpoint }
    }
}

impl<T> fmt::Debug for Changes<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Changes")
            .field("table", &self.table)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

/// The changes of a table, from [`Changes::stream`]: a
/// `Stream<Item = Result<Change<T>>>` with its
/// [`checkpoint`](ChangeStream::checkpoint).
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub struct ChangeStream<T: ChangeItem> {
    inner: BoxStream<'static, Result<Change<T>>>,
    checkpoint: Arc<Mutex<Checkpoint>>,
}

impl<T: ChangeItem> ChangeStream<T> {
    /// The position just after the last change this stream yielded (or
    /// where it started): [`Start::from`] it to resume.
    pub fn checkpoint(&self) -> Checkpoint {
        lock(&self.checkpoint).clone()
    }
}

impl<T: ChangeItem> Stream for ChangeStream<T> {
    type Item = Result<Change<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl<T: ChangeItem> fmt::Debug for ChangeStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangeStream")
            .field("checkpoint", &self.checkpoint())
            .finish_non_exhaustive()
    }
}

fn lock(checkpoint: &Mutex<Checkpoint>) -> std::sync::MutexGuard<'_, Checkpoint> {
    // A panic while holding the lock left a whole checkpoint behind.
    checkpoint
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Where a shard's next iterator starts.
#[derive(Debug, Clone)]
enum Origin {
    TrimHorizon,
    Latest,
    After(String),
}

#[derive(Debug)]
enum State {
    /// No iterator yet, or an expired one.
    Pending(Origin),
    Open(String),
    Finished,
}

#[derive(Debug)]
struct Shard {
    parent: Option<String>,
    state: State,
    /// Where to start again if the iterator expires.
    resume: Origin,
}

/// What the reader hands out next, in order.
enum Buffered {
    Record(String, Box<streams::types::Record>),
    /// The shard was read to its end (after its last record).
    Finished(String),
}

struct Reader<T> {
    table: Arc<str>,
    dynamodb: aws_sdk_dynamodb::Client,
    client: Option<streams::Client>,
    arn: Option<String>,
    /// Started at [`Start::Latest`]: shards open at the start are read
    /// from their newest record, closed ones not at all.
    latest: bool,
    shards: BTreeMap<String, Shard>,
    buffer: VecDeque<Buffered>,
    checkpoint: Arc<Mutex<Checkpoint>>,
    idle: Duration,
    /// The shards must be listed again (at the start, or a shard ended).
    refresh: bool,
    refreshed: Instant,
    /// The shards were listed once: later ones are new since the start.
    listed: bool,
    done: bool,
    _marker: PhantomData<fn() -> T>,
}

impl<T: ChangeItem> Reader<T> {
    async fn next(&mut self) -> Option<Result<Change<T>>> {
        loop {
            match self.buffer.pop_front() {
                Some(Buffered::Record(shard, record)) => {
                    return Some(self.yield_record(shard, *record))
                }
                Some(Buffered::Finished(shard)) => {
                    lock(&self.checkpoint)
                        .shards
                        .insert(shard, Position::Finished);
                    self.refresh = true;
                    continue;
                }
                None => {}
            }
            if self.done {
                return None;
            }
            if self.arn.is_none() {
                if let Err(e) = self.open().await {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            if self.refresh || self.refreshed.elapsed() >= REFRESH {
                if let Err(e) = self.list_shards().await {
                    self.wait().await;
                    return Some(Err(e));
                }
            }
            match self.read_round().await {
                Ok(true) => self.idle = MIN_IDLE,
                Ok(false) => self.wait().await,
                Err(e) => {
                    self.wait().await;
                    return Some(Err(e));
                }
            }
        }
    }

    async fn wait(&mut self) {
        tokio::time::sleep(self.idle).await;
        self.idle = (self.idle * 2).min(MAX_IDLE);
    }

    fn yield_record(&mut self, shard: String, record: streams::types::Record) -> Result<Change<T>> {
        let raw = raw_record(record);
        let sequence_number = raw
            .as_ref()
            .map_or_else(|(seq, _)| seq.clone(), |r| r.record.sequence_number.clone());
        // The position moves past the record whether or not it decodes:
        // the stream goes on after a bad record.
        lock(&self.checkpoint)
            .shards
            .insert(shard, Position::After(sequence_number));
        match raw {
            Ok(raw) => Change::decode(raw, Some(&self.table)),
            Err((seq, (image, error))) => Err(Error::change(Some(&self.table), &seq, image, error)),
        }
    }

    /// Finds the table's stream, and makes a client for it from the
    /// table's unless one was given.
    async fn open(&mut self) -> Result<()> {
        let table = &*self.table;
        let seen = Arc::new(Mutex::new(None::<Seen>));
        let described = self
            .dynamodb
            .describe_table()
            .table_name(table)
            .customize()
            .interceptor(SeeRequest(seen.clone()))
            .send()
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
        let description = described.table();
        let enabled = description
            .and_then(|t| t.stream_specification())
            .is_some_and(|s| s.stream_enabled());
        let arn = description.and_then(|t| t.latest_stream_arn());
        let (true, Some(arn)) = (enabled, arn) else {
            return Err(Error::validation(
                table,
                "the table has no stream to read changes from: declare one with \
                 `#[resource(stream = \"new_and_old_images\")]` (or another view) \
                 before `create()`, or enable it on the table",
            ));
        };
        if self.client.is_none() {
            let seen = seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            self.client = Some(streams_client(&self.dynamodb, seen));
        }
        self.arn = Some(arn.to_owned());
        Ok(())
    }

    /// Lists the stream's shards (every page) and sets up the new ones.
    async fn list_shards(&mut self) -> Result<()> {
        let (client, arn) = self.parts();
        let mut start = None;
        let mut found = Vec::new();
        loop {
            let page = client
                .describe_stream()
                .stream_arn(arn)
                .set_exclusive_start_shard_id(start)
                .send()
                .await
                .map_err(|e| Error::sdk(Some(&self.table), e))?;
            let Some(description) = page.stream_description else {
                break;
            };
            found.extend(description.shards.unwrap_or_default());
            start = description.last_evaluated_shard_id;
            if start.is_none() {
                break;
            }
        }
        let first = !self.listed;
        let mut checkpoint = lock(&self.checkpoint);
        for shard in found {
            let Some(id) = shard.shard_id else { continue };
            if self.shards.contains_key(&id) {
                continue;
            }
            let closed = shard
                .sequence_number_range
                .as_ref()
                .is_some_and(|r| r.ending_sequence_number.is_some());
            let state = match checkpoint.shards.get(&id) {
                Some(Position::After(seq)) => State::Pending(Origin::After(seq.clone())),
                Some(Position::Finished) => State::Finished,
                None if first && self.latest && closed => {
                    checkpoint.shards.insert(id.clone(), Position::Finished);
                    State::Finished
                }
                None if first && self.latest => State::Pending(Origin::Latest),
                None => State::Pending(Origin::TrimHorizon),
            };
            let resume = match &state {
                State::Pending(from) => from.clone(),
                _ => Origin::TrimHorizon,
            };
            self.shards.insert(
                id,
                Shard {
                    parent: shard.parent_shard_id,
                    state,
                    resume,
                },
            );
        }
        drop(checkpoint);
        self.refresh = false;
        self.refreshed = Instant::now();
        self.listed = true;
        Ok(())
    }

    fn parts(&self) -> (&streams::Client, &str) {
        (
            self.client.as_ref().expect("opened before reading"),
            self.arn.as_deref().expect("opened before reading"),
        )
    }

    /// Whether `id` may be read: its parent, if the stream still has it,
    /// was read to its end.
    fn ready(&self, id: &str) -> bool {
        let shard = &self.shards[id];
        if matches!(shard.state, State::Finished) {
            return false;
        }
        match &shard.parent {
            Some(parent) => self
                .shards
                .get(parent)
                .is_none_or(|p| matches!(p.state, State::Finished)),
            None => true,
        }
    }

    /// One `GetRecords` on each shard that may be read, until one has
    /// records or ends; whether it found any.
    async fn read_round(&mut self) -> Result<bool> {
        let ids: Vec<String> = self
            .shards
            .keys()
            .filter(|id| self.ready(id))
            .cloned()
            .collect();
        for id in ids {
            if self.read_shard(&id).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    async fn read_shard(&mut self, id: &str) -> Result<bool> {
        let table = self.table.clone();
        let iterator = match &self.shards[id].state {
            State::Open(iterator) => iterator.clone(),
            State::Pending(from) => {
                let from = from.clone();
                let (client, arn) = self.parts();
                let (kind, seq) = match from {
                    Origin::TrimHorizon => (ShardIteratorType::TrimHorizon, None),
                    Origin::Latest => (ShardIteratorType::Latest, None),
                    Origin::After(seq) => (ShardIteratorType::AfterSequenceNumber, Some(seq)),
                };
                let output = client
                    .get_shard_iterator()
                    .stream_arn(arn)
                    .shard_id(id)
                    .shard_iterator_type(kind)
                    .set_sequence_number(seq)
                    .send()
                    .await
                    .map_err(|e| Error::sdk(Some(&table), e))?;
                match output.shard_iterator {
                    Some(iterator) => iterator,
                    None => return Ok(self.finish(id)),
                }
            }
            State::Finished => return Ok(false),
        };
        let (client, _) = self.parts();
        let output = match client.get_records().shard_iterator(iterator).send().await {
            Ok(output) => output,
            Err(e) => {
                let error = Error::sdk(Some(&table), e);
                if error.code() == Some(EXPIRED_ITERATOR) {
                    let shard = self.shards.get_mut(id).expect("listed");
                    shard.state = State::Pending(shard.resume.clone());
                    return Ok(false);
                }
                return Err(error);
            }
        };
        let records = output.records.unwrap_or_default();
        let found = !records.is_empty();
        if let Some(last) = records
            .iter()
            .rev()
            .find_map(|r| r.dynamodb.as_ref()?.sequence_number.clone())
        {
            self.shards.get_mut(id).expect("listed").resume = Origin::After(last);
        }
        self.buffer.extend(
            records
                .into_iter()
                .map(|r| Buffered::Record(id.to_owned(), Box::new(r))),
        );
        match output.next_shard_iterator {
            Some(next) => {
                self.shards.get_mut(id).expect("listed").state = State::Open(next);
                Ok(found)
            }
            None => Ok(self.finish(id)),
        }
    }

    /// Marks a shard as read to its end; its children may be read once the
    /// records before are handed out.
    fn finish(&mut self, id: &str) -> bool {
        self.shards.get_mut(id).expect("listed").state = State::Finished;
        self.buffer.push_back(Buffered::Finished(id.to_owned()));
        true
    }
}

/// What a request of the table's client was sent with, which its config
/// does not tell: the endpoint and the credentials.
#[derive(Debug)]
struct Seen {
    uri: String,
    credentials: Option<(SharedIdentityResolver, RuntimeComponents)>,
}

/// Records the [`Seen`] of the request it is added to.
#[derive(Debug)]
struct SeeRequest(Arc<Mutex<Option<Seen>>>);

impl Intercept for SeeRequest {
    fn name(&self) -> &'static str {
        "resourceful::changes::SeeRequest"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> std::result::Result<(), BoxError> {
        let seen = Seen {
            uri: context.request().uri().to_owned(),
            credentials: runtime_components
                .identity_resolver(SIGV4)
                .map(|resolver| (resolver, runtime_components.clone())),
        };
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(seen);
        Ok(())
    }
}

/// A DynamoDB Streams client like `dynamodb`: the same region, HTTP client
/// and settings, the credentials and endpoint its request was `seen` with,
/// the endpoint unless it is AWS's own (where the streams service has an
/// endpoint of its own).
fn streams_client(dynamodb: &aws_sdk_dynamodb::Client, seen: Option<Seen>) -> streams::Client {
    let config = dynamodb.config();
    let mut builder =
        streams::Config::builder().behavior_version(streams::config::BehaviorVersion::latest());
    builder
        .set_region(config.region().cloned())
        .set_http_client(config.http_client())
        .set_sleep_impl(config.sleep_impl())
        .set_time_source(config.time_source())
        .set_retry_config(config.retry_config().cloned())
        .set_timeout_config(config.timeout_config().cloned());
    if let Some(seen) = seen {
        if let Some(origin) = custom_origin(&seen.uri) {
            builder.set_endpoint_url(Some(origin));
        }
        if let Some((resolver, components)) = seen.credentials {
            builder.set_credentials_provider(Some(SharedCredentialsProvider::new(
                SameCredentials {
                    resolver,
                    components,
                },
            )));
        }
    }
    streams::Client::from_conf(builder.build())
}

/// The credentials of the table's client, as its identity resolver gives
/// them (cached and refreshed there).
#[derive(Debug)]
struct SameCredentials {
    resolver: SharedIdentityResolver,
    components: RuntimeComponents,
}

impl ProvideCredentials for SameCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let bag = ConfigBag::base();
            let identity = self
                .resolver
                .resolve_identity(&self.components, &bag)
                .await
                .map_err(CredentialsError::provider_error)?;
            identity.data::<Credentials>().cloned().ok_or_else(|| {
                CredentialsError::not_loaded("the table's client has no AWS credentials")
            })
        })
    }
}

/// The scheme and authority of `uri`, unless it is an AWS endpoint.
fn custom_origin(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    let aws = [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"]
        .iter()
        .any(|suffix| host.ends_with(suffix));
    (!aws).then(|| format!("{scheme}://{authority}"))
}

/// A record of the streams SDK in the DynamoDB SDK's terms; a value that
/// cannot be converted is its sequence number and the decode error.
#[allow(clippy::type_complexity)]
fn raw_record(
    record: streams::types::Record,
) -> std::result::Result<RawRecord, (String, (&'static str, DecodeError))> {
    let change = record
        .dynamodb
        .unwrap_or_else(|| streams::types::StreamRecord::builder().build());
    let sequence_number = change.sequence_number.unwrap_or_default();
    let image = |image: Option<std::collections::HashMap<String, StreamValue>>, what| {
        image
            .map(|i| convert_item(i, from_stream_value))
            .transpose()
            .map_err(|e| (sequence_number.clone(), (what, e)))
    };
    let keys = image(change.keys, "keys")?.unwrap_or_default();
    let new = image(change.new_image, "new image")?;
    let old = image(change.old_image, "old image")?;
    let created = change
        .approximate_creation_date_time
        .and_then(|t| SystemTime::try_from(t).ok());
    let info = Record {
        sequence_number: sequence_number.clone(),
        event_id: record.event_id,
        created,
        user_identity: record.user_identity.map(|u| UserIdentity {
            kind: u.r#type.unwrap_or_default(),
            principal_id: u.principal_id.unwrap_or_default(),
        }),
    };
    let event_name = record.event_name.as_ref().map_or("", |name| name.as_str());
    Ok(RawRecord::new(event_name, keys, new, old, info))
}

/// The streams SDK's value as the DynamoDB SDK's, exactly.
fn from_stream_value(value: StreamValue) -> std::result::Result<AttributeValue, DecodeError> {
    Ok(match value {
        StreamValue::N(n) => AttributeValue::N(n),
        StreamValue::S(s) => AttributeValue::S(s),
        StreamValue::Bool(b) => AttributeValue::Bool(b),
        StreamValue::B(b) => AttributeValue::B(Blob::new(b.into_inner())),
        StreamValue::Null(n) => AttributeValue::Null(n),
        StreamValue::M(m) => AttributeValue::M(convert_item(m, from_stream_value)?),
        StreamValue::L(l) => AttributeValue::L(
            l.into_iter()
                .enumerate()
                .map(|(i, v)| from_stream_value(v).map_err(|e| e.at_index(i)))
                .collect::<std::result::Result<_, _>>()?,
        ),
        StreamValue::Ss(s) => AttributeValue::Ss(s),
        StreamValue::Ns(n) => AttributeValue::Ns(n),
        StreamValue::Bs(b) => {
            AttributeValue::Bs(b.into_iter().map(|b| Blob::new(b.into_inner())).collect())
        }
        other => {
            return Err(DecodeError::invalid::<AttributeValue>(format!(
                "a value of a type this version does not know: {other:?}"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_endpoints_are_left_to_the_streams_client() {
        for uri in [
            "https://dynamodb.us-east-1.amazonaws.com/",
            "https://123456789012.ddb.eu-west-1.amazonaws.com/",
            "https://dynamodb.cn-north-1.amazonaws.com.cn/",
            "https://dynamodb.us-east-1.api.aws/",
        ] {
            assert_eq!(custom_origin(uri), None, "{uri}");
        }
        assert_eq!(
            custom_origin("http://127.0.0.1:8000/").as_deref(),
            Some("http://127.0.0.1:8000")
        );
        assert_eq!(
            custom_origin("http://localhost:4566").as_deref(),
            Some("http://localhost:4566")
        );
    }

    /// Changes of nothing in particular: the reader's logic only.
    struct Anything;

    impl ChangeItem for Anything {
        type Key = ();
        fn from_image(_: crate::value::Item) -> std::result::Result<Self, DecodeError> {
            Ok(Anything)
        }
        fn key_of(_: crate::value::Item, _: Option<&Self>) -> std::result::Result<(), DecodeError> {
            Ok(())
        }
    }

    fn reader(shards: &[(&str, Option<&str>, bool)]) -> Reader<Anything> {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
            .build();
        Reader {
            table: "t".into(),
            dynamodb: aws_sdk_dynamodb::Client::from_conf(config),
            client: None,
            arn: None,
            latest: false,
            shards: shards
                .iter()
                .map(|(id, parent, finished)| {
                    let state = if *finished {
                        State::Finished
                    } else {
                        State::Pending(Origin::TrimHorizon)
                    };
                    let shard = Shard {
                        parent: parent.map(str::to_owned),
                        state,
                        resume: Origin::TrimHorizon,
                    };
                    ((*id).to_owned(), shard)
                })
                .collect(),
            buffer: VecDeque::new(),
            checkpoint: Arc::default(),
            idle: MIN_IDLE,
            refresh: false,
            refreshed: Instant::now(),
            listed: true,
            done: false,
            _marker: PhantomData,
        }
    }

    #[test]
    fn a_child_shard_waits_for_its_parent() {
        let mut reader = reader(&[
            ("a-root", None, false),
            ("b-child", Some("a-root"), false),
            ("c-orphan", Some("gone"), false),
            ("d-done", None, true),
        ]);
        assert!(reader.ready("a-root"));
        assert!(!reader.ready("b-child"), "its parent is still open");
        assert!(reader.ready("c-orphan"), "its parent was trimmed away");
        assert!(!reader.ready("d-done"), "read to its end");
        // Reading the parent to its end hands out the end after its records
        // and lets the child be read.
        assert!(reader.finish("a-root"));
        assert!(matches!(reader.buffer.back(), Some(Buffered::Finished(id)) if id == "a-root"));
        assert!(reader.ready("b-child"));
    }

    #[test]
    fn checkpoints_serialise() {
        let mut checkpoint = Checkpoint::default();
        checkpoint
            .shards
            .insert("shard-1".into(), Position::After("42".into()));
        checkpoint
            .shards
            .insert("shard-0".into(), Position::Finished);
        let json = serde_json::to_string(&checkpoint).unwrap();
        assert_eq!(
            json,
            r#"{"shards":{"shard-0":"finished","shard-1":{"after":"42"}}}"#
        );
        let back: Checkpoint = serde_json::from_str(&json).unwrap();
        assert_eq!(back, checkpoint);
        assert_eq!(back.sequence_number("shard-1"), Some("42"));
        assert!(back.is_finished("shard-0"));
    }
}
