use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
}

#[resource(projection = User, table = "contacts")]
struct Contact {
    id: String,
    email: String,
}

fn main() {}
