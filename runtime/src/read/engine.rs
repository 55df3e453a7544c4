//! Fetching pages: the machinery shared by queries and scans.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::Arc;

use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, Select};
use aws_sdk_dynamodb::Client;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use tracing::{Instrument, Span};

use super::cursor::Binding;
use super::{Cursor, Page};
use crate::error::{Error, Result};
use crate::observe::span::record_capacity;
use crate::observe::ReadProgress;
use crate::value::{DecodeError, Item};

/// What is read: a query's key condition, or a scan (segment).
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Query { key_condition: String },
    Scan { segment: Option<(i32, i32)> },
}

/// A prepared request: everything but the start key and the limit.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) client: Client,
    pub(crate) table: Arc<str>,
    pub(crate) index: Option<&'static str>,
    pub(crate) kind: Kind,
    pub(crate) filter: Option<String>,
    pub(crate) projection: Option<String>,
    pub(crate) names: Option<HashMap<String, String>>,
    pub(crate) values: Option<Item>,
    pub(crate) consistent: bool,
    pub(crate) forward: bool,
    pub(crate) page_size: Option<usize>,
    /// The attributes that locate an item in this read (table and index keys).
    pub(crate) cursor_keys: Vec<&'static str>,
    /// The read its cursors belong to, and the key that seals them.
    pub(crate) binding: Binding,
    /// The read's span, and its counters (shared by a parallel scan's
    /// segments).
    pub(crate) span: Span,
    pub(crate) progress: ReadProgress,
    /// Whether to ask for the consumed capacity.
    pub(crate) capacity: bool,
}

pub(crate) struct Fetched {
    pub(crate) items: Vec<Item>,
    pub(crate) last: Option<Item>,
    pub(crate) count: usize,
}

