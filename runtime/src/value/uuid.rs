//! `uuid::Uuid` (feature `uuid`): a string (`S`), hyphenated and lower case.

use ::uuid::Uuid;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{DecodeError, FromAttribute, KeyAttribute, ScalarType, SetMember, ToAttribute};

fn text(uuid: &Uuid) -> String {
    uuid.hyphenated().to_string()
}

fn parse(text: &str) -> Result<Uuid, DecodeError> {
    Uuid::parse_str(text)
        .map_err(|e| DecodeError::invalid::<Uuid>(format!("{text:?} is not a UUID: {e}")))
}

/// Written as `S` in the hyphenated lower-case form
/// (`67e55044-10b1-426f-9247-bb680e5fe0c8`), so string order is byte order.
/// Reading accepts every form [`Uuid::parse_str`] does: upper case, simple,
/// braced and URN.
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl ToAttribute for Uuid {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(text(self))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl FromAttribute for Uuid {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::S(s) => parse(&s),
            other => Err(DecodeError::mismatch::<Uuid>("S", &other)),
        }
    }
}

/// A set of UUIDs is a string set (`SS`).
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl SetMember for Uuid {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        AttributeValue::Ss(items.map(text).collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        match value {
            AttributeValue::Ss(items) => items.iter().map(|s| parse(s)).collect(),
            AttributeValue::Null(_) => Ok(std::iter::empty().collect()),
            other => Err(DecodeError::mismatch::<C>("SS", &other)),
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl KeyAttribute for Uuid {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    fn uuid() -> impl Strategy<Value = Uuid> {
        any::<u128>().prop_map(Uuid::from_u128)
    }

    proptest! {
        #[test]
        fn round_trips(u in uuid()) {
            let value = u.to_attribute();
            let AttributeValue::S(s) = &value else { panic!("{value:?}") };
            prop_assert_eq!(s, &u.hyphenated().to_string());
            prop_assert_eq!(Uuid::from_attribute(value).unwrap(), u);
        }

        #[test]
        fn string_order_is_uuid_order(a in uuid(), b in uuid()) {
            prop_assert_eq!(text(&a).cmp(&text(&b)), a.cmp(&b));
        }

        #[test]
        fn sets_round_trip(set in proptest::collection::btree_set(uuid(), 0..5)) {
            let back: BTreeSet<Uuid> = FromAttribute::from_attribute(set.to_attribute()).unwrap();
            prop_assert_eq!(back, set);
        }

        #[test]
        fn any_string_is_a_uuid_or_an_error(s in any::<String>()) {
            let _ = Uuid::from_attribute(AttributeValue::S(s));
        }
    }

    #[test]
    fn writes_hyphenated_lower_case() {
        let u = Uuid::from_u128(0x67E5_5044_10B1_426F_9247_BB68_0E5F_E0C8);
        assert_eq!(
            u.to_attribute(),
            AttributeValue::S("67e55044-10b1-426f-9247-bb680e5fe0c8".into())
        );
        assert_eq!(<Uuid as KeyAttribute>::KEY_TYPE, ScalarType::S);
    }

    #[test]
    fn reads_every_form_parse_str_accepts() {
        let u = Uuid::from_u128(0x67E5_5044_10B1_426F_9247_BB68_0E5F_E0C8);
        for form in [
            "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67E55044-10B1-426F-9247-BB680E5FE0C8",
            "67e5504410b1426f9247bb680e5fe0c8",
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
        ] {
            assert_eq!(
                Uuid::from_attribute(AttributeValue::S(form.into())),
                Ok(u),
                "{form}"
            );
        }
    }

    #[test]
    fn malformed_and_mistyped_values_are_errors() {
        let err = Uuid::from_attribute(AttributeValue::S("not-a-uuid".into())).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("value: cannot read `Uuid`: \"not-a-uuid\" is not a UUID: "),
            "{err}"
        );
        let err = Uuid::from_attribute(AttributeValue::N("1".into()))
            .unwrap_err()
            .in_field("id");
        assert_eq!(
            err.to_string(),
            "attribute `id`: expected S for `Uuid`, found N"
        );
    }
}
