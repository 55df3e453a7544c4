//! The code `#[resource]` generates must compile wherever a user puts it:
//! next to items that shadow the prelude, in a `#![no_implicit_prelude]`
//! module, and with the facade under another name (`crate = "..."`), all
//! without a single warning.

#![deny(warnings)]

use std::collections::{BTreeSet, HashMap, HashSet};

use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::{FromAttribute, KeyAttributeDef, Resource, ResourceKey, ScalarType, ToAttribute};

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

    /// `#[derive(Attribute)]` in every shape, generic, with `with`.
    #[derive(::resourceful::Attribute, Debug, PartialEq)]
    #[resource(rename_all = "camelCase")]
    pub(super) struct Parcel<T> {
        pub tracking_code: Code,
        pub state: State,
        pub contents: ::std::vec::Vec<T>,
        #[resource(rename = "w", default)]
        pub weight_grams: ::core::option::Option<u32>,
        #[resource(skip)]
        pub cached: ::std::string::String,
        #[resource(with = "super::as_text")]
        pub count: u64,
    }

    #[derive(::resourceful::Attribute, Debug, Clone, PartialEq)]
    pub(super) struct Code(pub ::std::string::String);

    #[derive(::resourceful::Attribute, Debug, Clone, Copy, PartialEq)]
    #[resource(rename_all = "kebab-case")]
    pub(super) enum State {
        InTransit,
        #[resource(rename = "ok")]
        Delivered,
    }

    #[::resourceful::resource(service = "dynamodb", table = "parcels", key = "code")]
    #[derive(Debug, PartialEq)]
    pub(super) struct Shipping {
        pub code: Code,
        pub parcel: ::core::option::Option<Parcel<u8>>,
        pub states: ::std::vec::Vec<State>,
        #[resource(flatten)]
        pub route: Route<u8>,
    }

    /// Enums with data, both taggings, generic, with a flattened field;
    /// fields named like the generated code's locals.
    #[derive(::resourceful::Attribute, Debug, PartialEq)]
    pub(super) enum Route<T> {
        Direct {
            item: T,
            value: u8,
            tag: u8,
        },
        Via(Hop),
        #[resource(rename = "none")]
        Nowhere,
    }

    #[derive(::resourceful::Attribute, Debug, PartialEq)]
    pub(super) struct Hop {
        pub hub: ::std::string::String,
        #[resource(flatten)]
        pub leg: Leg,
    }

    #[derive(::resourceful::Attribute, Debug, PartialEq)]
    #[resource(tag = "leg", content = "data")]
    pub(super) enum Leg {
        Road(u32, ::std::string::String),
        Air { flight: ::std::string::String },
        Sea(u64),
        Unknown,
    }
}

mod as_text {
    use resourceful::aws_sdk_dynamodb::types::AttributeValue;
    use resourceful::value::DecodeError;

    pub(super) fn to_attribute(value: &u64) -> AttributeValue {
        AttributeValue::S(value.to_string())
    }

    pub(super) fn from_attribute(value: AttributeValue) -> Result<u64, DecodeError> {
        match value {
            AttributeValue::S(text) => text
                .parse()
                .map_err(|_| DecodeError::invalid::<u64>("not a number")),
            other => Err(DecodeError::mismatch::<u64>("S", &other)),
        }
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
        pub nested: ::core::option::Option<Inner>,
    }

    #[derive(::resourceful::Attribute, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub(super) struct Inner {
        pub level: u8,
        pub id: Id,
        pub kind: Kind,
    }

    #[derive(::resourceful::Attribute, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub(super) struct Id(pub u64);

    #[derive(::resourceful::Attribute, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub(super) enum Kind {
        Small,
    }

    #[derive(::resourceful::Attribute, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    #[resource(tag = "t", content = "c")]
    pub(super) enum Tagged {
        Pair(u8, u8),
        Named { inner: Inner },
        Unit,
    }

    #[derive(::resourceful::Attribute, ::core::fmt::Debug, ::core::cmp::PartialEq)]
    pub(super) enum Plain {
        Named {
            #[resource(flatten)]
            inner: Inner,
        },
        Wrapped(Inner),
        Unit,
    }
}