fn limit(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Request {
    /// The `Limit` of the next request: the page size, or (without a
    /// filter, which can drop items) no more than the items still wanted.
    fn request_limit(&self, remaining: Option<usize>) -> Option<i32> {
        match (self.page_size, remaining) {
            (Some(size), Some(left)) if self.filter.is_none() => Some(limit(size.min(left))),
            (Some(size), _) => Some(limit(size)),
            (None, Some(left)) if self.filter.is_none() => Some(limit(left)),
            (None, _) => None,
        }
    }

    pub(crate) async fn fetch(
        &self,
        start: Option<Item>,
        remaining: Option<usize>,
        count_only: bool,
    ) -> Result<Fetched> {
        let table = &*self.table;
        let select = count_only.then_some(Select::Count);
        let request_limit = self.request_limit(remaining);
        let capacity = self.capacity.then_some(ReturnConsumedCapacity::Indexes);
        let (items, last, count, scanned, consumed) = match &self.kind {
            Kind::Query { key_condition } => {
                let out = self
                    .client
                    .query()
                    .table_name(table)
                    .set_index_name(self.index.map(str::to_owned))
                    .key_condition_expression(key_condition)
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(if count_only {
                        None
                    } else {
                        self.projection.clone()
                    })
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .consistent_read(self.consistent)
                    .scan_index_forward(self.forward)
                    .set_limit(request_limit)
                    .set_select(select)
                    .set_exclusive_start_key(start)
                    .set_return_consumed_capacity(capacity.clone())
                    .send()
                    .instrument(self.span.clone())
                    .await
                    .map_err(|e| Error::sdk(Some(table), e))?;
                (
                    out.items,
                    out.last_evaluated_key,
                    out.count,
                    out.scanned_count,
                    out.consumed_capacity,
                )
            }
            Kind::Scan { segment } => {
                let out = self
                    .client
                    .scan()
                    .table_name(table)
                    .set_index_name(self.index.map(str::to_owned))
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(if count_only {
                        None
                    } else {
                        self.projection.clone()
                    })
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .consistent_read(self.consistent)
                    .set_limit(request_limit)
                    .set_select(select)
                    .set_segment(segment.map(|s| s.0))
                    .set_total_segments(segment.map(|s| s.1))
                    .set_exclusive_start_key(start)
                    .set_return_consumed_capacity(capacity.clone())
                    .send()
                    .instrument(self.span.clone())
                    .await
                    .map_err(|e| Error::sdk(Some(table), e))?;
                (
                    out.items,
                    out.last_evaluated_key,
                    out.count,
                    out.scanned_count,
                    out.consumed_capacity,
                )
            }
        };
        let items = items.unwrap_or_default();
        let count = usize::try_from(count).unwrap_or(items.len());
        self.progress.record_page(
            count,
            usize::try_from(scanned).unwrap_or(count),
            consumed.as_slice(),
        );
        self.record_progress();
        Ok(Fetched {
            items,
            last: last.filter(|k| !k.is_empty()),
            count,
        })
    }

    /// Records the read's totals so far on its span.
    fn record_progress(&self) {
        let span = &self.span;
        if span.is_disabled() {
            return;
        }
        span.record("resourceful.requests", self.progress.pages());
        span.record("db.response.returned_rows", self.progress.items());
        if self.capacity {
            record_capacity(span, &self.progress.capacity());
        }
    }

    /// The key of `item` in this read, for a cursor.
    pub(crate) fn key_of(&self, item: &Item) -> Item {
        self.cursor_keys
            .iter()
            .filter_map(|k| item.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect()
    }

    pub(crate) fn cursor(&self, key: Item) -> Result<Cursor> {
        self.binding.cursor(key)
    }
}

/// A page being fetched in a task of its own; dropping it cancels the
/// request.
struct Fetching(tokio::task::JoinHandle<Result<Fetched>>);

impl Drop for Fetching {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The items of a [`Reader`], as a stream that reads ahead: once the caller
/// has taken half of a page, the next page is requested in a task of its
/// own, so that the round trip and the server's work overlap with the
/// caller's. At most two pages are held at once; a caller that stops within
/// the first half of a page costs no extra request.
struct Items<O> {
    reader: Reader<O>,
    fetching: Option<Fetching>,
    /// The length of the page in the buffer when it arrived.
    page_len: usize,
}

impl<O> Items<O> {
    /// Starts fetching the next page, if there is one and more items are
    /// wanted; whether it did.
    fn fetch_next(&mut self) -> bool {
        let r = &mut self.reader;
        let wanted = r.remaining.map(|left| left.saturating_sub(r.buffer.len()));
        if wanted == Some(0) {
            r.next = Next::Done;
            return false;
        }
        let start = match std::mem::replace(&mut r.next, Next::Done) {
            Next::Done => return false,
            Next::At(start) => start,
        };
        let request = Arc::clone(&r.request);
        self.fetching = Some(Fetching(tokio::spawn(async move {
            request.fetch(start, wanted, false).await
        })));
        true
    }
}

impl<O> Unpin for Items<O> {}

impl<O> futures_util::Stream for Items<O> {
    type Item = Result<O>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<O>>> {
        use std::task::Poll;
        let this = &mut *self;
        loop {
            if this.reader.remaining == Some(0) {
                this.fetching = None;
                return Poll::Ready(None);
            }
            if let Some(item) = this.reader.buffer.pop_front() {
                if let Some(left) = &mut this.reader.remaining {
                    *left -= 1;
                }
                if this.fetching.is_none() && this.reader.buffer.len() < this.page_len.div_ceil(2) {
                    this.fetch_next();
                }
                let table = &this.reader.request.table;
                let decoded = (this.reader.decode)(item).map_err(|e| Error::decode(table, e));
                return Poll::Ready(Some(decoded));
            }
            if this.fetching.is_none() && !this.fetch_next() {
                return Poll::Ready(None);
            }
            let fetching = this.fetching.as_mut().expect("a page is being fetched");
            let fetched = match std::pin::Pin::new(&mut fetching.0).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(joined) => joined,
            };
            this.fetching = None;
            match fetched {
                Ok(Ok(page)) => {
                    this.page_len = page.items.len();
                    this.reader.buffer.extend(page.items);
                    this.reader.next = match page.last {
                        Some(key) => Next::At(Some(key)),
                        None => Next::Done,
                    };
                }
                // The read ends after its error, as before.
                Ok(Err(e)) => return Poll::Ready(Some(Err(e))),
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(e) => {
                    return Poll::Ready(Some(Err(Error::backend(
                        "a page's request was cancelled",
                        e,
                    ))))
                }
            }
        }
    }
}

/// Where the next page starts.
#[derive(Debug)]
enum Next {
    At(Option<Item>),
    Done,
}

/// The state of one lazy read (one segment of a parallel scan).
pub(crate) struct Reader<O> {
    request: Arc<Request>,
    decode: fn(Item) -> Result<O, DecodeError>,
    buffer: VecDeque<Item>,
    next: Next,
    remaining: Option<usize>,
}

impl<O: Send + 'static> Reader<O> {
    pub(crate) fn new(
        request: Arc<Request>,
        decode: fn(Item) -> Result<O, DecodeError>,
        start: Option<Item>,
        limit: Option<usize>,
    ) -> Self {
        Reader {
            request,
            decode,
            buffer: VecDeque::new(),
            next: Next::At(start),
            remaining: limit,
        }
    }

    fn decode(&self, item: Item) -> Result<O> {
        (self.decode)(item).map_err(|e| Error::decode(&self.request.table, e))
    }

    /// Items one by one. The next page is fetched while the caller works
    /// through the second half of the current one (see [`Items`]).
    pub(crate) fn into_stream(self) -> BoxStream<'static, Result<O>> {
        Items {
            reader: self,
            fetching: None,
            page_len: 0,
        }
        .boxed()
    }

    /// DynamoDB's pages, each with the cursor that continues after it.
    pub(crate) fn into_pages(self) -> BoxStream<'static, Result<Page<O>>> {
        stream::unfold(self, |mut r| async move {
            if r.remaining == Some(0) {
                return None;
            }
            let start = match std::mem::replace(&mut r.next, Next::Done) {
                Next::Done => return None,
                Next::At(start) => start,
            };
            let page = match r.request.fetch(start, r.remaining, false).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), r)),
            };
            let mut items = page.items;
            let mut resume = page.last;
            if let Some(left) = r.remaining {
                if items.len() > left {
                    items.truncate(left);
                    resume = items.last().map(|item| r.request.key_of(item));
                }
                r.remaining = Some(left - items.len());
            }
            let cursor = match resume.clone().map(|key| r.request.cursor(key)).transpose() {
                Ok(cursor) => cursor,
                Err(e) => return Some((Err(e), r)),
            };
            r.next = match resume {
                Some(key) if r.remaining != Some(0) => Next::At(Some(key)),
                _ => Next::Done,
            };
            let decoded: Result<Vec<O>> = items.into_iter().map(|item| r.decode(item)).collect();
            Some((decoded.map(|items| Page { items, cursor }), r))
        })
        .boxed()
    }

    /// Up to `target` items (one DynamoDB page when `None`) and the cursor
    /// after the last of them, exactly when another item follows: a web API
    /// never links to an empty page. To know, the read asks for one item
    /// more than the page holds, and when DynamoDB's page ends where this
    /// one does, counts on until it finds an item or the read ends.
    pub(crate) async fn page(mut self, target: Option<usize>) -> Result<Page<O>> {
        let mut items = Vec::new();
        loop {
            let start = match std::mem::replace(&mut self.next, Next::Done) {
                Next::Done => return self.finish(items, None),
                Next::At(start) => start,
            };
            let wanted = target.map(|t| t - items.len() + 1);
            let page = self.request.fetch(start, wanted, false).await?;
            let mut rest = page.items.into_iter();
            let full = match target {
                Some(t) => {
                    items.extend(rest.by_ref().take(t - items.len()));
                    items.len() == t
                }
                None => {
                    items.extend(rest.by_ref());
                    true
                }
            };
            if !full {
                match page.last {
                    Some(key) => self.next = Next::At(Some(key)),
                    None => return self.finish(items, None),
                }
                continue;
            }
            let more = match &page.last {
                _ if rest.next().is_some() => true,
                Some(key) => self.any_after(key.clone()).await?,
                None => false,
            };
            let resume = match target {
                Some(_) => items.last().map(|item| self.request.key_of(item)),
                None => page.last,
            };
            let cursor = resume
                .filter(|_| more)
                .map(|key| self.request.cursor(key))
                .transpose()?;
            return self.finish(items, cursor);
        }
    }

    /// Whether any item of the read follows `start`.
    async fn any_after(&self, start: Item) -> Result<bool> {
        let mut start = Some(start);
        while let Some(key) = start {
            let page = self.request.fetch(Some(key), Some(1), true).await?;
            if page.count > 0 {
                return Ok(true);
            }
            start = page.last;
        }
        Ok(false)
    }

    fn finish(&self, items: Vec<Item>, cursor: Option<Cursor>) -> Result<Page<O>> {
        let items = items
            .into_iter()
            .map(|item| self.decode(item))
            .collect::<Result<Vec<O>>>()?;
        Ok(Page { items, cursor })
    }

    /// The number of matching items, without transferring them.
    pub(crate) async fn count(mut self) -> Result<usize> {
        let mut total = 0;
        loop {
            let start = match std::mem::replace(&mut self.next, Next::Done) {
                Next::Done => return Ok(total),
                Next::At(start) => start,
            };
            let left = self.remaining.map(|l| l - total.min(l));
            let page = self.request.fetch(start, left, true).await?;
            total += page.count;
            if let Some(limit) = self.remaining {
                if total >= limit {
                    return Ok(limit);
                }
            }
            if let Some(key) = page.last {
                self.next = Next::At(Some(key));
            }
        }
    }
}

