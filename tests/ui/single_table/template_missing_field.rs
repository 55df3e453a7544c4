use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "User",
           key(attr = "pk", template = "ORG#{organisation}"),
           sort_key(attr = "sk", template = "USER#{id}"))]
struct User {
    org: String,
    id: String,
}

fn main() {}
