use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "Org",
           key(attr = "pk", template = "ORG#{id}"), sort_key(attr = "sk", template = "ORG"))]
struct Org {
    id: String,
}

#[resource(service = "dynamodb", table = "app", entity = "User",
           key(attr = "pk", template = "TENANT#{org}"), sort_key(attr = "sk", template = "USER#{id}"))]
struct User {
    org: String,
    id: String,
}

// The same template, but a number where the org has a string.
#[resource(service = "dynamodb", table = "app", entity = "Invoice",
           key(attr = "pk", template = "ORG#{org}"), sort_key(attr = "sk", template = "INVOICE#{id}"))]
struct Invoice {
    org: u64,
    id: String,
}

#[derive(Collection)]
enum OrgMembers {
    Org(Org),
    User(User),
    Invoice(Invoice),
}

fn main() {}
