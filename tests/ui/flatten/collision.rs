use resourceful::prelude::*;

#[derive(Attribute)]
struct Address {
    city: String,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    city: String,
    #[resource(flatten)]
    address: Address,
}

fn main() {}
