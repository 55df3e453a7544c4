//! Parsing arbitrary strings as cursors: never a panic, and a string that
//! parses prints back as a cursor that parses to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use resourceful::Cursor;

fuzz_target!(|text: &str| {
    if let Ok(cursor) = text.parse::<Cursor>() {
        let again: Cursor = cursor.to_string().parse().expect("a printed cursor parses");
        assert_eq!(again, cursor);
    }
});
