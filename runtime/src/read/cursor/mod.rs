//! Opaque, URL-safe positions in a query or scan: plain (checksummed) or
//! sealed (encrypted and authenticated with a [`CursorKey`]).
//!
//! A cursor's bytes, in URL-safe base64 without padding:
//!
//! - plain: `PLAIN`, the position, an FNV-1a checksum of both (8 bytes);
//! - sealed: `SEALED`, a random nonce (24 bytes), the position padded with
//!   zeros to a multiple of [`PAD`] bytes and encrypted, the tag (16 bytes).
//!
//! The position is the table, the index, the read (a scan, or a query and a
//! digest of its key condition) and the key of the last item read.

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::table::cursor_key::{NONCE_LEN, TAG_LEN};
use crate::table::CursorKey;
use crate::value::Item;

/// The format of the first release, which did not record the query.
const OLD_PLAIN: u8 = 1;
const PLAIN: u8 = 2;
const SEALED: u8 = 3;
/// A sealed position is padded to a multiple of this, so that the length of
/// a cursor says little about the length of the key values it holds.
const PAD: usize = 64;
/// No cursor's text is longer: key values are at most a few kilobytes.
const MAX_TEXT: usize = 64 * 1024;

/// Where a query or scan stopped: pass it to `.start(cursor)` to go on.
///
/// A cursor is an opaque, URL-safe string (`Display` / `FromStr`), made for
/// paged web APIs: hand it to the client and take it back on the next
/// request. It records the read it was made for (the table, the index, and
/// for a query its key condition: the partition value and any sort-key
/// condition); starting any other read with it is an error, and so is a
/// string that was altered or truncated.
///
/// **Plain cursors** (a table handle without a key) hold the key values of
/// the last item read in the clear, and their checksum catches accidental
/// and naive changes only: anyone can decode one and make another. Do not
/// hand them to clients that must not see the key values (user ids, email
/// addresses in an index key) or be kept out of data they may not read.
///
/// **Sealed cursors** (a table handle with
/// [`Table::seal_cursors`](crate::Table::seal_cursors)) are encrypted and
/// authenticated with the table's [`CursorKey`]: the string reveals nothing
/// but its approximate length, and cannot be forged or altered. Parsing one
/// checks its shape only; it is opened when a read of a table with the key
/// starts from it. A read refuses a sealed cursor without the key, or with
/// another key, and a plain cursor on a table whose cursors are sealed.
#[derive(Clone, PartialEq)]
pub struct Cursor(Repr);

#[derive(Clone, PartialEq)]
enum Repr {
    Plain(Position),
    /// The whole cursor, format byte included, as it travels.
    Sealed(Box<[u8]>),
}

// Key values are scalars (S, N, B), for which equality is an equivalence.
impl Eq for Cursor {}

/// What a cursor holds: the read it belongs to and the key to resume from.
#[derive(Debug, Clone, PartialEq)]
struct Position {
    table: String,
    index: String,
    read: ReadId,
    key: Vec<(String, AttributeValue)>,
}

/// Which read of a table or index a cursor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadId {
    Scan,
    /// A query, by a digest of its key condition with its names and values.
    Query([u8; 16]),
}

impl ReadId {
    /// A query's identity: its key condition, rendered with `names` and
    /// `values` (the placeholders it uses, and no others).
    pub(crate) fn query<'a>(
        key_condition: &str,
        names: impl IntoIterator<Item = (&'a str, &'a str)>,
        values: impl IntoIterator<Item = (&'a str, &'a AttributeValue)>,
    ) -> Self {
        let mut names: Vec<_> = names.into_iter().collect();
        let mut values: Vec<_> = values.into_iter().collect();
        names.sort_unstable();
        values.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut bytes = b"resourceful query".to_vec();
        put_bytes(&mut bytes, key_condition.as_bytes());
        for (placeholder, name) in names {
            put_bytes(&mut bytes, placeholder.as_bytes());
            put_bytes(&mut bytes, name.as_bytes());
        }
        for (placeholder, value) in values {
            put_bytes(&mut bytes, placeholder.as_bytes());
            put_value(&mut bytes, value);
        }
        let digest = Sha256::digest(&bytes);
        let mut id = [0; 16];
        id.copy_from_slice(&digest[..16]);
        ReadId::Query(id)
    }
}

/// The read a cursor is made for and checked against, and how its cursors
/// are made: sealed with `key`, or plain.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    pub(crate) table: Arc<str>,
    pub(crate) index: Option<&'static str>,
    pub(crate) read: ReadId,
    pub(crate) key: Option<CursorKey>,
}

