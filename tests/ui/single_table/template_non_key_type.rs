use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "User",
           key(attr = "pk", template = "ORG#{org}"),
           sort_key(attr = "sk", template = "USER#{tags}"))]
struct User {
    org: String,
    tags: Vec<String>,
}

fn main() {}
