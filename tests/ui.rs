//! Compile-fail tests: every diagnostic of `#[resource]` and of the typed
//! API, one case per file under `tests/ui/<topic>/`. Regenerate the expected
//! output with `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
