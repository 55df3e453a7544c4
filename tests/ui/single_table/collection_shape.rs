use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "Org",
           key(attr = "pk", template = "ORG#{id}"), sort_key(attr = "sk", template = "ORG"))]
struct Org {
    id: String,
}

#[derive(Collection)]
enum Members {
    Org(Org),
    Nobody,
    Two(Org, Org),
}

#[derive(Collection)]
struct NotAnEnum {
    org: Org,
}

fn main() {}
