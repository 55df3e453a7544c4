use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
    age: u32,
}

#[resource(projection = User)]
struct Contact {
    id: String,
    age: String,
}

fn main() {}
