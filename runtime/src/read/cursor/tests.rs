use proptest::prelude::*;

use super::*;

fn key_item() -> Item {
    [
        ("pk".to_owned(), AttributeValue::S("user#1/ä".into())),
        ("sk".to_owned(), AttributeValue::N("42".into())),
        (
            "bin".to_owned(),
            AttributeValue::B(Blob::new(vec![0, 255, 10])),
        ),
    ]
    .into_iter()
    .collect()
}

fn query(partition: &str) -> ReadId {
    let value = AttributeValue::S(partition.to_owned());
    ReadId::query("#0 = :0", [("#0", "pk")], [(":0", &value)])
}

fn binding(index: Option<&'static str>, read: ReadId, key: Option<&CursorKey>) -> Binding {
    Binding {
        table: Arc::from("users"),
        index,
        read,
        key: key.cloned(),
    }
}

fn secret() -> CursorKey {
    CursorKey::from_bytes([7; 32])
}

/// A plain cursor and its read.
fn plain() -> (Cursor, Binding) {
    let b = binding(Some("by_email"), query("a"), None);
    (b.cursor(key_item()).unwrap(), b)
}

/// A sealed cursor and its read.
fn sealed() -> (Cursor, Binding) {
    let b = binding(Some("by_email"), query("a"), Some(&secret()));
    (b.cursor(key_item()).unwrap(), b)
}

/// Whether `text` is refused: by parsing, or by `read` when it starts.
fn refused(text: &str, read: &Binding) -> bool {
    match text.parse::<Cursor>() {
        Err(_) => true,
        Ok(cursor) => read.resume(&cursor).is_err(),
    }
}

