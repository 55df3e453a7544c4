use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

/// `ExpressionAttributeNames` and `ExpressionAttributeValues` as the SDK's
/// builders take them.
pub(crate) type RequestMaps = (
    Option<HashMap<String, String>>,
    Option<HashMap<String, AttributeValue>>,
);

/// Allocates `#n` name and `:n` value placeholders for one request.
#[derive(Debug, Default)]
pub(crate) struct Placeholders {
    /// Placeholder → attribute name, as sent.
    names: HashMap<String, String>,
    /// Attribute name → placeholder, so a repeated name reuses its placeholder.
    by_name: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Placeholders {
    /// The placeholder for attribute `name`, reusing it when the name repeats.
    pub(crate) fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.by_name.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#{}", self.names.len());
        self.names.insert(placeholder.clone(), name.to_owned());
        self.by_name.insert(name.to_owned(), placeholder.clone());
        placeholder
    }

    /// A fresh placeholder for `value`.
    pub(crate) fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The names allocated so far, as (placeholder, name).
    pub(crate) fn names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names.iter().map(|(p, n)| (p.as_str(), n.as_str()))
    }

    /// The values allocated so far, as (placeholder, value).
    pub(crate) fn values(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        self.values.iter().map(|(p, v)| (p.as_str(), v))
    }

    pub(crate) fn into_maps(self) -> (HashMap<String, String>, HashMap<String, AttributeValue>) {
        (self.names, self.values)
    }

    /// The maps as the SDK builders take them: `None` when empty.
    pub(crate) fn into_request_maps(self) -> RequestMaps {
        let (names, values) = self.into_maps();
        (
            (!names.is_empty()).then_some(names),
            (!values.is_empty()).then_some(values),
        )
    }
}