/// A read ready to run: one reader, or one per segment of a parallel scan.
/// What queries and scans do with it is the same.
pub(crate) struct Plan<O> {
    table: Arc<str>,
    readers: Vec<Reader<O>>,
    /// The whole read's limit (a lone reader applies it itself).
    limit: Option<usize>,
    /// The items `page()` collects: the limit, or else the page size.
    target: Option<usize>,
}

impl<O: Send + 'static> Plan<O> {
    pub(crate) fn new(
        table: &str,
        readers: Vec<Reader<O>>,
        limit: Option<usize>,
        page_size: Option<usize>,
    ) -> Self {
        Plan {
            table: Arc::from(table),
            readers,
            limit,
            target: limit.or(page_size),
        }
    }

    /// The lone reader, or `None` for a parallel scan.
    fn single(&mut self) -> Option<Reader<O>> {
        if self.readers.len() == 1 {
            self.readers.pop()
        } else {
            None
        }
    }

    pub(crate) fn stream(mut self) -> BoxStream<'static, Result<O>> {
        if let Some(reader) = self.single() {
            return reader.into_stream();
        }
        let merged = stream::select_all(self.readers.into_iter().map(Reader::into_stream));
        match self.limit {
            Some(n) => merged.take(n).boxed(),
            None => merged.boxed(),
        }
    }

    pub(crate) fn pages(mut self) -> BoxStream<'static, Result<Page<O>>> {
        if let Some(reader) = self.single() {
            return reader.into_pages();
        }
        stream::select_all(self.readers.into_iter().map(Reader::into_pages))
            .map_ok(|page| Page {
                items: page.items,
                cursor: None,
            })
            .boxed()
    }

    pub(crate) async fn page(mut self) -> Result<Page<O>> {
        match self.single() {
            Some(reader) => reader.page(self.target).await,
            None => Err(Error::validation(
                &self.table,
                "`page()` needs a scan of one segment",
            )),
        }
    }

    pub(crate) async fn count(self) -> Result<usize> {
        let counts =
            futures_util::future::try_join_all(self.readers.into_iter().map(Reader::count)).await?;
        let total: usize = counts.into_iter().sum();
        Ok(self.limit.map_or(total, |l| total.min(l)))
    }
}
