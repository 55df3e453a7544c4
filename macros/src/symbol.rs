//! Argument names, shared by the parser and its "expected one of" messages.

pub(crate) const SERVICE: &str = "service";
pub(crate) const TABLE: &str = "table";
pub(crate) const KEY: &str = "key";
pub(crate) const SORT_KEY: &str = "sort_key";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const CRATE: &str = "crate";
pub(crate) const PROJECTION: &str = "projection";
pub(crate) const INDEX: &str = "index";
pub(crate) const LOCAL_INDEX: &str = "local_index";
pub(crate) const ENTITY: &str = "entity";
pub(crate) const ENTITY_ATTR: &str = "entity_attr";
/// `stream = "new_and_old_images"`: the table's stream and its view.
pub(crate) const STREAM: &str = "stream";
/// The views `stream = "…"` accepts, as the runtime's `StreamView` names them.
pub(crate) const STREAM_VIEWS: &[(&str, &str)] = &[
    ("new_and_old_images", "NewAndOldImages"),
    ("new_image", "NewImage"),
    ("old_image", "OldImage"),
    ("keys_only", "KeysOnly"),
];
/// `key(attr = "pk", template = "ORG#{org}")`.
pub(crate) const ATTR: &str = "attr";
pub(crate) const TEMPLATE: &str = "template";
pub(crate) const TEMPLATE_ARGS: &[&str] = &[ATTR, TEMPLATE];
/// The entity attribute when `entity_attr = "…"` is not given.
pub(crate) const DEFAULT_ENTITY_ATTR: &str = "_type";
/// DynamoDB's limit on the attributes of a multi-attribute index key, for
/// the partition and for the sort key each.
pub(crate) const MAX_KEY_ATTRIBUTES: usize = 4;

pub(crate) const CONTAINER_ARGS: &[&str] = &[
    SERVICE,
    TABLE,
    KEY,
    SORT_KEY,
    INDEX,
    LOCAL_INDEX,
    RENAME_ALL,
    CRATE,
    PROJECTION,
    ENTITY,
    ENTITY_ATTR,
    STREAM,
];

pub(crate) const NAME: &str = "name";
pub(crate) const INDEX_ARGS: &[&str] = &[NAME, KEY, SORT_KEY, PROJECTION];
pub(crate) const LOCAL_INDEX_ARGS: &[&str] = &[NAME, SORT_KEY, PROJECTION];
/// Projection kinds besides a list of fields.
pub(crate) const PROJECTIONS: &[&str] = &["all", "keys_only"];

/// DynamoDB's limits on secondary indexes per table.
pub(crate) const MAX_GLOBAL_INDEXES: usize = 20;
pub(crate) const MAX_LOCAL_INDEXES: usize = 5;

pub(crate) const RENAME: &str = "rename";
pub(crate) const SKIP: &str = "skip";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const VERSION: &str = "version";
pub(crate) const TTL: &str = "ttl";
pub(crate) const CREATED_AT: &str = "created_at";
pub(crate) const UPDATED_AT: &str = "updated_at";
pub(crate) const WITH: &str = "with";
pub(crate) const FLATTEN: &str = "flatten";
pub(crate) const SERDE: &str = "serde";
pub(crate) const TAG: &str = "tag";
pub(crate) const CONTENT: &str = "content";

pub(crate) const FIELD_ARGS: &[&str] = &[
    RENAME, SKIP, DEFAULT, WITH, SERDE, FLATTEN, VERSION, TTL, CREATED_AT, UPDATED_AT,
];

/// What `#[derive(Attribute)]` takes on the type, on a field of a struct
/// and on a variant of an enum.
pub(crate) const DERIVE_CONTAINER_ARGS: &[&str] = &[RENAME_ALL, TAG, CONTENT, CRATE];
pub(crate) const DERIVE_FIELD_ARGS: &[&str] = &[RENAME, SKIP, DEFAULT, WITH, SERDE, FLATTEN];
pub(crate) const VARIANT_ARGS: &[&str] = &[RENAME];

/// The tag attribute of an enum with data when `tag = "…"` is not given.
pub(crate) const DEFAULT_TAG: &str = "type";

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

/// "`a`, `b` and `c`"
pub(crate) fn all_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The candidate `name` was probably meant as: the same letters ignoring
/// case and separators (`sortKey` for `sort_key`), a prefix of it (`camel`
/// for `camelCase`), or a near miss (`renam` for `rename`).
pub(crate) fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    fn normalize(s: &str) -> Vec<char> {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    }
    let wanted = normalize(name);
    if wanted.is_empty() {
        return None;
    }
    candidates
        .iter()
        .filter_map(|&candidate| {
            let c = normalize(candidate);
            let distance = if wanted.len() >= 3 && c.starts_with(&wanted) {
                0
            } else {
                edit_distance(&wanted, &c)
            };
            (distance <= (c.len() / 3).max(1)).then_some((distance, candidate))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance counting a swap of neighbours (`tabel`) as one edit.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// "\nhelp: did you mean `x`?" when a candidate is close, else "".
pub(crate) fn did_you_mean(name: &str, candidates: &[&str]) -> String {
    closest(name, candidates)
        .map(|c| format!("\nhelp: did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(closest("sortKey", &[KEY, SORT_KEY]), Some(SORT_KEY));
        assert_eq!(closest("tabel", CONTAINER_ARGS), Some(TABLE));
        assert_eq!(closest("name", FIELD_ARGS), Some(RENAME));
        assert_eq!(
            closest("camel", &["camelCase", "PascalCase"]),
            Some("camelCase")
        );
        assert_eq!(
            closest("created", &["customer", "created_at"]),
            Some("created_at")
        );
        assert_eq!(closest("partition", CONTAINER_ARGS), None);
        assert_eq!(closest("user_id", &["id", "email"]), None);
        assert_eq!(closest("skip_if", FIELD_ARGS), None);
        assert_eq!(closest("", &["id"]), None);
    }

    #[test]
    fn lists() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(all_of(&["a", "b"]), "`a` and `b`");
    }
}
