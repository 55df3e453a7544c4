use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User(String, u32);

fn main() {}
