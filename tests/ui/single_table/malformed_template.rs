use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app",
           key(attr = "pk", template = "ORG#{org"),
           sort_key(attr = "sk", template = "{n:8}"))]
struct Org {
    org: String,
    n: u32,
}

fn main() {}
