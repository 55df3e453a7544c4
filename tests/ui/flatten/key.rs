use resourceful::prelude::*;

#[derive(Attribute)]
struct Id {
    org: String,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    #[resource(flatten)]
    id: Id,
}

fn main() {}