/// `crate = "..."` for a facade renamed with `extern crate … as …`.
mod renamed_crate {
    #[renamed::resource(crate = "renamed", service = "dynamodb", table = "widgets", key = "id")]
    #[derive(Debug, PartialEq)]
    pub(super) struct Widget {
        pub id: u32,
        pub name: String,
        pub part: Part,
    }

    #[derive(renamed::Attribute, Debug, PartialEq)]
    #[resource(crate = "renamed")]
    pub(super) struct Part {
        pub serial: u32,
    }
}

/// Key templates, a padded number and a stream: the key is read back from
/// a stream's key image, next to the shadowed names.
mod templated {
    #[allow(unused_imports)]
    use super::shadowed::*;

    #[::resourceful::resource(
        service = "dynamodb",
        table = "events",
        key(attr = "pk", template = "DAY#{day}"),
        sort_key(attr = "sk", template = "EVENT#{n:08}"),
        stream = "keys_only"
    )]
    #[derive(Debug, PartialEq)]
    pub(super) struct Event {
        pub(super) day: ::std::string::String,
        pub(super) n: u32,
    }

    /// Every item has the same key: a key of no fields.
    #[::resourceful::resource(
        service = "dynamodb",
        table = "settings",
        key(attr = "pk", template = "SETTINGS"),
        stream = "new_image"
    )]
    pub(super) struct Settings {
        pub(super) value: u32,
    }
}

