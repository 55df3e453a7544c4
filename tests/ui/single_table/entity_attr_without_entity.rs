use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity_attr = "kind",
           key(attr = "pk", template = "ORG#{org}"))]
struct Org {
    org: String,
}

#[resource(service = "dynamodb", table = "app", entity = "Team", entity_attr = "kind",
           key(attr = "pk", template = "TEAM#{id}"))]
struct Team {
    id: String,
    kind: String,
}

fn main() {}
