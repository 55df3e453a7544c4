use std::collections::{BTreeMap, BTreeSet};

use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
    age: u32,
    avatar: Vec<u8>,
    scores: Vec<u32>,
    tags: BTreeSet<String>,
    address: BTreeMap<String, String>,
}

fn uses(client: &Client) {
    let users = User::table(client);
    let _ = users.scan().filter(User::AGE.size().gt(1));
}

fn main() {
    let _ = uses;
}