#[test]
fn templated_keys_read_back_from_key_items() {
    let key = templated::EventKey {
        day: "mon".to_owned(),
        n: 7,
    };
    let item = key.to_key_item();
    assert_eq!(item["sk"], AttributeValue::S("EVENT#00000007".to_owned()));
    assert_eq!(templated::EventKey::from_key_item(item).unwrap(), key);
    let settings = templated::Settings { value: 1 };
    assert_eq!(settings.value, 1);
    let key = templated::SettingsKey::from_key_item(settings.key().to_key_item()).unwrap();
    assert_eq!(key.to_key_item().len(), 1);
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
fn derived_types_round_trip_in_a_hostile_module() {
    let shipping = hostile::Shipping {
        code: hostile::Code("p1".to_owned()),
        parcel: Some(hostile::Parcel {
            tracking_code: hostile::Code("t1".to_owned()),
            state: hostile::State::InTransit,
            contents: vec![1, 2],
            weight_grams: None,
            cached: "not stored".to_owned(),
            count: 3,
        }),
        states: vec![hostile::State::Delivered, hostile::State::InTransit],
        route: hostile::Route::Via(hostile::Hop {
            hub: "LHR".to_owned(),
            leg: hostile::Leg::Road(3, "M4".to_owned()),
        }),
    };
    let item = shipping.to_item();
    assert_eq!(item["type"], AttributeValue::S("Via".to_owned()));
    assert_eq!(item["leg"], AttributeValue::S("Road".to_owned()));
    assert_eq!(
        hostile::Shipping::from_item(item.clone()).unwrap().route,
        shipping.route
    );
    for route in [
        hostile::Route::Direct {
            item: 1,
            value: 2,
            tag: 3,
        },
        hostile::Route::Nowhere,
    ] {
        assert_eq!(
            hostile::Route::<u8>::from_attribute(route.to_attribute()),
            Ok(route)
        );
    }
    for leg in [
        hostile::Leg::Air {
            flight: "BA1".to_owned(),
        },
        hostile::Leg::Sea(7),
        hostile::Leg::Unknown,
    ] {
        assert_eq!(hostile::Leg::from_attribute(leg.to_attribute()), Ok(leg));
    }
    assert_eq!(item["code"], AttributeValue::S("p1".to_owned()));
    assert_eq!(
        item["states"],
        AttributeValue::L(vec![
            AttributeValue::S("ok".to_owned()),
            AttributeValue::S("in-transit".to_owned()),
        ])
    );
    let AttributeValue::M(parcel) = &item["parcel"] else {
        panic!("{:?}", item["parcel"]);
    };
    assert_eq!(parcel["trackingCode"], AttributeValue::S("t1".to_owned()));
    assert_eq!(parcel["count"], AttributeValue::S("3".to_owned()));
    let back = hostile::Shipping::from_item(item).unwrap();
    let parcel = back.parcel.as_ref().unwrap();
    assert_eq!(parcel.cached, "");
    assert_eq!(parcel.contents, [1, 2]);
    let (text, names, _) = hostile::Shipping::PARCEL
        .then(hostile::Parcel::<u8>::WEIGHT_GRAMS)
        .exists()
        .to_expression();
    assert_eq!(text, "attribute_exists(#0.#1)");
    assert_eq!(names["#1"], "w");
}

#[test]
fn no_implicit_prelude_module() {
    let bare = bare::Bare {
        id: vec![1, 2, 3],
        label: Some("x".to_owned()),
        scratch: "not stored".to_owned(),
        nested: Some(bare::Inner {
            level: 1,
            id: bare::Id(9),
            kind: bare::Kind::Small,
        }),
    };
    let item = bare.to_item();
    assert_eq!(item.len(), 3);
    let back = bare::Bare::from_item(item.clone()).unwrap();
    assert_eq!(back.nested, bare.nested);
    let back = bare::Bare::from_item(item).unwrap();
    assert_eq!(back.id, [1, 2, 3]);
    assert_eq!(back.scratch, "");
    let inner = || bare::Inner {
        level: 1,
        id: bare::Id(2),
        kind: bare::Kind::Small,
    };
    for tagged in [
        bare::Tagged::Pair(1, 2),
        bare::Tagged::Named { inner: inner() },
        bare::Tagged::Unit,
    ] {
        assert_eq!(
            bare::Tagged::from_attribute(tagged.to_attribute()),
            Ok(tagged)
        );
    }
    for plain in [
        bare::Plain::Named { inner: inner() },
        bare::Plain::Wrapped(inner()),
        bare::Plain::Unit,
    ] {
        assert_eq!(bare::Plain::from_attribute(plain.to_attribute()), Ok(plain));
    }
    assert_eq!(bare::Bare::KEY_SCHEMA.partition.key_type, ScalarType::B);
}

#[test]
fn renamed_crate_paths() {
    let widget = renamed_crate::Widget {
        id: 3,
        name: "sprocket".to_owned(),
        part: renamed_crate::Part { serial: 5 },
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

/// `serde` fields, plain, optional and `default`, in a resource and in a
/// generic derived struct, next to the shadowed names.
#[cfg(feature = "serde")]
mod serde_hostile {
    #[allow(unused_imports)]
    use super::shadowed::*;

    // serde's own derive needs the real `str`: its type lives outside.
    pub(super) use super::serde_settings::Settings;

    #[::resourceful::resource(service = "dynamodb", table = "profiles", key = "id")]
    #[derive(Debug, PartialEq)]
    pub(super) struct Profile {
        pub id: ::std::string::String,
        #[resource(serde)]
        pub settings: Settings,
        #[resource(serde)]
        pub previous: ::core::option::Option<Settings>,
        #[resource(serde, default)]
        pub counts: ::std::vec::Vec<u64>,
        pub boxed: Boxed<Settings>,
    }

    #[derive(::resourceful::Attribute, Debug, PartialEq)]
    pub(super) struct Boxed<T> {
        #[resource(serde)]
        pub inner: T,
    }
}

#[cfg(feature = "serde")]
mod serde_settings {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    pub(crate) struct Settings {
        pub theme: String,
        pub limits: Vec<(String, u32)>,
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_fields_in_a_hostile_module() {
    use serde_hostile::{Boxed, Profile, Settings};
    let settings = || Settings {
        theme: "dark".to_owned(),
        limits: vec![("a".to_owned(), 1)],
    };
    let profile = Profile {
        id: "p1".to_owned(),
        settings: settings(),
        previous: None,
        counts: vec![],
        boxed: Boxed { inner: settings() },
    };
    let mut item = profile.to_item();
    assert!(!item.contains_key("previous"));
    item.remove("counts");
    assert_eq!(Profile::from_item(item), Ok(profile));
}
