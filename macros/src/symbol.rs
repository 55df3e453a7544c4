//! Argument names, shared by the parser and its "expected one of" messages.

pub(crate) const SERVICE: &str = "service";
pub(crate) const TABLE: &str = "table";
pub(crate) const KEY: &str = "key";
pub(crate) const SORT_KEY: &str = "sort_key";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const CRATE: &str = "crate";
pub(crate) const PROJECTION: &str = "projection";

pub(crate) const CONTAINER_ARGS: &[&str] =
    &[SERVICE, TABLE, KEY, SORT_KEY, RENAME_ALL, CRATE, PROJECTION];

pub(crate) const RENAME: &str = "rename";
pub(crate) const SKIP: &str = "skip";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const VERSION: &str = "version";
pub(crate) const TTL: &str = "ttl";

pub(crate) const FIELD_ARGS: &[&str] = &[RENAME, SKIP, DEFAULT, VERSION, TTL];

/// The attribute this crate reads, on the struct and on its fields.
pub(crate) const ATTRIBUTE: &str = "resource";

/// Services `service = "…"` accepts.
pub(crate) const SERVICES: &[&str] = &["dynamodb"];

/// "`a`, `b` or `c`"
pub(crate) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}
