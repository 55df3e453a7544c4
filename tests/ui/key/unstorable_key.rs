use resourceful::prelude::*;

#[derive(Debug, Clone, PartialEq)]
struct UserId(u64);

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: UserId,
}

fn main() {}
