use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    #[resource(serde)]
    id: String,
}

fn main() {}
