//! Table options: `create()` applies each one, `verify_with` checks each one,
//! and invalid options are refused before anything is sent. Every option is
//! read back with the raw SDK client.
//!
//! The emulators do not implement everything, and the tests assert what each
//! one really does (see [`Endpoint`]).

use std::time::SystemTime;

use crate::common::unique_table_name;
use resourceful::aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use resourceful::aws_sdk_dynamodb::types::{
    BillingMode, PointInTimeRecoveryStatus, StreamViewType, TableClass as SdkTableClass,
    TableDescription, TimeToLiveStatus,
};
use resourceful::aws_sdk_dynamodb::{Client, Config};
use resourceful::local::Backend;
use resourceful::prelude::*;
use resourceful::table::{StreamView, TableClass, TableOptions};

#[resource(
    service = "dynamodb",
    table = "members",
    key = "team",
    sort_key = "id",
    index(name = "by_email", key = "email"),
    index(
        name = "by_role",
        key = "role",
        sort_key = "id",
        projection = "keys_only"
    ),
    local_index(name = "by_joined", sort_key = "joined")
)]
#[derive(Debug, Clone, PartialEq)]
struct Member {
    team: String,
    id: String,
    email: String,
    role: String,
    joined: u64,
    #[resource(ttl)]
    expires: Option<SystemTime>,
}

/// Which server the tests talk to, for the options it does not implement:
///
/// | option | dynoxide | DynamoDB Local | AWS |
/// |---|---|---|---|
/// | table class | kept | accepted, not kept: always `STANDARD` | kept |
/// | point-in-time recovery | no `*ContinuousBackups` operations | none either | kept |
/// | tags | kept | accepted by `CreateTable`, no `ListTagsOfResource` | kept |
///
/// Capacity (table and per index), deletion protection (enforced), streams
/// and time to live work on all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Dynoxide,
    DynamoDbLocal,
    Aws,
}

impl Endpoint {
    /// DynamoDB Local's ARNs name the region `ddblocal`.
    fn of(backend: &Backend, described: &TableDescription) -> Self {
        if backend.is_embedded() {
            Endpoint::Dynoxide
        } else if described
            .table_arn()
            .is_some_and(|arn| arn.starts_with("arn:aws:dynamodb:ddblocal:"))
        {
            Endpoint::DynamoDbLocal
        } else {
            Endpoint::Aws
        }
    }

    fn keeps_table_class(self) -> bool {
        self != Endpoint::DynamoDbLocal
    }

    fn has_point_in_time_recovery(self) -> bool {
        self == Endpoint::Aws
    }

    fn has_tags(self) -> bool {
        self != Endpoint::DynamoDbLocal
    }
}

async fn describe(table: &Table<Member>) -> TableDescription {
    table
        .client()
        .describe_table()
        .table_name(table.name())
        .send()
        .await
        .unwrap()
        .table
        .unwrap()
}

/// Turns deletion protection off with the raw SDK, then deletes the table.
async fn unprotect_and_delete(table: &Table<Member>) {
    table
        .client()
        .update_table()
        .table_name(table.name())
        .deletion_protection_enabled(false)
        .send()
        .await
        .unwrap();
    table.delete_table().await.unwrap();
}

fn every_option() -> TableOptions<Member> {
    TableOptions::new()
        .provisioned(4, 3)
        .index_capacity(Member::BY_ROLE, 2, 1)
        .deletion_protection(true)
        .table_class(TableClass::StandardInfrequentAccess)
        .point_in_time_recovery(true)
        .tag("team", "payments")
        .tag("cost-centre", "42")
        .stream(StreamView::NewAndOldImages)
}

