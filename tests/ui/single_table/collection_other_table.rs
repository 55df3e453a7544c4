use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "Org",
           key(attr = "pk", template = "ORG#{id}"), sort_key(attr = "sk", template = "ORG"))]
struct Org {
    id: String,
}

#[resource(service = "dynamodb", table = "other", entity = "User",
           key(attr = "pk", template = "ORG#{org}"), sort_key(attr = "sk", template = "USER#{id}"))]
struct User {
    org: String,
    id: String,
}

#[derive(Collection)]
enum OrgMembers {
    Org(Org),
    User(User),
}

fn main() {}