impl Binding {
    /// The cursor after the item whose key is `key`.
    pub(crate) fn cursor(&self, key: Item) -> Result<Cursor> {
        let mut key: Vec<(String, AttributeValue)> = key.into_iter().collect();
        key.sort_by(|a, b| a.0.cmp(&b.0));
        let position = Position {
            table: self.table.to_string(),
            index: self.index.unwrap_or_default().to_owned(),
            read: self.read,
            key,
        };
        let Some(secret) = &self.key else {
            return Ok(Cursor(Repr::Plain(position)));
        };
        let mut plaintext = position.encode();
        plaintext.resize(plaintext.len().next_multiple_of(PAD), 0);
        let sealed = secret.seal(SEALED, &plaintext)?;
        Ok(Cursor(Repr::Sealed(sealed.into())))
    }

    /// The key to resume from: `cursor`'s, when it belongs to this read.
    pub(crate) fn resume(&self, cursor: &Cursor) -> Result<Item> {
        let refuse = |message: String| Error::validation(&self.table, message);
        let position = match (&cursor.0, &self.key) {
            (Repr::Plain(position), None) => Cow::Borrowed(position),
            (Repr::Sealed(sealed), Some(secret)) => {
                let opened = secret
                    .open(sealed)
                    .and_then(|plaintext| Position::decode_sealed(&plaintext).ok())
                    .ok_or_else(|| {
                        refuse(
                            "this cursor was altered, or sealed with another cursor key".to_owned(),
                        )
                    })?;
                Cow::Owned(opened)
            }
            (Repr::Plain(_), Some(_)) => {
                return Err(refuse(
                    "this cursor is not sealed, and this table handle takes only cursors sealed with its cursor key".to_owned(),
                ))
            }
            (Repr::Sealed(_), None) => {
                return Err(refuse(
                    "this cursor is sealed, and this table handle has no cursor key to open it (see `Table::seal_cursors`)".to_owned(),
                ))
            }
        };
        let sealed = self.key.is_some();
        self.check(&position, sealed).map_err(refuse)?;
        Ok(position.key.iter().cloned().collect())
    }

    /// Why `position` cannot continue this read, if it cannot. The table
    /// and index of a sealed cursor are not named: a message may reach the
    /// client the cursor was sealed for.
    fn check(&self, position: &Position, sealed: bool) -> Result<(), String> {
        let index = self.index.unwrap_or_default();
        let used_on = match self.index {
            Some(i) => format!("index `{i}`"),
            None => "the table".to_owned(),
        };
        if position.table != *self.table || position.index != index {
            let made_for = if sealed {
                if position.table != *self.table {
                    "another table".to_owned()
                } else if position.index.is_empty() {
                    "the table".to_owned()
                } else {
                    "another index".to_owned()
                }
            } else if position.index.is_empty() {
                format!("table `{}`", position.table)
            } else {
                format!("index `{}` of table `{}`", position.index, position.table)
            };
            return Err(format!(
                "this cursor was made for {made_for} and cannot continue a read of {used_on}"
            ));
        }
        match (position.read, self.read) {
            (ReadId::Scan, ReadId::Query(_)) => Err(format!(
                "this cursor was made for a scan and cannot continue a query of {used_on}"
            )),
            (ReadId::Query(_), ReadId::Scan) => Err(format!(
                "this cursor was made for a query and cannot continue a scan of {used_on}"
            )),
            (made, used) if made != used => Err(format!(
                "this cursor was made for another query of {used_on} (another partition value or sort-key condition)"
            )),
            _ => Ok(()),
        }
    }
}

/// The error of parsing a string that is not a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorError {
    reason: &'static str,
}

impl fmt::Display for CursorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid cursor: {}", self.reason)
    }
}

impl std::error::Error for CursorError {}

fn malformed(reason: &'static str) -> CursorError {
    CursorError { reason }
}

impl Cursor {
    /// The table a plain cursor was made for; empty for a sealed cursor,
    /// whose contents only a read with its key can see.
    pub fn table(&self) -> &str {
        match &self.0 {
            Repr::Plain(position) => &position.table,
            Repr::Sealed(_) => "",
        }
    }

    /// The index a plain cursor was made for, if it was an index read;
    /// `None` for a sealed cursor, whose contents only a read with its key
    /// can see.
    pub fn index(&self) -> Option<&str> {
        match &self.0 {
            Repr::Plain(position) => {
                (!position.index.is_empty()).then_some(position.index.as_str())
            }
            Repr::Sealed(_) => None,
        }
    }

    /// Whether the cursor is sealed: encrypted and authenticated with a
    /// [`CursorKey`].
    pub fn is_sealed(&self) -> bool {
        matches!(self.0, Repr::Sealed(_))
    }

