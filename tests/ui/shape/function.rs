use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
fn user() {}

fn main() {}
