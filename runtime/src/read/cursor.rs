//! Opaque, URL-safe positions in a query or scan.

use std::fmt;
use std::str::FromStr;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::value::Item;

const FORMAT: u8 = 1;

/// Where a query or scan stopped: pass it to `.start(cursor)` to go on.
///
/// A cursor is an opaque, URL-safe string (`Display` / `FromStr`), made for
/// paged web APIs: hand it to the client and take it back on the next
/// request. It records the table and index it was made for; starting a read
/// of another table or index with it is an error, and so is a string that
/// was altered (a checksum catches accidental and naive changes; it is not a
/// signature, so do not trust a cursor to keep a client out of data it may
/// not read).
#[derive(Clone, PartialEq)]
pub struct Cursor {
    pub(crate) table: String,
    pub(crate) index: String,
    pub(crate) key: Vec<(String, AttributeValue)>,
}

// Key values are scalars (S, N, B), for which equality is an equivalence.
impl Eq for Cursor {}

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

impl Cursor {
    pub(crate) fn new(table: &str, index: Option<&str>, key: Item) -> Self {
        let mut key: Vec<(String, AttributeValue)> = key.into_iter().collect();
        key.sort_by(|a, b| a.0.cmp(&b.0));
        Cursor {
            table: table.to_owned(),
            index: index.unwrap_or_default().to_owned(),
            key,
        }
    }

    /// The table the cursor was made for.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The index the cursor was made for, if it was an index read.
    pub fn index(&self) -> Option<&str> {
        (!self.index.is_empty()).then_some(self.index.as_str())
    }

    pub(crate) fn key_item(&self) -> Item {
        self.key.iter().cloned().collect()
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = vec![FORMAT];
        put_bytes(&mut out, self.table.as_bytes());
        put_bytes(&mut out, self.index.as_bytes());
        out.push(self.key.len() as u8);
        for (name, value) in &self.key {
            put_bytes(&mut out, name.as_bytes());
            let (tag, bytes): (u8, &[u8]) = match value {
                AttributeValue::S(s) => (b'S', s.as_bytes()),
                AttributeValue::N(n) => (b'N', n.as_bytes()),
                AttributeValue::B(b) => (b'B', b.as_ref()),
                // Keys are scalars; anything else never reaches a cursor.
                _ => (b'?', &[]),
            };
            out.push(tag);
            put_bytes(&mut out, bytes);
        }
        let checksum = fnv1a(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    fn decode(bytes: &[u8]) -> Result<Self, CursorError> {
        let malformed = |reason| CursorError { reason };
        if bytes.len() < 9 {
            return Err(malformed("too short"));
        }
        let (payload, checksum) = bytes.split_at(bytes.len() - 8);
        if fnv1a(payload).to_le_bytes() != checksum {
            return Err(malformed("it was altered or truncated"));
        }
        let mut r = Reader(payload);
        if r.byte()? != FORMAT {
            return Err(malformed("unknown format"));
        }
        let table = r.string()?;
        let index = r.string()?;
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
        if !r.0.is_empty() {
            return Err(malformed("trailing data"));
        }
        Ok(Cursor { table, index, key })
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CursorError> {
        if self.0.len() < n {
            return Err(CursorError {
                reason: "truncated",
            });
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
        String::from_utf8(bytes.to_vec()).map_err(|_| CursorError {
            reason: "not UTF-8",
        })
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
        f.write_str(&URL_SAFE_NO_PAD.encode(self.encode()))
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("table", &self.table)
            .field("index", &self.index())
            .field("key", &self.key)
            .finish()
    }
}

impl FromStr for Cursor {
    type Err = CursorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| CursorError {
            reason: "not URL-safe base64",
        })?;
        Cursor::decode(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        let key: Item = [
            ("pk".to_owned(), AttributeValue::S("user#1/ä".into())),
            ("sk".to_owned(), AttributeValue::N("42".into())),
            (
                "bin".to_owned(),
                AttributeValue::B(Blob::new(vec![0, 255, 10])),
            ),
        ]
        .into_iter()
        .collect();
        Cursor::new("users", Some("by_email"), key)
    }

    #[test]
    fn round_trips_through_url_safe_text() {
        let c = cursor();
        let text = c.to_string();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{text}"
        );
        let back: Cursor = text.parse().unwrap();
        assert_eq!(back, c);
        assert_eq!(back.table(), "users");
        assert_eq!(back.index(), Some("by_email"));
    }

    #[test]
    fn tampering_is_detected() {
        let text = cursor().to_string();
        // Flip each character in turn: every change is refused.
        for i in 0..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            if tampered != text {
                assert!(tampered.parse::<Cursor>().is_err(), "position {i} accepted");
            }
        }
        assert!(text[..text.len() - 3].parse::<Cursor>().is_err());
        assert!("".parse::<Cursor>().is_err());
        assert!("not a cursor!".parse::<Cursor>().is_err());
        let err = format!("{}x", text).parse::<Cursor>().unwrap_err();
        assert!(err.to_string().starts_with("invalid cursor"), "{err}");
    }
}
