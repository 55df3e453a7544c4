use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", key(attr = "org", template = "ORG#{org}"))]
struct Org {
    org: String,
}

#[resource(service = "dynamodb", table = "app", key(template = "ORG#{org}"))]
struct NoAttr {
    org: String,
}

fn main() {}
