use resourceful::prelude::*;

#[resource(service = "dynamodb", key = "id")]
struct Ab {
    id: String,
}

fn main() {}
