use std::collections::BTreeSet;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    tags: BTreeSet<String>,
}

fn check(users: &Table<User>) {
    let _ = users.update("u1").add(User::TAGS, [1, 2]);
}

fn main() {}
