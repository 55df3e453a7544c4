use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
enum User {
    Admin { id: String },
    Guest { id: String },
}

fn main() {}
