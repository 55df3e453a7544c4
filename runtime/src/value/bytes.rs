//! `bytes::Bytes` (feature `bytes`): binary (`B`).

use ::bytes::Bytes;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{
    DecodeError, FromAttribute, KeyAttribute, ScalarType, SetMember, ToAttribute, ValueOf,
};

/// Written as `B`, like `Vec<u8>`.
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl ToAttribute for Bytes {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::B(Blob::new(self.to_vec()))
    }
}

/// Reading takes over the SDK's buffer without copying it.
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl FromAttribute for Bytes {
    const EXPECTED: &'static str = "B";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::B(blob) => Ok(Bytes::from(blob.into_inner())),
            other => Err(DecodeError::mismatch::<Bytes>("B", &other)),
        }
    }
}

/// A set of `Bytes` is a binary set (`BS`).
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl SetMember for Bytes {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        AttributeValue::Bs(items.map(|b| Blob::new(b.to_vec())).collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        match value {
            AttributeValue::Bs(items) => Ok(items
                .into_iter()
                .map(|b| Bytes::from(b.into_inner()))
                .collect()),
            AttributeValue::Null(_) => Ok(std::iter::empty().collect()),
            other => Err(DecodeError::mismatch::<C>("BS", &other)),
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl KeyAttribute for Bytes {
    const KEY_TYPE: ScalarType = ScalarType::B;
}

/// A `Bytes` attribute takes a byte slice: `File::DIGEST.eq(&digest[..])`.
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl ValueOf<Bytes> for &[u8] {
    fn into_value(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

/// A `Bytes` attribute takes a `Vec<u8>`, without copying it.
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl ValueOf<Bytes> for Vec<u8> {
    fn into_value(self) -> Bytes {
        Bytes::from(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn round_trips(bytes in vec(any::<u8>(), 0..64)) {
            let b = Bytes::from(bytes.clone());
            let value = b.to_attribute();
            // The same attribute value as `Vec<u8>`: the two types read each other's.
            prop_assert_eq!(&value, &bytes.to_attribute());
            prop_assert_eq!(Bytes::from_attribute(value).unwrap(), b);
        }

        #[test]
        fn sets_round_trip(set in proptest::collection::hash_set(vec(any::<u8>(), 0..8), 0..5)) {
            let set: HashSet<Bytes> = set.into_iter().map(Bytes::from).collect();
            let back: HashSet<Bytes> = FromAttribute::from_attribute(set.to_attribute()).unwrap();
            prop_assert_eq!(back, set);
        }
    }

    #[test]
    fn is_a_binary_key_and_reports_mismatches() {
        assert_eq!(<Bytes as KeyAttribute>::KEY_TYPE, ScalarType::B);
        let err = Bytes::from_attribute(AttributeValue::S("AAEC".into()))
            .unwrap_err()
            .in_field("digest");
        assert_eq!(
            err.to_string(),
            "attribute `digest`: expected B for `Bytes`, found S"
        );
        let from_slice: Bytes = (&[1u8, 2][..]).into_value();
        let from_vec: Bytes = vec![1u8, 2].into_value();
        assert_eq!(from_slice, from_vec);
    }
}