#[tokio::test]
async fn create_applies_every_option() {
    let backend = Backend::from_env().await.unwrap();
    let client = backend.client();
    let members = Table::<Member>::named(&client, unique_table_name("life-every"));
    let created = members.create().options(every_option()).await;
    // The table is created before point-in-time recovery is turned on, so it
    // exists even where that last step fails.
    let described = describe(&members).await;
    let endpoint = Endpoint::of(&backend, &described);
    if endpoint.has_point_in_time_recovery() {
        created.unwrap();
    } else {
        let err = created.unwrap_err();
        assert_eq!(err.code(), Some("UnknownOperationException"), "{err:?}");
        assert_eq!(err.table(), Some(members.name()));
    }

    // Provisioned capacity: the table's, `by_role`'s own, and `by_email`
    // with the table's.
    assert!(matches!(
        described
            .billing_mode_summary()
            .and_then(|s| s.billing_mode()),
        None | Some(BillingMode::Provisioned)
    ));
    let throughput = described.provisioned_throughput().unwrap();
    assert_eq!(throughput.read_capacity_units(), Some(4));
    assert_eq!(throughput.write_capacity_units(), Some(3));
    let index_throughput = |name: &str| {
        let index = described
            .global_secondary_indexes()
            .iter()
            .find(|i| i.index_name() == Some(name))
            .unwrap();
        let t = index.provisioned_throughput().unwrap();
        (
            t.read_capacity_units().unwrap(),
            t.write_capacity_units().unwrap(),
        )
    };
    assert_eq!(index_throughput("by_role"), (2, 1));
    assert_eq!(index_throughput("by_email"), (4, 3));

    assert_eq!(described.deletion_protection_enabled(), Some(true));
    let class = described
        .table_class_summary()
        .and_then(|s| s.table_class());
    if endpoint.keeps_table_class() {
        assert_eq!(class, Some(&SdkTableClass::StandardInfrequentAccess));
    } else {
        assert_eq!(class, None);
    }
    let stream = described.stream_specification().unwrap();
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );

    let ttl = client
        .describe_time_to_live()
        .table_name(members.name())
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .unwrap();
    assert_eq!(ttl.attribute_name(), Some("expires"));
    assert!(matches!(
        ttl.time_to_live_status(),
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
    ));

    let backups = client
        .describe_continuous_backups()
        .table_name(members.name())
        .send()
        .await;
    if endpoint.has_point_in_time_recovery() {
        let status = backups
            .unwrap()
            .continuous_backups_description
            .and_then(|d| d.point_in_time_recovery_description)
            .and_then(|d| d.point_in_time_recovery_status);
        assert_eq!(status, Some(PointInTimeRecoveryStatus::Enabled));
    } else {
        let err = backups.unwrap_err();
        assert_eq!(
            resourceful::aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&err),
            Some("UnknownOperationException")
        );
    }

    let tags = client
        .list_tags_of_resource()
        .resource_arn(described.table_arn().unwrap())
        .send()
        .await;
    if endpoint.has_tags() {
        let mut tags: Vec<(String, String)> = tags
            .unwrap()
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect();
        tags.sort();
        assert_eq!(
            tags,
            [
                ("cost-centre".to_owned(), "42".to_owned()),
                ("team".to_owned(), "payments".to_owned())
            ]
        );
    } else {
        assert!(tags.is_err());
    }

    // Deletion protection is enforced.
    let err = members.delete_table().await.unwrap_err();
    assert!(err.is_validation(), "{err:?}");
    assert!(members.exists().await.unwrap());

    // `verify_with` the same options: everything matches, except what the
    // endpoint does not keep.
    let verified = members.verify_with(&every_option()).await;
    let mut unsupported = Vec::new();
    if !endpoint.keeps_table_class() {
        unsupported.push(
            "table class: the options ask for STANDARD_INFREQUENT_ACCESS, the table has STANDARD"
                .to_owned(),
        );
    }
    if !endpoint.has_point_in_time_recovery() {
        unsupported.push(
            "point-in-time recovery: the options ask for enabled, the endpoint does not support it"
                .to_owned(),
        );
    }
    if !endpoint.has_tags() {
        for tag in [
            "tag `team`: the options ask for `payments`",
            "tag `cost-centre`: the options ask for `42`",
        ] {
            unsupported.push(format!("{tag}, the endpoint does not support it"));
        }
    }
    if unsupported.is_empty() {
        let report = verified.unwrap();
        assert_eq!(
            report.found("billing mode"),
            Some("provisioned (4 read, 3 write)")
        );
        assert_eq!(
            report.found("capacity of index `by_role`"),
            Some("2 read, 1 write")
        );
        assert_eq!(
            report.found("capacity of index `by_email`"),
            Some("4 read, 3 write")
        );
        assert_eq!(
            report.found("table class"),
            Some("STANDARD_INFREQUENT_ACCESS")
        );
        assert_eq!(report.found("point-in-time recovery"), Some("enabled"));
        assert_eq!(report.found("tag `team`"), Some("`payments`"));
    } else {
        let err = verified.unwrap_err();
        assert!(err.is_schema_mismatch(), "{err:?}");
        assert_eq!(err.differences(), unsupported);
    }

    unprotect_and_delete(&members).await;
}

