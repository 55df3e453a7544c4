use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    display_name: String,
}

#[resource(projection = User, rename_all = "camelCase")]
struct Contact {
    id: String,
    display_name: String,
}

fn main() {}
