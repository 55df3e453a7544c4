use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
}

#[resource(projection = User, stream = "new_image")]
struct Contact {
    id: String,
    email: String,
}

fn main() {}
