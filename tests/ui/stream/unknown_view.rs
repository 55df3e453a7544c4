use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", stream = "new_images")]
struct User {
    id: String,
}

fn main() {}
