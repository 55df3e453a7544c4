use resourceful::prelude::*;

#[derive(Attribute)]
#[resource(rename_all = "camelCase")]
struct Contact {
    postal_code: String,
}

#[derive(Attribute)]
struct Address {
    #[resource(rename = "postalCode")]
    zip: String,
    #[resource(flatten)]
    contact: Contact,
}

fn main() {}