#[tokio::test]
async fn defaults_are_on_demand_and_reported() {
    let backend = Backend::from_env().await.unwrap();
    let client = backend.client();
    let members = Table::<Member>::named(&client, unique_table_name("life-default"));
    members.create().await.unwrap();
    let described = describe(&members).await;
    let endpoint = Endpoint::of(&backend, &described);
    assert_eq!(
        described
            .billing_mode_summary()
            .and_then(|s| s.billing_mode()),
        Some(&BillingMode::PayPerRequest)
    );
    assert_ne!(described.deletion_protection_enabled(), Some(true));
    assert!(described
        .stream_specification()
        .is_none_or(|s| !s.stream_enabled()));

    // `verify()` reports the schema it compared.
    let report = members.verify().await.unwrap();
    assert_eq!(report.table(), members.name());
    let lines: Vec<String> = report.checks().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "table key: partition key `team` (S), sort key `id` (S)",
            "global index `by_email`: partition key `email` (S), projection ALL",
            "global index `by_role`: partition key `role` (S), sort key `id` (S), projection KEYS_ONLY",
            "local index `by_joined`: partition key `team` (S), sort key `joined` (N), projection ALL",
        ]
    );

    // `verify_with` the default options adds what `create()` set up.
    let report = members.verify_with(&TableOptions::new()).await.unwrap();
    let options: Vec<String> = report.checks()[4..]
        .iter()
        .map(ToString::to_string)
        .collect();
    let recovery = if endpoint.has_point_in_time_recovery() {
        "point-in-time recovery: disabled"
    } else {
        "point-in-time recovery: not supported by the endpoint"
    };
    assert_eq!(
        options,
        [
            "time to live: enabled on `expires`",
            "billing mode: on-demand",
            "deletion protection: disabled",
            "table class: STANDARD",
            "stream: disabled",
            recovery,
        ]
    );
    members.delete_table().await.unwrap();
}

