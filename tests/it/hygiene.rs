//! The code `#[resource]` generates must compile wherever a user puts it:
//! next to items that shadow the prelude, in a `#![no_implicit_prelude]`
//! module, and with the facade under another name (`crate = "..."`), all
//! without a single warning.

#![deny(warnings)]

use std::collections::{BTreeSet, HashMap, HashSet};

use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::{KeyAttributeDef, Resource, ResourceKey, ScalarType};

/// Every name the generated code could reach through the prelude, taken.
#[allow(dead_code, non_camel_case_types)]
mod shadowed {
    pub(super) struct Result;
    pub(super) struct Option;
    pub(super) struct Ok;
    pub(super) struct Err;
    pub(super) struct Some;
    pub(super) struct None;
    pub(super) struct String;
    pub(super) struct Vec;
    pub(super) struct HashMap;
    pub(super) struct Box;
    pub(super) struct str;
    pub(super) trait Default {}
    pub(super) trait From {}
    pub(super) trait Into {}
    pub(super) trait Clone {}
    pub(super) trait Debug {}
    pub(super) trait PartialEq {}
    pub(super) trait Send {}
    pub(super) trait Sync {}
    pub(super) trait Sized {}
    pub(super) trait ToString {}
    pub(super) trait ToOwned {}
    pub(super) trait Iterator {}
    pub(super) trait IntoIterator {}
    pub(super) fn drop() {}
    pub(super) mod core {}
    pub(super) mod std {}
    pub(super) mod resourceful {}
}

mod hostile {
    // Unused when the generated code is right: it names nothing through
    // the prelude.
    #[allow(unused_imports)]
    use super::shadowed::*;

    /// Composite key, `rename`, `rename_all`, `skip`, `default`, options,
    /// sets, maps and binary.
    #[::resourceful::resource(
        service = "dynamodb",
        table = "orders",
        key = "customer_id",
        sort_key = "number",
        rename_all = "camelCase"
    )]
    #[derive(Debug, PartialEq)]
    pub struct Order {
        pub customer_id: ::std::string::String,
        pub number: u64,
        #[resource(rename = "total")]
        pub amount_cents: i64,
        pub line_items: ::std::vec::Vec<::std::string::String>,
        pub tags: ::std::collections::BTreeSet<::std::string::String>,
        pub scores: ::std::collections::HashSet<u32>,
        pub attributes: ::std::collections::HashMap<::std::string::String, i64>,
        pub gift_note: ::core::option::Option<::std::string::String>,
        pub payload: ::std::vec::Vec<u8>,
        #[resource(skip)]
        pub cached: ::core::option::Option<u64>,
        #[resource(default)]
        pub retries: u32,
    }
}

mod bare {
    #![no_implicit_prelude]

    #[::resourceful::resource(service = "dynamodb", table = "bare-items", key = "id")]
    #[derive(::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub(super) struct Bare {
        pub id: ::std::vec::Vec<u8>,
        pub label: ::core::option::Option<::std::string::String>,
        #[resource(skip)]
        pub scratch: ::std::string::String,
    }
}

/// `crate = "..."` for a facade renamed with `extern crate … as …`.
mod renamed_crate {
    #[renamed::resource(crate = "renamed", service = "dynamodb", table = "widgets", key = "id")]
    #[derive(Debug, PartialEq)]
    pub(super) struct Widget {
        pub id: u32,
        pub name: String,
    }
}

/// `crate = "..."` for a facade brought in by a `use` in the module.
mod reexported {
    use ::resourceful as facade;

    #[facade::resource(
        crate = "facade",
        service = "dynamodb",
        table = "gadgets",
        key = "id",
        sort_key = "version"
    )]
    #[derive(Debug, PartialEq)]
    pub struct Gadget {
        pub id: String,
        pub version: i32,
    }
}

/// `crate = "::..."`: an absolute path.
mod absolute {
    #[::renamed::resource(
        crate = "::renamed",
        service = "dynamodb",
        table = "gizmos",
        key = "id"
    )]
    #[derive(Debug, PartialEq)]
    pub(super) struct Gizmo {
        pub id: char,
    }
}

fn order() -> hostile::Order {
    hostile::Order {
        customer_id: "c1".to_owned(),
        number: 7,
        amount_cents: -1250,
        line_items: vec!["pen".to_owned(), "ink".to_owned()],
        tags: BTreeSet::from(["gift".to_owned()]),
        scores: HashSet::from([1, 5]),
        attributes: HashMap::from([("weight".to_owned(), 3)]),
        gift_note: None,
        payload: vec![0, 255],
        cached: Some(99),
        retries: 2,
    }
}

