use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "Org",
           key(attr = "pk", template = "ORG#{id}"), sort_key(attr = "sk", template = "ORG"))]
struct Org {
    id: String,
}

// No entity: its items could not be told from the org's.
#[resource(service = "dynamodb", table = "app",
           key(attr = "pk", template = "ORG#{org}"), sort_key(attr = "sk", template = "USER#{id}"))]
struct User {
    org: String,
    id: String,
}

// The same entity name twice.
#[resource(service = "dynamodb", table = "app", entity = "Org",
           key(attr = "pk", template = "ORG#{org}"), sort_key(attr = "sk", template = "TEAM#{id}"))]
struct Team {
    org: String,
    id: String,
}

#[derive(Collection)]
enum OrgMembers {
    Org(Org),
    User(User),
    Team(Team),
}

fn main() {}
