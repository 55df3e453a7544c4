use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app",
           key(attr = "pk", template = "ORG#{org:08}"))]
struct Org {
    org: String,
}

fn main() {}