#[tokio::test]
async fn verify_with_lists_every_difference() {
    let backend = Backend::from_env().await.unwrap();
    let client = backend.client();
    let members = Table::<Member>::named(&client, unique_table_name("life-differ"));
    members
        .create()
        .provisioned(4, 3)
        .index_capacity(Member::BY_ROLE, 2, 1)
        .deletion_protection(true)
        .stream(StreamView::NewImage)
        .tag("team", "payments")
        .await
        .unwrap();
    let endpoint = Endpoint::of(&backend, &describe(&members).await);

    let other = TableOptions::new()
        .provisioned(5, 5)
        .index_capacity(Member::BY_EMAIL, 1, 1)
        .table_class(TableClass::StandardInfrequentAccess)
        .point_in_time_recovery(true)
        .stream(StreamView::KeysOnly)
        .tag("team", "platform")
        .tag("owner", "ann");
    let err = members.verify_with(&other).await.unwrap_err();
    assert!(err.is_schema_mismatch(), "{err:?}");
    let mut expected = vec![
        "billing mode: the options ask for provisioned (5 read, 5 write), the table has provisioned (4 read, 3 write)".to_owned(),
        "capacity of index `by_email`: the options ask for 1 read, 1 write, the table has 4 read, 3 write".to_owned(),
        "capacity of index `by_role`: the options ask for 5 read, 5 write, the table has 2 read, 1 write".to_owned(),
        "deletion protection: the options ask for disabled, the table has enabled".to_owned(),
        "table class: the options ask for STANDARD_INFREQUENT_ACCESS, the table has STANDARD".to_owned(),
        "stream: the options ask for KEYS_ONLY, the table has NEW_IMAGE".to_owned(),
    ];
    expected.push(if endpoint.has_point_in_time_recovery() {
        "point-in-time recovery: the options ask for enabled, the table has disabled".to_owned()
    } else {
        "point-in-time recovery: the options ask for enabled, the endpoint does not support it"
            .to_owned()
    });
    if endpoint.has_tags() {
        expected.push(
            "tag `team`: the options ask for `platform`, the table has `payments`".to_owned(),
        );
        expected.push("tag `owner`: the options ask for `ann`, the table has none".to_owned());
    } else {
        expected.push(
            "tag `team`: the options ask for `platform`, the endpoint does not support it"
                .to_owned(),
        );
        expected.push(
            "tag `owner`: the options ask for `ann`, the endpoint does not support it".to_owned(),
        );
    }
    let mut differences = err.differences().to_vec();
    // DynamoDB does not promise an order of the indexes.
    differences.sort();
    expected.sort();
    assert_eq!(differences, expected);

    // The other way round: an on-demand table whose time to live was turned
    // off with the raw SDK, against options asking for a provisioned one.
    unprotect_and_delete(&members).await;
    let plain = Table::<Member>::named(&client, unique_table_name("life-raw"));
    plain.create().await.unwrap();
    client
        .update_time_to_live()
        .table_name(plain.name())
        .time_to_live_specification(
            resourceful::aws_sdk_dynamodb::types::TimeToLiveSpecification::builder()
                .enabled(false)
                .attribute_name("expires")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let err = plain
        .verify_with(
            &TableOptions::new()
                .provisioned(1, 1)
                .deletion_protection(true),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.differences(),
        [
            "time to live: the struct has enabled on `expires`, the table has disabled",
            "billing mode: the options ask for provisioned (1 read, 1 write), the table has on-demand",
            "deletion protection: the options ask for enabled, the table has disabled",
        ]
    );
    // The schema still matches, so plain `verify` succeeds.
    plain.verify().await.unwrap();
    plain.delete_table().await.unwrap();
}

/// A client for a port nothing listens on: a request that is sent fails
/// with a transport error, so a validation error proves nothing was sent.
fn unreachable_client() -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("x", "x", None, None, "test"))
        .endpoint_url("http://127.0.0.1:1")
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn invalid_options_are_refused_before_sending() {
    let members = Table::<Member>::named(&unreachable_client(), "life-invalid");
    let many_tags = (0..51).fold(TableOptions::new(), |o, i| o.tag(format!("k{i}"), "v"));
    let cases: Vec<(TableOptions<Member>, &str)> = vec![
        (
            TableOptions::new().provisioned(0, 1),
            "0 read capacity units for the table: provisioned capacity is 1 to 1000000000000",
        ),
        (
            TableOptions::new().provisioned(1, 1_000_000_000_001),
            "1000000000001 write capacity units for the table",
        ),
        (
            TableOptions::new()
                .provisioned(1, 1)
                .index_capacity(Member::BY_EMAIL, 1, 0),
            "0 write capacity units for index `by_email`",
        ),
        (
            TableOptions::new().index_capacity(Member::BY_EMAIL, 1, 1),
            "capacity for index `by_email` needs provisioned capacity on the table",
        ),
        (
            TableOptions::new()
                .provisioned(1, 1)
                .index_capacity(Member::BY_JOINED, 1, 1),
            "`by_joined` is a local index, which shares the table's capacity",
        ),
        (
            TableOptions::new().tag("", "v"),
            "tag key `` has 0 characters: tag keys are 1 to 128",
        ),
        (
            TableOptions::new().tag("aws:owner", "v"),
            "the `aws:` prefix is reserved",
        ),
        (
            TableOptions::new().tag("k", "v".repeat(257)),
            "tag `k` has a value of 257 characters",
        ),
        (
            TableOptions::new().tag("k", "a;b"),
            "tag `k`: the value contains ';'",
        ),
        (many_tags, "51 tags, over DynamoDB's limit of 50 per table"),
    ];
    for (options, message) in cases {
        let err = members.create().options(options.clone()).await.unwrap_err();
        assert!(err.is_validation(), "{message}: {err:?}");
        assert_eq!(err.code(), None, "{err:?}");
        assert_eq!(err.table(), Some("life-invalid"));
        assert!(err.to_string().contains(message), "{message}: {err}");
        // `verify_with` checks the options the same way before sending.
        let err = members.verify_with(&options).await.unwrap_err();
        assert!(err.is_validation(), "{message}: {err:?}");
        assert!(err.to_string().contains(message), "{message}: {err}");
    }
    // The builder methods of `create()` go through the same checks.
    let err = members.create().provisioned(5, 0).await.unwrap_err();
    assert!(err.is_validation(), "{err:?}");
}
