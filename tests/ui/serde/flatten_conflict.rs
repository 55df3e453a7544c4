use resourceful::prelude::*;

#[derive(Attribute)]
struct Audit {
    by: String,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(flatten, serde)]
    audit: Audit,
}

fn main() {}
