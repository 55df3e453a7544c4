use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User;

fn main() {}