#[test]
fn order_round_trips_with_renamed_attributes() {
    let order = order();
    let item = order.to_item();

    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    // `rename` beats `rename_all`; `skip` and `None` are not stored.
    assert_eq!(
        names,
        [
            "attributes",
            "customerId",
            "lineItems",
            "number",
            "payload",
            "retries",
            "scores",
            "tags",
            "total"
        ]
    );
    assert_eq!(item["total"], AttributeValue::N("-1250".to_owned()));
    assert_eq!(item["customerId"], AttributeValue::S("c1".to_owned()));

    let back = hostile::Order::from_item(item).unwrap();
    // A skipped field reads back as its default.
    assert_eq!(
        back,
        hostile::Order {
            cached: None,
            ..order
        }
    );
}

#[test]
fn default_field_reads_missing_attribute_as_default() {
    let mut item = order().to_item();
    item.remove("retries");
    assert_eq!(hostile::Order::from_item(item).unwrap().retries, 0);
}

#[test]
fn composite_key_schema_and_key_values() {
    assert_eq!(hostile::Order::TABLE_NAME, "orders");
    assert_eq!(
        hostile::Order::KEY_SCHEMA.partition,
        KeyAttributeDef {
            name: "customerId",
            key_type: ScalarType::S
        }
    );
    assert_eq!(
        hostile::Order::KEY_SCHEMA.sort,
        Some(KeyAttributeDef {
            name: "number",
            key_type: ScalarType::N
        })
    );
    let key = hostile::OrderKey::from(("c1", 7u64));
    assert_eq!(key, order().key());
    assert_eq!(
        key.to_key_item(),
        HashMap::from([
            ("customerId".to_owned(), AttributeValue::S("c1".to_owned())),
            ("number".to_owned(), AttributeValue::N("7".to_owned())),
        ])
    );
}

#[test]
fn attribute_handles_use_stored_names() {
    assert_eq!(hostile::Order::AMOUNT_CENTS.name(), "total");
    let (text, names, _) = (hostile::Order::AMOUNT_CENTS.ge(100)
        & hostile::Order::GIFT_NOTE.not_exists())
    .to_expression();
    assert_eq!(text, "(#0 >= :0 AND attribute_not_exists(#1))");
    assert_eq!(names["#0"], "total");
    assert_eq!(names["#1"], "giftNote");
}

#[test]
fn no_implicit_prelude_module() {
    let bare = bare::Bare {
        id: vec![1, 2, 3],
        label: Some("x".to_owned()),
        scratch: "not stored".to_owned(),
    };
    let item = bare.to_item();
    assert_eq!(item.len(), 2);
    let back = bare::Bare::from_item(item).unwrap();
    assert_eq!(back.id, [1, 2, 3]);
    assert_eq!(back.scratch, "");
    assert_eq!(bare::Bare::KEY_SCHEMA.partition.key_type, ScalarType::B);
}

#[test]
fn renamed_crate_paths() {
    let widget = renamed_crate::Widget {
        id: 3,
        name: "sprocket".to_owned(),
    };
    assert_eq!(
        renamed_crate::Widget::from_item(widget.to_item()).unwrap(),
        widget
    );
    assert_eq!(renamed_crate::Widget::TABLE_NAME, "widgets");

    let gadget = reexported::Gadget {
        id: "g".to_owned(),
        version: -1,
    };
    assert_eq!(
        reexported::Gadget::from_item(gadget.to_item()).unwrap(),
        gadget
    );
    assert_eq!(
        reexported::GadgetKey::from(("g", -1)).to_key_item(),
        gadget.key().to_key_item()
    );

    let gizmo = absolute::Gizmo { id: 'z' };
    assert_eq!(absolute::Gizmo::from_item(gizmo.to_item()).unwrap(), gizmo);
    assert_eq!(
        absolute::Gizmo::KEY_SCHEMA.partition.key_type,
        ScalarType::S
    );
}

/// A private definition nothing uses yet: the generated items must not
/// make it warn (the constants, the key type, `table`).
mod unused {
    use resourceful::prelude::*;

    #[resource(service = "dynamodb", table = "lonely", key = "id", sort_key = "at")]
    struct Lonely {
        id: String,
        at: u64,
        note: Option<String>,
    }
}