    fn to_bytes(&self) -> Cow<'_, [u8]> {
        match &self.0 {
            Repr::Plain(position) => {
                let mut out = vec![PLAIN];
                out.extend_from_slice(&position.encode());
                let checksum = fnv1a(&out);
                out.extend_from_slice(&checksum.to_le_bytes());
                Cow::Owned(out)
            }
            Repr::Sealed(sealed) => Cow::Borrowed(sealed),
        }
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self, CursorError> {
        match bytes.first() {
            None => Err(malformed("empty")),
            Some(&PLAIN) => {
                if bytes.len() < 1 + 8 {
                    return Err(malformed("too short"));
                }
                let (payload, checksum) = bytes.split_at(bytes.len() - 8);
                if fnv1a(payload).to_le_bytes() != checksum {
                    return Err(malformed("it was altered or truncated"));
                }
                let mut r = Reader(&payload[1..]);
                let position = Position::decode(&mut r)?;
                if !r.0.is_empty() {
                    return Err(malformed("trailing data"));
                }
                Ok(Cursor(Repr::Plain(position)))
            }
            Some(&SEALED) => {
                // What was encrypted is a whole number of padded blocks.
                match bytes.len().checked_sub(1 + NONCE_LEN + TAG_LEN) {
                    Some(n) if n >= PAD && n % PAD == 0 => Ok(Cursor(Repr::Sealed(bytes.into()))),
                    _ => Err(malformed("it was truncated")),
                }
            }
            Some(&OLD_PLAIN) => Err(malformed(
                "it was made by an older version, which did not record the query",
            )),
            Some(_) => Err(malformed("unknown format")),
        }
    }
}

impl Position {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_bytes(&mut out, self.table.as_bytes());
        put_bytes(&mut out, self.index.as_bytes());
        match self.read {
            ReadId::Scan => out.push(b's'),
            ReadId::Query(id) => {
                out.push(b'q');
                out.extend_from_slice(&id);
            }
        }
        // A key has at most a table's and an index's attributes, a handful.
        out.push(self.key.len() as u8);
        for (name, value) in &self.key {
            put_bytes(&mut out, name.as_bytes());
            put_value(&mut out, value);
        }
        out
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, CursorError> {
        let table = r.string()?;
        let index = r.string()?;
        let read = match r.byte()? {
            b's' => ReadId::Scan,
            b'q' => ReadId::Query(r.take(16)?.try_into().expect("16 bytes")),
            _ => return Err(malformed("unknown kind of read")),
        };
        let count = r.byte()?;
        let mut key = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let name = r.string()?;
            let value = match r.byte()? {
                b'S' => AttributeValue::S(r.string()?),
                b'N' => AttributeValue::N(r.string()?),
                b'B' => AttributeValue::B(Blob::new(r.bytes()?.to_vec())),
                _ => return Err(malformed("unknown key type")),
            };
            key.push((name, value));
        }
        Ok(Position {
            table,
            index,
            read,
            key,
        })
    }

    /// A position from a sealed cursor's plaintext: the position, then
    /// zeros up to the padding.
    fn decode_sealed(plaintext: &[u8]) -> Result<Self, CursorError> {
        let mut r = Reader(plaintext);
        let position = Position::decode(&mut r)?;
        if r.0.len() >= PAD || r.0.iter().any(|&b| b != 0) {
            return Err(malformed("trailing data"));
        }
        Ok(position)
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    // Cursors are small: no field comes near 4 GB.
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn put_value(out: &mut Vec<u8>, value: &AttributeValue) {
    let debug;
    let (tag, bytes): (u8, &[u8]) = match value {
        AttributeValue::S(s) => (b'S', s.as_bytes()),
        AttributeValue::N(n) => (b'N', n.as_bytes()),
        AttributeValue::B(b) => (b'B', b.as_ref()),
        // Key values are scalars; a key condition's operands too, unless
        // DynamoDB is to refuse the query. Anything else is told apart by
        // its description, in a digest only.
        other => {
            debug = format!("{other:?}");
            (b'?', debug.as_bytes())
        }
    };
    out.push(tag);
    put_bytes(out, bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CursorError> {
        if self.0.len() < n {
            return Err(malformed("truncated"));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, CursorError> {
        Ok(self.take(1)?[0])
    }

    fn bytes(&mut self) -> Result<&'a [u8], CursorError> {
        let len: [u8; 4] = self.take(4)?.try_into().expect("4 bytes");
        self.take(u32::from_le_bytes(len) as usize)
    }

    fn string(&mut self) -> Result<String, CursorError> {
        let bytes = self.bytes()?;
        String::from_utf8(bytes.to_vec()).map_err(|_| malformed("not UTF-8"))
    }
}

/// FNV-1a, 64 bits: a checksum, not a MAC.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.to_bytes()))
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Plain(position) => f
                .debug_struct("Cursor")
                .field("table", &position.table)
                .field("index", &self.index())
                .field("read", &position.read)
                .field("key", &position.key)
                .finish(),
            Repr::Sealed(sealed) => f
                .debug_struct("Cursor")
                .field("sealed_bytes", &sealed.len())
                .finish(),
        }
    }
}

impl FromStr for Cursor {
    type Err = CursorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() > MAX_TEXT {
            return Err(malformed("too long"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| malformed("not URL-safe base64"))?;
        Cursor::from_bytes(&bytes)
    }
}