fn url_safe(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn message(read: &Binding, cursor: &Cursor) -> String {
    read.resume(cursor).unwrap_err().to_string()
}

#[test]
fn plain_cursors_round_trip_through_url_safe_text() {
    let (c, read) = plain();
    let text = c.to_string();
    assert!(url_safe(&text), "{text}");
    let back: Cursor = text.parse().unwrap();
    assert_eq!(back, c);
    assert!(!back.is_sealed());
    assert_eq!(back.table(), "users");
    assert_eq!(back.index(), Some("by_email"));
    assert_eq!(read.resume(&back).unwrap(), key_item());
}

#[test]
fn sealed_cursors_round_trip_and_open_with_their_key() {
    let (c, read) = sealed();
    let text = c.to_string();
    assert!(url_safe(&text), "{text}");
    let back: Cursor = text.parse().unwrap();
    assert_eq!(back, c);
    assert_eq!(back.to_string(), text);
    assert!(back.is_sealed());
    // Its contents are the key's to see.
    assert_eq!(back.table(), "");
    assert_eq!(back.index(), None);
    assert_eq!(read.resume(&back).unwrap(), key_item());
    // Another handle with the same key bytes opens it too.
    let same = binding(Some("by_email"), query("a"), Some(&secret()));
    assert_eq!(same.resume(&back).unwrap(), key_item());
}

#[test]
fn sealed_cursors_reveal_nothing() {
    let (c, _) = sealed();
    let (p, _) = plain();
    let bytes = URL_SAFE_NO_PAD.decode(c.to_string()).unwrap();
    let plain_bytes = URL_SAFE_NO_PAD.decode(p.to_string()).unwrap();
    let contains =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    // The plain cursor holds each of these in the clear; the sealed one none.
    for needle in [
        &b"users"[..],
        b"by_email",
        b"user#1",
        b"pk",
        b"42",
        &[0, 255, 10],
    ] {
        assert!(contains(&plain_bytes, needle), "{needle:?}");
        assert!(!contains(&bytes, needle), "{needle:?}");
    }
    let debug = format!("{c:?}");
    assert!(
        !debug.contains("users") && !debug.contains("user#1"),
        "{debug}"
    );
    // A fresh nonce each time: the same position never gives the same text.
    let (again, _) = sealed();
    assert_ne!(again.to_string(), c.to_string());
}

#[test]
fn sealed_cursor_lengths_hide_small_differences_in_key_values() {
    let read = binding(None, ReadId::Scan, Some(&secret()));
    let length = |id: &str| {
        let key: Item = [("pk".to_owned(), AttributeValue::S(id.to_owned()))].into();
        read.cursor(key).unwrap().to_string().len()
    };
    assert_eq!(length("a"), length("alice@example.com"));
    assert!(length("a") < length(&"x".repeat(100)));
}

#[test]
fn every_changed_character_is_refused() {
    for (cursor, read) in [plain(), sealed()] {
        let text = cursor.to_string();
        for i in 0..text.len() {
            for replacement in [b'A', b'B', b'-', b'_', b'z', b'9'] {
                let mut bytes = text.clone().into_bytes();
                bytes[i] = replacement;
                let tampered = String::from_utf8(bytes).unwrap();
                if tampered != text {
                    assert!(
                        refused(&tampered, &read),
                        "sealed: {}, position {i} accepted",
                        cursor.is_sealed()
                    );
                }
            }
        }
    }
}

#[test]
fn every_truncation_and_extension_is_refused() {
    for (cursor, read) in [plain(), sealed()] {
        let text = cursor.to_string();
        for end in 0..text.len() {
            assert!(refused(&text[..end], &read), "prefix of {end} accepted");
            assert!(
                refused(&text[text.len() - end..], &read),
                "suffix of {end} accepted"
            );
        }
        for extra in ["A", "AA", "AAAA", "x"] {
            assert!(refused(&format!("{text}{extra}"), &read));
        }
    }
    let err = "".parse::<Cursor>().unwrap_err();
    assert_eq!(err.to_string(), "invalid cursor: empty");
    assert!("not a cursor!".parse::<Cursor>().is_err());
}

#[test]
fn a_sealed_cursor_opens_only_with_its_key() {
    let (c, _) = sealed();
    let other = binding(
        Some("by_email"),
        query("a"),
        Some(&CursorKey::from_bytes([8; 32])),
    );
    let err = message(&other, &c);
    assert!(err.contains("sealed with another cursor key"), "{err}");
    let random = binding(Some("by_email"), query("a"), Some(&CursorKey::generate()));
    assert!(random.resume(&c).is_err());
    // Without a key it cannot be opened at all.
    let unkeyed = binding(Some("by_email"), query("a"), None);
    let err = message(&unkeyed, &c);
    assert!(err.contains("this table handle has no cursor key"), "{err}");
}

#[test]
fn a_table_with_a_key_refuses_plain_cursors() {
    let (p, _) = plain();
    let keyed = binding(Some("by_email"), query("a"), Some(&secret()));
    let err = message(&keyed, &p);
    assert!(err.contains("this cursor is not sealed"), "{err}");
}

#[test]
fn a_cursor_continues_only_its_own_read() {
    for key in [None, Some(secret())] {
        let made = binding(Some("by_email"), query("a"), key.as_ref());
        let cursor = made.cursor(key_item()).unwrap();
        let sealed = key.is_some();
        let on = |index, read| binding(index, read, key.as_ref());

        let other_table = Binding {
            table: Arc::from("orders"),
            ..on(Some("by_email"), query("a"))
        };
        let err = message(&other_table, &cursor);
        let expected = if sealed {
            "made for another table and cannot continue a read of index `by_email`"
        } else {
            "made for index `by_email` of table `users` and cannot continue a read of index `by_email`"
        };
        assert!(err.contains(expected), "{err}");

        let err = message(&on(Some("by_name"), query("a")), &cursor);
        let expected = if sealed {
            "made for another index and cannot continue a read of index `by_name`"
        } else {
            "made for index `by_email` of table `users` and cannot continue a read of index `by_name`"
        };
        assert!(err.contains(expected), "{err}");

        let err = message(&on(None, query("a")), &cursor);
        assert!(err.contains("cannot continue a read of the table"), "{err}");

        let err = message(&on(Some("by_email"), query("b")), &cursor);
        assert!(
            err.contains("made for another query of index `by_email` (another partition value"),
            "{err}"
        );

        let err = message(&on(Some("by_email"), ReadId::Scan), &cursor);
        assert!(
            err.contains("made for a query and cannot continue a scan"),
            "{err}"
        );

        let scan = on(None, ReadId::Scan);
        let err = message(&on(None, query("a")), &scan.cursor(key_item()).unwrap());
        assert!(
            err.contains("made for a scan and cannot continue a query"),
            "{err}"
        );
        // Every one is a validation error, before anything is sent.
        let err = on(Some("by_email"), query("b"))
            .resume(&cursor)
            .unwrap_err();
        assert!(err.is_validation() && err.code().is_none(), "{err:?}");
        assert_eq!(err.table(), Some("users"));
    }
}

#[test]
fn a_query_is_known_by_its_key_condition_names_and_values() {
    let value = AttributeValue::S("a".into());
    let other = AttributeValue::S("b".into());
    let n = AttributeValue::N("1".into());
    let id = |condition,
              names: &[(&'static str, &'static str)],
              values: &[(&'static str, &AttributeValue)]| {
        ReadId::query(condition, names.iter().copied(), values.iter().copied())
    };
    let base = id("#0 = :0", &[("#0", "pk")], &[(":0", &value)]);
    assert_eq!(base, query("a"));
    assert_ne!(base, id("#0 = :0", &[("#0", "pk")], &[(":0", &other)]));
    assert_ne!(base, id("#0 = :0", &[("#0", "id")], &[(":0", &value)]));
    assert_ne!(
        base,
        id(
            "#0 = :0 AND #1 > :1",
            &[("#0", "pk"), ("#1", "sk")],
            &[(":0", &value), (":1", &n)]
        )
    );
    // A string and a number of the same text are different values.
    let s1 = AttributeValue::S("1".into());
    assert_ne!(
        id("#0 = :0", &[("#0", "pk")], &[(":0", &n)]),
        id("#0 = :0", &[("#0", "pk")], &[(":0", &s1)])
    );
    // The order in which the placeholders are listed does not matter.
    assert_eq!(
        id(
            "#0 = :0 AND #1 > :1",
            &[("#1", "sk"), ("#0", "pk")],
            &[(":1", &n), (":0", &value)]
        ),
        id(
            "#0 = :0 AND #1 > :1",
            &[("#0", "pk"), ("#1", "sk")],
            &[(":0", &value), (":1", &n)]
        )
    );
}

#[test]
fn formats_of_other_versions_are_refused() {
    let (p, _) = plain();
    let mut bytes = URL_SAFE_NO_PAD.decode(p.to_string()).unwrap();
    for format in [0, OLD_PLAIN, 4, 255] {
        bytes[0] = format;
        let len = bytes.len();
        let checksum = fnv1a(&bytes[..len - 8]).to_le_bytes();
        bytes[len - 8..].copy_from_slice(&checksum);
        let err = URL_SAFE_NO_PAD
            .encode(&bytes)
            .parse::<Cursor>()
            .unwrap_err();
        let expected = if format == OLD_PLAIN {
            "older version"
        } else {
            "unknown format"
        };
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert!("A"
        .repeat(MAX_TEXT + 4)
        .parse::<Cursor>()
        .unwrap_err()
        .to_string()
        .contains("too long"));
}

#[test]
fn a_sealed_position_is_followed_by_zeros_only() {
    let read = binding(None, ReadId::Scan, Some(&secret()));
    let position = Position {
        table: "users".into(),
        index: String::new(),
        read: ReadId::Scan,
        key: vec![("pk".into(), AttributeValue::S("a".into()))],
    };
    let seal = |plaintext: &[u8]| -> Cursor {
        let sealed = secret().seal(SEALED, plaintext).unwrap();
        URL_SAFE_NO_PAD.encode(sealed).parse().unwrap()
    };
    let mut plaintext = position.encode();
    plaintext.resize(PAD, 0);
    assert!(read.resume(&seal(&plaintext)).is_ok());
    // Anything but zeros after the position, or a whole block of zeros more.
    let mut trailing = plaintext.clone();
    trailing[PAD - 1] = 1;
    assert!(read.resume(&seal(&trailing)).is_err());
    let mut longer = plaintext.clone();
    longer.resize(2 * PAD, 0);
    assert!(read.resume(&seal(&longer)).is_err());
    // The format byte is authenticated: a sealed cursor relabelled as
    // another format does not open.
    let mut bytes = secret().seal(SEALED, &plaintext).unwrap();
    bytes[0] = PLAIN;
    assert!(secret().open(&bytes).is_none());
}

#[test]
fn keys_do_not_show_in_debug_output() {
    assert_eq!(format!("{:?}", secret()), "CursorKey(..)");
    assert_eq!(format!("{:?}", CursorKey::generate()), "CursorKey(..)");
    let read = binding(None, ReadId::Scan, Some(&secret()));
    let debug = format!("{read:?}");
    assert!(!debug.contains('7'), "{debug}");
}

/// A plain cursor's bytes around `payload`: its format and checksum.
fn checksummed(payload: &[u8]) -> String {
    let mut bytes = vec![PLAIN];
    bytes.extend_from_slice(payload);
    let checksum = fnv1a(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Bytes shaped like a position, so that decoding gets past its first
/// fields: a table, an index, a kind of read, then anything.
fn position_like() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(any::<u8>(), 0..8),
        prop::collection::vec(any::<u8>(), 0..8),
        prop::sample::select(vec![b's', b'q', b'x']),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(table, index, kind, rest)| {
            let mut out = Vec::new();
            put_bytes(&mut out, &table);
            put_bytes(&mut out, &index);
            out.push(kind);
            out.extend_from_slice(&rest);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any string: refused, or a cursor that prints back as the same string.
    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,120}") {
        if let Ok(cursor) = text.parse::<Cursor>() {
            prop_assert_eq!(cursor.to_string(), text);
        }
    }

    /// Any bytes, as base64: refused, or read back exactly.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..160)) {
        let text = URL_SAFE_NO_PAD.encode(&bytes);
        if let Ok(cursor) = text.parse::<Cursor>() {
            prop_assert_eq!(cursor.to_string(), text.clone());
            // A sealed shape is not a cursor of the key's.
            prop_assert!(sealed().1.resume(&cursor).is_err());
        }
    }

    /// Payloads with a valid checksum reach the decoder: it refuses them
    /// or reads a cursor that prints back the same, and never panics.
    #[test]
    fn checksummed_payloads_never_panic(payload in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..96),
        position_like(),
    ]) {
        let text = checksummed(&payload);
        if let Ok(cursor) = text.parse::<Cursor>() {
            prop_assert_eq!(cursor.to_string(), text);
            let _ = plain().1.resume(&cursor);
        }
    }

    /// Payloads sealed with the key reach the decoder after opening: it
    /// refuses them, or they resume a read only if they name it.
    #[test]
    fn sealed_payloads_never_panic(payload in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..96),
        position_like(),
    ]) {
        let mut plaintext = payload.clone();
        plaintext.resize(plaintext.len().next_multiple_of(PAD).max(PAD), 0);
        let sealed_bytes = secret().seal(SEALED, &plaintext).unwrap();
        let cursor: Cursor = URL_SAFE_NO_PAD.encode(sealed_bytes).parse().unwrap();
        let read = binding(None, ReadId::Scan, Some(&secret()));
        if read.resume(&cursor).is_ok() {
            let position = Position::decode_sealed(&plaintext).unwrap();
            prop_assert_eq!(position.table.as_str(), "users");
            prop_assert_eq!(position.read, ReadId::Scan);
        }
    }

    /// Any key values round-trip, plain and sealed.
    #[test]
    fn positions_round_trip(
        s in ".{0,40}",
        n in any::<i64>(),
        b in prop::collection::vec(any::<u8>(), 0..40),
        keyed in any::<bool>(),
    ) {
        let key: Item = [
            ("s".to_owned(), AttributeValue::S(s)),
            ("n".to_owned(), AttributeValue::N(n.to_string())),
            ("b".to_owned(), AttributeValue::B(Blob::new(b))),
        ].into();
        let secret = secret();
        let read = binding(None, query("p"), keyed.then_some(&secret));
        let cursor: Cursor = read.cursor(key.clone()).unwrap().to_string().parse().unwrap();
        prop_assert_eq!(read.resume(&cursor).unwrap(), key);
    }
}
